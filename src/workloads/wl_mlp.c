/* wl_mlp.c — `mlp`: data-parallel training of a multi-layer perceptron.
 *
 * Every rank holds the whole network (depth hidden ReLU layers of `width`
 * units between `in` inputs and `out` linear outputs, no biases) and its
 * share of the batch; one step is a forward pass, a backward pass, an
 * MPI_Allreduce of the gradients (one per layer, or bucketed) and an SGD
 * update.  The data are synthetic and fixed: inputs uniform in [-1, 1), a
 * linear teacher gives the targets, both pure functions of (seed, sample,
 * feature), so a sample is the same whichever rank holds it.
 *
 * This is the workload the simulator predicts, so one step does exactly
 * what docs/workloads.md lists: 3 GEMMs per layer (2 for the first), all
 * through OpenBLAS SGEMM, and 4 bytes per weight allreduced; the loss of
 * the run is summed over the ranks afterwards, outside the timed part
 * (mlp_finish), since it reports rather than trains.  The check is
 * that training worked (the loss fell below `factor` times its first value)
 * and that data parallelism stayed consistent (the weights are bitwise
 * identical on every rank), and that it learned something: the final loss
 * is below that of a network that outputs 0 (a network whose ReLUs all died
 * can otherwise beat a large first loss). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/wl_util.h"
#include "workloads/workload.h"

enum { P_DEPTH, P_WIDTH, P_IN, P_OUT, P_BATCH, P_STEPS, P_LR, P_BUCKET, P_FACTOR, P_SEED,
       P_CORRUPT, P_COUNT };
static const sw_wlp mlp_params[P_COUNT] = {
    [P_DEPTH] = {"depth", SW_WLP_INT, 1, 1000, 4, 0},
    [P_WIDTH] = {"width", SW_WLP_INT, 1, 65536, 1024, 0},
    [P_IN] = {"in", SW_WLP_INT, 1, 65536, 256, 0},
    [P_OUT] = {"out", SW_WLP_INT, 1, 65536, 16, 0},
    [P_BATCH] = {"batch", SW_WLP_INT, 1, 1 << 24, 256, 0},
    [P_STEPS] = {"steps", SW_WLP_INT, 1, 1000000, 10, 0},
    [P_LR] = {"lr", SW_WLP_REAL, 0, 10, 0, 0}, /* 0: auto, lr_auto() */
    [P_BUCKET] = {"bucket", SW_WLP_INT, 0, 1 << 22, 0, 0},
    [P_FACTOR] = {"factor", SW_WLP_REAL, 1e-9, 1, 0.7, 0},
    [P_SEED] = {"seed", SW_WLP_INT, 0, 9007199254740992.0, 42, 0},
    [P_CORRUPT] = {"corrupt", SW_WLP_INT, 0, 3, 0, 0},
};

typedef struct mlp_state {
    int nl;              /* weight layers = depth + 1 */
    int *dim;            /* dim[0..nl]: in, width x depth, out */
    long bg, b;          /* global and local batch */
    int steps, corrupt;
    long bucket_bytes;
    float lr, lr_in;     /* the rate of the layers on ReLUs, of the input layer */
    double factor;       /* final/initial loss must be below */
    float **w, **g;      /* per layer; g points into gbuf, last layer first */
    float *wbuf, *gbuf;
    float **h;           /* h[0] = inputs, h[l] activations (b x dim[l]) */
    float *t, *d0, *d1;  /* targets; two gradient-of-activation buffers */
    long nw;             /* weights in all layers */
    double t_gemm, t_comm; /* last run's seconds in SGEMM and in the allreduce, this rank */
    double sse[2];       /* this rank's squared error at the first and last step */
    double loss0, loss_last;
    double loss_zero;    /* loss of the network that outputs 0: learned nothing */
    int ran;
} mlp_state;

static sw_status parse(const char *params, sw_wlp *tab, sw_error *err)
{
    memcpy(tab, mlp_params, sizeof mlp_params);
    return sw_wlp_parse("mlp", tab, P_COUNT, params, err);
}

#define GET(k) sw_wlp_geti(tab, P_COUNT, k)

/* The learning rates, scaled to what full-batch gradient descent can take.
 * A layer fed by ReLUs (every layer but the first) sees inputs with a
 * non-zero mean, so its loss curvature along the mean grows with its fan-in,
 * and the layers' curvatures add up along it (at the looks-linear start the
 * network is a product of depth + 1 maps): lr = 51.2/(width (depth + 1))
 * keeps lr x curvature at what 0.01 is for the default 4 layers of 1024
 * (0.01 at width 2048 diverges; so does depth 50 at 10.24/width).  The
 * input layer sees zero-mean inputs (uniform in [-1, 1), variance 1/3 in
 * every direction), so its curvature does not grow with width: it could
 * learn width times faster and gets a tenth of that, width/10 x lr.  It is
 * the layer that learns the linear teacher quickly: with one rate for all
 * layers, a batch larger than `in` (where only the linear map lowers the
 * loss) learnt ~3% a step.  Below width 16 the curvature is that of a
 * unit's own variance, not of the mean over many: taken as width 16.  lr=0
 * in the params means this default. */
static double lr_auto(const sw_wlp *tab)
{
    double lr = sw_wlp_get(tab, P_COUNT, "lr");
    double w = (double)GET("width");
    return lr > 0 ? lr : 51.2 / (fmax(w, 16) * (double)(GET("depth") + 1));
}

static sw_status batch_sizes(const sw_wlp *tab, sw_scaling sc, int p, int nthreads, long *bg,
                             long *bmax, sw_error *err)
{
    long batch = GET("batch");
    *bg = sc == SW_SCALING_WEAK ? batch * p * (nthreads > 0 ? nthreads : 1) : batch;
    if (*bg < p)
        return sw_error_set(err, SW_EINVAL, "mlp: global batch %ld cannot be split over %d ranks",
                            *bg, p);
    *bmax = (*bg + p - 1) / p;
    return SW_OK;
}

/* Weights, gradients, activations h[0..nl], targets, two dH buffers. */
static double mlp_bytes(const sw_wlp *tab, long b)
{
    double depth = (double)GET("depth"), width = (double)GET("width"), in = (double)GET("in"),
           out = (double)GET("out");
    double nw = in * width + (depth - 1) * width * width + width * out;
    double act = b * (in + depth * width + out), widest = fmax(fmax(in, width), out);
    return sizeof(float) * (2 * nw + act + b * out + 2 * b * widest);
}

static sw_status mlp_estimate(const char *params, sw_scaling sc, int nranks, int nthreads,
                              double *bytes, sw_error *err)
{
    sw_wlp tab[P_COUNT];
    long bg = 0, bmax = 0;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK)
        st = batch_sizes(tab, sc, nranks, nthreads, &bg, &bmax, err);
    if (st == SW_OK)
        *bytes = mlp_bytes(tab, bmax);
    return st;
}

static void mlp_teardown(void *state)
{
    mlp_state *s = state;
    if (!s)
        return;
    if (s->h)
        for (int l = 0; l <= s->nl; l++)
            free(s->h[l]);
    free(s->h);
    free(s->w);
    free(s->g);
    free(s->wbuf);
    free(s->gbuf);
    free(s->t);
    free(s->d0);
    free(s->d1);
    free(s->dim);
    free(s);
}

static sw_status alloc_state(mlp_state *s, sw_error *err)
{
    s->nw = 0;
    int widest = 0;
    for (int l = 0; l <= s->nl; l++)
        widest = s->dim[l] > widest ? s->dim[l] : widest;
    for (int l = 0; l < s->nl; l++)
        s->nw += (long)s->dim[l] * s->dim[l + 1];
    s->w = calloc((size_t)s->nl, sizeof *s->w);
    s->g = calloc((size_t)s->nl, sizeof *s->g);
    s->h = calloc((size_t)s->nl + 1, sizeof *s->h);
    s->wbuf = malloc((size_t)s->nw * sizeof(float));
    s->gbuf = malloc((size_t)s->nw * sizeof(float));
    s->t = malloc((size_t)s->b * (size_t)s->dim[s->nl] * sizeof(float));
    s->d0 = malloc((size_t)s->b * (size_t)widest * sizeof(float));
    s->d1 = malloc((size_t)s->b * (size_t)widest * sizeof(float));
    if (!s->w || !s->g || !s->h || !s->wbuf || !s->gbuf || !s->t || !s->d0 || !s->d1)
        return sw_error_set(err, SW_ENOMEM, "mlp: out of memory for %ld weights", s->nw);
    for (int l = 0; l <= s->nl; l++)
        if (!(s->h[l] = malloc((size_t)s->b * (size_t)s->dim[l] * sizeof(float))))
            return sw_error_set(err, SW_ENOMEM, "mlp: out of memory for activations");
    /* Gradients of the last layer first: the order backward produces them,
     * so a bucket is a contiguous span. */
    long wo = 0, go = s->nw;
    for (int l = 0; l < s->nl; l++) {
        long sz = (long)s->dim[l] * s->dim[l + 1];
        s->w[l] = s->wbuf + wo;
        wo += sz;
        go -= sz;
        s->g[l] = s->gbuf + go;
    }
    return SW_OK;
}

/* Orthonormalises the columns (rows when there are fewer) of the r x c
 * matrix m by modified Gram-Schmidt, scaled so that x m keeps the variance
 * of x: a product of many such layers neither shrinks nor blows up a signal,
 * where one of uniform random matrices does once depth nears width. */
static void orthonormalise(double *m, int r, int c)
{
    int cols = r >= c; /* the vectors: columns of m, or its rows */
    int nv = cols ? c : r, len = cols ? r : c;
    long step = cols ? c : 1; /* between a vector's elements */
    double scale = sqrt(c > r ? (double)c / r : 1.0);
    for (int v = 0; v < nv; v++) {
        double *a = m + (cols ? v : (long)v * c);
        for (int u = 0; u < v; u++) {
            const double *b = m + (cols ? u : (long)u * c);
            double dot = 0;
            for (long e = 0; e < len; e++)
                dot += a[e * step] * b[e * step];
            for (long e = 0; e < len; e++)
                a[e * step] -= dot * b[e * step];
        }
        double nrm = 0;
        for (long e = 0; e < len; e++)
            nrm += a[e * step] * a[e * step];
        nrm = nrm > 0 ? 1 / sqrt(nrm) : 0;
        for (long e = 0; e < len; e++)
            a[e * step] *= nrm;
    }
    for (long i = 0; i < (long)r * c; i++)
        m[i] *= scale;
}

/* "Looks-linear" initial weights (Balduzzi et al. 2017, the shattered
 * gradients problem): hidden units come in pairs fed +z and -z, and the next
 * layer weighs a pair +v and -v, so v relu(z) - v relu(-z) = v z and the
 * network starts as a linear map of its input with the targets' scale.  A
 * plain He-initialised ReLU network of 20 or more layers maps every input
 * to nearly the same direction and cannot learn the teacher in 10 steps.
 * Each layer's base matrix (fan-in x fan-out over pairs) is uniform with
 * variance 1/fan-in, and orthonormal when the network is deep for its width
 * (8 depth > width), where products of random matrices lose the signal
 * (depth 100 of width 64 did not train).  Inputs uniform in [-1, 1) and
 * targets from a linear teacher with variance-preserving weights. */
static sw_status init_data(mlp_state *s, uint64_t seed, long lo, sw_error *err)
{
    int ortho = 8 * (s->nl - 1) > s->dim[1];
    for (int l = 0; l < s->nl; l++) {
        int k = s->dim[l], n = s->dim[l + 1];
        int pr = l > 0 && k > 1, pc = l + 1 < s->nl && n > 1; /* rows / columns paired */
        int kb = pr ? (k + 1) / 2 : k, nb = pc ? (n + 1) / 2 : n;
        double a = sqrt(3.0 / kb), *base = malloc((size_t)kb * (size_t)nb * sizeof *base);
        if (!base)
            return sw_error_set(err, SW_ENOMEM, "mlp: out of memory for the initial weights");
        for (long i = 0; i < (long)kb * nb; i++)
            base[i] = a * (2 * sw_wl_unit(seed, 1000 + (uint64_t)l, (uint64_t)i) - 1);
        if (ortho)
            orthonormalise(base, kb, nb);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++) {
                int neg = (pr && (i & 1)) != (pc && (j & 1));
                double v = base[(long)(pr ? i / 2 : i) * nb + (pc ? j / 2 : j)];
                s->w[l][(long)i * n + j] = (float)(neg ? -v : v);
            }
        free(base);
    }
    int in = s->dim[0], out = s->dim[s->nl];
    for (long i = 0; i < s->b; i++)
        for (int f = 0; f < in; f++)
            s->h[0][i * in + f] = (float)(2 * sw_wl_unit(seed, (uint64_t)(lo + i), (uint64_t)f) - 1);
    double ta = sqrt(3.0 / in);
    for (long i = 0; i < s->b; i++)
        for (int o = 0; o < out; o++) {
            double acc = 0;
            for (int f = 0; f < in; f++)
                acc += s->h[0][i * in + f] *
                       ta * (2 * sw_wl_unit(seed + 7, (uint64_t)f, (uint64_t)o) - 1);
            s->t[i * out + o] = (float)acc;
        }
    return SW_OK;
}

static sw_status mlp_setup(MPI_Comm comm, const char *params, sw_scaling sc, int nthreads,
                           void **state, char **canon, sw_error *err)
{
    *state = NULL;
    *canon = NULL;
    int p, rank;
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &rank);
    sw_wlp tab[P_COUNT];
    long bg = 0, bmax;
    sw_status st = parse(params, tab, err);
    if (st == SW_OK)
        st = batch_sizes(tab, sc, p, nthreads, &bg, &bmax, err);
    mlp_state *s = NULL;
    if (st == SW_OK && !(s = calloc(1, sizeof *s)))
        st = sw_error_set(err, SW_ENOMEM, "mlp: out of memory");
    long lo = 0;
    if (st == SW_OK) {
        s->nl = (int)GET("depth") + 1;
        s->dim = malloc(((size_t)s->nl + 1) * sizeof *s->dim);
        if (!s->dim)
            st = sw_error_set(err, SW_ENOMEM, "mlp: out of memory");
    }
    if (st == SW_OK) {
        s->dim[0] = (int)GET("in");
        for (int l = 1; l < s->nl; l++)
            s->dim[l] = (int)GET("width");
        s->dim[s->nl] = (int)GET("out");
        s->bg = bg;
        sw_wl_split(bg, rank, p, &lo, &s->b);
        s->steps = (int)GET("steps");
        double lr = lr_auto(tab);
        tab[P_LR].value = lr; /* the canonical params name the rate used */
        s->lr = (float)lr;
        s->lr_in = (float)(lr * s->dim[1] / 10.0);
        s->bucket_bytes = GET("bucket") * 1024L;
        s->corrupt = (int)GET("corrupt");
        s->factor = sw_wlp_get(tab, P_COUNT, "factor");
        sw_wl_blas_threads(nthreads);
        st = alloc_state(s, err);
#ifdef SW_SMPI /* values are never computed on under SMPI: skip the host work */
        (void)init_data;
        (void)lo;
#else
        if (st == SW_OK)
            st = init_data(s, (uint64_t)GET("seed"), lo, err);
#endif
    }
    if (st == SW_OK && !(*canon = sw_wlp_canon(tab, P_COUNT)))
        st = sw_error_set(err, SW_ENOMEM, "mlp: out of memory");
    st = sw_wl_agree(comm, st, err);
    if (st != SW_OK) {
        mlp_teardown(s);
        free(*canon);
        *canon = NULL;
        return st;
    }
    double tt = 0;
    for (long i = 0; i < s->b * s->dim[s->nl]; i++)
        tt += (double)s->t[i] * s->t[i];
    MPI_Allreduce(&tt, &s->loss_zero, 1, MPI_DOUBLE, MPI_SUM, comm);
    s->loss_zero /= 2.0 * s->bg;
    *state = s;
    return SW_OK;
}

/* Every GEMM of a step, timed: the split of a step between GEMM, allreduce
 * and the rest is what bench_kernels_mlp and the simulator's calibration
 * compare against (two clock reads per GEMM of ~10^6 flops or more). */
static void gemm(mlp_state *s, int ta, int tb, int m, int n, int k, const float *a, int lda,
                 const float *b, int ldb, float *c, int ldc)
{
    double t0 = MPI_Wtime();
    sw_wl_sgemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
    s->t_gemm += MPI_Wtime() - t0;
}

/* Forward pass; returns the local sum of squared errors. */
static double forward(mlp_state *s)
{
    int b = (int)s->b;
    for (int l = 0; l < s->nl; l++) {
        int k = s->dim[l], n = s->dim[l + 1];
        gemm(s, 0, 0, b, n, k, s->h[l], k, s->w[l], n, s->h[l + 1], n);
        if (l + 1 < s->nl) {
            float *z = s->h[l + 1];
            for (long i = 0; i < (long)b * n; i++)
                z[i] = z[i] > 0 ? z[i] : 0;
        }
    }
    double sse = 0;
    long no = (long)b * s->dim[s->nl];
    for (long i = 0; i < no; i++) {
        double d = (double)s->h[s->nl][i] - s->t[i];
        sse += d * d;
    }
    return sse;
}

/* Sums the gradient spans finished so far: per layer when bucket=0, else
 * once at least bucket_bytes are pending (and at the end). */
static float *flush(mlp_state *s, MPI_Comm comm, float *from, float *to, int last)
{
    long pending = (long)(to - from) * (long)sizeof(float);
    if (pending == 0 || (!last && pending < s->bucket_bytes))
        return from;
    double t0 = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, from, (int)(to - from), MPI_FLOAT, MPI_SUM, comm);
    s->t_comm += MPI_Wtime() - t0;
    return to;
}

/* Backward pass from the output error, allreducing as gradients appear. */
static void backward(mlp_state *s, MPI_Comm comm)
{
    int b = (int)s->b, out = s->dim[s->nl];
    float scale = 1.0f / (float)s->bg, *dz = s->d0, *dh = s->d1;
    for (long i = 0; i < (long)b * out; i++)
        dz[i] = (s->h[s->nl][i] - s->t[i]) * scale;
    float *pending = s->gbuf;
    for (int l = s->nl - 1; l >= 0; l--) {
        int k = s->dim[l], n = s->dim[l + 1];
        gemm(s, 1, 0, k, n, b, s->h[l], k, dz, n, s->g[l], n);
        pending = flush(s, comm, pending, s->g[l] + (long)k * n, l == 0);
        if (l == 0)
            break;
        gemm(s, 0, 1, b, k, n, dz, n, s->w[l], n, dh, k);
        const float *h = s->h[l];
        for (long i = 0; i < (long)b * k; i++)
            dh[i] = h[i] > 0 ? dh[i] : 0;
        float *tmp = dz;
        dz = dh;
        dh = tmp;
    }
}

/* The training steps: what a repetition times.  The loss of the first and
 * last step stays local (s->sse); mlp_finish sums it over the ranks. */
static sw_status mlp_train(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    (void)err;
    mlp_state *s = state;
    int rank;
    MPI_Comm_rank(comm, &rank);
    s->t_gemm = s->t_comm = 0;
    for (int step = 0; step < s->steps; step++) {
        double e = forward(s);
        if (step == 0)
            s->sse[0] = e;
        s->sse[1] = e;
        backward(s, comm);
        /* corrupt=1: one wrong gradient value after the allreduce, which
         * wrecks training; corrupt=2: a small one, which only the
         * cross-rank comparison of the weights can see. */
        if ((s->corrupt == 1 || s->corrupt == 2) && rank == 0)
            s->g[0][0] += s->corrupt == 1 ? 1e30f : 1e-3f;
        /* corrupt=3: every rank climbs the gradient instead of descending
         * it; the ranks agree, so only the loss check can catch it. */
        float sign = s->corrupt == 3 ? 1.0f : -1.0f;
        for (int l = 0; l < s->nl; l++) /* g is stored in backward order */
            sw_wl_saxpy((long)s->dim[l] * s->dim[l + 1], sign * (l == 0 ? s->lr_in : s->lr),
                        s->g[l], s->w[l]);
    }
    double gemm = 0;
    for (int l = 0; l < s->nl; l++)
        gemm += (l == 0 ? 4.0 : 6.0) * (double)s->bg * s->dim[l] * s->dim[l + 1];
    res->flops = s->steps * gemm;
    res->bytes = s->steps * (double)s->nw * sizeof(float);
    res->ops = s->steps; /* the harness records seconds per SGD step */
    return SW_OK;
}

/* The loss is reported and checked, not trained on: its reduction (one
 * allreduce of 2 lg p latencies per run, 1.8 % of a 1024-rank step) is left
 * out of the timed part, so the time is that of the steps alone — what
 * `scalewall simulate` predicts. */
static sw_status mlp_finish(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    (void)err;
    mlp_state *s = state;
    double glob[2];
    MPI_Allreduce(s->sse, glob, 2, MPI_DOUBLE, MPI_SUM, comm);
    if (!s->ran)
        s->loss0 = glob[0] / (2.0 * s->bg);
    s->ran = 1;
    s->loss_last = glob[1] / (2.0 * s->bg);
    res->metric = s->loss_last;
    res->metric_name = "loss";
    return SW_OK;
}

static sw_status mlp_run(void *state, MPI_Comm comm, sw_wl_result *res, sw_error *err)
{
    sw_status st = mlp_train(state, comm, res, err);
    return st ? st : mlp_finish(state, comm, res, err);
}

/* FNV-1a over the weights' bytes: bitwise identity, not closeness. */
static uint64_t weights_hash(const mlp_state *s)
{
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *p = (const unsigned char *)s->wbuf;
    for (size_t i = 0; i < (size_t)s->nw * sizeof(float); i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static sw_status mlp_check(void *state, MPI_Comm comm, sw_error *err)
{
    mlp_state *s = state;
    uint64_t h = weights_hash(s), hmin, hmax;
    MPI_Allreduce(&h, &hmin, 1, MPI_UINT64_T, MPI_MIN, comm);
    MPI_Allreduce(&h, &hmax, 1, MPI_UINT64_T, MPI_MAX, comm);
    double sse = forward(s), glob;
    MPI_Allreduce(&sse, &glob, 1, MPI_DOUBLE, MPI_SUM, comm);
    double loss = glob / (2.0 * s->bg);
    if (hmin != hmax)
        return sw_error_set(err, SW_ECHECK,
                            "mlp: weights differ across ranks after training (hash %016llx vs "
                            "%016llx): gradients were not the same everywhere",
                            (unsigned long long)hmin, (unsigned long long)hmax);
    if (!s->ran)
        return sw_error_set(err, SW_ECHECK, "mlp: check before any run");
    double ratio = loss / s->loss0;
    if (!(ratio < s->factor))
        return sw_error_set(err, SW_ECHECK,
                            "mlp: loss went from %.6g to %.6g (x%.4g), expected below x%g of "
                            "the first",
                            s->loss0, loss, ratio, s->factor);
    if (!(loss < s->loss_zero))
        return sw_error_set(err, SW_ECHECK,
                            "mlp: final loss %.6g is not below %.6g, the loss of predicting 0: "
                            "the network learned nothing",
                            loss, s->loss_zero);
    return SW_OK;
}

void sw_wl_mlp_times(const void *state, double *gemm_s, double *allreduce_s)
{
    const mlp_state *s = state;
    *gemm_s = s->t_gemm;
    *allreduce_s = s->t_comm;
}

void sw_wl_mlp_shape(const void *state, int *nlayers, const int **dim, long *batch)
{
    const mlp_state *s = state;
    *nlayers = s->nl;
    *dim = s->dim;
    *batch = s->b;
}

const sw_workload sw_wl_mlp = {
    .name = "mlp",
    .summary = "data-parallel MLP training with SGD (OpenBLAS SGEMM, gradient allreduce), loss "
               "and cross-rank weight identity checked",
    .params_help = "depth=4 (hidden layers), width=1024, in=256, out=16, batch=256 (strong: "
                   "global, weak: per rank), steps=10, lr=0 (auto: 51.2/(width (depth+1)), the "
                   "input layer width/10 x lr), bucket=0 (KiB per allreduce, 0 "
                   "= one per layer), factor=0.7 (final/initial loss must be below), seed=42, "
                   "corrupt=0 (1: a wrong gradient, 2: ranks disagree, 3: gradient ascent)",
    .estimate = mlp_estimate,
    .setup = mlp_setup,
    .run = mlp_run,
    .check = mlp_check,
    .teardown = mlp_teardown,
    .run_timed = mlp_train,
    .finish = mlp_finish,
};
