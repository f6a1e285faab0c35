//! A zero-copy view over one 188-byte transport packet (ISO/IEC 13818-1 2.4.3.2).

/// Size of an MPEG-2 transport packet in bytes.
pub const PACKET_SIZE: usize = 188;
/// The sync byte that starts every packet.
pub const SYNC_BYTE: u8 = 0x47;

/// A 13-bit packet identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid(u16);

impl Pid {
    /// Network Information Table (ARIB STD-B10 / EN 300 468 table 1).
    pub const NIT: Pid = Pid(0x0010);
    /// SDT and BAT.
    pub const SDT: Pid = Pid(0x0011);
    /// EIT (H-EIT in ISDB).
    pub const EIT: Pid = Pid(0x0012);
    /// TDT and TOT.
    pub const TOT: Pid = Pid(0x0014);
    /// ARIB Broadcaster Information Table.
    pub const BIT: Pid = Pid(0x0024);
    /// ARIB M-EIT (ISDB-T medium-term EIT, ARIB STD-B10 Part 2 table 5-2).
    pub const M_EIT: Pid = Pid(0x0026);
    /// ARIB L-EIT (ISDB-T one-seg EIT).
    pub const L_EIT: Pid = Pid(0x0027);
    /// Null packets.
    pub const NULL: Pid = Pid(0x1FFF);

    /// A PID from its 13-bit value; larger values are masked to 13 bits.
    pub const fn new(value: u16) -> Pid {
        Pid(value & 0x1FFF)
    }

    /// The 13-bit value.
    pub const fn value(self) -> u16 {
        self.0
    }
}

impl std::fmt::Display for Pid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:04x}", self.0)
    }
}

/// A view over exactly one 188-byte packet. Constructing it checks only the length; the sync
/// byte is the caller's business (the sync stage has checked it).
#[derive(Clone, Copy)]
pub struct Packet<'a>(&'a [u8; PACKET_SIZE]);

/// Why a packet's payload could not be located.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    /// adaptation_field_control = 00 (reserved).
    ReservedAfc,
    /// adaptation_field_length runs past the end of the packet.
    BadAdaptationLength,
}

impl<'a> Packet<'a> {
    /// Wraps `bytes` when it holds at least 188 bytes (extra bytes are ignored).
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Option<Packet<'a>> {
        bytes
            .get(..PACKET_SIZE)
            .and_then(|b| <&[u8; PACKET_SIZE]>::try_from(b).ok())
            .map(Packet)
    }

    /// The raw 188 bytes.
    #[inline]
    pub fn bytes(&self) -> &'a [u8; PACKET_SIZE] {
        self.0
    }

    /// transport_error_indicator.
    #[inline]
    pub fn tei(&self) -> bool {
        self.0[1] & 0x80 != 0
    }

    /// payload_unit_start_indicator: for PSI, a section starts in this packet.
    #[inline]
    pub fn pusi(&self) -> bool {
        self.0[1] & 0x40 != 0
    }

    /// The packet identifier.
    #[inline]
    pub fn pid(&self) -> Pid {
        Pid(u16::from_be_bytes([self.0[1] & 0x1F, self.0[2]]))
    }

    /// transport_scrambling_control (2 bits).
    #[inline]
    pub fn scrambling(&self) -> u8 {
        self.0[3] >> 6
    }

    /// adaptation_field_control (2 bits): 01 payload only, 10 adaptation only, 11 both.
    #[inline]
    pub fn afc(&self) -> u8 {
        (self.0[3] >> 4) & 0x03
    }

    /// Whether the packet carries a payload (and so advances the continuity counter).
    #[inline]
    pub fn has_payload(&self) -> bool {
        self.0[3] & 0x10 != 0
    }

    /// continuity_counter (4 bits).
    #[inline]
    pub fn cc(&self) -> u8 {
        self.0[3] & 0x0F
    }

    /// discontinuity_indicator of the adaptation field, when there is one with a flags byte.
    pub fn discontinuity(&self) -> bool {
        self.0[3] & 0x20 != 0 && self.0[4] > 0 && self.0[5] & 0x80 != 0
    }

    /// The payload after the adaptation field, or why it cannot be found. An
    /// adaptation-only packet gives an empty payload.
    pub fn payload(&self) -> Result<&'a [u8], PayloadError> {
        let bytes: &'a [u8; PACKET_SIZE] = self.0;
        match self.afc() {
            0b01 => Ok(bytes.get(4..).unwrap_or_default()),
            0b10 => {
                if usize::from(bytes[4]) > PACKET_SIZE - 5 {
                    Err(PayloadError::BadAdaptationLength)
                } else {
                    Ok(&[])
                }
            }
            0b11 => {
                let start = 5 + usize::from(bytes[4]);
                bytes.get(start..).ok_or(PayloadError::BadAdaptationLength)
            }
            _ => Err(PayloadError::ReservedAfc),
        }
    }
}

impl std::fmt::Debug for Packet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Packet")
            .field("pid", &self.pid())
            .field("pusi", &self.pusi())
            .field("tei", &self.tei())
            .field("afc", &self.afc())
            .field("cc", &self.cc())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(h: [u8; 4], af: Option<&[u8]>) -> [u8; 188] {
        let mut p = [0xFFu8; 188];
        p[..4].copy_from_slice(&h);
        if let Some(af) = af {
            p[4..4 + af.len()].copy_from_slice(af);
        }
        p
    }

    #[test]
    fn header_fields() {
        let p = pkt([0x47, 0x40 | 0x12, 0x34, 0x1A], None);
        let v = Packet::new(&p).unwrap();
        assert!(v.pusi());
        assert!(!v.tei());
        assert_eq!(v.pid(), Pid::new(0x1234));
        assert_eq!(v.cc(), 0xA);
        assert_eq!(v.payload().unwrap().len(), 184);
    }

    #[test]
    fn adaptation_fields() {
        let p = pkt([0x47, 0, 0x12, 0x30], Some(&[10]));
        assert_eq!(
            Packet::new(&p).unwrap().payload().unwrap().len(),
            188 - 5 - 10
        );
        let p = pkt([0x47, 0, 0x12, 0x30], Some(&[183]));
        assert_eq!(Packet::new(&p).unwrap().payload().unwrap().len(), 0);
        let p = pkt([0x47, 0, 0x12, 0x30], Some(&[184]));
        assert_eq!(
            Packet::new(&p).unwrap().payload(),
            Err(PayloadError::BadAdaptationLength)
        );
        let p = pkt([0x47, 0, 0x12, 0x20], Some(&[183]));
        assert_eq!(Packet::new(&p).unwrap().payload().unwrap().len(), 0);
        let p = pkt([0x47, 0, 0x12, 0x20], Some(&[200]));
        assert!(Packet::new(&p).unwrap().payload().is_err());
        let p = pkt([0x47, 0, 0x12, 0x00], None);
        assert_eq!(
            Packet::new(&p).unwrap().payload(),
            Err(PayloadError::ReservedAfc)
        );
        assert!(Packet::new(&p[..187]).is_none());
    }
}
