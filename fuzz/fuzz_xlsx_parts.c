/* fuzz_xlsx_parts.c — the XML inside an .xlsx, without the zip in the way.
 *
 * Mutating a whole .xlsx mostly breaks the archive's checksums, so the
 * parsers of the parts are rarely reached (fuzz_xlsx covers the container).
 * Here the input is the parts themselves, separated by NUL bytes (which XML
 * cannot hold): xl/workbook.xml, xl/_rels/workbook.xml.rels,
 * xl/sharedStrings.xml and the sheet, in that order; they are zipped in
 * memory (stored, no compression) and read as a workbook, then as a TOP500
 * list.  A missing part is left out of the archive. */
#include <zip.h>

#include "scalewall/xlsx.h"
#include "top500_use.h"

static const char *const part_names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                         "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};

/* The archive's bytes (malloc'd) or NULL. */
static unsigned char *zip_parts(const uint8_t *data, size_t size, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    FUZZ_CHECK(src != NULL);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    FUZZ_CHECK(za != NULL);
    size_t pos = 0;
    for (size_t k = 0; k < 4 && pos <= size; k++) {
        const uint8_t *nul = pos < size ? memchr(data + pos, 0, size - pos) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        if (end > pos) {
            zip_source_t *ps = zip_source_buffer(za, data + pos, end - pos, 0);
            FUZZ_CHECK(ps != NULL);
            zip_int64_t idx = zip_file_add(za, part_names[k], ps, ZIP_FL_OVERWRITE);
            FUZZ_CHECK(idx >= 0);
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        pos = end + 1;
    }
    FUZZ_CHECK(zip_close(za) == 0);
    unsigned char *buf = NULL;
    *out_len = 0;
    zip_stat_t st;
    if (zip_source_stat(src, &st) == 0 && st.size > 0 && zip_source_open(src) == 0) {
        buf = malloc(st.size);
        FUZZ_CHECK(buf != NULL);
        zip_int64_t r = zip_source_read(src, buf, st.size);
        FUZZ_CHECK(r == (zip_int64_t)st.size);
        *out_len = (size_t)st.size;
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    unsigned char *zipped = zip_parts(data, size, &len);
    if (!zipped)
        return 0;
    sw_xlsx_sheet s = {0};
    sw_error err = {0};
    if (sw_xlsx_read_buffer("parts.xlsx", zipped, len, &s, &err) == SW_OK)
        sw_xlsx_free(&s);
    else
        FUZZ_CHECK(err.msg[0] != '\0');
    sw_top500_list l = {0};
    if (sw_top500_read_xlsx("TOP500_202011.xlsx", zipped, len, &l, &err) == SW_OK) {
        fuzz_top500_use(&l);
        sw_top500_list_free(&l);
    }
    free(zipped);
    return 0;
}
