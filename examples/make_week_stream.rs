//! Writes the 8-day, 12-service BS week used to measure the writers (see
//! `epgdump::testsupport::bs_week_stream`): `cargo run --example make_week_stream -- OUT.ts`.

fn main() -> std::io::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bs-week.ts".to_string());
    let stream = epgdump::testsupport::bs_week_stream();
    std::fs::write(&out, &stream)?;
    eprintln!("{out}: {} bytes", stream.len());
    Ok(())
}
