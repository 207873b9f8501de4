/* cmd_simulate.c — `scalewall simulate`: a distributed training step from
 * first principles, swept over N, written as an observation series that
 * `scalewall fit` reads (simulated = 1).
 *
 * Also holds the options shared with `scalewall depth` (simopt.h), so the
 * two commands cannot drift apart in how they read a platform or a batch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "simopt.h"

void simopt_init(sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->net = "mlp:depth=8,width=1024";
    o->platform = "local";
    o->precision = "fp32";
    o->format = "table";
    o->out = "-";
    o->unit_flops = NAN;
    o->units_per_node = NAN;
    o->bpe = 4;
    sw_sim_config_default(&o->cfg);
}

static int on_off(const char *cmd, const char *opt, const char *arg, int *out)
{
    if (strcmp(arg, "on") == 0 || strcmp(arg, "yes") == 0 || strcmp(arg, "1") == 0)
        *out = 1;
    else if (strcmp(arg, "off") == 0 || strcmp(arg, "no") == 0 || strcmp(arg, "0") == 0)
        *out = 0;
    else
        return cli_usage(cmd, "%s: '%s' is not on or off", opt, arg);
    return 0;
}

static int nonneg(const char *cmd, const char *opt, const char *arg, double *out)
{
    int rc = cli_double(cmd, opt, arg, out);
    if (!rc && *out < 0)
        return cli_usage(cmd, "%s: %s must be >= 0", opt, arg);
    return rc;
}

static int parse_compress(const char *cmd, const char *arg, sw_sim_config *c)
{
    char name[16];
    const char *colon = strchr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    if (len >= sizeof name)
        return cli_usage(cmd, "--compress: unknown method '%s'", arg);
    memcpy(name, arg, len);
    name[len] = '\0';
    int k = sw_compress_parse(name);
    if (k < 0)
        return cli_usage(cmd, "--compress: unknown method '%s' (none, fp16, bf16, int8, topk:F)",
                         arg);
    c->compress = (sw_compress)k;
    if (colon) {
        if (k != SW_COMPRESS_TOPK)
            return cli_usage(cmd, "--compress: only topk takes a fraction");
        if (cli_double(cmd, "--compress", colon + 1, &c->topk_frac))
            return 2;
        if (!(c->topk_frac > 0 && c->topk_frac <= 1))
            return cli_usage(cmd, "--compress: top-k fraction %s must be in (0, 1]", colon + 1);
    }
    return 0;
}

static int parse_choice(const char *cmd, int c, const char *arg, sim_opts *o)
{
    sw_sim_config *cf = &o->cfg;
    int k;
    switch (c - SIMOPT_BASE) {
    case 6:
        if (strcmp(arg, "fp32") == 0)
            o->bpe = 4;
        else if (strcmp(arg, "fp16") == 0 || strcmp(arg, "bf16") == 0)
            o->bpe = 2;
        else
            return cli_usage(cmd, "--precision: '%s' is not fp32, fp16 or bf16", arg);
        o->precision = arg;
        cf->precision = arg; /* bf16 and fp16 share a width, not a name */
        return 0;
    case 7:
        if (strcmp(arg, "strong") && strcmp(arg, "weak"))
            return cli_usage(cmd, "--scaling: '%s' is not strong or weak", arg);
        cf->scaling = strcmp(arg, "weak") == 0 ? SW_SCALING_WEAK : SW_SCALING_STRONG;
        return 0;
    case 8:
        k = sw_coll_alg_parse(arg);
        if (k < 0 || !sw_coll_supports(SW_COLL_ALLREDUCE, (sw_coll_alg)k))
            return cli_usage(cmd, "--allreduce: '%s' is not ring, rd, rabenseifner or tree", arg);
        cf->allreduce = (sw_coll_alg)k;
        return 0;
    case 15:
        if (strcmp(arg, "lognormal") && strcmp(arg, "normal"))
            return cli_usage(cmd, "--jitter-dist: '%s' is not lognormal or normal", arg);
        cf->jitter = strcmp(arg, "normal") == 0 ? SW_JITTER_NORMAL : SW_JITTER_LOGNORMAL;
        return 0;
    case 17: return parse_compress(cmd, arg, cf);
    case 20:
        if ((k = sw_optimizer_parse(arg)) < 0)
            return cli_usage(cmd, "--optimizer: '%s' is not sgd, adam or none", arg);
        cf->optimizer = (sw_optimizer)k;
        return 0;
    case 18:
        if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "json"))
            return cli_usage(cmd, "--format: '%s' is not table, csv or json", arg);
        o->format = arg;
        return 0;
    default: return -1;
    }
}

int simopt_parse(const char *cmd, int c, const char *arg, sim_opts *o)
{
    sw_sim_config *cf = &o->cfg;
    long v;
    int rc;
    switch (c - SIMOPT_BASE) {
    case 0: o->net = arg; return 0;
    case 1: o->platform = arg; return 0;
    case 2: o->calibration = arg; return 0;
    case 3:
        if ((rc = cli_double(cmd, "--unit-flops", arg, &o->unit_flops)))
            return rc;
        return o->unit_flops > 0 ? 0 : cli_usage(cmd, "--unit-flops: %s must be > 0", arg);
    case 4:
        if ((rc = cli_long(cmd, "--units-per-node", arg, &v)))
            return rc;
        o->units_per_node = (double)v;
        return 0;
    case 5:
        if ((rc = cli_double(cmd, "--batch", arg, &cf->batch)))
            return rc;
        return cf->batch > 0 ? 0 : cli_usage(cmd, "--batch: %s must be > 0", arg);
    case 9: cf->hierarchical = 0; return 0;
    case 10: return nonneg(cmd, "--bucket", arg, &cf->bucket_bytes);
    case 11: return on_off(cmd, "--overlap", arg, &cf->overlap);
    case 12: return cli_long(cmd, "--stages", arg, &cf->stages);
    case 13: return cli_long(cmd, "--micro", arg, &cf->micro);
    case 14: return nonneg(cmd, "--jitter", arg, &cf->jitter_cv);
    case 16: return nonneg(cmd, "--grid", arg, &cf->grid_dt);
    case 19: o->out = arg; return 0;
    case 21: return nonneg(cmd, "--cores", arg, &cf->cores);
    default: return parse_choice(cmd, c, arg, o);
    }
}

sw_status simopt_platform(const sim_opts *o, sw_platform *p, sw_error *err)
{
    sw_status st = sw_platform_from_spec(o->platform, p, err);
    if (!st && o->calibration)
        st = sw_platform_calibrate_file(p, o->calibration, o->cfg.allreduce, err);
    if (st)
        return st;
    if (!isnan(o->unit_flops))
        p->flops_fp32 = p->flops_half = o->unit_flops;
    if (!isnan(o->units_per_node))
        p->units_per_node = o->units_per_node;
    return sw_platform_validate(p, err);
}

static const char usage_text[] =
    "usage: scalewall simulate [--net SPEC] [--platform P] [--n LIST] [options]\n"
    "\n"
    "Simulates one training step on N units from first principles (time-aware model):\n"
    "per-layer compute, pipeline stages, gradient allreduce by bucket, stragglers, a time\n"
    "grid and compression.  Prints the step split into compute, communication, bubble,\n"
    "waiting and grid loss, with S, E and 1-alpha_eff; csv/json are observation series\n"
    "(simulated = 1) that 'scalewall fit' reads.\n"
    "\n"
    "  --net SPEC         mlp:depth=8,width=1024 (default),\n"
    "                     transformer:blocks=12,hidden=768,seq=512,heads=12, resnet50,\n"
    "                     or a network .json (docs/simulate.md)\n"
    "  --n LIST           unit counts: 1,2,4 or 1:64 (powers of two) or 1:1e4 [1:64]\n"
    "  --t1 SECONDS       calibrate the unit: scale its FLOP/s and memory bandwidth so one\n"
    "                     unit's step takes SECONDS (e.g. from a one-rank measurement)\n" SIMOPT_HELP
    "\n"
    "N = data-parallel replicas x pipeline stages.  Formulas and profiles: docs/simulate.md.\n";

static void print_table(FILE *fp, const sw_net *net, const sw_platform *p, const sim_opts *o,
                        const sw_sim_point *pt, size_t n)
{
    fprintf(fp, "network %s (%s), %zu layers, %.4g GFLOP/sample, %.4g MB of gradients (%s)\n",
            net->name, net->params, net->nlayers, sw_net_flops(net) / 1e9,
            sw_net_param_bytes(net) / 1e6, o->precision);
    fprintf(fp, "platform %s: %s, %.4g TFLOP/s, %g per node%s%s\n", p->name, p->unit,
            sw_platform_flops(p, net->bytes_per_elem) / 1e12, p->units_per_node,
            p->calibration[0] ? ", calibrated from " : "", p->calibration);
    fprintf(fp, "%8s %6s %4s %12s %10s %10s %10s %10s %10s %9s %7s %10s\n", "N", "dp", "pp",
            "step_s", "compute", "comm", "bubble", "wait", "grid", "S", "E", "1-alpha");
    for (size_t i = 0; i < n; i++) {
        const sw_sim_step *s = &pt[i].step;
        char serial[32];
        if (isnan(pt[i].serial)) /* N = 1 says nothing about 1-alpha */
            snprintf(serial, sizeof serial, "-");
        else
            snprintf(serial, sizeof serial, "%.4g", pt[i].serial);
        fprintf(fp, "%8g %6g %4g %12.5g %10.4g %10.4g %10.4g %10.4g %10.4g %9.4g %7.4f %10s\n",
                s->n, s->dp, s->pp, s->time, s->compute_s, s->comm_s, s->bubble_s, s->wait_s,
                s->grid_s, pt[i].speedup, pt[i].efficiency, serial);
    }
}

static sw_status write_output(const sw_net *net, const sw_platform *p, const sim_opts *o,
                              const sw_sim_point *pt, size_t n, sw_error *err)
{
    sw_obs_set set = {0};
    sw_obs *obs;
    sw_status st = sw_sim_to_obs(net, p, &o->cfg, pt, n, &obs, err);
    if (st)
        return st;
    if ((st = sw_obs_set_push(&set, obs, err))) {
        sw_obs_free(obs);
        return st;
    }
    sw_outfile out;
    if (!(st = sw_outfile_open(&out, o->out, err))) {
        if (strcmp(o->format, "csv") == 0)
            st = sw_obs_write_csv(&set, out.fp, err);
        else if (strcmp(o->format, "json") == 0)
            st = sw_obs_write_json(&set, out.fp, err);
        else
            print_table(out.fp, net, p, o, pt, n);
        if (st)
            sw_outfile_abort(&out);
        else
            st = sw_outfile_commit(&out, err);
    }
    sw_obs_set_free(&set);
    return st;
}

/* Scales the unit's FLOP/s and memory bandwidth together so the simulated
 * one-unit step takes t1: every term of T(1) is FLOPs/F or bytes/BW, so one
 * factor makes it exact (a time grid aside).  This is how a one-rank
 * measurement of the workload calibrates the payload. */
static sw_status calibrate_t1(const sw_net *net, sw_platform *p, const sw_sim_config *cfg,
                              double t1, sw_error *err)
{
    sw_sim_config one = *cfg;
    one.stages = one.micro = 1;
    sw_sim_step s;
    sw_status st = sw_sim_step_run(net, p, &one, 1, &s, err);
    if (st)
        return st;
    double k = s.time / t1;
    p->flops_fp32 *= k;
    p->flops_half *= k;
    p->mem_bw *= k;
    size_t len = strlen(p->calibration);
    snprintf(p->calibration + len, sizeof p->calibration - len, "%s--t1 %g s",
             len ? "; " : "", t1);
    return SW_OK;
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {SIMOPT_LONG_OPTIONS,
                                         {"n", required_argument, 0, 'n'},
                                         {"t1", required_argument, 0, 'T'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    sim_opts o;
    simopt_init(&o);
    double *ns = NULL, t1 = NAN;
    size_t nn = 0;
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            free(ns);
            return 0;
        }
        if (c == 'n') {
            free(ns);
            rc = cli_n_list("simulate", "--n", optarg, &ns, &nn);
        } else if (c == 'T') {
            if (!(rc = cli_double("simulate", "--t1", optarg, &t1)) && !(t1 > 0))
                rc = cli_usage("simulate", "--t1: %s must be > 0", optarg);
        } else if ((rc = simopt_parse("simulate", c, optarg, &o)) < 0) {
            rc = cli_usage("simulate", "unknown option");
        }
        if (rc) {
            free(ns);
            return rc;
        }
    }
    if (optind < argc) {
        free(ns);
        return cli_usage("simulate", "unexpected argument '%s'", argv[optind]);
    }
    if (!ns && (rc = cli_n_list("simulate", "--n", "1:64", &ns, &nn)))
        return rc;
    sw_error err = {0};
    sw_platform plat;
    sw_net net = {0};
    sw_sim_point *pt = calloc(nn, sizeof *pt);
    sw_status st = pt ? SW_OK : sw_error_set(&err, SW_ENOMEM, "out of memory");
    if (!st)
        st = simopt_platform(&o, &plat, &err);
    if (!st)
        st = sw_net_from_spec(&net, o.net, o.bpe, &err);
    if (!st && !isnan(t1))
        st = calibrate_t1(&net, &plat, &o.cfg, t1, &err);
    if (!st)
        st = sw_sim_sweep(&net, &plat, &o.cfg, ns, nn, pt, &err);
    if (!st)
        st = write_output(&net, &plat, &o, pt, nn, &err);
    sw_net_free(&net);
    free(pt);
    free(ns);
    return st ? cli_fail(&err) : 0;
}
