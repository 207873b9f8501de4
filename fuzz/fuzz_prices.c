/* fuzz_prices.c — the price-table reader (CSV or scalewall-prices JSON,
 * `plan --prices`) and a plan over what it read, as `plan` runs it: every
 * option at a few node counts against a closed-form model, with a deadline,
 * a budget and the knee.  Property: the plan JSON written from an accepted
 * table reads back (names and notes come from the input). */
#include <math.h>

#include "fuzz.h"
#include "scalewall/plan.h"
#include "scalewall/prices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_price_table t = {0};
    sw_error err = {0};
    if (sw_prices_read_buffer("fuzz.csv", (const char *)data, size, &t, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(t.n > 0);
    for (size_t i = 0; i < t.n; i++)
        FUZZ_CHECK(sw_price_node_hour(&t.opt[i]) >= 0);
    sw_closed_model cm = {1, 1000, 0.01, 0, 0.1};
    sw_predictor p;
    sw_predictor_closed(&p, &cm);
    static const double nodes[] = {1, 2, 4, 8, 64};
    sw_plan_request req = {nodes, 5, {.kind = SW_WORK_STEPS, .amount = 1e4, .desc = "1e4 steps"}, 3600, 100, 10};
    sw_plan pl;
    if (sw_plan_run(&p, &t, &req, &pl, &err) == SW_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = fuzz_memout(&buf, &len);
        sw_status st = sw_plan_write_json(&pl, fp, &err);
        fclose(fp);
        if (st == SW_OK) {
            sw_plan back;
            st = sw_plan_read_buffer("plan.json", buf, len, &back, &err);
            if (st)
                fprintf(stderr, "plan from these prices does not read back: %s\n", err.msg);
            FUZZ_CHECK(st == SW_OK);
            sw_plan_free(&back);
        }
        free(buf);
        sw_plan_free(&pl);
    }
    sw_prices_free(&t);
    return 0;
}
