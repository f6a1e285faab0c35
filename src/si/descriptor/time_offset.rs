//! The local time offset descriptor (0x58, only meaningful in a TOT): the offset of local time
//! from the stream clock per country and region, and its next change.

use crate::error::SiError;
use crate::si::parse::{array, bits_u8, flag, packed, records, run, whole_records, Res};
use nom::Parser;

/// local_time_offset_descriptor 0x58 (ETSI EN 300 468 6.2.20; ARIB STD-B10 6.2.25). Only
/// meaningful in a TOT's descriptor loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTimeOffset<'a> {
    raw: &'a [u8],
}

/// One 13-byte entry of a [`LocalTimeOffset`] descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalTimeOffsetEntry {
    /// country_code (ISO 3166 alpha-3).
    pub country: [u8; 3],
    /// country_region_id (6 bits).
    pub region_id: u8,
    /// local_time_offset_polarity: `true` = negative (west of Greenwich).
    pub negative: bool,
    /// local_time_offset, 4 BCD digits hhmm, raw.
    pub offset_raw: [u8; 2],
    /// time_of_change, MJD + BCD, raw (decode with [`crate::si::time::decode_start_time`]).
    pub time_of_change_raw: [u8; 5],
    /// next_time_offset, 4 BCD digits hhmm, raw.
    pub next_offset_raw: [u8; 2],
}

impl LocalTimeOffsetEntry {
    /// The current offset in minutes, signed by the polarity bit.
    pub fn offset_minutes(&self) -> Result<i32, SiError> {
        let m = i32::from(crate::si::time::decode_bcd_hhmm(self.offset_raw)?);
        Ok(if self.negative { -m } else { m })
    }

    /// The offset after `time_of_change`, in minutes, signed by the polarity bit.
    pub fn next_offset_minutes(&self) -> Result<i32, SiError> {
        let m = i32::from(crate::si::time::decode_bcd_hhmm(self.next_offset_raw)?);
        Ok(if self.negative { -m } else { m })
    }

    /// The decoded time_of_change (`Ok(None)` when all 40 bits are 1).
    pub fn time_of_change(&self) -> Result<Option<crate::si::time::CivilTime>, SiError> {
        crate::si::time::decode_start_time(self.time_of_change_raw)
    }
}

view_tag!(LocalTimeOffset<'a>);

impl<'a> LocalTimeOffset<'a> {
    /// The descriptor_tag, 0x58.
    pub const TAG: u8 = 0x58;

    /// Fails with `Truncated { what: "local time offset entry" }` unless the body is a whole
    /// number of 13-byte entries.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let raw = run(whole_records("local time offset entry", 13), body)?;
        Ok(LocalTimeOffset { raw })
    }

    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = LocalTimeOffsetEntry> + 'a {
        records(self.raw, entry)
    }
}

/// country_code(24) country_region_id(6) reserved(1) local_time_offset_polarity(1)
/// local_time_offset(16) time_of_change(40) next_time_offset(16).
fn entry(i: &[u8]) -> Res<'_, LocalTimeOffsetEntry> {
    let what = "local time offset entry";
    (
        array::<3>(what),
        packed(what, (bits_u8::<6>(), bits_u8::<1>(), flag())),
        array::<2>(what),
        array::<5>(what),
        array::<2>(what),
    )
        .map(
            |(
                country,
                (region_id, _reserved, negative),
                offset_raw,
                time_of_change_raw,
                next_offset_raw,
            )| {
                LocalTimeOffsetEntry {
                    country,
                    region_id,
                    negative,
                    offset_raw,
                    time_of_change_raw,
                    next_offset_raw,
                }
            },
        )
        .parse_complete(i)
}
