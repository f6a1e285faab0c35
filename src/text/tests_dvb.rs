//! Unit tests for the DVB decoder (EN 300 468 Annex A).

use super::dvb::{decode_dvb, decode_dvb_parts};

fn d(b: &[u8]) -> String {
    decode_dvb(b).text
}

#[test]
fn default_table_ascii_and_symbols() {
    assert_eq!(d(b"Hello"), "Hello");
    assert_eq!(d(b""), "");
    // Euro at 0xA4, currency sign moved to 0xA8, quotes, arrows, Ω, æ, soft hyphen.
    assert_eq!(
        d(b"\xA4\xA8\xA9\xBA\xAC\xE0\xF1\xFF"),
        "€¤‘”←\u{2126}æ\u{AD}"
    );
    // Undefined cells give U+FFFD and count.
    let r = decode_dvb(b"a\xA6b\xE5");
    assert_eq!((r.text.as_str(), r.replacements), ("a\u{FFFD}b\u{FFFD}", 2));
}

#[test]
fn iso6937_diacritics_compose_to_nfc() {
    // c + caron = č, e + acute = é, Z + caron = Ž, u + ring = ů, o + double acute = ő.
    assert_eq!(
        d(b"\xCFc\xC2e\xCFZ\xCAu\xCDo"),
        "\u{10D}\u{E9}\u{17D}\u{16F}\u{151}"
    );
    // Cedilla and ogonek, umlaut on capitals.
    assert_eq!(d(b"\xCBc\xCEa\xC8A\xC8o"), "çąÄö");
    // Diacritic on a non-ASCII letter of the table: ø + acute = ǿ.
    assert_eq!(d(b"\xC2\xF9"), "\u{1FF}");
    // A letter with no precomposed form keeps base + combining mark (already NFC).
    assert_eq!(d(b"\xCFq"), "q\u{30C}");
    // Before a space, a digit or at the end: the diacritic is dropped.
    assert_eq!(d(b"\xC2 \xC21x\xC2"), " 1x");
    // A pending diacritic survives an emphasis control, not a line break.
    assert_eq!(d(b"\xC2\x86e\x87"), "é");
    assert_eq!(d(b"\xC2\x8Ae"), "\ne");
}

#[test]
fn controls() {
    assert_eq!(d(b"\x86Pointless\x87"), "Pointless");
    assert_eq!(d(b"a\x8Ab\x0Ac\x00\x1F\x7F\x80\x9F"), "a\nbc");
}

#[test]
fn table_selectors() {
    // 0x01 ISO 8859-5: 0xB0 = А.
    assert_eq!(d(b"\x01\xB0\xB1 x"), "АБ x");
    // 0x03 ISO 8859-7: 0xE1 = α.
    assert_eq!(d(b"\x03\xE1"), "α");
    // 0x05 ISO 8859-9 (via windows-1254 above 0x9F): 0xFD = ı; 0x8A is still CR/LF.
    assert_eq!(d(b"\x05\xFD\x8A\x80"), "ı\n");
    // 0x10 00 01 ISO 8859-1, 0x10 00 02 ISO 8859-2.
    assert_eq!(d(b"\x10\x00\x01\xE9\xA4"), "é¤");
    assert_eq!(d(b"\x10\x00\x02\xE8"), "č");
    // 0x11 UCS-2 with U+E08A and U+E086.
    assert_eq!(d(b"\x11\x00A\xE0\x86\x00B\xE0\x8A\x30\x42"), "AB\nあ");
    // 0x15 UTF-8 with the PUA controls.
    assert_eq!(d("\u{15}caf\u{e9}\u{e08a}\u{e087}!".as_bytes()), "café\n!");
    // 0x13 GB2312, 0x14 Big5, 0x12 KS X 1001.
    assert_eq!(d(b"\x13\xD6\xD0\xCE\xC4"), "中文");
    assert_eq!(d(b"\x14\xA4\xA4\xA4\xE5"), "中文");
    assert_eq!(d(b"\x12\xC7\xD1\xB1\xDB"), "한글");
    // Selector only, or truncated 0x10 selector: empty.
    assert_eq!(d(b"\x15"), "");
    assert_eq!(d(b"\x10\x00"), "");
    // 0x1F encoding_type_id: unsupported, nothing emitted, counted.
    let r = decode_dvb(b"\x1F\x01\x12\x34");
    assert_eq!((r.text.as_str(), r.replacements), ("", 1));
    // Reserved selector: the rest is read as the default table.
    assert_eq!(d(b"\x0CHi"), "Hi");
    // Malformed UTF-8 is replaced and counted.
    assert_eq!(decode_dvb(b"\x15a\xFFb").replacements, 1);
}

#[test]
fn parts_join_same_table() {
    // A diacritic cut from its letter, UCS-2 and UTF-8 characters cut in half.
    assert_eq!(decode_dvb_parts(&[b"mod\xC2", b"ator"]).text, "modátor");
    assert_eq!(decode_dvb_parts(&[b"\x11\x00", b"\x11A"]).text, "A");
    assert_eq!(decode_dvb_parts(&[b"\x15\xC3", b"\x15\xA9"]).text, "é");
    // Different tables are decoded separately.
    assert_eq!(decode_dvb_parts(&[b"\x01\xB0", b"\xC2e"]).text, "Аé");
    assert_eq!(decode_dvb_parts(&[]).text, "");
}
