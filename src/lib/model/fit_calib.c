/* fit_calib.c — the constants the fit's weights and intervals are
 * calibrated with, and how far that calibration holds.
 *
 * The numbers below were chosen on the `tune` half of the extrapolation
 * corpus (bench/extrapolation: 36 SimGrid SMPI series of six patterns on
 * three platforms, 18 tune; fitted on N <= 32 with --platform and asked for
 * N = 256 and 1024) from the grid tau0 in {0.12, 0.14, 0.17, 0.2} x kappa in
 * {0.5, 1} x growth in {1, 1.25} (growth: the model error grows as the
 * octaves beyond the data to that power): the narrowest intervals whose
 * coverage reaches 85% at both 8x and 32x: tau0 0.17, kappa 0.5, growth 1
 * (16/18 at 8x, 17/18 at 32x; a faster growth widens 32x without helping
 * 8x).  The `holdout` half, only checked, held 16/18 at 2x N_max and 14/18
 * at 4x, 8x and 32x, so the intervals count as calibrated up to 2x: the
 * reach the model file records and the trust gate reads.  Rerun in session
 * 8 with the stencil, GPipe, master-worker and exact-tail shapes (the
 * constants unchanged): tune 16-18/18 at 2-32x, holdout 17/18 at 2x and
 * 16/18 at 4x, 8x and 32x; the reach stays 2x (docs/fit.md, "Calibration").
 * Rerun in session 10 with the straggler series' step times (fit
 * --step-times, as the bench passes them; the constants unchanged): tune
 * 16/18 at 2x, 17/18 at 4x and 8x, 18/18 at 32x; holdout 18/18 at 2-32x.
 * The narrowest grid choice, tau0 0.04 and kappa 0.25, still covers the
 * corpus and MLPerf but not test_fit_synth's noisy families: not taken.
 * Rerun the grid when the corpus or the fit changes (bench_fit_calibrate).
 * docs/fit.md, "Calibration", has the table and the command. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_internal.h"

static const sw_fit_calib calibration = {
    .sigma0 = 3e-4, /* simulated times agree with their own model to ~1e-4 */
    .nu0 = 1,
    .lambda = 1,
    .tau0 = 0.17,
    .kappa = 0.5,
    .growth = 1,
    .ratio = 2,
    /* MLPerf Training v0.6-v2.1, the 14 series with >= 5 sizes, fitted on the
     * 4 smallest: B_noise at the smallest batch, within half an octave */
    .bn_mu = 0,
    .bn_sd = 0.5,
    /* < 96 characters: the trust gate (trust.h) keeps it whole */
    .source = "bench/extrapolation --platform: 90% intervals held 18/18 of holdout from 2x to 32x N_max",
};

const sw_fit_calib *sw_fit_calibration(void) { return &calibration; }

/* ---- how far the intervals are tested ---- */

sw_status sw_fitmodel_reach(const sw_fitmodel *m, double n, sw_fit_reach *out, sw_error *err)
{
    if (!(n >= 1) || !isfinite(n))
        return sw_error_set(err, SW_EDOM, "N = %g is not a unit count >= 1", n);
    memset(out, 0, sizeof *out);
    out->n = n;
    out->n_min = m->n_min;
    out->n_max = m->n_max;
    out->ratio = n / m->n_max;
    out->calibrated_ratio = m->calib_ratio;
    const char *src = sw_fitmodel_calibration(m);
    if (n < fmin(m->n_min, m->n_ref)) {
        snprintf(out->reason, sizeof out->reason,
                 "N = %g is below the smallest measured N (%g): the model's shape there is "
                 "not tested",
                 n, m->n_min);
    } else if (out->ratio <= 1) {
        out->calibrated = 1;
        snprintf(out->reason, sizeof out->reason, "N = %g is inside the measured range (%g to %g)",
                 n, m->n_min, m->n_max);
    } else if (out->ratio <= m->calib_ratio * (1 + 1e-9)) {
        out->calibrated = 1;
        snprintf(out->reason, sizeof out->reason,
                 "N/N_max = %.3g: within the %gx to which the intervals are calibrated (%s)",
                 out->ratio, m->calib_ratio, src);
    } else if (m->calib_ratio <= 1) {
        snprintf(out->reason, sizeof out->reason,
                 "N/N_max = %.3g: extrapolation, and this model's intervals are tested only "
                 "inside the measured range (%s)",
                 out->ratio, src);
    } else {
        snprintf(out->reason, sizeof out->reason,
                 "N/N_max = %.3g is beyond the %gx to which the intervals are calibrated (%s)",
                 out->ratio, m->calib_ratio, src);
    }
    return SW_OK;
}

double sw_fitmodel_calibrated_ratio(const sw_fitmodel *m) { return m->calib_ratio; }
const char *sw_fitmodel_calibration(const sw_fitmodel *m)
{
    return m->calib_source ? m->calib_source : "none";
}

