//! Markup pieces written straight to the output: escaping, times, and the box of one programme
//! with its details.
//!
//! Every model string goes through [`Out::text`] or [`Out::attr`]: `&`, `<`, `>` (and in
//! attributes `"` and `'`) become character references, so no string can open a tag, end an
//! attribute or start a script. Model strings are only ever written as element text or as
//! double-quoted attribute values, never inside `<script>` or `<style>`, and never as an
//! element or attribute name. Characters HTML forbids or discourages (C0 controls other than tab
//! and line feed, DEL, C1 controls, U+FFFE, U+FFFF) are removed; CR and CR LF become LF.

use super::layout::{Extent, Piece, DAY};
use super::style::{genre_class, Labels};
use crate::epg::model::Timestamp;
use crate::epg::Event;
use crate::output::{attributes, audio_main_first, categories};
use crate::si::genre;
use crate::si::time::{civil_from_days, CivilTime};
use std::io::{self, Write};

/// Whether `c` is written at all (see the module docs).
fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}'..='\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A streaming HTML writer over any `io::Write`.
pub(super) struct Out<W: Write> {
    w: W,
}

impl<W: Write> Out<W> {
    pub fn new(w: W) -> Self {
        Out { w }
    }

    /// Writes trusted markup as is.
    pub fn raw(&mut self, s: &str) -> io::Result<()> {
        self.w.write_all(s.as_bytes())
    }

    /// Writes formatted trusted markup (numbers, fixed words).
    pub fn fmt(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.w.write_fmt(args)
    }

    /// Writes `s` escaped for element text.
    pub fn text(&mut self, s: &str) -> io::Result<()> {
        self.escaped(s, false)
    }

    /// Writes `s` escaped for a double-quoted attribute value.
    pub fn attr(&mut self, s: &str) -> io::Result<()> {
        self.escaped(s, true)
    }

    fn escaped(&mut self, s: &str, attribute: bool) -> io::Result<()> {
        let mut run = 0;
        let mut after_cr = false;
        for (i, c) in s.char_indices() {
            let replacement: Option<&str> = match c {
                '&' => Some("&amp;"),
                '<' => Some("&lt;"),
                '>' => Some("&gt;"),
                '"' if attribute => Some("&quot;"),
                '\'' if attribute => Some("&#39;"),
                '\r' => Some(if attribute { "&#10;" } else { "\n" }),
                '\n' if after_cr => Some(""),
                '\n' if attribute => Some("&#10;"),
                '\t' if attribute => Some("&#9;"),
                c if !allowed(c) => Some(""),
                _ => None,
            };
            after_cr = c == '\r';
            if let Some(r) = replacement {
                self.w
                    .write_all(s.get(run..i).unwrap_or_default().as_bytes())?;
                self.w.write_all(r.as_bytes())?;
                run = i + c.len_utf8();
            }
        }
        self.w
            .write_all(s.get(run..).unwrap_or_default().as_bytes())
    }

    /// Writes a time as RFC 3339 with its offset, exactly as [`Timestamp::rfc3339`].
    pub fn rfc3339(&mut self, t: &Timestamp) -> io::Result<()> {
        let l = &t.local;
        let sign = if t.utc_offset < 0 { '-' } else { '+' };
        let off = t.utc_offset.unsigned_abs();
        write!(
            self.w,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            l.year,
            l.month,
            l.day,
            l.hour,
            l.minute,
            l.second,
            off / 3600,
            off % 3600 / 60
        )
    }

    /// Flushes and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// `+09:00` for an offset in seconds.
pub(super) fn offset_text(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", off / 3600, off % 3600 / 60)
}

/// `2024-04-01 04:00` of a civil time.
pub(super) fn civil_text(t: &CivilTime, seconds: bool) -> String {
    let mut s = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    );
    if seconds {
        s.push_str(&format!(":{:02}", t.second));
    }
    s
}

/// The heading of a day (days since 1970-01-01): `2024年4月1日（月）` or `2024-04-01 (Mon)`, and
/// its anchor id `d2024-04-01`.
pub(super) fn day_texts(day: i64, labels: &Labels) -> (String, String, String) {
    let weekday = labels
        .weekdays
        .get(usize::try_from((day + 4).rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("");
    match civil_from_days(day) {
        Some(d) => {
            let id = format!("d{:04}-{:02}-{:02}", d.year, d.month, d.day);
            if labels.lang == Some("ja") {
                (
                    id,
                    format!("{}年{}月{}日（{weekday}）", d.year, d.month, d.day),
                    format!("{}/{}（{weekday}）", d.month, d.day),
                )
            } else {
                (
                    id,
                    format!("{:04}-{:02}-{:02} ({weekday})", d.year, d.month, d.day),
                    format!("{:02}-{:02} {weekday}", d.month, d.day),
                )
            }
        }
        None => (
            format!("d{day}"),
            format!("day {day}"),
            format!("day {day}"),
        ),
    }
}

/// What every programme box needs to know besides its piece.
pub(super) struct Context<'a> {
    /// ISDB (ARIB tables, Japanese names) or DVB.
    pub isdb: bool,
    /// Interface words.
    pub labels: &'a Labels,
}

/// `HH:MM` of a civil time, with the date when it is not the same or the next day as `from`.
fn clock(out: &mut Out<impl Write>, t: &CivilTime, from: &CivilTime) -> io::Result<()> {
    let days = t.to_unix(0).div_euclid(DAY) - from.to_unix(0).div_euclid(DAY);
    if !(0..=1).contains(&days) {
        out.fmt(format_args!("{}/{} ", t.month, t.day))?;
    }
    out.fmt(format_args!("{:02}:{:02}", t.hour, t.minute))
}

/// Writes one piece of a programme: the box (`class="programme"` with the data attributes of
/// the contract) for the first piece, a continuation otherwise. `day_from` is the second after
/// midnight where the day's grid starts.
pub(super) fn piece<W: Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    channel_id: &str,
    p: &Piece<'_>,
    day_from: i64,
) -> io::Result<()> {
    let e = p.event;
    let class = genre_class(ctx.isdb, &e.genres);
    let geometry = |out: &mut Out<W>| -> io::Result<()> {
        out.fmt(format_args!(
            " style=\"--t:{};--h:{}",
            p.top - day_from,
            p.len
        ))?;
        if p.lanes > 1 {
            out.fmt(format_args!(";--l:{};--n:{}", p.lane, p.lanes))?;
        }
        out.raw("\"")
    };
    if !p.first {
        out.fmt(format_args!("<div class=\"cont {class}\""))?;
        geometry(out)?;
        out.raw(" aria-hidden=\"true\">")?;
        out.text(&e.title)?;
        out.raw(ctx.labels.continued)?;
        return out.raw("</div>\n");
    }
    let Some(start) = e.start else {
        return Ok(());
    };
    out.fmt(format_args!("<article class=\"programme {class}"))?;
    match p.extent {
        Extent::Open => out.raw(" open")?,
        Extent::Shortened => out.raw(" clip")?,
        Extent::Exact => {}
    }
    if p.continues {
        out.raw(" split")?;
    }
    out.raw("\" tabindex=\"0\" data-channel=\"")?;
    out.attr(channel_id)?;
    out.raw("\" data-start=\"")?;
    out.rfc3339(&start)?;
    let end = e.end();
    if let Some(end) = &end {
        out.raw("\" data-stop=\"")?;
        out.rfc3339(end)?;
    }
    out.fmt(format_args!("\" data-event=\"{}\"", e.event_id))?;
    geometry(out)?;
    out.raw(">")?;
    when(out, ctx, e, &start, end.as_ref(), p.extent)?;
    out.raw("<h3>")?;
    out.text(&e.title)?;
    out.raw("</h3>")?;
    details(out, ctx, e)?;
    out.raw("</article>\n")
}

/// `<p class="when">04:00–05:00</p>` with the open/shortened marks.
fn when(
    out: &mut Out<impl Write>,
    ctx: &Context<'_>,
    e: &Event,
    start: &Timestamp,
    end: Option<&Timestamp>,
    extent: Extent,
) -> io::Result<()> {
    out.raw("<p class=\"when\"><time>")?;
    out.fmt(format_args!(
        "{:02}:{:02}",
        start.local.hour, start.local.minute
    ))?;
    out.raw("</time>–")?;
    if let Some(end) = end {
        out.raw("<time>")?;
        clock(out, &end.local, &start.local)?;
        out.raw("</time>")?;
    }
    match extent {
        Extent::Open => {
            out.raw("<span class=\"mk\">")?;
            out.raw(ctx.labels.open_mark)?;
            out.raw("</span>")?;
        }
        Extent::Shortened => {
            out.raw("<span class=\"mk\">")?;
            out.raw(ctx.labels.shortened_mark)?;
            if let Some(d) = e.duration {
                out.fmt(format_args!(" {}h", d / 3600))?;
            }
            out.raw("</span>")?;
        }
        Extent::Exact => {}
    }
    out.raw("</p>")
}

/// The details of an event: short text, extended items, free extended text, then one line of
/// genre, video, audio and flags. Nothing is written for what is empty.
pub(super) fn details<W: Write>(out: &mut Out<W>, ctx: &Context<'_>, e: &Event) -> io::Result<()> {
    let has_items = e
        .extended
        .iter()
        .any(|(d, i)| !d.is_empty() || !i.is_empty());
    let mut meta: Vec<String> = Vec::new();
    meta_items(ctx, e, &mut meta);
    if e.text.is_empty() && !has_items && e.extended_text.is_empty() && meta.is_empty() {
        return Ok(());
    }
    out.raw("<div class=\"more\">")?;
    if !e.text.is_empty() {
        out.raw("<p>")?;
        out.text(&e.text)?;
        out.raw("</p>")?;
    }
    if has_items {
        out.raw("<dl>")?;
        for (d, i) in &e.extended {
            if !d.is_empty() {
                out.raw("<dt>")?;
                out.text(d)?;
                out.raw("</dt>")?;
            }
            if !i.is_empty() {
                out.raw("<dd>")?;
                out.text(i)?;
                out.raw("</dd>")?;
            }
        }
        out.raw("</dl>")?;
    }
    if !e.extended_text.is_empty() {
        out.raw("<p>")?;
        out.text(&e.extended_text)?;
        out.raw("</p>")?;
    }
    if !meta.is_empty() {
        out.raw("<p class=\"meta\">")?;
        for (i, m) in meta.iter().enumerate() {
            if i > 0 {
                out.raw(" · ")?;
            }
            out.text(m)?;
        }
        out.raw("</p>")?;
    }
    out.raw("</div>")
}

/// The short facts of an event: genres, video, audio, captions, scrambling, ARIB attributes,
/// episode, event groups, parental rating, updated.
fn meta_items(ctx: &Context<'_>, e: &Event, meta: &mut Vec<String>) {
    let ja = ctx.labels.lang == Some("ja");
    for c in categories(ctx.isdb, &e.genres) {
        let large = if ja {
            c.large_ja.unwrap_or(c.large_en)
        } else {
            c.large_en
        };
        let middle = if ja {
            c.middle_ja.or(c.middle_en)
        } else {
            c.middle_en
        };
        let name = match middle {
            Some(m) => format!("{large} › {m}"),
            None => large.to_owned(),
        };
        if !meta.contains(&name) {
            meta.push(name);
        }
    }
    if let Some(v) = &e.video {
        if ctx.isdb {
            if let Some(info) = genre::video_component(v.component_type) {
                meta.push(match info.aspect {
                    Some(a) => format!("{} {a}", info.format),
                    None => info.format.to_owned(),
                });
            }
        }
        if !v.text.is_empty() {
            meta.push(v.text.clone());
        }
    }
    for a in audio_main_first(e) {
        let mut s = String::new();
        if ctx.isdb {
            if let Some(info) = genre::audio_component(a.component_type) {
                s.push_str(info.ja.unwrap_or(info.mode));
            }
        }
        // The language only when it says something: always for DVB, for ISDB when it is not
        // Japanese or the component is bilingual.
        let lang = match &a.lang2 {
            Some(l2) if a.multi_lingual => format!("{}/{l2}", a.lang),
            _ if ctx.isdb && a.lang == "jpn" => String::new(),
            _ => a.lang.clone(),
        };
        for part in [lang.as_str(), a.text.as_str()] {
            if !part.is_empty() {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(part);
            }
        }
        if !s.is_empty() {
            meta.push(s);
        }
    }
    if e.has_captions() {
        meta.push(ctx.labels.captions.to_owned());
    }
    if e.free_ca_mode {
        meta.push(ctx.labels.scrambled.to_owned());
    }
    meta.extend(
        attributes(ctx.isdb, &e.genres)
            .into_iter()
            .map(str::to_owned),
    );
    if let Some(s) = &e.series {
        let mut t = String::new();
        if s.episode_number != 0 {
            t = match (ja, s.last_episode_number) {
                (true, 0) => format!("第{}話", s.episode_number),
                (true, last) => format!("第{}話/全{last}話", s.episode_number),
                (false, 0) => format!("episode {}", s.episode_number),
                (false, last) => format!("episode {}/{last}", s.episode_number),
            };
        }
        if !s.series_name.is_empty() {
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&s.series_name);
        }
        if !t.is_empty() {
            meta.push(t);
        }
    }
    for g in &e.event_group {
        let what = match g.group_type {
            1 => ctx.labels.shared,
            2 | 4 => ctx.labels.relay,
            3 | 5 => ctx.labels.moved,
            _ => continue,
        };
        meta.push(what.to_owned());
    }
    for (country, rating) in &e.parental_rating {
        meta.push(format!("{} {country} {rating}", ctx.labels.rating));
    }
    if e.version_updated {
        meta.push(ctx.labels.updated.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, attr: bool) -> String {
        let mut out = Out::new(Vec::new());
        if attr {
            out.attr(s).unwrap();
        } else {
            out.text(s).unwrap();
        }
        String::from_utf8(out.finish().unwrap()).unwrap()
    }

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<script>alert(\"x\")</script> & 'q'", false),
            "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'q'"
        );
        assert_eq!(
            esc("\" onmouseover='x' a=<b>&", true),
            "&quot; onmouseover=&#39;x&#39; a=&lt;b&gt;&amp;"
        );
        assert_eq!(esc("a\u{0}\u{1}\u{7F}\u{85}\u{FFFE}\u{FFFF}b", false), "ab");
        assert_eq!(esc("1\r\n2\r3\n4\t5", false), "1\n2\n3\n4\t5");
        assert_eq!(esc("1\r\n2\t", true), "1&#10;2&#9;");
        assert_eq!(esc("日本語🈑", false), "日本語🈑");
        assert_eq!(esc("", true), "");
    }

    #[test]
    fn rfc3339_matches_the_model() {
        for (offset, year) in [
            (9 * 3600, 2024),
            (0, 1858),
            (-12 * 3600, 9999),
            (-5400, 10135),
        ] {
            let t = Timestamp {
                local: CivilTime {
                    year,
                    month: 2,
                    day: 29,
                    hour: 23,
                    minute: 5,
                    second: 7,
                },
                utc_offset: offset,
            };
            let mut out = Out::new(Vec::new());
            out.rfc3339(&t).unwrap();
            assert_eq!(
                String::from_utf8(out.finish().unwrap()).unwrap(),
                t.rfc3339()
            );
        }
    }

    #[test]
    fn day_headings() {
        let day = CivilTime {
            year: 2024,
            month: 4,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        }
        .to_unix(0)
            / DAY;
        let (id, long, short) = day_texts(day, &super::super::style::JA);
        assert_eq!(
            (id.as_str(), long.as_str(), short.as_str()),
            ("d2024-04-01", "2024年4月1日（月）", "4/1（月）")
        );
        let (_, long, _) = day_texts(day + 6, &super::super::style::EN);
        assert_eq!(long, "2024-04-07 (Sun)");
        assert_eq!(offset_text(9 * 3600), "+09:00");
        assert_eq!(offset_text(-5400), "-01:30");
    }
}
