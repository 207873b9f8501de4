/* cmd_top500.c — `scalewall top500`: the world's largest machines read as
 * Amdahl measurements.
 *
 * Three views over one library (include/scalewall/top500.h):
 *   a list   per system E, 1-alpha and the wall for HPL and HPCG, with a
 *            summary (the default screen of `scalewall` with no arguments);
 *   --trend  how the leading systems' 1-alpha moved across lists, and whether
 *            the paper's "the wall is already reached" is visible;
 *   --mxp    HPL-MxP's measured mixed-precision gain against the nominal k
 *            and the faster-payload what-if.
 * Without files every view runs on the built-in table.  Output goes through
 * sw_outfile, so a failure never leaves a partial --output file. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "scalewall/text.h"
#include "scalewall/top500.h"

static const char usage_text[] =
    "usage: scalewall top500 [LIST] [--top K] [--sort [-]FIELD] [--hpcg-only]\n"
    "                        [--csv | --json | --obs] [--output FILE]\n"
    "       scalewall top500 --trend [LIST...] [--top K] [--csv | --json] [--output FILE]\n"
    "       scalewall top500 --mxp [MXP.csv [LIST...]] [--k K] [--csv | --json] [--output FILE]\n"
    "\n"
    "A TOP500 list read as Amdahl measurements: N = total cores, r1 = Rpeak/N,\n"
    "E_HPL = Rmax/Rpeak, E_HPCG = HPCG/Rpeak, 1-alpha = (1/E - 1)/(N - 1) for each,\n"
    "their ratio, and the wall r1/(1-alpha).  LIST is a TOP500 CSV (the columns of\n"
    "data/top500/README.md) or the official .xlsx export; without LIST the built-in\n"
    "table is used (the latest list's systems with HPCG and the top 10 of every list\n"
    "2017-06..2026-06).  Flagged rows (Rmax > Rpeak, accelerator cores > cores,\n"
    "blank or zero cores) are shown but left out of the summary.\n"
    "\n"
    "  --top K          show the first K rows after filtering and sorting (0 = all;\n"
    "                   default 10 for the table, all for --csv/--json); with --trend:\n"
    "                   the leading K systems of each list (default 10)\n"
    "  --sort FIELD     sort by a numeric field, ascending; -FIELD for descending\n"
    "                   (default rank).  Fields: see --fields, docs/top500.md\n"
    "  --hpcg-only      only systems with an HPCG result\n"
    "  --csv, --json    machine-readable output with stable field names\n"
    "  --obs            the shown rows as an observation series (CSV, docs/formats.md):\n"
    "                   n = cores, value = Rmax, peak = Rpeak; input for scalewall fit\n"
    "  --output FILE    write there (atomically) instead of stdout\n"
    "  --fields         list the numeric field names and their meaning\n"
    "  --trend          one row per LIST (default: every built-in list): #1's, the\n"
    "                   best and the median 1-alpha of the top K, and the verdict\n"
    "  --mxp            HPL-MxP gain vs nominal precision gain k vs the what-if;\n"
    "                   MXP.csv as data/top500/hpl-mxp.csv (default: built in);\n"
    "                   LISTs give the TOP500 entries (built-in lists fill the rest)\n"
    "  --k K            nominal payload speed-up of mixed precision (default 16:\n"
    "                   FP16 tensor-core vs FP64 peak of a V100, Summit's GPU)\n"
    "\n"
    "Exit codes: 0 ok, 2 usage, 3 bad input data, 4 I/O, 6 unsupported file.\n";

typedef enum { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_OBS } out_fmt;

typedef struct opts {
    long top;     /* -1 = default */
    int sort_field, sort_desc, hpcg_only, trend, mxp, fields;
    out_fmt fmt;
    double k;
    const char *output;
    char **files;
    int nfiles;
} opts;

/* --- small output helpers ------------------------------------------------ */

static void put_num(FILE *fp, const char *fmt, int width, double v)
{
    if (isfinite(v))
        fprintf(fp, fmt, width, v);
    else
        fprintf(fp, "%*s", width, "-");
}

/* Copies at most `width` bytes of s without cutting a UTF-8 sequence. */
static void clip(const char *s, size_t width, char *out)
{
    size_t n = strlen(s);
    if (n > width) {
        n = width;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Pads by display width: bytes that continue a UTF-8 sequence take no column. */
static void put_text(FILE *fp, const char *s, size_t width)
{
    char buf[256];
    clip(s && s[0] ? s : "-", width < sizeof buf ? width : sizeof buf - 1, buf);
    size_t cols = 0;
    for (const char *p = buf; *p; p++)
        cols += ((unsigned char)*p & 0xC0) != 0x80;
    fputs(buf, fp);
    for (; cols < width; cols++)
        fputc(' ', fp);
}

/* --- the list view ------------------------------------------------------- */

static void table_header(FILE *fp)
{
    fprintf(fp, "%4s  %-24s %9s %7s %9s %7s %9s %8s %9s %9s  %s\n", "rank", "name", "cores",
            "E_HPL", "1-a HPL", "E_HPCG", "1-a HPCG*", "ratio", "wall HPL", "wall HPCG",
            "flags");
    fprintf(fp, "%4s  %-24s %9s %7s %9s %7s %9s %8s %9s %9s\n", "", "", "N", "", "", "", "",
            "HPCG/HPL", "[PF/s]", "[PF/s]");
}

static void table_row(FILE *fp, const sw_top500_entry *e)
{
    char flags[160];
    fprintf(fp, "%4ld  ", e->rank);
    put_text(fp, e->name, 24);
    put_num(fp, " %*.0f", 9, e->cores);
    put_num(fp, " %*.4f", 7, e->e_hpl);
    put_num(fp, " %*.3g", 9, e->serial_hpl);
    put_num(fp, " %*.4f", 7, e->e_hpcg);
    put_num(fp, " %*.3g", 9, e->serial_hpcg);
    put_num(fp, " %*.0f", 8, e->serial_ratio);
    put_num(fp, " %*.4g", 9, e->wall_hpl / 1e3);
    put_num(fp, " %*.4g", 9, e->wall_hpcg / 1e3);
    if (e->flags)
        fprintf(fp, "  %s", sw_top500_flags_str(e->flags, flags, sizeof flags));
    fputc('\n', fp);
}

static void table_summary(FILE *fp, const sw_top500_list *l, const sw_top500_stats *s)
{
    fprintf(fp, "\nSummary over the %zu rows shown (%zu flagged, left out):\n", s->rows,
            s->flagged);
    if (s->best_hpl_row != SIZE_MAX)
        fprintf(fp, "  HPL : median E %.3f, median 1-a %.3g, lowest 1-a %.3g (%s): max gain %.3g\n",
                s->median_e_hpl, s->median_serial_hpl, s->best_serial_hpl,
                l->rows[s->best_hpl_row].name, 1.0 / s->best_serial_hpl);
    if (s->best_hpcg_row != SIZE_MAX)
        fprintf(fp, "  HPCG: median E %.4f, median 1-a %.3g, lowest 1-a %.3g (%s); * mostly a "
                    "node's bytes per flop\n",
                s->median_e_hpcg, s->median_serial_hpcg, s->best_serial_hpcg,
                l->rows[s->best_hpcg_row].name);
    if (s->with_hpcg) {
        fprintf(fp, "  %zu systems with both: 1-a(HPCG)/1-a(HPL) median %.0f (range %.0f..%.0f),"
                    " i.e. %.1f orders of magnitude\n",
                s->with_hpcg, s->median_ratio, s->min_ratio, s->max_ratio,
                log10(s->median_ratio));
        /* a single point assumes E(1) = 1; HPCG's E is 1-3% on one node */
        fprintf(fp, "  Reading: on the same machines HPCG's 1-a is %.1f orders of magnitude above"
                    " HPL's, mostly\n  because HPCG runs at 1-3%% of peak on one node too:\n",
                log10(s->median_ratio));
        fprintf(fp, "  * HPCG's 1-a is a single-point Karp-Flatt value, which assumes one unit "
                    "runs at\n    E = 1; HPCG is bound by memory bandwidth on one node already, "
                    "so\n    1-a HPCG ~ (1/E-1)/N mostly restates the node's bytes per flop, not "
                    "a loss to scaling.\n");
    } else {
        fprintf(fp, "  No shown system has both HPL and HPCG figures.\n");
    }
}

static sw_status write_table(FILE *fp, const sw_top500_list *l, const size_t *idx, size_t n,
                             int embedded, sw_error *err)
{
    sw_top500_stats s;
    sw_status st = sw_top500_stats_compute(l, idx, n, &s, err);
    if (st)
        return st;
    size_t full = embedded ? sw_top500_embedded_list_size(l->list) : l->n;
    fprintf(fp, "TOP500 %s: %zu of %zu systems shown", l->list[0] ? l->list : "(edition unknown)",
            n, full);
    if (embedded)
        fprintf(fp, " (built-in table: %zu rows, the top 10 and every system with HPCG)", l->n);
    fprintf(fp, "\nN = total cores (GPU SMs count as cores), r1 = Rpeak/N, E = rate/Rpeak,"
                " 1-a = (1/E-1)/(N-1), wall = r1/(1-a)\n\n");
    table_header(fp);
    for (size_t k = 0; k < n; k++)
        table_row(fp, &l->rows[idx[k]]);
    table_summary(fp, l, &s);
    if (embedded) {
        sw_top500_trend_verdict v;
        st = sw_top500_trend_builtin(10, &v, err);
        if (st)
            return st;
        fprintf(fp, "\nIs the wall already reached (docs/top500.md: the wall against N, and HPL's "
                    "weak scaling)?\n  %s\n",
                v.sentence);
        fprintf(fp, "\nMore: scalewall top500 --trend | --mxp | FILE.csv|FILE.xlsx --top 0"
                    " | --help\n");
    }
    return ferror(fp) ? sw_error_set(err, SW_EIO, "write failed") : SW_OK;
}

/* --- writing through sw_outfile ------------------------------------------ */

typedef sw_status (*writer)(FILE *fp, void *ctx, sw_error *err);

/* The lists read are the inputs --output must not replace. */
static int emit(const opts *o, writer fn, void *ctx)
{
    sw_error err = {0};
    sw_outfile out;
    sw_status st = sw_outfile_open(&out, o->output, SW_OUT_REPLACE,
                                   (const char *const *)o->files, (size_t)o->nfiles, &err);
    if (st)
        return cli_fail(&err);
    st = fn(out.fp, ctx, &err);
    if (st) {
        sw_outfile_fail(&out, st, &err);
        return cli_fail(&err);
    }
    if (sw_outfile_commit(&out, &err))
        return cli_fail(&err);
    return 0;
}

typedef struct list_ctx {
    const sw_top500_list *l;
    const size_t *idx;
    size_t n;
    out_fmt fmt;
    int embedded;
} list_ctx;

/* The selected rows as one sw_obs series. */
static sw_status write_obs(FILE *fp, const list_ctx *c, sw_error *err)
{
    sw_top500_list sel = *c->l;
    sel.rows = malloc((c->n ? c->n : 1) * sizeof *sel.rows);
    if (!sel.rows)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++)
        sel.rows[i] = c->l->rows[c->idx[i]]; /* shallow: strings stay owned by c->l */
    sel.n = c->n;
    sw_obs *o;
    sw_status st = sw_top500_to_obs(&sel, &o, err);
    free(sel.rows);
    if (st)
        return st;
    sw_obs_set set = {0};
    st = sw_obs_set_push(&set, o, err);
    if (st) {
        sw_obs_free(o);
        return st;
    }
    st = sw_obs_write_csv(&set, fp, err);
    sw_obs_set_free(&set);
    return st;
}

static sw_status write_list(FILE *fp, void *p, sw_error *err)
{
    list_ctx *c = p;
    if (c->fmt == OUT_OBS)
        return write_obs(fp, c, err);
    if (c->fmt == OUT_CSV)
        return sw_top500_write_csv(c->l, c->idx, c->n, fp, err);
    if (c->fmt == OUT_JSON)
        return sw_top500_write_json(c->l, c->idx, c->n, fp, err);
    return write_table(fp, c->l, c->idx, c->n, c->embedded, err);
}

static int run_list(const opts *o)
{
    sw_error err = {0};
    sw_top500_list l;
    sw_status st = o->nfiles ? sw_top500_read_file(o->files[0], &l, &err)
                             : sw_top500_embedded_list("", &l, &err);
    if (st)
        return cli_fail(&err);
    size_t n, *idx;
    long top = o->top >= 0 ? o->top : (o->fmt == OUT_TABLE ? 10 : 0);
    int rc;
    if (sw_top500_select(&l, o->hpcg_only, o->sort_field, o->sort_desc, (size_t)top, &idx, &n,
                         &err)) {
        rc = cli_fail(&err);
    } else {
        list_ctx c = {&l, idx, n, o->fmt, o->nfiles == 0};
        rc = emit(o, write_list, &c);
    }
    free(idx);
    sw_top500_list_free(&l);
    return rc;
}

/* --- records for --trend and --mxp: one column list, three formats ------- */

typedef struct column {
    const char *name;  /* the stable CSV/JSON field name */
    int text;          /* 1: a string column */
    int width;         /* table width; negative = left-aligned */
    const char *fmt;   /* table number format, e.g. "%*.3g" */
    const char *label; /* table header */
} column;

/* Table width: the wider of the column's own and its label's. */
static int col_width(const column *c)
{
    int w = c->width < 0 ? -c->width : c->width, l = (int)strlen(c->label);
    w = l > w ? l : w;
    return c->width < 0 ? -w : w;
}

typedef struct record {
    const char *text[24];
    double num[24];
} record;

static void csv_records(FILE *fp, const column *cols, size_t nc, const record *r, size_t n)
{
    for (size_t c = 0; c < nc; c++)
        fprintf(fp, "%s%s", c ? "," : "", cols[c].name);
    fputc('\n', fp);
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < nc; c++) {
            if (c)
                fputc(',', fp);
            if (cols[c].text)
                sw_csv_write_field(fp, r[i].text[c]);
            else if (isfinite(r[i].num[c]))
                fprintf(fp, "%.10g", r[i].num[c]);
        }
        fputc('\n', fp);
    }
}

static json_t *json_records(const column *cols, size_t nc, const record *r, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_object();
        for (size_t c = 0; o && c < nc; c++) {
            json_t *v = cols[c].text ? sw_json_str(r[i].text[c] ? r[i].text[c] : "")
                        : isfinite(r[i].num[c]) ? json_real(r[i].num[c])
                                                : json_null();
            if (json_object_set_new(o, cols[c].name, v)) {
                json_decref(o);
                o = NULL;
            }
        }
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *jnum_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void table_records(FILE *fp, const column *cols, size_t nc, const record *r, size_t n)
{
    for (size_t c = 0; c < nc; c++) {
        int w = col_width(&cols[c]);
        fprintf(fp, "%s%*s", c ? " " : "", w, cols[c].label);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < nc; c++) {
            int w = col_width(&cols[c]);
            if (c)
                fputc(' ', fp);
            if (cols[c].text && w < 0)
                put_text(fp, r[i].text[c], (size_t)-w);
            else if (cols[c].text)
                fprintf(fp, "%*s", w, r[i].text[c] ? r[i].text[c] : "-");
            else
                put_num(fp, cols[c].fmt, w, r[i].num[c]);
        }
        fputc('\n', fp);
    }
}

typedef struct records_ctx {
    const column *cols;
    size_t nc;
    const record *r;
    size_t n;
    out_fmt fmt;
    const char *kind;     /* JSON format name */
    json_t *extra;        /* JSON summary object, stolen */
    const char *title;    /* table: printed before */
    const char *footer;   /* table: printed after */
} records_ctx;

static sw_status write_records(FILE *fp, void *p, sw_error *err)
{
    records_ctx *c = p;
    if (c->fmt == OUT_CSV) {
        csv_records(fp, c->cols, c->nc, c->r, c->n);
    } else if (c->fmt == OUT_JSON) {
        json_t *root = json_object(), *arr = json_records(c->cols, c->nc, c->r, c->n);
        int bad = !root || !arr ||
                  json_object_set_new(root, "format", json_string(c->kind)) ||
                  json_object_set_new(root, "version", json_integer(1)) ||
                  json_object_set_new(root, "rows", arr);
        if (!bad && c->extra)
            bad = json_object_set(root, "summary", c->extra);
        if (bad || json_dumpf(root, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(10)) != 0) {
            json_decref(root);
            return sw_error_set(err, SW_ENOMEM, "cannot build JSON output");
        }
        fputc('\n', fp);
        json_decref(root);
    } else {
        fputs(c->title, fp);
        table_records(fp, c->cols, c->nc, c->r, c->n);
        fputs(c->footer, fp);
    }
    return ferror(fp) ? sw_error_set(err, SW_EIO, "write failed") : SW_OK;
}

/* --- the trend view ------------------------------------------------------ */

static const column trend_cols[] = {
    {"list", 1, 7, NULL, "list"},
    {"k", 0, 2, "%*.0f", "K"},
    {"first_name", 1, -20, NULL, "#1"},
    {"first_serial_hpl", 0, 8, "%*.3g", "1-a HPL"},
    {"first_serial_hpcg", 0, 8, "%*.3g", "1-aHPCG*"},
    {"best_serial_hpl", 0, 8, "%*.3g", "best HPL"},
    {"best_hpl_name", 1, -20, NULL, "best system"},
    {"median_serial_hpl", 0, 8, "%*.3g", "med HPL"},
    {"max_gain_hpl", 0, 8, "%*.3g", "max gain"},
    {"best_serial_hpcg", 0, 8, "%*.3g", "bestHPCG*"},
    {"median_serial_hpcg", 0, 8, "%*.3g", "medHPCG*"},
    {"n_hpcg", 0, 4, "%*.0f", "HPCG"},
    {"median_e_hpl", 0, 5, "%*.2f", "med E"},
    {"max_cores", 0, 9, "%*.0f", "largest N"},
    {"best_wall_over_n", 0, 6, "%*.2f", "wall/N"},
};
#define NTREND (sizeof trend_cols / sizeof trend_cols[0])

static void trend_record(const sw_top500_trend_row *t, record *r)
{
    memset(r, 0, sizeof *r);
    for (size_t c = 0; c < NTREND; c++)
        r->num[c] = NAN;
    r->text[0] = t->list;
    r->num[1] = (double)t->k;
    r->text[2] = t->first ? t->first->name : "";
    r->num[3] = t->first ? t->first->serial_hpl : NAN;
    r->num[4] = t->first ? t->first->serial_hpcg : NAN;
    r->num[5] = t->best_hpl ? t->best_hpl->serial_hpl : NAN;
    r->text[6] = t->best_hpl ? t->best_hpl->name : "";
    r->num[7] = t->median_serial_hpl;
    r->num[8] = t->best_hpl ? t->best_hpl->max_gain_hpl : NAN;
    r->num[9] = t->best_hpcg ? t->best_hpcg->serial_hpcg : NAN;
    r->num[10] = t->median_serial_hpcg;
    r->num[11] = (double)t->n_hpcg;
    r->num[12] = t->median_e_hpl;
    r->num[13] = t->max_cores;
    r->num[14] = t->best_wall_over_n;
}

static int run_trend(const opts *o)
{
    sw_error err = {0};
    sw_top500_list *ls;
    size_t n;
    if (!o->nfiles && (o->top == 0 || o->top > 10))
        return cli_usage("top500", "--trend on the built-in table: it holds the top 10 of each "
                                   "list; give the list files for --top %ld", o->top);
    if (sw_top500_load_lists(o->files, (size_t)o->nfiles, 0, 1, &ls, &n, &err))
        return cli_fail(&err);
    size_t k = o->top > 0 ? (size_t)o->top : 10;
    if (o->top == 0) /* all: the longest list's length */
        for (size_t i = 0; i < n; i++)
            k = i == 0 || ls[i].n > k ? ls[i].n : k;
    sw_top500_trend_row *rows = calloc(n, sizeof *rows);
    record *recs = calloc(n, sizeof *recs);
    sw_top500_trend_verdict v;
    int rc;
    if (!rows || !recs) {
        sw_error_set(&err, SW_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    } else if (sw_top500_trend(ls, n, k, rows, &v, &err)) {
        rc = cli_fail(&err);
    } else {
        for (size_t i = 0; i < n; i++)
            trend_record(&rows[i], &recs[i]);
        char title[384], footer[1536];
        snprintf(title, sizeof title,
                 "How 1-a of the top %zu moved (%s; 1-a = (1/E-1)/(N-1), max gain = 1/(1-a),\n"
                 "wall/N = the best system's max gain over its own N)\n\n",
                 k, o->nfiles ? "given lists" : "built-in table");
        snprintf(footer, sizeof footer,
                 "\n* HPCG: single-point values, mostly a node's bytes per flop (E is 1-3%% on "
                 "one node too).\n%s\n",
                 v.sentence);
        json_t *sum = json_pack("{s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "verdict",
                                sw_json_str(v.sentence), "wall_reached", v.wall_reached, "floor_visible",
                                v.floor_visible, "best_serial_hpl_lo", jnum_or_null(v.best_lo),
                                "best_serial_hpl_hi", jnum_or_null(v.best_hi),
                                "wall_over_n_lo", jnum_or_null(v.wall_over_n_lo),
                                "wall_over_n_hi", jnum_or_null(v.wall_over_n_hi),
                                "median_e_hpl_lo", jnum_or_null(v.e_lo), "median_e_hpl_hi",
                                jnum_or_null(v.e_hi));
        records_ctx c = {trend_cols, NTREND, recs, n, o->fmt, "scalewall-top500-trend", sum,
                         title, footer};
        rc = emit(o, write_records, &c);
        json_decref(sum);
    }
    free(rows);
    free(recs);
    sw_top500_lists_free(ls, n);
    return rc;
}

/* --- the HPL-MxP view ----------------------------------------------------- */

static const column mxp_cols[] = {
    {"list", 1, 7, NULL, "list"},
    {"name", 1, -18, NULL, "name"},
    {"match", 1, 9, NULL, "match"},
    {"rank", 0, 4, "%*.0f", "rank"},
    {"cores", 0, 8, "%*.0f", "N"},
    {"serial_hpl", 0, 8, "%*.3g", "1-a HPL"},
    {"hpl_eflops", 0, 6, "%*.4g", "HPL EF"},
    {"mxp_eflops", 0, 6, "%*.4g", "MxP EF"},
    {"measured_gain", 0, 5, "%*.3g", "gain"},
    {"k", 0, 3, "%*.3g", "k"},
    {"predicted_gain", 0, 5, "%*.3g", "pred"},
    {"predicted_eflops", 0, 7, "%*.4g", "pred EF"},
    {"measured_over_predicted", 0, 5, "%*.3g", "meas/pred"},
    {"k_fit", 0, 5, "%*.3g", "k_fit"},
    {"rmax_diff", 0, 5, "%*.2f", "dRmax"},
    {"verdict", 1, -7, NULL, "verdict"},
    {"note", 1, -1, NULL, "note"},
};
#define NMXP (sizeof mxp_cols / sizeof mxp_cols[0])

static void mxp_record(const sw_mxp_result *m, record *r)
{
    memset(r, 0, sizeof *r);
    for (size_t c = 0; c < NMXP; c++)
        r->num[c] = NAN;
    r->text[0] = m->mxp->list;
    r->text[1] = m->mxp->name;
    r->text[2] = m->match;
    r->num[3] = m->entry ? (double)m->entry->rank : NAN;
    r->num[4] = m->entry ? m->entry->cores : NAN;
    r->num[5] = m->entry ? m->entry->serial_hpl : NAN;
    r->num[6] = m->mxp->hpl_eflops;
    r->num[7] = m->mxp->hpl_mxp_eflops;
    r->num[8] = m->measured_gain;
    r->num[9] = m->k;
    r->num[10] = m->predicted_gain;
    r->num[11] = m->predicted_eflops;
    r->num[12] = m->fit_ratio;
    r->num[13] = m->k_fit;
    r->num[14] = m->rmax_diff;
    r->text[15] = sw_mxp_verdict_name(m->verdict);
    r->text[16] = m->mxp->note;
}

static void mxp_footer(const sw_mxp_tally *t, double k, char *buf, size_t size)
{
    if (!t->matched) {
        snprintf(buf, size, "\nNo HPL-MxP row matched a TOP500 entry.\n");
        return;
    }
    snprintf(buf, size,
             "\n%zu of %zu rows compared: matched a TOP500 entry ('match' says how) whose Rmax\n"
             "agrees with the quoted HPL within 6%% (%zu more match but quote another run:\n"
             "'hpl-differs', not counted).\n"
             "Measured gain below the nominal k = %g in %zu of %zu rows: the faster arithmetic\n"
             "kept only part of k, as the 'too fast processor' argument says.\n"
             "The what-if (payload k x faster, the rest unchanged):\n"
             "  fits within 0.8..1.25x   %zu rows\n"
             "  underestimates           %zu rows (worst %s %s: measured %.2fx the prediction)\n"
             "  overestimates            %zu rows (worst %s %s: measured %.2fx the prediction)\n"
             "Where it underestimates, lower precision also moved fewer bytes or changed the\n"
             "algorithm, which the what-if does not model.  k_fit: the k the what-if would need\n"
             "('-': no k reaches the measured gain, it exceeds the what-if's ceiling).\n",
             t->matched, t->rows, t->differs, k, t->below_k, t->matched, t->fits, t->under,
             t->worst_under->mxp->list, t->worst_under->mxp->name, t->max_ratio, t->over,
             t->worst_over->mxp->list, t->worst_over->mxp->name, t->min_ratio);
}

static int run_mxp(const opts *o)
{
    sw_error err = {0};
    sw_mxp m;
    sw_status st = o->nfiles ? sw_mxp_read_file(o->files[0], &m, &err)
                             : sw_top500_embedded_mxp(&m, &err);
    if (st)
        return cli_fail(&err);
    sw_top500_list *ls;
    size_t n;
    if (sw_top500_load_lists(o->files + (o->nfiles > 0),
                             (size_t)(o->nfiles > 0 ? o->nfiles - 1 : 0), 1, 0, &ls, &n, &err)) {
        sw_mxp_free(&m);
        return cli_fail(&err);
    }
    sw_mxp_result *res = calloc(m.n, sizeof *res);
    record *recs = calloc(m.n, sizeof *recs);
    int rc;
    if (!res || !recs) {
        sw_error_set(&err, SW_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    } else if (sw_mxp_compare(&m, ls, n, o->k, res, &err)) {
        rc = cli_fail(&err);
    } else {
        for (size_t i = 0; i < m.n; i++)
            mxp_record(&res[i], &recs[i]);
        sw_mxp_tally t;
        sw_mxp_tally_of(res, m.n, &t);
        char title[512], footer[1536];
        snprintf(title, sizeof title,
                 "HPL-MxP vs HPL: measured gain mxp/hpl vs nominal k = %g vs the what-if\n"
                 "R'/R = k E'/E with 1-a' = k(1-a)/(1+(k-1)(1-a)), N and 1-a from the TOP500 "
                 "entry\n\n",
                 o->k);
        mxp_footer(&t, o->k, footer, sizeof footer);
        json_t *sum = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "rows", (json_int_t)t.rows,
                                "hpl_differs", (json_int_t)t.differs,
                                "matched", (json_int_t)t.matched, "fits", (json_int_t)t.fits,
                                "under", (json_int_t)t.under, "over", (json_int_t)t.over,
                                "below_k", (json_int_t)t.below_k);
        records_ctx c = {mxp_cols, NMXP, recs, m.n, o->fmt, "scalewall-top500-mxp", sum, title,
                         footer};
        rc = emit(o, write_records, &c);
        json_decref(sum);
    }
    free(res);
    free(recs);
    sw_top500_lists_free(ls, n);
    sw_mxp_free(&m);
    return rc;
}

/* --- options ------------------------------------------------------------- */

static void print_fields(void)
{
    for (size_t i = 0; i < sw_top500_nfields; i++)
        printf("  %-18s %-8s %s\n", sw_top500_fields[i].name, sw_top500_fields[i].unit,
               sw_top500_fields[i].meaning);
}

static int parse(int argc, char **argv, opts *o)
{
    static const struct option lopts[] = {
        {"top", required_argument, 0, 't'}, {"sort", required_argument, 0, 's'},
        {"hpcg-only", no_argument, 0, 'g'}, {"csv", no_argument, 0, 'c'},
        {"json", no_argument, 0, 'j'},      {"output", required_argument, 0, 'o'},
        {"obs", no_argument, 0, 'O'},
        {"trend", no_argument, 0, 'T'},     {"mxp", no_argument, 0, 'M'},
        {"k", required_argument, 0, 'k'},   {"fields", no_argument, 0, 'F'},
        {"help", no_argument, 0, 'h'},      {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->top = -1;
    o->k = 16;
    o->sort_field = sw_top500_field_find("rank");
    int c;
    double v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", lopts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (sw_parse_double(optarg, &v) != 1 || v != floor(v) || v < 0 || v > 1e9)
                return cli_usage("top500", "--top: '%s' is not a whole number >= 0", optarg);
            o->top = (long)v;
            break;
        case 's': {
            const char *f = optarg[0] == '-' ? optarg + 1 : optarg;
            o->sort_desc = optarg[0] == '-';
            o->sort_field = sw_top500_field_find(f);
            if (o->sort_field < 0)
                return cli_usage("top500", "--sort: unknown field '%s' (see --fields)", f);
            break;
        }
        case 'g': o->hpcg_only = 1; break;
        case 'c':
        case 'j':
        case 'O': {
            /* One output format: the last of two was silently the one used. */
            out_fmt f = c == 'c' ? OUT_CSV : c == 'j' ? OUT_JSON : OUT_OBS;
            if (o->fmt != OUT_TABLE && o->fmt != f)
                return cli_usage("top500", "--csv, --json and --obs exclude each other");
            o->fmt = f;
            break;
        }
        case 'o': o->output = optarg; break;
        case 'T': o->trend = 1; break;
        case 'M': o->mxp = 1; break;
        case 'F': o->fields = 1; break;
        case 'k':
            if (cli_double("top500", "--k", optarg, &o->k))
                return 2;
            if (!(o->k >= 1))
                return cli_usage("top500", "--k: '%s' must be at least 1", optarg);
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_usage("top500", "unknown option");
        }
    }
    o->files = argv + optind;
    o->nfiles = argc - optind;
    if (o->trend && o->mxp)
        return cli_usage("top500", "--trend and --mxp are separate views: give one");
    if (o->fmt == OUT_OBS && (o->trend || o->mxp))
        return cli_usage("top500", "--obs is for one list, not --trend or --mxp");
    if (!o->trend && !o->mxp && o->nfiles > 1)
        return cli_usage("top500", "one LIST at a time (several lists: --trend)");
    return 0;
}

int cmd_top500(int argc, char **argv)
{
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (o.fields) {
        print_fields();
        return 0;
    }
    if (o.trend)
        return run_trend(&o);
    if (o.mxp)
        return run_mxp(&o);
    return run_list(&o);
}
