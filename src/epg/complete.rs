//! Completeness of the EIT: which sections of each announced sub-table have arrived at their
//! current version (segments of 8 sections, ARIB TR-B14 / EN 300 468 5.2.4), and from that
//! whether a service's guide is whole. This is what `--until-complete` waits for.

use crate::epg::model::{Completeness, System};
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// (original_network_id, transport_stream_id, service_id).
pub(crate) type ServiceKey = (u16, u16, u16);

/// A sub-table's reception state, for completeness (segments of 8 sections, ARIB TR-B14 /
/// EN 300 468 5.2.4).
#[derive(Debug, Clone)]
pub(crate) struct SubTable {
    pub(crate) version: u8,
    pub(crate) last_section_number: u8,
    pub(crate) last_table_id: u8,
    received: [u64; 4],
    segment_last: [u8; 32],
}

impl SubTable {
    pub(crate) fn new(version: u8, last_section_number: u8, last_table_id: u8) -> Self {
        SubTable {
            version,
            last_section_number,
            last_table_id,
            received: [0; 4],
            segment_last: [0xFF; 32],
        }
    }

    pub(crate) fn mark(&mut self, section_number: u8, segment_last: u8) {
        let n = usize::from(section_number);
        if let Some(word) = self.received.get_mut(n / 64) {
            *word |= 1 << (n % 64);
        }
        if let Some(s) = self.segment_last.get_mut(n / 8) {
            *s = segment_last.clamp(section_number, section_number | 7);
        }
    }

    fn has(&self, n: usize) -> bool {
        self.received
            .get(n / 64)
            .is_some_and(|w| w & (1 << (n % 64)) != 0)
    }

    /// (received, expected, complete).
    pub(crate) fn progress(&self, segmented: bool) -> (u32, u32, bool) {
        let mut received = 0;
        let mut expected = 0;
        let mut complete = true;
        let last = usize::from(self.last_section_number);
        if !segmented {
            for n in 0..=last {
                expected += 1;
                if self.has(n) {
                    received += 1;
                } else {
                    complete = false;
                }
            }
            return (received, expected, complete);
        }
        for seg in 0..=last / 8 {
            let first = seg * 8;
            match self.segment_last.get(seg).copied() {
                Some(l) if l != 0xFF => {
                    for n in first..=usize::from(l).min(last) {
                        expected += 1;
                        if self.has(n) {
                            received += 1;
                        } else {
                            complete = false;
                        }
                    }
                }
                _ => {
                    expected += 1;
                    complete = false;
                }
            }
        }
        (received, expected, complete)
    }
}

/// Completeness per service from the sub-table states, keyed by (service, table_id). A family
/// is the run of tables from its first table id to the `last_table_id` it announces; a table
/// of the run never seen counts as one missing section.
pub(crate) fn completeness<S: BuildHasher>(
    subtables: &HashMap<(ServiceKey, u8), SubTable, S>,
    system: System,
) -> BTreeMap<ServiceKey, Completeness> {
    let mut out: BTreeMap<ServiceKey, Completeness> = BTreeMap::new();
    let segmented = |tid: u8| (0x50..=0x6F).contains(&tid);
    // Families: first table id of each group and the tables it announces.
    let mut families: BTreeMap<(ServiceKey, u8), u8> = BTreeMap::new();
    for ((key, tid), st) in subtables {
        let base = match tid {
            0x4E | 0x4F => *tid,
            t if system == System::Isdb => t & 0xF8,
            t => t & 0xF0,
        };
        let last = families.entry((*key, base)).or_insert(base);
        *last = (*last).max(st.last_table_id.max(*tid));
    }
    for ((key, base), last) in families {
        let entry = out.entry(key).or_insert(Completeness {
            received: 0,
            expected: 0,
            complete: true,
        });
        for tid in base..=last {
            match subtables.get(&(key, tid)) {
                Some(st) => {
                    let (r, e, c) = st.progress(segmented(tid));
                    entry.received += r;
                    entry.expected += e;
                    entry.complete &= c;
                }
                None => {
                    entry.expected += 1;
                    entry.complete = false;
                }
            }
        }
    }
    out
}
