//! Inputs as a recording system meets them, through the binary: a bad input among good ones,
//! inputs that never hold a packet (`/dev/zero`, `/dev/urandom`), a tuner pipe that stalls (with
//! `--time-limit` and with `--idle-timeout`), and the statuses that say "written, but": some
//! inputs failed (5), incomplete or capped (6).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");
const SAMPLE: &str = "testdata/sample-bs.ts";

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
    let d = std::env::temp_dir().join(format!("epgdump-inputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Waits for `child` with a generous safety net (a hang fails the test instead of the suite).
fn wait_bounded(mut child: Child) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("epgdump-rs hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_bad_input_among_good_ones_is_named_and_skipped() {
    let dir = tmpdir("bad-among-good");
    let junk = dir.join("junk.ts");
    std::fs::write(&junk, b"this is not a transport stream".repeat(100)).unwrap();
    let out = dir.join("all.xml");
    let missing = dir.join("missing.ts");
    let o = run(&["-o", s(&out), s(&missing), SAMPLE, s(&junk)]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains(s(&missing)) && e.contains(s(&junk)), "{e}");
    assert!(e.contains("not an MPEG transport stream"), "{e}");
    assert_eq!(e.lines().count(), 2, "{e}");
    let xml = std::fs::read_to_string(&out).unwrap();
    assert_eq!(xml.matches("<programme ").count(), 56);
    // No input readable: status 1 and the previous guide untouched.
    std::fs::write(&out, "previous guide").unwrap();
    let o = run(&["-o", s(&out), s(&missing), s(&junk)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous guide");
}

#[test]
fn endless_input_without_packets_ends_as_not_a_transport_stream() {
    let dir = tmpdir("endless");
    for dev in ["/dev/zero", "/dev/urandom"] {
        if !Path::new(dev).exists() {
            eprintln!("skipped: {dev} not available");
            continue;
        }
        let out = dir.join("o.xml");
        let child = Command::new(BIN)
            .args([dev, s(&out)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = wait_bounded(child);
        assert_eq!(o.status.code(), Some(1), "{dev}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not an MPEG transport stream"),
            "{}",
            stderr(&o)
        );
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn a_stream_that_loses_its_packets_for_good_stops_and_keeps_its_guide() {
    let dir = tmpdir("lost-sync");
    // The sample, then 70 MiB of zeros (a sparse hole): as `cat rec.ts /dev/zero` would give.
    let rec = dir.join("rec.ts");
    std::fs::copy(SAMPLE, &rec).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(&rec).unwrap();
    f.set_len(f.metadata().unwrap().len() + (70 << 20)).unwrap();
    let out = dir.join("o.xml");
    let o = run(&[s(&rec), s(&out)]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("no MPEG transport stream packets in the 67108864 bytes from byte 0"),
        "{e}"
    );
    assert!(e.contains("keeps what was read"), "{e}");
    let xml = std::fs::read_to_string(&out).unwrap();
    assert_eq!(xml.matches("<programme ").count(), 56);
}

/// Starts the binary on a pipe that delivers `data` and then stalls (stays open, silent).
fn stalled_pipe(args: &[&str], data: &[u8]) -> (Child, std::process::ChildStdin) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(data).unwrap();
    stdin.flush().unwrap();
    (child, stdin)
}

/// The first cycle of the sample cut short: two services' schedules are incomplete.
fn partial_sample() -> Vec<u8> {
    let data = std::fs::read(SAMPLE).unwrap();
    data[..30_000 / 188 * 188].to_vec()
}

#[test]
fn a_stalled_pipe_stops_at_the_time_limit_in_wall_time() {
    let (child, stdin) = stalled_pipe(&["--time-limit", "1", "-", "-"], &partial_sample());
    let o = wait_bounded(child);
    drop(stdin);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("incomplete guide") && e.contains("time limit"),
        "{e}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("</tv>"));
    // The same with --until-complete.
    let (child, stdin) = stalled_pipe(
        &["--until-complete", "--time-limit", "1", "-", "-"],
        &partial_sample(),
    );
    let o = wait_bounded(child);
    drop(stdin);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("<programme "));
}

#[test]
fn a_stalled_pipe_stops_at_the_idle_timeout() {
    let (child, stdin) = stalled_pipe(&["--idle-timeout", "1", "-", "-"], &partial_sample());
    let o = wait_bounded(child);
    drop(stdin);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("no data for 1 s"), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("<programme "));
    // A FIFO that no process ever writes to: its open blocks, and still the run goes on.
    let dir = tmpdir("fifo-input");
    let fifo = dir.join("tuner.fifo");
    assert!(Command::new("mkfifo")
        .arg(s(&fifo))
        .status()
        .unwrap()
        .success());
    let child = Command::new(BIN)
        .args(["--idle-timeout", "1", "-o", "-", SAMPLE, s(&fifo)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_bounded(child);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no data arrived for 1 s"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .matches("<programme ")
            .count(),
        56
    );
    // A guide that is complete when the pipe stalls is simply written.
    let (child, stdin) = stalled_pipe(
        &["--idle-timeout", "1", "-", "-"],
        &std::fs::read(SAMPLE).unwrap(),
    );
    let o = wait_bounded(child);
    drop(stdin);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn until_complete_that_never_completes_says_so() {
    let dir = tmpdir("never-complete");
    let part = dir.join("part.ts");
    std::fs::write(&part, partial_sample()).unwrap();
    let out = dir.join("o.xml");
    let o = run(&["--until-complete", s(&part), s(&out)]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 of 2 services complete"),
        "{}",
        stderr(&o)
    );
    // --quiet keeps stderr empty but not the status.
    let o = run(&["-q", "--until-complete", s(&part), s(&out)]);
    assert_eq!(o.status.code(), Some(6));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    // Without --until-complete a short recording is what it is.
    assert_eq!(run(&[s(&part), s(&out)]).status.code(), Some(0));
}

#[test]
fn an_until_complete_stop_drops_and_truncates_nothing() {
    let mut data = std::fs::read(SAMPLE).unwrap();
    let filler: Vec<_> = (0..20_000u32)
        .map(|i| epgdump::testsupport::filler_packet(0x100, i as u8, i))
        .collect();
    data.extend(epgdump::testsupport::frame(&filler, 188));
    let mut child = Command::new(BIN)
        .args(["--until-complete", "--stats=json", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // Odd-sized writes, so reads end inside packets and sections.
        for c in data.chunks(10_007) {
            if stdin.write_all(c).is_err() {
                break;
            }
        }
    });
    let o = wait_bounded(child);
    let _ = writer.join();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("stats");
    assert_eq!(v["dropped_bytes"], 0);
    assert_eq!(v["sections"]["truncated"], 0);
    assert_eq!(
        v["bytes"].as_u64().unwrap() % 188,
        0,
        "only whole packets read"
    );
}

#[test]
fn a_cap_that_refuses_services_is_status_6_with_one_line() {
    use epgdump::testsupport::*;
    let dir = tmpdir("capped");
    // One more service than the collector keeps (4096).
    let sections: Vec<Vec<u8>> = (0..4097u16)
        .map(|sid| {
            let ev = EventSpec {
                event_id: 1,
                start: start_time(60401, 9, 0, 0),
                duration: duration(600),
                descriptors: short_event(&arib_encode("ニュース"), &[]),
            };
            eit_section(0x4E, sid + 1, 0x7FE0, 0x7FE0, 0, 0, 0, 0, 0x4E, &[ev])
        })
        .collect();
    let ts = dir.join("many.ts");
    std::fs::write(&ts, frame(&Packetizer::new(0x12).pack(&sections), 188)).unwrap();
    let out = dir.join("o.xml");
    let o = run(&[s(&ts), s(&out)]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("capped guide") && e.contains("refused"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("</tv>"));
}

#[test]
fn help_documents_the_new_statuses() {
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    assert!(help.contains("5  the guide was written, but some inputs failed"));
    assert!(help.contains("6  the guide was written, but it is incomplete"));
    assert!(help.contains("--idle-timeout"));
}
