//! The raw parts of an event as its descriptors carry them, strings still undecoded: what a
//! section says about an event before the merge rules weigh it against other sections.

use crate::epg::model::EventGroup;
use crate::error::SiError;
use crate::si::descriptor::{
    AudioComponent, Component, Content, DataContent as DataContentView, Descriptor, Descriptors,
    EventGroup as EventGroupView, ExtendedEvent, ParentalRating, Series as SeriesView, ShortEvent,
};
use crate::stats::Stats;

/// One extended event descriptor, raw: its `(item_description, item)` pairs and its text.
pub(crate) type ExtendedDescriptorRaw = (Vec<(Vec<u8>, Vec<u8>)>, Vec<u8>);

/// A video component, text raw: stream_content, component_type, component_tag, language, text.
pub(crate) type VideoRaw = (u8, u8, u8, [u8; 3], Vec<u8>);

/// The basic part of an event, strings still raw.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct BasicRaw {
    pub(crate) title: Vec<u8>,
    pub(crate) text: Vec<u8>,
    pub(crate) genres: Vec<[u8; 4]>,
    pub(crate) video: Option<VideoRaw>,
    pub(crate) audio: Vec<AudioRaw>,
    pub(crate) series: Option<SeriesRaw>,
    pub(crate) event_group: Vec<EventGroup>,
    pub(crate) data_content: Option<(u16, u8, Vec<u8>)>,
    pub(crate) parental_rating: Vec<([u8; 3], u8)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AudioRaw {
    pub(crate) stream_content: u8,
    pub(crate) component_type: u8,
    pub(crate) component_tag: u8,
    pub(crate) stream_type: u8,
    pub(crate) simulcast_group_tag: u8,
    pub(crate) multi_lingual: bool,
    pub(crate) main: bool,
    pub(crate) quality: u8,
    pub(crate) sampling_rate: u8,
    pub(crate) lang: [u8; 3],
    pub(crate) lang2: Option<[u8; 3]>,
    pub(crate) text: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SeriesRaw {
    pub(crate) series_id: u16,
    pub(crate) repeat_label: u8,
    pub(crate) program_pattern: u8,
    pub(crate) expire_date: Option<String>,
    pub(crate) episode_number: u16,
    pub(crate) last_episode_number: u16,
    pub(crate) name: Vec<u8>,
}

/// What the allocator costs per allocation beyond its bytes, for the byte estimates.
const ALLOCATION: usize = 16;

/// Heap bytes of a buffer of `n` bytes (none when empty).
fn buffer(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n + ALLOCATION
    }
}

impl BasicRaw {
    /// The heap bytes this part holds: an estimate for the model's byte budget.
    pub(crate) fn heap_bytes(&self) -> usize {
        let groups: usize = self
            .event_group
            .iter()
            .map(|g| buffer(g.events.len() * 4) + buffer(g.other_network.len() * 8))
            .sum();
        buffer(self.title.len())
            + buffer(self.text.len())
            + buffer(self.genres.len() * 4)
            + self.video.as_ref().map_or(0, |v| buffer(v.4.len()))
            + buffer(self.audio.len() * std::mem::size_of::<AudioRaw>())
            + self
                .audio
                .iter()
                .map(|a| buffer(a.text.len()))
                .sum::<usize>()
            + self.series.as_ref().map_or(0, |s| {
                std::mem::size_of::<SeriesRaw>() + ALLOCATION + buffer(s.name.len())
            })
            + buffer(self.event_group.len() * std::mem::size_of::<EventGroup>())
            + groups
            + self.data_content.as_ref().map_or(0, |d| buffer(d.2.len()))
            + buffer(self.parental_rating.len() * 4)
    }
}

/// The heap bytes of one raw extended event descriptor.
pub(crate) fn extended_heap_bytes((items, text): &ExtendedDescriptorRaw) -> usize {
    buffer(items.len() * std::mem::size_of::<(Vec<u8>, Vec<u8>)>())
        + items
            .iter()
            .map(|(d, i)| buffer(d.len()) + buffer(i.len()))
            .sum::<usize>()
        + buffer(text.len())
}

/// The basic part of an event from its descriptor loop; a descriptor that fails to parse is
/// counted and skipped, and a loop that overruns stops there.
pub(crate) fn basic_of(descriptors: Descriptors<'_>, isdb: bool, stats: &mut Stats) -> BasicRaw {
    let mut b = BasicRaw::default();
    for d in descriptors {
        let Ok(d) = d else {
            bump(&mut stats.si.descriptor_errors);
            break;
        };
        if apply_basic(&mut b, d, isdb).is_err() {
            bump(&mut stats.si.descriptor_errors);
        }
    }
    b
}

/// Applies one descriptor of the basic part.
fn apply_basic(b: &mut BasicRaw, d: Descriptor<'_>, isdb: bool) -> Result<(), SiError> {
    match d.tag {
        0x4D => {
            // DVB may send one short event descriptor per language; the first one is kept.
            let s = ShortEvent::parse(d.body)?;
            if b.title.is_empty() && b.text.is_empty() {
                b.title = s.event_name.to_vec();
                b.text = s.text.to_vec();
            }
        }
        0x54 => {
            let c = Content::parse(d.body)?;
            b.genres
                .extend(c.entries().map(|e| [e.level1, e.level2, e.user1, e.user2]));
        }
        0x50 => {
            let c = Component::parse(d.body)?;
            match c.stream_content {
                // DVB audio stream contents (EN 300 468 table 26).
                0x02 | 0x04 | 0x06 | 0x07 if !isdb => b.audio.push(AudioRaw {
                    stream_content: c.stream_content,
                    component_type: c.component_type,
                    component_tag: c.component_tag,
                    stream_type: 0,
                    simulcast_group_tag: 0xFF,
                    multi_lingual: false,
                    main: b.audio.is_empty(),
                    quality: 0,
                    sampling_rate: 0,
                    lang: c.lang,
                    lang2: None,
                    text: c.text.to_vec(),
                }),
                _ if b.video.is_none() => {
                    b.video = Some((
                        c.stream_content,
                        c.component_type,
                        c.component_tag,
                        c.lang,
                        c.text.to_vec(),
                    ))
                }
                _ => {}
            }
        }
        0xC4 => {
            let a = AudioComponent::parse(d.body)?;
            b.audio.push(AudioRaw {
                stream_content: a.stream_content,
                component_type: a.component_type,
                component_tag: a.component_tag,
                stream_type: a.stream_type,
                simulcast_group_tag: a.simulcast_group_tag,
                multi_lingual: a.es_multi_lingual,
                main: a.main_component,
                quality: a.quality_indicator,
                sampling_rate: a.sampling_rate,
                lang: a.lang,
                lang2: a.lang2,
                text: a.text.to_vec(),
            });
        }
        0xD5 => {
            let s = SeriesView::parse(d.body)?;
            b.series = Some(SeriesRaw {
                series_id: s.series_id,
                repeat_label: s.repeat_label,
                program_pattern: s.program_pattern,
                expire_date: s
                    .expire_date()
                    .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
                episode_number: s.episode_number,
                last_episode_number: s.last_episode_number,
                name: s.series_name.to_vec(),
            });
        }
        0xD6 => {
            let g = EventGroupView::parse(d.body)?;
            b.event_group.push(EventGroup {
                group_type: g.group_type,
                events: g.events().map(|e| (e.service_id, e.event_id)).collect(),
                other_network: g
                    .other_network_events()
                    .map(|e| {
                        (
                            e.original_network_id,
                            e.transport_stream_id,
                            e.service_id,
                            e.event_id,
                        )
                    })
                    .collect(),
            });
        }
        0xC7 => {
            let dc = DataContentView::parse(d.body)?;
            b.data_content = Some((dc.data_component_id, dc.entry_component, dc.text.to_vec()));
        }
        0x55 => {
            let p = ParentalRating::parse(d.body)?;
            b.parental_rating
                .extend(p.entries().map(|e| (e.country, e.rating)));
        }
        _ => {}
    }
    Ok(())
}

/// The extended event descriptors of one event as `(descriptor_number, raw)` pairs; empty when
/// it has none (ARIB STD-B10 6.2.7, EN 300 468 6.2.15).
pub(crate) fn extended_of(descriptors: Descriptors<'_>) -> Vec<(u8, ExtendedDescriptorRaw)> {
    let mut out = Vec::new();
    for d in descriptors.map_while(Result::ok).filter(|d| d.tag == 0x4E) {
        let Ok(e) = ExtendedEvent::parse(d.body) else {
            continue;
        };
        let items: Vec<(Vec<u8>, Vec<u8>)> = e
            .items()
            .map_while(Result::ok)
            .map(|i| (i.description.to_vec(), i.item.to_vec()))
            .collect();
        out.push((e.descriptor_number, (items, e.text.to_vec())));
    }
    out
}

fn bump(counter: &mut u64) {
    *counter = counter.saturating_add(1);
}
