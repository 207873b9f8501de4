/* jitter.c — one rank's step-time distribution and the expected slowest of
 * N (jitter.h; docs/fit.md, "Stragglers from one rank's step times").
 *
 * Why a distribution and not a curve: with N ranks synchronised every step,
 * the step waits for the largest of N draws, and its growth with N is set
 * by the tail.  A strong-scaling series at N <= 32 holds at most 32 draws
 * per step of each rank's stream and shows a heavy tail only as the jumps
 * of a running maximum; a fit that follows those jumps extrapolates them
 * (+337% and +477% at N = 1024 on the corpus' two heavy-tailed series).
 * One rank's time over a thousand steps shows the tail itself. */
#include "scalewall/jitter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sf_psi.h>

#include "fit_internal.h"

const char *sw_jitter_family_name(sw_jitter_family f)
{
    switch (f) {
    case SW_JITTER_EXPONENTIAL: return "exponential";
    case SW_JITTER_LOGNORMAL: return "lognormal";
    case SW_JITTER_NONE: break;
    }
    return "none";
}

double sw_jitter_emax(sw_jitter_family family, double sigma, double n)
{
    if (!(n > 1))
        return 1;
    switch (family) {
    case SW_JITTER_EXPONENTIAL: /* H_N = psi(N + 1) + gamma, real N too */
        return gsl_sf_psi(n + 1) + 0.57721566490153286061;
    case SW_JITTER_LOGNORMAL: return sw_lognormal_max(n, sigma);
    case SW_JITTER_NONE: break;
    }
    return 1;
}

double sw_jitter_share(const sw_jitter *j)
{
    double mean = j->base + j->excess;
    return j->family == SW_JITTER_NONE || !(mean > 0) ? 0 : j->excess / mean;
}

double sw_jitter_slowest(const sw_jitter *j, double n)
{
    return 1 + sw_jitter_share(j) * (sw_jitter_emax(j->family, j->sigma, n) - 1);
}

/* sd of the largest of n draws of E.  Exponential: the gaps between order
 * statistics are independent exponentials of means 1/n, ..., 1 (Renyi), so
 * the variance is sum 1/i^2 = psi'(1) - psi'(n + 1).  Log-normal: E^2 =
 * exp(2 sigma Z - (2 sigma)^2/2) exp(sigma^2), so E[max E^2] is
 * exp(sigma^2) times the expected largest at log-sd 2 sigma. */
static double emax_sd(sw_jitter_family family, double sigma, double n)
{
    double v = 0;
    if (family == SW_JITTER_EXPONENTIAL)
        v = gsl_sf_psi_1(1) - gsl_sf_psi_1(n + 1);
    else if (family == SW_JITTER_LOGNORMAL) {
        double m = sw_lognormal_max(n, sigma);
        v = exp(sigma * sigma) * sw_lognormal_max(n, 2 * sigma) - m * m;
    }
    return v > 0 ? sqrt(v) : 0;
}

double sw_jitter_noise(const sw_jitter *j, double n, double steps)
{
    double k = sw_jitter_share(j);
    if (!(k > 0) || !(steps >= 1) || !(n >= 1))
        return 0;
    return k * emax_sd(j->family, j->sigma, n) / (sqrt(steps) * sw_jitter_slowest(j, n));
}

/* The log-normal's profile log-likelihood at shift a = min - exp(u): for a
 * fixed shift, log(t - a) is normal and its mean and variance are the
 * maximum-likelihood ones.  *mu and *s2 get them. */
static double ln_profile(const double *t, size_t k, double tmin, double u, double *mu, double *s2)
{
    double a = tmin - exp(u), sum = 0, sy = 0;
    for (size_t i = 0; i < k; i++)
        sum += log(t[i] - a);
    double m = sum / (double)k;
    for (size_t i = 0; i < k; i++) {
        double e = log(t[i] - a) - m;
        sy += e * e;
    }
    double v = sy / (double)k;
    if (mu)
        *mu = m;
    if (s2)
        *s2 = v;
    if (!(v > 0))
        return -INFINITY;
    return -sum - 0.5 * (double)k * (log(v) + 1 + 1.8378770664093453 /* log(2 pi) */);
}

/* The shift is searched on u = log(min - a) from 1e-6 to 1e4 times the
 * data's range: below, the likelihood's known unbounded spike at a -> min
 * (one point's log goes to -inf); above, the log-normal is a Gaussian for
 * every purpose (its shape stops changing).  A grid of 241 nodes finds the
 * highest mode, a golden-section search between its neighbours refines it. */
static double fit_lognormal(const double *t, size_t k, double tmin, double range, double *a,
                            double *b, double *sigma)
{
    double lo = log(range) + log(1e-6), hi = log(range) + log(1e4);
    enum { NODES = 241 };
    double h = (hi - lo) / (NODES - 1), best = -INFINITY;
    int at = 0;
    for (int q = 0; q < NODES; q++) {
        double ll = ln_profile(t, k, tmin, lo + h * q, NULL, NULL);
        if (ll > best) {
            best = ll;
            at = q;
        }
    }
    double x0 = lo + h * (at > 0 ? at - 1 : at), x1 = lo + h * (at < NODES - 1 ? at + 1 : at);
    const double g = 0.6180339887498949;
    double c = x1 - g * (x1 - x0), d = x0 + g * (x1 - x0);
    double fc = ln_profile(t, k, tmin, c, NULL, NULL), fd = ln_profile(t, k, tmin, d, NULL, NULL);
    for (int it = 0; it < 60; it++) {
        if (fc > fd) {
            x1 = d;
            d = c;
            fd = fc;
            c = x1 - g * (x1 - x0);
            fc = ln_profile(t, k, tmin, c, NULL, NULL);
        } else {
            x0 = c;
            c = d;
            fc = fd;
            d = x0 + g * (x1 - x0);
            fd = ln_profile(t, k, tmin, d, NULL, NULL);
        }
    }
    double u = fc > fd ? c : d, mu, s2;
    double ll = ln_profile(t, k, tmin, u, &mu, &s2);
    if (ll < best) { /* the grid node was higher: keep it */
        u = lo + h * at;
        ll = ln_profile(t, k, tmin, u, &mu, &s2);
    }
    *a = tmin - exp(u);
    *sigma = sqrt(s2);
    *b = exp(mu + 0.5 * s2);
    return ll;
}

sw_status sw_jitter_fit(const double *t, size_t count, sw_jitter *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    out->aic_exp = out->aic_lognormal = NAN;
    if (count < SW_JITTER_MIN_STEPS)
        return sw_error_set(err, SW_EDOM,
                            "%zu step times; the tail of a step-time distribution needs at "
                            "least %d (a thousand read it well)",
                            count, SW_JITTER_MIN_STEPS);
    double tmin = INFINITY, tmax = -INFINITY, sum = 0;
    for (size_t i = 0; i < count; i++) {
        if (!(t[i] > 0) || !isfinite(t[i]))
            return sw_error_set(err, SW_EDOM, "step time %zu is %g; step times must be > 0", i + 1,
                                t[i]);
        tmin = fmin(tmin, t[i]);
        tmax = fmax(tmax, t[i]);
        sum += t[i];
    }
    double k = (double)count, mean = sum / k, range = tmax - tmin;
    out->steps = count;
    out->base = mean;
    /* A spread at rounding level is no jitter: the slowest of N is any. */
    if (!(range > 1e-12 * tmax)) {
        out->family = SW_JITTER_NONE;
        return SW_OK;
    }
    /* Shifted exponential: the unbiased maximum-likelihood pair (the
     * minimum of k draws sits b/k above a on average). */
    double be = (mean - tmin) * k / (k - 1), ae = mean - be;
    double ll_exp = -k * log(be) - k;
    out->aic_exp = 4 - 2 * ll_exp;
    double al, bl, sl;
    double ll_ln = fit_lognormal(t, count, tmin, range, &al, &bl, &sl);
    out->aic_lognormal = 6 - 2 * ll_ln;
    if (isfinite(ll_ln) && out->aic_lognormal < out->aic_exp) {
        out->family = SW_JITTER_LOGNORMAL;
        out->base = al;
        out->excess = bl;
        out->sigma = sl;
    } else {
        out->family = SW_JITTER_EXPONENTIAL;
        out->base = ae;
        out->excess = be;
    }
    return SW_OK;
}

sw_status sw_jitter_from_obs(const sw_obs *o, sw_jitter *out, sw_error *err)
{
    if (o->quantity != SW_QTY_TIME)
        return sw_error_set(err, SW_EDOM,
                            "step times must be times (seconds), not a rate (%s)",
                            o->unit ? o->unit : "?");
    double *t = malloc((o->npts ? o->npts : 1) * sizeof *t);
    if (!t)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < o->npts; i++)
        if (o->pts[i].ok && o->pts[i].n == 1)
            t[k++] = o->pts[i].value;
    sw_status st = k ? sw_jitter_fit(t, k, out, err)
                     : sw_error_set(err, SW_EDOM,
                                    "no step times at N = 1 (one rank's time per step, a row each)");
    free(t);
    return st;
}
