/* test_train.c — training at scale against closed forms and published
 * formulas: ZeRO's bytes per parameter (Rajbhandari et al. 2020, exactly),
 * the 1F1B and interleaved pipelines' bubbles and in-flight activations
 * (Narayanan et al. 2021), Megatron's tensor-parallel collectives per
 * layer, the collective choice, the efficiency baseline, calibration, and
 * the one-line refusals of configurations that cannot run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scalewall/simulate.h"

#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) <= 1e-9 * (1 + fabs((double)(b))))
#define LAYER(n, f, b, p, a)                                                                     \
    {.name = n, .fwd_flops = f, .bwd_flops = b, .param_bytes = p, .act_bytes = a}

/* 1e9 FLOP/s, 1e9 B/s, α = 1 ms, β = 1 µs/B, γ = 0, 8 units per node, no
 * launch cost, no contention: the toy platform of test_simulate.c. */
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

/* The platform as a file writes it and reads it back. */
static sw_platform platform_roundtrip(const sw_platform *p)
{
    char buf[4096];
    sw_error err = {0};
    FILE *fp = fmemopen(buf, sizeof buf, "w");
    assert_non_null(fp);
    assert_int_equal(sw_platform_write_json(p, fp, &err), SW_OK);
    fclose(fp);
    sw_platform q;
    if (sw_platform_read_json("p.json", buf, strlen(buf), &q, &err))
        fail_msg("%s", err.msg);
    return q;
}

static sw_net net_of(sw_layer *l, size_t n, double bpe)
{
    sw_net net;
    memset(&net, 0, sizeof net);
    strcpy(net.name, "toy");
    net.bytes_per_elem = bpe;
    net.layers = l;
    net.nlayers = n;
    return net;
}

static sw_sim_config cfg(double batch)
{
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = batch;
    c.optimizer = SW_OPT_NONE;
    c.allreduce = SW_ALG_RING;
    return c;
}

static sw_sim_step run(const sw_net *n, const sw_platform *p, const sw_sim_config *c, double units)
{
    sw_sim_step s;
    sw_error err = {0};
    if (sw_sim_step_run(n, p, c, units, &s, &err))
        fail_msg("%s", err.msg);
    return s;
}

/* ZeRO, Figure 1 of the paper: Ψ = 7.5B, N_d = 64, mixed-precision Adam
 * (K = 12): 120 GB replicated, 31.4 GB at stage 1, 16.6 GB at stage 2,
 * 1.9 GB at stage 3 — as 4Ψ + KΨ/N_d, 2Ψ + (2 + K)Ψ/N_d, (4 + K)Ψ/N_d. */
static void test_zero_bytes(void **state)
{
    (void)state;
    double psi = 7.5e9, nd = 64;
    sw_layer l[1] = {LAYER("all", 1, 2, 2 * psi, 0)};
    sw_net net = net_of(l, 1, 2);
    sw_platform p = plat();
    sw_sim_config c = cfg(64);
    c.optimizer = SW_OPT_ADAM;
    const double want[4] = {16 * psi, 4 * psi + 12 * psi / nd, 2 * psi + 14 * psi / nd,
                            16 * psi / nd};
    for (int z = 0; z < 4; z++) {
        c.zero = z;
        sw_sim_memory m;
        sw_error err = {0};
        assert_int_equal(sw_sim_memory_run(&net, &p, &c, nd, &m, &err), SW_OK);
        NEAR(m.psi, psi);
        NEAR(m.k, 12);
        NEAR(m.params + m.grads + m.optim, want[z]);
        NEAR(m.acts, 0);
    }
    /* The paper's figures, rounded as printed. */
    c.zero = 1;
    sw_sim_memory m;
    assert_int_equal(sw_sim_memory_run(&net, &p, &c, nd, &m, NULL), SW_OK);
    assert_true(fabs(m.total / 1e9 - 31.4) < 0.05);
    /* fp32 Adam keeps two moments (K = 8); mixed-precision SGD a master copy (K = 4). */
    net.bytes_per_elem = 4;
    l[0].param_bytes = 4 * psi;
    c.zero = 0;
    assert_int_equal(sw_sim_memory_run(&net, &p, &c, nd, &m, NULL), SW_OK);
    NEAR(m.params + m.grads + m.optim, 16 * psi);
    NEAR(m.k, 8);
    net.bytes_per_elem = 2;
    l[0].param_bytes = 2 * psi;
    c.optimizer = SW_OPT_SGD;
    assert_int_equal(sw_sim_memory_run(&net, &p, &c, nd, &m, NULL), SW_OK);
    NEAR(m.k, 4);
    /* Tensor parallelism divides a split layer's parameters; pipeline
     * parallelism gives each stage its own. */
    l[0].tp_split = 1;
    c.optimizer = SW_OPT_ADAM;
    c.tp = 8;
    assert_int_equal(sw_sim_memory_run(&net, &p, &c, 8 * nd, &m, NULL), SW_OK);
    NEAR(m.psi, psi / 8);
}

/* Four identical layers, f = 1 ms, b = 2 ms per 1-sample micro-batch (the
 * layer's FLOPs at 1e9 FLOP/s), no sends, no gradients: a pipeline of pp
 * equal stages over m micro-batches takes (m + pp - 1)(F + B) with GPipe
 * and 1F1B alike, F and B a stage's forward and backward; interleaving v
 * chunks cuts the bubble to (pp - 1)(F + B)/v. */
static void test_schedules(void **state)
{
    (void)state;
    sw_layer l[4];
    for (int i = 0; i < 4; i++) {
        sw_layer x = LAYER("l", 1e6, 2e6, 0, 0);
        x.stash_bytes = 1000;
        l[i] = x;
    }
    sw_net net = net_of(l, 4, 4);
    sw_platform p = plat();
    p.intra.alpha = p.inter.alpha = 0;
    sw_sim_config c = cfg(8);
    c.stages = 2;
    c.micro = 8;
    double F = 2e-3, B = 4e-3; /* a stage of two layers */
    c.schedule = SW_SCHED_GPIPE;
    sw_sim_step g = run(&net, &p, &c, 2);
    NEAR(g.time, (8 + 1) * (F + B));
    NEAR(g.bubble_s, 1 * (F + B));
    NEAR(g.mem.inflight, 8); /* GPipe keeps every micro-batch */
    NEAR(g.mem.acts, 8 * 2 * 1000);
    c.schedule = SW_SCHED_1F1B;
    sw_sim_step o = run(&net, &p, &c, 2);
    NEAR(o.time, (8 + 1) * (F + B));
    NEAR(o.mem.inflight, 2); /* 1F1B: at most pp on the first stage */
    NEAR(o.mem.acts, 2 * 2 * 1000);
    c.schedule = SW_SCHED_INTERLEAVED;
    c.chunks = 2;
    sw_sim_step v = run(&net, &p, &c, 2);
    NEAR(v.time, 8 * (F + B) + 1 * (F + B) / 2);
    NEAR(v.bubble_s, (F + B) / 2);
    /* pp = 4: the closed forms again. */
    c.stages = 4;
    c.chunks = 1;
    c.schedule = SW_SCHED_1F1B;
    NEAR(run(&net, &p, &c, 4).time, (8 + 3) * (F + B) / 2);
    c.schedule = SW_SCHED_GPIPE;
    NEAR(run(&net, &p, &c, 4).time, (8 + 3) * (F + B) / 2);
}

/* Megatron's tensor parallelism on one layer: FLOPs split over tp ranks,
 * one allreduce of the layer's output in the forward and one in the
 * backward.  Layer 1e6/2e6 FLOPs per sample, 2 samples, 1000 B of output
 * per sample, tp = 2 inside a node: forward 1 ms + ring allreduce
 * 2α + (2000 B)β = 4 ms, backward 2 ms + 4 ms: 11 ms.  With sequence
 * parallelism the allreduce becomes an allgather and a reduce-scatter
 * ((α + 1000β) each at p = 2): the same 4 ms. */
static void test_tensor_parallel(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 1000)};
    l[0].tp_split = 1;
    l[0].tp_fwd = l[0].tp_bwd = 1;
    sw_net net = net_of(l, 1, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(2);
    c.tp = 2;
    sw_sim_step s = run(&net, &p, &c, 2);
    NEAR(s.time, 11e-3);
    NEAR(s.tp_s, 8e-3);
    NEAR(s.comm_s, 8e-3);
    NEAR(s.compute_s, 3e-3);
    c.sp = 1;
    NEAR(run(&net, &p, &c, 2).time, 11e-3);
    /* The launch cost is paid per collective: 2 per step here, 4 with SP. */
    p.launch_s = 1e-4;
    NEAR(run(&net, &p, &c, 2).time, 11e-3 + 4e-4);
    c.sp = 0;
    NEAR(run(&net, &p, &c, 2).time, 11e-3 + 2e-4);
    /* Full recomputation redoes the forward and its allreduce. */
    p.launch_s = 0;
    c.recompute = SW_RECOMPUTE_FULL;
    NEAR(run(&net, &p, &c, 2).time, 11e-3 + 5e-3);
}

/* auto takes the fastest algorithm: at p = 2 with γ = 0, recursive
 * doubling's α + nβ beats the ring's 2α + nβ. */
static void test_collective_choice(void **state)
{
    (void)state;
    sw_link l = {1e-3, 1e-6, 0};
    double t;
    sw_coll_alg a;
    sw_error err = {0};
    assert_int_equal(sw_coll_best(SW_COLL_ALLREDUCE, 2, 1000, &l, &t, &a, &err), SW_OK);
    NEAR(t, 2e-3);
    assert_int_equal(a, SW_ALG_RECURSIVE_DOUBLING);
    /* Large vectors at p = 64: the ring's 2(p-1)/p nβ wins over trees. */
    assert_int_equal(sw_coll_best(SW_COLL_ALLREDUCE, 64, 1e9, &l, &t, &a, &err), SW_OK);
    assert_true(a == SW_ALG_RING || a == SW_ALG_RABENSEIFNER);
    /* NCCL's double binary tree: 2 lg p α + 2nβ + nγ. */
    sw_link g = {1e-6, 1e-9, 1e-10};
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_DBTREE, 8, 1e6, &g, &t, &err), SW_OK);
    NEAR(t, 6e-6 + 2e-3 + 1e-4);
}

/* One line with the numbers for every configuration that cannot run. */
static void test_refusals(void **state)
{
    (void)state;
    sw_layer l[4] = {LAYER("a", 1e6, 2e6, 1000, 10), LAYER("b", 1e6, 2e6, 1000, 10),
                     LAYER("c", 1e6, 2e6, 1000, 10), LAYER("d", 1e6, 2e6, 1000, 10)};
    sw_net net = net_of(l, 4, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(64);
    sw_sim_step s;
    sw_error err = {0};
    c.tp = 16;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 16, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "tensor parallelism 16 is larger than a node (8 units)"));
    c.tp = 1;
    c.stages = 8;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 8, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "8 stages needs at least 8 layers (the network has 4)"));
    c.stages = 2;
    c.schedule = SW_SCHED_INTERLEAVED;
    c.chunks = 4;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 2, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "2 stages x 4 chunks needs at least 8 layers"));
    c.schedule = SW_SCHED_1F1B;
    c.chunks = 1;
    c.micro_batch = 16;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 16, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "batch 64 is smaller than dp 8 x micro-batch 16 = 128"));
    c.micro_batch = 0;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 3, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "N = 3 is not a multiple"));
    c.stages = 1;
    /* Memory: 4 layers x 1000 B of fp32 parameters, SGD (K = 0): 8000 B of
     * weights and gradients; 1 kB of memory cannot hold them. */
    p.mem_bytes = 1000;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 1, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "does not fit"));
    assert_non_null(strstr(err.msg, "> 1e-06 GB"));
    p.mem_bytes = 0;
    net.heads = 6;
    net.kv_heads = 6;
    c.tp = 4;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 4, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "does not divide the 6 attention heads"));
    c.tp = 1;
    c.cp = 2;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 2, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "needs a network with a sequence"));
}

/* The baseline is the fewest units that fit: with a 2-stage pipeline it is
 * N0 = 2 (one replica), not one unit holding the whole network; and when
 * one replica does not fit, ZeRO-sharded replicas are added. */
static void test_baseline(void **state)
{
    (void)state;
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 1000, 0), LAYER("b", 1e6, 2e6, 1000, 0)};
    sw_net net = net_of(l, 2, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(8);
    c.stages = 2;
    c.micro = 4;
    double n[2] = {2, 4};
    sw_sim_point pt[2];
    sw_error err = {0};
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n, 2, pt, &err), SW_OK);
    NEAR(pt[0].n_base, 2);
    NEAR(pt[0].efficiency, 1);
    assert_true(isnan(pt[0].serial));
    NEAR(pt[1].speedup, 2 * pt[0].step.time / pt[1].step.time);
    /* Adam, fp32, ZeRO-1: a stage's 250 parameters hold 1000 B of weights,
     * 1000 of gradients and 8 x 250 / N_d of moments: 4000 B on one
     * replica, 3000 on two. */
    c.optimizer = SW_OPT_ADAM;
    c.zero = 1;
    p.mem_bytes = 3500;
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n, 2, pt, &err), SW_EDOM); /* N = 2 is refused */
    assert_non_null(strstr(err.msg, "N = 2: does not fit: 4e-06 GB"));
    double n2[2] = {4, 8};
    c.batch = 16;
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n2, 2, pt, &err), SW_OK);
    NEAR(pt[0].n_base, 4);
    NEAR(pt[0].efficiency, 1);
    NEAR(pt[0].step.mem.total, 3000);
}

/* The one calibration knob: the rate scale that gives a target step time
 * or utilisation, found by bisection, reproduces it. */
static void test_calibration(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 0)};
    sw_net net = net_of(l, 1, 2);
    sw_platform p = plat();
    p.peak_half = 2e9;
    sw_sim_config c = cfg(10);
    double k;
    sw_error err = {0};
    /* Compute only: 30 ms at k = 1, so 15 ms needs k = 2. */
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_STEP, 15e-3, &k, &err), SW_OK);
    assert_true(fabs(k - 2) < 1e-9);
    /* MFU at k = 1: 3e7 FLOP / (30 ms x 2e9) = 0.5; 0.75 needs k = 1.5. */
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_MFU, 0.75, &k, &err), SW_OK);
    assert_true(fabs(k - 1.5) < 1e-9);
    sw_platform_scale(&p, k);
    NEAR(run(&net, &p, &c, 1).mfu, 0.75);
    p.peak_half = 0;
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_MFU, 0.5, &k, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "no peak FLOP/s"));
}

/* Megatron's GPT: parameters 12 l h^2 (1 + 13/(12h) + (V + s)/(12 l h))
 * (Narayanan et al. 2021, eq. 2's count), hardware FLOPs per step with
 * full recomputation 96 B s l h^2 (1 + s/(6h) + V/(16 l h)); activations
 * kept per layer at tp = t, Korthikanti et al. (2022):
 * s b h (10 + 24/t + 5 a s/(h t)) bytes. */
static void test_megatron_counts(void **state)
{
    (void)state;
    sw_net n;
    sw_error err = {0};
    assert_int_equal(sw_net_from_spec(&n, "gpt-1.7b", 2, &err), SW_OK);
    double l = 24, h = 2304, s = 2048, V = 51200, a = 24, B = 512;
    double P = 0;
    for (size_t i = 0; i < n.nlayers; i++)
        P += n.layers[i].param_bytes / 2;
    /* ... plus the final layer norm's 2h, which the paper's count leaves out. */
    NEAR(P - 2 * h, 12 * l * h * h * (1 + 13 / (12 * h) + (V + s) / (12 * l * h)));
    sw_platform p = plat();
    p.units_per_node = 8;
    p.mem_bw = 1e12;
    p.flops_half = 1e14;
    sw_sim_config c = cfg(B);
    c.recompute = SW_RECOMPUTE_FULL;
    c.micro_batch = 1;
    sw_sim_step st = run(&n, &p, &c, 32);
    NEAR(st.hw_flops, 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h)));
    NEAR(st.model_flops, 72 * B * s * l * h * h * (1 + s / (6 * h)) + 6 * B * s * h * V);
    /* Kept activations of a block at tp = 8, micro-batch 1. */
    const sw_layer *L = &n.layers[1];
    double t = 8;
    NEAR(L->stash_bytes / t + L->stash_rep_bytes, s * h * (10 + 24 / t + 5 * a * s / (h * t)));
    sw_net_free(&n);
}

/* Accelerator profiles: datasheet peaks, capacity, the derated sustained
 * rates; a precision the unit lacks is refused; a platform file written
 * with --save-platform reads back to the same numbers. */
static void test_accelerators(void **state)
{
    (void)state;
    sw_platform p = plat();
    sw_error err = {0};
    assert_int_equal(sw_platform_set_accel(&p, "h100", &err), SW_OK);
    NEAR(p.peak_half, 989.4e12);
    NEAR(p.peak_fp8, 1978.9e12);
    NEAR(p.mem_bytes, 80e9);
    NEAR(p.flops_half, SW_DERATE_FLOPS * 989.4e12);
    NEAR(p.mem_bw, SW_DERATE_MEM * 3.35e12);
    NEAR(sw_platform_rate(&p, SW_PREC_FP8, 2), SW_DERATE_FLOPS * 1978.9e12);
    NEAR(sw_platform_peak(&p, SW_PREC_AUTO, 4), 67e12);
    assert_int_equal(sw_platform_set_accel(&p, "a100", &err), SW_OK);
    NEAR(p.mem_bytes, 80e9); /* the larger variant */
    assert_int_equal(sw_platform_set_accel(&p, "a100-40gb", &err), SW_OK);
    NEAR(p.mem_bytes, 40e9);
    NEAR(p.peak_fp8, 0);
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 0)};
    sw_net net = net_of(l, 1, 2);
    sw_sim_config c = cfg(8);
    c.arith = SW_PREC_FP8;
    sw_sim_step s;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 1, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "has no fp8 arithmetic"));
    assert_int_equal(sw_platform_set_accel(&p, "tpu", &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown accelerator 'tpu' (a100-40gb, a100-80gb, h100, b200)"));
    /* Write and read back. */
    assert_int_equal(sw_platform_builtin("b200", &p, &err), SW_OK);
    p.intra.gamma = 7e-13; /* calibration can make the links' γ differ */
    sw_platform q = platform_roundtrip(&p);
    NEAR(q.flops_half, p.flops_half);
    NEAR(q.flops_fp8, p.flops_fp8);
    NEAR(q.peak_half, 2250e12);
    NEAR(q.mem_bytes, 180e9);
    NEAR(q.launch_s, p.launch_s);
    NEAR(q.kernel_s, 4e-6);
    NEAR(q.state_bw, 0.8 * 8e12); /* the derated datasheet bandwidth (test_update_bytes) */
    NEAR(q.contention, p.contention);
    NEAR(q.intra.gamma, 7e-13);
    NEAR(q.inter.gamma, p.inter.gamma);
    NEAR(q.inter.beta, p.inter.beta);
}

/* The search lists configurations that fit, fastest first, each the step
 * that simulating its configuration gives. */
static void test_search(void **state)
{
    (void)state;
    sw_net net;
    sw_error err = {0};
    assert_int_equal(
        sw_net_from_spec(&net, "transformer:blocks=8,hidden=1024,seq=512,heads=16", 2, &err),
        SW_OK);
    sw_platform p;
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    p.mem_bytes = 8e9;
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 64;
    c.optimizer = SW_OPT_ADAM;
    sw_sim_search_opts o;
    sw_sim_search_opts_default(&o);
    o.keep = 5;
    sw_sim_choice ch[5];
    size_t k, tried, fit;
    assert_int_equal(sw_sim_search(&net, &p, &c, 16, &o, ch, &k, &tried, &fit, &err), SW_OK);
    assert_int_equal(k, 5);
    assert_true(fit >= k && tried >= fit);
    for (size_t i = 0; i < k; i++) {
        assert_true(ch[i].step.mem.total <= 8e9);
        assert_true(i == 0 || ch[i - 1].step.time <= ch[i].step.time);
        NEAR(ch[i].step.tp * ch[i].step.pp * ch[i].step.dp, 16);
        sw_sim_step s = run(&net, &p, &ch[i].cfg, 16);
        NEAR(s.time, ch[i].step.time);
    }
    p.mem_bytes = 1e6;
    assert_int_equal(sw_sim_search(&net, &p, &c, 16, &o, ch, &k, &tried, &fit, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "fits in 0.001 GB per unit"));
    sw_net_free(&net);
}

/* Time to train: steps to converge at the global batch (converge.h) times
 * the step.  Reference points on the model's own curve (S_min 100, B_noise
 * 1000: 200 steps at B = 1000, 1100 at B = 100) fit back exactly; weak
 * scaling grows the batch with dp, so the steps fall. */
static void test_time_to_train(void **state)
{
    (void)state;
    char path[] = "/tmp/sw_rcp_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fprintf(fp, "# comment, with a comma\nbenchmark,batch,samples_to_converge\n"
                "a,100,110000\na,1000,200000\nb,5,5\n");
    fclose(fp);
    sw_converge cv;
    size_t rows;
    sw_error err = {0};
    assert_int_equal(sw_sim_converge_read(path, "a", &cv, &rows, &err), SW_OK);
    assert_int_equal(rows, 2);
    assert_true(fabs(cv.s_min - 100) < 1e-6 && fabs(cv.b_noise - 1000) < 1e-3);
    assert_int_equal(sw_sim_converge_read(path, "b", &cv, &rows, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "1 convergence point for b"));
    unlink(path);
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 0)};
    sw_net net = net_of(l, 1, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(100);
    c.scaling = SW_SCALING_WEAK;
    c.converge = (sw_converge){100, 1000};
    double n[2] = {1, 10};
    sw_sim_point pt[2];
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n, 2, pt, &err), SW_OK);
    NEAR(pt[0].global_batch, 100);
    NEAR(pt[0].steps, 1100);
    NEAR(pt[1].global_batch, 1000);
    NEAR(pt[1].steps, 200);
    NEAR(pt[1].train_s, 200 * pt[1].step.time);
    c.converge.s_min = 0;
    assert_int_equal(sw_sim_sweep(&net, &p, &c, n, 1, pt, &err), SW_OK);
    assert_true(isnan(pt[0].train_s));
}

/* Every kernel a layer launches costs the platform's fixed kernel time
 * besides its work, twice as many in the backward, again in a full
 * recomputation; calibration scales the rates, never that time. */
static void test_kernel_cost(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 0)};
    l[0].kernels = 5;
    sw_net net = net_of(l, 1, 2);
    sw_platform p = plat();
    sw_sim_config c = cfg(10);
    NEAR(run(&net, &p, &c, 1).time, 30e-3); /* kernel_s = 0: the work alone */
    p.kernel_s = 1e-4;
    NEAR(run(&net, &p, &c, 1).time, 30e-3 + 15 * 1e-4);
    c.recompute = SW_RECOMPUTE_FULL;
    NEAR(run(&net, &p, &c, 1).time, 40e-3 + 20 * 1e-4);
    c.recompute = SW_RECOMPUTE_NONE;
    double k;
    sw_error err = {0};
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_STEP, 15e-3 + 15e-4, &k, &err),
                     SW_OK);
    assert_true(fabs(k - 2) < 1e-9);
    /* Built-in counts: a transformer block launches 9 kernels besides its
     * attention core (3 + dropout unfused, 1 fused); ResNet-50 110 in its
     * forward (stem 3, 4 first blocks of 8, 12 others of 6, head 3). */
    sw_net n;
    assert_int_equal(sw_net_from_spec(&n, "transformer:blocks=2,hidden=64,seq=8,heads=4", 2, &err),
                     SW_OK);
    NEAR(n.layers[0].kernels, 13);
    sw_net_free(&n);
    assert_int_equal(sw_net_resnet50(&n, 2, &err), SW_OK);
    double total = 0;
    for (size_t i = 0; i < n.nlayers; i++)
        total += n.layers[i].kernels;
    NEAR(total, 110);
    sw_net_free(&n);
    /* A network file gives them per layer; a negative count is refused. */
    const char *ok = "{\"layers\": [{\"fwd_flops\": 1e6, \"kernels\": 3}]}";
    assert_int_equal(sw_net_read_json(&n, "k.json", ok, strlen(ok), 2, &err), SW_OK);
    NEAR(n.layers[0].kernels, 3);
    sw_net_free(&n);
    const char *bad = "{\"layers\": [{\"fwd_flops\": 1e6, \"kernels\": -1}]}";
    assert_int_equal(sw_net_read_json(&n, "k.json", bad, strlen(bad), 2, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "kernels -1 must be finite and >= 0"));
    /* The GPU profiles carry it (a platform file keeps it: test_accelerators). */
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    NEAR(p.kernel_s, 4e-6);
}

/* The optimizer step is memory-bound and per parameter: Ψ = 1e6 at fp16
 * (2e6 gradient bytes) and 1e9 B/s.  Mixed-precision SGD reads g (2),
 * reads and writes the master (2 x 4), writes w (2): 12 B, 12 ms; Adam
 * also reads and writes m and v: 2 + 2 x 12 + 2 = 28 ms; LAMB adds its
 * fp32 update written, read for the norm and read to apply, and the fp32
 * weights read twice (+20): 48 ms; LARS is momentum SGD (K = 8: 2 + 16 +
 * 2) plus the norms' reads of w (4) and g (2): 26 ms.  ZeRO-1 over 4
 * replicas updates a quarter.  fp32 Adam: 4 + 2 x 8 + 2 x 4 = 28 B per
 * parameter of 4 B.  The calibration knob scales the per-sample rates,
 * never the state's bandwidth; an accelerator's is its derated
 * datasheet HBM bandwidth. */
static void test_update_bytes(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("l", 1e3, 2e3, 2e6, 0)};
    sw_net net = net_of(l, 1, 2);
    sw_platform p = plat();
    p.intra.alpha = p.inter.alpha = 0;
    p.intra.beta = p.inter.beta = 1e-15;
    sw_sim_config c = cfg(8);
    const struct {
        sw_optimizer o;
        const char *name;
        double ms, k;
    } want[] = {{SW_OPT_SGD, "sgd", 12, 4},
                {SW_OPT_ADAM, "adam", 28, 12},
                {SW_OPT_LAMB, "lamb", 48, 12},
                {SW_OPT_LARS, "lars", 26, 8}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        c.optimizer = want[i].o;
        assert_int_equal(sw_optimizer_parse(want[i].name), (int)want[i].o);
        assert_string_equal(sw_optimizer_name(want[i].o), want[i].name);
        sw_sim_step s = run(&net, &p, &c, 1);
        NEAR(s.update_s, want[i].ms * 1e-3);
        NEAR(s.mem.k, want[i].k);
    }
    c.optimizer = SW_OPT_ADAM;
    c.zero = 1;
    NEAR(run(&net, &p, &c, 4).update_s, 7e-3);
    c.zero = 0;
    /* The state's own bandwidth, untouched by the knob. */
    p.state_bw = 2e9;
    NEAR(run(&net, &p, &c, 1).update_s, 14e-3);
    sw_platform_scale(&p, 10);
    NEAR(p.state_bw, 2e9);
    NEAR(run(&net, &p, &c, 1).update_s, 14e-3);
    /* fp32 */
    net.bytes_per_elem = 4;
    l[0].param_bytes = 4e6;
    p.state_bw = 0;
    p.mem_bw = 1e9;
    NEAR(run(&net, &p, &c, 1).update_s, 28e-3);
    sw_error err = {0};
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    NEAR(p.state_bw, 1.6e12); /* the profile's own sustained bandwidth */
    assert_int_equal(sw_platform_set_accel(&p, "a100-80gb", &err), SW_OK);
    NEAR(sw_platform_state_bw(&p), 0.8 * 2.039e12);
    p.state_bw = 0;
    NEAR(sw_platform_state_bw(&p), p.mem_bw);
}

/* Wave quantization on 4 SMs with 128 x 128 tiles: a layer of one GEMM
 * (1 row per sample, n = 256, k = 1024) on 100 samples.  Forward: 100 x
 * 256 outputs = 1 x 2 tiles, fewer than the SMs, so split-K in min(4/2,
 * 1024/256) = 2 slices: 4 slice-tiles, one wave, useful 100 x 256 x 2 /
 * (4 x 128^2) = 0.78125: 52.4288 MFLOP take 67.108864 ms at 1 GFLOP/s.
 * Data gradient 100 x 1024 = 8 tiles, two waves, 0.78125 again; weight
 * gradient 1024 x 256 = 16 tiles, four full waves, 1: the backward takes
 * 67.108864 + 52.4288 ms.  Without SMs the FLOPs alone. */
static void test_wave_quantization(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("g", 2.0 * 256 * 1024, 4.0 * 256 * 1024, 0, 0)};
    l[0].gemm[0] = (sw_gemm){1, 256, 1024, 0};
    l[0].ngemm = 1;
    sw_net net = net_of(l, 1, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(100);
    NEAR(run(&net, &p, &c, 1).time, 3 * 52.4288e-3);
    p.sms = 4;
    NEAR(run(&net, &p, &c, 1).time, 2 * 67.108864e-3 + 52.4288e-3);
    /* Tensor parallelism splits n of a column-parallel GEMM: at tp 2 each
     * rank's 100 x 128 is one tile, split-K 4: 100 x 128 x 4 / 65536 =
     * 0.78125 (26.2144 MFLOP); data gradient 100 x 1024 as before, weight
     * gradient 1024 x 128 = 8 tiles, two full waves. */
    l[0].tp_split = 1;
    l[0].gemm[0].split = 1;
    l[0].tp_fwd = l[0].tp_bwd = 0;
    c.tp = 2;
    NEAR(run(&net, &p, &c, 2).time, 2 * 33.554432e-3 + 26.2144e-3);
    /* The built-in shapes: a transformer block's four GEMMs hold its
     * non-attention FLOPs; ResNet-50's convolutions all but the pooling. */
    sw_net n;
    sw_error err = {0};
    assert_int_equal(
        sw_net_from_spec(&n, "transformer:blocks=1,hidden=64,seq=8,heads=4,vocab=100", 2, &err),
        SW_OK);
    for (size_t i = 0; i < n.nlayers; i++) {
        double g = 0;
        for (int k = 0; k < n.layers[i].ngemm; k++)
            g += 2 * n.layers[i].gemm[k].rows * n.layers[i].gemm[k].n * n.layers[i].gemm[k].k;
        NEAR(g, n.layers[i].fwd_flops - n.layers[i].attn_flops);
    }
    assert_int_equal(n.layers[1].ngemm, 4);
    NEAR(n.layers[1].gemm[0].n, 3 * 64); /* QKV, column-parallel */
    assert_int_equal(n.layers[1].gemm[0].split, 1);
    assert_int_equal(n.layers[1].gemm[3].split, 2); /* second feed-forward, row-parallel */
    sw_net_free(&n);
    assert_int_equal(sw_net_resnet50(&n, 2, &err), SW_OK);
    double g = 0, f = 0;
    for (size_t i = 0; i < n.nlayers; i++) {
        f += n.layers[i].fwd_flops;
        for (int k = 0; k < n.layers[i].ngemm; k++)
            g += 2 * n.layers[i].gemm[k].rows * n.layers[i].gemm[k].n * n.layers[i].gemm[k].k;
    }
    NEAR(g, f - 2048.0 * 49);
    /* Its memory-bound traffic per image (batch norm in training: 3 passes
     * of every convolution's output, ReLU fused; residual adds; pools),
     * summed by hand over the stem, 16 blocks and the head: 39,967,232
     * elements of 2 bytes. */
    double e = 0;
    for (size_t i = 0; i < n.nlayers; i++)
        e += n.layers[i].elem_bytes;
    NEAR(e, 2 * 39967232.0);
    sw_net_free(&n);
    /* The accelerators carry their SMs, and a platform file keeps them. */
    assert_int_equal(sw_platform_builtin("hdr", &p, &err), SW_OK);
    NEAR(p.sms, 108);
    assert_int_equal(sw_platform_set_accel(&p, "h100", &err), SW_OK);
    NEAR(p.sms, 132);
    NEAR(platform_roundtrip(&p).sms, 132);
}

/* Synchronised batch norm over groups of 2 data-parallel ranks: each of a
 * layer's 2 BN layers (125 channels: 2 fp32 each, 1000 B) allreduces in
 * the forward and again in the backward, inline.  Ring at p = 2 on the toy
 * link: 2(p-1)α + 2(p-1)/p nβ = 2 ms + 1 ms = 3 ms; 2 layers x 2
 * directions: 12 ms more per step, whatever the launch cost (the exchange
 * is inside the BN kernel).  A group must divide dp.  ResNet-50 has 53 BN
 * layers over 26,560 channels (torchvision: 53,120 BN weights and
 * biases). */
static void test_sync_bn(void **state)
{
    (void)state;
    sw_layer l[1] = {LAYER("l", 1e6, 2e6, 0, 0)};
    l[0].bn_layers = 2;
    l[0].bn_channels = 250;
    sw_net net = net_of(l, 1, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(20);
    for (int launch = 0; launch < 2; launch++) {
        p.launch_s = launch ? 5e-3 : 0;
        c.bn_group = 1;
        sw_sim_step s1 = run(&net, &p, &c, 2);
        NEAR(s1.bn_s, 0);
        c.bn_group = 2;
        sw_sim_step s2 = run(&net, &p, &c, 2);
        NEAR(s2.time - s1.time, 12e-3);
        NEAR(s2.bn_s, 12e-3);
    }
    c.bn_group = 2;
    NEAR(run(&net, &p, &c, 1).time, 60e-3); /* one replica of 20 samples: no exchange */
    c.bn_group = 3;
    sw_sim_step s;
    sw_error err = {0};
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 4, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "batch-norm group 3 must divide the data-parallel degree 4"));
    sw_net n;
    assert_int_equal(sw_net_resnet50(&n, 2, &err), SW_OK);
    double bn = 0, ch = 0;
    for (size_t i = 0; i < n.nlayers; i++) {
        bn += n.layers[i].bn_layers;
        ch += n.layers[i].bn_channels;
    }
    NEAR(bn, 53);
    NEAR(ch, 26560);
    sw_net_free(&n);
}

/* Evaluation passes (MLPerf counts them in the time to train): a forward
 * over 50 samples every 1000 training samples.  One unit, batch 20: the
 * step is 20 + 40 ms; a pass is ceil(50/20) = 3 forwards of 20 ms; S(20)
 * = 100 (1 + 1000/20) = 5100 steps of 20 samples make 102 passes: 5100 x
 * 0.06 + 102 x 0.06 = 312.12 s, and calibrating on half that doubles the
 * rates.  Two stages of one layer, 2 micro-batches of 10: a pass is (5 +
 * 2 - 1) forwards of 10 ms. */
static void test_eval_passes(void **state)
{
    (void)state;
    sw_layer l[2] = {LAYER("a", 1e6, 2e6, 0, 0), LAYER("b", 1e6, 2e6, 0, 0)};
    sw_net net = net_of(l, 1, 4);
    sw_platform p = plat();
    sw_sim_config c = cfg(20);
    c.converge = (sw_converge){100, 1000};
    c.eval_samples = 50;
    c.eval_every = 1000;
    sw_sim_step s = run(&net, &p, &c, 1);
    NEAR(s.eval_s, 60e-3);
    double steps, evals;
    NEAR(sw_sim_train_time(&c, &s, &steps, &evals), 312.12);
    NEAR(steps, 5100);
    NEAR(evals, 102);
    double n1 = 1, k;
    sw_sim_point pt;
    sw_error err = {0};
    assert_int_equal(sw_sim_sweep(&net, &p, &c, &n1, 1, &pt, &err), SW_OK);
    NEAR(pt.train_s, 312.12);
    NEAR(pt.evals, 102);
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_TRAIN, 156.06, &k, &err), SW_OK);
    assert_true(fabs(k - 2) < 1e-9);
    sw_net two = net_of(l, 2, 4);
    c.stages = 2;
    c.micro = 2;
    NEAR(run(&two, &p, &c, 2).eval_s, 60e-3);
    c.stages = 1;
    c.micro = 1;
    c.eval_every = 0;
    assert_int_equal(sw_sim_step_run(&net, &p, &c, 1, &s, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "evaluation of 50 samples every 0"));
    c.eval_samples = 0;
    NEAR(run(&net, &p, &c, 1).eval_s, 0);
    NEAR(sw_sim_train_time(&c, &s, NULL, &evals), 5100 * s.time);
    NEAR(evals, 0);
    c.converge.s_min = 0;
    assert_int_equal(sw_sim_calibrate(&net, &p, &c, 1, SW_CAL_TRAIN, 1, &k, &err), SW_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_bytes),       cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_tensor_parallel),  cmocka_unit_test(test_collective_choice),
        cmocka_unit_test(test_refusals),         cmocka_unit_test(test_baseline),
        cmocka_unit_test(test_calibration),      cmocka_unit_test(test_megatron_counts),
        cmocka_unit_test(test_accelerators),     cmocka_unit_test(test_search),
        cmocka_unit_test(test_time_to_train),    cmocka_unit_test(test_kernel_cost),
        cmocka_unit_test(test_update_bytes),     cmocka_unit_test(test_wave_quantization),
        cmocka_unit_test(test_sync_bn),          cmocka_unit_test(test_eval_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
