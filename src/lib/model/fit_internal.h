/* fit_internal.h — the fitted model's layout, shared by fit.c (fitting),
 * fit_eval.c (questions), fit_json.c (the document) and fit_obs.c. */
#ifndef SW_FIT_INTERNAL_H
#define SW_FIT_INTERNAL_H

#include "scalewall/fit.h"

/* one hypothesis: serial + parallel + two communication terms */
#define SW_FIT_HYPTERMS 4
/* a model: the union of the terms of the hypotheses its bootstrap chose among */
#define SW_FIT_MAXTERMS 12
/* bootstrap samples re-choose among at most this many leading hypotheses */
#define SW_FIT_CANDIDATES 8
/* the selection table keeps this many leading hypotheses */
#define SW_FIT_TABLE 12
/* answers are searched on [1, SW_FIT_NMAX] */
#define SW_FIT_NMAX 1e12

/* One distinct N of the data, as used by the fit and kept as provenance. */
typedef struct sw_fit_group {
    double n;
    size_t count;
    double mean;
    int anchor; /* the t(1) = 1 constraint of a peak-normalised rate series */
} sw_fit_group;

struct sw_fitmodel {
    sw_fit_form form;
    size_t nterms;
    sw_term terms[SW_FIT_MAXTERMS];
    double coef[SW_FIT_MAXTERMS];
    double cov[SW_FIT_MAXTERMS * SW_FIT_MAXTERMS];
    size_t nboot;
    double *boot; /* nboot x nterms, row-major */
    double level;
    double noise;
    unsigned long seed;
    double work;     /* rate = work / t for rate series; 1 for time */
    char *rate_unit; /* unit of work / t */
    double n_min, n_max;
    size_t npoints;
    sw_fit_group *groups;
    size_t ngroups;
    char *src[8]; /* provenance, indexed as sw_fit_src_keys */
    char **warnings;
    size_t nwarnings;
    sw_fit_hyp *hyp;
    size_t nhyp, ntried;
    int ambiguous;
    int anchor1; /* set before fitting: add the t(1) = 1 anchor */
    double calib_ratio; /* intervals calibrated up to N/N_max = calib_ratio */
    char *calib_source; /* what calibrated them */
};

extern const char *const sw_fit_src_keys[8];

sw_fitmodel *sw_fitmodel_alloc(void);
sw_status sw_fitmodel_set_src(sw_fitmodel *m, const char *key, const char *value, sw_error *err);
sw_status sw_fitmodel_add_warning(sw_fitmodel *m, sw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* T(N) from a coefficient vector with the what-if applied. */
double sw_fit_time_coef(const sw_fitmodel *m, const double *coef, double n, const sw_whatif *w);

/* Fits plain (N, t) arrays into an allocated model (fit.c). */
sw_status sw_fit_run_points(const double *n, const double *t, size_t count,
                            const sw_fit_options *opt, sw_fit_form form, sw_fitmodel *mo,
                            sw_error *err);

#endif
