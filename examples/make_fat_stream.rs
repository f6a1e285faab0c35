//! Writes a stream whose events carry ~4 KB of extended text each, to measure the model's byte
//! budget and the peak RSS it buys: `cargo run --release --example make_fat_stream -- OUT.ts
//! [EVENTS]` (default 100,000 events over 400 services, one section each).

use epgdump::testsupport::*;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "fat.ts".into());
    let events: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let chunk = arib_ascii(&"x".repeat(240));
    let mut eit = Packetizer::new(0x12);
    let mut file = std::io::BufWriter::with_capacity(8 << 20, std::fs::File::create(&out)?);
    for i in 0..events {
        let sid = 100 + (i / 250) as u16;
        let n = (i % 250) as u8;
        let mut d = short_event(&arib_ascii(&format!("Fat {i}")), &arib_ascii("text"));
        for k in 0..16u8 {
            d.extend_from_slice(&extended_event(k, 15, &[(b"", &chunk)]));
        }
        let ev = EventSpec {
            event_id: n as u16,
            start: start_time(60347 + (n / 24) as u16, n % 24, 0, 0),
            duration: duration(3600),
            descriptors: d,
        };
        let section = eit_section(0x50, sid, 0x4010, 4, 0, n, 249, n, 0x50, &[ev]);
        file.write_all(&frame(&eit.pack(&[section]), 188))?;
    }
    file.flush()
}
