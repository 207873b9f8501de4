/* fit_platform.c — communication shapes from a platform's topology, for
 * `scalewall fit --platform`.
 *
 * Small-N data cannot see a network level it never crossed: on a fat tree
 * with 32-unit leaves, runs on N <= 32 match a flat network, and at 1024
 * every tree step past the leaf pays the spine's latency and every byte the
 * tapered up-links.  The platform description can see it.  Ranks sit in
 * order, so a collective step between partners d ranks apart crosses a
 * level when d reaches its size: level 0 inside a node (d < units_per_node),
 * level 1 inside a leaf (d < leaf_units), level 2 between leaves.  With
 * alpha_l, beta_l the latency and time per byte of level l (beta_2 = the
 * inter beta x taper: every rank of a leaf sends through its up-links at
 * once), a_l = alpha_l / alpha_0 and b_l = beta_l / beta_0, the four shapes
 * a collective is made of become (at_l the level's first distance):
 *   tree latency    sum_l (a_l - a_{l-1}) max(0, log2(N / at_l))
 *                   (log2 N steps, distances 1, 2, 4, ...)
 *   tree bytes      the same with b_l: recursive doubling of a large message
 *   bandwidth       sum_l (b_l - b_{l-1}) max(0, 1 - at_l / N)
 *                   (recursive halving: n/2 at distance N/2, n/4 at N/4, ...)
 *   pairwise        sum_l (a_l - a_{l-1}) max(0, N - at_l)
 *                   (N - 1 steps, partner k ranks away at step k)
 *   transpose       sum_l (b_l - b_{l-1}) max(0, N - at_l) / N^2
 *                   (N - 1 blocks of V/N^2 bytes, block k to distance k)
 *   halo            sum_l (b_l - b_{l-1}) halo3d of the axes crossing l
 *                   (a 3-D halo exchange of an MPI_Dims_create cut: an
 *                   axis of stride s and d blocks crosses a group of at_l
 *                   ranks unless its runs of s d ranks tile the group;
 *                   fit_shapes.c, halo_crossing)
 * each equal to the flat shape (log2 N, (N-1)/N, N-1, (N-1)/N^2, halo3d)
 * below the first boundary.  Only their coefficients (how many collectives of how
 * many bytes) come from the data.  The flat shapes stay in the catalogue
 * beside them (a pipeline's neighbour messages do not cross the spine
 * once per step), but a hypothesis never holds both versions of one
 * mechanism; on a one-level platform there is nothing to add. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_internal.h"
#include "scalewall/smpi.h"

typedef struct level {
    double at, alpha, beta;
} level;

/* The levels a platform has, from the node outwards. */
static size_t levels(const sw_platform *p, level *lv)
{
    size_t n = 0;
    double u = p->units_per_node;
    int nodes = isfinite(u) && u < 1e6; /* "local" keeps every unit on one node */
    if (u > 1 || !nodes)
        lv[n++] = (level){1, p->intra.alpha, p->intra.beta};
    if (nodes)
        lv[n++] = (level){u > 1 ? u : 1, p->inter.alpha, p->inter.beta};
    if (nodes && p->leaf_units > u && isfinite(p->leaf_units)) {
        double taper = p->taper >= 1 ? p->taper : 1;
        double a = p->spine_alpha > 0 ? p->spine_alpha : p->inter.alpha;
        lv[n++] = (level){p->leaf_units, a, p->inter.beta * taper};
    }
    return n;
}

static sw_term composite(sw_term_role role, sw_part_kind kind, const level *lv, size_t nl,
                         int use_beta, const char *what, const char *pname)
{
    sw_term t = {.role = role, .shape = SW_SHAPE_PLATFORM};
    double ref = 0;
    for (size_t l = 0; l < nl && !(ref > 0); l++)
        ref = use_beta ? lv[l].beta : lv[l].alpha;
    if (!(ref > 0))
        ref = 1;
    double prev = 0;
    for (size_t l = 0; l < nl && t.nparts < SW_TERM_MAXPARTS; l++) {
        double v = (use_beta ? lv[l].beta : lv[l].alpha) / ref;
        if (v != prev)
            t.part[t.nparts++] = (sw_term_part){kind, lv[l].at, v - prev};
        prev = v;
    }
    snprintf(t.label, sizeof t.label, "%s@%.24s", what, pname);
    return t;
}

size_t sw_fit_platform_terms(const sw_platform *p, sw_term *out, size_t cap)
{
    level lv[3];
    size_t nl = levels(p, lv), n = 0;
    sw_term topo[6] = {
        composite(SW_ROLE_COMM, SW_PART_LOG, lv, nl, 0, "tree", p->name),
        composite(SW_ROLE_COMM, SW_PART_LOG, lv, nl, 1, "treebytes", p->name),
        composite(SW_ROLE_COMM, SW_PART_FRAC, lv, nl, 1, "bandwidth", p->name),
        composite(SW_ROLE_COMM, SW_PART_LIN, lv, nl, 0, "pairwise", p->name),
        composite(SW_ROLE_COMM, SW_PART_VOL, lv, nl, 1, "transpose", p->name),
        composite(SW_ROLE_COMM, SW_PART_HALO, lv, nl, 1, "halo", p->name),
    };
    /* one part is the flat shape itself, already in the catalogue */
    for (size_t k = 0; k < sizeof topo / sizeof topo[0] && n < cap; k++)
        if (topo[k].nparts > 1)
            out[n++] = topo[k];
    return n;
}

/* The flat shape a platform term refines: a hypothesis holds one of them. */
int sw_fit_platform_refines(const sw_term *plat, const sw_term *flat)
{
    if (plat->shape != SW_SHAPE_PLATFORM || plat->nparts == 0)
        return 0;
    switch (plat->part[0].kind) {
    case SW_PART_LOG: return flat->shape == SW_SHAPE_POWLOG && flat->i == 0 && flat->j == 1;
    case SW_PART_FRAC: return flat->shape == SW_SHAPE_BANDWIDTH;
    case SW_PART_LIN: return flat->shape == SW_SHAPE_LINEAR;
    case SW_PART_VOL: return flat->shape == SW_SHAPE_TRANSPOSE;
    case SW_PART_HALO: return flat->shape == SW_SHAPE_HALO3;
    }
    return 0;
}

sw_status sw_fit_platform_spec(const char *spec, sw_platform *out, sw_error *err)
{
    if (strncmp(spec, "flat", 4) != 0 && strncmp(spec, "fattree", 7) != 0)
        return sw_platform_from_spec(spec, out, err);
    sw_smpi_platform sp;
    sw_status st = sw_smpi_platform_parse(spec, 1024, &sp, err);
    if (st)
        return st;
    /* SimGrid's cluster: one rank per host, the host-to-host latency alpha
     * between leaves (4 links) and alpha/2 inside one (2 links); the
     * up-links of a leaf are shared by its hosts (FAT_TREE 2;leaf,..;1,up). */
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", spec);
    snprintf(out->unit, sizeof out->unit, "simulated host");
    out->flops_fp32 = out->flops_half = sp.host_speed > 0 ? sp.host_speed : 1e9;
    out->mem_bw = 1e10;
    out->units_per_node = sp.ranks_per_host > 0 ? sp.ranks_per_host : 1;
    out->intra = (sw_link){sp.loopback_alpha, 1 / sp.loopback_bandwidth, 0};
    out->inter = (sw_link){sp.alpha, 1 / sp.bandwidth, 0};
    if (sp.topology == SW_SMPI_FATTREE) {
        out->inter.alpha = sp.alpha / 2;
        out->leaf_units = (double)sp.fattree_leaf * out->units_per_node;
        out->taper = (double)sp.fattree_leaf / (double)sp.fattree_up;
        if (out->taper < 1)
            out->taper = 1;
        out->spine_alpha = sp.alpha;
    }
    return sw_platform_validate(out, err);
}
