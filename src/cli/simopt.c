/* simopt.c — the options `scalewall simulate` and `scalewall depth` share
 * (network, platform, accelerator, calibration, batch, parallelism,
 * memory, effects, output), so the two commands cannot drift apart in how
 * they read a platform, a batch or a parallel layout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/io.h"
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
    o->memory_gb = o->launch_s = o->kernel_s = o->contention = NAN;
    o->cal_kind = -1;
    sw_sim_config_default(&o->cfg);
}

static int nonneg(const char *cmd, const char *opt, const char *arg, double *out)
{
    int rc = cli_double(cmd, opt, arg, out);
    if (!rc && *out < 0)
        return cli_usage(cmd, "%s: %s must be >= 0", opt, arg);
    return rc;
}

/* A whole number option >= 1. */
static int degree(const char *cmd, const char *opt, const char *arg, long *out)
{
    int rc = cli_long(cmd, opt, arg, out);
    if (!rc && *out < 1)
        return cli_usage(cmd, "%s: %s must be >= 1", opt, arg);
    return rc;
}

/* "X" or "X@N": a calibration target and the units it was seen at. */
static int cal_target(const char *cmd, const char *opt, const char *arg, int kind, sim_opts *o)
{
    char buf[64];
    if (strlen(arg) >= sizeof buf)
        return cli_usage(cmd, "%s: '%s' is too long", opt, arg);
    strcpy(buf, arg);
    char *at = strchr(buf, '@');
    o->cal_n = 0;
    if (at) {
        *at = '\0';
        if (cli_double(cmd, opt, at + 1, &o->cal_n))
            return 2;
        if (!(o->cal_n >= 1) || o->cal_n != floor(o->cal_n))
            return cli_usage(cmd, "%s: N = %s must be a whole number >= 1", opt, at + 1);
    }
    if (cli_double(cmd, opt, buf, &o->cal_target))
        return 2;
    int seconds = kind == SW_CAL_STEP || kind == SIMOPT_CAL_TRAIN;
    if (!seconds && !(o->cal_target > 0 && o->cal_target < 1))
        return cli_usage(cmd, "%s: %s must be a fraction in (0, 1)", opt, buf);
    if (seconds && !(o->cal_target > 0))
        return cli_usage(cmd, "%s: %s must be > 0 seconds", opt, buf);
    if (o->cal_kind >= 0 && o->cal_kind != kind)
        return cli_usage(cmd, "--mfu, --hfu, --step-time and --train-time are one knob: give "
                              "one");
    o->cal_kind = kind;
    return 0;
}

/* "S_MIN:B_NOISE" or "FILE[:BENCHMARK]". */
static int parse_converge(const char *cmd, const char *arg, sim_opts *o)
{
    sw_error err = {0};
    o->converge = arg;
    if (sw_sim_converge_spec(arg, &o->cfg.converge, &err)) {
        if (err.status == SW_EINVAL)
            return cli_usage(cmd, "--converge: %s", err.msg);
        return cli_fail(&err);
    }
    return 0;
}

/* "SAMPLES@EVERY": an evaluation pass over SAMPLES every EVERY training
 * samples. */
static int parse_eval(const char *cmd, const char *arg, sw_sim_config *cf)
{
    char buf[64];
    if (strlen(arg) >= sizeof buf)
        return cli_usage(cmd, "--eval: '%s' is too long", arg);
    strcpy(buf, arg);
    char *at = strchr(buf, '@');
    if (!at)
        return cli_usage(cmd, "--eval: '%s' is not SAMPLES@EVERY", arg);
    *at = '\0';
    if (cli_double(cmd, "--eval", buf, &cf->eval_samples) ||
        cli_double(cmd, "--eval", at + 1, &cf->eval_every))
        return 2;
    if (!(cf->eval_samples > 0) || !(cf->eval_every > 0) || !isfinite(cf->eval_samples) ||
        !isfinite(cf->eval_every))
        return cli_usage(cmd, "--eval: %s samples every %s: both must be > 0", buf, at + 1);
    return 0;
}

static int parse_training(const char *cmd, int c, const char *arg, sim_opts *o)
{
    sw_sim_config *cf = &o->cfg;
    long v;
    int rc, k;
    switch (c - SIMOPT_BASE) {
    case 22: return degree(cmd, "--tp", arg, &cf->tp);
    case 23: return degree(cmd, "--cp", arg, &cf->cp);
    case 24: cf->sp = 1; return 0;
    case 25: return degree(cmd, "--pp", arg, &cf->stages);
    case 26:
        if ((k = sw_schedule_parse(arg)) < 0)
            return cli_usage(cmd, "--schedule: '%s' is not 1f1b, gpipe or interleaved", arg);
        cf->schedule = (sw_schedule)k;
        return 0;
    case 27: return degree(cmd, "--chunks", arg, &cf->chunks);
    case 28:
        if ((rc = cli_double(cmd, "--micro-batch", arg, &cf->micro_batch)))
            return rc;
        return cf->micro_batch >= 1 ? 0 : cli_usage(cmd, "--micro-batch: %s must be >= 1", arg);
    case 29:
        if ((rc = cli_long(cmd, "--zero", arg, &v)))
            return rc;
        if (v < 0 || v > 3)
            return cli_usage(cmd, "--zero: %s is not 0, 1, 2 or 3", arg);
        cf->zero = (int)v;
        return 0;
    case 30:
        if ((k = sw_recompute_parse(arg)) < 0)
            return cli_usage(cmd, "--recompute: '%s' is not none, selective or full", arg);
        cf->recompute = (sw_recompute)k;
        return 0;
    case 31:
        if (strcmp(arg, "tp-cp-dp-pp") == 0)
            cf->order = SW_ORDER_TP_CP_DP_PP;
        else if (strcmp(arg, "tp-cp-pp-dp") == 0)
            cf->order = SW_ORDER_TP_CP_PP_DP;
        else
            return cli_usage(cmd, "--order: '%s' is not tp-cp-dp-pp or tp-cp-pp-dp", arg);
        return 0;
    case 32: o->accel = arg; return 0;
    case 33: return nonneg(cmd, "--memory-gb", arg, &o->memory_gb);
    case 34: return nonneg(cmd, "--contention", arg, &o->contention);
    case 35: return nonneg(cmd, "--launch", arg, &o->launch_s);
    case 36: return cal_target(cmd, "--mfu", arg, SW_CAL_MFU, o);
    case 37: return cal_target(cmd, "--hfu", arg, SW_CAL_HFU, o);
    case 38: return cal_target(cmd, "--step-time", arg, SW_CAL_STEP, o);
    case 39: o->save_platform = arg; return 0;
    case 40: return parse_converge(cmd, arg, o);
    case 41: return cal_target(cmd, "--train-time", arg, SIMOPT_CAL_TRAIN, o);
    case 42: return nonneg(cmd, "--kernel", arg, &o->kernel_s);
    case 43: return degree(cmd, "--bn-group", arg, &cf->bn_group);
    case 44: return parse_eval(cmd, arg, cf);
    default: return -1;
    }
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
        if (strcmp(arg, "fp32") == 0 || strcmp(arg, "tf32") == 0)
            o->bpe = 4;
        else if (strcmp(arg, "fp16") == 0 || strcmp(arg, "bf16") == 0 || strcmp(arg, "fp8") == 0)
            o->bpe = 2;
        else
            return cli_usage(cmd, "--precision: '%s' is not fp32, tf32, fp16, bf16 or fp8", arg);
        cf->arith = strcmp(arg, "tf32") == 0  ? SW_PREC_TF32
                        : strcmp(arg, "fp8") == 0 ? SW_PREC_FP8
                                                  : SW_PREC_AUTO;
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
        if (k < 0 || (k != SW_ALG_AUTO && !sw_coll_supports(SW_COLL_ALLREDUCE, (sw_coll_alg)k)))
            return cli_usage(cmd,
                             "--allreduce: '%s' is not auto, ring, rd, rabenseifner, tree or "
                             "dbtree",
                             arg);
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
            return cli_usage(cmd, "--optimizer: '%s' is not sgd, adam, lamb, lars or none",
                             arg);
        cf->optimizer = (sw_optimizer)k;
        return 0;
    case 18:
        if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "json"))
            return cli_usage(cmd, "--format: '%s' is not table, csv or json", arg);
        o->format = arg;
        return 0;
    default: return parse_training(cmd, c, arg, o);
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
    case 13:
        if (strcmp(arg, "fit") == 0) {
            cf->micro = SW_MICRO_FIT;
            return 0;
        }
        return degree(cmd, "--micro", arg, &cf->micro);
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
    /* A measured allreduce is read as the configured algorithm; with the
     * automatic choice, as a ring (what MPI libraries run at 2 ranks on
     * large messages). */
    sw_coll_alg alg = o->cfg.allreduce == SW_ALG_AUTO ? SW_ALG_RING : o->cfg.allreduce;
    if (!st && o->calibration)
        st = sw_platform_calibrate_file(p, o->calibration, alg, err);
    if (st)
        return st;
    if (!isnan(o->unit_flops))
        p->flops_fp32 = p->flops_half = o->unit_flops;
    if (!isnan(o->units_per_node))
        p->units_per_node = o->units_per_node;
    if (o->accel && (st = sw_platform_set_accel(p, o->accel, err)))
        return st;
    if (!isnan(o->memory_gb))
        p->mem_bytes = o->memory_gb * 1e9;
    if (!isnan(o->launch_s))
        p->launch_s = o->launch_s;
    if (!isnan(o->kernel_s))
        p->kernel_s = o->kernel_s;
    if (!isnan(o->contention))
        p->contention = o->contention;
    return sw_platform_validate(p, err);
}

sw_status simopt_calibrate(const sim_opts *o, const sw_net *net, sw_platform *p, double n0,
                           sw_error *err)
{
    if (o->cal_kind < 0)
        return SW_OK;
    double n = o->cal_n > 0 ? o->cal_n : n0, k, target = o->cal_target;
    sw_cal_kind kind = (sw_cal_kind)o->cal_kind;
    const char *name = kind == SW_CAL_MFU ? "MFU" : kind == SW_CAL_HFU ? "HFU" : "step";
    if (o->cal_kind == SIMOPT_CAL_TRAIN) {
        /* Steps at N's global batch times the step, plus the evaluation
         * passes (sw_sim_train_time). */
        if (!(o->cfg.converge.s_min > 0))
            return sw_error_set(err, SW_EINVAL, "--train-time needs --converge");
        name = "time to train";
    }
    sw_status st = sw_sim_calibrate(net, p, &o->cfg, n, kind, target, &k, err);
    if (st)
        return st;
    sw_platform_scale(p, k);
    size_t len = strlen(p->calibration);
    snprintf(p->calibration + len, sizeof p->calibration - len, "%s%s %g at N = %g (rates x %.4g)",
             len ? "; " : "", name, o->cal_target, n, k);
    return SW_OK;
}


sw_status simopt_open(const sim_opts *o, const char *path, const char *other, sw_outfile *out,
                      sw_error *err)
{
    const char *all[] = {o->net, o->platform, o->accel, o->calibration, o->out, o->save_platform,
                         other};
    const char *in[SW_NINPUTS(all)];
    size_t n = 0;
    for (size_t i = 0; i < SW_NINPUTS(all); i++)
        if (all[i] != path) /* the output itself */
            in[n++] = all[i];
    return sw_outfile_open(out, path, SW_OUT_REPLACE, in, n, err);
}

sw_status simopt_open_out(const sim_opts *o, sw_outfile *out, sw_error *err)
{
    return simopt_open(o, o->out, NULL, out, err);
}

sw_status simopt_save_platform(const sim_opts *o, const sw_platform *p, sw_error *err)
{
    if (!o->save_platform)
        return SW_OK;
    sw_outfile out;
    sw_status st = simopt_open(o, o->save_platform, NULL, &out, err);
    if (st)
        return st;
    if ((st = sw_platform_write_json(p, out.fp, err)))
        st = sw_outfile_fail(&out, st, err);
    else
        st = sw_outfile_commit(&out, err);
    return st;
}
