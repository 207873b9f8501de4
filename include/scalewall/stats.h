/* stats.h — robust statistics for noisy timings.
 *
 * Shared machines give skewed, heavy-tailed times, so scalewall summarises
 * repetitions by the median, its distribution-free confidence interval (order
 * statistics of a binomial), and the MAD; means and standard deviations are
 * never used for decisions. */
#ifndef SCALEWALL_STATS_H
#define SCALEWALL_STATS_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Median of x (not modified). n == 0 -> NAN. */
double sw_stats_median(const double *x, size_t n);

/* Median and the interval [x_(j), x_(n-j+1)] of the sorted sample with the
 * largest j whose coverage 1 - 2 P(Binom(n, 1/2) <= j-1) is >= level.  When no
 * j reaches the level (n too small: n < 6 for 95%), the interval is
 * [min, max] and *coverage says what it actually covers. */
sw_status sw_stats_median_ci(const double *x, size_t n, double level, double *median,
                             double *lo, double *hi, double *coverage, sw_error *err);

/* Median absolute deviation, scaled by 1.4826 so it estimates sigma for
 * normal data.  n == 0 -> NAN. */
double sw_stats_mad(const double *x, size_t n);

/* Flags (flags[i] = 1) points farther than k scaled MADs from the median and
 * returns how many.  A zero MAD flags nothing (all equal is not an outlier). */
size_t sw_stats_outliers(const double *x, size_t n, double k, int *flags);

#ifdef __cplusplus
}
#endif
#endif
