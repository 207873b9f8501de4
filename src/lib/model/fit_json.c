/* fit_json.c — the model as a JSON document (jansson), so `predict`, `plan`
 * and reports reuse a fit without refitting.  Layout in docs/fit.md.
 *
 * Reading is strict: the format name must match, a newer version is
 * SW_EUNSUP (a newer scalewall wrote it; guessing would give wrong numbers),
 * and every array is checked against the term count before use. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fit_internal.h"
#include "scalewall/io.h"
#include "scalewall/text.h"

static const char *const role_names[] = {"serial", "parallel", "comm", "wait"};
#define NROLES 4
/* indexed by sw_term_shape */
static const char *const shape_names[] = {"powlog", "bandwidth", "straggler", "straggler_gauss",
                                          "transpose", "linear", "step", "sqrt1",
                                          "platform", "halo3d", "faces3d",
                                          "straggler_lognormal", "alltoall", "straggler_exp",
                                          "tasks", "task_trips", "stencil", "blocks3d",
                                          "slowest"};
#define NSHAPES 19
static const char *const part_names[] = {"log",   "frac", "lin",  "vol",
                                         "halo",  "alpha", "beta", "step"};
#define NPARTS 8

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *vec(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++)
        json_array_append_new(a, num(v[k]));
    return a;
}

/* Names from the data (workload, file, unit) may hold bytes that are not
 * UTF-8: sw_json_str keeps them as U+FFFD rather than dropping the key. */
static json_t *str_or_null(const char *s) { return sw_json_str(s); }

static json_t *terms_json(const sw_fitmodel *m)
{
    json_t *a = json_array();
    for (size_t k = 0; k < m->nterms; k++) {
        char nm[48];
        sw_term_name(&m->terms[k], nm, sizeof nm);
        const sw_term *t = &m->terms[k];
        json_t *o = json_pack("{s:s, s:s, s:s}", "name", nm, "role", role_names[t->role],
                              "shape", shape_names[t->shape]);
        if (t->shape == SW_SHAPE_POWLOG) {
            json_object_set_new(o, "i", json_real(t->i));
            json_object_set_new(o, "j", json_integer(t->j));
        }
        if (t->shape == SW_SHAPE_STRAGGLER_LOGN)
            json_object_set_new(o, "i", json_real(t->i)); /* the log-sd */
        if (t->shape == SW_SHAPE_TASKS || t->shape == SW_SHAPE_TASK_TRIPS)
            json_object_set_new(o, "tasks", json_real(t->i));
        if (t->shape == SW_SHAPE_BLOCKS3)
            json_object_set_new(o, "grid", json_real(t->i));
        if (t->shape == SW_SHAPE_SLOWEST) { /* one rank's step times (jitter.h) */
            json_object_set_new(o, "family",
                                json_string(sw_jitter_family_name((sw_jitter_family)t->j)));
            if (t->j == SW_JITTER_LOGNORMAL)
                json_object_set_new(o, "sigma", json_real(t->i));
            json_object_set_new(o, "share", json_real(t->k));
        }
        if (t->shape == SW_SHAPE_ALLTOALL) {
            json_object_set_new(o, "volume", json_real(t->i));
            json_object_set_new(o, "selector",
                                json_string(sw_alltoall_selector_name(t->j & ~SW_A2A_SMPI)));
            json_object_set_new(o, "network",
                                json_string(t->j & SW_A2A_SMPI ? "smpi-default" : "alpha-beta"));
        }
        if (t->shape == SW_SHAPE_STENCIL) {
            json_object_set_new(o, "volume", json_real(t->i));
            json_object_set_new(o, "allreduce",
                                json_string(t->j & SW_STENCIL_RAB ? "rab_rdb" : "rdb"));
            json_object_set_new(o, "node_level", json_boolean(t->j & SW_STENCIL_NODE));
            json_object_set_new(o, "grid", json_integer(t->j / SW_STENCIL_GRID));
            json_object_set_new(o, "network",
                                json_string(t->j & SW_A2A_SMPI ? "smpi-default" : "alpha-beta"));
        }
        if (t->shape == SW_SHAPE_PLATFORM || t->shape == SW_SHAPE_ALLTOALL ||
            t->shape == SW_SHAPE_STENCIL) {
            json_t *parts = json_array();
            for (size_t q = 0; q < t->nparts; q++)
                json_array_append_new(parts, json_pack("{s:s, s:f, s:f}", "kind",
                                                       part_names[t->part[q].kind], "at",
                                                       t->part[q].at, "w", t->part[q].w));
            json_object_set_new(o, "parts", parts);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *selection_json(const sw_fitmodel *m)
{
    json_t *h = json_array();
    for (size_t k = 0; k < m->nhyp; k++) {
        const sw_fit_hyp *y = &m->hyp[k];
        json_t *o = json_pack("{s:s, s:I}", "terms", y->name, "nterms", (json_int_t)y->nterms);
        json_object_set_new(o, "ic", num(y->aicc));
        json_object_set_new(o, "delta", num(y->delta));
        json_object_set_new(o, "weight", num(y->weight));
        json_object_set_new(o, "lfo_log_rms", num(y->loo));
        json_object_set_new(o, "rss_rel", num(y->rss));
        json_object_set_new(o, "equivalent", json_boolean(y->equivalent));
        json_object_set_new(o, "boot_share", num(y->boot_share));
        json_array_append_new(h, o);
    }
    json_t *sh = json_array();
    for (size_t k = 0; k < m->nshapes; k++)
        json_array_append_new(sh, json_pack("{s:s, s:f}", "shape", m->shapes[k].name, "weight",
                                            m->shapes[k].weight));
    json_t *o = json_pack("{s:s, s:I, s:b, s:o, s:o}", "criterion", sw_fitmodel_criterion(m),
                          "tried", (json_int_t)m->ntried, "ambiguous", m->ambiguous,
                          "hypotheses", h, "shapes", sh);
    json_object_set_new(o, "platform", str_or_null(m->platform));
    return o;
}

static json_t *data_json(const sw_fitmodel *m)
{
    json_t *d = json_object();
    for (size_t k = 0; k < 7; k++)
        json_object_set_new(d, sw_fit_src_keys[k], str_or_null(m->src[k]));
    /* "" is a model whose data never crossed a network: kept as "" */
    json_object_set_new(d, "network", str_or_null(m->src[8]));
    json_object_set_new(d, "points", json_integer((json_int_t)m->npoints));
    json_object_set_new(d, "n_min", num(m->n_min));
    json_object_set_new(d, "n_max", num(m->n_max));
    json_object_set_new(d, "n_ref", num(m->n_ref));
    json_t *g = json_array();
    for (size_t k = 0; k < m->ngroups; k++)
        if (!m->groups[k].anchor) {
            json_t *o = json_pack("{s:f, s:I, s:f}", "n", m->groups[k].n, "count",
                                  (json_int_t)m->groups[k].count, "mean", m->groups[k].mean);
            if (m->batched)
                json_object_set_new(o, "batch", num(m->groups[k].batch));
            json_array_append_new(g, o);
        }
    json_object_set_new(d, "by_n", g);
    return d;
}

static json_t *model_json(const sw_fitmodel *m)
{
    char formula[512];
    sw_fitmodel_formula(m, formula, sizeof formula);
    json_t *root = json_pack("{s:s, s:i, s:s, s:s}", "format", SW_FITMODEL_FORMAT, "version",
                             SW_FITMODEL_VERSION, "form",
                             m->form == SW_FIT_WEAK ? "weak" : "strong", "formula", formula);
    if (!root)
        return NULL;
    json_object_set_new(root, "terms", terms_json(m));
    json_object_set_new(root, "coefficients", vec(m->coef, m->nterms));
    json_object_set_new(root, "level", num(m->level));
    json_object_set_new(root, "noise_rel", num(m->noise));
    json_object_set_new(root, "rate", json_pack("{s:o, s:o}", "work", num(m->work), "unit",
                                                sw_json_str(m->rate_unit ? m->rate_unit
                                                                         : "runs/s")));
    json_t *samples = json_array();
    for (size_t b = 0; b < m->nboot; b++)
        json_array_append_new(samples, vec(m->boot + b * m->nterms, m->nterms));
    json_t *cov = json_array();
    for (size_t a = 0; a < m->nterms; a++)
        json_array_append_new(cov, vec(m->cov + a * m->nterms, m->nterms));
    json_t *bs = json_pack("{s:o, s:I, s:I, s:o, s:o}", "method", str_or_null(m->src[7]),
                           "samples", (json_int_t)m->nboot, "seed", (json_int_t)m->seed,
                           "coefficients", samples, "covariance", cov);
    if (m->drift)
        json_object_set_new(bs, "drift", vec(m->drift, m->nboot));
    if (m->bnoise)
        json_object_set_new(bs, "b_noise", vec(m->bnoise, m->nboot));
    json_object_set_new(root, "bootstrap", bs);
    json_object_set_new(root, "calibration",
                        json_pack("{s:o, s:o, s:s}", "max_ratio", num(m->calib_ratio),
                                  "drift_growth", num(m->drift_growth), "source",
                                  sw_fitmodel_calibration(m)));
    if (m->batched)
        json_object_set_new(root, "batch",
                            json_pack("{s:s, s:o, s:o}", "model",
                                      "T = (1 + B_noise/B)/(1 + B_noise/B0) [t_s + t_p (B/B0)/N + "
                                      "...]",
                                      "b0", num(m->b0), "b_noise", num(m->bn_central)));
    if (m->mw_tasks > 0) {
        json_t *lv = json_array();
        for (size_t k = 0; k < m->mw_nlv; k++)
            json_array_append_new(lv, json_pack("{s:f, s:f}", "at", m->mw_at[k], "alpha",
                                                m->mw_alpha[k]));
        json_object_set_new(root, "master",
                            json_pack("{s:s, s:f, s:o, s:f, s:f, s:f, s:f, s:f}", "model",
                                      "T(N) = max(curve, (tasks + N - 1) c(N)), c(N) = "
                                      "alpha(N) + u x, x = max(0, o - 2 alpha_data) (no levels: "
                                      "x = o, c = u x), x at most c_bound - alpha(n_bound) when "
                                      "c_bound > 0; c_data > 0: c_data + alpha(N) - alpha(n_sat)",
                                      "tasks", m->mw_tasks, "levels", lv, "alpha_data",
                                      m->mw_alpha_data, "c_data", m->mw_c_data, "n_sat",
                                      m->mw_n_sat, "c_bound", m->mw_c_bound, "n_bound",
                                      m->mw_n_bound));
    }
    json_object_set_new(root, "selection", selection_json(m));
    json_object_set_new(root, "data", data_json(m));
    json_t *w = json_array();
    for (size_t k = 0; k < m->nwarnings; k++)
        json_array_append_new(w, sw_json_str(m->warnings[k]));
    json_object_set_new(root, "warnings", w);
    return root;
}

sw_status sw_fitmodel_write(const sw_fitmodel *m, FILE *fp, sw_error *err)
{
    json_t *root = model_json(m);
    if (!root)
        return sw_error_set(err, SW_ENOMEM, "out of memory building the model document");
    int rc = json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc || fputc('\n', fp) == EOF)
        return sw_error_set(err, SW_EIO, "writing the model document failed");
    return SW_OK;
}

/* ---- reading ---- */

static int get_num(json_t *v, double *out)
{
    if (json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return 0;
}

static sw_status bad(const char *name, sw_error *err, const char *what)
{
    return sw_error_set(err, SW_EPARSE, "%s: %s", name, what);
}

static sw_status read_vec(const char *name, json_t *a, double *out, size_t n, int nonneg,
                          sw_error *err, const char *what)
{
    if (!json_is_array(a) || json_array_size(a) != n)
        return sw_error_set(err, SW_EPARSE, "%s: %s is not an array of %zu numbers", name, what, n);
    for (size_t k = 0; k < n; k++)
        if (get_num(json_array_get(a, k), &out[k]) || (nonneg && !(out[k] >= 0)))
            return sw_error_set(err, SW_EPARSE, "%s: %s[%zu] is not a %snumber", name, what, k,
                                nonneg ? "non-negative " : "");
    return SW_OK;
}

static int lookup(const char *s, const char *const *names, int n)
{
    for (int q = 0; q < n; q++)
        if (strcmp(s, names[q]) == 0)
            return q;
    return -1;
}

static sw_status read_parts(const char *name, size_t k, json_t *parts, sw_term *d, sw_error *err)
{
    if (!json_is_array(parts) || json_array_size(parts) == 0 ||
        json_array_size(parts) > SW_TERM_MAXPARTS)
        return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: a platform term needs 1 to %d parts",
                            name, k, SW_TERM_MAXPARTS);
    d->nparts = json_array_size(parts);
    for (size_t q = 0; q < d->nparts; q++) {
        const char *kind = NULL;
        double at = NAN, w = NAN;
        int kd;
        if (json_unpack(json_array_get(parts, q), "{s:s, s:F, s:F}", "kind", &kind, "at", &at,
                        "w", &w) ||
            (kd = lookup(kind, part_names, NPARTS)) < 0 || !(at >= 1) || !isfinite(at) ||
            !isfinite(w))
            return sw_error_set(err, SW_EPARSE,
                                "%s: terms[%zu].parts[%zu] needs kind (log, frac, lin, vol, halo, "
                                "alpha, beta, step), "
                                "at >= 1 and a finite w",
                                name, k, q);
        d->part[q] = (sw_term_part){(sw_part_kind)kd, at, w};
    }
    return SW_OK;
}

static sw_status read_terms(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *terms = json_object_get(root, "terms");
    if (!json_is_array(terms) || json_array_size(terms) == 0)
        return bad(name, err, "'terms' is missing or empty");
    if (json_array_size(terms) > SW_FIT_MAXTERMS)
        return sw_error_set(err, SW_EUNSUP, "%s: %zu terms; this scalewall handles up to %d",
                            name, json_array_size(terms), SW_FIT_MAXTERMS);
    m->nterms = json_array_size(terms);
    for (size_t k = 0; k < m->nterms; k++) {
        json_t *t = json_array_get(terms, k);
        const char *role = NULL, *shape = NULL, *label = NULL;
        double i = 0;
        int j = 0;
        if (json_unpack(t, "{s:s, s:s, s?F, s?i, s?s}", "role", &role, "shape", &shape, "i", &i,
                        "j", &j, "name", &label))
            return sw_error_set(err, SW_EPARSE, "%s: terms[%zu] needs role and shape", name, k);
        int r = lookup(role, role_names, NROLES), sh = lookup(shape, shape_names, NSHAPES);
        if (r < 0)
            return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: unknown role '%s'", name, k,
                                role);
        if (sh < 0)
            return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: unknown shape '%s'", name, k,
                                shape);
        sw_term *d = &m->terms[k];
        memset(d, 0, sizeof *d);
        d->role = (sw_term_role)r;
        d->shape = (sw_term_shape)sh;
        if (!isfinite(i) || i < -1 || i > 4 || j < 0 || j > 4)
            return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: exponents out of range", name,
                                k);
        if (d->shape == SW_SHAPE_STRAGGLER_LOGN && !(i > 0))
            return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: a log-normal straggler needs "
                                "its log-sd i > 0", name, k);
        d->i = i;
        d->j = j;
        if (d->shape == SW_SHAPE_TASKS || d->shape == SW_SHAPE_TASK_TRIPS) {
            double tasks = NAN;
            if (json_unpack(t, "{s:F}", "tasks", &tasks) || !(tasks >= 1 && tasks <= 1e15) ||
                tasks != floor(tasks))
                return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: a master-worker term "
                                    "needs its tasks, a whole number >= 1", name, k);
            d->i = tasks;
        }
        if (d->shape == SW_SHAPE_BLOCKS3) {
            double g = NAN;
            if (json_unpack(t, "{s:F}", "grid", &g) || !(g >= 1) || !(g <= 1e9))
                return sw_error_set(err, SW_EPARSE,
                                    "%s: terms[%zu]: a blocks3d term needs a grid in [1, 1e9]",
                                    name, k);
            d->i = g;
        }
        if (d->shape == SW_SHAPE_SLOWEST) {
            const char *fam = NULL;
            double sg = 0, share = NAN;
            if (json_unpack(t, "{s:s, s?F, s:F}", "family", &fam, "sigma", &sg, "share", &share) ||
                !(share >= 0 && share <= 1e6))
                return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: a slowest term needs its "
                                    "family and a share in [0, 1e6]", name, k);
            if (strcmp(fam, "exponential") == 0)
                d->j = SW_JITTER_EXPONENTIAL, d->i = 0;
            else if (strcmp(fam, "lognormal") == 0 && sg > 0 && sg <= 4)
                d->j = SW_JITTER_LOGNORMAL, d->i = sg;
            else if (strcmp(fam, "none") == 0)
                d->j = SW_JITTER_NONE, d->i = 0;
            else
                return sw_error_set(err, SW_EPARSE, "%s: terms[%zu]: a slowest term's family is "
                                    "exponential, lognormal (with sigma in (0, 4]) or none",
                                    name, k);
            d->k = share;
        }
        if (d->shape == SW_SHAPE_PLATFORM || d->shape == SW_SHAPE_ALLTOALL ||
            d->shape == SW_SHAPE_STENCIL) {
            sw_status st = read_parts(name, k, json_object_get(t, "parts"), d, err);
            if (st)
                return st;
            snprintf(d->label, sizeof d->label, "%s", label ? label : shape);
        }
        if (d->shape == SW_SHAPE_ALLTOALL) {
            double vol = NAN;
            const char *sel = NULL, *net = "alpha-beta";
            if (json_unpack(t, "{s:F, s:s, s?s}", "volume", &vol, "selector", &sel, "network",
                            &net) ||
                !(vol > 0) || !isfinite(vol) || (d->j = sw_alltoall_selector(sel)) < 0 ||
                !sel[0] || (strcmp(net, "alpha-beta") != 0 && strcmp(net, "smpi-default") != 0))
                return sw_error_set(err, SW_EPARSE,
                                    "%s: terms[%zu]: an alltoall term needs volume > 0, a "
                                    "selector (ompi, mpich, pair, ring, bruck, linear) and a "
                                    "network alpha-beta or smpi-default",
                                    name, k);
            d->i = vol;
            if (strcmp(net, "smpi-default") == 0)
                d->j |= SW_A2A_SMPI;
        }
        if (d->shape == SW_SHAPE_STENCIL) {
            double vol = NAN;
            const char *ar = NULL, *net = "alpha-beta";
            int node = 0, grid = 0;
            int ok = !json_unpack(t, "{s:F, s:s, s:b, s?i, s?s}", "volume", &vol, "allreduce",
                                  &ar, "node_level", &node, "grid", &grid, "network", &net) &&
                     vol > 0 && isfinite(vol) && grid >= 0 && grid <= 1 << 20 &&
                     (strcmp(ar, "rdb") == 0 || strcmp(ar, "rab_rdb") == 0) &&
                     (strcmp(net, "alpha-beta") == 0 || strcmp(net, "smpi-default") == 0);
            for (size_t q = 0; ok && q < d->nparts; q++) /* alpha, beta of each level */
                ok = d->nparts % 2 == 0 && d->part[q].w >= 0 &&
                     d->part[q].kind == (q % 2 ? SW_PART_BETA : SW_PART_ALPHA);
            if (!ok)
                return sw_error_set(err, SW_EPARSE,
                                    "%s: terms[%zu]: a stencil term needs volume > 0, allreduce "
                                    "rdb or rab_rdb, node_level, a grid in [0, 2^20], a network alpha-beta or "
                                    "smpi-default and parts alternating alpha, beta (w >= 0)",
                                    name, k);
            d->i = vol;
            d->j = (strcmp(ar, "rab_rdb") == 0 ? SW_STENCIL_RAB : 0) |
                   (node ? SW_STENCIL_NODE : 0) |
                   (strcmp(net, "smpi-default") == 0 ? SW_A2A_SMPI : 0);
            d->j += SW_STENCIL_GRID * grid;
        }
    }
    return SW_OK;
}

static sw_status read_boot(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *bs = json_object_get(root, "bootstrap");
    if (!json_is_object(bs))
        return bad(name, err, "'bootstrap' is missing");
    const char *method = NULL;
    json_t *mv = json_object_get(bs, "method");
    if (json_is_string(mv))
        method = json_string_value(mv);
    sw_status st = sw_fitmodel_set_src(m, "bootstrap", method, err);
    if (st)
        return st;
    json_t *seed = json_object_get(bs, "seed");
    m->seed = json_is_integer(seed) ? (unsigned long)json_integer_value(seed) : 0;
    json_t *samples = json_object_get(bs, "coefficients");
    if (!json_is_array(samples))
        return bad(name, err, "'bootstrap.coefficients' is not an array");
    m->nboot = json_array_size(samples);
    if (m->nboot) {
        m->boot = malloc(m->nboot * m->nterms * sizeof *m->boot);
        if (!m->boot)
            return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    for (size_t b = 0; b < m->nboot; b++)
        if ((st = read_vec(name, json_array_get(samples, b), m->boot + b * m->nterms, m->nterms,
                           1, err, "a bootstrap sample")))
            return st;
    json_t *bnz = json_object_get(bs, "b_noise");
    if (bnz && m->nboot) {
        if (!(m->bnoise = malloc(m->nboot * sizeof *m->bnoise)))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        if ((st = read_vec(name, bnz, m->bnoise, m->nboot, 1, err, "'bootstrap.b_noise'")))
            return st;
    }
    json_t *drift = json_object_get(bs, "drift");
    if (drift && m->nboot) {
        if (!(m->drift = malloc(m->nboot * sizeof *m->drift)))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        if ((st = read_vec(name, drift, m->drift, m->nboot, 0, err, "'bootstrap.drift'")))
            return st;
    }
    json_t *cov = json_object_get(bs, "covariance");
    if (json_is_array(cov) && json_array_size(cov) == m->nterms)
        for (size_t a = 0; a < m->nterms; a++)
            if ((st = read_vec(name, json_array_get(cov, a), m->cov + a * m->nterms, m->nterms,
                               0, err, "a covariance row")))
                return st;
    return SW_OK;
}

static sw_status read_selection(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *sel = json_object_get(root, "selection");
    if (!json_is_object(sel))
        return SW_OK; /* optional: a hand-written model has no selection */
    json_t *v = json_object_get(sel, "tried");
    m->ntried = json_is_integer(v) ? (size_t)json_integer_value(v) : 0;
    m->ambiguous = json_is_true(json_object_get(sel, "ambiguous"));
    json_t *h = json_object_get(sel, "hypotheses");
    if (!json_is_array(h))
        return SW_OK;
    size_t n = json_array_size(h);
    m->hyp = calloc(n ? n : 1, sizeof *m->hyp);
    if (!m->hyp)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        json_t *o = json_array_get(h, k);
        sw_fit_hyp *y = &m->hyp[k];
        const char *terms = json_string_value(json_object_get(o, "terms"));
        if (!terms)
            return sw_error_set(err, SW_EPARSE, "%s: selection.hypotheses[%zu] has no terms",
                                name, k);
        snprintf(y->name, sizeof y->name, "%s", terms);
        json_t *nt = json_object_get(o, "nterms");
        y->nterms = json_is_integer(nt) ? (size_t)json_integer_value(nt) : 0;
        /* version 1 files name them after AICc and leave-one-out */
        int v1 = json_object_get(o, "aicc") != NULL;
        if (get_num(json_object_get(o, v1 ? "aicc" : "ic"), &y->aicc) ||
            get_num(json_object_get(o, v1 ? "delta_aicc" : "delta"), &y->delta) ||
            get_num(json_object_get(o, "weight"), &y->weight) ||
            get_num(json_object_get(o, v1 ? "loo_rel_rms" : "lfo_log_rms"), &y->loo) ||
            get_num(json_object_get(o, "rss_rel"), &y->rss))
            return sw_error_set(err, SW_EPARSE, "%s: selection.hypotheses[%zu]: bad number",
                                name, k);
        y->equivalent = json_is_true(json_object_get(o, "equivalent"));
        /* optional: models written before it was saved say "unknown" */
        json_t *bs = json_object_get(o, "boot_share");
        y->boot_share = NAN;
        if (bs && get_num(bs, &y->boot_share))
            return sw_error_set(err, SW_EPARSE, "%s: selection.hypotheses[%zu]: bad boot_share",
                                name, k);
    }
    m->nhyp = n;
    json_t *c = json_object_get(sel, "criterion");
    if (json_is_string(c) && !(m->criterion = strdup(json_string_value(c))))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    json_t *pf = json_object_get(sel, "platform");
    if (json_is_string(pf) && !(m->platform = strdup(json_string_value(pf))))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    json_t *sh = json_object_get(sel, "shapes");
    size_t ns = json_is_array(sh) ? json_array_size(sh) : 0;
    if (ns && !(m->shapes = calloc(ns, sizeof *m->shapes)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t k = 0; k < ns; k++) {
        const char *nm = NULL;
        double w = NAN;
        if (json_unpack(json_array_get(sh, k), "{s:s, s:F}", "shape", &nm, "weight", &w))
            return sw_error_set(err, SW_EPARSE, "%s: selection.shapes[%zu] needs shape and weight",
                                name, k);
        snprintf(m->shapes[k].name, sizeof m->shapes[k].name, "%s", nm);
        m->shapes[k].weight = w;
    }
    m->nshapes = ns;
    return SW_OK;
}

static sw_status read_data(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *d = json_object_get(root, "data");
    if (!json_is_object(d))
        return SW_OK;
    sw_status st;
    for (size_t k = 0; k < SW_FIT_NSRC; k++) {
        if (k == 7) /* bootstrap: read with the samples */
            continue;
        json_t *v = json_object_get(d, sw_fit_src_keys[k]);
        if (json_is_string(v) && (st = sw_fitmodel_set_src(m, sw_fit_src_keys[k],
                                                           json_string_value(v), err)))
            return st;
    }
    json_t *p = json_object_get(d, "points");
    m->npoints = json_is_integer(p) ? (size_t)json_integer_value(p) : 0;
    if (get_num(json_object_get(d, "n_min"), &m->n_min) ||
        get_num(json_object_get(d, "n_max"), &m->n_max))
        return bad(name, err, "data.n_min/n_max are not numbers");
    /* version 1: speedups were relative to N = 1 */
    json_t *nr = json_object_get(d, "n_ref");
    double ref = 1;
    if (nr && (get_num(nr, &ref) || !(ref >= 1) || !isfinite(ref)))
        return bad(name, err, "data.n_ref is not a unit count >= 1");
    m->n_ref = ref;
    json_t *g = json_object_get(d, "by_n");
    if (json_is_array(g) && json_array_size(g)) {
        m->ngroups = json_array_size(g);
        m->groups = calloc(m->ngroups, sizeof *m->groups);
        if (!m->groups)
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        for (size_t k = 0; k < m->ngroups; k++) {
            json_int_t c = 0;
            double batch = 0;
            if (json_unpack(json_array_get(g, k), "{s:F, s:I, s:F, s?F}", "n", &m->groups[k].n,
                            "count", &c, "mean", &m->groups[k].mean, "batch", &batch) ||
                c < 0)
                return sw_error_set(err, SW_EPARSE, "%s: data.by_n[%zu] needs n, count, mean",
                                    name, k);
            m->groups[k].count = (size_t)c;
            m->groups[k].batch = batch;
        }
    }
    json_t *w = json_object_get(root, "warnings");
    for (size_t k = 0; json_is_array(w) && k < json_array_size(w); k++) {
        const char *s = json_string_value(json_array_get(w, k));
        if (s && (st = sw_fitmodel_add_warning(m, err, "%s", s)))
            return st;
    }
    return SW_OK;
}

/* Version 1 files predate the calibration record, and a hand-written model
 * may leave it out: their intervals are tested inside the measured range
 * only, which is what they get. */
static sw_status read_calibration(const char *name, json_t *root, json_int_t version,
                                  sw_fitmodel *m, sw_error *err)
{
    json_t *c = json_object_get(root, "calibration");
    const char *src = version < 2 ? "none: a version 1 model file, intervals tested inside "
                                    "the measured range only"
                                  : "none: the model file has no calibration record";
    m->calib_ratio = 1;
    m->drift_growth = 1;
    if (c) {
        double r = NAN;
        if (!json_is_object(c) || get_num(json_object_get(c, "max_ratio"), &r) || !(r >= 1) ||
            !isfinite(r) || !json_is_string(json_object_get(c, "source")))
            return bad(name, err, "'calibration' needs max_ratio >= 1 and a source");
        m->calib_ratio = r;
        src = json_string_value(json_object_get(c, "source"));
        json_t *g = json_object_get(c, "drift_growth"); /* absent before: linear */
        double gv = 1;
        if (g && (get_num(g, &gv) || !(gv >= 0.25 && gv <= 4)))
            return bad(name, err, "'calibration.drift_growth' must be a number in [0.25, 4]");
        m->drift_growth = gv;
    }
    if (!(m->calib_source = strdup(src)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    return SW_OK;
}

/* A batch model needs its reference batch, its noise scale and the batch of
 * every measured N (the batch a prediction uses by default). */
static sw_status read_batch(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *b = json_object_get(root, "batch");
    if (!b)
        return SW_OK;
    double b0 = NAN, bn = NAN;
    if (!json_is_object(b) || get_num(json_object_get(b, "b0"), &b0) ||
        get_num(json_object_get(b, "b_noise"), &bn) || !(b0 > 0) || !(bn >= 0))
        return bad(name, err, "'batch' needs b0 > 0 and b_noise >= 0");
    for (size_t k = 0; k < m->ngroups; k++)
        if (!(m->groups[k].batch > 0))
            return bad(name, err, "a batch model needs data.by_n[].batch at every N");
    if (m->nboot && !m->bnoise)
        return bad(name, err, "a batch model needs bootstrap.b_noise");
    m->batched = 1;
    m->b0 = b0;
    m->bn_central = bn;
    return SW_OK;
}

/* An optional master cost per request and the N it was read at (both 0
 * when absent): -1 unless the cost is >= 0 and, when > 0, read at N >= 2. */
static int cost_at(json_t *o, const char *ck, const char *nk, double *c, double *n)
{
    json_t *jc = json_object_get(o, ck), *jn = json_object_get(o, nk);
    *c = *n = 0;
    if ((jc && (get_num(jc, c) || !(*c >= 0) || !isfinite(*c))) ||
        (jn && (get_num(jn, n) || !(*n >= 0) || !isfinite(*n))) || (*c > 0 && !(*n >= 2)))
        return -1;
    return 0;
}

/* A master-worker model: its tasks, the latency levels from rank 0 and
 * the latency its fitted trips hold (fit_master.c). */
static sw_status read_master(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    json_t *o = json_object_get(root, "master");
    if (!o)
        return SW_OK;
    double tasks = NAN, ad = NAN;
    json_t *lv = json_object_get(o, "levels");
    if (!json_is_object(o) || get_num(json_object_get(o, "tasks"), &tasks) ||
        get_num(json_object_get(o, "alpha_data"), &ad) || !(tasks >= 1 && tasks <= 1e15) ||
        tasks != floor(tasks) || !(ad >= 0) || !isfinite(ad) || !json_is_array(lv) ||
        json_array_size(lv) > 3)
        return bad(name, err, "'master' needs tasks (a whole number >= 1), alpha_data >= 0 "
                   "and up to 3 levels");
    m->mw_nlv = json_array_size(lv);
    for (size_t k = 0; k < m->mw_nlv; k++) {
        double at = NAN, a = NAN;
        if (json_unpack(json_array_get(lv, k), "{s:F, s:F}", "at", &at, "alpha", &a) ||
            !(at >= 1) || !isfinite(at) || !(a >= 0) || !isfinite(a) ||
            (k && !(at > m->mw_at[k - 1])))
            return bad(name, err, "'master.levels' need at >= 1 (increasing) and alpha >= 0");
        m->mw_at[k] = at;
        m->mw_alpha[k] = a;
    }
    /* c_bound and n_bound are absent before session 9: no bound */
    double cd, ns, cb, nb;
    if (cost_at(o, "c_data", "n_sat", &cd, &ns))
        return bad(name, err, "'master.c_data' needs c_data >= 0 and, when > 0, n_sat >= 2");
    if (cost_at(o, "c_bound", "n_bound", &cb, &nb))
        return bad(name, err, "'master.c_bound' needs c_bound >= 0 and, when > 0, n_bound >= 2");
    m->mw_tasks = tasks;
    m->mw_alpha_data = ad;
    m->mw_c_data = cd;
    m->mw_n_sat = ns;
    m->mw_c_bound = cb;
    m->mw_n_bound = nb;
    return SW_OK;
}

static sw_status read_root(const char *name, json_t *root, sw_fitmodel *m, sw_error *err)
{
    const char *fmt = json_string_value(json_object_get(root, "format"));
    if (!fmt || strcmp(fmt, SW_FITMODEL_FORMAT) != 0)
        return sw_error_set(err, SW_EPARSE, "%s: not a scalewall model (format is not '%s')",
                            name, SW_FITMODEL_FORMAT);
    json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) < 1)
        return bad(name, err, "'version' is not a positive integer");
    if (json_integer_value(ver) > SW_FITMODEL_VERSION)
        return sw_error_set(err, SW_EUNSUP,
                            "%s: unsupported model version %lld: newer than this scalewall "
                            "supports (%d)",
                            name, (long long)json_integer_value(ver), SW_FITMODEL_VERSION);
    const char *form = json_string_value(json_object_get(root, "form"));
    if (!form || (strcmp(form, "strong") && strcmp(form, "weak")))
        return bad(name, err, "'form' is not \"strong\" or \"weak\"");
    m->form = strcmp(form, "weak") == 0 ? SW_FIT_WEAK : SW_FIT_STRONG;
    sw_status st = read_terms(name, root, m, err);
    if (st || (st = read_vec(name, json_object_get(root, "coefficients"), m->coef, m->nterms, 1,
                             err, "'coefficients'")))
        return st;
    if (!(sw_fitmodel_time(m, 1, NULL) > 0))
        return bad(name, err, "the model's T(1) is not positive");
    double level = 0.9, noise = NAN;
    if (get_num(json_object_get(root, "level"), &level) || !(level > 0 && level < 1))
        return bad(name, err, "'level' is not in (0, 1)");
    m->level = level;
    get_num(json_object_get(root, "noise_rel"), &noise);
    m->noise = noise;
    json_t *rate = json_object_get(root, "rate");
    double work = 1;
    const char *unit = "runs/s";
    if (json_is_object(rate)) {
        get_num(json_object_get(rate, "work"), &work);
        if (json_is_string(json_object_get(rate, "unit")))
            unit = json_string_value(json_object_get(rate, "unit"));
    }
    m->work = isfinite(work) && work > 0 ? work : 1;
    if (!(m->rate_unit = strdup(unit)))
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    if ((st = read_boot(name, root, m, err)) || (st = read_selection(name, root, m, err)) ||
        (st = read_calibration(name, root, json_integer_value(ver), m, err)) ||
        (st = read_data(name, root, m, err)))
        return st;
    if ((st = read_batch(name, root, m, err)))
        return st;
    return read_master(name, root, m, err);
}

sw_status sw_fitmodel_read_buffer(const char *name, const char *buf, size_t len,
                                  sw_fitmodel **out, sw_error *err)
{
    *out = NULL;
    json_error_t je;
    sw_status wrong = sw_json_expect(name, buf, len, SW_FITMODEL_FORMAT,
                                     "a fitted model (scalewall-fit-model, from 'scalewall fit -o')",
                                     err);
    if (wrong)
        return wrong;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return sw_error_set(err, SW_EPARSE, "%s:%d: %s", name, je.line, je.text);
    sw_fitmodel *m = sw_fitmodel_alloc();
    sw_status st = m ? read_root(name, root, m, err)
                     : sw_error_set(err, SW_ENOMEM, "out of memory");
    json_decref(root);
    if (st) {
        sw_fitmodel_free(m);
        return st;
    }
    *out = m;
    return SW_OK;
}

sw_status sw_fitmodel_read_file(const char *path, sw_fitmodel **out, sw_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = sw_fitmodel_read_buffer(path, buf, len, out, err);
    free(buf);
    return st;
}
