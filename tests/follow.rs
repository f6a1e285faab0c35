//! `epgdump-rs follow` on builder streams with p/f sequences, through a real pipe fed chunk by
//! chunk: each expected line must be out before the next chunk is written (the latency
//! promise), and the exit status is what the issue says. Also the library's `Follower` and
//! the real captures.

mod follow_support;

use epgdump::follow::{FollowState, Follower};
use epgdump::reader::TsReader;
use epgdump::testsupport::{pf_event, pf_section, EventSpec, PfStream};
use follow_support::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---- follow ----

#[test]
fn on_time_programme_through_a_pipe() {
    let eid = EID.to_string();
    let r = live(&["follow", "-", "101", &eid], &on_time_stream(188));
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(r.rest.is_empty(), "{:?}", r.rest);
    // The first line, written out literally.
    let first = &on_time_stream(188)[0].1[0];
    assert_eq!(
        first,
        r#"{"sid":101,"event_id":4097,"state":"following","start":"2024-04-01T18:00:00+09:00","duration":3600,"title":"ニュース７","stream_time":"2024-04-01T17:58:00+09:00"}"#
    );
}

#[test]
fn on_time_programme_in_every_framing_on_pipes_and_files() {
    for stride in [188, 192, 204] {
        let steps = on_time_stream(stride);
        let r = live(&["follow", "-", "101", "0x1001"], &steps);
        assert_eq!(r.status, Some(0), "pipe, {stride}: {}", r.stderr);
        let r = on_file(
            &format!("on-time-{stride}"),
            &["follow"],
            &steps_bytes(&steps),
            &["101", "0x1001"],
        );
        assert_eq!(r.status, Some(0), "file, {stride}: {}", r.stderr);
        assert_eq!(r.rest, all_lines(&steps), "file, {stride}");
    }
}

#[test]
fn overrun_extends_then_ends_when_the_next_event_is_present() {
    let a = ev(EID, 18, 0, Some(60), "野球中継");
    let a_long = ev(EID, 18, 0, Some(90), "野球中継");
    let b = ev(0x1002, 19, 0, Some(60), "ドラマ");
    let b_late = ev(0x1002, 19, 30, Some(60), "ドラマ");
    let mut c = Cycles::new(188);
    let start = Some(t(18, 0, 0));
    let steps = vec![
        (
            c.cycle((18, 50, 0), 4, Some(&a), Some(&b)),
            vec![want(
                "present",
                start.clone(),
                Some(3600),
                "野球中継",
                Some(t(18, 50, 0)),
            )],
        ),
        (
            c.cycle((18, 55, 0), 5, Some(&a_long), Some(&b_late)),
            vec![want(
                "present",
                start.clone(),
                Some(5400),
                "野球中継",
                Some(t(18, 55, 0)),
            )],
        ),
        (c.cycle((19, 0, 5), 5, Some(&a_long), Some(&b_late)), vec![]),
        (
            c.cycle((19, 30, 2), 6, Some(&b_late), None),
            vec![want(
                "ended",
                start,
                Some(5400),
                "野球中継",
                Some(t(19, 30, 2)),
            )],
        ),
        // Never read: the run is over.
        (Vec::new(), vec![]),
    ];
    let r = live(&["follow", "-", "101", "4097"], &steps);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(r.rest.is_empty());
}

#[test]
fn delayed_start_keeps_following_until_it_is_present() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "特番");
    let a20 = ev(EID, 18, 20, Some(60), "特番");
    let a45 = ev(EID, 18, 45, Some(60), "特番");
    let prev_long = ev(0x1000, 17, 0, Some(105), "前");
    let mut c = Cycles::new(188);
    let steps = vec![
        (
            c.cycle((17, 50, 0), 1, Some(&prev), Some(&a)),
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(3600),
                "特番",
                Some(t(17, 50, 0)),
            )],
        ),
        (
            c.cycle((17, 58, 0), 2, Some(&prev), Some(&a20)),
            vec![want(
                "following",
                Some(t(18, 20, 0)),
                Some(3600),
                "特番",
                Some(t(17, 58, 0)),
            )],
        ),
        (
            c.cycle((18, 15, 0), 3, Some(&prev_long), Some(&a45)),
            vec![want(
                "following",
                Some(t(18, 45, 0)),
                Some(3600),
                "特番",
                Some(t(18, 15, 0)),
            )],
        ),
        (
            c.cycle((18, 45, 1), 4, Some(&a45), None),
            vec![want(
                "present",
                Some(t(18, 45, 0)),
                Some(3600),
                "特番",
                Some(t(18, 45, 1)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(6), "the input ended while it was present");
    assert!(r.rest.is_empty());
    assert!(r.stderr.contains("the input ended"), "{}", r.stderr);
    assert!(r.stderr.contains("it was present"), "{}", r.stderr);
}

#[test]
fn cancelled_following_event_vanishes() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(30), "中止になる番組");
    let news = ev(0x2000, 18, 0, Some(30), "臨時ニュース");
    let mut c = Cycles::new(188);
    let steps = vec![
        (
            c.cycle((17, 40, 0), 1, Some(&prev), Some(&a)),
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(1800),
                "中止になる番組",
                Some(t(17, 40, 0)),
            )],
        ),
        (
            c.cycle((17, 45, 0), 2, Some(&prev), Some(&news)),
            vec![want(
                "vanished",
                Some(t(18, 0, 0)),
                Some(1800),
                "中止になる番組",
                Some(t(17, 45, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(5), "{}", r.stderr);
}

#[test]
fn cancellation_sent_as_a_lone_new_section_1_vanishes_within_its_chunk() {
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(30), "中止");
    let later = ev(0x1002, 18, 30, Some(30), "次の次");
    let mut c = Cycles::new(188);
    let first = c.cycle((17, 30, 0), 1, Some(&prev), Some(&a));
    c.pf(2, 1, Some(&later));
    let second = c.s.chunks().concat();
    let steps = vec![
        (
            first,
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(1800),
                "中止",
                Some(t(17, 30, 0)),
            )],
        ),
        (
            second,
            vec![want(
                "vanished",
                Some(t(18, 0, 0)),
                Some(1800),
                "中止",
                Some(t(17, 30, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(5), "{}", r.stderr);
}

#[test]
fn new_following_section_before_the_new_present_one_is_no_vanish() {
    // At the start the broadcaster sends the new section 1 first.
    let prev = ev(0x1000, 17, 0, Some(60), "前");
    let a = ev(EID, 18, 0, Some(60), "本番");
    let next = ev(0x1002, 19, 0, Some(60), "次");
    let mut c = Cycles::new(188);
    let first = c.cycle((17, 59, 0), 1, Some(&prev), Some(&a));
    c.s.tot(MJD, 18, 0, 0);
    c.pf(2, 1, Some(&next))
        .pf(1, 0, Some(&prev))
        .pf(2, 0, Some(&a));
    let second = c.s.chunks().concat();
    let steps = vec![
        (
            first,
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(3600),
                "本番",
                Some(t(17, 59, 0)),
            )],
        ),
        (
            second,
            vec![want(
                "present",
                Some(t(18, 0, 0)),
                Some(3600),
                "本番",
                Some(t(18, 0, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(6));
}

#[test]
fn undefined_duration_becomes_defined() {
    let a = ev(EID, 23, 0, None, "深夜中継");
    let a_def = ev(EID, 23, 0, Some(75), "深夜中継");
    let mut c = Cycles::new(188);
    let steps = vec![
        (
            c.cycle((23, 10, 0), 1, Some(&a), None),
            vec![want(
                "present",
                Some(t(23, 0, 0)),
                None,
                "深夜中継",
                Some(t(23, 10, 0)),
            )],
        ),
        (
            c.cycle((23, 40, 0), 2, Some(&a_def), None),
            vec![want(
                "present",
                Some(t(23, 0, 0)),
                Some(4500),
                "深夜中継",
                Some(t(23, 40, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(6));
}

#[test]
fn absent_first_then_following() {
    let x = ev(0x0F00, 16, 0, Some(60), "x");
    let y = ev(0x0F01, 17, 0, Some(60), "y");
    let a = ev(EID, 18, 0, Some(60), "a");
    let mut c = Cycles::new(188);
    let steps = vec![
        (
            c.cycle((16, 30, 0), 1, Some(&x), Some(&y)),
            vec![want("absent", None, None, "", Some(t(16, 30, 0)))],
        ),
        (
            c.cycle((17, 0, 0), 2, Some(&y), Some(&a)),
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(3600),
                "a",
                Some(t(17, 0, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(6));
}

#[test]
fn pf_of_another_ts_is_followed() {
    // The recording is of TS 0x4011 (service 102); service 101's p/f comes as 0x4F.
    let a = ev(EID, 18, 0, Some(60), "他局の番組");
    let b = ev(0x1002, 19, 0, Some(60), "次");
    let own = ev(0x3000, 18, 0, Some(60), "自局");
    let mut c = Cycles::new(188);
    let chunk = |c: &mut Cycles, at, v, p: Option<&EventSpec>, f: Option<&EventSpec>| {
        // Service 102's own p/f, which must not disturb anything.
        c.table_id = 0x4E;
        c.sid = 102;
        c.tsid = 0x4011;
        c.pf(v, 0, Some(&own));
        c.table_id = 0x4F;
        c.sid = SID;
        c.tsid = TSID;
        c.cycle(at, v, p, f)
    };
    let steps = vec![
        (
            chunk(&mut c, (17, 59, 0), 1, None, Some(&a)),
            vec![want(
                "following",
                Some(t(18, 0, 0)),
                Some(3600),
                "他局の番組",
                Some(t(17, 59, 0)),
            )],
        ),
        (
            chunk(&mut c, (18, 0, 0), 2, Some(&a), Some(&b)),
            vec![want(
                "present",
                Some(t(18, 0, 0)),
                Some(3600),
                "他局の番組",
                Some(t(18, 0, 0)),
            )],
        ),
        (
            chunk(&mut c, (19, 0, 0), 3, Some(&b), None),
            vec![want(
                "ended",
                Some(t(18, 0, 0)),
                Some(3600),
                "他局の番組",
                Some(t(19, 0, 0)),
            )],
        ),
    ];
    let r = live(&["follow", "-", "101", "0x1001"], &steps);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
}

#[test]
fn one_seg_l_eit() {
    // ISDB-T: the one-seg service 0x0598 has its p/f on the L-EIT PID 0x0027; the full-seg
    // service 0x0400 has its own on H-EIT 0x0012.
    let a = pf_event(0x0100, (MJD, 18, 0, 0), Some(3600), "ワンセグ番組");
    let b = pf_event(0x0101, (MJD, 19, 0, 0), Some(3600), "次");
    let full = pf_event(0x0100, (MJD, 18, 0, 0), Some(3600), "フルセグ");
    let mut s = PfStream::new(188);
    let chunk = |s: &mut PfStream, at: (u8, u8), v: u8, p: &EventSpec, f: Option<&EventSpec>| {
        s.tot(MJD, at.0, at.1, 0);
        s.eit(&pf_section(
            0x4E,
            0x0400,
            0x7FE0,
            0x7FE0,
            v + 10,
            0,
            Some(&full),
        ));
        s.section(
            0x27,
            &pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 0, Some(p)),
        );
        s.section(0x27, &pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 1, f));
        s.filler(4);
        s.chunks().concat()
    };
    let line = |state: &str, start: &str, title: &str, clock: &str| {
        format!(
            r#"{{"sid":1432,"event_id":256,"state":"{state}","start":"{start}","duration":3600,"title":"{title}","stream_time":"{clock}"}}"#
        )
    };
    let steps = vec![
        (
            chunk(&mut s, (18, 5), 3, &a, Some(&b)),
            vec![line("present", &t(18, 0, 0), "ワンセグ番組", &t(18, 5, 0))],
        ),
        (chunk(&mut s, (18, 30), 3, &a, Some(&b)), vec![]),
        (
            chunk(&mut s, (19, 0), 4, &b, None),
            vec![line("ended", &t(18, 0, 0), "ワンセグ番組", &t(19, 0, 0))],
        ),
    ];
    let r = live(&["follow", "-", "0x0598", "0x0100"], &steps);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
}

#[test]
fn one_seg_on_both_pids_is_not_mixed() {
    // The one-seg service's p/f on L-EIT and, with other version numbers and a lag, on
    // H-EIT too: the stale H-EIT copy must not undo what L-EIT said.
    let prev = pf_event(0x00FF, (MJD, 17, 0, 0), Some(3600), "前");
    let a = pf_event(0x0100, (MJD, 18, 0, 0), Some(3600), "番組");
    let b = pf_event(0x0101, (MJD, 19, 0, 0), Some(3600), "次");
    let mut s = PfStream::new(188);
    let l_eit = |s: &mut PfStream, v, p: &EventSpec, f: &EventSpec| {
        s.section(
            0x27,
            &pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 0, Some(p)),
        );
        s.section(
            0x27,
            &pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 1, Some(f)),
        );
    };
    let h_eit = |s: &mut PfStream, v, p: &EventSpec, f: &EventSpec| {
        s.eit(&pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 0, Some(p)));
        s.eit(&pf_section(0x4E, 0x0598, 0x7FE0, 0x7FE0, v, 1, Some(f)));
    };
    s.tot(MJD, 17, 59, 0);
    l_eit(&mut s, 7, &prev, &a);
    h_eit(&mut s, 20, &prev, &a);
    let first = s.chunks().concat();
    s.tot(MJD, 18, 0, 0);
    l_eit(&mut s, 8, &a, &b);
    h_eit(&mut s, 20, &prev, &a); // stale
    h_eit(&mut s, 21, &prev, &a); // stale, even with a new version
    let second = s.chunks().concat();
    let line = |state: &str, clock: &str| {
        format!(
            r#"{{"sid":1432,"event_id":256,"state":"{state}","start":"{}","duration":3600,"title":"番組","stream_time":"{clock}"}}"#,
            t(18, 0, 0)
        )
    };
    let steps = vec![
        (first, vec![line("following", &t(17, 59, 0))]),
        (second, vec![line("present", &t(18, 0, 0))]),
    ];
    let r = live(&["follow", "-", "1432", "256"], &steps);
    assert_eq!(
        r.status,
        Some(6),
        "no ended from the stale copy: {:?}",
        r.rest
    );
    assert!(r.rest.is_empty(), "{:?}", r.rest);
}

#[test]
fn time_limit_in_stream_time() {
    let a = ev(EID, 18, 0, Some(60), "a");
    let mut c = Cycles::new(188);
    let steps = vec![
        (
            c.cycle((18, 10, 0), 1, Some(&a), None),
            vec![want(
                "present",
                Some(t(18, 0, 0)),
                Some(3600),
                "a",
                Some(t(18, 10, 0)),
            )],
        ),
        (c.cycle((18, 10, 59), 1, Some(&a), None), vec![]),
        // 60 s of stream time: the run stops here even though the pipe stays open.
        (c.cycle((18, 11, 0), 1, Some(&a), None), vec![]),
    ];
    let mut s = start(&["follow", "--time-limit", "60", "-", "101", "0x1001"]);
    for (chunk, want) in &steps {
        s.feed(chunk);
        for w in want {
            assert_eq!(&s.line(), w);
        }
    }
    // Do not close the input: the limit must end the run by itself.
    let t0 = Instant::now();
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("try_wait") {
            break st;
        }
        assert!(
            t0.elapsed() < BOUND,
            "the stream-time limit did not stop the run"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(6));
    let r = s.end();
    assert!(
        r.stderr.contains("time limit (stream time)"),
        "{}",
        r.stderr
    );
}

#[test]
fn no_such_service_and_bad_arguments() {
    let steps = on_time_stream(188);
    let r = on_file("nosvc", &["follow"], &steps_bytes(&steps), &["999", "1"]);
    assert_eq!(r.status, Some(6));
    assert!(r.rest.is_empty());
    assert!(r.stderr.contains("no p/f of service 999"), "{}", r.stderr);
    let r = on_file(
        "nosvcq",
        &["follow", "-q"],
        &steps_bytes(&steps),
        &["999", "1"],
    );
    assert_eq!((r.status, r.stderr.as_str()), (Some(6), ""));
    for args in [
        &["follow", "-", "101"][..],
        &["follow", "-", "101", "0x10000"],
        &["follow", "-", "sid", "1"],
        &["check", "-", "101", "1", "tomorrow"],
        &["wait", "-", "101", "1", "-5"],
        &["follow", "--bogus", "-", "1", "1"],
    ] {
        let r = start(args).end();
        assert_eq!(r.status, Some(2), "{args:?}");
    }
    // Limits too large for any clock are accepted (and never reached).
    let huge = u64::MAX.to_string();
    let r = on_file(
        "huge",
        &["follow", "--time-limit", &huge],
        &steps_bytes(&steps),
        &["101", "0x1001"],
    );
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let r = on_file(
        "hugewait",
        &["wait"],
        &steps_bytes(&steps),
        &["101", "0x1001", &huge],
    );
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let r = start(&["follow", "/nonexistent/in.ts", "1", "1"]).end();
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("/nonexistent/in.ts"), "{}", r.stderr);
    let mut s = start(&["follow", "-", "1", "1"]);
    s.feed(b"not a transport stream at all");
    let r = s.end();
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr.contains("not an MPEG transport stream"),
        "{}",
        r.stderr
    );
}

#[test]
fn closed_standard_output_is_status_4() {
    let steps = on_time_stream(188);
    let mut child = Command::new(BIN)
        .args(["follow", "-", "101", "0x1001"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the consumer has gone
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(&steps_bytes(&steps));
    drop(stdin);
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("try_wait") {
            break s;
        }
        assert!(t0.elapsed() < BOUND, "no exit");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(4));
}

#[test]
fn help_documents_the_three_forms() {
    for args in [&["--help"][..], &["follow", "--help"]] {
        let out = Command::new(BIN).args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        for form in [
            "follow [",
            "check INPUT SID EID START",
            "wait INPUT SID EID MAXWAIT",
        ] {
            assert!(text.contains(form), "{args:?} lacks {form}:\n{text}");
        }
    }
}

// ---- the library ----

#[test]
fn any_chunking_gives_the_same_updates() {
    let steps = on_time_stream(204);
    let bytes = steps_bytes(&steps);
    let run = |piece: usize| {
        let mut reader = TsReader::new(Follower::new(SID, EID));
        let mut got = Vec::new();
        for chunk in bytes.chunks(piece) {
            reader.push(chunk);
            got.extend(
                reader
                    .sink_mut()
                    .drain()
                    .map(|u| serde_json::to_string(&u).unwrap()),
            );
        }
        got
    };
    let whole = run(bytes.len());
    assert_eq!(whole, all_lines(&steps));
    for piece in [1, 7, 188, 204, 1000] {
        assert_eq!(run(piece), whole, "pieces of {piece}");
    }
    let mut reader = TsReader::new(Follower::new(SID, EID));
    reader.push(&bytes);
    assert_eq!(reader.sink().state(), Some(FollowState::Ended));
}

// ---- real captures (../shared/testdata/real, skipped when absent) ----

fn real(name: &str) -> Option<String> {
    let p = PathBuf::from("../shared/testdata/real").join(name);
    if p.exists() {
        p.to_str().map(str::to_string)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

#[test]
fn real_dvb_pf_actual_and_arib_pf_other() {
    if let Some(p) = real("dvb-fr_eit-sched-truncated_tsduck-test-184.ts") {
        let r = start(&["follow", &p, "1025", "48"]).end();
        assert_eq!(r.status, Some(6));
        assert_eq!(
            r.rest,
            [
                r#"{"sid":1025,"event_id":48,"state":"present","start":"2019-01-22T12:30:00+00:00","duration":1500,"title":"Scènes de ménages","stream_time":null}"#
            ]
        );
        let r = start(&["follow", &p, "1025", "49"]).end();
        assert_eq!(
            r.rest,
            [
                r#"{"sid":1025,"event_id":49,"state":"following","start":"2019-01-22T12:55:00+00:00","duration":7200,"title":"La perle de l'amour","stream_time":"2019-01-22T12:51:09+00:00"}"#
            ]
        );
        let r = start(&["check", &p, "1025", "49", "2019-01-22T13:50:00+01:00"]).end();
        assert_eq!((r.status, r.rest), (Some(0), vec!["300".to_string()]));
        let r = start(&["check", &p, "1025", "47", "2019-01-22T12:00:00"]).end();
        assert_eq!((r.status, r.rest.len()), (Some(1), 0));
    }
    if let Some(p) = real("isdb-s-bs_tsduck-test-101.ts") {
        // Its only p/f section: service 234's following event, as EIT p/f other (0x4F).
        let r = start(&["follow", &p, "234", "39305"]).end();
        assert_eq!(r.status, Some(6));
        assert_eq!(
            r.rest,
            [
                r#"{"sid":234,"event_id":39305,"state":"following","start":"2020-05-09T23:00:00+09:00","duration":1800,"title":"🈞ＶＡＮで勝ち馬さがしてみませんか #76","stream_time":null}"#
            ]
        );
        let r = start(&["check", &p, "234", "39305", "2020/05/09 23:00:00"]).end();
        assert_eq!((r.status, r.rest), (Some(0), vec!["0".to_string()]));
    }
}
