/* smpi_support.h — what the workloads and the harness need to know when
 * they run under SimGrid's SMPI (docs/virtual.md).
 *
 * Compute is injected, not executed: every rank of a simulation runs on one
 * host core, so a kernel's loop is replaced by smpi_execute_flops() of its
 * flop count, and the simulated platform's host speed is the rate measured
 * by a real 1-rank run.  Answers computed that way (and on buffers SMPI may
 * share between ranks) cannot be checked: such workloads say so here, and
 * the results carry check=skipped-smpi.  Compiled into both builds so the
 * real `scalewall measure --platform` can refuse what SMPI cannot run. */
#ifndef SW_WORKLOADS_SMPI_SUPPORT_H
#define SW_WORKLOADS_SMPI_SUPPORT_H

#include "scalewall/error.h"
#include "scalewall/obs.h"

struct sw_workload;
/* comm, cg or mlp (smpi_registry.c); NULL for the others. */
const struct sw_workload *sw_smpi_workload_find(const char *name);
/* NULL when the workload runs under SMPI, else why not (one line). */
const char *sw_smpi_unsupported(const char *workload);
/* 1 when the workload's check is skipped under SMPI (compute injected). */
int sw_smpi_check_skipped(const char *workload);
/* 1 when its large buffers may be shared between simulated ranks
 * (smpi/auto-shared-malloc-thresh): mlp, whose every rank holds the whole
 * network.  cg keeps private buffers: its slabs split the grid, so the
 * memory is that of one real run, and its CSR counts stay exact. */
int sw_smpi_shared_buffers(const char *workload);
/* Prints the workloads SMPI runs, and the ones it does not, with why. */
void sw_smpi_list(void);

#ifdef SW_SMPI
/* Simulated time of `flops` at the host's speed (smpi_execute_flops). */
void sw_smpi_compute(double flops);
/* This rank before MPI_Init (SMPI names each actor after its rank). */
int sw_smpi_rank(void);
#endif

/* Marks a series as simulated on `platform` (meta platform=, check=). */
sw_status sw_smpi_mark(sw_obs *o, const char *platform, sw_error *err);

#endif
