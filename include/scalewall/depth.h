/* depth.h — "how deep can it go": efficiency over depth x N.
 *
 * Végh's argument (docs/model.md) is that each layer is a serial stage: its
 * forward, backward and gradient exchange cannot all shrink with N, so the
 * non-parallel share grows with depth.  sw_depth_run simulates the step of
 * a network made of `depth` copies of one block (an MLP layer, a
 * transformer block, or any layer list) for every (depth, N) of a grid and
 * answers both questions:
 *   largest_n[d]  the largest N of the grid with E >= target at depth d;
 *   deepest[j]    the deepest depth of the grid with E >= target at n[j].
 * Either answer reached at the grid's edge (the deepest depth or the largest
 * N of the grid qualifies) is a lower bound: the *_at_least flags say so,
 * and the outputs print it as ">= 16", not as the limit. 
 * With layers_per_stage = K > 0, a network of depth d is pipelined over
 * ceil(d / K) stages (a unit holds at most K blocks, e.g. for memory), so
 * depth buys pipeline bubbles; with K = SW_DEPTH_FIT_STAGES, over the
 * fewest stages (1, 2, 4, ...) on which one replica fits in the unit's
 * memory — depth forces a pipeline exactly when memory does; with K = 0,
 * cfg->stages is used throughout.  Each row's efficiency baseline is its
 * own smallest configuration that fits (sw_sim_baseline).  Cells that
 * cannot run (refused by the plan, or not fitting in memory) are NaN and
 * never qualify.
 *
 * The claim itself is tested per N (sw_depth_claim_at) on the payload
 * share of the step, which needs no baseline that fits: e = (compute -
 * recomputation) / step time is the share of each unit's step spent on
 * the model's own work, and 1 - alpha = (1/e - 1)/(N - 1) the Karp-Flatt
 * non-parallel share it implies.  Does it grow from the shallowest to the
 * deepest network that runs?  Alongside, the per-layer synchronisation
 * cost: the communication on the step's critical path per layer (all of
 * it, and the tensor/context-parallel part). */
#ifndef SCALEWALL_DEPTH_H
#define SCALEWALL_DEPTH_H

#include <stddef.h>

#include "scalewall/error.h"
#include "scalewall/netdesc.h"
#include "scalewall/platform.h"
#include "scalewall/simulate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_depth_grid {
    size_t nd, nn;
    double *depth;      /* nd */
    double *n;          /* nn */
    double *time;       /* nd x nn, row-major by depth: step time, NaN if infeasible */
    double *eff;        /* nd x nn */
    double *serial;     /* nd x nn, 1 - alpha_eff */
    double *t1;         /* nd: one-unit step time */
    double target;
    double *stages;     /* nd: pipeline stages used at each depth */
    double *largest_n;  /* nd, NaN when no N qualifies */
    double *deepest;    /* nn, NaN when no depth qualifies */
    int *largest_n_at_least; /* nd: 1 when largest_n[d] is the grid's largest N */
    int *deepest_at_least;   /* nn: 1 when deepest[j] is the grid's deepest depth */
    double *sync;       /* nd x nn: critical-path communication per layer per step (s) */
    double *tp_sync;    /* nd x nn: its tensor/context-parallel part */
    double *payload;    /* nd x nn: (compute - recomputation) / step time */
    double *pay_serial; /* nd x nn: 1 - alpha of the payload share, NaN at N = 1 */
    double *train;      /* nd x nn: time to train (s), NaN without cfg->converge */
    double tp;          /* the tensor parallelism of the grid */
} sw_depth_grid;

#define SW_DEPTH_FIT_STAGES (-1L)

/* Végh's claim at one N: the payload 1 - alpha at the shallowest and the
 * deepest network that runs there.  holds = 1 when it grows by more than 5%
 * (1 - alpha_deep > 1.05 x 1 - alpha_shallow), 0 when it does not
 * (flat within 5% or falling), -1 when fewer than two depths run. */
typedef struct sw_depth_claim {
    double n;
    double d_lo, d_hi;
    double serial_lo, serial_hi;
    double sync_lo, sync_hi; /* per-layer synchronisation there */
    int holds;
} sw_depth_claim;

void sw_depth_claim_at(const sw_depth_grid *g, size_t j, sw_depth_claim *out);

/* depth and n are copied; every depth must be a whole number >= 1;
 * layers_per_stage > 0, 0 or SW_DEPTH_FIT_STAGES (above). */
sw_status sw_depth_run(const sw_net *block, const sw_platform *plat, const sw_sim_config *cfg,
                       long layers_per_stage, const double *depth, size_t nd, const double *n,
                       size_t nn, double target, sw_depth_grid *out, sw_error *err);
void sw_depth_free(sw_depth_grid *g);

/* A network of `depth` copies of block's layers (names suffixed .k). */
sw_status sw_net_repeat(const sw_net *block, long depth, sw_net *out, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
