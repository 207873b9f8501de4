/* fit_master.c — a master-worker program: rank 0 hands out T tasks per step
 * on request and computes none of them (`fit --tasks T`).
 *
 * Two regimes (docs/fit.md, "Master-worker"):
 *   workers bound   ceil(T/(N-1)) rounds of (w + o): the payload over N - 1
 *                   workers (SW_SHAPE_TASKS) and each task's trip through the
 *                   master, o = request + reply + the master's service
 *                   (SW_SHAPE_TASK_TRIPS, coefficient T o); both are terms of
 *                   the fit, visible on small N;
 *   master bound    the master serves T task requests and N - 1 final ones,
 *                   one at a time: (T + N - 1) c(N), c its time per request.
 * T(N) is the larger of the two.  The knee, where the master saturates, lies
 * past small N, so c cannot be read from a curve that has not bent yet; it
 * comes from o, which the small N do show, and the platform:
 *   o = 2 alpha + (q + r) beta + s   (request of r bytes, reply of q, service s)
 *   c = alpha(N) + r beta + s        (SMPI starts a transfer when the receive
 *                                     is matched, so the master waits one
 *                                     latency per request even when requests
 *                                     queue; ../shared/docs/simgrid.md)
 * What the data show is T(N) at the largest fitted N: the rounds of w + o
 * and the start-up stagger (the workers' first requests reach the master
 * together, so the k-th one served starts k - 1 services after the first;
 * master_x below), solved for o with c.  With alpha the platform's latency from rank 0 (its mean over the
 * workers, by level), x = o - 2 alpha(N_max) is the data's s + (q + r) beta, and
 * c(N) = alpha(N) + x exactly when the reply's bytes q beta are negligible;
 * they cannot be told apart from the service, so c = alpha(N) + u x with u
 * in [0, 1] unknown: the samples spread u as Beta(2, 1) (the reply one of
 * three parts of x, service, request and reply, with shares uniform on the
 * simplex) and the central curve takes its median 1/sqrt 2.  Without a
 * platform alpha is unknown too: c = u o, u the same.  The floor uses each
 * sample's own o, so the fit's uncertainty in o carries into it.
 * The data also bound c from above, saturated or not: at every measured
 * N >= 2 the master served T + N - 1 requests within T(N), so
 * c(N) <= T(N)/(T + N - 1).  The tightest of these caps x (o without a
 * platform) at that bound less the latency there, so every u keeps the
 * floor at or below the measured times: a trip made long by a large reply
 * or a slow link says little of the master's own cost, and the bound is
 * then what the data do say (the unknown split u spreads c below it).
 * When the data already show the saturation (the time per round of tasks
 * stops falling with the rounds), c is read there instead, T(N)/(T + N - 1)
 * at the largest N, moved by the platform's latency, within the fitted
 * run-to-run noise (the samples), and the curve is fitted on the N below.
 * Beyond the data the model-error drift (fit_eval.c) multiplies the time,
 * floor included: the range of c above is what the data leave open, the
 * drift what the mechanism may miss (a master whose service slows as it
 * queues). */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "fit_internal.h"

double sw_fit_master_alpha(const sw_fitmodel *m, double n)
{
    if (!(n > 1) || !m->mw_nlv)
        return 0;
    /* the mean over workers r = 1..N-1 of the latency of r's level */
    double v = 0, prev = 0;
    for (size_t l = 0; l < m->mw_nlv; l++) {
        if (n > m->mw_at[l])
            v += (m->mw_alpha[l] - prev) * (n - m->mw_at[l]);
        prev = m->mw_alpha[l];
    }
    return v / (n - 1);
}

static double rounds_at(double tasks, double n)
{
    sw_term t = {.role = SW_ROLE_PARALLEL, .shape = SW_SHAPE_TASKS, .i = tasks};
    return sw_term_eval(&t, n);
}

size_t sw_fit_master_saturated(const sw_fitmodel *mo, double tasks)
{
    for (size_t g = 1; g < mo->ngroups; g++) {
        const sw_fit_group *a = &mo->groups[g - 1], *b = &mo->groups[g];
        if (a->anchor || !(a->n >= 2))
            continue; /* N = 1 has no master: rank 0 computes alone */
        double fall = rounds_at(tasks, b->n) / rounds_at(tasks, a->n);
        if (fall < 1 && b->mean > a->mean * (1 - 0.5 * (1 - fall)))
            return g;
    }
    return mo->ngroups;
}

sw_status sw_fit_master_setup(sw_fitmodel *mo, const sw_fit_options *opt, sw_fit_form form,
                              sw_error *err)
{
    mo->mw_tasks = 0;
    mo->mw_nlv = 0;
    mo->mw_alpha_data = mo->mw_c_data = mo->mw_n_sat = 0;
    if (!(opt->tasks > 0))
        return SW_OK;
    if (!(opt->tasks >= 1 && opt->tasks <= 1e15) || opt->tasks != floor(opt->tasks))
        return sw_error_set(err, SW_EINVAL, "tasks per step %g is not a whole number >= 1",
                            opt->tasks);
    if (form != SW_FIT_STRONG)
        return sw_error_set(err, SW_EINVAL,
                            "--tasks describes a fixed amount of work (strong scaling), not a "
                            "weak-scaling series");
    mo->mw_tasks = opt->tasks;
    if (opt->platform)
        mo->mw_nlv = sw_fit_platform_latency(opt->platform, mo->mw_at, mo->mw_alpha, 3);
    /* o is read at the largest fitted N (below): the latency it holds */
    mo->mw_alpha_data = sw_fit_master_alpha(mo, mo->n_max);
    return SW_OK;
}

/* The time at the largest fitted N and a task's compute w = T(1)/T:
 * measured when the data hold both (the fit may trade a little misfit at
 * N = 1 for a payload that hides the trips), else from the curve. */
static void master_data(const sw_fitmodel *m, const double *coef, double *td, double *w)
{
    double nd = m->n_max, t1 = 0;
    *td = 0;
    for (size_t k = 0; k < m->nterms; k++)
        if (coef[k] > 0) {
            t1 += coef[k] * sw_term_eval(&m->terms[k], 1);
            *td += coef[k] * sw_term_eval(&m->terms[k], nd);
        }
    if (m->ngroups >= 2 && m->groups[0].n == 1 && !m->groups[0].anchor &&
        m->groups[m->ngroups - 1].n == nd) {
        t1 = m->groups[0].mean;
        *td = m->groups[m->ngroups - 1].mean;
    }
    *w = t1 / m->mw_tasks;
}

/* x (with levels) or o (without) at u, from T(N_max) = max(A, B):
 *   A = R (w + o) + (rem - 1) c      the first rem workers served take the
 *                                    R-th task, the last of them starts
 *                                    rem - 1 services after the first
 *   B = (R - 1)(w + o) + (N - 2) c   the last worker served starts N - 2
 *                                    services after the first
 * R = ceil(T/(N-1)), rem = T - (R - 1)(N - 1) in 1..N-1; o = 2 alpha + x,
 * c = alpha + u x with levels, c = u o without.  Both grow with x, so x
 * is the smaller of the two solutions. */
static double master_x(const sw_fitmodel *m, const double *coef, double u)
{
    double nd = m->n_max, td, w;
    if (!(nd >= 2))
        return 0;
    master_data(m, coef, &td, &w);
    double r = rounds_at(m->mw_tasks, nd) * m->mw_tasks;
    double rem = m->mw_tasks - (r - 1) * floor(nd - 1 + 1e-9);
    double a = m->mw_nlv ? m->mw_alpha_data : 0;
    double xa = (td - r * (w + 2 * a) - (rem - 1) * a) / (r + (rem - 1) * u);
    double xb = (td - (r - 1) * (w + 2 * a) - (nd - 2) * a) / (r - 1 + (nd - 2) * u);
    double x = r > 1 ? fmin(xa, xb) : xa;
    return isfinite(x) && x > 0 ? x : 0;
}

/* x (o without a platform) within the data's bound on the master's cost. */
static double master_x_bounded(const sw_fitmodel *m, const double *coef, double u)
{
    double x = master_x(m, coef, u);
    if (m->mw_c_bound > 0) {
        double xb = m->mw_c_bound - (m->mw_nlv ? sw_fit_master_alpha(m, m->mw_n_bound) : 0);
        x = fmin(x, fmax(xb, 0));
    }
    return x;
}

void sw_fit_master_bound(sw_fitmodel *m)
{
    m->mw_c_bound = m->mw_n_bound = 0;
    if (!(m->mw_tasks > 0) || m->mw_c_data > 0)
        return;
    double best = INFINITY;
    for (size_t g = 0; g < m->ngroups; g++) {
        const sw_fit_group *gr = &m->groups[g];
        if (gr->anchor || !(gr->n >= 2))
            continue;
        double c = gr->mean / (m->mw_tasks + gr->n - 1);
        double xb = c - (m->mw_nlv ? sw_fit_master_alpha(m, gr->n) : 0);
        if (xb < best) {
            best = xb;
            m->mw_c_bound = c;
            m->mw_n_bound = gr->n;
        }
    }
}

double sw_fit_master_trip(const sw_fitmodel *m, const double *coef, double u)
{
    if (!(m->mw_tasks > 0))
        return 0;
    return master_x(m, coef, u) + (m->mw_nlv ? 2 * m->mw_alpha_data : 0);
}

double sw_fit_master_cost(const sw_fitmodel *m, const double *coef, double u, double n)
{
    if (!(m->mw_tasks > 0) || !(n > 1))
        return 0;
    if (m->mw_c_data > 0) {
        /* measured where the master saturated, within the run-to-run noise:
         * u = sqrt(v), v uniform (sw_fit_master_u), so the normal quantile
         * of v = u^2 is 0 for the central curve */
        double v = fmin(fmax(u * u, 1e-9), 1 - 1e-9);
        double z = isfinite(m->noise) ? m->noise * gsl_cdf_ugaussian_Pinv(v) : 0;
        return m->mw_c_data * (1 + z) + sw_fit_master_alpha(m, n) -
               sw_fit_master_alpha(m, m->mw_n_sat);
    }
    double x = master_x_bounded(m, coef, u);
    return m->mw_nlv ? sw_fit_master_alpha(m, n) + u * x : u * x;
}

double sw_fit_master_floor(const sw_fitmodel *m, const double *coef, double u, double n)
{
    if (!(m->mw_tasks > 0) || !(n > 1))
        return 0;
    return (m->mw_tasks + n - 1) * sw_fit_master_cost(m, coef, u, n);
}

double sw_fit_master_u(const sw_fitmodel *m, size_t b)
{
    /* u = 1 - the reply's share of x (of o without a platform); with
     * nothing known of the parts' sizes, shares uniform on the simplex of
     * three parts (service, request, reply) make u ~ Beta(2, 1): u = sqrt(v),
     * v uniform; the central curve takes its median, 1/sqrt 2 */
    if (b >= m->nboot)
        return 0.70710678118654752;
    /* v spread evenly over (0, 1) and unrelated to the sample's order (the
     * golden-ratio sequence): no extra state in the model file */
    double v = ((double)b + 0.5) * 0.6180339887498949;
    return sqrt(v - floor(v));
}
