/* accel.h — accelerator profiles: what a datasheet says about one GPU.
 *
 * Dense peaks (no structured sparsity) per precision, HBM capacity and
 * bandwidth, the NVLink domain a GPU sits in and its bandwidth, and the
 * NIC bandwidth per GPU of the reference server (DGX).  The simulator turns
 * peaks into sustained rates with one documented derating (platform.h), and
 * the MFU calibration of `scalewall simulate` (--mfu/--hfu/--step-time)
 * rescales those; the peaks stay the denominators of MFU.  Sources and the
 * variant chosen for each part: docs/simulate.md. */
#ifndef SCALEWALL_ACCEL_H
#define SCALEWALL_ACCEL_H

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_accel {
    const char *name;  /* "a100-80gb", "h100", ... */
    const char *label; /* "NVIDIA A100 SXM4 80GB" */
    double fp32, tf32, half, fp8; /* dense peak FLOP/s; fp8 0 = none */
    double mem_bytes, mem_bw;     /* HBM capacity (bytes) and peak bandwidth (bytes/s) */
    double nvlink_bw;             /* NVLink bytes/s per GPU and direction */
    double domain;                /* GPUs per NVLink domain in the reference server */
    double nic_bw;                /* network bytes/s per GPU in the reference server */
    double sms;                   /* streaming multiprocessors (wave quantization) */
    const char *source;
} sw_accel;

/* NULL-name-terminated. */
extern const sw_accel sw_accels[];

/* NULL when unknown. */
const sw_accel *sw_accel_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif
