/* obs_json.c — observation series as a JSON document and as JSON Lines
 * (docs/formats.md), through jansson; plus the format-sniffing readers. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "obs_internal.h"
#include "scalewall/io.h"
#include "scalewall/text.h"

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* Integral values are written as integers so files read naturally. */
static json_t *num(double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return num_or_null(v);
}

static json_t *point_json(const sw_obs *o, const sw_obs_point *p)
{
    json_t *j = json_object();
    json_object_set_new(j, "n", num(p->n));
    json_object_set_new(j, "threads", num(p->threads));
    json_object_set_new(j, "rep", json_integer(p->rep));
    json_object_set_new(j, "value", num_or_null(p->value));
    if (!isnan(p->peak))
        json_object_set_new(j, "peak", num_or_null(p->peak));
    json_object_set_new(j, "ok", json_boolean(p->ok));
    if (p->outlier)
        json_object_set_new(j, "outlier", json_true());
    if (p->label)
        json_object_set_new(j, "label", json_string(p->label));
    if (p->hosts)
        json_object_set_new(j, "hosts", json_string(p->hosts));
    if (o->nextra) {
        json_t *x = json_object();
        for (size_t i = 0; i < o->nextra; i++)
            if (!isnan(p->extra[i]))
                json_object_set_new(x, o->extra_names[i], num_or_null(p->extra[i]));
        json_object_set_new(j, "extra", x);
    }
    return j;
}

static void series_fields(json_t *j, const sw_obs *o)
{
    json_object_set_new(j, "workload", json_string(o->workload));
    json_object_set_new(j, "params", json_string(o->params));
    json_object_set_new(j, "quantity", json_string(sw_quantity_name(o->quantity)));
    json_object_set_new(j, "unit", json_string(o->unit));
    json_object_set_new(j, "scaling", json_string(sw_scaling_name(o->scaling)));
    json_object_set_new(j, "simulated", json_boolean(o->simulated));
    json_t *m = json_object();
    for (size_t i = 0; i < o->nmeta; i++)
        json_object_set_new(m, o->meta[i].key, json_string(o->meta[i].value));
    json_object_set_new(j, "meta", m);
}

/* JSON holds Unicode text only.  Observation files are read back and
 * matched on --resume, so a name changed on the way out would duplicate
 * rows: bytes that are not UTF-8 are refused here, never dropped or
 * replaced (text.h). */
static sw_status check_text(const sw_obs *o, const sw_obs_point *p, sw_error *err)
{
    const char *w = "cannot write JSON";
    sw_status st = SW_OK;
    if ((st = sw_utf8_require(o->workload, w, "workload name", err)) ||
        (st = sw_utf8_require(o->params, w, "params", err)) ||
        (st = sw_utf8_require(o->unit, w, "unit", err)))
        return st;
    for (size_t i = 0; i < o->nmeta; i++)
        if ((st = sw_utf8_require(o->meta[i].key, w, "metadata key", err)) ||
            (st = sw_utf8_require(o->meta[i].value, w, "metadata value", err)))
            return st;
    for (size_t i = 0; i < o->nextra; i++)
        if ((st = sw_utf8_require(o->extra_names[i], w, "column name", err)))
            return st;
    if (p)
        return sw_utf8_require(p->label, w, "label", err);
    for (size_t i = 0; i < o->npts; i++)
        if ((st = sw_utf8_require(o->pts[i].label, w, "label", err)))
            return st;
    return SW_OK;
}

static sw_status dump(json_t *j, FILE *fp, size_t flags, sw_error *err)
{
    int r = json_dumpf(j, fp, flags | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (r != 0 || ferror(fp))
        return sw_error_set(err, SW_EIO, "write failed");
    return SW_OK;
}

sw_status sw_obs_write_json(const sw_obs_set *s, FILE *fp, sw_error *err)
{
    for (size_t i = 0; i < s->n; i++) {
        sw_status st = check_text(s->series[i], NULL, err);
        if (st)
            return st;
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "format", json_string("scalewall-obs"));
    json_object_set_new(doc, "version", json_integer(SW_OBS_FORMAT_VERSION));
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const sw_obs *o = s->series[i];
        json_t *js = json_object();
        series_fields(js, o);
        json_t *pts = json_array();
        for (size_t k = 0; k < o->npts; k++)
            json_array_append_new(pts, point_json(o, &o->pts[k]));
        json_object_set_new(js, "points", pts);
        json_array_append_new(arr, js);
    }
    json_object_set_new(doc, "series", arr);
    sw_status st = dump(doc, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER, err);
    if (!st)
        fputc('\n', fp);
    return st;
}

sw_status sw_obs_write_jsonl_point(const sw_obs *o, const sw_obs_point *p, FILE *fp,
                                   sw_error *err)
{
    sw_status st = check_text(o, p, err);
    if (st)
        return st;
    json_t *j = json_object();
    series_fields(j, o);
    json_t *pj = point_json(o, p);
    json_object_update(j, pj);
    json_decref(pj);
    st = dump(j, fp, JSON_COMPACT | JSON_PRESERVE_ORDER, err);
    if (!st) {
        fputc('\n', fp);
        if (fflush(fp) != 0 || ferror(fp))
            st = sw_error_set(err, SW_EIO, "write failed");
    }
    return st;
}

/* ---- reading ---- */

static const char *str_or(json_t *j, const char *key, const char *dflt)
{
    json_t *v = json_object_get(j, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

static sw_status get_num(json_t *j, const char *key, double *out, int required,
                         const char *where, sw_error *err)
{
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) {
        if (required)
            return sw_error_set(err, SW_EPARSE, "%s: missing '%s'", where, key);
        *out = NAN;
        return SW_OK;
    }
    if (!json_is_number(v))
        return sw_error_set(err, SW_EPARSE, "%s: '%s' is not a number", where, key);
    *out = json_number_value(v);
    return SW_OK;
}

static sw_status get_bool(json_t *j, const char *key, int dflt, int *out, const char *where,
                          sw_error *err)
{
    json_t *v = json_object_get(j, key);
    if (!v) {
        *out = dflt;
        return SW_OK;
    }
    if (json_is_boolean(v))
        *out = json_is_true(v);
    else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
        *out = (int)json_integer_value(v);
    else
        return sw_error_set(err, SW_EPARSE, "%s: '%s' must be true or false", where, key);
    return SW_OK;
}

/* What a read keeps so that each point costs time independent of the
 * series and columns before it: series by identity, and per series its
 * extra columns by name. */
typedef struct jread {
    sw_obs_set *out;
    sw__obs_index index;
    sw__strmap *extras; /* parallel to out->series */
    size_t nextras;
} jread;

static void jread_free(jread *r)
{
    sw__obs_index_free(&r->index);
    for (size_t i = 0; i < r->nextras; i++)
        sw__strmap_free(&r->extras[i]);
    free(r->extras);
}

/* The extras map of the set's series `at`. */
static sw__strmap *extras_of(jread *r, size_t at)
{
    if (at >= r->nextras) {
        size_t n = r->out->n > at ? r->out->n : at + 1;
        sw__strmap *p = realloc(r->extras, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + r->nextras, 0, (n - r->nextras) * sizeof *p);
        r->extras = p;
        r->nextras = n;
    }
    return &r->extras[at];
}

/* Series-level fields of an object (a series of a document, or a JSONL line). */
static sw_obs *series_of(jread *r, json_t *j, size_t *at, const char *where, sw_error *err)
{
    sw_obs_set *out = r->out;
    sw_quantity q;
    sw_scaling sc;
    int simulated = 0; /* set below; initialised for GCC's -O3 flow analysis */
    const char *qs = str_or(j, "quantity", "time");
    if (sw__parse_quantity(qs, &q)) {
        sw_error_set(err, SW_EPARSE, "%s: 'quantity' must be time or rate: '%s'", where, qs);
        return NULL;
    }
    const char *ss = str_or(j, "scaling", "strong");
    if (sw__parse_scaling(ss, &sc)) {
        sw_error_set(err, SW_EPARSE, "%s: 'scaling' must be strong or weak: '%s'", where, ss);
        return NULL;
    }
    if (get_bool(j, "simulated", 0, &simulated, where, err))
        return NULL;
    sw_obs *o = sw__obs_group_indexed(&r->index, out, str_or(j, "workload", ""),
                                      str_or(j, "params", ""), q,
                                      str_or(j, "unit", q == SW_QTY_TIME ? "s" : ""), sc,
                                      simulated, at, err);
    if (!o)
        return NULL;
    json_t *meta = json_object_get(j, "meta");
    if (o->nmeta == 0 && json_is_object(meta)) {
        const char *k;
        json_t *v;
        json_object_foreach(meta, k, v)
        {
            /* An object's keys are distinct: no search needed. */
            if (json_is_string(v) && sw__obs_append_meta(o, k, json_string_value(v), err))
                return NULL;
        }
    }
    return o;
}

/* Extras not given for a point are NAN cells of the series' table, so a
 * file whose points each bring new names would grow it as points x names:
 * 2^24 cells (128 MB) is the limit, reached only by such a file. */
#define EXTRA_CELLS_MAX ((size_t)1 << 24)

static sw_status add_point(jread *r, sw_obs *o, size_t at, json_t *j, const char *where,
                           sw_error *err)
{
    if (!json_is_object(j))
        return sw_error_set(err, SW_EPARSE, "%s: a point is not an object", where);
    /* every one is set by get_* before use; initialised because GCC 12 at
     * -O3 cannot see through the || chain (-Wmaybe-uninitialized) */
    double n = NAN, threads = NAN, rep = NAN, value = NAN, peak = NAN;
    int ok = 1, outlier = 0;
    sw_status st;
    if ((st = get_bool(j, "ok", 1, &ok, where, err)) ||
        (st = get_bool(j, "outlier", 0, &outlier, where, err)) ||
        (st = get_num(j, "n", &n, 1, where, err)) ||
        (st = get_num(j, "threads", &threads, 0, where, err)) ||
        (st = get_num(j, "rep", &rep, 0, where, err)) ||
        (st = get_num(j, "value", &value, ok, where, err)) ||
        (st = get_num(j, "peak", &peak, 0, where, err)))
        return st;
    if (n < 1)
        return sw_error_set(err, SW_EPARSE, "%s: 'n' = %g is below 1", where, n);
    if (!isnan(rep) && (rep < 0 || rep != floor(rep) || rep > 1e9))
        return sw_error_set(err, SW_EPARSE, "%s: 'rep' = %g is not a count", where, rep);
    /* Without a rep, sw__obs_number_reps counts once all points are in. */
    sw_obs_point *p = sw_obs_add(o, n, isnan(rep) ? -1 : (int)rep, value);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    p->threads = isnan(threads) ? 1 : threads;
    p->peak = peak;
    p->ok = ok;
    p->outlier = outlier;
    const char *label = str_or(j, "label", NULL);
    if (label && !(p->label = sw__strdup(label)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    const char *hosts = str_or(j, "hosts", NULL);
    if (hosts && !(p->hosts = sw__strdup(hosts)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    o->has_hosts |= hosts != NULL;
    json_t *extra = json_object_get(j, "extra");
    if (!json_is_object(extra))
        return SW_OK;
    sw__strmap *names = extras_of(r, at);
    if (!names)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    const char *k;
    json_t *v;
    json_object_foreach(extra, k, v)
    {
        if (!json_is_number(v) && !json_is_null(v))
            return sw_error_set(err, SW_EPARSE, "%s: extra '%s' is not a number", where, k);
        if (sw__obs_reserved_name(k))
            return sw_error_set(err, SW_EPARSE,
                                "%s: extra '%s' has the name of a column (n, value, ..., "
                                "meta_*) or none: rename it",
                                where, k);
        size_t idx;
        if (!sw__strmap_get(names, k, &idx)) {
            if (o->npts * (o->nextra + 1) > EXTRA_CELLS_MAX)
                return sw_error_set(err, SW_EUNSUP,
                                    "%s: extra '%s' makes %zu points x %zu extra columns, "
                                    "above the limit of %zu cells (give the points the same "
                                    "extras)",
                                    where, k, o->npts, o->nextra + 1, EXTRA_CELLS_MAX);
            int added = sw__obs_append_extra(o, k);
            if (added < 0 || sw__strmap_put(names, o->extra_names[added], (size_t)added))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
            idx = (size_t)added;
            p = &o->pts[o->npts - 1]; /* extras were reallocated, not points */
        }
        p->extra[idx] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    return SW_OK;
}

static sw_status check_version(json_t *doc, const char *name, sw_error *err)
{
    const char *fmt = str_or(doc, "format", NULL);
    if (!fmt || strcmp(fmt, "scalewall-obs") != 0)
        return sw_error_set(err, SW_EPARSE, "%s: not a scalewall observation file (format '%s')",
                            name, fmt ? fmt : "missing");
    json_t *v = json_object_get(doc, "version");
    if (!json_is_integer(v))
        return sw_error_set(err, SW_EPARSE, "%s: missing format version", name);
    if (json_integer_value(v) > SW_OBS_FORMAT_VERSION)
        return sw_error_set(err, SW_EUNSUP,
                            "%s: format version %lld is newer than this scalewall reads (%d)",
                            name, (long long)json_integer_value(v), SW_OBS_FORMAT_VERSION);
    return SW_OK;
}

static sw_status read_doc(const char *name, json_t *doc, jread *r, sw_error *err)
{
    sw_status st = check_version(doc, name, err);
    if (st)
        return st;
    json_t *series = json_object_get(doc, "series");
    if (!json_is_array(series))
        return sw_error_set(err, SW_EPARSE, "%s: 'series' is not an array", name);
    size_t i, k;
    json_t *js, *jp;
    json_array_foreach(series, i, js)
    {
        char where[600];
        snprintf(where, sizeof where, "%s: series %zu", name, i + 1);
        if (!json_is_object(js))
            return sw_error_set(err, SW_EPARSE, "%s: not an object", where);
        size_t at;
        sw_obs *o = series_of(r, js, &at, where, err);
        if (!o)
            return err ? err->status : SW_EPARSE;
        json_t *pts = json_object_get(js, "points");
        if (!json_is_array(pts))
            return sw_error_set(err, SW_EPARSE, "%s: 'points' is not an array", where);
        json_array_foreach(pts, k, jp)
        {
            snprintf(where, sizeof where, "%s: series %zu point %zu", name, i + 1, k + 1);
            if ((st = add_point(r, o, at, jp, where, err)))
                return st;
        }
    }
    if (r->out->n == 0)
        return sw_error_set(err, SW_EPARSE, "%s: no series", name);
    return SW_OK;
}

static sw_status read_lines(const char *name, const char *buf, size_t len, int tolerant,
                            jread *r, int *dropped, sw_error *err)
{
    size_t pos = 0;
    long line = 0, rows = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t a = pos;
        while (a < end && isspace((unsigned char)buf[a]))
            a++;
        if (a < end) {
            if (tolerant && !nl) {
                *dropped = 1;
                break;
            }
            json_error_t jerr;
            json_t *j = json_loadb(buf + a, end - a, 0, &jerr);
            if (!j)
                return sw_error_set(err, SW_EPARSE, "%s:%ld: invalid JSON: %s", name, line,
                                    jerr.text);
            char where[600];
            snprintf(where, sizeof where, "%s:%ld", name, line);
            sw_status st = SW_OK;
            size_t at = 0;
            sw_obs *o = json_is_object(j) ? series_of(r, j, &at, where, err) : NULL;
            if (!json_is_object(j))
                st = sw_error_set(err, SW_EPARSE, "%s: a line is not a JSON object", where);
            else if (!o)
                st = err ? err->status : SW_EPARSE;
            else
                st = add_point(r, o, at, j, where, err);
            json_decref(j);
            if (st)
                return st;
            rows++;
        }
        pos = nl ? end + 1 : len;
    }
    if (rows == 0)
        return sw_error_set(err, SW_EPARSE, "%s: no points", name);
    return SW_OK;
}

static sw_status read_json(const char *name, const char *buf, size_t len, int tolerant,
                           jread *r, int *dropped, sw_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(buf, len, 0, &jerr);
    if (doc && json_is_object(doc) && json_object_get(doc, "series")) {
        sw_status st = read_doc(name, doc, r, err);
        json_decref(doc);
        return st;
    }
    if (doc && json_is_object(doc) && json_object_get(doc, "format")) {
        sw_status st = check_version(doc, name, err);
        json_decref(doc);
        return st ? st : sw_error_set(err, SW_EPARSE, "%s: 'series' is missing", name);
    }
    json_decref(doc);
    /* Not one document: a line-per-point file when the first line is a
     * complete object on its own; otherwise a broken document, reported at
     * the line and column jansson found. */
    const char *nl = memchr(buf, '\n', len);
    json_t *first = nl ? json_loadb(buf, (size_t)(nl - buf), 0, NULL) : NULL;
    int is_lines = first && json_is_object(first);
    json_decref(first);
    if (!is_lines && !doc)
        return sw_error_set(err, SW_EPARSE, "%s:%d:%d: invalid JSON: %s", name, jerr.line,
                            jerr.column, jerr.text);
    return read_lines(name, buf, len, tolerant, r, dropped, err);
}

sw_status sw__obs_read_json(const char *name, const char *buf, size_t len, int tolerant,
                            sw_obs_set *out, int *dropped, sw_error *err)
{
    jread r = {out, {{0}, 0, 0, 0}, NULL, 0};
    sw_status st = read_json(name, buf, len, tolerant, &r, dropped, err);
    jread_free(&r);
    for (size_t i = 0; !st && i < out->n; i++)
        sw__obs_number_reps(out->series[i]);
    return st;
}

static sw_status read_any(const char *name, const char *buf, size_t len, int tolerant,
                          sw_obs_set *out, int *dropped, sw_error *err)
{
    memset(out, 0, sizeof *out);
    *dropped = 0;
    if (memchr(buf, '\0', len))
        return sw_error_set(err, SW_EPARSE, "%s: binary data: not a CSV or JSON file", name);
    size_t i = 0;
    while (i < len && isspace((unsigned char)buf[i]))
        i++;
    if (i == len)
        return sw_error_set(err, SW_EPARSE, "%s: empty file", name);
    sw_status st = buf[i] == '{' ? sw_json_expect(name, buf + i, len - i, "scalewall-obs",
                                                  "observations (CSV, JSON or JSON Lines)", err)
                                 : SW_OK;
    if (!st)
        st = buf[i] == '{'
                 ? sw__obs_read_json(name, buf + i, len - i, tolerant, out, dropped, err)
                 : sw__obs_read_csv(name, buf, len, tolerant, out, dropped, err);
    if (st)
        sw_obs_set_free(out);
    return st;
}

sw_status sw_obs_read_buffer(const char *name, const char *buf, size_t len, sw_obs_set *out,
                             sw_error *err)
{
    int dropped;
    return read_any(name, buf, len, 0, out, &dropped, err);
}

static sw_status read_path(const char *path, int tolerant, sw_obs_set *out, int *dropped,
                           sw_error *err)
{
    char *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = read_any(path, buf, len, tolerant, out, dropped, err);
    free(buf);
    return st;
}

sw_status sw_obs_read_file(const char *path, sw_obs_set *out, sw_error *err)
{
    int dropped;
    return read_path(path, 0, out, &dropped, err);
}

sw_status sw_obs_read_tolerant(const char *path, sw_obs_set *out, int *dropped, sw_error *err)
{
    int d = 0;
    sw_status st = read_path(path, 1, out, &d, err);
    if (dropped)
        *dropped = d;
    return st;
}
