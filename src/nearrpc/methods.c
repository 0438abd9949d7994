/*
 * Typed NEAR JSON-RPC methods on top of tk_nearrpc_call: status, block, the query request
 * types (view_account, view_access_key(_list), call_function, view_state) and transaction
 * submission/status with wait_until. Arguments are validated before anything is sent.
 */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"
#include "teekeys/nearrpc.h"

static const char *const wait_levels[] = {"NONE",           "INCLUDED", "EXECUTED_OPTIMISTIC",
                                          "INCLUDED_FINAL", "EXECUTED", "FINAL"};

static int check_wait(const char **wait_until)
{
    size_t i;
    if (*wait_until == NULL) {
        *wait_until = "EXECUTED_OPTIMISTIC";
        return TK_OK;
    }
    for (i = 0; i < sizeof wait_levels / sizeof wait_levels[0]; i++) {
        if (strcmp(*wait_until, wait_levels[i]) == 0) {
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_INPUT, "unknown wait_until '%.32s'", *wait_until);
}

int tk_nearrpc_status(tk_nearrpc *rpc, json_t **result)
{
    return tk_nearrpc_call(rpc, result, "status", json_array());
}

int tk_nearrpc_block(tk_nearrpc *rpc, json_t **result, const char *finality, uint64_t height,
                     const char *hash)
{
    json_t *p;
    if (hash != NULL) {
        p = json_pack("{s:s}", "block_id", hash);
    } else if (height > 0) {
        p = json_pack("{s:I}", "block_id", (json_int_t)height);
    } else {
        p = json_pack("{s:s}", "finality", finality ? finality : "final");
    }
    return tk_nearrpc_call(rpc, result, "block", p);
}

static int query(tk_nearrpc *rpc, json_t **result, json_t *params)
{
    if (params == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot build query");
    }
    json_object_set_new(params, "finality", json_string("final"));
    return tk_nearrpc_call(rpc, result, "query", params);
}

int tk_nearrpc_view_account(tk_nearrpc *rpc, json_t **result, const char *account_id)
{
    if (account_id == NULL) {
        return tk_fail(TK_ERR_ARG, "account id missing");
    }
    return query(rpc, result,
                 json_pack("{s:s, s:s}", "request_type", "view_account", "account_id", account_id));
}

int tk_nearrpc_view_access_key(tk_nearrpc *rpc, json_t **result, const char *account_id,
                               const char *public_key)
{
    if (account_id == NULL || public_key == NULL) {
        return tk_fail(TK_ERR_ARG, "account id or public key missing");
    }
    return query(rpc, result,
                 json_pack("{s:s, s:s, s:s}", "request_type", "view_access_key", "account_id",
                           account_id, "public_key", public_key));
}

int tk_nearrpc_view_access_key_list(tk_nearrpc *rpc, json_t **result, const char *account_id)
{
    if (account_id == NULL) {
        return tk_fail(TK_ERR_ARG, "account id missing");
    }
    return query(
        rpc, result,
        json_pack("{s:s, s:s}", "request_type", "view_access_key_list", "account_id", account_id));
}

static char *to_base64(const void *data, size_t len)
{
    size_t cap = tk_base64_encoded_len(len) + 1, n;
    char *out = malloc(cap);
    if (out != NULL && tk_base64_encode(out, cap, &n, data, len) != TK_OK) {
        free(out);
        out = NULL;
    }
    return out;
}

int tk_nearrpc_call_function(tk_nearrpc *rpc, unsigned char **out, size_t *out_len,
                             const char *account_id, const char *method, const void *args,
                             size_t args_len)
{
    json_t *res = NULL, *bytes;
    char *args64;
    size_t i, n;
    int rc;

    if (out == NULL || out_len == NULL || account_id == NULL || method == NULL ||
        (args == NULL && args_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_nearrpc_call_function: NULL argument");
    }
    *out = NULL;
    *out_len = 0;
    if ((args64 = to_base64(args, args_len)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot encode arguments");
    }
    rc = query(rpc, &res,
               json_pack("{s:s, s:s, s:s, s:s}", "request_type", "call_function", "account_id",
                         account_id, "method_name", method, "args_base64", args64));
    free(args64);
    if (rc != TK_OK) {
        return rc;
    }
    if (json_is_string(json_object_get(res, "error"))) {
        rc = tk_fail(TK_ERR_INPUT, "view call %s.%s failed: %.300s", account_id, method,
                     json_string_value(json_object_get(res, "error")));
        json_decref(res);
        return rc;
    }
    bytes = json_object_get(res, "result");
    n = json_array_size(bytes);
    if (!json_is_array(bytes) || (*out = malloc(n + 1)) == NULL) {
        json_decref(res);
        return tk_fail(TK_ERR_IO, "view call response has no result bytes");
    }
    for (i = 0; i < n; i++) {
        json_t *b = json_array_get(bytes, i);
        if (!json_is_integer(b) || json_integer_value(b) < 0 || json_integer_value(b) > 255) {
            free(*out);
            *out = NULL;
            json_decref(res);
            return tk_fail(TK_ERR_IO, "view call result byte %zu is not 0..255", i);
        }
        (*out)[i] = (unsigned char)json_integer_value(b);
    }
    (*out)[n] = '\0';
    *out_len = n;
    json_decref(res);
    return TK_OK;
}

int tk_nearrpc_view_state(tk_nearrpc *rpc, json_t **result, const char *account_id,
                          const void *prefix, size_t prefix_len)
{
    char *p64;
    int rc;
    if (account_id == NULL || (prefix == NULL && prefix_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_nearrpc_view_state: NULL argument");
    }
    if ((p64 = to_base64(prefix, prefix_len)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot encode prefix");
    }
    rc = query(rpc, result,
               json_pack("{s:s, s:s, s:s}", "request_type", "view_state", "account_id", account_id,
                         "prefix_base64", p64));
    free(p64);
    return rc;
}

int tk_nearrpc_send_tx(tk_nearrpc *rpc, json_t **outcome, const char *signed_tx_base64,
                       const char *wait_until)
{
    int rc;
    if (signed_tx_base64 == NULL) {
        return tk_fail(TK_ERR_ARG, "signed transaction missing");
    }
    if ((rc = check_wait(&wait_until)) != TK_OK) {
        return rc;
    }
    return tk_nearrpc_call(
        rpc, outcome, "send_tx",
        json_pack("{s:s, s:s}", "signed_tx_base64", signed_tx_base64, "wait_until", wait_until));
}

int tk_nearrpc_broadcast_tx_commit(tk_nearrpc *rpc, json_t **outcome, const char *signed_tx_base64)
{
    if (signed_tx_base64 == NULL) {
        return tk_fail(TK_ERR_ARG, "signed transaction missing");
    }
    return tk_nearrpc_call(rpc, outcome, "broadcast_tx_commit", json_pack("[s]", signed_tx_base64));
}

int tk_nearrpc_tx_status(tk_nearrpc *rpc, json_t **outcome, const char *tx_hash,
                         const char *sender_account_id, const char *wait_until)
{
    int rc;
    if (tx_hash == NULL || sender_account_id == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction hash or sender missing");
    }
    if ((rc = check_wait(&wait_until)) != TK_OK) {
        return rc;
    }
    return tk_nearrpc_call(rpc, outcome, "tx",
                           json_pack("{s:s, s:s, s:s}", "tx_hash", tx_hash, "sender_account_id",
                                     sender_account_id, "wait_until", wait_until));
}
