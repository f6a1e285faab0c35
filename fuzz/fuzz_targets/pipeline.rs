//! The whole pipeline: bytes → reader → tables → model → every writer, chunking and options taken
//! from the input (see `epgdump::fuzzing::pipeline`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::pipeline(data);
});
