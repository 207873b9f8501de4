/* fit.h — models of T(N) fitted to observations, chosen among hypotheses,
 * with bootstrap intervals; evaluated at any N, with what-ifs.
 *
 * A model is a sum of non-negative terms with a physical meaning:
 *   strong scaling  T(N) = t_s + t_p/N + sum_k c_k g_k(N)
 *   weak scaling    T(N) = t_0         + sum_k c_k g_k(N)   (Gustafson)
 * where each g_k is a shape with a mechanism: communication and waiting that
 * grow with N (trees, rings, bandwidth) and costs that shrink with it
 * (stragglers, halo surfaces, transposes), or, with a platform, the cost of
 * its collectives.  Coefficients come from non-negative least squares on
 * relative error; every hypothesis (a combination of shapes) is weighed by
 * its fit and by how well it predicts the larger N from the smaller ones;
 * the uncertainty is a sample of coefficient vectors drawn from all
 * hypotheses by weight, with a model error that grows with the distance
 * beyond the data, calibrated on an extrapolation corpus.  Every evaluation
 * below turns the sample into intervals.  docs/fit.md states every formula.
 *
 * This header is a stable API: `scalewall plan` and later capabilities load
 * a model file with sw_fitmodel_read_file and ask it questions with
 * sw_fitmodel_predict / sw_fitmodel_answers.  The model type is opaque;
 * everything a consumer needs has an accessor. */
#ifndef SCALEWALL_FIT_H
#define SCALEWALL_FIT_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/jitter.h"
#include "scalewall/obs.h"
#include "scalewall/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SW_FITMODEL_FORMAT "scalewall-fit-model"
#define SW_FITMODEL_VERSION 2

typedef enum sw_fit_form { SW_FIT_STRONG = 0, SW_FIT_WEAK = 1 } sw_fit_form;

/* What a term stands for; the what-if knobs scale terms by role. */
typedef enum sw_term_role {
    SW_ROLE_SERIAL = 0,   /* t_s (strong) or t_0 (weak): compute that does not shrink */
    SW_ROLE_PARALLEL = 1, /* t_p / N: compute that divides among units */
    SW_ROLE_COMM = 2,     /* communication: latency, bandwidth, halo, transpose */
    SW_ROLE_WAIT = 3      /* synchronisation: waiting for the slowest of N (stragglers) */
} sw_term_role;

/* The shapes g(N).  Each stands for a mechanism (docs/fit.md, "Shapes"):
 * communication and waiting that grow with N and costs that shrink with it. */
typedef enum sw_term_shape {
    SW_SHAPE_POWLOG = 0,    /* N^i log2(N)^j: 1, 1/N, log2 N (trees), sqrt N, N log2 N,
                               N^(-2/3) (3-D halo surface), N^(-1/2) (2-D halo surface) */
    SW_SHAPE_BANDWIDTH = 1, /* (N-1)/N: bandwidth-optimal allreduce of a fixed message */
    SW_SHAPE_STRAGGLER = 2, /* log2(N)/N: the slowest of N with exponential-tailed jitter, to
                               leading order (model files before the exact form below) */
    SW_SHAPE_STRAGGLER_GAUSS = 3, /* sqrt(2 ln N)/N: the same for Gaussian jitter */
    SW_SHAPE_TRANSPOSE = 4, /* (N-1)/N^2: all-to-all (transpose) volume a rank sends */
    SW_SHAPE_LINEAR = 5,    /* N-1: ring/pairwise latency, one message per peer (USL kappa) */
    SW_SHAPE_STEP = 6,      /* 1 for N > 1, 0 at N = 1: the fixed cost of going parallel */
    SW_SHAPE_SQRT1 = 7,     /* sqrt(N) - 1: 2-D mesh distance, 0 at N = 1 */
    SW_SHAPE_PLATFORM = 8,  /* a collective's cost on a platform: sum of hinged parts */
    SW_SHAPE_HALO3 = 9,     /* the surface of a block of a 3-D grid cut by MPI_Dims_create(N, 3):
                               sum over cut axes of 2/(d_j d_k) (6 N^(-2/3) for a cube) */
    SW_SHAPE_FACES3 = 10,   /* the face messages of that cut: 2 per cut axis (0 to 6) */
    SW_SHAPE_STRAGGLER_LOGN = 11, /* (L(N) - 1)/N, L(N) the expected largest of N log-normal
                               factors of mean 1 and log-sd i: heavy-tailed jitter */
    SW_SHAPE_ALLTOALL = 12, /* MPI_Alltoall of a fixed total volume i (bytes) on a platform,
                               in seconds: the algorithm the MPI library's selector j
                               (sw_alltoall_selector) picks at N for blocks of i/N^2 bytes,
                               its latency and bytes per level from the ALPHA/BETA parts */
    SW_SHAPE_STRAGGLER_EXP = 13, /* (H_N - 1)/N, H_N = 1 + 1/2 + ... + 1/N the expected largest
                               of N exponentials of mean 1: exponential-tailed jitter */
    SW_SHAPE_TASKS = 14,    /* master-worker payload of T = i tasks (--tasks): 1 at N = 1
                               (rank 0 computes them all), ceil(T/(N-1))/T above (rounds
                               of tasks over the N - 1 workers; the master computes none) */
    SW_SHAPE_TASK_TRIPS = 15, /* the same rounds, 0 at N = 1: each task's request and reply
                               through the master (coefficient T x the cost per task) */
    SW_SHAPE_STENCIL = 16,  /* one iteration of a 3-D stencil on a platform, in seconds: the
                               halo exchange of a grid cut by MPI_Dims_create(N, 3) (six face
                               messages posted at once, a face plane of i bytes) and an
                               8-byte allreduce; levels as ALPHA/BETA pairs (absolute alpha,
                               beta of each level), flags in j (fit_platform.c) */
    SW_SHAPE_BLOCKS3 = 17,  /* the largest block of a G^3 grid (G = i) cut by MPI_Dims_create(N, 3)
                               beyond the even share: prod ceil(G/d_k) / G^3 - 1/N (compute) */
    SW_SHAPE_SLOWEST = 18   /* the payload waiting for the slowest of N ranks, from one rank's
                               measured step times (--step-times, jitter.h): (1 + k (E[max of N]
                               - 1))/N, family j (sw_jitter_family), log-sd i, share k */
} sw_term_shape;

/* One part of a platform shape: a cost that starts at a level boundary.
 *   SW_PART_LOG   w * max(0, log2(N / at))      tree steps past the boundary
 *   SW_PART_FRAC  w * max(0, 1 - at / N)        bandwidth share crossing it
 *   SW_PART_LIN   w * max(0, N - at)            linear steps past it
 *   SW_PART_VOL   w * max(0, N - at) / N^2      all-to-all volume crossing it
 *   SW_PART_HALO  w * the 3-D halo surface (SW_SHAPE_HALO3) of the cut axes
 *                 whose neighbours cross the boundary (N > at, and the axis'
 *                 run of stride x d ranks does not tile a group of `at`)
 *   SW_PART_STEP  w * [N > at]                   a cost paid once the boundary is crossed
 *                 (a pipeline's slowest hop, M - 1 times per micro-batch stream) */
typedef enum sw_part_kind {
    SW_PART_LOG = 0,
    SW_PART_FRAC,
    SW_PART_LIN,
    SW_PART_VOL,
    SW_PART_HALO,
    SW_PART_ALPHA, /* an all-to-all's latency increment (s) from distance `at` on */
    SW_PART_BETA,  /* its time per byte increment (s/B) from distance `at` on */
    SW_PART_STEP
} sw_part_kind;
typedef struct sw_term_part {
    sw_part_kind kind;
    double at; /* units at the boundary, >= 1 */
    double w;  /* weight, >= 0 */
} sw_term_part;
#define SW_TERM_MAXPARTS 6

typedef struct sw_term {
    sw_term_role role;
    sw_term_shape shape;
    double i; /* power of N (POWLOG) */
    int j;    /* power of log2 N (POWLOG) */
    double k; /* SW_SHAPE_SLOWEST only: the share of a step that varies (jitter.h) */
    /* SW_SHAPE_PLATFORM only: g(N) = sum of the parts; `label` names it */
    size_t nparts;
    sw_term_part part[SW_TERM_MAXPARTS];
    char label[40];
} sw_term;

/* g(N) for one term; N >= 1. */
double sw_term_eval(const sw_term *t, double n);
/* A readable name: "1", "1/N", "log2(N)", "N^0.5", "N*log2(N)^2", "(N-1)/N",
 * "log2(N)/N", "N-1", "[N>1]", a platform term's label. */
void sw_term_name(const sw_term *t, char *buf, size_t size);
/* The mechanism a term stands for, one phrase ("tree latency: log2 N steps"). */
const char *sw_term_mechanism(const sw_term *t);

/* The Extra-P family, in catalogue order: 38 shapes N^i log2^j N
 * (i in {0,1/4,1/3,1/2,2/3,3/4,1,5/4,4/3,3/2,5/3,7/4,2}, j in {0,1,2}, not
 * both 0) and (N-1)/N; with --extrap each is a single-term hypothesis.
 * Returns the count; fills up to `cap` entries of `out` (NULL to count). */
size_t sw_fit_comm_terms(sw_term *out, size_t cap);

/* The constants the weights and intervals are calibrated with (docs/fit.md,
 * "Calibration"); the built-in set comes from the extrapolation corpus. */
typedef struct sw_fit_calib {
    double sigma0; /* floor on relative noise: simulated data is not exact truth */
    double nu0;    /* its weight, in pseudo-runs */
    double lambda; /* weight of the leave-future-out errors in the weights */
    double tau0;   /* model error per octave^growth beyond the data, every series
                      whose communication shapes come from a platform */
    double tau0_data; /* the same for a fit from the data alone: its shapes are
                      the catalogue's guesses */
    double kappa;  /* times the error per octave the series itself showed */
    double eta;    /* times the relative noise of a mean value: the shapes the
                      data's noise leaves apart diverge beyond it (docs/fit.md,
                      "Uncertainty") */
    double growth; /* the model error grows as (octaves beyond the data)^growth */
    double ratio;  /* the largest N / N_max the coverage was measured at */
    double bn_mu, bn_sd; /* batch models: log2(B_noise / B0) ~ N(bn_mu, bn_sd) */
    const char *source; /* what it was calibrated on (fits with a platform) */
    const char *source_data; /* the same for fits from the data alone (NULL: source) */
} sw_fit_calib;

/* The built-in calibration. */
const sw_fit_calib *sw_fit_calibration(void);

typedef struct sw_fit_options {
    double level;          /* interval level stored as the model's default, 0.9 */
    size_t bootstrap;      /* bootstrap samples, default 1000; 0 = no intervals */
    unsigned long seed;    /* GSL rng seed: same data + seed -> same model */
    int form;              /* -1: from the series' scaling; else sw_fit_form */
    int max_comm;          /* communication terms per hypothesis, 0..2 (default 2) */
    double n_max;          /* 0: all points; else only points with N <= n_max */
    int extrap;            /* 1: every Extra-P shape N^i log2^j N is also tried as a
                              single term */
    const sw_platform *platform; /* NULL: shapes from the data alone; else the
                              communication shapes come from this platform's
                              collective costs (levels, node and leaf size, taper)
                              and only their coefficients from the data */
    const sw_fit_calib *calib; /* NULL: the built-in calibration (a calibration
                              run passes its own) */
    double tasks;          /* 0: none; else a master-worker program's tasks per step T
                              (a workload fact, `fit --tasks`): the payload is T tasks
                              over N - 1 workers and the master's service of T + N - 1
                              requests floors the time (docs/fit.md, "Master-worker") */
    const sw_jitter *jitter; /* NULL: none; else one rank's step-time distribution
                              (`fit --step-times`): the payload waits for the slowest of N
                              (SW_SHAPE_SLOWEST) and the catalogue's straggler shapes,
                              which guess that tail from the curve, are left out */
    double jitter_steps;   /* with jitter: the steps each value of the series averages
                              (`fit --steps S`); the slowest of N varies from step to
                              step, and the noise is floored at what S steps leave
                              (sw_jitter_noise) */
    double noise;          /* 0: none; else each value's relative run-to-run noise is at
                              least this (a fact about the data, `fit --noise`: e.g.
                              0.05 for results published as +-5%); the data's own spread
                              and misfit may raise it, never lower it */
} sw_fit_options;

void sw_fit_options_default(sw_fit_options *opt);

/* The platform `fit --platform` reads: a built-in profile name, a platform
 * JSON file (the ones `simulate` and `measure --platform` read), or an SMPI
 * spec flat:... / fattree:leaf=L,up=U,lat=..,bw=.. (docs/virtual.md). */
sw_status sw_fit_platform_spec(const char *spec, sw_platform *out, sw_error *err);

typedef struct sw_fitmodel sw_fitmodel;

/* Fits plain arrays: one entry per run (repetitions share N).  `t` is time
 * (seconds or any time-like unit), > 0.  SW_EDOM (bad data): fewer than 3
 * distinct N, a single N, too few points for any hypothesis, non-positive or
 * non-finite values; SW_EINVAL: options out of range. */
sw_status sw_fit_arrays(const double *n, const double *t, size_t count, const sw_fit_options *opt,
                        sw_fitmodel **out, sw_error *err);

/* Fits one observation series: ok, non-outlier points only.  Rate series are
 * turned into time-like values first: with a peak column,
 * t = peak / (N * rate) (time relative to one ideal unit: Amdahl's
 * s + (1-s)/N); without one, t = 1 / rate (time per unit of work).
 * `source` (may be NULL) is recorded as the input file.  Problems that do not
 * stop the fit (N out of order, dropped failed points, hypotheses skipped for
 * lack of points) become warnings: sw_fitmodel_warning. */
sw_status sw_fit_obs(const sw_obs *o, const char *source, const sw_fit_options *opt,
                     sw_fitmodel **out, sw_error *err);

/* Picks one series from a set: `select` is NULL (the set must hold exactly
 * one series, else SW_EINVAL listing them), a 1-based index "2", or a
 * workload name optionally with params "hpl" / "hpl:nb=192": the params
 * given must equal the series' params or each be one of its items
 * ("cg:nx=64" matches "nx=64;ny=64;nz=64;iters=50"); more than one match is
 * SW_EINVAL. */
sw_status sw_fit_select_series(const sw_obs_set *set, const char *select, const sw_obs **out,
                               sw_error *err);

void sw_fitmodel_free(sw_fitmodel *m);

/* ---- the model document (jansson) ----
 * {"format":"scalewall-fit-model","version":1,...}; a newer version is
 * SW_EUNSUP "... version 2 is newer than this scalewall supports (1)". */
sw_status sw_fitmodel_write(const sw_fitmodel *m, FILE *fp, sw_error *err);
sw_status sw_fitmodel_read_buffer(const char *name, const char *buf, size_t len,
                                  sw_fitmodel **out, sw_error *err);
sw_status sw_fitmodel_read_file(const char *path, sw_fitmodel **out, sw_error *err);

/* ---- what-if ----  Applied to every sample, so intervals follow.
 * One meaning everywhere (amdahl, fit, predict, plan): the payload speed-up
 * divides only the parallel payload t_p/N; the serial part, waiting and
 * communication change only through their own factors. */
typedef struct sw_whatif {
    double payload_speedup; /* k: the parallel payload t_p/N divided by k */
    double comm_scale;      /* c: communication terms times c */
    double serial_scale;    /* s: the serial term times s */
    double sync_scale;      /* w: waiting for the slowest (straggler terms) times w */
    double batch;           /* a batch model (the series carries a global batch per
                               point): the batch at the predicted N; 0 = the batch of
                               the largest measured N not above it */
} sw_whatif;

/* {1, 1, 1, 1, 0}: the model as fitted.  Always start from it: fields added
 * later get their neutral value there. */
void sw_whatif_none(sw_whatif *w);
/* The factor a what-if puts on a term of this role. */
double sw_whatif_factor(const sw_whatif *w, sw_term_role role);

/* ---- evaluation ---- */
/* `median` is the central value: the chosen hypothesis fitted to all the
 * data (the name is kept for API stability; with a well-identified model it
 * is close to the bootstrap median).  [lo, hi] is the central bootstrap
 * interval at the requested level, widened if needed to hold the central
 * value; NAN without a bootstrap. */
typedef struct sw_interval {
    double median;
    double lo, hi;
} sw_interval;

typedef struct sw_fit_pred {
    double n;
    sw_interval time;       /* the model's mean time T(N): a confidence interval */
    double time_pi_lo;      /* where one new run at N falls: the interval above */
    double time_pi_hi;      /*   widened by the fitted relative noise */
    /* Relative to N_ref, the smallest measured N (1 for a series from N = 1
     * or anchored at t(1) = 1; sw_fitmodel_n_ref), with p = N / N_ref: */
    sw_interval speedup;    /* strong: T(N_ref)/T(N); weak (scaled): p T(N_ref)/T(N) */
    sw_interval efficiency; /* S/p */
    sw_interval serial;     /* strong: Karp-Flatt's experimentally determined serial
                               fraction (1/E-1)/(p-1); weak: Gustafson's scaled serial
                               fraction (p-S)/(p-1); NAN at N = N_ref */
    sw_interval gain;       /* what-if: T_fitted(N)/T_whatif(N); 1 without one */
} sw_fit_pred;

/* Everything at one N; `level` in (0,1) (0 = the model's default); w may be NULL. */
sw_status sw_fitmodel_predict(const sw_fitmodel *m, double n, double level, const sw_whatif *w,
                              sw_fit_pred *out, sw_error *err);

/* The leading hypothesis' curve alone (no sample): fast; the central values
 * of sw_fitmodel_predict are the sample's medians instead. */
double sw_fitmodel_time(const sw_fitmodel *m, double n, const sw_whatif *w);

/* Bulk: T(N) for `count` values, median and interval (lo/hi may be NULL):
 * the sample's quantiles at 4 points per octave across the requested range,
 * interpolated against log N (within 2%: shapes defined on whole N, such
 * as halo3d, are jagged between grid points; exact where there are fewer N than
 * grid points); without a sample the central curve and NAN bounds.  Costs a
 * few hundred sw_fitmodel_predict calls whatever the count: use it for
 * 10^6 points. */
sw_status sw_fitmodel_time_many(const sw_fitmodel *m, const double *n, size_t count, double level,
                                const sw_whatif *w, double *median, double *lo, double *hi,
                                sw_error *err);

/* The derived answers.  Unbounded ones are +INFINITY: no optimum (time keeps
 * falling), E never drops to the target, an unbounded wall. */
typedef struct sw_fit_answers {
    sw_interval n_opt;       /* N* maximising S (strong: minimising T); inf if none */
    sw_interval max_speedup; /* the wall as a speedup: sup S(N) */
    sw_interval wall_rate;   /* the wall as payload rate: max_speedup * r1 */
    sw_interval n_half;      /* N where E falls to 1/2 */
    sw_interval n_target;    /* N where E falls to e_target */
    sw_interval serial_share; /* strong: t_s / T(1), Amdahl's s without the
                                 communication terms; NAN for weak scaling */
    double e_target;
    double r1;               /* payload rate of one unit (see sw_fitmodel_rate_unit) */
} sw_fit_answers;

sw_status sw_fitmodel_answers(const sw_fitmodel *m, double level, double e_target,
                              const sw_whatif *w, sw_fit_answers *out, sw_error *err);

/* ---- reports (what `fit` and `predict` print) ---- */
typedef enum sw_fit_out { SW_FIT_OUT_TEXT = 0, SW_FIT_OUT_CSV = 1, SW_FIT_OUT_JSON = 2 } sw_fit_out;

typedef struct sw_fit_query {
    const double *n;  /* where to predict */
    size_t count;
    double level;     /* 0: the model's */
    double e_target;  /* for sw_fit_answers.n_target, in (0, 1) */
    const sw_whatif *w; /* may be NULL */
} sw_fit_query;

/* Text: model, data, selection table, answers, prediction table.  CSV: the
 * prediction table only.  JSON: all of it without the bootstrap sample. */
sw_status sw_fit_report_write(const sw_fitmodel *m, const sw_fit_query *q, sw_fit_out format,
                              FILE *fp, sw_error *err);

/* ---- how far the model's intervals are tested ----
 * Extrapolation is the promise and the risk: the farther N lies beyond the
 * largest measured N, the more the answer rests on the model's shape.  The
 * intervals are calibrated (their coverage measured) up to a ratio
 * N / N_max stored in the model; beyond it, or below the smallest measured
 * N, an interval is the model's guess, not a tested one.  Every output that
 * shows a number at N says so through this call. */
typedef struct sw_fit_reach {
    double n;                /* the N asked about */
    double n_min, n_max;     /* the measured range */
    double ratio;            /* N / n_max: > 1 is extrapolation */
    double calibrated_ratio; /* the intervals' coverage is tested up to this ratio
                                (1: inside the measured range only) */
    int calibrated;          /* 1 when n_min <= N and ratio <= calibrated_ratio */
    char reason[256];        /* one line: "N/N_max = 64 is beyond the 32x ..." */
} sw_fit_reach;

/* SW_EDOM when N < 1 or not finite. */
sw_status sw_fitmodel_reach(const sw_fitmodel *m, double n, sw_fit_reach *out, sw_error *err);
/* The ratio N/N_max up to which the intervals are calibrated, and what
 * calibrated them ("none" for a model file older than version 2). */
double sw_fitmodel_calibrated_ratio(const sw_fitmodel *m);
const char *sw_fitmodel_calibration(const sw_fitmodel *m);

/* ---- accessors ---- */
sw_fit_form sw_fitmodel_form(const sw_fitmodel *m);
size_t sw_fitmodel_nterms(const sw_fitmodel *m);
const sw_term *sw_fitmodel_term(const sw_fitmodel *m, size_t k);
double sw_fitmodel_coef(const sw_fitmodel *m, size_t k);
/* "T(N) = 0.5 + 12/N + 0.01*log2(N)" */
void sw_fitmodel_formula(const sw_fitmodel *m, char *buf, size_t size);
double sw_fitmodel_level(const sw_fitmodel *m);
size_t sw_fitmodel_nboot(const sw_fitmodel *m);
/* Bootstrap sample b: nterms coefficients. */
const double *sw_fitmodel_boot(const sw_fitmodel *m, size_t b);
/* Relative noise sigma of one run, from the residuals. */
double sw_fitmodel_noise(const sw_fitmodel *m);
/* r1 and its unit: "runs/s" for time series (1/T(1)), the series' unit for
 * rate series. */
double sw_fitmodel_r1(const sw_fitmodel *m);
const char *sw_fitmodel_rate_unit(const sw_fitmodel *m);
/* Range of N the model was fitted on. */
double sw_fitmodel_n_min(const sw_fitmodel *m);
double sw_fitmodel_n_max(const sw_fitmodel *m);
/* The N that speedup and efficiency are relative to: 1 when the series
 * starts at N = 1 (or is anchored at t(1) = 1), else its smallest N. */
double sw_fitmodel_n_ref(const sw_fitmodel *m);
/* How the hypotheses were weighed, one phrase for reports. */
const char *sw_fitmodel_criterion(const sw_fitmodel *m);
/* The name of the serial-fraction column: "Karp-Flatt serial fraction"
 * (strong) or "Gustafson scaled serial fraction" (weak). */
const char *sw_fitmodel_serial_name(const sw_fitmodel *m);
/* Provenance: "input", "workload", "params", "quantity", "unit", "scaling",
 * "conversion", "bootstrap" (method), "network" (where the data's network
 * comes from, sw_obs_network: "" when it never crossed one between nodes);
 * NULL when unknown (fitted from arrays, or a model file without it). */
const char *sw_fitmodel_source(const sw_fitmodel *m, const char *key);

size_t sw_fitmodel_nwarnings(const sw_fitmodel *m);
const char *sw_fitmodel_warning(const sw_fitmodel *m, size_t i);

/* The selection table, by weight.  Every hypothesis gets a weight from its
 * fit, its size and how well it predicted the larger N of the series from
 * the smaller ones (leave-future-out); the intervals come from a sample of
 * all hypotheses drawn by weight, and the central curve is the leading one
 * (docs/fit.md, "Choosing").  The model's terms are the union of the sampled
 * hypotheses' terms; terms the leading fit does not use have coefficient 0. */
typedef struct sw_fit_hyp {
    char name[160];     /* "1 + 1/N + log2(N)" */
    size_t nterms;
    double aicc, delta; /* aicc: the information criterion of the fit alone;
                           delta = -2 ln(weight / leading weight) */
    double weight;      /* cross-validated weight among all hypotheses tried */
    double loo;         /* RMS log error predicting the larger N from the smaller
                           (leave-future-out); NAN when too few N to test it */
    double rss;         /* weighted (relative) residual sum of squares */
    int equivalent;     /* same fitted curve as a better-ranked hypothesis */
    double boot_share;  /* share of the samples drawn from it */
} sw_fit_hyp;

size_t sw_fitmodel_nhyp(const sw_fitmodel *m);
const sw_fit_hyp *sw_fitmodel_hyp(const sw_fitmodel *m, size_t i);
size_t sw_fitmodel_ntried(const sw_fitmodel *m);
/* 1 when the data cannot separate the leading hypothesis from a rival: a
 * different curve with at least 1/e of its weight; then the rivals are worth
 * showing. */
int sw_fitmodel_ambiguous(const sw_fitmodel *m);

/* What the data say about each shape: the total weight of the hypotheses
 * that use it.  Near 1 the data need it, near 0 they exclude it; in between
 * they cannot tell it from its rivals. */
typedef struct sw_fit_shape_use {
    char name[48];
    double weight; /* 0..1 */
} sw_fit_shape_use;
size_t sw_fitmodel_nshapes(const sw_fitmodel *m);
const sw_fit_shape_use *sw_fitmodel_shape_use(const sw_fitmodel *m, size_t i);

/* The Universal Scalability Law (Gunther): S(N) = N / (1 + sigma (N-1) +
 * kappa N (N-1)), in time form T(N) = T1 (1 + sigma (N-1) + kappa N (N-1)) / N
 * = t_s + t_p/N + c (N-1) with sigma = t_s/T1, kappa = c/T1.  Filled when the
 * leading hypothesis has that form (its terms are among 1, 1/N, N-1);
 * returns 0 otherwise. */
int sw_fitmodel_usl(const sw_fitmodel *m, double *sigma, double *kappa);

#ifdef __cplusplus
}
#endif
#endif
