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
#include <unistd.h>

#include "scalewall/fit.h"
#include "scalewall/fmt.h"
#include "scalewall/measure_stats.h"
#include "scalewall/obs.h"
#include "scalewall/plan.h"
#include "scalewall/plot.h"
#include "scalewall/report.h"
#include "scalewall/trust.h"

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
    assert_string_equal(b, "1 run: no interval");
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

/* The gate: a model fitted on N = 1..4, calibrated inside that range. */
static void test_gate_judge(void **state)
{
    (void)state;
    sw_reach r = {1, 4, 1, "bootstrap", ""};
    sw_trust t;
    sw_trust_judge(&r, 4, 1, 1, 2, &t);
    assert_true(t.within && t.calibrated && t.network_ok && t.narrow);
    assert_string_equal(t.reason, "");
    assert_true(fabs(t.ratio - 1) < 1e-12 && fabs(t.spread - 2) < 1e-12);
    /* 32 units: 8x the data */
    sw_trust_judge(&r, 32, 1, 1, 2, &t);
    assert_false(t.within || t.calibrated);
    assert_true(t.network_ok && t.narrow);
    assert_non_null(strstr(t.reason, "N = 32 units is 8\u00d7 the largest measured N (4)"));
    assert_non_null(strstr(t.reason, "calibrated only inside the measured range"));
    /* two nodes of 2 units: inside the range, but no network */
    sw_trust_judge(&r, 4, 2, 1, 2, &t);
    assert_false(t.within || t.network_ok);
    assert_true(t.calibrated);
    assert_non_null(strstr(t.reason, "2 nodes: the network between nodes was never measured"));
    snprintf(r.network, sizeof r.network, "simulated platform hdr");
    sw_trust_judge(&r, 4, 2, 1, 2, &t);
    assert_true(t.within);
    /* an interval spanning more than a factor 10 is not an answer */
    sw_trust_judge(&r, 2, 1, 1, 10.5, &t);
    assert_false(t.within || t.narrow);
    assert_non_null(strstr(t.reason, "spans a factor of 10.5 (more than 10)"));
    sw_trust_judge(&r, 2, 1, 1, 10, &t);
    assert_true(t.within);
    sw_trust_judge(&r, 2, 1, NAN, NAN, &t); /* no interval: nothing to judge there */
    assert_true(t.within && isnan(t.spread));
    sw_trust_judge(&r, 2, 1, 1, INFINITY, &t);
    assert_false(t.within);
    assert_non_null(strstr(t.reason, "unbounded"));
    /* calibrated beyond the data: up to 4x = 16 units */
    r.calibrated_ratio = 4;
    sw_trust_judge(&r, 16, 1, 1, 2, &t);
    assert_true(t.within);
    sw_trust_judge(&r, 32, 1, 1, 2, &t);
    assert_false(t.within);
    assert_non_null(strstr(t.reason, "past the 4\u00d7 (N = 16)"));
    /* below the data */
    r.n_min = 2;
    sw_trust_judge(&r, 1, 1, 1, 2, &t);
    assert_false(t.within);
    assert_non_null(strstr(t.reason, "below the smallest measured N (2)"));
    /* reasons add up */
    r.n_min = 1;
    r.network[0] = '\0';
    sw_trust_judge(&r, 64, 2, 1, 100, &t);
    assert_non_null(strstr(t.reason, "; 2 nodes: the network"));
    assert_non_null(strstr(t.reason, "; its interval spans"));
}

/* The plan answers only from rows the gate lets through.  T(N) = 1 + 99/N
 * (3600 steps, 10/h a node), its reach cut to N <= 4 units on one node. */
static void test_gate_plan(void **state)
{
    (void)state;
    static sw_closed_model m = {1, 99, 0, 0, 0.1};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    p.reach = (sw_reach){1, 4, 1, "test", ""};
    sw_price_option o[2];
    memset(o, 0, sizeof o);
    snprintf(o[0].name, sizeof o[0].name, "one");
    snprintf(o[1].name, sizeof o[1].name, "big");
    o[0].units_per_node = 1;
    o[1].units_per_node = 8;
    o[0].speed = o[1].speed = 1;
    o[0].price_per_hour = o[1].price_per_hour = 10;
    o[0].purchase_price = o[1].purchase_price = NAN;
    o[0].amortisation_years = o[1].amortisation_years = NAN;
    sw_price_table t = {o, 2, "USD", "test"};
    double nodes[] = {1, 2, 4, 8};
    sw_plan_request r;
    memset(&r, 0, sizeof r);
    r.nodes = nodes;
    r.nnodes = 4;
    r.work.kind = SW_WORK_STEPS;
    r.work.amount = 3600;
    snprintf(r.work.desc, sizeof r.work.desc, "3600 steps");
    r.deadline_s = 30 * 3600.0;
    r.budget = 2000;
    r.knee_pct = 10;
    sw_plan pl;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    /* "one": 1 node is within; 2 and 4 nodes need a network; 8 is also 2x the data */
    assert_true(pl.rows[0].trust.within);
    assert_false(pl.rows[1].trust.within);
    assert_false(pl.rows[1].trust.network_ok);
    assert_true(pl.rows[1].trust.calibrated);
    assert_false(pl.rows[3].trust.calibrated);
    /* "big": 8 units on one node, already 2x the data */
    assert_false(pl.rows[4].trust.within);
    /* the deadline (30 h) is met by nothing the data supports: 1 node takes 100 h */
    assert_false(pl.deadline.found);
    assert_true(pl.deadline.row == 0);
    if (!strstr(pl.deadline.sentence, "the fastest is 1 x one at 4.17 days"))
        fail_msg("%s", pl.deadline.sentence);
    assert_non_null(strstr(pl.deadline.sentence, "beyond it"));
    /* the budget answer is 1 node, the only supported row */
    assert_true(pl.budget.found && pl.budget.row == 0);
    /* knee: unknown, one supported row; slowdown: nothing more to say */
    assert_false(pl.knee[0].found);
    assert_non_null(strstr(pl.knee[0].sentence, "the knee is unknown"));
    assert_non_null(strstr(pl.knee[0].sentence, "From 2 one nodes on it is unknown"));
    assert_string_equal(pl.slowdown[0].sentence, "");
    /* a whole option withheld: one sentence, no price */
    assert_true(pl.knee[1].gated);
    assert_non_null(strstr(pl.knee[1].sentence, "big: every candidate (1 to 8 nodes) is beyond"));
    assert_null(strchr(pl.knee[1].sentence, '$'));
    assert_string_equal(pl.slowdown[1].sentence, "");
    /* the JSON keeps the verdicts */
    char path[] = "/tmp/sw-gate-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(sw_plan_write_json(&pl, fp, &err), SW_OK);
    fclose(fp);
    sw_plan back;
    assert_int_equal(sw_plan_read_file(path, &back, &err), SW_OK);
    remove(path);
    assert_true(back.rows[0].trust.within && !back.rows[1].trust.within);
    assert_string_equal(back.rows[1].trust.reason, pl.rows[1].trust.reason);
    assert_true(back.knee[1].gated);
    assert_true(back.reach.n_max == 4 && back.reach.calibrated_ratio == 1);
    sw_plan_free(&back);
    sw_plan_free(&pl);
    /* nothing within at all: the answers say why, with no price at all */
    p.reach.n_max = 0.5;
    p.reach.n_min = 0.5;
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_true(pl.deadline.gated && pl.budget.gated);
    assert_null(strchr(pl.deadline.sentence, '$'));
    assert_null(strchr(pl.budget.sentence, '$'));
    assert_non_null(strstr(pl.budget.sentence, "cannot be answered from this data"));
    sw_plan_free(&pl);
}

/* A fitted model's calibration verdict is the model's own
 * (sw_fitmodel_reach), not a second copy of its rule: the gate agrees with
 * it at every N and quotes its reason; the network and spread rules stay
 * the gate's.  T(N) = 1 + 99/N at N = 1..8, 3 runs each with +-1%. */
static void test_gate_fitted(void **state)
{
    (void)state;
    double n[24], t[24];
    size_t k = 0;
    for (int e = 0; e < 4; e++)
        for (int r = 0; r < 3; r++, k++) {
            n[k] = pow(2, e);
            t[k] = (1 + 99 / n[k]) * (1 + 0.01 * (r - 1));
        }
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.bootstrap = 50;
    sw_fitmodel *m;
    sw_error err = {0};
    assert_int_equal(sw_fit_arrays(n, t, k, &opt, &m, &err), SW_OK);
    sw_predictor p;
    sw_predictor_fit(&p, m);
    assert_true(p.calibrated != NULL);
    assert_true(p.reach.n_max == 8 && p.reach.n_min == 1);
    assert_true(p.reach.calibrated_ratio == sw_fitmodel_calibrated_ratio(m));
    assert_string_equal(p.reach.calibration, sw_fitmodel_calibration(m));
    static const double at[] = {1, 4, 8, 9, 64, 4096};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        sw_fit_reach fr;
        assert_int_equal(sw_fitmodel_reach(m, at[i], &fr, &err), SW_OK);
        sw_trust tr;
        sw_predictor_trust(&p, at[i], 1, 1, 2, &tr);
        assert_int_equal(tr.calibrated, fr.calibrated);
        assert_int_equal(tr.within, fr.calibrated);
        if (!fr.calibrated) {
            if (!strstr(tr.reason, fr.reason))
                fail_msg("gate '%s' does not quote the model's '%s'", tr.reason, fr.reason);
            assert_non_null(strstr(tr.reason, "largest measured N 8"));
        } else
            assert_string_equal(tr.reason, "");
    }
    /* the other rules are the gate's: 2 nodes inside the range, no network */
    sw_trust tr;
    sw_predictor_trust(&p, 8, 2, 1, 2, &tr);
    assert_true(tr.calibrated);
    assert_false(tr.within || tr.network_ok);
    sw_fitmodel_free(m);
}

/* Crowded labels: 40 points on a small diagonal; whatever is placed never
 * overlaps another label, a marker, or the frame's edge. */
static void test_labels_never_overlap(void **state)
{
    (void)state;
    enum { N = 40 };
    double x[N], y[N], w[N], h[N], ox[N], oy[N];
    int placed[N];
    for (int i = 0; i < N; i++) {
        x[i] = 100 + 7 * i + (i % 3) * 2;
        y[i] = 300 - 5 * i;
        w[i] = 60 + (i % 5) * 10;
        h[i] = 12;
    }
    double r = 4;
    size_t k = sw_plot_place_labels(x, y, w, h, N, 80, 20, 600, 400, r, ox, oy, placed);
    assert_true(k > 10 && k <= N);
    size_t count = 0;
    for (int i = 0; i < N; i++) {
        if (!placed[i])
            continue;
        count++;
        assert_true(ox[i] >= 80 && oy[i] >= 20 && ox[i] + w[i] <= 600 && oy[i] + h[i] <= 400);
        for (int j = 0; j < N; j++) {
            /* no marker under a label */
            assert_false(ox[i] < x[j] + r && x[j] - r < ox[i] + w[i] && oy[i] < y[j] + r &&
                         y[j] - r < oy[i] + h[i]);
            if (j != i && placed[j])
                assert_false(ox[i] < ox[j] + w[j] && ox[j] < ox[i] + w[i] &&
                             oy[i] < oy[j] + h[j] && oy[j] < oy[i] + h[i]);
        }
    }
    assert_int_equal(count, k);
    /* one lone point: right of it, centred */
    double x1 = 200, y1 = 200, w1 = 50, h1 = 10, ox1, oy1;
    int p1;
    assert_int_equal(sw_plot_place_labels(&x1, &y1, &w1, &h1, 1, 0, 0, 800, 600, 4, &ox1, &oy1,
                                          &p1), 1);
    assert_true(ox1 > x1 && fabs(oy1 + h1 / 2 - y1) < 1e-9);
}

/* A measured series on 2 cores: N = 4 oversubscribed, N = 2 slower than
 * one unit. */
static sw_obs *slow_series(int simulated)
{
    sw_obs *o = sw_obs_new("mlp", SW_QTY_TIME, NULL);
    assert_non_null(o);
    o->simulated = simulated;
    int k = sw_obs_add_extra(o, "core_load");
    const double n[] = {1, 2, 4}, t[] = {0.1, 0.2, 0.25}, load[] = {0.5, 1, 2};
    for (int i = 0; i < 3; i++)
        for (int r = 0; r < 6; r++) {
            sw_obs_point *p = sw_obs_add(o, n[i], r, t[i] * (1 + 0.01 * r));
            p->extra[k] = load[i];
        }
    assert_int_equal(sw_obs_set_meta(o, "host", "box", NULL), SW_OK);
    assert_int_equal(sw_obs_set_meta(o, "cores", "2", NULL), SW_OK);
    if (simulated)
        assert_int_equal(sw_obs_set_meta(o, "platform", "hdr", NULL), SW_OK);
    return o;
}

static void test_support_sentence(void **state)
{
    (void)state;
    char b[2048];
    sw_obs *o = slow_series(0);
    sw_obs_cond c;
    sw_obs_condition(o, 4, &c);
    assert_true(c.oversubscribed && c.core_load == 2 && !c.simulated);
    sw_obs_condition_label(&c, b, sizeof b);
    assert_string_equal(b, "oversubscribed (2 per core)");
    sw_obs_condition(o, 2, &c);
    assert_false(c.oversubscribed);
    double first;
    assert_int_equal(sw_obs_oversubscribed(o, &first), 1);
    assert_true(first == 4);
    sw_report_support(o, NULL, b, sizeof b);
    assert_ptr_equal(strstr(b, "On this machine (box, 2 cores), 'mlp' was measured at N = 1, 2 "
                               "and 4."), b);
    assert_non_null(strstr(b, "N = 4 is oversubscribed (2 busy threads per core): it measures "
                              "time-sharing, not scaling."));
    assert_non_null(strstr(b, "does not speed up here"));
    assert_non_null(strstr(b, "at N = 2 it runs slower than on one unit (speedup 0.5)"));
    assert_null(strstr(b, "1-\u03b1")); /* a slowdown is not a serial share */
    assert_non_null(strstr(b, "the method, not a recommendation"));
    sw_obs_free(o);
    o = slow_series(1);
    sw_report_support(o, NULL, b, sizeof b);
    assert_ptr_equal(strstr(b, "These points are simulated on platform hdr, not measured"), b);
    sw_obs_free(o);
    sw_report_point_words(4, 3, b, sizeof b);
    assert_string_equal(b, "at N = 4 the speedup is 3, the efficiency 75% and 1-\u03b1_eff = "
                           "0.111");
}

/* The speedup figure's band: S(1) = 1, 0 < S <= min(N, the wall), and the
 * band only where the intervals are calibrated (here N <= 8). */
static void test_figure_band(void **state)
{
    (void)state;
    static sw_closed_model m = {1, 99, 0, 0, 0.3}; /* a wide +-30% band */
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    p.reach = (sw_reach){1, 4, 2, "test", "test"};
    sw_obs *o = slow_series(0);
    sw_chart *c;
    sw_error err = {0};
    assert_int_equal(sw_fig_speedup(o, &p, 256, &c, &err), SW_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(sw_chart_write_data(c, fp, &err), SW_OK);
    fclose(fp);
    assert_non_null(strstr(buf, "ideal S = N,line,"));
    assert_non_null(strstr(buf, "model extrapolated: beyond what the data supports,line,"));
    assert_non_null(strstr(buf, "measured oversubscribed (up to 2 per core): median and 95% CI "
                                "of the median,points,4,"));
    assert_non_null(strstr(buf, "measured: median and 95% CI of the median,points,2,"));
    assert_non_null(strstr(buf, ",legend,,,,,,below"));
    double wall = 100; /* 1 + 99/N: the wall is T(1)/t_s = 100 */
    size_t bands = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        double x, lo, hi;
        if (sscanf(line, "model interval (where calibrated),band,%lf,,,%lf,%lf", &x, &lo, &hi) != 3)
            continue;
        bands++;
        assert_true(x <= 8 * (1 + 1e-9));
        assert_true(lo > 0 && hi <= fmin(x, wall) * (1 + 1e-9));
        if (x == 1)
            assert_true(lo == 1 && hi == 1);
    }
    assert_true(bands >= 10);
    free(buf);
    sw_chart_free(c);
    sw_obs_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_coverage),
        cmocka_unit_test(test_interval_label),
        cmocka_unit_test(test_fmt_count),
        cmocka_unit_test(test_hockney_describe),
        cmocka_unit_test(test_gate_judge),
        cmocka_unit_test(test_gate_plan),
        cmocka_unit_test(test_gate_fitted),
        cmocka_unit_test(test_labels_never_overlap),
        cmocka_unit_test(test_support_sentence),
        cmocka_unit_test(test_figure_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
