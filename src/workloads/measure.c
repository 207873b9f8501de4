/* measure.c — the sweep: N = ranks x threads, repetitions, results, summary.
 *
 * Built-in workloads run inside the one MPI job: for each rank count r the
 * first r ranks of MPI_COMM_WORLD form a sub-communicator and measure while
 * the others wait (sleeping in MPI_Test, so they leave the cores to the
 * measuring ranks).  A repetition is: barrier, run() (or run_timed(), then
 * the untimed finish()), then MPI_Allreduce MAX of every rank's elapsed
 * time — the slowest rank decides, never rank 0 alone.  Every decision
 * (skip, one more repetition, an error) is taken on rank 0 or agreed by all
 * and broadcast, so no rank can be left waiting.
 * A user command uses the same driver without MPI.
 *
 * Across nodes, where a point's ranks run decides what it measures (shared
 * memory or the network), so the job's host map (hostmap.h) is gathered
 * once: every row records its nodes, ranks per node and each rank's host,
 * and a point may take a placement instead of the first r ranks — k nodes x
 * r ranks per node (--nodes, --ranks-per-node) or, for comm across nodes,
 * one pair and one group per network level.  A placement labels its series
 * (params gain "ranks_per_node=R", "nodes=1" or "level=inter"), so intra-
 * and inter-node scaling are separate series. */
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "scalewall/model.h"
#include "scalewall/platform.h"
#include "scalewall/stats.h"
#include "scalewall/text.h"
#include "workloads/harness.h"
#include "workloads/smpi_support.h"

#define OUTLIER_MADS 3.0
#define MAX_REPS_KEPT 1000 /* --reps MAX is at most this */

/* Which ranks of the job measure a point. */
typedef enum place_kind {
    PL_FIRST, /* ranks 0 .. ranks-1 */
    PL_GRID,  /* the first per_node ranks of each of the first `nodes` nodes */
    PL_PAIR   /* rank 0 and rank `peer` (comm: one link of a level) */
} place_kind;

/* What planning needs from the host map: decided on rank 0, broadcast. */
typedef struct place_info {
    int nnodes;     /* nodes of the job */
    int per_node0;  /* ranks on rank 0's node */
    int intra_peer; /* the next rank on rank 0's node, -1 when none */
    int inter_peer; /* the first rank of the second node, -1 when none */
    int top_per;    /* --nodes: the inter-node series' ranks per node */
    int per_max;    /* the most ranks the job has on one node */
} place_info;

typedef struct plan_item {
    long ranks, threads;
    char *params;
    double core_load; /* ranks x threads per core on the busiest node; > 1: oversubscribed */
    place_kind kind;
    int nodes, per_node, peer;
    char label[48];   /* the placement's series label, "" for the classic sweep */
} plan_item;

enum { X_RANKS, X_RUN_S, X_FLOPS, X_BYTES, X_METRIC, X_CORE_LOAD, X_NODES, X_PER_NODE,
       X_COUNT };
static const char *const extra_names[X_COUNT] = {"ranks",  "run_s",     "flops", "bytes",
                                                 "metric", "core_load", "nodes",
                                                 "ranks_per_node"};

typedef struct sweep {
    const sw_measure_opts *o;
    MPI_Comm world;
    int rank, mpi;
    plan_item *plan;
    size_t nplan;
    long max_ranks;
    sw_sysinfo si;
    sw_hostmap hm;    /* MPI only, rank 0 only: the host of every rank */
    int place[2];     /* MPI: this rank's node and its index there */
    place_info pinfo; /* MPI: the job's shape, from rank 0 */
    int levels;       /* comm across nodes: one pair and one group per level */
    sw_obs **series;
    size_t nseries;
    sw_results res;
    int res_open;
    double t0;
    size_t done_points;
    size_t *failed;
    int *signal;
} sweep;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- agreement: every rank leaves with the same status and message ---- */

static sw_status agree(MPI_Comm c, sw_status st, sw_error *err)
{
    if (c == MPI_COMM_NULL)
        return st;
    int rank, mine, low;
    MPI_Comm_rank(c, &rank);
    mine = st ? rank : INT_MAX;
    MPI_Allreduce(&mine, &low, 1, MPI_INT, MPI_MIN, c);
    if (low == INT_MAX)
        return SW_OK;
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, low, c);
    return err->status;
}

static int bcast_int(MPI_Comm c, int v)
{
    if (c != MPI_COMM_NULL)
        MPI_Bcast(&v, 1, MPI_INT, 0, c);
    return v;
}

/* ---- the plan -------------------------------------------------------- */

static void plan_free(sweep *s)
{
    for (size_t i = 0; i < s->nplan; i++)
        free(s->plan[i].params);
    free(s->plan);
    s->plan = NULL;
    s->nplan = 0;
}

/* A placement: which ranks, and the label of the series it belongs to. */
typedef struct place {
    place_kind kind;
    long ranks;
    int nodes, per_node, peer;
    const char *label;
} place;

static place place_first(long r)
{
    return (place){PL_FIRST, r, 0, 0, 0, ""};
}

static sw_status plan_push(sweep *s, const place *pl, long t, const char *params, sw_error *err)
{
    plan_item *p = realloc(s->plan, (s->nplan + 1) * sizeof *p);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    s->plan = p;
    plan_item *it = &p[s->nplan];
    memset(it, 0, sizeof *it);
    it->ranks = pl->ranks;
    it->threads = t;
    it->kind = pl->kind;
    it->nodes = pl->nodes;
    it->per_node = pl->per_node;
    it->peer = pl->peer;
    snprintf(it->label, sizeof it->label, "%s", pl->label);
    it->core_load = NAN; /* known for built-ins only (plan_core_load) */
    if (!(it->params = strdup(params ? params : "")))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    s->nplan++;
    return SW_OK;
}

/* Does world rank r measure point pi?  A rank knows its own place; rank 0
 * holds the whole map and answers for every rank. */
static int is_member(const sweep *s, const plan_item *pi, int r)
{
    int node = r == s->rank ? s->place[0] : s->hm.node[r];
    int local = r == s->rank ? s->place[1] : s->hm.local[r];
    switch (pi->kind) {
    case PL_GRID: return node < pi->nodes && local < pi->per_node;
    case PL_PAIR: return r == 0 || r == pi->peer;
    default: return r < pi->ranks;
    }
}

static int same_place(const plan_item *a, const plan_item *b)
{
    return a->kind == b->kind && a->ranks == b->ranks && a->threads == b->threads &&
           a->nodes == b->nodes && a->per_node == b->per_node && a->peer == b->peer;
}

/* The command template as the series' params: shell-quoted, so that
 * `-- app 'a b'` and `-- app a b` stay two different series and the
 * record can be pasted back into a shell. */
static char *join_cmd(const sw_measure_opts *o)
{
    if (o->shell) /* already one shell command line */
        return strdup(o->cmd[0]);
    return sw_shell_join((const char *const *)o->cmd, (size_t)o->ncmd);
}

/* The cases of a point: comm's size sweep (only the ops that `want` keeps:
 * "pingpong", "group" for allreduce and barrier, NULL for all), else the
 * workload's params once. */
static sw_status push_cases(sweep *s, const place *pl, long t, const char *want, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    if (strcmp(o->wl->name, "comm") != 0)
        return plan_push(s, pl, t, o->params, err);
    char **cases;
    size_t n;
    /* A pair is 2 ranks, and comm measures its ping-pong at the largest. */
    int r = (int)pl->ranks, top = want ? r : (int)s->max_ranks;
    sw_status st = sw_comm_cases(o->params, r, top, &cases, &n, err);
    for (size_t k = 0; !st && k < n; k++) {
        int pp = strncmp(cases[k], "op=pingpong", 11) == 0;
        if (!want || (strcmp(want, "pingpong") == 0) == pp)
            st = plan_push(s, pl, t, cases[k], err);
    }
    for (size_t k = 0; k < n; k++)
        free(cases[k]);
    free(cases);
    return st;
}

/* comm on a job across nodes: each level (within node 0 when it has two
 * ranks; across nodes) gets a ping-pong pair — rank 0 and the next rank of
 * its node, or the first rank of node 1 — and a group for the collectives:
 * every rank of node 0, or the first rank of every node. */
static sw_status plan_levels(sweep *s, long t, sw_error *err)
{
    const place_info *pi = &s->pinfo;
    sw_status st = SW_OK;
    for (int lv = 0; lv < 2 && !st; lv++) {
        int intra = lv == 0;
        if (intra && pi->per_node0 < 2)
            continue;
        const char *label = intra ? "level=intra" : "level=inter";
        place pair = {PL_PAIR, 2, 0, 0, intra ? pi->intra_peer : pi->inter_peer, label};
        place group = intra ? (place){PL_GRID, pi->per_node0, 1, pi->per_node0, 0, label}
                            : (place){PL_GRID, pi->nnodes, pi->nnodes, 1, 0, label};
        st = push_cases(s, &pair, t, "pingpong", err);
        if (!st)
            st = push_cases(s, &group, t, "group", err);
    }
    return st;
}

/* --nodes / --ranks-per-node: an intra-node series on node 0 over the
 * --ranks-per-node values (when there are several), then an inter-node
 * series over --nodes at pinfo.top_per ranks per node. */
static sw_status plan_nodes(sweep *s, long t, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    int per = s->pinfo.top_per;
    sw_status st = SW_OK;
    for (size_t i = 0; !st && o->nper_node > 1 && i < o->nper_node; i++) {
        place pl = {PL_GRID, o->per_node[i], 1, (int)o->per_node[i], 0, "nodes=1"};
        st = push_cases(s, &pl, t, NULL, err);
    }
    char label[48];
    snprintf(label, sizeof label, "ranks_per_node=%d", per);
    for (size_t i = 0; !st && i < o->nnodes; i++) {
        place pl = {PL_GRID, o->nodes[i] * per, (int)o->nodes[i], per, 0, label};
        st = push_cases(s, &pl, t, NULL, err);
    }
    return st;
}

/* What the plan needs from the host map, on rank 0 (which alone holds it):
 * the job's shape, comm's pairs, and for --nodes the ranks per node of the
 * inter-node series (the largest --ranks-per-node, else the fewest ranks
 * any of those nodes has), refused here when the job cannot give it. */
static sw_status place_info_get(sweep *s, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    const sw_hostmap *m = &s->hm;
    place_info *pi = &s->pinfo;
    *pi = (place_info){m->nnodes, m->per_node[0], -1, -1, 0, 0};
    for (int k = 0; k < m->nnodes; k++)
        pi->per_max = m->per_node[k] > pi->per_max ? m->per_node[k] : pi->per_max;
    for (int r = 1; r < m->nranks; r++) {
        if (pi->intra_peer < 0 && m->node[r] == 0 && m->local[r] == 1)
            pi->intra_peer = r;
        if (pi->inter_peer < 0 && m->node[r] == 1 && m->local[r] == 0)
            pi->inter_peer = r;
    }
    if (!o->nnodes && !o->nper_node)
        return SW_OK;
    long top_nodes = 1, top_per = 0;
    for (size_t i = 0; i < o->nnodes; i++)
        top_nodes = o->nodes[i] > top_nodes ? o->nodes[i] : top_nodes;
    for (size_t i = 0; i < o->nper_node; i++)
        top_per = o->per_node[i] > top_per ? o->per_node[i] : top_per;
    if (top_per == 0)
        top_per = sw_hostmap_min_per_node(m, (int)(top_nodes < m->nnodes ? top_nodes : m->nnodes));
    pi->top_per = (int)top_per;
    int *mem = malloc((size_t)m->nranks * sizeof *mem);
    if (!mem)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_status st = sw_hostmap_grid(m, (int)top_nodes, (int)top_per, mem, err);
    free(mem);
    return st;
}

static sw_status plan_build(sweep *s, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    s->max_ranks = 0;
    for (size_t i = 0; i < o->nranks; i++)
        if (o->ranks[i] > s->max_ranks)
            s->max_ranks = o->ranks[i];
    char *cmd = o->wl ? NULL : join_cmd(o);
    if (!o->wl && !cmd)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_status st = SW_OK;
    for (size_t j = 0; j < o->nthreads && !st && (s->levels || o->nnodes || o->nper_node); j++)
        st = s->levels ? plan_levels(s, o->threads[j], err) : plan_nodes(s, o->threads[j], err);
    for (size_t i = 0; i < o->nranks && !st && !s->levels && !o->nnodes && !o->nper_node; i++)
        for (size_t j = 0; j < o->nthreads && !st; j++) {
            place pl = place_first(o->ranks[i]);
            st = o->wl ? push_cases(s, &pl, o->threads[j], NULL, err)
                       : plan_push(s, &pl, o->threads[j], cmd, err);
        }
    free(cmd);
    if (!st && s->nplan == 0)
        st = sw_error_set(err, SW_EINVAL, "nothing to measure at these rank counts");
    return st;
}

/* Sizes that cannot work, or will not fit in memory on some node, are
 * refused before anything runs.  The estimate is the same on every rank;
 * MemAvailable is each node's own. */
static sw_status plan_check_memory(sweep *s, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    MPI_Comm node;
    sw_comm_split_node_quiet(s->world, s->rank, &node);
    double limit = o->mem_limit > 0 ? o->mem_limit : 0.9 * sw_sysinfo_mem_available();
    sw_status st = SW_OK;
    for (size_t i = 0; i < s->nplan; i++) {
        const plan_item *pi = &s->plan[i];
        double bpr = 0, mine, need;
        sw_status e = o->wl->estimate(pi->params, o->scaling, (int)pi->ranks, (int)pi->threads,
                                      &bpr, err);
        if (e) {
            st = e;
            break;
        }
        mine = is_member(s, pi, s->rank) ? bpr : 0.0;
        MPI_Allreduce(&mine, &need, 1, MPI_DOUBLE, MPI_SUM, node);
        if (!st && isfinite(limit) && need > limit) {
            st = sw_error_set(err, SW_ENOMEM,
                              "%s %s at %ld rank(s): needs %.3g GB on node %s (%.3g GB per rank), "
                              "but only %.3g GB %s: choose a smaller size",
                              o->wl->name, pi->params, pi->ranks, need / 1e9, s->si.host,
                              bpr / 1e9, limit / 1e9,
                              o->mem_limit > 0 ? "are allowed (--mem-limit)"
                                               : "are available (90% of MemAvailable)");
            /* Keep taking part in the node's reductions of later items. */
            for (size_t k = i + 1; k < s->nplan; k++) {
                mine = 0;
                MPI_Allreduce(&mine, &need, 1, MPI_DOUBLE, MPI_SUM, node);
            }
            break;
        }
    }
    MPI_Comm_free(&node);
    return agree(s->world, st, err);
}

/* ---- series and points (rank 0) -------------------------------------- */

static sw_obs *series_new(sweep *s, const char *params, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    int rate = !o->wl && o->metric && o->metric_rate;
    sw_obs *ob = sw_obs_new(o->wl ? o->wl->name : o->name, rate ? SW_QTY_RATE : SW_QTY_TIME,
                            rate ? o->unit : "s");
    if (!ob)
        return sw_error_set(err, SW_ENOMEM, "out of memory"), NULL;
    ob->scaling = o->scaling;
    ob->has_hosts = s->mpi;
    sw_status st = sw_obs_set_params(ob, params, err);
    if (!st)
        st = sw_sysinfo_to_meta(&s->si, o->argv_line, ob, err);
    if (!st && o->platform)
        st = sw_smpi_mark(ob, o->platform, err);
    for (int i = 0; !st && i < X_COUNT; i++)
        if (sw_obs_add_extra(ob, extra_names[i]) < 0)
            st = sw_error_set(err, SW_ENOMEM, "out of memory");
    if (st) {
        sw_obs_free(ob);
        return NULL;
    }
    return ob;
}

/* The series of a point: the workload's canonical params, then the
 * placement's label ("depth=4;width=1024;ranks_per_node=2"). */
static sw_obs *series_for(sweep *s, const char *canon, const char *label, sw_error *err)
{
    char *key = malloc(strlen(canon) + strlen(label) + 2);
    if (!key)
        return sw_error_set(err, SW_ENOMEM, "out of memory"), NULL;
    sprintf(key, "%s%s%s", canon, *canon && *label ? ";" : "", label);
    sw_obs *o = NULL;
    for (size_t i = 0; i < s->nseries && !o; i++)
        if (strcmp(s->series[i]->params ? s->series[i]->params : "", key) == 0)
            o = s->series[i];
    sw_obs **p = o ? NULL : realloc(s->series, (s->nseries + 1) * sizeof *p);
    if (!o && !p)
        sw_error_set(err, SW_ENOMEM, "out of memory");
    if (p) {
        s->series = p;
        if ((o = series_new(s, key, err)))
            p[s->nseries++] = o;
    }
    free(key);
    return o;
}

/* What a point's repetitions look like so far: ok values, elapsed time. */
typedef struct point_state {
    sw_obs *ser;
    double n, threads, ranks, core_load;
    double nodes, per_node; /* where its ranks run; NAN for a command */
    char *hosts;            /* each rank's host (hostmap.h), NULL for a command */
    double *vals;
    size_t nvals, cap;
    double elapsed;
    int next_rep, failed;
    double t_start;
} point_state;

static int ps_push(point_state *ps, double v)
{
    if (ps->nvals == ps->cap) {
        size_t c = ps->cap ? ps->cap * 2 : 32;
        double *p = realloc(ps->vals, c * sizeof *p);
        if (!p)
            return -1;
        ps->vals = p;
        ps->cap = c;
    }
    ps->vals[ps->nvals++] = v;
    return 0;
}

static sw_obs_point *copy_point(sw_obs *dst, const sw_obs_point *p)
{
    sw_obs_point *q = sw_obs_add(dst, p->n, p->rep, p->value);
    if (!q)
        return NULL;
    q->threads = p->threads;
    q->ok = p->ok;
    q->outlier = p->outlier;
    q->peak = p->peak;
    if (p->hosts && !(q->hosts = strdup(p->hosts)))
        return NULL;
    return q;
}

/* Loads the previous repetitions of this point (--resume) and says
 * whether it is already finished. */
static sw_status point_begin(sweep *s, point_state *ps, const char *canon, const plan_item *pi,
                             int *finished, sw_error *err)
{
    memset(ps, 0, sizeof *ps);
    ps->ranks = (double)pi->ranks;
    ps->threads = (double)pi->threads;
    ps->core_load = pi->core_load;
    ps->n = ps->ranks * ps->threads;
    ps->t_start = now_s();
    ps->nodes = ps->per_node = NAN;
    if (s->mpi) {
        int *mem = malloc((size_t)s->hm.nranks * sizeof *mem), nodes = 0, per = 0;
        if (!mem)
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        for (int r = 0; r < s->hm.nranks; r++)
            mem[r] = is_member(s, pi, r);
        sw_status st = sw_hostmap_describe(&s->hm, mem, &nodes, &per, &ps->hosts, err);
        free(mem);
        if (st)
            return st;
        ps->nodes = nodes;
        ps->per_node = per;
    }
    if (!(ps->ser = series_for(s, canon, pi->label, err)))
        return err->status;
    const sw_obs_point *prev[MAX_REPS_KEPT + 1];
    size_t np = sw_results_previous(&s->res, ps->ser, ps->n, ps->threads, prev, MAX_REPS_KEPT + 1);
    for (size_t i = 0; i < np; i++) {
        if (!copy_point(ps->ser, prev[i]))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        if (prev[i]->rep >= ps->next_rep)
            ps->next_rep = prev[i]->rep + 1;
        if (!prev[i]->ok) {
            ps->failed = 1;
            continue;
        }
        if (ps_push(ps, prev[i]->value))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        ps->elapsed += prev[i]->value;
    }
    *finished = ps->failed || (np > 0 && sw_measure_done(ps->vals, ps->nvals, ps->elapsed,
                                                         &s->o->rule));
    return SW_OK;
}

static void progress(sweep *s, const point_state *ps, int rep)
{
    if (!s->o->progress || s->rank != 0)
        return;
    double el = now_s() - s->t0;
    size_t done = s->done_points, total = s->nplan;
    char eta[32] = "--";
    if (done > 0) {
        double left = el / (double)done * (double)(total - done);
        snprintf(eta, sizeof eta, "%d:%02d", (int)(left / 60), (int)fmod(left, 60));
    }
    fprintf(stderr, "\r\033[K[measure] point %zu/%zu  N=%g (%gx%g) rep %d  elapsed %d:%02d  ETA %s",
            done + 1 > total ? total : done + 1, total, ps->n, ps->ranks, ps->threads, rep,
            (int)(el / 60), (int)fmod(el, 60), eta);
    fflush(stderr);
}

/* Records one repetition: row in memory and in the files, outlier flag
 * judged against the repetitions so far (rows are written as they come). */
static sw_status point_record(sweep *s, point_state *ps, double value, int ok,
                              const sw_wl_result *r, double run_s, const char *why,
                              sw_error *err)
{
    sw_obs_point *p = sw_obs_add(ps->ser, ps->n, ps->next_rep++, ok ? value : NAN);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    p->threads = ps->threads;
    p->ok = ok;
    p->extra[X_RANKS] = ps->ranks;
    p->extra[X_RUN_S] = run_s;
    p->extra[X_CORE_LOAD] = ps->core_load;
    p->extra[X_NODES] = ps->nodes;
    p->extra[X_PER_NODE] = ps->per_node;
    if (ps->hosts && !(p->hosts = strdup(ps->hosts)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    if (r) {
        p->extra[X_FLOPS] = r->flops;
        p->extra[X_BYTES] = r->bytes;
        p->extra[X_METRIC] = r->metric;
    }
    if (!ok && why) {
        free(p->label);
        p->label = strdup(why);
    } else if (r && r->metric_name) {
        free(p->label);
        p->label = strdup(r->metric_name);
    }
    if (ok) {
        if (ps_push(ps, value))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        if (ps->nvals >= 5) {
            int *flags = calloc(ps->nvals, sizeof *flags);
            if (flags) {
                sw_stats_outliers(ps->vals, ps->nvals, OUTLIER_MADS, flags);
                p->outlier = flags[ps->nvals - 1];
            }
            free(flags);
        }
    } else {
        ps->failed = 1;
        (*s->failed)++;
    }
    ps->elapsed += run_s;
    return s->res_open ? sw_results_append(&s->res, ps->ser, p, err) : SW_OK;
}

/* A point's rows are on disk when it ends (measure_results.c: within a
 * point they are fsynced at most once a second). */
static sw_status point_sync(sweep *s, sw_error *err)
{
    return s->res_open ? sw_results_sync(&s->res, err) : SW_OK;
}

static int point_more(sweep *s, point_state *ps)
{
    if (ps->failed || ps->next_rep >= MAX_REPS_KEPT)
        return 0;
    return !sw_measure_done(ps->vals, ps->nvals, ps->elapsed, &s->o->rule);
}

/* ---- the built-in backend -------------------------------------------- */

typedef struct rep_out {
    double value, run_s;
    sw_wl_result r;
} rep_out;

/* One repetition on every rank of sub; st is agreed. */
static sw_status builtin_rep(const sw_workload *wl, void *state, MPI_Comm sub, rep_out *out,
                             sw_error *err)
{
    sw_error lerr = {0};
    out->r = (sw_wl_result){NAN, NAN, NAN, NULL, NAN};
    /* A workload that splits its run has only the first part timed; its
     * finish() (a reduction that merely reports) runs after the clock. */
    int split = wl->run_timed && wl->finish;
    MPI_Barrier(sub);
    double t0 = now_s();
    sw_status st = (split ? wl->run_timed : wl->run)(state, sub, &out->r, &lerr);
    double loc[2] = {now_s() - t0, st ? 1.0 : 0.0}, glob[2];
    MPI_Allreduce(loc, glob, 2, MPI_DOUBLE, MPI_MAX, sub);
    if (glob[1] != 0) {
        *err = lerr;
        return agree(sub, st, err);
    }
    if (split && agree(sub, wl->finish(state, sub, &out->r, &lerr), &lerr)) {
        *err = lerr;
        out->run_s = out->value = glob[0];
        return err->status;
    }
#ifdef SW_SMPI
    /* Injected compute leaves nothing to check: the series says so (check=). */
    st = sw_smpi_check_skipped(wl->name) ? SW_OK : wl->check(state, sub, &lerr);
#else
    st = wl->check(state, sub, &lerr);
#endif
    if (agree(sub, st, &lerr)) {
        *err = lerr;
        out->run_s = glob[0];
        out->value = glob[0];
        return err->status;
    }
    out->run_s = glob[0];
    out->value = out->r.ops > 0 ? glob[0] / out->r.ops : glob[0];
    return SW_OK;
}

static sw_status builtin_point(sweep *s, const plan_item *pi, MPI_Comm sub, sw_error *err)
{
    const sw_workload *wl = s->o->wl;
    void *state = NULL;
    char *canon = NULL;
    sw_error lerr = {0};
    omp_set_num_threads((int)pi->threads);
    sw_status st = wl->setup(sub, pi->params, s->o->scaling, (int)pi->threads, &state, &canon,
                             &lerr);
    if ((st = agree(sub, st, &lerr))) {
        *err = lerr;
        if (state)
            wl->teardown(state);
        free(canon);
        return st;
    }
    point_state ps = {0};
    int finished = 0;
    if (s->rank == 0)
        st = point_begin(s, &ps, canon ? canon : pi->params, pi, &finished, &lerr);
    st = agree(sub, st, &lerr);
    finished = bcast_int(sub, finished);
    int more = !st && !finished;
    for (int k = -s->o->warmup; more; k++) {
        rep_out ro;
        progress(s, &ps, k < 0 ? -1 : ps.next_rep);
        st = builtin_rep(wl, state, sub, &ro, &lerr);
        /* A warm-up is not recorded, unless it failed: a wrong answer is
         * always in the results. */
        if (k < 0 && !st)
            continue;
        if (s->rank == 0) {
            sw_error werr = {0};
            sw_status ws = point_record(s, &ps, ro.value, st == SW_OK, &ro.r, ro.run_s,
                                        st ? lerr.msg : NULL, &werr);
            if (!st && ws) {
                st = ws;
                lerr = werr;
            }
            more = !st && point_more(s, &ps);
        }
        /* A write error on rank 0 stops every rank. */
        st = agree(sub, st, &lerr);
        more = bcast_int(sub, more) && !st;
    }
    if (!st && s->rank == 0)
        st = point_sync(s, &lerr);
    st = agree(sub, st, &lerr);
    s->done_points++;
    wl->teardown(state);
    free(canon);
    free(ps.vals);
    free(ps.hosts);
    if (st)
        *err = lerr;
    return st;
}

static sw_status builtin_sweep(sweep *s, sw_error *err)
{
    sw_status st = SW_OK;
    size_t i = 0;
    while (i < s->nplan) {
        size_t j = i;
        while (j < s->nplan && same_place(&s->plan[i], &s->plan[j]))
            j++;
        /* Keyed by world rank: rank 0 is rank 0 of every group (it records),
         * and a pair's peer is its rank 1. */
        MPI_Comm sub;
        sw_comm_split_quiet(s->world, is_member(s, &s->plan[i], s->rank) ? 0 : MPI_UNDEFINED,
                            s->rank, &sub);
        sw_error gerr = {0};
        if (sub != MPI_COMM_NULL) {
            for (size_t k = i; k < j && !st; k++)
                st = builtin_point(s, &s->plan[k], sub, &gerr);
            MPI_Comm_free(&sub);
        } else {
            s->done_points += j - i;
        }
        sw_comm_quiet_barrier(s->world);
        /* Rank 0 measured in every group and holds the group's verdict. */
        MPI_Bcast(&gerr, (int)sizeof gerr, MPI_BYTE, 0, s->world);
        if ((st = gerr.status)) {
            *err = gerr;
            break;
        }
        i = j;
    }
    return st;
}

/* ---- the user-command backend ---------------------------------------- */

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT, Ctrl-C" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP"
                                                                                      : "a signal";
}

/* The repetition in flight is not recorded: it was cut short. */
static sw_status interrupted(sweep *s, int sig, sw_error *err)
{
    *s->signal = sig;
    const char *file = s->o->out_csv ? s->o->out_csv : s->o->out_jsonl;
    if (!file)
        return sw_error_set(err, SW_EFAIL, "interrupted (%s); the command was stopped",
                            signal_name(sig));
    return sw_error_set(err, SW_EFAIL,
                        "interrupted (%s); the command was stopped and every finished "
                        "repetition is kept in %s: --resume completes the sweep",
                        signal_name(sig), file);
}

static sw_status usercmd_sweep(sweep *s, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    sw_status st = SW_OK;
    for (size_t i = 0; i < s->nplan && !st; i++) {
        const plan_item *pi = &s->plan[i];
        point_state ps;
        int finished = 0;
        st = point_begin(s, &ps, pi->params, pi, &finished, err);
        for (int k = 0; !st && !finished && k < o->warmup; k++) {
            sw_cmd_result cr;
            progress(s, &ps, -1);
            st = sw_usercmd_run(o, pi->ranks, pi->threads, &cr, err);
            if (!st && cr.signal)
                st = interrupted(s, cr.signal, err);
        }
        int more = !st && !finished;
        while (more) {
            sw_cmd_result cr;
            progress(s, &ps, ps.next_rep);
            if ((st = sw_usercmd_run(o, pi->ranks, pi->threads, &cr, err)))
                break;
            if (cr.signal) {
                st = interrupted(s, cr.signal, err);
                break;
            }
            double v = o->metric ? cr.metric : cr.wall_s;
            sw_wl_result r = {NAN, NAN, cr.metric, NULL, NAN};
            if (!cr.ok) {
                if (o->progress)
                    fputs("\r\033[K", stderr);
                fprintf(stderr, "scalewall measure: N=%g (%ld x %ld) rep %d failed: %s\n", ps.n,
                        pi->ranks, pi->threads, ps.next_rep, cr.why);
            }
            st = point_record(s, &ps, v, cr.ok, &r, cr.wall_s, cr.why, err);
            more = !st && point_more(s, &ps);
        }
        if (!st)
            st = point_sync(s, err);
        s->done_points++;
        free(ps.vals);
        free(ps.hosts);
    }
    return st;
}

/* How many busy threads each core of the busiest node carries at each
 * point: the first `ranks` ranks of the job run `threads` threads each, the
 * idle ones sleep.  Above 1 the times measure time-sharing, not scaling,
 * and every row says so (core_load) rather than leaving it to the reader. */
static void plan_core_load(sweep *s)
{
    MPI_Comm node;
    sw_comm_split_node_quiet(s->world, s->rank, &node);
    double cores = s->si.cores > 0 ? s->si.cores : 1;
    for (size_t i = 0; i < s->nplan; i++) {
        plan_item *pi = &s->plan[i];
        double mine = is_member(s, pi, s->rank) ? (double)pi->threads : 0, busy, load;
        MPI_Allreduce(&mine, &busy, 1, MPI_DOUBLE, MPI_SUM, node);
        busy /= cores;
        MPI_Allreduce(&busy, &load, 1, MPI_DOUBLE, MPI_MAX, s->world);
        pi->core_load = load;
    }
    MPI_Comm_free(&node);
}

/* ---- the summary ----------------------------------------------------- */

/* The largest extra `name` among o's rows at (n, threads); NAN when unknown. */
static double row_extra(const sw_obs *o, double n, double thr, const char *name)
{
    int k = sw_obs_find_extra(o, name);
    double load = NAN;
    for (size_t i = 0; k >= 0 && i < o->npts; i++) {
        const sw_obs_point *p = &o->pts[i];
        double t = isnan(p->threads) ? 1 : p->threads;
        double v = p->extra[k];
        if (p->n == n && t == thr && !isnan(v) && (isnan(load) || v > load))
            load = v;
    }
    return load;
}

/* Returns 1 when the row runs slower than the base (S < 1). */
static int print_row(const sw_obs *o, const sw_obs_summary *m, double thr, const sw_obs *sub,
                     const sw_obs_summary *base, int amdahl)
{
    size_t out = 0;
    for (size_t i = 0; i < sub->npts; i++)
        out += sub->pts[i].n == m->n && sub->pts[i].outlier;
    double load = row_extra(o, m->n, thr, "core_load");
    char over[96] = "";
    const char *jn = sw_obs_get_meta(o, "nodes");
    double nodes = row_extra(o, m->n, thr, "nodes"), per = row_extra(o, m->n, thr, "ranks_per_node");
    /* Across nodes, say where each row ran: N alone does not tell. */
    if (jn && atoi(jn) > 1 && nodes >= 1)
        snprintf(over, sizeof over, "  %g node%s x %g", nodes, nodes > 1 ? "s" : "", per);
    if (load > 1)
        snprintf(over + strlen(over), sizeof over - strlen(over),
                 "  oversubscribed (%.3g per core)", load);
    char level[16] = "-";
    if (m->count > 1) /* floor: a 93.75% interval is not a 94% one */
        snprintf(level, sizeof level, "%.0f%%", floor(100 * m->coverage));
    printf("  %6g %6g %4g %5zu  %11.4e [%10.4e, %10.4e] %5s %6.2f %4zu", m->n, m->n / thr, thr,
           m->count, m->median, m->lo, m->hi, level, 100.0 * m->mad / m->median, out);
    if (!amdahl || !base) {
        printf("%s\n", over);
        return 0;
    }
    double units = m->n / base->n, speedup;
    if (o->quantity == SW_QTY_RATE)
        speedup = m->median / base->median;
    else if (o->scaling == SW_SCALING_WEAK)
        speedup = units * base->median / m->median;
    else
        speedup = base->median / m->median;
    sw_amdahl a;
    if (sw_amdahl_point(units, speedup, &a, NULL) != SW_OK)
        printf("  %8s %7s %9s%s\n", "-", "-", "-", over);
    else if (isnan(a.serial))
        printf("  %8.3f %7.3f %9s%s\n", a.speedup, a.efficiency, "-", over);
    else if (a.speedup < 1) /* a slowdown is not a serial share above 1 */
        printf("  %8.3f %7.3f %9s%s\n", a.speedup, a.efficiency, "slower", over);
    else
        printf("  %8.3f %7.3f %9.4f%s\n", a.speedup, a.efficiency, a.serial, over);
    return speedup < 1;
}

static void summarize_series(const sw_obs *o, int amdahl)
{
    sw_obs_summary *all = NULL;
    size_t nall = 0;
    if (sw_obs_summarize(o, &all, &nall, NULL) != SW_OK || nall == 0) {
        printf("\n%s %s: no successful repetitions\n", o->workload, o->params);
        free(all);
        return;
    }
    const sw_obs_summary *base = &all[0];
    const char *plat = sw_obs_get_meta(o, "platform"), *check = sw_obs_get_meta(o, "check");
    char sim[256] = "";
    if (o->simulated)
        snprintf(sim, sizeof sim, "; simulated%s%s", plat ? " on " : "", plat ? plat : "");
    printf("\n%s %s  (%s scaling, %s in %s%s%s)\n", o->workload, o->params,
           sw_scaling_name(o->scaling), sw_quantity_name(o->quantity), o->unit, sim,
           amdahl && base->n != 1 ? "; S relative to the smallest N" : "");
    if (check && strcmp(check, "skipped-smpi") == 0)
        printf("  answer check skipped: under SMPI the compute is injected as simulated flops, "
               "so there is no computed result to check (check=skipped-smpi in the results)\n");
    printf("  %6s %6s %4s %5s  %11s %-26s %5s %6s %4s", "N", "ranks", "thr", "reps", "median",
           " [interval of the median]", "level", "MAD%", "out");
    if (amdahl)
        printf("  %8s %7s %9s", "S", "E", "1-a_eff");
    printf("\n");
    /* One block per thread count: 2 ranks x 1 thread and 1 x 2 are both N=2. */
    int short_ci = 0, any_slower = 0;
    double done_thr[64];
    size_t ndone = 0;
    for (size_t i = 0; i < o->npts && ndone < 64; i++) {
        double thr = isnan(o->pts[i].threads) ? 1 : o->pts[i].threads;
        int seen = 0;
        for (size_t k = 0; k < ndone; k++)
            seen |= done_thr[k] == thr;
        if (seen)
            continue;
        done_thr[ndone++] = thr;
        sw_obs *sub = sw_obs_new(o->workload, o->quantity, o->unit);
        if (!sub)
            break;
        for (size_t j = 0; j < o->npts; j++) {
            double t = isnan(o->pts[j].threads) ? 1 : o->pts[j].threads;
            if (t == thr)
                copy_point(sub, &o->pts[j]);
        }
        sw_obs_summary *sm = NULL;
        size_t nsm = 0;
        if (sw_obs_summarize(sub, &sm, &nsm, NULL) == SW_OK)
            for (size_t k = 0; k < nsm; k++)
                any_slower |= print_row(o, &sm[k], thr, sub, base, amdahl);
        for (size_t k = 0; k < nsm; k++)
            short_ci |= sm[k].coverage < 0.95;
        free(sm);
        sw_obs_free(sub);
    }
    if (any_slower)
        printf("  slower: S < 1, the point runs slower than on %s unit%s; no serial share "
               "describes it\n", base->n == 1 ? "one" : "the smallest N's", base->n == 1 ? "" : "s");
    if (short_ci)
        printf("  level: the chance that the interval holds the true median (distribution-free);"
               " with fewer than 6 runs none reaches 95%%, so the interval is the range of the "
               "runs\n");
    free(all);
}

/* comm: one line per (case, N); speedup means nothing for a message. */
static void summarize_comm(const sweep *s)
{
    printf("\ncomm (time per operation in s; ping-pong: one way, half a round trip)\n");
    printf("  %-44s %6s %5s  %11s %-26s %5s %6s\n", "case", "ranks", "reps", "median",
           " [interval of the median]", "level", "MAD%");
    int short_ci = 0;
    for (size_t i = 0; i < s->nseries; i++) {
        sw_obs_summary *sm = NULL;
        size_t n = 0;
        if (sw_obs_summarize(s->series[i], &sm, &n, NULL) == SW_OK)
            for (size_t k = 0; k < n; k++) {
                double load = row_extra(s->series[i], sm[k].n, 1, "core_load");
                char level[16] = "-";
                if (sm[k].count > 1)
                    snprintf(level, sizeof level, "%.0f%%", floor(100 * sm[k].coverage));
                short_ci |= sm[k].coverage < 0.95;
                printf("  %-44s %6g %5zu  %11.4e [%10.4e, %10.4e] %5s %6.2f%s\n",
                       s->series[i]->params, sm[k].n, sm[k].count, sm[k].median, sm[k].lo,
                       sm[k].hi, level, 100.0 * sm[k].mad / sm[k].median,
                       load > 1 ? "  oversubscribed" : "");
            }
        free(sm);
    }
    if (short_ci)
        printf("  level: the chance that the interval holds the true median; with fewer than 6 "
               "runs the interval is the range of the runs\n");
}

static void summarize(const sweep *s)
{
    if (s->o->wl && strcmp(s->o->wl->name, "comm") == 0) {
        summarize_comm(s); /* the fits are printed by comm_outputs */
    }
    else
        for (size_t i = 0; i < s->nseries; i++)
            summarize_series(s->series[i], 1);
    if (*s->failed)
        printf("\n%zu repetition(s) failed (ok=0 in the results)\n", *s->failed);
}

/* ---- comm: the network per level ------------------------------------ */

/* The hosts of a placement's ranks, for the level table and the files. */
static void place_hosts(const sweep *s, const plan_item *pi, char *buf, size_t len)
{
    int *mem = malloc((size_t)s->hm.nranks * sizeof *mem), nodes, per;
    char *hosts = NULL;
    snprintf(buf, len, "?");
    if (!mem)
        return;
    for (int r = 0; r < s->hm.nranks; r++)
        mem[r] = is_member(s, pi, r);
    if (sw_hostmap_describe(&s->hm, mem, &nodes, &per, &hosts, NULL) == SW_OK)
        snprintf(buf, len, "%s", hosts);
    free(hosts);
    free(mem);
}

/* The levels the plan measured: intra and inter across nodes, else one
 * unnamed level (ping-pong and collectives at the largest rank count). */
static size_t comm_levels(const sweep *s, sw_comm_level lv[2])
{
    memset(lv, 0, 2 * sizeof *lv);
    if (!s->levels) {
        lv[0].name = "";
        lv[0].pair_ranks = lv[0].group_ranks = (int)s->max_ranks;
        for (size_t i = 0; i < s->nplan; i++)
            if (s->plan[i].ranks == s->max_ranks) {
                place_hosts(s, &s->plan[i], lv[0].group_hosts, sizeof lv[0].group_hosts);
                break;
            }
        memcpy(lv[0].pair_hosts, lv[0].group_hosts, sizeof lv[0].pair_hosts - 1);
        return 1;
    }
    size_t n = 0;
    for (int intra = 1; intra >= 0; intra--) {
        const char *label = intra ? "level=intra" : "level=inter";
        int found = 0;
        for (size_t i = 0; i < s->nplan; i++) {
            const plan_item *pi = &s->plan[i];
            if (strcmp(pi->label, label) != 0)
                continue;
            found = 1;
            if (pi->kind == PL_PAIR)
                place_hosts(s, pi, lv[n].pair_hosts, sizeof lv[n].pair_hosts);
            else {
                lv[n].group_ranks = (int)pi->ranks;
                place_hosts(s, pi, lv[n].group_hosts, sizeof lv[n].group_hosts);
            }
        }
        if (found) {
            lv[n].name = intra ? "intra" : "inter";
            lv[n].pair_ranks = 2;
            n++;
        }
    }
    return n;
}

/* The two-level platform file: the `local` profile's compute figures (not
 * measured here; simulate --t1 or --unit-flops replace them), the links of
 * the levels measured, `per` ranks to a node. */
static sw_status write_platform(const char *hockney, const char *path, int per,
                                const char *const *inputs, size_t ninputs, sw_error *err)
{
    sw_platform p;
    sw_status st = sw_platform_builtin("local", &p, err);
    if (st)
        return st;
    snprintf(p.name, sizeof p.name, "measured");
    snprintf(p.unit, sizeof p.unit, "rank");
    p.units_per_node = per;
    /* Ring: simulate's default allreduce, whose start-up the alpha is. */
    if ((st = sw_platform_calibrate(&p, "measure comm", hockney, strlen(hockney), SW_ALG_RING,
                                    err)))
        return st;
    sw_outfile out;
    if ((st = sw_outfile_open(&out, path, SW_OUT_REPLACE, inputs, ninputs, err)))
        return st;
    if ((st = sw_platform_write_json(&p, out.fp, err)))
        return sw_outfile_fail(&out, st, err);
    return sw_outfile_commit(&out, err);
}

/* After a comm sweep (rank 0): the fits per level, --hockney and
 * --write-platform. */
static sw_status comm_outputs(sweep *s, sw_error *err)
{
    const sw_measure_opts *o = s->o;
    sw_comm_level lv[2];
    size_t nlv = comm_levels(s, lv);
    sw_status st = SW_OK;
    for (size_t i = 0; i < nlv; i++) {
        sw_error e = {0};
        if (sw_comm_fit_level(s->series, s->nseries, &lv[i], &e) && !st)
            st = sw_error_set(err, e.status, "%s", e.msg);
    }
    sw_comm_levels_print(stdout, lv, nlv);
    /* A fit that failed matters only to the files made from it. */
    if (st && !o->hockney && !o->platform_out)
        return SW_OK;
    char *text = NULL;
    if (o->hockney || o->platform_out)
        st = sw_comm_hockney_text(lv, nlv, s->si.host, &text, err);
    /* Neither file may be a results file of the sweep, or the other. */
    const char *for_hockney[] = {o->out_csv, o->out_jsonl, o->platform_out};
    const char *for_platform[] = {o->out_csv, o->out_jsonl, o->hockney};
    if (!st && o->hockney &&
        !(st = sw_comm_write_text(o->hockney, text, for_hockney, SW_NINPUTS(for_hockney), err)))
        printf("\nHockney parameters written to %s\n", o->hockney);
    if (!st && o->platform_out) {
        int per = s->pinfo.per_max;
        st = write_platform(text, o->platform_out, per, for_platform, SW_NINPUTS(for_platform),
                            err);
        if (!st)
            printf("Two-level platform written to %s (%d node(s), %d rank(s) per node%s)\n",
                   o->platform_out, s->pinfo.nnodes, per,
                   nlv == 2 ? "" : "; the intra-node link was not measured: one rank per node");
    }
    free(text);
    return st;
}

/* ---- the sweep ------------------------------------------------------- */

static sw_status open_results(sweep *s, sw_error *err)
{
    sw_status st = SW_OK;
    if (s->rank == 0 && (s->o->out_csv || s->o->out_jsonl)) {
        sw_obs *proto = series_new(s, "", err);
        st = proto ? sw_results_open(&s->res, s->o, proto, err) : err->status;
        s->res_open = st == SW_OK;
        sw_obs_free(proto);
    }
    return s->mpi ? agree(s->world, st, err) : st;
}

sw_status sw_measure_run(const sw_measure_opts *o, MPI_Comm world, sw_measure_result *res,
                         sw_error *err)
{
    sweep s = {0};
    s.o = o;
    s.world = world;
    s.mpi = world != MPI_COMM_NULL;
    memset(res, 0, sizeof *res);
    s.failed = &res->failed;
    s.signal = &res->signal;
    if (s.mpi)
        MPI_Comm_rank(world, &s.rank);
    sw_sysinfo_get(&s.si, world);
    sw_status st = SW_OK;
    if (s.mpi) {
        st = sw_sysinfo_hostmap(world, &s.hm, s.place, err);
        if (!st && s.rank == 0)
            st = place_info_get(&s, err);
        if ((st = agree(world, st, err)) == SW_OK) {
            MPI_Bcast(&s.pinfo, (int)sizeof s.pinfo, MPI_BYTE, 0, world);
            s.si.nodes = s.pinfo.nnodes;
        }
        /* comm on a job across nodes measures each network level, unless
         * the rank counts were chosen (--np): then the first N ranks. */
        s.levels = !st && o->wl && strcmp(o->wl->name, "comm") == 0 && s.pinfo.nnodes > 1 &&
                   !o->np_given;
        if (!st && o->platform_out && !s.levels)
            st = sw_error_set(err, SW_EINVAL,
                              "--write-platform measures each network level: it needs a job on "
                              "2 or more nodes%s (this one runs on %d)",
                              o->np_given ? " and no --np" : "", s.pinfo.nnodes);
    }
    if (!st)
        st = plan_build(&s, err);
    if (!st && !o->wl)
        st = sw_usercmd_validate(o, err);
    if (!st && o->wl)
        st = plan_check_memory(&s, err);
    if (!st && o->wl)
        plan_core_load(&s);
    if (!st)
        st = open_results(&s, err);
    s.t0 = now_s();
    if (!st)
        st = o->wl ? builtin_sweep(&s, err) : usercmd_sweep(&s, err);
    if (s.rank == 0 && o->progress)
        fputs("\r\033[K", stderr);
    if (s.rank == 0 && s.res_open && s.res.nprev)
        fprintf(stderr, "scalewall measure: resumed with %zu repetition(s) already recorded\n",
                s.res.nprev);
    if (!st && s.rank == 0)
        summarize(&s);
    if (!st && s.rank == 0 && o->wl && strcmp(o->wl->name, "comm") == 0)
        st = comm_outputs(&s, err);
    if (s.mpi && o->wl && strcmp(o->wl->name, "comm") == 0)
        st = agree(world, st, err);
    if (s.res_open) {
        sw_error cerr = {0};
        if (sw_results_close(&s.res, &cerr) && !st)
            st = (*err = cerr).status;
    }
    for (size_t i = 0; i < s.nseries; i++)
        sw_obs_free(s.series[i]);
    free(s.series);
    plan_free(&s);
    sw_hostmap_free(&s.hm);
    fflush(stdout);
    return st;
}
