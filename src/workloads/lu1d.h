/* lu1d.h — dense's solver on a one-row process grid (1 x P): a right-looking
 * block LU with partial pivoting and a look-ahead of one panel, over MPI and
 * BLAS/LAPACK (lu1d.c says why). */
#ifndef SW_WORKLOADS_LU1D_H
#define SW_WORKLOADS_LU1D_H

#include <mpi.h>

/* Solves A x = b in place on a 1 x P grid where rank q holds global column
 * blocks q, q+P, q+2P, ... of width nb, each whole (n rows), one after the
 * other in `a` (leading dimension n): ScaLAPACK's block-cyclic layout on a
 * one-row grid.  b (length n) must be the same on every rank; on return
 * every rank's x (length n) holds the solution and `a` holds L and U
 * (rows of L not swapped by later pivots).  Returns 0, or k > 0 if U(k,k)
 * is exactly zero (LAPACK's info), the same on every rank, or -1 if
 * memory ran out on some rank. */
int sw_lu1d_solve(MPI_Comm comm, int n, int nb, double *a, const double *b, double *x);

/* Bytes sw_lu1d_solve allocates on a rank beyond A, b and x: two panel
 * buffers with their pivots, two work vectors of n, pivots and a sum of nb. */
double sw_lu1d_bytes(int n, int nb);

#endif
