/* plan_fit.c — a fitted model (fit.h) seen through the plan's predictor
 * interface, so plan and report never depend on how the fit works. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalewall/fit.h"
#include "scalewall/plan.h"

static sw_status fit_time(void *ctx, double units, double k, sw_plan_iv *t, sw_error *err)
{
    sw_whatif w;
    sw_whatif_none(&w);
    w.payload_speedup = k;
    sw_fit_pred pred;
    sw_status st = sw_fitmodel_predict(ctx, units, 0, &w, &pred, err);
    if (st)
        return st;
    *t = (sw_plan_iv){pred.time.median, pred.time.lo, pred.time.hi};
    return SW_OK;
}

static sw_status fit_answers(void *ctx, double k, sw_plan_iv *wall, sw_plan_iv *nopt,
                             sw_error *err)
{
    sw_whatif w;
    sw_whatif_none(&w);
    w.payload_speedup = k;
    sw_fit_answers a;
    sw_status st = sw_fitmodel_answers(ctx, 0, 0.5, &w, &a, err);
    if (st)
        return st;
    *wall = (sw_plan_iv){a.max_speedup.median, a.max_speedup.lo, a.max_speedup.hi};
    *nopt = (sw_plan_iv){a.n_opt.median, a.n_opt.lo, a.n_opt.hi};
    return SW_OK;
}

static sw_status fit_speedup(void *ctx, double units, sw_plan_iv *s, sw_error *err)
{
    sw_fit_pred pred;
    sw_status st = sw_fitmodel_predict(ctx, units, 0, NULL, &pred, err);
    if (st)
        return st;
    *s = (sw_plan_iv){pred.speedup.median, pred.speedup.lo, pred.speedup.hi};
    return SW_OK;
}

/* The model's own verdict on how far its intervals are tested. */
static int fit_calibrated(void *ctx, double units, char *why, size_t size)
{
    sw_fit_reach r;
    if (sw_fitmodel_reach(ctx, units, &r, NULL) != SW_OK) {
        snprintf(why, size, "N = %g is not a unit count", units);
        return 0;
    }
    snprintf(why, size, "%s", r.reason);
    return r.calibrated;
}

void sw_predictor_fit(sw_predictor *p, const sw_fitmodel *m)
{
    memset(p, 0, sizeof *p);
    p->ctx = (void *)m; /* the callbacks only read it */
    p->time = fit_time;
    p->answers = fit_answers;
    p->speedup = sw_fitmodel_form(m) == SW_FIT_STRONG ? fit_speedup : NULL;
    p->calibrated = fit_calibrated;
    p->units_max = INFINITY;
    char f[200];
    sw_fitmodel_formula(m, f, sizeof f);
    snprintf(p->what, sizeof p->what, "fitted model %s", f);
    p->reach.n_min = sw_fitmodel_n_min(m);
    p->reach.n_max = sw_fitmodel_n_max(m);
    /* how far the fit's intervals are tested, as the model records it */
    p->reach.calibrated_ratio = sw_fitmodel_calibrated_ratio(m);
    snprintf(p->reach.calibration, sizeof p->reach.calibration, "%s",
             sw_fitmodel_calibration(m));
    const char *net = sw_fitmodel_source(m, "network");
    snprintf(p->reach.network, sizeof p->reach.network, "%s", net ? net : "");
}
