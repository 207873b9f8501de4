/* fuzz_xlsx.c — the .xlsx reader on whole files (zip container, workbook,
 * relationships, shared strings, the sheet), then the TOP500 reader on the
 * same bytes and what `top500` does with the list. */
#include "scalewall/xlsx.h"
#include "top500_use.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sw_xlsx_sheet s = {0};
    sw_error err = {0};
    if (sw_xlsx_read_buffer("fuzz.xlsx", data, size, &s, &err) == SW_OK) {
        for (size_t r = 0; r < s.nrows; r++)
            for (size_t c = 0; c < s.ncols; c++)
                (void)sw_xlsx_cell(&s, r, c);
        sw_xlsx_free(&s);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    sw_top500_list l = {0};
    if (sw_top500_read_xlsx("TOP500_202011.xlsx", data, size, &l, &err) == SW_OK) {
        fuzz_top500_use(&l);
        sw_top500_list_free(&l);
    }
    return 0;
}
