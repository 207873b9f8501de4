/* fit_internal.h — the fitted model's layout and the fit's working types,
 * shared by the files of the fit, one per concept:
 *   fit.c         options, the model's lifecycle, data into groups, the whole fit
 *   fit_shapes.c  the shapes g(N) and the catalogue of mechanisms
 *   fit_solve.c   non-negative least squares on relative error, one hypothesis
 *   fit_select.c  the hypotheses, their weights, the selection table
 *   fit_sample.c  the sample of coefficient vectors the intervals come from
 *   fit_calib.c   the calibration constants and how far they hold
 *   fit_platform.c  communication shapes from a platform's collective costs
 *   fit_eval.c    questions to a fitted model; fit_json.c the model document;
 *   fit_obs.c     from an observation series; fit_report.c what fit/predict print */
#ifndef SW_FIT_INTERNAL_H
#define SW_FIT_INTERNAL_H

#include <gsl/gsl_rng.h>

#include "scalewall/fit.h"

/* one hypothesis: serial + parallel + up to three more terms */
#define SW_FIT_HYPTERMS 5
/* a model: the union of the terms of the hypotheses its sample drew from */
#define SW_FIT_MAXTERMS 24
/* the selection table keeps this many leading hypotheses */
#define SW_FIT_TABLE 12
/* answers are searched on [1, SW_FIT_NMAX] */
#define SW_FIT_NMAX 1e12
/* the model-error drift grows for this many octaves beyond the data (1024x),
 * then stays: a multiplicative error has no shape of its own to extrapolate */
#define SW_FIT_DRIFT_OCTAVES 10
/* the hypothesis set: base terms + catalogue (+ the Extra-P family) */
#define SW_FIT_MAXUNIVERSE 64
#define SW_FIT_MAXHYP 1024
/* provenance keys (sw_fit_src_keys) */
#define SW_FIT_NSRC 9

/* One distinct N of the data, as used by the fit and kept as provenance. */
typedef struct sw_fit_group {
    double n;
    size_t count;
    double mean;
    int anchor;   /* the t(1) = 1 constraint of a peak-normalised rate series */
    double batch; /* the global batch there (a batch model), else 0 */
} sw_fit_group;

struct sw_fitmodel {
    sw_fit_form form;
    size_t nterms;
    sw_term terms[SW_FIT_MAXTERMS];
    double coef[SW_FIT_MAXTERMS];
    double cov[SW_FIT_MAXTERMS * SW_FIT_MAXTERMS];
    size_t nboot;
    double *boot;   /* nboot x nterms, row-major */
    double *drift;  /* nboot: the sample's model-error slope, log T per log2 of the
                       distance beyond the data (NULL: none, a version 1 file) */
    double level;
    double noise;
    unsigned long seed;
    double work;     /* rate = work / t for rate series; 1 for time */
    char *rate_unit; /* unit of work / t */
    double n_min, n_max, n_ref;
    size_t npoints;
    sw_fit_group *groups;
    size_t ngroups;
    char *src[SW_FIT_NSRC]; /* provenance, indexed as sw_fit_src_keys */
    char **warnings;
    size_t nwarnings;
    sw_fit_hyp *hyp;
    size_t nhyp, ntried;
    int ambiguous;
    sw_fit_shape_use *shapes;
    size_t nshapes;
    char *criterion;
    int anchor1; /* set before fitting: add the t(1) = 1 anchor */
    int not_seconds; /* set before fitting: the values are not seconds (a rate turned
                        into time, another unit): no cost in seconds is added to them */
    /* a step that waits for the slowest rank ends in a synchronisation: with
     * step times and a platform, its least cost (fit_platform.c,
     * sw_fit_platform_sync) is a known part of every value, fitted around
     * and added with coefficient 1 (the last term of the model) */
    int has_sync;
    sw_term sync;
    double *sync_off; /* its value at each group's N (during the fit) */
    double calib_ratio; /* intervals calibrated up to N/N_max = calib_ratio */
    double drift_growth; /* the drift multiplies octaves^drift_growth (1: linear) */
    char *calib_source; /* what calibrated them */
    char *platform;     /* the platform the communication shapes came from, or NULL */
    /* time to train when the global batch grows with N (fit_batch.c):
     * T = phi(B) [t_s + t_p (B/B0)/N + ...], phi = (1 + Bn/B)/(1 + Bn/B0) */
    int batched;
    double b0;          /* the batch at the smallest N */
    double bn_central;  /* the leading hypothesis' gradient noise scale */
    double *bnoise;     /* nboot: each sample's */
    /* a master-worker program (fit_master.c): T tasks per step, the floor
     * (T + N - 1) c(N) of the master serving every request */
    double mw_tasks;    /* T; 0: no master */
    size_t mw_nlv;      /* latency levels from rank 0 (0: no platform) */
    double mw_at[3], mw_alpha[3];
    double mw_alpha_data; /* the mean latency to the master at the largest fitted N */
    double mw_c_data, mw_n_sat; /* the cost per request measured where the master
                                   saturated (at N = mw_n_sat; 0: nowhere) */
    double mw_c_bound, mw_n_bound; /* the data's bound on it: at N = mw_n_bound the
                                      master served T + N - 1 requests within the
                                      measured T(N) (0: none) */
};

extern const char *const sw_fit_src_keys[SW_FIT_NSRC];

sw_fitmodel *sw_fitmodel_alloc(void);
sw_status sw_fitmodel_set_src(sw_fitmodel *m, const char *key, const char *value, sw_error *err);
sw_status sw_fitmodel_add_warning(sw_fitmodel *m, sw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* T(N) from a coefficient vector with the what-if applied. */
double sw_fit_time_coef(const sw_fitmodel *m, const double *coef, double n, const sw_whatif *w);
/* The same for sample b (its model-error drift applied beyond the data);
 * b = SIZE_MAX is the central curve. */
double sw_fit_time_sample(const sw_fitmodel *m, size_t b, double n, const sw_whatif *w);
/* How far N lies outside the measured range, in octaves (0 inside it). */
double sw_fit_distance(const sw_fitmodel *m, double n);

/* Fits plain (N, t) arrays into an allocated model (fit.c); `batch` (may
 * be NULL) is the global batch of each run, for a time-to-train model. */
sw_status sw_fit_run_points(const double *n, const double *t, const double *batch, size_t count,
                            const sw_fit_options *opt, sw_fit_form form, sw_fitmodel *mo,
                            sw_error *err);

/* ---- shapes (fit_shapes.c) ---- */

/* The catalogue of shapes tried beside the base terms, for a form: the
 * named shapes (their count in *named), then with `extrap` the rest of the
 * Extra-P family.  Returns the count written. */
size_t sw_fit_catalogue(sw_fit_form form, int extrap, sw_term *out, size_t cap, size_t *named);
/* The expected largest of N log-normal factors of mean 1 and log-sd sigma
 * (1 at N <= 1). */
double sw_lognormal_max(double n, double sigma);
/* A term's value at n under a what-if (fit.c): its role's factor, and for
 * the slowest-of-N payload the synchronisation factor on its wait. */
double sw_term_eval_whatif(const sw_term *t, double n, const sw_whatif *w);
/* 1 when two terms are the same function. */
int sw_term_same(const sw_term *a, const sw_term *b);

/* ---- platform shapes (fit_platform.c) ---- */

/* A network level: ranks at distance >= at cross it, latency alpha (s) and
 * time per byte beta (s/B) there. */
typedef struct sw_fit_level {
    double at, alpha, beta;
} sw_fit_level;
/* The levels a platform has, from the node outwards (at most 3). */
size_t sw_fit_platform_levels(const sw_platform *p, sw_fit_level *lv);

/* The communication shapes of a platform: the platform's versions of tree
 * latency, bandwidth, linear latency and all-to-all volume, and the
 * all-to-all as the platform's MPI picks it for the volume the data gr[0..m)
 * show (none if they show none).  Returns the count written (<= cap). */
/* With one rank's step times (opt->jitter; fit_slowest.c): sets the
 * model's synchronisation floor (has_sync, sync, sync_off: with a platform,
 * on seconds-per-step values) and, in *rowf (malloc'd, NULL without step
 * times), each N's weight sigma_max/sigma_N, sigma_N the noise a mean of S
 * steps of the slowest of N keeps; *jnoise gets sigma_max (0 without). */
sw_status sw_fit_slowest_setup(sw_fitmodel *mo, const sw_fit_options *opt, sw_fit_form form,
                               const sw_fit_calib *cal, double **rowf, double *jnoise,
                               sw_error *err);
/* The least cost of the synchronisation that ends a step on platform p:
 * log2 N latencies by level (recursive doubling or a tree of small
 * messages), in seconds; a SW_SHAPE_PLATFORM term labelled sync@NAME. */
sw_term sw_fit_platform_sync(const sw_platform *p);
size_t sw_fit_platform_terms(const sw_platform *p, const sw_fit_group *gr, size_t m, sw_term *out,
                             size_t cap);
/* An alltoall term's j: the selector, plus this flag when SMPI's default
 * per-message-size network factors apply. */
#define SW_A2A_SMPI 8
/* An MPI library's MPI_Alltoall selector by name ("" = ompi); -1 unknown. */
int sw_alltoall_selector(const char *name);
const char *sw_alltoall_selector_name(int sel);
/* g(N) of an SW_SHAPE_ALLTOALL term: the selected algorithm's time (s). */
double sw_fit_alltoall_eval(const sw_term *t, double n);
/* An SW_SHAPE_STENCIL term's j: SW_A2A_SMPI when SMPI's factors apply, plus
 * these: its allreduce takes 2 log2 N steps (rab_rdb, redbcast) rather than
 * log2 N (rdb); its first level is the inside of a node, whose messages do
 * not share a link (SimGrid's loopback is a fat pipe); only the exchange's
 * bytes (latencies and the allreduce left out: the first estimate of the
 * volume, never stored). */
#define SW_STENCIL_RAB 16
#define SW_STENCIL_NODE 32
#define SW_STENCIL_BYTES 64
/* and the grid G (0 = not known: faces of V/(d_b d_c)) in the bits above */
#define SW_STENCIL_GRID 128
/* g(N) of an SW_SHAPE_STENCIL term: one iteration's communication (s). */
double sw_fit_stencil_eval(const sw_term *t, double n);
/* MPI_Dims_create(N, 3) in non-increasing order (as MPI_Cart_create lays the
 * ranks out: the last axis has stride 1); 0 past 2^24 units. */
int sw_fit_cart_dims(double n, double d[3]);
/* 1 when platform term `plat` is the platform's version of flat shape `flat`
 * (or of another platform term of the same kind). */
int sw_fit_platform_refines(const sw_term *plat, const sw_term *flat);

/* The latency levels from rank 0 (at[l]: first rank distance, alpha[l]:
 * its small-message latency); returns the count (<= cap). */
size_t sw_fit_platform_latency(const sw_platform *p, double *at, double *alpha, size_t cap);

/* ---- master-worker (fit_master.c) ---- */

/* Sets the model's master-worker fields from opt->tasks and the platform
 * (needs the groups); SW_EINVAL when T is not a count >= 1 or the form weak. */
sw_status sw_fit_master_setup(sw_fitmodel *mo, const sw_fit_options *opt, sw_fit_form form,
                              sw_error *err);
/* The first group past the master's saturation (ngroups: none): where the
 * time per round of tasks fell by less than half of what the rounds did. */
size_t sw_fit_master_saturated(const sw_fitmodel *mo, double tasks);
/* Sets mw_c_bound: the tightest T(N)/(T + N - 1) over the measured N >= 2
 * (nothing when the saturation was measured: mw_c_data). */
void sw_fit_master_bound(sw_fitmodel *m);
/* The mean latency from the master to its N - 1 workers (0 without levels). */
double sw_fit_master_alpha(const sw_fitmodel *m, double n);
/* o, a task's trip through the master (s), at position u of c's range. */
double sw_fit_master_trip(const sw_fitmodel *m, const double *coef, double u);
/* c(N), the master's cost per request, at position u in [0, 1] of its range. */
double sw_fit_master_cost(const sw_fitmodel *m, const double *coef, double u, double n);
/* The floor (T + N - 1) c(N) for coefficient vector coef, c at position u
 * in [0, 1] of its range (0 when the model has no master or N <= 1). */
double sw_fit_master_floor(const sw_fitmodel *m, const double *coef, double u, double n);
/* u of sample b (b >= nboot: the central value). */
double sw_fit_master_u(const sw_fitmodel *m, size_t b);

/* ---- a pipeline's hops (fit_pipe.c) ---- */

/* The GPipe hop shapes for the micro-batch count the data show: one per
 * network level the data cross (p may be NULL: one level), none when the
 * data show no pipeline or have no N = 1.  Returns the count written. */
size_t sw_fit_pipe_terms(const sw_platform *p, const sw_fit_group *gr, size_t m, sw_term *out,
                         size_t cap);
/* 1 when t is one of those shapes (a platform term with a step part). */
int sw_fit_is_pipe(const sw_term *t);

/* ---- solving (fit_solve.c) ---- */

/* The weighted problem for one data set: rows are distinct N. */
typedef struct sw_fitws {
    size_t m;         /* rows */
    size_t nu;        /* terms in the universe */
    const sw_term *u; /* the universe */
    double *g;        /* m x nu: g_t(N) */
    double *sw;       /* m: sqrt(weight) = sqrt(count)/mean */
    double *sub;      /* m x SW_FIT_HYPTERMS scratch */
    double *col;      /* m x SW_FIT_HYPTERMS: the hypothesis' scaled columns */
    double *r;        /* m */
    const double *off; /* m: a known cost in every value (the sync floor), or NULL */
    const double *f;   /* m: how much quieter each N is than the noise floor (>= 1;
                          step times: sw_jitter_noise), already in sw; NULL: all 1 */
} sw_fitws;

int sw_fitws_init(sw_fitws *ws, const sw_term *u, size_t nu, const sw_fit_group *gr, size_t m);
/* The known cost in row `row`'s value (the sync floor), 0 without one. */
static inline double sw_fitws_off(const sw_fitws *ws, size_t row)
{
    return ws->off ? ws->off[row] : 0;
}
void sw_fitws_free(sw_fitws *ws);
/* NNLS of the hypothesis' columns (universe indices idx[0..p-1]) on the
 * first `rows` rows against b; coef in natural units.  Returns the residual
 * sum of squares, NAN when a column is empty. */
double sw_fit_nnls(sw_fitws *ws, const size_t *idx, size_t p, size_t rows, const double *b,
                   double *coef);


/* ---- hypotheses and their weights (fit_select.c) ---- */

typedef struct sw_fit_data sw_fit_data;

typedef struct sw_fit_h {
    size_t idx[SW_FIT_HYPTERMS]; /* universe indices */
    size_t p;
    size_t npar;    /* free parameters: p, and the micro-batch count a pipeline's
                       hops were built for (fit_pipe.c: fitted, so it is charged) */
    double coef[SW_FIT_HYPTERMS];
    double rss;     /* between-N weighted relative SS */
    double ic;      /* information criterion of the fit alone (BIC) */
    double lfo_ss;  /* sum of squared log errors per octave predicting later N */
    double lfo_rms; /* RMS log error of those predictions; NAN untested */
    double scale;   /* RMS log error predicting later N, per octave^growth (the
                       drift's unit, fit_eval.c); NAN untested */
    size_t nlfo;
    int untested;   /* a term of the full fit is zero in every past it was validated on */
    double logprior; /* beyond the size prior (a batch model's B_noise) */
    double logw, weight;
    int equivalent;
    size_t rep;     /* the first hypothesis drawing the same curve (itself if none) */
    double cls;     /* the weight of its curve (all hypotheses drawing it) */
    size_t order;
    sw_fit_data *data; /* the columns it was fitted on */
    double bnoise;  /* a batch model's gradient noise scale (0 otherwise) */
} sw_fit_h;

/* Everything the selection needs about the data. */
struct sw_fit_data {
    const sw_fit_calib *cal;
    sw_fitws ws;
    double *b;      /* sqrt(w) * mean: the right-hand side */
    double within;  /* relative SS within N */
    size_t count;   /* runs */
    size_t nruns_groups; /* distinct N with runs (the anchor has none) */
    double sigma2;  /* relative noise variance (floored) */
    double noise2;  /* the user's floor on it (fit --noise, squared; 0: none) */
    double tau0;    /* the model error every series gets: cal->tau0 with a
                       platform, cal->tau0_data without */
};

/* Enumerates the hypotheses over the universe: the base terms (u[0] serial,
 * u[1] the payload for strong scaling; nbase of them) with up to max_extra
 * of the terms u[nbase..npair-1], or one of u[npair..nu-1] alone (the
 * Extra-P family, single terms only).  nmax: the largest measured N (a
 * shape the data cannot tell from a constant is not tried). */
size_t sw_fit_enumerate(sw_fit_form form, const sw_term *u, size_t nu, size_t nbase,
                        size_t npair, int max_extra, int have_n1, double nmax, sw_fit_h *out,
                        size_t cap);
/* Fits and validates (leave-future-out) every hypothesis that the data can
 * test; drops the others (their count added to *skipped, the largest size to
 * *maxp); sets d->sigma2 from them. */
void sw_fit_score(sw_fit_data *d, const sw_fit_group *gr, sw_fit_h *hs, size_t *nh,
                  size_t *skipped, size_t *maxp);
/* The weights of scored hypotheses (possibly from several data sets) given
 * the noise variance; sorts by weight. */
void sw_fit_finish(sw_fit_h *hs, size_t nh, double sigma2, double lambda);
/* Fills the model's selection table, ambiguity and shape weights. */
sw_status sw_fit_table(sw_fitmodel *mo, const sw_term *u, size_t nu, sw_fit_h *hs, size_t nh,
                       sw_error *err);
void sw_fit_hyp_name(const sw_term *u, const sw_fit_h *h, char *buf, size_t size);

/* ---- the sample (fit_sample.c) ---- */

typedef struct sw_fit_pool {
    const double *t;     /* runs sorted by N */
    const size_t *start; /* group g's runs are start[g] .. start[g+1]-1 */
    int by_reps;         /* resample repetitions (>= 3 at every N) */
} sw_fit_pool;

/* Draws mo->nboot coefficient vectors: a hypothesis by weight, data
 * resampled around it, refitted, and a model-error drift.  Fills mo->terms
 * (the union), mo->boot, mo->drift, mo->cov. */
sw_status sw_fit_sample(sw_fitmodel *mo, const sw_term *u, sw_fit_h *hs, size_t nh,
                        const sw_fit_pool *pool, sw_error *err);

/* ---- time to train with a growing batch (fit_batch.c) ---- */

/* 1 when every group carries a positive batch (constant in the data, it still
 * tells a prediction at another batch how the steps and the payload move). */
int sw_fit_batch_used(const sw_fit_group *gr, size_t m);
/* The gradient-noise-scale grid and its prior (log2 of Bn/B0 ~ N(mu, sd)):
 * fills up to cap values and their log prior; returns the count. */
size_t sw_fit_batch_grid(const sw_fit_calib *cal, double b0, double *bn, double *logprior,
                         size_t cap);
/* Multiplies the workspace's columns into the batch model's for noise scale
 * bn: every column by phi(B(N)), the payload's also by B(N)/B0. */
void sw_fit_batch_columns(sw_fitws *ws, const sw_fit_group *gr, double b0, double bn);
/* The batch at N a prediction uses: the what-if's, else the batch of the
 * largest measured N not above N (the smallest N's below the data). */
double sw_fit_batch_at(const sw_fitmodel *m, double n, const sw_whatif *w);

/* ---- calibration (fit_calib.c) ---- */



#endif
