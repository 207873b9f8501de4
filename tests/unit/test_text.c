/* test_text.c — UTF-8 checks and JSON strings, shell quoting of recorded
 * commands, and naming the scalewall document a JSON file is (text.h). */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/text.h"

static void test_utf8(void **state)
{
    (void)state;
    assert_true(sw_utf8_valid("plain"));
    assert_true(sw_utf8_valid("Universit\xc3\xa4t \xe2\x82\xac \xf0\x9f\x98\x80"));
    assert_true(sw_utf8_valid(NULL));
    assert_false(sw_utf8_valid("\xff"));
    assert_false(sw_utf8_valid("Universit\xe4t"));     /* Latin-1 */
    assert_false(sw_utf8_valid("\xc0\xaf"));           /* overlong '/' */
    assert_false(sw_utf8_valid("\xed\xa0\x80"));       /* a surrogate */
    assert_false(sw_utf8_valid("\xf4\x90\x80\x80"));   /* above U+10FFFF */
    assert_false(sw_utf8_valid("\xe2\x82"));           /* cut short */
    char buf[32];
    sw_text_escape("a\xff\\b", buf, sizeof buf);
    assert_string_equal(buf, "a\\xff\\x5cb");
    sw_text_escape("0123456789abcdefghij", buf, 12);
    assert_string_equal(buf, "01234567...");
    sw_error err = {0};
    assert_int_equal(sw_utf8_require("ok", "w", "name", &err), SW_OK);
    assert_int_equal(sw_utf8_require("x\xff", "cannot write JSON", "workload name", &err),
                     SW_EPARSE);
    assert_non_null(strstr(err.msg, "cannot write JSON: workload name 'x\\xff' is not valid UTF-8"));
}

/* Issue 11: `top500 --json` said "out of memory" (exit 7) for a name that
 * is not UTF-8; such bytes become U+FFFD, nothing is dropped. */
static void test_json_str(void **state)
{
    (void)state;
    json_t *j = sw_json_str("a\xff" "b");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a\xef\xbf\xbd" "b");
    json_decref(j);
    j = sw_json_str("\xc3\xa4");
    assert_string_equal(json_string_value(j), "\xc3\xa4");
    json_decref(j);
    j = sw_json_str(NULL);
    assert_true(json_is_null(j));
    json_decref(j);
}

/* Issue 11: the command template lost its argument boundaries in the
 * records ("sh -c sleep 1" for `-- sh -c 'sleep 1'`). */
static void test_shell_join(void **state)
{
    (void)state;
    const char *a[] = {"sh", "-c", "sleep 0.0{n}", "it's", "", "x=1,y/2"};
    char *s = sw_shell_join(a, 6);
    assert_string_equal(s, "sh -c 'sleep 0.0{n}' 'it'\\''s' '' x=1,y/2");
    free(s);
    s = sw_shell_join(a, 0);
    assert_string_equal(s, "");
    free(s);
}

/* Issue 11: valid JSON of another scalewall format was read as "invalid
 * JSON near end of file"; now it says which it is and which was expected. */
static void test_json_expect(void **state)
{
    (void)state;
    sw_error err = {0};
    const char *plan = "{\"format\": \"scalewall-plan\", \"version\": 1}";
    assert_int_equal(sw_json_expect("p.json", plan, strlen(plan), "scalewall-fit-model",
                                    "a fitted model", &err),
                     SW_EPARSE);
    assert_string_equal(err.msg, "p.json: this is a plan (scalewall-plan, from 'scalewall plan "
                                 "--out'), not a fitted model");
    assert_int_equal(sw_json_expect("p.json", plan, strlen(plan), "scalewall-plan", "a plan", &err),
                     SW_OK);
    const char *net = "{\"name\": \"n\",\n \"layers\": [\n {}\n]}";
    assert_int_equal(sw_json_expect("n.json", net, strlen(net), "scalewall-obs", "observations",
                                    &err),
                     SW_EPARSE);
    assert_non_null(strstr(err.msg, "this is a network description"));
    assert_int_equal(sw_json_expect("n.json", net, strlen(net), "layers", "a net", &err), SW_OK);
    const char *other[] = {"n,value\n1,2\n", "{\"n\": 1, \"value\": 2}\n{\"n\": 2, \"value\": 1}\n",
                           "{\"format\": \"someone-else\"}", "[1, 2]", "{broken"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        assert_int_equal(sw_json_expect("x", other[i], strlen(other[i]), "scalewall-obs", "o",
                                        &err),
                         SW_OK);
    const char *future = "{\"format\": \"scalewall-future\"}";
    assert_int_equal(sw_json_expect("f", future, strlen(future), NULL, "a list", &err), SW_EPARSE);
    assert_string_equal(err.msg, "f: this is a 'scalewall-future' document, not a list");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8), cmocka_unit_test(test_json_str),
        cmocka_unit_test(test_shell_join), cmocka_unit_test(test_json_expect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
