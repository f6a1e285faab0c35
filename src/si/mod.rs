//! SI tables (EIT, SDT, NIT, TOT/TDT, BIT) and their descriptors, as zero-copy views over section
//! bytes (ETSI EN 300 468; ARIB STD-B10).
//!
//! Input is always one complete, CRC-checked section (table_id through CRC_32) from [`crate::psi`].
//! Shape of the API:
//!
//! - **Validated once, then cheap.** `Table::parse(&[u8])` checks the header and every length the
//!   accessors depend on, so accessors return plain values. Nothing is copied: views borrow the
//!   section, text fields are raw `&[u8]` for [`crate::text`] to decode.
//! - **Lazy loops that fuse.** Event/service/TS/descriptor loops are iterators of
//!   `Result<Item, SiError>`. A loop whose length lies yields one `Err` and stops, because the
//!   length was the only way to find the next item; the errors stay local to that loop, so the
//!   events before a bad event, and the other descriptors of other events, are still delivered.
//! - **Context picks the descriptor parser.** Descriptor tags are context-dependent, so callers
//!   choose a typed view (`ShortEvent::parse(body)` or `descriptor.view::<ShortEvent>()`); unknown
//!   tags are just yielded by [`descriptor::Descriptors`] and can be skipped.
//! - **No panics.** Bodies are read with nom in complete mode (framed sub-slices, `be_u8`/`be_u16`,
//!   `nom::bits` for packed fields); no indexing, no unwraps. nom's errors become [`SiError`]
//!   at the table boundary, so no nom type is part of this API.
//!
//! [`SiError`]: crate::error::SiError

pub mod bit;
pub mod descriptor;
pub mod eit;
pub mod genre;
pub mod nit;
pub(crate) mod parse;
pub mod sdt;
pub mod section;
pub mod time;
pub mod tot;

pub use bit::Bit;
pub use descriptor::{Descriptor, DescriptorView, Descriptors};
pub use eit::{Eit, EventView};
pub use nit::{Nit, TransportStreamView};
pub use sdt::{Sdt, ServiceView};
pub use section::{LongHeader, LongSection, ShortSection};
pub use time::{CivilDate, CivilTime};
pub use tot::Tot;
