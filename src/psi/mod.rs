//! PSI/SI section reassembly and validation (ISO/IEC 13818-1 2.4.4).
//!
//! [`assembler::SectionAssembler`] turns the payloads of one PID into whole sections;
//! [`section::Section`] checks a whole section's header and CRC; [`verified::VerifiedSections`]
//! lets byte-for-byte repeats of checked sections skip the CRC.

pub mod assembler;
pub mod section;
pub mod verified;

pub use assembler::SectionAssembler;
pub use section::{crc32_mpeg2, Section, SectionCheck};

/// The largest `section_length` any table may declare (private sections, ISO/IEC 13818-1
/// 2.4.4.11; ARIB STD-B10 and EN 300 468 limit EIT to a 4096-byte section in total).
pub const MAX_SECTION_LENGTH: usize = 4093;
/// The largest whole section: 3 header bytes plus [`MAX_SECTION_LENGTH`].
pub const MAX_SECTION_SIZE: usize = 3 + MAX_SECTION_LENGTH;
