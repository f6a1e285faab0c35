//! `--format html`: one self-contained HTML page with the guide as a programme grid, for people
//! to look at (in any browser, offline, on a phone, attached to a bug report).
//!
//! The page has no external resources (inline CSS, no fonts, images or network access) and is
//! static HTML + CSS: it reads completely with scripts disabled. A small inline script only adds
//! a search filter, "jump to now" and a line at the current time.
//!
//! - One column per channel (name, channel id and onid.tsid.sid in a header that stays on top
//!   while scrolling), time running downwards with hour lines and labels in the stream's own
//!   offset (+09:00 for ISDB). Each calendar day is a section with its date; a day shows the
//!   whole hours its programmes cover. Geometry rules (undefined durations, overlaps, midnight,
//!   very long events) are in `layout`.
//! - Each programme is a box whose top and height are proportional to its start and duration,
//!   with start–end and title; the description, extended items, genre, video/audio and flags
//!   follow in the box and show completely on hover or keyboard focus. Boxes are coloured by
//!   genre level 1 (the palette is documented in `style`, with a legend on the page).
//! - Events with an undefined start are listed under the grid, so the HTML writer leaves
//!   nothing out ([`WriteSummary::skipped_undefined_start`] is 0, as for JSON Lines).
//! - A header line gives the input file names, the programmes' time range, the stream clock
//!   (TOT/TDT), the channel and programme counts, and EIT completeness.
//!
//! **Structure contract** (for tests and scripts): every programme box is an element with
//! `class="programme"` and `data-channel` (the channel id, as [`channel_id`] gives it for
//! XMLTV), `data-start` and `data-stop` (RFC 3339 with offset; `data-stop` absent when the
//! duration is undefined) and `data-event` (event_id). Every channel header has
//! `class="channel"` and `data-channel`. Text is escaped as described in `markup`.
//!
//! The writer streams: it computes the layout (a few words per event) and then writes the page
//! piece by piece to the `io::Write` it is given; no document string is built. In the browser,
//! boxes are `content-visibility: auto` (their size is fixed by the grid, so boxes off screen
//! skip laying out their text): an 8-day, 12-service guide (about 2,000 boxes, 1.2 MB) is laid
//! out in well under a second (`benches/html_layout.sh`).

mod layout;
mod markup;
mod style;

use super::{channel_id, selected, OutputOptions, WriteSummary};
use crate::epg::model::System;
use crate::epg::{Epg, Service, Timestamp};
use crate::si::time::CivilTime;
use layout::Layout;
use markup::{civil_text, day_texts, offset_text, Context, Out};
use std::io;
use std::path::Path;
use style::{legend_name, Labels, CSS, EN, JA, PALETTE, SCRIPT, TEXT_COLOUR};

/// What the HTML page says about where the guide came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The names of the inputs, shown in the header and the page title.
    pub sources: Vec<String>,
}

impl HtmlOptions {
    /// The file names (last path component) of `inputs`, `-` shown as `stdin`: directories are
    /// left out so a page attached to a bug report does not reveal them.
    pub fn from_paths<P: AsRef<Path>>(inputs: &[P]) -> Self {
        HtmlOptions {
            sources: inputs
                .iter()
                .map(|p| {
                    let p = p.as_ref();
                    if p.as_os_str() == "-" {
                        "stdin".to_owned()
                    } else {
                        p.file_name()
                            .unwrap_or(p.as_os_str())
                            .to_string_lossy()
                            .into_owned()
                    }
                })
                .collect(),
        }
    }
}

/// Writes `epg` as a self-contained HTML programme grid to `w`, with no input names.
///
/// # Errors
/// Only errors of `w`.
pub fn write_html<W: io::Write>(epg: &Epg, opts: &OutputOptions, w: W) -> io::Result<WriteSummary> {
    write_html_with(epg, opts, &HtmlOptions::default(), w)
}

/// Writes `epg` as a self-contained HTML programme grid to `w`, naming the inputs of `html`.
///
/// # Errors
/// Only errors of `w`.
pub fn write_html_with<W: io::Write>(
    epg: &Epg,
    opts: &OutputOptions,
    html: &HtmlOptions,
    w: W,
) -> io::Result<WriteSummary> {
    let isdb = epg.system == System::Isdb;
    let labels: &Labels = if isdb { &JA } else { &EN };
    let services: Vec<&Service> = selected(epg, opts).collect();
    let ids: Vec<String> = services
        .iter()
        .map(|s| channel_id(epg, s, &opts.channel_ids))
        .collect();
    let grid = layout::layout(&services);
    let ctx = Context { isdb, labels };
    let mut out = Out::new(w);
    head(&mut out, labels, html)?;
    header(&mut out, epg, labels, html, &services, &grid)?;
    out.fmt(format_args!(
        "<main class=\"guide\" style=\"--nc:{}\">\n<div class=\"channels\"><div class=\"corner\"></div>",
        services.len().max(1)
    ))?;
    for (s, id) in services.iter().zip(&ids) {
        channel(&mut out, labels, s, id)?;
    }
    out.raw("</div>\n")?;
    if grid.boxes == 0 {
        out.raw("<p class=\"empty\">")?;
        out.raw(labels.no_programmes)?;
        out.raw("</p>\n")?;
    }
    days(&mut out, &ctx, epg, &grid, &ids)?;
    out.raw("</main>\n")?;
    undated(&mut out, &ctx, &services, &grid, &ids)?;
    out.raw("<footer>epgdump-rs</footer>\n<script>\n")?;
    out.raw(SCRIPT)?;
    out.raw("</script>\n</body>\n</html>\n")?;
    out.finish()?;
    Ok(WriteSummary {
        channels: services.len() as u64,
        programmes: grid.boxes + grid.undated.len() as u64,
        skipped_untitled: grid.untitled,
        ..WriteSummary::default()
    })
}

/// The document head: charset, viewport, title, style sheet with the palette.
fn head<W: io::Write>(out: &mut Out<W>, labels: &Labels, html: &HtmlOptions) -> io::Result<()> {
    out.raw("<!DOCTYPE html>\n<html")?;
    if let Some(lang) = labels.lang {
        out.fmt(format_args!(" lang=\"{lang}\""))?;
    }
    out.raw(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"epgdump-rs\">\n<title>")?;
    out.raw(labels.title)?;
    if !html.sources.is_empty() {
        out.raw(" — ")?;
        out.text(&html.sources.join(", "))?;
    }
    out.raw("</title>\n<style>\n")?;
    out.raw(CSS)?;
    for (class, _, bg) in PALETTE {
        out.fmt(format_args!(".{class}{{background-color:#{bg:06x}}}\n"))?;
    }
    out.fmt(format_args!(
        ".programme,.cont,.legend li{{color:#{TEXT_COLOUR:06x}}}\n"
    ))?;
    out.raw("</style>\n</head>\n<body>\n")
}

/// The header: title, summary line, notes on how some boxes are drawn, legend, day links and the
/// script's tool bar.
fn header<W: io::Write>(
    out: &mut Out<W>,
    epg: &Epg,
    labels: &Labels,
    html: &HtmlOptions,
    services: &[&Service],
    grid: &Layout<'_>,
) -> io::Result<()> {
    let isdb = epg.system == System::Isdb;
    out.raw("<header class=\"top\">\n<h1>")?;
    out.raw(labels.title)?;
    out.raw("</h1>\n<p class=\"summary\">")?;
    if !html.sources.is_empty() {
        out.raw("<span>")?;
        out.raw(labels.inputs)?;
        out.raw(" ")?;
        out.text(&html.sources.join(", "))?;
        out.raw("</span>")?;
    }
    out.fmt(format_args!(
        "<span>{} {}</span><span>{} {}{}</span>",
        labels.channels,
        services.len(),
        labels.programmes,
        grid.boxes + grid.undated.len() as u64,
        labels.programmes_unit
    ))?;
    let mut first: Option<(i64, Timestamp)> = None;
    let mut last: Option<(i64, Timestamp)> = None;
    for e in services.iter().flat_map(|s| &s.events) {
        let Some(start) = e.start else {
            continue;
        };
        let end = e.end().unwrap_or(start);
        let (s, x) = (start.local.to_unix(0), end.local.to_unix(0));
        if first.map_or(true, |(f, _)| s < f) {
            first = Some((s, start));
        }
        if last.map_or(true, |(l, _)| x > l) {
            last = Some((x, end));
        }
    }
    if let (Some((_, a)), Some((_, b))) = (first, last) {
        out.fmt(format_args!(
            "<span>{} {} – {} ({})</span>",
            labels.times,
            civil_text(&a.local, false),
            civil_text(&b.local, false),
            offset_text(a.utc_offset)
        ))?;
    }
    match &epg.clock {
        Some(c) => out.fmt(format_args!(
            "<span>{} {} – {} ({})</span>",
            labels.stream_clock,
            civil_text(&c.first.local, true),
            civil_text(&c.last.local, true),
            offset_text(c.first.utc_offset)
        ))?,
        None => out.fmt(format_args!("<span>{}</span>", labels.no_clock))?,
    }
    let (received, expected) = services.iter().fold((0u64, 0u64), |(r, x), s| {
        (
            r + u64::from(s.completeness.received),
            x + u64::from(s.completeness.expected),
        )
    });
    let complete = !services.is_empty() && services.iter().all(|s| s.completeness.complete);
    out.fmt(format_args!(
        "<span>{} {} ({received}/{expected} {})</span></p>\n",
        labels.schedule,
        if complete {
            labels.complete
        } else {
            labels.incomplete
        },
        labels.sections
    ))?;
    let notes = [
        (grid.open, labels.open_note),
        (grid.shortened, labels.shortened_note),
        (grid.undated.len() as u64, labels.undated_note),
    ];
    if notes.iter().any(|(n, _)| *n > 0) {
        out.raw("<p class=\"notes\">")?;
        for (n, note) in notes.iter().filter(|(n, _)| *n > 0) {
            out.fmt(format_args!("<span>{} {n}{note}</span>", labels.programmes))?;
        }
        out.raw("</p>\n")?;
    }
    out.raw("<ul class=\"legend\"><li class=\"gn\" style=\"border:0\">")?;
    out.raw(labels.legend)?;
    out.raw("</li>")?;
    for (class, slot, _) in PALETTE {
        out.fmt(format_args!(
            "<li class=\"{class}\">{}</li>",
            legend_name(isdb, slot, labels)
        ))?;
    }
    out.raw("</ul>\n")?;
    if grid.days.len() > 1 {
        out.raw("<nav class=\"days\">")?;
        out.raw(labels.days)?;
        for d in &grid.days {
            let (id, _, short) = day_texts(d.day, labels);
            out.fmt(format_args!(" <a href=\"#{id}\">{short}</a>"))?;
        }
        out.raw("</nav>\n")?;
    }
    out.fmt(format_args!(
        "<div id=\"tools\" data-search=\"{}\" data-now=\"{}\" data-not-now=\"{}\"></div>\n</header>\n",
        labels.search, labels.now, labels.not_now
    ))
}

/// One channel header.
fn channel<W: io::Write>(
    out: &mut Out<W>,
    labels: &Labels,
    s: &Service,
    id: &str,
) -> io::Result<()> {
    out.raw("<div class=\"channel\" data-channel=\"")?;
    out.attr(id)?;
    out.raw("\"><b>")?;
    if s.name.is_empty() {
        out.raw(labels.no_name)?;
    } else {
        out.text(&s.name)?;
    }
    out.raw("</b><small>")?;
    out.text(id)?;
    out.fmt(format_args!(
        " · {}.{}.{}</small></div>",
        s.onid, s.tsid, s.sid
    ))
}

/// Every day of the grid: heading, hour labels, and a column for each channel with pieces.
fn days<W: io::Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    epg: &Epg,
    grid: &Layout<'_>,
    ids: &[String],
) -> io::Result<()> {
    let offset = epg.system.utc_offset();
    let mut pieces = grid.pieces.iter().peekable();
    for d in &grid.days {
        let (id, long, _) = day_texts(d.day, ctx.labels);
        out.fmt(format_args!(
            "<section class=\"day\" id=\"{id}\"><h2><span>{long}</span></h2>\n<div class=\"daygrid\" data-from=\""
        ))?;
        let from = CivilTime::from_unix(d.day * layout::DAY + d.from, 0);
        if let Some(local) = from {
            out.rfc3339(&Timestamp {
                local,
                utc_offset: offset,
            })?;
        }
        out.fmt(format_args!(
            "\" style=\"--span:{}\">\n<div class=\"hours\">",
            d.to - d.from
        ))?;
        let mut h = d.from;
        while h < d.to {
            out.fmt(format_args!(
                "<div class=\"hour\" style=\"--t:{}\">{}:00</div>",
                h - d.from,
                h / 3600
            ))?;
            h += 3600;
        }
        out.raw("</div>\n")?;
        let mut column: Option<usize> = None;
        while let Some(p) = pieces.next_if(|p| p.day == d.day) {
            if column != Some(p.channel) {
                if column.is_some() {
                    out.raw("</div>\n")?;
                }
                column = Some(p.channel);
                out.raw("<div class=\"col\" data-channel=\"")?;
                out.attr(ids.get(p.channel).map_or("", String::as_str))?;
                out.fmt(format_args!(
                    "\" style=\"grid-column:{}\">\n",
                    p.channel + 2
                ))?;
            }
            let id = ids.get(p.channel).map_or("", String::as_str);
            markup::piece(out, ctx, id, p, d.from)?;
        }
        if column.is_some() {
            out.raw("</div>\n")?;
        }
        out.raw("</div></section>\n")?;
    }
    Ok(())
}

/// The events with an undefined start, under the grid.
fn undated<W: io::Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    services: &[&Service],
    grid: &Layout<'_>,
    ids: &[String],
) -> io::Result<()> {
    if grid.undated.is_empty() {
        return Ok(());
    }
    out.raw("<section class=\"undated\"><h2>")?;
    out.raw(ctx.labels.undated_heading)?;
    out.raw("</h2>\n<ul>\n")?;
    for &(channel, e) in &grid.undated {
        let class = style::genre_class(ctx.isdb, &e.genres);
        out.fmt(format_args!("<li class=\"{class}\" data-channel=\""))?;
        out.attr(ids.get(channel).map_or("", String::as_str))?;
        out.fmt(format_args!("\" data-event=\"{}\"><b>", e.event_id))?;
        match services.get(channel) {
            Some(s) if !s.name.is_empty() => out.text(&s.name)?,
            _ => out.raw(ctx.labels.no_name)?,
        }
        out.raw("</b>")?;
        if let Some(d) = e.duration {
            out.fmt(format_args!(" ({}{})", d / 60, ctx.labels.minutes))?;
        }
        out.raw("<h3>")?;
        out.text(&e.title)?;
        out.raw("</h3>")?;
        markup::details(out, ctx, e)?;
        out.raw("</li>\n")?;
    }
    out.raw("</ul></section>\n")
}
