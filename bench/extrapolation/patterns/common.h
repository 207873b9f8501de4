/* common.h — what the corpus pattern programs share: key=value arguments,
 * a per-rank random stream, buffers that are private (checkable) or shared
 * (cheap at 1024 ranks), the timed loop and the one result line.
 *
 * The programs are built with smpicc and run under SimGrid's SMPI, where
 * every rank is a context inside one process and smpirun runs them with
 * -no-privatize: so nothing here keeps mutable global state; each rank's
 * state lives on its own stack.  Compute is injected with
 * smpi_execute_flops(), so a run is deterministic and its simulated time is
 * flops / host speed plus what the network model charges.
 *
 * Output (rank 0, one line on stdout, what generate.sh parses):
 *   result pattern=NAME n=N iters=K time_per_iter=T check=ok|skipped|FAILED msgs=M
 * time_per_iter is the slowest rank's (MPI_Wtime after the warm-up
 * iterations) / K; msgs counts the point-to-point messages the program
 * itself sent (collectives not counted); check=FAILED exits 1. */
#ifndef CORPUS_COMMON_H
#define CORPUS_COMMON_H

#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* When a rank's buffers total at most this, they are private, so their
 * contents can be checked; otherwise they are SMPI_SHARED_MALLOC'ed (all
 * ranks alias one block), which keeps 1024-rank runs within host memory but
 * makes their contents garbage, so the check is skipped. */
#define CORPUS_PRIVATE_MAX (64 * 1024)

/* The value of key=VALUE among the arguments, or def; a malformed value is
 * a usage error, said once by rank 0. */
static inline double arg_num(int argc, char **argv, const char *key, double def)
{
    size_t kl = strlen(key);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], key, kl) != 0 || argv[i][kl] != '=')
            continue;
        char *end;
        double v = strtod(argv[i] + kl + 1, &end);
        if (end == argv[i] + kl + 1 || *end != '\0' || !isfinite(v)) {
            int rank;
            MPI_Comm_rank(MPI_COMM_WORLD, &rank);
            if (rank == 0)
                fprintf(stderr, "%s: %s is not a number\n", argv[0], argv[i]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        return v;
    }
    return def;
}

static inline const char *arg_str(int argc, char **argv, const char *key, const char *def)
{
    size_t kl = strlen(key);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], key, kl) == 0 && argv[i][kl] == '=')
            return argv[i] + kl + 1;
    return def;
}

/* splitmix64 (Steele, Lea & Flood 2014): a tiny, well-mixed stream; one per
 * rank, seeded from (seed, rank) so draws do not depend on scheduling. */
typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline rng rng_seed(uint64_t seed, uint64_t stream)
{
    rng r = {seed * 0x2545f4914f6cdd1dULL + stream};
    for (int i = 0; i < 4; i++)
        rng_next(&r);
    return r;
}

/* Uniform on (0, 1): never 0, so log() is finite. */
static inline double rng_uniform(rng *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static inline double rng_normal(rng *r)
{
    /* Box–Muller; one of the pair is enough here. */
    double u = rng_uniform(r), v = rng_uniform(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

typedef struct buffer {
    void *p;
    size_t bytes;
    int shared;
} buffer;

static inline buffer buf_alloc(size_t bytes, int shared)
{
    buffer b = {NULL, bytes, shared};
    size_t n = bytes ? bytes : 1;
    b.p = b.shared ? SMPI_SHARED_MALLOC(n) : calloc(1, n);
    if (!b.p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        MPI_Abort(MPI_COMM_WORLD, 7);
    }
    return b;
}

static inline void buf_free(buffer *b)
{
    if (b->shared)
        SMPI_SHARED_FREE(b->p);
    else
        free(b->p);
    b->p = NULL;
}

/* MPI_Reduce to rank 0 for the harness's own figures; over one rank a
 * copy, because SMPI 3.32's `ompi` selector aborts reducing over a single
 * rank ("Actor pid=-1 is gone"). */
static inline void reduce0(const void *in, void *out, int count, MPI_Datatype type, MPI_Op op)
{
    int n, size;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    if (n > 1) {
        MPI_Reduce(in, out, count, type, op, 0, MPI_COMM_WORLD);
        return;
    }
    MPI_Type_size(type, &size);
    memcpy(out, in, (size_t)count * (size_t)size);
}

/* One iteration of a pattern: `it` < 0 for warm-ups. */
typedef void (*iteration_fn)(void *ctx, int it);

/* Runs `warmup` untimed and `iters` timed iterations; returns the slowest
 * rank's time per timed iteration (on rank 0; other ranks get 0).  The
 * barrier comes before the warm-up, so its exit skew is absorbed there. */
static inline double timed_loop(iteration_fn f, void *ctx, int warmup, int iters)
{
    int n;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    if (n > 1)
        MPI_Barrier(MPI_COMM_WORLD);
    for (int w = 0; w < warmup; w++)
        f(ctx, -1 - w);
    double t0 = MPI_Wtime();
    for (int i = 0; i < iters; i++)
        f(ctx, i);
    double dt = MPI_Wtime() - t0, slowest = 0;
    reduce0(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX);
    return slowest / iters;
}

/* Sums every rank's local failure count and message count, prints the one
 * result line on rank 0 and returns the exit status (1 when a check failed). */
static inline int report(const char *pattern, int iters, double per_iter, int checked, long failures,
                  long msgs)
{
    int rank, n;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    long in[3] = {failures, msgs, checked ? 1 : 0}, out[3] = {0, 0, 0};
    reduce0(in, out, 3, MPI_LONG, MPI_SUM);
    int status = 0;
    if (rank == 0) {
        const char *check = out[0] ? "FAILED" : out[2] == n ? "ok" : "skipped";
        printf("result pattern=%s n=%d iters=%d time_per_iter=%.12g check=%s msgs=%ld\n", pattern,
               n, iters, per_iter, check, out[1]);
        fflush(stdout);
        status = out[0] ? 1 : 0;
    }
    if (n > 1)
        MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

#endif
