//! Descriptor loops and typed descriptor views (ETSI EN 300 468 6; ARIB STD-B10 6).
//!
//! A descriptor loop is a run of `tag(8) length(8) body(length)` records. [`Descriptors`] walks
//! one loop lazily and yields each record's tag and body without interpreting it; a record whose
//! length runs past the loop ends that loop with one `Err(DescriptorOverrun)` (nothing after it can
//! be framed) but does not affect the table or the other loops around it.
//!
//! Tags mean different things in different contexts (0x58 is local_time_offset in a TOT but
//! something else elsewhere, and ARIB reuses the private range), so there is no global
//! "parse any descriptor" enum: the caller, who knows the table and loop, picks the typed view
//! with [`Descriptor::view`] or calls `View::parse(body)` directly. Each typed view validates its
//! body once in `parse`, so its accessors and inner iterators are infallible afterwards, except
//! where the standard allows a self-delimiting inner loop (extended event items), which is again
//! lazy and fuses on its first error.
//!
//! Text fields are returned as raw bytes; decoding them (ARIB STD-B24 / EN 300 468 Annex A) is
//! the job of [`crate::text`].
//!
//! One file per descriptor family, all re-exported here: `event_text` (short and extended
//! event), `component` (component, stream identifier, ARIB audio component and data content),
//! `content` (genres, parental rating), `series_group` (ARIB series and event group),
//! `service_network` (network name, service list, service, ARIB TS information) and
//! `time_offset` (local time offset). Bodies are read with nom in complete mode.
//!
//! ```
//! use epgdump::si::descriptor::{Descriptors, ShortEvent};
//! // a short_event_descriptor (tag 0x4D) then an unknown descriptor 0xFE
//! let lp = b"\x4D\x09jpn\x04News\x00\xFE\x01\x00";
//! let mut titles = Vec::new();
//! for d in Descriptors::new(lp) {
//!     if let Some(Ok(se)) = d?.view::<ShortEvent>() {
//!         titles.push(se.event_name);
//!     }
//! }
//! assert_eq!(titles, [b"News"]);
//! # Ok::<(), epgdump::error::SiError>(())
//! ```

use crate::error::SiError;
use crate::si::parse::Fail;
use nom::multi::length_data;
use nom::number::be_u8;
use nom::Parser;

/// Implements [`DescriptorView`] by forwarding to the type's inherent `TAG` and `parse`.
macro_rules! view_tag {
    ($ty:ident < $lt:lifetime >) => {
        impl<$lt> $crate::si::descriptor::DescriptorView<$lt> for $ty<$lt> {
            const TAG: u8 = $ty::TAG;
            fn parse(body: &$lt [u8]) -> Result<Self, $crate::error::SiError> {
                $ty::parse(body)
            }
        }
    };
    ($ty:ident) => {
        impl<'a> $crate::si::descriptor::DescriptorView<'a> for $ty {
            const TAG: u8 = $ty::TAG;
            fn parse(body: &'a [u8]) -> Result<Self, $crate::error::SiError> {
                $ty::parse(body)
            }
        }
    };
}

mod component;
mod content;
mod event_text;
mod series_group;
mod service_network;
mod time_offset;

pub use component::{
    AudioComponent, CaptionLanguage, Component, DataContent, StreamIdentifier,
    DATA_COMPONENT_CAPTION,
};
pub use content::{Content, ContentEntry, ParentalRating, ParentalRatingEntry};
pub use event_text::{ExtendedEvent, ExtendedItem, ExtendedItems, ShortEvent};
pub use series_group::{EventGroup, GroupEvent, OtherNetworkEvent, Series};
pub use service_network::{
    NetworkName, Service, ServiceList, ServiceListEntry, TransmissionType, TsInformation,
};
pub use time_offset::{LocalTimeOffset, LocalTimeOffsetEntry};

/// One descriptor: its tag and body (the `descriptor_length` bytes after the 2-byte header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptor<'a> {
    /// descriptor_tag.
    pub tag: u8,
    /// The descriptor body (without tag and length).
    pub body: &'a [u8],
}

impl<'a> Descriptor<'a> {
    /// Parses this descriptor as `V` if its tag is `V::TAG`: `None` for another tag, otherwise
    /// the result of `V::parse(body)`.
    pub fn view<V: DescriptorView<'a>>(&self) -> Option<Result<V, SiError>> {
        (self.tag == V::TAG).then(|| V::parse(self.body))
    }
}

/// A typed descriptor view with a fixed tag.
pub trait DescriptorView<'a>: Sized {
    /// The descriptor_tag this view parses.
    const TAG: u8;
    /// Parses and validates a descriptor body.
    fn parse(body: &'a [u8]) -> Result<Self, SiError>;
}

/// Lazy iterator over a descriptor loop. Yields `Err(DescriptorOverrun { tag })` if a
/// descriptor's length (or its length byte itself) runs past the loop, then stops.
#[derive(Debug, Clone)]
pub struct Descriptors<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> Descriptors<'a> {
    /// Iterates the descriptor loop `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Descriptors {
            rest: bytes,
            done: false,
        }
    }
}

impl<'a> Iterator for Descriptors<'a> {
    type Item = Result<Descriptor<'a>, SiError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // descriptor_tag(8) descriptor_length(8) body (ETSI EN 300 468 6.1)
        let (after_tag, tag) = be_u8::<_, Fail>().parse_complete(self.rest).ok()?;
        match length_data(be_u8::<_, Fail>()).parse_complete(after_tag) {
            Ok((rest, body)) => {
                self.rest = rest;
                Some(Ok(Descriptor { tag, body }))
            }
            Err(_) => {
                self.done = true;
                self.rest = &[];
                Some(Err(SiError::DescriptorOverrun { tag }))
            }
        }
    }
}

impl core::iter::FusedIterator for Descriptors<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::si_build as build;

    #[test]
    fn descriptor_loop_and_unknown_tags() {
        let mut l = build::descriptor(0x40, b"abc");
        l.extend(build::descriptor(0xFE, &[1, 2, 3, 4])); // unknown: yielded as-is
        l.extend(build::descriptor(0x52, &[7]));
        let v: Vec<_> = Descriptors::new(&l).map(Result::unwrap).collect();
        assert_eq!(v.len(), 3);
        assert_eq!((v[1].tag, v[1].body), (0xFE, &[1u8, 2, 3, 4][..]));
        assert!(v[1].view::<ShortEvent>().is_none());
        assert_eq!(
            v[2].view::<StreamIdentifier>(),
            Some(Ok(StreamIdentifier { component_tag: 7 }))
        );
        assert_eq!(Descriptors::new(&[]).count(), 0);
    }

    #[test]
    fn descriptor_overrun_fuses() {
        let mut l = build::descriptor(0x40, b"x");
        l.extend([0x4D, 0x06, 1, 2]);
        l.extend(build::descriptor(0x40, b"y"));
        let mut it = Descriptors::new(&l);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(
            it.next(),
            Some(Err(SiError::DescriptorOverrun { tag: 0x4D }))
        );
        assert_eq!(it.next(), None);
        assert_eq!(it.next(), None);
        // a lone tag byte with no length
        let v: Vec<_> = Descriptors::new(&[0x54]).collect();
        assert_eq!(v, vec![Err(SiError::DescriptorOverrun { tag: 0x54 })]);
    }
}
