//! `--until-complete` on a file reads the head and the tail (`job::head_tail`): the guide must
//! equal the whole-file guide wherever the head and the tail each hold a complete cycle and p/f
//! does not change in the skipped middle. Checked on the generated streams and on long builder
//! streams with version updates late, in the middle and cut by the end of the recording.

use epgdump::job::{dump, DumpOptions, Outcome};
use epgdump::output::{write_jsonl, OutputOptions};
use epgdump::testsupport::*;
use std::path::{Path, PathBuf};

const GENERATED: &str = "../shared/testdata/generated";

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
    let ranges: u64 = cold.inputs[0]
        .read_ranges
        .iter()
        .map(|r| r.end - r.start)
        .sum();
    assert!(cold.stats.bytes <= ranges && ranges - cold.stats.bytes < 204);
    cold
}

/// A stream of `cycles` guide cycles (about 1 MiB each), at version 2 from cycle `update`.
fn stream(cycles: u32, update: u32, stride: usize, cut_last: Option<usize>) -> Vec<u8> {
    cycle_stream(&CycleStream {
        cycles,
        update,
        stride,
        cut_last,
        ..CycleStream::default()
    })
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
        assert!(
            cold.stats.bytes * 4 < data.len() as u64,
            "read {} of {}",
            cold.stats.bytes,
            data.len()
        );
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
fn an_event_that_aired_and_left_in_the_skipped_middle_is_kept() {
    // Ten minutes a cycle: the clock passes 07:00 at cycle 18, so the 06:00–07:00 event that
    // leaves the schedule at cycle 20 had aired (whole file: kept). The tail starts right after
    // the TOT of cycle 20, so it sees the event leave before its own first TOT: the leaving must
    // be timed by the tail's clock (`begin_input`), not by the stale clock of the head.
    let dir = tmpdir("aired");
    let spec = CycleStream {
        cycle_seconds: 600,
        update: 20,
        ..CycleStream::default()
    };
    let data = cycle_stream(&spec);
    let p = write(&dir, "aired.ts", &data);
    let tots: Vec<usize> = (0..data.len() / 188)
        .map(|i| i * 188)
        .filter(|&o| (u16::from(data[o + 1] & 0x1F) << 8 | u16::from(data[o + 2])) == 0x14)
        .collect();
    assert_eq!(tots.len(), 24);
    let tail_start = (tots[20] + 188) as u64;
    let whole = run(&p, false);
    let opts = DumpOptions {
        until_complete: true,
        min_tail: data.len() as u64 - tail_start,
        ..DumpOptions::default()
    };
    let cold = dump(std::slice::from_ref(&p), &opts, &mut |_| {});
    assert_eq!(cold.inputs[0].read_ranges[1].start, tail_start);
    assert_eq!(jsonl(&cold), jsonl(&whole));
    assert!(jsonl(&cold).contains("番組2\""));
    assert!(cold.stats.si.changes.kept_aired_events >= 2);
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
fn a_tail_shorter_than_the_last_cycle_is_read_again_longer() {
    // Cycles of ~0.9 MiB, then cycles of ~3.6 MiB: the head is complete after 1 MiB, and the
    // tails of 1 and 2 MiB hold no complete cycle (the 2 MiB one misses service 101 entirely:
    // complete by itself, but short of a service the head saw); the third try (4 MiB) does.
    let dir = tmpdir("tries");
    let mut data = cycle_stream(&CycleStream {
        cycles: 10,
        update: 99,
        ..CycleStream::default()
    });
    data.extend(cycle_stream(&CycleStream {
        cycles: 6,
        update: 99,
        cycle_packets: 20_000,
        ..CycleStream::default()
    }));
    let p = write(&dir, "t.ts", &data);
    let cold = same_as_whole(&p);
    let rr = &cold.stats.read_ranges[0];
    assert_eq!(rr.ranges[0], [0, 1 << 20]);
    assert_eq!(rr.tail_tries, 3, "{rr:?}");
    // 4 MiB before the end, moved forward to the next packet.
    let want = data.len() as u64 - (4 << 20);
    assert!((want..want + 188).contains(&rr.ranges[1][0]), "{rr:?}");
    assert_eq!(rr.ranges[1][0] % 188, 0);
    assert_eq!(rr.ranges[1][1], data.len() as u64);
    let json = serde_json::to_value(&cold.stats).unwrap();
    assert_eq!(json["read_ranges"][0]["tail_tries"], 3);
    assert_eq!(
        json["read_ranges"][0]["ranges"].as_array().unwrap().len(),
        2
    );
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
        eprintln!(
            "{}: read {:?} of {}",
            p.display(),
            r,
            std::fs::metadata(&p).unwrap().len()
        );
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
    let o = dump(std::slice::from_ref(&p), &opts, &mut |_| {});
    assert_eq!(o.inputs[0].read_ranges.len(), 1);
    assert_eq!(o.inputs[0].read_ranges[0].start, 0);
    assert!(o.inputs[0].bytes < std::fs::metadata(&p).unwrap().len() / 4);
    assert!(o.stats.read_ranges.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_cli_reads_a_file_in_parts_and_says_so() {
    const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");
    let dir = tmpdir("cli");
    // 22 MB: the 8 MiB shortest tail and a 1 MiB head leave the middle unread.
    let p = write(&dir, "rec.ts", &stream(24, 21, 188, None));
    let path = p.to_str().unwrap();
    let out = |args: &[&str]| std::process::Command::new(BIN).args(args).output().unwrap();
    let whole = out(&["--format", "jsonl", "-o", "-", path]);
    let cold = out(&[
        "--format",
        "jsonl",
        "--until-complete",
        "--stats=json",
        "-o",
        "-",
        path,
    ]);
    assert_eq!(whole.status.code(), Some(0));
    assert_eq!(cold.status.code(), Some(0));
    assert_eq!(cold.stdout, whole.stdout);
    let err = String::from_utf8_lossy(&cold.stderr);
    assert!(
        err.contains("--until-complete read the head (bytes 0-1048576) and the tail"),
        "{err}"
    );
    assert!(err.contains("bytes in the middle skipped"), "{err}");
    let json_start = err.find('{').unwrap();
    let stats: serde_json::Value = serde_json::from_str(&err[json_start..]).unwrap();
    let rr = &stats["read_ranges"][0];
    assert_eq!(rr["input"], 0);
    assert_eq!(rr["size"], 22_560_000);
    assert_eq!(rr["ranges"][0], serde_json::json!([0, 1_048_576]));
    assert_eq!(rr["ranges"][1][1], 22_560_000);
    assert!(stats["bytes"].as_u64().unwrap() < 11 << 20);
    let quiet = out(&[
        "-q",
        "--format",
        "jsonl",
        "--until-complete",
        "-o",
        "-",
        path,
    ]);
    assert!(quiet.stderr.is_empty());
    assert_eq!(quiet.stdout, whole.stdout);
    // Read whole, the stats have no read_ranges key.
    let plain = out(&["--format", "jsonl", "--stats=json", "-o", "-", path]);
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("read_ranges"));
    std::fs::remove_dir_all(&dir).unwrap();
}
