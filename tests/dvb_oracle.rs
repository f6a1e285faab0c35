//! DVB text oracle: every event name, event text, extended text and extended item decoded by
//! `epgdump::text::decode_dvb` from the raw EIT sections of TSDuck's test-038 (Czech, ISO 6937
//! with prefix diacritics) must equal TSDuck's own decoding in `tstables --xml` output.
//!
//! The crate's TS reader is developed elsewhere, so this test carries a minimal self-contained
//! TS/section/EIT parser (188-byte packets, PID 0x12, pointer_field, sections spanning packets).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use epgdump::text::decode_dvb;

mod common;
use common::{be16, sections};

const TS: &str = "../shared/testdata/real/dvb-cz_eit-iso6937_tsduck-test-038.ts";
const XML: &str = "../shared/testdata/real/oracle/tsduck-test-038.tables.xml";

/// (service_id, event_id, field, text)
type Field = (u16, u16, String, String);

fn dvb(b: &[u8]) -> String {
    decode_dvb(b).text
}

/// Extracts the text fields of every event of every EIT section.
fn fields_from_ts(ts: &[u8]) -> (BTreeSet<Field>, usize) {
    let mut set = BTreeSet::new();
    let mut n_sections = 0;
    for sec in sections(ts, 0x12) {
        let tid = sec[0];
        if !(0x4E..=0x6F).contains(&tid) || sec.len() < 18 {
            continue;
        }
        n_sections += 1;
        let sid = be16(&sec, 3).unwrap();
        let end = sec.len() - 4; // CRC_32
        let mut i = 14;
        while i + 12 <= end {
            let eid = be16(&sec, i).unwrap();
            let dl = usize::from(be16(&sec, i + 10).unwrap() & 0x0FFF);
            let descs = &sec[i + 12..(i + 12 + dl).min(end)];
            i += 12 + dl;
            let mut d = descs;
            while d.len() >= 2 {
                let (tag, len) = (d[0], usize::from(d[1]));
                let body = &d[2..(2 + len).min(d.len())];
                d = &d[(2 + len).min(d.len())..];
                let mut put = |field: String, raw: &[u8]| {
                    set.insert((sid, eid, field, dvb(raw)));
                };
                match tag {
                    0x4D if body.len() >= 4 => {
                        let nl = usize::from(body[3]);
                        let name = body.get(4..4 + nl).unwrap_or(&[]);
                        put("event_name".into(), name);
                        let rest = body.get(4 + nl..).unwrap_or(&[]);
                        if let Some((&tl, t)) = rest.split_first() {
                            put("text".into(), t.get(..usize::from(tl)).unwrap_or(t));
                        }
                    }
                    0x4E if body.len() >= 5 => {
                        let dn = body[0] >> 4;
                        let il = usize::from(body[4]);
                        let mut items = body.get(5..5 + il).unwrap_or(&[]);
                        let mut k = 0;
                        while let Some((&dl, r)) = items.split_first() {
                            let desc = r.get(..usize::from(dl)).unwrap_or(r);
                            let r = r.get(usize::from(dl)..).unwrap_or(&[]);
                            let Some((&nl, r)) = r.split_first() else {
                                break;
                            };
                            let name = r.get(..usize::from(nl)).unwrap_or(r);
                            items = r.get(usize::from(nl)..).unwrap_or(&[]);
                            put(format!("ext{dn}.item{k}.description"), desc);
                            put(format!("ext{dn}.item{k}.name"), name);
                            k += 1;
                        }
                        let rest = body.get(5 + il..).unwrap_or(&[]);
                        if let Some((&tl, t)) = rest.split_first() {
                            put(
                                format!("ext{dn}.text"),
                                t.get(..usize::from(tl)).unwrap_or(t),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    (set, n_sections)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p..];
        let semi = after.find(';').expect("unterminated entity");
        let ent = &after[1..semi];
        let ch = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if ent.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&ent[2..], 16).unwrap()).unwrap()
            }
            _ if ent.starts_with('#') => char::from_u32(ent[1..].parse().unwrap()).unwrap(),
            _ => panic!("unknown entity &{ent};"),
        };
        out.push(ch);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let p = tag.find(&key)? + key.len();
    let q = tag[p..].find('"')?;
    Some(tag[p..p + q].to_string())
}

fn hex16(s: &str) -> u16 {
    u16::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

/// Extracts the same fields from TSDuck's XML (a minimal scanner for its regular layout).
fn fields_from_xml(xml: &str) -> BTreeSet<Field> {
    let mut set = BTreeSet::new();
    let (mut sid, mut eid, mut ext, mut item) = (0u16, 0u16, None::<u8>, 0usize);
    let mut text_start = 0;
    let mut rest = xml;
    let mut pos = 0;
    while let Some(lt) = rest.find('<') {
        let gt = rest[lt..].find('>').unwrap() + lt;
        let tag = &rest[lt + 1..gt];
        let text = &xml[text_start..pos + lt];
        if let Some(name) = tag.strip_prefix('/') {
            let field = match (name, ext) {
                ("event_name", None) => Some("event_name".to_string()),
                ("text", None) => Some("text".to_string()),
                ("text", Some(n)) => Some(format!("ext{n}.text")),
                ("description", Some(n)) => Some(format!("ext{n}.item{item}.description")),
                ("name", Some(n)) => Some(format!("ext{n}.item{item}.name")),
                ("item", Some(_)) => {
                    item += 1;
                    None
                }
                ("extended_event_descriptor", _) => {
                    ext = None;
                    None
                }
                _ => None,
            };
            if let Some(f) = field {
                set.insert((sid, eid, f, unescape(text)));
            }
        } else {
            let name = tag.split([' ', '/']).next().unwrap_or("");
            match name {
                "EIT" => sid = hex16(&attr(tag, "service_id").unwrap()),
                "event" => eid = hex16(&attr(tag, "event_id").unwrap()),
                "extended_event_descriptor" if !tag.ends_with('/') => {
                    ext = Some(attr(tag, "descriptor_number").unwrap().parse().unwrap());
                    item = 0;
                }
                _ => {}
            }
            // Self-closing text elements are empty strings.
            if tag.ends_with('/') {
                let field = match (name, ext) {
                    ("event_name" | "text", None) => Some(name.to_string()),
                    ("text", Some(n)) => Some(format!("ext{n}.text")),
                    _ => None,
                };
                if let Some(f) = field {
                    set.insert((sid, eid, f, String::new()));
                }
            }
        }
        text_start = pos + gt + 1;
        pos += gt + 1;
        rest = &xml[pos..];
    }
    set
}

#[test]
fn dvb_text_matches_tsduck() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ts_path, xml_path) = (root.join(TS), root.join(XML));
    if !ts_path.exists() || !xml_path.exists() {
        eprintln!(
            "skipped: {} or {} not found",
            ts_path.display(),
            xml_path.display()
        );
        return;
    }
    let ts = std::fs::read(&ts_path).unwrap();
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let (ours, n_sections) = fields_from_ts(&ts);
    let theirs = fields_from_xml(&xml);
    assert!(n_sections > 300, "only {n_sections} EIT sections parsed");
    assert!(theirs.len() > 1000, "only {} XML fields", theirs.len());

    // Index both by (service, event, field) to report readable differences.
    let index = |s: &BTreeSet<Field>| {
        let mut m: BTreeMap<(u16, u16, String), BTreeSet<String>> = BTreeMap::new();
        for (a, b, f, t) in s {
            m.entry((*a, *b, f.clone())).or_default().insert(t.clone());
        }
        m
    };
    let (mo, mt) = (index(&ours), index(&theirs));
    let mut diffs = Vec::new();
    for (k, v) in &mt {
        match mo.get(k) {
            Some(o) if o == v => {}
            o => diffs.push(format!("{k:?}\n  tsduck: {v:?}\n  ours:   {o:?}")),
        }
    }
    for k in mo.keys().filter(|k| !mt.contains_key(*k)) {
        // TSDuck's XML omits nothing we decode: any extra key is a parser disagreement.
        diffs.push(format!("{k:?} only in ours: {:?}", mo.get(k)));
    }
    assert!(
        diffs.is_empty(),
        "{} of {} fields differ:\n{}",
        diffs.len(),
        mt.len(),
        diffs
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!(
        "{} EIT sections, {} distinct (service, event, field) strings, all equal to TSDuck",
        n_sections,
        mt.len()
    );
}
