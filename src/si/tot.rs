//! Time and Date Table 0x70 and Time Offset Table 0x73 (ETSI EN 300 468 5.2.5, 5.2.6;
//! ARIB STD-B10 5.2.8, 5.2.9).
//!
//! Both are short-form sections carrying one 40-bit MJD+BCD time; the TOT adds a descriptor loop
//! (local_time_offset 0x58) and a CRC_32. One view, [`Tot`], covers both so the collector can take
//! the stream clock from whichever arrives. ARIB sends JST in the field EN 300 468 calls
//! UTC_time, so the decoded value is a zone-less [`CivilTime`]; the caller applies the offset.

use crate::error::SiError;
use crate::si::descriptor::Descriptors;
use crate::si::parse::{array, finish, loop12, run};
use crate::si::section::{before_crc, ShortSection};
use crate::si::time::{decode_start_time, CivilTime};
use nom::Parser;

/// table_id of the TDT.
pub const TID_TDT: u8 = 0x70;
/// table_id of the TOT.
pub const TID_TOT: u8 = 0x73;

/// A parsed TDT (0x70) or TOT (0x73) section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tot<'a> {
    table_id: u8,
    time: [u8; 5],
    descriptors_raw: &'a [u8],
}

impl<'a> Tot<'a> {
    /// Parses one complete TDT or TOT section.
    ///
    /// Errors: other table_id → `Invalid { what: "table_id" }`; a body shorter than the time
    /// field → `Truncated { what: "time" }`; for a TOT, no room for the CRC →
    /// `Truncated { what: "TOT" }` and a `descriptors_loop_length` past the CRC →
    /// `LengthOverrun { what: "descriptors_loop_length" }`. Bytes after the TDT's 5-byte time are
    /// ignored.
    ///
    /// ```
    /// use epgdump::si::Tot;
    /// // a TDT: MJD 60347 (2024-02-07), 09:24:00
    /// let tdt = Tot::parse(&[0x70, 0x70, 0x05, 0xEB, 0xBB, 0x09, 0x24, 0x00])?;
    /// let t = tdt.time()?.expect("defined");
    /// assert_eq!((t.hour, t.minute), (9, 24));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let s = ShortSection::parse(section)?;
        match s.table_id {
            TID_TDT => {
                // UTC_time(40) (EN 300 468 5.2.5)
                let time = run(array::<5>("time"), s.body)?;
                Ok(Tot {
                    table_id: TID_TDT,
                    time,
                    descriptors_raw: &[],
                })
            }
            TID_TOT => {
                // UTC_time(40) reserved(4) descriptors_loop_length(12) descriptors CRC_32
                // (EN 300 468 5.2.6)
                let (_, (rest, _crc)) = finish(before_crc("TOT").parse_complete(s.body))?;
                let (time, descriptors_raw) = run(
                    (array::<5>("time"), loop12("TOT", "descriptors_loop_length")),
                    rest,
                )?;
                Ok(Tot {
                    table_id: TID_TOT,
                    time,
                    descriptors_raw,
                })
            }
            _ => Err(SiError::Invalid { what: "table_id" }),
        }
    }
    /// table_id (0x70 or 0x73).
    pub fn table_id(&self) -> u8 {
        self.table_id
    }
    /// Whether this is a TDT (no descriptors).
    pub fn is_tdt(&self) -> bool {
        self.table_id == TID_TDT
    }
    /// UTC_time (DVB) / JST_time (ARIB), raw 40 bits.
    pub fn time_raw(&self) -> [u8; 5] {
        self.time
    }
    /// The decoded time; `Ok(None)` if all 40 bits are 1.
    pub fn time(&self) -> Result<Option<CivilTime>, SiError> {
        decode_start_time(self.time)
    }
    /// The TOT descriptor loop (empty for a TDT); local_time_offset is tag 0x58 here.
    pub fn descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.descriptors_raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::descriptor::LocalTimeOffset;
    use crate::testsupport::si_build as build;

    const T: [u8; 5] = [0xEB, 0xBB, 0x09, 0x24, 0x00];

    #[test]
    fn tdt() {
        let s = build::tdt(T);
        let t = Tot::parse(&s).unwrap();
        assert_eq!(t.table_id(), 0x70);
        assert!(t.is_tdt());
        assert_eq!(t.time_raw(), T);
        assert_eq!(
            t.time().unwrap().unwrap().format_xmltv(9 * 3600),
            "20240207092400 +0900"
        );
        assert_eq!(t.descriptors().count(), 0);
        let s = build::short_section(0x70, &[0xEB, 0xBB, 0x09, 0x24]);
        assert_eq!(Tot::parse(&s), Err(SiError::Truncated { what: "time" }));
    }

    #[test]
    fn tot_with_local_time_offset() {
        let mut lto = b"JPN".to_vec();
        lto.extend([(5 << 2) | 0x02, 0x09, 0x00]); // region 5, positive, +09:00
        lto.extend([0xFF; 5]);
        lto.extend([0x09, 0x00]);
        let mut eu = b"DEU".to_vec();
        eu.extend([0x03, 0x01, 0x00, 0xEB, 0xBB, 0x02, 0x00, 0x00, 0x02, 0x00]);
        lto.extend(eu);
        let d = build::descriptor(0x58, &lto);
        let s = build::tot(T, &d);
        let t = Tot::parse(&s).unwrap();
        assert_eq!(t.table_id(), 0x73);
        assert!(!t.is_tdt());
        assert_eq!(t.time().unwrap().unwrap().hour, 9);
        let d = t.descriptors().next().unwrap().unwrap();
        let l = d.view::<LocalTimeOffset>().unwrap().unwrap();
        let e: Vec<_> = l.entries().collect();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].country, *b"JPN");
        assert_eq!(e[0].region_id, 5);
        assert!(!e[0].negative);
        assert_eq!(e[0].offset_minutes(), Ok(540));
        assert_eq!(e[0].time_of_change(), Ok(None));
        assert_eq!(e[0].next_offset_minutes(), Ok(540));
        assert!(e[1].negative);
        assert_eq!(e[1].region_id, 0);
        assert_eq!(e[1].offset_minutes(), Ok(-60));
        assert_eq!(e[1].next_offset_minutes(), Ok(-120));
        assert_eq!(e[1].time_of_change().unwrap().unwrap().hour, 2);
        assert_eq!(
            LocalTimeOffset::parse(&[0; 12]),
            Err(SiError::Truncated {
                what: "local time offset entry"
            })
        );
    }

    #[test]
    fn tot_errors() {
        // descriptor loop length 0x020 but only 2 bytes before the CRC
        let mut body = T.to_vec();
        body.extend([0xF0, 0x20, 0x58, 0x00]);
        body.extend(build::CRC);
        let s = build::short_section(0x73, &body);
        assert_eq!(
            Tot::parse(&s),
            Err(SiError::LengthOverrun {
                what: "descriptors_loop_length"
            })
        );
        let s = build::short_section(0x73, &[1, 2, 3]);
        assert_eq!(Tot::parse(&s), Err(SiError::Truncated { what: "TOT" }));
        let s = build::short_section(0x73, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(Tot::parse(&s), Err(SiError::Truncated { what: "time" }));
        let s = build::short_section(0x71, &T);
        assert_eq!(Tot::parse(&s), Err(SiError::Invalid { what: "table_id" }));
    }
}
