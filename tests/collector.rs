//! The collector on streams built by the project's own builder: multi-day schedules in 3-hour
//! segments, version changes (31 → 0 too), extended items split mid-character, undefined times,
//! other-TS EIT, repeats, caps and damaged events.

use epgdump::epg::{Collector, CollectorOptions, Epg, System};
use epgdump::stats::Stats;
use epgdump::testsupport::*;

const BS: u16 = 0x0004;
const TSID: u16 = 0x4010;
/// 2024-02-07.
const MJD: u16 = 60347;

fn collect(sections: &[Vec<u8>], opts: CollectorOptions) -> (Epg, Stats, Collector) {
    let mut c = Collector::new(opts);
    let mut stats = Stats::default();
    for s in sections {
        c.add_section(s, &mut stats);
    }
    let epg = c.finish(&mut stats);
    (epg, stats, c)
}

fn ev(event_id: u16, hour: u8, title: &str, extra: &[u8]) -> EventSpec {
    let mut d = short_event(&arib_ascii(title), &arib_ascii("text"));
    d.extend_from_slice(extra);
    EventSpec {
        event_id,
        start: start_time(MJD + u16::from(hour / 24), hour % 24, 0, 0),
        duration: duration(3600),
        descriptors: d,
    }
}

/// A two-day schedule for one service: 16 segments of 3 hours, two sections each where the
/// segment has events, one empty section otherwise.
fn schedule(version: u8, sid: u16) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for seg in 0u8..16 {
        let first = seg * 8;
        let hours = [seg * 3, seg * 3 + 1, seg * 3 + 2];
        if seg % 4 == 3 {
            out.push(eit_section(
                0x50,
                sid,
                TSID,
                BS,
                version,
                first,
                127,
                first,
                0x50,
                &[],
            ));
            continue;
        }
        let e: Vec<EventSpec> = hours
            .iter()
            .map(|&h| ev(1000 + u16::from(h), h, &format!("Prog {h} v{version}"), &[]))
            .collect();
        out.push(eit_section(
            0x50,
            sid,
            TSID,
            BS,
            version,
            first,
            127,
            first + 1,
            0x50,
            &e[..2],
        ));
        out.push(eit_section(
            0x50,
            sid,
            TSID,
            BS,
            version,
            first + 1,
            127,
            first + 1,
            0x50,
            &e[2..],
        ));
    }
    out
}

#[test]
fn multi_day_schedule_and_completeness() {
    let sections = schedule(3, 101);
    let (epg, stats, c) = collect(&sections[..sections.len() - 1], CollectorOptions::default());
    assert!(!c.is_complete(), "one section missing");
    assert_eq!(epg.system, System::Isdb);
    let svc = &epg.services[0];
    assert!(!svc.completeness.complete);
    assert_eq!(stats.si.services_complete, 0);
    let (epg, stats, c) = collect(&sections, CollectorOptions::default());
    assert!(c.is_complete());
    let svc = &epg.services[0];
    assert!(svc.completeness.complete);
    assert_eq!(svc.completeness.received, svc.completeness.expected);
    assert_eq!(stats.si.services_complete, 1);
    assert_eq!(svc.events.len(), 12 * 3);
    assert_eq!(svc.events[0].title, "Prog 0 v3");
    assert_eq!(
        svc.events[0].start.unwrap().rfc3339(),
        "2024-02-07T00:00:00+09:00"
    );
    assert_eq!(svc.events[0].end().unwrap().xmltv(), "20240207010000 +0900");
    let last = svc.events.last().unwrap();
    assert_eq!(last.start.unwrap().rfc3339(), "2024-02-08T20:00:00+09:00");
    // Sorted by start.
    assert!(svc.events.windows(2).all(|w| w[0].start < w[1].start));
    // A service without SDT is kept, with an empty name.
    assert_eq!(svc.name, "");
}

#[test]
fn newest_received_version_wins_including_wrap() {
    let v31 = schedule(31, 101);
    let v0 = schedule(0, 101);
    let (epg, _, c) = collect(
        &[v31.clone(), v0.clone()].concat(),
        CollectorOptions::default(),
    );
    assert_eq!(epg.services[0].events[0].title, "Prog 0 v0");
    assert!(epg.services[0].events[0].version_updated);
    assert!(c.is_complete());
    // Old version received last (a late repeat): most recently received wins.
    let (epg, _, _) = collect(
        &[v31.clone(), v0, v31].concat(),
        CollectorOptions::default(),
    );
    assert_eq!(epg.services[0].events[0].title, "Prog 0 v31");
}

#[test]
fn repeats_are_idempotent() {
    let once = schedule(5, 101);
    let many: Vec<Vec<u8>> = (0..50).flat_map(|_| once.clone()).collect();
    let (a, sa, _) = collect(&once, CollectorOptions::default());
    let (b, sb, _) = collect(&many, CollectorOptions::default());
    assert_eq!(a, b);
    assert_eq!(sa.si.events, sb.si.events);
    assert!(!b.services[0].events[0].version_updated);
}

#[test]
fn extended_items_split_mid_character_across_descriptors() {
    // 日本 = JIS 0x467C 0x4B5C in the Kanji set (G0, invoked in GL by default). The item is cut
    // after the first byte of 本, and a second item continues with an empty description.
    let desc = arib_ascii("Cast");
    let d0 = extended_event(0, 2, &[(&desc, &[0x46, 0x7C, 0x4B])]);
    let d1 = extended_event(1, 2, &[(&[], &[0x5C])]);
    let d2 = extended_event(2, 2, &[(&arib_ascii("Story"), &arib_ascii("abc"))]);
    // Descriptors 0 and 1 in a p/f section, 2 in a schedule-extended section.
    let mut pf_desc = d0.clone();
    pf_desc.extend_from_slice(&d1);
    let pf = eit_section(
        0x4E,
        101,
        TSID,
        BS,
        1,
        0,
        1,
        0,
        0x4E,
        &[ev(7, 10, "News", &pf_desc)],
    );
    let ext = eit_section(
        0x58,
        101,
        TSID,
        BS,
        1,
        0,
        0,
        0,
        0x58,
        &[EventSpec {
            event_id: 7,
            start: start_time(MJD, 10, 0, 0),
            duration: duration(3600),
            descriptors: d2,
        }],
    );
    let (epg, _, _) = collect(&[pf, ext], CollectorOptions::default());
    let e = &epg.services[0].events[0];
    assert_eq!(e.title, "News");
    assert_eq!(
        e.extended,
        vec![
            ("Cast".to_string(), "日本".to_string()),
            ("Story".to_string(), "abc".to_string())
        ]
    );
    assert_eq!(e.sources, vec!["pf/actual", "schedule/actual"]);
}

#[test]
fn schedule_extended_does_not_erase_basic_and_vice_versa() {
    let ext = extended_event(0, 0, &[(&arib_ascii("A"), &arib_ascii("B"))]);
    let basic = eit_section(
        0x50,
        101,
        TSID,
        BS,
        1,
        0,
        0,
        0,
        0x50,
        &[ev(9, 1, "Title", &[])],
    );
    let extended = eit_section(
        0x58,
        101,
        TSID,
        BS,
        1,
        0,
        0,
        0,
        0x58,
        &[EventSpec {
            event_id: 9,
            start: start_time(MJD, 1, 0, 0),
            duration: duration(3600),
            descriptors: ext,
        }],
    );
    for order in [[basic.clone(), extended.clone()], [extended, basic]] {
        let (epg, _, _) = collect(&order, CollectorOptions::default());
        let e = &epg.services[0].events[0];
        assert_eq!(e.title, "Title");
        assert_eq!(e.extended, vec![("A".into(), "B".into())]);
    }
}

#[test]
fn undefined_start_and_duration() {
    let e = EventSpec {
        event_id: 1,
        start: [0xFF; 5],
        duration: [0xFF; 3],
        descriptors: short_event(&arib_ascii("Later"), &[]),
    };
    let s = eit_section(0x4E, 101, TSID, BS, 0, 1, 1, 1, 0x4E, &[e]);
    let (epg, stats, _) = collect(&[s], CollectorOptions::default());
    let e = &epg.services[0].events[0];
    assert_eq!((e.start, e.duration), (None, None));
    assert_eq!(e.end(), None);
    assert_eq!(stats.si.event_errors, 0);
}

#[test]
fn bad_bcd_costs_only_its_event() {
    let mut bad = ev(2, 3, "Bad", &[]);
    bad.start[2] = 0x3A; // hour digit above 9
    let s = eit_section(
        0x50,
        101,
        TSID,
        BS,
        0,
        0,
        0,
        0,
        0x50,
        &[ev(1, 1, "A", &[]), bad, ev(3, 5, "C", &[])],
    );
    let (epg, stats, _) = collect(&[s], CollectorOptions::default());
    let titles: Vec<&str> = epg.services[0]
        .events
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(titles, vec!["A", "C"]);
    assert_eq!(stats.si.event_errors, 1);
}

#[test]
fn lying_descriptor_length_costs_only_its_loop() {
    let mut desc = short_event(&arib_ascii("Kept"), &[]);
    desc.extend_from_slice(&[0x54, 0x40, 0x01]); // content descriptor claiming 64 bytes
    let s = eit_section(
        0x50,
        101,
        TSID,
        BS,
        0,
        0,
        0,
        0,
        0x50,
        &[
            ev(1, 1, "x", &[]),
            EventSpec {
                event_id: 2,
                start: start_time(MJD, 2, 0, 0),
                duration: duration(60),
                descriptors: desc,
            },
        ],
    );
    let (epg, stats, _) = collect(&[s], CollectorOptions::default());
    let ev = &epg.services[0].events;
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1].title, "Kept");
    assert_eq!(stats.si.descriptor_errors, 1);
}

#[test]
fn other_ts_eit_and_sdt_names() {
    let sdt = sdt_section(
        0x42,
        TSID,
        BS,
        0,
        &[(
            101,
            true,
            service_descriptor(1, &arib_ascii("NHK"), &arib_ascii("NHK BS")),
        )],
    );
    let other = eit_section(
        0x60,
        141,
        0x4011,
        BS,
        0,
        0,
        0,
        0,
        0x60,
        &[ev(5, 2, "Other", &[])],
    );
    let own = eit_section(
        0x50,
        101,
        TSID,
        BS,
        0,
        0,
        0,
        0,
        0x50,
        &[ev(6, 2, "Own", &[])],
    );
    let (epg, _, _) = collect(&[sdt, other, own], CollectorOptions::default());
    assert_eq!(epg.services.len(), 2);
    let s101 = epg.services.iter().find(|s| s.sid == 101).unwrap();
    assert_eq!(
        (s101.name.as_str(), s101.provider.as_str()),
        ("NHK BS", "NHK")
    );
    assert_eq!(s101.service_type, Some(1));
    let s141 = epg.services.iter().find(|s| s.sid == 141).unwrap();
    assert_eq!(s141.tsid, 0x4011);
    assert_eq!(s141.events[0].sources, vec!["schedule/other"]);
    assert_eq!(s141.name, "");
}

#[test]
fn caps_refuse_and_count() {
    let opts = CollectorOptions {
        max_events: 10,
        ..CollectorOptions::default()
    };
    let (epg, stats, _) = collect(&schedule(1, 101), opts);
    assert_eq!(epg.services[0].events.len(), 10);
    assert_eq!(stats.si.refused_by_cap, 26);
    let many: Vec<Vec<u8>> = (0..200u16)
        .map(|sid| eit_section(0x50, sid, TSID, BS, 0, 0, 0, 0, 0x50, &[ev(1, 1, "x", &[])]))
        .collect();
    let opts = CollectorOptions {
        max_services: 50,
        ..CollectorOptions::default()
    };
    let (epg, stats, _) = collect(&many, opts);
    assert_eq!(epg.services.len(), 50);
    assert_eq!(stats.si.refused_by_cap, 150);
}

#[test]
fn dvb_stream_is_utc_and_dvb_text() {
    // onid 0x20FA (France), DVB text: 0x05 selects ISO 8859-9, plain ASCII otherwise.
    let d = {
        let mut b = b"fra".to_vec();
        let name = b"Le journal";
        b.push(name.len() as u8);
        b.extend_from_slice(name);
        b.push(0);
        descriptor(0x4D, &b)
    };
    let s = eit_section(
        0x4E,
        0x0101,
        0x0004,
        0x20FA,
        0,
        0,
        1,
        0,
        0x4E,
        &[EventSpec {
            event_id: 0x3840,
            start: start_time(58505, 12, 0, 0),
            duration: duration(55 * 60),
            descriptors: d,
        }],
    );
    let (epg, _, _) = collect(&[s], CollectorOptions::default());
    assert_eq!(epg.system, System::Dvb);
    let e = &epg.services[0].events[0];
    assert_eq!(e.title, "Le journal");
    assert_eq!(e.start.unwrap().rfc3339(), "2019-01-22T12:00:00+00:00");
}

#[test]
fn pf_only_ignores_schedule() {
    let pf = eit_section(
        0x4E,
        101,
        TSID,
        BS,
        0,
        0,
        1,
        0,
        0x4E,
        &[ev(1, 1, "Now", &[])],
    );
    let opts = CollectorOptions {
        pf_only: true,
        ..CollectorOptions::default()
    };
    let mut all = schedule(1, 101);
    all.push(pf);
    let (epg, _, _) = collect(&all, opts);
    assert_eq!(epg.services[0].events.len(), 1);
}

#[test]
fn events_that_leave_pf_are_kept_but_same_version_phantoms_are_withdrawn() {
    // p/f moves on (version 1 → 2): the event that was present is still a good event.
    let a = eit_section(
        0x4E,
        101,
        TSID,
        BS,
        1,
        0,
        1,
        0,
        0x4E,
        &[ev(1, 1, "Earlier", &[])],
    );
    let b = eit_section(
        0x4E,
        101,
        TSID,
        BS,
        2,
        0,
        1,
        0,
        0x4E,
        &[ev(2, 2, "Now", &[])],
    );
    let (epg, _, _) = collect(&[a, b], CollectorOptions::default());
    let titles: Vec<&str> = epg.services[0]
        .events
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(titles, vec!["Earlier", "Now"]);
    // The same section and version arrives with other content: the earlier content was corrupt
    // (a version must change with the content), so what only it said is withdrawn.
    let bad = eit_section(
        0x50,
        101,
        TSID,
        BS,
        4,
        0,
        0,
        0,
        0x50,
        &[ev(1, 1, "A", &[]), ev(999, 3, "Phantom", &[])],
    );
    let good = eit_section(0x50, 101, TSID, BS, 4, 0, 0, 0, 0x50, &[ev(1, 1, "A", &[])]);
    let (epg, stats, c) = collect(&[bad, good], CollectorOptions::default());
    let ids: Vec<u16> = epg.services[0].events.iter().map(|e| e.event_id).collect();
    assert_eq!(ids, vec![1]);
    assert_eq!((stats.si.events, c.event_count()), (1, 1));
}

#[test]
fn dvb_private_descriptors_in_arib_tag_range_do_not_make_it_isdb() {
    // UK onid 0x233A; a private descriptor with tag 0xD5 (ARIB's series tag) in every event.
    let mut d = descriptor(0xD5, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let mut b = b"eng".to_vec();
    b.push(9);
    b.extend_from_slice(b"Pointless");
    b.push(0);
    d.extend(descriptor(0x4D, &b));
    let evs: Vec<EventSpec> = (0..3)
        .map(|i| EventSpec {
            event_id: i,
            start: start_time(58505, 12 + i as u8, 0, 0),
            duration: duration(1800),
            descriptors: d.clone(),
        })
        .collect();
    let s = eit_section(0x4F, 0x1044, 0x1041, 0x233A, 0, 0, 1, 0, 0x4F, &evs);
    let (epg, _, _) = collect(&[s], CollectorOptions::default());
    assert_eq!(epg.system, System::Dvb);
    assert_eq!(epg.services[0].events[0].title, "Pointless");
}

#[test]
fn first_short_event_of_several_languages_is_kept() {
    let se = |lang: &[u8; 3], name: &[u8]| {
        let mut b = lang.to_vec();
        b.push(name.len() as u8);
        b.extend_from_slice(name);
        b.push(0);
        descriptor(0x4D, &b)
    };
    let mut d = se(b"deu", b"Tagesschau");
    d.extend(se(b"fra", b"Le journal"));
    let s = eit_section(
        0x4E,
        1,
        2,
        0x0001,
        0,
        0,
        1,
        0,
        0x4E,
        &[EventSpec {
            event_id: 1,
            start: start_time(58505, 20, 0, 0),
            duration: duration(900),
            descriptors: d,
        }],
    );
    let (epg, _, _) = collect(&[s], CollectorOptions::default());
    assert_eq!(epg.services[0].events[0].title, "Tagesschau");
}

/// An event carrying ~4 KB of extended text in 16 descriptors of 250 bytes each.
fn fat_event(event_id: u16) -> EventSpec {
    let chunk: Vec<u8> = arib_ascii(&"x".repeat(240));
    let mut d = short_event(&arib_ascii(&format!("Fat {event_id}")), &arib_ascii("text"));
    for n in 0..16u8 {
        d.extend_from_slice(&extended_event(n, 15, &[(b"", &chunk)]));
    }
    EventSpec {
        event_id,
        start: start_time(MJD + event_id / 24, (event_id % 24) as u8, 0, 0),
        duration: duration(3600),
        descriptors: d,
    }
}

#[test]
fn the_byte_budget_bounds_what_the_model_holds() {
    let budget = 4 << 20;
    let opts = CollectorOptions {
        max_model_bytes: budget,
        ..CollectorOptions::default()
    };
    let sections: Vec<Vec<u8>> = (0..2000u16)
        .map(|i| {
            let sid = 101 + i / 256;
            let n = (i % 256) as u8;
            eit_section(0x50, sid, TSID, BS, 0, n, 255, n, 0x50, &[fat_event(i)])
        })
        .collect();
    let (epg, stats, c) = collect(&sections, opts);
    let kept = stats.si.events;
    assert!(stats.si.refused_by_budget > 0);
    assert_eq!(kept + stats.si.refused_by_budget, 2000);
    assert!(c.model_bytes() <= budget);
    // What the model really holds (decoded strings) stays within the estimate.
    let decoded: usize = epg
        .services
        .iter()
        .flat_map(|s| s.events.iter())
        .map(|e| {
            e.title.len()
                + e.text.len()
                + e.extended
                    .iter()
                    .map(|(d, i)| d.len() + i.len())
                    .sum::<usize>()
        })
        .sum();
    assert!(decoded <= budget, "decoded {decoded} > budget {budget}");
    // Most of the budget is used: the estimate is not wildly pessimistic either.
    assert!(kept >= 200, "only {kept} events kept");
    // The same content again (a repeat cycle) is still accepted: it does not grow anything.
    let (_, again, _) = collect(&[sections.clone(), sections].concat(), opts);
    assert_eq!(again.si.events, kept);
}
