//! XMLTV (<https://github.com/XMLTV/xmltv/blob/master/xmltv.dtd>): the interchange format of
//! media centres and PVR back ends. The output is valid against the XMLTV DTD and passes
//! `tv_validate_file` with the default options.
//!
//! - All `<channel>` elements first, then all `<programme>`s, services in model order, events in
//!   start order; `lang="ja"` on ISDB text, no `lang` for DVB.
//! - Channel ids: [`ChannelIdStyle::Xmltv`] by default (`101.4.bs`); services sharing an id
//!   (the same service from two merged recordings) get one `<channel>`. Channels without
//!   programmes are left out (counted) unless [`OutputOptions::all_channels`].
//! - `display-name` never empty ([`display_name`]); programmes with an empty title, or an
//!   undefined start, are left out and counted ([`WriteSummary`]).
//! - `sub-title` with [`OutputOptions::sub_title`]: the title split at `「`, `#N` or `第N話`.
//! - `desc` is the short text, then each extended item as `description\nitem`, blocks separated by
//!   a blank line; omitted when empty.
//! - `date`: a film's production year when its texts state exactly one (`1995年公開`).
//! - `category`: the Japanese ARIB names (level 1 and 2) for ISDB, then English names that
//!   consumers recognise (see [`super::consumer_genres`]: `Movie`, `News`, `Sports`, `Kids`
//!   and the EN 300 468 names tvheadend uses), then `Series` for programmes of a series (a
//!   series descriptor, an episode number, or an ISDB genre that is not film). No duplicates;
//!   ARIB 0xE0 attributes are not genres and are left out (the JSON outputs keep them).
//! - `episode-num`: `xmltv_ns`, `onscreen` and `dd_progid` (see [`super::episode`]).
//! - `video` and `audio` from the ARIB component tables (DVB: `present` and stereo only; a DVB
//!   subtitle component is not video).
//! - `previously-shown`, `premiere`, `last-chance`, `new`, `subtitles` from the ARIB marks, the
//!   series descriptor and the caption signalling (see [`super::title_marks`]).
//! - No `stop` when the duration is undefined.
//! - Characters XML 1.0 does not allow (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) and the
//!   discouraged C1 controls are removed; CR is written as `&#13;`.
//!
//! [`ChannelIdStyle::Xmltv`]: super::ChannelIdStyle::Xmltv
//! [`display_name`]: super::display_name

use super::consumer_genres::{english_names, is_film};
use super::episode::episode_nums;
use super::programmes::{programmes, Programme, StopRule};
use super::title_marks::{film_year, has_mark, open_subtitles, split_sub_title, Mark};
use super::{
    audio_main_first, categories, channel_id, display_name, full_description, selected,
    ChannelIdStyle, OutputOptions, WriteSummary, Xml,
};
use crate::epg::model::{Event, System};
use crate::epg::{Epg, Service};
use crate::si::genre;
use std::io;

/// Writes `epg` as an XMLTV document to `w`.
///
/// # Errors
/// Only errors of `w`.
pub fn write_xmltv<W: io::Write>(
    epg: &Epg,
    opts: &OutputOptions,
    w: W,
) -> io::Result<WriteSummary> {
    let isdb = epg.system == System::Isdb;
    let lang: &[(&str, &str)] = if isdb { &[("lang", "ja")] } else { &[] };
    let mut x = Xml::new(w);
    let mut summary = WriteSummary::default();
    x.raw(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n")?;
    x.start("tv", &[("generator-info-name", "epgdump-rs")])?;
    let style = opts.channel_ids.or_format_default(&ChannelIdStyle::Xmltv);
    let mut services: Vec<(&Service, String, Vec<Programme<'_>>)> = Vec::new();
    for s in selected(epg, opts) {
        let p = programmes(s, StopRule::AsBroadcast, &mut summary);
        if p.is_empty() && !opts.all_channels {
            summary.skipped_empty_channels += 1;
            continue;
        }
        services.push((s, channel_id(epg, s, style), p));
    }
    let mut written: Vec<&str> = Vec::new();
    for (i, (s, id, _)) in services.iter().enumerate() {
        if written.contains(&id.as_str()) {
            continue;
        }
        written.push(id);
        // The first service of this id with a name of its own gives the display name.
        let named = services
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .find(|(t, tid, _)| tid == id && !super::channel::is_blank(&t.name))
            .map_or(*s, |(t, _, _)| *t);
        x.start("channel", &[("id", id)])?;
        x.text("display-name", lang, &display_name(epg, named))?;
        x.end("channel")?;
        summary.channels += 1;
    }
    for (s, id, progs) in &services {
        for p in progs {
            programme(&mut x, isdb, lang, opts, s.sid, id, p)?;
        }
    }
    x.end("tv")?;
    x.finish()?;
    Ok(summary)
}

/// XMLTV `<stereo>` of a DVB audio component (EN 300 468 table 26, stream_content 0x02).
fn dvb_stereo(stream_content: u8, component_type: u8) -> Option<&'static str> {
    match (stream_content, component_type) {
        (0x02, 0x01) => Some("mono"),
        (0x02, 0x02) => Some("bilingual"),
        (0x02, 0x03) => Some("stereo"),
        (0x02, 0x05) => Some("surround"),
        _ => None,
    }
}

/// Whether a DVB component is a subtitle one (EN 300 468 table 26: stream_content 0x03 with
/// EBU Teletext or DVB subtitles).
fn dvb_subtitle_component(stream_content: u8, component_type: u8) -> bool {
    stream_content == 0x03
        && matches!(component_type, 0x01 | 0x02 | 0x05 | 0x10..=0x15 | 0x20..=0x25)
}

/// The category lines of an event: `(lang, name)` without duplicates.
fn category_names(isdb: bool, e: &Event, series: bool) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let mut push = |n: (&'static str, &'static str)| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    if isdb {
        for c in categories(isdb, &e.genres) {
            if let Some(ja) = c.large_ja {
                push(("ja", ja));
            }
            if let Some(ja) = c.middle_ja {
                push(("ja", ja));
            }
        }
    }
    for g in &e.genres {
        for name in english_names(isdb, g) {
            push(("en", name));
        }
    }
    if series {
        push(("en", "Series"));
    }
    out
}

/// Whether XMLTV consumers should file the event as part of a series: a series descriptor, an
/// episode number, or an ISDB genre other than film.
fn is_series(isdb: bool, e: &Event, has_number: bool) -> bool {
    let named_genre = |g: &&[u8; 4]| !english_names(isdb, g).is_empty();
    e.series.is_some()
        || has_number
        || (isdb
            && e.genres.iter().any(|g| named_genre(&g))
            && !e.genres.iter().any(|g| is_film(isdb, g)))
}

fn programme<W: io::Write>(
    x: &mut Xml<W>,
    isdb: bool,
    lang: &[(&str, &str)],
    opts: &OutputOptions,
    sid: u16,
    channel: &str,
    p: &Programme<'_>,
) -> io::Result<()> {
    let e = p.event;
    let start_s = p.start.xmltv();
    let stop_s = p.stop.map(|t| t.xmltv());
    let mut attrs: Vec<(&str, &str)> = vec![("start", &start_s)];
    if let Some(stop) = &stop_s {
        attrs.push(("stop", stop));
    }
    attrs.push(("channel", channel));
    x.start("programme", &attrs)?;
    match split_sub_title(&e.title).filter(|_| opts.sub_title) {
        Some((title, sub)) => {
            x.text("title", lang, title)?;
            x.text("sub-title", lang, sub)?;
        }
        None => x.text("title", lang, &e.title)?,
    }
    let desc = full_description(e);
    if !super::channel::is_blank(&desc) {
        x.text("desc", lang, &desc)?;
    }
    let film = e.genres.iter().any(|g| is_film(isdb, g));
    if film {
        if let Some(year) = film_year(e) {
            x.text("date", &[], &year.to_string())?;
        }
    }
    let nums = episode_nums(e, sid);
    for (l, name) in category_names(isdb, e, is_series(isdb, e, nums.has_number())) {
        x.text("category", &[("lang", l)], name)?;
    }
    if let Some(ns) = &nums.xmltv_ns {
        x.text("episode-num", &[("system", "xmltv_ns")], ns)?;
    }
    if let Some(shown) = &nums.onscreen {
        x.text("episode-num", &[("system", "onscreen")], shown)?;
    }
    if let Some(id) = &nums.dd_progid {
        x.text("episode-num", &[("system", "dd_progid")], id)?;
    }
    let dvb_subtitles = !isdb
        && e.video
            .as_ref()
            .is_some_and(|v| dvb_subtitle_component(v.stream_content, v.component_type));
    if let Some(v) = e
        .video
        .as_ref()
        .filter(|v| isdb || v.stream_content != 0x03)
    {
        x.start("video", &[])?;
        x.text("present", &[], "yes")?;
        if isdb {
            if let Some(info) = genre::video_component(v.component_type) {
                if let Some(a) = info.aspect {
                    x.text("aspect", &[], a)?;
                }
                if let Some(q) = info.quality {
                    x.text("quality", &[], q)?;
                }
            }
        }
        x.end("video")?;
    }
    if let Some(a) = audio_main_first(e).first() {
        let stereo = if isdb {
            genre::audio_component(a.component_type).and_then(|i| i.stereo)
        } else {
            dvb_stereo(a.stream_content, a.component_type)
        };
        x.start("audio", &[])?;
        x.text("present", &[], "yes")?;
        if let Some(s) = stereo {
            x.text("stereo", &[], s)?;
        }
        x.end("audio")?;
    }
    let series = e.series.as_ref();
    if has_mark(&e.title, Mark::Rerun) || series.is_some_and(|s| s.repeat_label != 0) {
        x.empty("previously-shown", &[])?;
    }
    if has_mark(&e.title, Mark::First) {
        x.empty("premiere", &[])?;
    }
    if has_mark(&e.title, Mark::Last)
        || series
            .is_some_and(|s| s.episode_number != 0 && s.episode_number == s.last_episode_number)
    {
        x.empty("last-chance", &[])?;
    }
    if has_mark(&e.title, Mark::New) {
        x.empty("new", &[])?;
    }
    if e.has_captions() || has_mark(&e.title, Mark::Captions) || dvb_subtitles {
        x.empty("subtitles", &[("type", "teletext")])?;
    }
    if open_subtitles(&e.title) {
        x.empty("subtitles", &[("type", "onscreen")])?;
    }
    if has_mark(&e.title, Mark::Signed) {
        x.empty("subtitles", &[("type", "deaf-signed")])?;
    }
    x.end("programme")
}
