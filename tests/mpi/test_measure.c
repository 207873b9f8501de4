/* test_measure.c — the harness itself under MPI (run at 1, 2 and 4 ranks):
 * one call sweeps every rank count of the job by splitting the world, rank
 * 0 alone writes one row per repetition, an error at one rank count stops
 * every rank with the same status and message (no hang), and --resume
 * measures only what is missing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scalewall/obs.h"
#include "sw_mpitest.h"
#include "workloads/harness.h"
#include "workloads/registry.h"

static sw_measure_opts base(long *ranks, size_t nranks, long *threads, const char *out)
{
    sw_measure_opts o;
    memset(&o, 0, sizeof o);
    o.wl = &sw_wl_comm;
    o.ranks = ranks;
    o.nranks = nranks;
    o.threads = threads;
    o.nthreads = 1;
    o.params = "op=barrier,iters=3";
    o.rule = (sw_stop_rule){3, 3, 0.05, 0, 0.95};
    o.out_csv = out;
    return o;
}

/* Rows of the file (rank 0), broadcast so every rank can assert. */
static long count_rows(const char *path)
{
    long n = -1;
    if (rank == 0) {
        sw_obs_set set = {0};
        sw_error err = {0};
        if (sw_obs_read_file(path, &set, &err) == SW_OK) {
            n = 0;
            for (size_t i = 0; i < set.n; i++)
                n += (long)set.series[i]->npts;
        } else {
            fprintf(stderr, "%s\n", err.msg);
        }
        sw_obs_set_free(&set);
    }
    MPI_Bcast(&n, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    return n;
}

/* The harness's quiet communicators (comm_quiet.c) are the ones MPI's own
 * calls make: the same members in the same order, none where the color is
 * MPI_UNDEFINED, and the quiet barrier waits for every rank. */
static void check_quiet_comms(int size)
{
    int color = rank == size - 1 && size > 2 ? MPI_UNDEFINED : rank % 2, cmp;
    MPI_Comm q, m;
    sw_comm_split_quiet(MPI_COMM_WORLD, color, size - rank, &q);
    MPI_Comm_split(MPI_COMM_WORLD, color, size - rank, &m);
    EXPECT((q == MPI_COMM_NULL) == (m == MPI_COMM_NULL), "split: null on one side only");
    if (q != MPI_COMM_NULL) {
        MPI_Comm_compare(q, m, &cmp);
        EXPECT(cmp == MPI_CONGRUENT, "split: not the same group in the same order (%d)", cmp);
        MPI_Comm_free(&q);
        MPI_Comm_free(&m);
    }
    sw_comm_split_node_quiet(MPI_COMM_WORLD, rank, &q);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &m);
    MPI_Comm_compare(q, m, &cmp);
    EXPECT(cmp == MPI_CONGRUENT, "node split: not MPI_Comm_split_type's (%d)", cmp);
    MPI_Comm_free(&q);
    MPI_Comm_free(&m);
    int mine = rank + 1, sum = 0;
    sw_comm_quiet_barrier(MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    EXPECT(sum == size * (size + 1) / 2, "after the quiet barrier: sum %d", sum);
}

int main(int argc, char **argv)
{
    int provided, size;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char path[64] = "";
    if (rank == 0) {
        snprintf(path, sizeof path, "/tmp/test_measure_%d.csv", (int)getpid());
        unlink(path);
    }
    MPI_Bcast(path, sizeof path, MPI_CHAR, 0, MPI_COMM_WORLD);
    check_quiet_comms(size);

    /* Every rank count of the job, 3 reps each: 1, 2, 4 -> 3, 6, 9 rows. */
    long ranks[3], one = 1;
    size_t nr = 0;
    for (long r = 1; r <= size; r *= 2)
        ranks[nr++] = r;
    sw_measure_opts o = base(ranks, nr, &one, path);
    sw_error err = {0};
    sw_measure_result res = {99, 0};
    EXPECT(sw_measure_run(&o, MPI_COMM_WORLD, &res, &err) == SW_OK, "sweep: %s", err.msg);
    EXPECT(res.failed == 0, "%zu failed", res.failed);
    EXPECT(count_rows(path) == 3 * (long)nr, "rows %ld, want %ld", count_rows(path), 3 * (long)nr);

    /* Resume with one more repetition per point: exactly nr rows more. */
    o.rule.min_reps = o.rule.max_reps = 4;
    o.resume = 1;
    EXPECT(sw_measure_run(&o, MPI_COMM_WORLD, &res, &err) == SW_OK, "resume: %s", err.msg);
    EXPECT(count_rows(path) == 4 * (long)nr, "rows after resume %ld", count_rows(path));

    /* An error at the largest rank count only (ping-pong on 1 rank when the
     * job has 1): every rank gets the same status and message. */
    long at[1] = {1};
    sw_measure_opts e = base(at, 1, &one, NULL);
    e.params = "op=pingpong";
    sw_error eerr = {0};
    sw_status st = sw_measure_run(&e, MPI_COMM_WORLD, &res, &eerr);
    EXPECT(st == SW_EINVAL && strstr(eerr.msg, "at least 2 ranks"), "pingpong at 1: %s",
           eerr.msg);

    /* A check that fails on one rank count: SW_ECHECK everywhere, and the
     * rows written before it survive. */
    sw_measure_opts c = base(ranks, nr, &one, NULL);
    c.params = "op=allreduce,bytes=16,iters=2,corrupt=1";
    st = sw_measure_run(&c, MPI_COMM_WORLD, &res, &eerr);
    EXPECT(st == SW_ECHECK && strstr(eerr.msg, "allreduce sum wrong"), "corrupt: %s", eerr.msg);

    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        unlink(path);
        printf("test_measure: all passed at %d rank(s)\n", size);
    }
    MPI_Finalize();
    return 0;
}
