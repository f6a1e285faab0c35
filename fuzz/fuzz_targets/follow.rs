//! EIT p/f and TOT sections → the live follower's updates (CRC not checked at this level).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    epgdump::fuzzing::follow(data);
});
