/* memory.c — bytes per unit: model states by precision, optimizer and
 * ZeRO stage, and the activations the schedule keeps alive.
 *
 * Model states follow ZeRO (Rajbhandari et al., SC'20) exactly: Ψ
 * parameters held in the training precision (2Ψ bytes at fp16/bf16),
 * their gradients (2Ψ) and the optimizer state KΨ — mixed-precision Adam
 * keeps an fp32 master copy, momentum and variance (K = 12), plain fp32
 * Adam its two moments (K = 8), mixed-precision SGD the master copy
 * (K = 4).  Stage 1 divides the optimizer state by the data-parallel
 * degree N_d, stage 2 also the gradients, stage 3 also the parameters.
 * Ψ is what this unit's model shard holds: tensor parallelism divides a
 * split layer's parameters, pipeline parallelism gives each stage its own
 * layers.  Activations are not a formula but a walk of the stage's own
 * operation order: a forward adds its chunk's kept activations, the
 * matching backward frees them, and the peak is what must fit (1F1B keeps
 * at most pp micro-batches on the first stage, GPipe all m). */
#include <math.h>
#include <string.h>

#include "sim_internal.h"

double sim_optimizer_k(sw_optimizer o, double bpe)
{
    int mixed = bpe < 4;
    switch (o) {
    case SW_OPT_ADAM:
    case SW_OPT_LAMB: return mixed ? 12 : 8;
    case SW_OPT_LARS: return mixed ? 8 : 4; /* (master copy +) momentum */
    case SW_OPT_SGD: return mixed ? 4 : 0;
    default: return 0;
    }
}

static void stage_memory(const sim_ctx *x, long s, sw_sim_memory *m)
{
    const sw_sim_config *c = x->c;
    double bpe = x->net->bytes_per_elem, shard = x->place.dp.size;
    double psi = 0, work = 0, maxpsi = 0;
    for (long ch = 0; ch < x->v; ch++) {
        long vs = ch * x->pp + s;
        for (size_t l = x->lo[vs]; l < x->hi[vs]; l++) {
            psi += x->cost[l].psi;
            work = fmax(work, x->cost[l].stash_full);
            maxpsi = fmax(maxpsi, x->cost[l].psi);
        }
    }
    memset(m, 0, sizeof *m);
    m->psi = psi;
    m->k = sim_optimizer_k(c->optimizer, bpe);
    m->params = bpe * psi / (c->zero >= 3 ? shard : 1);
    m->grads = bpe * psi / (c->zero >= 2 ? shard : 1);
    m->optim = m->k * psi / (c->zero >= 1 ? shard : 1);
    /* ZeRO-3 holds the layer it computes and the one it prefetches. */
    m->buffers = work + (c->zero >= 3 ? 2 * bpe * maxpsi : 0);
    double live = 0, peak = 0, n = 0, npeak = 0;
    long nops = sim_sched_nops(x);
    for (long k = 0; k < nops; k++) {
        int fwd;
        long j, ch;
        sim_sched_op(x, s, k, &fwd, &j, &ch);
        long vs = ch * x->pp + s;
        double a = 0;
        for (size_t l = x->lo[vs]; l < x->hi[vs]; l++)
            a += x->cost[l].stash;
        live += fwd ? a : -a;
        n += fwd ? 1 : -1;
        if (live > peak) {
            peak = live;
            npeak = n;
        }
    }
    m->acts = peak;
    m->inflight = npeak / (double)x->v;
    m->stage = (double)s;
    m->total = m->params + m->grads + m->optim + m->acts + m->buffers;
}

/* The optimizer step streams the model state once: it reads the gradient
 * (training precision), reads and writes the K bytes of state (with mixed
 * precision the fp32 master copy is part of K) and writes the parameter,
 * which without mixed precision is the master itself and is read too:
 * mixed-precision Adam 2 + 2 x 12 + 2 = 28 bytes per parameter, fp32 Adam
 * 4 + 2 x 8 + 2 x 4 = 28, SGD 12 either way.  The trust ratios add a
 * pass: LAMB (apex's FusedLAMB) writes its fp32 update, reads it and the
 * fp32 weights for their norms and again to apply it (+20); LARS reads the
 * weights and the gradient for their norms before the update (+4 + bpe). */
double sim_update_bytes(sw_optimizer o, double bpe)
{
    if (o == SW_OPT_NONE)
        return 0;
    double b = bpe + 2 * sim_optimizer_k(o, bpe) + (bpe < 4 ? bpe : 2 * bpe);
    return b + (o == SW_OPT_LAMB ? 20 : o == SW_OPT_LARS ? 4 + bpe : 0);
}

sw_status sim_memory(const sim_ctx *x, sw_sim_memory *out, sw_error *err)
{
    (void)err;
    sw_sim_memory m;
    memset(out, 0, sizeof *out);
    for (long s = 0; s < x->pp; s++) {
        stage_memory(x, s, &m);
        if (s == 0 || m.total > out->total)
            *out = m;
    }
    out->capacity = x->plat->mem_bytes;
    out->fits = !(out->capacity > 0) || out->total <= out->capacity;
    return SW_OK;
}
