//! Real ARIB data: the short event descriptors of TSDuck's test-101 (a BS recording, the only
//! real Japanese EIT in the shared test data) decode without a single replacement, to the
//! titles listed in the test-data MANIFEST (which writes them with half-width `<>`/`!`; ARIB
//! normal-size alphanumerics are full-width by this crate's convention). Expected strings were
//! checked byte by byte against ARIB STD-B24 (e.g. `89 20 0E 2D 20 8A FA` = " - 。").

use std::path::Path;

use epgdump::text::{decode_arib, SymbolStyle, TextOptions};

mod common;
use common::{be16, sections};

const TS: &str = "../shared/testdata/real/isdb-s-bs_tsduck-test-101.ts";

/// (event_name, text) raw bytes of every short event descriptor, in stream order.
fn short_events(ts: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for sec in sections(ts, 0x12) {
        if !(0x4E..=0x6F).contains(&sec[0]) || sec.len() < 18 {
            continue;
        }
        let end = sec.len() - 4;
        let mut i = 14;
        while i + 12 <= end {
            let dl = usize::from(be16(&sec, i + 10).unwrap() & 0x0FFF);
            let mut d = &sec[i + 12..(i + 12 + dl).min(end)];
            i += 12 + dl;
            while d.len() >= 2 {
                let (tag, len) = (d[0], usize::from(d[1]));
                let body = &d[2..(2 + len).min(d.len())];
                d = &d[(2 + len).min(d.len())..];
                if tag == 0x4D && body.len() >= 5 {
                    let nl = usize::from(body[3]);
                    let name = body[4..4 + nl].to_vec();
                    let tl = usize::from(body[4 + nl]);
                    let text = body[5 + nl..5 + nl + tl].to_vec();
                    out.push((name, text));
                }
            }
        }
    }
    out
}

#[test]
fn isdb_bs_event_names() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TS);
    if !path.exists() {
        eprintln!("skipped: {} not found", path.display());
        return;
    }
    let ts = std::fs::read(&path).unwrap();
    let events = short_events(&ts);
    assert_eq!(events.len(), 5, "short event descriptors");
    let o = TextOptions::default();
    let mut names = Vec::new();
    for (name, text) in &events {
        let n = decode_arib(name, &o);
        let t = decode_arib(text, &o);
        assert_eq!((n.replacements, t.replacements), (0, 0), "{n:?} {t:?}");
        names.push(n.text);
    }
    assert_eq!(
        names,
        [
            "🈔＜BSフジ4Kシアター＞ 映画 『ジュマンジ』",
            "テレビショッピング研究所ＴＶショッピング",
            "東北魂ＴＶ #224　爆笑ユニットコント",
            "ブラマヨ弾話室～ニッポン、どうかしてるぜ！～ #157　日本の心配事を爆笑議論",
            "🈞ＶＡＮで勝ち馬さがしてみませんか #76",
        ]
    );
    // Bracket mode, as EPGStation-style consumers want: [字]-style text for the symbols.
    let b = TextOptions {
        symbols: SymbolStyle::Bracket,
        ..o
    };
    // 🈔 U+1F214 is row 90 cell 58 ([二], bilingual), 🈞 U+1F21E row 90 cell 74 ([再], rerun).
    assert_eq!(
        decode_arib(&events[0].0, &b).text,
        "[二]＜BSフジ4Kシアター＞ 映画 『ジュマンジ』"
    );
    assert_eq!(
        decode_arib(&events[4].0, &b).text,
        "[再]ＶＡＮで勝ち馬さがしてみませんか #76"
    );
    let text = decode_arib(&events[0].1, &o).text;
    assert_eq!(
        text,
        "ジュマンジ - 。それはこの世で最も危険なゲーム！\u{3000}1995年公開"
    );
}
