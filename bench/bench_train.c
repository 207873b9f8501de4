/* bench_train.c — how fast training at scale is simulated.
 *
 * Targets (issue 15): one 16384-GPU tp x pp x dp step of a 100-layer
 * model in < 5 ms; the configuration search over every tp x pp x dp
 * factorisation of 4096 GPUs in < 1 s.  The model is a 98-block
 * transformer with its embedding and output layers (100 layers: hidden
 * 8192, sequence 4096, 64 heads, vocabulary 51200), bf16, Adam, on the
 * `ndr` profile.  The peer, measured in the same run so that a loaded
 * machine moves both, is the data-parallel step of bench_simulate (1024
 * units, 100 MLP layers): the ratios say what 3-D parallelism and the
 * search cost in units of that step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "scalewall/simulate.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Wall-clock median and minimum, and the median CPU time: on a shared,
 * loaded machine the CPU time is what the simulation itself costs. */
static double median(double *t, double *c, size_t n, const char *what)
{
    gsl_sort(t, 1, n);
    gsl_sort(c, 1, n);
    double m = gsl_stats_median_from_sorted_data(t, 1, n);
    double mc = gsl_stats_median_from_sorted_data(c, 1, n);
    printf("%-52s wall median %9.4g ms (min %.4g, max %.4g), CPU median %.4g ms, %zu runs\n",
           what, m * 1e3, t[0] * 1e3, t[n - 1] * 1e3, mc * 1e3, n);
    return mc;
}

int main(void)
{
    sw_error err = {0};
    sw_platform plat;
    sw_net net, mlp;
    if (sw_platform_builtin("ndr", &plat, &err) ||
        sw_net_from_spec(&net, "transformer:blocks=98,hidden=8192,seq=4096,heads=64,vocab=51200",
                         2, &err) ||
        sw_net_mlp(&mlp, 100, 1024, 4, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 4096;
    c.micro_batch = 1;
    c.tp = 8;
    c.stages = 16;
    c.schedule = SW_SCHED_INTERLEAVED;
    c.chunks = 2;
    c.sp = 1;
    c.recompute = SW_RECOMPUTE_FULL;
    c.optimizer = SW_OPT_ADAM;
    c.zero = 1;
    c.bucket_bytes = 25e6;
    enum { REPS = 41 };
    double t[REPS], tc[REPS];
    sw_sim_step s;
    for (int i = 0; i < REPS; i++) {
        double t0 = now(), c0 = cpu();
        if (sw_sim_step_run(&net, &plat, &c, 16384, &s, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        t[i] = now() - t0;
        tc[i] = cpu() - c0;
    }
    double step = median(t, tc, REPS, "step: 16384 = tp 8 x pp 16 x dp 128, 100 layers");
    printf("  (step %.4g s, MFU %.3f, %g micro-batches, %.3g GB per GPU)\n", s.time, s.mfu,
           s.micro, s.mem.total / 1e9);

    sw_sim_config b = c;
    b.batch = 2048;
    sw_sim_search_opts o;
    sw_sim_search_opts_default(&o);
    sw_sim_choice best[10];
    size_t nout = 0, tried = 0, fit = 0;
    double ts[5], tsc[5];
    for (int i = 0; i < 5; i++) {
        double t0 = now(), c0 = cpu();
        if (sw_sim_search(&net, &plat, &b, 4096, &o, best, &nout, &tried, &fit, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        ts[i] = now() - t0;
        tsc[i] = cpu() - c0;
    }
    double search = median(ts, tsc, 5, "search: every tp x pp x dp of 4096 GPUs");
    printf("  (%zu configurations tried, %zu fit; fastest: tp %g pp %g dp %g, %s x%g, mb %g, "
           "ZeRO %d, recompute %s: %.4g s, MFU %.3f)\n",
           tried, fit, best[0].step.tp, best[0].step.pp, best[0].step.dp,
           sw_schedule_name(best[0].cfg.schedule), best[0].step.chunks, best[0].step.micro_batch,
           best[0].cfg.zero, sw_recompute_name(best[0].cfg.recompute), best[0].step.time,
           best[0].step.mfu);

    /* The peer: bench_simulate's data-parallel step. */
    sw_sim_config pc;
    sw_sim_config_default(&pc);
    pc.batch = 65536;
    pc.bucket_bytes = 25e6;
    pc.jitter_cv = 0.05;
    for (int i = 0; i < REPS; i++) {
        double t0 = now(), c0 = cpu();
        if (sw_sim_step_run(&mlp, &plat, &pc, 1024, &s, &err))
            return 1;
        t[i] = now() - t0;
        tc[i] = cpu() - c0;
    }
    double peer = median(t, tc, REPS, "peer: 1024-unit data-parallel step, 100 layers");
    printf("ratio (CPU): 3-D step / peer step = %.2f; search / peer step = %.0f\n", step / peer,
           search / peer);
    printf("targets (CPU time): step %.3g ms (< 5 ms: %s), search %.3g s (< 1 s: %s)\n",
           step * 1e3, step < 5e-3 ? "met" : "MISSED", search, search < 1 ? "met" : "MISSED");
    sw_net_free(&net);
    sw_net_free(&mlp);
    return 0;
}
