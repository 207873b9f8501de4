/* fit_eval.c — asking a fitted model questions: T, S, E and 1-alpha_eff at
 * any N, the optimum N*, the wall, N1/2 and the N where E falls to a
 * target, each with its bootstrap interval, and the what-if knobs.
 *
 * Every answer is computed once per bootstrap coefficient vector and the
 * interval is the central quantile range of those answers, so derived
 * quantities (a minimum, a root) get honest, possibly skewed intervals
 * instead of a linearisation.  The bulk path (sw_fitmodel_time_many) takes
 * the same quantiles on a grid in log N and interpolates between them. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_statistics_double.h>

#include "fit_internal.h"

static void role_mult(const sw_fitmodel *m, const sw_whatif *w, double *mult)
{
    for (size_t k = 0; k < m->nterms; k++)
        mult[k] = sw_whatif_factor(w, m->terms[k].role);
}

/* What every coefficient vector shares at one N: the terms' values times
 * the what-if's factors, and a batch model's B(N) (computed once per N,
 * then each sample is a dot product). */
typedef struct at_n {
    double n;
    double g[SW_FIT_MAXTERMS];
    double b; /* the batch there (batch models) */
    double dist;
    double comm; /* the what-if's factor on communication (the master's floor) */
} at_n;

static void at_n_fill(const sw_fitmodel *m, double n, const sw_whatif *w, at_n *a)
{
    a->n = n;
    for (size_t k = 0; k < m->nterms; k++)
        a->g[k] = sw_term_eval_whatif(&m->terms[k], n, w);
    a->b = m->batched ? sw_fit_batch_at(m, n, w) : 0;
    a->dist = sw_fit_distance(m, n);
    a->comm = sw_whatif_factor(w, SW_ROLE_COMM);
}

/* T(N) of coefficient vector c (noise scale bn for a batch model, u the
 * place of a master's cost per request in its range, u < 0: without the
 * master's floor). */
static double curve_at(const sw_fitmodel *m, const double *c, double bn, double u, const at_n *a)
{
    double t = 0, bscale = 1, f = 1;
    if (m->batched) {
        bscale = a->b / m->b0;
        f = (1 + bn / a->b) / (1 + bn / m->b0);
    }
    for (size_t k = 0; k < m->nterms; k++)
        if (c[k] != 0)
            t += c[k] * a->g[k] * (m->terms[k].role == SW_ROLE_PARALLEL ? bscale : 1);
    t *= f;
    if (m->mw_tasks > 0 && u >= 0) /* the master serialises every request */
        t = fmax(t, a->comm * sw_fit_master_floor(m, c, u, a->n));
    return t;
}

double sw_fit_distance(const sw_fitmodel *m, double n)
{
    /* an anchored series knows t(1): the range starts at N_ref */
    double lo = fmin(m->n_min, m->n_ref);
    double d = n > m->n_max ? log2(n / m->n_max) : n < lo ? log2(lo / n) : 0;
    return d < SW_FIT_DRIFT_OCTAVES ? d : SW_FIT_DRIFT_OCTAVES;
}

static const double *coef_of(const sw_fitmodel *m, size_t b)
{
    return b < m->nboot ? m->boot + b * m->nterms : m->coef;
}

static double bn_of(const sw_fitmodel *m, size_t b)
{
    return b < m->nboot && m->bnoise ? m->bnoise[b] : m->bn_central;
}

/* A sample's curve without its model error: what the answers use. */
static double shape_at(const sw_fitmodel *m, size_t b, const at_n *a)
{
    return curve_at(m, coef_of(m, b), bn_of(m, b), sw_fit_master_u(m, b), a);
}

/* A sample's time: its curve, the master's floor included, times its
 * model-error drift exp(d D^g), D the octaves beyond the data.  The whole
 * time drifts: beyond the data the payload's 1/N is no surer than the rest
 * (a network level or an algorithm switch first crossed there slows every
 * part that waits on it), and a floor the data pin exactly (a master's
 * service read off simulated runs) is still a model (docs/fit.md,
 * "Uncertainty"). */
static double time_at(const sw_fitmodel *m, size_t b, const at_n *a)
{
    double t = curve_at(m, coef_of(m, b), bn_of(m, b), sw_fit_master_u(m, b), a);
    double d = b < m->nboot && m->drift ? m->drift[b] * pow(a->dist, m->drift_growth) : 0;
    return d != 0 ? t * exp(d) : t;
}

double sw_fit_time_coef(const sw_fitmodel *m, const double *coef, double n, const sw_whatif *w)
{
    at_n a;
    at_n_fill(m, n, w, &a);
    return curve_at(m, coef, m->bn_central, sw_fit_master_u(m, SIZE_MAX), &a);
}

static double sample_shape(const sw_fitmodel *m, size_t b, double n, const sw_whatif *w)
{
    at_n a;
    at_n_fill(m, n, w, &a);
    return shape_at(m, b, &a);
}

double sw_fit_time_sample(const sw_fitmodel *m, size_t b, double n, const sw_whatif *w)
{
    at_n a;
    at_n_fill(m, n, w, &a);
    return time_at(m, b, &a);
}

double sw_fitmodel_time(const sw_fitmodel *m, double n, const sw_whatif *w)
{
    if (!(n >= 1))
        return NAN;
    return sw_fit_time_coef(m, m->coef, n, w);
}

static sw_status check_whatif(const sw_whatif *w, sw_error *err)
{
    if (!w)
        return SW_OK;
    if (!(w->payload_speedup > 0) || !isfinite(w->payload_speedup))
        return sw_error_set(err, SW_EDOM, "payload speedup %g is not a positive number",
                            w->payload_speedup);
    if (!(w->comm_scale >= 0) || !isfinite(w->comm_scale))
        return sw_error_set(err, SW_EDOM, "communication scale %g is not >= 0", w->comm_scale);
    if (!(w->serial_scale >= 0) || !isfinite(w->serial_scale))
        return sw_error_set(err, SW_EDOM, "serial scale %g is not >= 0", w->serial_scale);
    if (!(w->sync_scale >= 0) || !isfinite(w->sync_scale))
        return sw_error_set(err, SW_EDOM, "synchronisation scale %g is not >= 0",
                            w->sync_scale);
    return SW_OK;
}

static sw_status check_level(const sw_fitmodel *m, double *level, sw_error *err)
{
    if (*level == 0)
        *level = m->level;
    if (!(*level > 0 && *level < 1))
        return sw_error_set(err, SW_EINVAL, "interval level %g is not in (0, 1)", *level);
    return SW_OK;
}

/* Quantile f of v (n > 0 values, reordered), interpolated between the two
 * order statistics around f (n - 1) as GSL's quantile of sorted data does,
 * but keeping +inf as +inf (GSL's interpolation would give 0*inf = NaN at an
 * exact index).  The order statistics come from GSL's selection, O(n): three
 * quantiles of a 1000-sample cost a third of one sort, which is most of the
 * bulk path's time (bench_fit, "predict 10^6 N"). */
static double quantile_select(double *v, size_t n, double f)
{
    double pos = f * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    double d = pos - (double)lo;
    double a = gsl_stats_select(v, 1, n, lo);
    if (lo + 1 >= n || d == 0)
        return a;
    double b = gsl_stats_select(v, 1, n, lo + 1);
    if (a == b)
        return a;
    if (isinf(b))
        return b;
    return (1 - d) * a + d * b;
}

/* Median and central interval of the finite-or-infinite values in v (NaNs
 * are dropped: an answer that is undefined for one sample). */
static sw_interval summarize(double *v, size_t n, double level)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[k++] = v[i];
    sw_interval r = {NAN, NAN, NAN};
    if (k == 0)
        return r;
    r.median = quantile_select(v, k, 0.5);
    r.lo = quantile_select(v, k, (1 - level) / 2);
    r.hi = quantile_select(v, k, (1 + level) / 2);
    return r;
}

/* Column q of a table whose row 0 is the leading hypothesis' curve and
 * rows 1..nb the sample: the central value is the sample's median (the
 * model average's median: the point that minimises the expected absolute
 * error), the interval its central quantiles.  Without a sample, row 0. */
static sw_interval interval_of(double *tab, size_t stride, size_t q, size_t nb, double level)
{
    sw_interval r = {tab[q], NAN, NAN};
    if (nb == 0)
        return r;
    double *v = malloc(nb * sizeof *v);
    if (!v)
        return r;
    for (size_t b = 0; b < nb; b++)
        v[b] = tab[(b + 1) * stride + q];
    sw_interval s = summarize(v, nb, level);
    free(v);
    if (!isnan(s.median) || isnan(r.median))
        r.median = s.median;
    r.lo = s.lo;
    r.hi = s.hi;
    if (!isnan(r.median) && !isnan(r.lo)) {
        r.lo = fmin(r.lo, r.median);
        r.hi = fmax(r.hi, r.median);
    }
    return r;
}

/* S(N) relative to N_ref (p = N / N_ref): strong T(N_ref)/T(N); weak
 * (scaled speedup) p T(N_ref)/T(N). */
static double speedup_of(const sw_fitmodel *m, double tref, double tn, double n)
{
    return m->form == SW_FIT_WEAK ? n / m->n_ref * tref / tn : tref / tn;
}

/* Strong: Karp-Flatt's experimentally determined serial fraction; weak:
 * Gustafson's scaled serial fraction (S = p - (p-1) s). */
static double serial_of(const sw_fitmodel *m, double s, double n)
{
    double p = n / m->n_ref;
    if (p == 1)
        return NAN;
    if (m->form == SW_FIT_WEAK)
        return (p - s) / (p - 1);
    double e = s / p;
    return (1 / e - 1) / (p - 1);
}

sw_status sw_fitmodel_predict(const sw_fitmodel *m, double n, double level, const sw_whatif *w,
                              sw_fit_pred *out, sw_error *err)
{
    sw_status st = check_level(m, &level, err);
    if (st || (st = check_whatif(w, err)))
        return st;
    if (!(n >= 1) || !isfinite(n))
        return sw_error_set(err, SW_EDOM, "N = %g is not a unit count >= 1", n);
    out->n = n;
    size_t nb = m->nboot;
    double *buf = malloc(10 * (nb + 1) * sizeof *buf);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    /* row 0: the central curve; rows 1..nb: the sample, with its model error
     * (buf) and without (cbuf: the model average the central value is the
     * median of; the model error is symmetric about each curve and must not
     * move it) */
    double *cbuf = buf + 5 * (nb + 1);
    at_n an, aref, a0;
    at_n_fill(m, n, w, &an);
    at_n_fill(m, m->n_ref, w, &aref);
    at_n_fill(m, n, NULL, &a0);
    for (size_t b = 0; b <= nb; b++) {
        size_t s = b ? b - 1 : SIZE_MAX;
        for (int drifted = 0; drifted < 2; drifted++) {
            double tr, tn, t0;
            if (drifted) {
                tr = time_at(m, s, &aref);
                tn = time_at(m, s, &an);
                t0 = time_at(m, s, &a0);
            } else {
                tr = shape_at(m, s, &aref);
                tn = shape_at(m, s, &an);
                t0 = shape_at(m, s, &a0);
            }
            double *v = (drifted ? buf : cbuf) + 5 * b;
            v[0] = tn;
            v[1] = speedup_of(m, tr, tn, n);
            v[2] = v[1] / (n / m->n_ref);
            v[3] = serial_of(m, v[1], n);
            v[4] = t0 / tn;
        }
    }
    sw_interval *dst[5] = {&out->time, &out->speedup, &out->efficiency, &out->serial, &out->gain};
    for (size_t q = 0; q < 5; q++) {
        sw_interval c = interval_of(cbuf, 5, q, nb, level);
        *dst[q] = interval_of(buf, 5, q, nb, level);
        dst[q]->median = c.median;
        if (!isnan(c.median) && !isnan(dst[q]->lo)) {
            dst[q]->lo = fmin(dst[q]->lo, c.median);
            dst[q]->hi = fmax(dst[q]->hi, c.median);
        }
    }
    free(buf);
    /* One new run: the curve's interval widened by the run-to-run relative
     * noise, added in quadrature on the log scale. */
    double z = gsl_cdf_ugaussian_Pinv((1 + level) / 2);
    double sig = isfinite(m->noise) ? z * m->noise : 0;
    double med = out->time.median;
    double dlo = m->nboot ? log(med / out->time.lo) : 0, dhi = m->nboot ? log(out->time.hi / med) : 0;
    out->time_pi_lo = med * exp(-sqrt(dlo * dlo + sig * sig));
    out->time_pi_hi = med * exp(sqrt(dhi * dhi + sig * sig));
    return SW_OK;
}

/* ---- the bulk path: 10^6 N at once ----
 * The central curve alone is evaluated exactly, in blocks of N with one
 * log2 per N.  With a sample, the median and interval come from the
 * sample's quantiles at GRID points per octave across the requested range,
 * interpolated linearly against log N (within 0.1% of the exact quantile for
 * these smooth curves; one log2 per N): the same numbers as
 * sw_fitmodel_predict at the grid points, for the cost of a few hundred of
 * its calls whatever the count. */

#define GRID 4     /* points per octave */
#define BLOCK 256

/* T(N) of the central curve for a block of N. */
static void central_block(const sw_fitmodel *m, const double *mult, const sw_whatif *w,
                          const double *n, size_t len, double *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = 0;
    for (size_t a = 0; a < m->nterms; a++) {
        double c = mult[a] * m->coef[a];
        if (c == 0)
            continue;
        const sw_term *t = &m->terms[a];
        if (t->shape == SW_SHAPE_POWLOG && t->i == -1 && t->j == 0)
            for (size_t i = 0; i < len; i++)
                out[i] += c / n[i];
        else if (t->shape == SW_SHAPE_POWLOG && t->i == 0 && t->j == 0)
            for (size_t i = 0; i < len; i++)
                out[i] += c;
        else if (t->shape == SW_SHAPE_SLOWEST)
            for (size_t i = 0; i < len; i++)
                out[i] += m->coef[a] * sw_term_eval_whatif(t, n[i], w);
        else
            for (size_t i = 0; i < len; i++)
                out[i] += c * sw_term_eval(t, n[i]);
    }
}

/* Median and central interval of T over the sample at one N (scratch v),
 * as sw_fitmodel_predict takes them. */
static void quantiles_at(const sw_fitmodel *m, double n, double level, const sw_whatif *w,
                         double *v, double *med, double *lo, double *hi)
{
    at_n a;
    at_n_fill(m, n, w, &a);
    for (size_t b = 0; b < m->nboot; b++)
        v[b] = shape_at(m, b, &a);
    *med = summarize(v, m->nboot, level).median;
    for (size_t b = 0; b < m->nboot; b++)
        v[b] = time_at(m, b, &a);
    sw_interval r = summarize(v, m->nboot, level);
    *lo = fmin(r.lo, *med);
    *hi = fmax(r.hi, *med);
}

sw_status sw_fitmodel_time_many(const sw_fitmodel *m, const double *n, size_t count, double level,
                                const sw_whatif *w, double *median, double *lo, double *hi,
                                sw_error *err)
{
    sw_status st = check_level(m, &level, err);
    if (st || (st = check_whatif(w, err)))
        return st;
    double nlo = INFINITY, nhi = 0;
    for (size_t i = 0; i < count; i++) {
        if (!(n[i] >= 1) || !isfinite(n[i]))
            return sw_error_set(err, SW_EDOM, "N[%zu] = %g is not a unit count >= 1", i, n[i]);
        nlo = fmin(nlo, n[i]);
        nhi = fmax(nhi, n[i]);
    }
    if (m->nboot < 2) {
        double mult[SW_FIT_MAXTERMS];
        role_mult(m, w, mult);
        for (size_t i = 0; i < count; i += BLOCK) {
            size_t len = count - i < BLOCK ? count - i : BLOCK;
            central_block(m, mult, w, n + i, len, median + i);
        }
        for (size_t i = 0; i < count; i++) {
            if (lo)
                lo[i] = NAN;
            if (hi)
                hi[i] = NAN;
        }
        return SW_OK;
    }
    double span = count ? log2(nhi / nlo) : 0;
    size_t g = (size_t)ceil(span * GRID) + 1;
    double *v = malloc(m->nboot * sizeof *v);
    if (!v)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    if (g >= count) {
        /* fewer N than grid points: each one exactly */
        for (size_t i = 0; i < count; i++) {
            double l, h;
            quantiles_at(m, n[i], level, w, v, &median[i], &l, &h);
            if (lo)
                lo[i] = l;
            if (hi)
                hi[i] = h;
        }
        free(v);
        return SW_OK;
    }
    double *grid = malloc(3 * g * sizeof *grid);
    if (!grid) {
        free(v);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    double u0 = log2(nlo), du = span / (double)(g - 1);
    for (size_t k = 0; k < g; k++) {
        double x = exp2(u0 + du * (double)k), a, b2, c;
        quantiles_at(m, k + 1 == g ? nhi : x, level, w, v, &a, &b2, &c);
        grid[3 * k] = a;
        grid[3 * k + 1] = b2;
        grid[3 * k + 2] = c;
    }
    for (size_t i = 0; i < count; i++) {
        double pos = du > 0 ? (log2(n[i]) - u0) / du : 0;
        size_t k = pos <= 0 ? 0 : (size_t)pos;
        if (k >= g - 1)
            k = g - 2;
        double f = pos - (double)k;
        const double *x = grid + 3 * k, *y = grid + 3 * (k + 1);
        median[i] = x[0] + f * (y[0] - x[0]);
        if (lo)
            lo[i] = x[1] + f * (y[1] - x[1]);
        if (hi)
            hi[i] = x[2] + f * (y[2] - x[2]);
    }
    free(grid);
    free(v);
    return SW_OK;
}

/* ---- derived answers for one coefficient vector ---- */

typedef struct curve {
    const sw_fitmodel *m;
    size_t b;        /* the sample, SIZE_MAX for the central curve */
    const double *c; /* its coefficients */
    const sw_whatif *w;
    double tref;    /* T(N_ref) */
    double target;
    const at_n *grid; /* the terms at N = 2^(k GRID_STEP), shared by every sample */
} curve;

/* The answers (N*, the wall, N1/2) come from each sample's curve without its
 * model-error drift: a multiplicative error has no shape of its own, and
 * letting it bend the curve far out would invent optima (docs/fit.md). */
static double s_at(const curve *cv, double n)
{
    return speedup_of(cv->m, cv->tref, sample_shape(cv->m, cv->b, n, cv->w), n);
}

static double neg_s_u(double u, void *p) { return -s_at(p, exp2(u)); }

static double e_minus_target(double u, void *p)
{
    const curve *cv = p;
    double n = exp2(u);
    return s_at(cv, n) / (n / cv->m->n_ref) - cv->target;
}

/* Whether a term keeps growing without bound (so time eventually rises). */
static int grows(const sw_term *t)
{
    switch (t->shape) {
    case SW_SHAPE_POWLOG: return t->i > 0 || (t->i == 0 && t->j > 0);
    case SW_SHAPE_LINEAR:
    case SW_SHAPE_SQRT1:
    case SW_SHAPE_ALLTOALL: return 1; /* blocks floor at a byte: latency and bytes grow */
    case SW_SHAPE_STENCIL: return 1;  /* its allreduce's log2 N latency */
    case SW_SHAPE_PLATFORM:
        for (size_t k = 0; k < t->nparts; k++)
            if ((t->part[k].kind == SW_PART_LOG || t->part[k].kind == SW_PART_LIN) &&
                t->part[k].w > 0)
                return 1;
        return 0;
    default: return 0;
    }
}

/* A term's value as N grows without bound, when it stays finite. */
static double limit_of(const sw_term *t)
{
    switch (t->shape) {
    case SW_SHAPE_POWLOG: return t->i == 0 && t->j == 0 ? 1 : 0;
    case SW_SHAPE_BANDWIDTH:
    case SW_SHAPE_STEP: return 1;
    case SW_SHAPE_FACES3: return 6;
    case SW_SHAPE_PLATFORM: {
        double v = 0;
        for (size_t k = 0; k < t->nparts; k++)
            if (t->part[k].kind == SW_PART_FRAC)
                v += t->part[k].w;
        return v;
    }
    default: return 0;
    }
}

/* sup S when no maximum is found below SW_FIT_NMAX. */
static double s_limit(const curve *cv)
{
    const sw_fitmodel *m = cv->m;
    double mult[SW_FIT_MAXTERMS], lim = 0;
    int growing = 0, superlinear = 0;
    role_mult(m, cv->w, mult);
    for (size_t k = 0; k < m->nterms; k++) {
        double a = mult[k] * cv->c[k];
        if (!(a > 0))
            continue;
        const sw_term *t = &m->terms[k];
        if (grows(t)) {
            growing = 1;
            superlinear |= t->shape == SW_SHAPE_LINEAR ||
                           (t->shape == SW_SHAPE_POWLOG && t->i >= 1);
        } else {
            lim += a * limit_of(t);
        }
    }
    if (m->batched || m->mw_tasks > 0) /* the batch factor, the master's floor (T + N - 1) c:
                                          take the curve at the grid's end */
        return s_at(cv, SW_FIT_NMAX);
    if (m->form == SW_FIT_STRONG)
        return growing ? s_at(cv, SW_FIT_NMAX) : (lim > 0 ? cv->tref / lim : INFINITY);
    return superlinear ? s_at(cv, SW_FIT_NMAX) : INFINITY;
}

#define GRID_STEP 0.25

#define NGRID 160 /* floor(log2(SW_FIT_NMAX) / GRID_STEP) + 1 */

static void optimum(const curve *cv, double *nopt, double *smax)
{
    size_t ng = NGRID, best = 0;
    double sbest = -INFINITY, prev = 0, next = 0;
    for (size_t k = 0; k < ng; k++) {
        double s = speedup_of(cv->m, cv->tref, shape_at(cv->m, cv->b, &cv->grid[k]),
                              cv->grid[k].n);
        if (s > sbest) {
            sbest = s;
            best = k;
        }
    }
    if (best == ng - 1) {
        *nopt = INFINITY;
        *smax = s_limit(cv);
        return;
    }
    if (best == 0) {
        *nopt = 1;
        *smax = sbest;
        return;
    }
    double ul = (double)(best - 1) * GRID_STEP, uh = (double)(best + 1) * GRID_STEP;
    double um = (double)best * GRID_STEP;
    prev = s_at(cv, exp2(ul));
    next = s_at(cv, exp2(uh));
    *nopt = exp2(um);
    *smax = sbest;
    if (!(sbest > prev && sbest > next) || !isfinite(sbest) || !isfinite(prev) ||
        !isfinite(next))
        return; /* flat top: the grid point is as good as any */
    gsl_function f = {neg_s_u, (void *)cv};
    gsl_min_fminimizer *mn = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!mn)
        return;
    if (gsl_min_fminimizer_set_with_values(mn, &f, um, -sbest, ul, -prev, uh, -next) == 0) {
        for (int it = 0; it < 60; it++) {
            if (gsl_min_fminimizer_iterate(mn))
                break;
            double a = gsl_min_fminimizer_x_lower(mn), b = gsl_min_fminimizer_x_upper(mn);
            if (b - a < 1e-10)
                break;
        }
        double u = gsl_min_fminimizer_x_minimum(mn);
        *nopt = exp2(u);
        *smax = -gsl_min_fminimizer_f_minimum(mn);
    }
    gsl_min_fminimizer_free(mn);
}

/* N where E(N) falls to target; E is non-increasing in N for every model
 * here (docs/fit.md), so a bracket on [N_ref, NMAX] decides. */
static double n_for_e(curve *cv, double target)
{
    cv->target = target;
    double umax = log2(SW_FIT_NMAX), umin = log2(cv->m->n_ref);
    double fhi = e_minus_target(umax, cv);
    if (fhi > 0)
        return INFINITY;
    double flo = e_minus_target(umin, cv);
    if (flo <= 0)
        return cv->m->n_ref;
    if (!isfinite(flo) || !isfinite(fhi))
        return NAN;
    gsl_function f = {e_minus_target, cv};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    double u = NAN;
    if (gsl_root_fsolver_set(s, &f, umin, umax) == 0) {
        for (int it = 0; it < 100; it++) {
            if (gsl_root_fsolver_iterate(s))
                break;
            double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            u = gsl_root_fsolver_root(s);
            if (b - a < 1e-12 * (1 + fabs(u)))
                break;
        }
    }
    gsl_root_fsolver_free(s);
    return exp2(u);
}

static double serial_share_of(const curve *cv)
{
    if (cv->m->form == SW_FIT_WEAK)
        return NAN;
    double mult[SW_FIT_MAXTERMS], ts = 0;
    role_mult(cv->m, cv->w, mult);
    for (size_t k = 0; k < cv->m->nterms; k++)
        if (cv->m->terms[k].role == SW_ROLE_SERIAL)
            ts += mult[k] * cv->c[k];
    return ts / cv->tref;
}

sw_status sw_fitmodel_answers(const sw_fitmodel *m, double level, double e_target,
                              const sw_whatif *w, sw_fit_answers *out, sw_error *err)
{
    sw_status st = check_level(m, &level, err);
    if (st || (st = check_whatif(w, err)))
        return st;
    if (!(e_target > 0 && e_target < 1))
        return sw_error_set(err, SW_EDOM, "efficiency target %g is not in (0, 1)", e_target);
    size_t nb = m->nboot;
    double *buf = malloc(6 * (nb + 1) * sizeof *buf);
    at_n *grid = malloc(NGRID * sizeof *grid), aref;
    if (!buf || !grid) {
        free(buf);
        free(grid);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < NGRID; k++)
        at_n_fill(m, exp2((double)k * GRID_STEP), w, &grid[k]);
    at_n_fill(m, m->n_ref, w, &aref);
    for (size_t b = 0; b <= nb; b++) {
        size_t sb = b ? b - 1 : SIZE_MAX;
        curve cv = {m, sb, b ? m->boot + (b - 1) * m->nterms : m->coef, w, 0, 0, grid};
        cv.tref = shape_at(m, sb, &aref);
        double nopt, smax, *v = buf + 6 * b;
        if (!(cv.tref > 0) || !isfinite(cv.tref)) {
            /* a bootstrap sample with T(1) = 0 (weak form, all of it in a
             * term that vanishes at N = 1) defines no speedup */
            for (size_t q = 0; q < 6; q++)
                v[q] = NAN;
            continue;
        }
        optimum(&cv, &nopt, &smax);
        v[0] = nopt;
        v[1] = smax;
        v[2] = smax * m->work / cv.tref;
        v[3] = n_for_e(&cv, 0.5);
        v[4] = n_for_e(&cv, e_target);
        v[5] = serial_share_of(&cv);
    }
    sw_interval *dst[6] = {&out->n_opt,  &out->max_speedup, &out->wall_rate,
                           &out->n_half, &out->n_target,    &out->serial_share};
    for (size_t q = 0; q < 6; q++)
        *dst[q] = interval_of(buf, 6, q, nb, level);
    free(buf);
    free(grid);
    out->e_target = e_target;
    out->r1 = m->work / sw_fit_time_coef(m, m->coef, m->n_ref, w);
    return SW_OK;
}

/* ---- accessors ---- */

sw_fit_form sw_fitmodel_form(const sw_fitmodel *m) { return m->form; }
size_t sw_fitmodel_nterms(const sw_fitmodel *m) { return m->nterms; }
const sw_term *sw_fitmodel_term(const sw_fitmodel *m, size_t k)
{
    return k < m->nterms ? &m->terms[k] : NULL;
}
double sw_fitmodel_coef(const sw_fitmodel *m, size_t k) { return k < m->nterms ? m->coef[k] : NAN; }
double sw_fitmodel_level(const sw_fitmodel *m) { return m->level; }
size_t sw_fitmodel_nboot(const sw_fitmodel *m) { return m->nboot; }
const double *sw_fitmodel_boot(const sw_fitmodel *m, size_t b)
{
    return b < m->nboot ? m->boot + b * m->nterms : NULL;
}
double sw_fitmodel_noise(const sw_fitmodel *m) { return m->noise; }
double sw_fitmodel_r1(const sw_fitmodel *m)
{
    return m->work / sw_fitmodel_time(m, m->n_ref, NULL);
}
double sw_fitmodel_n_ref(const sw_fitmodel *m) { return m->n_ref; }
const char *sw_fitmodel_criterion(const sw_fitmodel *m)
{
    return m->criterion ? m->criterion : "AICc (a version 1 model file)";
}
const char *sw_fitmodel_serial_name(const sw_fitmodel *m)
{
    return m->form == SW_FIT_WEAK ? "Gustafson scaled serial fraction"
                                  : "Karp-Flatt serial fraction";
}
size_t sw_fitmodel_nshapes(const sw_fitmodel *m) { return m->nshapes; }
const sw_fit_shape_use *sw_fitmodel_shape_use(const sw_fitmodel *m, size_t i)
{
    return i < m->nshapes ? &m->shapes[i] : NULL;
}

int sw_fitmodel_usl(const sw_fitmodel *m, double *sigma, double *kappa)
{
    if (m->form != SW_FIT_STRONG || m->batched)
        return 0;
    double ts = 0, tp = 0, c = 0;
    for (size_t k = 0; k < m->nterms; k++) {
        const sw_term *t = &m->terms[k];
        if (!(m->coef[k] > 0))
            continue;
        if (t->shape == SW_SHAPE_SLOWEST)
            return 0; /* a payload that waits for the slowest: not the USL's form */
        if (t->role == SW_ROLE_SERIAL)
            ts += m->coef[k];
        else if (t->role == SW_ROLE_PARALLEL)
            tp += m->coef[k];
        else if (t->shape == SW_SHAPE_LINEAR)
            c += m->coef[k];
        else
            return 0; /* another shape: not the USL's form */
    }
    double t1 = ts + tp;
    if (!(t1 > 0))
        return 0;
    *sigma = ts / t1;
    *kappa = c / t1;
    return 1;
}
const char *sw_fitmodel_rate_unit(const sw_fitmodel *m)
{
    return m->rate_unit ? m->rate_unit : "runs/s";
}
double sw_fitmodel_n_min(const sw_fitmodel *m) { return m->n_min; }
double sw_fitmodel_n_max(const sw_fitmodel *m) { return m->n_max; }
size_t sw_fitmodel_nwarnings(const sw_fitmodel *m) { return m->nwarnings; }
const char *sw_fitmodel_warning(const sw_fitmodel *m, size_t i)
{
    return i < m->nwarnings ? m->warnings[i] : NULL;
}
size_t sw_fitmodel_nhyp(const sw_fitmodel *m) { return m->nhyp; }
const sw_fit_hyp *sw_fitmodel_hyp(const sw_fitmodel *m, size_t i)
{
    return i < m->nhyp ? &m->hyp[i] : NULL;
}
size_t sw_fitmodel_ntried(const sw_fitmodel *m) { return m->ntried; }
int sw_fitmodel_ambiguous(const sw_fitmodel *m) { return m->ambiguous; }

const char *sw_fitmodel_source(const sw_fitmodel *m, const char *key)
{
    for (size_t k = 0; k < SW_FIT_NSRC; k++)
        if (strcmp(sw_fit_src_keys[k], key) == 0)
            return m->src[k];
    return NULL;
}

void sw_fitmodel_formula(const sw_fitmodel *m, char *buf, size_t size)
{
    /* a batch model: T = phi(B) [ ... t_p (B/B0)/N ... ] */
    size_t off = (size_t)snprintf(buf, size, m->batched ? "T(N) = phi(B) x [" : "T(N) =");
    int first = 1;
    for (size_t k = 0; k < m->nterms && off < size; k++) {
        if (m->coef[k] == 0)
            continue;
        char nm[48];
        sw_term_name(&m->terms[k], nm, sizeof nm);
        const char *sep = first ? "" : " +";
        first = 0;
        if (strcmp(nm, "1") == 0)
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g", sep, m->coef[k]);
        else if (strcmp(nm, "1/N") == 0)
            off += (size_t)snprintf(buf + off, size - off, m->batched ? "%s %.4g*(B/B0)/N"
                                                                      : "%s %.4g/N",
                                    sep, m->coef[k]);
        else if (strpbrk(nm + 1, "+-") && nm[0] != '(')
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g*(%s)", sep, m->coef[k], nm);
        else
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g*%s", sep, m->coef[k], nm);
    }
    if (m->batched && off < size)
        snprintf(buf + off, size - off, " ], phi(B) = (1 + %.4g/B)/(1 + %.4g/%.4g)", m->bn_central,
                 m->bn_central, m->b0);
}
