//! Writes a long stream of repeated guide cycles with a late version update, for the cold-read
//! bench (`benches/cold.sh`): `cargo run --release --example make_cold_stream -- OUT.ts [MiB]
//! [cycle MiB]` (defaults: 1024 MiB, cycles of 30 MiB, 8 services; the schedule is at version
//! 2 from the third-last cycle on, see `epgdump::testsupport::CycleStream`).

use std::io::BufWriter;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "cold.ts".to_string());
    let mib: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1024);
    let cycle_mib: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(30);
    let cycle_packets = usize::try_from((cycle_mib << 20) / 188).unwrap_or(usize::MAX);
    let cycles = u32::try_from((mib / cycle_mib.max(1)).max(1)).unwrap_or(u32::MAX);
    let spec = epgdump::testsupport::CycleStream {
        cycles,
        update: cycles.saturating_sub(3),
        services: 8,
        cycle_packets,
        cycle_seconds: 10,
        ..Default::default()
    };
    let mut w = BufWriter::with_capacity(8 << 20, std::fs::File::create(&out)?);
    let n = epgdump::testsupport::write_cycle_stream(&spec, &mut w)?;
    eprintln!(
        "{out}: {n} bytes, {cycles} cycles of {cycle_mib} MiB, version 2 from cycle {}",
        spec.update
    );
    Ok(())
}
