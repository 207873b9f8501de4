/* trust.c — the trust gate (trust.h says what and why). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scalewall/fmt.h"
#include "scalewall/trust.h"

/* A factor as the reasons print it: "8", "2.5", "1024" (no exponent). */
static void factor(double v, char *buf, size_t size)
{
    if (v >= 100 && v < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.3g", v);
}

/* Appends "; " and a clause to the reason. */
__attribute__((format(printf, 2, 3))) static void add(sw_trust *t, const char *fmt, ...)
{
    size_t used = strlen(t->reason);
    if (used && used + 2 < sizeof t->reason) {
        memcpy(t->reason + used, "; ", 3);
        used += 2;
    }
    if (used >= sizeof t->reason)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->reason + used, sizeof t->reason - used, fmt, ap);
    va_end(ap);
}

/* calibrated < 0: judged from r's numbers; else the model's verdict, why
 * its reason. */
static void judge(const sw_reach *r, int calibrated, const char *why, double units, double nodes,
                  double lo, double hi, sw_trust *t)
{
    memset(t, 0, sizeof *t);
    t->units = units;
    t->nodes = nodes;
    t->ratio = r->n_max > 0 ? units / r->n_max : INFINITY;
    t->spread = lo > 0 && hi >= lo && isfinite(hi) ? hi / lo : lo > 0 && isinf(hi) ? INFINITY
                                                                                   : NAN;
    char u[32], top[32], rt[32];
    sw_fmt_count(units, u, sizeof u);
    factor(t->ratio, rt, sizeof rt);
    sw_fmt_count(r->n_max, top, sizeof top);
    int below = units < r->n_min * (1 - 1e-12);
    int beyond = !(t->ratio <= r->calibrated_ratio * (1 + 1e-12));
    t->calibrated = calibrated >= 0 ? calibrated : !below && !beyond;
    if (calibrated >= 0) {
        if (!calibrated)
            add(t, "N = %s units (largest measured N %s): %s", u, top, why ? why : "");
    } else if (below) {
        char lo_n[32];
        sw_fmt_count(r->n_min, lo_n, sizeof lo_n);
        add(t, "N = %s units is below the smallest measured N (%s)", u, lo_n);
    } else if (beyond && r->calibrated_ratio <= 1 + 1e-12) {
        add(t, "N = %s units is %s\u00d7 the largest measured N (%s), and the model's "
               "intervals are calibrated only inside the measured range",
            u, rt, top);
    } else if (beyond) {
        char cal[32];
        sw_fmt_count(r->calibrated_ratio * r->n_max, cal, sizeof cal);
        add(t, "N = %s units is %s\u00d7 the largest measured N (%s), past the %.3g\u00d7 "
               "(N = %s) to which the model's intervals are calibrated",
            u, rt, top, r->calibrated_ratio, cal);
    }
    t->network_ok = nodes <= 1 || r->network[0] != '\0';
    if (!t->network_ok) {
        char nd[32];
        sw_fmt_count(nodes, nd, sizeof nd);
        add(t, "%s nodes: the network between nodes was never measured", nd);
    }
    t->narrow = isnan(t->spread) || t->spread <= SW_TRUST_MAX_SPREAD;
    if (!t->narrow) {
        if (isinf(t->spread))
            add(t, "its interval is unbounded");
        else {
            char sp[32];
            factor(t->spread, sp, sizeof sp);
            add(t, "its interval spans a factor of %s (more than %g)", sp, SW_TRUST_MAX_SPREAD);
        }
    }
    t->within = t->calibrated && t->network_ok && t->narrow;
}

void sw_trust_judge(const sw_reach *r, double units, double nodes, double lo, double hi,
                    sw_trust *out)
{
    judge(r, -1, NULL, units, nodes, lo, hi, out);
}

void sw_trust_judge_given(const sw_reach *r, int calibrated, const char *why, double units,
                          double nodes, double lo, double hi, sw_trust *out)
{
    judge(r, calibrated != 0, why, units, nodes, lo, hi, out);
}

const char *sw_trust_network_hint(void)
{
    return "measure it with one rank on each of two nodes: `mpirun -np 2 scalewall measure "
           "comm --hockney h.json` (on a Slurm cluster: `srun -N 2 --ntasks-per-node=1 "
           "scalewall measure comm --hockney h.json`), then model the job on that network "
           "(`scalewall simulate --calibration h.json`, or `scalewall measure WORKLOAD "
           "--platform local --calibration h.json`) and plan from that";
}
