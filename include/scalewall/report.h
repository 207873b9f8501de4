/* report.h — the figures scalewall draws and the one-file HTML report.
 *
 * Figures are built from the pipeline's own types: an observation series
 * (measured or simulated), a model seen through the plan's predictor
 * interface (so this module needs no fit internals), a plan, and TOP500
 * systems.  Each returns a sw_chart (plot.h) the caller saves or inlines.
 *
 * The report is ONE self-contained HTML file: figures inline as base64 PNG
 * data URIs, tables, the method in plain words, the data's provenance; no
 * external CSS, scripts or fonts, so it opens in any browser offline.  Next
 * to report.html it writes each figure's PNG and data CSV (fig-*.png,
 * fig-*.csv) so the numbers behind every picture can be checked.
 * Sections (ids): summary, measurements, model, plan, context, method,
 * provenance — a section whose input is missing says so instead of
 * vanishing.  docs/report.md describes them. */
#ifndef SCALEWALL_REPORT_H
#define SCALEWALL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/obs.h"
#include "scalewall/plan.h"
#include "scalewall/plot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- figures ---- */

/* Measured speedup T(1)/T(N) with its interval per N; with a model, its
 * curve, band and the wall (sup of its speedup) from N = 1 to n_to. */
sw_status sw_fig_speedup(const sw_obs *o, const sw_predictor *model, double n_to,
                         sw_chart **out, sw_error *err);
sw_status sw_fig_efficiency(const sw_obs *o, const sw_predictor *model, double n_to,
                            sw_chart **out, sw_error *err);
/* 1 - alpha_eff(N) (Karp-Flatt) per measured N > 1, and the model's. */
sw_status sw_fig_serial(const sw_obs *o, const sw_predictor *model, double n_to, sw_chart **out,
                        sw_error *err);
/* Stacked per-step time from a simulated series' extras compute_s, comm_s,
 * wait_s, bubble_s, grid_s (those present), median over repetitions. */
sw_status sw_fig_breakdown(const sw_obs *sim, sw_chart **out, sw_error *err);

typedef struct sw_map_system {
    const char *name;
    double n;           /* cores */
    double serial_hpl;  /* 1 - alpha from HPL, NAN when unknown */
    double serial_hpcg; /* 1 - alpha from HPCG, NAN when unknown */
} sw_map_system;

/* E(N, 1-alpha) = 1/(N(1-alpha) + alpha) over log N x log(1-alpha), with
 * the systems placed by their HPL and HPCG values, and an optional extra
 * point (this workload: n, serial; NAN to skip). */
sw_status sw_fig_map(const sw_map_system *sys, size_t nsys, const char *extra_name,
                     double extra_n, double extra_serial, sw_chart **out, sw_error *err);
/* TOP500 systems for the map: from a list file (CSV or .xlsx), or (path
 * NULL) the latest edition of the built-in table.  Unflagged systems with
 * an HPCG figure first, by rank, at most 12; names are copied.  `source`
 * receives a description for the provenance. */
sw_status sw_report_load_systems(const char *path, sw_map_system **out, size_t *n, char *source,
                                 size_t source_size, sw_error *err);
void sw_report_free_systems(sw_map_system *s, size_t n);

/* Plan options: time against cost per option, points labelled by N, each
 * option's knee marked. */
sw_status sw_fig_plan(const sw_plan *plan, sw_chart **out, sw_error *err);

/* ---- words ---- */

/* The Summary's opening: what the data can and cannot support — where the
 * series was taken (simulated or measured, which N are oversubscribed), the
 * best speedup on cores of its own (or that it does not speed up), how far
 * the plan's answers reach and whether the network was measured, and "the
 * numbers below show the method, not a recommendation" when nothing can be
 * bought on it.  results and plan may be NULL. */
void sw_report_support(const sw_obs *results, const sw_plan *plan, char *buf, size_t size);
/* One (N, S) point in words; a slowdown (S < 1) reads "slower than on one
 * unit", never as a serial share above 1. */
void sw_report_point_words(double n, double speedup, char *buf, size_t size);

/* ---- HTML pieces ---- */

/* RFC 4648 base64 of n bytes into a malloc'd NUL-terminated string. */
char *sw_base64(const unsigned char *p, size_t n);
/* Writes s with & < > " ' escaped. */
void sw_html_escape(FILE *fp, const char *s);

/* ---- the report ---- */

typedef struct sw_report_input {
    const char *title;             /* NULL: "scalewall report" */
    const sw_obs *results;         /* measured (or simulated) series; may be NULL */
    const char *results_source;    /* its file name, for provenance */
    const sw_predictor *model;     /* may be NULL */
    const char *model_source;
    const char *model_formula;     /* "T(N) = ...", the model's own words */
    const char *const *model_notes; /* warnings / ambiguity; n_model_notes lines */
    size_t n_model_notes;
    const sw_plan *plan;           /* may be NULL */
    const char *plan_source;
    const sw_obs *breakdown;       /* a simulated series with time extras; may be NULL */
    const sw_map_system *systems;  /* TOP500 context; may be NULL */
    size_t nsystems;
    const char *systems_source;
    const char *const *provenance; /* extra "key: value" lines (commands run, versions) */
    size_t nprovenance;
    double n_to;                   /* extrapolate the model to this N; 0: 64 x the data */
    const char *const *inputs;     /* files the report must not replace (sw_outfile_open) */
    size_t ninputs;
} sw_report_input;

typedef struct sw_report_summary {
    char lines[12][1024]; /* the terminal summary: what the data supports, the plan's
                             answers, the wall */
    size_t nlines;
    size_t nfigures;
    char path[4096];    /* the report.html written */
} sw_report_summary;

/* Writes dir/report.html and dir/fig-*.{png,csv}.  dir must exist and be
 * writable (SW_EIO naming it otherwise).  Every file goes through
 * sw_outfile (none may be one of in->inputs); all are written first and
 * put in place together, report.html last, so a failure leaves none. */
sw_status sw_report_write(const sw_report_input *in, const char *dir, sw_report_summary *sum,
                          sw_error *err);

/* ---- the whole job, from file names (what `scalewall report` runs) ---- */

typedef struct sw_report_job {
    const char *results, *series;  /* a series file and which series (NULL: the only) */
    const char *model;             /* fitted model JSON, or a series */
    const char *plan;              /* plan JSON */
    const char *breakdown;         /* simulated series with time extras */
    const char *top500;            /* a list file; NULL: the built-in table */
    int no_top500;
    const char *out;               /* directory; created (one level) when missing */
    const char *title;
    double n_to;
    const char *const *notes;      /* provenance lines */
    size_t nnotes;
} sw_report_job;

sw_status sw_report_run(const sw_report_job *job, sw_report_summary *sum, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
