/* fit_sample.c — the sample of coefficient vectors every interval comes
 * from: model uncertainty, data uncertainty and model error together.
 *
 * Sample s (docs/fit.md, "Uncertainty"):
 *   1. a hypothesis, drawn by weight (systematic allocation: hypothesis h
 *      gets round(B * weight) samples, so a rival with 5% of the weight
 *      holds 5% of the sample in every run, not 5% on average);
 *   2. data resampled around it: the repetitions at each N when every N has
 *      at least 3 (their spread inflated by sqrt(c/(c-1))), else a
 *      parametric draw T_h(N) (1 + sigma eps / sqrt(count)) with the noise
 *      sigma of fit_select.c, which has a floor: an exact fit of simulated
 *      data still has an interval;
 *   3. the hypothesis refitted (NNLS) to the resampled data;
 *   4. a model-error drift d = z tau_h, z standard normal (stratified over
 *      the sample, in +-pairs per hypothesis), that multiplies
 *      T(N) by exp(d D^growth), D the octaves outside the measured range
 *      (fit_eval.c): no hypothesis
 *      set holds every mechanism, and the error of the one that fits grows
 *      with the distance from the data.
 *      tau_h = sqrt(tau0^2 + (kappa s_h)^2 + noise part^2):
 *        tau0     what every series gets (shapes no hypothesis holds):
 *                 small when a platform gave the communication shapes,
 *                 larger (tau0_data) when the catalogue guessed them;
 *        s_h      the error per octave hypothesis h showed when it predicted
 *                 this series' larger N from its smaller ones;
 *        sigma_m  the relative noise of a mean value, the RMS over N of
 *                 sigma / sqrt(runs at N) (mean_noise): shapes that agree
 *                 within it inside the data part beyond it, and the
 *                 weights cannot choose between them
 *                 there.  The part saturates at ln 2 (the catalogue's
 *                 shapes part by about a factor 2 an octave at most):
 *                 eta sigma_m / sqrt(1 + (eta sigma_m / ln 2)^2).
 *                 Simulated data (sigma at its floor, 3e-4) get almost
 *                 none; 5% noise on one run per N gets 0.50.
 *      tau0 and kappa are calibrated on an extrapolation corpus, eta on
 *      noisy synthetic families (fit_calib.c).
 * The model's terms are the union of the sampled hypotheses' terms. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "fit_internal.h"

/* Model-error scale of a hypothesis the data could not validate (too few N
 * for a leave-future-out past): kappa times it is 0.05 per octave^growth,
 * ten times tau0, the share it had before session 11's calibration. */
#define UNTESTED_SCALE 0.2

/* The most drift per octave^growth the data's noise can explain: ln 2. */
#define NOISE_DRIFT_MAX 0.6931471805599453

/* Universe index -> model position; adds h's terms if they fit. */
static int add_terms(sw_fitmodel *mo, const sw_fit_h *h, size_t *uidx, size_t *nunion)
{
    size_t add[SW_FIT_HYPTERMS], na = 0;
    for (size_t k = 0; k < h->p; k++) {
        int have = 0;
        for (size_t q = 0; q < *nunion && !have; q++)
            have = uidx[q] == h->idx[k];
        for (size_t q = 0; q < na && !have; q++)
            have = add[q] == h->idx[k];
        if (!have)
            add[na++] = h->idx[k];
    }
    if (*nunion + na + (mo->has_sync ? 1 : 0) > SW_FIT_MAXTERMS) /* room for the sync floor */
        return -1;
    for (size_t k = 0; k < na; k++)
        uidx[(*nunion)++] = add[k];
    (void)mo;
    return 0;
}

/* sigma_m, the relative noise of a mean value: the RMS over the measured N
 * of sigma / sqrt(runs there), each N's noise divided by how much quieter it
 * is than the floor (step times: the slowest of a few ranks varies less
 * than that of many, fit_slowest.c). */
static double mean_noise(const sw_fitmodel *mo, const sw_fit_data *d)
{
    double acc = 0;
    size_t k = 0;
    for (size_t g = 0; g < mo->ngroups; g++) {
        const sw_fit_group *gr = &mo->groups[g];
        if (gr->anchor || !gr->count)
            continue;
        double f = d->ws.f ? d->ws.f[g] : 1;
        acc += d->sigma2 / ((double)gr->count * f * f);
        k++;
    }
    return k ? sqrt(acc / (double)k) : sqrt(d->sigma2);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static size_t position(const size_t *uidx, size_t n, size_t u)
{
    for (size_t k = 0; k < n; k++)
        if (uidx[k] == u)
            return k;
    return 0;
}

/* One resampled data set around hypothesis h (fitted values fv) as
 * weighted group means in b. */
static void resample(const sw_fitmodel *mo, const sw_fit_data *d, const sw_fit_pool *pool,
                     const double *fv, gsl_rng *rng, double *b)
/* d: the hypothesis' data (its columns' row weights); d->sigma2 the noise */
{
    const sw_fit_calib *cal = d->cal;
    for (size_t g = 0; g < mo->ngroups; g++) {
        const sw_fit_group *gr = &mo->groups[g];
        double mean;
        if (gr->anchor) {
            mean = gr->mean;
        } else if (pool->by_reps) {
            size_t c = gr->count;
            double s = 0, infl = sqrt((double)c / (double)(c - 1));
            for (size_t k = 0; k < c; k++) {
                double y = pool->t[pool->start[g] + gsl_rng_uniform_int(rng, c)];
                s += gr->mean + infl * (y - gr->mean);
            }
            /* the floor (or the noise the user states), so identical
             * repetitions still leave an interval */
            double fl = fmax(cal->sigma0, sqrt(d->noise2));
            mean = s / (double)c * (1 + fl * gsl_ran_gaussian(rng, 1) / sqrt((double)c));
        } else {
            double f = d->ws.f ? d->ws.f[g] : 1; /* a quieter N varies less */
            mean = fv[g] * (1 + sqrt(d->sigma2 / (double)gr->count) / f * gsl_ran_gaussian(rng, 1));
        }
        /* the known cost is part of every value: fitted around */
        b[g] = d->ws.sw[g] * (fmax(mean, 1e-300) - sw_fitws_off(&d->ws, g));
    }
}

static void covariance(sw_fitmodel *mo)
{
    size_t nb = mo->nboot, p = mo->nterms;
    double mean[SW_FIT_MAXTERMS] = {0};
    for (size_t s = 0; s < nb; s++)
        for (size_t k = 0; k < p; k++)
            mean[k] += mo->boot[s * p + k] / (double)nb;
    for (size_t a = 0; a < p; a++)
        for (size_t c = 0; c < p; c++) {
            double acc = 0;
            for (size_t s = 0; s < nb; s++)
                acc += (mo->boot[s * p + a] - mean[a]) * (mo->boot[s * p + c] - mean[c]);
            mo->cov[a * p + c] = nb > 1 ? acc / (double)(nb - 1) : 0;
        }
}

sw_status sw_fit_sample(sw_fitmodel *mo, const sw_term *u, sw_fit_h *hs, size_t nh,
                        const sw_fit_pool *pool, sw_error *err)
{
    const sw_fit_calib *cal = hs[0].data->cal;
    size_t nb = mo->nboot, m = mo->ngroups;
    size_t *alloc = calloc(nh, sizeof *alloc);
    size_t uidx[SW_FIT_MAXTERMS], nunion = 0;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double *b = malloc(m * sizeof *b), *fv = malloc(m * sizeof *fv), *upper = NULL;
    size_t nupper = 0, nq = 0;
    sw_status st = SW_OK;
    if (!alloc || !rng || !b || !fv) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    gsl_rng_set(rng, mo->seed);
    add_terms(mo, &hs[0], uidx, &nunion);
    /* systematic allocation of the samples to hypotheses by weight */
    double u0 = nb ? gsl_rng_uniform(rng) : 0, cum = 0;
    size_t given = 0;
    for (size_t k = 0; k < nh && nb; k++) {
        cum += hs[k].weight * (double)nb;
        size_t upto = (size_t)floor(cum + u0);
        if (upto > nb)
            upto = nb;
        size_t c = upto > given ? upto - given : 0;
        if (c && k > 0 && add_terms(mo, &hs[k], uidx, &nunion)) {
            alloc[0] += c; /* no room in the model: the leader takes them */
            c = 0;
        }
        alloc[k] += c;
        given += upto > given ? upto - given : 0;
    }
    if (given < nb)
        alloc[0] += nb - given;
    qsort(uidx, nunion, sizeof uidx[0], cmp_size);
    /* a known cost (the sync floor) is the last term, coefficient 1 in the
     * central curve and in every sample */
    int fixed = mo->has_sync && nunion < SW_FIT_MAXTERMS;
    size_t np = nunion + (fixed ? 1 : 0);
    mo->nterms = np;
    for (size_t k = 0; k < nunion; k++)
        mo->terms[k] = u[uidx[k]];
    memset(mo->coef, 0, sizeof mo->coef);
    if (fixed) {
        mo->terms[nunion] = mo->sync;
        mo->coef[nunion] = 1;
    }
    for (size_t k = 0; k < hs[0].p; k++)
        mo->coef[position(uidx, nunion, hs[0].idx[k])] = hs[0].coef[k];
    mo->bn_central = hs[0].bnoise;
    if (!nb)
        goto done;
    mo->boot = calloc(nb * np, sizeof *mo->boot);
    mo->drift = calloc(nb, sizeof *mo->drift);
    if (mo->batched && !(mo->bnoise = calloc(nb, sizeof *mo->bnoise)))
        mo->drift = (free(mo->drift), NULL);
    if (!mo->boot || !mo->drift) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory for %zu samples", nb);
        goto done;
    }
    /* the upper half of nb stratified standard-normal quantiles, shuffled */
    nupper = nb / 2;
    if (!(upper = malloc((nupper + 1) * sizeof *upper))) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < nupper; r++)
        upper[r] = gsl_cdf_ugaussian_Pinv(((double)(nb - 1 - r) + 0.5) / (double)nb);
    gsl_ran_shuffle(rng, upper, nupper, sizeof *upper);
    size_t s = 0;
    for (size_t k = 0; k < nh; k++) {
        if (!alloc[k])
            continue;
        const sw_fit_h *h = &hs[k];
        sw_fit_data *d = h->data;
        for (size_t g = 0; g < m; g++) {
            fv[g] = sw_fitws_off(&d->ws, g);
            for (size_t q = 0; q < h->p; q++)
                fv[g] += h->coef[q] * d->ws.g[g * d->ws.nu + h->idx[q]];
        }
        double sc = isnan(h->scale) ? UNTESTED_SCALE : h->scale;
        /* the noise of a mean value: the shapes it leaves apart diverge
         * beyond the data (fit_calib.c, eta), but by no more than the
         * catalogue's shapes part, about a factor 2 an octave (N log2 N
         * against a constant): the part saturates at ln 2 */
        double v = cal->eta * mean_noise(mo, d);
        double tn = v / sqrt(1 + v * v / (NOISE_DRIFT_MAX * NOISE_DRIFT_MAX));
        double tau = sqrt(d->tau0 * d->tau0 + cal->kappa * cal->kappa * sc * sc + tn * tn);
        /* the drifts of a hypothesis' samples come in pairs +q, -q (and one
         * 0 for an odd count), so their median is 0 whatever the count, and
         * the q are dealt from the upper half of the whole sample's
         * stratified normal quantiles, so the pooled drifts have the normal's
         * tails: quantiles stratified per hypothesis gave a hypothesis with 5
         * samples none beyond 1.28, and a fit whose weight is spread over
         * many rivals an interval 20% too narrow */
        double *z = malloc(alloc[k] * sizeof *z);
        if (!z) {
            st = sw_error_set(err, SW_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t r = 0; r + 1 < alloc[k]; r += 2) { /* the allocs sum to nb: */
            double q = upper[nq++];                      /* pairs <= nb / 2 = nupper */
            z[r] = q;
            z[r + 1] = -q;
        }
        if (alloc[k] % 2)
            z[alloc[k] - 1] = 0;
        gsl_ran_shuffle(rng, z, alloc[k], sizeof *z);
        for (size_t r = 0; r < alloc[k]; r++, s++) {
            double c[SW_FIT_HYPTERMS];
            resample(mo, d, pool, fv, rng, b);
            if (isnan(sw_fit_nnls(&d->ws, h->idx, h->p, m, b, c)))
                memcpy(c, h->coef, sizeof c);
            for (size_t q = 0; q < h->p; q++)
                mo->boot[s * np + position(uidx, nunion, h->idx[q])] = c[q];
            if (fixed)
                mo->boot[s * np + nunion] = 1;
            mo->drift[s] = tau * z[r];
            if (mo->bnoise)
                mo->bnoise[s] = h->bnoise;
        }
        free(z);
        /* shown with the first hypothesis of the same curve */
        if (h->rep < mo->nhyp)
            mo->hyp[h->rep].boot_share += (double)alloc[k] / (double)nb;
    }
    covariance(mo);
done:
    free(alloc);
    free(upper);
    free(b);
    free(fv);
    if (rng)
        gsl_rng_free(rng);
    return st;
}
