//! The push-based reader: bytes in any chunking → packets → sections → a [`SectionSink`].
//!
//! ```
//! use epgdump::reader::TsReader;
//! use epgdump::psi::Section;
//! use epgdump::stats::Stats;
//! use epgdump::ts::Pid;
//!
//! let mut eit_sections = 0;
//! let mut reader = TsReader::new(|_pid: Pid, s: Section<'_>, _: &mut Stats| {
//!     if (0x4E..=0x6F).contains(&s.table_id()) {
//!         eit_sections += 1;
//!     }
//! });
//! reader.push(&[0x47; 100]); // any chunk size, any alignment
//! let (_sink, stats) = reader.finish();
//! assert_eq!(stats.packets, 0);
//! ```

use crate::error::Error;
use crate::stats::Stats;
pub use crate::ts::demux::SectionSink;
use crate::ts::{Demux, PacketSync, PidFilter, PidSet};
use std::ops::ControlFlow;
use std::path::Path;

/// Reads a transport stream pushed in chunks and hands every valid section of the selected PIDs
/// to a sink.
pub struct TsReader<S> {
    sync: PacketSync,
    filter: PidFilter,
    demux: Demux,
    stats: Stats,
    sink: S,
}

impl<S: SectionSink> TsReader<S> {
    /// A reader of the default EPG PIDs ([`PidSet::epg`]).
    pub fn new(sink: S) -> Self {
        Self::with_pids(sink, &PidSet::epg())
    }

    /// A reader of the given PIDs.
    pub fn with_pids(sink: S, pids: &PidSet) -> Self {
        TsReader {
            sync: PacketSync::new(),
            filter: PidFilter::new(pids),
            demux: Demux::new(pids),
            stats: Stats::default(),
            sink,
        }
    }

    /// Feeds the next chunk of the stream: any size, including empty, cut anywhere.
    pub fn push(&mut self, chunk: &[u8]) {
        let TsReader {
            sync,
            filter,
            demux,
            stats,
            sink,
        } = self;
        let wanted = |header: u32| filter.matches_header(header);
        sync.push_hinted(chunk, wanted, |pkt| {
            // Most packets are video and audio: two inline bitmap tests are all they cost.
            if demux.wants(pkt.pid()) {
                demux.packet(pkt, stats, sink);
            }
        });
    }

    /// Ends the input: reads a last packet short of its framing bytes, counts partial sections
    /// as truncated, and returns the sink and the final counters.
    pub fn finish(mut self) -> (S, Stats) {
        let TsReader {
            sync,
            demux,
            stats,
            sink,
            ..
        } = &mut self;
        sync.finish(|pkt| demux.packet(pkt, stats, sink));
        demux.finish(stats);
        let stats = self.stats();
        (self.sink, stats)
    }

    /// Ends the input early, because the caller stopped reading (a limit, `--until-complete`):
    /// what was cut by the stop (the rest of a packet or of a section) was not read, so it is
    /// neither counted as dropped bytes nor as truncated sections, and [`Stats::bytes`] counts
    /// only the bytes read. Returns the sink and the final counters.
    pub fn finish_early(mut self) -> (S, Stats) {
        self.sync.discard_tail();
        self.demux.finish_early();
        let stats = self.stats();
        (self.sink, stats)
    }

    /// Transport packets found so far (cheaper than [`TsReader::stats`]).
    pub fn packets(&self) -> u64 {
        self.sync.counters().packets_by_stride.iter().sum()
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        let mut st = self.stats.clone();
        let c = self.sync.counters();
        st.bytes = c.bytes;
        st.sync_losses = c.sync_losses;
        st.dropped_bytes = c.dropped_bytes;
        st.tei_packets = c.tei_packets;
        st.scrambled_packets = c.scrambled_packets;
        st.packets = 0;
        for (n, stride) in c.packets_by_stride.iter().zip(crate::ts::sync::STRIDES) {
            st.add_stride_packets(stride, *n);
        }
        st
    }

    /// The sink.
    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// The sink, mutably.
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }
}

/// Reads a whole file (`-` for stdin) into `sink`: memory-mapped when it is a regular file,
/// read in chunks otherwise; the same push core either way.
///
/// # Errors
/// [`Error::Input`] when the input cannot be opened or read, [`Error::NotTransportStream`] when
/// it holds no transport packet at all (an empty file included).
pub fn read_path<S: SectionSink>(path: &Path, sink: S, pids: &PidSet) -> Result<(S, Stats), Error> {
    let mut reader = TsReader::with_pids(sink, pids);
    crate::input::for_each_chunk(path, |chunk| {
        reader.push(chunk);
        ControlFlow::Continue(())
    })
    .map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    let (sink, stats) = reader.finish();
    if stats.packets == 0 {
        return Err(Error::NotTransportStream {
            path: path.to_path_buf(),
            bytes: stats.bytes,
        });
    }
    Ok((sink, stats))
}
