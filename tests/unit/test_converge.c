/* test_converge.c — the gradient-noise-scale model of steps to converge
 * against hand computations, its fit against exact and noisy data, and its
 * refusals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "scalewall/converge.h"

static void test_closed_forms(void **state)
{
    (void)state;
    sw_converge c = {1000, 4096};
    /* B = B_noise: twice the minimum steps, twice the minimum examples */
    assert_true(fabs(sw_converge_steps(&c, 4096) - 2000) < 1e-9);
    assert_true(fabs(sw_converge_examples(&c, 4096) - 2 * 1000 * 4096.0) < 1e-6);
    /* B = 1024: 1000 (1 + 4) = 5000 steps; E = 1000 (1024 + 4096) */
    assert_true(fabs(sw_converge_steps(&c, 1024) - 5000) < 1e-9);
    assert_true(fabs(sw_converge_examples(&c, 1024) - 5.12e6) < 1e-6);
    /* far below the noise scale, doubling B halves the steps */
    double r = sw_converge_steps(&c, 8) / sw_converge_steps(&c, 16);
    assert_true(fabs(r - (1 + 512.0) / (1 + 256.0)) < 1e-12);
    assert_true(r > 1.99);
    /* step ratio needs only b_noise */
    assert_true(fabs(sw_converge_step_ratio(4096, 1024, 4096) - 2.5) < 1e-12);
    assert_true(fabs(sw_converge_time(&c, 4096, 0.25) - 500) < 1e-9);
    /* b_noise = 0: the step count does not depend on the batch */
    sw_converge flat = {700, 0};
    assert_true(sw_converge_steps(&flat, 1) == 700 && sw_converge_steps(&flat, 1e6) == 700);
}

static void test_domain(void **state)
{
    (void)state;
    sw_converge c = {1000, 4096}, bad = {-1, 10};
    assert_true(isnan(sw_converge_steps(&c, 0)));
    assert_true(isnan(sw_converge_steps(&c, -5)));
    assert_true(isnan(sw_converge_steps(&c, NAN)));
    assert_true(isnan(sw_converge_steps(&bad, 10)));
    assert_true(isnan(sw_converge_step_ratio(-1, 10, 10)));
    assert_true(isnan(sw_converge_time(&c, 10, -1)));
    sw_error e = {0};
    sw_converge o;
    assert_int_equal(sw_converge_from_reference(0, 10, 10, &o, &e), SW_EDOM);
    assert_int_equal(sw_converge_from_reference(10, 0, 10, &o, &e), SW_EDOM);
    assert_int_equal(sw_converge_from_reference(10, 10, -1, &o, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "noise scale"));
}

static void test_reference(void **state)
{
    (void)state;
    sw_converge c;
    sw_error e = {0};
    /* 6000 steps at B = 2048 with B_noise = 4096: S_min = 6000/3 */
    assert_int_equal(sw_converge_from_reference(6000, 2048, 4096, &c, &e), SW_OK);
    assert_true(fabs(c.s_min - 2000) < 1e-9);
    assert_true(fabs(sw_converge_steps(&c, 2048) - 6000) < 1e-9);
}

static void test_fit_exact_and_noisy(void **state)
{
    (void)state;
    double b[] = {256, 512, 1024, 2048, 4096, 8192, 16384}, s[7];
    sw_converge truth = {3000, 2500}, got;
    sw_error e = {0};
    for (int k = 0; k < 7; k++)
        s[k] = sw_converge_steps(&truth, b[k]);
    assert_int_equal(sw_converge_fit(b, s, 7, &got, &e), SW_OK);
    assert_true(fabs(got.s_min / 3000 - 1) < 1e-9);
    assert_true(fabs(got.b_noise / 2500 - 1) < 1e-9);
    /* +-3% alternating noise: both back within 10% */
    for (int k = 0; k < 7; k++)
        s[k] *= 1 + 0.03 * (k % 2 ? 1 : -1);
    assert_int_equal(sw_converge_fit(b, s, 7, &got, &e), SW_OK);
    assert_true(fabs(got.s_min / 3000 - 1) < 0.1);
    assert_true(fabs(got.b_noise / 2500 - 1) < 0.1);
    /* steps that do not move with the batch: b_noise = 0 (the bound holds) */
    double flat[] = {100, 101, 99, 100.5, 99.5, 100, 100};
    assert_int_equal(sw_converge_fit(b, flat, 7, &got, &e), SW_OK);
    assert_true(got.b_noise < 1);
    assert_true(fabs(got.s_min - 100) < 1);
}

static void test_fit_refusals(void **state)
{
    (void)state;
    sw_converge got;
    sw_error e = {0};
    double b1[] = {512, 512}, s1[] = {10, 11};
    assert_int_equal(sw_converge_fit(b1, s1, 2, &got, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "2 distinct batch"));
    double b2[] = {512, 0}, s2[] = {10, 11};
    assert_int_equal(sw_converge_fit(b2, s2, 2, &got, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "point 2"));
    /* steps exactly proportional to 1/B: no finite minimum */
    double b3[] = {100, 200, 400}, s3[] = {400, 200, 100};
    assert_int_equal(sw_converge_fit(b3, s3, 3, &got, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "1/B"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_forms),       cmocka_unit_test(test_domain),
        cmocka_unit_test(test_reference),          cmocka_unit_test(test_fit_exact_and_noisy),
        cmocka_unit_test(test_fit_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
