/* masterworker.c — pattern e, master–worker (task farms, parameter sweeps,
 * dynamic load balancing through one coordinator).
 *
 * Per iteration `tasks` tasks of flops/tasks each are handed out by rank 0.
 * A worker sends a request carrying its previous result (result bytes), the
 * master spends `service` flops on each request (bookkeeping, merging the
 * result) and replies with a task (task bytes) or, when none is left, a stop
 * for this iteration.  At N = 1 rank 0 does all the work itself.  At large N
 * the master is the bottleneck: tasks·(service + its messages) per iteration.
 *   args: flops=W tasks=T service=s task=q result=r iters=K warmup=1
 * Iterations are separated by a barrier: without it a worker stopped early
 * in iteration i sends its request for i+1 while the master still serves
 * i, gets a second stop and sits out i+1 (the timed iteration then ran on
 * 55–70% of the workers, a share set by the race at the warm-up's end, not
 * by the pattern).  The barrier also starts every timed iteration with all
 * ranks together, so the time is the iteration's makespan.
 * Check: every task is handed out once — the workers' task counts sum to T
 * per iteration, and (private buffers) the task ids they received sum to
 * T(T−1)/2 and every task carries the iteration it was handed out in. */
#include "common.h"

enum { TAG_REQ = 1, TAG_TASK = 2, TAG_STOP = 3 };

typedef struct ctx {
    double task_flops, service;
    int rank, n, tasks, checked, qcount, rcount;
    buffer task, result;
    long done, id_sum, msgs, stray;
    int it;
} ctx;

static void master(ctx *c)
{
    int handed = 0, stopped = 0;
    long long *t = c->task.p;
    while (stopped < c->n - 1) {
        MPI_Status st;
        MPI_Recv(c->result.p, c->rcount, MPI_BYTE, MPI_ANY_SOURCE, TAG_REQ, MPI_COMM_WORLD, &st);
        smpi_execute_flops(c->service);
        if (handed < c->tasks) {
            if (c->checked) {
                t[0] = handed;
                t[1] = c->it;
            }
            MPI_Send(c->task.p, c->qcount, MPI_BYTE, st.MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
            handed++;
        } else {
            MPI_Send(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            stopped++;
        }
        c->msgs++;
    }
}

static void worker(ctx *c)
{
    long long *t = c->task.p;
    for (;;) {
        MPI_Status st;
        MPI_Send(c->result.p, c->rcount, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
        c->msgs++;
        MPI_Recv(c->task.p, c->qcount, MPI_BYTE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP)
            return;
        c->done++;
        if (c->checked) {
            c->id_sum += t[0];
            c->stray += t[1] != c->it;
        }
        smpi_execute_flops(c->task_flops);
    }
}

static void iteration(void *vc, int it)
{
    (void)it;
    ctx *c = vc;
    c->it = it;
    if (c->n == 1) {
        smpi_execute_flops(c->task_flops * c->tasks);
        c->done += c->tasks;
        c->id_sum += (long)c->tasks * (c->tasks - 1) / 2;
    } else if (c->rank == 0)
        master(c);
    else
        worker(c);
    if (c->n > 1)
        MPI_Barrier(MPI_COMM_WORLD);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    ctx c = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.n);
    double w = arg_num(argc, argv, "flops", 1e9);
    c.tasks = (int)arg_num(argc, argv, "tasks", 4096);
    c.service = arg_num(argc, argv, "service", 1e4);
    c.qcount = (int)arg_num(argc, argv, "task", 1024);
    c.rcount = (int)arg_num(argc, argv, "result", 64);
    if (c.qcount < 16)
        c.qcount = 16; /* the task id and its iteration */
    int iters = (int)arg_num(argc, argv, "iters", 3), warmup = (int)arg_num(argc, argv, "warmup", 1);
    c.task_flops = w / c.tasks;
    c.checked = (size_t)c.qcount + (size_t)c.rcount <= CORPUS_PRIVATE_MAX;
    c.task = buf_alloc((size_t)c.qcount, !c.checked);
    c.result = buf_alloc((size_t)c.rcount, !c.checked);
    double t = timed_loop(iteration, &c, warmup, iters);
    long mine[3] = {c.done, c.id_sum, c.stray}, all[3] = {0, 0, 0};
    reduce0(mine, all, 3, MPI_LONG, MPI_SUM);
    long failures = 0, runs = warmup + iters;
    if (c.rank == 0 && (all[0] != runs * c.tasks ||
                        (c.checked && (all[1] != runs * ((long)c.tasks * (c.tasks - 1) / 2) || all[2] != 0))))
        failures = 1;
    int st = report("masterworker", iters, t, c.checked, failures, c.msgs);
    buf_free(&c.task);
    buf_free(&c.result);
    MPI_Finalize();
    return st;
}
