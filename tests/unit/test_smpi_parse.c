/* test_smpi_parse.c — the `measure --platform` specs: SI quantities, flat
 * and fat-tree profiles, and a simulate profile turned into a SimGrid
 * platform (smpi.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/platform.h"
#include "scalewall/smpi.h"

static double q(const char *s, const char *unit)
{
    double v = NAN;
    assert_int_equal(sw_smpi_parse_quantity(s, unit, &v, NULL), SW_OK);
    return v;
}

static void test_quantities(void **state)
{
    (void)state;
    assert_true(q("1us", "s") == 1e-6);
    assert_true(q("2.5ms", "s") == 2.5e-3);
    assert_true(q("3e-6", "s") == 3e-6);
    assert_true(q("10GBps", "Bps") == 1e10);
    assert_true(q("100Gbps", "Bps") == 100e9 / 8);
    assert_true(q("1Gf", "f") == 1e9);
    assert_true(q("1.5Tf", "f") == 1.5e12);
    double v;
    sw_error err = {0};
    assert_int_equal(sw_smpi_parse_quantity("1uf", "f", &v, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_parse_quantity("fast", "f", &v, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_parse_quantity("1GBps", "s", &v, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "1GBps"));
}

static void test_flat_spec(void **state)
{
    (void)state;
    sw_smpi_platform p;
    assert_int_equal(sw_smpi_platform_parse("flat:lat=1us,bw=5GBps,speed=2Gf", 64, &p, NULL),
                     SW_OK);
    assert_int_equal(p.hosts, 64);
    assert_int_equal(p.ranks_per_host, 1);
    assert_true(p.alpha == 1e-6 && p.bandwidth == 5e9 && p.host_speed == 2e9);
    assert_int_equal(p.topology, SW_SMPI_FLAT);
    /* Defaults; no speed means "measure it". */
    assert_int_equal(sw_smpi_platform_parse("flat", 16, &p, NULL), SW_OK);
    assert_true(p.alpha == 2e-6 && p.bandwidth == 1e10 && p.host_speed == 0);
    assert_int_equal(sw_smpi_platform_parse("flat:hosts=4", 16, &p, NULL), SW_OK);
    assert_int_equal(p.hosts, 4);
    sw_error err = {0};
    assert_int_equal(sw_smpi_platform_parse("flat:color=red", 4, &p, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "color"));
    assert_int_equal(sw_smpi_platform_parse("flat:lat", 4, &p, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_parse("flat:leaf=4", 4, &p, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_parse("torus", 4, &p, &err), SW_EINVAL);
    assert_int_equal(sw_smpi_platform_parse("flat:hosts=0", 4, &p, &err), SW_EINVAL);
}

static void test_fattree_spec(void **state)
{
    (void)state;
    sw_smpi_platform p;
    /* 60 ranks round up to 8 leaves of 8; up defaults to full bisection. */
    assert_int_equal(sw_smpi_platform_parse("fattree:leaf=8,lat=4us", 60, &p, NULL), SW_OK);
    assert_int_equal(p.topology, SW_SMPI_FATTREE);
    assert_int_equal(p.hosts, 64);
    assert_int_equal(p.fattree_leaf, 8);
    assert_int_equal(p.fattree_up, 8);
    assert_true(p.alpha == 4e-6);
    char *buf = NULL;
    size_t len;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(sw_smpi_write_platform(&p, fp, NULL), SW_OK);
    fclose(fp);
    /* alpha/4 per link: 4 links between leaves. */
    assert_non_null(strstr(buf, "lat=\"1e-06s\""));
    assert_non_null(strstr(buf, "topo_parameters=\"2;8,8;1,8;1,1\""));
    free(buf);
    assert_int_equal(sw_smpi_platform_parse("fattree:leaf=8,up=2", 64, &p, NULL), SW_OK);
    assert_int_equal(p.fattree_up, 2);
}

static void test_from_profile(void **state)
{
    (void)state;
    sw_platform pl;
    sw_smpi_platform p;
    assert_int_equal(sw_platform_builtin("hdr", &pl, NULL), SW_OK);
    /* 64 GPUs span 8 nodes: every pair on the inter-node link. */
    assert_int_equal(sw_smpi_platform_from_profile(&pl, 64, 0, &p, NULL), SW_OK);
    assert_int_equal(p.hosts, 64);
    assert_true(p.alpha == pl.inter.alpha);
    assert_true(fabs(p.bandwidth - 1 / pl.inter.beta) <= 1e-9 * p.bandwidth);
    assert_true(p.host_speed == pl.flops_fp32);
    /* 8 GPUs fit one node: the intra link; an explicit speed wins. */
    assert_int_equal(sw_smpi_platform_from_profile(&pl, 8, 3e9, &p, NULL), SW_OK);
    assert_true(p.alpha == pl.intra.alpha);
    assert_true(p.host_speed == 3e9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantities),
        cmocka_unit_test(test_flat_spec),
        cmocka_unit_test(test_fattree_spec),
        cmocka_unit_test(test_from_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
