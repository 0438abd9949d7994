/*
 * teekeys dstack: client for the dstack guest agent (Phala dstack OS), reached over its unix
 * socket with HTTP/JSON (libcurl). Used for the sealing key (GetKey) and, by the attestation
 * module, for quotes (GetQuote) and instance info (Info). Uses the agent's original (v0) API
 * paths, which dstack 0.5 and 0.6 both serve.
 */
#ifndef TEEKEYS_DSTACK_H
#define TEEKEYS_DSTACK_H

#include <stddef.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_DSTACK_SOCKET_DEFAULT "/var/run/dstack.sock"
#define TK_DSTACK_RESPONSE_MAX   (4u << 20) /* quotes with event logs stay far below this */

/* Calls one guest-agent method (e.g. "GetKey", "Info") with a JSON body (NULL: GET).
 * Out: *response (malloc'd, NUL-terminated; free with tk_dstack_free, which wipes it),
 * *response_len. In: socket_path (NULL: TK_DSTACK_SOCKET_DEFAULT), method, json_body.
 * HTTP errors become TK_ERR_IO with the agent's error text in the detail. */
int tk_dstack_call(char **response, size_t *response_len, const char *socket_path,
                   const char *method, const char *json_body) TK_MUST_CHECK;

/* Wipes and frees a response from tk_dstack_call. NULL is a no-op. */
void tk_dstack_free(char *response, size_t response_len);

/* GetKey: the agent's deterministic key for (path, purpose) of this application.
 * Out: key[0..key_cap) (use guarded memory), *key_len (32 for the default secp256k1 keys).
 * The raw response and parsed JSON are wiped before return. */
int tk_dstack_get_key(unsigned char *key, size_t key_cap, size_t *key_len, const char *socket_path,
                      const char *path, const char *purpose) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_DSTACK_H */
