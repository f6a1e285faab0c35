//! Named seed sections for `fuzz/fuzz_targets/si_tables.rs`, built with the SI test builders:
//! every seed must parse cleanly, and `SI_WRITE_CORPUS=1 cargo test --test si_corpus -- --ignored`
//! writes them to `fuzz/corpus/si_tables`.

use epgdump::testsupport::exercise;
use epgdump::testsupport::si_build::*;

const START: [u8; 5] = [0xEB, 0xBB, 0x09, 0x24, 0x00];
const DUR: [u8; 3] = [0x00, 0x30, 0x00];

/// Named seed sections.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let se = short_event(b"jpn", b"\x1b\x24\x42\x46\x7c", b"text");
    let ee = extended_event(0, 1, b"jpn", &[(b"cast", b"A"), (b"", b"B")], b"");
    let ct = content(&[(0x0, 0x1, 0xF, 0xF), (0xE, 0x1, 0x1, 0x2)]);
    let comp = descriptor(0x50, &[0x01, 0xB3, 0x00, b'j', b'p', b'n']);
    let mut audio_b = vec![0xF2, 0x02, 0x10, 0x0F, 0xFF, 0xFF];
    audio_b.extend(b"jpnengxx");
    let audio = descriptor(0xC4, &audio_b);
    let series = descriptor(
        0xD5,
        &[0x12, 0x34, 0x27, 0xEB, 0xBB, 0x00, 0xC0, 0x18, b'S'],
    );
    let group = descriptor(
        0xD6,
        &[0x12, 0x04, 0x00, 0x10, 0x01, 0x04, 0x01, 0x10, 0x02],
    );
    let group4 = descriptor(
        0xD6,
        &[0x40, 0x00, 0x04, 0x7F, 0xE0, 0x04, 0x00, 0x10, 0x01],
    );
    let data = descriptor(
        0xC7,
        &[
            0x00, 0x08, 0x30, 5, 1, 0x0A, b'j', b'p', b'n', 1, 0x30, b'j', b'p', b'n', 0,
        ],
    );
    let rating = descriptor(0x55, b"JPN\x08");
    let mut all = Vec::new();
    for d in [
        &se, &ee, &ct, &comp, &audio, &series, &group, &group4, &data, &rating,
    ] {
        all.extend_from_slice(d);
    }
    let ev1 = event(1, START, DUR, 4, false, &all);
    let mut ev2 = event(2, [0xFF; 5], [0xFF; 3], 1, true, &se);
    ev2.extend(event(3, START, [0x01, 0x00, 0x00], 0, false, &[]));
    let mut bad_ev = event(4, START, DUR, 4, false, &se);
    bad_ev[11] = 0xFF;

    let sdesc = service_descriptor(0x01, b"prov", b"name");
    let mut svs = service(0x0400, 0b101, true, true, 4, false, &sdesc);
    svs.extend(service(0x0401, 0, false, true, 1, true, &[]));

    let mut tsi = vec![3, (2 << 2) | 2];
    tsi.extend(b"TS");
    tsi.extend([0x0F, 2, 0x04, 0x00, 0x04, 0x01, 0xAF, 1, 0x05, 0x88]);
    let mut tsd = descriptor(0x41, &[0x04, 0x00, 0x01, 0x04, 0x01, 0xC0]);
    tsd.extend(descriptor(0xCD, &tsi));
    let mut tss = ts_entry(0x7FE0, 0x7FE1, &tsd);
    tss.extend(ts_entry(0x7FE2, 0x7FE3, &[]));

    let mut lto = b"JPN".to_vec();
    lto.extend([0x16, 0x09, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x09, 0x00]);
    let mut lto2 = b"DEU".to_vec();
    lto2.extend([0x03, 0x01, 0x00, 0xEB, 0xBB, 0x02, 0x00, 0x00, 0x02, 0x00]);
    lto.extend(lto2);

    vec![
        (
            "eit_pf_actual",
            eit(0x4E, 0x0400, 1, 0, 1, 0x7FE0, 0x7FE1, 0, 0x4E, &ev1),
        ),
        (
            "eit_pf_other",
            eit(0x4F, 0x0401, 2, 1, 1, 0x7FE0, 0x7FE1, 1, 0x4F, &ev2),
        ),
        (
            "eit_sched_basic",
            eit(0x50, 0x0400, 3, 0, 0xF8, 1, 2, 0x08, 0x51, &ev1),
        ),
        (
            "eit_sched_ext",
            eit(0x58, 0x0400, 3, 8, 0xF8, 1, 2, 0x08, 0x58, &ev2),
        ),
        (
            "eit_sched_other",
            eit(0x60, 0x0400, 0, 0, 0, 1, 2, 0, 0x60, &ev1),
        ),
        ("eit_empty", eit(0x4E, 1, 0, 0, 0, 1, 2, 0, 0x4E, &[])),
        (
            "eit_bad_event_len",
            eit(0x4E, 1, 0, 0, 0, 1, 2, 0, 0x4E, &bad_ev),
        ),
        ("sdt_actual", sdt(0x42, 0x7FE0, 1, 0x7FE1, &svs)),
        ("sdt_other", sdt(0x46, 0x7FE2, 1, 0x7FE3, &svs)),
        (
            "nit_actual",
            nit(0x40, 0x7FE8, &descriptor(0x40, b"NET"), &tss),
        ),
        ("nit_other", nit(0x41, 0x0004, &[], &tss)),
        ("tdt", tdt(START)),
        ("tdt_undefined", tdt([0xFF; 5])),
        ("tot", tot(START, &descriptor(0x58, &lto))),
        ("tot_empty", tot(START, &[])),
        ("bit", {
            let mut b = broadcaster(1, &descriptor(0xD8, b"NHK"));
            b.extend(broadcaster(2, &[]));
            bit(4, true, &descriptor(0xD7, &[1, 2]), &b)
        }),
        ("desc_short_event", se.clone()),
        ("desc_extended_event", ee.clone()),
        ("desc_audio", audio.clone()),
        ("desc_data_content", data.clone()),
        ("desc_series", series.clone()),
        ("desc_event_group4", group4.clone()),
        ("desc_ts_info", descriptor(0xCD, &tsi)),
        ("desc_lto", descriptor(0x58, &lto)),
        ("desc_loop_all", all.clone()),
    ]
}

#[test]
#[ignore = "writes fuzz/corpus/si_tables; run on demand"]
fn write_fuzz_corpus() {
    if std::env::var_os("SI_WRITE_CORPUS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/si_tables");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in seeds() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn seeds_parse_cleanly() {
    use epgdump::si::{Bit, Eit, Nit, Sdt, Tot};
    for (name, s) in seeds() {
        let ok = if name.starts_with("eit") {
            let e = Eit::parse(&s).unwrap();
            let evs: Vec<_> = e.events().collect();
            if name == "eit_bad_event_len" {
                assert!(evs.iter().any(Result::is_err), "{name}");
            } else {
                for ev in evs {
                    let ev = ev.unwrap();
                    assert!(ev.descriptors().all(|d| d.is_ok()), "{name}");
                }
            }
            true
        } else if name.starts_with("sdt") {
            Sdt::parse(&s).unwrap().services().all(|r| r.is_ok())
        } else if name.starts_with("nit") {
            Nit::parse(&s)
                .unwrap()
                .transport_streams()
                .all(|r| r.is_ok())
        } else if name.starts_with("tdt") || name.starts_with("tot") {
            Tot::parse(&s).is_ok()
        } else if name == "bit" {
            Bit::parse(&s).unwrap().broadcasters().all(|r| r.is_ok())
        } else {
            epgdump::si::Descriptors::new(&s).all(|r| r.is_ok())
        };
        assert!(ok, "{name}");
        assert!(exercise::all(&s) > 0, "{name}");
    }
}
