//! Time stays linear on hostile streams: the cost per section must not grow with the number of
//! sections. Each case runs at two sizes (10× apart); criterion's per-element throughput should
//! be about the same for both.
//! - `repeat`: one section repeated (a broadcaster's cycle, or a replay attack);
//! - `churn`: one section identity whose content and version change every time;
//! - `distinct`: every section brings new event ids, past the event cap.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use epgdump::epg::{Collector, CollectorOptions};
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::testsupport::*;
use std::hint::black_box;

fn event(id: u16, title: &[u8]) -> EventSpec {
    EventSpec {
        event_id: id,
        start: start_time(60401, (id % 24) as u8, 0, 0),
        duration: duration(1800),
        descriptors: short_event(title, &arib_encode("番組内容のテキスト")),
    }
}

fn sections(kind: &str, n: usize) -> Vec<Vec<u8>> {
    let title = arib_encode("ニュース");
    match kind {
        "repeat" => {
            let s = eit_section(
                0x50,
                101,
                1,
                4,
                1,
                0,
                0,
                0,
                0x50,
                &[event(1, &title), event(2, &title)],
            );
            vec![s; n]
        }
        "churn" => (0..n)
            .map(|i| {
                let t = arib_encode(&format!("番組{i}"));
                eit_section(
                    0x50,
                    101,
                    1,
                    4,
                    (i % 32) as u8,
                    0,
                    0,
                    0,
                    0x50,
                    &[event(1, &t), event(2, &t)],
                )
            })
            .collect(),
        _ => (0..n)
            .map(|i| {
                let evs: Vec<EventSpec> = (0..20u16)
                    .map(|k| event(((i * 20) as u16).wrapping_add(k), &title))
                    .collect();
                eit_section(
                    0x50,
                    (i / 3000) as u16,
                    1,
                    4,
                    1,
                    (i % 256) as u8,
                    0xFF,
                    0xFF,
                    0x50,
                    &evs,
                )
            })
            .collect(),
    }
}

fn linear(c: &mut Criterion) {
    let mut g = c.benchmark_group("hostile_collector");
    g.sample_size(10);
    for kind in ["repeat", "churn", "distinct"] {
        for n in [10_000usize, 100_000] {
            let input = sections(kind, n);
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new(kind, n), &input, |b, input| {
                b.iter(|| {
                    let mut col = Collector::new(CollectorOptions::default());
                    let mut st = Stats::default();
                    for s in input {
                        col.add_section(black_box(s), &mut st);
                    }
                    black_box(col.event_count())
                })
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("hostile_reader");
    g.sample_size(10);
    for n in [10_000usize, 100_000] {
        let secs = sections("repeat", n);
        let stream = frame(&Packetizer::new(0x12).pack(&secs), 188);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("repeat_packetized", n),
            &stream,
            |b, stream| {
                b.iter(|| {
                    let mut r = TsReader::new(Collector::default());
                    r.push(black_box(stream));
                    black_box(r.finish().1.sections.ok)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, linear);
criterion_main!(benches);
