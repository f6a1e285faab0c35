//! `until_complete` on a regular file: the head and the tail, not the middle.
//!
//! The guide of a recording repeats every cycle of the broadcaster's EIT, so reading all of a
//! 10 GB file for it is wasted I/O. What the whole file tells the collector is, per section, its
//! newest version (the last one received) plus what aired on the way. The head (from the start
//! until every announced schedule is complete, `B` bytes, as before) holds what aired first and
//! the full schedule; the tail (the last bytes of the file, holding a complete cycle) holds the
//! newest version of every section still broadcast. Read into one collector in that order, with
//! [`Collector::begin_input`] between them (the head's clock is stale until the tail's first
//! TOT/TDT), the version and withdrawal rules give the whole-file guide, except for what only the
//! skipped middle showed: an event present in p/f only there (an overrun, a programme inserted
//! and gone again), or a section updated there and gone before the tail.
//!
//! How long the tail is: first [`tail_start`] `max(B, MIN_TAIL)` bytes, where `B`, the bytes the
//! head needed to see every announced section once, is this stream's own measure of one full
//! cycle at its bitrate. That the tail really holds a complete cycle is then *checked*, not
//! assumed: it is read with a completeness probe of its own (a collector that sees only the
//! tail), which must be complete and must know every service whose EIT the head saw. If it is
//! not (a cycle that is longer at the end, a version update still in progress when the
//! recording stopped, a service whose EIT stopped in the middle), the tail is read again
//! from a collector saved after the head, [`TAIL_GROWTH`] times longer, until it holds a complete
//! cycle or would reach the head; then the middle is read too and the result is the whole file.
//! Re-reading a tail costs no disk I/O: its bytes are in the page cache from the try before.
//!
//! The tail starts on a packet boundary: a probe of its first bytes is synchronised as the
//! reader would ([`PacketSync`]), and the tail starts where that lock starts, so the cut costs
//! no dropped bytes (the reader's own sync would also find the first packet after a cut
//! mid-packet, and give the same guide, but count the bytes before it as dropped).
//!
//! I/O: only the windows of the two ranges are mapped. The head is read ahead by at most
//! [`crate::input::BOUNDED_AHEAD`] bytes ([`crate::input::for_each_chunk_bounded`]: no kernel
//! readahead, which is `read_ahead_kb`, often several MiB, past the stop), and asks for the
//! mirror image of each piece from the end of the file, the bytes the tail will read, so the
//! tail's disk reads overlap the head's work. The tail range is announced whole with
//! `POSIX_FADV_WILLNEED` ([`crate::input::for_each_chunk_in`]). The middle is never mapped,
//! faulted in or requested, beyond the head's bounded read-ahead.
//!
//! p/f is not sampled in the middle: what the head and tail cannot see is said in the README.

use super::read::{conclude, Ctx, Feed};
use super::{InputReport, InputSink, Stop};
use crate::epg::Collector;
use crate::stats::{ReadRanges, Stats};
use crate::ts::PacketSync;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// The shortest tail read, whatever the head needed: 8 MiB is about 2 s of a BS transponder
/// (~36 Mbit/s) and 4 s of a terrestrial one (~17 Mbit/s).
pub const MIN_TAIL: u64 = 8 << 20;

/// How much longer each new try of the tail is when the one before held no complete cycle.
pub const TAIL_GROWTH: u64 = 2;

/// Bytes of the tail's start synchronised to find its first packet.
const ALIGN_PROBE: usize = 64 << 10;

/// Where try `tries` (0 = the first) of the tail starts, for a file of `size` bytes whose
/// head needed `head` bytes: `max(head, min_tail) × TAIL_GROWTH^tries` bytes before the end
/// (before packet alignment).
pub fn tail_start(size: u64, head: u64, min_tail: u64, tries: u32) -> u64 {
    let growth = TAIL_GROWTH.saturating_pow(tries);
    size.saturating_sub(head.max(min_tail).saturating_mul(growth))
}

/// Goes on after the head `head` of the regular file `ctx.path` stopped complete: reads its
/// tail (see the module docs) and gives the account of the whole input.
pub(super) fn read_tail(mut head: Feed, ctx: &mut Ctx<'_>) -> (InputSink, Stats, InputReport) {
    let path = ctx.path;
    let head_end = head.bytes;
    let size = std::fs::metadata(path).map_or(head_end, |m| m.len());
    let head_services = head.reader.sink().eit_services();
    let mut tries = 0u32;
    loop {
        let start = tail_start(size, head_end, ctx.opts.min_tail, tries);
        let start = if start > head_end {
            aligned(path, start, size)
        } else {
            start
        };
        if start <= head_end {
            // The tail would reach the head: read the middle too, as one stream.
            head.stop = None;
            head.stop_when_complete = false;
            let result =
                crate::input::for_each_chunk_in(path, head_end..size, |c| head.deliver(c, ctx))
                    .map(|_| ());
            return conclude(path, head, result, None);
        }
        let mut collector = head.reader.sink().collector.clone();
        collector.begin_input();
        let sink = InputSink {
            collector,
            probe: Some((Collector::new(ctx.opts.collector), Stats::default())),
            clock: None,
        };
        let mut tail = Feed::new(sink, ctx.opts, start, false);
        tail.earlier = head_end;
        let result = crate::input::for_each_chunk_in(path, start..size, |c| tail.deliver(c, ctx))
            .map(|_| ());
        let whole_cycle = tail.reader.sink().complete()
            && tail
                .reader
                .sink()
                .eit_services()
                .is_superset(&head_services);
        if result.is_ok() && !whole_cycle && !tail.lost() && tail.stop.is_none() {
            tries += 1;
            continue;
        }
        let tail_end = start + tail.bytes;
        let (_, head_stats) = head.reader.finish_early();
        let (sink, mut stats, mut report) = conclude(path, tail, result, Some(head_stats));
        if report.stop == Some(Stop::End) {
            // The head stopped complete and the tail held a complete cycle.
            report.stop = Some(Stop::Complete);
        }
        let ranges: Vec<Range<u64>> = vec![0..head_end, start..tail_end];
        stats.read_ranges.push(ReadRanges {
            input: 0,
            size,
            ranges: ranges.iter().map(|r| [r.start, r.end]).collect(),
            skipped_bytes: start - head_end,
            tail_tries: tries + 1,
        });
        report.read_ranges = ranges;
        return (sink, stats, report);
    }
}

/// The offset at or after `at` where the reader's packet lock starts (a probe of the bytes
/// there synchronised like the reader), or `at` when the probe finds none.
fn aligned(path: &Path, at: u64, size: u64) -> u64 {
    let probe = || -> std::io::Result<Vec<u8>> {
        let mut f = std::fs::File::open(path)?;
        f.seek(SeekFrom::Start(at))?;
        let mut buf = Vec::with_capacity(ALIGN_PROBE);
        f.take(ALIGN_PROBE as u64).read_to_end(&mut buf)?;
        Ok(buf)
    };
    let Ok(buf) = probe() else {
        return at;
    };
    let mut sync = PacketSync::new();
    sync.push(&buf, |_| {});
    if sync.stride().is_none() {
        return at;
    }
    (at + sync.counters().dropped_bytes).min(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_is_the_longer_of_the_head_and_the_floor_and_doubles_per_try() {
        assert_eq!(tail_start(100 << 20, 30 << 20, MIN_TAIL, 0), 70 << 20);
        assert_eq!(tail_start(100 << 20, 1 << 20, MIN_TAIL, 0), 92 << 20);
        assert_eq!(tail_start(100 << 20, 1 << 20, MIN_TAIL, 2), 68 << 20);
        assert_eq!(tail_start(100 << 20, 30 << 20, MIN_TAIL, 2), 0);
        assert_eq!(tail_start(100, 30, 0, 60), 0, "saturates");
    }
}
