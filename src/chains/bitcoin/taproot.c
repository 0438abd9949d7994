/*
 * BIP-341 Taproot key tweaking and BIP-86 outputs: t = hashTapTweak(P || merkle_root),
 * Q = P + t·G, and the matching tweaked secret key (with the even-y normalisation of the
 * internal key that BIP-340 keypairs do). Tweaked secrets are wiped by every path here; the
 * caller wipes the ones it receives.
 */
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include "internal.h"
#include "teekeys/hash.h"

void tk_btc_taproot_tweak_var(unsigned char tweak[32],
                              const unsigned char internal_key[TK_BTC_XONLY_LEN],
                              const unsigned char *merkle_root)
{
    unsigned char msg[64];
    if (tweak == NULL || internal_key == NULL) {
        return; /* misuse: nothing to write to or from */
    }
    memcpy(msg, internal_key, 32);
    if (merkle_root != NULL) {
        memcpy(msg + 32, merkle_root, 32);
    }
    tk_sha256_tagged(tweak, "TapTweak", msg, merkle_root != NULL ? 64 : 32);
}

int tk_btc_taproot_output_key_var(unsigned char q[TK_BTC_XONLY_LEN], int *parity,
                                  const unsigned char internal_key[TK_BTC_XONLY_LEN],
                                  const unsigned char *merkle_root)
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    secp256k1_xonly_pubkey p, xq;
    secp256k1_pubkey full;
    unsigned char t[32];
    int par = 0;
    if (q == NULL || internal_key == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_taproot_output_key_var: NULL argument");
    }
    if (!secp256k1_xonly_pubkey_parse(ctx, &p, internal_key)) {
        return tk_fail(TK_ERR_INPUT, "internal key is not the x coordinate of a curve point");
    }
    tk_btc_taproot_tweak_var(t, internal_key, merkle_root);
    if (!secp256k1_xonly_pubkey_tweak_add(ctx, &full, &p, t) ||
        !secp256k1_xonly_pubkey_from_pubkey(ctx, &xq, &par, &full) ||
        !secp256k1_xonly_pubkey_serialize(ctx, q, &xq)) {
        return tk_fail(TK_ERR_CRYPTO, "taproot tweak gives an invalid output key");
    }
    if (parity != NULL) {
        *parity = par;
    }
    return TK_OK;
}

int btc_taproot_keypair(void *keypair, unsigned char *internal_x, unsigned char *output_x,
                        const unsigned char seckey[32], const unsigned char *merkle_root)
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    secp256k1_keypair *kp = keypair;
    secp256k1_xonly_pubkey p;
    unsigned char px[32], t[32];
    if (!secp256k1_keypair_create(ctx, kp, seckey)) {
        tk_wipe(kp, sizeof *kp);
        return tk_fail(TK_ERR_INPUT, "secret key is zero or not below the group order");
    }
    if (!secp256k1_keypair_xonly_pub(ctx, &p, NULL, kp) ||
        !secp256k1_xonly_pubkey_serialize(ctx, px, &p)) {
        tk_wipe(kp, sizeof *kp);
        return tk_fail(TK_ERR_INTERNAL, "libsecp256k1 could not serialize a public key");
    }
    tk_btc_taproot_tweak_var(t, px, merkle_root);
    /* keypair_xonly_tweak_add negates the secret first when P has odd y, as BIP-341 asks. */
    if (!secp256k1_keypair_xonly_tweak_add(ctx, kp, t)) {
        tk_wipe(kp, sizeof *kp);
        return tk_fail(TK_ERR_CRYPTO, "taproot tweak gives an invalid secret key");
    }
    if (output_x != NULL && (!secp256k1_keypair_xonly_pub(ctx, &p, NULL, kp) ||
                             !secp256k1_xonly_pubkey_serialize(ctx, output_x, &p))) {
        tk_wipe(kp, sizeof *kp);
        return tk_fail(TK_ERR_INTERNAL, "libsecp256k1 could not serialize a public key");
    }
    if (internal_x != NULL) {
        memcpy(internal_x, px, 32);
    }
    return TK_OK;
}

int tk_btc_taproot_tweak_seckey(unsigned char tweaked[TK_BTC_SECKEY_LEN],
                                const unsigned char seckey[TK_BTC_SECKEY_LEN],
                                const unsigned char *merkle_root)
{
    secp256k1_keypair kp;
    int rc;
    if (tweaked == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_taproot_tweak_seckey: NULL argument");
    }
    rc = btc_taproot_keypair(&kp, NULL, NULL, seckey, merkle_root);
    if (rc == TK_OK && !secp256k1_keypair_sec(tk_secp256k1_ctx(), tweaked, &kp)) {
        tk_wipe(tweaked, TK_BTC_SECKEY_LEN);
        rc = tk_fail(TK_ERR_INTERNAL, "libsecp256k1 could not export a secret key");
    }
    tk_wipe(&kp, sizeof kp);
    return rc;
}

int tk_btc_bip86_keys(unsigned char internal_key[TK_BTC_XONLY_LEN],
                      unsigned char output_key[TK_BTC_XONLY_LEN],
                      const unsigned char seckey[TK_BTC_SECKEY_LEN])
{
    unsigned char p[32];
    int rc;
    if (seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_bip86_keys: NULL argument");
    }
    rc = tk_btc_xonly_pubkey(p, seckey);
    if (rc != TK_OK) {
        return rc;
    }
    if (output_key != NULL) {
        rc = tk_btc_taproot_output_key_var(output_key, NULL, p, NULL);
    }
    if (rc == TK_OK && internal_key != NULL) {
        memcpy(internal_key, p, 32);
    }
    return rc;
}

void tk_btc_p2tr_script(unsigned char out[TK_BTC_P2TR_SCRIPT_LEN],
                        const unsigned char output_key[TK_BTC_XONLY_LEN])
{
    if (out == NULL || output_key == NULL) {
        return; /* misuse: nothing to write to or from */
    }
    out[0] = 0x51; /* OP_1 */
    out[1] = 0x20; /* push 32 bytes */
    memcpy(out + 2, output_key, 32);
}

int tk_btc_taproot_sign_keypath(unsigned char sig[TK_BTC_TAPROOT_SIG_MAX], size_t *sig_len,
                                const unsigned char sighash[32],
                                const unsigned char seckey[TK_BTC_SECKEY_LEN],
                                const unsigned char *merkle_root, unsigned hash_type,
                                const unsigned char *aux32)
{
    secp256k1_keypair kp;
    int rc;
    if (sig == NULL || sig_len == NULL || sighash == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_taproot_sign_keypath: NULL argument");
    }
    if (!tk_btc_taproot_hash_type_valid(hash_type)) {
        return tk_fail(TK_ERR_RANGE, "sighash type 0x%02x is not valid for taproot", hash_type);
    }
    rc = btc_taproot_keypair(&kp, NULL, NULL, seckey, merkle_root);
    if (rc == TK_OK) {
        rc = btc_sign_keypair(sig, sighash, 32, &kp, aux32);
    }
    tk_wipe(&kp, sizeof kp);
    if (rc != TK_OK) {
        return rc;
    }
    *sig_len = 64;
    if (hash_type != TK_BTC_SIGHASH_DEFAULT) {
        sig[64] = (unsigned char)hash_type;
        *sig_len = 65;
    }
    return TK_OK;
}
