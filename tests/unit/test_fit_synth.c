/* test_fit_synth.c — the statistical promises of `scalewall fit`, checked on
 * synthetic data drawn from known mechanisms with 5% multiplicative noise:
 *   - shapes: the true shape carries most of the weight (> 0.5) in >= 85%
 *     of trials, for the growing shapes and for those that shrink with N
 *     (stragglers, 3-D and 2-D halos, a transpose), and no shape is claimed
 *     (weight > 0.5) where the truth has none;
 *   - coverage: 90% intervals hold the true T(N) inside the measured range
 *     in 85-95% of trials;
 *   - extrapolation: fit on N <= 8 (5% noise), predict N = 64 (8x beyond):
 *     median error <= 10% for a tree (log2 N) or ring (N-1) cost, <= 20%
 *     for shapes that N <= 8 hardly separate (sqrt N, N log2 N, none), and
 *     the 90% interval holds the truth in >= 80% of trials per family;
 *   - the noise's model error: at 10% noise and one run per N the shapes
 *     N <= 8 leave open part by 64; the intervals hold the truth in >= 75%
 *     of trials with the calibrated eta, and lose >= 20 points without it
 *     (eta was calibrated on other draws of these families, seed 99, where
 *     this, the noisiest cell, held 79% and all six cells 90%: docs/fit.md,
 *     "Calibration").
 * Every trial has its own seed from one fixed GSL stream, so the test is
 * deterministic; the trial counts make a binomial miss of the bounds by
 * chance unlikely (300 coverage trials: sd 1.7 points around 90%). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "scalewall/fit.h"

typedef struct family {
    const char *shape; /* the name of the true shape beside 1 and 1/N, "" for none */
    double ts, tp, a;  /* T = ts + tp/N + a g(N) */
    sw_term g;
    int weak;
} family;

#define PL(r, ii, jj) {.role = r, .shape = SW_SHAPE_POWLOG, .i = ii, .j = jj}
#define SH(r, s) {.role = r, .shape = s}

/* N = 1..4096: each shape's term is 20-70% of T at the largest N */
static const family wide[] = {
    {"log2(N)", 5, 200, 2, PL(SW_ROLE_COMM, 0, 1), 0},
    {"N-1", 5, 200, 0.01, SH(SW_ROLE_COMM, SW_SHAPE_LINEAR), 0},
    {"N^(1/2)-1", 0, 200, 1, SH(SW_ROLE_COMM, SW_SHAPE_SQRT1), 0},
    {"N*log2(N)", 5, 200, 0.001, PL(SW_ROLE_COMM, 1, 1), 0},
    {"(H(N)-1)/N", 0, 200, 30, SH(SW_ROLE_WAIT, SW_SHAPE_STRAGGLER_EXP), 0},
    {"N^(-2/3)", 0, 200, 5, PL(SW_ROLE_COMM, -2.0 / 3, 0), 0},
    {"N^(-1/2)", 0, 200, 3, PL(SW_ROLE_COMM, -0.5, 0), 0},
    {"(N-1)/N^2", 0, 200, 400, SH(SW_ROLE_COMM, SW_SHAPE_TRANSPOSE), 0},
    {"", 5, 200, 0, PL(SW_ROLE_COMM, 0, 1), 0},
    {"log2(N)", 10, 0, 0.5, PL(SW_ROLE_COMM, 0, 1), 1},
    /* last, so the families above keep their draws */
    {"(maxLN(N;0.5)-1)/N", 0, 200, 60,
     {.role = SW_ROLE_WAIT, .shape = SW_SHAPE_STRAGGLER_LOGN, .i = 0.5}, 0},
};
#define NWIDE (sizeof wide / sizeof wide[0])

/* N = 1..8: communication visible at N = 8 */
static const family narrow[] = {
    {"log2(N)", 1, 100, 8, PL(SW_ROLE_COMM, 0, 1), 0},
    {"N-1", 1, 100, 2, SH(SW_ROLE_COMM, SW_SHAPE_LINEAR), 0},
    {"N^(1/2)-1", 0, 100, 6, SH(SW_ROLE_COMM, SW_SHAPE_SQRT1), 0},
    {"", 5, 100, 0, PL(SW_ROLE_COMM, 0, 1), 0},
    {"N*log2(N)", 1, 100, 0.6, PL(SW_ROLE_COMM, 1, 1), 0},
};
#define NNARROW (sizeof narrow / sizeof narrow[0])

static double truth(const family *f, double n)
{
    return f->ts + (f->weak ? 0 : f->tp / n) + f->a * sw_term_eval(&f->g, n);
}

/* reps runs at each N of the list, noise 5% (multiplicative, Gaussian). */
static size_t draw(const family *f, const double *ns, size_t nn, int reps, gsl_rng *r,
                   double *n, double *t)
{
    size_t c = 0;
    for (size_t k = 0; k < nn; k++)
        for (int q = 0; q < reps; q++) {
            n[c] = ns[k];
            t[c] = truth(f, ns[k]) * (1 + 0.05 * gsl_ran_gaussian(r, 1));
            c++;
        }
    return c;
}

static sw_fitmodel *fit_cal(const family *f, const double *n, const double *t, size_t c,
                            size_t boot, unsigned long seed, const sw_fit_calib *cal)
{
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = boot;
    o.seed = seed;
    o.calib = cal;
    o.form = f->weak ? SW_FIT_WEAK : SW_FIT_STRONG;
    sw_fitmodel *m = NULL;
    sw_error e = {0};
    if (sw_fit_arrays(n, t, c, &o, &m, &e))
        fail_msg("fit: %s", e.msg);
    return m;
}

static sw_fitmodel *fit(const family *f, const double *n, const double *t, size_t c, size_t boot,
                        unsigned long seed)
{
    return fit_cal(f, n, t, c, boot, seed, NULL);
}

static size_t pow2_list(double *ns, int pmax)
{
    for (int p = 0; p <= pmax; p++)
        ns[p] = exp2(p);
    return (size_t)pmax + 1;
}

/* The weight of the true shape (of its mechanism: a 3-D halo is N^(-2/3) or
 * the MPI_Dims_create surface halo3d(N), equal for cubes); for a family
 * without one, the largest weight any shape beyond 1 and 1/N gets. */
static double true_weight(const family *f, const sw_fitmodel *m)
{
    double w = f->shape[0] ? 0 : -1;
    int halo = strcmp(f->shape, "N^(-2/3)") == 0;
    for (size_t k = 0; k < sw_fitmodel_nshapes(m); k++) {
        const sw_fit_shape_use *u = sw_fitmodel_shape_use(m, k);
        if (f->shape[0] && strcmp(u->name, f->shape) == 0)
            w += u->weight;
        else if (halo && strcmp(u->name, "halo3d(N)") == 0)
            w += u->weight;
        else if (!f->shape[0] && strcmp(u->name, "1") != 0)
            w = fmax(w, u->weight);
    }
    return w;
}

static void test_shapes(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2024);
    double ns[16], n[128], t[128];
    size_t nn = pow2_list(ns, 12);
    int trials = 60;
    for (size_t f = 0; f < NWIDE; f++) {
        int right = 0;
        for (int k = 0; k < trials; k++) {
            size_t c = draw(&wide[f], ns, nn, 5, r, n, t);
            sw_fitmodel *m = fit(&wide[f], n, t, c, 0, 1);
            double w = true_weight(&wide[f], m);
            right += wide[f].shape[0] ? w > 0.5 : w <= 0.5;
            sw_fitmodel_free(m);
        }
        printf("shape %-12s %s   %3d/%d\n", wide[f].shape[0] ? wide[f].shape : "(none)",
               wide[f].weak ? "weak  " : "strong", right, trials);
        assert_true(right >= 85 * trials / 100);
    }
    gsl_rng_free(r);
}

static void test_coverage(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double ns[16], n[128], t[128];
    size_t nn = pow2_list(ns, 12);
    const double at[] = {4, 64, 1024};
    int trials = 60, hit = 0, tried = 0;
    const size_t pick[] = {0, 1, 2, 4, 8};
    for (size_t q = 0; q < 5; q++) {
        const family *f = &wide[pick[q]];
        for (int k = 0; k < trials; k++) {
            size_t c = draw(f, ns, nn, 5, r, n, t);
            sw_fitmodel *m = fit(f, n, t, c, 200, (unsigned long)(k + 1));
            sw_error e = {0};
            sw_fit_pred p;
            double x = at[k % 3], tt = truth(f, x);
            assert_int_equal(sw_fitmodel_predict(m, x, 0.9, NULL, &p, &e), SW_OK);
            hit += p.time.lo <= tt && tt <= p.time.hi;
            tried++;
            sw_fitmodel_free(m);
        }
    }
    double ct = (double)hit / tried;
    printf("coverage of 90%% intervals inside the data: T(N) %d/%d = %.3f\n", hit, tried, ct);
    assert_true(ct >= 0.85 && ct <= 0.95);
    gsl_rng_free(r);
}

static void test_extrapolation(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    double ns[8] = {1, 2, 3, 4, 5, 6, 7, 8}, n[64], t[64], err[80];
    int trials = 60, bad = 0;
    for (size_t f = 0; f < NNARROW; f++) {
        int hit = 0;
        for (int k = 0; k < trials; k++) {
            size_t c = draw(&narrow[f], ns, 8, 5, r, n, t);
            sw_fitmodel *m = fit(&narrow[f], n, t, c, 200, 1);
            sw_fit_pred p;
            sw_error e = {0};
            assert_int_equal(sw_fitmodel_predict(m, 64, 0.9, NULL, &p, &e), SW_OK);
            err[k] = fabs(p.time.median / truth(&narrow[f], 64) - 1);
            hit += p.time.lo <= truth(&narrow[f], 64) && truth(&narrow[f], 64) <= p.time.hi;
            sw_fitmodel_free(m);
        }
        gsl_sort(err, 1, (size_t)trials);
        double med = (err[trials / 2 - 1] + err[trials / 2]) / 2;
        printf("extrapolation N<=8 -> 64  %-12s median |error| %.3f  interval holds %d/%d\n",
               narrow[f].shape[0] ? narrow[f].shape : "(none)", med, hit, trials);
        double bound = strcmp(narrow[f].shape, "log2(N)") == 0 || strcmp(narrow[f].shape, "N-1") == 0
                           ? 0.10
                           : 0.20;
        bad += !(med <= bound) + !(hit >= 80 * trials / 100);
    }
    assert_int_equal(bad, 0);
    gsl_rng_free(r);
}

/* Coverage at N = 64 of the narrow families fitted on N = 1..8 with one run
 * per N at 10% noise, with calibration cal (NULL: the built-in). */
static int noisy_coverage(const sw_fit_calib *cal, int *tried)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    double ns[8] = {1, 2, 3, 4, 5, 6, 7, 8}, n[8], t[8];
    int hit = 0;
    *tried = 0;
    for (size_t f = 0; f < NNARROW; f++)
        for (int k = 0; k < 40; k++) {
            for (size_t q = 0; q < 8; q++) {
                n[q] = ns[q];
                t[q] = truth(&narrow[f], ns[q]) * (1 + 0.10 * gsl_ran_gaussian(r, 1));
            }
            sw_fitmodel *m = fit_cal(&narrow[f], n, t, 8, 200, 1, cal);
            sw_fit_pred p;
            sw_error e = {0};
            assert_int_equal(sw_fitmodel_predict(m, 64, 0.9, NULL, &p, &e), SW_OK);
            double tt = truth(&narrow[f], 64);
            hit += p.time.lo <= tt && tt <= p.time.hi;
            (*tried)++;
            sw_fitmodel_free(m);
        }
    gsl_rng_free(r);
    return hit;
}

static void test_noise_drift(void **state)
{
    (void)state;
    int tried;
    int with = noisy_coverage(NULL, &tried);
    sw_fit_calib none = *sw_fit_calibration();
    none.eta = 0;
    int without = noisy_coverage(&none, &tried);
    printf("10%% noise, one run per N, N<=8 -> 64: interval holds %d/%d (eta %g), %d/%d (eta 0)\n",
           with, tried, sw_fit_calibration()->eta, without, tried);
    assert_true(with >= 75 * tried / 100);
    assert_true(without <= with - 20 * tried / 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_extrapolation),
        cmocka_unit_test(test_noise_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
