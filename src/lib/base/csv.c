/* csv.c — an RFC 4180 reader over a memory buffer that tracks line numbers,
 * and the matching writer.  Hand-written because no Debian 12 C library does
 * quoted CSV with positions; it is small and fully tested (test_csv.c). */
#include "scalewall/io.h"

#include <stdlib.h>
#include <string.h>

void sw_csv_init(sw_csv *csv, const char *name, const char *buf, size_t len)
{
    memset(csv, 0, sizeof *csv);
    csv->name = name ? name : "<csv>";
    csv->buf = buf;
    csv->len = len;
    csv->next_line = 1;
    /* A UTF-8 byte-order mark would otherwise glue onto the first column name. */
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        csv->pos = 3;
}

void sw_csv_free(sw_csv *csv)
{
    free(csv->fields);
    free(csv->scratch);
    csv->fields = NULL;
    csv->scratch = NULL;
}

static int grow_scratch(sw_csv *csv, size_t need)
{
    if (need <= csv->scratch_cap)
        return 0;
    size_t cap = csv->scratch_cap ? csv->scratch_cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(csv->scratch, cap);
    if (!p)
        return -1;
    /* Fields point into scratch: rebase them after a move. */
    for (size_t i = 0; i < csv->nfields; i++)
        csv->fields[i] = p + (csv->fields[i] - csv->scratch);
    csv->scratch = p;
    csv->scratch_cap = cap;
    return 0;
}

static int push_field(sw_csv *csv, size_t start)
{
    if (csv->nfields == csv->cap) {
        size_t cap = csv->cap ? csv->cap * 2 : 32;
        char **f = realloc(csv->fields, cap * sizeof *f);
        if (!f)
            return -1;
        csv->fields = f;
        csv->cap = cap;
    }
    csv->fields[csv->nfields++] = csv->scratch + start;
    return 0;
}

int sw_csv_next(sw_csv *csv, sw_error *err)
{
    /* Skip blank lines (LF or CRLF) between records. */
    while (csv->pos < csv->len) {
        char c = csv->buf[csv->pos];
        if (c == '\n') {
            csv->pos++;
            csv->next_line++;
        } else if (c == '\r' && csv->pos + 1 < csv->len && csv->buf[csv->pos + 1] == '\n') {
            csv->pos += 2;
            csv->next_line++;
        } else {
            break;
        }
    }
    if (csv->pos >= csv->len)
        return 0;
    csv->line = csv->next_line;
    csv->nfields = 0;
    /* A record can be at most as long as the rest of the buffer plus NULs. */
    size_t w = 0, field_start = 0;
    int in_quotes = 0, done = 0;
    while (!done) {
        if (grow_scratch(csv, w + 2) != 0)
            return -sw_error_set(err, SW_ENOMEM, "%s: out of memory", csv->name);
        if (csv->pos >= csv->len) {
            if (in_quotes)
                return -sw_error_set(err, SW_EPARSE, "%s:%ld: unterminated quoted field",
                                     csv->name, csv->line);
            done = 1;
            break;
        }
        char c = csv->buf[csv->pos++];
        if (in_quotes) {
            if (c == '"') {
                if (csv->pos < csv->len && csv->buf[csv->pos] == '"') {
                    csv->scratch[w++] = '"';
                    csv->pos++;
                } else {
                    in_quotes = 0;
                }
            } else {
                if (c == '\n')
                    csv->next_line++;
                csv->scratch[w++] = c;
            }
        } else if (c == '"') {
            in_quotes = 1;
        } else if (c == ',') {
            csv->scratch[w++] = '\0';
            if (push_field(csv, field_start) != 0)
                return -sw_error_set(err, SW_ENOMEM, "%s: out of memory", csv->name);
            field_start = w;
        } else if (c == '\n') {
            csv->next_line++;
            done = 1;
        } else if (c == '\r' && csv->pos < csv->len && csv->buf[csv->pos] == '\n') {
            csv->pos++;
            csv->next_line++;
            done = 1;
        } else if (c == '\0') {
            return -sw_error_set(err, SW_EPARSE, "%s:%ld: NUL byte: this is not a text file",
                                 csv->name, csv->line);
        } else {
            csv->scratch[w++] = c;
        }
    }
    csv->scratch[w++] = '\0';
    if (push_field(csv, field_start) != 0)
        return -sw_error_set(err, SW_ENOMEM, "%s: out of memory", csv->name);
    return 1;
}

int sw_csv_find(const sw_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->nfields; i++)
        if (strcmp(csv->fields[i], name) == 0)
            return (int)i;
    return -1;
}

void sw_csv_write_field(FILE *fp, const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}
