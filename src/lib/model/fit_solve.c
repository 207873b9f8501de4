/* fit_solve.c — one hypothesis fitted to the data: non-negative least
 * squares on relative error.
 *
 * Times carry multiplicative noise, so residuals are relative: each
 * distinct N is one row weighted by count/mean^2, which gives the same
 * coefficients as weighting every run by 1/mean^2 (the spread within an N
 * is the same for every hypothesis).  Coefficients are >= 0: a negative
 * serial time or a negative communication cost has no physical meaning.
 * GSL has no NNLS, so Lawson & Hanson's active-set loop (1974, "Solving
 * Least Squares Problems", ch. 23) runs over GSL's QR least squares; with
 * at most SW_FIT_HYPTERMS columns it ends in a few steps.  Columns are
 * scaled to unit norm first so 1/N and N log2 N stay well conditioned.
 * A fit may use only the first rows (the smallest N): that is how the
 * leave-future-out validation fits the past and predicts the future. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_linalg.h>

#include "fit_internal.h"

/* weight of the t(1) = 1 anchor relative to one run (fit.c, add_anchor) */
#define ANCHOR_WEIGHT 1e6

int sw_fitws_init(sw_fitws *ws, const sw_term *u, size_t nu, const sw_fit_group *gr, size_t m)
{
    ws->m = m;
    ws->nu = nu;
    ws->u = u;
    ws->g = malloc(m * nu * sizeof *ws->g);
    ws->sw = malloc(m * sizeof *ws->sw);
    ws->sub = malloc(m * SW_FIT_HYPTERMS * sizeof *ws->sub);
    ws->col = malloc(m * SW_FIT_HYPTERMS * sizeof *ws->col);
    ws->r = malloc(m * sizeof *ws->r);
    ws->off = NULL;
    ws->f = NULL;
    if (!ws->g || !ws->sw || !ws->sub || !ws->col || !ws->r)
        return -1;
    for (size_t row = 0; row < m; row++) {
        ws->sw[row] =
            sqrt((double)gr[row].count * (gr[row].anchor ? ANCHOR_WEIGHT : 1)) / gr[row].mean;
        for (size_t t = 0; t < nu; t++)
            ws->g[row * nu + t] = sw_term_eval(&u[t], gr[row].n);
    }
    return 0;
}

void sw_fitws_free(sw_fitws *ws)
{
    free(ws->g);
    free(ws->sw);
    free(ws->sub);
    free(ws->col);
    free(ws->r);
}

/* The hypothesis' columns on the first `rows` rows, row-weighted and scaled
 * to unit norm.  -1 when a column is all zero there (a term that vanishes
 * on these N, e.g. [N>1] on N = 1 alone). */
static int load_columns(sw_fitws *ws, const size_t *idx, size_t p, size_t rows, double *scale)
{
    for (size_t k = 0; k < p; k++) {
        double ss = 0;
        for (size_t row = 0; row < rows; row++) {
            double v = ws->sw[row] * ws->g[row * ws->nu + idx[k]];
            ws->col[row * SW_FIT_HYPTERMS + k] = v;
            ss += v * v;
        }
        if (!(ss > 0) || !isfinite(ss))
            return -1;
        scale[k] = sqrt(ss);
        for (size_t row = 0; row < rows; row++)
            ws->col[row * SW_FIT_HYPTERMS + k] /= scale[k];
    }
    return 0;
}

/* Least squares on the columns flagged in `use`; z gets the solution for
 * those (others untouched).  -1 when they are (numerically) collinear. */
static int ls_subset(sw_fitws *ws, size_t p, size_t rows, const int *use, const double *b,
                     double *z)
{
    size_t q = 0, map[SW_FIT_HYPTERMS];
    for (size_t k = 0; k < p; k++)
        if (use[k])
            map[q++] = k;
    if (q == 0 || q > rows)
        return -1;
    for (size_t row = 0; row < rows; row++)
        for (size_t k = 0; k < q; k++)
            ws->sub[row * q + k] = ws->col[row * SW_FIT_HYPTERMS + map[k]];
    gsl_matrix_view a = gsl_matrix_view_array(ws->sub, rows, q);
    double taub[SW_FIT_HYPTERMS], xb[SW_FIT_HYPTERMS];
    gsl_vector_view tau = gsl_vector_view_array(taub, q);
    gsl_vector_view x = gsl_vector_view_array(xb, q);
    gsl_vector_const_view bv = gsl_vector_const_view_array(b, rows);
    gsl_vector_view res = gsl_vector_view_array(ws->r, rows);
    gsl_linalg_QR_decomp(&a.matrix, &tau.vector);
    double rmax = 0;
    for (size_t k = 0; k < q; k++)
        rmax = fmax(rmax, fabs(gsl_matrix_get(&a.matrix, k, k)));
    for (size_t k = 0; k < q; k++)
        if (!(fabs(gsl_matrix_get(&a.matrix, k, k)) > 1e-10 * rmax))
            return -1;
    gsl_linalg_QR_lssolve(&a.matrix, &tau.vector, &bv.vector, &x.vector, &res.vector);
    for (size_t k = 0; k < q; k++)
        z[map[k]] = xb[k];
    return 0;
}

static double residual_ss(const sw_fitws *ws, size_t p, size_t rows, const double *x,
                          const double *b, double *r)
{
    double ss = 0;
    for (size_t row = 0; row < rows; row++) {
        double f = 0;
        for (size_t k = 0; k < p; k++)
            f += ws->col[row * SW_FIT_HYPTERMS + k] * x[k];
        double e = b[row] - f;
        if (r)
            r[row] = e;
        ss += e * e;
    }
    return ss;
}

/* Lawson & Hanson on the loaded columns; x in scaled units. */
static void nnls(sw_fitws *ws, size_t p, size_t rows, const double *b, double *x)
{
    int banned[SW_FIT_HYPTERMS] = {0}, passive[SW_FIT_HYPTERMS] = {0};
    double z[SW_FIT_HYPTERMS];
    double bnorm = 0;
    for (size_t row = 0; row < rows; row++)
        bnorm += b[row] * b[row];
    double tol = 1e-12 * sqrt(bnorm);
    for (size_t k = 0; k < p; k++)
        x[k] = 0;
    for (size_t outer = 0; outer < 3 * p + 3; outer++) {
        residual_ss(ws, p, rows, x, b, ws->r);
        size_t t = p;
        double wmax = tol;
        for (size_t k = 0; k < p; k++) {
            if (passive[k] || banned[k])
                continue;
            double w = 0;
            for (size_t row = 0; row < rows; row++)
                w += ws->col[row * SW_FIT_HYPTERMS + k] * ws->r[row];
            if (w > wmax) {
                wmax = w;
                t = k;
            }
        }
        if (t == p)
            break;
        passive[t] = 1;
        for (size_t inner = 0; inner < 3 * p + 3; inner++) {
            if (ls_subset(ws, p, rows, passive, b, z)) {
                passive[t] = 0;
                banned[t] = 1;
                break;
            }
            double alpha = 2;
            for (size_t k = 0; k < p; k++)
                if (passive[k] && z[k] <= 0) {
                    double a = x[k] / (x[k] - z[k]);
                    if (a < alpha)
                        alpha = a;
                }
            if (alpha >= 2) {
                for (size_t k = 0; k < p; k++)
                    x[k] = passive[k] ? z[k] : 0;
                break;
            }
            for (size_t k = 0; k < p; k++) {
                if (!passive[k])
                    continue;
                x[k] += alpha * (z[k] - x[k]);
                if (x[k] <= 1e-15 * fabs(z[k]) + 1e-300 || (z[k] <= 0 && x[k] <= 1e-12)) {
                    x[k] = 0;
                    passive[k] = 0;
                }
            }
        }
    }
}

double sw_fit_nnls(sw_fitws *ws, const size_t *idx, size_t p, size_t rows, const double *b,
                   double *coef)
{
    double scale[SW_FIT_HYPTERMS], x[SW_FIT_HYPTERMS];
    if (load_columns(ws, idx, p, rows, scale))
        return NAN;
    nnls(ws, p, rows, b, x);
    for (size_t k = 0; k < p; k++)
        coef[k] = x[k] / scale[k];
    return residual_ss(ws, p, rows, x, b, NULL);
}
