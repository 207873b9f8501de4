/* fit_batch.c — time to train when the global batch grows with N.
 *
 * A training run to a target loss takes S(B) optimisation steps of t_step
 * each.  With the gradient-noise-scale model (converge.h; McCandlish et al.
 * 2018) S(B) = S_min (1 + B_noise/B), and a step's compute is the batch
 * divided among the units, B/N samples a unit, so
 *     T(N) = phi(B) [t_s + t_p (B/B0)/N + sum_k c_k g_k(N)],
 *     phi(B) = (1 + B_noise/B) / (1 + B_noise/B0),
 * B = B(N) the global batch of the run at N and B0 the batch at the smallest
 * N (the coefficients are those of a run at B0).  For a given B_noise the
 * model is linear in the coefficients, so the fit runs its hypotheses once
 * per B_noise on a grid and weighs the pairs with a prior on B_noise
 * calibrated on MLPerf Training (log2(B_noise/B0) ~ N(mu, sd), fit_calib.c):
 * four sizes cannot pin B_noise down, and the prior keeps a series from
 * choosing a noise scale that bends its extrapolation to fit its noise. */
#include <math.h>

#include "fit_internal.h"

int sw_fit_batch_used(const sw_fit_group *gr, size_t m)
{
    for (size_t g = 0; g < m; g++)
        if (!gr[g].anchor && (!(gr[g].batch > 0) || !isfinite(gr[g].batch)))
            return 0;
    return 1;
}

#define GRID_HALF 8 /* +-4 octaves in half-octave steps */

size_t sw_fit_batch_grid(const sw_fit_calib *cal, double b0, double *bn, double *logprior,
                         size_t cap)
{
    size_t n = 0;
    for (int j = -GRID_HALF; j <= GRID_HALF && n < cap; j++) {
        double x = cal->bn_mu + 0.5 * j, z = (x - cal->bn_mu) / cal->bn_sd;
        bn[n] = b0 * exp2(x);
        logprior[n] = -0.5 * z * z;
        n++;
    }
    return n;
}

static double phi(double bn, double b, double b0)
{
    return (1 + bn / b) / (1 + bn / b0);
}

void sw_fit_batch_columns(sw_fitws *ws, const sw_fit_group *gr, double b0, double bn)
{
    for (size_t row = 0; row < ws->m; row++) {
        if (gr[row].anchor)
            continue;
        double f = phi(bn, gr[row].batch, b0);
        for (size_t t = 0; t < ws->nu; t++) {
            double v = f;
            if (ws->u[t].role == SW_ROLE_PARALLEL)
                v *= gr[row].batch / b0;
            ws->g[row * ws->nu + t] *= v;
        }
    }
}

double sw_fit_batch_at(const sw_fitmodel *m, double n, const sw_whatif *w)
{
    if (w && w->batch > 0)
        return w->batch;
    double b = NAN;
    for (size_t g = 0; g < m->ngroups; g++) {
        if (m->groups[g].anchor || !(m->groups[g].batch > 0))
            continue;
        if (isnan(b) || m->groups[g].n <= n)
            b = m->groups[g].batch;
    }
    return isnan(b) ? m->b0 : b;
}
