/* cmd_simulate.c — `scalewall simulate`: a distributed training step from
 * first principles, swept over N, written as an observation series that
 * `scalewall fit` reads (simulated = 1).
 *
 * The options it shares with `scalewall depth` are in simopt.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "simopt.h"

static const char usage_text[] =
    "usage: scalewall simulate [--net SPEC] [--platform P] [--n LIST] [options]\n"
    "       scalewall simulate --search --n N [--keep K] [options]\n"
    "\n"
    "Simulates one training step on N units from first principles (time-aware model):\n"
    "per-layer compute and memory-bound kernels, tensor/context/pipeline/data\n"
    "parallelism, ZeRO, recomputation, gradient collectives by bucket, stragglers, a\n"
    "time grid and compression, after checking the configuration fits in memory.\n"
    "Prints the step split into compute, communication, bubble, waiting and grid loss,\n"
    "with S, E and 1-alpha_eff against the smallest configuration that fits, FLOP\n"
    "utilisation and memory per unit; csv/json are observation series (simulated = 1)\n"
    "that 'scalewall fit' reads.\n"
    "\n"
    "  --net SPEC         mlp:depth=8,width=1024 (default),\n"
    "                     transformer:blocks=12,hidden=768,seq=512,heads=12[,ffn=F,\n"
    "                     kv_heads=K,vocab=V,glu=1,flash=1,dropout=0,tied=0,bias=0],\n"
    "                     a preset (gpt-1.7b ... gpt-1t, llama3-8b/70b/405b[:key=value]),\n"
    "                     resnet50, or a network .json (docs/simulate.md)\n"
    "  --n LIST           unit counts: 1,2,4 or 1:64 (powers of two) or 1:1e4 [1:64]\n"
    "  --t1 SECONDS       calibrate the unit: scale its FLOP/s and memory bandwidth so one\n"
    "                     unit's step takes SECONDS (e.g. from a one-rank measurement)\n"
    "  --trace FILE       also write the step at the first N as a Chrome trace (JSON;\n"
    "                     chrome://tracing, Perfetto UI)\n"
    "  --search           list the fastest configurations that fit at each N (tp, cp,\n"
    "                     pp, dp, micro-batch, schedule, recomputation, ZeRO)\n"
    "  --keep K           how many the search lists [10]\n"
    "  --max-cp C         largest context parallelism the search tries [1]\n" SIMOPT_HELP
    "\n"
    "Formulas, profiles and the published runs they reproduce: docs/simulate.md.\n";

static void fmt_or_dash(char *b, size_t n, const char *fmt, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, fmt, v);
}

static void print_header(FILE *fp, const sw_net *net, const sw_platform *p, const sim_opts *o,
                         const sw_sim_point *pt)
{
    const sw_sim_config *c = &o->cfg;
    fprintf(fp, "network %s (%s), %zu layers, %.4g GFLOP/sample, %.4g MB of gradients (%s)\n",
            net->name, net->params, net->nlayers, sw_net_flops(net) / 1e9,
            sw_net_param_bytes(net) / 1e6, o->precision);
    fprintf(fp, "platform %s: %s, %.4g TFLOP/s, %g per node%s%s\n", p->name, p->unit,
            sw_platform_rate(p, c->arith, net->bytes_per_elem) / 1e12, p->units_per_node,
            p->calibration[0] ? ", calibrated from " : "", p->calibration);
    char mb[48];
    if (c->micro_batch > 0)
        snprintf(mb, sizeof mb, "micro-batches of %g", c->micro_batch);
    else
        snprintf(mb, sizeof mb, "%ld micro-batch%s per replica", c->micro,
                 c->micro == 1 ? "" : "es");
    char bn[64] = "";
    if (c->bn_group > 1)
        snprintf(bn, sizeof bn, ", batch norm synchronised over %ld replicas", c->bn_group);
    fprintf(fp,
            "layout: tp %ld x cp %ld x pp %ld x dp (order %s), %s schedule%s, %s, ZeRO %d, "
            "recompute %s%s%s\n",
            c->tp, c->cp, c->stages, c->order ? "tp-cp-pp-dp" : "tp-cp-dp-pp",
            sw_schedule_name(c->schedule), c->chunks > 1 ? " of chunks" : "", mb, c->zero,
            sw_recompute_name(c->recompute), c->sp ? ", sequence parallel" : "", bn);
    double model = (double)(c->tp * c->cp * c->stages);
    if (c->converge.s_min > 0)
        fprintf(fp,
                "time to train: steps S(B) = S_min (1 + B_noise/B), S_min %.6g, B_noise %.6g "
                "(%s), times the step%s",
                c->converge.s_min, c->converge.b_noise, o->converge ? o->converge : "given",
                c->eval_every > 0 ? "" : "\n");
    if (c->converge.s_min > 0 && c->eval_every > 0)
        fprintf(fp, ", plus a forward pass over %.10g samples every %.10g samples\n",
                c->eval_samples, c->eval_every);
    fprintf(fp,
            "baseline: N0 = %g (tp x cp x pp = %g, %g replica%s: the fewest units that fit), "
            "%s scaling (%s batch %g): S = N0 T(N0)/T(N), E = S/N\n",
            pt->n_base, model, pt->n_base / model, pt->n_base / model > 1 ? "s" : "",
            c->scaling == SW_SCALING_WEAK ? "weak" : "strong",
            c->scaling == SW_SCALING_WEAK ? "per-replica" : "global", c->batch);
}

static void print_table(FILE *fp, const sw_net *net, const sw_platform *p, const sim_opts *o,
                        const sw_sim_point *pt, size_t n)
{
    print_header(fp, net, p, o, pt);
    int ttt = o->cfg.converge.s_min > 0;
    fprintf(fp, "%8s %6s %4s %12s %10s %10s %10s %10s %10s %9s %7s %10s %4s %4s %6s %8s", "N",
            "dp", "pp", "step_s", "compute", "comm", "bubble", "wait", "grid", "S", "E",
            "1-alpha", "tp", "cp", "MFU", "mem_GB");
    if (ttt)
        fprintf(fp, " %9s %9s", "steps", "train_h");
    fputc('\n', fp);
    for (size_t i = 0; i < n; i++) {
        const sw_sim_step *s = &pt[i].step;
        char serial[32], mfu[32], mem[32];
        /* N = N0 says nothing about 1-alpha */
        fmt_or_dash(serial, sizeof serial, "%.4g", pt[i].serial);
        fmt_or_dash(mfu, sizeof mfu, "%.3f", s->mfu);
        fmt_or_dash(mem, sizeof mem, "%.4g", s->mem.total / 1e9);
        fprintf(fp,
                "%8g %6g %4g %12.5g %10.4g %10.4g %10.4g %10.4g %10.4g %9.4g %7.4f %10s %4g %4g "
                "%6s %8s",
                s->n, s->dp, s->pp, s->time, s->compute_s, s->comm_s, s->bubble_s, s->wait_s,
                s->grid_s, pt[i].speedup, pt[i].efficiency, serial, s->tp, s->cp, mfu, mem);
        if (ttt)
            fprintf(fp, " %9.5g %9.4g", pt[i].steps, pt[i].train_s / 3600);
        fputc('\n', fp);
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
    if (!(st = simopt_open_out(o, &out, err))) {
        if (strcmp(o->format, "csv") == 0)
            st = sw_obs_write_csv(&set, out.fp, err);
        else if (strcmp(o->format, "json") == 0)
            st = sw_obs_write_json(&set, out.fp, err);
        else
            print_table(out.fp, net, p, o, pt, n);
        if (st)
            sw_outfile_fail(&out, st, err);
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
    one.stages = one.micro = one.tp = one.cp = one.chunks = 1;
    one.micro_batch = 0;
    one.schedule = SW_SCHED_1F1B;
    sw_sim_step s;
    sw_status st = sw_sim_step_run(net, p, &one, 1, &s, err);
    if (st)
        return st;
    sw_platform_scale(p, s.time / t1);
    size_t len = strlen(p->calibration);
    snprintf(p->calibration + len, sizeof p->calibration - len, "%s--t1 %g s",
             len ? "; " : "", t1);
    return SW_OK;
}

/* --search: the fastest configurations that fit, at each N. */
static sw_status search(const sw_net *net, const sw_platform *p, const sim_opts *o,
                        const double *ns, size_t nn, const sw_sim_search_opts *so, sw_error *err)
{
    sw_sim_choice *ch = calloc(so->keep, sizeof *ch);
    if (!ch)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_outfile out;
    sw_status st = simopt_open_out(o, &out, err);
    int csv = strcmp(o->format, "csv") == 0;
    if (!st && csv)
        fprintf(out.fp, "n,rank,tp,cp,pp,dp,chunks,schedule,micro_batch,micro,zero,recompute,"
                        "step_s,compute_s,comm_s,bubble_s,mfu,hfu,memory_bytes\n");
    for (size_t i = 0; i < nn && !st; i++) {
        size_t k, tried, fit;
        if ((st = sw_sim_search(net, p, &o->cfg, ns[i], so, ch, &k, &tried, &fit, err)))
            break;
        if (!csv) {
            fprintf(out.fp,
                    "N = %g: %zu configurations tried, %zu fit in %.4g GB; the %zu fastest "
                    "(global batch %g):\n",
                    ns[i], tried, fit, p->mem_bytes / 1e9, k, o->cfg.batch);
            fprintf(out.fp, "%4s %4s %4s %4s %6s %11s %4s %6s %4s %9s %11s %8s %8s %8s %6s %8s\n",
                    "#", "tp", "cp", "pp", "dp", "schedule", "mb", "m", "zero", "recompute",
                    "step_s", "compute", "comm", "bubble", "MFU", "mem_GB");
        }
        for (size_t r = 0; r < k; r++) {
            const sw_sim_config *c = &ch[r].cfg;
            const sw_sim_step *s = &ch[r].step;
            char sched[40];
            snprintf(sched, sizeof sched, "%s", sw_schedule_name(c->schedule));
            if (c->chunks > 1)
                snprintf(sched, sizeof sched, "interl.x%ld", c->chunks);
            if (csv)
                fprintf(out.fp, "%g,%zu,%g,%g,%g,%g,%g,%s,%g,%g,%d,%s,%.10g,%.10g,%.10g,%.10g,"
                                "%.6g,%.6g,%.10g\n",
                        ns[i], r + 1, s->tp, s->cp, s->pp, s->dp, s->chunks,
                        sw_schedule_name(c->schedule), s->micro_batch, s->micro, c->zero,
                        sw_recompute_name(c->recompute), s->time, s->compute_s, s->comm_s,
                        s->bubble_s, s->mfu, s->hfu, s->mem.total);
            else
                fprintf(out.fp,
                        "%4zu %4g %4g %4g %6g %11s %4g %6g %4d %9s %11.5g %8.4g %8.4g %8.4g "
                        "%6.3f %8.4g\n",
                        r + 1, s->tp, s->cp, s->pp, s->dp, sched, s->micro_batch, s->micro,
                        c->zero, sw_recompute_name(c->recompute), s->time, s->compute_s,
                        s->comm_s, s->bubble_s, s->mfu, s->mem.total / 1e9);
        }
    }
    if (!st)
        st = sw_outfile_commit(&out, err);
    else
        sw_outfile_fail(&out, st, err);
    free(ch);
    return st;
}

static sw_status write_trace(const sim_opts *o, const char *path, const sw_net *net,
                             const sw_platform *p, double n, sw_error *err)
{
    sw_outfile out;
    sw_status st = simopt_open(o, path, path, &out, err);
    if (st)
        return st;
    if ((st = sw_sim_trace_write(net, p, &o->cfg, n, out.fp, err)))
        st = sw_outfile_fail(&out, st, err);
    else
        st = sw_outfile_commit(&out, err);
    return st;
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {SIMOPT_LONG_OPTIONS,
                                         {"n", required_argument, 0, 'n'},
                                         {"t1", required_argument, 0, 'T'},
                                         {"trace", required_argument, 0, 'r'},
                                         {"search", no_argument, 0, 's'},
                                         {"keep", required_argument, 0, 'k'},
                                         {"max-cp", required_argument, 0, 'c'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    sim_opts o;
    simopt_init(&o);
    double *ns = NULL, t1 = NAN;
    const char *trace = NULL;
    int do_search = 0;
    sw_sim_search_opts so;
    sw_sim_search_opts_default(&so);
    size_t nn = 0;
    int c, rc = 0;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            free(ns);
            return 0;
        case 'n':
            free(ns);
            rc = cli_n_list("simulate", "--n", optarg, &ns, &nn);
            break;
        case 'T':
            if (!(rc = cli_double("simulate", "--t1", optarg, &t1)) && !(t1 > 0))
                rc = cli_usage("simulate", "--t1: %s must be > 0", optarg);
            break;
        case 'r': trace = optarg; break;
        case 's': do_search = 1; break;
        case 'k':
        case 'c':
            if (!(rc = cli_long("simulate", c == 'k' ? "--keep" : "--max-cp", optarg, &v)) &&
                (v < 1 || v > 1000))
                rc = cli_usage("simulate", "%s: %s must be in 1..1000",
                               c == 'k' ? "--keep" : "--max-cp", optarg);
            if (c == 'k')
                so.keep = (size_t)v;
            else
                so.max_cp = v;
            break;
        default:
            if ((rc = simopt_parse("simulate", c, optarg, &o)) < 0)
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
    if (do_search && (trace || !isnan(t1) || strcmp(o.format, "json") == 0)) {
        free(ns);
        return cli_usage("simulate", "--search prints a table or csv; it takes no --trace, "
                                     "--t1 or --format json");
    }
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
        st = simopt_calibrate(&o, &net, &plat, ns[0], &err);
    if (!st)
        st = simopt_save_platform(&o, &plat, &err);
    if (!st && do_search)
        st = search(&net, &plat, &o, ns, nn, &so, &err);
    else if (!st) {
        st = sw_sim_sweep(&net, &plat, &o.cfg, ns, nn, pt, &err);
        if (!st && trace)
            st = write_trace(&o, trace, &net, &plat, ns[0], &err);
        if (!st)
            st = write_output(&net, &plat, &o, pt, nn, &err);
    }
    sw_net_free(&net);
    free(pt);
    free(ns);
    return st ? cli_fail(&err) : 0;
}
