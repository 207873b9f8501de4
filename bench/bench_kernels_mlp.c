/* bench_kernels_mlp.c — how much of OpenBLAS SGEMM's rate one `mlp` training
 * step keeps: mpirun -np P bench_kernels_mlp [params] [reps].
 *
 * The peer is the same GEMMs alone — the exact shapes and count of one step
 * (forward b x k x n per layer, then dW = H'dZ and dH = dZ W' backward, no
 * dH for the first layer) on buffers of the same sizes, in the same binary.
 * Two ratios: the GEMMs inside the step (timed around each call) against
 * the bare ones — the target, >= 0.85 — and the whole step against the bare
 * GEMMs, which also pays for ReLU, loss, the SGD update and, at more than
 * one rank, the gradient allreduce. */
#include <string.h>

#include "bench_kernels.h"
#include "workloads/wl_util.h"

extern const sw_workload sw_wl_mlp;

typedef struct gemm_arg {
    int nl, steps;
    const int *dim;
    int b;
    float **h, **w, **g, *d0, *d1;
} gemm_arg;

static void gemm_fn(void *p)
{
    gemm_arg *a = p;
    for (int s = 0; s < a->steps; s++) {
        for (int l = 0; l < a->nl; l++)
            sw_wl_sgemm(0, 0, a->b, a->dim[l + 1], a->dim[l],
                        1.0f, a->h[l], a->dim[l], a->w[l], a->dim[l + 1], 0.0f, a->h[l + 1],
                        a->dim[l + 1]);
        for (int l = a->nl - 1; l >= 0; l--) {
            int k = a->dim[l], n = a->dim[l + 1];
            sw_wl_sgemm(1, 0, k, n, a->b, 1.0f, a->h[l], k,
                        a->d0, n, 0.0f, a->g[l], n);
            if (l > 0)
                sw_wl_sgemm(0, 1, a->b, k, n, 1.0f, a->d0, n,
                            a->w[l], n, 0.0f, a->d1, k);
        }
    }
}

static float *filled(size_t n)
{
    float *p = malloc(n * sizeof *p);
    if (!p)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (float)((i * 2654435761u) % 1000) * 1e-3f - 0.5f;
    return p;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *params = argc > 1 ? argv[1] : "";
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    if (reps < 1 || reps > 1000)
        reps = 7;
    sw_wl_blas_threads(1);
    double tm[1000], tg[1000], tin[1000], tcomm[1000];
    sw_wl_result res;
    char *canon;
    void *st = bk_setup(&sw_wl_mlp, params, &canon);

    gemm_arg ga = {0};
    long b;
    sw_wl_mlp_shape(st, &ga.nl, &ga.dim, &b);
    ga.b = (int)b;
    const char *sp = strstr(canon, "steps=");
    ga.steps = sp ? atoi(sp + 6) : 1;
    int widest = 0;
    for (int l = 0; l <= ga.nl; l++)
        widest = ga.dim[l] > widest ? ga.dim[l] : widest;
    ga.h = malloc(((size_t)ga.nl + 1) * sizeof *ga.h);
    ga.w = malloc((size_t)ga.nl * sizeof *ga.w);
    ga.g = malloc((size_t)ga.nl * sizeof *ga.g);
    for (int l = 0; l <= ga.nl; l++)
        ga.h[l] = filled((size_t)b * (size_t)ga.dim[l]);
    for (int l = 0; l < ga.nl; l++) {
        ga.w[l] = filled((size_t)ga.dim[l] * (size_t)ga.dim[l + 1]);
        ga.g[l] = filled((size_t)ga.dim[l] * (size_t)ga.dim[l + 1]);
    }
    ga.d0 = filled((size_t)b * (size_t)widest);
    ga.d1 = filled((size_t)b * (size_t)widest);
    gemm_fn(&ga);
    for (int r = 0; r < reps; r++) {
        tm[r] = bk_run(&sw_wl_mlp, st, &res);
        double gs, cs;
        sw_wl_mlp_times(st, &gs, &cs);
        MPI_Allreduce(&gs, &tin[r], 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        MPI_Allreduce(&cs, &tcomm[r], 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        tg[r] = bk_time(MPI_COMM_WORLD, gemm_fn, &ga);
    }
    bk_check(&sw_wl_mlp, st);
    bk_stats m = bk_summary(tm, reps), g = bk_summary(tg, reps), gi = bk_summary(tin, reps),
             cm = bk_summary(tcomm, reps);

    if (rank == 0) {
        double per_rank = res.flops / size; /* GEMM FLOPs of one rank's run */
        printf("mlp %s ranks=%d reps=%d (checked: loss fell, weights identical on all ranks)\n",
               canon, size, reps);
        printf("  training steps  %.2f GFlop/s a rank (median %.4f s, min %.4f, max %.4f)\n",
               per_rank / m.median * 1e-9, m.median, m.min, m.max);
        printf("    of which SGEMM %.4f s (%.2f GFlop/s), allreduce %.4f s (%.3g GB/s a rank)\n",
               gi.median, per_rank / gi.median * 1e-9, cm.median,
               size > 1 ? res.bytes / cm.median * 1e-9 : 0.0);
        printf("  bare SGEMMs     %.2f GFlop/s a rank (median %.4f s, min %.4f, max %.4f)\n",
               per_rank / g.median * 1e-9, g.median, g.min, g.max);
        printf("  ratio GEMM rate in mlp / bare SGEMM rate = %.3f (target >= 0.85)\n",
               g.median / gi.median);
        printf("  ratio whole-step GEMM rate / bare SGEMM rate = %.3f (adds ReLU, update%s)\n",
               g.median / m.median, size > 1 ? ", allreduce" : "");
        printf("SW_BENCH mlp_gemm_gflops=%.4f sgemm_gflops=%.4f ratio=%.4f step_ratio=%.4f\n",
               per_rank / gi.median * 1e-9, per_rank / g.median * 1e-9, g.median / gi.median,
               g.median / m.median);
    }
    for (int l = 0; l <= ga.nl; l++)
        free(ga.h[l]);
    for (int l = 0; l < ga.nl; l++) {
        free(ga.w[l]);
        free(ga.g[l]);
    }
    free(ga.h);
    free(ga.w);
    free(ga.g);
    free(ga.d0);
    free(ga.d1);
    sw_wl_mlp.teardown(st);
    free(canon);
    MPI_Finalize();
    return 0;
}
