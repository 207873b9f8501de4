/* sw_mpitest.h — shared by the MPI test programs (tests/mpi/test_*.c): a
 * failing expectation aborts the whole job with one line naming the rank,
 * file and line, so ctest sees a failure and never a hang.
 * Under AddressSanitizer, workloads/asan_mpi.h keeps LeakSanitizer on our
 * code and off Open MPI's. */
#ifndef SW_TESTS_MPITEST_H
#define SW_TESTS_MPITEST_H

#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include "workloads/asan_mpi.h"
#include "workloads/workload.h"

static int rank;
static int size;

#define EXPECT(cond, ...)                                                   \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "rank %d: %s:%d: ", rank, __FILE__, __LINE__);  \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
            MPI_Abort(MPI_COMM_WORLD, 1);                                   \
        }                                                                   \
    } while (0)

/* Bad params must fail estimate() with `want` and a message containing
 * `needle`; when the job has `nranks` ranks, setup() must fail the same way
 * and leave no state behind. */
static inline void sw_mpitest_expect_bad(const sw_workload *wl, const char *params, int nranks,
                                         sw_status want, const char *needle)
{
    sw_error err = {0};
    double b;
    sw_status s = wl->estimate(params, SW_SCALING_STRONG, nranks, 1, &b, &err);
    EXPECT(s == want && strstr(err.msg, needle), "estimate(%s): %s '%s'", params,
           sw_status_name(s), err.msg);
    if (nranks != size)
        return;
    void *st = NULL;
    char *canon = NULL;
    s = wl->setup(MPI_COMM_WORLD, params, SW_SCALING_STRONG, 1, &st, &canon, &err);
    EXPECT(s == want && !st && !canon && strstr(err.msg, needle), "setup(%s): %s '%s'", params,
           sw_status_name(s), err.msg);
}

/* The main of a workload's test program: run the tests in order on every
 * rank (a failure aborts the job), then rank 0 says "NAME: all passed". */
typedef void (*sw_mpitest_fn)(void);
static inline int sw_mpitest_main(int *argc, char ***argv, const char *name,
                                  const sw_mpitest_fn *tests, size_t ntests)
{
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (size_t i = 0; i < ntests; i++)
        tests[i]();
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0)
        printf("%s: all passed\n", name);
    MPI_Finalize();
    return 0;
}

#endif
