/* cmd_measure.c — `scalewall measure`: how a workload scales on this machine.
 *
 * Parses the options (identically on every rank, so a usage error is the
 * same everywhere and only rank 0 says it), initialises MPI only for a
 * built-in workload — a user command is launched by us and must not
 * inherit an MPI singleton — and hands over to the harness
 * (src/workloads/measure.c). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mpi.h>

#include "builtin.h"
#include "scalewall/args.h"
#include "scalewall/io.h"
#include "scalewall/text.h"
#include "workloads/asan_mpi.h" /* sanitizer builds: Open MPI under LeakSanitizer */
#include "workloads/harness.h"
#include "workloads/smpi_launch.h"
#include "workloads/smpi_support.h"

static const char usage_text[] =
    "usage: mpirun -np P scalewall measure WORKLOAD [options]\n"
    "       scalewall measure [options] --np LIST -- COMMAND [ARGS...]\n"
    "\n"
    "Measures a workload at N = ranks x threads and reports time, speedup S,\n"
    "efficiency E and 1-alpha_eff(N).  Under mpirun/srun one job sweeps every rank\n"
    "count up to its size; without a launcher a built-in runs at 1 rank.\n"
    "\n"
    "  --np LIST          rank counts: 1,2,4 or 1:16 (default: 1,2,4,... up to the job)\n"
    "                     with a COMMAND: the values of {n}\n"
    "  --threads LIST     OpenMP threads per rank (default 1); N = ranks x threads\n"
    "  --scaling S        strong (fixed total size, default) or weak (size per unit)\n"
    "  --params K=V,...   workload parameters (see --list)\n"
    "  --reps MIN:MAX     repetitions per point (default 6:30, MAX <= 1000)\n"
    "  --ci-target F      stop when the 95% CI of the median is within F (default 0.05)\n"
    "  --budget SECONDS   stop repeating a point after this long (default 30, 0: none)\n"
    "  --warmup K         unrecorded runs before each point (default 1; 0 for a COMMAND)\n"
    "  --out FILE.csv     append one row per repetition (flushed as it finishes)\n"
    "  --jsonl FILE       the same rows as JSON Lines\n"
    "  --resume           complete the sweep recorded in --out/--jsonl\n"
    "  --force            overwrite existing results files\n"
    "  --hockney FILE     comm: write the fitted alpha-beta parameters (JSON)\n"
    "\n"
    "Across nodes (docs/cluster.md; every row records its nodes, ranks per node\n"
    "and each rank's host):\n"
    "  --nodes LIST       node counts: the inter-node series, at a fixed number of\n"
    "                     ranks per node (instead of --np)\n"
    "  --ranks-per-node LIST  ranks on one node; with several values, also the\n"
    "                     intra-node series on the first node; the largest is the\n"
    "                     inter-node series' (default: the job's fewest per node)\n"
    "  --write-platform FILE  comm on 2+ nodes: alpha-beta within and across nodes\n"
    "                     as a two-level platform file (simulate --platform FILE)\n"
    "  --print-sbatch     print a Slurm job script for this sweep (it resumes into\n"
    "                     --out when submitted again) and exit\n"
    "  --mem-limit BYTES  refuse sizes needing more per node (default: 90% of\n"
    "                     MemAvailable in /proc/meminfo)\n"
    "  --launch P         re-run this command under mpirun -np P\n"
    "  --list             list the built-in workloads and their parameters\n"
    "  --progress         draw the progress line even when stderr is not a terminal\n"
    "                     (under mpirun/srun a rank's stderr is a pipe)\n"
    "  --no-progress      no progress line on stderr\n"
    "  --platform P       run the sweep on a simulated platform under SimGrid SMPI\n"
    "                     (scalewall measure --platform help; docs/virtual.md)\n"
    "\n"
    "The user's own command (after --; {n} and {t} are replaced anywhere):\n"
    "  --metric REGEX     read the figure from stdout: the first group of the first\n"
    "                     match (POSIX ERE) instead of timing the command\n"
    "  --metric-kind K    time (seconds, default) or rate\n"
    "  --unit U           unit of a rate metric (default 1/s)\n"
    "  --name NAME        workload name in the results (default: command)\n"
    "  --timeout SECONDS  a repetition running longer fails (ok=0) and is killed\n"
    "  --shell            run the command through /bin/sh -c (one argument)\n"
    "\n"
    "Example: scalewall measure --np 1,2,4 --out r.csv -- mpirun -np {n} ./app\n";

typedef struct margs {
    sw_measure_opts o;
    double *np, *thr, *nodes, *per_node;
    size_t nnp, nthr, nnodes, nper_node;
    long launch;
    int list, help, no_progress, force_progress, warmup_set, sbatch;
} margs;

static int print_here(void)
{
#ifdef SW_SMPI
    return sw_smpi_rank() == 0;
#endif
    return sw_env_rank() == 0;
}

/* Usage errors: every rank parses the same arguments, rank 0 speaks. */
static int usage(const char *fmt, const char *a)
{
    if (!print_here())
        return 2;
    return cli_usage("measure", fmt, a);
}

static int parse_reps(const char *arg, sw_stop_rule *r)
{
    long lo, hi;
    sw_error err = {0};
    if (sw_args_range(arg, 1000, &lo, &hi, &err))
        return -1;
    r->min_reps = (int)lo;
    r->max_reps = (int)hi;
    return 0;
}

/* The lists were checked by cli_counts: whole numbers up to 1e6. */
static int to_longs(const double *v, size_t n, long **out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    *out = malloc(n * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < n; i++)
        (*out)[i] = (long)v[i];
    return 0;
}

/* --np 1,1: a value given twice is measured once (twice would write two
 * sets of rows with the same keys, and --resume could not tell them apart).
 * Said on stderr, since the sweep is not what was typed. */
static void drop_repeats(const char *opt, long *v, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t j = 0;
        while (j < k && v[j] != v[i])
            j++;
        if (j < k) {
            if (print_here())
                fprintf(stderr, "scalewall measure: %s: %ld is given more than once; measured "
                                "once\n", opt, v[i]);
            continue;
        }
        v[k++] = v[i];
    }
    *n = k;
}

static int nonneg(const char *opt, const char *arg, double *out)
{
    if (sw_parse_double(arg, out) != 1 || *out < 0)
        return usage("%s needs a number >= 0", opt);
    return 0;
}

static int parse_opts(int argc, char **argv, margs *m)
{
    static const struct option opts[] = {
        {"np", required_argument, 0, 'n'},       {"threads", required_argument, 0, 't'},
        {"scaling", required_argument, 0, 's'},  {"params", required_argument, 0, 'p'},
        {"reps", required_argument, 0, 'r'},     {"ci-target", required_argument, 0, 'c'},
        {"budget", required_argument, 0, 'b'},   {"warmup", required_argument, 0, 'w'},
        {"out", required_argument, 0, 'o'},      {"jsonl", required_argument, 0, 'j'},
        {"resume", no_argument, 0, 'R'},         {"force", no_argument, 0, 'F'},
        {"hockney", required_argument, 0, 'H'},  {"launch", required_argument, 0, 'L'},
        {"list", no_argument, 0, 'l'},           {"no-progress", no_argument, 0, 'P'},
        {"progress", no_argument, 0, 'G'},
        {"metric", required_argument, 0, 'm'},   {"metric-kind", required_argument, 0, 'k'},
        {"unit", required_argument, 0, 'u'},     {"name", required_argument, 0, 'N'},
        {"timeout", required_argument, 0, 'T'},  {"shell", no_argument, 0, 'S'},
        {"mem-limit", required_argument, 0, 'M'}, {"help", no_argument, 0, 'h'},
        {"smpi-platform", required_argument, 0, 'Z'}, /* set by smpi_launch.c */
        {"nodes", required_argument, 0, 'D'},    {"ranks-per-node", required_argument, 0, 'E'},
        {"write-platform", required_argument, 0, 'W'},
        {"print-sbatch", no_argument, 0, 'B'},
        {0, 0, 0, 0}};
    sw_measure_opts *o = &m->o;
    int c, rc = 0;
    double d;
    optind = 1;
    opterr = print_here();
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            free(m->np);
            rc = cli_counts("measure", "--np", optarg, 1e6, 1, &m->np, &m->nnp);
            break;
        case 't':
            free(m->thr);
            rc = cli_counts("measure", "--threads", optarg, 1e6, 1, &m->thr, &m->nthr);
            break;
        case 's':
            if (strcmp(optarg, "strong") == 0)
                o->scaling = SW_SCALING_STRONG;
            else if (strcmp(optarg, "weak") == 0)
                o->scaling = SW_SCALING_WEAK;
            else
                rc = usage("--scaling '%s': strong or weak", optarg);
            break;
        case 'p': o->params = optarg; break;
        case 'r':
            if (parse_reps(optarg, &o->rule))
                rc = usage("--reps '%s': MIN:MAX with 1 <= MIN <= MAX <= 1000", optarg);
            break;
        case 'c':
            if (sw_parse_double(optarg, &d) != 1 || !(d > 0))
                rc = usage("--ci-target '%s': a relative width > 0, e.g. 0.05", optarg);
            o->rule.ci_target = d;
            break;
        case 'b': rc = nonneg("--budget", optarg, &o->rule.budget_s); break;
        case 'w':
            if (sw_parse_double(optarg, &d) != 1 || d < 0 || d != floor(d) || d > 1000)
                rc = usage("--warmup '%s': a whole number of runs", optarg);
            o->warmup = (int)d;
            m->warmup_set = 1;
            break;
        case 'o': o->out_csv = optarg; break;
        case 'j': o->out_jsonl = optarg; break;
        case 'R': o->resume = 1; break;
        case 'F': o->force = 1; break;
        case 'H': o->hockney = optarg; break;
        case 'L': rc = cli_long("measure", "--launch", optarg, &m->launch); break;
        case 'l': m->list = 1; break;
        case 'P': m->no_progress = 1; break;
        case 'G': m->force_progress = 1; break;
        case 'm': o->metric = optarg; break;
        case 'k':
            if (strcmp(optarg, "time") == 0 || strcmp(optarg, "rate") == 0)
                o->metric_rate = strcmp(optarg, "rate") == 0;
            else
                rc = usage("--metric-kind '%s': time or rate", optarg);
            break;
        case 'u': o->unit = optarg; break;
        case 'N': o->name = optarg; break;
        case 'T': rc = nonneg("--timeout", optarg, &o->timeout_s); break;
        case 'S': o->shell = 1; break;
        case 'M':
            if (sw_parse_double(optarg, &d) != 1 || !(d > 0))
                rc = usage("--mem-limit '%s': bytes per node, e.g. 8e9", optarg);
            o->mem_limit = d;
            break;
        case 'h': m->help = 1; break;
        case 'Z': o->platform = optarg; break;
        case 'D': free(m->nodes); rc = cli_n_list("measure", "--nodes", optarg, &m->nodes, &m->nnodes); break;
        case 'E':
            free(m->per_node);
            rc = cli_n_list("measure", "--ranks-per-node", optarg, &m->per_node, &m->nper_node);
            break;
        case 'W': o->platform_out = optarg; break;
        case 'B': m->sbatch = 1; break;
        default: rc = 2; if (print_here()) fprintf(stderr, "Try 'scalewall measure --help'.\n"); break;
        }
    }
    return rc;
}

static void list_workloads(void)
{
#ifdef SW_SMPI
    sw_smpi_list();
#endif
    for (size_t i = 0; i < sw_nworkloads; i++)
        printf("%-8s %s\n         params: %s\n", sw_workloads[i]->name, sw_workloads[i]->summary,
               sw_workloads[i]->params_help);
}

/* The command line for the results' metadata, quoted so that it can be run
 * again as it was typed (argument boundaries kept). */
static char *join_argv(int argc, char **argv)
{
    const char **words = malloc(((size_t)argc + 1) * sizeof *words);
    if (!words)
        return NULL;
    words[0] = "scalewall";
    for (int i = 0; i < argc; i++)
        words[i + 1] = argv[i];
    char *s = sw_shell_join(words, (size_t)argc + 1);
    free(words);
    return s;
}

/* --launch P: the same command line, minus --launch, under mpirun. */
static int relaunch(int argc, char **argv, long np)
{
    if (sw_env_size() > 1)
        return usage("--launch: already running under a launcher (%s)", "mpirun/srun");
    char **nv = calloc((size_t)argc + 8, sizeof *nv);
    char nps[24];
    if (!nv)
        return 7;
    snprintf(nps, sizeof nps, "%ld", np);
    cli_mpirun_env();
    int k = 0;
    nv[k++] = "mpirun";
    if (np > sysconf(_SC_NPROCESSORS_ONLN))
        nv[k++] = "--oversubscribe";
    nv[k++] = "-np";
    nv[k++] = nps;
    int self_at = k;
    nv[k++] = "/proc/self/exe"; /* replaced by its target below: mpirun has its own */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--launch") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--launch=", 9) == 0)
            continue;
        nv[k++] = argv[i];
    }
    char self[4096];
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    if (l > 0) {
        self[l] = '\0';
        nv[self_at] = self;
    }
    fflush(NULL);
    execvp("mpirun", nv);
    perror("scalewall measure: --launch: cannot run mpirun");
    free(nv);
    return 1;
}

static double list_max(const double *v, size_t n, double dflt)
{
    double top = n ? v[0] : dflt;
    for (size_t i = 1; i < n; i++)
        top = v[i] > top ? v[i] : top;
    return top;
}

/* Single-quotes an argument for the shell unless it is plain. */
static void put_arg(const char *a)
{
    if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "_-+=.,:/@%") == strlen(a)) {
        fputs(a, stdout);
        return;
    }
    putchar('\'');
    for (; *a; a++)
        if (*a == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*a);
    putchar('\'');
}

/* --print-sbatch: a job script that runs this very sweep under srun,
 * sized from --nodes/--ranks-per-node/--np/--threads, in this directory,
 * always with --resume (a fresh file is simply started) and never --force,
 * so submitting it again after a cancel or a lost node completes the sweep. */
static int print_sbatch(const margs *m, int argc, char **argv, const char *workload)
{
    const sw_measure_opts *o = &m->o;
    if (!o->out_csv && !o->out_jsonl)
        return usage("--print-sbatch: give --out (or --jsonl): a batch job must keep its "
                     "points%s", "");
    if (!o->wl)
        return usage("--print-sbatch runs a built-in workload under srun; for a command, "
                     "write the script around it (%s)", "docs/cluster.md");
    int comm = strcmp(o->wl->name, "comm") == 0;
    long per = (long)list_max(m->per_node, m->nper_node, 1), nodes = 1, tasks = 0;
    if (m->nnodes)
        nodes = (long)list_max(m->nodes, m->nnodes, 1);
    else if (comm && !m->nnp)
        nodes = 2, per = 2; /* both levels: a pair within a node and one across */
    else if (m->nnp)
        tasks = (long)list_max(m->np, m->nnp, 1);
    long cpus = (long)list_max(m->thr, m->nthr, 1);
    char cwd[4096], self[4096];
    /* The job runs the scalewall the user ran: the front end that started
     * this helper (SCALEWALL_EXE, src/cli/helper.c), else this program. */
    const char *front = getenv("SCALEWALL_EXE");
    ssize_t l = front && *front && access(front, X_OK) == 0 && strlen(front) < sizeof self
                    ? (ssize_t)strlen(strcpy(self, front))
                    : readlink("/proc/self/exe", self, sizeof self - 1);
    if (!getcwd(cwd, sizeof cwd) || l <= 0)
        return cli_fail(&(sw_error){SW_EIO, "--print-sbatch: cannot resolve this directory or "
                                            "the scalewall binary"});
    self[l] = '\0';
    printf("#!/bin/sh\n"
           "# scalewall measure %s as a Slurm job: sbatch this file (scalewall measure\n"
           "# --print-sbatch wrote it).  Every repetition is appended to the results as it\n"
           "# finishes; if the job is cancelled or loses a node, submit it again: --resume\n"
           "# completes the sweep and measures nothing twice (docs/cluster.md).\n",
           workload);
    printf("#SBATCH --job-name=scalewall-%s\n", workload);
    if (tasks)
        printf("#SBATCH --ntasks=%ld\n", tasks);
    else
        printf("#SBATCH --nodes=%ld\n#SBATCH --ntasks-per-node=%ld\n", nodes, per);
    printf("#SBATCH --cpus-per-task=%ld\n", cpus);
    printf("#SBATCH --chdir=");
    put_arg(cwd);
    printf("\n#SBATCH --output=scalewall-%s-%%j.out\n", workload);
    printf("set -e\n"
           "# Debian's Open MPI starts under srun only through PMIx: add --mpi=pmix below if\n"
           "# your site's MpiDefault is not pmix.  --kill-on-bad-exit: a rank that dies ends\n"
           "# the step instead of leaving the others waiting for it.\n"
           "srun --kill-on-bad-exit=1 ");
    put_arg(self);
    fputs(" measure", stdout);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--print-sbatch") || !strcmp(a, "--force") || !strcmp(a, "--resume") ||
            !strcmp(a, "--progress"))
            continue;
        if (!strcmp(a, "--launch")) {
            i++;
            continue;
        }
        if (!strncmp(a, "--launch=", 9))
            continue;
        putchar(' ');
        put_arg(a);
    }
    puts(" --resume --no-progress");
    return 0;
}

static int finish(margs *m, int rc)
{
    free(m->np);
    free(m->thr);
    free(m->nodes);
    free(m->per_node);
    free(m->o.ranks);
    free(m->o.threads);
    free(m->o.nodes);
    free(m->o.per_node);
    free((char *)m->o.argv_line);
    return rc;
}

/* --nodes, --ranks-per-node, --write-platform: what they go with. */
static int validate_nodes(margs *m)
{
    sw_measure_opts *o = &m->o;
    int comm = o->wl && strcmp(o->wl->name, "comm") == 0;
    if (m->nnodes || m->nper_node) {
        if (!o->wl)
            return usage("--nodes and --ranks-per-node place a built-in workload's ranks; a "
                         "command places its own (%s)", "srun -N {n} ... after '--'");
        if (comm)
            return usage("comm measures each network level by itself on a job across nodes "
                         "(%s): drop --nodes and --ranks-per-node", "srun -N 2 ...");
        if (m->nnp)
            return usage("--np and --nodes/--ranks-per-node both choose the ranks: give %s",
                         "one of them");
        int r = to_longs(m->nodes, m->nnodes, &o->nodes);
        if (!r)
            r = to_longs(m->per_node, m->nper_node, &o->per_node);
        if (r)
            return r == -1 ? 7 : usage("--nodes, --ranks-per-node: whole numbers, please%s", "");
        o->nnodes = m->nnodes;
        o->nper_node = m->nper_node;
    }
    if (o->platform_out && !comm)
        return usage("--write-platform is for the comm workload (%s)",
                     o->wl ? o->wl->name : "command");
    if (o->platform_out && m->nnp)
        return usage("--write-platform measures each network level: drop --np%s", "");
    return 0;
}

/* Everything that can be decided without MPI; 0 or an exit code. */
static int validate(margs *m, const char *workload, int ncmd)
{
    sw_measure_opts *o = &m->o;
    if (workload && ncmd)
        return usage("give a workload or a command after '--', not both (%s)", workload);
    if (!workload && !ncmd)
        return usage("name a workload (%s) or give a command after '--'",
                     "scalewall measure --list");
    if (workload && !(o->wl = sw_workload_find(workload)))
        return usage("unknown workload '%s' (scalewall measure --list)", workload);
    int rn = validate_nodes(m);
    if (rn)
        return rn;
    if (ncmd && !m->nnp)
        return usage("a command needs --np LIST: the values of {n} (%s)", "--np 1,2,4");
    if (o->hockney && (!o->wl || strcmp(o->wl->name, "comm") != 0))
        return usage("--hockney is for the comm workload (%s)", workload ? workload : "command");
    if (o->wl && (o->metric || o->shell || o->timeout_s > 0 || o->name))
        return usage("--metric, --shell, --timeout and --name are for a command (%s)",
                     "after '--'");
    if (o->resume && o->force)
        return usage("--resume and --force contradict each other%s", "");
    if (o->resume && !o->out_csv && !o->out_jsonl)
        return usage("--resume needs the results file: --out or --jsonl%s", "");
    if (o->out_csv && o->out_jsonl && strcmp(o->out_csv, o->out_jsonl) == 0)
        return usage("--out and --jsonl name the same file '%s'", o->out_csv);
    if (o->hockney && ((o->out_csv && strcmp(o->hockney, o->out_csv) == 0) ||
                       (o->out_jsonl && strcmp(o->hockney, o->out_jsonl) == 0)))
        return usage("--hockney names a results file too ('%s')", o->hockney);
    if (m->nthr) {
        if (to_longs(m->thr, m->nthr, &o->threads))
            return 7;
        o->nthreads = m->nthr;
        drop_repeats("--threads", o->threads, &o->nthreads);
    } else {
        if (!(o->threads = malloc(sizeof *o->threads)))
            return 7;
        o->threads[0] = 1;
        o->nthreads = 1;
    }
    if (m->nnp) {
        if (to_longs(m->np, m->nnp, &o->ranks))
            return 7;
        o->nranks = m->nnp;
        drop_repeats("--np", o->ranks, &o->nranks);
        o->np_given = 1;
    }
    if (o->rule.max_reps < o->rule.min_reps)
        return usage("--reps: MIN is above MAX%s", "");
    return 0;
}

/* The job's rank counts: the list given (each within the job), or 1, 2,
 * 4, ... up to the job's size and the size itself. */
static int job_ranks(margs *m, int size)
{
    sw_measure_opts *o = &m->o;
    if (o->nranks) {
        for (size_t i = 0; i < o->nranks; i++)
            if (o->ranks[i] > size) {
                if (sw_env_rank() == 0)
                    fprintf(stderr,
                            "scalewall measure: --np %ld is larger than the job: it has %d "
                            "rank(s); start it with mpirun -np %ld (or srun -n %ld)\n",
                            o->ranks[i], size, o->ranks[i], o->ranks[i]);
                return 2;
            }
        return 0;
    }
    o->ranks = malloc(40 * sizeof *o->ranks);
    if (!o->ranks)
        return 7;
    for (long r = 1; r <= size; r *= 2)
        o->ranks[o->nranks++] = r;
    if (o->ranks[o->nranks - 1] != size)
        o->ranks[o->nranks++] = size;
    return 0;
}

static int run_builtin(margs *m)
{
    int provided, rank, size, rc = 0;
    /* The thread level the run needs: FUNNELED only when a point runs
     * OpenMP threads (MPI is always called from the main thread).  At one
     * thread per rank, SINGLE lets Open MPI skip its locks: 8 B allreduce
     * 1.35-1.41x -> 1.10-1.14x a bare MPI_Allreduce loop (issue 16). */
    int level = MPI_THREAD_SINGLE;
    for (size_t i = 0; i < m->o.nthreads; i++)
        if (m->o.threads[i] > 1)
            level = MPI_THREAD_FUNNELED;
    MPI_Init_thread(NULL, NULL, level, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rc = job_ranks(m, size);
    if (!rc) {
        if (rank != 0)
            m->o.progress = 0;
        sw_error err = {0};
        sw_measure_result res;
        sw_status st = sw_measure_run(&m->o, MPI_COMM_WORLD, &res, &err);
        if (st)
            rc = rank == 0 ? cli_fail(&err) : sw_status_exit_code(st);
        else if (res.failed)
            rc = 1;
    }
    MPI_Finalize();
    return rc;
}

static int run_command(margs *m)
{
    if (sw_env_size() > 1)
        return usage("a command is launched by scalewall itself: run '%s' without mpirun",
                     "scalewall measure ... -- CMD");
    sw_error err = {0};
    sw_measure_result res;
    sw_status st = sw_measure_run(&m->o, MPI_COMM_NULL, &res, &err);
    if (st && res.signal) { /* docs/cli.md: 128 + the signal, as the shell would say */
        cli_fail(&err);
        return 128 + res.signal;
    }
    if (st)
        return cli_fail(&err);
    return res.failed ? 1 : 0;
}

int cmd_measure(int argc, char **argv)
{
    margs m;
#ifndef SW_SMPI
    if (sw_smpi_wanted(argc, argv)) /* --platform: the sweep runs under smpirun */
        return sw_smpi_launch(argc, argv);
#endif
    memset(&m, 0, sizeof m);
    m.o.rule = (sw_stop_rule){6, 30, 0.05, 30.0, 0.95};
    m.o.warmup = 1;
    m.o.unit = "1/s";
    int dd = argc;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            dd = i;
            break;
        }
    /* Library helpers (cli_n_list) print their usage errors themselves:
     * silence them on every rank but the first. */
    int saved = -1;
    if (!print_here()) {
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        FILE *null = freopen("/dev/null", "w", stderr);
        (void)null;
    }
    int rc = parse_opts(dd, argv, &m);
    if (saved >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    if (rc)
        return finish(&m, rc);
    if (m.help) {
        if (print_here())
            fputs(usage_text, stdout);
        return finish(&m, 0);
    }
    if (m.list) {
        if (print_here())
            list_workloads();
        return finish(&m, 0);
    }
    if (optind < dd - 1)
        return finish(&m, usage("unexpected argument '%s'", argv[optind + 1]));
    const char *workload = optind < dd ? argv[optind] : NULL;
    m.o.cmd = dd < argc ? argv + dd + 1 : NULL;
    m.o.ncmd = dd < argc ? argc - dd - 1 : 0;
    if (dd < argc && m.o.ncmd == 0)
        return finish(&m, usage("the command after '--' is empty%s", ""));
    if (m.launch)
        return finish(&m, relaunch(argc, argv, m.launch));
    if ((rc = validate(&m, workload, m.o.ncmd)))
        return finish(&m, rc);
    /* JSON holds Unicode text only: a name, a command or a parameter that
     * is not UTF-8 would not survive into the --jsonl rows (text.h). */
    for (int i = 1; m.o.out_jsonl && i < argc; i++)
        if (!sw_utf8_valid(argv[i])) {
            char shown[128];
            sw_text_escape(argv[i], shown, sizeof shown);
            return finish(&m, usage("argument '%s' is not valid UTF-8, which the --jsonl "
                                    "results (JSON) cannot hold",
                                    shown));
        }
    if (m.sbatch)
        return finish(&m, print_sbatch(&m, dd, argv, workload ? workload : "command"));
    if (m.o.ncmd && !m.warmup_set)
        m.o.warmup = 0;
    if (!m.o.name)
        m.o.name = "command";
    /* Under mpirun a rank's stderr is a pipe even when mpirun's is a
     * terminal: --progress asks for the line anyway. */
    m.o.progress = !m.no_progress && (m.force_progress || isatty(STDERR_FILENO));
    m.o.argv_line = join_argv(argc, argv);
    return finish(&m, m.o.ncmd ? run_command(&m) : run_builtin(&m));
}
