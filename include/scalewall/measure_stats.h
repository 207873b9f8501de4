/* measure_stats.h — the measurement harness's statistics beyond stats.h.
 *
 * When to stop repeating a point (the CI of the median reached its target,
 * or the budget ran out) and the Hockney alpha-beta fit of communication
 * times.  Pure functions so they can be unit-tested without MPI; the
 * formulas are in docs/measure.md. */
#ifndef SCALEWALL_MEASURE_STATS_H
#define SCALEWALL_MEASURE_STATS_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_stop_rule {
    int min_reps, max_reps;  /* 1 <= min <= max */
    double ci_target;        /* relative half-width of the CI of the median */
    double budget_s;         /* seconds of repetitions per point; <= 0: none */
    double level;            /* CI coverage, 0.95 */
} sw_stop_rule;

/* The CI's relative half-width max(median - lo, hi - median) / median, or
 * +inf while the sample is too small for the CI to reach `level`. */
double sw_measure_rel_ci(const double *x, size_t n, double level);

/* 1 when a point with n good repetitions x (elapsed seconds spent on it so
 * far) needs no more: n >= max, or n >= min and (CI within target or budget
 * spent).  0 otherwise. */
int sw_measure_done(const double *x, size_t n, double elapsed_s, const sw_stop_rule *rule);

/* Hockney T(n) = alpha + beta n fitted by least squares weighted by 1/T^2
 * (relative errors: small and large messages count alike), constrained to
 * alpha, beta >= 0 (a boundary solution when noise bends the line); r2 is the
 * weighted coefficient of determination.  constant = 1 fits T = alpha only
 * (alpha = median of y; barrier).  A line needs >= 2 distinct x. */
typedef struct sw_hockney_op {
    double alpha, beta, r2;
    size_t npoints;
} sw_hockney_op;

sw_status sw_hockney_fit(const double *x, const double *y, size_t n, int constant,
                         sw_hockney_op *out, sw_error *err);

/* Below this r2 a line alpha + beta n describes the times poorly. */
#define SW_HOCKNEY_R2_POOR 0.9

/* One op's fit in words, as `measure comm` prints it: "alpha 3.4 us, beta
 * 0.075 ns/B (13.3 GB/s), r2 0.998 over 4 sizes" (constant: "alpha 8.9 us
 * (median of 3 point(s))"), and on a second line a warning when r2 is below
 * SW_HOCKNEY_R2_POOR.  Returns 1 when it warned. */
int sw_hockney_describe(const char *op, const sw_hockney_op *h, int constant, char *buf,
                        size_t size);

#ifdef __cplusplus
}
#endif
#endif
