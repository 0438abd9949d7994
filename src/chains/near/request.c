/*
 * The NEAR signing kinds of DESIGN 4.1 on JSON payloads (jansson): near_transaction and nep413
 * (the wallet-selector result shape {accountId, publicKey, signature}), and nep413
 * verification, for the CLI and the HTTP API. Payloads are checked strictly (types, unknown
 * fields); the secret key only reaches libsodium through sign.c and nep413.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/encoding.h"
#include "teekeys/near.h"

static int only_fields(const json_t *obj, const char *const *allowed, const char *kind)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        size_t i;
        for (i = 0; allowed[i] != NULL && strcmp(allowed[i], key) != 0; i++) {
        }
        if (allowed[i] == NULL) {
            return tk_fail(TK_ERR_INPUT, "%s: unknown field \"%.40s\"", kind, key);
        }
    }
    return TK_OK;
}

static int sign_transaction(json_t **result, const unsigned char *sk, const json_t *payload)
{
    static const char *const fields[] = {"transaction", NULL};
    json_t *tx_in;
    char *out = NULL, hash[TK_NEAR_HASH_B58_MAX];
    size_t cap;
    int rc;

    if (!json_is_object(payload)) {
        return tk_fail(TK_ERR_INPUT, "near_transaction: payload must be an object {transaction}");
    }
    if ((rc = only_fields(payload, fields, "near_transaction")) != TK_OK) {
        return rc;
    }
    tx_in = json_object_get(payload, "transaction");
    if (!json_is_string(tx_in)) {
        return tk_fail(TK_ERR_INPUT, "near_transaction: transaction must be a base64 string");
    }
    cap = tk_base64_encoded_len(json_string_length(tx_in) / 4 * 3 + 65) + 1;
    out = malloc(cap);
    if (out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "near_transaction: out of memory");
    }
    if ((rc = tk_near_sign_transaction_b64(out, cap, hash, sizeof hash, sk,
                                           json_string_value(tx_in), json_string_length(tx_in))) ==
        TK_OK) {
        *result = json_pack("{s:s, s:s}", "signed_transaction", out, "hash", hash);
        if (*result == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "near_transaction: out of memory");
        }
    }
    free(out);
    return rc;
}

/* Reads a nep413 payload {message, nonce: base64, recipient, callbackUrl?, accountId?}; the
 * strings stay owned by `payload`. */
static int nep413_from_json(tk_near_nep413 *msg, const char **account, size_t *account_len,
                            const json_t *payload)
{
    static const char *const fields[] = {"message",     "nonce",     "recipient",
                                         "callbackUrl", "accountId", NULL};
    json_t *m, *nonce, *rcp, *cb, *acc;
    size_t n;
    int rc;

    if (!json_is_object(payload)) {
        return tk_fail(TK_ERR_INPUT, "nep413: payload must be an object");
    }
    if ((rc = only_fields(payload, fields, "nep413")) != TK_OK) {
        return rc;
    }
    memset(msg, 0, sizeof *msg);
    m = json_object_get(payload, "message");
    nonce = json_object_get(payload, "nonce");
    rcp = json_object_get(payload, "recipient");
    cb = json_object_get(payload, "callbackUrl");
    acc = json_object_get(payload, "accountId");
    if (!json_is_string(m)) {
        return tk_fail(TK_ERR_INPUT, "nep413: message must be a string");
    }
    if (!json_is_string(rcp)) {
        return tk_fail(TK_ERR_INPUT, "nep413: recipient must be a string");
    }
    if (!json_is_string(nonce)) {
        return tk_fail(TK_ERR_INPUT, "nep413: nonce must be a base64 string of 32 bytes");
    }
    if ((rc = tk_base64_decode(msg->nonce, sizeof msg->nonce, &n, json_string_value(nonce),
                               json_string_length(nonce))) != TK_OK ||
        n != TK_NEAR_NEP413_NONCE_LEN) {
        return tk_fail(rc == TK_ERR_BUFFER || rc == TK_OK ? TK_ERR_INPUT : rc,
                       "nep413: nonce must be a base64 string of exactly 32 bytes");
    }
    if (cb != NULL && !json_is_null(cb)) {
        if (!json_is_string(cb)) {
            return tk_fail(TK_ERR_INPUT, "nep413: callbackUrl must be a string");
        }
        msg->has_callback_url = 1;
        msg->callback_url.ptr = (const unsigned char *)json_string_value(cb);
        msg->callback_url.len = json_string_length(cb);
    }
    msg->message.ptr = (const unsigned char *)json_string_value(m);
    msg->message.len = json_string_length(m);
    msg->recipient.ptr = (const unsigned char *)json_string_value(rcp);
    msg->recipient.len = json_string_length(rcp);
    *account = NULL;
    *account_len = 0;
    if (acc != NULL && !json_is_null(acc)) {
        if (!json_is_string(acc)) {
            return tk_fail(TK_ERR_INPUT, "nep413: accountId must be a string");
        }
        if ((rc = tk_near_account_check(json_string_value(acc), json_string_length(acc))) !=
            TK_OK) {
            char why[200];
            snprintf(why, sizeof why, "%s", tk_errmsg());
            return tk_fail(rc, "nep413: accountId: %s", why);
        }
        *account = json_string_value(acc);
        *account_len = json_string_length(acc);
    }
    return TK_OK;
}

static int sign_nep413(json_t **result, const unsigned char *sk, const json_t *payload)
{
    tk_near_nep413 msg;
    unsigned char sig[TK_NEAR_ED25519_SIG_LEN];
    char sig64[tk_base64_encoded_len(TK_NEAR_ED25519_SIG_LEN) + 1], pub[TK_NEARKEY_MAX_LEN];
    char implicit[2 * TK_NEAR_ED25519_PUBKEY_LEN + 1];
    const char *account;
    size_t account_len, n;
    int rc;

    if ((rc = nep413_from_json(&msg, &account, &account_len, payload)) != TK_OK ||
        (rc = tk_near_nep413_sign(sig, sk, &msg)) != TK_OK ||
        (rc = tk_base64_encode(sig64, sizeof sig64, &n, sig, sizeof sig)) != TK_OK ||
        (rc = tk_nearkey_encode(pub, sizeof pub, TK_NEARKEY_ED25519_PUBLIC, sk + 32,
                                TK_NEAR_ED25519_PUBKEY_LEN)) != TK_OK) {
        return rc;
    }
    if (account == NULL) {
        /* the key's implicit account: lowercase hex of the public key */
        if ((rc = tk_hex_encode(implicit, sizeof implicit, sk + 32, TK_NEAR_ED25519_PUBKEY_LEN)) !=
            TK_OK) {
            return rc;
        }
        account = implicit;
        account_len = strlen(implicit);
    }
    *result = json_pack("{s:s%, s:s, s:s}", "accountId", account, account_len, "publicKey", pub,
                        "signature", sig64);
    return *result != NULL ? TK_OK : tk_fail(TK_ERR_NOMEM, "nep413: out of memory");
}

int tk_near_sign_request(json_t **result, const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                         const char *kind, const json_t *payload)
{
    if (result == NULL || sk == NULL || kind == NULL || payload == NULL) {
        return tk_fail(TK_ERR_ARG, "near sign request: NULL argument");
    }
    *result = NULL;
    if (strcmp(kind, "near_transaction") == 0) {
        return sign_transaction(result, sk, payload);
    }
    if (strcmp(kind, "nep413") == 0) {
        return sign_nep413(result, sk, payload);
    }
    return tk_fail(TK_ERR_UNSUPPORTED, "near: unknown signing kind \"%.40s\"", kind);
}

int tk_near_nep413_verify_request_var(const json_t *payload, const json_t *result)
{
    tk_near_nep413 msg;
    unsigned char sig[TK_NEAR_ED25519_SIG_LEN], pk[TK_NEAR_ED25519_PUBKEY_LEN];
    json_t *pub, *sig_in;
    const char *account;
    size_t account_len, n;
    int rc;

    if (payload == NULL || result == NULL) {
        return tk_fail(TK_ERR_ARG, "nep413 verify: NULL argument");
    }
    if ((rc = nep413_from_json(&msg, &account, &account_len, payload)) != TK_OK) {
        return rc;
    }
    pub = json_object_get(result, "publicKey");
    sig_in = json_object_get(result, "signature");
    if (!json_is_string(pub) || !json_is_string(sig_in)) {
        return tk_fail(TK_ERR_INPUT, "nep413: result needs publicKey and signature strings");
    }
    if ((rc = tk_nearkey_decode(pk, sizeof pk, TK_NEARKEY_ED25519_PUBLIC, json_string_value(pub),
                                json_string_length(pub))) != TK_OK) {
        char why[160];
        snprintf(why, sizeof why, "%s", tk_errmsg());
        return tk_fail(rc, "nep413: publicKey: %s", why);
    }
    if ((rc = tk_base64_decode(sig, sizeof sig, &n, json_string_value(sig_in),
                               json_string_length(sig_in))) != TK_OK ||
        n != sizeof sig) {
        return tk_fail(TK_ERR_INPUT, "nep413: signature must be base64 of 64 bytes");
    }
    return tk_near_nep413_verify_var(sig, pk, &msg);
}
