//! Several inputs are read in stream-time order into one collector (issue 10, item 6): the
//! halves of a stream, given to `-o` in either order, give the guide of the whole stream, also
//! when the later half carries a newer version of a section. Inputs without a clock follow the
//! clocked ones in argument order.

use epgdump::testsupport::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run epgdump-rs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-merge-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const SID: u16 = 1024;
const NET: u16 = 0x7FE0;
const MJD: u16 = 60401;

fn tot(h: u8, m: u8) -> Vec<u8> {
    let t = start_time(MJD, h, m, 0);
    short_section(0x73, &[t[0], t[1], t[2], t[3], t[4], 0xF0, 0x00], true)
}

fn event(id: u16, h: u8, minutes: u32, title: &str) -> EventSpec {
    EventSpec {
        event_id: id,
        start: start_time(MJD, h, 0, 0),
        duration: duration(minutes * 60),
        descriptors: short_event(&arib_encode(title), &arib_encode("番組の内容")),
    }
}

/// One schedule section (table 0x50, section 0) of version `version` listing `events`.
fn schedule(version: u8, events: &[EventSpec]) -> Vec<u8> {
    eit_section(0x50, SID, NET, NET, version, 0, 0, 0, 0x50, events)
}

/// The first half of a recording: clock 09:00, the schedule at version 3. The second half:
/// clock 09:30, version 4, where the drama runs long and its title changed.
fn halves() -> (Vec<u8>, Vec<u8>) {
    halves_with_gap(0)
}

/// [`halves`] with `gap` video packets in each half between the clock and the schedule.
fn halves_with_gap(gap: usize) -> (Vec<u8>, Vec<u8>) {
    let sdt = sdt_section(
        0x42,
        NET,
        NET,
        1,
        &[(
            SID,
            true,
            service_descriptor(1, &arib_encode("局"), &arib_encode("テレビ")),
        )],
    );
    let v3 = schedule(
        3,
        &[
            event(1, 9, 60, "朝のニュース"),
            event(2, 10, 60, "ドラマ"),
            event(3, 11, 60, "昼の情報"),
        ],
    );
    let v4 = schedule(
        4,
        &[
            event(1, 9, 60, "朝のニュース"),
            event(2, 10, 90, "ドラマ（延長）"),
            event(3, 11, 60, "昼の情報"),
        ],
    );
    let mut si = Packetizer::new(0x11);
    let mut clock = Packetizer::new(0x14);
    let mut eit = Packetizer::new(0x12);
    let mut first = Vec::new();
    let mut second = Vec::new();
    for (out, t, section) in [(&mut first, tot(9, 0), &v3), (&mut second, tot(9, 30), &v4)] {
        let mut packets = clock.pack(&[t]);
        packets.extend(si.pack(std::slice::from_ref(&sdt)));
        packets.extend((0..gap).map(|i| filler_packet(0x200, i as u8, i as u32)));
        for _ in 0..3 {
            packets.extend(eit.pack(std::slice::from_ref(section)));
        }
        *out = frame(&interleave(&packets, 0.5, 0x100), 188);
    }
    (first, second)
}

fn jsonl(args: &[&str]) -> String {
    let mut all = vec!["--format", "jsonl"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn halves_merged_in_either_order_equal_the_whole() {
    let dir = tmpdir("halves");
    let (first, second) = halves();
    let a = dir.join("a-first.ts");
    let b = dir.join("b-second.ts");
    let whole = dir.join("whole.ts");
    std::fs::write(&a, &first).unwrap();
    std::fs::write(&b, &second).unwrap();
    std::fs::write(&whole, [first, second].concat()).unwrap();
    let want = jsonl(&[s(&whole), "-"]);
    assert!(
        want.contains("ドラマ（延長）"),
        "the newer version wins: {want}"
    );
    assert!(!want.contains("\"title\":\"ドラマ\""));
    assert_eq!(want.lines().count(), 3);
    assert_eq!(jsonl(&["-o", "-", s(&a), s(&b)]), want, "oldest first");
    assert_eq!(jsonl(&["-o", "-", s(&b), s(&a)]), want, "newest first");
    // The counters of both inputs are summed.
    let o = run(&["--stats=json", "-o", s(&dir.join("o.xml")), s(&b), s(&a)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("stats JSON");
    let len = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert_eq!(v["bytes"].as_u64().unwrap(), len(&a) + len(&b));
    assert_eq!(v["sections"]["by_table_id"]["0x50"], 6);
    assert_eq!(v["si"]["events"], 3);
}

#[test]
fn an_input_without_a_clock_is_read_after_the_clocked_ones() {
    let dir = tmpdir("unclocked");
    let (first, second) = halves();
    // The second half without its TOT: no clock, so it is read last whatever its position,
    // and, being last, its newer version still wins.
    let unclocked: Vec<u8> = second
        .chunks(188)
        .filter(|p| (u16::from(p[1] & 0x1F) << 8 | u16::from(p[2])) != 0x14)
        .flatten()
        .copied()
        .collect();
    let a = dir.join("a.ts");
    let b = dir.join("b.ts");
    std::fs::write(&a, &first).unwrap();
    std::fs::write(&b, &unclocked).unwrap();
    let got = jsonl(&["-o", "-", s(&b), s(&a)]);
    assert!(got.contains("ドラマ（延長）"), "{got}");
    assert_eq!(jsonl(&["-o", "-", s(&a), s(&b)]), got);
}

#[test]
fn until_complete_with_several_inputs_reads_each_until_its_own_cycle_is_complete() {
    let dir = tmpdir("until-complete");
    // Each half holds 3 MiB of video before its schedule, more than is read between two checks.
    let (first, second) = halves_with_gap(2 << 20 >> 7);
    let a = dir.join("a.ts");
    let b = dir.join("b.ts");
    std::fs::write(&a, &first).unwrap();
    std::fs::write(&b, &second).unwrap();
    // The guide is complete after the first input; the second is still read (until its own
    // schedule is complete), so its newer version is not skipped.
    let got = jsonl(&["--until-complete", "-o", "-", s(&b), s(&a)]);
    assert!(got.contains("ドラマ（延長）"), "{got}");
}
