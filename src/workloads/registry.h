/* registry.h — the built-in workloads, one declaration a line.
 *
 * Adding a workload is two one-line edits: its declaration here and its
 * address in sw_workloads[] (workloads.c), so parallel additions rebase
 * without conflicts. */
#ifndef SW_WORKLOADS_REGISTRY_H
#define SW_WORKLOADS_REGISTRY_H

#include "workloads/workload.h"

extern const sw_workload sw_wl_cg;
extern const sw_workload sw_wl_comm;
extern const sw_workload sw_wl_dense;
extern const sw_workload sw_wl_mlp;
extern const sw_workload sw_wl_spike;

#endif
