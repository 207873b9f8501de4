/* args.c — command-line values: unit-count lists, ranges, parameter tables
 * (args.h).  Every check says what the value should have been. */
#include "scalewall/args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"

static int push(double **list, size_t *n, size_t *cap, double v)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        double *p = realloc(*list, c * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        *cap = c;
    }
    (*list)[(*n)++] = v;
    return 0;
}

/* One count: a number, >= 1, whole when asked, at most max. */
static sw_status count(const char *s, double max, int whole, double *v, sw_error *err)
{
    if (sw_parse_double(s, v) != 1)
        return sw_error_set(err, SW_EINVAL, "'%s' is not a number", s);
    if (*v < 1)
        return sw_error_set(err, SW_EINVAL, "'%s' is not a unit count (>= 1)", s);
    if (whole && *v != floor(*v))
        return sw_error_set(err, SW_EINVAL, "'%s' is not a whole number", s);
    if (*v > max)
        return sw_error_set(err, SW_EINVAL, "'%s' is above %.15g, the most this option takes", s,
                            max);
    return SW_OK;
}

static sw_status range_counts(const char *arg, const char *colon, double max, int whole,
                              double **list, size_t *n, sw_error *err)
{
    char lo_s[64], hi_s[64];
    size_t ll = (size_t)(colon - arg);
    if (ll >= sizeof lo_s || strlen(colon + 1) >= sizeof hi_s)
        return sw_error_set(err, SW_EINVAL, "'%.80s' is not a range LO:HI", arg);
    memcpy(lo_s, arg, ll);
    lo_s[ll] = '\0';
    strcpy(hi_s, colon + 1);
    double lo, hi;
    sw_status st = count(lo_s, max, whole, &lo, err);
    if (!st)
        st = count(hi_s, max, whole, &hi, err);
    if (st)
        return sw_error_prefix(err, "range '%s'", arg);
    if (hi < lo)
        return sw_error_set(err, SW_EINVAL, "range '%s': LO is above HI", arg);
    size_t cap = 0;
    double l2lo = log2(lo), l2hi = log2(hi);
    if (l2lo == floor(l2lo) && l2hi == floor(l2hi)) {
        for (double v = lo; v <= hi; v *= 2)
            if (push(list, n, &cap, v))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
        return SW_OK;
    }
    int steps = (int)ceil(10 * log10(hi / lo));
    if (steps < 1)
        steps = 1;
    for (int i = 0; i <= steps; i++) {
        double v = i == steps ? hi : round(lo * pow(hi / lo, (double)i / steps));
        if (*n == 0 || v > (*list)[*n - 1])
            if (push(list, n, &cap, v))
                return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    return SW_OK;
}

sw_status sw_args_counts(const char *arg, double max, int whole, double **list, size_t *n,
                         sw_error *err)
{
    *list = NULL;
    *n = 0;
    const char *colon = strchr(arg, ':');
    sw_status st = SW_OK;
    if (colon) {
        st = range_counts(arg, colon, max, whole, list, n, err);
    } else {
        size_t cap = 0;
        const char *s = arg;
        for (;;) {
            size_t len = strcspn(s, ",");
            char item[64];
            if (len == 0) {
                st = sw_error_set(err, SW_EINVAL, "'%s': an empty item in the list", arg);
                break;
            }
            if (len >= sizeof item) {
                st = sw_error_set(err, SW_EINVAL, "'%.*s...' is not a number", 40, s);
                break;
            }
            memcpy(item, s, len);
            item[len] = '\0';
            double v;
            if ((st = count(item, max, whole, &v, err)))
                break;
            if (push(list, n, &cap, v)) {
                st = sw_error_set(err, SW_ENOMEM, "out of memory");
                break;
            }
            if (!s[len])
                break;
            s += len + 1;
        }
    }
    if (st) {
        free(*list);
        *list = NULL;
        *n = 0;
    }
    return st;
}

sw_status sw_args_range(const char *arg, long max, long *lo, long *hi, sw_error *err)
{
    const char *colon = strchr(arg, ':');
    char a[32], b[32];
    size_t la = colon ? (size_t)(colon - arg) : strlen(arg);
    if (la >= sizeof a || (colon && strlen(colon + 1) >= sizeof b))
        return sw_error_set(err, SW_EINVAL, "'%.40s' is not MIN:MAX", arg);
    memcpy(a, arg, la);
    a[la] = '\0';
    strcpy(b, colon ? colon + 1 : a);
    if (sw_parse_long(a, lo) != 1 || sw_parse_long(b, hi) != 1)
        return sw_error_set(err, SW_EINVAL, "'%s' is not MIN:MAX (whole numbers)", arg);
    if (*lo < 1 || *hi < *lo || *hi > max)
        return sw_error_set(err, SW_EINVAL, "'%s': needs 1 <= MIN <= MAX <= %ld", arg, max);
    return SW_OK;
}

/* ---- parameter tables ---- */

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
        return sw_error_set(err, SW_EINVAL, "%s: parameter '%.*s' is not key=value", wl,
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
        return sw_error_set(err, SW_EINVAL, "%s: value of '%s' is too long", wl, p->key);
    memcpy(val, eq + 1, vlen);
    val[vlen] = '\0';
    double v;
    if (sw_parse_double(val, &v) != 1)
        return sw_error_set(err, SW_EINVAL, "%s: %s='%s' is not a number", wl, p->key, val);
    if (p->type == SW_WLP_INT && v != floor(v))
        return sw_error_set(err, SW_EINVAL, "%s: %s='%s' is not a whole number", wl, p->key,
                            val);
    if (v < p->min || v > p->max)
        return sw_error_set(err, SW_EINVAL, "%s: %s=%s is out of range [%g, %g]", wl, p->key,
                            val, p->min, p->max);
    p->value = v;
    return SW_OK;
}

sw_status sw_wlp_parse(const char *owner, sw_wlp *tab, size_t n, const char *params,
                       sw_error *err)
{
    for (size_t i = 0; i < n; i++)
        tab[i].value = tab[i].def;
    if (!params)
        return SW_OK;
    unsigned char seen[64] = {0};
    if (n > sizeof seen)
        return sw_error_set(err, SW_EINVAL, "%s: too many parameters in table", owner);
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
            sw_status st = parse_item(owner, tab, n, item, len, seen, err);
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
