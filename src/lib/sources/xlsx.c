/* xlsx.c — first worksheet of an .xlsx as a grid of cell texts (xlsx.h).
 *
 * libzip opens the container from memory (so a file and a test's buffer take
 * the same path).  libxml2 parses the small parts (workbook, relationships,
 * shared strings) into trees and streams the sheet through SAX callbacks: the
 * TOP500 sheet is ~1 MB of XML whose DOM would cost more in malloc than the
 * rest of the analysis.  libxml2 would print its diagnostics on stderr: the
 * parsers are told not to, and the last error becomes our one-line message. */
#include "scalewall/xlsx.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "scalewall/io.h"

/* Limits on what a workbook may make us hold (docs/reliability.md): a
 * deflated part is inflated whole, and the grid is rows x columns however
 * few cells are set, so a small file could ask for gigabytes (issue 11: a
 * 400 KB file used 834 MB).  A TOP500 export is ~1 MB of sheet XML and
 * ~20,000 cells; these bounds are 30x and 200x that. */
#define MEMBER_MAX ((zip_uint64_t)32 << 20) /* one part, inflated: 32 MiB */
#define MAX_COLS 16384u                     /* XFD, Excel's last column */
#define MAX_CELLS ((size_t)1 << 22)         /* rows x columns of the grid: 4 Mi */

static const char REL_NS[] =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

typedef struct strbuf {
    char *p;
    size_t n, cap;
} strbuf;

static int sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

/* --- the container ------------------------------------------------------ */

/* Reads one member; SW_OK with *data NULL when it does not exist. */
static sw_status read_member(zip_t *za, const char *zname, const char *member, char **data,
                             size_t *len, sw_error *err)
{
    *data = NULL;
    *len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za, member, 0, &st) != 0)
        return SW_OK;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > MEMBER_MAX)
        return sw_error_set(err, SW_EUNSUP,
                            "%s: part '%s' inflates to %llu bytes, above the %llu MiB this "
                            "reader accepts (a TOP500 sheet is about 1 MiB)",
                            zname, member, (unsigned long long)st.size,
                            (unsigned long long)(MEMBER_MAX >> 20));
    zip_file_t *zf = zip_fopen(za, member, 0);
    if (!zf)
        return sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: cannot open part '%s': %s", zname,
                            member, zip_strerror(za));
    char *buf = malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(zf);
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
    }
    zip_uint64_t got = 0;
    while (got < st.size) {
        zip_int64_t r = zip_fread(zf, buf + got, st.size - got);
        if (r <= 0) {
            sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: part '%s' is damaged: %s", zname,
                         member, r < 0 ? zip_file_strerror(zf) : "shorter than recorded");
            zip_fclose(zf);
            free(buf);
            return SW_EPARSE;
        }
        got += (zip_uint64_t)r;
    }
    /* libzip checks the CRC once the end is reached: one more read sees it. */
    char probe;
    if (zip_fread(zf, &probe, 1) < 0) {
        sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: part '%s' is damaged: %s", zname, member,
                     zip_file_strerror(zf));
        zip_fclose(zf);
        free(buf);
        return SW_EPARSE;
    }
    zip_fclose(zf);
    buf[got] = '\0';
    *data = buf;
    *len = (size_t)got;
    return SW_OK;
}

static sw_status parse_xml(const char *zname, const char *member, const char *data, size_t len,
                           xmlDoc **doc, sw_error *err)
{
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
    if (len > INT32_MAX) {
        xmlFreeParserCtxt(ctxt);
        return sw_error_set(err, SW_EUNSUP, "%s: part '%s' is too large", zname, member);
    }
    *doc = xmlCtxtReadMemory(ctxt, data, (int)len, member, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
                                 XML_PARSE_HUGE);
    if (!*doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[256] = "malformed XML";
        int line = 0;
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            msg[strcspn(msg, "\r\n")] = '\0';
            line = e->line;
        }
        xmlFreeParserCtxt(ctxt);
        return sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: part '%s' line %d: %s", zname,
                            member, line, msg);
    }
    xmlFreeParserCtxt(ctxt);
    return SW_OK;
}

static int is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_elem(c, name))
            return c;
    return NULL;
}

/* Text of a string item (<si> or <is>): every <t>, skipping phonetic runs. */
static int item_text(const xmlNode *n, int in_t, strbuf *b)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (in_t && c->content && sb_add(b, (const char *)c->content,
                                             strlen((const char *)c->content)))
                return -1;
        } else if (c->type == XML_ELEMENT_NODE && !is_elem(c, "rPh")) {
            if (item_text(c, in_t || is_elem(c, "t"), b))
                return -1;
        }
    }
    return 0;
}

/* --- locating the first sheet -------------------------------------------- */

static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* The first sheet's relationship id from xl/workbook.xml, or NULL. */
static char *first_sheet_rid(xmlDoc *wb)
{
    xmlNode *sheets = child(xmlDocGetRootElement(wb), "sheets");
    for (xmlNode *s = sheets ? sheets->children : NULL; s; s = s->next) {
        if (!is_elem(s, "sheet"))
            continue;
        xmlChar *v = xmlGetNsProp(s, (const xmlChar *)"id", (const xmlChar *)REL_NS);
        if (!v)
            return NULL;
        char *r = strdup((const char *)v);
        xmlFree(v);
        return r;
    }
    return NULL;
}

/* Target of relationship `rid` as a zip member name ("xl/worksheets/..."). */
static char *rel_target(xmlDoc *rels, const char *rid)
{
    for (xmlNode *r = xmlDocGetRootElement(rels)->children; r; r = r->next) {
        if (!is_elem(r, "Relationship"))
            continue;
        char *id = attr(r, "Id");
        int match = id && strcmp(id, rid) == 0;
        free(id);
        if (!match)
            continue;
        char *t = attr(r, "Target");
        if (!t)
            return NULL;
        char *out = malloc(strlen(t) + 4);
        if (out) {
            if (t[0] == '/')
                strcpy(out, t + 1);
            else
                snprintf(out, strlen(t) + 4, "xl/%s", t);
        }
        free(t);
        return out;
    }
    return NULL;
}

static sw_status load_xml(zip_t *za, const char *zname, const char *member, xmlDoc **doc,
                          sw_error *err)
{
    char *data;
    size_t len;
    *doc = NULL;
    sw_status st = read_member(za, zname, member, &data, &len, err);
    if (st || !data)
        return st;
    st = parse_xml(zname, member, data, len, doc, err);
    free(data);
    return st;
}

/* Sheet member name: via the workbook's relationships, else the usual name. */
static sw_status find_sheet(zip_t *za, const char *zname, char **member, sw_error *err)
{
    xmlDoc *wb, *rels = NULL;
    sw_status st = load_xml(za, zname, "xl/workbook.xml", &wb, err);
    if (st)
        return st;
    if (!wb)
        return sw_error_set(err, SW_EPARSE,
                            "%s: not an xlsx workbook (a zip archive without xl/workbook.xml)",
                            zname);
    char *rid = first_sheet_rid(wb);
    xmlFreeDoc(wb);
    *member = NULL;
    if (rid) {
        st = load_xml(za, zname, "xl/_rels/workbook.xml.rels", &rels, err);
        if (!st && rels)
            *member = rel_target(rels, rid);
        xmlFreeDoc(rels);
    }
    free(rid);
    if (st)
        return st;
    if (!*member)
        *member = strdup("xl/worksheets/sheet1.xml");
    return *member ? SW_OK : sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
}

/* --- shared strings ------------------------------------------------------ */

typedef struct sstrings {
    char **s;
    size_t n;
} sstrings;

static void sst_free(sstrings *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
}

static sw_status load_sst(zip_t *za, const char *zname, sstrings *t, sw_error *err)
{
    xmlDoc *doc;
    memset(t, 0, sizeof *t);
    sw_status st = load_xml(za, zname, "xl/sharedStrings.xml", &doc, err);
    if (st || !doc)
        return st;
    size_t cap = 0;
    for (xmlNode *si = xmlDocGetRootElement(doc)->children; si; si = si->next) {
        if (!is_elem(si, "si"))
            continue;
        strbuf b = {0};
        if (t->n == cap) {
            cap = cap ? cap * 2 : 256;
            char **p = realloc(t->s, cap * sizeof *p);
            if (!p)
                goto oom;
            t->s = p;
        }
        if (item_text(si, 0, &b) || sb_add(&b, "", 0)) {
            free(b.p);
            goto oom;
        }
        t->s[t->n++] = b.p;
    }
    xmlFreeDoc(doc);
    return SW_OK;
oom:
    xmlFreeDoc(doc);
    sst_free(t);
    return sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
}

/* --- the sheet ----------------------------------------------------------- */

typedef struct cell {
    size_t row; /* index among kept rows */
    unsigned col;
    char *text;
    int numeric;
} cell;

typedef struct cells {
    cell *c;
    size_t n, cap;
} cells;

/* "AB12" -> column 27 (0-based); -1 when there are no letters. */
static long ref_col(const char *ref)
{
    long col = 0;
    int any = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, any = 1) {
        col = col * 26 + (*ref - 'A' + 1);
        if (col > (long)MAX_COLS)
            return -2;
    }
    return any ? col - 1 : -1;
}

static int cells_push(cells *cs, cell c)
{
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 1024;
        cell *p = realloc(cs->c, cap * sizeof *p);
        if (!p)
            return -1;
        cs->c = p;
        cs->cap = cap;
    }
    cs->c[cs->n++] = c;
    return 0;
}

static void cells_free(cells *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->c[i].text);
    free(cs->c);
}

static sw_status build_grid(const char *zname, cells *cs, long *rownum, size_t nrows,
                            unsigned ncols, sw_xlsx_sheet *out, sw_error *err)
{
    if (nrows && ncols > MAX_CELLS / nrows)
        return sw_error_set(err, SW_EUNSUP, "%s: sheet of %zu x %u cells is too large", zname,
                            nrows, ncols);
    size_t total = nrows * ncols;
    out->cells = calloc(total ? total : 1, sizeof *out->cells);
    out->numeric = calloc(total ? total : 1, 1);
    if (!out->cells || !out->numeric) {
        free(out->cells);
        free(out->numeric);
        out->cells = NULL;
        out->numeric = NULL;
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
    }
    for (size_t i = 0; i < cs->n; i++) {
        size_t at = cs->c[i].row * ncols + cs->c[i].col;
        free(out->cells[at]); /* a repeated reference: the last one wins */
        out->cells[at] = cs->c[i].text;
        out->numeric[at] = (unsigned char)cs->c[i].numeric;
        cs->c[i].text = NULL;
    }
    out->nrows = nrows;
    out->ncols = ncols;
    out->rownum = rownum;
    return SW_OK;
}

/* The sheet is read with SAX: no tree of ~40,000 nodes is built, which made
 * the DOM version allocation-bound (docs/performance.md). */
typedef struct sheet_state {
    const char *zname;
    const sstrings *sst;
    xmlParserCtxt *ctxt;
    sw_status st;
    sw_error *err;
    cells cs;
    long *rownum;
    size_t nrows, rcap;
    unsigned ncols;
    long row, prev_row, col;  /* current sheet row, previous one, current column */
    size_t row_cells;         /* non-empty cells in the current row */
    int in_data, in_row, in_cell, in_v, in_is, in_t, in_rph;
    char type[16];            /* the current cell's t attribute */
    strbuf text;              /* the current cell's <v> or inline string */
    int saw_data, has_text;
} sheet_state;

static void sheet_fail(sheet_state *s, sw_status st)
{
    if (!s->st)
        s->st = st;
    xmlStopParser(s->ctxt);
}

/* Attribute `name` of a SAX2 start tag into buf; 0 when absent. */
static int sax_attr(int nattr, const xmlChar **attrs, const char *name, char *buf, size_t size)
{
    for (int i = 0; i < nattr; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (strcmp((const char *)a[0], name) != 0)
            continue;
        size_t n = (size_t)(a[4] - a[3]);
        n = n < size - 1 ? n : size - 1;
        memcpy(buf, a[3], n);
        buf[n] = '\0';
        return 1;
    }
    return 0;
}

static void start_cell(sheet_state *s, int nattr, const xmlChar **attrs)
{
    char ref[32];
    long c = sax_attr(nattr, attrs, "r", ref, sizeof ref) ? ref_col(ref) : -1;
    if (c == -2) {
        sheet_fail(s, sw_error_set(s->err, SW_EUNSUP, "%s:%ld: cell beyond column XFD", s->zname,
                                   s->row));
        return;
    }
    s->col = c >= 0 ? c : s->col + 1;
    if (s->col >= (long)MAX_COLS) {
        sheet_fail(s, sw_error_set(s->err, SW_EUNSUP, "%s:%ld: cell beyond column XFD", s->zname,
                                   s->row));
        return;
    }
    if (!sax_attr(nattr, attrs, "t", s->type, sizeof s->type))
        s->type[0] = '\0';
    s->in_cell = 1;
    s->text.n = 0;
    s->has_text = 0;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
    sheet_state *s = ctx;
    const char *name = (const char *)local;
    if (strcmp(name, "sheetData") == 0) {
        s->in_data = s->saw_data = 1;
    } else if (s->in_data && strcmp(name, "row") == 0) {
        char r[32];
        long num = sax_attr(nattr, attrs, "r", r, sizeof r) ? strtol(r, NULL, 10) : 0;
        s->row = num > 0 ? num : s->prev_row + 1;
        s->prev_row = s->row;
        s->in_row = 1;
        s->col = -1;
        s->row_cells = 0;
    } else if (s->in_row && strcmp(name, "c") == 0) {
        start_cell(s, nattr, attrs);
    } else if (s->in_cell && strcmp(name, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_cell && strcmp(name, "is") == 0) {
        s->in_is = 1;
    } else if (s->in_is && strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (s->in_is && strcmp(name, "t") == 0) {
        s->in_t = 1;
    }
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    sheet_state *s = ctx;
    int inline_text = s->in_is && s->in_t && !s->in_rph;
    if (!s->in_v && !inline_text)
        return;
    if (s->in_v && strcmp(s->type, "inlineStr") == 0)
        return;
    if (sb_add(&s->text, (const char *)ch, (size_t)len))
        sheet_fail(s, sw_error_set(s->err, SW_ENOMEM, "%s: out of memory", s->zname));
    s->has_text = 1;
}

/* The cell's final text: shared strings resolved, numbers marked. */
static void end_cell(sheet_state *s)
{
    s->in_cell = 0;
    const char *text = s->has_text ? s->text.p : "";
    int numeric = 0;
    if (strcmp(s->type, "s") == 0 && s->has_text) {
        char *end;
        unsigned long idx = strtoul(text, &end, 10);
        if (end == text || *end || idx >= s->sst->n) {
            sheet_fail(s, sw_error_set(s->err, SW_EPARSE,
                                       "%s:%ld: shared string '%.20s' does not exist", s->zname,
                                       s->row, text));
            return;
        }
        text = s->sst->s[idx];
    } else if (strcmp(s->type, "inlineStr") != 0) {
        numeric = s->type[0] == '\0' || strcmp(s->type, "n") == 0;
    }
    if (!text[0])
        return;
    cell x = {s->nrows, (unsigned)s->col, strdup(text), numeric};
    if (!x.text || cells_push(&s->cs, x)) {
        free(x.text);
        sheet_fail(s, sw_error_set(s->err, SW_ENOMEM, "%s: out of memory", s->zname));
        return;
    }
    s->row_cells++;
    if ((unsigned)s->col + 1 > s->ncols)
        s->ncols = (unsigned)s->col + 1;
}

static void end_row(sheet_state *s)
{
    s->in_row = 0;
    if (!s->row_cells)
        return;
    if (s->nrows == s->rcap) {
        size_t cap = s->rcap ? s->rcap * 2 : 512;
        long *p = realloc(s->rownum, cap * sizeof *p);
        if (!p) {
            sheet_fail(s, sw_error_set(s->err, SW_ENOMEM, "%s: out of memory", s->zname));
            return;
        }
        s->rownum = p;
        s->rcap = cap;
    }
    s->rownum[s->nrows++] = s->row;
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix, (void)uri;
    sheet_state *s = ctx;
    const char *name = (const char *)local;
    if (s->st)
        return;
    if (strcmp(name, "sheetData") == 0)
        s->in_data = 0;
    else if (s->in_row && !s->in_cell && strcmp(name, "row") == 0)
        end_row(s);
    else if (s->in_cell && !s->in_is && !s->in_v && strcmp(name, "c") == 0)
        end_cell(s);
    else if (s->in_v && strcmp(name, "v") == 0)
        s->in_v = 0;
    else if (s->in_is && s->in_rph && strcmp(name, "rPh") == 0)
        s->in_rph--;
    else if (s->in_t && strcmp(name, "t") == 0)
        s->in_t = 0;
    else if (s->in_is && strcmp(name, "is") == 0)
        s->in_is = 0;
}

/* Diagnostics become our one-line error, never output on stderr. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx, (void)e;
}

static sw_status read_sheet(const char *zname, const char *member, const char *data, size_t len,
                            const sstrings *sst, sw_xlsx_sheet *out, sw_error *err)
{
    if (len > INT32_MAX)
        return sw_error_set(err, SW_EUNSUP, "%s: part '%s' is too large", zname, member);
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_chars;
    h.serror = on_error;
    sheet_state s = {.zname = zname, .sst = sst, .err = err};
    s.ctxt = xmlCreatePushParserCtxt(&h, &s, NULL, 0, member);
    if (!s.ctxt)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", zname);
    xmlCtxtUseOptions(s.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                  XML_PARSE_HUGE);
    xmlParseChunk(s.ctxt, data, (int)len, 1);
    if (!s.st && !s.ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(s.ctxt);
        char msg[256] = "malformed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            msg[strcspn(msg, "\r\n")] = '\0';
        }
        s.st = sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: part '%s' line %d: %s", zname,
                            member, e ? e->line : 0, msg);
    }
    xmlFreeParserCtxt(s.ctxt);
    if (!s.st && !s.saw_data)
        s.st = sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: the sheet has no sheetData",
                            zname);
    if (!s.st)
        s.st = build_grid(zname, &s.cs, s.rownum, s.nrows, s.ncols, out, err);
    if (s.st)
        free(s.rownum);
    cells_free(&s.cs);
    free(s.text.p);
    return s.st;
}

/* --- entry points -------------------------------------------------------- */

static sw_status read_zip(const char *name, zip_t *za, sw_xlsx_sheet *out, sw_error *err)
{
    char *member = NULL, *data = NULL;
    size_t len = 0;
    sstrings sst = {0};
    sw_status st = find_sheet(za, name, &member, err);
    if (!st)
        st = load_sst(za, name, &sst, err);
    if (!st)
        st = read_member(za, name, member, &data, &len, err);
    if (!st && !data)
        st = sw_error_set(err, SW_EPARSE, "%s: corrupt xlsx: the sheet '%s' is missing", name,
                          member);
    if (!st)
        st = read_sheet(name, member, data, len, &sst, out, err);
    free(data);
    sst_free(&sst);
    free(member);
    return st;
}

sw_status sw_xlsx_read_buffer(const char *name, const void *buf, size_t len, sw_xlsx_sheet *out,
                              sw_error *err)
{
    memset(out, 0, sizeof *out);
    name = name ? name : "<xlsx>";
    if (!sw_xlsx_sniff(buf, len))
        return sw_error_set(err, SW_EPARSE, "%s: not an xlsx file (no zip signature)", name);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!za) {
        sw_error_set(err, SW_EPARSE, "%s: not a readable xlsx (truncated or corrupt zip: %s)",
                     name, zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return SW_EPARSE;
    }
    zip_error_fini(&ze);
    sw_status st = read_zip(name, za, out, err);
    zip_discard(za);
    return st;
}

sw_status sw_xlsx_read_file(const char *path, sw_xlsx_sheet *out, sw_error *err)
{
    char *data;
    size_t len;
    memset(out, 0, sizeof *out);
    sw_status st = sw_read_file(path, &data, &len, err);
    if (st)
        return st;
    st = sw_xlsx_read_buffer(path, data, len, out, err);
    free(data);
    return st;
}
