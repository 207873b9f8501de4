/* transpose.c — pattern c, FFT-like transpose (distributed 3-D FFTs,
 * spectral methods, a global sort's exchange).
 *
 * Per iteration every rank computes flops/N, then all ranks exchange a fixed
 * total volume of `volume` bytes with MPI_Alltoall: volume/N² bytes to each
 * pair (at least 1), so a rank sends volume/N and the message count is N².
 *   args: flops=W volume=D iters=K warmup=1
 * Check (private buffers, 2·volume/N <= 64 KiB): the first and last byte of
 * the block from i to j encode (i, j); at N = 1 the block goes to itself. */
#include "common.h"

typedef struct ctx {
    double flops;
    int rank, n, checked, pair;
    buffer send, recv;
    long failures;
} ctx;

static unsigned char tagbyte(int from, int to, int it)
{
    return (unsigned char)(from * 7 + to * 13 + it * 3);
}

static void iteration(void *vc, int it)
{
    ctx *c = vc;
    smpi_execute_flops(c->flops);
    unsigned char *s = c->send.p, *r = c->recv.p;
    size_t pb = (size_t)c->pair;
    if (c->checked)
        for (int j = 0; j < c->n; j++) {
            s[j * pb] = tagbyte(c->rank, j, it);
            s[j * pb + pb - 1] = tagbyte(j, c->rank, it);
        }
    MPI_Alltoall(s, c->pair, MPI_BYTE, r, c->pair, MPI_BYTE, MPI_COMM_WORLD);
    if (c->checked)
        for (int i = 0; i < c->n; i++)
            if (r[i * pb] != tagbyte(i, c->rank, it) || r[i * pb + pb - 1] != tagbyte(c->rank, i, it))
                c->failures++;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double w = arg_num(argc, argv, "flops", 1e9), d = arg_num(argc, argv, "volume", 1 << 24);
    int iters = (int)arg_num(argc, argv, "iters", 3), warmup = (int)arg_num(argc, argv, "warmup", 1);
    c.flops = w / c.n;
    double pair = floor(d / ((double)c.n * c.n));
    c.pair = pair < 1 ? 1 : (int)pair;
    size_t bytes = (size_t)c.pair * (size_t)c.n;
    c.checked = 2 * bytes <= CORPUS_PRIVATE_MAX;
    c.send = buf_alloc(bytes, !c.checked);
    c.recv = buf_alloc(bytes, !c.checked);
    double t = timed_loop(iteration, &c, warmup, iters);
    int st = report("transpose", iters, t, c.checked, c.failures, 0);
    buf_free(&c.send);
    buf_free(&c.recv);
    MPI_Finalize();
    return st;
}
