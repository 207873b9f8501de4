/* platform.h — the machine a simulated step runs on.
 *
 * A unit (core, GPU) has a sustained FLOP/s at fp32 and at half precision
 * and a sustained memory bandwidth; units sit `units_per_node` to a node;
 * the network has one α–β link inside a node and one between nodes (β per
 * unit: a NIC shared by k units gives each k/bandwidth), and γ is the local
 * reduction time per byte.  Built-in profiles carry typical published
 * figures (docs/simulate.md names each source); "local" is this machine and
 * is meant to be calibrated from `scalewall measure comm` results:
 *
 *   {"format":"scalewall-hockney","version":1,"host":"...","ranks":2,
 *    "ops":{"pingpong":{"alpha_s":..,"beta_s_per_byte":..,"r2":..},
 *           "allreduce":{"alpha_s":..,"beta_s_per_byte":..},
 *           "barrier":{"alpha_s":..}}}
 *
 * A platform file:
 *   {"format":"scalewall-platform","version":1,"name":"mine",
 *    "units_per_node":8,"flops_fp32":1e13,"flops_half":1.5e14,
 *    "mem_bw":1.6e12,"gamma":1.9e-12,
 *    "intra":{"alpha_s":2e-6,"beta_s_per_byte":4.3e-12},
 *    "inter":{"alpha_s":1.5e-6,"bandwidth_bytes_per_s":2.3e10}}
 * (each link gives beta_s_per_byte or bandwidth_bytes_per_s, and may give its
 * own gamma_s_per_byte, which overrides "gamma").  Optional
 * (0 or absent = unknown, so older files stay valid): "accelerator" (a
 * profile of accel.h: peaks, memory, sustained rates derated as the
 * built-ins are, unless flops_* / mem_bw are given), "memory_bytes",
 * "flops_tf32", "flops_fp8", "peak_flops_fp32|tf32|half|fp8", "launch_s"
 * (per collective), "kernel_s" (per compute kernel) and "contention"
 * (compute slowdown while collectives overlap it).
 *
 * Optional topology (a two-level fat tree of leaf switches; `fit --platform`
 * takes the shape of its communication terms from it):
 *    "leaf_units":32,      units under one leaf switch (default: one switch)
 *    "taper":4,            leaf up-link oversubscription: traffic between
 *                          leaves gets the inter bandwidth / taper (default 1)
 *    "spine_alpha_s":3e-6  latency between leaves (default: the inter alpha)
 *    "mpi_alltoall":"ompi" how the MPI library picks MPI_Alltoall's algorithm
 *                          (`fit --platform`'s all-to-all shape): "ompi" (Open
 *                          MPI 4.1's decision table, SMPI's default), "mpich",
 *                          or one algorithm: "pair", "ring", "bruck", "linear"
 *    "mpi_allreduce":"rdb" how it picks a small MPI_Allreduce's algorithm (`fit
 *                          --platform`'s stencil shape): "rdb" (recursive
 *                          doubling, log2 N steps; what "mpich" and "ompi" pick
 *                          for a few bytes, and the default), "rab_rdb" or
 *                          "redbcast" (2 log2 N steps)
 *    "smpi_network":"default"  the network is SimGrid SMPI's default model:
 *                          its calibrated latency and bandwidth factors by
 *                          message size (smpi/lat-factor, smpi/bw-factor);
 *                          "clean" or absent: plain alpha-beta */
#ifndef SCALEWALL_PLATFORM_H
#define SCALEWALL_PLATFORM_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/collectives.h"
#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_platform {
    char name[64];
    char unit[64];          /* "core", "A100-class GPU", ... */
    double flops_fp32;      /* sustained FLOP/s per unit */
    double flops_half;      /* sustained FLOP/s per unit at fp16/bf16 */
    double mem_bw;          /* sustained bytes/s per unit */
    double units_per_node;  /* units sharing the intra link */
    sw_link intra, inter;   /* gamma is the same in both */
    char calibration[160];  /* what calibrated it, "" when typical values */
    /* Training at scale; 0 = unknown or none. */
    double flops_tf32, flops_fp8; /* sustained; 0 = the unit has no such mode */
    double peak_fp32, peak_tf32, peak_half, peak_fp8; /* dense datasheet peaks (MFU) */
    double mem_bytes;       /* memory per unit; 0 = not checked */
    double launch_s;        /* added to every collective and send (kernel launch, set-up) */
    double kernel_s;        /* fixed time of every compute kernel (launch gap, ramp, tail) */
    double contention;      /* kappa: compute runs 1 + kappa slower under overlapped collectives */
    char accel[32];         /* accelerator profile, "" when none */
    /* topology beyond the node (0 when not given: one switch for every node) */
    double leaf_units;      /* units under one leaf switch, a multiple of units_per_node */
    double taper;           /* >= 1; 0 read as 1 */
    double spine_alpha;     /* s; 0 read as inter.alpha */
    /* Bytes/s the optimizer step streams the model state at; 0 = mem_bw.
     * An accelerator's derated datasheet bandwidth, which the calibration
     * knob (sw_platform_scale) leaves alone: it matches the per-sample
     * work, and the update is per parameter (docs/simulate.md). */
    double state_bw;
    /* Streaming multiprocessors: a GEMM runs in waves of output tiles over
     * them (wave quantization, docs/simulate.md); 0 = not modelled. */
    double sms;
    /* MPI_Alltoall's algorithm choice ("" = ompi, SMPI's and Open MPI's
     * default); see the header comment */
    char mpi_alltoall[16];
    /* a small MPI_Allreduce's algorithm ("" = rdb); see the header comment */
    char mpi_allreduce[16];
    int smpi_factors; /* 1: SMPI's default per-message-size factors apply */
} sw_platform;

/* The arithmetic a GEMM runs at. */
typedef enum sw_precision {
    SW_PREC_AUTO = 0, /* from the bytes per element: fp32 at 4, half below */
    SW_PREC_FP32,
    SW_PREC_TF32,
    SW_PREC_HALF, /* fp16 / bf16 */
    SW_PREC_FP8
} sw_precision;

/* Names of the built-in profiles, NULL-terminated. */
extern const char *const sw_platform_names[];

sw_status sw_platform_builtin(const char *name, sw_platform *p, sw_error *err);
sw_status sw_platform_read_json(const char *name, const char *buf, size_t len, sw_platform *p,
                                sw_error *err);
/* A built-in name or a path to a platform JSON file. */
sw_status sw_platform_from_spec(const char *spec, sw_platform *p, sw_error *err);

/* Applies a scalewall-hockney file measured on one host (the intra link):
 *   pingpong  -> intra alpha and beta;
 *   allreduce -> the collective start-up alpha_ar / c_alpha and
 *                gamma = (beta_ar - c_beta beta) / c_gamma (>= 0), where
 *                c_* are the coefficients of `alg` at the measured ranks;
 *   barrier   -> when allreduce is absent, alpha = alpha_bar / ceil(lg R).
 * Missing ops fall back to pingpong; a file without pingpong is an error.
 * A file measured across nodes has "levels" instead of "ops":
 *   {"levels":{"intra":{"ranks":R,"ops":{...}},"inter":{"ranks":M,"ops":{...}}}}
 * and each level sets its own link, gamma included, by the same rules; a
 * level that is absent keeps the profile's link. */
sw_status sw_platform_calibrate(sw_platform *p, const char *name, const char *buf, size_t len,
                                sw_coll_alg alg, sw_error *err);
sw_status sw_platform_calibrate_file(sw_platform *p, const char *path, sw_coll_alg alg,
                                     sw_error *err);

/* Writes p as a scalewall-platform file that sw_platform_read_json reads
 * back to the same numbers (a calibrated platform, kept for later runs). */
sw_status sw_platform_write_json(const sw_platform *p, FILE *fp, sw_error *err);

/* Positive FLOP/s, memory bandwidth, beta; finite alpha, gamma >= 0;
 * leaf_units 0 or >= units_per_node, taper 0 or >= 1, spine_alpha >= 0. */
sw_status sw_platform_validate(const sw_platform *p, sw_error *err);

/* The sustained FLOP/s at a precision: half when bytes_per_elem < 4. */
double sw_platform_flops(const sw_platform *p, double bytes_per_elem);

/* Sustained and peak FLOP/s of a precision (AUTO resolved with
 * bytes_per_elem); 0 when the unit has no such mode or the peak is unknown. */
double sw_platform_rate(const sw_platform *p, sw_precision prec, double bytes_per_elem);
double sw_platform_peak(const sw_platform *p, sw_precision prec, double bytes_per_elem);
/* The optimizer's bandwidth: state_bw, or mem_bw when not given. */
double sw_platform_state_bw(const sw_platform *p);
const char *sw_precision_name(sw_precision prec, double bytes_per_elem);

/* Sustained = peak x SW_DERATE_FLOPS (FLOP/s) and x SW_DERATE_MEM (memory
 * bandwidth): the one derating of every built-in GPU profile. */
#define SW_DERATE_FLOPS 0.5
#define SW_DERATE_MEM 0.8

/* Puts an accelerator (accel.h, by name) in every unit: peaks, capacity,
 * sustained rates derated as above; the network is left as it is. */
sw_status sw_platform_set_accel(sw_platform *p, const char *accel, sw_error *err);

/* Multiplies every sustained rate (FLOP/s of each precision, memory
 * bandwidth) by k: the one calibration knob. */
void sw_platform_scale(sw_platform *p, double k);

#ifdef __cplusplus
}
#endif
#endif
