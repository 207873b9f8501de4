/* smpi.h — describing simulated platforms for SimGrid's SMPI, and knowing
 * before a run whether it can finish here.
 *
 * scalewall never simulates a network itself for real MPI programs: it writes
 * a SimGrid platform (XML v4.1) and a hostfile, and runs the unmodified
 * workload under smpirun with deterministic settings (docs/virtual.md).  The
 * estimator exists because SMPI runs every rank on one host core and really
 * copies message data: a ring allreduce at 4096 ranks takes tens of minutes
 * and 16 MiB messages at 4096 ranks do not fit in 24 GB (../shared/docs/
 * simgrid.md measured these).  A run that would not fit is refused with the
 * estimate, not attempted. */
#ifndef SCALEWALL_SMPI_H
#define SCALEWALL_SMPI_H

#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sw_smpi_topology { SW_SMPI_FLAT = 0, SW_SMPI_FATTREE = 1 } sw_smpi_topology;

typedef struct sw_smpi_platform {
    char name[64];
    int hosts;               /* simulated nodes */
    int ranks_per_host;      /* ranks placed on each host (share its link) */
    double host_speed;       /* flop/s of one host core */
    double alpha;            /* host-to-host latency, seconds (2 link latencies) */
    double bandwidth;        /* host link bandwidth, bytes/s */
    double loopback_alpha;   /* latency between ranks on one host */
    double loopback_bandwidth;
    sw_smpi_topology topology;
    int fattree_leaf;        /* hosts per leaf switch (fat tree) */
    int fattree_up;          /* uplinks per leaf (1:1 = leaf, less = oversubscribed) */
} sw_smpi_platform;

/* A flat cluster with a non-blocking backbone: the route host i -> j is
 * up-link, backbone, down-link, so each link gets latency alpha/2 and the
 * backbone none. */
sw_status sw_smpi_platform_flat(sw_smpi_platform *p, const char *name, int hosts,
                                int ranks_per_host, double host_speed, double alpha,
                                double bandwidth, sw_error *err);

/* Writes the platform XML; the fat tree uses SimGrid's FAT_TREE cluster
 * ("2;leaf,top;1,up;1,1"), where hosts in different leaves see 4 link
 * latencies: each link then gets alpha/4 so the inter-leaf alpha is kept. */
sw_status sw_smpi_write_platform(const sw_smpi_platform *p, FILE *fp, sw_error *err);
/* One host name per rank slot ("node-0" ...), ranks_per_host lines per host. */
sw_status sw_smpi_write_hostfile(const sw_smpi_platform *p, FILE *fp, sw_error *err);

/* A number with an SI prefix and SimGrid's unit: unit "s" (ps ns us ms s),
 * "Bps" (bytes/s; "bps" is bits/s, divided by 8) or "f" (flop/s).  A bare
 * number is in the base unit.  "1us" -> 1e-6, "10GBps" -> 1e10, "1Gf" -> 1e9. */
sw_status sw_smpi_parse_quantity(const char *s, const char *unit, double *out, sw_error *err);

/* A built-in profile spec for `measure --platform`:
 *   flat[:lat=2us,bw=10GBps,speed=1Gf,hosts=H]
 *   fattree[:leaf=8,up=8,lat=..,bw=..,speed=..,hosts=H]
 * lat is the host-to-host latency alpha (the XML then gets alpha/2 per link,
 * alpha/4 in a fat tree); hosts defaults to `ranks` (a fat tree rounds it up
 * to whole leaves), one rank per host.  No speed= leaves host_speed 0: the
 * caller injects compute at a measured rate.  Defaults: lat 2us, bw 10GBps,
 * leaf 8, up = leaf (full bisection). */
sw_status sw_smpi_platform_parse(const char *spec, int ranks, sw_smpi_platform *p,
                                 sw_error *err);

/* The SMPI platform for a `scalewall simulate` profile at `ranks` ranks, one
 * rank per host: every pair talks over the profile's inter-node link, or its
 * intra-node link when one node holds all the ranks (units_per_node >=
 * ranks, e.g. "local").  host_speed = `speed` when > 0, else flops_fp32. */
sw_status sw_smpi_platform_from_profile(const sw_platform *pl, int ranks, double speed,
                                        sw_smpi_platform *p, sw_error *err);

typedef enum sw_smpi_alg {
    SW_SMPI_RDB = 0,      /* recursive doubling: p lg p messages */
    SW_SMPI_RAB_RDB = 1,  /* Rabenseifner: 2 p lg p */
    SW_SMPI_RING = 2,     /* ring: 2 p (p - 1) */
} sw_smpi_alg;

/* SimGrid's name for an algorithm (--cfg=smpi/allreduce:NAME). */
const char *sw_smpi_alg_name(sw_smpi_alg alg);
sw_status sw_smpi_alg_parse(const char *s, sw_smpi_alg *alg, sw_error *err);

/* Host cost of simulating `collectives` allreduces of `bytes` per rank and
 * `small_collectives` of a few bytes (the measuring harness's: 2 a
 * repetition, ~10 a point) at p ranks, plus `app_bytes_per_rank` of the
 * program's own memory; `in_place`
 * when the allreduces are MPI_IN_PLACE on shared buffers (mlp), which SMPI
 * copies far more slowly.  Message rates and costs per byte are fitted to
 * measurements on this kind of machine (simgrid.md 2a, docs/virtual.md);
 * they are estimates, good to ~1.5x for mlp and cg to 1024 ranks, ~2x at
 * 4096, so the launcher also enforces the budgets while the run goes on. */
typedef struct sw_smpi_estimate {
    double messages;      /* simulated messages */
    double host_seconds;  /* expected wall time of the simulation */
    double host_bytes;    /* expected peak resident memory */
} sw_smpi_estimate;

sw_status sw_smpi_estimate_run(int p, double bytes, sw_smpi_alg alg, double collectives,
                               double small_collectives, int in_place, double app_bytes_per_rank,
                               sw_smpi_estimate *out, sw_error *err);

/* Peak resident memory of an SMPI run of p ranks (what the kernel counts as
 * the simulation's RSS, ru_maxrss): ~35 MB of SimGrid, and per rank its
 * context (55 kB; 100 kB in place, fitted), the program's own memory `app_bytes_per_rank` in full
 * and the temporaries of an allreduce of `message_bytes` (the largest one).
 * The program's memory counts in full even where SMPI shares it between
 * ranks (auto-shared-malloc, mlp): each rank maps the shared block over its
 * whole buffer, and RSS counts every mapping (physical memory is less; see
 * docs/virtual.md).  In place, SMPI copies the buffer to a temporary send
 * buffer (1 message) and the algorithm adds its receive buffer: a whole
 * message for recursive doubling, half for Rabenseifner, one chunk for the
 * ring.  With separate buffers the pure-loop figures of simgrid.md (2.5
 * messages) hold.  sw_smpi_estimate_run uses it with its `bytes`. */
double sw_smpi_host_bytes(int p, double message_bytes, sw_smpi_alg alg, int in_place,
                          double app_bytes_per_rank);

/* SW_ENOMEM / SW_EINVAL with the estimate in the message when the run would
 * exceed the memory or time budget. */
sw_status sw_smpi_check_budget(const sw_smpi_estimate *e, int p, double mem_budget_bytes,
                               double time_budget_s, sw_error *err);

/* A sweep of n runs (ranks[i] ranks, estimate runs[i]): refused when its
 * largest run needs more memory than allowed, or when the runs together
 * take more host time than the budget.  The message quotes the run that
 * decides with its own estimate (the most memory; the most host time) and,
 * for a sweep of several runs, the sweep's total beside it.  *total (may be
 * NULL) receives the summed messages and host time and the largest
 * memory. */
sw_status sw_smpi_check_sweep(const sw_smpi_estimate *runs, const int *ranks, size_t n,
                              double mem_budget_bytes, double time_budget_s,
                              sw_smpi_estimate *total, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
