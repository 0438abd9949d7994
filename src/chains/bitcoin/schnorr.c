/*
 * BIP-340 Schnorr signatures on libsecp256k1 (schnorrsig + extrakeys modules), through the
 * process-wide context. Every signature is verified before it leaves (a fault or a bug must not
 * produce a bad or key-leaking signature). Secret keys and keypairs are wiped on every path.
 */
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include "internal.h"

int btc_sign_keypair(unsigned char sig[64], const unsigned char *msg, size_t msg_len,
                     const void *keypair, const unsigned char *aux32)
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    const secp256k1_keypair *kp = keypair;
    secp256k1_xonly_pubkey pk;
    secp256k1_schnorrsig_extraparams ep = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
    unsigned char aux[32];
    int rc = TK_OK;
    if (aux32 != NULL) {
        memcpy(aux, aux32, sizeof aux);
    } else {
        tk_random(aux, sizeof aux);
    }
    ep.ndata = aux;
    if (!secp256k1_schnorrsig_sign_custom(ctx, sig, msg, msg_len, kp, &ep) ||
        !secp256k1_keypair_xonly_pub(ctx, &pk, NULL, kp) ||
        !secp256k1_schnorrsig_verify(ctx, sig, msg, msg_len, &pk)) {
        tk_wipe(sig, TK_BTC_SCHNORR_SIG_LEN);
        rc = tk_fail(TK_ERR_INTERNAL, "BIP-340 signing failed its own verification");
    }
    tk_wipe(aux, sizeof aux);
    return rc;
}

int tk_btc_schnorr_sign(unsigned char sig[TK_BTC_SCHNORR_SIG_LEN], const unsigned char *msg,
                        size_t msg_len, const unsigned char seckey[TK_BTC_SECKEY_LEN],
                        const unsigned char *aux32)
{
    secp256k1_keypair kp;
    int rc;
    if (sig == NULL || seckey == NULL || (msg == NULL && msg_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_btc_schnorr_sign: NULL argument");
    }
    if (!secp256k1_keypair_create(tk_secp256k1_ctx(), &kp, seckey)) {
        rc = tk_fail(TK_ERR_INPUT, "secret key is zero or not below the group order");
    } else {
        rc = btc_sign_keypair(sig, msg, msg_len, &kp, aux32);
    }
    tk_wipe(&kp, sizeof kp);
    return rc;
}

int tk_btc_schnorr_verify_var(const unsigned char sig[TK_BTC_SCHNORR_SIG_LEN],
                              const unsigned char *msg, size_t msg_len,
                              const unsigned char xonly_pubkey[TK_BTC_XONLY_LEN])
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    secp256k1_xonly_pubkey pk;
    if (sig == NULL || xonly_pubkey == NULL || (msg == NULL && msg_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_btc_schnorr_verify_var: NULL argument");
    }
    if (!secp256k1_xonly_pubkey_parse(ctx, &pk, xonly_pubkey)) {
        return tk_fail(TK_ERR_INPUT, "public key is not the x coordinate of a curve point");
    }
    if (!secp256k1_schnorrsig_verify(ctx, sig, msg, msg_len, &pk)) {
        return tk_fail(TK_ERR_CRYPTO, "BIP-340 signature does not verify");
    }
    return TK_OK;
}

int tk_btc_xonly_pubkey(unsigned char out[TK_BTC_XONLY_LEN],
                        const unsigned char seckey[TK_BTC_SECKEY_LEN])
{
    const secp256k1_context *ctx = tk_secp256k1_ctx();
    secp256k1_keypair kp;
    secp256k1_xonly_pubkey pk;
    int rc = TK_OK;
    if (out == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_xonly_pubkey: NULL argument");
    }
    if (!secp256k1_keypair_create(ctx, &kp, seckey)) {
        rc = tk_fail(TK_ERR_INPUT, "secret key is zero or not below the group order");
    } else if (!secp256k1_keypair_xonly_pub(ctx, &pk, NULL, &kp) ||
               !secp256k1_xonly_pubkey_serialize(ctx, out, &pk)) {
        rc = tk_fail(TK_ERR_INTERNAL, "libsecp256k1 could not serialize a public key");
    }
    tk_wipe(&kp, sizeof kp);
    return rc;
}
