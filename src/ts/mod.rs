//! Transport stream packets: sync, packet views and PID demultiplexing (ISO/IEC 13818-1 2.4.3).
