/* test_simulate_inputs.c — the simulator's inputs and outputs: network
 * families against their shape formulas, network and platform JSON (with
 * jansson's line:column), calibration from a scalewall-hockney file, the
 * depth grid, and the observation series that `fit` reads back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/depth.h"
#include "scalewall/obs.h"
#include "scalewall/simulate.h"

/* A layer of the original four numbers; the others 0. */
#define LAYER(n, f, b, p, a)                                                                     \
    {.name = n, .fwd_flops = f, .bwd_flops = b, .param_bytes = p, .act_bytes = a}
#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))

static void test_families(void **state)
{
    (void)state;
    sw_net n;
    sw_error err = {0};
    /* MLP width 1024: fwd 2w^2, bwd 4w^2, (w^2 + w) params of 4 bytes. */
    assert_int_equal(sw_net_mlp(&n, 3, 1024, 4, &err), SW_OK);
    assert_int_equal(n.nlayers, 3);
    NEAR(n.layers[2].fwd_flops, 2.0 * 1024 * 1024);
    NEAR(n.layers[2].bwd_flops, 4.0 * 1024 * 1024);
    NEAR(n.layers[0].param_bytes, (1024.0 * 1024 + 1024) * 4);
    NEAR(n.layers[0].act_bytes, 1024.0 * 4);
    sw_net_free(&n);
    /* Transformer h = 768, s = 512: fwd 24 s h^2 + 4 s^2 h, params 12h^2 + 13h. */
    assert_int_equal(sw_net_transformer(&n, 12, 768, 512, 12, 2, &err), SW_OK);
    NEAR(n.layers[0].fwd_flops, 24.0 * 512 * 768 * 768 + 4.0 * 512 * 512 * 768);
    NEAR(n.layers[0].param_bytes, (12.0 * 768 * 768 + 13 * 768) * 2);
    NEAR(n.layers[0].act_bytes, 512.0 * 768 * 2);
    sw_net_free(&n);
    assert_int_equal(sw_net_transformer(&n, 12, 768, 512, 7, 2, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "heads 7 do not divide hidden 768"));
    /* ResNet-50: torchvision counts 25,557,032 parameters; ~4.09 GMAC forward. */
    assert_int_equal(sw_net_resnet50(&n, 4, &err), SW_OK);
    double p = 0, f = 0;
    for (size_t i = 0; i < n.nlayers; i++) {
        p += n.layers[i].param_bytes / 4;
        f += n.layers[i].fwd_flops / 2;
    }
    NEAR(p, 25557032);
    assert_true(fabs(f - 4.09e9) < 0.02 * 4.09e9);
    sw_net_free(&n);
    /* Specs. */
    assert_int_equal(sw_net_from_spec(&n, "mlp:depth=4,width=64", 4, &err), SW_OK);
    assert_int_equal(n.nlayers, 4);
    assert_string_equal(n.params, "family=mlp;depth=4;width=64");
    sw_net_free(&n);
    /* A spec is an option value: out of range is a usage error (issue 11). */
    assert_int_equal(sw_net_from_spec(&n, "mlp:depth=0", 4, &err), SW_EINVAL);
    assert_int_equal(sw_net_from_spec(&n, "mlp:colour=3", 4, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown parameter 'colour'"));
    assert_int_equal(sw_net_from_spec(&n, "vgg", 4, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown network 'vgg'"));
}

static void test_net_json(void **state)
{
    (void)state;
    sw_net n;
    sw_error err = {0};
    const char *ok = "{\"name\": \"tiny\", \"layers\": [\n"
                     " {\"name\": \"a\", \"fwd_flops\": 100, \"params\": 10, \"activations\": 3},\n"
                     " {\"fwd_flops\": 50, \"bwd_flops\": 70, \"param_bytes\": 8}]}";
    assert_int_equal(sw_net_read_json(&n, "t.json", ok, strlen(ok), 2, &err), SW_OK);
    assert_int_equal(n.nlayers, 2);
    NEAR(n.layers[0].bwd_flops, 200); /* 2 x fwd when absent */
    NEAR(n.layers[0].param_bytes, 20); /* 10 elements x 2 bytes */
    NEAR(n.layers[0].act_bytes, 6);
    NEAR(n.layers[1].bwd_flops, 70);
    NEAR(n.layers[1].param_bytes, 8);
    assert_string_equal(n.layers[1].name, "layer2");
    sw_net_free(&n);
    const char *broken = "{\"layers\": [\n  {\"fwd_flops\": 1,}\n]}";
    assert_int_equal(sw_net_read_json(&n, "b.json", broken, strlen(broken), 4, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "b.json:2:"));
    const char *neg = "{\"layers\": [{\"fwd_flops\": -5}]}";
    assert_int_equal(sw_net_read_json(&n, "n.json", neg, strlen(neg), 4, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "n.json: layer 1 (layer1): fwd_flops -5"));
    const char *both = "{\"layers\": [{\"fwd_flops\": 5, \"params\": 1, \"param_bytes\": 4}]}";
    assert_int_equal(sw_net_read_json(&n, "x.json", both, strlen(both), 4, &err), SW_EPARSE);
    const char *empty = "{\"layers\": []}";
    assert_int_equal(sw_net_read_json(&n, "e.json", empty, strlen(empty), 4, &err), SW_EPARSE);
}

static void test_platforms(void **state)
{
    (void)state;
    sw_platform p;
    sw_error err = {0};
    for (size_t i = 0; sw_platform_names[i]; i++) {
        assert_int_equal(sw_platform_builtin(sw_platform_names[i], &p, &err), SW_OK);
        assert_int_equal(sw_platform_validate(&p, &err), SW_OK);
    }
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    NEAR(p.inter.beta, 1 / (0.9 * 25e9)); /* 200 Gb/s per unit at 90% */
    NEAR(p.intra.gamma, 3 / 1.6e12);
    NEAR(sw_platform_flops(&p, 2), 156e12);
    NEAR(sw_platform_flops(&p, 4), 9.75e12);
    assert_int_equal(sw_platform_builtin("quantum", &p, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown platform 'quantum'"));
    const char *js = "{\"format\":\"scalewall-platform\",\"version\":1,\"name\":\"mine\","
                     "\"units_per_node\":4,\"flops_fp32\":1e12,\"mem_bw\":1e11,"
                     "\"intra\":{\"alpha_s\":1e-6,\"beta_s_per_byte\":1e-10},"
                     "\"inter\":{\"alpha_s\":2e-6,\"bandwidth_bytes_per_s\":1e10}}";
    assert_int_equal(sw_platform_read_json("p.json", js, strlen(js), &p, &err), SW_OK);
    NEAR(p.inter.beta, 1e-10);
    NEAR(p.flops_half, 1e12);
    NEAR(p.inter.gamma, 3e-11);
    const char *zero = "{\"format\":\"scalewall-platform\",\"version\":1,"
                       "\"units_per_node\":4,\"flops_fp32\":1e12,\"mem_bw\":1e11,"
                       "\"intra\":{\"alpha_s\":1e-6,\"beta_s_per_byte\":1e-10},"
                       "\"inter\":{\"alpha_s\":2e-6,\"bandwidth_bytes_per_s\":0}}";
    assert_int_equal(sw_platform_read_json("z.json", zero, strlen(zero), &p, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "bandwidth 0 must be > 0"));
    const char *newer = "{\"format\":\"scalewall-platform\",\"version\":2}";
    assert_int_equal(sw_platform_read_json("v.json", newer, strlen(newer), &p, &err), SW_EUNSUP);
    assert_int_equal(sw_platform_read_json("j.json", "{\n\"a\"", 5, &p, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "j.json:2:"));
}

static void test_calibration(void **state)
{
    (void)state;
    sw_platform p;
    sw_error err = {0};
    const char *full = "{\"format\":\"scalewall-hockney\",\"version\":1,\"host\":\"h\",\"ranks\":2,"
                       "\"ops\":{\"pingpong\":{\"alpha_s\":1.2e-6,\"beta_s_per_byte\":1e-10,"
                       "\"r2\":0.99},\"allreduce\":{\"alpha_s\":3e-6,\"beta_s_per_byte\":2e-10},"
                       "\"barrier\":{\"alpha_s\":1e-6}}}";
    /* Ring at p = 2 is 2α + nβ + nγ/2: α = 3e-6/2, γ = (2e-10 - 1e-10)/(1/2). */
    assert_int_equal(sw_platform_builtin("local", &p, &err), SW_OK);
    assert_int_equal(sw_platform_calibrate(&p, "c.json", full, strlen(full), SW_ALG_RING, &err),
                     SW_OK);
    NEAR(p.intra.alpha, 1.5e-6);
    NEAR(p.intra.beta, 1e-10);
    NEAR(p.intra.gamma, 2e-10);
    NEAR(p.inter.beta, 1e-10); /* local: every unit on the host */
    assert_non_null(strstr(p.calibration, "pingpong+allreduce"));
    /* Pingpong only: α and β from it, γ kept (3 / 1e10). */
    const char *pp = "{\"format\":\"scalewall-hockney\",\"version\":1,\"ranks\":2,"
                     "\"ops\":{\"pingpong\":{\"alpha_s\":1.2e-6,\"beta_s_per_byte\":1e-10}}}";
    assert_int_equal(sw_platform_builtin("local", &p, &err), SW_OK);
    assert_int_equal(sw_platform_calibrate(&p, "c.json", pp, strlen(pp), SW_ALG_RING, &err), SW_OK);
    NEAR(p.intra.alpha, 1.2e-6);
    NEAR(p.intra.gamma, 3e-10);
    /* Barrier at 4 ranks: 2 dissemination rounds. */
    const char *bar = "{\"format\":\"scalewall-hockney\",\"version\":1,\"ranks\":4,"
                      "\"ops\":{\"pingpong\":{\"alpha_s\":1e-6,\"beta_s_per_byte\":1e-10},"
                      "\"barrier\":{\"alpha_s\":4e-6}}}";
    assert_int_equal(sw_platform_calibrate(&p, "c.json", bar, strlen(bar), SW_ALG_RING, &err),
                     SW_OK);
    NEAR(p.intra.alpha, 2e-6);
    const char *none = "{\"format\":\"scalewall-hockney\",\"version\":1,\"ranks\":2,\"ops\":{}}";
    assert_int_equal(sw_platform_calibrate(&p, "c.json", none, strlen(none), SW_ALG_RING, &err),
                     SW_EPARSE);
    assert_non_null(strstr(err.msg, "c.json: ops.pingpong is missing"));
}

static sw_platform toy_platform(void)
{
    sw_platform p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "toy");
    p.flops_fp32 = p.flops_half = 1e9;
    p.mem_bw = 1e9;
    p.units_per_node = 8;
    p.intra = p.inter = (sw_link){1e-3, 1e-6, 0};
    return p;
}

static void test_depth_grid(void **state)
{
    (void)state;
    /* One block: fwd 1e6, bwd 2e6 FLOP/sample, 1000 gradient bytes; batch 10
     * at 1e9 FLOP/s; allreduce at N = 2 is 2α + 1000 β = 3 ms.
     * depth 1: T1 = 30, T2 = 15 + 3 = 18, E = 30/36;
     * depth 2: T1 = 60; L2's bucket runs 20..23 under L1's backward, L1's
     *          30..33: T2 = 33, E = 60/66. */
    sw_layer l = LAYER("blk", 1e6, 2e6, 1000, 0);
    sw_net blk = {.name = "toy", .params = "family=toy", .bytes_per_elem = 4, .layers = &l,
                  .nlayers = 1};
    sw_platform p = toy_platform();
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 10;
    c.optimizer = SW_OPT_NONE;
    c.allreduce = SW_ALG_RING; /* the hand values use the ring */
    double d[2] = {1, 2}, n[3] = {1, 2, 16};
    sw_depth_grid g;
    sw_error err = {0};
    assert_int_equal(sw_depth_run(&blk, &p, &c, 0, d, 2, n, 3, 0.85, &g, &err), SW_OK);
    NEAR(g.t1[0], 30e-3);
    NEAR(g.eff[0 * 3 + 1], 30.0 / 36);
    NEAR(g.eff[1 * 3 + 1], 60.0 / 66);
    assert_true(isnan(g.eff[2])); /* 10 samples over 16 replicas */
    NEAR(g.largest_n[0], 1);
    NEAR(g.largest_n[1], 2);
    NEAR(g.deepest[1], 2);
    NEAR(g.deepest[0], 2);
    assert_true(isnan(g.deepest[2]));
    sw_depth_free(&g);
    assert_int_equal(sw_depth_run(&blk, &p, &c, 0, d, 2, n, 3, 1.5, &g, &err), SW_EDOM);
    sw_net rep;
    assert_int_equal(sw_net_repeat(&blk, 3, &rep, &err), SW_OK);
    assert_int_equal(rep.nlayers, 3);
    assert_string_equal(rep.params, "family=toy;depth=3");
    sw_net_free(&rep);
}

static void test_obs_round_trip(void **state)
{
    (void)state;
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 1000, 100), LAYER("b", 2e6, 4e6, 2000, 100)};
    sw_net net = {.name = "two", .params = "family=json;name=two", .bytes_per_elem = 4,
                  .layers = l, .nlayers = 2};
    sw_platform p = toy_platform();
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 10;
    c.optimizer = SW_OPT_NONE;
    c.allreduce = SW_ALG_RING; /* the hand values use the ring */
    double n[2] = {1, 2};
    sw_sim_point pt[2];
    sw_error err = {0};
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n, 2, pt, &err), SW_OK);
    sw_obs *o;
    assert_int_equal(sw_sim_to_obs(&net, &p, &c, pt, 2, &o, &err), SW_OK);
    sw_obs_set set = {0};
    assert_int_equal(sw_obs_set_push(&set, o, &err), SW_OK);
    for (int fmt = 0; fmt < 2; fmt++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        assert_non_null(fp);
        assert_int_equal(fmt ? sw_obs_write_json(&set, fp, &err) : sw_obs_write_csv(&set, fp, &err),
                         SW_OK);
        fclose(fp);
        sw_obs_set back = {0};
        if (sw_obs_read_buffer("sim", buf, len, &back, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(back.n, 1);
        sw_obs *b = back.series[0];
        assert_int_equal(b->simulated, 1);
        assert_string_equal(b->workload, "two");
        assert_int_equal(b->npts, 2);
        NEAR(b->pts[1].n, 2);
        NEAR(b->pts[1].value, 48e-3); /* the hand timeline of test_simulate.c */
        int k = sw_obs_find_extra(b, "comm_s");
        assert_true(k >= 0);
        NEAR(b->pts[1].extra[k], 3e-3);
        k = sw_obs_find_extra(b, "efficiency");
        NEAR(b->pts[1].extra[k], 0.9375);
        assert_string_equal(sw_obs_get_meta(b, "platform"), "toy");
        sw_obs_set_free(&back);
        free(buf);
    }
    sw_obs_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_families),    cmocka_unit_test(test_net_json),
        cmocka_unit_test(test_platforms),   cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_depth_grid),  cmocka_unit_test(test_obs_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
