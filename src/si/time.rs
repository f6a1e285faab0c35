//! SI time fields: 16-bit Modified Julian Date plus BCD hh:mm:ss (ETSI EN 300 468 Annex C;
//! ARIB STD-B10 Appendix C).
//!
//! The wire gives a date and a wall-clock time but no zone: DVB sends UTC, ISDB sends JST (UTC+9)
//! in the same field. [`CivilTime`] therefore stays a zone-less civil time, and every conversion
//! ([`CivilTime::to_unix`], the formatters) takes the broadcast's offset explicitly. Nothing here
//! reads the machine's time zone, and the calendar maths is integer-only (days-from-civil), so the
//! result is the same everywhere and cannot overflow for any 16-bit MJD.
//!
//! The integer MJD conversion is exact over the whole 16-bit range (MJD 0 = 1858-11-17 to
//! MJD 65535 = 2038-04-22), unlike the floating-point formula of EN 300 468 Annex C (valid only
//! 1900-03-01 .. 2100-02-28), so every MJD value is a real date and no MJD is rejected.

use crate::error::SiError;
use serde::Serialize;

/// MJD of 1970-01-01 (the Unix epoch).
pub const MJD_UNIX_EPOCH: i64 = 40587;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CivilDate {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

/// A date and wall-clock time without a zone, as carried in an SI `start_time` / `UTC_time` field.
///
/// The derived `Ord` is chronological (fields compare year first, second last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CivilTime {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59.
    pub second: u8,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let m = i64::from(month);
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9).rem_euclid(12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Hinnant's civil_from_days), or `None`
/// when the year does not fit an `i32`.
pub fn civil_from_days(days: i64) -> Option<CivilDate> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era
        .checked_mul(400)?
        .checked_add(yoe)?
        .checked_add(i64::from(month <= 2))?;
    Some(CivilDate {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

/// Converts a 16-bit Modified Julian Date to a calendar date (ETSI EN 300 468 Annex C).
/// Every 16-bit value is a valid date (1858-11-17 ..= 2038-04-22).
pub fn mjd_to_date(mjd: u16) -> CivilDate {
    // 0..=65535 days around the epoch always fits; the fallback is unreachable but keeps this total.
    civil_from_days(i64::from(mjd) - MJD_UNIX_EPOCH).unwrap_or(CivilDate {
        year: 1858,
        month: 11,
        day: 17,
    })
}

/// Decodes one packed BCD byte (two digits), rejecting nibbles above 9.
pub fn bcd_byte(b: u8) -> Result<u8, SiError> {
    let (hi, lo) = (b >> 4, b & 0x0F);
    if hi > 9 || lo > 9 {
        return Err(SiError::BadBcd);
    }
    Ok(hi * 10 + lo)
}

/// Decodes 6 BCD digits hhmmss into (hours, minutes, seconds); minutes and seconds must be
/// below 60. Hours are not limited here (a duration may exceed 23 h).
fn bcd_hms(raw: [u8; 3]) -> Result<(u8, u8, u8), SiError> {
    let [h, m, s] = raw;
    let (h, m, s) = (bcd_byte(h)?, bcd_byte(m)?, bcd_byte(s)?);
    if m > 59 || s > 59 {
        return Err(SiError::BadBcd);
    }
    Ok((h, m, s))
}

/// Decodes a 40-bit `start_time` / `UTC_time` / `JST_time` field: 16-bit MJD then hhmmss in BCD
/// (ETSI EN 300 468 5.2.4 and Annex C; ARIB STD-B10 5.2.7, Appendix C).
///
/// All 40 bits set (`FF FF FF FF FF`) means "undefined" (NVOD reference events, ARIB 未定) and
/// gives `Ok(None)`. Otherwise a BCD nibble above 9, hour > 23, minute > 59 or second > 59 gives
/// `Err(BadBcd)`. MJD 0xFFFF with a valid time is the real date 2038-04-22.
pub fn decode_start_time(raw: [u8; 5]) -> Result<Option<CivilTime>, SiError> {
    if raw == [0xFF; 5] {
        return Ok(None);
    }
    let [m0, m1, h, mi, s] = raw;
    let (hour, minute, second) = bcd_hms([h, mi, s])?;
    if hour > 23 {
        return Err(SiError::BadBcd);
    }
    let date = mjd_to_date(u16::from_be_bytes([m0, m1]));
    Ok(Some(CivilTime {
        year: date.year,
        month: date.month,
        day: date.day,
        hour,
        minute,
        second,
    }))
}

/// Decodes a 24-bit BCD `duration` (hhmmss) into seconds (ETSI EN 300 468 5.2.4; ARIB STD-B10
/// 5.2.7). `FF FF FF` means "undefined" and gives `Ok(None)`; a nibble above 9 or minutes/seconds
/// above 59 give `Err(BadBcd)`. Hours may be 0..=99.
pub fn decode_duration(raw: [u8; 3]) -> Result<Option<u32>, SiError> {
    if raw == [0xFF; 3] {
        return Ok(None);
    }
    let (h, m, s) = bcd_hms(raw)?;
    Ok(Some(u32::from(h) * 3600 + u32::from(m) * 60 + u32::from(s)))
}

/// Decodes a 16-bit BCD hhmm value (as in local_time_offset, ETSI EN 300 468 6.2.20) into
/// minutes. Minutes above 59 or nibbles above 9 give `Err(BadBcd)`.
pub fn decode_bcd_hhmm(raw: [u8; 2]) -> Result<u16, SiError> {
    let [h, m] = raw;
    let (h, m) = (bcd_byte(h)?, bcd_byte(m)?);
    if m > 59 {
        return Err(SiError::BadBcd);
    }
    Ok(u16::from(h) * 60 + u16::from(m))
}

/// Splits an offset in seconds into (sign, hours, minutes), dropping leftover seconds.
fn offset_parts(offset_seconds: i32) -> (char, u32, u32) {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let abs = offset_seconds.unsigned_abs();
    (sign, abs / 3600, (abs % 3600) / 60)
}

impl CivilTime {
    /// The date part.
    pub fn date(&self) -> CivilDate {
        CivilDate {
            year: self.year,
            month: self.month,
            day: self.day,
        }
    }

    /// Seconds since the Unix epoch, reading this civil time as local time at `offset_seconds`
    /// east of UTC (ISDB: `9 * 3600`, JST; DVB: `0`, UTC).
    pub fn to_unix(&self, offset_seconds: i32) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(offset_seconds)
    }

    /// The civil time at `offset_seconds` east of UTC for a Unix time, or `None` if the year
    /// does not fit.
    pub fn from_unix(unix: i64, offset_seconds: i32) -> Option<CivilTime> {
        let local = unix.checked_add(i64::from(offset_seconds))?;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let date = civil_from_days(days)?;
        Some(CivilTime {
            year: date.year,
            month: date.month,
            day: date.day,
            hour: u8::try_from(secs / 3600).ok()?,
            minute: u8::try_from((secs % 3600) / 60).ok()?,
            second: u8::try_from(secs % 60).ok()?,
        })
    }

    /// This time plus `seconds` (may be negative), normalised across days, months and years.
    /// `None` only if the result's year does not fit an `i32`.
    pub fn add_seconds(&self, seconds: i64) -> Option<CivilTime> {
        CivilTime::from_unix(self.to_unix(0).checked_add(seconds)?, 0)
    }

    /// RFC 3339 text with an explicit numeric offset, e.g. `2024-02-07T09:24:00+09:00`
    /// (`+00:00` for UTC; `Z` is never used).
    pub fn format_rfc3339(&self, offset_seconds: i32) -> String {
        let (sign, oh, om) = offset_parts(offset_seconds);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{oh:02}:{om:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// XMLTV time text, e.g. `20240207092400 +0900`.
    pub fn format_xmltv(&self, offset_seconds: i32) -> String {
        let (sign, oh, om) = offset_parts(offset_seconds);
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02} {sign}{oh:02}{om:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> CivilTime {
        CivilTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    #[test]
    fn mjd_known_dates() {
        let d = |y, m, dd| CivilDate {
            year: y,
            month: m,
            day: dd,
        };
        assert_eq!(mjd_to_date(45218), d(1982, 9, 6));
        assert_eq!(mjd_to_date(60347), d(2024, 2, 7));
        assert_eq!(mjd_to_date(49273), d(1993, 10, 13));
        assert_eq!(mjd_to_date(40587), d(1970, 1, 1));
        assert_eq!(mjd_to_date(58340), d(2018, 8, 10));
        assert_eq!(mjd_to_date(0), d(1858, 11, 17));
        assert_eq!(mjd_to_date(0xFFFF), d(2038, 4, 22));
        // leap day 2024-02-29 = 60369, and 2000-02-29 (400-year rule) = 51603
        assert_eq!(mjd_to_date(60369), d(2024, 2, 29));
        assert_eq!(mjd_to_date(51603), d(2000, 2, 29));
        assert_eq!(mjd_to_date(51604), d(2000, 3, 1));
        // 1900 is not a leap year: MJD 15078 = 1900-02-28, 15079 = 1900-03-01
        assert_eq!(mjd_to_date(15078), d(1900, 2, 28));
        assert_eq!(mjd_to_date(15079), d(1900, 3, 1));
    }

    #[test]
    fn mjd_roundtrip_whole_range_matches_annex_c_in_its_range() {
        for mjd in 0..=u16::MAX {
            let d = mjd_to_date(mjd);
            assert_eq!(
                days_from_civil(i64::from(d.year), d.month, d.day) + MJD_UNIX_EPOCH,
                i64::from(mjd)
            );
            if mjd >= 15079 {
                // EN 300 468 Annex C formula, valid from 1900-03-01
                let m = f64::from(mjd);
                let yp = ((m - 15078.2) / 365.25).floor();
                let mp = ((m - 14956.1 - (yp * 365.25).floor()) / 30.6001).floor();
                let day = m - 14956.0 - (yp * 365.25).floor() - (mp * 30.6001).floor();
                let k = if mp == 14.0 || mp == 15.0 { 1.0 } else { 0.0 };
                assert_eq!(f64::from(d.year), 1900.0 + yp + k, "mjd {mjd}");
                assert_eq!(f64::from(d.month), mp - 1.0 - 12.0 * k, "mjd {mjd}");
                assert_eq!(f64::from(d.day), day, "mjd {mjd}");
            }
        }
    }

    #[test]
    fn start_time_examples() {
        assert_eq!(
            decode_start_time([0xC0, 0x79, 0x12, 0x45, 0x00]),
            Ok(Some(ct(1993, 10, 13, 12, 45, 0)))
        );
        assert_eq!(
            decode_start_time([0x9E, 0x8B, 0, 0, 0]),
            Ok(Some(ct(1970, 1, 1, 0, 0, 0)))
        );
        let t = decode_start_time([0xE3, 0xE4, 0x21, 0, 0])
            .unwrap()
            .unwrap();
        assert_eq!(t, ct(2018, 8, 10, 21, 0, 0));
        assert_eq!(t.format_rfc3339(9 * 3600), "2018-08-10T21:00:00+09:00");
        assert_eq!(t.format_xmltv(9 * 3600), "20180810210000 +0900");
        assert_eq!(
            CivilTime::from_unix(t.to_unix(9 * 3600), 0),
            Some(ct(2018, 8, 10, 12, 0, 0))
        );
        assert_eq!(decode_start_time([0xFF; 5]), Ok(None));
        // MJD 0xFFFF with a real time is a real date
        assert_eq!(
            decode_start_time([0xFF, 0xFF, 0x23, 0x59, 0x59]),
            Ok(Some(ct(2038, 4, 22, 23, 59, 59)))
        );
    }

    #[test]
    fn start_time_bad_bcd() {
        for raw in [
            [0xC0, 0x79, 0x1A, 0, 0],    // nibble > 9
            [0xC0, 0x79, 0x12, 0x4F, 0], // nibble > 9
            [0xC0, 0x79, 0x24, 0, 0],    // hour 24
            [0xC0, 0x79, 0x12, 0x60, 0], // minute 60
            [0xC0, 0x79, 0x12, 0, 0x60], // second 60
            [0xC0, 0x79, 0xFF, 0xFF, 0xFF],
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFE],
        ] {
            assert_eq!(decode_start_time(raw), Err(SiError::BadBcd), "{raw:02x?}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(decode_duration([0x01, 0x30, 0x00]), Ok(Some(5400)));
        assert_eq!(decode_duration([0x00, 0x00, 0x59]), Ok(Some(59)));
        assert_eq!(decode_duration([0x99, 0x59, 0x59]), Ok(Some(359_999)));
        assert_eq!(decode_duration([0xFF, 0xFF, 0xFF]), Ok(None));
        assert_eq!(decode_duration([0x01, 0x60, 0x00]), Err(SiError::BadBcd));
        assert_eq!(decode_duration([0x0A, 0x00, 0x00]), Err(SiError::BadBcd));
        assert_eq!(decode_duration([0xFF, 0xFF, 0xFE]), Err(SiError::BadBcd));
        assert_eq!(decode_bcd_hhmm([0x09, 0x30]), Ok(570));
        assert_eq!(decode_bcd_hhmm([0x09, 0x60]), Err(SiError::BadBcd));
        assert_eq!(decode_bcd_hhmm([0xA0, 0x00]), Err(SiError::BadBcd));
    }

    #[test]
    fn unix_and_formatting() {
        let t = ct(2024, 2, 7, 9, 24, 0);
        assert_eq!(t.to_unix(0), 1_707_297_840);
        assert_eq!(t.to_unix(9 * 3600), 1_707_297_840 - 32_400);
        assert_eq!(t.format_rfc3339(9 * 3600), "2024-02-07T09:24:00+09:00");
        assert_eq!(t.format_rfc3339(0), "2024-02-07T09:24:00+00:00");
        assert_eq!(
            t.format_rfc3339(-(5 * 3600 + 30 * 60)),
            "2024-02-07T09:24:00-05:30"
        );
        assert_eq!(t.format_xmltv(9 * 3600), "20240207092400 +0900");
        assert_eq!(t.format_xmltv(0), "20240207092400 +0000");
        assert_eq!(t.format_xmltv(-3600), "20240207092400 -0100");
        assert_eq!(CivilTime::from_unix(0, 0), Some(ct(1970, 1, 1, 0, 0, 0)));
        assert_eq!(
            CivilTime::from_unix(-1, 0),
            Some(ct(1969, 12, 31, 23, 59, 59))
        );
        assert_eq!(CivilTime::from_unix(i64::MAX, 0), None);
        assert_eq!(CivilTime::from_unix(i64::MAX, 1), None);
        assert_eq!(t.date().day, 7);
    }

    #[test]
    fn add_seconds_crosses_boundaries() {
        let t = ct(2023, 12, 31, 23, 30, 0);
        assert_eq!(t.add_seconds(5400), Some(ct(2024, 1, 1, 1, 0, 0)));
        assert_eq!(t.add_seconds(-84_600), Some(ct(2023, 12, 31, 0, 0, 0)));
        assert_eq!(
            ct(2024, 2, 28, 23, 0, 0).add_seconds(3600),
            Some(ct(2024, 2, 29, 0, 0, 0))
        );
        assert_eq!(
            ct(2023, 2, 28, 23, 0, 0).add_seconds(3600),
            Some(ct(2023, 3, 1, 0, 0, 0))
        );
        assert_eq!(t.add_seconds(i64::MAX), None);
        assert!(ct(2024, 1, 1, 0, 0, 0) > ct(2023, 12, 31, 23, 59, 59));
        assert!(ct(2024, 1, 1, 0, 0, 1) > ct(2024, 1, 1, 0, 0, 0));
    }
}
