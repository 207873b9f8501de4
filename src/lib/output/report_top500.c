/* report_top500.c — the TOP500 systems the report's efficiency map shows.
 *
 * A dozen machines is what a map can label legibly; those with HPCG come
 * first because the HPL/HPCG pair is the point of the picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/report.h"
#include "scalewall/top500.h"

#define MAX_SYSTEMS 12

static int usable(const sw_top500_entry *e, int need_hpcg)
{
    if (e->flags || !(e->serial_hpl > 0) || !(e->cores >= 1))
        return 0;
    return !need_hpcg || e->serial_hpcg > 0;
}

static sw_status pick(const sw_top500_list *l, sw_map_system *out, size_t *n, sw_error *err)
{
    *n = 0;
    for (int pass = 1; pass >= 0 && *n < MAX_SYSTEMS; pass--)
        for (size_t i = 0; i < l->n && *n < MAX_SYSTEMS; i++) {
            const sw_top500_entry *e = &l->rows[i];
            if (!usable(e, pass) || (pass == 0 && e->serial_hpcg > 0))
                continue; /* second pass: only those the first skipped */
            sw_map_system *s = &out[(*n)++];
            s->name = strdup(e->name ? e->name : "?");
            if (!s->name)
                return sw_error_set(err, SW_ENOMEM, "report: out of memory");
            s->n = e->cores;
            s->serial_hpl = e->serial_hpl;
            s->serial_hpcg = e->serial_hpcg > 0 ? e->serial_hpcg : NAN;
        }
    return SW_OK;
}

static int by_rank(const void *a, const void *b)
{
    const sw_top500_entry *x = a, *y = b;
    long rx = x->rank ? x->rank : 1000000, ry = y->rank ? y->rank : 1000000;
    return (rx > ry) - (rx < ry);
}

sw_status sw_report_load_systems(const char *path, sw_map_system **out, size_t *n, char *source,
                              size_t source_size, sw_error *err)
{
    *out = NULL;
    *n = 0;
    sw_top500_list l = {0};
    sw_status st = path ? sw_top500_read_file(path, &l, err)
                        : sw_top500_embedded_list("", &l, err);
    if (st)
        return st;
    sw_top500_analyse(&l);
    qsort(l.rows, l.n, sizeof *l.rows, by_rank);
    snprintf(source, source_size, "%s%s%s%s", path ? path : "the built-in TOP500 table",
             l.list[0] ? " (list " : "", l.list, l.list[0] ? ")" : "");
    *out = calloc(MAX_SYSTEMS, sizeof **out);
    if (!*out)
        st = sw_error_set(err, SW_ENOMEM, "report: out of memory");
    else
        st = pick(&l, *out, n, err);
    sw_top500_list_free(&l);
    if (st) {
        sw_report_free_systems(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return st;
}

void sw_report_free_systems(sw_map_system *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free((char *)s[i].name);
    free(s);
}
