/* cmd_fit.c — `scalewall fit`: a model of T(N) from an observation series.
 *
 * Reads a series (CSV, JSON or JSONL from measure, simulate, top500 or the
 * user), fits and chooses among the hypotheses, prints the model, the
 * selection table, the answers (N*, the wall, N1/2) and predictions with
 * intervals, and saves the model document for `predict` and `plan`. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "builtin.h"
#include "scalewall/fit.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"

static const char usage_text[] =
    "usage: scalewall fit FILE [--series SEL] [-o MODEL.json] [--csv | --json]\n"
    "                     [--at LIST] [--level L] [--efficiency-target E]\n"
    "                     [--payload-speedup K] [--serial-scale S] [--comm-scale C]\n"
    "                     [--sync-scale W] [--platform P] [--bootstrap B] [--seed S]\n"
    "                     [--scaling strong|weak] [--max-comm 0..3] [--extrap]\n"
    "                     [--fit-max-n N] [--tasks T] [--noise R]\n"
    "                     [--step-times FILE --steps S [--step-series SEL]]\n"
    "                     [--output FILE]\n"
    "\n"
    "Fits T(N) = t_s + t_p/N + terms with a mechanism (trees, rings, bandwidth,\n"
    "stragglers, halos, transposes; weak scaling: t_0 + terms) to an observation\n"
    "series.  Every combination of terms is weighed by its fit and by how well it\n"
    "predicts the series' larger N from its smaller ones; the answers - N* (past it\n"
    "more units make the run slower), the wall (maximum speedup and payload rate),\n"
    "N1/2, the N where E falls to a target - come with intervals drawn from all of\n"
    "them, widened by a model error that grows with the distance beyond the data.\n"
    "\n"
    "  FILE                 observations (CSV, JSON or JSONL; docs/formats.md)\n"
    "  --series SEL         the series to fit when FILE holds several: 1-based number,\n"
    "                       WORKLOAD or WORKLOAD:K=V,... (the series whose params\n"
    "                       hold each K=V given, e.g. cg:nx=64)\n"
    "  -o, --model PATH     save the model document (for scalewall predict / plan)\n"
    "  --at LIST            N to predict at (1,2,4 or 1:4096 or 1:1e6); default: powers\n"
    "                       of two up to 16x the largest measured N\n"
    "  --level L            interval level, default 0.9\n"
    "  --efficiency-target E  also report the N where E falls to E (default 0.8)\n"
    "%s"
    "  --platform P         communication shapes from this platform's collectives\n"
    "                       (levels, node and leaf size, taper): a profile, a platform\n"
    "                       .json, or flat:... / fattree:leaf=L,up=U,... (docs/virtual.md);\n"
    "                       a .json may name \"mpi_alltoall\" (ompi, mpich, pair, ring,\n"
    "                       bruck, linear), \"mpi_allreduce\" (rdb, rab_rdb, redbcast, mpich,\n"
    "                       ompi: a stencil's residual allreduce) and \"smpi_network\"\n"
    "                       (default: SMPI's factors)\n"
    "  --bootstrap B        samples for the intervals (default 1000; 0 = none)\n"
    "  --seed S             sample seed (default 1): same data + seed = same model\n"
    "  --scaling strong|weak  override the series' scaling\n"
    "  --max-comm K         terms beside t_s and t_p/N per hypothesis (default 2)\n"
    "  --extrap             also every Extra-P shape N^i log2^j N as a single term\n"
    "  --fit-max-n N        fit only points with N <= N (to check extrapolation)\n"
    "  --tasks T            a master-worker program: rank 0 hands out T tasks per step\n"
    "                       and computes none; the master's service of every request\n"
    "                       floors the time (docs/fit.md, \"Master-worker\")\n"
    "  --noise R            each value varies by at least R from run to run (relative,\n"
    "                       one standard deviation: 0.05 for results published as\n"
    "                       +-5%%); the data's own spread and misfit can raise it, never\n"
    "                       lower it (default: from the data, floored at 3e-4)\n"
    "  --step-times FILE    one rank's time per step, a row each at N = 1 (observations;\n"
    "                       a thousand steps read the tail well): the payload waits for\n"
    "                       the slowest of N such steps (docs/fit.md, \"Stragglers from\n"
    "                       one rank's step times\"); --step-series picks a series there\n"
    "  --steps S            with --step-times: each value of FILE is the mean time of S\n"
    "                       steps (the slowest of N varies from step to step)\n"
    "  --csv | --json       the prediction table as CSV / everything as JSON\n"
    "  --output FILE        write the report to FILE instead of stdout\n"
    "\n"
    "Rate series (quantity rate) are fitted as t = peak/(N*rate) when every point has a\n"
    "peak (Amdahl: 1/(N E) = s + (1-s)/N), else as t = 1/rate.  docs/fit.md has the details.\n";

typedef struct fit_args {
    const char *file, *series, *model, *output, *platform, *steps, *step_series;
    double *at;
    size_t nat;
    double level, target;
    sw_whatif w;
    sw_fit_options opt;
    sw_fit_out format;
} fit_args;

static int parse(int argc, char **argv, fit_args *a)
{
    static const struct option opts[] = {
        {"series", required_argument, 0, 'S'},  {"model", required_argument, 0, 'o'},
        {"at", required_argument, 0, 'a'},      {"level", required_argument, 0, 'l'},
        {"efficiency-target", required_argument, 0, 'e'},
        CLI_WHATIF_OPTS,                        {"platform", required_argument, 0, 'P'},
        {"bootstrap", required_argument, 0, 'b'}, {"seed", required_argument, 0, 'r'},
        {"scaling", required_argument, 0, 'g'}, {"max-comm", required_argument, 0, 'm'},
        {"extrap", no_argument, 0, 'x'},        {"fit-max-n", required_argument, 0, 'n'},
        {"tasks", required_argument, 0, 'T'},    {"noise", required_argument, 0, 'N'},
        {"step-times", required_argument, 0, 's'}, {"step-series", required_argument, 0, 'y'},
        {"steps", required_argument, 0, 'k'},
        {"csv", no_argument, 0, 'C'},           {"json", no_argument, 0, 'J'},
        {"output", required_argument, 0, 'O'},  {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c, rc = 0;
    double v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        if ((rc = cli_whatif_opt("fit", c, optarg, &a->w)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        rc = 0;
        switch (c) {
        case 'S': a->series = optarg; break;
        case 'o': a->model = optarg; break;
        case 'O': a->output = optarg; break;
        case 'a':
            free(a->at);
            rc = cli_n_list("fit", "--at", optarg, &a->at, &a->nat);
            break;
        case 'l': rc = cli_double("fit", "--level", optarg, &a->level); break;
        case 'e': rc = cli_double("fit", "--efficiency-target", optarg, &a->target); break;
        case 'P': a->platform = optarg; break;
        case 'b':
            if (sw_parse_double(optarg, &v) != 1 || v < 0 || v > 1e6 || v != floor(v))
                return cli_usage("fit", "--bootstrap: '%s' is not a count 0..1000000", optarg);
            a->opt.bootstrap = (size_t)v;
            break;
        case 'r':
            if (sw_parse_double(optarg, &v) != 1 || v < 0 || v > 4e9 || v != floor(v))
                return cli_usage("fit", "--seed: '%s' is not a whole number >= 0", optarg);
            a->opt.seed = (unsigned long)v;
            break;
        case 'g':
            if (strcmp(optarg, "strong") == 0)
                a->opt.form = SW_FIT_STRONG;
            else if (strcmp(optarg, "weak") == 0)
                a->opt.form = SW_FIT_WEAK;
            else
                return cli_usage("fit", "--scaling: '%s' is not strong or weak", optarg);
            break;
        case 'm':
            if (sw_parse_double(optarg, &v) != 1 || !(v >= 0 && v <= 3) || v != floor(v))
                return cli_usage("fit", "--max-comm: '%s' is not 0, 1, 2 or 3", optarg);
            a->opt.max_comm = (int)v;
            break;
        case 'x': a->opt.extrap = 1; break;
        case 'T':
            if (sw_parse_double(optarg, &v) != 1 || !(v >= 1 && v <= 1e15) || v != floor(v))
                return cli_usage("fit", "--tasks: '%s' is not a whole number >= 1", optarg);
            a->opt.tasks = v;
            break;
        case 'N':
            if (sw_parse_double(optarg, &v) != 1 || !(v >= 0 && v < 1))
                return cli_usage("fit", "--noise: '%s' is not a relative spread in [0, 1) (0.05 for 5%%)",
                                 optarg);
            a->opt.noise = v;
            break;
        case 'n': rc = cli_double("fit", "--fit-max-n", optarg, &a->opt.n_max); break;
        case 's': a->steps = optarg; break;
        case 'y': a->step_series = optarg; break;
        case 'k':
            if (sw_parse_double(optarg, &v) != 1 || !(v >= 1 && v <= 1e12) || v != floor(v))
                return cli_usage("fit", "--steps: '%s' is not a whole number of steps >= 1", optarg);
            a->opt.jitter_steps = v;
            break;
        case 'C':
        case 'J':
            /* One output format: the last of two was silently the one used. */
            if (a->format != SW_FIT_OUT_TEXT && a->format != (c == 'C' ? SW_FIT_OUT_CSV : SW_FIT_OUT_JSON))
                return cli_usage("fit", "--csv and --json exclude each other");
            a->format = c == 'C' ? SW_FIT_OUT_CSV : SW_FIT_OUT_JSON;
            break;
        case 'h': printf(usage_text, cli_whatif_help); return -1;
        default: return cli_usage("fit", "unknown option");
        }
        if (rc)
            return rc;
    }
    if (optind != argc - 1)
        return cli_usage("fit", optind >= argc ? "give one observation FILE"
                                               : "give exactly one observation FILE");
    a->file = argv[optind];
    if ((a->step_series || a->opt.jitter_steps > 0) && !a->steps)
        return cli_usage("fit", "--step-series and --steps go with --step-times FILE; give it");
    if (a->steps && !(a->opt.jitter_steps > 0))
        return cli_usage("fit", "--step-times: give --steps S, the steps each value of %s "
                         "averages", a->file);
    if (!(a->level > 0 && a->level < 1))
        return cli_usage("fit", "--level: %g is not in (0, 1)", a->level);
    if (!(a->target > 0 && a->target < 1))
        return cli_usage("fit", "--efficiency-target: %g is not in (0, 1)", a->target);
    return cli_whatif_check("fit", &a->w);
}

/* Powers of two from 1 to 16x the largest measured N. */
static int default_at(const sw_fitmodel *m, fit_args *a)
{
    double top = exp2(ceil(log2(sw_fitmodel_n_max(m) * 16)));
    char range[64];
    snprintf(range, sizeof range, "1:%.0f", top);
    return cli_n_list("fit", "--at", range, &a->at, &a->nat);
}

/* The model file (-o) and the report (--output, else stdout) are written
 * together: neither may replace the results read, nor each other, and
 * neither is put in place unless both were written. */
static int write_outputs(const sw_fitmodel *m, const fit_args *a)
{
    sw_error err = {0};
    sw_outfile out[2] = {{0}, {0}};
    sw_fit_query q = {a->at, a->nat, a->level, a->target, &a->w};
    /* --platform is a profile name or a file: only a file is an input. */
    const char *pf = a->platform && access(a->platform, F_OK) == 0 ? a->platform : NULL;
    const char *for_model[] = {a->file, pf, a->steps, a->output},
               *for_report[] = {a->file, pf, a->steps, a->model};
    sw_status st = SW_OK;
    if (a->model)
        st = sw_outfile_open(&out[0], a->model, SW_OUT_REPLACE, for_model,
                             SW_NINPUTS(for_model), &err);
    if (!st)
        st = sw_outfile_open(&out[1], a->output ? a->output : "-", SW_OUT_REPLACE, for_report,
                             SW_NINPUTS(for_report), &err);
    if (!st && a->model && (st = sw_fitmodel_write(m, out[0].fp, &err)) != SW_OK)
        st = sw_outfile_fail(&out[0], st, &err);
    if (!st && (st = sw_fit_report_write(m, &q, a->format, out[1].fp, &err)) != SW_OK)
        st = sw_outfile_fail(&out[1], st, &err);
    if (!st)
        st = sw_outfile_commit_all(out, 2, &err);
    sw_outfile_abort(&out[0]);
    sw_outfile_abort(&out[1]);
    return st ? cli_fail(&err) : 0;
}

int cmd_fit(int argc, char **argv)
{
    /* The library checks every GSL call's domain itself; GSL's default
     * handler would abort the process on a missed case instead of letting
     * the answer come out NaN. */
    gsl_set_error_handler_off();
    fit_args a = {0};
    a.level = 0.9;
    a.target = 0.8;
    sw_whatif_none(&a.w);
    sw_fit_options_default(&a.opt);
    int rc = parse(argc, argv, &a);
    if (rc) {
        free(a.at);
        return rc < 0 ? 0 : rc;
    }
    a.opt.level = a.level;
    sw_error err = {0};
    sw_platform pf;
    if (a.platform) {
        if (sw_fit_platform_spec(a.platform, &pf, &err)) {
            free(a.at);
            return cli_fail(&err);
        }
        a.opt.platform = &pf;
    }
    sw_obs_set set = {0}, steps = {0};
    const sw_obs *o = NULL;
    sw_fitmodel *m = NULL;
    sw_jitter jit;
    if (a.steps) { /* one rank's step times: the tail the slowest of N is drawn from */
        if (sw_obs_read_file(a.steps, &steps, &err) ||
            sw_fit_select_series(&steps, a.step_series, &o, &err) ||
            sw_jitter_from_obs(o, &jit, &err)) {
            if (!strstr(err.msg, a.steps))
                sw_error_prefix(&err, "%s", a.steps);
            rc = cli_fail(&err);
            goto done;
        }
        a.opt.jitter = &jit;
    }
    if (sw_obs_read_file(a.file, &set, &err) ||
        sw_fit_select_series(&set, a.series, &o, &err) ||
        sw_fit_obs(o, a.file, &a.opt, &m, &err)) {
        if (!strstr(err.msg, a.file))
            sw_error_prefix(&err, "%s", a.file);
        rc = cli_fail(&err);
        goto done;
    }
    for (size_t k = 0; k < sw_fitmodel_nwarnings(m); k++)
        fprintf(stderr, "scalewall fit: warning: %s\n", sw_fitmodel_warning(m, k));
    if (!a.at && (rc = default_at(m, &a)))
        goto done;
    rc = write_outputs(m, &a);
done:
    sw_fitmodel_free(m);
    sw_obs_set_free(&set);
    sw_obs_set_free(&steps);
    free(a.at);
    return rc;
}
