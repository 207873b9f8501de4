/* top500.c — a TOP500 entry as an Amdahl point: derived figures, flags,
 * the named output fields and the statistics over a selection.
 *
 * The formulas (docs/top500.md): r1 = Rpeak/N, E = Rmax/Rpeak (or
 * HPCG/Rpeak), 1-alpha = (1/E - 1)/(N - 1) via sw_amdahl_from_efficiency,
 * wall = r1/(1-alpha), dark = N r1 (1 - E).  Bad rows are flagged rather than
 * dropped: a reader of the list should see that #244 of 2019-11 claims
 * Rmax = 9.2 x Rpeak, and no median should include it. */
#include "scalewall/top500.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/model.h"

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

static void entry_free(sw_top500_entry *e)
{
    free(e->name);
    free(e->computer);
    free(e->site);
    free(e->country);
    free(e->accelerator);
}

void sw_top500_list_free(sw_top500_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        entry_free(&l->rows[i]);
    free(l->rows);
    free(l->source);
    memset(l, 0, sizeof *l);
}

static void clear_derived(sw_top500_entry *e)
{
    e->r1 = NAN;
    e->e_hpl = e->serial_hpl = e->max_gain_hpl = e->wall_hpl = e->dark_hpl = NAN;
    e->e_hpcg = e->serial_hpcg = e->max_gain_hpcg = e->wall_hpcg = e->dark_hpcg = NAN;
    e->serial_ratio = NAN;
    e->flags = 0;
}

sw_top500_entry *sw_top500_add(sw_top500_list *l, const char *list, long rank, const char *name,
                               double cores, double accel_cores, double rmax, double rpeak,
                               double hpcg, double power_kw)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 512;
        sw_top500_entry *p = realloc(l->rows, cap * sizeof *p);
        if (!p)
            return NULL;
        l->rows = p;
        l->cap = cap;
    }
    sw_top500_entry *e = &l->rows[l->n];
    memset(e, 0, sizeof *e);
    snprintf(e->list, sizeof e->list, "%s", list ? list : "");
    e->rank = rank;
    e->name = dup_or_empty(name);
    e->computer = dup_or_empty(NULL);
    e->site = dup_or_empty(NULL);
    e->country = dup_or_empty(NULL);
    e->accelerator = dup_or_empty(NULL);
    if (!e->name || !e->computer || !e->site || !e->country || !e->accelerator) {
        entry_free(e);
        return NULL;
    }
    e->cores = cores;
    e->accel_cores = accel_cores;
    e->rmax = rmax;
    e->rpeak = rpeak;
    e->hpcg = hpcg;
    e->power_kw = power_kw;
    clear_derived(e);
    l->n++;
    return e;
}

void sw_top500_normalise(char *s)
{
    if (!s)
        return;
    char *w = s;
    int pending_space = 0;
    for (const char *r = s; *r;) {
        int space = 0;
        size_t adv = 1;
        if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) {
            space = 1; /* U+00A0 NO-BREAK SPACE in UTF-8 */
            adv = 2;
        } else if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\v' ||
                   *r == '\f') {
            space = 1;
        }
        if (space) {
            pending_space = w != s;
        } else {
            if (pending_space)
                *w++ = ' ';
            pending_space = 0;
            memmove(w, r, adv);
            w += adv;
        }
        r += adv;
    }
    *w = '\0';
}

static unsigned entry_flags(const sw_top500_entry *e)
{
    unsigned f = 0;
    if (e->rank <= 0 || isnan(e->cores) || isnan(e->rmax) || isnan(e->rpeak))
        f |= SW_T5_MISSING;
    if (e->cores <= 0)
        f |= SW_T5_ZERO_CORES;
    if (e->cores == 1)
        f |= SW_T5_ONE_CORE;
    if (e->rmax <= 0 || e->rpeak <= 0 || e->hpcg < 0 || e->power_kw < 0 || e->accel_cores < 0)
        f |= SW_T5_NONPOSITIVE;
    if (e->rmax > e->rpeak)
        f |= SW_T5_RMAX_GT_RPEAK;
    if (e->accel_cores > e->cores)
        f |= SW_T5_ACCEL_GT_CORES;
    if (e->hpcg > e->rpeak)
        f |= SW_T5_HPCG_GT_RPEAK;
    return f;
}

/* 1-alpha from one benchmark's rate; NAN when the model has no answer. */
static void benchmark(double n, double r1, double rpeak, double rate, double *eff, double *serial,
                      double *gain, double *wall, double *dark)
{
    *eff = (rate > 0 && rpeak > 0) ? rate / rpeak : NAN;
    sw_amdahl a;
    if (!isnan(*eff) && sw_amdahl_from_efficiency(n, *eff, &a, NULL) == SW_OK) {
        *serial = a.serial;
        *gain = sw_max_gain(a.serial);
        *wall = sw_wall(r1, a.serial);
    } else {
        *serial = *gain = *wall = NAN;
    }
    *dark = isnan(*eff) || isnan(r1) ? NAN : sw_dark_performance(n, r1, *eff);
}

void sw_top500_analyse_entry(sw_top500_entry *e)
{
    clear_derived(e);
    e->flags = entry_flags(e);
    double n = e->cores;
    if (!(n > 0) || !(e->rpeak > 0))
        return;
    e->r1 = e->rpeak / n;
    benchmark(n, e->r1, e->rpeak, e->rmax, &e->e_hpl, &e->serial_hpl, &e->max_gain_hpl,
              &e->wall_hpl, &e->dark_hpl);
    benchmark(n, e->r1, e->rpeak, e->hpcg, &e->e_hpcg, &e->serial_hpcg, &e->max_gain_hpcg,
              &e->wall_hpcg, &e->dark_hpcg);
    if (e->serial_hpl > 0 && e->serial_hpcg > 0)
        e->serial_ratio = e->serial_hpcg / e->serial_hpl;
}

void sw_top500_analyse(sw_top500_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        sw_top500_analyse_entry(&l->rows[i]);
}

static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {
    {SW_T5_MISSING, "missing"},           {SW_T5_ZERO_CORES, "zero_cores"},
    {SW_T5_ONE_CORE, "one_core"},         {SW_T5_NONPOSITIVE, "nonpositive"},
    {SW_T5_RMAX_GT_RPEAK, "rmax_gt_rpeak"}, {SW_T5_ACCEL_GT_CORES, "accel_gt_cores"},
    {SW_T5_HPCG_GT_RPEAK, "hpcg_gt_rpeak"},
};

const char *sw_top500_flags_str(unsigned flags, char *buf, size_t size)
{
    size_t w = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        if (!(flags & flag_names[i].bit))
            continue;
        int k = snprintf(buf + w, size > w ? size - w : 0, "%s%s", w ? ";" : "",
                         flag_names[i].name);
        if (k > 0)
            w += (size_t)k;
        if (w >= size)
            break;
    }
    return buf;
}

/* --- named fields -------------------------------------------------------- */

const sw_top500_field sw_top500_fields[] = {
    {"rank", "", "position on the list"},
    {"cores", "", "N = total cores (accelerator SMs/CUs included)"},
    {"accel_cores", "", "accelerator cores (SMs/CUs), blank for CPU-only systems"},
    {"rmax_tflops", "TFlop/s", "HPL Rmax"},
    {"rpeak_tflops", "TFlop/s", "theoretical peak Rpeak"},
    {"hpcg_tflops", "TFlop/s", "HPCG result, blank when none"},
    {"power_kw", "kW", "power during HPL, blank when not reported"},
    {"r1_tflops", "TFlop/s", "r1 = Rpeak/N, the peak of one core"},
    {"e_hpl", "", "E_HPL = Rmax/Rpeak"},
    {"serial_hpl", "", "1-alpha under HPL = (1/E_HPL - 1)/(N - 1)"},
    {"max_gain_hpl", "", "1/(1-alpha) under HPL: the most N can ever buy"},
    {"wall_hpl_tflops", "TFlop/s", "r1/(1-alpha) under HPL: the performance wall"},
    {"dark_hpl_tflops", "TFlop/s", "Rpeak - Rmax = N r1 (1 - E_HPL)"},
    {"e_hpcg", "", "E_HPCG = HPCG/Rpeak"},
    {"serial_hpcg", "", "1-alpha under HPCG = (1/E_HPCG - 1)/(N - 1); single point, mostly "
                        "the node's bytes per flop (E is 1-3% on one node too)"},
    {"max_gain_hpcg", "", "1/(1-alpha) under HPCG"},
    {"wall_hpcg_tflops", "TFlop/s", "r1/(1-alpha) under HPCG"},
    {"dark_hpcg_tflops", "TFlop/s", "Rpeak - HPCG"},
    {"serial_ratio", "", "serial_hpcg / serial_hpl"},
};
const size_t sw_top500_nfields = sizeof sw_top500_fields / sizeof sw_top500_fields[0];

int sw_top500_field_find(const char *name)
{
    for (size_t i = 0; i < sw_top500_nfields; i++)
        if (strcmp(sw_top500_fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

double sw_top500_field_value(const sw_top500_entry *e, int field)
{
    const double v[] = {
        e->rank > 0 ? (double)e->rank : NAN,
        e->cores, e->accel_cores, e->rmax, e->rpeak, e->hpcg, e->power_kw, e->r1,
        e->e_hpl, e->serial_hpl, e->max_gain_hpl, e->wall_hpl, e->dark_hpl,
        e->e_hpcg, e->serial_hpcg, e->max_gain_hpcg, e->wall_hpcg, e->dark_hpcg,
        e->serial_ratio,
    };
    _Static_assert(sizeof v / sizeof v[0] == sizeof sw_top500_fields / sizeof sw_top500_fields[0],
                   "one value per field");
    if (field < 0 || (size_t)field >= sw_top500_nfields)
        return NAN;
    return v[field];
}

/* --- statistics ---------------------------------------------------------- */

static double median_of(double *v, size_t n)
{
    if (!n)
        return NAN;
    gsl_sort(v, 1, n);
    return gsl_stats_median_from_sorted_data(v, 1, n);
}

sw_status sw_top500_stats_compute(const sw_top500_list *l, const size_t *idx, size_t n,
                                  sw_top500_stats *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    out->best_hpl_row = out->best_hpcg_row = SIZE_MAX;
    out->best_serial_hpl = out->best_serial_hpcg = NAN;
    out->min_ratio = out->max_ratio = NAN;
    double *buf = malloc(5 * (n ? n : 1) * sizeof *buf);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    double *hpl = buf, *hpcg = buf + n, *ratio = buf + 2 * n, *ehpl = buf + 3 * n,
           *ehpcg = buf + 4 * n;
    size_t nh = 0, ng = 0, nr = 0, ne = 0, neg = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = idx ? idx[k] : k;
        const sw_top500_entry *e = &l->rows[i];
        out->rows++;
        if (e->flags) {
            out->flagged++;
            continue;
        }
        if (isfinite(e->serial_hpl)) {
            hpl[nh++] = e->serial_hpl;
            if (isnan(out->best_serial_hpl) || e->serial_hpl < out->best_serial_hpl) {
                out->best_serial_hpl = e->serial_hpl;
                out->best_hpl_row = i;
            }
        }
        if (isfinite(e->serial_hpcg)) {
            hpcg[ng++] = e->serial_hpcg;
            if (isnan(out->best_serial_hpcg) || e->serial_hpcg < out->best_serial_hpcg) {
                out->best_serial_hpcg = e->serial_hpcg;
                out->best_hpcg_row = i;
            }
        }
        if (isfinite(e->serial_ratio))
            ratio[nr++] = e->serial_ratio;
        if (isfinite(e->e_hpl))
            ehpl[ne++] = e->e_hpl;
        if (isfinite(e->e_hpcg))
            ehpcg[neg++] = e->e_hpcg;
    }
    out->with_hpcg = nr;
    out->median_serial_hpl = median_of(hpl, nh);
    out->median_serial_hpcg = median_of(hpcg, ng);
    out->median_ratio = median_of(ratio, nr);
    if (nr) {
        out->min_ratio = ratio[0];
        out->max_ratio = ratio[nr - 1];
    }
    out->median_e_hpl = median_of(ehpl, ne);
    out->median_e_hpcg = median_of(ehpcg, neg);
    free(buf);
    return SW_OK;
}
