/* collchoice.c — which collective algorithm runs, on which level, at what
 * cost: as a tuned library picks it.
 *
 * NCCL's tuner and MPICH's switch points both choose by modelled time
 * (latency-bound trees and recursive doubling for small messages and many
 * ranks, bandwidth-bound rings for large ones); `auto` does exactly that
 * with the α–β–γ times of collectives.c, over flat and two-level forms.
 * Every call also pays the platform's launch cost (a GPU collective is a
 * kernel: tens of µs however small the message). */
#include <math.h>

#include "sim_internal.h"

/* One level: the configured algorithm, or the fastest. */
static sw_status one_level(sw_coll_op op, sw_coll_alg alg, double p, double n, const sw_link *l,
                           double *t, sw_error *err)
{
    if (alg == SW_ALG_AUTO || !sw_coll_supports(op, alg))
        return sw_coll_best(op, p, n, l, t, NULL, err);
    return sw_coll_time(op, alg, p, n, l, t, err);
}

/* Two levels (p = nodes x local): allreduce by collectives.c's form;
 * reduce-scatter inside then between nodes on n/local, allgather the
 * reverse. */
static sw_status two_level(sw_coll_op op, sw_coll_alg alg, const sim_group *g, double n,
                           const sw_platform *p, double *t, sw_error *err)
{
    double a, b;
    sw_status st;
    switch (op) {
    case SW_COLL_ALLREDUCE:
        if (alg != SW_ALG_AUTO)
            return sw_coll_time_hier(op, alg, g->nodes, g->local, n, &p->intra, &p->inter, t,
                                     err);
        *t = INFINITY;
        for (int k = 0; k < SW_ALG_NALGS; k++) {
            if (!sw_coll_supports(op, (sw_coll_alg)k))
                continue;
            if ((st = sw_coll_time_hier(op, (sw_coll_alg)k, g->nodes, g->local, n, &p->intra,
                                        &p->inter, &a, err)))
                return st;
            *t = fmin(*t, a);
        }
        return SW_OK;
    case SW_COLL_REDUCE_SCATTER:
    case SW_COLL_ALLGATHER:
        if ((st = one_level(op, alg, g->local, n, &p->intra, &a, err)) ||
            (st = one_level(op, alg, g->nodes, n / g->local, &p->inter, &b, err)))
            return st;
        *t = a + b;
        return SW_OK;
    default: return one_level(op, alg, g->size, n, &p->inter, t, err);
    }
}

sw_status sim_coll(const sw_platform *p, const sw_sim_config *c, sw_coll_op op,
                   const sim_group *g, double bytes, double *t, sw_error *err)
{
    *t = 0;
    if (g->size <= 1)
        return SW_OK;
    sw_coll_alg alg = op == SW_COLL_ALLREDUCE ? c->allreduce : SW_ALG_AUTO;
    sw_status st;
    if (g->nodes <= 1) {
        st = one_level(op, alg, g->size, bytes, &p->intra, t, err);
    } else if (g->local <= 1 || !c->hierarchical) {
        st = one_level(op, alg, g->size, bytes, &p->inter, t, err);
    } else {
        double flat, hier;
        if ((st = two_level(op, alg, g, bytes, p, &hier, err)))
            return st;
        /* A library with a choice takes the faster form; a configured
         * algorithm keeps the two-level form, as before. */
        if (alg == SW_ALG_AUTO) {
            if ((st = one_level(op, alg, g->size, bytes, &p->inter, &flat, err)))
                return st;
            hier = fmin(hier, flat);
        }
        *t = hier;
    }
    if (!st)
        *t += p->launch_s;
    return st;
}
