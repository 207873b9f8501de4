/* top500_obs.c — a TOP500 list as an observation series (obs.h).
 *
 * "A TOP500 row is one observation": N = total cores, value = Rmax (a rate
 * in TFlop/s), peak = Rpeak, so E = value/peak and a fit across systems sees
 * the same 1-alpha this module computes.  Each system sizes HPL to its own
 * memory, hence scaling "weak".  HPCG, power, accelerator cores and rank
 * travel as extras.  Flagged rows stay in the series with ok = 0 so fits skip
 * them but a reader still sees them; rows without N or Rmax cannot be a point
 * and are left out. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalewall/top500.h"

static const char *const extras[] = {"hpcg_tflops", "power_kw", "accel_cores", "rank"};
#define NEXTRAS (sizeof extras / sizeof extras[0])

static int repetition(const sw_obs *o, double n)
{
    int rep = 0;
    for (size_t i = 0; i < o->npts; i++)
        rep += o->pts[i].n == n;
    return rep;
}

static sw_status add_point(sw_obs *o, const sw_top500_entry *e, sw_error *err)
{
    sw_obs_point *p = sw_obs_add(o, e->cores, repetition(o, e->cores), e->rmax);
    if (!p)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    p->peak = e->rpeak;
    p->ok = e->flags == 0;
    p->label = strdup(e->name);
    if (!p->label)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    const double v[NEXTRAS] = {e->hpcg, e->power_kw, e->accel_cores,
                               e->rank > 0 ? (double)e->rank : NAN};
    for (size_t k = 0; k < NEXTRAS; k++)
        p->extra[k] = v[k];
    return SW_OK;
}

sw_status sw_top500_to_obs(const sw_top500_list *l, sw_obs **out, sw_error *err)
{
    *out = NULL;
    sw_obs *o = sw_obs_new("top500", SW_QTY_RATE, "TFlop/s");
    if (!o)
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    o->scaling = SW_SCALING_WEAK;
    char params[32] = "";
    if (l->list[0])
        snprintf(params, sizeof params, "list=%s", l->list);
    sw_status st = sw_obs_set_params(o, params, err);
    if (!st)
        st = sw_obs_set_meta(o, "source", l->source ? l->source : "", err);
    for (size_t k = 0; k < NEXTRAS && !st; k++)
        if (sw_obs_add_extra(o, extras[k]) != (int)k)
            st = sw_error_set(err, SW_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->n && !st; i++) {
        const sw_top500_entry *e = &l->rows[i];
        if (isfinite(e->cores) && e->cores >= 1 && isfinite(e->rmax))
            st = add_point(o, e, err);
    }
    if (st) {
        sw_obs_free(o);
        return st;
    }
    *out = o;
    return SW_OK;
}
