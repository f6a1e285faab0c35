//! Builds the EPG model from valid sections: a [`SectionSink`] that parses EIT, SDT, NIT, TOT
//! and BIT sections and merges what they say.
//!
//! Rules (ARIB STD-B10 / TR-B14, EN 300 468 5.2):
//! - Events are keyed by (original_network_id, transport_stream_id, service_id, event_id).
//! - A section is identified by (table_id, table_id_extension, tsid, onid, section_number). A
//!   repeat with the same CRC is skipped before any parsing, so repeated cycles are cheap and
//!   idempotent. Any other content for the same identity is applied: **the most recently
//!   received version wins**, whatever its number (version numbers wrap 31 → 0).
//! - ISDB splits an event's information: basic (short event, content, components, series …) in
//!   p/f and schedule-basic tables 0x50–0x57/0x60–0x67, extended items in p/f and
//!   schedule-extended tables 0x58–0x5F/0x68–0x6F. Each kind of section replaces only its own
//!   part, so the two merge into one event. DVB sends everything in every EIT.
//! - Extended event descriptors are kept as raw bytes by descriptor_number, joined across
//!   descriptors and sections, and decoded once at the end: an item cut inside a two-byte
//!   character or an escape sequence decodes as a whole.
//! - Memory is bounded: at most [`CollectorOptions::max_events`] events and
//!   [`CollectorOptions::max_services`] services; what is refused is counted.

use crate::epg::model::{
    Audio, Clock, Completeness, DataContent, Epg, Event, EventGroup, Network, SdtSource, Series,
    Service, System, Timestamp, TransportStreamInfo, Video,
};
use crate::error::SiError;
use crate::psi::Section;
use crate::reader::SectionSink;
use crate::si::descriptor::{
    AudioComponent, Component, Content, DataContent as DataContentView, Descriptor, Descriptors,
    EventGroup as EventGroupView, ExtendedEvent, NetworkName, ParentalRating, Series as SeriesView,
    Service as ServiceDescriptor, ShortEvent, TsInformation,
};
use crate::si::time::{decode_duration, decode_start_time};
use crate::si::{Eit, Nit, Sdt, Tot};
use crate::stats::Stats;
use crate::text::{arib::AribDecoder, dvb::decode_dvb_parts, TextOptions};
use crate::ts::Pid;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// The collector's hash maps. Their keys come from the stream, so the hasher must be seeded per
/// process (a fixed hash would let a crafted stream pile every key into one bucket); foldhash's
/// `RandomState` is that, at a fraction of SipHash's cost for these small keys, which are
/// hashed several times for every section of the input, repeats included.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Options of the collector.
#[derive(Debug, Clone, Copy)]
pub struct CollectorOptions {
    /// How strings are decoded.
    pub text: TextOptions,
    /// Read only EIT present/following (0x4E/0x4F), not the schedule.
    pub pf_only: bool,
    /// Events kept at most; further new events are refused and counted.
    pub max_events: usize,
    /// Services kept at most.
    pub max_services: usize,
    /// Section identities remembered for repeat detection at most (beyond it sections are
    /// re-parsed, which is correct, only slower).
    pub max_section_ids: usize,
}

impl Default for CollectorOptions {
    fn default() -> Self {
        CollectorOptions {
            text: TextOptions::default(),
            pf_only: false,
            // A full 8-day CS guide is ~100 services × ~400 events; leave room for 5 times that.
            max_events: 200_000,
            max_services: 4_096,
            max_section_ids: 1 << 20,
        }
    }
}

/// The identity of a section for repeat detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SectionId {
    table_id: u8,
    extension: u16,
    extra: u32,
    section_number: u8,
}

type ServiceKey = (u16, u16, u16);

/// One extended event descriptor, raw: its `(item_description, item)` pairs and its text.
type ExtendedDescriptorRaw = (Vec<(Vec<u8>, Vec<u8>)>, Vec<u8>);

/// Raw parts of an extended event, by descriptor_number.
#[derive(Debug, Clone, Default, PartialEq)]
struct ExtendedRaw {
    descriptors: BTreeMap<u8, (SectionId, ExtendedDescriptorRaw)>,
}

/// A video component, text raw: stream_content, component_type, component_tag, language, text.
type VideoRaw = (u8, u8, u8, [u8; 3], Vec<u8>);

/// TS information from the NIT: remote_control_key_id and raw ts_name.
type TsInfoRaw = (Option<u8>, Option<Vec<u8>>);

/// The basic part of an event, strings still raw.
#[derive(Debug, Clone, Default, PartialEq)]
struct BasicRaw {
    title: Vec<u8>,
    text: Vec<u8>,
    genres: Vec<[u8; 4]>,
    video: Option<VideoRaw>,
    audio: Vec<AudioRaw>,
    series: Option<SeriesRaw>,
    event_group: Vec<EventGroup>,
    data_content: Option<(u16, u8, Vec<u8>)>,
    parental_rating: Vec<([u8; 3], u8)>,
}

#[derive(Debug, Clone, PartialEq)]
struct AudioRaw {
    stream_content: u8,
    component_type: u8,
    component_tag: u8,
    stream_type: u8,
    simulcast_group_tag: u8,
    multi_lingual: bool,
    main: bool,
    quality: u8,
    sampling_rate: u8,
    lang: [u8; 3],
    lang2: Option<[u8; 3]>,
    text: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
struct SeriesRaw {
    series_id: u16,
    repeat_label: u8,
    program_pattern: u8,
    expire_date: Option<String>,
    episode_number: u16,
    last_episode_number: u16,
    name: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
struct EventAcc {
    start: Option<crate::si::time::CivilTime>,
    duration: Option<u32>,
    running_status: u8,
    free_ca_mode: bool,
    basic: Option<BasicRaw>,
    /// The section the basic part came from.
    basic_from: Option<SectionId>,
    extended: Option<ExtendedRaw>,
    sources: u8,
    version_updated: bool,
}

/// A sub-table's reception state, for completeness (segments of 8 sections, ARIB TR-B14 /
/// EN 300 468 5.2.4).
#[derive(Debug, Clone)]
struct SubTable {
    version: u8,
    last_section_number: u8,
    last_table_id: u8,
    received: [u64; 4],
    segment_last: [u8; 32],
}

impl SubTable {
    fn new(version: u8, last_section_number: u8, last_table_id: u8) -> Self {
        SubTable {
            version,
            last_section_number,
            last_table_id,
            received: [0; 4],
            segment_last: [0xFF; 32],
        }
    }

    fn mark(&mut self, section_number: u8, segment_last: u8) {
        let n = usize::from(section_number);
        if let Some(word) = self.received.get_mut(n / 64) {
            *word |= 1 << (n % 64);
        }
        if let Some(s) = self.segment_last.get_mut(n / 8) {
            *s = segment_last.clamp(section_number, section_number | 7);
        }
    }

    fn has(&self, n: usize) -> bool {
        self.received
            .get(n / 64)
            .is_some_and(|w| w & (1 << (n % 64)) != 0)
    }

    /// (received, expected, complete).
    fn progress(&self, segmented: bool) -> (u32, u32, bool) {
        let mut received = 0;
        let mut expected = 0;
        let mut complete = true;
        let last = usize::from(self.last_section_number);
        if !segmented {
            for n in 0..=last {
                expected += 1;
                if self.has(n) {
                    received += 1;
                } else {
                    complete = false;
                }
            }
            return (received, expected, complete);
        }
        for seg in 0..=last / 8 {
            let first = seg * 8;
            match self.segment_last.get(seg).copied() {
                Some(l) if l != 0xFF => {
                    for n in first..=usize::from(l).min(last) {
                        expected += 1;
                        if self.has(n) {
                            received += 1;
                        } else {
                            complete = false;
                        }
                    }
                }
                _ => {
                    expected += 1;
                    complete = false;
                }
            }
        }
        (received, expected, complete)
    }
}

#[derive(Debug, Clone, Default)]
struct ServiceAcc {
    name: Vec<u8>,
    provider: Vec<u8>,
    service_type: Option<u8>,
    sdt: Option<SdtSource>,
    eit_schedule_flag: Option<bool>,
    eit_present_following_flag: Option<bool>,
    free_ca_mode: Option<bool>,
    events: Map<u16, EventAcc>,
}

#[derive(Debug, Clone, Default)]
struct NetworkAcc {
    network_id: u16,
    name: Vec<u8>,
    transport_streams: BTreeMap<(u16, u16), TsInfoRaw>,
}

/// Evidence for the broadcast system, weighed at the end: EIT/SDT sections from ARIB
/// original_network_ids against the others, plus ARIB-only tables (BIT) and the NIT's TS
/// information descriptor. Descriptor tags inside EIT loops are not used: DVB broadcasters put
/// private descriptors in the same 0x80–0xFE range.
#[derive(Debug, Clone, Copy, Default)]
struct SystemEvidence {
    isdb: u32,
    dvb: u32,
}

impl SystemEvidence {
    fn count(&mut self, isdb: bool) {
        if isdb {
            self.isdb = self.isdb.saturating_add(1);
        } else {
            self.dvb = self.dvb.saturating_add(1);
        }
    }
}

/// Builds an [`Epg`] from sections. Use it as the sink of a [`crate::reader::TsReader`], then
/// call [`Collector::finish`].
#[derive(Debug, Clone)]
pub struct Collector {
    opts: CollectorOptions,
    seen: Map<SectionId, u32>,
    services: BTreeMap<ServiceKey, ServiceAcc>,
    event_count: usize,
    subtables: Map<(ServiceKey, u8), SubTable>,
    /// Per EIT section identity: its version and the events it listed last.
    owners: Map<SectionId, (u8, Vec<u16>)>,
    network: Option<NetworkAcc>,
    clock: Option<Clock>,
    evidence: SystemEvidence,
}

impl Default for Collector {
    fn default() -> Self {
        Self::new(CollectorOptions::default())
    }
}

impl SectionSink for Collector {
    fn section(&mut self, _pid: Pid, section: Section<'_>, stats: &mut Stats) {
        self.add_section(section.bytes(), stats);
    }
}

fn bump(counter: &mut u64) {
    *counter = counter.saturating_add(1);
}

/// The service accumulator for `key`, created unless the cap of `max` services is reached.
fn service_entry<'s>(
    services: &'s mut BTreeMap<ServiceKey, ServiceAcc>,
    max: usize,
    key: ServiceKey,
    stats: &mut Stats,
) -> Option<&'s mut ServiceAcc> {
    if !services.contains_key(&key) && services.len() >= max {
        bump(&mut stats.si.refused_by_cap);
        return None;
    }
    Some(services.entry(key).or_default())
}

/// ARIB original_network_ids: BS 0x0004, CS 0x0006/0x0007/0x000A, terrestrial 0x7880–0x7FE8
/// (ARIB STD-B10 Part 2 Appendix N, TR-B14).
fn is_japanese_network(onid: u16) -> bool {
    matches!(onid, 0x0004 | 0x0006 | 0x0007 | 0x000A | 0x7880..=0x7FE8)
}

impl Collector {
    /// A collector with `opts`.
    pub fn new(opts: CollectorOptions) -> Self {
        Collector {
            opts,
            seen: Map::default(),
            services: BTreeMap::new(),
            event_count: 0,
            subtables: Map::default(),
            owners: Map::default(),
            network: None,
            clock: None,
            evidence: SystemEvidence::default(),
        }
    }

    /// Adds one whole section (CRC already checked). Unknown tables are ignored.
    pub fn add_section(&mut self, bytes: &[u8], stats: &mut Stats) {
        let Some(&table_id) = bytes.first() else {
            return;
        };
        let result = match table_id {
            0x4E..=0x6F => self.eit(bytes, stats),
            0x42 | 0x46 => self.sdt(bytes, stats),
            0x40 => self.nit(bytes, stats),
            0x70 | 0x73 => self.tot(bytes),
            0xC4 => {
                self.evidence.isdb += 1;
                Ok(())
            }
            _ => Ok(()),
        };
        if result.is_err() {
            bump(&mut stats.si.table_errors);
        }
    }

    /// Whether `bytes` repeats the last section received with the same identity.
    fn is_repeat(&mut self, id: SectionId, bytes: &[u8]) -> bool {
        let crc = match bytes.len().checked_sub(4).and_then(|n| bytes.get(n..)) {
            Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
            _ => return false,
        };
        match self.seen.get_mut(&id) {
            Some(prev) if *prev == crc => true,
            Some(prev) => {
                *prev = crc;
                false
            }
            None => {
                if self.seen.len() < self.opts.max_section_ids {
                    self.seen.insert(id, crc);
                }
                false
            }
        }
    }

    fn service_entry(&mut self, key: ServiceKey, stats: &mut Stats) -> Option<&mut ServiceAcc> {
        service_entry(&mut self.services, self.opts.max_services, key, stats)
    }

    fn eit(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), SiError> {
        let eit = Eit::parse(bytes)?;
        if !eit.current_next() {
            return Ok(());
        }
        let table_id = eit.table_id();
        if self.opts.pf_only && !eit.is_pf() {
            return Ok(());
        }
        let onid = eit.original_network_id();
        let key: ServiceKey = (onid, eit.transport_stream_id(), eit.service_id());
        let isdb = is_japanese_network(onid);
        self.evidence.count(isdb);
        let id = SectionId {
            table_id,
            extension: eit.service_id(),
            extra: u32::from(key.1) << 16 | u32::from(onid),
            section_number: eit.section_number(),
        };
        // Completeness is tracked even for repeats (cheap: a bit set).
        self.track(key, &eit);
        if self.is_repeat(id, bytes) {
            return Ok(());
        }
        let source_bit = match (eit.is_pf(), eit.is_actual()) {
            (true, true) => 1,
            (true, false) => 2,
            (false, true) => 4,
            (false, false) => 8,
        };
        // In ISDB the schedule is split into basic and extended tables; in DVB (and in every
        // p/f table) one section carries both.
        let split = isdb;
        let carries_basic = !(split && eit.is_schedule_extended());
        let carries_extended_table = split && eit.is_schedule_extended();
        let mut listed = Vec::new();
        for ev in eit.events() {
            let ev = match ev {
                Ok(ev) => ev,
                Err(_) => {
                    bump(&mut stats.si.event_errors);
                    break;
                }
            };
            let (start, duration) = match (
                decode_start_time(ev.start_time),
                decode_duration(ev.duration),
            ) {
                (Ok(s), Ok(d)) => (s, d),
                _ => {
                    bump(&mut stats.si.event_errors);
                    continue;
                }
            };
            let basic = carries_basic.then(|| basic_of(ev.descriptors(), isdb, stats));
            let extended = self.extended_of(ev.descriptors(), id);
            let full = self.event_count >= self.opts.max_events;
            let Some(service) =
                service_entry(&mut self.services, self.opts.max_services, key, stats)
            else {
                return Ok(());
            };
            let is_new = !service.events.contains_key(&ev.event_id);
            if is_new && full {
                bump(&mut stats.si.refused_by_cap);
                continue;
            }
            let acc = service.events.entry(ev.event_id).or_default();
            if is_new {
                self.event_count += 1;
            }
            acc.start = start;
            acc.duration = duration;
            acc.running_status = ev.running_status;
            acc.free_ca_mode = ev.free_ca_mode;
            acc.sources |= source_bit;
            if let Some(basic) = basic {
                if acc.basic.as_ref().is_some_and(|b| *b != basic) {
                    acc.version_updated = true;
                }
                acc.basic = Some(basic);
                acc.basic_from = Some(id);
            }
            // Descriptors this section sent before are replaced by what it sends now.
            let mut ext = acc.extended.take().unwrap_or_default();
            ext.descriptors.retain(|_, (from, _)| *from != id);
            if let Some(new) = extended {
                ext.descriptors.extend(new.descriptors);
            } else if carries_extended_table {
                // An extended table that no longer lists items for this event.
                ext.descriptors.clear();
            }
            acc.extended = (!ext.descriptors.is_empty()).then_some(ext);
            listed.push(ev.event_id);
        }
        self.settle_owner(id, key, eit.version(), listed);
        Ok(())
    }

    /// Remembers which events section `id` listed. When the same section identity arrives
    /// again with the same version but different content (a version must change with the
    /// content, so the earlier content was corrupt), what the earlier content alone said is
    /// withdrawn. After a real version change nothing is withdrawn: an event that left the
    /// p/f table or a past segment is still a good event of the recording.
    fn settle_owner(&mut self, id: SectionId, key: ServiceKey, version: u8, mut listed: Vec<u16>) {
        listed.sort_unstable();
        let previous =
            if self.owners.len() < self.opts.max_section_ids || self.owners.contains_key(&id) {
                self.owners.insert(id, (version, listed.clone()))
            } else {
                None
            };
        let Some((old_version, old)) = previous else {
            return;
        };
        if old_version != version {
            return;
        }
        let Some(service) = self.services.get_mut(&key) else {
            return;
        };
        for event_id in old.into_iter().filter(|e| listed.binary_search(e).is_err()) {
            let Some(acc) = service.events.get_mut(&event_id) else {
                continue;
            };
            if acc.basic_from == Some(id) {
                acc.basic = None;
                acc.basic_from = None;
            }
            if let Some(ext) = &mut acc.extended {
                ext.descriptors.retain(|_, (from, _)| *from != id);
                if ext.descriptors.is_empty() {
                    acc.extended = None;
                }
            }
            if acc.basic.is_none() && acc.extended.is_none() {
                service.events.remove(&event_id);
                self.event_count = self.event_count.saturating_sub(1);
            }
        }
    }

    fn track(&mut self, key: ServiceKey, eit: &Eit<'_>) {
        let table_id = eit.table_id();
        let last_table_id = if eit.is_pf() {
            table_id
        } else {
            eit.last_table_id()
        };
        let full = self.subtables.len() >= self.opts.max_services * 32;
        let st = match self.subtables.entry((key, table_id)) {
            Entry::Occupied(e) => e.into_mut(),
            // Bounded like the services: a hostile stream cannot grow this table forever.
            Entry::Vacant(_) if full => return,
            Entry::Vacant(e) => e.insert(SubTable::new(
                eit.version(),
                eit.last_section_number(),
                last_table_id,
            )),
        };
        if st.version != eit.version() {
            *st = SubTable::new(eit.version(), eit.last_section_number(), last_table_id);
        }
        st.last_section_number = eit.last_section_number();
        st.last_table_id = last_table_id;
        let seg_last = if eit.is_pf() {
            eit.section_number()
        } else {
            eit.segment_last_section_number()
        };
        st.mark(eit.section_number(), seg_last);
    }

    /// The extended event descriptors of one event, or `None` when it has none.
    fn extended_of(&self, descriptors: Descriptors<'_>, id: SectionId) -> Option<ExtendedRaw> {
        let mut ext: Option<ExtendedRaw> = None;
        for d in descriptors.map_while(Result::ok).filter(|d| d.tag == 0x4E) {
            let Ok(e) = ExtendedEvent::parse(d.body) else {
                continue;
            };
            let items: Vec<(Vec<u8>, Vec<u8>)> = e
                .items()
                .map_while(Result::ok)
                .map(|i| (i.description.to_vec(), i.item.to_vec()))
                .collect();
            ext.get_or_insert_with(ExtendedRaw::default)
                .descriptors
                .insert(e.descriptor_number, (id, (items, e.text.to_vec())));
        }
        ext
    }

    fn sdt(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), SiError> {
        let sdt = Sdt::parse(bytes)?;
        if !sdt.current_next() {
            return Ok(());
        }
        let onid = sdt.original_network_id();
        let tsid = sdt.transport_stream_id();
        self.evidence.count(is_japanese_network(onid));
        let id = SectionId {
            table_id: sdt.table_id(),
            extension: tsid,
            extra: u32::from(onid),
            section_number: sdt.section_number(),
        };
        if self.is_repeat(id, bytes) {
            return Ok(());
        }
        let source = if sdt.is_actual() {
            SdtSource::Actual
        } else {
            SdtSource::Other
        };
        for sv in sdt.services() {
            let sv = match sv {
                Ok(sv) => sv,
                Err(_) => {
                    bump(&mut stats.si.event_errors);
                    break;
                }
            };
            let mut name = None;
            for d in sv.descriptors() {
                match d {
                    Ok(d) if d.tag == 0x48 => match ServiceDescriptor::parse(d.body) {
                        Ok(s) => {
                            name = Some((
                                s.service_type,
                                s.provider_name.to_vec(),
                                s.service_name.to_vec(),
                            ))
                        }
                        Err(_) => bump(&mut stats.si.descriptor_errors),
                    },
                    Ok(_) => {}
                    Err(_) => {
                        bump(&mut stats.si.descriptor_errors);
                        break;
                    }
                }
            }
            let Some(acc) = self.service_entry((onid, tsid, sv.service_id), stats) else {
                return Ok(());
            };
            // An SDT actual entry is not overwritten by an SDT other one.
            if acc.sdt == Some(SdtSource::Actual) && source == SdtSource::Other {
                continue;
            }
            acc.sdt = Some(source);
            acc.eit_schedule_flag = Some(sv.eit_schedule_flag);
            acc.eit_present_following_flag = Some(sv.eit_present_following_flag);
            acc.free_ca_mode = Some(sv.free_ca_mode);
            if let Some((service_type, provider, name)) = name {
                acc.service_type = Some(service_type);
                acc.provider = provider;
                acc.name = name;
            }
        }
        Ok(())
    }

    fn nit(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), SiError> {
        let nit = Nit::parse(bytes)?;
        if !nit.current_next() {
            return Ok(());
        }
        let id = SectionId {
            table_id: nit.table_id(),
            extension: nit.network_id(),
            extra: 0,
            section_number: nit.section_number(),
        };
        if self.is_repeat(id, bytes) {
            return Ok(());
        }
        let net = self.network.get_or_insert_with(NetworkAcc::default);
        net.network_id = nit.network_id();
        for d in nit.network_descriptors() {
            match d {
                Ok(d) if d.tag == 0x40 => {
                    if let Ok(n) = NetworkName::parse(d.body) {
                        net.name = n.name.to_vec();
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    bump(&mut stats.si.descriptor_errors);
                    break;
                }
            }
        }
        for ts in nit.transport_streams() {
            let Ok(ts) = ts else {
                bump(&mut stats.si.event_errors);
                break;
            };
            let mut info = (None, None);
            for d in ts.descriptors() {
                match d {
                    Ok(d) if d.tag == 0xCD => {
                        self.evidence.isdb += 1;
                        if let Ok(t) = TsInformation::parse(d.body) {
                            info = (Some(t.remote_control_key_id), Some(t.ts_name.to_vec()));
                        }
                    }
                    Ok(_) => {}
                    Err(_) => {
                        bump(&mut stats.si.descriptor_errors);
                        break;
                    }
                }
            }
            if net.transport_streams.len() < 1024 {
                net.transport_streams
                    .insert((ts.transport_stream_id, ts.original_network_id), info);
            }
        }
        Ok(())
    }

    fn tot(&mut self, bytes: &[u8]) -> Result<(), SiError> {
        let tot = Tot::parse(bytes)?;
        let Some(local) = tot.time()? else {
            return Ok(());
        };
        // The offset is applied when the system is known; keep the civil time for now.
        let t = Timestamp {
            local,
            utc_offset: 0,
        };
        match &mut self.clock {
            Some(c) => {
                c.last = t;
                c.count += 1;
            }
            None => {
                self.clock = Some(Clock {
                    first: t,
                    last: t,
                    count: 1,
                })
            }
        }
        Ok(())
    }

    /// The broadcast system the evidence points to.
    pub fn system(&self) -> System {
        if self.evidence.isdb > 0 && self.evidence.isdb > self.evidence.dvb {
            System::Isdb
        } else {
            System::Dvb
        }
    }

    /// Completeness of every service that has EIT sub-tables.
    pub fn completeness(&self) -> BTreeMap<(u16, u16, u16), Completeness> {
        let mut out: BTreeMap<ServiceKey, Completeness> = BTreeMap::new();
        let segmented = |tid: u8| (0x50..=0x6F).contains(&tid);
        // Families: first table id of each group and the tables it announces.
        let mut families: BTreeMap<(ServiceKey, u8), u8> = BTreeMap::new();
        for ((key, tid), st) in &self.subtables {
            let base = match tid {
                0x4E | 0x4F => *tid,
                t if self.system() == System::Isdb => t & 0xF8,
                t => t & 0xF0,
            };
            let last = families.entry((*key, base)).or_insert(base);
            *last = (*last).max(st.last_table_id.max(*tid));
        }
        for ((key, base), last) in families {
            let entry = out.entry(key).or_insert(Completeness {
                received: 0,
                expected: 0,
                complete: true,
            });
            for tid in base..=last {
                match self.subtables.get(&(key, tid)) {
                    Some(st) => {
                        let (r, e, c) = st.progress(segmented(tid));
                        entry.received += r;
                        entry.expected += e;
                        entry.complete &= c;
                    }
                    None => {
                        entry.expected += 1;
                        entry.complete = false;
                    }
                }
            }
        }
        out
    }

    /// Whether every announced schedule is complete: every service whose EIT was seen has all
    /// its announced sub-tables, and every service the SDT actual flags with EIT_schedule_flag
    /// has been seen. This is what `--until-complete` waits for.
    pub fn is_complete(&self) -> bool {
        let done = self.completeness();
        if done.is_empty() || !done.values().all(|c| c.complete) {
            return false;
        }
        self.services.iter().all(|(key, s)| {
            !(s.sdt == Some(SdtSource::Actual) && s.eit_schedule_flag == Some(true))
                || self.pf_or_schedule_seen(*key)
        })
    }

    fn pf_or_schedule_seen(&self, key: ServiceKey) -> bool {
        self.subtables
            .keys()
            .any(|(k, tid)| *k == key && (self.opts.pf_only || *tid >= 0x50))
    }

    /// Seconds of stream time between the first and the last TOT/TDT seen, when any.
    pub fn stream_seconds(&self) -> Option<i64> {
        self.clock
            .map(|c| c.last.local.to_unix(0) - c.first.local.to_unix(0))
    }

    /// Events collected so far.
    pub fn event_count(&self) -> usize {
        self.event_count
    }

    /// Decodes every string and returns the model; fills the model counters of `stats`.
    pub fn finish(&self, stats: &mut Stats) -> Epg {
        let system = self.system();
        let offset = system.utc_offset();
        let mut text = TextDecoder::new(system, self.opts.text);
        let completeness = self.completeness();
        let rc_keys: HashMap<(u16, u16), u8> = self
            .network
            .iter()
            .flat_map(|n| n.transport_streams.iter())
            .filter_map(|((tsid, onid), (rc, _))| rc.map(|rc| ((*tsid, *onid), rc)))
            .collect();
        let mut services = Vec::with_capacity(self.services.len());
        for (&(onid, tsid, sid), acc) in &self.services {
            let mut events: Vec<Event> = acc
                .events
                .iter()
                .map(|(&event_id, e)| build_event(event_id, e, offset, &mut text))
                .collect();
            events.sort_by_key(|e| (e.start.is_none(), e.start.map(|s| s.unix()), e.event_id));
            services.push(Service {
                onid,
                tsid,
                sid,
                name: text.decode(&[&acc.name]),
                provider: text.decode(&[&acc.provider]),
                service_type: acc.service_type,
                sdt: acc.sdt.unwrap_or(SdtSource::None),
                eit_schedule_flag: acc.eit_schedule_flag,
                eit_present_following_flag: acc.eit_present_following_flag,
                free_ca_mode: acc.free_ca_mode,
                remote_control_key_id: rc_keys.get(&(tsid, onid)).copied(),
                events,
                completeness: completeness
                    .get(&(onid, tsid, sid))
                    .copied()
                    .unwrap_or_default(),
            });
        }
        let network = self.network.as_ref().map(|n| Network {
            network_id: n.network_id,
            name: text.decode(&[&n.name]),
            transport_streams: n
                .transport_streams
                .iter()
                .map(|((tsid, onid), (rc, name))| TransportStreamInfo {
                    transport_stream_id: *tsid,
                    original_network_id: *onid,
                    remote_control_key_id: *rc,
                    ts_name: name.as_ref().map(|b| text.decode(&[b])),
                })
                .collect(),
        });
        let clock = self.clock.map(|mut c| {
            c.first.utc_offset = offset;
            c.last.utc_offset = offset;
            c
        });
        stats.si.services = services.len() as u64;
        stats.si.events = services.iter().map(|s| s.events.len() as u64).sum();
        stats.si.text_replacements = stats.si.text_replacements.saturating_add(text.replacements);
        stats.si.services_complete = completeness.values().filter(|c| c.complete).count() as u64;
        stats.si.completeness = completeness
            .iter()
            .map(|((onid, tsid, sid), c)| {
                (format!("{onid}.{tsid}.{sid}"), [c.received, c.expected])
            })
            .collect();
        Epg {
            system,
            network,
            services,
            clock,
        }
    }
}

/// The basic part of an event from its descriptor loop; a descriptor that fails to parse is
/// counted and skipped, and a loop that overruns stops there.
fn basic_of(descriptors: Descriptors<'_>, isdb: bool, stats: &mut Stats) -> BasicRaw {
    let mut b = BasicRaw::default();
    for d in descriptors {
        let Ok(d) = d else {
            bump(&mut stats.si.descriptor_errors);
            break;
        };
        if apply_basic(&mut b, d, isdb).is_err() {
            bump(&mut stats.si.descriptor_errors);
        }
    }
    b
}

/// Applies one descriptor of the basic part.
fn apply_basic(b: &mut BasicRaw, d: Descriptor<'_>, isdb: bool) -> Result<(), SiError> {
    match d.tag {
        0x4D => {
            // DVB may send one short event descriptor per language; the first one is kept.
            let s = ShortEvent::parse(d.body)?;
            if b.title.is_empty() && b.text.is_empty() {
                b.title = s.event_name.to_vec();
                b.text = s.text.to_vec();
            }
        }
        0x54 => {
            let c = Content::parse(d.body)?;
            b.genres
                .extend(c.entries().map(|e| [e.level1, e.level2, e.user1, e.user2]));
        }
        0x50 => {
            let c = Component::parse(d.body)?;
            match c.stream_content {
                // DVB audio stream contents (EN 300 468 table 26).
                0x02 | 0x04 | 0x06 | 0x07 if !isdb => b.audio.push(AudioRaw {
                    stream_content: c.stream_content,
                    component_type: c.component_type,
                    component_tag: c.component_tag,
                    stream_type: 0,
                    simulcast_group_tag: 0xFF,
                    multi_lingual: false,
                    main: b.audio.is_empty(),
                    quality: 0,
                    sampling_rate: 0,
                    lang: c.lang,
                    lang2: None,
                    text: c.text.to_vec(),
                }),
                _ if b.video.is_none() => {
                    b.video = Some((
                        c.stream_content,
                        c.component_type,
                        c.component_tag,
                        c.lang,
                        c.text.to_vec(),
                    ))
                }
                _ => {}
            }
        }
        0xC4 => {
            let a = AudioComponent::parse(d.body)?;
            b.audio.push(AudioRaw {
                stream_content: a.stream_content,
                component_type: a.component_type,
                component_tag: a.component_tag,
                stream_type: a.stream_type,
                simulcast_group_tag: a.simulcast_group_tag,
                multi_lingual: a.es_multi_lingual,
                main: a.main_component,
                quality: a.quality_indicator,
                sampling_rate: a.sampling_rate,
                lang: a.lang,
                lang2: a.lang2,
                text: a.text.to_vec(),
            });
        }
        0xD5 => {
            let s = SeriesView::parse(d.body)?;
            b.series = Some(SeriesRaw {
                series_id: s.series_id,
                repeat_label: s.repeat_label,
                program_pattern: s.program_pattern,
                expire_date: s
                    .expire_date()
                    .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
                episode_number: s.episode_number,
                last_episode_number: s.last_episode_number,
                name: s.series_name.to_vec(),
            });
        }
        0xD6 => {
            let g = EventGroupView::parse(d.body)?;
            b.event_group.push(EventGroup {
                group_type: g.group_type,
                events: g.events().map(|e| (e.service_id, e.event_id)).collect(),
                other_network: g
                    .other_network_events()
                    .map(|e| {
                        (
                            e.original_network_id,
                            e.transport_stream_id,
                            e.service_id,
                            e.event_id,
                        )
                    })
                    .collect(),
            });
        }
        0xC7 => {
            let dc = DataContentView::parse(d.body)?;
            b.data_content = Some((dc.data_component_id, dc.entry_component, dc.text.to_vec()));
        }
        0x55 => {
            let p = ParentalRating::parse(d.body)?;
            b.parental_rating
                .extend(p.entries().map(|e| (e.country, e.rating)));
        }
        _ => {}
    }
    Ok(())
}

/// Decodes strings with the decoder of the stream's system and counts replacements.
struct TextDecoder {
    system: System,
    arib: AribDecoder,
    replacements: u64,
}

impl TextDecoder {
    fn new(system: System, opts: TextOptions) -> Self {
        TextDecoder {
            system,
            arib: AribDecoder::new(opts),
            replacements: 0,
        }
    }

    /// Decodes the concatenation of `parts` as one string.
    fn decode(&mut self, parts: &[&[u8]]) -> String {
        let mut out = String::new();
        let n = match self.system {
            System::Isdb => self.arib.decode_parts_append(parts, &mut out),
            System::Dvb => {
                let d = decode_dvb_parts(parts);
                out = d.text;
                d.replacements
            }
        };
        if n > 0 {
            self.replacements += 1;
        }
        out
    }
}

fn lang(code: [u8; 3]) -> String {
    code.iter()
        .filter(|b| b.is_ascii_graphic())
        .map(|&b| char::from(b))
        .collect()
}

fn build_event(event_id: u16, e: &EventAcc, offset: i32, text: &mut TextDecoder) -> Event {
    let basic = e.basic.clone().unwrap_or_default();
    let mut extended = Vec::new();
    let mut extended_text = Vec::new();
    if let Some(ext) = &e.extended {
        // Items joined by raw bytes across descriptors: an empty description continues the
        // previous item (ARIB STD-B10 6.2.7, TR-B14).
        let mut joined: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for (_, (items, t)) in ext.descriptors.values() {
            for (desc, item) in items {
                match joined.last_mut() {
                    Some(last) if desc.is_empty() => last.1.extend_from_slice(item),
                    _ => joined.push((desc.clone(), item.clone())),
                }
            }
            extended_text.extend_from_slice(t);
        }
        extended = joined
            .iter()
            .map(|(d, i)| (text.decode(&[d]), text.decode(&[i])))
            .collect();
    }
    let sources: Vec<&'static str> = [
        (1, "pf/actual"),
        (2, "pf/other"),
        (4, "schedule/actual"),
        (8, "schedule/other"),
    ]
    .iter()
    .filter(|(bit, _)| e.sources & bit != 0)
    .map(|&(_, s)| s)
    .collect();
    Event {
        event_id,
        start: e.start.map(|local| Timestamp {
            local,
            utc_offset: offset,
        }),
        duration: e.duration,
        title: text.decode(&[&basic.title]),
        text: text.decode(&[&basic.text]),
        extended,
        extended_text: text.decode(&[&extended_text]),
        genres: basic.genres.clone(),
        video: basic.video.as_ref().map(|(sc, ct, tag, l, t)| Video {
            stream_content: *sc,
            component_type: *ct,
            component_tag: *tag,
            lang: lang(*l),
            text: text.decode(&[t]),
        }),
        audio: basic
            .audio
            .iter()
            .map(|a| Audio {
                stream_content: a.stream_content,
                component_tag: a.component_tag,
                stream_type: a.stream_type,
                simulcast_group_tag: a.simulcast_group_tag,
                main: a.main,
                quality: a.quality,
                sampling_rate: a.sampling_rate,
                lang: lang(a.lang),
                lang2: a.lang2.map(lang),
                multi_lingual: a.multi_lingual,
                component_type: a.component_type,
                text: text.decode(&[&a.text]),
            })
            .collect(),
        series: basic.series.as_ref().map(|s| Series {
            series_id: s.series_id,
            repeat_label: s.repeat_label,
            program_pattern: s.program_pattern,
            expire_date: s.expire_date.clone(),
            episode_number: s.episode_number,
            last_episode_number: s.last_episode_number,
            series_name: text.decode(&[&s.name]),
        }),
        event_group: basic.event_group.clone(),
        data_content: basic
            .data_content
            .as_ref()
            .map(|(id, entry, t)| DataContent {
                data_component_id: *id,
                entry_component: *entry,
                text: text.decode(&[t]),
            }),
        parental_rating: basic
            .parental_rating
            .iter()
            .map(|(c, r)| (lang(*c), *r))
            .collect(),
        free_ca_mode: e.free_ca_mode,
        running_status: e.running_status,
        sources,
        version_updated: e.version_updated,
    }
}
