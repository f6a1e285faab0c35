//! Exit statuses and the judgement of an [`Outcome`]: which inputs failed, whether the guide is
//! incomplete or capped. Nothing refused, capped or cut short is silent: each gives one line for
//! stderr and a status a script can test.

use super::{InputReport, Outcome, Stop};
use crate::error::Error;
use crate::stats::Stats;

/// The exit statuses of `epgdump-rs` (documented in the README and in `--help`). When several
/// apply, the first in this order wins: 4, 1, 2, 3, 5, 6, 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    /// 0: the guide was written, complete as far as asked.
    Success = 0,
    /// 1: no input could be read (missing, unreadable, not a transport stream); nothing written.
    InputFailed = 1,
    /// 2: bad command line, or an input that is the output file (refused before reading).
    Usage = 2,
    /// 3: no EPG in the inputs: a valid, empty document was still written.
    NoEpg = 3,
    /// 4: the output could not be written.
    OutputFailed = 4,
    /// 5: the guide was written, but some inputs failed (skipped, or cut short by an error).
    SomeInputsFailed = 5,
    /// 6: the guide was written, but it is incomplete (a limit stopped the reading before every
    /// schedule was complete) or capped (a memory cap refused events or services).
    Incomplete = 6,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Everything a cap refused, summed over the counters that record refusals. The one place to
/// add a new kind of refusal (a byte budget, say): "capped" is judged from this.
pub fn refused(stats: &Stats) -> u64 {
    stats
        .si
        .refused_by_cap
        .saturating_add(stats.si.refused_by_budget)
}

impl Outcome {
    /// Whether any input contributed packets: without one there is no guide to write.
    pub fn any_input_read(&self) -> bool {
        self.inputs.iter().any(InputReport::contributed)
    }

    /// The inputs that failed, in reading order.
    pub fn failed_inputs(&self) -> impl Iterator<Item = &InputReport> {
        self.inputs.iter().filter(|r| r.error.is_some())
    }

    /// One line per failed input, for stderr: the error, and whether the input was skipped or
    /// what was read of it kept.
    pub fn failure_lines(&self) -> Vec<String> {
        let several = self.inputs.len() > 1;
        self.failed_inputs()
            .filter_map(|r| {
                let e = r.error.as_ref()?;
                Some(match (r.contributed(), several, e) {
                    (true, _, _) => format!("{e}; the guide keeps what was read before"),
                    (false, true, _) => format!("{e}; input skipped"),
                    (false, false, _) => e.to_string(),
                })
            })
            .collect()
    }

    /// One line per input read in parts (`until_complete` on a regular file: the head and the
    /// tail, [`super::head_tail`]), for stderr: what was read and what was skipped. Not a
    /// failure: the exit status does not change.
    pub fn partial_read_lines(&self) -> Vec<String> {
        self.inputs
            .iter()
            .filter_map(|r| {
                let [head, tail] = r.read_ranges.as_slice() else {
                    return None;
                };
                Some(format!(
                    "{}: --until-complete read the head (bytes {}-{}) and the tail (bytes {}-{}); \
                     {} bytes in the middle skipped",
                    r.path.display(),
                    head.start,
                    head.end,
                    tail.start,
                    tail.end,
                    tail.start.saturating_sub(head.end)
                ))
            })
            .collect()
    }

    /// Why the guide is incomplete, when it is: a limit (time limit, idle timeout) stopped an
    /// input, or `until_complete` was asked for, and the schedules are not all complete.
    pub fn incomplete(&self) -> Option<String> {
        if self.complete {
            return None;
        }
        let limited: Vec<String> = self
            .inputs
            .iter()
            .filter_map(|r| {
                let why = match r.stop? {
                    Stop::TimeLimit => "stopped by the time limit".to_string(),
                    Stop::IdleTimeout(d) => format!("no data for {} s", d.as_secs()),
                    Stop::End | Stop::Complete => return None,
                };
                Some(format!("{}: {why}", r.path.display()))
            })
            .collect();
        if limited.is_empty() && !self.until_complete {
            return None;
        }
        let si = &self.stats.si;
        let progress = format!(
            "{} of {} services complete",
            si.services_complete,
            si.completeness.len()
        );
        Some(if limited.is_empty() {
            format!(
                "incomplete guide: the input ended before every schedule was complete ({progress})"
            )
        } else {
            format!(
                "incomplete guide: {} before every schedule was complete ({progress})",
                limited.join(", ")
            )
        })
    }

    /// What the caps refused, when they refused anything.
    pub fn capped(&self) -> Option<String> {
        let n = refused(&self.stats);
        (n > 0).then(|| {
            format!(
                "capped guide: {n} event(s) or service(s) refused by the memory caps \
                 (see refused_by_cap and refused_by_budget in --stats; --memory-budget MIB \
                 raises the byte budget)"
            )
        })
    }

    /// The exit status once the guide was written with `programmes` programmes (or was not to
    /// be written: `None`, for `--stats` alone). Nothing readable is [`ExitStatus::InputFailed`].
    pub fn exit_status(&self, programmes: Option<u64>) -> ExitStatus {
        if !self.any_input_read() {
            return ExitStatus::InputFailed;
        }
        if programmes == Some(0) {
            return ExitStatus::NoEpg;
        }
        if self.failed_inputs().next().is_some() {
            return ExitStatus::SomeInputsFailed;
        }
        if self.incomplete().is_some() || self.capped().is_some() {
            return ExitStatus::Incomplete;
        }
        ExitStatus::Success
    }
}

/// The exit status for a fatal error before or after reading.
pub fn status_of(error: &Error) -> ExitStatus {
    match error {
        Error::SameFile { .. } => ExitStatus::Usage,
        Error::Output { .. } => ExitStatus::OutputFailed,
        _ => ExitStatus::InputFailed,
    }
}
