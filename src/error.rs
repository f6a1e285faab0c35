//! Error types.
//!
//! Two levels, as in the design card: [`SiError`] is a cheap, `Copy` error for one unit of input
//! (a packet, a section, a descriptor, an event) that is counted in [`crate::stats::Stats`] and
//! skipped; [`Error`] is fatal for a whole run (I/O, a file that is not a transport stream, an
//! output that cannot be written).

use std::path::PathBuf;

/// A problem with one unit of the input stream. Counted and skipped, never fatal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SiError {
    /// A structure is shorter than its fixed fields or than a length field says.
    #[error("truncated {what}")]
    Truncated {
        /// Which structure was cut short.
        what: &'static str,
    },
    /// A descriptor's length runs past the end of its descriptor loop.
    #[error("descriptor 0x{tag:02x} overruns its loop")]
    DescriptorOverrun {
        /// The descriptor tag.
        tag: u8,
    },
    /// A loop length field runs past the end of the structure holding it.
    #[error("{what} length overruns its container")]
    LengthOverrun {
        /// Which loop.
        what: &'static str,
    },
    /// A Modified Julian Date that cannot be a real date.
    #[error("invalid MJD date")]
    BadMjd,
    /// A BCD time field with a nibble above 9 or an out-of-range value.
    #[error("invalid BCD time")]
    BadBcd,
    /// A field holds a value the standard forbids.
    #[error("invalid {what}")]
    Invalid {
        /// Which field.
        what: &'static str,
    },
}

/// A fatal error for a whole run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Input {
        /// The input path (`-` for stdin).
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The input holds no MPEG transport stream packets at all.
    #[error("{}: not an MPEG transport stream (no 188/192/204-byte packet sync found in {bytes} bytes)", path.display())]
    NotTransportStream {
        /// The input path (`-` for stdin).
        path: PathBuf,
        /// How many bytes were read.
        bytes: u64,
    },
    /// An input that was a transport stream held no packet lock for `bytes` bytes from byte
    /// `from`: reading stopped there (what was read before is kept).
    #[error("{}: no MPEG transport stream packets in the {bytes} bytes from byte {from}; reading stopped there", path.display())]
    LostSync {
        /// The input path (`-` for stdin).
        path: PathBuf,
        /// Where the packet-less stretch begins.
        from: u64,
        /// How long it is.
        bytes: u64,
    },
    /// An input and the output are the same file (same device and inode, through any link):
    /// writing the guide would destroy the input. Refused before anything is read.
    #[error("input {} and output {} are the same file; refusing to overwrite the input", input.display(), output.display())]
    SameFile {
        /// The input as given.
        input: PathBuf,
        /// The output as given.
        output: PathBuf,
    },
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Output {
        /// The output path (`-` for stdout).
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}
