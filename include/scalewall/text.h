/* text.h — text that crosses a boundary.
 *
 *   UTF-8: JSON holds Unicode text only, while names typed by users or read
 *   from CSV are bytes.  Observation files refuse bytes that are not UTF-8
 *   (their rows are matched again on --resume, so a changed name would
 *   duplicate them); other JSON outputs write each such byte as U+FFFD and
 *   say so in docs/formats.md.  Either way nothing is dropped silently.
 *   Shell quoting: a command recorded in a results file keeps its argument
 *   boundaries and can be pasted back into a shell.
 *   Document kinds: a JSON file given to the wrong reader is named for what
 *   it is ("a plan ... was given where a fitted model was expected"). */
#ifndef SCALEWALL_TEXT_H
#define SCALEWALL_TEXT_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when s is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF); NULL counts as valid. */
int sw_utf8_valid(const char *s);
/* s for a message: printable ASCII as is, every other byte as \xNN,
 * truncated with "..." to fit size. */
void sw_text_escape(const char *s, char *buf, size_t size);
/* SW_OK when s is valid UTF-8, else SW_EPARSE "WHERE: WHAT 'a\xff' is not
 * valid UTF-8 ..." (the caller says where and what). */
sw_status sw_utf8_require(const char *s, const char *where, const char *what, sw_error *err);

/* A jansson string of s, each byte outside valid UTF-8 written as U+FFFD;
 * JSON null for NULL; NULL only when out of memory. */
typedef struct json_t json_t;
json_t *sw_json_str(const char *s);

/* argv[0..n) as one line a POSIX shell splits back into the same words:
 * words of safe characters as they are, others in single quotes.
 * malloc'd; NULL when out of memory. */
char *sw_shell_join(const char *const *argv, size_t n);

/* When buf holds a JSON object that is a scalewall document of another
 * kind than `format` (its "format" field; "layers" stands for a network
 * description, which has none; NULL: the caller reads no JSON), sets err to
 * SW_EPARSE "NAME: this is <what it is>, not <expected>" and returns it;
 * otherwise SW_OK, and the reader goes on and reports its own errors. */
sw_status sw_json_expect(const char *name, const char *buf, size_t len, const char *format,
                         const char *expected, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
