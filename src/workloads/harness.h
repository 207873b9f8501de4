/* harness.h — the measurement harness behind `scalewall measure`.
 *
 * One sweep = a plan of points (ranks x threads x case), each repeated
 * until the CI of its median is tight enough (measure_stats.h), every
 * repetition appended to the results files as it finishes.  Two backends
 * share the driver: a built-in workload run inside this MPI job on
 * sub-communicators, or the user's own command run with fork/exec. */
#ifndef SW_WORKLOADS_HARNESS_H
#define SW_WORKLOADS_HARNESS_H

#include <mpi.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "scalewall/error.h"
#include "scalewall/hostmap.h"
#include "scalewall/io.h"
#include "scalewall/measure_stats.h"
#include "scalewall/obs.h"
#include "workloads/workload.h"

typedef struct sw_measure_opts {
    const sw_workload *wl;     /* built-in, or NULL for a user command */
    char **cmd;                /* user command template ({n}, {t} placeholders) */
    int ncmd;
    int shell;                 /* run cmd[0] with /bin/sh -c */
    const char *metric;        /* POSIX ERE; first group is the number */
    int metric_rate;           /* the metric is a rate (else a time) */
    const char *unit;          /* unit of a rate metric */
    const char *name;          /* workload name of a user command */
    double timeout_s;          /* user command: kill after; <= 0: none */
    double mem_limit;          /* bytes a node may use; <= 0: 90% of MemAvailable */
    long *ranks;               /* rank counts (built-in) or {n} values */
    size_t nranks;
    long *threads;             /* OpenMP threads per rank */
    size_t nthreads;
    int np_given;              /* --np was given (else 1, 2, 4, ... up to the job) */
    long *nodes;               /* --nodes: node counts of the inter-node series */
    size_t nnodes;
    long *per_node;            /* --ranks-per-node: ranks on one node (the intra-node
                                  series when more than one; the largest is the
                                  inter-node series' ranks per node) */
    size_t nper_node;
    sw_scaling scaling;
    const char *params;
    sw_stop_rule rule;
    int warmup;
    const char *out_csv, *out_jsonl, *hockney;
    const char *platform_out;  /* comm across nodes: the two-level platform file */
    int resume, force;
    int progress;              /* draw the progress line (stderr is a tty) */
    const char *argv_line;     /* the command line, for the metadata */
    const char *platform;      /* SMPI: the simulated platform (smpi_support.h), else NULL */
} sw_measure_opts;

/* How a sweep ended besides its status. */
typedef struct sw_measure_result {
    size_t failed; /* ok=0 rows (a failed user command is not an error of the sweep) */
    int signal;    /* user command: the SIGINT/SIGTERM/SIGHUP that stopped the sweep, or 0 */
} sw_measure_result;

/* Runs the sweep.  Built-in: collective over `world` (every rank calls it
 * with the same options; errors are agreed, the message is the same on
 * every rank and only rank 0 prints).  User command: world is
 * MPI_COMM_NULL and MPI is never initialised; a signal that stops it
 * returns SW_EFAIL with res->signal set, after every finished repetition
 * was recorded. */
sw_status sw_measure_run(const sw_measure_opts *o, MPI_Comm world, sw_measure_result *res,
                         sw_error *err);

/* ---- comm_quiet.c: the harness's communicators ------------------------ */
/* MPI_Comm_split and MPI_Comm_split_type(MPI_COMM_TYPE_SHARED) of c, and a
 * barrier that sleeps while it waits, none of which leaves Open MPI's
 * nonblocking-collective engine in the progress loop of the messages the
 * workloads time (comm_quiet.c says why).  Collective over c. */
void sw_comm_split_quiet(MPI_Comm c, int color, int key, MPI_Comm *out);
void sw_comm_split_node_quiet(MPI_Comm c, int key, MPI_Comm *out);
void sw_comm_quiet_barrier(MPI_Comm c);

/* ---- sysinfo.c: where the numbers come from -------------------------- */
typedef struct sw_sysinfo {
    char host[256], cpu[256], mpi[256], mpi_version[32], blas[256], compiler[160];
    char utc[32];
    char slurm[512];  /* the Slurm job this runs in ("job=12 step=0 ..."), "" outside */
    int cores, nodes, job_ranks;
} sw_sysinfo;

/* Fills everything; nodes and job_ranks from `world` unless MPI_COMM_NULL. */
void sw_sysinfo_get(sw_sysinfo *si, MPI_Comm world);
/* The host of every rank of `world`, gathered once (MPI_Get_processor_name):
 * the whole map (hostmap.h) on rank 0 only (empty elsewhere), and on every
 * rank its own place, place[0] = its node, place[1] = its index on it.
 * Collective; the status is the same everywhere (the message on rank 0). */
sw_status sw_sysinfo_hostmap(MPI_Comm world, sw_hostmap *m, int place[2], sw_error *err);
sw_status sw_sysinfo_to_meta(const sw_sysinfo *si, const char *argv_line, sw_obs *o,
                             sw_error *err);
/* MemAvailable of /proc/meminfo in bytes, or NAN when unknown. */
double sw_sysinfo_mem_available(void);
/* Resident bytes of every process in process group `pgrp` (/proc), 0 when
 * unknown: what a child group of scalewall's holds (smpirun + smpimain). */
double sw_sysinfo_group_rss(pid_t pgrp);
/* Stops process group `pid` (its leader scalewall's child): SIGTERM, then
 * SIGKILL after 2 s or to stragglers once the leader has gone; reaps the
 * leader into *status. */
void sw_proc_stop_group(pid_t pid, int *status);
/* This process's rank from the launcher's environment (Open MPI, PMI,
 * Slurm) before MPI_Init; 0 when not launched. */
int sw_env_rank(void);
int sw_env_size(void);

/* ---- usercmd.c: the user's own command ------------------------------- */
typedef struct sw_cmd_result {
    double wall_s;   /* fork to the command's own exit, CLOCK_MONOTONIC */
    double metric;   /* the --metric figure, NAN without one */
    int ok;
    int signal;      /* SIGINT/SIGTERM/SIGHUP received while it ran: it was stopped */
    char why[200];   /* the reason of a failed point */
} sw_cmd_result;

/* Checks the template and compiles nothing persistent: empty command, bad
 * regex -> SW_EINVAL. */
sw_status sw_usercmd_validate(const sw_measure_opts *o, sw_error *err);
/* Replaces every {n} and {t} in each argument; malloc'd NULL-terminated. */
char **sw_usercmd_expand(char *const *tmpl, int ntmpl, long n, long t);
void sw_usercmd_free(char **argv);
/* Runs once; a non-zero exit, a signal, a timeout or a missing metric is
 * res->ok = 0 with SW_OK; only fork/pipe failures are errors.  Ctrl-C,
 * SIGTERM or SIGHUP sent to scalewall while the command runs stop the
 * command (its whole process group under --timeout) and set res->signal:
 * nothing is left running. */
sw_status sw_usercmd_run(const sw_measure_opts *o, long n, long t, sw_cmd_result *res,
                         sw_error *err);

/* ---- wl_comm.c: the size sweep and the Hockney file ------------------ */
/* The cases (params strings) comm measures at nranks of a sweep whose
 * largest rank count is max_ranks: each op over sizes min..max. */
sw_status sw_comm_cases(const char *params, int nranks, int max_ranks, char ***cases,
                        size_t *ncases, sw_error *err);
/* A network level a comm sweep measured: its series carry "level=NAME" in
 * their params ("" for the classic sweep on one node, whose ping-pong ran at
 * pair_ranks = the largest rank count). */
typedef struct sw_comm_level {
    const char *name;          /* "intra", "inter", or "" */
    int pair_ranks, group_ranks; /* ranks of the ping-pong, of allreduce/barrier */
    char pair_hosts[160], group_hosts[400];
    sw_hockney_op fit[3];      /* pingpong, allreduce, barrier; npoints 0: not measured */
    char why[3][300];          /* an op that could not be fitted: why; "" otherwise */
} sw_comm_level;

/* Fits each op of one level (fills lv->fit; an op that cannot be fitted
 * says why in lv->why and the first such error is returned). */

sw_status sw_comm_fit_level(sw_obs *const *series, size_t nseries, sw_comm_level *lv,
                            sw_error *err);
/* The scalewall-hockney JSON of fitted levels (malloc'd): one unnamed level
 * gives the classic {"ranks", "ops"}; named ones give {"levels": {...}}. */
sw_status sw_comm_hockney_text(const sw_comm_level *lv, size_t nlv, const char *host,
                               char **text, sw_error *err);
/* Writes text and a newline to path atomically (sw_outfile), which must not
 * be one of `inputs` (the sweep's results files, its other outputs). */
sw_status sw_comm_write_text(const char *path, const char *text, const char *const *inputs,
                             size_t ninputs, sw_error *err);
/* Each level's fit, op by op (sw_hockney_describe: alpha, beta, bandwidth, r2
 * and a warning when r2 is poor). */
void sw_comm_levels_print(FILE *fp, const sw_comm_level *lv, size_t nlv);

/* ---- measure_results.c: files that keep every finished point --------- */
typedef struct sw_results {
    sw_outfile csv_out, jsonl_out; /* locked while open */
    FILE *csv, *jsonl;             /* their streams, NULL when not written */
    const char *csv_path, *jsonl_path;
    sw_obs_set prev;  /* points found by --resume */
    size_t nprev;
    size_t unsynced;        /* rows handed to the kernel since the last fsync */
    double first_unsynced;  /* CLOCK_MONOTONIC when the first of them was */
} sw_results;

/* How long a finished row may wait for its fsync (measure_results.c). */
#define SW_RESULTS_SYNC_S 1.0

/* Opens and locks (creating, truncating with force, or resuming) the
 * files; a resumed file is cut back to its last complete record first.
 * proto gives the CSV columns.  Nothing is created when this fails, and a
 * file another sweep holds is refused at once. */
sw_status sw_results_open(sw_results *r, const sw_measure_opts *o, const sw_obs *proto,
                          sw_error *err);
/* Appends one point to each file and flushes it to the kernel; fsyncs
 * once the oldest row not yet synced is SW_RESULTS_SYNC_S old. */
sw_status sw_results_append(sw_results *r, const sw_obs *o, const sw_obs_point *p,
                            sw_error *err);
/* Fsyncs the rows appended since the last fsync (the end of a point). */
sw_status sw_results_sync(sw_results *r, sw_error *err);
/* The previous points of (series like o, n, threads). */
size_t sw_results_previous(const sw_results *r, const sw_obs *o, double n, double threads,
                           const sw_obs_point **out, size_t max);
/* Closes the files (releasing the locks). */
sw_status sw_results_close(sw_results *r, sw_error *err);

#endif
