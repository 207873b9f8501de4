/* wl_dense.c — `dense`: the HPL-like workload.  Solves A x = b for a random
 * dense A by distributed LU with partial pivoting (ScaLAPACK pdgesv) on a
 * BLACS process grid built from the harness's communicator, and checks HPL's
 * scaled residual.
 *
 * Why ScaLAPACK: it is the reference distributed LU, Debian ships it, and the
 * project rule is not to hand-write what a listed library does.  The one
 * tricky part is the grid: BLACS must run on the communicator it is given
 * (the harness splits MPI_COMM_WORLD to sweep N inside one job), so the
 * context comes from Csys2blacs_handle(comm), never from the default system
 * context, and is freed again in teardown.
 *
 * On a 1 x 1 grid the block-cyclic layout is plain column-major storage, and
 * pdgesv degenerates to LAPACK's getrf/getrs wrapped in PBLAS overhead
 * (unblocked pdgetf2 panels, descriptor checks): there the solve calls
 * LAPACK's dgesv (OpenBLAS's recursive getrf) on the same array, which is
 * what a user running one rank would use.  The check is unchanged. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "workloads/lu1d.h"
#include "workloads/wl_util.h"
#include "workloads/workload.h"

/* BLACS (C interface) and ScaLAPACK/PBLAS (Fortran interface). */
int Csys2blacs_handle(MPI_Comm comm);
void Cfree_blacs_system_handle(int handle);
void Cblacs_gridinit(int *ctxt, const char *order, int nprow, int npcol);
void Cblacs_gridinfo(int ctxt, int *nprow, int *npcol, int *myrow, int *mycol);
void Cblacs_gridexit(int ctxt);
int numroc_(const int *n, const int *nb, const int *iproc, const int *isrc, const int *nprocs);
void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb,
               const int *irsrc, const int *icsrc, const int *ctxt, const int *lld, int *info);
void pdgesv_(const int *n, const int *nrhs, double *a, const int *ia, const int *ja,
             const int *desca, int *ipiv, double *b, const int *ib, const int *jb,
             const int *descb, int *info);
double pdlange_(const char *norm, const int *m, const int *n, const double *a, const int *ia,
                const int *ja, const int *desca, double *work, size_t norm_len);
void pdgemv_(const char *trans, const int *m, const int *n, const double *alpha,
             const double *a, const int *ia, const int *ja, const int *desca, const double *x,
             const int *ix, const int *jx, const int *descx, const int *incx,
             const double *beta, double *y, const int *iy, const int *jy, const int *descy,
             const int *incy, size_t trans_len);

#define DENSE_RESID_MAX 16.0 /* HPL's pass threshold */

enum { P_N, P_NB, P_SEED, P_CORRUPT, P_LOOKAHEAD, P_COUNT };
static const sw_wlp dense_params[P_COUNT] = {
    [P_N] = {"n", SW_WLP_INT, 1, 1e6, 2000, 0},
    [P_NB] = {"nb", SW_WLP_INT, 0, 4096, 0, 0}, /* 0: block_for's rule */
    [P_SEED] = {"seed", SW_WLP_INT, 0, 9007199254740992.0, 42, 0},
    [P_CORRUPT] = {"corrupt", SW_WLP_INT, 0, 1, 0, 0},
    /* 1: a one-row grid (2, 3, 5 ... ranks) solves with lu1d; 0: pdgesv
     * everywhere (what the workload did before, kept to compare). */
    [P_LOOKAHEAD] = {"lookahead", SW_WLP_INT, 0, 1, 1, 0},
};

typedef struct dense_state {
    int n, nb, corrupt, lookahead, pr, pc, myrow, mycol, mp, nq;
    int sys_handle, ctxt;
    MPI_Comm row; /* a one-row grid's ranks in column order: lu1d's, else MPI_COMM_NULL */
    int desca[9], descb[9];
    unsigned long long seed;
    double *a, *a0, *x, *b0, *r, *work;
    int *ipiv;
    int info;
    int a_fresh; /* a holds the pristine A (setup and dense_finish restore it) */
} dense_state;

/* The most square grid pr x pc = P with pr <= pc (HPL's advice). */
static void grid_shape(int p, int *pr, int *pc)
{
    int r = (int)sqrt((double)p);
    while (r > 1 && p % r != 0)
        r--;
    *pr = r;
    *pc = p / r;
}

/* Whether the solve is lu1d's: asked for, a one-row grid of more than one
 * rank, and a panel that fits one MPI message (an int count). */
static int uses_lu1d(int lookahead, int pr, int pc, int n, int nb)
{
    return lookahead && pr == 1 && pc > 1 && (double)n * nb + nb < 2147483647.0;
}

/* The block size: nb if given, else the rule docs/workloads.md gives and
 * docs/performance.md measures.  pdgesv and one rank: 32, the fastest for
 * ScaLAPACK (and for HPL) at n = 2000.  lu1d: the width at which a rank-nb
 * update reaches DGEMM's full rate (DENSE_NB_GEMM), but at most n/(4P), so
 * that while the trailing update runs, the next panel's factorisation
 * (~(n-k) nb^2 flops on its owner) stays well below the update's
 * ~2 (n-k)^2 nb / P over the first half of the factorisation, and at
 * least 32; a multiple of 32.  The result depends on n and the grid only,
 * so a sweep's points each resolve it alike; "nb=0" is what the results
 * record. */
#define DENSE_NB_GEMM 128
static int block_for(int nb, int lookahead, int n, int p)
{
    if (nb > 0)
        return nb;
    int pr, pc;
    grid_shape(p, &pr, &pc);
    if (!uses_lu1d(lookahead, pr, pc, n, 32))
        return 32;
    int cap = n / (4 * p) / 32 * 32;
    return cap < 32 ? 32 : cap < DENSE_NB_GEMM ? cap : DENSE_NB_GEMM;
}

/* Strong: n is the matrix order.  Weak: n is the order on one unit and the
 * order grows as n sqrt(N), N = ranks x threads (the N of the results),
 * which keeps the matrix memory per unit fixed (HPL's way of scaling a run
 * up). */
static int order_for(long n, sw_scaling scaling, int nranks, int nthreads)
{
    double units = (double)nranks * (nthreads > 0 ? nthreads : 1);
    return scaling == SW_SCALING_WEAK ? (int)lround((double)n * sqrt(units)) : (int)n;
}

static sw_status parse(const char *params, sw_wlp *tab, sw_error *err)
{
    memcpy(tab, dense_params, sizeof dense_params);
    return sw_wlp_parse("dense", tab, P_COUNT, params, err);
}

/* Bytes setup() allocates on a rank owning mp x nq of A: A, its pristine
 * copy, three vectors, the pdlange work array and the pivots. */
static double dense_bytes(int mp, int nq, int nb)
{
    int ld = mp > 1 ? mp : 1;
    return 2.0 * ld * (nq > 0 ? nq : 1) * sizeof(double) + 4.0 * ld * sizeof(double) +
           (double)(mp + nb) * sizeof(int);
}

static sw_status dense_estimate(const char *params, sw_scaling scaling, int nranks,
                                int nthreads, double *bytes, sw_error *err)
{
    sw_wlp tab[P_COUNT];
    sw_status st = parse(params, tab, err);
    if (st != SW_OK)
        return st;
    int n = order_for(sw_wlp_geti(tab, P_COUNT, "n"), scaling, nranks, nthreads);
    int lookahead = (int)sw_wlp_geti(tab, P_COUNT, "lookahead"), pr, pc, zero = 0;
    int nb = block_for((int)sw_wlp_geti(tab, P_COUNT, "nb"), lookahead, n, nranks);
    grid_shape(nranks, &pr, &pc);
    /* Process (0,0) owns the most rows and columns of a block-cyclic layout. */
    int mp = numroc_(&n, &nb, &zero, &zero, &pr), nq = numroc_(&n, &nb, &zero, &zero, &pc);
    *bytes = dense_bytes(mp, nq, nb);
    if (uses_lu1d(lookahead, pr, pc, n, nb))
        *bytes += sw_lu1d_bytes(n, nb);
    return SW_OK;
}

/* A(i,j) and b(i) uniform in [-0.5, 0.5), a pure function of (seed, i, j):
 * the same system whatever the grid. */
static void fill(dense_state *s)
{
    int ld = s->mp > 1 ? s->mp : 1;
    for (int lj = 0; lj < s->nq; lj++) {
        long gj = ((long)(lj / s->nb) * s->pc + s->mycol) * s->nb + lj % s->nb;
        for (int li = 0; li < s->mp; li++) {
            long gi = ((long)(li / s->nb) * s->pr + s->myrow) * s->nb + li % s->nb;
            s->a0[(size_t)lj * ld + li] = sw_wl_unit(s->seed, (uint64_t)gi, (uint64_t)gj) - 0.5;
        }
    }
    for (int li = 0; li < s->mp; li++) {
        long gi = ((long)(li / s->nb) * s->pr + s->myrow) * s->nb + li % s->nb;
        s->b0[li] = sw_wl_unit(s->seed + 1, (uint64_t)gi, UINT64_MAX) - 0.5;
    }
}

static void dense_teardown(void *state)
{
    dense_state *s = state;
    if (!s)
        return;
    if (s->row != MPI_COMM_NULL)
        MPI_Comm_free(&s->row);
    if (s->ctxt >= 0)
        Cblacs_gridexit(s->ctxt);
    if (s->sys_handle >= 0)
        Cfree_blacs_system_handle(s->sys_handle);
    free(s->a);
    free(s->a0);
    free(s->x);
    free(s->b0);
    free(s->r);
    free(s->work);
    free(s->ipiv);
    free(s);
}

static sw_status alloc_arrays(dense_state *s, sw_error *err)
{
    size_t ld = s->mp > 1 ? (size_t)s->mp : 1, cols = s->nq > 0 ? (size_t)s->nq : 1;
    s->a = malloc(ld * cols * sizeof *s->a);
    s->a0 = malloc(ld * cols * sizeof *s->a0);
    s->x = malloc(ld * sizeof *s->x);
    s->b0 = malloc(ld * sizeof *s->b0);
    s->r = malloc(ld * sizeof *s->r);
    s->work = malloc(ld * sizeof *s->work);
    s->ipiv = malloc(((size_t)s->mp + (size_t)s->nb) * sizeof *s->ipiv);
    if (!s->a || !s->a0 || !s->x || !s->b0 || !s->r || !s->work || !s->ipiv)
        return sw_error_set(err, SW_ENOMEM, "dense: cannot allocate %.0f bytes for n=%d",
                            dense_bytes(s->mp, s->nq, s->nb), s->n);
    return SW_OK;
}

static sw_status make_grid(dense_state *s, MPI_Comm comm, sw_error *err)
{
    int p;
    MPI_Comm_size(comm, &p);
    grid_shape(p, &s->pr, &s->pc);
    s->sys_handle = Csys2blacs_handle(comm);
    s->ctxt = s->sys_handle;
    Cblacs_gridinit(&s->ctxt, "Row", s->pr, s->pc);
    int pr, pc;
    Cblacs_gridinfo(s->ctxt, &pr, &pc, &s->myrow, &s->mycol);
    if (pr != s->pr || pc != s->pc || s->myrow < 0)
        return sw_error_set(err, SW_EFAIL, "dense: BLACS grid %dx%d not created on %d ranks",
                            s->pr, s->pc, p);
    /* A one-row grid solves with lu1d (look-ahead) on the same layout; its
     * ranks ordered by grid column, and its panel one MPI message. */
    if (uses_lu1d(s->lookahead, s->pr, s->pc, s->n, s->nb))
        MPI_Comm_split(comm, 0, s->mycol, &s->row);
    return SW_OK;
}

/* Restores the pristine A into a (O(n^2/P)). */
static void restore_a(dense_state *s)
{
    size_t ld = s->mp > 1 ? (size_t)s->mp : 1, cols = s->nq > 0 ? (size_t)s->nq : 1;
    memcpy(s->a, s->a0, ld * cols * sizeof *s->a);
    s->a_fresh = 1;
}

static sw_status setup_local(dense_state *s, MPI_Comm comm, sw_error *err)
{
    sw_status st = make_grid(s, comm, err);
    if (st != SW_OK)
        return st;
    int zero = 0, one = 1, info;
    s->mp = numroc_(&s->n, &s->nb, &s->myrow, &zero, &s->pr);
    s->nq = numroc_(&s->n, &s->nb, &s->mycol, &zero, &s->pc);
    int ld = s->mp > 1 ? s->mp : 1;
    descinit_(s->desca, &s->n, &s->n, &s->nb, &s->nb, &zero, &zero, &s->ctxt, &ld, &info);
    if (info == 0)
        descinit_(s->descb, &s->n, &one, &s->nb, &s->nb, &zero, &zero, &s->ctxt, &ld, &info);
    if (info != 0)
        return sw_error_set(err, SW_EFAIL, "dense: descinit failed (info=%d)", info);
    st = alloc_arrays(s, err);
    if (st == SW_OK) {
        fill(s);
        restore_a(s);
    }
    return st;
}

static sw_status dense_setup(MPI_Comm comm, const char *params, sw_scaling scaling,
                             int nthreads, void **state, char **canon, sw_error *err)
{
    *state = NULL;
    *canon = NULL;
    sw_wlp tab[P_COUNT];
    sw_status st = parse(params, tab, err);
    int p;
    MPI_Comm_size(comm, &p);
    dense_state *s = NULL;
    if (st == SW_OK) {
        s = calloc(1, sizeof *s);
        if (!s)
            st = sw_error_set(err, SW_ENOMEM, "dense: out of memory");
    }
    if (st == SW_OK) {
        s->sys_handle = s->ctxt = -1;
        s->row = MPI_COMM_NULL;
        s->n = order_for(sw_wlp_geti(tab, P_COUNT, "n"), scaling, p, nthreads);
        s->seed = (unsigned long long)sw_wlp_geti(tab, P_COUNT, "seed");
        s->corrupt = (int)sw_wlp_geti(tab, P_COUNT, "corrupt");
        s->lookahead = (int)sw_wlp_geti(tab, P_COUNT, "lookahead");
        s->nb = block_for((int)sw_wlp_geti(tab, P_COUNT, "nb"), s->lookahead, s->n, p);
        sw_wl_blas_threads(nthreads);
        st = setup_local(s, comm, err);
    }
    if (st == SW_OK && !(*canon = sw_wlp_canon(tab, P_COUNT)))
        st = sw_error_set(err, SW_ENOMEM, "dense: out of memory");
    st = sw_wl_agree(comm, st, err);
    if (st != SW_OK) {
        dense_teardown(s);
        free(*canon);
        *canon = NULL;
        return st;
    }
    *state = s;
    return SW_OK;
}

/* One solve from the pristine system, so every repetition solves the same
 * problem: the timed part.  A is restored by dense_finish, after the clock
 * (HPL does not time generating its matrix either); a solve that follows
 * no finish copies it here, timed but still correct. */
static sw_status dense_solve(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    dense_state *s = state;
    size_t ld = s->mp > 1 ? (size_t)s->mp : 1;
    if (!s->a_fresh)
        restore_a(s);
    s->a_fresh = 0;
    memcpy(s->x, s->b0, ld * sizeof *s->x);
    if (s->corrupt && s->myrow == 0 && s->mycol == 0)
        s->a[0] += 1.0; /* solve a different system than the one checked */
    int one = 1;
    if (s->pr == 1 && s->pc == 1)
        s->info = LAPACKE_dgesv(LAPACK_COL_MAJOR, s->n, 1, s->a, (int)ld, s->ipiv, s->x, (int)ld);
    else if (s->row != MPI_COMM_NULL)
        s->info = sw_lu1d_solve(s->row, s->n, s->nb, s->a, s->b0, s->x);
    else
        pdgesv_(&s->n, &one, s->a, &one, &one, s->desca, s->ipiv, s->x, &one, &one, s->descb,
                &s->info);
    double nd = s->n;
    res->flops = 2.0 / 3.0 * nd * nd * nd + 2.0 * nd * nd;
    res->bytes = NAN;
    res->metric = NAN;
    res->metric_name = NULL;
    sw_status st = SW_OK;
    if (s->info < 0 && s->row != MPI_COMM_NULL)
        st = sw_error_set(err, SW_ENOMEM, "dense: cannot allocate the panel buffers (n=%d, nb=%d)",
                          s->n, s->nb);
    else if (s->info != 0)
        st = sw_error_set(err, SW_EFAIL, "dense: %s failed (info=%d)",
                          s->pr * s->pc == 1 ? "dgesv" : s->row != MPI_COMM_NULL ? "block LU" : "pdgesv",
                          s->info);
    return sw_wl_agree(comm, st, err);
}

/* The untimed end of a repetition: the next solve's A (the check needs
 * only a0, b0 and x). */
static sw_status dense_finish(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    (void)comm, (void)res, (void)err;
    restore_a(state);
    return SW_OK;
}

static sw_status dense_run(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    sw_status st = dense_solve(state, comm, res, err);
    return st ? st : dense_finish(state, comm, res, err);
}

/* HPL's test: ||A x - b||_inf / (eps (||A||_inf ||x||_inf + ||b||_inf) n) < 16,
 * with A and b the pristine copies, eps = 2^-53 (unit roundoff). */
static sw_status dense_check(void *state, MPI_Comm comm, sw_error *err)
{
    dense_state *s = state;
    int one = 1, n = s->n;
    double mone = -1.0, pone = 1.0;
    memcpy(s->r, s->b0, (s->mp > 1 ? (size_t)s->mp : 1) * sizeof *s->r);
    pdgemv_("N", &n, &n, &mone, s->a0, &one, &one, s->desca, s->x, &one, &one, s->descb, &one,
            &pone, s->r, &one, &one, s->descb, &one, 1);
    double rn = pdlange_("I", &n, &one, s->r, &one, &one, s->descb, s->work, 1);
    double an = pdlange_("I", &n, &n, s->a0, &one, &one, s->desca, s->work, 1);
    double xn = pdlange_("I", &n, &one, s->x, &one, &one, s->descb, s->work, 1);
    double bn = pdlange_("I", &n, &one, s->b0, &one, &one, s->descb, s->work, 1);
    double eps = DBL_EPSILON / 2;
    double scaled = rn / (eps * (an * xn + bn) * n);
    /* Every rank of the grid holds the same norms; agree anyway so a rank
     * that disagrees cannot pass alone. */
    double worst;
    MPI_Allreduce(&scaled, &worst, 1, MPI_DOUBLE, MPI_MAX, comm);
    if (!(worst < DENSE_RESID_MAX))
        return sw_error_set(err, SW_ECHECK,
                            "dense: scaled residual ||Ax-b||_inf/(eps(||A||_inf||x||_inf+"
                            "||b||_inf)n) = %.4g, expected < %g (n=%d, ||Ax-b||_inf=%.3g)",
                            worst, DENSE_RESID_MAX, n, rn);
    return SW_OK;
}

const sw_workload sw_wl_dense = {
    .name = "dense",
    .summary = "HPL-like LU solve with partial pivoting (block LU with look-ahead on one-row "
               "grids, ScaLAPACK pdgesv on 2-D grids, LAPACK dgesv on one rank), scaled "
               "residual checked",
    .params_help = "n=2000 (matrix order; weak: order on one unit, grows as n*sqrt(N)), "
                   "nb=0 (block size; 0: 32, or on a one-row grid with look-ahead "
                   "min(128, n/(4P)) in multiples of 32), seed=42, corrupt=0, lookahead=1 "
                   "(1: one-row grids, P = 2, 3, 5 ..., solve by block LU with look-ahead; "
                   "0: ScaLAPACK pdgesv)",
    .estimate = dense_estimate,
    .setup = dense_setup,
    .run = dense_run,
    .check = dense_check,
    .teardown = dense_teardown,
    .run_timed = dense_solve,
    .finish = dense_finish,
};
