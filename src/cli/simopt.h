/* simopt.h — the options `scalewall simulate` and `scalewall depth` share
 * (network, platform, accelerator, calibration, batch, parallelism,
 * memory, effects, output), so both commands spell and check them the
 * same way.  Implemented in simopt.c. */
#ifndef SW_CLI_SIMOPT_H
#define SW_CLI_SIMOPT_H

#include <getopt.h>

#include "scalewall/netdesc.h"
#include "scalewall/io.h"
#include "scalewall/platform.h"
#include "scalewall/simulate.h"

typedef struct sim_opts {
    const char *net, *platform, *calibration, *precision, *format, *out, *accel, *save_platform;
    double unit_flops, units_per_node, bpe;
    double memory_gb, launch_s, kernel_s, contention; /* NaN = the platform's */
    sw_sim_config cfg;
    /* The one calibration knob: a target utilisation or step time at
     * cal_n units (0 = the first N of the command). */
    int cal_kind;  /* -1 none, else sw_cal_kind; SIMOPT_CAL_TRAIN: time to train */
    double cal_target, cal_n;
    const char *converge; /* as given, for the header */
} sim_opts;

#define SIMOPT_CAL_TRAIN SW_CAL_TRAIN

/* Long options of the shared set; codes start at SIMOPT_BASE. */
#define SIMOPT_BASE 1000
#define SIMOPT_LONG_OPTIONS                                                                      \
    {"net", required_argument, 0, SIMOPT_BASE + 0},                                              \
        {"platform", required_argument, 0, SIMOPT_BASE + 1},                                     \
        {"calibration", required_argument, 0, SIMOPT_BASE + 2},                                  \
        {"unit-flops", required_argument, 0, SIMOPT_BASE + 3},                                   \
        {"units-per-node", required_argument, 0, SIMOPT_BASE + 4},                               \
        {"batch", required_argument, 0, SIMOPT_BASE + 5},                                        \
        {"precision", required_argument, 0, SIMOPT_BASE + 6},                                    \
        {"scaling", required_argument, 0, SIMOPT_BASE + 7},                                      \
        {"allreduce", required_argument, 0, SIMOPT_BASE + 8},                                    \
        {"flat", no_argument, 0, SIMOPT_BASE + 9},                                               \
        {"bucket", required_argument, 0, SIMOPT_BASE + 10},                                      \
        {"overlap", required_argument, 0, SIMOPT_BASE + 11},                                     \
        {"stages", required_argument, 0, SIMOPT_BASE + 12},                                      \
        {"micro", required_argument, 0, SIMOPT_BASE + 13},                                       \
        {"jitter", required_argument, 0, SIMOPT_BASE + 14},                                      \
        {"jitter-dist", required_argument, 0, SIMOPT_BASE + 15},                                 \
        {"grid", required_argument, 0, SIMOPT_BASE + 16},                                        \
        {"compress", required_argument, 0, SIMOPT_BASE + 17},                                    \
        {"format", required_argument, 0, SIMOPT_BASE + 18},                                      \
        {"out", required_argument, 0, SIMOPT_BASE + 19},                                         \
        {"optimizer", required_argument, 0, SIMOPT_BASE + 20},                                   \
        {"cores", required_argument, 0, SIMOPT_BASE + 21},                                       \
        {"tp", required_argument, 0, SIMOPT_BASE + 22},                                          \
        {"cp", required_argument, 0, SIMOPT_BASE + 23},                                          \
        {"sp", no_argument, 0, SIMOPT_BASE + 24},                                                \
        {"pp", required_argument, 0, SIMOPT_BASE + 25},                                          \
        {"schedule", required_argument, 0, SIMOPT_BASE + 26},                                    \
        {"chunks", required_argument, 0, SIMOPT_BASE + 27},                                      \
        {"micro-batch", required_argument, 0, SIMOPT_BASE + 28},                                 \
        {"zero", required_argument, 0, SIMOPT_BASE + 29},                                        \
        {"recompute", required_argument, 0, SIMOPT_BASE + 30},                                   \
        {"order", required_argument, 0, SIMOPT_BASE + 31},                                       \
        {"accel", required_argument, 0, SIMOPT_BASE + 32},                                       \
        {"memory-gb", required_argument, 0, SIMOPT_BASE + 33},                                   \
        {"contention", required_argument, 0, SIMOPT_BASE + 34},                                  \
        {"launch", required_argument, 0, SIMOPT_BASE + 35},                                      \
        {"mfu", required_argument, 0, SIMOPT_BASE + 36},                                         \
        {"hfu", required_argument, 0, SIMOPT_BASE + 37},                                         \
        {"step-time", required_argument, 0, SIMOPT_BASE + 38},                                   \
        {"save-platform", required_argument, 0, SIMOPT_BASE + 39},                               \
        {"converge", required_argument, 0, SIMOPT_BASE + 40},                                    \
        {"train-time", required_argument, 0, SIMOPT_BASE + 41},                                  \
        {"kernel", required_argument, 0, SIMOPT_BASE + 42},                                      \
        {"bn-group", required_argument, 0, SIMOPT_BASE + 43},                                    \
        {"eval", required_argument, 0, SIMOPT_BASE + 44}

#define SIMOPT_HELP                                                                              \
    "  --platform P       local (default), 100gbe, hdr, ndr, nvlink, or a platform .json\n"     \
    "  --calibration F    scalewall-hockney file from 'scalewall measure comm' (local link)\n"   \
    "  --unit-flops X     sustained FLOP/s per unit (overrides the profile)\n"                   \
    "  --units-per-node L units sharing the intra-node link\n"                                   \
    "  --batch B          mini-batch in samples (strong: global; weak: per replica) [256]\n"     \
    "  --precision P      fp32 (default), tf32, fp16, bf16 or fp8 (GEMMs; activations\n"      \
    "                     and weights 2 bytes below fp32)\n"                                    \
    "  --scaling S        strong (default) or weak\n"                                            \
    "  --allreduce A      auto (default: the fastest, as NCCL and MPI choose), ring, rd,\n"   \
    "                     rabenseifner, tree, dbtree\n"                                      \
    "  --flat             no two-level allreduce across nodes\n"                                 \
    "  --bucket BYTES     gradient bucket size; 0 = one bucket per layer [0]\n"                  \
    "  --overlap on|off   allreduce buckets during the backward pass [on]\n"                     \
    "  --pp P, --stages P pipeline stages [1]\n"                                                 \
    "  --tp T             tensor-parallel ranks per layer, inside a node [1]\n"                 \
    "  --sp               sequence parallelism in the tensor-parallel group\n"                  \
    "  --cp C             context-parallel ranks per sequence [1]\n"                            \
    "                     N = tp x cp x pp x dp; ranks ordered tp, cp, dp, pp\n"                \
    "  --order O          tp-cp-dp-pp (Megatron-LM, default) or tp-cp-pp-dp (Llama 3)\n"        \
    "  --schedule S       1f1b (default), gpipe or interleaved\n"                               \
    "  --chunks V         model chunks per stage for the interleaved schedule [1]\n"            \
    "  --micro M          micro-batches per step per replica [1]; 'fit': the fewest that fit\n" \
    "  --micro-batch B    samples per micro-batch (instead of --micro)\n"                       \
    "  --zero Z           ZeRO stage 0 (default) to 3: shard optimizer, gradients, weights\n"  \
    "  --recompute R      none (default), selective or full activation recomputation\n"        \
    "  --accel A          put accelerator A in every unit: a100-40gb, a100-80gb, h100, b200\n" \
    "  --memory-gb G      memory per unit (overrides the accelerator's; 0 = unchecked)\n"     \
    "  --launch S         seconds added to every collective (kernel launch)\n"                 \
    "  --kernel S         seconds every compute kernel takes besides its work\n"              \
    "  --contention K     compute runs 1+K slower under overlapped collectives\n"              \
    "  --mfu X[@N], --hfu X[@N], --step-time T[@N]\n"                                           \
    "                     calibrate: scale every sustained rate so the step at N (default:\n"  \
    "                     the first N) has model (hardware) FLOP utilisation X, or takes T s\n" \
    "  --save-platform F  write the platform as used (calibrated) to F, for --platform F\n"   \
    "  --converge C       steps to converge S(B) = S_min (1 + B_noise/B) for time to train:\n" \
    "                     S_MIN:B_NOISE, or FILE[:BENCHMARK] of reference convergence points\n" \
    "                     (batch, samples_to_converge; data/mlperf/rcp.csv)\n"                \
    "  --train-time T[@N] calibrate on a measured time to train (needs --converge)\n"         \
    "  --eval S@EVERY     time to train counts a forward pass over S samples every EVERY\n"   \
    "                     training samples (MLPerf: ResNet-50 50000@5124668, 4 epochs)\n"     \
    "  --bn-group G       synchronised batch norm over G data-parallel ranks [1]\n"          \
    "  --jitter CV        straggler jitter: coefficient of variation of compute [0]\n"           \
    "  --jitter-dist D    lognormal (default) or normal\n"                                       \
    "  --grid DT          operations start on a time grid of DT seconds [0 = off]\n"             \
    "  --compress C       none, fp16, bf16, int8, topk[:FRACTION] (default topk 0.01)\n"         \
    "  --optimizer O      sgd (default), adam, lamb, lars or none: the update's bytes per\n"  \
    "                     parameter (12, 28, 48, 26 in mixed precision)\n"                     \
    "  --cores C          the units share C host cores (oversubscribed runs: compute\n"      \
    "                     slows by N/C when N > C) [0 = a core each]\n"                      \
    "  --format F         table (default), csv or json\n"                                        \
    "  --out FILE         write there (atomically) instead of stdout\n"

void simopt_init(sim_opts *o);
/* Handles one shared option: 0 when handled, -1 when c is not shared, or
 * a usage exit code. */
int simopt_parse(const char *cmd, int c, const char *arg, sim_opts *o);
/* The platform with calibration and overrides applied. */
sw_status simopt_platform(const sim_opts *o, sw_platform *p, sw_error *err);
/* Opens one of the command's outputs (path: --out, --save-platform, or
 * `other`, e.g. --trace) so that it never replaces a file the simulation
 * reads (the net, platform, accelerator or calibration: a built-in name
 * rather than a file is harmless there) nor another of its outputs. */
sw_status simopt_open(const sim_opts *o, const char *path, const char *other, sw_outfile *out,
                      sw_error *err);
/* simopt_open of --out (stdout without it). */
sw_status simopt_open_out(const sim_opts *o, sw_outfile *out, sw_error *err);

/* Applies --mfu/--hfu/--step-time (if given) on n0 units: scales p's
 * rates and records it in p->calibration. */
sw_status simopt_calibrate(const sim_opts *o, const sw_net *net, sw_platform *p, double n0,
                           sw_error *err);

/* Writes the platform to --save-platform, if given. */
sw_status simopt_save_platform(const sim_opts *o, const sw_platform *p, sw_error *err);

#endif
