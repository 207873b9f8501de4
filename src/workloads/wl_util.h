/* wl_util.h — helpers shared by the built-in workloads: "k=v,k=v" parameter
 * tables, a counter-based random generator and collective error agreement.
 *
 * Why a table (scalewall/args.h): every workload needs the same strict
 * parsing (unknown key, non-number, out of range are usage errors with one
 * clear line) and the same canonical string for the results.  Why a
 * counter-based generator: a matrix entry or a synapse must be the same no
 * matter how many ranks share the work, so random values are a pure function
 * of (seed, index), never of a stream position. */
#ifndef SW_WORKLOADS_WL_UTIL_H
#define SW_WORKLOADS_WL_UTIL_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "scalewall/args.h"
#include "scalewall/error.h"

/* Parameter tables (sw_wlp, sw_wlp_parse, ...) live in the library:
 * scalewall/args.h. */

/* Counter-based randomness (splitmix64 finaliser over a combined key). */
uint64_t sw_wl_hash(uint64_t seed, uint64_t a, uint64_t b);
/* Uniform in [0, 1) with 53 random bits. */
double sw_wl_unit(uint64_t seed, uint64_t a, uint64_t b);

/* Collective agreement on a status: every rank passes its own status; if
 * any rank failed, every rank returns the failure of the lowest failing
 * rank, with that rank's message (prefixed "rank R: " on the others).  Lets
 * a workload fail cleanly instead of leaving ranks waiting in a collective. */
sw_status sw_wl_agree(MPI_Comm comm, sw_status st, sw_error *err);

/* The share [*lo, *lo + *cnt) of `total` items owned by `rank` of `size`
 * when split as evenly as possible (the first total % size ranks get one
 * more). */
void sw_wl_split(long total, int rank, int size, long *lo, long *cnt);

/* Sets the BLAS thread count (OpenBLAS), so ranks x threads never
 * oversubscribe silently. */
void sw_wl_blas_threads(int nthreads);

/* Row-major C = alpha op(A) op(B) + beta C (m x n, inner k) and
 * y += alpha x, through OpenBLAS's Fortran symbols.  Why not cblas_*: GSL
 * ships its own reference CBLAS, and whichever of libgslcblas and
 * libopenblas comes first on a link line wins those names — 40x slower
 * GEMMs for programs that link GSL first.  sgemm_ exists only in OpenBLAS. */
void sw_wl_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc);
void sw_wl_saxpy(long n, float alpha, const float *x, float *y);

/* Hooks for bench/bench_kernels_*.c, which time one kernel of a workload
 * against a peer on the same state setup() made. */
/* `reps` halo exchanges + CSR products of cg; *bytes: what they moved
 * (HPCG's count: values, indices, row pointers, input once, output). */
sw_status sw_wl_cg_spmv(void *state, MPI_Comm comm, int reps, double *bytes);
/* mlp's layer widths dim[0..*nlayers] and this rank's batch. */
void sw_wl_mlp_shape(const void *state, int *nlayers, const int **dim, long *batch);
/* Seconds this rank spent in SGEMM and in the gradient allreduce during the
 * last run(). */
void sw_wl_mlp_times(const void *state, double *gemm_s, double *allreduce_s);

#endif
