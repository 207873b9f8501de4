/* fit_pipe.c — a pipeline's hops as one shape whose fill and steady state
 * share their coefficient (GPipe; issue 12).
 *
 * A GPipe step (Huang et al. 2019; bench/extrapolation/patterns/pipeline.c)
 * on N stages with M micro-batches: stage k receives micro-batch j from
 * stage k - 1, computes f = W/(3NM) on it and passes it on with MPI_Isend;
 * it posts the receive of j + 1 only once j is computed, so the transfer
 * (hop time h_k) overlaps nothing on the receiver: E_k(j) = max(E_k(j-1),
 * E_{k-1}(j)) + h_k + f, E_0(j) = (j + 1) f.  The last stage ends the
 * forward pass at N f + sum_{k=1}^{N-1} h_k + (M - 1)(f + max_k h_k): the
 * fill through every hop, then M - 1 cycles at the slowest.  The backward
 * pass is the same with 2f and the gradients, so (W the step's compute)
 *   T(N) = (M + N - 1) W/(NM) + 2 [sum_k h_k + (M - 1) max_k h_k],  T(1) = W.
 * The compute is the serial term a = W/M (one micro-batch's bubble) plus
 * the payload a (M - 1)/N.  On one level (every hop alike) the hops are
 * 2h [(N - 1) + (M - 1) [N > 1]]: the chain and a step whose ratio is
 * M - 1, one coefficient, where the free sum t_s + t_p/N + (N-1) + [N>1]
 * has two; on a platform with levels, hop k crosses level l (boundary
 * at_l) when at_l divides k, so sum_k h_k = sum_l D_l (N - at_l)/at_l and
 * max_k h_k = sum_l D_l [N > at_l], D_l the level's extra hop time.
 * Solved for h on the corpus, this T(N) gives one h at every N: 11.777 us
 * from N = 2 to 1024 on pipeline-flat-2 (clean alpha-beta), 93.4-93.6 us
 * on pipeline-flat-1 from N = 3 (SMPI's default factors; 90.0 at N = 2).
 *
 * M is the data's: the fully tied model a (M - 1 + N)/N + hops(N; M) is
 * linear in a and the hop times for a given M, so M is found by profiling
 * its weighted least squares over M (a grid in log M, then golden section
 * in the best bracket), the way fit_platform.c finds an all-to-all's
 * volume before the main fit.  The main fit then takes the hop shape for
 * that M with t_s and t_p free beside it (a serial cost that is not the
 * bubble stays possible).  A level's D_l is free where the data cross it
 * at two N or more; a level beyond the data takes the platform's latency
 * step over the last level they cross (as the chain's parts do), folded
 * into that level's shape. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_internal.h"

/* the levels of a pipeline's hops: one (every hop alike) without a platform */
static size_t pipe_levels(const sw_platform *p, sw_fit_level *lv)
{
    size_t n = p ? sw_fit_platform_levels(p, lv) : 0;
    if (!n)
        lv[n++] = (sw_fit_level){1, 1, 0};
    return n;
}

/* Levels the data cross at two N or more (level 0 always, with N > 1). */
static size_t levels_seen(const sw_fit_level *lv, size_t nl, const sw_fit_group *gr, size_t m)
{
    size_t seen = 1;
    for (size_t l = 1; l < nl; l++) {
        size_t past = 0;
        for (size_t g = 0; g < m; g++)
            past += gr[g].n > lv[l].at;
        if (past < 2)
            break;
        seen = l + 1;
    }
    return seen;
}

/* The hop shapes for M micro-batches: level r's extra hop time D_r, with
 * the levels past the data folded into the last seen one by the
 * platform's latency steps. */
static size_t pipe_build(const sw_fit_level *lv, size_t nl, size_t seen, double mb,
                         const char *pname, sw_term *out)
{
    for (size_t r = 0; r < seen; r++) {
        sw_term t = {.role = SW_ROLE_COMM, .shape = SW_SHAPE_PLATFORM};
        size_t last = r + 1 < seen ? r : nl - 1;
        double da = lv[r].alpha - (r ? lv[r - 1].alpha : 0);
        for (size_t l = r; l <= last && t.nparts + 2 <= SW_TERM_MAXPARTS; l++) {
            double rho = l == r ? 1 : (lv[l].alpha - lv[l - 1].alpha) / da;
            if (!(rho > 0) || !isfinite(rho))
                continue;
            t.part[t.nparts++] = (sw_term_part){SW_PART_LIN, lv[l].at, rho / lv[l].at};
            t.part[t.nparts++] = (sw_term_part){SW_PART_STEP, lv[l].at, rho * (mb - 1)};
        }
        char name[96];
        if (r == 0)
            snprintf(name, sizeof name, "gpipe(M=%.3g)%s%.40s", mb, pname ? "@" : "",
                     pname ? pname : "");
        else
            snprintf(name, sizeof name, "gpipe>%g(M=%.3g)@%.40s", lv[r].at, mb,
                     pname ? pname : "");
        size_t len = strlen(name) < sizeof t.label ? strlen(name) : sizeof t.label - 1;
        memcpy(t.label, name, len); /* a long platform name is cut */
        t.label[len] = '\0';
        out[r] = t;
    }
    return seen;
}

typedef struct profile {
    const sw_fit_level *lv;
    size_t nl, seen;
    const sw_fit_group *gr;
    size_t m;
    sw_fitws ws;
    double *b;
    sw_term u[4]; /* the tied compute (column overwritten), then the hop shapes */
} profile;

/* Weighted RSS of the fully tied model for M; coef[0] the compute a,
 * coef[1..] the hop times.  INFINITY when it cannot be fitted. */
static double tied_rss(profile *pr, double mb, double *coef)
{
    size_t nu = 1 + pr->seen, idx[4] = {0, 1, 2, 3};
    pipe_build(pr->lv, pr->nl, pr->seen, mb, NULL, pr->u + 1);
    for (size_t g = 0; g < pr->m; g++) {
        double n = pr->gr[g].n;
        pr->ws.g[g * nu] = 1 + (mb - 1) / n;
        for (size_t k = 1; k < nu; k++)
            pr->ws.g[g * nu + k] = sw_term_eval(&pr->u[k], n);
    }
    double rss = sw_fit_nnls(&pr->ws, idx, nu, pr->m, pr->b, coef);
    return isfinite(rss) ? rss : INFINITY;
}

/* The M the data show (>= 1), by the profile; 0 when the tied model
 * finds no hop cost or no compute. */
static double micro_batches(profile *pr)
{
    /* M - 1 = 2^(k/4), k = -16 ... 52: M from 1.06 to ~8200 */
    enum { KLO = -16, KHI = 52 };
    double best = INFINITY, coef[4];
    int kb = KLO;
    for (int k = KLO; k <= KHI; k++) {
        double r = tied_rss(pr, 1 + exp2(k / 4.0), coef);
        if (r < best) {
            best = r;
            kb = k;
        }
    }
    /* a best M at either end of the grid is one the data do not bound
     * (M -> infinity leaves a step and a vanishing chain: no pipeline) */
    if (!isfinite(best) || kb == KLO || kb == KHI)
        return 0;
    /* golden section on log2(M - 1) in the best grid point's bracket */
    double lo = (kb - 1) / 4.0, hi = (kb + 1) / 4.0, gphi = 0.6180339887498949;
    double x1 = hi - gphi * (hi - lo), x2 = lo + gphi * (hi - lo);
    double f1 = tied_rss(pr, 1 + exp2(x1), coef), f2 = tied_rss(pr, 1 + exp2(x2), coef);
    for (int it = 0; it < 40 && hi - lo > 1e-4; it++) {
        if (f1 <= f2) {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - gphi * (hi - lo);
            f1 = tied_rss(pr, 1 + exp2(x1), coef);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + gphi * (hi - lo);
            f2 = tied_rss(pr, 1 + exp2(x2), coef);
        }
    }
    double mb = 1 + exp2(f1 <= f2 ? x1 : x2);
    if (!isfinite(tied_rss(pr, mb, coef)) || !(coef[0] > 0) || !(coef[1] > 0))
        return 0;
    return mb;
}

size_t sw_fit_pipe_terms(const sw_platform *p, const sw_fit_group *gr, size_t m, sw_term *out,
                         size_t cap)
{
    /* the step needs a run on one unit to be told from the serial term, and
     * the profile at least one N more than its coefficients plus M */
    if (!gr || m < 4 || gr[0].n != 1 || gr[0].anchor)
        return 0;
    sw_fit_level lv[3];
    profile pr = {.lv = lv, .gr = gr, .m = m};
    pr.nl = pipe_levels(p, lv);
    pr.seen = levels_seen(lv, pr.nl, gr, m);
    if (pr.seen + 2 > m || pr.seen > cap)
        return 0;
    pr.u[0] = (sw_term){.role = SW_ROLE_SERIAL, .shape = SW_SHAPE_POWLOG};
    pipe_build(lv, pr.nl, pr.seen, 2, NULL, pr.u + 1);
    pr.b = malloc(m * sizeof *pr.b);
    size_t n = 0;
    if (pr.b && !sw_fitws_init(&pr.ws, pr.u, 1 + pr.seen, gr, m)) {
        for (size_t g = 0; g < m; g++)
            pr.b[g] = pr.ws.sw[g] * gr[g].mean;
        double mb = micro_batches(&pr);
        if (mb > 1)
            n = pipe_build(lv, pr.nl, pr.seen, mb, p ? p->name : NULL, out);
    }
    sw_fitws_free(&pr.ws);
    free(pr.b);
    return n;
}

int sw_fit_is_pipe(const sw_term *t)
{
    if (t->shape != SW_SHAPE_PLATFORM)
        return 0;
    for (size_t k = 0; k < t->nparts && k < SW_TERM_MAXPARTS; k++)
        if (t->part[k].kind == SW_PART_STEP)
            return 1;
    return 0;
}
