//! A mapped input that shrinks while it is read is an input error, never a SIGBUS: truncated
//! inside a mapped window (the guard) and between windows (the length check), at library level
//! where the truncation can be placed exactly.

use epgdump::epg::Collector;
use epgdump::input::{for_each_chunk, for_each_chunk_windowed, FAULT_MESSAGE_SHRANK};
use epgdump::reader::TsReader;
use std::ops::ControlFlow;
use std::path::PathBuf;

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("epgdump-faults-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmpdir");
    d
}

/// The sample stream followed by `mib` MiB of filler packets.
fn sample_then_filler(mib: usize) -> Vec<u8> {
    let mut data = epgdump::testsupport::sample_bs_stream();
    let n = (mib << 20) / 188;
    let filler: Vec<_> = (0..n)
        .map(|i| epgdump::testsupport::filler_packet(0x100, i as u8, i as u32))
        .collect();
    data.extend(epgdump::testsupport::frame(&filler, 188));
    data
}

#[test]
fn a_file_truncated_inside_a_mapped_window_is_an_error_and_keeps_what_was_read() {
    let dir = tmpdir("inside");
    let path = dir.join("rec.ts");
    let data = sample_then_filler(3);
    std::fs::write(&path, &data).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let mut reader = TsReader::new(Collector::default());
    let mut calls = 0;
    let keep = 1 << 20;
    let r = for_each_chunk(&path, |chunk| {
        calls += 1;
        if calls == 1 {
            // The first piece (the whole guide) is read before the file shrinks.
            reader.push(chunk);
            file.set_len(keep as u64 + 4096).unwrap();
            return ControlFlow::Continue(());
        }
        // Reading the second piece now touches pages past the new end: SIGBUS without the
        // guard; with it they read as zeros and the error follows.
        reader.push(chunk);
        ControlFlow::Continue(())
    });
    let err = r.expect_err("a shrinking file is an error");
    assert!(
        err.to_string().starts_with(FAULT_MESSAGE_SHRANK),
        "message: {err}"
    );
    let (collector, mut stats) = reader.finish();
    let epg = collector.finish(&mut stats);
    assert_eq!(
        stats.si.events, 56,
        "the guide read before the fault is kept"
    );
    assert_eq!(epg.services.len(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_truncated_between_windows_is_an_error_and_keeps_what_was_read() {
    let dir = tmpdir("between");
    let path = dir.join("rec.ts");
    let data = sample_then_filler(5);
    std::fs::write(&path, &data).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let mut delivered = 0usize;
    let r = for_each_chunk_windowed(&path, 2 << 20, |chunk| {
        delivered += chunk.len();
        if delivered == 2 << 20 {
            // The end of the first window: cut the file in the middle of the next one.
            file.set_len(3 << 20).unwrap();
        }
        ControlFlow::Continue(())
    });
    let err = r.expect_err("a shrinking file is an error");
    assert!(err.to_string().starts_with(FAULT_MESSAGE_SHRANK), "{err}");
    assert!(err.to_string().contains("is now 3145728"), "{err}");
    assert_eq!(
        delivered,
        3 << 20,
        "everything up to the new end is delivered"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_emptied_before_its_first_window_is_an_error() {
    let dir = tmpdir("emptied");
    let path = dir.join("rec.ts");
    std::fs::write(&path, sample_then_filler(2)).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let mut first = true;
    let mut nonzero = 0usize;
    let r = for_each_chunk(&path, |chunk| {
        if first {
            first = false;
            file.set_len(0).unwrap();
        }
        nonzero += chunk.iter().filter(|&&b| b != 0).count();
        ControlFlow::Continue(())
    });
    assert!(r.is_err());
    assert_eq!(nonzero, 0, "the pages gone read as zeros");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The same through the job API, whose progress callback runs between two pieces of a mapped
/// window: the input's report names the fault, the guide read before it is kept, and the
/// status is "some inputs failed".
#[test]
fn the_job_reports_a_shrinking_input_and_keeps_its_guide() {
    use epgdump::job::{dump, DumpOptions, ExitStatus};
    let dir = tmpdir("job");
    let path = dir.join("rec.ts");
    std::fs::write(&path, sample_then_filler(3)).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let mut truncated = false;
    let outcome = dump(
        std::slice::from_ref(&path),
        &DumpOptions::default(),
        &mut |_| {
            if !truncated {
                truncated = true;
                file.set_len((1 << 20) + 8192).unwrap();
            }
        },
    );
    assert!(truncated);
    let report = &outcome.inputs[0];
    let msg = report.error.as_ref().expect("an input error").to_string();
    assert!(msg.contains(path.to_str().unwrap()), "{msg}");
    assert!(msg.contains(FAULT_MESSAGE_SHRANK), "{msg}");
    assert!(report.contributed());
    assert_eq!(outcome.stats.si.events, 56);
    assert_eq!(outcome.exit_status(Some(56)), ExitStatus::SomeInputsFailed);
    assert_eq!(
        outcome.failure_lines(),
        vec![format!("{msg}; the guide keeps what was read before")]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
