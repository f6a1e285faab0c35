//! The merge rules of the EIT: what an event is when several sections speak of it, and whether
//! the broadcaster still announces it (ARIB STD-B10 5.2.7 and TR-B14, EN 300 468 5.2.4).
//!
//! Three authorities speak of an event, each through its own sections: **p/f** (0x4E/0x4F,
//! section 0 = present, 1 = following), the **schedule** (ISDB basic 0x50–0x57/0x60–0x67; in
//! DVB every schedule table) and, in ISDB only, the **extended schedule** (0x58–0x5F/0x68–0x6F).
//! For each authority an event keeps one [`Claim`]: what that authority's newest section said
//! of it, and which of its sections list it now (its carriers).
//!
//! - A section's newest content replaces its older content: an event the older content listed
//!   and the newer does not loses that carrier. The event is still announced while any p/f or
//!   schedule section carries it (an extended-only event, which never had a basic part, while
//!   an extended section does). An event that moved simply has another carrier.
//! - An event nobody carries any more is decided at the end ([`EventAcc::fate`]): it *aired*
//!   (was ever the present event, or had begun by the stream clock when it lost its last
//!   carrier: a segment drops as it passes, with the programme that started in it still on
//!   air) and is kept; or no stream clock was ever seen, and it is kept as before (counted);
//!   or it was withdrawn by the broadcaster and is left out (counted).
//! - Timing comes from p/f while p/f carries the event, and for good once it was present; the
//!   schedule fills in the rest. The basic part (title, text, genres …) follows the same order.
//! - Extended items: the schedule's (basic then extended tables), overlaid by p/f's when p/f
//!   speaks for the event, each descriptor_number from the section that sent it last.

use super::raw::{extended_heap_bytes, BasicRaw, ExtendedDescriptorRaw};
use crate::si::time::CivilTime;
use std::collections::BTreeMap;

/// The identity of a section: (table_id, table_id_extension, tsid/onid, section_number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SectionId {
    pub(crate) table_id: u8,
    pub(crate) extension: u16,
    pub(crate) extra: u32,
    pub(crate) section_number: u8,
}

/// Which authority a section speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authority {
    /// EIT present/following.
    Pf,
    /// EIT schedule (ISDB basic tables; every DVB schedule table).
    Schedule,
    /// ISDB EIT schedule extended tables.
    ScheduleExtended,
}

/// The timing fields of an event entry.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Timing {
    pub(crate) start: Option<CivilTime>,
    pub(crate) duration: Option<u32>,
    pub(crate) running_status: u8,
    pub(crate) free_ca_mode: bool,
}

/// When an event lost its last carrier, on the stream clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftAt {
    /// At this TOT/TDT time (seconds of civil time at offset 0).
    Clock(i64),
    /// Before the first clock of clock period `n` (the start of the stream or of an input of
    /// several); resolved by the first TOT/TDT that follows.
    Stale(u32),
}

/// One extended event descriptor and the section that sent it; `current` is false once that
/// section's newer content no longer lists the event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExtendedEntry {
    pub(crate) from: SectionId,
    pub(crate) current: bool,
    pub(crate) raw: ExtendedDescriptorRaw,
}

/// What one authority said last about an event.
#[derive(Debug, Clone, Default)]
pub(crate) struct Claim {
    pub(crate) timing: Timing,
    pub(crate) basic: Option<BasicRaw>,
    pub(crate) extended: BTreeMap<u8, ExtendedEntry>,
    /// The sections of this authority that list the event now (usually one).
    carriers: Carriers,
}

impl Claim {
    fn carried(&self) -> bool {
        self.carriers.first.is_some()
    }

    /// Heap bytes held, estimated (see [`EventAcc::model_bytes`]).
    fn heap_bytes(&self) -> usize {
        // A B-tree entry costs about its key and value plus a share of its node.
        let entry = std::mem::size_of::<(u8, ExtendedEntry)>() + 16;
        self.basic.as_ref().map_or(0, BasicRaw::heap_bytes)
            + self
                .extended
                .values()
                .map(|e| entry + extended_heap_bytes(&e.raw))
                .sum::<usize>()
            + self.carriers.more.capacity() * std::mem::size_of::<SectionId>()
    }
}

/// What the model costs for an event beyond its raw bytes: the accumulator, its map entry and
/// the owned model event.
pub(crate) const EVENT_FIXED_BYTES: usize = 768;

/// The model's bytes for `raw` heap bytes of an event: the raw bytes the collector keeps plus
/// the decoded strings the model will hold (UTF-8 of ARIB text is up to 3 bytes for each
/// 1–2 raw bytes; 2× covers the usual kanji and kana text, hostile text may reach 3×).
pub(crate) fn model_bytes_of(raw: usize) -> usize {
    raw.saturating_mul(3)
}

/// The sections carrying an event for one authority: almost always one, kept inline so the
/// common case allocates nothing.
#[derive(Debug, Clone, Default)]
struct Carriers {
    first: Option<SectionId>,
    more: Vec<SectionId>,
}

impl Carriers {
    fn insert(&mut self, id: SectionId) {
        match self.first {
            None => self.first = Some(id),
            Some(f) if f == id => {}
            Some(_) if self.more.contains(&id) => {}
            Some(_) => self.more.push(id),
        }
    }

    fn remove(&mut self, id: SectionId) {
        if self.first == Some(id) {
            self.first = self.more.pop();
        } else {
            self.more.retain(|c| *c != id);
        }
    }
}

/// What becomes of an event at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// A current section announces it.
    Carried,
    /// Nothing announces it any more, but it aired during the recording.
    KeptAired,
    /// Nothing announces it any more, and without a stream clock nobody can tell whether it
    /// aired: kept, as a dumper without these rules would.
    KeptNoClock,
    /// The broadcaster withdrew it.
    Withdrawn,
}

/// Everything known about one event.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventAcc {
    pf: Option<Box<Claim>>,
    schedule: Option<Claim>,
    extended: Option<Box<Claim>>,
    /// The authority whose basic part arrived last, for `version_updated`.
    latest_basic: Option<Authority>,
    /// Kinds of EIT that described it (bits: 1 pf/actual, 2 pf/other, 4 schedule/actual, 8
    /// schedule/other).
    pub(crate) sources: u8,
    /// A newer basic part differed from the one before it.
    pub(crate) version_updated: bool,
    /// It was the present event of p/f at some point.
    was_present: bool,
    /// When it lost its last carrier (meaningless while carried).
    left_at: Option<LeftAt>,
    /// [`EventAcc::model_bytes`] as last accounted by the collector.
    pub(crate) accounted: usize,
}

impl EventAcc {
    fn claim(&self, a: Authority) -> Option<&Claim> {
        match a {
            Authority::Pf => self.pf.as_deref(),
            Authority::Schedule => self.schedule.as_ref(),
            Authority::ScheduleExtended => self.extended.as_deref(),
        }
    }

    fn claim_mut(&mut self, a: Authority) -> &mut Claim {
        match a {
            Authority::Pf => self.pf.get_or_insert_with(Default::default),
            Authority::Schedule => self.schedule.get_or_insert_with(Default::default),
            Authority::ScheduleExtended => self.extended.get_or_insert_with(Default::default),
        }
    }

    /// Section `id` of authority `a` lists the event with these contents.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn apply(
        &mut self,
        a: Authority,
        id: SectionId,
        timing: Timing,
        basic: Option<BasicRaw>,
        extended: Vec<(u8, ExtendedDescriptorRaw)>,
        present: bool,
        source_bit: u8,
    ) {
        if let Some(new) = &basic {
            let previous = self
                .latest_basic
                .and_then(|l| self.claim(l))
                .and_then(|c| c.basic.as_ref());
            if previous.is_some_and(|p| p != new) {
                self.version_updated = true;
            }
            self.latest_basic = Some(a);
        }
        let claim = self.claim_mut(a);
        claim.timing = timing;
        if basic.is_some() {
            claim.basic = basic;
        }
        // What this section sent before is replaced by what it sends now.
        claim.extended.retain(|_, e| e.from != id);
        for (number, raw) in extended {
            claim.extended.insert(
                number,
                ExtendedEntry {
                    from: id,
                    current: true,
                    raw,
                },
            );
        }
        claim.carriers.insert(id);
        self.was_present |= present;
        self.sources |= source_bit;
        self.left_at = None;
    }

    /// Section `id` of authority `a` no longer lists the event (its newer version left it out).
    /// Returns true when the event has just lost its last carrier; the caller then records when
    /// with [`EventAcc::mark_left`].
    pub(crate) fn leave(&mut self, a: Authority, id: SectionId) -> bool {
        let was = self.is_carried();
        let claim = self.claim_mut(a);
        claim.carriers.remove(id);
        for e in claim.extended.values_mut().filter(|e| e.from == id) {
            e.current = false;
        }
        was && !self.is_carried()
    }

    /// The same section, same version, came with other content: a version must change with
    /// the content (ISO/IEC 13818-1 2.4.4.5), so the earlier content was corrupt and what only
    /// it said is forgotten. Returns true when nothing is left of the event.
    pub(crate) fn forget(&mut self, a: Authority, id: SectionId) -> bool {
        let claim = self.claim_mut(a);
        claim.carriers.remove(id);
        claim.extended.retain(|_, e| e.from != id);
        if !claim.carried() {
            match a {
                Authority::Pf => {
                    self.pf = None;
                    self.was_present = false;
                }
                Authority::Schedule => self.schedule = None,
                Authority::ScheduleExtended => self.extended = None,
            }
            if self.latest_basic == Some(a) {
                self.latest_basic = None;
            }
        }
        self.pf.is_none() && self.schedule.is_none() && self.extended.is_none()
    }

    /// Records when the event lost its last carrier.
    pub(crate) fn mark_left(&mut self, at: LeftAt) {
        self.left_at = Some(at);
    }

    /// Whether a current section announces the event: a p/f or schedule section, or, for an
    /// event that never had a basic part, an extended section.
    pub(crate) fn is_carried(&self) -> bool {
        let pf = self.pf.as_deref();
        let sched = self.schedule.as_ref();
        pf.is_some_and(Claim::carried)
            || sched.is_some_and(Claim::carried)
            || (pf.is_none()
                && sched.is_none()
                && self.extended.as_deref().is_some_and(Claim::carried))
    }

    /// Whether p/f speaks for the event: p/f carries it now, or it was the present event.
    fn pf_speaks(&self) -> bool {
        self.was_present || self.pf.as_deref().is_some_and(Claim::carried)
    }

    /// What becomes of the event; `resolve` turns a [`LeftAt`] into a clock reading (`None`
    /// when the stream never had a clock).
    pub(crate) fn fate(&self, resolve: impl Fn(LeftAt) -> Option<i64>) -> Fate {
        if self.is_carried() {
            return Fate::Carried;
        }
        if self.was_present {
            return Fate::KeptAired;
        }
        match self.left_at.and_then(resolve) {
            None => Fate::KeptNoClock,
            Some(now) => match self.timing().start {
                Some(start) if start.to_unix(0) <= now => Fate::KeptAired,
                _ => Fate::Withdrawn,
            },
        }
    }

    /// The claim whose timing is the event's: p/f when it speaks for the event, else the
    /// schedule, else the extended schedule, else a p/f claim that vanished.
    fn timing_claim(&self) -> Option<&Claim> {
        let pf = self.pf.as_deref();
        if self.pf_speaks() {
            return pf;
        }
        self.schedule.as_ref().or(self.extended.as_deref()).or(pf)
    }

    /// The event's start, duration, running_status and free_CA_mode.
    pub(crate) fn timing(&self) -> Timing {
        self.timing_claim().map(|c| c.timing).unwrap_or_default()
    }

    /// Whether p/f decided the timing against a schedule that says otherwise.
    pub(crate) fn pf_overrides_schedule(&self) -> bool {
        let (Some(pf), Some(sched)) = (self.pf.as_deref(), self.schedule.as_ref()) else {
            return false;
        };
        self.pf_speaks()
            && (pf.timing.start, pf.timing.duration) != (sched.timing.start, sched.timing.duration)
    }

    /// The basic part in the same order as the timing.
    pub(crate) fn basic(&self) -> Option<&BasicRaw> {
        let pf = self.pf.as_deref().and_then(|c| c.basic.as_ref());
        let sched = self.schedule.as_ref().and_then(|c| c.basic.as_ref());
        if self.pf_speaks() {
            pf.or(sched)
        } else {
            sched.or(pf)
        }
    }

    /// The extended descriptors by descriptor_number: the schedule's, then the extended
    /// schedule's, overlaid by p/f's when p/f speaks for the event. An entry whose section
    /// left the event is used only with `keep_all` (the event aired or is kept): then all it said
    /// stays.
    pub(crate) fn extended(&self, keep_all: bool) -> BTreeMap<u8, &ExtendedDescriptorRaw> {
        let mut out = BTreeMap::new();
        let pf = (self.pf_speaks() || (self.schedule.is_none() && self.extended.is_none()))
            .then_some(self.pf.as_deref())
            .flatten();
        for c in [self.schedule.as_ref(), self.extended.as_deref(), pf]
            .into_iter()
            .flatten()
        {
            for (n, e) in &c.extended {
                if e.current || keep_all {
                    out.insert(*n, &e.raw);
                }
            }
        }
        out
    }

    /// Whether it was ever the present event.
    pub(crate) fn was_present(&self) -> bool {
        self.was_present
    }

    /// Heap bytes held by authority `a`'s claim.
    pub(crate) fn claim_heap_bytes(&self, a: Authority) -> usize {
        self.claim(a).map_or(0, Claim::heap_bytes)
    }

    /// What this event costs the model, estimated for the byte budget: its fixed structures,
    /// the raw bytes it holds and the decoded text they become.
    pub(crate) fn model_bytes(&self) -> usize {
        let boxed = std::mem::size_of::<Claim>() + 16;
        let raw = self.pf.as_deref().map_or(0, |c| boxed + c.heap_bytes())
            + self.schedule.as_ref().map_or(0, Claim::heap_bytes)
            + self
                .extended
                .as_deref()
                .map_or(0, |c| boxed + c.heap_bytes());
        EVENT_FIXED_BYTES + model_bytes_of(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::time::CivilTime;

    fn id(table_id: u8, section_number: u8) -> SectionId {
        SectionId {
            table_id,
            extension: 101,
            extra: 0,
            section_number,
        }
    }

    fn at(hour: u8, duration: u32) -> Timing {
        Timing {
            start: Some(CivilTime {
                year: 2024,
                month: 4,
                day: 1,
                hour,
                minute: 0,
                second: 0,
            }),
            duration: Some(duration),
            running_status: 0,
            free_ca_mode: false,
        }
    }

    fn basic(title: &[u8]) -> Option<BasicRaw> {
        Some(BasicRaw {
            title: title.to_vec(),
            ..BasicRaw::default()
        })
    }

    #[test]
    fn pf_timing_wins_in_either_order() {
        let mut a = EventAcc::default();
        a.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 3600),
            basic(b"s"),
            vec![],
            false,
            4,
        );
        a.apply(
            Authority::Pf,
            id(0x4E, 1),
            at(20, 5400),
            basic(b"p"),
            vec![],
            false,
            1,
        );
        let mut b = EventAcc::default();
        b.apply(
            Authority::Pf,
            id(0x4E, 1),
            at(20, 5400),
            basic(b"p"),
            vec![],
            false,
            1,
        );
        b.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 3600),
            basic(b"s"),
            vec![],
            false,
            4,
        );
        assert_eq!(a.timing(), b.timing());
        assert_eq!(a.timing().duration, Some(5400));
        assert!(a.pf_overrides_schedule() && b.pf_overrides_schedule());
    }

    #[test]
    fn leaving_the_last_carrier_decides_by_clock_and_presence() {
        let clock = |l: LeftAt| match l {
            LeftAt::Clock(t) => Some(t),
            LeftAt::Stale(_) => None,
        };
        let hour = |h: i64| 1_711_929_600 + h * 3600; // 2024-04-01T00:00 civil
        let mut e = EventAcc::default();
        e.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 3600),
            basic(b"x"),
            vec![],
            false,
            4,
        );
        assert!(e.leave(Authority::Schedule, id(0x50, 0)));
        e.mark_left(LeftAt::Clock(hour(21)));
        assert_eq!(e.fate(clock), Fate::KeptAired);
        // Begun by the clock: on air when its segment dropped.
        e.mark_left(LeftAt::Clock(hour(20)));
        assert_eq!(e.fate(clock), Fate::KeptAired);
        e.mark_left(LeftAt::Clock(hour(19)));
        assert_eq!(e.fate(clock), Fate::Withdrawn);
        assert_eq!(e.fate(|_| None), Fate::KeptNoClock);
        // Present once: aired whatever the clock.
        e.apply(
            Authority::Pf,
            id(0x4E, 0),
            at(20, 3600),
            basic(b"x"),
            vec![],
            true,
            1,
        );
        assert!(e.leave(Authority::Pf, id(0x4E, 0)));
        e.mark_left(LeftAt::Clock(hour(0)));
        assert_eq!(e.fate(clock), Fate::KeptAired);
    }

    #[test]
    fn a_moved_event_stays_carried() {
        let mut e = EventAcc::default();
        e.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 3600),
            basic(b"x"),
            vec![],
            false,
            4,
        );
        e.apply(
            Authority::Schedule,
            id(0x50, 8),
            at(23, 3600),
            basic(b"x"),
            vec![],
            false,
            4,
        );
        assert!(!e.leave(Authority::Schedule, id(0x50, 0)));
        assert!(e.is_carried());
        assert_eq!(e.timing(), at(23, 3600));
    }

    #[test]
    fn extended_only_does_not_keep_a_withdrawn_basic_alive() {
        let mut e = EventAcc::default();
        let raw = (vec![(b"d".to_vec(), b"i".to_vec())], vec![]);
        e.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 60),
            basic(b"x"),
            vec![],
            false,
            4,
        );
        e.apply(
            Authority::ScheduleExtended,
            id(0x58, 0),
            at(20, 60),
            None,
            vec![(0, raw)],
            false,
            4,
        );
        assert!(e.leave(Authority::Schedule, id(0x50, 0)));
        assert!(!e.is_carried());
        // Aired: its extended items stay even after their section left it.
        assert!(!e.leave(Authority::ScheduleExtended, id(0x58, 0)));
        assert_eq!(e.extended(true).len(), 1);
        assert_eq!(e.extended(false).len(), 0);
    }

    #[test]
    fn same_version_corruption_is_forgotten() {
        let mut e = EventAcc::default();
        e.apply(
            Authority::Schedule,
            id(0x50, 0),
            at(20, 60),
            basic(b"x"),
            vec![],
            false,
            4,
        );
        assert!(e.forget(Authority::Schedule, id(0x50, 0)));
    }
}
