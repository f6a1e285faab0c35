//! Reading one input into its sink: the push loop with its stops (complete, limits, no packet
//! lock) and the account of how it ended. `until_complete` on a regular file goes on with the
//! tail ([`super::head_tail`]).

use super::{
    head_tail, is_regular_file, stream, DumpOptions, IdleTimeout, InputReport, InputSink, Progress,
    Stop, NOT_TS_PROBE, PIPE_IDLE_TIMEOUT, PUSH_CHUNK,
};
use crate::error::Error;
use crate::reader::TsReader;
use crate::stats::Stats;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

/// Where progress goes: the input, the job's byte total and the caller's callback.
pub(super) struct Ctx<'a> {
    pub(super) path: &'a Path,
    pub(super) total_bytes: &'a mut u64,
    pub(super) progress: &'a mut dyn FnMut(&Progress<'_>),
    pub(super) opts: &'a DumpOptions,
    pub(super) started: Instant,
}

/// One reader over one contiguous part of an input, with its stops.
pub(super) struct Feed {
    pub(super) reader: TsReader<InputSink>,
    /// The input offset of the first byte pushed.
    pub(super) base: u64,
    /// Bytes of this input pushed by earlier parts (for progress).
    pub(super) earlier: u64,
    /// Bytes pushed.
    pub(super) bytes: u64,
    pub(super) stop: Option<Stop>,
    /// Whether completeness stops the reading.
    pub(super) stop_when_complete: bool,
    not_ts: bool,
    lost_sync: Option<u64>,
    block_packets: u64,
}

impl Feed {
    pub(super) fn new(
        sink: InputSink,
        opts: &DumpOptions,
        base: u64,
        stop_when_complete: bool,
    ) -> Feed {
        Feed {
            reader: TsReader::with_pids(sink, &opts.pids),
            base,
            earlier: 0,
            bytes: 0,
            stop: None,
            stop_when_complete,
            not_ts: false,
            lost_sync: None,
            block_packets: 0,
        }
    }

    /// Whether the part stopped for lack of a packet lock.
    pub(super) fn lost(&self) -> bool {
        self.not_ts || self.lost_sync.is_some()
    }

    /// Pushes `chunk`; breaks on a stop.
    pub(super) fn deliver(&mut self, chunk: &[u8], ctx: &mut Ctx<'_>) -> ControlFlow<()> {
        for piece in chunk.chunks(PUSH_CHUNK) {
            let before = self.bytes;
            self.reader.push(piece);
            self.bytes += piece.len() as u64;
            *ctx.total_bytes += piece.len() as u64;
            (ctx.progress)(&Progress {
                input: ctx.path,
                input_bytes: self.earlier + self.bytes,
                total_bytes: *ctx.total_bytes,
            });
            if before / NOT_TS_PROBE != self.bytes / NOT_TS_PROBE {
                // A block of NOT_TS_PROBE bytes is done: did it hold a packet lock?
                let packets = self.reader.packets();
                let in_block = packets - self.block_packets;
                self.block_packets = packets;
                if in_block.saturating_mul(188) < NOT_TS_PROBE / 100 {
                    if self.base == 0 && self.reader.stats().sections.ok == 0 {
                        self.not_ts = true;
                    } else {
                        self.lost_sync = Some(
                            self.base + self.bytes / NOT_TS_PROBE * NOT_TS_PROBE - NOT_TS_PROBE,
                        );
                    }
                    return ControlFlow::Break(());
                }
            }
            let sink = self.reader.sink();
            if self.stop_when_complete && sink.complete() {
                self.stop = Some(Stop::Complete);
                return ControlFlow::Break(());
            }
            if let Some(limit) = ctx.opts.time_limit {
                if sink.stream_seconds() >= limit.as_secs() || ctx.started.elapsed() >= limit {
                    self.stop = Some(Stop::TimeLimit);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// Reads one input into `sink`.
pub(super) fn read_input(
    path: &Path,
    sink: InputSink,
    opts: &DumpOptions,
    total_bytes: &mut u64,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> (InputSink, Stats, InputReport) {
    let regular = is_regular_file(path);
    let idle = match opts.idle_timeout {
        IdleTimeout::Auto if regular => None,
        IdleTimeout::Auto => Some(PIPE_IDLE_TIMEOUT),
        IdleTimeout::Off => None,
        IdleTimeout::After(d) => Some(d),
    };
    let started = Instant::now();
    let deadline = opts.time_limit.and_then(|d| started.checked_add(d));
    let mut feed = Feed::new(sink, opts, 0, opts.until_complete);
    let mut ctx = Ctx {
        path,
        total_bytes,
        progress,
        opts,
        started,
    };
    let result = if regular && idle.is_none() {
        let deliver = |c: &[u8]| feed.deliver(c, &mut ctx);
        let result = if opts.until_complete {
            // The head stops anywhere: read ahead no further than needed.
            crate::input::for_each_chunk_bounded(path, deliver)
        } else {
            crate::input::for_each_chunk(path, deliver)
        }
        .map(|_| ());
        if opts.until_complete && result.is_ok() && feed.stop == Some(Stop::Complete) {
            return head_tail::read_tail(feed, &mut ctx);
        }
        result
    } else {
        let ended = stream::read_watched(path, idle, deadline, |c| feed.deliver(c, &mut ctx));
        ended.map(|ended| match ended {
            stream::Ended::Deadline => feed.stop = Some(Stop::TimeLimit),
            stream::Ended::Idle => feed.stop = idle.map(Stop::IdleTimeout),
            stream::Ended::End | stream::Ended::Stopped => {}
        })
    };
    conclude(path, feed, result, None)
}

/// Ends the reading of `feed` (the last part of the input; `earlier` holds the counters of the
/// parts before it) and gives the account of the input.
pub(super) fn conclude(
    path: &Path,
    feed: Feed,
    result: std::io::Result<()>,
    earlier: Option<Stats>,
) -> (InputSink, Stats, InputReport) {
    let read = feed.base..feed.base + feed.bytes;
    let Feed {
        reader,
        mut stop,
        not_ts,
        lost_sync,
        ..
    } = feed;
    let mut error = result.err().map(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    });
    if let Some(from) = lost_sync {
        error = Some(Error::LostSync {
            path: path.to_path_buf(),
            from,
            bytes: NOT_TS_PROBE,
        });
    }
    if not_ts || lost_sync.is_some() {
        stop = None;
    }
    let (sink, part_stats) = match (stop, &error) {
        (Some(_), None) => reader.finish_early(),
        _ if not_ts || lost_sync.is_some() => reader.finish_early(),
        _ => reader.finish(),
    };
    let stats = match earlier {
        Some(mut all) => {
            all.merge(&part_stats);
            all
        }
        None => part_stats,
    };
    if error.is_none() && stats.packets == 0 && !not_ts {
        // Stopped by a limit before the first packet: say so rather than "not a TS".
        let waited = match stop {
            Some(Stop::IdleTimeout(d)) => Some(format!("no data arrived for {} s", d.as_secs())),
            Some(Stop::TimeLimit) => Some("no transport packet within the time limit".into()),
            _ => None,
        };
        if let Some(msg) = waited {
            error = Some(Error::Input {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::TimedOut, msg),
            });
        }
    }
    if error.is_none() && (not_ts || stats.packets == 0) {
        error = Some(Error::NotTransportStream {
            path: path.to_path_buf(),
            bytes: stats.bytes,
        });
    }
    if error.is_none() && stop.is_none() {
        stop = Some(Stop::End);
    }
    if error.is_some() {
        stop = None;
    }
    let report = InputReport {
        path: path.to_path_buf(),
        position: 0,
        first_clock: None,
        bytes: stats.bytes,
        packets: stats.packets,
        stop,
        error,
        read_ranges: vec![read],
    };
    (sink, stats, report)
}
