/* pipeline.c — pattern f, a GPipe-like pipeline (pipeline-parallel training,
 * wavefront codes): N stages, M micro-batches.
 *
 * Per iteration (one batch of flops in total, forward 1/3 and backward 2/3),
 * each stage does flops/(3NM) for each micro-batch forward, passing `bytes`
 * of activations to the next stage, then 2·flops/(3NM) for each backward in
 * reverse order, passing `bytes` of gradients back.  The time per iteration
 * is ≈ (M + N − 1)·(flops/(NM) + 2 messages): the fill-and-drain bubble
 * grows with N while the work per stage shrinks.
 *   args: flops=W micro=M bytes=a iters=K warmup=1
 * Check: every stage receives M activations and M gradients per iteration,
 * and (private buffers) each carries its micro-batch and iteration. */
#include "common.h"

enum { TAG_ACT = 1, TAG_GRAD = 2 };

typedef struct ctx {
    double fwd, bwd;
    int rank, n, micro, checked, count;
    buffer send, recv;
    MPI_Request *req;
    long failures, received, msgs;
} ctx;

/* Sends micro-batch mb's payload to `to` without blocking this stage. */
static void post(ctx *c, int mb, int it, int to, int tag, int *nreq)
{
    unsigned char *s = (unsigned char *)c->send.p + (c->checked ? (size_t)mb * c->count : 0);
    if (c->checked) {
        s[0] = (unsigned char)mb;
        s[c->count - 1] = (unsigned char)(it + tag);
    }
    MPI_Isend(s, c->count, MPI_BYTE, to, tag, MPI_COMM_WORLD, &c->req[(*nreq)++]);
    c->msgs++;
}

static void take(ctx *c, int mb, int it, int from, int tag)
{
    unsigned char *r = c->recv.p;
    MPI_Recv(r, c->count, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    c->received++;
    if (c->checked && (r[0] != (unsigned char)mb || r[c->count - 1] != (unsigned char)(it + tag)))
        c->failures++;
}

static void iteration(void *vc, int it)
{
    ctx *c = vc;
    int nreq = 0, first = c->rank == 0, last = c->rank == c->n - 1;
    for (int mb = 0; mb < c->micro; mb++) {
        if (!first)
            take(c, mb, it, c->rank - 1, TAG_ACT);
        smpi_execute_flops(c->fwd);
        if (!last)
            post(c, mb, it, c->rank + 1, TAG_ACT, &nreq);
    }
    MPI_Waitall(nreq, c->req, MPI_STATUSES_IGNORE);
    nreq = 0;
    for (int mb = c->micro - 1; mb >= 0; mb--) {
        if (!last)
            take(c, mb, it, c->rank + 1, TAG_GRAD);
        smpi_execute_flops(c->bwd);
        if (!first)
            post(c, mb, it, c->rank - 1, TAG_GRAD, &nreq);
    }
    MPI_Waitall(nreq, c->req, MPI_STATUSES_IGNORE);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double w = arg_num(argc, argv, "flops", 1e9);
    c.micro = (int)arg_num(argc, argv, "micro", 16);
    c.count = (int)arg_num(argc, argv, "bytes", 65536);
    if (c.count < 2)
        c.count = 2;
    int iters = (int)arg_num(argc, argv, "iters", 3), warmup = (int)arg_num(argc, argv, "warmup", 1);
    c.fwd = w / (3.0 * c.n * c.micro);
    c.bwd = 2 * c.fwd;
    /* Private: one send buffer per micro-batch (they are in flight together)
     * and one receive buffer; shared: one of each, aliased. */
    size_t count = (size_t)c.count;
    c.checked = (c.micro + 1) * count <= CORPUS_PRIVATE_MAX;
    c.send = buf_alloc(c.checked ? c.micro * count : count, !c.checked);
    c.recv = buf_alloc(count, !c.checked);
    c.req = malloc(sizeof *c.req * (size_t)c.micro);
    if (!c.req)
        MPI_Abort(MPI_COMM_WORLD, 7);
    double t = timed_loop(iteration, &c, warmup, iters);
    long want = (long)(warmup + iters) * c.micro * ((c.rank > 0) + (c.rank < c.n - 1));
    if (c.received != want)
        c.failures++;
    int st = report("pipeline", iters, t, c.checked, c.failures, c.msgs);
    free(c.req);
    buf_free(&c.send);
    buf_free(&c.recv);
    MPI_Finalize();
    return st;
}
