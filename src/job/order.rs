//! The order in which several inputs are read: by stream time, so that what a later recording
//! says supersedes what an earlier one said, whatever the order on the command line.
//!
//! Each input's first stream clock is its first TDT (0x70) or TOT (0x73) on PID 0x0014 (ARIB
//! STD-B10 5.2.8/5.2.9, EN 300 468 5.2.5/5.2.6), found by a pre-scan of the head of the file
//! that reads only that PID and stops at the first clock, or after [`CLOCK_SCAN_LIMIT`] bytes
//! (broadcasters send one every 5–30 s: ARIB TR-B14 asks for the TOT at least every 30 s, and
//! 256 MiB is over 30 s of even a full 52 Mbit/s BS transponder). The file is then in the page
//! cache for the real read.
//!
//! Inputs with a clock come first, in clock order (equal clocks keep argument order). Inputs
//! without one follow in argument order: a pipe or stdin (which cannot be pre-scanned, and is
//! live, so the newest of all), a file without a clock in its head, and inputs that cannot be
//! opened (they fail when read and contribute nothing).

use crate::psi::Section;
use crate::reader::{SectionSink, TsReader};
use crate::si::Tot;
use crate::stats::Stats;
use crate::ts::{Pid, PidSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Bytes of a file's head scanned at most for its first clock.
pub const CLOCK_SCAN_LIMIT: u64 = 256 << 20;

/// The time of a TDT/TOT section as zone-less seconds (the civil time as broadcast: JST for
/// ISDB, UTC for DVB), so the clocks of one system compare.
pub(crate) fn clock_seconds(section: &[u8]) -> Option<i64> {
    let t = Tot::parse(section).ok()?.time().ok()??;
    Some(t.to_unix(0))
}

struct FirstClock(Option<i64>);

impl SectionSink for FirstClock {
    fn section(&mut self, _pid: Pid, section: Section<'_>, _stats: &mut Stats) {
        if self.0.is_none() {
            self.0 = clock_seconds(section.bytes());
        }
    }
}

/// The first stream clock of the regular file at `path`, as zone-less seconds (the civil time
/// as broadcast, so clocks of one system compare); `None` for anything that is not a regular
/// file, cannot be read, or has no clock in its first `limit` bytes.
pub fn first_clock(path: &Path, limit: u64) -> Option<i64> {
    if path.as_os_str() == "-" || !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut reader = TsReader::with_pids(FirstClock(None), &PidSet::new([Pid::TOT]));
    let mut scanned = 0u64;
    let mut stopped = false;
    let _ = crate::input::for_each_chunk(path, |chunk| {
        for piece in chunk.chunks(64 << 10) {
            reader.push(piece);
            scanned += piece.len() as u64;
            if reader.sink().0.is_some() || scanned >= limit {
                stopped = true;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    let (clock, _) = if stopped {
        reader.finish_early()
    } else {
        reader.finish() // the end of a short file may still hold its only clock
    };
    clock.0
}

/// The reading order of `inputs` (see the module docs): (argument index, first clock) pairs.
pub fn reading_order(inputs: &[PathBuf]) -> Vec<(usize, Option<i64>)> {
    let mut order: Vec<(usize, Option<i64>)> = inputs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let clock = if inputs.len() > 1 {
                first_clock(p, CLOCK_SCAN_LIMIT)
            } else {
                None
            };
            (i, clock)
        })
        .collect();
    // Stable: clocked inputs by clock, then the others, each keeping argument order.
    order.sort_by_key(|&(_, clock)| (clock.is_none(), clock));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::{frame, Packetizer};

    fn tot_stream(mjd: u16, hour: u8) -> Vec<u8> {
        let tdt =
            crate::testsupport::si_build::tdt(crate::testsupport::start_time(mjd, hour, 0, 0));
        frame(&Packetizer::new(0x14).pack(&[tdt]), 188)
    }

    #[test]
    fn inputs_are_ordered_by_first_clock_then_unclocked_in_argument_order() {
        let dir = std::env::temp_dir().join(format!("epgdump-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let late = dir.join("late.ts");
        let early = dir.join("early.ts");
        let none = dir.join("none.ts");
        std::fs::write(&late, tot_stream(60401, 12)).unwrap();
        std::fs::write(&early, tot_stream(60401, 9)).unwrap();
        std::fs::write(&none, vec![0u8; 1000]).unwrap();
        let inputs = vec![
            none.clone(),
            late.clone(),
            PathBuf::from("-"),
            early.clone(),
            dir.join("missing.ts"),
        ];
        let order: Vec<usize> = reading_order(&inputs).iter().map(|(i, _)| *i).collect();
        assert_eq!(order, vec![3, 1, 0, 2, 4]);
        assert_eq!(
            first_clock(&late, CLOCK_SCAN_LIMIT).unwrap() - first_clock(&early, 1 << 20).unwrap(),
            3 * 3600
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
