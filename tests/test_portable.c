/*
 * Portable (freestanding) crypto tests: SHA-256/384/512 against OpenSSL on random inputs and
 * every split of a streamed input, and P-256 ECDSA verification against OpenSSL-made keys and
 * signatures (valid, high-S twins, every kind of corruption, keys off the curve, r/s out of
 * range), plus the real attestation-key signature of the published TDX quote.
 */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "teekeys/attest.h"
#include "teekeys/hash.h"
#include "teekeys/portable.h"
#include "util.h"

static void test_sha2(void **state)
{
    unsigned char data[1100], a[64], b[64];
    (void)state;
    tk_random(data, sizeof data);
    for (size_t len = 0; len <= sizeof data; len += (len < 260 ? 1 : 37)) {
        tk_pc_sha256(a, data, len);
        tk_sha256(b, data, len);
        assert_memory_equal(a, b, 32);
        tk_pc_sha384(a, data, len);
        tk_sha384(b, data, len);
        assert_memory_equal(a, b, 48);
        {
            tk_pc_sha512_ctx c;
            tk_pc_sha512_init(&c);
            tk_pc_sha512_update(&c, data, len / 3);
            tk_pc_sha512_update(&c, data + len / 3, len - len / 3);
            tk_pc_sha512_final(&c, a);
            tk_sha512(b, data, len);
            assert_memory_equal(a, b, 64);
        }
        {
            tk_pc_sha256_ctx c;
            tk_pc_sha256_init(&c);
            tk_pc_sha256_update(&c, data, len / 2);
            tk_pc_sha256_update(&c, data + len / 2, len - len / 2);
            tk_pc_sha256_final(&c, a);
            tk_sha256(b, data, len);
            assert_memory_equal(a, b, 32);
        }
    }
}

/* An OpenSSL P-256 key: x || y, and a raw r || s signature over a digest. */
static EVP_PKEY *new_key(unsigned char pub[64])
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    unsigned char pt[65];
    size_t n = 0;
    assert_non_null(k);
    assert_int_equal(EVP_PKEY_get_octet_string_param(k, "pub", pt, sizeof pt, &n), 1);
    assert_int_equal(n, 65);
    memcpy(pub, pt + 1, 64);
    return k;
}

static void sign_digest(unsigned char sig[64], EVP_PKEY *k, const unsigned char digest[32])
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    unsigned char der[80];
    size_t der_len = sizeof der;
    const unsigned char *p = der;
    ECDSA_SIG *es;
    assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
    assert_int_equal(EVP_PKEY_sign(ctx, der, &der_len, digest, 32), 1);
    es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    assert_non_null(es);
    assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 32), 32);
    assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 32, 32), 32);
    ECDSA_SIG_free(es);
    EVP_PKEY_CTX_free(ctx);
}

static const unsigned char n_be[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

/* s' = n - s (big-endian): the other valid signature of the same (r, digest). */
static void negate_s(unsigned char sig[64])
{
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = n_be[i] - sig[32 + i] - borrow;
        borrow = d < 0;
        sig[32 + i] = (unsigned char)(d + (borrow ? 256 : 0));
    }
}

static void test_p256_random(void **state)
{
    (void)state;
    for (int k = 0; k < 60; k++) {
        unsigned char pub[64], sig[64], digest[32], bad[64];
        EVP_PKEY *key = new_key(pub);
        assert_true(tk_pc_p256_pubkey_check_var(pub));
        for (int j = 0; j < 5; j++) {
            tk_random(digest, 32);
            if (k == 0 && j == 0) {
                memset(digest, 0xff, 32); /* a digest above n */
            }
            sign_digest(sig, key, digest);
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
            memcpy(bad, sig, 64);
            negate_s(bad);
            assert_int_equal(tk_pc_p256_verify_var(bad, digest, pub), 1);
            memcpy(bad, sig, 64);
            bad[j * 7 % 64] ^= (unsigned char)(1 << (j % 8));
            assert_int_equal(tk_pc_p256_verify_var(bad, digest, pub), 0);
            digest[j] ^= 0x40;
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 0);
            digest[j] ^= 0x40;
            memcpy(bad, pub, 64);
            bad[63 - j] ^= 1; /* off the curve */
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, bad), 0);
            assert_false(tk_pc_p256_pubkey_check_var(bad));
        }
        EVP_PKEY_free(key);
    }
}

static void test_p256_edges(void **state)
{
    unsigned char pub[64], sig[64], digest[32] = {1}, zero[64] = {0};
    EVP_PKEY *key = new_key(pub);
    (void)state;
    sign_digest(sig, key, digest);
    assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
    {
        unsigned char t[64];
        memcpy(t, sig, 64);
        memset(t, 0, 32); /* r = 0 */
        assert_int_equal(tk_pc_p256_verify_var(t, digest, pub), 0);
        memcpy(t, sig, 64);
        memset(t + 32, 0, 32); /* s = 0 */
        assert_int_equal(tk_pc_p256_verify_var(t, digest, pub), 0);
        memcpy(t, sig, 64);
        memcpy(t, n_be, 32); /* r = n */
        assert_int_equal(tk_pc_p256_verify_var(t, digest, pub), 0);
        memcpy(t, sig, 64);
        memcpy(t + 32, n_be, 32); /* s = n */
        assert_int_equal(tk_pc_p256_verify_var(t, digest, pub), 0);
    }
    assert_int_equal(tk_pc_p256_verify_var(sig, digest, zero), 0); /* the point (0, 0) */
    {
        unsigned char big[64];
        memset(big, 0xff, 64); /* coordinates >= p */
        assert_false(tk_pc_p256_pubkey_check_var(big));
    }
    EVP_PKEY_free(key);
}

/* The published v4 quote: its attestation key signed SHA-256(header || TD report). */
static void test_quote_signature(void **state)
{
    char path[512];
    unsigned char *raw, digest[32];
    size_t len;
    tk_attest_quote q;
    (void)state;
    assert_int_equal(
        tk_file_read(&raw, &len, test_shared_path(path, sizeof path, "tdx/tdx_quote"), 1 << 20, 0),
        TK_OK);
    assert_int_equal(tk_attest_quote_parse(&q, raw, len), TK_OK);
    tk_pc_sha256(digest, q.signed_data, q.signed_len);
    assert_int_equal(tk_pc_p256_verify_var(q.signature, digest, q.attestation_key), 1);
    digest[0] ^= 1;
    assert_int_equal(tk_pc_p256_verify_var(q.signature, digest, q.attestation_key), 0);
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha2),
        cmocka_unit_test(test_p256_random),
        cmocka_unit_test(test_p256_edges),
        cmocka_unit_test(test_quote_signature),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
