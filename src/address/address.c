/*
 * Addresses from public keys for every family of derivation v1. Only public data passes here;
 * the formats are the users' addresses and must match the chains' own tools exactly.
 */
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include "teekeys/address.h"
#include "teekeys/bitcoin.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

int tk_address_eip55(char *out, size_t out_cap, const unsigned char *addr20)
{
    char lower[41];
    unsigned char h[32];
    int rc, i;

    if (out == NULL || addr20 == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_address_eip55: NULL argument");
    }
    if (out_cap < 43) {
        return tk_fail(TK_ERR_BUFFER, "an EVM address needs 43 bytes");
    }
    if ((rc = tk_hex_encode(lower, sizeof lower, addr20, 20)) != TK_OK) {
        return rc;
    }
    tk_keccak256(h, lower, 40);
    out[0] = '0';
    out[1] = 'x';
    for (i = 0; i < 40; i++) {
        int nibble = (h[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        char c = lower[i];
        out[2 + i] = (c >= 'a' && nibble >= 8) ? (char)(c - 32) : c;
    }
    out[42] = '\0';
    return TK_OK;
}

int tk_address_evm(char *out, size_t out_cap, const unsigned char *pub64)
{
    unsigned char h[32];
    if (pub64 == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_address_evm: NULL public key");
    }
    tk_keccak256(h, pub64, 64);
    return tk_address_eip55(out, out_cap, h + 12);
}

int tk_address_taproot_output_key(unsigned char *xonly_q, const unsigned char *pub64)
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    unsigned char ser[65], xp[32];
    secp256k1_pubkey p;
    secp256k1_xonly_pubkey xonly;

    if (xonly_q == NULL || pub64 == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_address_taproot_output_key: NULL argument");
    }
    ser[0] = 0x04;
    memcpy(ser + 1, pub64, 64);
    if (!secp256k1_ec_pubkey_parse(ctx, &p, ser, sizeof ser) ||
        !secp256k1_xonly_pubkey_from_pubkey(ctx, &xonly, NULL, &p) ||
        !secp256k1_xonly_pubkey_serialize(ctx, xp, &xonly)) {
        return tk_fail(TK_ERR_INPUT, "not a valid secp256k1 public key");
    }
    return tk_btc_taproot_output_key_var(xonly_q, NULL, xp, NULL); /* BIP-86: no script tree */
}

const char *tk_address_btc_hrp(tk_network network)
{
    switch (network) {
    case TK_NETWORK_MAINNET:
        return "bc";
    case TK_NETWORK_TESTNET:
    case TK_NETWORK_SIGNET:
        return "tb";
    case TK_NETWORK_REGTEST:
        return "bcrt";
    default:
        return NULL;
    }
}

int tk_address_p2tr(char *out, size_t out_cap, const char *hrp, const unsigned char *pub64)
{
    unsigned char q[32];
    int rc;
    if (out == NULL || hrp == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_address_p2tr: NULL argument");
    }
    if ((rc = tk_address_taproot_output_key(q, pub64)) != TK_OK) {
        return rc;
    }
    return tk_segwit_encode(out, out_cap, hrp, 1, q, sizeof q);
}

int tk_address_from_public_key(char *out, size_t out_cap, tk_family family, tk_network network,
                               const unsigned char *pub, size_t pub_len)
{
    size_t written;
    size_t want = tk_derive_family_curve(family) == TK_CURVE_SECP256K1 ? TK_SECP256K1_PUB_LEN
                                                                       : TK_ED25519_PUB_LEN;
    if (out == NULL || pub == NULL || tk_derive_family_name(family) == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_address_from_public_key: invalid argument");
    }
    if (pub_len != want) {
        return tk_fail(TK_ERR_ARG, "a %s public key is %zu bytes, got %zu",
                       tk_derive_family_name(family), want, pub_len);
    }
    switch (family) {
    case TK_FAMILY_EVM:
        return tk_address_evm(out, out_cap, pub);
    case TK_FAMILY_BITCOIN:
    case TK_FAMILY_BITCOIN_TEST: {
        const char *hrp = tk_address_btc_hrp(network);
        if (hrp == NULL || (family == TK_FAMILY_BITCOIN) != (network == TK_NETWORK_MAINNET)) {
            return tk_fail(TK_ERR_ARG, "network does not fit family %s",
                           tk_derive_family_name(family));
        }
        return tk_address_p2tr(out, out_cap, hrp, pub);
    }
    case TK_FAMILY_SOLANA:
        return tk_base58_encode(out, out_cap, &written, pub, pub_len);
    case TK_FAMILY_NEAR:
        return tk_hex_encode(out, out_cap, pub, pub_len);
    }
    return tk_fail(TK_ERR_ARG, "invalid family");
}

int tk_address_public_key_string(char *out, size_t out_cap, const unsigned char *pub,
                                 size_t pub_len)
{
    if (pub_len == TK_SECP256K1_PUB_LEN) {
        return tk_nearkey_encode(out, out_cap, TK_NEARKEY_SECP256K1_PUBLIC, pub, pub_len);
    }
    if (pub_len == TK_ED25519_PUB_LEN) {
        return tk_nearkey_encode(out, out_cap, TK_NEARKEY_ED25519_PUBLIC, pub, pub_len);
    }
    return tk_fail(TK_ERR_ARG, "public keys are 64 (secp256k1) or 32 (ed25519) bytes");
}
