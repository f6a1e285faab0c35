//! Writes a stream whose events carry ~4 KB of extended text each, to measure the model's byte
//! budget and the peak RSS it buys: `cargo run --release --example make_fat_stream -- OUT.ts
//! [EVENTS]` (default 100,000 events over 400 services, one section each).

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "fat.ts".into());
    let events: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let mut file = std::io::BufWriter::with_capacity(8 << 20, std::fs::File::create(&out)?);
    epgdump::testsupport::write_fat_stream(&mut file, events)?;
    file.flush()
}
