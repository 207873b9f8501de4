/* cmd_tour.c — `scalewall tour` (and `scalewall` with no arguments): the
 * whole pipeline on this machine in about a minute.
 *
 * measure (or simulate) -> fit -> predict -> plan with the built-in prices ->
 * TOP500 context -> one report.html.  Each stage's output is kept in the
 * report directory (results.csv, model.json, plan.json, ...), so the tour is
 * also a worked example of the commands a user would type. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "scalewall/fit.h"
#include "scalewall/io.h"
#include "scalewall/plan.h"
#include "scalewall/report.h"


static const char usage_text[] =
    "usage: scalewall tour [--out DIR] [--source measure|simulate]\n"
    "\n"
    "The quick tour: measures this machine briefly (the mlp workload, else cg, at\n"
    "N = 1, 2, 4 ranks; N = 4 is oversubscribed on a 2-core machine), fits a\n"
    "model, predicts larger N, plans with the built-in example prices, adds the\n"
    "TOP500 context and writes DIR/report.html (default ./scalewall-report).\n"
    "Takes about a minute on 2 cores.  `scalewall` with no arguments runs it.\n"
    "\n"
    "  --out DIR          where the report and every intermediate file go\n"
    "  --source S         measure (default when this build can measure) or simulate\n"
    "                     (the analytic step model of this machine's profile)\n";

typedef struct tour {
    const char *dir;
    const char *source;
    const char *workload; /* what measure runs: mlp, else cg, else dense */
    char self[4096];
    char dirbuf[4096];    /* --out without trailing slashes */
    char results[4200], breakdown[4200], model[4200], plan[4200];
    double t0;
} tour;

static void step(const tour *t, const char *what)
{
    fprintf(stderr, "[%5.1f s] %s\n", cli_now() - t->t0, what);
}

/* Runs argv with stdout sent to /dev/null; SW_EFAIL naming it on failure. */
static sw_status run(char *const argv[], sw_error *err)
{
    int rc = cli_spawn(argv, NULL);
    if (rc < 0)
        return sw_error_set(err, SW_EFAIL, "tour: cannot run %s: %s", argv[0], strerror(errno));
    if (rc != 0)
        return sw_error_set(err, SW_EFAIL, "tour: '%s %s' failed (status %d)", argv[0],
                            argv[1] ? argv[1] : "", rc);
    return SW_OK;
}

static sw_status observe(tour *t, sw_error *err)
{
    snprintf(t->breakdown, sizeof t->breakdown, "%s/breakdown.csv", t->dir);
    /* the step model of this machine's profile: the time breakdown figure,
     * and the observations themselves when there is nothing to measure */
    char *sim[] = {t->self, "simulate", "--platform", "local", "--n", "1:64", "--jitter",
                   "0.05", "--format", "csv", "--out", t->breakdown, NULL};
    step(t, "simulating a data-parallel MLP step on this machine's profile");
    sw_status st = run(sim, err);
    if (st)
        return st;
    if (strcmp(t->source, "simulate") == 0) {
        snprintf(t->results, sizeof t->results, "%s", t->breakdown);
        return SW_OK;
    }
    snprintf(t->results, sizeof t->results, "%s/results.csv", t->dir);
    remove(t->results);
    cli_mpirun_env();
    /* At least 6 repetitions a point: the fewest whose interval of the
     * median reaches 95% (docs/measure.md), so the report's "95% CI" is
     * true.  mlp at width 512 keeps a repetition near a third of a second,
     * the whole measurement within the tour's minute. */
    int mlp = strcmp(t->workload, "mlp") == 0;
    char *meas[] = {"mpirun", "--oversubscribe", "-np", "4", t->self, "measure",
                    (char *)t->workload, "--np", "1,2,4", "--reps", "6:8", "--budget", "3",
                    "--out", t->results, "--no-progress", mlp ? "--params" : NULL,
                    "width=512", NULL};
    char what[128];
    snprintf(what, sizeof what,
             "measuring %s at N = 1, 2, 4 ranks (N = 4 oversubscribed on 2 cores)", t->workload);
    step(t, what);
    st = run(meas, err);
    if (st) { /* a report from the model of this machine beats no report */
        fprintf(stderr, "scalewall tour: the measurement failed (%s); using the simulated "
                        "step instead\n", err->msg);
        sw_error_clear(err);
        snprintf(t->results, sizeof t->results, "%s", t->breakdown);
        t->source = "simulate (measurement failed)";
    }
    return SW_OK;
}

static sw_status write_model(const tour *t, const sw_fitmodel *m, sw_error *err)
{
    sw_outfile f;
    const char *in[] = {t->results, t->breakdown};
    sw_status st = sw_outfile_open(&f, t->model, SW_OUT_REPLACE, in, SW_NINPUTS(in), err);
    if (st)
        return st;
    if ((st = sw_fitmodel_write(m, f.fp, err)) != SW_OK)
        return sw_outfile_fail(&f, st, err);
    return sw_outfile_commit(&f, err);
}

static sw_status fit(tour *t, sw_error *err)
{
    sw_obs_set set = {0};
    const sw_obs *o;
    sw_fitmodel *m = NULL;
    step(t, "fitting a model of T(N) (hypotheses weighed by fit and validation, intervals)");
    sw_status st = sw_obs_read_file(t->results, &set, err);
    if (!st)
        st = sw_plan_select_series(t->results, &set, NULL, &o, err);
    sw_fit_options opt;
    sw_fit_options_default(&opt);
    opt.bootstrap = 400; /* the tour's budget; `scalewall fit` defaults to 1000 */
    /* through the series, so the model keeps where its data came from
     * (workload, network) for the report and the trust gate */
    if (!st)
        st = sw_fit_obs(o, t->results, &opt, &m, err);
    snprintf(t->model, sizeof t->model, "%s/model.json", t->dir);
    if (!st)
        st = write_model(t, m, err);
    char f[256];
    if (!st) {
        sw_fitmodel_formula(m, f, sizeof f);
        printf("Model: %s\n", f);
        /* predictions only where the trust gate lets them through */
        sw_predictor pr;
        sw_predictor_fit(&pr, m);
        static const double at[] = {2, 16, 256, 4096};
        for (size_t i = 0; i < 4; i++) {
            sw_fit_pred p;
            sw_trust tr;
            if (sw_fitmodel_predict(m, at[i], 0, NULL, &p, err) != SW_OK)
                break;
            sw_predictor_trust(&pr, at[i], 1, p.time.lo, p.time.hi, &tr);
            if (!tr.within) {
                printf("  N = %-5g beyond what the data supports: %s\n", at[i], tr.reason);
                continue;
            }
            printf("  N = %-5g T = %.4g s [%.4g..%.4g]  S = %.3g%s  E = %.2f\n", at[i],
                   p.time.median, p.time.lo, p.time.hi, p.speedup.median,
                   p.speedup.median < 1 ? " (slower than one unit)" : "", p.efficiency.median);
        }
        sw_error_clear(err);
    }
    sw_fitmodel_free(m);
    sw_obs_set_free(&set);
    return st;
}

static sw_status plan(tour *t, sw_error *err)
{
    step(t, "planning with the built-in example prices");
    snprintf(t->plan, sizeof t->plan, "%s/plan.json", t->dir);
    /* a job-time works for any model unit (a simulated step, a measured run) */
    /* the job, deadline and budget are the tour's inventions: --example
     * makes every sentence that uses them say so */
    char *argv[] = {t->self, "plan", t->model, "--n", "1:64", "--job-time", "100h",
                    "--deadline", "12h", "--budget", "500", "--example", "--out", t->plan,
                    NULL};
    return run(argv, err);
}

static sw_status report(tour *t, sw_report_summary *sum, sw_error *err)
{
    step(t, "writing the report");
    char n1[160], n2[160];
    snprintf(n1, sizeof n1, "tour: scalewall tour --out %s; observations from %s", t->dir,
             strncmp(t->source, "measure", 7) == 0
                 ? "mpirun -np 4 --oversubscribe scalewall measure (workload below) --np 1,2,4"
                 : t->source);
    snprintf(n2, sizeof n2, "plan: an example job of 100 h on one unit, example deadline "
             "12 h and budget 500 (the tour's inventions), nodes 1..64, built-in example prices");
    const char *notes[] = {n1, n2};
    sw_report_job job = {0};
    job.results = t->results;
    job.model = t->model;
    job.plan = t->plan;
    job.breakdown = t->breakdown;
    job.out = t->dir;
    job.title = "scalewall quick tour: this machine";
    job.notes = notes;
    job.nnotes = 2;
    return sw_report_run(&job, sum, err);
}

/* Whether this build's measure command knows `workload` (its --list).  The
 * binary's own path goes to exec as one argument, never through a shell:
 * it may hold any character (issue 11: a prefix named "d';touch PWNED;'"). */
static int can_measure(const char *self, const char *workload)
{
    if (!sw_command_find("measure"))
        return 0;
    char list[16384];
    char *argv[] = {(char *)self, "measure", "--list", NULL};
    if (cli_capture(argv, list, sizeof list) != 0)
        return 0;
    size_t n = strlen(workload);
    for (const char *line = list; *line;) {
        if (strncmp(line, workload, n) == 0 && (line[n] == ' ' || line[n] == '\t'))
            return 1;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return 0;
}

static int parse(int argc, char **argv, tour *t)
{
    static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                         {"source", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': t->dir = optarg; break;
        case 's': t->source = optarg; break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_usage("tour", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("tour", "unexpected argument '%s'", argv[optind]);
    /* "out/" and "out" are one directory: no "out//model.json" in the report */
    size_t len = strlen(t->dir);
    while (len > 1 && t->dir[len - 1] == '/')
        len--;
    if (len >= sizeof t->dirbuf)
        return cli_usage("tour", "--out: the directory name is too long");
    memcpy(t->dirbuf, t->dir, len);
    t->dirbuf[len] = '\0';
    t->dir = t->dirbuf;
    if (t->source && strcmp(t->source, "measure") != 0 && strcmp(t->source, "simulate") != 0)
        return cli_usage("tour", "--source must be measure or simulate");
    return 0;
}

int cmd_tour(int argc, char **argv)
{
    tour t = {0};
    t.dir = "scalewall-report";
    t.source = NULL;
    sw_error err = {0};
    ssize_t n = readlink("/proc/self/exe", t.self, sizeof t.self - 1);
    if (n <= 0)
        return cli_fail(&(sw_error){SW_EFAIL, "tour: cannot find the scalewall binary"});
    t.self[n] = '\0';
    int rc = parse(argc, argv, &t);
    if (rc)
        return rc < 0 ? 0 : rc;
    static const char *prefer[] = {"mlp", "cg", "dense"};
    for (size_t i = 0; i < 3 && !t.workload; i++)
        if (can_measure(t.self, prefer[i]))
            t.workload = prefer[i];
    if (t.source && strcmp(t.source, "measure") == 0 && !t.workload)
        return cli_usage("tour", "this build cannot measure (no mlp, cg or dense workload); "
                         "use --source simulate");
    if (!t.source) {
        t.source = t.workload ? "measure" : "simulate";
        if (!t.workload)
            fprintf(stderr, "scalewall tour: this build cannot measure; using the simulated "
                            "step of this machine's profile instead\n");
    }
    t.t0 = cli_now();
    if (mkdir(t.dir, 0777) != 0 && errno != EEXIST) {
        sw_error_set(&err, SW_EIO, "report directory '%s' cannot be created: %s", t.dir,
                     strerror(errno));
        return cli_fail(&err);
    }
    if (access(t.dir, W_OK | X_OK) != 0) {
        sw_error_set(&err, SW_EIO, "report directory '%s' is not writable", t.dir);
        return cli_fail(&err);
    }
    sw_report_summary sum;
    sw_status st = observe(&t, &err);
    if (!st)
        st = fit(&t, &err);
    if (!st)
        st = plan(&t, &err);
    if (!st)
        st = report(&t, &sum, &err);
    if (st)
        return cli_fail(&err);
    printf("\n");
    for (size_t i = 0; i < sum.nlines; i++)
        printf("- %s\n", sum.lines[i]);
    printf("\nReport: %s (%.0f s; open it in any browser, it needs no network)\n", sum.path,
           cli_now() - t.t0);
    return 0;
}
