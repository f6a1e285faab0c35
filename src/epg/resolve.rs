//! Last touches on a service's events once every section is in: programmes kept from the past
//! give way to what the broadcaster announces now, overlaps the broadcaster itself sent are
//! counted, and shared events (ARIB STD-B10 6.2.34, group_type 1) take the main event's content.

use crate::epg::model::{Event, Service};
use std::collections::HashMap;

/// An event of one service on its way into the model.
pub(crate) struct Candidate {
    pub(crate) event: Event,
    /// A current section announces it.
    pub(crate) carried: bool,
    /// It was the present event of p/f: it aired, whatever overlaps it.
    pub(crate) was_present: bool,
}

/// What [`settle_service`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settled {
    /// Kept events (no longer announced, never present) left out because an announced
    /// programme now fills their time.
    pub(crate) superseded: u64,
    /// Kept events that were present, cut to end where the announced programme that follows
    /// them starts (their last data still had the end the broadcaster later changed).
    pub(crate) trimmed: u64,
    /// Programmes that start before an earlier one of the same service has ended, in what is
    /// left: the broadcaster's own data overlaps.
    pub(crate) overlaps: u64,
}

/// `(start, end)` in Unix seconds, when both are defined.
fn span(e: &Event) -> Option<(i64, i64)> {
    let start = e.start?.unix();
    Some((start, start + i64::from(e.duration?)))
}

/// Settles a service's events: a kept event (no current section announces it) yields to the
/// announced ones. One that never was present and overlaps an announced programme is left
/// out; one that was present is cut to end where the next announced programme starts. Then
/// the overlaps that remain, the broadcaster's own, are counted. Returns the events ordered as
/// the model wants them (by start, undefined starts last, then event_id).
pub(crate) fn settle_service(candidates: Vec<Candidate>) -> (Vec<Event>, Settled) {
    let mut settled = Settled::default();
    // Announced spans by start, with the running maximum of their ends.
    let mut spans: Vec<(i64, i64)> = candidates
        .iter()
        .filter(|c| c.carried)
        .filter_map(|c| span(&c.event))
        .collect();
    spans.sort_unstable();
    let mut max_end = Vec::with_capacity(spans.len());
    let mut running = i64::MIN;
    for &(_, end) in &spans {
        running = running.max(end);
        max_end.push(running);
    }
    let overlaps_announced = |(start, end): (i64, i64)| {
        let before = spans.partition_point(|&(s, _)| s < end);
        before
            .checked_sub(1)
            .and_then(|i| max_end.get(i))
            .is_some_and(|&m| m > start)
    };
    // The first announced start inside (start, end), when no announced programme covers
    // `start` itself.
    let cut_at = |(start, end): (i64, i64)| {
        let covered = overlaps_announced((start, start + 1));
        let first = spans.partition_point(|&(s, _)| s <= start);
        spans
            .get(first)
            .map(|&(s, _)| s)
            .filter(|&s| !covered && s < end)
    };
    let mut events: Vec<Event> = Vec::with_capacity(candidates.len());
    for mut c in candidates {
        if !c.carried {
            if let Some(sp) = span(&c.event).filter(|&sp| overlaps_announced(sp)) {
                if !c.was_present {
                    settled.superseded += 1;
                    continue;
                }
                if let Some(cut) = cut_at(sp) {
                    c.event.duration = u32::try_from(cut - sp.0).ok().or(c.event.duration);
                    settled.trimmed += 1;
                }
            }
        }
        events.push(c.event);
    }
    events.sort_by_key(|e| (e.start.is_none(), e.start.map(|s| s.unix()), e.event_id));
    let mut running = i64::MIN;
    for (start, end) in events.iter().filter_map(span) {
        if start < running {
            settled.overlaps += 1;
        }
        running = running.max(end);
    }
    (events, settled)
}

/// Whether `e` is an entry that only points at a shared event: no title or text of its own,
/// and an event group descriptor of group_type 1.
fn is_shared_reference(e: &Event) -> bool {
    e.title.is_empty() && e.text.is_empty() && e.event_group.iter().any(|g| g.group_type == 1)
}

/// Fills each shared-event reference from its main event (another event of the group, in the
/// same transport stream, that has a title): title, text, extended items, genres, components,
/// data content and series where the reference has none. Returns (resolved, unresolved).
pub(crate) fn resolve_shared(services: &mut [Service]) -> (u64, u64) {
    let mut index: HashMap<(u16, u16, u16, u16), (usize, usize)> = HashMap::new();
    for (si, s) in services.iter().enumerate() {
        for (ei, e) in s.events.iter().enumerate() {
            if !is_shared_reference(e) {
                index.insert((s.onid, s.tsid, s.sid, e.event_id), (si, ei));
            }
        }
    }
    let mut wanted = Vec::new();
    for (si, s) in services.iter().enumerate() {
        for (ei, e) in s.events.iter().enumerate() {
            if !is_shared_reference(e) {
                continue;
            }
            let main = e
                .event_group
                .iter()
                .filter(|g| g.group_type == 1)
                .flat_map(|g| g.events.iter())
                .filter_map(|&(sid, eid)| index.get(&(s.onid, s.tsid, sid, eid)))
                .copied()
                .find(|&(msi, mei)| {
                    (msi, mei) != (si, ei)
                        && services
                            .get(msi)
                            .and_then(|m| m.events.get(mei))
                            .is_some_and(|m| !m.title.is_empty())
                });
            wanted.push(((si, ei), main));
        }
    }
    let (mut resolved, mut unresolved) = (0, 0);
    for ((si, ei), main) in wanted {
        let Some(main) = main.and_then(|(msi, mei)| services.get(msi)?.events.get(mei).cloned())
        else {
            unresolved += 1;
            continue;
        };
        let Some(e) = services.get_mut(si).and_then(|s| s.events.get_mut(ei)) else {
            continue;
        };
        e.title = main.title;
        e.text = main.text;
        if e.extended.is_empty() && e.extended_text.is_empty() {
            e.extended = main.extended;
            e.extended_text = main.extended_text;
        }
        if e.genres.is_empty() {
            e.genres = main.genres;
        }
        if e.video.is_none() {
            e.video = main.video;
        }
        if e.audio.is_empty() {
            e.audio = main.audio;
        }
        if e.data_content.is_none() {
            e.data_content = main.data_content;
        }
        if e.series.is_none() {
            e.series = main.series;
        }
        resolved += 1;
    }
    (resolved, unresolved)
}
