/* fit_obs.c — from an observation series to the fit's (N, time) arrays:
 * choosing one series from a file, dropping failed and outlier points with
 * a warning, checking the order of N, and turning rate series into
 * time-like values (docs/fit.md, "Rate series").
 *
 * Anything questionable that does not stop the fit becomes a warning stored
 * in the model, so the CLI can show it and the model file keeps it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "fit_internal.h"

static void describe(const sw_obs *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s [%s, %s]", o->workload && o->workload[0] ? o->workload : "(none)",
             o->params && o->params[0] ? ":" : "", o->params ? o->params : "",
             sw_quantity_name(o->quantity), sw_scaling_name(o->scaling));
}

/* Whether the pair "k=v" (length len) is one of the ';'- or ','-separated
 * items of params. */
static int has_item(const char *params, const char *item, size_t len)
{
    for (const char *p = params; *p;) {
        size_t n = strcspn(p, ";,");
        if (n == len && strncmp(p, item, len) == 0)
            return 1;
        p += n;
        if (*p)
            p++;
    }
    return 0;
}

/* WORKLOAD matches every series of that workload; WORKLOAD:PARAMS those
 * whose params are exactly PARAMS or hold each of PARAMS' items: the results
 * file records every parameter ("nx=64;ny=64;nz=64;iters=50;corrupt=0"),
 * the user names the ones that tell the series apart ("cg:nx=64"). */
static int matches(const sw_obs *o, const char *sel)
{
    const char *colon = strchr(sel, ':');
    size_t wl = colon ? (size_t)(colon - sel) : strlen(sel);
    const char *w = o->workload ? o->workload : "";
    if (strlen(w) != wl || strncmp(w, sel, wl) != 0)
        return 0;
    if (!colon)
        return 1;
    const char *params = o->params ? o->params : "";
    if (strcmp(colon + 1, params) == 0)
        return 1;
    for (const char *p = colon + 1; *p;) {
        size_t n = strcspn(p, ";,");
        if (n > 0 && !has_item(params, p, n))
            return 0;
        p += n;
        if (*p)
            p++;
    }
    return 1;
}

sw_status sw_fit_select_series(const sw_obs_set *set, const char *select, const sw_obs **out,
                               sw_error *err)
{
    *out = NULL;
    if (set->n == 0)
        return sw_error_set(err, SW_EDOM, "the file holds no series");
    if (!select) {
        if (set->n == 1) {
            *out = set->series[0];
            return SW_OK;
        }
        char list[600] = "";
        size_t off = 0;
        for (size_t k = 0; k < set->n && off < sizeof list - 1; k++) {
            char d[200];
            describe(set->series[k], d, sizeof d);
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%zu: %s", k ? "; " : "",
                                    k + 1, d);
        }
        return sw_error_set(err, SW_EINVAL,
                            "the file mixes %zu series (%s): select one by number or "
                            "WORKLOAD[:PARAMS]; a model of mixed workloads would mean nothing",
                            set->n, list);
    }
    char *end;
    long idx = strtol(select, &end, 10);
    if (*select && !*end) {
        if (idx < 1 || (size_t)idx > set->n)
            return sw_error_set(err, SW_EINVAL, "series %ld does not exist (the file has %zu)",
                                idx, set->n);
        *out = set->series[idx - 1];
        return SW_OK;
    }
    size_t found = 0;
    for (size_t k = 0; k < set->n; k++)
        if (matches(set->series[k], select)) {
            if (!*out)
                *out = set->series[k];
            found++;
        }
    if (found == 0)
        return sw_error_set(err, SW_EINVAL, "no series matches '%s'", select);
    if (found > 1) {
        *out = NULL;
        return sw_error_set(err, SW_EINVAL,
                            "%zu series match '%s' (they differ in params, quantity or scaling): "
                            "select by number",
                            found, select);
    }
    return SW_OK;
}

/* Sweeps write N in increasing order for each repetition; anything else
 * hints at a merged or hand-edited file, worth a word but not a refusal. */
static sw_status check_order(const sw_obs *o, sw_fitmodel *m, sw_error *err)
{
    for (size_t k = 0; k < o->npts; k++) {
        const sw_obs_point *p = &o->pts[k];
        if (!p->ok || p->outlier)
            continue;
        for (size_t q = k + 1; q < o->npts; q++) {
            const sw_obs_point *r = &o->pts[q];
            if (!r->ok || r->outlier || r->rep != p->rep)
                continue;
            if (r->n == p->n)
                return sw_fitmodel_add_warning(m, err,
                                               "N = %g, repetition %d appears twice: both "
                                               "points are used",
                                               p->n, p->rep);
            if (r->n < p->n)
                return sw_fitmodel_add_warning(m, err,
                                               "N is not increasing in the file (repetition %d: "
                                               "N = %g comes after N = %g); points are sorted "
                                               "by N for the fit",
                                               p->rep, r->n, p->n);
            break; /* the next point of this rep is in order */
        }
    }
    return SW_OK;
}

/* Time-like values for a rate series, and the work that turns them back. */
static sw_status rate_to_time(const sw_obs *o, const size_t *use, size_t nuse, double *t,
                              int weak, int *with_peak, sw_fitmodel *m, sw_error *err)
{
    int peak = 1;
    for (size_t k = 0; k < nuse; k++) {
        const sw_obs_point *p = &o->pts[use[k]];
        if (!(p->value > 0) || !isfinite(p->value))
            return sw_error_set(err, SW_EDOM, "point %zu (N = %g): rate %g is not positive",
                                use[k] + 1, p->n, p->value);
        if (!(p->peak > 0) || !isfinite(p->peak))
            peak = 0;
    }
    double *r1 = malloc((nuse ? nuse : 1) * sizeof *r1);
    if (!r1)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t k = 0; k < nuse; k++) {
        const sw_obs_point *p = &o->pts[use[k]];
        /* Amdahl with efficiency E = rate/peak: 1/(N E) = s + (1-s)/N.
         * Without a peak: time per unit of work, N units of it when the
         * work grows with N (weak scaling). */
        double nwork = weak ? p->n : 1.0;
        t[k] = nwork * (peak ? p->peak / (p->n * p->value) : 1.0 / p->value);
        r1[k] = peak ? p->peak / p->n : 1;
    }
    gsl_sort(r1, 1, nuse);
    m->work = peak ? gsl_stats_median_from_sorted_data(r1, 1, nuse) : 1;
    free(r1);
    *with_peak = peak;
    sw_status st = sw_fitmodel_set_src(
        m, "conversion",
        peak ? (weak ? "t = peak/rate, anchored at t(1) = 1"
                     : "t = peak/(N*rate), anchored at t(1) = 1")
             : weak ? "t = N/rate"
                    : "t = 1/rate",
        err);
    if (st)
        return st;
    free(m->rate_unit);
    if (!(m->rate_unit = strdup(o->unit ? o->unit : "")))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    return SW_OK;
}

static sw_status provenance(const sw_obs *o, const char *source, sw_fit_form form,
                            sw_fitmodel *m, sw_error *err)
{
    sw_status st;
    if ((st = sw_fitmodel_set_src(m, "input", source, err)) ||
        (st = sw_fitmodel_set_src(m, "workload", o->workload, err)) ||
        (st = sw_fitmodel_set_src(m, "params", o->params, err)) ||
        (st = sw_fitmodel_set_src(m, "quantity", sw_quantity_name(o->quantity), err)) ||
        (st = sw_fitmodel_set_src(m, "unit", o->unit, err)) ||
        (st = sw_fitmodel_set_src(m, "scaling", form == SW_FIT_WEAK ? "weak" : "strong", err)))
        return st;
    if (o->quantity == SW_QTY_TIME && (st = sw_fitmodel_set_src(m, "conversion", "none", err)))
        return st;
    char net[160];
    sw_obs_network(o, net, sizeof net);
    return sw_fitmodel_set_src(m, "network", net, err);
}

/* The global batch of each used point, from the extra column `batch` (or
 * `global_batch`): 1 when every used point has a positive one, 0 when the
 * column is absent; a column with holes is a warning, not a batch model. */
static int batches(const sw_obs *o, const size_t *use, size_t nuse, double *b, sw_fitmodel *m,
                   sw_error *err, sw_status *st)
{
    int col = sw_obs_find_extra(o, "batch");
    if (col < 0)
        col = sw_obs_find_extra(o, "global_batch");
    if (col < 0)
        return 0;
    for (size_t k = 0; k < nuse; k++) {
        b[k] = o->pts[use[k]].extra[col];
        if (!(b[k] > 0) || !isfinite(b[k])) {
            *st = sw_fitmodel_add_warning(m, err,
                                          "the batch column has no positive value at N = %g: "
                                          "the series is fitted without its batches",
                                          o->pts[use[k]].n);
            return 0;
        }
    }
    return 1;
}

static sw_status fit_series(const sw_obs *o, const char *source, const sw_fit_options *opt,
                            sw_fitmodel *m, size_t *use, double *n, double *t, sw_error *err)
{
    size_t nuse = 0, failed = 0, outliers = 0;
    for (size_t k = 0; k < o->npts; k++) {
        if (!o->pts[k].ok)
            failed++;
        else if (o->pts[k].outlier)
            outliers++;
        else
            use[nuse++] = k;
    }
    sw_status st = SW_OK;
    if (failed && (st = sw_fitmodel_add_warning(m, err,
                                                "%zu failed point%s (ok = 0) not used", failed,
                                                failed == 1 ? "" : "s")))
        return st;
    if (outliers && (st = sw_fitmodel_add_warning(m, err, "%zu point%s flagged as outliers not used",
                                                  outliers, outliers == 1 ? "" : "s")))
        return st;
    if (nuse == 0)
        return sw_error_set(err, SW_EDOM, "no usable point (%zu failed, %zu outliers)", failed,
                            outliers);
    for (size_t k = 0; k < nuse; k++) {
        n[k] = o->pts[use[k]].n;
        t[k] = o->pts[use[k]].value;
    }
    sw_fit_form form = opt && opt->form >= 0 ? (sw_fit_form)opt->form
                       : o->scaling == SW_SCALING_WEAK ? SW_FIT_WEAK
                                                       : SW_FIT_STRONG;
    int with_peak = 0;
    if (o->quantity == SW_QTY_RATE)
        st = rate_to_time(o, use, nuse, t, form == SW_FIT_WEAK, &with_peak, m, err);
    else
        st = check_order(o, m, err);
    if (st)
        return st;
    m->anchor1 = with_peak;
    m->not_seconds = o->quantity != SW_QTY_TIME || !o->unit || strcmp(o->unit, "s") != 0;
    double *b = malloc((nuse ? nuse : 1) * sizeof *b);
    if (!b)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    int batched = batches(o, use, nuse, b, m, err, &st);
    if (!st)
        st = sw_fit_run_points(n, t, batched ? b : NULL, nuse, opt, form, m, err);
    free(b);
    if (st)
        return st;
    return provenance(o, source, form, m, err);
}

sw_status sw_fit_obs(const sw_obs *o, const char *source, const sw_fit_options *opt,
                     sw_fitmodel **out, sw_error *err)
{
    *out = NULL;
    sw_fitmodel *m = sw_fitmodel_alloc();
    size_t cnt = o->npts ? o->npts : 1;
    size_t *use = malloc(cnt * sizeof *use);
    double *n = malloc(cnt * sizeof *n), *t = malloc(cnt * sizeof *t);
    sw_status st;
    if (!m || !use || !n || !t)
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    else
        st = fit_series(o, source, opt, m, use, n, t, err);
    if (!st && !m->rate_unit && !(m->rate_unit = strdup("runs/s")))
        st = sw_error_set(err, SW_ENOMEM, "out of memory");
    free(use);
    free(n);
    free(t);
    if (st) {
        if (source)
            sw_error_prefix(err, "%s", source);
        sw_fitmodel_free(m);
        return st;
    }
    *out = m;
    return SW_OK;
}
