/* search.c — the configurations practitioners choose by hand, found by
 * enumeration: every tp x cp x pp x dp factorisation of N (tp inside a
 * node), every power-of-two micro-batch that divides a replica's share,
 * 1F1B or interleaved schedules, and for each the cheapest memory saving
 * that fits (no recomputation before selective before full; ZeRO stages 0
 * and 1 both tried, 2 and 3 only when nothing lighter fits).  Those that
 * fit are simulated and the fastest kept.  Recomputation never makes a
 * step faster, so trying it only when memory demands is not a shortcut
 * that can miss the optimum. */
#include <math.h>
#include <string.h>

#include "scalewall/simulate.h"

void sw_sim_search_opts_default(sw_sim_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_cp = 1;
    o->max_chunks = 4;
    o->max_micro_batch = 8;
    o->keep = 10;
}

typedef struct srch {
    const sw_net *net;
    const sw_platform *plat;
    double n;
    const sw_sim_search_opts *o;
    sw_sim_choice *out;
    size_t nout, tried, fitting;
} srch;

static void keep(srch *s, const sw_sim_config *c, const sw_sim_step *st)
{
    size_t k = s->o->keep;
    if (s->nout == k && !(st->time < s->out[k - 1].step.time))
        return;
    size_t i = s->nout < k ? s->nout++ : k - 1;
    while (i > 0 && s->out[i - 1].step.time > st->time) {
        s->out[i] = s->out[i - 1];
        i--;
    }
    s->out[i].cfg = *c;
    s->out[i].step = *st;
}

/* The lightest memory saving that fits, simulated; 0 when none fits or
 * the plan is refused. */
static int try_config(srch *s, sw_sim_config c)
{
    static const sw_recompute rec[] = {SW_RECOMPUTE_NONE, SW_RECOMPUTE_SELECTIVE,
                                       SW_RECOMPUTE_FULL};
    int any = 0, found = 0;
    for (int z = 0; z <= 3 && !(found && z >= 2); z++) {
        c.zero = z;
        for (size_t r = 0; r < 3; r++) {
            c.recompute = rec[r];
            sw_sim_memory m;
            s->tried++;
            if (sw_sim_memory_run(s->net, s->plat, &c, s->n, &m, NULL) != SW_OK)
                return any;
            if (!m.fits)
                continue;
            sw_sim_step st;
            if (sw_sim_step_run(s->net, s->plat, &c, s->n, &st, NULL) == SW_OK) {
                s->fitting++;
                keep(s, &c, &st);
                any = found = 1;
            }
            break;
        }
    }
    return any;
}

static void micro_batches(srch *s, sw_sim_config c, double dp)
{
    double replica = c.scaling == SW_SCALING_WEAK ? c.batch : c.batch / dp;
    for (double b = 1; b <= s->o->max_micro_batch && b <= replica; b *= 2) {
        if (fmod(replica, b) != 0)
            continue;
        c.micro_batch = b;
        double m = replica / b;
        c.schedule = SW_SCHED_1F1B;
        c.chunks = 1;
        try_config(s, c);
        if (c.stages == 1)
            continue;
        c.schedule = SW_SCHED_INTERLEAVED;
        for (long v = 2; v <= s->o->max_chunks; v *= 2) {
            if ((double)(c.stages * v) > (double)s->net->nlayers || fmod(m, (double)c.stages))
                break;
            c.chunks = v;
            try_config(s, c);
        }
    }
}

sw_status sw_sim_search(const sw_net *net, const sw_platform *plat, const sw_sim_config *base,
                        double n, const sw_sim_search_opts *o, sw_sim_choice *out, size_t *nout,
                        size_t *tried, size_t *fitting, sw_error *err)
{
    if (!(n >= 1) || n != floor(n) || n > 1e9)
        return sw_error_set(err, SW_EDOM, "N = %g: the search needs a whole number of units", n);
    if (o->keep < 1 || o->max_cp < 1 || o->max_chunks < 1 || !(o->max_micro_batch >= 1))
        return sw_error_set(err, SW_EDOM, "search options must be >= 1");
    srch s = {net, plat, n, o, out, 0, 0, 0};
    sw_sim_config c = *base;
    c.micro = 1;
    for (double tp = 1; tp <= plat->units_per_node && tp <= n; tp++) {
        if (fmod(n, tp))
            continue;
        for (double cp = 1; cp <= (double)o->max_cp && tp * cp <= n; cp++) {
            if (fmod(n, tp * cp) || (cp > 1 && !(net->seq > 0)))
                continue;
            for (double pp = 1; tp * cp * pp <= n && pp <= (double)net->nlayers; pp++) {
                if (fmod(n, tp * cp * pp))
                    continue;
                c.tp = (long)tp;
                c.cp = (long)cp;
                c.stages = (long)pp;
                micro_batches(&s, c, n / (tp * cp * pp));
            }
        }
    }
    *nout = s.nout;
    *tried = s.tried;
    *fitting = s.fitting;
    if (s.nout == 0)
        return sw_error_set(err, SW_EDOM,
                            "N = %g: none of %zu configurations fits in %.4g GB per unit", n,
                            s.tried, plat->mem_bytes / 1e9);
    return SW_OK;
}
