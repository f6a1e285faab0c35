//! The section assembler fed arbitrary payload records.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::section_assembler(data);
});
