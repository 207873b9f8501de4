/* measure_results.c — results files that keep every finished point.
 *
 * A sweep appends one row per repetition and hands it to the kernel at
 * once (fflush), so a Ctrl-C, a killed rank or a full disk loses at most
 * the repetition in flight.  The rows are fsynced at the end of each point
 * and, within a point, as soon as the oldest row not yet synced is
 * SW_RESULTS_SYNC_S old, so a crash of the machine (a lost node) loses at
 * most that much measuring besides the repetition in flight.  Not after every row: an fsync puts rank 0 to sleep for about
 * a millisecond between two repetitions, its core goes to another task
 * or idles, and the next repetition of a sub-millisecond workload starts
 * with its ranks apart (measure comm's 8 B allreduce median 1.15x a bare
 * loop, ping-pong medians of 10-40 us instead of 0.4 us under load;
 * docs/performance.md).  Repetitions of a second or more are still synced
 * one by one.  Each file goes through sw_outfile_open (SW_OUT_APPEND): it is
 * locked while the sweep runs, so a second sweep on it fails at once
 * instead of doubling rows.  --resume reads what is there, cuts a torn
 * last record (the write that was interrupted) and appends after it.
 * Every check happens before any byte is changed: an error leaves the
 * files as they were (and removes a file it created). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "workloads/harness.h"

typedef struct inspect {
    const char *path;
    sw_outfile *out; /* open, locked */
    size_t keep;     /* bytes of complete records, kept */
    size_t len;      /* bytes in the file */
} inspect;

static sw_status csv_header(const sw_obs *proto, char **hdr, sw_error *err)
{
    size_t len = 0;
    *hdr = NULL;
    FILE *mem = open_memstream(hdr, &len);
    if (!mem)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_status st = sw_obs_write_csv_header(proto, mem, err);
    fclose(mem);
    if (st) {
        free(*hdr);
        *hdr = NULL;
    }
    return st;
}

/* Bytes up to the end of the last complete record.  A CSV record ends at
 * a newline outside quotes: a torn row whose quoted field (a --shell
 * script) holds a newline is cut whole, not at that newline.  JSON Lines
 * escape newlines inside strings, so there the last newline is the end. */
static size_t complete_records(const char *buf, size_t len, int is_csv)
{
    size_t keep = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_csv && buf[i] == '"')
            quoted = !quoted; /* a doubled quote toggles twice */
        else if (buf[i] == '\n' && !quoted)
            keep = i + 1;
    }
    return keep;
}

/* Reads an existing file for --resume (under the lock, so no other sweep
 * writes it meanwhile): cut after the last complete record, the CSV header
 * must be this sweep's, and the complete records must parse. */
static sw_status inspect_file(inspect *in, int is_csv, const char *header, const sw_measure_opts *o,
                              sw_obs_set *prev, sw_error *err)
{
    in->keep = in->len = 0;
    struct stat sb;
    if (in->out->kind != SW_OUTFILE_APPEND) /* a device or FIFO: nothing to read back */
        return o->resume ? sw_error_set(err, SW_EINVAL,
                                        "%s: not a regular file: there is nothing to resume",
                                        in->path)
                         : SW_OK;
    if (fstat(fileno(in->out->fp), &sb) != 0)
        return sw_error_set(err, SW_EIO, "%s: %s", in->path, strerror(errno));
    in->len = (size_t)sb.st_size;
    if (sb.st_size == 0)
        return SW_OK;
    if (!o->resume && !o->force)
        return sw_error_set(err, SW_EINVAL,
                            "%s exists: --resume completes its sweep, --force starts it over",
                            in->path);
    if (!o->resume)
        return SW_OK; /* --force: cut to nothing */
    char *buf;
    size_t len;
    sw_status st = sw_read_file(in->out->path, &buf, &len, err);
    if (st)
        return st;
    size_t keep = complete_records(buf, len, is_csv);
    in->len = len;
    in->keep = keep;
    size_t hl = strlen(header), lead = 0;
    while (lead < keep && (buf[lead] == ' ' || buf[lead] == '\t' || buf[lead] == '\n' ||
                           buf[lead] == '\r'))
        lead++;
    /* Each format's rows appended to the other's file would leave neither
     * readable (found by fuzz/fuzz_resume.c). */
    if (!is_csv && lead < keep && buf[lead] != '{')
        st = sw_error_set(err, SW_EPARSE,
                          "%s: not a JSON Lines results file (its first line is not a JSON "
                          "object): resume a CSV file with --out, or give another --jsonl",
                          in->path);
    else if (is_csv && lead < keep && buf[lead] == '{')
        st = sw_error_set(err, SW_EPARSE,
                          "%s: a JSON Lines file, not CSV: resume it with --jsonl, or give "
                          "another --out",
                          in->path);
    else if (is_csv && keep > 0 && (keep < hl || memcmp(buf, header, hl) != 0))
        st = sw_error_set(err, SW_EPARSE,
                          "%s:1: its columns are not this sweep's (another tool or version "
                          "wrote it): give another --out to resume into",
                          in->path);
    /* Only a header: nothing to read back. */
    int data = is_csv ? keep > hl : keep > 0;
    if (!st && data) {
        st = sw_obs_read_buffer(in->path, buf, keep, prev, err);
        if (st)
            sw_error_prefix(err, "cannot resume");
    }
    free(buf);
    return st;
}

/* Cuts what is not kept (a torn record, or everything with --force) and
 * starts a new CSV with its header. */
static sw_status prepare_file(const inspect *in, int is_csv, const char *header, sw_error *err)
{
    FILE *fp = in->out->fp;
    if (in->out->kind == SW_OUTFILE_APPEND && in->keep < in->len &&
        ftruncate(fileno(fp), (off_t)in->keep) != 0)
        return sw_error_set(err, SW_EIO, "%s: cannot cut the torn last record: %s", in->path,
                            strerror(errno));
    if (is_csv && in->keep == 0) {
        if (fputs(header, fp) == EOF || fflush(fp) != 0 ||
            (fsync(fileno(fp)) != 0 && errno != EINVAL))
            return sw_error_set(err, SW_EIO, "%s: write failed: %s", in->path, strerror(errno));
    }
    return SW_OK;
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int same_series(const sw_obs *a, const sw_obs *b)
{
    return same(a->workload, b->workload) && same(a->params, b->params) &&
           a->quantity == b->quantity && a->scaling == b->scaling && same(a->unit, b->unit);
}

static double thr(const sw_obs_point *p)
{
    return isnan(p->threads) ? 1 : p->threads;
}

static int has_point(const sw_obs_set *set, const sw_obs *o, const sw_obs_point *p)
{
    for (size_t i = 0; i < set->n; i++) {
        if (!same_series(set->series[i], o))
            continue;
        for (size_t j = 0; j < set->series[i]->npts; j++) {
            const sw_obs_point *q = &set->series[i]->pts[j];
            if (q->n == p->n && thr(q) == thr(p) && q->rep == p->rep)
                return 1;
        }
    }
    return 0;
}

/* A kill between the CSV row and its JSONL twin leaves the JSONL one row
 * short: append what the CSV (the record) has and the JSONL lacks. */
static sw_status catch_up(sw_results *r, const sw_obs_set *jprev, sw_error *err)
{
    size_t added = 0;
    for (size_t i = 0; i < r->prev.n; i++)
        for (size_t j = 0; j < r->prev.series[i]->npts; j++) {
            const sw_obs *o = r->prev.series[i];
            if (has_point(jprev, o, &o->pts[j]))
                continue;
            sw_status st = sw_obs_write_jsonl_point(o, &o->pts[j], r->jsonl, err);
            if (st)
                return st;
            added++;
        }
    return added ? sw_outfile_flush(&r->jsonl_out, err) : SW_OK;
}

sw_status sw_results_open(sw_results *r, const sw_measure_opts *o, const sw_obs *proto,
                          sw_error *err)
{
    memset(r, 0, sizeof *r);
    r->csv_path = o->out_csv;
    r->jsonl_path = o->out_jsonl;
    char *header = NULL;
    sw_status st = csv_header(proto, &header, err);
    inspect ic = {o->out_csv, &r->csv_out, 0, 0}, ij = {o->out_jsonl, &r->jsonl_out, 0, 0};
    sw_obs_set jprev = {0};
    /* Opened and locked first: a second sweep on the same file stops here,
     * before it reads or changes anything. */
    const char *for_csv[] = {o->out_jsonl, o->hockney, o->platform_out},
               *for_jsonl[] = {o->out_csv, o->hockney, o->platform_out};
    if (!st && o->out_csv)
        st = sw_outfile_open(&r->csv_out, o->out_csv, SW_OUT_APPEND, for_csv,
                             SW_NINPUTS(for_csv), err);
    if (!st && o->out_jsonl)
        st = sw_outfile_open(&r->jsonl_out, o->out_jsonl, SW_OUT_APPEND, for_jsonl,
                             SW_NINPUTS(for_jsonl), err);
    if (!st && o->out_csv)
        st = inspect_file(&ic, 1, header, o, &r->prev, err);
    /* The CSV is the record when both are written; JSONL otherwise. */
    if (!st && o->out_jsonl)
        st = inspect_file(&ij, 0, header, o, o->out_csv ? &jprev : &r->prev, err);
    if (!st && o->out_csv)
        st = prepare_file(&ic, 1, header, err);
    if (!st && o->out_jsonl)
        st = prepare_file(&ij, 0, header, err);
    r->csv = r->csv_out.fp;
    r->jsonl = r->jsonl_out.fp;
    if (!st && r->csv && r->jsonl)
        st = catch_up(r, &jprev, err);
    sw_obs_set_free(&jprev);
    free(header);
    for (size_t i = 0; i < r->prev.n; i++)
        r->nprev += r->prev.series[i]->npts;
    if (st) {
        /* Nothing created stays (removed while still locked); an existing
         * file is as it was unless the error came after its torn record
         * was cut. */
        sw_outfile *outs[2] = {&r->csv_out, &r->jsonl_out};
        for (int i = 0; i < 2; i++) {
            if (outs[i]->kind == SW_OUTFILE_APPEND && outs[i]->created)
                unlink(outs[i]->path);
            sw_outfile_abort(outs[i]);
        }
        r->csv = r->jsonl = NULL;
        sw_obs_set_free(&r->prev);
    }
    return st;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A row is in the kernel before the next repetition starts; a writer's
 * bare "write failed" (a full disk) becomes the file's name and the
 * reason. */
static sw_status pushed(sw_outfile *out, sw_status written, sw_error *err)
{
    if (written && written != SW_EIO)
        return written;
    sw_status st = sw_outfile_push(out, err);
    return st ? st : written;
}

sw_status sw_results_sync(sw_results *r, sw_error *err)
{
    sw_status st = SW_OK;
    if (!r->unsynced)
        return SW_OK;
    if (r->csv)
        st = sw_outfile_flush(&r->csv_out, err);
    if (!st && r->jsonl)
        st = sw_outfile_flush(&r->jsonl_out, err);
    if (!st)
        r->unsynced = 0;
    return st;
}

sw_status sw_results_append(sw_results *r, const sw_obs *o, const sw_obs_point *p,
                            sw_error *err)
{
    sw_status st = SW_OK;
    if (r->csv)
        st = pushed(&r->csv_out, sw_obs_write_csv_point(o, p, r->csv, err), err);
    if (!st && r->jsonl)
        st = pushed(&r->jsonl_out, sw_obs_write_jsonl_point(o, p, r->jsonl, err), err);
    if (st)
        return st;
    if (!r->unsynced++)
        r->first_unsynced = mono_s();
    return mono_s() - r->first_unsynced >= SW_RESULTS_SYNC_S ? sw_results_sync(r, err) : SW_OK;
}

size_t sw_results_previous(const sw_results *r, const sw_obs *o, double n, double threads,
                           const sw_obs_point **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < r->prev.n; i++) {
        const sw_obs *s = r->prev.series[i];
        if (!same_series(s, o))
            continue;
        for (size_t j = 0; j < s->npts && k < max; j++) {
            const sw_obs_point *p = &s->pts[j];
            if (p->n == n && thr(p) == threads)
                out[k++] = p;
        }
    }
    return k;
}

sw_status sw_results_close(sw_results *r, sw_error *err)
{
    /* Every row was synced as it was written: closing releases the lock. */
    sw_status st = SW_OK;
    if (r->csv_out.kind != SW_OUTFILE_NONE)
        st = sw_outfile_commit(&r->csv_out, err);
    if (r->jsonl_out.kind != SW_OUTFILE_NONE) {
        sw_status s2 = sw_outfile_commit(&r->jsonl_out, st ? NULL : err);
        st = st ? st : s2;
    }
    r->csv = r->jsonl = NULL;
    sw_obs_set_free(&r->prev);
    return st;
}
