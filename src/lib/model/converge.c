/* converge.c — the gradient-noise-scale model of steps to converge
 * (converge.h; McCandlish et al. 2018).  Pure arithmetic plus one
 * two-coefficient non-negative least-squares fit, solved in closed form. */
#include <math.h>

#include "scalewall/converge.h"

static int valid(const sw_converge *c)
{
    return c && isfinite(c->s_min) && c->s_min > 0 && isfinite(c->b_noise) && c->b_noise >= 0;
}

double sw_converge_steps(const sw_converge *c, double batch)
{
    if (!valid(c) || !(batch > 0) || !isfinite(batch))
        return NAN;
    return c->s_min * (1 + c->b_noise / batch);
}

double sw_converge_examples(const sw_converge *c, double batch)
{
    if (!valid(c) || !(batch > 0) || !isfinite(batch))
        return NAN;
    return c->s_min * (batch + c->b_noise);
}

double sw_converge_step_ratio(double b_noise, double batch, double batch_ref)
{
    if (!(b_noise >= 0) || !isfinite(b_noise) || !(batch > 0) || !(batch_ref > 0) ||
        !isfinite(batch) || !isfinite(batch_ref))
        return NAN;
    return (1 + b_noise / batch) / (1 + b_noise / batch_ref);
}

sw_status sw_converge_from_reference(double steps_ref, double batch_ref, double b_noise,
                                     sw_converge *out, sw_error *err)
{
    if (!(steps_ref > 0) || !isfinite(steps_ref))
        return sw_error_set(err, SW_EDOM, "steps to converge %g is not a positive number",
                            steps_ref);
    if (!(batch_ref > 0) || !isfinite(batch_ref))
        return sw_error_set(err, SW_EDOM, "global batch %g is not a positive number", batch_ref);
    if (!(b_noise >= 0) || !isfinite(b_noise))
        return sw_error_set(err, SW_EDOM, "gradient noise scale %g is not a number >= 0",
                            b_noise);
    out->s_min = steps_ref / (1 + b_noise / batch_ref);
    out->b_noise = b_noise;
    return SW_OK;
}

/* Weighted sums of the relative problem: rows (1/y, 1/(B y)) against 1. */
typedef struct sums {
    double aa, ab, bb, a1, b1, n;
} sums;

/* Residual sum of squares of (a, b) on the relative problem. */
static double rss(const sums *s, double a, double b)
{
    return s->n - 2 * (a * s->a1 + b * s->b1) + a * a * s->aa + 2 * a * b * s->ab +
           b * b * s->bb;
}

sw_status sw_converge_fit(const double *batch, const double *steps, size_t count,
                          sw_converge *out, sw_error *err)
{
    sums s = {0};
    double bmin = INFINITY, bmax = -INFINITY;
    for (size_t k = 0; k < count; k++) {
        if (!(batch[k] > 0) || !isfinite(batch[k]))
            return sw_error_set(err, SW_EDOM, "point %zu: global batch %g is not positive",
                                k + 1, batch[k]);
        if (!(steps[k] > 0) || !isfinite(steps[k]))
            return sw_error_set(err, SW_EDOM, "point %zu: steps %g is not positive", k + 1,
                                steps[k]);
        double xa = 1 / steps[k], xb = 1 / (batch[k] * steps[k]);
        s.aa += xa * xa;
        s.ab += xa * xb;
        s.bb += xb * xb;
        s.a1 += xa;
        s.b1 += xb;
        s.n += 1;
        bmin = fmin(bmin, batch[k]);
        bmax = fmax(bmax, batch[k]);
    }
    if (count < 2 || !(bmax > bmin * (1 + 1e-12)))
        return sw_error_set(err, SW_EDOM,
                            "steps against the batch need at least 2 distinct batch sizes");
    /* The unconstrained solution, else the better of the two one-term fits
     * (with two coefficients these are all of NNLS's active sets). */
    double det = s.aa * s.bb - s.ab * s.ab;
    double a = (s.a1 * s.bb - s.b1 * s.ab) / det, b = (s.b1 * s.aa - s.a1 * s.ab) / det;
    if (!(det > 0) || !(a >= 0) || !(b >= 0)) {
        double a0 = s.a1 / s.aa, b0 = s.b1 / s.bb;
        if (rss(&s, a0, 0) <= rss(&s, 0, b0)) {
            a = a0;
            b = 0;
        } else {
            a = 0;
            b = b0;
        }
    }
    if (!(a > 0))
        return sw_error_set(err, SW_EDOM,
                            "steps fall as 1/B over the whole range (%g to %g): no finite "
                            "minimum step count, the batch is far below the noise scale",
                            bmin, bmax);
    out->s_min = a;
    out->b_noise = b / a;
    return SW_OK;
}

double sw_converge_time(const sw_converge *c, double batch, double t_step)
{
    if (!(t_step >= 0) || !isfinite(t_step))
        return NAN;
    return sw_converge_steps(c, batch) * t_step;
}
