/*
 * OpenSSL P-256 helpers for the attestation tests that build their own quotes, collateral or
 * PKI: the raw r || s signature form that quotes and collateral carry.
 */
#ifndef TK_TESTS_UTIL_P256_H
#define TK_TESTS_UTIL_P256_H

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "util.h"

/* A DER ECDSA-Sig-Value into the raw r || s form; fails the test on error. */
static inline void test_p256_der_to_raw(unsigned char out[64], const unsigned char *der,
                                        size_t der_len)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    assert_non_null(es);
    assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), out, 32), 32);
    assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), out + 32, 32), 32);
    ECDSA_SIG_free(es);
}

/* Signs msg with key (ECDSA P-256 / SHA-256) into the raw r || s form; fails the test on error. */
static inline void test_p256_sign_raw(unsigned char out[64], EVP_PKEY *key, const void *msg,
                                      size_t len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[80];
    size_t sig_len = sizeof sig;
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sig_len, msg, len), 1);
    test_p256_der_to_raw(out, sig, sig_len);
    EVP_MD_CTX_free(md);
}

#endif
