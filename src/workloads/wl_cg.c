/* wl_cg.c — `cg`: the HPCG-like workload.  Unpreconditioned conjugate
 * gradient on HPCG's matrix: the 27-point stencil of a 3-D grid, 26 on the
 * diagonal and -1 for each in-grid neighbour, stored explicitly (every
 * value in memory, read by every product) in a sliced ELLPACK layout.
 * The grid is cut into slabs along z (1-D decomposition), one ghost plane
 * each side exchanged with MPI point-to-point before every product, and the
 * two dot products of an iteration are MPI_Allreduce sums.
 *
 * The right-hand side is b = A 1, so the exact solution is known, and the
 * check holds the run to two things CG must satisfy: the A-norm error bound
 * of CG theory with the matrix's exact condition number, and agreement of
 * the recurrence residual with the true residual b - A x computed by an
 * independent matrix-free stencil (which is what catches a wrong product).
 *
 * Why sliced ELLPACK and not HPCG's reference CSR: CSR costs three loads a
 * nonzero (value, column, gathered input), which on one core of this kind of
 * machine caps the product at ~0.65 of the STREAM triad's bandwidth, load
 * ports busy and memory idle.  Here SW_CG_SLICE consecutive rows form a
 * slice stored slot by slot: slot j holds the j-th stencil neighbour's value
 * for each row of the slice and one column index, the first row's; the
 * slice's other rows read the next inputs, because the 27 neighbours of
 * consecutive rows are consecutive columns.  Rows missing a neighbour (the
 * grid's faces) hold an explicit 0 there, so every slot has that shape and
 * the product is vector loads only.  This is what optimised HPCG codes do
 * (SELL-C-sigma with C = 8); the product streams 8.5 bytes a slot, and the
 * bytes it reports are the ones it moves, padding included. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/smpi_support.h"
#include "workloads/wl_util.h"
#include "workloads/workload.h"

#define CG_NNZ_ROW 27
#define SW_CG_SLICE 8 /* rows a slice: one AVX-512 register, two AVX2 */
#define CG_FP_FLOOR 64.0 /* the bounds' allowance for rounding, in units of eps k */
#define CG_PI 3.14159265358979323846
#define CG_VEC_SWEEPS 8 /* vector traffic of an iteration, in arrays of m doubles (cg_run) */
#define CG_RESID_TOL 1e-8 /* |true - recurrence residual| / ||b||; fp drift is ~1e-12 */

enum { P_NX, P_NY, P_NZ, P_ITERS, P_CORRUPT, P_COUNT };
static const sw_wlp cg_params[P_COUNT] = {
    [P_NX] = {"nx", SW_WLP_INT, 2, 4096, 64, 0},
    [P_NY] = {"ny", SW_WLP_INT, 2, 4096, 64, 0},
    [P_NZ] = {"nz", SW_WLP_INT, 1, 1 << 20, 64, 0},
    [P_ITERS] = {"iters", SW_WLP_INT, 1, 100000, 50, 0},
    [P_CORRUPT] = {"corrupt", SW_WLP_INT, 0, 1, 0, 0},
};

typedef struct cg_state {
    int nx, ny, nzg, z0, nzl, iters, corrupt, nthreads, rank, size;
    long plane, m;       /* points per plane, local rows */
    long nslice;         /* slices of SW_CG_SLICE rows, the last one padded */
    double nnz_global;   /* the matrix's true nonzeros (flops count these) */
    double slices_global;
    int *col;            /* per slice and slot: first row's index into p */
    double *val;         /* per slice, slot, row of the slice */
    double *pbase;       /* p's allocation: p is pbase + pad, see alloc_state */
    double *x, *b, *r, *ap, *p; /* p has one ghost plane below and above */
    long nnz_local;
    double r0, rk, bnorm;       /* ||r_0||, ||r_k||, ||b|| */
    double lmin, lmax;
} cg_state;

static sw_status parse(const char *params, sw_wlp *tab, sw_error *err)
{
    memcpy(tab, cg_params, sizeof cg_params);
    return sw_wlp_parse("cg", tab, P_COUNT, params, err);
}

/* Strong: nx x ny x nz is the whole grid.  Weak: it is each unit's share
 * (a unit is a rank x thread, the N of the results), so the global grid is
 * nx x ny x (nz N) and S, E are judged against the N the problem grew with. */
static long global_nz(const sw_wlp *tab, sw_scaling sc, long units)
{
    long nz = sw_wlp_geti(tab, P_COUNT, "nz");
    return sc == SW_SCALING_WEAK ? nz * units : nz;
}

/* p's padding each side: the x and y offsets of the first and last rows
 * (nx + 1) and the last slice's padded rows reach past the ghost planes. */
static long cg_pad(long nx)
{
    return nx + 1 + SW_CG_SLICE;
}

static double cg_bytes(long nx, long plane, long nzl)
{
    double m = (double)plane * nzl, slices = ceil(m / SW_CG_SLICE);
    return slices * CG_NNZ_ROW * (sizeof(int) + SW_CG_SLICE * sizeof(double)) +
           4 * m * sizeof(double) +
           ((double)plane * (nzl + 2) + 2.0 * cg_pad(nx)) * sizeof(double);
}

static sw_status sizes(const sw_wlp *tab, sw_scaling sc, int p, int nthreads, long *nzg,
                       sw_error *err)
{
    *nzg = global_nz(tab, sc, (long)p * (nthreads > 0 ? nthreads : 1));
    if (*nzg < p)
        return sw_error_set(err, SW_EINVAL,
                            "cg: nz=%ld planes cannot be split over %d ranks (1-D "
                            "decomposition needs nz >= ranks)",
                            *nzg, p);
    double rows = (double)sw_wlp_geti(tab, P_COUNT, "nx") * sw_wlp_geti(tab, P_COUNT, "ny") *
                  (double)(*nzg + p - 1) / p;
    if (rows + 2.0 * sw_wlp_geti(tab, P_COUNT, "nx") * sw_wlp_geti(tab, P_COUNT, "ny") +
            2.0 * cg_pad(sw_wlp_geti(tab, P_COUNT, "nx")) >
        2147483647.0)
        return sw_error_set(err, SW_EINVAL, "cg: %.0f rows per rank overflow 32-bit indices",
                            rows);
    return SW_OK;
}

static sw_status cg_estimate(const char *params, sw_scaling sc, int nranks, int nthreads,
                             double *bytes, sw_error *err)
{
    sw_wlp tab[P_COUNT];
    long nzg;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK)
        st = sizes(tab, sc, nranks, nthreads, &nzg, err);
    if (st != SW_OK)
        return st;
    long plane = sw_wlp_geti(tab, P_COUNT, "nx") * sw_wlp_geti(tab, P_COUNT, "ny");
    *bytes = cg_bytes(sw_wlp_geti(tab, P_COUNT, "nx"), plane, (nzg + nranks - 1) / nranks);
    return SW_OK;
}

/* Extreme eigenvalues, exactly: A = 27 I - T (x) T (x) T with T the n x n
 * tridiagonal of ones, whose eigenvalues are 1 + 2 cos(k pi/(n+1)).  The
 * products of one eigenvalue per axis are extreme at the 8 combinations of
 * each axis's smallest and largest. */
static void eig_bounds(int nx, int ny, int nz, double *lmin, double *lmax)
{
    int n[3] = {nx, ny, nz};
    double lo[3], hi[3];
    for (int d = 0; d < 3; d++) {
        double c = cos(CG_PI / (n[d] + 1));
        lo[d] = 1 - 2 * c;
        hi[d] = 1 + 2 * c;
    }
    double mu_min = INFINITY, mu_max = -INFINITY;
    for (int corner = 0; corner < 8; corner++) {
        double mu = 1;
        for (int d = 0; d < 3; d++)
            mu *= (corner >> d & 1) ? hi[d] : lo[d];
        mu_min = fmin(mu_min, mu);
        mu_max = fmax(mu_max, mu);
    }
    *lmin = 27 - mu_max;
    *lmax = 27 - mu_min;
}

static void cg_teardown(void *state)
{
    cg_state *s = state;
    if (!s)
        return;
    free(s->col);
    free(s->val);
    free(s->x);
    free(s->b);
    free(s->r);
    free(s->ap);
    free(s->pbase);
    free(s);
}

/* HPCG's matrix in slices; b = A 1 is the row sum.  Slot j of every row
 * is the neighbour (dx, dy, dz) = (j%3, j/3%3, j/9) - 1, at p index
 * (row + plane) + dz plane + dy nx + dx: the same offset for every row,
 * so a slice's rows read consecutive inputs.  Padded rows past m hold 0. */
static void assemble(cg_state *s)
{
    long nnz = 0;
    for (long sl = 0; sl < s->nslice; sl++)
        for (int j = 0; j < CG_NNZ_ROW; j++) {
            int dx = j % 3 - 1, dy = j / 3 % 3 - 1, dz = j / 9 - 1;
            long first = sl * SW_CG_SLICE;
            s->col[sl * CG_NNZ_ROW + j] =
                (int)(first + s->plane + dz * s->plane + (long)dy * s->nx + dx);
            double *v = s->val + (sl * CG_NNZ_ROW + j) * SW_CG_SLICE;
            for (int r = 0; r < SW_CG_SLICE; r++) {
                long row = first + r;
                int x = (int)(row % s->nx), y = (int)(row / s->nx % s->ny);
                int gz = s->z0 + (int)(row / s->plane) + dz;
                int in = row < s->m && x + dx >= 0 && x + dx < s->nx && y + dy >= 0 &&
                         y + dy < s->ny && gz >= 0 && gz < s->nzg;
                v[r] = !in ? 0.0 : j == CG_NNZ_ROW / 2 ? 26.0 : -1.0;
                nnz += in;
            }
        }
    for (long row = 0; row < s->m; row++) {
        long sl = row / SW_CG_SLICE;
        double sum = 0;
        for (int j = 0; j < CG_NNZ_ROW; j++)
            sum += s->val[(sl * CG_NNZ_ROW + j) * SW_CG_SLICE + row % SW_CG_SLICE];
        s->b[row] = sum;
    }
    s->nnz_local = nnz;
}

static sw_status alloc_state(cg_state *s, sw_error *err)
{
    size_t m = (size_t)s->m, pad = (size_t)cg_pad(s->nx);
    size_t ext = (size_t)s->plane * (size_t)(s->nzl + 2) + 2 * pad;
    s->nslice = (s->m + SW_CG_SLICE - 1) / SW_CG_SLICE;
    size_t slots = (size_t)s->nslice * CG_NNZ_ROW;
    s->col = malloc(slots * sizeof *s->col);
    s->val = malloc(slots * SW_CG_SLICE * sizeof *s->val);
    s->x = malloc(m * sizeof *s->x);
    s->b = malloc(m * sizeof *s->b);
    s->r = malloc(m * sizeof *s->r);
    s->ap = malloc(m * sizeof *s->ap);
    /* Ghost planes at the domain ends and the padding stay 0: padded slots
     * multiply them by 0, and 0 * finite is 0. */
    s->pbase = calloc(ext, sizeof *s->pbase);
    s->p = s->pbase ? s->pbase + pad : NULL;
    if (!s->col || !s->val || !s->x || !s->b || !s->r || !s->ap || !s->pbase)
        return sw_error_set(err, SW_ENOMEM, "cg: cannot allocate %.0f bytes",
                            cg_bytes(s->nx, s->plane, s->nzl));
    return SW_OK;
}

static double dot(const cg_state *s, const double *u, const double *v, MPI_Comm comm)
{
    double loc = 0, glob;
#ifdef SW_SMPI /* injected with the product; 1 keeps rr > 0, so all iters run */
    loc = 1;
    (void)s, (void)u, (void)v;
#else
#pragma omp parallel for num_threads(s->nthreads) schedule(static) reduction(+ : loc)
    for (long i = 0; i < s->m; i++)
        loc += u[i] * v[i];
#endif
    MPI_Allreduce(&loc, &glob, 1, MPI_DOUBLE, MPI_SUM, comm);
    return glob;
}

static sw_status cg_setup(MPI_Comm comm, const char *params, sw_scaling sc, int nthreads,
                          void **state, char **canon, sw_error *err)
{
    *state = NULL;
    *canon = NULL;
    sw_wlp tab[P_COUNT];
    int p, rank;
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &rank);
    long nzg = 0;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK)
        st = sizes(tab, sc, p, nthreads, &nzg, err);
    cg_state *s = NULL;
    if (st == SW_OK && !(s = calloc(1, sizeof *s)))
        st = sw_error_set(err, SW_ENOMEM, "cg: out of memory");
    if (st == SW_OK) {
        s->nx = (int)sw_wlp_geti(tab, P_COUNT, "nx");
        s->ny = (int)sw_wlp_geti(tab, P_COUNT, "ny");
        s->nzg = (int)nzg;
        s->iters = (int)sw_wlp_geti(tab, P_COUNT, "iters");
        s->corrupt = (int)sw_wlp_geti(tab, P_COUNT, "corrupt");
        s->nthreads = nthreads > 0 ? nthreads : 1;
        s->rank = rank;
        s->size = p;
        long z0, nzl;
        sw_wl_split(nzg, rank, p, &z0, &nzl);
        s->z0 = (int)z0;
        s->nzl = (int)nzl;
        s->plane = (long)s->nx * s->ny;
        s->m = s->plane * nzl;
        eig_bounds(s->nx, s->ny, s->nzg, &s->lmin, &s->lmax);
        st = alloc_state(s, err);
    }
    if (st == SW_OK && !(*canon = sw_wlp_canon(tab, P_COUNT)))
        st = sw_error_set(err, SW_ENOMEM, "cg: out of memory");
    st = sw_wl_agree(comm, st, err);
    if (st != SW_OK) {
        cg_teardown(s);
        free(*canon);
        *canon = NULL;
        return st;
    }
    assemble(s);
    if (s->corrupt && rank == 0)
        s->val[CG_NNZ_ROW / 2 * SW_CG_SLICE] *= 1.5; /* row 0's diagonal: one wrong entry */
    double loc[2] = {(double)s->nnz_local, (double)s->nslice}, glob[2];
    MPI_Allreduce(loc, glob, 2, MPI_DOUBLE, MPI_SUM, comm);
    s->nnz_global = glob[0];
    s->slices_global = glob[1];
    s->bnorm = sqrt(dot(s, s->b, s->b, comm));
    *state = s;
    return SW_OK;
}

/* Fills p's ghost planes from the neighbouring slabs. */
static void halo(cg_state *s, MPI_Comm comm)
{
    int up = s->rank + 1 < s->size ? s->rank + 1 : MPI_PROC_NULL;
    int down = s->rank > 0 ? s->rank - 1 : MPI_PROC_NULL;
    int cnt = (int)s->plane;
    double *first = s->p + s->plane, *last = s->p + s->plane * s->nzl;
    MPI_Sendrecv(last, cnt, MPI_DOUBLE, up, 1, s->p, cnt, MPI_DOUBLE, down, 1, comm,
                 MPI_STATUS_IGNORE);
    MPI_Sendrecv(first, cnt, MPI_DOUBLE, down, 2, last + s->plane, cnt, MPI_DOUBLE, up, 2, comm,
                 MPI_STATUS_IGNORE);
}

/* A slice at a time: SW_CG_SLICE sums in one vector register, each slot one
 * vector load of values and one of inputs.  The prefetch runs 8 KiB ahead
 * on the value stream, the product's traffic (4 KiB reached 0.86-0.91 of
 * the triad, 8 KiB 0.96-1.1); the inputs come from cache (3 planes of p
 * stay resident).  Returns this rank's part of in . out over its own rows
 * (CG's p'Ap), taken while both are in registers: a separate dot product
 * would read p and Ap from memory again (16 bytes a row, issue 16). */
static double spmv(const cg_state *s, const double *restrict in, double *restrict out)
{
#ifdef SW_SMPI /* one iteration's local flops (product, 2 dots, 3 updates) */
    sw_smpi_compute(2.0 * (double)s->nnz_local + 10.0 * (double)s->m);
    (void)in, (void)out;
    return 1; /* as dot(): keeps p'Ap > 0, so all iters run */
#endif
    const int *restrict col = s->col;
    const double *restrict val = s->val;
    long m = s->m;
    const double *own = in + s->plane; /* the rows' own inputs: p without its ghost plane */
    double dot = 0;
#pragma omp parallel for num_threads(s->nthreads) schedule(static) reduction(+ : dot)
    for (long sl = 0; sl < s->nslice; sl++) {
        double acc[SW_CG_SLICE] = {0};
        const double *restrict v = val + sl * CG_NNZ_ROW * SW_CG_SLICE;
        const int *restrict c = col + sl * CG_NNZ_ROW;
        for (int j = 0; j < CG_NNZ_ROW; j++) {
            const double *restrict x = in + c[j];
            __builtin_prefetch(v + j * SW_CG_SLICE + 1024, 0, 0);
#pragma omp simd
            for (int r = 0; r < SW_CG_SLICE; r++)
                acc[r] += v[j * SW_CG_SLICE + r] * x[r];
        }
        long first = sl * SW_CG_SLICE, n = m - first < SW_CG_SLICE ? m - first : SW_CG_SLICE;
        for (long r = 0; r < n; r++) {
            out[first + r] = acc[r];
            dot += acc[r] * own[first + r];
        }
    }
    return dot;
}

/* Bytes one product moves: every slot's values and index, padding
 * included, the input read once (the neighbours' reuse comes from cache),
 * the output written. */
static double spmv_bytes(double slices, double m)
{
    return slices * CG_NNZ_ROW * (SW_CG_SLICE * sizeof(double) + sizeof(int)) +
           2 * m * sizeof(double);
}

sw_status sw_wl_cg_spmv(void *state, MPI_Comm comm, int reps, double *bytes)
{
    cg_state *s = state;
    for (int i = 0; i < reps; i++) {
        halo(s, comm);
        (void)spmv(s, s->p, s->ap);
    }
    *bytes = reps * spmv_bytes(s->slices_global, (double)s->plane * s->nzg);
    return SW_OK;
}

static sw_status cg_run(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    (void)err;
    cg_state *s = state;
    double *pl = s->p + s->plane; /* p's own planes */
    for (long i = 0; i < s->m; i++) {
        s->x[i] = 0;
        s->r[i] = s->b[i];
        pl[i] = s->b[i];
    }
    double rr = dot(s, s->r, s->r, comm);
    s->r0 = sqrt(rr);
    /* Textbook CG in three passes over memory, not five: p'Ap comes out of
     * the product, r'r out of r's update, and x's update waits for p's
     * (it needs the old p, read once for both).  Same arithmetic, same
     * order within each sum as separate loops (issue 16's roofline:
     * docs/performance.md). */
    for (int it = 0; it < s->iters && rr > 0; it++) {
        halo(s, comm);
        double pap, loc = spmv(s, s->p, s->ap);
        MPI_Allreduce(&loc, &pap, 1, MPI_DOUBLE, MPI_SUM, comm);
        double alpha = rr / pap, rr_loc = 0, rr_new;
#pragma omp parallel for num_threads(s->nthreads) schedule(static) reduction(+ : rr_loc)
        for (long i = 0; i < s->m; i++) {
            double ri = s->r[i] - alpha * s->ap[i];
            s->r[i] = ri;
            rr_loc += ri * ri;
        }
#ifdef SW_SMPI /* as dot(): the product left ap unset, so r is not CG's */
        rr_loc = 1;
#endif
        MPI_Allreduce(&rr_loc, &rr_new, 1, MPI_DOUBLE, MPI_SUM, comm);
        double beta = rr_new / rr;
        rr = rr_new;
#pragma omp parallel for num_threads(s->nthreads) schedule(static)
        for (long i = 0; i < s->m; i++) {
            s->x[i] += alpha * pl[i];
            pl[i] = s->r[i] + beta * pl[i];
        }
    }
    s->rk = sqrt(rr);
    double m = (double)s->plane * s->nzg;
    /* Per iteration: product 2 nnz, two dots 4m, three updates 6m flops;
     * bytes: the product (p'Ap rides on it) plus 8 vector sweeps of m
     * doubles: r, Ap read and r written; x, p, r read and x, p written. */
    res->flops = s->iters * (2 * s->nnz_global + 10 * m);
    res->bytes = s->iters * (spmv_bytes(s->slices_global, m) + CG_VEC_SWEEPS * m * sizeof(double));
    res->metric = s->rk / s->r0;
    res->metric_name = "relres";
    return SW_OK;
}

/* out = A in with the stencil itself (not the CSR arrays): an independent
 * product for the check.  `in` is ghosted like p. */
static void stencil(const cg_state *s, const double *in, double *out)
{
    long row = 0;
    for (int z = 0; z < s->nzl; z++)
        for (int y = 0; y < s->ny; y++)
            for (int x = 0; x < s->nx; x++, row++) {
                double acc = 27 * in[(z + 1) * s->plane + (long)y * s->nx + x];
                for (int dz = -1; dz <= 1; dz++) {
                    int gz = s->z0 + z + dz;
                    for (int dy = -1; dy <= 1 && gz >= 0 && gz < s->nzg; dy++)
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy, xx = x + dx;
                            if (yy >= 0 && yy < s->ny && xx >= 0 && xx < s->nx)
                                acc -= in[(z + 1 + dz) * s->plane + (long)yy * s->nx + xx];
                        }
                }
                out[row] = acc;
            }
}

/* CG theory: ||e_k||_A <= 2 ((sqrt k - 1)/(sqrt k + 1))^k ||e_0||_A with
 * e = x - 1, e_0 = -1, ||e_0||_A^2 = 1'A1 = sum(b), ||e_k||_A^2 =
 * (x-1)'(Ax - b).  And the recurrence residual must be b - A x. */
static sw_status cg_check(void *state, MPI_Comm comm, sw_error *err)
{
    cg_state *s = state;
    double *pl = s->p + s->plane;
    memcpy(pl, s->x, (size_t)s->m * sizeof *pl);
    halo(s, comm);
    stencil(s, s->p, s->ap); /* ap = A x */
    double loc[4] = {0, 0, 0, 0}, glob[4];
    for (long i = 0; i < s->m; i++) {
        double rt = s->b[i] - s->ap[i], d = rt - s->r[i];
        loc[0] += -(s->x[i] - 1) * rt; /* e' A e */
        loc[1] += s->b[i];             /* e_0' A e_0 */
        loc[2] += d * d;
        loc[3] = fmax(loc[3], fabs(s->x[i] - 1));
    }
    MPI_Allreduce(loc, glob, 3, MPI_DOUBLE, MPI_SUM, comm);
    MPI_Allreduce(&loc[3], &glob[3], 1, MPI_DOUBLE, MPI_MAX, comm);
    double kappa = s->lmax / s->lmin, rho = (sqrt(kappa) - 1) / (sqrt(kappa) + 1);
    /* Rounding limits what CG can reach to about eps k; the floor keeps a
     * converged run from failing a bound that has fallen below it. */
    double bound = 2 * pow(rho, s->iters) + CG_FP_FLOOR * DBL_EPSILON * kappa, ratio = sqrt(fmax(glob[0], 0) / glob[1]);
    double drift = sqrt(glob[2]) / s->bnorm;
    if (!(drift <= CG_RESID_TOL))
        return sw_error_set(err, SW_ECHECK,
                            "cg: true residual b-Ax differs from the CG residual by %.3g "
                            "relative to ||b||, expected <= %g (wrong matrix-vector product?)",
                            drift, CG_RESID_TOL);
    if (!(ratio <= bound))
        return sw_error_set(err, SW_ECHECK,
                            "cg: A-norm error ||x-1||_A/||1||_A = %.4g after %d iterations, "
                            "expected <= 2((sqrt(k)-1)/(sqrt(k)+1))^%d + 64 eps k = %.4g (k=%.4g, "
                            "max|x-1| = %.3g)",
                            ratio, s->iters, s->iters, bound, kappa, glob[3]);
    if (!(s->rk / s->r0 <= sqrt(kappa) * bound))
        return sw_error_set(err, SW_ECHECK,
                            "cg: relative residual %.4g, expected <= sqrt(k) 2 rho^k = %.4g",
                            s->rk / s->r0, sqrt(kappa) * bound);
    return SW_OK;
}

const sw_workload sw_wl_cg = {
    .name = "cg",
    .summary = "HPCG-like conjugate gradient on the 27-point stencil, CG error bound and true "
               "residual checked",
    .params_help = "nx=64,ny=64,nz=64 (grid; weak: planes per unit, global nz*N), iters=50, "
                   "corrupt=0",
    .estimate = cg_estimate,
    .setup = cg_setup,
    .run = cg_run,
    .check = cg_check,
    .teardown = cg_teardown,
};
