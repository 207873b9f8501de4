/* top500_mxp.c — HPL-MxP (mixed precision) against the faster-payload what-if.
 *
 * The time-aware model says: make the payload k times faster (FP16 instead
 * of FP64) and leave the rest, and the gain kept is R'/R = k E'/E < k, with
 * 1-alpha' = k(1-alpha)/(1 + (k-1)(1-alpha)).  HPL-MxP measures that gain
 * directly (hpl_mxp / hpl) on the machines that ran both; 1-alpha and N come
 * from the same system's TOP500 entry of that edition.  Misfits are part of
 * the answer: lower precision also moves fewer bytes and changes the
 * algorithm, which the what-if does not model.
 *
 * Matching an HPL-MxP row to its TOP500 entry (the quoted ranks are often
 * off by a few places, names differ in detail: "JUWELS BM", "Setonix - GPU"):
 *   1. same name (lower-case ASCII letters and digits); several -> Rmax closest
 *      to the quoted HPL;
 *   2. one name contains the other (both >= 4 characters): the row at the
 *      quoted rank if it is among them, else the one with the closest Rmax;
 *   3. the row at the quoted rank if its Rmax is within 6% of the quoted HPL;
 *   4. otherwise no match (said so in the output). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/model.h"
#include "scalewall/text.h"
#include "scalewall/top500.h"

#define FIT_LO 0.8
#define FIT_HI 1.25
#define RANK_RMAX_TOL 0.06
#define K_FIT_MAX 1e4

void sw_mxp_free(sw_mxp *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->rows[i].name);
        free(m->rows[i].note);
    }
    free(m->rows);
    memset(m, 0, sizeof *m);
}

sw_mxp_row *sw_mxp_add(sw_mxp *m, const char *list, const char *name, double mxp_eflops,
                       double hpl_eflops, long top500_rank, double cores, const char *note)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 128;
        sw_mxp_row *p = realloc(m->rows, cap * sizeof *p);
        if (!p)
            return NULL;
        m->rows = p;
        m->cap = cap;
    }
    sw_mxp_row *r = &m->rows[m->n];
    memset(r, 0, sizeof *r);
    snprintf(r->list, sizeof r->list, "%s", list ? list : "");
    r->name = strdup(name ? name : "");
    r->note = strdup(note ? note : "");
    if (!r->name || !r->note) {
        free(r->name);
        free(r->note);
        return NULL;
    }
    sw_top500_normalise(r->name);
    sw_top500_normalise(r->note);
    r->hpl_mxp_eflops = mxp_eflops;
    r->hpl_eflops = hpl_eflops;
    r->top500_rank = top500_rank;
    r->cores = cores;
    m->n++;
    return r;
}

/* --- reading ------------------------------------------------------------- */

enum { M_LIST, M_NAME, M_MXP, M_HPL, M_RANK, M_CORES, M_NOTE, M_N };
static const char *const mcols[M_N] = {"list", "name", "hpl_mxp_eflops", "hpl_eflops",
                                       "top500_rank", "cores", "note"};

static sw_status mxp_num(const char *name, long line, const char *col, const char *text,
                         double *v, sw_error *err)
{
    if (sw_parse_double(text ? text : "", v) < 0)
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column '%s' is not a number: '%.60s'", name,
                            line, col, text);
    return SW_OK;
}

static sw_status mxp_row(sw_mxp *out, const char *name, const sw_csv *csv, const int idx[M_N],
                         sw_error *err)
{
    const char *v[M_N];
    for (int c = 0; c < M_N; c++)
        v[c] = idx[c] >= 0 ? csv->fields[idx[c]] : "";
    double mxp, hpl, rank = NAN, cores = NAN;
    sw_status st = mxp_num(name, csv->line, mcols[M_MXP], v[M_MXP], &mxp, err);
    if (!st)
        st = mxp_num(name, csv->line, mcols[M_HPL], v[M_HPL], &hpl, err);
    if (!st)
        st = mxp_num(name, csv->line, mcols[M_RANK], v[M_RANK], &rank, err);
    if (!st)
        st = mxp_num(name, csv->line, mcols[M_CORES], v[M_CORES], &cores, err);
    if (st)
        return st;
    if (!isnan(rank) && (rank != floor(rank) || rank < 0 || rank > 1e9))
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column 'top500_rank' is not a rank: '%s'",
                            name, csv->line, v[M_RANK]);
    char ed[16];
    snprintf(ed, sizeof ed, "%.15s", v[M_LIST]);
    sw_top500_normalise(ed);
    if (strlen(ed) != 7 || ed[4] != '-')
        return sw_error_set(err, SW_EPARSE, "%s:%ld: column 'list' is not YYYY-MM: '%.20s'", name,
                            csv->line, v[M_LIST]);
    sw_mxp_row *r = sw_mxp_add(out, ed, v[M_NAME], mxp, hpl, isnan(rank) ? 0 : (long)rank,
                               cores, v[M_NOTE]);
    if (!r)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
    r->line = csv->line;
    return SW_OK;
}

sw_status sw_mxp_read_csv(const char *name, const char *buf, size_t len, sw_mxp *out,
                          sw_error *err)
{
    memset(out, 0, sizeof *out);
    name = name ? name : "<csv>";
    sw_status wrong = sw_json_expect(name, buf, len, NULL, "an HPL-MxP table (CSV)", err);
    if (wrong)
        return wrong;
    sw_csv csv;
    sw_csv_init(&csv, name, buf, len);
    int r = sw_csv_next(&csv, err);
    sw_status st = SW_OK;
    int idx[M_N];
    size_t nhead = csv.nfields;
    if (r <= 0)
        st = r < 0 ? (sw_status)-r : sw_error_set(err, SW_EPARSE, "%s: empty file: no header row", name);
    for (int c = 0; c < M_N && !st; c++) {
        idx[c] = sw_csv_find(&csv, mcols[c]);
        if (idx[c] < 0 && c <= M_HPL)
            st = sw_error_set(err, SW_EPARSE,
                              "%s:%ld: column '%s' is missing: not an HPL-MxP results CSV", name,
                              csv.line, mcols[c]);
    }
    while (!st && (r = sw_csv_next(&csv, err)) > 0) {
        if (csv.nfields != nhead)
            st = sw_error_set(err, SW_EPARSE, "%s:%ld: %zu fields where the header has %zu", name,
                              csv.line, csv.nfields, nhead);
        else
            st = mxp_row(out, name, &csv, idx, err);
    }
    if (!st && r < 0)
        st = (sw_status)-r;
    if (!st && out->n == 0)
        st = sw_error_set(err, SW_EPARSE, "%s: no HPL-MxP results (only a header)", name);
    sw_csv_free(&csv);
    if (st)
        sw_mxp_free(out);
    return st;
}

sw_status sw_mxp_read_file(const char *path, sw_mxp *out, sw_error *err)
{
    char *data;
    size_t len;
    memset(out, 0, sizeof *out);
    sw_status st = sw_read_file(path, &data, &len, err);
    if (st)
        return st;
    st = sw_mxp_read_csv(path, data, len, out, err);
    free(data);
    return st;
}

/* --- matching ------------------------------------------------------------ */

static void name_key(const char *s, char *out, size_t size)
{
    size_t w = 0;
    for (; *s && w + 1 < size; s++)
        if ((unsigned char)*s < 128 && isalnum((unsigned char)*s))
            out[w++] = (char)tolower((unsigned char)*s);
    out[w] = '\0';
}

static int contains_either(const char *a, const char *b)
{
    return strlen(a) >= 4 && strlen(b) >= 4 && (strstr(a, b) || strstr(b, a));
}

static double rmax_dist(const sw_top500_entry *e, double hpl_eflops)
{
    double d = fabs(log(e->rmax / (hpl_eflops * 1e6)));
    return isfinite(d) ? d : INFINITY;
}

static const sw_top500_entry *match_entry(const sw_top500_list *l, const sw_mxp_row *m,
                                          const char **how)
{
    char key[256], ek[256];
    name_key(m->name, key, sizeof key);
    const sw_top500_entry *same = NULL, *part = NULL, *at_rank = NULL;
    int rank_in_part = 0;
    for (size_t i = 0; i < l->n; i++) {
        const sw_top500_entry *e = &l->rows[i];
        name_key(e->name, ek, sizeof ek);
        if (m->top500_rank > 0 && e->rank == m->top500_rank)
            at_rank = e;
        if (key[0] && strcmp(key, ek) == 0) {
            if (!same || rmax_dist(e, m->hpl_eflops) < rmax_dist(same, m->hpl_eflops))
                same = e;
        } else if (contains_either(key, ek)) {
            if (m->top500_rank > 0 && e->rank == m->top500_rank)
                rank_in_part = 1;
            if (!part || rmax_dist(e, m->hpl_eflops) < rmax_dist(part, m->hpl_eflops))
                part = e;
        }
    }
    if (same) {
        *how = "name";
        return same;
    }
    if (part) {
        *how = rank_in_part ? "rank+name" : "name~";
        return rank_in_part ? at_rank : part;
    }
    if (at_rank && rmax_dist(at_rank, m->hpl_eflops) <= log(1 + RANK_RMAX_TOL)) {
        *how = "rank+rmax";
        return at_rank;
    }
    *how = "none";
    return NULL;
}

/* --- the what-if ----------------------------------------------------------- */

static double gain_at(double n, double serial, double k)
{
    sw_payload_whatif w;
    return sw_payload_speedup(n, serial, k, &w, NULL) == SW_OK ? w.gain_kept : NAN;
}

/* The k at which the what-if keeps `gain` (R'/R grows with k). */
static double solve_k(double n, double serial, double gain)
{
    double lo = 1.0, hi = K_FIT_MAX;
    if (!(gain >= gain_at(n, serial, lo)) || !(gain <= gain_at(n, serial, hi)))
        return NAN;
    for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; it++) {
        double mid = sqrt(lo * hi);
        if (gain_at(n, serial, mid) < gain)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

const char *sw_mxp_verdict_name(sw_mxp_verdict v)
{
    switch (v) {
    case SW_MXP_FITS: return "fits";
    case SW_MXP_UNDER: return "under";
    case SW_MXP_OVER: return "over";
    case SW_MXP_HPL_DIFFERS: return "hpl-differs";
    case SW_MXP_NO_MATCH: break;
    }
    return "no-match";
}

static void evaluate(const sw_mxp_row *m, const sw_top500_entry *e, double k, sw_mxp_result *r)
{
    r->measured_gain = m->hpl_mxp_eflops / m->hpl_eflops;
    if (!isfinite(r->measured_gain))
        r->measured_gain = NAN;
    if (!e)
        return;
    r->rmax_diff = m->hpl_eflops * 1e6 / e->rmax - 1.0;
    if (e->flags || !isfinite(e->serial_hpl) || isnan(r->measured_gain))
        return;
    r->predicted_gain = gain_at(e->cores, e->serial_hpl, k);
    r->predicted_eflops = m->hpl_eflops * r->predicted_gain;
    r->fit_ratio = r->measured_gain / r->predicted_gain;
    r->k_fit = solve_k(e->cores, e->serial_hpl, r->measured_gain);
    if (!isfinite(r->fit_ratio))
        return;
    if (fabs(r->rmax_diff) > RANK_RMAX_TOL) {
        r->verdict = SW_MXP_HPL_DIFFERS;
        return;
    }
    r->verdict = r->fit_ratio > FIT_HI ? SW_MXP_UNDER
                 : r->fit_ratio < FIT_LO ? SW_MXP_OVER
                                         : SW_MXP_FITS;
}

sw_status sw_mxp_compare(const sw_mxp *m, const sw_top500_list *lists, size_t nlists, double k,
                         sw_mxp_result *out, sw_error *err)
{
    if (!(k > 0) || !isfinite(k))
        return sw_error_set(err, SW_EINVAL, "--k %g: the precision gain must be positive", k);
    for (size_t i = 0; i < m->n; i++) {
        sw_mxp_result *r = &out[i];
        memset(r, 0, sizeof *r);
        r->mxp = &m->rows[i];
        r->k = k;
        r->predicted_gain = r->predicted_eflops = r->fit_ratio = r->k_fit = NAN;
        r->rmax_diff = NAN;
        r->verdict = SW_MXP_NO_MATCH;
        r->match = "no-list";
        const sw_top500_list *l = NULL;
        for (size_t j = 0; j < nlists && !l; j++)
            if (strcmp(lists[j].list, r->mxp->list) == 0)
                l = &lists[j];
        if (l)
            r->entry = match_entry(l, r->mxp, &r->match);
        evaluate(r->mxp, r->entry, k, r);
    }
    return SW_OK;
}

void sw_mxp_tally_of(const sw_mxp_result *r, size_t n, sw_mxp_tally *t)
{
    memset(t, 0, sizeof *t);
    t->rows = n;
    t->min_ratio = t->max_ratio = NAN;
    for (size_t i = 0; i < n; i++) {
        if (r[i].verdict == SW_MXP_NO_MATCH)
            continue;
        if (r[i].verdict == SW_MXP_HPL_DIFFERS) {
            t->differs++;
            continue;
        }
        t->matched++;
        t->fits += r[i].verdict == SW_MXP_FITS;
        t->under += r[i].verdict == SW_MXP_UNDER;
        t->over += r[i].verdict == SW_MXP_OVER;
        t->below_k += r[i].measured_gain < r[i].k;
        double q = r[i].fit_ratio;
        if (isnan(t->min_ratio) || q < t->min_ratio) {
            t->min_ratio = q;
            t->worst_over = &r[i];
        }
        if (isnan(t->max_ratio) || q > t->max_ratio) {
            t->max_ratio = q;
            t->worst_under = &r[i];
        }
    }
}
