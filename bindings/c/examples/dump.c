/* dump: print the programme guide of a transport stream as JSON Lines, like
 * `epgdump-rs --format jsonl FILE -`, through the C ABI.
 *
 *   cc -o dump examples/dump.c -Iinclude -L../target/release -lepgdump_c
 *   ./dump rec.ts            # pushes the file in 64 KiB pieces (as a live pipe would)
 *   ./dump --path rec.ts     # epgdump_read_path: the CLI's own file reading
 *   tuner | ./dump -         # standard input
 *
 * Exit status: the CLI's (0 success, 1 unreadable or not a transport stream, 3 no EPG,
 * 5 input cut short, 6 incomplete or capped). */
#include <stdio.h>
#include <string.h>

#include "epgdump.h"

static int fail(const char *what) {
    fprintf(stderr, "dump: %s: %s (error %d)\n", what, epgdump_last_error_message(),
            epgdump_last_error());
    return 1;
}

/* Reads `in` piece by piece into a reader and returns its guide (NULL on error). */
static EpgdumpGuide *push_all(FILE *in) {
    EpgdumpReader *reader = epgdump_reader_new(NULL);
    if (reader == NULL) return NULL;
    static unsigned char buf[64 * 1024];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (epgdump_reader_push(reader, buf, n) < 0) {
            epgdump_reader_free(reader);
            return NULL;
        }
    }
    return epgdump_reader_finish(reader); /* frees the reader */
}

int main(int argc, char **argv) {
    int by_path = argc == 3 && strcmp(argv[1], "--path") == 0;
    if (argc != 2 && !by_path) {
        fprintf(stderr, "usage: dump [--path] FILE|-\n");
        return 2;
    }
    const char *name = argv[argc - 1];
    EpgdumpGuide *guide;
    if (by_path) {
        guide = epgdump_read_path(name, NULL);
    } else {
        FILE *in = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
        if (in == NULL) {
            perror(name);
            return 1;
        }
        guide = push_all(in);
        if (in != stdin) fclose(in);
    }
    if (guide == NULL) return fail(name);

    char *jsonl = epgdump_guide_to_jsonl(guide);
    char *warnings = epgdump_guide_warnings(guide);
    int status = epgdump_guide_exit_status(guide);
    epgdump_guide_free(guide);
    if (jsonl == NULL || warnings == NULL) {
        epgdump_string_free(jsonl);
        epgdump_string_free(warnings);
        return fail("writing the guide");
    }
    fputs(jsonl, stdout);
    fputs(warnings, stderr);
    epgdump_string_free(jsonl);
    epgdump_string_free(warnings);
    return status;
}
