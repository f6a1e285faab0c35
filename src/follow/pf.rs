//! The present/following table of one service, as the followed event's source of truth
//! (EIT p/f, table_id 0x4E actual / 0x4F other: ETSI EN 300 468 5.2.4, ARIB STD-B10 5.2.7).
//!
//! p/f has two sections: section_number 0 carries the present event, 1 the following one. A
//! section is applied only when its content is new for its source (another version_number or
//! another CRC_32), so the repeats a broadcaster sends every couple of seconds cost a header
//! look. The table locks onto one source, `(table_id, original_network_id,
//! transport_stream_id, PID)`:
//! - The first p/f section of the service decides it. 0x4E (the service's own TS) replaces a
//!   0x4F lock when it shows up; a 0x4F or a section of another network is then ignored.
//! - ISDB-T sends the p/f of the one-seg (partial reception) service on its own PID as L-EIT
//!   (0x0027), and may send it on H-EIT (0x0012) too, with its own version numbers (ARIB
//!   STD-B10 Part 2 table 5-2, TR-B14). Content from two PIDs is never mixed: a stale repeat on
//!   one could undo a change seen on the other. The lock moves to another PID only when that
//!   PID has sent [`STRAY_SWITCH`] sections of the service while the locked one sent none.

use crate::psi::crc32_mpeg2;
use crate::si::descriptor::ShortEvent;
use crate::si::eit::{TID_PF_ACTUAL, TID_PF_OTHER};
use crate::si::time::CivilTime;
use crate::si::Eit;
use crate::stats::Stats;
use crate::text::{decode_arib, decode_dvb, TextOptions};
use crate::ts::Pid;

/// Sections of the service from another PID, with none from the locked PID in between, after
/// which the lock moves to that PID (the locked one has gone silent).
pub const STRAY_SWITCH: u8 = 8;

/// The event one p/f section carries, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PfEvent {
    pub event_id: u16,
    pub start: Option<CivilTime>,
    pub duration: Option<u32>,
    pub running_status: u8,
    pub title: String,
}

/// Where the table's sections come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Source {
    pub table_id: u8,
    pub onid: u16,
    pub tsid: u16,
    pub pid: Pid,
}

/// The newest content of one p/f section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub version: u8,
    crc: u32,
    pub last_section_number: u8,
    /// `None` when the section lists no event (nothing on air, or no following event).
    pub event: Option<PfEvent>,
}

/// What [`PfTable::receive`] did with a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Received {
    /// Not a p/f section of the service from its source (or unusable; counted).
    Ignored,
    /// The same content as the section already held.
    Repeat,
    /// New content for section `0` or `1`; `relocked` when the source changed with it (the
    /// slots were emptied first).
    Applied { relocked: bool },
}

/// The p/f table of one service. See the module docs.
#[derive(Debug, Clone)]
pub(crate) struct PfTable {
    service_id: u16,
    text: TextOptions,
    source: Option<Source>,
    slots: [Option<Slot>; 2],
    stray: u8,
    skipped: u64,
}

impl PfTable {
    pub fn new(service_id: u16, text: TextOptions) -> Self {
        PfTable {
            service_id,
            text,
            source: None,
            slots: [None, None],
            stray: 0,
            skipped: 0,
        }
    }

    /// The locked source, once a p/f section of the service was seen.
    pub fn source(&self) -> Option<Source> {
        self.source
    }

    /// Section 0 (present) or 1 (following), when received from the current source.
    pub fn slot(&self, section_number: usize) -> Option<&Slot> {
        self.slots.get(section_number).and_then(Option::as_ref)
    }

    /// p/f sections of the service that could not be used (bad header, event loop or times).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Offers one whole, CRC-checked section from `pid`.
    pub fn receive(&mut self, pid: Pid, bytes: &[u8], stats: &mut Stats) -> Received {
        // Cheap filter before any parsing: table_id and service_id (the table_id_extension).
        match bytes {
            [TID_PF_ACTUAL | TID_PF_OTHER, _, _, hi, lo, ..]
                if u16::from_be_bytes([*hi, *lo]) == self.service_id => {}
            _ => return Received::Ignored,
        }
        let eit = match Eit::parse(bytes) {
            Ok(eit) => eit,
            Err(_) => {
                stats.si.table_errors = stats.si.table_errors.saturating_add(1);
                self.skipped = self.skipped.saturating_add(1);
                return Received::Ignored;
            }
        };
        let section_number = usize::from(eit.section_number());
        if !eit.current_next() || section_number > 1 {
            return Received::Ignored;
        }
        let candidate = Source {
            table_id: eit.table_id(),
            onid: eit.original_network_id(),
            tsid: eit.transport_stream_id(),
            pid,
        };
        let relocked = match self.source {
            Some(s) if s == candidate => {
                self.stray = 0;
                false
            }
            Some(s) if s.table_id == TID_PF_OTHER && candidate.table_id == TID_PF_ACTUAL => true,
            Some(s)
                if (s.table_id, s.onid, s.tsid)
                    == (candidate.table_id, candidate.onid, candidate.tsid) =>
            {
                self.stray = self.stray.saturating_add(1);
                if self.stray < STRAY_SWITCH {
                    return Received::Ignored;
                }
                true
            }
            Some(_) => return Received::Ignored,
            None => true,
        };
        let crc = bytes
            .last_chunk::<4>()
            .map_or_else(|| crc32_mpeg2(bytes), |c| u32::from_be_bytes(*c));
        let held = self.slots.get(section_number).and_then(Option::as_ref);
        if !relocked && held.is_some_and(|s| s.version == eit.version() && s.crc == crc) {
            return Received::Repeat;
        }
        let Some(event) = first_event(&eit, self.text, stats) else {
            self.skipped = self.skipped.saturating_add(1);
            return Received::Ignored;
        };
        if relocked {
            self.source = Some(candidate);
            self.slots = [None, None];
            self.stray = 0;
        }
        if let Some(slot) = self.slots.get_mut(section_number) {
            *slot = Some(Slot {
                version: eit.version(),
                crc,
                last_section_number: eit.last_section_number(),
                event,
            });
        }
        Received::Applied { relocked }
    }
}

pub(crate) use crate::epg::is_arib_network;

/// The event of a p/f section: `Some(None)` for a section without events, `None` when the
/// event loop or its times are malformed (counted). A p/f section carries one event; any
/// further ones are ignored.
fn first_event(eit: &Eit<'_>, text: TextOptions, stats: &mut Stats) -> Option<Option<PfEvent>> {
    let ev = match eit.events().next() {
        None => return Some(None),
        Some(Ok(ev)) => ev,
        Some(Err(_)) => {
            stats.si.event_errors = stats.si.event_errors.saturating_add(1);
            return None;
        }
    };
    let (Ok(start), Ok(duration)) = (ev.start(), ev.duration_seconds()) else {
        stats.si.event_errors = stats.si.event_errors.saturating_add(1);
        return None;
    };
    let mut name: &[u8] = &[];
    for d in ev.descriptors() {
        let Ok(d) = d else {
            stats.si.descriptor_errors = stats.si.descriptor_errors.saturating_add(1);
            break;
        };
        if d.tag != 0x4D {
            continue;
        }
        match ShortEvent::parse(d.body) {
            Ok(s) => {
                name = s.event_name;
                break;
            }
            Err(_) => stats.si.descriptor_errors = stats.si.descriptor_errors.saturating_add(1),
        }
    }
    let decoded = if is_arib_network(eit.original_network_id()) {
        decode_arib(name, &text)
    } else {
        decode_dvb(name)
    };
    if decoded.replacements > 0 {
        stats.si.text_replacements = stats.si.text_replacements.saturating_add(1);
    }
    Some(Some(PfEvent {
        event_id: ev.event_id,
        start,
        duration,
        running_status: ev.running_status,
        title: decoded.text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::{pf_event, pf_section};

    const SID: u16 = 101;

    fn table() -> PfTable {
        PfTable::new(SID, TextOptions::default())
    }

    fn sec(table_id: u8, version: u8, n: u8, event_id: u16) -> Vec<u8> {
        pf_section(
            table_id,
            SID,
            0x4010,
            4,
            version,
            n,
            Some(&pf_event(event_id, (60401, 18, 0, 0), Some(3600), "News")),
        )
    }

    #[test]
    fn applies_new_content_and_skips_repeats() {
        let mut t = table();
        let mut st = Stats::default();
        let s = sec(0x4E, 1, 0, 7);
        assert_eq!(
            t.receive(Pid::EIT, &s, &mut st),
            Received::Applied { relocked: true }
        );
        assert_eq!(t.receive(Pid::EIT, &s, &mut st), Received::Repeat);
        let ev = t.slot(0).unwrap().event.as_ref().unwrap();
        assert_eq!(
            (ev.event_id, ev.duration, ev.title.as_str()),
            (7, Some(3600), "News")
        );
        assert_eq!(ev.start.unwrap().hour, 18);
        // Same version, other content (a corrupt earlier copy): applied.
        let s2 = sec(0x4E, 1, 0, 8);
        assert_eq!(
            t.receive(Pid::EIT, &s2, &mut st),
            Received::Applied { relocked: false }
        );
        assert!(t.slot(1).is_none());
        // Another service, schedule tables and other sections are not ours.
        let other = pf_section(0x4E, 102, 0x4010, 4, 1, 1, None);
        assert_eq!(t.receive(Pid::EIT, &other, &mut st), Received::Ignored);
        let sched = pf_section(0x50, SID, 0x4010, 4, 1, 0, None);
        assert_eq!(t.receive(Pid::EIT, &sched, &mut st), Received::Ignored);
        let two = pf_section(0x4E, SID, 0x4010, 4, 1, 2, None);
        assert_eq!(t.receive(Pid::EIT, &two, &mut st), Received::Ignored);
    }

    #[test]
    fn actual_replaces_other_and_other_networks_are_ignored() {
        let mut t = table();
        let mut st = Stats::default();
        assert_eq!(
            t.receive(Pid::EIT, &sec(0x4F, 3, 0, 7), &mut st),
            Received::Applied { relocked: true }
        );
        assert_eq!(t.source().unwrap().table_id, 0x4F);
        assert_eq!(
            t.receive(Pid::EIT, &sec(0x4E, 9, 1, 8), &mut st),
            Received::Applied { relocked: true }
        );
        assert!(t.slot(0).is_none(), "the 0x4F content is gone");
        assert_eq!(
            t.receive(Pid::EIT, &sec(0x4F, 4, 0, 9), &mut st),
            Received::Ignored
        );
        let elsewhere = pf_section(0x4E, SID, 0x4011, 4, 1, 0, None);
        assert_eq!(t.receive(Pid::EIT, &elsewhere, &mut st), Received::Ignored);
    }

    #[test]
    fn pids_are_not_mixed_until_the_locked_one_goes_silent() {
        let mut t = table();
        let mut st = Stats::default();
        t.receive(Pid::L_EIT, &sec(0x4E, 5, 0, 7), &mut st);
        for i in 1..STRAY_SWITCH {
            let r = t.receive(Pid::EIT, &sec(0x4E, 1, 0, 8), &mut st);
            assert_eq!(r, Received::Ignored, "stray {i}");
        }
        // The locked PID speaks again: the count starts over.
        assert_eq!(
            t.receive(Pid::L_EIT, &sec(0x4E, 5, 0, 7), &mut st),
            Received::Repeat
        );
        for _ in 1..STRAY_SWITCH {
            t.receive(Pid::EIT, &sec(0x4E, 1, 0, 8), &mut st);
        }
        assert_eq!(
            t.receive(Pid::EIT, &sec(0x4E, 1, 0, 8), &mut st),
            Received::Applied { relocked: true }
        );
        assert_eq!(t.source().unwrap().pid, Pid::EIT);
        assert_eq!(t.slot(0).unwrap().event.as_ref().unwrap().event_id, 8);
    }

    #[test]
    fn malformed_sections_are_counted_and_change_nothing() {
        let mut t = table();
        let mut st = Stats::default();
        t.receive(Pid::EIT, &sec(0x4E, 1, 0, 7), &mut st);
        // A BCD start with a nibble above 9.
        let mut bad = pf_section(
            0x4E,
            SID,
            0x4010,
            4,
            2,
            0,
            Some(&pf_event(9, (60401, 18, 0, 0), Some(60), "x")),
        );
        bad[18] = 0xAA; // 8 header + 6 EIT header + event_id 2 + MJD 2: the start hour
        crate::testsupport::fix_crc(&mut bad);
        assert_eq!(t.receive(Pid::EIT, &bad, &mut st), Received::Ignored);
        assert_eq!(st.si.event_errors, 1);
        assert_eq!(t.skipped(), 1);
        assert_eq!(t.slot(0).unwrap().event.as_ref().unwrap().event_id, 7);
        let cut = &sec(0x4E, 3, 0, 7)[..12];
        assert_eq!(t.receive(Pid::EIT, cut, &mut st), Received::Ignored);
        assert_eq!(st.si.table_errors, 1);
    }

    #[test]
    fn empty_section_means_no_event() {
        let mut t = table();
        let mut st = Stats::default();
        let s = pf_section(0x4E, SID, 0x4010, 4, 1, 0, None);
        assert_eq!(
            t.receive(Pid::EIT, &s, &mut st),
            Received::Applied { relocked: true }
        );
        assert_eq!(t.slot(0).unwrap().event, None);
        assert_eq!(t.slot(0).unwrap().last_section_number, 1);
    }
}
