/*
 * teekeys nearrpc: a NEAR JSON-RPC client (libcurl + jansson) for every component that talks
 * to a chain: localnet, testnet or mainnet. Requests time out, transient failures (connection
 * errors, HTTP 408/429/5xx, nearcore's TIMEOUT_ERROR / NO_SYNCED_BLOCKS / INTERNAL_ERROR) are
 * retried with exponential backoff, and nearcore's structured errors become tk_status codes
 * with one-line details such as "UNKNOWN_ACCOUNT: account bob.near does not exist".
 * HTTPS endpoints are verified against the system CA store; nothing here ever disables that.
 */
#ifndef TEEKEYS_NEARRPC_H
#define TEEKEYS_NEARRPC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "teekeys/common.h"
#include "teekeys/near.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_NEARRPC_RESPONSE_MAX (32u << 20)

typedef struct tk_nearrpc tk_nearrpc;

typedef struct {
    const char *url;      /* "https://rpc.testnet.near.org", "http://127.0.0.1:3030" */
    long timeout_ms;      /* per attempt; 0: 10000 */
    unsigned max_retries; /* extra attempts after a transient failure; 0 means none */
    long backoff_ms;      /* first backoff, doubled each retry; 0: 200 */
} tk_nearrpc_config;

/* Creates a client. The URL must be http:// or https://. */
int tk_nearrpc_new(tk_nearrpc **rpc, const tk_nearrpc_config *config) TK_MUST_CHECK;
void tk_nearrpc_free(tk_nearrpc *rpc);

/* Returns: how many HTTP attempts the client has made (for tests and metrics). */
unsigned long tk_nearrpc_attempts(const tk_nearrpc *rpc);

/* One JSON-RPC call. `params` is consumed (its reference is stolen). On success *result is a
 * new reference to the response's "result". Errors: TK_ERR_NOT_FOUND (UNKNOWN_ACCOUNT,
 * UNKNOWN_ACCESS_KEY, UNKNOWN_BLOCK, UNKNOWN_TRANSACTION...), TK_ERR_INPUT (request
 * validation, invalid transaction, contract method errors), TK_ERR_IO (transport, timeouts,
 * transient errors after all retries), each with nearcore's cause name in the detail. */
int tk_nearrpc_call(tk_nearrpc *rpc, json_t **result, const char *method,
                    json_t *params) TK_MUST_CHECK;

/* Like tk_nearrpc_call, but also hands back the error cause name (e.g. "UNKNOWN_ACCOUNT",
 * "" if none) so callers can branch on it. cause_cap bytes at cause. */
int tk_nearrpc_call_cause(tk_nearrpc *rpc, json_t **result, char *cause, size_t cause_cap,
                          const char *method, json_t *params) TK_MUST_CHECK;

int tk_nearrpc_status(tk_nearrpc *rpc, json_t **result) TK_MUST_CHECK;

/* block by finality ("final", "optimistic") when height is 0 and hash NULL, else by height or hash.
 */
int tk_nearrpc_block(tk_nearrpc *rpc, json_t **result, const char *finality, uint64_t height,
                     const char *hash) TK_MUST_CHECK;

/* query view_account at finality "final". Out: *result {amount, locked, code_hash, storage_usage,
 * ...} */
int tk_nearrpc_view_account(tk_nearrpc *rpc, json_t **result, const char *account_id) TK_MUST_CHECK;

/* query view_access_key. Out: *result {nonce, permission, block_height, block_hash} */
int tk_nearrpc_view_access_key(tk_nearrpc *rpc, json_t **result, const char *account_id,
                               const char *public_key) TK_MUST_CHECK;

int tk_nearrpc_view_access_key_list(tk_nearrpc *rpc, json_t **result,
                                    const char *account_id) TK_MUST_CHECK;

/* query call_function (a view call). Out: *out (malloc'd, NUL-terminated) and *out_len: the
 * returned bytes. A failing view (missing method, panic) is TK_ERR_INPUT with its message. */
int tk_nearrpc_call_function(tk_nearrpc *rpc, unsigned char **out, size_t *out_len,
                             const char *account_id, const char *method, const void *args,
                             size_t args_len) TK_MUST_CHECK;

/* query view_state with a key prefix (raw bytes, may be empty). */
int tk_nearrpc_view_state(tk_nearrpc *rpc, json_t **result, const char *account_id,
                          const void *prefix, size_t prefix_len) TK_MUST_CHECK;

/* send_tx with wait_until (NONE, INCLUDED, EXECUTED_OPTIMISTIC, INCLUDED_FINAL, EXECUTED, FINAL;
 * NULL: EXECUTED_OPTIMISTIC). signed_tx is the base64 of a borsh SignedTransaction. */
int tk_nearrpc_send_tx(tk_nearrpc *rpc, json_t **outcome, const char *signed_tx_base64,
                       const char *wait_until) TK_MUST_CHECK;

/* broadcast_tx_commit: submit and wait for the final outcome. */
int tk_nearrpc_broadcast_tx_commit(tk_nearrpc *rpc, json_t **outcome,
                                   const char *signed_tx_base64) TK_MUST_CHECK;

/* tx status of (hash base58, sender) with wait_until as for send_tx. */
int tk_nearrpc_tx_status(tk_nearrpc *rpc, json_t **outcome, const char *tx_hash,
                         const char *sender_account_id, const char *wait_until) TK_MUST_CHECK;

/* Builds, signs and submits a transaction from `signer_id` with an ed25519 key: reads the access
 * key's nonce (view_access_key) and a final block hash, sets nonce = access key nonce + 1, signs
 * with the NEAR codec and calls send_tx with wait_until. On InvalidNonce (another transaction
 * raced us) it re-reads the nonce and tries once more. Actions use the near module's types
 * (include/teekeys/near.h); byte ranges in them must stay valid during the call.
 * Out: *outcome (new reference: the send_tx result). In: sk (libsodium layout, secret),
 * actions[0..n_actions). */
int tk_nearrpc_transact(tk_nearrpc *rpc, json_t **outcome, const char *signer_id,
                        const unsigned char sk[64], const char *receiver_id,
                        const tk_near_action *actions, size_t n_actions,
                        const char *wait_until) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_NEARRPC_H */
