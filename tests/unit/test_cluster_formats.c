/* test_cluster_formats.c — what a measurement across nodes writes and what
 * reads it back: the per-point hosts column (CSV, JSON, JSON Lines, old
 * files without it), a two-level calibration by hand (levels.intra /
 * levels.inter, each link with its own gamma), and a platform file written
 * and read back to the same numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalewall/obs.h"
#include "scalewall/platform.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) <= 1e-12 * fabs(b) + 1e-300)

static sw_obs *placed_series(void)
{
    sw_obs *o = sw_obs_new("mlp", SW_QTY_TIME, "s");
    sw_obs_set_params(o, "depth=2;ranks_per_node=1", NULL);
    o->has_hosts = 1;
    int k = sw_obs_add_extra(o, "nodes");
    const char *hosts[3] = {"node1", "node1;node2", NULL};
    for (int i = 0; i < 3; i++) {
        sw_obs_point *p = sw_obs_add(o, i < 2 ? i + 1 : 4, 0, 1.0 / (i + 1));
        p->extra[k] = p->n;
        p->hosts = hosts[i] ? strdup(hosts[i]) : NULL; /* the third: unknown */
    }
    return o;
}

static char *write_with(sw_status (*w)(const sw_obs_set *, FILE *, sw_error *), sw_obs_set *set,
                        size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    assert_int_equal(w(set, fp, NULL), SW_OK);
    fclose(fp);
    return buf;
}

static void check_back(const char *name, const char *buf, size_t len)
{
    sw_obs_set back = {0};
    sw_error err = {0};
    assert_int_equal(sw_obs_read_buffer(name, buf, len, &back, &err), SW_OK);
    assert_int_equal(back.n, 1);
    const sw_obs *o = back.series[0];
    assert_true(o->has_hosts);
    assert_int_equal(o->npts, 3);
    assert_string_equal(o->pts[0].hosts, "node1");
    assert_string_equal(o->pts[1].hosts, "node1;node2");
    assert_null(o->pts[2].hosts);
    /* Not metadata: the first row's hosts did not become the series'. */
    assert_null(sw_obs_get_meta(o, "hosts"));
    sw_obs_set_free(&back);
}

static void test_hosts_round_trip(void **state)
{
    (void)state;
    sw_obs_set set = {0};
    sw_obs_set_push(&set, placed_series(), NULL);
    size_t len;
    char *csv = write_with(sw_obs_write_csv, &set, &len);
    /* The column comes after label, before the extras. */
    assert_non_null(strstr(csv, ",outlier,label,hosts,nodes"));
    assert_non_null(strstr(csv, ",\"node1;node2\",") ? strstr(csv, ",\"node1;node2\",")
                                                      : strstr(csv, ",node1;node2,"));
    check_back("p.csv", csv, len);
    free(csv);
    char *json = write_with(sw_obs_write_json, &set, &len);
    assert_non_null(strstr(json, "\"hosts\": \"node1;node2\""));
    check_back("p.json", json, len);
    free(json);
    /* JSON Lines: one point per line, as a sweep appends them. */
    char *jl = NULL;
    size_t jlen = 0;
    FILE *fp = open_memstream(&jl, &jlen);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sw_obs_write_jsonl_point(set.series[0], &set.series[0]->pts[i], fp, NULL),
                         SW_OK);
    fclose(fp);
    check_back("p.jsonl", jl, jlen);
    free(jl);
    sw_obs_set_free(&set);
}

/* A series without hosts writes no hosts column, and a file without one
 * (every file before this column) reads as before. */
static void test_no_hosts_column(void **state)
{
    (void)state;
    sw_obs_set set = {0};
    sw_obs *o = sw_obs_new("cg", SW_QTY_TIME, "s");
    sw_obs_add(o, 1, 0, 2.0);
    sw_obs_set_push(&set, o, NULL);
    size_t len;
    char *csv = write_with(sw_obs_write_csv, &set, &len);
    assert_null(strstr(csv, "hosts"));
    free(csv);
    sw_obs_set_free(&set);
    const char *old = "workload,params,n,value,label,meta_host\ncg,nx=8,1,2.5,,vm\n";
    sw_obs_set back = {0};
    assert_int_equal(sw_obs_read_buffer("old.csv", old, strlen(old), &back, NULL), SW_OK);
    assert_false(back.series[0]->has_hosts);
    assert_null(back.series[0]->pts[0].hosts);
    sw_obs_set_free(&back);
}

/* levels.intra and levels.inter each set their link by the rules of
 * --calibration, gamma included; ring at p = 2: 2a + nb + ng/2. */
static void test_levels_calibration(void **state)
{
    (void)state;
    const char *two =
        "{\"format\":\"scalewall-hockney\",\"version\":1,\"host\":\"node1\",\"levels\":{"
        "\"intra\":{\"ranks\":2,\"ops\":{\"pingpong\":{\"alpha_s\":1e-6,\"beta_s_per_byte\":1e-10},"
        "\"allreduce\":{\"alpha_s\":4e-6,\"beta_s_per_byte\":1.5e-10}}},"
        "\"inter\":{\"ranks\":2,\"ops\":{\"pingpong\":{\"alpha_s\":5e-5,\"beta_s_per_byte\":4e-8},"
        "\"allreduce\":{\"alpha_s\":2e-4,\"beta_s_per_byte\":7.4e-8}}}}}";
    sw_platform p;
    sw_error err = {0};
    assert_int_equal(sw_platform_builtin("local", &p, &err), SW_OK);
    p.units_per_node = 2;
    assert_int_equal(sw_platform_calibrate(&p, "h.json", two, strlen(two), SW_ALG_RING, &err),
                     SW_OK);
    NEAR(p.intra.alpha, 2e-6);
    NEAR(p.intra.beta, 1e-10);
    NEAR(p.intra.gamma, 1e-10);          /* (1.5e-10 - 1e-10) / (1/2) */
    NEAR(p.inter.alpha, 1e-4);
    NEAR(p.inter.beta, 4e-8);
    NEAR(p.inter.gamma, 6.8e-8);         /* (7.4e-8 - 4e-8) / (1/2): the inter allreduce's excess */
    assert_non_null(strstr(p.calibration, "intra pingpong+allreduce, inter pingpong+allreduce"));

    /* One rank per node: only inter; intra keeps the profile's link and says so. */
    const char *inter = "{\"format\":\"scalewall-hockney\",\"version\":1,\"levels\":{"
                        "\"inter\":{\"ranks\":2,\"ops\":{\"pingpong\":{\"alpha_s\":5e-5,"
                        "\"beta_s_per_byte\":4e-8}}}}}";
    assert_int_equal(sw_platform_builtin("local", &p, &err), SW_OK);
    sw_link local = p.intra;
    assert_int_equal(sw_platform_calibrate(&p, "h.json", inter, strlen(inter), SW_ALG_RING, &err),
                     SW_OK);
    NEAR(p.intra.beta, local.beta);
    NEAR(p.inter.beta, 4e-8);
    assert_non_null(strstr(p.calibration, "intra-node link not measured"));

    const char *empty = "{\"format\":\"scalewall-hockney\",\"version\":1,\"levels\":{}}";
    assert_int_equal(sw_platform_calibrate(&p, "e.json", empty, strlen(empty), SW_ALG_RING, &err),
                     SW_EPARSE);
    assert_non_null(strstr(err.msg, "neither intra nor inter"));
    const char *bad = "{\"format\":\"scalewall-hockney\",\"version\":1,\"levels\":{\"inter\":"
                      "{\"ranks\":2,\"ops\":{}}}}";
    assert_int_equal(sw_platform_calibrate(&p, "b.json", bad, strlen(bad), SW_ALG_RING, &err),
                     SW_EPARSE);
    assert_non_null(strstr(err.msg, "b.json: levels.inter: ops.pingpong is missing"));
}

/* Written and read back: the same numbers, each link's gamma kept. */
static void test_platform_write_read(void **state)
{
    (void)state;
    sw_platform p, q;
    sw_error err = {0};
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    p.inter.gamma = 7e-9;
    snprintf(p.calibration, sizeof p.calibration, "by hand");
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(sw_platform_write_json(&p, fp, &err), SW_OK);
    fclose(fp);
    assert_int_equal(sw_platform_read_json("w.json", buf, len, &q, &err), SW_OK);
    free(buf);
    NEAR(q.flops_fp32, p.flops_fp32);
    NEAR(q.flops_half, p.flops_half);
    NEAR(q.mem_bw, p.mem_bw);
    NEAR(q.units_per_node, p.units_per_node);
    NEAR(q.intra.alpha, p.intra.alpha);
    NEAR(q.intra.beta, p.intra.beta);
    NEAR(q.intra.gamma, p.intra.gamma);
    NEAR(q.inter.alpha, p.inter.alpha);
    NEAR(q.inter.beta, p.inter.beta);
    NEAR(q.inter.gamma, 7e-9);
    assert_string_equal(q.calibration, "by hand");
    assert_string_equal(q.name, "hdr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts_round_trip),
        cmocka_unit_test(test_no_hosts_column),
        cmocka_unit_test(test_levels_calibration),
        cmocka_unit_test(test_platform_write_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
