//! Content descriptors: what kind of programme an event is (content 0x54, the genre nibbles)
//! and who may watch it (parental_rating 0x55).

use crate::error::SiError;
use crate::si::parse::{array, bits_u8, packed, records, run, u8_f, whole_records, Res};
use nom::Parser;

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
    ///
    /// ```
    /// use epgdump::si::descriptor::Content;
    /// let c = Content::parse(&[0x01, 0xFF])?; // news, weather; no user nibbles
    /// let e = c.entries().next().unwrap();
    /// assert_eq!((e.level1, e.level2, e.user_byte()), (0x0, 0x1, 0xFF));
    /// # Ok::<(), epgdump::error::SiError>(())
    /// ```
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let raw = run(whole_records("content entry", 2), body)?;
        Ok(Content { raw })
    }

    /// The genre entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = ContentEntry> + 'a {
        records(self.raw, content_entry)
    }
}

/// content_nibble_level_1(4) content_nibble_level_2(4) user_nibble(4) user_nibble(4).
fn content_entry(i: &[u8]) -> Res<'_, ContentEntry> {
    packed(
        "content entry",
        (
            bits_u8::<4>(),
            bits_u8::<4>(),
            bits_u8::<4>(),
            bits_u8::<4>(),
        ),
    )
    .map(|(level1, level2, user1, user2)| ContentEntry {
        level1,
        level2,
        user1,
        user2,
    })
    .parse_complete(i)
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
        let raw = run(whole_records("parental rating entry", 4), body)?;
        Ok(ParentalRating { raw })
    }

    /// The entries, in order: country_code(24) rating(8).
    pub fn entries(&self) -> impl Iterator<Item = ParentalRatingEntry> + 'a {
        let what = "parental rating entry";
        records(
            self.raw,
            (array::<3>(what), u8_f(what))
                .map(|(country, rating)| ParentalRatingEntry { country, rating }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::si_build as build;

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
        assert_eq!(e.len(), 2);
        assert_eq!(
            Content::parse(&[0x01, 0xFF, 0x30]),
            Err(SiError::Truncated {
                what: "content entry"
            })
        );
        assert_eq!(Content::parse(&[]).unwrap().entries().count(), 0);
    }

    #[test]
    fn parental_rating() {
        let p = ParentalRating::parse(b"JPN\x08DEU\x00").unwrap();
        let e: Vec<_> = p.entries().collect();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].country, *b"JPN");
        assert_eq!(e[0].rating, 8);
        assert_eq!(e[0].minimum_age(), Some(11));
        assert_eq!(e[1].country, *b"DEU");
        assert_eq!(e[1].minimum_age(), None);
        assert_eq!(
            ParentalRating::parse(b"JPN"),
            Err(SiError::Truncated {
                what: "parental rating entry"
            })
        );
    }
}
