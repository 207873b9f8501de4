/* fuzz_net.c — the network-description reader (layers JSON,
 * `simulate --net FILE`).  Properties: an accepted description passes
 * sw_net_validate, at both precisions the simulator uses, and a step
 * simulated with it either fails with a message or takes a finite, positive
 * time. */
#include <math.h>

#include "fuzz.h"
#include "scalewall/netdesc.h"
#include "scalewall/platform.h"
#include "scalewall/simulate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double bpe[] = {4, 2};
    for (size_t i = 0; i < 2; i++) {
        sw_net net;
        sw_error err = {0};
        if (sw_net_read_json(&net, "fuzz.json", (const char *)data, size, bpe[i], &err)) {
            FUZZ_CHECK(err.msg[0] != '\0');
            continue;
        }
        FUZZ_CHECK(sw_net_validate(&net, &err) == SW_OK);
        sw_platform p;
        FUZZ_CHECK(sw_platform_builtin("hdr", &p, &err) == SW_OK);
        sw_sim_config cfg;
        sw_sim_config_default(&cfg);
        static const double ns[] = {1, 8};
        sw_sim_point pts[2];
        if (sw_sim_sweep(&net, &p, &cfg, ns, 2, pts, &err) == SW_OK) {
            for (size_t k = 0; k < 2; k++)
                FUZZ_CHECK(isfinite(pts[k].step.time) && pts[k].step.time > 0);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0');
        }
        sw_net_free(&net);
    }
    return 0;
}
