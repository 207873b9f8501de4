/* smpi_registry.c — the workloads SMPI runs, by name.  Compiled into both
 * builds: the real `measure --platform` looks a workload up here (its
 * memory estimate, its 1-rank rate), and in scalewall_smpi.so this list is
 * the registry, in place of workloads.c: dense and spike are not there
 * (smpi_support.c says why, `--list` prints it). */
#include <string.h>

#include "workloads/smpi_support.h"
#include "workloads/workload.h"

extern const sw_workload sw_wl_comm, sw_wl_cg, sw_wl_mlp;

static const sw_workload *const smpi_workloads[] = {&sw_wl_comm, &sw_wl_cg, &sw_wl_mlp};
#define NSMPI (sizeof smpi_workloads / sizeof smpi_workloads[0])

const sw_workload *sw_smpi_workload_find(const char *name)
{
    for (size_t i = 0; i < NSMPI; i++)
        if (strcmp(smpi_workloads[i]->name, name) == 0)
            return smpi_workloads[i];
    return NULL;
}

#ifdef SW_SMPI
const sw_workload *const sw_workloads[] = {&sw_wl_comm, &sw_wl_cg, &sw_wl_mlp};
const size_t sw_nworkloads = NSMPI;

const sw_workload *sw_workload_find(const char *name)
{
    return sw_smpi_workload_find(name);
}
#endif
