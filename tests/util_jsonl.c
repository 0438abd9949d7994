/*
 * The test helpers' JSON line protocol (tests/util_jsonl.h): the stdin/stdout loop, the
 * failure answers and a monotonic clock.
 */
#include "util_jsonl.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "teekeys/common.h"

json_t *test_jsonl_fail_msg(const char *msg)
{
    return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

json_t *test_jsonl_fail(int rc)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s: %s", tk_strerror(rc), tk_errmsg());
    return test_jsonl_fail_msg(msg);
}

double test_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int test_jsonl_serve(json_t *(*handle)(const json_t *req))
{
    char *line = NULL;
    size_t cap = 0;
    int status = 0;
    if (tk_init() != TK_OK) {
        fprintf(stderr, "tk_init failed\n");
        return 1;
    }
    while (getline(&line, &cap, stdin) > 0) {
        json_error_t err;
        json_t *req, *ans;
        char *text;
        if (line[0] == '\n' || line[0] == '\0') {
            continue;
        }
        req = json_loads(line, JSON_REJECT_DUPLICATES, &err);
        ans = req ? handle(req) : test_jsonl_fail_msg(err.text);
        json_decref(req);
        text = ans ? json_dumps(ans, JSON_COMPACT) : NULL;
        json_decref(ans);
        if (text == NULL) {
            status = 1;
            break;
        }
        puts(text);
        fflush(stdout);
        free(text);
    }
    free(line);
    return status;
}
