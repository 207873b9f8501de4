/* bench_fit.c — how long `scalewall fit` and `predict` take, against a peer
 * measured in the same run.
 *
 *   fit:     100 points (20 N x 5 repetitions, and 100 N x 1), every
 *            hypothesis (98; 170 with the Extra-P family) fitted, validated
 *            on the later N and weighed, 1000 samples for the intervals.
 *            Target < 100 ms.  Peer: one plain gsl_multifit_linear
 *            of one hypothesis on the same points (what a hand fit costs).
 *   predict: 10^6 values of N with intervals (sw_fitmodel_time_many).
 *            Target < 20 ms.  Peer: a plain C loop evaluating the same
 *            formula with pow() and log2(), no intervals.
 * Medians and ranges over repeated runs: the machine is shared. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "scalewall/fit.h"

/* CPU time of this process: on a shared machine under load the wall clock
 * mostly measures the wait for a core; SW_BENCH_WALL=1 measures wall time. */
static double now(void)
{
    static int wall = -1;
    if (wall < 0)
        wall = getenv("SW_BENCH_WALL") != NULL;
    struct timespec ts;
    clock_gettime(wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct stat3 {
    double med, lo, hi;
} stat3;

static stat3 stats(double *v, size_t n)
{
    gsl_sort(v, 1, n);
    return (stat3){v[n / 2], v[0], v[n - 1]};
}

static size_t make_data(double *n, double *t, size_t nn, int reps, gsl_rng *r)
{
    size_t c = 0;
    for (size_t k = 0; k < nn; k++)
        for (int q = 0; q < reps; q++) {
            double N = round(exp2(12.0 * (double)k / (double)(nn - 1)));
            n[c] = N;
            t[c] = (3 + 200 / N + 1.5 * log2(N)) * (1 + 0.05 * gsl_ran_gaussian(r, 1));
            c++;
        }
    return c;
}

/* One weighted least-squares fit of 1 + 1/N + log2 N: the peer. */
static double peer_fit(const double *n, const double *t, size_t c)
{
    gsl_matrix *X = gsl_matrix_alloc(c, 3);
    gsl_vector *y = gsl_vector_alloc(c), *w = gsl_vector_alloc(c), *b = gsl_vector_alloc(3);
    gsl_matrix *cov = gsl_matrix_alloc(3, 3);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(c, 3);
    for (size_t k = 0; k < c; k++) {
        gsl_matrix_set(X, k, 0, 1);
        gsl_matrix_set(X, k, 1, 1 / n[k]);
        gsl_matrix_set(X, k, 2, log2(n[k]));
        gsl_vector_set(y, k, t[k]);
        gsl_vector_set(w, k, 1 / (t[k] * t[k]));
    }
    double chisq;
    gsl_multifit_wlinear(X, w, y, b, cov, &chisq, ws);
    double r = gsl_vector_get(b, 2);
    gsl_multifit_linear_free(ws);
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_vector_free(y);
    gsl_vector_free(w);
    gsl_vector_free(b);
    return r;
}

static void bench_fit_case(const char *label, size_t nn, int reps, int extrap, gsl_rng *r)
{
    enum { RUNS = 15 };
    double n[128], t[128], ours[RUNS], peer[RUNS], sink = 0;
    size_t c = make_data(n, t, nn, reps, r);
    sw_fit_options o;
    sw_fit_options_default(&o);
    o.extrap = extrap;
    size_t tried = 0;
    for (int k = 0; k < RUNS; k++) {
        double t0 = now();
        sw_fitmodel *m;
        sw_error e = {0};
        if (sw_fit_arrays(n, t, c, &o, &m, &e)) {
            fprintf(stderr, "bench_fit: %s\n", e.msg);
            exit(1);
        }
        ours[k] = now() - t0;
        tried = sw_fitmodel_ntried(m);
        sink += sw_fitmodel_coef(m, 0);
        sw_fitmodel_free(m);
        t0 = now();
        for (int q = 0; q < 100; q++)
            sink += peer_fit(n, t, c);
        peer[k] = (now() - t0) / 100;
    }
    stat3 a = stats(ours, RUNS), b = stats(peer, RUNS);
    printf("fit %-24s %3zu hypotheses, 1000 bootstrap: median %6.2f ms (%.2f..%.2f)  "
           "target < 100 ms  peer gsl_multifit_wlinear x1: %.1f us  ratio %.0fx%s\n",
           label, tried, 1e3 * a.med, 1e3 * a.lo, 1e3 * a.hi, 1e6 * b.med, a.med / b.med,
           sink == 42 ? " " : "");
}

static void bench_predict(gsl_rng *r)
{
    enum { RUNS = 11, NP = 1000000 };
    double n[128], t[128];
    size_t c = make_data(n, t, 20, 5, r);
    sw_fit_options o;
    sw_fit_options_default(&o);
    sw_fitmodel *m;
    sw_error e = {0};
    if (sw_fit_arrays(n, t, c, &o, &m, &e)) {
        fprintf(stderr, "bench_fit: %s\n", e.msg);
        exit(1);
    }
    double *ns = malloc(NP * sizeof *ns), *med = malloc(NP * sizeof *med);
    double *lo = malloc(NP * sizeof *lo), *hi = malloc(NP * sizeof *hi);
    for (size_t k = 0; k < NP; k++)
        ns[k] = 1 + (double)k;
    double ours[RUNS], peer[RUNS], boot[RUNS], sink = 0;
    size_t nt = sw_fitmodel_nterms(m);
    for (int k = 0; k < RUNS; k++) {
        double t0 = now();
        sw_fitmodel_time_many(m, ns, NP, 0.9, NULL, med, lo, hi, &e);
        ours[k] = now() - t0;
        sink += med[NP - 1] + lo[7] + hi[9];
        t0 = now();
        for (size_t q = 0; q < NP; q++) {
            double v = 0, l = log2(ns[q]);
            for (size_t j = 0; j < nt; j++) {
                if (sw_fitmodel_coef(m, j) == 0)
                    continue; /* the formula's terms only */
                const sw_term *tm = sw_fitmodel_term(m, j);
                double g = tm->shape == SW_SHAPE_POWLOG ? pow(ns[q], tm->i) * pow(l, tm->j)
                                                        : sw_term_eval(tm, ns[q]);
                v += sw_fitmodel_coef(m, j) * g;
            }
            med[q] = v;
        }
        peer[k] = now() - t0;
        sink += med[NP / 2];
        /* the full bootstrap quantile path, per N (what the CLI uses) */
        t0 = now();
        sw_fit_pred p;
        for (int q = 0; q < 100; q++) {
            sw_fitmodel_predict(m, 1000 + q, 0.9, NULL, &p, &e);
            sink += p.time.hi;
        }
        boot[k] = (now() - t0) / 100;
    }
    stat3 a = stats(ours, RUNS), b = stats(peer, RUNS), d = stats(boot, RUNS);
    char f[256];
    sw_fitmodel_formula(m, f, sizeof f);
    printf("predict 10^6 N with 90%% intervals (%s, %zu terms): median %.2f ms (%.2f..%.2f)  target < 20 ms  "
           "peer plain loop (no intervals): %.2f ms  ratio %.2fx\n",
           f, nt, 1e3 * a.med, 1e3 * a.lo, 1e3 * a.hi, 1e3 * b.med, a.med / b.med);
    printf("predict one N with bootstrap quantiles of T, S, E, 1-alpha (1000 samples): median "
           "%.1f us (%.1f..%.1f)%s\n",
           1e6 * d.med, 1e6 * d.lo, 1e6 * d.hi, sink == 42 ? " " : "");
    free(ns);
    free(med);
    free(lo);
    free(hi);
    sw_fitmodel_free(m);
}

int main(void)
{
    printf("bench_fit: %s time, medians (min..max)\n",
           getenv("SW_BENCH_WALL") ? "wall-clock" : "process CPU");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    bench_fit_case("20 N x 5 reps", 20, 5, 0, r);
    bench_fit_case("100 N x 1 rep", 100, 1, 0, r);
    bench_fit_case("20 N x 5 reps, --extrap", 20, 5, 1, r);
    bench_predict(r);
    gsl_rng_free(r);
    return 0;
}
