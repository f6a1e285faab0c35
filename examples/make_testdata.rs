//! Writes the bundled sample stream `testdata/sample-bs.ts` (see
//! `epgdump::testsupport::sample_bs_stream`): `cargo run --example make_testdata`.
//! A test checks that the committed file equals what the builder makes.

fn main() -> std::io::Result<()> {
    let stream = epgdump::testsupport::sample_bs_stream();
    std::fs::create_dir_all("testdata")?;
    std::fs::write("testdata/sample-bs.ts", &stream)?;
    eprintln!("testdata/sample-bs.ts: {} bytes", stream.len());
    Ok(())
}
