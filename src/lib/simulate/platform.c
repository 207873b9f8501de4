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

#include "scalewall/accel.h"
#include "scalewall/io.h"
#include "scalewall/platform.h"
#include "scalewall/text.h"

const char *const sw_platform_names[] = {"local", "100gbe", "hdr", "ndr", "nvlink", "b200", NULL};

typedef struct builtin {
    const char *name, *unit;
    double fp32, half, mem, upn;
    double a_in, bw_in, a_out, bw_out; /* bandwidths in bytes/s per unit */
    const char *accel;                 /* peaks and capacity from accel.c; NULL: none */
} builtin;

/* GPU collectives: a fixed cost per call (kernel launch and NCCL's
 * set-up; nccl-tests' smallest all_reduce inside one DGX takes ~10-20 us
 * end to end) and the SMs they occupy while overlapping compute (NCCL
 * runs one thread block per channel, typically 8-32 channels on 108-132
 * SMs): docs/simulate.md. */
#define GPU_LAUNCH 10e-6
#define GPU_CONTENTION 0.1
/* GPU compute kernels: the time a near-empty kernel takes when kernels
 * are launched back to back in one stream (3.8 us in NVIDIA's "Getting
 * Started with CUDA Graphs", 2019; 3.4 us inside a graph): launch gap,
 * ramp-up and tail, paid by every kernel whatever its work. */
#define GPU_KERNEL 4e-6

/* A100 SXM: 19.5 TF fp32, 312 TF fp16/bf16 dense, 2.0 TB/s HBM2e.
 * H100 SXM: 67 TF fp32, 989 TF fp16/bf16 dense, 3.35 TB/s HBM3.
 * NVLink3 300 GB/s and NVLink4 450 GB/s per direction per GPU, NCCL bus
 * bandwidth ~80% of that.  NICs: 100 GbE one per 8-GPU node; HDR 200 Gb/s
 * and NDR 400 Gb/s one per GPU (DGX A100 / DGX H100). */
static const builtin builtins[] = {
    /* This machine: one unit per core, every unit on this host; compute and
     * memory figures are conservative guesses meant to be replaced by
     * --calibration and --unit-flops. */
    {"local", "core of this host", 5e10, 5e10, 1e10, 1e6, 0.5e-6, 5e9, 0.5e-6, 5e9, NULL},
    {"100gbe", "A100-class GPU", 9.75e12, 156e12, 1.6e12, 8, 3e-6, 240e9, 5e-6,
     0.9 * 12.5e9 / 8, "a100-80gb"},
    {"hdr", "A100-class GPU", 9.75e12, 156e12, 1.6e12, 8, 3e-6, 240e9, 1.5e-6, 0.9 * 25e9,
     "a100-80gb"},
    {"ndr", "H100-class GPU", 33.5e12, 495e12, 2.7e12, 8, 3e-6, 360e9, 1.5e-6, 0.9 * 50e9,
     "h100"},
    /* NVLink Switch System: up to 256 H100 in one NVLink domain, NDR beyond. */
    {"nvlink", "H100-class GPU", 33.5e12, 495e12, 2.7e12, 256, 3e-6, 360e9, 1.5e-6,
     0.9 * 50e9, "h100"},
    /* DGX B200: NVLink 5 900 GB/s per direction (NCCL ~80%), one 400 Gb/s
     * NIC per GPU; rates derated from the datasheet like the others. */
    {"b200", "B200-class GPU", 0.5 * 75e12, 0.5 * 2250e12, 0.8 * 8e12, 8, 3e-6, 720e9, 1.5e-6,
     0.9 * 50e9, "b200"},
};

/* Peaks, capacity and the sustained rates the profile does not give. */
static void apply_accel(sw_platform *p, const sw_accel *a, int rates)
{
    snprintf(p->accel, sizeof p->accel, "%s", a->name);
    p->peak_fp32 = a->fp32;
    p->peak_tf32 = a->tf32;
    p->peak_half = a->half;
    p->peak_fp8 = a->fp8;
    p->mem_bytes = a->mem_bytes;
    /* The state streams at the unit's own sustained bandwidth: the
     * derated datasheet's, or the profile's (below). */
    p->state_bw = rates ? SW_DERATE_MEM * a->mem_bw : p->mem_bw;
    p->sms = a->sms;
    p->flops_tf32 = SW_DERATE_FLOPS * a->tf32;
    p->flops_fp8 = SW_DERATE_FLOPS * a->fp8;
    if (rates) {
        p->flops_fp32 = SW_DERATE_FLOPS * a->fp32;
        p->flops_half = SW_DERATE_FLOPS * a->half;
        p->mem_bw = SW_DERATE_MEM * a->mem_bw;
    }
}

sw_status sw_platform_set_accel(sw_platform *p, const char *name, sw_error *err)
{
    const sw_accel *a = sw_accel_find(name);
    if (!a) {
        char list[256] = "";
        for (const sw_accel *k = sw_accels; k->name; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     k == sw_accels ? "" : ", ", k->name);
        return sw_error_set(err, SW_EINVAL, "unknown accelerator '%s' (%s)", name, list);
    }
    apply_accel(p, a, 1);
    snprintf(p->unit, sizeof p->unit, "%s", a->label);
    /* The reduction rate follows the memory. */
    p->intra.gamma = p->inter.gamma = 3 / p->mem_bw;
    return SW_OK;
}

void sw_platform_scale(sw_platform *p, double k)
{
    p->flops_fp32 *= k;
    p->flops_half *= k;
    p->flops_tf32 *= k;
    p->flops_fp8 *= k;
    p->mem_bw *= k;
}

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
        if (b->accel) {
            apply_accel(p, sw_accel_find(b->accel), 0);
            p->launch_s = GPU_LAUNCH;
            p->kernel_s = GPU_KERNEL;
            p->contention = GPU_CONTENTION;
        }
        return SW_OK;
    }
    return sw_error_set(err, SW_EINVAL,
                        "unknown platform '%s' (local, 100gbe, hdr, ndr, nvlink, b200, or a .json "
                        "file)",
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
    const double opt[] = {p->flops_tf32, p->flops_fp8, p->peak_fp32, p->peak_tf32,
                          p->peak_half,  p->peak_fp8,  p->mem_bytes, p->launch_s,
                          p->kernel_s,   p->contention, p->state_bw, p->sms};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (!nonneg(opt[i]))
            return sw_error_set(err, SW_EDOM,
                                "platform %s: memory, peaks, launch, kernel, contention, "
                                "state_bw and sms must be finite and >= 0 (got %g)",
                                n, opt[i]);
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
    if (!nonneg(p->leaf_units) || (p->leaf_units > 0 && p->leaf_units < p->units_per_node))
        return sw_error_set(err, SW_EDOM,
                            "platform %s: leaf_units %g must be >= units_per_node (%g)", n,
                            p->leaf_units, p->units_per_node);
    if (!nonneg(p->taper) || (p->taper > 0 && p->taper < 1))
        return sw_error_set(err, SW_EDOM, "platform %s: taper %g must be >= 1", n, p->taper);
    if (!nonneg(p->spine_alpha))
        return sw_error_set(err, SW_EDOM, "platform %s: spine_alpha_s %g must be >= 0", n,
                            p->spine_alpha);
    return SW_OK;
}

double sw_platform_flops(const sw_platform *p, double bytes_per_elem)
{
    return bytes_per_elem < 4 ? p->flops_half : p->flops_fp32;
}

static sw_precision resolve(sw_precision prec, double bpe)
{
    return prec != SW_PREC_AUTO ? prec : bpe < 4 ? SW_PREC_HALF : SW_PREC_FP32;
}

double sw_platform_rate(const sw_platform *p, sw_precision prec, double bpe)
{
    switch (resolve(prec, bpe)) {
    case SW_PREC_TF32: return p->flops_tf32;
    case SW_PREC_HALF: return p->flops_half;
    case SW_PREC_FP8: return p->flops_fp8;
    default: return p->flops_fp32;
    }
}

double sw_platform_state_bw(const sw_platform *p)
{
    return p->state_bw > 0 ? p->state_bw : p->mem_bw;
}

double sw_platform_peak(const sw_platform *p, sw_precision prec, double bpe)
{
    switch (resolve(prec, bpe)) {
    case SW_PREC_TF32: return p->peak_tf32;
    case SW_PREC_HALF: return p->peak_half;
    case SW_PREC_FP8: return p->peak_fp8;
    default: return p->peak_fp32;
    }
}

const char *sw_precision_name(sw_precision prec, double bpe)
{
    static const char *const names[] = {"auto", "fp32", "tf32", "bf16", "fp8"};
    return names[resolve(prec, bpe)];
}

/* A required positive or optional number; `what` names it in messages. */
/* An optional string field that must be one of `known` (NULL-terminated):
 * copied into out, left alone when absent. */
static sw_status get_choice(json_t *obj, const char *key, const char *const *known, char *out,
                            size_t size, const char *name, const char *list, sw_error *err)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return SW_OK;
    const char *v = json_string_value(j);
    size_t k = 0;
    while (v && known[k] && strcmp(v, known[k]) != 0)
        k++;
    if (!v || !known[k])
        return sw_error_set(err, SW_EPARSE, "%s: %s must be %s", name, key, list);
    snprintf(out, size, "%s", v);
    return SW_OK;
}

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
    double a = NAN, b = NAN, bw = NAN, g = NAN;
    sw_status st = get_num(o, "alpha_s", 1, &a, name, what, err);
    if (!st)
        st = get_num(o, "gamma_s_per_byte", 0, &g, name, what, err);
    if (!isnan(g))
        gamma = g;
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
    *root = NULL;
    sw_status wrong = sw_json_expect(name, buf, len, format,
                                     strcmp(format, "scalewall-platform") == 0
                                         ? "a platform description (scalewall-platform)"
                                         : "a network calibration (scalewall-hockney, from "
                                           "'measure comm --hockney')",
                                     err);
    if (wrong)
        return wrong;
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
    json_t *ja = json_object_get(root, "accelerator");
    const sw_accel *acc = NULL;
    if (ja) {
        if (!json_is_string(ja) || !(acc = sw_accel_find(json_string_value(ja)))) {
            st = sw_error_set(err, SW_EPARSE, "%s: \"accelerator\" is not one of a100-40gb, "
                              "a100-80gb, h100, b200", name);
            goto done;
        }
        apply_accel(p, acc, 1);
        if (!un)
            snprintf(p->unit, sizeof p->unit, "%s", acc->label);
    }
    double fp32 = NAN, mem = NAN;
    if ((st = get_num(root, "flops_fp32", !acc, &fp32, name, "", err)) ||
        (st = get_num(root, "flops_half", 0, &p->flops_half, name, "", err)) ||
        (st = get_num(root, "mem_bw", !acc, &mem, name, "", err)) ||
        (st = get_num(root, "units_per_node", 1, &p->units_per_node, name, "", err)) ||
        (st = get_num(root, "gamma", 0, &gamma, name, "", err)))
        goto done;
    if (!isnan(fp32))
        p->flops_fp32 = fp32;
    if (!isnan(mem)) { /* the accelerator's bandwidth as given is the state's too */
        p->mem_bw = mem;
        p->state_bw = acc ? mem : 0;
    }
    if (isnan(p->flops_half))
        p->flops_half = acc ? SW_DERATE_FLOPS * acc->half : p->flops_fp32;
    const struct {
        const char *key;
        double *v;
    } opt[] = {{"flops_tf32", &p->flops_tf32},      {"flops_fp8", &p->flops_fp8},
               {"peak_flops_fp32", &p->peak_fp32}, {"peak_flops_tf32", &p->peak_tf32},
               {"peak_flops_half", &p->peak_half}, {"peak_flops_fp8", &p->peak_fp8},
               {"memory_bytes", &p->mem_bytes},    {"launch_s", &p->launch_s},
               {"kernel_s", &p->kernel_s},         {"contention", &p->contention},
               {"state_bw", &p->state_bw},         {"sms", &p->sms}};
    for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++) {
        double v = NAN;
        if ((st = get_num(root, opt[k].key, 0, &v, name, "", err)))
            goto done;
        if (!isnan(v))
            *opt[k].v = v;
    }
    if (isnan(gamma))
        gamma = 3 / p->mem_bw;
    const char *cal = json_string_value(json_object_get(root, "calibration"));
    if (cal)
        snprintf(p->calibration, sizeof p->calibration, "%s", cal);
    if ((st = json_link(root, "intra", gamma, &p->intra, name, err)) ||
        (st = json_link(root, "inter", gamma, &p->inter, name, err)))
        goto done;
    /* the optional topology: absent fields stay 0 ("not given") */
    double leaf = NAN, taper = NAN, spine = NAN;
    if ((st = get_num(root, "leaf_units", 0, &leaf, name, "", err)) ||
        (st = get_num(root, "taper", 0, &taper, name, "", err)) ||
        (st = get_num(root, "spine_alpha_s", 0, &spine, name, "", err)))
        goto done;
    p->leaf_units = isnan(leaf) ? 0 : leaf;
    p->taper = isnan(taper) ? 0 : taper;
    p->spine_alpha = isnan(spine) ? 0 : spine;
    static const char *const a2a[] = {"ompi", "mpich", "pair", "ring", "bruck", "linear", NULL};
    static const char *const ar[] = {"rdb", "rab_rdb", "redbcast", "mpich", "ompi", NULL};
    if ((st = get_choice(root, "mpi_alltoall", a2a, p->mpi_alltoall, sizeof p->mpi_alltoall, name,
                         "ompi, mpich, pair, ring, bruck or linear", err)) ||
        (st = get_choice(root, "mpi_allreduce", ar, p->mpi_allreduce, sizeof p->mpi_allreduce,
                         name, "rdb, rab_rdb, redbcast, mpich or ompi", err)))
        goto done;
    json_t *net = json_object_get(root, "smpi_network");
    if (net) {
        const char *v = json_string_value(net);
        if (!v || (strcmp(v, "default") != 0 && strcmp(v, "clean") != 0)) {
            st = sw_error_set(err, SW_EPARSE, "%s: smpi_network must be default or clean", name);
            goto done;
        }
        p->smpi_factors = strcmp(v, "default") == 0;
    }
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

/* One level's link from its ops (an object "ops" and the allreduce's
 * "ranks"): the rules of platform.h.  `where` prefixes messages ("levels.
 * inter: "); *how names the ops used. */
static sw_status link_from_ops(json_t *ops, double ranks, sw_coll_alg alg, sw_link *l,
                               const char **how, const char *name, const char *where,
                               sw_error *err)
{
    double pa = NAN, pb = NAN, aa = NAN, ab = NAN, ba = NAN, unused = NAN;
    sw_status st;
    if (!json_is_object(ops))
        return sw_error_set(err, SW_EPARSE, "%s: %s\"ops\" must be an object", name, where);
    if ((st = hockney_op(ops, "pingpong", &pa, &pb, name, err)) ||
        (st = hockney_op(ops, "allreduce", &aa, &ab, name, err)) ||
        (st = hockney_op(ops, "barrier", &ba, &unused, name, err)))
        return st;
    if (isnan(pa))
        return sw_error_set(err, SW_EPARSE, "%s: %sops.pingpong is missing", name, where);
    if (!(pb > 0))
        return sw_error_set(err, SW_EDOM, "%s: %sops.pingpong: beta %g gives zero bandwidth",
                            name, where, pb);
    l->alpha = pa;
    l->beta = pb;
    *how = "pingpong";
    if ((!isnan(aa) || !isnan(ba)) && ranks < 2)
        return sw_error_set(err, SW_EPARSE, "%s: %s\"ranks\" must be a whole number >= 2", name,
                            where);
    if (!isnan(aa)) {
        double c[3];
        if ((st = ar_coeffs(alg, ranks, c, err)))
            return st;
        l->alpha = aa / c[0];
        double g = (ab - c[1] * pb) / c[2];
        l->gamma = g > 0 ? g : 0;
        /* finite inputs can still overflow here (a beta of 1e308 over a
         * coefficient below 1): a link must stay finite */
        if (!isfinite(l->alpha) || !isfinite(l->gamma))
            return sw_error_set(err, SW_EDOM,
                                "%s: %sops.allreduce: alpha %g and beta %g give a link that is "
                                "not finite (alpha %g s, gamma %g s/byte)",
                                name, where, aa, ab, l->alpha, l->gamma);
        *how = "pingpong+allreduce";
    } else if (!isnan(ba)) {
        l->alpha = ba / ceil(log2(ranks));
        *how = "pingpong+barrier";
    }
    return SW_OK;
}

static double ranks_of(json_t *obj)
{
    json_t *jr = json_object_get(obj, "ranks");
    return json_is_integer(jr) ? (double)json_integer_value(jr) : 0;
}

/* "levels": {"intra": {"ranks": R, "ops": {...}}, "inter": {...}} — what
 * `measure comm` writes for a job across nodes: each level sets its link,
 * gamma included (what an allreduce at that level costs per byte beyond its
 * transfers: the reduction, and whatever the MPI's algorithm adds there). */
static sw_status calibrate_levels(sw_platform *p, json_t *levels, const char *name,
                                  sw_coll_alg alg, sw_error *err)
{
    static const char *const lv[2] = {"intra", "inter"};
    sw_link *dst[2] = {&p->intra, &p->inter};
    char done[2][40] = {"", ""};
    if (!json_is_object(levels))
        return sw_error_set(err, SW_EPARSE, "%s: \"levels\" must be an object", name);
    for (int i = 0; i < 2; i++) {
        json_t *o = json_object_get(levels, lv[i]);
        if (!o)
            continue;
        char where[32];
        snprintf(where, sizeof where, "levels.%s: ", lv[i]);
        sw_link l = *dst[i];
        const char *how;
        sw_status st = link_from_ops(json_object_get(o, "ops"), ranks_of(o), alg, &l, &how, name,
                                     where, err);
        if (st)
            return st;
        *dst[i] = l;
        snprintf(done[i], sizeof done[i], "%s %s", lv[i], how);
    }
    if (!done[0][0] && !done[1][0])
        return sw_error_set(err, SW_EPARSE, "%s: \"levels\" has neither intra nor inter", name);
    snprintf(p->calibration, sizeof p->calibration, "%s (%s%s%s%s)", name, done[0],
             done[0][0] && done[1][0] ? ", " : "", done[1],
             done[0][0] ? "" : "; intra-node link not measured");
    return SW_OK;
}

sw_status sw_platform_calibrate(sw_platform *p, const char *name, const char *buf, size_t len,
                                sw_coll_alg alg, sw_error *err)
{
    json_t *root;
    sw_status st = load_root(name, buf, len, "scalewall-hockney", &root, err);
    if (st)
        return st;
    json_t *levels = json_object_get(root, "levels");
    if (levels) {
        st = calibrate_levels(p, levels, name, alg, err);
        json_decref(root);
        return st;
    }
    double ranks = ranks_of(root);
    const char *how = "pingpong";
    sw_link l = p->intra;
    st = link_from_ops(json_object_get(root, "ops"), ranks, alg, &l, &how, name, "", err);
    if (st)
        goto done;
    p->intra = l;
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

sw_status sw_platform_write_json(const sw_platform *p, FILE *fp, sw_error *err)
{
    json_t *root = json_pack(
        "{s:s, s:i, s:o, s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, "
        "s:f, s:f, s:{s:f, s:f}, s:{s:f, s:f}}",
        "format", "scalewall-platform", "version", 1, "name", sw_json_str(p->name), "unit",
        sw_json_str(p->unit),
        "units_per_node", p->units_per_node, "flops_fp32", p->flops_fp32, "flops_half",
        p->flops_half, "flops_tf32", p->flops_tf32, "flops_fp8", p->flops_fp8, "mem_bw",
        p->mem_bw, "gamma", p->intra.gamma, "peak_flops_fp32", p->peak_fp32, "peak_flops_tf32",
        p->peak_tf32, "peak_flops_half", p->peak_half, "peak_flops_fp8", p->peak_fp8,
        "memory_bytes", p->mem_bytes, "launch_s", p->launch_s, "kernel_s", p->kernel_s,
        "contention", p->contention,
        "intra", "alpha_s", p->intra.alpha, "beta_s_per_byte", p->intra.beta, "inter", "alpha_s",
        p->inter.alpha, "beta_s_per_byte", p->inter.beta);
    if (root) { /* each link's own γ, when calibration made them differ */
        json_object_set_new(json_object_get(root, "intra"), "gamma_s_per_byte",
                            json_real(p->intra.gamma));
        json_object_set_new(json_object_get(root, "inter"), "gamma_s_per_byte",
                            json_real(p->inter.gamma));
    }
    if (root && p->calibration[0])
        json_object_set_new(root, "calibration", sw_json_str(p->calibration));
    if (root && p->state_bw > 0)
        json_object_set_new(root, "state_bw", json_real(p->state_bw));
    if (root && p->sms > 0)
        json_object_set_new(root, "sms", json_real(p->sms));
    /* the topology, when given (absent means one switch) */
    if (root && p->leaf_units > 0)
        json_object_set_new(root, "leaf_units", json_real(p->leaf_units));
    if (root && p->taper > 0)
        json_object_set_new(root, "taper", json_real(p->taper));
    if (root && p->spine_alpha > 0)
        json_object_set_new(root, "spine_alpha_s", json_real(p->spine_alpha));
    if (root && p->mpi_alltoall[0])
        json_object_set_new(root, "mpi_alltoall", json_string(p->mpi_alltoall));
    if (root && p->mpi_allreduce[0])
        json_object_set_new(root, "mpi_allreduce", json_string(p->mpi_allreduce));
    if (root && p->smpi_factors)
        json_object_set_new(root, "smpi_network", json_string("default"));
    int rc = root ? json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) : -1;
    json_decref(root);
    if (rc)
        return sw_error_set(err, SW_EIO, "could not write the platform");
    fputc('\n', fp);
    return SW_OK;
}
