/* test_collectives.c — every collective's time against its α–β–γ formula,
 * evaluated by hand below (docs/simulate.md has the table).
 *
 * Flat cases: α = 1e-6 s, β = 1e-9 s/B, γ = 2e-10 s/B, n = 1e6 B, so
 * nβ = 1e-3 s and nγ = 2e-4 s.  p = 8 (lg p = 3) and p = 6 (p' = 4,
 * ceil(lg p) = 3, MPICH folding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "scalewall/collectives.h"

static const sw_link L = {1e-6, 1e-9, 2e-10};

static double t_of(sw_coll_op op, sw_coll_alg alg, double p, double n, const sw_link *l)
{
    double t = -1;
    sw_error err = {0};
    assert_int_equal(sw_coll_time(op, alg, p, n, l, &t, &err), SW_OK);
    return t;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) <= 1e-12 + 1e-12 * fabs(b))

static void test_p2p(void **state)
{
    (void)state;
    NEAR(sw_p2p_time(&L, 1e6), 1e-6 + 1e-3); /* α + nβ */
    NEAR(sw_p2p_time(&L, 0), 1e-6);
}

static void test_power_of_two(void **state)
{
    (void)state;
    /* bcast binomial: lg p (α + nβ) = 3 (1e-6 + 1e-3) */
    NEAR(t_of(SW_COLL_BCAST, SW_ALG_BINOMIAL, 8, 1e6, &L), 3.003e-3);
    /* bcast scatter+allgather: (lg p + p - 1) α + 2 (p-1)/p nβ = 10e-6 + 1.75e-3 */
    NEAR(t_of(SW_COLL_BCAST, SW_ALG_SCATTER_ALLGATHER, 8, 1e6, &L), 1.76e-3);
    /* reduce binomial: lg p (α + nβ + nγ) = 3 (1.201e-3) */
    NEAR(t_of(SW_COLL_REDUCE, SW_ALG_BINOMIAL, 8, 1e6, &L), 3.603e-3);
    /* allgather ring: (p-1) α + (p-1)/p nβ = 7e-6 + 8.75e-4 */
    NEAR(t_of(SW_COLL_ALLGATHER, SW_ALG_RING, 8, 1e6, &L), 8.82e-4);
    /* allgather RD: lg p α + (p-1)/p nβ = 3e-6 + 8.75e-4 */
    NEAR(t_of(SW_COLL_ALLGATHER, SW_ALG_RECURSIVE_DOUBLING, 8, 1e6, &L), 8.78e-4);
    /* reduce-scatter RH: lg p α + (p-1)/p n(β+γ) = 3e-6 + 7/8 1.2e-3 */
    NEAR(t_of(SW_COLL_REDUCE_SCATTER, SW_ALG_RECURSIVE_HALVING, 8, 1e6, &L), 1.053e-3);
    /* reduce-scatter ring: (p-1) α + (p-1)/p n(β+γ) = 7e-6 + 1.05e-3 */
    NEAR(t_of(SW_COLL_REDUCE_SCATTER, SW_ALG_RING, 8, 1e6, &L), 1.057e-3);
    /* allreduce RD: lg p (α + nβ + nγ) */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RECURSIVE_DOUBLING, 8, 1e6, &L), 3.603e-3);
    /* allreduce ring: 2(p-1)α + 2(p-1)/p nβ + (p-1)/p nγ = 14e-6 + 1.75e-3 + 1.75e-4 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, 8, 1e6, &L), 1.939e-3);
    /* Rabenseifner: 2 lg p α + 2(p-1)/p nβ + (p-1)/p nγ = 6e-6 + 1.75e-3 + 1.75e-4 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RABENSEIFNER, 8, 1e6, &L), 1.931e-3);
    /* reduce + bcast: 2 lg p (α + nβ) + lg p nγ = 6.006e-3 + 6e-4 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_REDUCE_BCAST, 8, 1e6, &L), 6.606e-3);
    /* alltoall pairwise: (p-1) α + (p-1)/p nβ */
    NEAR(t_of(SW_COLL_ALLTOALL, SW_ALG_PAIRWISE, 8, 1e6, &L), 8.82e-4);
    /* alltoall Bruck: lg p α + n/2 lg p β = 3e-6 + 1.5e-3 */
    NEAR(t_of(SW_COLL_ALLTOALL, SW_ALG_BRUCK, 8, 1e6, &L), 1.503e-3);
    /* barrier dissemination: ceil(lg p) α */
    NEAR(t_of(SW_COLL_BARRIER, SW_ALG_DISSEMINATION, 8, 0, &L), 3e-6);
}

static void test_non_power_of_two(void **state)
{
    (void)state;
    /* Trees use ceil(lg 6) = 3 rounds. */
    NEAR(t_of(SW_COLL_BCAST, SW_ALG_BINOMIAL, 6, 1e6, &L), 3.003e-3);
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_REDUCE_BCAST, 6, 1e6, &L), 6.606e-3);
    NEAR(t_of(SW_COLL_BARRIER, SW_ALG_DISSEMINATION, 5, 0, &L), 3e-6);
    NEAR(t_of(SW_COLL_BARRIER, SW_ALG_DISSEMINATION, 9, 0, &L), 4e-6);
    /* Ring is exact for any p: 10e-6 + 2 5/6 1e-3 + 5/6 2e-4 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, 6, 1e6, &L), 1e-5 + 5.0 / 3 * 1e-3 + 5.0 / 6 * 2e-4);
    /* RD allreduce folds 6 -> 4: 2 (1.201e-3) + fold in (α + nβ + nγ = 1.201e-3)
     * + fold out (α + nβ = 1.001e-3) = 4.604e-3 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RECURSIVE_DOUBLING, 6, 1e6, &L), 4.604e-3);
    /* Rabenseifner on 4: 4e-6 + 1.5e-3 + 1.5e-4 = 1.654e-3, + fold 2.202e-3 */
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RABENSEIFNER, 6, 1e6, &L), 3.856e-3);
    /* Allgather RD on 4: 2e-6 + 7.5e-4; fold in α + (n/6)β, fold out α + nβ */
    NEAR(t_of(SW_COLL_ALLGATHER, SW_ALG_RECURSIVE_DOUBLING, 6, 1e6, &L),
         7.52e-4 + (1e-6 + 1e-3 / 6) + 1.001e-3);
    /* RS halving on 4: 2e-6 + 3/4 1.2e-3 = 9.02e-4; fold in 1.201e-3, out α + (n/6)β */
    NEAR(t_of(SW_COLL_REDUCE_SCATTER, SW_ALG_RECURSIVE_HALVING, 6, 1e6, &L),
         9.02e-4 + 1.201e-3 + (1e-6 + 1e-3 / 6));
}

static void test_bounds_and_bus_bandwidth(void **state)
{
    (void)state;
    /* The allreduce lower bound lg p α + 2(p-1)/p nβ + (p-1)/p nγ: ring and
     * Rabenseifner sit above it; Rabenseifner by exactly lg p α at p = 2^k. */
    for (double p = 2; p <= 1024; p *= 2) {
        double lb = log2(p) * L.alpha + 2 * (p - 1) / p * 1e6 * L.beta + (p - 1) / p * 1e6 * L.gamma;
        double rab = t_of(SW_COLL_ALLREDUCE, SW_ALG_RABENSEIFNER, p, 1e6, &L);
        NEAR(rab - lb, log2(p) * L.alpha);
        assert_true(t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, p, 1e6, &L) >= lb - 1e-15);
    }
    /* NCCL bus-bandwidth factor: ring allreduce bandwidth term / nβ = 2(p-1)/p. */
    sw_link beta_only = {0, 1e-9, 0};
    NEAR(t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, 16, 1e6, &beta_only) / 1e-3, 2.0 * 15 / 16);
    /* One rank costs nothing. */
    assert_true(t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, 1, 1e6, &L) == 0);
}

static void test_hierarchical(void **state)
{
    (void)state;
    sw_link in = {1e-7, 1e-10, 2e-10}, out = {1e-6, 1e-9, 2e-10};
    double t;
    sw_error err = {0};
    /* 4 nodes x 8: RS ring intra 7e-7 + 7/8 1e6 3e-10 = 2.632e-4;
     * AR ring inter on 125000 B: 6e-6 + 1.5 1.25e-4 + 0.75 2.5e-5 = 2.1225e-4;
     * AG ring intra 7e-7 + 7/8 1e-4 = 8.82e-5.  Sum 5.6365e-4. */
    assert_int_equal(sw_coll_time_hier(SW_COLL_ALLREDUCE, SW_ALG_RING, 4, 8, 1e6, &in, &out, &t,
                                       &err), SW_OK);
    NEAR(t, 5.6365e-4);
    /* bcast: inter 2 (1e-6 + 1e-3) + intra 3 (1e-7 + 1e-4) */
    assert_int_equal(sw_coll_time_hier(SW_COLL_BCAST, SW_ALG_BINOMIAL, 4, 8, 1e6, &in, &out, &t,
                                       &err), SW_OK);
    NEAR(t, 2.3023e-3);
    /* reduce: intra 3 (1e-7 + 1e-4 + 2e-4) + inter 2 (1e-6 + 1e-3 + 2e-4) */
    assert_int_equal(sw_coll_time_hier(SW_COLL_REDUCE, SW_ALG_BINOMIAL, 4, 8, 1e6, &in, &out, &t,
                                       &err), SW_OK);
    NEAR(t, 3.3023e-3);
    /* barrier: intra 3e-7 + inter 2e-6 + intra 3e-7 */
    assert_int_equal(sw_coll_time_hier(SW_COLL_BARRIER, SW_ALG_DISSEMINATION, 4, 8, 0, &in, &out,
                                       &t, &err), SW_OK);
    NEAR(t, 2.6e-6);
    /* One node: just the intra-node flat ring RS + AG = ring allreduce. */
    assert_int_equal(sw_coll_time_hier(SW_COLL_ALLREDUCE, SW_ALG_RING, 1, 8, 1e6, &in, &out, &t,
                                       &err), SW_OK);
    NEAR(t, t_of(SW_COLL_ALLREDUCE, SW_ALG_RING, 8, 1e6, &in));
    assert_int_equal(sw_coll_time_hier(SW_COLL_ALLGATHER, SW_ALG_RING, 4, 8, 1e6, &in, &out, &t,
                                       &err), SW_EINVAL);
}

static void test_errors(void **state)
{
    (void)state;
    double t;
    sw_error err = {0};
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_RING, 0, 1, &L, &t, &err), SW_EDOM);
    assert_non_null(strstr(err.msg, "ranks 0"));
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_RING, 2.5, 1, &L, &t, &err), SW_EDOM);
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_RING, 4, -1, &L, &t, &err), SW_EDOM);
    sw_link bad = {1e-6, -1e-9, 0};
    assert_int_equal(sw_coll_time(SW_COLL_ALLREDUCE, SW_ALG_RING, 4, 1, &bad, &t, &err), SW_EDOM);
    assert_int_equal(sw_coll_time(SW_COLL_BCAST, SW_ALG_RING, 4, 1, &L, &t, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "ring is not an algorithm for bcast"));
    assert_int_equal(sw_coll_alg_parse("rabenseifner"), SW_ALG_RABENSEIFNER);
    assert_int_equal(sw_coll_alg_parse("recursive-doubling"), SW_ALG_RECURSIVE_DOUBLING);
    assert_int_equal(sw_coll_alg_parse("tree"), SW_ALG_REDUCE_BCAST);
    assert_int_equal(sw_coll_alg_parse("nonsense"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p2p),
        cmocka_unit_test(test_power_of_two),
        cmocka_unit_test(test_non_power_of_two),
        cmocka_unit_test(test_bounds_and_bus_bandwidth),
        cmocka_unit_test(test_hierarchical),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
