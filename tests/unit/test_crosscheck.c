/* test_crosscheck.c — the comparison behind `scalewall crosscheck`, by hand:
 * a fit of exact points T(N) = 1 + 8/N predicts T(16) = 1.5 (its model
 * average: within 0.1%), a simulation 20% slower than that prediction is
 * +20% and outside its interval; the compute rate
 * is the median of flops / run_s at N = 1; the sentence and the CSV. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalewall/crosscheck.h"

static sw_obs *real_series(void)
{
    sw_obs *o = sw_obs_new("mlp", SW_QTY_TIME, "s");
    int f = sw_obs_add_extra(o, "flops"), r = sw_obs_add_extra(o, "run_s");
    const double n[4] = {1, 2, 4, 8};
    for (int i = 0; i < 4; i++)
        for (int rep = 0; rep < 3; rep++) {
            sw_obs_point *p = sw_obs_add(o, n[i], rep, 1 + 8 / n[i]);
            p->extra[f] = 9e9;                 /* flops of the timed part */
            p->extra[r] = 9.0 * (1 + 0.1 * rep); /* 9, 9.9, 10.8 s: rates 1e9, 0.909e9, 0.833e9 */
        }
    o->pts[1].ok = 0; /* a failed run does not count: the rates left are 1e9 and 0.833e9 */
    return o;
}

static void test_rate(void **state)
{
    (void)state;
    sw_obs *o = real_series();
    double rate;
    size_t runs;
    assert_int_equal(sw_crosscheck_rate(o, "real.csv", &rate, &runs, NULL), SW_OK);
    assert_int_equal(runs, 2);
    assert_true(fabs(rate - (1e9 + 9e9 / 10.8) / 2) < 1);
    sw_obs *none = sw_obs_new("mlp", SW_QTY_TIME, "s");
    sw_obs_add(none, 2, 0, 1.0);
    sw_error err = {0};
    assert_int_equal(sw_crosscheck_rate(none, "r.csv", &rate, &runs, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "r.csv: no successful one-rank run"));
    sw_obs_free(none);
    sw_obs_free(o);
}

static void test_compare(void **state)
{
    (void)state;
    sw_obs *real = real_series();
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    sw_fitmodel *m = NULL;
    sw_error err = {0};
    assert_int_equal(sw_fit_obs(real, "real.csv", &opt, &m, &err), SW_OK);
    /* The fit's own prediction at 16 (its model average): near the closed
     * form 1.5, and what the comparison must use, interval included. */
    sw_fit_pred p;
    assert_int_equal(sw_fitmodel_predict(m, 16, 0.9, NULL, &p, &err), SW_OK);
    assert_true(fabs(p.time.median / 1.5 - 1) < 1e-3);
    sw_obs *sim = sw_obs_new("mlp", SW_QTY_TIME, "s");
    sw_obs_add(sim, 16, 0, 1.5 * p.time.median); /* outside the 90% interval at 2x */
    const double n[2] = {16, 32};
    sw_xc_row rows[2];
    /* N = 32 was not simulated: an error that names the file. */
    assert_int_equal(sw_crosscheck_compare(m, sim, "sim.csv", n, 2, 0.9, rows, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "sim.csv: no simulated time at N = 32"));
    assert_int_equal(sw_crosscheck_compare(m, sim, "sim.csv", n, 1, 0.9, rows, &err), SW_OK);
    assert_true(rows[0].pred == p.time.median && rows[0].lo == p.time.lo &&
                rows[0].hi == p.time.hi);
    assert_true(fabs(rows[0].dis - 50) < 1e-9);
    assert_int_equal(rows[0].inside, 0);
    char buf[1024];
    sw_xc_context c = {"mlp", "1,2,4,8", "16", 0.9, 0, 2, "this machine's"};
    sw_crosscheck_summary(&c, rows, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "Fitted on the real N = 1,2,4,8, the model is off from the "
                                "simulated mlp at N = 16 by up to 50%"));
    assert_non_null(strstr(buf, "1 of 1 simulated points is outside the fit's 90% interval"));
    assert_null(strstr(buf, "oversubscribed"));
    c.oversubscribed = 1;
    sw_crosscheck_summary(&c, rows, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "1 of the real N is oversubscribed (more ranks than this "
                                "machine's 2 cores)"));
    char *csv = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&csv, &len);
    assert_int_equal(sw_crosscheck_write_csv(rows, 1, fp, NULL), SW_OK);
    fclose(fp);
    const char *head = "n,predicted,predicted_lo,predicted_hi,simulated,disagreement_pct,"
                       "inside\n16,";
    assert_true(strncmp(csv, head, strlen(head)) == 0);
    assert_non_null(strstr(csv, ",no\n"));
    free(csv);
    sw_fitmodel_free(m);
    sw_obs_free(sim);
    sw_obs_free(real);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
