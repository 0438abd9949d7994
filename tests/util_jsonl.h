/*
 * The line protocol of the test helpers that the oracle scripts (tests/oracle) drive: one JSON
 * request a line on stdin, one compact JSON answer a line on stdout. Built into each such helper
 * from tests/util_jsonl.c.
 */
#ifndef TK_TESTS_UTIL_JSONL_H
#define TK_TESTS_UTIL_JSONL_H

#include <jansson.h>

/* Calls tk_init(), then answers every non-blank stdin line with handle(request) on one line of
 * stdout (flushed); a line that is not JSON is answered test_jsonl_fail_msg(<parser message>).
 * handle returns a new reference, or NULL to stop (out of memory, or a request the helper
 * cannot answer, after saying why on stderr). Returns the exit status: 0 at the end of input,
 * 1 when tk_init() fails or handle returns NULL. */
int test_jsonl_serve(json_t *(*handle)(const json_t *req));

/* {"ok": false, "error": msg} */
json_t *test_jsonl_fail_msg(const char *msg);

/* {"ok": false, "error": "<tk_strerror(rc)>: <tk_errmsg()>"} */
json_t *test_jsonl_fail(int rc);

/* Seconds on the monotonic clock, for the helpers' "bench" timings. */
double test_now_s(void);

#endif
