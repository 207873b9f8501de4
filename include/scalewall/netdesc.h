/* netdesc.h — a neural network as the simulator sees it: a list of layers.
 *
 * Each layer says how much work one sample costs (forward and backward
 * FLOPs), how many parameter bytes its gradient adds to the allreduce, and
 * how many activation bytes per sample leave it (what a pipeline stage
 * sends to the next).  Bytes are at the network's precision
 * (bytes_per_elem: 4 fp32, 2 fp16/bf16).  Built-in families compute these
 * numbers from their shapes (formulas in docs/simulate.md); a JSON file
 * gives them directly:
 *
 *   {"name": "mynet", "layers": [
 *      {"name": "fc1", "fwd_flops": 2.1e6, "bwd_flops": 4.2e6,
 *       "params": 1049600, "activations": 1024}, ...]}
 *
 * where "params"/"activations" are element counts (converted with the
 * precision) or "param_bytes"/"act_bytes" are bytes as given; bwd_flops
 * defaults to 2 x fwd_flops.
 *
 * What training at scale needs beyond that (all optional, 0 = none): the
 * memory-bound kernels' traffic, the activations a layer keeps for its
 * backward pass, how tensor parallelism splits it and which collectives
 * that costs, what context parallelism gathers, and how many kernels the
 * layer launches (each pays the platform's fixed kernel cost).  The
 * transformer family fills them from Megatron-LM's layer (Korthikanti et
 * al. 2022 for the activations); docs/simulate.md derives every
 * coefficient. */
#ifndef SCALEWALL_NETDESC_H
#define SCALEWALL_NETDESC_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One GEMM of a layer's forward, per sample: `rows` output rows (tokens,
 * output pixels, 1 for an MLP), `n` output columns, `k` the reduction
 * (weights k x n); tensor parallelism splits n (column-parallel, split 1)
 * or k (row-parallel, split 2) or neither (0).  What wave quantization
 * needs (docs/simulate.md): the backward runs the data gradient
 * (rows x k, reducing n) and the weight gradient (k x n, reducing rows). */
typedef struct sw_gemm {
    double rows, n, k;
    int split;
} sw_gemm;

#define SW_LAYER_GEMMS 4

typedef struct sw_layer {
    char name[48];
    double fwd_flops;   /* per sample */
    double bwd_flops;   /* per sample (weight and input gradients) */
    double param_bytes; /* gradient bytes this layer adds to the allreduce */
    double act_bytes;   /* output activation bytes per sample */
    /* Per sample, forward pass; the backward moves twice the elem bytes. */
    double elem_bytes;       /* memory traffic of the non-GEMM kernels, split by TP */
    double elem_rep_bytes;   /* the same, replicated on every TP rank (split by SP) */
    double elem_attn_bytes;  /* part of elem_bytes in the attention core */
    double attn_flops;       /* part of fwd_flops in the attention core */
    double stash_bytes;      /* activations kept for the backward, split by TP */
    double stash_rep_bytes;  /* the same, replicated on every TP rank (split by SP) */
    double stash_attn_bytes; /* part of stash_bytes in the attention core */
    double tp_fwd, tp_bwd;   /* TP allreduces of act_bytes in the forward / backward */
    double kv_bytes;         /* K and V bytes: what a context-parallel rank gathers */
    double kernels;          /* GPU kernels the forward launches (the backward twice as many) */
    double bn_layers;        /* batch-norm layers: each a synchronised BN exchange (--bn-group) */
    double bn_channels;      /* their channels, summed */
    sw_gemm gemm[SW_LAYER_GEMMS]; /* the forward's GEMMs (their FLOPs are in fwd_flops) */
    int ngemm;                    /* 0: no shapes, no wave quantization */
    int tp_split;            /* 1: FLOPs, parameters and the split parts divide by TP */
    int no_recompute;        /* 1: activation recomputation leaves this layer alone */
} sw_layer;

typedef struct sw_net {
    char name[64];
    char params[256];      /* canonical "family=mlp;depth=8;width=1024" */
    double bytes_per_elem; /* precision the byte counts are at */
    sw_layer *layers;
    size_t nlayers;
    double seq;            /* tokens per sample; 0 = no sequence (no context parallelism) */
    long heads, kv_heads;  /* tensor parallelism must divide both; 0 = no constraint */
} sw_net;

/* MLP: depth square layers of width w.  Per sample and layer:
 * fwd 2w^2, bwd 4w^2 FLOPs; w^2 + w parameters; w activations. */
sw_status sw_net_mlp(sw_net *net, long depth, long width, double bytes_per_elem, sw_error *err);

/* Transformer blocks (Megatron counting, Narayanan et al. 2021): per
 * sequence of s tokens and block, fwd 24 s h^2 + 4 s^2 h FLOPs, bwd twice
 * that, 12 h^2 + 13 h parameters, s h activations.  heads must divide h. */
sw_status sw_net_transformer(sw_net *net, long blocks, long hidden, long seq, long heads,
                             double bytes_per_elem, sw_error *err);

/* The general decoder: feed-forward width (default 4h), grouped-query K/V
 * heads (default heads), a gated (SwiGLU) feed-forward, fused attention
 * that keeps no s x s matrix (FlashAttention), dropout, and a vocabulary:
 * vocab > 0 adds the embedding (first) and the output layer (last; its
 * weights tied to the embedding unless tied = 0). */
typedef struct sw_transformer_shape {
    long blocks, hidden, seq, heads;
    long ffn;      /* 0 = 4 hidden */
    long kv_heads; /* 0 = heads */
    long vocab;    /* 0 = blocks only */
    int glu, flash, dropout, tied, bias;
} sw_transformer_shape;

/* GPT-2/3 and Megatron defaults: ffn 4h, kv = heads, no vocab, no GLU,
 * no flash, dropout on, tied, biases on. */
void sw_transformer_shape_default(sw_transformer_shape *t);
sw_status sw_net_transformer_shape(sw_net *net, const sw_transformer_shape *t,
                                   double bytes_per_elem, sw_error *err);

/* ResNet-50 at 224x224 (He et al. 2016), one layer per stem / bottleneck
 * block / classifier, FLOPs and parameters computed from the convolution
 * shapes (about 4.1 GMAC and 25.6 M parameters in all). */
sw_status sw_net_resnet50(sw_net *net, double bytes_per_elem, sw_error *err);

/* Parses a JSON description (see above).  `name` is used in messages;
 * jansson's line and column are reported for malformed JSON. */
sw_status sw_net_read_json(sw_net *net, const char *name, const char *buf, size_t len,
                           double bytes_per_elem, sw_error *err);
sw_status sw_net_read_file(sw_net *net, const char *path, double bytes_per_elem, sw_error *err);

/* A spec from the command line: "mlp:depth=8,width=1024",
 * "transformer:blocks=24,hidden=1024,seq=512,heads=16" (and the keys ffn,
 * kv_heads, vocab, glu, flash, dropout, tied, bias), "resnet50", a preset
 * ("gpt-1t", "llama3-405b", ...: sw_net_presets), or a path to a JSON
 * file.  Unknown families or keys are errors. */
sw_status sw_net_from_spec(sw_net *net, const char *spec, double bytes_per_elem, sw_error *err);

/* Published model shapes as transformer specs, {name, spec, source}
 * triples, NULL-terminated. */
typedef struct sw_net_preset {
    const char *name, *spec, *source;
} sw_net_preset;
extern const sw_net_preset sw_net_presets[];

/* Checks every layer: finite, non-negative numbers, at least one layer. */
sw_status sw_net_validate(const sw_net *net, sw_error *err);

/* Sums over layers. */
double sw_net_flops(const sw_net *net);       /* fwd + bwd per sample */
double sw_net_param_bytes(const sw_net *net);
double sw_net_attn_flops(const sw_net *net);  /* fwd attention-core FLOPs per sample */

void sw_net_free(sw_net *net);

#ifdef __cplusplus
}
#endif
#endif
