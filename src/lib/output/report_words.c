/* report_words.c — the sentences that say what the data supports.
 *
 * A report is read by someone who will act on its first lines.  So the
 * Summary opens with what the measurement can and cannot carry — where it
 * was taken, which points measure time-sharing rather than scaling, whether
 * the workload sped up at all — before any answer, and a slowdown reads
 * "slower than one unit", never as an ordinary serial share. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/fmt.h"
#include "scalewall/report.h"

__attribute__((format(printf, 3, 4))) static void cat(char *buf, size_t size, const char *fmt,
                                                      ...)
{
    size_t used = strlen(buf);
    if (used >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

void sw_report_point_words(double n, double speedup, char *buf, size_t size)
{
    char nb[32];
    sw_fmt_count(n, nb, sizeof nb);
    if (!(speedup > 0))
        snprintf(buf, size, "at N = %s no speedup could be computed", nb);
    else if (speedup < 1)
        snprintf(buf, size, "at N = %s it runs slower than on one unit (speedup %.2g)", nb,
                 speedup);
    else
        snprintf(buf, size,
                 "at N = %s the speedup is %.3g, the efficiency %.0f%% and 1-\u03b1_eff = %.3g",
                 nb, speedup, 100 * speedup / n, (1 / speedup - 1 / n) / (1 - 1 / n));
}

/* "1, 2 and 4" */
static void n_list(const sw_obs_summary *s, size_t n, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char nb[32];
        sw_fmt_count(s[i].n, nb, sizeof nb);
        cat(buf, size, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", nb);
    }
}

/* Speedups are against the smallest N (n0 units, normally 1), from the
 * per-N medians as times (a rate's median inverted). */
static double speedup_at(const sw_obs *o, const sw_obs_summary *s, size_t i)
{
    double base = s[0].median, v = s[i].median;
    if (o->quantity == SW_QTY_RATE)
        return v / base * s[0].n;
    double sp = base * s[0].n / v;
    return o->scaling == SW_SCALING_WEAK ? sp * s[i].n / s[0].n : sp;
}

/* Where and how the series was taken: "On this machine (vm, 2 cores),
 * 'mlp' was measured at N = 1, 2 and 4; N = 4 is oversubscribed (2 per
 * core) and measures time-sharing, not scaling." */
static void where(const sw_obs *o, const sw_obs_summary *s, size_t n, char *buf, size_t size)
{
    char ns[256];
    n_list(s, n, ns, sizeof ns);
    if (o->simulated) {
        const char *plat = sw_obs_get_meta(o, "platform");
        snprintf(buf, size,
                 "These points are simulated%s%s, not measured: '%s' at N = %s shows what the "
                 "model of that platform predicts, not what a machine did.",
                 plat ? " on platform " : "", plat ? plat : "", o->workload, ns);
    } else {
        const char *host = sw_obs_get_meta(o, "host"), *cores = sw_obs_get_meta(o, "cores");
        const char *nodes = sw_obs_get_meta(o, "nodes");
        snprintf(buf, size, "On %s%s%s%s%s%s%s, '%s' was measured at N = %s.",
                 nodes && atof(nodes) > 1 ? "these machines" : "this machine",
                 host || cores ? " (" : "", host ? host : "", host && cores ? ", " : "",
                 cores ? cores : "", cores ? " cores" : "", host || cores ? ")" : "",
                 o->workload, ns);
    }
    for (size_t i = 0; i < n; i++) {
        sw_obs_cond c;
        sw_obs_condition(o, s[i].n, &c);
        if (!c.oversubscribed)
            continue;
        char nb[32];
        sw_fmt_count(s[i].n, nb, sizeof nb);
        cat(buf, size,
            " N = %s is oversubscribed (%.3g busy threads per core): it measures time-sharing, "
            "not scaling.",
            nb, c.core_load);
    }
}

/* What the usable points (not oversubscribed) say about speeding up.
 * Returns 1 when the workload did not speed up anywhere. */
static int outcome(const sw_obs *o, const sw_obs_summary *s, size_t n, char *buf, size_t size)
{
    size_t best = 0, usable = 0;
    double best_sp = 1;
    for (size_t i = 1; i < n; i++) {
        sw_obs_cond c;
        sw_obs_condition(o, s[i].n, &c);
        if (c.oversubscribed)
            continue;
        usable++;
        double sp = speedup_at(o, s, i);
        if (!best || sp > best_sp)
            best = i, best_sp = sp;
    }
    if (!usable) {
        snprintf(buf, size, " No point above N = %g measures scaling on cores of its own.",
                 s[0].n);
        return 1;
    }
    char w[256];
    sw_report_point_words(s[best].n, best_sp, w, sizeof w);
    if (best_sp < 1) {
        snprintf(buf, size, " The workload does not speed up here: even at its best, %s.", w);
        return 1;
    }
    snprintf(buf, size, " At its best, %s.", w);
    return 0;
}

void sw_report_support(const sw_obs *results, const sw_plan *plan, char *buf, size_t size)
{
    buf[0] = '\0';
    int no_speedup = 0;
    sw_obs_summary *s = NULL;
    size_t n = 0;
    if (results && sw_obs_summarize(results, &s, &n, NULL) == SW_OK && n > 0) {
        char w[768], out[384];
        where(results, s, n, w, sizeof w);
        no_speedup = outcome(results, s, n, out, sizeof out);
        cat(buf, size, "%s%s", w, out);
    } else {
        cat(buf, size, "No measurements were given: nothing below is backed by a measurement.");
    }
    free(s);
    int nothing_priced = 0;
    if (plan) {
        size_t within = 0, multi = 0;
        int network = plan->reach.network[0] != '\0';
        for (size_t i = 0; i < plan->nrows; i++) {
            within += plan->rows[i].trust.within != 0;
            multi += plan->rows[i].nodes > 1;
        }
        char top[32];
        sw_fmt_count(plan->reach.n_max * plan->reach.calibrated_ratio, top, sizeof top);
        nothing_priced = within == 0;
        if (within == 0)
            cat(buf, size,
                " This data cannot support a purchase: every option of the plan lies beyond it "
                "(it covers N up to %s units%s).",
                top, network ? "" : ", on one node");
        else
            cat(buf, size,
                " It supports answers up to N = %s units%s; %zu of the plan's %zu configurations "
                "lie beyond that and are not priced.",
                top, network ? "" : " on one node", plan->nrows - within, plan->nrows);
        if (!network && multi)
            cat(buf, size, " The network between nodes was never measured, so nothing here "
                           "speaks for more than one node.");
    }
    if (no_speedup || nothing_priced)
        cat(buf, size, " The numbers below show the method, not a recommendation.");
}
