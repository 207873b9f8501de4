/* bench_kernels_cg.c — the memory bandwidth of cg's sparse matrix-vector
 * product against a STREAM triad timed in the same binary, on the same
 * ranks, at once: mpirun -np P bench_kernels_cg [params] [reps].
 *
 * Both kernels are bandwidth-bound, so the ratio says how close the CSR
 * product (HPCG's byte count: values, column indices, row pointers, input
 * read once, output written) comes to what the memory system delivers.
 * The triad's arrays are sized to the product's footprint (at least 32 MB
 * each) so neither kernel runs from cache.  Also prints the whole CG
 * iteration's rate, products plus vector updates and dot products. */
#include <math.h>
#include <string.h>

#include "bench_kernels.h"
#include "workloads/wl_util.h"

extern const sw_workload sw_wl_cg;

typedef struct spmv_arg {
    void *st;
    int reps;
    double bytes;
} spmv_arg;

static void spmv_fn(void *p)
{
    spmv_arg *a = p;
    sw_wl_cg_spmv(a->st, MPI_COMM_WORLD, a->reps, &a->bytes);
}

typedef struct triad_arg {
    double *a, *b, *c;
    long n;
    int reps;
} triad_arg;

static void triad_fn(void *p)
{
    triad_arg *t = p;
    for (int r = 0; r < t->reps; r++) {
        for (long i = 0; i < t->n; i++)
            t->a[i] = t->b[i] + 3.0 * t->c[i];
        __asm__ __volatile__("" ::: "memory"); /* keep every sweep */
    }
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *params = argc > 1 ? argv[1] : "nx=64,ny=64,nz=64,iters=50";
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    if (reps < 1 || reps > 1000)
        reps = 7;
    double tcg[1000], tsp[1000], ttr[1000];
    sw_wl_result res;
    char *canon;
    void *st = bk_setup(&sw_wl_cg, params, &canon);
    spmv_arg sa = {st, 20, 0};
    spmv_fn(&sa); /* warm-up */
    double sp_bytes = sa.bytes;

    /* Triad arrays: as many bytes per rank as one product moves, >= 32 MB each. */
    long n = (long)fmax(4e6, sp_bytes / sa.reps / size / 24);
    triad_arg ta = {malloc((size_t)n * 8), malloc((size_t)n * 8), malloc((size_t)n * 8), n, 10};
    if (!ta.a || !ta.b || !ta.c)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (long i = 0; i < n; i++) {
        ta.a[i] = 0;
        ta.b[i] = 1;
        ta.c[i] = 2;
    }
    triad_fn(&ta);
    for (int r = 0; r < reps; r++) {
        tcg[r] = bk_run(&sw_wl_cg, st, &res);
        tsp[r] = bk_time(MPI_COMM_WORLD, spmv_fn, &sa);
        ttr[r] = bk_time(MPI_COMM_WORLD, triad_fn, &ta);
    }
    bk_check(&sw_wl_cg, st); /* the products after the last run left p, not x, alone */
    bk_stats cg = bk_summary(tcg, reps), sp = bk_summary(tsp, reps), tr = bk_summary(ttr, reps);
    double tr_bytes = 3.0 * 8 * n * ta.reps * size;
    int ok = ta.a[n / 2] == 7.0;

    if (rank == 0) {
        double bsp = sp_bytes / sp.median * 1e-9, btr = tr_bytes / tr.median * 1e-9;
        printf("cg %s ranks=%d reps=%d (checked: CG bound and true residual)\n", canon, size,
               reps);
        printf("  CG iteration   %.2f GB/s, %.2f GFlop/s (median run %.4f s, min %.4f, max "
               "%.4f)\n", res.bytes / cg.median * 1e-9, res.flops / cg.median * 1e-9, cg.median,
               cg.min, cg.max);
        printf("  SpMV + halo    %.2f GB/s (median of %d x %d products, %.4f..%.4f s)\n", bsp,
               reps, sa.reps, sp.min, sp.max);
        printf("  STREAM triad   %.2f GB/s (%ld doubles a rank x3, %.4f..%.4f s)%s\n", btr, n,
               tr.min, tr.max, ok ? "" : " WRONG RESULT");
        printf("  ratio SpMV / triad = %.3f (target >= 0.80)\n", bsp / btr);
        printf("SW_BENCH cg_spmv_gbs=%.4f triad_gbs=%.4f ratio=%.4f\n", bsp, btr, bsp / btr);
    }
    free(ta.a);
    free(ta.b);
    free(ta.c);
    sw_wl_cg.teardown(st);
    free(canon);
    MPI_Finalize();
    return 0;
}
