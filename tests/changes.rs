//! Schedules that change while the stream runs, as broadcasters change them: cancelled, moved,
//! replaced and overrunning programmes, past segments dropped, versions wrapping, shared events.
//! Each scenario is built with the project's section builders and asserted on the model (as
//! JSON Lines carry it) and on the XMLTV a recorder reads.

use epgdump::epg::{Collector, CollectorOptions, Epg};
use epgdump::output::{write_jsonl, write_xmltv, OutputOptions};
use epgdump::reader::TsReader;
use epgdump::stats::{ChangeStats, Stats};
use epgdump::testsupport::*;

const BS: u16 = 0x0004;
const TSID: u16 = 0x4010;
const SID: u16 = 101;
/// 2024-02-07.
const MJD: u16 = 60347;

/// An event at `h:m` (hours may pass 24) lasting `minutes`, titled `title`.
fn ev(event_id: u16, h: u8, m: u8, minutes: u32, title: &str) -> EventSpec {
    EventSpec {
        event_id,
        start: start_time(MJD + u16::from(h / 24), h % 24, m, 0),
        duration: duration(minutes * 60),
        descriptors: short_event(&arib_ascii(title), &arib_ascii("")),
    }
}

/// Schedule-basic section `n` (segment `n / 8`) of `sid` at `version`.
fn sched_of(sid: u16, version: u8, n: u8, events: &[EventSpec]) -> Vec<u8> {
    eit_section(0x50, sid, TSID, BS, version, n, 0x1F, n | 7, 0x50, events)
}

fn sched(version: u8, n: u8, events: &[EventSpec]) -> Vec<u8> {
    sched_of(SID, version, n, events)
}

/// The two p/f sections (0 present, 1 following) at `version`.
fn pf(version: u8, present: &[EventSpec], following: &[EventSpec]) -> Vec<Vec<u8>> {
    vec![
        eit_section(0x4E, SID, TSID, BS, version, 0, 1, 1, 0x4E, present),
        eit_section(0x4E, SID, TSID, BS, version, 1, 1, 1, 0x4E, following),
    ]
}

/// A TOT at `h:m` JST of the test day (ARIB STD-B10 5.2.9).
fn tot(h: u8, m: u8) -> Vec<u8> {
    let bcd = |v: u8| (v / 10) << 4 | (v % 10);
    let mjd = (MJD + u16::from(h / 24)).to_be_bytes();
    short_section(
        0x73,
        &[mjd[0], mjd[1], bcd(h % 24), bcd(m), 0, 0xF0, 0x00],
        true,
    )
}

fn collect(sections: &[Vec<u8>]) -> (Epg, Stats) {
    let mut c = Collector::new(CollectorOptions::default());
    let mut stats = Stats::default();
    for s in sections {
        c.add_section(s, &mut stats);
    }
    let epg = c.finish(&mut stats);
    (epg, stats)
}

/// The guide of service `SID` as (event_id, "HH:MM", minutes, title).
fn guide(epg: &Epg) -> Vec<(u16, String, u32, String)> {
    epg.services
        .iter()
        .filter(|s| s.sid == SID)
        .flat_map(|s| s.events.iter())
        .map(|e| {
            let start = e.start.map_or("--:--".into(), |t| {
                format!("{:02}:{:02}", t.local.hour, t.local.minute)
            });
            (
                e.event_id,
                start,
                e.duration.map_or(0, |d| d / 60),
                e.title.clone(),
            )
        })
        .collect()
}

fn g(rows: &[(u16, &str, u32, &str)]) -> Vec<(u16, String, u32, String)> {
    rows.iter()
        .map(|&(id, s, m, t)| (id, s.to_string(), m, t.to_string()))
        .collect()
}

fn jsonl(epg: &Epg) -> String {
    let mut out = Vec::new();
    write_jsonl(epg, &OutputOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The XMLTV programmes as (start, stop, title), in document order.
fn xmltv(epg: &Epg) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    write_xmltv(epg, &OutputOptions::default(), &mut out).unwrap();
    let doc = String::from_utf8(out).unwrap();
    let attr = |tag: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        tag.find(&key)
            .map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .unwrap_or_default()
    };
    doc.split("<programme ")
        .skip(1)
        .map(|p| {
            let title = p
                .split("<title")
                .nth(1)
                .and_then(|t| t.split('>').nth(1))
                .and_then(|t| t.split('<').next())
                .unwrap_or("")
                .to_string();
            (attr(p, "start"), attr(p, "stop"), title)
        })
        .collect()
}

/// No two XMLTV programmes of the one channel overlap.
fn assert_no_overlap(epg: &Epg) {
    let progs = xmltv(epg);
    for w in progs.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "overlapping programmes in XMLTV: {:?} and {:?}",
            w[0],
            w[1]
        );
    }
}

fn xmltv_titles(epg: &Epg) -> Vec<String> {
    xmltv(epg).into_iter().map(|p| p.2).collect()
}

#[test]
fn a_cancelled_future_event_vanishes() {
    let v1 = sched(
        1,
        0,
        &[
            ev(1, 12, 0, 60, "A"),
            ev(2, 13, 0, 60, "B"),
            ev(3, 14, 0, 60, "C"),
        ],
    );
    let v2 = sched(2, 0, &[ev(1, 12, 0, 60, "A"), ev(3, 14, 0, 60, "C")]);
    let (epg, stats) = collect(&[tot(10, 0), v1, tot(10, 30), v2]);
    assert_eq!(
        guide(&epg),
        g(&[(1, "12:00", 60, "A"), (3, "14:00", 60, "C")])
    );
    assert_eq!(stats.si.changes.withdrawn_events, 1);
    assert_eq!(stats.si.events, 2);
    assert!(!jsonl(&epg).contains("\"title\":\"B\""));
    assert_eq!(xmltv_titles(&epg), vec!["A", "C"]);
}

#[test]
fn an_event_that_moves_to_the_next_segment_is_where_its_newest_section_puts_it() {
    let old = [
        sched(1, 0, &[ev(1, 1, 0, 60, "A"), ev(2, 2, 0, 60, "B")]),
        sched(1, 8, &[ev(3, 3, 0, 60, "C")]),
    ];
    let new = [
        sched(2, 0, &[ev(1, 1, 0, 60, "A")]),
        sched(2, 8, &[ev(2, 3, 0, 60, "B"), ev(3, 4, 0, 60, "C")]),
    ];
    let want = g(&[
        (1, "01:00", 60, "A"),
        (2, "03:00", 60, "B"),
        (3, "04:00", 60, "C"),
    ]);
    // The segment it left may arrive before or after the segment it joined.
    for order in [[0, 1], [1, 0]] {
        let mut all = vec![tot(0, 30)];
        all.extend(old.iter().cloned());
        all.push(tot(0, 40));
        all.extend(order.iter().map(|&i| new[i].clone()));
        let (epg, stats) = collect(&all);
        assert_eq!(guide(&epg), want, "order {order:?}");
        assert_eq!(stats.si.changes, ChangeStats::default(), "order {order:?}");
        assert_eq!(xmltv_titles(&epg), vec!["A", "B", "C"]);
        assert_no_overlap(&epg);
    }
}

#[test]
fn a_new_event_id_takes_the_slot_without_a_phantom() {
    let v1 = sched(4, 0, &[ev(1, 20, 0, 60, "A"), ev(2, 21, 0, 60, "Old")]);
    let v2 = sched(5, 0, &[ev(1, 20, 0, 60, "A"), ev(9, 21, 0, 60, "New")]);
    let (epg, stats) = collect(&[tot(12, 0), v1, v2]);
    assert_eq!(
        guide(&epg),
        g(&[(1, "20:00", 60, "A"), (9, "21:00", 60, "New")])
    );
    assert_eq!(stats.si.changes.withdrawn_events, 1);
    assert_eq!(stats.si.changes.broadcast_overlaps, 0);
    assert_no_overlap(&epg);
    assert!(!jsonl(&epg).contains("Old"));
}

/// Game 18:00 for 3 h, drama 21:00, news 22:00 in the schedule; p/f says the game runs
/// 30 minutes over and the drama starts at 21:30.
fn overrun() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let schedule = vec![sched(
        3,
        0,
        &[
            ev(1, 18, 0, 180, "Game"),
            ev(2, 21, 0, 60, "Drama"),
            ev(3, 22, 30, 30, "News"),
        ],
    )];
    let p = pf(
        7,
        &[ev(1, 18, 0, 210, "Game")],
        &[ev(2, 21, 30, 60, "Drama")],
    );
    (schedule, p)
}

#[test]
fn pf_overrun_decides_timing_in_either_order() {
    let (schedule, p) = overrun();
    let want = g(&[
        (1, "18:00", 210, "Game"),
        (2, "21:30", 60, "Drama"),
        (3, "22:30", 30, "News"),
    ]);
    let pf_first = [vec![tot(20, 0)], p.clone(), schedule.clone()].concat();
    let sched_first = [vec![tot(20, 0)], schedule.clone(), p.clone()].concat();
    // A stale schedule that arrives again after p/f as a new version changes nothing either.
    let mut stale = schedule[0].clone();
    stale[5] = (stale[5] & 0xC1) | (4 << 1);
    fix_crc(&mut stale);
    let stale_again = [sched_first.clone(), vec![stale]].concat();
    let mut outputs = Vec::new();
    for all in [pf_first, sched_first, stale_again] {
        let (epg, stats) = collect(&all);
        assert_eq!(guide(&epg), want);
        assert_eq!(stats.si.changes.pf_timing_overrides, 2);
        assert_eq!(stats.si.changes.broadcast_overlaps, 0);
        assert_no_overlap(&epg);
        outputs.push(jsonl(&epg));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[1], outputs[2]);
}

#[test]
fn a_pf_overrun_the_schedule_has_not_caught_up_with_is_a_broadcast_overlap_kept_whole() {
    // The drama moves to 21:30 and now runs into the 22:00 news the schedule still has.
    let schedule = sched(3, 0, &[ev(2, 21, 0, 60, "Drama"), ev(3, 22, 0, 30, "News")]);
    let p = pf(
        7,
        &[ev(1, 18, 0, 210, "Game")],
        &[ev(2, 21, 30, 60, "Drama")],
    );
    let (epg, stats) = collect(&[vec![tot(20, 0), schedule], p].concat());
    assert_eq!(
        guide(&epg),
        g(&[
            (1, "18:00", 210, "Game"),
            (2, "21:30", 60, "Drama"),
            (3, "22:00", 30, "News"),
        ])
    );
    assert_eq!(stats.si.changes.broadcast_overlaps, 1);
    assert_eq!(xmltv_titles(&epg), vec!["Game", "Drama", "News"]);
}

#[test]
fn what_aired_stays_when_the_past_segment_is_sent_empty() {
    let v1 = [
        sched(1, 0, &[ev(1, 4, 0, 60, "A"), ev(2, 5, 0, 60, "B")]),
        sched(1, 8, &[ev(3, 12, 0, 60, "C")]),
    ];
    let v2 = sched(2, 0, &[]);
    let (epg, stats) =
        collect(&[vec![tot(10, 0)], v1.to_vec(), vec![tot(10, 5), v2.clone()]].concat());
    let want = g(&[
        (1, "04:00", 60, "A"),
        (2, "05:00", 60, "B"),
        (3, "12:00", 60, "C"),
    ]);
    assert_eq!(guide(&epg), want);
    assert_eq!(stats.si.changes.kept_aired_events, 2);
    assert_eq!(stats.si.changes.withdrawn_events, 0);
    assert_eq!(xmltv_titles(&epg), vec!["A", "B", "C"]);
    // Without any stream clock nothing can be judged: kept as before, and counted.
    let (epg, stats) = collect(&[v1.to_vec(), vec![v2]].concat());
    assert_eq!(guide(&epg), want);
    assert_eq!(stats.si.changes.kept_without_clock, 2);
    assert_eq!(stats.si.changes.kept_aired_events, 0);
}

#[test]
fn a_programme_that_was_present_stays_with_its_pf_timing() {
    let (schedule, p) = overrun();
    // Later: p/f moves on to the drama; the schedule drops the game.
    let later_pf = pf(
        8,
        &[ev(2, 21, 30, 60, "Drama")],
        &[ev(3, 22, 30, 30, "News")],
    );
    let later_sched = sched(
        4,
        0,
        &[ev(2, 21, 30, 60, "Drama"), ev(3, 22, 30, 30, "News")],
    );
    let all = [
        vec![tot(19, 0)],
        schedule,
        p,
        vec![tot(21, 31)],
        later_pf,
        vec![later_sched],
    ]
    .concat();
    let (epg, stats) = collect(&all);
    assert_eq!(
        guide(&epg),
        g(&[
            (1, "18:00", 210, "Game"),
            (2, "21:30", 60, "Drama"),
            (3, "22:30", 30, "News"),
        ])
    );
    assert_eq!(stats.si.changes.kept_aired_events, 1);
    assert_no_overlap(&epg);
}

#[test]
fn overrun_move_cancel_and_add_while_the_version_wraps() {
    let v31 = sched(
        31,
        0,
        &[
            ev(1, 18, 0, 180, "Game"),
            ev(2, 21, 0, 60, "Drama"),
            ev(3, 22, 0, 30, "Late"),
            ev(4, 22, 30, 30, "Midnight"),
        ],
    );
    let pf31 = pf(
        31,
        &[ev(1, 18, 0, 180, "Game")],
        &[ev(2, 21, 0, 60, "Drama")],
    );
    let pf0 = pf(
        0,
        &[ev(1, 18, 0, 210, "Game")],
        &[ev(2, 21, 30, 60, "Drama")],
    );
    let v0 = sched(
        0,
        0,
        &[
            ev(1, 18, 0, 210, "Game"),
            ev(2, 21, 30, 60, "Drama"),
            ev(4, 22, 30, 30, "Midnight"),
            ev(5, 23, 0, 60, "Extra"),
        ],
    );
    let want = g(&[
        (1, "18:00", 210, "Game"),
        (2, "21:30", 60, "Drama"),
        (4, "22:30", 30, "Midnight"),
        (5, "23:00", 60, "Extra"),
    ]);
    for late in [
        [pf0.clone(), vec![v0.clone()]],
        [vec![v0.clone()], pf0.clone()],
    ] {
        let all = [
            vec![tot(18, 30), v31.clone()],
            pf31.clone(),
            vec![tot(20, 50)],
            late.concat(),
        ]
        .concat();
        let (epg, stats) = collect(&all);
        assert_eq!(guide(&epg), want);
        assert_eq!(stats.si.changes.withdrawn_events, 1);
        assert_eq!(stats.si.changes.broadcast_overlaps, 0);
        assert_eq!(
            xmltv_titles(&epg),
            vec!["Game", "Drama", "Midnight", "Extra"]
        );
        assert_no_overlap(&epg);
    }
}

/// The event group descriptor 0xD6 (ARIB STD-B10 6.2.34) of group_type 1 over `events`.
fn shared_group(events: &[(u16, u16)]) -> Vec<u8> {
    let mut body = vec![0x10 | events.len() as u8];
    for (sid, eid) in events {
        body.extend_from_slice(&sid.to_be_bytes());
        body.extend_from_slice(&eid.to_be_bytes());
    }
    descriptor(0xD6, &body)
}

#[test]
fn a_shared_event_takes_its_content_from_the_main_event() {
    let group = shared_group(&[(101, 7), (102, 7)]);
    let mut main = ev(7, 20, 0, 60, "Shared show");
    main.descriptors
        .extend_from_slice(&content(&[[0x0, 0x1, 0xF, 0xF]]));
    main.descriptors.extend_from_slice(&group);
    let reference = EventSpec {
        descriptors: group.clone(),
        ..main.clone()
    };
    // A reference whose main event (service 104) is not in the stream.
    let orphan = EventSpec {
        event_id: 9,
        descriptors: shared_group(&[(103, 9), (104, 9)]),
        ..main.clone()
    };
    let sections = [
        tot(12, 0),
        sched_of(101, 1, 0, &[main]),
        sched_of(102, 1, 0, &[reference]),
        sched_of(103, 1, 0, &[orphan]),
    ];
    // Either service's section may come first.
    for order in [[1, 2, 3], [3, 2, 1]] {
        let all: Vec<Vec<u8>> = std::iter::once(sections[0].clone())
            .chain(order.iter().map(|&i| sections[i].clone()))
            .collect();
        let (epg, stats) = collect(&all);
        let sharer = epg.services.iter().find(|s| s.sid == 102).unwrap();
        let e = &sharer.events[0];
        assert_eq!(e.title, "Shared show");
        assert_eq!(e.genres, vec![[0x0, 0x1, 0xF, 0xF]]);
        assert_eq!(stats.si.changes.shared_events_resolved, 1);
        assert_eq!(stats.si.changes.unresolved_shared_events, 1);
        // The unresolved reference is in the model, with an empty title …
        let unresolved = epg.services.iter().find(|s| s.sid == 103).unwrap();
        assert_eq!(unresolved.events[0].title, "");
        assert!(jsonl(&epg).contains("\"sid\":103"));
        // … and both resolved programmes are in the XMLTV with their title.
        let titles = xmltv_titles(&epg);
        assert_eq!(titles.iter().filter(|t| *t == "Shared show").count(), 2);
    }
}

/// A stream of `cycles` repetitions of `sections`, in packets, with one TOT per cycle starting
/// at `h:m` and a minute apart.
fn packets(cycles: &[(u8, u8, Vec<Vec<u8>>)]) -> Vec<u8> {
    let mut eit = Packetizer::new(0x12);
    let mut clock = Packetizer::new(0x14);
    let mut out = Vec::new();
    for (h, m, sections) in cycles {
        out.extend(clock.pack(&[tot(*h, *m)]));
        out.extend(eit.pack(sections));
    }
    frame(&out, 188)
}

fn read_all(parts: &[&[u8]]) -> Epg {
    let mut collector = Collector::new(CollectorOptions::default());
    let mut stats = Stats::default();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            collector.begin_input();
        }
        let mut reader = TsReader::new(collector);
        reader.push(part);
        let (c, s) = reader.finish();
        stats.merge(&s);
        collector = c;
    }
    collector.finish(&mut stats)
}

#[test]
fn a_stream_read_in_two_parts_equals_the_whole() {
    let (schedule, p) = overrun();
    let later_pf = pf(
        8,
        &[ev(2, 21, 30, 60, "Drama")],
        &[ev(3, 22, 30, 30, "News")],
    );
    let later = sched(
        4,
        0,
        &[ev(2, 21, 30, 60, "Drama"), ev(3, 22, 30, 30, "News")],
    );
    let first: Vec<(u8, u8, Vec<Vec<u8>>)> = (0..3)
        .map(|i| (20, i, [schedule.clone(), p.clone()].concat()))
        .collect();
    let second: Vec<(u8, u8, Vec<Vec<u8>>)> = (0..3)
        .map(|i| (21, 40 + i, [later_pf.clone(), vec![later.clone()]].concat()))
        .collect();
    let whole = packets(&[first.clone(), second.clone()].concat());
    let cut = packets(&first).len();
    let (a, b) = whole.split_at(cut);
    let one = read_all(&[&whole]);
    let two = read_all(&[a, b]);
    assert_eq!(jsonl(&one), jsonl(&two));
    assert_eq!(
        guide(&two),
        g(&[
            (1, "18:00", 210, "Game"),
            (2, "21:30", 60, "Drama"),
            (3, "22:30", 30, "News"),
        ])
    );
}

#[test]
fn sections_a_segment_no_longer_announces_are_empty() {
    // Segment 0 needs two sections in version 1 and only one after a cancellation: section 1
    // is simply not sent any more (segment_last_section_number 0).
    let s0 = |v: u8, last: u8, events: &[EventSpec]| {
        eit_section(0x50, SID, TSID, BS, v, 0, 0x1F, last, 0x50, events)
    };
    let s1 = eit_section(
        0x50,
        SID,
        TSID,
        BS,
        1,
        1,
        0x1F,
        1,
        0x50,
        &[ev(3, 2, 0, 60, "C")],
    );
    let v1 = s0(1, 1, &[ev(1, 0, 0, 60, "A"), ev(2, 1, 0, 60, "B")]);
    let v2 = s0(2, 0, &[ev(1, 0, 0, 60, "A"), ev(3, 2, 0, 60, "C")]);
    let v3 = s0(3, 0, &[ev(1, 0, 0, 60, "A")]);
    let (epg, stats) = collect(&[tot(0, 0), v1, s1.clone(), v2.clone(), s1.clone()]);
    assert_eq!(
        guide(&epg),
        g(&[(1, "00:00", 60, "A"), (3, "02:00", 60, "C")])
    );
    assert_eq!(stats.si.changes.withdrawn_events, 1);
    // The last_section_number shrinks: sections past it are gone too.
    let wide = eit_section(
        0x50,
        SID,
        TSID,
        BS,
        2,
        8,
        0x1F,
        8,
        0x50,
        &[ev(4, 3, 0, 60, "D")],
    );
    let narrow = eit_section(
        0x50,
        SID,
        TSID,
        BS,
        3,
        0,
        0x07,
        0,
        0x50,
        &[ev(1, 0, 0, 60, "A")],
    );
    let (epg, _) = collect(&[tot(0, 0), v2, wide, narrow, v3]);
    assert_eq!(guide(&epg), g(&[(1, "00:00", 60, "A")]));
}

#[test]
fn a_programme_on_air_when_its_segment_drops_stays() {
    // 08:30–10:30 is listed in the 06:00–09:00 segment, which is dropped at 09:05.
    let v1 = [
        sched(1, 16, &[ev(1, 8, 30, 120, "Morning")]),
        sched(1, 24, &[ev(2, 10, 30, 60, "Later")]),
    ];
    let v2 = sched(2, 16, &[]);
    let (epg, stats) = collect(&[vec![tot(9, 0)], v1.to_vec(), vec![tot(9, 5), v2]].concat());
    assert_eq!(
        guide(&epg),
        g(&[(1, "08:30", 120, "Morning"), (2, "10:30", 60, "Later")])
    );
    assert_eq!(stats.si.changes.kept_aired_events, 1);
}

#[test]
fn a_programme_cut_by_breaking_news_ends_where_the_news_starts() {
    let show = ev(1, 19, 30, 90, "Show");
    let news = ev(9, 20, 0, 60, "Breaking news");
    let next = ev(2, 21, 0, 60, "Next");
    let all = [
        vec![tot(19, 40), sched(1, 0, &[show.clone(), next.clone()])],
        pf(1, &[show], std::slice::from_ref(&next)),
        vec![tot(20, 0), sched(2, 0, &[news.clone(), next.clone()])],
        pf(2, &[news], &[next]),
    ]
    .concat();
    let (epg, stats) = collect(&all);
    assert_eq!(
        guide(&epg),
        g(&[
            (1, "19:30", 30, "Show"),
            (9, "20:00", 60, "Breaking news"),
            (2, "21:00", 60, "Next"),
        ])
    );
    assert_eq!(stats.si.changes.aired_events_trimmed, 1);
    assert_eq!(stats.si.changes.broadcast_overlaps, 0);
    assert_no_overlap(&epg);
}
