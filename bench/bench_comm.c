/* bench_comm.c — `comm` small-message latency against a minimal ping-pong,
 * and its 8 B allreduce against a bare MPI_Allreduce loop.
 *
 * Run as `mpirun -np 2 bench_comm [REPS]`.  Each repetition times the comm
 * workload's op=pingpong through its run() the way the harness does
 * (barrier, run, slowest rank, time / messages) and, right after, the
 * minimal peer (peer_pingpong.h) with the same size and count, so both see
 * the same machine state.  Prints medians, ranges, the median of the
 * per-repetition ratios comm/peer and the ratio of the minima (target
 * <= 1.10).  On a shared machine the noise is one-sided (preemption only
 * adds time), so the minima are the steadier comparison. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_kernels.h"
#include "peer_pingpong.h"
#include "workloads/harness.h"
#include "workloads/registry.h"

typedef struct comm_arg {
    void *state;
    MPI_Comm comm;
    sw_wl_result res;
} comm_arg;

static void comm_once(void *p)
{
    comm_arg *a = p;
    a->res = (sw_wl_result){NAN, NAN, NAN, NULL, NAN};
    sw_wl_comm.run(a->state, a->comm, &a->res, NULL);
}

/* The peer of op: a minimal ping-pong, or a bare allreduce loop of the same
 * bytes (whole doubles). */
static double peer(const char *op, char *buf, int bytes, long iters)
{
    if (strcmp(op, "allreduce") == 0) {
        int count = bytes / (int)sizeof(double) > 0 ? bytes / (int)sizeof(double) : 1;
        return peer_allreduce(MPI_COMM_WORLD, (double *)(void *)buf,
                              (double *)(void *)(buf + 8 * count), count, iters);
    }
    return peer_pingpong(MPI_COMM_WORLD, buf, bytes, iters);
}

static int bench_size(const char *op, int bytes, long iters, int reps, int rank)
{
    char params[96], *canon = NULL;
    snprintf(params, sizeof params, "op=%s,bytes=%d,iters=%ld", op, bytes, iters);
    comm_arg a = {.state = NULL, .comm = MPI_COMM_WORLD};
    sw_error err = {0};
    if (sw_wl_comm.setup(MPI_COMM_WORLD, params, SW_SCALING_STRONG, 1, &a.state, &canon, &err)) {
        if (rank == 0)
            fprintf(stderr, "bench_comm: %s\n", err.msg);
        return 1;
    }
    char *buf = calloc(2 * (size_t)bytes + 16, 1);
    double *tc = malloc((size_t)reps * sizeof *tc), *tp = malloc((size_t)reps * sizeof *tp);
    double *ratio = malloc((size_t)reps * sizeof *ratio);
    comm_once(&a); /* warm-up both */
    peer(op, buf, bytes, iters);
    for (int r = 0; r < reps; r++) {
        tc[r] = bk_time(MPI_COMM_WORLD, comm_once, &a) / a.res.ops;
        tp[r] = peer(op, buf, bytes, iters);
        ratio[r] = tc[r] / tp[r];
    }
    int bad = sw_wl_comm.check(a.state, MPI_COMM_WORLD, &err) != SW_OK;
    bk_stats c = bk_summary(tc, reps), p = bk_summary(tp, reps), q = bk_summary(ratio, reps);
    if (rank == 0) {
        printf("%-9s %6d B  comm %8.3f us [%.3f, %.3f]  peer %8.3f us [%.3f, %.3f]  "
               "ratio comm/peer: median %.3f, of minima %.3f%s\n",
               op, bytes, 1e6 * c.median, 1e6 * c.min, 1e6 * c.max, 1e6 * p.median, 1e6 * p.min,
               1e6 * p.max, q.median, c.min / p.min, bad ? "  CHECK FAILED" : "");
        printf("SW_BENCH op=%s bytes=%d comm_us=%.6g peer_us=%.6g ratio=%.4f comm_min_us=%.6g "
               "peer_min_us=%.6g\n", op, bytes, 1e6 * c.median, 1e6 * p.median, q.median,
               1e6 * c.min, 1e6 * p.min);
    }
    sw_wl_comm.teardown(a.state);
    free(canon);
    free(buf);
    free(tc);
    free(tp);
    free(ratio);
    return bad;
}

/* Open MPI 4.1 agrees a new communicator's context id by a nonblocking
 * allreduce on its parent, which leaves the nonblocking-collective engine in
 * the progress loop for as long as the parent lives (src/workloads/
 * comm_quiet.c): the minimal 0-byte ping-pong itself, before and after one
 * MPI_Comm_split of MPI_COMM_WORLD (freed at once), and after one made the
 * harness's way (sw_comm_split_quiet).  Last, as it changes the process. */
static void after_split(int reps, int rank)
{
    char buf[16];
    double *t[3];
    for (int k = 0; k < 3; k++)
        t[k] = malloc((size_t)reps * sizeof *t[k]);
    MPI_Comm c;
    for (int k = 0; k < 3; k++) {
        if (k == 1) {
            sw_comm_split_quiet(MPI_COMM_WORLD, 0, rank, &c);
            MPI_Comm_free(&c);
        } else if (k == 2) {
            MPI_Comm_split(MPI_COMM_WORLD, 0, rank, &c);
            MPI_Comm_free(&c);
        }
        peer_pingpong(MPI_COMM_WORLD, buf, 0, 500);
        for (int r = 0; r < reps; r++)
            t[k][r] = peer_pingpong(MPI_COMM_WORLD, buf, 0, 500);
    }
    bk_stats a = bk_summary(t[0], reps), q = bk_summary(t[1], reps), b = bk_summary(t[2], reps);
    if (rank == 0) {
        printf("peer 0 B before any communicator %.3f us [%.3f], after a quiet split %.3f us "
               "[%.3f], after MPI_Comm_split %.3f us [%.3f] (median [min])\n",
               1e6 * a.median, 1e6 * a.min, 1e6 * q.median, 1e6 * q.min, 1e6 * b.median,
               1e6 * b.min);
        printf("SW_BENCH op=split_effect quiet_ratio=%.4f split_ratio=%.4f quiet_min_ratio=%.4f "
               "split_min_ratio=%.4f\n", q.median / a.median, b.median / a.median, q.min / a.min,
               b.min / a.min);
    }
    for (int k = 0; k < 3; k++)
        free(t[k]);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, reps = argc > 1 ? atoi(argv[1]) : 51;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size < 2 || reps < 1) {
        if (rank == 0)
            fprintf(stderr, "usage: mpirun -np 2 bench_comm [REPS]\n");
        MPI_Finalize();
        return 2;
    }
    if (rank == 0)
        printf("bench_comm: one-way ping-pong latency, %d ranks, %d interleaved repetitions "
               "(median [min, max])\n", size, reps);
    int bad = 0;
    const int sizes[] = {0, 8, 64, 512, 1024, 4096};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        bad |= bench_size("pingpong", sizes[i], 500, reps, rank);
    bad |= bench_size("allreduce", 8, 500, reps, rank);
    after_split(reps, rank);
    MPI_Finalize();
    return bad ? 5 : 0;
}
