/* wl_util.c — parameter tables, counter-based randomness and collective
 * error agreement shared by the built-in workloads (see wl_util.h). */
#include "workloads/wl_util.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "workloads/smpi_support.h"

static sw_wlp *find(sw_wlp *tab, size_t n, const char *key, size_t klen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(tab[i].key) == klen && strncmp(tab[i].key, key, klen) == 0)
            return &tab[i];
    return NULL;
}

static void known_keys(const sw_wlp *tab, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", tab[i].key);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Parses one "key=value" item of length len. */
static sw_status parse_item(const char *wl, sw_wlp *tab, size_t n, const char *item, size_t len,
                            unsigned char *seen, sw_error *err)
{
    const char *eq = memchr(item, '=', len);
    if (!eq)
        return sw_error_set(err, SW_EPARSE, "%s: parameter '%.*s' is not key=value", wl,
                            (int)len, item);
    size_t klen = (size_t)(eq - item);
    sw_wlp *p = find(tab, n, item, klen);
    if (!p) {
        char keys[512];
        known_keys(tab, n, keys, sizeof keys);
        return sw_error_set(err, SW_EINVAL, "%s: unknown parameter '%.*s' (known: %s)", wl,
                            (int)klen, item, keys);
    }
    size_t idx = (size_t)(p - tab);
    if (seen[idx])
        return sw_error_set(err, SW_EINVAL, "%s: parameter '%s' given twice", wl, p->key);
    seen[idx] = 1;
    char val[128];
    size_t vlen = len - klen - 1;
    if (vlen >= sizeof val)
        return sw_error_set(err, SW_EPARSE, "%s: value of '%s' is too long", wl, p->key);
    memcpy(val, eq + 1, vlen);
    val[vlen] = '\0';
    double v;
    if (sw_parse_double(val, &v) != 1)
        return sw_error_set(err, SW_EPARSE, "%s: %s='%s' is not a number", wl, p->key, val);
    if (p->type == SW_WLP_INT && v != floor(v))
        return sw_error_set(err, SW_EPARSE, "%s: %s='%s' is not a whole number", wl, p->key,
                            val);
    if (v < p->min || v > p->max)
        return sw_error_set(err, SW_EINVAL, "%s: %s=%s is out of range [%g, %g]", wl, p->key,
                            val, p->min, p->max);
    p->value = v;
    return SW_OK;
}

sw_status sw_wlp_parse(const char *workload, sw_wlp *tab, size_t n, const char *params,
                       sw_error *err)
{
    for (size_t i = 0; i < n; i++)
        tab[i].value = tab[i].def;
    if (!params)
        return SW_OK;
    unsigned char seen[64] = {0};
    if (n > sizeof seen)
        return sw_error_set(err, SW_EINVAL, "%s: too many parameters in table", workload);
    const char *s = params;
    while (*s) {
        size_t len = strcspn(s, ",;");
        const char *item = s;
        while (len > 0 && (*item == ' ' || *item == '\t')) {
            item++;
            len--;
        }
        while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t'))
            len--;
        if (len > 0) {
            sw_status st = parse_item(workload, tab, n, item, len, seen, err);
            if (st != SW_OK)
                return st;
        }
        s += strcspn(s, ",;");
        if (*s)
            s++;
    }
    return SW_OK;
}

double sw_wlp_get(const sw_wlp *tab, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i].key, key) == 0)
            return tab[i].value;
    return NAN; /* a programming error: every caller names a key of its own table */
}

long sw_wlp_geti(const sw_wlp *tab, size_t n, const char *key)
{
    double v = sw_wlp_get(tab, n, key);
    return isfinite(v) ? (long)v : 0;
}

char *sw_wlp_canon(const sw_wlp *tab, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(tab[i].key) + 32;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t used = 0;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = i ? ";" : "";
        /* The shortest of %.15g/%.17g that reads back as the same double. */
        char num[40];
        snprintf(num, sizeof num, tab[i].type == SW_WLP_INT ? "%.0f" : "%.15g", tab[i].value);
        if (strtod(num, NULL) != tab[i].value)
            snprintf(num, sizeof num, "%.17g", tab[i].value);
        int w = snprintf(s + used, cap - used, "%s%s=%s", sep, tab[i].key, num);
        if (w < 0 || (size_t)w >= cap - used) {
            free(s);
            return NULL;
        }
        used += (size_t)w;
    }
    return s;
}

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sw_wl_hash(uint64_t seed, uint64_t a, uint64_t b)
{
    return mix(mix(mix(seed) ^ a) ^ b);
}

double sw_wl_unit(uint64_t seed, uint64_t a, uint64_t b)
{
    return (double)(sw_wl_hash(seed, a, b) >> 11) * 0x1.0p-53;
}

sw_status sw_wl_agree(MPI_Comm comm, sw_status st, sw_error *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    int mine = st == SW_OK ? 0x7fffffff : rank, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == 0x7fffffff)
        return SW_OK;
    int code = (int)st;
    char msg[SW_ERROR_MSG_MAX];
    if (rank == first)
        snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
    MPI_Bcast(&code, 1, MPI_INT, first, comm);
    MPI_Bcast(msg, (int)sizeof msg, MPI_CHAR, first, comm);
    if (rank != first)
        return sw_error_set(err, (sw_status)code, "rank %d: %s", first, msg);
    return st;
}

void sw_wl_split(long total, int rank, int size, long *lo, long *cnt)
{
    long base = total / size, extra = total % size;
    *cnt = base + (rank < extra ? 1 : 0);
    *lo = rank * base + (rank < extra ? rank : extra);
}

void sgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k,
            const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
            const float *beta, float *c, const int *ldc, size_t ta_len, size_t tb_len);
void saxpy_(const int *n, const float *alpha, const float *x, const int *incx, float *y,
            const int *incy);

/* Row-major C = op(A) op(B) is column-major C' = op(B)' op(A)': swap the
 * operands and the dimensions, keep the transposition flags. */
void sw_wl_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
#ifdef SW_SMPI /* injected at the measured rate (smpi_support.h) */
    sw_smpi_compute(2.0 * m * n * k);
    return;
#endif
    sgemm_(trans_b ? "T" : "N", trans_a ? "T" : "N", &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta,
           c, &ldc, 1, 1);
}

void sw_wl_saxpy(long n, float alpha, const float *x, float *y)
{
#ifdef SW_SMPI
    sw_smpi_compute(2.0 * n);
    return;
#endif
    int one = 1;
    while (n > 0) { /* the Fortran interface counts in int */
        int chunk = n > (1L << 30) ? 1 << 30 : (int)n;
        saxpy_(&chunk, &alpha, x, &one, y, &one);
        x += chunk;
        y += chunk;
        n -= chunk;
    }
}

void sw_wl_blas_threads(int nthreads)
{
    openblas_set_num_threads(nthreads > 0 ? nthreads : 1);
}
