/* error.h — status codes and the error record every library call fills.
 *
 * The library never prints and never exits: a call that fails returns a
 * sw_status and, when the caller passes a sw_error, a one-line message that
 * already names the file, row and problem ("results.csv:17: column 'n' is not
 * a number").  The CLI prints that line and maps the status to an exit code
 * (see sw_status_exit_code), so the mapping lives in one place. */
#ifndef SCALEWALL_ERROR_H
#define SCALEWALL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sw_status {
    SW_OK = 0,
    SW_EINVAL,   /* a caller's argument is out of range (usage-level) */
    SW_EDOM,     /* a number outside the formula's domain: N < 1, E <= 0, NaN */
    SW_EPARSE,   /* input data is malformed: bad column, text in a number */
    SW_EIO,      /* a file could not be opened, read, written or renamed */
    SW_ENOMEM,   /* allocation failed, or a size would not fit in memory */
    SW_ECHECK,   /* a computation's answer failed its check */
    SW_EUNSUP,   /* valid but unsupported: newer format version, missing feature */
    SW_EFAIL     /* an external command or MPI call failed */
} sw_status;

#define SW_ERROR_MSG_MAX 1024

typedef struct sw_error {
    sw_status status;
    char msg[SW_ERROR_MSG_MAX];
} sw_error;

/* Records status and a printf-style message in err (which may be NULL) and
 * returns status, so a failing path can say `return sw_error_set(...)`. */
sw_status sw_error_set(sw_error *err, sw_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to an error already set (e.g. a file name added by the
 * caller that knows it).  Returns err->status. */
sw_status sw_error_prefix(sw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void sw_error_clear(sw_error *err);

/* A short stable name: "ok", "invalid-argument", "domain", "parse", "io",
 * "memory", "check-failed", "unsupported", "failed". */
const char *sw_status_name(sw_status status);

/* The CLI's exit code for a status; documented in docs/cli.md. */
int sw_status_exit_code(sw_status status);

#ifdef __cplusplus
}
#endif
#endif
