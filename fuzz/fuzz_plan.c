/* fuzz_plan.c — the plan reader (scalewall-plan JSON, what `plan --out`
 * writes and `report --plan` / `plot plan` read) and what those commands do
 * with it: the time-against-cost figure (its data file and, for one input
 * in 8, an SVG), the
 * plan's CSV table, and the JSON written back.
 * Property: an accepted plan's JSON reads back as the same rows. */
#include "fuzz.h"
#include "scalewall/plan.h"
#include "scalewall/plot.h"
#include "scalewall/report.h"

static int ignore(void *closure, const unsigned char *data, size_t len)
{
    (void)closure;
    (void)data;
    (void)len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_plan pl;
    sw_error err = {0};
    if (sw_plan_read_buffer("fuzz.json", (const char *)data, size, &pl, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    sw_chart *c = NULL;
    if (sw_fig_plan(&pl, &c, &err) == SW_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = fuzz_memout(&buf, &len);
        sw_chart_write_data(c, fp, &err);
        fclose(fp);
        free(buf);
        /* Drawing (cairo, fonts) costs 20x the rest: one input in 8, chosen
         * by its length so that a crash replays. */
        if (size % 8 == 0)
            sw_chart_render(c, SW_PLOT_SVG, 240, 180, ignore, NULL, &err);
        sw_chart_free(c);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_plan_write_csv(&pl, fp, &err);
    fclose(fp);
    free(buf);

    buf = NULL;
    fp = fuzz_memout(&buf, &len);
    sw_status st = sw_plan_write_json(&pl, fp, &err);
    fclose(fp);
    if (st == SW_OK) {
        sw_plan back;
        st = sw_plan_read_buffer("roundtrip.json", buf, len, &back, &err);
        if (st)
            fprintf(stderr, "written plan does not read back: %s\n", err.msg);
        FUZZ_CHECK(st == SW_OK);
        FUZZ_CHECK(back.nrows == pl.nrows && back.prices.n == pl.prices.n);
        sw_plan_free(&back);
    }
    free(buf);
    sw_plan_free(&pl);
    return 0;
}
