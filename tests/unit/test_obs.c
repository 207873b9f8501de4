/* test_obs.c — the observation series: CSV/JSON/JSONL round trips, grouping,
 * summaries, and the errors a bad file must give. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scalewall/obs.h"

static sw_obs *sample(void)
{
    sw_obs *o = sw_obs_new("cg", SW_QTY_TIME, NULL);
    assert_non_null(o);
    assert_int_equal(sw_obs_set_params(o, "nx=32;iters=50", NULL), SW_OK);
    assert_int_equal(sw_obs_set_meta(o, "host", "node-1, rack \"A\"", NULL), SW_OK);
    assert_int_equal(sw_obs_set_meta(o, "mpi", "Open MPI 4.1.4", NULL), SW_OK);
    int k = sw_obs_add_extra(o, "comm_s");
    assert_int_equal(k, 0);
    const double ns[] = {1, 1, 2, 2, 4};
    const double ts[] = {1.0, 1.02, 0.55, 0.5123456789012345, 0.3};
    for (int i = 0; i < 5; i++) {
        sw_obs_point *p = sw_obs_add(o, ns[i], i % 2, ts[i]);
        assert_non_null(p);
        p->extra[0] = 0.01 * i;
    }
    o->pts[4].ok = 0;
    o->pts[4].label = strdup("exit 1");
    return o;
}

static void assert_same(const sw_obs *a, const sw_obs *b)
{
    assert_string_equal(a->workload, b->workload);
    assert_string_equal(a->params, b->params);
    assert_int_equal(a->quantity, b->quantity);
    assert_string_equal(a->unit, b->unit);
    assert_int_equal(a->npts, b->npts);
    assert_string_equal(sw_obs_get_meta(b, "host"), sw_obs_get_meta(a, "host"));
    assert_int_equal(b->nextra, a->nextra);
    for (size_t i = 0; i < a->npts; i++) {
        assert_true(a->pts[i].n == b->pts[i].n);
        assert_int_equal(a->pts[i].rep, b->pts[i].rep);
        assert_true(a->pts[i].value == b->pts[i].value); /* exact round trip */
        assert_int_equal(a->pts[i].ok, b->pts[i].ok);
        assert_true(a->pts[i].extra[0] == b->pts[i].extra[0]);
    }
    assert_string_equal(b->pts[4].label, "exit 1");
}

static char *write_to_string(sw_status (*fn)(const sw_obs_set *, FILE *, sw_error *),
                             const sw_obs_set *set, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    assert_int_equal(fn(set, fp, NULL), SW_OK);
    fclose(fp);
    return buf;
}

static void roundtrip(sw_status (*fn)(const sw_obs_set *, FILE *, sw_error *))
{
    sw_obs_set set = {0};
    assert_int_equal(sw_obs_set_push(&set, sample(), NULL), SW_OK);
    size_t len;
    char *buf = write_to_string(fn, &set, &len);
    sw_obs_set back;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("x", buf, len, &back, &err), SW_OK);
    assert_int_equal(back.n, 1);
    assert_same(set.series[0], back.series[0]);
    sw_obs_set_free(&back);
    sw_obs_set_free(&set);
    free(buf);
}

static void test_csv_roundtrip(void **state)
{
    (void)state;
    roundtrip(sw_obs_write_csv);
}

static void test_json_roundtrip(void **state)
{
    (void)state;
    roundtrip(sw_obs_write_json);
}

static void test_jsonl_roundtrip_and_truncation(void **state)
{
    (void)state;
    sw_obs *o = sample();
    char *buf = NULL;
    size_t len;
    FILE *fp = open_memstream(&buf, &len);
    for (size_t i = 0; i < o->npts; i++)
        assert_int_equal(sw_obs_write_jsonl_point(o, &o->pts[i], fp, NULL), SW_OK);
    fclose(fp);
    sw_obs_set back;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("r.jsonl", buf, len, &back, &err), SW_OK);
    assert_same(o, back.series[0]);
    sw_obs_set_free(&back);
    /* Cut the last line in half, as a kill during a write would. */
    char path[] = "/tmp/swobsXXXXXX";
    int fd = mkstemp(path);
    size_t cut = len - 20;
    assert_int_equal(write(fd, buf, cut), (ssize_t)cut);
    close(fd);
    assert_int_equal(sw_obs_read_file(path, &back, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, ":5: invalid JSON"));
    int dropped = 0;
    assert_int_equal(sw_obs_read_tolerant(path, &back, &dropped, &err), SW_OK);
    assert_int_equal(dropped, 1);
    assert_int_equal(back.series[0]->npts, 4);
    sw_obs_set_free(&back);
    unlink(path);
    free(buf);
    sw_obs_free(o);
}

static void test_grouping_and_minimal_csv(void **state)
{
    (void)state;
    /* A user's own minimal file: only n and value (time by default), two
     * workloads; rep counted per N when absent; an unknown numeric column is
     * an extra, a text column is metadata. */
    const char *in = "workload,n,value,note,bytes\n"
                     "a,1,10,x,100\n"
                     "a,1,11,x,100\n"
                     "b,2,6,y,\n"
                     "a,2,5.5,x,200\n";
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("u.csv", in, strlen(in), &set, &err), SW_OK);
    assert_int_equal(set.n, 2);
    sw_obs *a = set.series[0];
    assert_string_equal(a->workload, "a");
    assert_int_equal(a->npts, 3);
    assert_int_equal(a->pts[1].rep, 1);
    assert_int_equal(a->pts[2].rep, 0);
    assert_string_equal(a->unit, "s");
    assert_string_equal(sw_obs_get_meta(a, "note"), "x");
    int k = sw_obs_find_extra(a, "bytes");
    assert_true(k >= 0 && a->pts[2].extra[k] == 200);
    assert_true(isnan(set.series[1]->pts[0].extra[sw_obs_find_extra(set.series[1], "bytes")]));
    sw_obs_summary *sum;
    size_t ns;
    assert_int_equal(sw_obs_summarize(a, &sum, &ns, &err), SW_OK);
    assert_int_equal(ns, 2);
    assert_true(sum[0].n == 1 && sum[0].median == 10.5 && sum[0].count == 2);
    assert_true(sum[0].lo == 10 && sum[0].hi == 11);
    assert_true(sum[1].n == 2 && sum[1].median == 5.5);
    free(sum);
    sw_obs_set_free(&set);
}

static void expect_error(const char *in, sw_status st, const char *msg)
{
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("results.csv", in, strlen(in), &set, &err), st);
    if (!strstr(err.msg, msg)) {
        fprintf(stderr, "got '%s', want '%s'\n", err.msg, msg);
        fail();
    }
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", SW_EPARSE, "results.csv: empty file");
    expect_error("n,value\n", SW_EPARSE, "no data rows");
    expect_error("n,time\n1,2\n", SW_EPARSE, "results.csv:1: missing column 'value'");
    expect_error("n,value\n1,2\n2,abc\n", SW_EPARSE,
                 "results.csv:3: column 'value' is not a number: 'abc'");
    expect_error("n,value\n1,2\nx,1\n", SW_EPARSE, "results.csv:3: column 'n' is not a number");
    expect_error("n,value\n0,2\n", SW_EPARSE, "results.csv:2: column 'n' = 0 is below 1");
    expect_error("n,value\n1,2,3\n", SW_EPARSE, "results.csv:2: expected 2 fields, found 3");
    expect_error("n,value,quantity\n1,2,speed\n", SW_EPARSE, "'quantity' must be time or rate");
    expect_error("n,value\n1,\n", SW_EPARSE, "column 'value' is empty");
    expect_error("n,value,n\n1,2,3\n", SW_EPARSE, "column 'n' appears twice");
    expect_error("{\"format\":\"scalewall-obs\",\"version\":99,\"series\":[]}", SW_EUNSUP,
                 "format version 99 is newer");
    expect_error("{\"format\":\"other\",\"series\":[]}", SW_EPARSE, "not a scalewall observation");
    expect_error("{\n \"format\": \"scalewall-obs\",\n \"version\": 1,\n \"series\": [\n", SW_EPARSE,
                 "invalid JSON");
    expect_error("{\"n\":1,\"value\":\"fast\"}\n", SW_EPARSE, "results.csv:1: 'value' is not a number");
    const char bin[] = "n,value\n1,\0\x01\x02";
    sw_obs_set set;
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer("rnd.bin", bin, sizeof bin, &set, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "binary data"));
    /* A failed point may have no value. */
    assert_int_equal(sw_obs_read_buffer("ok.csv", "n,value,ok\n1,,0\n2,1,1\n", 22, &set, &err),
                     SW_OK);
    sw_obs_set_free(&set);
}

static void test_summary_skips_failed(void **state)
{
    (void)state;
    sw_obs *o = sample();
    sw_obs_summary *sum;
    size_t n;
    assert_int_equal(sw_obs_summarize(o, &sum, &n, NULL), SW_OK);
    assert_int_equal(n, 2); /* N = 4 only has a failed point */
    free(sum);
    for (size_t i = 0; i < o->npts; i++)
        o->pts[i].ok = 0;
    sw_error err = {0};
    assert_int_equal(sw_obs_summarize(o, &sum, &n, &err), SW_EINVAL);
    sw_obs_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_roundtrip),
        cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_jsonl_roundtrip_and_truncation),
        cmocka_unit_test(test_grouping_and_minimal_csv),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_summary_skips_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
