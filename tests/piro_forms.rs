//! Piro77 epgdump's `check` and `wait` forms: argument order, exit statuses, output and time
//! bounds (on the stream's TOT clock), through pipes and files.

mod follow_support;

use epgdump::testsupport::{pf_section, EventSpec, PfStream};
use follow_support::*;
use std::time::{Duration, Instant};

// ---- check (Piro77 epgdump) ----

fn check_stream(present: &EventSpec, following: Option<&EventSpec>) -> Vec<u8> {
    let mut c = Cycles::new(188);
    c.cycle((17, 59, 0), 1, Some(present), following)
}

#[test]
fn check_following_prints_the_start_difference() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 5, Some(60), "遅れて始まる");
    let mut s = start(&["check", "-", "101", "4097", "2024-04-01T18:00:00"]);
    s.feed(&check_stream(&prev, Some(&a)));
    assert_eq!(s.line(), "300", "decided before the input ends");
    let r = s.end();
    assert_eq!(r.status, Some(0));
    assert!(r.rest.is_empty());
    // The same with an explicit offset, the slash form and an earlier event.
    let early = ev(EID, 17, 58, Some(60), "早い");
    for (start_arg, want) in [
        ("2024-04-01T09:00:00Z", "300"),
        ("2024/04/01 18:00:00", "300"),
        ("20240401180000 +0900", "300"),
    ] {
        let r = on_file(
            "check-forms",
            &["check"],
            &check_stream(&prev, Some(&a)),
            &["101", "0x1001", start_arg],
        );
        assert_eq!(
            (r.status, r.rest),
            (Some(0), vec![want.to_string()]),
            "{start_arg}"
        );
    }
    let r = on_file(
        "check-early",
        &["check"],
        &check_stream(&prev, Some(&early)),
        &["101", "0x1001", "2024-04-01T18:00:00"],
    );
    assert_eq!((r.status, r.rest), (Some(0), vec!["-120".to_string()]));
}

#[test]
fn check_present_is_0_without_output_and_other_events_are_1() {
    let a = ev(EID, 18, 0, Some(60), "放送中");
    let b = ev(0x1002, 19, 0, Some(60), "次");
    let x = ev(0x0F00, 17, 0, Some(60), "x");
    let r = on_file(
        "check-present",
        &["check"],
        &check_stream(&a, Some(&b)),
        &["101", "0x1001", "2024-04-01T18:00:00"],
    );
    assert_eq!((r.status, r.rest.len()), (Some(0), 0));
    let r = on_file(
        "check-other",
        &["check"],
        &check_stream(&x, Some(&b)),
        &["101", "0x1001", "2024-04-01T18:00:00"],
    );
    assert_eq!((r.status, r.rest.len()), (Some(1), 0));
    // No p/f of the service at all: 1 at the end of the input.
    let r = on_file(
        "check-none",
        &["check"],
        &check_stream(&x, Some(&b)),
        &["555", "0x1001", "2024-04-01T18:00:00"],
    );
    assert_eq!(r.status, Some(1));
}

#[test]
fn check_gives_up_after_ten_seconds_of_stream_time() {
    // Only the present section for a while: no decision, then 10 s of TOT clock pass.
    let x = ev(0x0F00, 17, 0, Some(60), "x");
    let mut s = PfStream::new(188);
    for sec in [0, 5, 10] {
        s.tot(MJD, 17, 59, sec);
        s.eit(&pf_section(0x4E, SID, TSID, ONID, 1, 0, Some(&x)));
    }
    let first = s.chunks().concat();
    let mut sess = start(&["check", "-", "101", "0x1001", "2024-04-01T18:00:00"]);
    sess.feed(&first);
    let t0 = Instant::now();
    while sess.child.try_wait().expect("try_wait").is_none() {
        assert!(t0.elapsed() < BOUND);
        std::thread::sleep(Duration::from_millis(5));
    }
    let r = sess.end();
    assert_eq!((r.status, r.rest.len()), (Some(1), 0), "{}", r.stderr);
    assert!(r.stderr.contains("stream time"), "{}", r.stderr);
}

// ---- wait (Piro77 epgdump) ----

#[test]
fn wait_returns_when_the_event_starts() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "本番");
    let b = ev(0x1002, 19, 0, Some(60), "次");
    let mut c = Cycles::new(188);
    let mut s = start(&["wait", "-", "101", "0x1001", "3600"]);
    s.feed(&c.cycle((17, 50, 0), 1, Some(&prev), Some(&a)));
    s.feed(&c.cycle((18, 0, 0), 2, Some(&a), Some(&b)));
    // Present: decided without more input (the pipe stays open).
    let t0 = Instant::now();
    while s.child.try_wait().expect("try_wait").is_none() {
        assert!(
            t0.elapsed() < BOUND,
            "wait did not return when the event started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let r = s.end();
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(r.rest.is_empty(), "wait prints nothing");
}

/// Following at 18:00, the clock at `clock`, then the event is cancelled (same clock).
fn soon_then_cancelled(clock: (u8, u8, u8)) -> Vec<u8> {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "本番");
    let news = ev(0x2000, 18, 0, Some(60), "臨時");
    let mut c = Cycles::new(188);
    let mut bytes = c.cycle((17, 50, 0), 1, Some(&prev), Some(&a));
    bytes.extend(c.cycle(clock, 1, Some(&prev), Some(&a)));
    bytes.extend(c.cycle(clock, 2, Some(&prev), Some(&news)));
    bytes
}

#[test]
fn wait_accepts_a_following_event_that_starts_within_35_seconds() {
    // 34 s ahead: started as far as wait is concerned, before the cancellation is seen.
    let r = on_file(
        "wait-34",
        &["wait"],
        &soon_then_cancelled((17, 59, 26)),
        &["101", "0x1001", "3600"],
    );
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    // 35 s ahead is not within: the cancellation decides.
    let r = on_file(
        "wait-35",
        &["wait"],
        &soon_then_cancelled((17, 59, 25)),
        &["101", "0x1001", "3600"],
    );
    assert_eq!(r.status, Some(1), "{}", r.stderr);
    // Through a pipe, the clock alone decides, without more input.
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "本番");
    let mut c = Cycles::new(188);
    let mut s = start(&["wait", "-", "101", "0x1001", "3600"]);
    s.feed(&c.cycle((17, 50, 0), 1, Some(&prev), Some(&a)));
    s.feed(&c.cycle((17, 59, 30), 1, Some(&prev), Some(&a)));
    let t0 = Instant::now();
    while s.child.try_wait().expect("try_wait").is_none() {
        assert!(t0.elapsed() < BOUND, "wait did not return on the 35 s rule");
        std::thread::sleep(Duration::from_millis(5));
    }
    let r = s.end();
    assert_eq!(r.status, Some(0), "{}", r.stderr);
}

#[test]
fn wait_fails_when_the_event_vanishes_or_maxwait_passes() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "中止");
    let news = ev(0x2000, 18, 0, Some(60), "臨時");
    let mut c = Cycles::new(188);
    let mut bytes = c.cycle((17, 0, 0), 1, Some(&prev), Some(&a));
    bytes.extend(c.cycle((17, 10, 0), 2, Some(&prev), Some(&news)));
    let r = on_file("wait-vanish", &["wait"], &bytes, &["101", "0x1001", "7200"]);
    assert_eq!(r.status, Some(1), "{}", r.stderr);
    // MAXWAIT in stream time: 120 s pass while it is still 30 min ahead.
    let mut c = Cycles::new(188);
    let mut bytes = c.cycle((17, 30, 0), 1, Some(&prev), Some(&a));
    bytes.extend(c.cycle((17, 32, 0), 1, Some(&prev), Some(&a)));
    // Past the limit, it becomes present: too late.
    bytes.extend(c.cycle((18, 0, 0), 2, Some(&a), None));
    let r = on_file("wait-max", &["wait"], &bytes, &["101", "0x1001", "120"]);
    assert_eq!(r.status, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("stream time"), "{}", r.stderr);
    let r = on_file("wait-max-ok", &["wait"], &bytes, &["101", "0x1001", "3600"]);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
}
