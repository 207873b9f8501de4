/* test_plan.c — the plan's table and answers against hand computation, on
 * closed-form predictors (no fit involved), plus price tables and the
 * plan's JSON round trip.
 *
 * Model A: T(N) = 1 + 99/N seconds per step (s = 0.01, wall 100x), 3600
 * steps, so the job takes T(N) hours; one unit per node at 10/h:
 *   N    1     2      4      8       16
 *   h    100   50.5   25.75  13.375  7.1875
 *   cost 1000  1010   1030   1070    1150 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "scalewall/plan.h"
#include "scalewall/prices.h"

#ifndef assert_double_equal
#define assert_double_equal(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)
static void near(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.12g != %.12g (eps %g)\n", a, b, eps);
        _fail(file, line);
    }
}
#endif

static sw_price_option rent(const char *name, double units, double price)
{
    sw_price_option o;
    memset(&o, 0, sizeof o);
    snprintf(o.name, sizeof o.name, "%s", name);
    o.units_per_node = units;
    o.speed = 1;
    o.price_per_hour = price;
    o.purchase_price = o.amortisation_years = NAN;
    return o;
}

static sw_plan_request request(const double *nodes, size_t n, double steps)
{
    sw_plan_request r;
    memset(&r, 0, sizeof r);
    r.nodes = nodes;
    r.nnodes = n;
    r.work.kind = SW_WORK_STEPS;
    r.work.amount = steps;
    snprintf(r.work.desc, sizeof r.work.desc, "%g steps", steps);
    r.deadline_s = NAN;
    r.budget = NAN;
    r.knee_pct = 10;
    return r;
}

static const double nodes5[] = {16, 1, 4, 2, 8}; /* unsorted on purpose */

static void plan_a(sw_plan *pl, double rel, double deadline_h, double budget, double knee)
{
    static sw_closed_model m;
    m = (sw_closed_model){1, 99, 0, 0, rel};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("a", 1, 10);
    sw_price_table t = {&o, 1, "USD", "test"};
    sw_plan_request r = request(nodes5, 5, 3600);
    r.deadline_s = deadline_h * 3600;
    r.budget = budget;
    r.knee_pct = knee;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, pl, &err), SW_OK);
}

static void test_table(void **state)
{
    (void)state;
    sw_plan pl;
    plan_a(&pl, 0.2, NAN, NAN, 10);
    assert_int_equal(pl.nrows, 5);
    double h[] = {100, 50.5, 25.75, 13.375, 7.1875}, cost[] = {1000, 1010, 1030, 1070, 1150};
    for (size_t i = 0; i < 5; i++) {
        const sw_plan_row *r = &pl.rows[i];
        assert_double_equal(r->nodes, pow(2, i), 0);
        assert_double_equal(r->time_s.median, h[i] * 3600, 1e-6);
        assert_double_equal(r->time_s.hi, h[i] * 3600 * 1.2, 1e-6);
        assert_double_equal(r->cost.median, cost[i], 1e-9);
        assert_double_equal(r->cost.lo, cost[i] * 0.8, 1e-9);
        assert_double_equal(r->efficiency.median, 100 / (h[i] * r->nodes), 1e-12);
    }
    assert_double_equal(pl.wall.median, 100, 1e-9);
    assert_true(isinf(pl.n_opt_units.median));
    sw_plan_free(&pl);
}

static void test_deadline(void **state)
{
    (void)state;
    sw_plan pl;
    plan_a(&pl, 0.2, 30, NAN, 10); /* 4 nodes: 25.75 h, but its slow end is 30.9 h */
    assert_true(pl.deadline.found);
    assert_double_equal(pl.rows[pl.deadline.row].nodes, 4, 0);
    assert_true(pl.deadline.at_risk);
    assert_non_null(strstr(pl.deadline.sentence, "4 x a"));
    assert_non_null(strstr(pl.deadline.sentence, "$1,030"));
    assert_non_null(strstr(pl.deadline.sentence, "misses the deadline"));
    sw_plan_free(&pl);
    plan_a(&pl, 0, 30, NAN, 10); /* without an interval: no risk note */
    assert_false(pl.deadline.at_risk);
    assert_null(strstr(pl.deadline.sentence, "misses"));
    sw_plan_free(&pl);
    plan_a(&pl, 0.2, 5, NAN, 10); /* 7.19 h at best: not met */
    assert_false(pl.deadline.found);
    assert_double_equal(pl.rows[pl.deadline.row].nodes, 16, 0);
    assert_non_null(strstr(pl.deadline.sentence, "No option finishes"));
    sw_plan_free(&pl);
}

/* Perfect scaling (T = 100/N h): every N costs the same $1,000, so the
 * deadline's cheapest option is a tie broken by time, and the budget's
 * fastest is the largest N. */
static void test_ties(void **state)
{
    (void)state;
    static sw_closed_model m;
    m = (sw_closed_model){0, 100, 0, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("a", 1, 10);
    sw_price_table t = {&o, 1, "USD", "test"};
    sw_plan_request r = request(nodes5, 5, 3600);
    r.deadline_s = 30 * 3600.0; /* 4, 8 and 16 nodes meet it, all at $1,000 */
    r.budget = 1000;
    sw_plan pl;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_true(pl.deadline.found);
    assert_double_equal(pl.rows[pl.deadline.row].nodes, 16, 0);
    assert_true(pl.budget.found);
    assert_double_equal(pl.rows[pl.budget.row].nodes, 16, 0);
    sw_plan_free(&pl);
}

static void test_budget(void **state)
{
    (void)state;
    sw_plan pl;
    plan_a(&pl, 0, NAN, 1050, 10); /* 1, 2, 4 fit; 4 is fastest */
    assert_true(pl.budget.found);
    assert_double_equal(pl.rows[pl.budget.row].nodes, 4, 0);
    assert_non_null(strstr(pl.budget.sentence, "25.8 h"));
    sw_plan_free(&pl);
    plan_a(&pl, 0, NAN, 500, 10);
    assert_false(pl.budget.found);
    assert_double_equal(pl.rows[pl.budget.row].nodes, 1, 0);
    assert_non_null(strstr(pl.budget.sentence, "Nothing finishes"));
    sw_plan_free(&pl);
}

/* Cuts per doubling: 49.5%, 49.0%, 48.1%, 46.3%. */
static void test_knee(void **state)
{
    (void)state;
    sw_plan pl;
    plan_a(&pl, 0, NAN, NAN, 47);
    assert_true(pl.knee[0].found);
    assert_double_equal(pl.rows[pl.knee[0].row].nodes, 8, 0);
    assert_double_equal(pl.knee[0].value, 1 - 7.1875 / 13.375, 1e-12);
    assert_non_null(strstr(pl.knee[0].sentence, "Going from 8 to 16 a nodes cuts the run by 46%"));
    assert_non_null(strstr(pl.knee[0].sentence, "raises the cost 1.1"));
    assert_null(strstr(pl.knee[0].sentence, "wall")); /* said once, in the model's sentence */
    sw_plan_free(&pl);
    plan_a(&pl, 0, NAN, NAN, 40);
    assert_false(pl.knee[0].found);
    assert_non_null(strstr(pl.knee[0].sentence, "at least 40%"));
    sw_plan_free(&pl);
    /* a step of 4x is judged per doubling: 1 -> 4 cuts 74.25%, i.e.
     * 1 - sqrt(0.2575) = 49.3% per doubling */
    static sw_closed_model m = {1, 99, 0, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("a", 1, 10);
    sw_price_table t = {&o, 1, "USD", "test"};
    double n2[] = {1, 4};
    sw_plan_request r = request(n2, 2, 3600);
    r.knee_pct = 49.5;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_true(pl.knee[0].found);
    assert_double_equal(pl.knee[0].value, 1 - sqrt(0.2575), 1e-12);
    assert_non_null(strstr(pl.knee[0].sentence, "per doubling"));
    sw_plan_free(&pl);
}

/* A table predictor: T(1) = 1 [1, 1], T(2) = 1.01 [0.998, 3.98].  From 1 to
 * 2 nodes the run is 1% longer; the interval runs from a 0.2% cut (-0.2%
 * longer, which must read "0%", never "-0%") to 298% longer. */
static sw_status table_time(void *ctx, double units, double k, sw_plan_iv *t, sw_error *err)
{
    (void)ctx, (void)k, (void)err;
    *t = units < 1.5 ? (sw_plan_iv){1, 1, 1} : (sw_plan_iv){1.01, 0.998, 3.98};
    return SW_OK;
}

static void test_knee_no_negative_zero(void **state)
{
    (void)state;
    sw_predictor p;
    memset(&p, 0, sizeof p);
    p.time = table_time;
    p.units_max = 2;
    snprintf(p.what, sizeof p.what, "table");
    p.reach = (sw_reach){1, 2, 1, "test", "test"};
    sw_price_option o = rent("a", 1, 10);
    sw_price_table t = {&o, 1, "USD", "test"};
    double n2[] = {1, 2};
    sw_plan_request r = request(n2, 2, 3600);
    sw_plan pl;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_true(pl.knee[0].found);
    assert_null(strstr(pl.knee[0].sentence, "-0%"));
    assert_non_null(strstr(pl.knee[0].sentence, "0% to 298%"));
    sw_plan_free(&pl);
}

/* T(N) = 1000/N + 10 log2 N: N* = 1000 ln2 / 10 = 69.3; on the candidates
 * 64 is fastest (75.625) and 128 takes 77.8125, 2.9% longer. */
static void test_slowdown(void **state)
{
    (void)state;
    static sw_closed_model m = {0, 1000, 10, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("gpu", 1, 1);
    sw_price_table t = {&o, 1, "USD", "test"};
    double n[] = {16, 32, 64, 128, 256};
    sw_plan_request r = request(n, 5, 1);
    sw_plan pl;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_true(pl.slowdown[0].found);
    assert_double_equal(pl.slowdown[0].value, 64, 0);
    assert_double_equal(pl.n_opt_units.median, 1000 * log(2) / 10, 1e-9);
    assert_non_null(strstr(pl.slowdown[0].sentence, "Past 64 gpu nodes the run gets slower: 128 "
                                                    "nodes take 3% longer"));
    assert_non_null(strstr(pl.slowdown[0].sentence, "69.3 nodes"));
    /* the wall is T(1)/T(N*) */
    double tstar = 1000 / (1000 * log(2) / 10) + 10 * log2(1000 * log(2) / 10);
    assert_double_equal(pl.wall.median, 1000 / tstar, 1e-9);
    sw_plan_free(&pl);
    /* only candidates below N*: no slowdown seen */
    r = request(n, 3, 1);
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_false(pl.slowdown[0].found);
    assert_non_null(strstr(pl.slowdown[0].sentence, "no slowdown"));
    sw_plan_free(&pl);
}

/* Bought, 4 units per node, payload twice as fast, energy and overhead:
 * 2 nodes = 8 units, speed 2 divides the payload only (fit.h, sw_whatif):
 * T = 1 + 99/(8*2) = 7.1875 s/step -> 7.1875 h; node-hour = 43830/(5*8766) =
 * 1; cost = 2*7.1875*1 + 2*0.5*7.1875*0.2 + 3. */
static void test_purchase_speed_energy(void **state)
{
    (void)state;
    static sw_closed_model m = {1, 99, 0, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("own", 4, NAN);
    o.purchase_price = 43830;
    o.amortisation_years = 5;
    o.speed = 2;
    o.power_w = 500;
    o.energy_price = 0.2;
    o.overhead = 3;
    sw_price_table t = {&o, 1, "EUR", "test"};
    double n[] = {2};
    sw_plan_request r = request(n, 1, 3600);
    sw_plan pl;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_double_equal(sw_price_node_hour(&o), 1, 1e-12);
    assert_double_equal(pl.rows[0].units, 8, 0);
    assert_double_equal(pl.rows[0].time_s.median, 7.1875 * 3600, 1e-6);
    assert_double_equal(pl.rows[0].cost.median, 14.375 + 1.4375 + 3, 1e-9);
    assert_double_equal(pl.rows[0].energy_kwh.median, 7.1875, 1e-9);
    /* T(1; 2) = 1 + 99/2 = 50.5 */
    assert_double_equal(pl.rows[0].efficiency.median, 50.5 / (8 * 7.1875), 1e-12);
    sw_plan_free(&pl);
    /* --job-time: 10 h on one measured unit -> 10 h * T(8; 2)/T(1; 1) */
    r.work.kind = SW_WORK_JOB_TIME;
    r.work.amount = 36000;
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    assert_double_equal(pl.rows[0].time_s.median, 36000 * 7.1875 / 100, 1e-6);
    sw_plan_free(&pl);
}

static void test_bad_requests(void **state)
{
    (void)state;
    static sw_closed_model m = {1, 99, 0, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("a", 1, 10);
    sw_price_table t = {&o, 1, "USD", "test"};
    sw_plan pl;
    sw_error err = {0};
    sw_plan_request r = request(NULL, 0, 10);
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "no candidate N"));
    double zero[] = {4, 0};
    r = request(zero, 2, 10);
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_EINVAL);
    double ok[] = {4};
    r = request(ok, 1, 10);
    o.price_per_hour = -1;
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "negative"));
    o.price_per_hour = 10;
    r.budget = -5;
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_EINVAL);
    r.budget = NAN;
    p.units_max = 2; /* a simulated series that reached N = 2 only */
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "beyond"));
    assert_null(pl.rows);
}

static void test_work_and_duration(void **state)
{
    (void)state;
    sw_work w;
    sw_error err = {0};
    assert_int_equal(sw_work_parse("90 epochs", 500, &w, &err), SW_OK);
    assert_double_equal(w.amount, 45000, 0);
    assert_int_equal(sw_work_parse("90 epochs", NAN, &w, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "steps-per-epoch"));
    assert_int_equal(sw_work_parse("1e6 steps", NAN, &w, &err), SW_OK);
    assert_double_equal(w.amount, 1e6, 0);
    assert_int_equal(sw_work_parse("-3 steps", NAN, &w, &err), SW_EINVAL);
    assert_int_equal(sw_work_parse("3 parsecs", NAN, &w, &err), SW_EINVAL);
    double s;
    assert_int_equal(sw_duration_parse("36h", &s, &err), SW_OK);
    assert_double_equal(s, 129600, 0);
    assert_int_equal(sw_duration_parse("90 min", &s, &err), SW_OK);
    assert_double_equal(s, 5400, 0);
    assert_int_equal(sw_duration_parse("2.5 days", &s, &err), SW_OK);
    assert_double_equal(s, 216000, 0);
    assert_int_equal(sw_duration_parse("4500", &s, &err), SW_OK);
    assert_double_equal(s, 4500, 0);
    assert_int_equal(sw_duration_parse("soon", &s, &err), SW_EINVAL);
    char buf[64];
    sw_fmt_money(1234.6, "USD", buf, sizeof buf);
    assert_string_equal(buf, "$1,235");
    sw_fmt_money(1234567, "GBP", buf, sizeof buf);
    assert_string_equal(buf, "1,234,567 GBP");
    sw_fmt_money(12.5, "USD", buf, sizeof buf);
    assert_string_equal(buf, "$12.50");
    sw_fmt_duration(5400, buf, sizeof buf);
    assert_string_equal(buf, "90 min");
    sw_fmt_duration(4 * 86400, buf, sizeof buf);
    assert_string_equal(buf, "4 days");
}

static void test_prices(void **state)
{
    (void)state;
    sw_price_table t;
    sw_error err = {0};
    assert_int_equal(sw_prices_default(&t, &err), SW_OK);
    assert_true(t.n >= 2);
    for (size_t i = 0; i < t.n; i++)
        assert_true(sw_price_node_hour(&t.opt[i]) > 0);
    sw_prices_free(&t);
    const char *csv = "name,units_per_node,price_per_hour,purchase_price,amortisation_years,"
                      "power_w,energy_price,overhead\n"
                      "rented,8,3.5,,,400,0,0\n"
                      "bought,16,,8766,2,300,0.3,5\n";
    assert_int_equal(sw_prices_read_buffer("p.csv", csv, strlen(csv), &t, &err), SW_OK);
    assert_int_equal(t.n, 2);
    assert_double_equal(sw_price_node_hour(&t.opt[0]), 3.5, 0);
    assert_double_equal(sw_price_node_hour(&t.opt[1]), 0.5, 1e-12);
    assert_double_equal(t.opt[1].speed, 1, 0);
    sw_prices_free(&t);
    const char *neg = "name,units_per_node,price_per_hour\nx,1,2\ny,1,-2\n";
    assert_int_equal(sw_prices_read_buffer("n.csv", neg, strlen(neg), &t, &err), SW_EPARSE);
    assert_string_equal(err.msg, "n.csv:3: price_per_hour -2 is negative");
    assert_null(t.opt);
    const char *both = "name,units_per_node,price_per_hour,purchase_price\nx,1,2,100\n";
    assert_int_equal(sw_prices_read_buffer("b.csv", both, strlen(both), &t, &err), SW_EPARSE);
    const char *js = "{\"format\":\"scalewall-prices\",\"version\":1,\"currency\":\"EUR\","
                     "\"options\":[{\"name\":\"g\",\"units_per_node\":4,\"speed\":10,"
                     "\"price_per_hour\":12}]}";
    assert_int_equal(sw_prices_read_buffer("p.json", js, strlen(js), &t, &err), SW_OK);
    assert_string_equal(t.currency, "EUR");
    assert_double_equal(t.opt[0].speed, 10, 0);
    sw_prices_free(&t);
    const char *v2 = "{\"format\":\"scalewall-prices\",\"version\":2,\"options\":[]}";
    assert_int_equal(sw_prices_read_buffer("v2.json", v2, strlen(v2), &t, &err), SW_EUNSUP);
    assert_non_null(strstr(err.msg, "newer"));
    const char *unk = "{\"format\":\"scalewall-prices\",\"version\":1,\"options\":[{\"name\":"
                      "\"g\",\"units_per_node\":4,\"price_per_hour\":1,\"colour\":3}]}";
    assert_int_equal(sw_prices_read_buffer("u.json", unk, strlen(unk), &t, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "colour"));
}

/* Every number of a price option survives the plan's JSON round trip: each
 * field set to its own value, so a field the writer or reader drops (both
 * walk one list in plan_io.c) comes back different. */
static void test_option_round_trip(void **state)
{
    (void)state;
    static sw_closed_model m;
    m = (sw_closed_model){1, 99, 0, 0, 0};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_option o = rent("own", 2, 3);
    o.speed = 1.5;
    o.purchase_price = 40000;
    o.amortisation_years = 4;
    o.power_w = 700;
    o.energy_price = 0.25;
    o.overhead = 0.35;
    snprintf(o.note, sizeof o.note, "%s", "a note");
    sw_price_table t = {&o, 1, "USD", "test"};
    sw_plan_request r = request(nodes5, 5, 3600);
    sw_plan pl, back;
    sw_error err = {0};
    assert_int_equal(sw_plan_run(&p, &t, &r, &pl, &err), SW_OK);
    char path[] = "/tmp/sw-plan-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(sw_plan_write_json(&pl, fp, &err), SW_OK);
    fclose(fp);
    assert_int_equal(sw_plan_read_file(path, &back, &err), SW_OK);
    unlink(path);
    const sw_price_option *b = &back.prices.opt[0];
    assert_string_equal(b->name, "own");
    assert_string_equal(b->note, "a note");
    assert_double_equal(b->units_per_node, 2, 0);
    assert_double_equal(b->speed, 1.5, 0);
    assert_double_equal(b->price_per_hour, 3, 0);
    assert_double_equal(b->purchase_price, 40000, 0);
    assert_double_equal(b->amortisation_years, 4, 0);
    assert_double_equal(b->power_w, 700, 0);
    assert_double_equal(b->energy_price, 0.25, 0);
    assert_double_equal(b->overhead, 0.35, 0);
    sw_plan_free(&back);
    sw_plan_free(&pl);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    sw_plan pl, back;
    plan_a(&pl, 0.2, 30, 1050, 47);
    char path[] = "/tmp/sw-plan-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    sw_error err = {0};
    assert_int_equal(sw_plan_write_json(&pl, fp, &err), SW_OK);
    fclose(fp);
    assert_int_equal(sw_plan_read_file(path, &back, &err), SW_OK);
    assert_int_equal(back.nrows, pl.nrows);
    for (size_t i = 0; i < pl.nrows; i++) {
        assert_double_equal(back.rows[i].time_s.hi, pl.rows[i].time_s.hi, 1e-6);
        assert_double_equal(back.rows[i].cost.median, pl.rows[i].cost.median, 1e-6);
    }
    assert_string_equal(back.deadline.sentence, pl.deadline.sentence);
    assert_string_equal(back.knee[0].sentence, pl.knee[0].sentence);
    assert_int_equal(back.budget.row, pl.budget.row);
    assert_true(isinf(back.n_opt_units.median));
    assert_double_equal(back.wall.median, 100, 1e-6);
    sw_plan_free(&back);
    /* an answer that was not found keeps the row it names: the deadline of
     * 5 h is missed by all, the fastest is 16 nodes (row 4), never row 0 */
    sw_plan_free(&pl);
    plan_a(&pl, 0.2, 5, NAN, 10);
    assert_false(pl.deadline.found);
    fp = fopen(path, "w");
    assert_int_equal(sw_plan_write_json(&pl, fp, &err), SW_OK);
    fclose(fp);
    assert_int_equal(sw_plan_read_file(path, &back, &err), SW_OK);
    assert_false(back.deadline.found);
    assert_int_equal(back.deadline.row, 4);
    sw_plan_free(&back);
    /* a row that is given must exist, found or not; an older plan without
     * one names none (nrows) */
    json_t *doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    json_t *dl = json_object_get(json_object_get(doc, "answers"), "deadline");
    json_object_set_new(dl, "row", json_integer(999));
    char *txt = json_dumps(doc, 0);
    assert_int_equal(sw_plan_read_buffer("p.json", txt, strlen(txt), &back, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "deadline: row index is not one of the 5 rows"));
    free(txt);
    json_object_del(dl, "row");
    txt = json_dumps(doc, 0);
    assert_int_equal(sw_plan_read_buffer("p.json", txt, strlen(txt), &back, &err), SW_OK);
    assert_int_equal(back.deadline.row, back.nrows);
    /* and writes no row, so it reads back the same (fuzz_plan's round trip) */
    sw_plan again;
    FILE *mf = fopen(path, "w");
    assert_int_equal(sw_plan_write_json(&back, mf, &err), SW_OK);
    fclose(mf);
    assert_int_equal(sw_plan_read_file(path, &again, &err), SW_OK);
    assert_int_equal(again.deadline.row, again.nrows);
    sw_plan_free(&again);
    sw_plan_free(&back);
    free(txt);
    json_decref(doc);
    /* a newer plan version is refused */
    fp = fopen(path, "w");
    fputs("{\"format\":\"scalewall-plan\",\"version\":9}", fp);
    fclose(fp);
    assert_int_equal(sw_plan_read_file(path, &back, &err), SW_EUNSUP);
    unlink(path);
    sw_plan_free(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_knee),
        cmocka_unit_test(test_knee_no_negative_zero),
        cmocka_unit_test(test_slowdown),
        cmocka_unit_test(test_purchase_speed_energy),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_work_and_duration),
        cmocka_unit_test(test_prices),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_option_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
