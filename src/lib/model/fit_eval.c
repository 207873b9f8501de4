/* fit_eval.c — asking a fitted model questions: T, S, E and 1-alpha_eff at
 * any N, the optimum N*, the wall, N1/2 and the N where E falls to a
 * target, each with its bootstrap interval, and the what-if knobs.
 *
 * Every answer is computed once per bootstrap coefficient vector and the
 * interval is the central quantile range of those answers, so derived
 * quantities (a minimum, a root) get honest, possibly skewed intervals
 * instead of a linearisation.  The bulk path (sw_fitmodel_time_many) is the
 * exception: it uses the bootstrap covariance, one dot product per N. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>

#include "fit_internal.h"

static void role_mult(const sw_fitmodel *m, const sw_whatif *w, double *mult)
{
    for (size_t k = 0; k < m->nterms; k++)
        mult[k] = sw_whatif_factor(w, m->terms[k].role);
}

double sw_fit_time_coef(const sw_fitmodel *m, const double *coef, double n, const sw_whatif *w)
{
    double mult[SW_FIT_MAXTERMS], t = 0;
    role_mult(m, w, mult);
    for (size_t k = 0; k < m->nterms; k++)
        t += mult[k] * coef[k] * sw_term_eval(&m->terms[k], n);
    return t;
}

double sw_fit_distance(const sw_fitmodel *m, double n)
{
    /* an anchored series knows t(1): the range starts at N_ref */
    double lo = fmin(m->n_min, m->n_ref);
    double d = n > m->n_max ? log2(n / m->n_max) : n < lo ? log2(lo / n) : 0;
    return d < SW_FIT_DRIFT_OCTAVES ? d : SW_FIT_DRIFT_OCTAVES;
}

double sw_fit_time_sample(const sw_fitmodel *m, size_t b, double n, const sw_whatif *w)
{
    if (b >= m->nboot)
        return sw_fit_time_coef(m, m->coef, n, w);
    double t = sw_fit_time_coef(m, m->boot + b * m->nterms, n, w);
    double d = m->drift ? m->drift[b] * sw_fit_distance(m, n) : 0;
    return d != 0 ? t * exp(d) : t;
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

/* Quantile of sorted data that keeps +inf as +inf (GSL's interpolation
 * would give 0*inf = NaN at an exact index). */
static double quantile_sorted(const double *a, size_t n, double f)
{
    double pos = f * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    double d = pos - (double)lo;
    if (lo + 1 >= n || d == 0 || a[lo] == a[lo + 1])
        return a[lo];
    if (isinf(a[lo + 1]))
        return a[lo + 1];
    return (1 - d) * a[lo] + d * a[lo + 1];
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
    gsl_sort(v, 1, k);
    r.median = quantile_sorted(v, k, 0.5);
    r.lo = quantile_sorted(v, k, (1 - level) / 2);
    r.hi = quantile_sorted(v, k, (1 + level) / 2);
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
    double *buf = malloc(5 * (nb + 1) * sizeof *buf);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    /* row 0: the central curve; rows 1..nb: the sample */
    for (size_t b = 0; b <= nb; b++) {
        size_t s = b ? b - 1 : SIZE_MAX;
        double tr = sw_fit_time_sample(m, s, m->n_ref, w), tn = sw_fit_time_sample(m, s, n, w);
        double *v = buf + 5 * b;
        v[0] = tn;
        v[1] = speedup_of(m, tr, tn, n);
        v[2] = v[1] / (n / m->n_ref);
        v[3] = serial_of(m, v[1], n);
        v[4] = sw_fit_time_sample(m, s, n, NULL) / tn;
    }
    sw_interval *dst[5] = {&out->time, &out->speedup, &out->efficiency, &out->serial, &out->gain};
    for (size_t q = 0; q < 5; q++)
        *dst[q] = interval_of(buf, 5, q, nb, level);
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

/* Term shapes reduced to what the bulk loop needs: one log2 per N, the
 * common powers without exp2. */
enum { K_ONE, K_INV, K_N, K_N2, K_SQRT, K_POW, K_BW, K_OTHER };

static int kind_of(const sw_term *t)
{
    if (t->shape == SW_SHAPE_BANDWIDTH)
        return K_BW;
    if (t->shape != SW_SHAPE_POWLOG)
        return K_OTHER;
    if (t->i == 0)
        return K_ONE;
    if (t->i == -1)
        return K_INV;
    if (t->i == 1)
        return K_N;
    if (t->i == 2)
        return K_N2;
    if (t->i == 0.5)
        return K_SQRT;
    return K_POW;
}

/* g_a(N) for a block of N: one column at a time so the arithmetic
 * vectorises; log2 is computed once per N. */
static void shape_block(int kind, const sw_term *t, const double *n, const double *l, double *g,
                        size_t len)
{
    switch (kind) {
    case K_ONE: for (size_t i = 0; i < len; i++) g[i] = 1; break;
    case K_INV: for (size_t i = 0; i < len; i++) g[i] = 1 / n[i]; break;
    case K_N: for (size_t i = 0; i < len; i++) g[i] = n[i]; break;
    case K_N2: for (size_t i = 0; i < len; i++) g[i] = n[i] * n[i]; break;
    case K_SQRT: for (size_t i = 0; i < len; i++) g[i] = sqrt(n[i]); break;
    case K_BW: for (size_t i = 0; i < len; i++) g[i] = (n[i] - 1) / n[i]; return;
    case K_OTHER: for (size_t i = 0; i < len; i++) g[i] = sw_term_eval(t, n[i]); return;
    default: for (size_t i = 0; i < len; i++) g[i] = exp2(t->i * l[i]); break;
    }
    for (int k = 0; k < t->j; k++)
        for (size_t i = 0; i < len; i++)
            g[i] *= l[i];
}

#define BLOCK 256

typedef struct bulk {
    size_t p;
    int kind[SW_FIT_MAXTERMS];
    double c[SW_FIT_MAXTERMS], cov[SW_FIT_MAXTERMS * SW_FIT_MAXTERMS];
    int need_log, want;
    double z;
    double drift2; /* mean squared model-error drift of the sample */
} bulk;

static void bulk_block(const sw_fitmodel *m, const bulk *bk, const double *n, size_t len,
                       double *median, double *lo, double *hi)
{
    double l[BLOCK], g[SW_FIT_MAXTERMS][BLOCK], var[BLOCK];
    for (size_t i = 0; i < len; i++)
        l[i] = bk->need_log ? log2(n[i]) : 0;
    for (size_t a = 0; a < bk->p; a++)
        shape_block(bk->kind[a], &m->terms[a], n, l, g[a], len);
    for (size_t i = 0; i < len; i++)
        median[i] = 0;
    for (size_t a = 0; a < bk->p; a++)
        for (size_t i = 0; i < len; i++)
            median[i] += bk->c[a] * g[a][i];
    if (!bk->want) {
        for (size_t i = 0; i < len; i++) {
            if (lo)
                lo[i] = NAN;
            if (hi)
                hi[i] = NAN;
        }
        return;
    }
    for (size_t i = 0; i < len; i++)
        var[i] = 0;
    for (size_t a = 0; a < bk->p; a++)
        for (size_t b = a; b < bk->p; b++) {
            double w = bk->cov[a * bk->p + b] * (a == b ? 1 : 2);
            if (w == 0)
                continue;
            for (size_t i = 0; i < len; i++)
                var[i] += w * g[a][i] * g[b][i];
        }
    for (size_t i = 0; i < len; i++) {
        double dm = median[i] * sw_fit_distance(m, n[i]);
        var[i] += dm * dm * bk->drift2;
        double sd = bk->z * sqrt(fmax(var[i], 0));
        if (lo)
            lo[i] = fmax(median[i] - sd, 0);
        if (hi)
            hi[i] = median[i] + sd;
    }
}

sw_status sw_fitmodel_time_many(const sw_fitmodel *m, const double *n, size_t count, double level,
                                const sw_whatif *w, double *median, double *lo, double *hi,
                                sw_error *err)
{
    sw_status st = check_level(m, &level, err);
    if (st || (st = check_whatif(w, err)))
        return st;
    for (size_t i = 0; i < count; i++)
        if (!(n[i] >= 1))
            return sw_error_set(err, SW_EDOM, "N[%zu] = %g is not a unit count >= 1", i, n[i]);
    bulk bk = {0};
    double mult[SW_FIT_MAXTERMS];
    bk.p = m->nterms;
    role_mult(m, w, mult);
    for (size_t a = 0; a < bk.p; a++) {
        bk.c[a] = mult[a] * m->coef[a];
        bk.kind[a] = kind_of(&m->terms[a]);
        bk.need_log |= bk.kind[a] == K_POW || m->terms[a].j > 0;
        for (size_t b = 0; b < bk.p; b++)
            bk.cov[a * bk.p + b] = mult[a] * mult[b] * m->cov[a * bk.p + b];
    }
    bk.z = gsl_cdf_ugaussian_Pinv((1 + level) / 2);
    bk.want = (lo || hi) && m->nboot > 1;
    for (size_t b = 0; m->drift && b < m->nboot; b++)
        bk.drift2 += m->drift[b] * m->drift[b] / (double)m->nboot;
    for (size_t i = 0; i < count; i += BLOCK) {
        size_t len = count - i < BLOCK ? count - i : BLOCK;
        bulk_block(m, &bk, n + i, len, median + i, lo ? lo + i : NULL, hi ? hi + i : NULL);
    }
    return SW_OK;
}

/* ---- derived answers for one coefficient vector ---- */

typedef struct curve {
    const sw_fitmodel *m;
    const double *c; /* the coefficients */
    const sw_whatif *w;
    double tref;    /* T(N_ref) */
    double target;
} curve;

/* The answers (N*, the wall, N1/2) come from each sample's curve without its
 * model-error drift: a multiplicative error has no shape of its own, and
 * letting it bend the curve far out would invent optima (docs/fit.md). */
static double s_at(const curve *cv, double n)
{
    return speedup_of(cv->m, cv->tref, sw_fit_time_coef(cv->m, cv->c, n, cv->w), n);
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
    case SW_SHAPE_SQRT1: return 1;
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
    if (m->form == SW_FIT_STRONG)
        return growing ? s_at(cv, SW_FIT_NMAX) : (lim > 0 ? cv->tref / lim : INFINITY);
    return superlinear ? s_at(cv, SW_FIT_NMAX) : INFINITY;
}

#define GRID_STEP 0.25

static void optimum(const curve *cv, double *nopt, double *smax)
{
    double umax = log2(SW_FIT_NMAX);
    size_t ng = (size_t)(umax / GRID_STEP) + 1, best = 0;
    double sbest = -INFINITY, prev = 0, next = 0;
    for (size_t k = 0; k < ng; k++) {
        double s = s_at(cv, exp2((double)k * GRID_STEP));
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
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t b = 0; b <= nb; b++) {
        curve cv = {m, b ? m->boot + (b - 1) * m->nterms : m->coef, w, 0, 0};
        cv.tref = sw_fit_time_coef(m, cv.c, m->n_ref, w);
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
    if (m->form != SW_FIT_STRONG)
        return 0;
    double ts = 0, tp = 0, c = 0;
    for (size_t k = 0; k < m->nterms; k++) {
        const sw_term *t = &m->terms[k];
        if (!(m->coef[k] > 0))
            continue;
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
    for (size_t k = 0; k < 8; k++)
        if (strcmp(sw_fit_src_keys[k], key) == 0)
            return m->src[k];
    return NULL;
}

void sw_fitmodel_formula(const sw_fitmodel *m, char *buf, size_t size)
{
    size_t off = (size_t)snprintf(buf, size, "T(N) =");
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
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g/N", sep, m->coef[k]);
        else if (strpbrk(nm + 1, "+-") && nm[0] != '(')
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g*(%s)", sep, m->coef[k], nm);
        else
            off += (size_t)snprintf(buf + off, size - off, "%s %.4g*%s", sep, m->coef[k], nm);
    }
}
