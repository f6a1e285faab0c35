//! # epgdump — a crash-proof MPEG-TS EPG dumper
//!
//! Reads the programme guide (EIT, SDT, NIT, TOT) out of ISDB (ARIB) and DVB transport streams:
//! bytes → packets ([`ts`]) → sections ([`psi`]) → tables ([`si`]) → EPG model ([`epg`]) → writers
//! ([`output`]). Strings are decoded by [`text`] (ARIB STD-B24 8-unit code, DVB EN 300 468 Annex A).
//!
//! Design principles:
//! - **No input can make it panic, hang or overflow.** Every malformed unit (packet, section,
//!   descriptor, string) is counted in [`stats::Stats`] and skipped; the rest is still used.
//! - **Push is the core.** A memory-mapped file and a live tuner pipe go through the same
//!   `push(&[u8])`, and any chunking of the same bytes gives the same result.
//! - **Views borrow, the model owns.** Parsers are zero-copy views over the input; the EPG model is
//!   owned and serde-serialisable.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![deny(unsafe_code)]

pub mod epg;
pub mod error;
pub mod input;
pub mod output;
pub mod psi;
pub mod reader;
pub mod si;
pub mod stats;
pub mod text;
pub mod ts;

/// Fuzz entry points (feature `test-support`), replayed by `cargo test`.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub mod fuzzing;
/// Test builders (feature `test-support`; always compiled for the crate's own unit tests).
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod testsupport;
