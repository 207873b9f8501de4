/* fit_slowest.c — what one rank's step times (`fit --step-times FILE
 * --steps S`, jitter.h) change in a fit besides the payload's shape
 * (docs/fit.md, "Stragglers from one rank's step times").
 *
 * Two facts follow from "every step waits for the slowest rank":
 *   - the step ends in a synchronisation.  On a platform its least cost is
 *     known in seconds (log2 N latencies by level, sw_fit_platform_sync):
 *     below 1% of the time on N <= 32, where no data can give its
 *     coefficient, and paid in full at 1024.  It is part of every value, so
 *     the fit works around it (ws.off) and the model adds it with
 *     coefficient 1 (fit_sample.c);
 *   - the slowest of N varies from step to step, the more the larger N for
 *     a heavy tail, and a value averages only S steps: each N's noise is at
 *     least sigma_N (sw_jitter_noise).  The fit's noise floor is the
 *     largest, and each N is weighted by sigma_max/sigma_N, so the jumps of
 *     a running maximum at the largest N do not steer the curve. */
#include <math.h>
#include <stdlib.h>

#include "fit_internal.h"

/* The floor, when the values can hold it: seconds per step of a strong-
 * scaling series whose points are runs (no master's floor, batch model or
 * rate anchor beside it). */
static sw_status sync_floor(sw_fitmodel *mo, const sw_fit_options *opt, sw_fit_form form,
                            sw_error *err)
{
    size_t m = mo->ngroups;
    if (!opt->platform || form != SW_FIT_STRONG || opt->tasks > 0 || mo->batched ||
        mo->anchor1 || mo->not_seconds)
        return SW_OK;
    mo->sync = sw_fit_platform_sync(opt->platform);
    if (mo->sync.nparts == 0)
        return SW_OK;
    if (!(mo->sync_off = malloc(m * sizeof *mo->sync_off)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t g = 0; g < m; g++) {
        mo->sync_off[g] = sw_term_eval(&mo->sync, mo->groups[g].n);
        /* a time below twice the least synchronisation is not a step of
         * this kind on this platform */
        if (!(mo->sync_off[g] < 0.5 * mo->groups[g].mean))
            return sw_fitmodel_add_warning(
                mo, err,
                "the platform's least synchronisation (%.3g s at N = %g) is more than half the "
                "measured %.3g s: the values are not seconds per step on it; fitted without it",
                mo->sync_off[g], mo->groups[g].n, mo->groups[g].mean);
    }
    mo->has_sync = 1;
    return SW_OK;
}

sw_status sw_fit_slowest_setup(sw_fitmodel *mo, const sw_fit_options *opt, sw_fit_form form,
                               const sw_fit_calib *cal, double **rowf, double *jnoise,
                               sw_error *err)
{
    mo->has_sync = 0;
    *rowf = NULL;
    *jnoise = 0;
    if (!opt->jitter)
        return SW_OK;
    if (form != SW_FIT_STRONG) /* the slowest of N shares a fixed payload */
        return sw_fitmodel_add_warning(mo, err,
                                       "step times make a strong-scaling payload wait for the "
                                       "slowest of N; a weak-scaling fit does not use them");
    sw_status st = sync_floor(mo, opt, form, err);
    if (st)
        return st;
    size_t m = mo->ngroups;
    double *f = malloc(m * sizeof *f), smax = 0;
    if (!f)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t g = 0; g < m; g++) {
        if (mo->groups[g].anchor)
            continue;
        double jn = sw_jitter_noise(opt->jitter, mo->groups[g].n, opt->jitter_steps);
        *jnoise = fmax(*jnoise, jn);
        f[g] = fmax(fmax(cal->sigma0, opt->noise), jn);
        smax = fmax(smax, f[g]);
    }
    for (size_t g = 0; g < m; g++)
        f[g] = mo->groups[g].anchor ? 1 : smax / f[g];
    *rowf = f;
    return SW_OK;
}
