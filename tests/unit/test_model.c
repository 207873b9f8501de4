/* test_model.c — the Amdahl/Karp-Flatt formulas against closed forms and
 * hand computations, and the edge cases model.h defines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "scalewall/model.h"

#define REL(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol) * fabs((double)(b)))

static void test_karp_flatt_hand(void **state)
{
    (void)state;
    /* N = 8, S = 6: E = 0.75, s = (1/0.75 - 1)/7 = (1/3)/7 = 1/21. */
    sw_amdahl a;
    assert_int_equal(sw_amdahl_from_speedup(8, 6, &a, NULL), SW_OK);
    REL(a.efficiency, 0.75, 1e-15);
    REL(a.serial, 1.0 / 21.0, 1e-14);
    REL(a.alpha, 20.0 / 21.0, 1e-14);
    /* The Karp-Flatt form (1/S - 1/N)/(1 - 1/N) gives the same number. */
    REL(a.serial, (1.0 / 6 - 1.0 / 8) / (1 - 1.0 / 8), 1e-14);
    /* The common inversion bug (1/S - 1)/(1/N - 1) is alpha, not 1 - alpha. */
    REL(a.alpha, (1.0 / 6 - 1) / (1.0 / 8 - 1), 1e-14);
    assert_false(a.superlinear);
}

static void test_three_entry_points_agree(void **state)
{
    (void)state;
    sw_amdahl s, e, t;
    assert_int_equal(sw_amdahl_from_speedup(64, 40, &s, NULL), SW_OK);
    assert_int_equal(sw_amdahl_from_efficiency(64, 40.0 / 64, &e, NULL), SW_OK);
    assert_int_equal(sw_amdahl_from_times(64, 100.0, 2.5, &t, NULL), SW_OK);
    REL(e.serial, s.serial, 1e-13);
    REL(t.serial, s.serial, 1e-13);
}

static void test_forward_inverse_roundtrip(void **state)
{
    (void)state;
    const double serials[] = {1e-9, 2.82e-8, 1e-4, 0.05, 0.5};
    const double ns[] = {2, 16, 1000, 7630848};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 4; j++) {
            double e = sw_efficiency(ns[j], serials[i]);
            sw_amdahl a;
            assert_int_equal(sw_amdahl_from_efficiency(ns[j], e, &a, NULL), SW_OK);
            /* E carries ~1e-16 absolute error, so s can only be recovered
             * to about eps / ((N - 1) s) relative. */
            REL(a.serial, serials[i], 1e-12 + 4e-16 / ((ns[j] - 1) * serials[i]));
        }
}

static void test_fugaku_hand(void **state)
{
    (void)state;
    /* Fugaku 2020-11: N = 7,630,848, Rmax 442,010, Rpeak 537,212 TFlop/s. */
    double n = 7630848, e = 442010.0 / 537212.0;
    sw_amdahl a;
    assert_int_equal(sw_amdahl_from_efficiency(n, e, &a, NULL), SW_OK);
    /* By hand: 1/E = 1.215384, (1/E - 1)/(N - 1) = 0.215384/7630847 = 2.8226e-8. */
    REL(a.serial, 2.8226e-8, 1e-4);
    double r1 = 537212.0 / n; /* TFlop/s per core */
    REL(sw_wall(r1, a.serial), r1 / 2.8226e-8, 1e-4);
}

static void test_wall_gain_nhalf(void **state)
{
    (void)state;
    double s = 0.01;
    REL(sw_max_gain(s), 100, 1e-15);
    REL(sw_wall(2.5, s), 250, 1e-15);
    /* N1/2 = (2 - alpha)/(1 - alpha) = 1.01/0.01 = 101, where E is exactly 1/2. */
    REL(sw_n_half(s), 101, 1e-13);
    REL(sw_efficiency(sw_n_half(s), s), 0.5, 1e-13);
    /* N at E = 0.8: (1/0.8 - 1 + s)/s = (0.25 + 0.01)/0.01 = 26. */
    REL(sw_n_for_efficiency(s, 0.8), 26, 1e-13);
    REL(sw_efficiency(26, s), 0.8, 1e-13);
    /* R(N) -> r1/s. */
    REL(sw_rate(1e12, 2.5, s), 250, 1e-8);
    /* The two regimes of model.md: N s << 1 -> E ~ 1 - N s; N s >> 1 -> E ~ 1/(N s). */
    REL(sw_efficiency(1000, 1e-9), 1 - 1000 * 1e-9, 2e-9);
    REL(sw_efficiency(1e9, 1e-3), 1 / (1e9 * 1e-3), 1e-5);
    REL(sw_dark_performance(100, 2, 0.25), 150, 1e-15);
}

static void test_payload_whatif(void **state)
{
    (void)state;
    /* s = 0.01, k = 4: s' = 0.04/1.03, E at N = 100: 1/(1.99) and
     * E' = 1/(100 s' + 1 - s'); kept = 4 E'/E. */
    sw_payload_whatif w;
    assert_int_equal(sw_payload_speedup(100, 0.01, 4, &w, NULL), SW_OK);
    double sp = 0.04 / 1.03;
    REL(w.serial, sp, 1e-14);
    double e = 1 / (100 * 0.01 + 0.99), ep = 1 / (100 * sp + 1 - sp);
    REL(w.efficiency, ep, 1e-14);
    REL(w.gain_kept, 4 * ep / e, 1e-14);
    assert_true(w.gain_kept < 4);
    /* First order: s' ~ k s; the wall moves by only 1 + (k-1)s. */
    REL(w.wall_ratio, 1.03, 1e-14);
    /* k = 1 changes nothing. */
    assert_int_equal(sw_payload_speedup(100, 0.01, 1, &w, NULL), SW_OK);
    REL(w.serial, 0.01, 1e-15);
    REL(w.gain_kept, 1, 1e-15);
    /* Summit (model.md): HPL E = 0.740 at 2,414,592 cores; k = 16 -> about 485 PF
     * from 148.6 PF. */
    double n = 2414592, es = 0.740;
    sw_amdahl a;
    assert_int_equal(sw_amdahl_from_efficiency(n, es, &a, NULL), SW_OK);
    assert_int_equal(sw_payload_speedup(n, a.serial, 16, &w, NULL), SW_OK);
    double predicted = 148.6 * w.gain_kept;
    assert_true(predicted > 440 && predicted < 530);
}

static void test_optimum(void **state)
{
    (void)state;
    /* T(N) = T1 (s + (1-s)/N) + a log2 N: dT/dN = -(1-s)T1/N^2 + a/(N ln 2) = 0. */
    double t1 = 100, s = 0.01, a = 0.05;
    double nstar = sw_optimum_n_log(t1, s, a);
    REL(nstar, 0.99 * 100 * log(2) / 0.05, 1e-14);
    double h = 1e-3 * nstar;
#define T_LOG(N) (t1 * (s + (1 - s) / (N)) + a * log2(N))
    assert_true(T_LOG(nstar) < T_LOG(nstar - h));
    assert_true(T_LOG(nstar) < T_LOG(nstar + h));
    double nlin = sw_optimum_n_linear(t1, s, a);
    REL(nlin, sqrt(0.99 * 100 / 0.05), 1e-14);
#define T_LIN(N) (t1 * (s + (1 - s) / (N)) + a * (N))
    assert_true(T_LIN(nlin) < T_LIN(nlin * 0.99));
    assert_true(T_LIN(nlin) < T_LIN(nlin * 1.01));
    assert_true(isnan(sw_optimum_n_log(t1, s, 0)));
}

static void test_edges(void **state)
{
    (void)state;
    sw_amdahl a;
    sw_error err = {0};
    /* N = 1: indeterminate. */
    assert_int_equal(sw_amdahl_from_speedup(1, 1, &a, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "N = 1"));
    assert_int_equal(sw_amdahl_point(1, 1, &a, &err), SW_OK);
    assert_true(isnan(a.serial));
    /* E = 1: s = 0, the wall is infinite. */
    assert_int_equal(sw_amdahl_from_efficiency(16, 1.0, &a, NULL), SW_OK);
    assert_true(a.serial == 0.0);
    assert_true(isinf(sw_wall(1, a.serial)));
    assert_true(isinf(sw_n_half(a.serial)));
    /* Superlinear: reported, not hidden. */
    assert_int_equal(sw_amdahl_from_speedup(4, 5, &a, NULL), SW_OK);
    assert_true(a.superlinear);
    assert_true(a.serial < 0);
    REL(a.serial, (4.0 / 5 - 1) / 3, 1e-14);
    /* E <= 0, N < 1, NaN, inf, non-positive times. */
    assert_int_equal(sw_amdahl_from_efficiency(16, 0, &a, &err), SW_EDOM);
    assert_int_equal(sw_amdahl_from_efficiency(16, -0.5, &a, &err), SW_EDOM);
    assert_int_equal(sw_amdahl_from_speedup(0.5, 1, &a, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "below 1"));
    assert_int_equal(sw_amdahl_from_speedup(NAN, 1, &a, &err), SW_EDOM);
    assert_int_equal(sw_amdahl_from_speedup(8, INFINITY, &a, &err), SW_EDOM);
    assert_int_equal(sw_amdahl_from_times(8, 0, 1, &a, &err), SW_EDOM);
    assert_int_equal(sw_amdahl_from_times(8, 1, NAN, &a, &err), SW_EDOM);
    assert_int_equal(sw_payload_speedup(8, 0.1, 0, NULL, &err), SW_EDOM);
    assert_true(isnan(sw_efficiency(0.5, 0.1)));
    assert_true(isnan(sw_n_for_efficiency(0.1, 1.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_karp_flatt_hand),  cmocka_unit_test(test_three_entry_points_agree),
        cmocka_unit_test(test_forward_inverse_roundtrip), cmocka_unit_test(test_fugaku_hand),
        cmocka_unit_test(test_wall_gain_nhalf),  cmocka_unit_test(test_payload_whatif),
        cmocka_unit_test(test_optimum),          cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
