//! Property tests for the text decoders: arbitrary input never panics, output carries no
//! control characters except `\n`, and split strings decode like their concatenation.

use epgdump::text::{
    decode_arib, decode_arib_parts, decode_dvb, decode_dvb_parts, SymbolStyle, TextOptions, Width,
};
use proptest::prelude::*;

fn all_options() -> Vec<TextOptions> {
    let mut v = Vec::new();
    for symbols in [SymbolStyle::Unicode, SymbolStyle::Bracket] {
        for width in [Width::AsBroadcast, Width::Half, Width::Full] {
            v.push(TextOptions { symbols, width });
        }
    }
    v
}

fn no_controls(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || !c.is_control())
}

/// Byte strings made of ARIB building blocks (escapes, shifts, 2-byte characters, parameterised
/// controls, macros), so that random cuts land inside multi-byte units.
fn arib_tokens() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(vec![0x46, 0x7C]),                   // 日
        Just(vec![0xA2, 0xA4]),                   // あい (GR)
        Just(vec![0x7A, 0x56]),                   // [字]
        Just(vec![0x7C, 0x5B]),                   // (ce
        Just(vec![0x0E, 0x41]),                   // LS1 A
        Just(vec![0x0F]),                         // LS0
        Just(vec![0x19, 0x22]),                   // SS2
        Just(vec![0x1D, 0x60]),                   // SS3 + macro code
        Just(vec![0x1B, 0x24, 0x39, 0x2F, 0x7E]), // JIS X 0213 剝
        Just(vec![0x1B, 0x24, 0x3A]),             // plane 2 to G0
        Just(vec![0x1B, 0x2B, 0x20, 0x70]),       // macro set to G3
        Just(vec![0x1B, 0x24, 0x28, 0x20, 0x40]), // DRCS-0 to G0
        Just(vec![0x1B, 0x29, 0x20, 0x4A]),       // DRCS-10 to G1
        Just(vec![0x1B, 0x7C]),                   // LS3R
        Just(vec![0x1B, 0x28, 0x49]),             // JIS X 0201 katakana to G0
        Just(vec![0x89]),                         // MSZ
        Just(vec![0x8A]),                         // NSZ
        Just(vec![0x20]),
        Just(vec![0x0D]),
        Just(vec![0x90, 0x20, 0x41]), // COL palette
        Just(vec![0x9B, 0x37, 0x20, 0x53]),
        Just(vec![0x9D, 0x29, 0x31, 0x40]),
        Just(vec![0x95, 0x40, 0x41, 0x95, 0x4F]),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

fn cut(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    let mut parts = Vec::new();
    let mut prev = 0;
    for p in points {
        parts.push(bytes[prev..p].to_vec());
        prev = p;
    }
    parts.push(bytes[prev..].to_vec());
    parts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn arib_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for opts in all_options() {
            let d = decode_arib(&bytes, &opts);
            prop_assert!(no_controls(&d.text), "{:?}", d.text);
        }
    }

    #[test]
    fn arib_tokens_no_controls(bytes in arib_tokens()) {
        for opts in all_options() {
            let d = decode_arib(&bytes, &opts);
            prop_assert!(no_controls(&d.text), "{:?}", d.text);
        }
    }

    #[test]
    fn arib_split_equivalence(bytes in arib_tokens(), cuts in prop::collection::vec(any::<usize>(), 0..5)) {
        let parts = cut(&bytes, &cuts);
        let slices: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        for opts in all_options() {
            prop_assert_eq!(decode_arib_parts(&slices, &opts), decode_arib(&bytes, &opts));
        }
    }

    #[test]
    fn dvb_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let d = decode_dvb(&bytes);
        prop_assert!(no_controls(&d.text), "{:?}", d.text);
    }

    #[test]
    fn dvb_split_with_repeated_selector(
        sel in prop_oneof![Just(vec![]), Just(vec![0x05]), Just(vec![0x10, 0x00, 0x02]),
                           Just(vec![0x11]), Just(vec![0x13]), Just(vec![0x15])],
        body in prop::collection::vec(any::<u8>(), 0..200),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        // Keep the default-table body from starting with a selector byte.
        let body: Vec<u8> = if sel.is_empty() {
            body.into_iter().map(|b| if b < 0x20 { b | 0x20 } else { b }).collect()
        } else {
            body
        };
        let whole: Vec<u8> = [sel.clone(), body.clone()].concat();
        // Every field repeats the selector, as broadcasters do in extended event descriptors.
        let parts: Vec<Vec<u8>> = cut(&body, &cuts)
            .into_iter()
            .map(|p| if sel.is_empty() { p } else { [sel.clone(), p].concat() })
            .collect();
        // An empty default-table part followed by one starting with 0x20.. is still default.
        let slices: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let d = decode_dvb_parts(&slices);
        prop_assert!(no_controls(&d.text));
        prop_assert_eq!(d, decode_dvb(&whole));
    }
}
