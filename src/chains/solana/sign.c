/*
 * Solana signing (include/teekeys/solana.h): sol_transaction (sign our slot of a parsed wire
 * transaction) and sol_message (plain UTF-8 text, never anything that could be a transaction
 * message). The secret key is only passed to libsodium, never copied; signatures are public.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/solana.h"

int tk_sol_sign_transaction(unsigned char *out, size_t out_cap, size_t *written,
                            unsigned char sig[TK_SOL_SIGNATURE_LEN],
                            const unsigned char sk[TK_SOL_SECRET_KEY_LEN],
                            const unsigned char *wire, size_t wire_len)
{
    tk_sol_transaction *tx = NULL;
    size_t index, sig_offset;
    int rc;

    if (out == NULL || written == NULL || sig == NULL || sk == NULL || wire == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_sign_transaction");
    }
    *written = 0;
    /* The parsed form holds fixed instruction tables (about 20 KiB): keep it off the stack. */
    tx = malloc(sizeof *tx);
    if (tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory parsing a solana transaction");
    }
    if ((rc = tk_sol_transaction_parse_var(tx, wire, wire_len)) != TK_OK ||
        (rc = tk_sol_signer_index_var(&index, &tx->msg, sk + 32)) != TK_OK) {
        goto cleanup;
    }
    if (out_cap < wire_len) {
        *written = wire_len;
        rc = tk_fail(TK_ERR_BUFFER, "signed transaction needs %zu bytes, buffer has %zu", wire_len,
                     out_cap);
        goto cleanup;
    }
    if (crypto_sign_detached(sig, NULL, tx->message, tx->message_len, sk) != 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "ed25519 signing failed");
        goto cleanup;
    }
    /* The signed transaction is the input with our slot replaced. */
    sig_offset = (size_t)(tx->signatures - wire) + index * TK_SOL_SIGNATURE_LEN;
    memmove(out, wire, wire_len);
    memcpy(out + sig_offset, sig, TK_SOL_SIGNATURE_LEN);
    *written = wire_len;
    rc = TK_OK;
cleanup:
    free(tx);
    return rc;
}

int tk_sol_sign_transaction_b64(char *sig_b58, size_t sig_cap, char *tx_b64, size_t tx_cap,
                                const unsigned char sk[TK_SOL_SECRET_KEY_LEN], const char *in_b64,
                                size_t in_len)
{
    unsigned char wire[TK_SOL_PACKET_MAX], sig[TK_SOL_SIGNATURE_LEN];
    size_t wire_len, n;
    int rc;

    if (sig_b58 == NULL || tx_b64 == NULL || sk == NULL || in_b64 == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_sign_transaction_b64");
    }
    if (in_len > tk_base64_encoded_len(TK_SOL_PACKET_MAX)) {
        return tk_fail(TK_ERR_RANGE, "transaction: base64 longer than a %d-byte packet",
                       TK_SOL_PACKET_MAX);
    }
    if ((rc = tk_base64_decode(wire, sizeof wire, &wire_len, in_b64, in_len)) != TK_OK) {
        char why[160];
        snprintf(why, sizeof why, "%s", tk_errmsg());
        return tk_fail(rc, "transaction: %s", why);
    }
    if ((rc = tk_sol_sign_transaction(wire, sizeof wire, &n, sig, sk, wire, wire_len)) != TK_OK) {
        return rc;
    }
    if ((rc = tk_base58_encode(sig_b58, sig_cap, &n, sig, sizeof sig)) != TK_OK ||
        (rc = tk_base64_encode(tx_b64, tx_cap, &n, wire, wire_len)) != TK_OK) {
        return rc;
    }
    return TK_OK;
}

static int check_text(const char *text, size_t text_len)
{
    size_t bad;
    if (text_len == 0 || text_len > TK_SOL_TEXT_MAX) {
        return tk_fail(TK_ERR_RANGE, "solana message text must be 1 to %d bytes, got %zu",
                       TK_SOL_TEXT_MAX, text_len);
    }
    bad = tk_utf8_bad_offset((const unsigned char *)text, text_len);
    if (bad != text_len) {
        return tk_fail(TK_ERR_RANGE, "solana message text is not valid UTF-8 at byte %zu", bad);
    }
    if (tk_sol_looks_like_message_var((const unsigned char *)text, text_len)) {
        return tk_fail(TK_ERR_RANGE, "refusing to sign text whose bytes parse as a solana "
                                     "transaction message");
    }
    return TK_OK;
}

int tk_sol_sign_message(unsigned char sig[TK_SOL_SIGNATURE_LEN],
                        const unsigned char sk[TK_SOL_SECRET_KEY_LEN], const char *text,
                        size_t text_len)
{
    int rc;
    if (sig == NULL || sk == NULL || text == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_sign_message");
    }
    if ((rc = check_text(text, text_len)) != TK_OK) {
        return rc;
    }
    if (crypto_sign_detached(sig, NULL, (const unsigned char *)text, text_len, sk) != 0) {
        return tk_fail(TK_ERR_INTERNAL, "ed25519 signing failed");
    }
    return TK_OK;
}

int tk_sol_verify_message_var(const unsigned char sig[TK_SOL_SIGNATURE_LEN],
                              const unsigned char pubkey[TK_SOL_PUBKEY_LEN], const char *text,
                              size_t text_len)
{
    int rc;
    if (sig == NULL || pubkey == NULL || text == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_verify_message_var");
    }
    if ((rc = check_text(text, text_len)) != TK_OK) {
        return rc;
    }
    if (crypto_sign_verify_detached(sig, (const unsigned char *)text, text_len, pubkey) != 0) {
        return tk_fail(TK_ERR_CRYPTO, "solana message signature does not verify");
    }
    return TK_OK;
}
