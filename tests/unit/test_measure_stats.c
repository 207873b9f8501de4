/* test_measure_stats.c — the harness's stopping rule and Hockney fit,
 * checked against hand computations and exact lines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scalewall/measure_stats.h"

static void test_rel_ci(void **state)
{
    (void)state;
    /* n = 10, values 1..10: median 5.5, 95% CI [x(2), x(9)] = [2, 9]
     * (coverage 0.9785, see test_stats.c) -> max(3.5, 3.5) / 5.5. */
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = i + 1;
    assert_true(fabs(sw_measure_rel_ci(x, 10, 0.95) - 3.5 / 5.5) < 1e-12);
    /* Five points never reach 95% coverage: not converged, whatever the spread. */
    const double tight[] = {1, 1, 1, 1, 1};
    assert_true(isinf(sw_measure_rel_ci(tight, 5, 0.95)));
    const double six[] = {1, 1, 1, 1, 1, 1};
    assert_true(sw_measure_rel_ci(six, 6, 0.95) == 0);
}

static void test_done(void **state)
{
    (void)state;
    sw_stop_rule r = {3, 8, 0.05, 0, 0.95};
    const double same[] = {2, 2, 2, 2, 2, 2, 2, 2};
    const double wide[] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(sw_measure_done(same, 2, 0, &r), 0);  /* below min */
    assert_int_equal(sw_measure_done(same, 5, 0, &r), 0);  /* CI not at 95% yet */
    assert_int_equal(sw_measure_done(same, 6, 0, &r), 1);  /* zero width */
    assert_int_equal(sw_measure_done(wide, 7, 0, &r), 0);  /* wide: go on */
    assert_int_equal(sw_measure_done(wide, 8, 0, &r), 1);  /* max reached */
    r.budget_s = 10;
    assert_int_equal(sw_measure_done(wide, 3, 9.9, &r), 0);
    assert_int_equal(sw_measure_done(wide, 3, 10.0, &r), 1); /* budget spent */
    assert_int_equal(sw_measure_done(wide, 2, 99, &r), 0);   /* but never below min */
}

static void test_hockney_exact(void **state)
{
    (void)state;
    /* T = 2 us + n / (5 GB/s): the fit returns the line exactly, r2 = 1. */
    double x[6] = {8, 64, 512, 4096, 32768, 262144}, y[6];
    for (int i = 0; i < 6; i++)
        y[i] = 2e-6 + x[i] * 2e-10;
    sw_hockney_op h;
    assert_int_equal(sw_hockney_fit(x, y, 6, 0, &h, NULL), SW_OK);
    assert_true(fabs(h.alpha - 2e-6) < 1e-15);
    assert_true(fabs(h.beta - 2e-10) / 2e-10 < 1e-9);
    assert_true(fabs(h.r2 - 1) < 1e-12);
    assert_int_equal(h.npoints, 6);
}

static void test_hockney_weighted(void **state)
{
    (void)state;
    /* Relative weights: a 10% error on the largest message barely moves
     * alpha; unweighted least squares would shift alpha by ~3 us here. */
    double x[4] = {8, 1024, 65536, 4194304}, y[4];
    for (int i = 0; i < 4; i++)
        y[i] = 1e-6 + x[i] * 1e-10;
    y[3] *= 1.1;
    sw_hockney_op h;
    assert_int_equal(sw_hockney_fit(x, y, 4, 0, &h, NULL), SW_OK);
    assert_true(fabs(h.alpha - 1e-6) < 0.05e-6);
    assert_true(h.r2 < 1 && h.r2 > 0.9);
}

static void test_hockney_nonnegative(void **state)
{
    (void)state;
    /* Falling times would give beta < 0: the flat boundary (beta = 0) wins,
     * alpha = the 1/T^2-weighted mean: sum(1/y) / sum(1/y^2). */
    const double x[] = {0, 1000, 2000}, y[] = {4e-6, 2e-6, 1e-6};
    sw_hockney_op h;
    assert_int_equal(sw_hockney_fit(x, y, 3, 0, &h, NULL), SW_OK);
    double sw = 1 / 16e-12 + 1 / 4e-12 + 1 / 1e-12, swy = 1 / 4e-6 + 1 / 2e-6 + 1 / 1e-6;
    assert_true(h.beta == 0);
    assert_true(fabs(h.alpha - swy / sw) < 1e-15);
    /* A line through the origin with one slow small message: alpha < 0
     * unconstrained; the origin boundary gives alpha = 0, beta > 0. */
    const double x2[] = {1000, 2000, 4000}, y2[] = {0.5e-6, 2e-6, 4e-6};
    assert_int_equal(sw_hockney_fit(x2, y2, 3, 0, &h, NULL), SW_OK);
    assert_true(h.alpha >= 0 && h.beta >= 0);
}

static void test_hockney_edges(void **state)
{
    (void)state;
    sw_hockney_op h;
    sw_error err = {0};
    const double x1[] = {8, 8}, y1[] = {1e-6, 1.2e-6};
    assert_int_equal(sw_hockney_fit(x1, y1, 2, 0, &h, &err), SW_EINVAL); /* one size */
    const double yb[] = {3e-6, 1e-6};
    assert_int_equal(sw_hockney_fit(x1, yb, 2, 1, &h, NULL), SW_OK); /* constant: median */
    assert_true(h.alpha == 2e-6 && h.beta == 0);
    const double ybad[] = {1e-6, -1};
    const double x2[] = {8, 16};
    assert_int_equal(sw_hockney_fit(x2, ybad, 2, 0, &h, &err), SW_EDOM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rel_ci),          cmocka_unit_test(test_done),
        cmocka_unit_test(test_hockney_exact),   cmocka_unit_test(test_hockney_weighted),
        cmocka_unit_test(test_hockney_nonnegative), cmocka_unit_test(test_hockney_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
