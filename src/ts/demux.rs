//! PID demultiplexing with continuity checks (ISO/IEC 13818-1 2.4.3.3).
//!
//! The PID lookup is a flat table indexed by PID, not a hash map: it runs for every packet of
//! the input, and with the default filter 97 % of them are video and audio that must be passed
//! over as fast as possible.

use super::packet::{Packet, PayloadError, Pid};
use crate::psi::assembler::{Assembled, SectionAssembler};
use crate::psi::section::{Section, SectionCheck};
use crate::psi::verified::VerifiedSections;
use crate::stats::Stats;

/// Number of distinct PIDs.
const PID_COUNT: usize = 8192;

/// Receives every whole, valid section (CRC checked) in stream order.
pub trait SectionSink {
    /// One valid section from `pid`. `stats` is the run's counters, for the sink's own counts.
    fn section(&mut self, pid: Pid, section: Section<'_>, stats: &mut Stats);
}

impl<F: FnMut(Pid, Section<'_>, &mut Stats)> SectionSink for F {
    fn section(&mut self, pid: Pid, section: Section<'_>, stats: &mut Stats) {
        self(pid, section, stats)
    }
}

/// A set of PIDs to read sections from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidSet(Vec<Pid>);

impl PidSet {
    /// The EPG PIDs: NIT 0x0010, SDT/BAT 0x0011, EIT 0x0012, TDT/TOT 0x0014, BIT 0x0024 and the
    /// ISDB-T M-EIT/L-EIT 0x0026/0x0027 (ARIB STD-B10 Part 2 table 5-2).
    pub fn epg() -> PidSet {
        PidSet(vec![
            Pid::NIT,
            Pid::SDT,
            Pid::EIT,
            Pid::TOT,
            Pid::BIT,
            Pid::M_EIT,
            Pid::L_EIT,
        ])
    }

    /// Every PID except the null PID 0x1FFF: counts the sections of all tables (PAT, PMT, CAT,
    /// ECM/EMM, data carousels …), for diagnostics. PES packets (audio, video, captions: payload
    /// starting `00 00 01`) are recognised and skipped, not counted as sections.
    pub fn all() -> PidSet {
        PidSet((0..0x1FFF).map(Pid::new).collect())
    }

    /// An explicit set.
    pub fn new(pids: impl IntoIterator<Item = Pid>) -> PidSet {
        let mut v: Vec<Pid> = pids.into_iter().collect();
        v.sort();
        v.dedup();
        PidSet(v)
    }

    /// The PIDs in ascending order.
    pub fn pids(&self) -> &[Pid] {
        &self.0
    }
}

impl Default for PidSet {
    fn default() -> Self {
        PidSet::epg()
    }
}

/// A PID bitmap (1 KiB) for the packet loop's early look at each header: a copy of the demux's
/// selection that the sync stage can ask while the demux itself is busy with a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidFilter(Box<[u64; PID_COUNT / 64]>);

impl PidFilter {
    /// The filter of `pids`.
    pub fn new(pids: &PidSet) -> PidFilter {
        let mut bits = Box::new([0u64; PID_COUNT / 64]);
        for pid in pids.pids() {
            let v = usize::from(pid.value());
            if let Some(word) = bits.get_mut(v / 64) {
                *word |= 1 << (v % 64);
            }
        }
        PidFilter(bits)
    }

    /// Whether the packet whose first four bytes are `header` (big-endian) is on a selected PID.
    #[inline(always)]
    pub fn matches_header(&self, header: u32) -> bool {
        let pid = ((header >> 8) & 0x1FFF) as usize;
        self.0
            .get(pid / 64)
            .is_some_and(|&word| word & (1 << (pid % 64)) != 0)
    }
}

#[derive(Debug, Clone)]
struct PidState {
    pid: Pid,
    last_cc: Option<u8>,
    duplicate_seen: bool,
    /// The PID is carrying a PES packet (its last payload start was `00 00 01`).
    in_pes: bool,
    assembler: SectionAssembler,
}

/// Routes the packets of the selected PIDs to one section assembler each.
#[derive(Debug, Clone)]
pub struct Demux {
    /// PID → index + 1 into `states`; 0 = not selected. A fixed-size array indexed by a
    /// 13-bit value, so the lookup needs no bounds check.
    slots: Box<[u16; PID_COUNT]>,
    states: Vec<PidState>,
    /// Sections whose CRC passed, shared by all PIDs: repeats skip the CRC computation.
    verified: VerifiedSections,
}

impl Demux {
    /// A demultiplexer reading the sections of `pids`.
    pub fn new(pids: &PidSet) -> Demux {
        let mut slots = Box::new([0u16; PID_COUNT]);
        let mut states = Vec::new();
        for &pid in pids.pids() {
            if let Some(slot) = slots.get_mut(usize::from(pid.value())) {
                states.push(PidState {
                    pid,
                    last_cc: None,
                    duplicate_seen: false,
                    in_pes: false,
                    assembler: SectionAssembler::new(),
                });
                *slot = states.len() as u16;
            }
        }
        Demux {
            slots,
            states,
            verified: VerifiedSections::new(),
        }
    }

    /// Whether `pid` is read.
    #[inline(always)]
    pub fn wants(&self, pid: Pid) -> bool {
        self.slots
            .get(usize::from(pid.value()) & (PID_COUNT - 1))
            .is_some_and(|&s| s != 0)
    }

    /// Handles one packet. Packets of other PIDs return at once.
    #[inline(never)]
    pub fn packet<S: SectionSink + ?Sized>(
        &mut self,
        pkt: Packet<'_>,
        stats: &mut Stats,
        sink: &mut S,
    ) {
        let slot = match self
            .slots
            .get(usize::from(pkt.pid().value()) & (PID_COUNT - 1))
        {
            Some(&s) if s != 0 => usize::from(s - 1),
            _ => return,
        };
        if let Some(state) = self.states.get_mut(slot) {
            state.packet(pkt, &mut self.verified, stats, sink);
        }
    }

    /// End of input: partial sections are counted as truncated.
    pub fn finish(&mut self, stats: &mut Stats) {
        for st in &mut self.states {
            if st.assembler.abandon() {
                stats.sections.truncated += 1;
            }
        }
    }

    /// Early end of input (the caller stopped reading): partial sections are dropped without
    /// being counted, as the rest of them was simply not read.
    pub fn finish_early(&mut self) {
        for st in &mut self.states {
            st.assembler.abandon();
        }
    }
}

impl PidState {
    #[cold]
    fn cc_gap(&mut self, stats: &mut Stats) {
        stats.cc_errors += 1;
        if self.assembler.abandon() {
            stats.sections.truncated += 1;
        }
    }

    fn packet<S: SectionSink + ?Sized>(
        &mut self,
        pkt: Packet<'_>,
        verified: &mut VerifiedSections,
        stats: &mut Stats,
        sink: &mut S,
    ) {
        // TEI and scrambling are counted for every PID by the reader; here they only skip.
        if pkt.tei() || pkt.scrambling() != 0 {
            return;
        }
        if pkt.has_payload() {
            let cc = pkt.cc();
            match self.last_cc {
                Some(prev) if cc == prev => {
                    if self.duplicate_seen {
                        self.cc_gap(stats);
                    } else {
                        // A duplicate packet (sent at most twice in a row): ignore it.
                        self.duplicate_seen = true;
                        return;
                    }
                }
                Some(prev) if cc != (prev + 1) & 0x0F && !pkt.discontinuity() => self.cc_gap(stats),
                _ => {}
            }
            self.duplicate_seen = false;
            self.last_cc = Some(cc);
        }
        let payload = match pkt.payload() {
            Ok(p) => p,
            Err(PayloadError::BadAdaptationLength | PayloadError::ReservedAfc) => {
                stats.bad_adaptation += 1;
                return;
            }
        };
        if payload.is_empty() {
            return;
        }
        if pkt.pusi() {
            // A PES packet starts with packet_start_code_prefix 00 00 01 (ISO/IEC 13818-1
            // 2.4.3.6); a section payload starts with pointer_field and a table_id, and no
            // table can start `00 00 01` (a PAT has section_syntax_indicator 1). PES packets are
            // not sections: skip them whole instead of failing them as bad CRCs (--all-pids).
            self.in_pes = payload.starts_with(&[0, 0, 1]);
            if self.in_pes {
                if self.assembler.abandon() {
                    stats.sections.truncated += 1;
                }
                return;
            }
        } else if self.in_pes {
            return;
        }
        let pid = self.pid;
        self.assembler.push(payload, pkt.pusi(), |ev| match ev {
            Assembled::Section(bytes) => deliver(pid, bytes, verified, stats, sink),
            Assembled::TooLong => stats.sections.too_long += 1,
            Assembled::Truncated => stats.sections.truncated += 1,
            Assembled::PointerError => stats.sections.pointer_errors += 1,
        });
    }
}

/// Checks one whole section, counts it and hands it to the sink when valid. A byte-for-byte
/// repeat of a section whose CRC passed is valid without computing the CRC again
/// ([`VerifiedSections`]).
fn deliver<S: SectionSink + ?Sized>(
    pid: Pid,
    bytes: &[u8],
    verified: &mut VerifiedSections,
    stats: &mut Stats,
    sink: &mut S,
) {
    let Some(section) = Section::new(bytes) else {
        stats.sections.too_short += 1;
        return;
    };
    let check = if section.has_crc() && verified.contains(bytes) {
        SectionCheck::Ok
    } else {
        let check = section.check();
        if check == SectionCheck::Ok && section.has_crc() {
            verified.insert(bytes);
        }
        check
    };
    match check {
        SectionCheck::Ok => {
            stats.sections.ok += 1;
            stats.sections.by_table_id.add(section.table_id());
            sink.section(pid, section, stats);
        }
        SectionCheck::CrcError => stats.sections.crc_errors += 1,
        SectionCheck::TooShort => stats.sections.too_short += 1,
    }
}
