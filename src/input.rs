//! Input sources.
