//! Piro77 epgdump's XML dialect (`tsEPG2xml`), for tools that parse epgdump's XML output. It
//! looks like XMLTV but is not valid XMLTV (extra attributes and elements such as `event_id`,
//! `category_middle`, `attachinfo`, `freeCA`, `satelliteinfo`, `extdesc`); use
//! [`super::write_xmltv`] for XMLTV consumers.
//!
//! Layout: channels first (`id`, `transport_stream_id`, `original_network_id`, `service_id`,
//! `display-name lang="ja_JP"`, `satelliteinfo` with `TP`/`SLOT` for satellite services), then
//! programmes (`start`, `stop`, `channel`, `event_id`, `duration`; children `title`, `desc`,
//! `category`/`category_middle` in ja_JP and en per genre, `attachinfo` per ARIB 0xE0 attribute,
//! `freeCA` 0/1, `video id=component_type` with `resolution`/`aspect`, `audio id=component_type`
//! with `desc`/`lang`/`extdesc` (main component first, at most 2), one `extdesc` with an
//! `item_description`/`item` pair per extended item).
//!
//! Every programme has `start`, `stop` and `duration`: an undefined duration ends at the next
//! programme's start on the same channel, else one hour after the start (counted in
//! [`WriteSummary::filled_stops`]), because epgrec's importer writes `stop` into SQL
//! unconditionally. Events with an undefined start or an empty title are left out and counted.
//! Channel ids are epgdump's (`BS_101`) unless another [`ChannelIdStyle`] is asked for; the
//! display name is never empty ([`super::display_name`]).
//!
//! Fixed where the C tool was wrong:
//! - every string and attribute is escaped, and characters XML 1.0 forbids are removed (the C
//!   tool wrote raw text, producing ill-formed XML for titles with `&` or `<`);
//! - times carry the model's real offset (`+0000` for DVB) rather than a hard-coded `+0900`;
//! - an undefined duration gives the stop above (C: start + 0, or garbage from the 0xFFFFFF
//!   BCD).
//!
//! The remaining field-by-field differences from Piro77's `dumpXML` are listed in the README.
//! For DVB, `lang` attributes of title/desc are omitted and categories are English only.

use super::programmes::{programmes, Programme, StopRule};
use super::{
    attributes, audio_main_first, categories, channel_id, display_name, piro_aspect,
    piro_audio_type, piro_langcode, piro_resolution, satellite_info, selected, ChannelIdStyle,
    OutputOptions, WriteSummary, Xml,
};
use crate::epg::model::System;
use crate::epg::Epg;
use std::io;

/// Writes `epg` in Piro77 epgdump's XML dialect (see the module docs) to `w`.
///
/// # Errors
/// Only errors of `w`.
pub fn write_epgdump_xml<W: io::Write>(
    epg: &Epg,
    opts: &OutputOptions,
    w: W,
) -> io::Result<WriteSummary> {
    let isdb = epg.system == System::Isdb;
    let lang: &[(&str, &str)] = if isdb { &[("lang", "ja_JP")] } else { &[] };
    let mut x = Xml::new(w);
    let mut summary = WriteSummary::default();
    x.raw(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n\n")?;
    x.start(
        "tv",
        &[
            ("generator-info-name", "tsEPG2xml"),
            ("generator-info-url", "http://localhost/"),
        ],
    )?;
    let style = opts.channel_ids.or_format_default(&ChannelIdStyle::Epgdump);
    let services: Vec<_> = selected(epg, opts)
        .map(|s| (s, channel_id(epg, s, style)))
        .collect();
    for (s, id) in &services {
        let (tsid, onid, sid) = (s.tsid.to_string(), s.onid.to_string(), s.sid.to_string());
        x.start(
            "channel",
            &[
                ("id", id),
                ("transport_stream_id", &tsid),
                ("original_network_id", &onid),
                ("service_id", &sid),
            ],
        )?;
        x.text("display-name", lang, &display_name(epg, s))?;
        if let Some((tp, slot)) = satellite_info(epg, s) {
            x.start("satelliteinfo", &[])?;
            x.text("TP", &[], &tp)?;
            x.text("SLOT", &[], &slot.to_string())?;
            x.end("satelliteinfo")?;
        }
        x.end("channel")?;
        summary.channels += 1;
    }
    for (s, id) in &services {
        for p in programmes(s, StopRule::Always, &mut summary) {
            programme(&mut x, isdb, lang, id, &p)?;
        }
    }
    x.end("tv")?;
    x.finish()?;
    Ok(summary)
}

fn programme<W: io::Write>(
    x: &mut Xml<W>,
    isdb: bool,
    lang: &[(&str, &str)],
    channel: &str,
    p: &Programme<'_>,
) -> io::Result<()> {
    let e = p.event;
    let start_s = p.start.xmltv();
    let stop_s = p.stop.map(|t| t.xmltv());
    let event_id = e.event_id.to_string();
    let duration = p.seconds().map(|d| d.to_string());
    let mut attrs: Vec<(&str, &str)> = vec![("start", &start_s)];
    if let Some(stop) = &stop_s {
        attrs.push(("stop", stop));
    }
    attrs.push(("channel", channel));
    attrs.push(("event_id", &event_id));
    if let Some(d) = &duration {
        attrs.push(("duration", d));
    }
    x.start("programme", &attrs)?;
    x.text("title", lang, &e.title)?;
    x.text("desc", lang, &e.text)?;
    for c in categories(isdb, &e.genres) {
        if let (true, Some(ja)) = (isdb, c.large_ja) {
            x.text("category", &[("lang", "ja_JP")], ja)?;
        }
        x.text("category", &[("lang", "en")], c.large_en)?;
        if let (true, Some(ja)) = (isdb, c.middle_ja) {
            x.text("category_middle", &[("lang", "ja_JP")], ja)?;
        }
        if let Some(en) = c.middle_en {
            x.text("category_middle", &[("lang", "en")], en)?;
        }
    }
    for a in attributes(isdb, &e.genres) {
        x.text("attachinfo", &[], a)?;
    }
    x.text("freeCA", &[], if e.free_ca_mode { "1" } else { "0" })?;
    if let Some(v) = &e.video {
        let id = v.component_type.to_string();
        let (res, aspect) = if isdb {
            (
                piro_resolution(v.component_type),
                piro_aspect(v.component_type),
            )
        } else {
            ("", "")
        };
        x.start("video", &[("id", &id)])?;
        x.text("resolution", &[], res)?;
        x.text("aspect", &[], aspect)?;
        x.end("video")?;
    }
    for a in audio_main_first(e).into_iter().take(2) {
        let id = a.component_type.to_string();
        x.start("audio", &[("id", &id)])?;
        let kind = if isdb {
            piro_audio_type(a.component_type)
        } else {
            "音声不明"
        };
        x.text("desc", &[], kind)?;
        x.text("lang", &[], &piro_langcode(a))?;
        x.text("extdesc", &[], &a.text)?;
        x.end("audio")?;
    }
    // One <extdesc> holding every item, as Piro77's dumpXML writes it.
    if !e.extended.is_empty() {
        x.start("extdesc", &[])?;
        for (d, i) in &e.extended {
            x.text("item_description", &[], d)?;
            x.text("item", &[], i)?;
        }
        x.end("extdesc")?;
    }
    x.end("programme")
}
