/* test_csv.c — the CSV reader: quotes, CRLF, line numbers, errors; strict
 * number parsing; the atomic output file. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scalewall/io.h"

static void test_quotes_and_lines(void **state)
{
    (void)state;
    const char *in = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n1,\"two\nlines\",3\n";
    sw_csv csv;
    sw_error err = {0};
    sw_csv_init(&csv, "t.csv", in, strlen(in));
    assert_int_equal(sw_csv_next(&csv, &err), 1);
    assert_int_equal(csv.nfields, 3);
    assert_int_equal(csv.line, 1);
    assert_int_equal(sw_csv_find(&csv, "c"), 2);
    assert_int_equal(sw_csv_next(&csv, &err), 1);
    assert_string_equal(csv.fields[0], "x, y");
    assert_string_equal(csv.fields[1], "say \"hi\"");
    assert_string_equal(csv.fields[2], "");
    assert_int_equal(csv.line, 2);
    assert_int_equal(sw_csv_next(&csv, &err), 1);
    assert_int_equal(csv.line, 4); /* blank line 3 skipped */
    assert_string_equal(csv.fields[1], "two\nlines");
    assert_int_equal(sw_csv_next(&csv, &err), 0);
    sw_csv_free(&csv);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    const char *in = "a,b\n1,\"oops\n";
    sw_csv csv;
    sw_error err = {0};
    sw_csv_init(&csv, "bad.csv", in, strlen(in));
    assert_int_equal(sw_csv_next(&csv, &err), 1);
    assert_int_equal(sw_csv_next(&csv, &err), -SW_EPARSE);
    assert_string_equal(err.msg, "bad.csv:2: unterminated quoted field");
    sw_csv_free(&csv);
}

static void test_bom_and_many_fields(void **state)
{
    (void)state;
    /* A long record forces the scratch buffer to grow while fields point into it. */
    size_t n = 5000;
    char *in = malloc(3 + n * 4 + 2);
    strcpy(in, "\xEF\xBB\xBF");
    for (size_t i = 0; i < n; i++)
        strcat(in, i ? ",abc" : "abc");
    strcat(in, "\n");
    sw_csv csv;
    sw_csv_init(&csv, "w.csv", in, strlen(in));
    assert_int_equal(sw_csv_next(&csv, NULL), 1);
    assert_int_equal(csv.nfields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(csv.fields[i], "abc");
    sw_csv_free(&csv);
    free(in);
}

static void test_numbers(void **state)
{
    (void)state;
    double v;
    long l;
    assert_int_equal(sw_parse_double(" 1.5e3 ", &v), 1);
    assert_true(v == 1500);
    assert_int_equal(sw_parse_double("", &v), 0);
    assert_true(isnan(v));
    assert_int_equal(sw_parse_double("12abc", &v), -1);
    assert_int_equal(sw_parse_double("nan", &v), -1);
    assert_int_equal(sw_parse_double("inf", &v), -1);
    assert_int_equal(sw_parse_double("1e999", &v), -1);
    assert_int_equal(sw_parse_long("42", &l), 1);
    assert_int_equal(l, 42);
    assert_int_equal(sw_parse_long("4.2", &l), -1);
}

static void test_outfile_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/swtestXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    FILE *fp = fopen(path, "w");
    fputs("old\n", fp);
    fclose(fp);
    sw_outfile out;
    assert_int_equal(sw_outfile_open(&out, path, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    fputs("new, half written", out.fp);
    sw_outfile_abort(&out); /* an error: the old file must survive */
    char *data;
    size_t len;
    assert_int_equal(sw_read_file(path, &data, &len, NULL), SW_OK);
    assert_string_equal(data, "old\n");
    free(data);
    assert_int_equal(sw_outfile_open(&out, path, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    fputs("new\n", out.fp);
    assert_int_equal(sw_outfile_commit(&out, NULL), SW_OK);
    assert_int_equal(sw_read_file(path, &data, &len, NULL), SW_OK);
    assert_string_equal(data, "new\n");
    free(data);
    /* Not mkstemp's 0600: the usual mode for a new file under this umask. */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~mask);
    unlink(path);
    rmdir(dir);
    sw_error err = {0};
    assert_int_equal(
        sw_outfile_open(&out, "/nonexistent-dir/x.csv", SW_OUT_REPLACE, NULL, 0, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.csv: cannot create"));
    assert_int_equal(sw_read_file("/nonexistent-dir/x.csv", &data, &len, &err), SW_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes_and_lines), cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_bom_and_many_fields), cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_outfile_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
