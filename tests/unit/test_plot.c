/* test_plot.c — the chart API: ticks, ranges, validation, the data file, and
 * that the rendered PNG/SVG really shows what the data file says (pixels of
 * known colour where the series are). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "scalewall/plot.h"

#ifndef assert_double_equal
#define assert_double_equal(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)
static void near(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.12g != %.12g (eps %g)\n", a, b, eps);
        _fail(file, line);
    }
}
#endif

static int contains(const unsigned char *buf, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(buf + i, needle, k) == 0)
            return 1;
    return 0;
}

static void test_linear_ticks(void **state)
{
    (void)state;
    double t[32];
    size_t n = sw_plot_ticks(0, 1, SW_SCALE_LINEAR, t, 32);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_double_equal(t[i], 0.2 * i, 1e-12);
    n = sw_plot_ticks(-3, 47, SW_SCALE_LINEAR, t, 32);
    assert_double_equal(t[0], 0, 1e-12); /* step 10: 0, 10, ..., 40 */
    assert_double_equal(t[n - 1], 40, 1e-12);
    assert_int_equal(n, 5);
    double lo, hi;
    sw_plot_nice_range(0.3, 9.2, SW_SCALE_LINEAR, &lo, &hi);
    assert_double_equal(lo, 0, 1e-12);
    assert_double_equal(hi, 10, 1e-12);
}

static void test_log_ticks(void **state)
{
    (void)state;
    double t[32];
    size_t n = sw_plot_ticks(1, 1e6, SW_SCALE_LOG, t, 32);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_double_equal(log10(t[i]), (double)i, 1e-9);
    /* 20 decades: every third decade so labels do not collide */
    n = sw_plot_ticks(1e-10, 1e10, SW_SCALE_LOG, t, 32);
    assert_true(n <= 8);
    assert_double_equal(t[1] / t[0], 1e3, 1e-3);
    /* a short span gets 2 and 5 too, ascending */
    n = sw_plot_ticks(1, 100, SW_SCALE_LOG, t, 32);
    double want[] = {1, 2, 5, 10, 20, 50, 100};
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_double_equal(t[i], want[i], 1e-9);
    double lo, hi;
    sw_plot_nice_range(3, 4000, SW_SCALE_LOG, &lo, &hi);
    assert_double_equal(lo, 1, 1e-12);
    assert_double_equal(hi, 1e4, 1e-8);
    sw_plot_nice_range(1.3, 16, SW_SCALE_LOG, &lo, &hi); /* short span: 1-2-5 ends */
    assert_double_equal(lo, 1, 1e-12);
    assert_double_equal(hi, 20, 1e-9);
    sw_plot_nice_range(3, 40, SW_SCALE_LOG, &lo, &hi);
    assert_double_equal(lo, 2, 1e-12);
    assert_double_equal(hi, 50, 1e-9);
}

static void test_validation(void **state)
{
    (void)state;
    sw_error err = {0};
    sw_chart *c = sw_chart_new("bad");
    double x[] = {1, 2}, y[] = {1, NAN}, neg[] = {1, -1};
    assert_int_equal(sw_chart_points(c, "p", x, y, NULL, NULL, 2, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "y[1]"));
    assert_int_equal(sw_chart_line(c, "l", x, x, 0, 0, &err), SW_EINVAL);
    assert_int_equal(sw_chart_stack(c, "s", x, neg, 2, &err), SW_EDOM);
    double x3[] = {1, 2, 3}, y3[] = {1, 1, 1};
    assert_int_equal(sw_chart_stack(c, "a", x, x, 2, &err), SW_OK);
    assert_int_equal(sw_chart_stack(c, "b", x3, y3, 3, &err), SW_EINVAL);
    /* a non-positive value on a log axis is caught when drawn */
    assert_int_equal(sw_chart_axis(c, 1, "y", SW_SCALE_LOG, NAN, NAN, &err), SW_OK);
    assert_int_equal(sw_chart_points(c, "n", x, neg, NULL, NULL, 2, &err), SW_OK);
    unsigned char *buf;
    size_t len;
    assert_int_not_equal(sw_chart_render_mem(c, SW_PLOT_PNG, 400, 300, &buf, &len, &err), SW_OK);
    assert_non_null(strstr(err.msg, "log"));
    assert_int_equal(sw_chart_axis(c, 0, "x", SW_SCALE_LOG, 5, 1, &err), SW_EINVAL);
    sw_chart_free(c);
}

/* Parses the data file into rows of 8 fields (naive: the test labels have
 * no commas or quotes). */
static int find_row(const char *csv, const char *series, const char *kind, double x,
                    double *fields)
{
    const char *p = csv;
    while (p && *p) {
        char line[512];
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        p = e ? e + 1 : NULL;
        char *f[8] = {0};
        char *s = line;
        for (int i = 0; i < 8 && s; i++) {
            f[i] = s;
            s = strchr(s, ',');
            if (s)
                *s++ = '\0';
        }
        if (!f[7] || strcmp(f[0], series) || strcmp(f[1], kind))
            continue;
        if (!isnan(x) && fabs(atof(f[2]) - x) > 1e-9 * fabs(x))
            continue;
        for (int i = 2; i < 7; i++)
            fields[i - 2] = *f[i] ? atof(f[i]) : NAN;
        return 1;
    }
    return 0;
}

/* noinline: inlined, GCC 12 at -O3 takes the returned buffer for a pointer
 * to the local `buf` that open_memstream was given (-Wdangling-pointer). */
static __attribute__((noinline)) char *data_of(const sw_chart *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    sw_error err = {0};
    assert_int_equal(sw_chart_write_data(c, fp, &err), SW_OK);
    fclose(fp);
    return buf;
}

typedef struct reader {
    const unsigned char *p;
    size_t len, pos;
} reader;

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len)
{
    reader *r = closure;
    if (r->pos + len > r->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->pos, len);
    r->pos += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Colour of pixel (x, y) of an ARGB32 PNG. */
static void pixel(cairo_surface_t *s, int x, int y, int rgb[3])
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t v;
    memcpy(&v, d + y * stride + 4 * x, 4);
    rgb[0] = (v >> 16) & 255;
    rgb[1] = (v >> 8) & 255;
    rgb[2] = v & 255;
}

/* A speedup chart: the data file holds every number, the PNG is a real PNG
 * of the asked size, and the wall line sits where the data file says. */
static void test_speedup_chart_content(void **state)
{
    (void)state;
    sw_error err = {0};
    sw_chart *c = sw_chart_new("Speedup");
    assert_int_equal(sw_chart_axis(c, 0, "N (ranks)", SW_SCALE_LOG, NAN, NAN, &err), SW_OK);
    assert_int_equal(sw_chart_axis(c, 1, "speedup", SW_SCALE_LOG, NAN, NAN, &err), SW_OK);
    double n[] = {1, 2, 4, 8}, s[] = {1, 1.9, 3.5, 6}, lo[] = {1, 1.8, 3.3, 5.5},
           hi[] = {1, 2, 3.7, 6.4};
    double fx[] = {1, 10, 100, 1000}, fs[4];
    for (int i = 0; i < 4; i++)
        fs[i] = 1 / (0.05 + 0.95 / fx[i]);
    assert_int_equal(sw_chart_band(c, "interval", fx, fs, fs, 4, &err), SW_OK);
    assert_int_equal(sw_chart_line(c, "fit", fx, fs, 4, 0, &err), SW_OK);
    assert_int_equal(sw_chart_points(c, "measured", n, s, lo, hi, 4, &err), SW_OK);
    assert_int_equal(sw_chart_hline(c, "wall 30x", 30, &err), SW_OK);
    assert_int_equal(sw_chart_mark(c, "knee", 100, fs[2], &err), SW_OK);
    char *csv = data_of(c);
    double f[5];
    assert_true(find_row(csv, "", "xaxis", NAN, f));
    assert_double_equal(f[2], 1, 0); /* log */
    assert_double_equal(f[3], 1, 1e-12);
    assert_double_equal(f[4], 1000, 1e-9);
    assert_true(find_row(csv, "", "yaxis", NAN, f));
    assert_double_equal(f[3], 1, 1e-12);
    assert_double_equal(f[4], 50, 1e-9); /* 30 rounds up to 5 x 10 */
    assert_true(find_row(csv, "measured", "points", 4, f));
    assert_double_equal(f[1], 3.5, 1e-12);
    assert_double_equal(f[3], 3.3, 1e-12);
    assert_true(find_row(csv, "fit", "line", 1000, f));
    assert_double_equal(f[1], fs[3], 1e-8);
    assert_true(find_row(csv, "wall 30x", "hline", NAN, f));
    assert_double_equal(f[1], 30, 0);
    assert_true(find_row(csv, "", "mark", 100, f));
    free(csv);

    unsigned char *png;
    size_t len;
    assert_int_equal(sw_chart_render_mem(c, SW_PLOT_PNG, 800, 500, &png, &len, &err), SW_OK);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    reader r = {png, len, 0};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &r);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 800);
    assert_int_equal(cairo_image_surface_get_height(img), 500);
    /* The wall at y = 30 on a 1..50 log axis: plot area 40..448 px, so
     * 448 - log10(30)/log10(50) * 408 = 93.3.  The dashed line is palette slot 2
     * (green 0,158,115); look along the row for it. */
    int rgb[3], found = 0;
    for (int x = 300; x < 700 && !found; x++)
        for (int y = 92; y <= 95 && !found; y++) {
            pixel(img, x, y, rgb);
            found = rgb[1] > rgb[0] + 60 && rgb[1] > rgb[2] + 15;
        }
    /* and not 20 px higher */
    for (int x = 300; x < 700; x++) {
        pixel(img, x, 113, rgb);
        assert_false(rgb[1] > rgb[0] + 60 && rgb[1] > rgb[2] + 15);
    }
    assert_true(found);
    pixel(img, 5, 5, rgb); /* background is white */
    assert_int_equal(rgb[0] + rgb[1] + rgb[2], 765);
    cairo_surface_destroy(img);
    free(png);

    unsigned char *svg;
    assert_int_equal(sw_chart_render_mem(c, SW_PLOT_SVG, 800, 500, &svg, &len, &err), SW_OK);
    assert_true(len > 100);
    assert_true(contains(svg, len, "<svg"));
    free(svg);
    sw_chart_free(c);
}

/* The efficiency map E = 1/(N s + 1 - s): cells carry the closed form, and
 * the colour of the corner cells is viridis's ends. */
static void test_heatmap(void **state)
{
    (void)state;
    sw_error err = {0};
    enum { NX = 10, NY = 8 };
    double xs[NX], ys[NY], z[NX * NY];
    for (int i = 0; i < NX; i++)
        xs[i] = pow(10, i);
    for (int j = 0; j < NY; j++)
        ys[j] = pow(10, -8 + j);
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++)
            z[j * NX + i] = 1 / (xs[i] * ys[j] + 1 - ys[j]);
    sw_chart *c = sw_chart_new("Efficiency map");
    sw_chart_axis(c, 0, "N", SW_SCALE_LOG, NAN, NAN, &err);
    sw_chart_axis(c, 1, "1-alpha", SW_SCALE_LOG, NAN, NAN, &err);
    assert_int_equal(sw_chart_heatmap(c, "E", xs, NX, ys, NY, z, "efficiency E", SW_SCALE_LOG,
                                      &err),
                     SW_OK);
    double px[] = {1e5}, py[] = {1e-7};
    const char *lab[] = {"Fugaku HPL"};
    assert_int_equal(sw_chart_labelled(c, "systems", px, py, lab, 1, &err), SW_OK);
    assert_int_equal(sw_chart_heatmap(c, "E2", xs, NX, ys, NY, z, NULL, SW_SCALE_LOG, &err),
                     SW_EINVAL);
    char *csv = data_of(c);
    double f[5];
    /* cell (N = 1e6, s = 1e-5): E = 1/(10 + 1 - 1e-5) */
    const char *p = strstr(csv, "E,heat,1000000,1e-05,");
    assert_non_null(p);
    assert_double_equal(atof(p + strlen("E,heat,1000000,1e-05,")), 1 / (10 + 1 - 1e-5), 1e-9);
    assert_true(find_row(csv, "systems", "points", 1e5, f));
    assert_non_null(strstr(csv, "Fugaku HPL"));
    /* the frame is the map's edges, half a decade beyond the centres */
    assert_true(find_row(csv, "", "xaxis", NAN, f));
    assert_double_equal(f[3], pow(10, -0.5), 1e-9);
    free(csv);
    unsigned char *png;
    size_t len;
    assert_int_equal(sw_chart_render_mem(c, SW_PLOT_PNG, 800, 500, &png, &len, &err), SW_OK);
    reader r = {png, len, 0};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &r);
    int rgb[3];
    /* bottom-left: N = 1, s = 1e-8 -> E ~ 1, the top of the scale: yellow */
    pixel(img, 90, 440, rgb);
    assert_true(rgb[0] > 200 && rgb[1] > 200 && rgb[2] < 80);
    /* top-right: N = 1e9, s = 0.1 -> E ~ 1e-8, the bottom: dark purple */
    pixel(img, 680, 45, rgb);
    assert_true(rgb[0] < 100 && rgb[1] < 30 && rgb[2] > 60);
    cairo_surface_destroy(img);
    free(png);
    sw_chart_free(c);
}

static void test_stack_and_save(void **state)
{
    (void)state;
    sw_error err = {0};
    sw_chart *c = sw_chart_new("Step time");
    sw_chart_axis(c, 0, "N (GPUs)", SW_SCALE_LOG, NAN, NAN, &err);
    sw_chart_axis(c, 1, "time per step (s)", SW_SCALE_LINEAR, NAN, NAN, &err);
    double n[] = {1, 2, 4}, comp[] = {1, 0.5, 0.25}, comm[] = {0, 0.1, 0.15};
    assert_int_equal(sw_chart_stack(c, "compute", n, comp, 3, &err), SW_OK);
    assert_int_equal(sw_chart_stack(c, "comm", n, comm, 3, &err), SW_OK);
    char dir[] = "/tmp/sw-plot-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], csvp[256];
    snprintf(path, sizeof path, "%s/stack.svg", dir);
    snprintf(csvp, sizeof csvp, "%s/stack.csv", dir);
    assert_int_equal(sw_chart_save(c, path, 640, 400, NULL, 0, &err), SW_OK);
    FILE *fp = fopen(csvp, "r");
    assert_non_null(fp);
    char buf[4096];
    size_t n_read = fread(buf, 1, sizeof buf - 1, fp);
    buf[n_read] = '\0';
    fclose(fp);
    double f[5];
    assert_true(find_row(buf, "comm", "stack", 4, f));
    assert_double_equal(f[1], 0.15, 1e-12);
    assert_double_equal(f[3], 0.25, 1e-12); /* base = compute */
    assert_double_equal(f[4], 0.40, 1e-12);
    assert_int_equal(sw_chart_save(c, "/nonexistent-dir/x.png", 640, 400, NULL, 0, &err), SW_EIO);
    assert_int_equal(sw_chart_save(c, "x.gif", 640, 400, NULL, 0, &err), SW_EINVAL);
    remove(path);
    remove(csvp);
    remove(dir);
    sw_chart_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_ticks),
        cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_speedup_chart_content),
        cmocka_unit_test(test_heatmap),
        cmocka_unit_test(test_stack_and_save),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
