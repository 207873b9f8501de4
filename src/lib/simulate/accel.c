/* accel.c — the accelerator table.  Every number is a datasheet figure
 * (dense, no sparsity); docs/simulate.md cites each datasheet and says
 * which variant of a part the row is. */
#include <string.h>

#include "scalewall/accel.h"

#define GB 1e9
#define TF 1e12

const sw_accel sw_accels[] = {
    /* A100 SXM4 (NVIDIA A100 Tensor Core GPU datasheet, 2021): FP32 19.5,
     * TF32 156, FP16/BF16 312 TFLOP/s dense; 40 GB HBM2 1.555 TB/s or
     * 80 GB HBM2e 2.039 TB/s; NVLink 3 600 GB/s (300 per direction); DGX
     * A100: 8 GPUs, one HDR 200 Gb/s NIC per GPU; 108 SMs (NVIDIA A100
     * Tensor Core GPU Architecture whitepaper, 2020). */
    {"a100-40gb", "NVIDIA A100 SXM4 40GB", 19.5 * TF, 156 * TF, 312 * TF, 0, 40 * GB, 1.555e12,
     300 * GB, 8, 25 * GB, 108, "NVIDIA A100 datasheet; DGX A100 user guide"},
    {"a100-80gb", "NVIDIA A100 SXM4 80GB", 19.5 * TF, 156 * TF, 312 * TF, 0, 80 * GB, 2.039e12,
     300 * GB, 8, 25 * GB, 108, "NVIDIA A100 datasheet; DGX A100 user guide"},
    /* H100 SXM5 (NVIDIA H100 Tensor Core GPU datasheet): FP32 67, TF32
     * 494.7, BF16/FP16 989.4, FP8 1978.9 TFLOP/s dense; 80 GB HBM3 3.35
     * TB/s; NVLink 4 900 GB/s (450 per direction); DGX H100: 8 GPUs, one
     * NDR 400 Gb/s NIC per GPU; 132 SMs (NVIDIA H100 Tensor Core GPU
     * Architecture whitepaper, SXM5). */
    {"h100", "NVIDIA H100 SXM5 80GB", 67 * TF, 494.7 * TF, 989.4 * TF, 1978.9 * TF, 80 * GB,
     3.35e12, 450 * GB, 8, 50 * GB, 132, "NVIDIA H100 datasheet; DGX H100 user guide"},
    /* B200 as in DGX B200 (NVIDIA DGX B200 datasheet: 8 GPUs, 72 PF FP8
     * and 36 PF FP16/BF16 training with sparsity, 1,440 GB HBM3e at 64
     * TB/s, NVLink 5 14.4 TB/s in all, 8 x 400 Gb/s ConnectX-7): per GPU
     * dense BF16 2.25 PF, FP8 4.5 PF, TF32 1.1 PF, FP32 75 TF, 180 GB at
     * 8 TB/s, NVLink 1.8 TB/s (900 GB/s per direction); 148 SMs (NVIDIA
     * Blackwell architecture technical brief). */
    {"b200", "NVIDIA B200 (DGX B200, 180GB)", 75 * TF, 1125 * TF, 2250 * TF, 4500 * TF, 180 * GB,
     8e12, 900 * GB, 8, 50 * GB, 148, "NVIDIA DGX B200 datasheet"},
    {NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL}};

const sw_accel *sw_accel_find(const char *name)
{
    for (const sw_accel *a = sw_accels; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    /* Plain part names pick the larger memory variant. */
    if (strcmp(name, "a100") == 0)
        return sw_accel_find("a100-80gb");
    return NULL;
}
