//! The EPG model built from the independent generator's ISDB streams in
//! `../shared/testdata/generated/` must equal each stream's `*.truth.json`: every service, every
//! event key, start, duration, title, text, extended item, genre, component, series, group.

use epgdump::epg::{read_epg, CollectorOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const GENERATED: &str = "../shared/testdata/generated";

fn streams() -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(GENERATED) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    v.sort();
    v
}

/// Our event in the truth file's vocabulary.
fn event_json(e: &epgdump::epg::Event) -> Value {
    json!({
        "event_id": e.event_id,
        "start": e.start.map(|s| s.rfc3339()),
        "duration": e.duration,
        "title": e.title,
        "text": e.text,
        "extended": e.extended.iter().map(|(d, i)| json!([d, i])).collect::<Vec<_>>(),
        "genres": e.genres,
        "video": e.video.as_ref().map(|v| json!({
            "stream_content": v.stream_content, "component_type": v.component_type,
            "component_tag": v.component_tag, "text": v.text})),
        "audio": e.audio.iter().map(|a| json!({
            "stream_content": a.stream_content, "component_tag": a.component_tag,
            "stream_type": a.stream_type, "simulcast_group_tag": a.simulcast_group_tag,
            "main": u8::from(a.main), "quality": a.quality, "sampling_rate": a.sampling_rate,
            "lang": a.lang, "lang2": a.lang2, "multi_lingual": u8::from(a.multi_lingual),
            "component_type": a.component_type, "text": a.text})).collect::<Vec<_>>(),
        "series": e.series.as_ref().map(|s| json!({
            "series_id": s.series_id, "repeat_label": s.repeat_label,
            "program_pattern": s.program_pattern, "expire_date": s.expire_date,
            "episode_number": s.episode_number, "last_episode_number": s.last_episode_number,
            "series_name": s.series_name})),
        "event_group": e.event_group.iter().map(|g| json!({
            "group_type": g.group_type,
            "events": g.events.iter().map(|(s, e)| json!([s, e])).collect::<Vec<_>>(),
            "other_network": g.other_network.iter().map(|(a, b, c, d)| json!([a, b, c, d])).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "data_content": e.data_content.as_ref().map(|d| json!({
            "data_component_id": d.data_component_id, "entry_component": d.entry_component,
            "text": d.text})),
        "free_ca_mode": u8::from(e.free_ca_mode),
        "sources": e.sources,
        "version_updated": e.version_updated,
    })
}

const EVENT_FIELDS: [&str; 15] = [
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
    "data_content",
    "free_ca_mode",
    "sources",
    "version_updated",
    "event_id",
];

#[test]
fn model_equals_truth() {
    let files = streams();
    if files.is_empty() {
        eprintln!("skipped: {GENERATED} not found");
        return;
    }
    for path in files {
        let truth: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{}.truth.json", path.display())).expect("truth"),
        )
        .expect("json");
        let (epg, stats) = read_epg(Path::new(&path), CollectorOptions::default()).expect("read");
        let mut mismatches = Vec::new();
        let truth_services = truth["services"].as_array().expect("services");
        assert_eq!(
            stats.si.events,
            truth["event_count"].as_u64().expect("event_count"),
            "{}",
            path.display()
        );
        for ts in truth_services {
            let key = (ts["onid"].as_u64(), ts["tsid"].as_u64(), ts["sid"].as_u64());
            let Some(ours) = epg.services.iter().find(|s| {
                (
                    Some(u64::from(s.onid)),
                    Some(u64::from(s.tsid)),
                    Some(u64::from(s.sid)),
                ) == key
            }) else {
                mismatches.push(format!("service {key:?} missing"));
                continue;
            };
            for (k, v) in [
                ("name", json!(ours.name)),
                ("provider", json!(ours.provider)),
                ("type", json!(ours.service_type)),
            ] {
                if ts[k] != v {
                    mismatches.push(format!("service {key:?} {k}: want {} got {v}", ts[k]));
                }
            }
            let truth_events = ts["events"].as_array().expect("events");
            if truth_events.len() != ours.events.len() {
                mismatches.push(format!(
                    "service {key:?}: {} events, want {}",
                    ours.events.len(),
                    truth_events.len()
                ));
            }
            for te in truth_events {
                let Some(oe) = ours
                    .events
                    .iter()
                    .find(|e| Some(u64::from(e.event_id)) == te["event_id"].as_u64())
                else {
                    mismatches.push(format!("service {key:?} event {} missing", te["event_id"]));
                    continue;
                };
                let oj = event_json(oe);
                for f in EVENT_FIELDS {
                    if te[f] != oj[f] {
                        mismatches.push(format!(
                            "sid {} event {} {f}:\n   want {}\n   got  {}",
                            ts["sid"], te["event_id"], te[f], oj[f]
                        ));
                    }
                }
            }
        }
        let compared: usize = truth_services
            .iter()
            .map(|s| s["events"].as_array().map_or(0, Vec::len))
            .sum();
        eprintln!("{}: compared {compared} events", path.display());
        assert!(compared > 0);
        if !mismatches.is_empty() {
            let n = mismatches.len();
            mismatches.truncate(25);
            panic!(
                "{}: {n} mismatches\n{}",
                path.display(),
                mismatches.join("\n")
            );
        }
    }
}
