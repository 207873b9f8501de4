/* comm_quiet.c — the harness's own communicators, made so that they leave
 * nothing behind in the messages the workloads time.
 *
 * Why: in Open MPI 4.1 a communicator's context id is agreed by a
 * nonblocking allreduce on its parent, and the first nonblocking collective
 * a communicator starts registers the nonblocking-collective engine
 * (coll/libnbc) in the progress loop until that communicator is freed.
 * The harness splits MPI_COMM_WORLD (the host map's node, each group of
 * ranks), so the engine stayed registered for the whole job and every
 * poll of every message paid for it: a 0-byte ping-pong as `measure comm`
 * records it ran 1.16-1.19x a minimal ping-pong (docs/performance.md) while
 * the same loop in a process that never made a communicator did not.
 * Splitting through a temporary parent made by MPI_Comm_create_group
 * (whose context id is agreed point to point) and freed at once, and
 * waiting at the quiet barrier on such a temporary communicator, leaves the
 * progress loop as MPI_Init left it; the communicators themselves are the
 * same as MPI_Comm_split's.  SMPI has no such engine: plain calls there. */
#include <time.h>

#include "workloads/harness.h"

enum { QUIET_TAG = 7303 };

#ifndef SW_SMPI
/* A communicator of every rank of c, made without a collective on c. */
static MPI_Comm temp_of(MPI_Comm c)
{
    MPI_Group g;
    MPI_Comm t;
    MPI_Comm_group(c, &g);
    MPI_Comm_create_group(c, g, QUIET_TAG, &t);
    MPI_Group_free(&g);
    return t;
}
#endif

void sw_comm_split_quiet(MPI_Comm c, int color, int key, MPI_Comm *out)
{
#ifdef SW_SMPI
    MPI_Comm_split(c, color, key, out);
#else
    MPI_Comm t = temp_of(c);
    MPI_Comm_split(t, color, key, out);
    MPI_Comm_free(&t);
#endif
}

void sw_comm_split_node_quiet(MPI_Comm c, int key, MPI_Comm *out)
{
#ifdef SW_SMPI
    MPI_Comm_split_type(c, MPI_COMM_TYPE_SHARED, key, MPI_INFO_NULL, out);
#else
    MPI_Comm t = temp_of(c);
    MPI_Comm_split_type(t, MPI_COMM_TYPE_SHARED, key, MPI_INFO_NULL, out);
    MPI_Comm_free(&t);
#endif
}

/* Waits for every rank without spinning: an idle rank on an oversubscribed
 * node would otherwise steal the core of a measuring one. */
void sw_comm_quiet_barrier(MPI_Comm c)
{
#ifdef SW_SMPI
    MPI_Comm t = c;
#else
    MPI_Comm t = temp_of(c);
#endif
    MPI_Request req;
    int done = 0;
    MPI_Ibarrier(t, &req);
    for (;;) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done)
            break;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
#ifndef SW_SMPI
    MPI_Comm_free(&t);
#endif
}
