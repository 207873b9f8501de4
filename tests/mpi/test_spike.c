/* test_spike.c — the `spike` workload under MPI (1, 2 and 4 ranks): the
 * distributed network reproduces the serial reference spike for spike,
 * corrupt=1 and an implausible rate fail, sizing and bad parameters behave. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_mpitest.h"
#include "workloads/workload.h"

extern const sw_workload sw_wl_spike;

#define SMALL "n=400,conn=40,t=50"

static sw_status simulate(MPI_Comm comm, const char *params, sw_scaling sc, sw_wl_result *res,
                          sw_error *err)
{
    void *st;
    char *canon;
    sw_status s = sw_wl_spike.setup(comm, params, sc, 1, &st, &canon, err);
    EXPECT(s == SW_OK, "setup(%s): %s", params, err->msg);
    for (int rep = 0; rep < 2; rep++) { /* every repetition starts from the same state */
        s = sw_wl_spike.run(st, comm, res, err);
        EXPECT(s == SW_OK, "run: %s", err->msg);
    }
    s = sw_wl_spike.check(st, comm, err);
    sw_wl_spike.teardown(st);
    free(canon);
    return s;
}

static void test_deterministic(void)
{
    sw_error err = {0};
    sw_wl_result r;
    EXPECT(simulate(MPI_COMM_WORLD, SMALL, SW_SCALING_STRONG, &r, &err) == SW_OK,
           "check: %s", err.msg);
    EXPECT(strcmp(r.metric_name, "rtf") == 0 && r.metric > 0 && isfinite(r.metric), "rtf %g",
           r.metric);
    /* A split network: each half runs its own copy and matches the reference. */
    if (size >= 2) {
        MPI_Comm half;
        MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &half);
        EXPECT(simulate(half, SMALL ",seed=5", SW_SCALING_STRONG, &r, &err) == SW_OK,
               "half: %s", err.msg);
        MPI_Comm_free(&half);
    }
    EXPECT(simulate(MPI_COMM_WORLD, "n=150,conn=30,t=30,dt=1,delay=2", SW_SCALING_WEAK, &r,
                    &err) == SW_OK, "weak, dt=1: %s", err.msg);
}

static void test_failures(void)
{
    sw_error err = {0};
    sw_wl_result r;
    sw_status s = simulate(MPI_COMM_WORLD, SMALL ",corrupt=1", SW_SCALING_STRONG, &r, &err);
    EXPECT(s == SW_ECHECK && strstr(err.msg, "serial reference") && strstr(err.msg, "differ"),
           "corrupt=1 gave %s '%s'", sw_status_name(s), err.msg);
    /* No external drive: the network stays silent, 0 Hz is implausible. */
    s = simulate(MPI_COMM_WORLD, SMALL ",eta=0", SW_SCALING_STRONG, &r, &err);
    EXPECT(s == SW_ECHECK && strstr(err.msg, "mean rate 0 Hz (0 spikes"), "eta=0 gave %s '%s'",
           sw_status_name(s), err.msg);
    /* Without the reference the raster is not compared: only the rate is. */
    s = simulate(MPI_COMM_WORLD, SMALL ",corrupt=1,verify=0", SW_SCALING_STRONG, &r, &err);
    EXPECT(s == SW_OK, "verify=0: %s", err.msg);
}

static void test_estimate(void)
{
    sw_error err = {0};
    double b;
    EXPECT(sw_wl_spike.estimate("n=1000,conn=100,verify=0", SW_SCALING_STRONG, 4, 1, &b, &err) ==
               SW_OK, "%s", err.msg);
    /* 250 neurons: ptr + cursor 2*1001 ints, 25000 targets, v and 16 input
     * slots (delay 15 steps + 1) in doubles, refr and own spikes, everyone's
     * spikes 1000 ints, counts and displacements. */
    double want = 2 * 1001 * 4 + 25000 * 4 + 250 * (8 * 17 + 8) + 1000 * 4 + 2 * 4 * 4;
    EXPECT(b == want, "estimate %.0f, expected %.0f", b, want);
    double bw;
    EXPECT(sw_wl_spike.estimate("n=250,conn=100,verify=0", SW_SCALING_WEAK, 4, 1, &bw, &err) ==
               SW_OK && bw == want, "weak estimate %.0f", bw);
    EXPECT(sw_wl_spike.estimate("n=1000,conn=100", SW_SCALING_STRONG, 4, 1, &b, &err) == SW_OK,
           "%s", err.msg);
    double ref = 2 * 1001 * 4 + 100000 * 4 + 1000 * (8 * 17 + 8) + 1000 * 4 + 2 * 4;
    EXPECT(b == want + ref, "with the reference %.0f, expected %.0f", b, want + ref);
}

static void expect_bad(const char *params, int nranks, sw_status want, const char *needle)
{
    sw_mpitest_expect_bad(&sw_wl_spike, params, nranks, want, needle);
}

static void test_bad_params(void)
{
    expect_bad("t=long", size, SW_EINVAL, "spike: t='long' is not a number");
    expect_bad("dt=0", size, SW_EINVAL, "dt=0 is out of range");
    expect_bad("n=-10", size, SW_EINVAL, "out of range");
    expect_bad("rate=5", size, SW_EINVAL, "unknown parameter 'rate'");
    expect_bad("rmin=50,rmax=10", size, SW_EINVAL, "rmin=50 is above rmax=10");
    expect_bad("t=0.04", size, SW_EINVAL, "at least one step");
    expect_bad("n=3", 4, SW_EINVAL, "3 neurons cannot be split over 4 ranks");
}

int main(int argc, char **argv)
{
    static const sw_mpitest_fn tests[] = {test_bad_params, test_estimate, test_deterministic, test_failures};
    return sw_mpitest_main(&argc, &argv, "test_spike", tests, sizeof tests / sizeof *tests);
}
