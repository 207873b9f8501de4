/* fit_report.c — what `scalewall fit` and `scalewall predict` print: the
 * model, the selection table, the derived answers and a prediction table,
 * as text, CSV or JSON, written to an open stream (callers make it atomic
 * with sw_outfile).  One writer for both commands keeps their output the
 * same shape. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fit_internal.h"
#include "scalewall/fmt.h"
#include "scalewall/text.h"

/* ---- text ---- */

static void fmt(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (isinf(v))
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
    else
        snprintf(buf, size, "%.4g", v);
}

static void text_interval(FILE *fp, const char *label, sw_interval iv, const char *unit)
{
    char a[32], b[32], c[32];
    fmt(a, sizeof a, iv.median);
    fmt(b, sizeof b, iv.lo);
    fmt(c, sizeof c, iv.hi);
    fprintf(fp, "  %-26s %12s  [%s, %s]%s%s\n", label, a, b, c, unit ? " " : "", unit ? unit : "");
}

static const char *src(const sw_fitmodel *m, const char *key, const char *dflt)
{
    const char *v = sw_fitmodel_source(m, key);
    return v && v[0] ? v : dflt;
}

/* A master-worker model's floor and what the data cannot tell apart in it
 * (fit_master.c). */
static void text_master(const sw_fitmodel *m, FILE *fp)
{
    double nd = m->n_max, hi = 16 * nd;
    double c_lo = sw_fit_master_cost(m, m->coef, 0, hi), c_hi = sw_fit_master_cost(m, m->coef, 1, hi);
    double c = sw_fit_master_cost(m, m->coef, sw_fit_master_u(m, SIZE_MAX), hi);
    fprintf(fp, "master     %.15g tasks per step from rank 0 (--tasks): T(N) >= (T + N - 1) c(N); ",
            m->mw_tasks);
    if (m->mw_c_data > 0)
        fprintf(fp, "c = %.3g us measured where the master saturates (N = %g)%s\n",
                1e6 * m->mw_c_data, m->mw_n_sat,
                m->mw_nlv ? ", moved by the platform's latency from rank 0" : "");
    else
        fprintf(fp,
                "c(%g) = %.3g us [%.3g, %.3g] from a task's trip o = %.3g us read at N = %g "
                "(beside the start-up stagger)%s: the reply's bytes cannot be told apart from "
                "the master's service",
                hi, 1e6 * c, 1e6 * c_lo, 1e6 * c_hi,
                1e6 * sw_fit_master_trip(m, m->coef, sw_fit_master_u(m, SIZE_MAX)), nd,
                m->mw_nlv ? ", less two latencies from the platform"
                          : " (without --platform the latencies cannot be told apart either)");
    if (m->mw_c_data <= 0 && m->mw_c_bound > 0)
        fprintf(fp, "; at most %.3g us at N = %g, where the master served T + N - 1 requests "
                    "within the measured time",
                1e6 * m->mw_c_bound, m->mw_n_bound);
    if (m->mw_c_data <= 0)
        fputc('\n', fp);
}

static void text_header(const sw_fitmodel *m, FILE *fp)
{
    char formula[512];
    sw_fitmodel_formula(m, formula, sizeof formula);
    fprintf(fp, "model      %s   (%s scaling)\n", formula,
            m->form == SW_FIT_WEAK ? "weak" : "strong");
    size_t ng = 0;
    for (size_t k = 0; k < m->ngroups; k++)
        ng += !m->groups[k].anchor;
    char lo[32], hi[32];
    sw_fmt_count(m->n_min, lo, sizeof lo);
    sw_fmt_count(m->n_max, hi, sizeof hi);
    fprintf(fp, "data       %s%s%s from %s: %zu points at %zu N in [%s, %s]; %s in %s",
            src(m, "workload", "(unnamed)"), src(m, "params", "")[0] ? ":" : "",
            src(m, "params", ""), src(m, "input", "(arrays)"), m->npoints, ng, lo, hi,
            src(m, "quantity", "time"), src(m, "unit", "s"));
    const char *conv = sw_fitmodel_source(m, "conversion");
    if (conv && strcmp(conv, "none") != 0)
        fprintf(fp, " (fitted as %s)", conv);
    fputc('\n', fp);
    if (m->nhyp && m->batched)
        fprintf(fp,
                "leading    %s, weight %.2f among %zu pairs of a hypothesis and a gradient noise "
                "scale; noise %.2g%% per run\n",
                m->hyp[0].name, m->hyp[0].weight, m->ntried, 100 * m->noise);
    else if (m->nhyp)
        fprintf(fp, "leading    %s, weight %.2f among %zu hypotheses; noise %.2g%% per run\n",
                m->hyp[0].name, m->hyp[0].weight, m->ntried, 100 * m->noise);
    fprintf(fp, "weights    %s\n", sw_fitmodel_criterion(m));
    fprintf(fp, "sample     %s, %zu samples (seed %lu); model error calibrated up to %gx N_max\n",
            src(m, "bootstrap", "none"), m->nboot, m->seed, m->calib_ratio);
    if (m->n_ref != 1) {
        char nr[32];
        sw_fmt_count(m->n_ref, nr, sizeof nr);
        fprintf(fp, "reference  speedup and efficiency are relative to N = %s, the smallest "
                    "measured N\n",
                nr);
    }
    if (m->batched)
        fprintf(fp, "batch      time to train = steps(B) x step time: steps ~ 1 + B_noise/B "
                    "(B_noise %.4g, the batch at N_min %.4g), the payload ~ B/N; predictions at "
                    "the batch of the largest measured N not above N unless --batch\n",
                m->bn_central, m->b0);
    if (m->mw_tasks > 0)
        text_master(m, fp);
    double sigma, kappa;
    if (sw_fitmodel_usl(m, &sigma, &kappa))
        fprintf(fp, "USL        sigma %.4g (contention), kappa %.4g (coherency): S(N) = N / (1 + "
                    "sigma (N-1) + kappa N (N-1))\n",
                sigma, kappa);
}

static void text_selection(const sw_fitmodel *m, FILE *fp)
{
    if (!m->nhyp)
        return;
    fprintf(fp, "\nleading hypotheses                  delta  weight  LFO-CV  sample\n");
    size_t shown = 0, hidden = 0;
    for (size_t k = 0; k < m->nhyp; k++) {
        const sw_fit_hyp *h = &m->hyp[k];
        if (h->equivalent || shown == 6) {
            hidden += h->equivalent;
            continue;
        }
        char share[16], lfo[16];
        if (isnan(h->boot_share)) /* a model file from before it was saved */
            snprintf(share, sizeof share, "-");
        else
            snprintf(share, sizeof share, "%.0f%%", 100 * h->boot_share);
        if (isnan(h->loo))
            snprintf(lfo, sizeof lfo, "-");
        else
            snprintf(lfo, sizeof lfo, "%.2f%%", 100 * h->loo);
        fprintf(fp, "  %-32s %6.2f  %6.3f  %6s  %6s\n", h->name, fabs(h->delta) < 5e-3 ? 0 : h->delta,
                h->weight, lfo, share);
        shown++;
    }
    fprintf(fp, "  (first row: the central curve; delta = -2 ln(weight/leading weight); LFO-CV: "
                "RMS log error predicting this series' larger N from its smaller ones; sample: "
                "share of the interval's sample drawn from it%s)\n",
            hidden ? "; rows giving the same curve through other terms not shown" : "");
    if (m->nshapes) {
        char need[400] = "", excl[400] = "", open[400] = "";
        size_t on = 0, oe = 0, oo = 0;
        for (size_t k = 0; k < m->nshapes; k++) {
            const sw_fit_shape_use *u = &m->shapes[k];
            char *b = u->weight >= 0.9 ? need : u->weight <= 0.1 ? excl : open;
            size_t *o = u->weight >= 0.9 ? &on : u->weight <= 0.1 ? &oe : &oo;
            if (*o < sizeof need - 1)
                *o += (size_t)snprintf(b + *o, sizeof need - *o, "%s%s %.2f", *o ? ", " : "",
                                       u->name, u->weight);
        }
        fprintf(fp, "shapes     the data need: %s\n", on ? need : "-");
        fprintf(fp, "           cannot tell apart: %s\n", oo ? open : "-");
        fprintf(fp, "           exclude: %s\n", oe ? excl : "-");
    }
    if (m->ambiguous)
        fprintf(fp, "note: the data cannot separate the leading hypothesis from a rival (at least "
                    "1/e of its weight, shown above); the intervals draw from both by weight; "
                    "more N, larger N or repetitions would decide\n");
}

static void text_answers(const sw_fitmodel *m, const sw_fit_answers *a, double level, FILE *fp)
{
    fprintf(fp, "\nanswers (%g%% intervals)\n", 100 * level);
    text_interval(fp, m->form == SW_FIT_WEAK ? "N* (most work per second)" : "N* (time minimal)",
                  a->n_opt, NULL);
    text_interval(fp, "max speedup (the wall)", a->max_speedup, NULL);
    text_interval(fp, "wall as payload rate", a->wall_rate, sw_fitmodel_rate_unit(m));
    text_interval(fp, "N1/2 (E falls to 0.5)", a->n_half, NULL);
    char lbl[64];
    snprintf(lbl, sizeof lbl, "N where E falls to %g", a->e_target);
    text_interval(fp, lbl, a->n_target, NULL);
    if (m->form == SW_FIT_STRONG)
        text_interval(fp, m->n_ref == 1 ? "serial share t_s/T(1)" : "serial share t_s/T(N_ref)",
                      a->serial_share, NULL);
}

static void text_table(const sw_fitmodel *m, const sw_fit_pred *p, size_t count, FILE *fp)
{
    fprintf(fp, "\n%10s %11s %23s %23s %9s %9s %10s %8s\n", "N", "T(N)", "interval",
            "one new run", "S", "E", m->form == SW_FIT_WEAK ? "Gust. s" : "K-F e", "N/Nmax");
    int untested = 0;
    for (size_t k = 0; k < count; k++) {
        char v[8][32];
        fmt(v[0], 32, p[k].time.median);
        fmt(v[1], 32, p[k].time.lo);
        fmt(v[2], 32, p[k].time.hi);
        fmt(v[3], 32, p[k].time_pi_lo);
        fmt(v[4], 32, p[k].time_pi_hi);
        fmt(v[5], 32, p[k].speedup.median);
        fmt(v[6], 32, p[k].efficiency.median);
        fmt(v[7], 32, p[k].serial.median);
        char iv[80], pi[80], rr[40];
        snprintf(iv, sizeof iv, "[%s, %s]", v[1], v[2]);
        snprintf(pi, sizeof pi, "[%s, %s]", v[3], v[4]);
        char nb[32];
        sw_fmt_count(p[k].n, nb, sizeof nb);
        sw_fit_reach r;
        if (sw_fitmodel_reach(m, p[k].n, &r, NULL) == SW_OK) {
            snprintf(rr, sizeof rr, "%.3g%s", r.ratio, r.calibrated ? "" : "*");
            untested |= !r.calibrated;
        } else {
            snprintf(rr, sizeof rr, "-");
        }
        fprintf(fp, "%10s %11s %23s %23s %9s %9s %10s %8s\n", nb, v[0], iv, pi, v[5], v[6], v[7],
                rr);
    }
    if (untested) {
        char lo[32], hi[32];
        sw_fmt_count(fmin(m->n_min, m->n_ref), lo, sizeof lo);
        sw_fmt_count(m->n_max * m->calib_ratio, hi, sizeof hi);
        fprintf(fp, "  * outside the range where the intervals are calibrated (N in [%s, %s]: "
                    "up to %gx the largest measured N; %s): the interval there is the model's "
                    "guess, not a tested one\n",
                lo, hi, m->calib_ratio, sw_fitmodel_calibration(m));
    }
}

/* ---- CSV ---- */

static void csv_num(FILE *fp, double v)
{
    if (isnan(v))
        fputs(",", fp);
    else if (isinf(v))
        fprintf(fp, ",%s", v > 0 ? "inf" : "-inf");
    else
        fprintf(fp, ",%.10g", v);
}

static void csv_table(const sw_fitmodel *m, const sw_fit_pred *p, size_t count, FILE *fp)
{
    const char *const q[] = {"time", "speedup", "efficiency",
                             m->form == SW_FIT_WEAK ? "gustafson" : "karp_flatt", "gain"};
    fputs("n", fp);
    for (size_t k = 0; k < 5; k++) {
        fprintf(fp, ",%s,%s_lo,%s_hi", q[k], q[k], q[k]);
        if (k == 0)
            fputs(",time_run_lo,time_run_hi", fp);
    }
    fputs(",ratio,calibrated\n", fp);
    for (size_t k = 0; k < count; k++) {
        fprintf(fp, "%.10g", p[k].n);
        const sw_interval *iv[5] = {&p[k].time, &p[k].speedup, &p[k].efficiency, &p[k].serial,
                                    &p[k].gain};
        for (size_t j = 0; j < 5; j++) {
            csv_num(fp, iv[j]->median);
            csv_num(fp, iv[j]->lo);
            csv_num(fp, iv[j]->hi);
            if (j == 0) {
                csv_num(fp, p[k].time_pi_lo);
                csv_num(fp, p[k].time_pi_hi);
            }
        }
        sw_fit_reach r;
        if (sw_fitmodel_reach(m, p[k].n, &r, NULL) == SW_OK) {
            csv_num(fp, r.ratio);
            fprintf(fp, ",%d\n", r.calibrated);
        } else {
            fputs(",,\n", fp);
        }
    }
}

/* ---- JSON ---- */

/* null for undefined, "inf" for unbounded (JSON has no infinity) */
static json_t *jnum(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

static json_t *jiv(sw_interval iv)
{
    json_t *o = json_object();
    json_object_set_new(o, "value", jnum(iv.median));
    json_object_set_new(o, "lo", jnum(iv.lo));
    json_object_set_new(o, "hi", jnum(iv.hi));
    return o;
}

static json_t *json_report(const sw_fitmodel *m, const sw_fit_query *q, const sw_fit_answers *a,
                           const sw_fit_pred *p)
{
    char formula[512];
    sw_fitmodel_formula(m, formula, sizeof formula);
    json_t *root = json_object();
    json_object_set_new(root, "formula", sw_json_str(formula));
    json_object_set_new(root, "form", json_string(m->form == SW_FIT_WEAK ? "weak" : "strong"));
    json_t *terms = json_array();
    for (size_t k = 0; k < m->nterms; k++) {
        char nm[48];
        sw_term_name(&m->terms[k], nm, sizeof nm);
        json_t *t = json_object();
        json_object_set_new(t, "term", json_string(nm));
        json_object_set_new(t, "coefficient", jnum(m->coef[k]));
        json_array_append_new(terms, t);
    }
    json_object_set_new(root, "terms", terms);
    json_t *sel = json_array();
    for (size_t k = 0; k < m->nhyp; k++) {
        const sw_fit_hyp *h = &m->hyp[k];
        json_t *o = json_object();
        json_object_set_new(o, "terms", json_string(h->name));
        json_object_set_new(o, "delta", jnum(h->delta));
        json_object_set_new(o, "weight", jnum(h->weight));
        json_object_set_new(o, "lfo_log_rms", jnum(h->loo));
        json_object_set_new(o, "boot_share", jnum(h->boot_share));
        json_object_set_new(o, "equivalent", json_boolean(h->equivalent));
        json_array_append_new(sel, o);
    }
    json_object_set_new(root, "selection", sel);
    json_object_set_new(root, "ambiguous", json_boolean(m->ambiguous));
    json_object_set_new(root, "criterion", json_string(sw_fitmodel_criterion(m)));
    json_object_set_new(root, "n_ref", jnum(m->n_ref));
    json_object_set_new(root, "serial_fraction", json_string(sw_fitmodel_serial_name(m)));
    json_t *shapes = json_array();
    for (size_t k = 0; k < m->nshapes; k++)
        json_array_append_new(shapes, json_pack("{s:s, s:o}", "shape", m->shapes[k].name,
                                                "weight", jnum(m->shapes[k].weight)));
    json_object_set_new(root, "shapes", shapes);
    double usl_s, usl_k;
    if (sw_fitmodel_usl(m, &usl_s, &usl_k))
        json_object_set_new(root, "usl",
                            json_pack("{s:o, s:o}", "sigma", jnum(usl_s), "kappa", jnum(usl_k)));
    json_object_set_new(root, "calibration",
                        json_pack("{s:o, s:s}", "max_ratio", jnum(m->calib_ratio), "source",
                                  sw_fitmodel_calibration(m)));
    json_object_set_new(root, "level", json_real(q->level));
    json_t *w = json_object();
    json_object_set_new(w, "payload_speedup", json_real(q->w ? q->w->payload_speedup : 1));
    json_object_set_new(w, "comm_scale", json_real(q->w ? q->w->comm_scale : 1));
    json_object_set_new(w, "serial_scale", json_real(q->w ? q->w->serial_scale : 1));
    json_object_set_new(w, "sync_scale", json_real(q->w ? q->w->sync_scale : 1));
    json_object_set_new(root, "whatif", w);
    json_t *ans = json_object();
    json_object_set_new(ans, "n_opt", jiv(a->n_opt));
    json_object_set_new(ans, "max_speedup", jiv(a->max_speedup));
    json_object_set_new(ans, "wall_rate", jiv(a->wall_rate));
    json_object_set_new(ans, "rate_unit", sw_json_str(sw_fitmodel_rate_unit(m)));
    json_object_set_new(ans, "n_half", jiv(a->n_half));
    json_object_set_new(ans, "e_target", json_real(a->e_target));
    json_object_set_new(ans, "n_target", jiv(a->n_target));
    json_object_set_new(ans, "serial_share", jiv(a->serial_share));
    json_object_set_new(root, "answers", ans);
    json_t *rows = json_array();
    for (size_t k = 0; k < q->count; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "n", json_real(p[k].n));
        json_object_set_new(o, "time", jiv(p[k].time));
        json_object_set_new(o, "time_run_lo", jnum(p[k].time_pi_lo));
        json_object_set_new(o, "time_run_hi", jnum(p[k].time_pi_hi));
        json_object_set_new(o, "speedup", jiv(p[k].speedup));
        json_object_set_new(o, "efficiency", jiv(p[k].efficiency));
        json_object_set_new(o, m->form == SW_FIT_WEAK ? "gustafson" : "karp_flatt",
                            jiv(p[k].serial));
        json_object_set_new(o, "gain", jiv(p[k].gain));
        if (m->batched)
            json_object_set_new(o, "batch", jnum(sw_fit_batch_at(m, p[k].n, q->w)));
        sw_fit_reach r;
        if (sw_fitmodel_reach(m, p[k].n, &r, NULL) == SW_OK)
            json_object_set_new(o, "reach",
                                json_pack("{s:o, s:b, s:s}", "ratio", jnum(r.ratio), "calibrated",
                                          r.calibrated, "reason", r.reason));
        json_array_append_new(rows, o);
    }
    json_object_set_new(root, "predictions", rows);
    json_t *warn = json_array();
    for (size_t k = 0; k < m->nwarnings; k++)
        json_array_append_new(warn, sw_json_str(m->warnings[k]));
    json_object_set_new(root, "warnings", warn);
    return root;
}

sw_status sw_fit_report_write(const sw_fitmodel *m, const sw_fit_query *q, sw_fit_out format,
                              FILE *fp, sw_error *err)
{
    double level = q->level ? q->level : m->level;
    sw_fit_query qq = *q;
    qq.level = level;
    sw_fit_answers a;
    sw_status st = sw_fitmodel_answers(m, level, q->e_target, q->w, &a, err);
    if (st)
        return st;
    sw_fit_pred *p = calloc(q->count ? q->count : 1, sizeof *p);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t k = 0; k < q->count && !st; k++)
        st = sw_fitmodel_predict(m, q->n[k], level, q->w, &p[k], err);
    if (st) {
        free(p);
        return st;
    }
    if (format == SW_FIT_OUT_CSV) {
        csv_table(m, p, q->count, fp);
    } else if (format == SW_FIT_OUT_JSON) {
        json_t *root = json_report(m, &qq, &a, p);
        if (!root || json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(10))) {
            json_decref(root);
            free(p);
            return sw_error_set(err, SW_EIO, "writing the JSON report failed");
        }
        json_decref(root);
        fputc('\n', fp);
    } else {
        text_header(m, fp);
        text_selection(m, fp);
        if (q->w && (q->w->payload_speedup != 1 || q->w->comm_scale != 1 ||
                     q->w->serial_scale != 1 || q->w->sync_scale != 1))
            fprintf(fp,
                    "\nwhat-if    parallel payload %g x faster; serial x %g, communication x %g, "
                    "waiting x %g\n",
                    q->w->payload_speedup, q->w->serial_scale, q->w->comm_scale,
                    q->w->sync_scale);
        text_answers(m, &a, level, fp);
        text_table(m, p, q->count, fp);
    }
    free(p);
    if (ferror(fp))
        return sw_error_set(err, SW_EIO, "writing the report failed");
    return SW_OK;
}
