//! The push-based reader.
