//! Service and network descriptors: names and membership of networks, transport streams and
//! services (network_name 0x40, service_list 0x41, service 0x48, ARIB ts_information 0xCD).

use crate::error::SiError;
use crate::si::parse::{
    bits_u8, counted, finish, len8, packed, records, run, u16_f, u8_f, whole_records, Res,
};
use nom::combinator::{recognize, rest};
use nom::multi::fold_many_m_n;
use nom::Parser;

/// network_name_descriptor 0x40 (ETSI EN 300 468 6.2.27; ARIB STD-B10 6.2.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkName<'a> {
    /// The network name, raw text bytes.
    pub name: &'a [u8],
}

view_tag!(NetworkName<'a>);

impl<'a> NetworkName<'a> {
    /// The descriptor_tag, 0x40.
    pub const TAG: u8 = 0x40;

    /// Parses and validates the descriptor body (without tag and length): the whole body is the
    /// name.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let name = run(rest, body)?;
        Ok(NetworkName { name })
    }
}

/// service_list_descriptor 0x41 (ETSI EN 300 468 6.2.35; ARIB STD-B10 6.2.14):
/// `(service_id, service_type)` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceList<'a> {
    raw: &'a [u8],
}

/// One entry of a [`ServiceList`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceListEntry {
    /// service_id.
    pub service_id: u16,
    /// service_type (EN 300 468 table 87; ARIB STD-B10 table 6-8).
    pub service_type: u8,
}

view_tag!(ServiceList<'a>);

impl<'a> ServiceList<'a> {
    /// The descriptor_tag, 0x41.
    pub const TAG: u8 = 0x41;

    /// Fails with `Truncated { what: "service list entry" }` unless the body is a whole number of
    /// 3-byte entries.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let raw = run(whole_records("service list entry", 3), body)?;
        Ok(ServiceList { raw })
    }

    /// The entries, in order: service_id(16) service_type(8).
    pub fn entries(&self) -> impl Iterator<Item = ServiceListEntry> + 'a {
        let what = "service list entry";
        records(
            self.raw,
            (u16_f(what), u8_f(what)).map(|(service_id, service_type)| ServiceListEntry {
                service_id,
                service_type,
            }),
        )
    }
}

/// service_descriptor 0x48 (ETSI EN 300 468 6.2.33; ARIB STD-B10 6.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service<'a> {
    /// service_type (0x01 digital TV, 0x02 digital radio, 0xC0 ARIB data, ...).
    pub service_type: u8,
    /// service_provider_name, raw text bytes.
    pub provider_name: &'a [u8],
    /// service_name, raw text bytes.
    pub service_name: &'a [u8],
}

view_tag!(Service<'a>);

impl<'a> Service<'a> {
    /// The descriptor_tag, 0x48.
    pub const TAG: u8 = 0x48;

    /// Parses and validates the descriptor body (without tag and length): service_type(8)
    /// service_provider_name_length(8) name service_name_length(8) name.
    ///
    /// ```
    /// use epgdump::si::descriptor::Service;
    /// let s = Service::parse(b"\x01\x00\x03NHK")?;
    /// assert_eq!((s.service_type, s.service_name), (0x01, &b"NHK"[..]));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let (service_type, provider_name, service_name) = run(
            (
                u8_f("service descriptor"),
                len8("service_provider_name_length"),
                len8("service_name_length"),
            ),
            body,
        )?;
        Ok(Service {
            service_type,
            provider_name,
            service_name,
        })
    }
}

/// ts_information_descriptor 0xCD (ARIB STD-B10 6.2.42), found in the NIT TS loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TsInformation<'a> {
    /// remote_control_key_id (the recommended remote-control button, 1..=12).
    pub remote_control_key_id: u8,
    /// ts_name, raw text bytes.
    pub ts_name: &'a [u8],
    /// transmission_type_count (2 bits).
    pub transmission_type_count: u8,
    types_raw: &'a [u8],
}

/// One transmission type of a [`TsInformation`] descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransmissionType<'a> {
    /// transmission_type_info (operator-defined, e.g. hierarchical layer).
    pub transmission_type_info: u8,
    service_ids_raw: &'a [u8],
}

impl<'a> TransmissionType<'a> {
    /// The service_ids carried in this transmission type.
    pub fn service_ids(&self) -> impl Iterator<Item = u16> + 'a {
        records(self.service_ids_raw, u16_f("service_id"))
    }
}

view_tag!(TsInformation<'a>);

impl<'a> TsInformation<'a> {
    /// The descriptor_tag, 0xCD.
    pub const TAG: u8 = 0xCD;

    /// Checks length_of_ts_name and every num_of_service against the descriptor.
    ///
    /// Layout: remote_control_key_id(8) length_of_ts_name(6) transmission_type_count(2)
    /// ts_name, then transmission_type_count × (transmission_type_info(8) num_of_service(8)
    /// num_of_service × service_id(16)); reserved bytes may follow.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "ts information descriptor";
        let (i, (remote_control_key_id, (name_length, transmission_type_count))) = finish(
            (u8_f(what), packed(what, (bits_u8::<6>(), bits_u8::<2>()))).parse_complete(body),
        )?;
        let (ts_name, types_raw) = run(
            (
                counted("length_of_ts_name", usize::from(name_length)),
                recognize(fold_many_m_n(
                    usize::from(transmission_type_count),
                    usize::from(transmission_type_count),
                    transmission_type,
                    || (),
                    |(), _| (),
                )),
            ),
            i,
        )?;
        Ok(TsInformation {
            remote_control_key_id,
            ts_name,
            transmission_type_count,
            types_raw,
        })
    }

    /// The transmission types (already validated by `parse`).
    pub fn transmission_types(&self) -> impl Iterator<Item = TransmissionType<'a>> + 'a {
        records(self.types_raw, transmission_type)
    }
}

/// transmission_type_info(8) num_of_service(8), then num_of_service × service_id(16).
fn transmission_type(i: &[u8]) -> Res<'_, TransmissionType<'_>> {
    let (i, (transmission_type_info, n)) =
        (u8_f("transmission type"), u8_f("transmission type")).parse_complete(i)?;
    let (i, service_ids_raw) = counted("num_of_service", usize::from(n) * 2).parse_complete(i)?;
    Ok((
        i,
        TransmissionType {
            transmission_type_info,
            service_ids_raw,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::si_build as build;

    #[test]
    fn service_service_list_and_network_name() {
        let d = build::service_descriptor(0x01, b"", b"NHK");
        let s = Service::parse(&d[2..]).unwrap();
        assert_eq!(
            (s.service_type, s.provider_name, s.service_name),
            (1, &b""[..], &b"NHK"[..])
        );
        assert_eq!(
            Service::parse(&[0x01, 0x00, 0x04, b'N']),
            Err(SiError::LengthOverrun {
                what: "service_name_length"
            })
        );
        assert_eq!(
            Service::parse(&[]),
            Err(SiError::Truncated {
                what: "service descriptor"
            })
        );
        assert_eq!(
            ServiceList::parse(&[0, 1, 1, 0]),
            Err(SiError::Truncated {
                what: "service list entry"
            })
        );
        let l = ServiceList::parse(&[0x04, 0x00, 0x01, 0x04, 0x01, 0xC0]).unwrap();
        let e: Vec<_> = l
            .entries()
            .map(|e| (e.service_id, e.service_type))
            .collect();
        assert_eq!(e, vec![(0x0400, 0x01), (0x0401, 0xC0)]);
        assert_eq!(NetworkName::parse(b"n").unwrap().name, b"n");
    }

    #[test]
    fn ts_information_errors() {
        // ts name length 5 but 2 bytes
        assert_eq!(
            TsInformation::parse(&[1, 5 << 2, b'a', b'b']),
            Err(SiError::LengthOverrun {
                what: "length_of_ts_name"
            })
        );
        // one transmission type claiming 3 services, 1 present
        assert_eq!(
            TsInformation::parse(&[1, 1, 0x0F, 3, 0x04, 0x00]),
            Err(SiError::LengthOverrun {
                what: "num_of_service"
            })
        );
        // two declared, one present
        assert_eq!(
            TsInformation::parse(&[1, 2, 0x0F, 0]),
            Err(SiError::Truncated {
                what: "transmission type"
            })
        );
        assert_eq!(
            TsInformation::parse(&[1]),
            Err(SiError::Truncated {
                what: "ts information descriptor"
            })
        );
        // trailing reserved bytes are allowed
        let t = TsInformation::parse(&[1, 1, 0x0F, 1, 0x04, 0x00, 0xFF, 0xFF]).unwrap();
        let v: Vec<_> = t.transmission_types().collect();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].service_ids().collect::<Vec<_>>(), vec![0x0400]);
        assert_eq!(t.ts_name, b"");
    }
}
