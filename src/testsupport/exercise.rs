//! Robustness harness shared by the fuzz target and the property tests: runs every table parser
//! on a byte string, drains every iterator, applies every typed descriptor parser to every
//! descriptor (whatever its tag) and formats every value with `{:?}`. Behind the `test-support`
//! feature, like the rest of [`crate::testsupport`].

use crate::error::SiError;
use crate::si::descriptor::{
    AudioComponent, Component, Content, DataContent, DescriptorView, Descriptors, EventGroup,
    ExtendedEvent, LocalTimeOffset, NetworkName, ParentalRating, Series, Service, ServiceList,
    ShortEvent, StreamIdentifier, TsInformation,
};
use crate::si::{genre, section, time, Bit, Eit, Nit, Sdt, Tot};
use std::fmt::Debug;

fn fmt<T: Debug>(acc: &mut usize, v: &T) {
    *acc = acc.wrapping_add(format!("{v:?}").len());
}

fn view<'a, V: DescriptorView<'a> + Debug>(acc: &mut usize, body: &'a [u8]) -> Option<V> {
    let r = V::parse(body);
    fmt(acc, &r);
    r.ok()
}

fn time_values(acc: &mut usize, t: Result<Option<time::CivilTime>, SiError>) {
    fmt(acc, &t);
    if let Ok(Some(t)) = t {
        for off in [0, 9 * 3600, -3600] {
            fmt(acc, &t.to_unix(off));
            fmt(acc, &t.format_rfc3339(off));
            fmt(acc, &t.format_xmltv(off));
        }
        fmt(acc, &t.add_seconds(359_999));
        fmt(acc, &t.add_seconds(i64::MIN));
    }
}

/// Runs every typed descriptor view over `body` and everything they expose.
pub fn descriptor_body(acc: &mut usize, body: &[u8]) {
    if let Some(v) = view::<NetworkName>(acc, body) {
        fmt(acc, &v.name);
    }
    if let Some(v) = view::<ServiceList>(acc, body) {
        v.entries().for_each(|e| fmt(acc, &e));
    }
    view::<Service>(acc, body);
    view::<ShortEvent>(acc, body);
    if let Some(v) = view::<ExtendedEvent>(acc, body) {
        v.items().for_each(|e| fmt(acc, &e));
    }
    view::<Component>(acc, body);
    if let Some(v) = view::<Component>(acc, body) {
        fmt(
            acc,
            &genre::video_component(v.component_type).map(|i| i.label_ja()),
        );
    }
    view::<StreamIdentifier>(acc, body);
    if let Some(v) = view::<Content>(acc, body) {
        for e in v.entries() {
            fmt(acc, &e);
            fmt(acc, &genre::genre_names(e.level1, e.level2, true));
            fmt(acc, &genre::genre_names(e.level1, e.level2, false));
            fmt(acc, &genre::arib_attribute(e.user_byte()));
            fmt(acc, &genre::arib_cs_genre(e.user_byte()));
        }
    }
    if let Some(v) = view::<ParentalRating>(acc, body) {
        v.entries().for_each(|e| fmt(acc, &(e, e.minimum_age())));
    }
    if let Some(v) = view::<LocalTimeOffset>(acc, body) {
        for e in v.entries() {
            fmt(acc, &(e, e.offset_minutes(), e.next_offset_minutes()));
            time_values(acc, e.time_of_change());
        }
    }
    if let Some(v) = view::<AudioComponent>(acc, body) {
        fmt(acc, &v.sampling_rate_hz());
        fmt(acc, &genre::audio_component(v.component_type));
    }
    if let Some(v) = view::<DataContent>(acc, body) {
        fmt(acc, &v.is_caption());
        if let Some(Ok(langs)) = v.caption_languages() {
            langs.for_each(|l| fmt(acc, &l));
        }
    }
    if let Some(v) = view::<Series>(acc, body) {
        fmt(acc, &v.expire_date());
    }
    if let Some(v) = view::<EventGroup>(acc, body) {
        v.events().for_each(|e| fmt(acc, &e));
        v.other_network_events().for_each(|e| fmt(acc, &e));
    }
    if let Some(v) = view::<TsInformation>(acc, body) {
        for t in v.transmission_types() {
            fmt(acc, &t);
            t.service_ids().for_each(|s| fmt(acc, &s));
        }
    }
}

fn descriptors(acc: &mut usize, d: Descriptors<'_>) {
    for r in d {
        fmt(acc, &r);
        if let Ok(d) = r {
            descriptor_body(acc, d.body);
        }
    }
}

/// Runs every table parser on `section` and every descriptor parser on its pieces; returns a
/// number derived from the formatted output so the work cannot be optimised away.
pub fn all(section: &[u8]) -> usize {
    let mut acc = 0usize;
    let acc = &mut acc;
    fmt(acc, &section::LongSection::parse(section));
    fmt(acc, &section::ShortSection::parse(section));
    if let Ok(e) = Eit::parse(section) {
        fmt(acc, &e);
        fmt(
            acc,
            &(
                e.table_id(),
                e.service_id(),
                e.version(),
                e.current_next(),
                e.section_number(),
                e.last_section_number(),
                e.transport_stream_id(),
                e.original_network_id(),
                e.segment_last_section_number(),
                e.last_table_id(),
            ),
        );
        fmt(
            acc,
            &(
                e.is_pf(),
                e.is_schedule(),
                e.is_actual(),
                e.is_schedule_basic(),
                e.is_schedule_extended(),
            ),
        );
        for ev in e.events() {
            fmt(acc, &ev);
            if let Ok(ev) = ev {
                time_values(acc, ev.start());
                fmt(acc, &ev.duration_seconds());
                fmt(acc, &ev.end());
                descriptors(acc, ev.descriptors());
            }
        }
    }
    if let Ok(s) = Sdt::parse(section) {
        fmt(
            acc,
            &(
                s,
                s.transport_stream_id(),
                s.original_network_id(),
                s.is_actual(),
            ),
        );
        for sv in s.services() {
            fmt(acc, &sv);
            if let Ok(sv) = sv {
                descriptors(acc, sv.descriptors());
            }
        }
    }
    if let Ok(n) = Nit::parse(section) {
        fmt(acc, &(n, n.network_id(), n.is_actual()));
        descriptors(acc, n.network_descriptors());
        for t in n.transport_streams() {
            fmt(acc, &t);
            if let Ok(t) = t {
                descriptors(acc, t.descriptors());
            }
        }
    }
    if let Ok(t) = Tot::parse(section) {
        fmt(acc, &(t, t.is_tdt(), t.time_raw()));
        time_values(acc, t.time());
        descriptors(acc, t.descriptors());
    }
    if let Ok(b) = Bit::parse(section) {
        fmt(
            acc,
            &(b, b.original_network_id(), b.broadcast_view_propriety()),
        );
        descriptors(acc, b.first_descriptors());
        for br in b.broadcasters() {
            fmt(acc, &br);
            if let Ok(br) = br {
                descriptors(acc, br.descriptors());
            }
        }
    }
    // The raw input as a descriptor loop and as one descriptor body.
    descriptors(acc, Descriptors::new(section));
    descriptor_body(acc, section);
    // Time fields from the first bytes.
    if let Some(t) = section.first_chunk::<5>() {
        time_values(acc, time::decode_start_time(*t));
    }
    if let Some(d) = section.first_chunk::<3>() {
        fmt(acc, &time::decode_duration(*d));
    }
    *acc
}
