//! Series and group descriptors (ARIB): which series an event belongs to (series 0xD5) and which
//! events share, relay or move it (event_group 0xD6).

use crate::error::SiError;
use crate::si::parse::{
    bits_u16, bits_u8, counted, finish, flag, packed, records, run, u16_f, whole_records,
};
use nom::combinator::rest;
use nom::Parser;

/// series_descriptor 0xD5 (ARIB STD-B10 6.2.33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series<'a> {
    /// series_id.
    pub series_id: u16,
    /// repeat_label (4 bits; 0 = original run).
    pub repeat_label: u8,
    /// program_pattern (3 bits, ARIB STD-B10 table 6-66: 0 irregular, 1 across days, 2 weekly, ...).
    pub program_pattern: u8,
    /// expire_date_valid_flag.
    pub expire_date_valid: bool,
    /// expire_date, 16-bit MJD (meaningful only when `expire_date_valid`).
    pub expire_date_mjd: u16,
    /// episode_number (12 bits; 0 = unknown).
    pub episode_number: u16,
    /// last_episode_number (12 bits; 0 = undecided).
    pub last_episode_number: u16,
    /// series_name, raw text bytes.
    pub series_name: &'a [u8],
}

view_tag!(Series<'a>);

impl<'a> Series<'a> {
    /// The descriptor_tag, 0xD5.
    pub const TAG: u8 = 0xD5;

    /// Parses and validates the descriptor body (without tag and length): series_id(16)
    /// repeat_label(4) program_pattern(3) expire_date_valid_flag(1) expire_date(16)
    /// episode_number(12) last_episode_number(12) series_name.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "series descriptor";
        let (
            series_id,
            (repeat_label, program_pattern, expire_date_valid),
            expire_date_mjd,
            (episode_number, last_episode_number),
            series_name,
        ) = run(
            (
                u16_f(what),
                packed(what, (bits_u8::<4>(), bits_u8::<3>(), flag())),
                u16_f(what),
                packed(what, (bits_u16::<12>(), bits_u16::<12>())),
                rest,
            ),
            body,
        )?;
        Ok(Series {
            series_id,
            repeat_label,
            program_pattern,
            expire_date_valid,
            expire_date_mjd,
            episode_number,
            last_episode_number,
            series_name,
        })
    }
}

impl Series<'_> {
    /// The expiry date when `expire_date_valid`, else `None`.
    pub fn expire_date(&self) -> Option<crate::si::time::CivilDate> {
        self.expire_date_valid
            .then(|| crate::si::time::mjd_to_date(self.expire_date_mjd))
    }
}

/// event_group_descriptor 0xD6 (ARIB STD-B10 6.2.34).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventGroup<'a> {
    /// group_type (table 6-68: 1 shared event, 2 relay to internal, 3 move to internal,
    /// 4 relay to other network, 5 move to other network).
    pub group_type: u8,
    /// event_count.
    pub event_count: u8,
    events_raw: &'a [u8],
    other_raw: &'a [u8],
    /// private_data_byte run (group types other than 4 and 5).
    pub private_data: &'a [u8],
}

/// An event reference in an [`EventGroup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupEvent {
    /// service_id.
    pub service_id: u16,
    /// event_id.
    pub event_id: u16,
}

/// An event reference on another network (group types 4 and 5) in an [`EventGroup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherNetworkEvent {
    /// original_network_id.
    pub original_network_id: u16,
    /// transport_stream_id.
    pub transport_stream_id: u16,
    /// service_id.
    pub service_id: u16,
    /// event_id.
    pub event_id: u16,
}

view_tag!(EventGroup<'a>);

impl<'a> EventGroup<'a> {
    /// The descriptor_tag, 0xD6.
    pub const TAG: u8 = 0xD6;

    /// Fails with `LengthOverrun { what: "event_count" }` if event_count entries do not fit, and
    /// for group types 4/5 with `Truncated { what: "other network event" }` if the rest is not a
    /// whole number of 8-byte entries.
    ///
    /// Layout: group_type(4) event_count(4), event_count × (service_id(16) event_id(16)), then
    /// for group types 4 and 5 (original_network_id(16) transport_stream_id(16) service_id(16)
    /// event_id(16)) entries, otherwise private_data_byte.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let (i, (group_type, event_count)) = finish(
            packed("event group descriptor", (bits_u8::<4>(), bits_u8::<4>())).parse_complete(body),
        )?;
        let (rest, events_raw) =
            finish(counted("event_count", usize::from(event_count) * 4).parse_complete(i))?;
        let (other_raw, private_data): (&[u8], &[u8]) = if matches!(group_type, 4 | 5) {
            (run(whole_records("other network event", 8), rest)?, &[])
        } else {
            (&[], rest)
        };
        Ok(EventGroup {
            group_type,
            event_count,
            events_raw,
            other_raw,
            private_data,
        })
    }

    /// The event_count `(service_id, event_id)` entries.
    pub fn events(&self) -> impl Iterator<Item = GroupEvent> + 'a {
        let what = "group event";
        records(
            self.events_raw,
            (u16_f(what), u16_f(what)).map(|(service_id, event_id)| GroupEvent {
                service_id,
                event_id,
            }),
        )
    }

    /// The other-network entries (group types 4 and 5 only; empty otherwise).
    pub fn other_network_events(&self) -> impl Iterator<Item = OtherNetworkEvent> + 'a {
        let what = "other network event";
        records(
            self.other_raw,
            (u16_f(what), u16_f(what), u16_f(what), u16_f(what)).map(
                |(original_network_id, transport_stream_id, service_id, event_id)| {
                    OtherNetworkEvent {
                        original_network_id,
                        transport_stream_id,
                        service_id,
                        event_id,
                    }
                },
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series() {
        // id 0x1234, repeat 2, pattern 3, expire valid, MJD 60347, ep 12, last 24, name
        let b = [
            0x12,
            0x34,
            (2 << 4) | (3 << 1) | 1,
            0xEB,
            0xBB,
            0x00,
            0xC0,
            0x18,
            b'S',
        ];
        let s = Series::parse(&b).unwrap();
        assert_eq!(s.series_id, 0x1234);
        assert_eq!(s.repeat_label, 2);
        assert_eq!(s.program_pattern, 3);
        assert!(s.expire_date_valid);
        assert_eq!(s.expire_date_mjd, 60347);
        let d = s.expire_date().unwrap();
        assert_eq!((d.year, d.month, d.day), (2024, 2, 7));
        assert_eq!(s.episode_number, 12);
        assert_eq!(s.last_episode_number, 24);
        assert_eq!(s.series_name, b"S");
        let b = [0x12, 0x34, 0x00, 0xEB, 0xBB, 0xFF, 0xFF, 0xFF];
        let s = Series::parse(&b).unwrap();
        assert_eq!(s.expire_date(), None);
        assert_eq!((s.episode_number, s.last_episode_number), (0xFFF, 0xFFF));
        assert_eq!(
            Series::parse(&b[..7]),
            Err(SiError::Truncated {
                what: "series descriptor"
            })
        );
    }

    #[test]
    fn event_group() {
        // type 1 (shared), 2 events, private byte
        let b = [0x12, 0x04, 0x00, 0x10, 0x01, 0x04, 0x01, 0x10, 0x02, 0xAA];
        let g = EventGroup::parse(&b).unwrap();
        assert_eq!((g.group_type, g.event_count), (1, 2));
        let e: Vec<_> = g.events().map(|e| (e.service_id, e.event_id)).collect();
        assert_eq!(e, vec![(0x0400, 0x1001), (0x0401, 0x1002)]);
        assert_eq!(g.other_network_events().count(), 0);
        assert_eq!(g.private_data, &[0xAA]);
        // type 4 (relay to other network), 0 events, one other-network entry
        let b = [0x40, 0x00, 0x04, 0x7F, 0xE0, 0x04, 0x00, 0x10, 0x01];
        let g = EventGroup::parse(&b).unwrap();
        let o: Vec<_> = g.other_network_events().collect();
        assert_eq!(
            o,
            vec![OtherNetworkEvent {
                original_network_id: 4,
                transport_stream_id: 0x7FE0,
                service_id: 0x0400,
                event_id: 0x1001
            }]
        );
        assert!(g.private_data.is_empty());
        // event_count past the body
        assert_eq!(
            EventGroup::parse(&[0x13, 0x04, 0x00, 0x10, 0x01]),
            Err(SiError::LengthOverrun {
                what: "event_count"
            })
        );
        // type 5 with a partial other-network entry
        assert_eq!(
            EventGroup::parse(&[0x50, 0x00, 0x04, 0x7F]),
            Err(SiError::Truncated {
                what: "other network event"
            })
        );
        assert_eq!(
            EventGroup::parse(&[]),
            Err(SiError::Truncated {
                what: "event group descriptor"
            })
        );
    }
}
