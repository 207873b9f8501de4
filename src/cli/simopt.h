/* simopt.h — the options `scalewall simulate` and `scalewall depth` share
 * (network, platform, calibration, batch, parallelism, effects, output),
 * so both commands spell and check them the same way.  Implemented in
 * cmd_simulate.c. */
#ifndef SW_CLI_SIMOPT_H
#define SW_CLI_SIMOPT_H

#include <getopt.h>

#include "scalewall/netdesc.h"
#include "scalewall/platform.h"
#include "scalewall/simulate.h"

typedef struct sim_opts {
    const char *net, *platform, *calibration, *precision, *format, *out;
    double unit_flops, units_per_node, bpe;
    sw_sim_config cfg;
} sim_opts;

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
        {"cores", required_argument, 0, SIMOPT_BASE + 21}

#define SIMOPT_HELP                                                                              \
    "  --platform P       local (default), 100gbe, hdr, ndr, nvlink, or a platform .json\n"     \
    "  --calibration F    scalewall-hockney file from 'scalewall measure comm' (local link)\n"   \
    "  --unit-flops X     sustained FLOP/s per unit (overrides the profile)\n"                   \
    "  --units-per-node L units sharing the intra-node link\n"                                   \
    "  --batch B          mini-batch in samples (strong: global; weak: per replica) [256]\n"     \
    "  --precision P      fp32 (default), fp16 or bf16\n"                                        \
    "  --scaling S        strong (default) or weak\n"                                            \
    "  --allreduce A      ring (default), rd, rabenseifner, tree\n"                              \
    "  --flat             no two-level allreduce across nodes\n"                                 \
    "  --bucket BYTES     gradient bucket size; 0 = one bucket per layer [0]\n"                  \
    "  --overlap on|off   allreduce buckets during the backward pass [on]\n"                     \
    "  --stages P         pipeline stages; N must be a multiple of P [1]\n"                      \
    "  --micro M          micro-batches per step [1]\n"                                          \
    "  --jitter CV        straggler jitter: coefficient of variation of compute [0]\n"           \
    "  --jitter-dist D    lognormal (default) or normal\n"                                       \
    "  --grid DT          operations start on a time grid of DT seconds [0 = off]\n"             \
    "  --compress C       none, fp16, bf16, int8, topk[:FRACTION] (default topk 0.01)\n"         \
    "  --optimizer O      sgd (default), adam or none: update passes over the parameters\n"    \
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

#endif
