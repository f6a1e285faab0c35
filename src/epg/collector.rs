//! Builds the EPG model from valid sections: a [`SectionSink`] that parses EIT, SDT, NIT, TOT
//! and BIT sections and hands what they say to the merge rules.
//!
//! Rules (ARIB STD-B10 / TR-B14, EN 300 468 5.2):
//! - Events are keyed by (original_network_id, transport_stream_id, service_id, event_id).
//! - A section is identified by (table_id, table_id_extension, tsid, onid, section_number). A
//!   repeat with the same CRC is skipped before any parsing, so repeated cycles are cheap and
//!   idempotent. Any other content for the same identity is applied: **the most recently
//!   received version wins**, whatever its number (version numbers wrap 31 → 0), and it
//!   replaces what the section said before: events it no longer lists lose it as a carrier.
//! - What an event is, and whether it is still announced, is decided by the `merge` module:
//!   schedule sections are authoritative, what aired stays, p/f decides timing.
//! - Extended event descriptors are kept as raw bytes by descriptor_number, joined across
//!   descriptors and sections, and decoded once at the end: an item cut inside a two-byte
//!   character or an escape sequence decodes as a whole.
//! - Memory is bounded: at most [`CollectorOptions::max_events`] events and
//!   [`CollectorOptions::max_services`] services; what is refused is counted.

use super::complete::{self, ServiceKey, SubTable};
use super::merge::{
    model_bytes_of, Authority, EventAcc, LeftAt, SectionId, Timing, EVENT_FIXED_BYTES,
};
use super::raw::{basic_of, extended_heap_bytes, extended_of, BasicRaw};
use crate::epg::model::{Clock, Completeness, SdtSource, System};
use crate::error::SiError;
use crate::psi::Section;
use crate::reader::SectionSink;
use crate::si::time::{decode_duration, decode_start_time};
use crate::si::Eit;
use crate::stats::Stats;
use crate::text::TextOptions;
use crate::ts::Pid;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

mod finish;
mod tables;

/// TS information from the NIT: remote_control_key_id and raw ts_name.
type TsInfoRaw = (Option<u8>, Option<Vec<u8>>);

/// The collector's hash maps. Their keys come from the stream, so the hasher must be seeded per
/// process (a fixed hash would let a crafted stream pile every key into one bucket); foldhash's
/// `RandomState` is that, at a fraction of SipHash's cost for these small keys, which are
/// hashed several times for every section of the input, repeats included.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The default byte budget of the model: 256 MiB.
pub const DEFAULT_MODEL_BYTES: usize = 256 << 20;

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
    /// Bytes the events may cost at most, raw parts and decoded text together (an estimate,
    /// see `--memory-budget`); new events, and new content that would grow an event, are
    /// refused past it and counted in `si.refused_by_budget`.
    pub max_model_bytes: usize,
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
            // Enough for ~60k events of rich Japanese text (the largest 8-day CS guide is
            // ~40k), and with the collector's fixed tables a peak RSS under 512 MiB.
            max_model_bytes: DEFAULT_MODEL_BYTES,
        }
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

/// Builds an [`Epg`](crate::epg::Epg) from sections. Use it as the sink of a [`crate::reader::TsReader`], then
/// call [`Collector::finish`].
#[derive(Debug, Clone)]
pub struct Collector {
    opts: CollectorOptions,
    seen: Map<SectionId, u32>,
    services: BTreeMap<ServiceKey, ServiceAcc>,
    event_count: usize,
    /// What the events cost, estimated ([`EventAcc::model_bytes`]).
    model_bytes: usize,
    subtables: Map<(ServiceKey, u8), SubTable>,
    /// Per EIT section identity: its version and the events it listed last.
    owners: Map<SectionId, (u8, Vec<u16>)>,
    network: Option<NetworkAcc>,
    clock: Option<Clock>,
    /// `Some(period)` until the first TOT/TDT of the current clock period (the stream's start,
    /// or an input begun with [`Collector::begin_input`]).
    stale: Option<u32>,
    /// The first clock reading of each period (seconds of civil time at offset 0).
    period_starts: Vec<Option<i64>>,
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

/// Whether `onid` is an ARIB original_network_id: BS 0x0004, CS 0x0006/0x0007/0x000A,
/// terrestrial 0x7880–0x7FE8 (ARIB STD-B10 Part 2 Appendix N, TR-B14). Their strings are
/// ARIB STD-B24 text and their times JST.
pub fn is_arib_network(onid: u16) -> bool {
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
            model_bytes: 0,
            subtables: Map::default(),
            owners: Map::default(),
            network: None,
            clock: None,
            stale: Some(0),
            period_starts: vec![None],
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
        let isdb = is_arib_network(onid);
        self.evidence.count(isdb);
        let id = SectionId {
            table_id,
            extension: eit.service_id(),
            extra: u32::from(key.1) << 16 | u32::from(onid),
            section_number: eit.section_number(),
        };
        // Completeness is tracked even for repeats (cheap: a bit set).
        let previous = self.track(key, &eit);
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
        let authority = if eit.is_pf() {
            Authority::Pf
        } else if isdb && eit.is_schedule_extended() {
            Authority::ScheduleExtended
        } else {
            Authority::Schedule
        };
        // Section 0 of p/f is the present event (EN 300 468 5.2.4, ARIB TR-B14).
        let present = eit.is_pf() && eit.section_number() == 0;
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
            let basic = (authority != Authority::ScheduleExtended)
                .then(|| basic_of(ev.descriptors(), isdb, stats));
            let extended = extended_of(ev.descriptors());
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
            // The byte budget: past it, no new event and no content that grows one.
            let incoming = basic.as_ref().map_or(0, BasicRaw::heap_bytes)
                + extended
                    .iter()
                    .map(|(_, raw)| extended_heap_bytes(raw))
                    .sum::<usize>();
            let fixed = if is_new { EVENT_FIXED_BYTES } else { 0 };
            let over = self
                .model_bytes
                .saturating_add(model_bytes_of(incoming) + fixed)
                > self.opts.max_model_bytes;
            if over {
                let grows = service
                    .events
                    .get(&ev.event_id)
                    .map_or(true, |acc| incoming > acc.claim_heap_bytes(authority));
                if grows {
                    bump(&mut stats.si.refused_by_budget);
                    continue;
                }
            }
            let acc = service.events.entry(ev.event_id).or_default();
            if is_new {
                self.event_count += 1;
            }

            let timing = Timing {
                start,
                duration,
                running_status: ev.running_status,
                free_ca_mode: ev.free_ca_mode,
            };
            acc.apply(authority, id, timing, basic, extended, present, source_bit);
            let cost = acc.model_bytes();
            self.model_bytes = (self.model_bytes + cost).saturating_sub(acc.accounted);
            acc.accounted = cost;
            listed.push(ev.event_id);
        }
        self.settle_owner(id, key, authority, eit.version(), listed);
        self.drop_unannounced(key, &eit, authority, previous);
        Ok(())
    }

    /// Remembers which events section `id` lists and takes its newest content as the truth of
    /// that section: an event its earlier content listed and this one does not loses the
    /// section as a carrier (the merge rules decide the rest). When the
    /// same section arrives again with the same version but other content, the earlier
    /// content was corrupt and what only it said is forgotten outright.
    fn settle_owner(
        &mut self,
        id: SectionId,
        key: ServiceKey,
        authority: Authority,
        version: u8,
        mut listed: Vec<u16>,
    ) {
        listed.sort_unstable();
        listed.dedup();
        let previous =
            if self.owners.len() < self.opts.max_section_ids || self.owners.contains_key(&id) {
                self.owners.insert(id, (version, listed.clone()))
            } else {
                None
            };
        let Some((old_version, old)) = previous else {
            return;
        };
        let corrupt = old_version == version;
        let now = self.clock_reading();
        let Some(service) = self.services.get_mut(&key) else {
            return;
        };
        for event_id in old.into_iter().filter(|e| listed.binary_search(e).is_err()) {
            let Some(acc) = service.events.get_mut(&event_id) else {
                continue;
            };
            if corrupt {
                let before = acc.accounted;
                if acc.forget(authority, id) {
                    service.events.remove(&event_id);
                    self.event_count = self.event_count.saturating_sub(1);
                    self.model_bytes = self.model_bytes.saturating_sub(before);
                } else {
                    acc.accounted = acc.model_bytes();
                    self.model_bytes = (self.model_bytes + acc.accounted).saturating_sub(before);
                }
            } else if acc.leave(authority, id) {
                acc.mark_left(now);
            }
        }
    }

    /// The stream clock as an event leaving now records it: the last TOT/TDT, or, before the
    /// first clock of this stream or input, a mark resolved by the next one.
    fn clock_reading(&self) -> LeftAt {
        match (self.stale, self.clock) {
            (None, Some(c)) => LeftAt::Clock(c.last.local.to_unix(0)),
            (Some(period), _) => LeftAt::Stale(period),
            (None, None) => LeftAt::Stale(0),
        }
    }

    /// Marks the section received for completeness. On a new version of the sub-table, returns
    /// what the previous version announced: (last_section_number, last_table_id).
    fn track(&mut self, key: ServiceKey, eit: &Eit<'_>) -> Option<(u8, u8)> {
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
            Entry::Vacant(_) if full => return None,
            Entry::Vacant(e) => e.insert(SubTable::new(
                eit.version(),
                eit.last_section_number(),
                last_table_id,
            )),
        };
        let mut previous = None;
        if st.version != eit.version() {
            previous = Some((st.last_section_number, st.last_table_id));
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
        previous
    }

    /// Sections the sub-table no longer announces are empty now: the rest of this section's
    /// segment past segment_last_section_number, the sections past a last_section_number that
    /// shrank, and the tables past a last_table_id that shrank (ARIB TR-B14, EN 300 468
    /// 5.2.4). A broadcaster that needs fewer sections after a cancellation simply stops
    /// sending the others, so their events must leave like those of an emptied section. Only
    /// sections last received at another version are touched; they are forgotten by the
    /// repeat filter too, so they count again if they are ever sent.
    fn drop_unannounced(
        &mut self,
        key: ServiceKey,
        eit: &Eit<'_>,
        authority: Authority,
        previous: Option<(u8, u8)>,
    ) {
        let version = eit.version();
        let table_id = eit.table_id();
        let n = u16::from(eit.section_number());
        let last = u16::from(eit.last_section_number());
        let id = |table_id: u8, section: u16| {
            u8::try_from(section).ok().map(|section_number| SectionId {
                table_id,
                extension: key.2,
                extra: u32::from(key.1) << 16 | u32::from(key.0),
                section_number,
            })
        };
        let mut gone: Vec<SectionId> = Vec::new();
        if eit.is_pf() {
            gone.extend((last + 1..=1).filter_map(|m| id(table_id, m)));
        } else {
            let seg_last = u16::from(eit.segment_last_section_number());
            if seg_last >= n && seg_last / 8 == n / 8 {
                gone.extend((seg_last + 1..=(n | 7)).filter_map(|m| id(table_id, m)));
            }
        }
        if let Some((old_last, old_last_table)) = previous {
            gone.extend((last + 1..=u16::from(old_last)).filter_map(|m| id(table_id, m)));
            if !eit.is_pf() {
                let family = |t: u8| {
                    if is_arib_network(key.0) {
                        t & 0xF8
                    } else {
                        t & 0xF0
                    }
                };
                for t in eit.last_table_id().saturating_add(1)..=old_last_table {
                    if family(t) == family(table_id) && t != table_id {
                        gone.extend((0..=255).filter_map(|m| id(t, m)));
                    }
                }
            }
        }
        for g in gone {
            let stale = self
                .owners
                .get(&g)
                .is_some_and(|(v, listed)| *v != version && !listed.is_empty());
            if stale {
                self.settle_owner(g, key, authority, version, Vec::new());
                self.seen.remove(&g);
            }
        }
    }

    /// Marks the start of another input read into this collector (several recordings merged
    /// as one stream): until that input's first TOT/TDT, the clock of the previous one is
    /// stale, so events that leave their sections meanwhile are timed by the next clock.
    pub fn begin_input(&mut self) {
        if self.period_starts.len() < usize::from(u16::MAX) {
            self.stale = u32::try_from(self.period_starts.len()).ok();
            self.period_starts.push(None);
        } else {
            // A bound for callers that begin inputs without end: reuse the last period.
            self.stale = u32::try_from(self.period_starts.len() - 1).ok();
        }
    }

    /// The clock reading a [`LeftAt`] stands for: its TOT time, or the first clock of its
    /// period, or failing that the last clock seen; `None` when the stream had no clock.
    fn resolve_clock(&self, at: LeftAt) -> Option<i64> {
        match at {
            LeftAt::Clock(t) => Some(t),
            LeftAt::Stale(period) => self
                .period_starts
                .get(period as usize)
                .copied()
                .flatten()
                .or_else(|| self.clock.map(|c| c.last.local.to_unix(0))),
        }
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
        complete::completeness(&self.subtables, self.system())
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

    /// What the collected events cost the model, estimated in bytes (raw parts and the text
    /// they decode to), against [`CollectorOptions::max_model_bytes`].
    pub fn model_bytes(&self) -> usize {
        self.model_bytes
    }
}
