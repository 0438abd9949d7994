/* nearrpc internals shared with the fuzz harness: parsing one HTTP response body. */
#ifndef TK_NEARRPC_INTERNAL_H
#define TK_NEARRPC_INTERNAL_H

#include <jansson.h>

/* Parses a JSON-RPC response body received with HTTP `status`: TK_OK with *result (new
 * reference), or the mapped error with *transient set and the cause name in `cause`. */
int tk_nearrpc_parse_response(json_t **result, char *cause, size_t cause_cap, int *transient,
                              const char *body, long status);

#endif
