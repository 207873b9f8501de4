/* fuzz_hockney.c — the Hockney calibration reader (scalewall-hockney JSON,
 * what `measure comm --hockney` writes and `simulate --calibration` reads),
 * applied to a built-in platform with each allreduce algorithm.
 * Property: a calibrated platform still passes sw_platform_validate. */
#include "fuzz.h"
#include "scalewall/collectives.h"
#include "scalewall/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const sw_coll_alg algs[] = {SW_ALG_RING, SW_ALG_REDUCE_BCAST};
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        sw_platform p;
        sw_error err = {0};
        FUZZ_CHECK(sw_platform_builtin("local", &p, &err) == SW_OK);
        if (sw_platform_calibrate(&p, "fuzz.json", (const char *)data, size, algs[i], &err)) {
            FUZZ_CHECK(err.msg[0] != '\0');
            continue;
        }
        FUZZ_CHECK(sw_platform_validate(&p, &err) == SW_OK);
    }
    return 0;
}
