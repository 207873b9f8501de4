/* io.h — outputs that never destroy, and a CSV reader that knows where it
 * is.
 *
 * sw_outfile: every output of every command goes through sw_outfile_open,
 * which decides once, for all of them, what writing to a name may do
 * (docs/reliability.md):
 *   - a regular file (or a new name) is written to an unnamed temporary file
 *     in the same folder and linked/renamed into place only when complete,
 *     keeping the old file's mode (and owner, when allowed): an error, a
 *     Ctrl-C or a kill -9 leaves the old file (or none), never a truncated
 *     one, and no temporary file behind;
 *   - a character device or a FIFO (/dev/null, /dev/stdout, a named pipe) is
 *     written in place: it is never renamed over, so it stays what it was;
 *   - a directory, a block device or a socket is refused with one line;
 *   - a symbolic link is followed to the file it names, which is replaced
 *     (the link stays); a link to nothing is refused, as GNU cp does;
 *   - an output that is one of the command's inputs (same device and inode,
 *     or the same resolved name when it does not exist yet) is refused.  The
 *     library keeps no hidden state, so the caller passes its inputs.
 * On a local disk (ext4, xfs, btrfs, tmpfs, overlayfs) the replacement is not
 * fsynced: the rename keeps it atomic, a full disk still fails the write,
 * and fsync cost a millisecond or more of every command (a third of a whole
 * `simulate`; docs/reliability.md).  Elsewhere (NFS: write errors can come
 * at the flush) it is, and so is its folder.  Results files (SW_OUT_APPEND)
 * are synced by their writer (sw_outfile_flush).
 * "-" (or NULL) means stdout.
 * SW_OUT_APPEND is the results file of a sweep: written in place, rows
 * appended, and locked (flock) so a second writer fails at once.
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

/* How sw_outfile_open writes. */
enum {
    SW_OUT_REPLACE = 0, /* the whole file, atomically (devices/FIFOs: in place) */
    SW_OUT_APPEND = 1   /* a results file: kept, appended to, locked */
};

/* What the output turned out to be. */
typedef enum sw_outfile_kind {
    SW_OUTFILE_NONE = 0,
    SW_OUTFILE_STDOUT,  /* "-" */
    SW_OUTFILE_REPLACE, /* a regular file written through a temporary one */
    SW_OUTFILE_DEVICE,  /* a character device or FIFO, written in place */
    SW_OUTFILE_APPEND   /* a regular file appended to in place, locked */
} sw_outfile_kind;

typedef struct sw_outfile {
    FILE *fp;
    sw_outfile_kind kind;
    char *name;     /* the name the caller gave, for messages; NULL for stdout */
    char *path;     /* the file written (links resolved); NULL for stdout */
    char *tmp_path; /* a named temporary file, when the folder has no unnamed ones */
    int created;    /* SW_OUT_APPEND: the file did not exist before */
    int finished;   /* flushed (and synced), waiting for sw_outfile_commit */
    int sync;       /* SW_OUTFILE_REPLACE: fsync the file and its folder when putting it
                       in place; 0 on a local disk, where the rename alone is atomic */
} sw_outfile;

/* Opens `path` for writing as the header comment says.  `inputs` (ninputs
 * names; NULL entries and "-" are skipped) are the files the command reads
 * or writes besides this one: an output that is one of them is refused
 * with SW_EIO before anything is written. */
sw_status sw_outfile_open(sw_outfile *out, const char *path, int flags,
                          const char *const *inputs, size_t ninputs, sw_error *err);
/* Flushes and fsyncs an open output and leaves it open (a results file
 * after each row); a failure names the file and the reason, the output
 * stays open for the caller to commit or abort. */
sw_status sw_outfile_flush(sw_outfile *out, sw_error *err);
/* Hands the buffered bytes to the kernel (fflush) without fsync: they
 * survive the process (Ctrl-C, kill -9, an aborted MPI job), not a crash of
 * the machine, until the next sw_outfile_flush.  Errors as flush. */
sw_status sw_outfile_push(sw_outfile *out, sw_error *err);
/* Flushes (and fsyncs unless a local disk's replacement, see above)
 * without putting the file in place yet; a file that
 * cannot be finished is dropped (the target left as it was).  Lets a
 * command finish every output before it replaces any (commit_all). */
sw_status sw_outfile_finish(sw_outfile *out, sw_error *err);
/* Finishes, then puts the file in place (link/rename, or close for a
 * device, stdout or a results file); on failure the target is left as it
 * was and no temporary file remains.  Errors name the file and the reason
 * ("out.csv: write failed: No space left on device"). */
sw_status sw_outfile_commit(sw_outfile *out, sw_error *err);
/* Finishes all of outs[0..n), then commits them in order: an error while
 * finishing drops every one, so a command's outputs appear together or
 * not at all.  outs[i] with kind NONE are skipped. */
sw_status sw_outfile_commit_all(sw_outfile *outs, size_t n, sw_error *err);
/* Drops the output after the code writing it failed with `st`, and returns
 * the status to report: when the stream itself failed (a full disk), err
 * then names the file and the reason instead of a bare "write failed". */
sw_status sw_outfile_fail(sw_outfile *out, sw_status st, sw_error *err);
/* Drops the temporary file; the target is left as it was.  A results file
 * (SW_OUT_APPEND) is written in place, so it is only closed: its rows stay
 * (a caller that wants a file it just created gone again removes it while
 * it still holds the lock: see `created`).  Safe on a zeroed or committed
 * outfile. */
void sw_outfile_abort(sw_outfile *out);

/* Number of entries of a fixed array of input names. */
#define SW_NINPUTS(a) (sizeof(a) / sizeof((a)[0]))

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
