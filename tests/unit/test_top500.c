/* test_top500.c — the TOP500 reader, the per-system figures, flags, errors,
 * the trend verdict, the HPL-MxP what-if and the built-in table.
 *
 * Expected figures are hand computations from the CSV numbers written in
 * each test (shown next to them), never outputs of the code under test. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "scalewall/top500.h"

#define HEADER                                                                                    \
    "list,rank,name,computer,site,country,year,segment,total_cores,accelerator_cores,"            \
    "rmax_tflops,rpeak_tflops,hpcg_tflops,power_kw,processor,interconnect,accelerator\n"

/* Fugaku and Sunway TaihuLight of 2020-11 and Summit of 2019-11, as in the CSVs. */
static const char three[] =
    HEADER
    "2020-11,1,Supercomputer Fugaku,\"Supercomputer Fugaku, A64FX 48C 2.2GHz, Tofu "
    "interconnect D\",RIKEN Center for Computational Science,Japan,2020,Research,7630848,,"
    "442010,537212,16004.5,29899.23,A64FX 48C 2.2GHz,Tofu interconnect D,None\n"
    "2019-11,1,Summit,\"IBM Power System AC922, IBM POWER9 22C 3.07GHz, NVIDIA Volta GV100, "
    "Dual-rail Mellanox EDR Infiniband\",DOE/SC/Oak Ridge National Laboratory,United States,"
    "2018,Research,2414592,2211840,148600,200794.88,2925.75,10096,IBM POWER9 22C 3.07GHz,"
    "Dual-rail Mellanox EDR Infiniband,NVIDIA Volta GV100\n"
    "2020-11,4,,\"Sunway MPP, Sunway SW26010 260C 1.45GHz, Sunway\",National Supercomputing "
    "Center in Wuxi,China,2016,Research,10649600,,93014.59388,125435.904,480.848,15371,Sunway "
    "SW26010 260C 1.45GHz,Sunway,None\n";

static void near4(double got, double want)
{
    /* 4 significant digits: relative error below 1e-4. */
    if (!(fabs(got / want - 1.0) < 1e-4))
        fail_msg("got %.8g, want %.8g (4 significant digits)", got, want);
}

static sw_top500_list read_ok(const char *csv)
{
    sw_top500_list l;
    sw_error err = {0};
    sw_status st = sw_top500_read_csv("t.csv", csv, strlen(csv), &l, &err);
    if (st)
        fail_msg("%s", err.msg);
    return l;
}

static void test_hand_computation(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(three);
    assert_int_equal(l.n, 3);
    const sw_top500_entry *fug = &l.rows[0], *sum = &l.rows[1], *sun = &l.rows[2];
    /* Fugaku: E = 442010/537212 = 0.822785; 1-a = (1/E - 1)/(7630848 - 1)
     * = 0.215384/7630847 = 2.82255e-8; E_HPCG = 16004.5/537212 = 0.0297918;
     * 1-a = (33.5663 - 1)/7630847 = 4.26772e-6; ratio 151.201;
     * r1 = 537212/7630848 = 0.0704000 TF; wall = r1/(1-a) = 2.49420e6 TF;
     * HPCG wall 16495.9 TF; dark = 537212 - 442010 = 95202 TF. */
    assert_int_equal(fug->flags, 0);
    near4(fug->e_hpl, 0.822785);
    near4(fug->serial_hpl, 2.82255e-8);
    near4(fug->e_hpcg, 0.0297918);
    near4(fug->serial_hpcg, 4.26772e-6);
    near4(fug->serial_ratio, 151.201);
    near4(fug->r1, 0.0704000);
    near4(fug->wall_hpl, 2.49420e6);
    near4(fug->wall_hpcg, 16495.9);
    near4(fug->dark_hpl, 95202);
    near4(fug->max_gain_hpl, 1 / 2.82255e-8);
    /* model.md's rounded figures */
    assert_true(fabs(fug->e_hpl - 0.823) < 5e-4 && fabs(fug->serial_hpl - 2.82e-8) < 5e-11);
    assert_true(fabs(fug->e_hpcg - 0.0298) < 5e-5 && fabs(fug->serial_hpcg - 4.27e-6) < 5e-9);
    /* Summit 2019-11: E = 148600/200794.88 = 0.740059; 1-a = 0.351243/2414591
     * = 1.45467e-7; E_HPCG = 2925.75/200794.88 = 0.0145708, 1-a = 2.80090e-5;
     * ratio 192.545; r1 = 0.0831589; wall 571667 TF; HPCG wall 2969.01 TF. */
    near4(sum->e_hpl, 0.740059);
    near4(sum->serial_hpl, 1.45467e-7);
    near4(sum->e_hpcg, 0.0145708);
    near4(sum->serial_hpcg, 2.80090e-5);
    near4(sum->serial_ratio, 192.545);
    near4(sum->wall_hpl, 571667);
    near4(sum->wall_hpcg, 2969.01);
    near4(sum->accel_cores, 2211840);
    near4(sum->power_kw, 10096);
    /* Sunway 2020-11 (no name: the computer is shown): E = 0.741531,
     * 1-a = 3.27300e-8, E_HPCG = 0.00383342, 1-a = 2.44013e-5, ratio 745.532. */
    assert_string_equal(sun->name, "Sunway MPP, Sunway SW26010 260C 1.45GHz, Sunway");
    near4(sun->serial_hpl, 3.27300e-8);
    near4(sun->e_hpcg, 0.00383342);
    near4(sun->serial_hpcg, 2.44013e-5);
    near4(sun->serial_ratio, 745.532);
    assert_true(isnan(sun->accel_cores));
    assert_string_equal(l.list, ""); /* two editions in one file */
    sw_top500_list_free(&l);
}

static const char bad_rows[] =
    HEADER
    "2019-11,244,,Sugon TC6000,Pukou,China,2019,Industry,12800,,1661,181.3,,,,,None\n"
    "2018-11,401,Palmetto2,x,y,US,2018,Academic,12592,27740,800,1000,,,,,NVIDIA\n"
    "2018-11,402,Blank,x,y,US,2018,Academic,,,800,1000,,,,,None\n"
    "2018-11,403,Zero,x,y,US,2018,Academic,0,,800,1000,,,,,None\n"
    "2018-11,404,Good,x,y,US,2018,Academic,1001,,500,1000,50,,,,None\n";

static void test_flags(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(bad_rows);
    char buf[160];
    assert_int_equal(l.n, 5);
    assert_true(l.rows[0].flags & SW_T5_RMAX_GT_RPEAK);
    assert_string_equal(sw_top500_flags_str(l.rows[0].flags, buf, sizeof buf), "rmax_gt_rpeak");
    near4(l.rows[0].e_hpl, 1661 / 181.3); /* kept and shown: 9.16 */
    assert_true(l.rows[0].serial_hpl < 0);
    assert_string_equal(sw_top500_flags_str(l.rows[1].flags, buf, sizeof buf), "accel_gt_cores");
    assert_true(l.rows[2].flags & SW_T5_MISSING);
    assert_true(isnan(l.rows[2].serial_hpl));
    assert_true(l.rows[3].flags & SW_T5_ZERO_CORES);
    assert_int_equal(l.rows[4].flags, 0);
    /* Statistics see only the good row: E = 0.5, 1-a = (2-1)/1000 = 1e-3,
     * E_HPCG = 0.05, 1-a = 19/1000, ratio 19. */
    sw_top500_stats s;
    assert_int_equal(sw_top500_stats_compute(&l, NULL, l.n, &s, NULL), SW_OK);
    assert_int_equal(s.rows, 5);
    assert_int_equal(s.flagged, 4);
    assert_int_equal(s.with_hpcg, 1);
    near4(s.median_serial_hpl, 1e-3);
    near4(s.median_ratio, 19);
    assert_int_equal(s.best_hpl_row, 4);
    sw_top500_list_free(&l);
}

static void expect_error(const char *csv, sw_status want, const char *msg)
{
    sw_top500_list l;
    sw_error err = {0};
    assert_int_equal(sw_top500_read_csv("x.csv", csv, strlen(csv), &l, &err), want);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    assert_null(strchr(err.msg, '\n'));
    assert_int_equal(l.n, 0);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(HEADER "2020-11,1,A,b,c,d,2020,R,10,,abc,2,,,,,None\n", SW_EPARSE,
                 "x.csv:2: column 'rmax_tflops' is not a number: 'abc'");
    expect_error(HEADER "2020-11,1,A,b,c,d,2020,R,10,,1,2,,,,,None\n"
                        "2020-11,2,A,b,c,d,2020,R,1x0,,1,2,,,,,None\n",
                 SW_EPARSE, "x.csv:3: column 'total_cores' is not a number: '1x0'");
    expect_error(HEADER "2020-11,1.5,A,b,c,d,2020,R,10,,1,2,,,,,None\n", SW_EPARSE,
                 "x.csv:2: column 'rank' is not a whole number");
    expect_error(HEADER "2020-11,1,A,b,c,d\n", SW_EPARSE, "x.csv:2: 6 fields where the header");
    expect_error(HEADER, SW_EPARSE, "x.csv: the list has no systems");
    expect_error("", SW_EPARSE, "x.csv: empty file");
    expect_error("list,rank,name,computer,total_cores,rpeak_tflops,hpcg_tflops\n", SW_EPARSE,
                 "x.csv:1: column 'rmax_tflops' is missing");
    expect_error("a,b\n1,2\n", SW_EPARSE, "column 'list' is missing");
    expect_error(HEADER "2020-1,1,A,b,c,d,2020,R,10,,1,2,,,,,None\n", SW_EPARSE,
                 "column 'list' is not YYYY-MM");
    expect_error(HEADER "2020-11,1,\"A,b\n", SW_EPARSE, "unterminated quoted field");
    /* random bytes: a NUL in the first line */
    static const char junk[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    sw_top500_list l;
    sw_error err = {0};
    assert_int_equal(sw_top500_read_csv("r.bin", junk, sizeof junk - 1, &l, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "r.bin"));
    assert_int_equal(sw_top500_read_file("/nonexistent/list.csv", &l, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/list.csv"));
}

static void test_normalise(void **state)
{
    (void)state;
    char s[] = "  IBM\xc2\xa0 Power\t\n Systems \xc2\xa0";
    sw_top500_normalise(s);
    assert_string_equal(s, "IBM Power Systems");
    char e[] = " \t ";
    sw_top500_normalise(e);
    assert_string_equal(e, "");
    char u[] = "Setonix \xe2\x80\x93 GPU"; /* an en dash is not a space */
    sw_top500_normalise(u);
    assert_string_equal(u, "Setonix \xe2\x80\x93 GPU");
}

static void test_fields(void **state)
{
    (void)state;
    const char *doc[] = {"rank", "cores", "e_hpl", "serial_hpl", "e_hpcg", "serial_hpcg",
                         "wall_hpl_tflops", "wall_hpcg_tflops", "serial_ratio", "r1_tflops",
                         "dark_hpl_tflops", "max_gain_hpl", "hpcg_tflops", "power_kw"};
    for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++)
        assert_true(sw_top500_field_find(doc[i]) >= 0);
    assert_int_equal(sw_top500_field_find("nope"), -1);
    sw_top500_list l = read_ok(three);
    near4(sw_top500_field_value(&l.rows[0], sw_top500_field_find("serial_hpcg")), 4.26772e-6);
    near4(sw_top500_field_value(&l.rows[1], sw_top500_field_find("rank")), 1);
    sw_top500_list_free(&l);
}

static void test_write_csv(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(three);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    size_t idx[] = {1};
    assert_int_equal(sw_top500_write_csv(&l, idx, 1, fp, NULL), SW_OK);
    fclose(fp);
    assert_non_null(strstr(buf, "list,rank,name,cores,"));
    assert_non_null(strstr(buf, ",serial_ratio,flags\n"));
    assert_non_null(strstr(buf, "2019-11,1,Summit,2414592,2211840,148600,200794.88,"));
    assert_null(strstr(buf, "Fugaku"));
    free(buf);
    sw_top500_list_free(&l);
}

static void test_write_json(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(bad_rows);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(sw_top500_write_json(&l, NULL, 0, fp, NULL), SW_OK);
    fclose(fp);
    json_error_t je;
    json_t *root = json_loads(buf, 0, &je);
    if (!root)
        fail_msg("invalid JSON: %s", je.text);
    assert_string_equal(json_string_value(json_object_get(root, "format")), "scalewall-top500");
    json_t *sys = json_object_get(root, "systems");
    assert_int_equal(json_array_size(sys), 5);
    json_t *pukou = json_array_get(sys, 0), *blank = json_array_get(sys, 2),
           *good = json_array_get(sys, 4);
    assert_string_equal(json_string_value(json_object_get(pukou, "flags")), "rmax_gt_rpeak");
    assert_true(json_is_null(json_object_get(blank, "serial_hpl")));
    assert_int_equal(json_integer_value(json_object_get(good, "rank")), 404);
    /* Good: E = 500/1000, 1-a = (2 - 1)/1000, HPCG 1-a = (20 - 1)/1000 */
    near4(json_number_value(json_object_get(good, "serial_hpl")), 1e-3);
    near4(json_number_value(json_object_get(good, "serial_hpcg")), 0.019);
    near4(json_number_value(json_object_get(good, "wall_hpcg_tflops")), (1000.0 / 1001) / 0.019);
    assert_string_equal(json_string_value(json_object_get(good, "flags")), "");
    json_decref(root);
    free(buf);
    sw_top500_list_free(&l);
}

/* A list where #1 has E = 1/(1 + (N-1)s) for a chosen s at N = 1e6+1. */
static void make_list(sw_top500_list *l, const char *ed, double s)
{
    memset(l, 0, sizeof *l);
    snprintf(l->list, sizeof l->list, "%s", ed);
    double n = 1e6 + 1, rpeak = 1000;
    double e = 1.0 / (1.0 + (n - 1) * s);
    assert_non_null(sw_top500_add(l, ed, 1, "A", n, NAN, e * rpeak, rpeak, NAN, NAN));
    assert_non_null(sw_top500_add(l, ed, 2, "B", n, NAN, 0.5 * rpeak, rpeak, NAN, NAN));
    sw_top500_analyse(l);
}

static void test_trend(void **state)
{
    (void)state;
    sw_top500_list ls[3];
    sw_top500_trend_row rows[3];
    sw_top500_trend_verdict v;
    /* a floor: 3e-8, 2.5e-8, 2e-8 -> in band, improved 1.5x */
    make_list(&ls[0], "2017-06", 3e-8);
    make_list(&ls[1], "2020-06", 2.5e-8);
    make_list(&ls[2], "2026-06", 2e-8);
    assert_int_equal(sw_top500_trend(ls, 3, 10, rows, &v, NULL), SW_OK);
    near4(rows[0].best_hpl->serial_hpl, 3e-8);
    assert_ptr_equal(rows[0].first, &ls[0].rows[0]);
    /* median of {3e-8, 1e-6}: B has E = 0.5 -> 1-a = 1/1e6 */
    near4(rows[0].median_serial_hpl, (3e-8 + 1e-6) / 2);
    assert_int_equal(v.floor_visible, 1);
    near4(v.best_lo, 2e-8);
    near4(v.best_hi, 3e-8);
    /* but the wall 1/(1-a) is 1/(3e-8 (1e6+1)) = 33x N: not reached, and
     * the flat floor is read as the weak-scaled 1/N it is */
    near4(rows[0].best_wall_over_n, 1 / (3e-8 * (1e6 + 1)));
    near4(v.wall_over_n_lo, 1 / (3e-8 * (1e6 + 1)));
    near4(v.wall_over_n_hi, 1 / (2e-8 * (1e6 + 1)));
    assert_int_equal(v.wall_reached, 0);
    assert_non_null(strstr(v.sentence, "No:"));
    assert_non_null(strstr(v.sentence, "none has reached it"));
    assert_non_null(strstr(v.sentence, "weak-scaled"));
    assert_non_null(strstr(v.sentence, "follows N, not a floor"));
    near4(rows[0].max_cores, 1e6 + 1);
    for (int i = 0; i < 3; i++)
        sw_top500_list_free(&ls[i]);
    /* A at 1-a = 2e-6 (E = 1/3), B at E = 1/2 (1-a = 1e-6): the best, B,
     * has its wall at 1/(1e-6 (1e6+1)) = 0.999999 N: reached */
    make_list(&ls[0], "2017-06", 2e-6);
    make_list(&ls[1], "2026-06", 1.9e-6);
    assert_int_equal(sw_top500_trend(ls, 2, 10, rows, &v, NULL), SW_OK);
    assert_int_equal(v.wall_reached, 1);
    assert_string_equal(rows[0].best_hpl->name, "B");
    near4(rows[0].best_wall_over_n, 1 / (1e-6 * (1e6 + 1)));
    assert_non_null(strstr(v.sentence, "Yes:"));
    for (int i = 0; i < 2; i++)
        sw_top500_list_free(&ls[i]);
    /* still falling 100x: no floor */
    make_list(&ls[0], "2017-06", 1e-7);
    make_list(&ls[1], "2026-06", 1e-9);
    assert_int_equal(sw_top500_trend(ls, 2, 10, rows, &v, NULL), SW_OK);
    assert_int_equal(v.floor_visible, 0);
    assert_non_null(strstr(v.sentence, "No:"));
    assert_non_null(strstr(v.sentence, "kept falling"));
    for (int i = 0; i < 2; i++)
        sw_top500_list_free(&ls[i]);
    make_list(&ls[0], "2017-06", 1e-7);
    assert_int_equal(sw_top500_trend(ls, 1, 10, rows, &v, NULL), SW_OK);
    assert_non_null(strstr(v.sentence, "One list"));
    sw_top500_list_free(&ls[0]);
}

static void test_mxp_whatif(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(three);
    snprintf(l.list, sizeof l.list, "2019-11");
    sw_mxp m = {0};
    assert_non_null(sw_mxp_add(&m, "2019-11", "Summit", 0.45, 0.148, 1, 2414592, ""));
    assert_non_null(sw_mxp_add(&m, "2019-11", "Nowhere", 0.1, 0.05, 0, NAN, ""));
    assert_non_null(sw_mxp_add(&m, "2018-06", "Summit", 0.1, 0.05, 1, NAN, ""));
    sw_mxp_result r[3];
    assert_int_equal(sw_mxp_compare(&m, &l, 1, 16, r, NULL), SW_OK);
    /* Summit, s = 1.45467e-7, N = 2414592, k = 16:
     * s' = 16 s/(1 + 15 s) = 2.327467e-6; E' = 1/(N s' + 1 - s') = 1/6.619887 = 0.151060;
     * R'/R = 16 E'/E = 16 * 0.151060/0.740059 = 3.26590; predicted 0.148 * 3.2659 = 0.483353 EF
     * (model.md: ~485 PF against 445 measured). */
    assert_ptr_equal(r[0].entry, &l.rows[1]);
    assert_string_equal(r[0].match, "name");
    near4(r[0].measured_gain, 0.45 / 0.148);
    near4(r[0].predicted_gain, 3.26590);
    near4(r[0].predicted_eflops, 0.483353);
    assert_int_equal(r[0].verdict, SW_MXP_FITS);
    /* k_fit reproduces the measured gain */
    sw_mxp_result again[3];
    assert_true(r[0].k_fit > 1 && r[0].k_fit < 16);
    assert_int_equal(sw_mxp_compare(&m, &l, 1, r[0].k_fit, again, NULL), SW_OK);
    assert_true(fabs(again[0].predicted_gain / r[0].measured_gain - 1) < 1e-6);
    assert_string_equal(r[1].match, "none");
    assert_int_equal(r[1].verdict, SW_MXP_NO_MATCH);
    assert_string_equal(r[2].match, "no-list");
    assert_int_equal(sw_mxp_compare(&m, &l, 1, 0, r, NULL), SW_EINVAL);
    sw_mxp_free(&m);
    sw_top500_list_free(&l);
}

static void test_mxp_matching(void **state)
{
    (void)state;
    sw_top500_list l = {0};
    snprintf(l.list, sizeof l.list, "2020-11");
    sw_top500_add(&l, "2020-11", 7, "JUWELS Booster Module", 449280, NAN, 44120, 70980, NAN, NAN);
    sw_top500_add(&l, "2020-11", 41, "Flow", 110592, NAN, 6614, 7880, NAN, NAN);
    sw_top500_add(&l, "2020-11", 58, "Flow Type II subsystem", 79560, NAN, 4000, 6000, NAN, NAN);
    sw_top500_add(&l, "2020-11", 60, "Setonix \xe2\x80\x93 GPU", 1000, NAN, 27, 40, NAN, NAN);
    sw_top500_analyse(&l);
    sw_mxp m = {0};
    sw_mxp_add(&m, "2020-11", "JUWELS BM", 0.11, 0.044, 7, NAN, "");
    sw_mxp_add(&m, "2020-11", "Flow Type I", 0.03, 0.007, 41, NAN, "");
    sw_mxp_add(&m, "2020-11", "Setonix - GPU", 0.1, 0.027, 3, NAN, "");
    sw_mxp_add(&m, "2020-11", "JUWELS BM", 0.11, 0.09, 7, NAN, ""); /* Rmax 2x off */
    sw_mxp_result r[4];
    assert_int_equal(sw_mxp_compare(&m, &l, 1, 16, r, NULL), SW_OK);
    assert_string_equal(r[0].match, "rank+rmax");
    assert_ptr_equal(r[0].entry, &l.rows[0]);
    assert_string_equal(r[1].match, "rank+name");
    assert_ptr_equal(r[1].entry, &l.rows[1]);
    assert_string_equal(r[2].match, "name"); /* punctuation and dashes do not count */
    assert_ptr_equal(r[2].entry, &l.rows[3]);
    assert_string_equal(r[3].match, "none");
    sw_mxp_free(&m);
    sw_top500_list_free(&l);
}

static void test_mxp_csv(void **state)
{
    (void)state;
    static const char ok[] =
        "list,name,hpl_mxp_eflops,hpl_eflops,mxp_rank,top500_rank,site,cores,speedup,"
        "benchmark_name,note,source\n"
        "2019-11,Summit,0.45,0.148,1,1,\"ORNL, USA\",2414592,3,HPL-AI,,x\n"
        "2024-11,Tethys,0.01,0.002,3,,\"X, Y\",100,5,HPL-MxP,,x\n";
    sw_mxp m;
    sw_error err = {0};
    assert_int_equal(sw_mxp_read_csv("m.csv", ok, strlen(ok), &m, &err), SW_OK);
    assert_int_equal(m.n, 2);
    assert_string_equal(m.rows[0].name, "Summit");
    assert_int_equal(m.rows[0].top500_rank, 1);
    assert_int_equal(m.rows[1].top500_rank, 0);
    near4(m.rows[1].hpl_eflops, 0.002);
    sw_mxp_free(&m);
    static const char bad[] = "list,name,hpl_mxp_eflops,hpl_eflops\n2019-11,S,abc,0.1\n";
    assert_int_equal(sw_mxp_read_csv("m.csv", bad, strlen(bad), &m, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "m.csv:2: column 'hpl_mxp_eflops' is not a number: 'abc'"));
    static const char nocol[] = "list,name,hpl_eflops\n2019-11,S,0.1\n";
    assert_int_equal(sw_mxp_read_csv("m.csv", nocol, strlen(nocol), &m, &err), SW_EPARSE);
    assert_non_null(strstr(err.msg, "column 'hpl_mxp_eflops' is missing"));
}

static void test_embedded(void **state)
{
    (void)state;
    size_t n = sw_top500_embedded_count();
    assert_true(n >= 19);
    assert_string_equal(sw_top500_embedded_edition(0), "2017-06");
    assert_string_equal(sw_top500_embedded_edition(n - 1), "2026-06");
    for (size_t i = 0; i < n; i++) {
        sw_top500_list l;
        assert_int_equal(sw_top500_embedded_list(sw_top500_embedded_edition(i), &l, NULL), SW_OK);
        assert_true(l.n >= 10);
        for (long r = 1; r <= 10; r++)
            assert_int_equal(l.rows[r - 1].rank, r);
        assert_int_equal(sw_top500_embedded_list_size(l.list), 500);
        sw_top500_list_free(&l);
    }
    sw_top500_list l;
    assert_int_equal(sw_top500_embedded_list("", &l, NULL), SW_OK);
    assert_string_equal(l.list, "2026-06");
    size_t hpcg = 0;
    for (size_t i = 0; i < l.n; i++)
        hpcg += !isnan(l.rows[i].hpcg);
    assert_int_equal(hpcg, 134); /* the README's count for 2026-06 */
    sw_top500_list_free(&l);
    sw_error err = {0};
    assert_int_equal(sw_top500_embedded_list("1999-06", &l, &err), SW_EINVAL);
    sw_mxp m;
    assert_int_equal(sw_top500_embedded_mxp(&m, NULL), SW_OK);
    assert_int_equal(m.n, 266);
    sw_mxp_free(&m);
}

/* The built-in rows must be exactly the file's rows (generator check). */
static void test_embedded_matches_files(void **state)
{
    (void)state;
    char path[4096];
    const char *shared = getenv("SW_SHARED_DIR");
    snprintf(path, sizeof path, "%s/data/top500/2020-11.csv", shared ? shared : SW_SHARED_DIR);
    if (access(path, R_OK) != 0)
        skip();
    sw_top500_list f, e;
    sw_error err = {0};
    assert_int_equal(sw_top500_read_file(path, &f, &err), SW_OK);
    assert_int_equal(sw_top500_embedded_list("2020-11", &e, &err), SW_OK);
    for (size_t i = 0; i < e.n; i++) {
        const sw_top500_entry *x = &e.rows[i], *y = &f.rows[x->rank - 1];
        assert_int_equal(x->rank, y->rank);
        assert_string_equal(x->name, y->name);
        assert_true(x->rmax == y->rmax && x->rpeak == y->rpeak && x->cores == y->cores);
        assert_true(x->hpcg == y->hpcg || (isnan(x->hpcg) && isnan(y->hpcg)));
        assert_true(x->serial_hpl == y->serial_hpl);
    }
    sw_top500_list_free(&f);
    sw_top500_list_free(&e);
}

static void test_to_obs(void **state)
{
    (void)state;
    sw_top500_list l = read_ok(bad_rows);
    sw_obs *o;
    assert_int_equal(sw_top500_to_obs(&l, &o, NULL), SW_OK);
    assert_int_equal(o->quantity, SW_QTY_RATE);
    assert_string_equal(o->unit, "TFlop/s");
    assert_string_equal(o->workload, "top500");
    assert_int_equal(o->npts, 3); /* blank or zero cores cannot be a point */
    const sw_obs_point *good = &o->pts[2], *bad = &o->pts[0];
    near4(good->n, 1001);
    near4(good->value, 500);
    near4(good->peak, 1000);
    assert_int_equal(good->ok, 1);
    assert_string_equal(good->label, "Good");
    near4(good->extra[sw_obs_find_extra(o, "hpcg_tflops")], 50);
    near4(good->extra[sw_obs_find_extra(o, "rank")], 404);
    assert_true(isnan(good->extra[sw_obs_find_extra(o, "power_kw")]));
    assert_int_equal(bad->ok, 0); /* Rmax > Rpeak: kept, not used */
    sw_obs_free(o);
    sw_top500_list_free(&l);
    /* a one-edition list carries it in params */
    l = read_ok(HEADER "2020-11,1,A,b,c,d,2020,R,10,,1,2,,,,,None\n");
    assert_int_equal(sw_top500_to_obs(&l, &o, NULL), SW_OK);
    assert_string_equal(o->params, "list=2020-11");
    sw_obs_free(o);
    sw_top500_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computation), cmocka_unit_test(test_flags),
        cmocka_unit_test(test_errors),           cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_fields),           cmocka_unit_test(test_write_csv),
        cmocka_unit_test(test_trend),            cmocka_unit_test(test_mxp_whatif),
        cmocka_unit_test(test_mxp_matching),     cmocka_unit_test(test_mxp_csv),
        cmocka_unit_test(test_embedded),         cmocka_unit_test(test_embedded_matches_files),
        cmocka_unit_test(test_to_obs),           cmocka_unit_test(test_write_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
