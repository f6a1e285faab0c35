//! Event text descriptors: the title and short description (short_event 0x4D) and the long
//! itemised description (extended_event 0x4E).

use crate::error::SiError;
use crate::si::parse::{array, bits_u8, len8, packed, run, EntryLoop};
use nom::Parser;

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

    /// Parses and validates the descriptor body (without tag and length):
    /// ISO_639_language_code(24) event_name_length(8) event_name text_length(8) text.
    ///
    /// ```
    /// use epgdump::si::descriptor::ShortEvent;
    /// let se = ShortEvent::parse(b"jpn\x04News\x00")?;
    /// assert_eq!((&se.lang, se.event_name, se.text), (b"jpn", &b"News"[..], &b""[..]));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let (lang, event_name, text) = run(
            (
                array::<3>("short event descriptor"),
                len8("event_name_length"),
                len8("text_length"),
            ),
            body,
        )?;
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
        let what = "extended event descriptor";
        // descriptor_number(4) last_descriptor_number(4) ISO_639_language_code(24)
        // length_of_items(8) items text_length(8) text
        let ((descriptor_number, last_descriptor_number), lang, items_raw, text) = run(
            (
                packed(what, (bits_u8::<4>(), bits_u8::<4>())),
                array::<3>(what),
                len8("length_of_items"),
                len8("text_length"),
            ),
            body,
        )?;
        Ok(ExtendedEvent {
            descriptor_number,
            last_descriptor_number,
            lang,
            items_raw,
            text,
        })
    }

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
        // item_description_length(8) item_description item_length(8) item
        self.entries.next_entry(
            (len8("item_description_length"), len8("item_length"))
                .map(|(description, item)| ExtendedItem { description, item }),
        )
    }
}

impl core::iter::FusedIterator for ExtendedItems<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::si_build as build;

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
        // no room for the numbers or the language
        for short in [&[][..], &[0x00, b'j']] {
            assert_eq!(
                ExtendedEvent::parse(short),
                Err(SiError::Truncated {
                    what: "extended event descriptor"
                })
            );
        }
    }
}
