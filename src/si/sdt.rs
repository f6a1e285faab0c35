//! Service Description Table (ETSI EN 300 468 5.2.3; ARIB STD-B10 5.2.6).
//!
//! Same shape as the EIT: [`Sdt::parse`] checks the header and fixed fields, [`Sdt::services`]
//! walks the service loop lazily and fuses on the first service that does not fit.

use crate::error::SiError;
use crate::si::descriptor::Descriptors;
use crate::si::parse::{
    bits_u16, bits_u8, counted, finish, flag, packed, u16_f, u8_f, EntryLoop, Res,
};
use crate::si::section::LongSection;
use nom::Parser;

/// A parsed SDT section (table_id 0x42 actual, 0x46 other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sdt<'a> {
    section: LongSection<'a>,
    original_network_id: u16,
    services_raw: &'a [u8],
}

impl<'a> Sdt<'a> {
    /// Parses one complete SDT section. Errors: table_id not 0x42/0x46 →
    /// `Invalid { what: "table_id" }`; fewer than 3 body bytes → `Truncated { what: "SDT header" }`.
    ///
    /// ```
    /// use epgdump::si::Sdt;
    /// let section = [0x42, 0xF0, 0x0C, 0x7F, 0xE0, 0xC1, 0, 0, 0x7F, 0xE1, 0xFF, 0, 0, 0, 0];
    /// let sdt = Sdt::parse(&section)?;
    /// assert_eq!((sdt.original_network_id(), sdt.services().count()), (0x7FE1, 0));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let s = LongSection::parse(section)?;
        if !matches!(s.header.table_id, 0x42 | 0x46) {
            return Err(SiError::Invalid { what: "table_id" });
        }
        let what = "SDT header";
        // original_network_id(16) reserved_future_use(8), then the service loop
        let (services_raw, (original_network_id, _reserved)) =
            finish((u16_f(what), u8_f(what)).parse_complete(s.body))?;
        Ok(Sdt {
            section: s,
            original_network_id,
            services_raw,
        })
    }
    /// The underlying section header.
    pub fn section(&self) -> &LongSection<'a> {
        &self.section
    }
    /// table_id.
    pub fn table_id(&self) -> u8 {
        self.section.header.table_id
    }
    /// Describes the actual TS (0x42).
    pub fn is_actual(&self) -> bool {
        self.table_id() == 0x42
    }
    /// transport_stream_id (the table_id_extension).
    pub fn transport_stream_id(&self) -> u16 {
        self.section.header.table_id_extension
    }
    /// version_number.
    pub fn version(&self) -> u8 {
        self.section.header.version_number
    }
    /// current_next_indicator.
    pub fn current_next(&self) -> bool {
        self.section.header.current_next_indicator
    }
    /// section_number.
    pub fn section_number(&self) -> u8 {
        self.section.header.section_number
    }
    /// last_section_number.
    pub fn last_section_number(&self) -> u8 {
        self.section.header.last_section_number
    }
    /// original_network_id.
    pub fn original_network_id(&self) -> u16 {
        self.original_network_id
    }
    /// The services, lazily; fuses after the first error.
    pub fn services(&self) -> Services<'a> {
        Services {
            entries: EntryLoop::new(self.services_raw),
        }
    }
}

/// One service entry of an SDT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceView<'a> {
    /// service_id.
    pub service_id: u16,
    /// EIT_user_defined_flags (3 bits, ARIB STD-B10 5.2.6; reserved in DVB).
    pub eit_user_defined_flags: u8,
    /// EIT_schedule_flag.
    pub eit_schedule_flag: bool,
    /// EIT_present_following_flag.
    pub eit_present_following_flag: bool,
    /// running_status (3 bits).
    pub running_status: u8,
    /// free_CA_mode.
    pub free_ca_mode: bool,
    /// The raw descriptor loop.
    pub descriptors_raw: &'a [u8],
}

impl<'a> ServiceView<'a> {
    /// The service's descriptors (service_descriptor 0x48 among them).
    pub fn descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.descriptors_raw)
    }
}

/// Iterator over the services of an [`Sdt`]; fuses after the first error.
#[derive(Debug, Clone)]
pub struct Services<'a> {
    entries: EntryLoop<'a>,
}

impl<'a> Iterator for Services<'a> {
    type Item = Result<ServiceView<'a>, SiError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry(service)
    }
}

/// One service: service_id(16) reserved_future_use(3) EIT_user_defined_flags(3)
/// EIT_schedule_flag(1) EIT_present_following_flag(1) running_status(3) free_CA_mode(1)
/// descriptors_loop_length(12), then the descriptor loop (ETSI EN 300 468 5.2.3 table 5;
/// ARIB STD-B10 5.2.6).
fn service(i: &[u8]) -> Res<'_, ServiceView<'_>> {
    let what = "service";
    let (
        i,
        (
            service_id,
            (_reserved, eit_user_defined_flags, eit_schedule_flag, eit_present_following_flag),
            (running_status, free_ca_mode, loop_length),
        ),
    ) = (
        u16_f(what),
        packed(what, (bits_u8::<3>(), bits_u8::<3>(), flag(), flag())),
        packed(what, (bits_u8::<3>(), flag(), bits_u16::<12>())),
    )
        .parse_complete(i)?;
    let (i, descriptors_raw) =
        counted("descriptors_loop_length", usize::from(loop_length)).parse_complete(i)?;
    Ok((
        i,
        ServiceView {
            service_id,
            eit_user_defined_flags,
            eit_schedule_flag,
            eit_present_following_flag,
            running_status,
            free_ca_mode,
            descriptors_raw,
        },
    ))
}

impl core::iter::FusedIterator for Services<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::descriptor::Service;
    use crate::testsupport::si_build as build;

    #[test]
    fn services_and_accessors() {
        let mut sv = build::service(
            0x0400,
            0b101,
            true,
            false,
            4,
            true,
            &build::service_descriptor(0x01, b"prov", b"name"),
        );
        sv.extend(build::service(0x0401, 0, false, true, 1, false, &[]));
        let s = build::sdt(0x42, 0x7FE0, 9, 0x7FE1, &sv);
        let t = Sdt::parse(&s).unwrap();
        assert_eq!(t.table_id(), 0x42);
        assert!(t.is_actual());
        assert_eq!(t.transport_stream_id(), 0x7FE0);
        assert_eq!(t.original_network_id(), 0x7FE1);
        assert_eq!(t.version(), 9);
        assert!(t.current_next());
        assert_eq!((t.section_number(), t.last_section_number()), (0, 0));
        assert_eq!(t.section().header.table_id_extension, 0x7FE0);
        let v: Vec<_> = t.services().map(Result::unwrap).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].service_id, 0x0400);
        assert_eq!(v[0].eit_user_defined_flags, 0b101);
        assert!(v[0].eit_schedule_flag);
        assert!(!v[0].eit_present_following_flag);
        assert_eq!(v[0].running_status, 4);
        assert!(v[0].free_ca_mode);
        let d = v[0].descriptors().next().unwrap().unwrap();
        let sd = d.view::<Service>().unwrap().unwrap();
        assert_eq!(sd.service_type, 1);
        assert_eq!(sd.provider_name, b"prov");
        assert_eq!(sd.service_name, b"name");
        assert_eq!(v[1].service_id, 0x0401);
        assert_eq!(v[1].eit_user_defined_flags, 0);
        assert!(!v[1].eit_schedule_flag);
        assert!(v[1].eit_present_following_flag);
        assert_eq!(v[1].running_status, 1);
        assert!(!v[1].free_ca_mode);
        let s = build::sdt(0x46, 1, 0, 2, &[]);
        assert!(!Sdt::parse(&s).unwrap().is_actual());
    }

    #[test]
    fn errors() {
        let s = build::long_section(0x40, 1, 0, true, 0, 0, &[0; 3]);
        assert_eq!(Sdt::parse(&s), Err(SiError::Invalid { what: "table_id" }));
        let s = build::long_section(0x42, 1, 0, true, 0, 0, &[0; 2]);
        assert_eq!(
            Sdt::parse(&s),
            Err(SiError::Truncated { what: "SDT header" })
        );
        let mut sv = build::service(1, 0, true, true, 4, false, &[]);
        sv.extend([0x00, 0x02, 0xFF, 0x80, 0x05, 0x48]); // loop length 5, 1 byte present
        let s = build::sdt(0x42, 1, 0, 2, &sv);
        let t = Sdt::parse(&s).unwrap();
        let v: Vec<_> = t.services().collect();
        assert_eq!(v.len(), 2);
        assert!(v[0].is_ok());
        assert_eq!(
            v[1],
            Err(SiError::LengthOverrun {
                what: "descriptors_loop_length"
            })
        );
        let s = build::sdt(0x42, 1, 0, 2, &[0x00, 0x01, 0xFF, 0x80]);
        let v: Vec<_> = Sdt::parse(&s).unwrap().services().collect();
        assert_eq!(v, vec![Err(SiError::Truncated { what: "service" })]);
    }
}
