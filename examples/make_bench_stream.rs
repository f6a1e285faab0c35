//! Writes a synthetic broadcast-like stream for throughput measurements:
//! `cargo run --release --example make_bench_stream -- OUT.ts [MiB] [EPG share]`
//! (defaults: 1024 MiB, 0.03 = 3 % of packets carry SI).

use std::io::BufWriter;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "bench.ts".to_string());
    let mib: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1024);
    let share: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0.03);
    // Large writes, as a recorder or `cp` makes them: the kernel then keeps the file in large
    // page-cache folios, which map as 2 MiB pages (see benches/throughput.sh).
    let block: usize = std::env::var("WRITE_BLOCK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8 << 20);
    let mut w = BufWriter::with_capacity(block, std::fs::File::create(&out)?);
    let n = epgdump::testsupport::write_synthetic_stream(&mut w, mib << 20, share)?;
    eprintln!("{out}: {n} packets, {} bytes", n * 188);
    Ok(())
}
