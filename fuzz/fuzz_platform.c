/* fuzz_platform.c — the platform reader (scalewall-platform JSON,
 * `simulate --platform FILE`) and a simulated step on what it read.
 * Properties: an accepted platform passes sw_platform_validate, is written
 * (sw_platform_write_json) as JSON that reads back the same, and a step
 * simulated on it either fails with a message or takes a finite, positive
 * time. */
#include <math.h>

#include "fuzz.h"
#include "scalewall/netdesc.h"
#include "scalewall/platform.h"
#include "scalewall/simulate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_platform p;
    sw_error err = {0};
    if (sw_platform_read_json("fuzz.json", (const char *)data, size, &p, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(sw_platform_validate(&p, &err) == SW_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = fuzz_memout(&buf, &len);
    sw_status st = sw_platform_write_json(&p, fp, &err);
    fclose(fp);
    if (st == SW_OK) {
        sw_platform back;
        st = sw_platform_read_json("roundtrip.json", buf, len, &back, &err);
        if (st)
            fprintf(stderr, "written platform does not read back: %s\n", err.msg);
        FUZZ_CHECK(st == SW_OK);
        FUZZ_CHECK(back.flops_fp32 == p.flops_fp32 && back.intra.beta == p.intra.beta);
    }
    free(buf);
    sw_net net;
    FUZZ_CHECK(sw_net_mlp(&net, 4, 256, 4, &err) == SW_OK);
    sw_sim_config cfg;
    sw_sim_config_default(&cfg);
    static const double ns[] = {1, 2, 8, 64};
    sw_sim_point pts[4];
    if (sw_sim_sweep(&net, &p, &cfg, ns, 4, pts, &err) == SW_OK) {
        for (size_t i = 0; i < 4; i++)
            FUZZ_CHECK(isfinite(pts[i].step.time) && pts[i].step.time > 0);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    sw_net_free(&net);
    return 0;
}
