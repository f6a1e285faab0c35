//! The owned, serde-serialisable EPG model: what a dumper hands to its writers and what a
//! library user keeps. No lifetimes, no raw bytes: every string is decoded.

use crate::si::time::CivilTime;
use serde::{Serialize, Serializer};

/// The broadcast system a stream belongs to, decided from its original_network_id and
/// descriptors. It selects the text decoder and the time zone of EIT times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// ISDB (ARIB): ARIB STD-B24 text, JST (UTC+9) times.
    #[default]
    Isdb,
    /// DVB: EN 300 468 Annex A text, UTC times.
    Dvb,
}

impl System {
    /// The offset of EIT/TOT times from UTC in seconds (ARIB STD-B10 5.2.7: JST; EN 300 468
    /// 5.2.4: UTC).
    pub fn utc_offset(self) -> i32 {
        match self {
            System::Isdb => 9 * 3600,
            System::Dvb => 0,
        }
    }
}

/// A broadcast time: the local civil time as sent, with its offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    /// The civil time as broadcast (JST for ISDB, UTC for DVB).
    pub local: CivilTime,
    /// Seconds east of UTC.
    pub utc_offset: i32,
}

impl Timestamp {
    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.local.to_unix(self.utc_offset)
    }

    /// RFC 3339 with the offset, e.g. `2024-02-07T09:24:00+09:00`.
    pub fn rfc3339(&self) -> String {
        self.local.format_rfc3339(self.utc_offset)
    }

    /// XMLTV's form, e.g. `20240207092400 +0900`.
    pub fn xmltv(&self) -> String {
        self.local.format_xmltv(self.utc_offset)
    }

    /// This time plus `seconds` (`None` past year 9999).
    pub fn plus(&self, seconds: u32) -> Option<Timestamp> {
        Some(Timestamp {
            local: self.local.add_seconds(i64::from(seconds))?,
            utc_offset: self.utc_offset,
        })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

/// The whole guide.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Epg {
    /// ISDB or DVB.
    pub system: System,
    /// The delivering network, from the NIT actual.
    pub network: Option<Network>,
    /// Services ordered by (original_network_id, transport_stream_id, service_id).
    pub services: Vec<Service>,
    /// The stream's own clock (TOT/TDT), first and last seen.
    pub clock: Option<Clock>,
}

impl Epg {
    /// Merges the finished guide of a later input (terrestrial users record each channel
    /// separately): services are united by (onid, tsid, sid); for an event present in both,
    /// the one from `other` (the later) replaces this one unless it has no title.
    ///
    /// Finished guides no longer know their sections, so this cannot withdraw what the later
    /// input's schedule dropped. To merge recordings of one broadcast with the full change
    /// rules, read them in stream-time order into one [`crate::epg::Collector`] instead
    /// (calling [`crate::epg::Collector::begin_input`] between them), as the CLI does.
    pub fn merge(&mut self, other: Epg) {
        if self.services.is_empty() && self.network.is_none() {
            self.system = other.system;
        }
        if self.network.is_none() {
            self.network = other.network;
        }
        self.clock = match (self.clock, other.clock) {
            (Some(a), Some(b)) => Some(Clock {
                first: a.first.min(b.first),
                last: a.last.max(b.last),
                count: a.count + b.count,
            }),
            (a, b) => a.or(b),
        };
        // Indexes keep the merge linear in the number of events.
        let mut index: std::collections::HashMap<(u16, u16, u16), usize> = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.onid, s.tsid, s.sid), i))
            .collect();
        for svc in other.services {
            let key = (svc.onid, svc.tsid, svc.sid);
            let Some(mine) = index.get(&key).and_then(|&i| self.services.get_mut(i)) else {
                index.insert(key, self.services.len());
                self.services.push(svc);
                continue;
            };
            if mine.sdt == SdtSource::None || (mine.name.is_empty() && !svc.name.is_empty()) {
                mine.name = svc.name.clone();
                mine.provider = svc.provider.clone();
                mine.service_type = svc.service_type;
                mine.sdt = svc.sdt;
            }
            let mut events: std::collections::HashMap<u16, usize> = mine
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| (e.event_id, i))
                .collect();
            for ev in svc.events {
                match events
                    .get(&ev.event_id)
                    .and_then(|&i| mine.events.get_mut(i))
                {
                    Some(e) if !ev.title.is_empty() || e.title.is_empty() => *e = ev,
                    Some(_) => {}
                    None => {
                        events.insert(ev.event_id, mine.events.len());
                        mine.events.push(ev);
                    }
                }
            }
            mine.events
                .sort_by_key(|e| (e.start.is_none(), e.start.map(|s| s.unix()), e.event_id));
        }
        self.services.sort_by_key(|s| (s.onid, s.tsid, s.sid));
    }
}

/// The network, from the NIT (EN 300 468 5.2.1, ARIB STD-B10 5.2.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    /// network_id.
    pub network_id: u16,
    /// network_name_descriptor text.
    pub name: String,
    /// Transport streams described by the NIT actual.
    pub transport_streams: Vec<TransportStreamInfo>,
}

/// One transport stream entry of the NIT.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TransportStreamInfo {
    /// transport_stream_id.
    pub transport_stream_id: u16,
    /// original_network_id.
    pub original_network_id: u16,
    /// remote_control_key_id of the TS information descriptor (ARIB STD-B10 6.2.42), the
    /// terrestrial "channel button" used in channel ids like `GR11_1024`.
    pub remote_control_key_id: Option<u8>,
    /// ts_name of the TS information descriptor.
    pub ts_name: Option<String>,
}

/// The stream's clock from TOT/TDT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// The first time seen.
    pub first: Timestamp,
    /// The last time seen.
    pub last: Timestamp,
    /// Number of TOT/TDT sections read.
    pub count: u64,
}

/// Where the SDT entry of a service came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SdtSource {
    /// SDT actual (0x42).
    Actual,
    /// SDT other (0x46).
    Other,
    /// No SDT named the service; it is kept because it has events.
    None,
}

/// One service (channel).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// original_network_id.
    pub onid: u16,
    /// transport_stream_id.
    pub tsid: u16,
    /// service_id.
    pub sid: u16,
    /// service_name of the service descriptor (empty when no SDT named it).
    pub name: String,
    /// service_provider_name.
    pub provider: String,
    /// service_type (0x01 digital TV, 0x02 radio, 0xC0 data …), when known.
    #[serde(rename = "type")]
    pub service_type: Option<u8>,
    /// Which SDT described it.
    pub sdt: SdtSource,
    /// EIT_schedule_flag.
    pub eit_schedule_flag: Option<bool>,
    /// EIT_present_following_flag.
    pub eit_present_following_flag: Option<bool>,
    /// free_CA_mode of the SDT entry.
    pub free_ca_mode: Option<bool>,
    /// remote_control_key_id from the NIT, when the NIT lists this service's TS.
    pub remote_control_key_id: Option<u8>,
    /// Events, ordered by start time (undefined starts last), then event_id.
    pub events: Vec<Event>,
    /// Schedule sections received / announced, for completeness.
    pub completeness: Completeness,
}

/// Sections of the EIT schedule received versus announced by `last_section_number`,
/// `segment_last_section_number` and `last_table_id` (ARIB TR-B14, EN 300 468 5.2.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Distinct schedule and p/f sections received (current versions).
    pub received: u32,
    /// Sections announced so far.
    pub expected: u32,
    /// Every announced sub-table is complete.
    pub complete: bool,
}

/// One event (programme).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// event_id.
    pub event_id: u16,
    /// Start time; `None` when undefined (all bits 1).
    pub start: Option<Timestamp>,
    /// Duration in seconds; `None` when undefined (0xFFFFFF).
    pub duration: Option<u32>,
    /// event_name of the short event descriptor.
    pub title: String,
    /// text of the short event descriptor.
    pub text: String,
    /// Extended event items `(item_description, item)`, each item's bytes joined across
    /// descriptors and sections before decoding.
    pub extended: Vec<(String, String)>,
    /// The extended event descriptors' free text (DVB), when any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub extended_text: String,
    /// Content descriptor nibbles `[level1, level2, user1, user2]`.
    pub genres: Vec<[u8; 4]>,
    /// The first video component.
    pub video: Option<Video>,
    /// Audio components.
    pub audio: Vec<Audio>,
    /// Series descriptor.
    pub series: Option<Series>,
    /// Event group descriptors (shared and relay events).
    pub event_group: Vec<EventGroup>,
    /// Data content descriptor (captions and data broadcasting).
    pub data_content: Option<DataContent>,
    /// Parental rating (country, rating) pairs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parental_rating: Vec<(String, u8)>,
    /// free_CA_mode: true when scrambled.
    pub free_ca_mode: bool,
    /// running_status (0 undefined, 1 not running, 2 starts soon, 3 pausing, 4 running).
    pub running_status: u8,
    /// Which kinds of EIT described it: `pf/actual`, `schedule/other` …
    pub sources: Vec<&'static str>,
    /// Whether a newer version replaced what was first received.
    pub version_updated: bool,
}

impl Event {
    /// The end time, when start and duration are both defined.
    pub fn end(&self) -> Option<Timestamp> {
        self.start?.plus(self.duration?)
    }

    /// Whether captions are signalled (data content descriptor with data_component_id 0x0008,
    /// ARIB STD-B10 6.2.28 / TR-B14).
    pub fn has_captions(&self) -> bool {
        self.data_content
            .as_ref()
            .is_some_and(|d| d.data_component_id == 0x0008)
    }
}

/// A video component (component descriptor 0x50, ARIB STD-B10 6.2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Video {
    /// stream_content (0x01 MPEG-2 video, 0x05 H.264, 0x09 HEVC …).
    pub stream_content: u8,
    /// component_type (resolution and aspect).
    pub component_type: u8,
    /// component_tag.
    pub component_tag: u8,
    /// ISO 639 language code.
    pub lang: String,
    /// Component text.
    pub text: String,
}

/// An audio component (ARIB audio component descriptor 0xC4, STD-B10 6.2.26; or a DVB
/// component descriptor with audio stream_content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audio {
    /// stream_content.
    pub stream_content: u8,
    /// component_tag.
    pub component_tag: u8,
    /// stream_type.
    pub stream_type: u8,
    /// simulcast_group_tag.
    pub simulcast_group_tag: u8,
    /// main_component_flag.
    pub main: bool,
    /// quality_indicator.
    pub quality: u8,
    /// sampling_rate code.
    pub sampling_rate: u8,
    /// First ISO 639 language.
    pub lang: String,
    /// Second language when ES_multi_lingual_flag is set.
    pub lang2: Option<String>,
    /// ES_multi_lingual_flag.
    pub multi_lingual: bool,
    /// component_type (mono, stereo, dual mono, 5.1 …).
    pub component_type: u8,
    /// Component text.
    pub text: String,
}

/// Series descriptor 0xD5 (ARIB STD-B10 6.2.33).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// series_id.
    pub series_id: u16,
    /// repeat_label.
    pub repeat_label: u8,
    /// program_pattern.
    pub program_pattern: u8,
    /// expire_date, when valid (`YYYY-MM-DD`).
    pub expire_date: Option<String>,
    /// episode_number (0 = unknown).
    pub episode_number: u16,
    /// last_episode_number (0 = unknown).
    pub last_episode_number: u16,
    /// series_name.
    pub series_name: String,
}

/// Event group descriptor 0xD6 (ARIB STD-B10 6.2.34).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventGroup {
    /// group_type: 1 shared event, 2 relay, 3 movement, 4/5 relay/movement to other networks.
    pub group_type: u8,
    /// (service_id, event_id) pairs.
    pub events: Vec<(u16, u16)>,
    /// (original_network_id, transport_stream_id, service_id, event_id) for group types 4/5.
    pub other_network: Vec<(u16, u16, u16, u16)>,
}

/// Data content descriptor 0xC7 (ARIB STD-B10 6.2.28).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataContent {
    /// data_component_id (0x0008 captions, 0x0007/0x000C data broadcasting …).
    pub data_component_id: u16,
    /// entry_component.
    pub entry_component: u8,
    /// text.
    pub text: String,
}
