//! Input sources: memory-mapped files and streams (stdin, pipes, devices), both delivered as
//! chunks to the same push-based core.
//!
//! A regular file is mapped in windows of [`MMAP_WINDOW`] bytes, one at a time, so a 4 GiB
//! recording never shows up as 4 GiB of resident memory: each window is unmapped before the next
//! is mapped. The window is not pre-faulted (`MAP_POPULATE`): the kernel's fault-around maps
//! it in 64 KiB steps as the reader advances, which measured 5 % faster on files held in 4 KiB
//! page-cache folios and the same on large folios (which are mapped 2 MiB at a time), and never
//! maps what an early stop (`--until-complete`) leaves unread. Anything else is read in
//! [`READ_CHUNK`]-byte chunks.

use std::fs::File;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::Path;

/// Bytes mapped at a time.
pub const MMAP_WINDOW: u64 = 16 << 20;
/// Bytes per read() on streams.
pub const READ_CHUNK: usize = 1 << 20;

/// Calls `f` with consecutive chunks of the file at `path` (`-` is stdin) until the end of the
/// input or until `f` breaks. Returns the number of bytes delivered.
///
/// # Errors
/// Any error opening, mapping or reading the input.
pub fn for_each_chunk(path: &Path, f: impl FnMut(&[u8]) -> ControlFlow<()>) -> io::Result<u64> {
    if path.as_os_str() == "-" {
        return read_stream(io::stdin().lock(), f);
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() {
        map_file(&file, meta.len(), f)
    } else {
        read_stream(file, f)
    }
}

/// Delivers a regular file of `len` bytes window by window.
#[allow(unsafe_code)] // the mmap boundary, see the SAFETY note
fn map_file(file: &File, len: u64, mut f: impl FnMut(&[u8]) -> ControlFlow<()>) -> io::Result<u64> {
    let mut offset = 0u64;
    while offset < len {
        let size = (len - offset).min(MMAP_WINDOW);
        let size_usize = usize::try_from(size).map_err(io::Error::other)?;
        // SAFETY: the one `unsafe` in the crate. Mapping a file is unsafe because another
        // process could truncate it while it is mapped, which would fault on access (SIGBUS).
        // A recording that is still being written only grows, and the window never reaches past
        // the length read at open time. The map is read-only and dropped before the next one.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(offset)
                .len(size_usize)
                .map(file)?
        };
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Sequential);
        let flow = f(&map);
        offset += size;
        drop(map);
        if flow.is_break() {
            break;
        }
    }
    Ok(offset.min(len))
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
}
