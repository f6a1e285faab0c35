//! Long streams of repeated guide cycles with a version update at a chosen cycle: for the
//! `--until-complete` head-and-tail tests (`tests/cold.rs`) and the cold-read bench
//! (`benches/cold.sh`, `examples/make_cold_stream.rs`).
//!
//! Each cycle is SDT, TOT (advancing [`CycleStream::cycle_seconds`] a cycle) and the EIT of
//! every service (p/f and four 4-event schedule segments of table 0x50), spread evenly over
//! [`CycleStream::cycle_packets`] packets of video filler. From cycle
//! [`CycleStream::update`] on, the schedule is at version 2: the 6th event of each service is
//! renamed ("【内容変更】…"), the 10th replaced by a new event (the old one withdrawn; it
//! never aired) and the 3rd (06:00–07:00) leaves the schedule with nothing in its place: kept
//! as aired when the clock had passed its end when it left, withdrawn otherwise. p/f (the
//! first two events) never changes.

use super::{
    arib_encode, duration, eit_section, filler_packet, frame, sdt_section, service_descriptor,
    short_event, short_section, start_time, EventSpec, Packetizer, RawPacket,
};

const ONID: u16 = 4;
const TSID: u16 = 0x4010;
const MJD: u16 = 60401;

/// What [`cycle_stream`] writes.
#[derive(Debug, Clone)]
pub struct CycleStream {
    /// Cycles in the stream.
    pub cycles: u32,
    /// The first cycle at version 2 (`>= cycles`: no update).
    pub update: u32,
    /// Services (service_id 101, 102, …).
    pub services: u16,
    /// Packets per cycle, SI included.
    pub cycle_packets: usize,
    /// Stream seconds per cycle (the TOT step).
    pub cycle_seconds: u32,
    /// Packet framing: 188, 192 or 204.
    pub stride: usize,
    /// Keep only the first this many EIT packets of the last cycle, and no filler after them
    /// (a recording that stops while a new version is sent).
    pub cut_last: Option<usize>,
}

impl Default for CycleStream {
    fn default() -> Self {
        CycleStream {
            cycles: 24,
            update: 21,
            services: 2,
            cycle_packets: 5_000,
            cycle_seconds: 10,
            stride: 188,
            cut_last: None,
        }
    }
}

fn bcd(v: u32) -> u8 {
    (((v / 10) << 4) | (v % 10)) as u8
}

/// The TOT at `seconds` after 04:00:00 of the stream's day.
fn tot(seconds: u32) -> Vec<u8> {
    let t = 4 * 3600 + seconds;
    let [a, b] = MJD.to_be_bytes();
    let body = [
        a,
        b,
        bcd(t / 3600),
        bcd(t / 60 % 60),
        bcd(t % 60),
        0xF0,
        0x00,
    ];
    short_section(0x73, &body, true)
}

fn event(id: u16, hour: u32, title: &str) -> EventSpec {
    EventSpec {
        event_id: id,
        start: start_time(MJD, (4 + hour) as u8, 0, 0),
        duration: duration(3600),
        descriptors: short_event(&arib_encode(title), &arib_encode("内容")),
    }
}

/// The 16 hourly events of service `sid` at `version`.
fn events(sid: u16, version: u8) -> Vec<EventSpec> {
    (0..16u32)
        .filter(|h| version != 2 || *h != 2)
        .map(|h| {
            let id = sid * 100 + h as u16;
            match (version, h) {
                (2, 5) => event(id, h, "【内容変更】新番組"),
                (2, 9) => event(id + 50, h, "差し替え特番"),
                _ => event(id, h, &format!("番組{h}")),
            }
        })
        .collect()
}

/// The EIT sections of one cycle.
fn eit_cycle(services: u16, version: u8) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for sid in (0..services).map(|k| 101 + k) {
        let ev = events(sid, version);
        for n in 0..2usize {
            out.push(eit_section(
                0x4E,
                sid,
                TSID,
                ONID,
                1,
                n as u8,
                1,
                1,
                0x4E,
                &ev[n..n + 1],
            ));
        }
        for seg in 0..4usize {
            let n = seg as u8 * 8;
            out.push(eit_section(
                0x50,
                sid,
                TSID,
                ONID,
                version,
                n,
                24,
                n,
                0x50,
                &ev[(seg * 4).min(ev.len())..(seg * 4 + 4).min(ev.len())],
            ));
        }
    }
    out
}

/// Writes the stream `spec` describes to `out`, cycle by cycle (a 4 GiB stream never sits in
/// memory). Returns the bytes written.
pub fn write_cycle_stream(
    spec: &CycleStream,
    out: &mut impl std::io::Write,
) -> std::io::Result<u64> {
    let mut eit = Packetizer::new(0x12);
    let mut sdt = Packetizer::new(0x11);
    let mut totp = Packetizer::new(0x14);
    let names: Vec<(u16, bool, Vec<u8>)> = (0..spec.services)
        .map(|k| {
            let sid = 101 + k;
            let name = arib_encode(&format!("ＢＳ{sid}"));
            (sid, true, service_descriptor(1, &arib_encode("局"), &name))
        })
        .collect();
    let sdt_section = sdt_section(0x42, TSID, ONID, 1, &names);
    let mut video_cc = 0u8;
    let mut written = 0u64;
    for k in 0..spec.cycles {
        let mut si = sdt.pack(std::slice::from_ref(&sdt_section));
        si.extend(totp.pack(&[tot(k * spec.cycle_seconds)]));
        let version = if k >= spec.update { 2 } else { 1 };
        let mut e = eit.pack(&eit_cycle(spec.services, version));
        let last = k + 1 == spec.cycles;
        if let (true, Some(n)) = (last, spec.cut_last) {
            e.truncate(n);
        }
        si.extend(e);
        let total = spec.cycle_packets.max(si.len());
        let mut packets: Vec<RawPacket> = Vec::with_capacity(total);
        let mut next = 0usize;
        for i in 0..total {
            // SI packet j goes at j × total / si.len(): evenly spread.
            if next < si.len() && i >= next * total / si.len() {
                packets.push(si[next]);
                next += 1;
            } else if last && spec.cut_last.is_some() && next >= si.len() {
                break;
            } else {
                video_cc = (video_cc + 1) & 0x0F;
                packets.push(filler_packet(
                    0x100,
                    video_cc,
                    (u64::from(k) * total as u64 + i as u64) as u32,
                ));
            }
        }
        let bytes = frame(&packets, spec.stride);
        out.write_all(&bytes)?;
        written += bytes.len() as u64;
    }
    Ok(written)
}

/// [`write_cycle_stream`] into memory.
pub fn cycle_stream(spec: &CycleStream) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = write_cycle_stream(spec, &mut v);
    v
}
