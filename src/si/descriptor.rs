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

use crate::error::SiError;
use crate::si::cursor::{code3, Cursor, EntryLoop};

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
        let (&tag, after_tag) = self.rest.split_first()?;
        let framed = after_tag
            .split_first()
            .and_then(|(&len, after_len)| after_len.split_at_checked(usize::from(len)));
        match framed {
            Some((body, rest)) => {
                self.rest = rest;
                Some(Ok(Descriptor { tag, body }))
            }
            None => {
                self.done = true;
                self.rest = &[];
                Some(Err(SiError::DescriptorOverrun { tag }))
            }
        }
    }
}

impl core::iter::FusedIterator for Descriptors<'_> {}

/// Implements [`DescriptorView`] by forwarding to the type's inherent `TAG` and `parse`.
macro_rules! view_tag {
    ($ty:ident < $lt:lifetime >) => {
        impl<$lt> DescriptorView<$lt> for $ty<$lt> {
            const TAG: u8 = $ty::TAG;
            fn parse(body: &$lt [u8]) -> Result<Self, SiError> {
                $ty::parse(body)
            }
        }
    };
    ($ty:ident) => {
        impl<'a> DescriptorView<'a> for $ty {
            const TAG: u8 = $ty::TAG;
            fn parse(body: &'a [u8]) -> Result<Self, SiError> {
                $ty::parse(body)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------

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

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        Ok(NetworkName { name: body })
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
        if body.len() % 3 != 0 {
            return Err(SiError::Truncated {
                what: "service list entry",
            });
        }
        Ok(ServiceList { raw: body })
    }
}

impl<'a> ServiceList<'a> {
    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = ServiceListEntry> + 'a {
        self.raw.chunks_exact(3).filter_map(|c| match *c {
            [a, b, t] => Some(ServiceListEntry {
                service_id: u16::from_be_bytes([a, b]),
                service_type: t,
            }),
            _ => None,
        })
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

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let service_type = c.u8("service descriptor")?;
        let provider_name = c.len8("service_provider_name_length")?;
        let service_name = c.len8("service_name_length")?;
        Ok(Service {
            service_type,
            provider_name,
            service_name,
        })
    }
}

/// short_event_descriptor 0x4D (ETSI EN 300 468 6.2.37; ARIB STD-B10 6.2.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortEvent<'a> {
    /// ISO_639_language_code (e.g. `*b"jpn"`).
    pub lang: [u8; 3],
    /// event_name, raw text bytes.
    pub event_name: &'a [u8],
    /// text (short description), raw text bytes.
    pub text: &'a [u8],
}

view_tag!(ShortEvent<'a>);

impl<'a> ShortEvent<'a> {
    /// The descriptor_tag, 0x4D.
    pub const TAG: u8 = 0x4D;

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let lang = code3(&mut c, "short event descriptor")?;
        let event_name = c.len8("event_name_length")?;
        let text = c.len8("text_length")?;
        Ok(ShortEvent {
            lang,
            event_name,
            text,
        })
    }
}

/// extended_event_descriptor 0x4E (ETSI EN 300 468 6.2.15; ARIB STD-B10 6.2.7, same layout).
///
/// A long description is split over several descriptors numbered 0..=last_descriptor_number; an
/// item may continue from one descriptor into the next (ARIB: an item with an empty
/// item_description continues the previous item). Joining is left to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedEvent<'a> {
    /// descriptor_number (4 bits).
    pub descriptor_number: u8,
    /// last_descriptor_number (4 bits).
    pub last_descriptor_number: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// The raw item loop (length_of_items bytes).
    pub items_raw: &'a [u8],
    /// text, raw text bytes (DVB free text; usually empty in ARIB).
    pub text: &'a [u8],
}

view_tag!(ExtendedEvent<'a>);

impl<'a> ExtendedEvent<'a> {
    /// The descriptor_tag, 0x4E.
    pub const TAG: u8 = 0x4E;

    /// Checks that length_of_items and text_length fit in the descriptor. Item lengths inside
    /// the loop are checked lazily by [`ExtendedEvent::items`].
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let numbers = c.u8("extended event descriptor")?;
        let lang = code3(&mut c, "extended event descriptor")?;
        let items_raw = c.len8("length_of_items")?;
        let text = c.len8("text_length")?;
        Ok(ExtendedEvent {
            descriptor_number: numbers >> 4,
            last_descriptor_number: numbers & 0x0F,
            lang,
            items_raw,
            text,
        })
    }
}

impl<'a> ExtendedEvent<'a> {
    /// The items, lazily; an item whose lengths run past the item loop yields
    /// `Err(LengthOverrun)` and ends the iteration.
    pub fn items(&self) -> ExtendedItems<'a> {
        ExtendedItems {
            entries: EntryLoop::new(self.items_raw),
        }
    }
}

/// One item of an [`ExtendedEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtendedItem<'a> {
    /// item_description, raw text bytes (e.g. "出演者"); empty for a continuation in ARIB.
    pub description: &'a [u8],
    /// item, raw text bytes.
    pub item: &'a [u8],
}

/// Iterator over the items of an [`ExtendedEvent`]; fuses after its first error.
#[derive(Debug, Clone)]
pub struct ExtendedItems<'a> {
    entries: EntryLoop<'a>,
}

impl<'a> Iterator for ExtendedItems<'a> {
    type Item = Result<ExtendedItem<'a>, SiError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry(|c| {
            let description = c.len8("item_description_length")?;
            let item = c.len8("item_length")?;
            Ok(ExtendedItem { description, item })
        })
    }
}

impl core::iter::FusedIterator for ExtendedItems<'_> {}

/// component_descriptor 0x50 (ETSI EN 300 468 6.2.8; ARIB STD-B10 6.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component<'a> {
    /// stream_content_ext (DVB, high nibble of the first byte; reserved_future_use in ARIB).
    pub stream_content_ext: u8,
    /// stream_content (low nibble): ARIB 0x01 MPEG-2 video, 0x02 audio, 0x05 H.264.
    pub stream_content: u8,
    /// component_type (see [`crate::si::genre::video_component`] for ARIB video).
    pub component_type: u8,
    /// component_tag (matches stream_identifier_descriptor in the PMT).
    pub component_tag: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// text, raw text bytes.
    pub text: &'a [u8],
}

view_tag!(Component<'a>);

impl<'a> Component<'a> {
    /// The descriptor_tag, 0x50.
    pub const TAG: u8 = 0x50;

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let b0 = c.u8("component descriptor")?;
        let component_type = c.u8("component descriptor")?;
        let component_tag = c.u8("component descriptor")?;
        let lang = code3(&mut c, "component descriptor")?;
        Ok(Component {
            stream_content_ext: b0 >> 4,
            stream_content: b0 & 0x0F,
            component_type,
            component_tag,
            lang,
            text: c.rest(),
        })
    }
}

/// stream_identifier_descriptor 0x52 (ETSI EN 300 468 6.2.39; ARIB STD-B10 6.2.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamIdentifier {
    /// component_tag.
    pub component_tag: u8,
}

view_tag!(StreamIdentifier);

impl StreamIdentifier {
    /// The descriptor_tag, 0x52.
    pub const TAG: u8 = 0x52;

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &[u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        Ok(StreamIdentifier {
            component_tag: c.u8("stream identifier descriptor")?,
        })
    }
}

/// content_descriptor 0x54 (ETSI EN 300 468 6.2.9; ARIB STD-B10 6.2.4): genre nibbles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Content<'a> {
    raw: &'a [u8],
}

/// One genre entry of a [`Content`] descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentEntry {
    /// content_nibble_level_1.
    pub level1: u8,
    /// content_nibble_level_2.
    pub level2: u8,
    /// First user_nibble (ARIB: meaningful under level1 0xE).
    pub user1: u8,
    /// Second user_nibble.
    pub user2: u8,
}

impl ContentEntry {
    /// The user byte `user1 << 4 | user2` (ARIB 0xE0 attribute / 0xE1 CS genre code).
    pub fn user_byte(&self) -> u8 {
        (self.user1 << 4) | self.user2
    }
}

view_tag!(Content<'a>);

impl<'a> Content<'a> {
    /// The descriptor_tag, 0x54.
    pub const TAG: u8 = 0x54;

    /// Fails with `Truncated { what: "content entry" }` for an odd body length.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        if body.len() % 2 != 0 {
            return Err(SiError::Truncated {
                what: "content entry",
            });
        }
        Ok(Content { raw: body })
    }
}

impl<'a> Content<'a> {
    /// The genre entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = ContentEntry> + 'a {
        self.raw.chunks_exact(2).filter_map(|c| match *c {
            [a, b] => Some(ContentEntry {
                level1: a >> 4,
                level2: a & 0x0F,
                user1: b >> 4,
                user2: b & 0x0F,
            }),
            _ => None,
        })
    }
}

/// parental_rating_descriptor 0x55 (ETSI EN 300 468 6.2.28; ARIB STD-B10 6.2.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentalRating<'a> {
    raw: &'a [u8],
}

/// One entry of a [`ParentalRating`] descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParentalRatingEntry {
    /// country_code (ISO 3166 alpha-3, e.g. `*b"JPN"`).
    pub country: [u8; 3],
    /// rating: 0x01..=0x0F means minimum age = rating + 3; 0 undefined; others broadcaster-defined.
    pub rating: u8,
}

impl ParentalRatingEntry {
    /// Minimum age for ratings 0x01..=0x0F (rating + 3), else `None`.
    pub fn minimum_age(&self) -> Option<u8> {
        (1..=0x0F).contains(&self.rating).then(|| self.rating + 3)
    }
}

view_tag!(ParentalRating<'a>);

impl<'a> ParentalRating<'a> {
    /// The descriptor_tag, 0x55.
    pub const TAG: u8 = 0x55;

    /// Fails with `Truncated { what: "parental rating entry" }` unless the body is a whole number
    /// of 4-byte entries.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        if body.len() % 4 != 0 {
            return Err(SiError::Truncated {
                what: "parental rating entry",
            });
        }
        Ok(ParentalRating { raw: body })
    }
}

impl<'a> ParentalRating<'a> {
    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = ParentalRatingEntry> + 'a {
        self.raw.chunks_exact(4).filter_map(|c| match *c {
            [a, b, cc, r] => Some(ParentalRatingEntry {
                country: [a, b, cc],
                rating: r,
            }),
            _ => None,
        })
    }
}

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
        if body.len() % 13 != 0 {
            return Err(SiError::Truncated {
                what: "local time offset entry",
            });
        }
        Ok(LocalTimeOffset { raw: body })
    }
}

impl<'a> LocalTimeOffset<'a> {
    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = LocalTimeOffsetEntry> + 'a {
        self.raw.chunks_exact(13).filter_map(|c| match *c {
            [c0, c1, c2, r, o0, o1, t0, t1, t2, t3, t4, n0, n1] => Some(LocalTimeOffsetEntry {
                country: [c0, c1, c2],
                region_id: r >> 2,
                negative: r & 0x01 != 0,
                offset_raw: [o0, o1],
                time_of_change_raw: [t0, t1, t2, t3, t4],
                next_offset_raw: [n0, n1],
            }),
            _ => None,
        })
    }
}

/// audio_component_descriptor 0xC4 (ARIB STD-B10 6.2.26).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioComponent<'a> {
    /// stream_content (low nibble of the first byte; 0x02 for audio).
    pub stream_content: u8,
    /// component_type (see [`crate::si::genre::audio_component`]).
    pub component_type: u8,
    /// component_tag.
    pub component_tag: u8,
    /// stream_type (ISO/IEC 13818-1: 0x0F MPEG-2 AAC, 0x11 MPEG-4 AAC LATM).
    pub stream_type: u8,
    /// simulcast_group_tag (0xFF: no simulcast).
    pub simulcast_group_tag: u8,
    /// ES_multi_lingual_flag: two languages in one ES (dual mono).
    pub es_multi_lingual: bool,
    /// main_component_flag.
    pub main_component: bool,
    /// quality_indicator (2 bits: 1 mode 1, 2 mode 2, 3 mode 3).
    pub quality_indicator: u8,
    /// sampling_rate code (3 bits; see [`AudioComponent::sampling_rate_hz`]).
    pub sampling_rate: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// ISO_639_language_code_2, present only when `es_multi_lingual`.
    pub lang2: Option<[u8; 3]>,
    /// text, raw text bytes (for dual mono often "日本語\n英語").
    pub text: &'a [u8],
}

view_tag!(AudioComponent<'a>);

impl<'a> AudioComponent<'a> {
    /// The descriptor_tag, 0xC4.
    pub const TAG: u8 = 0xC4;

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "audio component descriptor";
        let mut c = Cursor::new(body);
        let b0 = c.u8(what)?;
        let component_type = c.u8(what)?;
        let component_tag = c.u8(what)?;
        let stream_type = c.u8(what)?;
        let simulcast_group_tag = c.u8(what)?;
        let flags = c.u8(what)?;
        let lang = code3(&mut c, what)?;
        let es_multi_lingual = flags & 0x80 != 0;
        let lang2 = if es_multi_lingual {
            Some(code3(&mut c, what)?)
        } else {
            None
        };
        Ok(AudioComponent {
            stream_content: b0 & 0x0F,
            component_type,
            component_tag,
            stream_type,
            simulcast_group_tag,
            es_multi_lingual,
            main_component: flags & 0x40 != 0,
            quality_indicator: (flags >> 4) & 0x03,
            sampling_rate: (flags >> 1) & 0x07,
            lang,
            lang2,
            text: c.rest(),
        })
    }
}

impl AudioComponent<'_> {
    /// The sampling rate in Hz (ARIB STD-B10 table 6-45), `None` for reserved codes.
    pub fn sampling_rate_hz(&self) -> Option<u32> {
        crate::si::genre::sampling_rate_hz(self.sampling_rate)
    }
}

/// data_content_descriptor 0xC7 (ARIB STD-B10 6.2.28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataContent<'a> {
    /// data_component_id (0x0008: ARIB caption, STD-B24).
    pub data_component_id: u16,
    /// entry_component (component_tag of the first stream to read).
    pub entry_component: u8,
    /// selector_byte run, raw.
    pub selector: &'a [u8],
    /// component_ref values.
    pub component_refs: &'a [u8],
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// text, raw text bytes.
    pub text: &'a [u8],
}

/// data_component_id of ARIB captions (ARIB STD-B10 table J-1 / STD-B24).
pub const DATA_COMPONENT_CAPTION: u16 = 0x0008;

view_tag!(DataContent<'a>);

impl<'a> DataContent<'a> {
    /// The descriptor_tag, 0xC7.
    pub const TAG: u8 = 0xC7;

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "data content descriptor";
        let mut c = Cursor::new(body);
        let data_component_id = c.u16(what)?;
        let entry_component = c.u8(what)?;
        let selector = c.len8("selector_length")?;
        let component_refs = c.len8("num_of_component_ref")?;
        let lang = code3(&mut c, what)?;
        let text = c.len8("text_length")?;
        Ok(DataContent {
            data_component_id,
            entry_component,
            selector,
            component_refs,
            lang,
            text,
        })
    }
}

/// One language of an ARIB caption selector (arib_caption_info, ARIB STD-B24 / TR-B14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaptionLanguage {
    /// language_tag (3 bits, 0 = first language).
    pub language_tag: u8,
    /// DMF, display mode (4 bits).
    pub dmf: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
}

impl<'a> DataContent<'a> {
    /// Whether this describes ARIB captions (`data_component_id == 0x0008`).
    pub fn is_caption(&self) -> bool {
        self.data_component_id == DATA_COMPONENT_CAPTION
    }

    /// For captions, the languages from the selector
    /// (`num_languages(8)`, then per language `language_tag(3) reserved(1) DMF(4)
    /// ISO_639_language_code(24)`). `None` if this is not a caption descriptor; `Err` if the
    /// selector is shorter than `num_languages` says.
    pub fn caption_languages(
        &self,
    ) -> Option<Result<impl Iterator<Item = CaptionLanguage> + 'a, SiError>> {
        if !self.is_caption() {
            return None;
        }
        let mut c = Cursor::new(self.selector);
        let parsed = c.u8("caption selector").and_then(|n| {
            c.counted(usize::from(n) * 4, "num_languages").map(|langs| {
                langs.chunks_exact(4).filter_map(|ch| match *ch {
                    [t, l0, l1, l2] => Some(CaptionLanguage {
                        language_tag: t >> 5,
                        dmf: t & 0x0F,
                        lang: [l0, l1, l2],
                    }),
                    _ => None,
                })
            })
        });
        Some(parsed)
    }
}

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

    /// Parses and validates the descriptor body (without tag and length).
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let [s0, s1, f, e0, e1, n0, n1, n2] = c.array::<8>("series descriptor")?;
        Ok(Series {
            series_id: u16::from_be_bytes([s0, s1]),
            repeat_label: f >> 4,
            program_pattern: (f >> 1) & 0x07,
            expire_date_valid: f & 0x01 != 0,
            expire_date_mjd: u16::from_be_bytes([e0, e1]),
            episode_number: (u16::from(n0) << 4) | u16::from(n1 >> 4),
            last_episode_number: (u16::from(n1 & 0x0F) << 8) | u16::from(n2),
            series_name: c.rest(),
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
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let mut c = Cursor::new(body);
        let b0 = c.u8("event group descriptor")?;
        let group_type = b0 >> 4;
        let event_count = b0 & 0x0F;
        let events_raw = c.counted(usize::from(event_count) * 4, "event_count")?;
        let rest = c.rest();
        let (other_raw, private_data): (&[u8], &[u8]) = if matches!(group_type, 4 | 5) {
            if rest.len() % 8 != 0 {
                return Err(SiError::Truncated {
                    what: "other network event",
                });
            }
            (rest, &[])
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
}

impl<'a> EventGroup<'a> {
    /// The event_count `(service_id, event_id)` entries.
    pub fn events(&self) -> impl Iterator<Item = GroupEvent> + 'a {
        self.events_raw.chunks_exact(4).filter_map(|c| match *c {
            [s0, s1, e0, e1] => Some(GroupEvent {
                service_id: u16::from_be_bytes([s0, s1]),
                event_id: u16::from_be_bytes([e0, e1]),
            }),
            _ => None,
        })
    }

    /// The other-network entries (group types 4 and 5 only; empty otherwise).
    pub fn other_network_events(&self) -> impl Iterator<Item = OtherNetworkEvent> + 'a {
        self.other_raw.chunks_exact(8).filter_map(|c| match *c {
            [o0, o1, t0, t1, s0, s1, e0, e1] => Some(OtherNetworkEvent {
                original_network_id: u16::from_be_bytes([o0, o1]),
                transport_stream_id: u16::from_be_bytes([t0, t1]),
                service_id: u16::from_be_bytes([s0, s1]),
                event_id: u16::from_be_bytes([e0, e1]),
            }),
            _ => None,
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
        self.service_ids_raw
            .chunks_exact(2)
            .filter_map(|c| match *c {
                [a, b] => Some(u16::from_be_bytes([a, b])),
                _ => None,
            })
    }
}

view_tag!(TsInformation<'a>);

impl<'a> TsInformation<'a> {
    /// The descriptor_tag, 0xCD.
    pub const TAG: u8 = 0xCD;

    /// Checks length_of_ts_name and every num_of_service against the descriptor.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "ts information descriptor";
        let mut c = Cursor::new(body);
        let remote_control_key_id = c.u8(what)?;
        let b1 = c.u8(what)?;
        let ts_name = c.counted(usize::from(b1 >> 2), "length_of_ts_name")?;
        let transmission_type_count = b1 & 0x03;
        let start = c.rest();
        for _ in 0..transmission_type_count {
            let _info = c.u8("transmission type")?;
            let n = c.u8("transmission type")?;
            c.counted(usize::from(n) * 2, "num_of_service")?;
        }
        let used = start.len() - c.rest().len();
        let types_raw = start.get(..used).ok_or(SiError::Truncated { what })?;
        Ok(TsInformation {
            remote_control_key_id,
            ts_name,
            transmission_type_count,
            types_raw,
        })
    }
}

impl<'a> TsInformation<'a> {
    /// The transmission types (already validated by `parse`).
    pub fn transmission_types(&self) -> impl Iterator<Item = TransmissionType<'a>> + 'a {
        let mut c = Cursor::new(self.types_raw);
        core::iter::from_fn(move || {
            let transmission_type_info = c.u8("transmission type").ok()?;
            let n = c.u8("transmission type").ok()?;
            let service_ids_raw = c.counted(usize::from(n) * 2, "num_of_service").ok()?;
            Some(TransmissionType {
                transmission_type_info,
                service_ids_raw,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::si::build;

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

    #[test]
    fn short_event() {
        let d = build::short_event(b"jpn", b"ev", b"txt");
        let se = ShortEvent::parse(&d[2..]).unwrap();
        assert_eq!(se.lang, *b"jpn");
        assert_eq!(se.event_name, b"ev");
        assert_eq!(se.text, b"txt");
        assert_eq!(
            ShortEvent::parse(b"jpn\x05ab"),
            Err(SiError::LengthOverrun {
                what: "event_name_length"
            })
        );
        assert_eq!(
            ShortEvent::parse(b"jpn\x01a\x04ab"),
            Err(SiError::LengthOverrun {
                what: "text_length"
            })
        );
        assert_eq!(
            ShortEvent::parse(b"jp"),
            Err(SiError::Truncated {
                what: "short event descriptor"
            })
        );
    }

    #[test]
    fn extended_event() {
        let d = build::extended_event(1, 3, b"jpn", &[(b"cast", b"A, B"), (b"", b"cont")], b"free");
        let x = ExtendedEvent::parse(&d[2..]).unwrap();
        assert_eq!((x.descriptor_number, x.last_descriptor_number), (1, 3));
        assert_eq!(x.lang, *b"jpn");
        assert_eq!(x.text, b"free");
        let items: Vec<_> = x.items().map(Result::unwrap).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0].description, items[0].item),
            (&b"cast"[..], &b"A, B"[..])
        );
        assert_eq!(
            (items[1].description, items[1].item),
            (&b""[..], &b"cont"[..])
        );
        // length_of_items past the descriptor
        assert_eq!(
            ExtendedEvent::parse(&[0x00, b'j', b'p', b'n', 10, 1, b'a']),
            Err(SiError::LengthOverrun {
                what: "length_of_items"
            })
        );
        // item_length past the item loop (loop is 4 bytes: desc len 1 'a', item len 5 'b')
        let body = [0x00, b'j', b'p', b'n', 4, 1, b'a', 5, b'b', 0];
        let x = ExtendedEvent::parse(&body).unwrap();
        let mut it = x.items();
        assert_eq!(
            it.next(),
            Some(Err(SiError::LengthOverrun {
                what: "item_length"
            }))
        );
        assert_eq!(it.next(), None);
        // item_description_length past the item loop
        let body = [0x00, b'j', b'p', b'n', 2, 7, b'a', 0];
        let x = ExtendedEvent::parse(&body).unwrap();
        assert_eq!(
            x.items().collect::<Vec<_>>(),
            vec![Err(SiError::LengthOverrun {
                what: "item_description_length"
            })]
        );
        // missing text_length byte
        assert_eq!(
            ExtendedEvent::parse(&[0x00, b'j', b'p', b'n', 0]),
            Err(SiError::Truncated {
                what: "text_length"
            })
        );
    }

    #[test]
    fn component_and_stream_content_ext() {
        let c = Component::parse(&[0xF5, 0xB3, 0x00, b'j', b'p', b'n', b'H', b'D']).unwrap();
        assert_eq!(c.stream_content_ext, 0xF);
        assert_eq!(c.stream_content, 0x5);
        assert_eq!(c.component_type, 0xB3);
        assert_eq!(c.component_tag, 0);
        assert_eq!(c.lang, *b"jpn");
        assert_eq!(c.text, b"HD");
        assert_eq!(
            Component::parse(&[0x01, 0xB3, 0x00, b'j', b'p']),
            Err(SiError::Truncated {
                what: "component descriptor"
            })
        );
    }

    #[test]
    fn audio_component() {
        // stream_content 2, type 0x02 dual mono, tag 0x10, stream_type 0x0F, simulcast 0xFF,
        // flags: multi-lingual 1, main 1, quality 3, sampling 0b111 (48 kHz)
        let mut b = vec![0xF2, 0x02, 0x10, 0x0F, 0xFF, 0b1111_1111];
        b.extend(b"jpneng");
        b.extend("日本語\n英語".as_bytes());
        let a = AudioComponent::parse(&b).unwrap();
        assert_eq!(a.stream_content, 2);
        assert_eq!(a.component_type, 2);
        assert_eq!(a.component_tag, 0x10);
        assert_eq!(a.stream_type, 0x0F);
        assert_eq!(a.simulcast_group_tag, 0xFF);
        assert!(a.es_multi_lingual && a.main_component);
        assert_eq!(a.quality_indicator, 3);
        assert_eq!(a.sampling_rate, 7);
        assert_eq!(a.sampling_rate_hz(), Some(48_000));
        assert_eq!(a.lang, *b"jpn");
        assert_eq!(a.lang2, Some(*b"eng"));
        assert_eq!(a.text, "日本語\n英語".as_bytes());
        // single language: no second code, text follows directly
        let b = [
            0xF2,
            0x03,
            0x10,
            0x11,
            0xFF,
            0b0101_1100,
            b'j',
            b'p',
            b'n',
            b'x',
        ];
        let a = AudioComponent::parse(&b).unwrap();
        assert!(!a.es_multi_lingual && a.main_component);
        assert_eq!(a.quality_indicator, 1);
        assert_eq!(a.sampling_rate, 0b110);
        assert_eq!(a.sampling_rate_hz(), Some(44_100));
        assert_eq!(a.lang2, None);
        assert_eq!(a.text, b"x");
        // multi-lingual flag set but second code missing
        let b = [0xF2, 0x02, 0x10, 0x0F, 0xFF, 0x80, b'j', b'p', b'n', b'e'];
        assert_eq!(
            AudioComponent::parse(&b),
            Err(SiError::Truncated {
                what: "audio component descriptor"
            })
        );
    }

    #[test]
    fn content_entries() {
        let d = build::content(&[(0x0, 0x1, 0xF, 0xF), (0xE, 0x0, 0x0, 0x1)]);
        let c = Content::parse(&d[2..]).unwrap();
        let e: Vec<_> = c.entries().collect();
        assert_eq!(
            e[0],
            ContentEntry {
                level1: 0,
                level2: 1,
                user1: 0xF,
                user2: 0xF
            }
        );
        assert_eq!(e[1].user_byte(), 0x01);
        assert_eq!(
            Content::parse(&[0x01, 0xFF, 0x30]),
            Err(SiError::Truncated {
                what: "content entry"
            })
        );
        assert_eq!(Content::parse(&[]).unwrap().entries().count(), 0);
    }

    #[test]
    fn service_and_service_list_and_parental_rating() {
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
            ServiceList::parse(&[0, 1, 1, 0]),
            Err(SiError::Truncated {
                what: "service list entry"
            })
        );
        let p = ParentalRating::parse(b"JPN\x08DEU\x00").unwrap();
        let e: Vec<_> = p.entries().collect();
        assert_eq!(e[0].country, *b"JPN");
        assert_eq!(e[0].rating, 8);
        assert_eq!(e[0].minimum_age(), Some(11));
        assert_eq!(e[1].minimum_age(), None);
        assert_eq!(
            ParentalRating::parse(b"JPN"),
            Err(SiError::Truncated {
                what: "parental rating entry"
            })
        );
        assert_eq!(NetworkName::parse(b"n").unwrap().name, b"n");
        assert_eq!(
            StreamIdentifier::parse(&[]),
            Err(SiError::Truncated {
                what: "stream identifier descriptor"
            })
        );
    }

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

    #[test]
    fn data_content_captions() {
        // captions: selector = num_languages 2, (tag 0, DMF 0b1010, jpn), (tag 1, DMF 0, eng)
        let mut b = vec![
            0x00, 0x08, 0x30, 9, 2, 0x0A, b'j', b'p', b'n', 0x20, b'e', b'n', b'g',
        ];
        b.extend([1, 0x30]); // one component_ref
        b.extend(b"jpn");
        b.extend([2, b'C', b'C']);
        let d = DataContent::parse(&b).unwrap();
        assert_eq!(d.data_component_id, 8);
        assert!(d.is_caption());
        assert_eq!(d.entry_component, 0x30);
        assert_eq!(d.selector.len(), 9);
        assert_eq!(d.component_refs, &[0x30]);
        assert_eq!(d.lang, *b"jpn");
        assert_eq!(d.text, b"CC");
        let langs: Vec<_> = d.caption_languages().unwrap().unwrap().collect();
        assert_eq!(
            langs,
            vec![
                CaptionLanguage {
                    language_tag: 0,
                    dmf: 0x0A,
                    lang: *b"jpn"
                },
                CaptionLanguage {
                    language_tag: 1,
                    dmf: 0,
                    lang: *b"eng"
                }
            ]
        );
        // not captions
        let b = [0x00, 0x0C, 0x40, 0, 0, b'j', b'p', b'n', 0];
        let d = DataContent::parse(&b).unwrap();
        assert!(!d.is_caption());
        assert!(d.caption_languages().is_none());
        // caption selector shorter than num_languages says
        let b = [0x00, 0x08, 0x30, 2, 3, 0x0A, 0, b'j', b'p', b'n', 0];
        let d = DataContent::parse(&b).unwrap();
        assert!(matches!(
            d.caption_languages(),
            Some(Err(SiError::LengthOverrun {
                what: "num_languages"
            }))
        ));
        // selector_length past the descriptor
        assert_eq!(
            DataContent::parse(&[0x00, 0x08, 0x30, 9, 1]),
            Err(SiError::LengthOverrun {
                what: "selector_length"
            })
        );
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
        // trailing reserved bytes are allowed
        let t = TsInformation::parse(&[1, 1, 0x0F, 1, 0x04, 0x00, 0xFF, 0xFF]).unwrap();
        let v: Vec<_> = t.transmission_types().collect();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].service_ids().collect::<Vec<_>>(), vec![0x0400]);
        assert_eq!(t.ts_name, b"");
    }
}
