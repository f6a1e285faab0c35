//! Where every programme box goes: the geometry of the grid, computed before any markup is
//! written.
//!
//! Times are the broadcast's civil times (the model's `local`, i.e. +09:00 for ISDB, UTC for
//! DVB) counted in seconds, so a day of the grid is a calendar day of the stream's own offset.
//!
//! - An event is drawn from its start for its duration, at most [`MAX_DRAWN`] (longer ones are
//!   drawn shortened and marked). An undefined duration is drawn to the next start of the same
//!   channel (within the same bound), or [`OPEN_DEFAULT`] when nothing follows, and marked.
//! - A drawn interval is cut at midnights into pieces, one per calendar day it touches (at most
//!   three); the first piece is the programme's box, the others are continuations.
//! - Events of one channel whose drawn intervals overlap (a broadcaster may send them) are put
//!   side by side in lanes: a cluster of transitively overlapping events shares its lane count.
//! - A day spans the whole hours its pieces cover, not necessarily 00:00–24:00.
//!
//! Everything here is linear (lane search is a heap) and bounded by the number of events, so a
//! hostile model (10,000 events at one instant, starts centuries apart) costs no more than its
//! size.

use crate::epg::{Event, Service};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Seconds in a day.
pub(super) const DAY: i64 = 86_400;
/// Seconds in an hour.
const HOUR: i64 = 3_600;
/// The longest box drawn: 48 hours, well past the longest real single events (about 27 hours
/// for a charity marathon); longer events are drawn this long and marked.
pub(super) const MAX_DRAWN: i64 = 48 * HOUR;
/// How long a box with an undefined duration is drawn when no programme of its channel follows.
pub(super) const OPEN_DEFAULT: i64 = 30 * 60;

/// How a programme's box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extent {
    /// Start to end, as broadcast.
    Exact,
    /// Undefined duration: drawn to the next programme (or [`OPEN_DEFAULT`]).
    Open,
    /// Longer than [`MAX_DRAWN`]: drawn shortened.
    Shortened,
}

/// One piece of a programme inside one day.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece<'a> {
    /// Day number (days since 1970-01-01 in the broadcast's civil time).
    pub day: i64,
    /// Index of the channel among the written services.
    pub channel: usize,
    /// The event.
    pub event: &'a Event,
    /// Seconds after midnight where this piece starts.
    pub top: i64,
    /// Seconds this piece lasts (may be 0).
    pub len: i64,
    /// Lane of the event within its overlap cluster, and the cluster's lane count.
    pub lane: u32,
    /// Lanes of the cluster (1 when nothing overlaps).
    pub lanes: u32,
    /// The first piece (the programme box); later pieces continue it on the next days.
    pub first: bool,
    /// Another piece follows on the next day.
    pub continues: bool,
    /// How the whole box is drawn.
    pub extent: Extent,
}

/// The span of one day of the grid, in seconds after midnight, on whole hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DaySpan {
    /// Day number.
    pub day: i64,
    /// First second shown.
    pub from: i64,
    /// End of the last hour shown.
    pub to: i64,
}

/// The whole grid.
#[derive(Debug, Default)]
pub(super) struct Layout<'a> {
    /// Days in order.
    pub days: Vec<DaySpan>,
    /// Pieces ordered by (day, channel, top, lane).
    pub pieces: Vec<Piece<'a>>,
    /// Events with an undefined start, listed under the grid: (channel index, event).
    pub undated: Vec<(usize, &'a Event)>,
    /// Events drawn with an undefined duration.
    pub open: u64,
    /// Events drawn shortened.
    pub shortened: u64,
    /// Events with a defined start (one box each).
    pub boxes: u64,
    /// Events left out because they have no title.
    pub untitled: u64,
}

/// Civil seconds since 1970-01-01 of an event's start (its time as broadcast, offset ignored).
fn civil_start(e: &Event) -> Option<i64> {
    e.start.map(|s| s.local.to_unix(0))
}

/// One event's drawn interval before lanes and days.
#[derive(Debug, Clone, Copy)]
struct Drawn<'a> {
    event: &'a Event,
    start: i64,
    end: i64,
    extent: Extent,
}

/// The drawn intervals of one channel's timed events, sorted by (start, end).
fn drawn<'a>(service: &'a Service) -> Vec<Drawn<'a>> {
    let mut timed: Vec<(i64, &Event)> = service
        .events
        .iter()
        .filter(|e| !e.title.is_empty())
        .filter_map(|e| civil_start(e).map(|s| (s, e)))
        .collect();
    timed.sort_by_key(|&(s, e)| (s, e.event_id));
    let mut out = Vec::with_capacity(timed.len());
    // The next strictly later start of each event, found by walking back from the end: `later`
    // is the first start greater than the run of equal starts being walked.
    let mut next_later: Vec<Option<i64>> = vec![None; timed.len()];
    let mut later: Option<i64> = None;
    let mut previous: Option<i64> = None;
    for (i, &(s, _)) in timed.iter().enumerate().rev() {
        if previous.is_some_and(|p| p > s) {
            later = previous;
        }
        if let Some(slot) = next_later.get_mut(i) {
            *slot = later;
        }
        previous = Some(s);
    }
    for (&(start, event), next) in timed.iter().zip(next_later) {
        let (len, extent) = match event.duration {
            Some(d) if i64::from(d) > MAX_DRAWN => (MAX_DRAWN, Extent::Shortened),
            Some(d) => (i64::from(d), Extent::Exact),
            None => (
                next.map_or(OPEN_DEFAULT, |n| (n - start).min(MAX_DRAWN)),
                Extent::Open,
            ),
        };
        out.push(Drawn {
            event,
            start,
            end: start + len,
            extent,
        });
    }
    out.sort_by_key(|d| (d.start, d.end, d.event.event_id));
    out
}

/// Assigns lanes: returns (lane, lanes) for every drawn interval, in the same order. Lanes are
/// reused as soon as they are free (a heap of lane ends), and a cluster ends where no interval
/// of it is still running.
fn lanes(drawn: &[Drawn<'_>]) -> Vec<(u32, u32)> {
    let mut out = vec![(0u32, 1u32); drawn.len()];
    let mut free: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
    let mut cluster_start = 0usize;
    let mut cluster_end = i64::MIN;
    let mut cluster_lanes = 0u32;
    for (i, d) in drawn.iter().enumerate() {
        if d.start >= cluster_end && i > cluster_start {
            for slot in out.get_mut(cluster_start..i).into_iter().flatten() {
                slot.1 = cluster_lanes.max(1);
            }
            cluster_start = i;
            cluster_lanes = 0;
            free.clear();
        }
        let lane = match free.peek() {
            Some(&Reverse((end, lane))) if end <= d.start => {
                free.pop();
                lane
            }
            _ => {
                cluster_lanes += 1;
                cluster_lanes - 1
            }
        };
        free.push(Reverse((d.end, lane)));
        cluster_end = cluster_end.max(d.end);
        if let Some(slot) = out.get_mut(i) {
            slot.0 = lane;
        }
    }
    for slot in out.get_mut(cluster_start..).into_iter().flatten() {
        slot.1 = cluster_lanes.max(1);
    }
    out
}

/// Computes the grid of `services` (the selected services, in output order).
pub(super) fn layout<'a>(services: &[&'a Service]) -> Layout<'a> {
    let mut out = Layout::default();
    for (channel, service) in services.iter().enumerate() {
        for e in &service.events {
            // An untitled entry (a shared event whose main event is not in the stream) is no
            // programme, as in the other writers.
            if e.title.is_empty() {
                out.untitled += 1;
            } else if e.start.is_none() {
                out.undated.push((channel, e));
            }
        }
        let drawn = drawn(service);
        let lanes = lanes(&drawn);
        for (d, (lane, n)) in drawn.iter().zip(lanes) {
            out.boxes += 1;
            match d.extent {
                Extent::Open => out.open += 1,
                Extent::Shortened => out.shortened += 1,
                Extent::Exact => {}
            }
            let mut s = d.start;
            let mut first = true;
            loop {
                let day = s.div_euclid(DAY);
                let midnight = day * DAY;
                let piece_end = d.end.min(midnight + DAY);
                out.pieces.push(Piece {
                    day,
                    channel,
                    event: d.event,
                    top: s - midnight,
                    len: piece_end - s,
                    lane,
                    lanes: n,
                    first,
                    continues: piece_end < d.end,
                    extent: d.extent,
                });
                first = false;
                s = piece_end;
                if s >= d.end {
                    break;
                }
            }
        }
    }
    out.pieces
        .sort_by_key(|p| (p.day, p.channel, p.top, p.lane, !p.first));
    let mut days: Vec<DaySpan> = Vec::new();
    for p in &out.pieces {
        let from = p.top - p.top.rem_euclid(HOUR);
        let end = p.top + p.len;
        let to = (end + HOUR - 1) / HOUR * HOUR;
        match days.last_mut() {
            Some(d) if d.day == p.day => {
                d.from = d.from.min(from);
                d.to = d.to.max(to);
            }
            _ => days.push(DaySpan {
                day: p.day,
                from,
                to,
            }),
        }
    }
    for d in &mut days {
        d.to = d.to.max(d.from + HOUR).min(DAY);
    }
    out.days = days;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epg::model::{Completeness, SdtSource, Timestamp};
    use crate::si::time::CivilTime;

    fn ev(id: u16, hm: Option<(u8, u8)>, duration: Option<u32>) -> Event {
        Event {
            event_id: id,
            start: hm.map(|(hour, minute)| Timestamp {
                local: CivilTime {
                    year: 2024,
                    month: 4,
                    day: 1,
                    hour,
                    minute,
                    second: 0,
                },
                utc_offset: 9 * 3600,
            }),
            duration,
            title: format!("e{id}"),
            text: String::new(),
            extended: Vec::new(),
            extended_text: String::new(),
            genres: Vec::new(),
            video: None,
            audio: Vec::new(),
            series: None,
            event_group: Vec::new(),
            data_content: None,
            parental_rating: Vec::new(),
            free_ca_mode: false,
            running_status: 0,
            sources: Vec::new(),
            version_updated: false,
        }
    }

    fn svc(events: Vec<Event>) -> Service {
        Service {
            onid: 4,
            tsid: 0x4010,
            sid: 101,
            name: String::new(),
            provider: String::new(),
            service_type: None,
            sdt: SdtSource::None,
            eit_schedule_flag: None,
            eit_present_following_flag: None,
            free_ca_mode: None,
            remote_control_key_id: None,
            events,
            completeness: Completeness::default(),
        }
    }

    /// (event_id, day offset from 2024-04-01, top, len, lane, lanes, first) of every piece.
    fn pieces(l: &Layout<'_>) -> Vec<(u16, i64, i64, i64, u32, u32, bool)> {
        let day0 = CivilTime {
            year: 2024,
            month: 4,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        }
        .to_unix(0)
            / DAY;
        l.pieces
            .iter()
            .map(|p| {
                (
                    p.event.event_id,
                    p.day - day0,
                    p.top,
                    p.len,
                    p.lane,
                    p.lanes,
                    p.first,
                )
            })
            .collect()
    }

    #[test]
    fn consecutive_programmes_are_one_lane_and_adjacent() {
        let s = svc(vec![
            ev(1, Some((4, 0)), Some(3600)),
            ev(2, Some((5, 0)), Some(1800)),
        ]);
        let l = layout(&[&s]);
        assert_eq!(
            pieces(&l),
            [
                (1, 0, 4 * 3600, 3600, 0, 1, true),
                (2, 0, 5 * 3600, 1800, 0, 1, true)
            ]
        );
        assert_eq!(l.days.len(), 1);
        assert_eq!((l.days[0].from, l.days[0].to), (4 * 3600, 6 * 3600));
    }

    #[test]
    fn overlaps_go_side_by_side_and_lanes_are_reused() {
        // 1: 04:00-06:00, 2: 04:30-05:00, 3: 05:00-05:30 (reuses lane 1), 4: 07:00 alone.
        let s = svc(vec![
            ev(1, Some((4, 0)), Some(7200)),
            ev(2, Some((4, 30)), Some(1800)),
            ev(3, Some((5, 0)), Some(1800)),
            ev(4, Some((7, 0)), Some(600)),
        ]);
        let l = layout(&[&s]);
        let p: Vec<_> = pieces(&l).iter().map(|p| (p.0, p.4, p.5)).collect();
        assert_eq!(p, [(1, 0, 2), (2, 1, 2), (3, 1, 2), (4, 0, 1)]);
    }

    #[test]
    fn identical_events_get_two_lanes() {
        let s = svc(vec![
            ev(1, Some((4, 0)), Some(3600)),
            ev(2, Some((4, 0)), Some(3600)),
        ]);
        let l = layout(&[&s]);
        let p: Vec<_> = pieces(&l).iter().map(|p| (p.0, p.4, p.5)).collect();
        assert_eq!(p, [(1, 0, 2), (2, 1, 2)]);
    }

    #[test]
    fn midnight_splits_into_a_continuation() {
        let s = svc(vec![ev(1, Some((23, 30)), Some(3600))]);
        let l = layout(&[&s]);
        assert_eq!(
            pieces(&l),
            [
                (1, 0, 23 * 3600 + 1800, 1800, 0, 1, true),
                (1, 1, 0, 1800, 0, 1, false)
            ]
        );
        assert!(l.pieces[0].continues && !l.pieces[1].continues);
        assert_eq!(l.days.len(), 2);
        assert_eq!((l.days[0].from, l.days[0].to), (23 * 3600, DAY));
        assert_eq!((l.days[1].from, l.days[1].to), (0, 3600));
    }

    #[test]
    fn undefined_duration_runs_to_the_next_start_or_a_default() {
        let s = svc(vec![
            ev(1, Some((4, 0)), None),
            ev(2, Some((4, 0)), Some(600)),
            ev(3, Some((4, 45)), None),
        ]);
        let l = layout(&[&s]);
        let p: Vec<_> = pieces(&l).iter().map(|p| (p.0, p.3)).collect();
        // Event 1 runs to 04:45 (the next strictly later start); 3 has nothing after it.
        assert_eq!(p, [(2, 600), (1, 2700), (3, OPEN_DEFAULT)]);
        assert_eq!(l.open, 2);
        assert!(l
            .pieces
            .iter()
            .all(|p| (p.extent == Extent::Open) == (p.event.duration.is_none())));
    }

    #[test]
    fn very_long_events_are_drawn_shortened_in_at_most_three_pieces() {
        let s = svc(vec![ev(1, Some((12, 0)), Some(0xFF_FFFF))]);
        let l = layout(&[&s]);
        assert_eq!(l.shortened, 1);
        assert_eq!(l.pieces.len(), 3);
        assert_eq!(l.pieces.iter().map(|p| p.len).sum::<i64>(), MAX_DRAWN);
    }

    #[test]
    fn undefined_starts_are_listed_not_drawn() {
        let s = svc(vec![ev(1, None, Some(600)), ev(2, Some((4, 0)), Some(60))]);
        let l = layout(&[&s]);
        assert_eq!(l.undated.len(), 1);
        assert_eq!(l.boxes, 1);
        assert_eq!(l.pieces.len(), 1);
    }

    #[test]
    fn zero_length_events_still_get_an_hour_of_day() {
        let s = svc(vec![ev(1, Some((4, 0)), Some(0))]);
        let l = layout(&[&s]);
        assert_eq!(l.pieces[0].len, 0);
        assert_eq!((l.days[0].from, l.days[0].to), (4 * 3600, 5 * 3600));
    }

    #[test]
    fn many_simultaneous_events_are_linear() {
        let events: Vec<Event> = (0..20_000u16)
            .map(|i| ev(i, Some((4, 0)), Some(3600)))
            .collect();
        let s = svc(events);
        let l = layout(&[&s]);
        assert_eq!(l.pieces.len(), 20_000);
        assert!(l.pieces.iter().all(|p| p.lanes == 20_000));
    }
}
