//! Property tests: arbitrary bytes never panic through any parser or iterator.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = epgdump::testsupport::exercise::all(&bytes);
    }

    #[test]
    fn arbitrary_bodies_in_valid_headers_never_panic(
        tid in prop_oneof![Just(0x4Eu8), Just(0x50), Just(0x42), Just(0x40), Just(0x73), Just(0x70), Just(0xC4)],
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        // A syntactically valid header around a random body, so the loops get exercised.
        let s = if matches!(tid, 0x70 | 0x73) {
            epgdump::testsupport::si_build::short_section(tid, &body)
        } else {
            epgdump::testsupport::si_build::long_section(tid, 0x0400, 3, true, 0, 1, &body)
        };
        let _ = epgdump::testsupport::exercise::all(&s);
    }
}
