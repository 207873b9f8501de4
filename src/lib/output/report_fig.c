/* report_fig.c — scalewall's figures, built from observations, a model
 * (through the predictor interface), a plan and TOP500 systems.
 *
 * Each function only assembles a sw_chart; plot.c draws it and writes the
 * numbers, so the data file of a figure is exactly what these functions
 * computed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/report.h"

#define GRID 64

/* Per-N medians of a series as times (a rate r becomes 1/r, so its
 * interval bounds swap). */
static sw_status time_summary(const sw_obs *o, sw_obs_summary **s, size_t *n, sw_error *err)
{
    sw_status st = sw_obs_summarize(o, s, n, err);
    if (st || o->quantity == SW_QTY_TIME)
        return st;
    for (size_t i = 0; i < *n; i++) {
        sw_obs_summary *p = &(*s)[i];
        if (!(p->median > 0))
            continue;
        double lo = p->lo, hi = p->hi;
        p->median = 1 / p->median;
        p->lo = hi > 0 ? 1 / hi : NAN;
        p->hi = lo > 0 ? 1 / lo : NAN;
    }
    return SW_OK;
}

static sw_status new_chart(const char *title, const char *xl, sw_scale xs, const char *yl,
                           sw_scale ys, sw_chart **out, sw_error *err)
{
    *out = sw_chart_new(title);
    if (!*out)
        return sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    sw_status st = sw_chart_axis(*out, 0, xl, xs, NAN, NAN, err);
    if (!st)
        st = sw_chart_axis(*out, 1, yl, ys, NAN, NAN, err);
    if (st) {
        sw_chart_free(*out);
        *out = NULL;
    }
    return st;
}

/* Measured speedup/efficiency: S = T(n0)/T(N) * n0 relative to the smallest
 * measured n0 (n0 = 1 in the usual sweep); the interval from T's.  Points
 * are kept apart by what they are (sw_obs_condition): a point measured on
 * cores of its own, an oversubscribed one, a simulated one. */
typedef struct measured {
    double *n, *v, *lo, *hi;
    int *over;           /* oversubscribed */
    double *load;        /* its busy threads per core */
    sw_obs_summary *sum; /* per point, for the interval's label */
    size_t k;
    double n0;
} measured;

static void measured_free(measured *m)
{
    free(m->n);
    free(m->v);
    free(m->lo);
    free(m->hi);
    free(m->over);
    free(m->load);
    free(m->sum);
}

enum { Q_SPEEDUP, Q_EFFICIENCY, Q_SERIAL };

/* Karp-Flatt from a speedup: (1/S - 1/N)/(1 - 1/N). */
static double karp_flatt(double s, double n)
{
    return (1 / s - 1 / n) / (1 - 1 / n);
}

static double quantity_of(int q, double s, double n)
{
    return q == Q_SPEEDUP ? s : q == Q_EFFICIENCY ? s / n : karp_flatt(s, n);
}

static sw_status measured_points(const sw_obs *o, int q, measured *m, sw_error *err)
{
    memset(m, 0, sizeof *m);
    sw_obs_summary *s;
    size_t ns;
    sw_status st = time_summary(o, &s, &ns, err);
    if (st)
        return st;
    m->n = malloc(ns * sizeof *m->n);
    m->v = malloc(ns * sizeof *m->v);
    m->lo = malloc(ns * sizeof *m->lo);
    m->hi = malloc(ns * sizeof *m->hi);
    m->over = malloc(ns * sizeof *m->over);
    m->load = malloc(ns * sizeof *m->load);
    m->sum = malloc(ns * sizeof *m->sum);
    if (!m->n || !m->v || !m->lo || !m->hi || !m->over || !m->load || !m->sum) {
        free(s);
        measured_free(m);
        return sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    }
    m->n0 = s[0].n;
    double t0 = s[0].median * s[0].n; /* T(1) under perfect scaling up to n0 */
    for (size_t i = 0; i < ns; i++) {
        double n = s[i].n, t = s[i].median;
        if (q == Q_SERIAL && n <= 1)
            continue;
        double sp = t0 / t, slo = isnan(s[i].hi) ? sp : t0 / s[i].hi,
               shi = isnan(s[i].lo) ? sp : t0 / s[i].lo;
        if (i == 0) /* the reference itself: S(n0) = n0 by definition, no bar */
            slo = shi = sp;
        double v = quantity_of(q, sp, n), a = quantity_of(q, slo, n), b = quantity_of(q, shi, n);
        if (!isfinite(v))
            continue;
        sw_obs_cond c;
        sw_obs_condition(o, n, &c);
        m->n[m->k] = n;
        m->v[m->k] = v;
        m->lo[m->k] = fmin(a, b);
        m->hi[m->k] = fmax(a, b);
        m->over[m->k] = c.oversubscribed;
        m->load[m->k] = c.core_load;
        m->sum[m->k] = s[i];
        m->k++;
    }
    free(s);
    return SW_OK;
}

/* The model's curve for quantity q on a log grid [n_from, n_to], its band
 * clipped to what is possible: 0 < S <= min(N, the model's wall), so
 * E <= 1 and 1-alpha >= 0, and S(1) = E(1) = 1 exactly.  `calibrated` is
 * how far the band is drawn: past it the median alone, dashed. */
typedef struct curve {
    double n[GRID], v[GRID], lo[GRID], hi[GRID];
    size_t k;
    size_t k_cal; /* points [0, k_cal) lie where the intervals are calibrated */
    int has_band;
} curve;

static sw_status model_speedup(const sw_predictor *p, const sw_plan_iv *t1, double n,
                               sw_plan_iv *s, sw_error *err)
{
    if (p->speedup)
        return p->speedup(p->ctx, n, s, err);
    sw_plan_iv t;
    sw_status st = p->time(p->ctx, n, 1, &t, err);
    if (st)
        return st;
    /* T(1) taken at its median: the band understates the ratio's spread */
    *s = (sw_plan_iv){t1->median / t.median, t1->median / t.hi, t1->median / t.lo};
    return SW_OK;
}

static sw_status model_curve(const sw_predictor *p, int q, double n_from, double n_to, double wall,
                             curve *c, sw_error *err)
{
    sw_plan_iv t1;
    sw_status st = p->time(p->ctx, 1, 1, &t1, err);
    if (st)
        return st;
    n_to = fmin(n_to, p->units_max);
    double cal = p->reach.n_max * p->reach.calibrated_ratio;
    c->k = c->k_cal = 0;
    c->has_band = 1;
    int wide = 0; /* a band of zero width (a deterministic source) is no band */
    for (size_t i = 0; i < GRID; i++) {
        double n = n_from * pow(n_to / n_from, (double)i / (GRID - 1));
        sw_plan_iv s;
        if ((st = model_speedup(p, &t1, n, &s, err)) != SW_OK)
            return st;
        double cap = fmin(n, isfinite(wall) && wall > 0 ? wall : INFINITY);
        double slo = n == 1 ? 1 : fmin(s.lo, cap), shi = n == 1 ? 1 : fmin(s.hi, cap);
        if (!(slo > 0))
            slo = NAN; /* a bound at or below zero is no bound */
        double a = quantity_of(q, slo, n), b = quantity_of(q, shi, n);
        c->n[c->k] = n;
        c->v[c->k] = quantity_of(q, n == 1 ? 1 : s.median, n);
        c->lo[c->k] = fmin(a, b);
        c->hi[c->k] = fmax(a, b);
        if (q == Q_SERIAL && c->lo[c->k] < 0) /* S <= N: 1-alpha >= 0 */
            c->lo[c->k] = 0;
        if (!isfinite(c->lo[c->k]) || !isfinite(c->hi[c->k]))
            c->has_band = 0;
        if (c->hi[c->k] > c->lo[c->k])
            wide = 1;
        if (isfinite(c->v[c->k])) {
            if (n <= cal * (1 + 1e-9))
                c->k_cal = c->k + 1;
            c->k++;
        }
    }
    c->has_band &= wide;
    return SW_OK;
}

static double max_n(const measured *m)
{
    double x = 1;
    for (size_t i = 0; i < m->k; i++)
        x = fmax(x, m->n[i]);
    return x;
}

static int all_positive(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] > 0))
            return 0;
    return 1;
}

/* The model inside its calibrated range (band and solid line) and past it
 * (the median alone, dashed, named as an extrapolation). */
static sw_status add_model(sw_chart *c, const curve *cv, sw_error *err)
{
    sw_status st = SW_OK;
    size_t kc = cv->k_cal;
    if (kc >= 2 && cv->has_band) {
        st = sw_chart_band(c, "model interval (where calibrated)", cv->n, cv->lo, cv->hi, kc,
                           err);
        if (!st)
            sw_chart_no_range(c); /* the axes follow the data, not the band */
    }
    if (!st && kc >= 2)
        st = sw_chart_line(c, "model (fitted)", cv->n, cv->v, kc, 0, err);
    if (!st && cv->k > kc && cv->k >= 2) {
        size_t from = kc ? kc - 1 : 0; /* joined to the solid part */
        if (kc >= 2)
            sw_chart_reuse_colour(c);
        st = sw_chart_line(c, "model extrapolated: beyond what the data supports",
                           cv->n + from, cv->v + from, cv->k - from, 1, err);
    }
    return st;
}

/* The points in up to two series: on cores of their own, and
 * oversubscribed; each named as what it is (measured or simulated) with
 * the interval it really has (sw_obs_interval_label). */
static sw_status measured_series(sw_chart *c, const sw_obs *o, const measured *m, sw_error *err)
{
    sw_status st = SW_OK;
    for (int over = 0; over <= 1 && !st; over++) {
        double *x = malloc((m->k + 1) * 4 * sizeof *x);
        sw_obs_summary *sum = malloc((m->k + 1) * sizeof *sum);
        if (!x || !sum) {
            free(x);
            free(sum);
            return sw_error_set(err, SW_ENOMEM, "figure: out of memory");
        }
        double *y = x + m->k + 1, *lo = y + m->k + 1, *hi = lo + m->k + 1, load = 0;
        size_t k = 0;
        for (size_t i = 0; i < m->k; i++)
            if (m->over[i] == over) {
                x[k] = m->n[i], y[k] = m->v[i], lo[k] = m->lo[i], hi[k] = m->hi[i];
                sum[k++] = m->sum[i];
                load = fmax(load, m->load[i]);
            }
        if (k) {
            char iv[200], name[320];
            sw_obs_interval_label(sum, k, iv, sizeof iv);
            /* no commas in a series name: the data file stays easy to cut */
            if (over)
                snprintf(name, sizeof name, "%s oversubscribed (up to %.3g per core): median "
                                            "and %s",
                         o->simulated ? "simulated" : "measured", load, iv);
            else
                snprintf(name, sizeof name, "%s: median and %s",
                         o->simulated ? "simulated" : "measured", iv);
            st = sw_chart_points(c, name, x, y, lo, hi, k, err);
        }
        free(x);
        free(sum);
    }
    return st;
}

/* The reference a point is read against: S = N, E = 1, or the line
 * 1-alpha = 1 above which the run is slower than on one unit. */
static sw_status ideal(sw_chart *c, int q, double n_to, sw_error *err)
{
    if (q == Q_SPEEDUP) {
        double x[] = {1, n_to};
        sw_status st = sw_chart_line(c, "ideal S = N", x, x, 2, 1, err);
        if (!st)
            sw_chart_no_range(c);
        return st;
    }
    if (q == Q_EFFICIENCY)
        return sw_chart_hline(c, "ideal E = 1", 1, err);
    sw_status st = sw_chart_hline(c, "1-\u03b1 = 1: slower than one unit above it", 1, err);
    if (!st)
        sw_chart_no_range(c);
    return st;
}

static sw_status fig_common(const sw_obs *o, const sw_predictor *model, double n_to, int q,
                            sw_chart **out, sw_error *err)
{
    static const char *titles[] = {"Speedup against N", "Efficiency against N",
                                   "Serial share 1-\u03b1_eff(N) (Karp-Flatt)"};
    static const char *ylabels[] = {"speedup S = T(1)/T(N)", "efficiency E = S/N",
                                    "1-\u03b1_eff = (1/S - 1/N)/(1 - 1/N)"};
    measured m;
    sw_status st = measured_points(o, q, &m, err);
    if (st)
        return st;
    if (!(n_to > 0))
        n_to = 64 * max_n(&m);
    curve *cv = calloc(1, sizeof *cv);
    if (!cv) {
        measured_free(&m);
        return sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    }
    sw_plan_iv wall = {NAN, NAN, NAN}, nopt;
    if (model)
        st = sw_predictor_answers(model, 1, &wall, &nopt, err);
    if (!st && model)
        st = model_curve(model, q, q == Q_SERIAL ? 2 : 1, n_to, wall.median, cv, err);
    sw_scale ys = q == Q_EFFICIENCY ? SW_SCALE_LINEAR : SW_SCALE_LOG;
    /* negative 1-alpha (superlinear points, or an interval reaching below
     * ideal) is shown on a linear axis, not hidden */
    if (!all_positive(m.lo, m.k) || !all_positive(m.v, m.k) || !all_positive(cv->v, cv->k) ||
        (cv->has_band && !all_positive(cv->lo, cv->k_cal)))
        ys = SW_SCALE_LINEAR;
    char xl[96];
    snprintf(xl, sizeof xl, "N (processing units%s)", o->simulated ? ", simulated" : "");
    if (!st)
        st = new_chart(titles[q], xl, SW_SCALE_LOG, ylabels[q], ys, out, err);
    /* a margin left of the first N, so its point is not cut by the frame */
    double n_lo = m.k ? m.n[0] : 1;
    if (!st)
        st = sw_chart_axis(*out, 0, xl, SW_SCALE_LOG, n_lo / 1.25, NAN, err);
    if (!st)
        st = ideal(*out, q, fmax(n_to, max_n(&m)), err);
    if (!st && model)
        st = add_model(*out, cv, err);
    double ytop = 0; /* what the data and the model's own curve reach */
    for (size_t i = 0; i < m.k; i++)
        ytop = fmax(ytop, m.hi[i]);
    for (size_t i = 0; i < cv->k; i++)
        ytop = fmax(ytop, cv->v[i]);
    free(cv);
    if (!st)
        st = measured_series(*out, o, &m, err);
    if (!st && q == Q_SPEEDUP && model && isfinite(wall.median)) {
        char name[96];
        if (wall.median <= 1 + 1e-3)
            snprintf(name, sizeof name, "model's wall: no speedup over one unit");
        else
            snprintf(name, sizeof name, "model's wall: %.3g\u00d7 speedup", wall.median);
        st = sw_chart_hline(*out, name, wall.median, err);
        if (!st && wall.median > 10 * ytop) /* far above: drawn if in view, not scaled to */
            sw_chart_no_range(*out);
    }
    if (!st)
        sw_chart_legend(*out, SW_LEGEND_BELOW);
    measured_free(&m);
    if (st) {
        sw_chart_free(*out);
        *out = NULL;
    }
    return st;
}

sw_status sw_fig_speedup(const sw_obs *o, const sw_predictor *model, double n_to,
                         sw_chart **out, sw_error *err)
{
    return fig_common(o, model, n_to, Q_SPEEDUP, out, err);
}

sw_status sw_fig_efficiency(const sw_obs *o, const sw_predictor *model, double n_to,
                            sw_chart **out, sw_error *err)
{
    return fig_common(o, model, n_to, Q_EFFICIENCY, out, err);
}

sw_status sw_fig_serial(const sw_obs *o, const sw_predictor *model, double n_to, sw_chart **out,
                        sw_error *err)
{
    return fig_common(o, model, n_to, Q_SERIAL, out, err);
}

/* ---- the time breakdown ---- */

static const char *const parts[] = {"compute_s", "comm_s", "wait_s", "bubble_s", "grid_s"};
static const char *const part_names[] = {"payload compute", "communication",
                                         "waiting (stragglers)", "pipeline bubble",
                                         "time-grid loss"};
enum { NPARTS = 5 };

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of extra column `col` over the ok points at N = n. */
static double extra_median(const sw_obs *o, int col, double n, double *tmp)
{
    size_t k = 0;
    for (size_t i = 0; i < o->npts; i++)
        if (o->pts[i].ok && o->pts[i].n == n && isfinite(o->pts[i].extra[col]))
            tmp[k++] = o->pts[i].extra[col];
    if (k == 0)
        return 0;
    qsort(tmp, k, sizeof *tmp, cmp_d);
    return k % 2 ? tmp[k / 2] : (tmp[k / 2 - 1] + tmp[k / 2]) / 2;
}

sw_status sw_fig_breakdown(const sw_obs *sim, sw_chart **out, sw_error *err)
{
    *out = NULL;
    int cols[NPARTS], any = 0;
    for (int j = 0; j < NPARTS; j++) {
        cols[j] = sw_obs_find_extra(sim, parts[j]);
        any |= cols[j] >= 0;
    }
    if (!any)
        return sw_error_set(err, SW_EINVAL,
                            "series '%s' has no time breakdown (compute_s, comm_s, ...)",
                            sim->workload);
    double *ns = malloc((sim->npts + 1) * sizeof *ns), *tmp = malloc((sim->npts + 1) * sizeof *tmp),
           *y = malloc((sim->npts + 1) * sizeof *y);
    size_t k = 0;
    sw_status st = SW_OK;
    if (!ns || !tmp || !y)
        st = sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    for (size_t i = 0; !st && i < sim->npts; i++)
        if (sim->pts[i].ok)
            ns[k++] = sim->pts[i].n;
    if (!st && k == 0)
        st = sw_error_set(err, SW_EINVAL, "series '%s' has no usable points", sim->workload);
    size_t d = 0;
    if (!st) {
        qsort(ns, k, sizeof *ns, cmp_d);
        for (size_t i = 0; i < k; i++)
            if (d == 0 || ns[i] != ns[d - 1])
                ns[d++] = ns[i];
        st = new_chart("Where a simulated step's time goes", "N (processing units, simulated)",
                       SW_SCALE_LOG, "time per step (s)", SW_SCALE_LINEAR, out, err);
        if (!st) /* read each bar's N off the axis */
            st = sw_chart_ticks(*out, 0, ns, d, err);
    }
    for (int j = 0; !st && j < NPARTS; j++) {
        if (cols[j] < 0)
            continue;
        for (size_t i = 0; i < d; i++)
            y[i] = extra_median(sim, cols[j], ns[i], tmp);
        st = sw_chart_stack(*out, part_names[j], ns, y, d, err);
    }
    if (!st)
        sw_chart_legend(*out, SW_LEGEND_BELOW);
    free(ns);
    free(tmp);
    free(y);
    if (st) {
        sw_chart_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- the efficiency map ---- */

enum { MAP_NX = 120, MAP_NY = 100 };

static sw_status map_systems(sw_chart *c, const sw_map_system *sys, size_t nsys, int hpcg,
                             sw_error *err)
{
    double *x = malloc((nsys + 1) * sizeof *x), *y = malloc((nsys + 1) * sizeof *y);
    const char **lab = malloc((nsys + 1) * sizeof *lab);
    size_t k = 0;
    if (!x || !y || !lab) {
        free(x);
        free(y);
        free(lab);
        return sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    }
    for (size_t i = 0; i < nsys; i++) {
        double s = hpcg ? sys[i].serial_hpcg : sys[i].serial_hpl;
        if (!(s > 0) || !(sys[i].n >= 1) || !isfinite(s))
            continue;
        x[k] = sys[i].n;
        y[k] = s;
        lab[k++] = sys[i].name;
    }
    sw_status st = SW_OK;
    if (k)
        st = sw_chart_labelled(c, hpcg ? "TOP500 systems under HPCG" : "TOP500 systems under HPL",
                               x, y, lab, k, err);
    free(x);
    free(y);
    free(lab);
    return st;
}

sw_status sw_fig_map(const sw_map_system *sys, size_t nsys, const char *extra_name,
                     double extra_n, double extra_serial, sw_chart **out, sw_error *err)
{
    double *xs = malloc(MAP_NX * sizeof *xs), *ys = malloc(MAP_NY * sizeof *ys),
           *z = malloc(MAP_NX * MAP_NY * sizeof *z);
    sw_status st = SW_OK;
    *out = NULL;
    if (!xs || !ys || !z)
        st = sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    /* N over 1..1e9 cores, 1-alpha over 1e-10..1 */
    for (int i = 0; !st && i < MAP_NX; i++)
        xs[i] = pow(10, 9.0 * i / (MAP_NX - 1));
    for (int j = 0; !st && j < MAP_NY; j++)
        ys[j] = pow(10, -10 + 10.0 * j / (MAP_NY - 1));
    for (int j = 0; !st && j < MAP_NY; j++)
        for (int i = 0; i < MAP_NX; i++)
            z[j * MAP_NX + i] = 1 / (xs[i] * ys[j] + 1 - ys[j]);
    if (!st)
        st = new_chart("Efficiency map E = 1/(N(1-\u03b1) + \u03b1)", "N (processing units)",
                       SW_SCALE_LOG, "1-\u03b1 (serial share)", SW_SCALE_LOG, out, err);
    if (!st)
        st = sw_chart_heatmap(*out, "E", xs, MAP_NX, ys, MAP_NY, z, "efficiency E", SW_SCALE_LOG,
                              err);
    if (!st && nsys)
        st = map_systems(*out, sys, nsys, 0, err);
    if (!st && nsys)
        st = map_systems(*out, sys, nsys, 1, err);
    if (!st && extra_serial > 0 && extra_n >= 1) {
        const char *lab[] = {extra_name ? extra_name : "this workload"};
        st = sw_chart_labelled(*out, lab[0], &extra_n, &extra_serial, lab, 1, err);
    }
    if (!st) /* the map fills the frame: anything inside would cover it */
        sw_chart_legend(*out, SW_LEGEND_BELOW);
    free(xs);
    free(ys);
    free(z);
    if (st) {
        sw_chart_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- plan options ---- */

static sw_status plan_option(sw_chart *c, const sw_plan *pl, size_t o, sw_error *err)
{
    /* Sized by the rows of this option, not by the node list: a plan read
     * from a file is checked by its reader, and this code does not rely on it. */
    size_t nn = 0, k = 0;
    for (size_t i = 0; i < pl->nrows; i++)
        nn += pl->rows[i].option == o;
    double *x = malloc((nn + 1) * sizeof *x), *y = malloc((nn + 1) * sizeof *y);
    char (*lab)[32] = malloc((nn + 1) * sizeof *lab);
    const char **lp = malloc((nn + 1) * sizeof *lp);
    sw_status st = SW_OK;
    if (!x || !y || !lab || !lp)
        st = sw_error_set(err, SW_ENOMEM, "figure: out of memory");
    for (size_t i = 0; !st && i < pl->nrows; i++) {
        const sw_plan_row *r = &pl->rows[i];
        /* only what the trust gate lets through is priced, in pictures too */
        if (r->option != o || !(r->cost.median > 0) || !r->trust.within)
            continue;
        x[k] = r->time_s.median / 3600;
        y[k] = r->cost.median;
        snprintf(lab[k], sizeof lab[k], "%g", r->nodes);
        lp[k] = lab[k];
        k++;
    }
    if (!st && k > 1)
        st = sw_chart_line(c, NULL, x, y, k, 0, err);
    if (!st && k) {
        sw_chart_reuse_colour(c);
        st = sw_chart_labelled(c, pl->prices.opt[o].name, x, y, lp, k, err);
    }
    const sw_plan_answer *kn = &pl->knee[o];
    if (!st && kn->found && kn->row < pl->nrows && pl->rows[kn->row].cost.median > 0 &&
        pl->rows[kn->row].trust.within) {
        char ml[64];
        snprintf(ml, sizeof ml, "knee: %g node%s", pl->rows[kn->row].nodes,
                 pl->rows[kn->row].nodes == 1 ? "" : "s");
        st = sw_chart_mark(c, ml, pl->rows[kn->row].time_s.median / 3600,
                           pl->rows[kn->row].cost.median, err);
    }
    free(x);
    free(y);
    free(lab);
    free(lp);
    return st;
}

sw_status sw_fig_plan(const sw_plan *pl, sw_chart **out, sw_error *err)
{
    size_t within = 0;
    for (size_t i = 0; i < pl->nrows; i++)
        within += pl->rows[i].trust.within != 0;
    *out = NULL;
    if (!within)
        return sw_error_set(err, SW_EINVAL, "no option of the plan is within what the data "
                                            "supports, so none is drawn with a price");
    char yl[64];
    snprintf(yl, sizeof yl, "cost of the job (%s)", pl->prices.currency);
    sw_status st = new_chart("Plan options: time against cost (points: nodes)",
                             "time to finish the work (hours)", SW_SCALE_LOG, yl, SW_SCALE_LOG,
                             out, err);
    for (size_t o = 0; !st && o < pl->prices.n; o++)
        st = plan_option(*out, pl, o, err);
    const char *ex = pl->req.work.example ? "example " : "";
    char nm[64];
    if (!st && isfinite(pl->req.budget) && pl->req.budget > 0) {
        snprintf(nm, sizeof nm, "%sbudget", ex);
        st = sw_chart_hline(*out, nm, pl->req.budget, err);
    }
    if (!st && isfinite(pl->req.deadline_s) && pl->req.deadline_s > 0) {
        snprintf(nm, sizeof nm, "%sdeadline", ex);
        st = sw_chart_vline(*out, nm, pl->req.deadline_s / 3600, err);
    }
    if (!st)
        sw_chart_legend(*out, SW_LEGEND_BELOW);
    if (st) {
        sw_chart_free(*out);
        *out = NULL;
    }
    return st;
}
