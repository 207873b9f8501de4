/* allreduce.c — pattern a, compute + allreduce (data-parallel training,
 * iterative solvers with a global dot product).
 *
 * Per iteration every rank computes flops/N and all ranks allreduce `bytes`
 * (a vector of doubles).  Strong scaling: the total flops are fixed.
 *   args: flops=W bytes=m iters=K warmup=1
 * Check (private buffers, m <= 64 KiB): element 0 carries rank + 1 + it,
 * so the sum is N(N+1)/2 + N*it; the last element carries 0. */
#include "common.h"

typedef struct ctx {
    double flops;
    int count, rank, n, checked;
    buffer send, recv;
    long failures;
} ctx;

static void iteration(void *vc, int it)
{
    ctx *c = vc;
    smpi_execute_flops(c->flops);
    double *s = c->send.p, *r = c->recv.p;
    if (c->checked)
        s[0] = c->rank + 1 + it;
    MPI_Allreduce(s, r, c->count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    if (c->checked) {
        double want = 0.5 * c->n * (c->n + 1.0) + (double)c->n * it;
        if (r[0] != want || (c->count > 1 && r[c->count - 1] != 0))
            c->failures++;
    }
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double w = arg_num(argc, argv, "flops", 1e9), m = arg_num(argc, argv, "bytes", 8);
    int iters = (int)arg_num(argc, argv, "iters", 5), warmup = (int)arg_num(argc, argv, "warmup", 1);
    c.flops = w / c.n;
    c.count = m >= 16 ? (int)(m / 8) : 1;
    c.checked = 2 * (size_t)c.count * 8 <= CORPUS_PRIVATE_MAX;
    c.send = buf_alloc((size_t)c.count * 8, !c.checked);
    c.recv = buf_alloc((size_t)c.count * 8, !c.checked);
    double t = timed_loop(iteration, &c, warmup, iters);
    int st = report("allreduce", iters, t, c.checked, c.failures, 0);
    buf_free(&c.send);
    buf_free(&c.recv);
    MPI_Finalize();
    return st;
}
