/* plot_impl.h — the chart's insides, shared by plot.c (building, data file,
 * saving) and plot_draw.c (cairo drawing).  Not installed. */
#ifndef SW_PLOT_IMPL_H
#define SW_PLOT_IMPL_H

#include "scalewall/plot.h"

typedef enum plot_kind {
    PK_POINTS,
    PK_LABELLED,
    PK_LINE,
    PK_BAND,
    PK_HLINE,
    PK_MARK,
    PK_STACK,
    PK_HEAT,
    PK_VLINE
} plot_kind;

typedef struct plot_series {
    plot_kind kind;
    char *name;
    size_t n;         /* points; for a heat map nx */
    double *x, *y;    /* heat map: x = xs[nx], y = ys[ny] */
    double *lo, *hi;  /* error bars / band; NULL when absent */
    char **labels;    /* labelled points, or the mark's label in labels[0] */
    int dashed;
    int colour;       /* palette slot */
    size_t ny;        /* heat map */
    double *z;
    char *zlabel;
    sw_scale zscale;
    int no_range;     /* drawn (clipped) but not widening the auto range */
} plot_series;

typedef struct plot_axis {
    char *label;
    sw_scale scale;
    double lo, hi; /* requested; NAN = auto */
} plot_axis;

struct sw_chart {
    char *title;
    plot_axis axis[2];
    sw_legend_pos legend;
    plot_series *s;
    size_t ns, cap;
    int next_colour;
    double *ticks[2]; /* explicit ticks per axis (sw_chart_ticks); NULL = nice ones */
    size_t nticks[2];
};

/* The drawn range of an axis after auto-ranging (and the check that a log
 * axis sees only positive values). */
sw_status plot_axis_range(const sw_chart *c, int axis, double *lo, double *hi, sw_error *err);
/* The stack's cumulative base for layer `layer` at point i. */
double plot_stack_base(const sw_chart *c, size_t layer, size_t i);

#endif
