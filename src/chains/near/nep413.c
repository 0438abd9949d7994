/*
 * NEP-413 off-chain message signing: the payload {message, nonce, recipient, callbackUrl} in
 * borsh after the u32 tag 2^31 + 413 (so it can never be a valid transaction), sha256, ed25519.
 * Codec for public data; the signer never copies the secret key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/borsh.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"

static int check_field(const tk_near_bytes *b, size_t max, const char *field)
{
    size_t bad;
    if (b->ptr == NULL && b->len != 0) {
        return tk_fail(TK_ERR_ARG, "%s is NULL", field);
    }
    if (b->len > max) {
        return tk_fail(TK_ERR_RANGE, "%s is %zu bytes (at most %zu)", field, b->len, max);
    }
    bad = b->len ? tk_utf8_bad_offset(b->ptr, b->len) : 0;
    if (bad != b->len) {
        return tk_fail(TK_ERR_RANGE, "%s is not valid UTF-8 at byte %zu", field, bad);
    }
    return TK_OK;
}

int tk_near_nep413_encode_var(unsigned char *out, size_t out_cap, size_t *written,
                              const tk_near_nep413 *msg)
{
    tk_borsh_writer w;
    int rc;
    if (written == NULL || msg == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_nep413_encode_var");
    }
    if ((rc = check_field(&msg->message, TK_NEAR_NEP413_MAX_MESSAGE, "message")) != TK_OK ||
        (rc = check_field(&msg->recipient, TK_NEAR_NEP413_MAX_FIELD, "recipient")) != TK_OK ||
        (msg->has_callback_url && (rc = check_field(&msg->callback_url, TK_NEAR_NEP413_MAX_FIELD,
                                                    "callbackUrl")) != TK_OK)) {
        return rc;
    }
    tk_borsh_writer_init(&w, out, out_cap);
    tk_borsh_write_u32(&w, TK_NEAR_NEP413_TAG);
    tk_borsh_write_bytes(&w, msg->message.ptr, msg->message.len);
    tk_borsh_write_fixed(&w, msg->nonce, TK_NEAR_NEP413_NONCE_LEN);
    tk_borsh_write_bytes(&w, msg->recipient.ptr, msg->recipient.len);
    tk_borsh_write_u8(&w, msg->has_callback_url ? 1 : 0);
    if (msg->has_callback_url) {
        tk_borsh_write_bytes(&w, msg->callback_url.ptr, msg->callback_url.len);
    }
    return tk_borsh_writer_finish(&w, written);
}

int tk_near_nep413_decode_var(tk_near_nep413 *msg, const unsigned char *in, size_t in_len)
{
    tk_borsh_reader r;
    const unsigned char *nonce = NULL;
    const char *s = NULL;
    size_t n = 0;
    uint32_t tag = 0;
    int rc;

    if (msg == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_nep413_decode_var");
    }
    memset(msg, 0, sizeof *msg);
    tk_borsh_reader_init(&r, in, in_len);
    if ((rc = tk_borsh_read_u32(&r, &tag, "nep413 tag")) != TK_OK) {
        return rc;
    }
    if (tag != TK_NEAR_NEP413_TAG) {
        return tk_fail(TK_ERR_INPUT, "nep413 tag is %u, expected %u", tag, TK_NEAR_NEP413_TAG);
    }
    if ((rc = tk_borsh_read_string(&r, &s, &n, TK_NEAR_NEP413_MAX_MESSAGE, "message")) != TK_OK) {
        return rc;
    }
    msg->message.ptr = (const unsigned char *)s;
    msg->message.len = n;
    if ((rc = tk_borsh_read_fixed(&r, &nonce, TK_NEAR_NEP413_NONCE_LEN, "nonce")) != TK_OK) {
        return rc;
    }
    memcpy(msg->nonce, nonce, TK_NEAR_NEP413_NONCE_LEN);
    if ((rc = tk_borsh_read_string(&r, &s, &n, TK_NEAR_NEP413_MAX_FIELD, "recipient")) != TK_OK) {
        return rc;
    }
    msg->recipient.ptr = (const unsigned char *)s;
    msg->recipient.len = n;
    if ((rc = tk_borsh_read_option(&r, &msg->has_callback_url, "callbackUrl")) != TK_OK) {
        return rc;
    }
    if (msg->has_callback_url) {
        if ((rc = tk_borsh_read_string(&r, &s, &n, TK_NEAR_NEP413_MAX_FIELD, "callbackUrl")) !=
            TK_OK) {
            return rc;
        }
        msg->callback_url.ptr = (const unsigned char *)s;
        msg->callback_url.len = n;
    }
    return tk_borsh_read_end(&r, "nep413 payload");
}

/* sha256(tag || borsh(payload)). */
static int nep413_hash(unsigned char hash[TK_SHA256_LEN], const tk_near_nep413 *msg)
{
    size_t need = 0;
    unsigned char *buf;
    int rc = tk_near_nep413_encode_var(NULL, 0, &need, msg);
    if (rc != TK_ERR_BUFFER) {
        return rc == TK_OK ? tk_fail(TK_ERR_INTERNAL, "empty nep413 encoding") : rc;
    }
    buf = malloc(need);
    if (buf == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory encoding a nep413 payload");
    }
    if ((rc = tk_near_nep413_encode_var(buf, need, &need, msg)) == TK_OK) {
        tk_sha256(hash, buf, need);
    }
    free(buf);
    return rc;
}

int tk_near_nep413_sign(unsigned char sig[TK_NEAR_ED25519_SIG_LEN],
                        const unsigned char sk[TK_NEAR_SECRET_KEY_LEN], const tk_near_nep413 *msg)
{
    unsigned char hash[TK_SHA256_LEN];
    int rc;
    if (sig == NULL || sk == NULL || msg == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_nep413_sign");
    }
    if ((rc = nep413_hash(hash, msg)) != TK_OK) {
        return rc;
    }
    if (crypto_sign_detached(sig, NULL, hash, sizeof hash, sk) != 0) {
        return tk_fail(TK_ERR_INTERNAL, "ed25519 signing failed");
    }
    return TK_OK;
}

int tk_near_nep413_verify_var(const unsigned char sig[TK_NEAR_ED25519_SIG_LEN],
                              const unsigned char pubkey[TK_NEAR_ED25519_PUBKEY_LEN],
                              const tk_near_nep413 *msg)
{
    unsigned char hash[TK_SHA256_LEN];
    int rc;
    if (sig == NULL || pubkey == NULL || msg == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_near_nep413_verify_var");
    }
    if ((rc = nep413_hash(hash, msg)) != TK_OK) {
        return rc;
    }
    if (crypto_sign_verify_detached(sig, hash, sizeof hash, pubkey) != 0) {
        return tk_fail(TK_ERR_CRYPTO, "nep413 signature does not verify");
    }
    return TK_OK;
}
