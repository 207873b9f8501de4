/* cmd_report.c — `scalewall report`: one self-contained HTML file from
 * results, a model and a plan, plus a short summary on the terminal.
 *
 * The inputs are all optional (a section without its input says so); the
 * TOP500 context comes from the built-in table unless --top500 names a list
 * or --no-top500 drops it. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "scalewall/fit.h"
#include "scalewall/report.h"

static const char usage_text[] =
    "usage: scalewall report [--results FILE] [--model FILE] [--plan PLAN.json]\n"
    "                        [--breakdown SIM.csv] [--top500 LIST | --no-top500]\n"
    "                        [--out DIR] [--title TEXT] [--series SEL] [--n-to N]\n"
    "                        [--note 'key: value']...\n"
    "\n"
    "Writes DIR/report.html (default ./scalewall-report): one self-contained HTML file\n"
    "with the figures inline, the tables, the method in plain words and where the\n"
    "data came from; each figure's PNG and its numbers (fig-*.csv) sit next to it.\n"
    "Prints a short summary and where the report is.\n"
    "\n"
    "  --results FILE    measured (or simulated) series: CSV, JSON or JSONL\n"
    "  --model FILE      a fitted model (scalewall fit) or a series used as one\n"
    "  --plan FILE       a plan written by 'scalewall plan --out'\n"
    "  --breakdown FILE  a simulated series with compute_s, comm_s, ... columns\n"
    "  --top500 LIST     a TOP500 list (CSV or .xlsx) for the context map\n"
    "  --no-top500       no TOP500 systems on the map\n"
    "  --series SEL      which series of a multi-series results file\n"
    "  --n-to N          extrapolate the model's curves to N (default 64x the data)\n"
    "  --note TEXT       a provenance line 'key: value' (repeatable)\n";

typedef struct report_opts {
    const char *results, *model, *plan, *breakdown, *top500, *out, *title, *series;
    int no_top500;
    double n_to;
    const char **notes;
    size_t nnotes;
} report_opts;

static int parse(int argc, char **argv, report_opts *o)
{
    static const struct option opts[] = {
        {"results", required_argument, 0, 'r'},   {"model", required_argument, 0, 'm'},
        {"plan", required_argument, 0, 'p'},      {"breakdown", required_argument, 0, 'b'},
        {"top500", required_argument, 0, 't'},    {"no-top500", no_argument, 0, 'T'},
        {"out", required_argument, 0, 'o'},       {"title", required_argument, 0, 'i'},
        {"series", required_argument, 0, 's'},    {"n-to", required_argument, 0, 'n'},
        {"note", required_argument, 0, 'N'},      {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': o->results = optarg; break;
        case 'm': o->model = optarg; break;
        case 'p': o->plan = optarg; break;
        case 'b': o->breakdown = optarg; break;
        case 't': o->top500 = optarg; break;
        case 'T': o->no_top500 = 1; break;
        case 'o': o->out = optarg; break;
        case 'i': o->title = optarg; break;
        case 's': o->series = optarg; break;
        case 'n': rc = cli_double("report", "--n-to", optarg, &o->n_to); break;
        case 'N': {
            const char **p = realloc(o->notes, (o->nnotes + 1) * sizeof *p);
            if (!p)
                return 7;
            o->notes = p;
            o->notes[o->nnotes++] = optarg;
            break;
        }
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_usage("report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc)
        return rc;
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (o->top500 && o->no_top500)
        return cli_usage("report", "--top500 and --no-top500 exclude each other");
    if (!isnan(o->n_to) && !(o->n_to > 1))
        return cli_usage("report", "--n-to must be > 1");
    return 0;
}

int cmd_report(int argc, char **argv)
{
    report_opts o = {0};
    o.n_to = NAN;
    int rc = parse(argc, argv, &o);
    if (rc) {
        free(o.notes);
        return rc < 0 ? 0 : rc;
    }
    sw_report_job job = {0};
    job.results = o.results;
    job.series = o.series;
    job.model = o.model;
    job.plan = o.plan;
    job.breakdown = o.breakdown;
    job.top500 = o.top500;
    job.no_top500 = o.no_top500;
    job.out = o.out ? o.out : "scalewall-report";
    job.title = o.title;
    job.n_to = isnan(o.n_to) ? 0 : o.n_to;
    job.notes = o.notes;
    job.nnotes = o.nnotes;
    sw_error err = {0};
    sw_report_summary sum;
    sw_status st = sw_report_run(&job, &sum, &err);
    free(o.notes);
    if (st)
        return cli_fail(&err);
    for (size_t i = 0; i < sum.nlines; i++)
        printf("- %s\n", sum.lines[i]);
    printf("Report: %s (%zu figure%s, self-contained; open it in any browser)\n", sum.path,
           sum.nfigures, sum.nfigures == 1 ? "" : "s");
    return 0;
}
