/* workloads.c — the registry of built-in workloads (`scalewall measure NAME`).
 *
 * One entry a line, so each workload lands with a one-line edit. */
#include <string.h>

#include "workloads/registry.h"

const sw_workload *const sw_workloads[] = {
    &sw_wl_cg,
    &sw_wl_comm,
    &sw_wl_dense,
    &sw_wl_mlp,
    &sw_wl_spike,
};
const size_t sw_nworkloads = sizeof sw_workloads / sizeof sw_workloads[0];

const sw_workload *sw_workload_find(const char *name)
{
    for (size_t i = 0; i < sw_nworkloads; i++)
        if (strcmp(sw_workloads[i]->name, name) == 0)
            return sw_workloads[i];
    return NULL;
}
