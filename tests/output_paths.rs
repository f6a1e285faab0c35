//! The output-path rules, as the binary is used by a recording system running as root: a device
//! node, a FIFO, symlinks (dangling too), a 0640 file of another owner, `/dev/stdout`, a closed
//! stdout, input == output in every form, stale temporary files, and signals during the write.

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
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
    let d = std::env::temp_dir().join(format!("epgdump-paths-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Sends `sig` to process `pid`.
fn send_signal(pid: u32, sig: i32) {
    let pid = i32::try_from(pid).expect("pid");
    // SAFETY: kill(2) has no memory-safety preconditions.
    let r = unsafe { libc::kill(pid, sig) };
    assert_eq!(r, 0, "kill {pid} {sig}");
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn temp_files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

/// The guide of the sample, as written to a plain new file (once, for every test).
fn sample_guide() -> Vec<u8> {
    static GUIDE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    GUIDE
        .get_or_init(|| {
            let dir = tmpdir("reference");
            let out = dir.join("ref.xml");
            assert!(run(&[SAMPLE, s(&out)]).status.success());
            std::fs::read(&out).unwrap()
        })
        .clone()
}

#[test]
fn a_device_node_is_written_directly_and_stays_a_device() {
    if !is_root() {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let dir = tmpdir("mknod");
    let node = dir.join("null");
    let st = Command::new("mknod")
        .args([s(&node), "c", "1", "3"])
        .status()
        .expect("mknod");
    assert!(st.success());
    let o = run(&[SAMPLE, s(&node)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = std::fs::symlink_metadata(&node).unwrap();
    assert!(m.file_type().is_char_device(), "still a character device");
    assert_eq!(m.rdev(), std::fs::metadata("/dev/null").unwrap().rdev());
    assert!(temp_files_in(&dir).is_empty());
    // A block device is never written over.
    let blk = dir.join("disk");
    assert!(Command::new("mknod")
        .args([s(&blk), "b", "7", "250"])
        .status()
        .unwrap()
        .success());
    let o = run(&[SAMPLE, s(&blk)]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("block device"), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&blk)
        .unwrap()
        .file_type()
        .is_block_device());
}

#[test]
fn a_fifo_is_written_to_its_reader() {
    let dir = tmpdir("fifo");
    let fifo = dir.join("guide.fifo");
    assert!(Command::new("mkfifo")
        .arg(s(&fifo))
        .status()
        .unwrap()
        .success());
    let path = fifo.clone();
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        std::fs::File::open(path)
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        got
    });
    let o = run(&[SAMPLE, s(&fifo)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(reader.join().unwrap(), sample_guide());
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}

#[test]
fn a_symlink_is_followed_and_stays_a_link() {
    let dir = tmpdir("symlink");
    let real = dir.join("real.xml");
    let link = dir.join("link.xml");
    std::fs::write(&real, "old guide").unwrap();
    std::os::unix::fs::symlink("real.xml", &link).unwrap();
    let o = run(&[SAMPLE, s(&link)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&real).unwrap(), sample_guide());
    // A dangling link: its target is created, the link stays.
    let dangling = dir.join("dangling.xml");
    std::os::unix::fs::symlink("sub/new.xml", &dangling).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    let o = run(&[SAMPLE, s(&dangling)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read(dir.join("sub/new.xml")).unwrap(),
        sample_guide()
    );
    assert!(temp_files_in(&dir).is_empty() && temp_files_in(&dir.join("sub")).is_empty());
}

#[test]
fn a_replaced_file_keeps_its_mode_owner_and_group() {
    let dir = tmpdir("mode");
    let out = dir.join("guide.xml");
    std::fs::write(&out, "old guide").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (uid, gid) = if is_root() {
        std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
        (65534, 65534)
    } else {
        eprintln!("skipped part: chown to another owner needs root");
        let m = std::fs::metadata(&out).unwrap();
        (m.uid(), m.gid())
    };
    let ino = std::fs::metadata(&out).unwrap().ino();
    let o = run(&[SAMPLE, s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = std::fs::metadata(&out).unwrap();
    assert_ne!(m.ino(), ino, "replaced by rename, not rewritten in place");
    assert_eq!(m.mode() & 0o7777, 0o640);
    assert_eq!((m.uid(), m.gid()), (uid, gid));
    assert_eq!(std::fs::read(&out).unwrap(), sample_guide());
    // A new file gets the usual mode of new files (0666 less the umask), not 0600.
    let fresh = dir.join("fresh.xml");
    assert!(run(&[SAMPLE, s(&fresh)]).status.success());
    let mode = std::fs::metadata(&fresh).unwrap().mode() & 0o777;
    assert_ne!(mode & 0o044, 0, "readable by others as usual: {mode:o}");
}

#[test]
fn dev_stdout_is_standard_output_and_stays_a_link() {
    let o = run(&[SAMPLE, "/dev/stdout"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, sample_guide());
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .map(|m| !m.file_type().is_file())
        .unwrap_or(true));
}

#[test]
fn a_closed_stdout_is_an_output_error() {
    for target in ["-", "/dev/stdout"] {
        let o = Command::new("sh")
            .args(["-c", "exec \"$0\" \"$1\" \"$2\" >&-", BIN, SAMPLE, target])
            .output()
            .expect("sh");
        assert_eq!(o.status.code(), Some(4), "{target}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("standard output is closed"),
            "{}",
            stderr(&o)
        );
    }
    // stdout sent to /dev/null on purpose is fine, also opened read-write as Python's
    // subprocess.DEVNULL and daemons do (what Rust's runtime puts on a closed descriptor).
    let o = Command::new(BIN)
        .args([SAMPLE, "-"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .unwrap();
    let o = Command::new(BIN)
        .args([SAMPLE, "-"])
        .stdout(Stdio::from(null))
        .output()
        .unwrap();
    assert!(o.status.success(), "read-write /dev/null: {}", stderr(&o));
}

#[test]
fn an_input_that_is_the_output_is_refused_before_reading() {
    let dir = tmpdir("same");
    let rec = dir.join("rec.ts");
    std::fs::copy(SAMPLE, &rec).unwrap();
    let original = std::fs::read(&rec).unwrap();
    let link = dir.join("link.xml");
    std::os::unix::fs::symlink("rec.ts", &link).unwrap();
    let hard = dir.join("hard.xml");
    std::fs::hard_link(&rec, &hard).unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec![s(&rec).into(), s(&rec).into()],
        vec![s(&rec).into(), s(&link).into()],
        vec![s(&rec).into(), s(&hard).into()],
        vec!["-o".into(), s(&rec).into(), SAMPLE.into(), s(&rec).into()],
        vec!["-o".into(), s(&link).into(), s(&rec).into(), SAMPLE.into()],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("same file") && e.contains(s(&rec)), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
        assert_eq!(std::fs::read(&rec).unwrap(), original, "{args:?}");
    }
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // Standard output redirected onto the input.
    let f = std::fs::OpenOptions::new().append(true).open(&rec).unwrap();
    let o = Command::new(BIN)
        .args([s(&rec), "-"])
        .stdout(f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&rec).unwrap(), original);
}

#[test]
fn a_stale_temporary_file_never_blocks_and_is_removed() {
    let dir = tmpdir("stale");
    let out = dir.join("guide.xml");
    std::fs::write(&out, "old guide").unwrap();
    // The PID of a process that has ended.
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = dir.join(format!(".guide.xml.tmp-{dead}"));
    std::fs::write(&stale, "half a guide").unwrap();
    std::fs::set_permissions(&stale, std::fs::Permissions::from_mode(0o400)).unwrap();
    let o = run(&[SAMPLE, s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), sample_guide());
    assert!(temp_files_in(&dir).is_empty(), "{:?}", temp_files_in(&dir));
    // A temporary file of a live process is left alone.
    let live = dir.join(format!(".guide.xml.tmp-{}", std::process::id()));
    std::fs::write(&live, "being written").unwrap();
    assert!(run(&[SAMPLE, s(&out)]).status.success());
    assert!(live.exists());
}

/// A stream whose guide takes a while to write: many events with long texts.
fn big_stream() -> Vec<u8> {
    use epgdump::testsupport::*;
    let text = arib_encode(&"番組の詳しい内容をお伝えします。".repeat(12));
    let mut sections = Vec::new();
    for sid in 0..20u16 {
        for sec in 0..125u8 {
            let events: Vec<EventSpec> = (0..8u16)
                .map(|k| {
                    let n = u32::from(sec) * 8 + u32::from(k);
                    EventSpec {
                        event_id: n as u16 + 1,
                        start: start_time(60401 + (n / 96) as u16, (n / 4 % 24) as u8, 0, 0),
                        duration: duration(900),
                        descriptors: short_event(&arib_encode("ニュース"), &text),
                    }
                })
                .collect();
            sections.push(eit_section(
                0x50 + sec / 32,
                0x400 + sid,
                0x7FE0,
                0x7FE0,
                0,
                (sec % 32) * 8,
                0xF8,
                (sec % 32) * 8,
                0x53,
                &events,
            ));
        }
    }
    frame(&Packetizer::new(0x12).pack(&sections), 188)
}

#[test]
fn a_signal_during_the_write_removes_the_temporary_file_and_keeps_the_old_guide() {
    let dir = tmpdir("signals");
    let input = dir.join("big.ts");
    std::fs::write(&input, big_stream()).unwrap();
    for (name, sig) in [
        ("TERM", libc::SIGTERM),
        ("INT", libc::SIGINT),
        ("HUP", libc::SIGHUP),
    ] {
        let out = dir.join("guide.xml");
        std::fs::write(&out, "old guide").unwrap();
        let mut child = Command::new(BIN)
            .args(["-q", s(&input), s(&out)])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let tmp = dir.join(format!(".guide.xml.tmp-{}", child.id()));
        let started = Instant::now();
        let mut seen = false;
        while started.elapsed() < Duration::from_secs(120) {
            if tmp.exists() {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(seen, "SIG{name}: the write phase was not seen");
        send_signal(child.id(), sig);
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(sig),
            "SIG{name}: ended by the signal, not {status:?}"
        );
        assert!(!tmp.exists(), "SIG{name}: temporary file removed");
        assert!(temp_files_in(&dir).is_empty(), "{:?}", temp_files_in(&dir));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old guide");
    }
}

#[test]
fn a_signal_inherited_as_ignored_stays_ignored() {
    use std::io::Write;
    // As under nohup: SIGHUP ignored. The run waits on a stalled pipe meanwhile.
    let mut child = Command::new("sh")
        .args([
            "-c",
            "trap '' HUP; exec \"$0\" -q --idle-timeout 2 - -",
            BIN,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&std::fs::read(SAMPLE).unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    send_signal(child.id(), libc::SIGHUP);
    let o = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(o.status.code(), Some(0), "{:?} {}", o.status, stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("</tv>"));
}
