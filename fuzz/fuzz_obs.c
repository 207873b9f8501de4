/* fuzz_obs.c — the observation reader (CSV, JSON document, JSON Lines;
 * sw_obs_read_buffer picks by content) and its round trips.
 *
 * Properties beyond "no crash, no leak, no sanitizer report":
 *   - a refused input says why (a non-empty message);
 *   - what was read, written as CSV, as a JSON document and as JSON Lines,
 *     reads back as the same series: same points, values, labels, extras and
 *     non-empty metadata (a writer that drops or mangles a field fails here);
 *   - every series summarises. */
#include <math.h>

#include "fuzz.h"
#include "scalewall/obs.h"

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static const sw_obs *find_series(const sw_obs_set *s, const sw_obs *o)
{
    for (size_t i = 0; i < s->n; i++) {
        const sw_obs *q = s->series[i];
        if (same_str(q->workload, o->workload) && same_str(q->params, o->params) &&
            q->quantity == o->quantity && same_str(q->unit, o->unit) &&
            q->scaling == o->scaling && q->simulated == o->simulated)
            return q;
    }
    return NULL;
}

static double extra_of(const sw_obs *o, const sw_obs_point *p, const char *name)
{
    int k = sw_obs_find_extra(o, name);
    return k >= 0 && p->extra ? p->extra[k] : NAN;
}

/* b holds a's series with a's points in a's order.  A series without
 * points has no row in CSV or JSON Lines: `rows` says the format is one. */
static void check_same(const sw_obs_set *a, const sw_obs_set *b, int rows)
{
    size_t na = 0;
    for (size_t i = 0; i < a->n; i++)
        na += !rows || a->series[i]->npts > 0;
    FUZZ_CHECK(na == b->n);
    for (size_t i = 0; i < a->n; i++) {
        if (rows && a->series[i]->npts == 0)
            continue;
        const sw_obs *o = a->series[i], *q = find_series(b, o);
        if (!q)
            fprintf(stderr, "series '%s' '%s' is missing after the round trip\n", o->workload,
                    o->params);
        FUZZ_CHECK(q != NULL);
        FUZZ_CHECK(q->npts == o->npts);
        for (size_t j = 0; j < o->npts; j++) {
            const sw_obs_point *p = &o->pts[j], *r = &q->pts[j];
            FUZZ_CHECK(same_num(p->n, r->n));
            FUZZ_CHECK(same_num(p->threads, r->threads));
            FUZZ_CHECK(p->rep == r->rep);
            FUZZ_CHECK(same_num(p->value, r->value));
            FUZZ_CHECK(same_num(p->peak, r->peak));
            FUZZ_CHECK(!p->ok == !r->ok);
            FUZZ_CHECK(!p->outlier == !r->outlier);
            FUZZ_CHECK(same_str(p->label, r->label));
            for (size_t k = 0; k < o->nextra; k++)
                FUZZ_CHECK(same_num(p->extra[k], extra_of(q, r, o->extra_names[k])));
            for (size_t k = 0; k < q->nextra; k++)
                FUZZ_CHECK(same_num(r->extra[k], extra_of(o, p, q->extra_names[k])));
        }
        /* Empty metadata values are not written as CSV cells. */
        for (size_t k = 0; k < o->nmeta; k++)
            FUZZ_CHECK(same_str(o->meta[k].value, sw_obs_get_meta(q, o->meta[k].key)));
        for (size_t k = 0; k < q->nmeta; k++)
            FUZZ_CHECK(same_str(q->meta[k].value, sw_obs_get_meta(o, q->meta[k].key)));
    }
}

enum { AS_CSV, AS_JSON, AS_JSONL };

static void round_trip(const sw_obs_set *set, int how)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_error err = {0};
    sw_status st = SW_OK;
    if (how == AS_CSV)
        st = sw_obs_write_csv(set, fp, &err);
    else if (how == AS_JSON)
        st = sw_obs_write_json(set, fp, &err);
    else
        for (size_t i = 0; !st && i < set->n; i++)
            for (size_t j = 0; !st && j < set->series[i]->npts; j++)
                st = sw_obs_write_jsonl_point(set->series[i], &set->series[i]->pts[j], fp, &err);
    fclose(fp);
    if (st) {
        /* Refusing to write is allowed (JSON cannot hold every byte string),
         * silently writing something else is not. */
        FUZZ_CHECK(err.msg[0] != '\0');
        free(buf);
        return;
    }
    sw_obs_set back;
    st = sw_obs_read_buffer("roundtrip", buf, len, &back, &err);
    if (st) {
        fprintf(stderr, "round trip %d does not read back: %s\n", how, err.msg);
        fwrite(buf, 1, len, stderr);
        abort();
    }
    static const char *const names[] = {"CSV", "JSON", "JSON Lines"};
    fprintf(stderr, "round trip through %s\n", names[how]);
    check_same(set, &back, how != AS_JSON);
    sw_obs_set_free(&back);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_obs_set set;
    sw_error err = {0};
    if (sw_obs_read_buffer("fuzz.csv", (const char *)data, size, &set, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(set.n > 0);
    for (size_t i = 0; i < set.n; i++) {
        sw_obs_summary *sum = NULL;
        size_t nsum = 0;
        sw_error e2 = {0};
        if (sw_obs_summarize(set.series[i], &sum, &nsum, &e2) == SW_OK)
            FUZZ_CHECK(nsum > 0);
        free(sum);
    }
    size_t npts = 0;
    for (size_t i = 0; i < set.n; i++)
        npts += set.series[i]->npts;
    if (npts) {
        round_trip(&set, AS_CSV);
        round_trip(&set, AS_JSONL);
    }
    round_trip(&set, AS_JSON);
    sw_obs_set_free(&set);
    return 0;
}
