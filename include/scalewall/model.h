/* model.h — Amdahl's law in Végh's reading: the effective parallel fraction.
 *
 * Pure arithmetic, no I/O.  Every formula is stated in docs/model.md.  The
 * quantity the rest of scalewall reasons with is the *serial share*
 * s = 1 - alpha_eff: everything that does not shrink with N.  From one
 * measured point it is the Karp-Flatt serial fraction
 *     s = (1/E - 1) / (N - 1) = (1/S - 1/N) / (1 - 1/N).
 *
 * Conventions for the edges (tested in tests/unit/test_model.c):
 *   N < 1, E <= 0, S <= 0, times <= 0, NaN or inf in  -> SW_EDOM
 *   N == 1  -> s is indeterminate (0/0): SW_EDOM, unless asked via
 *              sw_amdahl_point which reports it as NaN with ok status
 *   E == 1  -> s = 0, the wall is +inf (ideal scaling)
 *   E > 1   -> s < 0, reported with superlinear = 1, never clamped
 */
#ifndef SCALEWALL_MODEL_H
#define SCALEWALL_MODEL_H

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Everything one (N, S) point says. */
typedef struct sw_amdahl {
    double n;           /* processing units */
    double speedup;     /* S = T1/TN */
    double efficiency;  /* E = S/N */
    double serial;      /* s = 1 - alpha_eff (Karp-Flatt); NaN when N == 1 */
    double alpha;       /* alpha_eff = 1 - s */
    int superlinear;    /* 1 when E > 1 (s < 0) */
} sw_amdahl;

/* One point from (N, S), (N, E) or (N, T1, TN).  N == 1 is an error here
 * (it carries no information about s); sw_amdahl_point allows it. */
sw_status sw_amdahl_from_speedup(double n, double speedup, sw_amdahl *out, sw_error *err);
sw_status sw_amdahl_from_efficiency(double n, double efficiency, sw_amdahl *out, sw_error *err);
sw_status sw_amdahl_from_times(double n, double t1, double tn, sw_amdahl *out, sw_error *err);

/* As sw_amdahl_from_speedup, but N == 1 gives serial = alpha = NaN and
 * SW_OK: a sweep's first row is legitimate, it just says nothing about s. */
sw_status sw_amdahl_point(double n, double speedup, sw_amdahl *out, sw_error *err);

/* Forward formulas with s held.  Each returns NaN for arguments outside the
 * domain (n < 1, s NaN); the checked entry points above report why. */
double sw_efficiency(double n, double serial);      /* 1/(N s + 1 - s) */
double sw_speedup(double n, double serial);         /* N * E */
double sw_rate(double n, double r1, double serial); /* R(N) = N r1 E */
double sw_wall(double r1, double serial);           /* r1 / s; +inf if s <= 0 */
double sw_max_gain(double serial);                  /* 1 / s; +inf if s <= 0 */
double sw_n_half(double serial);                    /* (1 + s)/s: E = 1/2 */
double sw_n_for_efficiency(double serial, double e_target); /* N with E = target */
double sw_dark_performance(double n, double r1, double efficiency); /* N r1 (1-E) */

/* The faster-payload what-if (time-aware model): the payload becomes k times
 * faster, the non-payload time stays.  Given s measured at n:
 *   s' = k s / (1 + (k-1) s),  E' = 1/(N s' + 1 - s'),  kept = R'/R = k E'/E. */
typedef struct sw_payload_whatif {
    double k;
    double serial;        /* s' */
    double efficiency;    /* E' at n */
    double gain_kept;     /* R'/R, < k whenever s > 0 and n > 1 */
    double wall_ratio;    /* wall'/wall = k s / s' = 1 + (k-1) s */
} sw_payload_whatif;

sw_status sw_payload_speedup(double n, double serial, double k, sw_payload_whatif *out,
                             sw_error *err);

/* Optimum unit counts for T(N) = T1 (s + (1-s)/N) + a g(N):
 *   g = log2 N : N* = (1-s) T1 ln2 / a
 *   g = N      : N* = sqrt((1-s) T1 / a)
 * Past N* more units make the run slower. */
double sw_optimum_n_log(double t1, double serial, double a);
double sw_optimum_n_linear(double t1, double serial, double a);

#ifdef __cplusplus
}
#endif
#endif
