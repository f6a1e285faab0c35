//! Unit tests for the ARIB decoder: every test vector of the project spec (section 2) plus
//! option, split and table spot checks.

use super::arib::{decode_arib, decode_arib_parts, AribDecoder};
use super::{SymbolStyle, TextOptions, Width};

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect()
}

fn dec(s: &str) -> String {
    decode_arib(&hex(s), &TextOptions::default()).text
}

fn dec_with(s: &str, symbols: SymbolStyle, width: Width) -> String {
    decode_arib(&hex(s), &TextOptions { symbols, width }).text
}

/// Spec section 2 vectors. V01-V70 run from the SI initial state. M1-M3 were made with the
/// caption "profile A" initial state (G3 = Macro), so they are run with `1B 2B 20 70`
/// (designate the macro set into G3) prepended, which gives that state's G3.
macro_rules! vectors {
    ($($id:ident: $hex:literal => $want:literal,)*) => {
        $(
            #[test]
            fn $id() {
                let id = stringify!($id);
                let input = if id.starts_with('m') {
                    format!("1B 2B 20 70 {}", $hex)
                } else {
                    $hex.to_string()
                };
                let got = decode_arib(&hex(&input), &TextOptions::default());
                assert_eq!(got.text, $want, "{id}: input {input}");
                // Every vector must decode identically when split at any byte boundary.
                let bytes = hex(&input);
                for cut in 0..=bytes.len() {
                    let (a, b) = bytes.split_at(cut);
                    let parts = decode_arib_parts(&[a, b], &TextOptions::default());
                    assert_eq!(parts, got, "{id}: split at {cut}");
                }
            }
        )*
    };
}

vectors! {
    v01: "46 7C 4B 5C" => "日本", // kanji default G0
    v02: "A2 A4 A6" => "あいう", // hiragana default GR
    v03: "46 7C CB DC" => "日にぼ", // hiragana+kanji mixed
    v04: "0E 41 42 43" => "ＡＢＣ", // LS1 alnum G1
    v05: "0E 41 42 0F 46 7C" => "ＡＢ日", // LS1 then LS0
    v06: "19 22 46 7C" => "あ日", // SS2 hiragana single
    v07: "1D 22 46 7C" => "ア日", // SS3 katakana single
    v08: "1B 6F 22 23 24" => "アィイ", // ESC 6F LS3 katakana
    v09: "1B 6E 22 24" => "あい", // ESC 6E LS2 hiragana
    v10: "1B 7E C1 C2 C3" => "ＡＢＣ", // ESC 7E LS1R alnum GR
    v11: "1B 7C A2 A4" => "アイ", // ESC 7C LS3R katakana GR
    v12: "1B 7E C1 1B 7D A2" => "Ａあ", // ESC 7D LS2R back to hiragana
    v13: "1B 28 4A 41 42 43" => "ＡＢＣ", // ESC 28 4A G0=alnum
    v14: "1B 28 30 22 24" => "あい", // ESC 28 30 G0=hiragana
    v15: "1B 28 31 22 24" => "アイ", // ESC 28 31 G0=katakana
    v16: "1B 28 4A 41 1B 24 42 46 7C" => "Ａ日", // ESC 24 42 G0=kanji after alnum
    v17: "1B 29 31 0E 22 24" => "アイ", // ESC 29 31 G1=katakana + LS1
    v18: "1B 2A 4A C1 C2" => "ＡＢ", // ESC 2A 4A G2=alnum, GR
    v19: "1B 2B 30 1D 22" => "あ", // ESC 2B 30 G3=hiragana + SS3
    v20: "1B 24 29 42 0E 46 7C" => "日", // ESC 24 29 42 G1=kanji 2-byte
    v21: "1B 24 2A 3B FA D6" => "🈑", // ESC 24 2A 3B G2=additional symbols via GR
    v22: "1B 24 39 46 7C" => "日", // ESC 24 39 JIS plane 1
    v23: "1B 28 36 41 42 43" => "ＡＢＣ", // ESC 28 36 proportional alnum
    v24: "1B 28 37 22 24" => "あい", // ESC 28 37 proportional hiragana
    v25: "1B 28 38 22 24" => "アイ", // ESC 28 38 proportional katakana
    v26: "1B 29 49 0E 31 32" => "ｱｲ", // ESC 29 49 JIS X0201 katakana + LS1
    v27: "F7 F8 F9 FA FB FC FD FE" => "ゝゞー。「」、・", // hiragana extras 0x77-0x7E GR
    v28: "1B 7C F4 F5 F6 F7 F8 F9 FA FB FC FD FE" => "ヴヵヶヽヾー。「」、・", // katakana extras 0x74-0x7E
    v29: "F4 F5 F6" => "\u{3000}\u{3000}\u{3000}", // hiragana undefined 0x74-0x76
    v30: "0E 5C 7E 21" => "￥￣！", // alnum full table edges 5C 7E
    v31: "89 0E 41 42 43 20 31 32 33" => "ABC 123", // MSZ alnum
    v32: "89 0E 41 42 8A 41 42" => "ABＡＢ", // MSZ then NSZ
    v33: "88 0E 41 42" => "AB", // SSZ alnum
    v34: "46 7C 20 46 7C" => "日\u{3000}日", // space 0x20 in kanji GL
    v35: "0E 41 20 42" => "Ａ\u{3000}Ｂ", // space 0x20 in alnum GL
    v36: "89 0E 41 20 42" => "A B", // space 0x20 MSZ alnum
    v37: "A2 A0 A4" => "あ\u{3000}い", // space 0xA0 GR
    v38: "46 7C 7F 46 7C" => "日日", // DEL 0x7F
    v39: "46 7C 0D 4B 5C" => "日\n本", // APR CR
    v40: "46 7C 0A 4B 5C" => "日本", // APD LF 0x0A
    v41: "90 51 4B 5C" => "本", // COL 1 param
    v42: "90 20 41 4B 5C" => "本", // COL 2 params
    v43: "91 40 93 40 94 40 97 40 98 41 46 7C" => "日", // FLC POL WMM HLC RPC
    v44: "8B 60 46 7C" => "日", // SZX param
    v45: "92 20 40 4B 5C" => "本", // CDC param
    v46: "16 41 1C 41 42 46 7C" => "日", // PAPF APS
    v47: "9D 20 4A 46 7C" => "日", // TIME 9D 20
    v48: "9B 37 20 53 46 7C" => "日", // CSI SWF
    v49: "9B 36 32 30 3B 34 38 30 20 56 46 7C" => "日", // CSI SDF two params
    v50: "80 81 82 83 84 85 86 87 4B 5C" => "本", // color C1 BKF..WHF
    v51: "7A 50 7A 51 7A 56" => "🅊🅌🈑", // addsym row90 HV/SD/字
    v52: "7A 21 7A 22 7A 23" => "⛌⛍❗", // addsym row90 first cells
    v53: "7B 21 7B 49 7B 4A" => "⛣⛺🅻", // addsym row91
    v54: "7C 21 7C 22 7C 27 7C 28 7C 29" => "➡⬅年月日", // addsym row92 arrows 年月日
    v55: "7C 30 7C 40" => "🄀🄁", // addsym row92 digit-dot comma
    v56: "7D 21 7D 2D 7D 2E" => "㈪№℡", // addsym row93
    v57: "7D 60 7D 61 7D 62 7D 63" => "☀☁☂⛄", // addsym row93 weather
    v58: "7E 21 7E 41 7E 61 7E 7D" => "Ⅰ🄐①㉛", // addsym row94 roman/circled
    v59: "75 21 75 22 76 4B" => "㐂𠅘麵", // addkanji row85/86
    v60: "7C 5B 7C 5C 7C 76" => "(cemb)🄬", // addsym row92 ceMb etc
    v61: "1B 24 3B 7A 56" => "🈑", // ESC 24 3B G0=add symbols
    v62: "21 40" => "＼", // kanji 2140 backslash
    v63: "21 41" => "～", // kanji 2141 wave dash
    v64: "21 5D" => "－", // kanji 215D minus
    v65: "21 71 21 72 22 4C" => "￠￡￢", // kanji 2171 2172 224C
    v66: "1B 29 20 4A 0E 21" => "〓", // DRCS 1-byte designate G1
    v67: "1B 24 28 20 40 21 21 46 7C" => "〓〓", // DRCS-0 2-byte G0
    v68: "1B 29 32 0E 21" => "", // mosaic A
    v69: "1B 2B 20 70 1D 60" => "", // ESC 2B 20 70 macro to G3 + SS3 60
    v70: "2D 21" => "〓", // kanji row 13 NEC
    m1: "1D 6E 22 C1" => "アＡ", // default macro 0x6E via SS3 (G3=macro)
    m2: "1B 28 31 22 24 1D 60 46 7C" => "アイ日", // default macro 0x60 resets after ESC 28 31
    m3: "1D 61 0E 22" => "ア", // default macro 0x61 (G1=katakana)
}

#[test]
fn replacement_counts() {
    let o = TextOptions::default();
    assert_eq!(decode_arib(&hex("46 7C 4B 5C"), &o).replacements, 0);
    // V70 undefined row 13, V66 DRCS, V67 two DRCS-0 chars.
    assert_eq!(decode_arib(&hex("2D 21"), &o).replacements, 1);
    assert_eq!(decode_arib(&hex("1B 29 20 4A 0E 21"), &o).replacements, 1);
    assert_eq!(
        decode_arib(&hex("1B 24 28 20 40 21 21 46 7C"), &o).replacements,
        2
    );
    // Truncated 2-byte character at the end: dropped and counted.
    let d = decode_arib(&hex("46 7C 4B"), &o);
    assert_eq!((d.text.as_str(), d.replacements), ("日", 1));
    // Mosaic is dropped without counting.
    assert_eq!(decode_arib(&hex("1B 29 32 0E 21"), &o).replacements, 0);
}

#[test]
fn symbols_bracket() {
    let b = |s| dec_with(s, SymbolStyle::Bracket, Width::AsBroadcast);
    // [HV][SD][字] [再] [新] [PPV] (秘) ほか ■ ●
    assert_eq!(b("7A 50 7A 51 7A 56"), "[HV][SD][字]");
    assert_eq!(b("7A 6A 7A 6B 7A 72 7A 73 7A 74"), "[再][新][PPV](秘)ほか");
    assert_eq!(b("7A 60 7A 61"), "■●");
    // Through the additional symbols set in GR (V21).
    assert_eq!(b("1B 24 2A 3B FA D6"), "[字]");
    // Outside row 90 cells 48-84, BMP symbols stay.
    assert_eq!(b("7A 21 7D 60 7C 5B 7C 5C 7C 4D 7D 30"), "⛌☀(cemb)㈱⚾");
    assert_eq!(b("46 7C"), "日");
    // Symbols above U+FFFF get BMP text: 🈔 (93-30), 🅿 (90-16), 🄀 🄁 (92-16/32), 🉀 (93-17),
    // 🄐 (94-33), 🄬 (92-86), 🆐 🈦 (92-89/90).
    assert_eq!(
        b("7D 3E 7A 30 7C 30 7C 40 7D 31 7E 41 7C 76 7C 79 7C 7A"),
        "[二][P]0.0,〔本〕(A)(R)[DJ][演]"
    );
    // Kanji above U+FFFF: 𠮷 (85-15) → 吉, 𤋮 (85-68 and its compatibility form 85-67) → 煕,
    // 𠮟 (JIS X 0213 1-47-52) → 叱; one without a BMP form (85-2 𠅘) → 〓, counted.
    assert_eq!(b("75 2F 75 64 75 63"), "吉煕煕");
    assert_eq!(b("1B 24 39 4F 54"), "叱");
    let d = decode_arib(
        &hex("75 22"),
        &TextOptions {
            symbols: SymbolStyle::Bracket,
            ..TextOptions::default()
        },
    );
    assert_eq!((d.text.as_str(), d.replacements), ("〓", 1));
    assert_eq!(dec("75 22 75 2F 1B 24 39 4F 54"), "𠅘𠮷𠮟");
    // Default stays Unicode.
    assert_eq!(dec("7A 6A"), "🈞");
}

#[test]
fn width_options() {
    let h = |s| dec_with(s, SymbolStyle::Unicode, Width::Half);
    let f = |s| dec_with(s, SymbolStyle::Unicode, Width::Full);
    assert_eq!(h("0E 41 42 20 5C 7E"), "AB \\~");
    assert_eq!(f("89 0E 41 42 20 5C 7E"), "ＡＢ　￥￣");
    // Width does not touch kanji-set full-width letters (JIS X 0208 row 3).
    assert_eq!(h("23 41"), "Ａ");
    // SZX tiny -> small, SZX double -> normal.
    assert_eq!(dec("8B 60 0E 41 8B 41 41"), "AＡ");
}

#[test]
fn jis_x0213_planes() {
    // Python euc_jis_2004: 剝 1-15-94, 𠮟 1-47-52, 俱 1-14-1, 噓 1-84-7.
    assert_eq!(dec("1B 24 39 2F 7E 4F 54 2E 21 74 27"), "剝𠮟俱噓");
    // JIS X 0208 cells in plane 1 decode as in the Kanji set (encoding_rs, not JIS-style).
    assert_eq!(dec("1B 24 39 21 41 46 7C"), "～日");
    // Plane 1 combining pair: 1-4-87 か + U+309A.
    assert_eq!(dec("1B 24 39 24 77"), "か\u{309A}");
    // Plane 2: 2-1-1 𠂉 (U+20089), 2-94-86 (U+2A6B2).
    assert_eq!(dec("1B 24 3A 21 21 7E 76"), "𠂉𪚲");
    // GR invocation of plane 1 in G2.
    assert_eq!(dec("1B 24 2A 39 AF FE"), "剝");
    // In the ordinary Kanji set the same cells are undefined or JIS X 0208.
    assert_eq!(dec("2F 7E 74 27"), "〓〓");
}

#[test]
fn table_spot_checks() {
    // Kanji set corners and the ARIB rows.
    assert_eq!(dec("21 21 74 26 30 21"), "\u{3000}熙亜");
    // 0x7F (DEL) inside a 2-byte character: the partial character is dropped.
    assert_eq!(dec("75 7F"), "");
    // Row 85 last cell 94, row 86 cell 11, row 86 last cell 43, then undefined cell 44.
    assert_eq!(
        dec("75 7E 76 2B 76 4B 76 4C"),
        "\u{4103}\u{FA6D}\u{9EB5}\u{3013}"
    );
    assert_eq!(dec("79 21 7A 50 7E 7D 7E 7E"), "〓🅊㉛〓");
    // Rows 9-15 and 87-89 are undefined even though encoding_rs fills some of them.
    assert_eq!(dec("29 21 2D 21 77 21 79 21"), "〓〓〓〓");
    // JIS X 0201 katakana: 0x21 ｡ .. 0x5F ﾟ, 0x60.. undefined.
    assert_eq!(dec("1B 28 49 21 5F 60"), "｡ﾟ〓");
    // Additional symbols set: rows below 85 are undefined.
    assert_eq!(dec("1B 24 3B 46 7C 75 21"), "〓㐂");
}

#[test]
fn controls_and_macros() {
    // Macro definition skipped up to 95 4F.
    assert_eq!(dec("46 7C 95 40 41 42 43 95 4F 4B 5C"), "日本");
    // TIME 9D 29 with parameters, 9D 28 P2.
    assert_eq!(dec("9D 29 31 32 3B 33 40 46 7C 9D 28 41 4B 5C"), "日本");
    // CSI interrupted by a graphic byte of GR: abandoned, byte reprocessed.
    assert_eq!(dec("9B 31 A2"), "あ");
    // Escape interrupted by a control: abandoned, control processed.
    assert_eq!(dec("1B 24 0D 46 7C"), "\n日");
    // Unknown escape consumed without effect.
    assert_eq!(dec("1B 24 4A 46 7C 1B 21 21 40 4B 5C"), "日本");
    // A macro cannot invoke a macro; macro code outside 0x60-0x6F gives nothing.
    assert_eq!(dec("1B 2B 20 70 1D 70 1D 60 A2"), "あ");
    // Single shift survives controls until the next GL character, GR does not consume it.
    assert_eq!(dec("19 90 51 A4 22"), "いあ");
    // Truncated parameterised controls end the string.
    assert_eq!(dec("46 7C 1C 41"), "日");
    assert_eq!(dec("46 7C 9D"), "日");
    // 0xFF and unused C1 codes emit nothing.
    assert_eq!(dec("FF 8C 9C 46 7C"), "日");
}

#[test]
fn reusable_decoder_appends() {
    let mut d = AribDecoder::new(TextOptions::default());
    let mut out = String::from(">");
    assert_eq!(d.decode_append(&hex("46 7C"), &mut out), 0);
    // Each call starts from the initial state: the LS1 of the first string does not leak.
    d.decode_append(&hex("0E 41"), &mut out);
    d.decode_parts_append(&[&hex("4B"), &hex("5C 1B"), &hex("6F 22")], &mut out);
    assert_eq!(out, ">日Ａ本ア");
    assert_eq!(d.decode_parts_append(&[], &mut out), 0);
}

/// Every cell of the Kanji set, in GL and in GR form, against its sources: encoding_rs EUC-JP
/// for rows 1-8/16-84, the generated ARIB table for rows 85-86/90-94, U+3013 elsewhere. Also
/// checks that the fast path (GL, G0) and the general path (GR via G2) agree.
#[test]
fn kanji_set_exhaustive() {
    use super::tables::{ARIB_ADDITIONAL, ARIB_ADDITIONAL_TEXT, JISX0213_PLANE1};
    let o = TextOptions::default();
    for row in 1u8..=94 {
        for cell in 1u8..=94 {
            let euc = [row + 0xA0, cell + 0xA0];
            let want: String = match row {
                1..=8 | 16..=84 => {
                    match encoding_rs::EUC_JP
                        .decode_without_bom_handling_and_without_replacement(&euc)
                    {
                        Some(s) => s.into_owned(),
                        None => "〓".into(),
                    }
                }
                85 | 86 | 90..=94 => {
                    let v = ARIB_ADDITIONAL[usize::from(row - 85) * 94 + usize::from(cell - 1)];
                    if v == 0 {
                        "〓".into()
                    } else if v & 0x8000_0000 != 0 {
                        ARIB_ADDITIONAL_TEXT[(v & 0x7FFF_FFFF) as usize].into()
                    } else {
                        char::from_u32(v).unwrap().to_string()
                    }
                }
                _ => "〓".into(),
            };
            let gl = decode_arib(&[row + 0x20, cell + 0x20], &o).text;
            assert_eq!(gl, want, "GL {row}-{cell}");
            let gr = decode_arib(&[0x1B, 0x24, 0x2A, 0x42, row + 0xA0, cell + 0xA0], &o).text;
            assert_eq!(gr, want, "GR {row}-{cell}");
            // JIS X 0213 plane 1: JIS X 0208 where it is defined, else the generated table.
            let p1 = decode_arib(&[0x1B, 0x24, 0x39, row + 0x20, cell + 0x20], &o).text;
            let idx = usize::from(row - 1) * 94 + usize::from(cell - 1);
            if matches!(row, 1..=8 | 16..=84) && want != "〓" {
                assert_eq!(p1, want, "plane 1 {row}-{cell}");
            } else {
                let v = JISX0213_PLANE1[idx];
                if v == 0 {
                    assert_eq!(p1, "〓", "plane 1 {row}-{cell}");
                } else if v & 0x8000_0000 == 0 {
                    assert_eq!(
                        p1,
                        char::from_u32(v).unwrap().to_string(),
                        "plane 1 {row}-{cell}"
                    );
                } else {
                    assert_eq!(p1.chars().count(), 2, "plane 1 pair {row}-{cell}");
                }
            }
        }
    }
}

/// `SymbolStyle::Bracket` never writes a character above U+FFFF: every cell of every 2-byte set
/// (Kanji, additional symbols, JIS X 0213 planes 1 and 2, DRCS-0) and every code pair of the
/// 1-byte sets, through GL (designated to G0) and GR (designated to G2), in every width. In
/// Unicode mode the same walk meets thousands of characters above U+FFFF, so it reaches them.
#[test]
fn bracket_mode_is_bmp_only_for_every_code() {
    // (designation to G0 for GL, designation to G2 for GR)
    let sets: [(&[u8], &[u8]); 10] = [
        (&[0x1B, 0x24, 0x42], &[0x1B, 0x24, 0x2A, 0x42]), // Kanji
        (&[0x1B, 0x24, 0x3B], &[0x1B, 0x24, 0x2A, 0x3B]), // additional symbols
        (&[0x1B, 0x24, 0x39], &[0x1B, 0x24, 0x2A, 0x39]), // JIS X 0213 plane 1
        (&[0x1B, 0x24, 0x3A], &[0x1B, 0x24, 0x2A, 0x3A]), // JIS X 0213 plane 2
        (
            &[0x1B, 0x24, 0x28, 0x20, 0x40],
            &[0x1B, 0x24, 0x2A, 0x20, 0x40],
        ), // DRCS-0
        (&[0x1B, 0x28, 0x4A], &[0x1B, 0x2A, 0x4A]),       // alphanumeric
        (&[0x1B, 0x28, 0x30], &[0x1B, 0x2A, 0x30]),       // hiragana
        (&[0x1B, 0x28, 0x31], &[0x1B, 0x2A, 0x31]),       // katakana
        (&[0x1B, 0x28, 0x49], &[0x1B, 0x2A, 0x49]),       // JIS X 0201 katakana
        (&[0x1B, 0x28, 0x20, 0x70], &[0x1B, 0x2A, 0x20, 0x70]), // macros
    ];
    let mut unicode_above = 0usize;
    let mut geta = 0usize;
    for width in [Width::AsBroadcast, Width::Half, Width::Full] {
        let bracket = TextOptions {
            symbols: SymbolStyle::Bracket,
            width,
        };
        let unicode = TextOptions {
            symbols: SymbolStyle::Unicode,
            width,
        };
        for (gl, gr) in sets {
            for c1 in 0x21u8..=0x7E {
                for c2 in 0x21u8..=0x7E {
                    for (prefix, a, b) in [(gl, c1, c2), (gr, c1 | 0x80, c2 | 0x80)] {
                        let mut bytes = prefix.to_vec();
                        bytes.extend([a, b]);
                        let got = decode_arib(&bytes, &bracket);
                        assert!(
                            got.text.chars().all(|ch| u32::from(ch) <= 0xFFFF),
                            "{bytes:02X?} gives {:?} in bracket mode",
                            got.text
                        );
                        let above = decode_arib(&bytes, &unicode)
                            .text
                            .chars()
                            .filter(|&ch| u32::from(ch) > 0xFFFF)
                            .count();
                        unicode_above += above;
                        if above > 0 && got.text.contains('〓') {
                            geta += 1;
                            assert!(got.replacements > 0, "{bytes:02X?}: 〓 not counted");
                        }
                    }
                }
            }
        }
    }
    assert!(
        unicode_above > 1000,
        "the walk met {unicode_above} characters above U+FFFF"
    );
    // Ideographs above U+FFFF without a BMP variant become 〓 (most of JIS X 0213 plane 2).
    assert!(
        geta > 0 && geta < unicode_above,
        "{geta} of {unicode_above}"
    );
}
