/* test_cg.c — the `cg` workload under MPI (1, 2 and 4 ranks): CG on the
 * 27-point stencil passes its checks, gives the same residual whatever the
 * decomposition, corrupt=1 fails, sizing and bad parameters behave. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_mpitest.h"
#include "workloads/workload.h"

extern const sw_workload sw_wl_cg;

static sw_status solve(MPI_Comm comm, const char *params, sw_scaling sc, sw_wl_result *res,
                       sw_error *err)
{
    void *st;
    char *canon;
    sw_status s = sw_wl_cg.setup(comm, params, sc, 1, &st, &canon, err);
    EXPECT(s == SW_OK, "setup(%s): %s", params, err->msg);
    for (int rep = 0; rep < 2; rep++) {
        s = sw_wl_cg.run(st, comm, res, err);
        EXPECT(s == SW_OK, "run: %s", err->msg);
    }
    s = sw_wl_cg.check(st, comm, err);
    sw_wl_cg.teardown(st);
    free(canon);
    return s;
}

static void test_correct(void)
{
    sw_error err = {0};
    sw_wl_result world, self;
    /* nz=8 splits over 1, 2 and 4 ranks. */
    EXPECT(solve(MPI_COMM_WORLD, "nx=12,ny=10,nz=8,iters=20", SW_SCALING_STRONG, &world,
                 &err) == SW_OK, "check failed: %s", err.msg);
    EXPECT(world.metric > 0 && world.metric < 1e-2 && strcmp(world.metric_name, "relres") == 0,
           "relres %g", world.metric);
    /* Hand count: 960 rows; nnz = prod over axes of (3n-2): 34*28*22. */
    double m = 960, nnz = 34.0 * 28 * 22;
    EXPECT(fabs(world.flops - 20 * (2 * nnz + 10 * m)) < 1e-6, "flops %.0f", world.flops);
    /* Bytes: 120 slices of 8 rows (960 rows split by planes of 120 at 1, 2
     * and 4 ranks), 27 slots of 8 values and 1 index, x read, y written,
     * and 8 vector sweeps (r, Ap read and r written; x, p, r read and x, p
     * written: the dot products ride on the product and on r's update). */
    EXPECT(fabs(world.bytes - 20 * (120 * 27 * (8 * 8 + 4) + 16 * m + 64 * m)) < 1e-6,
           "bytes %.0f", world.bytes);
    /* The same problem on one rank: only summation order may differ. */
    EXPECT(solve(MPI_COMM_SELF, "nx=12,ny=10,nz=8,iters=20", SW_SCALING_STRONG, &self, &err) ==
               SW_OK, "self: %s", err.msg);
    EXPECT(fabs(self.metric - world.metric) <= 1e-9 * self.metric, "relres %.17g vs %.17g",
           self.metric, world.metric);
    /* Enough iterations to converge on 27 unknowns: CG ends in <= 27 steps. */
    EXPECT(solve(MPI_COMM_SELF, "nx=3,ny=3,nz=3,iters=27", SW_SCALING_STRONG, &self, &err) ==
               SW_OK, "3^3: %s", err.msg);
    EXPECT(self.metric < 1e-10, "3^3 grid relres after 27 iterations %g", self.metric);
    EXPECT(solve(MPI_COMM_WORLD, "nx=6,ny=5,nz=3,iters=15", SW_SCALING_WEAK, &world, &err) ==
               SW_OK, "weak: %s", err.msg);
    EXPECT(fabs(world.flops - 15 * (2 * (16.0 * 13 * (9.0 * size - 2)) + 10 * 90.0 * size)) <
               1e-6, "weak flops %.0f", world.flops);
}

static void test_corrupt(void)
{
    sw_error err = {0};
    sw_wl_result res;
    sw_status s = solve(MPI_COMM_WORLD, "nx=12,ny=10,nz=8,iters=20,corrupt=1",
                        SW_SCALING_STRONG, &res, &err);
    EXPECT(s == SW_ECHECK, "corrupt=1 gave %s", sw_status_name(s));
    EXPECT(strstr(err.msg, "true residual"), "message '%s'", err.msg);
}

static void test_estimate(void)
{
    sw_error err = {0};
    double b;
    EXPECT(sw_wl_cg.estimate("nx=10,ny=10,nz=10", SW_SCALING_STRONG, 4, 1, &b, &err) == SW_OK,
           "%s", err.msg);
    /* 3 planes on the largest rank: 300 rows = 38 slices of 8, 27 slots a
     * slice (8 values, 1 index), 4 vectors, p with 2 ghost planes and 2 pads
     * of nx + 1 + 8. */
    EXPECT(b == 38 * 27 * (8 * 8 + 4) + 4 * 300 * 8 + (100 * 5 + 2 * 19) * 8, "strong %.0f", b);
    EXPECT(sw_wl_cg.estimate("nx=10,ny=10,nz=3", SW_SCALING_WEAK, 4, 1, &b, &err) == SW_OK,
           "%s", err.msg);
    EXPECT(b == 38 * 27 * (8 * 8 + 4) + 4 * 300 * 8 + (100 * 5 + 2 * 19) * 8, "weak %.0f", b);
}

static void expect_bad(const char *params, int nranks, sw_status want, const char *needle)
{
    sw_mpitest_expect_bad(&sw_wl_cg, params, nranks, want, needle);
}

static void test_bad_params(void)
{
    expect_bad("nx=x", size, SW_EINVAL, "cg: nx='x' is not a number");
    expect_bad("iters=-1", size, SW_EINVAL, "out of range");
    expect_bad("size=3", size, SW_EINVAL, "unknown parameter 'size'");
    expect_bad("nz=3", 4, SW_EINVAL, "nz >= ranks");
}

int main(int argc, char **argv)
{
    static const sw_mpitest_fn tests[] = {test_bad_params, test_estimate, test_correct, test_corrupt};
    return sw_mpitest_main(&argc, &argv, "test_cg", tests, sizeof tests / sizeof *tests);
}
