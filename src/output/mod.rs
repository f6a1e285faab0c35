//! Writers: XMLTV, epgdump-compatible JSON and XML, JSON Lines.
