//! Fuzz target for the SI layer: the input is treated as one section; every table parser, every
//! iterator and every typed descriptor parser runs over it and every value is formatted with
//! `{:?}` (see `epgdump::si::exercise`). Any panic, overflow or hang is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let n = epgdump::si::exercise::all(data);
    std::hint::black_box(n);
});
