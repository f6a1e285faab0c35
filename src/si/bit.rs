//! Broadcaster Information Table 0xC4 (ARIB STD-B10 5.2.13).
//!
//! Same shape as the NIT: one outer descriptor loop checked by [`Bit::parse`], then a lazily
//! walked broadcaster loop that fuses on its first bad entry.

use crate::error::SiError;
use crate::si::descriptor::Descriptors;
use crate::si::parse::{
    bits_u16, bits_u8, counted, finish, flag, loop12, packed, u8_f, EntryLoop, Res,
};
use crate::si::section::LongSection;
use nom::Parser;

/// table_id of the BIT.
pub const TID_BIT: u8 = 0xC4;

/// A parsed BIT section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bit<'a> {
    section: LongSection<'a>,
    broadcast_view_propriety: bool,
    first_descriptors_raw: &'a [u8],
    broadcasters_raw: &'a [u8],
}

impl<'a> Bit<'a> {
    /// Parses one complete BIT section. Errors: table_id not 0xC4 → `Invalid { what: "table_id" }`;
    /// `first_descriptors_length` past the section → `LengthOverrun`.
    ///
    /// ```
    /// use epgdump::si::Bit;
    /// let section = [0xC4, 0xF0, 0x0B, 0x00, 0x04, 0xC1, 0, 0, 0xF0, 0x00, 0, 0, 0, 0];
    /// let bit = Bit::parse(&section)?;
    /// assert_eq!((bit.original_network_id(), bit.broadcast_view_propriety()), (4, true));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(section: &'a [u8]) -> Result<Self, SiError> {
        let s = LongSection::parse(section)?;
        if s.header.table_id != TID_BIT {
            return Err(SiError::Invalid { what: "table_id" });
        }
        // reserved_future_use(3) broadcast_view_propriety(1) first_descriptors_length(12), the
        // first descriptor loop, then the broadcaster loop
        let (i, (_reserved, broadcast_view_propriety, length)) = finish(
            packed("BIT header", (bits_u8::<3>(), flag(), bits_u16::<12>())).parse_complete(s.body),
        )?;
        let (broadcasters_raw, first_descriptors_raw) =
            finish(counted("first_descriptors_length", usize::from(length)).parse_complete(i))?;
        Ok(Bit {
            section: s,
            broadcast_view_propriety,
            first_descriptors_raw,
            broadcasters_raw,
        })
    }
    /// The underlying section header.
    pub fn section(&self) -> &LongSection<'a> {
        &self.section
    }
    /// original_network_id (the table_id_extension).
    pub fn original_network_id(&self) -> u16 {
        self.section.header.table_id_extension
    }
    /// version_number.
    pub fn version(&self) -> u8 {
        self.section.header.version_number
    }
    /// broadcast_view_propriety.
    pub fn broadcast_view_propriety(&self) -> bool {
        self.broadcast_view_propriety
    }
    /// The first descriptor loop (SI parameter descriptors, ...).
    pub fn first_descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.first_descriptors_raw)
    }
    /// The broadcasters, lazily; fuses after the first error.
    pub fn broadcasters(&self) -> Broadcasters<'a> {
        Broadcasters {
            entries: EntryLoop::new(self.broadcasters_raw),
        }
    }
}

/// One broadcaster of a BIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BroadcasterView<'a> {
    /// broadcaster_id.
    pub broadcaster_id: u8,
    /// The raw descriptor loop.
    pub descriptors_raw: &'a [u8],
}

impl<'a> BroadcasterView<'a> {
    /// The broadcaster descriptors (broadcaster_name 0xD8, extended_broadcaster 0xCE, ...).
    pub fn descriptors(&self) -> Descriptors<'a> {
        Descriptors::new(self.descriptors_raw)
    }
}

/// Iterator over the broadcasters of a [`Bit`]; fuses after the first error.
#[derive(Debug, Clone)]
pub struct Broadcasters<'a> {
    entries: EntryLoop<'a>,
}

impl<'a> Iterator for Broadcasters<'a> {
    type Item = Result<BroadcasterView<'a>, SiError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry(broadcaster)
    }
}

/// One broadcaster: broadcaster_id(8) reserved_future_use(4) broadcaster_descriptors_length(12),
/// then the descriptor loop (ARIB STD-B10 5.2.13).
fn broadcaster(i: &[u8]) -> Res<'_, BroadcasterView<'_>> {
    let what = "broadcaster";
    let (i, (broadcaster_id, descriptors_raw)) =
        (u8_f(what), loop12(what, "broadcaster_descriptors_length")).parse_complete(i)?;
    Ok((
        i,
        BroadcasterView {
            broadcaster_id,
            descriptors_raw,
        },
    ))
}

impl core::iter::FusedIterator for Broadcasters<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::si_build as build;

    #[test]
    fn bit_loops() {
        let first = build::descriptor(0xD7, &[1, 2]);
        let mut brs = build::broadcaster(1, &build::descriptor(0xD8, b"NHK"));
        brs.extend(build::broadcaster(2, &[]));
        let s = build::bit(0x0004, true, &first, &brs);
        let b = Bit::parse(&s).unwrap();
        assert_eq!(b.original_network_id(), 4);
        assert_eq!(b.version(), 2);
        assert!(b.broadcast_view_propriety());
        assert_eq!(b.section().header.table_id, 0xC4);
        let f = b.first_descriptors().next().unwrap().unwrap();
        assert_eq!((f.tag, f.body), (0xD7, &[1u8, 2][..]));
        let v: Vec<_> = b.broadcasters().map(Result::unwrap).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].broadcaster_id, 1);
        let d = v[0].descriptors().next().unwrap().unwrap();
        assert_eq!((d.tag, d.body), (0xD8, &b"NHK"[..]));
        assert_eq!(v[1].broadcaster_id, 2);
        let s = build::bit(4, false, &[], &[]);
        assert!(!Bit::parse(&s).unwrap().broadcast_view_propriety());
    }

    #[test]
    fn bit_errors() {
        let s = build::long_section(0xC4, 1, 0, true, 0, 0, &[0xF0, 0x05, 0xD8]);
        assert_eq!(
            Bit::parse(&s),
            Err(SiError::LengthOverrun {
                what: "first_descriptors_length"
            })
        );
        let s = build::long_section(0xC5, 1, 0, true, 0, 0, &[0xF0, 0x00]);
        assert_eq!(Bit::parse(&s), Err(SiError::Invalid { what: "table_id" }));
        let s = build::bit(4, false, &[], &[1, 0xF0, 0x04, 0xD8]);
        let v: Vec<_> = Bit::parse(&s).unwrap().broadcasters().collect();
        assert_eq!(
            v,
            vec![Err(SiError::LengthOverrun {
                what: "broadcaster_descriptors_length"
            })]
        );
    }
}
