/* test_fit_synth.c — the statistical promises of `scalewall fit`, checked on
 * synthetic data drawn from known terms with 5% multiplicative noise:
 *   - selection: the chosen hypothesis is the true one in >= 90% of trials;
 *   - coverage: 90% intervals hold the true T(N) and N* in 85-95% of trials;
 *   - extrapolation: fit on N <= 8, predict N = 64, median error <= 10%.
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
    const char *truth; /* the hypothesis name the fit should choose */
    double ts, tp, a;  /* T = ts + tp/N + a g(N) */
    sw_term g;
    int weak;
} family;

#define COMM(i, j) {SW_ROLE_COMM, SW_SHAPE_POWLOG, i, j}

static const family wide[] = {
    {"1 + 1/N + log2(N)", 5, 200, 2, COMM(0, 1), 0},
    {"1 + 1/N + N", 5, 200, 0.1, COMM(1, 0), 0},
    {"1/N + N^(1/2)", 0, 200, 2, COMM(0.5, 0), 0},
    {"1 + 1/N", 5, 200, 0, COMM(0, 1), 0},
    {"1 + 1/N + N*log2(N)", 5, 200, 0.02, COMM(1, 1), 0},
    {"1 + log2(N)", 10, 0, 0.5, COMM(0, 1), 1},
};
#define NWIDE (sizeof wide / sizeof wide[0])

static const family narrow[] = {
    {"1 + 1/N + log2(N)", 1, 100, 8, COMM(0, 1), 0},
    {"1 + 1/N + N", 1, 100, 2, COMM(1, 0), 0},
    {"1/N + N^(1/2)", 0, 100, 6, COMM(0.5, 0), 0},
    {"1 + 1/N", 5, 100, 0, COMM(0, 1), 0},
    {"1 + 1/N + N*log2(N)", 1, 100, 0.6, COMM(1, 1), 0},
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

static sw_fitmodel *fit(const family *f, const double *n, const double *t, size_t c, size_t boot,
                        unsigned long seed)
{
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = boot;
    o.seed = seed;
    o.form = f->weak ? SW_FIT_WEAK : SW_FIT_STRONG;
    sw_fitmodel *m = NULL;
    sw_error e = {0};
    if (sw_fit_arrays(n, t, c, &o, &m, &e))
        fail_msg("fit: %s", e.msg);
    return m;
}

static size_t pow2_list(double *ns, int pmax)
{
    for (int p = 0; p <= pmax; p++)
        ns[p] = exp2(p);
    return (size_t)pmax + 1;
}

static void test_selection(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2024);
    double ns[16], n[128], t[128];
    size_t nn = pow2_list(ns, 12);
    int trials = 100, total = 0;
    for (size_t f = 0; f < NWIDE; f++) {
        int right = 0;
        for (int k = 0; k < trials; k++) {
            size_t c = draw(&wide[f], ns, nn, 5, r, n, t);
            sw_fitmodel *m = fit(&wide[f], n, t, c, 0, 1);
            right += strcmp(sw_fitmodel_hyp(m, 0)->name, wide[f].truth) == 0;
            sw_fitmodel_free(m);
        }
        printf("selection %-22s %3d/%d\n", wide[f].truth, right, trials);
        assert_true(right >= 85 * trials / 100);
        total += right;
    }
    printf("selection overall %d/%d\n", total, trials * (int)NWIDE);
    assert_true(total >= 90 * trials * (int)NWIDE / 100);
    gsl_rng_free(r);
}

/* True N*: T'(N) = 0 found on a fine log grid (independent of the code). */
static double true_nstar(const family *f)
{
    double bu = 0, bt = INFINITY;
    for (double u = 0; u < 30; u += 1e-4) {
        double v = truth(f, exp2(u));
        if (v < bt) {
            bt = v;
            bu = u;
        }
    }
    return bu > 29.9 ? INFINITY : exp2(bu);
}

static void test_coverage(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double ns[16], n[128], t[128];
    size_t nn = pow2_list(ns, 12);
    const double at[] = {4, 64, 1024};
    int trials = 60, hit_t = 0, hit_n = 0, tried_n = 0, tried_t = 0;
    for (size_t f = 0; f < 5; f++) {
        double nstar = true_nstar(&wide[f]);
        for (int k = 0; k < trials; k++) {
            size_t c = draw(&wide[f], ns, nn, 5, r, n, t);
            sw_fitmodel *m = fit(&wide[f], n, t, c, 200, (unsigned long)(k + 1));
            sw_error e = {0};
            sw_fit_pred p;
            double x = at[k % 3], tt = truth(&wide[f], x);
            assert_int_equal(sw_fitmodel_predict(m, x, 0.9, NULL, &p, &e), SW_OK);
            hit_t += p.time.lo <= tt && tt <= p.time.hi;
            tried_t++;
            if (isfinite(nstar)) {
                sw_fit_answers a;
                assert_int_equal(sw_fitmodel_answers(m, 0.9, 0.5, NULL, &a, &e), SW_OK);
                hit_n += a.n_opt.lo <= nstar && nstar <= a.n_opt.hi;
                tried_n++;
            }
            sw_fitmodel_free(m);
        }
    }
    double ct = (double)hit_t / tried_t, cn = (double)hit_n / tried_n;
    printf("coverage of 90%% intervals: T(N) %d/%d = %.3f, N* %d/%d = %.3f\n", hit_t, tried_t, ct,
           hit_n, tried_n, cn);
    assert_true(ct >= 0.85 && ct <= 0.95);
    assert_true(cn >= 0.85 && cn <= 0.95);
    gsl_rng_free(r);
}

static void test_extrapolation(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    double ns[8] = {1, 2, 3, 4, 5, 6, 7, 8}, n[64], t[64], err[80];
    int trials = 60;
    for (size_t f = 0; f < NNARROW; f++) {
        for (int k = 0; k < trials; k++) {
            size_t c = draw(&narrow[f], ns, 8, 5, r, n, t);
            sw_fitmodel *m = fit(&narrow[f], n, t, c, 0, 1);
            err[k] = fabs(sw_fitmodel_time(m, 64, NULL) / truth(&narrow[f], 64) - 1);
            sw_fitmodel_free(m);
        }
        gsl_sort(err, 1, (size_t)trials);
        double med = (err[trials / 2 - 1] + err[trials / 2]) / 2;
        printf("extrapolation N<=8 -> 64  %-22s median |error| %.3f\n", narrow[f].truth, med);
        assert_true(med <= 0.10);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_extrapolation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
