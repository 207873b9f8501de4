/* test_report.c — base64 and HTML escaping against their definitions, the
 * figures' numbers against closed forms, and a whole report written from a
 * closed-form model, a synthetic series and a plan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "scalewall/report.h"

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648 section 10 */
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *b = sw_base64((const unsigned char *)in[i], strlen(in[i]));
        assert_string_equal(b, out[i]);
        free(b);
    }
    const unsigned char bin[] = {0xff, 0x00, 0xfe};
    char *b = sw_base64(bin, 3);
    assert_string_equal(b, "/wD+");
    free(b);
}

static void test_escape(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    sw_html_escape(fp, "<a href=\"x\">Tom & Jerry's</a>");
    fclose(fp);
    assert_string_equal(buf, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    free(buf);
}

/* Amdahl with s = 0.01: T(N) = 1 + 99/N, three repetitions at 1..16. */
static sw_obs *amdahl_series(void)
{
    sw_obs *o = sw_obs_new("amdahl", SW_QTY_TIME, "s");
    for (double n = 1; n <= 16; n *= 2)
        for (int r = 0; r < 3; r++)
            sw_obs_add(o, n, r, (1 + 99 / n) * (1 + 0.01 * (r - 1)));
    return o;
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

static void test_speedup_figure(void **state)
{
    (void)state;
    sw_obs *o = amdahl_series();
    sw_closed_model m = {1, 99, 0, 0, 0.05};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_chart *c = NULL;
    sw_error err = {0};
    assert_int_equal(sw_fig_speedup(o, &p, 1024, &c, &err), SW_OK);
    char *csv = data_of(c);
    /* measured S(4) = 100/25.75 (medians are the middle repetition) */
    char want[128];
    snprintf(want, sizeof want, "points,4,%.10g,", 100 / 25.75);
    assert_non_null(strstr(csv, want));
    /* the wall of s = 0.01 is 100x */
    assert_non_null(strstr(csv, "hline,,100,"));
    /* the model line ends at N = 1024 with S = 1/(0.01 + 0.99/1024) */
    snprintf(want, sizeof want, "line,1024,%.10g,", 100 / (1 + 99.0 / 1024));
    assert_non_null(strstr(csv, want));
    free(csv);
    sw_chart_free(c);
    assert_int_equal(sw_fig_serial(o, &p, 1024, &c, &err), SW_OK);
    csv = data_of(c);
    /* Karp-Flatt of exact Amdahl points is s itself: 0.01 at every N */
    snprintf(want, sizeof want, "points,8,%.10g,", 0.01);
    assert_non_null(strstr(csv, "points,8,0.01"));
    free(csv);
    sw_chart_free(c);
    sw_obs_free(o);
}

static void test_map_figure(void **state)
{
    (void)state;
    sw_map_system sys[] = {{"A", 1e6, 1e-7, 1e-5}, {"B", 1e5, 2e-7, NAN}};
    sw_chart *c = NULL;
    sw_error err = {0};
    assert_int_equal(sw_fig_map(sys, 2, "me", 4, 0.01, &c, &err), SW_OK);
    char *csv = data_of(c);
    size_t cells = 0;
    for (char *p = strstr(csv, ",heat,"); p; p = strstr(p + 1, ",heat,"))
        cells++;
    assert_int_equal(cells, 120 * 100);
    assert_non_null(strstr(csv, "TOP500 systems under HPL,points,1000000,1e-07,,,,A"));
    assert_non_null(strstr(csv, "TOP500 systems under HPCG,points,1000000,1e-05,,,,A"));
    assert_null(strstr(csv, "HPCG,points,100000,")); /* B has no HPCG */
    assert_non_null(strstr(csv, "me,points,4,0.01,,,,me"));
    free(csv);
    sw_chart_free(c);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_whole_report(void **state)
{
    (void)state;
    sw_obs *o = amdahl_series();
    sw_closed_model m = {1, 99, 0, 0, 0.05};
    sw_predictor p;
    sw_predictor_closed(&p, &m);
    sw_price_table prices;
    sw_error err = {0};
    assert_int_equal(sw_prices_default(&prices, &err), SW_OK);
    double nodes[] = {1, 2, 4};
    sw_plan_request req = {nodes, 3, {.kind = SW_WORK_STEPS, .amount = 1000, .desc = "1000 steps"}, 3600, NAN, 10};
    sw_plan plan;
    assert_int_equal(sw_plan_run(&p, &prices, &req, &plan, &err), SW_OK);
    sw_map_system sys[] = {{"A<&>", 1e6, 1e-7, 1e-5}};
    sw_report_input in = {0};
    in.results = o;
    in.results_source = "synthetic";
    in.model = &p;
    in.plan = &plan;
    in.systems = sys;
    in.nsystems = 1;
    char dir[] = "/tmp/sw-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    sw_report_summary sum;
    assert_int_equal(sw_report_write(&in, dir, &sum, &err), SW_OK);
    assert_int_equal(sum.nfigures, 5); /* speedup, efficiency, serial, plan, map */
    assert_true(sum.nlines >= 3);
    char path[256];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html;
    size_t len;
    assert_int_equal(sw_read_file(path, &html, &len, &err), SW_OK);
    const char *ids[] = {"summary", "measurements", "model", "plan", "context", "method",
                         "provenance"};
    for (size_t i = 0; i < 7; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\">", ids[i]);
        assert_int_equal(count(html, want), 1);
    }
    assert_int_equal(count(html, "src=\"data:image/png;base64,"), 5);
    assert_int_equal(count(html, "http"), 0);
    assert_int_equal(count(html, "<script"), 0);
    assert_int_equal(count(html, "A&lt;&amp;&gt;"), 1); /* the system name, escaped */
    assert_non_null(strstr(html, plan.deadline.sentence));
    free(html);
    const char *files[] = {"speedup", "efficiency", "serial", "plan", "map"};
    for (size_t i = 0; i < 5; i++) {
        char f[256];
        snprintf(f, sizeof f, "%s/fig-%s.csv", dir, files[i]);
        assert_int_equal(access(f, R_OK), 0);
        unlink(f);
        snprintf(f, sizeof f, "%s/fig-%s.png", dir, files[i]);
        assert_int_equal(access(f, R_OK), 0);
        unlink(f);
    }
    unlink(path);
    rmdir(dir);
    /* a directory that is not there: one error, nothing written */
    assert_int_equal(sw_report_write(&in, "/nonexistent/sw", &sum, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "not writable"));
    sw_plan_free(&plan);
    sw_prices_free(&prices);
    sw_obs_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_speedup_figure),
        cmocka_unit_test(test_map_figure),
        cmocka_unit_test(test_whole_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
