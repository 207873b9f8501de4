/* wl_spike.c — `spike`: a time-stepped network of leaky integrate-and-fire
 * neurons (Brunel 2000, model A: delta synapses, 80% excitatory, inhibition
 * g times stronger, Poisson external drive), neurons split across ranks,
 * the spikes of every step exchanged with MPI_Allgatherv.  Its figure is the
 * real-time factor, wall time / simulated time: the "quantal time" workload,
 * where every step ends in a collective however little work it holds.
 *
 * Everything random is a pure function of (seed, neuron, index): the
 * connectivity, the initial potentials and each neuron's external input at
 * each step.  Spikes are delivered in ascending neuron order on any number
 * of ranks, so every neuron sums its inputs in the same order and the run is
 * bitwise deterministic.  That is what the check uses: the spike count and a
 * fingerprint of the whole raster must equal those of a serial reference run
 * (rank 0 simulates the whole network alone, same code, no MPI), and the
 * mean rate must be in a plausible range. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/wl_util.h"
#include "workloads/workload.h"

/* Brunel's fixed constants: membrane time constant, threshold, reset and
 * refractory period (ms, mV). */
#define LIF_TAU 20.0
#define LIF_THETA 20.0
#define LIF_RESET 10.0
#define LIF_REFRACTORY 2.0
#define EXC_FRACTION 0.8
#define POISSON_KMAX 1000

enum { P_N, P_CONN, P_T, P_DT, P_DELAY, P_J, P_G, P_ETA, P_RMIN, P_RMAX, P_VERIFY, P_SEED,
       P_CORRUPT, P_COUNT };
static const sw_wlp spike_params[P_COUNT] = {
    [P_N] = {"n", SW_WLP_INT, 2, 1e8, 10000, 0},
    [P_CONN] = {"conn", SW_WLP_INT, 1, 1e5, 1000, 0},
    [P_T] = {"t", SW_WLP_REAL, 1e-3, 1e7, 200, 0},
    [P_DT] = {"dt", SW_WLP_REAL, 1e-3, 10, 0.1, 0},
    [P_DELAY] = {"delay", SW_WLP_REAL, 1e-3, 100, 1.5, 0},
    [P_J] = {"j", SW_WLP_REAL, 0, 20, 0.1, 0},
    [P_G] = {"g", SW_WLP_REAL, 0, 100, 5, 0},
    [P_ETA] = {"eta", SW_WLP_REAL, 0, 100, 2, 0},
    [P_RMIN] = {"rmin", SW_WLP_REAL, 0, 1000, 1, 0},
    [P_RMAX] = {"rmax", SW_WLP_REAL, 0, 1000, 100, 0},
    [P_VERIFY] = {"verify", SW_WLP_INT, 0, 1, 1, 0},
    [P_SEED] = {"seed", SW_WLP_INT, 0, 9007199254740992.0, 42, 0},
    [P_CORRUPT] = {"corrupt", SW_WLP_INT, 0, 1, 0, 0},
};

/* The network's parameters, shared by the distributed run and the serial
 * reference. */
typedef struct spike_net {
    long n, ne;          /* neurons, of which excitatory */
    int ce, ci;          /* excitatory and inhibitory in-degree */
    int steps, dsteps, refsteps;
    double decay, j, jin, lambda, emlambda;
    uint64_t seed;
} spike_net;

/* One rank's share, or the whole network for the reference. */
typedef struct spike_part {
    long lo, cnt;
    int *ptr;            /* n + 1: targets of presynaptic neuron p are tgt[ptr[p]..ptr[p+1]) */
    int *tgt;            /* local indices */
    double *v, *ring;    /* potentials; (dsteps + 1) input slots per neuron */
    int *refr;
    int *mine, *all;     /* this step's local spikes; everyone's */
    int *counts, *displs;
} spike_part;

typedef struct spike_state {
    spike_net net;
    spike_part part;
    int rank, size, verify, corrupt;
    double rmin, rmax, tsim_ms;
    unsigned long long spikes, fp; /* last run: total spikes, raster fingerprint */
    int have_ref;                  /* the serial reference, computed once: the */
    unsigned long long ref[2];     /* harness checks after every repetition */
} spike_state;

static sw_status parse(const char *params, sw_wlp *tab, sw_error *err)
{
    memcpy(tab, spike_params, sizeof spike_params);
    return sw_wlp_parse("spike", tab, P_COUNT, params, err);
}

#define GETR(k) sw_wlp_get(tab, P_COUNT, k)

/* Strong: n neurons in all.  Weak: n per unit (rank x thread, the N of the
 * results; in-degree fixed, so the work per unit stays while the spikes
 * exchanged grow with N). */
static sw_status make_net(const sw_wlp *tab, sw_scaling sc, int p, int nthreads,
                          spike_net *net, sw_error *err)
{
    double n = GETR("n") * (sc == SW_SCALING_WEAK ? (double)p * (nthreads > 0 ? nthreads : 1)
                                                  : 1);
    if (n < p)
        return sw_error_set(err, SW_EINVAL, "spike: %.0f neurons cannot be split over %d ranks",
                            n, p);
    if (n > 2147483647.0)
        return sw_error_set(err, SW_EINVAL, "spike: %.0f neurons overflow 32-bit ids", n);
    double dt = GETR("dt");
    net->n = (long)n;
    net->ne = lround(EXC_FRACTION * n);
    int conn = (int)GETR("conn");
    net->ce = (int)lround(EXC_FRACTION * conn);
    net->ci = conn - net->ce;
    if (net->ne < 1 || (net->ci > 0 && net->ne >= net->n))
        return sw_error_set(err, SW_EINVAL, "spike: n=%ld is too small for an excitatory and "
                            "an inhibitory population", net->n);
    net->steps = (int)lround(GETR("t") / dt);
    net->dsteps = (int)lround(GETR("delay") / dt);
    net->refsteps = (int)lround(LIF_REFRACTORY / dt);
    if (net->steps < 1 || net->dsteps < 1)
        return sw_error_set(err, SW_EINVAL, "spike: t=%g and delay=%g must each be at least one "
                            "step of dt=%g ms", GETR("t"), GETR("delay"), dt);
    if (GETR("rmin") > GETR("rmax"))
        return sw_error_set(err, SW_EINVAL, "spike: rmin=%g is above rmax=%g", GETR("rmin"),
                            GETR("rmax"));
    net->decay = exp(-dt / LIF_TAU);
    net->j = GETR("j");
    net->jin = -GETR("g") * net->j;
    /* External rate eta * nu_thr, nu_thr = theta / (J C_E tau), through C_E
     * synapses: lambda = eta theta dt / (J tau) arrivals per step. */
    net->lambda = net->j > 0 ? GETR("eta") * LIF_THETA * dt / (net->j * LIF_TAU) : 0;
    if (net->lambda > 100)
        return sw_error_set(err, SW_EINVAL, "spike: %.3g external spikes per step (eta*theta*"
                            "dt/(j*tau)) is beyond the Poisson sampler (<= 100)", net->lambda);
    net->emlambda = exp(-net->lambda);
    net->seed = (uint64_t)GETR("seed");
    return SW_OK;
}

static double part_bytes(const spike_net *net, long cnt, int p)
{
    long conn = net->ce + net->ci;
    return 2.0 * (net->n + 1) * sizeof(int) /* ptr and the build cursor */ +
           (double)cnt * conn * sizeof(int) +
           (double)cnt * (sizeof(double) * (net->dsteps + 2) + 2 * sizeof(int)) +
           (double)net->n * sizeof(int) + 2.0 * p * sizeof(int);
}

static sw_status spike_estimate(const char *params, sw_scaling sc, int nranks, int nthreads,
                                double *bytes, sw_error *err)
{
    sw_wlp tab[P_COUNT];
    spike_net net;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK)
        st = make_net(tab, sc, nranks, nthreads, &net, err);
    if (st != SW_OK)
        return st;
    /* Rank 0 holds the largest share and, when verifying, the reference. */
    *bytes = part_bytes(&net, (net.n + nranks - 1) / nranks, nranks);
    if (GETR("verify") != 0)
        *bytes += part_bytes(&net, net.n, 1);
    return SW_OK;
}

static void part_free(spike_part *pt)
{
    free(pt->ptr);
    free(pt->tgt);
    free(pt->v);
    free(pt->ring);
    free(pt->refr);
    free(pt->mine);
    free(pt->all);
    free(pt->counts);
    free(pt->displs);
    memset(pt, 0, sizeof *pt);
}

/* The c-th presynaptic neuron of post: excitatory for c < C_E. */
static long pre_of(const spike_net *net, long post, int c)
{
    uint64_t h = sw_wl_hash(net->seed, (uint64_t)post, (uint64_t)c);
    return c < net->ce ? (long)(h % (uint64_t)net->ne)
                       : net->ne + (long)(h % (uint64_t)(net->n - net->ne));
}

/* Connectivity by presynaptic neuron (what delivery walks), in two passes
 * over the same hashes so no per-synapse temporary is needed. */
static int build(const spike_net *net, spike_part *pt)
{
    int conn = net->ce + net->ci;
    int *cur = calloc((size_t)net->n + 1, sizeof *cur);
    if (!cur)
        return -1;
    for (long i = 0; i < pt->cnt; i++)
        for (int c = 0; c < conn; c++)
            pt->ptr[pre_of(net, pt->lo + i, c) + 1]++;
    for (long p = 0; p < net->n; p++)
        pt->ptr[p + 1] += pt->ptr[p];
    memcpy(cur, pt->ptr, (size_t)net->n * sizeof *cur);
    for (long i = 0; i < pt->cnt; i++)
        for (int c = 0; c < conn; c++)
            pt->tgt[cur[pre_of(net, pt->lo + i, c)]++] = (int)i;
    free(cur);
    return 0;
}

static int part_init(const spike_net *net, spike_part *pt, long lo, long cnt, int p)
{
    pt->lo = lo;
    pt->cnt = cnt;
    size_t c = (size_t)cnt, conn = (size_t)(net->ce + net->ci);
    pt->ptr = calloc((size_t)net->n + 1, sizeof *pt->ptr);
    pt->tgt = malloc((c * conn > 0 ? c * conn : 1) * sizeof *pt->tgt);
    pt->v = malloc(c * sizeof *pt->v);
    pt->ring = malloc(c * (size_t)(net->dsteps + 1) * sizeof *pt->ring);
    pt->refr = malloc(c * sizeof *pt->refr);
    pt->mine = malloc(c * sizeof *pt->mine);
    pt->all = malloc((size_t)net->n * sizeof *pt->all);
    pt->counts = malloc((size_t)p * sizeof *pt->counts);
    pt->displs = malloc((size_t)p * sizeof *pt->displs);
    if (!pt->ptr || !pt->tgt || !pt->v || !pt->ring || !pt->refr || !pt->mine || !pt->all ||
        !pt->counts || !pt->displs)
        return -1;
    return build(net, pt);
}

/* Poisson(lambda) by inversion of one uniform: a pure function of the
 * uniform, so of (seed, neuron, step). */
static int poisson(const spike_net *net, double u)
{
    int k = 0;
    double pk = net->emlambda, cdf = pk;
    while (u > cdf && k < POISSON_KMAX) {
        k++;
        pk *= net->lambda / k;
        cdf += pk;
    }
    return k;
}

/* Integrates the local neurons over one step; returns the local spikes. */
static int update(const spike_net *net, spike_part *pt, int t, int force0,
                  unsigned long long *fp)
{
    int nspk = 0;
    double *slot = pt->ring + (size_t)(t % (net->dsteps + 1)) * (size_t)pt->cnt;
    for (long i = 0; i < pt->cnt; i++) {
        long gi = pt->lo + i;
        double u = sw_wl_unit(net->seed ^ 0x5bd1e995ULL, (uint64_t)gi, (uint64_t)t);
        double in = net->j * poisson(net, u) + slot[i];
        slot[i] = 0;
        if (pt->refr[i] > 0) {
            pt->refr[i]--;
            continue;
        }
        pt->v[i] = pt->v[i] * net->decay + in;
        int fire = pt->v[i] >= LIF_THETA;
        if (force0 && gi == 0)
            fire = !fire; /* corrupt=1: neuron 0's first decision inverted */
        if (fire) {
            pt->v[i] = LIF_RESET;
            pt->refr[i] = net->refsteps;
            pt->mine[nspk++] = (int)gi;
            *fp += sw_wl_hash(net->seed, (uint64_t)gi, (uint64_t)t);
        }
    }
    return nspk;
}

/* Everyone's spikes of this step, in ascending id order (ranks own
 * ascending contiguous ranges).  comm == MPI_COMM_NULL: the serial
 * reference, where the local spikes are all the spikes. */
static int exchange(spike_part *pt, int nspk, MPI_Comm comm)
{
    if (comm == MPI_COMM_NULL) {
        memcpy(pt->all, pt->mine, (size_t)nspk * sizeof *pt->all);
        return nspk;
    }
    int p;
    MPI_Comm_size(comm, &p);
    MPI_Allgather(&nspk, 1, MPI_INT, pt->counts, 1, MPI_INT, comm);
    int total = 0;
    for (int r = 0; r < p; r++) {
        pt->displs[r] = total;
        total += pt->counts[r];
    }
    MPI_Allgatherv(pt->mine, nspk, MPI_INT, pt->all, pt->counts, pt->displs, MPI_INT, comm);
    return total;
}

static void deliver(const spike_net *net, spike_part *pt, int t, int total)
{
    double *slot = pt->ring + (size_t)((t + net->dsteps) % (net->dsteps + 1)) * (size_t)pt->cnt;
    for (int s = 0; s < total; s++) {
        int pre = pt->all[s];
        double w = pre < net->ne ? net->j : net->jin;
        for (int k = pt->ptr[pre]; k < pt->ptr[pre + 1]; k++)
            slot[pt->tgt[k]] += w;
    }
}

/* One simulation from the initial state; returns local spikes. */
static unsigned long long simulate(const spike_net *net, spike_part *pt, MPI_Comm comm,
                                   int corrupt, unsigned long long *fp)
{
    for (long i = 0; i < pt->cnt; i++) {
        pt->v[i] = LIF_THETA * sw_wl_unit(net->seed + 3, (uint64_t)(pt->lo + i), 0);
        pt->refr[i] = 0;
    }
    memset(pt->ring, 0, (size_t)pt->cnt * (size_t)(net->dsteps + 1) * sizeof *pt->ring);
    unsigned long long count = 0;
    *fp = 0;
    for (int t = 0; t < net->steps; t++) {
        int nspk = update(net, pt, t, corrupt && t == 0, fp);
        count += (unsigned long long)nspk;
        deliver(net, pt, t, exchange(pt, nspk, comm));
    }
    return count;
}

static void spike_teardown(void *state)
{
    spike_state *s = state;
    if (!s)
        return;
    part_free(&s->part);
    free(s);
}

static sw_status spike_setup(MPI_Comm comm, const char *params, sw_scaling sc, int nthreads,
                             void **state, char **canon, sw_error *err)
{
    *state = NULL;
    *canon = NULL;
    int p, rank;
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &rank);
    sw_wlp tab[P_COUNT];
    spike_state *s = NULL;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK && !(s = calloc(1, sizeof *s)))
        st = sw_error_set(err, SW_ENOMEM, "spike: out of memory");
    if (st == SW_OK)
        st = make_net(tab, sc, p, nthreads, &s->net, err);
    if (st == SW_OK) {
        s->rank = rank;
        s->size = p;
        s->verify = (int)GETR("verify");
        s->corrupt = (int)GETR("corrupt");
        s->rmin = GETR("rmin");
        s->rmax = GETR("rmax");
        s->tsim_ms = s->net.steps * GETR("dt");
        long lo, cnt;
        sw_wl_split(s->net.n, rank, p, &lo, &cnt);
        if (part_init(&s->net, &s->part, lo, cnt, p) != 0)
            st = sw_error_set(err, SW_ENOMEM, "spike: cannot allocate %.0f bytes",
                              part_bytes(&s->net, cnt, p));
    }
    if (st == SW_OK && !(*canon = sw_wlp_canon(tab, P_COUNT)))
        st = sw_error_set(err, SW_ENOMEM, "spike: out of memory");
    st = sw_wl_agree(comm, st, err);
    if (st != SW_OK) {
        spike_teardown(s);
        free(*canon);
        *canon = NULL;
        return st;
    }
    *state = s;
    return SW_OK;
}

static sw_status spike_run(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    (void)err;
    spike_state *s = state;
    double t0 = MPI_Wtime();
    unsigned long long fp, cnt = simulate(&s->net, &s->part, comm, s->corrupt, &fp);
    double wall = MPI_Wtime() - t0;
    unsigned long long loc[2] = {cnt, fp}, glob[2];
    /* Unsigned sums wrap modulo 2^64: the fingerprint is order-free. */
    MPI_Allreduce(loc, glob, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm);
    double wmax;
    MPI_Allreduce(&wall, &wmax, 1, MPI_DOUBLE, MPI_MAX, comm);
    s->spikes = glob[0];
    s->fp = glob[1];
    res->flops = NAN;
    res->bytes = NAN;
    res->metric = wmax / (s->tsim_ms * 1e-3);
    res->metric_name = "rtf";
    return SW_OK;
}

/* The serial reference on rank 0: the whole network, same code, no MPI. */
static sw_status reference(const spike_state *s, unsigned long long *cnt,
                           unsigned long long *fp, sw_error *err)
{
    spike_part ref = {0};
    if (part_init(&s->net, &ref, 0, s->net.n, 1) != 0) {
        part_free(&ref);
        return sw_error_set(err, SW_ENOMEM, "spike: cannot allocate the serial reference "
                            "(%.0f bytes; verify=0 skips it)", part_bytes(&s->net, s->net.n, 1));
    }
    *cnt = simulate(&s->net, &ref, MPI_COMM_NULL, 0, fp);
    part_free(&ref);
    return SW_OK;
}

static sw_status spike_check(void *state, MPI_Comm comm, sw_error *err)
{
    spike_state *s = state;
    sw_status st = SW_OK;
    if (s->verify && !s->have_ref) {
        if (s->rank == 0)
            st = reference(s, &s->ref[0], &s->ref[1], err);
        st = sw_wl_agree(comm, st, err);
        if (st != SW_OK)
            return st;
        MPI_Bcast(s->ref, 2, MPI_UNSIGNED_LONG_LONG, 0, comm);
        s->have_ref = 1;
    }
    if (s->verify) {
        const unsigned long long *ref = s->ref;
        if (ref[0] != s->spikes || ref[1] != s->fp)
            return sw_error_set(err, SW_ECHECK,
                                "spike: %llu spikes (raster %016llx) on %d ranks, the serial "
                                "reference has %llu (raster %016llx): the runs differ",
                                s->spikes, s->fp, s->size, ref[0], ref[1]);
    }
    double rate = (double)s->spikes / ((double)s->net.n * s->tsim_ms * 1e-3);
    if (!(rate >= s->rmin && rate <= s->rmax))
        return sw_error_set(err, SW_ECHECK,
                            "spike: mean rate %.4g Hz (%llu spikes of %ld neurons in %g ms), "
                            "expected in [%g, %g] Hz",
                            rate, s->spikes, s->net.n, s->tsim_ms, s->rmin, s->rmax);
    return SW_OK;
}

const sw_workload sw_wl_spike = {
    .name = "spike",
    .summary = "leaky integrate-and-fire network (Brunel), spikes allgathered every step; "
               "real-time factor, determinism vs a serial reference checked",
    .params_help = "n=10000 (neurons; weak: per rank), conn=1000 (in-degree, 80% excitatory), "
                   "t=200 (ms simulated), dt=0.1 (ms), delay=1.5 (ms), j=0.1 (mV), g=5, eta=2, "
                   "rmin=1,rmax=100 (Hz), verify=1 (serial reference), seed=42, corrupt=0",
    .estimate = spike_estimate,
    .setup = spike_setup,
    .run = spike_run,
    .check = spike_check,
    .teardown = spike_teardown,
};
