/* sysinfo.c — the metadata every results row carries.
 *
 * A timing without the machine, MPI, BLAS and compiler behind it cannot be
 * compared with anything later, so each row repeats them (obs.h meta). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/version.h"
#include "workloads/harness.h"

char *openblas_get_config(void); /* OpenBLAS; its cblas.h would clash with GSL's */

static void copy_trim(char *dst, size_t len, const char *src)
{
    while (*src == ' ' || *src == '\t')
        src++;
    snprintf(dst, len, "%s", src);
    size_t n = strlen(dst);
    while (n && (dst[n - 1] == '\n' || dst[n - 1] == ' ' || dst[n - 1] == '\r'))
        dst[--n] = '\0';
    for (char *p = dst; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static void cpu_model(char *dst, size_t len)
{
    snprintf(dst, len, "unknown");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (!fp)
        return;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        char *colon = strchr(line, ':');
        if (colon && strncmp(line, "model name", 10) == 0) {
            copy_trim(dst, len, colon + 1);
            break;
        }
    }
    fclose(fp);
}

/* /proc/PID/stat, field 24, in pages. */
double sw_sysinfo_group_rss(pid_t pgrp)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    double pages = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        char path[300], buf[1024];
        snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
        FILE *fp = fopen(path, "r");
        if (!fp)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, fp);
        fclose(fp);
        buf[n] = '\0';
        /* After the command name's closing parenthesis: state, ppid, pgrp,
         * 18 fields (session ... vsize), rss. */
        const char *q = strrchr(buf, ')');
        long grp = 0;
        double rss = 0;
        if (q && sscanf(q + 2, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
                               "%*d %*d %*d %*d %*u %*u %lf", &grp, &rss) == 2 &&
            grp == (long)pgrp)
            pages += rss;
    }
    closedir(d);
    return pages * (double)sysconf(_SC_PAGESIZE);
}

double sw_sysinfo_mem_available(void)
{
    FILE *fp = fopen("/proc/meminfo", "r");
    if (!fp)
        return NAN;
    char line[256];
    double v = NAN;
    while (fgets(line, sizeof line, fp)) {
        double kb;
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1) {
            v = kb * 1024.0;
            break;
        }
    }
    fclose(fp);
    return v;
}

static int env_int(const char *const *names, int dflt)
{
    for (; *names; names++) {
        const char *v = getenv(*names);
        if (v && *v) {
            char *end;
            long x = strtol(v, &end, 10);
            if (*end == '\0' && x >= 0 && x < 1 << 30)
                return (int)x;
        }
    }
    return dflt;
}

/* Slurm's task variables count only inside a job step (srun sets
 * SLURM_STEP_ID): salloc's shell and an sbatch script carry SLURM_NTASKS of
 * the allocation, but they are one process, not a launched rank. */
int sw_env_rank(void)
{
    static const char *const names[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", NULL};
    static const char *const slurm[] = {"SLURM_PROCID", NULL};
    return env_int(names, getenv("SLURM_STEP_ID") ? env_int(slurm, 0) : 0);
}

int sw_env_size(void)
{
    static const char *const names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL};
    static const char *const slurm[] = {"SLURM_NTASKS", NULL};
    return env_int(names, getenv("SLURM_STEP_ID") ? env_int(slurm, 1) : 1);
}

/* The Slurm job around this process, from the environment srun and sbatch
 * set: which job and step, where, and what it asked for per task. */
static void slurm_env(char *dst, size_t len)
{
    static const char *const keys[][2] = {
        {"job", "SLURM_JOB_ID"},           {"step", "SLURM_STEP_ID"},
        {"cluster", "SLURM_CLUSTER_NAME"}, {"partition", "SLURM_JOB_PARTITION"},
        {"nodelist", "SLURM_JOB_NODELIST"}, {"nodes", "SLURM_JOB_NUM_NODES"},
        {"tasks_per_node", "SLURM_NTASKS_PER_NODE"}, {"cpus_per_task", "SLURM_CPUS_PER_TASK"},
    };
    size_t off = 0;
    dst[0] = '\0';
    if (!getenv("SLURM_JOB_ID"))
        return;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && off < len; i++) {
        const char *v = getenv(keys[i][1]);
        if (v && *v)
            off += (size_t)snprintf(dst + off, len - off, "%s%s=%s", off ? " " : "", keys[i][0],
                                    v);
    }
}

sw_status sw_sysinfo_hostmap(MPI_Comm world, sw_hostmap *m, int place[2], sw_error *err)
{
    enum { TAG_NAME = 7301, TAG_PLACE = 7302 };
    int size, rank, len = 0;
    char mine[MPI_MAX_PROCESSOR_NAME + 1] = {0};
    MPI_Comm_size(world, &size);
    MPI_Comm_rank(world, &rank);
    memset(m, 0, sizeof *m);
    if (MPI_Get_processor_name(mine, &len) != MPI_SUCCESS || len <= 0)
        gethostname(mine, sizeof mine - 1);
    /* Rank 0 takes the names one message at a time into a buffer on its
     * stack, and hands each rank its place back the same way: nothing of
     * size P is ever exchanged.  A collective into a P-sized buffer would
     * be P^2 copies in SMPI (one process for every simulated rank), and
     * SMPI does not even fill a large receive buffer (its shared malloc). */
    sw_status st = SW_OK;
    if (rank == 0) {
        char buf[sizeof mine];
        st = sw_hostmap_init(m, size, err);
        if (!st)
            st = sw_hostmap_add(m, mine, sizeof mine, err);
        for (int r = 1; r < size; r++) {
            MPI_Recv(buf, (int)sizeof buf, MPI_CHAR, r, TAG_NAME, world, MPI_STATUS_IGNORE);
            buf[sizeof buf - 1] = '\0';
            if (!st)
                st = sw_hostmap_add(m, buf, sizeof buf, err);
        }
        if (st)
            sw_hostmap_free(m);
    } else {
        MPI_Send(mine, (int)sizeof mine, MPI_CHAR, 0, TAG_NAME, world);
    }
    MPI_Bcast(&st, 1, MPI_INT, 0, world);
    if (st)
        return st;
    if (rank == 0) {
        place[0] = m->node[0];
        place[1] = m->local[0];
        for (int r = 1; r < size; r++) {
            int pr[2] = {m->node[r], m->local[r]};
            MPI_Send(pr, 2, MPI_INT, r, TAG_PLACE, world);
        }
    } else {
        MPI_Recv(place, 2, MPI_INT, 0, TAG_PLACE, world, MPI_STATUS_IGNORE);
    }
    return SW_OK;
}

void sw_sysinfo_get(sw_sysinfo *si, MPI_Comm world)
{
    memset(si, 0, sizeof *si);
    if (gethostname(si->host, sizeof si->host - 1) != 0)
        snprintf(si->host, sizeof si->host, "unknown");
    cpu_model(si->cpu, sizeof si->cpu);
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    si->cores = c > 0 ? (int)c : 0;
    /* Both may be called before MPI_Init (MPI-3.0 8.1.1). */
    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0, ver = 0, sub = 0;
    MPI_Get_library_version(lib, &len);
    char *nl = strchr(lib, '\n');
    if (nl)
        *nl = '\0';
    copy_trim(si->mpi, sizeof si->mpi, lib);
    MPI_Get_version(&ver, &sub);
    snprintf(si->mpi_version, sizeof si->mpi_version, "%d.%d", ver, sub);
    const char *blas = openblas_get_config();
    copy_trim(si->blas, sizeof si->blas, blas ? blas : "unknown");
    snprintf(si->compiler, sizeof si->compiler, "%s", __VERSION__);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(si->utc, sizeof si->utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    slurm_env(si->slurm, sizeof si->slurm);
    si->nodes = si->job_ranks = 1;
    if (world != MPI_COMM_NULL) {
        MPI_Comm node;
        int rank, nrank, leader, nodes = 1;
        MPI_Comm_size(world, &si->job_ranks);
        MPI_Comm_rank(world, &rank);
        sw_comm_split_node_quiet(world, rank, &node);
        MPI_Comm_rank(node, &nrank);
        leader = nrank == 0;
        MPI_Allreduce(&leader, &nodes, 1, MPI_INT, MPI_SUM, world);
        MPI_Comm_free(&node);
        si->nodes = nodes;
    }
}

sw_status sw_sysinfo_to_meta(const sw_sysinfo *si, const char *argv_line, sw_obs *o,
                             sw_error *err)
{
    char cores[16], nodes[16], ranks[16];
    snprintf(cores, sizeof cores, "%d", si->cores);
    snprintf(nodes, sizeof nodes, "%d", si->nodes);
    snprintf(ranks, sizeof ranks, "%d", si->job_ranks);
    const char *kv[][2] = {
        {"host", si->host},       {"cpu", si->cpu},
        {"cores", cores},         {"nodes", nodes},
        {"job_ranks", ranks},     {"mpi", si->mpi},
        {"mpi_version", si->mpi_version}, {"blas", si->blas},
        {"compiler", si->compiler}, {"scalewall", SW_VERSION},
        {"utc", si->utc},         {"command", argv_line ? argv_line : ""},
        {"slurm", si->slurm},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        sw_status st = sw_obs_set_meta(o, kv[i][0], kv[i][1], err);
        if (st)
            return st;
    }
    return SW_OK;
}
