//! The floor for the reader on this machine: maps a file exactly as the reader does
//! (`epgdump::input::for_each_chunk`) and only reads the first byte of every 188-byte packet.
//! `benches/throughput.sh` prints its speed next to `cat` and the real runs, which shows what
//! the page cache allows (2 MiB or 4 KiB mappings, see that script).
//!
//! `cargo run --release --example touch_headers -- FILE`

use std::ops::ControlFlow;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let path = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "-".into()));
    let (mut sync_bytes, mut offset) = (0u64, 0usize);
    let bytes = epgdump::input::for_each_chunk(&path, |chunk| {
        // Windows are not a multiple of 188 bytes: keep the packet phase across them.
        let first = (188 - offset % 188) % 188;
        let packets = chunk.get(first..).unwrap_or_default().iter().step_by(188);
        sync_bytes += packets.filter(|&&b| b == 0x47).count() as u64;
        offset += chunk.len();
        ControlFlow::Continue(())
    })?;
    println!("{bytes} bytes, {sync_bytes} sync bytes at 188-byte steps");
    Ok(())
}
