//! Piro77 epgdump's `json` mode, for tools written against it (recorders of the Chinachu /
//! EPGStation era). Same keys in the same order, but produced by serde, so it is always valid
//! JSON (the C tool printed strings unescaped).
//!
//! A top-level array of channels sorted by service_id: `id`, `transport_stream_id`,
//! `original_network_id`, `service_id`, `name`, `satelliteinfo` (satellite services only:
//! `{"TP": "BS15", "SLOT": 0}`), `programs`. Each program, sorted by start: `channel`, `title`,
//! `detail`, `extdetail`, `start`, `end`, `duration`, `category`, `attachinfo`, `video`, `audio`,
//! `freeCA`, `event_id`.
//!
//! Deviations from the C tool:
//! - `start`/`end` are **Unix milliseconds**. Piro77 printed the epoch seconds followed by
//!   `0000` (seconds × 10000), which was a bug; divide by 1000, not 10000.
//! - Every program has `end` and `duration`: an undefined duration ends at the next program's
//!   start on the same channel, else one hour after the start (counted), as in the epgdump XML
//!   dialect (C: -1 and a wrong end).
//! - Events with an undefined start or an empty title are left out (and counted).
//! - `name` is never empty ([`super::display_name`]).
//! - `extdetail` holds every extended item, not only the first ones.
//! - `category` names are `null` where a table has none (DVB has no Japanese names; unnamed
//!   level-2 codes); ARIB 0xE0 attributes go to `attachinfo` only.
//! - `video` and `audio` are filled from the ARIB tables for ISDB only (DVB: empty strings and
//!   the raw component types).

use super::programmes::{programmes, Programme, StopRule};
use super::{
    attributes, audio_main_first, categories, channel_id, display_name, piro_aspect,
    piro_audio_type, piro_langcode, piro_resolution, satellite_info, selected, ChannelIdStyle,
    OutputOptions, WriteSummary,
};
use crate::epg::model::System;
use crate::epg::{Epg, Service};
use serde::Serialize;
use std::borrow::Cow;
use std::io;

#[derive(Serialize)]
struct Channel<'a> {
    id: String,
    transport_stream_id: u16,
    original_network_id: u16,
    service_id: u16,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    satelliteinfo: Option<SatelliteInfo>,
    programs: Vec<Program<'a>>,
}

#[derive(Serialize)]
struct SatelliteInfo {
    #[serde(rename = "TP")]
    tp: String,
    #[serde(rename = "SLOT")]
    slot: u16,
}

#[derive(Serialize)]
struct Program<'a> {
    channel: String,
    title: &'a str,
    detail: &'a str,
    extdetail: Vec<ExtDetail<'a>>,
    start: i64,
    end: Option<i64>,
    duration: Option<u32>,
    category: Vec<CategoryJson>,
    attachinfo: Vec<&'static str>,
    video: VideoJson,
    audio: Vec<AudioJson<'a>>,
    #[serde(rename = "freeCA")]
    free_ca: bool,
    event_id: u16,
}

#[derive(Serialize)]
struct ExtDetail<'a> {
    item_description: &'a str,
    item: &'a str,
}

#[derive(Serialize)]
struct Names {
    #[serde(rename = "ja_JP")]
    ja: Option<&'static str>,
    en: Option<&'static str>,
}

#[derive(Serialize)]
struct CategoryJson {
    large: Names,
    middle: Names,
}

#[derive(Serialize)]
struct VideoJson {
    resolution: &'static str,
    aspect: &'static str,
}

#[derive(Serialize)]
struct AudioJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    langcode: String,
    extdesc: &'a str,
}

fn program<'a>(isdb: bool, channel: &str, p: &Programme<'a>) -> Program<'a> {
    let e = p.event;
    let end = p.stop.map(|t| t.unix().saturating_mul(1000));
    let video = match (&e.video, isdb) {
        (Some(v), true) => VideoJson {
            resolution: piro_resolution(v.component_type),
            aspect: piro_aspect(v.component_type),
        },
        _ => VideoJson {
            resolution: "",
            aspect: "",
        },
    };
    Program {
        channel: channel.to_owned(),
        title: &e.title,
        detail: &e.text,
        extdetail: e
            .extended
            .iter()
            .map(|(d, i)| ExtDetail {
                item_description: d,
                item: i,
            })
            .collect(),
        start: p.start.unix().saturating_mul(1000),
        end,
        duration: p.seconds(),
        category: categories(isdb, &e.genres)
            .into_iter()
            .map(|c| CategoryJson {
                large: Names {
                    ja: c.large_ja,
                    en: Some(c.large_en),
                },
                middle: Names {
                    ja: c.middle_ja,
                    en: c.middle_en,
                },
            })
            .collect(),
        attachinfo: attributes(isdb, &e.genres),
        video,
        audio: audio_main_first(e)
            .into_iter()
            .take(2)
            .map(|a| AudioJson {
                kind: if isdb {
                    piro_audio_type(a.component_type)
                } else {
                    "音声不明"
                },
                langcode: piro_langcode(a),
                extdesc: &a.text,
            })
            .collect(),
        free_ca: e.free_ca_mode,
        event_id: e.event_id,
    }
}

fn channel<'a>(
    epg: &'a Epg,
    s: &'a Service,
    opts: &OutputOptions,
    summary: &mut WriteSummary,
) -> Channel<'a> {
    let isdb = epg.system == System::Isdb;
    let id = channel_id(
        epg,
        s,
        opts.channel_ids.or_format_default(&ChannelIdStyle::Epgdump),
    );
    Channel {
        programs: programmes(s, StopRule::Always, summary)
            .iter()
            .map(|p| program(isdb, &id, p))
            .collect(),
        id,
        transport_stream_id: s.tsid,
        original_network_id: s.onid,
        service_id: s.sid,
        name: display_name(epg, s),
        satelliteinfo: satellite_info(epg, s).map(|(tp, slot)| SatelliteInfo { tp, slot }),
    }
}

/// Writes `epg` in Piro77 epgdump's JSON schema (see the module docs) to `w`, one line.
///
/// # Errors
/// Only errors of `w`.
pub fn write_json<W: io::Write>(
    epg: &Epg,
    opts: &OutputOptions,
    mut w: W,
) -> io::Result<WriteSummary> {
    let mut summary = WriteSummary::default();
    let mut services: Vec<&Service> = selected(epg, opts).collect();
    services.sort_by_key(|s| (s.sid, s.onid, s.tsid));
    let channels: Vec<Channel<'_>> = services
        .into_iter()
        .map(|s| channel(epg, s, opts, &mut summary))
        .collect();
    summary.channels = channels.len() as u64;
    serde_json::to_writer(&mut w, &channels).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(summary)
}
