/* io.h — files that are never half-written, and a CSV reader that knows
 * where it is.
 *
 * sw_outfile: every output goes to "<path>.tmp.XXXXXX" in the same folder and
 * is renamed over <path> only when complete, so an error or a kill leaves the
 * old file (or none), never a truncated one.  "-" means stdout.
 *
 * sw_csv: RFC 4180 fields (quotes, doubled quotes, commas and newlines inside
 * quotes), CRLF or LF, with the 1-based line number of the current record so
 * every error can say "file.csv:17: ...". */
#ifndef SCALEWALL_IO_H
#define SCALEWALL_IO_H

#include <stdio.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_outfile {
    FILE *fp;
    char *path;     /* final name, NULL for stdout */
    char *tmp_path; /* temporary name while open */
} sw_outfile;

sw_status sw_outfile_open(sw_outfile *out, const char *path, sw_error *err);
/* Flushes, fsyncs and renames; on failure removes the temporary file. */
sw_status sw_outfile_commit(sw_outfile *out, sw_error *err);
/* Drops the temporary file; the target is left as it was. */
void sw_outfile_abort(sw_outfile *out);

/* Reads a whole file (binary-safe) into a NUL-terminated buffer. */
sw_status sw_read_file(const char *path, char **data, size_t *len, sw_error *err);

typedef struct sw_csv {
    const char *name;  /* for messages */
    const char *buf;
    size_t len, pos;
    long line;         /* line where the current record starts */
    long next_line;
    char **fields;
    size_t nfields, cap;
    char *scratch;
    size_t scratch_cap;
} sw_csv;

/* Parses from memory; buf must stay valid while the reader is used. */
void sw_csv_init(sw_csv *csv, const char *name, const char *buf, size_t len);
/* Next record: 1 when one was read, 0 at end, or -SW_EPARSE with err set
 * (unterminated quote).  Blank lines are skipped.  Fields stay valid until
 * the next call. */
int sw_csv_next(sw_csv *csv, sw_error *err);
void sw_csv_free(sw_csv *csv);

/* Index of a header field by exact name, or -1. */
int sw_csv_find(const sw_csv *csv, const char *name);

/* Strict number parsing: the whole field (after trimming blanks) must be a
 * finite decimal number.  Empty -> 0 with *val = NAN (callers decide whether
 * blank is allowed); garbage -> -1. */
int sw_parse_double(const char *s, double *val);
int sw_parse_long(const char *s, long *val);

/* Writes a CSV field, quoting it when needed. */
void sw_csv_write_field(FILE *fp, const char *s);

#ifdef __cplusplus
}
#endif
#endif
