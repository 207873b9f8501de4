/* test_args.c — command-line values (args.h): unit-count lists and ranges,
 * MIN:MAX, parameter tables; every refusal is a usage error (SW_EINVAL)
 * that names the value and says what was expected. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/args.h"

static void expect_counts(const char *arg, double max, int whole, const double *want, size_t n)
{
    double *v;
    size_t got;
    sw_error err = {0};
    assert_int_equal(sw_args_counts(arg, max, whole, &v, &got, &err), SW_OK);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_true(v[i] == want[i]);
    free(v);
}

static void expect_refused(const char *arg, double max, int whole, const char *msg)
{
    double *v = (double *)&v;
    size_t n = 99;
    sw_error err = {0};
    assert_int_equal(sw_args_counts(arg, max, whole, &v, &n, &err), SW_EINVAL);
    assert_null(v);
    assert_int_equal(n, 0);
    if (!strstr(err.msg, msg))
        fail_msg("'%s': got '%s', wanted '%s'", arg, err.msg, msg);
}

static void test_counts(void **state)
{
    (void)state;
    expect_counts("1,2,4,8", 1e6, 1, (double[]){1, 2, 4, 8}, 4);
    expect_counts("3", 1e6, 1, (double[]){3}, 1);
    expect_counts("1:16", 1e6, 1, (double[]){1, 2, 4, 8, 16}, 5);
    /* Not powers of two: 10 points per decade, rounded, ends kept. */
    expect_counts("1:10", 1e12, 0, (double[]){1, 2, 3, 4, 5, 6, 8, 10}, 8);
    expect_counts("1.5", 1e12, 0, (double[]){1.5}, 1);
    double *v;
    size_t n;
    sw_error err = {0};
    assert_int_equal(sw_args_counts("1:1e6", 1e12, 0, &v, &n, &err), SW_OK);
    assert_true(n > 50 && n <= 61); /* rounding merges a few at the low end */
    assert_true(v[0] == 1 && v[n - 1] == 1e6);
    for (size_t i = 1; i < n; i++)
        assert_true(v[i] > v[i - 1]);
    free(v);
}

/* Issue 11: `--np 1e18` said "whole numbers, please"; the message now says
 * what is wrong with the value. */
static void test_counts_refused(void **state)
{
    (void)state;
    expect_refused("1e18", 1e6, 1, "'1e18' is above 1000000, the most this option takes");
    expect_refused("1:1e18", 1e6, 1, "range '1:1e18': '1e18' is above 1000000");
    expect_refused("1.5", 1e6, 1, "'1.5' is not a whole number");
    expect_refused("0", 1e6, 0, "'0' is not a unit count (>= 1)");
    expect_refused("1,,2", 1e6, 0, "an empty item");
    expect_refused("", 1e6, 0, "an empty item");
    expect_refused("1,x", 1e6, 0, "'x' is not a number");
    expect_refused("8:2", 1e6, 0, "LO is above HI");
    expect_refused("1:", 1e6, 0, "range '1:'");
}

static void test_range(void **state)
{
    (void)state;
    long lo, hi;
    sw_error err = {0};
    assert_int_equal(sw_args_range("6:30", 1000, &lo, &hi, &err), SW_OK);
    assert_true(lo == 6 && hi == 30);
    assert_int_equal(sw_args_range("4", 1000, &lo, &hi, &err), SW_OK);
    assert_true(lo == 4 && hi == 4);
    assert_int_equal(sw_args_range("3:2", 1000, &lo, &hi, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "1 <= MIN <= MAX <= 1000"));
    assert_int_equal(sw_args_range("1:1001", 1000, &lo, &hi, &err), SW_EINVAL);
    assert_int_equal(sw_args_range("a:b", 1000, &lo, &hi, &err), SW_EINVAL);
    assert_int_equal(sw_args_range("1:2:3", 1000, &lo, &hi, &err), SW_EINVAL);
}

/* Issue 11: `--params nx=abc` exited 3 (bad data); every parameter error is
 * a usage error now. */
static void test_params(void **state)
{
    (void)state;
    sw_wlp tab[] = {{"nx", SW_WLP_INT, 2, 4096, 64, 0}, {"lr", SW_WLP_REAL, 0, 10, 0.01, 0}};
    sw_error err = {0};
    assert_int_equal(sw_wlp_parse("cg", tab, 2, "nx=32; lr=0.5", &err), SW_OK);
    assert_true(tab[0].value == 32 && tab[1].value == 0.5);
    char *c = sw_wlp_canon(tab, 2);
    assert_string_equal(c, "nx=32;lr=0.5");
    free(c);
    assert_int_equal(sw_wlp_parse("cg", tab, 2, NULL, &err), SW_OK);
    assert_true(tab[0].value == 64);
    const char *bad[][2] = {{"nx=abc", "cg: nx='abc' is not a number"},
                            {"nx=1.5", "not a whole number"},
                            {"nx=1", "out of range [2, 4096]"},
                            {"nz=3", "unknown parameter 'nz' (known: nx, lr)"},
                            {"nx=3,nx=4", "given twice"},
                            {"nx", "is not key=value"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sw_wlp_parse("cg", tab, 2, bad[i][0], &err), SW_EINVAL);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("'%s': got '%s'", bad[i][0], err.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts), cmocka_unit_test(test_counts_refused),
        cmocka_unit_test(test_range), cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
