/*
 * NEAR key strings: "<curve prefix>:" + base58 of exactly the key's byte length. The type
 * is always given by the caller: "ed25519:" carries either a 32-byte public key or a 64-byte
 * secret key, and a decoder that guessed from the length would let one pass for the other.
 * Intermediate buffers are wiped because secret keys pass through here.
 */
#include <string.h>

#include "teekeys/encoding.h"

static const char *prefix_of(tk_nearkey_type type)
{
    switch (type) {
    case TK_NEARKEY_ED25519_PUBLIC:
    case TK_NEARKEY_ED25519_SECRET:
        return "ed25519:";
    case TK_NEARKEY_SECP256K1_PUBLIC:
        return "secp256k1:";
    case TK_NEARKEY_BLS12381_G1:
        return "bls12381g1:";
    case TK_NEARKEY_BLS12381_G2:
        return "bls12381g2:";
    }
    return NULL;
}

size_t tk_nearkey_len(tk_nearkey_type type)
{
    switch (type) {
    case TK_NEARKEY_ED25519_PUBLIC:
        return 32;
    case TK_NEARKEY_SECP256K1_PUBLIC:
    case TK_NEARKEY_ED25519_SECRET:
        return 64;
    case TK_NEARKEY_BLS12381_G1:
        return 48;
    case TK_NEARKEY_BLS12381_G2:
        return 96;
    }
    return 0;
}

int tk_nearkey_encode(char *out, size_t out_cap, tk_nearkey_type type, const unsigned char *key,
                      size_t key_len)
{
    const char *prefix = prefix_of(type);
    size_t plen, written;
    int rc;

    if (out == NULL || key == NULL || prefix == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_nearkey_encode: invalid argument");
    }
    if (key_len != tk_nearkey_len(type)) {
        return tk_fail(TK_ERR_ARG, "%s key must be %zu bytes, got %zu", prefix,
                       tk_nearkey_len(type), key_len);
    }
    plen = strlen(prefix);
    if (out_cap <= plen) {
        return tk_fail(TK_ERR_BUFFER, "key string buffer too small");
    }
    memcpy(out, prefix, plen);
    rc = tk_base58_encode(out + plen, out_cap - plen, &written, key, key_len);
    if (rc != TK_OK) {
        tk_wipe(out, out_cap);
    }
    return rc;
}

int tk_nearkey_decode(unsigned char *key, size_t key_len, tk_nearkey_type type, const char *in,
                      size_t in_len)
{
    const char *prefix = prefix_of(type);
    unsigned char buf[97];
    size_t plen, got = 0;
    int rc;

    if (key == NULL || prefix == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_nearkey_decode: invalid argument");
    }
    if (key_len != tk_nearkey_len(type)) {
        return tk_fail(TK_ERR_ARG, "%s key must be %zu bytes", prefix, tk_nearkey_len(type));
    }
    plen = strlen(prefix);
    if (in_len < plen || memcmp(in, prefix, plen) != 0) {
        return tk_fail(TK_ERR_INPUT, "key string must start with '%s'", prefix);
    }
    if (in_len - plen > 2 * sizeof buf) {
        return tk_fail(TK_ERR_INPUT, "key string too long for a %s key", prefix);
    }
    rc = tk_base58_decode(buf, sizeof buf, &got, in + plen, in_len - plen);
    if (rc == TK_OK && got != key_len) {
        rc = tk_fail(TK_ERR_INPUT, "%s key string holds %zu bytes, expected %zu", prefix, got,
                     key_len);
    } else if (rc == TK_ERR_BUFFER) {
        rc = tk_fail(TK_ERR_INPUT, "%s key string holds more than %zu bytes", prefix, key_len);
    } else if (rc != TK_OK) {
        rc = tk_fail(TK_ERR_INPUT, "invalid base58 in %s key string", prefix);
    }
    if (rc == TK_OK) {
        memcpy(key, buf, key_len);
    }
    tk_wipe(buf, sizeof buf);
    return rc;
}
