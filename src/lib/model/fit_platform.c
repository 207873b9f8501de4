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
 *   chain           sum_l (a_l - a_{l-1}) max(0, N - at_l) / at_l
 *                   (N - 1 hops between neighbours, in sequence: a
 *                   pipeline's fill; the hop i -> i + 1 crosses level l
 *                   once every at_l ranks)
 *   transpose       sum_l (b_l - b_{l-1}) max(0, N - at_l) / N^2
 *                   (N - 1 blocks of V/N^2 bytes, block k to distance k)
 *   halo            sum_l (b_l - b_{l-1}) halo3d of the axes crossing l
 *                   (a 3-D halo exchange of an MPI_Dims_create cut: an
 *                   axis of stride s and d blocks crosses a group of at_l
 *                   ranks unless its runs of s d ranks tile the group;
 *                   fit_shapes.c, halo_crossing)
 * each equal to the flat shape (log2 N, (N-1)/N, N-1, (N-1)/N^2, halo3d)
 * below the first boundary.  N - 1 is a chain, not the pairwise exchange
 * (partner k ranks away at step k, every step past a leaf paying the
 * spine): inside one leaf the two draw the same line and split the
 * weight, and the pairwise version doubled a fat-tree pipeline's fill
 * cost at 1024; a pairwise exchange is an all-to-all, below.  Only their coefficients (how many collectives of how
 * many bytes) come from the data.  The flat shapes stay in the catalogue
 * beside them (a pipeline's neighbour messages do not cross the spine
 * once per step), but a hypothesis never holds both versions of one
 * mechanism; on a one-level platform there is nothing to add.
 *
 * An all-to-all is different: the MPI library picks its algorithm by N and
 * by the block each pair exchanges, and with a fixed total volume V the
 * block V/N^2 shrinks 4x per doubling of N, so a selector switches past the
 * measured range (Open MPI from linear to Bruck's log2 N rounds of N/2
 * blocks as blocks fall below 0.5-2 KiB, MPICH from pairwise to scattered
 * to Bruck).  Data on N <= 32 cannot see it; the selector can, once V is
 * known, and V is the coefficient of the all-to-all's bytes, which the data
 * on small N pin down (blocks are large there, bandwidth dominates).  So the
 * all-to-all term is the selected algorithm's alpha-beta time on the
 * platform's levels in seconds, for the V of a preliminary fit; only its
 * factor (how the network's real alpha and beta differ) comes from the
 * main fit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"
#include "scalewall/smpi.h"

typedef sw_fit_level level;

size_t sw_fit_platform_levels(const sw_platform *p, sw_fit_level *lv)
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

/* per_hop: a chain of neighbour hops (a part's weight divided by its
 * boundary: the hop from rank i to i + 1 crosses level l once every at_l
 * ranks) */
static sw_term composite(sw_term_role role, sw_part_kind kind, const level *lv, size_t nl,
                         int use_beta, int per_hop, const char *what, const char *pname)
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
            t.part[t.nparts++] =
                (sw_term_part){kind, lv[l].at, (v - prev) / (per_hop ? lv[l].at : 1)};
        prev = v;
    }
    snprintf(t.label, sizeof t.label, "%s@%.24s", what, pname);
    return t;
}

/* ---- MPI_Alltoall as the MPI library picks it ---- */

static const char *const selector_names[] = {"ompi", "mpich", "pair", "ring", "bruck", "linear"};
enum { SEL_OMPI, SEL_MPICH, SEL_PAIR, SEL_RING, SEL_BRUCK, SEL_LINEAR, SEL_COUNT };
typedef enum { A2A_LINEAR, A2A_PAIR, A2A_BRUCK, A2A_SCATTER } a2a_alg;

int sw_alltoall_selector(const char *name)
{
    if (!name || !name[0])
        return SEL_OMPI; /* SMPI's default alltoall is Open MPI's decision */
    for (int k = 0; k < SEL_COUNT; k++)
        if (strcmp(name, selector_names[k]) == 0)
            return k;
    return -1;
}

const char *sw_alltoall_selector_name(int sel)
{
    return sel >= 0 && sel < SEL_COUNT ? selector_names[sel] : "?";
}

/* Open MPI 4.1's fixed decision for MPI_Alltoall
 * (ompi/mca/coll/tuned/coll_tuned_decision_fixed.c, as SimGrid 3.32 copies
 * it into smpi_openmpi_selector.cpp, alltoall__ompi): by communicator size,
 * then block bytes; its linear, linear_sync and two_proc are all SMPI's
 * basic_linear. */
static a2a_alg pick_ompi(double n, double b)
{
    if (n <= 2 || n < 16)
        return n >= 3 && n < 8 && b >= 524288 && b < 1048576 ? A2A_PAIR : A2A_LINEAR;
    double bruck_below = n < 32 ? 512 : n < 64 ? 512 : n < 512 ? 1024 : n < 2048 ? 512
                       : n < 4096 ? 1024 : 2048;
    if (b < bruck_below && !(n < 32 && b < 4))
        return A2A_BRUCK;
    double pair_from = n < 64 ? INFINITY : n < 256 ? 262144 : n < 512 ? 32768
                     : n < 1024 ? 262144 : INFINITY;
    return b >= pair_from ? A2A_PAIR : A2A_LINEAR;
}

/* MPICH's (SimGrid's smpi_mpich_selector.cpp, alltoall__mpich): Bruck for
 * blocks under 256 bytes from 8 ranks, Ladd's scattered isend/irecv (4 at a
 * time, mvapich2_scatter_dest) under 32 KiB, else pairwise or ring. */
static a2a_alg pick(int sel, double n, double b)
{
    switch (sel) {
    case SEL_OMPI: return pick_ompi(n, b);
    case SEL_MPICH: return b < 256 && n >= 8 ? A2A_BRUCK : b < 32768 ? A2A_SCATTER : A2A_PAIR;
    case SEL_BRUCK: return A2A_BRUCK;
    case SEL_LINEAR: return A2A_LINEAR;
    default: return A2A_PAIR;
    }
}

/* SimGrid SMPI's default network model (smpi/lat-factor and smpi/bw-factor
 * of SimGrid 3.32, ../shared/docs/simgrid.md): a message of s bytes pays
 * alpha x lat(s) and s beta / bw(s), piecewise in s, calibrated by SimGrid
 * on a real cluster.  An all-to-all's message size falls with N, so the
 * factors change its shape (latency x11.6 for blocks of 64 KiB and more,
 * x2 for small ones). */
static const struct {
    double from, lat, bw;
} smpi_factors[] = {{65472, 11.6436, 0.940694}, {15424, 3.48845, 0.697866},
                    {9376, 2.59299, 0.58729},   {5776, 2.18796, 1.08739},
                    {3484, 1.88101, 0.77493},   {1426, 1.61075, 0.608902},
                    {732, 1.9503, 0.341987},    {257, 1.95341, 0.338112},
                    {0, 2.01467, 0.812084}};

static void message_factors(int smpi, double s, double *lat, double *bw)
{
    *lat = *bw = 1;
    if (!smpi)
        return;
    size_t k = 0;
    while (s < smpi_factors[k].from)
        k++;
    *lat = smpi_factors[k].lat;
    *bw = smpi_factors[k].bw;
}

/* The selected algorithm's time at N, alpha-beta per level (partner k ranks
 * away crosses level l when k >= at_l):
 *   linear   every message posted at once: the farthest level's alpha, and
 *            the N - 1 blocks through the rank's link, level by level
 *   pair     N - 1 rounds (ring or XOR pairs), partner k at round k
 *   scatter  rounds of 4 messages (MV2_ALLTOALL_THROTTLE_FACTOR 4): a
 *            quarter of pair's latency, the same bytes
 *   bruck    log2 N rounds to distances 1, 2, 4, ..., N/2 blocks each */
double sw_fit_alltoall_eval(const sw_term *t, double n)
{
    if (!(n > 1))
        return 0;
    double b = t->i / (n * n);
    if (b < 1)
        b = 1; /* the pattern sends at least one byte a pair */
    double lin_a = 0, step_a = 0, log_a = 0, lin_b = 0, log_b = 0;
    for (size_t k = 0; k < t->nparts && k < SW_TERM_MAXPARTS; k++) {
        const sw_term_part *p = &t->part[k];
        if (!(n > p->at))
            continue;
        if (p->kind == SW_PART_ALPHA) {
            lin_a += p->w * (n - p->at);
            step_a += p->w;
            log_a += p->w * log2(n / p->at);
        } else if (p->kind == SW_PART_BETA) {
            lin_b += p->w * (n - p->at);
            log_b += p->w * log2(n / p->at);
        }
    }
    int smpi = (t->j & SW_A2A_SMPI) != 0;
    a2a_alg alg = pick(t->j & ~SW_A2A_SMPI, n, b);
    double fl, fb, msg = alg == A2A_BRUCK ? b * (n / 2) : b;
    message_factors(smpi, msg, &fl, &fb);
    switch (alg) {
    case A2A_LINEAR: return step_a * fl + b * lin_b / fb;
    case A2A_SCATTER: return lin_a / 4 * fl + b * lin_b / fb;
    case A2A_BRUCK: return log_a * fl + msg * log_b / fb;
    case A2A_PAIR: break;
    }
    return lin_a * fl + b * lin_b / fb;
}

/* The coefficient of the last of u[0..nu) (t_s, t_p/N, then others), by the
 * fit's own weighted NNLS on the data; 0 when the data show none.  *rss
 * (when asked) gets the fit's residual, INFINITY when it failed. */
static double last_coef(const sw_term *u, size_t nu, const sw_fit_group *gr, size_t m,
                        double *rss)
{
    sw_fitws ws;
    double *b = malloc(m * sizeof *b), coef[4] = {0, 0, 0, 0}, r = INFINITY;
    if (rss)
        *rss = INFINITY;
    if (!b || nu > 4 || sw_fitws_init(&ws, u, nu, gr, m)) {
        free(b);
        sw_fitws_free(&ws);
        return 0;
    }
    for (size_t g = 0; g < m; g++)
        b[g] = ws.sw[g] * gr[g].mean;
    size_t idx[4] = {0, 1, 2, 3};
    r = sw_fit_nnls(&ws, idx, nu, m, b, coef);
    sw_fitws_free(&ws);
    free(b);
    if (rss && isfinite(r))
        *rss = r;
    return isfinite(r) && isfinite(coef[nu - 1]) && coef[nu - 1] > 0 ? coef[nu - 1] : 0;
}


/* The volume a term in seconds moves, in bytes (its i), so that its
 * messages have the sizes the program sent: first the coefficient of its
 * bytes alone (`bytes`, in s/B), then V is scaled until the term itself
 * (latency, the algorithm and the message-size factors at the measured N
 * included) needs a factor 1: the V whose modelled time the data show.  0
 * when the data show none (or are too few to say).  For the all-to-all the
 * bytes are sum_l (beta_l - beta_{l-1}) max(0, N - at_l) / N^2. */
static double seconds_volume(sw_term term, sw_term bytes, const sw_term *beside,
                             const sw_fit_group *gr, size_t m)
{
    if (!gr || m < 4)
        return 0;
    sw_term u[4] = {
        {.role = SW_ROLE_SERIAL, .shape = SW_SHAPE_POWLOG, .i = 0, .j = 0},
        {.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_POWLOG, .i = -1, .j = 0},
    };
    size_t nu = 2;
    if (beside)
        u[nu++] = *beside;
    u[nu] = bytes;
    double v = last_coef(u, nu + 1, gr, m, NULL);
    for (int it = 0; it < 8 && v > 0; it++) {
        term.i = v;
        u[nu] = term;
        double c = last_coef(u, nu + 1, gr, m, NULL);
        if (!(c > 0))
            break;
        v *= c;
        if (fabs(c - 1) < 1e-3)
            break;
    }
    return v;
}

static double alltoall_volume(sw_term a2a, const level *lv, size_t nl, const sw_fit_group *gr,
                              size_t m)
{
    sw_term vol = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_PLATFORM};
    double prev = 0;
    for (size_t l = 0; l < nl && vol.nparts < SW_TERM_MAXPARTS; l++) {
        if (lv[l].beta != prev)
            vol.part[vol.nparts++] = (sw_term_part){SW_PART_VOL, lv[l].at, lv[l].beta - prev};
        prev = lv[l].beta;
    }
    return seconds_volume(a2a, vol, NULL, gr, m);
}

static sw_term alltoall_term(const sw_platform *p, const level *lv, size_t nl)
{
    sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_ALLTOALL,
                 .j = sw_alltoall_selector(p->mpi_alltoall)};
    if (t.j < 0)
        t.j = SEL_OMPI;
    if (p->smpi_factors)
        t.j |= SW_A2A_SMPI;
    double pa = 0, pb = 0;
    for (size_t l = 0; l < nl && t.nparts + 2 <= SW_TERM_MAXPARTS; l++) {
        if (lv[l].alpha != pa)
            t.part[t.nparts++] = (sw_term_part){SW_PART_ALPHA, lv[l].at, lv[l].alpha - pa};
        if (lv[l].beta != pb)
            t.part[t.nparts++] = (sw_term_part){SW_PART_BETA, lv[l].at, lv[l].beta - pb};
        pa = lv[l].alpha;
        pb = lv[l].beta;
    }
    snprintf(t.label, sizeof t.label, "alltoall:%s%s@%.20s",
             sw_alltoall_selector_name(t.j & ~SW_A2A_SMPI), p->smpi_factors ? "+smpi" : "",
             p->name);
    return t;
}

/* ---- one iteration of a 3-D stencil: halo exchange + scalar allreduce ----
 *
 * The program (bench/extrapolation/patterns/halo3d.c is one): a periodic
 * grid cut by MPI_Dims_create(N, 3), laid out by MPI_Cart_create row-major
 * (the last axis has stride 1); each rank posts its face messages at once
 * (Irecv and Isend to both neighbours of every cut axis, two to the same
 * rank when an axis has 2 blocks, none along an axis of 1), waits for all,
 * computes, then joins an allreduce of one double (a residual norm).  With
 * V the bytes of a whole face plane (fields x 8 x G^2), a face across axis
 * a carries V / (d_b d_c).  The messages run together, so the exchange
 * takes as long as its busiest link:
 *   - a link a group of `at_l` ranks shares (a rank's own link on a
 *     one-level network, a node's NIC, a leaf's up-links) carries every
 *     message leaving the group: time = (bytes leaving the group / at_l)
 *     x beta_l (beta_l is per unit: the group's link over its units), the
 *     largest over the groups;
 *   - inside a node (SimGrid's loopback is a fat pipe, and shared memory
 *     copies run side by side) each message alone: bytes x beta_0;
 * plus the latency of the farthest message (alpha of the level it
 * crosses).  The allreduce of 8 bytes is latency: recursive doubling takes
 * log2 N' steps to distances 1, 2, 4, ... (N' the power of 2 below N; two
 * more steps fold the rest in and out), each paying the level it crosses;
 * rab_rdb and redbcast take twice as many (../shared/docs/simgrid.md 2b).
 * Under SMPI's default network every message pays the factors of its size
 * (message_factors).  Only the factor on the whole term (how many such
 * iterations one measured time holds) and V come from the data
 * (seconds_volume). */
enum { STENCIL_SAMPLES = 16 };

static size_t stencil_levels(const sw_term *t, level *lv)
{
    size_t nl = 0;
    for (size_t k = 0; k + 1 < t->nparts && k + 1 < SW_TERM_MAXPARTS && nl < 3; k += 2)
        lv[nl++] = (level){t->part[k].at, t->part[k].w, t->part[k + 1].w};
    return nl;
}

/* How many ranks r in [x, y) have coordinate floor(r / s) mod d == k
 * (whole numbers below 2^24: integer arithmetic, fmod's cost dominated). */
static long long below(long long y, long long s, long long d, long long k)
{
    long long per = s * d, rest = y % per - k * s;
    return y / per * s + (rest < 0 ? 0 : rest > s ? s : rest);
}

static double coord_count(double x, double y, double s, double d, double k)
{
    if (!(y > x))
        return 0;
    long long S = (long long)s, D = (long long)d, K = (long long)k;
    return (double)(below((long long)y, S, D, K) - below((long long)x, S, D, K));
}

/* The messages along an axis (stride s, d > 1 blocks, periodic) that leave
 * the ranks [A, B): towards + from r < B - s (or, from the last
 * coordinate, back by (d-1)s below A), and the same towards -. */
static double leaving(double A, double B, double s, double d)
{
    double up_lo = fmax(A, B - s), wrap_hi = fmin(B, A + (d - 1) * s);
    double dn_hi = fmin(B, A + s), wrap_lo = fmax(A, B - (d - 1) * s);
    double plus = (B - up_lo) - coord_count(up_lo, B, s, d, d - 1) +
                  coord_count(A, wrap_hi, s, d, d - 1);
    double minus = (dn_hi - A) - coord_count(A, dn_hi, s, d, 0) + coord_count(wrap_lo, B, s, d, 0);
    return plus + minus;
}

/* The exchange's time (s) at whole n > 1 with faces fb[] on dims d[]:
 * every group of each level (evenly spread samples past STENCIL_SAMPLES:
 * power-of-2 cuts make every group alike, the others differ at their
 * edges), the messages leaving it counted per axis in closed form. */
static double exchange(const level *lv, size_t nl, int node, int smpi, int bytes_only, double n,
                       const double d[3], const double fb[3])
{
    double stride[3] = {d[1] * d[2], d[2], 1}, busiest = 0, lat = 0, lf[3], bf[3];
    int far[3] = {0, 0, 0}, intra[3] = {0, 0, 0};
    for (int a = 0; a < 3; a++)
        message_factors(smpi, fb[a], &lf[a], &bf[a]);
    for (size_t l = 0; l < nl; l++) {
        double at = lv[l].at, ng = ceil(n / at);
        double ns = ng < STENCIL_SAMPLES ? ng : STENCIL_SAMPLES;
        for (double q = 0; q < ns; q++) {
            double g = ns == ng ? q : floor(q * (ng - 1) / (ns - 1)), out = 0;
            double A = g * at, B = fmin((g + 1) * at, n);
            for (int a = 0; a < 3; a++) {
                if (!(d[a] > 1))
                    continue;
                double c = leaving(A, B, stride[a], d[a]);
                if (c > 0)
                    far[a] = (int)l;
                if (node && l == 1 && c < 2 * (B - A))
                    intra[a] = 1; /* some of its messages stay in the node */
                out += c * fb[a] / bf[a];
            }
            if (!(node && l == 0))
                busiest = fmax(busiest, out / at * lv[l].beta);
        }
    }
    for (int a = 0; a < 3; a++) {
        if (!(d[a] > 1))
            continue;
        lat = fmax(lat, lv[far[a]].alpha * lf[a]);
        if (node && (intra[a] || nl < 2)) /* inside the node each message alone */
            busiest = fmax(busiest, fb[a] * lv[0].beta / bf[a]);
    }
    return busiest + (bytes_only ? 0 : lat);
}

/* An 8-byte allreduce (s): rdb's steps to distances 1, 2, 4, ... */
static double small_allreduce(const level *lv, size_t nl, int smpi, int twice, double n)
{
    double lf, bf, v = 0, p2 = exp2(floor(log2(n)));
    message_factors(smpi, 8, &lf, &bf);
    for (double k = 1; k < p2; k *= 2) {
        size_t l = 0;
        while (l + 1 < nl && k >= lv[l + 1].at)
            l++;
        v += lv[l].alpha * lf + 8 * lv[l].beta / bf;
    }
    if (twice)
        v *= 2;
    if (p2 < n) /* the ranks past N' fold in and out, next to their partners */
        v += 2 * (lv[0].alpha * lf + 8 * lv[0].beta / bf);
    return v;
}

/* A fit asks for the term at the same whole N again and again (every
 * sample of the interval at every step of the answers' searches: a fit of
 * 10 points spent 4 s here), so the values are kept per thread in a small
 * direct-mapped table keyed by the term and N.  A cache of a pure
 * function: callers observe nothing but the speed. */
enum { STENCIL_CACHE = 1024 };
typedef struct {
    sw_term t;
    double n, v;
    int used;
} stencil_memo;
static _Thread_local stencil_memo stencil_cache[STENCIL_CACHE];

static double stencil_value(const sw_term *t, double r);

static int same_stencil(const sw_term *a, const sw_term *b)
{
    if (a->i != b->i || a->j != b->j || a->nparts != b->nparts)
        return 0;
    for (size_t k = 0; k < a->nparts && k < SW_TERM_MAXPARTS; k++)
        if (a->part[k].at != b->part[k].at || a->part[k].w != b->part[k].w)
            return 0;
    return 1;
}

double sw_fit_stencil_eval(const sw_term *t, double n)
{
    double r = round(n);
    if (!(r > 1))
        return 0;
    /* the bits of N and V (a cast of any double to an integer would be
     * undefined past its range, and a model file may hold any volume) */
    unsigned long long bn, bv;
    memcpy(&bn, &r, sizeof bn);
    memcpy(&bv, &t->i, sizeof bv);
    unsigned long long h = bn ^ bv * 0x9E3779B97F4A7C15ULL ^ (unsigned long long)(unsigned)t->j;
    h ^= h >> 33; /* MurmurHash3's finaliser: every bit moves the low ones */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    stencil_memo *e = &stencil_cache[h % STENCIL_CACHE];
    if (e->used && e->n == r && same_stencil(&e->t, t))
        return e->v;
    double v = stencil_value(t, r);
    e->t = *t;
    e->n = r;
    e->v = v;
    e->used = 1;
    return v;
}

static double stencil_value(const sw_term *t, double r)
{
    double d[3];
    level lv[3];
    size_t nl = stencil_levels(t, lv);
    if (!nl)
        return 0;
    int smpi = (t->j & SW_A2A_SMPI) != 0, node = (t->j & SW_STENCIL_NODE) != 0 && nl > 1;
    int bytes_only = (t->j & SW_STENCIL_BYTES) != 0;
    double v;
    if (sw_fit_cart_dims(r, d)) {
        double fb[3], g = (double)(t->j / SW_STENCIL_GRID);
        for (int a = 0; a < 3; a++) /* the largest block's faces when G is known */
            fb[a] = g >= 1 ? t->i * (ceil(g / d[(a + 1) % 3]) / g) * (ceil(g / d[(a + 2) % 3]) / g)
                           : t->i / (d[(a + 1) % 3] * d[(a + 2) % 3]);
        v = exchange(lv, nl, node, smpi, bytes_only, r, d, fb);
    } else { /* past 2^24 units: a cube, every face across the outermost level */
        double f = t->i * exp2(-2.0 / 3 * log2(r)), lf, bf;
        message_factors(smpi, f, &lf, &bf);
        v = 6 * f * lv[nl - 1].beta / bf + (bytes_only ? 0 : lv[nl - 1].alpha * lf);
    }
    if (!bytes_only)
        v += small_allreduce(lv, nl, smpi, (t->j & SW_STENCIL_RAB) != 0, r);
    return v;
}

/* The grid G of a G^3 stencil whose cut into blocks the data show: the
 * largest block holds ceil(G/d) points along each axis, so a time that
 * carries it is above t_p/N by a pattern set by G mod d (nothing for G a
 * multiple of every d, most for G just above one).  G is the one whose
 * quantised payload, beside t_s, t_p/N and the halo (its bytes alone, or
 * the whole stencil once its volume is known), leaves the
 * least residual, from 2 points a block along the most cut axis at the
 * largest measured N up to STENCIL_GRID_MAX (finer grids quantise below
 * what a time shows at any N up to ~1e4); 0 when none improves on the
 * even share by more than a search over so many values finds in noise. */
enum { STENCIL_GRID_MAX = 4096 };
static double grid_size(sw_term halo, const sw_fit_group *gr, size_t m)
{
    enum { KEEP = 64 };
    if (!gr || m < 5)
        return 0;
    double dmax = 1, d[3];
    for (size_t g = 0; g < m; g++)
        if (sw_fit_cart_dims(gr[g].n, d) && d[0] > dmax)
            dmax = d[0];
    sw_term u[3] = {
        {.role = SW_ROLE_SERIAL, .shape = SW_SHAPE_POWLOG, .i = 0, .j = 0},
        {.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_POWLOG, .i = -1, .j = 0},
        halo,
    };
    int flags = halo.j % SW_STENCIL_GRID;
    u[2].j = flags; /* the even faces first: one column for every G */
    double none;
    last_coef(u, 3, gr, m, &none);
    /* the payload is the largest block itself: t_p prod ceil(G/d_k) / G^3 */
    u[1] = (sw_term){.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_BLOCKS3, .i = 2 * dmax, .j = 1};
    sw_fitws ws;
    double *b = malloc(m * sizeof *b), keep_g[KEEP] = {0}, keep_r[KEEP];
    if (!b || sw_fitws_init(&ws, u, 3, gr, m)) {
        free(b);
        sw_fitws_free(&ws);
        return 0;
    }
    for (size_t k = 0; k < KEEP; k++)
        keep_r[k] = INFINITY;
    for (size_t g = 0; g < m; g++)
        b[g] = ws.sw[g] * gr[g].mean;
    size_t idx[3] = {0, 1, 2};
    for (double g = 2 * dmax; g <= STENCIL_GRID_MAX; g++) {
        double coef[3];
        u[1].i = g;
        for (size_t row = 0; row < m; row++)
            ws.g[row * 3 + 1] = sw_term_eval(&u[1], gr[row].n);
        double rss = sw_fit_nnls(&ws, idx, 3, m, b, coef);
        size_t w = 0; /* replace the worst kept */
        for (size_t k = 1; k < KEEP; k++)
            if (keep_r[k] > keep_r[w])
                w = k;
        if (isfinite(rss) && rss < keep_r[w]) {
            keep_r[w] = rss;
            keep_g[w] = g;
        }
    }
    sw_fitws_free(&ws);
    free(b);
    /* then the few best with the faces of their own blocks */
    double best = INFINITY, best_g = 0, tried = STENCIL_GRID_MAX - 2 * dmax + 1;
    for (size_t k = 0; k < KEEP; k++) {
        double rss;
        if (!(keep_g[k] > 0))
            continue;
        u[1].i = keep_g[k];
        u[2].j = flags + SW_STENCIL_GRID * (int)keep_g[k];
        last_coef(u, 3, gr, m, &rss);
        if (rss < best) {
            best = rss;
            best_g = keep_g[k];
        }
    }
    /* G is the best of `tried` candidates: it must gain more than the best
     * of that many pure-noise candidates would (a chi-square gain of
     * 2 ln(tried) against the residual variance it leaves, BIC's price of
     * a parameter searched over that many values) */
    double dof = (double)m - 4;
    if (!(dof >= 1) || !(best < none) ||
        !(none - best > 2 * log(tried) * fmax(best, 0) / dof))
        return 0;
    return best_g;
}

static sw_term stencil_term(const sw_platform *p, const level *lv, size_t nl)
{
    sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_STENCIL};
    for (size_t l = 0; l < nl && t.nparts + 2 <= SW_TERM_MAXPARTS; l++) {
        t.part[t.nparts++] = (sw_term_part){SW_PART_ALPHA, lv[l].at, lv[l].alpha};
        t.part[t.nparts++] = (sw_term_part){SW_PART_BETA, lv[l].at, lv[l].beta};
    }
    if (p->smpi_factors)
        t.j |= SW_A2A_SMPI;
    if (strcmp(p->mpi_allreduce, "rab_rdb") == 0 || strcmp(p->mpi_allreduce, "redbcast") == 0)
        t.j |= SW_STENCIL_RAB;
    if (p->units_per_node > 1 && nl > 1)
        t.j |= SW_STENCIL_NODE;
    snprintf(t.label, sizeof t.label, "stencil%s@%.24s", p->smpi_factors ? "+smpi" : "",
             p->name);
    return t;
}

sw_term sw_fit_platform_sync(const sw_platform *p)
{
    level lv[3];
    size_t nl = sw_fit_platform_levels(p, lv);
    sw_term t = composite(SW_ROLE_COMM, SW_PART_LOG, lv, nl, 0, 0, "sync", p->name);
    double a0 = 0; /* composite's reference: the first level's latency */
    for (size_t l = 0; l < nl && !(a0 > 0); l++)
        a0 = lv[l].alpha;
    /* a small message under SMPI's default network pays its latency factor
     * (as the master's requests do, sw_fit_platform_latency) */
    double lat = 1, bw;
    message_factors(p->smpi_factors, 0, &lat, &bw);
    for (size_t k = 0; k < t.nparts; k++)
        t.part[k].w *= a0 > 0 ? a0 * lat : 0;
    if (p->smpi_factors)
        snprintf(t.label, sizeof t.label, "sync+smpi@%.24s", p->name);
    return t;
}

size_t sw_fit_platform_terms(const sw_platform *p, const sw_fit_group *gr, size_t m, sw_term *out,
                             size_t cap)
{
    level lv[3];
    size_t nl = sw_fit_platform_levels(p, lv), n = 0;
    sw_term topo[5] = {
        composite(SW_ROLE_COMM, SW_PART_LOG, lv, nl, 0, 0, "tree", p->name),
        composite(SW_ROLE_COMM, SW_PART_LOG, lv, nl, 1, 0, "treebytes", p->name),
        composite(SW_ROLE_COMM, SW_PART_FRAC, lv, nl, 1, 0, "bandwidth", p->name),
        composite(SW_ROLE_COMM, SW_PART_LIN, lv, nl, 0, 1, "chain", p->name),
        composite(SW_ROLE_COMM, SW_PART_VOL, lv, nl, 1, 0, "transpose", p->name),
    };
    /* the all-to-all's algorithm switches even on one level: when the
     * platform names its MPI's choice, the selected algorithm is the
     * platform's account of an all-to-all volume, and the plain volume
     * shapes (one algorithm at every N) are not tried beside it.  Unnamed,
     * there is no such shape: with V free, a selector's switch can be put
     * at any N and fits a knee that is no all-to-all (a pipeline crossing
     * its first node boundary did, on the corpus). */
    sw_term a2a = alltoall_term(p, lv, nl);
    a2a.i = p->mpi_alltoall[0] ? alltoall_volume(a2a, lv, nl, gr, m) : 0;
    int named = a2a.i > 0;
    /* one part is the flat shape itself, already in the catalogue */
    for (size_t k = 0; k < sizeof topo / sizeof topo[0] && n < cap; k++)
        if (topo[k].nparts > 1 && !(named && topo[k].part[0].kind == SW_PART_VOL))
            out[n++] = topo[k];
    if (a2a.i > 0 && n < cap)
        out[n++] = a2a;
    /* a 3-D stencil's halo, even on one level: its latencies and its
     * allreduce, invisible on few ranks, come from the platform; its grid
     * quantises the compute */
    sw_term st = stencil_term(p, lv, nl), bytes = st;
    bytes.i = 1;
    bytes.j |= SW_STENCIL_BYTES;
    sw_term blk = {.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_BLOCKS3};
    blk.i = grid_size(bytes, gr, m); /* beside the bytes alone, then the whole term */
    st.i = seconds_volume(st, bytes, blk.i > 0 ? &blk : NULL, gr, m);
    if (st.i > 0) {
        blk.i = grid_size(st, gr, m);
        st.j = st.j % SW_STENCIL_GRID + SW_STENCIL_GRID * (int)blk.i;
        bytes.j = bytes.j % SW_STENCIL_GRID + SW_STENCIL_GRID * (int)blk.i;
        st.i = seconds_volume(st, bytes, blk.i > 0 ? &blk : NULL, gr, m);
    }
    if (st.i > 0 && n < cap)
        out[n++] = st;
    if (blk.i > 0 && n < cap)
        out[n++] = blk;
    return n;
}

/* The latency of a small message from rank 0 to a rank r ranks away, by
 * level: alpha[l] from r >= at[l] on (SMPI's default factor for messages
 * under 257 bytes applied when the platform names that network).  For the
 * master-worker floor (fit_master.c): rank 0 is the master. */
size_t sw_fit_platform_latency(const sw_platform *p, double *at, double *alpha, size_t cap)
{
    level lv[3];
    size_t nl = sw_fit_platform_levels(p, lv), n = 0;
    double lat = 1, bw;
    message_factors(p->smpi_factors, 0, &lat, &bw);
    for (size_t l = 0; l < nl && n < cap; l++) {
        at[n] = lv[l].at;
        alpha[n++] = lv[l].alpha * lat;
    }
    return n;
}

/* The flat shape a platform term refines: a hypothesis holds one of them. */
int sw_fit_platform_refines(const sw_term *plat, const sw_term *flat)
{
    if (plat->shape == SW_SHAPE_STENCIL) /* the halo surface, flat or by level */
        return flat->shape == SW_SHAPE_HALO3 ||
               (flat->shape == SW_SHAPE_PLATFORM && flat->nparts > 0 &&
                flat->part[0].kind == SW_PART_HALO);
    if (plat->shape == SW_SHAPE_ALLTOALL) /* the transpose's volume, flat or by level */
        return flat->shape == SW_SHAPE_TRANSPOSE ||
               (flat->shape == SW_SHAPE_PLATFORM && flat->nparts > 0 &&
                flat->part[0].kind == SW_PART_VOL);
    if (plat->shape != SW_SHAPE_PLATFORM || plat->nparts == 0)
        return 0;
    switch (plat->part[0].kind) {
    case SW_PART_LOG: return flat->shape == SW_SHAPE_POWLOG && flat->i == 0 && flat->j == 1;
    case SW_PART_FRAC: return flat->shape == SW_SHAPE_BANDWIDTH;
    case SW_PART_LIN: return flat->shape == SW_SHAPE_LINEAR;
    case SW_PART_VOL: return flat->shape == SW_SHAPE_TRANSPOSE;
    case SW_PART_HALO: return flat->shape == SW_SHAPE_HALO3;
    case SW_PART_ALPHA:
    case SW_PART_BETA:
    case SW_PART_STEP: return 0;
    }
    return 0;
}

sw_status sw_fit_platform_spec(const char *spec, sw_platform *out, sw_error *err)
{
    /* "flat", "flat:...", "fattree[:...]"; a file flat.json is a file */
    size_t kw = strncmp(spec, "flat", 4) == 0 ? 4 : strncmp(spec, "fattree", 7) == 0 ? 7 : 0;
    if (!kw || (spec[kw] != '\0' && spec[kw] != ':'))
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
    /* what `measure --platform` runs: SMPI's default alltoall (Open MPI's
     * decision) on the clean alpha-beta network */
    snprintf(out->mpi_alltoall, sizeof out->mpi_alltoall, "ompi");
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
