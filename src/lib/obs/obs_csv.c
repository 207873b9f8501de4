/* obs_csv.c — observation series as tidy CSV (docs/formats.md).
 *
 * Columns: workload,params,quantity,unit,scaling,simulated,n,threads,rep,
 * value,peak,ok,outlier,label, then `hosts` when a series has it (where the
 * ranks of a point ran), one column per extra (numeric), then meta_<key> per
 * metadata key.  Metadata repeat on every row, so a row read alone still
 * says where it came from. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obs_internal.h"
#include "scalewall/io.h"

static const char *const core_cols[] = {"workload", "params", "quantity", "unit",
                                        "scaling",  "simulated", "n",   "threads",
                                        "rep",      "value", "peak",   "ok",
                                        "outlier",  "label"};
enum { C_WORKLOAD, C_PARAMS, C_QUANTITY, C_UNIT, C_SCALING, C_SIMULATED, C_N, C_THREADS,
       C_REP, C_VALUE, C_PEAK, C_OK, C_OUTLIER, C_LABEL, C_NCORE };

int sw__obs_reserved_name(const char *name)
{
    if (!name[0] || strncmp(name, "meta_", 5) == 0)
        return 1;
    for (size_t c = 0; c < C_NCORE; c++)
        if (strcmp(name, core_cols[c]) == 0)
            return 1;
    return 0;
}

static void put_num(FILE *fp, double v)
{
    if (isnan(v))
        return;
    char buf[40];
    sw__fmt_double(buf, sizeof buf, v);
    fputs(buf, fp);
}

/* The union of extras and metadata keys over a set, in first-seen order,
 * found through a hash map (a wide set writes in linear time). */
typedef struct colset {
    const char **names;
    size_t n;
    int hosts; /* extras only: a hosts column comes before them */
    sw__strmap at;
} colset;

static int colset_add(colset *c, const char *name)
{
    size_t at;
    if (sw__strmap_get(&c->at, name, &at))
        return 0;
    if ((c->n & (c->n - 1)) == 0) { /* 0 or a power of two: full */
        const char **p = realloc(c->names, (c->n ? 2 * c->n : 1) * sizeof *p);
        if (!p)
            return -1;
        c->names = p;
    }
    if (sw__strmap_put(&c->at, name, c->n))
        return -1;
    c->names[c->n++] = name;
    return 0;
}

static void colset_free(colset *c)
{
    free(c->names);
    sw__strmap_free(&c->at);
}

static void write_header(FILE *fp, const colset *extra, const colset *meta)
{
    for (size_t i = 0; i < C_NCORE; i++)
        fprintf(fp, "%s%s", i ? "," : "", core_cols[i]);
    if (extra->hosts)
        fputs(",hosts", fp);
    for (size_t i = 0; i < extra->n; i++) {
        fputc(',', fp);
        sw_csv_write_field(fp, extra->names[i]);
    }
    for (size_t i = 0; i < meta->n; i++) {
        /* Quoted like any field: a key may hold a comma or a quote. */
        size_t len = strlen(meta->names[i]) + 6;
        char *col = malloc(len);
        fputc(',', fp);
        if (col) {
            snprintf(col, len, "meta_%s", meta->names[i]);
            sw_csv_write_field(fp, col);
            free(col);
        } else {
            fputs("meta_", fp);
            sw_csv_write_field(fp, meta->names[i]);
        }
    }
    fputc('\n', fp);
}

/* Where a series' own columns sit among the union's: extra index or -1,
 * metadata value or NULL, per union column. */
typedef struct rowmap {
    int *extra;
    const char **meta;
} rowmap;

static int rowmap_make(const sw_obs *o, const colset *extra, const colset *meta, rowmap *m)
{
    sw__strmap ex = {0}, mk = {0};
    m->extra = malloc((extra->n ? extra->n : 1) * sizeof *m->extra);
    m->meta = malloc((meta->n ? meta->n : 1) * sizeof *m->meta);
    int bad = !m->extra || !m->meta;
    for (size_t i = 0; !bad && i < o->nextra; i++)
        bad = sw__strmap_put(&ex, o->extra_names[i], i);
    for (size_t i = 0; !bad && i < o->nmeta; i++)
        bad = sw__strmap_put(&mk, o->meta[i].key, i);
    for (size_t i = 0; !bad && i < extra->n; i++) {
        size_t k;
        m->extra[i] = sw__strmap_get(&ex, extra->names[i], &k) ? (int)k : -1;
    }
    for (size_t i = 0; !bad && i < meta->n; i++) {
        size_t k;
        m->meta[i] = sw__strmap_get(&mk, meta->names[i], &k) ? o->meta[k].value : NULL;
    }
    sw__strmap_free(&ex);
    sw__strmap_free(&mk);
    return bad ? -1 : 0;
}

static void rowmap_free(rowmap *m)
{
    free(m->extra);
    free(m->meta);
}

static void write_row(FILE *fp, const sw_obs *o, const sw_obs_point *p, const colset *extra,
                      const colset *meta, const rowmap *m)
{
    sw_csv_write_field(fp, o->workload);
    fputc(',', fp);
    sw_csv_write_field(fp, o->params);
    fprintf(fp, ",%s,", sw_quantity_name(o->quantity));
    sw_csv_write_field(fp, o->unit);
    fprintf(fp, ",%s,%d,", sw_scaling_name(o->scaling), o->simulated);
    put_num(fp, p->n);
    fputc(',', fp);
    put_num(fp, p->threads);
    fprintf(fp, ",%d,", p->rep);
    put_num(fp, p->value);
    fputc(',', fp);
    put_num(fp, p->peak);
    fprintf(fp, ",%d,%d,", p->ok ? 1 : 0, p->outlier ? 1 : 0);
    sw_csv_write_field(fp, p->label ? p->label : "");
    if (extra->hosts) {
        fputc(',', fp);
        sw_csv_write_field(fp, p->hosts ? p->hosts : "");
    }
    for (size_t i = 0; i < extra->n; i++) {
        fputc(',', fp);
        if (m->extra[i] >= 0 && p->extra)
            put_num(fp, p->extra[m->extra[i]]);
    }
    for (size_t i = 0; i < meta->n; i++) {
        fputc(',', fp);
        sw_csv_write_field(fp, m->meta[i] ? m->meta[i] : "");
    }
    fputc('\n', fp);
}

static sw_status collect(const sw_obs *const *series, size_t n, colset *extra, colset *meta,
                         sw_error *err)
{
    for (size_t s = 0; s < n; s++) {
        extra->hosts |= series[s]->has_hosts;
        for (size_t i = 0; i < series[s]->nextra; i++)
            if (colset_add(extra, series[s]->extra_names[i]))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
        for (size_t i = 0; i < series[s]->nmeta; i++)
            if (colset_add(meta, series[s]->meta[i].key))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    return SW_OK;
}

sw_status sw_obs_write_csv(const sw_obs_set *s, FILE *fp, sw_error *err)
{
    colset extra = {0}, meta = {0};
    sw_status st = collect((const sw_obs *const *)s->series, s->n, &extra, &meta, err);
    if (!st) {
        write_header(fp, &extra, &meta);
        for (size_t i = 0; !st && i < s->n; i++) {
            rowmap m;
            if (rowmap_make(s->series[i], &extra, &meta, &m))
                st = sw_error_set(err, SW_ENOMEM, "out of memory");
            for (size_t j = 0; !st && j < s->series[i]->npts; j++)
                write_row(fp, s->series[i], &s->series[i]->pts[j], &extra, &meta, &m);
            rowmap_free(&m);
        }
        if (!st && ferror(fp))
            st = sw_error_set(err, SW_EIO, "write failed");
    }
    colset_free(&extra);
    colset_free(&meta);
    return st;
}

sw_status sw_obs_write_csv_header(const sw_obs *o, FILE *fp, sw_error *err)
{
    colset extra = {0}, meta = {0};
    sw_status st = collect(&o, 1, &extra, &meta, err);
    if (!st) {
        write_header(fp, &extra, &meta);
        if (fflush(fp) != 0 || ferror(fp))
            st = sw_error_set(err, SW_EIO, "write failed");
    }
    colset_free(&extra);
    colset_free(&meta);
    return st;
}

sw_status sw_obs_write_csv_point(const sw_obs *o, const sw_obs_point *p, FILE *fp,
                                 sw_error *err)
{
    colset extra = {0}, meta = {0};
    sw_status st = collect(&o, 1, &extra, &meta, err);
    rowmap m = {0};
    if (!st && rowmap_make(o, &extra, &meta, &m))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    if (!st) {
        write_row(fp, o, p, &extra, &meta, &m);
        if (fflush(fp) != 0 || ferror(fp))
            st = sw_error_set(err, SW_EIO, "write failed");
    }
    rowmap_free(&m);
    colset_free(&extra);
    colset_free(&meta);
    return st;
}

/* ---- reading ---- */

int sw__parse_quantity(const char *s, sw_quantity *q)
{
    if (!*s || strcmp(s, "time") == 0)
        *q = SW_QTY_TIME;
    else if (strcmp(s, "rate") == 0)
        *q = SW_QTY_RATE;
    else
        return -1;
    return 0;
}

int sw__parse_scaling(const char *s, sw_scaling *sc)
{
    if (!*s || strcmp(s, "strong") == 0)
        *sc = SW_SCALING_STRONG;
    else if (strcmp(s, "weak") == 0)
        *sc = SW_SCALING_WEAK;
    else
        return -1;
    return 0;
}

int sw__parse_bool(const char *s, int *b)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
        *b = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
        *b = 0;
    else
        return -1;
    return 0;
}

typedef struct csv_layout {
    int core[C_NCORE];   /* column index of each core field, -1 when absent */
    int *is_extra;       /* per column: 1 numeric extra, 2 meta_, 3 descriptive
                            text -> meta, 4 hosts, 0 core/ignored */
    char **names;        /* header copy */
    size_t ncols;
    /* Computed once from the header so that a row costs time linear in its
     * width: each extra column's index among the distinct extra names, and
     * each metadata column's slot among the distinct keys (a repeated
     * name shares one). */
    size_t *slot;        /* per column; meaningful for is_extra != 0 */
    const char **extras; /* distinct extra names, in first-seen order */
    size_t nextras;
    const char **keys;   /* distinct metadata keys, in first-seen order */
    size_t nkeys;
    sw__obs_index index; /* series by identity */
} csv_layout;

static void layout_free(csv_layout *l)
{
    for (size_t i = 0; i < l->ncols; i++)
        free(l->names[i]);
    free(l->names);
    free(l->is_extra);
    free(l->slot);
    free(l->extras);
    free(l->keys);
    sw__obs_index_free(&l->index);
}

static const char *meta_key(const csv_layout *l, size_t i)
{
    return l->is_extra[i] == 2 ? l->names[i] + 5 : l->names[i];
}

/* Distinct names in first-seen order, after the columns are classified. */
static sw_status layout_slots(csv_layout *l, sw_error *err)
{
    sw__strmap ex = {0}, mk = {0};
    l->slot = calloc(l->ncols ? l->ncols : 1, sizeof *l->slot);
    l->extras = calloc(l->ncols ? l->ncols : 1, sizeof *l->extras);
    l->keys = calloc(l->ncols ? l->ncols : 1, sizeof *l->keys);
    sw_status st = l->slot && l->extras && l->keys ? SW_OK : SW_ENOMEM;
    for (size_t i = 0; !st && i < l->ncols; i++) {
        int x = l->is_extra[i];
        if (!x || x == 4) /* core, ignored, or hosts (a field of the point) */
            continue;
        sw__strmap *m = x == 1 ? &ex : &mk;
        const char *name = x == 1 ? l->names[i] : meta_key(l, i);
        size_t at;
        if (!sw__strmap_get(m, name, &at)) {
            at = x == 1 ? l->nextras++ : l->nkeys++;
            (x == 1 ? l->extras : l->keys)[at] = name;
            if (sw__strmap_put(m, name, at))
                st = SW_ENOMEM;
        }
        l->slot[i] = at;
    }
    sw__strmap_free(&ex);
    sw__strmap_free(&mk);
    return st ? sw_error_set(err, SW_ENOMEM, "out of memory") : SW_OK;
}

static int is_last_unterminated(const sw_csv *csv)
{
    return csv->pos >= csv->len && csv->len > 0 && csv->buf[csv->len - 1] != '\n';
}

static sw_status read_header(sw_csv *csv, csv_layout *l, sw_error *err)
{
    int r = sw_csv_next(csv, err);
    if (r < 0)
        return -r;
    if (r == 0)
        return sw_error_set(err, SW_EPARSE, "%s: empty file: no header row", csv->name);
    l->ncols = csv->nfields;
    l->names = calloc(l->ncols, sizeof *l->names);
    l->is_extra = calloc(l->ncols, sizeof *l->is_extra);
    if (!l->names || !l->is_extra)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t c = 0; c < C_NCORE; c++)
        l->core[c] = -1;
    for (size_t i = 0; i < l->ncols; i++) {
        l->names[i] = sw__strdup(csv->fields[i]);
        if (!l->names[i])
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        int core = -1;
        for (size_t c = 0; c < C_NCORE; c++)
            if (strcmp(csv->fields[i], core_cols[c]) == 0)
                core = (int)c;
        if (core >= 0) {
            if (l->core[core] >= 0)
                return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' appears twice",
                                    csv->name, csv->line, core_cols[core]);
            l->core[core] = (int)i;
        } else if (strncmp(csv->fields[i], "meta_", 5) == 0) {
            l->is_extra[i] = 2;
        } else if (strcmp(csv->fields[i], "hosts") == 0) {
            l->is_extra[i] = 4;
        } else if (csv->fields[i][0]) {
            l->is_extra[i] = 1;
        }
    }
    if (l->core[C_N] < 0)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: missing column 'n'", csv->name, csv->line);
    if (l->core[C_VALUE] < 0)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: missing column 'value'", csv->name,
                            csv->line);
    return SW_OK;
}

/* Unknown columns are extras only when every value is numeric or empty;
 * otherwise they are descriptive and become metadata. */
static sw_status classify_columns(const char *name, const char *buf, size_t len,
                                  csv_layout *l, sw_error *err)
{
    sw_csv csv;
    sw_csv_init(&csv, name, buf, len);
    int r = sw_csv_next(&csv, err); /* header */
    while (r > 0 && (r = sw_csv_next(&csv, err)) > 0) {
        for (size_t i = 0; i < csv.nfields && i < l->ncols; i++) {
            double v;
            if (l->is_extra[i] == 1 && sw_parse_double(csv.fields[i], &v) < 0)
                l->is_extra[i] = 3; /* descriptive: kept as metadata */
        }
    }
    sw_csv_free(&csv);
    return r < 0 ? -r : SW_OK;
}

static const char *field(const sw_csv *csv, const csv_layout *l, int c)
{
    return l->core[c] >= 0 ? csv->fields[l->core[c]] : "";
}

static sw_status num_field(const sw_csv *csv, const csv_layout *l, int c, double *v,
                           int required, sw_error *err)
{
    const char *s = field(csv, l, c);
    int r = sw_parse_double(s, v);
    if (r < 0)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is not a number: '%s'",
                            csv->name, csv->line, core_cols[c], s);
    if (r == 0 && required)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is empty", csv->name,
                            csv->line, core_cols[c]);
    return SW_OK;
}

static sw_status first_row_meta(const sw_csv *csv, const csv_layout *l, sw_obs *o,
                                sw_error *err)
{
    size_t *at = malloc((l->nkeys ? l->nkeys : 1) * sizeof *at);
    if (!at)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t k = 0; k < l->nkeys; k++)
        at[k] = SIZE_MAX;
    sw_status st = SW_OK;
    for (size_t i = 0; !st && i < l->ncols; i++) {
        if ((l->is_extra[i] != 2 && l->is_extra[i] != 3) || !csv->fields[i][0])
            continue;
        size_t k = l->slot[i];
        if (at[k] == SIZE_MAX) {
            at[k] = o->nmeta;
            st = sw__obs_append_meta(o, l->keys[k], csv->fields[i], err);
        } else {
            st = sw__obs_replace_meta(o, at[k], csv->fields[i], err);
        }
    }
    free(at);
    return st;
}

static sw_status read_row(const sw_csv *csv, csv_layout *l, sw_obs_set *out,
                          sw_error *err)
{
    sw_quantity q;
    sw_scaling sc;
    int simulated = 0, ok = 1, outlier = 0;
    if (sw__parse_quantity(field(csv, l, C_QUANTITY), &q))
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column 'quantity' must be time or rate: '%s'",
                            csv->name, csv->line, field(csv, l, C_QUANTITY));
    if (sw__parse_scaling(field(csv, l, C_SCALING), &sc))
        return sw_error_set(err, SW_EPARSE,
                            "%s:%ld: column 'scaling' must be strong or weak: '%s'", csv->name,
                            csv->line, field(csv, l, C_SCALING));
    const int bools[] = {C_SIMULATED, C_OK, C_OUTLIER};
    int *dst[] = {&simulated, &ok, &outlier};
    for (size_t b = 0; b < 3; b++) {
        const char *s = field(csv, l, bools[b]);
        if (*s && sw__parse_bool(s, dst[b]))
            return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' must be 0 or 1: '%s'",
                                csv->name, csv->line, core_cols[bools[b]], s);
    }
    double n, threads, rep_d, value, peak;
    sw_status st;
    if ((st = num_field(csv, l, C_N, &n, 1, err)) ||
        (st = num_field(csv, l, C_THREADS, &threads, 0, err)) ||
        (st = num_field(csv, l, C_REP, &rep_d, 0, err)) ||
        (st = num_field(csv, l, C_VALUE, &value, ok, err)) ||
        (st = num_field(csv, l, C_PEAK, &peak, 0, err)))
        return st;
    if (n < 1)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column 'n' = %g is below 1", csv->name,
                            csv->line, n);
    if (!isnan(rep_d) && (rep_d < 0 || rep_d != floor(rep_d) || rep_d > 1e9))
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column 'rep' = %g is not a count",
                            csv->name, csv->line, rep_d);
    const char *unit = l->core[C_UNIT] >= 0 ? field(csv, l, C_UNIT) : (q == SW_QTY_TIME ? "s" : "");
    sw_obs *o = sw__obs_group_indexed(&l->index, out, field(csv, l, C_WORKLOAD),
                                      field(csv, l, C_PARAMS), q, unit, sc, simulated, NULL,
                                      err);
    if (!o)
        return SW_ENOMEM;
    /* A series' extras are the layout's, declared at its first row; its
     * metadata come from that row too (a repeated key: the last non-empty
     * value, as sw_obs_set_meta would leave it). */
    if (o->npts == 0) {
        for (size_t k = 0; k < l->nextras; k++)
            if (sw__obs_append_extra(o, l->extras[k]) != (int)k)
                return sw_error_set(err, SW_ENOMEM, "out of memory");
        if (first_row_meta(csv, l, o, err))
            return SW_ENOMEM;
    }
    /* Without a rep column, sw__obs_number_reps counts afterwards. */
    int rep = isnan(rep_d) ? -1 : (int)rep_d;
    sw_obs_point *p = sw_obs_add(o, n, rep, value);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    p->threads = isnan(threads) ? 1 : threads;
    p->peak = peak;
    p->ok = ok;
    p->outlier = outlier;
    const char *label = field(csv, l, C_LABEL);
    if (*label && !(p->label = sw__strdup(label)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->ncols; i++) {
        if (l->is_extra[i] == 4) {
            o->has_hosts = 1;
            if (csv->fields[i][0] && !(p->hosts = sw__strdup(csv->fields[i])))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
        }
        if (l->is_extra[i] != 1)
            continue;
        double v;
        sw_parse_double(csv->fields[i], &v);
        p->extra[l->slot[i]] = v;
    }
    return SW_OK;
}

sw_status sw__obs_read_csv(const char *name, const char *buf, size_t len, int tolerant,
                           sw_obs_set *out, int *dropped, sw_error *err)
{
    csv_layout l = {0};
    sw_csv csv;
    sw_csv_init(&csv, name, buf, len);
    sw_status st = read_header(&csv, &l, err);
    if (!st)
        st = classify_columns(name, buf, len, &l, err);
    if (!st)
        st = layout_slots(&l, err);
    size_t rows = 0;
    while (!st) {
        int r = sw_csv_next(&csv, err);
        if (r < 0) {
            if (tolerant && csv.pos >= csv.len) {
                *dropped = 1;
                sw_error_clear(err);
                break;
            }
            st = -r;
            break;
        }
        if (r == 0)
            break;
        if (tolerant && is_last_unterminated(&csv)) {
            *dropped = 1;
            break;
        }
        if (csv.nfields != l.ncols) {
            st = sw_error_set(err, SW_EPARSE, "%s:%ld: expected %zu fields, found %zu", name,
                              csv.line, l.ncols, csv.nfields);
            break;
        }
        st = read_row(&csv, &l, out, err);
        rows++;
    }
    if (!st && rows == 0)
        st = sw_error_set(err, SW_EPARSE, "%s: no data rows after the header", name);
    for (size_t i = 0; !st && i < out->n; i++)
        sw__obs_number_reps(out->series[i]);
    sw_csv_free(&csv);
    layout_free(&l);
    return st;
}
