/* wl_comm.c — the `comm` workload: ping-pong, allreduce and barrier.
 *
 * One case is one operation at one message size; the timed part repeats it
 * `iters` times and reports ops, so the results row holds seconds per
 * operation (ping-pong: per one-way message, i.e. half a round trip).  The
 * harness sweeps sizes through sw_comm_cases() and fits the Hockney model
 * T(n) = alpha + beta n per operation (sw_comm_fit_level, below), the
 * parameters the simulator reuses.  Every case checks its answer: the
 * ping-pong payload must come back byte for byte, the allreduce sums must
 * equal their closed form, and every rank must have passed every barrier. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scalewall/io.h"
#include "scalewall/text.h"
#include "workloads/harness.h"
#include "workloads/registry.h"

typedef enum comm_op { OP_PINGPONG, OP_ALLREDUCE, OP_BARRIER, OP_COUNT } comm_op;

static const char *const op_names[OP_COUNT] = {"pingpong", "allreduce", "barrier"};

typedef struct comm_params {
    comm_op op;
    long bytes;
    long iters;  /* 0 = automatic */
    int all_pairs;
    int corrupt;
} comm_params;

typedef struct comm_state {
    comm_params p;
    int rank, size;
    long done;  /* iterations completed (barrier check) */
    unsigned char *sbuf, *rbuf;
    double *dsend, *drecv;
    long count;  /* doubles per allreduce */
} comm_state;

/* Enough repetitions that one timed part lasts about a millisecond at small
 * sizes (well above the clock's resolution) and tens of ms at 4 MiB. */
static long auto_iters(long bytes)
{
    long it = (1L << 26) / (bytes > 1 ? bytes : 1);
    return it < 4 ? 4 : it > 1000 ? 1000 : it;
}

static sw_status parse_long_kv(const char *key, const char *val, long lo, long hi, long *out,
                               sw_error *err)
{
    long v;
    if (sw_parse_long(val, &v) != 1 || v < lo || v > hi)
        return sw_error_set(err, SW_EINVAL, "comm: %s=%s is not a whole number in [%ld, %ld]",
                            key, val, lo, hi);
    *out = v;
    return SW_OK;
}

/* "op=allreduce,bytes=64,iters=100,pairs=all,corrupt=1" (',' or ';'). Keys
 * of the size sweep (min, max, factor) are accepted and ignored here. */
static sw_status comm_parse(const char *params, comm_params *p, int *has_op, int *has_bytes,
                            sw_error *err)
{
    *p = (comm_params){OP_PINGPONG, 8, 0, 0, 0};
    *has_op = *has_bytes = 0;
    char *copy = strdup(params ? params : "");
    if (!copy)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_status st = SW_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",;", &save); tok && !st;
         tok = strtok_r(NULL, ",;", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            st = sw_error_set(err, SW_EINVAL, "comm: parameter '%s' is not key=value", tok);
            break;
        }
        *eq = '\0';
        const char *k = tok, *v = eq + 1;
        long x = 0;
        if (strcmp(k, "op") == 0) {
            int found = -1;
            for (int i = 0; i < OP_COUNT; i++)
                if (strcmp(v, op_names[i]) == 0)
                    found = i;
            if (found < 0)
                st = sw_error_set(err, SW_EINVAL,
                                  "comm: op=%s is unknown (pingpong, allreduce or barrier)", v);
            p->op = (comm_op)found;
            *has_op = 1;
        } else if (strcmp(k, "bytes") == 0) {
            st = parse_long_kv(k, v, 0, 1L << 30, &p->bytes, err);
            *has_bytes = 1;
        } else if (strcmp(k, "iters") == 0) {
            st = parse_long_kv(k, v, 1, 100000000, &p->iters, err);
        } else if (strcmp(k, "pairs") == 0) {
            if (strcmp(v, "all") == 0)
                p->all_pairs = 1;
            else if (strcmp(v, "1") != 0)
                st = sw_error_set(err, SW_EINVAL, "comm: pairs=%s must be 1 or all", v);
        } else if (strcmp(k, "corrupt") == 0) {
            st = parse_long_kv(k, v, 0, 1, &x, err);
            p->corrupt = (int)x;
        } else if (strcmp(k, "min") == 0 || strcmp(k, "max") == 0) {
            st = parse_long_kv(k, v, 0, 1L << 30, &x, err);
        } else if (strcmp(k, "factor") == 0) {
            st = parse_long_kv(k, v, 2, 1024, &x, err);
        } else {
            st = sw_error_set(err, SW_EINVAL,
                              "comm: unknown parameter '%s' (known: op, bytes, iters, pairs, "
                              "min, max, factor, corrupt)", k);
        }
    }
    free(copy);
    if (!st && p->op == OP_ALLREDUCE && p->bytes < 8)
        st = sw_error_set(err, SW_EINVAL, "comm: op=allreduce needs bytes >= 8 (one double)");
    if (!st && p->iters == 0)
        p->iters = auto_iters(p->bytes);
    return st;
}

static sw_status comm_need_ranks(const comm_params *p, int nranks, sw_error *err)
{
    if (p->op == OP_PINGPONG && nranks < 2)
        return sw_error_set(err, SW_EINVAL, "comm: op=pingpong needs at least 2 ranks, have %d",
                            nranks);
    return SW_OK;
}

static sw_status comm_estimate(const char *params, sw_scaling scaling, int nranks, int nthreads,
                               double *bytes_per_rank, sw_error *err)
{
    (void)scaling;
    (void)nthreads;
    comm_params p;
    int ho, hb;
    sw_status st = comm_parse(params, &p, &ho, &hb, err);
    if (!st)
        st = comm_need_ranks(&p, nranks, err);
    if (!st)
        *bytes_per_rank = p.op == OP_BARRIER ? 0.0 : 2.0 * (double)p.bytes;
    return st;
}

static char *comm_canon(const comm_params *p)
{
    char buf[160];
    if (p->op == OP_BARRIER)
        snprintf(buf, sizeof buf, "op=barrier;iters=%ld%s", p->iters,
                 p->corrupt ? ";corrupt=1" : "");
    else
        snprintf(buf, sizeof buf, "op=%s;bytes=%ld;iters=%ld%s%s", op_names[p->op], p->bytes,
                 p->iters, p->op == OP_PINGPONG ? (p->all_pairs ? ";pairs=all" : ";pairs=1") : "",
                 p->corrupt ? ";corrupt=1" : "");
    return strdup(buf);
}

static unsigned char pattern(long i)
{
    return (unsigned char)(i * 131 + 7);
}

/* Rank r contributes r + 1 + (i mod 7) to element i, so the sum over p
 * ranks is p(p+1)/2 + p (i mod 7): integers, exact in double. */
static double contribution(int rank, long i)
{
    return (double)(rank + 1) + (double)(i % 7);
}

static void comm_teardown(void *state)
{
    comm_state *s = state;
    if (!s)
        return;
    free(s->sbuf);
    free(s->rbuf);
    free(s->dsend);
    free(s->drecv);
    free(s);
}

static sw_status comm_setup(MPI_Comm comm, const char *params, sw_scaling scaling, int nthreads,
                            void **state, char **canon, sw_error *err)
{
    (void)scaling;
    (void)nthreads;
    *state = NULL;
    *canon = NULL;
    comm_state *s = calloc(1, sizeof *s);
    if (!s)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    int ho, hb;
    sw_status st = comm_parse(params, &s->p, &ho, &hb, err);
    MPI_Comm_rank(comm, &s->rank);
    MPI_Comm_size(comm, &s->size);
    if (!st)
        st = comm_need_ranks(&s->p, s->size, err);
    if (!st && s->p.op == OP_PINGPONG) {
        size_t n = (size_t)(s->p.bytes ? s->p.bytes : 1);
        s->sbuf = malloc(n);
        s->rbuf = calloc(n, 1);
        if (!s->sbuf || !s->rbuf)
            st = sw_error_set(err, SW_ENOMEM, "comm: cannot allocate 2 x %ld bytes", s->p.bytes);
        for (long i = 0; !st && i < s->p.bytes; i++)
            s->sbuf[i] = pattern(i);
    } else if (!st && s->p.op == OP_ALLREDUCE) {
        s->count = s->p.bytes / 8;
        s->p.bytes = s->count * 8;
        s->dsend = malloc((size_t)s->count * sizeof(double));
        s->drecv = calloc((size_t)s->count, sizeof(double));
        if (!s->dsend || !s->drecv)
            st = sw_error_set(err, SW_ENOMEM, "comm: cannot allocate 2 x %ld bytes", s->p.bytes);
        for (long i = 0; !st && i < s->count; i++)
            s->dsend[i] = contribution(s->rank, i);
        if (!st && s->p.corrupt && s->rank == 0)
            s->dsend[0] += 1.0;
    }
    if (!st && !(*canon = comm_canon(&s->p)))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    if (st) {
        comm_teardown(s);
        return st;
    }
    *state = s;
    return SW_OK;
}

/* Pairs (0,1), (2,3), ... with pairs=all; only (0,1) by default, so the
 * figure is one link's latency, not a contended one.  An odd last rank and
 * unpaired ranks wait at the harness's barrier. */
static void run_pingpong(comm_state *s, MPI_Comm comm)
{
    int peer = s->rank ^ 1;
    if (peer >= s->size || (!s->p.all_pairs && s->rank > 1))
        return;
    int n = (int)s->p.bytes;
    int flip = s->p.corrupt && n > 0;
    for (long it = 0; it < s->p.iters; it++) {
        if ((s->rank & 1) == 0) {
            MPI_Send(s->sbuf, n, MPI_BYTE, peer, 0, comm);
            MPI_Recv(s->rbuf, n, MPI_BYTE, peer, 0, comm, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(s->rbuf, n, MPI_BYTE, peer, 0, comm, MPI_STATUS_IGNORE);
            if (flip)
                s->rbuf[n / 2] ^= 1;
            MPI_Send(s->rbuf, n, MPI_BYTE, peer, 0, comm);
        }
    }
    s->done = s->p.iters;
}

static sw_status comm_run(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    comm_state *s = state;
    (void)err;
    s->done = 0;
    switch (s->p.op) {
    case OP_PINGPONG:
        run_pingpong(s, comm);
        res->ops = 2.0 * (double)s->p.iters;
        res->bytes = res->ops * (double)s->p.bytes;
        break;
    case OP_ALLREDUCE:
        for (long it = 0; it < s->p.iters; it++)
            MPI_Allreduce(s->dsend, s->drecv, (int)s->count, MPI_DOUBLE, MPI_SUM, comm);
        s->done = s->p.iters;
        res->ops = (double)s->p.iters;
        res->bytes = res->ops * (double)s->p.bytes;
        break;
    default:
        for (long it = 0; it < s->p.iters; it++)
            MPI_Barrier(comm);
        s->done = s->p.iters + (s->p.corrupt && s->rank == 0);
        res->ops = (double)s->p.iters;
        break;
    }
    return SW_OK;
}

static sw_status check_pingpong(const comm_state *s, sw_error *err)
{
    int active = (s->rank ^ 1) < s->size && (s->p.all_pairs || s->rank <= 1);
    if (!active || s->done == 0)
        return SW_OK;
    for (long i = 0; i < s->p.bytes; i++)
        if (s->rbuf[i] != pattern(i))
            return sw_error_set(err, SW_ECHECK,
                                "comm: ping-pong payload corrupted on rank %d: byte %ld of %ld is "
                                "0x%02x, sent 0x%02x",
                                s->rank, i, s->p.bytes, s->rbuf[i], pattern(i));
    return SW_OK;
}

static sw_status comm_check(void *state, MPI_Comm comm, sw_error *err)
{
    comm_state *s = state;
    if (s->p.op == OP_PINGPONG)
        return check_pingpong(s, err);
    if (s->p.op == OP_ALLREDUCE) {
        double p = s->size;
        for (long i = 0; i < s->count; i++) {
            double want = p * (p + 1) / 2 + p * (double)(i % 7);
            if (s->drecv[i] != want)
                return sw_error_set(err, SW_ECHECK,
                                    "comm: allreduce sum wrong on rank %d: element %ld is %.17g, "
                                    "expected %.17g (off by %.3g)",
                                    s->rank, i, s->drecv[i], want, s->drecv[i] - want);
        }
        return SW_OK;
    }
    long lo, hi;
    MPI_Allreduce(&s->done, &lo, 1, MPI_LONG, MPI_MIN, comm);
    MPI_Allreduce(&s->done, &hi, 1, MPI_LONG, MPI_MAX, comm);
    if (lo != s->p.iters || hi != s->p.iters)
        return sw_error_set(err, SW_ECHECK,
                            "comm: barrier counts disagree: ranks passed between %ld and %ld "
                            "barriers, expected %ld",
                            lo, hi, s->p.iters);
    return SW_OK;
}

const sw_workload sw_wl_comm = {
    .name = "comm",
    .summary = "ping-pong latency/bandwidth, allreduce and barrier over message sizes "
               "(Hockney alpha-beta fit)",
    .params_help = "op=pingpong|allreduce|barrier (default: all three), bytes=B (one size; "
                   "default: sweep min=8..max=4194304 by factor=8), iters=K (default: auto), "
                   "pairs=1|all (ping-pong pairs), corrupt=1 (test the check)",
    .estimate = comm_estimate,
    .setup = comm_setup,
    .run = comm_run,
    .check = comm_check,
    .teardown = comm_teardown,
};

/* ---- the size sweep -------------------------------------------------- */

static sw_status push_case(char ***cases, size_t *n, const char *params, const char *extra,
                           sw_error *err)
{
    size_t len = strlen(params) + strlen(extra) + 2;
    char *c = malloc(len);
    char **p = realloc(*cases, (*n + 1) * sizeof *p);
    if (!c || !p) {
        free(c);
        if (p)
            *cases = p;
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    snprintf(c, len, "%s%s%s", extra, *params ? "," : "", params);
    *cases = p;
    p[(*n)++] = c;
    return SW_OK;
}

/* Copies params without the sweep keys (op, bytes, min, max, factor). */
static char *strip_sweep_keys(const char *params, long *min, long *max, long *factor)
{
    char *copy = strdup(params ? params : ""), *out = calloc(1, strlen(params ? params : "") + 1);
    if (!copy || !out) {
        free(copy);
        free(out);
        return NULL;
    }
    for (char *save = NULL, *tok = strtok_r(copy, ",;", &save); tok;
         tok = strtok_r(NULL, ",;", &save)) {
        long v;
        const char *eq = strchr(tok, '=');
        int ok = eq && sw_parse_long(eq + 1, &v) == 1;
        if (strncmp(tok, "min=", 4) == 0 && ok)
            *min = v;
        else if (strncmp(tok, "max=", 4) == 0 && ok)
            *max = v;
        else if (strncmp(tok, "factor=", 7) == 0 && ok)
            *factor = v;
        else if (strncmp(tok, "op=", 3) != 0 && strncmp(tok, "bytes=", 6) != 0) {
            if (*out)
                strcat(out, ",");
            strcat(out, tok);
        }
    }
    free(copy);
    return out;
}

sw_status sw_comm_cases(const char *params, int nranks, int max_ranks, char ***cases,
                        size_t *ncases, sw_error *err)
{
    *cases = NULL;
    *ncases = 0;
    comm_params p;
    int has_op, has_bytes;
    sw_status st = comm_parse(params, &p, &has_op, &has_bytes, err);
    if (st)
        return st;
    long min = 8, max = 4194304, factor = 8;
    char *rest = strip_sweep_keys(params, &min, &max, &factor);
    if (!rest)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    if (min > max)
        st = sw_error_set(err, SW_EINVAL, "comm: min=%ld is larger than max=%ld", min, max);
    for (int op = 0; !st && op < OP_COUNT; op++) {
        if (has_op && op != (int)p.op)
            continue;
        /* One link's ping-pong does not change with the job size: measure
         * it once, at the largest rank count, unless asked for explicitly. */
        if (op == OP_PINGPONG && !has_op && (nranks < 2 || nranks != max_ranks))
            continue;
        char extra[96];
        if (op == OP_BARRIER) {
            snprintf(extra, sizeof extra, "op=barrier");
            st = push_case(cases, ncases, rest, extra, err);
            continue;
        }
        if (has_bytes) {
            snprintf(extra, sizeof extra, "op=%s,bytes=%ld", op_names[op], p.bytes);
            st = push_case(cases, ncases, rest, extra, err);
            continue;
        }
        long lo = op == OP_ALLREDUCE && min < 8 ? 8 : min;
        for (long b = lo; !st && b <= max; b = b ? b * factor : 1) {
            snprintf(extra, sizeof extra, "op=%s,bytes=%ld", op_names[op], b);
            st = push_case(cases, ncases, rest, extra, err);
            if (!st && b < max && b * factor > max) {
                snprintf(extra, sizeof extra, "op=%s,bytes=%ld", op_names[op], max);
                st = push_case(cases, ncases, rest, extra, err);
            }
        }
    }
    free(rest);
    if (st) {
        for (size_t i = 0; i < *ncases; i++)
            free((*cases)[i]);
        free(*cases);
        *cases = NULL;
        *ncases = 0;
    }
    return st;
}

/* ---- the Hockney fit ------------------------------------------------- */

static int canon_value(const char *params, const char *key, char *out, size_t len)
{
    size_t kl = strlen(key);
    for (const char *s = params; s && *s;) {
        const char *end = strchr(s, ';');
        size_t l = end ? (size_t)(end - s) : strlen(s);
        if (l > kl && strncmp(s, key, kl) == 0 && s[kl] == '=') {
            snprintf(out, len, "%.*s", (int)(l - kl - 1), s + kl + 1);
            return 1;
        }
        s = end ? end + 1 : NULL;
    }
    return 0;
}

/* Does a series belong to level `lv` (its params' level=, "" for none)? */
static int of_level(const char *params, const char *lv)
{
    char v[32];
    int has = canon_value(params, "level", v, sizeof v);
    return *lv ? has && strcmp(v, lv) == 0 : !has;
}

static sw_status fit_op(sw_obs *const *series, size_t nseries, const char *op, const char *lv,
                        int ranks, sw_hockney_op *out, sw_error *err)
{
    double *x = malloc((nseries + 1) * sizeof *x), *y = malloc((nseries + 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    size_t m = 0;
    sw_status st = SW_OK;
    for (size_t i = 0; i < nseries && !st; i++) {
        char v[64], b[64];
        if (!canon_value(series[i]->params, "op", v, sizeof v) || strcmp(v, op) != 0 ||
            !of_level(series[i]->params, lv) ||
            (canon_value(series[i]->params, "corrupt", b, sizeof b) && strcmp(b, "1") == 0))
            continue;
        sw_obs_summary *sum = NULL;
        size_t ns = 0;
        if (sw_obs_summarize(series[i], &sum, &ns, NULL) != SW_OK)
            continue;
        for (size_t k = 0; k < ns; k++) {
            long bytes = 0;
            if (sum[k].n != ranks || sum[k].count == 0)
                continue;
            if (canon_value(series[i]->params, "bytes", b, sizeof b))
                sw_parse_long(b, &bytes);
            x[m] = (double)bytes;
            y[m] = sum[k].median;
            m++;
        }
        free(sum);
    }
    memset(out, 0, sizeof *out);
    /* A line needs two sizes; a single size is not fitted (and not written). */
    if (m > 0 && (m > 1 || strcmp(op, "barrier") == 0))
        st = sw_hockney_fit(x, y, m, strcmp(op, "barrier") == 0, out, err);
    free(x);
    free(y);
    return st;
}

sw_status sw_comm_fit_level(sw_obs *const *series, size_t nseries, sw_comm_level *lv,
                            sw_error *err)
{
    sw_status st = SW_OK;
    for (int op = 0; op < OP_COUNT; op++) {
        sw_error e = {0};
        lv->why[op][0] = '\0';
        if (fit_op(series, nseries, op_names[op], lv->name,
                   op == OP_PINGPONG ? lv->pair_ranks : lv->group_ranks, &lv->fit[op], &e)) {
            snprintf(lv->why[op], sizeof lv->why[op], "%.299s", e.msg);
            if (!st)
                st = sw_error_set(err, e.status, "%s", e.msg);
        }
    }
    return st;
}

/* {"pingpong": {...}, "allreduce": {...}, "barrier": {...}}: the fitted ops. */
static json_t *ops_json(const sw_comm_level *lv)
{
    json_t *ops = json_object();
    for (int op = 0; op < OP_COUNT; op++) {
        const sw_hockney_op *h = &lv->fit[op];
        if (h->npoints == 0)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "alpha_s", json_real(h->alpha));
        if (op != OP_BARRIER) {
            json_object_set_new(o, "beta_s_per_byte", json_real(h->beta));
            json_object_set_new(o, "r2", json_real(h->r2));
        }
        json_object_set_new(ops, op_names[op], o);
    }
    return ops;
}

sw_status sw_comm_hockney_text(const sw_comm_level *lv, size_t nlv, const char *host,
                               char **text, sw_error *err)
{
    *text = NULL;
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("scalewall-hockney"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "host", sw_json_str(host ? host : ""));
    size_t nops = 0;
    if (nlv == 1 && !*lv[0].name) {
        json_t *ops = ops_json(&lv[0]);
        nops = json_object_size(ops);
        json_object_set_new(root, "ranks", json_integer(lv[0].group_ranks));
        json_object_set_new(root, "ops", ops);
    } else {
        json_t *levels = json_object();
        for (size_t i = 0; i < nlv; i++) {
            json_t *l = json_object(), *ops = ops_json(&lv[i]);
            if (json_object_size(ops) == 0) {
                json_decref(ops);
                json_decref(l);
                continue;
            }
            nops += json_object_size(ops);
            json_object_set_new(l, "ranks", json_integer(lv[i].group_ranks));
            json_object_set_new(l, "pair_hosts", sw_json_str(lv[i].pair_hosts));
            json_object_set_new(l, "group_hosts", sw_json_str(lv[i].group_hosts));
            json_object_set_new(l, "ops", ops);
            json_object_set_new(levels, lv[i].name, l);
        }
        json_object_set_new(root, "levels", levels);
    }
    sw_status st = SW_OK;
    if (nops == 0)
        st = sw_error_set(err, SW_EINVAL, "no comm points at %d ranks to fit",
                          lv[0].group_ranks);
    /* 17 digits: a fitted value reads back exactly (at 10 a median of two
     * equal repetitions could print outside them). */
    else if (!(*text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17))))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    json_decref(root);
    return st;
}

sw_status sw_comm_write_text(const char *path, const char *text, const char *const *inputs,
                             size_t ninputs, sw_error *err)
{
    sw_outfile out;
    sw_status st = sw_outfile_open(&out, path, SW_OUT_REPLACE, inputs, ninputs, err);
    if (st)
        return st;
    if (fputs(text, out.fp) == EOF || fputc('\n', out.fp) == EOF)
        return sw_outfile_fail(&out, sw_error_set(err, SW_EIO, "%s: write failed", path), err);
    return sw_outfile_commit(&out, err);
}

/* The alpha-beta lines are what simulate and measure --platform are
 * calibrated with, so they are shown whether or not they are written. */
void sw_comm_levels_print(FILE *fp, const sw_comm_level *lv, size_t nlv)
{
    for (size_t i = 0; i < nlv; i++) {
        int header = 0;
        for (int op = 0; op < OP_COUNT; op++) {
            const sw_hockney_op *h = &lv[i].fit[op];
            char line[768];
            if (lv[i].why[op][0]) {
                fprintf(fp, "  %-10s not fitted: %s\n", op_names[op], lv[i].why[op]);
                continue;
            }
            if (h->npoints == 0)
                continue;
            char group[sizeof lv[i].group_hosts + 48] = ""; /* none with op=pingpong */
            if (lv[i].group_ranks > 0)
                snprintf(group, sizeof group, ", collectives on %d ranks (%s)",
                         lv[i].group_ranks, lv[i].group_hosts);
            if (!header++ && *lv[i].name)
                fprintf(fp, "\n%s-node alpha-beta fit T(bytes) = alpha + beta * bytes (weighted "
                            "by 1/T^2): ping-pong %s%s:\n",
                        lv[i].name, lv[i].pair_hosts, group);
            else if (header == 1)
                fprintf(fp, "\nalpha-beta fit T(bytes) = alpha + beta * bytes at %d ranks "
                            "(weighted by 1/T^2):\n", lv[i].group_ranks);
            sw_hockney_describe(op_names[op], h, op == OP_BARRIER, line, sizeof line);
            fprintf(fp, "%s\n", line);
        }
    }
}
