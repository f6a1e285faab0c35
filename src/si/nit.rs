//! Network Information Table (ETSI EN 300 468 5.2.1; ARIB STD-B10 5.2.4).
//!
//! The NIT body has two outer loops, each with its own 12-bit length; [`Nit::parse`] checks both
//! against the section so the accessors never fail. The transport-stream loop is then walked
//! lazily and fuses on its first bad entry.

use crate::error::SiError;
use crate::si::descriptor::Descriptors;
use crate::si::parse::{finish, loop12, u16_f, EntryLoop, Res};
use crate::si::section::LongSection;
use nom::Parser;

/// A parsed NIT section (table_id 0x40 actual, 0x41 other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nit<'a> {
    section: LongSection<'a>,
    network_descriptors_raw: &'a [u8],
    ts_loop_raw: &'a [u8],
}

impl<'a> Nit<'a> {
    /// Parses one complete NIT section. Errors: table_id not 0x40/0x41 →
    /// `Invalid { what: "table_id" }`; `network_descriptors_length` or
    /// `transport_stream_loop_length` past the section → `LengthOverrun`.
    ///
    /// ```
    /// use epgdump::si::Nit;
    /// let section = [
    ///     0x40, 0xF0, 0x0D, 0x7F, 0xE8, 0xC1, 0, 0, 0xF0, 0x00, 0xF0, 0x00, 0, 0, 0, 0,
    /// ];
    /// let nit = Nit::parse(&section)?;
    /// assert_eq!((nit.network_id(), nit.transport_streams().count()), (0x7FE8, 0));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let s = LongSection::parse(section)?;
        if !matches!(s.header.table_id, 0x40 | 0x41) {
            return Err(SiError::Invalid { what: "table_id" });
        }
        // reserved_future_use(4) network_descriptors_length(12), the network descriptors,
        // reserved_future_use(4) transport_stream_loop_length(12), the TS loop
        let (_, (network_descriptors_raw, ts_loop_raw)) = finish(
            (
                loop12("NIT header", "network_descriptors_length"),
                loop12("NIT header", "transport_stream_loop_length"),
            )
                .parse_complete(s.body),
        )?;
        Ok(Nit {
            section: s,
            network_descriptors_raw,
            ts_loop_raw,
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
    /// Describes the actual network (0x40).
    pub fn is_actual(&self) -> bool {
        self.table_id() == 0x40
    }
    /// network_id (the table_id_extension).
    pub fn network_id(&self) -> u16 {
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
    /// The network descriptors (network_name 0x40, ...).
    pub fn network_descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.network_descriptors_raw)
    }
    /// The transport streams, lazily; fuses after the first error.
    pub fn transport_streams(&self) -> TransportStreams<'a> {
        TransportStreams {
            entries: EntryLoop::new(self.ts_loop_raw),
        }
    }
}

/// One entry of the NIT transport-stream loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransportStreamView<'a> {
    /// transport_stream_id.
    pub transport_stream_id: u16,
    /// original_network_id.
    pub original_network_id: u16,
    /// The raw descriptor loop.
    pub descriptors_raw: &'a [u8],
}

impl<'a> TransportStreamView<'a> {
    /// The TS descriptors (service_list 0x41, ts_information 0xCD, delivery systems, ...).
    pub fn descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.descriptors_raw)
    }
}

/// Iterator over the transport streams of a [`Nit`]; fuses after the first error.
#[derive(Debug, Clone)]
pub struct TransportStreams<'a> {
    entries: EntryLoop<'a>,
}

impl<'a> Iterator for TransportStreams<'a> {
    type Item = Result<TransportStreamView<'a>, SiError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry(transport_stream)
    }
}

/// One TS entry: transport_stream_id(16) original_network_id(16) reserved_future_use(4)
/// transport_descriptors_length(12), then the descriptor loop (ETSI EN 300 468 5.2.1 table 2).
fn transport_stream(i: &[u8]) -> Res<'_, TransportStreamView<'_>> {
    let what = "transport stream";
    let (i, (transport_stream_id, original_network_id, descriptors_raw)) = (
        u16_f(what),
        u16_f(what),
        loop12(what, "transport_descriptors_length"),
    )
        .parse_complete(i)?;
    Ok((
        i,
        TransportStreamView {
            transport_stream_id,
            original_network_id,
            descriptors_raw,
        },
    ))
}

impl core::iter::FusedIterator for TransportStreams<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::descriptor::{NetworkName, ServiceList, TsInformation};
    use crate::testsupport::si_build as build;

    fn ts_info() -> Vec<u8> {
        // remote key 3, name "TS" (len 2), 2 transmission types
        let mut b = vec![3, (2 << 2) | 2];
        b.extend(b"TS");
        b.extend([0x0F, 2, 0x04, 0x00, 0x04, 0x01]);
        b.extend([0xAF, 1, 0x05, 0x88]);
        build::descriptor(0xCD, &b)
    }

    #[test]
    fn nit_loops_and_descriptors() {
        let nd = build::descriptor(0x40, b"NET");
        let mut tsd = build::descriptor(0x41, &[0x04, 0x00, 0x01, 0x04, 0x01, 0xC0]);
        tsd.extend(ts_info());
        let mut ts = build::ts_entry(0x7FE0, 0x7FE1, &tsd);
        ts.extend(build::ts_entry(0x7FE2, 0x7FE3, &[]));
        let s = build::nit(0x40, 0x7FE8, &nd, &ts);
        let n = Nit::parse(&s).unwrap();
        assert_eq!(n.table_id(), 0x40);
        assert!(n.is_actual());
        assert_eq!(n.network_id(), 0x7FE8);
        assert_eq!(n.version(), 1);
        assert!(n.current_next());
        assert_eq!((n.section_number(), n.last_section_number()), (0, 0));
        assert_eq!(n.section().header.table_id, 0x40);
        let d = n.network_descriptors().next().unwrap().unwrap();
        assert_eq!(d.view::<NetworkName>().unwrap().unwrap().name, b"NET");
        let t: Vec<_> = n.transport_streams().map(Result::unwrap).collect();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].transport_stream_id, 0x7FE0);
        assert_eq!(t[0].original_network_id, 0x7FE1);
        assert_eq!(t[1].transport_stream_id, 0x7FE2);
        assert_eq!(t[1].descriptors().count(), 0);
        let ds: Vec<_> = t[0].descriptors().map(Result::unwrap).collect();
        let sl = ds[0].view::<ServiceList>().unwrap().unwrap();
        let e: Vec<_> = sl
            .entries()
            .map(|e| (e.service_id, e.service_type))
            .collect();
        assert_eq!(e, vec![(0x0400, 0x01), (0x0401, 0xC0)]);
        let ti = ds[1].view::<TsInformation>().unwrap().unwrap();
        assert_eq!(ti.remote_control_key_id, 3);
        assert_eq!(ti.ts_name, b"TS");
        assert_eq!(ti.transmission_type_count, 2);
        let tt: Vec<_> = ti
            .transmission_types()
            .map(|t| {
                (
                    t.transmission_type_info,
                    t.service_ids().collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(tt, vec![(0x0F, vec![0x0400, 0x0401]), (0xAF, vec![0x0588])]);
        assert!(!Nit::parse(&build::nit(0x41, 1, &[], &[]))
            .unwrap()
            .is_actual());
    }

    #[test]
    fn lying_outer_lengths() {
        // network_descriptors_length 0x010 with 3 bytes of body after it
        let s = build::long_section(0x40, 1, 0, true, 0, 0, &[0xF0, 0x10, 0x40, 0x01, 0x41]);
        assert_eq!(
            Nit::parse(&s),
            Err(SiError::LengthOverrun {
                what: "network_descriptors_length"
            })
        );
        let s = build::long_section(0x40, 1, 0, true, 0, 0, &[0xF0, 0x00, 0xF0, 0x07, 1, 2]);
        assert_eq!(
            Nit::parse(&s),
            Err(SiError::LengthOverrun {
                what: "transport_stream_loop_length"
            })
        );
        let s = build::long_section(0x40, 1, 0, true, 0, 0, &[0xF0, 0x00, 0xF0]);
        assert_eq!(
            Nit::parse(&s),
            Err(SiError::Truncated { what: "NIT header" })
        );
        let s = build::long_section(0x42, 1, 0, true, 0, 0, &[0xF0, 0x00, 0xF0, 0x00]);
        assert_eq!(Nit::parse(&s), Err(SiError::Invalid { what: "table_id" }));
    }

    #[test]
    fn lying_ts_entry_fuses() {
        let mut ts = build::ts_entry(1, 2, &[]);
        ts.extend([0, 3, 0, 4, 0xF0, 0x09, 0x40]);
        let s = build::nit(0x40, 1, &[], &ts);
        let n = Nit::parse(&s).unwrap();
        let v: Vec<_> = n.transport_streams().collect();
        assert_eq!(v.len(), 2);
        assert!(v[0].is_ok());
        assert_eq!(
            v[1],
            Err(SiError::LengthOverrun {
                what: "transport_descriptors_length"
            })
        );
    }
}
