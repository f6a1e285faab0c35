//! Entry points shared by the cargo-fuzz targets in `fuzz/` and the corpus replay test, so a
//! crash found by the fuzzer is replayed by a plain `cargo test` forever after.
//!
//! Each function runs one stage on arbitrary bytes, drains every result, and checks the
//! invariants that must hold for any input (they panic only on a real bug).

use crate::psi::assembler::{Assembled, SectionAssembler};
use crate::psi::{Section, MAX_SECTION_SIZE};
use crate::reader::TsReader;
use crate::stats::Stats;
use crate::ts::Pid;

/// Cuts `data` into chunks whose sizes come from `seed`, including empty and 1-byte chunks.
fn chunks(data: &[u8], seed: u64) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut x = seed | 1;
    let mut rest = data;
    while !rest.is_empty() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = match x % 4 {
            0 => 0,
            1 => (x >> 8) as usize % 4,
            2 => (x >> 8) as usize % 400,
            _ => (x >> 8) as usize % 20_000,
        }
        .min(rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
    }
    out
}

type Collected = (Vec<(u16, Vec<u8>)>, Stats);

fn read_all(parts: &[&[u8]]) -> Collected {
    let mut got = Vec::new();
    let mut r = TsReader::new(|pid: Pid, s: Section<'_>, _: &mut Stats| {
        assert!(s.bytes().len() <= MAX_SECTION_SIZE);
        got.push((pid.value(), s.bytes().to_vec()));
    });
    for p in parts {
        r.push(p);
    }
    let (_, stats) = r.finish();
    (got, stats)
}

/// The whole reader: the first 8 bytes choose a chunking of the rest; the result must equal
/// reading the rest in one piece.
pub fn ts_stream(data: &[u8]) {
    let (seed, body) = match data.split_first_chunk::<8>() {
        Some((s, b)) => (u64::from_le_bytes(*s), b),
        None => (0, data),
    };
    let whole = read_all(&[body]);
    let parts = read_all(&chunks(body, seed));
    assert_eq!(whole, parts, "chunking changed the result");
    assert_eq!(whole.1.bytes, body.len() as u64);
    assert!(whole.1.dropped_bytes <= whole.1.bytes);
}

/// The section assembler alone: the input is a series of `[len, flags, payload…]` records,
/// where bit 0 of `flags` is payload_unit_start_indicator.
pub fn section_assembler(data: &[u8]) {
    let mut asm = SectionAssembler::new();
    let mut rest = data;
    let mut sections = 0usize;
    while let [len, flags, tail @ ..] = rest {
        let n = usize::from(*len).min(184).min(tail.len());
        let (payload, next) = tail.split_at(n);
        asm.push(payload, flags & 1 != 0, |ev| {
            if let Assembled::Section(s) = ev {
                assert!(s.len() <= MAX_SECTION_SIZE);
                assert!(
                    Section::new(s).is_some(),
                    "emitted bytes are one whole section"
                );
                sections += 1;
            }
        });
        rest = next;
    }
    let _ = asm.abandon();
    assert!(sections <= data.len());
}

/// Sections → tables → descriptors → model: the input is a series of `[len_hi, len_lo,
/// section…]` records fed to the collector (no CRC gate at this level), then the model is
/// built and serialised.
pub fn epg_sections(data: &[u8]) {
    use crate::epg::{Collector, CollectorOptions};
    let mut c = Collector::new(CollectorOptions {
        max_events: 2_000,
        max_services: 64,
        ..CollectorOptions::default()
    });
    let mut stats = Stats::default();
    let mut rest = data;
    while let [hi, lo, tail @ ..] = rest {
        let n = (usize::from(*hi) << 8 | usize::from(*lo)).min(tail.len());
        let (section, next) = tail.split_at(n);
        c.add_section(section, &mut stats);
        let _ = c.is_complete();
        rest = next;
    }
    let epg = c.finish(&mut stats);
    assert!(stats.si.events as usize <= 2_000);
    let json = serde_json::to_string(&epg);
    assert!(json.is_ok());
    for s in &epg.services {
        for e in &s.events {
            let _ = (e.end(), e.start.map(|t| (t.xmltv(), t.rfc3339(), t.unix())));
        }
    }
}

/// Text decoders never put a control character other than `\n` in their output.
fn check_text(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control character in output: {s:?}"
    );
}

/// The ARIB STD-B24 decoder with every option combination; the first byte picks a split point
/// and the two slices must decode exactly like their concatenation.
pub fn arib_text(data: &[u8]) {
    use crate::text::{
        decode_arib, decode_arib_parts, AribDecoder, SymbolStyle, TextOptions, Width,
    };
    let cut = data
        .first()
        .map_or(0, |&b| usize::from(b) % (data.len() + 1));
    let (a, b) = data.split_at(cut);
    for symbols in [SymbolStyle::Unicode, SymbolStyle::Bracket] {
        for width in [Width::AsBroadcast, Width::Half, Width::Full] {
            let opts = TextOptions { symbols, width };
            let whole = decode_arib(data, &opts);
            check_text(&whole.text);
            let split = decode_arib_parts(&[a, b], &opts);
            assert_eq!(split, whole);
            let mut dec = AribDecoder::new(opts);
            let mut out = String::new();
            let n = dec.decode_parts_append(&[a, b], &mut out);
            assert_eq!((out.as_str(), n), (whole.text.as_str(), whole.replacements));
        }
    }
}

/// The DVB text decoder, whole and split into two fields; when both parts carry no selector
/// of their own they are one string.
pub fn dvb_text(data: &[u8]) {
    use crate::text::{decode_dvb, decode_dvb_parts};
    let cut = data
        .first()
        .map_or(0, |&b| usize::from(b) % (data.len() + 1));
    let (a, b) = data.split_at(cut);
    let whole = decode_dvb(data);
    check_text(&whole.text);
    let split = decode_dvb_parts(&[a, b]);
    check_text(&split.text);
    if let Some(&s) = a.first() {
        if s >= 0x20 && b.first().is_some_and(|&x| x >= 0x20) {
            assert_eq!(split, whole);
        }
    }
}

/// Every SI table parser, iterator and typed descriptor parser over one section.
pub fn si_tables(data: &[u8]) {
    std::hint::black_box(crate::testsupport::exercise::all(data));
}

/// The whole pipeline: bytes → reader (chunking from the input) → collector (text options from
/// the input) → model → every writer. Every output must be well-formed: the XML documents parse,
/// the JSON parses, every JSON Lines line parses, the HTML has one box per timed event.
pub fn pipeline(data: &[u8]) {
    use crate::epg::{Collector, CollectorOptions};
    use crate::output::{ChannelIdStyle, OutputOptions};
    use crate::text::{SymbolStyle, TextOptions, Width};
    let (head, body) = match data.split_first_chunk::<9>() {
        Some((h, b)) => (*h, b),
        None => ([0; 9], data),
    };
    let [opt, s0, s1, s2, s3, s4, s5, s6, s7] = head;
    let seed = u64::from_le_bytes([s0, s1, s2, s3, s4, s5, s6, s7]);
    let opts = CollectorOptions {
        text: TextOptions {
            symbols: if opt & 1 == 0 {
                SymbolStyle::Unicode
            } else {
                SymbolStyle::Bracket
            },
            width: match (opt >> 1) & 3 {
                0 => Width::AsBroadcast,
                1 => Width::Half,
                _ => Width::Full,
            },
        },
        pf_only: opt & 8 != 0,
        max_events: 5_000,
        max_services: 256,
        ..CollectorOptions::default()
    };
    let mut r = TsReader::new(Collector::new(opts));
    for (i, chunk) in chunks(body, seed).into_iter().enumerate() {
        r.push(chunk);
        if i % 64 == 0 {
            let _ = r.sink().is_complete();
        }
    }
    let (collector, mut stats) = r.finish();
    let epg = collector.finish(&mut stats);
    let out_opts = OutputOptions {
        channel_ids: match opt >> 4 & 3 {
            0 => ChannelIdStyle::Epgdump,
            1 => ChannelIdStyle::Triplet,
            2 => ChannelIdStyle::Auto,
            _ => ChannelIdStyle::Prefix("GR27".into()),
        },
        all_channels: opt & 0x40 != 0,
        sub_title: opt & 0x80 != 0,
        ..OutputOptions::default()
    };
    // `--symbols bracket` promises BMP-only ARIB text: nothing above U+FFFF (no 4-byte UTF-8)
    // in any output of an ISDB stream.
    let bmp_only = opt & 1 != 0 && epg.system == crate::epg::System::Isdb;
    let check_bmp = |out: &[u8]| {
        assert!(
            !bmp_only || !out.iter().any(|&b| b >= 0xF0),
            "a character above U+FFFF in bracket mode"
        );
    };
    let mut xml = Vec::new();
    assert!(crate::output::write_xmltv(&epg, &out_opts, &mut xml).is_ok());
    assert_well_formed_xml(&xml);
    check_bmp(&xml);
    let mut xml = Vec::new();
    assert!(crate::output::write_epgdump_xml(&epg, &out_opts, &mut xml).is_ok());
    assert_well_formed_xml(&xml);
    check_bmp(&xml);
    let mut json = Vec::new();
    assert!(crate::output::write_json(&epg, &out_opts, &mut json).is_ok());
    assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok());
    check_bmp(&json);
    let mut jsonl = Vec::new();
    assert!(crate::output::write_jsonl(&epg, &out_opts, &mut jsonl).is_ok());
    check_bmp(&jsonl);
    for line in jsonl.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        assert!(serde_json::from_slice::<serde_json::Value>(line).is_ok());
    }
    // HTML: UTF-8, and one box per titled event with a start (`<` never survives escaping, so
    // model text cannot fake a box).
    let mut html = Vec::new();
    assert!(crate::output::html::write_html(&epg, &out_opts, &mut html).is_ok());
    let html = std::str::from_utf8(&html);
    assert!(html.is_ok(), "HTML output is not UTF-8");
    let timed = epg
        .services
        .iter()
        .flat_map(|s| &s.events)
        .filter(|e| e.start.is_some() && !e.title.is_empty())
        .count();
    assert_eq!(
        html.unwrap_or_default()
            .matches("<article class=\"programme ")
            .count(),
        timed
    );
}

/// Parses a whole XML document with quick-xml and fails on any error or on characters XML 1.0
/// does not allow.
fn assert_well_formed_xml(doc: &[u8]) {
    let text = std::str::from_utf8(doc);
    assert!(text.is_ok(), "XML output is not UTF-8");
    let text = text.unwrap_or_default();
    assert!(
        !text
            .chars()
            .any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')),
        "character not allowed in XML 1.0"
    );
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                assert!(t.decode().is_ok() || t.is_empty());
            }
            Ok(_) => {}
            Err(e) => {
                let msg = format!("malformed XML: {e}");
                assert!(msg.is_empty(), "{msg}");
            }
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
}

/// The live follower: the first 4 bytes are the service_id and event_id (little-endian), then
/// a series of `[pid, len_hi, len_lo, section…]` records (no CRC gate at this level; `pid`
/// picks 0x12, 0x26, 0x27, 0x14 or another PID). The updates must make a valid story: `ended`
/// only after `present`, `vanished` only after `following`, nothing after either, no update
/// that repeats the previous state and timing, and every JSON line has exactly the contract
/// keys.
pub fn follow(data: &[u8]) {
    use crate::follow::{FollowState, Follower};
    let (ids, mut rest) = match data.split_first_chunk::<4>() {
        Some((ids, rest)) => (*ids, rest),
        None => ([0; 4], data),
    };
    let [s0, s1, e0, e1] = ids;
    let mut f = Follower::new(u16::from_le_bytes([s0, s1]), u16::from_le_bytes([e0, e1]));
    let mut stats = Stats::default();
    let mut last: Option<(FollowState, Option<i64>, Option<u32>)> = None;
    while let [sel, hi, lo, tail @ ..] = rest {
        let n = (usize::from(*hi) << 8 | usize::from(*lo)).min(tail.len());
        let (section, next) = tail.split_at(n);
        let pid = match sel % 5 {
            0 => Pid::EIT,
            1 => Pid::M_EIT,
            2 => Pid::L_EIT,
            3 => Pid::TOT,
            _ => Pid::new(u16::from(*sel)),
        };
        f.add_section(pid, section, &mut stats);
        let _ = (f.starts_within(35), f.stream_seconds(), f.start());
        for u in f.drain() {
            let prev = last.map(|(s, _, _)| s);
            assert!(
                !prev.is_some_and(FollowState::is_final),
                "update after a final one"
            );
            match u.state {
                FollowState::Ended => assert_eq!(prev, Some(FollowState::Present)),
                FollowState::Vanished => assert_eq!(prev, Some(FollowState::Following)),
                FollowState::Absent => assert_eq!(prev, None),
                _ => {}
            }
            let now = (u.state, u.start.map(|t| t.unix()), u.duration);
            assert_ne!(last, Some(now), "an update that changes nothing");
            last = Some(now);
            let json = serde_json::to_value(&u);
            let mut keys: Vec<String> = json
                .iter()
                .filter_map(|v| v.as_object())
                .flat_map(|o| o.keys().cloned())
                .collect();
            keys.sort();
            assert_eq!(
                keys,
                [
                    "duration",
                    "event_id",
                    "sid",
                    "start",
                    "state",
                    "stream_time",
                    "title"
                ]
            );
        }
        rest = next;
    }
}
