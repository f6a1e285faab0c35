//! Which events become programmes, and their stop times: the one place for the rules that leave
//! events out (and count them) in XMLTV and the epgdump dialects. JSON Lines keeps every event.
//!
//! - An event whose start is undefined is left out: XMLTV and the epgdump dialects cannot place
//!   it ([`WriteSummary::skipped_undefined_start`]).
//! - An event whose title would be empty (no short event descriptor, or only blanks and
//!   characters XML cannot carry) is left out: XMLTV consumers drop or choke on it
//!   ([`WriteSummary::skipped_untitled`]). Shared events (ARIB STD-B10 6.2.34, group_type 1)
//!   get their title from the collector, not here.
//! - [`StopRule::Always`] (the epgdump dialects): every programme has a stop. An undefined
//!   duration ends at the next programme's start on the same channel, else one hour after the
//!   start ([`WriteSummary::filled_stops`]): epgrec's importer writes `stop` into SQL
//!   unconditionally.

use super::channel::is_blank;
use super::WriteSummary;
use crate::epg::model::Timestamp;
use crate::epg::{Event, Service};

/// What the stop of a programme with an undefined duration becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StopRule {
    /// No stop (XMLTV allows it).
    AsBroadcast,
    /// The next programme's start, else start + 1 hour.
    Always,
}

/// The stop given to a programme with an undefined duration and no later programme.
const FALLBACK_SECONDS: u32 = 3600;

/// One programme to write.
#[derive(Debug, Clone, Copy)]
pub(super) struct Programme<'a> {
    /// The event.
    pub event: &'a Event,
    /// Its start.
    pub start: Timestamp,
    /// Its stop: start + duration, or what [`StopRule::Always`] filled in.
    pub stop: Option<Timestamp>,
}

impl Programme<'_> {
    /// stop − start in seconds, when there is a stop.
    pub fn seconds(&self) -> Option<u32> {
        let s = self.stop?.unix().checked_sub(self.start.unix())?;
        u32::try_from(s).ok()
    }
}

/// Whether `event` can be a programme at all, counting it in `summary` when not.
fn admissible(event: &Event, summary: &mut WriteSummary) -> Option<Timestamp> {
    let Some(start) = event.start else {
        summary.skipped_undefined_start += 1;
        return None;
    };
    if is_blank(&event.title) {
        summary.skipped_untitled += 1;
        return None;
    }
    Some(start)
}

/// The programmes of `service` in start order (then event_id), with stops by `rule`; counts
/// what was left out or filled in `summary` and adds the programmes to
/// [`WriteSummary::programmes`].
pub(super) fn programmes<'a>(
    service: &'a Service,
    rule: StopRule,
    summary: &mut WriteSummary,
) -> Vec<Programme<'a>> {
    let mut out: Vec<Programme<'a>> = service
        .events
        .iter()
        .filter_map(|e| {
            admissible(e, summary).map(|start| Programme {
                event: e,
                start,
                stop: e.end(),
            })
        })
        .collect();
    out.sort_by_key(|p| (p.start.unix(), p.event.event_id));
    if rule == StopRule::Always {
        let starts: Vec<i64> = out.iter().map(|p| p.start.unix()).collect();
        for (i, p) in out.iter_mut().enumerate() {
            if p.stop.is_some() {
                continue;
            }
            let own = p.start.unix();
            let next = starts
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .find(|&&s| s > own)
                .and_then(|&s| u32::try_from(s - own).ok());
            p.stop = p
                .start
                .plus(next.unwrap_or(FALLBACK_SECONDS))
                .or(Some(p.start));
            summary.filled_stops += 1;
        }
    }
    summary.programmes += out.len() as u64;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epg::model::SdtSource;
    use crate::si::time::CivilTime;

    fn at(hour: u8, minute: u8) -> Timestamp {
        Timestamp {
            local: CivilTime {
                year: 2024,
                month: 4,
                day: 1,
                hour,
                minute,
                second: 0,
            },
            utc_offset: 9 * 3600,
        }
    }

    fn ev(id: u16, start: Option<Timestamp>, duration: Option<u32>, title: &str) -> Event {
        crate::testsupport::model_event(id, start, duration, title)
    }

    fn service(events: Vec<Event>) -> Service {
        Service {
            onid: 4,
            tsid: 16400,
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
            completeness: Default::default(),
        }
    }

    #[test]
    fn untitled_and_startless_events_are_left_out_and_counted() {
        let s = service(vec![
            ev(1, Some(at(9, 0)), Some(600), "ニュース"),
            ev(2, Some(at(9, 10)), Some(600), ""),
            ev(3, Some(at(9, 20)), Some(600), " \u{3000}\u{1}"),
            ev(4, None, Some(600), "未定"),
        ]);
        let mut sum = WriteSummary::default();
        let p = programmes(&s, StopRule::AsBroadcast, &mut sum);
        assert_eq!(p.len(), 1);
        assert_eq!(
            (
                sum.programmes,
                sum.skipped_untitled,
                sum.skipped_undefined_start
            ),
            (1, 2, 1)
        );
    }

    /// The epgdump-dialect stop rule: the next programme's start (skipping programmes that
    /// start at the same time), else start + 1 hour; a defined duration is kept.
    #[test]
    fn undefined_durations_end_at_the_next_start_or_after_an_hour() {
        let s = service(vec![
            ev(1, Some(at(9, 0)), None, "A"),
            ev(2, Some(at(9, 0)), Some(300), "B"),
            ev(3, Some(at(9, 45)), Some(900), "C"),
            ev(4, Some(at(23, 30)), None, "D"),
        ]);
        let mut sum = WriteSummary::default();
        let p = programmes(&s, StopRule::Always, &mut sum);
        let stops: Vec<Option<Timestamp>> = p.iter().map(|p| p.stop).collect();
        assert_eq!(
            stops,
            vec![
                Some(at(9, 45)),
                Some(at(9, 5)),
                Some(at(10, 0)),
                at(23, 30).plus(3600)
            ]
        );
        assert_eq!(p[0].seconds(), Some(45 * 60));
        assert_eq!(sum.filled_stops, 2);
        // XMLTV keeps the undefined stop.
        let mut sum = WriteSummary::default();
        let p = programmes(&s, StopRule::AsBroadcast, &mut sum);
        assert_eq!((p[0].stop, sum.filled_stops), (None, 0));
    }
}
