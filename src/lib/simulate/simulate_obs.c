/* simulate_obs.c — a simulated sweep as an observation series.
 *
 * The seam of scalewall is sw_obs: writing the simulation through it means
 * `fit`, `predict` and `report` read simulated and measured sweeps alike;
 * simulated = 1 keeps them apart.  The step's breakdown travels as extras. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalewall/simulate.h"
#include "scalewall/version.h"

static const char *const extra_names[] = {
    "compute_s",  "comm_s",     "bubble_s",  "wait_s",    "grid_s",      "compress_s",
    "update_s",   "straggle",   "speedup",   "efficiency", "serial",     "baseline_s",
    "baseline_n", "dp",         "pp",        "tp",         "cp",         "micro_batch",
    "tp_s",       "send_s",     "dp_s",      "recompute_s", "mfu",       "hfu",
    "memory_bytes", "global_batch", "steps_to_converge", "time_to_train_s", "bn_s",
    "eval_s",     "evals"};
#define NEXTRA (sizeof extra_names / sizeof extra_names[0])

static void point_extras(const sw_sim_point *p, double v[NEXTRA])
{
    const sw_sim_step *s = &p->step;
    double vals[NEXTRA] = {s->compute_s,  s->comm_s,     s->bubble_s,  s->wait_s,
                           s->grid_s,     s->compress_s, s->update_s,  s->straggle,
                           p->speedup,    p->efficiency, p->serial,    p->t_base,
                           p->n_base,     s->dp,         s->pp,        s->tp,
                           s->cp,         s->micro_batch, s->tp_s,     s->send_s,
                           s->dp_s,       s->recompute_s, s->mfu,      s->hfu,
                           s->mem.total,  p->global_batch, p->steps,   p->train_s,
                           s->bn_s,       s->eval_s,     p->evals};
    memcpy(v, vals, sizeof vals);
}

static const char *precision_name(double bpe)
{
    return bpe >= 8 ? "fp64" : bpe >= 4 ? "fp32" : bpe >= 2 ? "fp16" : "int8";
}

static void params_string(const sw_net *net, const sw_platform *plat, const sw_sim_config *c,
                          char *buf, size_t len)
{
    char comp[32];
    if (c->compress == SW_COMPRESS_TOPK)
        snprintf(comp, sizeof comp, "topk:%g", c->topk_frac);
    else
        snprintf(comp, sizeof comp, "%s", sw_compress_name(c->compress));
    int n = snprintf(buf, len,
             "%s;platform=%s;batch=%g;precision=%s;allreduce=%s;hierarchical=%d;bucket=%g;"
             "overlap=%d;stages=%ld;micro=%ld;jitter=%s:%g;grid=%g;compress=%s;optimizer=%s",
             net->params, plat->name, c->batch,
             c->precision              ? c->precision
             : c->arith == SW_PREC_AUTO ? precision_name(net->bytes_per_elem)
                                        : sw_precision_name(c->arith, net->bytes_per_elem),
             sw_coll_alg_name(c->allreduce), c->hierarchical, c->bucket_bytes, c->overlap,
             c->stages, c->micro, c->jitter == SW_JITTER_NORMAL ? "normal" : "lognormal",
             c->jitter_cv, c->grid_dt, comp, sw_optimizer_name(c->optimizer));
    /* The training-at-scale keys only when they differ from the defaults,
     * so older series keep their params. */
    if (n > 0 && (size_t)n < len &&
        (c->tp != 1 || c->cp != 1 || c->sp || c->schedule != SW_SCHED_1F1B || c->chunks != 1 ||
         c->micro_batch > 0 || c->zero || c->recompute || c->order))
        snprintf(buf + n, len - (size_t)n,
                 ";tp=%ld;cp=%ld;sp=%d;schedule=%s;chunks=%ld;micro_batch=%g;zero=%d;"
                 "recompute=%s;order=%s",
                 c->tp, c->cp, c->sp, sw_schedule_name(c->schedule), c->chunks, c->micro_batch,
                 c->zero, sw_recompute_name(c->recompute),
                 c->order == SW_ORDER_TP_CP_DP_PP ? "tp-cp-dp-pp" : "tp-cp-pp-dp");
    /* the units share fewer host cores: recorded, so the points above C
     * are labelled oversubscribed (sw_obs_condition) */
    size_t used = strlen(buf);
    if (c->cores > 0 && used < len)
        snprintf(buf + used, len - used, ";cores=%g", c->cores);
    used = strlen(buf);
    if (c->bn_group > 1 && used < len)
        snprintf(buf + used, len - used, ";bn_group=%ld", c->bn_group);
    used = strlen(buf);
    if (c->eval_every > 0 && used < len)
        snprintf(buf + used, len - used, ";eval=%g@%g", c->eval_samples, c->eval_every);
}

static sw_status set_meta(sw_obs *o, const sw_platform *plat, sw_error *err)
{
    char num[64];
    sw_status st;
    if ((st = sw_obs_set_meta(o, "generator", "scalewall simulate", err)) ||
        (st = sw_obs_set_meta(o, "version", SW_VERSION, err)) ||
        (st = sw_obs_set_meta(o, "platform", plat->name, err)) ||
        (st = sw_obs_set_meta(o, "unit_kind", plat->unit, err)))
        return st;
    snprintf(num, sizeof num, "%g", plat->units_per_node);
    if ((st = sw_obs_set_meta(o, "units_per_node", num, err)))
        return st;
    if (plat->calibration[0] && (st = sw_obs_set_meta(o, "calibration", plat->calibration, err)))
        return st;
    if (plat->accel[0] && (st = sw_obs_set_meta(o, "accelerator", plat->accel, err)))
        return st;
    return SW_OK;
}

sw_status sw_sim_to_obs(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                        const sw_sim_point *pts, size_t npts, sw_obs **out, sw_error *err)
{
    *out = NULL;
    sw_obs *o = sw_obs_new(net->name, SW_QTY_TIME, "s");
    if (!o)
        return sw_error_set(err, SW_ENOMEM, "out of memory for the observation series");
    o->simulated = 1;
    o->scaling = cfg->scaling;
    char params[1024];
    params_string(net, plat, cfg, params, sizeof params);
    sw_status st = sw_obs_set_params(o, params, err);
    if (!st)
        st = set_meta(o, plat, err);
    int idx[NEXTRA];
    for (size_t k = 0; k < NEXTRA && !st; k++)
        if ((idx[k] = sw_obs_add_extra(o, extra_names[k])) < 0)
            st = sw_error_set(err, SW_ENOMEM, "out of memory for extras");
    for (size_t i = 0; i < npts && !st; i++) {
        sw_obs_point *p = sw_obs_add(o, pts[i].step.n, 0, pts[i].step.time);
        if (!p) {
            st = sw_error_set(err, SW_ENOMEM, "out of memory for points");
            break;
        }
        double v[NEXTRA];
        point_extras(&pts[i], v);
        for (size_t k = 0; k < NEXTRA; k++)
            p->extra[idx[k]] = v[k];
    }
    if (st) {
        sw_obs_free(o);
        return st;
    }
    *out = o;
    return SW_OK;
}
