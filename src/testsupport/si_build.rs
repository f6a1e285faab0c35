//! Builders of SI sections and descriptors with correct lengths and a dummy CRC (the SI layer
//! does not check CRCs), for the unit tests of `si` and the SI property and corpus tests.

// The builders take values chosen by test code, never stream bytes: a value that does not fit
// its length field is a bug in the test.
#![allow(clippy::unwrap_used)]

/// The dummy CRC appended to built sections (not checked by the SI layer).
pub const CRC: [u8; 4] = [0xDE, 0xAD, 0xBE, 0xEF];

fn u16be(v: usize) -> [u8; 2] {
    u16::try_from(v).unwrap().to_be_bytes()
}

/// A long-form section: header (ssi=1, reserved bits set) + body + dummy CRC.
pub fn long_section(
    table_id: u8,
    ext: u16,
    version: u8,
    current: bool,
    section_number: u8,
    last_section_number: u8,
    body: &[u8],
) -> Vec<u8> {
    let len = 5 + body.len() + 4;
    assert!(len <= 4093);
    let [l0, l1] = u16be(len);
    let mut v = vec![table_id, 0xB0 | l0, l1];
    v.extend_from_slice(&ext.to_be_bytes());
    v.push(0xC0 | ((version & 0x1F) << 1) | u8::from(current));
    v.push(section_number);
    v.push(last_section_number);
    v.extend_from_slice(body);
    v.extend_from_slice(&CRC);
    v
}

/// A short-form section (ssi=0) with `body` (caller adds any CRC).
pub fn short_section(table_id: u8, body: &[u8]) -> Vec<u8> {
    let [l0, l1] = u16be(body.len());
    let mut v = vec![table_id, 0x70 | l0, l1];
    v.extend_from_slice(body);
    v
}

/// A descriptor: tag, length, body.
pub fn descriptor(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag, u8::try_from(body.len()).unwrap()];
    v.extend_from_slice(body);
    v
}

/// 4 reserved bits + a 12-bit loop length, then the loop.
pub fn loop12(top: u8, bytes: &[u8]) -> Vec<u8> {
    let [l0, l1] = u16be(bytes.len());
    let mut v = vec![(top << 4) | l0, l1];
    v.extend_from_slice(bytes);
    v
}

/// One EIT event.
pub fn event(
    event_id: u16,
    start: [u8; 5],
    duration: [u8; 3],
    running_status: u8,
    free_ca: bool,
    descriptors: &[u8],
) -> Vec<u8> {
    let mut v = event_id.to_be_bytes().to_vec();
    v.extend_from_slice(&start);
    v.extend_from_slice(&duration);
    v.extend(loop12(
        (running_status << 1) | u8::from(free_ca),
        descriptors,
    ));
    v
}

/// A whole EIT section.
#[allow(clippy::too_many_arguments)]
pub fn eit(
    table_id: u8,
    service_id: u16,
    version: u8,
    section_number: u8,
    last_section_number: u8,
    tsid: u16,
    onid: u16,
    segment_last: u8,
    last_table_id: u8,
    events: &[u8],
) -> Vec<u8> {
    let mut body = tsid.to_be_bytes().to_vec();
    body.extend_from_slice(&onid.to_be_bytes());
    body.push(segment_last);
    body.push(last_table_id);
    body.extend_from_slice(events);
    long_section(
        table_id,
        service_id,
        version,
        true,
        section_number,
        last_section_number,
        &body,
    )
}

/// One SDT service entry.
pub fn service(
    service_id: u16,
    user_flags: u8,
    schedule: bool,
    pf: bool,
    running_status: u8,
    free_ca: bool,
    descriptors: &[u8],
) -> Vec<u8> {
    let mut v = service_id.to_be_bytes().to_vec();
    v.push(0xE0 | ((user_flags & 7) << 2) | (u8::from(schedule) << 1) | u8::from(pf));
    v.extend(loop12(
        (running_status << 1) | u8::from(free_ca),
        descriptors,
    ));
    v
}

/// A whole SDT section.
pub fn sdt(table_id: u8, tsid: u16, version: u8, onid: u16, services: &[u8]) -> Vec<u8> {
    let mut body = onid.to_be_bytes().to_vec();
    body.push(0xFF);
    body.extend_from_slice(services);
    long_section(table_id, tsid, version, true, 0, 0, &body)
}

/// One NIT transport-stream entry.
pub fn ts_entry(tsid: u16, onid: u16, descriptors: &[u8]) -> Vec<u8> {
    let mut v = tsid.to_be_bytes().to_vec();
    v.extend_from_slice(&onid.to_be_bytes());
    v.extend(loop12(0xF, descriptors));
    v
}

/// A whole NIT section.
pub fn nit(table_id: u8, network_id: u16, network_descriptors: &[u8], ts_loop: &[u8]) -> Vec<u8> {
    let mut body = loop12(0xF, network_descriptors);
    body.extend(loop12(0xF, ts_loop));
    long_section(table_id, network_id, 1, true, 0, 0, &body)
}

/// A TDT.
pub fn tdt(time: [u8; 5]) -> Vec<u8> {
    short_section(0x70, &time)
}

/// A TOT with a descriptor loop and dummy CRC.
pub fn tot(time: [u8; 5], descriptors: &[u8]) -> Vec<u8> {
    let mut body = time.to_vec();
    body.extend(loop12(0xF, descriptors));
    body.extend_from_slice(&CRC);
    short_section(0x73, &body)
}

/// A BIT.
pub fn bit(onid: u16, view_propriety: bool, first: &[u8], broadcasters: &[u8]) -> Vec<u8> {
    let mut body = loop12(0xE | u8::from(view_propriety), first);
    body.extend_from_slice(broadcasters);
    long_section(0xC4, onid, 2, true, 0, 0, &body)
}

/// One BIT broadcaster entry.
pub fn broadcaster(id: u8, descriptors: &[u8]) -> Vec<u8> {
    let mut v = vec![id];
    v.extend(loop12(0xF, descriptors));
    v
}

/// A short_event_descriptor.
pub fn short_event(lang: &[u8; 3], name: &[u8], text: &[u8]) -> Vec<u8> {
    let mut b = lang.to_vec();
    b.push(u8::try_from(name.len()).unwrap());
    b.extend_from_slice(name);
    b.push(u8::try_from(text.len()).unwrap());
    b.extend_from_slice(text);
    descriptor(0x4D, &b)
}

/// An extended_event_descriptor.
pub fn extended_event(
    number: u8,
    last: u8,
    lang: &[u8; 3],
    items: &[(&[u8], &[u8])],
    text: &[u8],
) -> Vec<u8> {
    let mut it = Vec::new();
    for (d, i) in items {
        it.push(u8::try_from(d.len()).unwrap());
        it.extend_from_slice(d);
        it.push(u8::try_from(i.len()).unwrap());
        it.extend_from_slice(i);
    }
    let mut b = vec![(number << 4) | last];
    b.extend_from_slice(lang);
    b.push(u8::try_from(it.len()).unwrap());
    b.extend(it);
    b.push(u8::try_from(text.len()).unwrap());
    b.extend_from_slice(text);
    descriptor(0x4E, &b)
}

/// A service_descriptor.
pub fn service_descriptor(service_type: u8, provider: &[u8], name: &[u8]) -> Vec<u8> {
    let mut b = vec![service_type, u8::try_from(provider.len()).unwrap()];
    b.extend_from_slice(provider);
    b.push(u8::try_from(name.len()).unwrap());
    b.extend_from_slice(name);
    descriptor(0x48, &b)
}

/// A content_descriptor from (l1, l2, u1, u2) entries.
pub fn content(entries: &[(u8, u8, u8, u8)]) -> Vec<u8> {
    let b: Vec<u8> = entries
        .iter()
        .flat_map(|&(a, b, c, d)| [(a << 4) | b, (c << 4) | d])
        .collect();
    descriptor(0x54, &b)
}
