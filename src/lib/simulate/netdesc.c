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
#include "scalewall/text.h"

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
    /* 10^6 layers of ~90 bytes: far above any network (ResNet-50 is 18
     * here, GPT-3 96 blocks), and memory a machine can give at once. */
    if (n > 1000000)
        return sw_error_set(err, SW_EDOM, "%zu layers is more than 1e6", n);
    net->layers = calloc(n, sizeof *net->layers);
    if (!net->layers)
        return sw_error_set(err, SW_ENOMEM, "out of memory for %zu layers", n);
    net->nlayers = n;
    return SW_OK;
}

/* Appends a forward GEMM of rows x n outputs reducing k. */
static void layer_gemm(sw_layer *l, double rows, double n, double k, int split)
{
    if (l->ngemm < SW_LAYER_GEMMS)
        l->gemm[l->ngemm++] = (sw_gemm){rows, n, k, split};
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
        sw_layer *l = &net->layers[i];
        layer_set(l, name, 2 * w * w, 4 * w * w, (w * w + w) * bpe, w * bpe);
        /* Tensor parallelism pairs the layers as Megatron's MLP does: a
         * column-parallel layer (input replicated, output split, its input
         * gradient allreduced in the backward) then a row-parallel one
         * (input split, output allreduced in the forward); a trailing odd
         * layer is row-parallel on a slice of its replicated input.  The
         * activation function reads and writes the layer's output; the
         * backward keeps the layer's input and its pre-activation. */
        int row = (i % 2 == 1) || i == depth - 1;
        l->kernels = 2; /* the GEMM, then bias + activation */
        layer_gemm(l, 1, w, w, row ? 2 : 1);
        l->tp_split = 1;
        l->tp_fwd = row ? 1 : 0;
        l->tp_bwd = row ? 0 : 1;
        if (row) {
            l->elem_rep_bytes = 2 * w * bpe;
            l->stash_bytes = w * bpe;
            l->stash_rep_bytes = w * bpe;
        } else {
            l->elem_bytes = 2 * w * bpe;
            l->stash_bytes = w * bpe;
            l->stash_rep_bytes = w * bpe;
        }
    }
    snprintf(net->name, sizeof net->name, "mlp");
    snprintf(net->params, sizeof net->params, "family=mlp;depth=%ld;width=%ld", depth, width);
    return SW_OK;
}

void sw_transformer_shape_default(sw_transformer_shape *t)
{
    memset(t, 0, sizeof *t);
    t->blocks = 12;
    t->hidden = 768;
    t->seq = 512;
    t->heads = 12;
    t->dropout = 1;
    t->tied = 1;
    t->bias = 1;
}

sw_status sw_net_transformer(sw_net *net, long blocks, long hidden, long seq, long heads,
                             double bpe, sw_error *err)
{
    sw_transformer_shape t;
    sw_transformer_shape_default(&t);
    t.blocks = blocks;
    t.hidden = hidden;
    t.seq = seq;
    t.heads = heads;
    return sw_net_transformer_shape(net, &t, bpe, err);
}

/* One decoder block per sample of s tokens, e bytes per element.  The
 * memory-bound kernels are Megatron-LM's fused ones (layer norm, bias +
 * dropout + residual add, bias + GeLU, scale + mask + softmax); their
 * traffic is what they read plus what they write.  The activations kept
 * for the backward are Korthikanti et al. (2022), Table 2 / eq. 2, with
 * the feed-forward width and the K/V width left general: 34 s h + 5 a s^2
 * bytes at e = 2 with dropout, of which 10 s h stay replicated under
 * tensor parallelism (norm inputs, the inputs of the column-parallel
 * GEMMs, dropout masks). */
static void block_layer(sw_layer *l, const sw_transformer_shape *t, double e)
{
    double h = (double)t->hidden, s = (double)t->seq, a = (double)t->heads;
    double f = t->ffn ? (double)t->ffn : 4 * h;
    double kvd = h / a * (double)(t->kv_heads ? t->kv_heads : t->heads);
    double gates = t->glu ? 3 : 2, drop = t->dropout ? 1 : 0, bias = t->bias ? 1 : 0;
    double gemm = 2 * s * h * (h + 2 * kvd) + 2 * s * h * h + 2 * s * h * f * gates;
    l->attn_flops = 4 * s * s * h;
    l->fwd_flops = gemm + l->attn_flops;
    l->bwd_flops = 2 * l->fwd_flops;
    double params = 2 * h * h + 2 * h * kvd + gates * h * f + bias * (2 * h + 2 * kvd) +
                    bias * (f * (gates - 1) + h) + 2 * (t->bias ? 2 * h : h);
    l->param_bytes = params * e;
    l->act_bytes = s * h * e;
    /* Forward traffic: two norms (read, write) and two residual adds
     * (read two, write one) on every TP rank; the activation function
     * (GeLU reads f and writes f, SwiGLU reads 2f and writes f) and the
     * attention core split by heads.  Unfused attention makes the a x s x s
     * scores twice (softmax) and, with dropout, twice more plus a 1-byte
     * mask; fused attention reads Q, K, V and writes O. */
    l->elem_rep_bytes = 10 * s * h * e + drop * 2 * s * h;
    double core = t->flash ? (2 * h + 2 * kvd) * s * e
                           : 2 * a * s * s * e + drop * (2 * e + 1) * a * s * s;
    l->elem_bytes = (t->glu ? 3 : 2) * s * f * e + core;
    l->elem_attn_bytes = core;
    /* Kept for the backward: replicated norm inputs (2), the inputs of the
     * QKV and first feed-forward GEMMs (2) and the dropout masks; split:
     * Q and K, V, the output projection's input, and the feed-forward's
     * activation input(s) and second GEMM's input; the attention core's
     * softmax output (and dropout mask and output) unless fused, where
     * only the softmax statistics (a s floats) stay. */
    l->stash_rep_bytes = 4 * s * h * e + drop * 2 * s * h;
    double attn = t->flash ? 0 : a * s * s * e + drop * (a * s * s + a * s * s * e);
    l->stash_bytes = s * (h + kvd) * e + s * kvd * e + s * h * e + gates * s * f * e + attn +
                     (t->flash ? 4 * a * s : 0);
    l->stash_attn_bytes = attn;
    /* Kernels: two norms, four GEMMs, bias + dropout + residual twice,
     * bias + activation; the attention core is one fused kernel or two
     * batched GEMMs around scale + mask + softmax (and a dropout). */
    l->kernels = 9 + (t->flash ? 1 : 3 + drop);
    /* QKV and the first feed-forward GEMM(s) column-parallel, the output
     * projection and the second feed-forward GEMM row-parallel. */
    layer_gemm(l, s, h + 2 * kvd, h, 1);
    layer_gemm(l, s, h, h, 2);
    layer_gemm(l, s, f * (gates - 1), h, 1);
    layer_gemm(l, s, h, f, 2);
    l->tp_fwd = l->tp_bwd = 2;
    l->kv_bytes = 2 * s * kvd * e;
    l->tp_split = 1;
}

sw_status sw_net_transformer_shape(sw_net *net, const sw_transformer_shape *t, double bpe,
                                   sw_error *err)
{
    if (t->blocks < 1 || t->hidden < 1 || t->seq < 1 || t->heads < 1)
        return sw_error_set(err, SW_EDOM,
                            "transformer: blocks %ld, hidden %ld, seq %ld, heads %ld must be >= 1",
                            t->blocks, t->hidden, t->seq, t->heads);
    if (t->hidden % t->heads)
        return sw_error_set(err, SW_EDOM, "transformer: heads %ld do not divide hidden %ld",
                            t->heads, t->hidden);
    if (t->ffn < 0 || t->kv_heads < 0 || t->vocab < 0)
        return sw_error_set(err, SW_EDOM, "transformer: ffn, kv_heads and vocab must be >= 0");
    if (t->kv_heads && t->heads % t->kv_heads)
        return sw_error_set(err, SW_EDOM, "transformer: kv_heads %ld do not divide heads %ld",
                            t->kv_heads, t->heads);
    int emb = t->vocab > 0;
    sw_status st = net_alloc(net, (size_t)t->blocks + (emb ? 2 : 0), bpe, err);
    if (st)
        return st;
    double h = (double)t->hidden, s = (double)t->seq, V = (double)t->vocab;
    size_t li = 0;
    if (emb) {
        /* Vocabulary-parallel embedding (Megatron): each TP rank looks up
         * its slice of the vocabulary, an allreduce sums them; learned
         * positions add s h parameters (Megatron's count). */
        sw_layer *l = &net->layers[li++];
        layer_set(l, "embed", 0, 0, (V + s) * h * bpe, s * h * bpe);
        l->elem_rep_bytes = 3 * s * h * bpe;
        l->kernels = 3; /* word and position lookups, add + dropout */
        l->tp_fwd = 1;
        l->tp_split = 1;
        l->no_recompute = 1;
    }
    for (long i = 0; i < t->blocks; i++) {
        sw_layer *l = &net->layers[li++];
        char name[32];
        snprintf(name, sizeof name, "block%ld", i + 1);
        snprintf(l->name, sizeof l->name, "%s", name);
        block_layer(l, t, bpe);
    }
    if (emb) {
        /* Final norm and the logits (2 s h V FLOPs forward), cross-entropy
         * in fp32 over the vocabulary slice (Megatron's parallel
         * cross-entropy; its three s-float allreduces are left out). */
        sw_layer *l = &net->layers[li++];
        layer_set(l, "head", 2 * s * h * V, 4 * s * h * V,
                  ((t->tied ? 0 : V * h) + (t->bias ? 2 * h : h)) * bpe, s * h * bpe);
        l->elem_rep_bytes = 2 * s * h * bpe;
        l->elem_bytes = (bpe + 8) * s * V;
        l->stash_rep_bytes = 2 * s * h * bpe;
        l->stash_bytes = 4 * s * V;
        l->kernels = 3; /* final norm, logits GEMM, cross-entropy */
        layer_gemm(l, s, V, h, 1);
        l->tp_split = 1;
        l->no_recompute = 1;
    }
    net->seq = s;
    net->heads = t->heads;
    net->kv_heads = t->kv_heads ? t->kv_heads : t->heads;
    snprintf(net->name, sizeof net->name, "transformer");
    int n = snprintf(net->params, sizeof net->params,
                     "family=transformer;blocks=%ld;hidden=%ld;seq=%ld;heads=%ld", t->blocks,
                     t->hidden, t->seq, t->heads);
    sw_transformer_shape d;
    sw_transformer_shape_default(&d);
    const struct {
        const char *k;
        long v, dv;
    } extra[] = {{"ffn", t->ffn, d.ffn},       {"kv_heads", t->kv_heads, d.kv_heads},
                 {"vocab", t->vocab, d.vocab}, {"glu", t->glu, d.glu},
                 {"flash", t->flash, d.flash}, {"dropout", t->dropout, d.dropout},
                 {"tied", t->tied, d.tied},    {"bias", t->bias, d.bias}};
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
        if (extra[k].v != extra[k].dv && n > 0 && (size_t)n < sizeof net->params)
            n += snprintf(net->params + n, sizeof net->params - (size_t)n, ";%s=%ld", extra[k].k,
                          extra[k].v);
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
    /* Memory-bound traffic per image: batch norm in training reads its
     * input twice (the batch statistics, then normalising) and writes the
     * output, with the ReLU fused: 3 passes of each convolution's output;
     * the max-pool reads the stem's and writes its own.  Kept for the
     * backward (memory): the image, the conv output (BN input) and the ReLU
     * output, the pooled output. */
    net->layers[0].elem_bytes = (3 * 112.0 * 112 * 64 + 112.0 * 112 * 64 + 56.0 * 56 * 64) * bpe;
    net->layers[0].stash_bytes = (224.0 * 224 * 3 + 2 * 112.0 * 112 * 64 + 56.0 * 56 * 64) * bpe;
    /* Kernels as cuDNN fuses them: conv, BN + ReLU (the block's last BN +
     * residual add + ReLU in one), a projection's conv and BN; here conv,
     * BN + ReLU, max-pool. */
    net->layers[0].kernels = 3;
    net->layers[0].bn_layers = 1;
    net->layers[0].bn_channels = 64;
    layer_gemm(&net->layers[0], 112.0 * 112, 64, 3 * 49, 0);
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
            layer_set(&net->layers[li], name, 2 * macs, 4 * macs, params * bpe,
                      r * r * out * bpe);
            /* BN (+ ReLU) after each convolution, 3 passes of its output
             * (the projection's too), and the residual add reading the
             * shortcut, fused with the last BN and ReLU. */
            net->layers[li].elem_bytes =
                (3 * (rin * rin * mid + r * r * mid + r * r * out) + r * r * out +
                 (b == 0 ? 3 * r * r * out : 0)) *
                bpe;
            net->layers[li].kernels = b == 0 ? 8 : 6;
            /* A BN after each convolution: 53 in the network. */
            net->layers[li].bn_layers = b == 0 ? 4 : 3;
            net->layers[li].bn_channels = 2 * mid + out + (b == 0 ? out : 0);
            /* Convolutions as implicit GEMMs (cuDNN): output pixels x
             * output channels, reducing input channels x filter taps. */
            layer_gemm(&net->layers[li], rin * rin, mid, cin, 0);
            layer_gemm(&net->layers[li], r * r, mid, 9 * mid, 0);
            layer_gemm(&net->layers[li], r * r, out, mid, 0);
            if (b == 0)
                layer_gemm(&net->layers[li], r * r, out, cin, 0);
            /* Each conv's input is the previous ReLU's output; each BN keeps
             * its input; the last BN's output feeds the residual add, whose
             * ReLU output leaves the block (and the projection's BN on the
             * first block of a stage). */
            net->layers[li++].stash_bytes =
                (rin * rin * cin + 2 * rin * rin * mid + 2 * r * r * mid + 3 * r * r * out +
                 (b == 0 ? 2 * r * r * out : 0)) *
                bpe;
        }
        cin_prev = out;
        res_prev = r;
    }
    /* Global average pool + fully connected 2048 -> 1000. */
    macs = 2048.0 * 1000;
    layer_set(&net->layers[li], "fc", 2 * macs + 2048.0 * 49, 4 * macs,
              (2048.0 * 1000 + 1000) * bpe, 1000 * bpe);
    net->layers[li].stash_bytes = (2048.0 * 49 + 2048 + 1000) * bpe;
    net->layers[li].elem_bytes = (2048.0 * 49 + 2048) * bpe; /* the global average pool */
    net->layers[li].kernels = 3; /* pool, GEMM + bias, softmax cross-entropy */
    layer_gemm(&net->layers[li], 1, 1000, 2048, 0);
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
                 {"act_bytes", l->act_bytes},
                 {"elem_bytes", l->elem_bytes},
                 {"elem_rep_bytes", l->elem_rep_bytes},
                 {"elem_attn_bytes", l->elem_attn_bytes},
                 {"attn_flops", l->attn_flops},
                 {"stash_bytes", l->stash_bytes},
                 {"stash_rep_bytes", l->stash_rep_bytes},
                 {"stash_attn_bytes", l->stash_attn_bytes},
                 {"tp_fwd", l->tp_fwd},
                 {"tp_bwd", l->tp_bwd},
                 {"kv_bytes", l->kv_bytes},
                 {"kernels", l->kernels},
                 {"bn_layers", l->bn_layers},
                 {"bn_channels", l->bn_channels}};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (!isfinite(f[k].v) || f[k].v < 0)
                return bad_layer(l, i, f[k].what, f[k].v, err);
        if (l->attn_flops > l->fwd_flops || l->elem_attn_bytes > l->elem_bytes ||
            l->stash_attn_bytes > l->stash_bytes)
            return sw_error_set(err, SW_EDOM,
                                "layer %zu (%s): an attention part (attn_flops %g, "
                                "elem_attn_bytes %g, stash_attn_bytes %g) exceeds its whole",
                                i + 1, l->name, l->attn_flops, l->elem_attn_bytes,
                                l->stash_attn_bytes);
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

double sw_net_attn_flops(const sw_net *net)
{
    double s = 0;
    for (size_t i = 0; i < net->nlayers; i++)
        s += net->layers[i].attn_flops;
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
    /* Optional: what training at scale needs (netdesc.h); absent = 0. */
    const struct {
        const char *key;
        double *v;
    } opt[] = {{"elem_bytes", &l->elem_bytes},
               {"elem_rep_bytes", &l->elem_rep_bytes},
               {"elem_attn_bytes", &l->elem_attn_bytes},
               {"attn_flops", &l->attn_flops},
               {"stash_bytes", &l->stash_bytes},
               {"stash_rep_bytes", &l->stash_rep_bytes},
               {"stash_attn_bytes", &l->stash_attn_bytes},
               {"tp_fwd", &l->tp_fwd},
               {"tp_bwd", &l->tp_bwd},
               {"kv_bytes", &l->kv_bytes},
               {"kernels", &l->kernels},
               {"bn_layers", &l->bn_layers},
               {"bn_channels", &l->bn_channels}};
    for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++)
        if ((st = json_num(jl, opt[k].key, 0, opt[k].v, name, i, err)))
            return st;
    double flag = 0;
    if ((st = json_num(jl, "tp_split", 0, &flag, name, i, err)))
        return st;
    l->tp_split = flag != 0;
    if ((st = json_num(jl, "no_recompute", 0, &flag, name, i, err)))
        return st;
    l->no_recompute = flag != 0;
    return SW_OK;
}

sw_status sw_net_read_json(sw_net *net, const char *name, const char *buf, size_t len, double bpe,
                           sw_error *err)
{
    json_error_t je;
    memset(net, 0, sizeof *net);
    sw_status wrong = sw_json_expect(name, buf, len, "layers",
                                     "a network description (\"layers\", for simulate --net)", err);
    if (wrong)
        return wrong;
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
    const struct {
        const char *key;
        double v;
    } top[] = {{"seq", 0}, {"heads", 0}, {"kv_heads", 0}};
    double tv[3] = {0, 0, 0};
    for (size_t k = 0; k < 3 && !st; k++) {
        json_t *v = json_object_get(root, top[k].key);
        if (!v)
            continue;
        if (!json_is_number(v) || !(json_number_value(v) >= 0) ||
            json_number_value(v) != floor(json_number_value(v)))
            st = sw_error_set(err, SW_EPARSE, "%s: \"%s\" is not a whole number >= 0", name,
                              top[k].key);
        else
            tv[k] = json_number_value(v);
    }
    net->seq = tv[0];
    net->heads = (long)tv[1];
    net->kv_heads = tv[2] > 0 ? (long)tv[2] : (long)tv[1];
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

/* Parses "k=v,k=v" against known keys; values are whole numbers >= min[k]. */
static sw_status spec_keys(const char *family, const char *kv, const char *const *keys,
                           const long *min, long *vals, size_t nkeys, sw_error *err)
{
    char copy[512];
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
        if (sw_parse_double(eq + 1, &v) != 1 || v != floor(v) || v < (double)min[k] || v > 1e9)
            return sw_error_set(err, SW_EINVAL, "%s: %s=%s is not a whole number from %ld to 1e9",
                                family, tok, eq + 1, min[k]);
        vals[k] = (long)v;
    }
    return SW_OK;
}

/* Megatron-LM's GPT models of Narayanan et al. (SC'21), Table 1, and
 * Llama 3 (Dubey et al. 2024, Table 3). */
#define GPT(b, h, a) "transformer:blocks=" #b ",hidden=" #h ",seq=2048,heads=" #a ",vocab=51200"
#define LLAMA(b, h, a, f)                                                                        \
    "transformer:blocks=" #b ",hidden=" #h ",seq=8192,heads=" #a ",kv_heads=8,ffn=" #f          \
    ",vocab=128256,glu=1,flash=1,dropout=0,tied=0,bias=0"
#define MEGATRON "Narayanan et al., SC'21, Table 1"
#define LLAMA3 "Dubey et al. 2024, The Llama 3 Herd of Models, Table 3"
const sw_net_preset sw_net_presets[] = {
    {"gpt-1.7b", GPT(24, 2304, 24), MEGATRON},     {"gpt-3.6b", GPT(30, 3072, 32), MEGATRON},
    {"gpt-7.5b", GPT(36, 4096, 32), MEGATRON},     {"gpt-18b", GPT(40, 6144, 48), MEGATRON},
    {"gpt-39b", GPT(48, 8192, 64), MEGATRON},      {"gpt-76b", GPT(60, 10240, 80), MEGATRON},
    {"gpt-145b", GPT(80, 12288, 96), MEGATRON},    {"gpt-310b", GPT(96, 16384, 128), MEGATRON},
    {"gpt-530b", GPT(105, 20480, 128), MEGATRON},  {"gpt-1t", GPT(128, 25600, 160), MEGATRON},
    {"llama3-8b", LLAMA(32, 4096, 32, 14336), LLAMA3},
    {"llama3-70b", LLAMA(80, 8192, 64, 28672), LLAMA3},
    {"llama3-405b", LLAMA(126, 16384, 128, 53248), LLAMA3},
    {NULL, NULL, NULL}};

static sw_status transformer_spec(sw_net *net, const char *kv, double bpe, sw_error *err)
{
    static const char *const keys[] = {"blocks", "hidden", "seq",   "heads",   "ffn",  "kv_heads",
                                       "vocab",  "glu",    "flash", "dropout", "tied", "bias"};
    static const long min[] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    sw_transformer_shape t;
    sw_transformer_shape_default(&t);
    long v[12] = {t.blocks, t.hidden, t.seq, t.heads, t.ffn, t.kv_heads,
                  t.vocab,  t.glu,    t.flash, t.dropout, t.tied, t.bias};
    sw_status st = spec_keys("transformer", kv, keys, min, v, 12, err);
    if (st)
        return st;
    for (int k = 7; k < 12; k++)
        if (v[k] > 1)
            return sw_error_set(err, SW_EDOM, "transformer: %s=%ld must be 0 or 1", keys[k], v[k]);
    t = (sw_transformer_shape){v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                               (int)v[7], (int)v[8], (int)v[9], (int)v[10], (int)v[11]};
    return sw_net_transformer_shape(net, &t, bpe, err);
}

/* A spec is typed on the command line: a value the family refuses (a
 * depth too large, heads that do not divide hidden) is a usage error, as
 * an unknown key is (issue 11: such checks disagreed on the exit code). */
static sw_status spec_status(sw_status st, sw_error *err)
{
    if (st == SW_EDOM) {
        if (err)
            err->status = SW_EINVAL;
        return SW_EINVAL;
    }
    return st;
}

static sw_status from_spec(sw_net *net, const char *spec, double bpe, sw_error *err);

sw_status sw_net_from_spec(sw_net *net, const char *spec, double bpe, sw_error *err)
{
    if (strchr(spec, '/') || strstr(spec, ".json"))
        return from_spec(net, spec, bpe, err); /* a file: its errors are the data's */
    return spec_status(from_spec(net, spec, bpe, err), err);
}

static sw_status from_spec(sw_net *net, const char *spec, double bpe, sw_error *err)
{
    memset(net, 0, sizeof *net);
    const char *colon = strchr(spec, ':');
    size_t flen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *kv = colon ? colon + 1 : "";
    sw_status st;
    if (flen == 3 && strncmp(spec, "mlp", 3) == 0) {
        static const char *const keys[] = {"depth", "width"};
        static const long min[] = {1, 1};
        long v[2] = {8, 1024};
        if ((st = spec_keys("mlp", kv, keys, min, v, 2, err)))
            return st;
        return sw_net_mlp(net, v[0], v[1], bpe, err);
    }
    if (flen == 11 && strncmp(spec, "transformer", 11) == 0)
        return transformer_spec(net, kv, bpe, err);
    for (const sw_net_preset *p = sw_net_presets; p->name; p++) {
        if (strlen(p->name) != flen || strncmp(spec, p->name, flen) != 0)
            continue;
        /* The preset's keys, then the user's overrides ("gpt-1t:seq=4096"). */
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", strchr(p->spec, ':') + 1, *kv ? "," : "", kv);
        if ((st = transformer_spec(net, buf, bpe, err)))
            return st;
        snprintf(net->name, sizeof net->name, "%s", p->name);
        return SW_OK;
    }
    if (strcmp(spec, "resnet50") == 0)
        return sw_net_resnet50(net, bpe, err);
    if (strchr(spec, '/') || strstr(spec, ".json"))
        return sw_net_read_file(net, spec, bpe, err);
    return sw_error_set(err, SW_EINVAL,
                        "unknown network '%s' (mlp:depth=D,width=W, transformer:blocks=B,hidden=H,"
                        "seq=S,heads=A, resnet50, a preset such as gpt-1t or llama3-405b, or a "
                        ".json file)",
                        spec);
}
