/* lu1d.c — dense's solver on a one-row process grid: right-looking block LU
 * with partial pivoting and a look-ahead of one panel, over MPI + BLAS.
 *
 * Why not ScaLAPACK's pdgesv here: pdgesv factorises a panel while every
 * other process column waits for it, so on 1 x P grids (2, 3, 5 ... ranks)
 * each rank idles for the others' panels: ~(P-1)/P of all panel time.  HPL
 * hides it with look-ahead: the owner of the next panel updates only that
 * panel's columns with the current one, factorises it and sends it, and only
 * then runs its share of the big trailing update, so the next panel is on
 * its way before anyone needs it (issue 16 measured pdgesv at 0.70-0.88 of
 * HPL at 2 ranks, N = 8000; docs/performance.md).  This is that schedule with
 * a depth of one, as HPL's default input (DEPTH = 1).
 *
 * Layout: ScaLAPACK's block-cyclic on a 1 x P grid, so the workload's fill
 * and its check (pdgemv, pdlange) stay as they are: rank q owns global column
 * blocks q, q+P, ... each n rows tall, stored one after the other.  The
 * right-hand side is kept whole on every rank and eliminated as one more
 * column, the way HPL carries b with A: each rank applies every broadcast
 * panel (swaps, unit-lower solve, update) to its copy, O(n^2) flops against
 * the factorisation's 2/3 n^3.  Later panels' row swaps are not applied to
 * earlier L columns: nothing reads them (HPL skips them too).  The back
 * substitution goes block by block from the last: the owner of a block
 * solves its diagonal block after a sum of the others' contributions, and
 * broadcasts that part of x.
 *
 * Panels go owner -> every other rank by nonblocking point-to-point sends
 * (a flat tree: this path serves one-row grids, so P is a small prime in
 * practice; larger P gets a 2-D grid and ScaLAPACK).  Two panel buffers
 * alternate; a buffer is reused only after its sends completed. */
#include "workloads/lu1d.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* BLAS/LAPACK, Fortran interface (OpenBLAS). */
void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *b,
            const int *ldb, const double *beta, double *c, const int *ldc);
void dtrsm_(const char *side, const char *uplo, const char *ta, const char *diag, const int *m,
            const int *n, const double *alpha, const double *a, const int *lda, double *b,
            const int *ldb);
void dgemv_(const char *ta, const int *m, const int *n, const double *alpha, const double *a,
            const int *lda, const double *x, const int *incx, const double *beta, double *y,
            const int *incy);
void dtrsv_(const char *uplo, const char *ta, const char *diag, const int *n, const double *a,
            const int *lda, double *x, const int *incx);
void dlaswp_(const int *n, double *a, const int *lda, const int *k1, const int *k2,
             const int *ipiv, const int *incx);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);

#define LU_TAG 0x1d1d

typedef struct lu1d {
    MPI_Comm comm;
    int n, nb, p, me, nblk;
    double *a;               /* local columns, leading dimension n */
    double *buf[2];          /* panel k in buf[k % 2]: m x kb (ld m), then kb pivots */
    int *ipiv;               /* getrf's pivots before they are packed */
    int *piv;                /* the current panel's pivots, unpacked */
    MPI_Request *req[2];     /* each buffer's pending sends, p - 1 */
    int info;                /* first zero pivot (1-based global), 0 if none */
} lu1d;

static int width(const lu1d *s, int k)
{
    return k * s->nb + s->nb <= s->n ? s->nb : s->n - k * s->nb;
}

/* Local column where global block k starts on its owner (k % p == me). */
static long local_col(const lu1d *s, int k)
{
    return (long)(k / s->p) * s->nb;
}

/* Local columns of this rank's blocks after global block k, and where they
 * start: they are contiguous. */
static void trailing(const lu1d *s, int k, long *first, int *ncols)
{
    int j = k + 1; /* the first block > k owned by me */
    j += ((s->me - j) % s->p + s->p) % s->p;
    long end = 0;
    for (int b = s->me; b < s->nblk; b += s->p)
        end += width(s, b);
    *first = j < s->nblk ? local_col(s, j) : end;
    *ncols = (int)(end - *first);
}

static void wait_buffer(lu1d *s, int slot)
{
    if (s->p > 1)
        MPI_Waitall(s->p - 1, s->req[slot], MPI_STATUSES_IGNORE);
}

/* Owner of block k: factorises its panel in place, packs it with its
 * pivots and starts sending it to every other rank. */
static void factor_and_send(lu1d *s, int k)
{
    int m = s->n - k * s->nb, kb = width(s, k), info = 0;
    double *pan = s->a + local_col(s, k) * s->n + (long)k * s->nb;
    dgetrf_(&m, &kb, pan, &s->n, s->ipiv, &info);
    if (info > 0 && s->info == 0)
        s->info = k * s->nb + info;
    int slot = k % 2;
    wait_buffer(s, slot);
    double *buf = s->buf[slot];
    for (int j = 0; j < kb; j++)
        memcpy(buf + (long)j * m, pan + (long)j * s->n, (size_t)m * sizeof *buf);
    for (int j = 0; j < kb; j++)
        buf[(long)m * kb + j] = s->ipiv[j]; /* exact: pivots are small integers */
    int cnt = m * kb + kb;
    for (int q = 0, r = 0; q < s->p; q++)
        if (q != s->me)
            MPI_Isend(buf, cnt, MPI_DOUBLE, q, LU_TAG, s->comm, &s->req[slot][r++]);
}

/* Applies panel k (in buf, pivots decoded into piv) to ncols local columns
 * starting at local column c0: row swaps, U = L_kk^-1 A_k, then the trailing
 * rows minus L_below U. */
static void update(const lu1d *s, int k, const double *buf, const int *piv, long c0, int ncols)
{
    if (ncols <= 0)
        return;
    int m = s->n - k * s->nb, kb = width(s, k), one = 1, below = m - kb;
    double *blk = s->a + c0 * s->n + (long)k * s->nb, pone = 1.0, mone = -1.0;
    dlaswp_(&ncols, blk, &s->n, &one, &kb, piv, &one);
    dtrsm_("L", "L", "N", "U", &kb, &ncols, &pone, buf, &m, blk, &s->n);
    if (below > 0)
        dgemm_("N", "N", &below, &ncols, &kb, &mone, buf + kb, &m, blk, &s->n, &pone, blk + kb,
               &s->n);
}

/* The same elimination on the right-hand side (every rank's copy). */
static void update_rhs(const lu1d *s, int k, const double *buf, const int *piv, double *y)
{
    int m = s->n - k * s->nb, kb = width(s, k), one = 1, below = m - kb;
    double *yk = y + (long)k * s->nb, pone = 1.0, mone = -1.0;
    dlaswp_(&one, yk, &m, &one, &kb, piv, &one);
    dtrsv_("L", "N", "U", &kb, buf, &m, yk, &one);
    if (below > 0)
        dgemv_("N", &below, &kb, &mone, buf + kb, &m, yk, &one, &pone, yk + kb, &one);
}

static void factor(lu1d *s, double *y)
{
    int *piv = s->piv;
    if (s->me == 0)
        factor_and_send(s, 0);
    for (int k = 0; k < s->nblk; k++) {
        int owner = k % s->p, m = s->n - k * s->nb, kb = width(s, k), slot = k % 2;
        if (s->me != owner) {
            wait_buffer(s, slot); /* this rank's own older sends from this buffer */
            MPI_Recv(s->buf[slot], m * kb + kb, MPI_DOUBLE, owner, LU_TAG, s->comm,
                     MPI_STATUS_IGNORE);
        }
        const double *buf = s->buf[slot];
        for (int j = 0; j < kb; j++)
            piv[j] = (int)buf[(long)m * kb + j];
        update_rhs(s, k, buf, piv, y);
        long c0;
        int ncols;
        trailing(s, k, &c0, &ncols);
        if (k + 1 < s->nblk && (k + 1) % s->p == s->me) {
            /* Look-ahead: the next panel first, then the rest. */
            int w = width(s, k + 1);
            update(s, k, buf, piv, c0, w);
            factor_and_send(s, k + 1);
            c0 += w;
            ncols -= w;
        }
        update(s, k, buf, piv, c0, ncols);
    }
    wait_buffer(s, 0);
    wait_buffer(s, 1);
}

/* U x = y, block by block from the last; x ends up on every rank. */
static void back_solve(lu1d *s, const double *y, double *x, double *part, double *sum)
{
    int one = 1;
    double pone = 1.0;
    memset(part, 0, (size_t)s->n * sizeof *part);
    for (int j = s->nblk - 1; j >= 0; j--) {
        int owner = j % s->p, w = width(s, j);
        long r0 = (long)j * s->nb;
        MPI_Reduce(part + r0, sum, w, MPI_DOUBLE, MPI_SUM, owner, s->comm);
        const double *u = s->a + local_col(s, j) * s->n; /* block j's columns */
        if (s->me == owner) {
            for (int i = 0; i < w; i++)
                x[r0 + i] = y[r0 + i] - sum[i];
            dtrsv_("U", "N", "N", &w, u + r0, &s->n, x + r0, &one);
        }
        MPI_Bcast(x + r0, w, MPI_DOUBLE, owner, s->comm);
        int rows = (int)r0;
        if (s->me == owner && rows > 0)
            dgemv_("N", &rows, &w, &pone, u, &s->n, x + r0, &one, &pone, part, &one);
    }
}

double sw_lu1d_bytes(int n, int nb)
{
    double kb = nb < n ? nb : n;
    return (2.0 * ((double)n * kb + kb) + 2.0 * n + kb) * sizeof(double) + 2.0 * kb * sizeof(int);
}

int sw_lu1d_solve(MPI_Comm comm, int n, int nb, double *a, const double *b, double *x)
{
    lu1d s = {.comm = comm, .n = n, .nb = nb, .a = a};
    MPI_Comm_size(comm, &s.p);
    MPI_Comm_rank(comm, &s.me);
    s.nblk = (n + nb - 1) / nb;
    int kb = nb < n ? nb : n;
    size_t cnt = (size_t)n * kb + kb;
    s.buf[0] = malloc(cnt * sizeof(double));
    s.buf[1] = malloc(cnt * sizeof(double));
    s.ipiv = malloc((size_t)kb * sizeof *s.ipiv);
    s.piv = malloc((size_t)kb * sizeof *s.piv);
    s.req[0] = malloc((size_t)s.p * sizeof(MPI_Request));
    s.req[1] = malloc((size_t)s.p * sizeof(MPI_Request));
    double *y = malloc((size_t)n * sizeof *y), *part = malloc((size_t)n * sizeof *part);
    double *sum = malloc((size_t)kb * sizeof *sum);
    int ok = s.buf[0] && s.buf[1] && s.ipiv && s.piv && s.req[0] && s.req[1] && y && part && sum, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    int ret = -1;
    if (all) {
        for (int q = 0; q < s.p; q++)
            s.req[0][q] = s.req[1][q] = MPI_REQUEST_NULL;
        memcpy(y, b, (size_t)n * sizeof *y);
        factor(&s, y);
        /* Every rank learns the first zero pivot, wherever it was. */
        int mine = s.info > 0 ? s.info : INT_MAX, first;
        MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
        ret = first == INT_MAX ? 0 : first;
        if (ret == 0)
            back_solve(&s, y, x, part, sum);
    }
    free(s.buf[0]);
    free(s.buf[1]);
    free(s.ipiv);
    free(s.piv);
    free(s.req[0]);
    free(s.req[1]);
    free(y);
    free(part);
    free(sum);
    return ret;
}
