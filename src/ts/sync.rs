//! Packet synchronisation: finds the 0x47 sync bytes and the packet stride in any chunking of the
//! input (ISO/IEC 13818-1 2.4.3.2; 192-byte M2TS/TTS framing with a 4-byte prefix; 204-byte
//! framing with 16 trailing Reed–Solomon bytes).
//!
//! The decision to lock depends only on the bytes, never on where the chunks were cut, so any
//! chunking of the same input gives the same packets: lock needs [`LOCK_SYNCS`] sync bytes at one
//! stride; while the lookahead for that is not there yet the undecided bytes wait in a small
//! carry buffer (at most [`CARRY_CAP`] bytes). Once locked, whole packets are read straight from
//! the caller's chunk; only a packet cut by a chunk boundary is copied.

use super::packet::{Packet, PACKET_SIZE, SYNC_BYTE};

/// Sync bytes in a row at one stride needed to lock (or relock after a loss).
pub const LOCK_SYNCS: usize = 5;
/// The largest number of bytes ever held between pushes.
pub const CARRY_CAP: usize = 2048;
/// Supported strides, in the order they are tried.
pub const STRIDES: [usize; 3] = [188, 192, 204];
/// Packets whose headers are loaded ahead in one pass of the hot loop (about 16 KiB of header
/// cache lines).
const PREFETCH_BLOCK: usize = 256;
/// Bytes before the sync byte that belong to a 192-byte unit (the M2TS TP_extra_header).
const M2TS_PREFIX: usize = 4;

/// Loads one byte of every cache line of `unit` after its first (which holds the header), so
/// the lines are fetched now. Returns them combined, for `black_box`, so the loads stay.
#[inline(always)]
fn touch_lines(unit: &[u8]) -> u8 {
    let mut x = unit.last().copied().unwrap_or(0);
    let mut off = 64;
    while let Some(&b) = unit.get(off) {
        x ^= b;
        off += 64;
    }
    x
}

/// Counters kept by the sync stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounters {
    /// Bytes pushed.
    pub bytes: u64,
    /// Packets emitted at 188, 192 and 204-byte strides.
    pub packets_by_stride: [u64; 3],
    /// Established syncs lost.
    pub sync_losses: u64,
    /// Bytes that belonged to no packet.
    pub dropped_bytes: u64,
    /// Packets with transport_error_indicator set.
    pub tei_packets: u64,
    /// Packets with transport_scrambling_control ≠ 0.
    pub scrambled_packets: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Search,
    Locked { stride: usize },
}

enum Search {
    /// Lock at `skip` with `stride`.
    Found { skip: usize, stride: usize },
    /// The first `skip` bytes are garbage; the rest is undecided.
    NeedMore { skip: usize },
}

/// Push-fed packet synchroniser. See the module docs.
#[derive(Debug, Clone)]
pub struct PacketSync {
    carry: Vec<u8>,
    state: State,
    prefer: usize,
    locked_once: bool,
    counters: SyncCounters,
}

impl Default for PacketSync {
    fn default() -> Self {
        Self::new()
    }
}

impl PacketSync {
    /// A synchroniser that has seen no bytes.
    pub fn new() -> Self {
        PacketSync {
            carry: Vec::with_capacity(CARRY_CAP),
            state: State::Search,
            prefer: 188,
            locked_once: false,
            counters: SyncCounters::default(),
        }
    }

    /// The counters so far.
    pub fn counters(&self) -> SyncCounters {
        self.counters
    }

    /// The current stride, when locked.
    pub fn stride(&self) -> Option<usize> {
        match self.state {
            State::Locked { stride } => Some(stride),
            State::Search => None,
        }
    }

    /// Feeds a chunk of any size; calls `on_packet` for every whole packet found.
    pub fn push<F: FnMut(Packet<'_>)>(&mut self, data: &[u8], on_packet: F) {
        self.push_hinted(data, |_| false, on_packet);
    }

    /// [`push`](Self::push) with a hint: `wanted(header)` is asked, ahead of `on_packet`, for
    /// each packet's 32-bit header, and the rest of a wanted packet's bytes are then loaded early,
    /// next to the header loads. The packets a reader keeps (a few percent: the SI PIDs) are then
    /// already in cache when their payload is copied and checked, instead of each costing a
    /// DRAM miss of its own in the middle of that work. The hint changes speed, never results.
    pub fn push_hinted<H: Fn(u32) -> bool, F: FnMut(Packet<'_>)>(
        &mut self,
        data: &[u8],
        wanted: H,
        mut on_packet: F,
    ) {
        self.counters.bytes += data.len() as u64;
        let mut data = data;
        while !self.carry.is_empty() && !data.is_empty() {
            let take = (CARRY_CAP - self.carry.len()).min(data.len());
            let (head, tail) = data.split_at(take);
            self.carry.extend_from_slice(head);
            let mut carry = std::mem::take(&mut self.carry);
            let consumed = self.process(&carry, false, &wanted, &mut on_packet);
            let remaining = carry.len() - consumed;
            if remaining <= take {
                // Everything carried before this chunk is used up: go on in the chunk itself.
                carry.clear();
                self.carry = carry;
                data = data.get(take - remaining..).unwrap_or_default();
                break;
            }
            if consumed == 0 && take == 0 {
                // Cannot happen (a full carry always decides); drop a byte rather than spin.
                carry.remove(0);
                self.counters.dropped_bytes += 1;
            } else {
                carry.drain(..consumed);
            }
            self.carry = carry;
            data = tail;
        }
        if self.carry.is_empty() && !data.is_empty() {
            let consumed = self.process(data, false, &wanted, &mut on_packet);
            let rest = data.get(consumed..).unwrap_or_default();
            // By construction rest < CARRY_CAP; keep memory bounded even if that were wrong.
            let keep = rest.len().min(CARRY_CAP);
            self.counters.dropped_bytes += (rest.len() - keep) as u64;
            self.carry
                .extend_from_slice(rest.get(rest.len() - keep..).unwrap_or_default());
        }
    }

    /// Flushes what is left at the end of the input: a last packet whose trailing framing bytes
    /// are missing is still read; anything else left counts as dropped.
    pub fn finish<F: FnMut(Packet<'_>)>(&mut self, mut on_packet: F) {
        let carry = std::mem::take(&mut self.carry);
        let consumed = self.process(&carry, true, &|_| false, &mut on_packet);
        self.counters.dropped_bytes += (carry.len() - consumed) as u64;
        self.carry = carry;
        self.carry.clear();
    }

    /// Ends the input early (the caller stopped reading, e.g. `--until-complete`): the bytes
    /// still carried (a packet cut by the last chunk's end, or undecided bytes while searching)
    /// were never read, so they are taken back out of [`SyncCounters::bytes`] and not counted
    /// as dropped.
    pub fn discard_tail(&mut self) {
        self.counters.bytes = self.counters.bytes.saturating_sub(self.carry.len() as u64);
        self.carry.clear();
    }

    /// Reads packets from `buf`; returns how many leading bytes are done with.
    fn process<H: Fn(u32) -> bool, F: FnMut(Packet<'_>)>(
        &mut self,
        buf: &[u8],
        last: bool,
        wanted: &H,
        on_packet: &mut F,
    ) -> usize {
        let mut pos = 0;
        loop {
            match self.state {
                State::Locked { stride } => {
                    let rest = buf.get(pos..).unwrap_or_default();
                    let mut n = 0usize;
                    let mut lost = false;
                    let (mut tei, mut scrambled) = (0u64, 0u64);
                    // The hot loop, in blocks of PREFETCH_BLOCK packets. A first pass only loads
                    // each packet's header word (and the other lines of a packet `wanted`
                    // accepts): a loop that small keeps many cache misses in flight (the input
                    // comes from DRAM). The second pass then finds the headers
                    // in L1: one sync-byte check, two header bits counted in registers, one
                    // callback per packet.
                    'blocks: for block in rest.chunks(stride * PREFETCH_BLOCK) {
                        let mut headers = [0u32; PREFETCH_BLOCK];
                        let mut touched = 0u8;
                        for (h, unit) in headers.iter_mut().zip(block.chunks_exact(stride)) {
                            if let Some(&[a, b, c, d]) = unit.first_chunk::<4>() {
                                *h = u32::from_be_bytes([a, b, c, d]);
                                if wanted(*h) {
                                    touched ^= touch_lines(unit);
                                }
                            }
                        }
                        std::hint::black_box(touched);
                        for (&h, unit) in headers.iter().zip(block.chunks_exact(stride)) {
                            let Some(p) = Packet::new(unit) else {
                                break 'blocks;
                            };
                            if h >> 24 != u32::from(SYNC_BYTE) {
                                lost = true;
                                break 'blocks;
                            }
                            tei += u64::from((h >> 23) & 1);
                            scrambled += u64::from(h & 0xC0 != 0);
                            on_packet(p);
                            n += 1;
                        }
                    }
                    pos += n * stride;
                    self.counters.tei_packets += tei;
                    self.counters.scrambled_packets += scrambled;
                    self.count_packets(stride, n as u64);
                    if lost {
                        self.counters.sync_losses += 1;
                        self.state = State::Search;
                        continue;
                    }
                    if last {
                        let rest = buf.get(pos..).unwrap_or_default();
                        if rest.len() >= PACKET_SIZE && rest.first() == Some(&SYNC_BYTE) {
                            if let Some(p) = Packet::new(rest) {
                                self.counters.tei_packets += u64::from(p.tei());
                                self.counters.scrambled_packets += u64::from(p.scrambling() != 0);
                                on_packet(p);
                                self.count_packets(stride, 1);
                                pos = buf.len();
                            }
                        }
                    }
                    return pos;
                }
                State::Search => {
                    let rest = buf.get(pos..).unwrap_or_default();
                    match self.search(rest, last) {
                        Search::Found { skip, stride } => {
                            let prefix = if stride == 192 {
                                M2TS_PREFIX.min(skip)
                            } else {
                                0
                            };
                            self.counters.dropped_bytes += (skip - prefix) as u64;
                            pos += skip;
                            self.state = State::Locked { stride };
                            self.prefer = stride;
                            self.locked_once = true;
                        }
                        Search::NeedMore { skip } => {
                            self.counters.dropped_bytes += skip as u64;
                            return pos + skip;
                        }
                    }
                }
            }
        }
    }

    fn count_packets(&mut self, stride: usize, n: u64) {
        let slot = STRIDES.iter().position(|&s| s == stride).unwrap_or(0);
        if let Some(c) = self.counters.packets_by_stride.get_mut(slot) {
            *c += n;
        }
    }

    /// Looks for the first position where [`LOCK_SYNCS`] sync bytes follow at one stride.
    fn search(&self, buf: &[u8], last: bool) -> Search {
        let order = [self.prefer, 188, 192, 204];
        let mut from = 0;
        while let Some(off) = buf
            .get(from..)
            .and_then(|b| b.iter().position(|&x| x == SYNC_BYTE))
        {
            let i = from + off;
            let mut undecided = false;
            for (k, &stride) in order.iter().enumerate() {
                if k > 0 && stride == self.prefer {
                    continue;
                }
                match self.check(buf, i, stride, last) {
                    Some(true) => return Search::Found { skip: i, stride },
                    Some(false) => {}
                    None => {
                        undecided = true;
                        break;
                    }
                }
            }
            if undecided {
                // Keep the bytes that could be an M2TS prefix of the candidate, so the count of
                // dropped bytes does not depend on the chunking.
                return Search::NeedMore {
                    skip: i.saturating_sub(M2TS_PREFIX),
                };
            }
            from = i + 1;
        }
        Search::NeedMore {
            skip: buf.len().saturating_sub(M2TS_PREFIX),
        }
    }

    /// Whether a lock at `i` with `stride` holds: `Some(true/false)`, or `None` when more bytes
    /// are needed to tell.
    fn check(&self, buf: &[u8], i: usize, stride: usize, last: bool) -> Option<bool> {
        if buf.len() < i + PACKET_SIZE {
            return if last { Some(false) } else { None };
        }
        for k in 1..LOCK_SYNCS {
            match buf.get(i + k * stride) {
                Some(&SYNC_BYTE) => {}
                Some(_) => return Some(false),
                None if last => {
                    // End of input: accept a shorter run if it is all there is. A single packet is
                    // accepted only after a lock was seen, or when it is the whole input.
                    let whole_input = i <= M2TS_PREFIX && self.counters.bytes == buf.len() as u64;
                    return Some(k >= 2 || self.locked_once || whole_input);
                }
                None => return None,
            }
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packets(n: usize, stride: usize) -> Vec<u8> {
        let mut v = Vec::new();
        for i in 0..n {
            let mut unit = vec![0u8; stride];
            let s = if stride == 192 { 4 } else { 0 };
            unit[s] = SYNC_BYTE;
            unit[s + 1] = (i >> 8) as u8 & 0x1F;
            unit[s + 2] = i as u8;
            v.extend(unit);
        }
        v
    }

    fn run(chunks: &[&[u8]]) -> (Vec<u16>, SyncCounters) {
        let mut s = PacketSync::new();
        let mut pids = Vec::new();
        for c in chunks {
            s.push(c, |p| pids.push(p.pid().value()));
        }
        s.finish(|p| pids.push(p.pid().value()));
        (pids, s.counters())
    }

    #[test]
    fn all_strides_lock_with_no_drops() {
        for stride in STRIDES {
            let data = packets(20, stride);
            let (pids, c) = run(&[&data]);
            assert_eq!(pids, (0..20).collect::<Vec<u16>>(), "stride {stride}");
            assert_eq!(c.dropped_bytes, 0, "stride {stride}");
            assert_eq!(c.sync_losses, 0);
        }
    }

    #[test]
    fn garbage_then_resync() {
        let mut data = vec![0x47, 1, 2, 3, 0x47, 9];
        data.extend(packets(10, 188));
        data.extend([0u8; 100]);
        data.extend(packets(10, 188));
        let (pids, c) = run(&[&data]);
        assert_eq!(pids.len(), 20);
        assert_eq!(c.sync_losses, 1);
        assert_eq!(c.dropped_bytes, 106);
    }

    #[test]
    fn byte_by_byte_equals_whole() {
        let mut data = vec![0x47, 0x47, 0];
        data.extend(packets(7, 204));
        data.extend([0x47; 50]);
        data.extend(packets(9, 192));
        data.extend([1, 2, 3]);
        let whole = run(&[&data]);
        let bytes: Vec<&[u8]> = data.chunks(1).collect();
        assert_eq!(run(&bytes), whole);
        for size in [2, 3, 187, 188, 189, 500, 2047, 2048, 4000] {
            let parts: Vec<&[u8]> = data.chunks(size).collect();
            assert_eq!(run(&parts), whole, "chunk size {size}");
        }
        assert_eq!(whole.0.len(), 16);
    }

    #[test]
    fn not_ts_gives_no_packets() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let (pids, c) = run(&[&data]);
        assert!(pids.is_empty());
        assert_eq!(c.dropped_bytes, 10_000);
        let (pids, _) = run(&[&[]]);
        assert!(pids.is_empty());
    }

    #[test]
    fn short_inputs_at_end() {
        // One whole packet is a transport stream; three are too (fewer than LOCK_SYNCS).
        assert_eq!(run(&[&packets(1, 188)]).0.len(), 1);
        assert_eq!(run(&[&packets(3, 188)]).0.len(), 3);
        // A truncated last packet is dropped and counted.
        let data = packets(6, 188);
        let (pids, c) = run(&[&data[..data.len() - 10]]);
        assert_eq!(pids.len(), 5);
        assert_eq!(c.dropped_bytes, 178);
    }
}
