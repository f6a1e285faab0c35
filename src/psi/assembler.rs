//! Reassembles the sections of one PID from packet payloads (ISO/IEC 13818-1 2.4.4.1–2.4.4.2).
//!
//! Handles pointer_field, several sections in one packet, sections spanning many packets, a
//! section header split across packets and 0xFF stuffing. A section that fits in one packet is
//! handed out as a slice of that packet (zero copy); only sections that span packets are copied
//! into the reassembly buffer, which never holds more than [`MAX_SECTION_SIZE`] bytes: a
//! `section_length` above [`MAX_SECTION_LENGTH`] is refused from its three header bytes alone,
//! before anything is copied (the C epgdump's MAXSECLEN crash).

use super::section::section_total_len;
use super::{MAX_SECTION_LENGTH, MAX_SECTION_SIZE};

/// What the assembler found in a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assembled<'a> {
    /// A whole section: `3 + section_length` bytes, not yet CRC-checked.
    Section(&'a [u8]),
    /// A `section_length` above 4093 was refused.
    TooLong,
    /// A partial section was dropped: a new section started first, or [`SectionAssembler::abandon`].
    Truncated,
    /// pointer_field points past the payload (or a PUSI payload is empty).
    PointerError,
}

/// Section reassembly state of one PID.
#[derive(Debug, Clone, Default)]
pub struct SectionAssembler {
    /// The partial section being collected (empty when idle).
    buf: Vec<u8>,
    collecting: bool,
}

impl SectionAssembler {
    /// An idle assembler.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a partial section is waiting for more payload.
    pub fn is_collecting(&self) -> bool {
        self.collecting
    }

    /// Feeds the payload of one packet; `pusi` is its payload_unit_start_indicator. Calls `emit`
    /// with every whole section and every problem, in stream order.
    pub fn push<F: FnMut(Assembled<'_>)>(&mut self, payload: &[u8], pusi: bool, mut emit: F) {
        if !pusi {
            if self.collecting {
                // Bytes after the end of the section are stuffing: a new section always starts
                // in a packet with PUSI set.
                self.extend(payload, &mut emit);
            }
            return;
        }
        let Some((tail, starts)) = payload
            .split_first()
            .and_then(|(&pointer, rest)| rest.split_at_checked(usize::from(pointer)))
        else {
            emit(Assembled::PointerError);
            if self.abandon() {
                emit(Assembled::Truncated);
            }
            return;
        };
        if self.collecting {
            self.extend(tail, &mut emit);
            // The previous section had to end before the new one started.
            if self.abandon() {
                emit(Assembled::Truncated);
            }
        }
        self.start(starts, &mut emit);
    }

    /// Drops a partial section (continuity gap, end of input); returns whether there was one,
    /// which the caller counts as truncated.
    pub fn abandon(&mut self) -> bool {
        let was = self.collecting;
        self.collecting = false;
        self.buf.clear();
        was
    }

    /// Starts sections at `data` (the bytes after pointer_field in a PUSI packet).
    fn start<F: FnMut(Assembled<'_>)>(&mut self, mut data: &[u8], emit: &mut F) {
        loop {
            match data.first() {
                None | Some(0xFF) => return, // end of payload, or stuffing to its end
                Some(_) => {}
            }
            let Some(total) = section_total_len(data) else {
                // Fewer than 3 bytes: the header continues in the next packet.
                self.begin(data);
                return;
            };
            if total - 3 > MAX_SECTION_LENGTH {
                emit(Assembled::TooLong);
                return; // where it ends is unknown: wait for the next PUSI
            }
            match data.split_at_checked(total) {
                Some((section, rest)) => {
                    emit(Assembled::Section(section));
                    data = rest;
                }
                None => {
                    self.begin(data);
                    return;
                }
            }
        }
    }

    fn begin(&mut self, data: &[u8]) {
        self.buf.clear();
        self.buf.extend_from_slice(data);
        self.collecting = true;
    }

    /// Continues the partial section with `data`; emits it when whole.
    fn extend<F: FnMut(Assembled<'_>)>(&mut self, mut data: &[u8], emit: &mut F) {
        if self.buf.len() < 3 {
            let take = (3 - self.buf.len()).min(data.len());
            let (head, rest) = data.split_at(take);
            self.buf.extend_from_slice(head);
            data = rest;
        }
        let Some(total) = section_total_len(&self.buf) else {
            return; // header still incomplete
        };
        if self.buf.first() == Some(&0xFF) {
            // The header split across packets turned out to be stuffing.
            self.collecting = false;
            self.buf.clear();
            return;
        }
        if total > MAX_SECTION_SIZE {
            emit(Assembled::TooLong);
            self.collecting = false;
            self.buf.clear();
            return;
        }
        let need = total.saturating_sub(self.buf.len());
        let take = need.min(data.len());
        self.buf
            .extend_from_slice(data.get(..take).unwrap_or_default());
        if self.buf.len() == total {
            emit(Assembled::Section(&self.buf));
            self.collecting = false;
            self.buf.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testsupport::long_section;

    use crate::stats::SectionStats;

    fn feed(
        asm: &mut SectionAssembler,
        payloads: &[(&[u8], bool)],
    ) -> (Vec<Vec<u8>>, SectionStats) {
        let mut st = SectionStats::default();
        let mut out = Vec::new();
        for (p, pusi) in payloads {
            asm.push(p, *pusi, |ev| match ev {
                Assembled::Section(s) => out.push(s.to_vec()),
                Assembled::TooLong => st.too_long += 1,
                Assembled::Truncated => st.truncated += 1,
                Assembled::PointerError => st.pointer_errors += 1,
            });
        }
        (out, st)
    }

    fn with_pointer(pointer: u8, rest: &[u8]) -> Vec<u8> {
        let mut v = vec![pointer];
        v.extend_from_slice(rest);
        v
    }

    #[test]
    fn several_sections_in_one_payload_then_stuffing() {
        let a = long_section(0x4E, 1, 0, 0, 0, &[1, 2, 3]);
        let b = long_section(0x4F, 2, 0, 0, 0, &[4]);
        let mut p = vec![0];
        p.extend(&a);
        p.extend(&b);
        p.extend([0xFF; 20]);
        let (out, st) = feed(&mut SectionAssembler::new(), &[(&p, true)]);
        assert_eq!(out, vec![a, b]);
        assert_eq!(st, SectionStats::default());
    }

    #[test]
    fn header_split_across_packets() {
        let a = long_section(0x50, 1, 0, 0, 0, &[7; 300]);
        for cut in [1, 2, 3, 4, 100] {
            let first = with_pointer(0, &a[..cut]);
            let (out, _) = feed(
                &mut SectionAssembler::new(),
                &[(&first, true), (&a[cut..], false)],
            );
            assert_eq!(out, vec![a.clone()], "cut at {cut}");
        }
    }

    #[test]
    fn pointer_field_completes_previous_section() {
        let a = long_section(0x50, 1, 0, 0, 0, &[7; 200]);
        let b = long_section(0x50, 1, 0, 1, 1, &[8; 10]);
        let first = with_pointer(0, &a[..150]);
        let mut second = vec![(a.len() - 150) as u8];
        second.extend(&a[150..]);
        second.extend(&b);
        let (out, st) = feed(
            &mut SectionAssembler::new(),
            &[(&first, true), (&second, true)],
        );
        assert_eq!(out, vec![a, b]);
        assert_eq!(st.truncated, 0);
    }

    #[test]
    fn new_pusi_before_completion_is_truncation() {
        let a = long_section(0x50, 1, 0, 0, 0, &[7; 300]);
        let b = long_section(0x4E, 1, 0, 0, 0, &[1]);
        let first = with_pointer(0, &a[..150]);
        let second = with_pointer(0, &b);
        let (out, st) = feed(
            &mut SectionAssembler::new(),
            &[(&first, true), (&second, true)],
        );
        assert_eq!(out, vec![b]);
        assert_eq!(st.truncated, 1);
    }

    #[test]
    fn too_long_is_refused_without_copying() {
        // The epgdump crash: a section claiming 4095 bytes that spans packets.
        let mut p = vec![0, 0x4E, 0xBF, 0xFF];
        p.extend([0xAB; 180]);
        let mut asm = SectionAssembler::new();
        let (out, st) = feed(&mut asm, &[(&p, true), (&[0xAB; 184], false)]);
        assert!(out.is_empty());
        assert_eq!(st.too_long, 1);
        assert!(!asm.is_collecting());
        assert!(asm.buf.capacity() <= MAX_SECTION_SIZE);
        // Header split so that the length arrives in the second packet.
        let (out, st) = feed(
            &mut SectionAssembler::new(),
            &[(&[0, 0x4E, 0xBF], true), (&[0xFF; 184], false)],
        );
        assert!(out.is_empty());
        assert_eq!(st.too_long, 1);
    }

    #[test]
    fn bad_pointer_and_empty_payload() {
        let (out, st) = feed(
            &mut SectionAssembler::new(),
            &[(&[200, 1, 2], true), (&[], true)],
        );
        assert!(out.is_empty());
        assert_eq!(st.pointer_errors, 2);
    }

    #[test]
    fn continuation_without_start_is_ignored() {
        let (out, st) = feed(&mut SectionAssembler::new(), &[(&[1, 2, 3, 4], false)]);
        assert!(out.is_empty());
        assert_eq!(st, SectionStats::default());
    }
}
