//! The job API: reading one or several inputs into one guide, with the early stops and limits a
//! recorder needs, and a per-input account of what happened. The CLI is a thin layer over it.
//!
//! ```no_run
//! use epgdump::job::{dump, DumpOptions};
//! let outcome = dump(&["a.ts".into(), "b.ts".into()], &DumpOptions::default(), &mut |_| {});
//! for input in &outcome.inputs {
//!     if let Some(e) = &input.error {
//!         eprintln!("{e}");
//!     }
//! }
//! println!("{} services", outcome.epg.services.len());
//! ```
//!
//! Rules:
//! - **Several inputs are read one after the other into one and the same [`Collector`]**, in
//!   stream-time order ([`order`]): one [`TsReader`](crate::reader::TsReader) per input, the collector handed from each to
//!   the next, and [`Collector::finish`] once at the end. The collector's rules (newest version
//!   wins, withdrawals) therefore apply across files exactly as in one continuous stream. The
//!   counters of all inputs are summed.
//! - **A bad input is skipped, not fatal**: a missing, unreadable or non-TS input is reported in
//!   its [`InputReport`] and contributes nothing; one that fails part-way (a read error, a file
//!   that shrinks) keeps what was read before. [`Outcome::any_input_read`] tells whether there is
//!   a guide at all.
//! - **Never endless without packets**: the input is watched in blocks of [`NOT_TS_PROBE`]
//!   bytes; a block without a transport packet lock (packets covering less than 1 % of it) stops
//!   the input. Without any valid section before, it is reported as not a transport stream
//!   (`/dev/zero`, `/dev/urandom` end at 64 MiB); after some, as [`Error::LostSync`], and the
//!   guide keeps what was read (`cat rec.ts /dev/zero`, a recording with a long garbage tail).
//! - **`until_complete`** stops an input as soon as every schedule it announces is complete.
//!   A regular file (memory-mapped) is then read at its tail too, and the middle skipped: the
//!   guide of the whole file at a fraction of the I/O ([`head_tail`]). Streams stop there.
//!   With several inputs, completeness is judged per input (by a second collector that sees only
//!   that input): a later input is read until it has delivered its own complete cycle, so its
//!   newer versions are never skipped because the guide was already complete after the first.
//! - **`time_limit`** stops each input after that long in stream time (its own TOT/TDT clock) or
//!   in wall time, whichever comes first; wall time is enforced even while a read blocks.
//! - **`idle_timeout`** stops an input when no byte arrived for that long. [`IdleTimeout::Auto`]
//!   (the default) is off for regular files and [`PIPE_IDLE_TIMEOUT`] for everything else.
//!   Streams, and files with an explicit idle timeout, are read by a watchdog thread
//!   (`job/stream.rs`); regular files are otherwise memory-mapped ([`crate::input`]).
//! - An input stopped early (complete, a limit) ends with [`TsReader::finish_early`](crate::reader::TsReader::finish_early): the packet
//!   and sections cut by the stop were not read and are not counted as dropped or truncated.

pub mod head_tail;
pub mod order;
pub mod process;
mod read;
pub mod status;
pub(crate) mod stream;

use crate::epg::{Collector, CollectorOptions, Epg};
use crate::error::Error;
use crate::psi::Section;
use crate::reader::SectionSink;
use crate::stats::Stats;
use crate::ts::{Pid, PidSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use status::ExitStatus;

/// Bytes without a transport packet lock after which an input is given up: as not a transport
/// stream when it is the head (ISO/IEC 13818-1 packets come every 188–204 bytes: 64 MiB is
/// 350 000 of them), as having lost sync later on.
pub const NOT_TS_PROBE: u64 = 64 << 20;

/// The idle timeout of streams (pipes, FIFOs, devices, stdin) unless one is given: a tuner
/// delivers bytes continuously (even one service of ISDB-T is well over 100 packets a second),
/// tuning and locking take seconds, so two minutes of silence means the source is gone, while
/// still leaving slow starters (a tuner being opened, a decoder starting) plenty of room.
pub const PIPE_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Bytes handed to the reader at a time, so stops and limits are checked often.
const PUSH_CHUNK: usize = 1 << 20;

/// When an input is stopped for lack of data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdleTimeout {
    /// Off for regular files, [`PIPE_IDLE_TIMEOUT`] for anything else.
    #[default]
    Auto,
    /// Never.
    Off,
    /// After this long without a byte, for every input.
    After(Duration),
}

/// What to read and when to stop.
#[derive(Debug, Clone)]
pub struct DumpOptions {
    /// Options of the collector.
    pub collector: CollectorOptions,
    /// The PIDs to read sections from.
    pub pids: PidSet,
    /// Stop each input as soon as every schedule it announces is complete.
    pub until_complete: bool,
    /// Stop each input after this long, in stream time or wall time, whichever comes first.
    pub time_limit: Option<Duration>,
    /// Stop an input when no byte arrives for this long.
    pub idle_timeout: IdleTimeout,
    /// `until_complete` on a regular file: the shortest tail read ([`head_tail::MIN_TAIL`] by
    /// default; tests lower it to read small files in parts).
    pub min_tail: u64,
}

impl Default for DumpOptions {
    fn default() -> Self {
        DumpOptions {
            collector: CollectorOptions::default(),
            pids: PidSet::epg(),
            until_complete: false,
            time_limit: None,
            idle_timeout: IdleTimeout::Auto,
            min_tail: head_tail::MIN_TAIL,
        }
    }
}

/// Why the reading of an input stopped, when it was not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The end of the input.
    End,
    /// `until_complete`: every schedule the input announces is complete.
    Complete,
    /// The time limit (stream or wall time).
    TimeLimit,
    /// No byte arrived for the idle timeout.
    IdleTimeout(Duration),
}

/// What happened to one input.
#[derive(Debug)]
pub struct InputReport {
    /// The input as given.
    pub path: PathBuf,
    /// Its position among the inputs as given (0-based).
    pub position: usize,
    /// Its first stream clock found by the pre-scan (zone-less seconds), when there were several
    /// inputs and it had one.
    pub first_clock: Option<i64>,
    /// Bytes read.
    pub bytes: u64,
    /// Transport packets read.
    pub packets: u64,
    /// How the reading stopped; `None` when it failed.
    pub stop: Option<Stop>,
    /// What went wrong, if anything. Data read before a failure is kept.
    pub error: Option<Error>,
    /// The byte ranges of the input that were read, in reading order: one from 0, or the head
    /// and the tail of a file read with `until_complete` ([`head_tail`]).
    pub read_ranges: Vec<std::ops::Range<u64>>,
}

impl InputReport {
    /// Whether something of this input went into the guide (it had transport packets).
    pub fn contributed(&self) -> bool {
        self.packets > 0 && !matches!(self.error, Some(Error::NotTransportStream { .. }))
    }
}

/// Progress of a [`dump`], for progress bars.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The input being read.
    pub input: &'a Path,
    /// Bytes of this input read so far.
    pub input_bytes: u64,
    /// Bytes of all inputs read so far.
    pub total_bytes: u64,
}

/// The result of a [`dump`].
#[derive(Debug)]
pub struct Outcome {
    /// The guide (empty when nothing could be read).
    pub epg: Epg,
    /// The counters of every input, summed, with the model counters of the guide.
    pub stats: Stats,
    /// One report per input, in the order they were read.
    pub inputs: Vec<InputReport>,
    /// Whether every announced schedule was complete at the end ([`Collector::is_complete`]).
    pub complete: bool,
    /// Whether `until_complete` was asked for.
    pub until_complete: bool,
}

/// The sink of one input: the collector of the whole job, the input's own completeness probe
/// (several inputs with `until_complete`) and the input's stream clock.
struct InputSink {
    collector: Collector,
    probe: Option<(Collector, Stats)>,
    clock: Option<(i64, i64)>,
}

impl SectionSink for InputSink {
    fn section(&mut self, pid: Pid, section: Section<'_>, stats: &mut Stats) {
        if pid == Pid::TOT {
            if let Some(t) = order::clock_seconds(section.bytes()) {
                let (first, _) = self.clock.unwrap_or((t, t));
                self.clock = Some((first, t));
            }
        }
        if let Some((probe, scratch)) = &mut self.probe {
            probe.add_section(section.bytes(), scratch);
        }
        self.collector.add_section(section.bytes(), stats);
    }
}

impl InputSink {
    fn complete(&self) -> bool {
        match &self.probe {
            Some((probe, _)) => probe.is_complete(),
            None => self.collector.is_complete(),
        }
    }

    /// The services whose EIT this input's completeness is judged on.
    fn eit_services(&self) -> std::collections::BTreeSet<(u16, u16, u16)> {
        match &self.probe {
            Some((probe, _)) => probe.completeness().into_keys().collect(),
            None => self.collector.completeness().into_keys().collect(),
        }
    }

    fn stream_seconds(&self) -> u64 {
        self.clock
            .map_or(0, |(first, last)| u64::try_from(last - first).unwrap_or(0))
    }
}

/// Reads `inputs` (`-` is stdin) into one guide; see the module docs for the rules. Never
/// fails as a whole: each input's fate is in [`Outcome::inputs`].
pub fn dump(
    inputs: &[PathBuf],
    opts: &DumpOptions,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Outcome {
    let mut collector = Collector::new(opts.collector);
    let mut stats = Stats::default();
    let mut reports = Vec::with_capacity(inputs.len());
    let mut total_bytes = 0u64;
    for (read_index, (position, first_clock)) in
        order::reading_order(inputs).into_iter().enumerate()
    {
        let Some(path) = inputs.get(position) else {
            continue;
        };
        if read_index > 0 {
            // Until this input's first TOT/TDT the previous input's clock is stale.
            collector.begin_input();
        }
        let probe = (opts.until_complete && read_index > 0)
            .then(|| (Collector::new(opts.collector), Stats::default()));
        let sink = InputSink {
            collector,
            probe,
            clock: None,
        };
        let (sink, mut input_stats, mut report) =
            read::read_input(path, sink, opts, &mut total_bytes, progress);
        for r in &mut input_stats.read_ranges {
            r.input = position;
        }
        collector = sink.collector;
        report.position = position;
        report.first_clock = first_clock;
        stats.merge(&input_stats);
        reports.push(report);
    }
    let complete = collector.is_complete();
    let epg = collector.finish(&mut stats);
    Outcome {
        epg,
        stats,
        inputs: reports,
        complete,
        until_complete: opts.until_complete,
    }
}

/// Whether `path` names a regular file (stdin never counts: it is read as a stream).
fn is_regular_file(path: &Path) -> bool {
    path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_input_among_good_ones_is_skipped() {
        let dir = std::env::temp_dir().join(format!("epgdump-job-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.ts");
        std::fs::write(&good, crate::testsupport::sample_bs_stream()).unwrap();
        let inputs = vec![dir.join("missing.ts"), good.clone()];
        let o = dump(&inputs, &DumpOptions::default(), &mut |_| {});
        assert!(o.any_input_read());
        assert_eq!(o.stats.si.events, 56);
        assert_eq!(o.inputs.len(), 2);
        let missing = o.inputs.iter().find(|r| r.position == 0).unwrap();
        assert!(matches!(missing.error, Some(Error::Input { .. })));
        assert!(!missing.contributed());
        let good_report = o.inputs.iter().find(|r| r.position == 1).unwrap();
        assert_eq!(good_report.stop, Some(Stop::End));
        assert!(good_report.first_clock.is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
