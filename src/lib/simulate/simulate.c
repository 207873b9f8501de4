/* simulate.c — the step timeline: pipeline stages, micro-batches, gradient
 * buckets, stragglers, a time grid and compression.
 *
 * The step is simulated operation by operation (not summed in closed
 * form) so that overlap, the grid and stage imbalance interact as they do
 * on a machine; the closed forms it must agree with in the simple cases
 * ((m + pp - 1)(f + b) for a uniform pipeline, compute + allreduce without
 * overlap) are the unit tests.  The timeline runs three times per step —
 * as configured, without the grid, and without stragglers or grid — and
 * the differences are the grid loss and the straggler wait. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/model.h"
#include "scalewall/simulate.h"

void sw_sim_config_default(sw_sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->batch = 256;
    c->scaling = SW_SCALING_STRONG;
    c->allreduce = SW_ALG_RING;
    c->hierarchical = 1;
    c->overlap = 1;
    c->stages = 1;
    c->micro = 1;
    c->jitter = SW_JITTER_LOGNORMAL;
    c->topk_frac = 0.01;
    c->optimizer = SW_OPT_SGD;
}

static const char *const optimizer_names[] = {"none", "sgd", "adam"};

const char *sw_optimizer_name(sw_optimizer o)
{
    return o >= SW_OPT_NONE && o <= SW_OPT_ADAM ? optimizer_names[o] : "unknown";
}

int sw_optimizer_parse(const char *name)
{
    for (int i = 0; i <= SW_OPT_ADAM; i++)
        if (strcmp(name, optimizer_names[i]) == 0)
            return i;
    return -1;
}

static const char *const compress_names[] = {"none", "fp16", "bf16", "int8", "topk"};

const char *sw_compress_name(sw_compress c)
{
    return c >= SW_COMPRESS_NONE && c <= SW_COMPRESS_TOPK ? compress_names[c] : "unknown";
}

int sw_compress_parse(const char *name)
{
    for (int i = 0; i <= SW_COMPRESS_TOPK; i++)
        if (strcmp(name, compress_names[i]) == 0)
            return i;
    return strcmp(name, "8bit") == 0 ? SW_COMPRESS_INT8 : -1;
}

/* ---- stragglers: expected maximum of n factors ---- */

typedef struct maxarg {
    double n, sigma, cv;
    int lognormal;
} maxarg;

static double max_integrand(double z, void *vp)
{
    const maxarg *a = vp;
    double g = a->lognormal ? exp(-a->sigma * a->sigma / 2 + a->sigma * z) : 1 + a->cv * z;
    /* Φ^(n-1) through log1p(-Q) keeps precision where Φ is close to 1. */
    double logphi = z > 0 ? log1p(-gsl_cdf_ugaussian_Q(z)) : log(gsl_cdf_ugaussian_P(z));
    double pdf = exp(-z * z / 2) / sqrt(2 * 3.14159265358979323846);
    return g * a->n * pdf * exp((a->n - 1) * logphi);
}

double sw_sim_expected_max(sw_jitter dist, double cv, double n)
{
    if (!(n >= 1) || !(cv >= 0) || !isfinite(n) || !isfinite(cv))
        return NAN;
    if (cv == 0 || n == 1)
        return 1.0;
    maxarg a = {n, sqrt(log1p(cv * cv)), cv, dist == SW_JITTER_LOGNORMAL};
    gsl_function f = {max_integrand, &a};
    /* The density of the maximum peaks near sqrt(2 ln n) (<= 7.5 for
     * n <= 1e12); [-12, 16] holds all of its mass to double precision. */
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(256);
    if (!w)
        return NAN;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double r = NAN, abserr;
    int st = gsl_integration_qags(&f, -12, 16, 1e-12, 1e-10, 256, w, &r, &abserr);
    gsl_set_error_handler(old);
    gsl_integration_workspace_free(w);
    return st == GSL_SUCCESS || st == GSL_EROUND ? r : NAN;
}

/* ---- the step ---- */

typedef struct stage {
    size_t lo, hi;          /* layers [lo, hi) */
    double send_fwd;        /* activations to the next stage, per micro-batch */
    double send_bwd;        /* input gradients to the previous stage */
    size_t b0, nb;          /* buckets [b0, b0 + nb) */
    double update;          /* optimizer step over the stage's parameters */
} stage;

typedef struct bucket {
    size_t first;           /* lowest layer: its backward makes the bucket ready */
    double dur;             /* compression + collective */
} bucket;

typedef struct ctx {
    const sw_sim_config *c;
    size_t nl;
    long pp, m;
    double *tf, *tb, *ready;
    stage *st;
    bucket *bk;
    size_t nbk;
    double compute_per_micro, send_per_micro, update_total, compress_s, wire_bytes;
} ctx;

static double tick(double t, double dt)
{
    return dt > 0 ? ceil(t / dt - 1e-9) * dt : t;
}

/* Roofline per layer and micro-batch: FLOPs at the sustained rate, or the
 * memory traffic (forward: weights + input and output activations,
 * backward: weights read and gradients written + three activation-sized
 * passes), whichever is longer. */
static void layer_times(ctx *x, const sw_net *net, const sw_platform *p, double b)
{
    double F = sw_platform_flops(p, net->bytes_per_elem), bw = p->mem_bw;
    for (size_t l = 0; l < x->nl; l++) {
        const sw_layer *L = &net->layers[l];
        x->tf[l] = fmax(L->fwd_flops * b / F, (L->param_bytes + 2 * L->act_bytes * b) / bw);
        x->tb[l] = fmax(L->bwd_flops * b / F, (2 * L->param_bytes + 3 * L->act_bytes * b) / bw);
    }
}

/* Contiguous stages of near-equal compute: stage s ends at the layer whose
 * running sum is closest to (s+1)/pp of the total, leaving one layer at
 * least for every later stage. */
static void split_stages(ctx *x)
{
    double total = 0, run = 0;
    for (size_t l = 0; l < x->nl; l++)
        total += x->tf[l] + x->tb[l];
    size_t lo = 0, l = 0;
    for (long s = 0; s < x->pp; s++) {
        size_t left = (size_t)(x->pp - s - 1), hi;
        if (left == 0) {
            hi = x->nl;
        } else {
            double target = total * (double)(s + 1) / (double)x->pp;
            hi = lo + 1;
            run += x->tf[l] + x->tb[l];
            l++;
            while (hi + left < x->nl) {
                double next = run + x->tf[l] + x->tb[l];
                if (fabs(next - target) > fabs(run - target))
                    break;
                run = next;
                l++;
                hi++;
            }
        }
        x->st[s].lo = lo;
        x->st[s].hi = hi;
        lo = hi;
    }
}

/* Units of one dp group per node: stage s of every replica on a node. */
static void group_shape(const sw_platform *p, double dp, double pp, double *nodes, double *local)
{
    double l = floor(p->units_per_node / pp);
    if (l < 1)
        l = 1;
    if (l > dp)
        l = dp;
    *local = l;
    *nodes = ceil(dp / l);
}

static sw_status allreduce_time(const sw_platform *p, const sw_sim_config *c, double dp, double pp,
                                double bytes, double *t, sw_error *err)
{
    double nodes, local;
    group_shape(p, dp, pp, &nodes, &local);
    if (c->compress == SW_COMPRESS_TOPK) /* sparse: allgather of every rank's (index, value) */
        return sw_coll_time(SW_COLL_ALLGATHER, SW_ALG_RING, dp, dp * bytes,
                            nodes == 1 ? &p->intra : &p->inter, t, err);
    if (nodes == 1)
        return sw_coll_time(SW_COLL_ALLREDUCE, c->allreduce, dp, bytes, &p->intra, t, err);
    if (local == 1 || !c->hierarchical)
        return sw_coll_time(SW_COLL_ALLREDUCE, c->allreduce, dp, bytes, &p->inter, t, err);
    return sw_coll_time_hier(SW_COLL_ALLREDUCE, c->allreduce, nodes, local, bytes, &p->intra,
                             &p->inter, t, err);
}

/* Wire bytes and compression work (memory passes, docs/simulate.md) for a
 * bucket of g gradient bytes at bpe bytes per element. */
static void compress_cost(const sw_sim_config *c, double g, double bpe, double dp, double mem_bw,
                          double *wire, double *work)
{
    double e = g / bpe, sel;
    switch (c->compress) {
    case SW_COMPRESS_FP16:
    case SW_COMPRESS_BF16:
        *wire = bpe > 2 ? 2 * e : g;
        *work = bpe > 2 ? (2 * bpe + 4) * e / mem_bw : 0;
        break;
    case SW_COMPRESS_INT8:
        *wire = e + 4;
        *work = (3 * bpe + 2) * e / mem_bw;
        break;
    case SW_COMPRESS_TOPK:
        sel = ceil(c->topk_frac * e);
        *wire = sel * (bpe + 4);
        *work = (3 * bpe * e + dp * sel * (2 * bpe + 4)) / mem_bw;
        break;
    default:
        *wire = g;
        *work = 0;
    }
}

/* Buckets per stage, filled from the last layer backwards (the order the
 * backward pass produces gradients) until bucket_bytes is reached. */
static sw_status make_buckets(ctx *x, const sw_net *net, const sw_platform *p, double dp,
                              sw_error *err)
{
    x->nbk = 0;
    for (long s = 0; s < x->pp; s++) {
        stage *S = &x->st[s];
        S->b0 = x->nbk;
        S->nb = 0;
        if (dp <= 1)
            continue;
        double acc = 0;
        for (size_t l = S->hi; l-- > S->lo;) {
            acc += net->layers[l].param_bytes;
            if (!(acc > 0) || (acc < x->c->bucket_bytes && l > S->lo))
                continue;
            double wire, work, t;
            compress_cost(x->c, acc, net->bytes_per_elem, dp, p->mem_bw, &wire, &work);
            sw_status st = allreduce_time(p, x->c, dp, (double)x->pp, wire, &t, err);
            if (st)
                return st;
            x->bk[x->nbk++] = (bucket){l, work + t};
            x->compress_s += work;
            x->wire_bytes += wire;
            S->nb++;
            acc = 0;
        }
    }
    return SW_OK;
}

/* One step's timeline; M stretches compute, dt is the grid; with_ar = 0
 * leaves the allreduces out (what the step would take with free gradient
 * exchange: the reference for the bubble).  Returns the step time. */
static double timeline(ctx *x, double M, double dt, int with_ar)
{
    long pp = x->pp;
    double *fend = x->ready + x->nl, *bend = fend + pp;
    for (long s = 0; s < pp; s++)
        fend[s] = 0;
    for (long j = 0; j < x->m; j++)
        for (long s = 0; s < pp; s++) {
            double t = s ? fmax(fend[s], fend[s - 1]) : fend[s];
            for (size_t l = x->st[s].lo; l < x->st[s].hi; l++)
                t = tick(t, dt) + M * x->tf[l];
            if (s < pp - 1)
                t = tick(t, dt) + x->st[s].send_fwd;
            fend[s] = t;
        }
    for (long s = 0; s < pp; s++)
        bend[s] = fend[s];
    for (long j = 0; j < x->m; j++)
        for (long s = pp - 1; s >= 0; s--) {
            double t = s < pp - 1 ? fmax(bend[s], bend[s + 1]) : bend[s];
            for (size_t l = x->st[s].hi; l-- > x->st[s].lo;) {
                t = tick(t, dt) + M * x->tb[l];
                x->ready[l] = t;
            }
            if (s > 0)
                t = tick(t, dt) + x->st[s].send_bwd;
            bend[s] = t;
        }
    double end = 0;
    for (long s = 0; s < pp; s++) {
        double t = bend[s], net_free = 0;
        for (size_t k = x->st[s].b0; with_ar && k < x->st[s].b0 + x->st[s].nb; k++) {
            double ready = x->c->overlap ? x->ready[x->bk[k].first] : bend[s];
            net_free = tick(fmax(ready, net_free), dt) + x->bk[k].dur;
            t = fmax(t, net_free);
        }
        if (x->st[s].update > 0)
            t = tick(t, dt) + M * x->st[s].update;
        end = fmax(end, t);
    }
    return end;
}

/* Memory passes over the parameters per optimizer step: SGD reads w and g
 * and writes w; Adam also reads and writes its two moments. */
static double optimizer_passes(sw_optimizer o)
{
    return o == SW_OPT_SGD ? 3 : o == SW_OPT_ADAM ? 7 : 0;
}

static sw_status check_config(const sw_net *net, const sw_sim_config *c, double n, sw_error *err)
{
    if (!isfinite(n) || n < 1 || n != floor(n))
        return sw_error_set(err, SW_EDOM, "N = %g: the number of units must be a whole number >= 1",
                            n);
    if (c->stages < 1 || c->micro < 1)
        return sw_error_set(err, SW_EDOM, "stages %ld and micro-batches %ld must be >= 1",
                            c->stages, c->micro);
    if ((size_t)c->stages > net->nlayers)
        return sw_error_set(err, SW_EDOM,
                            "a pipeline of %ld stages needs at least %ld layers (the network has %zu)",
                            c->stages, c->stages, net->nlayers);
    if (fmod(n, (double)c->stages) != 0)
        return sw_error_set(err, SW_EDOM, "N = %g is not a multiple of the %ld pipeline stages", n,
                            c->stages);
    if (!(c->batch > 0) || !isfinite(c->batch))
        return sw_error_set(err, SW_EDOM, "batch %g must be > 0", c->batch);
    if (!(c->bucket_bytes >= 0) || !(c->grid_dt >= 0) || !isfinite(c->grid_dt))
        return sw_error_set(err, SW_EDOM, "bucket size %g and grid step %g must be >= 0",
                            c->bucket_bytes, c->grid_dt);
    if (!(c->jitter_cv >= 0) || !isfinite(c->jitter_cv) ||
        (c->jitter == SW_JITTER_NORMAL && c->jitter_cv > 0.5))
        return sw_error_set(err, SW_EDOM,
                            "jitter cv %g must be >= 0 (and <= 0.5 for normal jitter, which "
                            "would otherwise draw negative times)",
                            c->jitter_cv);
    if (!(c->cores >= 0) || !isfinite(c->cores))
        return sw_error_set(err, SW_EDOM, "cores %g must be >= 0 (0 = a core per unit)",
                            c->cores);
    if (c->compress == SW_COMPRESS_TOPK && !(c->topk_frac > 0 && c->topk_frac <= 1))
        return sw_error_set(err, SW_EDOM, "top-k fraction %g must be in (0, 1]", c->topk_frac);
    if (!sw_coll_supports(SW_COLL_ALLREDUCE, c->allreduce))
        return sw_error_set(err, SW_EINVAL, "%s is not an allreduce algorithm",
                            sw_coll_alg_name(c->allreduce));
    return SW_OK;
}

static sw_status ctx_init(ctx *x, const sw_net *net, const sw_platform *p, const sw_sim_config *c,
                          double n, double dp, sw_error *err)
{
    memset(x, 0, sizeof *x);
    x->c = c;
    x->nl = net->nlayers;
    x->pp = c->stages;
    x->m = c->micro;
    size_t pp = (size_t)x->pp;
    x->tf = malloc((3 * x->nl + 2 * pp) * sizeof *x->tf);
    x->st = malloc(pp * sizeof *x->st);
    x->bk = malloc(x->nl * sizeof *x->bk);
    if (!x->tf || !x->st || !x->bk)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu layers", x->nl);
    x->tb = x->tf + x->nl;
    x->ready = x->tb + x->nl;
    double replica = c->scaling == SW_SCALING_WEAK ? c->batch : c->batch / dp;
    double b = replica / (double)x->m;
    if (b < 1)
        return sw_error_set(err, SW_EDOM,
                            "N = %g: batch %g over %g replicas x %ld micro-batches is %g samples, "
                            "less than one",
                            n, c->batch, c->scaling == SW_SCALING_WEAK ? 1 : dp, x->m, b);
    layer_times(x, net, p, b);
    split_stages(x);
    const sw_link *lk = (double)pp <= p->units_per_node ? &p->intra : &p->inter;
    for (size_t s = 0; s < pp; s++) {
        stage *S = &x->st[s];
        S->send_fwd = s + 1 < pp ? sw_p2p_time(lk, net->layers[S->hi - 1].act_bytes * b) : 0;
        S->send_bwd = s > 0 ? sw_p2p_time(lk, net->layers[S->lo - 1].act_bytes * b) : 0;
        x->send_per_micro += S->send_fwd + S->send_bwd;
        double pb = 0;
        for (size_t l = S->lo; l < S->hi; l++)
            pb += net->layers[l].param_bytes;
        S->update = optimizer_passes(c->optimizer) * pb / p->mem_bw;
        x->update_total += S->update;
    }
    for (size_t l = 0; l < x->nl; l++)
        x->compute_per_micro += x->tf[l] + x->tb[l];
    return make_buckets(x, net, p, dp, err);
}

static void ctx_free(ctx *x)
{
    free(x->tf);
    free(x->st);
    free(x->bk);
}

sw_status sw_sim_step_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                          double n, sw_sim_step *out, sw_error *err)
{
    sw_status st = sw_net_validate(net, err);
    if (!st)
        st = sw_platform_validate(plat, err);
    if (!st)
        st = check_config(net, cfg, n, err);
    if (st)
        return st;
    double pp = (double)cfg->stages, dp = n / pp;
    /* Oversubscribed: n units take turns on `cores` cores, so each unit's
     * FLOP/s and bytes/s are a cores/n share.  The links keep their α and β:
     * what time-slicing does to messages is left to the measurement. */
    sw_platform shared = *plat;
    if (cfg->cores > 0 && n > cfg->cores) {
        double f = n / cfg->cores;
        shared.flops_fp32 /= f;
        shared.flops_half /= f;
        shared.mem_bw /= f;
        plat = &shared;
    }
    ctx x;
    if ((st = ctx_init(&x, net, plat, cfg, n, dp, err))) {
        ctx_free(&x);
        return st;
    }
    double M = sw_sim_expected_max(cfg->jitter, cfg->jitter_cv, n);
    if (isnan(M)) {
        ctx_free(&x);
        return sw_error_set(err, SW_EDOM, "expected maximum of %g jitter factors did not converge",
                            n);
    }
    double t0 = timeline(&x, 1, 0, 1);
    double tfree = timeline(&x, 1, 0, 0);
    double tj = timeline(&x, M, 0, 1);
    double tg = cfg->grid_dt > 0 ? timeline(&x, M, cfg->grid_dt, 1) : tj;
    memset(out, 0, sizeof *out);
    out->n = n;
    out->dp = dp;
    out->pp = pp;
    out->micro = (double)cfg->micro;
    out->micro_batch = (cfg->scaling == SW_SCALING_WEAK ? cfg->batch : cfg->batch / dp) /
                       (double)cfg->micro;
    out->time = tg;
    double m = (double)x.m;
    out->compute_s = (m * x.compute_per_micro + x.update_total) / pp;
    out->update_s = x.update_total / pp;
    /* Idle time of the average unit when gradients were free.  Without a
     * pipeline there is none; with one, the difference of two sums can
     * leave rounding dust, which is not idle time either. */
    double bubble = tfree - out->compute_s - m * x.send_per_micro / pp;
    out->bubble_s = pp > 1 && bubble > 1e-12 * tfree ? bubble : 0;
    out->comm_s = t0 - out->compute_s - out->bubble_s;
    out->wait_s = tj - t0;
    out->grid_s = tg - tj;
    if (fabs(out->comm_s) < 1e-12 * t0)
        out->comm_s = 0;
    out->compress_s = x.compress_s;
    out->straggle = M;
    out->wire_bytes = x.wire_bytes;
    ctx_free(&x);
    return SW_OK;
}

sw_status sw_sim_sweep(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                       const double *n, size_t nn, sw_sim_point *out, sw_error *err)
{
    sw_sim_config one = *cfg;
    one.stages = 1;
    one.micro = 1;
    sw_sim_step s1;
    sw_status st = sw_sim_step_run(net, plat, &one, 1, &s1, err);
    if (st)
        return sw_error_prefix(err, "one-unit baseline");
    for (size_t i = 0; i < nn; i++) {
        sw_sim_point *p = &out[i];
        if ((st = sw_sim_step_run(net, plat, cfg, n[i], &p->step, err)))
            return st;
        p->t1 = s1.time;
        double work = cfg->scaling == SW_SCALING_WEAK ? p->step.dp : 1;
        p->speedup = work * s1.time / p->step.time;
        sw_amdahl a;
        if ((st = sw_amdahl_point(n[i], p->speedup, &a, err)))
            return st;
        p->efficiency = a.efficiency;
        p->serial = a.serial;
    }
    return SW_OK;
}
