/* test_smpi.c — SimGrid platform XML, hostfiles, and the run-cost estimate
 * against the host times and memory measured in ../shared/docs/simgrid.md. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/smpi.h"

static char *render(const sw_smpi_platform *p, int hostfile)
{
    char *buf = NULL;
    size_t len;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(hostfile ? sw_smpi_write_hostfile(p, fp, NULL)
                              : sw_smpi_write_platform(p, fp, NULL),
                     SW_OK);
    fclose(fp);
    return buf;
}

static void test_flat_xml(void **state)
{
    (void)state;
    sw_smpi_platform p;
    /* alpha 2 us between hosts -> 1 us per link, as simgrid.md's example. */
    assert_int_equal(sw_smpi_platform_flat(&p, "t", 64, 2, 1e9, 2e-6, 1e10, NULL), SW_OK);
    char *xml = render(&p, 0);
    assert_non_null(strstr(xml, "<platform version=\"4.1\">"));
    assert_non_null(strstr(xml, "radical=\"0-63\""));
    assert_non_null(strstr(xml, "speed=\"1e+09f\""));
    assert_non_null(strstr(xml, "lat=\"1e-06s\""));
    assert_non_null(strstr(xml, "bw=\"1e+10Bps\""));
    assert_non_null(strstr(xml, "SPLITDUPLEX"));
    free(xml);
    char *hosts = render(&p, 1);
    int lines = 0;
    for (char *c = hosts; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 128);
    assert_non_null(strstr(hosts, "node-0\nnode-0\nnode-1\n"));
    free(hosts);
}

static void test_fattree_xml(void **state)
{
    (void)state;
    sw_smpi_platform p;
    assert_int_equal(sw_smpi_platform_flat(&p, "ft", 64, 1, 1e9, 2e-6, 1e10, NULL), SW_OK);
    p.topology = SW_SMPI_FATTREE;
    p.fattree_leaf = 8;
    p.fattree_up = 2; /* 4:1 oversubscribed, as simgrid.md's 2;8,8;1,2;1,1 */
    char *xml = render(&p, 0);
    assert_non_null(strstr(xml, "topo_parameters=\"2;8,8;1,2;1,1\""));
    assert_non_null(strstr(xml, "lat=\"5e-07s\""));
    free(xml);
    p.fattree_leaf = 7;
    sw_error err = {0};
    FILE *fp = fopen("/dev/null", "w");
    assert_int_equal(sw_smpi_write_platform(&p, fp, &err), SW_EINVAL);
    fclose(fp);
    assert_non_null(strstr(err.msg, "do not split"));
}

static void test_bad_platform(void **state)
{
    (void)state;
    sw_smpi_platform p;
    sw_error err = {0};
    assert_int_equal(sw_smpi_platform_flat(&p, "x", 0, 1, 1e9, 1e-6, 1e9, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_flat(&p, "x", 4, 1, 0, 1e-6, 1e9, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_flat(&p, "x", 4, 1, 1e9, -1, 1e9, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_flat(&p, "x", 4, 1, 1e9, 1e-6, 0, &err), SW_EINVAL);
    sw_smpi_alg a;
    assert_int_equal(sw_smpi_alg_parse("ring", &a, NULL), SW_OK);
    assert_string_equal(sw_smpi_alg_name(a), "lr");
    assert_int_equal(sw_smpi_alg_parse("magic", &a, &err), SW_EINVAL);
}

/* Within a factor of two of a measured range is what the estimate promises. */
static void within2(double est, double lo, double hi)
{
    if (!(est >= lo / 2 && est <= hi * 2)) {
        fprintf(stderr, "estimate %g outside [%g/2, %g*2]\n", est, lo, hi);
        fail();
    }
}

static void test_estimate_vs_measured(void **state)
{
    (void)state;
    sw_smpi_estimate e;
    /* simgrid.md 2a: 22 allreduces. */
    assert_int_equal(sw_smpi_estimate_run(1024, 8, SW_SMPI_RDB, 22, 0, 0, 0, &e, NULL), SW_OK);
    within2(e.host_seconds, 2.8, 7.2);
    within2(e.host_bytes, 90e6, 90e6);
    assert_int_equal(sw_smpi_estimate_run(4096, 8, SW_SMPI_RDB, 22, 0, 0, 0, &e, NULL), SW_OK);
    within2(e.host_seconds, 32, 42);
    within2(e.host_bytes, 257e6, 257e6);
    assert_int_equal(sw_smpi_estimate_run(1024, 1 << 20, SW_SMPI_RAB_RDB, 22, 0, 0, 0, &e, NULL), SW_OK);
    within2(e.host_seconds, 9.7, 22);
    within2(e.host_bytes, 2.4e9, 2.4e9);
    assert_int_equal(sw_smpi_estimate_run(4096, 1 << 20, SW_SMPI_RAB_RDB, 22, 0, 0, 0, &e, NULL), SW_OK);
    within2(e.host_seconds, 100, 154);
    within2(e.host_bytes, 11.6e9, 11.6e9);
    /* Ring, 64 KiB, 6 allreduces at 1024: 150-247 s. */
    assert_int_equal(sw_smpi_estimate_run(1024, 65536, SW_SMPI_RING, 6, 0, 0, 0, &e, NULL), SW_OK);
    within2(e.host_seconds, 150, 247);
    /* Messages are counted exactly: rdb p lg p per collective. */
    assert_int_equal(sw_smpi_estimate_run(16, 8, SW_SMPI_RDB, 1, 0, 0, 0, &e, NULL), SW_OK);
    assert_true(e.messages == 64);
}

static void near(const char *what, int p, double measured, double est, double tol)
{
    double r = measured / est;
    if (!(r > 1 / tol && r < tol)) {
        fprintf(stderr, "%s at %d ranks: measured/estimate %.3f, outside 1/%g..%g\n", what, p, r,
                tol, tol);
        fail();
    }
}

/* Workloads under SMPI, one repetition and no warm-up, so the harness adds
 * 2 + 10 small collectives (docs/virtual.md).  Measured at load ~1-2 on this
 * kind of machine: host seconds and peak RSS of the whole `measure
 * --platform` process. */
#define HARNESS 12

/* mlp (allreduces in place on shared buffers): 3 layers of W x W, global
 * batch B, steps x 3 + 1 allreduces of one layer's gradient (4 W^2 bytes). */
static void test_estimate_in_place(void **state)
{
    (void)state;
    static const struct {
        int p, w, steps;
        double secs, bytes;
    } m[] = {{256, 256, 1, 2.47, 586e6},    {256, 256, 4, 3.67, 586e6},
             {1024, 256, 1, 13.99, 2.229e9}, {1024, 256, 4, 27.42, 2.232e9},
             {256, 128, 1, 1.12, 187e6},    {256, 128, 4, 2.01, 187e6},
             {256, 512, 1, 7.34, 2.036e9},  {256, 512, 4, 19.65, 2.036e9},
             {4096, 64, 2, 118.4, 0.907e9}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        sw_smpi_estimate e, sep;
        double b = 4.0 * m[i].w * m[i].w, coll = 3.0 * m[i].steps + 1;
        /* The workload's own memory a rank (mlp_bytes): weights and
         * gradients 2 x 3 W^2, activations and buffers 7 x local batch x W. */
        double lb = m[i].p == 4096 ? 1 : 1024.0 / m[i].p, app = 4 * (6.0 * b / 4 + 7 * lb * m[i].w);
        assert_int_equal(sw_smpi_estimate_run(m[i].p, b, SW_SMPI_RAB_RDB, coll, HARNESS, 1, app, &e,
                                              NULL),
                         SW_OK);
        assert_int_equal(sw_smpi_estimate_run(m[i].p, b, SW_SMPI_RAB_RDB, coll, HARNESS, 0, app,
                                              &sep, NULL),
                         SW_OK);
        near("mlp time", m[i].p, m[i].secs, e.host_seconds, m[i].p < 4096 ? 1.5 : 1.6);
        near("mlp memory", m[i].p, m[i].bytes, e.host_bytes, 1.1);
        /* The same counts with separate buffers would be optimistic in time. */
        assert_true(sep.host_seconds < e.host_seconds);
    }
}

/* The memory formula by hand: 35 MB + p x (context + temporaries x message +
 * the program's memory), 64 ranks, 1 MiB messages, 1 MB of program. */
static void test_host_bytes(void **state)
{
    (void)state;
    double m = 1048576;
    assert_true(sw_smpi_host_bytes(64, m, SW_SMPI_RAB_RDB, 1, 1e6) == 206063296.0);
    assert_true(sw_smpi_host_bytes(64, m, SW_SMPI_RDB, 1, 1e6) == 239617728.0);
    assert_true(sw_smpi_host_bytes(64, m, SW_SMPI_RING, 1, 1e6) == 174606016.0);
    assert_true(sw_smpi_host_bytes(64, m, SW_SMPI_RAB_RDB, 0, 1e6) == 270292160.0);
    sw_smpi_estimate e;
    assert_int_equal(sw_smpi_estimate_run(64, m, SW_SMPI_RDB, 1, 0, 1, 1e6, &e, NULL), SW_OK);
    assert_true(e.host_bytes == 239617728.0);
}

/* cg: 2 iters + 1 allreduces of 8 B (separate buffers), 16 x 16 x 1024 at
 * 256/1024 ranks, 8 x 8 x 4096 at 4096. */
static void test_estimate_cg(void **state)
{
    (void)state;
    static const struct {
        int p, iters;
        sw_smpi_alg alg;
        double secs;
    } m[] = {{256, 10, SW_SMPI_RAB_RDB, 1.36},   {256, 40, SW_SMPI_RAB_RDB, 3.14},
             {1024, 10, SW_SMPI_RAB_RDB, 15.78}, {1024, 40, SW_SMPI_RAB_RDB, 41.21},
             {4096, 5, SW_SMPI_RAB_RDB, 154.2},  {4096, 5, SW_SMPI_RDB, 57.9}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        sw_smpi_estimate e;
        assert_int_equal(sw_smpi_estimate_run(m[i].p, 8, m[i].alg, 2.0 * m[i].iters + 1, HARNESS,
                                              0, 0, &e, NULL),
                         SW_OK);
        near("cg time", m[i].p, m[i].secs, e.host_seconds, 1.8);
    }
}

static void test_budget(void **state)
{
    (void)state;
    sw_smpi_estimate e;
    sw_error err = {0};
    /* 16 MiB at 4096 ranks does not fit in 24 GB (simgrid.md). */
    assert_int_equal(sw_smpi_estimate_run(4096, 16 << 20, SW_SMPI_RAB_RDB, 1, 0, 0, 0, &e, NULL), SW_OK);
    assert_int_equal(sw_smpi_check_budget(&e, 4096, 20e9, 3600, &err), SW_ENOMEM);
    assert_non_null(strstr(err.msg, "GB of host memory"));
    /* A ring at 4096 ranks: refused on time. */
    assert_int_equal(sw_smpi_estimate_run(4096, 65536, SW_SMPI_RING, 1, 0, 0, 0, &e, NULL), SW_OK);
    assert_int_equal(sw_smpi_check_budget(&e, 4096, 20e9, 600, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "s of host time"));
    assert_int_equal(sw_smpi_estimate_run(64, 8, SW_SMPI_RDB, 100, 0, 0, 0, &e, NULL), SW_OK);
    assert_int_equal(sw_smpi_check_budget(&e, 64, 20e9, 600, &err), SW_OK);
    assert_int_equal(sw_smpi_estimate_run(0, 8, SW_SMPI_RDB, 1, 0, 0, 0, &e, &err), SW_EINVAL);
}

/* A sweep is refused on its total host time, but the rank count quoted is
 * the one whose own time is quoted: 64 ranks 3.5 s, 1024 ranks 5290 s,
 * budget 10 s -> "a 1024-rank simulation would take about 5290 s", with
 * the sweep's 5293.5 s said as the sweep's.  And two runs each under the
 * budget that together are over it name the slower one with its own time. */
static void test_budget_sweep(void **state)
{
    (void)state;
    sw_error err = {0};
    sw_smpi_estimate runs[] = {{1e5, 3.5, 1e8}, {2e8, 5290, 2e8}}, tot;
    int ranks[] = {64, 1024};
    assert_int_equal(sw_smpi_check_sweep(runs, ranks, 2, 20e9, 10, &tot, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "a 1024-rank simulation would take about 5290 s"));
    assert_non_null(strstr(err.msg, "together about 5294 s"));
    assert_null(strstr(err.msg, "1024-rank simulation would take about 5294"));
    assert_true(fabs(tot.host_seconds - 5293.5) < 1e-9);
    assert_true(tot.host_bytes == 2e8);
    sw_smpi_estimate two[] = {{1, 6, 1e8}, {1, 7, 1e8}};
    assert_int_equal(sw_smpi_check_sweep(two, ranks, 2, 20e9, 10, NULL, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "a 1024-rank simulation would take about 7.0 s"));
    assert_non_null(strstr(err.msg, "together about 13 s"));
    /* memory: the largest run decides, named with its own need */
    assert_int_equal(sw_smpi_check_sweep(runs, ranks, 2, 1.5e8, 1e9, NULL, &err), SW_ENOMEM);
    assert_non_null(strstr(err.msg, "a 1024-rank simulation needs about 0.2 GB"));
    assert_int_equal(sw_smpi_check_sweep(runs, ranks, 2, 1e9, 1e4, NULL, &err), SW_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_xml),          cmocka_unit_test(test_fattree_xml),
        cmocka_unit_test(test_bad_platform),      cmocka_unit_test(test_estimate_vs_measured),
        cmocka_unit_test(test_estimate_in_place),
        cmocka_unit_test(test_host_bytes),
        cmocka_unit_test(test_estimate_cg),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_budget_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
