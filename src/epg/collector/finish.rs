//! From the collector's state to the model: every event's fate under the change rules, the
//! strings decoded once, kept events settled against announced ones, shared events resolved,
//! and the model counters of `Stats`.

use super::super::build::{build_event, TextDecoder};
use super::super::merge::Fate;
use super::super::resolve;
use super::Collector;
use crate::epg::model::{Epg, Network, SdtSource, Service, TransportStreamInfo};
use crate::stats::Stats;
use std::collections::HashMap;

impl Collector {
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
        let changes = &mut stats.si.changes;
        *changes = Default::default();
        for (&(onid, tsid, sid), acc) in &self.services {
            let mut candidates = Vec::with_capacity(acc.events.len());
            for (&event_id, e) in &acc.events {
                let fate = e.fate(|at| self.resolve_clock(at));
                match fate {
                    Fate::Withdrawn => {
                        changes.withdrawn_events += 1;
                        continue;
                    }
                    Fate::KeptAired => changes.kept_aired_events += 1,
                    Fate::KeptNoClock => changes.kept_without_clock += 1,
                    Fate::Carried => {}
                }
                if e.pf_overrides_schedule() {
                    changes.pf_timing_overrides += 1;
                }
                let keep_all = fate != Fate::Carried || e.was_present();
                candidates.push(resolve::Candidate {
                    event: build_event(event_id, e, keep_all, offset, &mut text),
                    carried: fate == Fate::Carried,
                    was_present: e.was_present(),
                });
            }
            let (events, settled) = resolve::settle_service(candidates);
            changes.withdrawn_events += settled.superseded;
            changes.aired_events_trimmed += settled.trimmed;
            changes.broadcast_overlaps += settled.overlaps;
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
        let (resolved, unresolved) = resolve::resolve_shared(&mut services);
        stats.si.changes.shared_events_resolved = resolved;
        stats.si.changes.unresolved_shared_events = unresolved;
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
