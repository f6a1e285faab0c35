//! The guide as the programs people feed it to read it: xmltv's own tools (`tv_validate_file`,
//! `tv_to_text`, `tv_sort`, `tv_grep` from Debian's xmltv-util) on the default XMLTV of every
//! bundled, generated and real stream, and the rules behind that: untitled events and channels
//! without programmes left out and counted, display names never empty, the epgdump dialects'
//! stop rule, `--sub-title`, the CLI notes.
//!
//! The xmltv tools are skipped with a note when they are not installed; the shared streams
//! (`../shared/testdata/`) when they are absent.

use epgdump::epg::model::{Network, SdtSource, TransportStreamInfo};
use epgdump::epg::{Epg, Event, Service, System, Timestamp};
use epgdump::output::{
    write_epgdump_xml, write_json, write_jsonl, write_xmltv, OutputOptions, WriteSummary,
};
use epgdump::si::time::CivilTime;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-consumers-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

/// Every stream to try: the bundled sample, then the generated and real shared streams.
fn streams() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = vec![root.join("testdata/sample-bs.ts")];
    for dir in ["../shared/testdata/generated", "../shared/testdata/real"] {
        match std::fs::read_dir(root.join(dir)) {
            Ok(rd) => {
                let mut files: Vec<PathBuf> = rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "ts"))
                    .collect();
                files.sort();
                v.extend(files);
            }
            Err(_) => eprintln!("skipped: {dir} is absent"),
        }
    }
    v
}

/// Runs an xmltv tool offline; `None` when xmltv-util is not installed.
fn xmltv_tool(tool: &str, args: &[&str], file: &Path) -> Option<Output> {
    match Command::new(tool)
        .env("XMLTV_SUPPLEMENT", "/usr/share/xmltv")
        .args(args)
        .arg(file)
        .output()
    {
        Ok(o) => Some(o),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("{tool}: {e}"),
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The default XMLTV of every stream with programmes passes `tv_validate_file` with no message
/// but "Validated ok.", and `tv_to_text`, `tv_sort` and `tv_grep --title` read it (and the
/// `--all-channels --sub-title` variant) without an error. Prints one line per stream.
#[test]
fn xmltv_tools_accept_every_stream() {
    if xmltv_tool("tv_validate_file", &["--help"], Path::new("/dev/null")).is_none() {
        eprintln!("skipped: tv_validate_file not on PATH (install xmltv-util)");
        return;
    }
    let dir = tmpdir("tools");
    let mut with_programmes = 0;
    for ts in streams() {
        let name = ts.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.join(format!("{name}.xml"));
        let o = Command::new(BIN)
            .args([ts.to_str().unwrap(), out.to_str().unwrap()])
            .output()
            .expect("run epgdump-rs");
        let xml = std::fs::read_to_string(&out).expect("output written");
        let programmes = xml.matches("<programme ").count();
        if programmes == 0 {
            assert_eq!(o.status.code(), Some(3), "{name}: {}", text(&o));
            eprintln!("{name}: no programme (exit 3: {})", text(&o).trim());
            continue;
        }
        with_programmes += 1;
        assert!(o.status.success(), "{name}: {}", text(&o));
        let v = xmltv_tool("tv_validate_file", &[], &out).unwrap();
        assert!(
            v.status.success() && text(&v).trim() == "Validated ok.",
            "{name}: tv_validate_file said:\n{}",
            text(&v)
        );
        let variant = dir.join(format!("{name}.extras.xml"));
        let o = Command::new(BIN)
            .args(["-q", "--all-channels", "--sub-title"])
            .args([ts.to_str().unwrap(), variant.to_str().unwrap()])
            .output()
            .expect("run epgdump-rs");
        assert!(o.status.success(), "{name}: {}", text(&o));
        let mut line = format!("{name}: {programmes} programmes, tv_validate_file ok");
        for file in [&out, &variant] {
            for (tool, args) in [
                ("tv_to_text", &[][..]),
                ("tv_sort", &[][..]),
                ("tv_grep", &["--title", "."][..]),
            ] {
                let r = xmltv_tool(tool, args, file).unwrap();
                let said = String::from_utf8_lossy(&r.stderr).into_owned();
                assert!(
                    r.status.success()
                        && !said.contains("Can't")
                        && !said.contains("skipping")
                        && !said.to_lowercase().contains("error"),
                    "{name}: {tool} {args:?} {}: {said}",
                    file.display()
                );
                if file == &out {
                    line.push_str(&format!(", {tool} ok"));
                }
            }
        }
        eprintln!("{line}");
    }
    assert!(with_programmes > 0);
    std::fs::remove_dir_all(&dir).ok();
}

fn jst(hour: u8, minute: u8) -> Timestamp {
    Timestamp {
        local: CivilTime {
            year: 2024,
            month: 4,
            day: 1,
            hour,
            minute,
            second: 0,
        },
        utc_offset: 9 * 3600,
    }
}

fn event(id: u16, start: Option<Timestamp>, duration: Option<u32>, title: &str) -> Event {
    epgdump::testsupport::model_event(id, start, duration, title)
}

fn service(sid: u16, name: &str, events: Vec<Event>) -> Service {
    Service {
        onid: 4,
        tsid: 16400,
        sid,
        name: name.into(),
        provider: String::new(),
        service_type: Some(1),
        sdt: if name.is_empty() {
            SdtSource::None
        } else {
            SdtSource::Actual
        },
        eit_schedule_flag: None,
        eit_present_following_flag: None,
        free_ca_mode: None,
        remote_control_key_id: None,
        events,
        completeness: Default::default(),
    }
}

/// BS 101 with a name: two programmes and one untitled event. BS 102 without an SDT name: one
/// programme with an undefined duration. BS 103: only an untitled event.
fn guide() -> Epg {
    Epg {
        system: System::Isdb,
        network: Some(Network {
            network_id: 4,
            name: "BS Digital".into(),
            transport_streams: vec![TransportStreamInfo {
                transport_stream_id: 16400,
                original_network_id: 4,
                remote_control_key_id: None,
                ts_name: None,
            }],
        }),
        services: vec![
            service(
                101,
                "ＮＨＫ　ＢＳ",
                vec![
                    event(1, Some(jst(9, 0)), None, "ニュース"),
                    event(2, Some(jst(9, 30)), Some(600), ""),
                    event(3, Some(jst(10, 0)), Some(3600), "ドラマ　第3話「嵐」"),
                ],
            ),
            service(102, "", vec![event(4, Some(jst(9, 0)), None, "映画")]),
            service(
                103,
                "ＢＳ３",
                vec![event(5, Some(jst(9, 0)), Some(60), " ")],
            ),
        ],
        clock: None,
    }
}

fn write(
    f: fn(&Epg, &OutputOptions, &mut Vec<u8>) -> std::io::Result<WriteSummary>,
    opts: &OutputOptions,
) -> (String, WriteSummary) {
    let mut out = Vec::new();
    let s = f(&guide(), opts, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), s)
}

fn xmltv(e: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> std::io::Result<WriteSummary> {
    write_xmltv(e, o, w)
}
fn epgdump_xml(e: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> std::io::Result<WriteSummary> {
    write_epgdump_xml(e, o, w)
}
fn json(e: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> std::io::Result<WriteSummary> {
    write_json(e, o, w)
}
fn jsonl(e: &Epg, o: &OutputOptions, w: &mut Vec<u8>) -> std::io::Result<WriteSummary> {
    write_jsonl(e, o, w)
}

#[test]
fn untitled_events_and_empty_channels_are_left_out_and_counted() {
    let (doc, s) = write(xmltv, &OutputOptions::default());
    assert_eq!(
        s,
        WriteSummary {
            channels: 2,
            programmes: 3,
            skipped_untitled: 2,
            skipped_empty_channels: 1,
            ..WriteSummary::default()
        }
    );
    assert!(!doc.contains("<title lang=\"ja\"></title>") && !doc.contains("103.4.bs"));
    // Display names never empty: BS 102 has no SDT name, so the NIT network name and the sid.
    assert!(doc.contains("<display-name lang=\"ja\">BS Digital 102</display-name>"));
    assert!(!doc.contains("<display-name lang=\"ja\"></display-name>"));
    // --all-channels keeps BS 103.
    let all = OutputOptions {
        all_channels: true,
        ..OutputOptions::default()
    };
    let (doc, s) = write(xmltv, &all);
    assert_eq!((s.channels, s.skipped_empty_channels), (3, 0));
    assert!(doc.contains("<channel id=\"103.4.bs\">"));
    // The epgdump dialects leave out the same events but keep every channel.
    for f in [epgdump_xml, json] {
        let (doc, s) = write(f, &OutputOptions::default());
        assert_eq!((s.channels, s.programmes, s.skipped_untitled), (3, 3, 2));
        assert!(doc.contains("BS_103") && doc.contains("BS Digital 102"));
    }
    // JSON Lines keeps every event as it is.
    let (doc, s) = write(jsonl, &OutputOptions::default());
    assert_eq!((s.programmes, s.skipped_untitled), (5, 0));
    assert!(doc.contains("\"title\":\"\"") && doc.contains("\"service_name\":\"\""));
}

/// The epgdump dialects: an undefined duration ends at the next programme's start on the
/// same channel, else one hour after the start; XMLTV leaves the stop out.
#[test]
fn epgdump_dialects_always_have_a_stop() {
    let (doc, s) = write(epgdump_xml, &OutputOptions::default());
    assert_eq!(s.filled_stops, 2);
    // BS 101 ニュース at 9:00 runs to the next programme, ドラマ at 10:00 (the untitled 9:30
    // event is not a programme).
    assert!(doc.contains(
        "<programme start=\"20240401090000 +0900\" stop=\"20240401100000 +0900\" channel=\"BS_101\" event_id=\"1\" duration=\"3600\">"
    ));
    // BS 102 映画: no later programme, start + 1 hour.
    assert!(doc.contains(
        "<programme start=\"20240401090000 +0900\" stop=\"20240401100000 +0900\" channel=\"BS_102\" event_id=\"4\" duration=\"3600\">"
    ));
    let (doc, s) = write(json, &OutputOptions::default());
    assert_eq!(s.filled_stops, 2);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    for c in v.as_array().unwrap() {
        for p in c["programs"].as_array().unwrap() {
            assert!(p["end"].is_i64() && p["duration"].is_u64(), "{p}");
        }
    }
    assert_eq!(v[0]["programs"][0]["duration"], 3600);
    let (doc, s) = write(xmltv, &OutputOptions::default());
    assert_eq!(s.filled_stops, 0);
    assert!(doc.contains("<programme start=\"20240401090000 +0900\" channel=\"101.4.bs\">"));
}

#[test]
fn sub_title_splits_only_when_asked() {
    let split = OutputOptions {
        sub_title: true,
        ..OutputOptions::default()
    };
    let (doc, _) = write(xmltv, &split);
    assert!(doc.contains(
        "<title lang=\"ja\">ドラマ</title>\n    <sub-title lang=\"ja\">第3話「嵐」</sub-title>"
    ));
    let (doc, _) = write(xmltv, &OutputOptions::default());
    assert!(
        doc.contains("<title lang=\"ja\">ドラマ　第3話「嵐」</title>")
            && !doc.contains("sub-title")
    );
    assert!(doc.contains("<episode-num system=\"xmltv_ns\">.2.</episode-num>"));
}

/// Through the CLI: the notes (one line each), the channel-id option and its aliases.
#[test]
fn cli_notes_and_channel_id_options() {
    use epgdump::testsupport::*;
    let dir = tmpdir("cli");
    let evs = [
        EventSpec {
            event_id: 1,
            start: start_time(60401, 9, 0, 0),
            duration: [0xFF; 3],
            descriptors: short_event(&arib_encode("ニュース"), &[]),
        },
        EventSpec {
            event_id: 2,
            start: start_time(60401, 9, 30, 0),
            duration: duration(600),
            descriptors: Vec::new(),
        },
        EventSpec {
            event_id: 3,
            start: start_time(60401, 10, 0, 0),
            duration: duration(600),
            descriptors: short_event(&arib_encode("天気"), &[]),
        },
    ];
    let eit = eit_section(0x4E, 101, 0x4010, 4, 0, 0, 1, 0, 0x4E, &evs);
    let empty = eit_section(
        0x4E,
        102,
        0x4010,
        4,
        0,
        0,
        1,
        0,
        0x4E,
        &[EventSpec {
            event_id: 9,
            start: start_time(60401, 9, 0, 0),
            duration: duration(600),
            descriptors: Vec::new(),
        }],
    );
    let ts = dir.join("a.ts");
    std::fs::write(&ts, frame(&Packetizer::new(0x12).pack(&[eit, empty]), 188)).unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .arg(&ts)
            .arg("-")
            .output()
            .expect("run")
    };
    let o = run(&[]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains("note: 2 event(s) without a title left out"),
        "{err}"
    );
    assert!(
        err.contains("note: 1 channel(s) without programmes left out (--all-channels keeps them)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("<channel id=\"101.4.bs\">") && !out.contains("102.4.bs"));
    let o = run(&["--format", "epgdump-xml"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains(
            "note: 1 programme(s) with an undefined duration given the next programme's start"
        ),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("stop=\"20240401100000 +0900\" channel=\"BS_101\" event_id=\"1\""));
    // -q silences the notes; --stats=json has the same counts under "output".
    assert!(run(&["-q"]).stderr.is_empty());
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["--stats=json"]).stderr).expect("only the stats JSON");
    assert_eq!(v["output"]["programmes"], 2);
    assert_eq!(v["output"]["skipped_untitled"], 2);
    assert_eq!(v["output"]["skipped_empty_channels"], 1);
    for (args, id) in [
        (&["--channel-ids", "epgdump"][..], "BS_101"),
        (&["--channel-ids", "triplet"][..], "4.16400.101"),
        (&["--triplet-ids"][..], "4.16400.101"),
        (&["--channel-ids", "prefix:BSX"][..], "BSX_101"),
        (&["--channel-prefix", "BSX"][..], "BSX_101"),
        (
            &["--channel-ids", "xmltv", "--format", "json"][..],
            "101.4.bs",
        ),
        (&["--format", "jsonl"][..], "BS_101"),
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains(id),
            "{args:?} → {id}"
        );
    }
    for bad in [
        &["--channel-ids", "nope"][..],
        &["--channel-ids", "prefix:"][..],
        &["--channel-ids", "xmltv", "--triplet-ids"][..],
    ] {
        assert_eq!(run(bad).status.code(), Some(2), "{bad:?}");
    }
    // Nothing writable at all: exit 3 says why.
    let only = Command::new(BIN)
        .args(["--services", "102"])
        .arg(&ts)
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(only.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&only.stderr).contains("no event with a defined start and a title")
    );
}
