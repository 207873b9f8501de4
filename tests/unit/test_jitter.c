/* test_jitter.c — one rank's step times and the slowest of N (jitter.h,
 * `fit --step-times`; docs/fit.md "Stragglers from one rank's step times"):
 *   - the expected largest of N by hand: H_N for exponentials (25/12 at
 *     N = 4), 2 Phi(sigma/sqrt 2) for two log-normals;
 *   - the noise of a mean of S steps by hand (exponential, N = 2);
 *   - the fit recovers the family and its parameters from 4000 draws of a
 *     shifted exponential and of a shifted log-normal, and refuses too few
 *     or bad steps; equal steps are no jitter;
 *   - a fit with the step times on data drawn from the mechanism predicts
 *     N = 1024 from N <= 32, where the catalogue's guesses at the tail
 *     cannot; with a platform, the synchronisation's least cost (log2 N
 *     latencies) is added with coefficient 1;
 *   - the wait for the slowest carries the model error beyond the data;
 *   - the what-if --sync-scale 0 leaves the payload alone; the model file
 *     keeps the shape and the floor. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "scalewall/fit.h"
#include "scalewall/jitter.h"
#include "scalewall/platform.h"

#include "model_roundtrip.h"

static void test_emax_by_hand(void **state)
{
    (void)state;
    assert_true(fabs(sw_jitter_emax(SW_JITTER_EXPONENTIAL, 0, 4) - 25.0 / 12) < 1e-12);
    assert_true(sw_jitter_emax(SW_JITTER_EXPONENTIAL, 0, 1) == 1);
    double s = 1.2;
    assert_true(fabs(sw_jitter_emax(SW_JITTER_LOGNORMAL, s, 2) -
                     2 * gsl_cdf_ugaussian_P(s / sqrt(2))) < 1e-5);
    /* a = 3, b = 1: k = 1/4; the slowest of 4 is 1 + (25/12 - 1)/4 */
    sw_jitter j = {.family = SW_JITTER_EXPONENTIAL, .base = 3, .excess = 1};
    assert_true(fabs(sw_jitter_share(&j) - 0.25) < 1e-15);
    assert_true(fabs(sw_jitter_slowest(&j, 4) - (1 + (25.0 / 12 - 1) / 4)) < 1e-12);
}

static void test_noise_by_hand(void **state)
{
    (void)state;
    /* the largest of 2 unit exponentials: mean 3/2, variance 1 + 1/4 */
    sw_jitter j = {.family = SW_JITTER_EXPONENTIAL, .base = 3, .excess = 1};
    double k = 0.25, want = k * sqrt(1.25) / (sqrt(20) * (1 + k * 0.5));
    assert_true(fabs(sw_jitter_noise(&j, 2, 20) / want - 1) < 1e-9);
    /* a step that never varies leaves no noise */
    sw_jitter none = {.family = SW_JITTER_NONE, .base = 1};
    assert_true(sw_jitter_noise(&none, 32, 20) == 0);
}

static double *draws(int lognormal, double a, double b, double sigma, size_t k,
                     unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *t = malloc(k * sizeof *t);
    for (size_t i = 0; i < k; i++)
        t[i] = a + b * (lognormal ? exp(sigma * gsl_ran_gaussian(r, 1) - 0.5 * sigma * sigma)
                                  : gsl_ran_exponential(r, 1));
    gsl_rng_free(r);
    return t;
}

static void test_fit_families(void **state)
{
    (void)state;
    sw_error e = {0};
    sw_jitter j;
    double *t = draws(0, 1.0, 0.2, 0, 4000, 7);
    assert_int_equal(sw_jitter_fit(t, 4000, &j, &e), SW_OK);
    assert_int_equal(j.family, SW_JITTER_EXPONENTIAL);
    assert_true(fabs(j.base - 1) < 0.002 && fabs(j.excess / 0.2 - 1) < 0.05);
    free(t);
    t = draws(1, 1.0, 0.05, 1.2, 4000, 8);
    assert_int_equal(sw_jitter_fit(t, 4000, &j, &e), SW_OK);
    assert_int_equal(j.family, SW_JITTER_LOGNORMAL);
    assert_true(fabs(j.sigma - 1.2) < 0.06);
    assert_true(fabs(j.excess / 0.05 - 1) < 0.1 && fabs(j.base - 1) < 0.005);
    /* too few steps, a bad one, none varying */
    assert_int_equal(sw_jitter_fit(t, SW_JITTER_MIN_STEPS - 1, &j, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "at least"));
    t[3] = -1;
    assert_int_equal(sw_jitter_fit(t, 100, &j, &e), SW_EDOM);
    for (size_t i = 0; i < 100; i++)
        t[i] = 0.5;
    assert_int_equal(sw_jitter_fit(t, 100, &j, &e), SW_OK);
    assert_int_equal(j.family, SW_JITTER_NONE);
    assert_true(sw_jitter_slowest(&j, 1024) == 1);
    free(t);
}

/* The corpus' mechanism: each of N ranks computes (W/N)(a + b E) a step and
 * all wait for the slowest; a value is the mean of S steps.  Drawn afresh
 * per N (rank streams, not a running maximum), plus log2 N latencies of
 * alpha when `alpha` > 0. */
static void series(const double *nn, size_t m, int lognormal, double a, double b, double sigma,
                   double w, double alpha, int steps, double *out)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (size_t i = 0; i < m; i++) {
        double acc = 0;
        for (int s = 0; s < steps; s++) {
            double mx = 0;
            for (int q = 0; q < (int)nn[i]; q++) {
                double e = lognormal ? exp(sigma * gsl_ran_gaussian(r, 1) - 0.5 * sigma * sigma)
                                     : gsl_ran_exponential(r, 1);
                mx = fmax(mx, a + b * e);
            }
            acc += mx;
        }
        out[i] = w / nn[i] * acc / steps / (a + b) + alpha * log2(nn[i]);
    }
    gsl_rng_free(r);
}

static const char flat_json[] =
    "{\"format\":\"scalewall-platform\",\"version\":1,\"name\":\"flat\",\"units_per_node\":1,"
    "\"flops_fp32\":2e9,\"mem_bw\":1e12,"
    "\"intra\":{\"alpha_s\":5e-6,\"bandwidth_bytes_per_s\":1.25e9},"
    "\"inter\":{\"alpha_s\":5e-6,\"bandwidth_bytes_per_s\":1.25e9}}";

static void test_fit_predicts_the_tail(void **state)
{
    (void)state;
    sw_error e = {0};
    double nn[] = {1, 2, 4, 8, 16, 32}, t[6];
    const double a = 1, b = 0.3, sigma = 1.3, w = 0.01, alpha = 5e-6;
    series(nn, 6, 1, a, b, sigma, w, alpha, 200, t);
    double *steps = draws(1, a, b, sigma, 1000, 21);
    sw_jitter j;
    assert_int_equal(sw_jitter_fit(steps, 1000, &j, &e), SW_OK);
    free(steps);
    /* the mechanism's expected value at 1024 */
    double truth = w / 1024 * (a + b * sw_jitter_emax(SW_JITTER_LOGNORMAL, sigma, 1024)) / (a + b) +
                   alpha * 10;
    sw_platform pf;
    assert_int_equal(sw_platform_read_json("flat.json", flat_json, strlen(flat_json), &pf, &e),
                     SW_OK);
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.bootstrap = 200;
    opt.platform = &pf;
    opt.jitter = &j;
    /* the steps each value averages are part of the fact */
    sw_fitmodel *fm = NULL;
    assert_int_equal(sw_fit_arrays(nn, t, 6, &opt, &fm, &e), SW_EINVAL);
    opt.jitter_steps = 200;
    assert_int_equal(sw_fit_arrays(nn, t, 6, &opt, &fm, &e), SW_OK);
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(fm, 1024, 0.9, NULL, &pr, &e), SW_OK);
    assert_true(fabs(pr.time.median / truth - 1) < 0.15);
    assert_true(pr.time.lo < truth && truth < pr.time.hi);
    /* the floor is the last term, coefficient 1: 10 latencies at 1024 */
    size_t nt = sw_fitmodel_nterms(fm);
    const sw_term *last = sw_fitmodel_term(fm, nt - 1);
    assert_int_equal(last->shape, SW_SHAPE_PLATFORM);
    assert_true(sw_fitmodel_coef(fm, nt - 1) == 1);
    assert_true(fabs(sw_term_eval(last, 1024) - 10 * alpha) < 1e-15);
    /* --sync-scale 0: the payload t_p/N alone (no wait), the floor kept */
    sw_whatif wi;
    sw_whatif_none(&wi);
    wi.sync_scale = 0;
    double tp = 0;
    for (size_t k = 0; k < nt; k++)
        if (sw_fitmodel_term(fm, k)->shape == SW_SHAPE_SLOWEST)
            tp = sw_fitmodel_coef(fm, k);
    assert_true(tp > 0);
    double plain = sw_fitmodel_time(fm, 1024, &wi), rest = sw_fitmodel_time(fm, 1024, NULL);
    assert_true(plain < rest);
    assert_true(plain >= tp / 1024 + 10 * alpha - 1e-12);
    /* the model file keeps the shape, its share and the floor */
    sw_fitmodel *back = model_roundtrip(fm);
    assert_true(fabs(sw_fitmodel_time(back, 1024, NULL) / rest - 1) < 1e-12);
    sw_fitmodel_free(back);
    sw_fitmodel_free(fm);

    /* SMPI's default network: a small message pays latency x 2.01467 */
    pf.smpi_factors = 1;
    assert_int_equal(sw_fit_arrays(nn, t, 6, &opt, &fm, &e), SW_OK);
    last = sw_fitmodel_term(fm, sw_fitmodel_nterms(fm) - 1);
    assert_true(fabs(sw_term_eval(last, 1024) / (10 * alpha * 2.01467) - 1) < 1e-12);
    assert_non_null(strstr(last->label, "sync+smpi@"));
    sw_fitmodel_free(fm);
    pf.smpi_factors = 0;

    /* without the step times the catalogue guesses the tail from N <= 32:
     * farther off than the mechanism (the reason for the option) */
    opt.jitter = NULL;
    assert_int_equal(sw_fit_arrays(nn, t, 6, &opt, &fm, &e), SW_OK);
    double guess = sw_fitmodel_time(fm, 1024, NULL);
    assert_true(fabs(guess / truth - 1) > fabs(rest / truth - 1));
    sw_fitmodel_free(fm);
}

static void test_exponential_without_platform(void **state)
{
    (void)state;
    sw_error e = {0};
    double nn[] = {1, 2, 4, 8, 16, 32}, t[6];
    series(nn, 6, 0, 1, 0.25, 0, 0.02, 0, 200, t);
    double *steps = draws(0, 1, 0.25, 0, 1000, 5);
    sw_jitter j;
    assert_int_equal(sw_jitter_fit(steps, 1000, &j, &e), SW_OK);
    free(steps);
    assert_int_equal(j.family, SW_JITTER_EXPONENTIAL);
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.bootstrap = 100;
    opt.jitter = &j;
    opt.jitter_steps = 200;
    sw_fitmodel *fm = NULL;
    assert_int_equal(sw_fit_arrays(nn, t, 6, &opt, &fm, &e), SW_OK);
    double truth = 0.02 / 1024 * (1 + 0.25 * sw_jitter_emax(SW_JITTER_EXPONENTIAL, 0, 1024)) / 1.25;
    assert_true(fabs(sw_fitmodel_time(fm, 1024, NULL) / truth - 1) < 0.05);
    /* the wait is a cost of going parallel: 5 octaves past the data it
     * carries the model error, the payload alone would leave the noise */
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(fm, 1024, 0.9, NULL, &pr, &e), SW_OK);
    assert_true(pr.time.hi / pr.time.lo > 1.5);
    assert_true(pr.time.lo < truth && truth < pr.time.hi);
    /* no platform: no floor, and the payload is the slowest of N */
    assert_int_equal(sw_fitmodel_term(fm, 0)->shape == SW_SHAPE_SLOWEST ||
                         sw_fitmodel_term(fm, 1)->shape == SW_SHAPE_SLOWEST,
                     1);
    sw_fitmodel_free(fm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emax_by_hand),
        cmocka_unit_test(test_noise_by_hand),
        cmocka_unit_test(test_fit_families),
        cmocka_unit_test(test_fit_predicts_the_tail),
        cmocka_unit_test(test_exponential_without_platform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
