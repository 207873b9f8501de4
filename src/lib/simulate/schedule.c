/* schedule.c — the pipeline schedule and the step's event timeline.
 *
 * Each stage runs a fixed order of operations (GPipe: all forwards then
 * all backwards; 1F1B: pp - s - 1 warm-up forwards, then one forward and
 * one backward alternately, then the cool-down backwards; interleaved
 * 1F1B: Megatron-LM's order over pp x chunks virtual stages).  An
 * operation starts when its stage is free and its input exists (the
 * previous virtual stage's forward, the next one's backward); the stages
 * are advanced round-robin until every order is done, so any schedule
 * whose orders are consistent is simulated exactly, and the closed forms
 * ((m + pp - 1)(f + b) for GPipe and 1F1B, a bubble of (pp - 1)(f + b)/v
 * interleaved) are unit tests rather than assumptions.
 *
 * Each stage has a compute stream (layers, their inline tensor- and
 * context-parallel collectives, pipeline sends) and a data-parallel
 * stream (gradient buckets, ZeRO's gathers) that runs beside it.  Idle
 * time on the compute stream is attributed to its cause as it happens:
 * waiting for another stage is bubble, waiting for the data-parallel
 * stream is communication. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

long sim_sched_nops(const sim_ctx *x)
{
    return 2 * x->m * x->v;
}

static void interleaved_index(long k, long pp, long v, int fwd, long *j, long *ch)
{
    long group = pp * v, in = k % group;
    *ch = in / pp;
    if (!fwd)
        *ch = v - 1 - *ch;
    *j = (k / group) * pp + in % pp;
}

void sim_sched_op(const sim_ctx *x, long s, long k, int *fwd, long *j, long *ch)
{
    long pp = x->pp, m = x->m, v = x->v;
    *ch = 0;
    if (x->c->schedule == SW_SCHED_GPIPE) {
        *fwd = k < m;
        *j = k < m ? k : k - m;
        return;
    }
    long total = m * v;
    long warm = x->c->schedule == SW_SCHED_1F1B ? pp - s - 1 : (pp - s - 1) * 2 + (v - 1) * pp;
    if (warm > total)
        warm = total;
    long steady = total - warm, fi, bi;
    if (k < warm) {
        *fwd = 1;
        fi = k;
    } else if (k - warm < 2 * steady) {
        long r = k - warm;
        *fwd = r % 2 == 0;
        fi = warm + r / 2;
        bi = r / 2;
    } else {
        *fwd = 0;
        bi = steady + (k - warm - 2 * steady);
    }
    long idx = *fwd ? fi : bi;
    if (v == 1)
        *j = idx;
    else
        interleaved_index(idx, pp, v, *fwd, j, ch);
}

/* ---- the timeline ---- */

typedef struct span {
    double a, b;
} span;

typedef struct spans {
    span *v;
    size_t n, cap;
} spans;

static void spans_add(spans *s, double a, double b)
{
    if (!(b > a))
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        span *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv)
            return; /* contention is then undercounted, never wrong in sign */
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = (span){a, b};
}

/* Total length of the intersection of two sorted, disjoint span lists. */
static double spans_overlap(const spans *x, const spans *y)
{
    double o = 0;
    size_t i = 0, k = 0;
    while (i < x->n && k < y->n) {
        double a = fmax(x->v[i].a, y->v[k].a), b = fmin(x->v[i].b, y->v[k].b);
        if (b > a)
            o += b - a;
        if (x->v[i].b < y->v[k].b)
            i++;
        else
            k++;
    }
    return o;
}

typedef struct stage_run {
    long ptr;
    double t, dpfree;
    double compute, inl, tp, send, bubble, dpwait, recompute, dp;
    spans busy, dpspan;
} stage_run;

typedef struct run {
    sim_ctx *x;
    double M, dt;
    const sim_sink *sink;
    int track; /* record spans for the contention */
    stage_run *st;
} run;

static double tick(double t, double dt)
{
    return dt > 0 ? ceil(t / dt - 1e-9) * dt : t;
}

static void emit(const run *r, long s, sim_stream str, sim_part part, const char *name,
                 double a, double d)
{
    if (r->sink && d > 0)
        r->sink->event(r->sink->arg, s, str, part, name, a, d);
}

/* Idle on the compute stream until `until`. */
static void idle(run *r, long s, double until, int dp_cause)
{
    stage_run *S = &r->st[s];
    if (!(until > S->t))
        return;
    double d = until - S->t;
    if (dp_cause)
        S->dpwait += d;
    else
        S->bubble += d;
    emit(r, s, SIM_IDLE, dp_cause ? SIM_PART_COMM : SIM_PART_BUBBLE,
         dp_cause ? "wait: data-parallel" : "bubble", S->t, d);
    S->t = until;
}

static void compute(run *r, long s, double d, int recompute, const char *name)
{
    stage_run *S = &r->st[s];
    double a = tick(S->t, r->dt);
    idle(r, s, a, 0);
    S->t = a + r->M * d;
    S->compute += d;
    if (recompute)
        S->recompute += d;
    emit(r, s, SIM_COMPUTE, SIM_PART_COMPUTE, name, a, r->M * d);
}

static void inline_comm(run *r, long s, double d, sim_stream str, const char *name)
{
    if (!(d > 0))
        return;
    stage_run *S = &r->st[s];
    double a = tick(S->t, r->dt);
    idle(r, s, a, 0);
    S->t = a + d;
    S->inl += d;
    if (str == SIM_TP)
        S->tp += d;
    else
        S->send += d;
    emit(r, s, str, SIM_PART_COMM, name, a, d);
}

/* A collective on the data-parallel stream, issued at `at`. */
static double dp_issue(run *r, long s, double at, double d, const char *name)
{
    stage_run *S = &r->st[s];
    double a = tick(fmax(at, S->dpfree), r->dt);
    S->dpfree = a + d;
    S->dp += d;
    if (r->track)
        spans_add(&S->dpspan, a, a + d);
    /* Overlapped: informational, not part of the breakdown. */
    if (r->sink && d > 0)
        r->sink->event(r->sink->arg, s, SIM_DP, (sim_part)-1, name, a, d);
    return a + d;
}

static void gather(run *r, long s, size_t l, double issue)
{
    sim_cost *c = &r->x->cost[l];
    if (!(c->gather > 0))
        return;
    double end = dp_issue(r, s, issue, c->gather, "allgather params");
    idle(r, s, end, 1);
}

static void issue_bucket(run *r, long s, size_t k, double at)
{
    dp_issue(r, s, at, r->x->bk[k].dur,
             r->x->c->zero ? "reduce-scatter grads" : "allreduce grads");
}

static void issue_buckets(run *r, long s, long vs, double at)
{
    for (size_t k = r->x->b0[vs]; k < r->x->b0[vs] + r->x->nb[vs]; k++)
        issue_bucket(r, s, k, at);
}

static char *nm(const run *r, char *b, size_t n, const char *what, long j, size_t l)
{
    if (!r->sink)
        return NULL;
    snprintf(b, n, "%s mb%ld %s", what, j, r->x->net->layers[l].name);
    return b;
}

static void op_forward(run *r, long s, long j, long vs)
{
    sim_ctx *x = r->x;
    stage_run *S = &r->st[s];
    char b[96];
    double prev = S->t;
    for (size_t l = x->lo[vs]; l < x->hi[vs]; l++) {
        const sim_cost *c = &x->cost[l];
        if (x->c->zero == 3)
            gather(r, s, l, prev);
        prev = S->t;
        compute(r, s, c->tf, 0, nm(r, b, sizeof b, "F", j, l));
        inline_comm(r, s, c->cf, SIM_TP, nm(r, b, sizeof b, "F-coll", j, l));
    }
    if (vs < x->V - 1)
        inline_comm(r, s, x->send_f[vs], SIM_SEND, "send activations");
    x->fdone[vs * x->m + j] = S->t;
}

static void op_backward(run *r, long s, long j, long vs)
{
    sim_ctx *x = r->x;
    stage_run *S = &r->st[s];
    const sw_sim_config *cf = x->c;
    int per_micro = cf->zero >= 2, last = j == x->m - 1;
    char b[96];
    double prev = S->t;
    for (size_t l = x->hi[vs]; l-- > x->lo[vs];) {
        const sim_cost *c = &x->cost[l];
        if (cf->zero == 3)
            gather(r, s, l, prev);
        prev = S->t;
        if (c->tr > 0) {
            compute(r, s, c->tr, 1, nm(r, b, sizeof b, "R", j, l));
            inline_comm(r, s, c->cr, SIM_TP, nm(r, b, sizeof b, "R-coll", j, l));
        }
        compute(r, s, c->tb, 0, nm(r, b, sizeof b, "B", j, l));
        inline_comm(r, s, c->cb, SIM_TP, nm(r, b, sizeof b, "B-coll", j, l));
        if (cf->overlap && (per_micro || last) && x->bk_at[l] >= 0)
            issue_bucket(r, s, (size_t)x->bk_at[l], S->t);
    }
    if (!cf->overlap && per_micro)
        issue_buckets(r, s, vs, S->t);
    if (vs > 0)
        inline_comm(r, s, x->send_b[vs], SIM_SEND, "send gradients");
    x->bdone[vs * x->m + j] = S->t;
}

/* Runs operation k of stage s if its input exists; 0 when blocked. */
static int step_op(run *r, long s)
{
    sim_ctx *x = r->x;
    stage_run *S = &r->st[s];
    int fwd;
    long j, ch;
    sim_sched_op(x, s, S->ptr, &fwd, &j, &ch);
    long vs = ch * x->pp + s, m = x->m;
    double dep = fwd ? (vs > 0 ? x->fdone[(vs - 1) * m + j] : 0)
                     : (vs < x->V - 1 ? x->bdone[(vs + 1) * m + j] : x->fdone[vs * m + j]);
    if (isnan(dep))
        return 0;
    idle(r, s, dep, 0);
    double a = S->t;
    if (fwd)
        op_forward(r, s, j, vs);
    else
        op_backward(r, s, j, vs);
    if (r->track)
        spans_add(&S->busy, a, S->t);
    return 1;
}

/* After the stage's last operation: the rest of its gradient exchange,
 * the optimizer step, ZeRO's parameter allgather, the contention. */
static void finish(run *r, long s)
{
    sim_ctx *x = r->x;
    stage_run *S = &r->st[s];
    const sw_sim_config *c = x->c;
    if (!c->overlap && c->zero < 2)
        for (long ch = x->v; ch-- > 0;)
            issue_buckets(r, s, ch * x->pp + s, S->t);
    idle(r, s, S->dpfree, 1);
    if (x->update[s] > 0)
        compute(r, s, x->update[s], 0, "optimizer step");
    double ag = 0;
    for (long ch = 0; ch < x->v; ch++) {
        long vs = ch * x->pp + s;
        for (size_t k = x->b0[vs]; k < x->b0[vs] + x->nb[vs]; k++)
            ag += x->bk[k].ag;
    }
    double overlap = 0;
    if (ag > 0) {
        if (c->overlap) {
            /* Issued after the step, hidden behind the next step's first
             * forwards (Megatron's overlapped parameter gather): only its
             * contention is paid. */
            overlap += ag;
            S->dp += ag;
            if (r->sink)
                r->sink->event(r->sink->arg, s, SIM_DP, (sim_part)-1,
                               "allgather params (next step)", S->t, ag);
        } else {
            double a = tick(S->t, r->dt);
            idle(r, s, a, 0);
            S->t = a + ag;
            S->dpwait += ag;
            S->dp += ag;
            emit(r, s, SIM_DP, SIM_PART_COMM, "allgather params", a, ag);
        }
    }
    if (r->track)
        overlap += spans_overlap(&S->busy, &S->dpspan);
    double extra = x->plat->contention * overlap;
    if (extra > 0) {
        emit(r, s, SIM_IDLE, SIM_PART_COMM, "contention: compute slowed under collectives", S->t,
             extra);
        S->t += extra;
        S->dpwait += extra;
    }
}

double sim_timeline(sim_ctx *x, double M, double dt, const sim_sink *sink)
{
    long pp = x->pp, nops = sim_sched_nops(x);
    size_t cells = (size_t)x->V * (size_t)x->m;
    for (size_t i = 0; i < cells; i++)
        x->fdone[i] = x->bdone[i] = NAN;
    stage_run *st = calloc((size_t)pp, sizeof *st);
    if (!st)
        return NAN;
    run r = {x, M, dt, sink, x->plat->contention > 0 && x->nbk > 0, st};
    long left = pp;
    while (left > 0) {
        int moved = 0;
        for (long s = 0; s < pp; s++) {
            stage_run *S = &st[s];
            while (S->ptr < nops && step_op(&r, s)) {
                moved = 1;
                if (++S->ptr == nops) {
                    finish(&r, s);
                    left--;
                }
            }
        }
        if (!moved)
            break; /* inconsistent orders: cannot happen for the schedules above */
    }
    double T = NAN;
    if (left == 0) {
        T = 0;
        for (long s = 0; s < pp; s++)
            T = fmax(T, st[s].t);
        for (long s = 0; s < pp; s++) {
            stage_run *S = &st[s];
            idle(&r, s, T, 0); /* waiting for the slowest stage */
            x->st_compute[s] = S->compute;
            x->st_inline[s] = S->inl;
            x->st_tp[s] = S->tp;
            x->st_send[s] = S->send;
            x->st_bubble[s] = S->bubble;
            x->st_dpwait[s] = S->dpwait;
            x->st_recompute[s] = S->recompute;
            x->st_dp[s] = S->dp;
            x->st_end[s] = T;
        }
    }
    for (long s = 0; s < pp; s++) {
        free(st[s].busy.v);
        free(st[s].dpspan.v);
    }
    free(st);
    return T;
}
