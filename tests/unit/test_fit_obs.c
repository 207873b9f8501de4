/* test_fit_obs.c — from observation series to models: rate series turned
 * into time-like values (with the t(1) = 1 anchor when a peak is known),
 * series selection, failed points and their warnings. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scalewall/fit.h"
#include "scalewall/obs.h"

static sw_fitmodel *fit_obs(const sw_obs *o, int form)
{
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.bootstrap = 50;
    opt.form = form;
    sw_fitmodel *m = NULL;
    sw_error e = {0};
    if (sw_fit_obs(o, "mem.csv", &opt, &m, &e))
        fail_msg("fit: %s", e.msg);
    return m;
}

/* TOP500-like: systems at N = 1e4..1e7 with Amdahl E = 1/(N s + 1 - s) and
 * r1 = 0.05 TFlop/s per core.  The anchored strong fit recovers s and the
 * wall r1/s (model.md). */
static void test_rate_amdahl(void **state)
{
    (void)state;
    double s = 2e-7, r1 = 0.05;
    sw_obs *o = sw_obs_new("top500", SW_QTY_RATE, "TFlop/s");
    for (int k = 0; k < 8; k++) {
        double n = 1e4 * pow(10, 3.0 * k / 7);
        double e = 1 / (n * s + 1 - s) * (1 + 0.002 * ((k % 3) - 1));
        sw_obs_point *p = sw_obs_add(o, n, 0, n * r1 * e);
        p->peak = n * r1;
    }
    sw_fitmodel *m = fit_obs(o, SW_FIT_STRONG);
    assert_string_equal(sw_fitmodel_source(m, "conversion"),
                        "t = peak/(N*rate), anchored at t(1) = 1");
    assert_string_equal(sw_fitmodel_rate_unit(m), "TFlop/s");
    assert_string_equal(sw_fitmodel_hyp(m, 0)->name, "1 + 1/N");
    sw_fit_answers a;
    sw_error e = {0};
    assert_int_equal(sw_fitmodel_answers(m, 0.9, 0.5, NULL, &a, &e), SW_OK);
    assert_true(fabs(a.serial_share.median / s - 1) < 0.01);
    assert_true(fabs(a.wall_rate.median / (r1 / s) - 1) < 0.01);
    assert_true(fabs(sw_fitmodel_r1(m) / r1 - 1) < 1e-6);
    sw_fitmodel_free(m);
    sw_obs_free(o);
}

/* Weak reading: 1/E = 1 + c log2 N; t = peak/rate. */
static void test_rate_weak(void **state)
{
    (void)state;
    double c = 0.01;
    sw_obs *o = sw_obs_new("top500", SW_QTY_RATE, "TFlop/s");
    o->scaling = SW_SCALING_WEAK;
    for (int k = 0; k < 8; k++) {
        double n = 1e4 * pow(10, 3.0 * k / 7);
        double e = 1 / (1 + c * log2(n)) * (1 + 0.001 * ((k % 3) - 1));
        sw_obs_point *p = sw_obs_add(o, n, 0, n * e);
        p->peak = n;
    }
    sw_fitmodel *m = fit_obs(o, -1);
    assert_int_equal(sw_fitmodel_form(m), SW_FIT_WEAK);
    assert_string_equal(sw_fitmodel_hyp(m, 0)->name, "1 + log2(N)");
    sw_fit_pred p;
    sw_error e = {0};
    assert_int_equal(sw_fitmodel_predict(m, 1e8, 0.9, NULL, &p, &e), SW_OK);
    assert_true(fabs(p.efficiency.median * (1 + c * log2(1e8)) - 1) < 0.005);
    /* Gustafson 1-alpha = (N - S)/(N - 1) = 1 - E for large N */
    assert_true(fabs(p.serial.median - (1 - p.efficiency.median)) < 1e-6);
    sw_fitmodel_free(m);
    sw_obs_free(o);
}

static void test_failed_points(void **state)
{
    (void)state;
    sw_obs *o = sw_obs_new("app", SW_QTY_TIME, "s");
    double ns[] = {1, 2, 4, 8, 16};
    for (int k = 0; k < 5; k++)
        for (int r = 0; r < 3; r++)
            sw_obs_add(o, ns[k], r, (1 + 10 / ns[k]) * (1 + 0.01 * (r - 1)));
    sw_obs_point *bad = sw_obs_add(o, 32, 0, 1e6);
    bad->ok = 0;
    sw_fitmodel *m = fit_obs(o, -1);
    int seen = 0;
    for (size_t k = 0; k < sw_fitmodel_nwarnings(m); k++)
        seen |= strstr(sw_fitmodel_warning(m, k), "1 failed point") != NULL;
    assert_true(seen);
    assert_true(sw_fitmodel_n_max(m) == 16);
    assert_string_equal(sw_fitmodel_source(m, "workload"), "app");
    assert_string_equal(sw_fitmodel_source(m, "input"), "mem.csv");
    sw_fitmodel_free(m);
    sw_obs_free(o);
}

static void test_select(void **state)
{
    (void)state;
    sw_obs_set set = {0};
    sw_error e = {0};
    sw_obs *a = sw_obs_new("cg", SW_QTY_TIME, "s"), *b = sw_obs_new("cg", SW_QTY_TIME, "s");
    sw_obs_set_params(a, "nx=32", &e);
    sw_obs_set_params(b, "nx=64", &e);
    sw_obs_set_push(&set, a, &e);
    sw_obs_set_push(&set, b, &e);
    const sw_obs *o = NULL;
    assert_int_equal(sw_fit_select_series(&set, NULL, &o, &e), SW_EINVAL);
    assert_non_null(strstr(e.msg, "mixes 2 series"));
    assert_int_equal(sw_fit_select_series(&set, "cg", &o, &e), SW_EINVAL);
    assert_non_null(strstr(e.msg, "2 series match"));
    assert_int_equal(sw_fit_select_series(&set, "cg:nx=64", &o, &e), SW_OK);
    assert_ptr_equal(o, b);
    assert_int_equal(sw_fit_select_series(&set, "1", &o, &e), SW_OK);
    assert_ptr_equal(o, a);
    assert_int_equal(sw_fit_select_series(&set, "3", &o, &e), SW_EINVAL);
    sw_obs_set_free(&set);
}

/* A results file records every parameter; the selector names the ones that
 * tell the series apart (issue 11: `--series cg:nx=64` matched nothing). */
static void test_select_subset(void **state)
{
    (void)state;
    sw_obs_set set = {0};
    sw_error e = {0};
    sw_obs *a = sw_obs_new("cg", SW_QTY_TIME, "s"), *b = sw_obs_new("cg", SW_QTY_TIME, "s");
    sw_obs_set_params(a, "nx=32;ny=64;nz=64;iters=50;corrupt=0", &e);
    sw_obs_set_params(b, "nx=64;ny=64;nz=64;iters=50;corrupt=0", &e);
    sw_obs_set_push(&set, a, &e);
    sw_obs_set_push(&set, b, &e);
    const sw_obs *o = NULL;
    assert_int_equal(sw_fit_select_series(&set, "cg:nx=64", &o, &e), SW_OK);
    assert_ptr_equal(o, b);
    /* several items, either separator, any order */
    assert_int_equal(sw_fit_select_series(&set, "cg:iters=50,nx=32", &o, &e), SW_OK);
    assert_ptr_equal(o, a);
    assert_int_equal(sw_fit_select_series(&set, "cg:nx=32;ny=64", &o, &e), SW_OK);
    assert_ptr_equal(o, a);
    /* the whole string still matches */
    assert_int_equal(sw_fit_select_series(&set, "cg:nx=64;ny=64;nz=64;iters=50;corrupt=0", &o, &e),
                     SW_OK);
    assert_ptr_equal(o, b);
    /* an item is whole: nx=6 is not nx=64; a shared item is ambiguous */
    assert_int_equal(sw_fit_select_series(&set, "cg:nx=6", &o, &e), SW_EINVAL);
    assert_non_null(strstr(e.msg, "no series matches"));
    assert_int_equal(sw_fit_select_series(&set, "cg:ny=64", &o, &e), SW_EINVAL);
    assert_non_null(strstr(e.msg, "2 series match"));
    assert_int_equal(sw_fit_select_series(&set, "mlp:nx=64", &o, &e), SW_EINVAL);
    sw_obs_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_amdahl),
        cmocka_unit_test(test_rate_weak),
        cmocka_unit_test(test_failed_points),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_subset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
