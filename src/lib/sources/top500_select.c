/* top500_select.c — which rows of a list to show, and several lists at once.
 *
 * Moved out of `scalewall top500` so the report, tests and other commands
 * choose and load lists the same way the command does. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/top500.h"

typedef struct sortkey {
    double key;
    long rank;
    size_t idx;
    int desc;
} sortkey;

static int cmp_key(const void *a, const void *b)
{
    const sortkey *x = a, *y = b;
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn; /* undefined values last, whatever the direction */
    if (!xn && x->key != y->key)
        return (x->key < y->key) == !x->desc ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

sw_status sw_top500_select(const sw_top500_list *l, int hpcg_only, int field, int desc,
                           size_t top, size_t **idx, size_t *n, sw_error *err)
{
    *idx = NULL;
    *n = 0;
    if (field < 0 || (size_t)field >= sw_top500_nfields)
        return sw_error_set(err, SW_EINVAL, "top500: no field %d to sort by", field);
    sortkey *keys = malloc((l->n ? l->n : 1) * sizeof *keys);
    size_t *out = malloc((l->n ? l->n : 1) * sizeof *out);
    if (!keys || !out) {
        free(keys);
        free(out);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < l->n; i++) {
        const sw_top500_entry *e = &l->rows[i];
        if (hpcg_only && !isfinite(e->hpcg))
            continue;
        keys[m++] = (sortkey){sw_top500_field_value(e, field), e->rank, i, desc};
    }
    qsort(keys, m, sizeof *keys, cmp_key);
    if (top > 0 && top < m)
        m = top;
    for (size_t i = 0; i < m; i++)
        out[i] = keys[i].idx;
    free(keys);
    *idx = out;
    *n = m;
    return SW_OK;
}

void sw_top500_lists_free(sw_top500_list *ls, size_t n)
{
    for (size_t i = 0; ls && i < n; i++)
        sw_top500_list_free(&ls[i]);
    free(ls);
}

static int cmp_edition(const void *a, const void *b)
{
    return strcmp(((const sw_top500_list *)a)->list, ((const sw_top500_list *)b)->list);
}

sw_status sw_top500_load_lists(char *const *files, size_t nfiles, int fill_builtin, int sorted,
                               sw_top500_list **out, size_t *n, sw_error *err)
{
    size_t nb = fill_builtin || nfiles == 0 ? sw_top500_embedded_count() : 0;
    sw_top500_list *ls = calloc(nfiles + nb + 1, sizeof *ls);
    if (!ls)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    size_t m = 0;
    sw_status st = SW_OK;
    for (size_t i = 0; i < nfiles && !st; i++)
        if (!(st = sw_top500_read_file(files[i], &ls[m], err)))
            m++;
    for (size_t i = 0; i < nb && !st; i++) {
        const char *ed = sw_top500_embedded_edition(i);
        int have = 0;
        for (size_t j = 0; j < m; j++)
            have |= strcmp(ls[j].list, ed) == 0;
        if (!have && !(st = sw_top500_embedded_list(ed, &ls[m], err)))
            m++;
    }
    if (st) {
        sw_top500_lists_free(ls, m);
        return st;
    }
    if (sorted)
        qsort(ls, m, sizeof *ls, cmp_edition);
    *out = ls;
    *n = m;
    return SW_OK;
}
