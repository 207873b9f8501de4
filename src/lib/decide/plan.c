/* plan.c — time, cost and energy per (option, N), and the four answers.
 *
 * The formulas are in plan.h and docs/plan.md.  The plan only ever sees a
 * predictor, so every answer here is tested against a closed form
 * (tests/unit/test_plan.c). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/fit.h"
#include "scalewall/plan.h"

/* Sentences may be cut at their buffer's end; that is acceptable, so the
 * formatting goes through vsnprintf rather than snprintf's truncation
 * warnings. */
__attribute__((format(printf, 3, 4))) static int say(char *buf, size_t size, const char *fmt,
                                                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- the closed-form predictor --------------------------------------- */

/* A unit k times faster at the payload: the what-if of fit.h, one meaning
 * everywhere (only t_p/N is divided by k). */
static double closed_t(const sw_closed_model *m, double n, double k)
{
    sw_whatif w;
    sw_whatif_none(&w);
    w.payload_speedup = k;
    return m->t_s * sw_whatif_factor(&w, SW_ROLE_SERIAL) +
           m->t_p / n * sw_whatif_factor(&w, SW_ROLE_PARALLEL) +
           (m->c_log * log2(n) + m->c_lin * n) * sw_whatif_factor(&w, SW_ROLE_COMM);
}

static sw_status closed_time(void *ctx, double units, double k, sw_plan_iv *t, sw_error *err)
{
    const sw_closed_model *m = ctx;
    if (!(units >= 1) || !(k > 0))
        return sw_error_set(err, SW_EDOM, "closed model: N = %g, k = %g out of range", units, k);
    t->median = closed_t(m, units, k);
    t->lo = m->rel > 0 ? t->median * (1 - m->rel) : NAN;
    t->hi = m->rel > 0 ? t->median * (1 + m->rel) : NAN;
    return SW_OK;
}

/* N* of T(N) = a + b/N + c log2 N + d N: dT/dN = -b/N^2 + c/(N ln2) + d = 0,
 * i.e. d N^2 + (c/ln2) N - b = 0. */
static sw_status closed_answers(void *ctx, double k, sw_plan_iv *wall, sw_plan_iv *nopt,
                                sw_error *err)
{
    (void)err;
    const sw_closed_model *m = ctx;
    double b = m->t_p / k, c = m->c_log / log(2), d = m->c_lin, n;
    if (d > 0)
        n = (-c + sqrt(c * c + 4 * d * b)) / (2 * d);
    else if (c > 0)
        n = b / c;
    else
        n = INFINITY;
    if (n < 1)
        n = 1;
    double t1 = closed_t(m, 1, k);
    double tmin = isfinite(n) ? closed_t(m, n, k) : m->t_s;
    *nopt = (sw_plan_iv){n, NAN, NAN};
    *wall = (sw_plan_iv){tmin > 0 ? t1 / tmin : INFINITY, NAN, NAN};
    return SW_OK;
}

void sw_predictor_closed(sw_predictor *p, sw_closed_model *m)
{
    memset(p, 0, sizeof *p);
    p->ctx = m;
    p->time = closed_time;
    p->answers = closed_answers;
    p->units_max = INFINITY;
    say(p->what, sizeof p->what, "T(N) = %g + %g/N + %g log2 N + %g N", m->t_s, m->t_p,
             m->c_log, m->c_lin);
    /* a closed form is exact at every N: the gate judges only its spread */
    p->reach.n_min = 1;
    p->reach.n_max = INFINITY;
    p->reach.calibrated_ratio = INFINITY;
    say(p->reach.calibration, sizeof p->reach.calibration, "a closed form");
    say(p->reach.network, sizeof p->reach.network, "a closed form");
}

/* ---- parsing work and durations -------------------------------------- */

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* "<number><blank><word>": the number and the word (lower-cased). */
static int split_amount(const char *text, double *v, char *word, size_t wsize)
{
    char *end;
    const char *s = skip_space(text);
    *v = strtod(s, &end);
    if (end == s || !isfinite(*v))
        return -1;
    s = skip_space(end);
    size_t n = 0;
    while (*s && !isspace((unsigned char)*s) && n + 1 < wsize)
        word[n++] = (char)tolower((unsigned char)*s++);
    word[n] = '\0';
    return *skip_space(s) ? -1 : 0;
}

sw_status sw_work_parse(const char *text, double steps_per_epoch, sw_work *w, sw_error *err)
{
    double v;
    char word[32];
    memset(w, 0, sizeof *w);
    if (split_amount(text, &v, word, sizeof word) || !(v > 0))
        return sw_error_set(err, SW_EINVAL, "work '%s': expected '<count> epochs' or "
                            "'<count> steps' with a positive count", text);
    w->kind = SW_WORK_STEPS;
    if (!word[0] || strcmp(word, "steps") == 0 || strcmp(word, "step") == 0 ||
        strcmp(word, "runs") == 0 || strcmp(word, "run") == 0) {
        w->amount = v;
        say(w->desc, sizeof w->desc, "%g %s", v, word[0] ? word : "steps");
        return SW_OK;
    }
    if (strcmp(word, "epochs") == 0 || strcmp(word, "epoch") == 0) {
        if (!(steps_per_epoch > 0))
            return sw_error_set(err, SW_EINVAL,
                                "work '%s': epochs need --steps-per-epoch (steps in one epoch)",
                                text);
        w->amount = v * steps_per_epoch;
        say(w->desc, sizeof w->desc, "%g epochs of %g steps", v, steps_per_epoch);
        return SW_OK;
    }
    return sw_error_set(err, SW_EINVAL, "work '%s': unknown unit '%s' (epochs, steps)", text,
                        word);
}

sw_status sw_duration_parse(const char *text, double *seconds, sw_error *err)
{
    static const struct {
        const char *name;
        double s;
    } units[] = {{"", 1},       {"s", 1},      {"sec", 1},      {"second", 1}, {"seconds", 1},
                 {"m", 60},     {"min", 60},   {"minute", 60},  {"minutes", 60},
                 {"h", 3600},   {"hour", 3600}, {"hours", 3600}, {"d", 86400},
                 {"day", 86400}, {"days", 86400}, {"w", 604800}, {"week", 604800},
                 {"weeks", 604800}};
    char buf[64], word[32];
    /* "36h": put a blank between number and unit so one splitter serves */
    size_t n = 0;
    const char *s = skip_space(text);
    while (*s && n + 2 < sizeof buf) {
        if (isalpha((unsigned char)*s) && n && (isdigit((unsigned char)buf[n - 1]) ||
                                                buf[n - 1] == '.'))
            buf[n++] = ' ';
        buf[n++] = *s++;
    }
    buf[n] = '\0';
    double v;
    if (split_amount(buf, &v, word, sizeof word) == 0 && v > 0)
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strcmp(word, units[i].name) == 0) {
                *seconds = v * units[i].s;
                return SW_OK;
            }
    return sw_error_set(err, SW_EINVAL,
                        "duration '%s': expected a positive number with s, min, h, days or weeks",
                        text);
}

/* ---- human formats --------------------------------------------------- */

void sw_fmt_duration(double s, char *buf, size_t size)
{
    if (!isfinite(s))
        say(buf, size, "?");
    else if (s < 1)
        say(buf, size, "%.3g s", s);
    else if (s < 120)
        say(buf, size, "%.3g s", s);
    else if (s < 7200)
        say(buf, size, "%.3g min", s / 60);
    else if (s < 3 * 86400)
        say(buf, size, "%.3g h", s / 3600);
    else
        say(buf, size, "%.3g days", s / 86400);
}

void sw_fmt_money(double v, const char *currency, char *buf, size_t size)
{
    if (!isfinite(v)) {
        say(buf, size, "?");
        return;
    }
    char digits[64];
    /* cents below 100, whole units with thousands separators above */
    if (fabs(v) < 100)
        say(digits, sizeof digits, "%.2f", fabs(v));
    else {
        char raw[48];
        say(raw, sizeof raw, "%.0f", fabs(v));
        size_t len = strlen(raw), o = 0;
        for (size_t i = 0; i < len && o + 2 < sizeof digits; i++) {
            if (i && (len - i) % 3 == 0)
                digits[o++] = ',';
            digits[o++] = raw[i];
        }
        digits[o] = '\0';
    }
    const char *sign = v < 0 ? "-" : "";
    if (strcmp(currency, "USD") == 0)
        say(buf, size, "%s$%s", sign, digits);
    else if (strcmp(currency, "EUR") == 0)
        say(buf, size, "%s\u20ac%s", sign, digits);
    else
        say(buf, size, "%s%s %s", sign, digits, currency);
}

/* "3.4 h (2.9-4.0 h)" or "3.4 h" without an interval. */
static void fmt_dur_iv(const sw_plan_iv *t, char *buf, size_t size)
{
    char a[32], b[32], c[32];
    sw_fmt_duration(t->median, a, sizeof a);
    if (isnan(t->lo) || isnan(t->hi)) {
        say(buf, size, "%s", a);
        return;
    }
    sw_fmt_duration(t->lo, b, sizeof b);
    sw_fmt_duration(t->hi, c, sizeof c);
    if (strcmp(b, c) == 0) /* narrower than the printed digits */
        say(buf, size, "%s", a);
    else
        say(buf, size, "%s (%s to %s)", a, b, c);
}

static void fmt_money_iv(const sw_plan_iv *v, const char *cur, char *buf, size_t size)
{
    char a[40], b[40], c[40];
    sw_fmt_money(v->median, cur, a, sizeof a);
    if (isnan(v->lo) || isnan(v->hi)) {
        say(buf, size, "%s", a);
        return;
    }
    sw_fmt_money(v->lo, cur, b, sizeof b);
    sw_fmt_money(v->hi, cur, c, sizeof c);
    if (strcmp(b, c) == 0)
        say(buf, size, "%s", a);
    else
        say(buf, size, "%s (%s to %s)", a, b, c);
}

/* ---- the table ------------------------------------------------------- */

static double cost_of(const sw_price_option *o, double nodes, double seconds)
{
    double h = seconds / 3600;
    return nodes * h * sw_price_node_hour(o) + nodes * o->power_w / 1000 * h * o->energy_price +
           o->overhead;
}

static sw_status check_time(const sw_plan_iv *t, double units, sw_error *err)
{
    if (!(t->median > 0) || !isfinite(t->median))
        return sw_error_set(err, SW_EDOM, "plan: the model predicts T(%g) = %g, not a time",
                            units, t->median);
    return SW_OK;
}

double sw_work_steps(const sw_work *w, double units)
{
    if (w->kind == SW_WORK_STEPS)
        return w->amount;
    if (w->kind != SW_WORK_TRAIN)
        return NAN;
    double b = w->batch > 0 ? w->batch : w->batch_per_unit * units;
    return sw_converge_steps(&w->converge, b);
}

static sw_status job_time(const sw_predictor *p, const sw_work *w, double units, double k,
                          double t1_ref, sw_plan_iv *out, sw_error *err)
{
    sw_plan_iv t;
    sw_status st = p->time(p->ctx, units, k, &t, err);
    if (!st)
        st = check_time(&t, units, err);
    if (st)
        return st;
    double f = w->kind == SW_WORK_JOB_TIME ? w->amount / t1_ref : sw_work_steps(w, units);
    *out = (sw_plan_iv){t.median * f, t.lo * f, t.hi * f};
    return SW_OK;
}

static sw_status fill_row(const sw_predictor *p, const sw_plan_request *req, const sw_price_option *o,
                          double nodes, double t1_ref, sw_plan_row *r, sw_error *err)
{
    r->nodes = nodes;
    r->units = nodes * o->units_per_node;
    if (r->units > p->units_max)
        return sw_error_set(err, SW_EINVAL,
                            "plan: %g x %s = %g units is beyond what the model covers (%g)",
                            nodes, o->name, r->units, p->units_max);
    sw_status st = job_time(p, &req->work, r->units, o->speed, t1_ref, &r->time_s, err);
    sw_plan_iv one;
    if (!st)
        st = job_time(p, &req->work, 1, o->speed, t1_ref, &one, err);
    if (st)
        return st;
    const sw_plan_iv *t = &r->time_s;
    double pkw = o->power_w / 1000;
    r->cost = (sw_plan_iv){cost_of(o, nodes, t->median), cost_of(o, nodes, t->lo),
                           cost_of(o, nodes, t->hi)};
    r->energy_kwh = (sw_plan_iv){nodes * pkw * t->median / 3600, nodes * pkw * t->lo / 3600,
                                 nodes * pkw * t->hi / 3600};
    /* faster time -> higher speedup: the bounds swap */
    r->speedup = (sw_plan_iv){one.median / t->median, one.median / t->hi, one.median / t->lo};
    r->efficiency = (sw_plan_iv){r->speedup.median / r->units, r->speedup.lo / r->units,
                                 r->speedup.hi / r->units};
    return SW_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static sw_status check_request(const sw_price_table *prices, const sw_plan_request *req,
                               sw_error *err)
{
    if (!req->nodes || req->nnodes == 0)
        return sw_error_set(err, SW_EINVAL, "plan: no candidate N (give --n)");
    for (size_t i = 0; i < req->nnodes; i++)
        if (!isfinite(req->nodes[i]) || req->nodes[i] < 1)
            return sw_error_set(err, SW_EINVAL, "plan: candidate N = %g is not >= 1",
                                req->nodes[i]);
    if (!prices || prices->n == 0)
        return sw_error_set(err, SW_EINVAL, "plan: the price table has no options");
    const sw_work *w = &req->work;
    if (w->kind == SW_WORK_TRAIN) {
        if (!(w->converge.s_min > 0) || !isfinite(w->converge.s_min) ||
            !(w->converge.b_noise >= 0) || !isfinite(w->converge.b_noise))
            return sw_error_set(err, SW_EINVAL,
                                "plan: steps to converge need S_min > 0 and B_noise >= 0 (got "
                                "%g and %g)",
                                w->converge.s_min, w->converge.b_noise);
        if ((w->batch > 0) == (w->batch_per_unit > 0) || !isfinite(w->batch) ||
            !isfinite(w->batch_per_unit) || w->batch < 0 || w->batch_per_unit < 0)
            return sw_error_set(err, SW_EINVAL,
                                "plan: a training run needs one global batch: a fixed batch or "
                                "a batch per unit > 0 (got %g and %g)",
                                w->batch, w->batch_per_unit);
    } else if (!(w->amount > 0) || !isfinite(w->amount)) {
        return sw_error_set(err, SW_EINVAL, "plan: the amount of work must be positive");
    }
    if (!isnan(req->deadline_s) && !(req->deadline_s > 0))
        return sw_error_set(err, SW_EINVAL, "plan: the deadline must be positive");
    if (!isnan(req->budget) && !(req->budget >= 0))
        return sw_error_set(err, SW_EINVAL, "plan: the budget must not be negative");
    if (!(req->knee_pct > 0 && req->knee_pct < 100))
        return sw_error_set(err, SW_EINVAL, "plan: the knee threshold must be in (0, 100) %%");
    for (size_t i = 0; i < prices->n; i++) {
        const sw_price_option *o = &prices->opt[i];
        double v[] = {o->units_per_node, o->speed, sw_price_node_hour(o), o->power_w,
                      o->energy_price, o->overhead};
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
            if (!isfinite(v[j]) || v[j] < 0)
                return sw_error_set(err, SW_EINVAL, "plan: option '%s' has a negative or "
                                    "missing price, power or size", o->name);
    }
    return SW_OK;
}

/* ---- answers --------------------------------------------------------- */

static const char *opt_name(const sw_plan *pl, const sw_plan_row *r)
{
    return pl->prices.opt[r->option].name;
}

/* " at the built-in example prices" when the table is the built-in one: a
 * price the reader did not give is named as an example where it is used. */
static const char *price_note(const sw_plan *pl)
{
    return strstr(pl->prices.source, "example") ? " at the built-in example prices" : "";
}

/* The deadline and budget as the sentences say them: "within 12 h", or
 * "within an example deadline of 12 h" for the tour's invented job. */
static void limit_phrase(const sw_plan *pl, const char *what, const char *value, char *buf,
                         size_t size)
{
    if (pl->req.work.example)
        say(buf, size, "within an example %s of %s", what, value);
    else
        say(buf, size, "within %s", value);
}

/* The first row the gate withholds, in plan order, or NULL. */
static const sw_plan_row *first_gated(const sw_plan *pl)
{
    for (size_t i = 0; i < pl->nrows; i++)
        if (!pl->rows[i].trust.within)
            return &pl->rows[i];
    return NULL;
}

static size_t count_within(const sw_plan *pl)
{
    size_t k = 0;
    for (size_t i = 0; i < pl->nrows; i++)
        k += pl->rows[i].trust.within != 0;
    return k;
}

/* "1 x cloud-cpu-32 (32 units)" */
static void row_name(const sw_plan *pl, const sw_plan_row *r, char *buf, size_t size)
{
    say(buf, size, "%g x %s (%g unit%s)", r->nodes, opt_name(pl, r), r->units,
        r->units == 1 ? "" : "s");
}

/* The answer when no row may be shown: why, and no price. */
static void withhold_all(sw_plan *pl, sw_plan_answer *a, const char *question)
{
    const sw_plan_row *g = first_gated(pl);
    char rn[160];
    row_name(pl, g, rn, sizeof rn);
    a->found = 0;
    a->gated = 1;
    a->row = (size_t)(g - pl->rows);
    say(a->sentence, sizeof a->sentence,
        "%s cannot be answered from this data: every candidate is beyond what the data "
        "supports, from the smallest, %s, on (%s).",
        question, rn, g->trust.reason);
    a->sentence[0] = (char)toupper((unsigned char)a->sentence[0]);
}

/* ", and larger ones are beyond what the data supports (reason)" */
static void beyond_note(const sw_plan *pl, char *buf, size_t size)
{
    const sw_plan_row *g = first_gated(pl);
    buf[0] = '\0';
    if (g) {
        char rn[160];
        row_name(pl, g, rn, sizeof rn);
        say(buf, size, " Only configurations the data supports were compared; %s and others "
                       "are beyond it (%s).",
            rn, g->trust.reason);
    }
}

/* How far an answer reaches, as the sentence carries it: " (32 units, 0.5x
 * the largest measured N)"; nothing for a closed form, exact everywhere. */
static void reach_phrase(const sw_plan *pl, const sw_plan_row *r, char *buf, size_t size)
{
    buf[0] = '\0';
    if (isfinite(pl->reach.n_max) && pl->reach.n_max > 0)
        say(buf, size, " (%g units, %.2g\u00d7 the largest measured N)", r->units,
            r->units / pl->reach.n_max);
}

static double row_time(const sw_plan_row *r) { return r->time_s.median; }
static double row_cost(const sw_plan_row *r) { return r->cost.median; }

/* The deadline and budget answers are one search with the roles swapped: among the rows within the
 * trust gate, *best minimises goal() among those with bound() <= limit (ties: the smaller bound), and
 * *least minimises bound(), the row to name when none meets the limit. SIZE_MAX where there is none. */
static void pick_row(const sw_plan *pl, double (*bound)(const sw_plan_row *), double limit,
                     double (*goal)(const sw_plan_row *), size_t *best, size_t *least)
{
    *best = *least = SIZE_MAX;
    for (size_t i = 0; i < pl->nrows; i++) {
        const sw_plan_row *r = &pl->rows[i];
        if (!r->trust.within)
            continue;
        if (*least == SIZE_MAX || bound(r) < bound(&pl->rows[*least]))
            *least = i;
        if (!(bound(r) <= limit)) /* a NaN bound never meets the limit */
            continue;
        if (*best == SIZE_MAX || goal(r) < goal(&pl->rows[*best]) ||
            (goal(r) == goal(&pl->rows[*best]) && bound(r) < bound(&pl->rows[*best])))
            *best = i;
    }
}

static void answer_deadline(sw_plan *pl)
{
    sw_plan_answer *a = &pl->deadline;
    double dl = pl->req.deadline_s;
    const char *cur = pl->prices.currency;
    char d[32], lim[96], t[128], c[160], q[256], beyond[640];
    sw_fmt_duration(dl, d, sizeof d);
    limit_phrase(pl, "deadline", d, lim, sizeof lim);
    if (!count_within(pl)) {
        say(q, sizeof q, "which option finishes %s %s most cheaply", pl->req.work.desc, lim);
        withhold_all(pl, a, q);
        return;
    }
    say(q, sizeof q, "The cheapest way to finish %s %s", pl->req.work.desc, lim);
    size_t best, fastest;
    pick_row(pl, row_time, dl, row_cost, &best, &fastest);
    a->found = best != SIZE_MAX;
    a->row = a->found ? best : fastest;
    const sw_plan_row *r = &pl->rows[a->row];
    fmt_dur_iv(&r->time_s, t, sizeof t);
    fmt_money_iv(&r->cost, cur, c, sizeof c);
    beyond_note(pl, beyond, sizeof beyond);
    if (!a->found) {
        say(a->sentence, sizeof a->sentence,
            "No option finishes %s %s: the fastest is %g x %s at %s, costing %s%s.%s",
            pl->req.work.desc, lim, r->nodes, opt_name(pl, r), t, c, price_note(pl), beyond);
        return;
    }
    a->at_risk = !isnan(r->time_s.hi) && r->time_s.hi > dl;
    char risk[96] = "";
    if (a->at_risk) {
        char hi[32];
        sw_fmt_duration(r->time_s.hi, hi, sizeof hi);
        say(risk, sizeof risk, " At the interval's slow end (%s) it misses the deadline.", hi);
    }
    char reach[128];
    reach_phrase(pl, r, reach, sizeof reach);
    say(a->sentence, sizeof a->sentence, "%s is %g x %s%s: %s for %s%s.%s%s", q, r->nodes,
        opt_name(pl, r), reach, t, c, price_note(pl), risk, beyond);
}

static void answer_budget(sw_plan *pl)
{
    sw_plan_answer *a = &pl->budget;
    double b = pl->req.budget;
    const char *cur = pl->prices.currency;
    char bs[40], lim[96], t[128], c[160], q[256], beyond[640];
    sw_fmt_money(b, cur, bs, sizeof bs);
    limit_phrase(pl, "budget", bs, lim, sizeof lim);
    if (!count_within(pl)) {
        /* no price, not even the budget's, where nothing can be priced */
        say(q, sizeof q, "which option finishes %s fastest within the %sbudget",
            pl->req.work.desc, pl->req.work.example ? "example " : "");
        withhold_all(pl, a, q);
        return;
    }
    say(q, sizeof q, "The fastest way to finish %s %s", pl->req.work.desc, lim);
    size_t best, cheapest;
    pick_row(pl, row_cost, b, row_time, &best, &cheapest);
    a->found = best != SIZE_MAX;
    a->row = a->found ? best : cheapest;
    const sw_plan_row *r = &pl->rows[a->row];
    fmt_dur_iv(&r->time_s, t, sizeof t);
    fmt_money_iv(&r->cost, cur, c, sizeof c);
    beyond_note(pl, beyond, sizeof beyond);
    if (!a->found) {
        say(a->sentence, sizeof a->sentence,
            "Nothing finishes %s %s: the cheapest run is %g x %s at %s%s, taking %s.%s",
            pl->req.work.desc, lim, r->nodes, opt_name(pl, r), c, price_note(pl), t, beyond);
        return;
    }
    a->at_risk = !isnan(r->cost.hi) && r->cost.hi > b;
    char risk[96] = "";
    if (a->at_risk) {
        char hi[40];
        sw_fmt_money(r->cost.hi, cur, hi, sizeof hi);
        say(risk, sizeof risk, " At the interval's slow end it costs %s, over the budget.", hi);
    }
    char reach[128];
    reach_phrase(pl, r, reach, sizeof reach);
    say(a->sentence, sizeof a->sentence, "%s is %g x %s%s: %s for %s%s.%s%s", q, r->nodes,
        opt_name(pl, r), reach, t, c, price_note(pl), risk, beyond);
}

/* A percentage as the sentences print it: whole percents, and a value that
 * rounds to zero is "0", never "-0". */
static double pct(double frac)
{
    double v = round(frac * 100);
    return v == 0 ? 0 : v;
}

static double cut_per_doubling(double t0, double t1, double n0, double n1)
{
    return 1 - pow(t1 / t0, 1 / log2(n1 / n0));
}

static void cost_phrase(double r, char *buf, size_t size)
{
    if (fabs(r - 2) < 0.1)
        say(buf, size, "doubles the cost");
    else if (fabs(r - 1) < 0.03)
        say(buf, size, "costs about the same");
    else if (r > 1)
        say(buf, size, "raises the cost %.2g\u00d7", r);
    else
        say(buf, size, "lowers the cost by %.0f%%", pct(1 - r));
}

/* Rows [first, first + *count) of one option the gate lets through: they
 * come first (a larger node count only moves further from the data), so
 * the answers look at that prefix.  Returns the first withheld row or NULL. */
static const sw_plan_row *within_prefix(const sw_plan *pl, size_t first, size_t *count)
{
    size_t k = 0;
    while (k < *count && pl->rows[first + k].trust.within)
        k++;
    const sw_plan_row *g = k < *count ? &pl->rows[first + k] : NULL;
    *count = k;
    return g;
}

/* " Beyond 2 nodes it is unknown: 4 nodes are beyond what the data supports (...)." */
static void unknown_beyond(const sw_plan *pl, const sw_plan_row *g, char *buf, size_t size)
{
    buf[0] = '\0';
    if (g)
        say(buf, size, " From %g %s nodes on it is unknown: beyond what the data supports (%s).",
            g->nodes, opt_name(pl, g), g->trust.reason);
}

/* An option none of whose candidates the gate lets through: one sentence
 * for both of its answers (the report shows it once). */
static void withhold_option(sw_plan *pl, size_t opt, size_t first, size_t count)
{
    const sw_plan_row *g = &pl->rows[first];
    sw_plan_answer *k = &pl->knee[opt], *s = &pl->slowdown[opt];
    k->found = s->found = 0;
    k->gated = s->gated = 1;
    k->row = s->row = first;
    k->value = s->value = NAN;
    k->cut = (sw_plan_iv){NAN, NAN, NAN};
    say(k->sentence, sizeof k->sentence,
        "%s: every candidate (%g to %g nodes) is beyond what the data supports (%s).",
        pl->prices.opt[opt].name, g->nodes, pl->rows[first + count - 1].nodes, g->trust.reason);
    s->sentence[0] = '\0';
}

/* The knee of one option: rows [first, first + count). */
static void answer_knee(sw_plan *pl, size_t opt, size_t first, size_t count)
{
    sw_plan_answer *a = &pl->knee[opt];
    const char *name = pl->prices.opt[opt].name;
    double x = pl->req.knee_pct / 100;
    const sw_plan_row *g = within_prefix(pl, first, &count);
    char beyond[512];
    unknown_beyond(pl, g, beyond, sizeof beyond);
    a->value = NAN;
    a->cut = (sw_plan_iv){NAN, NAN, NAN};
    for (size_t i = first; i + 1 < first + count; i++) {
        const sw_plan_row *r0 = &pl->rows[i], *r1 = &pl->rows[i + 1];
        double c = cut_per_doubling(r0->time_s.median, r1->time_s.median, r0->nodes, r1->nodes);
        if (c >= x)
            continue;
        double cl = cut_per_doubling(r0->time_s.lo, r1->time_s.lo, r0->nodes, r1->nodes);
        double ch = cut_per_doubling(r0->time_s.hi, r1->time_s.hi, r0->nodes, r1->nodes);
        a->found = 1;
        a->row = i;
        a->value = c;
        a->cut = (sw_plan_iv){c, isnan(cl) ? NAN : fmin(fmin(cl, ch), c),
                              isnan(ch) ? NAN : fmax(fmax(cl, ch), c)};
        double whole = 1 - r1->time_s.median / r0->time_s.median;
        char cp[64], iv[64] = "";
        cost_phrase(r1->cost.median / r0->cost.median, cp, sizeof cp);
        /* the interval in the sentence's own sense: a cut, or a lengthening */
        double ilo = whole >= 0 ? a->cut.lo : -a->cut.hi, ihi = whole >= 0 ? a->cut.hi : -a->cut.lo;
        if (!isnan(a->cut.lo) && pct(ilo) != pct(ihi))
            say(iv, sizeof iv, " (%.0f%% to %.0f%%)", pct(ilo), pct(ihi));
        const char *verb = whole >= 0 ? "cuts the run by" : "makes the run longer by";
        if (fabs(r1->nodes / r0->nodes - 2) < 1e-9)
            say(a->sentence, sizeof a->sentence, "Going from %g to %g %s nodes %s %.0f%%%s and %s.",
                r0->nodes, r1->nodes, name, verb, pct(fabs(whole)), iv, cp);
        else
            say(a->sentence, sizeof a->sentence,
                "Going from %g to %g %s nodes %s %.0f%% (%.0f%% per doubling%s) and %s.",
                r0->nodes, r1->nodes, name, verb, pct(fabs(whole)), pct(c), iv, cp);
        return;
    }
    a->found = 0;
    a->row = first + (count ? count - 1 : 0);
    if (count < 2)
        say(a->sentence, sizeof a->sentence,
            "%s: the knee is unknown: only %g node%s within what the data supports.%s", name,
            pl->rows[first].nodes, pl->rows[first].nodes == 1 ? " is" : "s are", beyond);
    else
        say(a->sentence, sizeof a->sentence,
            "Every step up to %g %s nodes still cuts the run by at least %g%% per doubling.%s",
            pl->rows[a->row].nodes, name, pl->req.knee_pct, beyond);
}

static const char *nodes_word(double n)
{
    return n == 1 ? "node" : "nodes";
}

static void answer_slowdown(const sw_predictor *p, sw_plan *pl, size_t opt, size_t first,
                            size_t count)
{
    sw_plan_answer *a = &pl->slowdown[opt];
    const sw_price_option *o = &pl->prices.opt[opt];
    const sw_plan_row *g = within_prefix(pl, first, &count);
    size_t best = first;
    for (size_t i = first; i < first + count; i++)
        if (pl->rows[i].time_s.median < pl->rows[best].time_s.median)
            best = i;
    a->row = best;
    a->value = pl->rows[best].nodes;
    char beyond[512], model[160] = "";
    unknown_beyond(pl, g, beyond, sizeof beyond);
    /* the model's own optimum, only where the gate would show an answer */
    const sw_plan_iv *no = &a->cut; /* holds this option's model optimum in units */
    sw_trust ot;
    sw_predictor_trust(p, no->median, no->median / o->units_per_node, no->lo, no->hi, &ot);
    if (isfinite(no->median) && no->median >= o->units_per_node && ot.within) {
        double n = no->median / o->units_per_node;
        if (isnan(no->lo) || !isfinite(no->hi))
            say(model, sizeof model, " The model puts the optimum at %.3g %s.", n,
                nodes_word(n));
        else
            say(model, sizeof model, " The model puts the optimum at %.3g nodes (%.3g to %.3g).",
                n, no->lo / o->units_per_node, no->hi / o->units_per_node);
    }
    const sw_plan_row *r = &pl->rows[best];
    if (best + 1 < first + count) {
        const sw_plan_row *r1 = &pl->rows[best + 1];
        char t0[32], t1[32];
        sw_fmt_duration(r->time_s.median, t0, sizeof t0);
        sw_fmt_duration(r1->time_s.median, t1, sizeof t1);
        a->found = 1;
        say(a->sentence, sizeof a->sentence,
            "Past %g %s %s the run gets slower: %g nodes take %.0f%% longer (%s against %s).%s",
            r->nodes, o->name, nodes_word(r->nodes), r1->nodes,
            pct(r1->time_s.median / r->time_s.median - 1), t1, t0, model);
        return;
    }
    a->found = 0;
    if (count < 2) /* the knee's sentence already says it: not twice */
        a->sentence[0] = '\0';
    else
        say(a->sentence, sizeof a->sentence,
            "More %s nodes keep making the run faster up to %g; no slowdown in this range.%s%s",
            o->name, r->nodes, model, beyond);
}

/* The model's own wall and N* (k = 1): from the predictor when it knows
 * them, else from the medians on a log grid up to its range. */
sw_status sw_predictor_answers(const sw_predictor *p, double k, sw_plan_iv *wall,
                               sw_plan_iv *nopt, sw_error *err)
{
    if (p->answers)
        return p->answers(p->ctx, k, wall, nopt, err);
    double top = fmin(p->units_max, 1e9);
    sw_plan_iv t1, t;
    sw_status st = p->time(p->ctx, 1, k, &t1, err);
    if (st)
        return st;
    double best_t = t1.median, best_n = 1;
    int steps = 400;
    for (int i = 1; i <= steps; i++) {
        double n = pow(top, (double)i / steps);
        if ((st = p->time(p->ctx, n, k, &t, err)) != SW_OK)
            return st;
        if (t.median < best_t) {
            best_t = t.median;
            best_n = n;
        }
    }
    *wall = (sw_plan_iv){t1.median / best_t, NAN, NAN};
    *nopt = (sw_plan_iv){best_n >= top * (1 - 1e-9) ? INFINITY : best_n, NAN, NAN};
    return SW_OK;
}

void sw_predictor_trust(const sw_predictor *p, double units, double nodes, double lo, double hi,
                        sw_trust *out)
{
    char why[256] = "";
    if (p->calibrated && units >= 1 && isfinite(units)) {
        int ok = p->calibrated(p->ctx, units, why, sizeof why);
        sw_trust_judge_given(&p->reach, ok, why, units, nodes, lo, hi, out);
    } else
        sw_trust_judge(&p->reach, units, nodes, lo, hi, out);
}

static sw_status copy_inputs(const sw_price_table *prices, const sw_plan_request *req,
                             sw_plan *pl, sw_error *err)
{
    pl->prices = *prices;
    pl->prices.opt = malloc(prices->n * sizeof *prices->opt);
    pl->node_list = malloc(req->nnodes * sizeof *req->nodes);
    pl->rows = calloc(prices->n * req->nnodes, sizeof *pl->rows);
    pl->knee = calloc(prices->n, sizeof *pl->knee);
    pl->slowdown = calloc(prices->n, sizeof *pl->slowdown);
    if (!pl->prices.opt || !pl->node_list || !pl->rows || !pl->knee || !pl->slowdown)
        return sw_error_set(err, SW_ENOMEM, "plan: out of memory");
    memcpy(pl->prices.opt, prices->opt, prices->n * sizeof *prices->opt);
    memcpy(pl->node_list, req->nodes, req->nnodes * sizeof *req->nodes);
    qsort(pl->node_list, req->nnodes, sizeof *pl->node_list, cmp_double);
    pl->req = *req;
    pl->req.nodes = pl->node_list;
    /* duplicates would make a zero-length step in the knee */
    size_t k = 0;
    for (size_t i = 0; i < req->nnodes; i++)
        if (k == 0 || pl->node_list[i] != pl->node_list[k - 1])
            pl->node_list[k++] = pl->node_list[i];
    pl->req.nnodes = k;
    return SW_OK;
}

sw_status sw_plan_run(const sw_predictor *p, const sw_price_table *prices,
                      const sw_plan_request *req, sw_plan *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    sw_status st = check_request(prices, req, err);
    if (!st)
        st = copy_inputs(prices, req, out, err);
    say(out->what, sizeof out->what, "%s", p->what);
    sw_plan_iv t1 = {1, 1, 1};
    if (!st && req->work.kind == SW_WORK_JOB_TIME) {
        st = p->time(p->ctx, 1, 1, &t1, err);
        if (!st)
            st = check_time(&t1, 1, err);
    }
    size_t nn = out->req.nnodes;
    for (size_t o = 0; !st && o < prices->n; o++)
        for (size_t i = 0; !st && i < nn; i++) {
            sw_plan_row *r = &out->rows[o * nn + i];
            r->option = o;
            st = fill_row(p, &out->req, &prices->opt[o], out->node_list[i], t1.median, r, err);
        }
    out->nrows = st ? 0 : prices->n * nn;
    if (!st)
        st = sw_predictor_answers(p, 1, &out->wall, &out->n_opt_units, err);
    for (size_t o = 0; !st && o < prices->n; o++) {
        sw_plan_iv w;
        st = sw_predictor_answers(p, prices->opt[o].speed, &w, &out->slowdown[o].cut, err);
    }
    if (st) {
        sw_plan_free(out);
        return st;
    }
    out->reach = p->reach;
    for (size_t i = 0; i < out->nrows; i++) {
        sw_plan_row *r = &out->rows[i];
        sw_predictor_trust(p, r->units, r->nodes, r->time_s.lo, r->time_s.hi, &r->trust);
    }
    if (!isnan(req->deadline_s))
        answer_deadline(out);
    if (!isnan(req->budget))
        answer_budget(out);
    for (size_t o = 0; o < prices->n; o++) {
        if (!out->rows[o * nn].trust.within) {
            withhold_option(out, o, o * nn, nn);
            continue;
        }
        answer_knee(out, o, o * nn, nn);
        answer_slowdown(p, out, o, o * nn, nn);
    }
    return SW_OK;
}

void sw_plan_free(sw_plan *pl)
{
    if (!pl)
        return;
    free(pl->prices.opt);
    free(pl->rows);
    free(pl->node_list);
    free(pl->knee);
    free(pl->slowdown);
    memset(pl, 0, sizeof *pl);
}
