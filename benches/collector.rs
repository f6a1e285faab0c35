//! Sections per second of EIT parsing into the EPG model, on a realistic BS-like schedule built
//! with the project's builder: 6 services × 8 days in 3-hour segments, basic and extended
//! tables, Japanese titles and long extended texts.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use epgdump::epg::{Collector, CollectorOptions};
use epgdump::stats::Stats;
use epgdump::testsupport::*;
use std::hint::black_box;

/// A run of kanji (JIS rows 16–47) as ARIB bytes in the default G0 Kanji set.
fn kanji(n: usize, seed: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let k = (seed * 31 + i * 7) % (32 * 94);
            [0x30 + (k / 94) as u8, 0x21 + (k % 94) as u8]
        })
        .collect()
}

fn schedule() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (s, sid) in [101u16, 102, 103, 141, 142, 151].into_iter().enumerate() {
        for seg in 0u16..64 {
            let day = seg / 8;
            let mut basic = Vec::new();
            let mut ext = Vec::new();
            for k in 0..3u16 {
                let hour = ((seg % 8) * 3 + k) as u8;
                let id = seg * 3 + k;
                let mut d = short_event(&kanji(20, id as usize), &kanji(60, s + id as usize));
                d.extend(content(&[[(id % 12) as u8, 1, 0xF, 0xF]]));
                d.extend(descriptor(0x50, &[0x01, 0xB3, 0x00, b'j', b'p', b'n']));
                basic.push(EventSpec {
                    event_id: id,
                    start: start_time(60347 + day, hour, 0, 0),
                    duration: duration(3600),
                    descriptors: d,
                });
                let long = kanji(110, id as usize);
                let e = extended_event(0, 1, &[(&kanji(4, 1), &long)]);
                let mut e2 = e.clone();
                e2.extend(extended_event(1, 1, &[(&kanji(3, 2), &long[..100])]));
                ext.push(EventSpec {
                    event_id: id,
                    start: start_time(60347 + day, hour, 0, 0),
                    duration: duration(3600),
                    descriptors: e2,
                });
            }
            let table = 0x50 + (seg / 32) as u8;
            let n = ((seg % 32) * 8) as u8;
            out.push(eit_section(
                table, sid, 0x4010, 4, 1, n, 0xF8, n, 0x51, &basic,
            ));
            out.push(eit_section(
                table + 8,
                sid,
                0x4010,
                4,
                1,
                n,
                0xF8,
                n,
                0x59,
                &ext,
            ));
        }
    }
    out
}

fn collector(c: &mut Criterion) {
    let sections = schedule();
    let mut g = c.benchmark_group("collector");
    g.throughput(Throughput::Elements(sections.len() as u64));
    g.bench_function("bs_schedule_first_cycle", |b| {
        b.iter(|| {
            let mut col = Collector::new(CollectorOptions::default());
            let mut st = Stats::default();
            for s in &sections {
                col.add_section(black_box(s), &mut st);
            }
            black_box(col.event_count())
        })
    });
    let mut warm = Collector::new(CollectorOptions::default());
    let mut st = Stats::default();
    for s in &sections {
        warm.add_section(s, &mut st);
    }
    g.bench_function("bs_schedule_repeated_cycle", |b| {
        b.iter(|| {
            for s in &sections {
                warm.add_section(black_box(s), &mut st);
            }
        })
    });
    g.bench_function("bs_schedule_finish_decode_all_text", |b| {
        b.iter(|| {
            let mut st = Stats::default();
            black_box(warm.finish(&mut st).services.len())
        })
    });
    g.finish();
}

criterion_group!(benches, collector);
criterion_main!(benches);
