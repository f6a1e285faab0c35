//! Writes seed inputs for the reader's fuzz targets into `fuzz/corpus/`, built with the
//! project's own stream builder: `cargo run --example make_fuzz_seeds`.

use epgdump::testsupport::*;
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
    // epg_model: [len_hi, len_lo, section…] records of realistic EIT/SDT sections.
    let dir = Path::new("fuzz/corpus/epg_model");
    fs::create_dir_all(dir)?;
    let title = arib_ascii("News at nine");
    let kanji = [0x46, 0x7C, 0x4B, 0x5C]; // 日本
    let mut desc = short_event(&title, &kanji);
    desc.extend(extended_event(0, 1, &[(&arib_ascii("Cast"), &kanji[..3])]));
    desc.extend(extended_event(1, 1, &[(&[], &kanji[3..])]));
    desc.extend(content(&[[0, 1, 0xF, 0xF], [0xE, 0, 0, 2]]));
    let events: Vec<EventSpec> = (0..4u16)
        .map(|i| EventSpec {
            event_id: 100 + i,
            start: if i == 3 {
                [0xFF; 5]
            } else {
                start_time(60347, i as u8, 0, 0)
            },
            duration: duration(3600),
            descriptors: desc.clone(),
        })
        .collect();
    let records = [
        eit_section(0x4E, 101, 0x4010, 4, 1, 0, 1, 0, 0x4E, &events[..1]),
        eit_section(0x50, 101, 0x4010, 4, 1, 0, 8, 1, 0x51, &events[..2]),
        eit_section(0x58, 101, 0x4010, 4, 31, 0, 0, 0, 0x58, &events[2..]),
        sdt_section(
            0x42,
            0x4010,
            4,
            0,
            &[(101, true, service_descriptor(1, &title, &title))],
        ),
        eit_section(0x4E, 0x0101, 4, 0x20FA, 0, 0, 1, 0, 0x4E, &events[..1]),
    ];
    for i in 0..records.len() {
        let mut seed = Vec::new();
        for s in records.iter().take(i + 1) {
            seed.extend_from_slice(&(s.len() as u16).to_be_bytes());
            seed.extend_from_slice(s);
        }
        fs::write(dir.join(format!("sections-{i}")), &seed)?;
    }
    // pipeline: 9 option/chunking bytes, then a stream: the bundled sample, whole and cut down.
    let dir = Path::new("fuzz/corpus/pipeline");
    fs::create_dir_all(dir)?;
    let sample = sample_bs_stream();
    // Keep only SI packets so the seeds stay small.
    let si: Vec<u8> = sample
        .chunks_exact(188)
        .filter(|p| (u16::from(p[1] & 0x1F) << 8 | u16::from(p[2])) != 0x100)
        .flatten()
        .copied()
        .collect();
    for (i, (opt, len)) in [
        (0u8, si.len()),
        (0x13, si.len() / 3),
        (0x25, 188 * 40),
        (0x0A, 188 * 12),
    ]
    .into_iter()
    .enumerate()
    {
        let mut seed = vec![opt, 7, 0, 0, 0, 0, 0, 0, i as u8];
        seed.extend_from_slice(&si[..len.min(si.len())]);
        fs::write(dir.join(format!("sample-{i}")), &seed)?;
    }
    println!("seeds written");
    Ok(())
}
