/* test_dense.c — the `dense` workload under MPI (run at 1, 2 and 4 ranks):
 * a correct solve passes HPL's residual test, corrupt=1 fails it, BLACS
 * works on split communicators, one-row grids solve with look-ahead (lu1d)
 * whatever the block and matrix sizes, sizing and bad parameters behave. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_mpitest.h"
#include "workloads/workload.h"

extern const sw_workload sw_wl_dense;

/* setup + run, run, check, run_timed, run_timed, check on comm; returns check's status, leaves its message. */
static sw_status solve(MPI_Comm comm, const char *params, sw_scaling sc, sw_error *err)
{
    void *st;
    char *canon;
    sw_status s = sw_wl_dense.setup(comm, params, sc, 1, &st, &canon, err);
    EXPECT(s == SW_OK, "setup(%s): %s", params, err->msg);
    EXPECT(strstr(canon, "n=") && strstr(canon, "nb="), "canon '%s'", canon);
    sw_wl_result res;
    for (int rep = 0; rep < 2; rep++) { /* repetitions must not disturb each other */
        s = sw_wl_dense.run(st, comm, &res, err);
        EXPECT(s == SW_OK, "run: %s", err->msg);
    }
    s = sw_wl_dense.check(st, comm, err);
    if (s == SW_OK) { /* two timed solves without finish: the second copies A itself */
        for (int rep = 0; rep < 2; rep++)
            EXPECT(sw_wl_dense.run_timed(st, comm, &res, err) == SW_OK, "run_timed: %s",
                   err->msg);
        s = sw_wl_dense.check(st, comm, err);
    }
    sw_wl_dense.teardown(st);
    free(canon);
    return s;
}

static void test_correct_and_corrupt(void)
{
    sw_error err = {0};
    EXPECT(solve(MPI_COMM_WORLD, "n=300,nb=32", SW_SCALING_STRONG, &err) == SW_OK,
           "correct solve failed its check: %s", err.msg);
    EXPECT(solve(MPI_COMM_WORLD, "n=50,nb=16,seed=7", SW_SCALING_WEAK, &err) == SW_OK,
           "weak solve failed: %s", err.msg);
    sw_status s = solve(MPI_COMM_WORLD, "n=300,nb=32,corrupt=1", SW_SCALING_STRONG, &err);
    EXPECT(s == SW_ECHECK, "corrupt=1 gave %s, expected check-failed", sw_status_name(s));
    EXPECT(strstr(err.msg, "scaled residual") && strstr(err.msg, "expected < 16"),
           "message '%s'", err.msg);
}

/* The harness sweeps N by splitting the world: BLACS must live on a part. */
static void test_split_comm(void)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    sw_error err = {0};
    EXPECT(solve(MPI_COMM_SELF, "n=120,nb=16", SW_SCALING_STRONG, &err) == SW_OK,
           "solve on MPI_COMM_SELF: %s", err.msg);
    if (size < 2)
        return;
    MPI_Comm half;
    MPI_Comm_split(MPI_COMM_WORLD, rank < size / 2, rank, &half);
    EXPECT(solve(half, "n=160,nb=16", SW_SCALING_STRONG, &err) == SW_OK,
           "solve on a half communicator: %s", err.msg);
    MPI_Comm_free(&half);
    /* A grid on a communicator made after an earlier grid was freed. */
    EXPECT(solve(MPI_COMM_WORLD, "n=100,nb=8", SW_SCALING_STRONG, &err) == SW_OK,
           "solve on the world again: %s", err.msg);
}

/* lu1d on one-row grids (2 and 3 ranks here): a last block narrower than
 * nb, a block wider than the matrix, and ScaLAPACK's pdgesv on the same
 * grid (lookahead=0) solving the same system. */
static void test_one_row_grid(void)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    sw_error err = {0};
    const char *cases[] = {"n=301,nb=32", "n=40,nb=64", "n=97,nb=8,seed=3", "n=301,nb=32,lookahead=0"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        EXPECT(solve(MPI_COMM_WORLD, cases[i], SW_SCALING_STRONG, &err) == SW_OK, "%s: %s",
               cases[i], err.msg);
    if (size < 3)
        return;
    MPI_Comm three; /* a 1 x 3 grid: every rank owns every third panel */
    MPI_Comm_split(MPI_COMM_WORLD, rank < 3, rank, &three);
    if (rank < 3) {
        EXPECT(solve(three, "n=250,nb=16", SW_SCALING_STRONG, &err) == SW_OK,
               "1x3 grid: %s", err.msg);
        sw_status s = solve(three, "n=250,nb=16,corrupt=1", SW_SCALING_STRONG, &err);
        EXPECT(s == SW_ECHECK, "1x3 grid, corrupt=1 gave %s", sw_status_name(s));
    }
    MPI_Comm_free(&three);
}

static void test_estimate(void)
{
    sw_error err = {0};
    double b1, b4, w4;
    EXPECT(sw_wl_dense.estimate("n=1000,nb=100", SW_SCALING_STRONG, 1, 1, &b1, &err) == SW_OK,
           "%s", err.msg);
    /* Hand computation: A and its copy, 4 vectors, pivots. */
    EXPECT(b1 == 2.0 * 1000 * 1000 * 8 + 4.0 * 1000 * 8 + 1100.0 * 4, "1 rank: %.0f", b1);
    EXPECT(sw_wl_dense.estimate("n=1000,nb=100", SW_SCALING_STRONG, 4, 1, &b4, &err) == SW_OK,
           "%s", err.msg);
    /* 2x2 grid, 10 blocks: 5 block rows and columns on each process. */
    EXPECT(b4 == 2.0 * 500 * 500 * 8 + 4.0 * 500 * 8 + 600.0 * 4, "4 ranks: %.0f", b4);
    /* 1x2 grid (lu1d): 1000 rows, 5 blocks of 100 columns on process (0,0),
     * plus two panels of 1000 x 100 with 100 pivots each, two vectors of
     * 1000, a sum of 100 and 2 x 100 int pivots; without look-ahead none. */
    double b2, b2n;
    EXPECT(sw_wl_dense.estimate("n=1000,nb=100", SW_SCALING_STRONG, 2, 1, &b2, &err) == SW_OK,
           "%s", err.msg);
    EXPECT(b2 == 2.0 * 1000 * 500 * 8 + 4.0 * 1000 * 8 + 1100.0 * 4 +
                     (2.0 * 100100 + 2000 + 100) * 8 + 200.0 * 4,
           "2 ranks: %.0f", b2);
    EXPECT(sw_wl_dense.estimate("n=1000,nb=100,lookahead=0", SW_SCALING_STRONG, 2, 1, &b2n,
                                &err) == SW_OK,
           "%s", err.msg);
    EXPECT(b2n == 2.0 * 1000 * 500 * 8 + 4.0 * 1000 * 8 + 1100.0 * 4, "2 ranks, pdgesv: %.0f",
           b2n);
    /* nb=0 (the default): 32 except on a one-row grid with look-ahead,
     * min(128, n/(4P)) in multiples of 32; compared through the sizes. */
    const struct { const char *autop, *fixed; int np; } rule[] = {
        {"n=8000", "n=8000,nb=128", 2}, {"n=600", "n=600,nb=64", 2},
        {"n=100", "n=100,nb=32", 2},    {"n=8000", "n=8000,nb=32", 4},
        {"n=8000,lookahead=0", "n=8000,nb=32,lookahead=0", 2}, {"n=900", "n=900,nb=64", 3}};
    for (size_t i = 0; i < sizeof rule / sizeof *rule; i++) {
        double ba, bf;
        EXPECT(sw_wl_dense.estimate(rule[i].autop, SW_SCALING_STRONG, rule[i].np, 1, &ba, &err) ==
                       SW_OK &&
                   sw_wl_dense.estimate(rule[i].fixed, SW_SCALING_STRONG, rule[i].np, 1, &bf,
                                        &err) == SW_OK,
               "%s", err.msg);
        EXPECT(ba == bf, "%s at %d ranks: %.0f bytes, %s: %.0f", rule[i].autop, rule[i].np, ba,
               rule[i].fixed, bf);
    }
    /* Weak: order 500 * sqrt(4) = 1000, same as the strong run above. */
    EXPECT(sw_wl_dense.estimate("n=500,nb=100", SW_SCALING_WEAK, 4, 1, &w4, &err) == SW_OK,
           "%s", err.msg);
    EXPECT(w4 == b4, "weak 500 at 4 ranks %.0f != strong 1000 %.0f", w4, b4);
}

static void expect_bad(const char *params, sw_status want, const char *needle)
{
    sw_error err = {0};
    void *st = NULL;
    char *canon = NULL;
    double b;
    sw_status s = sw_wl_dense.estimate(params, SW_SCALING_STRONG, 2, 1, &b, &err);
    EXPECT(s == want, "estimate(%s) gave %s", params, sw_status_name(s));
    EXPECT(strstr(err.msg, needle), "estimate(%s) message '%s' lacks '%s'", params, err.msg,
           needle);
    s = sw_wl_dense.setup(MPI_COMM_WORLD, params, SW_SCALING_STRONG, 1, &st, &canon, &err);
    EXPECT(s == want && st == NULL && canon == NULL, "setup(%s) gave %s", params,
           sw_status_name(s));
    EXPECT(strstr(err.msg, "dense") && strstr(err.msg, needle), "setup message '%s'", err.msg);
}

static void test_bad_params(void)
{
    expect_bad("n=abc", SW_EINVAL, "'abc' is not a number");
    expect_bad("n=-5", SW_EINVAL, "out of range");
    expect_bad("n=10.5", SW_EINVAL, "not a whole number");
    expect_bad("bogus=1", SW_EINVAL, "unknown parameter 'bogus'");
    expect_bad("n=10,n=20", SW_EINVAL, "given twice");
    expect_bad("n", SW_EINVAL, "not key=value");
    expect_bad("corrupt=2", SW_EINVAL, "out of range");
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    test_bad_params();
    test_estimate();
    test_correct_and_corrupt();
    test_split_comm();
    test_one_row_grid();
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0)
        printf("test_dense: all passed\n");
    MPI_Finalize();
    return 0;
}
