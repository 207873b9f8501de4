/* cmd_depth.c — `scalewall depth`: how deep can a network be and still
 * scale?  Simulates the step over a depth x N grid for one block (an MLP
 * layer, a transformer block, or a layer list) and answers "largest N with
 * E >= target at this depth" and "deepest network that still scales to N". */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/depth.h"
#include "scalewall/io.h"
#include "scalewall/text.h"
#include "simopt.h"

static const char usage_text[] =
    "usage: scalewall depth [--net BLOCK] [--depths LIST] [--n LIST] [--target E] [options]\n"
    "\n"
    "Efficiency over a grid of depth x N: the network is BLOCK repeated depth times.\n"
    "For every depth: the largest N with E >= target; for every N: the deepest network\n"
    "that still reaches E >= target.\n"
    "\n"
    "  --net BLOCK        mlp:width=1024 (default; one layer per depth step),\n"
    "                     transformer:hidden=768,seq=512,heads=12 (one block per step),\n"
    "                     or any --net of 'scalewall simulate' (repeated whole)\n"
    "  --depths LIST      depths: 1,2,4 or 1:64 (powers of two) [1:64]\n"
    "  --n LIST           unit counts [1:1024]\n"
    "  --target E         efficiency to keep [0.8]\n"
    "  --layers-per-stage K  a unit holds at most K blocks: depth d runs on ceil(d/K)\n"
    "                     pipeline stages (so depth costs bubbles); 'fit': the fewest\n"
    "                     stages on which one replica fits in memory; default: --pp\n"
    "  --compare-tp T     the second grid's tensor parallelism [1 if --tp > 1, else the\n"
    "                     largest power of two up to a node that divides the heads]\n" SIMOPT_HELP
    "\n"
    "Each row's efficiency is against its smallest configuration that fits.  Then, per N,\n"
    "Vegh's claim (each layer a synchronised stage, so the non-parallel share grows with\n"
    "depth) tested on the payload share of the step, with the per-layer synchronisation\n"
    "cost, for the grid as configured and for the comparison tensor parallelism.\n"
    "Cells that cannot run (refused, or not fitting in memory) show as '-'.\n";

/* The block of a family: one layer of depth.  A spec that names its own
 * depth (depth=, blocks=) is used as given. */
static sw_status load_block(const char *spec, double bpe, sw_net *net, sw_error *err)
{
    char buf[512];
    const char *use = spec;
    int mlp = strncmp(spec, "mlp", 3) == 0 && (spec[3] == '\0' || spec[3] == ':');
    int tf = strncmp(spec, "transformer", 11) == 0 && (spec[11] == '\0' || spec[11] == ':');
    if ((mlp && !strstr(spec, "depth=")) || (tf && !strstr(spec, "blocks="))) {
        snprintf(buf, sizeof buf, "%s%s%s", spec, strchr(spec, ':') ? "," : ":",
                 mlp ? "depth=1" : "blocks=1");
        use = buf;
    }
    sw_status st = sw_net_from_spec(net, use, bpe, err);
    if (!st) {
        /* The block's own depth key would repeat in every row's params. */
        char *d = strstr(net->params, mlp ? ";depth=1" : ";blocks=1");
        if ((mlp || tf) && d && use == buf)
            memmove(d, d + (mlp ? 8 : 9), strlen(d + (mlp ? 8 : 9)) + 1);
    }
    return st;
}

static void fmt_num(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%g", v);
}

/* "16", or "\u226516" when the answer sits at the grid's edge. */
static void bound(char *b, size_t n, double v, int at_least)
{
    char num[24];
    fmt_num(num, sizeof num, v);
    snprintf(b, n, "%s%s", at_least && isfinite(v) ? "\u2265" : "", num);
}

/* printf pads by bytes; "\u2265" is 3 bytes wide in UTF-8 and one column. */
static int width(const char *s, int cols)
{
    return strstr(s, "\u2265") ? cols + 2 : cols;
}

static json_t *flags(const int *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_boolean(v[i]));
    return a;
}

static void print_table(FILE *fp, const sw_net *blk, const sw_platform *p,
                        const sw_depth_grid *g, sw_scaling scaling)
{
    char b[40];
    fprintf(fp, "efficiency E of %s (%s) on %s, target E >= %g\n", blk->name, blk->params,
            p->name, g->target);
    fprintf(fp, "(%s scaling; each depth against its smallest configuration that fits: "
                "E = N0 T(N0) / (N T(N)))\n",
            scaling == SW_SCALING_WEAK ? "weak" : "strong");
    fprintf(fp, "%8s", "depth\\N");
    for (size_t j = 0; j < g->nn; j++)
        fprintf(fp, " %7g", g->n[j]);
    fprintf(fp, " | %10s %6s\n", "largest N", "stages");
    for (size_t d = 0; d < g->nd; d++) {
        fprintf(fp, "%8g", g->depth[d]);
        for (size_t j = 0; j < g->nn; j++) {
            double e = g->eff[d * g->nn + j];
            if (isnan(e))
                fprintf(fp, " %7s", "-");
            else
                fprintf(fp, " %7.3f", e);
        }
        bound(b, sizeof b, g->largest_n[d], g->largest_n_at_least[d]);
        fprintf(fp, " | %*s %6g\n", width(b, 10), b, g->stages[d]);
    }
    fprintf(fp, "%8s", "deepest");
    for (size_t j = 0; j < g->nn; j++) {
        bound(b, sizeof b, g->deepest[j], g->deepest_at_least[j]);
        fprintf(fp, " %*s", width(b, 7), b);
    }
    fprintf(fp, "\n");
    int open = 0;
    for (size_t j = 0; j < g->nn; j++)
        open |= g->deepest_at_least[j];
    for (size_t d = 0; d < g->nd; d++)
        open |= g->largest_n_at_least[d];
    if (open)
        fprintf(fp, "(\u2265: the grid's edge still meets the target; a larger grid may go "
                    "further)\n");
}

/* Per N, the claim on both grids. */
static void print_claims(FILE *fp, const sw_depth_grid *const *gs, size_t ngrids)
{
    fprintf(fp, "\nVegh's claim, the non-parallel share grows with depth: payload 1-alpha and the\n"
                "per-layer synchronisation (critical-path communication per layer per step) at the\n"
                "shallowest and the deepest network that runs at each N:\n");
    fprintf(fp, "%8s %4s %11s %25s %27s  %s\n", "N", "tp", "depths", "1-alpha shallow -> deep",
            "sync/layer shallow -> deep", "claim");
    for (size_t j = 0; j < gs[0]->nn; j++)
        for (size_t k = 0; k < ngrids; k++) {
            sw_depth_claim c;
            sw_depth_claim_at(gs[k], j, &c);
            if (c.holds < 0)
                continue;
            char dep[32], ser[48], syn[48], verdict[64];
            snprintf(dep, sizeof dep, "%g-%g", c.d_lo, c.d_hi);
            snprintf(ser, sizeof ser, "%.3g -> %.3g", c.serial_lo, c.serial_hi);
            snprintf(syn, sizeof syn, "%.3g -> %.3g us", c.sync_lo * 1e6, c.sync_hi * 1e6);
            if (c.serial_lo > 0)
                snprintf(verdict, sizeof verdict, "%s (%+.0f%%)",
                         c.holds ? "holds" : "does not hold",
                         100 * (c.serial_hi / c.serial_lo - 1));
            else
                snprintf(verdict, sizeof verdict, "%s (from 0)",
                         c.holds ? "holds" : "does not hold");
            fprintf(fp, "%8g %4g %11s %25s %27s  %s\n", c.n, gs[k]->tp, dep, ser, syn, verdict);
        }
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *num_array(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, num_or_null(v[i]));
    return a;
}

static json_t *grid_rows(const double *v, const sw_depth_grid *g)
{
    json_t *a = json_array();
    for (size_t d = 0; d < g->nd; d++)
        json_array_append_new(a, num_array(v + d * g->nn, g->nn));
    return a;
}

static json_t *claims_json(const sw_depth_grid *g)
{
    json_t *a = json_array();
    for (size_t j = 0; j < g->nn; j++) {
        sw_depth_claim c;
        sw_depth_claim_at(g, j, &c);
        json_array_append_new(
            a, json_pack("{s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n", c.n, "depth_lo",
                         num_or_null(c.d_lo), "depth_hi", num_or_null(c.d_hi), "serial_lo",
                         num_or_null(c.serial_lo), "serial_hi", num_or_null(c.serial_hi),
                         "sync_lo_s", num_or_null(c.sync_lo), "sync_hi_s", num_or_null(c.sync_hi),
                         "holds", c.holds < 0 ? json_null() : json_boolean(c.holds)));
    }
    return a;
}

/* What the claim needs of a grid, as JSON members. */
static void claim_members(json_t *o, const sw_depth_grid *g)
{
    json_object_set_new(o, "tp", json_real(g->tp));
    json_object_set_new(o, "sync_per_layer_s", grid_rows(g->sync, g));
    json_object_set_new(o, "tp_sync_per_layer_s", grid_rows(g->tp_sync, g));
    json_object_set_new(o, "payload", grid_rows(g->payload, g));
    json_object_set_new(o, "payload_serial", grid_rows(g->pay_serial, g));
    json_object_set_new(o, "claim", claims_json(g));
    json_object_set_new(o, "time_to_train_s", grid_rows(g->train, g));
}

static int print_json(FILE *fp, const sw_net *blk, const sw_platform *p, const sw_depth_grid *g,
                      const sw_depth_grid *cmp)
{
    json_t *eff = json_array(), *serial = json_array(), *time = json_array();
    for (size_t d = 0; d < g->nd; d++) {
        json_array_append_new(eff, num_array(g->eff + d * g->nn, g->nn));
        json_array_append_new(serial, num_array(g->serial + d * g->nn, g->nn));
        json_array_append_new(time, num_array(g->time + d * g->nn, g->nn));
    }
    json_t *root = json_pack("{s:s, s:i, s:o, s:o, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                             "format", "scalewall-depth", "version", 1, "network",
                             sw_json_str(blk->name), "block", sw_json_str(blk->params), "platform",
                             sw_json_str(p->name), "target", g->target,
                             "depths", num_array(g->depth, g->nd), "n", num_array(g->n, g->nn),
                             "t1_s", num_array(g->t1, g->nd),
                             "stages", num_array(g->stages, g->nd), "time_s", time, "efficiency", eff,
                             "serial", serial, "largest_n", num_array(g->largest_n, g->nd),
                             "deepest", num_array(g->deepest, g->nn));
    if (root) {
        json_object_set_new(root, "largest_n_at_least", flags(g->largest_n_at_least, g->nd));
        json_object_set_new(root, "deepest_at_least", flags(g->deepest_at_least, g->nn));
        claim_members(root, g);
        json_t *c = json_null();
        if (cmp) {
            c = json_object();
            claim_members(c, cmp);
            json_object_set_new(c, "efficiency", grid_rows(cmp->eff, cmp));
            json_object_set_new(c, "stages", num_array(cmp->stages, cmp->nd));
        }
        json_object_set_new(root, "compare", c);
    }
    int rc = root ? json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) : -1;
    fputc('\n', fp);
    json_decref(root);
    return rc;
}

static void print_csv(FILE *fp, const sw_depth_grid *g)
{
    fprintf(fp, "depth,n,time_s,efficiency,serial,t1_s,target,largest_n,deepest,tp,"
                "sync_per_layer_s,tp_sync_per_layer_s,payload_serial,largest_n_at_least,"
                "deepest_at_least\n");
    char v[8][32];
    for (size_t d = 0; d < g->nd; d++)
        for (size_t j = 0; j < g->nn; j++) {
            size_t k = d * g->nn + j;
            fmt_num(v[0], 32, g->time[k]);
            fmt_num(v[1], 32, g->eff[k]);
            fmt_num(v[2], 32, g->serial[k]);
            fmt_num(v[3], 32, g->largest_n[d]);
            fmt_num(v[4], 32, g->deepest[j]);
            fmt_num(v[5], 32, g->sync[k]);
            fmt_num(v[6], 32, g->tp_sync[k]);
            fmt_num(v[7], 32, g->pay_serial[k]);
            for (int i = 0; i < 8; i++)
                if (strcmp(v[i], "-") == 0)
                    v[i][0] = '\0';
            fprintf(fp, "%g,%g,%s,%s,%s,%.10g,%g,%s,%s,%g,%s,%s,%s,%d,%d\n", g->depth[d], g->n[j],
                    v[0], v[1], v[2], g->t1[d], g->target, v[3], v[4], g->tp, v[5], v[6], v[7],
                    g->largest_n_at_least[d], g->deepest_at_least[j]);
        }
}

static sw_status write_output(const sim_opts *o, const sw_net *blk, const sw_platform *p,
                              const sw_depth_grid *g, const sw_depth_grid *cmp, sw_error *err)
{
    sw_outfile out;
    sw_status st = simopt_open_out(o, &out, err);
    if (st)
        return st;
    if (strcmp(o->format, "json") == 0) {
        if (print_json(out.fp, blk, p, g, cmp))
            return sw_outfile_fail(&out,
                                   sw_error_set(err, SW_EIO, "%s: could not write JSON",
                                                o->out ? o->out : "stdout"),
                                   err);
    } else if (strcmp(o->format, "csv") == 0) {
        print_csv(out.fp, g);
    } else {
        print_table(out.fp, blk, p, g, o->cfg.scaling);
        if (cmp) {
            fprintf(out.fp, "\nwith tensor parallelism %g:\n", cmp->tp);
            print_table(out.fp, blk, p, cmp, o->cfg.scaling);
        }
        const sw_depth_grid *gs[2] = {g, cmp};
        print_claims(out.fp, gs, cmp ? 2 : 1);
    }
    return sw_outfile_commit(&out, err);
}

/* The tensor parallelism practitioners would use: the largest power of two
 * up to a node that divides the heads (any, for a block without heads). */
static long default_tp(const sw_net *blk, const sw_platform *p)
{
    long tp = 1;
    int split = 0;
    for (size_t l = 0; l < blk->nlayers; l++)
        split |= blk->layers[l].tp_split;
    if (!split) /* nothing to split: no comparison */
        return 1;
    while ((double)(tp * 2) <= p->units_per_node && tp * 2 <= 1024 &&
           (blk->heads == 0 || (blk->heads % (tp * 2) == 0 && blk->kv_heads % (tp * 2) == 0)))
        tp *= 2;
    return tp;
}

int cmd_depth(int argc, char **argv)
{
    static const struct option opts[] = {SIMOPT_LONG_OPTIONS,
                                         {"n", required_argument, 0, 'n'},
                                         {"depths", required_argument, 0, 'd'},
                                         {"target", required_argument, 0, 't'},
                                         {"layers-per-stage", required_argument, 0, 'k'},
                                         {"compare-tp", required_argument, 0, 'c'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    sim_opts o;
    simopt_init(&o);
    o.net = "mlp:width=1024";
    double *ns = NULL, *ds = NULL, target = 0.8;
    long per_stage = 0, cmp_tp = 0;
    size_t nn = 0, nd = 0;
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); goto out;
        case 'n': free(ns); rc = cli_n_list("depth", "--n", optarg, &ns, &nn); break;
        case 'd': free(ds); rc = cli_n_list("depth", "--depths", optarg, &ds, &nd); break;
        case 'k':
            if (strcmp(optarg, "fit") == 0)
                per_stage = SW_DEPTH_FIT_STAGES;
            else if (strcmp(optarg, "0") == 0) /* the default: --pp throughout */
                per_stage = 0;
            else if (!(rc = cli_long("depth", "--layers-per-stage", optarg, &per_stage)) &&
                     per_stage < 0)
                rc = cli_usage("depth", "--layers-per-stage: %s must be >= 0 or 'fit'", optarg);
            break;
        case 'c':
            if (!(rc = cli_long("depth", "--compare-tp", optarg, &cmp_tp)) && cmp_tp < 1)
                rc = cli_usage("depth", "--compare-tp: %s must be >= 1", optarg);
            break;
        case 't':
            if (!(rc = cli_double("depth", "--target", optarg, &target)) &&
                !(target > 0 && target <= 1))
                rc = cli_usage("depth", "--target: %s must be in (0, 1]", optarg);
            break;
        default:
            if ((rc = simopt_parse("depth", c, optarg, &o)) < 0)
                rc = cli_usage("depth", "unknown option");
        }
        if (rc)
            goto out;
    }
    if (optind < argc) {
        rc = cli_usage("depth", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if ((!ns && (rc = cli_n_list("depth", "--n", "1:1024", &ns, &nn))) ||
        (!ds && (rc = cli_n_list("depth", "--depths", "1:64", &ds, &nd))))
        goto out;
    sw_error err = {0};
    sw_platform plat;
    sw_net blk = {0};
    sw_depth_grid g = {0}, g2 = {0};
    sw_status st = simopt_platform(&o, &plat, &err);
    if (!st)
        st = load_block(o.net, o.bpe, &blk, &err);
    if (!st)
        st = sw_depth_run(&blk, &plat, &o.cfg, per_stage, ds, nd, ns, nn, target, &g, &err);
    sw_sim_config alt = o.cfg;
    alt.tp = cmp_tp > 0 ? cmp_tp : o.cfg.tp > 1 ? 1 : default_tp(&blk, &plat);
    alt.sp = alt.tp > 1;
    int compare = alt.tp != o.cfg.tp;
    if (!st && compare)
        st = sw_depth_run(&blk, &plat, &alt, per_stage, ds, nd, ns, nn, target, &g2, &err);
    if (!st)
        st = write_output(&o, &blk, &plat, &g, compare ? &g2 : NULL, &err);
    sw_depth_free(&g);
    sw_depth_free(&g2);
    sw_net_free(&blk);
    rc = st ? cli_fail(&err) : 0;
out:
    free(ns);
    free(ds);
    return rc;
}
