/* top500_read.c — TOP500 lists from the project's CSV and the official .xlsx.
 *
 * Both readers map columns by NAME (exports have reordered and renamed
 * columns over the years) and feed one row builder, so a CSV and an xlsx of
 * the same list yield the same entries byte for byte.  Only the columns the
 * analysis needs are required; a file without them is not a TOP500 list.
 * Exports before 2017-06 (GFlop/s, "Cores"/"Processors", no HPCG) are
 * refused as unsupported rather than half-converted. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/text.h"
#include "scalewall/top500.h"
#include "scalewall/xlsx.h"

enum { C_LIST, C_RANK, C_NAME, C_COMPUTER, C_SITE, C_COUNTRY, C_CORES, C_ACCEL_CORES,
       C_RMAX, C_RPEAK, C_HPCG, C_POWER, C_ACCELERATOR, C_N };

static const struct column {
    const char *csv, *xlsx;
    int required, number;
} columns[C_N] = {
    [C_LIST] = {"list", NULL, 1, 0},
    [C_RANK] = {"rank", "Rank", 1, 1},
    [C_NAME] = {"name", "Name", 1, 0},
    [C_COMPUTER] = {"computer", "Computer", 1, 0},
    [C_SITE] = {"site", "Site", 0, 0},
    [C_COUNTRY] = {"country", "Country", 0, 0},
    [C_CORES] = {"total_cores", "Total Cores", 1, 1},
    [C_ACCEL_CORES] = {"accelerator_cores", "Accelerator/Co-Processor Cores", 0, 1},
    [C_RMAX] = {"rmax_tflops", "Rmax [TFlop/s]", 1, 1},
    [C_RPEAK] = {"rpeak_tflops", "Rpeak [TFlop/s]", 1, 1},
    [C_HPCG] = {"hpcg_tflops", "HPCG [TFlop/s]", 1, 1},
    [C_POWER] = {"power_kw", "Power (kW)", 0, 1},
    [C_ACCELERATOR] = {"accelerator", "Accelerator/Co-Processor", 0, 0},
};

/* One row as texts per logical column (NULL = absent or blank). */
typedef struct rowtext {
    const char *v[C_N];
} rowtext;

static int valid_edition(const char *s)
{
    return strlen(s) == 7 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]);
}

static sw_status number(const char *name, long line, const char *col, const char *text,
                        double *out, sw_error *err)
{
    *out = NAN;
    if (!text)
        return SW_OK;
    int r = sw_parse_double(text, out);
    if (r < 0)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is not a number: '%.60s'", name,
                            line, col, text);
    return SW_OK;
}

static char *norm_dup(const char *s)
{
    char *d = strdup(s ? s : "");
    sw_top500_normalise(d);
    return d;
}

static sw_status set_text(char **slot, const char *text)
{
    char *d = norm_dup(text);
    if (!d)
        return SW_ENOMEM;
    free(*slot);
    *slot = d;
    return SW_OK;
}

/* Builds one entry from the texts of a row; colname[] names columns in messages. */
static sw_status add_row(sw_top500_list *l, const char *name, long line, const char *edition,
                         const rowtext *t, const char *const colname[C_N], sw_error *err)
{
    double num[C_N];
    for (int c = 0; c < C_N; c++) {
        num[c] = NAN;
        if (columns[c].number) {
            sw_status st = number(name, line, colname[c], t->v[c], &num[c], err);
            if (st)
                return st;
        }
    }
    long rank = 0;
    if (!isnan(num[C_RANK])) {
        if (num[C_RANK] != floor(num[C_RANK]) || fabs(num[C_RANK]) > 1e9)
            return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is not a whole number: '%s'",
                                name, line, colname[C_RANK], t->v[C_RANK]);
        rank = (long)num[C_RANK];
    }
    char ed[16] = "";
    if (t->v[C_LIST]) {
        snprintf(ed, sizeof ed, "%.15s", t->v[C_LIST]);
        sw_top500_normalise(ed);
        if (ed[0] && !valid_edition(ed))
            return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is not YYYY-MM: '%.20s'",
                                name, line, colname[C_LIST], t->v[C_LIST]);
    } else if (edition) {
        snprintf(ed, sizeof ed, "%s", edition);
    }
    char *sysname = norm_dup(t->v[C_NAME]);
    sw_top500_entry *e =
        sysname ? sw_top500_add(l, ed, rank, sysname, num[C_CORES], num[C_ACCEL_CORES],
                                num[C_RMAX], num[C_RPEAK], num[C_HPCG], num[C_POWER])
                : NULL;
    free(sysname);
    if (!e || set_text(&e->computer, t->v[C_COMPUTER]) || set_text(&e->site, t->v[C_SITE]) ||
        set_text(&e->country, t->v[C_COUNTRY]) ||
        set_text(&e->accelerator, t->v[C_ACCELERATOR]))
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
    if (!e->name[0] && set_text(&e->name, e->computer))
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
    e->line = line;
    return SW_OK;
}

/* The list's edition when every row agrees; an empty list is an error. */
static sw_status finish(sw_top500_list *l, const char *name, sw_error *err)
{
    if (l->n == 0)
        return sw_error_set(err, SW_EPARSE, "%s: the list has no systems (only a header)", name);
    snprintf(l->list, sizeof l->list, "%s", l->rows[0].list);
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->rows[i].list, l->list) != 0)
            l->list[0] = '\0';
    l->source = strdup(name);
    if (!l->source)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
    sw_top500_analyse(l);
    return SW_OK;
}

/* --- CSV ----------------------------------------------------------------- */

sw_status sw_top500_read_csv(const char *name, const char *buf, size_t len, sw_top500_list *out,
                             sw_error *err)
{
    memset(out, 0, sizeof *out);
    name = name ? name : "<csv>";
    sw_status wrong = sw_json_expect(name, buf, len, NULL, "a TOP500 list (CSV or .xlsx)", err);
    if (wrong)
        return wrong;
    sw_csv csv;
    sw_csv_init(&csv, name, buf, len);
    int r = sw_csv_next(&csv, err);
    if (r <= 0) {
        sw_csv_free(&csv);
        return r < 0 ? (sw_status)-r : sw_error_set(err, SW_EPARSE, "%s: empty file: no header row", name);
    }
    int idx[C_N];
    const char *colname[C_N];
    size_t nhead = csv.nfields;
    for (int c = 0; c < C_N; c++) {
        idx[c] = sw_csv_find(&csv, columns[c].csv);
        colname[c] = columns[c].csv;
        if (idx[c] < 0 && columns[c].required) {
            sw_csv_free(&csv);
            return sw_error_set(err, SW_EPARSE,
                                "%s:%ld: column '%s' is missing: not a TOP500 list CSV "
                                "(see data/top500/README.md)",
                                name, csv.line, columns[c].csv);
        }
    }
    sw_status st = SW_OK;
    while (!st && (r = sw_csv_next(&csv, err)) > 0) {
        if (csv.nfields != nhead) {
            st = sw_error_set(err, SW_EPARSE, "%s:%ld: %zu fields where the header has %zu", name,
                              csv.line, csv.nfields, nhead);
            break;
        }
        rowtext t;
        for (int c = 0; c < C_N; c++)
            t.v[c] = idx[c] >= 0 && csv.fields[idx[c]][0] ? csv.fields[idx[c]] : NULL;
        st = add_row(out, name, csv.line, NULL, &t, colname, err);
    }
    if (!st && r < 0)
        st = (sw_status)-r;
    sw_csv_free(&csv);
    if (!st)
        st = finish(out, name, err);
    if (st)
        sw_top500_list_free(out);
    return st;
}

/* --- xlsx ---------------------------------------------------------------- */

/* "…/TOP500_202011.xlsx" -> "2020-11"; "" when the name does not say. */
static void edition_from_name(const char *path, char ed[8])
{
    ed[0] = '\0';
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *p = strstr(base, "TOP500_");
    if (!p)
        return;
    p += 7;
    for (int i = 0; i < 6; i++)
        if (!isdigit((unsigned char)p[i]))
            return;
    snprintf(ed, 8, "%.4s-%.2s", p, p + 4);
}

static int header_has(const sw_xlsx_sheet *s, const char *name)
{
    for (size_t c = 0; c < s->ncols; c++) {
        const char *h = sw_xlsx_cell(s, 0, c);
        if (h && strcmp(h, name) == 0)
            return 1;
    }
    return 0;
}

static sw_status map_xlsx_header(const char *name, const sw_xlsx_sheet *s, int idx[C_N],
                                 sw_error *err)
{
    long line = s->nrows ? s->rownum[0] : 1;
    if (header_has(s, "Rmax [GFlop/s]") || header_has(s, "Rmax") ||
        (!header_has(s, "Total Cores") && (header_has(s, "Cores") || header_has(s, "Processors"))))
        return sw_error_set(err, SW_EUNSUP,
                            "%s:%ld: an export from before 2017-06 (GFlop/s or 'Cores'/"
                            "'Processors' columns, no HPCG): unsupported, only the 2017-06+ "
                            "layout is read",
                            name, line);
    for (int c = 0; c < C_N; c++) {
        idx[c] = -1;
        if (!columns[c].xlsx)
            continue;
        for (size_t k = 0; k < s->ncols; k++) {
            char h[128];
            const char *cell = sw_xlsx_cell(s, 0, k);
            if (!cell)
                continue;
            snprintf(h, sizeof h, "%s", cell);
            sw_top500_normalise(h);
            if (strcmp(h, columns[c].xlsx) == 0) {
                idx[c] = (int)k;
                break;
            }
        }
        if (idx[c] < 0 && columns[c].required)
            return sw_error_set(err, SW_EPARSE,
                                "%s:%ld: column '%s' is missing: not a TOP500 export", name, line,
                                columns[c].xlsx);
    }
    return SW_OK;
}

static sw_status read_sheet_rows(const char *name, const sw_xlsx_sheet *s, sw_top500_list *out,
                                 sw_error *err)
{
    int idx[C_N];
    const char *colname[C_N];
    sw_status st = map_xlsx_header(name, s, idx, err);
    if (st)
        return st;
    for (int c = 0; c < C_N; c++)
        colname[c] = columns[c].xlsx ? columns[c].xlsx : columns[c].csv;
    char ed[8];
    edition_from_name(name, ed);
    for (size_t r = 1; r < s->nrows && !st; r++) {
        rowtext t;
        for (int c = 0; c < C_N; c++) {
            const char *v = idx[c] >= 0 ? sw_xlsx_cell(s, r, (size_t)idx[c]) : NULL;
            t.v[c] = v && v[0] ? v : NULL;
        }
        st = add_row(out, name, s->rownum[r], ed, &t, colname, err);
    }
    return st;
}

sw_status sw_top500_read_xlsx(const char *name, const void *buf, size_t len, sw_top500_list *out,
                              sw_error *err)
{
    memset(out, 0, sizeof *out);
    name = name ? name : "<xlsx>";
    sw_xlsx_sheet s;
    sw_status st = sw_xlsx_read_buffer(name, buf, len, &s, err);
    if (st)
        return st;
    if (s.nrows == 0)
        st = sw_error_set(err, SW_EPARSE, "%s: the sheet is empty: not a TOP500 export", name);
    if (!st)
        st = read_sheet_rows(name, &s, out, err);
    sw_xlsx_free(&s);
    if (!st)
        st = finish(out, name, err);
    if (st)
        sw_top500_list_free(out);
    return st;
}

sw_status sw_top500_read_file(const char *path, sw_top500_list *out, sw_error *err)
{
    char *data;
    size_t len;
    memset(out, 0, sizeof *out);
    sw_status st = sw_read_file(path, &data, &len, err);
    if (st)
        return st;
    if (sw_xlsx_sniff(data, len))
        st = sw_top500_read_xlsx(path, data, len, out, err);
    else
        st = sw_top500_read_csv(path, data, len, out, err);
    free(data);
    return st;
}
