//! Section bytes → tables → descriptors → EPG model (CRC not checked at this level).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::epg_sections(data);
});
