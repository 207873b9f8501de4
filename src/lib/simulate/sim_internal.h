/* sim_internal.h — what the step simulator's files share: the resolved
 * plan and placement (parallel.c), per-layer costs (simulate.c), the
 * schedule and its event timeline (schedule.c), the collective choice
 * (collchoice.c), memory (memory.c) and the trace (trace.c). */
#ifndef SW_SIM_INTERNAL_H
#define SW_SIM_INTERNAL_H

#include <stdio.h>

#include "scalewall/simulate.h"

/* A communicator as placed on the machine: `size` ranks, `local` of them
 * per node on `nodes` nodes. */
typedef struct sim_group {
    double size, nodes, local;
} sim_group;

/* Where the groups fall (parallel.c). */
typedef struct sim_place {
    sim_group tp, cp, dp;      /* dp: the gradient group, dp x cp ranks */
    double pp_stride;          /* ranks between adjacent pipeline stages */
} sim_place;

/* Per layer and micro-batch, on one unit (simulate.c). */
typedef struct sim_cost {
    double tf, tb, tr;     /* compute: forward, backward, recomputation in the backward */
    double cf, cb, cr;     /* inline tensor/context-parallel collectives of each */
    double stash;          /* activation bytes kept per micro-batch */
    double stash_full;     /* all activations of one micro-batch while it is recomputed */
    double psi;            /* parameters on this unit (elements) */
    double gather;         /* ZeRO-3: allgather of its parameters */
    double bn;             /* synchronised batch norm's exchanges, in cf and again in cb */
} sim_cost;

typedef struct sim_bucket {
    size_t first;          /* lowest layer: its backward makes the bucket ready */
    double dur;            /* compression + collective (allreduce or reduce-scatter) */
    double ag;             /* ZeRO-1/2: allgather of the updated parameters */
} sim_bucket;

/* Trace sink: one call per event (schedule.c emits, trace.c writes). */
typedef enum sim_stream {
    SIM_COMPUTE = 0, SIM_TP, SIM_SEND, SIM_DP, SIM_IDLE, SIM_NSTREAMS
} sim_stream;
typedef enum sim_part { SIM_PART_COMPUTE = 0, SIM_PART_COMM, SIM_PART_BUBBLE } sim_part;
typedef struct sim_sink {
    void (*event)(void *arg, long stage, sim_stream stream, sim_part part, const char *name,
                  double start, double dur);
    void *arg;
} sim_sink;

/* Everything one step needs. */
typedef struct sim_ctx {
    const sw_net *net;
    const sw_platform *plat;
    const sw_sim_config *c;
    sw_sim_plan plan;
    sim_place place;
    size_t nl;
    long pp, v, m, V;      /* stages, chunks per stage, micro-batches, virtual stages pp x v */
    sim_cost *cost;        /* nl */
    size_t *lo, *hi;       /* V: layers [lo, hi) of each virtual stage */
    double *send_f, *send_b; /* V: after the forward / backward of each virtual stage */
    sim_bucket *bk;        /* buckets, grouped per virtual stage */
    size_t *b0, *nb;       /* V: buckets [b0, b0 + nb) of each virtual stage */
    size_t nbk;
    long *bk_at;           /* nl: the bucket whose lowest layer is l, or -1 */
    double *update;        /* pp: optimizer step of each stage */
    double compress_s, wire_bytes;
    /* timeline scratch */
    double *fdone, *bdone; /* V x m */
    /* results of the last timeline per stage (pp each) */
    double *st_compute, *st_inline, *st_tp, *st_send, *st_bubble, *st_dpwait, *st_end,
        *st_recompute, *st_dp;
} sim_ctx;

/* parallel.c */
sw_status sim_plan(const sw_net *net, const sw_platform *p, const sw_sim_config *c, double n,
                   sw_sim_plan *plan, sim_place *place, sw_error *err);
/* The link of a message between two ranks `stride` apart starting at rank r. */
const sw_link *sim_p2p_link(const sw_platform *p, double r, double stride);

/* collchoice.c: one collective on a placed group, with the launch cost. */
sw_status sim_coll(const sw_platform *p, const sw_sim_config *c, sw_coll_op op,
                   const sim_group *g, double bytes, double *t, sw_error *err);

/* schedule.c */
/* The k-th operation of stage s: forward (1) or backward (0), micro-batch
 * j, chunk ch. */
void sim_sched_op(const sim_ctx *x, long s, long k, int *fwd, long *j, long *ch);
long sim_sched_nops(const sim_ctx *x);
/* The step's timeline: M stretches compute, dt is the grid; fills the
 * per-stage results; sink may be NULL.  Returns the step time. */
double sim_timeline(sim_ctx *x, double M, double dt, const sim_sink *sink);

/* memory.c */
sw_status sim_memory(const sim_ctx *x, sw_sim_memory *out, sw_error *err);
/* ZeRO's K: optimizer-state bytes per parameter (mixed precision: with the
 * fp32 master copy). */
double sim_optimizer_k(sw_optimizer o, double bpe);
/* Bytes the optimizer step reads and writes per parameter. */
double sim_update_bytes(sw_optimizer o, double bpe);

/* simulate.c: the useful share of the waves an m x n GEMM reducing k
 * takes on `sms` multiprocessors (1 when sms is 0). */
double sim_gemm_efficiency(double m, double n, double k, double sms);
/* simulate.c: build and free a step's context (plan, costs, buckets). */
sw_status sim_ctx_init(sim_ctx *x, const sw_net *net, const sw_platform *p,
                       const sw_sim_config *c, double n, sw_error *err);
void sim_ctx_free(sim_ctx *x);
/* The platform the configuration runs on (into *shared, which x points
 * to) and the context; freed again on an error. */
sw_status sim_ctx_open(sim_ctx *x, const sw_net *net, const sw_platform *plat,
                       const sw_sim_config *c, double n, sw_platform *shared, sw_error *err);
/* cfg with SW_MICRO_FIT resolved to the fewest micro-batches that fit. */
sw_status sim_fit_micro(const sw_net *net, const sw_platform *p, const sw_sim_config *cfg,
                        double n, sw_sim_config *out, sw_error *err);
/* The platform a configuration runs on (oversubscription applied). */
void sim_effective_platform(const sw_platform *in, const sw_sim_config *c, double n,
                            sw_platform *out);

#endif
