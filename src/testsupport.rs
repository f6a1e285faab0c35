//! Test support: builders of sections and TS packets.
