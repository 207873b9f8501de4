/* fit.c — fitting T(N): the hypothesis set, non-negative least squares,
 * selection by AICc beside leave-one-N-out cross-validation, and the
 * bootstrap that gives every later answer its interval.
 *
 * Times carry multiplicative noise, so residuals are relative: each distinct
 * N is one row weighted by count/mean^2, which gives the same coefficients as
 * weighting every run by 1/mean^2 (the spread within an N is the same for
 * every hypothesis and enters the likelihood as a constant).  GSL has no
 * NNLS, so Lawson-Hanson's active-set loop runs over GSL's QR least squares;
 * with at most four columns the loop ends in a few steps.  The formulas are
 * in docs/fit.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>

#include "fit_internal.h"

/* ---- terms ---- */

double sw_term_eval(const sw_term *t, double n)
{
    if (t->shape == SW_SHAPE_BANDWIDTH)
        return (n - 1.0) / n;
    double l = log2(n), v;
    if (t->i == 0.0)
        v = 1.0;
    else if (t->i == 1.0)
        v = n;
    else if (t->i == -1.0)
        v = 1.0 / n;
    else if (t->i == 2.0)
        v = n * n;
    else
        v = exp2(t->i * l);
    for (int k = 0; k < t->j; k++)
        v *= l;
    return v;
}

static void exponent_text(double i, char *buf, size_t size)
{
    static const struct { double v; const char *s; } frac[] = {
        {0.25, "1/4"}, {1.0 / 3, "1/3"}, {0.5, "1/2"}, {2.0 / 3, "2/3"}, {0.75, "3/4"},
        {1.25, "5/4"}, {4.0 / 3, "4/3"}, {1.5, "3/2"}, {5.0 / 3, "5/3"}, {1.75, "7/4"}};
    for (size_t k = 0; k < sizeof frac / sizeof frac[0]; k++)
        if (fabs(i - frac[k].v) < 1e-9) {
            snprintf(buf, size, "(%s)", frac[k].s);
            return;
        }
    snprintf(buf, size, "%g", i);
}

void sw_term_name(const sw_term *t, char *buf, size_t size)
{
    if (t->shape == SW_SHAPE_BANDWIDTH) {
        snprintf(buf, size, "(N-1)/N");
        return;
    }
    if (t->i == -1.0 && t->j == 0) {
        snprintf(buf, size, "1/N");
        return;
    }
    char pw[32] = "", lg[32] = "";
    if (t->i == 1.0)
        snprintf(pw, sizeof pw, "N");
    else if (t->i != 0.0) {
        char e[16];
        exponent_text(t->i, e, sizeof e);
        snprintf(pw, sizeof pw, "N^%s", e);
    }
    if (t->j == 1)
        snprintf(lg, sizeof lg, "log2(N)");
    else if (t->j > 1)
        snprintf(lg, sizeof lg, "log2(N)^%d", t->j);
    if (!pw[0] && !lg[0])
        snprintf(buf, size, "1");
    else
        snprintf(buf, size, "%s%s%s", pw, pw[0] && lg[0] ? "*" : "", lg);
}

static const double comm_powers[] = {0,   0.25,    1.0 / 3, 0.5,  2.0 / 3, 0.75,   1,
                                     1.25, 4.0 / 3, 1.5,     5.0 / 3, 1.75, 2};
#define NPOWERS (sizeof comm_powers / sizeof comm_powers[0])

size_t sw_fit_comm_terms(sw_term *out, size_t cap)
{
    size_t n = 0;
    for (size_t p = 0; p < NPOWERS; p++)
        for (int j = 0; j <= 2; j++) {
            if (comm_powers[p] == 0 && j == 0)
                continue;
            if (out && n < cap)
                out[n] = (sw_term){SW_ROLE_COMM, SW_SHAPE_POWLOG, comm_powers[p], j};
            n++;
        }
    if (out && n < cap)
        out[n] = (sw_term){SW_ROLE_COMM, SW_SHAPE_BANDWIDTH, 0, 0};
    return n + 1;
}

/* Pairs of communication terms are drawn from the shapes with a named cost
 * model (collectives.md): trees, rings, bandwidth, sqrt (2-D meshes),
 * N log N (all-to-all Bruck), N^2 and log^2 (nested trees). */
static int is_physical(const sw_term *t)
{
    if (t->shape == SW_SHAPE_BANDWIDTH)
        return 1;
    return (t->i == 0 && t->j == 1) || (t->i == 1 && t->j == 0) || (t->i == 0.5 && t->j == 0) ||
           (t->i == 1 && t->j == 1) || (t->i == 2 && t->j == 0) || (t->i == 0 && t->j == 2);
}

void sw_fit_options_default(sw_fit_options *opt)
{
    opt->level = 0.9;
    opt->bootstrap = 1000;
    opt->seed = 1;
    opt->form = -1;
    opt->max_comm = 2;
    opt->n_max = 0;
    opt->extrap = 0;
}

void sw_whatif_none(sw_whatif *w)
{
    w->payload_speedup = 1.0;
    w->comm_scale = 1.0;
    w->serial_scale = 1.0;
}

/* ---- model lifecycle ---- */

const char *const sw_fit_src_keys[8] = {"input",   "workload",   "params",    "quantity",
                                        "unit",    "scaling",    "conversion", "bootstrap"};

sw_fitmodel *sw_fitmodel_alloc(void)
{
    sw_fitmodel *m = calloc(1, sizeof *m);
    if (m) {
        m->level = 0.9;
        m->work = 1.0;
        m->noise = NAN;
        m->calib_ratio = 1;
    }
    return m;
}

void sw_fitmodel_free(sw_fitmodel *m)
{
    if (!m)
        return;
    free(m->boot);
    free(m->rate_unit);
    free(m->groups);
    for (size_t k = 0; k < 8; k++)
        free(m->src[k]);
    for (size_t k = 0; k < m->nwarnings; k++)
        free(m->warnings[k]);
    free(m->warnings);
    free(m->hyp);
    free(m->calib_source);
    free(m);
}

sw_status sw_fitmodel_set_src(sw_fitmodel *m, const char *key, const char *value, sw_error *err)
{
    for (size_t k = 0; k < 8; k++)
        if (strcmp(sw_fit_src_keys[k], key) == 0) {
            char *v = value ? strdup(value) : NULL;
            if (value && !v)
                return sw_error_set(err, SW_ENOMEM, "out of memory");
            free(m->src[k]);
            m->src[k] = v;
            return SW_OK;
        }
    return sw_error_set(err, SW_EINVAL, "unknown provenance key '%s'", key);
}

sw_status sw_fitmodel_add_warning(sw_fitmodel *m, sw_error *err, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **w = realloc(m->warnings, (m->nwarnings + 1) * sizeof *w);
    if (!w)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    m->warnings = w;
    if (!(w[m->nwarnings] = strdup(buf)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    m->nwarnings++;
    return SW_OK;
}

/* ---- non-negative least squares on a few columns ---- */

/* weight of the t(1) = 1 anchor relative to one run (see add_anchor) */
#define ANCHOR_WEIGHT 1e6

/* The weighted problem for one data set: rows are distinct N. */
typedef struct fitws {
    size_t m;         /* rows */
    size_t nu;        /* terms in the universe */
    const sw_term *u; /* the universe: base terms then communication terms */
    double *g;        /* m x nu: g_t(N) */
    double *sw;       /* m: sqrt(weight) */
    double *sub;      /* m x SW_FIT_HYPTERMS scratch */
    double *col;      /* m x SW_FIT_HYPTERMS: the hypothesis' scaled columns */
    double *r;        /* m */
} fitws;

static int fitws_init(fitws *ws, const sw_term *u, size_t nu, const sw_fit_group *gr, size_t m)
{
    ws->m = m;
    ws->nu = nu;
    ws->u = u;
    ws->g = malloc(m * nu * sizeof *ws->g);
    ws->sw = malloc(m * sizeof *ws->sw);
    ws->sub = malloc(m * SW_FIT_HYPTERMS * sizeof *ws->sub);
    ws->col = malloc(m * SW_FIT_HYPTERMS * sizeof *ws->col);
    ws->r = malloc(m * sizeof *ws->r);
    if (!ws->g || !ws->sw || !ws->sub || !ws->col || !ws->r)
        return -1;
    for (size_t row = 0; row < m; row++) {
        ws->sw[row] = sqrt((double)gr[row].count * (gr[row].anchor ? ANCHOR_WEIGHT : 1)) /
                      gr[row].mean;
        for (size_t t = 0; t < nu; t++)
            ws->g[row * nu + t] = sw_term_eval(&u[t], gr[row].n);
    }
    return 0;
}

static void fitws_free(fitws *ws)
{
    free(ws->g);
    free(ws->sw);
    free(ws->sub);
    free(ws->col);
    free(ws->r);
}

/* The columns of one hypothesis, row-weighted and scaled to unit norm so that
 * 1/N and N^2 over N = 1..1e4 stay well conditioned. */
static int load_columns(fitws *ws, const size_t *idx, size_t p, double *scale)
{
    for (size_t k = 0; k < p; k++) {
        double ss = 0;
        for (size_t row = 0; row < ws->m; row++) {
            double v = ws->sw[row] * ws->g[row * ws->nu + idx[k]];
            ws->col[row * SW_FIT_HYPTERMS + k] = v;
            ss += v * v;
        }
        if (!(ss > 0))
            return -1;
        scale[k] = sqrt(ss);
        for (size_t row = 0; row < ws->m; row++)
            ws->col[row * SW_FIT_HYPTERMS + k] /= scale[k];
    }
    return 0;
}

/* Least squares on the columns flagged in `use`; z gets the solution for
 * those (others untouched).  -1 when they are (numerically) collinear.
 * When hat is given it receives the leverages h_rr. */
static int ls_subset(fitws *ws, size_t p, const int *use, const double *b, double *z, double *hat)
{
    size_t q = 0, map[SW_FIT_HYPTERMS];
    for (size_t k = 0; k < p; k++)
        if (use[k])
            map[q++] = k;
    if (q == 0 || q > ws->m)
        return -1;
    for (size_t row = 0; row < ws->m; row++)
        for (size_t k = 0; k < q; k++)
            ws->sub[row * q + k] = ws->col[row * SW_FIT_HYPTERMS + map[k]];
    gsl_matrix_view a = gsl_matrix_view_array(ws->sub, ws->m, q);
    double taub[SW_FIT_HYPTERMS], xb[SW_FIT_HYPTERMS];
    gsl_vector_view tau = gsl_vector_view_array(taub, q);
    gsl_vector_view x = gsl_vector_view_array(xb, q);
    gsl_vector_const_view bv = gsl_vector_const_view_array(b, ws->m);
    gsl_vector_view res = gsl_vector_view_array(ws->r, ws->m);
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
    if (hat) {
        gsl_matrix_view rr = gsl_matrix_submatrix(&a.matrix, 0, 0, q, q);
        for (size_t row = 0; row < ws->m; row++) {
            double vb[SW_FIT_HYPTERMS];
            for (size_t k = 0; k < q; k++)
                vb[k] = ws->col[row * SW_FIT_HYPTERMS + map[k]];
            gsl_vector_view v = gsl_vector_view_array(vb, q);
            /* h = a^T (R^T R)^-1 a = |R^-T a|^2 */
            gsl_blas_dtrsv(CblasUpper, CblasTrans, CblasNonUnit, &rr.matrix, &v.vector);
            double h = 0;
            for (size_t k = 0; k < q; k++)
                h += vb[k] * vb[k];
            hat[row] = h;
        }
    }
    return 0;
}

static double residual_ss(const fitws *ws, size_t p, const double *x, const double *b, double *r)
{
    double ss = 0;
    for (size_t row = 0; row < ws->m; row++) {
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

/* Lawson & Hanson (1974), "Solving Least Squares Problems", ch. 23, on the
 * loaded columns.  x gets the solution in scaled units. */
static int nnls(fitws *ws, size_t p, const double *b, double *x, int *passive)
{
    int banned[SW_FIT_HYPTERMS] = {0};
    double z[SW_FIT_HYPTERMS], r[1];
    (void)r;
    double bnorm = 0;
    for (size_t row = 0; row < ws->m; row++)
        bnorm += b[row] * b[row];
    double tol = 1e-12 * sqrt(bnorm);
    for (size_t k = 0; k < p; k++) {
        x[k] = 0;
        passive[k] = 0;
    }
    for (size_t outer = 0; outer < 3 * p + 3; outer++) {
        double *res = ws->r;
        residual_ss(ws, p, x, b, res);
        size_t t = p;
        double wmax = tol;
        for (size_t k = 0; k < p; k++) {
            if (passive[k] || banned[k])
                continue;
            double w = 0;
            for (size_t row = 0; row < ws->m; row++)
                w += ws->col[row * SW_FIT_HYPTERMS + k] * res[row];
            if (w > wmax) {
                wmax = w;
                t = k;
            }
        }
        if (t == p)
            break;
        passive[t] = 1;
        for (size_t inner = 0; inner < 3 * p + 3; inner++) {
            if (ls_subset(ws, p, passive, b, z, NULL)) {
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
    return 0;
}

/* ---- data ---- */

typedef struct point {
    double n, t;
} point;

static int cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* ---- hypotheses ---- */

typedef struct hyp {
    size_t idx[SW_FIT_HYPTERMS];
    size_t p;
    double coef[SW_FIT_HYPTERMS];
    double rss, aicc, loo;
    double floor; /* rounding level of rss */
    size_t order;
} hyp;

static int cmp_hyp(const void *a, const void *b)
{
    const hyp *x = a, *y = b;
    if (isnan(x->aicc) || isnan(y->aicc))
        return isnan(x->aicc) - isnan(y->aicc);
    /* equal up to rounding: an equivalent curve; keep catalogue order */
    if (fabs(x->aicc - y->aicc) > 1e-9 * fmax(1, fabs(x->aicc)))
        return x->aicc < y->aicc ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Builds the universe and every combination: strong scaling is
 * [1, 1/N, comm...] with 1/N always present and 1 optional; weak scaling is
 * [1, comm...] with 1 always present.  (N-1)/N = 1 - 1/N never joins both
 * 1 and 1/N: the three are collinear. */
static size_t enumerate(sw_fit_form form, int max_comm, int extrap, sw_term *u, size_t *nu,
                        hyp *out)
{
    size_t nb = 0;
    u[nb++] = (sw_term){SW_ROLE_SERIAL, SW_SHAPE_POWLOG, 0, 0};
    if (form == SW_FIT_STRONG)
        u[nb++] = (sw_term){SW_ROLE_PARALLEL, SW_SHAPE_POWLOG, -1, 0};
    size_t nc = sw_fit_comm_terms(u + nb, 64);
    *nu = nb + nc;
    size_t nh = 0;
    for (int with_serial = 1; with_serial >= 0; with_serial--) {
        if (form == SW_FIT_WEAK && !with_serial)
            break;
        size_t base[2], p0 = 0;
        if (with_serial)
            base[p0++] = 0;
        if (form == SW_FIT_STRONG)
            base[p0++] = 1;
        int collinear_bw = form == SW_FIT_STRONG && with_serial;
        for (int ncomm = 0; ncomm <= max_comm && ncomm <= 2; ncomm++) {
            for (size_t a = 0; a < (ncomm ? nc : 1); a++) {
                for (size_t b = (ncomm == 2 ? a + 1 : 0); b < (ncomm == 2 ? nc : 1); b++) {
                    const sw_term *ta = &u[nb + a], *tb = &u[nb + b];
                    if (ncomm >= 1 && collinear_bw && ta->shape == SW_SHAPE_BANDWIDTH)
                        continue;
                    if (ncomm == 1 && !extrap && !is_physical(ta))
                        continue;
                    if (ncomm == 2 &&
                        (!is_physical(ta) || !is_physical(tb) ||
                         (collinear_bw && tb->shape == SW_SHAPE_BANDWIDTH)))
                        continue;
                    hyp *h = &out[nh];
                    memset(h, 0, sizeof *h);
                    h->order = nh;
                    for (size_t k = 0; k < p0; k++)
                        h->idx[h->p++] = base[k];
                    if (ncomm >= 1)
                        h->idx[h->p++] = nb + a;
                    if (ncomm == 2)
                        h->idx[h->p++] = nb + b;
                    nh++;
                }
            }
        }
    }
    return nh;
}

#define MAXHYP 256

/* Fits one hypothesis to the weighted group means; fills coef (natural
 * units), rss (between-N part), loo. */
static void fit_hyp(fitws *ws, hyp *h, const double *b, const sw_fit_group *gr)
{
    double scale[SW_FIT_HYPTERMS], x[SW_FIT_HYPTERMS];
    int passive[SW_FIT_HYPTERMS];
    h->rss = h->loo = NAN;
    if (load_columns(ws, h->idx, h->p, scale))
        return;
    nnls(ws, h->p, b, x, passive);
    double *hat = malloc(ws->m * sizeof *hat), *res = malloc(ws->m * sizeof *res);
    if (!hat || !res) {
        free(hat);
        free(res);
        return;
    }
    h->rss = residual_ss(ws, h->p, x, b, res);
    for (size_t k = 0; k < h->p; k++)
        h->coef[k] = x[k] / scale[k];
    /* Leave-one-N-out: exact for least squares on the active columns
     * (e/(1-h)); the non-negativity bounds are held as found. */
    double z[SW_FIT_HYPTERMS];
    int any = 0;
    for (size_t k = 0; k < h->p; k++)
        any |= passive[k];
    double cv = 0;
    if (!any) {
        for (size_t row = 0; row < ws->m; row++)
            hat[row] = 0;
    } else if (ls_subset(ws, h->p, passive, b, z, hat)) {
        cv = INFINITY;
    }
    size_t ncv = 0;
    for (size_t row = 0; row < ws->m && isfinite(cv); row++) {
        if (gr[row].anchor)
            continue;
        ncv++;
        if (hat[row] > 1 - 1e-9) {
            cv = INFINITY;
            break;
        }
        double e = res[row] / (1 - hat[row]) / sqrt((double)gr[row].count);
        cv += e * e;
    }
    h->loo = isfinite(cv) && ncv ? sqrt(cv / (double)ncv) : INFINITY;
    free(hat);
    free(res);
}

static void hyp_name(const sw_term *u, const hyp *h, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < h->p && off < size; k++) {
        char nm[48];
        sw_term_name(&u[h->idx[k]], nm, sizeof nm);
        off += (size_t)snprintf(buf + off, size - off, "%s%s", k ? " + " : "", nm);
    }
}

/* ---- bootstrap ---- */

static int same_curve(const hyp *a, const hyp *b);

typedef struct bootdata {
    const point *pts;    /* sorted by N */
    const size_t *start; /* group g's points are start[g] .. start[g+1]-1 */
    int by_reps;
    double *resid;       /* residual method: standardized relative residuals */
    const double *fit;   /* fitted group means */
    double within;       /* relative spread within N of the data */
    size_t npool;        /* residuals to draw from (the anchor has none) */
    size_t count;        /* points */
} bootdata;

/* One resampled data set as weighted group means in b; returns its
 * relative within-N sum of squares. */
static double boot_sample(const bootdata *bd, const sw_fit_group *gr, size_t m, gsl_rng *rng,
                          const double *sw, double *b)
{
    double within = bd->by_reps ? 0 : bd->within;
    for (size_t g = 0; g < m; g++) {
        double mean;
        if (bd->by_reps && !gr[g].anchor) {
            /* Resampled reps, spread inflated by sqrt(c/(c-1)) so the
             * bootstrap variance of the mean is not c/(c-1) too small. */
            size_t c = gr[g].count;
            double s = 0, ss = 0, infl = sqrt((double)c / (double)(c - 1));
            for (size_t k = 0; k < c; k++) {
                double y = bd->pts[bd->start[g] + gsl_rng_uniform_int(rng, c)].t;
                y = gr[g].mean + infl * (y - gr[g].mean);
                s += y;
                ss += y * y;
            }
            mean = s / (double)c;
            within += fmax(ss - (double)c * mean * mean, 0) / (gr[g].mean * gr[g].mean);
        } else if (gr[g].anchor) {
            mean = gr[g].mean;
        } else {
            double e = bd->resid[gsl_rng_uniform_int(rng, bd->npool)];
            mean = bd->fit[g] * (1 + e / sqrt((double)gr[g].count));
        }
        b[g] = sw[g] * mean;
    }
    return within;
}

/* The hypotheses a bootstrap sample may choose among: the chosen one and
 * the distinct curves within 6 AICc units of the best (Akaike weight ratio
 * > e^-3), as long as their terms fit in one model. */
typedef struct cands {
    size_t n;
    const hyp *h[SW_FIT_CANDIDATES];
    size_t nunion;
    size_t uidx[SW_FIT_MAXTERMS];                     /* universe index of model term k */
    size_t pos[SW_FIT_CANDIDATES][SW_FIT_HYPTERMS];   /* model position of each term */
    size_t chosen[SW_FIT_CANDIDATES];                 /* bootstrap samples that chose it */
} cands;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void pick_candidates(const hyp *hs, size_t nh, cands *c)
{
    double best = hs[0].aicc;
    for (size_t k = 1; k < nh; k++)
        best = fmin(best, hs[k].aicc);
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < nh && c->n < SW_FIT_CANDIDATES; k++) {
        if (k > 0 && hs[k].aicc - best >= 6)
            continue;
        int dup = 0;
        for (size_t q = 0; q < c->n && !dup; q++)
            dup = same_curve(c->h[q], &hs[k]);
        if (dup)
            continue;
        size_t add[SW_FIT_HYPTERMS], na = 0;
        for (size_t t = 0; t < hs[k].p; t++) {
            int have = 0;
            for (size_t q = 0; q < c->nunion && !have; q++)
                have = c->uidx[q] == hs[k].idx[t];
            if (!have)
                add[na++] = hs[k].idx[t];
        }
        if (c->nunion + na > SW_FIT_MAXTERMS)
            continue;
        for (size_t t = 0; t < na; t++)
            c->uidx[c->nunion++] = add[t];
        c->h[c->n++] = &hs[k];
    }
    qsort(c->uidx, c->nunion, sizeof c->uidx[0], cmp_size);
    for (size_t q = 0; q < c->n; q++)
        for (size_t t = 0; t < c->h[q]->p; t++)
            for (size_t k = 0; k < c->nunion; k++)
                if (c->uidx[k] == c->h[q]->idx[t])
                    c->pos[q][t] = k;
}

static double aicc(double rss, size_t n, size_t p);

/* A bootstrap sample does not re-apply the parsimony rule: it draws a
 * hypothesis with probability proportional to its Akaike weight on that
 * sample, so a rival the data cannot exclude keeps its share of the interval
 * (a smoothed, model-averaged bootstrap; Burnham & Anderson 2002, 4.3). */
static size_t draw(const double *aic, const cands *c, gsl_rng *rng)
{
    double lo = aic[0], w[SW_FIT_CANDIDATES], sum = 0;
    for (size_t q = 1; q < c->n; q++)
        lo = fmin(lo, aic[q]);
    for (size_t q = 0; q < c->n; q++)
        sum += w[q] = isnan(aic[q]) ? 0 : exp(-(aic[q] - lo) / 2);
    double u = gsl_rng_uniform(rng) * sum;
    for (size_t q = 0; q < c->n; q++) {
        if (u < w[q])
            return q;
        u -= w[q];
    }
    return 0;
}

static sw_status run_bootstrap(sw_fitmodel *mo, fitws *ws, cands *c, const bootdata *bd,
                               sw_error *err)
{
    size_t nb = mo->nboot, p = mo->nterms, m = ws->m;
    if (!nb)
        return SW_OK;
    mo->boot = calloc(nb * p, sizeof *mo->boot);
    double *b = malloc(m * sizeof *b);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!mo->boot || !b || !rng) {
        free(b);
        if (rng)
            gsl_rng_free(rng);
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu bootstrap samples", nb);
    }
    gsl_rng_set(rng, mo->seed);
    double coef[SW_FIT_CANDIDATES][SW_FIT_HYPTERMS], aic[SW_FIT_CANDIDATES];
    for (size_t s = 0; s < nb; s++) {
        double within = boot_sample(bd, mo->groups, m, rng, ws->sw, b);
        for (size_t q = 0; q < c->n; q++) {
            double scale[SW_FIT_HYPTERMS], x[SW_FIT_HYPTERMS];
            int passive[SW_FIT_HYPTERMS];
            const hyp *h = c->h[q];
            load_columns(ws, h->idx, h->p, scale);
            nnls(ws, h->p, b, x, passive);
            aic[q] = aicc(residual_ss(ws, h->p, x, b, NULL) + within, bd->count, h->p);
            for (size_t k = 0; k < h->p; k++)
                coef[q][k] = x[k] / scale[k];
        }
        size_t q = c->n > 1 ? draw(aic, c, rng) : 0;
        c->chosen[q]++;
        for (size_t k = 0; k < c->h[q]->p; k++)
            mo->boot[s * p + c->pos[q][k]] = coef[q][k];
    }
    gsl_rng_free(rng);
    free(b);
    /* covariance of the sample, for the bulk (delta-method) path */
    double mean[SW_FIT_MAXTERMS] = {0};
    for (size_t s = 0; s < nb; s++)
        for (size_t k = 0; k < p; k++)
            mean[k] += mo->boot[s * p + k] / (double)nb;
    for (size_t a = 0; a < p; a++)
        for (size_t d = 0; d < p; d++) {
            double acc = 0;
            for (size_t s = 0; s < nb; s++)
                acc += (mo->boot[s * p + a] - mean[a]) * (mo->boot[s * p + d] - mean[d]);
            mo->cov[a * p + d] = nb > 1 ? acc / (double)(nb - 1) : 0;
        }
    return SW_OK;
}

/* ---- the whole fit ---- */

static sw_status check_points(const double *n, const double *t, size_t count, sw_error *err)
{
    if (count == 0)
        return sw_error_set(err, SW_EDOM, "no points to fit");
    for (size_t k = 0; k < count; k++) {
        if (!isfinite(n[k]) || n[k] < 1)
            return sw_error_set(err, SW_EDOM, "point %zu: N = %g is not a unit count >= 1",
                                k + 1, n[k]);
        if (!isfinite(t[k]))
            return sw_error_set(err, SW_EDOM, "point %zu (N = %g): time is not a finite number",
                                k + 1, n[k]);
        if (t[k] <= 0)
            return sw_error_set(err, SW_EDOM, "point %zu (N = %g): time %g is not positive",
                                k + 1, n[k], t[k]);
    }
    return SW_OK;
}

/* Peak-normalised rate series have no run on one unit, but they define
 * t(1) = 1 (one unit at its peak: E(1) = 1, the premise of the Karp-Flatt
 * reading).  The anchor is a group without points whose weight makes it a
 * constraint; it is left out of cross-validation and the bootstrap's pool. */
static sw_status add_anchor(sw_fitmodel *mo, size_t **start, sw_error *err)
{
    size_t m = mo->ngroups;
    sw_fit_group *g = realloc(mo->groups, (m + 1) * sizeof *g);
    if (!g)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    mo->groups = g;
    size_t *s = realloc(*start, (m + 2) * sizeof *s);
    if (!s)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    *start = s;
    memmove(g + 1, g, m * sizeof *g);
    memmove(s + 1, s, (m + 1) * sizeof *s);
    s[0] = 0;
    g[0] = (sw_fit_group){1, 1, 1, 1};
    mo->ngroups = m + 1;
    return SW_OK;
}

static sw_status make_groups(point *pts, size_t count, sw_fitmodel *mo, size_t **start,
                             sw_error *err)
{
    qsort(pts, count, sizeof *pts, cmp_point);
    size_t m = 0;
    for (size_t k = 0; k < count; k++)
        if (k == 0 || pts[k].n != pts[k - 1].n)
            m++;
    mo->groups = calloc(m, sizeof *mo->groups);
    *start = calloc(m + 1, sizeof **start);
    if (!mo->groups || !*start)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    size_t g = 0;
    for (size_t k = 0; k < count; k++) {
        if (k > 0 && pts[k].n != pts[k - 1].n)
            (*start)[++g] = k;
        mo->groups[g].n = pts[k].n;
        mo->groups[g].count++;
        mo->groups[g].mean += pts[k].t;
    }
    (*start)[m] = count;
    for (g = 0; g < m; g++)
        mo->groups[g].mean /= (double)mo->groups[g].count;
    mo->ngroups = m;
    mo->npoints = count;
    mo->n_min = mo->groups[0].n;
    mo->n_max = mo->groups[m - 1].n;
    if (m == 1)
        return sw_error_set(err, SW_EDOM,
                            "all %zu points are at a single N = %g: a scaling model needs at "
                            "least 3 distinct N",
                            count, pts[0].n);
    if (m < 3)
        return sw_error_set(err, SW_EDOM,
                            "only %zu distinct N (%g, %g): fewer points than the parameters "
                            "of any model worth choosing; measure at least 3 distinct N",
                            m, mo->groups[0].n, mo->groups[1].n);
    if (mo->anchor1 && mo->groups[0].n != 1)
        return add_anchor(mo, start, err);
    return SW_OK;
}

/* Relative spread within each N: the same for every hypothesis. */
static double within_ss(const point *pts, const size_t *start, const sw_fit_group *gr, size_t m)
{
    double ss = 0;
    for (size_t g = 0; g < m; g++)
        for (size_t k = start[g]; k < start[g + 1]; k++) {
            double e = (pts[k].t - gr[g].mean) / gr[g].mean;
            ss += e * e;
        }
    return ss;
}

static double aicc(double rss, size_t n, size_t p)
{
    double k = (double)p + 1; /* coefficients and the noise variance */
    double nn = (double)n;
    if (nn - k - 1 <= 0)
        return NAN;
    rss = fmax(rss, nn * 1e-24);
    return nn * log(rss / nn) + 2 * k + 2 * k * (k + 1) / (nn - k - 1);
}

static int is_superset(const hyp *big, const hyp *small)
{
    for (size_t a = 0; a < small->p; a++) {
        int found = 0;
        for (size_t b = 0; b < big->p && !found; b++)
            found = big->idx[b] == small->idx[a];
        if (!found)
            return 0;
    }
    return 1;
}

/* Equal residuals up to rounding: the same curve through other terms.  The
 * floor is relative to the weighted data norm (sum of b^2 = point count), so
 * two exact fits of noise-free data also count as one curve. */
static int same_curve(const hyp *a, const hyp *b)
{
    return a->p == b->p && fabs(a->rss - b->rss) <= 1e-9 * fmax(a->rss, b->rss) + a->floor;
}

/* Ranks by AICc, then chooses the hypothesis with the fewest terms among
 * those within 2 of the lowest AICc (Burnham & Anderson's parsimony rule:
 * an extra term that buys less than 2 units is noise being fitted), moves
 * it to the front, marks equivalent curves and decides whether a real rival
 * remains: a different curve within 2 units of the chosen one that is not
 * the chosen one plus more terms. */
static sw_status select_table(sw_fitmodel *mo, const sw_term *u, hyp *hs, size_t nh,
                              sw_error *err)
{
    qsort(hs, nh, sizeof *hs, cmp_hyp);
    double best = hs[0].aicc, wsum = 0;
    size_t pick = 0;
    for (size_t k = 1; k < nh && hs[k].aicc - best < 2; k++)
        if (hs[k].p < hs[pick].p)
            pick = k;
    if (pick) {
        hyp chosen = hs[pick];
        memmove(hs + 1, hs, pick * sizeof *hs);
        hs[0] = chosen;
    }
    size_t nt = nh < SW_FIT_TABLE ? nh : SW_FIT_TABLE;
    mo->hyp = calloc(nt, sizeof *mo->hyp);
    int *equiv = calloc(nh, sizeof *equiv);
    if (!mo->hyp || !equiv) {
        free(equiv);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    mo->nhyp = nt;
    /* An equivalent curve is one hypothesis, not two: it is not a rival and
     * does not dilute the Akaike weights. */
    for (size_t k = 0; k < nh; k++) {
        for (size_t q = 0; q < k && !equiv[k]; q++)
            equiv[k] = !equiv[q] && same_curve(&hs[q], &hs[k]);
        if (!equiv[k])
            wsum += exp(-(hs[k].aicc - best) / 2);
        if (k > 0 && !equiv[k] && fabs(hs[k].aicc - hs[0].aicc) < 2 &&
            !is_superset(&hs[k], &hs[0]))
            mo->ambiguous = 1;
    }
    for (size_t k = 0; k < nt; k++) {
        sw_fit_hyp *t = &mo->hyp[k];
        hyp_name(u, &hs[k], t->name, sizeof t->name);
        t->nterms = hs[k].p;
        t->aicc = hs[k].aicc;
        t->delta = hs[k].aicc - best;
        t->weight = exp(-t->delta / 2) / wsum;
        t->loo = hs[k].loo;
        t->rss = hs[k].rss;
        t->equivalent = equiv[k];
    }
    free(equiv);
    return SW_OK;
}

/* Leverage-corrected relative residuals of the chosen fit, centred: what
 * the residual bootstrap resamples.  fitv gets the fitted group means. */
static sw_status residuals(fitws *ws, const hyp *best, const double *b, const sw_fitmodel *mo,
                           double *fitv, double *resid, size_t *npool, sw_error *err)
{
    size_t m = ws->m;
    double scale[SW_FIT_HYPTERMS], z[SW_FIT_HYPTERMS];
    int passive[SW_FIT_HYPTERMS], any = 0;
    double *h = malloc(m * sizeof *h);
    if (!h)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    load_columns(ws, best->idx, best->p, scale);
    for (size_t k = 0; k < best->p; k++)
        any |= passive[k] = best->coef[k] > 0;
    if (!any || ls_subset(ws, best->p, passive, b, z, h))
        for (size_t g = 0; g < m; g++)
            h[g] = 0;
    double rmean = 0;
    size_t np = 0;
    for (size_t g = 0; g < m; g++) {
        fitv[g] = sw_fit_time_coef(mo, mo->coef, mo->groups[g].n, NULL);
        if (mo->groups[g].anchor)
            continue;
        double lev = h[g] < 0.99 ? h[g] : 0.99;
        resid[np] = (mo->groups[g].mean - fitv[g]) / fitv[g] *
                    sqrt((double)mo->groups[g].count) / sqrt(1 - lev);
        rmean += resid[np++];
    }
    free(h);
    for (size_t g = 0; g < np; g++)
        resid[g] -= rmean / (double)np;
    *npool = np;
    return SW_OK;
}

static sw_status fit_points(point *pts, size_t count, const sw_fit_options *opt, sw_fit_form form,
                            sw_fitmodel *mo, sw_error *err)
{
    size_t *start = NULL;
    sw_status st = make_groups(pts, count, mo, &start, err);
    if (st) {
        free(start);
        return st;
    }
    size_t m = mo->ngroups;
    sw_term u[64];
    size_t nu;
    hyp *hs = malloc(MAXHYP * sizeof *hs);
    double *b = malloc(m * sizeof *b), *fitv = malloc(m * sizeof *fitv);
    double *resid = malloc(m * sizeof *resid);
    fitws ws = {0};
    if (!hs || !b || !fitv || !resid) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    size_t nh = enumerate(form, opt->max_comm, opt->extrap, u, &nu, hs);
    if (fitws_init(&ws, u, nu, mo->groups, m)) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t g = 0; g < m; g++)
        b[g] = ws.sw[g] * mo->groups[g].mean;
    double within = within_ss(pts, start, mo->groups, m);
    /* A hypothesis needs one distinct N more than it has coefficients, or
     * leave-one-N-out has nothing to test. */
    size_t kept = 0, skipped = 0, maxp = 0;
    for (size_t k = 0; k < nh; k++) {
        hyp h = hs[k];
        if (h.p + 1 > m) {
            skipped++;
            maxp = h.p > maxp ? h.p : maxp;
            continue;
        }
        fit_hyp(&ws, &h, b, mo->groups);
        h.floor = 1e-12 * (double)count;
        h.aicc = isnan(h.rss) ? NAN : aicc(h.rss + within, count, h.p);
        if (isnan(h.aicc)) {
            skipped++;
            maxp = h.p > maxp ? h.p : maxp;
            continue;
        }
        hs[kept++] = h;
    }
    mo->ntried = kept;
    if (kept == 0) {
        st = sw_error_set(err, SW_EDOM,
                          "%zu points at %zu distinct N are fewer than the parameters of every "
                          "hypothesis (+1 to test it); measure more N or repetitions",
                          count, m);
        goto done;
    }
    if (skipped &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "%zu of %zu hypotheses (up to %zu terms) skipped: %zu points "
                                      "at %zu distinct N cannot test them",
                                      skipped, nh, maxp, count, m)))
        goto done;
    if ((st = select_table(mo, u, hs, kept, err)))
        goto done;
    const hyp *best = &hs[0];
    cands cd;
    pick_candidates(hs, kept, &cd);
    mo->form = form;
    mo->nterms = cd.nunion;
    for (size_t k = 0; k < cd.nunion; k++)
        mo->terms[k] = u[cd.uidx[k]];
    for (size_t k = 0; k < best->p; k++)
        mo->coef[cd.pos[0][k]] = best->coef[k];
    size_t dof = count > best->p ? count - best->p : 0;
    mo->noise = dof ? sqrt((best->rss + within) / (double)dof) : NAN;
    int by_reps = 1;
    for (size_t g = 0; g < m; g++)
        if (mo->groups[g].count < 3 && !mo->groups[g].anchor)
            by_reps = 0;
    size_t npool = 0;
    if ((st = residuals(&ws, best, b, mo, fitv, resid, &npool, err)))
        goto done;
    bootdata bd = {pts, start, by_reps, resid, fitv, within, npool, count};
    mo->nboot = opt->bootstrap;
    mo->seed = opt->seed;
    mo->level = opt->level;
    if ((st = sw_fitmodel_set_src(mo, "bootstrap", mo->nboot ? (by_reps ? "repetitions"
                                                                        : "residuals")
                                                             : "none",
                                  err)))
        goto done;
    if (!by_reps && mo->nboot &&
        (st = sw_fitmodel_add_warning(mo, err,
                                      "fewer than 3 repetitions at some N: intervals come from "
                                      "a residual bootstrap over %zu distinct N",
                                      m)))
        goto done;
    if ((st = run_bootstrap(mo, &ws, &cd, &bd, err)))
        goto done;
    /* The bootstrap's coverage is tested inside the measured range only
     * (tests/unit/test_fit_synth.c); sw_fitmodel_reach says so beyond it. */
    mo->calib_ratio = 1;
    if (!(mo->calib_source = strdup("bootstrap, coverage tested inside the measured range"))) {
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t q = 0; q < cd.n && mo->nboot; q++) {
        size_t k = (size_t)(cd.h[q] - hs);
        if (k < mo->nhyp)
            mo->hyp[k].boot_share = (double)cd.chosen[q] / (double)mo->nboot;
    }
done:
    fitws_free(&ws);
    free(hs);
    free(b);
    free(fitv);
    free(resid);
    free(start);
    return st;
}

sw_status sw_fit_run_points(const double *n, const double *t, size_t count,
                            const sw_fit_options *opt, sw_fit_form form, sw_fitmodel *mo,
                            sw_error *err)
{
    sw_fit_options def;
    if (!opt) {
        sw_fit_options_default(&def);
        opt = &def;
    }
    if (!(opt->level > 0 && opt->level < 1))
        return sw_error_set(err, SW_EINVAL, "interval level %g is not in (0, 1)", opt->level);
    if (opt->max_comm < 0 || opt->max_comm > 2)
        return sw_error_set(err, SW_EINVAL, "communication terms per model: %d is not 0, 1 or 2",
                            opt->max_comm);
    sw_status st = check_points(n, t, count, err);
    if (st)
        return st;
    point *pts = malloc(count * sizeof *pts);
    if (!pts)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu points", count);
    size_t kept = 0;
    for (size_t k = 0; k < count; k++)
        if (!(opt->n_max > 0) || n[k] <= opt->n_max)
            pts[kept++] = (point){n[k], t[k]};
    if (kept == 0) {
        free(pts);
        return sw_error_set(err, SW_EDOM, "no point has N <= %g", opt->n_max);
    }
    st = fit_points(pts, kept, opt, form, mo, err);
    free(pts);
    return st;
}

sw_status sw_fit_arrays(const double *n, const double *t, size_t count, const sw_fit_options *opt,
                        sw_fitmodel **out, sw_error *err)
{
    *out = NULL;
    sw_fitmodel *mo = sw_fitmodel_alloc();
    if (!mo)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    sw_fit_form form = opt && opt->form == SW_FIT_WEAK ? SW_FIT_WEAK : SW_FIT_STRONG;
    sw_status st = sw_fit_run_points(n, t, count, opt, form, mo, err);
    if (!st)
        st = sw_fitmodel_set_src(mo, "quantity", "time", err);
    if (!st)
        st = sw_fitmodel_set_src(mo, "scaling", form == SW_FIT_WEAK ? "weak" : "strong", err);
    if (!st && !(mo->rate_unit = strdup("runs/s")))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    if (st) {
        sw_fitmodel_free(mo);
        return st;
    }
    *out = mo;
    return SW_OK;
}
