/* collectives.h — what a message and a collective cost in the α–β–γ model.
 *
 * Every formula is one row of the table in docs/simulate.md (after Thakur,
 * Rabenseifner & Gropp 2005 and Chan et al. 2007): α is the start-up
 * latency of one message, β the time per byte on the wire, γ the local
 * reduction time per byte, p the ranks, n the bytes of each rank's vector
 * (for allgather: the total gathered bytes; for alltoall: the bytes each rank
 * sends in total).
 *
 * Non-power-of-two p (MPICH's folding): algorithms built on recursive
 * doubling or halving first fold the r = p - p' extra ranks (p' the largest
 * power of two <= p) into partners, run on p', and unfold at the end; the
 * fold and unfold steps are costed explicitly (collectives.c says which).
 * Tree, Bruck and dissemination algorithms use ceil(lg p) rounds; ring and
 * pairwise algorithms are exact for any p.
 *
 * The hierarchical form splits p = nodes x local: intra-node phase on the
 * node's link, inter-node phase on n/local bytes between nodes, intra-node
 * phase again (allreduce); bcast, reduce and barrier have their two-level
 * forms too.  Pure arithmetic, no state. */
#ifndef SCALEWALL_COLLECTIVES_H
#define SCALEWALL_COLLECTIVES_H

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One level of the network: a message of n bytes costs alpha + n beta
 * (Hockney); reducing n bytes locally costs n gamma. */
typedef struct sw_link {
    double alpha; /* s */
    double beta;  /* s/byte */
    double gamma; /* s/byte */
} sw_link;

typedef enum sw_coll_op {
    SW_COLL_BCAST = 0,
    SW_COLL_REDUCE,
    SW_COLL_ALLGATHER,
    SW_COLL_REDUCE_SCATTER,
    SW_COLL_ALLREDUCE,
    SW_COLL_ALLTOALL,
    SW_COLL_BARRIER,
    SW_COLL_NOPS
} sw_coll_op;

typedef enum sw_coll_alg {
    SW_ALG_BINOMIAL = 0,       /* bcast, reduce */
    SW_ALG_SCATTER_ALLGATHER,  /* bcast (van de Geijn) */
    SW_ALG_RING,               /* allgather, reduce-scatter, allreduce */
    SW_ALG_RECURSIVE_DOUBLING, /* allgather, allreduce */
    SW_ALG_RECURSIVE_HALVING,  /* reduce-scatter */
    SW_ALG_RABENSEIFNER,       /* allreduce: RH reduce-scatter + RD allgather */
    SW_ALG_REDUCE_BCAST,       /* allreduce: binomial reduce + binomial bcast ("tree") */
    SW_ALG_PAIRWISE,           /* alltoall */
    SW_ALG_BRUCK,              /* alltoall */
    SW_ALG_DISSEMINATION,      /* barrier */
    SW_ALG_DBTREE,             /* allreduce: NCCL's pipelined double binary tree */
    SW_ALG_NALGS,
    SW_ALG_AUTO = 100          /* not an algorithm: the fastest, as a tuned library picks */
} sw_coll_alg;

/* Hockney point-to-point: alpha + n beta. */
double sw_p2p_time(const sw_link *l, double n);

/* Time of one collective on p ranks of one level.  p < 1, n < 0, a negative
 * or non-finite link parameter, or an algorithm that does not implement op
 * -> SW_EINVAL / SW_EDOM with a message.  p == 1 costs 0. */
sw_status sw_coll_time(sw_coll_op op, sw_coll_alg alg, double p, double n, const sw_link *l,
                       double *t, sw_error *err);

/* Two-level form on p = nodes x local ranks (local >= 1, nodes >= 1):
 *   allreduce      RS_intra(n) + AR_inter(n/local) + AG_intra(n)
 *                  (intra phases by ring, inter phase by `alg`)
 *   bcast          bcast_inter(n) + bcast_intra(n)
 *   reduce         reduce_intra(n) + reduce_inter(n)
 *   barrier        barrier_intra + barrier_inter + barrier_intra
 * Other ops: SW_EINVAL.  local == 1 or nodes == 1 reduce to one level. */
sw_status sw_coll_time_hier(sw_coll_op op, sw_coll_alg alg, double nodes, double local, double n,
                            const sw_link *intra, const sw_link *inter, double *t,
                            sw_error *err);

/* The fastest algorithm for op at (p, n) on one level — what NCCL's tuner
 * and MPICH's size/p switch points approximate by comparing modelled
 * times.  *alg may be NULL. */
sw_status sw_coll_best(sw_coll_op op, double p, double n, const sw_link *l, double *t,
                       sw_coll_alg *alg, sw_error *err);

/* Names for options and messages: "bcast", ..., "ring", "rd", "rh",
 * "rabenseifner", "tree", ... */
const char *sw_coll_op_name(sw_coll_op op);
const char *sw_coll_alg_name(sw_coll_alg alg);
/* Parses an algorithm name (also accepts "recursive-doubling", "binomial");
 * returns -1 when unknown. */
int sw_coll_alg_parse(const char *name);
/* 1 when alg implements op. */
int sw_coll_supports(sw_coll_op op, sw_coll_alg alg);

#ifdef __cplusplus
}
#endif
#endif
