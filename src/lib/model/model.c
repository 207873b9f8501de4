/* model.c — Amdahl/Karp-Flatt arithmetic (formulas in docs/model.md).
 *
 * The serial share is computed as (1/E - 1)/(N - 1) rather than from alpha,
 * because for the best TOP500 machines s ~ 1e-8 and 1 - alpha would lose
 * half the digits to cancellation. */
#include "scalewall/model.h"

#include <math.h>

static int bad(double x) { return !isfinite(x); }

static sw_status check_n(double n, sw_error *err)
{
    if (bad(n))
        return sw_error_set(err, SW_EDOM, "N is not a finite number");
    if (n < 1.0)
        return sw_error_set(err, SW_EDOM, "N = %g is below 1", n);
    return SW_OK;
}

sw_status sw_amdahl_point(double n, double speedup, sw_amdahl *out, sw_error *err)
{
    sw_status st = check_n(n, err);
    if (st)
        return st;
    if (bad(speedup))
        return sw_error_set(err, SW_EDOM, "speedup is not a finite number");
    if (speedup <= 0.0)
        return sw_error_set(err, SW_EDOM, "speedup %g is not positive", speedup);
    sw_amdahl a;
    a.n = n;
    a.speedup = speedup;
    a.efficiency = speedup / n;
    if (n == 1.0) {
        a.serial = NAN;
        a.alpha = NAN;
    } else {
        a.serial = (1.0 / a.efficiency - 1.0) / (n - 1.0);
        a.alpha = 1.0 - a.serial;
    }
    a.superlinear = a.efficiency > 1.0;
    if (out)
        *out = a;
    return SW_OK;
}

sw_status sw_amdahl_from_speedup(double n, double speedup, sw_amdahl *out, sw_error *err)
{
    sw_status st = check_n(n, err);
    if (st)
        return st;
    if (n == 1.0)
        return sw_error_set(err, SW_EDOM, "N = 1: 1-alpha is undefined (it needs N > 1)");
    return sw_amdahl_point(n, speedup, out, err);
}

sw_status sw_amdahl_from_efficiency(double n, double efficiency, sw_amdahl *out, sw_error *err)
{
    if (bad(efficiency))
        return sw_error_set(err, SW_EDOM, "efficiency is not a finite number");
    if (efficiency <= 0.0)
        return sw_error_set(err, SW_EDOM, "efficiency %g is not positive", efficiency);
    sw_status st = check_n(n, err);
    if (st)
        return st;
    return sw_amdahl_from_speedup(n, efficiency * n, out, err);
}

sw_status sw_amdahl_from_times(double n, double t1, double tn, sw_amdahl *out, sw_error *err)
{
    if (bad(t1) || bad(tn))
        return sw_error_set(err, SW_EDOM, "time is not a finite number");
    if (t1 <= 0.0 || tn <= 0.0)
        return sw_error_set(err, SW_EDOM, "time %g is not positive", t1 <= 0.0 ? t1 : tn);
    return sw_amdahl_from_speedup(n, t1 / tn, out, err);
}

double sw_efficiency(double n, double serial)
{
    if (bad(n) || n < 1.0 || bad(serial))
        return NAN;
    return 1.0 / (n * serial + 1.0 - serial);
}

double sw_speedup(double n, double serial)
{
    return n * sw_efficiency(n, serial);
}

double sw_rate(double n, double r1, double serial)
{
    return n * r1 * sw_efficiency(n, serial);
}

double sw_wall(double r1, double serial)
{
    if (bad(serial) || bad(r1))
        return NAN;
    return serial <= 0.0 ? INFINITY : r1 / serial;
}

double sw_max_gain(double serial)
{
    return sw_wall(1.0, serial);
}

double sw_n_half(double serial)
{
    if (bad(serial))
        return NAN;
    return serial <= 0.0 ? INFINITY : (1.0 + serial) / serial;
}

/* E = 1/(N s + 1 - s) = e  =>  N = (1/e - 1 + s)/s. */
double sw_n_for_efficiency(double serial, double e_target)
{
    if (bad(serial) || bad(e_target) || e_target <= 0.0 || e_target > 1.0)
        return NAN;
    if (serial <= 0.0)
        return INFINITY;
    double n = (1.0 / e_target - 1.0 + serial) / serial;
    return n < 1.0 ? 1.0 : n;
}

double sw_dark_performance(double n, double r1, double efficiency)
{
    return n * r1 * (1.0 - efficiency);
}

sw_status sw_payload_speedup(double n, double serial, double k, sw_payload_whatif *out,
                             sw_error *err)
{
    sw_status st = check_n(n, err);
    if (st)
        return st;
    if (bad(serial))
        return sw_error_set(err, SW_EDOM, "1-alpha is not a finite number");
    if (bad(k) || k <= 0.0)
        return sw_error_set(err, SW_EDOM, "payload speed-up k = %g is not positive", k);
    sw_payload_whatif w;
    w.k = k;
    double denom = 1.0 + (k - 1.0) * serial;
    if (denom <= 0.0)
        return sw_error_set(err, SW_EDOM, "1-alpha = %g with k = %g leaves no payload", serial, k);
    w.serial = k * serial / denom;
    w.efficiency = sw_efficiency(n, w.serial);
    w.gain_kept = k * w.efficiency / sw_efficiency(n, serial);
    w.wall_ratio = denom;
    if (out)
        *out = w;
    return SW_OK;
}

double sw_optimum_n_log(double t1, double serial, double a)
{
    if (bad(t1) || bad(serial) || bad(a) || a <= 0.0)
        return NAN;
    return (1.0 - serial) * t1 * log(2.0) / a;
}

double sw_optimum_n_linear(double t1, double serial, double a)
{
    if (bad(t1) || bad(serial) || bad(a) || a <= 0.0)
        return NAN;
    return sqrt((1.0 - serial) * t1 / a);
}
