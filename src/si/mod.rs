//! SI tables (EIT, SDT, NIT, TOT, BIT) and their descriptors, as zero-copy views over section bytes.
