//! Event Information Table (ETSI EN 300 468 5.2.4; ARIB STD-B10 5.2.7).
//!
//! [`Eit::parse`] checks the table_id range, the long-form header and the 6 fixed body bytes;
//! the event loop is walked lazily by [`Eit::events`], which yields events until one does not fit
//! and then yields that error once and stops (an event's length is the only way to find the next
//! one, so nothing after a bad event can be trusted). Each event's descriptor loop is a separate
//! [`Descriptors`] iterator, so a bad descriptor loses only that event's remaining descriptors.

use crate::error::SiError;
use crate::si::descriptor::Descriptors;
use crate::si::parse::{
    array, bits_u16, bits_u8, counted, finish, flag, packed, u16_f, u8_f, EntryLoop, Res,
};
use crate::si::section::LongSection;
use crate::si::time::{decode_duration, decode_start_time, CivilTime};
use nom::Parser;

/// table_id of EIT present/following, actual TS.
pub const TID_PF_ACTUAL: u8 = 0x4E;
/// table_id of EIT present/following, other TS.
pub const TID_PF_OTHER: u8 = 0x4F;

/// A parsed EIT section (table_id 0x4E..=0x6F).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eit<'a> {
    section: LongSection<'a>,
    transport_stream_id: u16,
    original_network_id: u16,
    segment_last_section_number: u8,
    last_table_id: u8,
    events_raw: &'a [u8],
}

impl<'a> Eit<'a> {
    /// Parses one complete EIT section (from table_id through the CRC).
    ///
    /// Errors: table_id outside 0x4E..=0x6F → `Invalid { what: "table_id" }`; header problems as
    /// in [`LongSection::parse`]; fewer than 6 body bytes → `Truncated { what: "EIT header" }`.
    ///
    /// ```
    /// use epgdump::si::Eit;
    /// // p/f actual for service 0x0400, no events; the CRC is the section layer's business
    /// let section = [
    ///     0x4E, 0xF0, 0x0F, 0x04, 0x00, 0xC1, 0, 1, 0x7F, 0xE0, 0x7F, 0xE1, 0, 0x4F, 0, 0, 0, 0,
    /// ];
    /// let eit = Eit::parse(&section)?;
    /// assert_eq!((eit.service_id(), eit.is_pf(), eit.events().count()), (0x0400, true, 0));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let s = LongSection::parse(section)?;
        if !(0x4E..=0x6F).contains(&s.header.table_id) {
            return Err(SiError::Invalid { what: "table_id" });
        }
        let what = "EIT header";
        // transport_stream_id(16) original_network_id(16) segment_last_section_number(8)
        // last_table_id(8), then the event loop (ETSI EN 300 468 5.2.4 table 7)
        let (
            events_raw,
            (transport_stream_id, original_network_id, segment_last_section_number, last_table_id),
        ) = finish((u16_f(what), u16_f(what), u8_f(what), u8_f(what)).parse_complete(s.body))?;
        Ok(Eit {
            section: s,
            transport_stream_id,
            original_network_id,
            segment_last_section_number,
            last_table_id,
            events_raw,
        })
    }

    /// The underlying section header.
    pub fn section(&self) -> &LongSection<'a> {
        &self.section
    }
    /// table_id.
    pub fn table_id(&self) -> u8 {
        self.section.header.table_id
    }
    /// service_id (the table_id_extension).
    pub fn service_id(&self) -> u16 {
        self.section.header.table_id_extension
    }
    /// version_number.
    pub fn version(&self) -> u8 {
        self.section.header.version_number
    }
    /// current_next_indicator.
    pub fn current_next(&self) -> bool {
        self.section.header.current_next_indicator
    }
    /// section_number.
    pub fn section_number(&self) -> u8 {
        self.section.header.section_number
    }
    /// last_section_number.
    pub fn last_section_number(&self) -> u8 {
        self.section.header.last_section_number
    }
    /// transport_stream_id.
    pub fn transport_stream_id(&self) -> u16 {
        self.transport_stream_id
    }
    /// original_network_id.
    pub fn original_network_id(&self) -> u16 {
        self.original_network_id
    }
    /// segment_last_section_number (last section of this 3-hour segment; schedule tables).
    pub fn segment_last_section_number(&self) -> u8 {
        self.segment_last_section_number
    }
    /// last_table_id (last schedule table_id in use).
    pub fn last_table_id(&self) -> u8 {
        self.last_table_id
    }
    /// Present/following (0x4E or 0x4F).
    pub fn is_pf(&self) -> bool {
        is_pf(self.table_id())
    }
    /// Schedule (0x50..=0x6F).
    pub fn is_schedule(&self) -> bool {
        is_schedule(self.table_id())
    }
    /// Describes the actual TS (0x4E or 0x50..=0x5F).
    pub fn is_actual(&self) -> bool {
        is_actual(self.table_id())
    }
    /// ARIB basic schedule (0x50..=0x57 or 0x60..=0x67: the 8-day basic information).
    pub fn is_schedule_basic(&self) -> bool {
        is_schedule_basic(self.table_id())
    }
    /// ARIB extended schedule (0x58..=0x5F or 0x68..=0x6F: extended event information).
    pub fn is_schedule_extended(&self) -> bool {
        is_schedule_extended(self.table_id())
    }
    /// The raw event loop bytes.
    pub fn events_raw(&self) -> &'a [u8] {
        self.events_raw
    }
    /// The events, lazily; fuses after the first error.
    pub fn events(&self) -> Events<'a> {
        Events {
            entries: EntryLoop::new(self.events_raw),
        }
    }
}

/// Whether `table_id` is EIT present/following (0x4E/0x4F).
pub fn is_pf(table_id: u8) -> bool {
    matches!(table_id, 0x4E | 0x4F)
}
/// Whether `table_id` is EIT schedule (0x50..=0x6F).
pub fn is_schedule(table_id: u8) -> bool {
    (0x50..=0x6F).contains(&table_id)
}
/// Whether `table_id` is an EIT for the actual TS (0x4E, 0x50..=0x5F).
pub fn is_actual(table_id: u8) -> bool {
    table_id == 0x4E || (0x50..=0x5F).contains(&table_id)
}
/// Whether `table_id` is an ARIB basic schedule EIT (0x50..=0x57, 0x60..=0x67).
pub fn is_schedule_basic(table_id: u8) -> bool {
    matches!(table_id, 0x50..=0x57 | 0x60..=0x67)
}
/// Whether `table_id` is an ARIB extended schedule EIT (0x58..=0x5F, 0x68..=0x6F).
pub fn is_schedule_extended(table_id: u8) -> bool {
    matches!(table_id, 0x58..=0x5F | 0x68..=0x6F)
}

/// One event of an EIT (ETSI EN 300 468 5.2.4 table 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventView<'a> {
    /// event_id.
    pub event_id: u16,
    /// start_time, raw: 16-bit MJD then 6 BCD digits (JST in ISDB, UTC in DVB).
    pub start_time: [u8; 5],
    /// duration, raw: 6 BCD digits hhmmss.
    pub duration: [u8; 3],
    /// running_status (3 bits; 0 undefined, 1 not running, 2 starts in a few seconds,
    /// 3 pausing, 4 running).
    pub running_status: u8,
    /// free_CA_mode: `true` when at least one component is scrambled.
    pub free_ca_mode: bool,
    /// The raw descriptor loop.
    pub descriptors_raw: &'a [u8],
}

impl<'a> EventView<'a> {
    /// The decoded start time; `Ok(None)` when undefined (all 40 bits 1).
    pub fn start(&self) -> Result<Option<CivilTime>, SiError> {
        decode_start_time(self.start_time)
    }
    /// The decoded duration in seconds; `Ok(None)` when undefined (`FF FF FF`).
    pub fn duration_seconds(&self) -> Result<Option<u32>, SiError> {
        decode_duration(self.duration)
    }
    /// start + duration; `Ok(None)` if either is undefined.
    pub fn end(&self) -> Result<Option<CivilTime>, SiError> {
        let (Some(start), Some(d)) = (self.start()?, self.duration_seconds()?) else {
            return Ok(None);
        };
        Ok(start.add_seconds(i64::from(d)))
    }
    /// The event's descriptors.
    pub fn descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.descriptors_raw)
    }
}

/// Iterator over the events of an [`Eit`]. Yields `Err(Truncated { what: "event" })` for
/// trailing bytes too short for an event header, or `Err(LengthOverrun { what:
/// "descriptors_loop_length" })` for a descriptor loop past the section, then stops.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    entries: EntryLoop<'a>,
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<EventView<'a>, SiError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry(event)
    }
}

/// One event: event_id(16) start_time(40) duration(24) running_status(3) free_CA_mode(1)
/// descriptors_loop_length(12), then the descriptor loop (ETSI EN 300 468 5.2.4 table 7).
fn event(i: &[u8]) -> Res<'_, EventView<'_>> {
    let what = "event";
    let (i, (event_id, start_time, duration, (running_status, free_ca_mode, loop_length))) = (
        u16_f(what),
        array::<5>(what),
        array::<3>(what),
        packed(what, (bits_u8::<3>(), flag(), bits_u16::<12>())),
    )
        .parse_complete(i)?;
    let (i, descriptors_raw) =
        counted("descriptors_loop_length", usize::from(loop_length)).parse_complete(i)?;
    Ok((
        i,
        EventView {
            event_id,
            start_time,
            duration,
            running_status,
            free_ca_mode,
            descriptors_raw,
        },
    ))
}

impl core::iter::FusedIterator for Events<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::descriptor::{Descriptor, ShortEvent};
    use crate::testsupport::si_build as build;

    const START: [u8; 5] = [0xEB, 0xBB, 0x09, 0x24, 0x00]; // MJD 60347 = 2024-02-07 09:24:00
    const DUR: [u8; 3] = [0x00, 0x30, 0x00];

    fn sample() -> Vec<u8> {
        let mut events = build::event(
            0x1001,
            START,
            DUR,
            4,
            true,
            &build::short_event(b"jpn", b"name", b"text"),
        );
        events.extend(build::event(0x1002, [0xFF; 5], [0xFF; 3], 1, false, &[]));
        build::eit(
            0x58, 0x0400, 7, 8, 0x18, 0x7FE0, 0x7FE1, 0x08, 0x5F, &events,
        )
    }

    #[test]
    fn header_accessors() {
        let s = sample();
        let e = Eit::parse(&s).unwrap();
        assert_eq!(e.table_id(), 0x58);
        assert_eq!(e.service_id(), 0x0400);
        assert_eq!(e.version(), 7);
        assert!(e.current_next());
        assert_eq!(e.section_number(), 8);
        assert_eq!(e.last_section_number(), 0x18);
        assert_eq!(e.transport_stream_id(), 0x7FE0);
        assert_eq!(e.original_network_id(), 0x7FE1);
        assert_eq!(e.segment_last_section_number(), 0x08);
        assert_eq!(e.last_table_id(), 0x5F);
        assert!(!e.is_pf());
        assert!(e.is_schedule());
        assert!(e.is_actual());
        assert!(!e.is_schedule_basic());
        assert!(e.is_schedule_extended());
        assert_eq!(e.section().crc, build::CRC);
    }

    #[test]
    fn events_and_descriptors() {
        let s = sample();
        let e = Eit::parse(&s).unwrap();
        let evs: Vec<_> = e.events().collect();
        assert_eq!(evs.len(), 2);
        let a = evs[0].unwrap();
        assert_eq!(a.event_id, 0x1001);
        assert_eq!(a.start_time, START);
        assert_eq!(a.duration, DUR);
        assert_eq!(a.running_status, 4);
        assert!(a.free_ca_mode);
        let st = a.start().unwrap().unwrap();
        assert_eq!(st.format_rfc3339(9 * 3600), "2024-02-07T09:24:00+09:00");
        assert_eq!(a.duration_seconds(), Ok(Some(1800)));
        assert_eq!(
            a.end().unwrap().unwrap().format_xmltv(9 * 3600),
            "20240207095400 +0900"
        );
        let ds: Vec<Descriptor> = a.descriptors().map(Result::unwrap).collect();
        assert_eq!(ds.len(), 1);
        let se = ds[0].view::<ShortEvent>().unwrap().unwrap();
        assert_eq!(
            (se.lang, se.event_name, se.text),
            (*b"jpn", &b"name"[..], &b"text"[..])
        );
        let b = evs[1].unwrap();
        assert_eq!(b.event_id, 0x1002);
        assert_eq!(b.start(), Ok(None));
        assert_eq!(b.duration_seconds(), Ok(None));
        assert_eq!(b.end(), Ok(None));
        assert_eq!(b.running_status, 1);
        assert!(!b.free_ca_mode);
        assert_eq!(b.descriptors().count(), 0);
    }

    #[test]
    fn table_id_predicates() {
        assert!(is_pf(0x4E) && is_pf(0x4F) && !is_pf(0x50));
        assert!(is_actual(0x4E) && !is_actual(0x4F));
        assert!(is_actual(0x50) && is_actual(0x5F) && !is_actual(0x60) && !is_actual(0x6F));
        assert!(is_schedule(0x50) && is_schedule(0x6F) && !is_schedule(0x4F) && !is_schedule(0x70));
        assert!(is_schedule_basic(0x50) && is_schedule_basic(0x57) && is_schedule_basic(0x67));
        assert!(!is_schedule_basic(0x58) && !is_schedule_basic(0x4E));
        assert!(is_schedule_extended(0x58) && is_schedule_extended(0x6F));
        assert!(!is_schedule_extended(0x57) && !is_schedule_extended(0x67));
        let s = build::eit(0x4F, 1, 0, 0, 1, 2, 3, 0, 0x4F, &[]);
        let e = Eit::parse(&s).unwrap();
        assert!(e.is_pf() && !e.is_actual() && !e.is_schedule());
        assert_eq!(e.events().count(), 0);
    }

    #[test]
    fn rejects_wrong_table_and_short_header() {
        let s = build::long_section(0x42, 1, 0, true, 0, 0, &[0; 6]);
        assert_eq!(Eit::parse(&s), Err(SiError::Invalid { what: "table_id" }));
        let s = build::long_section(0x70, 1, 0, true, 0, 0, &[0; 6]);
        assert_eq!(Eit::parse(&s), Err(SiError::Invalid { what: "table_id" }));
        let s = build::long_section(0x4E, 1, 0, true, 0, 0, &[0; 5]);
        assert_eq!(
            Eit::parse(&s),
            Err(SiError::Truncated { what: "EIT header" })
        );
        let mut s = sample();
        s.truncate(s.len() - 1); // section_length now one past the bytes
        assert_eq!(
            Eit::parse(&s),
            Err(SiError::LengthOverrun {
                what: "section_length"
            })
        );
    }

    #[test]
    fn lying_descriptors_loop_length_fuses_events() {
        let mut events = build::event(1, START, DUR, 4, false, &[]);
        // second event claims 0x0FF descriptor bytes but has 2
        let mut bad = build::event(2, START, DUR, 4, false, &[0x4D, 0x00]);
        bad[10] = 0xF0;
        bad[11] = 0xFF;
        events.extend(bad);
        events.extend(build::event(3, START, DUR, 4, false, &[]));
        let s = build::eit(0x4E, 1, 0, 0, 1, 2, 3, 0, 0x4E, &events);
        let e = Eit::parse(&s).unwrap();
        let mut it = e.events();
        assert_eq!(it.next().unwrap().unwrap().event_id, 1);
        assert_eq!(
            it.next(),
            Some(Err(SiError::LengthOverrun {
                what: "descriptors_loop_length"
            }))
        );
        assert_eq!(it.next(), None);
        assert_eq!(it.next(), None);
    }

    #[test]
    fn trailing_partial_event_is_an_error() {
        let mut events = build::event(1, START, DUR, 4, false, &[]);
        events.extend([0x00, 0x02, 0xEB]);
        let s = build::eit(0x4E, 1, 0, 0, 1, 2, 3, 0, 0x4E, &events);
        let e = Eit::parse(&s).unwrap();
        let v: Vec<_> = e.events().collect();
        assert_eq!(v.len(), 2);
        assert!(v[0].is_ok());
        assert_eq!(v[1], Err(SiError::Truncated { what: "event" }));
    }

    #[test]
    fn bad_descriptor_only_breaks_its_own_loop() {
        // event 1: one good descriptor then one whose length runs past the loop
        let mut d1 = build::short_event(b"jpn", b"a", b"");
        d1.extend([0x54, 0x09, 0x30]);
        let mut events = build::event(1, START, DUR, 4, false, &d1);
        events.extend(build::event(
            2,
            START,
            DUR,
            4,
            false,
            &build::short_event(b"eng", b"b", b""),
        ));
        let s = build::eit(0x4E, 1, 0, 0, 1, 2, 3, 0, 0x4E, &events);
        let e = Eit::parse(&s).unwrap();
        let evs: Vec<_> = e.events().map(Result::unwrap).collect();
        assert_eq!(evs.len(), 2);
        let d: Vec<_> = evs[0].descriptors().collect();
        assert_eq!(d.len(), 2);
        assert!(d[0].is_ok());
        assert_eq!(d[1], Err(SiError::DescriptorOverrun { tag: 0x54 }));
        let d: Vec<_> = evs[1].descriptors().collect();
        assert_eq!(d.len(), 1);
        assert!(d[0].is_ok());
    }

    #[test]
    fn bad_bcd_start_is_reported_per_event() {
        let events = build::event(
            1,
            [0xEB, 0xBB, 0x25, 0x00, 0x00],
            [0x01, 0x7A, 0],
            4,
            false,
            &[],
        );
        let s = build::eit(0x4E, 1, 0, 0, 1, 2, 3, 0, 0x4E, &events);
        let e = Eit::parse(&s).unwrap();
        let ev = e.events().next().unwrap().unwrap();
        assert_eq!(ev.start(), Err(SiError::BadBcd));
        assert_eq!(ev.duration_seconds(), Err(SiError::BadBcd));
        assert_eq!(ev.end(), Err(SiError::BadBcd));
    }
}
