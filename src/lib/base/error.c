/* error.c — the error record (see error.h for why it exists). */
#include "scalewall/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sw_status sw_error_set(sw_error *err, sw_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

sw_status sw_error_prefix(sw_error *err, const char *fmt, ...)
{
    if (!err)
        return SW_OK;
    char prefix[SW_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char old[SW_ERROR_MSG_MAX];
    memcpy(old, err->msg, sizeof old);
    /* Truncation is acceptable: the message stays a readable single line. */
    size_t plen = strnlen(prefix, sizeof err->msg - 3);
    memcpy(err->msg, prefix, plen);
    memcpy(err->msg + plen, ": ", 2);
    size_t room = sizeof err->msg - plen - 3;
    size_t olen = strnlen(old, room);
    memcpy(err->msg + plen + 2, old, olen);
    err->msg[plen + 2 + olen] = '\0';
    return err->status;
}

void sw_error_clear(sw_error *err)
{
    if (err) {
        err->status = SW_OK;
        err->msg[0] = '\0';
    }
}

const char *sw_status_name(sw_status status)
{
    switch (status) {
    case SW_OK: return "ok";
    case SW_EINVAL: return "invalid-argument";
    case SW_EDOM: return "domain";
    case SW_EPARSE: return "parse";
    case SW_EIO: return "io";
    case SW_ENOMEM: return "memory";
    case SW_ECHECK: return "check-failed";
    case SW_EUNSUP: return "unsupported";
    case SW_EFAIL: return "failed";
    }
    return "unknown";
}

/* Exit codes: 0 ok, 2 usage/argument, 3 bad input data, 4 I/O, 5 a check
 * failed (wrong answer), 6 unsupported, 7 out of memory, 1 anything else.
 * 2 matches the usual "usage" convention of getopt-based tools. */
int sw_status_exit_code(sw_status status)
{
    switch (status) {
    case SW_OK: return 0;
    case SW_EINVAL: return 2;
    case SW_EDOM: return 3;
    case SW_EPARSE: return 3;
    case SW_EIO: return 4;
    case SW_ECHECK: return 5;
    case SW_EUNSUP: return 6;
    case SW_ENOMEM: return 7;
    case SW_EFAIL: return 1;
    }
    return 1;
}
