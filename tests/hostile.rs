//! The hostile-input suite: damaged and malicious streams built by the project's own builder
//! and a mutator. Every case must end cleanly (surviving events, or a one-line error), never in
//! a panic, and damage must stay local: what survives equals the undamaged guide.

use epgdump::epg::{Collector, CollectorOptions, Epg};
use epgdump::psi::Section;
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::testsupport::*;
use epgdump::ts::Pid;
use std::collections::BTreeMap;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The SI packets of the bundled sample (two full cycles), without the video filler.
fn si_stream() -> Vec<u8> {
    sample_bs_stream()
        .chunks_exact(188)
        .filter(|p| (u16::from(p[1] & 0x1F) << 8 | u16::from(p[2])) != 0x100)
        .flatten()
        .copied()
        .collect()
}

/// Reads `data` into a guide, and checks that every writer produces well-formed output.
fn guide(data: &[u8]) -> (Epg, Stats) {
    let mut r = TsReader::new(Collector::new(CollectorOptions::default()));
    r.push(data);
    let (c, mut stats) = r.finish();
    let epg = c.finish(&mut stats);
    let mut with_prefix = vec![0u8; 9];
    with_prefix.extend_from_slice(data);
    epgdump::fuzzing::pipeline(&with_prefix);
    (epg, stats)
}

/// (onid, tsid, sid, event_id).
type Key = (u16, u16, u16, u16);
#[derive(Debug, Clone, PartialEq)]
struct Ev {
    title: String,
    start: Option<i64>,
    duration: Option<u32>,
    extended: Vec<(String, String)>,
}

fn events(epg: &Epg) -> BTreeMap<Key, Ev> {
    epg.services
        .iter()
        .flat_map(|s| {
            s.events.iter().map(move |e| {
                (
                    (s.onid, s.tsid, s.sid, e.event_id),
                    Ev {
                        title: e.title.clone(),
                        start: e.start.map(|t| t.unix()),
                        duration: e.duration,
                        extended: e.extended.clone(),
                    },
                )
            })
        })
        .collect()
}

/// Damage stays local: every event that survives agrees with the clean guide, except that a
/// part whose sections were all lost may be missing (empty title or no extended items).
fn assert_consistent(clean: &BTreeMap<Key, Ev>, got: &BTreeMap<Key, Ev>, what: &str) {
    for (k, e) in got {
        let c = clean
            .get(k)
            .unwrap_or_else(|| panic!("{what}: event {k:?} is not in the clean guide"));
        assert_eq!(
            (e.start, e.duration),
            (c.start, c.duration),
            "{what}: {k:?}"
        );
        assert!(
            e.title.is_empty() || e.title == c.title,
            "{what}: {k:?} title {:?}",
            e.title
        );
        assert!(
            e.extended.is_empty() || e.extended == c.extended,
            "{what}: {k:?} extended"
        );
    }
}

#[test]
fn truncation_at_every_kind_of_offset() {
    let data = si_stream();
    let (clean, _) = guide(&data);
    let clean = events(&clean);
    assert_eq!(clean.len(), 56);
    // Every 61st byte (mid-packet, mid-header, mid-section all occur), plus packet edges.
    let mut cuts: Vec<usize> = (0..data.len()).step_by(61).collect();
    cuts.extend(
        (0..data.len())
            .step_by(188)
            .flat_map(|p| [p, p + 1, p + 4, p + 5, p + 187]),
    );
    for cut in cuts.into_iter().filter(|&c| c <= data.len()) {
        let (epg, stats) = guide(&data[..cut]);
        assert_consistent(&clean, &events(&epg), &format!("cut at {cut}"));
        assert!(stats.dropped_bytes <= 188 + 4);
    }
    // The second cycle alone (cut at the front) still gives the whole guide.
    let half = data.len() / 2 / 188 * 188;
    let (epg, _) = guide(&data[half..]);
    assert_eq!(events(&epg), clean);
}

#[test]
fn bit_flips_without_crc_fix_cost_only_their_sections() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    for (density, seed) in [(1e-5, 1u64), (1e-4, 2), (1e-3, 3), (1e-2, 4), (5e-2, 5)] {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut d = data.clone();
        let flips = ((d.len() * 8) as f64 * density).ceil() as usize;
        for _ in 0..flips {
            let i = rng.below(d.len());
            d[i] ^= 1 << rng.below(8);
        }
        let (epg, stats) = guide(&d);
        let got = events(&epg);
        assert_consistent(&clean, &got, &format!("density {density}"));
        if density <= 1e-4 {
            // Two cycles: a few flips are repaired by the other cycle.
            assert!(got.len() >= 50, "density {density}: {} events", got.len());
        }
        let _ = stats;
    }
}

/// Rewrites the sections of the first of the SI stream's two cycles through `mutate` (CRC
/// recomputed, so the damage reaches the table and descriptor parsers) and repacketizes; the
/// second cycle stays clean.
fn remux(data: &[u8], mut mutate: impl FnMut(&mut Vec<u8>)) -> Vec<u8> {
    let mut by_pid: BTreeMap<u16, Vec<Vec<u8>>> = BTreeMap::new();
    let mut r = TsReader::new(|pid: Pid, s: Section<'_>, _: &mut Stats| {
        by_pid
            .entry(pid.value())
            .or_default()
            .push(s.bytes().to_vec())
    });
    r.push(data);
    let _ = r.finish();
    let mut packets = Vec::new();
    for (pid, sections) in by_pid {
        let first_cycle = sections.len() / 2;
        let sections: Vec<Vec<u8>> = sections
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                if i < first_cycle {
                    mutate(&mut s);
                    fix_crc(&mut s);
                }
                s
            })
            .collect();
        packets.extend(Packetizer::new(pid).pack(&sections));
    }
    frame(&packets, 188)
}

#[test]
fn bit_flips_with_crc_fixed_reach_the_parsers() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    for (density, seed) in [(1e-3, 11u64), (1e-2, 12), (5e-2, 13), (0.2, 14)] {
        let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let d = remux(&data, |s| {
            let body = s.len().saturating_sub(4);
            for _ in 0..((body * 8) as f64 * density).ceil() as usize {
                let i = 3 + rng.below(body.saturating_sub(3));
                if let Some(b) = s.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        });
        // The damaged first cycle went through every parser; the clean second cycle, received
        // last, restores every event exactly. (A flip in a section's identity fields, CRC
        // recomputed, is indistinguishable from another service's data and may add events
        // under other keys.)
        let (epg, stats) = guide(&d);
        assert!(stats.sections.ok > 0);
        let got = events(&epg);
        for (k, e) in &clean {
            assert_eq!(got.get(k), Some(e), "density {density}: {k:?}");
        }
    }
}

#[test]
fn lying_lengths_inside_sections() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    // Overwrite one length byte at a time: descriptor lengths, loop lengths, item lengths.
    for (k, seed) in (0..40).zip(100u64..) {
        let mut rng = Rng(seed);
        let d = remux(&data, |s| {
            if s.first().is_some_and(|t| (0x4E..=0x6F).contains(t)) && s.len() > 30 {
                let i = 14 + rng.below(s.len() - 18);
                s[i] = [0x00, 0x01, 0x7F, 0xFE, 0xFF][k % 5];
            }
        });
        let (epg, _) = guide(&d);
        // Lying lengths in the first cycle cost only what they touch: damaged events may have
        // come and gone, but the clean second cycle, received last, restores every event.
        let got = events(&epg);
        for (k, e) in &clean {
            assert_eq!(got.get(k), Some(e), "case {k:?}");
        }
    }
}

#[test]
fn section_length_extremes() {
    for len in [0usize, 1, 2, 3, 4, 5, 8, 9, 4092, 4093, 4094, 4095] {
        let mut pk = Packetizer::new(0x12);
        let mut payload = vec![0u8, 0x4E, 0xB0 | (len >> 8) as u8, len as u8];
        payload.resize(184, 0x33);
        let mut packets = vec![pk.packet(true, &payload, false)];
        for _ in 0..24 {
            packets.push(pk.packet(false, &[0x33; 184], false));
        }
        // A good section after it.
        let good = eit_section(0x4E, 101, 1, 4, 0, 0, 0, 0, 0x4E, &[]);
        packets.extend(pk.pack(std::slice::from_ref(&good)));
        let (_, stats) = guide(&frame(&packets, 188));
        assert_eq!(stats.sections.ok, 1, "len {len}");
        if len > 4093 {
            assert_eq!(stats.sections.too_long, 1);
        }
    }
}

#[test]
fn pointer_and_adaptation_fields_past_the_packet() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    let mut d = data.clone();
    for (n, p) in d.chunks_exact_mut(188).enumerate() {
        match n % 17 {
            3 if p[1] & 0x40 != 0 => p[4] = 0xFF, // pointer_field past the payload
            7 => {
                p[3] |= 0x20; // adaptation field present
                p[4] = 0xFF; // adaptation_field_length past the packet
            }
            _ => {}
        }
    }
    let (epg, stats) = guide(&d);
    assert!(stats.bad_adaptation > 0 || stats.sections.pointer_errors > 0);
    assert_consistent(&clean, &events(&epg), "pointer/adaptation");
}

#[test]
fn pusi_storms_cc_chaos_and_duplicates() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    let mut rng = Rng(77);
    let mut storm = data.clone();
    for p in storm.chunks_exact_mut(188) {
        if rng.below(3) == 0 {
            p[1] |= 0x40;
            p[4] = rng.below(256) as u8;
        }
    }
    assert_consistent(&clean, &events(&guide(&storm).0), "PUSI storm");
    let mut chaos = data.clone();
    for p in chaos.chunks_exact_mut(188) {
        p[3] = (p[3] & 0xF0) | rng.below(16) as u8;
    }
    let (epg, stats) = guide(&chaos);
    assert!(stats.cc_errors > 0);
    assert_consistent(&clean, &events(&epg), "CC chaos");
    let dup: Vec<u8> = data
        .chunks_exact(188)
        .flat_map(|p| [p, p].concat())
        .collect();
    let (epg, stats) = guide(&dup);
    assert_eq!(stats.cc_errors, 0);
    assert_eq!(events(&epg), clean);
}

#[test]
fn hostile_arib_strings() {
    let strings: Vec<Vec<u8>> = vec![
        [0x1B; 200].to_vec(),                // only escapes
        vec![0x1B, 0x24],                    // cut-off designation
        vec![0x1B, 0x24, 0x29],              // cut-off 2-byte designation
        vec![0x9B],                          // CSI without parameters
        vec![0x9B, 0x30, 0x3B, 0x31],        // CSI cut off
        vec![0x90],                          // COL without parameter
        vec![0x95, 0x40],                    // MACRO without end
        [0x95, 0x40, 0x95, 0x40].repeat(50), // macro storms
        [0x19, 0x1D].repeat(100),            // SS2/SS3 chains
        vec![0x0E, 0x89, 0x9D, 0x20],        // TIME cut off
        (0u8..=255).collect(),               // every byte
        [0x46].to_vec(),                     // half a kanji
    ];
    for s in &strings {
        let desc = short_event(s, s);
        let ev = EventSpec {
            event_id: 1,
            start: start_time(60401, 1, 0, 0),
            duration: duration(60),
            descriptors: desc,
        };
        let eit = eit_section(0x4E, 101, 1, 4, 0, 0, 0, 0, 0x4E, &[ev]);
        let (epg, stats) = guide(&frame(&Packetizer::new(0x12).pack(&[eit]), 188));
        assert_eq!(stats.si.events, 1);
        let t = &epg.services[0].events[0].title;
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
        assert!(t.len() < 4096);
    }
}

#[test]
fn impossible_times() {
    let mut evs = Vec::new();
    for (i, start) in [
        [0xFF, 0xFF, 0x12, 0x00, 0x00], // MJD 0xFFFF: a real date in 2038
        [0xEB, 0xF1, 0xAA, 0x00, 0x00], // BCD digits above 9
        [0xEB, 0xF1, 0x25, 0x00, 0x00], // hour 25
        [0xEB, 0xF1, 0x12, 0x60, 0x00], // minute 60
        [0xEB, 0xF1, 0x12, 0x00, 0x00], // fine
    ]
    .into_iter()
    .enumerate()
    {
        evs.push(EventSpec {
            event_id: i as u16,
            start,
            duration: if i == 4 {
                [0x99, 0x99, 0x9F]
            } else {
                duration(60)
            },
            descriptors: short_event(&arib_ascii("t"), &[]),
        });
    }
    let eit = eit_section(0x50, 101, 1, 4, 0, 0, 0, 0, 0x50, &evs);
    let (epg, stats) = guide(&frame(&Packetizer::new(0x12).pack(&[eit]), 188));
    let ids: Vec<u16> = epg.services[0].events.iter().map(|e| e.event_id).collect();
    assert_eq!(ids, vec![0]);
    assert_eq!(stats.si.event_errors, 4);
    assert_eq!(
        epg.services[0].events[0].start.unwrap().rfc3339(),
        "2038-04-22T12:00:00+09:00"
    );
}

#[test]
fn wrong_stride_in_the_middle() {
    let data = si_stream();
    let clean = events(&guide(&data).0);
    let packets: Vec<RawPacket> = data
        .chunks_exact(188)
        .map(|p| p.try_into().unwrap())
        .collect();
    let half = packets.len() / 2;
    for (a, b) in [(192, 204), (204, 188), (188, 192)] {
        let mut d = frame(&packets[..half], a);
        d.extend(frame(&packets[half..], b));
        let (epg, stats) = guide(&d);
        assert!(stats.sync_losses >= 1, "{a}->{b}");
        assert_consistent(&clean, &events(&epg), &format!("{a}->{b}"));
        assert!(events(&epg).len() >= 50, "{a}->{b}");
    }
}

#[test]
fn not_transport_streams() {
    let mut rng = Rng(5);
    let random: Vec<u8> = (0..100_000).map(|_| rng.next() as u8).collect();
    let zip = [b"PK\x03\x04".as_slice(), &random[..5000]].concat();
    let png = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &random[..5000]].concat();
    for data in [
        &b""[..],
        &[0x47][..],
        &[0u8; 65536][..],
        &[0xFFu8; 4096][..],
        &random,
        &zip,
        &png,
    ] {
        let (epg, stats) = guide(data);
        assert!(epg.services.is_empty());
        assert_eq!(stats.sections.ok, 0);
    }
}

#[test]
fn endless_sections_and_random_payloads_stay_bounded() {
    // A PID where a maximal section starts in every packet and never completes.
    let mut pk = Packetizer::new(0x12);
    let mut packets = Vec::new();
    for _ in 0..5_000 {
        let mut payload = vec![0u8, 0x50, 0xBF, 0xFD];
        payload.resize(184, 0x44);
        packets.push(pk.packet(true, &payload, false));
        packets.push(pk.packet(false, &[0x44; 184], false));
    }
    let (_, stats) = guide(&frame(&packets, 188));
    assert_eq!(stats.sections.truncated, 5_000);
    // Every packet on the EIT PID with random payload.
    let mut rng = Rng(9);
    let mut pk = Packetizer::new(0x12);
    let packets: Vec<RawPacket> = (0..20_000)
        .map(|_| {
            let payload: Vec<u8> = (0..184).map(|_| rng.next() as u8).collect();
            pk.packet(rng.below(2) == 0, &payload, false)
        })
        .collect();
    let (epg, stats) = guide(&frame(&packets, 188));
    assert_eq!(stats.packets, 20_000);
    assert!(epg.services.len() <= 4096);
}

#[test]
fn millions_of_event_ids_and_thousands_of_services_are_capped() {
    let opts = CollectorOptions {
        max_events: 50_000,
        max_services: 500,
        ..CollectorOptions::default()
    };
    let mut c = Collector::new(opts);
    let mut stats = Stats::default();
    // 1,000 services × 300 events: 300,000 distinct event ids offered.
    for sid in 0..1_000u16 {
        let evs: Vec<EventSpec> = (0..300u16)
            .map(|e| EventSpec {
                event_id: e,
                start: start_time(60401, (e % 24) as u8, 0, 0),
                duration: duration(60),
                descriptors: Vec::new(),
            })
            .collect();
        let s = eit_section(0x50, sid, 1, 4, 0, 0, 0, 0, 0x50, &evs);
        c.add_section(&s, &mut stats);
    }
    let epg = c.finish(&mut stats);
    let n: usize = epg.services.iter().map(|s| s.events.len()).sum();
    assert_eq!(n, 50_000);
    assert!(epg.services.len() <= 500);
    // 100,000 events of admitted services over the cap, plus one refusal per section of the
    // 500 services over theirs.
    assert_eq!(stats.si.refused_by_cap, 100_500);
}
