//! Reading a stream (stdin, a pipe, a FIFO, a device) under a watchdog: the blocking `open` and
//! `read` calls run on a thread of their own, and the caller waits for their data with a
//! timeout, so a source that stalls cannot hang the run past its time limit or idle timeout.
//!
//! When the caller stops waiting, the thread is left to finish its blocked call and ends at its
//! next send (the channel is gone). It holds nothing but the source and a buffer; at the end of
//! the process it simply goes with it.

use crate::input::READ_CHUNK;
use std::fs::File;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How a watched read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The source reached its end.
    End,
    /// The callback broke.
    Stopped,
    /// No byte arrived for the idle timeout.
    Idle,
    /// The deadline passed.
    Deadline,
}

enum Msg {
    Data(Vec<u8>),
    End,
    Failed(io::Error),
}

/// Chunks in flight between the reading thread and the caller.
const IN_FLIGHT: usize = 2;

/// The reading thread: opens `path` (`-` is stdin) and sends what it reads.
fn spawn_reader(
    path: &Path,
    tx: mpsc::SyncSender<Msg>,
    free: mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let path = path.to_path_buf();
    std::thread::Builder::new()
        .name("epgdump-read".into())
        .spawn(move || {
            let run = || -> io::Result<()> {
                let mut source: Box<dyn Read> = if path.as_os_str() == "-" {
                    Box::new(io::stdin())
                } else {
                    Box::new(File::open(&path)?)
                };
                loop {
                    let mut buf = free.try_recv().unwrap_or_default();
                    buf.resize(READ_CHUNK, 0);
                    let n = loop {
                        match source.read(&mut buf) {
                            Ok(n) => break n,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                            Err(e) => return Err(e),
                        }
                    };
                    if n == 0 {
                        let _ = tx.send(Msg::End);
                        return Ok(());
                    }
                    buf.truncate(n);
                    if tx.send(Msg::Data(buf)).is_err() {
                        return Ok(()); // the caller stopped reading
                    }
                }
            };
            if let Err(e) = run() {
                let _ = tx.send(Msg::Failed(e));
            }
        })?;
    Ok(())
}

/// Reads `path` (`-` is stdin) chunk by chunk into `f` until its end, until `f` breaks, until
/// no byte arrived for `idle`, or until `deadline`. Returns how it ended.
///
/// # Errors
/// An error opening or reading the source.
pub(crate) fn read_watched(
    path: &Path,
    idle: Option<Duration>,
    deadline: Option<Instant>,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> io::Result<Ended> {
    let (tx, rx) = mpsc::sync_channel(IN_FLIGHT);
    let (free_tx, free_rx) = mpsc::channel();
    spawn_reader(path, tx, free_rx)?;
    let mut last_data = Instant::now();
    loop {
        let idle_at = idle.and_then(|d| last_data.checked_add(d));
        let wake = match (idle_at, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let msg = match wake {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(t) => rx.recv_timeout(t.saturating_duration_since(Instant::now())),
        };
        match msg {
            Ok(Msg::Data(buf)) => {
                last_data = Instant::now();
                let flow = f(&buf);
                let _ = free_tx.send(buf);
                if flow.is_break() {
                    return Ok(Ended::Stopped);
                }
            }
            Ok(Msg::End) => return Ok(Ended::End),
            Ok(Msg::Failed(e)) => return Err(e),
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                if deadline.is_some_and(|d| now >= d) {
                    return Ok(Ended::Deadline);
                }
                if idle_at.is_some_and(|t| now >= t) {
                    return Ok(Ended::Idle);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other("the reading thread ended without a word"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_and_a_break_stops() {
        let dir = std::env::temp_dir().join(format!("epgdump-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.bin");
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut got = Vec::new();
        let ended = read_watched(&path, None, None, |c| {
            got.extend_from_slice(c);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(ended, Ended::End);
        assert_eq!(got, data);
        let ended = read_watched(&path, None, None, |_| ControlFlow::Break(())).unwrap();
        assert_eq!(ended, Ended::Stopped);
        assert!(
            read_watched(&dir.join("missing"), None, None, |_| ControlFlow::Continue(
                ()
            ))
            .is_err()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
