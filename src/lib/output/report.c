/* report.c — the one-file HTML report and its terminal summary.
 *
 * Self-contained on purpose: a manager opens it from a mail attachment on a
 * laptop without network, so styles are inline, figures are base64 PNG data
 * URIs and nothing is fetched.  Every figure's PNG and data CSV are also
 * written next to the report.  All of them are written first and put in
 * place together at the end (report.html last): a failure leaves none of
 * them, never a report that points at missing numbers or figures without
 * their report. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/fmt.h"
#include "scalewall/io.h"
#include "scalewall/model.h"
#include "scalewall/report.h"
#include "scalewall/version.h"

char *sw_base64(const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out = 4 * ((n + 2) / 3);
    char *s = malloc(out + 1), *w = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *w++ = tab[(v >> 18) & 63];
        *w++ = tab[(v >> 12) & 63];
        *w++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *w++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *w = '\0';
    return s;
}

void sw_html_escape(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

__attribute__((format(printf, 2, 3))) static void escf(FILE *fp, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sw_html_escape(fp, buf);
}

/* ---- figures ---- */

typedef struct ctx {
    const sw_report_input *in;
    const char *dir;
    FILE *fp;
    sw_report_summary *sum;
    sw_error *err;
    sw_outfile *files; /* written, waiting to be put in place together */
    size_t nfiles, cap;
} ctx;

/* Opens the next of the report's files; it must not replace an input. */
static sw_status pending_open(ctx *x, const char *path, sw_outfile **out)
{
    if (x->nfiles == x->cap) {
        size_t c = x->cap ? 2 * x->cap : 16;
        sw_outfile *p = realloc(x->files, c * sizeof *p);
        if (!p)
            return sw_error_set(x->err, SW_ENOMEM, "report: out of memory");
        x->files = p;
        x->cap = c;
    }
    *out = &x->files[x->nfiles];
    sw_status st = sw_outfile_open(*out, path, SW_OUT_REPLACE, x->in->inputs, x->in->ninputs,
                                   x->err);
    if (!st)
        x->nfiles++;
    return st;
}

/* Written and synced now, so a full disk is found before anything is
 * replaced; put in place by sw_report_write at the end. */
static sw_status pending_done(ctx *x, sw_outfile *f, sw_status st)
{
    return st ? sw_outfile_fail(f, st, x->err) : sw_outfile_finish(f, x->err);
}

static sw_status write_bytes(ctx *x, const char *path, const unsigned char *p, size_t n)
{
    sw_outfile *f;
    sw_status st = pending_open(x, path, &f);
    if (st)
        return st;
    if (fwrite(p, 1, n, f->fp) != n)
        st = sw_error_set(x->err, SW_EIO, "%s: write failed", path);
    return pending_done(x, f, st);
}

static sw_status write_data(ctx *x, const char *path, const sw_chart *c)
{
    sw_outfile *f;
    sw_status st = pending_open(x, path, &f);
    return st ? st : pending_done(x, f, sw_chart_write_data(c, f->fp, x->err));
}

static sw_status figure_or_note(ctx *x, const char *id, sw_status made, sw_chart *c,
                                const char *caption);

/* Writes fig-<id>.png and .csv and the <figure> element; takes the chart. */
static sw_status figure(ctx *x, const char *id, sw_chart *c, const char *caption)
{
    unsigned char *png = NULL;
    size_t len = 0;
    char path[4096];
    sw_status st = sw_chart_render_mem(c, SW_PLOT_PNG, 900, 540, &png, &len, x->err);
    if (st && st != SW_ENOMEM && st != SW_EIO) { /* not drawable: say why, go on */
        sw_chart_free(c);
        return figure_or_note(x, id, st, NULL, caption);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/fig-%s.png", x->dir, id);
        st = write_bytes(x, path, png, len);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/fig-%s.csv", x->dir, id);
        st = write_data(x, path, c);
    }
    char *b64 = st ? NULL : sw_base64(png, len);
    if (!st && !b64)
        st = sw_error_set(x->err, SW_ENOMEM, "report: out of memory");
    if (!st) {
        fprintf(x->fp, "<figure><img id=\"fig-%s\" width=\"900\" height=\"540\" alt=\"", id);
        sw_html_escape(x->fp, caption);
        fprintf(x->fp, "\" src=\"data:image/png;base64,%s\"><figcaption>", b64);
        sw_html_escape(x->fp, caption);
        fprintf(x->fp, " <span class=\"data\">Numbers: fig-%s.csv</span></figcaption></figure>\n",
                id);
        x->sum->nfigures++;
    }
    free(b64);
    free(png);
    sw_chart_free(c);
    return st;
}

/* A figure that cannot be drawn from these inputs is explained, not fatal. */
static sw_status figure_or_note(ctx *x, const char *id, sw_status made, sw_chart *c,
                                const char *caption)
{
    if (made == SW_ENOMEM)
        return made;
    if (made) {
        fputs("<p class=\"note\">", x->fp);
        escf(x->fp, "Figure not drawn: %s", x->err->msg);
        fputs("</p>\n", x->fp);
        sw_error_clear(x->err);
        return SW_OK;
    }
    return figure(x, id, c, caption);
}

/* ---- text helpers ---- */

static void summary_line(ctx *x, const char *s)
{
    if (x->sum->nlines >= sizeof x->sum->lines / sizeof x->sum->lines[0])
        return;
    /* a long sentence is cut at the line's end: the report has it whole */
    char *line = x->sum->lines[x->sum->nlines++];
    size_t n = strlen(s), cap = sizeof x->sum->lines[0];
    n = n < cap ? n : cap - 1;
    memcpy(line, s, n);
    line[n] = '\0';
}

static void li(FILE *fp, const char *s)
{
    fputs("<li>", fp);
    sw_html_escape(fp, s);
    fputs("</li>\n", fp);
}

static void section(FILE *fp, const char *id, const char *title)
{
    fprintf(fp, "<section id=\"%s\"><h2>", id);
    sw_html_escape(fp, title);
    fputs("</h2>\n", fp);
}

static void cell_num(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, "<td>%.4g</td>", v);
    else
        fputs("<td>&ndash;</td>", fp);
}

static void cell_text(FILE *fp, const char *s)
{
    fputs("<td>", fp);
    sw_html_escape(fp, s);
    fputs("</td>", fp);
}

/* ---- sections ---- */

static void model_sentence(ctx *x, char *buf, size_t size)
{
    const sw_predictor *p = x->in->model;
    sw_plan_iv wall = {NAN, NAN, NAN}, nopt = {NAN, NAN, NAN};
    if (sw_predictor_answers(p, 1, &wall, &nopt, x->err) != SW_OK) {
        sw_error_clear(x->err);
        snprintf(buf, size, "The model's wall could not be computed.");
        return;
    }
    const sw_reach *r = &p->reach;
    if (wall.median <= 1 + 1e-3) { /* the same as a slowdown: no speedup at all */
        snprintf(buf, size, "The model shows no speedup over one unit: its time is least at "
                            "N = 1, and every added unit makes the run slower.");
        return;
    }
    char w[192], n[192];
    int wide = !(wall.hi / wall.lo <= SW_TRUST_MAX_SPREAD); /* NAN (no interval) passes */
    if (isnan(wall.lo) || isnan(wall.hi))
        wide = 0;
    if (!isfinite(wall.median))
        snprintf(w, sizeof w, "shows no wall: its speedup keeps growing");
    else if (isnan(wall.lo))
        snprintf(w, sizeof w, "puts the wall at a %.3g\u00d7 speedup", wall.median);
    else if (wide)
        snprintf(w, sizeof w, "puts the wall at a %.3g\u00d7 speedup, but its interval (%.3g to "
                              "%.3g\u00d7) is too wide to be an answer",
                 wall.median, wall.lo, wall.hi);
    else
        snprintf(w, sizeof w, "puts the wall at a %.3g\u00d7 speedup (%.3g to %.3g\u00d7)",
                 wall.median, wall.lo, wall.hi);
    if (!isfinite(nopt.median))
        snprintf(n, sizeof n, "time keeps falling as N grows");
    else if (isnan(nopt.lo) || !(nopt.hi / nopt.lo <= SW_TRUST_MAX_SPREAD))
        snprintf(n, sizeof n, "past N* = %.3g units more units make the run slower",
                 nopt.median);
    else
        snprintf(n, sizeof n,
                 "past N* = %.3g units (%.3g to %.3g) more units make the run slower",
                 nopt.median, nopt.lo, nopt.hi);
    /* the wall and N* lie where the data ends or beyond: say so */
    char ext[160] = "";
    if (isfinite(r->n_max) && (!isfinite(nopt.median) ||
                               nopt.median > r->n_max * r->calibrated_ratio))
        snprintf(ext, sizeof ext, " Both are extrapolations past the measured N = %g to %g.",
                 r->n_min, r->n_max);
    snprintf(buf, size, "The model %s; %s.%s", w, n, ext);
}

/* One answer of the plan as a bullet: a price only inside the gate
 * (data-gate="within"); a withheld one says why (data-gate="beyond").
 * Empty and repeated sentences are skipped. */
static void answer_li(ctx *x, const sw_plan_answer *a, char (*seen)[512], size_t *nseen,
                      size_t cap)
{
    if (!a->sentence[0])
        return;
    for (size_t i = 0; i < *nseen; i++)
        if (strcmp(seen[i], a->sentence) == 0)
            return;
    if (*nseen < cap)
        snprintf(seen[(*nseen)++], sizeof seen[0], "%s", a->sentence);
    const sw_plan *pl = x->in->plan;
    int within = !a->gated && a->row < pl->nrows && pl->rows[a->row].trust.within;
    if (!within && !a->gated) {
        /* An answer naming a row the gate withholds, or no row (a plan
         * edited by hand, or written by another version): its prices are
         * not shown, the reason is.  scalewall's own plans never get here
         * (plan.c answers from rows within the gate only). */
        char buf[1024];
        if (a->row < pl->nrows) {
            const sw_plan_row *r = &pl->rows[a->row];
            snprintf(buf, sizeof buf,
                     "Withheld: the option this answer would name, %g x %s, is beyond what "
                     "the data supports (%s).",
                     r->nodes, pl->prices.opt[r->option].name, r->trust.reason);
        } else
            snprintf(buf, sizeof buf, "Withheld: the plan does not say which option this "
                                      "answer names (re-run plan).");
        fputs("<li data-gate=\"beyond\">", x->fp);
        sw_html_escape(x->fp, buf);
        fputs("</li>\n", x->fp);
        summary_line(x, buf);
        return;
    }
    fprintf(x->fp, "<li data-gate=\"%s\">", within ? "within" : "beyond");
    sw_html_escape(x->fp, a->sentence);
    fputs("</li>\n", x->fp);
    summary_line(x, a->sentence);
}

static void summary_section(ctx *x)
{
    FILE *fp = x->fp;
    char buf[2048];
    section(fp, "summary", "Summary");
    const sw_plan *pl = x->in->plan;
    /* first, before any answer: what the data can and cannot carry */
    sw_report_support(x->in->results, pl, buf, sizeof buf);
    fputs("<p id=\"supports\" class=\"supports\">", fp);
    sw_html_escape(fp, buf);
    fputs("</p>\n", fp);
    summary_line(x, buf);
    fputs("<ul class=\"answers\">\n", fp);
    char seen[16][512];
    size_t nseen = 0;
    size_t within = 0, smallest = 0;
    for (size_t i = 0; pl && i < pl->nrows; i++) {
        within += pl->rows[i].trust.within != 0;
        if (pl->rows[i].units < pl->rows[smallest].units)
            smallest = i;
    }
    if (pl && pl->nrows && !within) {
        /* every answer would say the same: say it once */
        const sw_plan_row *r = &pl->rows[smallest];
        snprintf(buf, sizeof buf,
                 "No answer of the plan (the cheapest option within the deadline, the fastest "
                 "within the budget, the knees) can be given from this data: every candidate "
                 "is beyond what it supports, down to the smallest, %g x %s (%g units): %s.",
                 r->nodes, pl->prices.opt[r->option].name, r->units, r->trust.reason);
        fputs("<li data-gate=\"beyond\">", fp);
        sw_html_escape(fp, buf);
        fputs("</li>\n", fp);
        summary_line(x, buf);
    } else if (pl) {
        if (!isnan(pl->req.deadline_s))
            answer_li(x, &pl->deadline, seen, &nseen, 16);
        if (!isnan(pl->req.budget))
            answer_li(x, &pl->budget, seen, &nseen, 16);
        for (size_t o = 0; o < pl->prices.n; o++) {
            answer_li(x, &pl->knee[o], seen, &nseen, 16);
            answer_li(x, &pl->slowdown[o], seen, &nseen, 16);
        }
        if (pl->reach.network[0] == '\0' && pl->req.nnodes &&
            pl->req.nodes[pl->req.nnodes - 1] > 1) {
            snprintf(buf, sizeof buf, "The network between nodes is unmeasured: to price "
                                      "multi-node options, %s.", sw_trust_network_hint());
            li(fp, buf);
        }
    }
    if (x->in->model) {
        model_sentence(x, buf, sizeof buf);
        li(fp, buf);
        summary_line(x, buf);
    }
    if (!pl && !x->in->model && !x->in->results)
        li(fp, "Nothing to summarise: no results, model or plan were given.");
    fputs("</ul></section>\n", fp);
}

static void results_table(ctx *x)
{
    sw_obs_summary *s;
    size_t n;
    FILE *fp = x->fp;
    const sw_obs *o = x->in->results;
    if (sw_obs_summarize(o, &s, &n, x->err) != SW_OK) {
        sw_error_clear(x->err);
        return;
    }
    int rate = o->quantity == SW_QTY_RATE;
    char label[256];
    sw_obs_interval_label(s, n, label, sizeof label);
    fputs("<table class=\"results\"><thead><tr><th>N</th><th>runs</th>", fp);
    fprintf(fp, "<th>median %s</th><th>interval of the median</th>", rate ? "rate" : "time");
    fputs("<th>speedup</th><th>efficiency</th><th>1-\u03b1_eff</th><th>what the point is</th>"
          "</tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < n; i++) {
        double sp = rate ? s[i].median / s[0].median * s[0].n
                         : s[0].median * s[0].n / s[i].median;
        char nb[32], lv[64], cond[128];
        sw_fmt_count(s[i].n, nb, sizeof nb);
        sw_obs_cond c;
        sw_obs_condition(o, s[i].n, &c);
        sw_obs_condition_label(&c, cond, sizeof cond);
        fprintf(fp, "<tr%s><td>%s</td><td>%zu</td>",
                c.oversubscribed ? " class=\"oversubscribed\"" : "", nb, s[i].count);
        fprintf(fp, "<td>%.4g %s</td>", s[i].median, o->unit);
        if (s[i].count > 1) {
            /* the level that interval really has: 95% from 6 runs, else the range's */
            if (s[i].coverage >= 0.95)
                snprintf(lv, sizeof lv, "95%% CI");
            else
                snprintf(lv, sizeof lv, "range, a %.0f%% CI", floor(100 * s[i].coverage));
            fprintf(fp, "<td>%.4g to %.4g (%s)</td>", s[i].lo, s[i].hi, lv);
        } else {
            fputs("<td>&ndash; (1 run)</td>", fp);
        }
        cell_num(fp, sp);
        cell_num(fp, sp / s[i].n);
        if (s[i].n > 1 && sp < 1)
            cell_text(fp, "slower than one unit");
        else
            cell_num(fp, s[i].n > 1 ? (1 / sp - 1 / s[i].n) / (1 - 1 / s[i].n) : NAN);
        char what[160];
        snprintf(what, sizeof what, "%s%s%s", o->simulated ? "" : "measured",
                 !o->simulated && cond[0] ? ", " : "", cond);
        cell_text(fp, what);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n<p class=\"sub\">", fp);
    escf(fp, "Intervals: %s. Speedup against N = %g.", label, s[0].n);
    fputs("</p>\n", fp);
    free(s);
}

static sw_status measurements_section(ctx *x)
{
    FILE *fp = x->fp;
    const sw_report_input *in = x->in;
    section(fp, "measurements", "Measurements");
    if (!in->results) {
        fputs("<p class=\"note\">No measured results were given.</p>\n", fp);
    } else {
        fputs("<p>", fp);
        escf(fp, "%s series '%s'%s%s, %s scaling, from %s.",
             in->results->simulated ? "Simulated" : "Measured", in->results->workload,
             in->results->params && *in->results->params ? " with " : "",
             in->results->params ? in->results->params : "",
             sw_scaling_name(in->results->scaling),
             in->results_source ? in->results_source : "(unnamed input)");
        fputs("</p>\n", fp);
        results_table(x);
        sw_chart *c = NULL;
        sw_status st = sw_fig_speedup(in->results, in->model, in->n_to, &c, x->err);
        if ((st = figure_or_note(x, "speedup", st, c,
                                 "Speedup: measured points with their 95% intervals, the "
                                 "model's curve and band, and the wall it approaches.")))
            return st;
        st = sw_fig_efficiency(in->results, in->model, in->n_to, &c, x->err);
        if ((st = figure_or_note(x, "efficiency", st, c,
                                 "Efficiency E = S/N: how much of each added unit still works "
                                 "on the payload.")))
            return st;
        st = sw_fig_serial(in->results, in->model, in->n_to, &c, x->err);
        if ((st = figure_or_note(x, "serial", st, c,
                                 "1-\u03b1_eff(N), the Karp-Flatt serial share: flat means "
                                 "Amdahl holds; rising means communication grows with N.")))
            return st;
    }
    if (in->breakdown) {
        sw_chart *c = NULL;
        sw_status st = sw_fig_breakdown(in->breakdown, &c, x->err);
        if ((st = figure_or_note(x, "breakdown", st, c,
                                 "Where a simulated step's time goes, per N: payload compute "
                                 "shrinks, the rest does not.")))
            return st;
    }
    fputs("</section>\n", fp);
    return SW_OK;
}

static void model_section(ctx *x)
{
    FILE *fp = x->fp;
    section(fp, "model", "Model");
    if (!x->in->model) {
        fputs("<p class=\"note\">No model was given: the figures show measurements only.</p>"
              "</section>\n",
              fp);
        return;
    }
    char buf[512];
    fputs("<p>", fp);
    escf(fp, "%s", x->in->model_formula ? x->in->model_formula : x->in->model->what);
    fputs("</p>\n<p>", fp);
    model_sentence(x, buf, sizeof buf);
    sw_html_escape(fp, buf);
    fputs("</p>\n", fp);
    if (x->in->n_model_notes) {
        fputs("<ul class=\"notes\">\n", fp);
        for (size_t i = 0; i < x->in->n_model_notes; i++)
            li(fp, x->in->model_notes[i]);
        fputs("</ul>\n", fp);
    }
    fputs("</section>\n", fp);
}

static void plan_table(ctx *x)
{
    const sw_plan *pl = x->in->plan;
    FILE *fp = x->fp;
    char t[64], c[64];
    fputs("<table class=\"plan\"><thead><tr><th>option</th><th>nodes</th><th>units</th>"
          "<th>time</th><th>time interval</th><th>cost</th><th>energy (kWh)</th>"
          "<th>efficiency</th></tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < pl->nrows; i++) {
        const sw_plan_row *r = &pl->rows[i];
        char nb[32], ub[32];
        sw_fmt_count(r->nodes, nb, sizeof nb);
        sw_fmt_count(r->units, ub, sizeof ub);
        if (!r->trust.within) {
            /* no time or price where the data cannot carry one; the option's
             * following rows only go further, so one line says it for them */
            size_t j = i;
            while (j + 1 < pl->nrows && pl->rows[j + 1].option == r->option &&
                   !pl->rows[j + 1].trust.within)
                j++;
            char nj[32], uj[32];
            sw_fmt_count(pl->rows[j].nodes, nj, sizeof nj);
            sw_fmt_count(pl->rows[j].units, uj, sizeof uj);
            fputs("<tr class=\"beyond\" data-gate=\"beyond\">", fp);
            cell_text(fp, pl->prices.opt[r->option].name);
            if (j > i)
                fprintf(fp, "<td>%s to %s</td><td>%s to %s</td>", nb, nj, ub, uj);
            else
                fprintf(fp, "<td>%s</td><td>%s</td>", nb, ub);
            fputs("<td colspan=\"5\" class=\"why\">", fp);
            escf(fp, "beyond what the data supports%s: %s", j > i ? ", from the first on" : "",
                 r->trust.reason);
            fputs("</td></tr>\n", fp);
            i = j;
            continue;
        }
        fputs("<tr data-gate=\"within\">", fp);
        cell_text(fp, pl->prices.opt[r->option].name);
        fprintf(fp, "<td>%s</td><td>%s</td>", nb, ub);
        sw_fmt_duration(r->time_s.median, t, sizeof t);
        cell_text(fp, t);
        if (isfinite(r->time_s.lo)) {
            char a[32], b[32], iv[80];
            sw_fmt_duration(r->time_s.lo, a, sizeof a);
            sw_fmt_duration(r->time_s.hi, b, sizeof b);
            snprintf(iv, sizeof iv, "%s to %s", a, b);
            cell_text(fp, iv);
        } else {
            fputs("<td>&ndash;</td>", fp);
        }
        sw_fmt_money(r->cost.median, pl->prices.currency, c, sizeof c);
        cell_text(fp, c);
        cell_num(fp, r->energy_kwh.median);
        cell_num(fp, r->efficiency.median);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
}

static void prices_table(ctx *x)
{
    const sw_plan *pl = x->in->plan;
    FILE *fp = x->fp;
    fputs("<table class=\"prices\" data-gate=\"input\"><thead><tr><th>option</th>"
          "<th>units/node</th><th>speed</th><th>per node-hour</th><th>power (W)</th><th>energy price/kWh</th><th>overhead/job"
          "</th><th>note</th></tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < pl->prices.n; i++) {
        const sw_price_option *o = &pl->prices.opt[i];
        char h[64];
        sw_fmt_money(sw_price_node_hour(o), pl->prices.currency, h, sizeof h);
        fputs("<tr>", fp);
        cell_text(fp, o->name);
        cell_num(fp, o->units_per_node);
        cell_num(fp, o->speed);
        cell_text(fp, h);
        cell_num(fp, o->power_w);
        cell_num(fp, o->energy_price);
        cell_num(fp, o->overhead);
        cell_text(fp, o->note);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
}

static sw_status plan_section(ctx *x)
{
    FILE *fp = x->fp;
    const sw_plan *pl = x->in->plan;
    section(fp, "plan", "Plan: what to buy");
    if (!pl) {
        fputs("<p class=\"note\">No plan was given.</p></section>\n", fp);
        return SW_OK;
    }
    fputs("<p data-gate=\"input\">", fp);
    char d[32] = "", b[48] = "";
    if (!isnan(pl->req.deadline_s))
        sw_fmt_duration(pl->req.deadline_s, d, sizeof d);
    if (!isnan(pl->req.budget))
        sw_fmt_money(pl->req.budget, pl->prices.currency, b, sizeof b);
    const char *ex = pl->req.work.example ? "example " : "";
    char limits[160] = "";
    if (d[0])
        snprintf(limits, sizeof limits, "; %sdeadline %s", ex, d);
    if (b[0]) {
        size_t used = strlen(limits);
        snprintf(limits + used, sizeof limits - used, "; %sbudget %s", ex, b);
    }
    escf(fp, "The work: %s%s. Prices: %s (%s).", pl->req.work.desc, limits, pl->prices.source,
         pl->prices.currency);
    fputs("</p>\n", fp);
    sw_chart *c = NULL;
    sw_status st = sw_fig_plan(pl, &c, x->err);
    if ((st = figure_or_note(x, "plan", st, c,
                             "Each option's time and cost as nodes are added (labels: "
                             "nodes); the circle marks the knee.")))
        return st;
    plan_table(x);
    fputs("<h3>Price table</h3>\n", fp);
    prices_table(x);
    fputs("</section>\n", fp);
    return SW_OK;
}

static void systems_table(ctx *x)
{
    FILE *fp = x->fp;
    fputs("<table><thead><tr><th>system</th><th>cores</th><th>1-\u03b1 HPL</th>"
          "<th>1-\u03b1 HPCG (mostly the node's bytes/flop)</th><th>HPCG/HPL</th></tr></thead>"
          "<tbody>\n",
          fp);
    for (size_t i = 0; i < x->in->nsystems; i++) {
        const sw_map_system *s = &x->in->systems[i];
        fputs("<tr>", fp);
        char nb[32];
        sw_fmt_count(s->n, nb, sizeof nb);
        cell_text(fp, s->name);
        cell_text(fp, nb);
        cell_num(fp, s->serial_hpl);
        cell_num(fp, s->serial_hpcg);
        cell_num(fp, s->serial_hpcg / s->serial_hpl);
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
}

/* This workload's 1-alpha at its largest measured N, for the map. */
static double workload_serial(ctx *x, double *n)
{
    sw_obs_summary *s;
    size_t k;
    *n = NAN;
    if (!x->in->results || sw_obs_summarize(x->in->results, &s, &k, x->err) != SW_OK) {
        sw_error_clear(x->err);
        return NAN;
    }
    double v = NAN;
    /* the largest N that measures scaling: an oversubscribed one does not */
    size_t last = k;
    for (size_t i = k; i-- > 1;) {
        sw_obs_cond c;
        sw_obs_condition(x->in->results, s[i].n, &c);
        if (!c.oversubscribed) {
            last = i;
            break;
        }
    }
    if (last < k && s[last].n > 1) {
        int rate = x->in->results->quantity == SW_QTY_RATE;
        double sp = rate ? s[last].median / s[0].median * s[0].n
                         : s[0].median * s[0].n / s[last].median;
        *n = s[last].n;
        v = (1 / sp - 1 / *n) / (1 - 1 / *n);
    }
    free(s);
    return v;
}

static sw_status context_section(ctx *x)
{
    FILE *fp = x->fp;
    section(fp, "context", "Context: the largest machines");
    double n, s = workload_serial(x, &n);
    fputs("<p>Where would this workload sit among the TOP500 machines? The map shows the "
          "efficiency Amdahl's law allows for each number of units N and serial share "
          "1-\u03b1; HPL and HPCG place the same machine two to three decades apart &mdash; "
          "mostly because HPCG runs at 1&ndash;3% of peak on one node too: a single-point "
          "1-\u03b1 assumes one unit runs at E = 1, so under HPCG it mostly restates the node's "
          "bytes per flop, not a loss to scaling (docs/top500.md).</p>\n",
          fp);
    if (s > 1) { /* slower than one unit: no serial share describes it */
        fputs("<p class=\"note\">", fp);
        escf(fp, "This workload is not on the map: at N = %g it runs slower than on one unit "
                 "(1-\u03b1_eff = %.3g > 1), which no serial share describes.", n, s);
        fputs("</p>\n", fp);
        s = NAN;
    }
    sw_chart *c = NULL;
    sw_status st = sw_fig_map(x->in->systems, x->in->nsystems, "this workload", n, s, &c, x->err);
    if ((st = figure_or_note(x, "map", st, c,
                             "Efficiency map with TOP500 systems placed by their HPL and HPCG "
                             "serial shares.")))
        return st;
    if (x->in->nsystems) {
        fputs("<p>", fp);
        escf(fp, "Systems from %s.", x->in->systems_source ? x->in->systems_source : "a list");
        fputs("</p>\n", fp);
        systems_table(x);
    } else {
        fputs("<p class=\"note\">No TOP500 systems were given.</p>\n", fp);
    }
    fputs("</section>\n", fp);
    return SW_OK;
}

static void method_section(FILE *fp)
{
    section(fp, "method", "Method, in plain words");
    fputs(
        "<p>Run a job on N processing units and measure its time T(N). The speedup is "
        "S = T(1)/T(N) and the efficiency E = S/N. Amdahl's law, read as J. V\u00e9gh reads it "
        "(\u201cHow deep machine learning can be\u201d, arXiv:2005.00872; \u201cFinally, how "
        "many efficiencies the supercomputers have?\u201d, J. Supercomputing 76, 2020), says "
        "everything that does not shrink when units are added &mdash; serial code, the "
        "operating system, synchronisation, communication, waiting for the slowest unit "
        "&mdash; adds up to a serial share 1-\u03b1, and then E = 1/(N(1-\u03b1) + \u03b1).</p>\n"
        "<p>From one measured point the serial share is the Karp-Flatt value "
        "(1/S - 1/N)/(1 - 1/N). If it stays flat as N grows, Amdahl's law describes the job "
        "and the speedup can never pass 1/(1-\u03b1): <em>the performance wall</em>. If it "
        "rises, part of the cost grows with N (collective communication), and past some N* "
        "more units make the run slower.</p>\n"
        "<p>The model is fitted to the measurements as a sum of non-negative terms "
        "(serial, parallel/N, communication shapes such as log2 N), chosen among many "
        "hypotheses; its intervals come from resampling the measurements (bootstrap). "
        "Predictions far beyond the measured N are extrapolations: the band says how "
        "sure the fit is, not whether the machine behaves the same at scale.</p>\n"
        "<p>The plan multiplies the predicted time of the work by each hardware option's "
        "price: cost = nodes \u00d7 hours \u00d7 price per node-hour + nodes \u00d7 power "
        "\u00d7 hours \u00d7 energy price + a fixed overhead; a bought node's hourly price is "
        "its purchase price spread over its amortisation years. The knee is where one more "
        "doubling of nodes cuts the time by less than the chosen percentage. Prices in the "
        "built-in table are examples, not quotes.</p>\n"
        "</section>\n",
        fp);
}

static void kv(FILE *fp, const char *k, const char *v)
{
    fputs("<tr><th>", fp);
    sw_html_escape(fp, k);
    fputs("</th><td>", fp);
    sw_html_escape(fp, v ? v : "");
    fputs("</td></tr>\n", fp);
}

static void provenance_section(ctx *x)
{
    FILE *fp = x->fp;
    const sw_report_input *in = x->in;
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    section(fp, "provenance", "Provenance");
    fputs("<table class=\"kv\"><tbody>\n", fp);
    kv(fp, "report written (UTC)", now);
    kv(fp, "scalewall version", SW_VERSION);
    if (in->results_source)
        kv(fp, "results", in->results_source);
    if (in->model_source)
        kv(fp, "model", in->model_source);
    if (in->plan_source)
        kv(fp, "plan", in->plan_source);
    if (in->plan)
        kv(fp, "prices", in->plan->prices.source);
    if (in->systems_source)
        kv(fp, "TOP500 systems", in->systems_source);
    for (size_t i = 0; in->results && i < in->results->nmeta; i++) {
        char k[160];
        snprintf(k, sizeof k, "results: %s", in->results->meta[i].key);
        kv(fp, k, in->results->meta[i].value);
    }
    for (size_t i = 0; i < in->nprovenance; i++) {
        const char *line = in->provenance[i], *colon = strchr(line, ':');
        char k[160];
        if (!colon) {
            kv(fp, "note", line);
            continue;
        }
        snprintf(k, sizeof k, "%.*s", (int)(colon - line), line);
        kv(fp, k, colon[1] == ' ' ? colon + 2 : colon + 1);
    }
    fputs("</tbody></table>\n</section>\n", fp);
}

static const char style[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:980px;margin:2em auto;"
    "padding:0 1em;color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #0072b2;"
    "padding-bottom:.2em;margin-top:2em}"
    "nav a{margin-right:1em;color:#0072b2}"
    "ul.answers li{margin:.4em 0;font-size:1.05em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "th{background:#f0f4f8}td:first-child,th:first-child{text-align:left}"
    "table.kv td{text-align:left}"
    "figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}"
    "figcaption{font-size:.9em;color:#444}.data{color:#777;margin-left:.5em}"
    ".note{color:#8a5a00}.sub{color:#555}p,li,td{overflow-wrap:anywhere}";

static sw_status write_html(ctx *x)
{
    FILE *fp = x->fp;
    const char *title = x->in->title ? x->in->title : "scalewall report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", fp);
    sw_html_escape(fp, title);
    fprintf(fp, "</title>\n<style>%s</style></head><body>\n<header><h1>", style);
    sw_html_escape(fp, title);
    fputs("</h1><p class=\"sub\">How far does adding processors still pay, and what is worth "
          "buying?</p>\n<nav><a href=\"#summary\">Summary</a><a href=\"#measurements\">"
          "Measurements</a><a href=\"#model\">Model</a><a href=\"#plan\">Plan</a>"
          "<a href=\"#context\">Context</a><a href=\"#method\">Method</a>"
          "<a href=\"#provenance\">Provenance</a></nav></header>\n<main>\n",
          fp);
    summary_section(x);
    sw_status st = measurements_section(x);
    if (!st)
        model_section(x);
    if (!st)
        st = plan_section(x);
    if (!st)
        st = context_section(x);
    if (st)
        return st;
    method_section(fp);
    provenance_section(x);
    fputs("</main></body></html>\n", fp);
    return ferror(fp) ? sw_error_set(x->err, SW_EIO, "%s/report.html: write failed", x->dir)
                      : SW_OK;
}

sw_status sw_report_write(const sw_report_input *in, const char *dir, sw_report_summary *sum,
                          sw_error *err)
{
    sw_error local = {0};
    if (!err)
        err = &local;
    memset(sum, 0, sizeof *sum);
    /* "out/" and "out" name the same directory: no "out//report.html" */
    char dirbuf[4000];
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len >= sizeof dirbuf)
        return sw_error_set(err, SW_EINVAL, "report directory name is too long");
    memcpy(dirbuf, dir, len);
    dirbuf[len] = '\0';
    dir = dirbuf;
    if (access(dir, W_OK | X_OK) != 0)
        return sw_error_set(err, SW_EIO, "report directory '%s' is not writable", dir);
    char path[4096];
    snprintf(path, sizeof path, "%s%sreport.html", dir, strcmp(dir, "/") ? "/" : "");
    ctx x = {in, dir, NULL, sum, err, NULL, 0, 0};
    sw_outfile html;
    sw_status st = sw_outfile_open(&html, path, SW_OUT_REPLACE, in->inputs, in->ninputs, err);
    if (st)
        return st;
    x.fp = html.fp;
    st = write_html(&x);
    if (st)
        st = sw_outfile_fail(&html, st, err);
    /* report.html goes last, after the figures it points at. */
    sw_outfile *all = st ? NULL : realloc(x.files, (x.nfiles + 1) * sizeof *all);
    if (!st && !all)
        st = sw_error_set(err, SW_ENOMEM, "report: out of memory");
    if (!st) {
        x.files = all;
        x.files[x.nfiles++] = html;
        memset(&html, 0, sizeof html);
        st = sw_outfile_commit_all(x.files, x.nfiles, err);
    }
    if (!st)
        snprintf(sum->path, sizeof sum->path, "%s", path);
    sw_outfile_abort(&html);
    for (size_t i = 0; i < x.nfiles; i++)
        sw_outfile_abort(&x.files[i]);
    free(x.files);
    return st;
}
