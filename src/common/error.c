/*
 * Status strings and the per-thread error detail behind tk_fail()/tk_errmsg().
 * Detail messages are diagnostics for humans; callers must never put key material in them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "teekeys/common.h"

static _Thread_local char tk_detail[320];

const char *tk_strerror(int status)
{
    switch (status) {
    case TK_OK:
        return "success";
    case TK_ERR_ARG:
        return "invalid argument";
    case TK_ERR_INPUT:
        return "malformed input";
    case TK_ERR_RANGE:
        return "value out of range";
    case TK_ERR_CRYPTO:
        return "verification failed";
    case TK_ERR_IO:
        return "I/O error";
    case TK_ERR_NOMEM:
        return "out of memory";
    case TK_ERR_NOT_FOUND:
        return "not found";
    case TK_ERR_UNSUPPORTED:
        return "unsupported";
    case TK_ERR_PERM:
        return "permission denied";
    case TK_ERR_INTERNAL:
        return "internal error";
    case TK_ERR_BUFFER:
        return "output buffer too small";
    default:
        return "unknown error";
    }
}

/* Formats through a scratch buffer so a detail can quote the previous one:
 * tk_fail(rc, "backup file %s: %s", path, tk_errmsg()). */
int tk_fail(int status, const char *fmt, ...)
{
    char scratch[sizeof tk_detail];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(scratch, sizeof scratch, fmt, ap);
    va_end(ap);
    memcpy(tk_detail, scratch, sizeof tk_detail);
    return status;
}

const char *tk_errmsg(void)
{
    return tk_detail;
}

void tk_error_clear(void)
{
    tk_detail[0] = '\0';
}
