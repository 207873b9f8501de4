/* fit.c — the whole fit: options, the model's lifecycle, the data turned
 * into one row per distinct N, and the steps in order:
 *   the universe of terms (base terms, the catalogue of shapes or the
 *   platform's collective shapes) -> every hypothesis fitted, validated
 *   on the series' own larger N and weighed (fit_select.c) -> the leading
 *   hypothesis as the central curve and a sample drawn from all of them by
 *   weight for the intervals (fit_sample.c).
 * The formulas are in docs/fit.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

void sw_fit_options_default(sw_fit_options *opt)
{
    opt->level = 0.9;
    opt->bootstrap = 1000;
    opt->seed = 1;
    opt->form = -1;
    opt->max_comm = 2;
    opt->n_max = 0;
    opt->extrap = 0;
    opt->platform = NULL;
    opt->calib = NULL;
    opt->tasks = 0;
    opt->noise = 0;
    opt->jitter = NULL;
    opt->jitter_steps = 0;
}

void sw_whatif_none(sw_whatif *w)
{
    w->payload_speedup = 1.0;
    w->comm_scale = 1.0;
    w->serial_scale = 1.0;
    w->sync_scale = 1.0;
    w->batch = 0;
}

double sw_whatif_factor(const sw_whatif *w, sw_term_role role)
{
    if (!w)
        return 1.0;
    switch (role) {
    case SW_ROLE_SERIAL: return w->serial_scale;
    case SW_ROLE_PARALLEL: return 1.0 / w->payload_speedup;
    case SW_ROLE_COMM: return w->comm_scale;
    case SW_ROLE_WAIT: return w->sync_scale;
    }
    return 1.0;
}

/* A term's value under a what-if.  The slowest-of-N payload is divided by
 * the payload speed-up as a whole (a faster rank's jitter, a share of its
 * step, shrinks with it) and its wait, the share above the mean, scales
 * with the synchronisation factor. */
double sw_term_eval_whatif(const sw_term *t, double n, const sw_whatif *w)
{
    double f = sw_whatif_factor(w, t->role);
    if (t->shape == SW_SHAPE_SLOWEST && w && w->sync_scale != 1) {
        sw_term u = *t;
        u.k *= w->sync_scale;
        return f * sw_term_eval(&u, n);
    }
    return f * sw_term_eval(t, n);
}

/* ---- model lifecycle ---- */

/* "network" last, after the data keys (0..6) and "bootstrap" (7): where
 * the data's network comes from (sw_obs_network), for the trust gate. */
const char *const sw_fit_src_keys[SW_FIT_NSRC] = {"input",   "workload",   "params",
                                                  "quantity", "unit",      "scaling",
                                                  "conversion", "bootstrap", "network"};

sw_fitmodel *sw_fitmodel_alloc(void)
{
    sw_fitmodel *m = calloc(1, sizeof *m);
    if (m) {
        m->level = 0.9;
        m->work = 1.0;
        m->noise = NAN;
        m->calib_ratio = 1;
        m->drift_growth = 1;
        m->n_ref = 1;
    }
    return m;
}

void sw_fitmodel_free(sw_fitmodel *m)
{
    if (!m)
        return;
    free(m->boot);
    free(m->drift);
    free(m->rate_unit);
    free(m->groups);
    for (size_t k = 0; k < SW_FIT_NSRC; k++)
        free(m->src[k]);
    for (size_t k = 0; k < m->nwarnings; k++)
        free(m->warnings[k]);
    free(m->warnings);
    free(m->hyp);
    free(m->shapes);
    free(m->criterion);
    free(m->calib_source);
    free(m->platform);
    free(m->bnoise);
    free(m);
}

sw_status sw_fitmodel_set_src(sw_fitmodel *m, const char *key, const char *value, sw_error *err)
{
    for (size_t k = 0; k < SW_FIT_NSRC; k++)
        if (strcmp(sw_fit_src_keys[k], key) == 0) {
            char *v = value ? strdup(value) : NULL;
            if (value && !v)
                return sw_error_set(err, SW_ENOMEM, "out of memory");
            free(m->src[k]);
            m->src[k] = v;
            return SW_OK;
        }
    return sw_error_set(err, SW_EINVAL, "unknown provenance key '%s'", key);
}

sw_status sw_fitmodel_add_warning(sw_fitmodel *m, sw_error *err, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **w = realloc(m->warnings, (m->nwarnings + 1) * sizeof *w);
    if (!w)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    m->warnings = w;
    if (!(w[m->nwarnings] = strdup(buf)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    m->nwarnings++;
    return SW_OK;
}

/* ---- data ---- */

typedef struct point {
    double n, t, batch;
} point;

static int cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

static sw_status check_points(const double *n, const double *t, size_t count, sw_error *err)
{
    if (count == 0)
        return sw_error_set(err, SW_EDOM, "no points to fit");
    for (size_t k = 0; k < count; k++) {
        if (!isfinite(n[k]) || n[k] < 1)
            return sw_error_set(err, SW_EDOM, "point %zu: N = %g is not a unit count >= 1",
                                k + 1, n[k]);
        if (!isfinite(t[k]))
            return sw_error_set(err, SW_EDOM, "point %zu (N = %g): time is not a finite number",
                                k + 1, n[k]);
        if (t[k] <= 0)
            return sw_error_set(err, SW_EDOM, "point %zu (N = %g): time %g is not positive",
                                k + 1, n[k], t[k]);
    }
    return SW_OK;
}

/* Peak-normalised rate series have no run on one unit, but they define
 * t(1) = 1 (one unit at its peak: E(1) = 1, the premise of the Karp-Flatt
 * reading).  The anchor is a group without points whose weight makes it a
 * constraint; it is never a point to predict and never resampled. */
static sw_status add_anchor(sw_fitmodel *mo, size_t **start, sw_error *err)
{
    size_t m = mo->ngroups;
    sw_fit_group *g = realloc(mo->groups, (m + 1) * sizeof *g);
    if (!g)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    mo->groups = g;
    size_t *s = realloc(*start, (m + 2) * sizeof *s);
    if (!s)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    *start = s;
    memmove(g + 1, g, m * sizeof *g);
    memmove(s + 1, s, (m + 1) * sizeof *s);
    s[0] = 0;
    g[0] = (sw_fit_group){1, 1, 1, 1, 0};
    mo->ngroups = m + 1;
    return SW_OK;
}

static sw_status make_groups(point *pts, size_t count, sw_fitmodel *mo, size_t **start,
                             sw_error *err)
{
    qsort(pts, count, sizeof *pts, cmp_point);
    size_t m = 0;
    for (size_t k = 0; k < count; k++)
        if (k == 0 || pts[k].n != pts[k - 1].n)
            m++;
    mo->groups = calloc(m, sizeof *mo->groups);
    *start = calloc(m + 1, sizeof **start);
    if (!mo->groups || !*start)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    size_t g = 0;
    for (size_t k = 0; k < count; k++) {
        if (k > 0 && pts[k].n != pts[k - 1].n)
            (*start)[++g] = k;
        mo->groups[g].n = pts[k].n;
        mo->groups[g].count++;
        mo->groups[g].mean += pts[k].t;
        mo->groups[g].batch += pts[k].batch;
    }
    (*start)[m] = count;
    for (g = 0; g < m; g++) {
        mo->groups[g].mean /= (double)mo->groups[g].count;
        mo->groups[g].batch /= (double)mo->groups[g].count;
    }
    mo->ngroups = m;
    mo->npoints = count;
    mo->n_min = mo->groups[0].n;
    mo->n_max = mo->groups[m - 1].n;
    if (m == 1)
        return sw_error_set(err, SW_EDOM,
                            "all %zu points are at a single N = %g: a scaling model needs at "
                            "least 3 distinct N",
                            count, pts[0].n);
    if (m < 3)
        return sw_error_set(err, SW_EDOM,
                            "only %zu distinct N (%g, %g): fewer points than the parameters "
                            "of any model worth choosing; measure at least 3 distinct N",
                            m, mo->groups[0].n, mo->groups[1].n);
    mo->n_ref = mo->anchor1 ? 1 : mo->n_min;
    mo->batched = sw_fit_batch_used(mo->groups, m);
    mo->b0 = mo->groups[0].batch;
    if (mo->anchor1 && mo->groups[0].n != 1)
        return add_anchor(mo, start, err);
    return SW_OK;
}

/* Relative spread within each N: the same for every hypothesis. */
static double within_ss(const point *pts, const size_t *start, const sw_fit_group *gr, size_t m)
{
    double ss = 0;
    for (size_t g = 0; g < m; g++)
        for (size_t k = start[g]; k < start[g + 1]; k++) {
            double e = (pts[k].t - gr[g].mean) / gr[g].mean;
            ss += e * e;
        }
    return ss;
}

/* ---- the universe of terms ---- */

/* Base terms first (serial, then the payload for strong scaling), then a
 * platform's collective shapes, a pipeline's hops, then the catalogue. */
static size_t universe(sw_fit_form form, const sw_fit_options *opt, const sw_fit_group *gr,
                       size_t m, sw_term *u, size_t *nbase, size_t *npair)
{
    size_t n = 0;
    u[n++] = (sw_term){.role = SW_ROLE_SERIAL, .shape = SW_SHAPE_POWLOG, .i = 0, .j = 0};
    if (form == SW_FIT_STRONG && opt->tasks > 0) /* a master-worker program (fit_master.c) */
        u[n++] = (sw_term){.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_TASKS, .i = opt->tasks};
    else if (form == SW_FIT_STRONG && opt->jitter) /* the payload waits for the slowest */
        u[n++] = (sw_term){.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_SLOWEST,
                           .i = opt->jitter->sigma, .j = (int)opt->jitter->family,
                           .k = sw_jitter_share(opt->jitter)};
    else if (form == SW_FIT_STRONG)
        u[n++] = (sw_term){.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_POWLOG, .i = -1, .j = 0};
    *nbase = n;
    if (form == SW_FIT_STRONG && opt->tasks > 0)
        u[n++] = (sw_term){.role = SW_ROLE_COMM, .shape = SW_SHAPE_TASK_TRIPS, .i = opt->tasks};
    sw_term cat[SW_FIT_MAXUNIVERSE];
    size_t named;
    size_t nc = sw_fit_catalogue(form, opt->extrap, cat, SW_FIT_MAXUNIVERSE, &named);
    if (opt->platform)
        n += sw_fit_platform_terms(opt->platform, form == SW_FIT_STRONG ? gr : NULL, m, u + n,
                                   SW_FIT_MAXUNIVERSE - n); /* a fixed total volume: strong */
    if (form == SW_FIT_STRONG) /* a pipeline's fill and drain (fit_pipe.c) */
        n += sw_fit_pipe_terms(opt->platform, gr, m, u + n, SW_FIT_MAXUNIVERSE - n);
    *npair = n;
    /* a named MPI all-to-all choice replaces the plain transpose volume
     * (fit_platform.c) */
    int named_a2a = 0;
    for (size_t k = *nbase; k < n; k++)
        named_a2a |= u[k].shape == SW_SHAPE_ALLTOALL;
    for (size_t k = 0; k < nc && n < SW_FIT_MAXUNIVERSE; k++) {
        /* a named all-to-all replaces the transpose volume; measured step
         * times replace the guesses at the stragglers' tail */
        if ((named_a2a && cat[k].shape == SW_SHAPE_TRANSPOSE) ||
            (form == SW_FIT_STRONG && opt->jitter && cat[k].role == SW_ROLE_WAIT)) {
            if (k + 1 == named)
                *npair = n;
            continue;
        }
        u[n++] = cat[k];
        if (k + 1 == named)
            *npair = n;
    }
    return n;
}

static sw_status describe(sw_fitmodel *mo, const sw_fit_options *opt, double jnoise,
                          sw_error *err)
{
    const sw_fit_calib *cal = opt->calib ? opt->calib : sw_fit_calibration();
    char buf[600], floor[64], slow[200] = "", sync[120] = "";
    if (jnoise > opt->noise)
        snprintf(floor, sizeof floor, "noise at least %.2g, from the step times", jnoise);
    else if (opt->noise > 0)
        snprintf(floor, sizeof floor, "noise at least %g, as stated", opt->noise);
    else
        snprintf(floor, sizeof floor, "noise floor %g", cal->sigma0);
    const sw_jitter *j = mo->form == SW_FIT_STRONG ? opt->jitter : NULL;
    if (j && j->family == SW_JITTER_LOGNORMAL)
        snprintf(slow, sizeof slow,
                 "; the payload waits for the slowest of N: %zu step times, log-normal "
                 "(log-sd %.3g), %.3g of a step varies; %g steps a value vary by up to %.2g",
                 j->steps, j->sigma, sw_jitter_share(j), opt->jitter_steps, jnoise);
    else if (j)
        snprintf(slow, sizeof slow,
                 "; the payload waits for the slowest of N: %zu step times, %s, %.3g of a step "
                 "varies; %g steps a value vary by up to %.2g",
                 j->steps, sw_jitter_family_name(j->family), sw_jitter_share(j),
                 opt->jitter_steps, jnoise);
    if (mo->has_sync)
        snprintf(sync, sizeof sync,
                 "; the step's least synchronisation on the platform (%s: log2 N latencies) "
                 "added",
                 mo->sync.label);
    snprintf(buf, sizeof buf,
             "the fit (%s), a BIC size penalty and leave-future-out validation (lambda %g)%s%s%s",
             floor, cal->lambda, opt->platform ? "; communication shapes from the platform" : "",
             slow, sync);
    free(mo->criterion);
    free(mo->calib_source);
    mo->criterion = strdup(buf);
    mo->calib_source = strdup(opt->platform || !cal->source_data ? cal->source : cal->source_data);
    mo->calib_ratio = cal->ratio;
    mo->drift_growth = cal->growth > 0 ? cal->growth : 1;
    if (opt->platform) {
        free(mo->platform);
        mo->platform = strdup(opt->platform->name);
    }
    if (!mo->criterion || !mo->calib_source || (opt->platform && !mo->platform))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    return SW_OK;
}

#define BATCH_GRID 17

/* One data set per B_noise of a batch model's grid (one data set when the
 * series carries no growing batch): columns, right-hand side, noise. */
static sw_status datasets(sw_fitmodel *mo, const point *pts, const size_t *start, size_t count,
                          const sw_fit_calib *cal, double noise, const double *rowf,
                          const sw_term *u, size_t nu, sw_fit_data *d, double *bn, double *lp,
                          size_t *nd, sw_error *err)
{
    size_t m = mo->ngroups;
    *nd = 1;
    bn[0] = lp[0] = 0;
    if (mo->batched)
        *nd = sw_fit_batch_grid(cal, mo->b0, bn, lp, BATCH_GRID);
    for (size_t j = 0; j < *nd; j++) {
        d[j].cal = cal;
        d[j].noise2 = noise * noise;
        d[j].b = malloc(m * sizeof *d[j].b);
        if (!d[j].b || sw_fitws_init(&d[j].ws, u, nu, mo->groups, m))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        if (mo->batched)
            sw_fit_batch_columns(&d[j].ws, mo->groups, mo->b0, bn[j]);
        d[j].ws.off = mo->has_sync ? mo->sync_off : NULL;
        d[j].ws.f = rowf;
        for (size_t g = 0; rowf && g < m; g++) /* a quieter N weighs more */
            d[j].ws.sw[g] *= rowf[g];
        for (size_t g = 0; g < m; g++)
            d[j].b[g] = d[j].ws.sw[g] * (mo->groups[g].mean - sw_fitws_off(&d[j].ws, g));
        d[j].within = within_ss(pts, start, mo->groups, m);
        d[j].count = count;
        d[j].nruns_groups = m - (mo->groups[0].anchor ? 1 : 0);
    }
    return SW_OK;
}

static sw_status warnings(sw_fitmodel *mo, const sw_fit_h *lead, size_t skipped, size_t all,
                          size_t maxp, size_t count, size_t ngroups, sw_error *err)
{
    size_t m = mo->ngroups;
    sw_status st = SW_OK;
    if (skipped &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "%zu of %zu hypotheses (up to %zu terms) skipped: %zu points "
                                      "at %zu distinct N cannot test them",
                                      skipped, all, maxp, count, m)))
        return st;
    if (isnan(lead->lfo_rms) &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "%zu distinct N are too few to check the leading "
                                      "hypothesis on its own larger N: its intervals carry an "
                                      "untested model error",
                                      m)))
        return st;
    if (!isnan(lead->lfo_rms) && ngroups <= 4 &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "only %zu distinct N: the leading hypothesis was checked "
                                      "on %zu prediction%s of the series' own larger N; measure "
                                      "more N to tell the shapes apart",
                                      ngroups, lead->nlfo, lead->nlfo == 1 ? "" : "s")))
        return st;
    return SW_OK;
}

static sw_status fit_points(point *pts, size_t count, const sw_fit_options *opt, sw_fit_form form,
                            sw_fitmodel *mo, sw_error *err)
{
    size_t *start = NULL;
    sw_status st = make_groups(pts, count, mo, &start, err);
    if (st) {
        free(start);
        return st;
    }
    /* a master-worker series past the master's saturation: those N give the
     * master's floor, the curve is fitted below them (fit_master.c) */
    size_t sat = opt->tasks > 0 && form == SW_FIT_STRONG ? sw_fit_master_saturated(mo, opt->tasks)
                                                        : mo->ngroups;
    double c_sat = 0, n_sat = 0;
    if (sat >= 3 && sat < mo->ngroups) {
        const sw_fit_group *last = &mo->groups[mo->ngroups - 1];
        n_sat = last->n;
        c_sat = last->mean / (opt->tasks + n_sat - 1);
        double cut = mo->groups[sat].n;
        size_t kept = 0;
        for (size_t k = 0; k < count; k++)
            if (pts[k].n < cut)
                pts[kept++] = pts[k];
        free(mo->groups);
        mo->groups = NULL;
        free(start);
        start = NULL;
        count = kept;
        if ((st = make_groups(pts, count, mo, &start, err)) ||
            (st = sw_fitmodel_add_warning(mo, err,
                                          "N >= %g: the time per round of tasks grows (the "
                                          "master saturates); the master's cost per request is "
                                          "read there (%.3g s at N = %g) and the curve is fitted "
                                          "on N < %g",
                                          cut, c_sat, n_sat, cut))) {
            free(start);
            return st;
        }
    }
    if ((st = sw_fit_master_setup(mo, opt, form, err))) {
        free(start);
        return st;
    }
    if (c_sat > 0) {
        mo->mw_c_data = c_sat;
        mo->mw_n_sat = n_sat;
    }
    sw_fit_master_bound(mo);
    const sw_fit_calib *cal = opt->calib ? opt->calib : sw_fit_calibration();
    size_t m = mo->ngroups, nbase, npair, nd = 0;
    sw_term u[SW_FIT_MAXUNIVERSE];
    size_t nu = universe(form, opt, mo->groups, m, u, &nbase, &npair);
    sw_fit_data d[BATCH_GRID] = {0};
    double bn[BATCH_GRID], lp[BATCH_GRID];
    sw_fit_h *hs = malloc(BATCH_GRID * SW_FIT_MAXHYP * sizeof *hs);
    double *tpool = malloc(count * sizeof *tpool), *rowf = NULL;
    if (!hs || !tpool) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    /* one rank's step times: the synchronisation floor, each N's noise
     * (fit_slowest.c) */
    double jnoise = 0, noise;
    if ((st = sw_fit_slowest_setup(mo, opt, form, cal, &rowf, &jnoise, err)))
        goto done;
    noise = fmax(opt->noise, jnoise);
    if ((st = datasets(mo, pts, start, count, cal, noise, rowf, u, nu, d, bn, lp, &nd, err)))
        goto done;
    for (size_t j = 0; j < nd; j++) /* shapes from a platform are surer than the catalogue's */
        d[j].tau0 = opt->platform ? cal->tau0 : cal->tau0_data;
    /* [N>1] needs a measured N = 1 (an anchor is a constraint, not a run) */
    int have_n1 = mo->groups[0].n == 1 && !mo->groups[0].anchor;
    size_t nh = 0, all = 0, skipped = 0, maxp = 0;
    double sigma2 = INFINITY;
    for (size_t j = 0; j < nd; j++) {
        size_t k = sw_fit_enumerate(form, u, nu, nbase, npair, opt->max_comm, have_n1,
                                    mo->n_max, hs + nh, SW_FIT_MAXHYP);
        all += k;
        for (size_t q = 0; q < k; q++) {
            hs[nh + q].logprior = lp[j];
            hs[nh + q].bnoise = bn[j];
        }
        sw_fit_score(&d[j], mo->groups, hs + nh, &k, &skipped, &maxp);
        nh += k;
        if (k)
            sigma2 = fmin(sigma2, d[j].sigma2);
    }
    mo->ntried = nh;
    mo->form = form;
    if (nh == 0) {
        st = sw_error_set(err, SW_EDOM,
                          "%zu points at %zu distinct N are fewer than the parameters of every "
                          "hypothesis (+1 to test it); measure more N or repetitions",
                          count, m);
        goto done;
    }
    for (size_t j = 0; j < nd; j++)
        d[j].sigma2 = sigma2;
    sw_fit_finish(hs, nh, sigma2, cal->lambda);
    if ((st = warnings(mo, &hs[0], skipped, all, maxp, count, d[0].nruns_groups, err)) ||
        (st = sw_fit_table(mo, u, nu, hs, nh, err)))
        goto done;
    mo->noise = sqrt(sigma2);
    mo->nboot = opt->bootstrap;
    mo->seed = opt->seed;
    mo->level = opt->level;
    int by_reps = 1;
    for (size_t g = 0; g < m; g++)
        if (mo->groups[g].count < 3 && !mo->groups[g].anchor)
            by_reps = 0;
    for (size_t k = 0; k < count; k++)
        tpool[k] = pts[k].t;
    /* the anchor group has no runs: its start index is unused */
    sw_fit_pool pool = {tpool, start, by_reps};
    const char *method = !mo->nboot ? "none" : by_reps ? "repetitions" : "parametric";
    if ((st = sw_fitmodel_set_src(mo, "bootstrap", method, err)))
        goto done;
    if (!by_reps && mo->nboot &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "fewer than 3 repetitions at some N: intervals come from "
                                      "a parametric resample with the fitted noise (%.2g%%)%s",
                                      100 * mo->noise,
                                      noise > 0 ? ""
                                                     : "; if one run varies more, say so with "
                                                       "--noise")))
        goto done;
    if ((st = sw_fit_sample(mo, u, hs, nh, &pool, err)) || (st = describe(mo, opt, jnoise, err)))
        goto done;
done:
    for (size_t j = 0; j < BATCH_GRID; j++) {
        sw_fitws_free(&d[j].ws);
        free(d[j].b);
    }
    free(hs);
    free(tpool);
    free(start);
    free(mo->sync_off);
    mo->sync_off = NULL;
    free(rowf);
    return st;
}

sw_status sw_fit_run_points(const double *n, const double *t, const double *batch, size_t count,
                            const sw_fit_options *opt, sw_fit_form form, sw_fitmodel *mo,
                            sw_error *err)
{
    sw_fit_options def;
    if (!opt) {
        sw_fit_options_default(&def);
        opt = &def;
    }
    if (!(opt->level > 0 && opt->level < 1))
        return sw_error_set(err, SW_EINVAL, "interval level %g is not in (0, 1)", opt->level);
    if (!(opt->noise >= 0 && opt->noise < 1))
        return sw_error_set(err, SW_EINVAL, "noise %g is not a relative spread in [0, 1)",
                            opt->noise);
    if (opt->jitter && !(opt->jitter_steps >= 1 && opt->jitter_steps <= 1e12))
        return sw_error_set(err, SW_EINVAL,
                            "step times need the steps each value averages (>= 1), not %g",
                            opt->jitter_steps);
    if (opt->max_comm < 0 || opt->max_comm > SW_FIT_HYPTERMS - 2)
        return sw_error_set(err, SW_EINVAL, "terms beside t_s and t_p/N: %d is not 0 to %d",
                            opt->max_comm, SW_FIT_HYPTERMS - 2);
    sw_status st = check_points(n, t, count, err);
    if (st)
        return st;
    point *pts = malloc(count * sizeof *pts);
    if (!pts)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu points", count);
    size_t kept = 0;
    for (size_t k = 0; k < count; k++)
        if (!(opt->n_max > 0) || n[k] <= opt->n_max)
            pts[kept++] = (point){n[k], t[k], batch ? batch[k] : 0};
    if (kept == 0) {
        free(pts);
        return sw_error_set(err, SW_EDOM, "no point has N <= %g", opt->n_max);
    }
    st = fit_points(pts, kept, opt, form, mo, err);
    free(pts);
    return st;
}

sw_status sw_fit_arrays(const double *n, const double *t, size_t count, const sw_fit_options *opt,
                        sw_fitmodel **out, sw_error *err)
{
    *out = NULL;
    sw_fitmodel *mo = sw_fitmodel_alloc();
    if (!mo)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_fit_form form = opt && opt->form == SW_FIT_WEAK ? SW_FIT_WEAK : SW_FIT_STRONG;
    sw_status st = sw_fit_run_points(n, t, NULL, count, opt, form, mo, err);
    if (!st)
        st = sw_fitmodel_set_src(mo, "quantity", "time", err);
    if (!st)
        st = sw_fitmodel_set_src(mo, "scaling", form == SW_FIT_WEAK ? "weak" : "strong", err);
    if (!st && !(mo->rate_unit = strdup("runs/s")))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    if (st) {
        sw_fitmodel_free(mo);
        return st;
    }
    *out = mo;
    return SW_OK;
}
