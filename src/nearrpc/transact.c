/*
 * Building, signing and submitting NEAR transactions through the RPC client: nonce from the
 * access key, a recent final block hash, the near module's borsh codec and ed25519 signing.
 * The secret key is only handed to tk_near_sign_transaction; nothing here copies or logs it.
 */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"
#include "teekeys/near.h"
#include "teekeys/nearrpc.h"

static int access_key_nonce(tk_nearrpc *rpc, uint64_t *nonce, const char *signer_id,
                            const unsigned char pk[32])
{
    char pkstr[TK_NEARKEY_MAX_LEN];
    json_t *res = NULL, *n;
    int rc;
    if ((rc = tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, pk, 32)) != TK_OK ||
        (rc = tk_nearrpc_view_access_key(rpc, &res, signer_id, pkstr)) != TK_OK) {
        return rc;
    }
    n = json_object_get(res, "nonce");
    if (!json_is_integer(n) || json_integer_value(n) < 0) {
        json_decref(res);
        return tk_fail(TK_ERR_IO, "view_access_key answer has no nonce");
    }
    *nonce = (uint64_t)json_integer_value(n);
    json_decref(res);
    return TK_OK;
}

static int final_block_hash(tk_nearrpc *rpc, unsigned char hash[TK_NEAR_HASH_LEN])
{
    json_t *res = NULL;
    const char *h;
    size_t n = 0;
    int rc = tk_nearrpc_block(rpc, &res, "final", 0, NULL);
    if (rc != TK_OK) {
        return rc;
    }
    h = json_string_value(json_object_get(json_object_get(res, "header"), "hash"));
    rc = h != NULL ? tk_base58_decode(hash, TK_NEAR_HASH_LEN, &n, h, strlen(h)) : TK_ERR_INPUT;
    json_decref(res);
    if (rc != TK_OK || n != TK_NEAR_HASH_LEN) {
        return tk_fail(TK_ERR_IO, "block answer has no 32-byte header.hash");
    }
    return TK_OK;
}

/* One attempt with a fresh nonce and block hash. *cause receives the RPC error cause. */
static int attempt(tk_nearrpc *rpc, json_t **outcome, char *cause, size_t cause_cap, tk_near_tx *tx,
                   const unsigned char *sk, const char *wait_until)
{
    unsigned char *raw = NULL, *signed_tx = NULL, hash[TK_NEAR_HASH_LEN];
    size_t raw_len = 0, signed_len = 0, b64_len;
    char *b64 = NULL;
    uint64_t nonce = 0;
    int rc;

    cause[0] = '\0';
    if ((rc = access_key_nonce(rpc, &nonce, (const char *)tx->signer_id.ptr, sk + 32)) != TK_OK ||
        (rc = final_block_hash(rpc, tx->block_hash)) != TK_OK) {
        return rc;
    }
    tx->nonce = nonce + 1;
    rc = tk_near_tx_encode_var(NULL, 0, &raw_len, tx);
    if (rc != TK_OK && rc != TK_ERR_BUFFER) {
        return rc;
    }
    raw = malloc(raw_len);
    signed_tx = malloc(raw_len + 128);
    if (raw == NULL || signed_tx == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = tk_near_tx_encode_var(raw, raw_len, &raw_len, tx)) != TK_OK ||
        (rc = tk_near_sign_transaction(signed_tx, raw_len + 128, &signed_len, hash, sk, raw,
                                       raw_len)) != TK_OK) {
        goto done;
    }
    b64_len = tk_base64_encoded_len(signed_len) + 1;
    if ((b64 = malloc(b64_len)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = tk_base64_encode(b64, b64_len, &b64_len, signed_tx, signed_len)) != TK_OK) {
        goto done;
    }
    if (wait_until == NULL) {
        wait_until = "EXECUTED_OPTIMISTIC";
    }
    rc = tk_nearrpc_call_cause(
        rpc, outcome, cause, cause_cap, "send_tx",
        json_pack("{s:s, s:s}", "signed_tx_base64", b64, "wait_until", wait_until));
done:
    free(b64);
    free(signed_tx);
    free(raw);
    return rc;
}

int tk_nearrpc_transact(tk_nearrpc *rpc, json_t **outcome, const char *signer_id,
                        const unsigned char sk[64], const char *receiver_id,
                        const tk_near_action *actions, size_t n_actions, const char *wait_until)
{
    tk_near_tx *tx;
    char cause[64];
    int rc, tries;

    if (rpc == NULL || outcome == NULL || signer_id == NULL || sk == NULL || receiver_id == NULL ||
        (actions == NULL && n_actions > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_nearrpc_transact: NULL argument");
    }
    *outcome = NULL;
    if (n_actions == 0 || n_actions > TK_NEAR_MAX_ACTIONS) {
        return tk_fail(TK_ERR_INPUT, "a transaction carries 1 to %d actions", TK_NEAR_MAX_ACTIONS);
    }
    if ((rc = tk_near_account_check(signer_id, strlen(signer_id))) != TK_OK ||
        (rc = tk_near_account_check(receiver_id, strlen(receiver_id))) != TK_OK) {
        return rc;
    }
    tx = calloc(1, sizeof *tx);
    if (tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    tx->signer_id = (tk_near_bytes){(const unsigned char *)signer_id, strlen(signer_id)};
    tx->receiver_id = (tk_near_bytes){(const unsigned char *)receiver_id, strlen(receiver_id)};
    tx->public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(tx->public_key.data, sk + 32, 32);
    tx->n_actions = n_actions;
    memcpy(tx->actions, actions, n_actions * sizeof tx->actions[0]);
    for (tries = 0; tries < 2; tries++) {
        rc = attempt(rpc, outcome, cause, sizeof cause, tx, sk, wait_until);
        if (rc == TK_OK || strcmp(cause, "INVALID_TRANSACTION") != 0 ||
            strstr(tk_errmsg(), "InvalidNonce") == NULL) {
            break;
        }
    }
    free(tx);
    return rc;
}
