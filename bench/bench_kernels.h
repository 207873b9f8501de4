/* bench_kernels.h — shared by bench/bench_kernels_*.c: time a workload's
 * run() the way the harness does (barrier, clock, run, slowest rank) and
 * summarise repetitions by their median and range. */
#ifndef SW_BENCH_KERNELS_H
#define SW_BENCH_KERNELS_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "workloads/workload.h"

static inline int bk_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bk_stats {
    double median, min, max;
} bk_stats;

static inline bk_stats bk_summary(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bk_cmp);
    bk_stats s = {n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]), v[0], v[n - 1]};
    return s;
}

/* Wall time of the slowest rank for fn(arg), started together. */
static inline double bk_time(MPI_Comm comm, void (*fn)(void *), void *arg)
{
    MPI_Barrier(comm);
    double t0 = MPI_Wtime();
    fn(arg);
    double t = MPI_Wtime() - t0, tmax;
    MPI_Allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, comm);
    return tmax;
}

static inline void bk_die(int rank, const char *what, const sw_error *err)
{
    if (rank == 0)
        fprintf(stderr, "bench: %s: %s\n", what, err->msg);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

/* Sets up `wl` with params and runs it once untimed (warm-up). */
static inline void *bk_setup(const sw_workload *wl, const char *params, char **canon)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    sw_error err = {0};
    void *st;
    sw_wl_result res;
    if (wl->setup(MPI_COMM_WORLD, params, SW_SCALING_STRONG, 1, &st, canon, &err) != SW_OK)
        bk_die(rank, "setup", &err);
    if (wl->run(st, MPI_COMM_WORLD, &res, &err) != SW_OK)
        bk_die(rank, "run", &err);
    return st;
}

/* One timed run as the harness times it: the slowest rank's wall time. */
static inline double bk_run(const sw_workload *wl, void *st, sw_wl_result *res)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    sw_error err = {0};
    /* As the harness does: a split workload has only run_timed() timed. */
    int split = wl->run_timed && wl->finish;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    if ((split ? wl->run_timed : wl->run)(st, MPI_COMM_WORLD, res, &err) != SW_OK)
        bk_die(rank, "run", &err);
    double t = MPI_Wtime() - t0, tmax;
    MPI_Allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (split && wl->finish(st, MPI_COMM_WORLD, res, &err) != SW_OK)
        bk_die(rank, "finish", &err);
    return tmax;
}

/* The answer of the timed runs must pass the workload's check. */
static inline void bk_check(const sw_workload *wl, void *st)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    sw_error err = {0};
    if (wl->check(st, MPI_COMM_WORLD, &err) != SW_OK)
        bk_die(rank, "check", &err);
}

#endif
