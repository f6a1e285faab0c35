//! The owned EPG model and the collector that builds it from sections.
