/* converge.h — how many optimisation steps training needs when the global
 * batch grows: the gradient-noise-scale model.
 *
 * McCandlish, Kaplan, Amodei et al. (2018), "An Empirical Model of
 * Large-Batch Training" (arXiv 1812.06162), eq. 2.11: to reach a given loss,
 *
 *     steps    S(B) = S_min (1 + B_noise / B)
 *     examples E(B) = B S(B) = E_min (1 + B / B_noise),   E_min = S_min B_noise
 *
 * B_noise is the gradient noise scale (the "critical batch"): far below it
 * doubling the batch halves the steps (perfect data-parallel scaling of the
 * step count), far above it doubling the batch saves almost no step and
 * doubles the examples processed.  Time to train on N units with global
 * batch B is S(B) x t_step(N, B).  Used by `fit` (series that carry a
 * global batch per point), `simulate`, `depth` and `plan`; the formulas and
 * their calibration on MLPerf are in docs/model.md ("Time to train").
 * Pure arithmetic, no state. */
#ifndef SCALEWALL_CONVERGE_H
#define SCALEWALL_CONVERGE_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_converge {
    double s_min;   /* steps at an unbounded batch, > 0 */
    double b_noise; /* gradient noise scale in examples (same unit as B), >= 0;
                       0: steps do not depend on the batch */
} sw_converge;

/* S(B) = s_min (1 + b_noise/B); NAN when B <= 0 or the model is invalid. */
double sw_converge_steps(const sw_converge *c, double batch);

/* E(B) = B S(B) = s_min (B + b_noise): examples processed to converge. */
double sw_converge_examples(const sw_converge *c, double batch);

/* S(B)/S(B_ref) = (1 + b_noise/B)/(1 + b_noise/B_ref): how the step count
 * changes when the batch goes from B_ref to B (needs only b_noise). */
double sw_converge_step_ratio(double b_noise, double batch, double batch_ref);

/* The model that needs `steps_ref` steps at batch `batch_ref`:
 * s_min = steps_ref / (1 + b_noise/batch_ref).  SW_EDOM for non-positive
 * steps or batch, negative or non-finite b_noise. */
sw_status sw_converge_from_reference(double steps_ref, double batch_ref, double b_noise,
                                     sw_converge *out, sw_error *err);

/* Fits (s_min, b_noise) to observed (batch, steps) pairs: steps is linear in
 * (1, 1/B) with coefficients s_min and s_min b_noise, both >= 0, fitted by
 * least squares on relative residuals.  Needs >= 2 distinct batches and
 * positive, finite values (SW_EDOM otherwise). */
sw_status sw_converge_fit(const double *batch, const double *steps, size_t count,
                          sw_converge *out, sw_error *err);

/* Time to train: S(B) x t_step. */
double sw_converge_time(const sw_converge *c, double batch, double t_step);

#ifdef __cplusplus
}
#endif
#endif
