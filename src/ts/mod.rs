//! Transport stream packets: sync, packet views and PID demultiplexing (ISO/IEC 13818-1 2.4.3).
//!
//! Bytes flow [`sync::PacketSync`] → [`packet::Packet`] → [`demux::Demux`] → section assembler.

pub mod demux;
pub mod packet;
pub mod sync;

pub use demux::{Demux, PidFilter, PidSet};
pub use packet::{Packet, Pid};
pub use sync::PacketSync;
