//! Text decoding: ARIB STD-B24 8-unit code (ISDB) and DVB text (ETSI EN 300 468 Annex A).
