/* fit_select.c — the hypotheses (combinations of shapes) and their weights.
 *
 * Every hypothesis the data can test gets a weight from three things
 * (docs/fit.md, "Choosing"):
 *   - its fit: exp(-RSS/(2 sigma^2)), sigma^2 the relative noise variance of
 *     the best-fitting hypotheses with a floor (sigma0, nu0 pseudo-runs), so
 *     deterministic (simulated) data is trusted to sigma0, not infinitely;
 *   - its size: N^(-p/2) (BIC's penalty: a term must pay for itself);
 *   - how well it predicted the larger N of this series from the smaller ones
 *     (leave-future-out: fit N <= N_max/2, N_max/4, N_max/8, predict the
 *     rest), exp(-lambda K mean(e^2)/(2 sigma^2)), e the log errors; a
 *     hypothesis whose full fit uses a term that none of those pasts used
 *     was never validated, and gets no weight beside one that was.  This is
 *     the validation that mimics the task: a shape that fits the past but
 *     bends away from the future loses weight even when its fit is exact.
 * The weights are a Bayesian model average with a cross-validated
 * likelihood, not a single winner: the intervals draw from every hypothesis
 * by weight (fit_sample.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

/* A halo surface: N^(-2/3), N^(-1/2), halo3d(N) or its platform versions. */
static int halo_shape(const sw_term *t)
{
    return (t->shape == SW_SHAPE_POWLOG && t->i < 0 && t->i > -1) ||
           t->shape == SW_SHAPE_HALO3 || t->shape == SW_SHAPE_STENCIL ||
           (t->shape == SW_SHAPE_PLATFORM && t->nparts > 0 && t->part[0].kind == SW_PART_HALO);
}

static int straggler_shape(const sw_term *t)
{
    return t->shape == SW_SHAPE_STRAGGLER || t->shape == SW_SHAPE_STRAGGLER_EXP ||
           t->shape == SW_SHAPE_STRAGGLER_GAUSS || t->shape == SW_SHAPE_STRAGGLER_LOGN;
}

static int same_mechanism(const sw_term *a, const sw_term *b)
{
    int pa = sw_fit_is_pipe(a), pb = sw_fit_is_pipe(b);
    if (pa != pb && ((pa && b->shape == SW_SHAPE_PLATFORM && b->nparts > 0 &&
                      b->part[0].kind == SW_PART_LIN) ||
                     (pb && a->shape == SW_SHAPE_PLATFORM && a->nparts > 0 &&
                      a->part[0].kind == SW_PART_LIN)))
        return 1; /* a pipeline's hops hold the chain (its levels are pipe terms) */
    if (sw_fit_platform_refines(a, b) || sw_fit_platform_refines(b, a))
        return 1; /* the flat and the platform version of one collective */
    if (straggler_shape(a) && straggler_shape(b))
        return 1; /* two tails of one wait */
    return halo_shape(a) && halo_shape(b); /* two forms of one halo surface */
}

/* A term the base terms already span, or that the data cannot see. */
static int excluded(const sw_term *t, int with_serial, sw_fit_form form, int have_n1,
                    double nmax)
{
    if ((t->shape == SW_SHAPE_HALO3 || t->shape == SW_SHAPE_STENCIL ||
         (halo_shape(t) && t->shape == SW_SHAPE_PLATFORM)) &&
        nmax < 27)
        return 1; /* below a 3x3x3 cut the surface is a step, not a decay */
    if (t->shape == SW_SHAPE_BANDWIDTH && with_serial && form == SW_FIT_STRONG)
        return 1; /* (N-1)/N = 1 - 1/N */
    if (sw_fit_is_pipe(t) && !with_serial)
        return 1; /* a pipeline's bubble is serial time (W/M: fit_pipe.c) */
    if (t->shape == SW_SHAPE_STEP && (!have_n1 || !with_serial))
        return 1; /* [N>1] is the constant on data without N = 1, and
                     alone it is the serial term everywhere but at N = 1 */
    return 0;
}

/* A pipeline's hops past a level boundary come with the hops inside it. */
static int pipe_whole(const sw_term *u, const size_t *extra, size_t k)
{
    int inner = 0, outer = 0;
    for (size_t q = 0; q < k; q++)
        if (sw_fit_is_pipe(&u[extra[q]])) {
            if (u[extra[q]].part[0].at > 1)
                outer = 1;
            else
                inner = 1;
        }
    return inner || !outer;
}

/* The blocks of a grid cut and its halo are one program: a hypothesis holds
 * the grid's quantised compute only beside the stencil it was found with
 * (alone, a grid of a few points a block bends any jagged series). */
static int orphan_blocks(const sw_term *u, const size_t *extra, size_t k)
{
    int blocks = 0, stencil = 0;
    for (size_t q = 0; q < k; q++) {
        blocks |= u[extra[q]].shape == SW_SHAPE_BLOCKS3;
        stencil |= u[extra[q]].shape == SW_SHAPE_STENCIL;
    }
    return blocks && !stencil;
}

static void add_hyp(sw_fit_h *out, size_t *nh, size_t cap, const size_t *base, size_t p0,
                    const size_t *extra, size_t k)
{
    if (*nh >= cap)
        return;
    sw_fit_h *h = &out[*nh];
    memset(h, 0, sizeof *h);
    h->order = *nh;
    for (size_t q = 0; q < p0; q++)
        h->idx[h->p++] = base[q];
    for (size_t q = 0; q < k; q++)
        h->idx[h->p++] = extra[q];
    (*nh)++;
}

size_t sw_fit_enumerate(sw_fit_form form, const sw_term *u, size_t nu, size_t nbase,
                        size_t npair, int max_extra, int have_n1, double nmax, sw_fit_h *out,
                        size_t cap)
{
    size_t nh = 0, ne = npair - nbase;
    if (max_extra > SW_FIT_HYPTERMS - 2)
        max_extra = SW_FIT_HYPTERMS - 2;
    for (int with_serial = 1; with_serial >= 0; with_serial--) {
        if (form == SW_FIT_WEAK && !with_serial)
            break;
        size_t base[2], p0 = 0;
        if (with_serial)
            base[p0++] = 0;
        if (form == SW_FIT_STRONG)
            base[p0++] = 1;
        /* combinations of up to max_extra named shapes, indices a < b < c */
        for (int k = 0; k <= max_extra && (size_t)k <= ne; k++) {
            size_t pick[SW_FIT_HYPTERMS];
            for (size_t q = 0; q < (size_t)k; q++)
                pick[q] = q;
            for (;;) {
                size_t extra[SW_FIT_HYPTERMS];
                int ok = 1;
                for (size_t q = 0; q < (size_t)k && ok; q++) {
                    extra[q] = nbase + pick[q];
                    ok = !excluded(&u[extra[q]], with_serial, form, have_n1, nmax);
                    for (size_t r = 0; r < q && ok; r++)
                        ok = !same_mechanism(&u[extra[q]], &u[extra[r]]);
                }
                if (ok && pipe_whole(u, extra, (size_t)k) && !orphan_blocks(u, extra, (size_t)k))
                    add_hyp(out, &nh, cap, base, p0, extra, (size_t)k);
                int q = k - 1;
                while (q >= 0 && pick[q] == ne - (size_t)k + (size_t)q)
                    q--;
                if (q < 0)
                    break;
                pick[q]++;
                for (int r = q + 1; r < k; r++)
                    pick[r] = pick[r - 1] + 1;
            }
        }
        /* the Extra-P family: single terms */
        if (max_extra >= 1)
            for (size_t t = npair; t < nu; t++)
                if (!excluded(&u[t], with_serial, form, have_n1, nmax))
                    add_hyp(out, &nh, cap, base, p0, &t, 1);
    }
    return nh;
}

void sw_fit_hyp_name(const sw_term *u, const sw_fit_h *h, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < h->p && off < size; k++) {
        char nm[48];
        sw_term_name(&u[h->idx[k]], nm, sizeof nm);
        off += (size_t)snprintf(buf + off, size - off, "%s%s", k ? " + " : "", nm);
    }
}

/* Fitted value of hypothesis h (coefficients c) at row `row`. */
static double value_at(const sw_fitws *ws, const sw_fit_h *h, const double *c, size_t row)
{
    double v = sw_fitws_off(ws, row);
    for (size_t k = 0; k < h->p; k++)
        v += c[k] * ws->g[row * ws->nu + h->idx[k]];
    return v;
}

/* Term q of h (coefficients c) is used at row `row`: its part there is
 * more than the noise of the mean measured there (relative variance
 * sigma2 per run, `count` runs), the fitted value being f. */
static int used(const sw_fitws *ws, const sw_fit_h *h, const double *c, size_t q, size_t row,
                double f, double sigma2, size_t count)
{
    return c[q] * ws->g[row * ws->nu + h->idx[q]] > sqrt(sigma2 / (double)(count ? count : 1)) * f;
}

/* The pasts a hypothesis is validated on: the rows with N <= N_max/2^j,
 * j = 1, 2, 3, while the past holds at least max(p, 2) rows. */
static size_t origins(const sw_fit_group *gr, size_t m, size_t p, size_t *rows)
{
    size_t n = 0, last = m;
    double nmax = gr[m - 1].n;
    for (int j = 1; j <= 3; j++) {
        double cut = nmax / exp2(j) * (1 + 1e-9);
        size_t r = 0;
        while (r < m && gr[r].n <= cut)
            r++;
        if (r == last || r < p || r < 2 || r >= m)
            continue;
        rows[n++] = last = r;
    }
    return n;
}

/* Leave-future-out: fit each past, predict the later N.  The errors are
 * plain log errors per octave of extrapolation, e / log2(N / N_past): the
 * question is how well a hypothesis extrapolates this series, and one whose
 * extrapolation swings with the noise should lose weight even when it is
 * the true form (predictive, not explanatory, selection); per octave, so a
 * hypothesis small enough to be tried from a shorter past is not charged
 * for the longer reach.  lfo_ss is their sum of squares, lfo_rms the RMS of
 * the plain log errors (for the table), scale their RMS per octave^growth
 * (the model error's unit, fit_sample.c). */
static void leave_future_out(sw_fit_data *d, const sw_fit_group *gr, sw_fit_h *h)
{
    size_t m = d->ws.m, np = 0, rows_of[3];
    size_t norig = origins(gr, m, h->p, rows_of);
    double ss = 0, so = 0, sov = 0;
    int seen[SW_FIT_HYPTERMS] = {0}, validated = 0;
    for (size_t o = 0; o < norig; o++) {
        size_t rows = rows_of[o];
        double c[SW_FIT_HYPTERMS];
        if (isnan(sw_fit_nnls(&d->ws, h->idx, h->p, rows, d->b, c)))
            continue;
        validated = 1;
        double flast = value_at(&d->ws, h, c, rows - 1);
        for (size_t q = 0; q < h->p; q++) {
            /* used: above the noise at the past's largest N; a column that
             * is zero on the past (a level not yet crossed) was not
             * rejected there, only not seen */
            int blank = 1;
            for (size_t row = 0; row < rows && blank; row++)
                blank = d->ws.g[row * d->ws.nu + h->idx[q]] == 0;
            seen[q] |= blank ||
                       used(&d->ws, h, c, q, rows - 1, flast, d->sigma2, gr[rows - 1].count);
        }
        double past = gr[rows - 1].n;
        for (size_t row = rows; row < m; row++) {
            if (gr[row].anchor)
                continue;
            double f = value_at(&d->ws, h, c, row);
            double e = f > 0 ? log(f / gr[row].mean) : log(1e-300 / gr[row].mean);
            e = fmin(fmax(e, -30), 30);
            double oct = fmax(log2(gr[row].n / past), 1);
            ss += e * e;
            so += e * e / (oct * oct);
            /* the model error grows as octaves^growth (fit_eval.c) */
            sov += e * e / pow(oct, 2 * d->cal->growth);
            np++;
        }
    }
    /* A term the full fit uses (beyond the noise at the largest N) but no
     * past did, though its column was there to use, was switched on by the
     * last points alone: the validation never saw it extrapolate. */
    h->untested = 0;
    double fmax_n = value_at(&d->ws, h, h->coef, m - 1);
    for (size_t q = 0; q < h->p && validated; q++)
        h->untested |=
            !seen[q] && used(&d->ws, h, h->coef, q, m - 1, fmax_n, d->sigma2, gr[m - 1].count);
    h->nlfo = np;
    h->lfo_ss = so;
    h->lfo_rms = np ? sqrt(ss / (double)np) : NAN;
    h->scale = np ? sqrt(sov / (double)np) : NAN;
}

static int cmp_weight(const void *a, const void *b)
{
    const sw_fit_h *x = a, *y = b;
    if (x->logw != y->logw)
        return x->logw > y->logw ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* The noise: the best unbiased estimate among hypotheses with >= 2 degrees
 * of freedom between N (any, with 3 or fewer N), pooled with the spread
 * within N and the floor's pseudo-runs; never below the noise the user
 * states. */
static double noise_variance(const sw_fit_data *d, const sw_fit_h *hs, size_t nh)
{
    const sw_fit_calib *cal = d->cal;
    size_t m = d->ws.m;
    double dof_w = (double)d->count - (double)d->nruns_groups,
           floor2 = cal->nu0 * cal->sigma0 * cal->sigma0;
    double best = INFINITY;
    for (size_t k = 0; k < nh; k++) {
        double dof = (double)m - (double)hs[k].npar;
        if (dof < 2 && m > 3)
            continue;
        best = fmin(best, (hs[k].rss + d->within + floor2) / (dof + dof_w + cal->nu0));
    }
    if (!isfinite(best))
        best = (d->within + floor2) / (dof_w + cal->nu0);
    /* the user's stated noise (fit --noise) is a fact about the data: a
     * lucky small misfit on a few points does not lower it */
    return fmax(best, d->noise2);
}

/* A pipeline's hops come with its bubble, the serial time W/M > 0
 * (fit_pipe.c): a fit that drops the serial term is no pipeline. */
static int bubble_kept(const sw_fitws *ws, const sw_fit_h *h)
{
    int pipe = 0, serial = 0;
    for (size_t k = 0; k < h->p; k++) {
        pipe |= sw_fit_is_pipe(&ws->u[h->idx[k]]);
        serial |= ws->u[h->idx[k]].role == SW_ROLE_SERIAL && h->coef[k] > 0;
    }
    return !pipe || serial;
}

/* A run on one unit takes time: a fit whose every term with a coefficient is
 * 0 at N = 1 (a straggler wait or a transpose without the payload they are
 * a share of) draws a curve through the data that no program has, and its
 * model could not be read back (fit_json.c refuses T(1) <= 0). */
static int costs_at_one(const sw_fitws *ws, const sw_fit_h *h)
{
    for (size_t k = 0; k < h->p; k++)
        if (h->coef[k] > 0 && sw_term_eval(&ws->u[h->idx[k]], 1) > 0)
            return 1;
    return 0;
}

void sw_fit_score(sw_fit_data *d, const sw_fit_group *gr, sw_fit_h *hs, size_t *nh,
                  size_t *skipped, size_t *maxp)
{
    size_t m = d->ws.m, kept = 0;
    for (size_t k = 0; k < *nh; k++) {
        sw_fit_h h = hs[k];
        h.data = d;
        /* one distinct N more than coefficients, or nothing tests the fit */
        h.npar = h.p;
        for (size_t q = 0; q < h.p; q++)
            if (sw_fit_is_pipe(&d->ws.u[h.idx[q]])) {
                h.npar = h.p + 1;
                break;
            }
        if (h.npar + 1 > m) {
            (*skipped)++;
            *maxp = h.p > *maxp ? h.p : *maxp;
            continue;
        }
        h.rss = sw_fit_nnls(&d->ws, h.idx, h.p, m, d->b, h.coef);
        if (isnan(h.rss)) {
            (*skipped)++;
            continue;
        }
        if (!bubble_kept(&d->ws, &h) || !costs_at_one(&d->ws, &h))
            continue;
        hs[kept++] = h;
    }
    *nh = kept;
    if (!kept)
        return;
    d->sigma2 = noise_variance(d, hs, kept);
    for (size_t k = 0; k < kept; k++)
        leave_future_out(d, gr, &hs[k]);
}

void sw_fit_finish(sw_fit_h *hs, size_t nh, double sigma2, double lambda)
{
    if (!nh)
        return;
    /* The prior: every size (number of terms) gets the same mass, shared by
     * the hypotheses of that size (Scott & Berger 2010's correction for
     * multiplicity): there are dozens of ways to add a term that fits the
     * noise, and together they must not outvote the one way not to. */
    size_t bysize[SW_FIT_HYPTERMS + 2] = {0}, kmax = 0;
    for (size_t k = 0; k < nh; k++) {
        bysize[hs[k].npar]++;
        kmax = hs[k].nlfo > kmax ? hs[k].nlfo : kmax;
    }
    /* every hypothesis is charged for kmax predictions: its mean error on
     * the ones it was tried on; one with a term no validation saw (an
     * upturn at the last N taken for a growing cost: the slowest of N
     * drawing a long tail there) gets no weight while a validated one
     * exists: its weight would rest on the fit of the last points alone */
    int any_tested = 0;
    for (size_t k = 0; k < nh; k++)
        any_tested |= !hs[k].untested;
    double top = -INFINITY;
    for (size_t k = 0; k < nh; k++) {
        sw_fit_h *h = &hs[k];
        double n = (double)h->data->count, within = h->data->within;
        h->ic = n * log(fmax(h->rss + within, n * 1e-300) / n) + (double)h->npar * log(n);
        double lfo = h->nlfo ? h->lfo_ss / (double)h->nlfo * (double)kmax : 0;
        h->logw = h->logprior - log((double)bysize[h->npar]) - h->rss / (2 * sigma2) -
                  0.5 * (double)h->npar * log(n) - lambda * lfo / (2 * sigma2);
        if (h->untested && any_tested)
            h->logw = -INFINITY;
        top = fmax(top, h->logw);
    }
    double sum = 0;
    for (size_t k = 0; k < nh; k++)
        sum += hs[k].weight = exp(hs[k].logw - top);
    for (size_t k = 0; k < nh; k++)
        hs[k].weight /= sum;
    qsort(hs, nh, sizeof *hs, cmp_weight);
}

/* Equal curves up to rounding: the same fitted values at every N (each
 * hypothesis on its own columns: a batch model's depend on its B_noise). */
static int same_curve(const sw_fit_h *a, const sw_fit_h *b)
{
    const sw_fitws *wa = &a->data->ws, *wb = &b->data->ws;
    for (size_t row = 0; row < wa->m; row++) {
        double x = value_at(wa, a, a->coef, row), y = value_at(wb, b, b->coef, row);
        if (fabs(x - y) > 1e-9 * fmax(fabs(x), fabs(y)))
            return 0;
    }
    return 1;
}

/* The active terms of b are among a's. */
static int active_subset(const sw_fit_h *a, const sw_fit_h *b)
{
    for (size_t q = 0; q < b->p; q++) {
        if (!(b->coef[q] > 0))
            continue;
        int found = 0;
        for (size_t r = 0; r < a->p && !found; r++)
            found = a->idx[r] == b->idx[q];
        if (!found)
            return 0;
    }
    return 1;
}

/* Fills the selection table, ambiguity and the shapes' weights; needs the
 * workspace to compare curves. */
/* Marks equivalent curves (the same fitted values through other terms, or
 * with a term held at zero: one answer) and sums each curve's weight over
 * its hypotheses into shown[] of the first one. */
static void classes(sw_fit_h *hs, size_t nh, double *shown)
{
    for (size_t k = 0; k < nh; k++) {
        hs[k].equivalent = 0;
        hs[k].rep = k;
        shown[k] = hs[k].weight;
        for (size_t q = 0; q < k && !hs[k].equivalent; q++)
            if (!hs[q].equivalent && same_curve(&hs[q], &hs[k])) {
                hs[k].equivalent = 1;
                hs[k].rep = q;
                shown[q] += hs[k].weight;
            }
    }
}

static int cmp_class(const void *a, const void *b)
{
    const sw_fit_h *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls > y->cls ? -1 : 1;
    if (x->equivalent != y->equivalent)
        return x->equivalent - y->equivalent;
    if (x->logw != y->logw)
        return x->logw > y->logw ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

sw_status sw_fit_table(sw_fitmodel *mo, const sw_term *u, size_t nu, sw_fit_h *hs, size_t nh,
                       sw_error *err)
{
    double *shown = calloc(nh ? nh : 1, sizeof *shown);
    if (!shown)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    /* order by the weight of the curve, not of one way of writing it: the
     * leading hypothesis (the central curve) is the best-supported curve */
    classes(hs, nh, shown);
    for (size_t k = 0; k < nh; k++)
        hs[k].cls = shown[hs[k].rep];
    qsort(hs, nh, sizeof *hs, cmp_class);
    classes(hs, nh, shown);
    for (size_t k = 1; k < nh; k++)
        if (!hs[k].equivalent && shown[k] >= shown[0] * exp(-1) &&
            !active_subset(&hs[k], &hs[0]) && !active_subset(&hs[0], &hs[k]))
            mo->ambiguous = 1;
    size_t nt = nh < SW_FIT_TABLE ? nh : SW_FIT_TABLE;
    mo->hyp = calloc(nt ? nt : 1, sizeof *mo->hyp);
    if (!mo->hyp) {
        free(shown);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    mo->nhyp = nt;
    for (size_t k = 0; k < nt; k++) {
        sw_fit_hyp *t = &mo->hyp[k];
        sw_fit_hyp_name(u, &hs[k], t->name, sizeof t->name);
        t->nterms = hs[k].p;
        t->aicc = hs[k].ic;
        t->weight = hs[k].equivalent ? hs[k].weight : shown[k];
        t->delta = t->weight > 0 ? -2 * log(t->weight / shown[0]) : INFINITY;
        t->loo = hs[k].lfo_rms;
        t->rss = hs[k].rss;
        t->equivalent = hs[k].equivalent;
        t->boot_share = 0;
    }
    free(shown);
    /* The weight of every shape beyond the payload: the serial term and the
     * catalogue, in universe order. */
    size_t ns = 0;
    mo->shapes = calloc(nu, sizeof *mo->shapes);
    if (!mo->shapes)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t t = 0; t < nu; t++) {
        if (u[t].role == SW_ROLE_PARALLEL)
            continue;
        double w = 0;
        int tried = 0;
        for (size_t k = 0; k < nh; k++)
            for (size_t q = 0; q < hs[k].p; q++)
                if (hs[k].idx[q] == t) {
                    tried = 1;
                    if (hs[k].coef[q] > 0)
                        w += hs[k].weight;
                }
        if (!tried)
            continue;
        sw_fit_shape_use *s = &mo->shapes[ns++];
        sw_term_name(&u[t], s->name, sizeof s->name);
        s->weight = fmin(fmax(w, 0), 1);
    }
    mo->nshapes = ns;
    return SW_OK;
}
