//! XMLTV (<https://github.com/XMLTV/xmltv/blob/master/xmltv.dtd>): the interchange format of
//! media centres and PVR back ends. The output is valid against the XMLTV DTD.
//!
//! - All `<channel>` elements first, then all `<programme>`s, services in model order, events in
//!   start order; `lang="ja"` on ISDB text, no `lang` for DVB.
//! - `desc` is the short text, then each extended item as `description\nitem`, blocks separated by
//!   a blank line; omitted when empty.
//! - `category`: genre levels 1 and 2, Japanese then English for ISDB, English only for DVB, no
//!   duplicates; ARIB 0xE0 attributes are not genres and are left out, 0xE1 uses the CS tables.
//! - `episode-num system="onscreen"` `N/M` or `N` from the series descriptor; `video` and `audio`
//!   from the ARIB component tables (DVB: `present` and stereo only); `previously-shown`,
//!   `premiere`, `new` from 再/初/新 title markers (`【再】`, `[再]`, or the ARIB symbol as
//!   U+1F21E/U+1F220/U+1F21F); `subtitles type="teletext"` (selectable, digitally sent captions)
//!   when the data content descriptor signals captions.
//! - ARIB 0xE0 attributes (中止の可能性あり …) have no XMLTV element and are left out (the JSON
//!   outputs keep them).
//! - No `stop` when the duration is undefined; events with an undefined start are left out and
//!   counted in [`WriteSummary::skipped_undefined_start`].
//! - Characters XML 1.0 does not allow (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) and the
//!   discouraged C1 controls are removed; CR is written as `&#13;`.
//!
//! `tv_validate_file` also applies heuristics beyond the DTD: channel ids must look like
//! `name.domain` (only [`ChannelIdStyle::Triplet`] and DVB's epgdump ids do; epgdump's ISDB ids
//! such as `BS_101` do not), every channel should have a programme, titles should not be empty.
//! These are not DTD requirements and are not enforced here: channel ids are kept exactly as the
//! chosen style gives them, and every selected service is listed.
//!
//! [`ChannelIdStyle::Triplet`]: super::ChannelIdStyle::Triplet

use super::{
    audio_main_first, categories, channel_id, each_timed_event, full_description, selected,
    OutputOptions, WriteSummary, Xml,
};
use crate::epg::model::{Event, System};
use crate::epg::Epg;
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
    let services: Vec<_> = selected(epg, opts)
        .map(|s| (s, channel_id(epg, s, &opts.channel_ids)))
        .collect();
    for (s, id) in &services {
        x.start("channel", &[("id", id)])?;
        x.text("display-name", lang, &s.name)?;
        x.end("channel")?;
        summary.channels += 1;
    }
    for (s, id) in &services {
        each_timed_event(s, &mut summary, |e| programme(&mut x, isdb, lang, id, e))?;
    }
    x.end("tv")?;
    x.finish()?;
    Ok(summary)
}

/// Title markers: (ideograph, ARIB symbol code point).
fn has_marker(title: &str, ideograph: char, symbol: char) -> bool {
    title.contains(&format!("【{ideograph}】"))
        || title.contains(&format!("[{ideograph}]"))
        || title.contains(symbol)
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

fn programme<W: io::Write>(
    x: &mut Xml<W>,
    isdb: bool,
    lang: &[(&str, &str)],
    channel: &str,
    e: &Event,
) -> io::Result<()> {
    let Some(start) = e.start else {
        return Ok(());
    };
    let start_s = start.xmltv();
    let stop_s = e.end().map(|t| t.xmltv());
    let mut attrs: Vec<(&str, &str)> = vec![("start", &start_s)];
    if let Some(stop) = &stop_s {
        attrs.push(("stop", stop));
    }
    attrs.push(("channel", channel));
    x.start("programme", &attrs)?;
    x.text("title", lang, &e.title)?;
    let desc = full_description(e);
    if !super::xml_clean(&desc).trim().is_empty() {
        x.text("desc", lang, &desc)?;
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for c in categories(isdb, &e.genres) {
        let mut names: Vec<(&str, &str)> = Vec::new();
        if isdb {
            if let Some(ja) = c.large_ja {
                names.push(("ja", ja));
            }
        }
        names.push(("en", c.large_en));
        if isdb {
            if let Some(ja) = c.middle_ja {
                names.push(("ja", ja));
            }
        }
        if let Some(en) = c.middle_en {
            names.push(("en", en));
        }
        for n in names {
            if !seen.contains(&n) {
                seen.push(n);
                x.text("category", &[("lang", n.0)], n.1)?;
            }
        }
    }
    if let Some(series) = &e.series {
        if series.episode_number != 0 {
            let n = if series.last_episode_number != 0 {
                format!("{}/{}", series.episode_number, series.last_episode_number)
            } else {
                series.episode_number.to_string()
            };
            x.text("episode-num", &[("system", "onscreen")], &n)?;
        }
    }
    if let Some(v) = &e.video {
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
    if has_marker(&e.title, '再', '\u{1F21E}') {
        x.empty("previously-shown", &[])?;
    }
    if has_marker(&e.title, '初', '\u{1F220}') {
        x.empty("premiere", &[])?;
    }
    if has_marker(&e.title, '新', '\u{1F21F}') {
        x.empty("new", &[])?;
    }
    if e.has_captions() {
        x.empty("subtitles", &[("type", "teletext")])?;
    }
    x.end("programme")
}
