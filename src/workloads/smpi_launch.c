/* smpi_launch.c — the real side of a simulated sweep.
 *
 * `scalewall measure WL --platform P ...` does not simulate anything
 * itself: it turns P into a SimGrid platform (smpi.h), measures the
 * single-rank compute rate the simulated hosts will run at (a real 1-rank
 * run of the same workload, unless the platform or --rate gives one),
 * refuses runs whose host time or memory would not fit (sw_smpi_estimate_run),
 * then runs scalewall_smpi.so — `measure` itself, built against SMPI —
 * under smpirun with the deterministic settings of docs/virtual.md, and
 * stops it if it passes those budgets all the same (the estimate is fitted,
 * not exact; a simulation that eats the host's memory takes the machine
 * down with it).  Points finished before a stop stay in the results.  The
 * results files are the same format, marked simulated.  smpirun runs in a
 * temporary folder (it drops smpitmp-* files in its cwd; -tmpdir is broken,
 * so TMPDIR points there), and relative result paths are made absolute. */
#define _DEFAULT_SOURCE /* wait4: the peak RSS of smpirun and what it waited for */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "scalewall/platform.h"
#include "scalewall/smpi.h"
#include "scalewall/stats.h"
#include "workloads/harness.h"
#include "workloads/smpi_launch.h"
#include "workloads/smpi_support.h"
#include "workloads/workload.h"

#define MAX_ARGS 256
#define DEFAULT_SIM_BUDGET 1800.0
/* Allocations above this are shared between simulated ranks (their values
 * are never computed on: compute is injected). */
#define SHARED_MALLOC_THRESH "65536"

static const char platform_help[] =
    "usage: scalewall measure WORKLOAD --platform P --np LIST [measure options]\n"
    "\n"
    "Runs the sweep on a simulated platform under SimGrid SMPI (smpirun): the same\n"
    "results format, marked simulated=1 with meta platform=P and check=.\n"
    "\n"
    "  P = flat[:lat=2us,bw=10GBps,speed=1Gf,hosts=H]   a flat cluster\n"
    "      fattree[:leaf=8,up=8,lat=..,bw=..,speed=..]   two-level fat tree, up < leaf\n"
    "                                                    is oversubscribed\n"
    "      local|100gbe|hdr|ndr|nvlink|FILE.json         a `scalewall simulate` profile\n"
    "      FILE.xml                                      your own SimGrid platform\n"
    "  lat is the host-to-host latency alpha; one rank per host.\n"
    "  --calibration FILE   apply a `measure comm --hockney` file to a profile\n"
    "  --rate FLOPS         per-rank compute rate (default: speed= of P, a profile's\n"
    "                       flops_fp32, or measured by a real 1-rank run)\n"
    "  --smpi-alg A         allreduce algorithm: rdb, rabenseifner (default), ring\n"
    "  --sim-budget S       refuse runs estimated above S seconds of host time, and\n"
    "                       stop runs that pass it (default 1800)\n"
    "  --sim-mem BYTES      the same for host memory (default 90% of MemAvailable)\n"
    "  --dry-run            print the platform and each N's estimate; run nothing\n"
    "  --platform-out FILE  also write the generated platform XML there\n"
    "Deterministic: bw-factor 0:1, lat-factor 0:1, crosstraffic 0,\n"
    "simulate-computation no; compute is injected with smpi_execute_flops.\n";

typedef struct launch {
    const char *platform, *calibration, *xml_out, *workload, *params;
    const char *out, *jsonl, *hockney; /* passed on; --platform-out must not be one */
    double rate, sim_budget, sim_mem;
    double mem_budget;       /* what check_limits allowed: the watchdog's limit */
    sw_smpi_alg alg;
    int help, list, weak, min_reps, warmup, dry_run;
    char *pass[MAX_ARGS];
    int npass;
    long ranks[64];
    int nranks, max_ranks;
    char *owned[8];
    int nowned;
} launch;

int sw_smpi_wanted(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--platform") == 0 || strncmp(argv[i], "--platform=", 11) == 0)
            return 1;
    return 0;
}

static int fail(const char *fmt, const char *a, int code)
{
    fprintf(stderr, "scalewall measure: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    return code;
}

/* Options of measure that take a value (cmd_measure.c). */
static int takes_value(const char *name)
{
    static const char *const v[] = {"np", "threads", "scaling", "params", "reps", "ci-target",
                                    "budget", "warmup", "out", "jsonl", "hockney", "launch",
                                    "metric", "metric-kind", "unit", "name", "timeout",
                                    "mem-limit", NULL};
    for (int i = 0; v[i]; i++)
        if (strcmp(v[i], name) == 0)
            return 1;
    return 0;
}

static char *absolute(launch *L, const char *path)
{
    char cwd[PATH_MAX];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd) || L->nowned == 8)
        return (char *)path;
    char *s = malloc(strlen(cwd) + strlen(path) + 2);
    if (!s)
        return (char *)path;
    sprintf(s, "%s/%s", cwd, path);
    return L->owned[L->nowned++] = s;
}

/* "1,2,4", "1:64" (powers of two when both ends are), each item's maximum. */
static int parse_np(launch *L, const char *arg)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", arg);
    char *save = NULL;
    for (char *it = strtok_r(buf, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(it, ':');
        long lo = strtol(it, NULL, 10), hi = colon ? strtol(colon + 1, NULL, 10) : lo;
        if (lo < 1 || hi < lo)
            return -1;
        int pow2 = (lo & (lo - 1)) == 0 && (hi & (hi - 1)) == 0;
        for (long v = lo; v <= hi && L->nranks < 64; v = pow2 ? v * 2 : (v == hi ? hi + 1 : hi))
            L->ranks[L->nranks++] = v;
    }
    for (int i = 0; i < L->nranks; i++)
        if (L->ranks[i] > L->max_ranks)
            L->max_ranks = (int)L->ranks[i];
    return L->nranks ? 0 : -1;
}

static int own_option(launch *L, const char *name, const char *val)
{
    sw_error err = {0};
    if (strcmp(name, "platform") == 0)
        L->platform = val;
    else if (strcmp(name, "calibration") == 0)
        L->calibration = val;
    else if (strcmp(name, "platform-out") == 0)
        L->xml_out = val;
    else if (strcmp(name, "rate") == 0) {
        if (sw_smpi_parse_quantity(val, "f", &L->rate, &err) || !(L->rate > 0))
            return fail("--rate '%s': a compute rate in flop/s, e.g. 2Gf", val, 2);
    } else if (strcmp(name, "sim-budget") == 0) {
        char *end;
        L->sim_budget = strtod(val, &end);
        if (*end || !(L->sim_budget > 0))
            return fail("--sim-budget '%s': seconds of host time > 0", val, 2);
    } else if (strcmp(name, "sim-mem") == 0) {
        char *end;
        L->sim_mem = strtod(val, &end);
        if (*end || !(L->sim_mem > 0))
            return fail("--sim-mem '%s': bytes of host memory > 0, e.g. 8e9", val, 2);
    } else if (strcmp(name, "smpi-alg") == 0) {
        if (sw_smpi_alg_parse(val, &L->alg, &err))
            return fail("--smpi-alg: %s", err.msg, 2);
    } else
        return -1;
    return 0;
}

static int note_passed(launch *L, const char *name, const char *val)
{
    if (strcmp(name, "np") == 0 && parse_np(L, val))
        return fail("--np '%s': rank counts such as 1,2,4 or 1:64", val, 2);
    if (strcmp(name, "params") == 0)
        L->params = val;
    if (strcmp(name, "out") == 0)
        L->out = val;
    if (strcmp(name, "jsonl") == 0)
        L->jsonl = val;
    if (strcmp(name, "hockney") == 0)
        L->hockney = val;
    if (strcmp(name, "scaling") == 0)
        L->weak = strcmp(val, "weak") == 0;
    if (strcmp(name, "reps") == 0)
        L->min_reps = atoi(val);
    if (strcmp(name, "warmup") == 0)
        L->warmup = atoi(val);
    if (strcmp(name, "launch") == 0)
        return fail("--launch and --platform: a simulation is started by smpirun (%s)", val, 2);
    return 0;
}

static int pass(launch *L, const char *a)
{
    if (L->npass >= MAX_ARGS - 16)
        return fail("too many arguments%s", "", 2);
    L->pass[L->npass++] = (char *)a;
    return 0;
}

static int scan_args(launch *L, int argc, char **argv)
{
    static const char *const own[] = {"platform", "calibration", "platform-out", "rate",
                                      "sim-budget", "sim-mem", "smpi-alg", NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return fail("--platform runs built-in workloads, not a command (%s)", "after '--'", 2);
        if (strncmp(a, "--", 2) != 0) {
            if (L->workload)
                return fail("unexpected argument '%s'", a, 2);
            L->workload = a;
            if (pass(L, a))
                return 2;
            continue;
        }
        if (strcmp(a, "--dry-run") == 0) {
            L->dry_run = 1;
            continue;
        }
        char name[64];
        const char *eq = strchr(a + 2, '='), *val = NULL;
        size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        snprintf(name, sizeof name, "%.*s", (int)nl, a + 2);
        int is_own = 0;
        for (int k = 0; own[k]; k++)
            is_own |= strcmp(own[k], name) == 0;
        if (is_own || takes_value(name)) {
            val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val)
                return fail("option --%s needs a value", name, 2);
        }
        int rc;
        if (is_own) {
            if ((rc = own_option(L, name, val)))
                return rc;
            continue;
        }
        if (strcmp(name, "help") == 0 || strcmp(a, "-h") == 0)
            L->help = 1;
        if (strcmp(name, "list") == 0)
            L->list = 1;
        if (val && (rc = note_passed(L, name, val)))
            return rc;
        if (val && (!strcmp(name, "out") || !strcmp(name, "jsonl") || !strcmp(name, "hockney")))
            val = absolute(L, val);
        if ((rc = pass(L, eq ? a : a)) || (val && !eq && (rc = pass(L, val))))
            return rc;
        if (val && eq) { /* --out=rel: rebuild with the absolute path */
            char *s = malloc(strlen(name) + strlen(val) + 4);
            if (s && L->nowned < 8) {
                sprintf(s, "--%s=%s", name, val);
                L->pass[L->npass - 1] = L->owned[L->nowned++] = s;
            } else
                free(s);
        }
    }
    return 0;
}

/* ---- the platform ----------------------------------------------------- */

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* A profile, a flat/fattree spec; *xml set for a user XML file. */
static sw_status make_platform(launch *L, sw_smpi_platform *p, const char **xml, sw_error *err)
{
    *xml = NULL;
    if (ends_with(L->platform, ".xml")) {
        if (access(L->platform, R_OK) != 0)
            return sw_error_set(err, SW_EIO, "%s: cannot read the platform XML", L->platform);
        *xml = L->platform;
        memset(p, 0, sizeof *p);
        p->host_speed = L->rate;
        return SW_OK;
    }
    if (!strncmp(L->platform, "flat", 4) || !strncmp(L->platform, "fattree", 7)) {
        if (L->calibration)
            return sw_error_set(err, SW_EINVAL,
                                "--calibration applies to a profile (local, hdr, ...), not %s",
                                L->platform);
        sw_status st = sw_smpi_platform_parse(L->platform, L->max_ranks, p, err);
        if (!st && L->rate > 0)
            p->host_speed = L->rate;
        return st;
    }
    sw_platform pl;
    sw_status st = sw_platform_from_spec(L->platform, &pl, err);
    if (!st && L->calibration) {
        sw_coll_alg a = L->alg == SW_SMPI_RDB       ? SW_ALG_RECURSIVE_DOUBLING
                        : L->alg == SW_SMPI_RING ? SW_ALG_RING
                                                 : SW_ALG_RABENSEIFNER;
        st = sw_platform_calibrate_file(&pl, L->calibration, a, err);
    }
    /* "local" is this machine: its compute rate is measured, not guessed. */
    double speed = L->rate > 0 ? L->rate : strcmp(pl.name, "local") == 0 ? -1 : 0;
    if (!st)
        st = sw_smpi_platform_from_profile(&pl, L->max_ranks, speed > 0 ? speed : 0, p, err);
    if (!st && speed < 0)
        p->host_speed = 0;
    return st;
}

/* ---- the measured single-rank rate ------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* flops / seconds of the workload's run() on one real rank (this process,
 * MPI_COMM_SELF), median of 3 after a warm-up: the rate every simulated
 * rank computes at. */
static sw_status measure_rate(launch *L, const sw_workload *wl, double *rate, sw_error *err)
{
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited)
        MPI_Init(NULL, NULL);
    void *state = NULL;
    char *canon = NULL;
    sw_status st = wl->setup(MPI_COMM_SELF, L->params ? L->params : "",
                             L->weak ? SW_SCALING_WEAK : SW_SCALING_STRONG, 1, &state, &canon,
                             err);
    double r[3];
    for (int k = -1; !st && k < 3; k++) {
        sw_wl_result res = {NAN, NAN, NAN, NULL, NAN};
        double t0 = now_s();
        st = wl->run(state, MPI_COMM_SELF, &res, err);
        double t = now_s() - t0;
        if (!st && !(res.flops > 0 && t > 0))
            st = sw_error_set(err, SW_EPARSE, "%s: a real run reported no flop count",
                              L->workload);
        if (!st && k >= 0)
            r[k] = res.flops / t;
    }
    if (state)
        wl->teardown(state);
    free(canon);
    if (!inited)
        MPI_Finalize();
    if (!st)
        *rate = sw_stats_median(r, 3);
    return st;
}

/* ---- limits ------------------------------------------------------------ */

/* A parameter of "k=v,k=v" (or ';'), else dflt. */
static double param(const char *params, const char *key, double dflt)
{
    size_t kl = strlen(key);
    for (const char *p = params; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=')
            return strtod(p + kl + 1, NULL);
        p += strcspn(p, ",;");
        if (*p)
            p++;
    }
    return dflt;
}

/* What one repetition allreduces: count and mean bytes of each (host time),
 * and the largest (the temporaries it leaves in memory).  mlp sums one
 * layer's gradient at a time, or with bucket=K KiB the layers finished once
 * K KiB are pending: up to a bucket plus a layer, never more than all. */
static void wl_collectives(const launch *L, double *count, double *bytes, double *largest)
{
    const char *pr = L->params;
    if (strcmp(L->workload, "cg") == 0) {
        *count = 2 * param(pr, "iters", 50) + 1;
        *bytes = *largest = 8;
    } else if (strcmp(L->workload, "mlp") == 0) {
        double d = param(pr, "depth", 4), w = param(pr, "width", 1024);
        double in = param(pr, "in", 256), out = param(pr, "out", 16);
        double nw = in * w + (d - 1) * w * w + w * out, bucket = 1024 * param(pr, "bucket", 0);
        double layer = 4 * fmax(fmax(in * w, d > 1 ? w * w : 0), w * out);
        *count = param(pr, "steps", 10) * (d + 1) + 1;
        *bytes = 4 * nw / (d + 1);
        *largest = bucket > 0 ? fmin(4 * nw, bucket + layer) : layer;
    } else { /* comm: its size sweep, roughly */
        *count = 300;
        *bytes = *largest = param(pr, "max", 1 << 20);
    }
}

/* Repetitions plus warm-ups at each N (measure's default minimum is 6). */
static int runs_a_point(const launch *L)
{
    return (L->min_reps > 0 ? L->min_reps : 6) + L->warmup;
}

/* Host memory a simulation may use: --sim-mem, else 90 % of MemAvailable now. */
static double mem_allowed(const launch *L)
{
    double m = 0.9 * sw_sysinfo_mem_available();
    return L->sim_mem > 0 ? L->sim_mem : isfinite(m) ? m : INFINITY;
}

/* Costs every N of the sweep (sw_smpi_estimate_run) and refuses the sweep
 * when the sum of host time or the largest N's memory is over budget; with
 * `each`, prints every N's estimate there (--dry-run). */
static sw_status check_limits(launch *L, const sw_workload *wl, sw_smpi_estimate *tot,
                              FILE *each, sw_error *err)
{
    double count, bytes, largest, reps = runs_a_point(L);
    wl_collectives(L, &count, &bytes, &largest);
    /* Shared buffers go with in-place allreduces (mlp), whose copies SMPI
     * makes far more slowly.  The harness adds a barrier and a maximum a
     * repetition and ~10 small collectives a point (setup, agreement,
     * memory and load checks). */
    int shared = sw_smpi_shared_buffers(L->workload);
    memset(tot, 0, sizeof *tot);
    sw_smpi_estimate *runs = calloc((size_t)L->nranks + 1, sizeof *runs);
    int *ranks = calloc((size_t)L->nranks + 1, sizeof *ranks);
    if (!runs || !ranks) {
        free(runs);
        free(ranks);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    for (int i = 0; i < L->nranks; i++) {
        int r = (int)L->ranks[i];
        double app = 0;
        sw_status st = wl->estimate(L->params ? L->params : "", L->weak ? SW_SCALING_WEAK
                                                                        : SW_SCALING_STRONG,
                                    r, 1, &app, err);
        sw_smpi_estimate *e = &runs[i];
        ranks[i] = r;
        if (!st)
            st = sw_smpi_estimate_run(r, bytes, L->alg, count * reps, 2 * reps + 10, shared,
                                      app, e, err);
        if (!st)
            e->host_bytes = sw_smpi_host_bytes(r, largest, L->alg, shared, app);
        if (st) {
            free(runs);
            free(ranks);
            return st;
        }
        if (each)
            fprintf(each, "  N = %-6d %10.3g simulated messages, ~%.3g s and ~%.3g GB of host "
                          "time and memory\n", r, e->messages, e->host_seconds,
                    e->host_bytes / 1e9);
    }
    /* Fixed here: MemAvailable falls as the simulation itself grows. */
    L->mem_budget = mem_allowed(L);
    sw_status st = sw_smpi_check_sweep(runs, ranks, (size_t)L->nranks, L->mem_budget,
                                       L->sim_budget, tot, err);
    free(runs);
    free(ranks);
    return st;
}

/* ---- running smpirun ---------------------------------------------------- */

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[PATH_MAX + 260];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* Through sw_outfile like every output: --platform-out never replaces a
 * device, an input (the platform or calibration read) or a results file. */
static sw_status write_file(const launch *L, const sw_smpi_platform *p, const char *path,
                            int hostfile, sw_error *err)
{
    const char *in[] = {L->platform, L->calibration, L->out, L->jsonl, L->hockney};
    sw_outfile f;
    sw_status st = sw_outfile_open(&f, path, SW_OUT_REPLACE, in, SW_NINPUTS(in), err);
    if (st)
        return st;
    st = hostfile ? sw_smpi_write_hostfile(p, f.fp, err) : sw_smpi_write_platform(p, f.fp, err);
    return st ? sw_outfile_fail(&f, st, err) : sw_outfile_commit(&f, err);
}

/* The SMPI program smpirun loads: $SCALEWALL_SMPI_SO, else scalewall_smpi.so
 * beside this executable (a build tree), else where `cmake --install` put it
 * relative to the executable (SW_SMPI_INSTALLED, e.g. ../lib/scalewall/...).
 * Found from the running binary, never from a path fixed at build time, so
 * an installed scalewall needs no build tree.  NULL: a build without SMPI. */
static const char *smpi_program(char *buf, size_t size)
{
    const char *env = getenv("SCALEWALL_SMPI_SO");
    if (env && *env)
        return env;
#ifdef SW_SMPI_INSTALLED
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(buf, size, "%s/scalewall_smpi.so", exe);
    if (access(buf, R_OK) == 0)
        return buf;
    snprintf(buf, size, "%s/%s", exe, SW_SMPI_INSTALLED);
    return buf;
#else
    (void)buf;
    (void)size;
    return NULL;
#endif
}

/* The platform's name in the results: commas become ';' like params. */
static void meta_name(const launch *L, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", L->platform, L->calibration ? "+calibration=" : "",
             L->calibration ? L->calibration : "");
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = ';';
}

/* ---- the watchdog ------------------------------------------------------ */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    interrupted = sig;
}

typedef struct signals {
    struct sigaction intr, term;
} signals;

/* Ctrl-C and SIGTERM are caught from before the fork, so none is lost (or
 * ignored, as in a background job) between the fork and the watch. */
static void catch_signals(signals *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old->intr);
    sigaction(SIGTERM, &sa, &old->term);
}

static void restore_signals(const signals *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
}

/* Waits for smpirun, polling its host time and memory every 50 ms, and stops
 * it when either passes the budget the estimate was held to.  The
 * simulation runs in its own process group, so Ctrl-C at the terminal comes
 * here and is passed on.  Returns smpirun's exit code, or the documented
 * code of the stop: 1 for time, 7 for memory, 128 + signal. */
static int watch(const launch *L, pid_t pid, const sw_smpi_estimate *e, const signals *old)
{
    double t0 = now_s(), peak = 0, t = 0;
    int status = 0, why = 0, lost = 0; /* why: 1 time, 2 memory, 3 signal, 4 lost */
    for (;;) {
        /* The kernel's peak (ru_maxrss of smpirun and of smpimain, which it
         * waits for) sees what a 50 ms sample can miss. */
        struct rusage ru;
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) {
            peak = fmax(peak, 1024.0 * (double)ru.ru_maxrss);
            break;
        }
        if (r < 0 && errno != EINTR) {
            why = 4, lost = errno;
            break;
        }
        t = now_s() - t0;
        double rss = sw_sysinfo_group_rss(pid);
        peak = rss > peak ? rss : peak;
        why = interrupted ? 3 : t > L->sim_budget ? 1 : rss > L->mem_budget ? 2 : 0;
        if (why) {
            sw_proc_stop_group(pid, &status);
            break;
        }
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    t = now_s() - t0;
    restore_signals(old);
    char got[160];
    snprintf(got, sizeof got, "%.1f s and %.3g GB of host time and memory (estimate %.3g s, "
             "%.3g GB)", t, peak / 1e9, e->host_seconds, e->host_bytes / 1e9);
    if (why == 1) {
        fprintf(stderr, "scalewall measure: stopped the simulation after %s: over the %g s of "
                "--sim-budget (raise it, or simulate fewer ranks); points finished before are "
                "kept in the results\n", got, L->sim_budget);
        return 1;
    }
    if (why == 2) {
        fprintf(stderr, "scalewall measure: stopped the simulation after %s: over the %.3g GB "
                "of host memory allowed (--sim-mem; or use fewer ranks or smaller messages); "
                "points finished before are kept in the results\n", got, L->mem_budget / 1e9);
        return 7;
    }
    if (why == 4) {
        fprintf(stderr, "scalewall measure: lost smpirun (pid %ld): %s\n", (long)pid,
                strerror(lost));
        return 1;
    }
    if (why == 3) {
        fprintf(stderr, "scalewall measure: interrupted; points finished before are kept in the "
                "results\n");
        return 128 + interrupted;
    }
    fprintf(stderr, "scalewall measure: the simulation took %s\n", got);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int run_smpirun(launch *L, const char *dir, const char *xml, const sw_smpi_platform *p,
                       const char *so, const sw_smpi_estimate *e)
{
    char np[24], speed[64], alg[64], plat[PATH_MAX + 32], hosts[PATH_MAX + 32], name[600];
    snprintf(np, sizeof np, "%d", L->max_ranks);
    snprintf(speed, sizeof speed, "--cfg=smpi/host-speed:%.17gf", p->host_speed);
    snprintf(alg, sizeof alg, "--cfg=smpi/allreduce:%s", sw_smpi_alg_name(L->alg));
    snprintf(plat, sizeof plat, "%s/platform.xml", dir);
    snprintf(hosts, sizeof hosts, "%s/hosts.txt", dir);
    meta_name(L, name, sizeof name);
    char *argv[MAX_ARGS + 32];
    int k = 0;
    argv[k++] = "smpirun";
    argv[k++] = "-np";
    argv[k++] = np;
    argv[k++] = "-platform";
    argv[k++] = xml ? (char *)xml : plat;
    if (!xml) {
        argv[k++] = "-hostfile";
        argv[k++] = hosts;
    }
    /* No mutable globals in the program: every rank shares one copy of the
     * .so instead of one dlopen'ed copy per rank (simgrid.md, pitfall 7). */
    argv[k++] = "-no-privatize";
    argv[k++] = speed;
    argv[k++] = "--cfg=smpi/simulate-computation:no";
    argv[k++] = alg;
    argv[k++] = "--cfg=smpi/bw-factor:0:1";
    argv[k++] = "--cfg=smpi/lat-factor:0:1";
    argv[k++] = "--cfg=network/crosstraffic:0";
    if (sw_smpi_shared_buffers(L->workload))
        argv[k++] = "--cfg=smpi/auto-shared-malloc-thresh:" SHARED_MALLOC_THRESH;
    argv[k++] = "--log=root.thr:error";
    argv[k++] = (char *)so;
    for (int i = 0; i < L->npass; i++)
        argv[k++] = L->pass[i];
    argv[k++] = "--smpi-platform";
    argv[k++] = name;
    argv[k] = NULL;
    fflush(NULL);
    signals old;
    catch_signals(&old);
    pid_t pid = fork();
    if (pid < 0) {
        restore_signals(&old);
        return fail("cannot fork: %s", strerror(errno), 1);
    }
    if (pid == 0) {
        /* smpirun and smpimain: one group the watchdog can stop.  Not the
         * terminal's foreground group, so stdin must not be the terminal
         * (a read would stop it with SIGTTIN); the simulation reads none. */
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            close(devnull);
        }
        if (chdir(dir) != 0)
            _exit(127);
        setenv("TMPDIR", dir, 1);
        execvp("smpirun", argv);
        fprintf(stderr, "scalewall measure: cannot run smpirun: %s\n", strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* both sides, so no signal finds it in ours */
    return watch(L, pid, e, &old);
}

static void describe(FILE *fp, const launch *L, const sw_smpi_platform *p, const char *xml,
                     const sw_smpi_estimate *e)
{
    char speed[80];
    if (p->host_speed > 0)
        snprintf(speed, sizeof speed, "%.4g flop/s per rank", p->host_speed);
    else
        snprintf(speed, sizeof speed, "flop/s per rank of a real 1-rank run");
    if (xml)
        fprintf(fp, "scalewall measure: %s on %s (SimGrid XML), allreduce %s", L->workload,
                xml, sw_smpi_alg_name(L->alg));
    else
        fprintf(fp,
                "scalewall measure: %s on simulated %s: %d %s hosts, alpha %.3g s, %.3g B/s, "
                "%s, allreduce %s",
                L->workload, L->platform, p->hosts,
                p->topology == SW_SMPI_FATTREE ? "fat-tree" : "flat", p->alpha, p->bandwidth,
                speed, sw_smpi_alg_name(L->alg));
    fprintf(fp, "; estimate %.3g s, %.3g GB of host time and memory\n", e->host_seconds,
            e->host_bytes / 1e9);
}

/* --dry-run: what would run and what it would cost, exit as the run would
 * be refused or not; needs neither smpirun nor the SMPI program. */
static int dry_run(launch *L, const sw_workload *wl)
{
    sw_error err = {0};
    sw_smpi_platform p;
    const char *xml;
    sw_smpi_estimate e;
    sw_status st = make_platform(L, &p, &xml, &err);
    if (!st && xml && !(p.host_speed > 0))
        p.host_speed = 1e9;
    if (!st) {
        printf("dry run: %s %s, %d run(s) a point, budgets %g s and %.3g GB of host "
               "time and memory\n", L->workload, L->params ? L->params : "(defaults)",
               runs_a_point(L), L->sim_budget, mem_allowed(L) / 1e9);
        st = check_limits(L, wl, &e, stdout, &err);
    }
    if (!st)
        describe(stdout, L, &p, xml, &e);
    if (st) {
        fprintf(stderr, "scalewall measure: %s\n", err.msg);
        return sw_status_exit_code(st);
    }
    return 0;
}

static int launch_run(launch *L)
{
    const sw_workload *wl = sw_smpi_workload_find(L->workload);
    const char *why = sw_smpi_unsupported(L->workload);
    if (why || !wl) {
        fprintf(stderr, "scalewall measure: %s: %s\n", L->workload,
                why ? why : "unknown workload");
        return 2;
    }
    if (L->dry_run)
        return dry_run(L, wl);
    char sobuf[PATH_MAX + 64];
    const char *so = smpi_program(sobuf, sizeof sobuf);
    if (!so)
        return fail("this build has no SMPI program (%s): configure with -DSW_SMPI=ON "
                    "(needs libsimgrid-dev)", "scalewall_smpi.so", 6);
    if (access(so, R_OK) != 0)
        return fail("the SMPI program %s cannot be read (reinstall scalewall, or name it "
                    "in SCALEWALL_SMPI_SO)", so, 4);
    sw_error err = {0};
    sw_smpi_platform p;
    const char *xml;
    sw_smpi_estimate e;
    sw_status st = make_platform(L, &p, &xml, &err);
    /* Costed first: a refusal comes before any real run of the rate. */
    if (!st)
        st = check_limits(L, wl, &e, NULL, &err);
    char tmpl[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/scalewall-smpi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!st && !mkdtemp(tmpl))
        st = sw_error_set(&err, SW_EIO, "%s: %s", tmpl, strerror(errno));
    int have_dir = !st;
    if (!st && !(p.host_speed > 0)) {
        if (strcmp(L->workload, "comm") == 0)
            p.host_speed = 1e9; /* comm computes nothing */
        else if (!(st = measure_rate(L, wl, &p.host_speed, &err)))
            fprintf(stderr, "scalewall measure: %s computes at %.4g flop/s on one real rank\n",
                    L->workload, p.host_speed);
    }
    if (xml && !(p.host_speed > 0))
        p.host_speed = 1e9;
    if (!st && !xml) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/platform.xml", tmpl);
        st = write_file(L, &p, path, 0, &err);
        snprintf(path, sizeof path, "%s/hosts.txt", tmpl);
        if (!st)
            st = write_file(L, &p, path, 1, &err);
        if (!st && L->xml_out)
            st = write_file(L, &p, L->xml_out, 0, &err);
    }
    int rc;
    if (st) {
        fprintf(stderr, "scalewall measure: %s\n", err.msg);
        rc = sw_status_exit_code(st);
    } else {
        describe(stderr, L, &p, xml, &e);
        rc = run_smpirun(L, tmpl, xml, &p, so, &e);
    }
    if (have_dir)
        remove_dir(tmpl);
    return rc;
}

int sw_smpi_launch(int argc, char **argv)
{
    launch L;
    memset(&L, 0, sizeof L);
    L.alg = SW_SMPI_RAB_RDB;
    L.sim_budget = DEFAULT_SIM_BUDGET;
    L.warmup = 1;
    int rc = scan_args(&L, argc, argv);
    if (!rc && (L.help || (L.platform && strcmp(L.platform, "help") == 0)))
        fputs(platform_help, stdout);
    else if (!rc && L.list)
        sw_smpi_list();
    else if (!rc && !L.workload)
        rc = fail("name a workload: %s", "scalewall measure --platform P --list", 2);
    else if (!rc && !L.nranks)
        rc = fail("--platform needs --np LIST, the simulated rank counts (%s)", "--np 1:64", 2);
    else if (!rc)
        rc = launch_run(&L);
    for (int i = 0; i < L.nowned; i++)
        free(L.owned[i]);
    return rc;
}
