/* bench_startup.c — what a user's whole `scalewall` command costs beyond
 * starting a process (issue 16, item 3).
 *
 * Runs each command as a process (posix_spawn, output to /dev/null, exit
 * status checked) in rounds: every round runs every command once, in an
 * order rotated from round to round, with /bin/true, the peer, among them.
 * A command's cost over the peer is the median over rounds of (command -
 * /bin/true) in the same round, so the machine's load, which drifts between
 * rounds, cancels as far as it can.  Figures: the light front end's
 * `fit`, `predict`, `simulate` and its pure start-up (`fit --help`: load,
 * dispatch, print; no work), a heavy command's `--help` (front end + exec of
 * scalewall-mpi), and the same commands run by scalewall-mpi, which links
 * everything as the single binary did before the split.
 *
 *   build/bench_startup [ROUNDS]     (default 41; the first round is dropped)
 *
 * Target: start-up of the front end <= 5 ms over /bin/true. */
#define _DEFAULT_SOURCE /* wait4 */
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


extern char **environ;

enum { MAXARG = 12 };

typedef struct bcmd {
    const char *label;
    const char *argv[MAXARG];
    double *t, *cpu; /* wall and CPU (user + system) seconds, one per round */
} bcmd;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs argv to completion; its wall time (and its CPU time in *cpu), or -1
 * when it failed. */
static double run(const char *const *argv, double *cpu)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    pid_t pid;
    double t0 = now();
    int e = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e)
        return -1;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    double t = now() - t0;
    *cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median and quartiles of v[0..n) (sorted in place). */
static void quart(double *v, size_t n, double q[3])
{
    qsort(v, n, sizeof *v, cmp_double);
    for (int k = 0; k < 3; k++) {
        double pos = (double)(n - 1) * (k + 1) / 4.0;
        size_t i = (size_t)pos;
        double f = pos - (double)i;
        q[k] = i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[i];
    }
}

static void loadavg(char *buf, size_t size)
{
    FILE *fp = fopen("/proc/loadavg", "r");
    buf[0] = '\0';
    if (fp) {
        if (fgets(buf, (int)size, fp))
            buf[strcspn(buf, "\n")] = '\0';
        fclose(fp);
    }
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 41;
    if (rounds < 5) {
        fprintf(stderr, "bench_startup: ROUNDS must be at least 5\n");
        return 2;
    }
    char dir[PATH_MAX], fe[PATH_MAX + 16], mpi[PATH_MAX + 16], model[64];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return 1;
    dir[n] = '\0';
    *strrchr(dir, '/') = '\0';
    snprintf(fe, sizeof fe, "%s/scalewall", dir);
    snprintf(mpi, sizeof mpi, "%s/scalewall-mpi", dir);
    char tmp[] = "/tmp/bench_startup.XXXXXX";
    if (!mkdtemp(tmp))
        return 1;
    snprintf(model, sizeof model, "%s/model.json", tmp);
    const char *sweep = SW_SOURCE_DIR "/tests/data/fit_sweep.csv";
    const char *mk[] = {fe, "fit", sweep, "-o", model, NULL};
    double cpu;
    if (run(mk, &cpu) < 0) {
        fprintf(stderr, "bench_startup: %s fit %s -o %s failed\n", fe, sweep, model);
        return 1;
    }
#define FIT(x) {x, "fit", sweep, "--at", "64", NULL}
#define PREDICT(x) {x, "predict", model, "--n", "1024,4096", NULL}
#define SIMULATE(x) {x, "simulate", "--net", "mlp:depth=100,width=1024", "--batch", "4096", "--n", "1024", NULL}
    bcmd cmds[] = {
        {"/bin/true (the peer)", {"/bin/true", NULL}, NULL, NULL},
        {"scalewall fit --help (start-up)", {fe, "fit", "--help", NULL}, NULL, NULL},
        {"scalewall fit fit_sweep.csv --at 64", FIT(fe), NULL, NULL},
        {"scalewall predict MODEL --n 1024,4096", PREDICT(fe), NULL, NULL},
        {"scalewall simulate mlp 100x1024 --n 1024", SIMULATE(fe), NULL, NULL},
        {"scalewall measure --help (exec scalewall-mpi)", {fe, "measure", "--help", NULL}, NULL, NULL},
        {"before: scalewall-mpi fit --help", {mpi, "fit", "--help", NULL}, NULL, NULL},
        {"before: scalewall-mpi fit", FIT(mpi), NULL, NULL},
        {"before: scalewall-mpi predict", PREDICT(mpi), NULL, NULL},
        {"before: scalewall-mpi simulate", SIMULATE(mpi), NULL, NULL},
    };
    size_t nc = sizeof cmds / sizeof cmds[0];
    for (size_t c = 0; c < nc; c++)
        if (!(cmds[c].t = calloc((size_t)rounds, sizeof(double))) ||
            !(cmds[c].cpu = calloc((size_t)rounds, sizeof(double))))
            return 7;
    char load0[128], load1[128];
    loadavg(load0, sizeof load0);
    for (long r = 0; r < rounds; r++)
        for (size_t k = 0; k < nc; k++) {
            size_t c = (k + (size_t)r) % nc; /* rotated: no command always follows another */
            double t = run(cmds[c].argv, &cmds[c].cpu[r]);
            if (t < 0) {
                fprintf(stderr, "bench_startup: '%s' failed\n", cmds[c].label);
                return 1;
            }
            cmds[c].t[r] = t;
        }
    loadavg(load1, sizeof load1);
    unlink(model);
    rmdir(tmp);

    size_t m = (size_t)rounds - 1; /* round 0 warms the page cache */
    double *d = malloc(m * sizeof *d), q[3], over[16], cover[16];
    if (!d)
        return 7;
    printf("bench_startup: %ld rounds (first dropped), %zu commands interleaved; load average "
           "before: %s, after: %s\n",
           rounds, nc, load0, load1);
    printf("%-46s %9s %24s %24s\n", "command", "median ms", "wall over /bin/true (IQR)",
           "CPU over /bin/true (IQR)");
    for (size_t c = 0; c < nc; c++) {
        memcpy(d, cmds[c].t + 1, m * sizeof *d);
        quart(d, m, q);
        double med = q[1];
        char wall[64] = "-", cpus[64] = "-";
        for (int k = 0; k < 2; k++) {
            const double *v = k ? cmds[c].cpu : cmds[c].t, *p = k ? cmds[0].cpu : cmds[0].t;
            for (size_t r = 0; r < m; r++)
                d[r] = v[r + 1] - p[r + 1];
            quart(d, m, q);
            (k ? cover : over)[c] = q[1];
            if (c)
                snprintf(k ? cpus : wall, 64, "%.2f (%.2f..%.2f)", 1e3 * q[1], 1e3 * q[0],
                         1e3 * q[2]);
        }
        printf("%-46s %9.2f %24s %24s\n", cmds[c].label, 1e3 * med, wall, cpus);
    }
    printf("start-up of the front end (fit --help over /bin/true): %.2f ms wall, %.2f ms CPU "
           "(target <= 5 ms: %s); before the split (scalewall-mpi): %.2f ms wall, %.2f ms CPU\n",
           1e3 * over[1], 1e3 * cover[1], over[1] <= 5e-3 ? "holds" : "MISSED", 1e3 * over[6],
           1e3 * cover[6]);
    printf("whole commands over /bin/true, after / before, wall (CPU): fit %.2f / %.2f ms "
           "(%.2f / %.2f), predict %.2f / %.2f ms (%.2f / %.2f), simulate %.2f / %.2f ms "
           "(%.2f / %.2f)\n",
           1e3 * over[2], 1e3 * over[7], 1e3 * cover[2], 1e3 * cover[7], 1e3 * over[3],
           1e3 * over[8], 1e3 * cover[3], 1e3 * cover[8], 1e3 * over[4], 1e3 * over[9],
           1e3 * cover[4], 1e3 * cover[9]);
    printf("simulate's work is ~20 us, so its whole command over /bin/true is its start-up: "
           "%.2f ms (target <= 5 ms: %s)\n",
           1e3 * over[4], over[4] <= 5e-3 ? "holds" : "MISSED");
    printf("a heavy command's --help (front end, then scalewall-mpi): %.2f ms wall, %.2f ms CPU "
           "over /bin/true\n",
           1e3 * over[5], 1e3 * cover[5]);
    free(d);
    for (size_t c = 0; c < nc; c++) {
        free(cmds[c].t);
        free(cmds[c].cpu);
    }
    return 0;
}
