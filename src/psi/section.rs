//! A whole section and its validation (ISO/IEC 13818-1 2.4.4.10–2.4.4.11).

use crc::{Crc, Table, CRC_32_MPEG_2};

/// CRC32/MPEG-2 (ISO/IEC 13818-1 Annex A), slice-by-16 for speed: EIT sections are most of
/// what the reader touches.
static CRC32: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC_32_MPEG_2);

/// CRC32/MPEG-2 of `bytes`. Over a whole section including its CRC_32 field the result is 0.
pub fn crc32_mpeg2(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

/// The outcome of checking a whole section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionCheck {
    /// Valid: CRC correct, or a table that carries none.
    Ok,
    /// The CRC failed, or a table that must use the long form has section_syntax_indicator = 0.
    CrcError,
    /// Shorter than the mandatory header and CRC.
    TooShort,
}

/// A whole section (`table_id` through the end of `section_length`), as the assembler emits it.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    bytes: &'a [u8],
}

impl<'a> Section<'a> {
    /// Wraps the bytes of one whole section. `bytes` must be exactly `3 + section_length` long;
    /// returns `None` when it is not (the assembler guarantees it).
    pub fn new(bytes: &'a [u8]) -> Option<Section<'a>> {
        let len = section_total_len(bytes)?;
        (len == bytes.len()).then_some(Section { bytes })
    }

    /// The raw bytes, header and CRC included.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// table_id.
    pub fn table_id(&self) -> u8 {
        self.bytes.first().copied().unwrap_or(0xFF)
    }

    /// section_syntax_indicator: 1 for the long form with extension header and CRC.
    pub fn syntax_indicator(&self) -> bool {
        self.bytes.get(1).is_some_and(|b| b & 0x80 != 0)
    }

    /// Whether this table carries a CRC_32: every long-form section, and the TOT
    /// (EN 300 468 5.2.6, ARIB STD-B10 5.2.9), which is short-form but ends in a CRC.
    /// TDT (0x70), RST (0x71), ST (0x72) and DIT (0x7E) carry none.
    pub fn has_crc(&self) -> bool {
        !matches!(self.table_id(), 0x70 | 0x71 | 0x72 | 0x7E)
    }

    /// Checks the length and CRC. Tables that must be long-form (all with a CRC except the
    /// TOT) fail when section_syntax_indicator is 0, as a CRC error: such a section cannot be
    /// interpreted.
    pub fn check(&self) -> SectionCheck {
        if !self.has_crc() {
            return SectionCheck::Ok;
        }
        let long = self.table_id() != 0x73;
        let min = if long { 3 + 5 + 4 } else { 3 + 4 };
        if self.bytes.len() < min {
            return SectionCheck::TooShort;
        }
        if long && !self.syntax_indicator() {
            return SectionCheck::CrcError;
        }
        if cfg!(fuzzing) || crc32_mpeg2(self.bytes) == 0 {
            SectionCheck::Ok
        } else {
            SectionCheck::CrcError
        }
    }

    /// table_id_extension of a long-form section (service_id for EIT, transport_stream_id for
    /// SDT, network_id for NIT).
    pub fn table_id_extension(&self) -> Option<u16> {
        let b = self.bytes.get(3..5)?;
        Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
    }

    /// version_number of a long-form section.
    pub fn version(&self) -> Option<u8> {
        self.bytes.get(5).map(|b| (b >> 1) & 0x1F)
    }

    /// current_next_indicator of a long-form section.
    pub fn current_next(&self) -> Option<bool> {
        self.bytes.get(5).map(|b| b & 1 != 0)
    }

    /// section_number of a long-form section.
    pub fn section_number(&self) -> Option<u8> {
        self.bytes.get(6).copied()
    }

    /// last_section_number of a long-form section.
    pub fn last_section_number(&self) -> Option<u8> {
        self.bytes.get(7).copied()
    }
}

/// `3 + section_length` read from the first three bytes of a section.
#[inline]
pub(crate) fn section_total_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [_, hi, lo, ..] => Some(3 + (usize::from(hi & 0x0F) << 8 | usize::from(*lo))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(crc32_mpeg2(b"123456789"), 0x0376_E6E7);
    }

    fn long_section(table_id: u8, body: &[u8]) -> Vec<u8> {
        let len = 5 + body.len() + 4;
        let mut s = vec![
            table_id,
            0xB0 | (len >> 8) as u8,
            len as u8,
            0,
            1,
            0xC1,
            0,
            0,
        ];
        s.extend_from_slice(body);
        let crc = crc32_mpeg2(&s);
        s.extend_from_slice(&crc.to_be_bytes());
        s
    }

    #[test]
    fn valid_and_corrupt() {
        let s = long_section(0x4E, &[1, 2, 3]);
        let v = Section::new(&s).unwrap();
        assert_eq!(v.check(), SectionCheck::Ok);
        assert_eq!(v.table_id_extension(), Some(1));
        assert_eq!(v.version(), Some(0));
        let mut bad = s.clone();
        bad[9] ^= 1;
        assert_eq!(Section::new(&bad).unwrap().check(), SectionCheck::CrcError);
        let mut nossi = s.clone();
        nossi[1] &= 0x7F;
        assert_eq!(
            Section::new(&nossi).unwrap().check(),
            SectionCheck::CrcError
        );
        assert!(Section::new(&s[..s.len() - 1]).is_none());
    }

    #[test]
    fn short_forms() {
        let tdt = [0x70, 0x70, 0x05, 1, 2, 3, 4, 5];
        assert_eq!(Section::new(&tdt).unwrap().check(), SectionCheck::Ok);
        let tiny = [0x4E, 0xB0, 0x02, 0, 0];
        assert_eq!(Section::new(&tiny).unwrap().check(), SectionCheck::TooShort);
    }
}
