/* stats.c — median, its order-statistic confidence interval, MAD, outliers. */
#include "scalewall/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double *sorted_copy(const double *x, size_t n)
{
    double *s = malloc(n * sizeof *s);
    if (!s)
        return NULL;
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    return s;
}

double sw_stats_median(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double *s = sorted_copy(x, n);
    if (!s)
        return NAN;
    double m = gsl_stats_median_from_sorted_data(s, 1, n);
    free(s);
    return m;
}

sw_status sw_stats_median_ci(const double *x, size_t n, double level, double *median,
                             double *lo, double *hi, double *coverage, sw_error *err)
{
    if (n == 0)
        return sw_error_set(err, SW_EINVAL, "no values to summarise");
    if (!(level > 0.0 && level < 1.0))
        return sw_error_set(err, SW_EINVAL, "confidence level %g is not in (0, 1)", level);
    double *s = sorted_copy(x, n);
    if (!s)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    double med = gsl_stats_median_from_sorted_data(s, 1, n);
    /* j is 1-based; coverage of [x_(j), x_(n-j+1)] is 1 - 2 P(B <= j-1). */
    size_t best = 0;
    double cov = 1.0;
    for (size_t j = 1; 2 * j <= n + 1; j++) {
        double c = j == 1 ? 1.0 - 2.0 * pow(0.5, (double)n)
                          : 1.0 - 2.0 * gsl_cdf_binomial_P((unsigned)(j - 1), 0.5, (unsigned)n);
        if (c >= level) {
            best = j;
            cov = c;
        } else {
            break;
        }
    }
    if (best == 0) {
        best = 1;
        cov = n > 1 ? 1.0 - 2.0 * pow(0.5, (double)n) : 0.0;
    }
    if (median)
        *median = med;
    if (lo)
        *lo = s[best - 1];
    if (hi)
        *hi = s[n - best];
    if (coverage)
        *coverage = cov;
    free(s);
    return SW_OK;
}

double sw_stats_mad(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double med = sw_stats_median(x, n);
    double *d = malloc(n * sizeof *d);
    if (!d)
        return NAN;
    for (size_t i = 0; i < n; i++)
        d[i] = fabs(x[i] - med);
    double mad = 1.4826 * sw_stats_median(d, n);
    free(d);
    return mad;
}

size_t sw_stats_outliers(const double *x, size_t n, double k, int *flags)
{
    size_t count = 0;
    double med = sw_stats_median(x, n), mad = sw_stats_mad(x, n);
    for (size_t i = 0; i < n; i++) {
        int out = mad > 0.0 && fabs(x[i] - med) > k * mad;
        flags[i] = out;
        count += (size_t)out;
    }
    return count;
}
