/* fit_shapes.c — the shapes g(N) a model of T(N) is built from, each with
 * the mechanism it stands for, and the catalogue the fit tries.
 *
 * Costs that grow with N (trees, rings, bandwidth, meshes, all-pairs) sit
 * beside costs that shrink with it but more slowly than the payload t_p/N:
 * the expected slowest of N ranks (stragglers), halo surfaces and the volume
 * of a transpose.  Leaving the shrinking ones out books their misfit as
 * noise or as a serial floor, which is wrong by a growing factor at large N.
 * The parameterisations are chosen to stay identifiable: (N-1)/N = 1 - 1/N
 * and (N-1)/N^2 = 1/N - 1/N^2 are never tried beside both of the terms they
 * are made of (fit_select.c), and every communication shape is 0 at N = 1
 * where one rank sends nothing, except the halo surfaces, whose N = 1 value
 * is the block's own boundary. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_psi.h>

#include "fit_internal.h"

static double powlog(const sw_term *t, double n)
{
    double l = log2(n), v;
    if (t->i == 0.0)
        v = 1.0;
    else if (t->i == 1.0)
        v = n;
    else if (t->i == -1.0)
        v = 1.0 / n;
    else if (t->i == 2.0)
        v = n * n;
    else if (t->i == 0.5)
        v = sqrt(n);
    else
        v = exp2(t->i * l);
    for (int k = 0; k < t->j; k++)
        v *= l;
    return v;
}

/* MPI_Dims_create(N, 3): N's prime factors, largest first, each to the
 * currently smallest axis (balanced, as MPICH and Open MPI cut).  Past 2^24
 * units the block is taken as a cube (the factorisation would dominate the
 * cost of evaluating far-out answers). */
static int dims3(double n, double d[3])
{
    double r = round(n);
    if (r > 16777216 || r < 1)
        return 0;
    unsigned long v = (unsigned long)r, f[64];
    size_t nf = 0;
    for (unsigned long p = 2; p * p <= v; p++)
        while (v % p == 0 && nf < 64) {
            f[nf++] = p;
            v /= p;
        }
    if (v > 1 && nf < 64)
        f[nf++] = v;
    d[0] = d[1] = d[2] = 1;
    for (size_t k = nf; k-- > 0;) { /* factors come out ascending */
        int s = d[0] <= d[1] ? (d[0] <= d[2] ? 0 : 2) : (d[1] <= d[2] ? 1 : 2);
        d[s] *= (double)f[k];
    }
    return 1;
}

static double halo3(double n, int faces)
{
    double d[3];
    if (!dims3(n, d))
        return faces ? 6 : 6 * exp2(-2.0 / 3 * log2(n));
    double v = 0;
    for (int i = 0; i < 3; i++)
        if (d[i] > 1)
            v += faces ? 2 : 2 / (d[(i + 1) % 3] * d[(i + 2) % 3]);
    return v;
}

int sw_fit_cart_dims(double n, double d[3])
{
    if (!dims3(n, d))
        return 0;
    for (int a = 0; a < 2; a++) /* non-increasing, as MPI_Dims_create */
        for (int b = a + 1; b < 3; b++)
            if (d[b] > d[a]) {
                double t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
    return 1;
}

/* The largest block of a G^3 grid cut by MPI_Dims_create(N, 3), ceil(G/d)
 * points along each axis (the first G mod d blocks get one more), beyond
 * the even share 1/N: the compute the slowest rank does in excess. */
static double blocks3(double n, double g)
{
    double d[3], r = round(n);
    if (!(r > 1) || !(g >= 1) || !dims3(r, d))
        return 0;
    double v = ceil(g / d[0]) / g * (ceil(g / d[1]) / g) * (ceil(g / d[2]) / g) - 1 / r;
    return v > 0 ? v : 0;
}

/* The surface of the cut axes whose face messages cross a group of `at`
 * ranks (a node, a leaf).  MPI_Cart_create numbers ranks row-major over the
 * dims in MPI_Dims_create's non-increasing order, so the last axis has
 * stride 1, the middle one d_2, the first d_1 d_2.  An axis' neighbours
 * (periodic) stay inside its run of stride x d consecutive ranks; when such
 * runs tile the group (at a multiple of stride x d) every face along the
 * axis stays inside, otherwise the slowest rank has one outside.  At at = 1
 * every cut axis counts: halo3d(N) itself. */
static double halo_crossing(double n, double at)
{
    double d[3];
    if (!(n > at))
        return 0;
    if (!sw_fit_cart_dims(n, d))
        return halo3(n, 0); /* past 2^24 units: every face crosses */
    double v = 0, stride = 1;
    for (int a = 2; a >= 0; a--) {
        double run = stride * d[a];
        if (d[a] > 1 && fmod(at, run) != 0)
            v += 2 / (d[(a + 1) % 3] * d[(a + 2) % 3]);
        stride = run;
    }
    return v;
}

/* The expected largest of N independent log-normal factors of mean 1 and
 * log-sd sigma, exp(sigma Z - sigma^2/2): E[exp(sigma M - sigma^2/2)] with
 * M the largest of N standard normals, whose density is
 * N phi(x) Phi(x)^(N-1).  Simpson's rule over the tilted density's mass
 * (Blom's m_N = Phi^-1((N - 3/8)/(N + 1/4)) locates the maximum; the factor
 * exp(sigma x) moves its weight up by about sigma), 240 intervals: within
 * 1e-6 of the closed forms N = 2 (2 Phi(sigma/sqrt 2)) in the tests.  N need
 * not be whole (answers are searched on real N). */
static double lognormal_max_integral(double n, double sigma)
{
    double m = gsl_cdf_ugaussian_Pinv((n - 0.375) / (n + 0.25));
    double lo = m - 7, hi = m + sigma + 7, h = (hi - lo) / 240, acc = 0;
    for (int k = 0; k <= 240; k++) {
        double x = lo + h * k;
        /* log Phi(x) from the tail that keeps its digits */
        double z = x * 0.70710678118654752; /* x / sqrt 2 */
        double logp = x > 0 ? log1p(-0.5 * erfc(z)) : log(0.5 * erfc(-z));
        double e = sigma * x - 0.5 * sigma * sigma - 0.5 * x * x + (n - 1) * logp;
        if (e < -745) /* exp underflows to 0 (and its slow path costs) */
            continue;
        double f = exp(e) * n / 2.5066282746310002; /* sqrt(2 pi) */
        acc += f * (k == 0 || k == 240 ? 1 : k % 2 ? 4 : 2);
    }
    return acc * h / 3;
}

/* The integral costs ~10 us (241 normal tails, logs and exps), and a fit
 * asks for it tens of thousands of times at different N (every hypothesis,
 * resample and validation fold, then the answers searched on real N): the
 * fit of the 100-point sweep spent 0.9 s here.  As a function of u = ln N
 * it is smooth, so it is tabulated once per sigma and thread at 16 nodes per
 * unit of u up to N = e^21 (~1.3e9; a few ms) and read back by 4-point
 * Lagrange interpolation (test_fit holds it within 1e-5 of a fine integral
 * up to N = 5e9; beyond the table, the integral itself).  The table is a
 * cache of a pure function: callers observe nothing but the speed. */
enum { LNMAX_PER_U = 16, LNMAX_UMAX = 21, LNMAX_NODES = LNMAX_UMAX * LNMAX_PER_U + 1,
       LNMAX_TABLES = 4 };
typedef struct {
    double sigma;
    int ready;
    double v[LNMAX_NODES];
} lnmax_table;
static _Thread_local lnmax_table lnmax_tables[LNMAX_TABLES];
static _Thread_local unsigned lnmax_next;

static const lnmax_table *lnmax_table_for(double sigma)
{
    for (int i = 0; i < LNMAX_TABLES; i++)
        if (lnmax_tables[i].ready && lnmax_tables[i].sigma == sigma)
            return &lnmax_tables[i];
    lnmax_table *t = &lnmax_tables[lnmax_next++ % LNMAX_TABLES];
    t->sigma = sigma;
    t->v[0] = 1;
    for (int k = 1; k < LNMAX_NODES; k++)
        t->v[k] = lognormal_max_integral(exp((double)k / LNMAX_PER_U), sigma);
    t->ready = 1;
    return t;
}

double sw_lognormal_max(double n, double sigma)
{
    if (!(n > 1))
        return 1;
    double x = log(n) * LNMAX_PER_U;
    if (!(x < LNMAX_NODES - 1) || !(sigma >= 0) || !isfinite(sigma))
        return lognormal_max_integral(n, sigma);
    const lnmax_table *t = lnmax_table_for(sigma);
    int j = (int)x - 1;
    if (j < 0)
        j = 0;
    if (j > LNMAX_NODES - 4)
        j = LNMAX_NODES - 4;
    double v = 0;
    for (int a = 0; a < 4; a++) {
        double w = 1;
        for (int b = 0; b < 4; b++)
            if (b != a)
                w *= (x - (j + b)) / (double)(a - b);
        v += w * t->v[j + a];
    }
    return v;
}

/* H_N - 1, H_N = 1 + 1/2 + ... + 1/N: the expected largest of N independent
 * exponentials of mean 1 (Renyi: the gaps between order statistics are
 * exponentials of means 1/N, 1/(N-1), ..., 1), less the mean every rank
 * pays.  psi(N + 1) + gamma extends it to real N (answers are searched on
 * real N); 0 at N = 1. */
static double harmonic_excess(double n)
{
    return n > 1 ? gsl_sf_psi(n + 1) + 0.57721566490153286061 - 1 : 0;
}

static double part_eval(const sw_term_part *p, double n)
{
    switch (p->kind) {
    case SW_PART_HALO: return p->w * halo_crossing(n, p->at);
    case SW_PART_LOG: return n > p->at ? p->w * log2(n / p->at) : 0;
    case SW_PART_FRAC: return n > p->at ? p->w * (1 - p->at / n) : 0;
    case SW_PART_LIN: return n > p->at ? p->w * (n - p->at) : 0;
    case SW_PART_VOL: return n > p->at ? p->w * (n - p->at) / (n * n) : 0;
    case SW_PART_STEP: return n > p->at ? p->w : 0;
    case SW_PART_ALPHA:
    case SW_PART_BETA: break; /* an all-to-all's levels, read by sw_fit_alltoall_eval */
    }
    return 0;
}

/* Rounds of T tasks over N - 1 workers, per task: ceil(T/(N-1))/T.  Real N
 * between 1 and 2 (the answers search on real N) take one worker. */
static double task_rounds(double tasks, double n)
{
    double workers = n - 1 >= 1 ? floor(n - 1 + 1e-9) : 1;
    return ceil(tasks / workers - 1e-9) / tasks;
}

double sw_term_eval(const sw_term *t, double n)
{
    switch (t->shape) {
    case SW_SHAPE_POWLOG: return powlog(t, n);
    case SW_SHAPE_BANDWIDTH: return (n - 1.0) / n;
    case SW_SHAPE_STRAGGLER: return log2(n) / n;
    case SW_SHAPE_STRAGGLER_EXP: return harmonic_excess(n) / n;
    case SW_SHAPE_STRAGGLER_GAUSS: return sqrt(2 * log(n)) / n;
    case SW_SHAPE_STRAGGLER_LOGN: return (sw_lognormal_max(n, t->i) - 1) / n;
    case SW_SHAPE_TRANSPOSE: return (n - 1.0) / (n * n);
    case SW_SHAPE_LINEAR: return n - 1.0;
    case SW_SHAPE_STEP: return n > 1 ? 1.0 : 0.0;
    case SW_SHAPE_SQRT1: return sqrt(n) - 1.0;
    case SW_SHAPE_HALO3: return halo3(n, 0);
    case SW_SHAPE_FACES3: return halo3(n, 1);
    case SW_SHAPE_ALLTOALL: return sw_fit_alltoall_eval(t, n);
    case SW_SHAPE_TASKS: return n < 2 ? 1.0 : task_rounds(t->i, n);
    case SW_SHAPE_SLOWEST:
        return (1 + t->k * (sw_jitter_emax((sw_jitter_family)t->j, t->i, n) - 1)) / n;
    case SW_SHAPE_TASK_TRIPS: return n < 2 ? 0.0 : task_rounds(t->i, n);
    case SW_SHAPE_STENCIL: return sw_fit_stencil_eval(t, n);
    case SW_SHAPE_BLOCKS3: /* j = 1: the whole block (the grid search's payload) */
        return blocks3(n, t->i) + (t->j == 1 ? 1 / fmax(round(n), 1) : 0);
    case SW_SHAPE_PLATFORM: {
        double v = 0;
        for (size_t k = 0; k < t->nparts && k < SW_TERM_MAXPARTS; k++)
            v += part_eval(&t->part[k], n);
        return v;
    }
    }
    return NAN;
}

static void exponent_text(double i, char *buf, size_t size)
{
    static const struct {
        double v;
        const char *s;
    } frac[] = {{0.25, "1/4"},  {1.0 / 3, "1/3"}, {0.5, "1/2"},    {2.0 / 3, "2/3"},
                {0.75, "3/4"},  {1.25, "5/4"},    {4.0 / 3, "4/3"}, {1.5, "3/2"},
                {5.0 / 3, "5/3"}, {1.75, "7/4"}, {-0.5, "-1/2"},   {-2.0 / 3, "-2/3"}};
    for (size_t k = 0; k < sizeof frac / sizeof frac[0]; k++)
        if (fabs(i - frac[k].v) < 1e-9) {
            snprintf(buf, size, "(%s)", frac[k].s);
            return;
        }
    snprintf(buf, size, "%g", i);
}

static void powlog_name(const sw_term *t, char *buf, size_t size)
{
    if (t->i == -1.0 && t->j == 0) {
        snprintf(buf, size, "1/N");
        return;
    }
    char pw[32] = "", lg[32] = "";
    if (t->i == 1.0)
        snprintf(pw, sizeof pw, "N");
    else if (t->i != 0.0) {
        char e[16];
        exponent_text(t->i, e, sizeof e);
        snprintf(pw, sizeof pw, "N^%s", e);
    }
    if (t->j == 1)
        snprintf(lg, sizeof lg, "log2(N)");
    else if (t->j > 1)
        snprintf(lg, sizeof lg, "log2(N)^%d", t->j);
    if (!pw[0] && !lg[0])
        snprintf(buf, size, "1");
    else
        snprintf(buf, size, "%s%s%s", pw, pw[0] && lg[0] ? "*" : "", lg);
}

void sw_term_name(const sw_term *t, char *buf, size_t size)
{
    switch (t->shape) {
    case SW_SHAPE_POWLOG: powlog_name(t, buf, size); return;
    case SW_SHAPE_BANDWIDTH: snprintf(buf, size, "(N-1)/N"); return;
    case SW_SHAPE_STRAGGLER: snprintf(buf, size, "log2(N)/N"); return;
    case SW_SHAPE_STRAGGLER_EXP: snprintf(buf, size, "(H(N)-1)/N"); return;
    case SW_SHAPE_STRAGGLER_GAUSS: snprintf(buf, size, "sqrt(2ln(N))/N"); return;
    case SW_SHAPE_STRAGGLER_LOGN: snprintf(buf, size, "(maxLN(N;%g)-1)/N", t->i); return;
    case SW_SHAPE_TRANSPOSE: snprintf(buf, size, "(N-1)/N^2"); return;
    case SW_SHAPE_LINEAR: snprintf(buf, size, "N-1"); return;
    case SW_SHAPE_STEP: snprintf(buf, size, "[N>1]"); return;
    case SW_SHAPE_SQRT1: snprintf(buf, size, "N^(1/2)-1"); return;
    case SW_SHAPE_HALO3: snprintf(buf, size, "halo3d(N)"); return;
    case SW_SHAPE_FACES3: snprintf(buf, size, "faces3d(N)"); return;
    case SW_SHAPE_PLATFORM: snprintf(buf, size, "%s", t->label[0] ? t->label : "platform"); return;
    case SW_SHAPE_ALLTOALL: snprintf(buf, size, "%s", t->label[0] ? t->label : "alltoall"); return;
    case SW_SHAPE_TASKS: snprintf(buf, size, "tasks(N;%.15g)", t->i); return;
    case SW_SHAPE_SLOWEST:
        if (t->j == SW_JITTER_LOGNORMAL)
            snprintf(buf, size, "slowestLN(N;%.3g,%.3g)/N", t->i, t->k);
        else
            snprintf(buf, size, "slowestExp(N;%.3g)/N", t->k);
        return;
    case SW_SHAPE_TASK_TRIPS: snprintf(buf, size, "trips(N;%.15g)", t->i); return;
    case SW_SHAPE_STENCIL: snprintf(buf, size, "%s", t->label[0] ? t->label : "stencil"); return;
    case SW_SHAPE_BLOCKS3: snprintf(buf, size, "blocks3d(N;%g)-1/N", t->i); return;
    }
    snprintf(buf, size, "?");
}

const char *sw_term_mechanism(const sw_term *t)
{
    switch (t->shape) {
    case SW_SHAPE_BANDWIDTH:
        return "bandwidth-optimal collective of a fixed message; a pipeline's bubble";
    case SW_SHAPE_STRAGGLER:
        return "waiting for the slowest of N ranks, exponential-tailed jitter (max ~ ln N)";
    case SW_SHAPE_STRAGGLER_EXP:
        return "waiting for the slowest of N ranks, exponential-tailed jitter (max = H_N)";
    case SW_SHAPE_STRAGGLER_GAUSS:
        return "waiting for the slowest of N ranks, Gaussian jitter (max ~ sqrt(2 ln N))";
    case SW_SHAPE_STRAGGLER_LOGN:
        return "waiting for the slowest of N ranks, log-normal (heavy-tailed) jitter";
    case SW_SHAPE_TRANSPOSE: return "all-to-all transpose: the volume one rank sends";
    case SW_SHAPE_LINEAR: return "one message per peer: ring or pairwise latency (USL kappa)";
    case SW_SHAPE_STEP: return "a fixed cost of going parallel, absent on one unit";
    case SW_SHAPE_SQRT1: return "2-D mesh distance";
    case SW_SHAPE_PLATFORM:
        return sw_fit_is_pipe(t) ? "a pipeline's hops (GPipe): N-1 to fill and drain, M-1 more "
                                   "at the slowest hop"
                                 : "a collective's cost on the given platform";
    case SW_SHAPE_ALLTOALL:
        return "all-to-all of a fixed volume: the algorithm the MPI library picks at each N";
    case SW_SHAPE_STENCIL:
        return "3-D stencil iteration on the platform: six face messages at once (bytes through "
               "each shared link, the farthest latency) and a scalar allreduce";
    case SW_SHAPE_BLOCKS3:
        return "compute of the largest block of a grid cut by MPI_Dims_create (ceil(G/d) points "
               "along each axis) beyond the even share";
    case SW_SHAPE_HALO3:
        return "3-D halo exchange of a grid cut by MPI_Dims_create: the block's cut faces";
    case SW_SHAPE_FACES3: return "3-D halo exchange: one message per cut face (latency)";
    case SW_SHAPE_SLOWEST:
        return "the payload waits for the slowest of N ranks: one rank's measured step times "
               "(--step-times)";
    case SW_SHAPE_TASKS:
        return "master-worker payload: rounds of the tasks over N - 1 workers (rank 0 alone "
               "at N = 1)";
    case SW_SHAPE_TASK_TRIPS:
        return "master-worker: each task's request, reply and service at the master (its "
               "saturation floors the time)";
    case SW_SHAPE_POWLOG: break;
    }
    if (t->i == 0 && t->j == 0)
        return t->role == SW_ROLE_SERIAL ? "compute that does not divide (serial part)"
                                         : "a constant cost";
    if (t->i == -1 && t->j == 0)
        return "compute that divides among units (the payload)";
    if (t->i == 0 && t->j == 1)
        return "tree or recursive-doubling latency: log2 N steps";
    if (fabs(t->i + 2.0 / 3) < 1e-9 && t->j == 0)
        return "3-D halo exchange: a block's surface";
    if (t->i == -0.5 && t->j == 0)
        return "2-D halo exchange: a block's edge";
    if (t->i == 1 && t->j == 1)
        return "all-pairs exchange with a log factor (Bruck volume)";
    return "an Extra-P shape without a named mechanism";
}

int sw_term_same(const sw_term *a, const sw_term *b)
{
    if (a->shape != b->shape)
        return 0;
    if (a->shape == SW_SHAPE_POWLOG)
        return fabs(a->i - b->i) < 1e-12 && a->j == b->j;
    if (a->shape == SW_SHAPE_STRAGGLER_LOGN || a->shape == SW_SHAPE_TASKS ||
        a->shape == SW_SHAPE_TASK_TRIPS || a->shape == SW_SHAPE_BLOCKS3)
        return fabs(a->i - b->i) < 1e-12;
    if (a->shape == SW_SHAPE_SLOWEST)
        return a->i == b->i && a->j == b->j && a->k == b->k;
    if ((a->shape == SW_SHAPE_ALLTOALL || a->shape == SW_SHAPE_STENCIL) &&
        (a->i != b->i || a->j != b->j))
        return 0;
    if (a->shape != SW_SHAPE_PLATFORM && a->shape != SW_SHAPE_ALLTOALL &&
        a->shape != SW_SHAPE_STENCIL)
        return 1;
    if (a->nparts != b->nparts || strcmp(a->label, b->label) != 0)
        return 0;
    for (size_t k = 0; k < a->nparts; k++)
        if (a->part[k].kind != b->part[k].kind || a->part[k].at != b->part[k].at ||
            a->part[k].w != b->part[k].w)
            return 0;
    return 1;
}

static const double extrap_powers[] = {0,    0.25,    1.0 / 3, 0.5,     2.0 / 3, 0.75, 1,
                                       1.25, 4.0 / 3, 1.5,     5.0 / 3, 1.75,    2};
#define NPOWERS (sizeof extrap_powers / sizeof extrap_powers[0])

size_t sw_fit_comm_terms(sw_term *out, size_t cap)
{
    size_t n = 0;
    for (size_t p = 0; p < NPOWERS; p++)
        for (int j = 0; j <= 2; j++) {
            if (extrap_powers[p] == 0 && j == 0)
                continue;
            if (out && n < cap)
                out[n] = (sw_term){.role = SW_ROLE_COMM, .shape = SW_SHAPE_POWLOG,
                                   .i = extrap_powers[p], .j = j};
            n++;
        }
    if (out && n < cap)
        out[n] = (sw_term){.role = SW_ROLE_COMM, .shape = SW_SHAPE_BANDWIDTH};
    return n + 1;
}

#define T(r, s, ii, jj) ((sw_term){.role = (r), .shape = (s), .i = (ii), .j = (jj)})

/* The named shapes, in catalogue order.  Strong scaling leaves out (N-1)/N:
 * it is 1 - 1/N, so with the payload term it draws exactly the curves of
 * the serial term (a bandwidth-bound collective of a fixed message reads as
 * serial time; only a platform with levels tells them apart).  Weak scaling
 * has no shrinking shapes: with the work per unit fixed, a straggler wait
 * grows like the expected maximum itself (log2 N, as a tree does) and a
 * halo stays put. */
size_t sw_fit_catalogue(sw_fit_form form, int extrap, sw_term *out, size_t cap, size_t *named)
{
    sw_term strong[] = {
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, 0, 1),          /* log2 N */
        T(SW_ROLE_COMM, SW_SHAPE_LINEAR, 0, 0),          /* N-1 */
        T(SW_ROLE_COMM, SW_SHAPE_SQRT1, 0, 0),           /* sqrt N - 1 */
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, 1, 1),          /* N log2 N */
        T(SW_ROLE_WAIT, SW_SHAPE_STRAGGLER_EXP, 0, 0),   /* (H_N - 1)/N */
        T(SW_ROLE_WAIT, SW_SHAPE_STRAGGLER_GAUSS, 0, 0), /* sqrt(2 ln N)/N */
        T(SW_ROLE_WAIT, SW_SHAPE_STRAGGLER_LOGN, 0.5, 0), /* log-normal tails, log-sd */
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, -2.0 / 3, 0),   /* 3-D halo */
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, -0.5, 0),       /* 2-D halo */
        T(SW_ROLE_COMM, SW_SHAPE_HALO3, 0, 0),           /* 3-D halo, MPI_Dims_create */
        T(SW_ROLE_COMM, SW_SHAPE_TRANSPOSE, 0, 0),       /* (N-1)/N^2 */
        T(SW_ROLE_COMM, SW_SHAPE_STEP, 0, 0),            /* [N>1] */
    };
    sw_term weak[] = {
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, 0, 1), T(SW_ROLE_COMM, SW_SHAPE_BANDWIDTH, 0, 0),
        T(SW_ROLE_COMM, SW_SHAPE_LINEAR, 0, 0), T(SW_ROLE_COMM, SW_SHAPE_SQRT1, 0, 0),
        T(SW_ROLE_COMM, SW_SHAPE_POWLOG, 1, 1), T(SW_ROLE_COMM, SW_SHAPE_STEP, 0, 0),
    };
    const sw_term *src = form == SW_FIT_WEAK ? weak : strong;
    size_t ns = form == SW_FIT_WEAK ? sizeof weak / sizeof weak[0]
                                    : sizeof strong / sizeof strong[0];
    size_t n = 0;
    for (size_t k = 0; k < ns && n < cap; k++)
        out[n++] = src[k];
    *named = n;
    if (!extrap)
        return n;
    sw_term fam[64];
    size_t nf = sw_fit_comm_terms(fam, 64);
    for (size_t k = 0; k < nf && n < cap; k++) {
        int dup = form == SW_FIT_STRONG && fam[k].shape == SW_SHAPE_BANDWIDTH;
        for (size_t q = 0; q < n && !dup; q++)
            dup = sw_term_same(&out[q], &fam[k]);
        if (!dup)
            out[n++] = fam[k];
    }
    return n;
}
