/* bench_kernels_dense.c — times the `dense` workload (ScaLAPACK LU solve)
 * at one size: mpirun -np P bench_kernels_dense [params] [reps].
 *
 * The peer, HPL inside Debian's hpcc at the same N, NB and grid, cannot run
 * inside this MPI job, so bench/peers/dense_vs_hpl.sh runs both in one go
 * and prints the ratio; this program prints its figures and one
 * machine-readable `SW_BENCH` line for that script. */
#include <math.h>
#include <string.h>

#include "bench_kernels.h"

extern const sw_workload sw_wl_dense;

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *params = argc > 1 ? argv[1] : "n=2000,nb=32";
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1 || reps > 1000)
        reps = 5;
    double t[1000];
    sw_wl_result res;
    char *canon;
    void *st = bk_setup(&sw_wl_dense, params, &canon);
    for (int r = 0; r < reps; r++)
        t[r] = bk_run(&sw_wl_dense, st, &res);
    bk_check(&sw_wl_dense, st);
    bk_stats s = bk_summary(t, reps);
    /* HPL's own count, so the rates compare like for like with hpcc. */
    double n = 0;
    const char *p = strstr(canon, "n=");
    if (p)
        n = atof(p + 2);
    double hpl_flops = 2.0 / 3.0 * n * n * n + 1.5 * n * n;
    if (rank == 0) {
        printf("dense %s ranks=%d reps=%d: median %.4f s (min %.4f, max %.4f), "
               "%.2f GFlop/s by HPL's count 2/3n^3+3/2n^2 (checked: scaled residual < 16)\n",
               canon, size, reps, s.median, s.min, s.max, hpl_flops / s.median * 1e-9);
        printf("SW_BENCH dense_time_s=%.6f dense_gflops=%.4f\n", s.median,
               hpl_flops / s.median * 1e-9);
    }
    sw_wl_dense.teardown(st);
    free(canon);
    MPI_Finalize();
    return 0;
}
