//! Counters for everything the reader saw, skipped or refused.
//!
//! One struct, serialisable with serde, so the CLI can print it (`--stats`, `--stats=json`) and a
//! library user can inspect it. The JSON field names are a public interface: `packet_size`,
//! `packets`, `bytes`, `sync_losses`, `dropped_bytes`, `cc_errors`, `tei_packets`,
//! `scrambled_packets` and `sections` = { `ok`, `crc_errors`, `too_long`, `truncated`,
//! `by_table_id` }. Later stages add their own fields; existing names never change.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::fmt;

/// Counters of the whole pipeline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The packet stride in bytes (188, 192 or 204) that carried most packets; `None` when no
    /// packet sync was ever found.
    pub packet_size: Option<u16>,
    /// Transport packets read (all PIDs).
    pub packets: u64,
    /// Input bytes read.
    pub bytes: u64,
    /// Times an established packet sync was lost (a sync byte missing where one was due).
    pub sync_losses: u64,
    /// Input bytes that belonged to no packet (garbage before or between packets, a truncated
    /// last packet).
    pub dropped_bytes: u64,
    /// Continuity-counter discontinuities on the PIDs being read (ISO/IEC 13818-1 2.4.3.3).
    pub cc_errors: u64,
    /// Packets with transport_error_indicator set (all PIDs); skipped.
    pub tei_packets: u64,
    /// Packets with transport_scrambling_control ≠ 0 (all PIDs); skipped on the PIDs being read.
    pub scrambled_packets: u64,
    /// Packets on the PIDs being read whose adaptation_field_length runs past the packet, or
    /// whose adaptation_field_control is the reserved value 00; skipped.
    pub bad_adaptation: u64,
    /// Section-level counters.
    pub sections: SectionStats,
    /// Counters of the SI tables, descriptors and the EPG model built from the sections.
    pub si: SiStats,
    /// What the writer wrote, left out and filled in (set by the CLI after writing).
    pub output: OutputStats,
    /// The inputs read in parts (`--until-complete` on a regular file reads the head and the
    /// tail, see `job::head_tail`); absent from the JSON when every input was read whole.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub read_ranges: Vec<ReadRanges>,
    #[serde(skip)]
    pub(crate) stride_packets: [u64; 3],
}

/// The parts of one input file that were read, when it was not read whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadRanges {
    /// The input's position among the inputs as given (0-based).
    pub input: usize,
    /// The file's size in bytes.
    pub size: u64,
    /// The byte ranges read, `[start, end)`, in reading order.
    pub ranges: Vec<[u64; 2]>,
    /// Bytes between the ranges that were not read.
    pub skipped_bytes: u64,
    /// Tails read until one held a complete cycle (1 when the first did).
    pub tail_tries: u32,
}

/// Section-level counters (ISO/IEC 13818-1 2.4.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SectionStats {
    /// Complete sections that passed the CRC (or need none), repeats included.
    pub ok: u64,
    /// Complete sections whose CRC32/MPEG-2 failed, or long-form tables sent with
    /// section_syntax_indicator = 0.
    pub crc_errors: u64,
    /// Sections whose `section_length` exceeds 4093 (never copied; the PID resyncs at the next
    /// payload_unit_start_indicator).
    pub too_long: u64,
    /// Sections cut short by a new section start, a continuity gap or the end of the input.
    pub truncated: u64,
    /// Sections too short to hold their mandatory header and CRC.
    pub too_short: u64,
    /// pointer_field values pointing past the end of the packet.
    pub pointer_errors: u64,
    /// Valid sections per table_id, repeats included (keys "0x4e", lower-case hex).
    pub by_table_id: TableCounts,
}

/// Counters of the table, descriptor and model stages (filled by the EPG collector).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiStats {
    /// Services in the EPG model.
    pub services: u64,
    /// Events in the EPG model.
    pub events: u64,
    /// Table sections that could not be parsed (bad header or loop lengths).
    pub table_errors: u64,
    /// Event entries inside otherwise valid sections that were malformed and skipped.
    pub event_errors: u64,
    /// Descriptors that lied about their length (the rest of their loop was skipped).
    pub descriptor_errors: u64,
    /// Strings with undecodable bytes (replaced by U+FFFD or U+3013).
    pub text_replacements: u64,
    /// Events or services refused because a memory cap was reached.
    pub refused_by_cap: u64,
    /// Event entries refused because the model's byte budget was reached
    /// (`CollectorOptions::max_model_bytes`, `--memory-budget`).
    pub refused_by_budget: u64,
    /// Services whose every announced EIT sub-table is complete.
    pub services_complete: u64,
    /// Per service `"onid.tsid.sid"`: [sections received, sections announced] of its EIT
    /// sub-tables (p/f and schedule, current versions).
    pub completeness: std::collections::BTreeMap<String, [u32; 2]>,
    /// What the broadcaster's schedule changes did to the guide.
    pub changes: ChangeStats,
}

/// What the merge rules made of the broadcaster's changes (see `epg::merge`), counted once
/// over the final guide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeStats {
    /// Events the broadcaster withdrew (no current section announces them and they did not
    /// air), or kept events that an announced programme now replaces; left out of the guide.
    pub withdrawn_events: u64,
    /// Events no section announces any more that aired during the recording (present in p/f,
    /// or ended by the stream clock when they left the schedule); kept.
    pub kept_aired_events: u64,
    /// Events no section announces any more, kept because the stream has no clock (TOT/TDT)
    /// to tell whether they aired.
    pub kept_without_clock: u64,
    /// Kept events that were present, cut to end where the announced programme after them now
    /// starts (the last data they had still showed the end the broadcaster later changed).
    pub aired_events_trimmed: u64,
    /// Events whose start or duration came from p/f against a schedule that says otherwise.
    pub pf_timing_overrides: u64,
    /// Programmes that start before an earlier programme of the same service ends, as the
    /// broadcaster's newest data has them (kept, both of them).
    pub broadcast_overlaps: u64,
    /// Shared-event entries (event group descriptor, group_type 1, no content of their own)
    /// that took their content from the main event.
    pub shared_events_resolved: u64,
    /// Shared-event entries whose main event is not in the guide: kept in the model with an
    /// empty title, left out of programme listings.
    pub unresolved_shared_events: u64,
}

impl ChangeStats {
    fn merge(&mut self, o: &ChangeStats) {
        self.withdrawn_events += o.withdrawn_events;
        self.kept_aired_events += o.kept_aired_events;
        self.kept_without_clock += o.kept_without_clock;
        self.aired_events_trimmed += o.aired_events_trimmed;
        self.pf_timing_overrides += o.pf_timing_overrides;
        self.broadcast_overlaps += o.broadcast_overlaps;
        self.shared_events_resolved += o.shared_events_resolved;
        self.unresolved_shared_events += o.unresolved_shared_events;
    }
}

/// Counters of the writer (`WriteSummary` of [`crate::output`]): programmes written, events and
/// channels left out, stops filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutputStats {
    /// Channels written.
    pub channels: u64,
    /// Programmes written.
    pub programmes: u64,
    /// Events left out because their start is undefined.
    pub skipped_undefined_start: u64,
    /// Events left out because their title would be empty.
    pub skipped_untitled: u64,
    /// XMLTV channels left out because they have no programme.
    pub skipped_empty_channels: u64,
    /// Programmes of the epgdump dialects given a stop for an undefined duration.
    pub filled_stops: u64,
}

/// Section counts indexed by table_id; serialises as a map with only the non-zero entries,
/// keyed `"0x4e"` style.
#[derive(Clone, PartialEq, Eq)]
pub struct TableCounts(pub [u64; 256]);

impl Default for TableCounts {
    fn default() -> Self {
        TableCounts([0; 256])
    }
}

impl TableCounts {
    /// Adds one section of `table_id`.
    #[inline]
    pub fn add(&mut self, table_id: u8) {
        if let Some(c) = self.0.get_mut(usize::from(table_id)) {
            *c += 1;
        }
    }

    /// The count for `table_id`.
    pub fn get(&self, table_id: u8) -> u64 {
        self.0.get(usize::from(table_id)).copied().unwrap_or(0)
    }

    /// Non-zero `(table_id, count)` pairs in table_id order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, u64)> + '_ {
        (0u8..=255)
            .zip(self.0.iter().copied())
            .filter(|&(_, n)| n > 0)
    }
}

impl fmt::Debug for TableCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(t, n)| (format!("0x{t:02x}"), n)))
            .finish()
    }
}

impl Serialize for TableCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (t, n) in self.iter() {
            map.serialize_entry(&format!("0x{t:02x}"), &n)?;
        }
        map.end()
    }
}

impl Stats {
    /// Records `n` packets read at `stride` bytes, for [`Stats::packet_size`].
    pub(crate) fn add_stride_packets(&mut self, stride: usize, n: u64) {
        let slot = match stride {
            188 => 0,
            192 => 1,
            _ => 2,
        };
        if let Some(c) = self.stride_packets.get_mut(slot) {
            *c += n;
        }
        self.packets += n;
        let best = self
            .stride_packets
            .iter()
            .zip([188u16, 192, 204])
            .filter(|(n, _)| **n > 0)
            .max_by_key(|(n, _)| **n)
            .map(|(_, s)| s);
        self.packet_size = best;
    }

    /// Adds the counters of another run (several inputs merged into one guide). The model
    /// counters (`si.services`, `si.events`) are summed too; the caller may overwrite them with
    /// the merged guide's figures.
    pub fn merge(&mut self, o: &Stats) {
        self.bytes += o.bytes;
        self.sync_losses += o.sync_losses;
        self.dropped_bytes += o.dropped_bytes;
        self.cc_errors += o.cc_errors;
        self.tei_packets += o.tei_packets;
        self.scrambled_packets += o.scrambled_packets;
        self.bad_adaptation += o.bad_adaptation;
        let packets = self.packets;
        for (stride, n) in [188usize, 192, 204].into_iter().zip(o.stride_packets) {
            self.add_stride_packets(stride, n);
        }
        self.packets = packets + o.packets;
        let s = &mut self.sections;
        s.ok += o.sections.ok;
        s.crc_errors += o.sections.crc_errors;
        s.too_long += o.sections.too_long;
        s.truncated += o.sections.truncated;
        s.too_short += o.sections.too_short;
        s.pointer_errors += o.sections.pointer_errors;
        for (a, b) in s
            .by_table_id
            .0
            .iter_mut()
            .zip(o.sections.by_table_id.0.iter())
        {
            *a += b;
        }
        let si = &mut self.si;
        si.services += o.si.services;
        si.events += o.si.events;
        si.table_errors += o.si.table_errors;
        si.event_errors += o.si.event_errors;
        si.descriptor_errors += o.si.descriptor_errors;
        si.text_replacements += o.si.text_replacements;
        si.refused_by_cap += o.si.refused_by_cap;
        si.refused_by_budget += o.si.refused_by_budget;
        si.services_complete += o.si.services_complete;
        si.completeness
            .extend(o.si.completeness.iter().map(|(k, v)| (k.clone(), *v)));
        si.changes.merge(&o.si.changes);
        self.read_ranges.extend(o.read_ranges.iter().cloned());
    }

    /// A short human-readable table, for `--stats`.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let mut line = |k: &str, v: String| s.push_str(&format!("{k:<22} {v}\n"));
        line(
            "packet size",
            self.packet_size
                .map_or_else(|| "-".to_string(), |p| p.to_string()),
        );
        line("packets", self.packets.to_string());
        line("bytes", self.bytes.to_string());
        for r in &self.read_ranges {
            let ranges: Vec<String> = r.ranges.iter().map(|[a, b]| format!("{a}-{b}")).collect();
            line(
                "read ranges",
                format!(
                    "input {}: {} of {} bytes, {} skipped",
                    r.input,
                    ranges.join(" "),
                    r.size,
                    r.skipped_bytes
                ),
            );
        }
        line("sync losses", self.sync_losses.to_string());
        line("dropped bytes", self.dropped_bytes.to_string());
        line("cc errors", self.cc_errors.to_string());
        line("tei packets", self.tei_packets.to_string());
        line("scrambled packets", self.scrambled_packets.to_string());
        line("bad adaptation", self.bad_adaptation.to_string());
        let sec = &self.sections;
        line("sections ok", sec.ok.to_string());
        line("sections crc errors", sec.crc_errors.to_string());
        line("sections too long", sec.too_long.to_string());
        line("sections truncated", sec.truncated.to_string());
        line("sections too short", sec.too_short.to_string());
        line("pointer errors", sec.pointer_errors.to_string());
        let by: Vec<String> = sec
            .by_table_id
            .iter()
            .map(|(t, n)| format!("0x{t:02x}:{n}"))
            .collect();
        line("sections by table_id", by.join(" "));
        let si = &self.si;
        line("services", si.services.to_string());
        line("events", si.events.to_string());
        line("table errors", si.table_errors.to_string());
        line("event errors", si.event_errors.to_string());
        line("descriptor errors", si.descriptor_errors.to_string());
        line("text replacements", si.text_replacements.to_string());
        line("refused by cap", si.refused_by_cap.to_string());
        line("refused by budget", si.refused_by_budget.to_string());
        line(
            "services complete",
            format!("{} of {}", si.services_complete, si.completeness.len()),
        );
        let ch = &si.changes;
        line("withdrawn events", ch.withdrawn_events.to_string());
        line("kept aired events", ch.kept_aired_events.to_string());
        line("kept without clock", ch.kept_without_clock.to_string());
        line("aired events trimmed", ch.aired_events_trimmed.to_string());
        line("p/f timing overrides", ch.pf_timing_overrides.to_string());
        line("broadcast overlaps", ch.broadcast_overlaps.to_string());
        line(
            "shared events resolved",
            ch.shared_events_resolved.to_string(),
        );
        line("shared unresolved", ch.unresolved_shared_events.to_string());
        let out = &self.output;
        line("channels written", out.channels.to_string());
        line("programmes written", out.programmes.to_string());
        line(
            "left out: no start",
            out.skipped_undefined_start.to_string(),
        );
        line("left out: no title", out.skipped_untitled.to_string());
        line(
            "left out: no programme",
            out.skipped_empty_channels.to_string(),
        );
        line("stops filled in", out.filled_stops.to_string());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_counts_serialise_lowercase_nonzero_only() {
        let mut st = Stats::default();
        st.sections.by_table_id.add(0x4e);
        st.sections.by_table_id.add(0x4e);
        st.sections.by_table_id.add(0x00);
        let v = serde_json::to_value(&st).unwrap();
        assert_eq!(
            v["sections"]["by_table_id"],
            serde_json::json!({"0x00": 1, "0x4e": 2})
        );
        assert_eq!(v["packet_size"], serde_json::Value::Null);
    }

    #[test]
    fn packet_size_is_majority_stride() {
        let mut st = Stats::default();
        st.add_stride_packets(188, 3);
        st.add_stride_packets(204, 5);
        assert_eq!(st.packet_size, Some(204));
        assert_eq!(st.packets, 8);
    }
}
