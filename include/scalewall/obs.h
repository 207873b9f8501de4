/* obs.h — the observation series: the seam of the whole pipeline.
 *
 * Everything that yields (N, time or rate) points — a measurement sweep, a
 * TOP500 list, a simulation — produces sw_obs; fit, predict, plan and report
 * consume it.  One point per (N, repetition).  A series carries:
 *   - what was observed: workload, params, quantity ("time" in seconds or
 *     "rate" in `unit`), scaling ("strong" or "weak"), simulated or measured;
 *   - free metadata (host, cpu, mpi, blas, compiler, version, utc, ...);
 *   - optional named numeric columns per point ("extras": compute_s, comm_s,
 *     ...), so producers can add detail without changing this type;
 *   - optionally, per point, the host of each rank (a measurement across
 *     nodes), in a `hosts` column that only such series have.
 *
 * Formats (docs/formats.md):
 *   CSV    one tidy row per point; series fields and metadata repeat on every
 *          row as columns, extras are further numeric columns.
 *   JSON   {"format":"scalewall-obs","version":1,"series":[...]}.
 *   JSONL  one point object per line with the same fields as a CSV row; what a
 *          sweep appends as each point finishes.
 * Readers group rows into series by (workload, params, quantity, scaling). */
#ifndef SCALEWALL_OBS_H
#define SCALEWALL_OBS_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SW_OBS_FORMAT_VERSION 1

typedef enum sw_quantity { SW_QTY_TIME = 0, SW_QTY_RATE = 1 } sw_quantity;
typedef enum sw_scaling { SW_SCALING_STRONG = 0, SW_SCALING_WEAK = 1 } sw_scaling;

typedef struct sw_obs_point {
    double n;        /* processing units (ranks x threads, cores, GPUs) */
    double threads;  /* threads per rank, 1 when not threaded */
    int rep;         /* repetition index, 0-based */
    double value;    /* time in seconds, or rate in the series' unit */
    double peak;     /* ideal rate at this N (TOP500 Rpeak), NAN when unknown */
    int ok;          /* 0 for a failed point (non-zero exit, failed check) */
    int outlier;     /* flagged by the statistics, kept in the data */
    char *label;     /* e.g. a system name; may be NULL */
    double *extra;   /* nextra values, NAN when absent */
    char *hosts;     /* where its ranks ran, rank order, run-length encoded
                        ("node1*2;node2*2", hostmap.h); NULL when unknown */
} sw_obs_point;

typedef struct sw_kv {
    char *key;
    char *value;
} sw_kv;

typedef struct sw_obs {
    char *workload;
    char *params;    /* canonical "key=value;key=value", may be empty */
    sw_quantity quantity;
    char *unit;      /* "s" for time; "TFlop/s", "steps/s", ... for rates */
    sw_scaling scaling;
    int simulated;   /* 1 when the points come from a model or SimGrid */
    sw_kv *meta;
    size_t nmeta;
    char **extra_names;
    size_t nextra;
    sw_obs_point *pts;
    size_t npts, cap;
    int has_hosts;   /* its points carry `hosts`: files get a hosts column */
} sw_obs;

typedef struct sw_obs_set {
    sw_obs **series;
    size_t n;
} sw_obs_set;

/* Lifecycle.  sw_obs_new sets unit to "s" for time. */
sw_obs *sw_obs_new(const char *workload, sw_quantity q, const char *unit);
void sw_obs_free(sw_obs *o);
sw_status sw_obs_set_params(sw_obs *o, const char *params, sw_error *err);
sw_status sw_obs_set_meta(sw_obs *o, const char *key, const char *value, sw_error *err);
const char *sw_obs_get_meta(const sw_obs *o, const char *key);
/* Declares an extra column; returns its index or -1 on allocation failure.
 * Existing points get NAN. */
int sw_obs_add_extra(sw_obs *o, const char *name);
int sw_obs_find_extra(const sw_obs *o, const char *name);
/* Appends a point (label copied, extras set to NAN); returns it or NULL. */
sw_obs_point *sw_obs_add(sw_obs *o, double n, int rep, double value);

const char *sw_quantity_name(sw_quantity q);
const char *sw_scaling_name(sw_scaling s);

/* Summaries per distinct N over ok, non-outlier points (sorted by N). */
typedef struct sw_obs_summary {
    double n;
    size_t count;    /* ok points */
    double median, lo, hi; /* median and its distribution-free 95% CI; below 6
                              points no order statistic reaches 95%: [min, max] */
    double coverage; /* what [lo, hi] covers: >= 0.95, or 1 - 2^(1-count) for the
                        range of fewer than 6 points (0.75 for 3); 0 for 1 point */
    double min, max, mad;
    double peak;     /* median of the points' peak, NAN if none */
} sw_obs_summary;

/* Fills *sum (malloc'd, *nsum entries).  Empty series -> SW_EINVAL. */
sw_status sw_obs_summarize(const sw_obs *o, sw_obs_summary **sum, size_t *nsum, sw_error *err);

/* What the [lo, hi] of summaries s[0..n) is, for a table header or a
 * legend, true for every one of them: "95% CI of the median" when each has
 * coverage >= 0.95; otherwise the range, with its actual level: "range of 3
 * runs (a 75% CI of the median)", "range of 3-5 runs (75-94% CIs of the
 * median)"; "1 run: no interval" when no N has two runs.  No commas:
 * figures use it in series names, and their data files stay easy to cut. */
void sw_obs_interval_label(const sw_obs_summary *s, size_t n, char *buf, size_t size);

/* ---- what a point is, beside its numbers ----
 * Two conditions change what a time means, and every output that shows a
 * point says which apply (docs/formats.md):
 *   simulated       the series comes from a model or SimGrid, not from a
 *                   measurement;
 *   oversubscribed  more busy threads than cores: a measured point's
 *                   core_load column > 1 (busy threads per core on the
 *                   busiest node), or a simulated point above the host
 *                   cores its units were told to share (params cores=C,
 *                   N > C).  Its time measures time-sharing, not scaling. */
typedef struct sw_obs_cond {
    int simulated;
    int oversubscribed;
    double core_load; /* busy threads (units) per core at this N; NAN unknown */
} sw_obs_cond;

/* The conditions of the points at N (the largest core_load among them). */
void sw_obs_condition(const sw_obs *o, double n, sw_obs_cond *out);
/* "oversubscribed (2 per core)", "simulated", "simulated, oversubscribed
 * (4 per core)", or "" for a measured point on its own cores. */
void sw_obs_condition_label(const sw_obs_cond *c, char *buf, size_t size);
/* How many distinct N of the series are oversubscribed; the smallest such
 * N in *first (NAN when none). */
size_t sw_obs_oversubscribed(const sw_obs *o, double *first);

/* Where the series' network comes from, for a model fitted to it: a
 * simulated platform ("simulated platform hdr": `simulate`, `measure
 * --platform`) or measurements across nodes ("measured across 4 nodes",
 * meta nodes > 1); "" when the points never crossed a network between
 * nodes. */
void sw_obs_network(const sw_obs *o, char *buf, size_t size);

/* Sets: */
void sw_obs_set_free(sw_obs_set *s);
sw_status sw_obs_set_push(sw_obs_set *s, sw_obs *o, sw_error *err);

/* Writers.  Each writes to an open stream; callers use sw_outfile for
 * atomicity.  sw_obs_write_jsonl_point writes one line and flushes, which is
 * what makes an interrupted sweep keep its finished points. */
sw_status sw_obs_write_csv(const sw_obs_set *s, FILE *fp, sw_error *err);
sw_status sw_obs_write_json(const sw_obs_set *s, FILE *fp, sw_error *err);
sw_status sw_obs_write_csv_header(const sw_obs *o, FILE *fp, sw_error *err);
sw_status sw_obs_write_csv_point(const sw_obs *o, const sw_obs_point *p, FILE *fp,
                                 sw_error *err);
sw_status sw_obs_write_jsonl_point(const sw_obs *o, const sw_obs_point *p, FILE *fp,
                                   sw_error *err);

/* Readers.  `name` is used in messages.  The format is chosen from content:
 * '{' then a "series" key -> JSON; '{' per line -> JSONL; otherwise CSV.
 * A truncated last line of a CSV or JSONL file (an interrupted write) is
 * reported as an error naming the line, never silently dropped; callers that
 * resume use sw_obs_read_tolerant to recover the complete lines. */
sw_status sw_obs_read_buffer(const char *name, const char *buf, size_t len, sw_obs_set *out,
                             sw_error *err);
sw_status sw_obs_read_file(const char *path, sw_obs_set *out, sw_error *err);
/* As sw_obs_read_file, but an incomplete final line (no trailing newline and
 * unparsable) is dropped; *dropped tells whether that happened. */
sw_status sw_obs_read_tolerant(const char *path, sw_obs_set *out, int *dropped, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
