/* jitter.h — one rank's step-time distribution, and the slowest of N.
 *
 * When every rank computes its share of a step and then synchronises, the
 * step lasts as long as the slowest rank.  If one rank's step time varies
 * (OS noise, throttling, uneven data), N ranks wait for the largest of N
 * draws: the payload t_p/N becomes (t_p/N) E[max of N]/E[one].  How fast
 * that maximum grows is a property of the distribution's tail, which the
 * strong-scaling curve at small N barely shows (a heavy tail shows as one
 * jump of a running maximum) but which one rank's step times measured over
 * many steps do (`fit --step-times FILE`, docs/fit.md "Stragglers from one
 * rank's step times").
 *
 * The model: a step time is t = a + b E, a the time no step goes below, b
 * the mean excess and E of mean 1 drawn from a family:
 *   exponential   E ~ Exp(1); the largest of N has mean H_N (Renyi);
 *   log-normal    E = exp(sigma Z - sigma^2/2); the largest of N is
 *                 sw_lognormal_max (a heavy tail: OS noise, uneven data;
 *                 its large-shift limit is Gaussian jitter).
 * Both are fitted by maximum likelihood (the log-normal's shift by a
 * profile search) and the one with the lower AIC is kept.  The jitter is
 * taken to scale with the rank's share of the work (a relative spread):
 * the slowest of N costs (t_p/N)(1 + k (E[max_N E] - 1)), k = b/(a + b). */
#ifndef SCALEWALL_JITTER_H
#define SCALEWALL_JITTER_H

#include <stddef.h>

#include "scalewall/error.h"
#include "scalewall/obs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sw_jitter_family {
    SW_JITTER_NONE = 0,        /* every step took the same time: no wait */
    SW_JITTER_EXPONENTIAL = 1,
    SW_JITTER_LOGNORMAL = 2
} sw_jitter_family;

/* The fewest steps sw_jitter_fit accepts: a tail read from fewer is a
 * guess. */
#define SW_JITTER_MIN_STEPS 20

typedef struct sw_jitter {
    sw_jitter_family family;
    double base;   /* a: the time no step goes below (s) */
    double excess; /* b: the mean time above it (s) */
    double sigma;  /* log-normal: the log-sd of E; 0 otherwise */
    size_t steps;  /* how many step times it was fitted to */
    double aic_exp, aic_lognormal; /* the two families' AIC (NAN when not fitted) */
} sw_jitter;

/* Fits the distribution of `count` step times (> 0, finite).  SW_EDOM:
 * fewer than SW_JITTER_MIN_STEPS, or a value not > 0 and finite. */
sw_status sw_jitter_fit(const double *t, size_t count, sw_jitter *out, sw_error *err);

/* The step times at N = 1 of a series (its ok points; a time series), then
 * sw_jitter_fit.  SW_EDOM: a rate series, or too few steps at N = 1. */
sw_status sw_jitter_from_obs(const sw_obs *o, sw_jitter *out, sw_error *err);

/* k = b/(a + b): the share of the mean step that varies. */
double sw_jitter_share(const sw_jitter *j);

/* E[largest of n draws of E], n >= 1 (1 at n = 1; real n allowed). */
double sw_jitter_emax(sw_jitter_family family, double sigma, double n);

/* E[slowest of n steps] / E[one step] = 1 + k (E[max of n] - 1). */
double sw_jitter_slowest(const sw_jitter *j, double n);

/* The relative standard deviation of a measured value that is the mean of
 * `steps` steps on n ranks: the slowest of n varies from step to step, so
 * the mean of a few steps does too (a heavy tail's rare draws dominate it).
 * k sd(max of n)/(sqrt(steps) (1 + k (E[max of n] - 1))); 0 at n = 1 only
 * when k = 0.  `fit` floors its noise at this over the fitted N. */
double sw_jitter_noise(const sw_jitter *j, double n, double steps);

/* "exponential", "lognormal" or "none". */
const char *sw_jitter_family_name(sw_jitter_family f);

#ifdef __cplusplus
}
#endif

#endif
