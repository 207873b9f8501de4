/* test_simulate.c — the simulated step against timelines computed by hand.
 *
 * The small case used throughout (times in ms):
 *   platform: 1e9 FLOP/s, memory 1e9 B/s, intra link α = 1 ms, β = 1 µs/B,
 *             γ = 0, 8 units per node — compute-bound at these sizes (the
 *             memory terms are a few µs);
 *   network:  L1 fwd 1e6, bwd 2e6 FLOP/sample, 1000 param bytes;
 *             L2 fwd 2e6, bwd 4e6 FLOP/sample, 2000 param bytes; fp32;
 *   batch 10, N = 2 data-parallel -> 5 samples per replica:
 *             fwd L1 5, L2 10; bwd L2 20, L1 10; forward ends at 15,
 *             L2's gradient is ready at 35, L1's at 45.
 *   Ring allreduce at p = 2 costs 2α + nβ: L2's 2000 B bucket 4, L1's 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "scalewall/simulate.h"

/* A layer of the original four numbers; the others 0. */
#define LAYER(n, f, b, p, a)                                                                     \
    {.name = n, .fwd_flops = f, .bwd_flops = b, .param_bytes = p, .act_bytes = a}
#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))
#define PI 3.14159265358979323846

static sw_platform plat(void)
{
    sw_platform p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "test");
    p.flops_fp32 = p.flops_half = 1e9;
    p.mem_bw = 1e9;
    p.units_per_node = 8;
    p.intra = (sw_link){1e-3, 1e-6, 0};
    p.inter = (sw_link){1e-3, 1e-6, 0};
    return p;
}

static sw_layer layers2[2] = {LAYER("L1", 1e6, 2e6, 1000, 100), LAYER("L2", 2e6, 4e6, 2000, 100)};

static sw_net net2(void)
{
    sw_net n;
    memset(&n, 0, sizeof n);
    strcpy(n.name, "two");
    n.bytes_per_elem = 4;
    n.layers = layers2;
    n.nlayers = 2;
    return n;
}

static sw_sim_config cfg10(void)
{
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 10;
    c.optimizer = SW_OPT_NONE; /* the hand timelines leave the update out */
    c.allreduce = SW_ALG_RING;  /* and use the ring's formula */
    c.schedule = SW_SCHED_GPIPE; /* and GPipe's order */
    return c;
}

static sw_sim_step run(const sw_net *n, const sw_platform *p, const sw_sim_config *c, double units)
{
    sw_sim_step s;
    sw_error err = {0};
    sw_status st = sw_sim_step_run(n, p, c, units, &s, &err);
    if (st)
        fail_msg("%s", err.msg);
    return s;
}

static void test_dp_no_overlap(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.overlap = 0;
    /* Both buckets start after the backward (45): 45 + 4 + 3 = 52. */
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 52e-3);
    NEAR(s.compute_s, 45e-3);
    NEAR(s.comm_s, 7e-3);
    NEAR(s.bubble_s, 0);
    NEAR(s.wait_s, 0);
    NEAR(s.grid_s, 0);
    NEAR(s.wire_bytes, 3000);
}

static void test_dp_overlap_and_sweep(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    /* L2's bucket runs 35..39 under L1's backward; L1's 45..48: T = 48. */
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 48e-3);
    NEAR(s.comm_s, 3e-3);
    /* T1: one unit, 10 samples: 90 of compute, no communication.
     * S = 90/48 = 1.875, E = 0.9375, 1-α = (1/E - 1)/(N - 1) = 1/15. */
    double ns[2] = {1, 2};
    sw_sim_point pt[2];
    sw_error err = {0};
    assert_int_equal(sw_sim_sweep(&n, &p, &c, ns, 2, pt, &err), SW_OK);
    NEAR(pt[0].step.time, 90e-3);
    NEAR(pt[0].speedup, 1);
    assert_true(isnan(pt[0].serial));
    NEAR(pt[1].speedup, 1.875);
    NEAR(pt[1].efficiency, 0.9375);
    NEAR(pt[1].serial, 1.0 / 15);
    /* Weak scaling: 10 samples per replica; T1 = 90, TN = 2 x 45 + 3 of
     * L1's bucket after overlap (L2's 4 ends at 74 < 90) = 93, S = 2 * 90/93. */
    c.scaling = SW_SCALING_WEAK;
    assert_int_equal(sw_sim_sweep(&n, &p, &c, ns, 2, pt, &err), SW_OK);
    NEAR(pt[1].step.time, 93e-3);
    NEAR(pt[1].speedup, 180.0 / 93);
}

static void test_bucket_size(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    /* One 3000 B bucket, ready when L1 finishes (45): 2α + 3000 β = 5 -> 50. */
    c.bucket_bytes = 3000;
    NEAR(run(&n, &p, &c, 2).time, 50e-3);
}

static void test_grid(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    /* dt = 4: L1 fwd 0..5, L2 fwd 8..18, L2 bwd 20..40, L1 bwd 40..50;
     * L2's bucket 40..44, L1's 52..55.  Grid loss 55 - 48 = 7. */
    c.grid_dt = 4e-3;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 55e-3);
    NEAR(s.grid_s, 7e-3);
    NEAR(s.compute_s + s.comm_s + s.bubble_s + s.wait_s + s.grid_s, s.time);
}

static void test_pipeline_closed_form(void **state)
{
    (void)state;
    /* Two identical layers, f = 1, b = 2 per 1-sample micro-batch, free
     * sends (no activation bytes, α = 0): GPipe takes (m + pp - 1)(f + b)
     * = 5 x 3 = 15 for m = 4, pp = 2, and the bubble is (pp-1)(f+b) = 3,
     * i.e. (pp-1)/(m+pp-1) = 1/5 of the step. */
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 0, 0), LAYER("b", 1e6, 2e6, 0, 0)};
    sw_net n = net2();
    n.layers = l;
    sw_platform p = plat();
    p.intra.alpha = 0;
    sw_sim_config c = cfg10();
    c.batch = 4;
    c.micro = 4;
    c.stages = 2;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 15e-3);
    NEAR(s.compute_s, 12e-3);
    NEAR(s.bubble_s, 3e-3);
    NEAR(s.bubble_s / s.time, 1.0 / 5);
    NEAR(s.comm_s, 0);
}

static void test_pipeline_with_sends(void **state)
{
    (void)state;
    /* As above with 1000 activation bytes per sample: each send is
     * α + 1000 β = 2.  Forward: stage 0 busy 3 per micro (compute 1 + send
     * 2) and ends micro j at 3(j+1); stage 1 computes 3..4, 6..7, 9..10,
     * 12..13.  Backward (GPipe, after all forwards): stage 1 needs 2 + send
     * 2 per micro: 13..17, ..21, ..25, ..29; stage 0 computes 17..19,
     * 21..23, 25..27, 29..31.  T = 31; compute 12 per unit, sends
     * 4 x (2 + 2)/2 = 8 per unit, bubble 31 - 20 = 11. */
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 0, 1000), LAYER("b", 1e6, 2e6, 0, 1000)};
    sw_net n = net2();
    n.layers = l;
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.batch = 4;
    c.micro = 4;
    c.stages = 2;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 31e-3);
    NEAR(s.compute_s, 12e-3);
    NEAR(s.comm_s, 8e-3);
    NEAR(s.bubble_s, 11e-3);
}

static void test_pipeline_and_dp(void **state)
{
    (void)state;
    /* N = 4 = 2 stages x 2 replicas, batch 8 -> 4 per replica, 4 micro-batches
     * of 1 sample; f = 1, b = 2, each (empty) send costs α = 1.  Forward:
     * stage 0 ends micro j at 2(j+1); stage 1 runs 2..3, 4..5, 6..7, 8..9.
     * Backward: stage 1 (2 + send 1): 9..12, ..15, ..18, ..21; stage 0:
     * 12..14, 15..17, 18..20, 21..23.  Then each stage's 1000 B gradient
     * allreduce (2α + 1000 β = 3) on its 2-replica group: stage 0 ends at
     * 26, stage 1 at 24, T = 26.  Per unit: compute 4 x 6/2 = 12, busy
     * 4 x (6 + 2)/2 = 16, bubble 23 - 16 = 7, comm 26 - 12 - 7 = 7. */
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 1000, 0), LAYER("b", 1e6, 2e6, 1000, 0)};
    sw_net n = net2();
    n.layers = l;
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.batch = 8;
    c.micro = 4;
    c.stages = 2;
    c.overlap = 0;
    sw_sim_step s = run(&n, &p, &c, 4);
    NEAR(s.dp, 2);
    NEAR(s.time, 26e-3);
    NEAR(s.compute_s, 12e-3);
    NEAR(s.bubble_s, 7e-3);
    NEAR(s.comm_s, 7e-3);
}

static void test_expected_max(void **state)
{
    (void)state;
    /* Closed forms for two draws: normal 1 + cv/sqrt(pi); lognormal of mean 1
     * 2 Φ(σ/√2) with σ² = ln(1 + cv²). */
    NEAR(sw_sim_expected_max(SW_JITTER_NORMAL, 0.1, 2), 1 + 0.1 / sqrt(PI));
    double sg = sqrt(log1p(0.04));
    NEAR(sw_sim_expected_max(SW_JITTER_LOGNORMAL, 0.2, 2), 2 * gsl_cdf_ugaussian_P(sg / sqrt(2)));
    NEAR(sw_sim_expected_max(SW_JITTER_LOGNORMAL, 0.2, 1), 1);
    /* Tabulated expected maxima of 10 and 100 standard normals (Tippett 1925;
     * Harter 1961): 1.5387527 and 2.5075937. */
    assert_true(fabs((sw_sim_expected_max(SW_JITTER_NORMAL, 0.1, 10) - 1) / 0.1 - 1.5387527) < 1e-6);
    assert_true(fabs((sw_sim_expected_max(SW_JITTER_NORMAL, 0.1, 100) - 1) / 0.1 - 2.5075937) < 1e-6);
    NEAR(sw_sim_expected_max(SW_JITTER_NORMAL, 0, 1000), 1);
    /* Grows with N, like sqrt(2 ln N) for the normal. */
    double prev = 1;
    for (double n = 2; n <= 1 << 20; n *= 4) {
        double m = sw_sim_expected_max(SW_JITTER_NORMAL, 0.05, n);
        assert_true(m > prev);
        prev = m;
    }
    /* Monte Carlo with a fixed seed: 20000 maxima of 64 lognormal draws. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    double sum = 0, sum2 = 0, mu = -sg * sg / 2;
    int reps = 20000;
    for (int i = 0; i < reps; i++) {
        double mx = 0;
        for (int k = 0; k < 64; k++)
            mx = fmax(mx, gsl_ran_lognormal(r, mu, sg));
        sum += mx;
        sum2 += mx * mx;
    }
    gsl_rng_free(r);
    double mean = sum / reps, se = sqrt((sum2 / reps - mean * mean) / reps);
    assert_true(fabs(sw_sim_expected_max(SW_JITTER_LOGNORMAL, 0.2, 64) - mean) < 4 * se);
    assert_true(isnan(sw_sim_expected_max(SW_JITTER_NORMAL, -0.1, 4)));
}

static void test_stragglers(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.overlap = 0;
    c.jitter = SW_JITTER_NORMAL;
    c.jitter_cv = 0.1;
    /* Compute 45 stretched by M(2) = 1 + 0.1/sqrt(pi); comm 7 unchanged. */
    double M = 1 + 0.1 / sqrt(PI);
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.straggle, M);
    NEAR(s.time, 45e-3 * M + 7e-3);
    NEAR(s.wait_s, 45e-3 * (M - 1));
    NEAR(s.compute_s, 45e-3);
}

static void test_compression(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.overlap = 0;
    /* fp16: 500 and 250 elements -> 1000 and 500 wire bytes: 2α + nβ = 3
     * and 2.5; casting both ways reads/writes (2*4 + 4) B per element at
     * 1e9 B/s: 6 µs and 3 µs.  T = 45 + 3.006 + 2.503. */
    c.compress = SW_COMPRESS_FP16;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 45e-3 + 3.006e-3 + 2.503e-3);
    NEAR(s.compress_s, 9e-6);
    NEAR(s.wire_bytes, 1500);
    /* int8: 504 and 254 wire bytes (a 4-byte scale each); (3*4 + 2) B per
     * element of work: 7 µs and 3.5 µs. */
    c.compress = SW_COMPRESS_INT8;
    NEAR(run(&n, &p, &c, 2).time, 45e-3 + (2.504e-3 + 7e-6) + (2.254e-3 + 3.5e-6));
    /* top-k 10%: 50 and 25 (value, index) pairs of 8 B; ring allgather of
     * both ranks' 400 (200) B: α + n/2 β = 1.4 (1.2); work 3*4*e + 2*sel*12
     * bytes: 7.2 µs and 3.6 µs. */
    c.compress = SW_COMPRESS_TOPK;
    c.topk_frac = 0.1;
    NEAR(run(&n, &p, &c, 2).time, 45e-3 + (1.4e-3 + 7.2e-6) + (1.2e-3 + 3.6e-6));
    /* Already half precision: fp16 compression changes nothing. */
    n.bytes_per_elem = 2;
    c.compress = SW_COMPRESS_FP16;
    NEAR(run(&n, &p, &c, 2).time, 52e-3);
}

static void test_hierarchical_choice(void **state)
{
    (void)state;
    /* 2 units per node, N = 8: 4 nodes x 2; one 1000 B layer, overlap off:
     * T = compute + the two-level allreduce. */
    sw_layer l[1] = {LAYER("a", 1e6, 2e6, 1000, 0)};
    sw_net n = net2();
    n.layers = l;
    n.nlayers = 1;
    sw_platform p = plat();
    p.units_per_node = 2;
    p.intra = (sw_link){1e-5, 1e-8, 1e-9};
    sw_sim_config c = cfg10();
    c.batch = 8;
    c.overlap = 0;
    double h, f;
    sw_error err = {0};
    assert_int_equal(sw_coll_time_hier(SW_COLL_ALLREDUCE, SW_ALG_RING, 4, 2, 1000, &p.intra,
                                       &p.inter, &h, &err), SW_OK);
    NEAR(run(&n, &p, &c, 8).time, 3e-3 + h);
    c.hierarchical = 0;
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_RING, 8, 1000, &p.inter, &f, &err),
                     SW_OK);
    NEAR(run(&n, &p, &c, 8).time, 3e-3 + f);
}

static void test_optimizer(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    /* SGD reads w and g and writes w: 3 x 3000 B at 1e9 B/s = 9 µs after
     * the last allreduce (48); Adam 7 passes, 21 µs.  Both count as compute. */
    c.optimizer = SW_OPT_SGD;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.time, 48e-3 + 9e-6);
    NEAR(s.update_s, 9e-6);
    NEAR(s.compute_s, 45e-3 + 9e-6);
    NEAR(s.comm_s, 3e-3);
    c.optimizer = SW_OPT_ADAM;
    NEAR(run(&n, &p, &c, 2).time, 48e-3 + 21e-6);
    /* Two stages (the pipeline-with-sends case, 1000 B per layer): each
     * stage updates its own 1000 B after its backward (stage 0 at 31,
     * stage 1 at 29): T = 31 + 3 µs; bubble unchanged (11), compute
     * 12 + 3 µs per unit. */
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 1000, 1000), LAYER("b", 1e6, 2e6, 1000, 1000)};
    n.layers = l;
    c = cfg10();
    c.optimizer = SW_OPT_SGD;
    c.batch = 4;
    c.micro = 4;
    c.stages = 2;
    s = run(&n, &p, &c, 2);
    NEAR(s.time, 31e-3 + 3e-6);
    NEAR(s.bubble_s, 11e-3);
    NEAR(s.compute_s, 12e-3 + 3e-6);
    NEAR(s.comm_s, 8e-3);
}

/* Oversubscribed (cores = 1): the small case at N = 2 computes twice as
 * long, 90 ms, then the allreduces of 4 + 3 ms (links unchanged): 97.  At
 * N = 1 <= cores nothing changes (T1 = 90 ms on the whole batch). */
static void test_cores(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    c.overlap = 0;
    c.cores = 1;
    sw_sim_step s = run(&n, &p, &c, 2);
    NEAR(s.compute_s, 90e-3);
    NEAR(s.comm_s, 7e-3);
    NEAR(s.time, 97e-3);
    NEAR(run(&n, &p, &c, 1).time, 90e-3);
    c.cores = 2; /* enough cores: the plain case */
    NEAR(run(&n, &p, &c, 2).time, 52e-3);
    c.cores = -1;
    sw_error err = {0};
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 2, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "cores -1"));
}

static void test_errors(void **state)
{
    (void)state;
    sw_net n = net2();
    sw_platform p = plat();
    sw_sim_config c = cfg10();
    sw_sim_step s;
    sw_error err = {0};
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 0, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "N = 0"));
    c.stages = 3;
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 3, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "3 stages"));
    c.stages = 2;
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 3, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "multiple"));
    c.stages = 1;
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 64, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "less than one"));
    p.inter.beta = 0;
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 2, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "bandwidth"));
    p = plat();
    sw_layer bad[2] = {LAYER("L1", -1e6, 2e6, 1000, 100), LAYER("L2", 2e6, 4e6, 2000, 100)};
    n.layers = bad;
    assert_int_equal(sw_sim_step_run(&n, &p, &c, 2, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "fwd_flops -1e+06"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dp_no_overlap),  cmocka_unit_test(test_dp_overlap_and_sweep),
        cmocka_unit_test(test_bucket_size),    cmocka_unit_test(test_grid),
        cmocka_unit_test(test_pipeline_closed_form), cmocka_unit_test(test_pipeline_with_sends),
        cmocka_unit_test(test_pipeline_and_dp), cmocka_unit_test(test_expected_max),
        cmocka_unit_test(test_stragglers),     cmocka_unit_test(test_compression),
        cmocka_unit_test(test_hierarchical_choice), cmocka_unit_test(test_optimizer),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_cores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
