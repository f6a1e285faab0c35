//! The harness of the `follow`, `check` and `wait` tests: the binary run with a pipe fed chunk
//! by chunk (every wait bounded, so a hanging binary fails instead of hanging the test), and
//! builders of p/f cycle streams.
#![allow(dead_code)]

use epgdump::testsupport::{pf_event, pf_section, EventSpec, PfStream};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");
/// The bound on every wait: far above any real latency, only there so nothing can hang.
pub const BOUND: Duration = Duration::from_secs(30);

pub const MJD: u16 = 60401; // 2024-04-01
pub const SID: u16 = 101;
pub const TSID: u16 = 0x4010;
pub const ONID: u16 = 4; // BS: ARIB, JST
pub const EID: u16 = 0x1001;

// ---- a running binary ----

pub struct Session {
    pub child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

pub fn start(args: &[&str]) -> Session {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn epgdump-rs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut err = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    Session {
        stdin: child.stdin.take(),
        child,
        lines,
        stderr,
    }
}

/// How a run ended: status, lines not yet read, stderr.
pub struct Ended {
    pub status: Option<i32>,
    pub rest: Vec<String>,
    pub stderr: String,
}

impl Session {
    /// Writes one chunk, after a short pause (a rate-limited tuner pipe).
    pub fn feed(&mut self, chunk: &[u8]) {
        std::thread::sleep(Duration::from_millis(5));
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(chunk).expect("write chunk");
        stdin.flush().expect("flush chunk");
    }

    /// The next line, which must come without more input.
    pub fn line(&self) -> String {
        self.lines
            .recv_timeout(BOUND)
            .unwrap_or_else(|_| panic!("no line within {BOUND:?} of the chunk that causes it"))
    }

    /// Closes the input and waits for the exit.
    pub fn end(mut self) -> Ended {
        drop(self.stdin.take());
        let t0 = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s;
            }
            if t0.elapsed() > BOUND {
                let _ = self.child.kill();
                panic!("epgdump-rs did not exit within {BOUND:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let mut rest = Vec::new();
        while let Ok(l) = self.lines.recv_timeout(BOUND) {
            rest.push(l);
        }
        Ended {
            status: status.code(),
            rest,
            stderr: self.stderr.join().unwrap_or_default(),
        }
    }
}

/// Feeds `steps` one chunk at a time; after each chunk, reads the lines it must cause before
/// writing the next one. Then closes the input.
pub fn live(args: &[&str], steps: &[(Vec<u8>, Vec<String>)]) -> Ended {
    let mut s = start(args);
    for (chunk, want) in steps {
        s.feed(chunk);
        for w in want {
            assert_eq!(&s.line(), w);
        }
    }
    s.end()
}

/// Runs with `input` as a regular file.
pub fn on_file(name: &str, args_before: &[&str], input: &[u8], args_after: &[&str]) -> Ended {
    let dir = std::env::temp_dir().join(format!("epgdump-follow-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmpdir");
    let path: PathBuf = dir.join("in.ts");
    std::fs::write(&path, input).expect("write input");
    let mut args: Vec<&str> = args_before.to_vec();
    let p = path.to_str().expect("utf-8 path").to_string();
    args.push(&p);
    args.extend_from_slice(args_after);
    let r = start(&args).end();
    let _ = std::fs::remove_dir_all(&dir);
    r
}

// ---- streams ----

pub fn ev(id: u16, h: u8, m: u8, minutes: Option<u32>, title: &str) -> EventSpec {
    pf_event(id, (MJD, h, m, 0), minutes.map(|m| m * 60), title)
}

pub fn t(h: u8, m: u8, s: u8) -> String {
    format!("2024-04-01T{h:02}:{m:02}:{s:02}+09:00")
}

/// The line `follow` prints for the followed event.
pub fn want(
    state: &str,
    start: Option<String>,
    duration: Option<u32>,
    title: &str,
    clock: Option<String>,
) -> String {
    let q = |v: Option<String>| v.map_or("null".to_string(), |s| format!("\"{s}\""));
    let d = duration.map_or("null".to_string(), |d| d.to_string());
    format!(
        r#"{{"sid":{SID},"event_id":{EID},"state":"{state}","start":{},"duration":{d},"title":"{title}","stream_time":{}}}"#,
        q(start),
        q(clock)
    )
}

/// A stream of p/f cycles, each its own chunk: TOT, then sections 0 and 1, sent twice.
pub struct Cycles {
    pub s: PfStream,
    pub table_id: u8,
    pub sid: u16,
    pub tsid: u16,
    pub onid: u16,
    pub pid: u16,
}

impl Cycles {
    pub fn new(stride: usize) -> Self {
        Cycles {
            s: PfStream::new(stride),
            table_id: 0x4E,
            sid: SID,
            tsid: TSID,
            onid: ONID,
            pid: 0x12,
        }
    }

    pub fn pf(&mut self, v: u8, n: u8, e: Option<&EventSpec>) -> &mut Self {
        let sec = pf_section(self.table_id, self.sid, self.tsid, self.onid, v, n, e);
        self.s.section(self.pid, &sec);
        self
    }

    /// One p/f cycle at clock `at`: both sections of version `v`, twice, then a chunk cut.
    pub fn cycle(
        &mut self,
        at: (u8, u8, u8),
        v: u8,
        present: Option<&EventSpec>,
        following: Option<&EventSpec>,
    ) -> Vec<u8> {
        self.s.tot(MJD, at.0, at.1, at.2);
        for _ in 0..2 {
            self.pf(v, 0, present).pf(v, 1, following);
            self.s.filler(3);
        }
        self.s.chunks().concat()
    }
}

pub fn on_time_stream(stride: usize) -> Vec<(Vec<u8>, Vec<String>)> {
    let before = ev(0x1000, 17, 0, Some(60), "前の番組");
    let a = ev(EID, 18, 0, Some(60), "ニュース７");
    let b = ev(0x1002, 19, 0, Some(30), "天気");
    let mut c = Cycles::new(stride);
    let start = Some(t(18, 0, 0));
    vec![
        (
            c.cycle((17, 58, 0), 1, Some(&before), Some(&a)),
            vec![want(
                "following",
                start.clone(),
                Some(3600),
                "ニュース７",
                Some(t(17, 58, 0)),
            )],
        ),
        (c.cycle((17, 59, 0), 1, Some(&before), Some(&a)), vec![]),
        (
            c.cycle((18, 0, 0), 2, Some(&a), Some(&b)),
            vec![want(
                "present",
                start.clone(),
                Some(3600),
                "ニュース７",
                Some(t(18, 0, 0)),
            )],
        ),
        (c.cycle((18, 30, 0), 2, Some(&a), Some(&b)), vec![]),
        (
            c.cycle((19, 0, 0), 3, Some(&b), None),
            vec![want(
                "ended",
                start,
                Some(3600),
                "ニュース７",
                Some(t(19, 0, 0)),
            )],
        ),
    ]
}

pub fn steps_bytes(steps: &[(Vec<u8>, Vec<String>)]) -> Vec<u8> {
    steps.iter().flat_map(|(c, _)| c.clone()).collect()
}

pub fn all_lines(steps: &[(Vec<u8>, Vec<String>)]) -> Vec<String> {
    steps.iter().flat_map(|(_, l)| l.clone()).collect()
}
