/* fuzz.h — what every fuzz target shares.
 *
 * Each fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput over one reader of
 * the library.  Built with -DSW_FUZZ=ON (clang) it links libFuzzer; in every
 * other build it links replay.c, which feeds it the files of
 * fuzz/corpus/<name>/, so the normal and sanitizer ctest passes replay the
 * corpus — every input a campaign found stays a regression test.
 *
 * A target must not print, exit, leak or depend on anything but its input:
 * failures are crashes (abort) so libFuzzer and replay.c both see them. */
#ifndef SW_FUZZ_FUZZ_H
#define SW_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (malloc'd; the readers take a
 * buffer and a length, and the string ones a C string). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A property of the library that must hold: abort with a line saying which. */
#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);      \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* A memory stream for writers; the caller frees *buf after fclose. */
static inline FILE *fuzz_memout(char **buf, size_t *len)
{
    FILE *fp = open_memstream(buf, len);
    if (!fp)
        abort();
    return fp;
}

#endif
