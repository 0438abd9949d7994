/*
 * Signing dispatch: checks kind against family, hands the payload to the chain module that
 * owns the kind, signs raw digests itself, and wraps results in the DESIGN 4.1 envelope.
 * The key's secret is only passed down, never copied except into wiped temporaries.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "teekeys/address.h"
#include "teekeys/bitcoin.h"
#include "teekeys/encoding.h"
#include "teekeys/evm.h"
#include "teekeys/near.h"
#include "teekeys/psbt.h"
#include "teekeys/sign.h"
#include "teekeys/solana.h"

static int sign_psbt(json_t **result, const tk_key *key, const json_t *payload)
{
    char *in = json_dumps(payload, JSON_COMPACT | JSON_ENCODE_ANY), *out = NULL;
    json_error_t err;
    int rc;
    if (in == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot serialise the payload");
    }
    rc = tk_btc_sign_psbt_request(&out, in, strlen(in), key->secret, NULL);
    free(in);
    if (rc != TK_OK) {
        return rc;
    }
    *result = json_loads(out, 0, &err);
    free(out);
    return *result ? TK_OK : tk_fail(TK_ERR_INTERNAL, "PSBT signer returned invalid JSON");
}

static int raw_digest(json_t **result, const tk_key *key, const json_t *payload)
{
    const char *hex;
    unsigned char digest[32], sig[65];
    char text[160];
    size_t n;
    int rc = TK_OK;

    if (!json_is_object(payload) || json_object_size(payload) != 1 ||
        (hex = json_string_value(json_object_get(payload, "digest"))) == NULL) {
        return tk_fail(TK_ERR_INPUT, "raw_digest payload must be {\"digest\": hex of 32 bytes}");
    }
    if (tk_hex_decode_exact(digest, 32, hex, strlen(hex), TK_HEX_ALLOW_0X) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "digest must be 32 bytes of hex (64 characters)");
    }
    switch (key->family) {
    case TK_FAMILY_EVM:
        rc = tk_evm_sign_digest(sig, key->secret, digest);
        if (rc == TK_OK) {
            text[0] = '0', text[1] = 'x';
            rc = tk_hex_encode(text + 2, sizeof text - 2, sig, 65);
        }
        break;
    case TK_FAMILY_BITCOIN:
    case TK_FAMILY_BITCOIN_TEST: {
        unsigned char tweaked[32];
        rc = tk_btc_taproot_tweak_seckey(tweaked, key->secret, NULL);
        if (rc == TK_OK) {
            rc = tk_btc_schnorr_sign(sig, digest, 32, tweaked, NULL);
        }
        tk_wipe(tweaked, sizeof tweaked);
        if (rc == TK_OK) {
            rc = tk_hex_encode(text, sizeof text, sig, 64);
        }
        break;
    }
    case TK_FAMILY_SOLANA:
    case TK_FAMILY_NEAR: {
        size_t off = key->family == TK_FAMILY_NEAR ? 8 : 0;
        crypto_sign_detached(sig, NULL, digest, 32, key->secret);
        memcpy(text, "ed25519:", 8);
        rc = tk_base58_encode(text + off, sizeof text - off, &n, sig, 64);
        break;
    }
    default:
        rc = tk_fail(TK_ERR_ARG, "invalid family");
    }
    tk_wipe(sig, sizeof sig);
    if (rc != TK_OK) {
        return rc;
    }
    *result = json_pack("{s:s}", "signature", text);
    return *result ? TK_OK : tk_fail(TK_ERR_NOMEM, "out of memory");
}

int tk_sign_payload(json_t **result, const tk_key *key, tk_sign_kind kind, const json_t *payload)
{
    const char *name = tk_sign_kind_name(kind);
    int rc;

    if (result == NULL || key == NULL || key->secret == NULL || payload == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_sign_payload: invalid argument");
    }
    *result = NULL;
    if ((rc = tk_sign_kind_check(kind, key->family)) != TK_OK) {
        return rc;
    }
    switch (kind) {
    case TK_KIND_ETH_TRANSACTION:
    case TK_KIND_ETH_AUTHORIZATION:
    case TK_KIND_ETH_PERSONAL:
    case TK_KIND_ETH_TYPED_DATA:
        return tk_evm_sign_request(result, key->secret, name, payload);
    case TK_KIND_BTC_PSBT:
        return sign_psbt(result, key, payload);
    case TK_KIND_SOL_TRANSACTION:
    case TK_KIND_SOL_MESSAGE:
        return tk_sol_sign_request(result, key->secret, name, payload);
    case TK_KIND_NEAR_TRANSACTION:
    case TK_KIND_NEP413:
        return tk_near_sign_request(result, key->secret, name, payload);
    case TK_KIND_RAW_DIGEST:
        return raw_digest(result, key, payload);
    }
    return tk_fail(TK_ERR_ARG, "invalid kind");
}

int tk_sign_envelope(json_t **envelope, tk_sign_kind kind, json_t *result, const tk_key *key,
                     tk_network network, const char *path)
{
    char address[TK_ADDRESS_MAX], pub[TK_NEARKEY_MAX_LEN];
    const char *net = tk_derive_network_name(network);
    int rc;

    if (envelope == NULL || result == NULL || key == NULL || path == NULL ||
        tk_sign_kind_name(kind) == NULL) {
        json_decref(result);
        return tk_fail(TK_ERR_ARG, "tk_sign_envelope: invalid argument");
    }
    *envelope = NULL;
    if ((rc = tk_address_from_public_key(address, sizeof address, key->family, network,
                                         key->public_key, key->public_key_len)) != TK_OK ||
        (rc = tk_address_public_key_string(pub, sizeof pub, key->public_key,
                                           key->public_key_len)) != TK_OK) {
        json_decref(result);
        return rc;
    }
    *envelope = json_pack(
        "{s:s, s:o, s:{s:s, s:s, s:o, s:s, s:s}}", "kind", tk_sign_kind_name(kind), "result",
        result, "key", "family", tk_derive_family_name(key->family), "path", path, "network",
        net ? json_string(net) : json_null(), "public_key", pub, "address", address);
    return *envelope ? TK_OK : tk_fail(TK_ERR_NOMEM, "out of memory");
}
