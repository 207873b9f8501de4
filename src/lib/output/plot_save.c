/* plot_save.c — a chart as a picture in memory or in files (its .png/.svg
 * and the .csv of its data, landing together).
 *
 * Apart from plot.c because saving a picture draws it (plot_draw.c, cairo):
 * a program that builds charts but never draws them (the light `scalewall`
 * front end, issue 16) links plot.c without cairo. */
#include <stdlib.h>
#include <string.h>

#include "plot_impl.h"
#include "scalewall/io.h"

/* ---- saving ---------------------------------------------------------- */

static int file_write(void *closure, const unsigned char *data, size_t len)
{
    return fwrite(data, 1, len, closure) == len ? 0 : -1;
}

typedef struct membuf {
    unsigned char *p;
    size_t len, cap;
} membuf;

static int mem_write(void *closure, const unsigned char *data, size_t len)
{
    membuf *m = closure;
    if (m->len + len > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + len)
            cap *= 2;
        unsigned char *p = realloc(m->p, cap);
        if (!p)
            return -1;
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return 0;
}

sw_status sw_chart_render_mem(const sw_chart *c, sw_plot_format fmt, int width, int height,
                              unsigned char **buf, size_t *len, sw_error *err)
{
    membuf m = {0};
    sw_status st = sw_chart_render(c, fmt, width, height, mem_write, &m, err);
    if (st) {
        free(m.p);
        *buf = NULL;
        *len = 0;
        return st;
    }
    *buf = m.p;
    *len = m.len;
    return SW_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

sw_status sw_chart_write_files(const sw_chart *c, const char *path, int width, int height,
                               const char *const *inputs, size_t ninputs, sw_outfile outs[2],
                               sw_error *err)
{
    memset(outs, 0, 2 * sizeof *outs);
    sw_plot_format fmt;
    if (ends_with(path, ".png"))
        fmt = SW_PLOT_PNG;
    else if (ends_with(path, ".svg"))
        fmt = SW_PLOT_SVG;
    else
        return sw_error_set(err, SW_EINVAL, "%s: a figure's name must end in .png or .svg",
                            path);
    size_t n = strlen(path);
    char *csv = malloc(n + 1);
    if (!csv)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    memcpy(csv, path, n - 4);
    strcpy(csv + n - 4, ".csv");
    sw_status st = sw_outfile_open(&outs[0], path, SW_OUT_REPLACE, inputs, ninputs, err);
    if (!st)
        st = sw_outfile_open(&outs[1], csv, SW_OUT_REPLACE, inputs, ninputs, err);
    if (!st && (st = sw_chart_render(c, fmt, width, height, file_write, outs[0].fp, err)))
        st = sw_outfile_fail(&outs[0], st, err);
    if (!st && (st = sw_chart_write_data(c, outs[1].fp, err)))
        st = sw_outfile_fail(&outs[1], st, err);
    if (st) {
        sw_outfile_abort(&outs[0]);
        sw_outfile_abort(&outs[1]);
    }
    free(csv);
    return st;
}

sw_status sw_chart_save(const sw_chart *c, const char *path, int width, int height,
                        const char *const *inputs, size_t ninputs, sw_error *err)
{
    sw_outfile outs[2];
    sw_status st = sw_chart_write_files(c, path, width, height, inputs, ninputs, outs, err);
    return st ? st : sw_outfile_commit_all(outs, 2, err);
}
