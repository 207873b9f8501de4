/* cmd_plot.c — `scalewall plot KIND ...`: each of the report's figures on its
 * own, from files, as PNG or SVG with the numbers beside it (FILE.csv). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/plan.h"
#include "scalewall/report.h"

static const char usage_text[] =
    "usage: scalewall plot KIND [INPUT] --out FILE.png|FILE.svg [options]\n"
    "\n"
    "Draws one figure and writes its numbers next to it (FILE.csv: series, kind, x, y,\n"
    "z, lo, hi, label; docs/report.md).\n"
    "\n"
    "  speedup RESULTS      measured speedup with intervals (+ --model: curve, band, wall)\n"
    "  efficiency RESULTS   E = S/N\n"
    "  serial RESULTS       1-alpha_eff(N), the Karp-Flatt serial share\n"
    "  breakdown SIM        stacked step time of a simulated series (compute_s, comm_s...)\n"
    "  map                  the efficiency map E(N, 1-alpha) with TOP500 systems\n"
    "  plan PLAN.json       time against cost per option, the knee marked\n"
    "\n"
    "  --out FILE           .png or .svg (required)\n"
    "  --model FILE         a fitted model (or series) for speedup/efficiency/serial\n"
    "  --series SEL         which series of a multi-series file\n"
    "  --n-to N             draw the model to N (default 64x the data)\n"
    "  --top500 LIST        map: systems from this list (default: the built-in table)\n"
    "  --size WxH           pixels (default 900x540)\n";

typedef struct plot_opts {
    const char *out, *model, *series, *top500;
    double n_to;
    int w, h;
} plot_opts;

static int parse_size(const char *s, int *w, int *h)
{
    char x;
    return sscanf(s, "%d%c%d", w, &x, h) == 3 && x == 'x' && *w >= 100 && *h >= 100 &&
                   *w <= 10000 && *h <= 10000
               ? 0
               : cli_usage("plot", "--size: '%s' is not WxH (100..10000)", s);
}

static int parse(int argc, char **argv, plot_opts *o)
{
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'},    {"model", required_argument, 0, 'm'},
        {"series", required_argument, 0, 's'}, {"n-to", required_argument, 0, 'n'},
        {"top500", required_argument, 0, 't'}, {"size", required_argument, 0, 'z'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'm': o->model = optarg; break;
        case 's': o->series = optarg; break;
        case 'n': rc = cli_double("plot", "--n-to", optarg, &o->n_to); break;
        case 't': o->top500 = optarg; break;
        case 'z': rc = parse_size(optarg, &o->w, &o->h); break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_usage("plot", "unknown option '%s'", argv[optind - 1]);
        }
    }
    return rc;
}

static sw_status curve_fig(const char *kind, const char *input, const plot_opts *o,
                           sw_chart **c, sw_error *err)
{
    sw_obs_set set = {0};
    const sw_obs *obs;
    sw_plan_model m = {0};
    int have_model = 0;
    sw_status st = sw_obs_read_file(input, &set, err);
    if (!st)
        st = sw_plan_select_series(input, &set, o->series, &obs, err);
    if (!st && o->model) {
        st = sw_plan_model_load(o->model, NULL, &m, err);
        have_model = !st;
    }
    const sw_predictor *p = have_model ? &m.pred : NULL;
    if (!st && strcmp(kind, "speedup") == 0)
        st = sw_fig_speedup(obs, p, o->n_to, c, err);
    else if (!st && strcmp(kind, "efficiency") == 0)
        st = sw_fig_efficiency(obs, p, o->n_to, c, err);
    else if (!st && strcmp(kind, "serial") == 0)
        st = sw_fig_serial(obs, p, o->n_to, c, err);
    else if (!st)
        st = sw_fig_breakdown(obs, c, err);
    if (have_model)
        sw_plan_model_free(&m);
    sw_obs_set_free(&set);
    return st;
}

static sw_status map_fig(const plot_opts *o, sw_chart **c, sw_error *err)
{
    sw_map_system *sys;
    size_t n;
    char src[256];
    sw_status st = sw_report_load_systems(o->top500, &sys, &n, src, sizeof src, err);
    if (st)
        return st;
    st = sw_fig_map(sys, n, NULL, NAN, NAN, c, err);
    sw_report_free_systems(sys, n);
    return st;
}

static sw_status plan_fig(const char *input, sw_chart **c, sw_error *err)
{
    sw_plan pl;
    sw_status st = sw_plan_read_file(input, &pl, err);
    if (st)
        return st;
    st = sw_fig_plan(&pl, c, err);
    sw_plan_free(&pl);
    return st;
}

int cmd_plot(int argc, char **argv)
{
    static const char *kinds[] = {"speedup", "efficiency", "serial", "breakdown", "map", "plan"};
    plot_opts o = {0};
    o.n_to = NAN;
    o.w = 900;
    o.h = 540;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2)
        return cli_usage("plot", "give a KIND: speedup, efficiency, serial, breakdown, map, plan");
    const char *kind = argv[1];
    size_t k = 0;
    while (k < 6 && strcmp(kind, kinds[k]) != 0)
        k++;
    if (k == 6)
        return cli_usage("plot", "unknown figure '%s'", kind);
    int rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    int want_input = k != 4;
    int nargs = argc - 1 - optind;
    if (nargs != want_input)
        return cli_usage("plot", want_input ? "%s needs one input file" : "%s takes no input file",
                         kind);
    if (!o.out)
        return cli_usage("plot", "give --out FILE.png or FILE.svg");
    const char *input = want_input ? argv[1 + optind] : NULL;
    sw_error err = {0};
    sw_chart *c = NULL;
    sw_status st = k < 4 ? curve_fig(kind, input, &o, &c, &err)
                   : k == 4 ? map_fig(&o, &c, &err)
                            : plan_fig(input, &c, &err);
    /* The figure and its numbers (X.csv beside X.png) must not replace
     * what they were drawn from. */
    const char *in[] = {input, o.model, o.top500};
    if (!st)
        st = sw_chart_save(c, o.out, o.w, o.h, in, SW_NINPUTS(in), &err);
    sw_chart_free(c);
    if (st)
        return cli_fail(&err);
    printf("%s (numbers: its .csv beside it)\n", o.out);
    return 0;
}
