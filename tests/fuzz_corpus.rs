//! Replays every file under `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` through the
//! same entry point the fuzz target calls, so every crash the fuzzer ever found stays fixed.
//! The corpora live in the repository, not in the published crate: without `fuzz/corpus` the
//! tests say `skipped` and pass.

use std::path::Path;

/// Replays one target's files and checks that there were some; skipped when the corpora are
/// not there at all.
fn check(target: &str, run: fn(&[u8])) {
    if !Path::new("fuzz/corpus").is_dir() {
        println!("skipped: fuzz/corpus absent (the published crate leaves the corpora out)");
        return;
    }
    assert!(replay(target, run) > 0, "no corpus files for {target}");
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let mut n = 0;
    for kind in ["corpus", "artifacts"] {
        let dir = Path::new("fuzz").join(kind).join(target);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files.iter().filter(|f| f.is_file()) {
            let data = std::fs::read(f).expect("readable corpus file");
            let result = std::panic::catch_unwind(|| run(&data));
            assert!(result.is_ok(), "{} panics", f.display());
            n += 1;
        }
    }
    n
}

#[test]
fn ts_stream_corpus() {
    check("ts_stream", epgdump::fuzzing::ts_stream);
}

#[test]
fn section_assembler_corpus() {
    check("section_assembler", epgdump::fuzzing::section_assembler);
}

#[test]
fn epg_model_corpus() {
    check("epg_model", epgdump::fuzzing::epg_sections);
}

#[test]
fn arib_text_corpus() {
    check("arib_text", epgdump::fuzzing::arib_text);
}

#[test]
fn dvb_text_corpus() {
    check("dvb_text", epgdump::fuzzing::dvb_text);
}

#[test]
fn si_tables_corpus() {
    check("si_tables", epgdump::fuzzing::si_tables);
}

#[test]
fn pipeline_corpus() {
    check("pipeline", epgdump::fuzzing::pipeline);
}

#[test]
fn follow_corpus() {
    assert!(replay("follow", epgdump::fuzzing::follow) > 0);
}
