/* bench_comm.c — `comm` small-message latency against a minimal ping-pong.
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

static int bench_size(int bytes, long iters, int reps, int rank)
{
    char params[96], *canon = NULL;
    snprintf(params, sizeof params, "op=pingpong,bytes=%d,iters=%ld", bytes, iters);
    comm_arg a = {.state = NULL, .comm = MPI_COMM_WORLD};
    sw_error err = {0};
    if (sw_wl_comm.setup(MPI_COMM_WORLD, params, SW_SCALING_STRONG, 1, &a.state, &canon, &err)) {
        if (rank == 0)
            fprintf(stderr, "bench_comm: %s\n", err.msg);
        return 1;
    }
    char *buf = calloc((size_t)bytes + 1, 1);
    double *tc = malloc((size_t)reps * sizeof *tc), *tp = malloc((size_t)reps * sizeof *tp);
    double *ratio = malloc((size_t)reps * sizeof *ratio);
    comm_once(&a); /* warm-up both */
    peer_pingpong(MPI_COMM_WORLD, buf, bytes, iters);
    for (int r = 0; r < reps; r++) {
        tc[r] = bk_time(MPI_COMM_WORLD, comm_once, &a) / a.res.ops;
        tp[r] = peer_pingpong(MPI_COMM_WORLD, buf, bytes, iters);
        ratio[r] = tc[r] / tp[r];
    }
    int bad = sw_wl_comm.check(a.state, MPI_COMM_WORLD, &err) != SW_OK;
    bk_stats c = bk_summary(tc, reps), p = bk_summary(tp, reps), q = bk_summary(ratio, reps);
    if (rank == 0)
        printf("%8d B  comm %8.3f us [%.3f, %.3f]  peer %8.3f us [%.3f, %.3f]  "
               "ratio comm/peer: median %.3f, of minima %.3f%s\n",
               bytes, 1e6 * c.median, 1e6 * c.min, 1e6 * c.max, 1e6 * p.median, 1e6 * p.min,
               1e6 * p.max, q.median, c.min / p.min, bad ? "  CHECK FAILED" : "");
    sw_wl_comm.teardown(a.state);
    free(canon);
    free(buf);
    free(tc);
    free(tp);
    free(ratio);
    return bad;
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
    const int sizes[] = {0, 8, 64, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        bad |= bench_size(sizes[i], 500, reps, rank);
    MPI_Finalize();
    return bad ? 5 : 0;
}
