//! Fuzz the ARIB STD-B24 decoder: every option combination, and the input split in two.
#![no_main]
use epgdump::text::{decode_arib, decode_arib_parts, AribDecoder, SymbolStyle, TextOptions, Width};
use libfuzzer_sys::fuzz_target;

fn check_text(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control character in output: {s:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    // The first byte (if any) picks the split point; the whole input is still decoded.
    let cut = data
        .first()
        .map_or(0, |&b| usize::from(b) % (data.len() + 1));
    let (a, b) = data.split_at(cut);
    for symbols in [SymbolStyle::Unicode, SymbolStyle::Bracket] {
        for width in [Width::AsBroadcast, Width::Half, Width::Full] {
            let opts = TextOptions { symbols, width };
            let whole = decode_arib(data, &opts);
            check_text(&whole.text);
            // Split equivalence: two slices decode exactly like their concatenation.
            let split = decode_arib_parts(&[a, b], &opts);
            assert_eq!(split, whole);
            let mut dec = AribDecoder::new(opts);
            let mut out = String::new();
            let n = dec.decode_parts_append(&[a, b], &mut out);
            assert_eq!((out.as_str(), n), (whole.text.as_str(), whole.replacements));
        }
    }
});
