//! ARIB STD-B24 8-unit code decoder for ISDB SI strings (ARIB STD-B24 Part 2 chapter 7,
//! as profiled for SI by ARIB STD-B10 and TR-B14/B15).
//!
//! The decoder is an ISO/IEC 2022-style machine with four designation slots G0..G3, GL/GR
//! invocation, single shifts, C0/C1 controls with parameters, default macros and a character
//! size mode. Every string starts from the SI initial state: G0 = Kanji, G1 = Alphanumeric,
//! G2 = Hiragana, G3 = Katakana, GL = G0, GR = G2, normal size.
//!
//! Mapping choices (see the project spec `arib-text.md`):
//! * Kanji (F=0x42) rows 1-8 and 16-84 use `encoding_rs` EUC-JP (WHATWG/CP932 style, e.g.
//!   `21 41` → U+FF5E); rows 85-86 and 90-94 use the ARIB additional kanji / symbols table
//!   (Unicode 5.2 mapping); rows 9-15 and 87-89 are undefined (U+3013).
//! * JIS compatible Kanji plane 1 (F=0x39) is JIS X 0213 plane 1: cells that JIS X 0208 defines
//!   decode exactly as the Kanji set (so both sets agree), the others come from a JIS X 0213
//!   table; plane 2 (F=0x3A) is JIS X 0213 plane 2.
//! * DRCS characters give U+3013 and count as replacements; mosaic characters are dropped.
//! * APR (0x0D) gives `\n`; other cursor controls give nothing.
//! * [`SymbolStyle::Bracket`] writes only BMP characters (U+0000..=U+FFFF): row 90 cells 48-84
//!   as the spec's bracket text, every other character above U+FFFF of the tables (the symbols
//!   of rows 90-94, the additional kanji of row 85, JIS X 0213 kanji) as its generated BMP form
//!   (`BRACKET_FORMS`: 🈔 → `[二]`, 🄐 → `(A)`, 🉀 → `〔本〕`, 𠮷 → 吉, 𠮟 → 叱, 𤋮 → 煕), or U+3013
//!   counted as a replacement when it has none. U+FA6C (𤋮) is written 煕 too, because Unicode
//!   normalisation would turn it into U+242EE.
//!
//! Robustness choices beyond the spec:
//! * A DRCS final byte decides the set width whatever the designation form (`1B 2x 20 40` is
//!   the 2-byte DRCS-0, `1B 24 2x 20 41..4F` the 1-byte DRCS-1..15), because the set, not the
//!   escape, defines its size (ARIB STD-B24 Part 2 table 7-3).
//! * A 2-byte character interrupted by a non-graphic byte (a control, SP, DEL) is dropped and
//!   counted, and the interrupting byte is processed normally; a character cut by the end of
//!   the string is dropped and counted too.
//! * An escape sequence interrupted by a byte outside 0x20..=0x7E is abandoned and that byte is
//!   processed normally; so are CSI/TIME parameter strings.
//! * Undefined hiragana 0x74..=0x76 give U+3000 (as the spec says) and count as replacements.

use std::sync::OnceLock;

use super::tables::{
    ARIB_ADDITIONAL, ARIB_ADDITIONAL_TEXT, ARIB_BRACKET_ROW90, BRACKET_FORMS, JISX0213_PAIRS,
    JISX0213_PLANE1, JISX0213_PLANE2,
};
use super::{Decoded, SymbolStyle, TextOptions, Width};

/// U+3013 GETA MARK, the replacement for undefined codes and DRCS.
const GETA: char = '\u{3013}';
/// Marks a table value as an index into a companion table (see `tables.rs`).
const FLAG: u32 = 0x8000_0000;
/// Cells per row of a 94×94 set.
const CELLS: usize = 94;

/// Default macros 0x60..=0x6F (ARIB STD-B24 Part 2 table 7-21), expanded with the current state.
/// They contain only designations and invocations, so expanding one never produces text and
/// never invokes another macro.
static DEFAULT_MACROS: [&[u8]; 16] = [
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x4A, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F, 0x1B,
        0x7D,
    ],
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x31, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F, 0x1B,
        0x7D,
    ],
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x20, 0x41, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x32, 0x1B, 0x29, 0x34, 0x1B, 0x2A, 0x35, 0x1B, 0x2B, 0x20, 0x70, 0x0F, 0x1B,
        0x7D,
    ],
    &[
        0x1B, 0x28, 0x32, 0x1B, 0x29, 0x33, 0x1B, 0x2A, 0x35, 0x1B, 0x2B, 0x20, 0x70, 0x0F, 0x1B,
        0x7D,
    ],
    &[
        0x1B, 0x28, 0x32, 0x1B, 0x29, 0x20, 0x41, 0x1B, 0x2A, 0x35, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x20, 0x41, 0x1B, 0x29, 0x20, 0x42, 0x1B, 0x2A, 0x20, 0x43, 0x1B, 0x2B, 0x20,
        0x70, 0x0F, 0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x20, 0x44, 0x1B, 0x29, 0x20, 0x45, 0x1B, 0x2A, 0x20, 0x46, 0x1B, 0x2B, 0x20,
        0x70, 0x0F, 0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x20, 0x47, 0x1B, 0x29, 0x20, 0x48, 0x1B, 0x2A, 0x20, 0x49, 0x1B, 0x2B, 0x20,
        0x70, 0x0F, 0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x20, 0x4A, 0x1B, 0x29, 0x20, 0x4B, 0x1B, 0x2A, 0x20, 0x4C, 0x1B, 0x2B, 0x20,
        0x70, 0x0F, 0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x20, 0x4D, 0x1B, 0x29, 0x20, 0x4E, 0x1B, 0x2A, 0x20, 0x4F, 0x1B, 0x2B, 0x20,
        0x70, 0x0F, 0x1B, 0x7D,
    ],
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x20, 0x42, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x20, 0x43, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
    &[
        0x1B, 0x24, 0x42, 0x1B, 0x29, 0x20, 0x44, 0x1B, 0x2A, 0x30, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
    &[
        0x1B, 0x28, 0x31, 0x1B, 0x29, 0x30, 0x1B, 0x2A, 0x4A, 0x1B, 0x2B, 0x20, 0x70, 0x0F, 0x1B,
        0x7D,
    ],
    &[
        0x1B, 0x28, 0x4A, 0x1B, 0x29, 0x32, 0x1B, 0x2A, 0x20, 0x41, 0x1B, 0x2B, 0x20, 0x70, 0x0F,
        0x1B, 0x7D,
    ],
];

/// Hiragana/Katakana codes 0x77..=0x7E (ARIB STD-B24 Part 2 tables 7-6/7-7); 0x79.. are shared.
static HIRAGANA_TAIL: [char; 8] = ['ゝ', 'ゞ', 'ー', '。', '「', '」', '、', '・'];
static KATAKANA_TAIL: [char; 8] = ['ヽ', 'ヾ', 'ー', '。', '「', '」', '、', '・'];

/// A graphic set that can be designated into G0..G3 (ARIB STD-B24 Part 2 table 7-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GSet {
    /// F=0x42, 2 bytes.
    Kanji,
    /// F=0x4A and proportional F=0x36.
    Alnum,
    /// F=0x30 and proportional F=0x37.
    Hiragana,
    /// F=0x31 and proportional F=0x38.
    Katakana,
    /// Mosaic A..D, F=0x32..=0x35: consumed, no text.
    Mosaic,
    /// JIS X 0201 katakana, F=0x49.
    JisKana,
    /// JIS compatible Kanji plane 1 (JIS X 0213 plane 1), F=0x39, 2 bytes.
    JisPlane1,
    /// JIS compatible Kanji plane 2 (JIS X 0213 plane 2), F=0x3A, 2 bytes.
    JisPlane2,
    /// Additional symbols, F=0x3B, 2 bytes.
    Symbols,
    /// DRCS-1..15 (1 byte).
    Drcs1,
    /// DRCS-0 (2 bytes).
    Drcs2,
    /// The macro set (F=0x70 with a 0x20 intermediate).
    Macro,
}

impl GSet {
    fn two_byte(self) -> bool {
        matches!(
            self,
            GSet::Kanji | GSet::JisPlane1 | GSet::JisPlane2 | GSet::Symbols | GSet::Drcs2
        )
    }

    /// 1-byte G set by final byte (no 0x20 intermediate).
    fn one_byte(f: u8) -> Option<GSet> {
        Some(match f {
            0x4A | 0x36 => GSet::Alnum,
            0x30 | 0x37 => GSet::Hiragana,
            0x31 | 0x38 => GSet::Katakana,
            0x32..=0x35 => GSet::Mosaic,
            0x49 => GSet::JisKana,
            _ => return None,
        })
    }

    /// 2-byte G set by final byte.
    fn two_byte_set(f: u8) -> Option<GSet> {
        Some(match f {
            0x42 => GSet::Kanji,
            0x39 => GSet::JisPlane1,
            0x3A => GSet::JisPlane2,
            0x3B => GSet::Symbols,
            _ => return None,
        })
    }

    /// DRCS set by final byte. The set itself decides the width (DRCS-0 is the only 2-byte
    /// DRCS), whichever designation form carried it.
    fn drcs(f: u8) -> Option<GSet> {
        match f {
            0x40 => Some(GSet::Drcs2),
            0x41..=0x4F => Some(GSet::Drcs1),
            _ => None,
        }
    }
}

/// Lookup tables built once from `encoding_rs` and the generated tables.
struct Tables {
    /// Kanji set (F=0x42): JIS X 0208 via EUC-JP for rows 1-8/16-84, ARIB rows 85-86/90-94.
    /// Flagged values index [`ARIB_ADDITIONAL_TEXT`].
    kanji: Box<[u32]>,
    /// Fast path for `kanji`: the character, or `'\0'` when the cell needs the slow path
    /// (undefined, text fallback, or a cell that `SymbolStyle::Bracket` rewrites: row 90 cells
    /// 48-84 and every character that [`needs_bracket_form`] names).
    kanji_fast: Box<[char]>,
    /// JIS X 0213 plane 1 with the JIS X 0208 cells taken from EUC-JP (as for `kanji`).
    /// Flagged values index [`JISX0213_PAIRS`].
    plane1: Box<[u32]>,
}

static TABLES: OnceLock<Tables> = OnceLock::new();

fn tables() -> &'static Tables {
    TABLES.get_or_init(build_tables)
}

/// JIS X 0208 cell through `encoding_rs` EUC-JP, only for the rows ARIB takes from JIS X 0208
/// (1-8, 16-84): encoding_rs also fills rows 9-15 and 89-92 with NEC/IBM extensions, which
/// ARIB does not have.
fn jis0208(row: usize, cell: usize) -> u32 {
    if !(1..=8).contains(&row) && !(16..=84).contains(&row) {
        return 0;
    }
    let (Ok(r), Ok(c)) = (u8::try_from(row + 0xA0), u8::try_from(cell + 0xA0)) else {
        return 0;
    };
    match encoding_rs::EUC_JP.decode_without_bom_handling_and_without_replacement(&[r, c]) {
        Some(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(ch), None) => u32::from(ch),
                _ => 0,
            }
        }
        None => 0,
    }
}

fn build_tables() -> Tables {
    let mut kanji = vec![0u32; CELLS * CELLS];
    let mut plane1 = vec![0u32; CELLS * CELLS];
    for (idx, (k, p)) in kanji.iter_mut().zip(plane1.iter_mut()).enumerate() {
        let row = idx / CELLS + 1;
        let cell = idx % CELLS + 1;
        let base = jis0208(row, cell);
        *k = if row >= 85 {
            ARIB_ADDITIONAL
                .get((row - 85) * CELLS + cell - 1)
                .copied()
                .unwrap_or(0)
        } else {
            base
        };
        *p = if base != 0 {
            base
        } else {
            JISX0213_PLANE1.get(idx).copied().unwrap_or(0)
        };
    }
    let kanji_fast = kanji
        .iter()
        .enumerate()
        .map(|(idx, &v)| {
            let (row, cell) = (idx / CELLS + 1, idx % CELLS + 1);
            let bracketable = row == 90 && (48..=84).contains(&cell);
            match char::from_u32(v) {
                Some(ch) if v != 0 && v & FLAG == 0 && !bracketable && !needs_bracket_form(v) => ch,
                _ => '\0',
            }
        })
        .collect();
    Tables {
        kanji: kanji.into_boxed_slice(),
        kanji_fast,
        plane1: plane1.into_boxed_slice(),
    }
}

/// Whether `SymbolStyle::Bracket` replaces the code point `v`: everything above U+FFFF, and
/// the BMP characters listed in [`BRACKET_FORMS`] (U+FA6C, which normalises out of the BMP).
#[inline]
fn needs_bracket_form(v: u32) -> bool {
    v > 0xFFFF || bracket_form(v).is_some()
}

/// Rewrites `text` for `SymbolStyle::Bracket` from any decoder (DVB text may carry UTF-8 emoji
/// or CJK Extension B): every character above U+FFFF becomes its bracket form, else 〓.
/// Returns how many had no form (counted as replacements).
pub(crate) fn bmp_only(text: &mut String) -> u32 {
    if text.chars().all(|c| u32::from(c) <= 0xFFFF) {
        return 0;
    }
    let mut missing = 0;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let v = u32::from(c);
        if v <= 0xFFFF {
            out.push(c);
        } else if let Some(form) = bracket_form(v) {
            out.push_str(form);
        } else {
            out.push('〓');
            missing += 1;
        }
    }
    *text = out;
    missing
}

/// The BMP text `SymbolStyle::Bracket` writes for the code point `v`, when the generated table
/// has one.
fn bracket_form(v: u32) -> Option<&'static str> {
    BRACKET_FORMS
        .binary_search_by_key(&v, |&(cp, _)| cp)
        .ok()
        .and_then(|i| BRACKET_FORMS.get(i))
        .map(|&(_, s)| s)
}

/// Character size mode (ARIB STD-B24 Part 2 7.2.1.2). Middle and small render alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    Normal,
    Reduced,
}

/// The per-string decoding state.
struct Machine<'o> {
    g: [GSet; 4],
    gl: usize,
    gr: usize,
    /// `g[gl]` and `g[gr]`, kept in sync by `refresh`.
    gl_set: GSet,
    gr_set: GSet,
    single_shift: Option<usize>,
    size: Size,
    opts: TextOptions,
    tables: &'static Tables,
    out: &'o mut String,
    replacements: u32,
}

#[inline]
fn is_graphic(b: u8) -> bool {
    matches!(b, 0x21..=0x7E | 0xA1..=0xFE)
}

impl<'o> Machine<'o> {
    fn new(opts: TextOptions, out: &'o mut String) -> Self {
        Machine {
            g: [GSet::Kanji, GSet::Alnum, GSet::Hiragana, GSet::Katakana],
            gl: 0,
            gr: 2,
            gl_set: GSet::Kanji,
            gr_set: GSet::Hiragana,
            single_shift: None,
            size: Size::Normal,
            opts,
            tables: tables(),
            out,
            replacements: 0,
        }
    }

    #[inline]
    fn set(&self, slot: usize) -> GSet {
        self.g.get(slot).copied().unwrap_or(GSet::Kanji)
    }

    /// Re-derives the cached GL/GR sets after an invocation or designation.
    #[inline]
    fn refresh(&mut self) {
        self.gl_set = self.set(self.gl);
        self.gr_set = self.set(self.gr);
    }

    #[inline]
    fn replace(&mut self) {
        self.out.push(GETA);
        self.replacements = self.replacements.saturating_add(1);
    }

    /// Whether alphanumerics and spaces are rendered full-width now.
    #[inline]
    fn full_width(&self) -> bool {
        match self.opts.width {
            Width::AsBroadcast => self.size == Size::Normal,
            Width::Half => false,
            Width::Full => true,
        }
    }

    /// Decodes `bytes`. `in_macro` is true while expanding a default macro: macro codes are
    /// then ignored, which bounds the work to one expansion per input byte.
    fn run(&mut self, bytes: &[u8], in_macro: bool) {
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            match b {
                0x21..=0x7E => {
                    let set = match self.single_shift.take() {
                        None => self.gl_set,
                        Some(slot) => self.set(slot),
                    };
                    // Fast path: a JIS X 0208 kanji or kana in GL (most EPG text).
                    if set == GSet::Kanji {
                        if let Some(&b2 @ (0x21..=0x7E | 0xA1..=0xFE)) = bytes.get(i) {
                            let idx =
                                usize::from(b - 0x21) * CELLS + usize::from((b2 & 0x7F) - 0x21);
                            if let Some(&ch) = self.tables.kanji_fast.get(idx) {
                                if ch != '\0' {
                                    self.out.push(ch);
                                    i += 1;
                                    continue;
                                }
                            }
                        }
                    }
                    i = self.graphic(set, b, bytes, i, in_macro);
                }
                0xA1..=0xFE => {
                    let c = b & 0x7F;
                    // Fast path: hiragana in GR (the default GR = G2 = Hiragana).
                    if self.gr_set == GSet::Hiragana && c <= 0x73 {
                        self.out
                            .push(char::from_u32(0x3041 + u32::from(c) - 0x21).unwrap_or(GETA));
                        continue;
                    }
                    i = self.graphic(self.gr_set, c, bytes, i, in_macro);
                }
                0x20 | 0xA0 => {
                    let sp = if self.full_width() { '\u{3000}' } else { ' ' };
                    self.out.push(sp);
                }
                0x0D => self.out.push('\n'),
                0x0E => {
                    self.gl = 1;
                    self.refresh();
                }
                0x0F => {
                    self.gl = 0;
                    self.refresh();
                }
                0x19 => self.single_shift = Some(2),
                0x1D => self.single_shift = Some(3),
                0x1B => i = self.escape(bytes, i),
                // PAPF P1
                0x16 => i += 1,
                // APS P1 P2
                0x1C => i += 2,
                // SSZ, MSZ, NSZ
                0x88 | 0x89 => self.size = Size::Reduced,
                0x8A => self.size = Size::Normal,
                // SZX P1
                0x8B => {
                    if let Some(&p) = bytes.get(i) {
                        i += 1;
                        match p {
                            0x60 => self.size = Size::Reduced,
                            0x41 | 0x44 | 0x45 | 0x64 | 0x6B => self.size = Size::Normal,
                            _ => {}
                        }
                    }
                }
                // COL, CDC: P1, or 0x20 P2
                0x90 | 0x92 => i += if bytes.get(i) == Some(&0x20) { 2 } else { 1 },
                // FLC, POL, WMM, HLC, RPC: P1
                0x91 | 0x93 | 0x94 | 0x97 | 0x98 => i += 1,
                0x95 => i = skip_macro_control(bytes, i),
                0x9B => i = skip_csi(bytes, i),
                0x9D => i = skip_time(bytes, i),
                // Other C0/C1 controls, DEL, 0xFF: nothing.
                _ => {}
            }
        }
    }

    /// Decodes one graphic character of `set` whose first byte is `c` (GL form); `i` is the
    /// position after it. Returns the position after the character.
    #[inline]
    fn graphic(&mut self, set: GSet, c: u8, bytes: &[u8], i: usize, in_macro: bool) -> usize {
        if !set.two_byte() {
            self.char1(set, c, in_macro);
            return i;
        }
        match bytes.get(i) {
            Some(&c2) if is_graphic(c2) => {
                self.char2(set, c, c2 & 0x7F);
                i + 1
            }
            // A control or space inside a 2-byte character: drop the partial character and
            // process the interrupting byte normally. At the end of the string: drop it.
            _ => {
                self.replacements = self.replacements.saturating_add(1);
                i
            }
        }
    }

    fn char1(&mut self, set: GSet, c: u8, in_macro: bool) {
        match set {
            GSet::Alnum => {
                let ch = if self.full_width() {
                    match c {
                        0x5C => '\u{FFE5}',
                        0x7E => '\u{FFE3}',
                        _ => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(GETA),
                    }
                } else {
                    char::from(c)
                };
                self.out.push(ch);
            }
            GSet::Hiragana => match c {
                0x21..=0x73 => self.push_u32(0x3041 + u32::from(c) - 0x21),
                0x74..=0x76 => {
                    // Undefined cells: U+3000 as libaribb24 and epgdump do.
                    self.out.push('\u{3000}');
                    self.replacements = self.replacements.saturating_add(1);
                }
                _ => self.push_tail(&HIRAGANA_TAIL, c),
            },
            GSet::Katakana => match c {
                0x21..=0x76 => self.push_u32(0x30A1 + u32::from(c) - 0x21),
                _ => self.push_tail(&KATAKANA_TAIL, c),
            },
            GSet::JisKana => match c {
                0x21..=0x5F => self.push_u32(0xFF61 + u32::from(c) - 0x21),
                _ => self.replace(),
            },
            GSet::Mosaic => {}
            GSet::Macro => {
                if !in_macro {
                    if let Some(m) = DEFAULT_MACROS.get(usize::from(c.wrapping_sub(0x60))) {
                        self.run(m, true);
                    }
                }
            }
            // DRCS-1..15, and (unreachable) 2-byte sets.
            _ => self.replace(),
        }
    }

    fn char2(&mut self, set: GSet, c1: u8, c2: u8) {
        let row = usize::from(c1) - 0x20;
        let cell = usize::from(c2) - 0x20;
        let idx = (row - 1) * CELLS + (cell - 1);
        match set {
            GSet::Kanji => self.kanji(row, cell, idx),
            GSet::Symbols => {
                if row >= 85 {
                    self.kanji(row, cell, idx);
                } else {
                    self.replace();
                }
            }
            GSet::JisPlane1 => {
                let v = self.tables.plane1.get(idx).copied().unwrap_or(0);
                self.push_x0213(v);
            }
            GSet::JisPlane2 => {
                let v = JISX0213_PLANE2.get(idx).copied().unwrap_or(0);
                self.push_x0213(v);
            }
            // DRCS-0, and (unreachable) 1-byte sets.
            _ => self.replace(),
        }
    }

    #[inline]
    fn kanji(&mut self, row: usize, cell: usize, idx: usize) {
        if row == 90 && self.opts.symbols == SymbolStyle::Bracket && (48..=84).contains(&cell) {
            if let Some(s) = ARIB_BRACKET_ROW90.get(cell - 48) {
                self.out.push_str(s);
                return;
            }
        }
        let v = self.tables.kanji.get(idx).copied().unwrap_or(0);
        if v & FLAG != 0 {
            match ARIB_ADDITIONAL_TEXT.get((v & !FLAG) as usize) {
                Some(s) => self.out.push_str(s),
                None => self.replace(),
            }
        } else {
            self.push_table_char(v);
        }
    }

    /// Pushes a character of a 94×94 table: as is, or in its BMP form under
    /// `SymbolStyle::Bracket` (U+3013, counted, when it has none).
    #[inline]
    fn push_table_char(&mut self, v: u32) {
        if self.opts.symbols == SymbolStyle::Bracket && v != 0 && needs_bracket_form(v) {
            match bracket_form(v) {
                Some(s) => self.out.push_str(s),
                None => self.replace(),
            }
        } else {
            self.push_u32(v);
        }
    }

    fn push_x0213(&mut self, v: u32) {
        if v & FLAG != 0 {
            match JISX0213_PAIRS.get((v & !FLAG) as usize) {
                Some(&[a, b]) => {
                    self.out.push(a);
                    self.out.push(b);
                }
                None => self.replace(),
            }
        } else {
            self.push_table_char(v);
        }
    }

    #[inline]
    fn push_u32(&mut self, v: u32) {
        match char::from_u32(v) {
            Some(ch) if v != 0 => self.out.push(ch),
            _ => self.replace(),
        }
    }

    fn push_tail(&mut self, tail: &[char; 8], c: u8) {
        match tail.get(usize::from(c.wrapping_sub(0x77))) {
            Some(&ch) => self.out.push(ch),
            None => self.replace(),
        }
    }

    /// Parses an escape sequence after `1B` (ISO/IEC 2022: intermediates 0x20..=0x2F, one final
    /// byte 0x30..=0x7E) and applies it. A sequence interrupted by any other byte is abandoned
    /// and that byte is processed normally; unknown sequences are consumed without effect.
    fn escape(&mut self, bytes: &[u8], mut i: usize) -> usize {
        let mut inter = [0u8; 3];
        let mut n = 0usize;
        loop {
            match bytes.get(i) {
                Some(&b @ 0x20..=0x2F) => {
                    if let Some(slot) = inter.get_mut(n) {
                        *slot = b;
                    }
                    n = n.saturating_add(1);
                    i += 1;
                }
                Some(&f @ 0x30..=0x7E) => {
                    if let Some(seq) = inter.get(..n) {
                        self.designate(seq, f);
                    }
                    return i + 1;
                }
                _ => return i,
            }
        }
    }

    fn designate(&mut self, inter: &[u8], f: u8) {
        match *inter {
            [] => match f {
                0x6E => self.gl = 2,
                0x6F => self.gl = 3,
                0x7E => self.gr = 1,
                0x7D => self.gr = 2,
                0x7C => self.gr = 3,
                _ => {}
            },
            [s @ 0x28..=0x2B] => self.store(s, GSet::one_byte(f)),
            [s @ 0x28..=0x2B, 0x20] => {
                let set = if f == 0x70 {
                    Some(GSet::Macro)
                } else {
                    GSet::drcs(f)
                };
                self.store(s, set);
            }
            [0x24] => self.store(0x28, GSet::two_byte_set(f)),
            // 0x24 0x28 F is not in ARIB (G0 uses 0x24 F) but accepted leniently.
            [0x24, s @ 0x28..=0x2B] => self.store(s, GSet::two_byte_set(f)),
            [0x24, s @ 0x28..=0x2B, 0x20] => self.store(s, GSet::drcs(f)),
            _ => {}
        }
        self.refresh();
    }

    fn store(&mut self, slot_byte: u8, set: Option<GSet>) {
        if let (Some(set), Some(slot)) = (set, self.g.get_mut(usize::from(slot_byte - 0x28))) {
            *slot = set;
        }
    }
}

/// MACRO (0x95) P1: `95 40`/`95 41` open a macro definition that runs to `95 4F` inclusive.
fn skip_macro_control(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(0x40 | 0x41) => {
            let body = bytes.get(i + 1..).unwrap_or(&[]);
            match body.windows(2).position(|w| w == [0x95, 0x4F]) {
                Some(p) => i + 1 + p + 2,
                None => bytes.len(),
            }
        }
        Some(_) => i + 1,
        None => i,
    }
}

/// CSI (0x9B): parameter bytes 0x30..=0x3B and 0x20, then a final byte 0x40..=0x7E.
fn skip_csi(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(0x20 | 0x30..=0x3B) => i += 1,
            Some(0x40..=0x7E) => return i + 1,
            _ => return i,
        }
    }
}

/// TIME (0x9D): `9D 20 P2`, `9D 28 P2`, or `9D 29` parameters 0x30..=0x3B (and 0x20) then a
/// final byte 0x40..=0x43.
fn skip_time(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(0x20 | 0x28) => i + 2,
        Some(0x29) => {
            let mut j = i + 1;
            loop {
                match bytes.get(j) {
                    Some(0x20 | 0x30..=0x3B) => j += 1,
                    Some(0x40..=0x43) => return j + 1,
                    _ => return j,
                }
            }
        }
        Some(_) => i + 1,
        None => i,
    }
}

/// A reusable ARIB decoder: holds the options and a scratch buffer for split strings, and
/// appends to a caller-provided `String` so that a dumper can decode many strings without
/// per-string allocation.
#[derive(Debug, Clone, Default)]
pub struct AribDecoder {
    opts: TextOptions,
    scratch: Vec<u8>,
}

impl AribDecoder {
    /// Creates a decoder with the given options.
    pub fn new(opts: TextOptions) -> Self {
        AribDecoder {
            opts,
            scratch: Vec::new(),
        }
    }

    /// The options this decoder uses.
    pub fn options(&self) -> TextOptions {
        self.opts
    }

    /// Decodes one complete ARIB string (starting from the SI initial state) and appends the
    /// text to `out`. Returns the number of replacements (see [`Decoded`]).
    pub fn decode_append(&mut self, bytes: &[u8], out: &mut String) -> u32 {
        decode_into(bytes, self.opts, out)
    }

    /// Decodes several slices as **one** string (e.g. an extended-event item split across
    /// descriptors, possibly inside a 2-byte character or an escape sequence) and appends the
    /// text to `out`. Returns the number of replacements.
    pub fn decode_parts_append(&mut self, parts: &[&[u8]], out: &mut String) -> u32 {
        match parts {
            [] => 0,
            [one] => decode_into(one, self.opts, out),
            _ => {
                self.scratch.clear();
                for p in parts {
                    self.scratch.extend_from_slice(p);
                }
                decode_into(&self.scratch, self.opts, out)
            }
        }
    }
}

fn decode_into(bytes: &[u8], opts: TextOptions, out: &mut String) -> u32 {
    // Kanji take 1.5x their input as UTF-8, GR kana and full-width alphanumerics 3x.
    out.reserve(bytes.len() * 2);
    let mut m = Machine::new(opts, out);
    m.run(bytes, false);
    m.replacements
}

/// Decodes one complete ARIB STD-B24 8-unit-code string (ARIB STD-B24 Part 2 chapter 7) from
/// the SI initial state. Never fails; see [`Decoded`] for the replacement count.
pub fn decode_arib(bytes: &[u8], opts: &TextOptions) -> Decoded {
    let mut text = String::new();
    let replacements = decode_into(bytes, *opts, &mut text);
    Decoded { text, replacements }
}

/// Decodes several slices as one ARIB string: the result equals [`decode_arib`] of their
/// concatenation. Use it for extended-event items split across descriptors.
pub fn decode_arib_parts(parts: &[&[u8]], opts: &TextOptions) -> Decoded {
    let mut text = String::new();
    let replacements = AribDecoder::new(*opts).decode_parts_append(parts, &mut text);
    Decoded { text, replacements }
}
