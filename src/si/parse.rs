//! nom glue for SI table and descriptor bodies, in complete mode (a section is whole by then).
//!
//! Every SI structure is "fixed fields, then a length, then that many bytes". The parsers follow
//! pcap-parser's framer: read the length, `take` that sub-slice, parse only inside it, so a lying
//! length stays local. Packed fields (flags, 12-bit lengths, nibbles) are read with `nom::bits`
//! in the order the standard's syntax tables list them.
//!
//! Errors: the nom error type [`Fail`] either already holds the [`SiError`] a failure means, or
//! only says that a nom primitive ran out of input ([`Fail::Short`]); [`ctx`] gives that the
//! meaning of the field being read. [`finish`] turns a nom result into `Result<_, SiError>` at
//! the table boundary, so no nom type appears in the public API.

use crate::error::SiError;
use core::marker::PhantomData;
use nom::bits::bits;
use nom::bytes::take;
use nom::error::{ErrorKind, ParseError};
use nom::multi::length_data;
use nom::number::{be_u16, be_u8};
use nom::sequence::preceded;
use nom::{ErrorConvert, IResult, Mode, OutputMode, PResult, Parser};

/// The error of the SI parsers while inside nom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    /// A nom primitive ran out of input; [`ctx`] says which field that was.
    Short,
    /// The failure, already named.
    Si(SiError),
}

impl<I> ParseError<I> for Fail {
    fn from_error_kind(_: I, _: ErrorKind) -> Self {
        Fail::Short
    }
    fn append(_: I, _: ErrorKind, other: Self) -> Self {
        other
    }
}

/// Lets `nom::bits` hand its bit-level error back to the byte level unchanged.
impl ErrorConvert<Fail> for Fail {
    fn convert(self) -> Fail {
        self
    }
}

/// A nom result over section bytes.
pub(crate) type Res<'a, O> = IResult<&'a [u8], O, Fail>;
/// Input of a `nom::bits` parser: the bytes and the bit offset into the first one.
pub(crate) type Bits<'a> = (&'a [u8], usize);

/// `Truncated { what }`: fixed fields cut short.
pub(crate) const fn truncated(what: &'static str) -> SiError {
    SiError::Truncated { what }
}

/// `LengthOverrun { what }`: a length field runs past its container.
pub(crate) const fn overrun(what: &'static str) -> SiError {
    SiError::LengthOverrun { what }
}

/// Names a failure of `p` that nom reported as running short `err`; a failure already named
/// inside `p` is kept.
#[inline]
pub(crate) fn ctx<'a, O>(
    err: SiError,
    p: impl Parser<&'a [u8], Output = O, Error = Fail>,
) -> impl Parser<&'a [u8], Output = O, Error = Fail> {
    Named { err, p }
}

/// The parser [`ctx`] returns. A struct rather than a closure: nom's `Parser` impl for closures
/// is not inlined, and these wrap every field, so the hot loops paid a call per field.
struct Named<P> {
    err: SiError,
    p: P,
}

impl<'a, P: Parser<&'a [u8], Error = Fail>> Parser<&'a [u8]> for Named<P> {
    type Output = P::Output;
    type Error = Fail;

    #[inline(always)]
    fn process<OM: OutputMode>(&mut self, i: &'a [u8]) -> PResult<OM, &'a [u8], P::Output, Fail> {
        let err = self.err;
        let name = move |f: Fail| match f {
            Fail::Short => Fail::Si(err),
            named => named,
        };
        match self.p.process::<OM>(i) {
            Ok(r) => Ok(r),
            Err(nom::Err::Error(e)) => Err(nom::Err::Error(OM::Error::map(e, name))),
            Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(name(e))),
            Err(nom::Err::Incomplete(_)) => {
                Err(nom::Err::Error(OM::Error::bind(move || Fail::Si(err))))
            }
        }
    }
}

/// Maps a nom result to the public error at the table boundary. Every primitive is wrapped by
/// [`ctx`], so an unnamed failure does not happen; it would read as `Truncated { what: "SI field" }`.
#[inline]
pub(crate) fn finish<'a, O>(r: Res<'a, O>) -> Result<(&'a [u8], O), SiError> {
    r.map_err(|e| match e {
        nom::Err::Error(Fail::Si(e)) | nom::Err::Failure(Fail::Si(e)) => e,
        _ => truncated("SI field"),
    })
}

/// Runs `p` over `input` in complete mode; the bytes after what `p` reads are ignored (the
/// descriptor bodies may carry reserved or future bytes at the end).
#[inline]
pub(crate) fn run<'a, O>(
    mut p: impl Parser<&'a [u8], Output = O, Error = Fail>,
    input: &'a [u8],
) -> Result<O, SiError> {
    finish(p.parse_complete(input)).map(|(_, v)| v)
}

/// One byte, or `Truncated { what }`.
#[inline]
pub(crate) fn u8_f<'a>(what: &'static str) -> impl Parser<&'a [u8], Output = u8, Error = Fail> {
    ctx(truncated(what), be_u8())
}

/// A big-endian 16-bit value, or `Truncated { what }`.
#[inline]
pub(crate) fn u16_f<'a>(what: &'static str) -> impl Parser<&'a [u8], Output = u16, Error = Fail> {
    ctx(truncated(what), be_u16())
}

/// `N` bytes as an array (a language or country code, a raw time field), or `Truncated { what }`.
#[inline]
pub(crate) fn array<'a, const N: usize>(
    what: &'static str,
) -> impl Parser<&'a [u8], Output = [u8; N], Error = Fail> {
    ctx(
        truncated(what),
        take(N).map_opt(|b: &[u8]| <[u8; N]>::try_from(b).ok()),
    )
}

/// `n` bytes announced by a length field, or `LengthOverrun { what }`.
#[inline]
pub(crate) fn counted<'a>(
    what: &'static str,
    n: usize,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = Fail> {
    ctx(overrun(what), take(n))
}

/// An 8-bit length, then that many bytes: `Truncated { what }` without the length byte,
/// `LengthOverrun { what }` when the bytes run past the input.
#[inline]
pub(crate) fn len8<'a>(
    what: &'static str,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = Fail> {
    ctx(overrun(what), length_data(u8_f(what)))
}

/// A 16-bit field of 4 reserved bits and a 12-bit loop length (the shape of every SI outer loop,
/// e.g. ETSI EN 300 468 5.2.1 network_descriptors_length), then the loop:
/// `Truncated { what: field }` without the 2 bytes, `LengthOverrun { what }` past the input.
#[inline]
pub(crate) fn loop12<'a>(
    field: &'static str,
    what: &'static str,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = Fail> {
    ctx(
        overrun(what),
        length_data(packed(field, preceded(bits_u8::<4>(), bits_u16::<12>()))),
    )
}

/// Packed fields read with `nom::bits` from whole bytes, or `Truncated { what }`.
#[inline]
pub(crate) fn packed<'a, O>(
    what: &'static str,
    p: impl Parser<Bits<'a>, Output = O, Error = Fail>,
) -> impl Parser<&'a [u8], Output = O, Error = Fail> {
    ctx(truncated(what), bits::<_, _, Fail, Fail, _>(p))
}

/// An `N`-bit field (N ≤ 8) inside [`packed`].
pub(crate) fn bits_u8<const N: usize>() -> BitField<u8, N> {
    BitField(PhantomData)
}

/// An `N`-bit field (N ≤ 16) inside [`packed`].
pub(crate) fn bits_u16<const N: usize>() -> BitField<u16, N> {
    BitField(PhantomData)
}

/// A 1-bit flag inside [`packed`].
pub(crate) fn flag() -> BitField<bool, 1> {
    BitField(PhantomData)
}

/// An `N`-bit field read as `T`, a `nom::bits` parser.
pub(crate) struct BitField<T, const N: usize>(PhantomData<T>);

/// The types a [`BitField`] yields.
pub(crate) trait FromBits {
    /// `v` holds at most as many bits as the type.
    fn from_bits(v: u32) -> Self;
}

impl FromBits for u8 {
    fn from_bits(v: u32) -> Self {
        v as u8
    }
}

impl FromBits for u16 {
    fn from_bits(v: u32) -> Self {
        v as u16
    }
}

impl FromBits for bool {
    fn from_bits(v: u32) -> Self {
        v != 0
    }
}

impl<'a, T: FromBits, const N: usize> Parser<Bits<'a>> for BitField<T, N> {
    type Output = T;
    type Error = Fail;

    #[inline(always)]
    fn process<OM: OutputMode>(&mut self, i: Bits<'a>) -> PResult<OM, Bits<'a>, T, Fail> {
        match take_bits::<N>(i) {
            Some((rest, v)) => Ok((rest, OM::Output::bind(|| T::from_bits(v)))),
            None => Err(nom::Err::Error(OM::Error::bind(|| Fail::Short))),
        }
    }
}

/// Takes `N ≤ 16` bits from a `nom::bits` input, most significant first (the standards' bit
/// order). Does what `nom::bits::complete::take` does for these widths, but reads the at most 3
/// bytes involved at once, without a loop: nom's generic version loops bit group by bit group
/// and was not inlined, which made the section header 3 times slower in `benches/collector.rs`.
#[inline(always)]
fn take_bits<const N: usize>((input, offset): Bits<'_>) -> Option<(Bits<'_>, u32)> {
    const { assert!(N <= 16) };
    let end = offset + N; // offset < 8, so end <= 23: three bytes at most
    if input.len() * 8 < end {
        return None;
    }
    let byte = |k: usize| u32::from(input.get(k).copied().unwrap_or(0));
    let window = (byte(0) << 16) | (byte(1) << 8) | byte(2);
    let value = (window >> (24 - end)) & ((1u32 << N) - 1);
    let rest = input.get(end / 8..).unwrap_or_default();
    Some(((rest, end % 8), value))
}

/// Fails with `Truncated { what }` unless the input is a whole number of `n`-byte records, and
/// then yields it all (fixed-size entry loops such as content_descriptor's genre pairs).
pub(crate) fn whole_records<'a>(
    what: &'static str,
    n: usize,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = Fail> {
    ctx(
        truncated(what),
        nom::combinator::verify(nom::combinator::rest, move |b: &[u8]| {
            n != 0 && b.len() % n == 0
        }),
    )
}

/// The records of an already validated entry loop, read one by one with `p` until it fails or
/// the bytes run out.
pub(crate) fn records<'a, T>(
    raw: &'a [u8],
    mut p: impl Parser<&'a [u8], Output = T, Error = Fail> + 'a,
) -> impl Iterator<Item = T> + 'a {
    let mut rest = raw;
    core::iter::from_fn(move || {
        let (r, v) = p.parse_complete(rest).ok()?;
        // A record parser always reads something; stop rather than loop if one ever did not.
        (r.len() < rest.len()).then(|| {
            rest = r;
            v
        })
    })
}

/// A loop of variable-length entries (events, services, transport streams, broadcasters, items)
/// read one at a time. Once an entry fails to parse, the rest of the loop cannot be framed, so
/// the loop yields that error once and then ends: the iterators built on it are fused.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryLoop<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> EntryLoop<'a> {
    /// A loop over the entries in `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        EntryLoop {
            rest: buf,
            done: false,
        }
    }

    /// The next entry, read by `entry`; `None` at the end of the loop or after an error.
    pub(crate) fn next_entry<T>(
        &mut self,
        mut entry: impl Parser<&'a [u8], Output = T, Error = Fail>,
    ) -> Option<Result<T, SiError>> {
        if self.done || self.rest.is_empty() {
            return None;
        }
        match finish(entry.parse_complete(self.rest)) {
            Ok((rest, v)) => {
                self.rest = rest;
                Some(Ok(v))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_name_their_failures() {
        let i: &[u8] = &[1, 2, 3, 0x12, 0x34];
        let (i, a) = u8_f("a").parse_complete(i).unwrap();
        let (i, b) = u16_f("b").parse_complete(i).unwrap();
        assert_eq!((a, b), (1, 0x0203));
        assert_eq!(run(array::<3>("c"), i), Err(truncated("c")));
        assert_eq!(run(counted("d", 3), i), Err(overrun("d")));
        assert_eq!(run(counted("e", 2), i), Ok(&[0x12, 0x34][..]));
        assert_eq!(run(u8_f("f"), &[]), Err(truncated("f")));
        assert_eq!(run(u16_f("g"), &[1]), Err(truncated("g")));
    }

    #[test]
    fn len8_and_loop12_tell_a_missing_length_from_a_lying_one() {
        let (rest, v) = len8("s").parse_complete(&[2, 5, 6, 1][..]).unwrap();
        assert_eq!((v, rest), (&[5, 6][..], &[1][..]));
        assert_eq!(run(len8("s"), rest), Err(overrun("s")));
        assert_eq!(run(len8("s"), &[]), Err(truncated("s")));
        let (rest, v) = loop12("f", "l")
            .parse_complete(&[0xF0, 0x02, 9, 8, 7][..])
            .unwrap();
        assert_eq!((v, rest), (&[9, 8][..], &[7][..]));
        assert_eq!(
            run(loop12("f", "l"), &[0xF0, 0x03, 9, 8]),
            Err(overrun("l"))
        );
        assert_eq!(run(loop12("f", "l"), &[0xF0]), Err(truncated("f")));
    }

    #[test]
    fn packed_fields_read_in_syntax_order() {
        // 3 bits, 1 flag, 12 bits: 0b100_1_0000_0000_0101
        let p = || packed("p", (bits_u8::<3>(), flag(), bits_u16::<12>()));
        assert_eq!(run(p(), &[0x90, 0x05]), Ok((4, true, 5)));
        assert_eq!(run(p(), &[0x90]), Err(truncated("p")));
        // a partly read byte is consumed whole
        let (rest, v) = packed("q", bits_u8::<4>())
            .parse_complete(&[0xAB, 0xCD][..])
            .unwrap();
        assert_eq!((v, rest), (0xA, &[0xCD][..]));
    }

    #[test]
    fn whole_records_and_records() {
        assert_eq!(
            run(whole_records("r", 2), &[1, 2, 3, 4]),
            Ok(&[1, 2, 3, 4][..])
        );
        assert_eq!(run(whole_records("r", 2), &[1, 2, 3]), Err(truncated("r")));
        let v: Vec<u16> = records(&[0, 1, 0, 2, 9], be_u16()).collect();
        assert_eq!(v, vec![1, 2]);
    }

    #[test]
    fn entry_loop_fuses_on_the_first_error() {
        let mut l = EntryLoop::new(&[1, 2, 3]);
        assert_eq!(l.next_entry(u16_f("x")), Some(Ok(0x0102)));
        assert_eq!(l.next_entry(u16_f("x")), Some(Err(truncated("x"))));
        assert_eq!(l.next_entry(u16_f("x")), None);
        assert_eq!(EntryLoop::new(&[]).next_entry(u8_f("y")), None);
    }
}
