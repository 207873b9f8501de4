/* parallel.c — the parallelism plan: checking a tp x cp x pp x dp
 * configuration against the network, the batch and the machine, and
 * placing its communicators on the machine's levels.
 *
 * Placement follows the frameworks: ranks are numbered with tensor
 * parallelism innermost (its collectives are per layer, so it must stay
 * inside a node, where NVLink is), then context parallelism, then data
 * and pipeline parallelism in Megatron-LM's order (tp, cp, dp, pp) or
 * Llama 3's (tp, cp, pp, dp).  A group of `size` ranks `stride` apart
 * has min(size, units_per_node / stride) ranks on each node. */
#include <math.h>
#include <string.h>

#include "sim_internal.h"

static sim_group place(double size, double stride, double upn)
{
    double local = stride >= upn ? 1 : floor(upn / stride);
    if (local < 1)
        local = 1;
    if (local > size)
        local = size;
    return (sim_group){size, ceil(size / local), local};
}

const sw_link *sim_p2p_link(const sw_platform *p, double r, double stride)
{
    double u = p->units_per_node;
    return floor(r / u) == floor((r + stride) / u) ? &p->intra : &p->inter;
}

static int whole(double v)
{
    return isfinite(v) && v >= 1 && v == floor(v);
}

static sw_status check_degrees(const sw_net *net, const sw_platform *p, const sw_sim_config *c,
                               double n, sw_error *err)
{
    if (!whole(n))
        return sw_error_set(err, SW_EDOM, "N = %g: the number of units must be a whole number >= 1",
                            n);
    if (c->stages < 1 || c->micro < 0 || c->tp < 1 || c->cp < 1 || c->chunks < 1)
        return sw_error_set(err, SW_EDOM,
                            "tp %ld, cp %ld, stages %ld, chunks %ld and micro-batches %ld must "
                            "be >= 1",
                            c->tp, c->cp, c->stages, c->chunks, c->micro);
    if (c->schedule == SW_SCHED_INTERLEAVED && c->chunks < 2)
        return sw_error_set(err, SW_EDOM,
                            "the interleaved schedule needs 2 or more model chunks per stage "
                            "(got %ld)",
                            c->chunks);
    if (c->schedule != SW_SCHED_INTERLEAVED && c->chunks != 1)
        return sw_error_set(err, SW_EDOM, "%ld model chunks per stage need the interleaved "
                            "schedule", c->chunks);
    if ((double)c->tp > p->units_per_node)
        return sw_error_set(err, SW_EDOM,
                            "tensor parallelism %ld is larger than a node (%g units): its "
                            "collectives, %s per layer, would cross nodes",
                            c->tp, p->units_per_node, "several");
    if (net->heads > 0 && (net->heads % c->tp || net->kv_heads % c->tp))
        return sw_error_set(err, SW_EDOM,
                            "tensor parallelism %ld does not divide the %ld attention heads and "
                            "%ld K/V heads",
                            c->tp, net->heads, net->kv_heads);
    if (c->cp > 1 && !(net->seq > 0))
        return sw_error_set(err, SW_EDOM,
                            "context parallelism %ld needs a network with a sequence (%s has none)",
                            c->cp, net->name);
    if (c->cp > 1 && fmod(net->seq, (double)c->cp) != 0)
        return sw_error_set(err, SW_EDOM, "context parallelism %ld does not divide the sequence "
                            "of %g tokens", c->cp, net->seq);
    double virt = (double)c->stages * (double)c->chunks;
    if (virt > (double)net->nlayers) {
        if (c->chunks > 1)
            return sw_error_set(err, SW_EDOM,
                                "a pipeline of %ld stages x %ld chunks needs at least %g layers "
                                "(the network has %zu)",
                                c->stages, c->chunks, virt, net->nlayers);
        return sw_error_set(err, SW_EDOM,
                            "a pipeline of %ld stages needs at least %ld layers (the network has "
                            "%zu)",
                            c->stages, c->stages, net->nlayers);
    }
    double model = (double)c->tp * (double)c->cp * (double)c->stages;
    if (fmod(n, model) != 0) {
        if (c->tp == 1 && c->cp == 1)
            return sw_error_set(err, SW_EDOM, "N = %g is not a multiple of the %ld pipeline "
                                "stages", n, c->stages);
        return sw_error_set(err, SW_EDOM,
                            "N = %g is not a multiple of tp %ld x cp %ld x pp %ld = %g", n, c->tp,
                            c->cp, c->stages, model);
    }
    if (c->zero < 0 || c->zero > 3)
        return sw_error_set(err, SW_EDOM, "ZeRO stage %d is not 0, 1, 2 or 3", c->zero);
    if (c->zero > 0 && c->compress != SW_COMPRESS_NONE)
        return sw_error_set(err, SW_EDOM, "gradient compression applies to the allreduce of "
                            "ZeRO stage 0, not stage %d", c->zero);
    return SW_OK;
}

static sw_status batch_split(const sw_sim_config *c, double dp, double n, sw_sim_plan *pl,
                             sw_error *err)
{
    int weak = c->scaling == SW_SCALING_WEAK;
    pl->replica = weak ? c->batch : c->batch / dp;
    if (c->micro_batch > 0) {
        pl->micro_batch = c->micro_batch;
        double need = (weak ? 1 : dp) * c->micro_batch;
        if (c->batch < need)
            return sw_error_set(err, SW_EDOM,
                                "N = %g: batch %g is smaller than %s%g x micro-batch %g = %g", n,
                                c->batch, weak ? "" : "dp ", weak ? 1 : dp, c->micro_batch, need);
        pl->micro = pl->replica / c->micro_batch;
        if (pl->micro != floor(pl->micro))
            return sw_error_set(err, SW_EDOM,
                                "N = %g: the %g samples of a replica are not a whole number of "
                                "micro-batches of %g",
                                n, pl->replica, c->micro_batch);
    } else {
        pl->micro = (double)c->micro;
        pl->micro_batch = pl->replica / pl->micro;
        if (pl->micro_batch < 1)
            return sw_error_set(err, SW_EDOM,
                                "N = %g: batch %g over %g replicas x %ld micro-batches is %g "
                                "samples, less than one",
                                n, c->batch, weak ? 1 : dp, c->micro, pl->micro_batch);
    }
    if (c->schedule == SW_SCHED_INTERLEAVED && fmod(pl->micro, (double)c->stages) != 0)
        return sw_error_set(err, SW_EDOM,
                            "N = %g: the interleaved schedule needs the micro-batches (%g) to be "
                            "a multiple of pp (%ld)",
                            n, pl->micro, c->stages);
    return SW_OK;
}

sw_status sim_plan(const sw_net *net, const sw_platform *p, const sw_sim_config *c, double n,
                   sw_sim_plan *pl, sim_place *where, sw_error *err)
{
    sw_status st = check_degrees(net, p, c, n, err);
    if (st)
        return st;
    memset(pl, 0, sizeof *pl);
    pl->n = n;
    pl->tp = (double)c->tp;
    pl->cp = (double)c->cp;
    pl->pp = (double)c->stages;
    pl->chunks = (double)c->chunks;
    pl->dp = n / (pl->tp * pl->cp * pl->pp);
    if (!(c->batch > 0) || !isfinite(c->batch))
        return sw_error_set(err, SW_EDOM, "batch %g must be > 0", c->batch);
    if ((st = batch_split(c, pl->dp, n, pl, err)))
        return st;
    if (where) {
        double u = p->units_per_node, tc = pl->tp * pl->cp;
        double dp_stride = c->order == SW_ORDER_TP_CP_DP_PP ? tc : tc * pl->pp;
        where->pp_stride = c->order == SW_ORDER_TP_CP_DP_PP ? tc * pl->dp : tc;
        where->tp = place(pl->tp, 1, u);
        where->cp = place(pl->cp, pl->tp, u);
        /* Gradients are reduced over the data- and context-parallel ranks
         * together; their per-node shares multiply. */
        sim_group d = place(pl->dp, dp_stride, u);
        double local = where->cp.local * d.local, size = pl->dp * pl->cp;
        where->dp = (sim_group){size, ceil(size / local), local};
    }
    return SW_OK;
}

sw_status sw_sim_plan_make(const sw_net *net, const sw_platform *plat, const sw_sim_config *cfg,
                           double n, sw_sim_plan *out, sw_error *err)
{
    return sim_plan(net, plat, cfg, n, out, NULL, err);
}
