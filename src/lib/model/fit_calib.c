/* fit_calib.c — the constants the fit's weights and intervals are
 * calibrated with, and how far that calibration holds.
 *
 * The model error (fit_sample.c) multiplies a sample's T(N) by
 * exp(z tau_h D^growth), D the octaves beyond the data, with
 * tau_h^2 = tau0^2 + (kappa s_h)^2 + tn^2, tn the noise part: eta sigma_m
 * saturating at ln 2 (fit_sample.c).  Session 11 chose:
 *   growth, tau0, kappa  on the `tune` half of the extrapolation corpus
 *       (bench/extrapolation: SimGrid SMPI series of six patterns on three
 *       platforms, fitted on N <= 32 with --platform and the facts the bench
 *       passes, asked for 2x, 4x, 8x and 32x N_max) by the least mean
 *       interval score (Gneiting and Raftery's, on log time: the width plus
 *       20 times a miss; bench_fit_calibrate prints it) summed over the four
 *       distances: growth 0.5 beat 1 on every half and on the fresh draws
 *       (errors enter as N crosses a level or an algorithm's switch, an
 *       independent step per octave, not a slope); tau0 scores within 4%
 *       from 0.0025 to 0.01 and 0.005 is taken (the least on the fresh
 *       draws, within 1% of the least on both halves); kappa 0.25 scored
 *       as well as 0.5 and 1 or better;
 *   tau0_data  the same score for fits from the data alone (no platform),
 *       pooled over `tune` and the fresh draws (docs/fit.md): 0.17, from
 *       {0.05, 0.1, 0.17, 0.25, 0.35};
 *   eta  on noisy synthetic families (test_fit_synth.c's five narrow ones,
 *       another seed, 2%, 5% and 10% noise with 1 or 5 runs per N, 1800
 *       fits on N <= 8 asked for 64): the least eta whose intervals hold
 *       90%: 14 (without the noise part, 10% noise on one run held 38%).
 * Checked, not chosen on: `holdout` with --platform held 17/18, 14/18,
 * 17/18 and 16/18 at 2x, 4x, 8x and 32x, from the data alone 18/18, 17/18,
 * 16/18 and 15/18 (each fit names its own in `source`); the reach the model file records
 * and the trust gate reads stays 2x (`tune` 17/18 there, 4x on holdout
 * below 85%).  docs/fit.md, "Calibration", has the tables and commands;
 * rerun them when the corpus or the fit changes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_internal.h"

static const sw_fit_calib calibration = {
    .sigma0 = 3e-4, /* simulated times agree with their own model to ~1e-4 */
    .nu0 = 1,
    .lambda = 1,
    .tau0 = 0.005,
    .tau0_data = 0.17,
    .kappa = 0.25,
    .eta = 14,
    .growth = 0.5,
    .ratio = 2,
    /* MLPerf Training v0.6-v2.1, the 14 series with >= 5 sizes, fitted on the
     * 4 smallest: B_noise at the smallest batch, within half an octave */
    .bn_mu = 0,
    .bn_sd = 0.5,
    /* < 96 characters: the trust gate (trust.h) keeps it whole */
    .source = "bench/extrapolation --platform: 90% intervals held 64/72 of holdout at 2x-32x N_max",
    .source_data =
        "bench/extrapolation, data alone: 90% intervals held 66/72 of holdout at 2x-32x N_max",
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

