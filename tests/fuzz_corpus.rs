//! Replays every file under `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` through the
//! same entry point the fuzz target calls, so every crash the fuzzer ever found stays fixed.

use std::path::Path;

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
    assert!(replay("ts_stream", epgdump::fuzzing::ts_stream) > 0);
}

#[test]
fn section_assembler_corpus() {
    assert!(replay("section_assembler", epgdump::fuzzing::section_assembler) > 0);
}

#[test]
fn epg_model_corpus() {
    assert!(replay("epg_model", epgdump::fuzzing::epg_sections) > 0);
}

#[test]
fn arib_text_corpus() {
    assert!(replay("arib_text", epgdump::fuzzing::arib_text) > 0);
}

#[test]
fn dvb_text_corpus() {
    assert!(replay("dvb_text", epgdump::fuzzing::dvb_text) > 0);
}

#[test]
fn si_tables_corpus() {
    assert!(replay("si_tables", epgdump::fuzzing::si_tables) > 0);
}

#[test]
fn pipeline_corpus() {
    assert!(replay("pipeline", epgdump::fuzzing::pipeline) > 0);
}

#[test]
fn follow_corpus() {
    assert!(replay("follow", epgdump::fuzzing::follow) > 0);
}
