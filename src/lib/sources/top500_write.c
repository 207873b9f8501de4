/* top500_write.c — the analysed list as CSV and JSON with stable field names.
 *
 * Field names and order come from sw_top500_fields, so --sort, --csv, --json
 * and docs/top500.md agree by construction.  Numbers use %.10g (ten digits:
 * more than the lists carry); a value that is undefined (no HPCG, a flagged
 * row's missing input) is an empty CSV cell and a JSON null. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>

#include "scalewall/io.h"
#include "scalewall/text.h"
#include "scalewall/top500.h"

static void write_num(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, "%.10g", v);
}

sw_status sw_top500_write_csv(const sw_top500_list *l, const size_t *idx, size_t n, FILE *fp,
                              sw_error *err)
{
    if (!idx)
        n = l->n;
    fputs("list,rank,name", fp);
    for (size_t f = 1; f < sw_top500_nfields; f++)
        fprintf(fp, ",%s", sw_top500_fields[f].name);
    fputs(",flags\n", fp);
    for (size_t k = 0; k < n; k++) {
        const sw_top500_entry *e = &l->rows[idx ? idx[k] : k];
        char flags[160];
        sw_csv_write_field(fp, e->list);
        fputc(',', fp);
        write_num(fp, sw_top500_field_value(e, 0));
        fputc(',', fp);
        sw_csv_write_field(fp, e->name);
        for (size_t f = 1; f < sw_top500_nfields; f++) {
            fputc(',', fp);
            write_num(fp, sw_top500_field_value(e, (int)f));
        }
        fputc(',', fp);
        fputs(sw_top500_flags_str(e->flags, flags, sizeof flags), fp);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return sw_error_set(err, SW_EIO, "write failed");
    return SW_OK;
}

static json_t *json_num(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *entry_json(const sw_top500_entry *e)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    char flags[160];
    int bad = json_object_set_new(o, "list", sw_json_str(e->list)) ||
              json_object_set_new(o, "rank", json_num(sw_top500_field_value(e, 0))) ||
              json_object_set_new(o, "name", sw_json_str(e->name));
    for (size_t f = 1; f < sw_top500_nfields && !bad; f++)
        bad = json_object_set_new(o, sw_top500_fields[f].name,
                                  json_num(sw_top500_field_value(e, (int)f)));
    if (!bad)
        bad = json_object_set_new(o, "flags",
                                  json_string(sw_top500_flags_str(e->flags, flags, sizeof flags)));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

sw_status sw_top500_write_json(const sw_top500_list *l, const size_t *idx, size_t n, FILE *fp,
                               sw_error *err)
{
    if (!idx)
        n = l->n;
    json_t *root = json_object(), *arr = json_array();
    int bad = !root || !arr;
    if (!bad)
        bad = json_object_set_new(root, "format", json_string("scalewall-top500")) ||
              json_object_set_new(root, "version", json_integer(1)) ||
              json_object_set_new(root, "list", sw_json_str(l->list));
    for (size_t k = 0; k < n && !bad; k++) {
        json_t *o = entry_json(&l->rows[idx ? idx[k] : k]);
        bad = !o || json_array_append_new(arr, o);
    }
    if (!bad) {
        bad = json_object_set_new(root, "systems", arr);
        arr = NULL;
    }
    if (bad) {
        json_decref(arr);
        json_decref(root);
        return sw_error_set(err, SW_ENOMEM, "out of memory building JSON");
    }
    int rc = json_dumpf(root, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    fputc('\n', fp);
    if (rc != 0 || ferror(fp))
        return sw_error_set(err, SW_EIO, "write failed");
    return SW_OK;
}
