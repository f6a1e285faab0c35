//! Channels: ids ([`channel_id`] in a [`ChannelIdStyle`]), display names ([`display_name`])
//! and Piro77's satellite transponder labels. Every writer (and the HTML page) takes its ids
//! and names from here, so they agree across formats.

use crate::epg::model::System;
use crate::epg::{Epg, Service};
use std::borrow::Cow;

/// How channel ids (`<channel id>`, JSON `id`/`channel`) are made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ChannelIdStyle {
    /// Each format's own convention: [`ChannelIdStyle::Xmltv`] ids in XMLTV (and in
    /// [`channel_id`] itself), [`ChannelIdStyle::Epgdump`] ids in the epgdump dialects and JSON
    /// Lines, whose consumers (epgrec, scripts) expect them.
    #[default]
    Auto,
    /// RFC 2838-style ids that `tv_validate_file` accepts: `<sid>.<onid>.<kind>`, with kind
    /// `bs`, `cs` or `sat` for ISDB satellite services, `gr` for ISDB terrestrial and `dvb` for
    /// DVB (`101.4.bs`, `1024.32736.gr`, `1537.8442.dvb`). service_id and original_network_id
    /// identify a service uniquely across networks (ARIB TR-B14, ETSI TS 101 211), and the
    /// transport_stream_id is left out, so the id survives a service moving transponder.
    Xmltv,
    /// epgdump's ids: `BS_101`, `CS_55`, `GR27_1024` (`GR_1024` when the NIT gave no
    /// remote_control_key_id), and `<sid>.<onid>` (e.g. `1537.8442`) for DVB.
    Epgdump,
    /// `<prefix>_<sid>`, as older tools did with a user-given channel name (`GR27_1024`).
    Prefix(String),
    /// `<onid>.<tsid>.<sid>`: the full DVB triplet.
    Triplet,
}

impl ChannelIdStyle {
    /// This style with [`ChannelIdStyle::Auto`] replaced by `format_default`: a writer passes
    /// its format's convention.
    pub fn or_format_default<'a>(&'a self, format_default: &'a ChannelIdStyle) -> &'a Self {
        match self {
            ChannelIdStyle::Auto => format_default,
            style => style,
        }
    }
}

/// Whether a service of `epg` is an ISDB satellite (BS/CS) service: ISDB with
/// original_network_id below 0x10 (ARIB TR-B14/B15: 4 BS, 6/7 CS).
pub(super) fn is_satellite(epg: &Epg, service: &Service) -> bool {
    epg.system == System::Isdb && service.onid < 0x10
}

/// `BS` or `CS` for an ISDB satellite service: from the transport_stream_id's top nibble (4 BS,
/// 6/7 CS, as epgdump), else from the original_network_id (4 BS, 6/7 CS).
fn satellite_prefix(service: &Service) -> Option<&'static str> {
    match (service.tsid & 0xF000) >> 12 {
        4 => Some("BS"),
        6 | 7 => Some("CS"),
        _ => match service.onid {
            4 => Some("BS"),
            6 | 7 => Some("CS"),
            _ => None,
        },
    }
}

/// The remote_control_key_id of a service: its own, else the NIT entry of its TS.
fn remote_control_key_id(epg: &Epg, service: &Service) -> Option<u8> {
    service.remote_control_key_id.or_else(|| {
        epg.network.as_ref().and_then(|n| {
            n.transport_streams
                .iter()
                .find(|t| {
                    t.transport_stream_id == service.tsid && t.original_network_id == service.onid
                })
                .and_then(|t| t.remote_control_key_id)
        })
    })
}

/// The last label of a [`ChannelIdStyle::Xmltv`] id.
fn xmltv_kind(epg: &Epg, service: &Service) -> &'static str {
    match epg.system {
        System::Dvb => "dvb",
        System::Isdb if is_satellite(epg, service) => match satellite_prefix(service) {
            Some("BS") => "bs",
            Some(_) => "cs",
            None => "sat",
        },
        System::Isdb => "gr",
    }
}

/// The channel id of `service` in `style` (see [`ChannelIdStyle`]; `Auto` gives the
/// [`ChannelIdStyle::Xmltv`] form).
pub fn channel_id(epg: &Epg, service: &Service, style: &ChannelIdStyle) -> String {
    match style {
        ChannelIdStyle::Auto | ChannelIdStyle::Xmltv => {
            format!(
                "{}.{}.{}",
                service.sid,
                service.onid,
                xmltv_kind(epg, service)
            )
        }
        ChannelIdStyle::Prefix(p) => format!("{p}_{}", service.sid),
        ChannelIdStyle::Triplet => format!("{}.{}.{}", service.onid, service.tsid, service.sid),
        ChannelIdStyle::Epgdump => match epg.system {
            System::Dvb => format!("{}.{}", service.sid, service.onid),
            System::Isdb if is_satellite(epg, service) => match satellite_prefix(service) {
                Some(p) => format!("{p}_{}", service.sid),
                None => format!("{}.{}", service.sid, service.onid),
            },
            System::Isdb => match remote_control_key_id(epg, service) {
                Some(k) => format!("GR{k}_{}", service.sid),
                None => format!("GR_{}", service.sid),
            },
        },
    }
}

/// Whether `s` shows nothing once the characters XML cannot carry are removed.
pub(super) fn is_blank(s: &str) -> bool {
    super::xml_clean(s).trim().is_empty()
}

/// The name a channel is shown with, never empty: the SDT service_name; else the ts_name of
/// the NIT's TS information descriptor (ARIB STD-B10 6.2.42) for the service's transport
/// stream; else `<network> <sid>`, where `<network>` is the NIT's network_name when the NIT
/// describes the service's original network, else `BS`, `CS` or `GR` (ISDB satellite or
/// terrestrial) or `DVB <onid>` (`BS Digital 181`, `BS 181`, `DVB 8395 257`).
///
/// The NIT's service list descriptor (0x41) names no services (only service_id and
/// service_type, EN 300 468 6.2.35), so it gives no name of its own.
pub fn display_name<'a>(epg: &'a Epg, service: &'a Service) -> Cow<'a, str> {
    if !is_blank(&service.name) {
        return Cow::Borrowed(&service.name);
    }
    let network = epg.network.as_ref();
    let ts_name = network.and_then(|n| {
        n.transport_streams
            .iter()
            .find(|t| {
                t.transport_stream_id == service.tsid && t.original_network_id == service.onid
            })
            .and_then(|t| t.ts_name.as_deref())
            .filter(|name| !is_blank(name))
    });
    if let Some(name) = ts_name {
        return Cow::Borrowed(name);
    }
    let network_name = network
        .filter(|n| n.network_id == service.onid && !is_blank(&n.name))
        .map(|n| n.name.trim().to_owned());
    let label = network_name.unwrap_or_else(|| match epg.system {
        System::Isdb if is_satellite(epg, service) => {
            satellite_prefix(service).unwrap_or("ISDB-S").to_owned()
        }
        System::Isdb => "GR".to_owned(),
        System::Dvb => format!("DVB {}", service.onid),
    });
    Cow::Owned(format!("{label} {}", service.sid))
}

/// Piro77's satellite transponder and slot: `("BS15", 0)`. TP = prefix +
/// `(tsid & 0x01F0) >> 4`, SLOT = `tsid & 7`; NHK's 16625/16626 are taken as one less first
/// (epgdump's quirk, kept for compatibility). `None` for non-satellite services.
pub(super) fn satellite_info(epg: &Epg, service: &Service) -> Option<(String, u16)> {
    if !is_satellite(epg, service) {
        return None;
    }
    let prefix = satellite_prefix(service)?;
    let tsid = match service.tsid {
        16625 | 16626 => service.tsid - 1,
        t => t,
    };
    Some((format!("{prefix}{}", (tsid & 0x01F0) >> 4), tsid & 7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epg::model::{Network, SdtSource, TransportStreamInfo};

    fn service(onid: u16, tsid: u16, sid: u16, name: &str) -> Service {
        Service {
            onid,
            tsid,
            sid,
            name: name.into(),
            provider: String::new(),
            service_type: None,
            sdt: SdtSource::None,
            eit_schedule_flag: None,
            eit_present_following_flag: None,
            free_ca_mode: None,
            remote_control_key_id: None,
            events: Vec::new(),
            completeness: Default::default(),
        }
    }

    #[test]
    fn ids_in_every_style() {
        let mut s = service(4, 16625, 101, "");
        let epg = Epg::default();
        assert_eq!(satellite_info(&epg, &s), Some(("BS15".into(), 0)));
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Epgdump), "BS_101");
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Xmltv), "101.4.bs");
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Auto), "101.4.bs");
        s.tsid = 0x4031; // BS3 slot 1
        assert_eq!(satellite_info(&epg, &s), Some(("BS3".into(), 1)));
        s.onid = 7;
        s.tsid = 0x7040;
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Epgdump), "CS_101");
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Xmltv), "101.7.cs");
        assert_eq!(satellite_info(&epg, &s), Some(("CS4".into(), 0)));
        s.onid = 0xB;
        s.tsid = 0x1234;
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Xmltv), "101.11.sat");
        s.onid = 0x7FE0;
        s.tsid = 0x7FE0;
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Epgdump), "GR_101");
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Xmltv), "101.32736.gr");
        s.remote_control_key_id = Some(3);
        assert_eq!(channel_id(&epg, &s, &ChannelIdStyle::Epgdump), "GR3_101");
        assert_eq!(
            channel_id(&epg, &s, &ChannelIdStyle::Triplet),
            "32736.32736.101"
        );
        assert_eq!(
            channel_id(&epg, &s, &ChannelIdStyle::Prefix("GR27".into())),
            "GR27_101"
        );
        let dvb = Epg {
            system: System::Dvb,
            ..Epg::default()
        };
        s.onid = 8442;
        s.sid = 1537;
        assert_eq!(channel_id(&dvb, &s, &ChannelIdStyle::Epgdump), "1537.8442");
        assert_eq!(
            channel_id(&dvb, &s, &ChannelIdStyle::Xmltv),
            "1537.8442.dvb"
        );
        assert_eq!(satellite_info(&dvb, &s), None);
        let auto = ChannelIdStyle::Auto;
        assert_eq!(
            auto.or_format_default(&ChannelIdStyle::Epgdump),
            &ChannelIdStyle::Epgdump
        );
        assert_eq!(
            ChannelIdStyle::Triplet.or_format_default(&ChannelIdStyle::Epgdump),
            &ChannelIdStyle::Triplet
        );
    }

    /// Every id of the Xmltv style matches `tv_validate_file`'s pattern
    /// `^[-a-zA-Z0-9]+(\.[-a-zA-Z0-9]+)+$`.
    #[test]
    fn xmltv_ids_are_rfc2838_style() {
        let ok = |id: &str| {
            let labels: Vec<&str> = id.split('.').collect();
            labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        };
        for system in [System::Isdb, System::Dvb] {
            let epg = Epg {
                system,
                ..Epg::default()
            };
            for (onid, tsid, sid) in [
                (4, 16625, 101),
                (6, 0x6020, 55),
                (0x7FE0, 0, 0),
                (0, 0xFFFF, 0xFFFF),
            ] {
                let id = channel_id(&epg, &service(onid, tsid, sid, ""), &ChannelIdStyle::Xmltv);
                assert!(ok(&id), "{id}");
            }
        }
    }

    #[test]
    fn display_names_fall_back() {
        let mut epg = Epg::default();
        let named = service(4, 16593, 181, "ＢＳフジ");
        assert_eq!(display_name(&epg, &named), "ＢＳフジ");
        let blank = service(4, 16593, 181, " \u{1}\u{3000}");
        assert_eq!(display_name(&epg, &blank), "BS 181");
        epg.network = Some(Network {
            network_id: 4,
            name: "BS Digital".into(),
            transport_streams: vec![TransportStreamInfo {
                transport_stream_id: 16593,
                original_network_id: 4,
                remote_control_key_id: None,
                ts_name: None,
            }],
        });
        assert_eq!(display_name(&epg, &blank), "BS Digital 181");
        if let Some(n) = epg.network.as_mut() {
            n.transport_streams[0].ts_name = Some("ＢＳフジ・１８１".into());
        }
        assert_eq!(display_name(&epg, &blank), "ＢＳフジ・１８１");
        let gr = service(0x7FE0, 0x7FE0, 1024, "");
        assert_eq!(display_name(&epg, &gr), "GR 1024");
        let dvb = Epg {
            system: System::Dvb,
            ..Epg::default()
        };
        assert_eq!(
            display_name(&dvb, &service(8395, 273, 257, "")),
            "DVB 8395 257"
        );
    }
}
