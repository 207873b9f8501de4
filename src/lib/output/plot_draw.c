/* plot_draw.c — drawing a chart with cairo (PNG or SVG).
 *
 * Everything is laid out in pixels of an 800-wide reference canvas and
 * scaled, so a chart reads the same at any size.  Text uses cairo's toy API
 * with DejaVu Sans, which Debian's cairo always finds through fontconfig. */
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_impl.h"

#define FONT "DejaVu Sans"
#define SW_PI 3.14159265358979323846

typedef struct frame {
    double left, right, top, bottom; /* plot area in pixels */
    double lo[2], hi[2];             /* data ranges */
    int log[2];
    double f;                        /* scale relative to the 800 px reference */
    int legend_cols, legend_rows;    /* SW_LEGEND_BELOW: its grid under the axis label */
    double legend_colw;
} frame;

static double axis_frac(const frame *fr, int a, double v)
{
    if (fr->log[a])
        return (log10(v) - log10(fr->lo[a])) / (log10(fr->hi[a]) - log10(fr->lo[a]));
    return (v - fr->lo[a]) / (fr->hi[a] - fr->lo[a]);
}

static double px(const frame *fr, double x)
{
    return fr->left + axis_frac(fr, 0, x) * (fr->right - fr->left);
}

static double py(const frame *fr, double y)
{
    /* log(0) for a stack's base on a log axis: pin to the bottom edge */
    if (fr->log[1] && y <= 0)
        return fr->bottom;
    return fr->bottom - axis_frac(fr, 1, y) * (fr->bottom - fr->top);
}

/* Okabe-Ito: distinguishable for the common colour-vision deficiencies. */
static void palette(int i, double rgb[3])
{
    static const double p[][3] = {{0.000, 0.447, 0.698}, {0.835, 0.369, 0.000},
                                  {0.000, 0.620, 0.451}, {0.800, 0.475, 0.655},
                                  {0.902, 0.624, 0.000}, {0.337, 0.706, 0.914},
                                  {0.400, 0.400, 0.400}, {0.941, 0.894, 0.259}};
    memcpy(rgb, p[i % 8], sizeof p[0]);
}

static void set_colour(cairo_t *cr, int i, double alpha)
{
    double rgb[3];
    palette(i, rgb);
    cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], alpha);
}

/* viridis, sampled at 9 points and interpolated linearly. */
static void viridis(double t, double rgb[3])
{
    static const double v[9][3] = {{0.267, 0.005, 0.329}, {0.283, 0.157, 0.471},
                                   {0.243, 0.286, 0.537}, {0.192, 0.408, 0.557},
                                   {0.149, 0.510, 0.557}, {0.122, 0.620, 0.537},
                                   {0.208, 0.718, 0.475}, {0.431, 0.808, 0.345},
                                   {0.992, 0.906, 0.145}};
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double u = t * 8;
    int i = (int)u;
    if (i >= 8)
        i = 7;
    double w = u - i;
    for (int k = 0; k < 3; k++)
        rgb[k] = v[i][k] * (1 - w) + v[i + 1][k] * w;
}

/* Draws text anchored at (x, y): ha/va 0 = left/top, 0.5 = centre, 1 = right/bottom. */
static void text(cairo_t *cr, double x, double y, const char *s, double size, int bold,
                 double ha, double va, double angle, int halo)
{
    cairo_save(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    cairo_text_extents(cr, s, &te);
    cairo_font_extents(cr, &fe);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle);
    double h = fe.ascent - fe.descent * 0.2;
    cairo_move_to(cr, -te.x_advance * ha, h * (1 - va));
    if (halo) {
        double r, g, b, a;
        cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a);
        cairo_text_path(cr, s);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, size * 0.3);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND); /* no miter spikes */
        cairo_stroke_preserve(cr);
        cairo_set_source_rgba(cr, r, g, b, a);
        cairo_fill(cr);
    } else {
        cairo_show_text(cr, s);
    }
    cairo_restore(cr);
}

static double text_width(cairo_t *cr, const char *s, double size)
{
    cairo_save(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    cairo_restore(cr);
    return te.x_advance;
}

/* Powers of ten far from 1 read better as 10 with a superscript. */
static void tick_label(double v, int log_axis, char *buf, size_t n)
{
    double e = log10(fabs(v));
    if (log_axis && v > 0 && fabs(e - round(e)) < 1e-9 && (v < 1e-3 || v >= 1e5)) {
        static const char *sup[] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                    "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
        int k = (int)round(e);
        char digits[16];
        snprintf(digits, sizeof digits, "%d", k < 0 ? -k : k);
        size_t len = (size_t)snprintf(buf, n, "10%s", k < 0 ? "\u207b" : "");
        for (const char *d = digits; *d && len + 4 < n; d++)
            len += (size_t)snprintf(buf + len, n - len, "%s", sup[*d - '0']);
        return;
    }
    snprintf(buf, n, "%g", v);
}

static int find_heat(const sw_chart *c)
{
    for (size_t k = 0; k < c->ns; k++)
        if (c->s[k].kind == PK_HEAT)
            return (int)k;
    return -1;
}

static void draw_grid_and_ticks(cairo_t *cr, const sw_chart *c, const frame *fr)
{
    double ticks[64];
    char buf[64];
    for (int a = 0; a < 2; a++) {
        size_t nt = 0;
        if (c->ticks[a]) { /* explicit ones (the N of bars), those inside the range */
            for (size_t i = 0; i < c->nticks[a] && nt < 64; i++)
                if (c->ticks[a][i] >= fr->lo[a] && c->ticks[a][i] <= fr->hi[a])
                    ticks[nt++] = c->ticks[a][i];
        } else {
            nt = sw_plot_ticks(fr->lo[a], fr->hi[a], fr->log[a] ? SW_SCALE_LOG : SW_SCALE_LINEAR,
                               ticks, 64);
        }
        for (size_t i = 0; i < nt; i++) {
            double p = a ? py(fr, ticks[i]) : px(fr, ticks[i]);
            cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
            cairo_set_line_width(cr, 1 * fr->f);
            if (a) {
                cairo_move_to(cr, fr->left, p);
                cairo_line_to(cr, fr->right, p);
            } else {
                cairo_move_to(cr, p, fr->top);
                cairo_line_to(cr, p, fr->bottom);
            }
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            if (c->ticks[a]) /* an explicit tick is a value to read exactly */
                snprintf(buf, sizeof buf, "%g", ticks[i]);
            else
                tick_label(ticks[i], fr->log[a], buf, sizeof buf);
            if (a)
                text(cr, fr->left - 6 * fr->f, p, buf, 11 * fr->f, 0, 1, 0.5, 0, 0);
            else
                text(cr, p, fr->bottom + 5 * fr->f, buf, 11 * fr->f, 0, 0.5, 0, 0, 0);
        }
    }
}

static void draw_frame_text(cairo_t *cr, const sw_chart *c, const frame *fr, double width)
{
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.2 * fr->f);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, width / 2, 12 * fr->f, c->title, 16 * fr->f, 1, 0.5, 0, 0, 0);
    if (c->axis[0].label)
        text(cr, (fr->left + fr->right) / 2, fr->bottom + 26 * fr->f, c->axis[0].label,
             13 * fr->f, 0, 0.5, 0, 0, 0);
    if (c->axis[1].label)
        text(cr, 16 * fr->f, (fr->top + fr->bottom) / 2, c->axis[1].label, 13 * fr->f, 0, 0.5,
             0.5, -SW_PI / 2, 0);
}

static void marker(cairo_t *cr, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * SW_PI);
}

static void draw_points(cairo_t *cr, const plot_series *s, const frame *fr)
{
    set_colour(cr, s->colour, 1);
    cairo_set_line_width(cr, 1.3 * fr->f);
    for (size_t i = 0; s->lo && i < s->n; i++) {
        double x = px(fr, s->x[i]), w = 3 * fr->f;
        cairo_move_to(cr, x, py(fr, s->lo[i]));
        cairo_line_to(cr, x, py(fr, s->hi[i]));
        cairo_move_to(cr, x - w, py(fr, s->lo[i]));
        cairo_line_to(cr, x + w, py(fr, s->lo[i]));
        cairo_move_to(cr, x - w, py(fr, s->hi[i]));
        cairo_line_to(cr, x + w, py(fr, s->hi[i]));
    }
    cairo_stroke(cr);
    for (size_t i = 0; i < s->n; i++)
        marker(cr, px(fr, s->x[i]), py(fr, s->y[i]), 3.8 * fr->f);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.8 * fr->f);
    cairo_stroke(cr);
    /* labels are placed for the whole chart at once (draw_labels) */
}

/* ---- labels that never overlap ---- */

static int boxes_meet(double ax, double ay, double aw, double ah, double bx, double by, double bw,
                      double bh)
{
    return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

size_t sw_plot_place_labels(const double *px_, const double *py_, const double *w,
                            const double *h, size_t n, double left, double top, double right,
                            double bottom, double r, double *ox, double *oy, int *placed)
{
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        placed[i] = 0;
        double gap = r + 2;
        /* right, left, above, below, the diagonals; then twice as far */
        static const double dir[8][2] = {{1, 0},  {-1, 0}, {0, -1}, {0, 1},
                                         {1, -1}, {1, 1},  {-1, -1}, {-1, 1}};
        for (int ring = 1; ring <= 3 && !placed[i]; ring++)
            for (int d = 0; d < 8 && !placed[i]; d++) {
                double g = gap + (ring - 1) * 1.5 * h[i];
                double x = dir[d][0] > 0   ? px_[i] + g
                           : dir[d][0] < 0 ? px_[i] - g - w[i]
                                           : px_[i] - w[i] / 2;
                double y = dir[d][1] > 0   ? py_[i] + g * 0.6
                           : dir[d][1] < 0 ? py_[i] - g * 0.6 - h[i]
                                           : py_[i] - h[i] / 2;
                if (x < left || y < top || x + w[i] > right || y + h[i] > bottom)
                    continue;
                int clash = 0;
                for (size_t j = 0; j < n && !clash; j++) {
                    /* every point's marker, and every label already placed */
                    clash = boxes_meet(x, y, w[i], h[i], px_[j] - r, py_[j] - r, 2 * r, 2 * r);
                    if (!clash && j < i && placed[j])
                        clash = boxes_meet(x, y, w[i], h[i], ox[j], oy[j], w[j], h[j]);
                }
                if (clash)
                    continue;
                ox[i] = x;
                oy[i] = y;
                placed[i] = 1;
                done++;
            }
    }
    return done;
}

static void draw_labels(cairo_t *cr, const sw_chart *c, const frame *fr)
{
    size_t n = 0;
    for (size_t k = 0; k < c->ns; k++)
        n += c->s[k].kind == PK_LABELLED ? c->s[k].n : 0;
    if (!n)
        return;
    double *v = malloc(6 * n * sizeof *v);
    int *placed = malloc(n * sizeof *placed);
    const char **txt = malloc(n * sizeof *txt);
    if (!v || !placed || !txt) { /* labels are an aid; the points are drawn */
        free(v);
        free(placed);
        free(txt);
        return;
    }
    double *x = v, *y = v + n, *w = v + 2 * n, *h = v + 3 * n, *ox = v + 4 * n, *oy = v + 5 * n;
    double size = 9.5 * fr->f;
    size_t m = 0;
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        for (size_t i = 0; s->kind == PK_LABELLED && i < s->n; i++) {
            x[m] = px(fr, s->x[i]);
            y[m] = py(fr, s->y[i]);
            if (x[m] < fr->left || x[m] > fr->right || y[m] < fr->top || y[m] > fr->bottom)
                continue; /* a point outside the frame is not drawn: nor its label */
            w[m] = text_width(cr, s->labels[i], size) + 2 * fr->f;
            h[m] = size * 1.25;
            txt[m++] = s->labels[i];
        }
    }
    sw_plot_place_labels(x, y, w, h, m, fr->left, fr->top, fr->right, fr->bottom, 4.5 * fr->f,
                         ox, oy, placed);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    for (size_t i = 0; i < m; i++)
        if (placed[i])
            text(cr, ox[i] + fr->f, oy[i] + h[i] / 2, txt[i], size, 0, 0, 0.5, 0, 1);
    free(v);
    free(placed);
    free(txt);
}

static void dash(cairo_t *cr, int on, double f)
{
    double d[] = {7 * f, 4 * f};
    cairo_set_dash(cr, d, on ? 2 : 0, 0);
}

static void draw_line(cairo_t *cr, const plot_series *s, const frame *fr)
{
    set_colour(cr, s->colour, 1);
    cairo_set_line_width(cr, 2.2 * fr->f);
    dash(cr, s->dashed, fr->f);
    for (size_t i = 0; i < s->n; i++)
        (i ? cairo_line_to : cairo_move_to)(cr, px(fr, s->x[i]), py(fr, s->y[i]));
    cairo_stroke(cr);
    dash(cr, 0, fr->f);
}

static void draw_band(cairo_t *cr, const plot_series *s, const frame *fr)
{
    set_colour(cr, s->colour, 0.22);
    for (size_t i = 0; i < s->n; i++)
        (i ? cairo_line_to : cairo_move_to)(cr, px(fr, s->x[i]), py(fr, s->hi[i]));
    for (size_t i = s->n; i-- > 0;)
        cairo_line_to(cr, px(fr, s->x[i]), py(fr, s->lo[i]));
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void draw_hline(cairo_t *cr, const plot_series *s, const frame *fr)
{
    double y = py(fr, s->y[0]);
    set_colour(cr, s->colour, 1);
    cairo_set_line_width(cr, 1.8 * fr->f);
    dash(cr, 1, fr->f);
    cairo_move_to(cr, fr->left, y);
    cairo_line_to(cr, fr->right, y);
    cairo_stroke(cr);
    dash(cr, 0, fr->f);
    if (s->name)
        text(cr, fr->left + 8 * fr->f, y - 3 * fr->f, s->name, 10.5 * fr->f, 0, 0, 1, 0, 1);
}

static void draw_vline(cairo_t *cr, const plot_series *s, const frame *fr)
{
    double x = px(fr, s->x[0]);
    set_colour(cr, s->colour, 1);
    cairo_set_line_width(cr, 1.8 * fr->f);
    dash(cr, 1, fr->f);
    cairo_move_to(cr, x, fr->top);
    cairo_line_to(cr, x, fr->bottom);
    cairo_stroke(cr);
    dash(cr, 0, fr->f);
    if (s->name)
        text(cr, x - 4 * fr->f, fr->top + 6 * fr->f, s->name, 10.5 * fr->f, 0, 1, 0, 0, 1);
}

static void draw_mark(cairo_t *cr, const plot_series *s, const frame *fr)
{
    double x = px(fr, s->x[0]), y = py(fr, s->y[0]);
    cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    cairo_set_line_width(cr, 2.2 * fr->f);
    marker(cr, x, y, 8 * fr->f);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.6, 0.05, 0.05);
    int right_half = x > (fr->left + fr->right) / 2;
    text(cr, x + (right_half ? -11 : 11) * fr->f, y - 10 * fr->f, s->labels[0], 11 * fr->f, 1,
         right_half ? 1 : 0, 1, 0, 1);
}

static void draw_stack(cairo_t *cr, const sw_chart *c, size_t k, const frame *fr)
{
    const plot_series *s = &c->s[k];
    double w = 60 * fr->f;
    for (size_t i = 1; i < s->n; i++) {
        double gap = fabs(px(fr, s->x[i]) - px(fr, s->x[i - 1]));
        if (gap * 0.7 < w)
            w = gap * 0.7;
    }
    set_colour(cr, s->colour, 0.9);
    for (size_t i = 0; i < s->n; i++) {
        double b = plot_stack_base(c, k, i), x = px(fr, s->x[i]);
        double y0 = py(fr, b), y1 = py(fr, b + s->y[i]);
        cairo_rectangle(cr, x - w / 2, y1, w, y0 - y1);
    }
    cairo_fill(cr);
}

static double zfrac(const plot_series *s, double z, double zlo, double zhi)
{
    if (!(zhi > zlo))
        return 0.5;
    if (s->zscale == SW_SCALE_LOG)
        return (log10(z) - log10(zlo)) / (log10(zhi) - log10(zlo));
    return (z - zlo) / (zhi - zlo);
}

static void zrange(const plot_series *s, double *zlo, double *zhi)
{
    *zlo = *zhi = s->z[0];
    for (size_t i = 1; i < s->n * s->ny; i++) {
        if (s->z[i] < *zlo)
            *zlo = s->z[i];
        if (s->z[i] > *zhi)
            *zhi = s->z[i];
    }
}

/* Cell edge i (0..n) in pixels along axis a: midway between centres. */
static double cell_edge(const frame *fr, int a, const double *v, size_t n, size_t i)
{
    double (*map)(const frame *, double) = a ? py : px;
    if (i == 0)
        return map(fr, v[0]) - (map(fr, v[1]) - map(fr, v[0])) / 2;
    if (i >= n)
        return map(fr, v[n - 1]) + (map(fr, v[n - 1]) - map(fr, v[n - 2])) / 2;
    return (map(fr, v[i - 1]) + map(fr, v[i])) / 2;
}

static void draw_heat(cairo_t *cr, const plot_series *s, const frame *fr)
{
    double zlo, zhi, rgb[3];
    zrange(s, &zlo, &zhi);
    for (size_t j = 0; j < s->ny; j++) {
        double y0 = cell_edge(fr, 1, s->y, s->ny, j), y1 = cell_edge(fr, 1, s->y, s->ny, j + 1);
        for (size_t i = 0; i < s->n; i++) {
            double x0 = cell_edge(fr, 0, s->x, s->n, i), x1 = cell_edge(fr, 0, s->x, s->n, i + 1);
            viridis(zfrac(s, s->z[j * s->n + i], zlo, zhi), rgb);
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            /* overlap by half a pixel so no seams show between cells */
            cairo_rectangle(cr, x0, fmin(y0, y1), x1 - x0 + 0.5, fabs(y1 - y0) + 0.5);
            cairo_fill(cr);
        }
    }
}

static void draw_colour_bar(cairo_t *cr, const plot_series *s, const frame *fr)
{
    double zlo, zhi, rgb[3], x = fr->right + 18 * fr->f, w = 16 * fr->f;
    zrange(s, &zlo, &zhi);
    int steps = 128;
    double h = fr->bottom - fr->top;
    for (int i = 0; i < steps; i++) {
        viridis((i + 0.5) / steps, rgb);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle(cr, x, fr->bottom - h * (i + 1) / steps, w, h / steps + 0.5);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1 * fr->f);
    cairo_rectangle(cr, x, fr->top, w, h);
    cairo_stroke(cr);
    double ticks[64];
    char buf[64];
    size_t nt = sw_plot_ticks(zlo, zhi, s->zscale, ticks, 64);
    for (size_t i = 0; i < nt; i++) {
        double y = fr->bottom - zfrac(s, ticks[i], zlo, zhi) * h;
        cairo_move_to(cr, x + w, y);
        cairo_line_to(cr, x + w + 4 * fr->f, y);
        cairo_stroke(cr);
        tick_label(ticks[i], s->zscale == SW_SCALE_LOG, buf, sizeof buf);
        text(cr, x + w + 6 * fr->f, y, buf, 10 * fr->f, 0, 0, 0.5, 0, 0);
    }
    if (s->zlabel)
        text(cr, x + w + 58 * fr->f, (fr->top + fr->bottom) / 2, s->zlabel, 12 * fr->f, 0, 0.5,
             0.5, -SW_PI / 2, 0);
}

static int legend_entries(const sw_chart *c, double *maxw, cairo_t *cr, double size)
{
    int n = 0;
    *maxw = 0;
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        if (!s->name || !*s->name || s->kind == PK_MARK || s->kind == PK_HEAT)
            continue;
        double w = text_width(cr, s->name, size);
        if (w > *maxw)
            *maxw = w;
        n++;
    }
    return n;
}

static void legend_sample(cairo_t *cr, const plot_series *s, double x, double y, double f)
{
    if (s->kind == PK_BAND || s->kind == PK_STACK) {
        set_colour(cr, s->colour, s->kind == PK_BAND ? 0.3 : 0.9);
        cairo_rectangle(cr, x, y - 5 * f, 22 * f, 10 * f);
        cairo_fill(cr);
    } else if (s->kind == PK_LINE || s->kind == PK_HLINE || s->kind == PK_VLINE) {
        set_colour(cr, s->colour, 1);
        cairo_set_line_width(cr, 2.2 * f);
        dash(cr, s->dashed, f * 0.6);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 22 * f, y);
        cairo_stroke(cr);
        dash(cr, 0, f);
    } else {
        set_colour(cr, s->colour, 1);
        marker(cr, x + 11 * f, y, 3.8 * f);
        cairo_fill(cr);
    }
}

/* Below the plot: entries in a grid of equal columns, under the x axis's
 * label, in space make_frame reserved. */
static void draw_legend_below(cairo_t *cr, const sw_chart *c, const frame *fr, double height)
{
    double f = fr->f, size = 11 * f, line = 17 * f;
    double y0 = height - fr->legend_rows * line - 6 * f;
    int idx = 0;
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        if (!s->name || !*s->name || s->kind == PK_MARK || s->kind == PK_HEAT)
            continue;
        int row = idx / fr->legend_cols, col = idx % fr->legend_cols;
        idx++;
        double x = fr->left + col * fr->legend_colw, yy = y0 + line * (row + 0.5);
        legend_sample(cr, s, x, yy, f);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text(cr, x + 28 * f, yy, s->name, size, 0, 0, 0.5, 0, 0);
    }
}

static void draw_legend(cairo_t *cr, const sw_chart *c, const frame *fr)
{
    double f = fr->f, size = 11 * f, maxw, line = 17 * f;
    int n = legend_entries(c, &maxw, cr, size);
    if (n == 0 || c->legend == SW_LEGEND_NONE || c->legend == SW_LEGEND_BELOW)
        return;
    double w = maxw + 40 * f, h = n * line + 8 * f;
    int right = c->legend == SW_LEGEND_TOP_RIGHT || c->legend == SW_LEGEND_BOTTOM_RIGHT;
    int top = c->legend == SW_LEGEND_TOP_RIGHT || c->legend == SW_LEGEND_TOP_LEFT;
    double x = right ? fr->right - w - 8 * f : fr->left + 8 * f;
    double y = top ? fr->top + 8 * f : fr->bottom - h - 8 * f;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 1 * f);
    cairo_stroke(cr);
    int row = 0;
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        if (!s->name || !*s->name || s->kind == PK_MARK || s->kind == PK_HEAT)
            continue;
        double yy = y + 4 * f + line * (row++ + 0.5);
        legend_sample(cr, s, x + 8 * f, yy, f);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text(cr, x + 36 * f, yy, s->name, size, 0, 0, 0.5, 0, 0);
    }
}

static void draw_series(cairo_t *cr, const sw_chart *c, const frame *fr)
{
    cairo_save(cr);
    cairo_rectangle(cr, fr->left, fr->top, fr->right - fr->left, fr->bottom - fr->top);
    cairo_clip(cr);
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        switch (s->kind) {
        case PK_POINTS:
        case PK_LABELLED: draw_points(cr, s, fr); break;
        case PK_LINE: draw_line(cr, s, fr); break;
        case PK_BAND: draw_band(cr, s, fr); break;
        case PK_HLINE: draw_hline(cr, s, fr); break;
        case PK_MARK: draw_mark(cr, s, fr); break;
        case PK_STACK: draw_stack(cr, c, k, fr); break;
        case PK_HEAT: draw_heat(cr, s, fr); break;
        case PK_VLINE: draw_vline(cr, s, fr); break;
        }
    }
    cairo_restore(cr);
}

/* Every value on a log axis must be positive (a stack's zero base excepted). */
static sw_status check_log(const sw_chart *c, const frame *fr, sw_error *err)
{
    for (size_t k = 0; k < c->ns; k++) {
        const plot_series *s = &c->s[k];
        for (int a = 0; a < 2; a++) {
            if (!fr->log[a] || s->kind == PK_HEAT)
                continue;
            const double *v[3] = {a ? s->y : s->x, a ? s->lo : NULL, a ? s->hi : NULL};
            for (int m = 0; m < 3; m++)
                for (size_t i = 0; v[m] && i < s->n; i++)
                    if (!(v[m][i] > 0))
                        return sw_error_set(err, SW_EDOM,
                                            "chart '%s': series '%s' has %g on the log %s axis",
                                            c->title, s->name ? s->name : "", v[m][i],
                                            a ? "y" : "x");
        }
    }
    return SW_OK;
}

/* How SW_LEGEND_BELOW lays out: as many equal columns as the widest entry
 * allows across the plot's width. */
static void legend_grid(const sw_chart *c, frame *fr, double width)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(sf);
    double maxw;
    int n = legend_entries(c, &maxw, cr, 11 * fr->f);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    if (n == 0)
        return;
    double avail = width - 84 * fr->f - 24 * fr->f, colw = maxw + 44 * fr->f;
    int cols = (int)(avail / colw);
    cols = cols < 1 ? 1 : cols > n ? n : cols;
    fr->legend_cols = cols;
    fr->legend_rows = (n + cols - 1) / cols;
    fr->legend_colw = avail / cols;
}

static sw_status make_frame(const sw_chart *c, int width, int height, frame *fr, sw_error *err)
{
    memset(fr, 0, sizeof *fr);
    fr->f = width / 800.0;
    if (c->legend == SW_LEGEND_BELOW)
        legend_grid(c, fr, width);
    for (int a = 0; a < 2; a++) {
        sw_status st = plot_axis_range(c, a, &fr->lo[a], &fr->hi[a], err);
        if (st)
            return st;
        fr->log[a] = c->axis[a].scale == SW_SCALE_LOG;
    }
    fr->left = 84 * fr->f;
    fr->right = width - (find_heat(c) >= 0 ? 110 : 24) * fr->f;
    fr->top = 40 * fr->f;
    fr->bottom = height - 52 * fr->f - fr->legend_rows * 17 * fr->f - (fr->legend_rows ? 8 : 0) * fr->f;
    if (fr->right - fr->left < 50 || fr->bottom - fr->top < 50)
        return sw_error_set(err, SW_EINVAL, "chart '%s': %dx%d is too small to draw", c->title,
                            width, height);
    return check_log(c, fr, err);
}

typedef struct sink {
    sw_plot_write_fn fn;
    void *closure;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    sink *k = closure;
    return k->fn(k->closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void draw_all(cairo_t *cr, const sw_chart *c, const frame *fr, int width, int height)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_fill(cr);
    draw_grid_and_ticks(cr, c, fr);
    draw_series(cr, c, fr);
    draw_labels(cr, c, fr);
    draw_frame_text(cr, c, fr, width);
    int h = find_heat(c);
    if (h >= 0)
        draw_colour_bar(cr, &c->s[h], fr);
    if (c->legend == SW_LEGEND_BELOW)
        draw_legend_below(cr, c, fr, height);
    else
        draw_legend(cr, c, fr);
}

sw_status sw_chart_render(const sw_chart *c, sw_plot_format fmt, int width, int height,
                          sw_plot_write_fn fn, void *closure, sw_error *err)
{
    if (width < 100 || height < 100 || width > 10000 || height > 10000)
        return sw_error_set(err, SW_EINVAL, "chart '%s': size %dx%d is out of range", c->title,
                            width, height);
    frame fr;
    sw_status st = make_frame(c, width, height, &fr, err);
    if (st)
        return st;
    sink k = {fn, closure};
    cairo_surface_t *sf = fmt == SW_PLOT_SVG
                              ? cairo_svg_surface_create_for_stream(sink_write, &k, width, height)
                              : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(sf);
    draw_all(cr, c, &fr, width, height);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS && fmt == SW_PLOT_PNG)
        cs = cairo_surface_write_to_png_stream(sf, sink_write, &k);
    cairo_surface_finish(sf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (cs != CAIRO_STATUS_SUCCESS)
        return sw_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? SW_ENOMEM : SW_EIO,
                            "chart '%s': cairo: %s", c->title, cairo_status_to_string(cs));
    return SW_OK;
}
