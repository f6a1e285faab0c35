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
//!
//! # Which entry point do I want?
//!
//! | I want to … | use |
//! |---|---|
//! | do what the CLI does: one or several inputs in stream-time order, limits, per-input errors, exit status | [`job::dump`] (then [`output::path::OutputPath`] to write by the output-path rules) |
//! | read a whole file (or stdin) into a guide, nothing more | [`epg::read_epg`] |
//! | feed a live tuner pipe chunk by chunk | [`reader::TsReader`] with an [`epg::Collector`] |
//! | see every section myself | [`reader::TsReader`] with a closure as the [`reader::SectionSink`] |
//! | read one table section | [`si::Eit::parse`], [`si::Sdt::parse`], [`si::Nit::parse`], [`si::Tot::parse`], [`si::Bit::parse`] |
//! | read a descriptor loop | [`si::Descriptors`], then [`si::Descriptor::view`] (e.g. [`si::descriptor::ShortEvent`]) |
//! | decode ARIB or DVB text | [`text::decode_arib`], [`text::decode_dvb`] |
//! | write the guide | [`output::write_xmltv`], [`output::write_json`], [`output::write_jsonl`], [`output::write_epgdump_xml`] |
//! | follow one programme live through p/f (recorders that must not cut an overrun) | [`follow::Follower`] |
//! | write the guide as a page to look at | [`output::html::write_html`] |
//! | know what was skipped and why | [`stats::Stats`] (serde-serialisable, as `--stats=json` prints it) |
//!
//! ## Run the CLI's job
//!
//! ```
//! let opts = epgdump::job::DumpOptions::default();
//! let outcome = epgdump::job::dump(&["testdata/sample-bs.ts".into()], &opts, &mut |_| {});
//! for line in outcome.failure_lines() {
//!     eprintln!("{line}"); // a missing or non-TS input, named
//! }
//! assert!(outcome.epg.services.iter().any(|s| !s.events.is_empty()));
//! println!("exit status {}", outcome.exit_status(None).code());
//! ```
//!
//! ## Read a whole file
//!
//! ```
//! let (epg, stats) = epgdump::epg::read_epg("testdata/sample-bs.ts".as_ref(), Default::default())?;
//! let first = &epg.services[0];
//! println!("{} has {} events", first.name, first.events.len());
//! assert!(stats.si.events > 0);
//! # Ok::<(), epgdump::error::Error>(())
//! ```
//!
//! ## Feed a live stream
//!
//! Any chunking of the same bytes gives the same guide.
//!
//! ```
//! use epgdump::epg::Collector;
//! use epgdump::reader::TsReader;
//!
//! let bytes = std::fs::read("testdata/sample-bs.ts")?; // stands in for a tuner pipe
//! let mut reader = TsReader::new(Collector::default());
//! for chunk in bytes.chunks(1000) {
//!     reader.push(chunk);
//!     if reader.sink().is_complete() {
//!         break; // every announced schedule is in
//!     }
//! }
//! let (collector, mut stats) = reader.finish();
//! let epg = collector.finish(&mut stats);
//! assert!(!epg.services.is_empty());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! ## Read tables and descriptors yourself
//!
//! ```
//! use epgdump::psi::Section;
//! use epgdump::reader::TsReader;
//! use epgdump::si::{descriptor::ShortEvent, Eit};
//! use epgdump::stats::Stats;
//! use epgdump::ts::Pid;
//!
//! let mut titles = 0;
//! let mut reader = TsReader::new(|_: Pid, s: Section<'_>, _: &mut Stats| {
//!     let Ok(eit) = Eit::parse(s.bytes()) else { return };
//!     for event in eit.events().flatten() {
//!         for d in event.descriptors().flatten() {
//!             if let Some(Ok(se)) = d.view::<ShortEvent>() {
//!                 // raw ARIB bytes: decode with epgdump::text::decode_arib
//!                 titles += usize::from(!se.event_name.is_empty());
//!             }
//!         }
//!     }
//! });
//! reader.push(&std::fs::read("testdata/sample-bs.ts")?);
//! reader.finish();
//! assert!(titles > 0);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! ## Decode text
//!
//! ```
//! use epgdump::text::{decode_arib, TextOptions};
//! let d = decode_arib(&[0x89, 0x0E, 0x48, 0x44, 0x0F, 0x46, 0x7C, 0x4B, 0x5C], &TextOptions::default());
//! assert_eq!((d.text.as_str(), d.replacements), ("HD日本", 0));
//! ```
//!
//! ## Write the guide
//!
//! ```
//! use epgdump::output::{write_xmltv, OutputOptions};
//! let (epg, _stats) = epgdump::epg::read_epg("testdata/sample-bs.ts".as_ref(), Default::default())?;
//! let mut xml = Vec::new();
//! let written = write_xmltv(&epg, &OutputOptions::default(), &mut xml)?;
//! assert!(written.programmes > 0 && xml.starts_with(b"<?xml"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Count what went wrong
//!
//! ```
//! let (_epg, stats) = epgdump::epg::read_epg("testdata/sample-bs.ts".as_ref(), Default::default())?;
//! let json = serde_json::to_string(&stats)?; // what `--stats=json` prints
//! assert_eq!(stats.sections.crc_errors, 0);
//! assert!(json.contains("\"crc_errors\":0"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `test-support` (off by default): the builders in `testsupport` and the fuzz entry points
//!   in `fuzzing`, for this crate's own tests, benches, examples and fuzz targets. Not part of
//!   the supported API.
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
#![warn(missing_docs)]

pub mod epg;
pub mod error;
pub mod follow;
pub mod input;
pub mod job;
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

/// The README's Rust examples, compiled and run as doctests so the front door stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
