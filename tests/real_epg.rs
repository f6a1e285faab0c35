//! The EPG model on real captures in `../shared/testdata/real/` (skipped when absent):
//! DVB test-184 against TSDuck's `--epg-dump --summary` oracle, and the only real Japanese EIT
//! (test-101, ISDB-S BS).

use epgdump::epg::{read_epg, CollectorOptions, System};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const REAL: &str = "../shared/testdata/real";

/// (date, time, minutes, title) per service name, from TSDuck's summary.
fn parse_summary(text: &str) -> BTreeMap<String, BTreeSet<(String, String, u32, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String, u32, String)>> = BTreeMap::new();
    let mut service: Option<String> = None;
    let mut date = String::new();
    for line in text.lines() {
        if line.starts_with("Summary") {
            break;
        }
        if let Some((num, name)) = line.split_once(". ") {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                service = Some(name.to_string());
                continue;
            }
        }
        if line.len() == 10 && line.as_bytes().get(4) == Some(&b'/') {
            date = line.to_string();
            continue;
        }
        // TSDuck wraps long titles onto lines indented by four spaces.
        if let (Some(s), Some(more)) = (&service, line.strip_prefix("    ")) {
            if let Some(last) = out.get_mut(s).and_then(|v| v.last_mut()) {
                last.3.push(' ');
                last.3.push_str(more.trim());
            }
            continue;
        }
        if let (Some(s), Some(rest)) = (&service, line.strip_prefix("  ")) {
            let mut parts = rest.splitn(3, ", ");
            if let (Some(time), Some(mn), Some(title)) = (parts.next(), parts.next(), parts.next())
            {
                let minutes = mn.trim_end_matches(" mn").parse().expect("minutes");
                out.entry(s.clone()).or_default().push((
                    date.clone(),
                    time.to_string(),
                    minutes,
                    title.to_string(),
                ));
            }
        }
    }
    out.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

#[test]
fn dvb_fr_184_matches_tsduck_summary() {
    let ts = Path::new(REAL).join("dvb-fr_eit-sched-truncated_tsduck-test-184.ts");
    let oracle = Path::new(REAL).join("oracle/tsduck-test-184.epg-summary.txt");
    if !ts.exists() || !oracle.exists() {
        eprintln!("skipped: {} or its oracle not found", ts.display());
        return;
    }
    let want = parse_summary(&std::fs::read_to_string(&oracle).expect("oracle"));
    assert_eq!(want.values().map(BTreeSet::len).sum::<usize>(), 346);
    let (epg, stats) = read_epg(&ts, CollectorOptions::default()).expect("read");
    assert_eq!(epg.system, System::Dvb);
    assert_eq!(stats.si.events, 346);
    let mut got: BTreeMap<String, BTreeSet<(String, String, u32, String)>> = BTreeMap::new();
    for s in &epg.services {
        for e in &s.events {
            let start = e.start.expect("defined start");
            let l = start.local;
            got.entry(s.name.clone()).or_default().insert((
                format!("{:04}/{:02}/{:02}", l.year, l.month, l.day),
                format!("{:02}:{:02}", l.hour, l.minute),
                e.duration.expect("defined duration") / 60,
                e.title.clone(),
            ));
        }
    }
    for (name, events) in &want {
        assert_eq!(got.get(name), Some(events), "service {name}");
    }
    assert_eq!(got.len(), want.len());
}

#[test]
fn isdb_bs_101_gives_five_events_with_titles() {
    let ts = Path::new(REAL).join("isdb-s-bs_tsduck-test-101.ts");
    if !ts.exists() {
        eprintln!("skipped: {} not found", ts.display());
        return;
    }
    let (epg, stats) = read_epg(&ts, CollectorOptions::default()).expect("read");
    assert_eq!(epg.system, System::Isdb);
    assert_eq!(stats.si.events, 5);
    let titles: Vec<(u16, String)> = epg
        .services
        .iter()
        .flat_map(|s| s.events.iter().map(move |e| (s.sid, e.title.clone())))
        .collect();
    for (sid, t) in &titles {
        eprintln!("{sid}: {t}");
        assert!(!t.is_empty());
        assert!(!t.contains('\u{FFFD}'), "{t}");
    }
    assert!(titles
        .iter()
        .any(|(sid, t)| *sid == 181 && t.contains("BSフジ4Kシアター") && t.contains("ジュマンジ")));
    // The spec (§1.5.3, vector V63) decodes JIS 0x2141 as U+FF5E and the Kanji set's 0x212A
    // as U+FF01; the MANIFEST quotes another decoder's 〜 (U+301C) and '!'.
    assert!(titles
        .iter()
        .any(|(_, t)| t.starts_with("ブラマヨ弾話室～ニッポン、どうかしてるぜ！～ #157")));
    assert!(titles
        .iter()
        .any(|(sid, t)| *sid == 234 && t.contains("ＶＡＮで勝ち馬さがしてみませんか #76")));
}

/// DVB test-038: p/f has event 19245 of service 259 (ČT24) starting at 19:03:35 for 56:25,
/// while the schedule still says 19:05 for 55:58. p/f decides the timing whatever the order
/// the two arrive in.
#[test]
fn dvb_cz_038_takes_pf_timing_over_the_schedule() {
    let ts = Path::new(REAL).join("dvb-cz_eit-iso6937_tsduck-test-038.ts");
    if !ts.exists() {
        eprintln!("skipped: {} not found", ts.display());
        return;
    }
    let (epg, stats) = read_epg(&ts, CollectorOptions::default()).expect("read");
    let ev = epg
        .services
        .iter()
        .filter(|s| s.sid == 259)
        .flat_map(|s| s.events.iter())
        .find(|e| e.event_id == 19245)
        .expect("event 19245");
    assert_eq!(
        ev.start.map(|t| t.rfc3339()).as_deref(),
        Some("2019-01-19T19:03:35+00:00")
    );
    assert_eq!(ev.duration, Some(56 * 60 + 25));
    assert_eq!(stats.si.changes.pf_timing_overrides, 1);
}
