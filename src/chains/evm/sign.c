/*
 * secp256k1 signing and recovery for the evm module (libsecp256k1 through tk_secp256k1_ctx():
 * RFC 6979 nonces, low-S, recovery id), EIP-191 personal messages, and the request entry point
 * tk_evm_sign_request for the kinds of DESIGN 4.1. The secret key is only passed through to
 * libsecp256k1; it is never copied, logged or put in an error detail.
 */
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "internal.h"
#include "teekeys/hash.h"

/* n / 2 for secp256k1, big-endian. */
static const unsigned char half_order[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

int tk_evm__s_is_low(const unsigned char s[32])
{
    int zero = 1;
    for (int i = 0; i < 32; i++) {
        zero &= s[i] == 0;
    }
    return !zero && memcmp(s, half_order, 32) <= 0;
}

static void pubkey_address(unsigned char addr[TK_EVM_ADDRESS_LEN], const secp256k1_pubkey *pk)
{
    unsigned char ser[65], h[32];
    size_t n = sizeof ser;
    secp256k1_ec_pubkey_serialize(tk_secp256k1_ctx(), ser, &n, pk, SECP256K1_EC_UNCOMPRESSED);
    tk_keccak256(h, ser + 1, 64);
    memcpy(addr, h + 12, TK_EVM_ADDRESS_LEN);
}

int tk_evm_address_of_seckey(unsigned char addr[TK_EVM_ADDRESS_LEN],
                             const unsigned char seckey[TK_EVM_SECKEY_LEN])
{
    secp256k1_pubkey pk;
    if (addr == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "evm address: NULL argument");
    }
    if (!secp256k1_ec_pubkey_create(tk_secp256k1_ctx(), &pk, seckey)) {
        return tk_fail(TK_ERR_ARG, "evm: invalid secp256k1 secret key");
    }
    pubkey_address(addr, &pk);
    return TK_OK;
}

int tk_evm__sign_rs(unsigned char r[32], unsigned char s[32], unsigned *recid,
                    const unsigned char seckey[32], const unsigned char hash[32])
{
    secp256k1_ecdsa_recoverable_signature sig;
    unsigned char compact[64];
    int id = 0;
    if (r == NULL || s == NULL || recid == NULL || seckey == NULL || hash == NULL) {
        return tk_fail(TK_ERR_ARG, "evm sign: NULL argument");
    }
    if (!secp256k1_ecdsa_sign_recoverable(tk_secp256k1_ctx(), &sig, hash, seckey, NULL, NULL)) {
        return tk_fail(TK_ERR_ARG, "evm: invalid secp256k1 secret key");
    }
    secp256k1_ecdsa_recoverable_signature_serialize_compact(tk_secp256k1_ctx(), compact, &id, &sig);
    memcpy(r, compact, 32);
    memcpy(s, compact + 32, 32);
    *recid = (unsigned)id;
    if (id < 0 || id > 1 || !tk_evm__s_is_low(s)) {
        /* libsecp256k1 always returns low-S and, for practical keys, recid 0/1 (2/3 need
         * r >= n, probability ~2^-128): refuse rather than emit something unusable. */
        return tk_fail(TK_ERR_INTERNAL, "evm: unexpected signature form from libsecp256k1");
    }
    return TK_OK;
}

int tk_evm__recover_rs(unsigned char addr[TK_EVM_ADDRESS_LEN], const unsigned char hash[32],
                       const unsigned char r[32], const unsigned char s[32], unsigned recid)
{
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    unsigned char compact[64];
    if (addr == NULL || hash == NULL || r == NULL || s == NULL) {
        return tk_fail(TK_ERR_ARG, "evm recover: NULL argument");
    }
    if (recid > 1) {
        return tk_fail(TK_ERR_INPUT, "evm recover: recovery id %u is not 0 or 1", recid);
    }
    if (!tk_evm__s_is_low(s)) {
        return tk_fail(TK_ERR_CRYPTO, "evm recover: s is zero or not in the lower half (EIP-2)");
    }
    memcpy(compact, r, 32);
    memcpy(compact + 32, s, 32);
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(tk_secp256k1_ctx(), &sig, compact,
                                                             (int)recid)) {
        return tk_fail(TK_ERR_CRYPTO, "evm recover: r or s out of range");
    }
    if (!secp256k1_ecdsa_recover(tk_secp256k1_ctx(), &pk, &sig, hash)) {
        return tk_fail(TK_ERR_CRYPTO, "evm recover: no public key for this signature");
    }
    pubkey_address(addr, &pk);
    return TK_OK;
}

int tk_evm_sign_digest(unsigned char sig[TK_EVM_SIGNATURE_LEN],
                       const unsigned char seckey[TK_EVM_SECKEY_LEN],
                       const unsigned char hash[TK_EVM_HASH_LEN])
{
    unsigned recid = 0;
    int rc;
    if (sig == NULL) {
        return tk_fail(TK_ERR_ARG, "evm sign: NULL argument");
    }
    if ((rc = tk_evm__sign_rs(sig, sig + 32, &recid, seckey, hash)) != TK_OK) {
        memset(sig, 0, TK_EVM_SIGNATURE_LEN);
        return rc;
    }
    sig[64] = (unsigned char)(27 + recid);
    return TK_OK;
}

int tk_evm_recover_var(unsigned char addr[TK_EVM_ADDRESS_LEN],
                       const unsigned char hash[TK_EVM_HASH_LEN],
                       const unsigned char sig[TK_EVM_SIGNATURE_LEN])
{
    unsigned v;
    if (sig == NULL) {
        return tk_fail(TK_ERR_ARG, "evm recover: NULL argument");
    }
    v = sig[64];
    if (v == 27 || v == 28) {
        v -= 27;
    } else if (v > 1) {
        return tk_fail(TK_ERR_INPUT, "evm recover: v = %u, expected 27, 28, 0 or 1", v);
    }
    return tk_evm__recover_rs(addr, hash, sig, sig + 32, v);
}

int tk_evm_personal_digest(unsigned char hash[TK_EVM_HASH_LEN], const unsigned char *msg,
                           size_t msg_len)
{
    static const char prefix[] = "\x19"
                                 "Ethereum Signed Message:\n";
    char len_text[24];
    tk_keccak256_ctx ctx;
    int n;
    if (hash == NULL || (msg == NULL && msg_len != 0)) {
        return tk_fail(TK_ERR_ARG, "personal digest: NULL argument");
    }
    n = snprintf(len_text, sizeof len_text, "%zu", msg_len);
    tk_keccak256_init(&ctx);
    tk_keccak256_update(&ctx, prefix, sizeof prefix - 1);
    tk_keccak256_update(&ctx, len_text, (size_t)n);
    tk_keccak256_update(&ctx, msg, msg_len);
    tk_keccak256_final(&ctx, hash);
    return TK_OK;
}

/* ---- requests (DESIGN 4.1) ---- */

static int sign_transaction(json_t **result, const unsigned char *seckey, const json_t *payload)
{
    tk_evm_tx tx;
    unsigned char *raw = NULL, hash[32], from[20];
    size_t raw_len = 0;
    json_t *o = NULL;
    int rc;
    memset(&tx, 0, sizeof tx);
    if ((rc = tk_evm_tx_from_jansson(&tx, payload)) != TK_OK ||
        (rc = tk_evm_address_of_seckey(from, seckey)) != TK_OK) {
        goto cleanup;
    }
    /* "from" is checked here against the address we need anyway, so that tk_evm_tx_sign
     * does not derive the public key a second time. */
    if (tx.has_from && memcmp(tx.from, from, TK_EVM_ADDRESS_LEN) != 0) {
        rc = tk_fail(TK_ERR_RANGE, "from: is not the address of the signing key");
        goto cleanup;
    }
    tx.has_from = 0;
    if ((rc = tk_evm_tx_sign(&tx, seckey)) != TK_OK ||
        (rc = tk_evm_tx_encode(&raw, &raw_len, &tx, 1)) != TK_OK) {
        goto cleanup;
    }
    tk_keccak256(hash, raw, raw_len);
    o = json_pack("{s:o*, s:o*, s:o*}", "raw", tk_evm__json_hex(raw, raw_len), "hash",
                  tk_evm__json_hex(hash, 32), "from", tk_evm__json_address(from));
    if (o == NULL || json_object_size(o) != 3) {
        rc = tk_fail(TK_ERR_NOMEM, "eth_transaction: out of memory");
        goto cleanup;
    }
    *result = o;
    o = NULL;
cleanup:
    json_decref(o);
    free(raw);
    tk_evm_tx_free(&tx);
    return rc;
}

static int sign_authorization(json_t **result, const unsigned char *seckey, const json_t *payload)
{
    tk_evm_authorization a;
    json_t *o;
    int rc;
    if ((rc = tk_evm_auth_from_jansson(&a, payload)) != TK_OK) {
        return rc;
    }
    if (a.has_sig) {
        return tk_fail(TK_ERR_INPUT, "eth_authorization: payload is already signed");
    }
    if ((rc = tk_evm_auth_sign(&a, seckey)) != TK_OK) {
        return rc;
    }
    o = json_pack("{s:o*, s:o*, s:o*, s:o*, s:o*, s:o*}", "chainId",
                  tk_evm__json_quantity_u64(a.chain_id), "address", tk_evm__json_address(a.address),
                  "nonce", tk_evm__json_quantity_u64(a.nonce), "yParity",
                  tk_evm__json_quantity_u64(a.y_parity), "r", tk_evm__json_quantity(a.r.b, 32), "s",
                  tk_evm__json_quantity(a.s.b, 32));
    if (o == NULL || json_object_size(o) != 6) {
        json_decref(o);
        return tk_fail(TK_ERR_NOMEM, "eth_authorization: out of memory");
    }
    *result = o;
    return TK_OK;
}

static int signature_result(json_t **result, const unsigned char *seckey,
                            const unsigned char hash[32], const char *kind)
{
    unsigned char sig[65];
    json_t *o;
    int rc;
    if ((rc = tk_evm_sign_digest(sig, seckey, hash)) != TK_OK) {
        return rc;
    }
    o = json_pack("{s:o*}", "signature", tk_evm__json_hex(sig, 65));
    if (o == NULL || json_object_size(o) != 1) {
        json_decref(o);
        return tk_fail(TK_ERR_NOMEM, "%s: out of memory", kind);
    }
    *result = o;
    return TK_OK;
}

static int sign_personal(json_t **result, const unsigned char *seckey, const json_t *payload)
{
    unsigned char hash[32], *bytes = NULL;
    size_t len = 0;
    int rc;
    if (json_is_string(payload)) {
        rc = tk_evm_personal_digest(hash, (const unsigned char *)json_string_value(payload),
                                    json_string_length(payload));
    } else if (json_is_object(payload)) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)payload, key, v)
        {
            if (strcmp(key, "raw") != 0) {
                return tk_fail(TK_ERR_INPUT, "eth_personal: unknown field \"%s\"", key);
            }
        }
        rc = tk_evm__hex_bytes(&bytes, &len, json_object_get(payload, "raw"), TK_EVM_MAX_DATA,
                               "eth_personal.raw");
        if (rc == TK_OK) {
            rc = tk_evm_personal_digest(hash, bytes, len);
        }
        free(bytes);
    } else {
        return tk_fail(TK_ERR_INPUT,
                       "eth_personal: payload must be a string or {\"raw\": \"0x...\"}");
    }
    if (rc != TK_OK) {
        return rc;
    }
    return signature_result(result, seckey, hash, "eth_personal");
}

static int sign_typed(json_t **result, const unsigned char *seckey, const json_t *payload)
{
    unsigned char hash[32];
    int rc;
    /* tk_evm_typed_data_hash also takes the object as a JSON string (eth_signTypedData_v4). */
    if ((rc = tk_evm_typed_data_hash(hash, NULL, NULL, payload)) != TK_OK) {
        return rc;
    }
    return signature_result(result, seckey, hash, "eth_typed_data");
}

int tk_evm_sign_request(json_t **result, const unsigned char seckey[TK_EVM_SECKEY_LEN],
                        const char *kind, const json_t *payload)
{
    if (result == NULL || seckey == NULL || kind == NULL || payload == NULL) {
        return tk_fail(TK_ERR_ARG, "evm sign request: NULL argument");
    }
    *result = NULL;
    if (strcmp(kind, "eth_transaction") == 0) {
        return sign_transaction(result, seckey, payload);
    }
    if (strcmp(kind, "eth_authorization") == 0) {
        return sign_authorization(result, seckey, payload);
    }
    if (strcmp(kind, "eth_personal") == 0) {
        return sign_personal(result, seckey, payload);
    }
    if (strcmp(kind, "eth_typed_data") == 0) {
        return sign_typed(result, seckey, payload);
    }
    return tk_fail(TK_ERR_UNSUPPORTED, "evm: unknown signing kind \"%s\"", kind);
}
