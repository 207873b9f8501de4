/* straggler.c — pattern d, stragglers/jitter (OS noise, thermal throttling,
 * uneven data, a slow node): everyone waits for the slowest rank each
 * iteration.
 *
 * Per iteration rank r computes (flops/N)(1 + X), X = theta·E drawn from its
 * own seeded stream, E of mean 1: exponential (dist=0), or log-normal with
 * log-sd sigma (dist=1, E = exp(sigma Z − sigma²/2)).  The ranks then
 * synchronise with an allreduce of `bytes`.  The expected slowest of N grows
 * like theta·H_N ≈ theta·ln N for the exponential, so the time per iteration
 * is ≈ (flops/N)(1 + theta·H_N) + allreduce.
 *   args: flops=W theta=t dist=0|1 sigma=s bytes=m seed=S iters=K warmup=1 steps=0|1
 * steps=1: rank 0 also prints each timed iteration's time ("step K SECONDS"):
 * run at N = 1 over many iterations, one rank's step-time distribution
 * (`fit --step-times`; generate.sh writes them to steps.csv).
 * Check: the allreduce (MAX of each rank's X as element 0) is never below a
 * rank's own X, and in every iteration at least one rank drew exactly it. */
#include "common.h"

typedef struct ctx {
    double flops, theta, sigma;
    int dist, count, rank, n, checked, steps;
    buffer send, recv;
    rng stream;
    long failures, maxima;
} ctx;

static void iteration(void *vc, int it)
{
    ctx *c = vc;
    double t0 = MPI_Wtime();
    double e = c->dist == 0 ? -log(rng_uniform(&c->stream))
                            : exp(c->sigma * rng_normal(&c->stream) - 0.5 * c->sigma * c->sigma);
    double x = c->theta * e;
    smpi_execute_flops(c->flops * (1 + x));
    double *s = c->send.p, *r = c->recv.p;
    s[0] = x;
    MPI_Allreduce(s, r, c->count, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (!(r[0] >= x))
        c->failures++;
    c->maxima += r[0] == x;
    if (c->steps && c->rank == 0 && it >= 0)
        printf("step %d %.12g\n", it, MPI_Wtime() - t0);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double w = arg_num(argc, argv, "flops", 1e9), m = arg_num(argc, argv, "bytes", 8);
    c.theta = arg_num(argc, argv, "theta", 0.1);
    c.sigma = arg_num(argc, argv, "sigma", 1);
    c.dist = (int)arg_num(argc, argv, "dist", 0);
    c.steps = (int)arg_num(argc, argv, "steps", 0);
    uint64_t seed = (uint64_t)arg_num(argc, argv, "seed", 1);
    int iters = (int)arg_num(argc, argv, "iters", 20), warmup = (int)arg_num(argc, argv, "warmup", 1);
    c.flops = w / c.n;
    c.stream = rng_seed(seed, (uint64_t)c.rank);
    c.count = m >= 16 ? (int)(m / 8) : 1;
    /* Element 0 must stay private for the check; the rest only has to
     * travel. */
    c.checked = 1;
    c.send = buf_alloc((size_t)c.count * 8, 0);
    c.recv = buf_alloc((size_t)c.count * 8, 0);
    double t = timed_loop(iteration, &c, warmup, iters);
    long maxima = 0;
    reduce0(&c.maxima, &maxima, 1, MPI_LONG, MPI_SUM);
    if (c.rank == 0 && maxima < warmup + iters)
        c.failures++;
    int st = report("straggler", iters, t, c.checked, c.failures, 0);
    buf_free(&c.send);
    buf_free(&c.recv);
    MPI_Finalize();
    return st;
}
