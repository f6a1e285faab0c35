//! The model's byte budget as the binary is used: a stream of events with ~4 KB of text each,
//! far past the default budget, is read with default options; the run says it is capped, exits
//! 6, counts the refusals, and its peak RSS stays under 512 MiB.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_epgdump-rs");

/// The largest resident set of the children this test process has waited for, in bytes.
fn children_max_rss() -> u64 {
    // SAFETY: getrusage only writes into the zeroed struct we hand it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    // Linux reports ru_maxrss in KiB.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

#[test]
fn a_fat_text_guide_is_capped_by_bytes_and_rss_stays_bounded() {
    let dir = std::env::temp_dir().join(format!("epgdump-budget-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ts = dir.join("fat.ts");
    // 40,000 events of ~4 KB text: ~170 MB of stream, ~3 times what the default budget holds.
    let mut file = std::io::BufWriter::new(std::fs::File::create(&ts).unwrap());
    epgdump::testsupport::write_fat_stream(&mut file, 40_000).unwrap();
    drop(file);
    let out = dir.join("fat.xml");
    let run = Command::new(BIN)
        .args(["--stats=json", ts.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("capped guide"), "{stderr}");
    let json_start = stderr.find('{').unwrap();
    let stats: serde_json::Value = serde_json::from_str(&stderr[json_start..]).unwrap();
    let refused = stats["si"]["refused_by_budget"].as_u64().unwrap();
    let kept = stats["si"]["events"].as_u64().unwrap();
    assert!(
        refused > 0 && kept > 5_000,
        "kept {kept}, refused {refused}"
    );
    assert_eq!(kept + refused, 40_000);
    let rss = children_max_rss();
    assert!(rss < 512 << 20, "peak RSS {} MiB", rss >> 20);
    // A larger budget lets more in.
    let run = Command::new(BIN)
        .args([
            "--stats=json",
            "--memory-budget",
            "1024",
            ts.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
