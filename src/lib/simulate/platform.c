/* platform.c — built-in platform profiles, platform files, and calibration
 * of "this machine" from `scalewall measure comm` (scalewall-hockney).
 *
 * The built-in numbers are typical published figures with a stated
 * derating (sustained = 50% of peak FLOP/s, 80% of peak memory bandwidth,
 * ~90% of link rate); docs/simulate.md lists each figure and its source so
 * a user can replace them with a platform file of their own. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/platform.h"

const char *const sw_platform_names[] = {"local", "100gbe", "hdr", "ndr", "nvlink", NULL};

typedef struct builtin {
    const char *name, *unit;
    double fp32, half, mem, upn;
    double a_in, bw_in, a_out, bw_out; /* bandwidths in bytes/s per unit */
} builtin;

/* A100 SXM: 19.5 TF fp32, 312 TF fp16/bf16 dense, 2.0 TB/s HBM2e.
 * H100 SXM: 67 TF fp32, 989 TF fp16/bf16 dense, 3.35 TB/s HBM3.
 * NVLink3 300 GB/s and NVLink4 450 GB/s per direction per GPU, NCCL bus
 * bandwidth ~80% of that.  NICs: 100 GbE one per 8-GPU node; HDR 200 Gb/s
 * and NDR 400 Gb/s one per GPU (DGX A100 / DGX H100). */
static const builtin builtins[] = {
    /* This machine: one unit per core, every unit on this host; compute and
     * memory figures are conservative guesses meant to be replaced by
     * --calibration and --unit-flops. */
    {"local", "core of this host", 5e10, 5e10, 1e10, 1e6, 0.5e-6, 5e9, 0.5e-6, 5e9},
    {"100gbe", "A100-class GPU", 9.75e12, 156e12, 1.6e12, 8, 3e-6, 240e9, 5e-6,
     0.9 * 12.5e9 / 8},
    {"hdr", "A100-class GPU", 9.75e12, 156e12, 1.6e12, 8, 3e-6, 240e9, 1.5e-6, 0.9 * 25e9},
    {"ndr", "H100-class GPU", 33.5e12, 495e12, 2.7e12, 8, 3e-6, 360e9, 1.5e-6, 0.9 * 50e9},
    /* NVLink Switch System: up to 256 H100 in one NVLink domain, NDR beyond. */
    {"nvlink", "H100-class GPU", 33.5e12, 495e12, 2.7e12, 256, 3e-6, 360e9, 1.5e-6,
     0.9 * 50e9},
};

sw_status sw_platform_builtin(const char *name, sw_platform *p, sw_error *err)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        const builtin *b = &builtins[i];
        if (strcmp(b->name, name) != 0)
            continue;
        memset(p, 0, sizeof *p);
        snprintf(p->name, sizeof p->name, "%s", b->name);
        snprintf(p->unit, sizeof p->unit, "%s", b->unit);
        p->flops_fp32 = b->fp32;
        p->flops_half = b->half;
        p->mem_bw = b->mem;
        p->units_per_node = b->upn;
        /* A reduction reads two operands and writes one: 3 bytes of memory
         * traffic per byte reduced. */
        double gamma = 3 / b->mem;
        p->intra = (sw_link){b->a_in, 1 / b->bw_in, gamma};
        p->inter = (sw_link){b->a_out, 1 / b->bw_out, gamma};
        return SW_OK;
    }
    return sw_error_set(err, SW_EINVAL,
                        "unknown platform '%s' (local, 100gbe, hdr, ndr, nvlink, or a .json file)",
                        name);
}

static int positive(double v)
{
    return isfinite(v) && v > 0;
}

static int nonneg(double v)
{
    return isfinite(v) && v >= 0;
}

sw_status sw_platform_validate(const sw_platform *p, sw_error *err)
{
    const char *n = p->name;
    if (!positive(p->flops_fp32) || !positive(p->flops_half))
        return sw_error_set(err, SW_EDOM, "platform %s: FLOP/s %g / %g must be > 0", n,
                            p->flops_fp32, p->flops_half);
    if (!positive(p->mem_bw))
        return sw_error_set(err, SW_EDOM, "platform %s: memory bandwidth %g must be > 0", n,
                            p->mem_bw);
    if (!(p->units_per_node >= 1) || !isfinite(p->units_per_node))
        return sw_error_set(err, SW_EDOM, "platform %s: units per node %g must be >= 1", n,
                            p->units_per_node);
    const sw_link *ls[2] = {&p->intra, &p->inter};
    const char *ln[2] = {"intra-node", "inter-node"};
    for (int i = 0; i < 2; i++) {
        if (!positive(ls[i]->beta))
            return sw_error_set(err, SW_EDOM,
                                "platform %s: %s bandwidth must be > 0 (beta %g s/byte)", n, ln[i],
                                ls[i]->beta);
        if (!nonneg(ls[i]->alpha) || !nonneg(ls[i]->gamma))
            return sw_error_set(err, SW_EDOM, "platform %s: %s alpha %g and gamma %g must be >= 0",
                                n, ln[i], ls[i]->alpha, ls[i]->gamma);
    }
    return SW_OK;
}

double sw_platform_flops(const sw_platform *p, double bytes_per_elem)
{
    return bytes_per_elem < 4 ? p->flops_half : p->flops_fp32;
}

/* A required positive or optional number; `what` names it in messages. */
static sw_status get_num(json_t *obj, const char *key, int required, double *out,
                         const char *name, const char *what, sw_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return sw_error_set(err, SW_EPARSE, "%s: %s\"%s\" is missing", name, what, key);
        *out = NAN;
        return SW_OK;
    }
    if (!json_is_number(v))
        return sw_error_set(err, SW_EPARSE, "%s: %s\"%s\" is not a number", name, what, key);
    *out = json_number_value(v);
    return SW_OK;
}

static sw_status json_link(json_t *root, const char *key, double gamma, sw_link *l,
                           const char *name, sw_error *err)
{
    json_t *o = json_object_get(root, key);
    char what[32];
    snprintf(what, sizeof what, "%s: ", key);
    if (!json_is_object(o))
        return sw_error_set(err, SW_EPARSE, "%s: \"%s\" must be an object with alpha_s and "
                            "beta_s_per_byte or bandwidth_bytes_per_s", name, key);
    double a = NAN, b = NAN, bw = NAN;
    sw_status st = get_num(o, "alpha_s", 1, &a, name, what, err);
    if (!st)
        st = get_num(o, "beta_s_per_byte", 0, &b, name, what, err);
    if (!st)
        st = get_num(o, "bandwidth_bytes_per_s", 0, &bw, name, what, err);
    if (st)
        return st;
    if (isnan(b) == isnan(bw))
        return sw_error_set(err, SW_EPARSE,
                            "%s: %s: give exactly one of beta_s_per_byte, bandwidth_bytes_per_s",
                            name, key);
    if (!isnan(bw) && !(bw > 0))
        return sw_error_set(err, SW_EDOM, "%s: %s: bandwidth %g must be > 0", name, key, bw);
    *l = (sw_link){a, isnan(b) ? 1 / bw : b, gamma};
    return SW_OK;
}

static sw_status load_root(const char *name, const char *buf, size_t len, const char *format,
                           json_t **root, sw_error *err)
{
    json_error_t je;
    *root = json_loadb(buf, len, 0, &je);
    if (!*root)
        return sw_error_set(err, SW_EPARSE, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    const char *f = json_string_value(json_object_get(*root, "format"));
    json_t *ver = json_object_get(*root, "version");
    sw_status st = SW_OK;
    if (!f || strcmp(f, format) != 0)
        st = sw_error_set(err, SW_EPARSE, "%s: \"format\" is not \"%s\"", name, format);
    else if (!json_is_integer(ver))
        st = sw_error_set(err, SW_EPARSE, "%s: \"version\" is missing", name);
    else if (json_integer_value(ver) != 1)
        st = sw_error_set(err, SW_EUNSUP, "%s: version %lld is newer than this scalewall reads",
                          name, (long long)json_integer_value(ver));
    if (st) {
        json_decref(*root);
        *root = NULL;
    }
    return st;
}

sw_status sw_platform_read_json(const char *name, const char *buf, size_t len, sw_platform *p,
                                sw_error *err)
{
    json_t *root;
    sw_status st = load_root(name, buf, len, "scalewall-platform", &root, err);
    if (st)
        return st;
    memset(p, 0, sizeof *p);
    const char *pn = json_string_value(json_object_get(root, "name"));
    snprintf(p->name, sizeof p->name, "%s", pn ? pn : name);
    const char *un = json_string_value(json_object_get(root, "unit"));
    snprintf(p->unit, sizeof p->unit, "%s", un ? un : "unit");
    double gamma = NAN;
    if ((st = get_num(root, "flops_fp32", 1, &p->flops_fp32, name, "", err)) ||
        (st = get_num(root, "flops_half", 0, &p->flops_half, name, "", err)) ||
        (st = get_num(root, "mem_bw", 1, &p->mem_bw, name, "", err)) ||
        (st = get_num(root, "units_per_node", 1, &p->units_per_node, name, "", err)) ||
        (st = get_num(root, "gamma", 0, &gamma, name, "", err)))
        goto done;
    if (isnan(p->flops_half))
        p->flops_half = p->flops_fp32;
    if (isnan(gamma))
        gamma = 3 / p->mem_bw;
    if ((st = json_link(root, "intra", gamma, &p->intra, name, err)) ||
        (st = json_link(root, "inter", gamma, &p->inter, name, err)))
        goto done;
    if ((st = sw_platform_validate(p, err)))
        sw_error_prefix(err, "%s", name);
done:
    json_decref(root);
    return st;
}

sw_status sw_platform_from_spec(const char *spec, sw_platform *p, sw_error *err)
{
    if (!strchr(spec, '/') && !strstr(spec, ".json"))
        return sw_platform_builtin(spec, p, err);
    char *buf;
    size_t len;
    sw_status st = sw_read_file(spec, &buf, &len, err);
    if (st)
        return st;
    st = sw_platform_read_json(spec, buf, len, p, err);
    free(buf);
    return st;
}

/* Coefficients of alpha, beta, gamma in alg's allreduce time at p ranks. */
static sw_status ar_coeffs(sw_coll_alg alg, double p, double c[3], sw_error *err)
{
    static const sw_link unit[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int i = 0; i < 3; i++) {
        sw_status st = sw_coll_time(SW_COLL_ALLREDUCE, alg, p, 1, &unit[i], &c[i], err);
        if (st)
            return st;
    }
    return SW_OK;
}

static sw_status hockney_op(json_t *ops, const char *op, double *alpha, double *beta,
                            const char *name, sw_error *err)
{
    *alpha = *beta = NAN;
    json_t *o = json_object_get(ops, op);
    if (!o)
        return SW_OK;
    char what[40];
    snprintf(what, sizeof what, "ops.%s: ", op);
    if (!json_is_object(o))
        return sw_error_set(err, SW_EPARSE, "%s: ops.%s is not an object", name, op);
    sw_status st = get_num(o, "alpha_s", 1, alpha, name, what, err);
    if (!st && strcmp(op, "barrier") != 0)
        st = get_num(o, "beta_s_per_byte", 1, beta, name, what, err);
    if (!st && (!nonneg(*alpha) || (!isnan(*beta) && !nonneg(*beta))))
        st = sw_error_set(err, SW_EDOM, "%s: ops.%s: alpha %g and beta %g must be >= 0", name, op,
                          *alpha, *beta);
    return st;
}

sw_status sw_platform_calibrate(sw_platform *p, const char *name, const char *buf, size_t len,
                                sw_coll_alg alg, sw_error *err)
{
    json_t *root;
    sw_status st = load_root(name, buf, len, "scalewall-hockney", &root, err);
    if (st)
        return st;
    json_t *ops = json_object_get(root, "ops"), *jr = json_object_get(root, "ranks");
    double pa = NAN, pb = NAN, aa = NAN, ab = NAN, ba = NAN, unused = NAN;
    double ranks = json_is_integer(jr) ? (double)json_integer_value(jr) : 0;
    if (!json_is_object(ops)) {
        st = sw_error_set(err, SW_EPARSE, "%s: \"ops\" must be an object", name);
        goto done;
    }
    if ((st = hockney_op(ops, "pingpong", &pa, &pb, name, err)) ||
        (st = hockney_op(ops, "allreduce", &aa, &ab, name, err)) ||
        (st = hockney_op(ops, "barrier", &ba, &unused, name, err)))
        goto done;
    if (isnan(pa)) {
        st = sw_error_set(err, SW_EPARSE, "%s: ops.pingpong is missing", name);
        goto done;
    }
    if (!(pb > 0)) {
        st = sw_error_set(err, SW_EDOM, "%s: ops.pingpong: beta %g gives zero bandwidth", name, pb);
        goto done;
    }
    p->intra.alpha = pa;
    p->intra.beta = pb;
    const char *how = "pingpong";
    if ((!isnan(aa) || !isnan(ba)) && ranks < 2) {
        st = sw_error_set(err, SW_EPARSE, "%s: \"ranks\" must be a whole number >= 2", name);
        goto done;
    }
    if (!isnan(aa)) {
        double c[3];
        if ((st = ar_coeffs(alg, ranks, c, err)))
            goto done;
        p->intra.alpha = aa / c[0];
        double g = (ab - c[1] * pb) / c[2];
        p->intra.gamma = g > 0 ? g : 0;
        how = "pingpong+allreduce";
    } else if (!isnan(ba)) {
        double rounds = ceil(log2(ranks));
        p->intra.alpha = ba / rounds;
        how = "pingpong+barrier";
    }
    /* The measurement saw one host: it calibrates the intra link; a profile
     * that keeps every unit on the host (local) mirrors it between nodes. */
    if (p->units_per_node >= 1e6)
        p->inter = p->intra;
    const char *host = json_string_value(json_object_get(root, "host"));
    snprintf(p->calibration, sizeof p->calibration, "%s (%s, %g ranks, host %s)", name, how,
             ranks, host ? host : "?");
done:
    json_decref(root);
    return st;
}

sw_status sw_platform_calibrate_file(sw_platform *p, const char *path, sw_coll_alg alg,
                                     sw_error *err)
{
    char *buf;
    size_t len;
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = sw_platform_calibrate(p, path, buf, len, alg, err);
    free(buf);
    return st;
}
