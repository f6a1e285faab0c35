//! The collector's service and network tables: SDT (service names, types and flags), NIT
//! (network name, TS information for channel ids) and TOT/TDT (the stream clock that the
//! change rules time withdrawals by). EN 300 468 5.2.1–5.2.6, ARIB STD-B10 5.2.4–5.2.9.

use super::{bump, is_arib_network, Collector, NetworkAcc, SectionId};
use crate::epg::model::{Clock, SdtSource, Timestamp};
use crate::error::SiError;
use crate::si::descriptor::{NetworkName, Service as ServiceDescriptor, TsInformation};
use crate::si::{Nit, Sdt, Tot};
use crate::stats::Stats;

impl Collector {
    pub(super) fn sdt(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), SiError> {
        let sdt = Sdt::parse(bytes)?;
        if !sdt.current_next() {
            return Ok(());
        }
        let onid = sdt.original_network_id();
        let tsid = sdt.transport_stream_id();
        self.evidence.count(is_arib_network(onid));
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

    pub(super) fn nit(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), SiError> {
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

    pub(super) fn tot(&mut self, bytes: &[u8]) -> Result<(), SiError> {
        let tot = Tot::parse(bytes)?;
        let Some(local) = tot.time()? else {
            return Ok(());
        };
        // The offset is applied when the system is known; keep the civil time for now.
        let t = Timestamp {
            local,
            utc_offset: 0,
        };
        if let Some(period) = self.stale.take() {
            if let Some(slot) = self.period_starts.get_mut(period as usize) {
                *slot = Some(local.to_unix(0));
            }
        }
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
}
