//! Input sources: memory-mapped files and streams (stdin, pipes, devices), both delivered as
//! chunks to the same push-based core.
//!
//! A regular file is mapped in windows of [`MMAP_WINDOW`] bytes, one at a time, so a 4 GiB
//! recording never shows up as 4 GiB of resident memory: each window is unmapped before the next
//! is mapped, and handed over in pieces of [`MAP_PIECE`] bytes. The window is not pre-faulted
//! (`MAP_POPULATE`): the kernel's fault-around maps it in 64 KiB steps as the reader advances,
//! which measured 5 % faster on files held in 4 KiB page-cache folios and the same on large
//! folios (which are mapped 2 MiB at a time), and never maps what an early stop
//! (`--until-complete`) leaves unread. Anything else is read in [`READ_CHUNK`]-byte chunks.
//!
//! # Faults of a mapped file
//!
//! Reading a mapping whose file has shrunk under it, or whose page cannot be read (a disk error,
//! an NFS or SMB share that dropped), raises SIGBUS, which would kill the process without a word.
//! Two measures make it an ordinary input error ([`FAULT_MESSAGE_SHRANK`] or
//! [`FAULT_MESSAGE_IO`] in an [`io::Error`], naming the offset) while everything read before it
//! is kept:
//! - **between windows** the file's length is read again; a file that shrank is read up to its
//!   new end, then the error is returned;
//! - **inside a window** a SIGBUS guard (`input/guard.rs`) repairs the fault: a process-wide
//!   handler finds the faulting address in a table of registered windows, maps zero pages over
//!   the rest of that window, flags it and returns, so the access reads zeros instead of killing
//!   the process. The window is handed over in pieces of [`MAP_PIECE`] bytes and the flag is
//!   checked after each, so at most one piece of zeros reaches the reader (where it is counted
//!   as dropped bytes, like any garbage). Faults outside every registered window go to the
//!   previous handler (Rust's stack-overflow check) or the default action, as before.
//!
//! Where the guard is not available (not Linux, or more windows mapped at once than it has
//! slots), files are read with `read()`, which reports such faults as `EIO` by itself.
//!
//! **Soundness.** The `unsafe` is in two places, each with a SAFETY note: the map itself (below)
//! and the guard's signal handler. The mapping stays mapped, readable and of its length until it
//! is dropped, which happens only after its window is unregistered, so every `&[u8]` into it
//! stays valid; a guarded fault never ends in a trap. What the guard cannot change is that a
//! file modified or truncated by another process changes the bytes behind the slice (after a
//! fault, bytes from the faulting page on read as zeros, even ones read before). That is the
//! contract `memmap2` documents for any mapped file; it holds here because everything that reads
//! the slice is safe, bounds-checked code that never relies on two reads of a byte agreeing, so
//! changed bytes can change what is counted and parsed, never memory safety.

mod guard;

use std::fs::File;
use std::io::{self, Read};
use std::ops::{ControlFlow, Range};
use std::path::Path;

/// Bytes mapped at a time.
pub const MMAP_WINDOW: u64 = 16 << 20;
/// Bytes of a mapped window handed over at a time.
pub const MAP_PIECE: usize = 1 << 20;
/// Bytes per read() on streams.
pub const READ_CHUNK: usize = 1 << 20;
/// Start of the message of an input error for a file that shrank while it was read.
pub const FAULT_MESSAGE_SHRANK: &str = "the file shrank while it was read";
/// Start of the message of an input error for a mapped page that could not be read.
pub const FAULT_MESSAGE_IO: &str = "a mapped page could not be read";

/// Calls `f` with consecutive chunks of the file at `path` (`-` is stdin) until the end of the
/// input or until `f` breaks. Returns the number of bytes delivered.
///
/// # Errors
/// Any error opening, mapping or reading the input, including a file that shrinks or a mapped
/// page that cannot be read while it is read (see the module docs); the chunks delivered before
/// the error stay delivered.
pub fn for_each_chunk(path: &Path, f: impl FnMut(&[u8]) -> ControlFlow<()>) -> io::Result<u64> {
    for_each_chunk_windowed(path, MMAP_WINDOW, f)
}

/// Bytes read ahead of the reader by [`for_each_chunk_bounded`].
pub const BOUNDED_AHEAD: u64 = 4 << 20;

/// How a mapped window is read ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ahead {
    /// By the kernel (`MADV_SEQUENTIAL`): as far as the device's readahead setting goes
    /// (`read_ahead_kb`, 128 KiB to several MiB), past where the reader stops.
    Kernel,
    /// Only this many bytes ahead of the reader: the window is `MADV_RANDOM` (no readahead
    /// by the kernel on faults) and the bytes ahead are requested with
    /// `POSIX_FADV_WILLNEED`, piece by piece. Each piece's mirror image from the end of the
    /// file (bytes `[len − end, len − start)` for the piece `[start, end)`) is requested too:
    /// the tail that `--until-complete` reads next is at least as long as the head, so its
    /// disk reads overlap the head's work instead of following it.
    Bounded(u64),
}

/// [`for_each_chunk`] for a reader that may stop anywhere and then reads the file's tail
/// (`--until-complete`): a regular file is read ahead by at most [`BOUNDED_AHEAD`] bytes past
/// the reader, instead of the kernel's readahead window, so a stop leaves the middle of a cold
/// file unread; and the mirror image of what was read, counted from the end, is requested
/// ahead for the tail (see `Ahead::Bounded`). Streams as [`for_each_chunk`].
///
/// # Errors
/// As [`for_each_chunk`].
pub fn for_each_chunk_bounded(
    path: &Path,
    f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<u64> {
    if path.as_os_str() == "-" {
        return read_stream(io::stdin().lock(), f);
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() {
        let len = meta.len();
        map_file(
            &file,
            0,
            len,
            len,
            MMAP_WINDOW,
            Ahead::Bounded(BOUNDED_AHEAD),
            f,
        )
    } else {
        read_stream(file, f)
    }
}

/// [`for_each_chunk`] with a window size of `window` bytes (rounded up to a multiple of 1 MiB),
/// for tests that need several windows.
#[doc(hidden)]
pub fn for_each_chunk_windowed(
    path: &Path,
    window: u64,
    f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<u64> {
    if path.as_os_str() == "-" {
        return read_stream(io::stdin().lock(), f);
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() {
        let window = window.max(1).div_ceil(1 << 20) << 20;
        map_file(&file, 0, meta.len(), meta.len(), window, Ahead::Kernel, f)
    } else {
        read_stream(file, f)
    }
}

/// Calls `f` with consecutive chunks of the bytes `range` of the regular file at `path` (clamped
/// to its length), mapping only windows inside the range: the rest of the file is never mapped
/// and never faulted in. The range is announced to the kernel first
/// (`posix_fadvise(POSIX_FADV_WILLNEED)`, Linux) so a cold file's range is read ahead at once,
/// and nothing outside it. Returns the number of bytes delivered. Faults and shrinks are
/// handled as in [`for_each_chunk`]. Used for the tail of `--until-complete` on files.
///
/// # Errors
/// As [`for_each_chunk`]; a path that is not a regular file is an error (`InvalidInput`).
pub fn for_each_chunk_in(
    path: &Path,
    range: Range<u64>,
    f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<u64> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a byte range can only be read from a regular file",
        ));
    }
    let end = range.end.min(meta.len());
    let start = range.start.min(end);
    advise_will_need(&file, start, end - start);
    map_file(&file, start, meta.len(), end, MMAP_WINDOW, Ahead::Kernel, f).map(|at| at - start)
}

/// Tells the kernel that bytes `[offset, offset + len)` of `file` will be read soon
/// (`POSIX_FADV_WILLNEED`): best effort, a hint only; nothing happens off Linux.
#[allow(unsafe_code)] // one system call on a file descriptor we own
fn advise_will_need(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (Ok(off), Ok(n)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else {
            return;
        };
        if n > 0 {
            // SAFETY: posix_fadvise only reads its integer arguments; the descriptor is open
            // (borrowed from `file`) for the whole call.
            let _ =
                unsafe { libc::posix_fadvise(file.as_raw_fd(), off, n, libc::POSIX_FADV_WILLNEED) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

/// The error for a file that is now `now` bytes long where `at` was due.
fn shrank(at: u64, was: u64, now: u64) -> io::Error {
    io::Error::other(format!(
        "{FAULT_MESSAGE_SHRANK} (it was {was} bytes, is now {now}; reading stopped at byte {at})"
    ))
}

/// The error for a fault at byte `at` of `file`: a shrink when the file is now shorter, else a
/// read error of the page.
fn fault_error(file: &File, at: u64, was: u64) -> io::Error {
    match file.metadata() {
        Ok(m) if m.len() <= at => shrank(at, was, m.len()),
        _ => io::Error::other(format!(
            "{FAULT_MESSAGE_IO} at byte {at} (an I/O error of the disk or the network share)"
        )),
    }
}

/// Delivers bytes `[start, end)` of a regular file of `len` bytes window by window; returns
/// the offset reached.
#[allow(unsafe_code)] // the mmap boundary, see the SAFETY note
fn map_file(
    file: &File,
    start: u64,
    len: u64,
    end: u64,
    window: u64,
    ahead: Ahead,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<u64> {
    let mut offset = start;
    while offset < end {
        let now = file.metadata()?.len();
        if now < end.min(offset + window) {
            // Shrunk since the last window: read what is left, then say so.
            if offset < now && read_window(file, offset, now - offset, len, &mut f)?.is_break() {
                return Ok(now);
            }
            return Err(shrank(offset.max(now), len, now));
        }
        let size = (end - offset).min(window);
        let size_usize = usize::try_from(size).map_err(io::Error::other)?;
        // SAFETY: mapping a file is unsafe because the file can change or shrink while it is
        // mapped (see the module docs). The map is read-only, lies within the file's length as
        // just read, and is dropped before the next one; a shrink or an unreadable page while
        // it is mapped is caught by the guard registered right after, and the map is not
        // touched at all when no guard could be registered.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(offset)
                .len(size_usize)
                .map(file)?
        };
        let Some(g) = guard::Guard::register(&map) else {
            drop(map);
            let flow = read_window(file, offset, size, len, &mut f)?;
            offset += size;
            if flow.is_break() {
                break;
            }
            continue;
        };
        let piece_len = MAP_PIECE as u64;
        let window_end = offset + size;
        let will_need = |from: u64, len: u64| {
            if from < window_end {
                advise_will_need(file, from, len.min(window_end - from));
            }
        };
        match ahead {
            Ahead::Kernel => {
                #[cfg(unix)]
                let _ = map.advise(memmap2::Advice::Sequential);
            }
            Ahead::Bounded(n) => {
                #[cfg(unix)]
                let _ = map.advise(memmap2::Advice::Random);
                will_need(offset, n);
            }
        }
        let mut flow = ControlFlow::Continue(());
        for (i, piece) in map.chunks(MAP_PIECE).enumerate() {
            if let Ahead::Bounded(n) = ahead {
                // Keep `n` bytes requested ahead of this piece, and its mirror from the end.
                let at = offset + i as u64 * piece_len;
                will_need(at + n, piece_len);
                let mirror_end = len.saturating_sub(at);
                let mirror_start = mirror_end.saturating_sub(piece.len() as u64);
                if mirror_start > at + n + piece_len {
                    advise_will_need(file, mirror_start, mirror_end - mirror_start);
                }
            }
            flow = f(piece);
            if flow.is_break() || g.fault().is_some() {
                break;
            }
        }
        let fault = g.fault();
        drop(g);
        drop(map);
        if let Some(at) = fault {
            return Err(fault_error(file, offset + at as u64, len));
        }
        offset += size;
        if flow.is_break() {
            break;
        }
    }
    Ok(offset.min(end))
}

/// Reads `len` bytes of `file` from `offset` with read() and delivers them, for the windows the
/// guard cannot cover. A file that ends before is an error, as in a mapped window.
fn read_window(
    file: &File,
    offset: u64,
    len: u64,
    was: u64,
    f: &mut impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<ControlFlow<()>> {
    use std::io::{Seek, SeekFrom};
    let mut reader = file;
    reader.seek(SeekFrom::Start(offset))?;
    let mut flow = ControlFlow::Continue(());
    let n = read_stream(reader.take(len), |c| {
        flow = f(c);
        flow
    })?;
    if n < len && flow.is_continue() {
        let now = file.metadata().map_or(offset + n, |m| m.len());
        return Err(shrank(offset + n, was, now));
    }
    Ok(flow)
}

/// Delivers a stream in chunks as they are read.
pub fn read_stream(
    mut reader: impl Read,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<u64> {
    let mut buf = vec![0u8; READ_CHUNK];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        if f(buf.get(..n).unwrap_or_default()).is_break() {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_stream_deliver_the_same_bytes() {
        let dir = std::env::temp_dir().join(format!("epgdump-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.bin");
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut a = Vec::new();
        let n = for_each_chunk(&path, |c| {
            a.extend_from_slice(c);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(n, 100_000);
        assert_eq!(a, data);
        let mut b = Vec::new();
        read_stream(&data[..], |c| {
            b.extend_from_slice(c);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(b, data);
        let empty = dir.join("empty.bin");
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(
            for_each_chunk(&empty, |_| ControlFlow::Continue(())).unwrap(),
            0
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_range_delivers_exactly_its_bytes() {
        let dir = std::env::temp_dir().join(format!("epgdump-range-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.bin");
        let data: Vec<u8> = (0..(3u32 << 20) + 77).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        for range in [
            0..10,
            4097..(2 << 20) + 5,
            (1 << 20) + 3..data.len() as u64 + 100,
        ] {
            let mut got = Vec::new();
            let n = for_each_chunk_in(&path, range.clone(), |c| {
                got.extend_from_slice(c);
                ControlFlow::Continue(())
            })
            .unwrap();
            let end = range.end.min(data.len() as u64) as usize;
            assert_eq!(n as usize, end - range.start as usize);
            assert!(got == data[range.start as usize..end], "{range:?}");
        }
        let mut calls = 0;
        for_each_chunk_in(&path, 5..(3 << 20), |_| {
            calls += 1;
            ControlFlow::Break(())
        })
        .unwrap();
        assert_eq!(calls, 1);
        assert!(for_each_chunk_in(&dir, 0..1, |_| ControlFlow::Continue(())).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
