/* crosscheck.c — a fit of real points against a simulation (crosscheck.h).
 * Moved out of the command so the comparison and its verdict are one tested
 * piece, whether the real side ran on one host or across nodes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/crosscheck.h"
#include "scalewall/stats.h"

sw_status sw_crosscheck_rate(const sw_obs *real, const char *name, double *rate, size_t *runs,
                             sw_error *err)
{
    int fi = sw_obs_find_extra(real, "flops"), ri = sw_obs_find_extra(real, "run_s");
    double *r = malloc((real->npts + 1) * sizeof *r);
    size_t n = 0;
    if (!r)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; fi >= 0 && ri >= 0 && i < real->npts; i++) {
        const sw_obs_point *p = &real->pts[i];
        double f = p->extra[fi], t = p->extra[ri];
        if (p->n == 1 && p->ok && !p->outlier && f > 0 && t > 0)
            r[n++] = f / t;
    }
    *runs = n;
    *rate = n ? sw_stats_median(r, n) : NAN;
    free(r);
    if (!n)
        return sw_error_set(err, SW_EPARSE, "%s: no successful one-rank run with a flop count to "
                            "take the compute rate from", name);
    return SW_OK;
}

sw_status sw_crosscheck_compare(const sw_fitmodel *m, const sw_obs *sim, const char *name,
                                const double *n, size_t nn, double level, sw_xc_row *rows,
                                sw_error *err)
{
    sw_obs_summary *sum = NULL;
    size_t ns = 0;
    sw_status st = sw_obs_summarize(sim, &sum, &ns, err);
    for (size_t i = 0; !st && i < nn; i++) {
        sw_xc_row *r = &rows[i];
        *r = (sw_xc_row){n[i], NAN, NAN, NAN, NAN, NAN, -1};
        for (size_t k = 0; k < ns; k++)
            if (sum[k].n == r->n && sum[k].count > 0)
                r->sim = sum[k].median;
        sw_fit_pred p;
        if (!isfinite(r->sim))
            st = sw_error_set(err, SW_EPARSE, "%s: no simulated time at N = %g", name, r->n);
        else if (!(st = sw_fitmodel_predict(m, r->n, level, NULL, &p, err))) {
            r->pred = p.time.median;
            r->lo = p.time.lo;
            r->hi = p.time.hi;
            r->dis = 100 * (r->sim - r->pred) / r->pred;
            r->inside = isnan(r->lo) ? -1 : r->sim >= r->lo && r->sim <= r->hi;
        }
    }
    free(sum);
    return st;
}

void sw_crosscheck_summary(const sw_xc_context *c, const sw_xc_row *rows, size_t nrows, char *buf,
                           size_t len)
{
    size_t worst = 0, inside = 0, judged = 0;
    buf[0] = '\0';
    if (nrows == 0)
        return;
    for (size_t i = 0; i < nrows; i++) {
        if (fabs(rows[i].dis) > fabs(rows[worst].dis))
            worst = i;
        inside += rows[i].inside == 1;
        judged += rows[i].inside >= 0;
    }
    const sw_xc_row *w = &rows[worst];
    int n = snprintf(buf, len,
                     "Fitted on the real N = %s, the model is off from the simulated %s at "
                     "N = %s by up to %.4g%% (at N = %g the simulation is %.4g%% %s than "
                     "predicted)",
                     c->real_n, c->workload, c->sim_n, fabs(w->dis), w->n,
                     fabs(w->dis), w->dis >= 0 ? "slower" : "faster");
    if (n < 0 || (size_t)n >= len)
        return;
    if (judged == 0)
        snprintf(buf + n, len - (size_t)n, "; the fit has no interval to judge it by.");
    else if (inside == judged)
        snprintf(buf + n, len - (size_t)n, ", and every simulated point is inside the fit's "
                 "%g%% interval: the small-N fit and the simulation agree.", 100 * c->level);
    else
        n += snprintf(buf + n, len - (size_t)n, "; %zu of %zu simulated points %s outside the "
                      "fit's %g%% interval: the small-N fit does not predict the simulated "
                      "large-N behaviour.", judged - inside, judged,
                      judged - inside == 1 ? "is" : "are", 100 * c->level);
    /* A fit that saw time-sharing extrapolates time-sharing: say which side
     * a disagreement most likely comes from. */
    if (c->oversubscribed > 0 && inside < judged && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " %zu of the real N %s oversubscribed (more ranks than "
                 "%s %ld cores), so the fit extrapolates time-sharing, not scaling: measure on "
                 "at least 3 N of real cores (e.g. a node with 4+ cores) before trusting this "
                 "disagreement.", c->oversubscribed, c->oversubscribed == 1 ? "is" : "are",
                 c->cores_of ? c->cores_of : "this machine's", c->cores);
}

sw_status sw_crosscheck_write_csv(const sw_xc_row *rows, size_t n, FILE *fp, sw_error *err)
{
    fprintf(fp, "n,predicted,predicted_lo,predicted_hi,simulated,disagreement_pct,inside\n");
    for (size_t i = 0; i < n; i++) {
        const sw_xc_row *r = &rows[i];
        fprintf(fp, "%g,%.17g,%.17g,%.17g,%.17g,%.17g,%s\n", r->n, r->pred, r->lo, r->hi, r->sim,
                r->dis, r->inside < 0 ? "" : r->inside ? "yes" : "no");
    }
    return ferror(fp) ? sw_error_set(err, SW_EIO, "write failed") : SW_OK;
}
