/* bench_simulate.c — how fast the step simulator is, and how far its
 * analytic treatment of stragglers is from simulating every unit.
 *
 * Targets (issue 5): a 1024-unit, 100-layer step in < 5 ms; a 64 x 64
 * depth grid in < 1 s.  The peer, measured in the same run, is a naive
 * event-by-event simulation written here: every one of the N units gets
 * its own lognormal compute factor (fixed seed), runs its 100 layers, and
 * every gradient bucket's ring allreduce is played step by step, rank by
 * rank (a rank's step k ends when it and its left neighbour have finished
 * step k-1, plus α + (n/p)(β [+ γ])).  That is what a per-rank simulator
 * (SimGrid/SMPI-like, without the packet level) has to do; it costs
 * O(N x buckets x 2(N-1)) and, averaged over seeds, should agree with the
 * analytic step to within a few percent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>

#include "scalewall/depth.h"
#include "scalewall/simulate.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void summary(const char *what, double *t, size_t n, double *median)
{
    gsl_sort(t, 1, n);
    *median = gsl_stats_median_from_sorted_data(t, 1, n);
    printf("%-44s median %10.4g ms  (min %.4g, max %.4g, %zu runs)\n", what, *median * 1e3,
           t[0] * 1e3, t[n - 1] * 1e3, n);
}

/* The naive peer: per-unit compute with its own factor, per-rank ring. */
static double event_step(const sw_net *net, const sw_platform *p, const sw_sim_config *c,
                         int N, gsl_rng *r)
{
    size_t L = net->nlayers;
    double b = c->batch / N, F = sw_platform_flops(p, net->bytes_per_elem);
    double sg = sqrt(log1p(c->jitter_cv * c->jitter_cv));
    double *ready = malloc(L * N * sizeof *ready), *t = malloc(N * sizeof *t),
           *nt = malloc(N * sizeof *nt);
    for (int u = 0; u < N; u++) {
        double f = gsl_ran_lognormal(r, -sg * sg / 2, sg), clock = 0;
        for (size_t l = 0; l < L; l++)
            clock += f * fmax(net->layers[l].fwd_flops * b / F,
                              (net->layers[l].param_bytes + 2 * net->layers[l].act_bytes * b) /
                                  p->mem_bw);
        for (size_t l = L; l-- > 0;) {
            clock += f * fmax(net->layers[l].bwd_flops * b / F,
                              (2 * net->layers[l].param_bytes + 3 * net->layers[l].act_bytes * b) /
                                  p->mem_bw);
            ready[l * N + u] = clock;
        }
    }
    const sw_link *k = &p->inter;
    for (int u = 0; u < N; u++)
        t[u] = 0; /* when each rank's network is free */
    double acc = 0; /* buckets as the library makes them: last layer first */
    for (size_t l = L; l-- > 0;) {
        acc += net->layers[l].param_bytes;
        if (acc < c->bucket_bytes && l > 0)
            continue;
        double chunk = acc / N;
        acc = 0;
        for (int u = 0; u < N; u++)
            t[u] = fmax(t[u], ready[l * N + u]);
        for (int step = 0; step < 2 * (N - 1); step++) {
            double cost = k->alpha + chunk * k->beta + (step < N - 1 ? chunk * k->gamma : 0);
            for (int u = 0; u < N; u++)
                nt[u] = fmax(t[u], t[(u + N - 1) % N]) + cost;
            memcpy(t, nt, N * sizeof *t);
        }
    }
    double end = 0;
    for (int u = 0; u < N; u++)
        end = fmax(end, fmax(t[u], ready[u]));
    free(ready);
    free(t);
    free(nt);
    return end;
}

int main(void)
{
    sw_error err = {0};
    sw_platform plat;
    sw_net net;
    if (sw_platform_builtin("hdr", &plat, &err) || sw_net_mlp(&net, 100, 1024, 4, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sw_sim_config c;
    sw_sim_config_default(&c);
    c.batch = 65536;
    c.bucket_bytes = 25e6;
    c.jitter_cv = 0.05;
    c.hierarchical = 0;           /* the peer plays a flat ring */
    c.allreduce = SW_ALG_RING;
    c.optimizer = SW_OPT_NONE;    /* and has no update step */
    c.schedule = SW_SCHED_GPIPE;  /* and all forwards before all backwards */
    plat.launch_s = 0;            /* and no kernel launches */
    plat.contention = 0;
    enum { REPS = 41 };
    double t[REPS], med_step, med_pipe, med_grid, med_event;
    sw_sim_step s;
    for (int i = 0; i < REPS; i++) {
        double t0 = now();
        if (sw_sim_step_run(&net, &plat, &c, 1024, &s, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        t[i] = now() - t0;
    }
    summary("step: 1024 units, 100 layers, dp + jitter", t, REPS, &med_step);
    double analytic = s.time;
    sw_sim_config cp = c;
    cp.stages = 4;
    cp.micro = 16;
    cp.grid_dt = 1e-4;
    for (int i = 0; i < REPS; i++) {
        double t0 = now();
        if (sw_sim_step_run(&net, &plat, &cp, 1024, &s, &err))
            return 1;
        t[i] = now() - t0;
    }
    summary("step: 1024 = 256 dp x 4 pp, 16 micro, grid", t, REPS, &med_pipe);

    /* 64 x 64 depth grid: depths 1..64, N = 8, 16, ..., 512. */
    double depth[64], ns[64];
    for (int i = 0; i < 64; i++) {
        depth[i] = i + 1;
        ns[i] = 8.0 * (i + 1);
    }
    sw_net blk;
    sw_net_mlp(&blk, 1, 1024, 4, &err);
    sw_sim_config cg = c;
    cg.hierarchical = 1;
    double tg[5];
    sw_depth_grid g;
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        if (sw_depth_run(&blk, &plat, &cg, 0, depth, 64, ns, 64, 0.8, &g, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        tg[i] = now() - t0;
        if (i < 4)
            sw_depth_free(&g);
    }
    summary("depth grid 64 x 64 (4096 steps)", tg, 5, &med_grid);
    printf("  (E at depth 64, N 512 = %.4f; largest N with E >= 0.8 at depth 64 = %g)\n",
           g.eff[63 * 64 + 63], g.largest_n[63]);
    sw_depth_free(&g);

    /* The peer, same configuration as the first step, 5 seeds. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double te[5], ev[5];
    for (int i = 0; i < 5; i++) {
        gsl_rng_set(r, 1000 + (unsigned long)i);
        double t0 = now();
        ev[i] = event_step(&net, &plat, &c, 1024, r);
        te[i] = now() - t0;
    }
    gsl_rng_free(r);
    summary("peer: event-by-event, every unit and ring step", te, 5, &med_event);
    double mean_ev = gsl_stats_mean(ev, 1, 5), sd_ev = gsl_stats_sd(ev, 1, 5);
    printf("  step time: analytic %.6g s, event-by-event %.6g s +- %.2g (5 seeds): %+.2f%%\n",
           analytic, mean_ev, sd_ev, 100 * (analytic - mean_ev) / mean_ev);
    printf("ratio: event-by-event / analytic step = %.0fx faster\n", med_event / med_step);
    printf("targets: step %.3g ms (< 5 ms: %s), grid %.3g s (< 1 s: %s)\n", med_step * 1e3,
           med_step < 5e-3 ? "met" : "MISSED", med_grid, med_grid < 1 ? "met" : "MISSED");
    sw_net_free(&net);
    sw_net_free(&blk);
    return 0;
}
