/* top500_trend.c — how 1-alpha of the leading systems moved across lists.
 *
 * The question (Végh, arXiv 2001.01266): is the wall already reached, i.e.
 * does the best HPL 1-alpha sit on a floor of roughly 1e-8..1e-7 set by the
 * physical and OS parts of the non-payload time?  Per list we take the
 * unflagged systems among ranks 1..K and report #1, the lowest and the median
 * 1-alpha; the verdict is computed from those numbers, never written in.
 *
 * It compares each list's best wall 1/(1-alpha) with that machine's N, and
 * reads the flat lowest 1-alpha as what a weak-scaled benchmark gives: HPL
 * grows its matrix with the machine, so at a steady efficiency E its
 * Karp-Flatt value (1/E-1)/(N-1) falls as 1/N by construction (top500.h). */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/top500.h"

/* The paper's floor band, with a factor 2 of slack at each end. */
#define FLOOR_LO 5e-9
#define FLOOR_HI 2e-7
/* "Barely moves": the lowest 1-alpha improved by less than this factor. */
#define FLAT_FACTOR 4.0

static double median(double *v, size_t n)
{
    if (!n)
        return NAN;
    gsl_sort(v, 1, n);
    return gsl_stats_median_from_sorted_data(v, 1, n);
}

static void trend_row(const sw_top500_list *l, size_t k, size_t cap, double *buf,
                      sw_top500_trend_row *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->list, sizeof r->list, "%s", l->list);
    size_t nh = 0, ng = 0, ne = 0;
    double *hpl = buf, *hpcg = buf + cap, *eff = buf + 2 * cap;
    r->max_cores = NAN;
    for (size_t i = 0; i < l->n; i++) {
        const sw_top500_entry *e = &l->rows[i];
        if (e->rank == 1)
            r->first = e;
        if (e->rank < 1 || (size_t)e->rank > k || e->flags || r->k == cap)
            continue;
        r->k++;
        if (isfinite(e->e_hpl))
            eff[ne++] = e->e_hpl;
        if (isfinite(e->cores) && (isnan(r->max_cores) || e->cores > r->max_cores))
            r->max_cores = e->cores;
        if (isfinite(e->serial_hpl)) {
            hpl[nh++] = e->serial_hpl;
            if (!r->best_hpl || e->serial_hpl < r->best_hpl->serial_hpl)
                r->best_hpl = e;
        }
        if (isfinite(e->serial_hpcg)) {
            hpcg[ng++] = e->serial_hpcg;
            if (!r->best_hpcg || e->serial_hpcg < r->best_hpcg->serial_hpcg)
                r->best_hpcg = e;
        }
    }
    r->n_hpcg = ng;
    r->median_serial_hpl = median(hpl, nh);
    r->median_serial_hpcg = median(hpcg, ng);
    r->median_e_hpl = median(eff, ne);
    r->best_wall_over_n = r->best_hpl ? r->best_hpl->max_gain_hpl / r->best_hpl->cores : NAN;
}

static void widen(double v, double *lo, double *hi)
{
    if (!isfinite(v))
        return;
    *lo = isnan(*lo) || v < *lo ? v : *lo;
    *hi = isnan(*hi) || v > *hi ? v : *hi;
}

static void verdict_of(const sw_top500_trend_row *rows, size_t n, size_t k,
                       sw_top500_trend_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->best_lo = v->best_hi = v->first_best = v->last_best = NAN;
    v->first_median = v->last_median = NAN;
    v->wall_over_n_lo = v->wall_over_n_hi = v->e_lo = v->e_hi = NAN;
    v->cores_first = v->cores_last = NAN;
    const sw_top500_trend_row *first = NULL, *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].best_hpl)
            continue;
        double b = rows[i].best_hpl->serial_hpl;
        if (!first)
            first = &rows[i];
        last = &rows[i];
        v->lists++;
        v->best_lo = isnan(v->best_lo) || b < v->best_lo ? b : v->best_lo;
        v->best_hi = isnan(v->best_hi) || b > v->best_hi ? b : v->best_hi;
        widen(rows[i].best_wall_over_n, &v->wall_over_n_lo, &v->wall_over_n_hi);
        widen(rows[i].median_e_hpl, &v->e_lo, &v->e_hi);
    }
    v->wall_reached = v->wall_over_n_lo <= 1;
    if (v->lists < 2) {
        snprintf(v->sentence, sizeof v->sentence,
                 "One list cannot show a trend: give two or more lists to see whether 1-alpha "
                 "has reached a floor.");
        return;
    }
    v->first_best = first->best_hpl->serial_hpl;
    v->last_best = last->best_hpl->serial_hpl;
    v->first_median = first->median_serial_hpl;
    v->last_median = last->median_serial_hpl;
    v->cores_first = first->max_cores;
    v->cores_last = last->max_cores;
    double gain = v->first_best / v->last_best;
    int in_band = v->best_lo >= FLOOR_LO && v->best_hi <= FLOOR_HI;
    v->floor_visible = in_band && gain < FLAT_FACTOR;
    /* The answer is about the wall: where each best machine's wall lies
     * against its own N.  The floor is then explained, not taken as proof. */
    int n_ = snprintf(v->sentence, sizeof v->sentence,
                      "%s: across %zu lists (%s..%s) the lowest HPL 1-alpha among the top %zu "
                      "(%.3g to %.3g) puts that machine's wall 1/(1-alpha) at %.2g to %.2gx its "
                      "own N, so %s.",
                      v->wall_reached ? "Yes" : "No", v->lists, first->list, last->list, k,
                      v->best_lo, v->best_hi, v->wall_over_n_lo, v->wall_over_n_hi,
                      v->wall_reached ? "at least one list's best machine is at or past its wall"
                                      : "none has reached it");
    if (n_ < 0 || (size_t)n_ >= sizeof v->sentence)
        return;
    char *rest = v->sentence + n_;
    size_t room = sizeof v->sentence - (size_t)n_;
    if (v->floor_visible)
        snprintf(rest, room,
                 " The lowest value barely moved (%.2gx) while the top-%zu median went from %.3g "
                 "to %.3g, but HPL is weak-scaled: at a steady efficiency E its 1-alpha = "
                 "(1/E-1)/(N-1) falls as 1/N by construction, and with the median E of the top "
                 "%zu at %.2f to %.2f and the largest N going from %.3g to %.3g cores the flat "
                 "lowest value follows N, not a floor.",
                 gain, k, v->first_median, v->last_median, k, v->e_lo, v->e_hi, v->cores_first,
                 v->cores_last);
    else
        snprintf(rest, room,
                 " The lowest value %s (%.2gx, %s the paper's ~1e-8..1e-7 floor); HPL is "
                 "weak-scaled, so its 1-alpha = (1/E-1)/(N-1) tracks 1/N at the top %zu's median "
                 "E of %.2f to %.2f.",
                 gain >= FLAT_FACTOR ? "kept falling" : "barely moved", gain,
                 in_band ? "inside" : "outside", k, v->e_lo, v->e_hi);
}

sw_status sw_top500_trend(const sw_top500_list *lists, size_t n, size_t k,
                          sw_top500_trend_row *rows, sw_top500_trend_verdict *verdict,
                          sw_error *err)
{
    if (k < 1)
        return sw_error_set(err, SW_EINVAL, "--top must be at least 1 for a trend");
    size_t most = 1; /* rows per list bound the buffer, not a huge K */
    for (size_t i = 0; i < n; i++)
        most = lists[i].n > most ? lists[i].n : most;
    double *buf = malloc(3 * (k < most ? k : most) * sizeof *buf);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        trend_row(&lists[i], k, k < most ? k : most, buf, &rows[i]);
    free(buf);
    if (verdict)
        verdict_of(rows, n, k, verdict);
    return SW_OK;
}

sw_status sw_top500_trend_builtin(size_t k, sw_top500_trend_verdict *v, sw_error *err)
{
    sw_top500_list *ls;
    size_t n;
    sw_status st = sw_top500_load_lists(NULL, 0, 1, 1, &ls, &n, err);
    if (st)
        return st;
    sw_top500_trend_row *rows = calloc(n ? n : 1, sizeof *rows);
    st = rows ? sw_top500_trend(ls, n, k, rows, v, err)
              : sw_error_set(err, SW_ENOMEM, "out of memory");
    free(rows);
    sw_top500_lists_free(ls, n);
    return st;
}
