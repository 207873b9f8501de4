/* peer_pingpong.h — the peers of bench_comm: the smallest MPI ping-pong one
 * can write (ranks 0 and 1, blocking send/recv, no checks), the figure an
 * OSU-style latency test reports, and a bare MPI_Allreduce loop. */
#ifndef SW_BENCH_PEER_PINGPONG_H
#define SW_BENCH_PEER_PINGPONG_H

#include <mpi.h>

/* Seconds per one-way message: iters round trips of `bytes`, halved. */
static inline double peer_pingpong(MPI_Comm comm, char *buf, int bytes, long iters)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    MPI_Barrier(comm);
    double t0 = MPI_Wtime();
    for (long i = 0; i < iters && rank < 2; i++) {
        if (rank == 0) {
            MPI_Send(buf, bytes, MPI_BYTE, 1, 0, comm);
            MPI_Recv(buf, bytes, MPI_BYTE, 1, 0, comm, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(buf, bytes, MPI_BYTE, 0, 0, comm, MPI_STATUS_IGNORE);
            MPI_Send(buf, bytes, MPI_BYTE, 0, 0, comm);
        }
    }
    double t = MPI_Wtime() - t0, tmax;
    MPI_Allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, comm);
    return tmax / (2.0 * (double)iters);
}

/* Seconds per call of the bare allreduce loop: iters MPI_Allreduce(SUM) of
 * `count` doubles, separate buffers, on every rank of comm. */
static inline double peer_allreduce(MPI_Comm comm, double *in, double *out, int count,
                                    long iters)
{
    MPI_Barrier(comm);
    double t0 = MPI_Wtime();
    for (long i = 0; i < iters; i++)
        MPI_Allreduce(in, out, count, MPI_DOUBLE, MPI_SUM, comm);
    double t = MPI_Wtime() - t0, tmax;
    MPI_Allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, comm);
    return tmax / (double)iters;
}

#endif
