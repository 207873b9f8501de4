/* smpi.c — SimGrid platform files and the cost estimate of an SMPI run. */
#include "scalewall/smpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

sw_status sw_smpi_platform_flat(sw_smpi_platform *p, const char *name, int hosts,
                                int ranks_per_host, double host_speed, double alpha,
                                double bandwidth, sw_error *err)
{
    memset(p, 0, sizeof *p);
    if (hosts < 1 || ranks_per_host < 1)
        return sw_error_set(err, SW_EINVAL, "a platform needs at least one host and one rank per host");
    if (!(host_speed > 0) || !isfinite(host_speed))
        return sw_error_set(err, SW_EINVAL, "host speed %g is not positive", host_speed);
    if (!(alpha >= 0) || !isfinite(alpha))
        return sw_error_set(err, SW_EINVAL, "latency %g is not a non-negative number", alpha);
    if (!(bandwidth > 0) || !isfinite(bandwidth))
        return sw_error_set(err, SW_EINVAL, "bandwidth %g is not positive", bandwidth);
    snprintf(p->name, sizeof p->name, "%s", name ? name : "cluster");
    p->hosts = hosts;
    p->ranks_per_host = ranks_per_host;
    p->host_speed = host_speed;
    p->alpha = alpha;
    p->bandwidth = bandwidth;
    /* Shared memory inside a host: an order of magnitude better than the
     * network unless the caller says otherwise. */
    p->loopback_alpha = alpha / 10;
    p->loopback_bandwidth = bandwidth * 10;
    p->topology = SW_SMPI_FLAT;
    return SW_OK;
}

/* SimGrid parses "1.5e-06s" and "2.5e+09Bps"; the shortest form that reads
 * back exactly keeps the files readable and the values exact. */
static void unit_val(char *buf, size_t n, double v, const char *unit)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    strncat(buf, unit, n - strlen(buf) - 1);
}

sw_status sw_smpi_write_platform(const sw_smpi_platform *p, FILE *fp, sw_error *err)
{
    char speed[48], bw[48], lat[48], lbw[48], llat[48];
    unit_val(speed, sizeof speed, p->host_speed, "f");
    unit_val(bw, sizeof bw, p->bandwidth, "Bps");
    unit_val(lbw, sizeof lbw, p->loopback_bandwidth, "Bps");
    unit_val(llat, sizeof llat, p->loopback_alpha, "s");
    fprintf(fp, "<?xml version='1.0'?>\n"
                "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                "<!-- scalewall platform '%s': %d hosts x %d ranks -->\n"
                "<platform version=\"4.1\">\n",
            p->name, p->hosts, p->ranks_per_host);
    if (p->topology == SW_SMPI_FLAT) {
        unit_val(lat, sizeof lat, p->alpha / 2, "s");
        fprintf(fp,
                "  <cluster id=\"c\" prefix=\"node-\" suffix=\"\" radical=\"0-%d\" speed=\"%s\"\n"
                "           bw=\"%s\" lat=\"%s\" sharing_policy=\"SPLITDUPLEX\"\n"
                "           bb_bw=\"1e15Bps\" bb_lat=\"0s\" loopback_bw=\"%s\" loopback_lat=\"%s\"/>\n",
                p->hosts - 1, speed, bw, lat, lbw, llat);
    } else {
        if (p->fattree_leaf < 1 || p->fattree_up < 1 || p->hosts % p->fattree_leaf != 0)
            return sw_error_set(err, SW_EINVAL,
                                "fat tree: %d hosts do not split into leaves of %d", p->hosts,
                                p->fattree_leaf);
        int leaves = p->hosts / p->fattree_leaf;
        unit_val(lat, sizeof lat, p->alpha / 4, "s");
        fprintf(fp,
                "  <cluster id=\"c\" prefix=\"node-\" suffix=\"\" radical=\"0-%d\" speed=\"%s\"\n"
                "           bw=\"%s\" lat=\"%s\" sharing_policy=\"SPLITDUPLEX\"\n"
                "           topology=\"FAT_TREE\" topo_parameters=\"2;%d,%d;1,%d;1,1\"\n"
                "           loopback_bw=\"%s\" loopback_lat=\"%s\"/>\n",
                p->hosts - 1, speed, bw, lat, p->fattree_leaf, leaves, p->fattree_up, lbw, llat);
    }
    fputs("</platform>\n", fp);
    return ferror(fp) ? sw_error_set(err, SW_EIO, "write failed") : SW_OK;
}

sw_status sw_smpi_write_hostfile(const sw_smpi_platform *p, FILE *fp, sw_error *err)
{
    for (int h = 0; h < p->hosts; h++)
        for (int r = 0; r < p->ranks_per_host; r++)
            fprintf(fp, "node-%d\n", h);
    return ferror(fp) ? sw_error_set(err, SW_EIO, "write failed") : SW_OK;
}

const char *sw_smpi_alg_name(sw_smpi_alg alg)
{
    switch (alg) {
    case SW_SMPI_RDB: return "rdb";
    case SW_SMPI_RAB_RDB: return "rab_rdb";
    case SW_SMPI_RING: return "lr";
    }
    return "rdb";
}

sw_status sw_smpi_alg_parse(const char *s, sw_smpi_alg *alg, sw_error *err)
{
    if (strcmp(s, "rdb") == 0 || strcmp(s, "recursive-doubling") == 0)
        *alg = SW_SMPI_RDB;
    else if (strcmp(s, "rab_rdb") == 0 || strcmp(s, "rabenseifner") == 0)
        *alg = SW_SMPI_RAB_RDB;
    else if (strcmp(s, "lr") == 0 || strcmp(s, "ring") == 0)
        *alg = SW_SMPI_RING;
    else
        return sw_error_set(err, SW_EINVAL,
                            "unknown allreduce algorithm '%s' (rdb, rabenseifner, ring)", s);
    return SW_OK;
}

/* Host message rate of SMPI against p, measured on this kind of machine
 * (simgrid.md 2a): ~250k/s at 256 ranks, 40k/s at 1024, 28k/s at 4096;
 * small p is start-up bound, taken as 250k/s.  Log-log interpolation. */
static double message_rate(double p)
{
    static const double ps[] = {256, 1024, 4096};
    static const double rs[] = {250e3, 40e3, 28e3};
    if (p <= ps[0])
        return rs[0];
    for (int i = 0; i < 2; i++)
        if (p <= ps[i + 1]) {
            double t = (log(p) - log(ps[i])) / (log(ps[i + 1]) - log(ps[i]));
            return exp(log(rs[i]) + t * (log(rs[i + 1]) - log(rs[i])));
        }
    /* Beyond 4096: keep the last slope. */
    double slope = (log(rs[2]) - log(rs[1])) / (log(ps[2]) - log(ps[1]));
    return exp(log(rs[2]) + slope * (log(p) - log(ps[2])));
}

/* Fitted to peak RSS (ru_maxrss) of mlp and cg under SMPI 3.32 at 1-1024
 * ranks, 4 kB-4 MB messages, 3-201 layers (docs/virtual.md, "Memory"). */
double sw_smpi_host_bytes(int p, double message_bytes, sw_smpi_alg alg, int in_place,
                          double app_bytes_per_rank)
{
    if (!in_place)
        return 35e6 + p * (55e3 + 2.5 * message_bytes + app_bytes_per_rank);
    double temps = alg == SW_SMPI_RDB ? 2.0 : alg == SW_SMPI_RAB_RDB ? 1.5 : 1.0 + 2.0 / p;
    /* 100 kB rather than 55: messages below 64 KiB are sent detached (copied),
     * which the per-layer allreduces of small layers keep in flight. */
    return 35e6 + p * (100e3 + temps * message_bytes + app_bytes_per_rank);
}

sw_status sw_smpi_estimate_run(int p, double bytes, sw_smpi_alg alg, double collectives,
                               double small_collectives, int in_place, double app_bytes_per_rank,
                               sw_smpi_estimate *out, sw_error *err)
{
    if (p < 1)
        return sw_error_set(err, SW_EINVAL, "rank count %d is below 1", p);
    if (!(bytes >= 0) || !(collectives >= 0) || !(small_collectives >= 0) ||
        !(app_bytes_per_rank >= 0))
        return sw_error_set(err, SW_EINVAL, "message size, count and memory must be >= 0");
    double lg = p > 1 ? ceil(log2(p)) : 0;
    double per = alg == SW_SMPI_RDB ? p * lg : alg == SW_SMPI_RAB_RDB ? 2 * p * lg
                                                                        : 2.0 * p * (p - 1);
    /* The small ones (the harness's barriers, maxima, agreements) cost
     * messages and no copying. */
    out->messages = per * (collectives + small_collectives);
    /* Start-up: ~10 s at 4096 ranks, ~1.4 s at 1024 (privatisation, contexts). */
    double startup = 0.05 + 2.4e-3 * p;
    /* Copying: SMPI really moves and sums the bytes, ~10 GB/s of host work on
     * top of the per-message overhead (fits the 1 MiB rab_rdb column).  In
     * place on shared buffers (mlp) it costs ~2 ns a byte instead, plus ~10 ns
     * a byte once per rank, and keeps ~8 rather than 2.5 message sizes of
     * temporaries a rank: fitted to mlp at 64 KiB-1 MiB and 64-1024 ranks,
     * within 1.5x from 256 ranks up (docs/virtual.md). */
    double copy = in_place ? collectives * 2.0 * p * bytes * 2e-9 + p * bytes * 1e-8
                           : collectives * 2.0 * p * bytes * 1e-10;
    out->host_seconds = startup + out->messages / message_rate(p) + copy;
    out->host_bytes = sw_smpi_host_bytes(p, bytes, alg, in_place, app_bytes_per_rank);
    return SW_OK;
}

sw_status sw_smpi_check_budget(const sw_smpi_estimate *e, int p, double mem_budget_bytes,
                               double time_budget_s, sw_error *err)
{
    return sw_smpi_check_sweep(e, &p, 1, mem_budget_bytes, time_budget_s, NULL, err);
}

sw_status sw_smpi_check_sweep(const sw_smpi_estimate *runs, const int *ranks, size_t n,
                              double mem_budget_bytes, double time_budget_s,
                              sw_smpi_estimate *total, sw_error *err)
{
    sw_smpi_estimate sum = {0, 0, 0};
    size_t big = 0, slow = 0;
    for (size_t i = 0; i < n; i++) {
        sum.messages += runs[i].messages;
        sum.host_seconds += runs[i].host_seconds;
        sum.host_bytes = fmax(sum.host_bytes, runs[i].host_bytes);
        if (runs[i].host_bytes > runs[big].host_bytes)
            big = i;
        if (runs[i].host_seconds > runs[slow].host_seconds)
            slow = i;
    }
    if (total)
        *total = sum;
    if (n == 0)
        return SW_OK;
    if (runs[big].host_bytes > mem_budget_bytes)
        return sw_error_set(err, SW_ENOMEM,
                            "a %d-rank simulation needs about %.3g GB of host memory, more than "
                            "the %.3g GB allowed: use fewer ranks or smaller messages, or "
                            "raise --sim-mem",
                            ranks[big], runs[big].host_bytes / 1e9, mem_budget_bytes / 1e9);
    if (!(sum.host_seconds > time_budget_s))
        return SW_OK;
    /* The rank count quoted is the one whose own time is quoted: the sweep's
     * total is said as such, never as that run's. */
    char whole[128] = "";
    if (n > 1)
        snprintf(whole, sizeof whole, "; the sweep's %zu runs together about %.0f s", n,
                 sum.host_seconds);
    double t = runs[slow].host_seconds;
    return sw_error_set(err, SW_EINVAL,
                        "a %d-rank simulation would take about %.*f s of host time "
                        "(%.3g simulated messages)%s, over the %.0f s budget: use fewer ranks, "
                        "a latency-optimal algorithm, or raise --sim-budget",
                        ranks[slow], t < 10 ? 1 : 0, t, runs[slow].messages, whole,
                        time_budget_s);
}

static const struct {
    const char *pre;
    double mul;
} si_prefixes[] = {{"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"", 1},
                   {"k", 1e3},   {"M", 1e6},  {"G", 1e9},  {"T", 1e12}, {"P", 1e15},
                   {"E", 1e18}};

static int parse_suffix(const char *suf, const char *unit, double *mul)
{
    int bits = strcmp(unit, "Bps") == 0;
    for (size_t i = 0; i < sizeof si_prefixes / sizeof si_prefixes[0]; i++) {
        size_t lp = strlen(si_prefixes[i].pre);
        if (strncmp(suf, si_prefixes[i].pre, lp) != 0)
            continue;
        /* Sub-unit prefixes make sense for times only. */
        if (si_prefixes[i].mul < 1 && strcmp(unit, "s") != 0)
            continue;
        const char *u = suf + lp;
        if (strcmp(u, unit) == 0) {
            *mul = si_prefixes[i].mul;
            return 0;
        }
        if (bits && strcmp(u, "bps") == 0) {
            *mul = si_prefixes[i].mul / 8;
            return 0;
        }
    }
    return -1;
}

sw_status sw_smpi_parse_quantity(const char *s, const char *unit, double *out, sw_error *err)
{
    char *end;
    double v = strtod(s, &end);
    double mul = 1;
    if (end == s || !isfinite(v) || (*end && parse_suffix(end, unit, &mul)))
        return sw_error_set(err, SW_EINVAL, "'%s' is not a quantity in %s (e.g. 1%s%s)", s, unit,
                            strcmp(unit, "s") == 0 ? "u" : "G", unit);
    *out = v * mul;
    return SW_OK;
}

typedef struct spec_vals {
    double lat, bw, speed;
    long hosts, leaf, up;
} spec_vals;

static sw_status spec_item(const char *key, const char *val, spec_vals *v, int fattree,
                           sw_error *err)
{
    char *end;
    if (strcmp(key, "lat") == 0)
        return sw_smpi_parse_quantity(val, "s", &v->lat, err);
    if (strcmp(key, "bw") == 0)
        return sw_smpi_parse_quantity(val, "Bps", &v->bw, err);
    if (strcmp(key, "speed") == 0)
        return sw_smpi_parse_quantity(val, "f", &v->speed, err);
    long *dst = strcmp(key, "hosts") == 0                 ? &v->hosts
                : fattree && strcmp(key, "leaf") == 0 ? &v->leaf
                : fattree && strcmp(key, "up") == 0   ? &v->up
                                                      : NULL;
    if (!dst)
        return sw_error_set(err, SW_EINVAL, "platform: unknown key '%s' (lat, bw, speed, hosts%s)",
                            key, fattree ? ", leaf, up" : "");
    *dst = strtol(val, &end, 10);
    if (*end || end == val || *dst < 1 || *dst > 1 << 20)
        return sw_error_set(err, SW_EINVAL, "platform: %s=%s is not a whole number >= 1", key,
                            val);
    return SW_OK;
}

static sw_status spec_items(const char *items, spec_vals *v, int fattree, sw_error *err)
{
    char buf[512];
    if (strlen(items) >= sizeof buf)
        return sw_error_set(err, SW_EINVAL, "platform: spec too long");
    strcpy(buf, items);
    char *save = NULL;
    for (char *it = strtok_r(buf, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(it, '=');
        if (!eq)
            return sw_error_set(err, SW_EINVAL, "platform: '%s' is not key=value", it);
        *eq = '\0';
        sw_status st = spec_item(it, eq + 1, v, fattree, err);
        if (st)
            return st;
    }
    return SW_OK;
}

sw_status sw_smpi_platform_parse(const char *spec, int ranks, sw_smpi_platform *p,
                                 sw_error *err)
{
    int fattree;
    const char *rest;
    if (strncmp(spec, "flat", 4) == 0 && (spec[4] == '\0' || spec[4] == ':'))
        fattree = 0, rest = spec + 4;
    else if (strncmp(spec, "fattree", 7) == 0 && (spec[7] == '\0' || spec[7] == ':'))
        fattree = 1, rest = spec + 7;
    else
        return sw_error_set(err, SW_EINVAL,
                            "platform '%s': not flat[:...], fattree[:...], a profile or an "
                            "XML file", spec);
    if (ranks < 1)
        return sw_error_set(err, SW_EINVAL, "platform: rank count %d is below 1", ranks);
    spec_vals v = {2e-6, 1e10, 0, ranks, 8, 0};
    sw_status st = *rest ? spec_items(rest + 1, &v, fattree, err) : SW_OK;
    if (st)
        return st;
    if (fattree) {
        if (v.up == 0)
            v.up = v.leaf;
        v.hosts = (v.hosts + v.leaf - 1) / v.leaf * v.leaf;
    }
    st = sw_smpi_platform_flat(p, spec, (int)v.hosts, 1, v.speed > 0 ? v.speed : 1, v.lat, v.bw,
                               err);
    if (st)
        return st;
    if (!(v.speed > 0))
        p->host_speed = 0;
    if (fattree) {
        p->topology = SW_SMPI_FATTREE;
        p->fattree_leaf = (int)v.leaf;
        p->fattree_up = (int)v.up;
    }
    return SW_OK;
}

sw_status sw_smpi_platform_from_profile(const sw_platform *pl, int ranks, double speed,
                                        sw_smpi_platform *p, sw_error *err)
{
    const sw_link *l = pl->units_per_node >= ranks ? &pl->intra : &pl->inter;
    if (!(l->beta > 0))
        return sw_error_set(err, SW_EINVAL, "platform %s: link beta %g is not positive",
                            pl->name, l->beta);
    return sw_smpi_platform_flat(p, pl->name, ranks, 1, speed > 0 ? speed : pl->flops_fp32,
                                 l->alpha, 1 / l->beta, err);
}
