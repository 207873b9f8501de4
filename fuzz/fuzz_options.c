/* fuzz_options.c — the parsers of option values: the first input byte picks
 * one, the rest is the value as typed.
 *   0 numbers (sw_parse_double, sw_parse_long)       --r1, --budget, ...
 *   1 unit counts, any (sw_args_counts)              --n 1:1e6, --at
 *   2 unit counts, whole, <= 1e6                     --np, --threads
 *   3 MIN:MAX (sw_args_range)                        --reps
 *   4 parameter tables (sw_wlp_parse)                --params nx=64,iters=50
 *   5 work and durations (sw_work_parse, sw_duration_parse)  --work, --deadline
 *   6 simulated platforms (sw_smpi_platform_parse)  --platform flat:lat=2us,...
 *   7 quantities and algorithms (sw_smpi_parse_quantity, sw_smpi_alg_parse)
 *   8 networks (sw_net_from_spec, file names excluded) --net transformer:...
 * Properties: a refused value says why; an accepted list is non-empty,
 * its values are >= 1 (and whole, and within the bound, when asked), a
 * range is ascending; parameters stay within their table's bounds; an
 * accepted platform has positive speeds and bandwidths. */
#include <math.h>

#include "fuzz.h"
#include "scalewall/args.h"
#include "scalewall/io.h"
#include "scalewall/netdesc.h"
#include "scalewall/plan.h"
#include "scalewall/smpi.h"

static void counts(const char *s, double max, int whole)
{
    double *v = NULL;
    size_t n = 0;
    sw_error err = {0};
    if (sw_args_counts(s, max, whole, &v, &n, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0' && v == NULL && n == 0);
        return;
    }
    FUZZ_CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(v[i] >= 1 && v[i] <= max);
        FUZZ_CHECK(!whole || v[i] == floor(v[i]));
        FUZZ_CHECK(!strchr(s, ':') || i == 0 || v[i] > v[i - 1]);
    }
    free(v);
}

static void params(const char *s)
{
    sw_wlp tab[] = {{"nx", SW_WLP_INT, 2, 4096, 64, 0},
                    {"iters", SW_WLP_INT, 1, 1e6, 50, 0},
                    {"lr", SW_WLP_REAL, 0, 10, 0.01, 0}};
    sw_error err = {0};
    if (sw_wlp_parse("cg", tab, 3, s, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0' && err.status == SW_EINVAL);
        return;
    }
    for (size_t i = 0; i < 3; i++)
        FUZZ_CHECK(tab[i].value >= tab[i].min && tab[i].value <= tab[i].max);
    char *canon = sw_wlp_canon(tab, 3);
    FUZZ_CHECK(canon != NULL);
    sw_wlp again[3];
    memcpy(again, tab, sizeof again);
    FUZZ_CHECK(sw_wlp_parse("cg", again, 3, canon, &err) == SW_OK);
    for (size_t i = 0; i < 3; i++)
        FUZZ_CHECK(again[i].value == tab[i].value);
    free(canon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    char *s = fuzz_cstr(data + 1, size - 1);
    sw_error err = {0};
    switch (data[0] % 9) {
    case 0: {
        double d;
        long l;
        int r = sw_parse_double(s, &d);
        FUZZ_CHECK(r != 1 || isfinite(d));
        (void)sw_parse_long(s, &l);
        break;
    }
    case 1: counts(s, 1e12, 0); break;
    case 2: counts(s, 1e6, 1); break;
    case 3: {
        long lo, hi;
        if (sw_args_range(s, 1000, &lo, &hi, &err) == SW_OK)
            FUZZ_CHECK(lo >= 1 && lo <= hi && hi <= 1000);
        else
            FUZZ_CHECK(err.msg[0] != '\0');
        break;
    }
    case 4: params(s); break;
    case 5: {
        sw_work w;
        double sec;
        if (sw_work_parse(s, 500, &w, &err) == SW_OK)
            FUZZ_CHECK(w.amount > 0 && isfinite(w.amount));
        if (sw_duration_parse(s, &sec, &err) == SW_OK)
            FUZZ_CHECK(sec >= 0 && isfinite(sec));
        break;
    }
    case 6: {
        sw_smpi_platform p;
        if (sw_smpi_platform_parse(s, 16, &p, &err) == SW_OK) {
            FUZZ_CHECK(p.hosts >= 1 && p.bandwidth > 0 && isfinite(p.bandwidth));
            FUZZ_CHECK(p.alpha >= 0 && isfinite(p.alpha) && p.host_speed >= 0);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0');
        }
        break;
    }
    case 7: {
        double q;
        sw_smpi_alg alg;
        if (sw_smpi_parse_quantity(s, "Bps", &q, &err) == SW_OK)
            FUZZ_CHECK(isfinite(q));
        (void)sw_smpi_alg_parse(s, &alg, &err);
        break;
    }
    case 8:
        /* A spec naming a file would read it: only the built-in families. */
        if (!strchr(s, '/') && !strstr(s, ".json")) {
            sw_net net;
            if (sw_net_from_spec(&net, s, 4, &err) == SW_OK) {
                FUZZ_CHECK(sw_net_validate(&net, &err) == SW_OK);
                sw_net_free(&net);
            } else {
                FUZZ_CHECK(err.msg[0] != '\0' && err.status == SW_EINVAL);
            }
        }
        break;
    }
    free(s);
    return 0;
}
