//! PSI section reassembly and validation (ISO/IEC 13818-1 2.4.4).
