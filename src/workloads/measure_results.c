/* measure_results.c — results files that keep every finished point.
 *
 * A sweep appends one row per repetition and flushes + fsyncs it at once,
 * so a Ctrl-C, a killed rank or a full disk loses at most the repetition
 * in flight.  --resume reads what is there, cuts a torn last line (the
 * write that was interrupted) and appends after it.  Every check happens
 * before any file is touched: an error leaves the files as they were. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "workloads/harness.h"

typedef struct inspect {
    const char *path;
    int exists;
    size_t keep;  /* bytes up to and including the last newline */
    size_t len;
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

/* Reads an existing file for --resume: cut at the last newline, the CSV
 * header must be this sweep's, and the complete lines must parse. */
static sw_status inspect_file(inspect *in, int is_csv, const char *header, const sw_measure_opts *o,
                              sw_obs_set *prev, sw_error *err)
{
    struct stat sb;
    in->exists = stat(in->path, &sb) == 0;
    in->keep = in->len = 0;
    if (!in->exists)
        return errno == ENOENT ? SW_OK
                               : sw_error_set(err, SW_EIO, "%s: %s", in->path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return sw_error_set(err, SW_EIO, "%s: not a regular file", in->path);
    if (sb.st_size == 0)
        return SW_OK;
    if (!o->resume && !o->force)
        return sw_error_set(err, SW_EINVAL,
                            "%s exists: --resume completes its sweep, --force starts it over",
                            in->path);
    if (!o->resume)
        return SW_OK;
    char *buf;
    size_t len;
    sw_status st = sw_read_file(in->path, &buf, &len, err);
    if (st)
        return st;
    size_t keep = len;
    while (keep > 0 && buf[keep - 1] != '\n')
        keep--;
    in->len = len;
    in->keep = keep;
    size_t hl = strlen(header);
    if (is_csv && keep > 0 && (keep < hl || memcmp(buf, header, hl) != 0))
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

static sw_status open_file(const inspect *in, int is_csv, const char *header, FILE **fp,
                           sw_error *err)
{
    int append = in->exists && in->keep > 0;
    int fd = open(in->path, O_WRONLY | O_CREAT | (append ? 0 : O_TRUNC), 0644);
    if (fd < 0)
        return sw_error_set(err, SW_EIO, "%s: %s", in->path, strerror(errno));
    if (append && in->keep < in->len && ftruncate(fd, (off_t)in->keep) != 0) {
        close(fd);
        return sw_error_set(err, SW_EIO, "%s: cannot cut the torn last line: %s", in->path,
                            strerror(errno));
    }
    if (lseek(fd, 0, SEEK_END) < 0 || !(*fp = fdopen(fd, "a"))) {
        close(fd);
        return sw_error_set(err, SW_EIO, "%s: %s", in->path, strerror(errno));
    }
    if (is_csv && !append) {
        if (fputs(header, *fp) == EOF || fflush(*fp) != 0 || fsync(fileno(*fp)) != 0)
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

static sw_status sync_file(FILE *fp, const char *path, sw_error *err);

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
    return added ? sync_file(r->jsonl, r->jsonl_path, err) : SW_OK;
}

sw_status sw_results_open(sw_results *r, const sw_measure_opts *o, const sw_obs *proto,
                          sw_error *err)
{
    memset(r, 0, sizeof *r);
    r->csv_path = o->out_csv;
    r->jsonl_path = o->out_jsonl;
    char *header = NULL;
    sw_status st = csv_header(proto, &header, err);
    inspect ic = {o->out_csv, 0, 0, 0}, ij = {o->out_jsonl, 0, 0, 0};
    sw_obs_set jprev = {0};
    if (!st && o->out_csv)
        st = inspect_file(&ic, 1, header, o, &r->prev, err);
    /* The CSV is the record when both are written; JSONL otherwise. */
    if (!st && o->out_jsonl)
        st = inspect_file(&ij, 0, header, o, o->out_csv ? &jprev : &r->prev, err);
    if (!st && o->out_csv)
        st = open_file(&ic, 1, header, &r->csv, err);
    if (!st && o->out_jsonl)
        st = open_file(&ij, 0, header, &r->jsonl, err);
    if (!st && r->csv && r->jsonl)
        st = catch_up(r, &jprev, err);
    sw_obs_set_free(&jprev);
    free(header);
    for (size_t i = 0; i < r->prev.n; i++)
        r->nprev += r->prev.series[i]->npts;
    if (st)
        sw_results_close(r);
    return st;
}

static sw_status sync_file(FILE *fp, const char *path, sw_error *err)
{
    if (fflush(fp) != 0 || ferror(fp))
        return sw_error_set(err, SW_EIO, "%s: write failed (disk full?): %s", path,
                            strerror(errno));
    if (fsync(fileno(fp)) != 0 && errno != EINVAL)
        return sw_error_set(err, SW_EIO, "%s: fsync failed: %s", path, strerror(errno));
    return SW_OK;
}

sw_status sw_results_append(sw_results *r, const sw_obs *o, const sw_obs_point *p,
                            sw_error *err)
{
    sw_status st = SW_OK;
    if (r->csv) {
        st = sw_obs_write_csv_point(o, p, r->csv, err);
        if (!st)
            st = sync_file(r->csv, r->csv_path, err);
    }
    if (!st && r->jsonl) {
        st = sw_obs_write_jsonl_point(o, p, r->jsonl, err);
        if (!st)
            st = sync_file(r->jsonl, r->jsonl_path, err);
    }
    return st;
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

void sw_results_close(sw_results *r)
{
    if (r->csv)
        fclose(r->csv);
    if (r->jsonl)
        fclose(r->jsonl);
    r->csv = r->jsonl = NULL;
    sw_obs_set_free(&r->prev);
}
