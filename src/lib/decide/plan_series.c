/* plan_series.c — an observation series (typically from `scalewall
 * simulate`) used directly as the plan's predictor.
 *
 * Between the simulated N the time is interpolated linearly in log T over
 * log N (exact for power laws, close for Amdahl curves on a doubling grid);
 * outside them the predictor refuses rather than guess. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/obs.h"
#include "scalewall/plan.h"

typedef struct series_ctx {
    sw_obs_summary *s;
    size_t n;
    double *compute; /* median compute_s per N, NULL when absent */
    int rate;
} series_ctx;

static double lerp_log(const series_ctx *c, size_t i, double n, const double *v)
{
    if (c->s[i].n == n || i + 1 >= c->n)
        return v[i];
    double f = (log(n) - log(c->s[i].n)) / (log(c->s[i + 1].n) - log(c->s[i].n));
    if (!(v[i] > 0) || !(v[i + 1] > 0)) /* zeros (no compute) interpolate linearly */
        return v[i] + f * (v[i + 1] - v[i]);
    return exp(log(v[i]) + f * (log(v[i + 1]) - log(v[i])));
}

static double field(const sw_obs_summary *s, int which)
{
    return which == 0 ? s->median : which == 1 ? s->lo : s->hi;
}

static sw_status series_time(void *ctx, double units, double k, sw_plan_iv *t, sw_error *err)
{
    const series_ctx *c = ctx;
    if (units < c->s[0].n * (1 - 1e-12) || units > c->s[c->n - 1].n * (1 + 1e-12))
        return sw_error_set(err, SW_EINVAL, "series: N = %g is outside the series' %g..%g",
                            units, c->s[0].n, c->s[c->n - 1].n);
    if (k != 1 && !c->compute)
        return sw_error_set(err, SW_EINVAL,
                            "series: a payload speed of %g needs a compute_s column", k);
    size_t i = 0;
    while (i + 1 < c->n && c->s[i + 1].n <= units)
        i++;
    double v[3];
    /* interpolate each of median, lo, hi over the pair (i, i+1) */
    double pair[2];
    for (int w = 0; w < 3; w++) {
        pair[0] = field(&c->s[i], w);
        pair[1] = i + 1 < c->n ? field(&c->s[i + 1], w) : pair[0];
        if (isnan(pair[0]) || isnan(pair[1])) {
            v[w] = NAN;
            continue;
        }
        series_ctx one = {c->s + i, i + 1 < c->n ? 2 : 1, NULL, 0};
        v[w] = lerp_log(&one, 0, units, pair);
    }
    double saved = 0;
    if (k != 1) {
        series_ctx one = {c->s + i, i + 1 < c->n ? 2 : 1, NULL, 0};
        saved = lerp_log(&one, 0, units, c->compute + i) * (1 - 1 / k);
    }
    *t = (sw_plan_iv){v[0] - saved, v[1] - saved, v[2] - saved};
    return SW_OK;
}

static double median_extra(const sw_obs *o, int col, double n)
{
    double sum = 0;
    size_t k = 0;
    double *vals = malloc((o->npts + 1) * sizeof *vals);
    if (!vals)
        return NAN;
    for (size_t i = 0; i < o->npts; i++)
        if (o->pts[i].ok && o->pts[i].n == n && isfinite(o->pts[i].extra[col]))
            vals[k++] = o->pts[i].extra[col];
    /* small k: a sort by insertion is enough */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && vals[j - 1] > vals[j]; j--) {
            double t = vals[j];
            vals[j] = vals[j - 1];
            vals[j - 1] = t;
        }
    if (k)
        sum = k % 2 ? vals[k / 2] : (vals[k / 2 - 1] + vals[k / 2]) / 2;
    free(vals);
    return k ? sum : NAN;
}

sw_status sw_predictor_series(sw_predictor *p, const sw_obs *o, sw_error *err)
{
    memset(p, 0, sizeof *p);
    if (o->quantity != SW_QTY_TIME)
        return sw_error_set(err, SW_EINVAL,
                            "series '%s': planning from a series needs times, not rates",
                            o->workload);
    series_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return sw_error_set(err, SW_ENOMEM, "series: out of memory");
    sw_status st = sw_obs_summarize(o, &c->s, &c->n, err);
    if (!st && c->s[0].n != 1)
        st = sw_error_set(err, SW_EINVAL,
                          "series '%s' starts at N = %g; planning needs the time at N = 1",
                          o->workload, c->s[0].n);
    int col = st ? -1 : sw_obs_find_extra(o, "compute_s");
    if (col >= 0) {
        c->compute = malloc(c->n * sizeof *c->compute);
        if (!c->compute)
            st = sw_error_set(err, SW_ENOMEM, "series: out of memory");
        for (size_t i = 0; !st && i < c->n; i++) {
            c->compute[i] = median_extra(o, col, c->s[i].n);
            if (!(c->compute[i] >= 0) || c->compute[i] > c->s[i].median) {
                free(c->compute); /* unusable column: speeds other than 1 are refused */
                c->compute = NULL;
                break;
            }
        }
    }
    if (st) {
        free(c->s);
        free(c->compute);
        free(c);
        return st;
    }
    p->ctx = c;
    p->time = series_time;
    p->units_max = c->s[c->n - 1].n;
    snprintf(p->what, sizeof p->what, "%s series '%s' (N = 1..%g, interpolated, not fitted)",
             o->simulated ? "simulated" : "measured", o->workload, p->units_max);
    /* never extrapolated: the series' own range is all it answers for */
    p->reach.n_min = c->s[0].n;
    p->reach.n_max = p->units_max;
    p->reach.calibrated_ratio = 1;
    snprintf(p->reach.calibration, sizeof p->reach.calibration, "the series' own intervals");
    sw_obs_network(o, p->reach.network, sizeof p->reach.network);
    return SW_OK;
}

void sw_predictor_series_free(sw_predictor *p)
{
    series_ctx *c = p ? p->ctx : NULL;
    if (!c)
        return;
    free(c->s);
    free(c->compute);
    free(c);
    p->ctx = NULL;
}
