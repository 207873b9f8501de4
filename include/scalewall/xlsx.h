/* xlsx.h — the first worksheet of an Office Open XML workbook as a grid of
 * cell texts.
 *
 * Why: the TOP500 site publishes its lists as .xlsx, and users download that
 * file, not a CSV.  This reader does just enough of ECMA-376 for such exports
 * (libzip for the container, libxml2 for the parts): the workbook's first
 * sheet located through xl/workbook.xml and its relationships, shared strings
 * (t="s"), inline strings (t="inlineStr", including rich-text runs), formula
 * strings (t="str"), booleans and numbers.  A number cell's text is the
 * stored <v> literal, so a caller's strtod gives exactly the double Excel
 * stored.  Styles, dates, formulas and merged cells are not interpreted.
 *
 * Errors name the file and, where it helps, the sheet row ("x.xlsx:17: ...").
 * A truncated or corrupt archive or part is SW_EPARSE; a sheet too large to
 * hold is SW_EUNSUP. */
#ifndef SCALEWALL_XLSX_H
#define SCALEWALL_XLSX_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_xlsx_sheet {
    size_t nrows, ncols; /* only rows that hold at least one cell */
    char **cells;        /* nrows * ncols, row-major; NULL = empty cell */
    unsigned char *numeric; /* 1 where the cell was stored as a number */
    long *rownum;        /* the sheet's 1-based row number of each row */
} sw_xlsx_sheet;

/* Reads the first worksheet of the workbook at path (or in buf[0..len)). */
sw_status sw_xlsx_read_file(const char *path, sw_xlsx_sheet *out, sw_error *err);
sw_status sw_xlsx_read_buffer(const char *name, const void *buf, size_t len,
                              sw_xlsx_sheet *out, sw_error *err);

/* The text of a cell, or NULL when empty or outside the grid. */
const char *sw_xlsx_cell(const sw_xlsx_sheet *s, size_t row, size_t col);

void sw_xlsx_free(sw_xlsx_sheet *s);

/* 1 when buf starts like a zip archive (the container of every .xlsx). */
int sw_xlsx_sniff(const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
