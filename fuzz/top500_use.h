/* top500_use.h — what `top500` does with a list once read, shared by the
 * CSV and .xlsx fuzz targets: analyse, statistics, the CSV and JSON
 * writers, the observation series and the trend over the one list. */
#ifndef SW_FUZZ_TOP500_USE_H
#define SW_FUZZ_TOP500_USE_H

#include "fuzz.h"
#include "scalewall/obs.h"
#include "scalewall/top500.h"

static inline void fuzz_top500_use(sw_top500_list *l)
{
    sw_error err = {0};
    sw_top500_analyse(l);
    sw_top500_stats stats;
    sw_top500_stats_compute(l, NULL, l->n, &stats, &err);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_top500_write_csv(l, NULL, l->n, fp, &err);
    fclose(fp);
    free(buf);
    buf = NULL;
    fp = fuzz_memout(&buf, &len);
    sw_status st = sw_top500_write_json(l, NULL, l->n, fp, &err);
    fclose(fp);
    /* Only a failure to allocate may stop the JSON writer, and it says so. */
    FUZZ_CHECK(st == SW_OK || err.msg[0] != '\0');
    free(buf);
    sw_obs *o = NULL;
    if (sw_top500_to_obs(l, &o, &err) == SW_OK)
        sw_obs_free(o);
    sw_top500_trend_row row;
    sw_top500_trend_verdict v;
    sw_top500_trend(l, 1, 10, &row, &v, &err);
}

#endif
