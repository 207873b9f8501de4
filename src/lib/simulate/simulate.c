/* simulate.c — one step: what each layer costs on one unit (compute with
 * its memory-bound kernels, tensor- and context-parallel collectives,
 * recomputation), how the layers split into stages and gradient buckets,
 * and how the timeline's results become the step's breakdown, its
 * efficiency baseline and its FLOP utilisation.
 *
 * The step is simulated operation by operation (schedule.c), not summed
 * in closed form, so that overlap, the grid and stage imbalance interact
 * as they do on a machine; the closed forms it must agree with in the
 * simple cases are the unit tests.  The timeline runs up to three times
 * per step — without stragglers or grid, without the grid, as configured
 * — and the differences are the straggler wait and the grid loss. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/model.h"
#include "scalewall/simulate.h"
#include "sim_internal.h"

void sw_sim_config_default(sw_sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->batch = 256;
    c->scaling = SW_SCALING_STRONG;
    c->allreduce = SW_ALG_AUTO;
    c->hierarchical = 1;
    c->overlap = 1;
    c->stages = 1;
    c->micro = 1;
    c->jitter = SW_JITTER_LOGNORMAL;
    c->topk_frac = 0.01;
    c->optimizer = SW_OPT_SGD;
    c->tp = c->cp = 1;
    c->schedule = SW_SCHED_1F1B;
    c->chunks = 1;
    c->bn_group = 1;
}

/* Names for options and output: one table per enum, one lookup each way. */
static const char *const schedule_names[] = {"gpipe", "1f1b", "interleaved"};
static const char *const recompute_names[] = {"none", "selective", "full"};
static const char *const optimizer_names[] = {"none", "sgd", "adam", "lamb", "lars"};
static const char *const compress_names[] = {"none", "fp16", "bf16", "int8", "topk"};

static const char *name_of(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : "unknown";
}

static int parse_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

#define NNAMES(t) ((int)(sizeof t / sizeof t[0]))

const char *sw_schedule_name(sw_schedule s)
{
    return name_of(schedule_names, NNAMES(schedule_names), (int)s);
}

int sw_schedule_parse(const char *name)
{
    return parse_name(schedule_names, NNAMES(schedule_names), name);
}

const char *sw_recompute_name(sw_recompute r)
{
    return name_of(recompute_names, NNAMES(recompute_names), (int)r);
}

int sw_recompute_parse(const char *name)
{
    return parse_name(recompute_names, NNAMES(recompute_names), name);
}

const char *sw_optimizer_name(sw_optimizer o)
{
    return name_of(optimizer_names, NNAMES(optimizer_names), (int)o);
}

int sw_optimizer_parse(const char *name)
{
    return parse_name(optimizer_names, NNAMES(optimizer_names), name);
}

const char *sw_compress_name(sw_compress c)
{
    return name_of(compress_names, NNAMES(compress_names), (int)c);
}

int sw_compress_parse(const char *name)
{
    int k = parse_name(compress_names, NNAMES(compress_names), name);
    return k >= 0 ? k : strcmp(name, "8bit") == 0 ? SW_COMPRESS_INT8 : -1;
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

/* ---- per-layer costs ---- */

static sw_status check_options(const sw_sim_config *c, sw_error *err)
{
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
    if (c->allreduce != SW_ALG_AUTO && !sw_coll_supports(SW_COLL_ALLREDUCE, c->allreduce))
        return sw_error_set(err, SW_EINVAL, "%s is not an allreduce algorithm",
                            sw_coll_alg_name(c->allreduce));
    if (!(c->micro_batch >= 0) || !isfinite(c->micro_batch))
        return sw_error_set(err, SW_EDOM, "micro-batch %g must be >= 0", c->micro_batch);
    if (c->bn_group < 1)
        return sw_error_set(err, SW_EDOM, "batch-norm group %ld must be >= 1", c->bn_group);
    if (!(c->eval_samples >= 0) || !isfinite(c->eval_samples) || !(c->eval_every >= 0) ||
        !isfinite(c->eval_every) || (c->eval_every > 0) != (c->eval_samples > 0))
        return sw_error_set(err, SW_EDOM,
                            "evaluation of %g samples every %g: both must be > 0 (or both 0)",
                            c->eval_samples, c->eval_every);
    return SW_OK;
}

/* Oversubscribed: n units take turns on `cores` cores, so each unit's
 * FLOP/s and bytes/s are a cores/n share.  The links keep their α and β:
 * what time-slicing does to messages is left to the measurement. */
void sim_effective_platform(const sw_platform *in, const sw_sim_config *c, double n,
                            sw_platform *out)
{
    *out = *in;
    if (c->cores > 0 && n > c->cores) {
        sw_platform_scale(out, c->cores / n);
        out->state_bw *= c->cores / n;
    }
}

/* Collectives of the layer per micro-batch: tensor-parallel ones (an
 * allreduce, or with sequence parallelism an allgather and a
 * reduce-scatter of the same bytes) and context-parallel ones (K and V
 * gathered in the forward, their gradients reduce-scattered in the
 * backward). */
static sw_status layer_comm(sim_ctx *x, const sw_layer *L, double b, double *tpc, double *cpf,
                            double *cpb, sw_error *err)
{
    const sw_sim_config *c = x->c;
    double bytes = L->act_bytes * b / x->plan.cp, t1 = 0, t2 = 0;
    sw_status st = SW_OK;
    *tpc = *cpf = *cpb = 0;
    if (L->tp_split && x->plan.tp > 1 && (L->tp_fwd > 0 || L->tp_bwd > 0)) {
        if (c->sp) {
            if ((st = sim_coll(x->plat, c, SW_COLL_ALLGATHER, &x->place.tp, bytes, &t1, err)) ||
                (st = sim_coll(x->plat, c, SW_COLL_REDUCE_SCATTER, &x->place.tp, bytes, &t2, err)))
                return st;
            *tpc = t1 + t2;
        } else if ((st = sim_coll(x->plat, c, SW_COLL_ALLREDUCE, &x->place.tp, bytes, tpc, err))) {
            return st;
        }
    }
    if (L->kv_bytes > 0 && x->plan.cp > 1) {
        double kv = L->kv_bytes * b / (L->tp_split ? x->plan.tp : 1);
        if ((st = sim_coll(x->plat, c, SW_COLL_ALLGATHER, &x->place.cp, kv, cpf, err)) ||
            (st = sim_coll(x->plat, c, SW_COLL_REDUCE_SCATTER, &x->place.cp, kv, cpb, err)))
            return st;
    }
    return SW_OK;
}

/* Synchronised batch norm (NVIDIA's MLPerf ResNet-50 runs at 15-16 images
 * per GPU use groups of 2: BN_GROUP in their configs): each BN layer
 * exchanges 2 fp32 per channel (sum and sum of squares) in the forward and
 * 2 more (the gradients' sums) in the backward among bn_group adjacent
 * data-parallel ranks.  The exchange happens inside the BN kernel through
 * peer memory (apex.contrib.groupbn), so it pays the link's α and β, not a
 * collective's launch.  A layer's BN layers are taken as one size each
 * (their channels' mean): the allreduce's time is linear in the bytes for
 * a given algorithm, so the sum is exact when one algorithm serves all.
 * Fewer replicas than the group (a baseline) share their statistics among
 * all of them. */
static sw_status layer_bn(sim_ctx *x, const sw_layer *L, double *t, sw_error *err)
{
    *t = 0;
    double dp = x->plan.dp, g = fmin((double)x->c->bn_group, dp); /* fewer replicas: all */
    if (g <= 1 || !(L->bn_layers > 0))
        return SW_OK;
    if (fmod(dp, g) != 0)
        return sw_error_set(err, SW_EDOM,
                            "batch-norm group %g must divide the data-parallel degree %g", g, dp);
    const sim_group *d = &x->place.dp;
    sim_group grp = {g, 1, fmin(g, d->local)};
    grp.nodes = ceil(grp.size / grp.local);
    double one;
    sw_status st = sim_coll(x->plat, x->c, SW_COLL_ALLREDUCE, &grp,
                            8 * L->bn_channels / L->bn_layers, &one, err);
    if (!st)
        *t = L->bn_layers * (one - x->plat->launch_s);
    return st;
}

/* Wave quantization (NVIDIA, "Matrix Multiplication Background User's
 * Guide"): a GEMM's m x n outputs are computed in tiles of SW_GEMM_TILE^2,
 * one tile per streaming multiprocessor at a time, so it takes whole waves
 * of `sms` tiles; a GEMM with fewer tiles than SMs is split along its
 * reduction (split-K) into as many slices as fill them, each at least
 * SW_GEMM_SPLIT_K long.  The useful share of the waves' work: */
#define SW_GEMM_TILE 128.0
#define SW_GEMM_SPLIT_K 256.0

double sim_gemm_efficiency(double m, double n, double k, double sms)
{
    if (!(sms > 0) || !(m > 0) || !(n > 0) || !(k > 0))
        return 1;
    double tiles = ceil(m / SW_GEMM_TILE) * ceil(n / SW_GEMM_TILE), split = 1;
    if (tiles < sms)
        split = fmax(1, fmin(floor(sms / tiles), floor(k / SW_GEMM_SPLIT_K)));
    double waves = ceil(tiles * split / sms);
    return m * n * split / (waves * sms * SW_GEMM_TILE * SW_GEMM_TILE);
}

/* FLOPs the waves' idle slots add to a layer's GEMMs on `samples`
 * samples: the forward's, and the backward's data and weight gradients. */
static void wave_extra(const sw_layer *L, double samples, double tp, double sms, double *fwd,
                       double *bwd)
{
    *fwd = *bwd = 0;
    for (int g = 0; g < L->ngemm && sms > 0; g++) {
        const sw_gemm *G = &L->gemm[g];
        double m = G->rows * samples, n = G->n, k = G->k;
        if (L->tp_split && G->split == 1)
            n /= tp;
        else if (L->tp_split && G->split == 2)
            k /= tp;
        double f = 2 * m * n * k;
        *fwd += f * (1 / sim_gemm_efficiency(m, n, k, sms) - 1);
        *bwd += f * (1 / sim_gemm_efficiency(m, k, n, sms) - 1) +
                f * (1 / sim_gemm_efficiency(k, n, m, sms) - 1);
    }
}

/* Roofline per layer and micro-batch of b samples on one unit: the GEMM
 * FLOPs at the sustained rate (plus what wave quantization idles) or the
 * weight and activation traffic,
 * whichever is longer, plus the memory-bound kernels' traffic (twice in
 * the backward), plus the fixed time of each kernel the layer launches
 * (twice as many in the backward: a data and a weight gradient per GEMM),
 * which no rate scales and no split shrinks: what makes small per-unit
 * batches and narrow layers run below the sustained rate.  Tensor
 * parallelism divides what splits, sequence parallelism also the
 * replicated parts, context parallelism every per-token quantity. */
static sw_status layer_costs(sim_ctx *x, sw_error *err)
{
    const sw_net *net = x->net;
    const sw_platform *p = x->plat;
    const sw_sim_config *c = x->c;
    double F = sw_platform_rate(p, c->arith, net->bytes_per_elem), BW = p->mem_bw;
    if (!(F > 0))
        return sw_error_set(err, SW_EDOM, "platform %s: the unit has no %s arithmetic", p->name,
                            sw_precision_name(c->arith, net->bytes_per_elem));
    double b = x->plan.micro_batch, tp = x->plan.tp, cp = x->plan.cp;
    for (size_t l = 0; l < x->nl; l++) {
        const sw_layer *L = &net->layers[l];
        sim_cost *k = &x->cost[l];
        double td = L->tp_split ? tp : 1, rd = L->tp_split && c->sp ? tp : 1;
        double per = b / cp, pb = L->param_bytes / td, ab = L->act_bytes * per;
        double elem = (L->elem_bytes / td + L->elem_rep_bytes / rd) * per;
        double kern = L->kernels * p->kernel_s, wf, wb;
        wave_extra(L, per, tp, p->sms, &wf, &wb);
        k->tf = fmax((L->fwd_flops * per / td + wf) / F, (pb + 2 * ab) / BW) + elem / BW + kern;
        k->tb = fmax((L->bwd_flops * per / td + wb) / F, (2 * pb + 3 * ab) / BW) +
                2 * elem / BW + 2 * kern;
        double tpc, cpf, cpb, bn;
        sw_status st = layer_comm(x, L, b, &tpc, &cpf, &cpb, err);
        if (!st)
            st = layer_bn(x, L, &bn, err);
        if (st)
            return st;
        k->cf = L->tp_fwd * tpc + cpf + bn;
        k->cb = L->tp_bwd * tpc + cpb + bn;
        k->bn = bn;
        double full = (L->stash_bytes / td + L->stash_rep_bytes / rd) * per;
        k->tr = k->cr = k->stash_full = 0;
        k->stash = full;
        if (!L->no_recompute && c->recompute == SW_RECOMPUTE_FULL) {
            k->tr = k->tf;
            k->cr = k->cf;
            k->stash = ab / rd; /* the layer's input only */
            k->stash_full = full;
        } else if (!L->no_recompute && c->recompute == SW_RECOMPUTE_SELECTIVE) {
            k->tr = L->attn_flops * per / td / F + L->elem_attn_bytes * per / td / BW;
            k->stash = full - L->stash_attn_bytes * per / td;
        }
        k->psi = L->param_bytes / net->bytes_per_elem / td;
        k->gather = 0;
        if (c->zero == 3 &&
            (st = sim_coll(p, c, SW_COLL_ALLGATHER, &x->place.dp, pb, &k->gather, err)))
            return st;
    }
    return SW_OK;
}

/* Contiguous virtual stages of near-equal compute: stage s ends at the
 * layer whose running sum is closest to (s+1)/V of the total, leaving one
 * layer at least for every later stage. */
static void split_stages(sim_ctx *x)
{
    double total = 0, run = 0;
    for (size_t l = 0; l < x->nl; l++)
        total += x->cost[l].tf + x->cost[l].tb + x->cost[l].tr;
    size_t lo = 0, l = 0;
    for (long s = 0; s < x->V; s++) {
        size_t left = (size_t)(x->V - s - 1), hi;
        if (left == 0) {
            hi = x->nl;
        } else {
            double target = total * (double)(s + 1) / (double)x->V;
            hi = lo + 1;
            run += x->cost[l].tf + x->cost[l].tb + x->cost[l].tr;
            l++;
            while (hi + left < x->nl) {
                double next = run + x->cost[l].tf + x->cost[l].tb + x->cost[l].tr;
                if (fabs(next - target) > fabs(run - target))
                    break;
                run = next;
                l++;
                hi++;
            }
        }
        x->lo[s] = lo;
        x->hi[s] = hi;
        lo = hi;
    }
}

/* Activations to the next virtual stage: its input, split by tensor
 * parallelism (Megatron's scatter/gather optimisation) and by context
 * parallelism, on the link between the two stages' ranks. */
static void pipeline_sends(sim_ctx *x)
{
    const sw_platform *p = x->plat;
    double stride = x->place.pp_stride, per = x->plan.micro_batch / x->plan.cp;
    for (long vs = 0; vs < x->V; vs++) {
        x->send_f[vs] = x->send_b[vs] = 0;
        if (vs == x->V - 1)
            continue;
        const sw_layer *L = &x->net->layers[x->hi[vs] - 1];
        long s = vs % x->pp;
        const sw_link *lk = s < x->pp - 1 ? sim_p2p_link(p, (double)s * stride, stride)
                                          : sim_p2p_link(p, 0, (double)(x->pp - 1) * stride);
        double bytes = L->act_bytes * per / (L->tp_split ? x->plan.tp : 1);
        x->send_f[vs] = p->launch_s + sw_p2p_time(lk, bytes);
    }
    for (long vs = 1; vs < x->V; vs++)
        x->send_b[vs] = x->send_f[vs - 1];
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

/* One bucket of g gradient bytes: ZeRO 0 allreduces it (compressed or
 * not; top-k by an allgather of every rank's pairs, since sparse sums do
 * not reduce-scatter), ZeRO 1-3 reduce-scatter it and (1, 2) allgather
 * the updated parameters after the optimizer step. */
static sw_status bucket_cost(sim_ctx *x, double g, sim_bucket *bk, double *wire, double *work,
                             sw_error *err)
{
    const sw_sim_config *c = x->c;
    const sim_group *G = &x->place.dp;
    sw_status st;
    bk->ag = 0;
    *work = 0;
    *wire = g;
    if (c->zero > 0) {
        if ((st = sim_coll(x->plat, c, SW_COLL_REDUCE_SCATTER, G, g, &bk->dur, err)))
            return st;
        if (c->zero < 3 && (st = sim_coll(x->plat, c, SW_COLL_ALLGATHER, G, g, &bk->ag, err)))
            return st;
        return SW_OK;
    }
    compress_cost(c, g, x->net->bytes_per_elem, G->size, x->plat->mem_bw, wire, work);
    double t;
    if (c->compress == SW_COMPRESS_TOPK) {
        const sw_link *lk = G->nodes <= 1 ? &x->plat->intra : &x->plat->inter;
        if ((st = sw_coll_time(SW_COLL_ALLGATHER, SW_ALG_RING, G->size, G->size * *wire, lk, &t,
                               err)))
            return st;
        t += x->plat->launch_s;
    } else if ((st = sim_coll(x->plat, c, SW_COLL_ALLREDUCE, G, *wire, &t, err))) {
        return st;
    }
    bk->dur = *work + t;
    return SW_OK;
}

/* Buckets per virtual stage, filled from the last layer backwards (the
 * order the backward pass produces gradients) until bucket_bytes. */
static sw_status make_buckets(sim_ctx *x, sw_error *err)
{
    x->nbk = 0;
    for (size_t l = 0; l < x->nl; l++)
        x->bk_at[l] = -1;
    for (long vs = 0; vs < x->V; vs++) {
        x->b0[vs] = x->nbk;
        x->nb[vs] = 0;
        if (x->place.dp.size <= 1)
            continue;
        double acc = 0;
        for (size_t l = x->hi[vs]; l-- > x->lo[vs];) {
            const sw_layer *L = &x->net->layers[l];
            acc += L->param_bytes / (L->tp_split ? x->plan.tp : 1);
            if (!(acc > 0) || (acc < x->c->bucket_bytes && l > x->lo[vs]))
                continue;
            sim_bucket *bk = &x->bk[x->nbk];
            double wire, work;
            sw_status st = bucket_cost(x, acc, bk, &wire, &work, err);
            if (st)
                return st;
            bk->first = l;
            x->bk_at[l] = (long)x->nbk++;
            x->compress_s += work;
            x->wire_bytes += wire;
            x->nb[vs]++;
            acc = 0;
        }
    }
    return SW_OK;
}

/* The optimizer step of each stage over its (ZeRO: sharded) parameters:
 * memory-bound, sim_update_bytes per parameter at the bandwidth the model
 * state streams at (sw_platform_state_bw), whatever the batch. */
static void updates(sim_ctx *x)
{
    double shard = x->c->zero > 0 ? x->place.dp.size : 1, bpe = x->net->bytes_per_elem;
    double per = sim_update_bytes(x->c->optimizer, bpe) / bpe;
    for (long s = 0; s < x->pp; s++) {
        double pb = 0;
        for (long ch = 0; ch < x->v; ch++) {
            long vs = ch * x->pp + s;
            for (size_t l = x->lo[vs]; l < x->hi[vs]; l++) {
                const sw_layer *L = &x->net->layers[l];
                pb += L->param_bytes / (L->tp_split ? x->plan.tp : 1);
            }
        }
        x->update[s] = per * pb / sw_platform_state_bw(x->plat) / shard;
    }
}

sw_status sim_ctx_open(sim_ctx *x, const sw_net *net, const sw_platform *plat,
                       const sw_sim_config *c, double n, sw_platform *shared, sw_error *err)
{
    sim_effective_platform(plat, c, n, shared);
    sw_status st = sim_ctx_init(x, net, shared, c, n, err);
    if (st)
        sim_ctx_free(x);
    return st;
}

void sim_ctx_free(sim_ctx *x)
{
    free(x->cost);
    free(x->lo);
    free(x->send_f);
    free(x->bk);
    free(x->b0);
    free(x->bk_at);
    free(x->update);
    free(x->fdone);
    free(x->st_compute);
    memset(x, 0, sizeof *x);
}

sw_status sim_ctx_init(sim_ctx *x, const sw_net *net, const sw_platform *p,
                       const sw_sim_config *c, double n, sw_error *err)
{
    memset(x, 0, sizeof *x);
    x->net = net;
    x->plat = p;
    x->c = c;
    sw_status st = sim_plan(net, p, c, n, &x->plan, &x->place, err);
    if (st)
        return st;
    if (x->plan.micro * x->plan.chunks > 1e8)
        return sw_error_set(err, SW_ENOMEM, "N = %g: %g micro-batches x %g chunks is too many to "
                            "simulate", n, x->plan.micro, x->plan.chunks);
    x->nl = net->nlayers;
    x->pp = c->stages;
    x->v = c->chunks;
    x->m = (long)x->plan.micro;
    x->V = x->pp * x->v;
    size_t V = (size_t)x->V, pp = (size_t)x->pp, cells = V * (size_t)x->m;
    x->cost = malloc(x->nl * sizeof *x->cost);
    x->lo = malloc(2 * V * sizeof *x->lo);
    x->send_f = malloc(2 * V * sizeof *x->send_f);
    x->bk = malloc(x->nl * sizeof *x->bk);
    x->b0 = malloc(2 * V * sizeof *x->b0);
    x->bk_at = malloc(x->nl * sizeof *x->bk_at);
    x->update = malloc(pp * sizeof *x->update);
    x->fdone = malloc(2 * cells * sizeof *x->fdone);
    x->st_compute = malloc(9 * pp * sizeof *x->st_compute);
    if (!x->cost || !x->lo || !x->send_f || !x->bk || !x->b0 || !x->bk_at || !x->update ||
        !x->fdone || !x->st_compute) {
        sim_ctx_free(x);
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu layers and %zu cells", x->nl,
                            cells);
    }
    x->hi = x->lo + V;
    x->send_b = x->send_f + V;
    x->nb = x->b0 + V;
    x->bdone = x->fdone + cells;
    double *a = x->st_compute;
    x->st_inline = a + pp;
    x->st_tp = a + 2 * pp;
    x->st_send = a + 3 * pp;
    x->st_bubble = a + 4 * pp;
    x->st_dpwait = a + 5 * pp;
    x->st_end = a + 6 * pp;
    x->st_recompute = a + 7 * pp;
    x->st_dp = a + 8 * pp;
    if ((st = layer_costs(x, err)))
        return st;
    split_stages(x);
    pipeline_sends(x);
    updates(x);
    return make_buckets(x, err);
}

/* ---- the step ---- */

static double avg(const double *v, long n)
{
    double s = 0;
    for (long i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

static sw_status refuse_memory(const sw_sim_memory *m, const sw_platform *p, double n,
                               sw_error *err)
{
    return sw_error_set(err, SW_EDOM,
                        "N = %g: does not fit: %.4g GB per unit (weights %.4g, gradients %.4g, "
                        "optimizer %.4g, activations %.4g for %g micro-batches in flight, "
                        "buffers %.4g; stage %g) > %.4g GB of %s; try recomputation, more "
                        "tensor/pipeline parallelism or a ZeRO stage",
                        n, m->total / 1e9, m->params / 1e9, m->grads / 1e9, m->optim / 1e9,
                        m->acts / 1e9, m->inflight, m->buffers / 1e9, m->stage,
                        m->capacity / 1e9, p->accel[0] ? p->accel : p->name);
}

static double recompute_flops(const sw_net *net, sw_recompute r)
{
    double f = 0;
    for (size_t l = 0; l < net->nlayers; l++) {
        const sw_layer *L = &net->layers[l];
        if (L->no_recompute)
            continue;
        f += r == SW_RECOMPUTE_FULL ? L->fwd_flops : r == SW_RECOMPUTE_SELECTIVE ? L->attn_flops
                                                                                  : 0;
    }
    return f;
}

/* One evaluation pass: the forward alone (its inline collectives
 * included) over the eval samples split among the replicas, in
 * micro-batches of the training size (the last padded, as the MLPerf rules
 * allow), through the pipeline: (m + pp - 1) x the slowest stage's forward. */
static double eval_pass(const sim_ctx *x)
{
    const sw_sim_config *c = x->c;
    if (!(c->eval_every > 0))
        return 0;
    double m = ceil(c->eval_samples / (x->plan.dp * x->plan.micro_batch) - 1e-9), slow = 0;
    for (long s = 0; s < x->pp; s++) {
        double f = 0;
        for (long v = s; v < x->V; v += x->pp)
            for (size_t l = x->lo[v]; l < x->hi[v]; l++)
                f += x->cost[l].tf + x->cost[l].cf;
        slow = fmax(slow, f);
    }
    return (fmax(m, 1) + (double)x->pp - 1) * slow;
}

static sw_status step_inputs(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                             sw_error *err)
{
    sw_status st = sw_net_validate(net, err);
    if (!st)
        st = sw_platform_validate(plat, err);
    if (!st)
        st = check_options(cfg, err);
    return st;
}

/* SW_MICRO_FIT: the fewest micro-batches (1, 2, 4, ..., at most one sample
 * each) whose configuration fits; the last tried when none does, so the
 * refusal quotes its numbers. */
sw_status sim_fit_micro(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_sim_config *out, sw_error *err)
{
    *out = *cfg;
    if (cfg->micro != SW_MICRO_FIT)
        return SW_OK;
    out->micro_batch = 0;
    for (long m = 1;; m *= 2) {
        out->micro = m;
        sw_sim_memory mem;
        sw_error e2 = {0};
        sw_status st = sw_sim_memory_run(net, plat, out, n, &mem, &e2);
        if (st && m == 1) {
            if (err)
                *err = e2;
            return st;
        }
        if ((st == SW_OK && mem.fits) || st) {
            if (st) /* fewer than one sample per micro-batch: the last that ran */
                out->micro = m / 2;
            return SW_OK;
        }
        if (m > (1L << 40))
            return SW_OK;
    }
}

sw_status sw_sim_step_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg0,
                          double n, sw_sim_step *out, sw_error *err)
{
    sw_sim_config fitted;
    sw_status st = sim_fit_micro(net, plat, cfg0, n, &fitted, err);
    if (st)
        return st;
    const sw_sim_config *cfg = &fitted;
    sw_platform shared;
    sim_ctx x;
    if ((st = step_inputs(net, plat, cfg, err)) ||
        (st = sim_ctx_open(&x, net, plat, cfg, n, &shared, err)))
        return st;
    memset(out, 0, sizeof *out);
    if ((st = sim_memory(&x, &out->mem, err)) ||
        (!out->mem.fits && (st = refuse_memory(&out->mem, plat, n, err)))) {
        sim_ctx_free(&x);
        return st;
    }
    double M = sw_sim_expected_max(cfg->jitter, cfg->jitter_cv, n);
    if (isnan(M)) {
        sim_ctx_free(&x);
        return sw_error_set(err, SW_EDOM, "expected maximum of %g jitter factors did not converge",
                            n);
    }
    double t0 = sim_timeline(&x, 1, 0, NULL);
    long pp = x.pp;
    out->eval_s = eval_pass(&x);
    for (size_t l = 0; l < x.nl; l++)
        out->bn_s += 2 * x.cost[l].bn * x.plan.micro / (double)pp;
    out->compute_s = avg(x.st_compute, pp);
    out->bubble_s = avg(x.st_bubble, pp);
    out->tp_s = avg(x.st_tp, pp);
    out->send_s = avg(x.st_send, pp);
    out->dp_s = avg(x.st_dp, pp);
    out->recompute_s = avg(x.st_recompute, pp);
    double inl = avg(x.st_inline, pp), dpw = avg(x.st_dpwait, pp);
    double tj = cfg->jitter_cv > 0 ? sim_timeline(&x, M, 0, NULL) : t0;
    double tg = cfg->grid_dt > 0 ? sim_timeline(&x, M, cfg->grid_dt, NULL) : tj;
    if (isnan(t0) || isnan(tj) || isnan(tg)) {
        sim_ctx_free(&x);
        return sw_error_set(err, SW_ENOMEM, "out of memory for the timeline");
    }
    const sw_sim_plan *pl = &x.plan;
    out->n = n;
    out->dp = pl->dp;
    out->pp = pl->pp;
    out->tp = pl->tp;
    out->cp = pl->cp;
    out->chunks = pl->chunks;
    out->micro = pl->micro;
    out->micro_batch = pl->micro_batch;
    out->time = tg;
    out->update_s = avg(x.update, pp);
    out->comm_s = inl + dpw;
    /* The parts are sums of the timeline's own intervals; what is left
     * below rounding is not a part. */
    if (out->bubble_s < 1e-12 * t0)
        out->bubble_s = 0;
    if (fabs(out->comm_s) < 1e-12 * t0)
        out->comm_s = 0;
    out->wait_s = tj - t0;
    out->grid_s = tg - tj;
    out->compress_s = x.compress_s;
    out->straggle = M;
    out->wire_bytes = x.wire_bytes;
    double samples = pl->replica * pl->dp;
    out->model_flops = samples * sw_net_flops(net);
    out->hw_flops = out->model_flops + samples * recompute_flops(net, cfg->recompute);
    double peak = sw_platform_peak(plat, cfg->arith, net->bytes_per_elem);
    out->mfu = peak > 0 ? out->model_flops / (tg * n * peak) : NAN;
    out->hfu = peak > 0 ? out->hw_flops / (tg * n * peak) : NAN;
    sim_ctx_free(&x);
    return SW_OK;
}

sw_status sw_sim_memory_run(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg0,
                            double n, sw_sim_memory *out, sw_error *err)
{
    sw_sim_config fitted;
    sw_status st = sim_fit_micro(net, plat, cfg0, n, &fitted, err);
    if (st)
        return st;
    const sw_sim_config *cfg = &fitted;
    sw_platform shared;
    sim_ctx x;
    if ((st = step_inputs(net, plat, cfg, err)) ||
        (st = sim_ctx_open(&x, net, plat, cfg, n, &shared, err)))
        return st;
    st = sim_memory(&x, out, err);
    sim_ctx_free(&x);
    return st;
}

/* ---- baseline, sweep, calibration ---- */

sw_status sw_sim_baseline(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                          double nmax, sw_sim_step *out, sw_error *err)
{
    double model = (double)cfg->tp * (double)cfg->cp * (double)cfg->stages;
    sw_sim_memory last = {0};
    sw_status st = SW_OK;
    double last_n = 0;
    for (double dp = 1; model * dp <= fmax(nmax, model); dp *= 2) {
        sw_error e2 = {0};
        sw_sim_memory m;
        st = sw_sim_memory_run(net, plat, cfg, model * dp, &m, &e2);
        if (st == SW_OK && !m.fits) {
            last = m;
            last_n = model * dp;
            continue;
        }
        if (st) { /* a plan error at the smallest size is the configuration's */
            if (err)
                *err = e2;
            return st;
        }
        return sw_sim_step_run(net, plat, cfg, model * dp, out, err);
    }
    if (last_n > 0) {
        st = refuse_memory(&last, plat, last_n, err);
        sw_error_prefix(err, "no configuration of up to %g units fits", last_n);
        return st;
    }
    return sw_error_set(err, SW_EDOM, "no baseline: N = %g is below tp x cp x pp = %g", nmax,
                        model);
}

sw_status sw_sim_sweep(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                       const double *n, size_t nn, sw_sim_point *out, sw_error *err)
{
    double nmax = 0;
    for (size_t i = 0; i < nn; i++)
        nmax = fmax(nmax, n[i]);
    sw_sim_step b;
    sw_status st = sw_sim_baseline(net, plat, cfg, nmax, &b, err);
    if (st) {
        sw_error_prefix(err, "baseline");
        return st;
    }
    for (size_t i = 0; i < nn; i++) {
        sw_sim_point *p = &out[i];
        if ((st = sw_sim_step_run(net, plat, cfg, n[i], &p->step, err)))
            return st;
        p->t_base = b.time;
        p->n_base = b.n;
        p->global_batch = p->step.micro_batch * p->step.micro * p->step.dp;
        p->train_s = sw_sim_train_time(cfg, &p->step, &p->steps, &p->evals);
        double work = cfg->scaling == SW_SCALING_WEAK ? p->step.dp / b.dp : 1;
        p->speedup = work * b.n * b.time / p->step.time;
        p->efficiency = p->speedup / n[i];
        p->serial = NAN;
        if (n[i] > 1 && n[i] != b.n) {
            sw_amdahl a;
            if ((st = sw_amdahl_point(n[i], p->speedup, &a, err)))
                return st;
            p->serial = a.serial;
        }
    }
    return SW_OK;
}

double sw_sim_train_time(const sw_sim_config *cfg, const sw_sim_step *s, double *steps,
                         double *evals)
{
    double b = s->micro_batch * s->micro * s->dp, st = NAN, ev = NAN, t = NAN;
    if (cfg->converge.s_min > 0) {
        st = sw_converge_steps(&cfg->converge, b);
        ev = cfg->eval_every > 0 ? st * b / cfg->eval_every : 0;
        t = st * s->time + ev * s->eval_s;
    }
    if (steps)
        *steps = st;
    if (evals)
        *evals = ev;
    return t;
}

/* The quantity calibration matches, on the platform scaled by k. */
static sw_status cal_value(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_cal_kind kind, double k, double *v, sw_error *err)
{
    sw_platform p = *plat;
    sw_platform_scale(&p, k);
    sw_sim_step s;
    sw_status st = sw_sim_step_run(net, &p, cfg, n, &s, err);
    if (st)
        return st;
    *v = kind == SW_CAL_MFU   ? s.mfu
         : kind == SW_CAL_HFU ? s.hfu
         : kind == SW_CAL_STEP ? s.time
                               : sw_sim_train_time(cfg, &s, NULL, NULL);
    if (isnan(*v))
        return sw_error_set(err, SW_EDOM,
                            "platform %s: no peak FLOP/s to calibrate a utilisation against "
                            "(give an accelerator or peak_flops_*)",
                            plat->name);
    return SW_OK;
}

sw_status sw_sim_calibrate(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_cal_kind kind, double target, double *k, sw_error *err)
{
    int seconds = kind == SW_CAL_STEP || kind == SW_CAL_TRAIN;
    if (!(target > 0) || !isfinite(target) || (!seconds && target >= 1))
        return sw_error_set(err, SW_EDOM, "calibration target %g must be %s", target,
                            seconds ? "> 0 seconds" : "in (0, 1)");
    if (kind == SW_CAL_TRAIN && !(cfg->converge.s_min > 0))
        return sw_error_set(err, SW_EINVAL, "a time to train needs steps to converge");
    /* Utilisation rises and step time falls with k; bisect on log k. */
    double lo = 1e-6, hi = 1e6, v;
    sw_status st;
    int up = !seconds;
    for (int side = 0; side < 2; side++) {
        double at = side ? hi : lo;
        if ((st = cal_value(net, plat, cfg, n, kind, at, &v, err)))
            return st;
        if ((side == 0) == (up ? v > target : v < target))
            return sw_error_set(err, SW_EDOM,
                                "N = %g: no rate reaches %s %g (at %g x the rates: %g)", n,
                                kind == SW_CAL_MFU    ? "MFU"
                                : kind == SW_CAL_HFU  ? "HFU"
                                : kind == SW_CAL_STEP ? "step time"
                                                      : "time to train",
                                target, at, v);
    }
    for (int it = 0; it < 100 && hi / lo > 1 + 1e-12; it++) {
        double mid = sqrt(lo * hi);
        if ((st = cal_value(net, plat, cfg, n, kind, mid, &v, err)))
            return st;
        if (up ? v < target : v > target)
            lo = mid;
        else
            hi = mid;
    }
    *k = sqrt(lo * hi);
    return SW_OK;
}
