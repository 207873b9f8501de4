/* simulate.h — one distributed training step from first principles.
 *
 * The time-aware model of docs/model.md made executable: every operation
 * (a layer's forward or backward on one micro-batch, an activation sent to
 * the next pipeline stage, a gradient bucket's allreduce) costs its own
 * time, starts only when its inputs exist, and — on a fixed time grid —
 * only on a grid tick.  N = dp x pp units: pp pipeline stages (GPipe
 * schedule: all forwards, then all backwards, over m micro-batches) times
 * dp data-parallel replicas whose gradients are allreduced per bucket,
 * overlapped with the backward pass or after it.
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

#include "scalewall/collectives.h"
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

/* The update after the gradient exchange: memory passes over every
 * parameter of a unit (SGD 3, Adam 7), replicated on every replica. */
typedef enum sw_optimizer { SW_OPT_NONE = 0, SW_OPT_SGD, SW_OPT_ADAM } sw_optimizer;

typedef struct sw_sim_config {
    double batch;          /* strong: global mini-batch; weak: per replica (samples) */
    sw_scaling scaling;
    sw_coll_alg allreduce; /* ring, rd, rabenseifner or tree */
    int hierarchical;      /* two-level allreduce when a group spans nodes */
    double bucket_bytes;   /* gradient bucket size; 0 = one bucket per layer */
    int overlap;           /* allreduce buckets during the backward pass */
    long stages;           /* pipeline stages (1 = no pipeline) */
    long micro;            /* micro-batches per step */
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
} sw_sim_config;

/* batch 256, strong, ring, hierarchical, per-layer buckets, overlap on,
 * no pipeline, 1 micro-batch, no jitter, no grid, no compression, SGD. */
void sw_sim_config_default(sw_sim_config *c);

typedef struct sw_sim_step {
    double n, dp, pp, micro;
    double micro_batch;   /* samples per micro-batch per replica */
    double time;          /* seconds per step */
    double compute_s, comm_s, bubble_s, wait_s, grid_s;
    double compress_s;    /* compression work inside comm (may be hidden) */
    double update_s;      /* optimizer step inside compute */
    double straggle;      /* M(N), 1 without jitter */
    double wire_bytes;    /* gradient bytes each replica sends into allreduces */
} sw_sim_step;

/* Simulates one step on n units.  Errors (one line each): n < 1 or not a
 * multiple of stages, more stages than layers, a micro-batch below one
 * sample, invalid network or platform numbers, bad options. */
sw_status sw_sim_step_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                          double n, sw_sim_step *out, sw_error *err);

typedef struct sw_sim_point {
    sw_sim_step step;
    double t1;           /* one unit, no pipeline, the whole batch */
    double speedup;      /* strong: T1/TN; weak: dp T1/TN */
    double efficiency;   /* S/N */
    double serial;       /* 1 - alpha_eff (Karp-Flatt), NaN at N = 1 */
} sw_sim_point;

/* One point per n (out has nn entries). */
sw_status sw_sim_sweep(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                       const double *n, size_t nn, sw_sim_point *out, sw_error *err);

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
