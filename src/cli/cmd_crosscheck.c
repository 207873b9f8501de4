/* cmd_crosscheck.c — `scalewall crosscheck`: does a fit of a few real points
 * agree with a simulation of many ranks?  (issue #7's closed loop)
 *
 * One command runs what docs/virtual.md otherwise lists as five:
 *   a. `measure comm` on this machine -> Hockney alpha, beta (or --calibration);
 *   b. `measure WORKLOAD` for real at small N (default 1, 2, 4);
 *   c. `measure WORKLOAD --platform flat:lat=alpha,bw=1/beta --rate R` under
 *      SimGrid SMPI at large N (default 16, 64), R = flops / run time of the
 *      real one-rank runs, so simulated compute is this machine's;
 *   d. the fit module on the real points (sw_fit_obs), e. its prediction with
 *      intervals at the simulated N (sw_fitmodel_predict);
 *   f. a table N, prediction [interval], simulated, (sim - pred)/pred, inside.
 * Measuring and simulating are the `measure` subcommand itself, run as child
 * processes: it owns MPI_Init/Finalize (once per process), the launcher, the
 * limits and their refusals; this file only chains the steps and prints.  The
 * comparison, the compute rate and the verdict are the library's
 * (crosscheck.h).  Everything lands in --out-dir, so every step can be re-run
 * by hand.
 *
 * Across nodes (--nodes, inside a Slurm allocation; docs/cluster.md): a. is
 * `srun -N 2 measure comm --write-platform` (the network per level), b. is
 * `srun -N K measure WORKLOAD --nodes LIST` at one rank per node, and c.
 * simulates larger node counts on the measured two-level platform. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "builtin.h"
#include "scalewall/crosscheck.h"
#include "scalewall/fit.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "scalewall/platform.h"
#include "scalewall/stats.h"
#include "scalewall/text.h"
#include "workloads/harness.h"
#include "workloads/smpi_support.h"


static const char usage_text[] =
    "usage: scalewall crosscheck [cg|mlp] [--np LIST] [--sim-np LIST] [--params K=V,...]\n"
    "                            [--calibration HOCKNEY.json] [--platform flat|fattree[:..]]\n"
    "                            [--rate FLOPS] [--smpi-alg A] [--sim-budget S]\n"
    "                            [--reps MIN:MAX] [--budget S] [--scaling strong|weak]\n"
    "                            [--level L] [--out-dir DIR]\n"
    "\n"
    "Closes the loop of docs/virtual.md in one step: measures the network of this\n"
    "machine (measure comm), measures the workload for real at small N, simulates it\n"
    "under SimGrid SMPI at large N on a platform calibrated from that network with\n"
    "compute at the measured one-rank rate, fits the real points and compares the\n"
    "fit's prediction with the simulated times.  Default: mlp, 13-25 s on 2 cores.\n"
    "\n"
    "  WORKLOAD            cg or mlp (default mlp); dense and spike cannot run under SMPI\n"
    "  --np LIST           real rank counts, at least 3 distinct, with 1 (default 1,2,4;\n"
    "                      more ranks than cores are oversubscribed)\n"
    "  --sim-np LIST       simulated rank counts (default 16,64; 256,1024 take minutes)\n"
    "  --params K=V,...    workload parameters (default: a small size, see docs/virtual.md)\n"
    "  --calibration FILE  a `measure comm --hockney` file instead of measuring comm\n"
    "  --platform P        flat (default) or fattree[:leaf=8,up=8]; latency and bandwidth\n"
    "                      come from the calibration (ping-pong alpha and 1/beta)\n"
    "  --rate FLOPS        compute rate of a simulated rank (default: the real N = 1 runs)\n"
    "  --smpi-alg A        allreduce under SMPI: rdb, rabenseifner (default), ring\n"
    "  --sim-budget S      refuse simulations estimated above S s of host time, stop\n"
    "                      those that pass it (default 1800; costed before anything runs)\n"
    "  --reps MIN:MAX      real repetitions per N (default 5:10)\n"
    "  --budget S          stop repeating a real point after S seconds (default 3)\n"
    "  --scaling S         strong (default) or weak, for both sides\n"
    "  --level L           interval level of the prediction (default 0.9)\n"
    "  --out-dir DIR       every file of the run (default ./scalewall-crosscheck; its\n"
    "                      files are replaced): crosscheck.csv, crosscheck.json, real.csv,\n"
    "                      sim.csv, model.json, hockney.json, comm.csv, *.log\n"
    "\n"
    "Across nodes, inside a Slurm allocation (salloc -N 4 scalewall crosscheck ...):\n"
    "  --nodes LIST        real node counts at one rank per node, at least 3 with 1\n"
    "                      (srun); the network is measured per level by srun -N 2 measure\n"
    "                      comm --write-platform (platform.json), or given as --platform FILE\n"
    "  --sim-nodes LIST    simulated node counts (default 8,16), one rank per node\n";

#define PATHLEN 4200

typedef struct xc {
    const char *workload, *params, *calibration, *platform, *alg, *sim_budget, *reps, *budget,
        *scaling, *dir;
    double *np, *sim;
    size_t nnp, nsim;
    double *nodes, *sim_nodes; /* across nodes: real and simulated node counts */
    size_t nnodes, nsim_nodes;
    char platform_file[PATHLEN]; /* across nodes: the measured two-level platform */
    double rate, level;
    char self[4096];
    char hockney[PATHLEN], real[PATHLEN], simf[PATHLEN], model[PATHLEN];
    char spec[512];         /* the simulated platform, as passed to measure --platform */
    double alpha, bw;       /* from the calibration */
    char how[200];          /* what calibrated them (sw_platform.calibration) */
    size_t rate_runs;       /* real N = 1 runs the rate is the median of */
    long cores;             /* online here: real N above it are oversubscribed */
    double t0;
} xc;

/* What the simulated workloads default to: sizes whose real runs take tens
 * of ms and whose 64-rank simulation takes seconds.  mlp's lr is raised so
 * that 10 steps pass its training check at this size. */
static const char *default_params(const char *wl)
{
    return strcmp(wl, "mlp") == 0 ? "depth=2,width=512,batch=256,steps=10,lr=0.02"
                                  : "nx=32,ny=32,nz=64,iters=50";
}

static void step(const xc *x, const char *fmt, const char *a)
{
    fprintf(stderr, "[%5.1f s] ", cli_now() - x->t0);
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
}

static int in_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[PATHLEN];
    for (const char *p = path ? path : ""; *p;) {
        size_t l = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)l, l ? p : ".", prog);
        if (access(buf, X_OK) == 0)
            return 1;
        p += l;
        if (*p)
            p++;
    }
    return 0;
}

/* The child's own one-line error, the last line of its log that a
 * scalewall process wrote, without the "scalewall measure: " prefix. */
static void last_error(const char *log, char *out, size_t n)
{
    snprintf(out, n, "see %s", log);
    FILE *fp = fopen(log, "r");
    if (!fp)
        return;
    char line[2048];
    while (fgets(line, sizeof line, fp)) {
        const char *m = NULL;
        if (strncmp(line, "scalewall measure: ", 19) == 0)
            m = line + 19;
        else if (strncmp(line, "scalewall: ", 11) == 0)
            m = line + 11;
        if (m) {
            snprintf(out, n, "%s", m);
            out[strcspn(out, "\n")] = '\0';
        }
    }
    fclose(fp);
}

/* Runs argv with stdout and stderr in `log`; 0, or one line and the exit
 * code the child chose (measure's documented codes; 1 for a crash). */
static int run_step(const char *what, char *const argv[], const char *log)
{
    int code = cli_spawn(argv, log);
    if (code < 0) {
        fprintf(stderr, "scalewall: crosscheck: %s: cannot run %s: %s\n", what, argv[0],
                strerror(errno));
        return 1;
    }
    if (code == 0)
        return 0;
    char msg[2100];
    last_error(log, msg, sizeof msg);
    fprintf(stderr, "scalewall: crosscheck: %s: %s (log: %s)\n", what, msg, log);
    return code <= 7 ? code : 1;
}

static void join_list(const double *v, size_t n, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, "%s%g", i ? "," : "", v[i]);
    }
}

/* ---- options ----------------------------------------------------------- */

static int whole_list(const char *opt, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != floor(v[i]) || v[i] > 1e6)
            return cli_usage("crosscheck", "%s: %g is not a whole rank count", opt, v[i]);
    return 0;
}

/* flat or fattree, with only the keys that are not calibrated. */
static int check_platform(const char *p)
{
    int fat = strncmp(p, "fattree", 7) == 0;
    size_t base = fat ? 7 : strncmp(p, "flat", 4) == 0 ? 4 : 0;
    if (!base || (p[base] && p[base] != ':'))
        return cli_usage("crosscheck", "--platform '%s': flat or fattree[:leaf=L,up=U] (the "
                         "network comes from the calibration)", p);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", p[base] ? p + base + 1 : "");
    for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        size_t kl = strcspn(kv, "=");
        int ok = (kl == 5 && strncmp(kv, "hosts", 5) == 0) ||
                 (fat && ((kl == 4 && strncmp(kv, "leaf", 4) == 0) ||
                          (kl == 2 && strncmp(kv, "up", 2) == 0)));
        if (!ok)
            return cli_usage("crosscheck", "--platform: '%.*s' cannot be set here: lat and bw "
                             "come from the calibration, speed from the real one-rank rate "
                             "(--rate)", (int)kl, kv);
    }
    return 0;
}

/* --nodes/--sim-nodes: one rank per node, so the rank counts are the node
 * counts (the fit's N); the real side runs with srun inside the allocation. */
static int parse_nodes(xc *x)
{
    int rc;
    if (!x->nodes)
        return cli_usage("crosscheck", "--sim-nodes goes with --nodes (the real node counts)%s",
                         "");
    if (x->np || x->sim)
        return cli_usage("crosscheck", "--nodes and --sim-nodes replace --np and --sim-np%s", "");
    if (x->calibration)
        return cli_usage("crosscheck", "across nodes the network is measured per level (srun "
                         "measure comm) or given as --platform FILE.json, not --calibration%s", "");
    if (strcmp(x->platform, "flat") != 0 && !strstr(x->platform, ".json"))
        return cli_usage("crosscheck", "--platform '%s': across nodes, a platform file (.json, "
                         "measure comm --write-platform) or none (measured)", x->platform);
    if (!x->sim_nodes &&
        (rc = cli_n_list("crosscheck", "--sim-nodes", "8,16", &x->sim_nodes, &x->nsim_nodes)))
        return rc;
    if ((rc = whole_list("--nodes", x->nodes, x->nnodes)) ||
        (rc = whole_list("--sim-nodes", x->sim_nodes, x->nsim_nodes)))
        return rc;
    if (!getenv("SLURM_JOB_ID"))
        return cli_usage("crosscheck", "--nodes runs the real side with srun inside a Slurm "
                         "allocation: salloc -N %g scalewall crosscheck ... (or sbatch)",
                         x->nodes[0] > 4 ? x->nodes[0] : 4);
    /* The fit's N and the simulated N are ranks: one per node. */
    x->np = malloc(x->nnodes * sizeof *x->np);
    x->sim = malloc(x->nsim_nodes * sizeof *x->sim);
    if (!x->np || !x->sim)
        return 7;
    memcpy(x->np, x->nodes, x->nnodes * sizeof *x->np);
    memcpy(x->sim, x->sim_nodes, x->nsim_nodes * sizeof *x->sim);
    x->nnp = x->nnodes;
    x->nsim = x->nsim_nodes;
    return 0;
}

static int parse(int argc, char **argv, xc *x)
{
    static const struct option opts[] = {
        {"np", required_argument, 0, 'n'},          {"sim-np", required_argument, 0, 'N'},
        {"params", required_argument, 0, 'p'},      {"calibration", required_argument, 0, 'c'},
        {"platform", required_argument, 0, 'P'},    {"rate", required_argument, 0, 'r'},
        {"smpi-alg", required_argument, 0, 'a'},    {"sim-budget", required_argument, 0, 'B'},
        {"reps", required_argument, 0, 'R'},        {"budget", required_argument, 0, 'b'},
        {"scaling", required_argument, 0, 's'},     {"level", required_argument, 0, 'l'},
        {"out-dir", required_argument, 0, 'o'},     {"help", no_argument, 0, 'h'},
        {"nodes", required_argument, 0, 'D'},       {"sim-nodes", required_argument, 0, 'S'},
        {0, 0, 0, 0}};
    int c, rc = 0;
    optind = 1;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': free(x->np); rc = cli_n_list("crosscheck", "--np", optarg, &x->np, &x->nnp); break;
        case 'N': free(x->sim); rc = cli_n_list("crosscheck", "--sim-np", optarg, &x->sim, &x->nsim); break;
        case 'p': x->params = optarg; break;
        case 'c': x->calibration = optarg; break;
        case 'P': x->platform = optarg; break;
        case 'r':
            rc = cli_double("crosscheck", "--rate", optarg, &x->rate);
            if (!rc && !(x->rate > 0))
                rc = cli_usage("crosscheck", "--rate: %s is not a rate > 0 in flop/s", optarg);
            break;
        case 'a': x->alg = optarg; break;
        case 'B': x->sim_budget = optarg; break;
        case 'R': x->reps = optarg; break;
        case 'b': x->budget = optarg; break;
        case 's':
            if (strcmp(optarg, "strong") && strcmp(optarg, "weak"))
                rc = cli_usage("crosscheck", "--scaling '%s': strong or weak", optarg);
            x->scaling = optarg;
            break;
        case 'l': rc = cli_double("crosscheck", "--level", optarg, &x->level); break;
        case 'o': x->dir = optarg; break;
        case 'D': free(x->nodes); rc = cli_n_list("crosscheck", "--nodes", optarg, &x->nodes, &x->nnodes); break;
        case 'S':
            free(x->sim_nodes);
            rc = cli_n_list("crosscheck", "--sim-nodes", optarg, &x->sim_nodes, &x->nsim_nodes);
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_usage("crosscheck", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc)
        return rc;
    if (optind < argc)
        x->workload = argv[optind++];
    if (optind < argc)
        return cli_usage("crosscheck", "unexpected argument '%s'", argv[optind]);
    const char *why = NULL;
    if (strcmp(x->workload, "cg") != 0 && strcmp(x->workload, "mlp") != 0) {
        if (strcmp(x->workload, "comm") == 0)
            why = "it measures the network itself: crosscheck compares a workload's scaling";
        else
            why = sw_smpi_unsupported(x->workload);
        return cli_usage("crosscheck", "%s: cannot be cross-checked: %s (cg and mlp can)",
                         x->workload, why ? why : "unknown workload");
    }
    if (x->nodes || x->sim_nodes)
        rc = parse_nodes(x);
    if (rc)
        return rc;
    if (!x->np && (rc = cli_n_list("crosscheck", "--np", "1,2,4", &x->np, &x->nnp)))
        return rc;
    if (!x->sim && (rc = cli_n_list("crosscheck", "--sim-np", "16,64", &x->sim, &x->nsim)))
        return rc;
    if ((rc = whole_list("--np", x->np, x->nnp)) || (rc = whole_list("--sim-np", x->sim, x->nsim)))
        return rc;
    size_t distinct = 0;
    int has1 = 0;
    for (size_t i = 0; i < x->nnp; i++) {
        int seen = 0;
        for (size_t k = 0; k < i; k++)
            seen |= x->np[k] == x->np[i];
        distinct += !seen;
        has1 |= x->np[i] == 1;
    }
    if (distinct < 3)
        return cli_usage("crosscheck", "--np: the fit needs at least 3 distinct real N, got %zu "
                         "(e.g. --np 1,2,4)", distinct);
    if (!has1 && !(x->rate > 0))
        return cli_usage("crosscheck", "--np: include 1, the run the simulated compute rate "
                         "comes from (or give --rate)%s", "");
    if (!(x->level > 0 && x->level < 1))
        return cli_usage("crosscheck", "--level: %g is not in (0, 1)", x->level);
    if (!x->nodes && (rc = check_platform(x->platform)))
        return rc;
    if (sw_env_size() > 1)
        return cli_usage("crosscheck", "run it without mpirun: it launches its own jobs%s", "");
    if (!x->params)
        x->params = default_params(x->workload);
    return 0;
}

/* ---- the steps --------------------------------------------------------- */

static void dpath(const xc *x, char *buf, const char *file)
{
    snprintf(buf, PATHLEN, "%s/%s", x->dir, file);
}

/* a. The network: alpha and beta from a Hockney file, measured here unless
 * given, read by the calibration simulate and measure --calibration use
 * (sw_platform_calibrate on the `local` profile, whose intra link it sets):
 * beta from the ping-pong, alpha the allreduce's start-up per message when
 * the file has one (what the simulated allreduces are made of), else the
 * ping-pong's. */
/* a, across nodes: the two-level platform, measured by srun measure comm
 * (or given); the simulation's link is its inter-node one. */
static int network_nodes(xc *x)
{
    char log[PATHLEN], comm[PATHLEN];
    if (strstr(x->platform, ".json")) {
        snprintf(x->platform_file, sizeof x->platform_file, "%s", x->platform);
    } else {
        dpath(x, x->platform_file, "platform.json");
        dpath(x, x->hockney, "hockney.json");
        dpath(x, comm, "comm.csv");
        dpath(x, log, "comm.log");
        /* Two ranks a node when the allocation has the CPUs: the intra-node
         * level too ("4(x4)": 4 CPUs on each of 4 nodes). */
        const char *cpn = getenv("SLURM_JOB_CPUS_PER_NODE");
        int two = cpn && atoi(cpn) >= 2;
        char *per = two ? "--ntasks-per-node=2" : "--ntasks-per-node=1";
        step(x, "measuring the network per level (srun -N 2 %s measure comm)", per);
        /* -n too: inside salloc/sbatch srun inherits the allocation's task count. */
        char *argv[] = {"srun", "-N", "2", "-n", two ? "4" : "2", per, "--kill-on-bad-exit=1",
                        x->self, "measure",
                        "comm", "--reps", "3:6", "--budget", "1", "--hockney", x->hockney,
                        "--write-platform", x->platform_file, "--out", comm, "--force",
                        "--no-progress", NULL};
        int rc = run_step("measuring comm across nodes", argv, log);
        if (rc)
            return rc;
    }
    sw_platform pl;
    sw_error err = {0};
    if (sw_platform_from_spec(x->platform_file, &pl, &err))
        return cli_fail(&err);
    snprintf(x->how, sizeof x->how, "%.199s", pl.calibration[0] ? pl.calibration : x->platform_file);
    x->alpha = pl.inter.alpha;
    x->bw = 1 / pl.inter.beta;
    if (strlen(x->platform_file) >= sizeof x->spec)
        return cli_fail(&(sw_error){SW_EINVAL, "crosscheck: --out-dir path too long"});
    memcpy(x->spec, x->platform_file, strlen(x->platform_file) + 1);
    return 0;
}

static int network(xc *x)
{
    char log[PATHLEN], comm[PATHLEN];
    if (x->nodes)
        return network_nodes(x);
    if (x->calibration) {
        snprintf(x->hockney, sizeof x->hockney, "%s", x->calibration);
    } else {
        dpath(x, x->hockney, "hockney.json");
        dpath(x, comm, "comm.csv");
        dpath(x, log, "comm.log");
        step(x, "measuring the network of this machine (comm at 2 ranks)%s", "");
        char *argv[] = {x->self, "measure", "comm", "--launch", "2", "--np", "2", "--reps",
                        "3:6", "--budget", "1", "--hockney", x->hockney, "--out", comm,
                        "--force", "--no-progress", NULL};
        int rc = run_step("measuring comm", argv, log);
        if (rc)
            return rc;
    }
    /* The allreduce's start-up per message depends on the algorithm the
     * simulation will use, as in measure --platform ... --calibration. */
    sw_coll_alg alg = !x->alg ? SW_ALG_RABENSEIFNER
                      : !strcmp(x->alg, "rdb") || !strcmp(x->alg, "recursive-doubling")
                          ? SW_ALG_RECURSIVE_DOUBLING
                      : !strcmp(x->alg, "ring") || !strcmp(x->alg, "lr") ? SW_ALG_RING
                                                                         : SW_ALG_RABENSEIFNER;
    sw_platform pl;
    sw_error err = {0};
    if (sw_platform_builtin("local", &pl, &err) ||
        sw_platform_calibrate_file(&pl, x->hockney, alg, &err))
        return cli_fail(&err);
    snprintf(x->how, sizeof x->how, "%s", pl.calibration);
    x->alpha = pl.intra.alpha;
    x->bw = 1 / pl.intra.beta;
    if (!(x->alpha >= 0 && isfinite(x->alpha) && x->bw > 0 && isfinite(x->bw))) {
        sw_error_set(&err, SW_EDOM, "%s: ping-pong alpha %g s, beta %g s/B: not a network "
                     "to simulate", x->hockney, pl.intra.alpha, pl.intra.beta);
        return cli_fail(&err);
    }
    const char *p = x->platform;
    snprintf(x->spec, sizeof x->spec, "%s%slat=%.9g,bw=%.9g", p, strchr(p, ':') ? "," : ":",
             x->alpha, x->bw);
    return 0;
}

/* b. The real sweep, in one job of max(N) ranks. */
static int measure_real(xc *x)
{
    char log[PATHLEN], np[512], launch[32], what[1200];
    double top = 0;
    for (size_t i = 0; i < x->nnp; i++)
        top = fmax(top, x->np[i]);
    join_list(x->np, x->nnp, np, sizeof np);
    snprintf(launch, sizeof launch, "%g", top);
    dpath(x, x->real, "real.csv");
    dpath(x, log, "real.log");
    snprintf(what, sizeof what, "measuring %s for real at N = %s%s", x->workload, np,
             top > x->cores ? " (more ranks than cores: oversubscribed)" : "");
    if (x->nodes)
        snprintf(what, sizeof what, "measuring %s for real on %s node(s), one rank per node "
                 "(srun -N %s)", x->workload, np, launch);
    step(x, "%s", what);
    char *argv[40];
    int k = 0;
    if (x->nodes) { /* srun -N max measure WL --nodes LIST --ranks-per-node 1 */
        char *head[] = {"srun", "-N", launch, "-n", launch, "--ntasks-per-node=1",
                        "--kill-on-bad-exit=1"};
        for (size_t i = 0; i < sizeof head / sizeof *head; i++)
            argv[k++] = head[i];
    }
    char *fixed[] = {x->self, "measure", (char *)x->workload, x->nodes ? "--nodes" : "--launch",
                     x->nodes ? np : launch, x->nodes ? "--ranks-per-node" : "--np",
                     x->nodes ? "1" : np, "--params", (char *)x->params, "--reps",
                     (char *)x->reps, "--budget", (char *)x->budget, "--out", x->real, "--force",
                     "--no-progress"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        argv[k++] = fixed[i];
    if (x->scaling) {
        argv[k++] = "--scaling";
        argv[k++] = (char *)x->scaling;
    }
    argv[k] = NULL;
    snprintf(what, sizeof what, "measuring %s at N = %s", x->workload, np);
    return run_step(what, argv, log);
}

/* The one series a results file of ours holds. */
static int load(const char *path, sw_obs_set *set, const sw_obs **o)
{
    sw_error err = {0};
    if (sw_obs_read_file(path, set, &err) || sw_fit_select_series(set, NULL, o, &err)) {
        if (!strstr(err.msg, path))
            sw_error_prefix(&err, "%s", path);
        return cli_fail(&err);
    }
    return 0;
}

/* The rate a simulated rank computes at (sw_crosscheck_rate): taken from
 * runs already made, so the simulation is reproducible from crosscheck.json. */
static int real_rate(xc *x, const sw_obs *o)
{
    if (x->rate > 0)
        return 0;
    sw_error err = {0};
    return sw_crosscheck_rate(o, x->real, &x->rate, &x->rate_runs, &err) ? cli_fail(&err) : 0;
}

/* c. The simulated sweep: one repetition, no warm-up (SMPI with these
 * settings is deterministic: repetitions are identical to the last digit). */
/* measure's arguments for the simulated side; `dry` adds --dry-run. */
static void sim_argv(const xc *x, const char *spec, const char *rate, const char *np,
                     const char *out, int dry, char **argv)
{
    int k = 0;
    const char *fixed[] = {x->self, "measure", x->workload, "--platform", spec, "--rate", rate,
                           "--np", np, "--params", x->params, "--reps", "1:1", "--warmup", "0",
                           "--out", out, "--force", "--no-progress"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        argv[k++] = (char *)fixed[i];
    const char *opt[][2] = {{"--smpi-alg", x->alg}, {"--sim-budget", x->sim_budget},
                            {"--scaling", x->scaling}};
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (opt[i][1]) {
            argv[k++] = (char *)opt[i][0];
            argv[k++] = (char *)opt[i][1];
        }
    if (dry)
        argv[k++] = "--dry-run";
    argv[k] = NULL;
}

/* The simulation's host time and memory do not depend on the network or
 * the compute rate, so measure --dry-run costs it before anything real
 * runs: a refusal then costs nothing. */
static int preflight(xc *x)
{
    char log[PATHLEN], np[512], what[700], out[PATHLEN];
    join_list(x->sim, x->nsim, np, sizeof np);
    dpath(x, log, "preflight.log");
    dpath(x, out, "sim.csv");
    snprintf(what, sizeof what, "costing the simulation at N = %s", np);
    step(x, "%s (measure --dry-run)", what);
    char *argv[40];
    /* Across nodes the platform is measured later; the cost does not
     * depend on the network. */
    sim_argv(x, x->nodes ? "flat" : x->platform, "1e9", np, out, 1, argv);
    return run_step(what, argv, log);
}

static int simulate(xc *x)
{
    char log[PATHLEN], np[512], rate[64], what[1200];
    join_list(x->sim, x->nsim, np, sizeof np);
    snprintf(rate, sizeof rate, "%.17g", x->rate);
    dpath(x, x->simf, "sim.csv");
    dpath(x, log, "sim.log");
    snprintf(what, sizeof what, "simulating %s under SMPI at N = %s on %s", x->workload, np,
             x->spec);
    step(x, "%s", what);
    char *argv[40];
    sim_argv(x, x->spec, rate, np, x->simf, 0, argv);
    snprintf(what, sizeof what, "simulating %s at N = %s", x->workload, np);
    return run_step(what, argv, log);
}

/* ---- the comparison ---------------------------------------------------- */

typedef sw_xc_row row;

static void summary(const xc *x, const row *rows, char *buf, size_t len)
{
    char real[512], sim[512];
    join_list(x->np, x->nnp, real, sizeof real);
    join_list(x->sim, x->nsim, sim, sizeof sim);
    /* Across nodes every real N ran one rank per node. */
    size_t over = 0;
    for (size_t i = 0; !x->nodes && i < x->nnp; i++)
        over += x->np[i] > (double)x->cores;
    sw_xc_context c = {x->workload, real, sim, x->level, over, x->cores, "this machine's"};
    sw_crosscheck_summary(&c, rows, x->nsim, buf, len);
}

static int write_csv(const xc *x, const row *rows)
{
    char path[PATHLEN];
    dpath(x, path, "crosscheck.csv");
    sw_error err = {0};
    sw_outfile f;
    const char *in[] = {x->calibration, x->platform_file[0] ? x->platform_file : NULL};
    if (sw_outfile_open(&f, path, SW_OUT_REPLACE, in, SW_NINPUTS(in), &err))
        return cli_fail(&err);
    sw_status st = sw_crosscheck_write_csv(rows, x->nsim, f.fp, &err);
    if (st) {
        sw_error_prefix(&err, "%s", path);
        sw_outfile_fail(&f, st, &err);
        return cli_fail(&err);
    }
    return sw_outfile_commit(&f, &err) ? cli_fail(&err) : 0;
}

/* Rank counts are whole numbers: JSON integers. */
static json_t *count(double v)
{
    return json_integer((json_int_t)v);
}

static json_t *count_array(const double *v, size_t n, double above)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (v[i] > above)
            json_array_append_new(a, count(v[i]));
    return a;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int write_json(const xc *x, const sw_fitmodel *m, const sw_obs *real, const row *rows,
                      const char *sentence)
{
    char path[PATHLEN], formula[512], log[PATHLEN];
    dpath(x, path, "crosscheck.json");
    sw_fitmodel_formula(m, formula, sizeof formula);
    json_t *root = json_object(), *rs = json_array();
    json_object_set_new(root, "format", sw_json_str("scalewall-crosscheck"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "workload", sw_json_str(x->workload));
    json_object_set_new(root, "params", sw_json_str(x->params));
    json_object_set_new(root, "params_canonical", sw_json_str(real->params ? real->params : ""));
    json_object_set_new(root, "scaling", sw_json_str(sw_scaling_name(real->scaling)));
    json_object_set_new(root, "real_np", count_array(x->np, x->nnp, 0));
    json_object_set_new(root, "real_np_oversubscribed", count_array(x->np, x->nnp, (double)x->cores));
    json_object_set_new(root, "sim_np", count_array(x->sim, x->nsim, 0));
    json_t *cal = json_object();
    json_object_set_new(cal, "file", sw_json_str(x->hockney));
    json_object_set_new(cal, "measured", json_boolean(!x->calibration));
    json_object_set_new(cal, "how", sw_json_str(x->how));
    json_object_set_new(cal, "alpha_s", json_real(x->alpha));
    json_object_set_new(cal, "bandwidth_bytes_per_s", json_real(x->bw));
    json_object_set_new(root, "calibration", cal);
    json_object_set_new(root, "platform", sw_json_str(x->spec));
    if (x->nodes) { /* across nodes: N counts nodes, one rank each */
        json_object_set_new(root, "real_nodes", count_array(x->nodes, x->nnodes, 0));
        json_object_set_new(root, "sim_nodes", count_array(x->sim_nodes, x->nsim_nodes, 0));
        json_object_set_new(root, "ranks_per_node", json_integer(1));
        json_object_set_new(root, "slurm_job", json_string(getenv("SLURM_JOB_ID")));
    }
    json_object_set_new(root, "smpi_alg", sw_json_str(x->alg ? x->alg : "rabenseifner"));
    json_object_set_new(root, "rate_flops", json_real(x->rate));
    json_object_set_new(root, "rate_from", sw_json_str(x->rate_runs ? "real N = 1 runs" : "--rate"));
    json_t *mo = json_object();
    json_object_set_new(mo, "formula", sw_json_str(formula));
    json_object_set_new(mo, "file", sw_json_str(x->model));
    json_object_set_new(mo, "level", json_real(x->level));
    json_object_set_new(mo, "noise_rel", num(sw_fitmodel_noise(m)));
    json_object_set_new(root, "model", mo);
    for (size_t i = 0; i < x->nsim; i++) {
        const row *r = &rows[i];
        json_t *o = json_object(), *p = json_object();
        json_object_set_new(o, "n", count(r->n));
        json_object_set_new(p, "value", num(r->pred));
        json_object_set_new(p, "lo", num(r->lo));
        json_object_set_new(p, "hi", num(r->hi));
        json_object_set_new(o, "predicted", p);
        json_object_set_new(o, "simulated", num(r->sim));
        json_object_set_new(o, "disagreement_pct", num(r->dis));
        json_object_set_new(o, "inside", r->inside < 0 ? json_null() : json_boolean(r->inside));
        json_array_append_new(rs, o);
    }
    json_object_set_new(root, "rows", rs);
    json_object_set_new(root, "summary", sw_json_str(sentence));
    json_t *files = json_object();
    json_object_set_new(files, "real", sw_json_str(x->real));
    json_object_set_new(files, "simulated", sw_json_str(x->simf));
    dpath(x, log, "crosscheck.csv");
    json_object_set_new(files, "table", sw_json_str(log));
    json_object_set_new(root, "files", files);
    sw_error err = {0};
    sw_outfile f;
    int rc = 0;
    const char *in[] = {x->calibration, x->platform_file[0] ? x->platform_file : NULL};
    if (sw_outfile_open(&f, path, SW_OUT_REPLACE, in, SW_NINPUTS(in), &err))
        rc = cli_fail(&err);
    else if (json_dumpf(root, f.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0 ||
             fputc('\n', f.fp) == EOF) {
        sw_outfile_fail(&f, sw_error_set(&err, SW_EIO, "%s: write failed", path), &err);
        rc = cli_fail(&err);
    } else if (sw_outfile_commit(&f, &err))
        rc = cli_fail(&err);
    json_decref(root);
    return rc;
}

static int save_model(const xc *x, const sw_fitmodel *m)
{
    sw_error err = {0};
    sw_outfile f;
    const char *in[] = {x->calibration, x->platform_file[0] ? x->platform_file : NULL};
    if (sw_outfile_open(&f, x->model, SW_OUT_REPLACE, in, SW_NINPUTS(in), &err))
        return cli_fail(&err);
    if (sw_fitmodel_write(m, f.fp, &err)) {
        sw_outfile_fail(&f, err.status, &err);
        return cli_fail(&err);
    }
    return sw_outfile_commit(&f, &err) ? cli_fail(&err) : 0;
}

static void print_table(const xc *x, const sw_fitmodel *m, const sw_obs *real, const row *rows,
                        const char *sentence)
{
    char formula[512], np[512];
    sw_fitmodel_formula(m, formula, sizeof formula);
    join_list(x->np, x->nnp, np, sizeof np);
    printf("crosscheck %s %s  (%s scaling, seconds%s)\n", x->workload, real->params,
           sw_scaling_name(real->scaling), strcmp(x->workload, "mlp") == 0 ? " per step" : "");
    if (x->nodes) {
        printf("  real       N = %s node(s) x 1 rank (srun in Slurm job %s)\n", np,
               getenv("SLURM_JOB_ID") ? getenv("SLURM_JOB_ID") : "?");
        printf("  network    inter-node alpha %.4g s, %.4g B/s from %s (%s)\n", x->alpha, x->bw,
               x->platform_file, x->how);
    } else {
        printf("  network    alpha %.4g s, %.4g B/s from %s%s\n", x->alpha, x->bw, x->how,
               x->calibration ? "" : ", measured here");
    }
    printf("  simulated  %s, one rank per host, allreduce %s\n", x->spec,
           x->alg ? x->alg : "rabenseifner");
    if (x->rate_runs)
        printf("  compute    %.4g flop/s per rank (real N = 1: flops / run time, median of %zu)\n",
               x->rate, x->rate_runs);
    else
        printf("  compute    %.4g flop/s per rank (--rate)\n", x->rate);
    printf("  model      %s, fitted on real N = %s\n", formula, np);
    for (size_t i = 0; !x->nodes && i < x->nnp; i++)
        if (x->np[i] > x->cores) {
            printf("  note       real N above %ld (this machine's cores) are oversubscribed: "
                   "their time is not that of N units\n", x->cores);
            break;
        }
    putchar('\n');
    char iv[32];
    snprintf(iv, sizeof iv, "[%g%% interval]", 100 * x->level);
    printf("  %6s  %11s  %-25s  %11s  %12s  %6s\n", "N", "predicted", iv, "simulated",
           "disagreement", "inside");
    for (size_t i = 0; i < x->nsim; i++) {
        const row *r = &rows[i];
        char b[64];
        snprintf(b, sizeof b, "[%.4g, %.4g]", r->lo, r->hi);
        printf("  %6g  %11.4g  %-25s  %11.4g  %+11.2f%%  %6s\n", r->n, r->pred, b, r->sim,
               r->dis, r->inside < 0 ? "-" : r->inside ? "yes" : "no");
    }
    printf("\n%s\n", sentence);
    printf("Files: %s/crosscheck.csv, %s/crosscheck.json (every step's input and log beside "
           "them)\n", x->dir, x->dir);
}

static int fit_and_compare(xc *x)
{
    sw_obs_set rset = {0}, sset = {0};
    const sw_obs *real = NULL, *sim = NULL;
    sw_fitmodel *m = NULL;
    row *rows = calloc(x->nsim, sizeof *rows);
    int rc = rows ? 0 : 7;
    if (!rc)
        rc = load(x->real, &rset, &real);
    if (!rc)
        rc = load(x->simf, &sset, &sim);
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.level = x->level;
    sw_error err = {0};
    if (!rc) {
        step(x, "fitting the real points and predicting the simulated N%s", "");
        if (sw_fit_obs(real, x->real, &opt, &m, &err)) {
            if (!strstr(err.msg, x->real))
                sw_error_prefix(&err, "%s", x->real);
            rc = cli_fail(&err);
        }
    }
    for (size_t k = 0; !rc && k < sw_fitmodel_nwarnings(m); k++)
        fprintf(stderr, "scalewall crosscheck: fit: warning: %s\n", sw_fitmodel_warning(m, k));
    dpath(x, x->model, "model.json");
    if (!rc)
        rc = save_model(x, m);
    if (!rc && sw_crosscheck_compare(m, sim, x->simf, x->sim, x->nsim, x->level, rows, &err))
        rc = cli_fail(&err);
    char sentence[1024];
    if (!rc) {
        summary(x, rows, sentence, sizeof sentence);
        rc = write_csv(x, rows);
    }
    if (!rc)
        rc = write_json(x, m, real, rows, sentence);
    if (!rc)
        print_table(x, m, real, rows, sentence);
    free(rows);
    sw_fitmodel_free(m);
    sw_obs_set_free(&rset);
    sw_obs_set_free(&sset);
    return rc;
}

int cmd_crosscheck(int argc, char **argv)
{
    xc x = {0};
    x.workload = "mlp";
    x.platform = "flat";
    x.reps = "5:10";
    x.budget = "3";
    x.level = 0.9;
    x.dir = "scalewall-crosscheck";
    x.cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = parse(argc, argv, &x);
    if (rc) {
        free(x.np);
        free(x.sim);
        free(x.nodes);
        free(x.sim_nodes);
        return rc < 0 ? 0 : rc;
    }
    sw_error err = {0};
    ssize_t n = readlink("/proc/self/exe", x.self, sizeof x.self - 1);
    if (n <= 0)
        rc = cli_fail(&(sw_error){SW_EFAIL, "crosscheck: cannot find the scalewall binary"});
    else
        x.self[n] = '\0';
    /* What is missing is said before anything runs. */
    if (!rc && x.nodes && !in_path("srun"))
        rc = cli_fail(&(sw_error){SW_EFAIL, "crosscheck: --nodes: srun is not on PATH: the real "
                                            "side runs as Slurm job steps"});
    if (!rc && !x.nodes && !in_path("mpirun"))
        rc = cli_fail(&(sw_error){SW_EFAIL, "crosscheck: mpirun is not on PATH: the real side "
                                            "needs MPI (Open MPI's mpirun)"});
    if (!rc && !in_path("smpirun"))
        rc = cli_fail(&(sw_error){SW_EUNSUP, "crosscheck: smpirun is not on PATH: the simulated "
                                             "side needs SimGrid (Debian: libsimgrid-dev)"});
    if (!rc && mkdir(x.dir, 0777) != 0 && errno != EEXIST) {
        sw_error_set(&err, SW_EIO, "crosscheck: --out-dir '%s' cannot be created: %s", x.dir,
                     strerror(errno));
        rc = cli_fail(&err);
    }
    if (!rc && access(x.dir, W_OK | X_OK) != 0) {
        sw_error_set(&err, SW_EIO, "crosscheck: --out-dir '%s' is not writable", x.dir);
        rc = cli_fail(&err);
    }
    if (!rc && x.calibration && access(x.calibration, R_OK) != 0) {
        sw_error_set(&err, SW_EIO, "%s: cannot read the calibration: %s", x.calibration,
                     strerror(errno));
        rc = cli_fail(&err);
    }
    x.t0 = cli_now();
    if (!rc)
        rc = preflight(&x);
    if (!rc)
        rc = network(&x);
    if (!rc)
        rc = measure_real(&x);
    sw_obs_set set = {0};
    const sw_obs *o = NULL;
    if (!rc && !(rc = load(x.real, &set, &o)))
        rc = real_rate(&x, o);
    sw_obs_set_free(&set);
    if (!rc)
        rc = simulate(&x);
    if (!rc)
        rc = fit_and_compare(&x);
    if (!rc)
        step(&x, "done%s", "");
    free(x.np);
    free(x.sim);
    free(x.nodes);
    free(x.sim_nodes);
    return rc;
}
