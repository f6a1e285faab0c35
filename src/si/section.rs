//! PSI section headers (ISO/IEC 13818-1 2.4.4.10, ETSI EN 300 468 5.1, ARIB STD-B10 5.1).
//!
//! Every SI table starts with the same 3 bytes (table_id, flags, 12-bit section_length). Long-form
//! sections (`section_syntax_indicator = 1`: NIT, SDT, EIT, BIT) add 5 more header bytes and end in a
//! CRC_32; short-form ones (TDT, TOT) do not have the extra header. The table views in this module's
//! siblings all start from [`LongSection`] or [`ShortSection`], so the header arithmetic and its
//! length checks live in exactly one place.
//!
//! The input is one complete section whose CRC the section layer has already checked; the CRC is
//! not recomputed here. Bytes after `3 + section_length` (for example 0xFF stuffing) are ignored.

use crate::error::SiError;
use crate::si::parse::{array, bits_u16, bits_u8, counted, finish, flag, packed, u16_f, u8_f, Res};
use nom::Parser;

/// Length of the long-form header (table_id .. last_section_number).
pub const LONG_HEADER_LEN: usize = 8;
/// Length of the CRC_32 at the end of a long-form section (and of a TOT).
pub const CRC_LEN: usize = 4;

/// The 3-byte common header (ISO/IEC 13818-1 2.4.4.10): table_id(8)
/// section_syntax_indicator(1) private_indicator(1) reserved(2) section_length(12).
#[derive(Debug, Clone, Copy)]
struct Common<'a> {
    table_id: u8,
    syntax_indicator: bool,
    private_indicator: bool,
    section_length: u16,
    /// The `section_length` bytes after the header.
    body: &'a [u8],
}

/// Reads the common header and limits the section to `section_length` bytes.
fn common(section: &[u8]) -> Res<'_, Common<'_>> {
    let what = "section header";
    let (i, table_id) = u8_f(what).parse_complete(section)?;
    let (i, (syntax_indicator, private_indicator, _reserved, section_length)) =
        packed(what, (flag(), flag(), bits_u8::<2>(), bits_u16::<12>())).parse_complete(i)?;
    let (i, body) = counted("section_length", usize::from(section_length)).parse_complete(i)?;
    Ok((
        i,
        Common {
            table_id,
            syntax_indicator,
            private_indicator,
            section_length,
            body,
        },
    ))
}

/// Splits `bytes` into everything before the last 4 and the CRC_32, or `Truncated { what }`.
pub(crate) fn before_crc<'a>(
    what: &'static str,
) -> impl Parser<&'a [u8], Output = (&'a [u8], [u8; CRC_LEN]), Error = crate::si::parse::Fail> {
    move |i: &'a [u8]| {
        (
            nom::bytes::take(i.len().saturating_sub(CRC_LEN)),
            array::<CRC_LEN>(what),
        )
            .parse_complete(i)
    }
}

/// The long-form section header (ISO/IEC 13818-1 2.4.4.10; ETSI EN 300 468 5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LongHeader {
    /// table_id (8 bits).
    pub table_id: u8,
    /// section_syntax_indicator (always `true` for a long-form section).
    pub section_syntax_indicator: bool,
    /// The bit after section_syntax_indicator (reserved_future_use in SI tables).
    pub private_indicator: bool,
    /// section_length: bytes after this field up to and including the CRC.
    pub section_length: u16,
    /// table_id_extension: service_id (EIT), transport_stream_id (SDT), network_id (NIT),
    /// original_network_id (BIT).
    pub table_id_extension: u16,
    /// version_number (5 bits).
    pub version_number: u8,
    /// current_next_indicator: `true` when the section is currently applicable.
    pub current_next_indicator: bool,
    /// section_number.
    pub section_number: u8,
    /// last_section_number.
    pub last_section_number: u8,
}

/// A long-form section split into header, body (between the 8-byte header and the CRC) and CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongSection<'a> {
    /// The decoded header.
    pub header: LongHeader,
    /// The table-specific bytes after the header and before the CRC_32.
    pub body: &'a [u8],
    /// The CRC_32 bytes as sent (not checked here).
    pub crc: [u8; 4],
}

impl<'a> LongSection<'a> {
    /// Parses the long-form header of `section` (which starts at table_id).
    ///
    /// Errors: fewer than 3 bytes or `section_length` past the input → `Truncated` /
    /// `LengthOverrun { what: "section_length" }`; `section_syntax_indicator = 0` →
    /// `Invalid { what: "section_syntax_indicator" }`; `section_length < 9` (no room for the
    /// 5 remaining header bytes and the CRC) → `Truncated { what: "long section" }`.
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let (_, h) = finish(common(section))?;
        if !h.syntax_indicator {
            return Err(SiError::Invalid {
                what: "section_syntax_indicator",
            });
        }
        let (_, (rest, crc)) = finish(before_crc("long section").parse_complete(h.body))?;
        let what = "long section";
        // table_id_extension(16) reserved(2) version_number(5) current_next_indicator(1)
        // section_number(8) last_section_number(8)
        let (
            body,
            (
                table_id_extension,
                (_reserved, version_number, current_next_indicator),
                section_number,
                last_section_number,
            ),
        ) = finish(
            (
                u16_f(what),
                packed(what, (bits_u8::<2>(), bits_u8::<5>(), flag())),
                u8_f(what),
                u8_f(what),
            )
                .parse_complete(rest),
        )?;
        Ok(LongSection {
            header: LongHeader {
                table_id: h.table_id,
                section_syntax_indicator: true,
                private_indicator: h.private_indicator,
                section_length: h.section_length,
                table_id_extension,
                version_number,
                current_next_indicator,
                section_number,
                last_section_number,
            },
            body,
            crc,
        })
    }
}

/// A short-form section (`section_syntax_indicator = 0`, e.g. TDT/TOT): the 3-byte header and the
/// `section_length` bytes after it (ETSI EN 300 468 5.2.5, 5.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortSection<'a> {
    /// table_id.
    pub table_id: u8,
    /// section_syntax_indicator as sent (0 for TDT/TOT).
    pub section_syntax_indicator: bool,
    /// section_length.
    pub section_length: u16,
    /// The `section_length` bytes after the 3-byte header (for a TOT this still includes the CRC).
    pub body: &'a [u8],
}

impl<'a> ShortSection<'a> {
    /// Parses the 3-byte header and limits the body to `section_length`. The syntax indicator is
    /// reported, not enforced, so callers can decide.
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let (_, h) = finish(common(section))?;
        Ok(ShortSection {
            table_id: h.table_id,
            section_syntax_indicator: h.syntax_indicator,
            section_length: h.section_length,
            body: h.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_header_fields() {
        // table 0x4E, ssi=1, length 13: ext 0x1234, version 5 current, sect 1 of 2, body 2 bytes, crc
        let s = [
            0x4E, 0xB0, 11, 0x12, 0x34, 0xCB, 1, 2, 0xAA, 0xBB, 1, 2, 3, 4, 0xFF, 0xFF,
        ];
        let l = LongSection::parse(&s).unwrap();
        assert_eq!(l.header.table_id, 0x4E);
        assert!(l.header.section_syntax_indicator);
        assert!(!l.header.private_indicator);
        assert_eq!(l.header.section_length, 11);
        assert_eq!(l.header.table_id_extension, 0x1234);
        assert_eq!(l.header.version_number, 5);
        assert!(l.header.current_next_indicator);
        assert_eq!(l.header.section_number, 1);
        assert_eq!(l.header.last_section_number, 2);
        assert_eq!(l.body, &[0xAA, 0xBB]);
        assert_eq!(l.crc, [1, 2, 3, 4]);
    }

    #[test]
    fn long_header_errors() {
        assert_eq!(
            LongSection::parse(&[0x4E, 0xB0]),
            Err(SiError::Truncated {
                what: "section header"
            })
        );
        // section_length 20 but only 9 bytes follow
        let s = [0x4E, 0xB0, 20, 0, 1, 0xC1, 0, 0, 1, 2, 3, 4];
        assert_eq!(
            LongSection::parse(&s),
            Err(SiError::LengthOverrun {
                what: "section_length"
            })
        );
        // too short for header + CRC
        let s = [0x4E, 0xB0, 8, 0, 1, 0xC1, 0, 0, 1, 2, 3];
        assert_eq!(
            LongSection::parse(&s),
            Err(SiError::Truncated {
                what: "long section"
            })
        );
        let s = [0x4E, 0x30, 9, 0, 1, 0xC1, 0, 0, 1, 2, 3, 4];
        assert_eq!(
            LongSection::parse(&s),
            Err(SiError::Invalid {
                what: "section_syntax_indicator"
            })
        );
    }

    #[test]
    fn short_section() {
        let s = [0x70, 0x70, 5, 1, 2, 3, 4, 5, 0xFF];
        let sh = ShortSection::parse(&s).unwrap();
        assert_eq!(sh.table_id, 0x70);
        assert!(!sh.section_syntax_indicator);
        assert_eq!(sh.section_length, 5);
        assert_eq!(sh.body, &[1, 2, 3, 4, 5]);
        assert_eq!(
            ShortSection::parse(&[0x70, 0x70, 6, 1, 2, 3, 4, 5]),
            Err(SiError::LengthOverrun {
                what: "section_length"
            })
        );
    }
}
