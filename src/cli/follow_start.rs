//! `check`'s START argument: Piro77 epgdump's `str2timet` forms, read in the broadcast's time
//! zone (not the machine's), or with an explicit offset.

use epgdump::si::time::{civil_from_days, days_from_civil, CivilTime};

/// `check`'s START: a civil time in the broadcast's zone, or an instant when an offset is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StartArg {
    /// A civil time, read in the broadcast's time zone.
    Civil(CivilTime),
    /// An instant (an offset was given): Unix seconds.
    Instant(i64),
}

/// Parses `YYYY-MM-DDTHH:MM:SS` / `YYYY/MM/DD HH:MM:SS` (Piro77's `str2timet` forms: any one
/// separator between date and time) or `YYYYMMDDHHMMSS`, optionally followed by `Z` or an
/// offset `+09:00` / `+0900` (a space before it is allowed).
pub(super) fn parse_start(s: &str) -> Result<StartArg, String> {
    let bad = || format!("'{s}' is not a time like 2024-04-01T18:00:00");
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let date_sep = b.get(4).copied().filter(|c| matches!(c, b'-' | b'/'));
    let (fields, rest) = if let Some(sep) = date_sep {
        let seps = [(4, sep), (7, sep), (13, b':'), (16, b':')];
        if b.len() < 19 || seps.iter().any(|&(i, c)| b.get(i) != Some(&c)) {
            return Err(bad());
        }
        let f = [
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ];
        (f, s.get(19..).unwrap_or(""))
    } else {
        let f = [
            num(0..4),
            num(4..6),
            num(6..8),
            num(8..10),
            num(10..12),
            num(12..14),
        ];
        (f, s.get(14..).unwrap_or(""))
    };
    let [Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)] = fields else {
        return Err(bad());
    };
    let (mo, d, h, mi, se) = (mo as u8, d as u8, h as u8, mi as u8, se as u8);
    let y = i32::try_from(y).map_err(|_| bad())?;
    let days = days_from_civil(i64::from(y), mo, d);
    let real = civil_from_days(days).is_some_and(|c| (c.year, c.month, c.day) == (y, mo, d));
    if !(1..=12).contains(&mo) || !real || h > 23 || mi > 59 || se > 59 {
        return Err(bad());
    }
    let civil = CivilTime {
        year: y,
        month: mo,
        day: d,
        hour: h,
        minute: mi,
        second: se,
    };
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() {
        return Ok(StartArg::Civil(civil));
    }
    if rest == "Z" {
        return Ok(StartArg::Instant(civil.to_unix(0)));
    }
    let r = rest.as_bytes();
    let sign = match r.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(bad()),
    };
    let digits: Vec<u8> = r.iter().skip(1).copied().filter(|c| *c != b':').collect();
    let ok_shape =
        matches!(r.len(), 5 | 6) && digits.len() == 4 && (r.len() == 5 || r.get(3) == Some(&b':'));
    if !ok_shape || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let v = |i: usize| i32::from(digits.get(i).map_or(0, |c| c - b'0'));
    let (oh, om) = (v(0) * 10 + v(1), v(2) * 10 + v(3));
    if oh > 23 || om > 59 {
        return Err(bad());
    }
    Ok(StartArg::Instant(
        civil.to_unix(sign * (oh * 3600 + om * 60)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_forms() {
        let civil = |y, mo, d, h, mi, s| {
            StartArg::Civil(CivilTime {
                year: y,
                month: mo,
                day: d,
                hour: h,
                minute: mi,
                second: s,
            })
        };
        assert_eq!(
            parse_start("2012-07-15T11:30:00"),
            Ok(civil(2012, 7, 15, 11, 30, 0))
        );
        assert_eq!(
            parse_start("2012/07/15 11:30:00"),
            Ok(civil(2012, 7, 15, 11, 30, 0))
        );
        assert_eq!(
            parse_start("20120715113000"),
            Ok(civil(2012, 7, 15, 11, 30, 0))
        );
        // 2012-07-15T02:30:00Z
        assert_eq!(
            parse_start("2012-07-15T11:30:00+09:00"),
            Ok(StartArg::Instant(1_342_319_400))
        );
        assert_eq!(
            parse_start("2012-07-15T02:30:00Z"),
            Ok(StartArg::Instant(1_342_319_400))
        );
        assert_eq!(
            parse_start("20120715113000 +0900"),
            Ok(StartArg::Instant(1_342_319_400))
        );
        assert_eq!(
            parse_start("2012-07-15T01:30:00-01:00"),
            Ok(StartArg::Instant(1_342_319_400))
        );
        for bad in [
            "",
            "2012-07-15",
            "2012-07-15T11:30",
            "2012-13-15T11:30:00",
            "2012-02-30T11:30:00",
            "2012-07-15T24:00:00",
            "2012-07-15T11:60:00",
            "2012-07-15T11:30:00+9",
            "2012-07-15T11:30:00 JST",
            "2012-07/15T11:30:00",
            "2012-07-15T11:30:0x",
            "1342319400",
        ] {
            assert!(parse_start(bad).is_err(), "{bad}");
        }
    }
}
