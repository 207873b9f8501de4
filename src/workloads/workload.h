/* workload.h — the interface between the measurement harness and the
 * built-in workloads.
 *
 * The harness (measure.c) owns timing, repetitions, statistics and results;
 * a workload owns its computation and the check of its answer.  One
 * repetition is: barrier, start clock, run(), barrier-free stop, then the
 * slowest rank's time (MPI_Allreduce MAX) — so run() must not time itself.
 * A workload may split run() into run_timed() and an untimed finish() (below).
 * check() runs after the timed part and must fail (SW_ECHECK, with a message
 * that says what was wrong by how much) when the answer is wrong; tests use
 * the `corrupt=1` parameter, which every workload honours by perturbing one
 * value of its computation, to prove the check can fail. */
#ifndef SW_WORKLOADS_WORKLOAD_H
#define SW_WORKLOADS_WORKLOAD_H

#include <mpi.h>
#include <stddef.h>

#include "scalewall/error.h"
#include "scalewall/obs.h"

/* What a run reports besides its time (all optional, NAN when absent). */
typedef struct sw_wl_result {
    double flops;         /* floating-point operations of the timed part */
    double bytes;         /* bytes moved (memory or network) of the timed part */
    double metric;        /* the workload's own figure (loss, residual, real-time factor) */
    const char *metric_name;
    /* Added for comm (backward compatible: the harness sets it to NAN before
     * run(), and 0 or NAN mean "absent"): how many unit operations the timed
     * part performed.  When set, the row's value is time / ops (comm: seconds
     * per message) and the whole time goes into the `run_s` column. */
    double ops;
} sw_wl_result;

typedef struct sw_workload {
    const char *name;
    const char *summary;
    const char *params_help;  /* "n=4096 (matrix order), nb=64 (block size), ..." */
    /* Memory per rank that setup() would allocate, without allocating: the
     * harness refuses sizes that will not fit before trying them. */
    sw_status (*estimate)(const char *params, sw_scaling scaling, int nranks, int nthreads,
                          double *bytes_per_rank, sw_error *err);
    /* Parses params ("k=v,k=v"; unknown keys are an error), allocates and
     * initialises on `comm`.  *canon receives the canonical params string
     * (defaults filled in) that goes into the results, malloc'd.  The
     * harness groups points into one series by it, so it should not depend
     * on nranks/nthreads (for weak scaling give the size per unit). */
    sw_status (*setup)(MPI_Comm comm, const char *params, sw_scaling scaling, int nthreads,
                       void **state, char **canon, sw_error *err);
    sw_status (*run)(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err);
    sw_status (*check)(void *state, MPI_Comm comm, sw_error *err);
    void (*teardown)(void *state);
    /* Optional (NULL for none): a repetition split in a timed part and an
     * untimed end.  When both are set the harness times run_timed() instead
     * of run() and calls finish() after the clock has stopped, before
     * check(): work done only to report (mlp's loss reduction, a collective
     * whose latency would otherwise be charged to every run) stays out of
     * the time.  run() must equal run_timed() followed by finish(), filling
     * `res` the same way, for callers that time run() as a whole (tests,
     * bench/, the single-rank rate of measure --platform). */
    sw_status (*run_timed)(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err);
    sw_status (*finish)(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err);
} sw_workload;

/* The registry (workloads.c). */
const sw_workload *sw_workload_find(const char *name);
extern const sw_workload *const sw_workloads[];
extern const size_t sw_nworkloads;

#endif
