//! The owned EPG model and the collector that builds it from sections.

pub mod collector;
pub mod model;

pub use collector::{Collector, CollectorOptions};
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
