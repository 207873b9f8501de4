/* wl_util.c — counter-based randomness and collective error agreement
 * shared by the built-in workloads (see wl_util.h). */
#include "workloads/wl_util.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "workloads/smpi_support.h"

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sw_wl_hash(uint64_t seed, uint64_t a, uint64_t b)
{
    return mix(mix(mix(seed) ^ a) ^ b);
}

double sw_wl_unit(uint64_t seed, uint64_t a, uint64_t b)
{
    return (double)(sw_wl_hash(seed, a, b) >> 11) * 0x1.0p-53;
}

sw_status sw_wl_agree(MPI_Comm comm, sw_status st, sw_error *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    int mine = st == SW_OK ? 0x7fffffff : rank, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == 0x7fffffff)
        return SW_OK;
    int code = (int)st;
    char msg[SW_ERROR_MSG_MAX];
    if (rank == first)
        snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
    MPI_Bcast(&code, 1, MPI_INT, first, comm);
    MPI_Bcast(msg, (int)sizeof msg, MPI_CHAR, first, comm);
    if (rank != first)
        return sw_error_set(err, (sw_status)code, "rank %d: %s", first, msg);
    return st;
}

void sw_wl_split(long total, int rank, int size, long *lo, long *cnt)
{
    long base = total / size, extra = total % size;
    *cnt = base + (rank < extra ? 1 : 0);
    *lo = rank * base + (rank < extra ? rank : extra);
}

void sgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k,
            const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
            const float *beta, float *c, const int *ldc, size_t ta_len, size_t tb_len);
void saxpy_(const int *n, const float *alpha, const float *x, const int *incx, float *y,
            const int *incy);

/* Row-major C = op(A) op(B) is column-major C' = op(B)' op(A)': swap the
 * operands and the dimensions, keep the transposition flags. */
void sw_wl_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
#ifdef SW_SMPI /* injected at the measured rate (smpi_support.h) */
    sw_smpi_compute(2.0 * m * n * k);
    return;
#endif
    sgemm_(trans_b ? "T" : "N", trans_a ? "T" : "N", &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta,
           c, &ldc, 1, 1);
}

void sw_wl_saxpy(long n, float alpha, const float *x, float *y)
{
#ifdef SW_SMPI
    sw_smpi_compute(2.0 * n);
    return;
#endif
    int one = 1;
    while (n > 0) { /* the Fortran interface counts in int */
        int chunk = n > (1L << 30) ? 1 << 30 : (int)n;
        saxpy_(&chunk, &alpha, x, &one, y, &one);
        x += chunk;
        y += chunk;
        n -= chunk;
    }
}

void sw_wl_blas_threads(int nthreads)
{
    openblas_set_num_threads(nthreads > 0 ? nthreads : 1);
}
