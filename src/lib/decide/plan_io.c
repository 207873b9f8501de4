/* plan_io.c — the plan as JSON (written and read back, for the report) and
 * as a CSV table.  Non-finite numbers: NaN is null, +inf is the string "inf"
 * (an unbounded wall must survive the round trip). */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/plan.h"
#include "scalewall/text.h"

/* sw_work_kind's names in the file, by value. */
static const char *const work_kinds[] = {"steps", "job_time", "train"};

static json_t *jnum(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

static json_t *jiv(const sw_plan_iv *v)
{
    return json_pack("{s:o,s:o,s:o}", "median", jnum(v->median), "lo", jnum(v->lo), "hi",
                     jnum(v->hi));
}

/* A price option's numbers by key: one list for the writer and the reader,
 * so neither can carry a field the other forgets. */
static const struct {
    const char *key;
    size_t off;
} option_nums[] = {
    {"units_per_node", offsetof(sw_price_option, units_per_node)},
    {"speed", offsetof(sw_price_option, speed)},
    {"price_per_hour", offsetof(sw_price_option, price_per_hour)},
    {"purchase_price", offsetof(sw_price_option, purchase_price)},
    {"amortisation_years", offsetof(sw_price_option, amortisation_years)},
    {"power_w", offsetof(sw_price_option, power_w)},
    {"energy_price", offsetof(sw_price_option, energy_price)},
    {"overhead", offsetof(sw_price_option, overhead)},
};
#define NOPTION_NUMS (sizeof option_nums / sizeof *option_nums)

static double *option_num(sw_price_option *o, size_t k)
{
    return (double *)((char *)o + option_nums[k].off);
}

static double option_get(const sw_price_option *o, size_t k)
{
    return *(const double *)((const char *)o + option_nums[k].off);
}

static json_t *option_json(const sw_price_option *o)
{
    /* Names and notes come from the user's price table: sw_json_str keeps
     * them (bytes that are not UTF-8 become U+FFFD) instead of failing.
     * node_hour is derived, written for readers of the file, never read. */
    json_t *j = json_pack("{s:o,s:o,s:o}", "name", sw_json_str(o->name), "node_hour",
                          jnum(sw_price_node_hour(o)), "note", sw_json_str(o->note));
    for (size_t k = 0; j && k < NOPTION_NUMS; k++)
        if (json_object_set_new(j, option_nums[k].key,
                                jnum(option_get(o, k))) != 0) {
            json_decref(j);
            return NULL;
        }
    return j;
}

static json_t *trust_json(const sw_trust *t)
{
    return json_pack("{s:b,s:o,s:o,s:b,s:b,s:b,s:s}", "within", t->within, "ratio",
                     jnum(t->ratio), "spread", jnum(t->spread), "calibrated", t->calibrated,
                     "network_ok", t->network_ok, "narrow", t->narrow, "reason", t->reason);
}

static json_t *row_json(const sw_plan *pl, const sw_plan_row *r)
{
    return json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "option",
                     sw_json_str(pl->prices.opt[r->option].name), "option_index", (json_int_t)r->option,
                     "nodes", jnum(r->nodes), "units", jnum(r->units), "time_s", jiv(&r->time_s),
                     "cost", jiv(&r->cost), "energy_kwh", jiv(&r->energy_kwh), "efficiency",
                     jiv(&r->efficiency), "speedup", jiv(&r->speedup), "trust",
                     trust_json(&r->trust));
}

static json_t *reach_json(const sw_reach *r)
{
    return json_pack("{s:o,s:o,s:o,s:s,s:s}", "n_min", jnum(r->n_min), "n_max", jnum(r->n_max),
                     "calibrated_ratio", jnum(r->calibrated_ratio), "calibration",
                     r->calibration, "network", r->network);
}

/* An answer carries how far it extrapolates: its row's N / N_max. */
static json_t *answer_json(const sw_plan *pl, const sw_plan_answer *a)
{
    double ratio = a->row < pl->nrows ? pl->rows[a->row].trust.ratio : NAN;
    json_t *j = json_pack("{s:b,s:b,s:I,s:b,s:o,s:o,s:o,s:o}", "found", a->found, "gated",
                          a->gated, "row", (json_int_t)a->row, "at_risk", a->at_risk, "value",
                          jnum(a->value), "cut", jiv(&a->cut), "ratio", jnum(ratio), "sentence",
                          sw_json_str(a->sentence));
    /* an answer that names no row (read from a plan without one) writes none */
    if (j && a->row >= pl->nrows)
        json_object_del(j, "row");
    return j;
}

/* An element that could not be built fails the whole document: a plan
 * with a row silently missing would not read back. */
static void append(json_t *a, json_t *v, int *bad)
{
    if (!v || json_array_append_new(a, v) != 0)
        *bad = 1;
}

static json_t *plan_json(const sw_plan *pl)
{
    json_t *opts = json_array(), *rows = json_array(), *nodes = json_array();
    json_t *knee = json_array(), *slow = json_array();
    int bad = !opts || !rows || !nodes || !knee || !slow;
    for (size_t i = 0; !bad && i < pl->prices.n; i++) {
        append(opts, option_json(&pl->prices.opt[i]), &bad);
        append(knee, answer_json(pl, &pl->knee[i]), &bad);
        append(slow, answer_json(pl, &pl->slowdown[i]), &bad);
    }
    for (size_t i = 0; !bad && i < pl->nrows; i++)
        append(rows, row_json(pl, &pl->rows[i]), &bad);
    for (size_t i = 0; !bad && i < pl->req.nnodes; i++)
        append(nodes, jnum(pl->req.nodes[i]), &bad);
    if (bad) {
        json_decref(opts);
        json_decref(rows);
        json_decref(nodes);
        json_decref(knee);
        json_decref(slow);
        return NULL;
    }
    json_t *answers = json_pack("{s:o,s:o,s:o,s:o}", "deadline",
                                isnan(pl->req.deadline_s) ? json_null()
                                                          : answer_json(pl, &pl->deadline),
                                "budget",
                                isnan(pl->req.budget) ? json_null() : answer_json(pl, &pl->budget),
                                "knee", knee, "slowdown", slow);
    const sw_work *w = &pl->req.work;
    json_t *work = json_pack("{s:s,s:o,s:o,s:b}", "kind", work_kinds[w->kind], "amount",
                             jnum(w->amount), "desc", sw_json_str(w->desc), "example", w->example);
    if (work && w->kind == SW_WORK_TRAIN) /* what the steps at each N came from */
        json_object_set_new(work, "train",
                            json_pack("{s:o,s:o,s:o,s:o}", "s_min", jnum(w->converge.s_min),
                                      "b_noise", jnum(w->converge.b_noise), "batch",
                                      jnum(w->batch), "batch_per_unit",
                                      jnum(w->batch_per_unit)));
    return json_pack("{s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "format", SW_PLAN_FORMAT, "version", SW_PLAN_VERSION, "model", sw_json_str(pl->what),
                     "work", work, "deadline_s", jnum(pl->req.deadline_s), "budget",
                     jnum(pl->req.budget), "knee_pct", jnum(pl->req.knee_pct), "currency",
                     sw_json_str(pl->prices.currency), "prices_source", sw_json_str(pl->prices.source), "options", opts,
                     "nodes", nodes, "rows", rows, "wall", jiv(&pl->wall), "n_opt_units",
                     jiv(&pl->n_opt_units), "reach", reach_json(&pl->reach), "answers", answers);
}

sw_status sw_plan_write_json(const sw_plan *pl, FILE *fp, sw_error *err)
{
    json_t *root = plan_json(pl);
    if (!root)
        return sw_error_set(err, SW_ENOMEM, "plan: out of memory building JSON");
    int rc = json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
    json_decref(root);
    fputc('\n', fp);
    if (rc || ferror(fp))
        return sw_error_set(err, SW_EIO, "plan: writing JSON failed");
    return SW_OK;
}

static void csv_num(FILE *fp, double v)
{
    fputc(',', fp);
    if (isfinite(v))
        fprintf(fp, "%.10g", v);
}

sw_status sw_plan_write_csv(const sw_plan *pl, FILE *fp, sw_error *err)
{
    fputs("option,nodes,units,time_s,time_s_lo,time_s_hi,cost,cost_lo,cost_hi,energy_kwh,"
          "efficiency,speedup,within,ratio,reason\n",
          fp);
    for (size_t i = 0; i < pl->nrows; i++) {
        const sw_plan_row *r = &pl->rows[i];
        sw_csv_write_field(fp, pl->prices.opt[r->option].name);
        double v[] = {r->nodes,      r->units,      r->time_s.median,     r->time_s.lo,
                      r->time_s.hi,  r->cost.median, r->cost.lo,         r->cost.hi,
                      r->energy_kwh.median, r->efficiency.median, r->speedup.median};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_num(fp, v[k]);
        fprintf(fp, ",%d", r->trust.within);
        csv_num(fp, r->trust.ratio);
        fputc(',', fp);
        sw_csv_write_field(fp, r->trust.reason);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return sw_error_set(err, SW_EIO, "plan: writing CSV failed");
    return SW_OK;
}

/* ---- reading back ---- */

static double rnum(json_t *v)
{
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v))
        return strcmp(json_string_value(v), "inf") == 0    ? INFINITY
               : strcmp(json_string_value(v), "-inf") == 0 ? -INFINITY
                                                           : NAN;
    return NAN;
}

static sw_plan_iv riv(json_t *v)
{
    return (sw_plan_iv){rnum(json_object_get(v, "median")), rnum(json_object_get(v, "lo")),
                        rnum(json_object_get(v, "hi"))};
}

static void copy_str(char *dst, size_t size, json_t *v)
{
    snprintf(dst, size, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* An answer's row must exist when the answer was found: a plan whose
 * answers point past its rows was not written by scalewall.  An answer
 * that was not found still names its closest row (the fastest option that
 * misses the deadline, the cheapest over budget): that row is kept, since
 * the report decides from its trust whether the answer's prices may be
 * shown (reading it as row 0 once withheld a valid answer in the tour). */
static sw_status read_answer(const char *path, const char *what, json_t *j, sw_plan_answer *a,
                             size_t nrows, sw_error *err)
{
    a->found = json_is_true(json_object_get(j, "found"));
    a->gated = json_is_true(json_object_get(j, "gated"));
    a->at_risk = json_is_true(json_object_get(j, "at_risk"));
    json_t *row = json_object_get(j, "row");
    json_int_t r = json_integer_value(row);
    /* a row that is given must be one of the rows; a found answer must give
     * one.  An unfound answer without a row (an older plan) names none:
     * nrows, which every reader bounds-checks. */
    if ((row || a->found) && (!json_is_integer(row) || r < 0 || (size_t)r >= nrows))
        return sw_error_set(err, SW_EPARSE, "%s: answers: %s: row %s is not one of the %zu rows",
                            path, what, json_is_integer(row) ? "index" : "(missing)", nrows);
    a->row = row ? (size_t)r : nrows;
    a->value = rnum(json_object_get(j, "value"));
    a->cut = riv(json_object_get(j, "cut"));
    copy_str(a->sentence, sizeof a->sentence, json_object_get(j, "sentence"));
    return SW_OK;
}

static sw_status read_options(const char *path, json_t *root, sw_plan *pl, sw_error *err)
{
    json_t *opts = json_object_get(root, "options");
    size_t n = json_array_size(opts);
    if (n == 0)
        return sw_error_set(err, SW_EPARSE, "%s: a plan without options", path);
    pl->prices.opt = calloc(n, sizeof *pl->prices.opt);
    pl->knee = calloc(n, sizeof *pl->knee);
    pl->slowdown = calloc(n, sizeof *pl->slowdown);
    if (!pl->prices.opt || !pl->knee || !pl->slowdown)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    pl->prices.n = n;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(opts, i);
        sw_price_option *p = &pl->prices.opt[i];
        copy_str(p->name, sizeof p->name, json_object_get(o, "name"));
        copy_str(p->note, sizeof p->note, json_object_get(o, "note"));
        for (size_t k = 0; k < NOPTION_NUMS; k++)
            *option_num(p, k) = rnum(json_object_get(o, option_nums[k].key));
    }
    return SW_OK;
}

/* A plan written before the gate has no "trust": its rows were never
 * judged, and are shown as not within (the report says why). */
static void read_trust(json_t *j, sw_plan_row *w)
{
    sw_trust *t = &w->trust;
    memset(t, 0, sizeof *t);
    t->units = w->units;
    t->nodes = w->nodes;
    if (!json_is_object(j)) {
        t->ratio = t->spread = NAN;
        snprintf(t->reason, sizeof t->reason,
                 "the plan was written by a scalewall without the trust gate: re-run plan");
        return;
    }
    t->within = json_is_true(json_object_get(j, "within"));
    t->ratio = rnum(json_object_get(j, "ratio"));
    t->spread = rnum(json_object_get(j, "spread"));
    t->calibrated = json_is_true(json_object_get(j, "calibrated"));
    t->network_ok = json_is_true(json_object_get(j, "network_ok"));
    t->narrow = json_is_true(json_object_get(j, "narrow"));
    copy_str(t->reason, sizeof t->reason, json_object_get(j, "reason"));
}

static sw_status read_rows(const char *path, json_t *root, sw_plan *pl, sw_error *err)
{
    json_t *rows = json_object_get(root, "rows"), *nodes = json_object_get(root, "nodes");
    size_t n = json_array_size(rows), nn = json_array_size(nodes);
    /* The figure and the tables walk rows option by option over the node
     * counts: the layout sw_plan_run makes is checked, not assumed. */
    if (!json_is_array(nodes) || nn == 0)
        return sw_error_set(err, SW_EPARSE, "%s: 'nodes' must list the candidate node counts",
                            path);
    if (!json_is_array(rows) || n != pl->prices.n * nn)
        return sw_error_set(err, SW_EPARSE,
                            "%s: 'rows' must hold one row per option and node count: %zu "
                            "option(s) x %zu node count(s) = %zu, found %zu",
                            path, pl->prices.n, nn, pl->prices.n * nn, n);
    pl->rows = calloc(n, sizeof *pl->rows);
    pl->node_list = calloc(nn, sizeof *pl->node_list);
    if (!pl->rows || !pl->node_list)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < nn; i++) {
        double v = rnum(json_array_get(nodes, i));
        if (!(v >= 1 && isfinite(v)) || (i > 0 && !(v > pl->node_list[i - 1])))
            return sw_error_set(err, SW_EPARSE,
                                "%s: nodes[%zu]: node counts must be finite, >= 1 and ascending",
                                path, i);
        pl->node_list[i] = v;
    }
    pl->req.nodes = pl->node_list;
    pl->req.nnodes = nn;
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(rows, i);
        sw_plan_row *w = &pl->rows[i];
        json_t *oi = json_object_get(r, "option_index");
        json_int_t o = json_integer_value(oi);
        if (!json_is_integer(oi) || o < 0 || (size_t)o != i / nn)
            return sw_error_set(err, SW_EPARSE,
                                "%s: rows[%zu]: option_index must be %zu (rows go option by "
                                "option)",
                                path, i, i / nn);
        w->option = (size_t)o;
        w->nodes = rnum(json_object_get(r, "nodes"));
        if (w->nodes != pl->node_list[i % nn])
            return sw_error_set(err, SW_EPARSE, "%s: rows[%zu]: nodes must be %g (nodes[%zu])",
                                path, i, pl->node_list[i % nn], i % nn);
        w->units = rnum(json_object_get(r, "units"));
        w->time_s = riv(json_object_get(r, "time_s"));
        w->cost = riv(json_object_get(r, "cost"));
        w->energy_kwh = riv(json_object_get(r, "energy_kwh"));
        w->efficiency = riv(json_object_get(r, "efficiency"));
        w->speedup = riv(json_object_get(r, "speedup"));
        read_trust(json_object_get(r, "trust"), w);
        if (!(w->nodes >= 1) || !(w->time_s.median > 0))
            return sw_error_set(err, SW_EPARSE, "%s: rows[%zu]: nodes or time missing", path, i);
    }
    pl->nrows = n;
    return SW_OK;
}

static sw_status read_answers(const char *path, json_t *root, sw_plan *pl, sw_error *err)
{
    json_t *ans = json_object_get(root, "answers");
    json_t *knee = json_object_get(ans, "knee"), *slow = json_object_get(ans, "slowdown");
    sw_status st = SW_OK;
    if (json_is_object(json_object_get(ans, "deadline")))
        st = read_answer(path, "deadline", json_object_get(ans, "deadline"), &pl->deadline,
                         pl->nrows, err);
    if (!st && json_is_object(json_object_get(ans, "budget")))
        st = read_answer(path, "budget", json_object_get(ans, "budget"), &pl->budget, pl->nrows,
                         err);
    for (size_t i = 0; !st && i < pl->prices.n; i++) {
        /* An option's knee and slowdown are rows of that option. */
        size_t lo = i * pl->req.nnodes;
        st = read_answer(path, "knee", json_array_get(knee, i), &pl->knee[i], pl->nrows, err);
        if (!st && pl->knee[i].found && (pl->knee[i].row < lo || pl->knee[i].row >= lo + pl->req.nnodes))
            st = sw_error_set(err, SW_EPARSE, "%s: answers: knee %zu is a row of another option",
                              path, i);
        if (!st)
            st = read_answer(path, "slowdown", json_array_get(slow, i), &pl->slowdown[i],
                             pl->nrows, err);
        if (!st && pl->slowdown[i].found &&
            (pl->slowdown[i].row < lo || pl->slowdown[i].row >= lo + pl->req.nnodes))
            st = sw_error_set(err, SW_EPARSE,
                              "%s: answers: slowdown %zu is a row of another option", path, i);
    }
    return st;
}

static sw_status read_root(const char *path, json_t *root, sw_plan *pl, sw_error *err)
{
    json_t *fmt = json_object_get(root, "format"), *ver = json_object_get(root, "version");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), SW_PLAN_FORMAT) != 0)
        return sw_error_set(err, SW_EPARSE, "%s: not a plan (format must be \"%s\")", path,
                            SW_PLAN_FORMAT);
    if (!json_is_integer(ver) || json_integer_value(ver) < 1)
        return sw_error_set(err, SW_EPARSE, "%s: version must be a positive integer", path);
    if (json_integer_value(ver) > SW_PLAN_VERSION)
        return sw_error_set(err, SW_EUNSUP,
                            "%s: plan version %lld is newer than this scalewall supports (%d)",
                            path, (long long)json_integer_value(ver), SW_PLAN_VERSION);
    sw_status st = read_options(path, root, pl, err);
    if (!st)
        st = read_rows(path, root, pl, err);
    if (st)
        return st;
    copy_str(pl->what, sizeof pl->what, json_object_get(root, "model"));
    copy_str(pl->prices.currency, sizeof pl->prices.currency, json_object_get(root, "currency"));
    copy_str(pl->prices.source, sizeof pl->prices.source,
             json_object_get(root, "prices_source"));
    json_t *work = json_object_get(root, "work");
    const char *kind = json_string_value(json_object_get(work, "kind"));
    pl->req.work.kind = SW_WORK_STEPS;
    for (int k = 0; kind && k < (int)(sizeof work_kinds / sizeof work_kinds[0]); k++)
        if (strcmp(kind, work_kinds[k]) == 0)
            pl->req.work.kind = (sw_work_kind)k;
    json_t *train = json_object_get(work, "train");
    if (json_is_object(train)) {
        pl->req.work.converge.s_min = rnum(json_object_get(train, "s_min"));
        pl->req.work.converge.b_noise = rnum(json_object_get(train, "b_noise"));
        pl->req.work.batch = rnum(json_object_get(train, "batch"));
        pl->req.work.batch_per_unit = rnum(json_object_get(train, "batch_per_unit"));
    }
    pl->req.work.amount = rnum(json_object_get(work, "amount"));
    copy_str(pl->req.work.desc, sizeof pl->req.work.desc, json_object_get(work, "desc"));
    pl->req.work.example = json_is_true(json_object_get(work, "example"));
    json_t *reach = json_object_get(root, "reach");
    pl->reach.n_min = rnum(json_object_get(reach, "n_min"));
    pl->reach.n_max = rnum(json_object_get(reach, "n_max"));
    pl->reach.calibrated_ratio = rnum(json_object_get(reach, "calibrated_ratio"));
    copy_str(pl->reach.calibration, sizeof pl->reach.calibration,
             json_object_get(reach, "calibration"));
    copy_str(pl->reach.network, sizeof pl->reach.network, json_object_get(reach, "network"));
    pl->req.deadline_s = rnum(json_object_get(root, "deadline_s"));
    pl->req.budget = rnum(json_object_get(root, "budget"));
    pl->req.knee_pct = rnum(json_object_get(root, "knee_pct"));
    pl->wall = riv(json_object_get(root, "wall"));
    pl->n_opt_units = riv(json_object_get(root, "n_opt_units"));
    return read_answers(path, root, pl, err);
}

sw_status sw_plan_read_buffer(const char *path, const char *buf, size_t len, sw_plan *pl,
                              sw_error *err)
{
    memset(pl, 0, sizeof *pl);
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r'))
        i++;
    if (i == len || buf[i] != '{')
        return sw_error_set(err, SW_EPARSE,
                            "%s: not a plan (expected the JSON that 'scalewall plan --out' "
                            "writes)",
                            path);
    json_error_t je;
    sw_status st = sw_json_expect(path, buf, len, SW_PLAN_FORMAT,
                                  "a plan (scalewall-plan, from 'scalewall plan --out')", err);
    if (st)
        return st;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return sw_error_set(err, SW_EPARSE, "%s:%d: %s", path, je.line, je.text);
    st = json_is_object(root)
                       ? read_root(path, root, pl, err)
                       : sw_error_set(err, SW_EPARSE, "%s: not a plan (not a JSON object)", path);
    json_decref(root);
    if (st)
        sw_plan_free(pl);
    return st;
}

sw_status sw_plan_read_file(const char *path, sw_plan *pl, sw_error *err)
{
    memset(pl, 0, sizeof *pl);
    char *buf;
    size_t len;
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = sw_plan_read_buffer(path, buf, len, pl, err);
    free(buf);
    return st;
}
