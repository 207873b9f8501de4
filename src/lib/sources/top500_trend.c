/* top500_trend.c — how 1-alpha of the leading systems moved across lists.
 *
 * The question (Végh, arXiv 2001.01266): is the wall already reached, i.e.
 * does the best HPL 1-alpha sit on a floor of roughly 1e-8..1e-7 set by the
 * physical and OS parts of the non-payload time?  Per list we take the
 * unflagged systems among ranks 1..K and report #1, the lowest and the median
 * 1-alpha; the verdict is computed from those numbers, never written in. */
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
    size_t nh = 0, ng = 0;
    double *hpl = buf, *hpcg = buf + cap;
    for (size_t i = 0; i < l->n; i++) {
        const sw_top500_entry *e = &l->rows[i];
        if (e->rank == 1)
            r->first = e;
        if (e->rank < 1 || (size_t)e->rank > k || e->flags || r->k == cap)
            continue;
        r->k++;
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
}

static void verdict_of(const sw_top500_trend_row *rows, size_t n, size_t k,
                       sw_top500_trend_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->best_lo = v->best_hi = v->first_best = v->last_best = NAN;
    v->first_median = v->last_median = NAN;
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
    }
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
    double gain = v->first_best / v->last_best;
    int in_band = v->best_lo >= FLOOR_LO && v->best_hi <= FLOOR_HI;
    v->floor_visible = in_band && gain < FLAT_FACTOR;
    if (v->floor_visible)
        snprintf(v->sentence, sizeof v->sentence,
                 "Yes: across %zu lists (%s..%s) the lowest HPL 1-alpha among the top %zu stayed "
                 "between %.3g and %.3g, improving only %.2gx, inside the paper's ~1e-8..1e-7 "
                 "floor, while the top-%zu median went from %.3g to %.3g.",
                 v->lists, first->list, last->list, k, v->best_lo, v->best_hi, gain, k,
                 v->first_median, v->last_median);
    else if (!in_band)
        snprintf(v->sentence, sizeof v->sentence,
                 "No: across %zu lists (%s..%s) the lowest HPL 1-alpha among the top %zu ranged "
                 "from %.3g to %.3g, outside the paper's ~1e-8..1e-7 floor.",
                 v->lists, first->list, last->list, k, v->best_lo, v->best_hi);
    else
        snprintf(v->sentence, sizeof v->sentence,
                 "No: across %zu lists (%s..%s) the lowest HPL 1-alpha among the top %zu kept "
                 "falling, %.3g to %.3g (%.2gx), so no floor is visible yet.",
                 v->lists, first->list, last->list, k, v->first_best, v->last_best, gain);
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
    double *buf = malloc(2 * (k < most ? k : most) * sizeof *buf);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        trend_row(&lists[i], k, k < most ? k : most, buf, &rows[i]);
    free(buf);
    if (verdict)
        verdict_of(rows, n, k, verdict);
    return SW_OK;
}
