/*
 * A scripted HTTP server on 127.0.0.1 for client tests (libmicrohttpd, test only): each
 * request's method, path and body go to a callback that picks the status, body and an
 * optional delay, so tests can replay recorded responses, inject failures and time-outs.
 */
#ifndef TK_TESTS_FAKE_HTTP_H
#define TK_TESTS_FAKE_HTTP_H

#include <stddef.h>

typedef struct {
    int status;       /* HTTP status */
    char body[65536]; /* response body (JSON) */
    long delay_ms;    /* sleep before answering */
} fake_http_response;

typedef void (*fake_http_handler)(fake_http_response *out, const char *method, const char *path,
                                  const char *body, void *ctx);

typedef struct fake_http fake_http;

/* Starts on an ephemeral loopback port; returns NULL on failure. */
fake_http *fake_http_start(fake_http_handler handler, void *ctx);
/* Returns: "http://127.0.0.1:<port>". */
const char *fake_http_url(const fake_http *server);
void fake_http_stop(fake_http *server);

#endif
