//! `--until-complete` on a file reads the head and the tail (`job::head_tail`): the guide must
//! equal the whole-file guide wherever the head and the tail each hold a complete cycle and p/f
//! does not change in the skipped middle. Checked on the generated streams and on long builder
//! streams with version updates late, in the middle and cut by the end of the recording.

use epgdump::job::{dump, DumpOptions, Outcome};
use epgdump::output::{write_jsonl, OutputOptions};
use epgdump::testsupport::*;
use std::path::{Path, PathBuf};

const GENERATED: &str = "../shared/testdata/generated";
const ONID: u16 = 4;
const TSID: u16 = 0x4010;
const MJD: u16 = 60401;

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-cold-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(path: &Path, until_complete: bool) -> Outcome {
    let opts = DumpOptions {
        until_complete,
        // Read small files in parts: the tail is max(head, this).
        min_tail: 0,
        ..DumpOptions::default()
    };
    dump(&[path.to_path_buf()], &opts, &mut |_| {})
}

fn jsonl(o: &Outcome) -> String {
    let mut v = Vec::new();
    write_jsonl(&o.epg, &OutputOptions::default(), &mut v).unwrap();
    String::from_utf8(v).unwrap()
}

/// Reads `path` whole and head+tail; asserts the same guide; returns the head+tail outcome.
fn same_as_whole(path: &Path) -> Outcome {
    let whole = run(path, false);
    let cold = run(path, true);
    assert!(whole.inputs[0].error.is_none() && cold.inputs[0].error.is_none());
    assert!(!whole.epg.services.is_empty());
    assert_eq!(jsonl(&cold), jsonl(&whole), "{}", path.display());
    // The bytes read are those of the ranges, less the packet the head's stop cut.
    let ranges: u64 = cold.inputs[0].read_ranges.iter().map(|r| r.end - r.start).sum();
    assert!(cold.stats.bytes <= ranges && ranges - cold.stats.bytes < 204);
    cold
}

fn bcd(v: u32) -> u8 {
    (((v / 10) << 4) | (v % 10)) as u8
}

/// The TOT at `seconds` after 04:00:00 on MJD.
fn tot(seconds: u32) -> Vec<u8> {
    let t = 4 * 3600 + seconds;
    let [a, b] = MJD.to_be_bytes();
    let body = [a, b, bcd(t / 3600), bcd(t / 60 % 60), bcd(t % 60), 0xF0, 0x00];
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

/// The events of service `sid` at `version`: 16 hours from 04:00; version 2 renames the 6th
/// and replaces the 10th (withdrawn, never aired) by a new event.
fn events(sid: u16, version: u8) -> Vec<EventSpec> {
    (0..16u32)
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

/// The EIT sections of one cycle: p/f (the first two events) and four 4-event schedule
/// segments (0x50), every sub-table at `version` (p/f stays at version 1: it never changes).
fn eit_cycle(version: u8) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for sid in [101u16, 102] {
        let ev = events(sid, version);
        for n in 0..2u8 {
            out.push(eit_section(0x4E, sid, TSID, ONID, 1, n, 1, 1, 0x4E, &ev[n as usize..n as usize + 1]));
        }
        for seg in 0..4u8 {
            let n = seg * 8;
            let part = &ev[seg as usize * 4..seg as usize * 4 + 4];
            out.push(eit_section(0x50, sid, TSID, ONID, version, n, 24, n, 0x50, part));
        }
    }
    out
}

/// `cycles` cycles of SDT, TOT (10 s apart) and EIT, the EIT at version 2 from cycle
/// `update` on, each cycle interleaved with video so SI is 0.2 % of the packets (a cycle is about 1 MiB); framed at
/// `stride`. `cut_last` keeps only the first packets of the last cycle's EIT.
fn stream(cycles: u32, update: u32, stride: usize, cut_last: Option<usize>) -> Vec<u8> {
    let mut eit = Packetizer::new(0x12);
    let mut sdt = Packetizer::new(0x11);
    let mut totp = Packetizer::new(0x14);
    let services: Vec<(u16, bool, Vec<u8>)> = [101u16, 102]
        .iter()
        .map(|s| (*s, true, service_descriptor(1, &arib_encode("局"), &arib_encode(&format!("ＢＳ{s}")))))
        .collect();
    let sdt_section = sdt_section(0x42, TSID, ONID, 1, &services);
    let mut all = Vec::new();
    for k in 0..cycles {
        let mut packets = sdt.pack(std::slice::from_ref(&sdt_section));
        packets.extend(totp.pack(&[tot(k * 10)]));
        let mut e = eit.pack(&eit_cycle(if k >= update { 2 } else { 1 }));
        if k + 1 == cycles {
            if let Some(n) = cut_last {
                e.truncate(n);
            }
        }
        packets.extend(e);
        all.extend(interleave(&packets, 0.002, 0x100));
    }
    frame(&all, stride)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_late_update_is_read_from_the_tail_and_the_middle_is_skipped() {
    let dir = tmpdir("late");
    for stride in [188, 192, 204] {
        let data = stream(24, 21, stride, None);
        let p = write(&dir, &format!("late-{stride}.ts"), &data);
        let cold = same_as_whole(&p);
        let r = &cold.inputs[0].read_ranges;
        assert_eq!(r.len(), 2, "head and tail: {r:?}");
        assert_eq!(r[1].end, data.len() as u64);
        assert!(cold.stats.bytes * 4 < data.len() as u64, "read {} of {}", cold.stats.bytes, data.len());
        let rr = &cold.stats.read_ranges[0];
        assert_eq!(rr.skipped_bytes, r[1].start - r[0].end);
        assert_eq!(rr.size, data.len() as u64);
        // The tail starts on a packet: the cut costs no dropped bytes, no truncated section.
        assert_eq!(cold.stats.dropped_bytes, 0, "stride {stride}");
        assert_eq!(cold.stats.sync_losses, 0);
        assert!(cold.complete);
        // The update is in the guide: renamed, replaced, withdrawn.
        let text = jsonl(&cold);
        assert!(text.contains("【内容変更】新番組") && text.contains("差し替え特番"));
        assert!(!text.contains("番組9\""), "the replaced event is withdrawn");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_update_in_the_skipped_middle_is_seen_at_the_tail() {
    let dir = tmpdir("middle");
    let p = write(&dir, "mid.ts", &stream(24, 12, 188, None));
    let cold = same_as_whole(&p);
    assert_eq!(cold.inputs[0].read_ranges.len(), 2);
    assert!(jsonl(&cold).contains("【内容変更】新番組"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_tail_without_a_complete_cycle_grows_until_it_reads_the_whole_file() {
    let dir = tmpdir("cut");
    // The recording stops while version 2 is being sent: no tail holds version 2 whole.
    let p = write(&dir, "cut.ts", &stream(24, 23, 188, Some(6)));
    let cold = same_as_whole(&p);
    let size = std::fs::metadata(&p).unwrap().len();
    assert_eq!(cold.inputs[0].read_ranges, vec![0..size], "read whole");
    assert!(cold.stats.read_ranges.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_tail_that_needs_a_second_try_says_so() {
    let dir = tmpdir("tries");
    let p = write(&dir, "t.ts", &stream(24, 21, 188, None));
    let cold = run(&p, true);
    let rr = &cold.stats.read_ranges[0];
    // The head needed one cycle; a tail of that length ending anywhere but on a cycle's end
    // misses a section, so the tail is read again twice as long.
    assert!(rr.tail_tries >= 1);
    let json = serde_json::to_value(&cold.stats).unwrap();
    assert_eq!(json["read_ranges"][0]["ranges"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generated_streams_give_the_whole_file_guide() {
    let dir = Path::new(GENERATED);
    if !dir.exists() {
        eprintln!("skipped: {GENERATED} not found");
        return;
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for p in names {
        let cold = same_as_whole(&p);
        let r = &cold.inputs[0].read_ranges;
        eprintln!("{}: read {:?} of {}", p.display(), r, std::fs::metadata(&p).unwrap().len());
    }
}

#[test]
fn a_pipe_is_not_read_in_parts() {
    // Streams keep stopping at the first complete cycle: nothing to seek to.
    let dir = tmpdir("pipe");
    let p = write(&dir, "s.ts", &stream(12, 30, 188, None));
    let opts = DumpOptions {
        until_complete: true,
        min_tail: 0,
        idle_timeout: epgdump::job::IdleTimeout::After(std::time::Duration::from_secs(60)),
        ..DumpOptions::default()
    };
    // An explicit idle timeout reads the file as a stream.
    let o = dump(&[p.clone()], &opts, &mut |_| {});
    assert_eq!(o.inputs[0].read_ranges.len(), 1);
    assert_eq!(o.inputs[0].read_ranges[0].start, 0);
    assert!(o.inputs[0].bytes < std::fs::metadata(&p).unwrap().len() / 4);
    assert!(o.stats.read_ranges.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
