/* test_xlsx.c — the xlsx reader and the TOP500 export layout.
 *
 * Every workbook here is built in the test with libzip: the official
 * 38-column TOP500 header, shared strings, inline and rich-text strings,
 * numbers, blanks; then truncated, corrupted and non-TOP500 variants.  The
 * same rows as CSV must give byte-identical analysed output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "scalewall/io.h"
#include "scalewall/top500.h"
#include "scalewall/xlsx.h"

static const char *const header38[] = {
    "Rank", "Previous Rank", "First Appearance", "First Rank", "Name", "Computer", "Site",
    "Manufacturer", "Country", "Year", "Segment", "Total Cores",
    "Accelerator/Co-Processor Cores", "Rmax [TFlop/s]", "Rpeak [TFlop/s]", "Nmax", "Nhalf",
    "HPCG [TFlop/s]", "Power (kW)", "Power Source", "Power Efficiency [GFlops/Watts]", "Memory",
    "Architecture", "Processor", "Processor Technology", "Processor Speed (MHz)",
    "Operating System", "OS Family", "Accelerator/Co-Processor", "Cores per Socket",
    "Processor Generation", "System Model", "System Family", "Interconnect Family",
    "Interconnect", "Continent", "Site ID", "System ID"};
#define NCOLS 38

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"67\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
/* The sheet is not at the usual name: the reader must follow the relationship. */
static const char rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "worksheet\" Target=\"worksheets/list.xml\"/></Relationships>";
/* 0 Summit, 1 the header's "Name", 2 a rich-text string with a phonetic run */
static const char shared[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
    "<si><t>Summit</t></si><si><t>Name</t></si>"
    "<si><r><t xml:space=\"preserve\">DOE/SC/Oak Ridge </t></r><r><t>National Laboratory</t></r>"
    "<rPh><t>IGNORED</t></rPh></si></sst>";

static char col_ref(int c, char *buf) /* 0 -> "A", 37 -> "AL" */
{
    if (c < 26)
        snprintf(buf, 4, "%c", 'A' + c);
    else
        snprintf(buf, 4, "%c%c", 'A' + c / 26 - 1, 'A' + c % 26);
    return buf[0];
}

/* One cell: "s:N" shared, "n:123" number, "r:" rich inline, else inline text. */
static void put_cell(FILE *fp, int col, int row, const char *v)
{
    char ref[8];
    col_ref(col, ref);
    if (!v)
        fprintf(fp, "<c r=\"%s%d\" t=\"inlineStr\"></c>", ref, row);
    else if (strncmp(v, "s:", 2) == 0)
        fprintf(fp, "<c r=\"%s%d\" t=\"s\"><v>%s</v></c>", ref, row, v + 2);
    else if (strncmp(v, "n:", 2) == 0)
        fprintf(fp, "<c r=\"%s%d\" s=\"2\" t=\"n\"><v>%s</v></c>", ref, row, v + 2);
    else if (strncmp(v, "r:", 2) == 0)
        fprintf(fp, "<c r=\"%s%d\" t=\"inlineStr\"><is><r><t>%s</t></r><r><t xml:space="
                    "\"preserve\"> (rich)</t></r></is></c>",
                ref, row, v + 2);
    else
        fprintf(fp, "<c r=\"%s%d\" t=\"inlineStr\"><is><t xml:space=\"preserve\">%s</t></is></c>",
                ref, row, v);
}

typedef struct sheet_spec {
    const char *const *header;
    int ncols;
    const char *rows[4][NCOLS];
    int nrows;
} sheet_spec;

static char *sheet_xml(const sheet_spec *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet "
          "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
          "<row r=\"1\">",
          fp);
    for (int c = 0; c < s->ncols; c++)
        put_cell(fp, c, 1, strcmp(s->header[c], "Name") == 0 ? "s:1" : s->header[c]);
    fputs("</row>", fp);
    for (int r = 0; r < s->nrows; r++) {
        fprintf(fp, "<row r=\"%d\">", r + 2);
        for (int c = 0; c < s->ncols; c++)
            put_cell(fp, c, r + 2, s->rows[r][c]);
        fputs("</row>", fp);
    }
    fputs("</sheetData></worksheet>", fp);
    fclose(fp);
    return buf;
}

/* Writes the parts to a zip (sheet stored uncompressed when `store`) and
 * returns its bytes. */
static char *make_zip(const char *const names[], const char *const data[], int n, int store,
                      size_t *len)
{
    char path[] = "/tmp/test_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int zerr;
    zip_t *za = zip_open(path, ZIP_TRUNCATE | ZIP_CREATE, &zerr);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, data[i], strlen(data[i]), 0);
        zip_int64_t idx = zip_file_add(za, names[i], src, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        if (store)
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    assert_int_equal(zip_close(za), 0);
    char *buf;
    assert_int_equal(sw_read_file(path, &buf, len, NULL), SW_OK);
    unlink(path);
    return buf;
}

static char *make_xlsx(const sheet_spec *s, int store, size_t *len)
{
    char *sheet = sheet_xml(s);
    const char *names[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/sharedStrings.xml", "xl/worksheets/list.xml"};
    const char *data[] = {content_types, workbook, rels, shared, sheet};
    char *z = make_zip(names, data, 5, store, len);
    free(sheet);
    return z;
}

enum { RANK = 0, NAME = 4, COMPUTER = 5, SITE = 6, COUNTRY = 8, CORES = 11, ACCEL_CORES = 12,
       RMAX = 13, RPEAK = 14, HPCG = 17, POWER = 18, ACCEL = 28 };

/* Two systems as an export would have them: Fugaku 2020-11 and Summit 2020-11. */
static sheet_spec top500_spec(void)
{
    sheet_spec s = {header38, NCOLS, {{0}}, 2};
    const char **a = s.rows[0], **b = s.rows[1];
    a[RANK] = "n:1";
    a[NAME] = "Supercomputer\xc2\xa0 Fugaku ";
    a[COMPUTER] = "Supercomputer Fugaku, A64FX 48C 2.2GHz, Tofu interconnect D";
    a[SITE] = "RIKEN Center for Computational Science";
    a[COUNTRY] = "Japan";
    a[CORES] = "n:7630848";
    a[RMAX] = "n:442010";
    a[RPEAK] = "n:537212";
    a[HPCG] = "n:16004.5";
    a[POWER] = "n:29899.23";
    a[ACCEL] = "None";
    a[1] = "n:1";
    b[RANK] = "n:2";
    b[NAME] = "s:0";
    b[COMPUTER] = "r:IBM Power System AC922";
    b[SITE] = "s:2";
    b[COUNTRY] = "United States";
    b[CORES] = "n:2414592";
    b[ACCEL_CORES] = "n:2211840";
    b[RMAX] = "n:148600";
    b[RPEAK] = "n:200794.88";
    b[HPCG] = "n:2925.75";
    b[POWER] = "n:10096";
    b[ACCEL] = " NVIDIA\nVolta GV100";
    return s;
}

static const char same_as_csv[] =
    "list,rank,name,computer,site,country,year,segment,total_cores,accelerator_cores,"
    "rmax_tflops,rpeak_tflops,hpcg_tflops,power_kw,processor,interconnect,accelerator\n"
    "2020-11,1,Supercomputer Fugaku,\"Supercomputer Fugaku, A64FX 48C 2.2GHz, Tofu interconnect "
    "D\",RIKEN Center for Computational Science,Japan,,,7630848,,442010,537212,16004.5,29899.23,"
    ",,None\n"
    "2020-11,2,Summit,IBM Power System AC922 (rich),DOE/SC/Oak Ridge National Laboratory,United "
    "States,,,2414592,2211840,148600,200794.88,2925.75,10096,,,NVIDIA Volta GV100\n";

static char *csv_of(const sw_top500_list *l)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(sw_top500_write_csv(l, NULL, 0, fp, NULL), SW_OK);
    fclose(fp);
    return buf;
}

static void test_top500_layout(void **state)
{
    (void)state;
    sheet_spec s = top500_spec();
    size_t len;
    char *z = make_xlsx(&s, 0, &len);
    sw_top500_list x, c;
    sw_error err = {0};
    if (sw_top500_read_xlsx("dl/TOP500_202011.xlsx", z, len, &x, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.list, "2020-11"); /* from the file name */
    assert_string_equal(x.rows[0].name, "Supercomputer Fugaku");
    assert_string_equal(x.rows[1].name, "Summit");
    assert_string_equal(x.rows[1].computer, "IBM Power System AC922 (rich)");
    assert_string_equal(x.rows[1].site, "DOE/SC/Oak Ridge National Laboratory");
    assert_string_equal(x.rows[1].accelerator, "NVIDIA Volta GV100");
    assert_true(isnan(x.rows[0].accel_cores));
    assert_int_equal(x.rows[1].line, 3);
    /* Fugaku: 1-a = (537212/442010 - 1)/7630847 = 2.82255e-8 */
    assert_true(fabs(x.rows[0].serial_hpl / 2.82255e-8 - 1) < 1e-4);
    assert_int_equal(sw_top500_read_csv("l.csv", same_as_csv, strlen(same_as_csv), &c, &err),
                     SW_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(x.rows[i].computer, c.rows[i].computer);
        assert_string_equal(x.rows[i].site, c.rows[i].site);
        assert_string_equal(x.rows[i].accelerator, c.rows[i].accelerator);
    }
    char *a = csv_of(&x), *b = csv_of(&c);
    assert_string_equal(a, b);
    free(a);
    free(b);
    sw_top500_list_free(&x);
    sw_top500_list_free(&c);
    free(z);
}

/* Columns found by name: a reordered header gives the same entries. */
static void test_columns_by_name(void **state)
{
    (void)state;
    sheet_spec s = top500_spec(), t = s;
    const char *hdr[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        hdr[c] = header38[NCOLS - 1 - c];
        for (int r = 0; r < 2; r++)
            t.rows[r][c] = s.rows[r][NCOLS - 1 - c];
    }
    t.header = hdr;
    size_t la, lb;
    char *za = make_xlsx(&s, 0, &la), *zb = make_xlsx(&t, 0, &lb);
    sw_top500_list a, b;
    assert_int_equal(sw_top500_read_xlsx("a.xlsx", za, la, &a, NULL), SW_OK);
    assert_int_equal(sw_top500_read_xlsx("b.xlsx", zb, lb, &b, NULL), SW_OK);
    char *ca = csv_of(&a), *cb = csv_of(&b);
    assert_string_equal(ca, cb);
    free(ca);
    free(cb);
    sw_top500_list_free(&a);
    sw_top500_list_free(&b);
    free(za);
    free(zb);
}

static void expect_fail(const char *data, size_t len, sw_status want, const char *msg)
{
    sw_top500_list l;
    sw_error err = {0};
    assert_int_equal(sw_top500_read_xlsx("x.xlsx", data, len, &l, &err), want);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    assert_null(strchr(err.msg, '\n'));
    assert_int_equal(l.n, 0);
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    sheet_spec s = top500_spec();
    size_t len;
    char *z = make_xlsx(&s, 1, &len);
    for (size_t cut = 0; cut < len; cut += len / 7 + 1)
        expect_fail(z, cut, SW_EPARSE, "x.xlsx: not");
    expect_fail(z, len - 10, SW_EPARSE, "truncated or corrupt zip");
    /* A byte changed inside the stored sheet: the CRC no longer matches. */
    char *p = NULL;
    for (size_t i = 0; i + 11 <= len && !p; i++)
        if (memcmp(z + i, "<sheetData>", 11) == 0)
            p = z + i;
    assert_non_null(p);
    p[1] = 'X';
    expect_fail(z, len, SW_EPARSE, "corrupt xlsx");
    free(z);
    static const char junk[] = "PK\x03\x04 random bytes after a zip signature";
    expect_fail(junk, sizeof junk - 1, SW_EPARSE, "truncated or corrupt zip");
    expect_fail("GIF89a", 6, SW_EPARSE, "not an xlsx file");
}

static void test_not_top500(void **state)
{
    (void)state;
    static const char *const other[] = {"Country", "Capital", "Population"};
    sheet_spec s = {other, 3, {{"Japan", "Tokyo", "n:125"}}, 1};
    size_t len;
    char *z = make_xlsx(&s, 0, &len);
    expect_fail(z, len, SW_EPARSE, "x.xlsx:1: column 'Rank' is missing: not a TOP500 export");
    free(z);
    /* An export from before 2017-06 is refused, not misread. */
    const char *old[NCOLS];
    memcpy(old, header38, sizeof old);
    old[RMAX] = "Rmax [GFlop/s]";
    old[RPEAK] = "Rpeak [GFlop/s]";
    sheet_spec o = top500_spec();
    o.header = old;
    z = make_xlsx(&o, 0, &len);
    expect_fail(z, len, SW_EUNSUP, "before 2017-06");
    free(z);
    /* header only */
    sheet_spec h = top500_spec();
    h.nrows = 0;
    z = make_xlsx(&h, 0, &len);
    expect_fail(z, len, SW_EPARSE, "the list has no systems");
    free(z);
    /* text in a number */
    sheet_spec t = top500_spec();
    t.rows[1][RMAX] = "abc";
    z = make_xlsx(&t, 0, &len);
    expect_fail(z, len, SW_EPARSE, "x.xlsx:3: column 'Rmax [TFlop/s]' is not a number: 'abc'");
    free(z);
    /* a shared string that does not exist */
    sheet_spec u = top500_spec();
    u.rows[0][NAME] = "s:99";
    z = make_xlsx(&u, 0, &len);
    expect_fail(z, len, SW_EPARSE, "x.xlsx:2: shared string '99' does not exist");
    free(z);
}

static void test_broken_parts(void **state)
{
    (void)state;
    size_t len;
    const char *n1[] = {"readme.txt"};
    const char *d1[] = {"a zip, not a workbook"};
    char *z = make_zip(n1, d1, 1, 0, &len);
    expect_fail(z, len, SW_EPARSE, "not an xlsx workbook");
    free(z);
    const char *n2[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
    const char *d2[] = {"<workbook><sheets/></workbook>",
                        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"></row>"};
    z = make_zip(n2, d2, 2, 0, &len);
    expect_fail(z, len, SW_EPARSE, "part 'xl/worksheets/sheet1.xml' line 1");
    free(z);
    const char *d3[] = {"<workbook/>", "<worksheet/>"};
    z = make_zip(n2, d3, 2, 0, &len);
    expect_fail(z, len, SW_EPARSE, "no sheetData");
    free(z);
}

/* The generic grid: cells without references, booleans, formula strings, gaps. */
static void test_generic_grid(void **state)
{
    (void)state;
    const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
    const char *data[] = {
        "<workbook/>",
        "<worksheet><sheetData>"
        "<row><c><v>1.5</v></c><c t=\"b\"><v>1</v></c><c t=\"str\"><v>=x</v></c></row>"
        "<row r=\"7\"/>"
        "<row r=\"9\"><c r=\"C9\" t=\"inlineStr\"><is><r><t>fa</t></r><rPh><t>X</t></rPh>"
        "<r><t>r</t></r></is></c></row>"
        "</sheetData></worksheet>"};
    size_t len;
    char *z = make_zip(names, data, 2, 0, &len);
    sw_xlsx_sheet s;
    sw_error err = {0};
    if (sw_xlsx_read_buffer("g.xlsx", z, len, &s, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(s.nrows, 2); /* the empty row 7 is not kept */
    assert_int_equal(s.ncols, 3);
    assert_string_equal(sw_xlsx_cell(&s, 0, 0), "1.5");
    assert_int_equal(s.numeric[0], 1);
    assert_string_equal(sw_xlsx_cell(&s, 0, 1), "1");
    assert_string_equal(sw_xlsx_cell(&s, 0, 2), "=x");
    assert_int_equal(s.numeric[2], 0);
    assert_null(sw_xlsx_cell(&s, 1, 0));
    assert_string_equal(sw_xlsx_cell(&s, 1, 2), "far");
    assert_int_equal(s.rownum[0], 1);
    assert_int_equal(s.rownum[1], 9);
    assert_null(sw_xlsx_cell(&s, 5, 5));
    sw_xlsx_free(&s);
    free(z);
    /* past Excel's last column */
    const char *wide[] = {"<workbook/>", "<worksheet><sheetData><row r=\"4\"><c r=\"XFE4\">"
                                         "<v>1</v></c></row></sheetData></worksheet>"};
    z = make_zip(names, wide, 2, 0, &len);
    assert_int_equal(sw_xlsx_read_buffer("w.xlsx", z, len, &s, &err), SW_EUNSUP);
    assert_non_null(strstr(err.msg, "w.xlsx:4: cell beyond column XFD"));
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top500_layout),   cmocka_unit_test(test_columns_by_name),
        cmocka_unit_test(test_truncated_and_corrupt), cmocka_unit_test(test_not_top500),
        cmocka_unit_test(test_broken_parts),    cmocka_unit_test(test_generic_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
