/* test_fit_platform.c — `fit --platform`: the topology fields of a platform
 * file, the collective shapes built from them (against hand computations),
 * and a fit that sees a network level its data never crossed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "scalewall/fit.h"
#include "scalewall/platform.h"

#include "model_roundtrip.h"

static const char fattree_json[] =
    "{\"format\":\"scalewall-platform\",\"version\":1,\"name\":\"ft\",\"units_per_node\":1,"
    "\"flops_fp32\":1e9,\"mem_bw\":1e10,"
    "\"intra\":{\"alpha_s\":1e-6,\"bandwidth_bytes_per_s\":1e10},"
    "\"inter\":{\"alpha_s\":1e-6,\"bandwidth_bytes_per_s\":1e10},"
    "\"leaf_units\":32,\"taper\":4,\"spine_alpha_s\":2e-6}";

static void read_fattree(sw_platform *p)
{
    sw_error e = {0};
    assert_int_equal(sw_platform_read_json("ft.json", fattree_json, strlen(fattree_json), p, &e),
                     SW_OK);
}

/* The spine data: a payload of W = 2 s and a tree of latencies, 1000
 * iterations of log2 N steps of 1 us, measured up to N = 32 (one leaf). */
static const double spine_w = 2.0, spine_iters = 1000;

static void spine_data(double *n, double *t)
{
    for (int k = 0; k < 6; k++) {
        n[k] = exp2(k);
        t[k] = spine_w / n[k] + spine_iters * 1e-6 * log2(n[k]);
    }
}

static void test_topology_fields(void **state)
{
    (void)state;
    sw_platform p, q;
    sw_error e = {0};
    read_fattree(&p);
    assert_true(p.leaf_units == 32 && p.taper == 4 && p.spine_alpha == 2e-6);
    char buf[4096];
    FILE *fp = fmemopen(buf, sizeof buf, "w");
    assert_int_equal(sw_platform_write_json(&p, fp, &e), SW_OK);
    fclose(fp);
    assert_int_equal(sw_platform_read_json("back", buf, strlen(buf), &q, &e), SW_OK);
    assert_true(q.leaf_units == 32 && q.taper == 4 && q.spine_alpha == 2e-6);
    /* old files stay valid: no topology is one switch */
    assert_int_equal(sw_platform_builtin("hdr", &p, &e), SW_OK);
    assert_true(p.leaf_units == 0 && p.taper == 0);
    /* refusals name the field */
    const char *bad =
        "{\"format\":\"scalewall-platform\",\"version\":1,\"name\":\"ft\",\"units_per_node\":1,"
        "\"flops_fp32\":1e9,\"mem_bw\":1e10,"
        "\"intra\":{\"alpha_s\":1e-6,\"bandwidth_bytes_per_s\":1e10},"
        "\"inter\":{\"alpha_s\":1e-6,\"bandwidth_bytes_per_s\":1e10},\"taper\":0.5}";
    assert_int_equal(sw_platform_read_json("bad.json", bad, strlen(bad), &p, &e), SW_EDOM);
    assert_non_null(strstr(e.msg, "taper 0.5 must be >= 1"));
}

/* On the fat tree above (a = alpha ratio 2 between leaves, b = beta ratio
 * 4 with the taper) the collective shapes equal the flat ones inside a leaf
 * and add the spine's cost past it. */
static void test_shapes_by_hand(void **state)
{
    (void)state;
    sw_platform p;
    sw_error e = {0};
    read_fattree(&p);
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.platform = &p;
    /* the shapes through a fit's model: data that is exactly one of them */
    double n[6] = {1, 2, 4, 8, 16, 32}, t[6];
    /* tree latency: log2 N below 32; 5 + 2 (log2 N - 5) above */
    for (int k = 0; k < 6; k++)
        t[k] = 1 / n[k] + 0.01 * log2(n[k]);
    sw_fitmodel *m = NULL;
    o.bootstrap = 0;
    assert_int_equal(sw_fit_arrays(n, t, 6, &o, &m, &e), SW_OK);
    /* the data cannot tell log2 N from the platform's tree: the prediction
     * at 1024 lies between them, and the platform version is among the
     * leading hypotheses */
    int seen = 0;
    for (size_t k = 0; k < sw_fitmodel_nhyp(m); k++)
        seen |= strstr(sw_fitmodel_hyp(m, k)->name, "tree@ft") != NULL;
    assert_true(seen);
    /* the term itself, by hand */
    const sw_term *tree = NULL;
    for (size_t k = 0; k < sw_fitmodel_nterms(m); k++)
        if (strstr(sw_fitmodel_term(m, k)->label, "tree@"))
            tree = sw_fitmodel_term(m, k);
    if (tree) {
        assert_true(fabs(sw_term_eval(tree, 16) - 4) < 1e-12);
        assert_true(fabs(sw_term_eval(tree, 1024) - (5 + 2 * 5)) < 1e-12);
    }
    sw_fitmodel_free(m);
    /* the four shapes of a spec, by hand */
    sw_platform f;
    assert_int_equal(sw_fit_platform_spec("fattree:leaf=32,up=8,lat=2us,bw=10GBps", &f, &e),
                     SW_OK);
    assert_true(f.leaf_units == 32 && f.taper == 4);
    assert_true(fabs(f.inter.alpha - 1e-6) < 1e-15 && fabs(f.spine_alpha - 2e-6) < 1e-15);
    assert_int_equal(sw_fit_platform_spec("flat:lat=2us,bw=10GBps", &f, &e), SW_OK);
    assert_true(f.leaf_units == 0);
    assert_int_equal(sw_fit_platform_spec("nosuch", &f, &e), SW_EINVAL);
    /* an SMPI spec runs SMPI's default alltoall, Open MPI's decision */
    assert_int_equal(sw_fit_platform_spec("flat:lat=2us,bw=10GBps", &f, &e), SW_OK);
    assert_string_equal(f.mpi_alltoall, "ompi");
    /* a file whose name starts like a spec is a file, not a malformed spec */
    assert_true(sw_fit_platform_spec("flatland.json", &f, &e) != SW_OK);
    assert_null(strstr(e.msg, "not flat["));
}

/* The halo part by hand: a 3-D halo of an MPI_Dims_create cut on nodes of
 * 8 units.  Ranks run row-major over the dims (non-increasing), so the last
 * axis has stride 1: at N = 12 (3 x 2 x 2) the two axes of 2 stay inside a
 * node (runs of 2 and 4 ranks tile 8) and the axis of 3 (runs of 12)
 * crosses; at N = 8 nothing crosses, at N = 64 (4 x 4 x 4) the first and
 * the second axis cross (runs of 64 and 16). */
static void test_halo_part_by_hand(void **state)
{
    (void)state;
    sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_PLATFORM, .nparts = 2};
    t.part[0] = (sw_term_part){SW_PART_HALO, 1, 1};
    t.part[1] = (sw_term_part){SW_PART_HALO, 8, 10};
    /* halo3d(8) = 3 x 2/(2 x 2) */
    assert_true(fabs(sw_term_eval(&t, 8) - 1.5) < 1e-12);
    /* halo3d(12) = 2/(2 x 2) + 2 x 2/(3 x 2); crossing: the axis of 3, 2/(2 x 2) */
    assert_true(fabs(sw_term_eval(&t, 12) - (0.5 + 2.0 / 3 + 10 * 0.5)) < 1e-12);
    /* halo3d(64) = 3 x 2/16; crossing: two axes */
    assert_true(fabs(sw_term_eval(&t, 64) - (0.375 + 10 * 0.25)) < 1e-12);
    /* the first part alone is the flat shape */
    sw_term flat = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_HALO3};
    t.nparts = 1;
    for (double n = 2; n <= 4096; n *= 3)
        assert_true(fabs(sw_term_eval(&t, n) - sw_term_eval(&flat, n)) < 1e-12);
}

/* The chain (N - 1's platform version) on the fat tree above, through a
 * fit's model: 1 us a hop inside a 32-unit leaf, 2 us when the hop crosses
 * to the next leaf, once every 32 ranks: N - 1 + (N - 32)/32 past 32.  A
 * pipeline's fill measured inside one leaf predicts N = 1024 within 3%
 * with the platform (the pairwise version, N - 1 + (N - 32), would double
 * it); and a platform file that names no MPI_Alltoall choice gets no
 * all-to-all shape. */
static void test_chain_by_hand(void **state)
{
    (void)state;
    sw_platform p;
    sw_error e = {0};
    read_fattree(&p);
    double n[6], t[6];
    for (int k = 0; k < 6; k++) {
        n[k] = exp2(k);
        t[k] = 1.0 / n[k] + 2e-4 * (n[k] - 1);
    }
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = 200;
    o.platform = &p;
    sw_fitmodel *m = NULL;
    assert_int_equal(sw_fit_arrays(n, t, 6, &o, &m, &e), SW_OK);
    const sw_term *chain = NULL;
    for (size_t k = 0; k < sw_fitmodel_nterms(m); k++) {
        const sw_term *q = sw_fitmodel_term(m, k);
        assert_true(q->shape != SW_SHAPE_ALLTOALL);
        if (strstr(q->label, "chain@"))
            chain = q;
    }
    assert_non_null(chain);
    assert_true(fabs(sw_term_eval(chain, 16) - 15) < 1e-12);
    assert_true(fabs(sw_term_eval(chain, 1024) - (1023 + 31)) < 1e-12);
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(m, 1024, 0.9, NULL, &pr, &e), SW_OK);
    double truth = 1.0 / 1024 + 2e-4 * (1023 + 31);
    printf("chain: T(1024) = %.5g [%.5g, %.5g], truth %.5g\n", pr.time.median, pr.time.lo,
           pr.time.hi, truth);
    assert_true(fabs(pr.time.median / truth - 1) < 0.03);
    sw_fitmodel_free(m);
}

/* Recursive doubling on the fat tree: steps inside a leaf cost 1 us, past
 * it 2 us; the data stop at N = 32 (one leaf).  With the platform the fit
 * predicts N = 1024 within 2%; from the data alone it cannot see the spine
 * and says so with a wide interval. */
static void test_fit_sees_the_spine(void **state)
{
    (void)state;
    sw_platform p;
    sw_error e = {0};
    read_fattree(&p);
    double n[6], t[6];
    spine_data(n, t);
    double truth = spine_w / 1024 + spine_iters * (5 * 1e-6 + 5 * 2e-6);
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = 300;
    o.platform = &p;
    sw_fitmodel *m = NULL;
    assert_int_equal(sw_fit_arrays(n, t, 6, &o, &m, &e), SW_OK);
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(m, 1024, 0.9, NULL, &pr, &e), SW_OK);
    printf("with the platform: T(1024) = %.5g [%.5g, %.5g], truth %.5g\n", pr.time.median,
           pr.time.lo, pr.time.hi, truth);
    assert_true(pr.time.lo <= truth && truth <= pr.time.hi);
    /* each says what its intervals were calibrated on */
    assert_non_null(strstr(sw_fitmodel_calibration(m), "--platform"));
    sw_fitmodel_free(m);
    o.platform = NULL;
    assert_int_equal(sw_fit_arrays(n, t, 6, &o, &m, &e), SW_OK);
    assert_int_equal(sw_fitmodel_predict(m, 1024, 0.9, NULL, &pr, &e), SW_OK);
    printf("data alone:        T(1024) = %.5g [%.5g, %.5g]\n", pr.time.median, pr.time.lo,
           pr.time.hi);
    assert_true(pr.time.median < 0.8 * truth); /* the flat tree: 10 steps of 1 us */
    assert_non_null(strstr(sw_fitmodel_calibration(m), "data alone"));
    sw_fitmodel_free(m);
}

/* Width hi/lo of the 90% interval at N = 1024 of the spine data fitted with
 * platform p (NULL: the data alone) and model-error constants tau0 (with a
 * platform) and tau0_data (without). */
static double spine_width(const sw_platform *p, double tau0, double tau0_data)
{
    double n[6], t[6];
    spine_data(n, t);
    sw_fit_calib cal = *sw_fit_calibration();
    cal.tau0 = tau0;
    cal.tau0_data = tau0_data;
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = 300;
    o.platform = p;
    o.calib = &cal;
    sw_fitmodel *m = NULL;
    sw_error e = {0};
    assert_int_equal(sw_fit_arrays(n, t, 6, &o, &m, &e), SW_OK);
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(m, 1024, 0.9, NULL, &pr, &e), SW_OK);
    sw_fitmodel_free(m);
    return pr.time.hi / pr.time.lo;
}

/* Shapes from a platform and shapes the catalogue guessed get their own
 * model error (fit_calib.c): tau0 moves only a platform fit's interval,
 * tau0_data only a fit from the data alone. */
static void test_model_error_by_source(void **state)
{
    (void)state;
    sw_platform p;
    read_fattree(&p);
    double pl = spine_width(&p, 0.005, 0.17), pl_t = spine_width(&p, 0.1, 0.17),
           pl_d = spine_width(&p, 0.005, 0.5);
    double da = spine_width(NULL, 0.005, 0.17), da_d = spine_width(NULL, 0.005, 0.5),
           da_t = spine_width(NULL, 0.1, 0.17);
    printf("hi/lo at 1024: platform %.4g (tau0 0.1: %.4g), data alone %.4g (tau0_data 0.5: %.4g)\n",
           pl, pl_t, da, da_d);
    assert_true(pl_t > 1.2 * pl);           /* tau0 widens the platform fit */
    assert_true(fabs(pl_d / pl - 1) < 1e-12); /* tau0_data does not touch it */
    assert_true(da_d > 1.5 * da);           /* tau0_data widens the data-alone fit */
    assert_true(fabs(da_t / da - 1) < 1e-12); /* tau0 does not touch it */
    assert_true(da > pl);                   /* the catalogue's guess is the less sure */
}

/* The corpus' flat platform: one switch, alpha 5 us, 1.25 GB/s (0.8 ns/B). */
static const char flat_json[] =
    "{\"format\":\"scalewall-platform\",\"version\":1,\"name\":\"flat\",\"units_per_node\":1,"
    "\"flops_fp32\":2e9,\"mem_bw\":1e12,"
    "\"intra\":{\"alpha_s\":5e-6,\"bandwidth_bytes_per_s\":1.25e9},"
    "\"inter\":{\"alpha_s\":5e-6,\"bandwidth_bytes_per_s\":1.25e9}%s}";

static void read_flat(const char *extra, sw_platform *p)
{
    char buf[1024];
    snprintf(buf, sizeof buf, flat_json, extra);
    sw_error e = {0};
    assert_int_equal(sw_platform_read_json("flat.json", buf, strlen(buf), p, &e), SW_OK);
}

/* An all-to-all term on one level, by hand (alpha 5 us, beta 0.8 ns/B):
 * the algorithm the selector picks for blocks of V/N^2 bytes, its cost. */
static void test_alltoall_by_hand(void **state)
{
    (void)state;
    const double a = 5e-6, b = 0.8e-9, v = 4e7;
    sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_ALLTOALL, .i = v, .j = 0, .nparts = 2};
    t.part[0] = (sw_term_part){SW_PART_ALPHA, 1, a};
    t.part[1] = (sw_term_part){SW_PART_BETA, 1, b};
    /* ompi (j 0): N = 64, blocks of 9766 B: linear, one latency */
    double blk = v / 4096;
    assert_true(fabs(sw_term_eval(&t, 64) - (a + 63 * blk * b)) < 1e-15);
    /* N = 256, blocks of 610 B < 1024: Bruck, 8 rounds of 128 blocks */
    blk = v / 65536;
    assert_true(fabs(sw_term_eval(&t, 256) - 8 * (a + 128 * blk * b)) < 1e-15);
    /* N = 2: one message */
    assert_true(fabs(sw_term_eval(&t, 2) - (a + v / 4 * b)) < 1e-12);
    assert_true(sw_term_eval(&t, 1) == 0);
    /* mpich (j 1): pairwise for blocks >= 32 KiB, Ladd's rounds of 4 below,
     * Bruck below 256 B from 8 ranks */
    t.j = 1;
    blk = v / 1024; /* N = 32: 39 kB */
    assert_true(fabs(sw_term_eval(&t, 32) - 31 * (a + blk * b)) < 1e-15);
    blk = v / 16384; /* N = 128: 2441 B */
    assert_true(fabs(sw_term_eval(&t, 128) - (127 * a / 4 + 127 * blk * b)) < 1e-15);
    blk = v / 1048576; /* N = 1024: 38 B */
    assert_true(fabs(sw_term_eval(&t, 1024) - 10 * (a + 512 * blk * b)) < 1e-15);
    /* SMPI's default factors (x11.6436 latency, /0.940694 bandwidth from
     * 65472 B; x2.01467, /0.812084 below 257 B) */
    t.j = 2 | 8; /* pair, SMPI factors */
    blk = v / 64; /* N = 8: 625 kB */
    assert_true(fabs(sw_term_eval(&t, 8) - 7 * (a * 11.6436 + blk * b / 0.940694)) < 1e-15);
    blk = v / 1048576;
    assert_true(fabs(sw_term_eval(&t, 1024) - 1023 * (a * 2.01467 + blk * b / 0.812084)) <
                1e-15);
    /* the platform fields and their refusals */
    sw_platform p;
    read_flat(",\"mpi_alltoall\":\"mpich\",\"smpi_network\":\"default\",\"mpi_allreduce\":\"rab_rdb\"",
              &p);
    assert_string_equal(p.mpi_alltoall, "mpich");
    assert_string_equal(p.mpi_allreduce, "rab_rdb");
    assert_true(p.smpi_factors == 1);
    char buf[4096];
    FILE *fp = fmemopen(buf, sizeof buf, "w");
    sw_error e = {0};
    assert_int_equal(sw_platform_write_json(&p, fp, &e), SW_OK);
    fclose(fp);
    sw_platform q;
    assert_int_equal(sw_platform_read_json("back", buf, strlen(buf), &q, &e), SW_OK);
    assert_string_equal(q.mpi_alltoall, "mpich");
    assert_string_equal(q.mpi_allreduce, "rab_rdb"); /* the stencil's allreduce */
    assert_true(q.smpi_factors == 1);
    char bad[1024];
    snprintf(bad, sizeof bad, flat_json, ",\"mpi_alltoall\":\"mvapich\"");
    assert_int_equal(sw_platform_read_json("bad.json", bad, strlen(bad), &p, &e), SW_EPARSE);
    assert_non_null(strstr(e.msg, "mpi_alltoall must be"));
    snprintf(bad, sizeof bad, flat_json, ",\"mpi_allreduce\":\"ring\"");
    assert_int_equal(sw_platform_read_json("bad.json", bad, strlen(bad), &p, &e), SW_EPARSE);
    assert_non_null(strstr(e.msg, "mpi_allreduce must be rdb"));
    snprintf(bad, sizeof bad, flat_json, ",\"smpi_network\":7");
    assert_int_equal(sw_platform_read_json("bad.json", bad, strlen(bad), &p, &e), SW_EPARSE);
}

/* The fit of (n, t) with the platform, 300 samples for the intervals. */
static sw_fitmodel *fit_with(const sw_platform *p, const double *n, const double *t, size_t c)
{
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.bootstrap = 300;
    o.platform = p;
    sw_fitmodel *m = NULL;
    sw_error e = {0};
    assert_int_equal(sw_fit_arrays(n, t, c, &o, &m, &e), SW_OK);
    return m;
}

/* A JSON round trip of model m keeps its prediction at n. */
static void roundtrip_keeps(const sw_fitmodel *m, double n, double median)
{
    sw_fitmodel *back = model_roundtrip(m);
    sw_fit_pred pb;
    sw_error e = {0};
    assert_int_equal(sw_fitmodel_predict(back, n, 0.9, NULL, &pb, &e), SW_OK);
    assert_true(fabs(pb.time.median / median - 1) < 1e-9);
    sw_fitmodel_free(back);
}

/* An FFT-like transpose (Open MPI's selector: linear for large blocks,
 * Bruck once blocks fall below 1 KiB past N = 128) measured on N <= 32
 * with 5% noise, 5 runs a point: with the platform the fit recovers the
 * volume and predicts N = 1024 (where Bruck's log2 N rounds cost 5.6x what
 * the linear exchange would) within 10%, the interval holding the truth; a
 * JSON round trip of the model keeps the prediction. */
static void test_alltoall_switch_recovered(void **state)
{
    (void)state;
    sw_platform p;
    read_flat(",\"mpi_alltoall\":\"ompi\"", &p);
    const double w = 0.066, v = 3.96e7, a = 5e-6, b = 0.8e-9;
    double n[30], t[30];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    size_t c = 0;
    for (int k = 0; k < 6; k++)
        for (int rep = 0; rep < 5; rep++, c++) {
            n[c] = exp2(k);
            double blk = v / (n[c] * n[c]);
            double comm = n[c] > 1 ? a + (n[c] - 1) * blk * b : 0; /* linear */
            t[c] = (w / n[c] + comm) * (1 + 0.05 * gsl_ran_ugaussian(r));
        }
    gsl_rng_free(r);
    double truth = w / 1024 + 10 * (a + 512 * (v / 1048576) * b);
    sw_fitmodel *m = fit_with(&p, n, t, c);
    sw_error e = {0};
    sw_fit_pred pr;
    assert_int_equal(sw_fitmodel_predict(m, 1024, 0.9, NULL, &pr, &e), SW_OK);
    printf("transpose with the platform: T(1024) = %.5g [%.5g, %.5g], truth %.5g\n",
           pr.time.median, pr.time.lo, pr.time.hi, truth);
    assert_true(fabs(pr.time.median / truth - 1) < 0.10);
    assert_true(pr.time.lo <= truth && truth <= pr.time.hi);
    const sw_term *a2a = NULL;
    for (size_t k = 0; k < sw_fitmodel_nterms(m); k++)
        if (sw_fitmodel_term(m, k)->shape == SW_SHAPE_ALLTOALL)
            a2a = sw_fitmodel_term(m, k);
    assert_non_null(a2a);
    printf("volume %.4g B (truth %.4g)\n", a2a->i, v);
    assert_true(fabs(a2a->i / v - 1) < 0.10);
    roundtrip_keeps(m, 1024, pr.time.median);
    sw_fitmodel_free(m);
}

/* A 3-D stencil iteration (SW_SHAPE_STENCIL) by hand.  j flags: 8 SMPI's
 * factors, 16 a 2 log2 N allreduce (rab_rdb), 32 the first level is the
 * inside of a node (its messages each alone), 128 x G the grid. */
static void test_stencil_by_hand(void **state)
{
    (void)state;
    const double v = 1e6, a0 = 0.3e-6, b0 = 5e-11, a1 = 2e-6, b1 = 6.4e-10;
    sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_STENCIL, .i = v, .j = 32, .nparts = 4};
    t.part[0] = (sw_term_part){SW_PART_ALPHA, 1, a0};
    t.part[1] = (sw_term_part){SW_PART_BETA, 1, b0};
    t.part[2] = (sw_term_part){SW_PART_ALPHA, 8, a1};
    t.part[3] = (sw_term_part){SW_PART_BETA, 8, b1};
    assert_true(sw_term_eval(&t, 1) == 0);
    /* N = 2 (dims 2x1x1): two whole faces to rank 1 in the node, side by
     * side; rdb: one step at distance 1 */
    double want = v * b0 + a0 + (a0 + 8 * b0);
    assert_true(fabs(sw_term_eval(&t, 2) / want - 1) < 1e-12);
    /* N = 16 (4x2x2, strides 4, 2, 1): along the first axis ranks 0 and 4
     * share node 0, 8 and 12 node 1, so 8 of node 0's 16 messages of V/4
     * leave through its NIC (8 units of beta_1); the farthest latency a1;
     * rdb: distances 1, 2, 4 in the node, 8 across */
    want = 8 * (v / 4) / 8 * b1 + a1 + 3 * (a0 + 8 * b0) + (a1 + 8 * b1);
    assert_true(fabs(sw_term_eval(&t, 16) / want - 1) < 1e-12);
    /* N = 32 (4x4x2, strides 8, 2, 1): the first axis' 2 messages of V/8
     * all leave: the same 16 V/8 through the NIC, the face traffic flat
     * from 16 to 32 ranks */
    want = 16 * (v / 8) / 8 * b1 + a1 + 3 * (a0 + 8 * b0) + 2 * (a1 + 8 * b1);
    assert_true(fabs(sw_term_eval(&t, 32) / want - 1) < 1e-12);
    /* one level (a rank's own link carries all its messages), rab_rdb, N =
     * 12 (3x2x2): faces V/4, V/6, V/6, two each; 8 allreduce steps (3 x 2
     * and 2 to fold 12 into 8) */
    sw_term f = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_STENCIL, .i = v, .j = 16, .nparts = 2};
    f.part[0] = (sw_term_part){SW_PART_ALPHA, 1, 5e-6};
    f.part[1] = (sw_term_part){SW_PART_BETA, 1, 0.8e-9};
    want = 2 * (v / 4 + v / 6 + v / 6) * 0.8e-9 + 5e-6 + 8 * (5e-6 + 8 * 0.8e-9);
    assert_true(fabs(sw_term_eval(&f, 12) / want - 1) < 1e-12);
    /* SMPI's factors: faces of 250 kB (x11.6436, /0.940694), 8 B (x2.01467,
     * /0.812084); N = 4 (2x2x1), rdb */
    f.j = 8;
    want = 4 * (v / 2) * 0.8e-9 / 0.940694 + 5e-6 * 11.6436 + 2 * (5e-6 * 2.01467 + 8 * 0.8e-9 / 0.812084);
    assert_true(fabs(sw_term_eval(&f, 4) / want - 1) < 1e-12);
    /* a known grid G = 155: the largest block's faces, ceil(155/2) = 78 */
    f.j = 128 * 155;
    want = 4 * v * (78.0 / 155) * 0.8e-9 + 5e-6 + 2 * (5e-6 + 8 * 0.8e-9);
    assert_true(fabs(sw_term_eval(&f, 4) / want - 1) < 1e-12);
    /* the largest block's compute beyond the even share: N = 12 (3x2x2) on
     * G = 155, 52 x 78 x 78 points */
    sw_term blk = {.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_BLOCKS3, .i = 155};
    want = 52.0 * 78 * 78 / (155.0 * 155 * 155) - 1.0 / 12;
    assert_true(fabs(sw_term_eval(&blk, 12) - want) < 1e-15);
    assert_true(sw_term_eval(&blk, 1) == 0);
    blk.i = 256; /* cut evenly: nothing in excess */
    assert_true(fabs(sw_term_eval(&blk, 64)) < 1e-15);
}

/* A stencil on the flat platform (rab_rdb) measured on N = 1..1024, 5%
 * noise, 5 runs a point, 8 trials: in at least 6 the stencil term carries
 * most of the weight (on N <= 32 its curve is one of several shrinking
 * shapes such noise cannot tell apart) and at N = 8192, where latencies and
 * the allreduce are two fifths of T, the prediction is within 10% with the
 * interval holding the truth (8 of 8 in this draw; fitted on N <= 512 with
 * 3 runs a point, 1 of 4 missed); a JSON round trip keeps the prediction. */
static void test_stencil_recovered(void **state)
{
    (void)state;
    sw_platform p;
    read_flat(",\"mpi_allreduce\":\"rab_rdb\"", &p);
    const double w = 0.3, v = 1.2e7;
    sw_term st = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_STENCIL, .i = v, .j = 16, .nparts = 2};
    st.part[0] = (sw_term_part){SW_PART_ALPHA, 1, 5e-6};
    st.part[1] = (sw_term_part){SW_PART_BETA, 1, 0.8e-9};
    double truth = w / 8192 + sw_term_eval(&st, 8192);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    int weighed = 0, close = 0, held = 0;
    for (int trial = 0; trial < 8; trial++) {
        double n[55], t[55];
        size_t c = 0;
        for (int k = 0; k < 11; k++)
            for (int rep = 0; rep < 5; rep++, c++) {
                n[c] = exp2(k);
                t[c] = (w / n[c] + sw_term_eval(&st, n[c])) * (1 + 0.05 * gsl_ran_ugaussian(r));
            }
        sw_fitmodel *m = fit_with(&p, n, t, c);
        sw_error e = {0};
        double wt = 0;
        for (size_t k = 0; k < sw_fitmodel_nshapes(m); k++)
            if (strncmp(sw_fitmodel_shape_use(m, k)->name, "stencil@", 8) == 0)
                wt += sw_fitmodel_shape_use(m, k)->weight;
        sw_fit_pred pr;
        assert_int_equal(sw_fitmodel_predict(m, 8192, 0.9, NULL, &pr, &e), SW_OK);
        printf("stencil trial %d: weight %.2f, T(8192) = %.5g [%.5g, %.5g], truth %.5g\n", trial,
               wt, pr.time.median, pr.time.lo, pr.time.hi, truth);
        weighed += wt > 0.5;
        close += fabs(pr.time.median / truth - 1) < 0.10;
        held += pr.time.lo <= truth && truth <= pr.time.hi;
        if (trial == 0)
            roundtrip_keeps(m, 8192, pr.time.median);
        sw_fitmodel_free(m);
    }
    gsl_rng_free(r);
    assert_true(weighed >= 6 && close >= 6 && held >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topology_fields),
        cmocka_unit_test(test_shapes_by_hand),
        cmocka_unit_test(test_halo_part_by_hand),
        cmocka_unit_test(test_chain_by_hand),
        cmocka_unit_test(test_fit_sees_the_spine),
        cmocka_unit_test(test_alltoall_by_hand),
        cmocka_unit_test(test_alltoall_switch_recovered),
        cmocka_unit_test(test_stencil_by_hand),
        cmocka_unit_test(test_stencil_recovered),
        cmocka_unit_test(test_model_error_by_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
