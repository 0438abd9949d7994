/*
 * Verification of the message kinds (eth_personal, eth_typed_data, sol_message, nep413):
 * recompute what was signed from the payload exactly as the signer does and check the
 * signature against the expected signer. Public data only.
 */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"
#include "teekeys/evm.h"
#include "teekeys/near.h"
#include "teekeys/sign.h"
#include "teekeys/solana.h"

/* eth_personal payload: a JSON string (UTF-8 message) or {"raw": "0x.."}. */
static int personal_digest(unsigned char hash[32], const json_t *payload)
{
    unsigned char *raw;
    const char *hex;
    size_t n;
    int rc;
    if (json_is_string(payload)) {
        return tk_evm_personal_digest(hash, (const unsigned char *)json_string_value(payload),
                                      json_string_length(payload));
    }
    hex = json_string_value(json_object_get(payload, "raw"));
    if (hex == NULL || json_object_size(payload) != 1 || strncmp(hex, "0x", 2) != 0) {
        return tk_fail(TK_ERR_INPUT, "eth_personal payload must be a string or {\"raw\": \"0x..\"}");
    }
    raw = malloc(strlen(hex) / 2 + 1);
    if (raw == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    rc = tk_hex_decode(raw, strlen(hex) / 2 + 1, &n, hex + 2, strlen(hex) - 2);
    if (rc == TK_OK) {
        rc = tk_evm_personal_digest(hash, raw, n);
    }
    free(raw);
    return rc;
}

static int verify_eth(tk_sign_kind kind, const json_t *payload, const json_t *result,
                      const char *signer)
{
    unsigned char hash[32], sig[65], want[20], got[20];
    const char *s = json_string_value(json_object_get(result, "signature"));
    int rc;
    if (signer == NULL || tk_evm_address_parse(want, signer, strlen(signer)) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "the expected signer must be an EVM address (0x + 40 hex)");
    }
    if (s == NULL || tk_hex_decode_exact(sig, 65, s, strlen(s), TK_HEX_ALLOW_0X) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "result.signature must be 65 bytes of 0x-hex");
    }
    rc = kind == TK_KIND_ETH_PERSONAL ? personal_digest(hash, payload)
                                      : tk_evm_typed_data_hash(hash, NULL, NULL, payload);
    if (rc != TK_OK) {
        return rc;
    }
    if (tk_evm_recover_var(got, hash, sig) != TK_OK || memcmp(got, want, 20) != 0) {
        return tk_fail(TK_ERR_CRYPTO, "signature does not verify for %s", signer);
    }
    return TK_OK;
}

int tk_sign_verify_var(tk_sign_kind kind, const json_t *payload, const json_t *result,
                       const char *signer)
{
    if (payload == NULL || !json_is_object(result)) {
        return tk_fail(TK_ERR_INPUT, "payload and result (an object) are required");
    }
    switch (kind) {
    case TK_KIND_ETH_PERSONAL:
    case TK_KIND_ETH_TYPED_DATA:
        return verify_eth(kind, payload, result, signer);
    case TK_KIND_SOL_MESSAGE: {
        unsigned char pk[32];
        size_t n = 0;
        const char *b58 = signer;
        if (b58 != NULL && strncmp(b58, "ed25519:", 8) == 0) {
            b58 += 8;
        }
        if (b58 == NULL || tk_base58_decode(pk, sizeof pk, &n, b58, strlen(b58)) != TK_OK ||
            n != 32) {
            return tk_fail(TK_ERR_INPUT, "the expected signer must be a Solana address (base58)");
        }
        return tk_sol_verify_message_request_var(pk, payload, result);
    }
    case TK_KIND_NEP413: {
        const char *pk = json_string_value(json_object_get(result, "publicKey"));
        int rc = tk_near_nep413_verify_request_var(payload, result);
        if (rc == TK_OK && signer != NULL && (pk == NULL || strcmp(pk, signer) != 0)) {
            return tk_fail(TK_ERR_CRYPTO, "signed by %.80s, not %.80s", pk ? pk : "?", signer);
        }
        return rc;
    }
    default:
        return tk_fail(TK_ERR_INPUT, "verify handles eth_personal, eth_typed_data, sol_message "
                                     "and nep413");
    }
}
