/* test_stats.c — median CI coverage by hand, MAD, outliers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "scalewall/stats.h"

static void test_median(void **state)
{
    (void)state;
    const double odd[] = {5, 1, 3};
    const double even[] = {4, 1, 3, 2};
    assert_true(sw_stats_median(odd, 3) == 3);
    assert_true(sw_stats_median(even, 4) == 2.5);
    assert_true(isnan(sw_stats_median(odd, 0)));
}

static void test_ci_by_hand(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 10 - i; /* 10..1 */
    double m, lo, hi, cov;
    /* n = 10: P(B <= 1) = 11/1024, coverage of [x(2), x(9)] = 1 - 22/1024 = 0.97852;
     * P(B <= 2) = 56/1024 -> [x(3), x(8)] covers 0.8906 < 0.95.  So j = 2. */
    assert_int_equal(sw_stats_median_ci(x, 10, 0.95, &m, &lo, &hi, &cov, NULL), SW_OK);
    assert_true(m == 5.5);
    assert_true(lo == 2 && hi == 9);
    assert_true(fabs(cov - (1 - 22.0 / 1024)) < 1e-12);
    /* At 80%: j = 3 ([x(3), x(8)], 0.8906). */
    assert_int_equal(sw_stats_median_ci(x, 10, 0.80, &m, &lo, &hi, &cov, NULL), SW_OK);
    assert_true(lo == 3 && hi == 8);
    /* n = 5 cannot reach 95% (max 1 - 2/32 = 0.9375): min..max, coverage said. */
    assert_int_equal(sw_stats_median_ci(x, 5, 0.95, &m, &lo, &hi, &cov, NULL), SW_OK);
    assert_true(lo == 6 && hi == 10);
    assert_true(fabs(cov - 0.9375) < 1e-12);
    sw_error err = {0};
    assert_int_equal(sw_stats_median_ci(x, 0, 0.95, &m, &lo, &hi, &cov, &err), SW_EINVAL);
    assert_int_equal(sw_stats_median_ci(x, 3, 1.5, &m, &lo, &hi, &cov, &err), SW_EINVAL);
}

static void test_mad_outliers(void **state)
{
    (void)state;
    const double x[] = {1.0, 1.1, 0.9, 1.05, 0.95, 10.0};
    /* median 1.025; |dev| = .025 .075 .125 .025 .075 8.975 -> median .075. */
    assert_true(fabs(sw_stats_mad(x, 6) - 1.4826 * 0.075) < 1e-12);
    int flags[6];
    assert_int_equal(sw_stats_outliers(x, 6, 3.0, flags), 1);
    assert_int_equal(flags[5], 1);
    assert_int_equal(flags[0], 0);
    const double same[] = {2, 2, 2};
    assert_int_equal(sw_stats_outliers(same, 3, 3.0, flags), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_ci_by_hand),
        cmocka_unit_test(test_mad_outliers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
