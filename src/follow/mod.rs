//! Follows one programme live through EIT present/following, for recorders that must not cut a
//! programme that starts late or runs over.
//!
//! A [`Follower`] is a [`SectionSink`] for [`crate::reader::TsReader`]: push the tuner's bytes
//! as they arrive, then [`Follower::drain`] the changes. It reads only what the decision needs:
//! the p/f sections (table_id 0x4E, or 0x4F for a service of another TS; on ISDB-T also the
//! one-seg L-EIT on PID 0x0027 and the M-EIT on 0x0026) of the followed service, through the
//! [`crate::si::Eit`] views, and TOT/TDT on PID 0x0014 for the stream clock. Every time
//! comparison uses that clock, never the machine's, so nothing depends on the time zone.
//!
//! The rules (ARIB STD-B10 5.2.7, EN 300 468 5.2.4: section 0 present, 1 following):
//! - A p/f section counts when its content is new for its source (another version_number or
//!   CRC_32); repeats are cheap. One source is followed (see the `pf` module): 0x4E wins over
//!   0x4F, one network, one PID at a time.
//! - [`FollowState::Present`] as soon as section 0 carries the event, [`FollowState::Following`]
//!   when section 1 does. The first update comes as soon as the service's p/f has been seen:
//!   [`FollowState::Absent`] needs both sections (or a section 0 that announces no section 1).
//! - [`FollowState::Ended`]: it was present and section 0 now presents another event (or none).
//! - [`FollowState::Vanished`]: it was following and p/f moved on without it ever being present.
//!   Broadcasters may send the new section 1 before the new section 0 when the event starts, so
//!   unless both sections have one version_number this waits for [`CONFIRM_SECTIONS`] more
//!   sections of the service that still leave the event out, except when the event cannot be
//!   starting: the new following event starts no later than it did (it took its slot), or it
//!   was still more than [`FAR_AHEAD_SECONDS`] ahead of the stream clock.
//! - An update is also made when the event's start or duration changes (an overrun, a delayed
//!   start, an undefined duration that becomes defined). `Ended` and `Vanished` are final.
//!
//! ```
//! use epgdump::follow::{FollowState, Follower};
//! use epgdump::reader::TsReader;
//! use epgdump::testsupport::{pf_event, pf_section, PfStream};
//!
//! // A stream: event 0x1001 follows, then is present, then the next one is.
//! let (a, b) = (pf_event(0x1001, (60401, 18, 0, 0), Some(3600), "News"),
//!               pf_event(0x1002, (60401, 19, 0, 0), Some(1800), "Drama"));
//! let mut stream = PfStream::new(188);
//! stream.tot(60401, 17, 59, 50)
//!     .eit(&pf_section(0x4E, 101, 0x4010, 4, 1, 0, None))
//!     .eit(&pf_section(0x4E, 101, 0x4010, 4, 1, 1, Some(&a)))
//!     .eit(&pf_section(0x4E, 101, 0x4010, 4, 2, 0, Some(&a)))
//!     .eit(&pf_section(0x4E, 101, 0x4010, 4, 3, 0, Some(&b)));
//!
//! let mut reader = TsReader::new(Follower::new(101, 0x1001));
//! let mut states = Vec::new();
//! for chunk in stream.chunks() {
//!     reader.push(&chunk); // a live source: each chunk as it is read
//!     for update in reader.sink_mut().drain() {
//!         states.push(update.state);
//!         println!("{}", serde_json::to_string(&update).unwrap());
//!     }
//!     if reader.sink().is_finished() {
//!         break;
//!     }
//! }
//! assert_eq!(states, [FollowState::Following, FollowState::Present, FollowState::Ended]);
//! ```

mod pf;

use crate::epg::{System, Timestamp};
use crate::psi::Section;
use crate::reader::SectionSink;
use crate::si::time::CivilTime;
use crate::si::Tot;
use crate::stats::Stats;
use crate::text::TextOptions;
use crate::ts::Pid;
use pf::{is_arib_network, PfEvent, PfTable, Received};
use serde::Serialize;
use std::collections::VecDeque;

pub use pf::STRAY_SWITCH;

/// Sections of the service after the one that dropped a following event, each still without
/// it, that confirm [`FollowState::Vanished`] when the two p/f sections disagree on their
/// version_number.
pub const CONFIRM_SECTIONS: u8 = 2;

/// A following event this far (or farther) ahead of the stream clock cannot be starting, so
/// leaving section 1 means it vanished, whatever section 0 says yet.
pub const FAR_AHEAD_SECONDS: i64 = 600;

/// Updates kept until [`Follower::drain`] at most; older ones are dropped and counted
/// ([`Follower::dropped_updates`]).
pub const MAX_PENDING: usize = 4096;

/// Where the followed event stands in its service's present/following table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowState {
    /// The service's p/f was seen and the event is in neither section.
    Absent,
    /// The event is the following one (section 1).
    Following,
    /// The event is on air (section 0).
    Present,
    /// It was present and p/f now presents another event (or none). Final.
    Ended,
    /// It was following and p/f moved on without it ever being present. Final.
    Vanished,
}

impl FollowState {
    /// `Ended` or `Vanished`: nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, FollowState::Ended | FollowState::Vanished)
    }

    /// The lower-case name used in the JSON lines.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowState::Absent => "absent",
            FollowState::Following => "following",
            FollowState::Present => "present",
            FollowState::Ended => "ended",
            FollowState::Vanished => "vanished",
        }
    }
}

/// One change of the followed event. Serialises as the `follow` command's JSON line, with
/// exactly the keys `sid`, `event_id`, `state`, `start`, `duration`, `title`, `stream_time`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpdate {
    /// service_id.
    #[serde(rename = "sid")]
    pub service_id: u16,
    /// event_id.
    pub event_id: u16,
    /// The new state.
    pub state: FollowState,
    /// The start p/f gives (the last one known for `ended`/`vanished`); `None` when undefined
    /// or never seen.
    pub start: Option<Timestamp>,
    /// The duration in seconds p/f gives; `None` when undefined or never seen.
    pub duration: Option<u32>,
    /// The event name (short event descriptor); empty when never seen.
    pub title: String,
    /// The stream clock (last TOT/TDT) when the change was seen; `None` before the first one.
    pub stream_time: Option<Timestamp>,
    /// original_network_id of the p/f followed (not in the JSON line).
    #[serde(skip)]
    pub original_network_id: u16,
    /// transport_stream_id of the p/f followed (not in the JSON line).
    #[serde(skip)]
    pub transport_stream_id: u16,
    /// running_status of the event in p/f (EN 300 468 table 6; not in the JSON line).
    #[serde(skip)]
    pub running_status: u8,
}

/// What was last said about the event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Known {
    start: Option<CivilTime>,
    duration: Option<u32>,
    title: String,
    running_status: u8,
}

impl From<&PfEvent> for Known {
    fn from(e: &PfEvent) -> Self {
        Known {
            start: e.start,
            duration: e.duration,
            title: e.title.clone(),
            running_status: e.running_status,
        }
    }
}

/// The stream clock: the first and the last TOT/TDT time seen.
#[derive(Debug, Clone, Copy)]
struct Clock {
    first: CivilTime,
    last: CivilTime,
}

/// Follows one event of one service. See the module docs.
#[derive(Debug, Clone)]
pub struct Follower {
    service_id: u16,
    event_id: u16,
    table: PfTable,
    state: Option<FollowState>,
    known: Option<Known>,
    unconfirmed: u8,
    clock: Option<Clock>,
    pending: VecDeque<FollowUpdate>,
    dropped: u64,
}

impl SectionSink for Follower {
    fn section(&mut self, pid: Pid, section: Section<'_>, stats: &mut Stats) {
        self.add_section(pid, section.bytes(), stats);
    }
}

impl Follower {
    /// Follows `event_id` of `service_id`, titles decoded with the default text options.
    pub fn new(service_id: u16, event_id: u16) -> Self {
        Self::with_text_options(service_id, event_id, TextOptions::default())
    }

    /// Follows `event_id` of `service_id`, titles decoded with `text`.
    pub fn with_text_options(service_id: u16, event_id: u16, text: TextOptions) -> Self {
        Follower {
            service_id,
            event_id,
            table: PfTable::new(service_id, text),
            state: None,
            known: None,
            unconfirmed: 0,
            clock: None,
            pending: VecDeque::new(),
            dropped: 0,
        }
    }

    /// Offers one whole, CRC-checked section from `pid` (what the reader's sink receives).
    /// Everything except the service's p/f and the TOT/TDT on PID 0x0014 is passed over.
    pub fn add_section(&mut self, pid: Pid, bytes: &[u8], stats: &mut Stats) {
        match bytes.first() {
            Some(0x70 | 0x73) if pid == Pid::TOT => self.tot(bytes, stats),
            Some(0x4E | 0x4F) if !self.is_finished() => {
                match self.table.receive(pid, bytes, stats) {
                    Received::Ignored => {}
                    Received::Repeat => self.evaluate(),
                    Received::Applied { relocked } => {
                        if relocked {
                            self.unconfirmed = 0;
                        }
                        self.evaluate();
                    }
                }
            }
            _ => {}
        }
    }

    /// The updates since the last call, oldest first.
    pub fn drain(&mut self) -> std::collections::vec_deque::Drain<'_, FollowUpdate> {
        self.pending.drain(..)
    }

    /// The state last reported; `None` until the service's p/f has been seen.
    pub fn state(&self) -> Option<FollowState> {
        self.state
    }

    /// Whether the state is final (`ended` or `vanished`); later sections change nothing.
    pub fn is_finished(&self) -> bool {
        self.state.is_some_and(FollowState::is_final)
    }

    /// The followed service_id.
    pub fn service_id(&self) -> u16 {
        self.service_id
    }

    /// The followed event_id.
    pub fn event_id(&self) -> u16 {
        self.event_id
    }

    /// The offset of the stream's times from UTC: JST (+09:00) for ARIB networks, UTC for DVB
    /// (ARIB STD-B10 5.2.7, EN 300 468 5.2.4); JST until the service's p/f is seen.
    pub fn utc_offset(&self) -> i32 {
        match self.table.source() {
            Some(s) if !is_arib_network(s.onid) => System::Dvb.utc_offset(),
            _ => System::Isdb.utc_offset(),
        }
    }

    /// The stream clock: the last TOT/TDT time; `None` before the first one.
    pub fn stream_time(&self) -> Option<Timestamp> {
        self.clock.map(|c| self.timestamp(c.last))
    }

    /// Seconds of stream time since the first TOT/TDT (never negative); `None` before it.
    pub fn stream_seconds(&self) -> Option<i64> {
        self.clock
            .map(|c| (c.last.to_unix(0) - c.first.to_unix(0)).max(0))
    }

    /// The event's start as p/f last gave it, when known and defined.
    pub fn start(&self) -> Option<Timestamp> {
        self.known
            .as_ref()
            .and_then(|k| k.start)
            .map(|s| self.timestamp(s))
    }

    /// Whether the event is following and starts less than `seconds` after the stream clock
    /// (`false` without a clock or a defined start).
    pub fn starts_within(&self, seconds: i64) -> bool {
        if self.state != Some(FollowState::Following) {
            return false;
        }
        match (self.known.as_ref().and_then(|k| k.start), self.clock) {
            (Some(start), Some(c)) => start.to_unix(0) < c.last.to_unix(0).saturating_add(seconds),
            _ => false,
        }
    }

    /// Whether a p/f section of the service has been received.
    pub fn pf_seen(&self) -> bool {
        self.table.source().is_some()
    }

    /// p/f sections of the service that were malformed and skipped.
    pub fn skipped_sections(&self) -> u64 {
        self.table.skipped()
    }

    /// Updates dropped because more than [`MAX_PENDING`] were waiting to be drained.
    pub fn dropped_updates(&self) -> u64 {
        self.dropped
    }

    fn timestamp(&self, local: CivilTime) -> Timestamp {
        Timestamp {
            local,
            utc_offset: self.utc_offset(),
        }
    }

    fn tot(&mut self, bytes: &[u8], stats: &mut Stats) {
        let time = match Tot::parse(bytes).map(|t| t.time()) {
            Ok(Ok(Some(t))) => t,
            Ok(Ok(None)) => return,
            Ok(Err(_)) | Err(_) => {
                stats.si.table_errors = stats.si.table_errors.saturating_add(1);
                return;
            }
        };
        self.clock = Some(match self.clock {
            Some(c) => Clock { last: time, ..c },
            None => Clock {
                first: time,
                last: time,
            },
        });
    }

    /// Decides the state from the two p/f sections. See the module docs for the rules.
    fn evaluate(&mut self) {
        if self.is_finished() {
            return;
        }
        let eid = self.event_id;
        let carrying = |n: usize| {
            self.table
                .slot(n)
                .and_then(|s| s.event.as_ref())
                .filter(|e| e.event_id == eid)
                .map(Known::from)
        };
        let (in_present, in_following) = (carrying(0), carrying(1));
        let present = self
            .table
            .slot(0)
            .map(|s| (s.version, s.last_section_number));
        let following = self.table.slot(1).map(|s| s.version);
        if let Some(k) = in_present {
            self.unconfirmed = 0;
            return self.report(FollowState::Present, Some(k));
        }
        if self.state == Some(FollowState::Present) {
            if present.is_some() {
                self.report(FollowState::Ended, None);
            }
            return;
        }
        if let Some(k) = in_following {
            self.unconfirmed = 0;
            return self.report(FollowState::Following, Some(k));
        }
        match (self.state, present, following) {
            (Some(FollowState::Following), Some((v0, _)), Some(v1)) => {
                self.unconfirmed = self.unconfirmed.saturating_add(1);
                if v0 == v1 || self.unconfirmed > CONFIRM_SECTIONS || !self.may_be_starting() {
                    self.report(FollowState::Vanished, None);
                }
            }
            (None, Some((_, last)), f) if f.is_some() || last == 0 => {
                self.report(FollowState::Absent, None);
            }
            _ => {}
        }
    }

    /// Whether the followed event, which has just left section 1, may be starting (and about to
    /// show up in section 0). See the module docs.
    fn may_be_starting(&self) -> bool {
        let Some(start) = self.known.as_ref().and_then(|k| k.start) else {
            return true;
        };
        let start = start.to_unix(0);
        let next_start = self
            .table
            .slot(1)
            .and_then(|s| s.event.as_ref())
            .and_then(|e| e.start);
        if next_start.is_some_and(|n| n.to_unix(0) <= start) {
            return false;
        }
        !self
            .clock
            .is_some_and(|c| start >= c.last.to_unix(0).saturating_add(FAR_AHEAD_SECONDS))
    }

    /// Queues an update when the state or the timing changed. `known` is what p/f says now;
    /// `None` keeps what was last known (final states) or nothing (absent).
    fn report(&mut self, state: FollowState, known: Option<Known>) {
        let timing = |k: &Option<Known>| k.as_ref().map(|k| (k.start, k.duration));
        let unchanged =
            self.state == Some(state) && (known.is_none() || timing(&known) == timing(&self.known));
        if let Some(k) = known {
            self.known = Some(k);
        }
        if unchanged {
            return;
        }
        self.state = Some(state);
        let k = self.known.clone().unwrap_or_default();
        let source = self.table.source();
        let update = FollowUpdate {
            service_id: self.service_id,
            event_id: self.event_id,
            state,
            start: k.start.map(|s| self.timestamp(s)),
            duration: k.duration,
            title: k.title,
            stream_time: self.stream_time(),
            original_network_id: source.map_or(0, |s| s.onid),
            transport_stream_id: source.map_or(0, |s| s.tsid),
            running_status: k.running_status,
        };
        if self.pending.len() >= MAX_PENDING {
            self.pending.pop_front();
            self.dropped = self.dropped.saturating_add(1);
        }
        self.pending.push_back(update);
    }
}

#[cfg(test)]
mod tests;
