/* test_trust.c — the pieces that keep scalewall's words true to its data:
 * what an interval is called (a 95% CI of the median only from 6 runs on),
 * counts printed whole. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/fmt.h"
#include "scalewall/measure_stats.h"
#include "scalewall/obs.h"

/* reps[i] runs at N = 2^i, times 1, 2, 3, ... */
static sw_obs *series(const size_t *reps, size_t n)
{
    sw_obs *o = sw_obs_new("t", SW_QTY_TIME, NULL);
    assert_non_null(o);
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < reps[i]; r++)
            assert_non_null(sw_obs_add(o, pow(2, (double)i), (int)r, 1.0 + (double)r));
    return o;
}

static void label_of(const size_t *reps, size_t n, char *buf, size_t size)
{
    sw_obs *o = series(reps, n);
    sw_obs_summary *s;
    size_t k;
    assert_int_equal(sw_obs_summarize(o, &s, &k, NULL), SW_OK);
    assert_int_equal(k, n);
    sw_obs_interval_label(s, k, buf, size);
    free(s);
    sw_obs_free(o);
}

/* Coverage of [x_(1), x_(n)] is 1 - 2^(1-n): 3 runs 75%, 5 runs 93.75%;
 * from 6 runs an order-statistic interval reaches 95% (6: 96.875%). */
static void test_interval_coverage(void **state)
{
    (void)state;
    const size_t reps[] = {1, 3, 5, 6, 9};
    sw_obs *o = series(reps, 5);
    sw_obs_summary *s;
    size_t k;
    assert_int_equal(sw_obs_summarize(o, &s, &k, NULL), SW_OK);
    assert_true(s[0].coverage == 0);
    assert_true(fabs(s[1].coverage - 0.75) < 1e-12);
    assert_true(s[1].lo == 1 && s[1].hi == 3); /* the range */
    assert_true(fabs(s[2].coverage - 0.9375) < 1e-12);
    assert_true(fabs(s[3].coverage - (1 - 2.0 / 64)) < 1e-12);
    assert_true(s[4].coverage >= 0.95);
    free(s);
    sw_obs_free(o);
}

static void test_interval_label(void **state)
{
    (void)state;
    char b[200];
    const size_t six[] = {6, 7, 30};
    label_of(six, 3, b, sizeof b);
    assert_string_equal(b, "95% CI of the median");
    const size_t three[] = {3, 3, 3};
    label_of(three, 3, b, sizeof b);
    assert_string_equal(b, "range of 3 runs (a 75% CI of the median)");
    const size_t mixed_small[] = {3, 5};
    label_of(mixed_small, 2, b, sizeof b);
    /* 93.75% is not called 94% */
    assert_string_equal(b, "range of 3-5 runs (75-93% CIs of the median)");
    const size_t mixed[] = {6, 3};
    label_of(mixed, 2, b, sizeof b);
    assert_string_equal(b, "95% CI of the median; where fewer than 6 runs: range of 3 runs "
                           "(a 75% CI of the median)");
    const size_t one[] = {1, 1};
    label_of(one, 2, b, sizeof b);
    assert_string_equal(b, "1 run, no interval");
}

static void test_fmt_count(void **state)
{
    (void)state;
    char b[32];
    sw_fmt_count(1572480, b, sizeof b);
    assert_string_equal(b, "1572480");
    sw_fmt_count(10649600, b, sizeof b);
    assert_string_equal(b, "10649600");
    sw_fmt_count(1584893.19, b, sizeof b); /* a fraction of a unit means nothing there */
    assert_string_equal(b, "1584893");
    sw_fmt_count(1.41421356, b, sizeof b);
    assert_string_equal(b, "1.414");
    sw_fmt_count(64, b, sizeof b);
    assert_string_equal(b, "64");
    sw_fmt_count(NAN, b, sizeof b);
    assert_string_equal(b, "-");
    sw_fmt_count(INFINITY, b, sizeof b);
    assert_string_equal(b, "inf");
}

/* measure comm says alpha, beta and r2, and warns under r2 0.9: a line
 * through (0, 1 s) and (1e6 B, 2 s) is alpha 1e6 us, beta 1000 ns/B. */
static void test_hockney_describe(void **state)
{
    (void)state;
    char b[1024];
    sw_hockney_op h = {3.43e-6, 0.075e-9, 0.998, 4};
    assert_int_equal(sw_hockney_describe("pingpong", &h, 0, b, sizeof b), 0);
    assert_non_null(strstr(b, "alpha 3.43 us, beta 0.075 ns/B (13.3 GB/s), r2 0.998 over 4 sizes"));
    assert_null(strstr(b, "warning"));
    h.r2 = 0.62;
    assert_int_equal(sw_hockney_describe("allreduce", &h, 0, b, sizeof b), 1);
    assert_non_null(strstr(b, "r2 0.620"));
    assert_non_null(strstr(b, "\n  warning: allreduce r2 = 0.620 is below 0.90"));
    /* a barrier is a constant: no beta, no r2 */
    sw_hockney_op c = {8.86e-6, 0, NAN, 3};
    assert_int_equal(sw_hockney_describe("barrier", &c, 1, b, sizeof b), 0);
    assert_non_null(strstr(b, "alpha 8.86 us (median of 3 point(s))"));
    /* with the fit itself: exact line -> r2 = 1 */
    const double x[] = {0, 1e6, 2e6}, y[] = {1, 2, 3};
    assert_int_equal(sw_hockney_fit(x, y, 3, 0, &h, NULL), SW_OK);
    assert_int_equal(sw_hockney_describe("pingpong", &h, 0, b, sizeof b), 0);
    assert_non_null(strstr(b, "alpha 1e+06 us, beta 1e+03 ns/B"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_coverage),
        cmocka_unit_test(test_interval_label),
        cmocka_unit_test(test_fmt_count),
        cmocka_unit_test(test_hockney_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
