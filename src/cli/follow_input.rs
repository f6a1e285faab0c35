//! Delivers the live forms' input chunk by chunk, under an optional wall-clock deadline.
//!
//! Both paths go through [`epgdump::input::for_each_chunk`]. A regular file is mapped and
//! pushed in pieces on the caller's thread (it never blocks). A pipe, a device or stdin is
//! read on a helper thread that hands over one chunk and reads the next only once the caller
//! has handled it. So a change is acted on before the next read, and the deadline holds even
//! when a tuner goes silent.

use std::io;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

/// Bytes of a mapped file handed over at a time, so the decision and the deadline are looked
/// at often.
const PIECE: usize = 1 << 20;

/// How the delivery ended.
pub(super) enum Delivered<B> {
    /// The caller stopped it with `B`.
    Stopped(B),
    /// The wall-clock deadline passed.
    Deadline,
    /// The input ended.
    Eof,
}

/// Feeds `path` (`-` for stdin) to `feed` until the input ends, `feed` breaks, or `deadline`
/// passes.
///
/// # Errors
/// Opening or reading the input failed.
pub(super) fn deliver<B>(
    path: &Path,
    deadline: Option<Instant>,
    feed: &mut dyn FnMut(&[u8]) -> ControlFlow<B>,
) -> io::Result<Delivered<B>> {
    let regular = path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if regular {
        read_file(path, deadline, feed)
    } else {
        read_stream(path, deadline, feed)
    }
}

fn passed(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

fn read_file<B>(
    path: &Path,
    deadline: Option<Instant>,
    feed: &mut dyn FnMut(&[u8]) -> ControlFlow<B>,
) -> io::Result<Delivered<B>> {
    let mut ending = Delivered::Eof;
    epgdump::input::for_each_chunk(path, |chunk| {
        for piece in chunk.chunks(PIECE) {
            if let ControlFlow::Break(b) = feed(piece) {
                ending = Delivered::Stopped(b);
                return ControlFlow::Break(());
            }
            if passed(deadline) {
                ending = Delivered::Deadline;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })?;
    Ok(ending)
}

enum Message {
    Chunk(Vec<u8>),
    End(io::Result<u64>),
}

fn read_stream<B>(
    path: &Path,
    deadline: Option<Instant>,
    feed: &mut dyn FnMut(&[u8]) -> ControlFlow<B>,
) -> io::Result<Delivered<B>> {
    let (data_tx, data_rx) = mpsc::sync_channel::<Message>(0);
    // The handled buffer goes back: the reader waits for it before its next read.
    let (back_tx, back_rx) = mpsc::sync_channel::<Vec<u8>>(1);
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut spare = Vec::new();
        let result = epgdump::input::for_each_chunk(&path, |chunk| {
            spare.clear();
            spare.extend_from_slice(chunk);
            if data_tx
                .send(Message::Chunk(std::mem::take(&mut spare)))
                .is_err()
            {
                return ControlFlow::Break(());
            }
            match back_rx.recv() {
                Ok(buf) => {
                    spare = buf;
                    ControlFlow::Continue(())
                }
                Err(_) => ControlFlow::Break(()),
            }
        });
        let _ = data_tx.send(Message::End(result));
    });
    loop {
        let message = match deadline {
            Some(d) => match data_rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => return Ok(Delivered::Deadline),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Delivered::Eof),
            },
            None => match data_rx.recv() {
                Ok(m) => m,
                Err(_) => return Ok(Delivered::Eof),
            },
        };
        match message {
            Message::Chunk(buf) => {
                if let ControlFlow::Break(b) = feed(&buf) {
                    return Ok(Delivered::Stopped(b));
                }
                if passed(deadline) {
                    return Ok(Delivered::Deadline);
                }
                let _ = back_tx.send(buf);
            }
            Message::End(result) => return result.map(|_| Delivered::Eof),
        }
    }
}
