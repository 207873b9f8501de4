/* simulate.h — one distributed training step from first principles.
 *
 * The time-aware model of docs/model.md made executable: every operation
 * (a layer's forward or backward on one micro-batch, a tensor-parallel
 * collective inside it, an activation sent to the next pipeline stage, a
 * gradient bucket's collective) costs its own time, starts only when its
 * inputs exist, and — on a fixed time grid — only on a grid tick.
 *
 * N = tp x cp x pp x dp units, laid out as Megatron-LM does (tensor
 * parallelism innermost, inside a node; then context, data, pipeline; or
 * Llama 3's tp, cp, pp, dp): tp ranks split every layer (Megatron's
 * column/row pairs, their allreduces inline in the forward and backward;
 * with sequence parallelism an allgather and a reduce-scatter instead), cp
 * ranks split the sequence (gathering K and V per layer), pp stages run a
 * GPipe, 1F1B or interleaved-1F1B schedule over m micro-batches, and dp
 * replicas exchange gradients per bucket (allreduce, or ZeRO's
 * reduce-scatter and allgather with stages 1-3), overlapped with the
 * backward pass or after it.  Activation recomputation (selective or
 * full) trades memory for a second forward.  Every configuration is
 * checked for memory (sw_sim_memory) before it is simulated.
 *
 * Effects the usual models leave out:
 *   stragglers  every unit's compute is stretched by a random factor of
 *               mean 1 and coefficient of variation cv; a step waits for
 *               the slowest of the N units, so compute is stretched by
 *               M(N) = E[max of N factors] (quadrature, no sampling);
 *   time grid   every operation starts on the next multiple of dt;
 *   compression gradients cast to fp16/bf16, quantised to 8 bits, or
 *               top-k sparsified: fewer wire bytes, extra memory passes.
 *
 * The step time is split so the parts add up exactly:
 *   compute_s  payload FLOPs of an average unit (forward + backward) and
 *              its optimizer step;
 *   comm_s     exposed communication: activations between stages and the
 *              part of the allreduce (with compression) not hidden;
 *   bubble_s   idle time with free gradients (pipeline fill/drain, stage
 *              imbalance);
 *   wait_s     added by stragglers;
 *   grid_s     added by the time grid.
 * Every formula is in docs/simulate.md. */
#ifndef SCALEWALL_SIMULATE_H
#define SCALEWALL_SIMULATE_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/collectives.h"
#include "scalewall/converge.h"
#include "scalewall/error.h"
#include "scalewall/netdesc.h"
#include "scalewall/obs.h"
#include "scalewall/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sw_compress {
    SW_COMPRESS_NONE = 0,
    SW_COMPRESS_FP16,
    SW_COMPRESS_BF16,
    SW_COMPRESS_INT8,
    SW_COMPRESS_TOPK
} sw_compress;

typedef enum sw_jitter { SW_JITTER_LOGNORMAL = 0, SW_JITTER_NORMAL } sw_jitter;

#define SW_MICRO_FIT 0L

/* The update after the gradient exchange: memory-bound, the bytes each
 * parameter's state moves (SGD 12, Adam 28, LAMB 48, LARS 26 with mixed
 * precision; docs/simulate.md), on every replica unless ZeRO shards it.
 * LAMB is Adam with a per-layer trust ratio, LARS momentum SGD with one
 * (You et al. 2019, 2017): each adds a pass for the norms. */
typedef enum sw_optimizer {
    SW_OPT_NONE = 0,
    SW_OPT_SGD,
    SW_OPT_ADAM,
    SW_OPT_LAMB,
    SW_OPT_LARS
} sw_optimizer;

/* Pipeline schedules (Narayanan et al. 2021): GPipe (all forwards, then
 * all backwards), 1F1B (PipeDream-Flush: at most pp micro-batches in
 * flight, same bubble), interleaved 1F1B (each stage holds `chunks` model
 * chunks: bubble divided by chunks, chunks x the sends). */
typedef enum sw_schedule { SW_SCHED_GPIPE = 0, SW_SCHED_1F1B, SW_SCHED_INTERLEAVED } sw_schedule;

/* Activation recomputation (Korthikanti et al. 2022): selective redoes
 * the attention core, full redoes each layer's forward in its backward. */
typedef enum sw_recompute {
    SW_RECOMPUTE_NONE = 0,
    SW_RECOMPUTE_SELECTIVE,
    SW_RECOMPUTE_FULL
} sw_recompute;

/* Rank order, innermost first. */
typedef enum sw_order {
    SW_ORDER_TP_CP_DP_PP = 0, /* Megatron-LM's default */
    SW_ORDER_TP_CP_PP_DP      /* Llama 3's */
} sw_order;

typedef struct sw_sim_config {
    double batch;          /* strong: global mini-batch; weak: per replica (samples) */
    sw_scaling scaling;
    sw_coll_alg allreduce; /* ring, rd, rabenseifner or tree */
    int hierarchical;      /* two-level allreduce when a group spans nodes */
    double bucket_bytes;   /* gradient bucket size; 0 = one bucket per layer */
    int overlap;           /* allreduce buckets during the backward pass */
    long stages;           /* pipeline stages (1 = no pipeline) */
    long micro;            /* micro-batches per step; SW_MICRO_FIT: the fewest (1, 2, 4, ...)
                            * whose activations fit in memory (gradient accumulation) */
    double jitter_cv;      /* 0 = no stragglers */
    sw_jitter jitter;
    double grid_dt;        /* 0 = continuous time */
    sw_compress compress;
    double topk_frac;      /* kept fraction for top-k */
    sw_optimizer optimizer;
    double cores;          /* host cores the units share; 0 = a core (or device) each.
                            * n > cores time-slices them: compute and memory traffic
                            * run n/cores times slower (an oversubscribed test box) */
    const char *precision; /* the name recorded in the series ("bf16"); NULL: named from
                            * the network's bytes per element (fp16 and bf16 are both 2) */
    long tp;               /* tensor-parallel ranks per layer (1 = none) */
    long cp;               /* context-parallel ranks per sequence (1 = none) */
    int sp;                /* sequence parallelism inside the tp group */
    sw_schedule schedule;
    long chunks;           /* model chunks per stage (interleaved: >= 2) */
    double micro_batch;    /* samples per micro-batch; 0 = the replica's share / micro */
    int zero;              /* ZeRO stage 0-3 (optimizer, + gradients, + parameters) */
    sw_recompute recompute;
    sw_order order;
    sw_precision arith;    /* GEMM arithmetic; AUTO = from the bytes per element */
    sw_converge converge;  /* steps to converge against the global batch (converge.h);
                            * s_min = 0: no time to train */
    long bn_group;         /* synchronised batch norm over groups of this many data-parallel
                            * ranks (1 = local statistics): per BN layer an allreduce of 2
                            * fp32 per channel in the forward and another in the backward */
    double eval_samples;   /* evaluation pass: a forward over this many samples ... */
    double eval_every;     /* ... every this many training samples (0 = none); time to
                            * train counts them */
} sw_sim_config;

/* batch 256, strong, automatic collective choice, hierarchical, per-layer
 * buckets, overlap on, no pipeline, 1 micro-batch, no jitter, no grid, no
 * compression, SGD, tp = cp = 1, 1F1B, no ZeRO, no recomputation,
 * Megatron's order. */
void sw_sim_config_default(sw_sim_config *c);

/* The degrees of parallelism of a configuration on n units. */
typedef struct sw_sim_plan {
    double n, tp, cp, pp, dp, chunks;
    double micro;       /* micro-batches per step per replica (m) */
    double micro_batch; /* samples per micro-batch */
    double replica;     /* samples per replica per step */
} sw_sim_plan;

/* Checks a configuration on n units and resolves its degrees.  One error
 * line with the numbers: n not a multiple of tp x cp x pp, tp larger than
 * a node or not dividing the heads, pp x chunks larger than the layers,
 * context parallelism without a sequence, a batch smaller than dp x the
 * micro-batch, an interleaved schedule whose micro-batches are not a
 * multiple of pp, ... */
sw_status sw_sim_plan_make(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_sim_plan *out, sw_error *err);

/* Bytes per unit, at the stage that needs most (ZeRO, Rajbhandari et al.
 * 2020: mixed-precision Adam holds 2 + 2 + 12 bytes per parameter; stage 1
 * divides the 12 by the data-parallel degree, stage 2 also the gradients'
 * 2, stage 3 also the parameters' 2). */
typedef struct sw_sim_memory {
    double params, grads, optim; /* model states */
    double acts;                 /* activations at the schedule's peak */
    double buffers;              /* ZeRO-3's gathered layers, the layer being recomputed */
    double total;
    double capacity;             /* the unit's memory; 0 = unknown (not checked) */
    double inflight;             /* micro-batches whose activations are live at the peak */
    double stage;                /* the stage (0-based) the numbers are for */
    double psi;                  /* parameters held by that stage's model shard */
    double k;                    /* optimizer bytes per parameter (ZeRO's K) */
    int fits;                    /* total <= capacity (1 when the capacity is unknown) */
} sw_sim_memory;

sw_status sw_sim_memory_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                            double n, sw_sim_memory *out, sw_error *err);

typedef struct sw_sim_step {
    double n, dp, pp, micro;
    double micro_batch;   /* samples per micro-batch per replica */
    double tp, cp, chunks;
    double time;          /* seconds per step */
    double compute_s, comm_s, bubble_s, wait_s, grid_s;
    double compress_s;    /* compression work inside comm (may be hidden) */
    double update_s;      /* optimizer step inside compute */
    double straggle;      /* M(N), 1 without jitter */
    double wire_bytes;    /* gradient bytes each replica sends into allreduces */
    double tp_s;          /* tensor- and context-parallel collectives per unit (inside comm_s) */
    double send_s;        /* pipeline sends per unit (inside comm_s) */
    double dp_s;          /* data-parallel collectives issued per unit (hidden or not) */
    double recompute_s;   /* recomputation inside compute_s */
    double model_flops;   /* per step, all units: forward + backward, no recomputation */
    double hw_flops;      /* the same with recomputation */
    double mfu, hfu;      /* model / hardware FLOP/s per unit over the peak; NaN if unknown */
    double bn_s;          /* synchronised batch norm's exchanges per unit (inside tp_s) */
    double eval_s;        /* one evaluation pass (0 without cfg->eval_every) */
    sw_sim_memory mem;
} sw_sim_step;

/* Simulates one step on n units.  Errors (one line each, with the
 * numbers): sw_sim_plan_make's, a configuration that does not fit in the
 * unit's memory, a micro-batch below one sample, invalid network or
 * platform numbers, bad options. */
sw_status sw_sim_step_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                          double n, sw_sim_step *out, sw_error *err);

typedef struct sw_sim_point {
    sw_sim_step step;
    double t_base;       /* step time of the baseline configuration */
    double n_base;       /* its units: tp x cp x pp x the smallest dp that fits */
    double speedup;      /* strong: N0 T0/TN; weak: (dp/dp0) N0 T0/TN */
    double efficiency;   /* S/N */
    double serial;       /* 1 - alpha_eff (Karp-Flatt), NaN at N = N0 */
    double global_batch; /* samples per step over all replicas */
    double steps;        /* steps to converge at that batch, NaN without cfg->converge */
    double evals;        /* evaluation passes on the way: steps x batch / eval_every */
    double train_s;      /* time to train: steps x step time + evals x eval pass */
} sw_sim_point;

/* Time to train of a simulated step at its global batch: S(B) steps plus
 * the evaluation passes their S(B) x B samples make (MLPerf counts them);
 * NaN without cfg->converge.  *steps and *evals may be NULL. */
double sw_sim_train_time(const sw_sim_config *cfg, const sw_sim_step *s, double *steps,
                         double *evals);

/* Reads MLPerf-style reference convergence points — a CSV with columns
 * batch and samples_to_converge (and optionally benchmark, whose rows are
 * kept when `benchmark` is not NULL) — and fits S(B) = S_min (1 +
 * B_noise/B) to steps = samples/batch (sw_converge_fit).  '#' lines are
 * comments.  One error line names the file, row and problem. */
sw_status sw_sim_converge_read(const char *path, const char *benchmark, sw_converge *out,
                               size_t *rows, sw_error *err);

/* A --converge value: "S_MIN:B_NOISE" (SW_EINVAL unless S_MIN > 0 and
 * B_NOISE >= 0), or "FILE[:BENCHMARK]" read by sw_sim_converge_read. */
sw_status sw_sim_converge_spec(const char *spec, sw_converge *out, sw_error *err);

/* The efficiency baseline: the same configuration on the fewest units that
 * fit in memory (one replica, or the fewest ZeRO-sharded replicas), and its
 * step.  Strong scaling keeps the global batch, weak the replica's. */
sw_status sw_sim_baseline(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                          double nmax, sw_sim_step *out, sw_error *err);

/* One point per n (out has nn entries), each against sw_sim_baseline. */
sw_status sw_sim_sweep(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                       const double *n, size_t nn, sw_sim_point *out, sw_error *err);

/* The one calibration knob: the factor k on every sustained rate
 * (sw_platform_scale) that makes the step on n units reach a target
 * model-FLOP utilisation (SW_CAL_MFU), hardware-FLOP utilisation
 * (SW_CAL_HFU, recomputation counted), step time (SW_CAL_STEP) or time
 * to train (SW_CAL_TRAIN: sw_sim_train_time, needs cfg->converge). */
typedef enum sw_cal_kind { SW_CAL_MFU = 0, SW_CAL_HFU, SW_CAL_STEP, SW_CAL_TRAIN } sw_cal_kind;
sw_status sw_sim_calibrate(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_cal_kind kind, double target, double *k, sw_error *err);

/* Writes one simulated step on n units as a Chrome trace-event JSON file
 * (the format chrome://tracing and Perfetto UI open): a process per
 * pipeline stage, a thread per stream (compute, tensor/context-parallel
 * collectives, pipeline sends, data-parallel collectives, idle time), one
 * complete ("X") event per operation.  Each event's category is the part
 * of the step it counts towards (compute, comm, bubble, wait, grid); the
 * categories' durations summed over stages and divided by pp equal the
 * step's breakdown (docs/simulate.md). */
sw_status sw_sim_trace_write(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                             double n, FILE *fp, sw_error *err);

/* The configurations practitioners choose by hand: every tp x cp x pp x dp
 * factorisation of n (tp within a node and dividing the heads, cp only
 * when asked for), micro-batch sizes, 1F1B or interleaved schedules,
 * recomputation and ZeRO stages, those that fit in memory simulated and
 * sorted by step time.  `base` fixes the rest (batch, precision, overlap,
 * optimizer, ...). */
typedef struct sw_sim_choice {
    sw_sim_config cfg;
    sw_sim_step step;
} sw_sim_choice;

typedef struct sw_sim_search_opts {
    long max_cp;          /* largest context-parallel degree to try (1 = none) */
    long max_chunks;      /* largest interleaving to try */
    double max_micro_batch;
    size_t keep;          /* how many of the fastest to return */
} sw_sim_search_opts;

void sw_sim_search_opts_default(sw_sim_search_opts *o);

/* out has o->keep entries; *nout the number filled; *tried and *fitting
 * count the configurations looked at and those that fit. */
sw_status sw_sim_search(const sw_net *net, const sw_platform *plat, const sw_sim_config *base,
                        double n, const sw_sim_search_opts *o, sw_sim_choice *out, size_t *nout,
                        size_t *tried, size_t *fitting, sw_error *err);

const char *sw_schedule_name(sw_schedule s);
int sw_schedule_parse(const char *name);   /* -1 when unknown */
const char *sw_recompute_name(sw_recompute r);
int sw_recompute_parse(const char *name);  /* -1 when unknown */

/* M(N) = E[max of n factors], each of mean 1 and coefficient of variation
 * cv: lognormal exp(mu + sigma Z) with sigma^2 = ln(1 + cv^2), mu = -sigma^2/2,
 * or normal 1 + cv Z.  By quadrature of E[g(Z_max)] = ∫ g(z) n φ(z) Φ(z)^(n-1) dz.
 * Returns NaN for n < 1 or cv < 0. */
double sw_sim_expected_max(sw_jitter dist, double cv, double n);

/* Names for options and output. */
const char *sw_compress_name(sw_compress c);
const char *sw_optimizer_name(sw_optimizer o);
int sw_optimizer_parse(const char *name); /* -1 when unknown */
int sw_compress_parse(const char *name); /* -1 when unknown */

/* The sweep as an observation series (simulated = 1, quantity time, unit
 * "s", one point per N, rep 0) with extras compute_s, comm_s, bubble_s,
 * wait_s, grid_s, compress_s, straggle, speedup, efficiency, serial, dp, pp
 * and the configuration in params and metadata. */
sw_status sw_sim_to_obs(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                        const sw_sim_point *pts, size_t npts, sw_obs **out, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
