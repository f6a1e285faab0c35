//! Text decoding: ARIB STD-B24 8-unit code (ISDB) and DVB text (ETSI EN 300 468 Annex A).
//!
//! Both decoders share one contract, modelled on `encoding_rs`: they take the raw bytes of one
//! string (or several slices that together form one string), **never fail, never panic**, do
//! bounded work per input byte, and return the text plus a count of replacements
//! ([`Decoded`]).
//!
//! * [`arib`]: the ARIB STD-B24 Part 2 chapter 7 "8-unit code" used in ISDB SI strings
//!   (`event_name`, `text_char`, extended-event items, `service_name` …), including JIS X 0208
//!   kanji (through `encoding_rs` EUC-JP), the ARIB additional kanji and symbols (rows 85-86,
//!   90-94), JIS X 0213 planes 1 and 2, DRCS, mosaic and default macros.
//! * [`dvb`]: DVB text with the character-table selector of EN 300 468 Annex A.2 and the
//!   default table 00 (ISO/IEC 6937 with the euro sign), whose prefix diacritics are composed
//!   into precomposed (NFC) characters.
//!
//! Split strings (an extended-event item cut across descriptors, even inside a 2-byte
//! character or an escape sequence) are decoded with the `*_parts` functions, which treat the
//! slices as one string.
//!
//! ```
//! use epgdump::text::{decode_arib, decode_dvb, SymbolStyle, TextOptions};
//!
//! // ARIB: kanji, then the additional symbol [字] (row 90 cell 54).
//! let d = decode_arib(&[0x46, 0x7C, 0x4B, 0x5C, 0x7A, 0x56], &TextOptions::default());
//! assert_eq!(d.text, "日本🈑");
//! let opts = TextOptions { symbols: SymbolStyle::Bracket, ..TextOptions::default() };
//! assert_eq!(decode_arib(&[0x7A, 0x56], &opts).text, "[字]");
//!
//! // DVB default table: 0xCF is the caron prefix.
//! assert_eq!(decode_dvb(b"\xCFcesk\xC2y").text, "český");
//! ```

pub mod arib;
pub mod dvb;
mod tables;

pub use arib::{decode_arib, decode_arib_parts, AribDecoder};
pub use dvb::{decode_dvb, decode_dvb_parts};

/// How ARIB additional symbols (Kanji-set row 90 cells 48-84: `[HV]`, `[字]`, `[再]` …) are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SymbolStyle {
    /// Their Unicode 5.2 characters (🅊, 🈑, 🈞 …). The default.
    #[default]
    Unicode,
    /// Bracketed text (`[HV]`, `[字]`, `[再]` …, the ariblib / EPGStation convention). Symbols
    /// outside row 90 cells 48-84 keep their Unicode form.
    Bracket,
}

/// How the ARIB Alphanumeric set (and the space characters SP / 0xA0) are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Width {
    /// Follow the broadcast size mode (ARIB STD-B24 Part 2 7.2.1.2 SSZ/MSZ/NSZ): normal size
    /// gives full-width forms (`Ａ`, U+3000), small and middle size give ASCII. The default.
    #[default]
    AsBroadcast,
    /// Always ASCII letters/digits/symbols and U+0020 spaces.
    Half,
    /// Always full-width forms (U+FF01..) and U+3000 spaces.
    Full,
}

/// Options for [`decode_arib`] (DVB text has no options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TextOptions {
    /// Rendering of the ARIB additional symbols.
    pub symbols: SymbolStyle,
    /// Rendering of the ARIB Alphanumeric set and spaces.
    pub width: Width,
}

/// A decoded string.
///
/// `replacements` counts the characters that could not be mapped to Unicode: each was either
/// replaced (U+3013 〓 for ARIB undefined codes and DRCS, U+FFFD for DVB) or dropped (a
/// character truncated by the end of the string, an unsupported DVB encoding). Zero means the
/// decoding was lossless.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    /// The decoded text. Contains no control characters except `\n`.
    pub text: String,
    /// Number of replaced or dropped characters (see the type documentation).
    pub replacements: u32,
}

#[cfg(test)]
mod tests_arib;
#[cfg(test)]
mod tests_dvb;
