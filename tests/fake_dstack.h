/*
 * A stand-in for the dstack guest agent, for tests only: an HTTP/1.1 server on a unix socket
 * in a background thread. Each request is handed to a callback that returns the status and
 * JSON body the real agent would send (recorded responses or computed ones).
 */
#ifndef TK_TESTS_FAKE_DSTACK_H
#define TK_TESTS_FAKE_DSTACK_H

#include <stddef.h>

/* Called per request with the method path ("/GetKey") and the body (NUL-terminated).
 * Writes the response body into `out` (cap bytes, NUL-terminated) and returns the HTTP status. */
typedef int (*fake_dstack_handler)(const char *path, const char *body, char *out, size_t cap,
                                   void *ctx);

typedef struct fake_dstack fake_dstack;

/* Starts serving at socket_path (removed first if it exists). Returns NULL on failure. */
fake_dstack *fake_dstack_start(const char *socket_path, fake_dstack_handler handler, void *ctx);

/* Stops the server, joins the thread and removes the socket. */
void fake_dstack_stop(fake_dstack *server);

#endif
