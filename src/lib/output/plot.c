/* plot.c — building a chart, its ranges and ticks, its data file.
 *
 * Drawing is in plot_draw.c and saving a picture in plot_save.c; this half
 * holds everything that is numbers, so the data file and the picture come
 * from the same ranges and values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_impl.h"
#include "scalewall/io.h"

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

sw_chart *sw_chart_new(const char *title)
{
    sw_chart *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->title = strdup(title ? title : "");
    if (!c->title) {
        free(c);
        return NULL;
    }
    for (int a = 0; a < 2; a++) {
        c->axis[a].lo = NAN;
        c->axis[a].hi = NAN;
    }
    return c;
}

static void series_free(plot_series *s)
{
    free(s->name);
    free(s->x);
    free(s->y);
    free(s->lo);
    free(s->hi);
    if (s->labels) {
        size_t nl = s->kind == PK_MARK ? 1 : s->n;
        for (size_t i = 0; i < nl; i++)
            free(s->labels[i]);
        free(s->labels);
    }
    free(s->z);
    free(s->zlabel);
}

void sw_chart_free(sw_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ns; i++)
        series_free(&c->s[i]);
    free(c->s);
    free(c->title);
    free(c->ticks[0]);
    free(c->ticks[1]);
    for (int a = 0; a < 2; a++)
        free(c->axis[a].label);
    free(c);
}

sw_status sw_chart_axis(sw_chart *c, int axis, const char *label, sw_scale scale, double lo,
                        double hi, sw_error *err)
{
    if (axis < 0 || axis > 1)
        return sw_error_set(err, SW_EINVAL, "chart axis must be 0 (x) or 1 (y)");
    if (!isnan(lo) && !isnan(hi) && !(lo < hi))
        return sw_error_set(err, SW_EINVAL, "chart '%s': axis range %g..%g is empty", c->title,
                            lo, hi);
    if (scale == SW_SCALE_LOG && ((!isnan(lo) && lo <= 0) || (!isnan(hi) && hi <= 0)))
        return sw_error_set(err, SW_EDOM, "chart '%s': a log axis needs a positive range",
                            c->title);
    char *l = dup_or_null(label);
    if (label && !l)
        return sw_error_set(err, SW_ENOMEM, "chart: out of memory");
    free(c->axis[axis].label);
    c->axis[axis] = (plot_axis){l, scale, lo, hi};
    return SW_OK;
}

void sw_chart_legend(sw_chart *c, sw_legend_pos pos)
{
    c->legend = pos;
}

void sw_chart_reuse_colour(sw_chart *c)
{
    if (c->next_colour > 0)
        c->next_colour--;
}

static sw_status check_finite(const sw_chart *c, const char *name, const char *what,
                              const double *v, size_t n, sw_error *err)
{
    for (size_t i = 0; v && i < n; i++)
        if (!isfinite(v[i]))
            return sw_error_set(err, SW_EDOM, "chart '%s': series '%s': %s[%zu] is not finite",
                                c->title, name ? name : "", what, i);
    return SW_OK;
}

static double *copy_array(const double *v, size_t n, int *oom)
{
    if (!v)
        return NULL;
    double *p = malloc(n * sizeof *p);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    memcpy(p, v, n * sizeof *p);
    return p;
}

/* Appends a series with copies of the arrays; the caller has validated. */
static plot_series *add_series(sw_chart *c, plot_kind kind, const char *name, const double *x,
                               const double *y, const double *lo, const double *hi, size_t n,
                               sw_error *err)
{
    if (c->ns == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        plot_series *p = realloc(c->s, cap * sizeof *p);
        if (!p) {
            sw_error_set(err, SW_ENOMEM, "chart: out of memory");
            return NULL;
        }
        c->s = p;
        c->cap = cap;
    }
    plot_series *s = &c->s[c->ns];
    memset(s, 0, sizeof *s);
    int oom = 0;
    s->kind = kind;
    s->n = n;
    s->name = dup_or_null(name);
    oom |= name && !s->name;
    s->x = copy_array(x, n, &oom);
    s->y = copy_array(y, n, &oom);
    s->lo = copy_array(lo, n, &oom);
    s->hi = copy_array(hi, n, &oom);
    if (oom) {
        series_free(s);
        sw_error_set(err, SW_ENOMEM, "chart: out of memory");
        return NULL;
    }
    /* A band borrows the colour of the series that follows it. */
    s->colour = c->next_colour;
    if (kind != PK_BAND && kind != PK_MARK && kind != PK_HEAT)
        c->next_colour++;
    c->ns++;
    return s;
}

static sw_status check_xy(const sw_chart *c, const char *name, const double *x, const double *y,
                          size_t n, sw_error *err)
{
    if (n == 0 || !x || !y)
        return sw_error_set(err, SW_EINVAL, "chart '%s': series '%s' has no points", c->title,
                            name ? name : "");
    sw_status st = check_finite(c, name, "x", x, n, err);
    return st ? st : check_finite(c, name, "y", y, n, err);
}

sw_status sw_chart_points(sw_chart *c, const char *name, const double *x, const double *y,
                          const double *lo, const double *hi, size_t n, sw_error *err)
{
    sw_status st = check_xy(c, name, x, y, n, err);
    if (!st)
        st = check_finite(c, name, "lo", lo, n, err);
    if (!st)
        st = check_finite(c, name, "hi", hi, n, err);
    if (!st && (!lo) != (!hi))
        st = sw_error_set(err, SW_EINVAL, "chart '%s': error bars need both lo and hi",
                          c->title);
    if (st)
        return st;
    return add_series(c, PK_POINTS, name, x, y, lo, hi, n, err) ? SW_OK : err->status;
}

sw_status sw_chart_labelled(sw_chart *c, const char *name, const double *x, const double *y,
                            const char *const *labels, size_t n, sw_error *err)
{
    sw_status st = check_xy(c, name, x, y, n, err);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_LABELLED, name, x, y, NULL, NULL, n, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    s->kind = PK_POINTS; /* until labels are in, free as plain points */
    s->labels = calloc(n, sizeof *s->labels);
    int oom = !s->labels;
    for (size_t i = 0; !oom && i < n; i++) {
        s->labels[i] = strdup(labels && labels[i] ? labels[i] : "");
        oom = !s->labels[i];
    }
    if (oom) {
        c->ns--;
        series_free(s);
        return sw_error_set(err, SW_ENOMEM, "chart: out of memory");
    }
    s->kind = PK_LABELLED;
    return SW_OK;
}

sw_status sw_chart_line(sw_chart *c, const char *name, const double *x, const double *y,
                        size_t n, int dashed, sw_error *err)
{
    sw_status st = check_xy(c, name, x, y, n, err);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_LINE, name, x, y, NULL, NULL, n, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    s->dashed = dashed;
    return SW_OK;
}

sw_status sw_chart_band(sw_chart *c, const char *name, const double *x, const double *lo,
                        const double *hi, size_t n, sw_error *err)
{
    sw_status st = check_xy(c, name, x, lo, n, err);
    if (!st)
        st = check_finite(c, name, "hi", hi, n, err);
    if (!st && !hi)
        st = sw_error_set(err, SW_EINVAL, "chart '%s': band '%s' needs hi", c->title,
                          name ? name : "");
    if (st)
        return st;
    return add_series(c, PK_BAND, name, x, NULL, lo, hi, n, err) ? SW_OK : err->status;
}

sw_status sw_chart_hline(sw_chart *c, const char *name, double y, sw_error *err)
{
    sw_status st = check_finite(c, name, "y", &y, 1, err);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_HLINE, name, NULL, &y, NULL, NULL, 1, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    s->dashed = 1;
    return SW_OK;
}

sw_status sw_chart_vline(sw_chart *c, const char *name, double x, sw_error *err)
{
    sw_status st = check_finite(c, name, "x", &x, 1, err);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_VLINE, name, &x, NULL, NULL, NULL, 1, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    s->dashed = 1;
    return SW_OK;
}

void sw_chart_no_range(sw_chart *c)
{
    if (c->ns)
        c->s[c->ns - 1].no_range = 1;
}

sw_status sw_chart_ticks(sw_chart *c, int axis, const double *v, size_t n, sw_error *err)
{
    if (axis < 0 || axis > 1 || n == 0)
        return sw_error_set(err, SW_EINVAL, "chart '%s': ticks need an axis and values",
                            c->title);
    sw_status st = check_finite(c, "ticks", "tick", v, n, err);
    if (st)
        return st;
    double *p = malloc(n * sizeof *p);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "chart: out of memory");
    memcpy(p, v, n * sizeof *p);
    free(c->ticks[axis]);
    c->ticks[axis] = p;
    c->nticks[axis] = n;
    return SW_OK;
}

sw_status sw_chart_mark(sw_chart *c, const char *label, double x, double y, sw_error *err)
{
    sw_status st = check_xy(c, label, &x, &y, 1, err);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_MARK, NULL, &x, &y, NULL, NULL, 1, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    s->labels = calloc(1, sizeof *s->labels);
    if (s->labels)
        s->labels[0] = strdup(label ? label : "");
    if (!s->labels || !s->labels[0]) {
        c->ns--;
        series_free(s);
        return sw_error_set(err, SW_ENOMEM, "chart: out of memory");
    }
    return SW_OK;
}

sw_status sw_chart_stack(sw_chart *c, const char *name, const double *x, const double *y,
                         size_t n, sw_error *err)
{
    sw_status st = check_xy(c, name, x, y, n, err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0)
            return sw_error_set(err, SW_EDOM, "chart '%s': stack '%s': y[%zu] = %g is negative",
                                c->title, name ? name : "", i, y[i]);
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *o = &c->s[k];
        if (o->kind != PK_STACK)
            continue;
        if (o->n != n || memcmp(o->x, x, n * sizeof *x) != 0)
            return sw_error_set(err, SW_EINVAL,
                                "chart '%s': stack '%s' has other x values than '%s'", c->title,
                                name ? name : "", o->name ? o->name : "");
        break;
    }
    return add_series(c, PK_STACK, name, x, y, NULL, NULL, n, err) ? SW_OK : err->status;
}

static sw_status check_ascending(const sw_chart *c, const double *v, size_t n, sw_error *err)
{
    for (size_t i = 1; i < n; i++)
        if (!(v[i] > v[i - 1]))
            return sw_error_set(err, SW_EINVAL, "chart '%s': heat map centres must ascend",
                                c->title);
    return SW_OK;
}

sw_status sw_chart_heatmap(sw_chart *c, const char *name, const double *xs, size_t nx,
                           const double *ys, size_t ny, const double *z, const char *zlabel,
                           sw_scale zscale, sw_error *err)
{
    for (size_t k = 0; k < c->ns; k++)
        if (c->s[k].kind == PK_HEAT)
            return sw_error_set(err, SW_EINVAL, "chart '%s': only one heat map per chart",
                                c->title);
    if (nx < 2 || ny < 2 || !z)
        return sw_error_set(err, SW_EINVAL, "chart '%s': a heat map needs at least 2x2 cells",
                            c->title);
    sw_status st = check_finite(c, name, "x", xs, nx, err);
    if (!st)
        st = check_finite(c, name, "y", ys, ny, err);
    if (!st)
        st = check_finite(c, name, "z", z, nx * ny, err);
    if (!st)
        st = check_ascending(c, xs, nx, err);
    if (!st)
        st = check_ascending(c, ys, ny, err);
    for (size_t i = 0; !st && zscale == SW_SCALE_LOG && i < nx * ny; i++)
        if (z[i] <= 0)
            st = sw_error_set(err, SW_EDOM, "chart '%s': log colour scale needs z > 0",
                              c->title);
    if (st)
        return st;
    plot_series *s = add_series(c, PK_HEAT, name, xs, NULL, NULL, NULL, nx, err);
    if (!s)
        return err ? err->status : SW_ENOMEM;
    int oom = 0;
    s->y = copy_array(ys, ny, &oom);
    s->z = copy_array(z, nx * ny, &oom);
    s->zlabel = dup_or_null(zlabel);
    oom |= zlabel && !s->zlabel;
    if (oom) {
        c->ns--;
        series_free(s);
        return sw_error_set(err, SW_ENOMEM, "chart: out of memory");
    }
    s->ny = ny;
    s->zscale = zscale;
    return SW_OK;
}

/* ---- ranges and ticks ------------------------------------------------ */

static double nice_num(double x, int round_it)
{
    double e = floor(log10(x)), f = x / pow(10, e), nf;
    if (round_it)
        nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    else
        nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nf * pow(10, e);
}

static double linear_step(double lo, double hi)
{
    return nice_num(nice_num(hi - lo, 0) / 5, 1);
}

void sw_plot_nice_range(double lo, double hi, sw_scale scale, double *out_lo, double *out_hi)
{
    if (scale == SW_SCALE_LOG) {
        double a = floor(log10(lo) + 1e-9), b = ceil(log10(hi) - 1e-9);
        if (b <= a)
            b = a + 1;
        *out_lo = pow(10, a);
        *out_hi = pow(10, b);
        if (b - a <= 2) { /* a short span: stop at 1, 2 or 5 times a decade */
            static const double m[] = {1, 2, 5, 10};
            for (int i = 2; i >= 0; i--)
                if (m[i] * *out_lo <= lo * (1 + 1e-9)) {
                    *out_lo *= m[i];
                    break;
                }
            for (int i = 0; i < 3; i++)
                if (m[i] * pow(10, b - 1) >= hi * (1 - 1e-9)) {
                    *out_hi = m[i] * pow(10, b - 1);
                    break;
                }
        }
        return;
    }
    if (hi <= lo) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    }
    double step = linear_step(lo, hi);
    *out_lo = floor(lo / step + 1e-9) * step;
    *out_hi = ceil(hi / step - 1e-9) * step;
}

static size_t push_tick(double *t, size_t n, size_t max, double v)
{
    if (n < max)
        t[n++] = v;
    return n;
}

size_t sw_plot_ticks(double lo, double hi, sw_scale scale, double *ticks, size_t max)
{
    size_t n = 0;
    if (!(hi > lo) || max == 0)
        return 0;
    if (scale == SW_SCALE_LOG && lo > 0) {
        int a = (int)ceil(log10(lo) - 1e-9), b = (int)floor(log10(hi) + 1e-9);
        int ndec = b - a + 1;
        if (ndec >= 2) {
            int stride = (ndec + 7) / 8;
            for (int d = a; d <= b; d++)
                if ((d - a) % stride == 0)
                    n = push_tick(ticks, n, max, pow(10, d));
            if (ndec <= 3) { /* a short span: 2 and 5 between decades too */
                size_t m = n;
                for (int d = a - 1; d <= b; d++)
                    for (int k = 2; k <= 5; k += 3) {
                        double v = k * pow(10, d);
                        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                            m = push_tick(ticks, m, max, v);
                    }
                n = m;
                /* keep them ascending */
                for (size_t i = 1; i < n; i++)
                    for (size_t j = i; j > 0 && ticks[j - 1] > ticks[j]; j--) {
                        double t = ticks[j];
                        ticks[j] = ticks[j - 1];
                        ticks[j - 1] = t;
                    }
            }
            return n;
        }
        /* less than a decade: fall through to linear ticks */
    }
    double step = linear_step(lo, hi);
    for (double k = ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
        double v = k * step;
        if (fabs(v) < step * 1e-9)
            v = 0;
        n = push_tick(ticks, n, max, v);
    }
    return n;
}

double plot_stack_base(const sw_chart *c, size_t layer, size_t i)
{
    double base = 0;
    for (size_t k = 0; k < layer; k++)
        if (c->s[k].kind == PK_STACK)
            base += c->s[k].y[i];
    return base;
}

/* Heat map cell edges along one axis, in data units: midpoints between
 * centres in the axis's own (linear or log) space. */
static double heat_edge(const double *v, size_t n, size_t i, int log_space)
{
    double a, b;
    if (i == 0) {
        a = v[0];
        b = v[1];
    } else if (i >= n) {
        a = v[n - 1];
        b = v[n - 2];
    } else {
        a = v[i - 1];
        b = v[i];
        return log_space ? sqrt(a * b) : (a + b) / 2;
    }
    return log_space ? a * sqrt(a / b) : a - (b - a) / 2;
}

static void widen(double v, double *lo, double *hi, int *any)
{
    if (!*any || v < *lo)
        *lo = v;
    if (!*any || v > *hi)
        *hi = v;
    *any = 1;
}

/* Bars are drawn 0.7 of the closest spacing wide: leave room for the
 * outer halves. */
static void stack_x_extent(const plot_series *s, int log_space, double *lo, double *hi,
                           int *any)
{
    double gap = INFINITY, t0 = 0, t1 = 0;
    for (size_t i = 0; i < s->n; i++) {
        double t = log_space ? log10(s->x[i]) : s->x[i];
        if (i == 0 || t < t0)
            t0 = t;
        if (i == 0 || t > t1)
            t1 = t;
        if (i > 0) {
            double g = fabs(t - (log_space ? log10(s->x[i - 1]) : s->x[i - 1]));
            if (g > 0 && g < gap)
                gap = g;
        }
    }
    if (!isfinite(gap))
        gap = log_space ? 0.5 : fabs(t0) > 0 ? fabs(t0) : 1;
    t0 -= gap / 2;
    t1 += gap / 2;
    widen(log_space ? pow(10, t0) : t0, lo, hi, any);
    widen(log_space ? pow(10, t1) : t1, lo, hi, any);
}

/* Data extent of one series along an axis. */
static void series_extent(const sw_chart *c, size_t k, int axis, double *lo, double *hi,
                          int *any)
{
    const plot_series *s = &c->s[k];
    int log_space = c->axis[axis].scale == SW_SCALE_LOG;
    switch (s->kind) {
    case PK_HEAT: {
        const double *v = axis ? s->y : s->x;
        size_t n = axis ? s->ny : s->n;
        widen(heat_edge(v, n, 0, log_space), lo, hi, any);
        widen(heat_edge(v, n, n, log_space), lo, hi, any);
        return;
    }
    case PK_HLINE:
        if (axis == 1)
            widen(s->y[0], lo, hi, any);
        return;
    case PK_VLINE:
        if (axis == 0)
            widen(s->x[0], lo, hi, any);
        return;
    case PK_STACK:
        if (axis == 0)
            stack_x_extent(s, log_space, lo, hi, any);
        for (size_t i = 0; axis == 1 && i < s->n; i++) {
            {
                double b = plot_stack_base(c, k, i);
                if (!log_space || b > 0)
                    widen(b, lo, hi, any);
                widen(b + s->y[i], lo, hi, any);
            }
        }
        return;
    default:
        for (size_t i = 0; i < s->n; i++) {
            if (axis == 0) {
                widen(s->x[i], lo, hi, any);
                continue;
            }
            if (s->y)
                widen(s->y[i], lo, hi, any);
            if (s->lo)
                widen(s->lo[i], lo, hi, any);
            if (s->hi)
                widen(s->hi[i], lo, hi, any);
        }
    }
}

static int has_kind(const sw_chart *c, plot_kind kind)
{
    for (size_t k = 0; k < c->ns; k++)
        if (c->s[k].kind == kind)
            return 1;
    return 0;
}

sw_status plot_axis_range(const sw_chart *c, int axis, double *lo, double *hi, sw_error *err)
{
    const plot_axis *ax = &c->axis[axis];
    double dlo = 0, dhi = 1;
    int any = 0, heat = has_kind(c, PK_HEAT);
    for (size_t k = 0; k < c->ns; k++) {
        if (heat && c->s[k].kind != PK_HEAT)
            continue; /* the map fixes the frame; points outside are clipped */
        if (c->s[k].no_range)
            continue;
        series_extent(c, k, axis, &dlo, &dhi, &any);
    }
    if (ax->scale == SW_SCALE_LOG && any && dlo <= 0)
        return sw_error_set(err, SW_EDOM, "chart '%s': %s axis is log but the data reach %g",
                            c->title, axis ? "y" : "x", dlo);
    if (!any) {
        dlo = 1;
        dhi = 10;
    }
    int exact = heat || (axis == 0 && has_kind(c, PK_STACK));
    if (exact) { /* a map's edges, or bars' outer halves: no nice rounding */
        *lo = dlo;
        *hi = dhi;
    } else {
        sw_plot_nice_range(dlo, dhi, ax->scale, lo, hi);
    }
    if (!isnan(ax->lo))
        *lo = ax->lo;
    if (!isnan(ax->hi))
        *hi = ax->hi;
    if (!(*lo < *hi))
        return sw_error_set(err, SW_EINVAL, "chart '%s': %s range %g..%g is empty", c->title,
                            axis ? "y" : "x", *lo, *hi);
    return SW_OK;
}

/* ---- the data file --------------------------------------------------- */

static const char *kind_name(plot_kind k)
{
    static const char *names[] = {"points", "points", "line", "band",
                                  "hline",  "mark",   "stack", "heat", "vline"};
    return names[k];
}

static void num(FILE *fp, double v)
{
    fputc(',', fp);
    if (isfinite(v))
        fprintf(fp, "%.10g", v);
}

static void row(FILE *fp, const char *series, const char *kind, double x, double y, double z,
                double lo, double hi, const char *label)
{
    sw_csv_write_field(fp, series ? series : "");
    fputc(',', fp);
    sw_csv_write_field(fp, kind);
    num(fp, x);
    num(fp, y);
    num(fp, z);
    num(fp, lo);
    num(fp, hi);
    fputc(',', fp);
    sw_csv_write_field(fp, label ? label : "");
    fputc('\n', fp);
}

static void series_rows(const sw_chart *c, size_t k, FILE *fp)
{
    const plot_series *s = &c->s[k];
    const char *kn = kind_name(s->kind);
    if (s->kind == PK_HEAT) {
        for (size_t j = 0; j < s->ny; j++)
            for (size_t i = 0; i < s->n; i++)
                row(fp, s->name, kn, s->x[i], s->y[j], s->z[j * s->n + i], NAN, NAN, NULL);
        return;
    }
    if (s->kind == PK_HLINE) {
        row(fp, s->name, kn, NAN, s->y[0], NAN, NAN, NAN, NULL);
        return;
    }
    if (s->kind == PK_VLINE) {
        row(fp, s->name, kn, s->x[0], NAN, NAN, NAN, NAN, NULL);
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        double y = s->y ? s->y[i] : NAN;
        double lo = s->lo ? s->lo[i] : NAN, hi = s->hi ? s->hi[i] : NAN;
        if (s->kind == PK_STACK) {
            lo = plot_stack_base(c, k, i);
            hi = lo + y;
        }
        const char *label = s->labels ? s->labels[s->kind == PK_MARK ? 0 : i] : NULL;
        row(fp, s->name, kn, s->x[i], y, NAN, lo, hi, label);
    }
}

sw_status sw_chart_write_data(const sw_chart *c, FILE *fp, sw_error *err)
{
    double r[2][2];
    for (int a = 0; a < 2; a++) {
        sw_status st = plot_axis_range(c, a, &r[a][0], &r[a][1], err);
        if (st)
            return st;
    }
    fputs("series,kind,x,y,z,lo,hi,label\n", fp);
    row(fp, NULL, "title", NAN, NAN, NAN, NAN, NAN, c->title);
    for (int a = 0; a < 2; a++)
        row(fp, NULL, a ? "yaxis" : "xaxis", NAN, NAN, c->axis[a].scale == SW_SCALE_LOG,
            r[a][0], r[a][1], c->axis[a].label);
    for (int a = 0; a < 2; a++)
        for (size_t i = 0; i < c->nticks[a]; i++)
            row(fp, NULL, a ? "ytick" : "xtick", a ? NAN : c->ticks[a][i],
                a ? c->ticks[a][i] : NAN, NAN, NAN, NAN, NULL);
    static const char *legend_names[] = {"top-right",   "top-left", "bottom-right",
                                         "bottom-left", "none",     "below"};
    row(fp, NULL, "legend", NAN, NAN, NAN, NAN, NAN, legend_names[c->legend]);
    for (size_t k = 0; k < c->ns; k++)
        series_rows(c, k, fp);
    if (ferror(fp))
        return sw_error_set(err, SW_EIO, "chart '%s': writing the data failed", c->title);
    return SW_OK;
}
