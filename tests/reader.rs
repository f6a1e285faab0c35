//! Integration tests of the core reader: packets → sections, on streams built by the project's
//! own builder (`epgdump::testsupport`).

use epgdump::psi::Section;
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::testsupport::{frame, interleave, long_section, short_section, Packetizer, RawPacket};
use epgdump::ts::{Pid, PidSet};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Got {
    sections: Vec<(u16, Vec<u8>)>,
    stats: Stats,
}

fn read_chunks(chunks: &[&[u8]]) -> Got {
    let mut sections = Vec::new();
    let mut r = TsReader::new(|pid: Pid, s: Section<'_>, _: &mut Stats| {
        sections.push((pid.value(), s.bytes().to_vec()))
    });
    for c in chunks {
        r.push(c);
    }
    let (_, stats) = r.finish();
    Got { sections, stats }
}

fn read(data: &[u8]) -> Got {
    read_chunks(&[data])
}

/// A varied set of EIT sections: small ones packed several per packet, large ones spanning up to
/// 23 packets.
fn eit_sections(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let len = [10usize, 60, 170, 181, 182, 183, 184, 185, 400, 1000, 4000][i % 11];
            let body: Vec<u8> = (0..len).map(|j| (i * 31 + j) as u8).collect();
            long_section(
                0x50 + (i % 16) as u8,
                100 + i as u16,
                (i % 32) as u8,
                0,
                0,
                &body,
            )
        })
        .collect()
}

fn sample_stream(stride: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let sections = eit_sections(40);
    let mut pk = Packetizer::new(0x12);
    let mut packets = pk.pack(&sections[..20]);
    packets.extend(pk.each(&sections[20..]));
    let stream = interleave(&packets, 0.2, 0x100);
    (frame(&stream, stride), sections)
}

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn every_section_comes_out_in_all_framings() {
    for stride in [188, 192, 204] {
        let (data, sections) = sample_stream(stride);
        let got = read(&data);
        let want: Vec<(u16, Vec<u8>)> = sections.iter().map(|s| (0x12, s.clone())).collect();
        assert_eq!(got.sections, want, "stride {stride}");
        assert_eq!(got.stats.packet_size, Some(stride as u16));
        assert_eq!(got.stats.sections.ok, 40);
        assert_eq!(got.stats.dropped_bytes, 0, "stride {stride}");
        assert_eq!(got.stats.bytes, data.len() as u64);
        assert_eq!(got.stats.packets * stride as u64, data.len() as u64);
        assert_eq!(got.stats.cc_errors, 0);
        assert_eq!(got.stats.sections.by_table_id.get(0x50), 3);
    }
}

#[test]
fn any_chunking_gives_identical_results() {
    let (mut data, _) = sample_stream(188);
    // Some damage so that the resync and error paths are split too.
    data.splice(5000..5000, [0x47, 0, 0, 0x47, 1, 2, 3].iter().copied());
    let n = data.len();
    data[20_000] ^= 0xFF;
    let whole = read(&data);
    let ones: Vec<&[u8]> = data.chunks(1).collect();
    assert_eq!(read_chunks(&ones), whole);
    let mut seed = 7u64;
    for _ in 0..20 {
        let mut chunks: Vec<&[u8]> = Vec::new();
        let mut pos = 0;
        while pos < n {
            let len = match lcg(&mut seed) % 4 {
                0 => 0,
                1 => (lcg(&mut seed) % 5) as usize,
                2 => (lcg(&mut seed) % 400) as usize,
                _ => (lcg(&mut seed) % 5000) as usize,
            }
            .min(n - pos);
            chunks.push(&data[pos..pos + len]);
            pos += len;
        }
        assert_eq!(read_chunks(&chunks), whole);
    }
    for stride in [192, 204] {
        let (data, _) = sample_stream(stride);
        let whole = read(&data);
        for size in [1, 3, 191, 193, 203, 205, 2049] {
            let chunks: Vec<&[u8]> = data.chunks(size).collect();
            assert_eq!(read_chunks(&chunks), whole, "stride {stride} chunk {size}");
        }
    }
}

#[test]
fn cut_at_every_point_of_a_spanning_section() {
    let s = long_section(0x4E, 1, 0, 0, 0, &[0x5A; 500]);
    for first in [1usize, 2, 3, 4, 5, 100, 183, 184] {
        for second in [1usize, 2, 50, 184] {
            let mut pk = Packetizer::new(0x12);
            let packets = pk.pack_with(std::slice::from_ref(&s), |i| match i {
                0 => first,
                1 => second,
                _ => 184,
            });
            let got = read(&frame(&packets, 188));
            assert_eq!(got.sections.len(), 1, "cut {first}/{second}");
            assert_eq!(got.sections[0].1, s);
        }
    }
}

#[test]
fn crc_failure_is_counted_and_neighbours_survive() {
    let mut sections = eit_sections(5);
    let bad = sections[2].len() / 2;
    sections[2][bad] ^= 0x01;
    let data = frame(&Packetizer::new(0x12).pack(&sections), 188);
    let got = read(&data);
    assert_eq!(got.stats.sections.ok, 4);
    assert_eq!(got.stats.sections.crc_errors, 1);
    assert_eq!(got.sections.len(), 4);
}

#[test]
fn corrupted_repeats_of_a_checked_section_still_fail_their_crc() {
    // The reader skips the CRC for byte-for-byte repeats of sections it has checked. A repeat
    // with the same header and CRC field but one changed byte anywhere must still be caught,
    // and true repeats still count as ok every time.
    let good = eit_sections(11).swap_remove(9); // 1000-byte body, spans packets
    let mut stream = vec![good.clone()];
    for at in [8, 100, good.len() / 2, good.len() - 5] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        stream.push(bad);
        stream.push(good.clone());
    }
    let data = frame(&Packetizer::new(0x12).pack(&stream), 188);
    let got = read(&data);
    assert_eq!(got.stats.sections.crc_errors, 4);
    assert_eq!(got.stats.sections.ok, 5);
    assert!(got.sections.iter().all(|(_, s)| *s == good));
}
#[test]
fn epgdump_crash_shape_section_claiming_4095_bytes() {
    // A section_length of 4092 + 3 would overflow a 4096-byte buffer with the C epgdump's
    // unchecked copy; here 0xFFF (4095) is refused from its header, never copied, and the next
    // section after a PUSI is read normally.
    let mut pk = Packetizer::new(0x12);
    let mut packets: Vec<RawPacket> = Vec::new();
    let mut payload = vec![0u8, 0x4E, 0xBF, 0xFF];
    payload.resize(184, 0xAB);
    packets.push(pk.packet(true, &payload, false));
    for _ in 0..30 {
        packets.push(pk.packet(false, &[0xAB; 184], false));
    }
    let good = long_section(0x4E, 9, 1, 0, 0, &[1, 2, 3]);
    packets.extend(pk.pack(std::slice::from_ref(&good)));
    let got = read(&frame(&packets, 188));
    assert_eq!(got.stats.sections.too_long, 1);
    assert_eq!(got.sections, vec![(0x12, good)]);
    // Every length from 4090 to 4095.
    for len in 4090usize..=4095 {
        let mut pk = Packetizer::new(0x12);
        let mut payload = vec![0u8, 0x50, 0xB0 | (len >> 8) as u8, len as u8];
        payload.resize(184, 0x11);
        let mut packets = vec![pk.packet(true, &payload, false)];
        for _ in 0..25 {
            packets.push(pk.packet(false, &[0x11; 184], false));
        }
        let got = read(&frame(&packets, 188));
        if len <= 4093 {
            assert_eq!(got.stats.sections.too_long, 0);
            assert_eq!(got.stats.sections.crc_errors, 1, "len {len}");
        } else {
            assert_eq!(got.stats.sections.too_long, 1, "len {len}");
        }
    }
}

#[test]
fn cc_gap_drops_partial_section_and_duplicates_are_ignored() {
    let sections = eit_sections(12);
    let mut pk = Packetizer::new(0x12);
    let packets = pk.pack(&sections);
    let clean = read(&frame(&packets, 188));
    // Duplicate every packet once: same result.
    let dup: Vec<RawPacket> = packets.iter().flat_map(|p| [*p, *p]).collect();
    let got = read(&frame(&dup, 188));
    assert_eq!(got.sections, clean.sections);
    assert_eq!(got.stats.cc_errors, 0);
    // Remove one packet in the middle of a spanning section.
    let idx = packets
        .iter()
        .position(|p| p[1] & 0x40 == 0)
        .expect("a continuation packet");
    let mut lost = packets.clone();
    lost.remove(idx);
    let got = read(&frame(&lost, 188));
    assert_eq!(got.stats.cc_errors, 1);
    assert_eq!(got.stats.sections.truncated, 1);
    assert_eq!(got.sections.len(), clean.sections.len() - 1);
    // Three copies in a row is a CC error.
    let mut tri = packets.clone();
    tri.insert(idx, packets[idx]);
    tri.insert(idx, packets[idx]);
    assert_eq!(read(&frame(&tri, 188)).stats.cc_errors, 1);
}

#[test]
fn tei_scrambled_and_bad_adaptation_are_skipped_and_counted() {
    let sections = eit_sections(3);
    let mut packets = Packetizer::new(0x12).each(&sections);
    let n = packets.len();
    packets[0][1] |= 0x80; // TEI on the first section's start
    let last = n - 1;
    packets[last][3] |= 0x80; // scrambled
    let mut bogus = Packetizer::new(0x12).packet(true, &[0, 1, 2], false);
    bogus[4] = 190; // adaptation_field_length past the packet
    bogus[3] = (bogus[3] & 0x0F) | 0x30;
    packets.push(bogus);
    let mut fill = Packetizer::new(0x200).packet(false, &[0; 184], false);
    fill[1] |= 0x80;
    packets.push(fill);
    let got = read(&frame(&packets, 188));
    assert_eq!(got.stats.tei_packets, 2);
    assert_eq!(got.stats.scrambled_packets, 1);
    assert_eq!(got.stats.bad_adaptation, 1);
    assert!(got.sections.len() < 3);
}

#[test]
fn only_selected_pids_are_read() {
    let s = long_section(0x4E, 1, 0, 0, 0, &[0; 20]);
    let mut packets = Packetizer::new(0x12).pack(std::slice::from_ref(&s));
    packets.extend(Packetizer::new(0x300).pack(std::slice::from_ref(&s)));
    let data = frame(&packets, 188);
    assert_eq!(read(&data).sections.len(), 1);
    let mut n = 0;
    let r = TsReader::with_pids(
        |_: Pid, _: Section<'_>, _: &mut Stats| n += 1,
        &PidSet::new([Pid::new(0x300), Pid::new(0x12)]),
    );
    let mut r = r;
    r.push(&data);
    let _ = r.finish();
    assert_eq!(n, 2);
}

#[test]
fn short_tables_and_stuffing() {
    let tdt = short_section(0x70, &[0xE4, 0x5A, 0x12, 0x34, 0x56], false);
    let tot = short_section(0x73, &[0xE4, 0x5A, 0x12, 0x34, 0x56, 0xF0, 0x00], true);
    let mut bad_tot = tot.clone();
    bad_tot[4] ^= 1;
    let packets = Packetizer::new(0x14).pack(&[tdt.clone(), tot.clone(), bad_tot]);
    let got = read(&frame(&packets, 188));
    assert_eq!(got.sections, vec![(0x14, tdt), (0x14, tot)]);
    assert_eq!(got.stats.sections.crc_errors, 1);
}

#[test]
fn truncated_at_end_of_input_is_counted() {
    let s = long_section(0x50, 1, 0, 0, 0, &[3; 1000]);
    let packets = Packetizer::new(0x12).pack(std::slice::from_ref(&s));
    let data = frame(&packets[..3], 188);
    let got = read(&data);
    assert_eq!(got.stats.sections.truncated, 1);
    assert!(got.sections.is_empty());
}

#[test]
fn non_ts_inputs_yield_no_packets() {
    // A PNG-like file: its signature holds a 'G' (0x47), the rest is not periodic.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut seed = 3u64;
    png.extend((0..20_000).map(|_| lcg(&mut seed) as u8));
    for data in [&b""[..], &[0x47][..], &[0u8; 10_000][..], &png[..]] {
        let got = read(data);
        assert_eq!(got.stats.packets, 0);
        assert_eq!(got.stats.packet_size, None);
        assert_eq!(got.stats.dropped_bytes, data.len() as u64);
    }
}

/// PES packets (payload starting 00 00 01) on a PID read with `PidSet::all()` are skipped, not
/// counted as sections with bad CRCs; a section PID next to them is read as before.
#[test]
fn pes_packets_are_not_sections() {
    let mut video = Packetizer::new(0x100);
    let mut packets = Vec::new();
    for i in 0..30u8 {
        // A PES packet of three TS packets: start code, stream_id 0xE0, then payload bytes.
        let mut start = vec![0, 0, 1, 0xE0, 0x01, 0x60];
        start.extend((0..178).map(|j| (j as u8).wrapping_mul(i)));
        packets.push(video.packet(true, &start, false));
        packets.push(video.packet(false, &[i; 184], false));
        packets.push(video.packet(false, &[0x42; 184], false));
    }
    let eit = eit_sections(3);
    packets.extend(Packetizer::new(0x12).pack(&eit));
    let data = frame(&packets, 188);
    let mut sections = 0;
    let mut r = TsReader::with_pids(
        |_: Pid, _: Section<'_>, _: &mut Stats| sections += 1,
        &PidSet::all(),
    );
    r.push(&data);
    let (_, stats) = r.finish();
    assert_eq!(sections, 3);
    assert_eq!(stats.sections.crc_errors, 0);
    assert_eq!(stats.sections.truncated, 0);
    assert_eq!(stats.sections.ok, 3);
}

/// A reader stopped early does not count the packet or section its last chunk cut as dropped
/// or truncated; `bytes` counts what was read.
#[test]
fn an_early_finish_drops_and_truncates_nothing() {
    let (data, _) = sample_stream(188);
    let cut = data.len() / 2 / 188 * 188 + 100; // inside a packet, likely inside a section
    let mut r = TsReader::new(|_: Pid, _: Section<'_>, _: &mut Stats| {});
    r.push(&data[..cut]);
    let (_, stats) = r.finish_early();
    assert_eq!(stats.dropped_bytes, 0);
    assert_eq!(stats.sections.truncated, 0);
    assert_eq!(stats.bytes, stats.packets * 188);
    assert_eq!(stats.bytes, (cut / 188 * 188) as u64);
    // The ordinary end of input counts the same cut.
    let mut r = TsReader::new(|_: Pid, _: Section<'_>, _: &mut Stats| {});
    r.push(&data[..cut]);
    let (_, stats) = r.finish();
    assert_eq!(stats.dropped_bytes, 100);
}
