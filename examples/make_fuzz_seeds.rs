//! Writes seed inputs for the reader's fuzz targets into `fuzz/corpus/`, built with the
//! project's own stream builder: `cargo run --example make_fuzz_seeds`.

use epgdump::testsupport::{frame, interleave, long_section, short_section, Packetizer};
use std::fs;
use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new("fuzz/corpus/ts_stream");
    fs::create_dir_all(dir)?;
    let sections: Vec<Vec<u8>> = (0..8)
        .map(|i| {
            let body: Vec<u8> = (0..[5usize, 150, 181, 182, 400, 1200, 60, 20][i])
                .map(|j| (i * 7 + j) as u8)
                .collect();
            long_section(0x4E + i as u8, 0x400 + i as u16, i as u8, 0, 1, &body)
        })
        .collect();
    let tot = short_section(0x73, &[0xE4, 0x5A, 0x12, 0x34, 0x56, 0xF0, 0x00], true);
    let mut eit = Packetizer::new(0x12).pack(&sections);
    eit.extend(Packetizer::new(0x14).pack(&[tot]));
    eit.extend(Packetizer::new(0x11).each(&sections[..2]));
    for (i, stride) in [188usize, 192, 204].into_iter().enumerate() {
        let stream = frame(&interleave(&eit, 0.5, 0x100), stride);
        // The first 8 bytes of every ts_stream input choose the chunking.
        let mut seed = vec![i as u8 + 1, 0, 0, 0, 0, 0, 0, 0];
        seed.extend_from_slice(&stream);
        fs::write(dir.join(format!("clean-{stride}")), &seed)?;
        let mut damaged = seed.clone();
        for k in (100..damaged.len()).step_by(997) {
            damaged[k] ^= 0x5A;
        }
        fs::write(dir.join(format!("damaged-{stride}")), &damaged)?;
    }
    // The epgdump crash shape: a section claiming 4095 bytes.
    let mut pk = Packetizer::new(0x12);
    let mut payload = vec![0u8, 0x4E, 0xBF, 0xFF];
    payload.resize(184, 0xAB);
    let mut crash = vec![pk.packet(true, &payload, false)];
    crash.extend((0..25).map(|_| pk.packet(false, &[0xAB; 184], false)));
    let mut seed = vec![0u8; 8];
    seed.extend(frame(&crash, 188));
    fs::write(dir.join("too-long-4095"), &seed)?;

    let dir = Path::new("fuzz/corpus/section_assembler");
    fs::create_dir_all(dir)?;
    for (i, s) in sections.iter().enumerate() {
        let mut rec = Vec::new();
        let mut first = true;
        let mut pointer_done = false;
        for chunk in s.chunks(150) {
            let mut payload = Vec::new();
            if first && !pointer_done {
                payload.push(0);
                pointer_done = true;
            }
            payload.extend_from_slice(chunk);
            rec.push(payload.len() as u8);
            rec.push(u8::from(first));
            rec.extend_from_slice(&payload);
            first = false;
        }
        fs::write(dir.join(format!("section-{i}")), &rec)?;
    }
    println!("seeds written");
    Ok(())
}
