/* collectives.c — α–β–γ costs of point-to-point messages and collectives.
 *
 * One function per (operation, algorithm) row of the table in
 * docs/simulate.md.  Folding for non-power-of-two p follows MPICH: the
 * r = p - p' extra ranks hand their data to a partner first (pre step) and
 * get the result back last (post step); which bytes move in those two steps
 * depends on the operation and is written next to each formula. */
#include <math.h>
#include <string.h>

#include "scalewall/collectives.h"

double sw_p2p_time(const sw_link *l, double n)
{
    return l->alpha + n * l->beta;
}

/* ceil(lg p) for whole p >= 1, without trusting log2 at exact powers. */
static double lg_ceil(double p)
{
    double k = 0, v = 1;
    while (v < p) {
        v *= 2;
        k++;
    }
    return k;
}

/* Largest power of two <= p. */
static double pow2_floor(double p)
{
    double v = 1;
    while (v * 2 <= p)
        v *= 2;
    return v;
}

static double bcast_binomial(double p, double n, const sw_link *l)
{
    return lg_ceil(p) * (l->alpha + n * l->beta);
}

/* Binomial scatter (ceil(lg p) rounds, (p-1)/p n bytes) + ring allgather. */
static double bcast_scatter_allgather(double p, double n, const sw_link *l)
{
    return (lg_ceil(p) + p - 1) * l->alpha + 2 * (p - 1) / p * n * l->beta;
}

static double reduce_binomial(double p, double n, const sw_link *l)
{
    return lg_ceil(p) * (l->alpha + n * l->beta + n * l->gamma);
}

static double allgather_ring(double p, double n, const sw_link *l)
{
    return (p - 1) * l->alpha + (p - 1) / p * n * l->beta;
}

/* Fold: each extra rank sends its n/p block to its partner; unfold: the
 * partner sends the whole gathered n back. */
static double allgather_rd(double p, double n, const sw_link *l)
{
    double q = pow2_floor(p), t = log2(q) * l->alpha + (q - 1) / q * n * l->beta;
    if (q < p)
        t += (l->alpha + n / p * l->beta) + (l->alpha + n * l->beta);
    return t;
}

/* Fold: extra ranks send their whole vector, the partner reduces it;
 * unfold: the partner sends the extra rank its n/p block of the result. */
static double rs_halving(double p, double n, const sw_link *l)
{
    double q = pow2_floor(p);
    double t = log2(q) * l->alpha + (q - 1) / q * n * (l->beta + l->gamma);
    if (q < p)
        t += (l->alpha + n * l->beta + n * l->gamma) + (l->alpha + n / p * l->beta);
    return t;
}

static double rs_ring(double p, double n, const sw_link *l)
{
    return (p - 1) * l->alpha + (p - 1) / p * n * (l->beta + l->gamma);
}

/* Allreduce fold: whole vector in and reduced (α + nβ + nγ), whole result
 * back out (α + nβ): MPICH's "two extra message steps". */
static double ar_fold(double p, double q, double n, const sw_link *l)
{
    if (q == p)
        return 0;
    return (l->alpha + n * l->beta + n * l->gamma) + (l->alpha + n * l->beta);
}

static double ar_rd(double p, double n, const sw_link *l)
{
    double q = pow2_floor(p);
    return log2(q) * (l->alpha + n * l->beta + n * l->gamma) + ar_fold(p, q, n, l);
}

static double ar_ring(double p, double n, const sw_link *l)
{
    return 2 * (p - 1) * l->alpha + 2 * (p - 1) / p * n * l->beta + (p - 1) / p * n * l->gamma;
}

static double ar_rabenseifner(double p, double n, const sw_link *l)
{
    double q = pow2_floor(p);
    return 2 * log2(q) * l->alpha + 2 * (q - 1) / q * n * l->beta +
           (q - 1) / q * n * l->gamma + ar_fold(p, q, n, l);
}

static double ar_reduce_bcast(double p, double n, const sw_link *l)
{
    double k = lg_ceil(p);
    return 2 * k * (l->alpha + n * l->beta) + k * n * l->gamma;
}

/* NCCL's double binary tree (Sanders, Speck & Träff 2009): two trees, each
 * carrying half of the vector, pipelined in chunks; a rank sends and
 * receives 2n in all, latency of a reduce up and a broadcast down. */
static double ar_dbtree(double p, double n, const sw_link *l)
{
    return 2 * lg_ceil(p) * l->alpha + 2 * n * l->beta + n * l->gamma;
}

static double alltoall_pairwise(double p, double n, const sw_link *l)
{
    return (p - 1) * l->alpha + (p - 1) / p * n * l->beta;
}

static double alltoall_bruck(double p, double n, const sw_link *l)
{
    double k = lg_ceil(p);
    return k * l->alpha + n / 2 * k * l->beta;
}

static double barrier_dissemination(double p, double n, const sw_link *l)
{
    (void)n;
    return lg_ceil(p) * l->alpha;
}

typedef double (*coll_fn)(double p, double n, const sw_link *l);

static coll_fn lookup(sw_coll_op op, sw_coll_alg alg)
{
    switch (op) {
    case SW_COLL_BCAST:
        return alg == SW_ALG_BINOMIAL            ? bcast_binomial
               : alg == SW_ALG_SCATTER_ALLGATHER ? bcast_scatter_allgather
                                                 : NULL;
    case SW_COLL_REDUCE: return alg == SW_ALG_BINOMIAL ? reduce_binomial : NULL;
    case SW_COLL_ALLGATHER:
        return alg == SW_ALG_RING                 ? allgather_ring
               : alg == SW_ALG_RECURSIVE_DOUBLING ? allgather_rd
                                                  : NULL;
    case SW_COLL_REDUCE_SCATTER:
        return alg == SW_ALG_RING                ? rs_ring
               : alg == SW_ALG_RECURSIVE_HALVING ? rs_halving
                                                 : NULL;
    case SW_COLL_ALLREDUCE:
        switch (alg) {
        case SW_ALG_RING: return ar_ring;
        case SW_ALG_RECURSIVE_DOUBLING: return ar_rd;
        case SW_ALG_RABENSEIFNER: return ar_rabenseifner;
        case SW_ALG_REDUCE_BCAST: return ar_reduce_bcast;
        case SW_ALG_DBTREE: return ar_dbtree;
        default: return NULL;
        }
    case SW_COLL_ALLTOALL:
        return alg == SW_ALG_PAIRWISE ? alltoall_pairwise
               : alg == SW_ALG_BRUCK  ? alltoall_bruck
                                      : NULL;
    case SW_COLL_BARRIER: return alg == SW_ALG_DISSEMINATION ? barrier_dissemination : NULL;
    default: return NULL;
    }
}

int sw_coll_supports(sw_coll_op op, sw_coll_alg alg)
{
    return lookup(op, alg) != NULL;
}

static int bad_param(double v)
{
    return !isfinite(v) || v < 0;
}

static sw_status check_link(const sw_link *l, const char *what, sw_error *err)
{
    if (!l)
        return sw_error_set(err, SW_EINVAL, "%s link is missing", what);
    if (bad_param(l->alpha) || bad_param(l->beta) || bad_param(l->gamma))
        return sw_error_set(err, SW_EDOM,
                            "%s link: alpha %g, beta %g, gamma %g must be finite and >= 0", what,
                            l->alpha, l->beta, l->gamma);
    return SW_OK;
}

static sw_status check_p(double p, const char *what, sw_error *err)
{
    if (!isfinite(p) || p < 1 || p != floor(p) || p > 1e15)
        return sw_error_set(err, SW_EDOM, "%s %g is not a whole number >= 1", what, p);
    return SW_OK;
}

sw_status sw_coll_time(sw_coll_op op, sw_coll_alg alg, double p, double n, const sw_link *l,
                       double *t, sw_error *err)
{
    coll_fn f = (op >= 0 && op < SW_COLL_NOPS && alg >= 0 && alg < SW_ALG_NALGS)
                    ? lookup(op, alg)
                    : NULL;
    if (!f)
        return sw_error_set(err, SW_EINVAL, "%s is not an algorithm for %s",
                            sw_coll_alg_name(alg), sw_coll_op_name(op));
    sw_status st = check_p(p, "ranks", err);
    if (!st)
        st = check_link(l, "network", err);
    if (st)
        return st;
    if (!isfinite(n) || n < 0)
        return sw_error_set(err, SW_EDOM, "message size %g bytes must be finite and >= 0", n);
    *t = p == 1 ? 0.0 : f(p, n, l);
    return SW_OK;
}

sw_status sw_coll_time_hier(sw_coll_op op, sw_coll_alg alg, double nodes, double local, double n,
                            const sw_link *intra, const sw_link *inter, double *t,
                            sw_error *err)
{
    sw_status st = check_p(nodes, "nodes", err);
    if (!st)
        st = check_p(local, "units per node", err);
    if (!st)
        st = check_link(intra, "intra-node", err);
    if (!st)
        st = check_link(inter, "inter-node", err);
    if (st)
        return st;
    double a = 0, b = 0, c = 0;
    switch (op) {
    case SW_COLL_ALLREDUCE:
        if ((st = sw_coll_time(SW_COLL_REDUCE_SCATTER, SW_ALG_RING, local, n, intra, &a, err)) ||
            (st = sw_coll_time(op, alg, nodes, n / local, inter, &b, err)) ||
            (st = sw_coll_time(SW_COLL_ALLGATHER, SW_ALG_RING, local, n, intra, &c, err)))
            return st;
        break;
    case SW_COLL_BCAST:
        if ((st = sw_coll_time(op, alg, nodes, n, inter, &a, err)) ||
            (st = sw_coll_time(op, alg, local, n, intra, &b, err)))
            return st;
        break;
    case SW_COLL_REDUCE:
        if ((st = sw_coll_time(op, alg, local, n, intra, &a, err)) ||
            (st = sw_coll_time(op, alg, nodes, n, inter, &b, err)))
            return st;
        break;
    case SW_COLL_BARRIER:
        if ((st = sw_coll_time(op, alg, local, 0, intra, &a, err)) ||
            (st = sw_coll_time(op, alg, nodes, 0, inter, &b, err)))
            return st;
        c = a;
        break;
    default:
        return sw_error_set(err, SW_EINVAL, "no two-level form of %s", sw_coll_op_name(op));
    }
    *t = a + b + c;
    return SW_OK;
}

static const char *const op_names[SW_COLL_NOPS] = {
    "bcast", "reduce", "allgather", "reduce-scatter", "allreduce", "alltoall", "barrier"};

static const char *const alg_names[SW_ALG_NALGS] = {
    "binomial",     "scatter-allgather", "ring",     "rd",    "rh",
    "rabenseifner", "tree",              "pairwise", "bruck", "dissemination",
    "dbtree"};

const char *sw_coll_op_name(sw_coll_op op)
{
    return op >= 0 && op < SW_COLL_NOPS ? op_names[op] : "unknown-op";
}

const char *sw_coll_alg_name(sw_coll_alg alg)
{
    if (alg == SW_ALG_AUTO)
        return "auto";
    return alg >= 0 && alg < SW_ALG_NALGS ? alg_names[alg] : "unknown-algorithm";
}

sw_status sw_coll_best(sw_coll_op op, double p, double n, const sw_link *l, double *t,
                       sw_coll_alg *alg, sw_error *err)
{
    double best = INFINITY;
    sw_coll_alg pick = SW_ALG_NALGS;
    for (int a = 0; a < SW_ALG_NALGS; a++) {
        if (!lookup(op, (sw_coll_alg)a))
            continue;
        double v;
        sw_status st = sw_coll_time(op, (sw_coll_alg)a, p, n, l, &v, err);
        if (st)
            return st;
        if (v < best) {
            best = v;
            pick = (sw_coll_alg)a;
        }
    }
    if (pick == SW_ALG_NALGS)
        return sw_error_set(err, SW_EINVAL, "no algorithm for %s", sw_coll_op_name(op));
    *t = best;
    if (alg)
        *alg = pick;
    return SW_OK;
}

int sw_coll_alg_parse(const char *name)
{
    static const struct {
        const char *name;
        sw_coll_alg alg;
    } aliases[] = {{"recursive-doubling", SW_ALG_RECURSIVE_DOUBLING},
                   {"recursive-halving", SW_ALG_RECURSIVE_HALVING},
                   {"reduce-bcast", SW_ALG_REDUCE_BCAST},
                   {"double-binary-tree", SW_ALG_DBTREE},
                   {"auto", SW_ALG_AUTO},
                   {"van-de-geijn", SW_ALG_SCATTER_ALLGATHER}};
    for (int i = 0; i < SW_ALG_NALGS; i++)
        if (strcmp(name, alg_names[i]) == 0)
            return i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(name, aliases[i].name) == 0)
            return (int)aliases[i].alg;
    return -1;
}
