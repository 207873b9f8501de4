/* fuzz_top500_csv.c — the TOP500 list reader for CSV (`top500 LIST.csv`,
 * `report --top500`) and what `top500` computes and writes from a list. */
#include "top500_use.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_top500_list l = {0};
    sw_error err = {0};
    if (sw_top500_read_csv("fuzz.csv", (const char *)data, size, &l, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    fuzz_top500_use(&l);
    sw_top500_list_free(&l);
    return 0;
}
