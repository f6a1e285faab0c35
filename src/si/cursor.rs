//! A tiny bounds-checked reader over a byte slice.
//!
//! Every SI structure is "fixed fields, then a length, then that many bytes". The cursor makes each
//! of those steps a fallible call that names the structure on failure, so parsers never index a
//! slice directly and a short input always becomes an [`SiError`] instead of a panic.

use crate::error::SiError;

/// A loop of variable-length entries (events, services, transport streams, broadcasters, items)
/// read one at a time. Once an entry fails to parse, the rest of the loop cannot be framed, so
/// the loop yields that error once and then ends: the iterators built on it are fused.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryLoop<'a> {
    c: Cursor<'a>,
    done: bool,
}

impl<'a> EntryLoop<'a> {
    /// A loop over the entries in `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        EntryLoop {
            c: Cursor::new(buf),
            done: false,
        }
    }

    /// The next entry, read by `parse`; `None` at the end of the loop or after an error.
    pub(crate) fn next_entry<T>(
        &mut self,
        parse: impl FnOnce(&mut Cursor<'a>) -> Result<T, SiError>,
    ) -> Option<Result<T, SiError>> {
        if self.done || self.c.is_empty() {
            return None;
        }
        let r = parse(&mut self.c);
        self.done = r.is_err();
        Some(r)
    }
}

/// A forward-only reader over a borrowed byte slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Cursor { rest: buf }
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Whether every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Takes `n` bytes, or fails with `Truncated { what }` (consuming nothing).
    pub(crate) fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SiError> {
        let (head, tail) = self
            .rest
            .split_at_checked(n)
            .ok_or(SiError::Truncated { what })?;
        self.rest = tail;
        Ok(head)
    }

    /// Takes `n` bytes announced by a length field, or fails with `LengthOverrun { what }`.
    pub(crate) fn counted(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SiError> {
        self.bytes(n, what)
            .map_err(|_| SiError::LengthOverrun { what })
    }

    /// Takes a fixed-size array.
    pub(crate) fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], SiError> {
        let head = self.bytes(N, what)?;
        <[u8; N]>::try_from(head).map_err(|_| SiError::Truncated { what })
    }

    /// Takes one byte.
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, SiError> {
        let [b] = self.array::<1>(what)?;
        Ok(b)
    }

    /// Takes a big-endian 16-bit value.
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, SiError> {
        Ok(u16::from_be_bytes(self.array::<2>(what)?))
    }

    /// Reads a 16-bit field whose low 12 bits are a loop length (the top 4 bits are reserved or
    /// flags, returned as the high nibble), then takes that many bytes as the loop.
    pub(crate) fn loop12(
        &mut self,
        field: &'static str,
        what: &'static str,
    ) -> Result<(u8, &'a [u8]), SiError> {
        let v = self.u16(field)?;
        let nibble = (v >> 12) as u8;
        let body = self.counted(usize::from(v & 0x0FFF), what)?;
        Ok((nibble, body))
    }

    /// Reads an 8-bit length then takes that many bytes.
    pub(crate) fn len8(&mut self, what: &'static str) -> Result<&'a [u8], SiError> {
        let n = self.u8(what)?;
        self.counted(usize::from(n), what)
    }
}

/// Reads a 3-letter code (ISO 639 language or ISO 3166 country) as raw bytes.
pub(crate) fn code3(c: &mut Cursor<'_>, what: &'static str) -> Result<[u8; 3], SiError> {
    c.array::<3>(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_fails_without_consuming() {
        let mut c = Cursor::new(&[1, 2, 3, 0x12, 0x34]);
        assert_eq!(c.u8("a"), Ok(1));
        assert_eq!(c.u16("b"), Ok(0x0203));
        assert_eq!(c.array::<3>("c"), Err(SiError::Truncated { what: "c" }));
        assert_eq!(c.rest(), &[0x12, 0x34]);
        assert_eq!(c.counted(3, "d"), Err(SiError::LengthOverrun { what: "d" }));
        assert_eq!(c.bytes(2, "e"), Ok(&[0x12, 0x34][..]));
        assert!(c.is_empty());
        assert_eq!(c.u8("f"), Err(SiError::Truncated { what: "f" }));
    }

    #[test]
    fn loop12_splits_flags_and_length() {
        let mut c = Cursor::new(&[0xF0, 0x02, 9, 8, 7]);
        assert_eq!(c.loop12("f", "l"), Ok((0xF, &[9, 8][..])));
        assert_eq!(c.rest(), &[7]);
        let mut c = Cursor::new(&[0xF0, 0x03, 9, 8]);
        assert_eq!(
            c.loop12("f", "l"),
            Err(SiError::LengthOverrun { what: "l" })
        );
        let mut c = Cursor::new(&[2, 5, 6, 1]);
        assert_eq!(c.len8("s"), Ok(&[5, 6][..]));
        assert_eq!(c.len8("s"), Err(SiError::LengthOverrun { what: "s" }));
    }
}
