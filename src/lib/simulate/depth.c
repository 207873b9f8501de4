/* depth.c — the depth x N efficiency grid and its two answers.
 *
 * Each depth is one network (block repeated); its one-unit time is computed
 * once and every N of the row is one simulated step, so a 64 x 64 grid is
 * 4096 steps plus 64 baselines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/depth.h"
#include "scalewall/model.h"

sw_status sw_net_repeat(const sw_net *block, long depth, sw_net *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    if (depth < 1 || depth > 1000000)
        return sw_error_set(err, SW_EDOM, "depth %ld must be a whole number in 1..1e6", depth);
    size_t nb = block->nlayers, n = nb * (size_t)depth;
    if (nb == 0)
        return sw_error_set(err, SW_EDOM, "the block has no layers");
    out->layers = malloc(n * sizeof *out->layers);
    if (!out->layers)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu layers", n);
    for (size_t i = 0; i < n; i++) {
        out->layers[i] = block->layers[i % nb];
        if (nb > 1) {
            char name[80];
            snprintf(name, sizeof name, "%.32s.%zu", block->layers[i % nb].name, i / nb + 1);
            snprintf(out->layers[i].name, sizeof out->layers[i].name, "%.47s", name);
        }
    }
    out->nlayers = n;
    out->bytes_per_elem = block->bytes_per_elem;
    out->seq = block->seq;
    out->heads = block->heads;
    out->kv_heads = block->kv_heads;
    memcpy(out->name, block->name, sizeof out->name);
    snprintf(out->params, sizeof out->params, "%.200s;depth=%ld", block->params, depth);
    return SW_OK;
}

void sw_depth_free(sw_depth_grid *g)
{
    if (!g)
        return;
    free(g->depth);
    free(g->n);
    free(g->time);
    free(g->eff);
    free(g->serial);
    free(g->t1);
    free(g->stages);
    free(g->largest_n);
    free(g->deepest);
    free(g->largest_n_at_least);
    free(g->deepest_at_least);
    free(g->sync);
    free(g->tp_sync);
    free(g->payload);
    free(g->pay_serial);
    free(g->train);
    memset(g, 0, sizeof *g);
}

static sw_status grid_alloc(sw_depth_grid *g, size_t nd, size_t nn, sw_error *err)
{
    memset(g, 0, sizeof *g);
    g->nd = nd;
    g->nn = nn;
    g->depth = malloc(nd * sizeof(double));
    g->n = malloc(nn * sizeof(double));
    g->time = malloc(nd * nn * sizeof(double));
    g->eff = malloc(nd * nn * sizeof(double));
    g->serial = malloc(nd * nn * sizeof(double));
    g->t1 = malloc(nd * sizeof(double));
    g->stages = malloc(nd * sizeof(double));
    g->largest_n = malloc(nd * sizeof(double));
    g->deepest = malloc(nn * sizeof(double));
    g->largest_n_at_least = calloc(nd, sizeof(int));
    g->deepest_at_least = calloc(nn, sizeof(int));
    g->sync = malloc(nd * nn * sizeof(double));
    g->tp_sync = malloc(nd * nn * sizeof(double));
    g->payload = malloc(nd * nn * sizeof(double));
    g->pay_serial = malloc(nd * nn * sizeof(double));
    g->train = malloc(nd * nn * sizeof(double));
    if (!g->depth || !g->n || !g->time || !g->eff || !g->serial || !g->t1 || !g->stages || !g->largest_n ||
        !g->deepest || !g->largest_n_at_least || !g->deepest_at_least || !g->sync ||
        !g->tp_sync || !g->payload || !g->pay_serial || !g->train) {
        sw_depth_free(g);
        return sw_error_set(err, SW_ENOMEM, "out of memory for a %zu x %zu grid", nd, nn);
    }
    return SW_OK;
}

/* A cell the configuration cannot run (its plan is refused, or it does
 * not fit in memory): the answer is "not at this N". */
static int infeasible(const sw_net *net, const sw_platform *plat, const sw_sim_config *c,
                      double n)
{
    sw_sim_memory m;
    return sw_sim_memory_run(net, plat, c, n, &m, NULL) != SW_OK || !m.fits;
}

static sw_status run_row(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                         sw_depth_grid *g, size_t d, sw_error *err)
{
    double nmax = 0;
    for (size_t j = 0; j < g->nn; j++)
        nmax = fmax(nmax, g->n[j]);
    sw_sim_step s, b;
    int base = sw_sim_baseline(net, plat, cfg, nmax, &b, NULL) == SW_OK;
    g->t1[d] = base ? b.time : NAN;
    for (size_t j = 0; j < g->nn; j++) {
        size_t k = d * g->nn + j;
        g->time[k] = g->eff[k] = g->serial[k] = g->sync[k] = g->tp_sync[k] = NAN;
        g->payload[k] = g->pay_serial[k] = g->train[k] = NAN;
        if (!base || infeasible(net, plat, cfg, g->n[j]))
            continue;
        sw_status st = sw_sim_step_run(net, plat, cfg, g->n[j], &s, err);
        if (st) {
            sw_error_prefix(err, "depth %g", g->depth[d]);
            return st;
        }
        double work = cfg->scaling == SW_SCALING_WEAK ? s.dp / b.dp : 1;
        double S = work * b.n * b.time / s.time;
        g->time[k] = s.time;
        g->eff[k] = S / g->n[j];
        g->sync[k] = s.comm_s / (double)net->nlayers;
        g->tp_sync[k] = s.tp_s / (double)net->nlayers;
        g->payload[k] = (s.compute_s - s.recompute_s) / s.time;
        if (cfg->converge.s_min > 0)
            g->train[k] = sw_sim_train_time(cfg, &s, NULL, NULL);
        if (g->n[j] > 1)
            g->pay_serial[k] = (1 / g->payload[k] - 1) / (g->n[j] - 1);
        if (g->n[j] > 1 && g->n[j] != b.n) {
            sw_amdahl a;
            if ((st = sw_amdahl_point(g->n[j], S, &a, err)))
                return st;
            g->serial[k] = a.serial;
        }
    }
    return SW_OK;
}

/* The fewest stages (1, 2, 4, ... up to the layers) on which one replica
 * of the network fits in memory: what memory forces on a deeper network.
 * When none fits, the most stages tried (the row's cells then show it). */
static long fit_stages(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg)
{
    sw_sim_config c = *cfg;
    long pp = 1, last = 1;
    for (; (size_t)pp <= net->nlayers; pp *= 2) {
        c.stages = pp;
        last = pp;
        sw_sim_memory m;
        double n = (double)(c.tp * c.cp * pp);
        if (sw_sim_memory_run(net, plat, &c, n, &m, NULL) == SW_OK && m.fits)
            return pp;
    }
    return last;
}

void sw_depth_claim_at(const sw_depth_grid *g, size_t j, sw_depth_claim *out)
{
    memset(out, 0, sizeof *out);
    out->n = g->n[j];
    out->holds = -1;
    long lo = -1, hi = -1;
    for (size_t d = 0; d < g->nd; d++) {
        if (!isfinite(g->pay_serial[d * g->nn + j]))
            continue;
        if (lo < 0)
            lo = (long)d;
        hi = (long)d;
    }
    out->d_lo = out->d_hi = out->serial_lo = out->serial_hi = out->sync_lo = out->sync_hi = NAN;
    if (lo < 0)
        return;
    size_t a = (size_t)lo * g->nn + j, b = (size_t)hi * g->nn + j;
    out->d_lo = g->depth[lo];
    out->d_hi = g->depth[hi];
    out->serial_lo = g->pay_serial[a];
    out->serial_hi = g->pay_serial[b];
    out->sync_lo = g->sync[a];
    out->sync_hi = g->sync[b];
    if (hi > lo)
        out->holds = out->serial_lo > 0 ? out->serial_hi > 1.05 * out->serial_lo
                                         : out->serial_hi > 0;
}

static void answers(sw_depth_grid *g)
{
    double top_n = g->n[0], top_d = g->depth[0];
    for (size_t j = 1; j < g->nn; j++)
        top_n = fmax(top_n, g->n[j]);
    for (size_t d = 1; d < g->nd; d++)
        top_d = fmax(top_d, g->depth[d]);
    for (size_t d = 0; d < g->nd; d++) {
        g->largest_n[d] = NAN;
        for (size_t j = 0; j < g->nn; j++)
            if (g->eff[d * g->nn + j] >= g->target &&
                (isnan(g->largest_n[d]) || g->n[j] > g->largest_n[d]))
                g->largest_n[d] = g->n[j];
    }
    for (size_t j = 0; j < g->nn; j++) {
        g->deepest[j] = NAN;
        for (size_t d = 0; d < g->nd; d++)
            if (g->eff[d * g->nn + j] >= g->target &&
                (isnan(g->deepest[j]) || g->depth[d] > g->deepest[j]))
                g->deepest[j] = g->depth[d];
    }
    /* passing at the grid's edge says nothing about what lies past it */
    for (size_t d = 0; d < g->nd; d++)
        g->largest_n_at_least[d] = g->largest_n[d] == top_n;
    for (size_t j = 0; j < g->nn; j++)
        g->deepest_at_least[j] = g->deepest[j] == top_d;
}

sw_status sw_depth_run(const sw_net *block, const sw_platform *plat, const sw_sim_config *cfg,
                       long layers_per_stage, const double *depth, size_t nd, const double *n,
                       size_t nn, double target, sw_depth_grid *out, sw_error *err)
{
    if (layers_per_stage < 0 && layers_per_stage != SW_DEPTH_FIT_STAGES)
        return sw_error_set(err, SW_EDOM, "layers per stage %ld must be >= 0", layers_per_stage);
    if (nd == 0 || nn == 0)
        return sw_error_set(err, SW_EINVAL, "the grid needs at least one depth and one N");
    if (!(target > 0 && target <= 1))
        return sw_error_set(err, SW_EDOM, "target efficiency %g must be in (0, 1]", target);
    for (size_t j = 0; j < nn; j++)
        if (!(n[j] >= 1) || n[j] != floor(n[j]) || !isfinite(n[j]))
            return sw_error_set(err, SW_EDOM, "N = %g: must be a whole number >= 1", n[j]);
    sw_status st = grid_alloc(out, nd, nn, err);
    if (st)
        return st;
    memcpy(out->depth, depth, nd * sizeof *depth);
    memcpy(out->n, n, nn * sizeof *n);
    out->target = target;
    for (size_t d = 0; d < nd && !st; d++) {
        sw_net net;
        if (depth[d] != floor(depth[d]) || !(depth[d] >= 1)) {
            st = sw_error_set(err, SW_EDOM, "depth %g must be a whole number >= 1", depth[d]);
            break;
        }
        if ((st = sw_net_repeat(block, (long)depth[d], &net, err)))
            break;
        sw_sim_config row = *cfg;
        if (layers_per_stage > 0)
            row.stages = ((long)depth[d] + layers_per_stage - 1) / layers_per_stage;
        else if (layers_per_stage == SW_DEPTH_FIT_STAGES)
            row.stages = fit_stages(&net, plat, &row);
        out->stages[d] = (double)row.stages;
        out->tp = (double)row.tp;
        st = run_row(&net, plat, &row, out, d, err);
        sw_net_free(&net);
    }
    if (st) {
        sw_depth_free(out);
        return st;
    }
    answers(out);
    return SW_OK;
}
