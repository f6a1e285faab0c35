/* Calls the read and error paths many times, for valgrind: memory that one call leaked would
 * show up a hundred times over. Exit 0 when every call behaved as documented. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epgdump.h"

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    const char *sample = argv[1], *missing = argv[2];
    unsigned char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (unsigned char)(i * 7 + 3);
    for (int i = 0; i < 100; i++) {
        if (epgdump_read_path(missing, NULL) != NULL || epgdump_last_error() != EPGDUMP_ERR_IO)
            return 1;
        EpgdumpReader *r = epgdump_reader_new(NULL);
        if (epgdump_reader_push(r, noise, sizeof noise) != 1) return 1;
        if (epgdump_reader_finish(r) != NULL ||
            epgdump_last_error() != EPGDUMP_ERR_NOT_TRANSPORT_STREAM)
            return 1;
        EpgdumpOptions bad = epgdump_options_default();
        bad.symbols = 42;
        if (epgdump_reader_new(&bad) != NULL) return 1;
        if (epgdump_reader_push(NULL, noise, 1) != -1) return 1;
    }
    for (int i = 0; i < 10; i++) {
        EpgdumpGuide *g = epgdump_read_path(sample, NULL);
        if (g == NULL) return 1;
        char *s[] = {epgdump_guide_to_jsonl(g), epgdump_guide_to_json(g),
                     epgdump_guide_to_xmltv(g), epgdump_guide_stats_json(g),
                     epgdump_guide_services_json(g), epgdump_guide_warnings(g)};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++) {
            if (s[k] == NULL) return 1;
            epgdump_string_free(s[k]);
        }
        epgdump_guide_free(g);
    }
    puts("repeat: ok");
    return 0;
}
