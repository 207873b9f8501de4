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
 * (each link gives beta_s_per_byte or bandwidth_bytes_per_s). */
#ifndef SCALEWALL_PLATFORM_H
#define SCALEWALL_PLATFORM_H

#include <stddef.h>

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
} sw_platform;

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
 * Missing ops fall back to pingpong; a file without pingpong is an error. */
sw_status sw_platform_calibrate(sw_platform *p, const char *name, const char *buf, size_t len,
                                sw_coll_alg alg, sw_error *err);
sw_status sw_platform_calibrate_file(sw_platform *p, const char *path, sw_coll_alg alg,
                                     sw_error *err);

/* Positive FLOP/s, memory bandwidth, beta; finite alpha, gamma >= 0. */
sw_status sw_platform_validate(const sw_platform *p, sw_error *err);

/* The sustained FLOP/s at a precision: half when bytes_per_elem < 4. */
double sw_platform_flops(const sw_platform *p, double bytes_per_elem);

#ifdef __cplusplus
}
#endif
#endif
