/* cmd_plan.c — `scalewall plan MODEL`: time, cost and energy against N for
 * each hardware option of a price table, and the answers a buyer needs.
 *
 * Everything is computed before anything is written: a bad option, a bad
 * price or a model from a newer scalewall ends with one error line and no
 * output files. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/io.h"
#include "scalewall/plan.h"
#include "scalewall/report.h"
#include "scalewall/simulate.h"

static const char usage_text[] =
    "usage: scalewall plan MODEL --n LIST [--prices FILE] [WORK] [--deadline TIME]\n"
    "                      [--budget AMOUNT] [--knee PCT] [--series SEL]\n"
    "                      [--json | --csv] [--out PLAN.json] [--plot FILE.png|.svg]\n"
    "\n"
    "For each candidate node count and each hardware option of a price table: the\n"
    "time to finish the work, its cost, energy and efficiency, and the answers: the\n"
    "cheapest option meeting a deadline, the fastest within a budget, the knee, and\n"
    "the N past which more nodes make the run slower.\n"
    "\n"
    "  MODEL            a fitted model (scalewall fit) or a series (scalewall simulate,\n"
    "                   scalewall measure): CSV, JSON or JSONL\n"
    "  --n LIST         candidate node counts: 1,2,4,8 or 1:64 (powers of two)\n"
    "  --prices FILE    price table, CSV or JSON (default: the built-in example table)\n"
    "WORK (default: --steps 1, one run of the measured workload):\n"
    "  --steps K        K units of work, each taking the model's T(N)\n"
    "  --work TEXT      \"90 epochs\" (with --steps-per-epoch K) or \"1e6 steps\"\n"
    "  --job-time TIME  the job takes TIME on one measured unit (36h, 2 days, 900 s);\n"
    "                   on N units it takes TIME * T(N)/T(1)\n"
    "  --converge C     a training run to convergence: on N units it takes\n"
    "                   S(B) = S_MIN (1 + B_NOISE/B) steps of T(N) at its global batch B;\n"
    "                   C is S_MIN:B_NOISE or FILE[:BENCHMARK] of reference\n"
    "                   convergence points (data/mlperf/rcp.csv), with one of\n"
    "  --batch B        the global batch, the same at every N\n"
    "  --batch-per-unit B  the batch per unit: B(N) = B x N (the global batch grows)\n"
    "  --deadline TIME  ask for the cheapest option finishing within TIME\n"
    "  --budget AMOUNT  ask for the fastest option costing at most AMOUNT\n"
    "  --knee PCT       a doubling that cuts the time by less than PCT% is past the\n"
    "                   knee (default 10)\n"
    "  --payload-speedup K  what-if: every option's parallel payload K times faster on\n"
    "                   top of its speed (the serial part, waiting and communication\n"
    "                   stay: the same meaning as in amdahl, fit and predict)\n"
    "  --series SEL     which series of a multi-series file: number, WORKLOAD or\n"
    "                   WORKLOAD:K=V,... (as scalewall fit --series)\n"
    "  --json, --csv    print the plan as JSON or CSV instead of the table\n"
    "  --out FILE       also write the plan as JSON (what `scalewall report` reads)\n"
    "  --plot FILE      draw time against cost per option (and FILE's .csv data)\n"
    "  --example        the work, deadline and budget are examples (the tour's): the\n"
    "                   sentences say so\n"
    "\n"
    "Only rows within what the data supports are answers: N at most the largest\n"
    "measured N times the model's calibrated ratio, one node unless the model has\n"
    "a network, and an interval narrower than a factor 10.  The rest are shown as\n"
    "beyond what the data supports, with the reason (docs/plan.md, 'The trust gate').\n"
    "\n"
    "Node counts are multiplied by each option's units_per_node to get the model's N;\n"
    "docs/plan.md states every formula and the built-in prices' assumptions.\n";

typedef struct plan_opts {
    double *nodes;
    size_t nnodes;
    const char *prices, *work, *job_time, *deadline, *series, *out, *plot, *converge;
    double steps, steps_per_epoch, budget, knee, payload, batch, batch_per_unit;
    int json, csv, example;
} plan_opts;

/* "25.8 h [20.6 h..30.9 h]", or the median alone without an interval. */
static void with_interval(char *buf, size_t size, const char *m, const char *lo, const char *hi,
                          int has)
{
    if (has)
        snprintf(buf, size, "%s [%s..%s]", m, lo, hi);
    else
        snprintf(buf, size, "%s", m);
}

static void print_row(const sw_plan *pl, const sw_plan_row *r)
{
    if (!r->trust.within) { /* no number where the data cannot carry one */
        printf("  %-14s %7g %9g  %-61s %10s %8s\n", pl->prices.opt[r->option].name, r->nodes,
               r->units, "beyond what the data supports (below)", "-", "-");
        return;
    }
    char t[32], tl[32], th[32], c[40], cl[40], ch[40], tb[120], cb[140];
    const char *cur = pl->prices.currency;
    sw_fmt_duration(r->time_s.median, t, sizeof t);
    sw_fmt_duration(r->time_s.lo, tl, sizeof tl);
    sw_fmt_duration(r->time_s.hi, th, sizeof th);
    sw_fmt_money(r->cost.median, cur, c, sizeof c);
    sw_fmt_money(r->cost.lo, cur, cl, sizeof cl);
    sw_fmt_money(r->cost.hi, cur, ch, sizeof ch);
    with_interval(tb, sizeof tb, t, tl, th, !isnan(r->time_s.lo));
    with_interval(cb, sizeof cb, c, cl, ch, !isnan(r->cost.lo));
    printf("  %-14s %7g %9g  %-30s %-30s %10.4g %8.3g\n", pl->prices.opt[r->option].name,
           r->nodes, r->units, tb, cb, r->energy_kwh.median, r->efficiency.median);
}

/* The gate's verdict under the table: each distinct reason once, and what
 * to run when the network is what is missing. */
static void print_gate(const sw_plan *pl)
{
    size_t gated = 0, shown = 0;
    int network = 0;
    for (size_t i = 0; i < pl->nrows; i++)
        if (!pl->rows[i].trust.within) {
            gated++;
            network |= !pl->rows[i].trust.network_ok;
        }
    if (!gated)
        return;
    printf("\nBeyond what the data supports (%zu of %zu rows; the model was fitted on N = %g to "
           "%g, its intervals calibrated to %g\u00d7 that):\n",
           gated, pl->nrows, pl->reach.n_min, pl->reach.n_max, pl->reach.calibrated_ratio);
    for (size_t i = 0; i < pl->nrows && shown < 8; i++) {
        const sw_plan_row *r = &pl->rows[i];
        if (r->trust.within)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !pl->rows[j].trust.within && r->option == pl->rows[j].option;
        if (seen) /* the smallest row of each option says it for the option */
            continue;
        printf("  %g x %s and up: %s\n", r->nodes, pl->prices.opt[r->option].name,
               r->trust.reason);
        shown++;
    }
    if (network)
        printf("  The network between nodes is unmeasured: %s.\n", sw_trust_network_hint());
}

static void print_text(const sw_plan *pl)
{
    printf("Plan for %s on %s\n", pl->req.work.desc, pl->what);
    if (pl->req.work.kind == SW_WORK_TRAIN) { /* the steps each row's time multiplies */
        printf("Steps to converge (%s):", pl->prices.opt[0].name);
        for (size_t i = 0; i < pl->nrows && pl->rows[i].option == 0; i++)
            printf("%s %g units %.6g", i ? "," : "", pl->rows[i].units,
                   sw_work_steps(&pl->req.work, pl->rows[i].units));
        printf("\n");
    }
    printf("Prices: %s (%s)\n\n", pl->prices.source, pl->prices.currency);
    printf("  %-14s %7s %9s  %-30s %-30s %10s %8s\n", "option", "nodes", "units",
           "time [interval]", "cost [interval]", "energy kWh", "E");
    for (size_t i = 0; i < pl->nrows; i++)
        print_row(pl, &pl->rows[i]);
    print_gate(pl);
    printf("\nAnswers:\n");
    if (!isnan(pl->req.deadline_s))
        printf("  - %s\n", pl->deadline.sentence);
    if (!isnan(pl->req.budget))
        printf("  - %s\n", pl->budget.sentence);
    for (size_t o = 0; o < pl->prices.n; o++) {
        if (pl->knee[o].sentence[0])
            printf("  - %s\n", pl->knee[o].sentence);
        if (pl->slowdown[o].sentence[0])
            printf("  - %s\n", pl->slowdown[o].sentence);
    }
}

static int parse_args(int argc, char **argv, plan_opts *o, const char **model)
{
    static const struct option opts[] = {
        {"n", required_argument, 0, 'n'},        {"prices", required_argument, 0, 'p'},
        {"steps", required_argument, 0, 's'},    {"work", required_argument, 0, 'w'},
        {"steps-per-epoch", required_argument, 0, 'e'},
        {"job-time", required_argument, 0, 'J'}, {"deadline", required_argument, 0, 'd'},
        {"budget", required_argument, 0, 'b'},   {"knee", required_argument, 0, 'k'},
        {"series", required_argument, 0, 'S'},   {"json", no_argument, 0, 'j'},
        {"csv", no_argument, 0, 'c'},            {"out", required_argument, 0, 'o'},
        {"plot", required_argument, 0, 'P'},     {"help", no_argument, 0, 'h'},
        {"payload-speedup", required_argument, 0, CLI_OPT_PAYLOAD},
        {"example", no_argument, 0, 'x'},        {"converge", required_argument, 0, 'C'},
        {"batch", required_argument, 0, 'B'},
        {"batch-per-unit", required_argument, 0, 'U'},
        {0, 0, 0, 0}};
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            free(o->nodes);
            rc = cli_n_list("plan", "--n", optarg, &o->nodes, &o->nnodes);
            break;
        case 'p': o->prices = optarg; break;
        case 's': rc = cli_double("plan", "--steps", optarg, &o->steps); break;
        case 'w': o->work = optarg; break;
        case 'e': rc = cli_double("plan", "--steps-per-epoch", optarg, &o->steps_per_epoch); break;
        case 'J': o->job_time = optarg; break;
        case 'd': o->deadline = optarg; break;
        case 'b': rc = cli_double("plan", "--budget", optarg, &o->budget); break;
        case 'k': rc = cli_double("plan", "--knee", optarg, &o->knee); break;
        case 'S': o->series = optarg; break;
        case 'j': o->json = 1; break;
        case 'c': o->csv = 1; break;
        case 'o': o->out = optarg; break;
        case 'P': o->plot = optarg; break;
        case CLI_OPT_PAYLOAD:
            rc = cli_double("plan", "--payload-speedup", optarg, &o->payload);
            if (!rc && !(o->payload > 0))
                rc = cli_usage("plan", "--payload-speedup: %g is not a positive number",
                               o->payload);
            break;
        case 'x': o->example = 1; break;
        case 'C': o->converge = optarg; break;
        case 'B': rc = cli_double("plan", "--batch", optarg, &o->batch); break;
        case 'U': rc = cli_double("plan", "--batch-per-unit", optarg, &o->batch_per_unit); break;
        case 'h': fputs(usage_text, stdout); return -1;
        default:
            return cli_usage("plan", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc)
        return rc;
    if (optind + 1 != argc)
        return cli_usage("plan", optind >= argc ? "give one MODEL file" : "unexpected argument "
                                                                          "'%s'",
                         argv[argc - 1]);
    *model = argv[optind];
    if (!o->nnodes)
        return cli_usage("plan", "no candidate N: give --n (e.g. --n 1:64)");
    if (!isnan(o->steps) + (o->work != NULL) + (o->job_time != NULL) + (o->converge != NULL) > 1)
        return cli_usage("plan", "give only one of --steps, --work, --job-time, --converge");
    if (o->converge && !isnan(o->batch) + !isnan(o->batch_per_unit) != 1)
        return cli_usage("plan", "--converge needs one of --batch and --batch-per-unit");
    if (!o->converge && (!isnan(o->batch) || !isnan(o->batch_per_unit)))
        return cli_usage("plan", "--batch and --batch-per-unit need --converge");
    if (!(isnan(o->batch) || o->batch > 0) || !(isnan(o->batch_per_unit) || o->batch_per_unit > 0))
        return cli_usage("plan", "the batch must be > 0");
    if (o->json && o->csv)
        return cli_usage("plan", "--json and --csv exclude each other");
    if (!isnan(o->budget) && o->budget < 0)
        return cli_usage("plan", "--budget: %g is negative", o->budget);
    return 0;
}

static sw_status build_request(const plan_opts *o, sw_plan_request *r, sw_error *err)
{
    memset(r, 0, sizeof *r);
    r->nodes = o->nodes;
    r->nnodes = o->nnodes;
    r->budget = o->budget;
    r->knee_pct = isnan(o->knee) ? 10 : o->knee;
    r->deadline_s = NAN;
    sw_status st = SW_OK;
    if (o->deadline)
        st = sw_duration_parse(o->deadline, &r->deadline_s, err);
    r->work.example = o->example;
    if (!st && o->work) {
        st = sw_work_parse(o->work, o->steps_per_epoch, &r->work, err);
        r->work.example = o->example;
        if (!st && o->example) {
            char d[sizeof r->work.desc];
            snprintf(d, sizeof d, "%s", r->work.desc);
            snprintf(r->work.desc, sizeof r->work.desc, "an example of %.80s", d);
        }
    }
    else if (!st && o->converge) {
        sw_work *w = &r->work;
        if ((st = sw_sim_converge_spec(o->converge, &w->converge, err))) {
            sw_error_prefix(err, "--converge");
            return st;
        }
        w->kind = SW_WORK_TRAIN;
        w->amount = 1;
        w->batch = isnan(o->batch) ? 0 : o->batch;
        w->batch_per_unit = isnan(o->batch_per_unit) ? 0 : o->batch_per_unit;
        char d[160];
        snprintf(d, sizeof d, "%straining to convergence (%.4g (1 + %.4g/B) steps, batch %.4g%s)",
                 o->example ? "an example of " : "", w->converge.s_min, w->converge.b_noise,
                 w->batch > 0 ? w->batch : w->batch_per_unit, w->batch > 0 ? "" : " per unit");
        snprintf(w->desc, sizeof w->desc, "%.95s", d);
    } else if (!st && o->job_time) {
        double s;
        st = sw_duration_parse(o->job_time, &s, err);
        char d[32];
        sw_fmt_duration(s, d, sizeof d);
        r->work.kind = SW_WORK_JOB_TIME;
        r->work.amount = s;
        snprintf(r->work.desc, sizeof r->work.desc, "%s job of %s on one unit",
                 o->example ? "an example" : "a", d);
    } else if (!st) {
        double k = isnan(o->steps) ? 1 : o->steps;
        if (!(k > 0))
            return sw_error_set(err, SW_EINVAL, "--steps must be positive");
        r->work.kind = SW_WORK_STEPS;
        r->work.amount = k;
        if (o->example)
            snprintf(r->work.desc, sizeof r->work.desc, "an example of %g steps", k);
        else if (isnan(o->steps))
            snprintf(r->work.desc, sizeof r->work.desc, "one run of the measured workload");
        else
            snprintf(r->work.desc, sizeof r->work.desc, "%g steps", k);
    }
    return st;
}

/* --plot (X.png and X.csv) and --out land together, and none of them may
 * replace the model or the price table read, or each other. */
static sw_status write_outputs(const plan_opts *o, const char *model, const sw_plan *pl,
                               sw_error *err)
{
    sw_status st = SW_OK;
    sw_outfile outs[3] = {{0}, {0}, {0}};
    if (o->plot) {
        sw_chart *c;
        const char *in[] = {model, o->prices, o->out};
        st = sw_fig_plan(pl, &c, err);
        if (!st) {
            st = sw_chart_write_files(c, o->plot, 900, 540, in, SW_NINPUTS(in), outs, err);
            sw_chart_free(c);
        }
    }
    if (!st && o->out) {
        const char *in[] = {model, o->prices, outs[0].name, outs[1].name};
        st = sw_outfile_open(&outs[2], o->out, SW_OUT_REPLACE, in, SW_NINPUTS(in), err);
        if (!st && (st = sw_plan_write_json(pl, outs[2].fp, err)) != SW_OK)
            st = sw_outfile_fail(&outs[2], st, err);
    }
    if (!st)
        st = sw_outfile_commit_all(outs, 3, err);
    for (int i = 0; i < 3; i++)
        sw_outfile_abort(&outs[i]);
    if (st)
        return st;
    if (o->json)
        return sw_plan_write_json(pl, stdout, err);
    if (o->csv)
        return sw_plan_write_csv(pl, stdout, err);
    print_text(pl);
    return SW_OK;
}

int cmd_plan(int argc, char **argv)
{
    plan_opts o = {0};
    o.steps = o.steps_per_epoch = o.budget = o.knee = o.batch = o.batch_per_unit = NAN;
    o.payload = 1;
    const char *model = NULL;
    int rc = parse_args(argc, argv, &o, &model);
    if (rc) {
        free(o.nodes);
        return rc < 0 ? 0 : rc;
    }
    sw_error err = {0};
    sw_plan_request req;
    sw_price_table prices = {0};
    sw_plan_model m = {0};
    sw_plan pl = {0};
    sw_status st = build_request(&o, &req, &err);
    if (!st)
        st = o.prices ? sw_prices_read_file(o.prices, &prices, &err)
                      : sw_prices_default(&prices, &err);
    for (size_t k = 0; !st && k < prices.n; k++)
        prices.opt[k].speed *= o.payload;
    if (!st)
        st = sw_plan_model_load(model, o.series, &m, &err);
    if (!st)
        st = sw_plan_run(&m.pred, &prices, &req, &pl, &err);
    if (!st)
        st = write_outputs(&o, model, &pl, &err);
    sw_plan_free(&pl);
    sw_plan_model_free(&m);
    sw_prices_free(&prices);
    free(o.nodes);
    return st ? cli_fail(&err) : 0;
}
