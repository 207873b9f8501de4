/* test_comm.c — the `comm` workload under MPI (run at 1, 2 and 4 ranks):
 * each op's answer is checked and corrupt=1 fails that check, the size
 * sweep has the cases the rank count allows, and the Hockney file has the
 * simulator's format with parameters that reproduce the measured times. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sw_mpitest.h"
#include "workloads/harness.h"
#include "workloads/registry.h"

/* setup + 2 runs + check; returns check's status. */
static sw_status once(MPI_Comm comm, const char *params, sw_wl_result *res, char **canon,
                      sw_error *err)
{
    void *st = NULL;
    sw_status s = sw_wl_comm.setup(comm, params, SW_SCALING_STRONG, 1, &st, canon, err);
    EXPECT(s == SW_OK, "setup(%s): %s", params, err->msg);
    for (int rep = 0; rep < 2; rep++) {
        *res = (sw_wl_result){NAN, NAN, NAN, NULL, NAN};
        s = sw_wl_comm.run(st, comm, res, err);
        EXPECT(s == SW_OK, "run(%s): %s", params, err->msg);
    }
    s = sw_wl_comm.check(st, comm, err);
    sw_wl_comm.teardown(st);
    return s;
}

/* A check may fail on some ranks only (the ones that hold bad data): the
 * harness agrees; here every rank learns whether any failed. */
static int any(int bad)
{
    int all;
    MPI_Allreduce(&bad, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

static void test_ops(int size)
{
    sw_error err = {0};
    sw_wl_result res;
    char *canon = NULL;
    EXPECT(once(MPI_COMM_WORLD, "op=allreduce,bytes=4096,iters=5", &res, &canon, &err) == SW_OK,
           "allreduce check: %s", err.msg);
    EXPECT(strcmp(canon, "op=allreduce;bytes=4096;iters=5") == 0, "canon '%s'", canon);
    EXPECT(res.ops == 5 && res.bytes == 5 * 4096.0, "ops %g bytes %g", res.ops, res.bytes);
    free(canon);
    EXPECT(once(MPI_COMM_WORLD, "op=barrier,iters=7", &res, &canon, &err) == SW_OK, "barrier: %s",
           err.msg);
    EXPECT(res.ops == 7, "barrier ops %g", res.ops);
    free(canon);
    /* Corrupted: rank 0 adds 1 to element 0, every rank sees the sum off by 1. */
    sw_status s = once(MPI_COMM_WORLD, "op=allreduce,bytes=64,iters=3,corrupt=1", &res, &canon,
                       &err);
    EXPECT(s == SW_ECHECK && strstr(err.msg, "element 0") && strstr(err.msg, "off by 1"),
           "corrupt allreduce gave %s: %s", sw_status_name(s), err.msg);
    free(canon);
    s = once(MPI_COMM_WORLD, "op=barrier,iters=3,corrupt=1", &res, &canon, &err);
    EXPECT(s == SW_ECHECK, "corrupt barrier passed");
    free(canon);
    if (size < 2) {
        void *st = NULL;
        s = sw_wl_comm.setup(MPI_COMM_WORLD, "op=pingpong", SW_SCALING_STRONG, 1, &st, &canon,
                             &err);
        EXPECT(s == SW_EINVAL && strstr(err.msg, "at least 2 ranks"), "pingpong at 1 rank: %s",
               err.msg);
        return;
    }
    EXPECT(once(MPI_COMM_WORLD, "op=pingpong,bytes=1000,iters=4,pairs=all", &res, &canon,
                &err) == SW_OK, "pingpong: %s", err.msg);
    EXPECT(res.ops == 8, "pingpong ops %g (two messages per round trip)", res.ops);
    free(canon);
    EXPECT(once(MPI_COMM_WORLD, "op=pingpong,bytes=0,iters=4", &res, &canon, &err) == SW_OK,
           "empty pingpong: %s", err.msg);
    free(canon);
    s = once(MPI_COMM_WORLD, "op=pingpong,bytes=100,iters=2,corrupt=1", &res, &canon, &err);
    EXPECT(any(s == SW_ECHECK), "corrupted pingpong payload passed its check");
    if (s == SW_ECHECK)
        EXPECT(strstr(err.msg, "byte 50 of 100"), "message '%s'", err.msg);
    free(canon);
}

static void test_bad_params(void)
{
    sw_error err = {0};
    double b;
    EXPECT(sw_wl_comm.estimate("op=bcast", SW_SCALING_STRONG, 2, 1, &b, &err) == SW_EINVAL &&
           strstr(err.msg, "op=bcast"), "%s", err.msg);
    EXPECT(sw_wl_comm.estimate("size=3", SW_SCALING_STRONG, 2, 1, &b, &err) == SW_EINVAL &&
           strstr(err.msg, "unknown parameter 'size'"), "%s", err.msg);
    EXPECT(sw_wl_comm.estimate("op=allreduce,bytes=4", SW_SCALING_STRONG, 2, 1, &b, &err) ==
           SW_EINVAL, "allreduce of 4 bytes accepted");
    EXPECT(sw_wl_comm.estimate("op=pingpong,bytes=1000", SW_SCALING_STRONG, 2, 1, &b, &err) ==
           SW_OK && b == 2000, "estimate %g", b);
}

static void test_cases(int size)
{
    sw_error err = {0};
    char **c;
    size_t n;
    /* 8, 64, 512, 4096 and the end 5000: allreduce 5, barrier 1, pingpong
     * 5 only where the sweep is largest. */
    EXPECT(sw_comm_cases("min=8,max=5000,iters=3", size, size, &c, &n, &err) == SW_OK, "%s",
           err.msg);
    EXPECT(n == (size >= 2 ? 11u : 6u), "%zu cases at %d ranks", n, size);
    EXPECT(strcmp(c[0], "op=pingpong,bytes=8,iters=3") == 0 || size < 2, "first '%s'", c[0]);
    EXPECT(strcmp(c[n - 1], "op=barrier,iters=3") == 0, "last '%s'", c[n - 1]);
    EXPECT(strcmp(c[n - 2], "op=allreduce,bytes=5000,iters=3") == 0, "'%s'", c[n - 2]);
    for (size_t i = 0; i < n; i++)
        free(c[i]);
    free(c);
    EXPECT(sw_comm_cases("min=8,max=5000", 2, 4, &c, &n, &err) == SW_OK && n == 6,
           "below the largest rank count ping-pong is skipped: %zu", n);
    for (size_t i = 0; i < n; i++)
        free(c[i]);
    free(c);
    EXPECT(sw_comm_cases("op=allreduce,bytes=16", 1, 1, &c, &n, &err) == SW_OK && n == 1 &&
           strcmp(c[0], "op=allreduce,bytes=16") == 0, "one case");
    free(c[0]);
    free(c);
}

static void test_hockney_file(int size)
{
    if (size != 1)
        return; /* rank-local: a synthetic series, written by each job once */
    sw_obs *s[3];
    const char *params[3] = {"op=pingpong;bytes=8;iters=1", "op=pingpong;bytes=8008;iters=1",
                             "op=barrier;iters=1"};
    /* The barrier's time needs all 17 digits: the file must give back the
     * median exactly (written at 10 digits it fell outside the measured
     * values when two repetitions were equal, as CI once saw). */
    const double t[3] = {1e-6 + 8 * 1e-10, 1e-6 + 8008 * 1e-10, 3.0000000000123457e-6};
    for (int i = 0; i < 3; i++) {
        s[i] = sw_obs_new("comm", SW_QTY_TIME, "s");
        sw_obs_set_params(s[i], params[i], NULL);
        for (int r = 0; r < 3; r++) {
            sw_obs_point *p = sw_obs_add(s[i], 2, r, t[i]);
            p->ok = 1;
        }
    }
    char path[] = "/tmp/test_comm_hockney_XXXXXX";
    int fd = mkstemp(path);
    EXPECT(fd >= 0, "mkstemp");
    close(fd);
    sw_error err = {0};
    sw_comm_level lv = {.name = "", .pair_ranks = 2, .group_ranks = 2};
    char *text = NULL;
    EXPECT(sw_comm_fit_level(s, 3, &lv, &err) == SW_OK &&
           sw_comm_hockney_text(&lv, 1, "hostA", &text, &err) == SW_OK &&
           sw_comm_write_text(path, text, NULL, 0, &err) == SW_OK, "%s", err.msg);
    free(text);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    EXPECT(root, "hockney file is not JSON: %s", je.text);
    EXPECT(strcmp(json_string_value(json_object_get(root, "format")), "scalewall-hockney") == 0 &&
           json_integer_value(json_object_get(root, "version")) == 1 &&
           json_integer_value(json_object_get(root, "ranks")) == 2 &&
           strcmp(json_string_value(json_object_get(root, "host")), "hostA") == 0, "header");
    json_t *ops = json_object_get(root, "ops");
    json_t *pp = json_object_get(ops, "pingpong"), *bar = json_object_get(ops, "barrier");
    double a = json_real_value(json_object_get(pp, "alpha_s"));
    double b = json_real_value(json_object_get(pp, "beta_s_per_byte"));
    EXPECT(fabs(a - 1e-6) < 1e-12 && fabs(b - 1e-10) < 1e-15, "alpha %g beta %g", a, b);
    EXPECT(json_real_value(json_object_get(bar, "alpha_s")) == t[2] &&
           !json_object_get(bar, "beta_s_per_byte"), "barrier");
    EXPECT(!json_object_get(ops, "allreduce"), "allreduce was not measured");
    json_decref(root);
    unlink(path);
    for (int i = 0; i < 3; i++)
        sw_obs_free(s[i]);
}

/* Across nodes: each level's series carry level=NAME, the ping-pong ran on
 * a pair (2 ranks), the allreduce on the level's group (here 4 nodes); the
 * file holds both levels, and a classic series beside them is ignored. */
static void test_hockney_levels(int size)
{
    if (size != 1)
        return;
    const char *params[5] = {"op=pingpong;bytes=8;iters=1;level=intra",
                             "op=pingpong;bytes=1000008;iters=1;level=intra",
                             "op=pingpong;bytes=8;iters=1;level=inter",
                             "op=pingpong;bytes=1000008;iters=1;level=inter",
                             "op=pingpong;bytes=8;iters=1"};
    /* intra: 1 us + 0.1 ns/B; inter: 50 us + 8 ns/B (125 MB/s). */
    const double t[5] = {1e-6 + 8e-10, 1e-6 + 1000008e-10, 50e-6 + 64e-9, 50e-6 + 8000064e-9, 1};
    sw_obs *s[7];
    for (int i = 0; i < 5; i++) {
        s[i] = sw_obs_new("comm", SW_QTY_TIME, "s");
        sw_obs_set_params(s[i], params[i], NULL);
        sw_obs_add(s[i], 2, 0, t[i]);
    }
    /* inter allreduce at 4 ranks: 100 us + 16 ns/B; one point at 2 ranks (not the group). */
    const char *ar[2] = {"op=allreduce;bytes=8;iters=1;level=inter",
                         "op=allreduce;bytes=80008;iters=1;level=inter"};
    for (int i = 0; i < 2; i++) {
        s[5 + i] = sw_obs_new("comm", SW_QTY_TIME, "s");
        sw_obs_set_params(s[5 + i], ar[i], NULL);
        sw_obs_add(s[5 + i], 4, 0, 100e-6 + (i ? 80008 : 8) * 16e-9);
        sw_obs_add(s[5 + i], 2, 0, 1.0);
    }
    sw_comm_level lv[2] = {{.name = "intra", .pair_ranks = 2, .group_ranks = 2},
                           {.name = "inter", .pair_ranks = 2, .group_ranks = 4}};
    sw_error err = {0};
    char *text = NULL;
    for (int i = 0; i < 2; i++)
        EXPECT(sw_comm_fit_level(s, 7, &lv[i], &err) == SW_OK, "%s", err.msg);
    EXPECT(fabs(lv[0].fit[0].alpha - 1e-6) < 1e-12 && fabs(lv[0].fit[0].beta - 1e-10) < 1e-16,
           "intra %g %g", lv[0].fit[0].alpha, lv[0].fit[0].beta);
    EXPECT(fabs(lv[1].fit[0].alpha - 50e-6) < 1e-11 && fabs(lv[1].fit[0].beta - 8e-9) < 1e-15,
           "inter %g %g", lv[1].fit[0].alpha, lv[1].fit[0].beta);
    EXPECT(lv[1].fit[1].npoints == 2 && fabs(lv[1].fit[1].beta - 16e-9) < 1e-15,
           "inter allreduce at 4 ranks: %zu points, beta %g", lv[1].fit[1].npoints,
           lv[1].fit[1].beta);
    EXPECT(lv[0].fit[1].npoints == 0, "intra allreduce was not measured");
    EXPECT(sw_comm_hockney_text(lv, 2, "node1", &text, &err) == SW_OK, "%s", err.msg);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    EXPECT(root && !json_object_get(root, "ops"), "levels only: %s", text);
    json_t *inter = json_object_get(json_object_get(root, "levels"), "inter");
    EXPECT(json_integer_value(json_object_get(inter, "ranks")) == 4, "inter ranks");
    EXPECT(json_object_get(json_object_get(inter, "ops"), "allreduce"), "inter allreduce");
    json_decref(root);
    free(text);
    for (int i = 0; i < 7; i++)
        sw_obs_free(s[i]);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    test_ops(size);
    test_bad_params();
    test_cases(size);
    test_hockney_file(size);
    test_hockney_levels(size);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0)
        printf("test_comm: all passed at %d rank(s)\n", size);
    MPI_Finalize();
    return 0;
}
