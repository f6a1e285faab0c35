//! See `epgdump::fuzzing::dvb_text`: the same entry point is replayed by `cargo test`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::dvb_text(data);
});
