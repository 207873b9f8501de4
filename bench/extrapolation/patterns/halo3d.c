/* halo3d.c — pattern b, 3-D halo stencil + a residual allreduce (structured
 * CFD, climate, Jacobi/multigrid smoothers).
 *
 * A periodic G×G×G grid is cut into blocks by MPI_Dims_create(N, 3); each
 * iteration a rank exchanges its 6 faces (fields doubles per face point)
 * with its neighbours, updates its block (fpp flops per point) and joins an
 * allreduce of one double (the residual norm).  The slowest rank holds the
 * largest block, ceil(G/d) along each axis.  A neighbour that is the rank
 * itself (an axis not cut) costs no message.
 *   args: grid=G fpp=F fields=f iters=K warmup=1
 * Check (private faces): a face carries the sender's rank and direction; the
 * residual allreduce of rank + 1 sums to N(N+1)/2. */
#include "common.h"

typedef struct ctx {
    MPI_Comm cart;
    int rank, n, checked;
    int nb[3][2];        /* neighbour towards -/+ along each axis */
    size_t face_count[3]; /* doubles per face across each axis */
    buffer send[3][2], recv[3][2];
    double flops;
    long failures, msgs;
} ctx;

static void iteration(void *vc, int it)
{
    (void)it;
    ctx *c = vc;
    MPI_Request req[12];
    int nr = 0;
    for (int a = 0; a < 3; a++)
        for (int d = 0; d < 2; d++) {
            if (c->nb[a][d] == c->rank)
                continue;
            /* A message travelling in direction d along a is tagged 2a+d;
             * the one received from the - side travelled in direction +. */
            MPI_Irecv(c->recv[a][d].p, (int)c->face_count[a], MPI_DOUBLE, c->nb[a][d],
                      2 * a + (1 - d), c->cart, &req[nr++]);
        }
    for (int a = 0; a < 3; a++)
        for (int d = 0; d < 2; d++) {
            if (c->nb[a][d] == c->rank)
                continue;
            if (c->checked) {
                double *s = c->send[a][d].p;
                s[0] = c->rank;
                s[c->face_count[a] - 1] = 2 * a + d;
            }
            MPI_Isend(c->send[a][d].p, (int)c->face_count[a], MPI_DOUBLE, c->nb[a][d], 2 * a + d,
                      c->cart, &req[nr++]);
            c->msgs++;
        }
    MPI_Waitall(nr, req, MPI_STATUSES_IGNORE);
    if (c->checked)
        for (int a = 0; a < 3; a++)
            for (int d = 0; d < 2; d++) {
                if (c->nb[a][d] == c->rank)
                    continue;
                double *r = c->recv[a][d].p;
                if (r[0] != c->nb[a][d] || r[c->face_count[a] - 1] != 2 * a + (1 - d))
                    c->failures++;
            }
    smpi_execute_flops(c->flops);
    double res = c->rank + 1, sum = 0;
    MPI_Allreduce(&res, &sum, 1, MPI_DOUBLE, MPI_SUM, c->cart);
    if (sum != 0.5 * c->n * (c->n + 1.0))
        c->failures++;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double g = arg_num(argc, argv, "grid", 256), fpp = arg_num(argc, argv, "fpp", 20);
    int fields = (int)arg_num(argc, argv, "fields", 1);
    int iters = (int)arg_num(argc, argv, "iters", 5), warmup = (int)arg_num(argc, argv, "warmup", 1);
    int dims[3] = {0, 0, 0}, periods[3] = {1, 1, 1}, coords[3];
    MPI_Dims_create(c.n, 3, dims);
    MPI_Cart_create(MPI_COMM_WORLD, 3, dims, periods, 0, &c.cart);
    MPI_Comm_rank(c.cart, &c.rank);
    MPI_Cart_coords(c.cart, c.rank, 3, coords);
    long gl = (long)g, local[3];
    for (int a = 0; a < 3; a++) {
        /* Block distribution: the first G mod d blocks get one point more. */
        local[a] = gl / dims[a] + (coords[a] < gl % dims[a]);
        MPI_Cart_shift(c.cart, a, 1, &c.nb[a][0], &c.nb[a][1]);
    }
    c.flops = fpp * (double)local[0] * (double)local[1] * (double)local[2];
    size_t total = 0;
    for (int a = 0; a < 3; a++) {
        c.face_count[a] = (size_t)fields * (size_t)(local[(a + 1) % 3] * local[(a + 2) % 3]);
        total += 4 * c.face_count[a] * 8;
    }
    c.checked = total <= CORPUS_PRIVATE_MAX;
    for (int a = 0; a < 3; a++)
        for (int d = 0; d < 2; d++) {
            size_t bytes = c.face_count[a] * 8;
            c.send[a][d] = buf_alloc(bytes, !c.checked);
            c.recv[a][d] = buf_alloc(bytes, !c.checked);
        }
    double t = timed_loop(iteration, &c, warmup, iters);
    int st = report("halo3d", iters, t, c.checked, c.failures, c.msgs);
    for (int a = 0; a < 3; a++)
        for (int d = 0; d < 2; d++) {
            buf_free(&c.send[a][d]);
            buf_free(&c.recv[a][d]);
        }
    MPI_Comm_free(&c.cart);
    MPI_Finalize();
    return st;
}
