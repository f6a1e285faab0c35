//! Entry points shared by the cargo-fuzz targets in `fuzz/` and the corpus replay test, so a
//! crash found by the fuzzer is replayed by a plain `cargo test` forever after.
//!
//! Each function runs one stage on arbitrary bytes, drains every result, and checks the
//! invariants that must hold for any input (they panic only on a real bug).

use crate::psi::assembler::{Assembled, SectionAssembler};
use crate::psi::{Section, MAX_SECTION_SIZE};
use crate::reader::TsReader;
use crate::stats::Stats;
use crate::ts::Pid;

/// Cuts `data` into chunks whose sizes come from `seed`, including empty and 1-byte chunks.
fn chunks(data: &[u8], seed: u64) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut x = seed | 1;
    let mut rest = data;
    while !rest.is_empty() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = match x % 4 {
            0 => 0,
            1 => (x >> 8) as usize % 4,
            2 => (x >> 8) as usize % 400,
            _ => (x >> 8) as usize % 20_000,
        }
        .min(rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
    }
    out
}

type Collected = (Vec<(u16, Vec<u8>)>, Stats);

fn read_all(parts: &[&[u8]]) -> Collected {
    let mut got = Vec::new();
    let mut r = TsReader::new(|pid: Pid, s: Section<'_>, _: &mut Stats| {
        assert!(s.bytes().len() <= MAX_SECTION_SIZE);
        got.push((pid.value(), s.bytes().to_vec()));
    });
    for p in parts {
        r.push(p);
    }
    let (_, stats) = r.finish();
    (got, stats)
}

/// The whole reader: the first 8 bytes choose a chunking of the rest; the result must equal
/// reading the rest in one piece.
pub fn ts_stream(data: &[u8]) {
    let (seed, body) = match data.split_first_chunk::<8>() {
        Some((s, b)) => (u64::from_le_bytes(*s), b),
        None => (0, data),
    };
    let whole = read_all(&[body]);
    let parts = read_all(&chunks(body, seed));
    assert_eq!(whole, parts, "chunking changed the result");
    assert_eq!(whole.1.bytes, body.len() as u64);
    assert!(whole.1.dropped_bytes <= whole.1.bytes);
}

/// The section assembler alone: the input is a series of `[len, flags, payload…]` records,
/// where bit 0 of `flags` is payload_unit_start_indicator.
pub fn section_assembler(data: &[u8]) {
    let mut asm = SectionAssembler::new();
    let mut rest = data;
    let mut sections = 0usize;
    while let [len, flags, tail @ ..] = rest {
        let n = usize::from(*len).min(184).min(tail.len());
        let (payload, next) = tail.split_at(n);
        asm.push(payload, flags & 1 != 0, |ev| {
            if let Assembled::Section(s) = ev {
                assert!(s.len() <= MAX_SECTION_SIZE);
                assert!(
                    Section::new(s).is_some(),
                    "emitted bytes are one whole section"
                );
                sections += 1;
            }
        });
        rest = next;
    }
    let _ = asm.abandon();
    assert!(sections <= data.len());
}

/// Sections → tables → descriptors → model: the input is a series of `[len_hi, len_lo,
/// section…]` records fed to the collector (no CRC gate at this level), then the model is
/// built and serialised.
pub fn epg_sections(data: &[u8]) {
    use crate::epg::{Collector, CollectorOptions};
    let mut c = Collector::new(CollectorOptions {
        max_events: 2_000,
        max_services: 64,
        ..CollectorOptions::default()
    });
    let mut stats = Stats::default();
    let mut rest = data;
    while let [hi, lo, tail @ ..] = rest {
        let n = (usize::from(*hi) << 8 | usize::from(*lo)).min(tail.len());
        let (section, next) = tail.split_at(n);
        c.add_section(section, &mut stats);
        let _ = c.is_complete();
        rest = next;
    }
    let epg = c.finish(&mut stats);
    assert!(stats.si.events as usize <= 2_000);
    let json = serde_json::to_string(&epg);
    assert!(json.is_ok());
    for s in &epg.services {
        for e in &s.events {
            let _ = (e.end(), e.start.map(|t| (t.xmltv(), t.rfc3339(), t.unix())));
        }
    }
}
