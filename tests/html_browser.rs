//! The HTML guide in a real browser: headless Chromium (Debian's `chromium`, with
//! `fonts-noto-cjk` for the Japanese text) renders the bundled sample.
//! - `--dump-dom` with a probe script that writes every box's rendered position into the DOM:
//!   all boxes are there, heights follow durations, and two boxes of one channel with
//!   consecutive times touch (one ends where the next begins, in the same column), and the
//!   channel header row stays at the top of the viewport when the page scrolls;
//! - `--screenshot`: a PNG at the window size, not blank, in the palette's colours.
//!   `EPGDUMP_UPDATE_GOLDEN=1` copies it to `docs/guide-sample-bs.png` (the README's picture).
//!
//! Skipped with a note when Chromium is not installed; `.ci/run` installs it, and under `CI=true`
//! its absence fails the test. Every Chromium run is killed after two minutes, so the test
//! cannot hang (a guard, not a timing).

use epgdump::epg::{read_epg, CollectorOptions};
use epgdump::output::html::{write_html_with, HtmlOptions};
use epgdump::output::OutputOptions;
use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = "testdata/sample-bs.ts";
const SCREENSHOT: &str = "docs/guide-sample-bs.png";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn attr<'a>(e: &ElementRef<'a>, name: &str) -> Option<&'a str> {
    e.value().attr(name)
}

/// Chromium's binary: `$EPGDUMP_CHROMIUM`, else `chromium` (Debian), `chromium-browser` or
/// `google-chrome` on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EPGDUMP_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// How long one Chromium run may take before it is killed: a guard against a hang, not a timing.
const BROWSER_LIMIT: Duration = Duration::from_secs(120);

/// Runs headless Chromium on `page` with `args`; stdout goes to `stdout_file`. Panics with
/// Chromium's stderr if it fails or runs past [`BROWSER_LIMIT`].
fn run_chromium(bin: &Path, dir: &Path, args: &[&str], page: &Path, stdout_file: &Path) {
    let profile = dir.join(format!(
        "profile-{}",
        stdout_file.file_name().unwrap().to_string_lossy()
    ));
    let err_file = stdout_file.with_extension("stderr");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-sync",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(stdout_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .expect("spawn chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium ran past {BROWSER_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&err_file).unwrap_or_default();
    assert!(status.success(), "chromium failed ({status}):\n{stderr}");
}

/// Writes each programme box's rendered position (page coordinates, CSS px) into its attributes,
/// so `--dump-dom` carries the layout out; then scrolls 1,500 px down and records where the
/// channel header row is (sticky: still at the top of the viewport).
const PROBE: &str = "<script>(function(){var b=document.querySelectorAll('.programme');\
for(var i=0;i<b.length;i++){var r=b[i].getBoundingClientRect();\
b[i].setAttribute('data-top',r.top+scrollY);b[i].setAttribute('data-bottom',r.bottom+scrollY);\
b[i].setAttribute('data-left',r.left+scrollX);b[i].setAttribute('data-width',r.width);}\
var h=document.documentElement;h.setAttribute('data-probed',b.length);\
var c=document.querySelector('.channels');h.setAttribute('data-header-top',c.getBoundingClientRect().top);\
scrollTo(0,1500);h.setAttribute('data-scrolled',scrollY);\
h.setAttribute('data-header-top-scrolled',c.getBoundingClientRect().top);scrollTo(0,0);})();</script>";

#[test]
fn chromium_lays_out_the_sample_as_a_grid() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but no chromium on PATH: .ci/run must install Debian's chromium"
        );
        eprintln!("SKIPPED: no chromium on PATH (apt-get install chromium fonts-noto-cjk); the browser test did not run");
        return;
    };
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    match Command::new("fc-list").arg(":lang=ja").output() {
        Ok(o) if !o.stdout.is_empty() => {}
        _ => {
            assert!(!ci, "CI=true but no Japanese font (fc-list :lang=ja): .ci/run must install fonts-noto-cjk");
            eprintln!("note: no Japanese font found (apt-get install fonts-noto-cjk): the screenshot will show boxes for kana and kanji");
        }
    }
    let dir = std::env::temp_dir().join(format!("epgdump-html-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (epg, _) = read_epg(&root().join(SAMPLE), CollectorOptions::default()).unwrap();
    let mut page = Vec::new();
    let html = HtmlOptions::from_paths(&[SAMPLE]);
    write_html_with(&epg, &OutputOptions::default(), &html, &mut page).unwrap();
    let page = String::from_utf8(page).unwrap();
    let guide = dir.join("guide.html");
    std::fs::write(&guide, &page).unwrap();

    // 1. The DOM after layout, with positions.
    let probed = dir.join("probed.html");
    std::fs::write(&probed, page.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let dom_file = dir.join("dom.html");
    run_chromium(
        &bin,
        &dir,
        &["--window-size=1280,900", "--dump-dom"],
        &probed,
        &dom_file,
    );
    let dom = Html::parse_document(&std::fs::read_to_string(&dom_file).unwrap());
    let root_el = dom.root_element();
    let timed = epg
        .services
        .iter()
        .flat_map(|s| &s.events)
        .filter(|e| e.start.is_some())
        .count();
    assert_eq!(
        attr(&root_el, "data-probed"),
        Some(timed.to_string().as_str()),
        "the probe did not run"
    );
    // The channel header row stays at the top while the grid scrolls under it.
    let root_num = |a: &str| -> f64 { attr(&root_el, a).unwrap().parse().unwrap() };
    assert!(
        root_num("data-header-top") > 100.0,
        "the header row starts below the page header"
    );
    assert_eq!(root_num("data-scrolled"), 1500.0);
    assert!(
        root_num("data-header-top-scrolled").abs() < 0.5,
        "channel headers are not sticky"
    );
    struct Rendered {
        channel: String,
        start: String,
        stop: Option<String>,
        top: f64,
        bottom: f64,
        left: f64,
        width: f64,
    }
    let num = |b: &ElementRef<'_>, a: &str| -> f64 { attr(b, a).unwrap().parse().unwrap() };
    let boxes: Vec<Rendered> = dom
        .select(&sel(".programme"))
        .map(|b| Rendered {
            channel: attr(&b, "data-channel").unwrap().into(),
            start: attr(&b, "data-start").unwrap().into(),
            stop: attr(&b, "data-stop").map(Into::into),
            top: num(&b, "data-top"),
            bottom: num(&b, "data-bottom"),
            left: num(&b, "data-left"),
            width: num(&b, "data-width"),
        })
        .collect();
    assert_eq!(boxes.len(), timed);
    // Heights follow durations (3 px a minute), columns have width.
    for (b, e) in boxes.iter().zip(dom.select(&sel(".programme"))) {
        let style = attr(&e, "style").unwrap();
        let seconds: f64 = style
            .split(';')
            .find_map(|kv| kv.strip_prefix("--h:"))
            .unwrap()
            .trim_end_matches('"')
            .parse()
            .unwrap();
        assert!(
            ((b.bottom - b.top) - seconds / 20.0).abs() < 1.0,
            "{} {}: {} px for {seconds} s",
            b.channel,
            b.start,
            b.bottom - b.top
        );
        assert!(
            b.width > 50.0,
            "{} {}: {} px wide",
            b.channel,
            b.start,
            b.width
        );
    }
    // Two boxes of one channel with consecutive times touch: one ends where the next begins,
    // in the same column.
    let mut adjacent = 0;
    for a in &boxes {
        for b in boxes
            .iter()
            .filter(|b| b.channel == a.channel && Some(&b.start) == a.stop.as_ref())
        {
            if a.start.get(..10) != b.start.get(..10) {
                continue; // b begins the next day's section, under its heading
            }
            assert!(
                (a.bottom - b.top).abs() < 0.5,
                "{} {} ends at {} but {} starts at {}",
                a.channel,
                a.start,
                a.bottom,
                b.start,
                b.top
            );
            assert!((a.left - b.left).abs() < 0.5 && (a.width - b.width).abs() < 0.5);
            adjacent += 1;
        }
    }
    assert!(adjacent >= 40, "only {adjacent} adjacent pairs found");
    // Columns: one per channel, left to right in header order.
    let mut lefts: Vec<(String, f64)> = Vec::new();
    for b in &boxes {
        if !lefts.iter().any(|(c, _)| *c == b.channel) {
            lefts.push((b.channel.clone(), b.left));
        }
    }
    assert!(lefts.windows(2).all(|w| w[0].1 < w[1].1), "{lefts:?}");

    // 2. A screenshot at the window size, not blank, in the palette's colours.
    let shot = dir.join("shot.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    run_chromium(
        &bin,
        &dir,
        &["--window-size=1280,900", &shot_arg],
        &guide,
        &dir.join("shot.out"),
    );
    let png = std::fs::read(&shot).expect("no screenshot written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be32 = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    assert_eq!((be32(16), be32(20)), (1280, 900), "screenshot size");
    let stats = Command::new("python3")
        .arg(root().join("tools/png_stats.py"))
        .arg(&shot)
        .args(["fff1a8", "ffc9b8", "eef0f3"])
        .output()
        .expect("python3");
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let line = String::from_utf8(stats.stdout).unwrap();
    let f: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let [w, h, colours, non_white, news, drama, header] = f[..] else {
        panic!("png_stats: {line}");
    };
    assert_eq!((w, h), (1280.0, 900.0));
    assert!(
        colours > 50.0 && non_white > 0.3,
        "blank-looking screenshot: {line}"
    );
    assert!(
        news > 5000.0 && drama > 5000.0 && header > 5000.0,
        "palette colours missing: {line}"
    );
    if std::env::var_os("EPGDUMP_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::copy(&shot, root().join(SCREENSHOT)).unwrap();
        eprintln!("note: EPGDUMP_UPDATE_GOLDEN=1: rewrote {SCREENSHOT}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
