/* netdesc.c — layer tables: built-in families and JSON descriptions.
 *
 * The families compute per-layer numbers from shapes rather than carry
 * tables, so a reader can check every figure against the formula in
 * netdesc.h and docs/simulate.md. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/netdesc.h"

void sw_net_free(sw_net *net)
{
    if (!net)
        return;
    free(net->layers);
    net->layers = NULL;
    net->nlayers = 0;
}

static sw_status net_alloc(sw_net *net, size_t n, double bpe, sw_error *err)
{
    memset(net, 0, sizeof *net);
    if (!(bpe > 0) || !isfinite(bpe))
        return sw_error_set(err, SW_EDOM, "bytes per element %g must be > 0", bpe);
    net->bytes_per_elem = bpe;
    if (n == 0)
        return sw_error_set(err, SW_EDOM, "a network needs at least one layer");
    if (n > 10000000)
        return sw_error_set(err, SW_EDOM, "%zu layers is more than 1e7", n);
    net->layers = calloc(n, sizeof *net->layers);
    if (!net->layers)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu layers", n);
    net->nlayers = n;
    return SW_OK;
}

static void layer_set(sw_layer *l, const char *name, double fwd, double bwd, double pb,
                      double ab)
{
    snprintf(l->name, sizeof l->name, "%s", name);
    l->fwd_flops = fwd;
    l->bwd_flops = bwd;
    l->param_bytes = pb;
    l->act_bytes = ab;
}

sw_status sw_net_mlp(sw_net *net, long depth, long width, double bpe, sw_error *err)
{
    if (depth < 1 || width < 1)
        return sw_error_set(err, SW_EDOM, "mlp: depth %ld and width %ld must be >= 1", depth,
                            width);
    sw_status st = net_alloc(net, (size_t)depth, bpe, err);
    if (st)
        return st;
    double w = (double)width;
    for (long i = 0; i < depth; i++) {
        char name[32];
        snprintf(name, sizeof name, "fc%ld", i + 1);
        layer_set(&net->layers[i], name, 2 * w * w, 4 * w * w, (w * w + w) * bpe, w * bpe);
    }
    snprintf(net->name, sizeof net->name, "mlp");
    snprintf(net->params, sizeof net->params, "family=mlp;depth=%ld;width=%ld", depth, width);
    return SW_OK;
}

sw_status sw_net_transformer(sw_net *net, long blocks, long hidden, long seq, long heads,
                             double bpe, sw_error *err)
{
    if (blocks < 1 || hidden < 1 || seq < 1 || heads < 1)
        return sw_error_set(err, SW_EDOM,
                            "transformer: blocks %ld, hidden %ld, seq %ld, heads %ld must be >= 1",
                            blocks, hidden, seq, heads);
    if (hidden % heads)
        return sw_error_set(err, SW_EDOM, "transformer: heads %ld do not divide hidden %ld",
                            heads, hidden);
    sw_status st = net_alloc(net, (size_t)blocks, bpe, err);
    if (st)
        return st;
    double h = (double)hidden, s = (double)seq;
    double fwd = 24 * s * h * h + 4 * s * s * h;
    for (long i = 0; i < blocks; i++) {
        char name[32];
        snprintf(name, sizeof name, "block%ld", i + 1);
        layer_set(&net->layers[i], name, fwd, 2 * fwd, (12 * h * h + 13 * h) * bpe, s * h * bpe);
    }
    snprintf(net->name, sizeof net->name, "transformer");
    snprintf(net->params, sizeof net->params,
             "family=transformer;blocks=%ld;hidden=%ld;seq=%ld;heads=%ld", blocks, hidden, seq,
             heads);
    return SW_OK;
}

/* Bottleneck stages of ResNet-50 (v1.5: the stride sits on the 3x3). */
static const struct {
    int blocks, mid, out, res;
} resnet_stages[4] = {{3, 64, 256, 56}, {4, 128, 512, 28}, {6, 256, 1024, 14}, {3, 512, 2048, 7}};

sw_status sw_net_resnet50(sw_net *net, double bpe, sw_error *err)
{
    sw_status st = net_alloc(net, 18, bpe, err);
    if (st)
        return st;
    /* Stem: 7x7/2 conv 3->64 to 112x112 (+BN), then a 3x3/2 max-pool to 56x56. */
    double macs = 112.0 * 112 * 64 * 3 * 49, params = 3.0 * 64 * 49 + 2 * 64;
    layer_set(&net->layers[0], "stem", 2 * macs, 4 * macs, params * bpe, 56.0 * 56 * 64 * bpe);
    size_t li = 1;
    double cin_prev = 64, res_prev = 56;
    for (int s = 0; s < 4; s++) {
        double mid = resnet_stages[s].mid, out = resnet_stages[s].out, r = resnet_stages[s].res;
        for (int b = 0; b < resnet_stages[s].blocks; b++) {
            double cin = b == 0 ? cin_prev : out, rin = b == 0 ? res_prev : r;
            macs = rin * rin * cin * mid + r * r * mid * mid * 9 + r * r * mid * out;
            params = cin * mid + 9 * mid * mid + mid * out + 2 * (mid + mid + out);
            if (b == 0) {
                macs += r * r * cin * out;
                params += cin * out + 2 * out;
            }
            char name[32];
            snprintf(name, sizeof name, "conv%d_%d", s + 2, b + 1);
            layer_set(&net->layers[li++], name, 2 * macs, 4 * macs, params * bpe,
                      r * r * out * bpe);
        }
        cin_prev = out;
        res_prev = r;
    }
    /* Global average pool + fully connected 2048 -> 1000. */
    macs = 2048.0 * 1000;
    layer_set(&net->layers[li], "fc", 2 * macs + 2048.0 * 49, 4 * macs,
              (2048.0 * 1000 + 1000) * bpe, 1000 * bpe);
    snprintf(net->name, sizeof net->name, "resnet50");
    snprintf(net->params, sizeof net->params, "family=resnet50;image=224");
    return SW_OK;
}

static sw_status bad_layer(const sw_layer *l, size_t i, const char *what, double v, sw_error *err)
{
    return sw_error_set(err, SW_EDOM, "layer %zu (%s): %s %g must be finite and >= 0", i + 1,
                        l->name, what, v);
}

sw_status sw_net_validate(const sw_net *net, sw_error *err)
{
    if (!net || net->nlayers == 0)
        return sw_error_set(err, SW_EDOM, "the network has no layers");
    for (size_t i = 0; i < net->nlayers; i++) {
        const sw_layer *l = &net->layers[i];
        const struct {
            const char *what;
            double v;
        } f[] = {{"fwd_flops", l->fwd_flops},
                 {"bwd_flops", l->bwd_flops},
                 {"param_bytes", l->param_bytes},
                 {"act_bytes", l->act_bytes}};
        for (size_t k = 0; k < 4; k++)
            if (!isfinite(f[k].v) || f[k].v < 0)
                return bad_layer(l, i, f[k].what, f[k].v, err);
    }
    return SW_OK;
}

double sw_net_flops(const sw_net *net)
{
    double s = 0;
    for (size_t i = 0; i < net->nlayers; i++)
        s += net->layers[i].fwd_flops + net->layers[i].bwd_flops;
    return s;
}

double sw_net_param_bytes(const sw_net *net)
{
    double s = 0;
    for (size_t i = 0; i < net->nlayers; i++)
        s += net->layers[i].param_bytes;
    return s;
}

/* A number member: absent -> dflt; present but not a number -> error. */
static sw_status json_num(json_t *obj, const char *key, double dflt, double *out, const char *name,
                          size_t i, sw_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        *out = dflt;
        return SW_OK;
    }
    if (!json_is_number(v))
        return sw_error_set(err, SW_EPARSE, "%s: layer %zu: \"%s\" is not a number", name, i + 1,
                            key);
    *out = json_number_value(v);
    return SW_OK;
}

/* Bytes from either "<bytes_key>" (bytes) or "<elems_key>" (elements). */
static sw_status json_bytes(json_t *obj, const char *bytes_key, const char *elems_key, double bpe,
                            double *out, const char *name, size_t i, sw_error *err)
{
    double b = NAN, e = NAN;
    sw_status st = json_num(obj, bytes_key, NAN, &b, name, i, err);
    if (!st)
        st = json_num(obj, elems_key, NAN, &e, name, i, err);
    if (st)
        return st;
    if (!isnan(b) && !isnan(e))
        return sw_error_set(err, SW_EPARSE, "%s: layer %zu: give \"%s\" or \"%s\", not both", name,
                            i + 1, bytes_key, elems_key);
    *out = !isnan(b) ? b : !isnan(e) ? e * bpe : 0;
    return SW_OK;
}

static sw_status json_layer(json_t *jl, sw_layer *l, size_t i, double bpe, const char *name,
                            sw_error *err)
{
    if (!json_is_object(jl))
        return sw_error_set(err, SW_EPARSE, "%s: layer %zu is not an object", name, i + 1);
    const char *lname = json_string_value(json_object_get(jl, "name"));
    char dflt[32];
    snprintf(dflt, sizeof dflt, "layer%zu", i + 1);
    snprintf(l->name, sizeof l->name, "%s", lname ? lname : dflt);
    sw_status st = json_num(jl, "fwd_flops", NAN, &l->fwd_flops, name, i, err);
    if (st)
        return st;
    if (isnan(l->fwd_flops))
        return sw_error_set(err, SW_EPARSE, "%s: layer %zu: \"fwd_flops\" is missing", name,
                            i + 1);
    if ((st = json_num(jl, "bwd_flops", 2 * l->fwd_flops, &l->bwd_flops, name, i, err)) ||
        (st = json_bytes(jl, "param_bytes", "params", bpe, &l->param_bytes, name, i, err)) ||
        (st = json_bytes(jl, "act_bytes", "activations", bpe, &l->act_bytes, name, i, err)))
        return st;
    return SW_OK;
}

sw_status sw_net_read_json(sw_net *net, const char *name, const char *buf, size_t len, double bpe,
                           sw_error *err)
{
    json_error_t je;
    memset(net, 0, sizeof *net);
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return sw_error_set(err, SW_EPARSE, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    sw_status st = SW_OK;
    json_t *layers = json_object_get(root, "layers");
    if (!json_is_array(layers) || json_array_size(layers) == 0) {
        st = sw_error_set(err, SW_EPARSE, "%s: \"layers\" must be a non-empty array", name);
        goto done;
    }
    if ((st = net_alloc(net, json_array_size(layers), bpe, err)))
        goto done;
    for (size_t i = 0; i < net->nlayers && !st; i++)
        st = json_layer(json_array_get(layers, i), &net->layers[i], i, bpe, name, err);
    if (!st && (st = sw_net_validate(net, err)))
        sw_error_prefix(err, "%s", name);
    if (!st) {
        const char *nn = json_string_value(json_object_get(root, "name"));
        snprintf(net->name, sizeof net->name, "%s", nn ? nn : "json");
        snprintf(net->params, sizeof net->params, "family=json;name=%s;layers=%zu", net->name,
                 net->nlayers);
    }
done:
    json_decref(root);
    if (st)
        sw_net_free(net);
    return st;
}

sw_status sw_net_read_file(sw_net *net, const char *path, double bpe, sw_error *err)
{
    char *buf;
    size_t len;
    memset(net, 0, sizeof *net);
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = sw_net_read_json(net, path, buf, len, bpe, err);
    free(buf);
    return st;
}

/* Parses "k=v,k=v" against known keys; values are whole numbers >= 1. */
static sw_status spec_keys(const char *family, const char *kv, const char *const *keys, long *vals,
                           size_t nkeys, sw_error *err)
{
    char copy[256];
    if (strlen(kv) >= sizeof copy)
        return sw_error_set(err, SW_EINVAL, "%s: parameters too long", family);
    strcpy(copy, kv);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return sw_error_set(err, SW_EINVAL, "%s: '%s' is not key=value", family, tok);
        *eq = '\0';
        size_t k = 0;
        while (k < nkeys && strcmp(keys[k], tok) != 0)
            k++;
        if (k == nkeys)
            return sw_error_set(err, SW_EINVAL, "%s: unknown parameter '%s'", family, tok);
        double v;
        if (sw_parse_double(eq + 1, &v) != 1 || v != floor(v) || v < 1 || v > 1e9)
            return sw_error_set(err, SW_EDOM, "%s: %s=%s is not a whole number >= 1", family, tok,
                                eq + 1);
        vals[k] = (long)v;
    }
    return SW_OK;
}

sw_status sw_net_from_spec(sw_net *net, const char *spec, double bpe, sw_error *err)
{
    memset(net, 0, sizeof *net);
    const char *colon = strchr(spec, ':');
    size_t flen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *kv = colon ? colon + 1 : "";
    sw_status st;
    if (flen == 3 && strncmp(spec, "mlp", 3) == 0) {
        static const char *const keys[] = {"depth", "width"};
        long v[2] = {8, 1024};
        if ((st = spec_keys("mlp", kv, keys, v, 2, err)))
            return st;
        return sw_net_mlp(net, v[0], v[1], bpe, err);
    }
    if (flen == 11 && strncmp(spec, "transformer", 11) == 0) {
        static const char *const keys[] = {"blocks", "hidden", "seq", "heads"};
        long v[4] = {12, 768, 512, 12};
        if ((st = spec_keys("transformer", kv, keys, v, 4, err)))
            return st;
        return sw_net_transformer(net, v[0], v[1], v[2], v[3], bpe, err);
    }
    if (strcmp(spec, "resnet50") == 0)
        return sw_net_resnet50(net, bpe, err);
    if (strchr(spec, '/') || strstr(spec, ".json"))
        return sw_net_read_file(net, spec, bpe, err);
    return sw_error_set(err, SW_EINVAL,
                        "unknown network '%s' (mlp:depth=D,width=W, transformer:blocks=B,hidden=H,"
                        "seq=S,heads=A, resnet50, or a .json file)",
                        spec);
}
