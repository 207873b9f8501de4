/* hostmap.h — which rank of a job runs on which node, and the ranks a
 * placement (nodes x ranks per node) takes.
 *
 * A measurement across nodes is only readable when each point says where its
 * ranks ran: two ranks on one node talk through shared memory, two on
 * different nodes through the network, and the same N can be either.  The
 * harness gathers every rank's processor name once (MPI_Get_processor_name)
 * and builds this map; everything here is pure so it can be tested without
 * MPI.  Nodes are numbered in the order of their lowest rank, and a rank's
 * `local` index counts the ranks of its node below it, so "the first r ranks
 * of each of the first k nodes" is well defined whatever the launcher's
 * distribution (block or cyclic). */
#ifndef SCALEWALL_HOSTMAP_H
#define SCALEWALL_HOSTMAP_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_hostmap {
    int nranks, nnodes;
    int *node;      /* per rank: its node's index */
    int *local;     /* per rank: its index among the ranks of its node */
    int *per_node;  /* per node: how many ranks of the job run there */
    char **names;   /* per node: the processor (host) name */
} sw_hostmap;

/* Builds the map from nranks names stored `stride` bytes apart (each
 * NUL-terminated within its stride, as MPI_Allgather leaves them).  An
 * empty name is an error (SW_EINVAL). */
sw_status sw_hostmap_build(sw_hostmap *m, const char *names, size_t stride, int nranks,
                           sw_error *err);
void sw_hostmap_free(sw_hostmap *m);
/* The same one rank at a time, in rank order: init for nranks (the map
 * then holds none), add each rank's name (at most maxlen bytes with its
 * NUL) — what a gatherer that never holds every name at once uses. */
sw_status sw_hostmap_init(sw_hostmap *m, int nranks, sw_error *err);
sw_status sw_hostmap_add(sw_hostmap *m, const char *name, size_t maxlen, sw_error *err);

/* The fewest ranks the job has on any of its first `nodes` nodes. */
int sw_hostmap_min_per_node(const sw_hostmap *m, int nodes);

/* member[r] = 1 for the first `per_node` ranks (by local index) of each of
 * the first `nodes` nodes, else 0.  SW_EINVAL, with a message that says how
 * to start the job, when the job has fewer nodes or some node fewer ranks. */
sw_status sw_hostmap_grid(const sw_hostmap *m, int nodes, int per_node, int *member,
                          sw_error *err);

/* member[r] = 1 for ranks 0..n-1 (the classic sweep), else 0. */
void sw_hostmap_first(const sw_hostmap *m, int n, int *member);

/* The placement of a set of ranks: how many nodes it spans, the most ranks
 * it has on one node, and each member's host in rank order, run-length
 * encoded: "a*2;b*2" (ranks 0,1 on a, then 2,3 on b), "a;b;a" for a cyclic
 * one, and consecutive numbered hosts with equal runs folded as Slurm
 * writes host lists: "node[1-4]*2" = node1*2;node2*2;node3*2;node4*2,
 * "node[1-2];node[1-2]" cyclic, "n[09-10]" keeps zero padding.  A row of
 * 4096 ranks on 4096 nodes is then "node-[0-4095]".  *hosts is malloc'd. */
sw_status sw_hostmap_describe(const sw_hostmap *m, const int *member, int *nodes, int *per_node,
                              char **hosts, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
