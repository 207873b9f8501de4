/* test_mlp.c — the `mlp` workload under MPI (1, 2 and 4 ranks): training
 * lowers the loss, weights stay identical across ranks, the result does not
 * depend on the number of ranks or the bucketing beyond rounding, FLOP and
 * byte counts match the closed forms, corrupt=1 fails, bad parameters fail. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_mpitest.h"
#include "workloads/workload.h"

extern const sw_workload sw_wl_mlp;

#define SMALL "depth=2,width=32,in=16,out=4,steps=20,lr=0.05"

static sw_status train(MPI_Comm comm, const char *params, sw_scaling sc, sw_wl_result *res,
                       sw_error *err)
{
    void *st;
    char *canon;
    sw_status s = sw_wl_mlp.setup(comm, params, sc, 1, &st, &canon, err);
    EXPECT(s == SW_OK, "setup(%s): %s", params, err->msg);
    s = sw_wl_mlp.run(st, comm, res, err);
    EXPECT(s == SW_OK, "run: %s", err->msg);
    s = sw_wl_mlp.check(st, comm, err);
    sw_wl_mlp.teardown(st);
    free(canon);
    return s;
}

static void test_train(void)
{
    sw_error err = {0};
    sw_wl_result world, self, r;
    EXPECT(train(MPI_COMM_WORLD, SMALL ",batch=64,factor=0.5", SW_SCALING_STRONG, &world,
                 &err) == SW_OK, "check: %s", err.msg);
    EXPECT(strcmp(world.metric_name, "loss") == 0 && world.metric > 0, "metric %g",
           world.metric);
    /* Per step: GEMMs 4 B in w + 6 B w w + 6 B w out; 4 bytes a weight. */
    double b = 64, gemm = 4 * b * 16 * 32 + 6 * b * 32 * 32 + 6 * b * 32 * 4;
    EXPECT(fabs(world.flops - 20 * gemm) < 1e-3, "flops %.0f vs %.0f", world.flops, 20 * gemm);
    EXPECT(fabs(world.bytes - 20 * 4.0 * (16 * 32 + 32 * 32 + 32 * 4)) < 1e-3, "bytes %.0f",
           world.bytes);
    /* Strong scaling splits the same global batch: same training to rounding. */
    EXPECT(train(MPI_COMM_SELF, SMALL ",batch=64,factor=0.5", SW_SCALING_STRONG, &self, &err) ==
               SW_OK, "self: %s", err.msg);
    EXPECT(fabs(self.metric - world.metric) <= 1e-4 * self.metric, "loss %.9g on 1 rank, %.9g "
           "on %d", self.metric, world.metric, size);
    /* Bucketing changes only how gradients travel. */
    const char *buckets[] = {SMALL ",batch=64,bucket=1", SMALL ",batch=64,bucket=100000"};
    for (int i = 0; i < 2; i++) {
        EXPECT(train(MPI_COMM_WORLD, buckets[i], SW_SCALING_STRONG, &r, &err) == SW_OK, "%s: %s",
               buckets[i], err.msg);
        EXPECT(fabs(r.metric - world.metric) <= 1e-5 * world.metric, "%s: loss %.9g vs %.9g",
               buckets[i], r.metric, world.metric);
    }
    /* Weak scaling: batch per rank, so P times the work. */
    EXPECT(train(MPI_COMM_WORLD, SMALL ",batch=16", SW_SCALING_WEAK, &r, &err) == SW_OK,
           "weak: %s", err.msg);
    double gw = (4.0 * 16 * 32 + 6.0 * 32 * 32 + 6.0 * 32 * 4) * 16 * size;
    EXPECT(fabs(r.flops - 20 * gw) < 1e-3, "weak flops %.0f vs %.0f", r.flops, 20 * gw);
}

static void test_corrupt(void)
{
    sw_error err = {0};
    sw_wl_result r;
    sw_status s = train(MPI_COMM_WORLD, SMALL ",batch=64,corrupt=1", SW_SCALING_STRONG, &r, &err);
    EXPECT(s == SW_ECHECK, "corrupt=1 gave %s (loss %g)", sw_status_name(s), r.metric);
    /* The wrecked network either dies (outputs 0) or overflows (NaN). */
    EXPECT(strstr(err.msg, "learned nothing") || strstr(err.msg, "mlp: loss went from"),
           "corrupt=1 message '%s'", err.msg);
    /* A small disagreement between ranks leaves training fine but must be seen. */
    s = train(MPI_COMM_WORLD, SMALL ",batch=64,corrupt=2", SW_SCALING_STRONG, &r, &err);
    if (size == 1)
        EXPECT(s == SW_OK, "corrupt=2 on one rank has nobody to disagree with: %s", err.msg);
    else
        EXPECT(s == SW_ECHECK && strstr(err.msg, "mlp: weights differ across ranks"),
               "corrupt=2 gave %s '%s'", sw_status_name(s), err.msg);
    /* An impossible target fails with the figures in the message. */
    s = train(MPI_COMM_WORLD, SMALL ",batch=64,factor=1e-6", SW_SCALING_STRONG, &r, &err);
    EXPECT(s == SW_ECHECK && strstr(err.msg, "expected below x1e-06"), "%s", err.msg);
}

static void test_estimate(void)
{
    sw_error err = {0};
    double b;
    EXPECT(sw_wl_mlp.estimate("depth=3,width=100,in=10,out=5,batch=40", SW_SCALING_STRONG, 4, 1,
                              &b, &err) == SW_OK, "%s", err.msg);
    /* 10 local samples; weights 10*100 + 2*100*100 + 100*5 = 21500, twice;
     * activations 10*(10 + 300 + 5); targets 10*5; two buffers 10*100. */
    EXPECT(b == 4.0 * (2 * 21500 + 10 * 315 + 50 + 2000), "estimate %.0f", b);
    EXPECT(sw_wl_mlp.estimate("depth=3,width=100,in=10,out=5,batch=10", SW_SCALING_WEAK, 4, 1,
                              &b, &err) == SW_OK && b == 4.0 * (2 * 21500 + 10 * 315 + 50 + 2000),
           "weak estimate %.0f", b);
}

static void expect_bad(const char *params, int nranks, sw_status want, const char *needle)
{
    sw_mpitest_expect_bad(&sw_wl_mlp, params, nranks, want, needle);
}

static void test_bad_params(void)
{
    expect_bad("lr=fast", size, SW_EINVAL, "mlp: lr='fast' is not a number");
    expect_bad("width=-3", size, SW_EINVAL, "width=-3 is out of range");
    expect_bad("batch=0", size, SW_EINVAL, "out of range");
    expect_bad("layers=3", size, SW_EINVAL, "unknown parameter 'layers'");
    expect_bad("batch=3", 4, SW_EINVAL, "global batch 3 cannot be split over 4 ranks");
}

int main(int argc, char **argv)
{
    static const sw_mpitest_fn tests[] = {test_bad_params, test_estimate, test_train, test_corrupt};
    return sw_mpitest_main(&argc, &argv, "test_mlp", tests, sizeof tests / sizeof *tests);
}
