//! Throughput of the text decoders on realistic EPG strings (input bytes per second).
//!
//! The ARIB inputs are built here from Japanese text: kanji and katakana through the Kanji set
//! (G0, GL; EUC-JP bytes with the top bit cleared), hiragana through G2 in GR, half-width
//! Latin through MSZ + LS1, line breaks as APR, and ARIB additional symbols (row 90) inline.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use epgdump::text::{decode_arib, decode_dvb, AribDecoder, SymbolStyle, TextOptions};

/// A tiny ARIB encoder for the bench inputs.
fn arib(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for ch in text.chars() {
        match ch {
            '\n' => out.push(0x0D),
            '　' => out.push(0x20),
            'ぁ'..='ん' => out.push(0xA1 + (u32::from(ch) - 0x3041) as u8),
            '🈑' => out.extend_from_slice(&[0x7A, 0x56]),
            '🈞' => out.extend_from_slice(&[0x7A, 0x6A]),
            '🅊' => out.extend_from_slice(&[0x7A, 0x50]),
            '🈡' => out.extend_from_slice(&[0x7A, 0x77]),
            '🈔' => out.extend_from_slice(&[0x7A, 0x58]),
            c if c.is_ascii_graphic() => {
                // Half-width Latin: MSZ, LS1 (alphanumeric), char, LS0, NSZ.
                out.extend_from_slice(&[0x89, 0x0E, c as u8, 0x0F, 0x8A]);
            }
            c => {
                let (bytes, _, bad) = encoding_rs::EUC_JP.encode(c.encode_utf8(&mut buf));
                assert!(!bad && bytes.len() == 2, "cannot encode {c:?}");
                out.extend(bytes.iter().map(|b| b & 0x7F));
            }
        }
    }
    out
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let titles = [
        "ニュース７🈑",
        "連続テレビ小説　あさが来た（１２３）🈑🈞",
        "大河ドラマ　真田丸　第四十回「幸村」🅊🈑",
        "映画　七人の侍　黒澤明監督作品🈡",
        "天気予報　全国の天気と週間予報",
    ];
    let title_bytes: Vec<u8> = titles.iter().flat_map(|t| arib(t)).collect();
    let para = "今日の特集は、日本各地の伝統工芸を訪ねる旅です。職人たちが受け継いできた技と、\
新しい世代の挑戦を紹介します。番組の後半では、視聴者から寄せられた質問に専門家が答えます。\n\
出演：山田太郎、佐藤花子　ナレーション：鈴木一郎\n";
    let mut ext = Vec::new();
    while ext.len() < 4000 {
        ext.extend(arib(para));
    }
    let mut sym = Vec::new();
    while sym.len() < 1000 {
        sym.extend(arib("🈑🈞🅊[HD]🈔　ABC　123"));
        sym.extend_from_slice(&[0x7C, 0x5B, 0x7C, 0x5C, 0x7D, 0x60, 0x7E, 0x61]);
    }
    let cz = "Z\u{C2}azraky p\u{CF}r\u{C2}irody. Modera\u{C2}to\u{CF}ri Maro\u{CF}s Kram\u{C2}ar a \
Vladim\u{C2}ir Ko\u{CF}ren v\u{C2}as provedou po\u{CF}radem, u kter\u{C2}eho se budete divit.\u{8A}";
    // The DVB string is ISO 6937 bytes: map the U+00xx placeholders above to single bytes.
    let cz: Vec<u8> = cz.chars().map(|c| c as u32 as u8).collect();
    let mut dvb = Vec::new();
    while dvb.len() < 4000 {
        dvb.extend_from_slice(&cz);
    }
    vec![
        ("arib_titles", title_bytes),
        ("arib_extended_text", ext),
        ("arib_symbols", sym),
        ("dvb_iso6937_text", dvb),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("text_decode");
    for (name, bytes) in inputs() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        if name.starts_with("dvb") {
            g.bench_function(name, |b| b.iter(|| decode_dvb(black_box(&bytes))));
            continue;
        }
        let opts = TextOptions::default();
        // Allocating API.
        g.bench_function(format!("{name}/decode_arib"), |b| {
            b.iter(|| decode_arib(black_box(&bytes), &opts))
        });
        // Reused decoder and output buffer (what a dumper does).
        let mut dec = AribDecoder::new(TextOptions {
            symbols: SymbolStyle::Bracket,
            ..opts
        });
        let mut out = String::new();
        g.bench_function(format!("{name}/reused_bracket"), |b| {
            b.iter(|| {
                out.clear();
                dec.decode_append(black_box(&bytes), &mut out)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
