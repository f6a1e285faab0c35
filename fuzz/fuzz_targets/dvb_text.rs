//! Fuzz the DVB text decoder: whole input, and the input split into two fields.
#![no_main]
use epgdump::text::{decode_dvb, decode_dvb_parts};
use libfuzzer_sys::fuzz_target;

fn check_text(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control character in output: {s:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    // DVB has no decoding options. The first byte (if any) picks the split point.
    let cut = data
        .first()
        .map_or(0, |&b| usize::from(b) % (data.len() + 1));
    let (a, b) = data.split_at(cut);
    let whole = decode_dvb(data);
    check_text(&whole.text);
    let split = decode_dvb_parts(&[a, b]);
    check_text(&split.text);
    // When the second part repeats the first part's selector (or neither has one), the
    // parts are one string: the result must equal decoding the concatenation.
    if let Some(&s) = a.first() {
        if s >= 0x20 && b.first().is_some_and(|&x| x >= 0x20) {
            assert_eq!(split, whole);
        }
    }
});
