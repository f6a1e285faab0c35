//! From raw parts to the model: decodes every string once, at the end, with the decoder of the
//! stream's system, and builds the model's events from the merged parts.

use super::merge::EventAcc;
use super::raw::BasicRaw;
use crate::epg::model::{Audio, DataContent, Event, Series, System, Timestamp, Video};
use crate::text::{arib::AribDecoder, dvb::decode_dvb_parts, TextOptions};

/// Decodes strings with the decoder of the stream's system and counts replacements.
pub(crate) struct TextDecoder {
    system: System,
    /// `--symbols bracket`: DVB text too is written without characters above U+FFFF.
    bmp_only: bool,
    arib: AribDecoder,
    pub(crate) replacements: u64,
}

impl TextDecoder {
    pub(crate) fn new(system: System, opts: TextOptions) -> Self {
        TextDecoder {
            system,
            bmp_only: opts.symbols == crate::text::SymbolStyle::Bracket,
            arib: AribDecoder::new(opts),
            replacements: 0,
        }
    }

    /// Decodes the concatenation of `parts` as one string.
    pub(crate) fn decode(&mut self, parts: &[&[u8]]) -> String {
        let mut out = String::new();
        let n = match self.system {
            System::Isdb => self.arib.decode_parts_append(parts, &mut out),
            System::Dvb => {
                let d = decode_dvb_parts(parts);
                out = d.text;
                let missing = if self.bmp_only {
                    crate::text::arib::bmp_only(&mut out)
                } else {
                    0
                };
                d.replacements + missing
            }
        };
        if n > 0 {
            self.replacements += 1;
        }
        out
    }
}

fn lang(code: [u8; 3]) -> String {
    code.iter()
        .filter(|b| b.is_ascii_graphic())
        .map(|&b| char::from(b))
        .collect()
}

/// Builds the model event from everything known about it; `keep_all` uses extended items whose
/// sections have left the event too (it aired, or it is kept for want of a clock).
pub(crate) fn build_event(
    event_id: u16,
    e: &EventAcc,
    keep_all: bool,
    offset: i32,
    text: &mut TextDecoder,
) -> Event {
    let empty = BasicRaw::default();
    let basic = e.basic().unwrap_or(&empty);
    let timing = e.timing();
    let mut extended_text = Vec::new();
    // Items joined by raw bytes across descriptors: an empty description continues the
    // previous item (ARIB STD-B10 6.2.7, TR-B14).
    let mut joined: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for (items, t) in e.extended(keep_all).values() {
        for (desc, item) in items {
            match joined.last_mut() {
                Some(last) if desc.is_empty() => last.1.extend_from_slice(item),
                _ => joined.push((desc.clone(), item.clone())),
            }
        }
        extended_text.extend_from_slice(t);
    }
    let extended = joined
        .iter()
        .map(|(d, i)| (text.decode(&[d]), text.decode(&[i])))
        .collect();
    let sources: Vec<&'static str> = [
        (1, "pf/actual"),
        (2, "pf/other"),
        (4, "schedule/actual"),
        (8, "schedule/other"),
    ]
    .iter()
    .filter(|(bit, _)| e.sources & bit != 0)
    .map(|&(_, s)| s)
    .collect();
    Event {
        event_id,
        start: timing.start.map(|local| Timestamp {
            local,
            utc_offset: offset,
        }),
        duration: timing.duration,
        title: text.decode(&[&basic.title]),
        text: text.decode(&[&basic.text]),
        extended,
        extended_text: text.decode(&[&extended_text]),
        genres: basic.genres.clone(),
        video: basic.video.as_ref().map(|(sc, ct, tag, l, t)| Video {
            stream_content: *sc,
            component_type: *ct,
            component_tag: *tag,
            lang: lang(*l),
            text: text.decode(&[t]),
        }),
        audio: basic
            .audio
            .iter()
            .map(|a| Audio {
                stream_content: a.stream_content,
                component_tag: a.component_tag,
                stream_type: a.stream_type,
                simulcast_group_tag: a.simulcast_group_tag,
                main: a.main,
                quality: a.quality,
                sampling_rate: a.sampling_rate,
                lang: lang(a.lang),
                lang2: a.lang2.map(lang),
                multi_lingual: a.multi_lingual,
                component_type: a.component_type,
                text: text.decode(&[&a.text]),
            })
            .collect(),
        series: basic.series.as_ref().map(|s| Series {
            series_id: s.series_id,
            repeat_label: s.repeat_label,
            program_pattern: s.program_pattern,
            expire_date: s.expire_date.clone(),
            episode_number: s.episode_number,
            last_episode_number: s.last_episode_number,
            series_name: text.decode(&[&s.name]),
        }),
        event_group: basic.event_group.clone(),
        data_content: basic
            .data_content
            .as_ref()
            .map(|(id, entry, t)| DataContent {
                data_component_id: *id,
                entry_component: *entry,
                text: text.decode(&[t]),
            }),
        parental_rating: basic
            .parental_rating
            .iter()
            .map(|(c, r)| (lang(*c), *r))
            .collect(),
        free_ca_mode: timing.free_ca_mode,
        running_status: timing.running_status,
        sources,
        version_updated: e.version_updated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::SymbolStyle;

    #[test]
    fn bracket_mode_keeps_dvb_text_in_the_bmp() {
        let opts = TextOptions {
            symbols: SymbolStyle::Bracket,
            ..TextOptions::default()
        };
        // 0x15: UTF-8 (EN 300 468 Annex A.2); 🈔 has a bracket form, 😀 has none.
        let raw = [&[0x15][..], "Quiz 🈔 😀 ok".as_bytes()].concat();
        let mut d = TextDecoder::new(System::Dvb, opts);
        assert_eq!(d.decode(&[&raw]), "Quiz [二] 〓 ok");
        assert_eq!(d.replacements, 1);
        let mut d = TextDecoder::new(System::Dvb, TextOptions::default());
        assert_eq!(d.decode(&[&raw]), "Quiz 🈔 😀 ok");
    }
}
