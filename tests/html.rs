//! The HTML guide (`--format html`):
//! - golden pages for the bundled sample (through the CLI) and for an edge-case model;
//!   `EPGDUMP_UPDATE_GOLDEN=1 cargo test --test html` rewrites them;
//! - the structure contract checked with a conforming HTML5 parser (html5ever, through scraper)
//!   against the model, for the sample, every generated stream and every real capture;
//! - hostile text that must not inject markup or script.
//!
//! The real-browser test is `tests/html_browser.rs`.

use epgdump::epg::model::{Audio, Clock, Completeness, SdtSource, Series};
use epgdump::epg::{read_epg, CollectorOptions, Epg, Event, Service, System, Timestamp};
use epgdump::output::html::{write_html, write_html_with, HtmlOptions};
use epgdump::output::{channel_id, ChannelIdStyle, OutputOptions};
use epgdump::si::time::CivilTime;
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");
const SAMPLE: &str = "testdata/sample-bs.ts";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("EPGDUMP_UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Compares with `testdata/golden/NAME`, or rewrites it under `EPGDUMP_UPDATE_GOLDEN=1`.
fn golden(name: &str, got: &[u8]) {
    let path = root().join("testdata/golden").join(name);
    if updating() {
        std::fs::write(&path, got).unwrap();
        eprintln!("note: EPGDUMP_UPDATE_GOLDEN=1: rewrote {}", path.display());
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (EPGDUMP_UPDATE_GOLDEN=1 creates it)",
            path.display()
        )
    });
    if want != got {
        let (got, want) = (String::from_utf8_lossy(got), String::from_utf8_lossy(&want));
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{} differs at line {}:\n got: {:?}\nwant: {:?}\n(EPGDUMP_UPDATE_GOLDEN=1 rewrites it after review)",
            path.display(),
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn attr<'a>(e: &ElementRef<'a>, name: &str) -> Option<&'a str> {
    e.value().attr(name)
}

fn text(e: &ElementRef<'_>) -> String {
    e.text().collect()
}

/// What the writer promises to keep of a string: everything but the removed control characters,
/// with CR LF and CR as LF.
fn cleaned(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{B}'..='\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

/// The elements the writer uses; anything else in a page was injected.
const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "span", "ul", "li",
    "nav", "a", "div", "main", "b", "small", "section", "h2", "article", "time", "h3", "dl", "dt",
    "dd", "footer", "script",
];

/// Checks the structure contract of `page` against the model: one `.channel` per selected service
/// (in order, with the XMLTV channel id), one `.programme` per event with a start (channel, start,
/// stop, event_id and title as in the model), one list item per event with an undefined start,
/// no element or event handler the writer does not write, and exactly one script.
fn check_contract(epg: &Epg, opts: &OutputOptions, page: &[u8]) -> usize {
    let doc = Html::parse_document(std::str::from_utf8(page).expect("UTF-8"));
    let services: Vec<&Service> = epg
        .services
        .iter()
        .filter(|s| opts.services.as_ref().map_or(true, |v| v.contains(&s.sid)))
        .filter(|s| !opts.exclude_services.contains(&s.sid))
        .collect();
    let ids: Vec<String> = services
        .iter()
        .map(|s| channel_id(epg, s, &opts.channel_ids))
        .collect();
    let headers: Vec<String> = doc
        .select(&sel(".channel"))
        .map(|e| {
            attr(&e, "data-channel")
                .expect("channel without data-channel")
                .to_owned()
        })
        .collect();
    assert_eq!(headers, ids.iter().map(|i| cleaned(i)).collect::<Vec<_>>());

    type Key = (String, String, Option<String>, String);
    let mut want: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    let mut undated = 0;
    for (s, id) in services.iter().zip(&ids) {
        // Untitled entries (unresolved shared events) are no programmes.
        for e in s.events.iter().filter(|e| !e.title.is_empty()) {
            match e.start {
                Some(start) => want
                    .entry((
                        cleaned(id),
                        start.rfc3339(),
                        e.end().map(|t| t.rfc3339()),
                        e.event_id.to_string(),
                    ))
                    .or_default()
                    .push(cleaned(&e.title)),
                None => undated += 1,
            }
        }
    }
    let mut got: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    let mut boxes = 0;
    for b in doc.select(&sel(".programme")) {
        boxes += 1;
        let classes: Vec<&str> = b.value().classes().collect();
        assert!(classes.contains(&"programme"));
        let key = (
            attr(&b, "data-channel").expect("data-channel").to_owned(),
            attr(&b, "data-start").expect("data-start").to_owned(),
            attr(&b, "data-stop").map(str::to_owned),
            attr(&b, "data-event").expect("data-event").to_owned(),
        );
        let title = b
            .select(&sel("h3"))
            .next()
            .map(|h| text(&h))
            .unwrap_or_default();
        got.entry(key).or_default().push(title);
    }
    for v in want.values_mut().chain(got.values_mut()) {
        v.sort();
    }
    assert_eq!(got, want, "programme boxes differ from the model");
    assert_eq!(doc.select(&sel(".undated li")).count(), undated);

    for e in doc.select(&sel("*")) {
        let name = e.value().name();
        assert!(TAGS.contains(&name), "unexpected element <{name}>");
        for (a, _) in e.value().attrs() {
            assert!(
                !a.starts_with("on"),
                "event handler attribute {a} on <{name}>"
            );
        }
    }
    assert_eq!(doc.select(&sel("script")).count(), 1, "one script, ours");
    assert_eq!(
        doc.select(&sel("script[src], link, img, iframe, object"))
            .count(),
        0
    );
    boxes
}

fn jst(day: u8, hour: u8, minute: u8) -> Timestamp {
    Timestamp {
        local: CivilTime {
            year: 2024,
            month: 4,
            day,
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
        tsid: 0x4010,
        sid,
        name: name.into(),
        provider: String::new(),
        service_type: Some(1),
        sdt: SdtSource::Actual,
        eit_schedule_flag: Some(true),
        eit_present_following_flag: Some(true),
        free_ca_mode: Some(false),
        remote_control_key_id: None,
        events,
        completeness: Completeness {
            received: 2,
            expected: 3,
            complete: false,
        },
    }
}

/// Every geometry case: consecutive boxes, an undefined duration, two overlapping events, a
/// programme over midnight, one longer than 48 hours, one with an undefined start, and a
/// service without events.
fn edge_epg() -> Epg {
    let mut news = event(1, Some(jst(1, 4, 0)), Some(3600), "ニュース");
    news.genres = vec![[0x0, 0x0, 0xF, 0xF]];
    news.text = "今日のニュース。".into();
    news.extended = vec![("出演者".into(), "山田太郎\r\n佐藤花子".into())];
    news.audio = vec![Audio {
        stream_content: 2,
        component_tag: 0x10,
        stream_type: 0x0F,
        simulcast_group_tag: 0xFF,
        main: true,
        quality: 3,
        sampling_rate: 7,
        lang: "jpn".into(),
        lang2: Some("eng".into()),
        multi_lingual: true,
        component_type: 0x02,
        text: "二か国語".into(),
    }];
    news.series = Some(Series {
        series_id: 1,
        repeat_label: 0,
        program_pattern: 1,
        expire_date: None,
        episode_number: 3,
        last_episode_number: 12,
        series_name: "朝の番組".into(),
    });
    let mut drama = event(2, Some(jst(1, 5, 0)), None, "ドラマ（終了未定）");
    drama.genres = vec![[0xE, 0x0, 0x0, 0x1], [0x3, 0x0, 0xF, 0xF]];
    drama.free_ca_mode = true;
    let a = event(3, Some(jst(1, 6, 0)), Some(3600), "重なり A");
    let b = event(4, Some(jst(1, 6, 30)), Some(3600), "重なり B");
    let late = event(5, Some(jst(1, 23, 30)), Some(3600), "深夜映画");
    let long = event(6, Some(jst(2, 1, 0)), Some(100 * 3600), "長時間");
    let undated = event(7, None, Some(1800), "放送休止");
    Epg {
        system: System::Isdb,
        network: None,
        services: vec![
            service(
                101,
                "ＢＳテスト",
                vec![news, drama, a, b, late, long, undated],
            ),
            service(102, "", Vec::new()),
        ],
        clock: Some(Clock {
            first: jst(1, 3, 59),
            last: jst(1, 4, 1),
            count: 3,
        }),
    }
}

#[test]
fn edge_cases_golden_and_contract() {
    let epg = edge_epg();
    let opts = OutputOptions::default();
    let mut page = Vec::new();
    let html = HtmlOptions {
        sources: vec!["edge.ts".into()],
    };
    let summary = write_html_with(&epg, &opts, &html, &mut page).unwrap();
    assert_eq!(
        (
            summary.channels,
            summary.programmes,
            summary.skipped_undefined_start
        ),
        (2, 7, 0)
    );
    assert_eq!(check_contract(&epg, &opts, &page), 6);
    golden("html-edge.html", &page);
    let doc = Html::parse_document(std::str::from_utf8(&page).unwrap());
    let one = |css: &str| doc.select(&sel(css)).count();
    // The undefined duration: no data-stop, drawn open and marked; the header says how many.
    assert_eq!(one(".programme.open:not([data-stop])"), 1);
    assert_eq!(one(".programme:not([data-stop])"), 1);
    // The overlap: side by side in two lanes.
    let lanes: Vec<_> = doc
        .select(&sel(".programme"))
        .filter(|b| attr(b, "style").is_some_and(|s| s.contains("--n:2")))
        .map(|b| attr(&b, "data-event").unwrap().to_owned())
        .collect();
    assert_eq!(lanes, ["3", "4"]);
    // Midnight: a box with a continuation on the next day; over 48 h: shortened, 3 pieces.
    assert_eq!(one(".programme.split"), 2);
    assert_eq!(one(".cont"), 3);
    assert_eq!(one(".programme.clip"), 1);
    // Days with their dates, hour labels, the undated list, the service without a name.
    let days: Vec<String> = doc.select(&sel(".day h2")).map(|h| text(&h)).collect();
    assert_eq!(
        days,
        [
            "2024年4月1日（月）",
            "2024年4月2日（火）",
            "2024年4月3日（水）",
            "2024年4月4日（木）"
        ]
    );
    assert_eq!(
        doc.select(&sel(".undated li h3"))
            .map(|h| text(&h))
            .collect::<Vec<_>>(),
        ["放送休止"]
    );
    let page = String::from_utf8(page).unwrap();
    for needle in [
        "<html lang=\"ja\">",
        "<title>番組表 — edge.ts</title>",
        "<span>入力 edge.ts</span>",
        "<span>局 2</span><span>番組 7件</span>",
        "<span>番組の時間 2024-04-01 04:00 – 2024-04-06 05:00 (+09:00)</span>",
        "<span>放送時計 2024-04-01 03:59:00 – 2024-04-01 04:01:00 (+09:00)</span>",
        "<span>EIT 受信途中 (4/6 セクション)</span>",
        "<span>番組 1件は終了時刻未定: 次の番組まで点線で表示</span>",
        "<span>番組 1件は48時間を超えるため短縮表示</span>",
        "<span>番組 1件は開始時刻未定: 表の下に一覧</span>",
        "<b>（名称なし）</b>",
        "<dd>山田太郎\n佐藤花子</dd>",
        "ニュース／報道 › 定時・総合 · デュアルモノ jpn/eng 二か国語 · 第3話/全12話 朝の番組",
        "ドラマ › 国内ドラマ · 有料 · 延長の可能性あり",
        "<p class=\"when\"><time>05:00</time>–<span class=\"mk\">終了未定</span></p>",
        "<time>01:00</time>–<time>4/6 05:00</time><span class=\"mk\">短縮表示 100h</span>",
        "style=\"--t:0;--h:3600\"",
    ] {
        assert!(page.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn dvb_pages_are_in_english_without_lang() {
    let mut epg = edge_epg();
    epg.system = System::Dvb;
    for s in &mut epg.services {
        for e in &mut s.events {
            if let Some(t) = &mut e.start {
                t.utc_offset = 0;
            }
        }
    }
    let opts = OutputOptions::default();
    let mut page = Vec::new();
    write_html(&epg, &opts, &mut page).unwrap();
    check_contract(&epg, &opts, &page);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<html>\n") && page.contains("<h1>Programme guide</h1>"));
    assert!(page.contains("2024-04-01 (Mon)"));
    assert!(page.contains("data-start=\"2024-04-01T04:00:00+00:00\""));
    assert!(
        page.contains("<span>programmes 1 with an undefined start: listed below the grid</span>")
    );
}

#[test]
fn hostile_text_cannot_inject_markup_or_script() {
    let controls: String = (0u32..0x20)
        .chain(0x7F..0xA0)
        .chain([0xFFFE, 0xFFFF])
        .filter_map(char::from_u32)
        .collect();
    let hostile = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "</style><script>x</script>",
        "</textarea></title><!-- ]]> <![CDATA[ &amp; &#x3C; &lt;",
        "<article class=\"programme\" data-channel=\"fake\">",
        controls.as_str(),
        "a\rb\r\nc",
        "",
    ];
    let mut events = Vec::new();
    for (i, h) in hostile.iter().enumerate() {
        let mut e = event(i as u16, Some(jst(1, 4 + i as u8, 0)), Some(1800), h);
        e.text = (*h).into();
        e.extended = vec![((*h).into(), (*h).into())];
        e.extended_text = (*h).into();
        e.genres = vec![[0x1, 0x2, 0xE, 0xF], [0xE, 0x0, 0xF, 0xF]];
        e.parental_rating = vec![((*h).into(), 255)];
        events.push(e);
    }
    let mut undated = event(99, None, None, hostile[1]);
    undated.text = hostile[0].into();
    events.push(undated);
    for system in [System::Isdb, System::Dvb] {
        let epg = Epg {
            system,
            network: None,
            services: vec![
                service(1, hostile[0], events.clone()),
                service(2, hostile[1], events.clone()),
            ],
            clock: None,
        };
        for style in [
            ChannelIdStyle::Epgdump,
            ChannelIdStyle::Prefix(hostile[1].into()),
            ChannelIdStyle::Prefix(controls.clone()),
        ] {
            let opts = OutputOptions {
                channel_ids: style,
                ..OutputOptions::default()
            };
            let mut page = Vec::new();
            let html = HtmlOptions {
                sources: vec![hostile[3].into()],
            };
            write_html_with(&epg, &opts, &html, &mut page).unwrap();
            // The empty title is no programme (as in every writer).
            let titled = hostile.iter().filter(|t| !t.is_empty()).count();
            assert_eq!(check_contract(&epg, &opts, &page), 2 * titled);
            let doc = Html::parse_document(std::str::from_utf8(&page).unwrap());
            let names: Vec<String> = doc.select(&sel(".channel b")).map(|b| text(&b)).collect();
            assert_eq!(names, [hostile[0], hostile[1]]);
            let texts: Vec<String> = doc
                .select(&sel(".programme .more > p:first-child"))
                .map(|p| text(&p))
                .collect();
            assert!(texts.contains(&cleaned(hostile[4])), "{texts:?}");
            let title = doc.select(&sel("title")).next().map(|t| text(&t)).unwrap();
            assert!(title.ends_with(hostile[3]), "{title}");
            let raw = String::from_utf8(page).unwrap();
            assert!(!raw.contains("<script>alert") && !raw.contains("<img"));
            assert!(!raw
                .chars()
                .any(|c| c != '\n' && c != '\t' && c.is_control()));
        }
    }
}

/// The streams the parser-level test runs on: the sample, the generated ISDB streams and the
/// real captures (the shared ones when `../shared/testdata` exists).
fn streams() -> Vec<PathBuf> {
    let mut v = vec![root().join(SAMPLE)];
    for dir in ["../shared/testdata/generated", "../shared/testdata/real"] {
        let Ok(rd) = std::fs::read_dir(root().join(dir)) else {
            eprintln!("skipped: {dir} is absent");
            continue;
        };
        let mut found: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ts"))
            .collect();
        found.sort();
        v.extend(found);
    }
    v
}

#[test]
fn every_stream_page_matches_its_model() {
    for ts in streams() {
        let (epg, _) = read_epg(&ts, CollectorOptions::default()).unwrap();
        for opts in [
            OutputOptions::default(),
            OutputOptions {
                channel_ids: ChannelIdStyle::Triplet,
                ..OutputOptions::default()
            },
        ] {
            let mut page = Vec::new();
            let summary = write_html(&epg, &opts, &mut page).unwrap();
            let events: usize = epg.services.iter().map(|s| s.events.len()).sum();
            assert_eq!(
                (summary.programmes + summary.skipped_untitled) as usize,
                events,
                "{}",
                ts.display()
            );
            let boxes = check_contract(&epg, &opts, &page);
            let timed = epg
                .services
                .iter()
                .flat_map(|s| &s.events)
                .filter(|e| e.start.is_some() && !e.title.is_empty())
                .count();
            assert_eq!(boxes, timed, "{}", ts.display());
        }
    }
}

#[test]
fn sample_through_the_cli_matches_its_golden_page() {
    let dir = tmpdir("cli");
    let out = dir.join("guide.html");
    let o = Command::new(BIN)
        .current_dir(root())
        .args(["--format", "html", SAMPLE, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read(&out).unwrap();
    golden("cli-sample-bs.html", &page);
    let (epg, _) = read_epg(&root().join(SAMPLE), CollectorOptions::default()).unwrap();
    assert_eq!(check_contract(&epg, &OutputOptions::default(), &page), 56);
    assert!(String::from_utf8_lossy(&page).contains("<span>入力 sample-bs.ts</span>"));

    // Several inputs with -o, and stdout.
    let o = Command::new(BIN)
        .current_dir(root())
        .args(["--format", "html", "-o", "-", SAMPLE, SAMPLE])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("<span>入力 sample-bs.ts, sample-bs.ts</span>")
    );
    std::fs::remove_dir_all(&dir).ok();
}
