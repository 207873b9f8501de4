/* test_hostile_input.c — readers and writers given what a careless or
 * hostile file holds (issue 11, part B): plans whose rows do not match their
 * node list, observation files with many columns, series or repeated keys,
 * names JSON cannot hold, extras that would read back as other columns. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/obs.h"
#include "scalewall/plan.h"

static sw_status read_obs(const char *text, sw_obs_set *set, sw_error *err)
{
    return sw_obs_read_buffer("t.csv", text, strlen(text), set, err);
}

/* A plan of 2 options x 2 node counts, as sw_plan_write_json lays it out. */
static char *plan_text(const char *nodes, const char *rows, const char *knee_row)
{
    static const char fmt[] =
        "{\"format\":\"scalewall-plan\",\"version\":1,\"options\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
        "\"nodes\":%s,\"rows\":%s,\"answers\":{\"knee\":[{\"found\":true,\"row\":%s},{}],"
        "\"slowdown\":[{},{}]}}";
    size_t len = sizeof fmt + strlen(nodes) + strlen(rows) + strlen(knee_row);
    char *s = malloc(len);
    snprintf(s, len, fmt, nodes, rows, knee_row);
    return s;
}

#define ROW(o, n) "{\"option_index\":" #o ",\"nodes\":" #n ",\"time_s\":{\"median\":1}}"

static sw_status read_plan(const char *nodes, const char *rows, const char *knee, sw_error *err)
{
    char *text = plan_text(nodes, rows, knee);
    sw_plan pl;
    sw_status st = sw_plan_read_buffer("p.json", text, strlen(text), &pl, err);
    if (!st) {
        assert_int_equal(pl.nrows, pl.prices.n * pl.req.nnodes);
        sw_plan_free(&pl);
    }
    free(text);
    return st;
}

/* Issue 11 (high): the reader never checked that `nodes` matched the rows,
 * and the figure code read past its arrays. */
static void test_plan_layout(void **state)
{
    (void)state;
    sw_error err = {0};
    const char *good = "[" ROW(0, 1) "," ROW(0, 2) "," ROW(1, 1) "," ROW(1, 2) "]";
    assert_int_equal(read_plan("[1,2]", good, "1", &err), SW_OK);
    assert_int_equal(read_plan("[]", good, "1", &err), SW_EPARSE);
    assert_string_equal(err.msg, "p.json: 'nodes' must list the candidate node counts");
    assert_int_equal(read_plan("[1]", good, "0", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "2 option(s) x 1 node count(s) = 2, found 4"));
    assert_int_equal(read_plan("[2,1]", good, "1", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "ascending"));
    const char *swapped = "[" ROW(0, 1) "," ROW(1, 2) "," ROW(0, 1) "," ROW(1, 2) "]";
    assert_int_equal(read_plan("[1,2]", swapped, "1", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "rows[1]: option_index must be 0"));
    const char *badn = "[" ROW(0, 1) "," ROW(0, 3) "," ROW(1, 1) "," ROW(1, 2) "]";
    assert_int_equal(read_plan("[1,2]", badn, "1", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "rows[1]: nodes must be 2"));
    /* A found answer points at a row of its own option. */
    assert_int_equal(read_plan("[1,2]", good, "7", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "knee: row index is not one of the 4 rows"));
    assert_int_equal(read_plan("[1,2]", good, "2", &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "knee 0 is a row of another option"));
}

/* Issue 11: 40,000 columns took 27 s (quadratic); the values must still land
 * in the right extra and the right metadata key. */
static void test_wide_csv(void **state)
{
    (void)state;
    enum { COLS = 40000 };
    size_t cap = (size_t)COLS * 40 + 1024, len = 0; /* 4 lines of <= 10 bytes per column */
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "n,value");
    for (int i = 0; i < COLS; i++)
        len += (size_t)snprintf(t + len, cap - len, i % 2 ? ",m%d" : ",x%d", i);
    for (int n = 1; n <= 4; n *= 2) {
        len += (size_t)snprintf(t + len, cap - len, "\n%d,%g", n, 10.0 / n);
        for (int i = 0; i < COLS; i++)
            len += (size_t)snprintf(t + len, cap - len, i % 2 ? ",t%d" : ",%d", i * n);
    }
    t[len++] = '\n';
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("w.csv", t, len, &set, &err), SW_OK);
    free(t);
    assert_int_equal(set.n, 1);
    const sw_obs *o = set.series[0];
    assert_int_equal(o->nextra, COLS / 2);
    assert_int_equal(o->nmeta, COLS / 2);
    assert_int_equal(o->npts, 3);
    int k = sw_obs_find_extra(o, "x39998");
    assert_true(k == COLS / 2 - 1 && o->pts[2].extra[k] == 39998.0 * 4);
    assert_string_equal(sw_obs_get_meta(o, "m39999"), "t39999");
    sw_obs_set_free(&set);
}

/* Reps counted per N in file order when the file has none; a repeated
 * metadata key keeps its last non-empty value; many series stay apart. */
static void test_reps_meta_series(void **state)
{
    (void)state;
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(read_obs("n,value,rep,meta_a,a\n2,1,,x,\n1,1,,,y\n2,1,5,,\n2,1,,,\n1,1,,,\n",
                              &set, &err),
                     SW_OK);
    const sw_obs *o = set.series[0];
    int want[] = {0, 0, 5, 2, 1};
    for (int i = 0; i < 5; i++)
        assert_int_equal(o->pts[i].rep, want[i]);
    assert_int_equal(o->nmeta, 1);
    assert_string_equal(sw_obs_get_meta(o, "a"), "x"); /* the first row's, last non-empty */
    sw_obs_set_free(&set);
    char *t = malloc(20 * 4000 + 64);
    size_t len = (size_t)sprintf(t, "workload,n,value\n");
    for (int n = 1; n <= 2; n++)
        for (int w = 0; w < 2000; w++)
            len += (size_t)sprintf(t + len, "w%d,%d,%d\n", w, n, w);
    assert_int_equal(sw_obs_read_buffer("s.csv", t, len, &set, &err), SW_OK);
    assert_int_equal(set.n, 2000);
    assert_string_equal(set.series[1234]->workload, "w1234");
    assert_int_equal(set.series[1234]->npts, 2);
    assert_true(set.series[1234]->pts[1].value == 1234 && set.series[1234]->pts[1].n == 2);
    sw_obs_set_free(&set);
    free(t);
}

/* An extra JSON calls "n" would come back from CSV as a second 'n' column. */
static void test_reserved_extra(void **state)
{
    (void)state;
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(read_obs("{\"n\":1,\"value\":2,\"extra\":{\"n\":3}}\n", &set, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "extra 'n' has the name of a column"));
    assert_int_equal(read_obs("{\"n\":1,\"value\":2,\"extra\":{\"meta_x\":3}}\n", &set, &err),
                     SW_EPARSE);
    assert_int_equal(read_obs("{\"n\":1,\"value\":2,\"extra\":{\"ok_s\":3}}\n", &set, &err), SW_OK);
    sw_obs_set_free(&set);
}

static char *write_to_string(const sw_obs_set *set, int json, sw_status *st, sw_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    *st = json ? sw_obs_write_json(set, fp, err) : sw_obs_write_csv(set, fp, err);
    fclose(fp);
    return buf;
}

/* Issue 11: a name that is not UTF-8 vanished from JSON output; and a
 * metadata key with a comma broke the CSV header. */
static void test_writers(void **state)
{
    (void)state;
    sw_obs_set set, back;
    sw_error err = {0};
    sw_status st;
    assert_int_equal(read_obs("workload,n,value\nUniversit\xe4t,1,2\n", &set, &err), SW_OK);
    char *out = write_to_string(&set, 1, &st, &err);
    assert_int_equal(st, SW_EPARSE);
    assert_non_null(strstr(err.msg, "workload name 'Universit\\xe4t' is not valid UTF-8"));
    free(out);
    out = write_to_string(&set, 0, &st, &err); /* CSV keeps the bytes */
    assert_int_equal(st, SW_OK);
    assert_non_null(strstr(out, "Universit\xe4t,"));
    free(out);
    sw_obs_set_free(&set);
    assert_int_equal(read_obs("{\"n\":1,\"value\":2,\"meta\":{\"a,\\\"b\":\"v\"}}\n", &set, &err),
                     SW_OK);
    out = write_to_string(&set, 0, &st, &err);
    assert_int_equal(st, SW_OK);
    assert_int_equal(sw_obs_read_buffer("back.csv", out, strlen(out), &back, &err), SW_OK);
    assert_string_equal(sw_obs_get_meta(back.series[0], "a,\"b"), "v");
    free(out);
    sw_obs_set_free(&back);
    sw_obs_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_layout),      cmocka_unit_test(test_wide_csv),
        cmocka_unit_test(test_reps_meta_series), cmocka_unit_test(test_reserved_extra),
        cmocka_unit_test(test_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
