//! Throughput of the core reader (sync → demux → sections → CRC) over a 256 MiB synthetic
//! stream in which about 3 % of the packets carry SI, as in a real broadcast.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use epgdump::psi::Section;
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::ts::Pid;
use std::hint::black_box;

fn reader(c: &mut Criterion) {
    let mut data = Vec::new();
    epgdump::testsupport::write_synthetic_stream(&mut data, 256 << 20, 0.03).expect("in memory");
    let mut g = c.benchmark_group("reader");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(20);
    g.bench_function("256MiB_3pct_epg_one_push", |b| {
        b.iter(|| {
            let mut n = 0u64;
            let mut r =
                TsReader::new(|_: Pid, s: Section<'_>, _: &mut Stats| n += u64::from(s.table_id()));
            r.push(black_box(&data));
            let (_, st) = r.finish();
            black_box((n, st.sections.ok))
        })
    });
    g.bench_function("256MiB_3pct_epg_16MiB_chunks_unaligned", |b| {
        b.iter(|| {
            let mut r = TsReader::new(|_: Pid, s: Section<'_>, _: &mut Stats| {
                black_box(s.table_id());
            });
            for chunk in data.chunks((16 << 20) + 7) {
                r.push(black_box(chunk));
            }
            black_box(r.finish().1.sections.ok)
        })
    });
    g.finish();
}

criterion_group!(benches, reader, touch_headers);
criterion_main!(benches);

/// The ceiling: a loop that only reads each packet's first four bytes.
fn touch_headers(c: &mut Criterion) {
    let mut data = Vec::new();
    epgdump::testsupport::write_synthetic_stream(&mut data, 256 << 20, 0.03).expect("in memory");
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(20);
    g.bench_function("touch_each_packet_header", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in black_box(&data).chunks_exact(188) {
                if let [a, b, c, d, ..] = p {
                    acc = acc.wrapping_add(u64::from(*a ^ *b ^ *c ^ *d));
                }
            }
            black_box(acc)
        })
    });
    g.finish();
}
