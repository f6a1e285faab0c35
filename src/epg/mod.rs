//! The owned EPG model and the collector that builds it from sections.
//!
//! How the guide follows the broadcaster's changes (the details in the `merge` module):
//! - **Schedule sections are authoritative.** Each section's newest received version replaces
//!   what its older content said; an event no current p/f or schedule section lists is no
//!   longer announced. ISDB basic and extended schedule tables are separate authorities.
//! - **What aired stays.** An event that was the present event of p/f, or that had ended by
//!   the stream clock (TOT/TDT) when it lost its last section, is kept; without any clock,
//!   nothing is withdrawn. Everything else that is no longer announced is withdrawn.
//! - **p/f decides timing** (start, duration, running status) whenever p/f carries the event,
//!   and for good once it was present; the basic part follows the same order.
//! - **No overlap we invent.** An event kept from the past yields to an announced one that
//!   overlaps it; overlaps in the announced data itself are kept and counted.
//! - **Shared events** (ARIB STD-B10 6.2.34, group_type 1) take the main event's content.
//!
//! Several inputs read one after the other into one [`Collector`] (with
//! [`Collector::begin_input`] between them) follow the same rules as one continuous stream.
//! Every decision is counted in [`crate::stats::ChangeStats`].

mod build;
pub mod collector;
mod complete;
mod merge;
pub mod model;
mod raw;
mod resolve;

pub use collector::{is_arib_network, Collector, CollectorOptions, DEFAULT_MODEL_BYTES};
pub use model::{Epg, Event, Service, System, Timestamp};

use crate::error::Error;
use crate::stats::Stats;
use crate::ts::PidSet;
use std::path::Path;

/// Reads the guide of a whole file (`-` for stdin): the easy way in.
///
/// ```no_run
/// let (epg, stats) = epgdump::epg::read_epg("rec.ts".as_ref(), Default::default())?;
/// for s in &epg.services {
///     println!("{} {}: {} events", s.sid, s.name, s.events.len());
/// }
/// # Ok::<(), epgdump::error::Error>(())
/// ```
///
/// # Errors
/// As [`crate::reader::read_path`].
pub fn read_epg(path: &Path, opts: CollectorOptions) -> Result<(Epg, Stats), Error> {
    let (collector, mut stats) =
        crate::reader::read_path(path, Collector::new(opts), &PidSet::epg())?;
    let epg = collector.finish(&mut stats);
    Ok((epg, stats))
}
