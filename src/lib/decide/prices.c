/* prices.c — price tables: the built-in example, CSV and JSON readers.
 *
 * Every value is checked where it is read, so a bad table fails with the
 * file, row and column, and a plan never runs on half a table. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/prices.h"
#include "scalewall/text.h"

/* Example values, not quotes: roughly what on-demand cloud nodes and a
 * bought server cost in 2024-2026 (docs/plan.md says where they come from).
 * Users are expected to pass their own table. */
static const sw_price_option default_options[] = {
    {"cloud-cpu-32", 32, 1, 2.40, NAN, NAN, 350, 0, 0,
     "example: on-demand 64-vCPU (32-core) cloud VM; power included in the price"},
    {"cloud-gpu-8", 8, 20, 32.00, NAN, NAN, 6500, 0, 0,
     "example: on-demand 8-GPU cloud node; one GPU counted as 20 measured units"},
    {"owned-cpu-32", 32, 1, NAN, 12000, 5, 450, 0.25, 1.00,
     "example: a bought 32-core server, 5-year straight-line, 0.25/kWh incl. cooling"},
};

double sw_price_node_hour(const sw_price_option *o)
{
    if (!isnan(o->price_per_hour))
        return o->price_per_hour;
    return o->purchase_price / (o->amortisation_years * SW_HOURS_PER_YEAR);
}

void sw_prices_free(sw_price_table *t)
{
    if (!t)
        return;
    free(t->opt);
    memset(t, 0, sizeof *t);
}

sw_status sw_prices_default(sw_price_table *t, sw_error *err)
{
    memset(t, 0, sizeof *t);
    size_t n = sizeof default_options / sizeof default_options[0];
    t->opt = malloc(sizeof default_options);
    if (!t->opt)
        return sw_error_set(err, SW_ENOMEM, "prices: out of memory");
    memcpy(t->opt, default_options, sizeof default_options);
    t->n = n;
    snprintf(t->currency, sizeof t->currency, "USD");
    snprintf(t->source, sizeof t->source, "built-in example table");
    return SW_OK;
}

static void option_init(sw_price_option *o)
{
    memset(o, 0, sizeof *o);
    o->units_per_node = NAN;
    o->speed = 1;
    o->price_per_hour = o->purchase_price = o->amortisation_years = NAN;
}

/* One option's consistency, after all its fields are in. */
static sw_status option_check(const char *where, const sw_price_option *o, sw_error *err)
{
    if (!o->name[0])
        return sw_error_set(err, SW_EPARSE, "%s: an option needs a name", where);
    if (isnan(o->units_per_node) || o->units_per_node < 1)
        return sw_error_set(err, SW_EPARSE, "%s: '%s': units_per_node must be >= 1", where,
                            o->name);
    if (!(o->speed > 0))
        return sw_error_set(err, SW_EPARSE, "%s: '%s': speed must be > 0", where, o->name);
    int rent = !isnan(o->price_per_hour);
    int buy = !isnan(o->purchase_price) || !isnan(o->amortisation_years);
    if (rent == buy)
        return sw_error_set(err, SW_EPARSE,
                            "%s: '%s': give either price_per_hour or purchase_price with "
                            "amortisation_years",
                            where, o->name);
    if (buy && (isnan(o->purchase_price) || !(o->amortisation_years > 0)))
        return sw_error_set(err, SW_EPARSE,
                            "%s: '%s': a purchase needs purchase_price and amortisation_years > 0",
                            where, o->name);
    return SW_OK;
}

/* Field setters shared by CSV and JSON: a name and a number. */
static const char *const num_fields[] = {"units_per_node", "speed",    "price_per_hour",
                                         "purchase_price", "amortisation_years",
                                         "power_w",        "energy_price", "overhead"};
enum { NUM_FIELDS = sizeof num_fields / sizeof num_fields[0] };

static double *num_slot(sw_price_option *o, size_t i)
{
    double *slots[] = {&o->units_per_node, &o->speed,   &o->price_per_hour,
                       &o->purchase_price, &o->amortisation_years,
                       &o->power_w,        &o->energy_price, &o->overhead};
    return slots[i];
}

static sw_status set_num(const char *where, sw_price_option *o, size_t i, double v, sw_error *err)
{
    if (!isfinite(v))
        return sw_error_set(err, SW_EPARSE, "%s: %s is not a finite number", where,
                            num_fields[i]);
    if (v < 0)
        return sw_error_set(err, SW_EPARSE, "%s: %s %g is negative", where, num_fields[i], v);
    *num_slot(o, i) = v;
    return SW_OK;
}

static sw_status push_option(sw_price_table *t, size_t *cap, const sw_price_option *o,
                             sw_error *err)
{
    if (t->n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        sw_price_option *p = realloc(t->opt, c * sizeof *p);
        if (!p)
            return sw_error_set(err, SW_ENOMEM, "prices: out of memory");
        t->opt = p;
        *cap = c;
    }
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->opt[i].name, o->name) == 0)
            return sw_error_set(err, SW_EPARSE, "%s: option '%s' appears twice", t->source,
                                o->name);
    t->opt[t->n++] = *o;
    return SW_OK;
}

/* ---- CSV ---- */

static sw_status csv_row(const char *name, sw_csv *csv, const int *col, int c_name, int c_cur,
                         int c_note, sw_price_table *t, size_t *cap, sw_error *err)
{
    char where[300];
    snprintf(where, sizeof where, "%s:%ld", name, csv->line);
    sw_price_option o;
    option_init(&o);
    if (c_name >= 0 && (size_t)c_name < csv->nfields)
        snprintf(o.name, sizeof o.name, "%s", csv->fields[c_name]);
    if (c_note >= 0 && (size_t)c_note < csv->nfields)
        snprintf(o.note, sizeof o.note, "%s", csv->fields[c_note]);
    if (c_cur >= 0 && (size_t)c_cur < csv->nfields && csv->fields[c_cur][0])
        snprintf(t->currency, sizeof t->currency, "%s", csv->fields[c_cur]);
    for (size_t i = 0; i < NUM_FIELDS; i++) {
        if (col[i] < 0 || (size_t)col[i] >= csv->nfields)
            continue;
        double v;
        int r = sw_parse_double(csv->fields[col[i]], &v);
        if (r == 0)
            continue; /* blank: not given */
        if (r < 0)
            return sw_error_set(err, SW_EPARSE, "%s: %s '%s' is not a number", where,
                                num_fields[i], csv->fields[col[i]]);
        sw_status st = set_num(where, &o, i, v, err);
        if (st)
            return st;
    }
    sw_status st = option_check(where, &o, err);
    return st ? st : push_option(t, cap, &o, err);
}

static sw_status read_csv(const char *name, const char *buf, size_t len, sw_price_table *t,
                          size_t *cap, sw_error *err)
{
    sw_csv csv;
    sw_csv_init(&csv, name, buf, len);
    sw_status st = SW_OK;
    int r = sw_csv_next(&csv, err);
    if (r <= 0) {
        sw_csv_free(&csv);
        return r < 0 ? err->status : sw_error_set(err, SW_EPARSE, "%s: empty price table", name);
    }
    int col[NUM_FIELDS];
    for (size_t i = 0; i < NUM_FIELDS; i++)
        col[i] = sw_csv_find(&csv, num_fields[i]);
    int c_name = sw_csv_find(&csv, "name"), c_cur = sw_csv_find(&csv, "currency"),
        c_note = sw_csv_find(&csv, "note");
    if (c_name < 0 || col[0] < 0)
        st = sw_error_set(err, SW_EPARSE, "%s:1: the header needs 'name' and 'units_per_node'",
                          name);
    while (!st && (r = sw_csv_next(&csv, err)) > 0)
        st = csv_row(name, &csv, col, c_name, c_cur, c_note, t, cap, err);
    if (!st && r < 0)
        st = err->status;
    sw_csv_free(&csv);
    return st;
}

/* ---- JSON ---- */

static sw_status json_option(const char *name, size_t idx, json_t *jo, sw_price_table *t,
                             size_t *cap, sw_error *err)
{
    char where[300];
    snprintf(where, sizeof where, "%s: options[%zu]", name, idx);
    if (!json_is_object(jo))
        return sw_error_set(err, SW_EPARSE, "%s: not an object", where);
    sw_price_option o;
    option_init(&o);
    const char *key;
    json_t *v;
    json_object_foreach(jo, key, v) {
        if (strcmp(key, "name") == 0 || strcmp(key, "note") == 0) {
            if (!json_is_string(v))
                return sw_error_set(err, SW_EPARSE, "%s: %s must be a string", where, key);
            char *dst = key[1] == 'a' ? o.name : o.note;
            snprintf(dst, key[1] == 'a' ? sizeof o.name : sizeof o.note, "%s",
                     json_string_value(v));
            continue;
        }
        size_t i = 0;
        while (i < NUM_FIELDS && strcmp(key, num_fields[i]) != 0)
            i++;
        if (i == NUM_FIELDS)
            return sw_error_set(err, SW_EPARSE, "%s: unknown field '%s'", where, key);
        if (json_is_null(v))
            continue;
        if (!json_is_number(v))
            return sw_error_set(err, SW_EPARSE, "%s: %s must be a number", where, key);
        sw_status st = set_num(where, &o, i, json_number_value(v), err);
        if (st)
            return st;
    }
    sw_status st = option_check(where, &o, err);
    return st ? st : push_option(t, cap, &o, err);
}

static sw_status read_json(const char *name, const char *buf, size_t len, sw_price_table *t,
                           size_t *cap, sw_error *err)
{
    json_error_t je;
    sw_status st = sw_json_expect(name, buf, len, SW_PRICES_FORMAT,
                                  "a price table (CSV, or scalewall-prices JSON)", err);
    if (st)
        return st;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return sw_error_set(err, SW_EPARSE, "%s:%d: %s", name, je.line, je.text);
    json_t *fmt = json_object_get(root, "format"), *ver = json_object_get(root, "version");
    json_t *opts = json_object_get(root, "options"), *cur = json_object_get(root, "currency");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), SW_PRICES_FORMAT) != 0)
        st = sw_error_set(err, SW_EPARSE, "%s: not a price table (format must be \"%s\")", name,
                          SW_PRICES_FORMAT);
    else if (!json_is_integer(ver) || json_integer_value(ver) < 1)
        st = sw_error_set(err, SW_EPARSE, "%s: version must be a positive integer", name);
    else if (json_integer_value(ver) > SW_PRICES_VERSION)
        st = sw_error_set(err, SW_EUNSUP,
                          "%s: price table version %lld is newer than this scalewall supports "
                          "(%d)",
                          name, (long long)json_integer_value(ver), SW_PRICES_VERSION);
    else if (!json_is_array(opts))
        st = sw_error_set(err, SW_EPARSE, "%s: 'options' must be an array", name);
    if (!st && cur) {
        if (json_is_string(cur))
            snprintf(t->currency, sizeof t->currency, "%s", json_string_value(cur));
        else
            st = sw_error_set(err, SW_EPARSE, "%s: currency must be a string", name);
    }
    for (size_t i = 0; !st && i < json_array_size(opts); i++)
        st = json_option(name, i, json_array_get(opts, i), t, cap, err);
    json_decref(root);
    return st;
}

sw_status sw_prices_read_buffer(const char *name, const char *buf, size_t len, sw_price_table *t,
                                sw_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->currency, sizeof t->currency, "USD");
    snprintf(t->source, sizeof t->source, "%s", name);
    size_t cap = 0, i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    sw_status st = i < len && buf[i] == '{' ? read_json(name, buf, len, t, &cap, err)
                                            : read_csv(name, buf, len, t, &cap, err);
    if (!st && t->n == 0)
        st = sw_error_set(err, SW_EPARSE, "%s: the price table has no options", name);
    if (st)
        sw_prices_free(t);
    return st;
}

sw_status sw_prices_read_file(const char *path, sw_price_table *t, sw_error *err)
{
    char *buf;
    size_t len;
    memset(t, 0, sizeof *t);
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = sw_prices_read_buffer(path, buf, len, t, err);
    free(buf);
    return st;
}
