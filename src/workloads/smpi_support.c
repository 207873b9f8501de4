/* smpi_support.c — which workloads SMPI runs and how their results are
 * marked (smpi_support.h says why). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SW_SMPI
#include <simgrid/actor.h>
#include <smpi/smpi.h>
#endif

#include "workloads/smpi_support.h"

typedef struct smpi_wl {
    const char *name;
    const char *unsupported; /* NULL: runs under SMPI */
    int check_skipped;
    int shared; /* big buffers shared between ranks (every rank holds a replica) */
} smpi_wl;

static const smpi_wl table[] = {
    {"comm", NULL, 0, 0},
    {"cg", NULL, 1, 0},
    {"mlp", NULL, 1, 1},
    {"dense", "Debian's ScaLAPACK is linked against Open MPI, so it cannot run under SMPI", 0, 0},
    {"spike", "its compute is not injected (no flop count per phase), so a simulated time "
              "would be communication only", 0, 0},
};
#define NTABLE (sizeof table / sizeof table[0])

static const smpi_wl *find(const char *w)
{
    for (size_t i = 0; w && i < NTABLE; i++)
        if (strcmp(table[i].name, w) == 0)
            return &table[i];
    return NULL;
}

const char *sw_smpi_unsupported(const char *workload)
{
    const smpi_wl *e = find(workload);
    if (!e)
        return "not a workload scalewall can run under SMPI (comm, cg, mlp)";
    return e->unsupported;
}

int sw_smpi_check_skipped(const char *workload)
{
    const smpi_wl *e = find(workload);
    return e ? e->check_skipped : 0;
}

int sw_smpi_shared_buffers(const char *workload)
{
    const smpi_wl *e = find(workload);
    return e ? e->shared : 0;
}

void sw_smpi_list(void)
{
    printf("Under SimGrid SMPI (--platform):\n");
    for (size_t i = 0; i < NTABLE; i++) {
        if (table[i].unsupported)
            printf("  %-6s not available: %s\n", table[i].name, table[i].unsupported);
        else
            printf("  %-6s runs; answer check %s\n", table[i].name,
                   table[i].check_skipped ? "skipped (compute injected: check=skipped-smpi)"
                                          : "done as on a real run");
    }
}

#ifdef SW_SMPI
void sw_smpi_compute(double flops)
{
    if (flops > 0)
        smpi_execute_flops(flops);
}

int sw_smpi_rank(void)
{
    const char *n = sg_actor_self_get_name();
    return n ? atoi(n) : 0;
}
#endif

sw_status sw_smpi_mark(sw_obs *o, const char *platform, sw_error *err)
{
    o->simulated = 1;
    sw_status st = sw_obs_set_meta(o, "platform", platform, err);
    if (!st)
        st = sw_obs_set_meta(o, "check",
                             sw_smpi_check_skipped(o->workload) ? "skipped-smpi" : "done", err);
    return st;
}
