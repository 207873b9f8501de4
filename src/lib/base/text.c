/* text.c — UTF-8 checks, shell quoting, and naming the scalewall document a
 * JSON text is (text.h). */
#include "scalewall/text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s, 0 when the byte at s starts none. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000;
    else
        return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int sw_utf8_valid(const char *s)
{
    if (!s)
        return 1;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

void sw_text_escape(const char *s, char *buf, size_t size)
{
    size_t w = 0;
    if (size == 0)
        return;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char piece[8];
        if (*p >= 0x20 && *p < 0x7F && *p != '\\')
            snprintf(piece, sizeof piece, "%c", *p);
        else
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        size_t pl = strlen(piece);
        if (w + pl + 4 > size) {
            if (size >= 4) {
                w = w < size - 4 ? w : size - 4;
                memcpy(buf + w, "...", 3);
                w += 3;
            }
            break;
        }
        memcpy(buf + w, piece, pl);
        w += pl;
    }
    buf[w < size ? w : size - 1] = '\0';
}

sw_status sw_utf8_require(const char *s, const char *where, const char *what, sw_error *err)
{
    if (sw_utf8_valid(s))
        return SW_OK;
    char shown[128];
    sw_text_escape(s, shown, sizeof shown);
    return sw_error_set(err, SW_EPARSE,
                        "%s: %s '%s' is not valid UTF-8, which JSON cannot hold (convert the "
                        "input, e.g. iconv -f latin1 -t utf-8)",
                        where, what, shown);
}

json_t *sw_json_str(const char *s)
{
    if (!s)
        return json_null();
    if (sw_utf8_valid(s))
        return json_string(s);
    size_t len = strlen(s);
    char *fixed = malloc(3 * len + 1);
    if (!fixed)
        return NULL;
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n) {
            memcpy(fixed + w, p, n);
            w += n;
            p += n;
        } else {
            memcpy(fixed + w, "\xEF\xBF\xBD", 3); /* U+FFFD */
            w += 3;
            p++;
        }
    }
    fixed[w] = '\0';
    json_t *j = json_string(fixed);
    free(fixed);
    return j;
}

static int shell_safe(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "_-./:=,+@%{}",
                    *s))
            return 0;
    return 1;
}

char *sw_shell_join(const char *const *argv, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += 4 * strlen(argv[i]) + 3;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            out[w++] = ' ';
        if (shell_safe(argv[i])) {
            size_t l = strlen(argv[i]);
            memcpy(out + w, argv[i], l);
            w += l;
            continue;
        }
        /* 'it'\''s': a single quote closes, is escaped, reopens. */
        out[w++] = '\'';
        for (const char *p = argv[i]; *p; p++) {
            if (*p == '\'') {
                memcpy(out + w, "'\\''", 4);
                w += 4;
            } else {
                out[w++] = *p;
            }
        }
        out[w++] = '\'';
    }
    out[w] = '\0';
    return out;
}

/* ---- document kinds ---- */

static const struct {
    const char *format, *what;
} kinds[] = {
    {"scalewall-obs", "observations (scalewall-obs, as measure, simulate and top500 --obs write)"},
    {"scalewall-fit-model", "a fitted model (scalewall-fit-model, from 'scalewall fit -o')"},
    {"scalewall-plan", "a plan (scalewall-plan, from 'scalewall plan --out')"},
    {"scalewall-prices", "a price table (scalewall-prices)"},
    {"scalewall-platform", "a platform description (scalewall-platform)"},
    {"scalewall-hockney",
     "a network calibration (scalewall-hockney, from 'measure comm --hockney')"},
    {"scalewall-top500", "a TOP500 analysis (scalewall-top500, from 'top500 --json')"},
    {"scalewall-top500-trend", "a TOP500 trend (scalewall-top500-trend, from 'top500 --trend')"},
    {"scalewall-top500-mxp", "an HPL-MxP comparison (scalewall-top500-mxp, from 'top500 --mxp')"},
    {"scalewall-crosscheck", "a crosscheck result (scalewall-crosscheck)"},
    {"scalewall-report", "report data (scalewall-report)"},
    {"scalewall-depth", "a depth sweep (scalewall-depth, from 'scalewall depth')"},
    {"layers", "a network description (\"layers\", for simulate --net)"},
};

sw_status sw_json_expect(const char *name, const char *buf, size_t len, const char *format,
                         const char *expected, sw_error *err)
{
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    if (i == len || buf[i] != '{')
        return SW_OK;
    json_t *root = json_loadb(buf, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return SW_OK;
    }
    /* The document's kind: its "format", or "layers" for a network
     * description (which has no format field). */
    const char *fmt = json_string_value(json_object_get(root, "format"));
    const char *kind = fmt                                              ? fmt
                       : json_is_array(json_object_get(root, "layers")) ? "layers"
                                                                        : NULL;
    char what[160] = "";
    if (kind && (!format || strcmp(kind, format) != 0)) {
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !what[0]; k++)
            if (strcmp(kind, kinds[k].format) == 0)
                snprintf(what, sizeof what, "%s", kinds[k].what);
        if (!what[0] && strncmp(kind, "scalewall-", 10) == 0) {
            char shown[64];
            sw_text_escape(kind, shown, sizeof shown);
            snprintf(what, sizeof what, "a '%s' document", shown);
        }
    }
    json_decref(root);
    if (!what[0])
        return SW_OK;
    return sw_error_set(err, SW_EPARSE, "%s: this is %s, not %s", name, what, expected);
}
