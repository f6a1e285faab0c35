//! Output writers: golden files for every format (`testdata/golden/`, rewritten with
//! `EPGDUMP_UPDATE_GOLDEN=1`), XMLTV validity with `tv_validate_file` (xmltv-util; skipped with a
//! note when it is not installed), JSON/JSONL parsing, escaping round trips, the generated ISDB
//! streams through every writer, and hostile model content that must not panic.

use epgdump::epg::model::{
    Audio, Clock, Completeness, DataContent, EventGroup, Network, SdtSource, Series,
    TransportStreamInfo, Video,
};
use epgdump::epg::{read_epg, CollectorOptions, Epg, Event, Service, System, Timestamp};
use epgdump::output::{
    channel_id, write_epgdump_xml, write_json, write_jsonl, write_xmltv, ChannelIdStyle,
    OutputOptions, WriteSummary,
};
use epgdump::si::time::CivilTime;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

const GENERATED: &str = "../shared/testdata/generated";

/// The tricky title: every XML special character and a control character.
const TRICKY_TITLE: &str = "ニュース【再】 & <速報> \"特集\" 'A'\u{1}";

fn jst(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> Timestamp {
    Timestamp {
        local: CivilTime {
            year,
            month,
            day,
            hour,
            minute,
            second: 0,
        },
        utc_offset: 9 * 3600,
    }
}

fn event(event_id: u16, start: Option<Timestamp>, duration: Option<u32>, title: &str) -> Event {
    epgdump::testsupport::model_event(event_id, start, duration, title)
}

fn video(component_type: u8) -> Option<Video> {
    Some(Video {
        stream_content: 0x01,
        component_type,
        component_tag: 0,
        lang: "jpn".into(),
        text: String::new(),
    })
}

fn audio(component_type: u8, main: bool, lang2: Option<&str>, text: &str) -> Audio {
    Audio {
        stream_content: 0x02,
        component_tag: if main { 0x10 } else { 0x11 },
        stream_type: 0x0F,
        simulcast_group_tag: 0xFF,
        main,
        quality: 3,
        sampling_rate: 7,
        lang: "jpn".into(),
        lang2: lang2.map(str::to_owned),
        multi_lingual: lang2.is_some(),
        component_type,
        text: text.into(),
    }
}

fn service(onid: u16, tsid: u16, sid: u16, name: &str, events: Vec<Event>) -> Service {
    Service {
        onid,
        tsid,
        sid,
        name: name.into(),
        provider: "ＮＨＫ".into(),
        service_type: Some(0x01),
        sdt: SdtSource::Actual,
        eit_schedule_flag: Some(true),
        eit_present_following_flag: Some(true),
        free_ca_mode: Some(false),
        remote_control_key_id: None,
        events,
        completeness: Completeness::default(),
    }
}

/// A small realistic Japanese guide: one BS service, two terrestrial ones.
fn sample_epg() -> Epg {
    // BS 101: news (re-run, attributes, captions, series), a new drama with undefined duration
    // and CS genre and two audio components, and an event with an undefined start.
    let mut news = event(
        0x1001,
        Some(jst(2024, 2, 7, 9, 0)),
        Some(3600),
        TRICKY_TITLE,
    );
    news.text = "国内外のニュースをお伝えします。".into();
    news.extended = vec![
        ("番組内容".into(), "特集「春の訪れ」\n各地の様子".into()),
        ("出演者".into(), "【キャスター】山田太郎".into()),
    ];
    news.genres = vec![
        [0x0, 0x0, 0xF, 0xF],
        [0x0, 0x1, 0xF, 0xF],
        [0xE, 0x0, 0x0, 0x1],
    ];
    news.video = video(0xB3);
    news.audio = vec![audio(0x03, true, None, "")];
    news.series = Some(Series {
        series_id: 0x123,
        repeat_label: 0,
        program_pattern: 1,
        expire_date: None,
        episode_number: 12,
        last_episode_number: 12,
        series_name: "ニュース".into(),
    });
    news.data_content = Some(DataContent {
        data_component_id: 0x0008,
        entry_component: 0x30,
        text: "字幕".into(),
    });
    news.event_group = vec![EventGroup {
        group_type: 1,
        events: vec![(101, 0x1001), (102, 0x1001)],
        other_network: Vec::new(),
    }];
    news.sources = vec!["pf/actual", "schedule/actual"];
    news.running_status = 4;

    let mut drama = event(
        0x1002,
        Some(jst(2024, 2, 7, 10, 0)),
        None,
        "[新]ドラマ「春」第1話",
    );
    drama.text = "二か国語".into();
    drama.extended = vec![("あらすじ".into(), "主人公が旅に出る。".into())];
    drama.genres = vec![
        [0x3, 0x1, 0xF, 0xF],
        [0xE, 0x1, 0x1, 0x0],
        [0xE, 0x0, 0x2, 0x0],
    ];
    drama.video = video(0xB3);
    drama.audio = vec![
        audio(0x03, false, None, "副音声"),
        audio(0x02, true, Some("eng"), "日本語\n英語"),
    ];
    drama.series = Some(Series {
        series_id: 0x456,
        repeat_label: 0,
        program_pattern: 1,
        expire_date: Some("2024-03-31".into()),
        episode_number: 1,
        last_episode_number: 0,
        series_name: "ドラマ「春」".into(),
    });
    drama.free_ca_mode = true;
    drama.parental_rating = vec![("JPN".into(), 0)];

    let undefined = event(0x1003, None, Some(1800), "放送休止");

    let mut bs = service(
        4,
        16625,
        101,
        "ＮＨＫ　ＢＳ１",
        vec![news, drama, undefined],
    );
    bs.completeness = Completeness {
        received: 3,
        expected: 3,
        complete: true,
    };

    // GR 1024: remote_control_key_id from the NIT; a premiere with a control character, CR/LF
    // text, surround audio, an SD 4:3 video, a 3D attribute.
    let mut anime = event(
        0x2001,
        Some(jst(2024, 2, 7, 23, 30)),
        Some(1800),
        "\u{7}アニメ🈠「星」\u{FFFF}",
    );
    anime.text = "1行目\r2行目".into();
    anime.extended = vec![("".into(), "説明のない項目".into())];
    anime.genres = vec![
        [0x7, 0x0, 0xF, 0xF],
        [0x7, 0x0, 0xF, 0xF],
        [0xE, 0x0, 0x2, 0x0],
    ];
    anime.video = video(0x01);
    anime.audio = vec![audio(0x09, true, None, "5.1ch")];
    let mut gr = service(0x7FE0, 0x7FE0, 1024, "東西テレビ１", vec![anime]);
    gr.provider = "東西テレビ".into();

    // GR 1032: on a TS the NIT does not list (no remote_control_key_id): GR_1032. An event with
    // an empty short text and no components.
    let plain = event(
        0x3001,
        Some(jst(2024, 2, 8, 0, 0)),
        Some(600),
        "天気予報 'お天気' & 交通情報",
    );
    let mut gr2 = service(0x7FE0, 0x7FE1, 1032, "東西テレビ２ <HD>", vec![plain]);
    gr2.provider = "東西テレビ".into();

    Epg {
        system: System::Isdb,
        network: Some(Network {
            network_id: 0x7FE0,
            name: "東西".into(),
            transport_streams: vec![TransportStreamInfo {
                transport_stream_id: 0x7FE0,
                original_network_id: 0x7FE0,
                remote_control_key_id: Some(1),
                ts_name: Some("東西".into()),
            }],
        }),
        services: vec![bs, gr, gr2],
        clock: Some(Clock {
            first: jst(2024, 2, 7, 8, 0),
            last: jst(2024, 2, 7, 8, 1),
            count: 2,
        }),
    }
}

/// A one-service DVB guide (UTC, English only).
fn dvb_epg() -> Epg {
    let utc = Timestamp {
        utc_offset: 0,
        ..jst(2024, 5, 1, 18, 0)
    };
    let mut e = event(7, Some(utc), Some(1800), "News & Weather");
    e.text = "The day's <top> stories.".into();
    e.genres = vec![[0x2, 0x0, 0, 0], [0x4, 0x1, 0, 0]];
    e.audio = vec![Audio {
        stream_content: 0x02,
        component_type: 0x03,
        ..audio(0x03, true, None, "")
    }];
    e.video = Some(Video {
        stream_content: 0x01,
        component_type: 0x03,
        component_tag: 1,
        lang: "eng".into(),
        text: String::new(),
    });
    Epg {
        system: System::Dvb,
        network: None,
        services: vec![service(8442, 1, 1537, "BBC ONE", vec![e])],
        clock: None,
    }
}

type Writer = fn(&Epg, &OutputOptions, &mut Vec<u8>) -> io::Result<WriteSummary>;

fn run(writer: Writer, epg: &Epg, opts: &OutputOptions) -> (Vec<u8>, WriteSummary) {
    let mut out = Vec::new();
    let summary = writer(epg, opts, &mut out).unwrap();
    (out, summary)
}

fn xmltv(epg: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> io::Result<WriteSummary> {
    write_xmltv(epg, o, w)
}
fn json(epg: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> io::Result<WriteSummary> {
    write_json(epg, o, w)
}
fn jsonl(epg: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> io::Result<WriteSummary> {
    write_jsonl(epg, o, w)
}
fn epgdump_xml(epg: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> io::Result<WriteSummary> {
    write_epgdump_xml(epg, o, w)
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/golden")
        .join(name)
}

/// Compares `bytes` with the golden file, or rewrites it under `EPGDUMP_UPDATE_GOLDEN=1`.
fn check_golden(name: &str, bytes: &[u8]) -> PathBuf {
    let path = golden_path(name);
    if std::env::var_os("EPGDUMP_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        eprintln!("note: EPGDUMP_UPDATE_GOLDEN=1: rewrote {}", path.display());
        return path;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with EPGDUMP_UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if want != bytes {
        let got = String::from_utf8_lossy(bytes);
        let want = String::from_utf8_lossy(&want);
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{} differs from the writer's output at line {}:\n got: {:?}\nwant: {:?}\n\
             (EPGDUMP_UPDATE_GOLDEN=1 rewrites it after review)",
            path.display(),
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
    path
}

/// Result of `tv_validate_file`: `None` when it is not installed.
fn tv_validate(path: &Path) -> Option<(bool, String)> {
    let out = Command::new("tv_validate_file")
        .env("XMLTV_SUPPLEMENT", "/usr/share/xmltv")
        .arg(path)
        .output();
    match out {
        Ok(o) => Some((
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED: tv_validate_file not on PATH (install xmltv-util); {} not validated",
                path.display()
            );
            None
        }
        Err(e) => panic!("tv_validate_file: {e}"),
    }
}

/// The file must pass `tv_validate_file` completely.
fn assert_validates(path: &Path) {
    if let Some((ok, report)) = tv_validate(path) {
        assert!(
            ok && report.contains("Validated ok."),
            "{}: {report}",
            path.display()
        );
    }
}

/// The file must be DTD-valid and pass every `tv_validate_file` check except its channel-id
/// heuristic (`name.domain`), which epgdump's ids such as `BS_101` cannot meet.
fn assert_validates_except_ids(path: &Path) {
    if let Some((ok, report)) = tv_validate(path) {
        if ok {
            assert!(report.contains("Validated ok."), "{report}");
            return;
        }
        for line in report.lines() {
            let allowed = (line.starts_with("Line ") && line.contains("Invalid channel-id '"))
                || line == "1 error found.";
            assert!(
                allowed,
                "{}: unexpected validation problem {line:?} in:\n{report}",
                path.display()
            );
        }
    }
}

/// Parses an XML document completely with quick-xml; returns the unescaped text of every
/// `<title>` element.
fn parse_xml(bytes: &[u8]) -> Vec<String> {
    use quick_xml::events::Event as X;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut titles = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(X::Start(s)) if s.name().as_ref() == b"title" => current = Some(String::new()),
            Ok(X::End(e)) if e.name().as_ref() == b"title" => titles.extend(current.take()),
            Ok(X::Text(t)) => {
                if let Some(c) = current.as_mut() {
                    let raw = std::str::from_utf8(t.as_ref()).unwrap();
                    c.push_str(&quick_xml::escape::unescape(raw).unwrap());
                }
            }
            Ok(X::GeneralRef(r)) => {
                let name = std::str::from_utf8(r.as_ref()).unwrap();
                let s = quick_xml::escape::unescape(&format!("&{name};"))
                    .unwrap()
                    .into_owned();
                if let Some(c) = current.as_mut() {
                    c.push_str(&s);
                }
            }
            Ok(X::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{}",
                reader.buffer_position(),
                String::from_utf8_lossy(bytes)
            ),
        }
        buf.clear();
    }
    titles
}

fn triplet() -> OutputOptions {
    OutputOptions {
        channel_ids: ChannelIdStyle::Triplet,
        ..OutputOptions::default()
    }
}

#[test]
fn xmltv_golden_and_valid() {
    let epg = sample_epg();
    let (bytes, summary) = run(xmltv, &epg, &OutputOptions::default());
    assert_eq!(
        summary,
        WriteSummary {
            channels: 3,
            programmes: 4,
            skipped_undefined_start: 1,
            ..WriteSummary::default()
        }
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n<tv generator-info-name=\"epgdump-rs\""
    ));
    for id in ["101.4.bs", "1024.32736.gr", "1032.32736.gr"] {
        assert!(text.contains(&format!("<channel id=\"{id}\">")), "{id}");
    }
    // Undefined duration: no stop. Undefined start: not written.
    assert!(text.contains("<programme start=\"20240207100000 +0900\" channel=\"101.4.bs\">"));
    assert!(!text.contains("放送休止"));
    assert!(text.contains("<episode-num system=\"xmltv_ns\">.11/12.</episode-num>"));
    assert!(text.contains("<episode-num system=\"onscreen\">12/12</episode-num>"));
    assert!(text.contains("<episode-num system=\"dd_progid\">EP0010100291.0012</episode-num>"));
    // Episode 12 of 12: the last one.
    assert!(text.contains("<last-chance/>"));
    assert!(text.contains("<category lang=\"en\">News</category>"));
    assert!(text.contains("<category lang=\"en\">Series</category>"));
    assert!(text.contains("<subtitles type=\"teletext\"/>"));
    assert!(text.contains("<previously-shown/>") && text.contains("<new/>"));
    assert!(text.contains("<premiere/>"));
    assert!(
        text.contains("<stereo>bilingual</stereo>") && text.contains("<stereo>surround</stereo>")
    );
    assert!(text.contains("<quality>HDTV</quality>") && text.contains("<aspect>4:3</aspect>"));
    // Duplicate genre entries give one category each.
    assert_eq!(
        text.matches("<category lang=\"ja\">アニメ／特撮</category>")
            .count(),
        1
    );
    // The tricky title round-trips minus the control character.
    let titles = parse_xml(&bytes);
    assert!(
        titles.contains(&TRICKY_TITLE.replace('\u{1}', "")),
        "{titles:?}"
    );
    assert!(titles.contains(&"アニメ🈠「星」".to_owned()), "{titles:?}");
    let path = check_golden("xmltv.xml", &bytes);
    assert_validates(&path);

    // epgdump's ids on request: DTD-valid, but not RFC 2838-style.
    let epgdump_ids = OutputOptions {
        channel_ids: ChannelIdStyle::Epgdump,
        ..OutputOptions::default()
    };
    let (bytes, _) = run(xmltv, &epg, &epgdump_ids);
    for id in ["BS_101", "GR1_1024", "GR_1032"] {
        assert!(String::from_utf8_lossy(&bytes).contains(&format!("<channel id=\"{id}\">")));
    }
    let path = std::env::temp_dir().join(format!("epgdump-writers-ids-{}.xml", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    assert_validates_except_ids(&path);
    std::fs::remove_file(&path).ok();

    let (bytes, _) = run(xmltv, &epg, &triplet());
    assert!(String::from_utf8_lossy(&bytes).contains("<channel id=\"4.16625.101\">"));
    let path = check_golden("xmltv-triplet.xml", &bytes);
    assert_validates(&path);
}

#[test]
fn xmltv_dvb_golden_and_valid() {
    let epg = dvb_epg();
    let (bytes, summary) = run(xmltv, &epg, &OutputOptions::default());
    assert_eq!(summary.programmes, 1);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("<channel id=\"1537.8442.dvb\">"));
    assert!(text.contains("<display-name>BBC ONE</display-name>"));
    assert!(text.contains("start=\"20240501180000 +0000\" stop=\"20240501183000 +0000\""));
    assert!(!text.contains("lang=\"ja\""));
    assert!(text.contains("<category lang=\"en\">News / Current affairs</category>"));
    assert!(text.contains("<category lang=\"en\">Sports</category>"));
    assert!(text.contains(
        "<category lang=\"en\">Special events (Olympic Games, World Cup, etc.)</category>"
    ));
    assert!(text.contains("<stereo>stereo</stereo>"));
    let path = check_golden("xmltv-dvb.xml", &bytes);
    assert_validates(&path);
}

#[test]
fn json_golden_and_schema() {
    let epg = sample_epg();
    let (bytes, summary) = run(json, &epg, &OutputOptions::default());
    assert_eq!(
        (
            summary.channels,
            summary.programmes,
            summary.skipped_undefined_start
        ),
        (3, 4, 1)
    );
    check_golden("epgdump.json", &bytes);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let chans = v.as_array().unwrap();
    let sids: Vec<u64> = chans
        .iter()
        .map(|c| c["service_id"].as_u64().unwrap())
        .collect();
    assert_eq!(sids, [101, 1024, 1032]);
    let keys: Vec<&str> = chans[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    // serde_json without preserve_order sorts keys when parsing; check order on the raw text.
    assert_eq!(keys.len(), 7);
    let raw = String::from_utf8(bytes.clone()).unwrap();
    assert!(raw.starts_with(
        "[{\"id\":\"BS_101\",\"transport_stream_id\":16625,\"original_network_id\":4,\"service_id\":101,\"name\":\"ＮＨＫ　ＢＳ１\",\"satelliteinfo\":{\"TP\":\"BS15\",\"SLOT\":0},\"programs\":[{\"channel\":\"BS_101\",\"title\":"
    ));
    assert!(chans[1].get("satelliteinfo").is_none());
    let p = &chans[0]["programs"];
    assert_eq!(p.as_array().unwrap().len(), 2);
    assert_eq!(p[0]["start"], 1_707_264_000_000_i64);
    assert_eq!(p[0]["end"], 1_707_267_600_000_i64);
    assert_eq!(p[0]["duration"], 3600);
    assert_eq!(p[0]["attachinfo"], serde_json::json!(["延長の可能性あり"]));
    assert_eq!(p[0]["category"].as_array().unwrap().len(), 2);
    assert_eq!(p[0]["category"][1]["middle"]["ja_JP"], "天気");
    assert_eq!(
        p[0]["video"],
        serde_json::json!({"resolution": "HD", "aspect": "16:9"})
    );
    assert_eq!(p[0]["extdetail"][1]["item"], "【キャスター】山田太郎");
    assert_eq!(p[0]["title"], TRICKY_TITLE);
    // The undefined duration of the last programme: start + 1 hour.
    assert_eq!(p[1]["end"], 1_707_271_200_000_i64);
    assert_eq!(p[1]["duration"], 3600);
    assert_eq!(summary.filled_stops, 1);
    assert_eq!(p[1]["freeCA"], true);
    assert_eq!(p[1]["category"][1]["large"]["ja_JP"], "洋画");
    assert_eq!(p[1]["category"][1]["middle"]["en"], "Action");
    assert_eq!(
        p[1]["attachinfo"],
        serde_json::json!(["当該イベント中に3D映像あり"])
    );
    assert_eq!(
        p[1]["audio"],
        serde_json::json!([
            {"type": "デュアルモノ", "langcode": "jpn_eng", "extdesc": "日本語\n英語"},
            {"type": "ステレオ", "langcode": "jpn", "extdesc": "副音声"}
        ])
    );
    assert_eq!(chans[1]["id"], "GR1_1024");
    assert_eq!(chans[1]["programs"][0]["video"]["resolution"], "SD");
    assert_eq!(
        chans[1]["programs"][0]["audio"][0]["type"],
        "サラウンドステレオ"
    );
}

#[test]
fn jsonl_golden_and_lines() {
    let epg = sample_epg();
    let (bytes, summary) = run(jsonl, &epg, &OutputOptions::default());
    assert_eq!(
        (
            summary.channels,
            summary.programmes,
            summary.skipped_undefined_start
        ),
        (3, 5, 0)
    );
    check_golden("events.jsonl", &bytes);
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    let first = &lines[0];
    for key in [
        "onid",
        "tsid",
        "sid",
        "event_id",
        "channel",
        "service_name",
        "start",
        "end",
        "duration",
        "title",
        "text",
        "extended",
        "extended_text",
        "genres",
        "video",
        "audio",
        "series",
        "event_group",
        "data_content",
        "captions",
        "parental_rating",
        "free_ca_mode",
        "running_status",
        "sources",
        "version_updated",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(first["start"], "2024-02-07T09:00:00+09:00");
    assert_eq!(first["end"], "2024-02-07T10:00:00+09:00");
    assert_eq!(first["channel"], "BS_101");
    assert_eq!(first["captions"], true);
    assert_eq!(first["genres"][2], serde_json::json!([14, 0, 0, 1]));
    assert_eq!(first["extended"][0][0], "番組内容");
    assert_eq!(lines[1]["duration"], serde_json::Value::Null);
    assert_eq!(lines[1]["end"], serde_json::Value::Null);
    assert_eq!(lines[2]["start"], serde_json::Value::Null);
    assert_eq!(lines[2]["title"], "放送休止");
    assert_eq!(lines[3]["text"], "1行目\r2行目");
}

#[test]
fn epgdump_xml_golden_and_well_formed() {
    let epg = sample_epg();
    let (bytes, summary) = run(epgdump_xml, &epg, &OutputOptions::default());
    assert_eq!(
        (
            summary.channels,
            summary.programmes,
            summary.skipped_undefined_start
        ),
        (3, 4, 1)
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n\n<tv generator-info-name=\"tsEPG2xml\" generator-info-url=\"http://localhost/\">"
    ));
    assert!(text.contains(
        "<channel id=\"BS_101\" transport_stream_id=\"16625\" original_network_id=\"4\" service_id=\"101\">"
    ));
    assert!(text.contains("<TP>BS15</TP>"));
    assert!(text.contains(
        "<programme start=\"20240207090000 +0900\" stop=\"20240207100000 +0900\" channel=\"BS_101\" event_id=\"4097\" duration=\"3600\">"
    ));
    assert!(text.contains(
        "<programme start=\"20240207100000 +0900\" stop=\"20240207110000 +0900\" channel=\"BS_101\" event_id=\"4098\" duration=\"3600\">"
    ));
    assert_eq!(summary.filled_stops, 1);
    // One <extdesc> with every item, as Piro77 writes it.
    assert!(text.contains("<extdesc>\n      <item_description>番組内容</item_description>"));
    assert!(text.contains("<category_middle lang=\"ja_JP\">天気</category_middle>"));
    assert!(text.contains("<attachinfo>延長の可能性あり</attachinfo>"));
    assert!(text.contains("<video id=\"179\">"));
    let titles = parse_xml(&bytes);
    assert!(
        titles.contains(&TRICKY_TITLE.replace('\u{1}', "")),
        "{titles:?}"
    );
    check_golden("epgdump.xml", &bytes);

    // DVB: the model's offset, not +0900.
    let (bytes, _) = run(epgdump_xml, &dvb_epg(), &OutputOptions::default());
    assert!(String::from_utf8(bytes)
        .unwrap()
        .contains("start=\"20240501180000 +0000\""));
}

#[test]
fn service_filters_and_channel_ids() {
    let epg = sample_epg();
    let only = OutputOptions {
        services: Some(vec![1024, 1032]),
        exclude_services: vec![1032],
        ..OutputOptions::default()
    };
    let (bytes, summary) = run(xmltv, &epg, &only);
    assert_eq!((summary.channels, summary.programmes), (1, 1));
    assert!(!String::from_utf8_lossy(&bytes).contains("101.4.bs"));
    let (_, summary) = run(json, &epg, &only);
    assert_eq!((summary.channels, summary.programmes), (1, 1));
    let prefix = ChannelIdStyle::Prefix("GR27".into());
    assert_eq!(channel_id(&epg, &epg.services[1], &prefix), "GR27_1024");
}

/// Hostile strings and codes: the writers must neither panic nor produce ill-formed output.
#[test]
fn hostile_content_does_not_panic() {
    let controls: String = (0u32..0x20)
        .chain(0x7F..0xA0)
        .chain([0xFFFE, 0xFFFF, 0xFFFD])
        .filter_map(char::from_u32)
        .collect();
    let huge = "&<>\"'\r\n\t]]>".repeat(20_000);
    let mut events = Vec::new();
    for (i, s) in ["", controls.as_str(), huge.as_str()].iter().enumerate() {
        let mut e = event(i as u16, Some(jst(2024, 1, 1, 0, 0)), Some(u32::MAX), s);
        e.text = (*s).to_owned();
        e.extended = vec![
            ((*s).to_owned(), (*s).to_owned()),
            (String::new(), String::new()),
        ];
        e.extended_text = (*s).to_owned();
        e.genres = (0..=255u8)
            .map(|b| [b, b >> 4, b, b.wrapping_mul(7)])
            .collect();
        e.video = video(i as u8 * 0x7F);
        e.audio = (0..=255u8)
            .map(|t| audio(t, t % 3 == 0, Some(&controls), &controls))
            .collect();
        e.audio[0].text = (*s).to_owned();
        e.series = Some(Series {
            series_id: 0,
            repeat_label: 0,
            program_pattern: 0,
            expire_date: None,
            episode_number: u16::MAX,
            last_episode_number: 0,
            series_name: (*s).to_owned(),
        });
        events.push(e);
    }
    let far = Timestamp {
        local: CivilTime {
            year: 9999,
            month: 12,
            day: 31,
            hour: 23,
            minute: 59,
            second: 59,
        },
        utc_offset: -12 * 3600,
    };
    events.push(event(9, Some(far), Some(u32::MAX), "far"));
    let mut svc = service(4, 0xFFFF, 0xFFFF, &controls, events);
    svc.remote_control_key_id = Some(255);
    for system in [System::Isdb, System::Dvb] {
        let epg = Epg {
            system,
            network: None,
            services: vec![svc.clone(), service(0, 0, 0, &huge, Vec::new())],
            clock: None,
        };
        for (style, extras) in [
            (ChannelIdStyle::Auto, true),
            (ChannelIdStyle::Epgdump, false),
            (ChannelIdStyle::Triplet, true),
            (ChannelIdStyle::Prefix(controls.clone()), false),
        ] {
            let opts = OutputOptions {
                channel_ids: style,
                all_channels: extras,
                sub_title: extras,
                ..OutputOptions::default()
            };
            let (x, _) = run(xmltv, &epg, &opts);
            parse_xml(&x);
            let (x, _) = run(epgdump_xml, &epg, &opts);
            parse_xml(&x);
            let (j, _) = run(json, &epg, &opts);
            serde_json::from_slice::<serde_json::Value>(&j).unwrap();
            let (l, s) = run(jsonl, &epg, &opts);
            let text = String::from_utf8(l).unwrap();
            assert_eq!(text.lines().count() as u64, s.programmes);
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line).unwrap();
            }
        }
    }
}

fn generated_streams() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    v.sort();
    v
}

/// The generated ISDB streams through every writer; XMLTV validated with tv_validate_file.
#[test]
fn generated_streams_through_every_writer() {
    let streams = generated_streams();
    if streams.is_empty() {
        eprintln!("SKIPPED: no generated streams in {GENERATED}");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("epgdump-writers-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for ts in streams {
        let (epg, _) = read_epg(&ts, CollectorOptions::default()).unwrap();
        let events: u64 = epg.services.iter().map(|s| s.events.len() as u64).sum();
        assert!(events > 0, "{}: no events", ts.display());
        let undefined: u64 = epg
            .services
            .iter()
            .flat_map(|s| &s.events)
            .filter(|e| e.start.is_none())
            .count() as u64;
        let name = ts.file_name().unwrap().to_string_lossy().into_owned();

        for (style, label) in [
            (triplet(), "triplet"),
            (OutputOptions::default(), "default"),
        ] {
            let (bytes, s) = run(xmltv, &epg, &style);
            assert_eq!(
                s.programmes + s.skipped_undefined_start + s.skipped_untitled,
                events
            );
            assert_eq!(s.skipped_undefined_start, undefined);
            assert_eq!(
                s.channels + s.skipped_empty_channels,
                epg.services.len() as u64
            );
            parse_xml(&bytes);
            let path = tmp.join(format!("{name}.{label}.xml"));
            std::fs::write(&path, &bytes).unwrap();
            assert_validates(&path);
        }
        let (bytes, s) = run(json, &epg, &OutputOptions::default());
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let programs: usize = v
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["programs"].as_array().unwrap().len())
            .sum();
        assert_eq!(programs as u64, s.programmes);
        assert_eq!(
            s.programmes + s.skipped_undefined_start + s.skipped_untitled,
            events
        );
        let (bytes, s) = run(jsonl, &epg, &OutputOptions::default());
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count() as u64, events);
        assert_eq!(s.programmes, events);
        for line in text.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
        let (bytes, s) = run(epgdump_xml, &epg, &OutputOptions::default());
        assert_eq!(
            s.programmes + s.skipped_undefined_start + s.skipped_untitled,
            events
        );
        let titles = parse_xml(&bytes);
        assert_eq!(titles.len() as u64, s.programmes);
    }
    std::fs::remove_dir_all(&tmp).ok();
}
