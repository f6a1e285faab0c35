//! JSON Lines: one JSON object per event per line, the whole model, for scripts (`jq`, pandas).
//! No C counterpart. The field names are an interface:
//!
//! `onid`, `tsid`, `sid`, `event_id`, `channel` (the channel id), `service_name`, `start`
//! (RFC 3339 with offset, or `null`), `end` (or `null`), `duration` (seconds or `null`), `title`,
//! `text`, `extended` (`[[description, item], …]`), `extended_text`, `genres`
//! (`[[l1, l2, u1, u2], …]`), `video`, `audio`, `series`, `event_group`, `data_content`,
//! `captions`, `parental_rating` (`[[country, rating], …]`), `free_ca_mode`, `running_status`,
//! `sources`, `version_updated`. Every key is always present.
//!
//! Services in model order, events in model order (by start, undefined starts last). Every event
//! is included: an undefined start gives `"start": null`, a missing title `"title": ""`.
//! `channel` is epgdump's id (`BS_101`) unless another style is asked for; `service_name` is the
//! SDT name as broadcast (empty when no SDT named the service).

use super::{channel_id, selected, ChannelIdStyle, OutputOptions, WriteSummary};
use crate::epg::model::{Audio, DataContent, EventGroup, Series, Timestamp, Video};
use crate::epg::Epg;
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Line<'a> {
    onid: u16,
    tsid: u16,
    sid: u16,
    event_id: u16,
    channel: &'a str,
    service_name: &'a str,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    duration: Option<u32>,
    title: &'a str,
    text: &'a str,
    extended: &'a [(String, String)],
    extended_text: &'a str,
    genres: &'a [[u8; 4]],
    video: &'a Option<Video>,
    audio: &'a [Audio],
    series: &'a Option<Series>,
    event_group: &'a [EventGroup],
    data_content: &'a Option<DataContent>,
    captions: bool,
    parental_rating: &'a [(String, u8)],
    free_ca_mode: bool,
    running_status: u8,
    sources: &'a [&'static str],
    version_updated: bool,
}

/// Writes every event of the selected services of `epg` as one JSON object per line to `w`.
///
/// # Errors
/// Only errors of `w`.
pub fn write_jsonl<W: io::Write>(
    epg: &Epg,
    opts: &OutputOptions,
    mut w: W,
) -> io::Result<WriteSummary> {
    let mut summary = WriteSummary::default();
    for s in selected(epg, opts) {
        summary.channels += 1;
        let channel = channel_id(
            epg,
            s,
            opts.channel_ids.or_format_default(&ChannelIdStyle::Epgdump),
        );
        for e in &s.events {
            let line = Line {
                onid: s.onid,
                tsid: s.tsid,
                sid: s.sid,
                event_id: e.event_id,
                channel: &channel,
                service_name: &s.name,
                start: e.start,
                end: e.end(),
                duration: e.duration,
                title: &e.title,
                text: &e.text,
                extended: &e.extended,
                extended_text: &e.extended_text,
                genres: &e.genres,
                video: &e.video,
                audio: &e.audio,
                series: &e.series,
                event_group: &e.event_group,
                data_content: &e.data_content,
                captions: e.has_captions(),
                parental_rating: &e.parental_rating,
                free_ca_mode: e.free_ca_mode,
                running_status: e.running_status,
                sources: &e.sources,
                version_updated: e.version_updated,
            };
            serde_json::to_writer(&mut w, &line).map_err(io::Error::from)?;
            w.write_all(b"\n")?;
            summary.programmes += 1;
        }
    }
    w.flush()?;
    Ok(summary)
}
