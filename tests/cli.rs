//! The `epgdump-rs` command: formats on the bundled sample (golden files), stdin/stdout, legacy
//! argument forms, exit statuses and messages, atomic output, merging inputs, --until-complete.
//! `EPGDUMP_UPDATE_GOLDEN=1 cargo test --test cli` rewrites the golden files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");
const SAMPLE: &str = "testdata/sample-bs.ts";

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run epgdump-rs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

fn golden(name: &str, got: &[u8]) {
    let path = Path::new("testdata/golden").join(name);
    if std::env::var_os("EPGDUMP_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all("testdata/golden").expect("mkdir");
        std::fs::write(&path, got).expect("write golden");
        eprintln!("updated {}", path.display());
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|_| panic!("{} missing", path.display()));
    assert!(want == got, "{} differs from the output", path.display());
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn sample_is_what_the_builder_makes() {
    let committed = std::fs::read(SAMPLE).expect("sample");
    assert_eq!(
        committed,
        epgdump::testsupport::sample_bs_stream(),
        "run `cargo run --example make_testdata`"
    );
}

#[test]
fn every_format_on_the_sample_matches_its_golden_file() {
    let dir = tmpdir("formats");
    for (format, name) in [
        ("xmltv", "cli-sample-bs.xml"),
        ("json", "cli-sample-bs.json"),
        ("jsonl", "cli-sample-bs.jsonl"),
        ("epgdump-xml", "cli-sample-bs.epgdump.xml"),
    ] {
        let out = dir.join(name);
        let o = run(&["--format", format, SAMPLE, out.to_str().unwrap()]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        golden(name, &std::fs::read(&out).expect("output"));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("cli-sample-bs.json")).unwrap())
            .expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(3));
    let jsonl = std::fs::read_to_string(dir.join("cli-sample-bs.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 56);
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        for k in [
            "onid",
            "tsid",
            "sid",
            "event_id",
            "channel",
            "service_name",
            "start",
            "duration",
            "title",
            "text",
            "extended",
            "genres",
            "video",
            "audio",
            "series",
            "event_group",
            "free_ca_mode",
        ] {
            assert!(v.get(k).is_some(), "missing {k}");
        }
    }
}

#[test]
fn stdin_to_stdout_equals_file_to_file() {
    let dir = tmpdir("stdio");
    let out = dir.join("a.xml");
    assert!(run(&[SAMPLE, out.to_str().unwrap()]).status.success());
    let o = run_stdin(&["-", "-"], &std::fs::read(SAMPLE).unwrap());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, std::fs::read(&out).unwrap());
}

#[test]
fn legacy_forms() {
    let dir = tmpdir("legacy");
    let out = dir.join("bs.xml");
    let o = run(&["/BS", SAMPLE, out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains(r#"<channel id="BS_101""#));
    assert!(xml.contains("<category_middle"), "epgdump XML dialect");
    let o = run(&["GR27", SAMPLE, out.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains(r#"channel id="GR27_101""#));
    let json = dir.join("o.json");
    assert!(run(&["json", SAMPLE, json.to_str().unwrap()])
        .status
        .success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v[0]["id"], "BS_101");
    assert!(v[0]["programs"][0]["start"].as_i64().unwrap() > 1_700_000_000_000);
}

#[test]
fn exit_statuses_and_messages() {
    let dir = tmpdir("exit");
    let out = dir.join("o.xml");
    let out_s = out.to_str().unwrap();
    // 1: missing input, named.
    let o = run(&["/no/such/file.ts", out_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/file.ts"), "{}", stderr(&o));
    // 1: not a transport stream (a PNG-like file), one line.
    let png = dir.join("x.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(&png, &bytes).unwrap();
    let o = run(&[png.to_str().unwrap(), out_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not an MPEG transport stream"));
    assert_eq!(stderr(&o).lines().count(), 1);
    // 2: usage.
    assert_eq!(run(&[SAMPLE]).status.code(), Some(2));
    assert_eq!(
        run(&["--format", "nope", SAMPLE, out_s]).status.code(),
        Some(2)
    );
    // 3: a TS without EPG still gives a valid empty document.
    let no_epg = dir.join("video.ts");
    let packets: Vec<_> = (0..100)
        .map(|i| epgdump::testsupport::filler_packet(0x100, i as u8, i))
        .collect();
    std::fs::write(&no_epg, epgdump::testsupport::frame(&packets, 188)).unwrap();
    let o = run(&[no_epg.to_str().unwrap(), out_s]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no EPG"));
    let doc = std::fs::read_to_string(&out).unwrap();
    assert!(doc.starts_with("<?xml") && doc.trim_end().ends_with("</tv>"));
    // 4: output not writable.
    let o = run(&[SAMPLE, "/no/such/dir/o.xml"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("/no/such/dir/o.xml"));
    // --help documents the statuses.
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    assert!(help.contains("Exit status") && help.contains("3  no EPG"));
}

#[test]
fn failed_run_keeps_previous_output() {
    let dir = tmpdir("atomic");
    let out = dir.join("guide.xml");
    std::fs::write(&out, "previous guide").unwrap();
    let bad = dir.join("bad.ts");
    std::fs::write(&bad, vec![0u8; 50_000]).unwrap();
    let o = run(&[bad.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous guide");
    let o = run(&[SAMPLE, out.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("<tv"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn two_inputs_merge_into_one_guide() {
    use epgdump::testsupport::*;
    let dir = tmpdir("merge");
    // A second stream: one terrestrial service with one event.
    let ev = EventSpec {
        event_id: 1,
        start: start_time(60401, 9, 0, 0),
        duration: duration(1800),
        descriptors: short_event(&arib_encode("地域ニュース"), &[]),
    };
    let eit = eit_section(0x4E, 1024, 0x7FE0, 0x7FE0, 0, 0, 1, 0, 0x4E, &[ev]);
    let gr = dir.join("gr.ts");
    std::fs::write(&gr, frame(&Packetizer::new(0x12).pack(&[eit]), 188)).unwrap();
    let out = dir.join("all.xml");
    let o = run(&[
        "--stats=json",
        "-o",
        out.to_str().unwrap(),
        SAMPLE,
        gr.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(
        xml.contains(r#"channel id="101.4.bs""#) && xml.contains(r#"channel id="1024.32736.gr""#)
    );
    assert!(xml.contains("地域ニュース"));
    let stats: serde_json::Value = serde_json::from_slice(&o.stderr).expect("stats JSON");
    assert_eq!(stats["sections"]["by_table_id"]["0x4e"], 13);
}

#[test]
fn stats_json_only() {
    let o = run(&["--stats=json", SAMPLE]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON");
    for k in [
        "packet_size",
        "packets",
        "bytes",
        "sync_losses",
        "dropped_bytes",
        "cc_errors",
        "tei_packets",
        "scrambled_packets",
    ] {
        assert!(v[k].is_number(), "{k}");
    }
    for k in ["ok", "crc_errors", "too_long", "truncated"] {
        assert!(v["sections"][k].is_number(), "{k}");
    }
    assert_eq!(v["sections"]["by_table_id"]["0x50"], 48);
    assert_eq!(v["si"]["events"], 56);
}

#[test]
fn until_complete_stops_reading_a_live_pipe() {
    let mut data = std::fs::read(SAMPLE).unwrap();
    let filler: Vec<_> = (0..100_000u32)
        .map(|i| epgdump::testsupport::filler_packet(0x100, i as u8, i))
        .collect();
    data.extend(epgdump::testsupport::frame(&filler, 188));
    let o = run_stdin(&["--until-complete", "--stats=json", "-", "-"], &data);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stderr(&o);
    let v: serde_json::Value = serde_json::from_str(&text).expect("stats");
    assert!(
        v["bytes"].as_u64().unwrap() < data.len() as u64 / 2,
        "stopped early: {}",
        v["bytes"]
    );
    assert_eq!(v["si"]["events"], 56);
    assert!(String::from_utf8_lossy(&o.stdout).contains("</tv>"));
}

#[test]
fn service_filters() {
    let o = run(&["--services", "141", SAMPLE, "-"]);
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(xml.contains("141.4.bs") && !xml.contains("101.4.bs"));
    let o = run(&["--exclude-services", "141,181", SAMPLE, "-"]);
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(!xml.contains("141.4.bs") && xml.contains("101.4.bs"));
}

#[test]
fn closed_stdout_and_full_disk_give_a_message_and_status_4() {
    // stdout closed before anything is written (as `| head -c 0` would).
    let mut child = Command::new(BIN)
        .args([SAMPLE, "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    // A full disk.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let o = Command::new(BIN)
            .args([SAMPLE, "-"])
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    } else {
        eprintln!("skipped: /dev/full not available");
    }
}

#[test]
fn stats_json_on_stderr_stays_pure_json_when_events_are_left_out() {
    use epgdump::testsupport::*;
    let dir = tmpdir("purejson");
    let evs = [
        EventSpec {
            event_id: 1,
            start: start_time(60401, 9, 0, 0),
            duration: duration(600),
            descriptors: short_event(&arib_encode("ニュース"), &[]),
        },
        EventSpec {
            event_id: 2,
            start: [0xFF; 5],
            duration: duration(600),
            descriptors: short_event(&arib_encode("未定"), &[]),
        },
    ];
    let eit = eit_section(0x4E, 101, 0x4010, 4, 0, 0, 1, 0, 0x4E, &evs);
    let ts = dir.join("a.ts");
    std::fs::write(&ts, frame(&Packetizer::new(0x12).pack(&[eit]), 188)).unwrap();
    let o = run(&[
        "--stats=json",
        ts.to_str().unwrap(),
        dir.join("o.xml").to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&o.stderr).expect("stderr is only the stats JSON");
    assert_eq!(v["si"]["events"], 2);
    // Without --stats=json the note is shown.
    let o = run(&[ts.to_str().unwrap(), dir.join("o.xml").to_str().unwrap()]);
    assert!(stderr(&o).contains("undefined start"));
}
