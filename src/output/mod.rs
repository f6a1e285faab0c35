//! Writers: XMLTV, epgdump-compatible JSON and XML, JSON Lines.
//!
//! Every writer takes the owned [`Epg`] model, an [`OutputOptions`] and any [`std::io::Write`], and
//! returns a [`WriteSummary`]. None of them can panic on model content: strings of any length
//! and content (empty, control characters only, non-characters) are escaped or cleaned.
//!
//! | writer | format | for |
//! |---|---|---|
//! | [`write_xmltv`] | XMLTV, valid against the XMLTV DTD | media centres, tvheadend, Kodi, Plex … |
//! | [`write_json`] | Piro77 epgdump `json` mode | existing epgdump JSON consumers (Chinachu-era tools) |
//! | [`write_jsonl`] | one JSON object per event, the whole model | scripts (`jq`, pandas) |
//! | [`write_epgdump_xml`] | Piro77 epgdump's XML dialect | tools parsing epgdump's XML |
//! | [`html::write_html`] | a self-contained HTML programme grid | people, in any browser |
//!
//! Each module documents where it deviates from the C tool.
//!
//! Channel ids come from [`channel_id`] with a [`ChannelIdStyle`] and channel names from
//! [`display_name`]; services are selected by [`OutputOptions::services`] /
//! [`OutputOptions::exclude_services`] (service_id). Which events become programmes (and the
//! epgdump dialects' stop rule) is decided in one place, counted in [`WriteSummary`]. The
//! [`episode`] module finds episode numbers in Japanese titles.
//!
//! Where the bytes go (atomic replace of regular files, links followed, devices and FIFOs
//! written directly, input == output refused) is [`path`]'s job.

mod channel;
mod consumer_genres;
mod epgdump_xml;
pub mod episode;
pub mod html;
mod json;
mod jsonl;
pub mod path;
mod programmes;
mod title_marks;
mod xmltv;

pub use channel::{channel_id, display_name, ChannelIdStyle};
pub use epgdump_xml::write_epgdump_xml;
pub use json::write_json;
pub use jsonl::write_jsonl;
pub use xmltv::write_xmltv;

use crate::epg::model::Event;
use crate::epg::{Epg, Service};
use crate::si::genre;
use channel::satellite_info;
use std::borrow::Cow;

/// What to write: channel ids, service filters and the XMLTV extras.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutputOptions {
    /// Channel id style.
    pub channel_ids: ChannelIdStyle,
    /// Only these service_ids (all when `None`).
    pub services: Option<Vec<u16>>,
    /// Never these service_ids.
    pub exclude_services: Vec<u16>,
    /// XMLTV: list channels without programmes too (by default they are left out and counted
    /// in [`WriteSummary::skipped_empty_channels`]; `tv_validate_file` rejects them).
    pub all_channels: bool,
    /// XMLTV: split titles into `<title>` and `<sub-title>` at `「`, `#N` or `第N話`, as the
    /// original epgdump did.
    pub sub_title: bool,
}

impl From<WriteSummary> for crate::stats::OutputStats {
    fn from(s: WriteSummary) -> Self {
        crate::stats::OutputStats {
            channels: s.channels,
            programmes: s.programmes,
            skipped_undefined_start: s.skipped_undefined_start,
            skipped_untitled: s.skipped_untitled,
            skipped_empty_channels: s.skipped_empty_channels,
            filled_stops: s.filled_stops,
        }
    }
}

/// What a writer wrote, and what it left out or filled in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Channels (services) written.
    pub channels: u64,
    /// Programmes (events) written.
    pub programmes: u64,
    /// Events left out because their start time is undefined (always 0 for JSON Lines, which
    /// keeps them with `"start": null`).
    pub skipped_undefined_start: u64,
    /// Events left out because their title would be empty (XMLTV and the epgdump dialects;
    /// always 0 for JSON Lines, which keeps them).
    pub skipped_untitled: u64,
    /// Services left out of XMLTV because none of their events became a programme (0 with
    /// [`OutputOptions::all_channels`] and in the other formats).
    pub skipped_empty_channels: u64,
    /// Programmes of the epgdump dialects whose undefined duration was given a stop (the next
    /// programme's start, else start + 1 hour).
    pub filled_stops: u64,
}

/// The services selected by `opts`, in model order.
fn selected<'a>(epg: &'a Epg, opts: &'a OutputOptions) -> impl Iterator<Item = &'a Service> + 'a {
    epg.services.iter().filter(move |s| {
        opts.services.as_ref().map_or(true, |v| v.contains(&s.sid))
            && !opts.exclude_services.contains(&s.sid)
    })
}

/// One genre entry resolved to names: level 1 and (when named) level 2, Japanese when ISDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Category {
    large_ja: Option<&'static str>,
    large_en: &'static str,
    middle_ja: Option<&'static str>,
    middle_en: Option<&'static str>,
}

/// The ARIB user byte of a content descriptor entry.
fn user_byte(g: &[u8; 4]) -> u8 {
    (g[2] << 4) | (g[3] & 0x0F)
}

/// Whether a genre entry is an ARIB 0xE0 programme attribute (not a genre).
fn is_attribute(isdb: bool, g: &[u8; 4]) -> bool {
    isdb && g[0] == 0xE && g[1] == 0x0
}

/// The named genres of an event, attributes and nameless entries skipped. ISDB 0xE1 entries use
/// the broadband-CS tables; other ISDB 0xE? extension entries have no names and are skipped.
fn categories(isdb: bool, genres: &[[u8; 4]]) -> Vec<Category> {
    let mut out = Vec::new();
    for g in genres {
        let (l1, l2) = (g[0] & 0x0F, g[1] & 0x0F);
        if isdb && l1 == 0xE {
            if l2 == 0x1 {
                if let Some(((lja, len), (mja, men))) = genre::arib_cs_genre(user_byte(g)) {
                    out.push(Category {
                        large_ja: Some(lja),
                        large_en: len,
                        middle_ja: Some(mja),
                        middle_en: Some(men),
                    });
                }
            }
            continue;
        }
        if let Some((large, middle)) = genre::genre_names(l1, l2, isdb) {
            out.push(Category {
                large_ja: large.ja,
                large_en: large.en,
                middle_ja: middle.and_then(|m| m.ja),
                middle_en: middle.map(|m| m.en),
            });
        }
    }
    out
}

/// The ARIB 0xE0 programme attributes of an event as text (ISDB only).
fn attributes(isdb: bool, genres: &[[u8; 4]]) -> Vec<&'static str> {
    genres
        .iter()
        .filter(|g| is_attribute(isdb, g))
        .filter_map(|g| genre::arib_attribute(user_byte(g)))
        .collect()
}

/// The main audio component first (the first flagged main, else the first), then the rest.
fn audio_main_first(event: &Event) -> Vec<&crate::epg::model::Audio> {
    let mut v: Vec<_> = event.audio.iter().collect();
    if let Some(i) = v.iter().position(|a| a.main) {
        let main = v.remove(i);
        v.insert(0, main);
    }
    v
}

/// Piro77's video resolution label from the component_type's high nibble.
fn piro_resolution(component_type: u8) -> &'static str {
    match component_type >> 4 {
        0x9 => "QFHD",
        0xB | 0xC | 0xE => "HD",
        0x0 | 0xA => "SD",
        _ => "",
    }
}

/// Piro77's aspect label from the component_type's low nibble.
fn piro_aspect(component_type: u8) -> &'static str {
    match component_type & 0x0F {
        1 => "4:3",
        2 | 3 => "16:9",
        4 => ">16:9",
        _ => "",
    }
}

/// Piro77's audio type label.
fn piro_audio_type(component_type: u8) -> &'static str {
    match component_type {
        1 => "シングルモノ",
        2 => "デュアルモノ",
        3 => "ステレオ",
        9 => "サラウンドステレオ",
        _ => "音声不明",
    }
}

/// Piro77's audio language code: `jpn`, or `jpn_eng` for a multilingual component.
fn piro_langcode(a: &crate::epg::model::Audio) -> String {
    match (&a.lang2, a.multi_lingual) {
        (Some(l2), true) => format!("{}_{}", a.lang, l2),
        _ => a.lang.clone(),
    }
}

/// Whether a character may appear in an XML 1.0 document we write: the XML `Char` production
/// minus the C1 controls and DEL, which XML 1.0 discourages and XMLTV validators reject.
fn xml_char_ok(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

/// `s` with every character not allowed in XML 1.0 text removed.
fn xml_clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char_ok) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| xml_char_ok(c)).collect())
    }
}

/// Escapes XML text or attribute content: the five predefined entities, U+FFFD and `\t \n \r`
/// as character references (so attribute values and CRs survive parser normalisation unchanged;
/// `\n` is kept literal in element text). Disallowed characters are removed first.
fn xml_escape(s: &str, attribute: bool) -> String {
    let clean = xml_clean(s);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            // As a reference: tv_validate_file takes the raw bytes of U+FFFD (the DVB
            // decoder's replacement) followed by `]` for a mis-encoded file.
            '\u{FFFD}' => out.push_str("&#65533;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A small indenting XML writer over quick-xml that escapes everything itself.
struct Xml<W: std::io::Write> {
    w: quick_xml::Writer<W>,
}

impl<W: std::io::Write> Xml<W> {
    fn new(w: W) -> Self {
        Xml {
            w: quick_xml::Writer::new_with_indent(w, b' ', 2),
        }
    }

    /// Writes raw, already well-formed bytes (prolog, DOCTYPE).
    fn raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.w.get_mut().write_all(bytes)
    }

    fn tag<'a>(name: &'a str, attrs: &[(&str, &str)]) -> quick_xml::events::BytesStart<'a> {
        let mut start = quick_xml::events::BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute(quick_xml::events::attributes::Attribute {
                key: quick_xml::name::QName(k.as_bytes()),
                value: Cow::Owned(xml_escape(v, true).into_bytes()),
            });
        }
        start
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.w
            .write_event(quick_xml::events::Event::Start(Self::tag(name, attrs)))
    }

    fn end(&mut self, name: &str) -> std::io::Result<()> {
        self.w.write_event(quick_xml::events::Event::End(
            quick_xml::events::BytesEnd::new(name),
        ))
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.w
            .write_event(quick_xml::events::Event::Empty(Self::tag(name, attrs)))
    }

    /// `<name attrs>text</name>`, text escaped.
    fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> std::io::Result<()> {
        self.start(name, attrs)?;
        let escaped = xml_escape(text, false);
        self.w.write_event(quick_xml::events::Event::Text(
            quick_xml::events::BytesText::from_escaped(escaped),
        ))?;
        self.end(name)
    }

    /// Ends the document with a newline and flushes.
    fn finish(mut self) -> std::io::Result<()> {
        self.raw(b"\n")?;
        self.w.get_mut().flush()
    }
}

/// The description of an event as one text: the short text, then each extended item as
/// `description\nitem`, blocks separated by a blank line; DVB free extended text last.
fn full_description(event: &Event) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if !event.text.is_empty() {
        blocks.push(event.text.clone());
    }
    for (d, i) in &event.extended {
        blocks.push(match (d.is_empty(), i.is_empty()) {
            (true, _) => i.clone(),
            (false, true) => d.clone(),
            (false, false) => format!("{d}\n{i}"),
        });
    }
    if !event.extended_text.is_empty() {
        blocks.push(event.extended_text.clone());
    }
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_clean() {
        assert_eq!(
            xml_escape("a&<>\"'\u{1}\u{85}\u{FFFF}\r\n\tb", false),
            "a&amp;&lt;&gt;&quot;&apos;&#13;\n\tb"
        );
        assert_eq!(xml_escape("x\ny\tz", true), "x&#10;y&#9;z");
        assert_eq!(xml_escape("\u{0}\u{1F}", false), "");
        assert_eq!(xml_escape("[\u{FFFD}]", false), "[&#65533;]");
    }
}
