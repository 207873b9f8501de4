/* fuzz_model.c — the fitted-model reader (scalewall-fit-model JSON) and
 * everything `predict` does with what it read: predictions with intervals
 * and what-ifs, the derived answers, and the text, CSV and JSON reports.
 * Property: a model that was accepted predicts without error at N = 1 and
 * its written JSON reads back. */
#include <math.h>

#include "fuzz.h"
#include "scalewall/fit.h"

static void report(const sw_fitmodel *m, const sw_fit_query *q, sw_fit_out how)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_error err = {0};
    sw_fit_report_write(m, q, how, fp, &err);
    fclose(fp);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_fitmodel *m = NULL;
    sw_error err = {0};
    if (sw_fitmodel_read_buffer("fuzz.json", (const char *)data, size, &m, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(m == NULL);
        return 0;
    }
    static const double ns[] = {1, 2, 3, 64, 1e3, 1e6};
    sw_whatif w;
    sw_whatif_none(&w);
    w.payload_speedup = 4;
    w.comm_scale = 0.5;
    sw_fit_pred p;
    FUZZ_CHECK(sw_fitmodel_predict(m, 1, 0, NULL, &p, &err) == SW_OK);
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        sw_fitmodel_predict(m, ns[i], 0.5, &w, &p, &err);
        (void)sw_fitmodel_time(m, ns[i], &w);
    }
    double med[6], lo[6], hi[6];
    sw_fitmodel_time_many(m, ns, 6, 0, NULL, med, lo, hi, &err);
    sw_fit_answers a;
    sw_fitmodel_answers(m, 0, 0.5, NULL, &a, &err);
    sw_fit_query q = {ns, 6, 0, 0.5, &w};
    report(m, &q, SW_FIT_OUT_TEXT);
    report(m, &q, SW_FIT_OUT_CSV);
    report(m, &q, SW_FIT_OUT_JSON);

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_status st = sw_fitmodel_write(m, fp, &err);
    fclose(fp);
    if (st == SW_OK) {
        sw_fitmodel *back = NULL;
        st = sw_fitmodel_read_buffer("roundtrip.json", buf, len, &back, &err);
        if (st)
            fprintf(stderr, "written model does not read back: %s\n", err.msg);
        FUZZ_CHECK(st == SW_OK);
        FUZZ_CHECK(sw_fitmodel_nterms(back) == sw_fitmodel_nterms(m));
        sw_fitmodel_free(back);
    }
    free(buf);
    sw_fitmodel_free(m);
    return 0;
}
