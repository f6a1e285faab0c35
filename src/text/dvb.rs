//! DVB text decoder (ETSI EN 300 468 Annex A).
//!
//! The first byte of a text field may select the character table (Annex A.2, table A.3):
//! 0x01..=0x0B ISO/IEC 8859-5..15, `0x10 0x00 nn` ISO/IEC 8859-nn, 0x11 ISO/IEC 10646 BMP
//! (UCS-2), 0x12 KS X 1001, 0x13 GB-2312, 0x14 Big5, 0x15 UTF-8, 0x1F encoding_type_id. A first
//! byte 0x20..=0xFF means the default table 00: ISO/IEC 6937 with the euro sign at 0xA4
//! (Annex A.1, figure A.1), whose diacritics 0xC1..=0xCF are non-spacing *prefixes*; they are
//! composed with the following letter into the precomposed (NFC) character where Unicode has
//! one.
//!
//! Control codes (Annex A.1, table A.1): 0x8A (U+E08A in 2-byte tables) is CR/LF and gives
//! `\n`; emphasis on/off 0x86/0x87 and the other codes 0x80..=0x9F are dropped, as are C0
//! controls. They are removed before `encoding_rs` sees the bytes, so the windows-125x
//! supersets used for 8859-9/-11/-1 never turn them into printable characters.
//!
//! Choices where the spec leaves room (TSDuck behaviour in brackets):
//! * An undefined cell of table 00 (0xA6, 0xC0, 0xC9, 0xCC, 0xD8..=0xDB, 0xE5) gives U+FFFD
//!   and counts as a replacement [TSDuck drops it].
//! * A diacritic followed by a non-letter (space, digit, punctuation) or by the end of the
//!   field is dropped [TSDuck keeps the combining mark after the non-letter]. A diacritic on a
//!   letter without a precomposed form stays as letter + combining mark, which is NFC.
//! * Reserved selectors (0x00, 0x08, 0x0C..=0x0F, 0x16..=0x1E, unknown `0x10 xx nn`) are
//!   skipped and the rest is read with table 00; `0x1F` (encoding_type_id, e.g. Freesat
//!   Huffman) is not supported: nothing is emitted and one replacement is counted.

use std::borrow::Cow;

use encoding_rs::Encoding;

use super::tables::{ISO6937_COMPOSE, ISO6937_HIGH};
use super::Decoded;

/// A character table selected by the first byte(s) of a DVB text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Default table 00: ISO/IEC 6937 + euro.
    Iso6937,
    /// A single-byte table whose bytes 0xA0..=0xFF are decoded by this encoding.
    Single(&'static Encoding),
    /// A multi-byte table decoded as a whole, controls filtered afterwards.
    Multi(&'static Encoding),
    /// `0x1F encoding_type_id` (e.g. Freesat Huffman): not supported.
    Unsupported,
}

/// ISO/IEC 8859 part `n` (as in `0x10 0x00 n`), mapped to the `encoding_rs` encoding that is
/// identical for bytes 0xA0..=0xFF.
fn iso8859(n: u8) -> Option<&'static Encoding> {
    Some(match n {
        // ISO 8859-1 = windows-1252 above 0x9F.
        1 => encoding_rs::WINDOWS_1252,
        2 => encoding_rs::ISO_8859_2,
        3 => encoding_rs::ISO_8859_3,
        4 => encoding_rs::ISO_8859_4,
        5 => encoding_rs::ISO_8859_5,
        6 => encoding_rs::ISO_8859_6,
        7 => encoding_rs::ISO_8859_7,
        8 => encoding_rs::ISO_8859_8,
        // ISO 8859-9 = windows-1254 above 0x9F.
        9 => encoding_rs::WINDOWS_1254,
        10 => encoding_rs::ISO_8859_10,
        // ISO 8859-11 = windows-874 above 0x9F.
        11 => encoding_rs::WINDOWS_874,
        13 => encoding_rs::ISO_8859_13,
        14 => encoding_rs::ISO_8859_14,
        15 => encoding_rs::ISO_8859_15,
        16 => encoding_rs::ISO_8859_16,
        _ => return None,
    })
}

/// Splits off the table selector (EN 300 468 Annex A.2 table A.3). Reserved selectors fall
/// back to the default table for the rest of the field.
fn select(bytes: &[u8]) -> (Table, &[u8]) {
    let rest = |n: usize| bytes.get(n..).unwrap_or(&[]);
    let Some(&first) = bytes.first() else {
        return (Table::Iso6937, bytes);
    };
    let single = |n: u8| match iso8859(n) {
        Some(e) => (Table::Single(e), rest(1)),
        None => (Table::Iso6937, rest(1)),
    };
    match first {
        0x20..=0xFF => (Table::Iso6937, bytes),
        // 0x01..=0x0B select ISO 8859-(first+4); 0x08 (8859-12) does not exist.
        0x01..=0x07 | 0x09..=0x0B => single(first + 4),
        0x10 => match (bytes.get(1), bytes.get(2)) {
            (Some(_), Some(&n)) => match iso8859(n) {
                Some(e) => (Table::Single(e), rest(3)),
                None => (Table::Iso6937, rest(3)),
            },
            _ => (Table::Iso6937, &[]),
        },
        0x11 => (Table::Multi(encoding_rs::UTF_16BE), rest(1)),
        0x12 => (Table::Multi(encoding_rs::EUC_KR), rest(1)),
        // GBK is a superset of GB-2312.
        0x13 => (Table::Multi(encoding_rs::GBK), rest(1)),
        0x14 => (Table::Multi(encoding_rs::BIG5), rest(1)),
        0x15 => (Table::Multi(encoding_rs::UTF_8), rest(1)),
        0x1F => (Table::Unsupported, rest(2)),
        // 0x00, 0x08, 0x0C..=0x0F, 0x16..=0x1E: reserved.
        _ => (Table::Iso6937, rest(1)),
    }
}

/// Output sink that counts replacements.
struct Sink<'o> {
    out: &'o mut String,
    replacements: u32,
}

impl Sink<'_> {
    fn bump(&mut self) {
        self.replacements = self.replacements.saturating_add(1);
    }

    /// Pushes an already decoded character, applying the control-code rules of table A.1 to
    /// C0/C1 code points and to their 2-byte-table form U+E080..=U+E09F.
    #[inline]
    fn push_decoded(&mut self, ch: char) {
        match u32::from(ch) {
            0x8A | 0xE08A => self.out.push('\n'),
            0x00..=0x1F | 0x7F..=0x9F | 0xE080..=0xE09F => {}
            0xFFFD => {
                self.out.push(ch);
                self.bump();
            }
            _ => self.out.push(ch),
        }
    }
}

/// Composes ISO 6937 diacritic `mark` with `base` into its NFC form.
fn compose(sink: &mut Sink<'_>, mark: u16, base: char) {
    let key = (u32::from(mark) << 16) | u32::from(base);
    match ISO6937_COMPOSE.binary_search_by_key(&key, |&(k, _)| k) {
        Ok(pos) => {
            if let Some(&(_, ch)) = ISO6937_COMPOSE.get(pos) {
                sink.out.push(ch);
            }
        }
        Err(_) if base.is_alphabetic() => {
            // No precomposed form: base + combining mark is already NFC.
            sink.out.push(base);
            if let Some(m) = char::from_u32(u32::from(mark)) {
                sink.out.push(m);
            }
        }
        // A diacritic before a space, digit or symbol is dropped (ISO 6937 only puts
        // diacritics on letters).
        Err(_) => sink.out.push(base),
    }
}

fn decode_6937(bytes: &[u8], sink: &mut Sink<'_>) {
    let mut mark: Option<u16> = None;
    for &b in bytes {
        let ch = match b {
            0x20..=0x7E => char::from(b),
            0xA0..=0xFF => {
                let v = ISO6937_HIGH
                    .get(usize::from(b - 0xA0))
                    .copied()
                    .unwrap_or(0);
                if (0xC1..=0xCF).contains(&b) && v != 0 {
                    // A second diacritic replaces an unused first one.
                    mark = Some(v);
                    continue;
                }
                match char::from_u32(u32::from(v)) {
                    Some(ch) if v != 0 => ch,
                    _ => {
                        mark = None;
                        sink.out.push('\u{FFFD}');
                        sink.bump();
                        continue;
                    }
                }
            }
            0x8A => {
                mark = None;
                sink.out.push('\n');
                continue;
            }
            // Other controls are invisible: a pending diacritic still applies after them.
            _ => continue,
        };
        match mark.take() {
            Some(m) => compose(sink, m, ch),
            None => sink.out.push(ch),
        }
    }
    // A diacritic at the end of the field is dropped.
}

fn decode_single(enc: &'static Encoding, bytes: &[u8], sink: &mut Sink<'_>) {
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b < 0xA0 {
            match b {
                0x20..=0x7E => sink.out.push(char::from(b)),
                0x8A => sink.out.push('\n'),
                _ => {}
            }
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(|&b| b >= 0xA0) {
            i += 1;
        }
        let run = bytes.get(start..i).unwrap_or(&[]);
        let (text, _) = enc.decode_without_bom_handling(run);
        for ch in text.chars() {
            sink.push_decoded(ch);
        }
    }
}

fn decode_multi(enc: &'static Encoding, bytes: &[u8], sink: &mut Sink<'_>) {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    sink.out.reserve(text.len());
    for ch in text.chars() {
        sink.push_decoded(ch);
    }
}

fn decode_segment(table: Table, bytes: &[u8], sink: &mut Sink<'_>) {
    match table {
        Table::Iso6937 => decode_6937(bytes, sink),
        Table::Single(enc) => decode_single(enc, bytes, sink),
        Table::Multi(enc) => decode_multi(enc, bytes, sink),
        Table::Unsupported => {
            if !bytes.is_empty() {
                sink.bump();
            }
        }
    }
}

/// Decodes one DVB text field (EN 300 468 Annex A), including its character-table selector.
/// Never fails; see [`Decoded`] for the replacement count.
pub fn decode_dvb(bytes: &[u8]) -> Decoded {
    decode_dvb_parts(&[bytes])
}

/// Decodes several DVB text fields that form one logical string, e.g. the `text_char` of
/// consecutive extended event descriptors.
///
/// Each part is a text field and may start with its own table selector (EN 300 468 Annex A.2
/// applies per field). Consecutive parts that use the same table are joined **before**
/// decoding, so a multi-byte character or a 6937 diacritic cut at a descriptor boundary is
/// decoded whole. Parts with different tables are decoded separately and concatenated.
pub fn decode_dvb_parts(parts: &[&[u8]]) -> Decoded {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 8);
    let mut sink = Sink {
        out: &mut text,
        replacements: 0,
    };
    let mut cur: Option<(Table, Cow<'_, [u8]>)> = None;
    for part in parts {
        let (table, body) = select(part);
        match &mut cur {
            Some((t, buf)) if *t == table => buf.to_mut().extend_from_slice(body),
            _ => {
                if let Some((t, buf)) = cur.take() {
                    decode_segment(t, &buf, &mut sink);
                }
                cur = Some((table, Cow::Borrowed(body)));
            }
        }
    }
    if let Some((t, buf)) = cur {
        decode_segment(t, &buf, &mut sink);
    }
    let replacements = sink.replacements;
    Decoded { text, replacements }
}
