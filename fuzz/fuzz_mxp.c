/* fuzz_mxp.c — the HPL-MxP table reader (`top500 --mxp FILE`) and the
 * what-if comparison against the built-in TOP500 lists. */
#include "fuzz.h"
#include "scalewall/top500.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_mxp m = {0};
    sw_error err = {0};
    if (sw_mxp_read_csv("fuzz.csv", (const char *)data, size, &m, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    static sw_top500_list lists[2];
    static int loaded;
    if (!loaded) { /* built once: the embedded table is the same every run */
        FUZZ_CHECK(sw_top500_embedded_list("", &lists[0], &err) == SW_OK);
        FUZZ_CHECK(sw_top500_embedded_list(sw_top500_embedded_edition(0), &lists[1], &err) ==
                   SW_OK);
        loaded = 1;
    }
    sw_mxp_result *res = calloc(m.n ? m.n : 1, sizeof *res);
    FUZZ_CHECK(res != NULL);
    sw_mxp_compare(&m, lists, 2, 4, res, &err);
    free(res);
    sw_mxp_free(&m);
    return 0;
}
