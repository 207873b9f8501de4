/* xlsx_sheet.c — the grid a workbook was read into (xlsx.h): recognising a
 * workbook, reading and freeing the grid.
 *
 * Apart from xlsx.c, which parses a workbook with libzip and libxml2: a
 * program that only looks at what it was given (the light `scalewall` front
 * end, issue 16) links this half and not those libraries. */
#include <stdlib.h>
#include <string.h>

#include "scalewall/xlsx.h"

int sw_xlsx_sniff(const void *buf, size_t len)
{
    return len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

const char *sw_xlsx_cell(const sw_xlsx_sheet *s, size_t row, size_t col)
{
    if (!s || row >= s->nrows || col >= s->ncols)
        return NULL;
    return s->cells[row * s->ncols + col];
}

void sw_xlsx_free(sw_xlsx_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nrows * s->ncols; i++)
        free(s->cells[i]);
    free(s->cells);
    free(s->numeric);
    free(s->rownum);
    memset(s, 0, sizeof *s);
}
