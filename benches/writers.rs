//! Cost per event of every writer on a full BS week (`testsupport::bs_week_stream`: 12
//! services, 8 days, about 2,000 events with Japanese text), each writing into a reused
//! in-memory buffer. Criterion reports events per second, so the writers compare directly; the
//! HTML grid is meant to cost less per event than XMLTV.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use epgdump::epg::{Collector, Epg};
use epgdump::output::{self, OutputOptions, WriteSummary};
use epgdump::reader::TsReader;
use std::hint::black_box;
use std::io;

fn week() -> Epg {
    let mut r = TsReader::new(Collector::default());
    r.push(&epgdump::testsupport::bs_week_stream());
    let (collector, mut stats) = r.finish();
    collector.finish(&mut stats)
}

type Writer = fn(&Epg, &OutputOptions, &mut Vec<u8>) -> io::Result<WriteSummary>;

fn writers(c: &mut Criterion) {
    let epg = week();
    let events: u64 = epg.services.iter().map(|s| s.events.len() as u64).sum();
    let opts = OutputOptions::default();
    let all: [(&str, Writer); 5] = [
        ("xmltv", |e, o, w| output::write_xmltv(e, o, w)),
        ("html", |e, o, w| output::html::write_html(e, o, w)),
        ("jsonl", |e, o, w| output::write_jsonl(e, o, w)),
        ("json", |e, o, w| output::write_json(e, o, w)),
        ("epgdump_xml", |e, o, w| output::write_epgdump_xml(e, o, w)),
    ];
    let mut g = c.benchmark_group("writers_bs_week");
    g.throughput(Throughput::Elements(events));
    for (name, write) in all {
        let mut buf = Vec::with_capacity(8 << 20);
        g.bench_function(name, |b| {
            b.iter(|| {
                buf.clear();
                let summary = write(black_box(&epg), &opts, &mut buf);
                black_box((summary.is_ok(), buf.len()))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, writers);
criterion_main!(benches);
