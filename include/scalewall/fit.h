/* fit.h — models of T(N) fitted to observations, chosen among hypotheses,
 * with bootstrap intervals; evaluated at any N, with what-ifs.
 *
 * A model is a sum of non-negative terms with a physical meaning:
 *   strong scaling  T(N) = t_s + t_p/N + sum_k c_k g_k(N)
 *   weak scaling    T(N) = t_0         + sum_k c_k g_k(N)   (Gustafson)
 * where g_k comes from a hypothesis set of communication shapes: the Extra-P
 * family N^i log2^j N and the bandwidth-optimal (N-1)/N.  Coefficients come
 * from non-negative least squares weighted by relative error; the hypothesis
 * is chosen by AICc with leave-one-N-out cross-validation beside it; the
 * uncertainty is a bootstrap sample of coefficient vectors that every
 * evaluation below turns into intervals.  docs/fit.md states every formula.
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
#include "scalewall/obs.h"

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
    SW_ROLE_COMM = 2      /* communication / synchronisation growing with N */
} sw_term_role;

typedef enum sw_term_shape {
    SW_SHAPE_POWLOG = 0,  /* N^i * log2(N)^j   (constant: i = j = 0; 1/N: i = -1) */
    SW_SHAPE_BANDWIDTH = 1 /* (N - 1) / N: bandwidth-optimal allreduce of a fixed message */
} sw_term_shape;

typedef struct sw_term {
    sw_term_role role;
    sw_term_shape shape;
    double i; /* power of N (POWLOG) */
    int j;    /* power of log2 N (POWLOG) */
} sw_term;

/* g(N) for one term; N >= 1. */
double sw_term_eval(const sw_term *t, double n);
/* A readable name: "1", "1/N", "log2(N)", "N^0.5", "N*log2(N)^2", "(N-1)/N". */
void sw_term_name(const sw_term *t, char *buf, size_t size);

/* The communication hypothesis set, in catalogue order: 38 Extra-P shapes
 * N^i log2^j N (i in {0,1/4,1/3,1/2,2/3,3/4,1,5/4,4/3,3/2,5/3,7/4,2},
 * j in {0,1,2}, not both 0) and (N-1)/N.  Returns the count; fills up to
 * `cap` entries of `out` (NULL to count). */
size_t sw_fit_comm_terms(sw_term *out, size_t cap);

typedef struct sw_fit_options {
    double level;          /* interval level stored as the model's default, 0.9 */
    size_t bootstrap;      /* bootstrap samples, default 1000; 0 = no intervals */
    unsigned long seed;    /* GSL rng seed: same data + seed -> same model */
    int form;              /* -1: from the series' scaling; else sw_fit_form */
    int max_comm;          /* communication terms per hypothesis, 0..2 (default 2) */
    double n_max;          /* 0: all points; else only points with N <= n_max */
    int extrap;            /* 0: single terms from the named shapes (51 strong / 29
                              weak hypotheses); 1: every Extra-P shape (115 / 61) */
} sw_fit_options;

void sw_fit_options_default(sw_fit_options *opt);

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

/* ---- what-if ----  Applied to every bootstrap sample, so intervals follow. */
typedef struct sw_whatif {
    double payload_speedup; /* k: serial and parallel compute terms / k */
    double comm_scale;      /* c: communication terms * c */
    double serial_scale;    /* s: the serial term * s (after / k) */
} sw_whatif;

/* {1, 1, 1}: the model as fitted. */
void sw_whatif_none(sw_whatif *w);

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
    sw_interval speedup;    /* strong: T(1)/T(N); weak (scaled): N T(1)/T(N) */
    sw_interval efficiency; /* S/N */
    sw_interval serial;     /* 1 - alpha_eff at N: strong Karp-Flatt (1/E-1)/(N-1),
                               weak Gustafson (N-S)/(N-1); NAN at N = 1 */
    sw_interval gain;       /* what-if: T_fitted(N)/T_whatif(N); 1 without one */
} sw_fit_pred;

/* Everything at one N; `level` in (0,1) (0 = the model's default); w may be NULL. */
sw_status sw_fitmodel_predict(const sw_fitmodel *m, double n, double level, const sw_whatif *w,
                              sw_fit_pred *out, sw_error *err);

/* The fitted curve alone (no bootstrap): fast, for plots and bulk use. */
double sw_fitmodel_time(const sw_fitmodel *m, double n, const sw_whatif *w);

/* Bulk: T(N) for `count` values with a delta-method interval from the
 * bootstrap covariance of the coefficients (lo/hi may be NULL).  Cheaper than
 * sw_fitmodel_predict by the bootstrap size; use it for 10^6 points. */
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
/* Provenance: "input", "workload", "params", "quantity", "unit", "scaling",
 * "conversion", "bootstrap" (method); NULL when unknown. */
const char *sw_fitmodel_source(const sw_fitmodel *m, const char *key);

size_t sw_fitmodel_nwarnings(const sw_fitmodel *m);
const char *sw_fitmodel_warning(const sw_fitmodel *m, size_t i);

/* The selection table: the chosen hypothesis first (the fewest terms within 2
 * AICc units of the lowest), then the others by AICc.  The model's terms are
 * the union of the leading distinct hypotheses' terms: each bootstrap sample
 * chooses again among them, so intervals carry the selection's uncertainty;
 * terms the point fit did not choose have coefficient 0. */
typedef struct sw_fit_hyp {
    char name[160];     /* "1 + 1/N + log2(N)" */
    size_t nterms;
    double aicc, delta; /* delta = aicc - best aicc */
    double weight;      /* Akaike weight among all hypotheses tried */
    double loo;         /* RMS relative leave-one-N-out error */
    double rss;         /* weighted (relative) residual sum of squares */
    int equivalent;     /* same fitted curve as a better-ranked hypothesis */
    double boot_share;  /* share of bootstrap samples that chose it (0 if not a candidate) */
} sw_fit_hyp;

size_t sw_fitmodel_nhyp(const sw_fitmodel *m);
const sw_fit_hyp *sw_fitmodel_hyp(const sw_fitmodel *m, size_t i);
size_t sw_fitmodel_ntried(const sw_fitmodel *m);
/* 1 when the data cannot separate the best hypothesis from a rival (delta AICc
 * < 2 and not an equivalent curve); then the rivals are worth showing. */
int sw_fitmodel_ambiguous(const sw_fitmodel *m);

#ifdef __cplusplus
}
#endif
#endif
