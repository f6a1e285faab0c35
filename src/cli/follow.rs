//! The live forms of `epgdump-rs`: `follow`, and the Piro77 epgdump `check` / `wait` forms.
//!
//! All three read a recording or a tuner pipe through the push core and an
//! [`epgdump::follow::Follower`], act on every change before the next chunk is read, and
//! compare times on the stream's TOT clock. A wall-clock bound backs the stream-time bound up:
//! on a pipe the input is read by a helper thread that hands over one chunk at a time, so a
//! silent tuner cannot hold the run past it.

use clap::Parser;
use epgdump::epg::Timestamp;
use epgdump::follow::{FollowState, FollowUpdate, Follower};
use epgdump::psi::Section;
use epgdump::reader::{SectionSink, TsReader};
use epgdump::stats::Stats;
use epgdump::ts::Pid;
use std::ffi::OsString;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[path = "follow_input.rs"]
mod input;
#[path = "follow_start.rs"]
mod start;

use input::{deliver, Delivered};
use start::{parse_start, StartArg};

/// `follow`: the event ended (it was present and another event is).
const EXIT_ENDED: u8 = 0;
/// check/wait: the answer is no, or no answer in time. Every form: the input is unreadable.
const EXIT_FAIL: u8 = 1;
/// Bad command line.
const EXIT_USAGE: u8 = 2;
/// Standard output could not be written (a closed pipe).
const EXIT_OUTPUT: u8 = 4;
/// `follow`: it was following and p/f moved on without it.
const EXIT_VANISHED: u8 = 5;
/// `follow`: the input ended or the time limit passed first.
const EXIT_UNFINISHED: u8 = 6;

/// `check`: stream seconds read at most (Piro77: "at most about 10 seconds").
const CHECK_STREAM_SECONDS: i64 = 10;
/// `check`: wall-clock backstop (Piro77 stops 11 s after it starts).
const CHECK_WALL_SECONDS: u64 = 11;
/// `wait`: a following event that starts less than this many seconds after the stream clock
/// counts as started (Piro77's epgdump.c: `start < TDT + 35`; its readme says about 30 s).
const WAIT_SOON_SECONDS: i64 = 35;

const FORMS_HELP: &str = "\
Forms (INPUT is a file, a device or - for stdin; SID and EID are decimal or 0x hex):
  epgdump-rs follow [--time-limit SECONDS] INPUT SID EID
      One JSON line, flushed at once, each time the event's state or timing in EIT p/f
      changes: {\"sid\",\"event_id\",\"state\",\"start\",\"duration\",\"title\",\"stream_time\"}.
      state: absent | following | present | ended | vanished.
      Exit 0 after ended, 5 after vanished, 6 when the input ends or the time limit
      (stream time, wall time as a backstop) passes first, 1 unreadable input, 2 usage,
      4 standard output not writable.
  epgdump-rs check INPUT SID EID START
      Piro77 epgdump's check: exit 0 when EID is the following event of SID (prints its
      start minus START in seconds) or already present, 1 when p/f names other events or
      nothing is decided within 10 s of stream time (11 s wall). START is
      YYYY-MM-DDTHH:MM:SS or YYYY/MM/DD HH:MM:SS (the broadcast's time zone unless an
      offset such as +09:00 follows), or YYYYMMDDHHMMSS.
  epgdump-rs wait INPUT SID EID MAXWAIT
      Piro77 epgdump's wait: exit 0 once EID is present, or following and starting within
      35 s of the stream clock; 1 when it vanishes, the input ends or MAXWAIT seconds pass.
Every time comparison uses the stream's TOT/TDT clock, not the machine's.";

/// `epgdump-rs follow`.
#[derive(Parser, Debug)]
#[command(
    name = "epgdump-rs follow",
    about = "Follow one programme live through EIT present/following",
    after_help = FORMS_HELP
)]
struct FollowArgs {
    /// Stop (status 6) after this many seconds of stream time (TOT clock), or of wall time
    /// when that passes first.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<u64>,
    /// No notes on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Input file, device or - (stdin).
    input: PathBuf,
    /// service_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    sid: u16,
    /// event_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    eid: u16,
}

/// `epgdump-rs check`.
#[derive(Parser, Debug)]
#[command(
    name = "epgdump-rs check",
    about = "Is the event the following (or present) one? (Piro77 epgdump check)",
    after_help = FORMS_HELP
)]
struct CheckArgs {
    /// No notes on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Input file, device or - (stdin).
    input: PathBuf,
    /// service_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    sid: u16,
    /// event_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    eid: u16,
    /// The start the caller expects (YYYY-MM-DDTHH:MM:SS …).
    #[arg(value_parser = parse_start)]
    start: StartArg,
}

/// `epgdump-rs wait`.
#[derive(Parser, Debug)]
#[command(
    name = "epgdump-rs wait",
    about = "Wait until the event starts (Piro77 epgdump wait)",
    after_help = FORMS_HELP
)]
struct WaitArgs {
    /// No notes on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Input file, device or - (stdin).
    input: PathBuf,
    /// service_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    sid: u16,
    /// event_id (decimal or 0x hex).
    #[arg(value_parser = parse_id)]
    eid: u16,
    /// Seconds to wait at most (stream time; wall time as a backstop).
    maxwait: u64,
}

/// Runs a live form when the first argument is `follow`, `check` or `wait`; `None` otherwise.
/// (A recording named like a form is given as `./follow`.)
pub fn run_if_live_form() -> Option<ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let word = args.get(1)?.to_str()?;
    if !matches!(word, "follow" | "check" | "wait") {
        return None;
    }
    let argv = std::iter::once(OsString::from(format!("epgdump-rs {word}")))
        .chain(args.iter().skip(2).cloned());
    let status = match word {
        "follow" => parse::<FollowArgs>(argv).map(follow),
        "check" => parse::<CheckArgs>(argv).map(check),
        _ => parse::<WaitArgs>(argv).map(wait),
    };
    Some(ExitCode::from(status.unwrap_or_else(|code| code)))
}

/// Parses a form's arguments; on failure prints clap's message and gives its status (2, or 0
/// for `--help`).
fn parse<T: Parser>(argv: impl IntoIterator<Item = OsString>) -> Result<T, u8> {
    T::try_parse_from(argv).map_err(|e| {
        let _ = e.print();
        u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE)
    })
}

/// A service_id or event_id: decimal or `0x` hex.
fn parse_id(s: &str) -> Result<u16, String> {
    let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16),
        None => s.parse::<u16>(),
    };
    parsed.map_err(|_| format!("'{s}' is not a 16-bit id (decimal or 0x hex)"))
}

/// What happens in the stream, section by section, in order.
#[derive(Debug, Clone)]
enum Step {
    /// The followed event changed.
    Update(FollowUpdate),
    /// The stream clock moved: its time and the stream seconds since its first value.
    Clock { time: Timestamp, elapsed: i64 },
}

/// The reader's sink: the follower, plus the steps of the chunk being pushed, so that a
/// decision is taken at the section that causes it even when one chunk holds several.
struct Driver {
    follower: Follower,
    steps: Vec<Step>,
}

impl SectionSink for Driver {
    fn section(&mut self, pid: Pid, section: Section<'_>, stats: &mut Stats) {
        let before = self.follower.stream_time();
        self.follower.section(pid, section, stats);
        self.steps.extend(self.follower.drain().map(Step::Update));
        let now = self.follower.stream_time();
        if now != before {
            if let (Some(time), Some(elapsed)) = (now, self.follower.stream_seconds()) {
                self.steps.push(Step::Clock { time, elapsed });
            }
        }
    }
}

/// One form's decisions.
trait Form {
    /// Acts on one step; `Some(status)` ends the run.
    fn step(&mut self, step: &Step) -> Option<u8>;
    /// Stream seconds after which the run stops.
    fn stream_limit(&self) -> Option<i64>;
    /// The status, and a note, when a time limit passes or the input ends first.
    fn unfinished(&mut self, follower: &Follower, why: Unfinished) -> (u8, Option<String>);
}

/// Why a run stopped without a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unfinished {
    StreamLimit,
    WallLimit,
    InputEnd,
}

impl Unfinished {
    fn describe(self) -> &'static str {
        match self {
            Unfinished::StreamLimit => "the time limit (stream time) passed",
            Unfinished::WallLimit => "the time limit (wall time) passed",
            Unfinished::InputEnd => "the input ended",
        }
    }
}

/// Where `event_id` of `sid` stood, for notes.
fn whereabouts(f: &Follower) -> String {
    match f.state() {
        None if f.pf_seen() => "its service's p/f was incomplete".into(),
        None => format!("no p/f of service {} was seen", f.service_id()),
        Some(s) => format!("it was {}", s.as_str()),
    }
}

fn follow(a: FollowArgs) -> u8 {
    struct Follow {
        limit: Option<i64>,
        failed: Option<io::Error>,
    }
    impl Form for Follow {
        fn step(&mut self, step: &Step) -> Option<u8> {
            match step {
                Step::Update(u) => {
                    if let Err(e) = write_line(&serde_json::to_string(u).unwrap_or_default()) {
                        self.failed = Some(e);
                        return Some(EXIT_OUTPUT);
                    }
                    match u.state {
                        FollowState::Ended => Some(EXIT_ENDED),
                        FollowState::Vanished => Some(EXIT_VANISHED),
                        _ => None,
                    }
                }
                Step::Clock { .. } => None,
            }
        }
        fn stream_limit(&self) -> Option<i64> {
            self.limit
        }
        fn unfinished(&mut self, f: &Follower, why: Unfinished) -> (u8, Option<String>) {
            let note = format!(
                "follow: {} before event {} of service {} ended or vanished; {}",
                why.describe(),
                f.event_id(),
                f.service_id(),
                whereabouts(f)
            );
            (EXIT_UNFINISHED, Some(note))
        }
    }
    let limit = a.time_limit.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    let mut form = Follow {
        limit,
        failed: None,
    };
    let wall = a.time_limit.map(Duration::from_secs);
    let status = run(
        &a.input,
        Follower::new(a.sid, a.eid),
        &mut form,
        wall,
        a.quiet,
    );
    if let Some(e) = form.failed {
        eprintln!("epgdump-rs: cannot write standard output: {e}");
    }
    status
}

fn check(a: CheckArgs) -> u8 {
    struct Check {
        start: StartArg,
        failed: Option<io::Error>,
        note: Option<String>,
    }
    impl Form for Check {
        fn step(&mut self, step: &Step) -> Option<u8> {
            let Step::Update(u) = step else {
                return None;
            };
            match u.state {
                FollowState::Following => {
                    let Some(start) = u.start else {
                        self.note = Some(format!(
                            "check: event {} is following but its start is undefined",
                            u.event_id
                        ));
                        return Some(0);
                    };
                    let expected = match self.start {
                        StartArg::Civil(c) => c.to_unix(start.utc_offset),
                        StartArg::Instant(t) => t,
                    };
                    if let Err(e) = write_line(&(start.unix() - expected).to_string()) {
                        self.failed = Some(e);
                        return Some(EXIT_OUTPUT);
                    }
                    Some(0)
                }
                FollowState::Present | FollowState::Ended => Some(0),
                FollowState::Absent | FollowState::Vanished => Some(EXIT_FAIL),
            }
        }
        fn stream_limit(&self) -> Option<i64> {
            Some(CHECK_STREAM_SECONDS)
        }
        fn unfinished(&mut self, f: &Follower, why: Unfinished) -> (u8, Option<String>) {
            (
                EXIT_FAIL,
                Some(format!(
                    "check: {} with no answer; {}",
                    why.describe(),
                    whereabouts(f)
                )),
            )
        }
    }
    let mut form = Check {
        start: a.start,
        failed: None,
        note: None,
    };
    let wall = Some(Duration::from_secs(CHECK_WALL_SECONDS));
    let status = run(
        &a.input,
        Follower::new(a.sid, a.eid),
        &mut form,
        wall,
        a.quiet,
    );
    if let Some(e) = form.failed {
        eprintln!("epgdump-rs: cannot write standard output: {e}");
    }
    if let (Some(n), false) = (form.note, a.quiet) {
        eprintln!("epgdump-rs: {n}");
    }
    status
}

fn wait(a: WaitArgs) -> u8 {
    struct Wait {
        maxwait: i64,
        following_start: Option<Timestamp>,
        clock: Option<Timestamp>,
    }
    impl Form for Wait {
        fn step(&mut self, step: &Step) -> Option<u8> {
            match step {
                Step::Update(u) => match u.state {
                    FollowState::Present | FollowState::Ended => return Some(0),
                    FollowState::Vanished => return Some(EXIT_FAIL),
                    FollowState::Following => self.following_start = u.start,
                    FollowState::Absent => self.following_start = None,
                },
                Step::Clock { time, .. } => self.clock = Some(*time),
            }
            match (self.following_start, self.clock) {
                (Some(s), Some(c)) if s.unix() < c.unix().saturating_add(WAIT_SOON_SECONDS) => {
                    Some(0)
                }
                _ => None,
            }
        }
        fn stream_limit(&self) -> Option<i64> {
            Some(self.maxwait)
        }
        fn unfinished(&mut self, f: &Follower, why: Unfinished) -> (u8, Option<String>) {
            let note = format!(
                "wait: {} before event {} of service {} started; {}",
                why.describe(),
                f.event_id(),
                f.service_id(),
                whereabouts(f)
            );
            (EXIT_FAIL, Some(note))
        }
    }
    let mut form = Wait {
        maxwait: i64::try_from(a.maxwait).unwrap_or(i64::MAX),
        following_start: None,
        clock: None,
    };
    let wall = Some(Duration::from_secs(a.maxwait));
    run(
        &a.input,
        Follower::new(a.sid, a.eid),
        &mut form,
        wall,
        a.quiet,
    )
}

/// Writes one line to standard output and flushes it.
fn write_line(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// How a run stopped.
enum Ending {
    /// A decision: the status.
    Decided(u8),
    /// A time limit, or the end of the input, came first.
    Unfinished(Unfinished),
}

/// Reads `input` into a reader over `follower` and lets `form` decide, step by step.
fn run(
    input: &Path,
    follower: Follower,
    form: &mut dyn Form,
    wall: Option<Duration>,
    quiet: bool,
) -> u8 {
    // A bound too far to represent is no bound.
    let deadline = wall.and_then(|d| Instant::now().checked_add(d));
    let mut reader = TsReader::new(Driver {
        follower,
        steps: Vec::new(),
    });
    let mut feed = |chunk: &[u8]| -> ControlFlow<Ending> {
        reader.push(chunk);
        match take_steps(&mut reader.sink_mut().steps, form) {
            Some(ending) => ControlFlow::Break(ending),
            None => ControlFlow::Continue(()),
        }
    };
    let ending = match deliver(input, deadline, &mut feed) {
        Ok(Delivered::Stopped(ending)) => ending,
        Ok(Delivered::Deadline) => Ending::Unfinished(Unfinished::WallLimit),
        Ok(Delivered::Eof) => {
            let (mut driver, stats) = reader.finish();
            let ending = take_steps(&mut driver.steps, form);
            if ending.is_none() && stats.packets == 0 {
                eprintln!(
                    "epgdump-rs: {}: not an MPEG transport stream (no 188/192/204-byte packet sync found in {} bytes)",
                    input.display(),
                    stats.bytes
                );
                return EXIT_FAIL;
            }
            let ending = ending.unwrap_or(Ending::Unfinished(Unfinished::InputEnd));
            return conclude(&driver, form, ending, quiet);
        }
        Err(e) => {
            eprintln!("epgdump-rs: cannot read {}: {e}", input.display());
            return EXIT_FAIL;
        }
    };
    conclude(reader.sink(), form, ending, quiet)
}

/// The status of a run that ended with `ending`, after its notes.
fn conclude(driver: &Driver, form: &mut dyn Form, ending: Ending, quiet: bool) -> u8 {
    match ending {
        Ending::Decided(status) => finish_notes(driver, status, None, quiet),
        Ending::Unfinished(why) => {
            let (status, note) = form.unfinished(&driver.follower, why);
            finish_notes(driver, status, note, quiet)
        }
    }
}

/// Hands the steps of the last push to `form`, in order, until one decides or reaches the
/// stream-time limit (a decision at the same step comes first).
fn take_steps(steps: &mut Vec<Step>, form: &mut dyn Form) -> Option<Ending> {
    for step in std::mem::take(steps) {
        if let Some(status) = form.step(&step) {
            return Some(Ending::Decided(status));
        }
        if let (Step::Clock { elapsed, .. }, Some(limit)) = (&step, form.stream_limit()) {
            if *elapsed >= limit {
                return Some(Ending::Unfinished(Unfinished::StreamLimit));
            }
        }
    }
    None
}

/// Prints the closing notes (unless `quiet`) and returns `status`.
fn finish_notes(driver: &Driver, status: u8, note: Option<String>, quiet: bool) -> u8 {
    if quiet {
        return status;
    }
    if let Some(n) = note {
        eprintln!("epgdump-rs: {n}");
    }
    let f = &driver.follower;
    if f.skipped_sections() > 0 {
        eprintln!(
            "epgdump-rs: note: {} malformed p/f section(s) of service {} skipped",
            f.skipped_sections(),
            f.service_id()
        );
    }
    if f.dropped_updates() > 0 {
        eprintln!(
            "epgdump-rs: note: {} update(s) dropped",
            f.dropped_updates()
        );
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(parse_id("101"), Ok(101));
        assert_eq!(parse_id("0x1001"), Ok(0x1001));
        assert_eq!(parse_id("0XfFfF"), Ok(0xFFFF));
        assert!(parse_id("65536").is_err());
        assert!(parse_id("-1").is_err());
        assert!(parse_id("0x").is_err());
        assert!(parse_id("x").is_err());
    }
}
