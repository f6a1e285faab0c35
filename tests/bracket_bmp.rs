//! `--symbols bracket` promises output without 4-byte UTF-8 (nothing above U+FFFF) for
//! databases such as MySQL `utf8`. This walks every ARIB code whose Unicode form is above
//! U+FFFF (rows 85-94 of the Kanji and additional-symbol sets, JIS X 0213 planes 1 and 2)
//! through a whole stream, the collector and **every output format**, and property-tests
//! random mixes of every 2-byte code the same way. In Unicode mode the same streams do give
//! 4-byte UTF-8, so the checks can fail.

use epgdump::epg::{Collector, CollectorOptions};
use epgdump::output::{
    write_epgdump_xml, write_json, write_jsonl, write_xmltv, ChannelIdStyle, OutputOptions,
};
use epgdump::reader::TsReader;
use epgdump::testsupport::*;
use epgdump::text::{decode_arib, SymbolStyle, TextOptions};
use proptest::prelude::*;

/// The 2-byte sets, by the escape that designates them to G0.
const SETS: [&[u8]; 4] = [
    &[0x1B, 0x24, 0x42],
    &[0x1B, 0x24, 0x3B],
    &[0x1B, 0x24, 0x39],
    &[0x1B, 0x24, 0x3A],
];

/// Every (set, code) whose Unicode-mode decoding leaves the BMP.
fn non_bmp_codes() -> Vec<(usize, [u8; 2])> {
    let mut v = Vec::new();
    for (s, esc) in SETS.iter().enumerate() {
        for c1 in 0x21u8..=0x7E {
            for c2 in 0x21u8..=0x7E {
                let mut b = esc.to_vec();
                b.extend([c1, c2]);
                let d = decode_arib(&b, &TextOptions::default());
                if d.text.chars().any(|c| u32::from(c) > 0xFFFF) {
                    v.push((s, [c1, c2]));
                }
            }
        }
    }
    v
}

/// ARIB strings of at most `budget` bytes each (so that every descriptor stays under 256
/// bytes), each string starting with its set's escape.
fn strings(codes: &[(usize, [u8; 2])], budget: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut b = Vec::new();
    let mut set = usize::MAX;
    for (s, code) in codes {
        let need = code.len() + if *s != set { SETS[*s].len() } else { 0 };
        if b.len() + need > budget {
            out.push(std::mem::take(&mut b));
            set = usize::MAX;
        }
        if *s != set {
            b.extend_from_slice(SETS[*s]);
            set = *s;
        }
        b.extend_from_slice(code);
    }
    if !b.is_empty() {
        out.push(b);
    }
    out
}

/// A BS stream whose service name, event titles, texts and extended items are `texts`.
fn stream(texts: &[Vec<u8>]) -> Vec<u8> {
    let mut sections = Vec::new();
    let name = texts.first().cloned().unwrap_or_default();
    let sdt = sdt_section(
        0x42,
        0x4010,
        4,
        0,
        &[(101, true, service_descriptor(0x01, &name, &name))],
    );
    sections.push(sdt);
    let last = (texts.len().max(1) - 1).min(255) as u8;
    for (i, t) in texts.iter().enumerate().take(256) {
        let mut d = short_event(t, t);
        d.extend(extended_event(0, 0, &[(t, t)]));
        d.extend(content(&[[0x6, 0x0, 0xF, 0xF]]));
        let ev = EventSpec {
            event_id: i as u16 + 1,
            start: start_time(60401, (i % 24) as u8, 0, 0),
            duration: if i % 2 == 0 { duration(600) } else { [0xFF; 3] },
            descriptors: d,
        };
        sections.push(eit_section(
            0x50,
            101,
            0x4010,
            4,
            0,
            i as u8,
            last,
            last,
            0x50,
            &[ev],
        ));
    }
    let mut pk = Packetizer::new(0x12);
    let mut packets = Packetizer::new(0x11).pack(&sections[..1]);
    packets.extend(pk.pack(&sections[1..]));
    frame(&packets, 188)
}

/// Every output format of `ts` read with `symbols`, as raw bytes.
fn outputs(ts: &[u8], symbols: SymbolStyle) -> Vec<(&'static str, Vec<u8>)> {
    let opts = CollectorOptions {
        text: TextOptions {
            symbols,
            ..TextOptions::default()
        },
        ..CollectorOptions::default()
    };
    let mut r = TsReader::new(Collector::new(opts));
    r.push(ts);
    let (c, mut stats) = r.finish();
    let epg = c.finish(&mut stats);
    let mut out = Vec::new();
    for (label, o) in [
        ("default", OutputOptions::default()),
        (
            "extras",
            OutputOptions {
                channel_ids: ChannelIdStyle::Epgdump,
                all_channels: true,
                sub_title: true,
                ..OutputOptions::default()
            },
        ),
    ] {
        let mut x = Vec::new();
        write_xmltv(&epg, &o, &mut x).unwrap();
        out.push((
            if label == "default" {
                "xmltv"
            } else {
                "xmltv extras"
            },
            x,
        ));
        let mut x = Vec::new();
        write_epgdump_xml(&epg, &o, &mut x).unwrap();
        out.push(("epgdump-xml", x));
        let mut x = Vec::new();
        write_json(&epg, &o, &mut x).unwrap();
        out.push(("json", x));
        let mut x = Vec::new();
        write_jsonl(&epg, &o, &mut x).unwrap();
        out.push(("jsonl", x));
    }
    out
}

/// UTF-8 lead bytes 0xF0..=0xF4 start the 4-byte sequences, the characters above U+FFFF.
fn four_byte(doc: &[u8]) -> usize {
    doc.iter().filter(|&&b| b >= 0xF0).count()
}

#[test]
fn every_non_bmp_code_through_every_format() {
    let codes = non_bmp_codes();
    assert!(codes.len() > 300, "{} codes", codes.len());
    let ts = stream(&strings(&codes, 100));
    for (format, doc) in outputs(&ts, SymbolStyle::Bracket) {
        assert!(std::str::from_utf8(&doc).is_ok(), "{format}");
        assert_eq!(four_byte(&doc), 0, "{format} in bracket mode");
        assert!(doc.len() > 1000, "{format}: {} bytes", doc.len());
    }
    for (format, doc) in outputs(&ts, SymbolStyle::Unicode) {
        assert!(four_byte(&doc) > 100, "{format} in Unicode mode");
    }
    // The CLI agrees, for every format.
    let dir = std::env::temp_dir().join(format!("epgdump-bmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("all.ts");
    std::fs::write(&path, &ts).unwrap();
    for format in ["xmltv", "json", "jsonl", "epgdump-xml"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_epgdump-rs"))
            .args(["-q", "--symbols", "bracket", "--format", format])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        assert!(o.status.success(), "{format}");
        assert_eq!(four_byte(&o.stdout), 0, "CLI {format}");
    }
    // The old form epgrec uses.
    let out = dir.join("bs.xml");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_epgdump-rs"))
        .args(["-q", "--symbols", "bracket", "/BS"])
        .arg(&path)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    let doc = std::fs::read(&out).unwrap();
    assert!(String::from_utf8_lossy(&doc).contains("<category_middle"));
    assert_eq!(four_byte(&doc), 0, "/BS");
    std::fs::remove_dir_all(&dir).ok();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Random mixes of any 2-byte code of any set, in any format: no character above U+FFFF.
    #[test]
    fn random_codes_stay_in_the_bmp(
        codes in prop::collection::vec((0usize..4, 0x21u8..=0x7E, 0x21u8..=0x7E), 1..400)
    ) {
        let codes: Vec<(usize, [u8; 2])> = codes.into_iter().map(|(s, a, b)| (s, [a, b])).collect();
        let ts = stream(&strings(&codes, 100));
        for (format, doc) in outputs(&ts, SymbolStyle::Bracket) {
            prop_assert_eq!(four_byte(&doc), 0, "{}", format);
        }
    }
}
