//! Minimal self-contained MPEG-TS section reader shared by the integration tests (the crate's
//! own TS reader is developed separately): 188-byte packets, one PID, pointer_field, sections
//! spanning packets, stuffing.
#![allow(dead_code)]

pub fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]))
}

/// Reassembles the sections of PID `pid_wanted`.
pub fn sections(ts: &[u8], pid_wanted: u16) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut in_section = false;
    for pkt in ts.chunks_exact(188) {
        assert_eq!(pkt[0], 0x47, "sync byte");
        let pid = u16::from_be_bytes([pkt[1], pkt[2]]) & 0x1FFF;
        if pid != pid_wanted || pkt[1] & 0x80 != 0 {
            continue;
        }
        let pusi = pkt[1] & 0x40 != 0;
        let afc = (pkt[3] >> 4) & 3;
        if afc & 1 == 0 {
            continue;
        }
        let mut payload = &pkt[4..];
        if afc == 3 {
            let len = usize::from(payload[0]);
            payload = payload.get(1 + len..).unwrap_or(&[]);
        }
        if pusi {
            let Some((&pointer, rest)) = payload.split_first() else {
                continue;
            };
            let pointer = usize::from(pointer);
            if in_section {
                buf.extend_from_slice(rest.get(..pointer).unwrap_or(rest));
                take_sections(&mut buf, &mut out);
            }
            buf.clear();
            buf.extend_from_slice(rest.get(pointer..).unwrap_or(&[]));
            in_section = true;
        } else if in_section {
            buf.extend_from_slice(payload);
        }
        if in_section {
            take_sections(&mut buf, &mut out);
        }
    }
    out
}

/// Moves every complete section from the front of `buf` to `out`.
fn take_sections(buf: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
    loop {
        match buf.first() {
            None | Some(0xFF) => {
                // Stuffing: the rest of the packet is padding.
                if buf.first() == Some(&0xFF) {
                    buf.clear();
                }
                return;
            }
            Some(_) => {}
        }
        let Some(len) = be16(buf, 1).map(|v| usize::from(v & 0x0FFF) + 3) else {
            return;
        };
        if buf.len() < len {
            return;
        }
        out.push(buf.drain(..len).collect());
    }
}
