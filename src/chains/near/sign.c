/*
 * NEAR transaction signing (near_transaction in DESIGN 4.1): sha256 of the borsh Transaction,
 * ed25519 by libsodium, borsh SignedTransaction out. Only transactions that decode strictly and
 * name our own key as their public_key are signed. The secret key is never copied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"

int tk_near_sign_transaction(unsigned char *out, size_t out_cap, size_t *written,
                             unsigned char hash[TK_NEAR_HASH_LEN],
                             const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                             const unsigned char *tx, size_t tx_len)
{
    tk_near_tx *dec = NULL;
    size_t need;
    int rc;

    if (out == NULL || written == NULL || hash == NULL || sk == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_sign_transaction");
    }
    *written = 0;
    if ((rc = tk_near_tx_decode_var(&dec, tx, tx_len)) != TK_OK) {
        return rc;
    }
    if (dec->public_key.type != TK_NEAR_KEY_ED25519 ||
        memcmp(dec->public_key.data, sk + 32, TK_NEAR_ED25519_PUBKEY_LEN) != 0) {
        rc = tk_fail(TK_ERR_RANGE, "transaction public_key is not the signing key");
        goto cleanup;
    }
    need = tx_len + 1 + TK_NEAR_ED25519_SIG_LEN;
    if (out_cap < need) {
        *written = need;
        rc = tk_fail(TK_ERR_BUFFER, "signed transaction needs %zu bytes, buffer has %zu", need,
                     out_cap);
        goto cleanup;
    }
    tk_sha256(hash, tx, tx_len);
    memmove(out, tx, tx_len);
    out[tx_len] = TK_NEAR_KEY_ED25519;
    if (crypto_sign_detached(out + tx_len + 1, NULL, hash, TK_NEAR_HASH_LEN, sk) != 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "ed25519 signing failed");
        goto cleanup;
    }
    *written = need;
    rc = TK_OK;
cleanup:
    tk_near_tx_free(dec);
    return rc;
}

int tk_near_sign_transaction_b64(char *signed_b64, size_t signed_cap, char *hash_b58,
                                 size_t hash_cap, const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                                 const char *in_b64, size_t in_len)
{
    unsigned char *buf = NULL, hash[TK_NEAR_HASH_LEN];
    size_t cap, tx_len, n, m;
    int rc;

    if (signed_b64 == NULL || hash_b58 == NULL || sk == NULL || in_b64 == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_sign_transaction_b64");
    }
    if (in_len > tk_base64_encoded_len(TK_NEAR_TX_MAX_LEN)) {
        return tk_fail(TK_ERR_INPUT, "transaction: longer than %d bytes", TK_NEAR_TX_MAX_LEN);
    }
    cap = in_len / 4 * 3 + 1 + TK_NEAR_ED25519_SIG_LEN;
    buf = malloc(cap);
    if (buf == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory decoding a transaction");
    }
    if ((rc = tk_base64_decode(buf, cap, &tx_len, in_b64, in_len)) != TK_OK) {
        char why[160];
        snprintf(why, sizeof why, "%s", tk_errmsg());
        rc = tk_fail(rc, "transaction: %s", why);
        goto cleanup;
    }
    if ((rc = tk_near_sign_transaction(buf, cap, &n, hash, sk, buf, tx_len)) != TK_OK ||
        (rc = tk_base64_encode(signed_b64, signed_cap, &m, buf, n)) != TK_OK ||
        (rc = tk_base58_encode(hash_b58, hash_cap, &m, hash, sizeof hash)) != TK_OK) {
        goto cleanup;
    }
cleanup:
    free(buf);
    return rc;
}
