/* measure_stats.c — stopping rule and Hockney fit for the harness.
 *
 * The stopping rule trusts only the distribution-free CI of the median
 * (stats.h): timings on a shared machine are skewed, so a t-interval on the
 * mean would stop too early on a lucky streak.  The Hockney fit weights by
 * 1/T^2 because message times span four orders of magnitude: unweighted,
 * the 4 MiB points would decide alpha. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_fit.h>

#include "scalewall/measure_stats.h"
#include "scalewall/stats.h"

double sw_measure_rel_ci(const double *x, size_t n, double level)
{
    double med, lo, hi, cov;
    if (n == 0 || sw_stats_median_ci(x, n, level, &med, &lo, &hi, &cov, NULL) != SW_OK)
        return INFINITY;
    if (cov < level || !(med > 0))
        return INFINITY;
    double w = fmax(med - lo, hi - med);
    return w / med;
}

int sw_measure_done(const double *x, size_t n, double elapsed_s, const sw_stop_rule *r)
{
    if (n >= (size_t)r->max_reps)
        return 1;
    if (n < (size_t)r->min_reps)
        return 0;
    if (r->budget_s > 0 && elapsed_s >= r->budget_s)
        return 1;
    return sw_measure_rel_ci(x, n, r->level) <= r->ci_target;
}

sw_status sw_hockney_fit(const double *x, const double *y, size_t n, int constant,
                         sw_hockney_op *out, sw_error *err)
{
    out->alpha = out->beta = out->r2 = NAN;
    out->npoints = n;
    for (size_t i = 0; i < n; i++)
        if (!(y[i] > 0) || !isfinite(y[i]) || !(x[i] >= 0) || !isfinite(x[i]))
            return sw_error_set(err, SW_EDOM, "hockney: point %zu (n=%g, T=%g) is not a positive "
                                "time at a size >= 0", i + 1, x[i], y[i]);
    if (constant) {
        if (n == 0)
            return sw_error_set(err, SW_EINVAL, "hockney: no points");
        out->alpha = sw_stats_median(y, n);
        out->beta = 0;
        return SW_OK;
    }
    size_t distinct = 0;
    for (size_t i = 0; i < n && distinct < 2; i++)
        if (x[i] != x[0] || i == 0)
            distinct++;
    if (distinct < 2)
        return sw_error_set(err, SW_EINVAL, "hockney: a line needs at least two message sizes, "
                            "have %zu point(s)", n);
    double *w = malloc(n * sizeof *w);
    if (!w)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    double sw = 0, swy = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = 1.0 / (y[i] * y[i]);
        sw += w[i];
        swy += w[i] * y[i];
    }
    double c0, c1, cov00, cov01, cov11, chisq;
    gsl_fit_wlinear(x, 1, w, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &chisq);
    if (c0 < 0 || c1 < 0) {
        /* A negative latency or per-byte time means noise (or a protocol
         * switch) bent the line: the least-squares solution with alpha,
         * beta >= 0 then lies on a boundary — through the origin, or flat. */
        double b, cov, ss_origin, ss_flat = 0, a = swy / sw;
        gsl_fit_wmul(x, 1, w, 1, y, 1, n, &b, &cov, &ss_origin);
        for (size_t i = 0; i < n; i++)
            ss_flat += w[i] * (y[i] - a) * (y[i] - a);
        if (b >= 0 && ss_origin <= ss_flat) {
            c0 = 0;
            c1 = b;
            chisq = ss_origin;
        } else {
            c0 = a;
            c1 = 0;
            chisq = ss_flat;
        }
    }
    double ybar = swy / sw, tss = 0;
    for (size_t i = 0; i < n; i++)
        tss += w[i] * (y[i] - ybar) * (y[i] - ybar);
    free(w);
    out->alpha = c0;
    out->beta = c1;
    out->r2 = tss > 0 ? 1.0 - chisq / tss : 1.0;
    return SW_OK;
}

int sw_hockney_describe(const char *op, const sw_hockney_op *h, int constant, char *buf,
                        size_t size)
{
    if (constant) {
        snprintf(buf, size, "  %-10s alpha %.3g us (median of %zu point(s))", op, h->alpha * 1e6,
                 h->npoints);
        return 0;
    }
    int poor = !(h->r2 >= SW_HOCKNEY_R2_POOR);
    int n = snprintf(buf, size, "  %-10s alpha %.3g us, beta %.3g ns/B (%.3g GB/s), r2 %.3f "
                                "over %zu sizes",
                     op, h->alpha * 1e6, h->beta * 1e9, h->beta > 0 ? 1e-9 / h->beta : INFINITY,
                     h->r2, h->npoints);
    if (poor && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n,
                 "\n  warning: %s r2 = %.3f is below %.2f: a line alpha + beta * bytes "
                 "describes these times poorly (noise, or a protocol switch between message "
                 "sizes); repeat on a quiet machine or narrow the sizes (--params min=,max=)",
                 op, h->r2, SW_HOCKNEY_R2_POOR);
    return poor;
}
