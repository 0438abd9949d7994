/*
 * The Solana signing kinds of DESIGN 4.1 on JSON payloads (jansson): sol_transaction and
 * sol_message, for the CLI and the HTTP API. Payloads are checked strictly (types, unknown
 * fields); the secret key only reaches libsodium through sign.c.
 */
#include <string.h>

#include <jansson.h>

#include "teekeys/encoding.h"
#include "teekeys/solana.h"

static int sign_transaction(json_t **result, const unsigned char *sk, const json_t *payload)
{
    char sig[TK_SOL_SIGNATURE_B58_MAX], tx[TK_SOL_TX_B64_MAX];
    const char *key;
    json_t *value, *tx_in;
    int rc;

    if (!json_is_object(payload)) {
        return tk_fail(TK_ERR_INPUT, "sol_transaction: payload must be an object {transaction}");
    }
    json_object_foreach((json_t *)payload, key, value)
    {
        if (strcmp(key, "transaction") != 0) {
            return tk_fail(TK_ERR_INPUT, "sol_transaction: unknown field \"%.40s\"", key);
        }
    }
    tx_in = json_object_get(payload, "transaction");
    if (!json_is_string(tx_in)) {
        return tk_fail(TK_ERR_INPUT, "sol_transaction: transaction must be a base64 string");
    }
    if ((rc = tk_sol_sign_transaction_b64(sig, sizeof sig, tx, sizeof tx, sk,
                                          json_string_value(tx_in), json_string_length(tx_in))) !=
        TK_OK) {
        return rc;
    }
    *result = json_pack("{s:s, s:s}", "signature", sig, "transaction", tx);
    return *result != NULL ? TK_OK : tk_fail(TK_ERR_NOMEM, "sol_transaction: out of memory");
}

static int sign_message(json_t **result, const unsigned char *sk, const json_t *payload)
{
    unsigned char sig[TK_SOL_SIGNATURE_LEN];
    char sig58[TK_SOL_SIGNATURE_B58_MAX];
    size_t n;
    int rc;

    if (!json_is_string(payload)) {
        return tk_fail(TK_ERR_INPUT, "sol_message: payload must be a JSON string");
    }
    if ((rc = tk_sol_sign_message(sig, sk, json_string_value(payload),
                                  json_string_length(payload))) != TK_OK ||
        (rc = tk_base58_encode(sig58, sizeof sig58, &n, sig, sizeof sig)) != TK_OK) {
        return rc;
    }
    *result = json_pack("{s:s}", "signature", sig58);
    return *result != NULL ? TK_OK : tk_fail(TK_ERR_NOMEM, "sol_message: out of memory");
}

int tk_sol_sign_request(json_t **result, const unsigned char sk[TK_SOL_SECRET_KEY_LEN],
                        const char *kind, const json_t *payload)
{
    if (result == NULL || sk == NULL || kind == NULL || payload == NULL) {
        return tk_fail(TK_ERR_ARG, "solana sign request: NULL argument");
    }
    *result = NULL;
    if (strcmp(kind, "sol_transaction") == 0) {
        return sign_transaction(result, sk, payload);
    }
    if (strcmp(kind, "sol_message") == 0) {
        return sign_message(result, sk, payload);
    }
    return tk_fail(TK_ERR_UNSUPPORTED, "solana: unknown signing kind \"%.40s\"", kind);
}

int tk_sol_verify_message_request_var(const unsigned char pubkey[TK_SOL_PUBKEY_LEN],
                                      const json_t *payload, const json_t *result)
{
    unsigned char sig[TK_SOL_SIGNATURE_LEN];
    json_t *sig_in;
    size_t n;
    int rc;

    if (pubkey == NULL || payload == NULL || result == NULL) {
        return tk_fail(TK_ERR_ARG, "solana verify request: NULL argument");
    }
    if (!json_is_string(payload)) {
        return tk_fail(TK_ERR_INPUT, "sol_message: payload must be a JSON string");
    }
    sig_in = json_object_get(result, "signature");
    if (!json_is_string(sig_in)) {
        return tk_fail(TK_ERR_INPUT, "sol_message: result.signature must be a base58 string");
    }
    if ((rc = tk_base58_decode(sig, sizeof sig, &n, json_string_value(sig_in),
                               json_string_length(sig_in))) != TK_OK ||
        n != sizeof sig) {
        return rc != TK_OK ? rc : tk_fail(TK_ERR_INPUT, "sol_message: signature is not 64 bytes");
    }
    return tk_sol_verify_message_var(sig, pubkey, json_string_value(payload),
                                     json_string_length(payload));
}
