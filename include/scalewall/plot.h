/* plot.h — a small chart API on cairo: what scalewall's figures need, no more.
 *
 * A chart is a title, two axes (linear or log, "nice" ticks, a label that
 * names the unit) and series drawn in the order they were added: scatter
 * points (optionally with error bars or text labels), lines, a shaded
 * interval band, a horizontal asymptote (the wall), marked points (the knee),
 * stacked bars (a time breakdown) and a heat map with a colour bar (the
 * efficiency map).  It renders to PNG or SVG through cairo and it always
 * writes the numbers it drew as a CSV next to the image, so a test (or a
 * sceptical reader) checks a figure's content, not only that it exists.
 *
 * Colours: each series takes the next slot of a colour-blind-safe palette
 * (Okabe-Ito), except a band, which shares the slot of the series added after
 * it (add the band, then the line it surrounds).
 *
 * Data file (docs/report.md): header `series,kind,x,y,z,lo,hi,label`, one row
 * per drawn value.  kind is one of
 *   title   label = the title
 *   xaxis / yaxis  lo, hi = the drawn range, z = 1 for log, label = axis label
 *   points  x, y [, lo, hi error bar] [, label]
 *   line    x, y
 *   band    x, lo, hi
 *   hline   y
 *   mark    x, y, label
 *   stack   x, y = the layer's value, lo = its base, hi = its top
 *   heat    x, y = the cell centre, z = the value
 *   vline   x (a deadline)
 *   xtick / ytick  x or y = an explicit tick (sw_chart_ticks)
 *   legend  label = where the legend is ("below", "top-right", ...)
 * Blank cells are absent values. */
#ifndef SCALEWALL_PLOT_H
#define SCALEWALL_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sw_scale { SW_SCALE_LINEAR = 0, SW_SCALE_LOG = 1 } sw_scale;
typedef enum sw_plot_format { SW_PLOT_PNG = 0, SW_PLOT_SVG = 1 } sw_plot_format;
typedef enum sw_legend_pos {
    SW_LEGEND_TOP_RIGHT = 0,
    SW_LEGEND_TOP_LEFT,
    SW_LEGEND_BOTTOM_RIGHT,
    SW_LEGEND_BOTTOM_LEFT,
    SW_LEGEND_NONE,
    SW_LEGEND_BELOW /* outside the plot area, under the x axis: it never covers data */
} sw_legend_pos;

typedef struct sw_chart sw_chart;

/* NULL on allocation failure.  Axes start linear, unlabelled, auto range. */
sw_chart *sw_chart_new(const char *title);
void sw_chart_free(sw_chart *c);

/* axis: 0 = x, 1 = y.  lo/hi NAN = automatic (expanded to nice ticks; log
 * axes to whole decades). */
sw_status sw_chart_axis(sw_chart *c, int axis, const char *label, sw_scale scale, double lo,
                        double hi, sw_error *err);
void sw_chart_legend(sw_chart *c, sw_legend_pos pos);
/* The next series takes the colour of the series added last (a line and
 * its labelled points drawn as one). */
void sw_chart_reuse_colour(sw_chart *c);

/* Series.  Arrays are copied.  Every value must be finite (SW_EDOM names the
 * series and index otherwise); log axes additionally need positive values,
 * which is checked when the chart is drawn.  lo/hi may be NULL. */
sw_status sw_chart_points(sw_chart *c, const char *name, const double *x, const double *y,
                          const double *lo, const double *hi, size_t n, sw_error *err);
/* Scatter points each with a short text label drawn beside it. */
sw_status sw_chart_labelled(sw_chart *c, const char *name, const double *x, const double *y,
                            const char *const *labels, size_t n, sw_error *err);
sw_status sw_chart_line(sw_chart *c, const char *name, const double *x, const double *y,
                        size_t n, int dashed, sw_error *err);
sw_status sw_chart_band(sw_chart *c, const char *name, const double *x, const double *lo,
                        const double *hi, size_t n, sw_error *err);
sw_status sw_chart_hline(sw_chart *c, const char *name, double y, sw_error *err);
/* A vertical reference line at x (a deadline), dashed, named in the legend. */
sw_status sw_chart_vline(sw_chart *c, const char *name, double x, sw_error *err);
/* The series added last is drawn, clipped to the frame, but does not widen
 * the automatic range: an axis scaled to the data, not to a runaway band. */
void sw_chart_no_range(sw_chart *c);
/* Ticks at exactly these values on an axis (the N of bars), instead of the
 * nice ones; values outside the drawn range are skipped. */
sw_status sw_chart_ticks(sw_chart *c, int axis, const double *v, size_t n, sw_error *err);
sw_status sw_chart_mark(sw_chart *c, const char *label, double x, double y, sw_error *err);
/* One layer of a stacked-bar chart; layers stack in the order added and must
 * share the same x values. */
sw_status sw_chart_stack(sw_chart *c, const char *name, const double *x, const double *y,
                         size_t n, sw_error *err);
/* A heat map over cell centres xs[nx] × ys[ny] (ascending), z[j*nx + i] at
 * (xs[i], ys[j]); colour by zscale over the data's range, with a colour bar
 * labelled zlabel.  At most one per chart. */
sw_status sw_chart_heatmap(sw_chart *c, const char *name, const double *xs, size_t nx,
                           const double *ys, size_t ny, const double *z, const char *zlabel,
                           sw_scale zscale, sw_error *err);

/* Drawing.  fn receives the encoded bytes (cairo's write callback shape);
 * it returns 0 on success. */
typedef int (*sw_plot_write_fn)(void *closure, const unsigned char *data, size_t len);
sw_status sw_chart_render(const sw_chart *c, sw_plot_format fmt, int width, int height,
                          sw_plot_write_fn fn, void *closure, sw_error *err);
/* Renders into a malloc'd buffer (for inlining into HTML). */
sw_status sw_chart_render_mem(const sw_chart *c, sw_plot_format fmt, int width, int height,
                              unsigned char **buf, size_t *len, sw_error *err);
/* The data file described above. */
sw_status sw_chart_write_data(const sw_chart *c, FILE *fp, sw_error *err);
/* Writes path (.png or .svg, chosen by the extension) and the data file with
 * the extension replaced by .csv into outs[0] and outs[1], opened through
 * sw_outfile (neither may be one of `inputs`: a plot of results.csv saved as
 * results.png is refused, not allowed to replace its own input) and written
 * but not yet committed: the caller puts them in place with its other
 * outputs (sw_outfile_commit_all), or drops them. */
sw_status sw_chart_write_files(const sw_chart *c, const char *path, int width, int height,
                               const char *const *inputs, size_t ninputs, sw_outfile outs[2],
                               sw_error *err);
/* sw_chart_write_files, then both committed together: a failure leaves
 * neither written nor half-written. */
sw_status sw_chart_save(const sw_chart *c, const char *path, int width, int height,
                        const char *const *inputs, size_t ninputs, sw_error *err);

/* Places n text labels of w[i] x h[i] pixels beside points (px[i], py[i])
 * inside the frame [left, right] x [top, bottom], none overlapping another
 * label or a point's marker (radius r): each label tries the right, left,
 * above, below, the four diagonals, then the same farther out, and takes
 * the first free place; a label with no free place is not drawn
 * (placed[i] = 0; the caller lists it elsewhere).  (ox[i], oy[i]) is the
 * label box's top-left corner.  Returns how many were placed.  Exposed for
 * tests. */
size_t sw_plot_place_labels(const double *px, const double *py, const double *w,
                            const double *h, size_t n, double left, double top, double right,
                            double bottom, double r, double *ox, double *oy, int *placed);

/* "Nice" ticks for [lo, hi] on a scale: at most max ticks, written to
 * ticks[]; returns how many.  Exposed for tests. */
size_t sw_plot_ticks(double lo, double hi, sw_scale scale, double *ticks, size_t max);
/* The auto range rule for data in [lo, hi]: linear to multiples of the tick
 * step, log to whole decades. */
void sw_plot_nice_range(double lo, double hi, sw_scale scale, double *out_lo, double *out_hi);

#ifdef __cplusplus
}
#endif
#endif
