//! Test support: builders that write sections with correct lengths and CRCs and cut them into
//! transport packets at chosen points, with the framing (188/192/204) a test wants.
//!
//! Fixtures are built by code rather than pasted as hex, so an edge case is one argument away
//! (gimli's test-assembler habit). Used by unit and integration tests, benches, fuzz seeding and
//! the `make_testdata` example. It is compiled only for the crate's own tests and with the
//! non-default `test-support` feature (which the crate's tests, benches, examples and fuzz
//! targets enable), so it is not part of the published API.

// The builders index freely: they take values chosen by test code, never stream bytes.
#![allow(clippy::indexing_slicing)]

pub mod exercise;
pub mod si_build;

use crate::psi::crc32_mpeg2;

mod cycles;
pub use cycles::{cycle_stream, write_cycle_stream, CycleStream};

/// A long-form section (section_syntax_indicator = 1, current_next_indicator = 1) with `body`
/// after the 8-byte header and a correct CRC_32 (ISO/IEC 13818-1 2.4.4.10).
pub fn long_section(
    table_id: u8,
    table_id_extension: u16,
    version: u8,
    section_number: u8,
    last_section_number: u8,
    body: &[u8],
) -> Vec<u8> {
    let len = 5 + body.len() + 4;
    let mut s = Vec::with_capacity(3 + len);
    s.push(table_id);
    s.push(0xB0 | ((len >> 8) as u8 & 0x0F));
    s.push(len as u8);
    s.extend_from_slice(&table_id_extension.to_be_bytes());
    s.push(0xC1 | ((version & 0x1F) << 1));
    s.push(section_number);
    s.push(last_section_number);
    s.extend_from_slice(body);
    let crc = crc32_mpeg2(&s);
    s.extend_from_slice(&crc.to_be_bytes());
    s
}

/// A short-form section (section_syntax_indicator = 0) with `body` after the 3-byte header and,
/// when `crc` is set, a CRC_32 (the TOT carries one, the TDT none).
pub fn short_section(table_id: u8, body: &[u8], crc: bool) -> Vec<u8> {
    let len = body.len() + if crc { 4 } else { 0 };
    let mut s = vec![table_id, 0x70 | ((len >> 8) as u8 & 0x0F), len as u8];
    s.extend_from_slice(body);
    if crc {
        let c = crc32_mpeg2(&s);
        s.extend_from_slice(&c.to_be_bytes());
    }
    s
}

/// Fixes the CRC_32 of a long-form section after its bytes were changed.
pub fn fix_crc(section: &mut [u8]) {
    if section.len() >= 4 {
        let n = section.len() - 4;
        let crc = crc32_mpeg2(&section[..n]);
        section[n..].copy_from_slice(&crc.to_be_bytes());
    }
}

/// One 188-byte packet.
pub type RawPacket = [u8; 188];

/// Cuts sections into the packets of one PID, keeping its continuity counter.
#[derive(Debug, Clone)]
pub struct Packetizer {
    /// The PID written into every packet.
    pub pid: u16,
    /// The next continuity_counter.
    pub cc: u8,
}

impl Packetizer {
    /// A packetizer for `pid` starting at continuity counter 0.
    pub fn new(pid: u16) -> Self {
        Packetizer { pid, cc: 0 }
    }

    /// Packs `sections` back to back, several per packet where they fit, 0xFF-stuffing the end
    /// of the last packet.
    pub fn pack(&mut self, sections: &[Vec<u8>]) -> Vec<RawPacket> {
        self.pack_with(sections, |_| 184)
    }

    /// Packs each section starting in a fresh packet (one section start per packet).
    pub fn each(&mut self, sections: &[Vec<u8>]) -> Vec<RawPacket> {
        sections
            .iter()
            .flat_map(|s| self.pack(std::slice::from_ref(s)))
            .collect()
    }

    /// Like [`Packetizer::pack`], but `payload_size(i)` (1..=184) chooses how many payload bytes
    /// packet `i` carries; the rest of the packet is adaptation-field stuffing. This is how tests
    /// cut sections at chosen points.
    pub fn pack_with(
        &mut self,
        sections: &[Vec<u8>],
        mut payload_size: impl FnMut(usize) -> usize,
    ) -> Vec<RawPacket> {
        let data: Vec<u8> = sections.concat();
        let mut starts = Vec::new();
        let mut off = 0;
        for s in sections {
            starts.push(off);
            off += s.len();
        }
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < data.len() {
            let cap = payload_size(out.len()).clamp(2, 184);
            let start_here = starts
                .iter()
                .copied()
                .find(|&s| s >= pos && s < pos + cap - 1);
            let mut payload = Vec::with_capacity(cap);
            let pusi = start_here.is_some();
            if let Some(s) = start_here {
                payload.push((s - pos) as u8);
            }
            let mut end = (pos + cap - payload.len()).min(data.len());
            // A section start that would land on the last byte of a non-PUSI packet moves on.
            if !pusi {
                if let Some(s) = starts.iter().copied().find(|&s| s > pos && s < end) {
                    end = s;
                }
            }
            payload.extend_from_slice(&data[pos..end]);
            pos = end;
            let last = pos >= data.len();
            out.push(self.packet(pusi, &payload, last));
        }
        out
    }

    /// One packet with `payload`: padded with 0xFF after the payload when `stuff_tail` (the end
    /// of PSI data), otherwise with adaptation-field stuffing before it.
    pub fn packet(&mut self, pusi: bool, payload: &[u8], stuff_tail: bool) -> RawPacket {
        let mut p = [0xFFu8; 188];
        let payload = &payload[..payload.len().min(184)];
        p[0] = 0x47;
        p[1] = (if pusi { 0x40 } else { 0 }) | ((self.pid >> 8) as u8 & 0x1F);
        p[2] = self.pid as u8;
        let cc = self.cc;
        self.cc = (self.cc + 1) & 0x0F;
        if payload.len() == 184 || stuff_tail {
            p[3] = 0x10 | cc;
            p[4..4 + payload.len()].copy_from_slice(payload);
        } else {
            let af_len = 183 - payload.len();
            p[3] = 0x30 | cc;
            p[4] = af_len as u8;
            if af_len > 0 {
                p[5] = 0x00;
            }
            p[5 + af_len..].copy_from_slice(payload);
        }
        p
    }
}

/// A packet of `pid` that is not PSI (video/audio filler), with a deterministic pseudo-random
/// payload derived from `seed`.
pub fn filler_packet(pid: u16, cc: u8, seed: u32) -> RawPacket {
    let mut p = [0u8; 188];
    p[0] = 0x47;
    p[1] = (pid >> 8) as u8 & 0x1F;
    p[2] = pid as u8;
    p[3] = 0x10 | (cc & 0x0F);
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    for b in &mut p[4..] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    p
}

/// Writes packets with 188-, 192- (4-byte arrival-time prefix) or 204-byte (16 trailing parity
/// bytes) framing.
pub fn frame(packets: &[RawPacket], stride: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(packets.len() * stride);
    for (i, p) in packets.iter().enumerate() {
        match stride {
            192 => {
                out.extend_from_slice(&((i as u32).wrapping_mul(1000) & 0x3FFF_FFFF).to_be_bytes());
                out.extend_from_slice(p);
            }
            204 => {
                out.extend_from_slice(p);
                out.extend_from_slice(&[0u8; 16]);
            }
            _ => out.extend_from_slice(p),
        }
    }
    out
}

/// Interleaves `epg` packets into a stream of filler packets so that about `share` of the
/// packets (0 < share ≤ 1) are the EPG ones, in order.
pub fn interleave(epg: &[RawPacket], share: f64, video_pid: u16) -> Vec<RawPacket> {
    let share = share.clamp(0.0001, 1.0);
    let total = (epg.len() as f64 / share).ceil() as usize;
    let mut out = Vec::with_capacity(total);
    let mut next = 0;
    let mut cc = 0u8;
    for i in 0..total.max(epg.len()) {
        let due = ((i + 1) as f64 * share) as usize;
        if next < epg.len() && next < due {
            out.push(epg[next]);
            next += 1;
        } else {
            out.push(filler_packet(video_pid, cc, i as u32));
            cc = (cc + 1) & 0x0F;
        }
    }
    out.extend_from_slice(&epg[next..]);
    out
}

/// A synthetic broadcast-like stream for benchmarks: the SI packets of the realistic sample
/// ([`sample_bs_stream`]: NIT, SDT, TOT, EIT p/f and schedule with Japanese text) cycled as a
/// broadcaster repeats its tables, continuity counters kept consistent, interleaved with video
/// and audio packets so that about `epg_share` of the packets carry SI. Written to `out` in
/// blocks, so a 1 GiB stream never sits in memory. Returns the number of packets written.
pub fn write_synthetic_stream(
    out: &mut impl std::io::Write,
    total_bytes: u64,
    epg_share: f64,
) -> std::io::Result<u64> {
    let sample = sample_bs_stream();
    let si: Vec<RawPacket> = sample
        .chunks_exact(188)
        .filter(|p| (u16::from(p[1] & 0x1F) << 8 | u16::from(p[2])) != 0x100)
        .filter_map(|p| <RawPacket>::try_from(p).ok())
        .collect();
    let mut cc = [0u8; 8192];
    let mut video_cc = 0u8;
    let mut audio_cc = 0u8;
    let total_packets = total_bytes / 188;
    let mut written = 0u64;
    let mut block: Vec<u8> = Vec::with_capacity(188 * 8192);
    let mut next_si = 0usize;
    let mut si_sent = 0f64;
    while written < total_packets {
        block.clear();
        while block.len() < 188 * 8192 && written < total_packets {
            let due = (written + 1) as f64 * epg_share;
            let packet = if si_sent < due && !si.is_empty() {
                si_sent += 1.0;
                let mut p = si[next_si % si.len()];
                next_si += 1;
                let pid = usize::from(p[1] & 0x1F) << 8 | usize::from(p[2]);
                p[3] = (p[3] & 0xF0) | cc[pid];
                cc[pid] = (cc[pid] + 1) & 0x0F;
                p
            } else if written % 10 == 0 {
                audio_cc = (audio_cc + 1) & 0x0F;
                filler_packet(0x111, audio_cc, written as u32)
            } else {
                video_cc = (video_cc + 1) & 0x0F;
                filler_packet(0x100, video_cc, written as u32)
            };
            block.extend_from_slice(&packet);
            written += 1;
        }
        out.write_all(&block)?;
    }
    Ok(written)
}

/// An ARIB STD-B24 string that decodes to the ASCII text `s`: LS1 invokes the alphanumeric set
/// into GL and MSZ selects half-width (ARIB STD-B24 Part 2 7.2).
pub fn arib_ascii(s: &str) -> Vec<u8> {
    let mut v = vec![0x89, 0x0E];
    v.extend(s.bytes().filter(|b| (0x20..0x7F).contains(b)));
    v
}

/// One descriptor: tag, length, body.
pub fn descriptor(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag, body.len().min(255) as u8];
    v.extend_from_slice(&body[..body.len().min(255)]);
    v
}

/// A short event descriptor 0x4D (EN 300 468 6.2.37, ARIB STD-B10 6.2.15).
pub fn short_event(name: &[u8], text: &[u8]) -> Vec<u8> {
    let mut b = b"jpn".to_vec();
    b.push(name.len() as u8);
    b.extend_from_slice(name);
    b.push(text.len() as u8);
    b.extend_from_slice(text);
    descriptor(0x4D, &b)
}

/// An extended event descriptor 0x4E with `(description, item)` pairs and no text
/// (EN 300 468 6.2.15, ARIB STD-B10 6.2.7).
pub fn extended_event(number: u8, last: u8, items: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut loop_bytes = Vec::new();
    for (d, i) in items {
        loop_bytes.push(d.len() as u8);
        loop_bytes.extend_from_slice(d);
        loop_bytes.push(i.len() as u8);
        loop_bytes.extend_from_slice(i);
    }
    let mut b = vec![(number << 4) | (last & 0x0F)];
    b.extend_from_slice(b"jpn");
    b.push(loop_bytes.len() as u8);
    b.extend(loop_bytes);
    b.push(0);
    descriptor(0x4E, &b)
}

/// A content descriptor 0x54 with `[level1, level2, user1, user2]` entries.
pub fn content(genres: &[[u8; 4]]) -> Vec<u8> {
    let b: Vec<u8> = genres
        .iter()
        .flat_map(|g| [(g[0] << 4) | (g[1] & 0x0F), (g[2] << 4) | (g[3] & 0x0F)])
        .collect();
    descriptor(0x54, &b)
}

/// A service descriptor 0x48.
pub fn service_descriptor(service_type: u8, provider: &[u8], name: &[u8]) -> Vec<u8> {
    let mut b = vec![service_type, provider.len() as u8];
    b.extend_from_slice(provider);
    b.push(name.len() as u8);
    b.extend_from_slice(name);
    descriptor(0x48, &b)
}

/// Start time (MJD + BCD hhmmss) for a date and time: `mjd(y, m, d)` style arithmetic done by
/// the caller; `0xFF` bytes for an undefined start.
pub fn start_time(mjd: u16, h: u8, m: u8, s: u8) -> [u8; 5] {
    let bcd = |v: u8| ((v / 10) << 4) | (v % 10);
    let [a, b] = mjd.to_be_bytes();
    [a, b, bcd(h), bcd(m), bcd(s)]
}

/// Duration in BCD hhmmss.
pub fn duration(seconds: u32) -> [u8; 3] {
    let bcd = |v: u32| (((v / 10) << 4) | (v % 10)) as u8;
    [
        bcd(seconds / 3600),
        bcd(seconds / 60 % 60),
        bcd(seconds % 60),
    ]
}

/// One event of an EIT event loop.
#[derive(Debug, Clone)]
pub struct EventSpec {
    /// event_id.
    pub event_id: u16,
    /// Raw start_time.
    pub start: [u8; 5],
    /// Raw duration.
    pub duration: [u8; 3],
    /// The descriptor loop bytes.
    pub descriptors: Vec<u8>,
}

/// An EIT section (EN 300 468 5.2.4, ARIB STD-B10 5.2.7) with a correct CRC.
#[allow(clippy::too_many_arguments)]
pub fn eit_section(
    table_id: u8,
    service_id: u16,
    tsid: u16,
    onid: u16,
    version: u8,
    section_number: u8,
    last_section_number: u8,
    segment_last_section_number: u8,
    last_table_id: u8,
    events: &[EventSpec],
) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&tsid.to_be_bytes());
    body.extend_from_slice(&onid.to_be_bytes());
    body.push(segment_last_section_number);
    body.push(last_table_id);
    for e in events {
        body.extend_from_slice(&e.event_id.to_be_bytes());
        body.extend_from_slice(&e.start);
        body.extend_from_slice(&e.duration);
        let len = e.descriptors.len() as u16 & 0x0FFF;
        body.extend_from_slice(&(0x8000 | len).to_be_bytes()); // running_status 4
        body.extend_from_slice(&e.descriptors);
    }
    long_section(
        table_id,
        service_id,
        version,
        section_number,
        last_section_number,
        &body,
    )
}

/// An SDT section (EN 300 468 5.2.3) naming `services` as (service_id, EIT schedule flag,
/// descriptor loop).
pub fn sdt_section(
    table_id: u8,
    tsid: u16,
    onid: u16,
    version: u8,
    services: &[(u16, bool, Vec<u8>)],
) -> Vec<u8> {
    let mut body = onid.to_be_bytes().to_vec();
    body.push(0xFF);
    for (sid, sched, desc) in services {
        body.extend_from_slice(&sid.to_be_bytes());
        body.push(0xE1 | if *sched { 0x02 } else { 0 });
        let len = desc.len() as u16 & 0x0FFF;
        body.extend_from_slice(&(0x8000 | len).to_be_bytes());
        body.extend_from_slice(desc);
    }
    long_section(table_id, tsid, version, 0, 0, &body)
}

/// Encodes `s` as an ARIB STD-B24 8-unit string the way broadcasters do for EPG text: kanji,
/// kana and full-width symbols in the Kanji set (G0, JIS X 0208 through EUC-JP), ASCII in the
/// alphanumeric set (G1) at middle size, `\n` as CR (0x0D). Characters JIS X 0208 lacks become
/// 〓 (0x222E). For fixtures only: it is not a complete encoder (no additional symbols).
pub fn arib_encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2);
    // Initial state: GL = G0 = Kanji, normal size.
    let mut in_alnum = false;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if c == '\n' {
            out.push(0x0D);
            continue;
        }
        if c.is_ascii_graphic() || c == ' ' {
            if !in_alnum {
                out.extend_from_slice(&[0x0E, 0x89]); // LS1 (G1 alnum into GL), MSZ
                in_alnum = true;
            }
            out.push(c as u8);
            continue;
        }
        if in_alnum {
            out.extend_from_slice(&[0x0F, 0x8A]); // LS0 (G0 Kanji into GL), NSZ
            in_alnum = false;
        }
        let (bytes, _, unmappable) = encoding_rs::EUC_JP.encode(c.encode_utf8(&mut buf));
        match bytes.as_ref() {
            [a, b] if !unmappable && *a >= 0xA1 && *b >= 0xA1 => {
                out.extend_from_slice(&[a & 0x7F, b & 0x7F]);
            }
            _ => out.extend_from_slice(&[0x22, 0x2E]),
        }
    }
    out
}

const SAMPLE_ONID: u16 = 4;
const SAMPLE_TSID: u16 = 0x4010;
/// 2024-04-01 (MJD).
const SAMPLE_MJD: u16 = 60401;

struct SampleProg {
    title: &'static str,
    text: &'static str,
    genre: [u8; 4],
    minutes: u32,
    items: &'static [(&'static str, &'static str)],
}

const SAMPLE_PROGRAMMES: &[SampleProg] = &[
    SampleProg { title: "おはようニュース", text: "全国と各地のニュース、気象情報をお伝えします。", genre: [0, 0, 0xF, 0xF], minutes: 60, items: &[("出演者", "【キャスター】山田太郎，佐藤花子")] },
    SampleProg { title: "連続ドラマ　海辺の町で　第５話「約束」", text: "港町に帰ってきた美咲は、幼なじみと再会する。", genre: [3, 0, 0xF, 0xF], minutes: 60, items: &[("番組内容", "美咲（鈴木一美）は十年ぶりに故郷の港町へ戻る。\n父の店を継ぐか迷う彼女の前に、幼なじみの健太が現れる。"), ("出演者", "鈴木一美，高橋健太，田中良子")] },
    SampleProg { title: "【字】世界の旅　イタリア紀行", text: "ローマからフィレンツェへ。歴史と美食をめぐる旅。", genre: [5, 5, 0xF, 0xF], minutes: 90, items: &[("番組内容", "古代ローマの遺跡、ルネサンスの芸術、そして本場のパスタ。")] },
    SampleProg { title: "プロ野球中継　東京×大阪", text: "開幕カードを生中継。解説は元名選手。", genre: [1, 1, 0xF, 0xF], minutes: 180, items: &[("解説", "木村一郎"), ("実況", "中村次郎アナウンサー")] },
    SampleProg { title: "きょうの料理「春野菜のパスタ」", text: "旬の菜の花と新たまねぎで作る簡単パスタ。", genre: [10, 2, 0xF, 0xF], minutes: 30, items: &[("材料", "スパゲッティ　２００ｇ\n菜の花　１束\n新たまねぎ　１個")] },
    SampleProg { title: "映画「星空の約束」", text: "２０１９年日本。夜空に誓った二人の物語。", genre: [6, 2, 0xF, 0xF], minutes: 120, items: &[("番組内容", "天文部の二人が流星群の夜に交わした約束とは。"), ("出演者", "小林翔太，伊藤美咲"), ("監督・演出", "【監督】渡辺健")] },
    SampleProg { title: "アニメ　ぼくらの冒険 #12", text: "ついに最後の扉が開く！", genre: [7, 0, 0xF, 0xF], minutes: 30, items: &[] },
    SampleProg { title: "ドキュメント　職人の技", text: "伝統工芸を守る人々を追う。", genre: [8, 1, 0xF, 0xF], minutes: 60, items: &[("番組内容", "漆塗り一筋五十年。若い弟子に伝えたいこととは。")] },
];

/// The bundled sample stream `testdata/sample-bs.ts`: a small ISDB-S (BS) transport stream with
/// a realistic Japanese guide: three services with SDT names, a NIT, a TOT, EIT p/f and a
/// one-day schedule in 3-hour segments (basic 0x50 and extended 0x58 tables), two full cycles,
/// interleaved with video packets. Deterministic.
pub fn sample_bs_stream() -> Vec<u8> {
    let services = [
        (101u16, "ＮＨＫ　ＢＳ", "ＮＨＫ"),
        (141, "ＢＳサンプル", "サンプル放送"),
        (181, "ＢＳ東西", "東西衛星"),
    ];
    let mut eit = Packetizer::new(0x12);
    let mut sdt = Packetizer::new(0x11);
    let mut nit = Packetizer::new(0x10);
    let mut tot = Packetizer::new(0x14);
    let mut packets = Vec::new();
    let sdt_section = sdt_section(
        0x42,
        SAMPLE_TSID,
        SAMPLE_ONID,
        1,
        &services
            .iter()
            .map(|(sid, name, provider)| {
                (
                    *sid,
                    true,
                    service_descriptor(1, &arib_encode(provider), &arib_encode(name)),
                )
            })
            .collect::<Vec<_>>(),
    );
    let nit_section = {
        let name = descriptor(0x40, &arib_encode("ＢＳデジタル"));
        let mut body = vec![0xF0, name.len() as u8];
        body.extend(&name);
        body.extend_from_slice(&[0xF0, 0x06]);
        body.extend_from_slice(&SAMPLE_TSID.to_be_bytes());
        body.extend_from_slice(&SAMPLE_ONID.to_be_bytes());
        body.extend_from_slice(&[0xF0, 0x00]);
        long_section(0x40, SAMPLE_ONID, 1, 0, 0, &body)
    };
    let mut sections = Vec::new();
    for (k, (sid, _, _)) in services.iter().enumerate() {
        // Lay out a day of programmes from 04:00 (the broadcast day) in 3-hour segments.
        let mut events: Vec<(u8, EventSpec, EventSpec)> = Vec::new();
        let mut minute = 4 * 60u32;
        let mut i = k;
        let mut id = 0x1000 * (k as u16 + 1);
        while minute < 28 * 60 {
            let p = &SAMPLE_PROGRAMMES[i % SAMPLE_PROGRAMMES.len()];
            let (day, hh, mm) = (
                (minute / 1440) as u16,
                (minute / 60 % 24) as u8,
                (minute % 60) as u8,
            );
            let mut basic = short_event(&arib_encode(p.title), &arib_encode(p.text));
            basic.extend(content(&[p.genre]));
            basic.extend(descriptor(0x50, &[0x01, 0xB3, 0x00, b'j', b'p', b'n']));
            basic.extend(descriptor(
                0xC4,
                &[0xF2, 0x03, 0x10, 0x0F, 0xFF, 0x7F, b'j', b'p', b'n'],
            ));
            if p.title.contains("【字】") {
                basic.extend(descriptor(
                    0xC7,
                    &[0x00, 0x08, 0x30, 0x01, 0x00, 0x00, b'j', b'p', b'n', 0x00],
                ));
            }
            let mut ext = Vec::new();
            for (n, (d, item)) in p.items.iter().enumerate() {
                ext.extend(extended_event(
                    n as u8,
                    p.items.len().saturating_sub(1) as u8,
                    &[(&arib_encode(d), &arib_encode(item))],
                ));
            }
            let start = start_time(SAMPLE_MJD + day, hh, mm, 0);
            let hour_slot = ((minute - 4 * 60) / 180) as u8;
            events.push((
                hour_slot,
                EventSpec {
                    event_id: id,
                    start,
                    duration: duration(p.minutes * 60),
                    descriptors: basic,
                },
                EventSpec {
                    event_id: id,
                    start,
                    duration: duration(p.minutes * 60),
                    descriptors: ext,
                },
            ));
            minute += p.minutes;
            i += 1;
            id += 1;
        }
        // p/f: the first two programmes.
        for (n, (_, b, e)) in events.iter().take(2).enumerate() {
            let mut both = b.clone();
            both.descriptors.extend_from_slice(&e.descriptors);
            sections.push(eit_section(
                0x4E,
                *sid,
                SAMPLE_TSID,
                SAMPLE_ONID,
                1,
                n as u8,
                1,
                1,
                0x4E,
                &[both],
            ));
        }
        for seg in 0..8u8 {
            let (basic, ext): (Vec<_>, Vec<_>) = events
                .iter()
                .filter(|(s, _, _)| *s == seg)
                .map(|(_, b, e)| (b.clone(), e.clone()))
                .unzip();
            let n = seg * 8;
            sections.push(eit_section(
                0x50,
                *sid,
                SAMPLE_TSID,
                SAMPLE_ONID,
                1,
                n,
                0x38,
                n,
                0x50,
                &basic,
            ));
            sections.push(eit_section(
                0x58,
                *sid,
                SAMPLE_TSID,
                SAMPLE_ONID,
                1,
                n,
                0x38,
                n,
                0x58,
                &ext,
            ));
        }
    }
    let tot_section = short_section(0x73, &[0xEB, 0xF1, 0x04, 0x00, 0x00, 0xF0, 0x00], true);
    for _cycle in 0..2 {
        packets.extend(nit.pack(std::slice::from_ref(&nit_section)));
        packets.extend(sdt.pack(std::slice::from_ref(&sdt_section)));
        packets.extend(tot.pack(std::slice::from_ref(&tot_section)));
        packets.extend(eit.pack(&sections));
    }
    frame(&interleave(&packets, 0.25, 0x100), 188)
}

/// A full BS week for size and speed measurements of the writers: 12 services, 8 days of
/// schedule from 2024-04-01 00:00 (JST) in 3-hour segments (basic 0x50–0x51 and extended
/// 0x58–0x59 tables), about 2,000 events with the sample's Japanese titles, texts and extended
/// items plus short fillers, an SDT, a NIT and a TOT; one cycle, no video. Deterministic.
pub fn bs_week_stream() -> Vec<u8> {
    const NAMES: [&str; 12] = [
        "ＢＳ東西",
        "ＢＳ南北",
        "ＢＳみなと",
        "ＢＳさくら",
        "ＢＳあおば",
        "ＢＳひかり",
        "ＢＳかぜ",
        "ＢＳそら",
        "ＢＳうみ",
        "ＢＳやま",
        "ＢＳほし",
        "ＢＳつき",
    ];
    const FILLER: SampleProg = SampleProg {
        title: "天気予報・交通情報",
        text: "全国の天気と交通の情報をお伝えします。",
        genre: [0, 1, 0xF, 0xF],
        minutes: 15,
        items: &[],
    };
    let sids: Vec<u16> = (0..12u16).map(|k| 101 + k * 10).collect();
    let mut sections = Vec::new();
    for (k, &sid) in sids.iter().enumerate() {
        // Per segment: (basic, extended) event specs.
        let mut segments: Vec<(Vec<EventSpec>, Vec<EventSpec>)> = vec![(vec![], vec![]); 64];
        let (mut minute, mut i, mut id) = (0u32, k, 0u16);
        while minute < 8 * 1440 {
            let p = if i % 5 == 4 {
                &FILLER
            } else {
                &SAMPLE_PROGRAMMES[i % SAMPLE_PROGRAMMES.len()]
            };
            let start = start_time(
                SAMPLE_MJD + (minute / 1440) as u16,
                (minute / 60 % 24) as u8,
                (minute % 60) as u8,
                0,
            );
            let mut basic = short_event(&arib_encode(p.title), &arib_encode(p.text));
            basic.extend(content(&[p.genre]));
            basic.extend(descriptor(0x50, &[0x01, 0xB3, 0x00, b'j', b'p', b'n']));
            basic.extend(descriptor(
                0xC4,
                &[0xF2, 0x03, 0x10, 0x0F, 0xFF, 0x7F, b'j', b'p', b'n'],
            ));
            let mut ext = Vec::new();
            for (n, (d, item)) in p.items.iter().enumerate() {
                ext.extend(extended_event(
                    n as u8,
                    p.items.len().saturating_sub(1) as u8,
                    &[(&arib_encode(d), &arib_encode(item))],
                ));
            }
            let seg = &mut segments[(minute / 180) as usize];
            let spec = |descriptors| EventSpec {
                event_id: id,
                start,
                duration: duration(p.minutes * 60),
                descriptors,
            };
            seg.0.push(spec(basic));
            seg.1.push(spec(ext));
            minute += p.minutes;
            i += 1;
            id += 1;
        }
        for (seg, (basic, ext)) in segments.iter().enumerate() {
            let table = (seg / 32) as u8;
            let n = ((seg % 32) * 8) as u8;
            for (t, events) in [(0x50 + table, basic), (0x58 + table, ext)] {
                let last = if t < 0x58 { 0x51 } else { 0x59 };
                sections.push(eit_section(
                    t,
                    sid,
                    SAMPLE_TSID,
                    SAMPLE_ONID,
                    1,
                    n,
                    0xF8,
                    n,
                    last,
                    events,
                ));
            }
        }
    }
    let sdt = sdt_section(
        0x42,
        SAMPLE_TSID,
        SAMPLE_ONID,
        1,
        &sids
            .iter()
            .zip(NAMES)
            .map(|(&sid, name)| {
                let d = service_descriptor(1, &arib_encode("サンプル放送"), &arib_encode(name));
                (sid, true, d)
            })
            .collect::<Vec<_>>(),
    );
    let tot = short_section(0x73, &[0xEB, 0xF1, 0x00, 0x00, 0x00, 0xF0, 0x00], true);
    let mut packets = Vec::new();
    packets.extend(Packetizer::new(0x11).pack(&[sdt]));
    packets.extend(Packetizer::new(0x14).pack(&[tot]));
    packets.extend(Packetizer::new(0x12).pack(&sections));
    frame(&packets, 188)
}

/// Writes a stream of `events` EIT schedule events carrying ~4 KB of extended text each (16
/// descriptors of 240 characters), 250 events per service, one section per event: a guide far
/// past the model's default byte budget, for the memory tests and `make_fat_stream`.
pub fn write_fat_stream(out: &mut impl std::io::Write, events: u32) -> std::io::Result<()> {
    let chunk = arib_ascii(&"x".repeat(240));
    let mut eit = Packetizer::new(0x12);
    for i in 0..events {
        let sid = 100 + (i / 250) as u16;
        let n = (i % 250) as u8;
        let mut d = short_event(&arib_ascii(&format!("Fat {i}")), &arib_ascii("text"));
        for k in 0..16u8 {
            d.extend_from_slice(&extended_event(k, 15, &[(b"", &chunk)]));
        }
        let ev = EventSpec {
            event_id: u16::from(n),
            start: start_time(60347 + u16::from(n / 24), n % 24, 0, 0),
            duration: duration(3600),
            descriptors: d,
        };
        let section = eit_section(0x50, sid, 0x4010, 4, 0, n, 249, n, 0x50, &[ev]);
        out.write_all(&frame(&eit.pack(&[section]), 188))?;
    }
    Ok(())
}

// ---- EIT present/following streams (the `follow` tests) ----

/// One p/f event: event_id, start `(mjd, hour, minute, second)` or `None` for undefined,
/// duration in seconds or `None` for undefined, and a title (ARIB-encoded, with a short event
/// descriptor).
pub fn pf_event(
    event_id: u16,
    start: impl Into<Option<(u16, u8, u8, u8)>>,
    duration_seconds: Option<u32>,
    title: &str,
) -> EventSpec {
    EventSpec {
        event_id,
        start: start
            .into()
            .map_or([0xFF; 5], |(mjd, h, m, s)| start_time(mjd, h, m, s)),
        duration: duration_seconds.map_or([0xFF; 3], duration),
        descriptors: short_event(&arib_encode(title), &[]),
    }
}

/// A p/f section (table_id 0x4E actual or 0x4F other; ETSI EN 300 468 5.2.4, ARIB STD-B10
/// 5.2.7): section 0 is the present event, section 1 the following one; `None` sends the
/// section without an event. last_section_number and segment_last_section_number are 1.
pub fn pf_section(
    table_id: u8,
    service_id: u16,
    tsid: u16,
    onid: u16,
    version: u8,
    section_number: u8,
    event: Option<&EventSpec>,
) -> Vec<u8> {
    let events: Vec<EventSpec> = event.into_iter().cloned().collect();
    eit_section(
        table_id,
        service_id,
        tsid,
        onid,
        version,
        section_number,
        1,
        1,
        table_id,
        &events,
    )
}

/// A TOT (table_id 0x73, CRC_32, empty descriptor loop) at `(mjd, hour, minute, second)`
/// (ETSI EN 300 468 5.2.6, ARIB STD-B10 5.2.9).
pub fn tot_section(mjd: u16, h: u8, m: u8, s: u8) -> Vec<u8> {
    let mut body = start_time(mjd, h, m, s).to_vec();
    body.extend_from_slice(&[0xF0, 0x00]);
    short_section(0x73, &body, true)
}

/// A stream cut into chunks at chosen points: sections on their PIDs (continuity counters
/// kept), TOTs on 0x0014, filler packets, framed at 188, 192 or 204 bytes. It starts with a few
/// filler packets so the reader locks before the first section.
#[derive(Debug, Clone)]
pub struct PfStream {
    stride: usize,
    packetizers: Vec<Packetizer>,
    filler_cc: u8,
    filler_seed: u32,
    current: Vec<RawPacket>,
    chunks: Vec<Vec<u8>>,
}

impl PfStream {
    /// An empty stream framed at `stride` (188, 192 or 204).
    pub fn new(stride: usize) -> Self {
        let mut s = PfStream {
            stride,
            packetizers: Vec::new(),
            filler_cc: 0,
            filler_seed: 0,
            current: Vec::new(),
            chunks: Vec::new(),
        };
        s.filler(8);
        s
    }

    /// Appends `section` on `pid` (starting in a fresh packet).
    pub fn section(&mut self, pid: u16, section: &[u8]) -> &mut Self {
        let i = match self.packetizers.iter().position(|p| p.pid == pid) {
            Some(i) => i,
            None => {
                self.packetizers.push(Packetizer::new(pid));
                self.packetizers.len() - 1
            }
        };
        let packets = self.packetizers[i].each(&[section.to_vec()]);
        self.current.extend(packets);
        self
    }

    /// Appends a p/f (or any EIT) section on the EIT PID 0x0012.
    pub fn eit(&mut self, section: &[u8]) -> &mut Self {
        self.section(0x12, section)
    }

    /// Appends a TOT at `(mjd, hour, minute, second)` on 0x0014.
    pub fn tot(&mut self, mjd: u16, h: u8, m: u8, s: u8) -> &mut Self {
        self.section(0x14, &tot_section(mjd, h, m, s))
    }

    /// Appends `n` filler (video) packets on PID 0x0100.
    pub fn filler(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.current
                .push(filler_packet(0x100, self.filler_cc, self.filler_seed));
            self.filler_cc = (self.filler_cc + 1) & 0x0F;
            self.filler_seed += 1;
        }
        self
    }

    /// Ends the current chunk (nothing happens when it is empty).
    pub fn cut(&mut self) -> &mut Self {
        if !self.current.is_empty() {
            let packets = std::mem::take(&mut self.current);
            self.chunks.push(frame(&packets, self.stride));
        }
        self
    }

    /// The chunks, the last one ended.
    pub fn chunks(&mut self) -> Vec<Vec<u8>> {
        self.cut();
        std::mem::take(&mut self.chunks)
    }

    /// The whole stream in one piece.
    pub fn bytes(&mut self) -> Vec<u8> {
        self.chunks().concat()
    }
}

/// A model event with only these fields set (empty strings and lists, no components, source
/// `schedule/actual`): the writers' tests build guides from it.
pub fn model_event(
    event_id: u16,
    start: Option<crate::epg::Timestamp>,
    duration: Option<u32>,
    title: &str,
) -> crate::epg::Event {
    crate::epg::Event {
        event_id,
        start,
        duration,
        title: title.to_owned(),
        text: String::new(),
        extended: Vec::new(),
        extended_text: String::new(),
        genres: Vec::new(),
        video: None,
        audio: Vec::new(),
        series: None,
        event_group: Vec::new(),
        data_content: None,
        parental_rating: Vec::new(),
        free_ca_mode: false,
        running_status: 0,
        sources: vec!["schedule/actual"],
        version_updated: false,
    }
}
