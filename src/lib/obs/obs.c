/* obs.c — the observation series: lifecycle, summaries, set handling.
 * File formats live in obs_csv.c and obs_json.c. */
#include "scalewall/obs.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obs_internal.h"
#include "scalewall/stats.h"

char *sw__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

sw_obs *sw_obs_new(const char *workload, sw_quantity q, const char *unit)
{
    sw_obs *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->workload = sw__strdup(workload ? workload : "");
    o->params = sw__strdup("");
    o->quantity = q;
    o->unit = sw__strdup(unit ? unit : (q == SW_QTY_TIME ? "s" : ""));
    if (!o->workload || !o->params || !o->unit) {
        sw_obs_free(o);
        return NULL;
    }
    return o;
}

void sw_obs_free(sw_obs *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->npts; i++) {
        free(o->pts[i].label);
        free(o->pts[i].extra);
        free(o->pts[i].hosts);
    }
    free(o->pts);
    for (size_t i = 0; i < o->nmeta; i++) {
        free(o->meta[i].key);
        free(o->meta[i].value);
    }
    free(o->meta);
    for (size_t i = 0; i < o->nextra; i++)
        free(o->extra_names[i]);
    free(o->extra_names);
    free(o->workload);
    free(o->params);
    free(o->unit);
    free(o);
}

/* Metadata and extra names grow by doubling (a wide file appends
 * thousands): the array holds the next power of two >= its count, so it is
 * full exactly when the count is 0 or a power of two. */
static int full(size_t n)
{
    return (n & (n - 1)) == 0;
}

static size_t grown(size_t n)
{
    return n ? 2 * n : 1;
}

static sw_status replace_str(char **dst, const char *src, sw_error *err)
{
    char *d = sw__strdup(src ? src : "");
    if (!d)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    free(*dst);
    *dst = d;
    return SW_OK;
}

sw_status sw_obs_set_params(sw_obs *o, const char *params, sw_error *err)
{
    return replace_str(&o->params, params, err);
}

sw_status sw_obs_set_meta(sw_obs *o, const char *key, const char *value, sw_error *err)
{
    for (size_t i = 0; i < o->nmeta; i++)
        if (strcmp(o->meta[i].key, key) == 0)
            return replace_str(&o->meta[i].value, value, err);
    return sw__obs_append_meta(o, key, value, err);
}

sw_status sw__obs_replace_meta(sw_obs *o, size_t at, const char *value, sw_error *err)
{
    return replace_str(&o->meta[at].value, value, err);
}

sw_status sw__obs_append_meta(sw_obs *o, const char *key, const char *value, sw_error *err)
{
    sw_kv *m = o->meta;
    if (full(o->nmeta)) {
        m = realloc(o->meta, grown(o->nmeta) * sizeof *m);
        if (!m)
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        o->meta = m;
    }
    m[o->nmeta].key = sw__strdup(key);
    m[o->nmeta].value = sw__strdup(value ? value : "");
    if (!m[o->nmeta].key || !m[o->nmeta].value) {
        free(m[o->nmeta].key);
        free(m[o->nmeta].value);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    o->nmeta++;
    return SW_OK;
}

const char *sw_obs_get_meta(const sw_obs *o, const char *key)
{
    for (size_t i = 0; i < o->nmeta; i++)
        if (strcmp(o->meta[i].key, key) == 0)
            return o->meta[i].value;
    return NULL;
}

int sw_obs_find_extra(const sw_obs *o, const char *name)
{
    for (size_t i = 0; i < o->nextra; i++)
        if (strcmp(o->extra_names[i], name) == 0)
            return (int)i;
    return -1;
}

int sw_obs_add_extra(sw_obs *o, const char *name)
{
    int found = sw_obs_find_extra(o, name);
    if (found >= 0)
        return found;
    return sw__obs_append_extra(o, name);
}

int sw__obs_append_extra(sw_obs *o, const char *name)
{
    if (o->nextra >= (size_t)INT_MAX)
        return -1;
    char **names = o->extra_names;
    if (full(o->nextra)) {
        names = realloc(o->extra_names, grown(o->nextra) * sizeof *names);
        if (!names)
            return -1;
        o->extra_names = names;
    }
    names[o->nextra] = sw__strdup(name);
    if (!names[o->nextra])
        return -1;
    for (size_t i = 0; i < o->npts; i++) {
        double *e = realloc(o->pts[i].extra, (o->nextra + 1) * sizeof *e);
        if (!e)
            return -1;
        e[o->nextra] = NAN;
        o->pts[i].extra = e;
    }
    return (int)o->nextra++;
}

sw_obs_point *sw_obs_add(sw_obs *o, double n, int rep, double value)
{
    if (o->npts == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        sw_obs_point *p = realloc(o->pts, cap * sizeof *p);
        if (!p)
            return NULL;
        o->pts = p;
        o->cap = cap;
    }
    sw_obs_point *p = &o->pts[o->npts];
    memset(p, 0, sizeof *p);
    p->n = n;
    p->threads = 1;
    p->rep = rep;
    p->value = value;
    p->peak = NAN;
    p->ok = 1;
    if (o->nextra) {
        p->extra = malloc(o->nextra * sizeof *p->extra);
        if (!p->extra)
            return NULL;
        for (size_t i = 0; i < o->nextra; i++)
            p->extra[i] = NAN;
    }
    o->npts++;
    return p;
}

const char *sw_quantity_name(sw_quantity q)
{
    return q == SW_QTY_RATE ? "rate" : "time";
}

const char *sw_scaling_name(sw_scaling s)
{
    return s == SW_SCALING_WEAK ? "weak" : "strong";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

sw_status sw_obs_summarize(const sw_obs *o, sw_obs_summary **sum, size_t *nsum, sw_error *err)
{
    *sum = NULL;
    *nsum = 0;
    size_t m = 0;
    double *ns = malloc((o->npts + 1) * sizeof *ns);
    double *vals = malloc((o->npts + 1) * sizeof *vals);
    double *peaks = malloc((o->npts + 1) * sizeof *peaks);
    sw_obs_summary *out = NULL;
    sw_status st = SW_OK;
    if (!ns || !vals || !peaks) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < o->npts; i++)
        if (o->pts[i].ok && !o->pts[i].outlier)
            ns[m++] = o->pts[i].n;
    if (m == 0) {
        st = sw_error_set(err, SW_EINVAL, "series '%s' has no usable points", o->workload);
        goto done;
    }
    qsort(ns, m, sizeof *ns, cmp_double);
    size_t distinct = 0;
    for (size_t i = 0; i < m; i++)
        if (i == 0 || ns[i] != ns[i - 1])
            ns[distinct++] = ns[i];
    out = calloc(distinct, sizeof *out);
    if (!out) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t d = 0; d < distinct; d++) {
        size_t k = 0, kp = 0;
        for (size_t i = 0; i < o->npts; i++) {
            const sw_obs_point *p = &o->pts[i];
            if (p->ok && !p->outlier && p->n == ns[d]) {
                vals[k++] = p->value;
                if (!isnan(p->peak))
                    peaks[kp++] = p->peak;
            }
        }
        sw_obs_summary *s = &out[d];
        s->n = ns[d];
        s->count = k;
        st = sw_stats_median_ci(vals, k, 0.95, &s->median, &s->lo, &s->hi, &s->coverage, err);
        if (st)
            goto done;
        s->mad = sw_stats_mad(vals, k);
        s->min = s->max = vals[0];
        for (size_t i = 1; i < k; i++) {
            s->min = fmin(s->min, vals[i]);
            s->max = fmax(s->max, vals[i]);
        }
        s->peak = kp ? sw_stats_median(peaks, kp) : NAN;
    }
    *sum = out;
    *nsum = distinct;
    out = NULL;
done:
    free(out);
    free(ns);
    free(vals);
    free(peaks);
    return st;
}

void sw_obs_interval_label(const sw_obs_summary *s, size_t n, char *buf, size_t size)
{
    size_t cmin = SIZE_MAX, cmax = 0;
    double vmin = 1, vmax = 0;
    int all95 = n > 0, some95 = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].coverage >= 0.95) {
            some95 = 1;
            continue;
        }
        all95 = 0;
        if (s[i].count < 2)
            continue;
        cmin = s[i].count < cmin ? s[i].count : cmin;
        cmax = s[i].count > cmax ? s[i].count : cmax;
        vmin = fmin(vmin, s[i].coverage);
        vmax = fmax(vmax, s[i].coverage);
    }
    /* floor: a 93.75% interval is not called 94% */
    char range[160];
    if (cmax == 0)
        snprintf(range, sizeof range, "1 run: no interval");
    else if (cmin == cmax)
        snprintf(range, sizeof range, "range of %zu runs (a %.0f%% CI of the median)", cmin,
                 floor(100 * vmin));
    else
        snprintf(range, sizeof range, "range of %zu-%zu runs (%.0f-%.0f%% CIs of the median)",
                 cmin, cmax, floor(100 * vmin), floor(100 * vmax));
    if (all95)
        snprintf(buf, size, "95%% CI of the median");
    else if (some95)
        snprintf(buf, size, "95%% CI of the median; where fewer than 6 runs: %s", range);
    else
        snprintf(buf, size, "%s", range);
}

/* The value of key in a "k=v;k=v" params string, or NAN. */
static double param_number(const char *params, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = params; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            char *end;
            double v = strtod(p + kl + 1, &end);
            return end != p + kl + 1 && (*end == ';' || *end == '\0') ? v : NAN;
        }
        p = strchr(p, ';');
        p = p ? p + 1 : NULL;
    }
    return NAN;
}

void sw_obs_condition(const sw_obs *o, double n, sw_obs_cond *c)
{
    c->simulated = o->simulated;
    c->core_load = NAN;
    int k = sw_obs_find_extra(o, "core_load");
    for (size_t i = 0; k >= 0 && i < o->npts; i++) {
        double v = o->pts[i].extra[k];
        if (o->pts[i].n == n && !isnan(v) && (isnan(c->core_load) || v > c->core_load))
            c->core_load = v;
    }
    double cores = o->simulated ? param_number(o->params, "cores") : NAN;
    if (isnan(c->core_load) && cores > 0)
        c->core_load = n / cores;
    c->oversubscribed = c->core_load > 1;
}

void sw_obs_condition_label(const sw_obs_cond *c, char *buf, size_t size)
{
    char over[64] = "";
    if (c->oversubscribed)
        snprintf(over, sizeof over, "oversubscribed (%.3g per core)", c->core_load);
    snprintf(buf, size, "%s%s%s", c->simulated ? "simulated" : "",
             c->simulated && over[0] ? ", " : "", over);
}

size_t sw_obs_oversubscribed(const sw_obs *o, double *first)
{
    size_t count = 0;
    *first = NAN;
    for (size_t i = 0; i < o->npts; i++) {
        double n = o->pts[i].n;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = o->pts[j].n == n;
        if (seen)
            continue;
        sw_obs_cond c;
        sw_obs_condition(o, n, &c);
        if (c.oversubscribed) {
            count++;
            if (isnan(*first) || n < *first)
                *first = n;
        }
    }
    return count;
}

void sw_obs_network(const sw_obs *o, char *buf, size_t size)
{
    const char *plat = sw_obs_get_meta(o, "platform"), *nodes = sw_obs_get_meta(o, "nodes");
    double k = nodes ? strtod(nodes, NULL) : NAN;
    if (o->simulated && plat && *plat)
        snprintf(buf, size, "simulated platform %s", plat);
    else if (o->simulated)
        snprintf(buf, size, "simulated");
    else if (k > 1)
        snprintf(buf, size, "measured across %.0f nodes", k);
    else
        snprintf(buf, size, "%s", "");
}

void sw_obs_set_free(sw_obs_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        sw_obs_free(s->series[i]);
    free(s->series);
    s->series = NULL;
    s->n = 0;
}

sw_status sw_obs_set_push(sw_obs_set *s, sw_obs *o, sw_error *err)
{
    sw_obs **p = s->series;
    if (full(s->n)) { /* doubling: a file of 10,000 series pushes each */
        p = realloc(s->series, grown(s->n) * sizeof *p);
        if (!p)
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        s->series = p;
    }
    p[s->n++] = o;
    return SW_OK;
}

/* Shortest "%.*g" that reads back to the same double. */
void sw__fmt_double(char *buf, size_t len, double v)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* ---- hash map and series index ---- */

static size_t fnv1a(const char *s)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
    return h;
}

int sw__strmap_get(const sw__strmap *m, const char *key, size_t *val)
{
    if (!m->cap)
        return 0;
    for (size_t i = fnv1a(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return 0;
        if (strcmp(m->keys[i], key) == 0) {
            *val = m->vals[i];
            return 1;
        }
    }
}

static void strmap_insert(sw__strmap *m, const char *key, size_t val)
{
    size_t i = fnv1a(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->n++;
    m->keys[i] = key;
    m->vals[i] = val;
}

int sw__strmap_put(sw__strmap *m, const char *key, size_t val)
{
    if (2 * (m->n + 1) > m->cap) { /* at most half full */
        size_t cap = m->cap ? 2 * m->cap : 64;
        sw__strmap g = {calloc(cap, sizeof *g.keys), malloc(cap * sizeof *g.vals), cap, 0};
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                strmap_insert(&g, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    strmap_insert(m, key, val);
    return 0;
}

void sw__strmap_free(sw__strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

sw_obs *sw__obs_group_indexed(sw__obs_index *ix, sw_obs_set *set, const char *workload,
                              const char *params, sw_quantity q, const char *unit, sw_scaling sc,
                              int simulated, size_t *at_out, sw_error *err)
{
    /* Length-prefixed fields: no separator a name could contain. */
    size_t len = strlen(workload) + strlen(params) + strlen(unit) + 80;
    char *id = malloc(len);
    if (!id) {
        sw_error_set(err, SW_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(id, len, "%zu:%s%zu:%s%zu:%s/%d/%d/%d", strlen(workload), workload, strlen(params),
             params, strlen(unit), unit, (int)q, (int)sc, simulated);
    size_t at, dummy;
    if (!at_out)
        at_out = &dummy;
    if (sw__strmap_get(&ix->map, id, &at)) {
        free(id);
        *at_out = at;
        return set->series[at];
    }
    /* Not indexed yet: a new series (the set is filled through the index). */
    size_t before = set->n;
    sw_obs *o = sw_obs_new(workload, q, unit);
    if (!o || sw_obs_set_params(o, params, err) || sw_obs_set_push(set, o, err)) {
        sw_obs_free(o);
        free(id);
        sw_error_set(err, SW_ENOMEM, "out of memory");
        return NULL;
    }
    o->scaling = sc;
    o->simulated = simulated;
    *at_out = before;
    if (ix->nids == ix->cap) {
        size_t cap = ix->cap ? 2 * ix->cap : 16;
        char **p = realloc(ix->ids, cap * sizeof *p);
        if (!p) {
            free(id);
            sw_error_set(err, SW_ENOMEM, "out of memory");
            return NULL;
        }
        ix->ids = p;
        ix->cap = cap;
    }
    ix->ids[ix->nids++] = id;
    if (sw__strmap_put(&ix->map, id, before)) {
        sw_error_set(err, SW_ENOMEM, "out of memory");
        return NULL;
    }
    return o;
}

void sw__obs_index_free(sw__obs_index *ix)
{
    sw__strmap_free(&ix->map);
    for (size_t i = 0; i < ix->nids; i++)
        free(ix->ids[i]);
    free(ix->ids);
    memset(ix, 0, sizeof *ix);
}

typedef struct n_at {
    double n;
    size_t at;
} n_at;

static int by_n_then_order(const void *a, const void *b)
{
    const n_at *x = a, *y = b;
    if (x->n != y->n)
        return (x->n > y->n) - (x->n < y->n);
    return (x->at > y->at) - (x->at < y->at);
}

void sw__obs_number_reps(sw_obs *o)
{
    int missing = 0;
    for (size_t i = 0; i < o->npts && !missing; i++)
        missing = o->pts[i].rep < 0;
    if (!missing)
        return;
    n_at *v = malloc(o->npts * sizeof *v);
    if (!v) { /* the slow way, without memory */
        for (size_t i = 0; i < o->npts; i++)
            if (o->pts[i].rep < 0) {
                int rep = 0;
                for (size_t j = 0; j < i; j++)
                    rep += o->pts[j].n == o->pts[i].n;
                o->pts[i].rep = rep;
            }
        return;
    }
    for (size_t i = 0; i < o->npts; i++)
        v[i] = (n_at){o->pts[i].n, i};
    qsort(v, o->npts, sizeof *v, by_n_then_order);
    int rep = 0;
    for (size_t k = 0; k < o->npts; k++) {
        rep = k > 0 && v[k].n == v[k - 1].n ? rep + 1 : 0;
        if (o->pts[v[k].at].rep < 0)
            o->pts[v[k].at].rep = rep;
    }
    free(v);
}
