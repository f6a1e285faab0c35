//! The whole reader with an arbitrary chunking taken from the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::ts_stream(data);
});
