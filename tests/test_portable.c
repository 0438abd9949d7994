/*
 * Portable (freestanding) crypto tests: SHA-256/384/512 against OpenSSL on random inputs and
 * every split of a streamed input, and P-256 ECDSA verification against OpenSSL-made keys and
 * signatures (valid, high-S twins, every kind of corruption, keys off the curve, r/s out of
 * range), signatures made from OpenSSL's group arithmetic for the cases random keys never reach
 * (keys G, -G, 2G, keys with x just below p or tiny, u1 = u2, u1 = 0, edge u1 and u2,
 * x(R) >= n), plus the real attestation-key signature of the published TDX quote.
 */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "teekeys/attest.h"
#include "teekeys/hash.h"
#include "teekeys/portable.h"
#include "util_p256.h"

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
    assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
    assert_int_equal(EVP_PKEY_sign(ctx, der, &der_len, digest, 32), 1);
    test_p256_der_to_raw(sig, der, der_len);
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

/* ---- signatures made with OpenSSL's group arithmetic, for cases random keys never reach ---- */

typedef struct {
    EC_GROUP *g;
    BN_CTX *ctx;
    BIGNUM *n;
} curve;

static void curve_init(curve *c)
{
    c->g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    c->ctx = BN_CTX_new();
    c->n = BN_new();
    assert_non_null(c->g);
    assert_non_null(c->ctx);
    assert_int_equal(EC_GROUP_get_order(c->g, c->n, c->ctx), 1);
}

static void curve_free(curve *c)
{
    EC_GROUP_free(c->g);
    BN_CTX_free(c->ctx);
    BN_free(c->n);
}

static void point_bytes(unsigned char out[64], const curve *c, const EC_POINT *pt)
{
    unsigned char buf[65];
    assert_int_equal(
        EC_POINT_point2oct(c->g, pt, POINT_CONVERSION_UNCOMPRESSED, buf, sizeof buf, c->ctx), 65);
    memcpy(out, buf + 1, 64);
}

/* ECDSA with private key d and nonce k: r = x(kG) mod n, s = (e + r d) / k. */
static void sign_raw(unsigned char sig[64], unsigned char pub[64], const curve *c, const BIGNUM *d,
                     const BIGNUM *k, const unsigned char digest[32])
{
    EC_POINT *pt = EC_POINT_new(c->g);
    BIGNUM *x = BN_new(), *e = BN_bin2bn(digest, 32, NULL), *s = BN_new(), *ki = BN_new();
    assert_int_equal(EC_POINT_mul(c->g, pt, k, NULL, NULL, c->ctx), 1);
    assert_int_equal(EC_POINT_get_affine_coordinates(c->g, pt, x, NULL, c->ctx), 1);
    assert_int_equal(BN_nnmod(x, x, c->n, c->ctx), 1);
    assert_int_equal(BN_mod_mul(s, x, d, c->n, c->ctx), 1);
    assert_int_equal(BN_mod_add(s, s, e, c->n, c->ctx), 1);
    assert_non_null(BN_mod_inverse(ki, k, c->n, c->ctx));
    assert_int_equal(BN_mod_mul(s, s, ki, c->n, c->ctx), 1);
    assert_int_equal(BN_bn2binpad(x, sig, 32), 32);
    assert_int_equal(BN_bn2binpad(s, sig + 32, 32), 32);
    assert_int_equal(EC_POINT_mul(c->g, pt, d, NULL, NULL, c->ctx), 1);
    point_bytes(pub, c, pt);
    EC_POINT_free(pt);
    BN_free(x), BN_free(e), BN_free(s), BN_free(ki);
}

/* Keys G, -G and 2G (the additions inside the verifier then meet equal and opposite points),
 * digests equal to r (u1 = u2), and digests 0 and n (u1 = 0). */
static void test_p256_special_keys(void **state)
{
    curve c;
    BIGNUM *d = BN_new(), *k = BN_new();
    unsigned char sig[64], pub[64], digest[32];
    (void)state;
    curve_init(&c);
    for (int i = 0; i < 3 * 8; i++) {
        int which = i % 3, kind = i / 3 % 4;
        assert_int_equal(BN_set_word(d, which == 2 ? 2 : 1), 1);
        if (which == 1) {
            assert_int_equal(BN_sub(d, c.n, d), 1); /* n - 1: Q = -G */
        }
        assert_int_equal(BN_rand_range(k, c.n), 1);
        tk_random(digest, 32);
        if (kind == 2) {
            memset(digest, 0, 32);
        } else if (kind == 3) {
            memcpy(digest, n_be, 32);
        }
        sign_raw(sig, pub, &c, d, k, digest);
        if (kind == 1 && which != 1) { /* sign again over digest = r (with Q = -G, s would be 0) */
            memcpy(digest, sig, 32);
            sign_raw(sig, pub, &c, d, k, digest);
        }
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
        digest[31] ^= 2;
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 0);
    }
    /* u1 G + u2 Q = infinity: Q = G, r = n - e (so u1 + u2 = (e + r) / s = 0) is rejected */
    assert_int_equal(BN_set_word(d, 1), 1);
    assert_int_equal(BN_rand_range(k, c.n), 1);
    tk_random(digest, 32);
    digest[0] &= 0x7f;
    sign_raw(sig, pub, &c, d, k, digest);
    {
        BIGNUM *e = BN_bin2bn(digest, 32, NULL), *r = BN_new();
        assert_int_equal(BN_sub(r, c.n, e), 1);
        assert_int_equal(BN_bn2binpad(r, sig, 32), 32);
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 0);
        BN_free(e), BN_free(r);
    }
    BN_free(d), BN_free(k);
    curve_free(&c);
}

/* A valid signature whose R = u1 G + u2 Q is chosen: pick R, s and the digest, then
 * Q = (R - u1 G) / u2. With x(R) >= n, r = x(R) - n and the verifier must find x(R) = r + n;
 * with x(R) < p - n it must reject a wrong digest after checking both candidates. */
static void chosen_r(unsigned char sig[64], unsigned char digest[32], unsigned char pub[64],
                     const curve *c, const BIGNUM *x)
{
    EC_POINT *rp = EC_POINT_new(c->g), *t = EC_POINT_new(c->g);
    BIGNUM *r = BN_new(), *s = BN_new(), *e = BN_new(), *w = BN_new(), *u1 = BN_new(),
           *u2 = BN_new();
    assert_int_equal(EC_POINT_set_compressed_coordinates(c->g, rp, x, 0, c->ctx), 1);
    assert_int_equal(BN_nnmod(r, x, c->n, c->ctx), 1);
    assert_int_equal(BN_rand_range(s, c->n), 1);
    tk_random(digest, 32);
    digest[0] &= 0x7f; /* below n */
    assert_non_null(BN_bin2bn(digest, 32, e));
    assert_non_null(BN_mod_inverse(w, s, c->n, c->ctx));
    assert_int_equal(BN_mod_mul(u1, e, w, c->n, c->ctx), 1);
    assert_int_equal(BN_mod_mul(u2, r, w, c->n, c->ctx), 1);
    assert_int_equal(EC_POINT_mul(c->g, t, u1, NULL, NULL, c->ctx), 1);
    assert_int_equal(EC_POINT_invert(c->g, t, c->ctx), 1);
    assert_int_equal(EC_POINT_add(c->g, t, rp, t, c->ctx), 1);
    assert_non_null(BN_mod_inverse(u2, u2, c->n, c->ctx));
    assert_int_equal(EC_POINT_mul(c->g, t, NULL, t, u2, c->ctx), 1);
    point_bytes(pub, c, t);
    assert_int_equal(BN_bn2binpad(r, sig, 32), 32);
    assert_int_equal(BN_bn2binpad(s, sig + 32, 32), 32);
    EC_POINT_free(rp), EC_POINT_free(t);
    BN_free(r), BN_free(s), BN_free(e), BN_free(w), BN_free(u1), BN_free(u2);
}

static void test_p256_chosen_r(void **state)
{
    curve c;
    BIGNUM *x = BN_new(), *p = BN_new(), *off = BN_new();
    unsigned char sig[64], digest[32], pub[64];
    int found = 0;
    (void)state;
    curve_init(&c);
    assert_int_equal(EC_GROUP_get_curve(c.g, p, NULL, NULL, c.ctx), 1);
    for (int i = 0; found < 16 && i < 1000; i++) {
        EC_POINT *probe = EC_POINT_new(c.g);
        int high = found % 2 == 0;
        assert_int_equal(BN_rand(off, 100, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), 1);
        if (high) {
            assert_int_equal(BN_add(x, c.n, off), 1); /* n <= x < p */
        } else {
            assert_non_null(BN_copy(x, off)); /* x < p - n */
        }
        ERR_set_mark();
        if (EC_POINT_set_compressed_coordinates(c.g, probe, x, 0, c.ctx) != 1) {
            ERR_pop_to_mark(); /* no point with this x */
            EC_POINT_free(probe);
            continue;
        }
        EC_POINT_free(probe);
        chosen_r(sig, digest, pub, &c, x);
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
        negate_s(sig);
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
        digest[31] ^= 1;
        assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 0);
        found++;
    }
    assert_int_equal(found, 16);
    BN_free(x), BN_free(p), BN_free(off);
    curve_free(&c);
}

/* A valid signature for key q with chosen u1 and u2 (u2 != 0): R = u1 G + u2 Q, r = x(R) mod n,
 * s = r / u2, e = u1 s. Returns 0 if R is infinity or r = 0. */
static int sign_with_u(unsigned char sig[64], unsigned char digest[32], const curve *c,
                       const EC_POINT *q, const BIGNUM *u1, const BIGNUM *u2)
{
    EC_POINT *rp = EC_POINT_new(c->g);
    BIGNUM *r = BN_new(), *s = BN_new(), *e = BN_new();
    int ok = 0;
    assert_int_equal(EC_POINT_mul(c->g, rp, u1, q, u2, c->ctx), 1);
    if (!EC_POINT_is_at_infinity(c->g, rp)) {
        assert_int_equal(EC_POINT_get_affine_coordinates(c->g, rp, r, NULL, c->ctx), 1);
        assert_int_equal(BN_nnmod(r, r, c->n, c->ctx), 1);
        assert_non_null(BN_mod_inverse(s, u2, c->n, c->ctx));
        assert_int_equal(BN_mod_mul(s, s, r, c->n, c->ctx), 1);
        assert_int_equal(BN_mod_mul(e, u1, s, c->n, c->ctx), 1);
        ok = !BN_is_zero(r);
        assert_int_equal(BN_bn2binpad(r, sig, 32), 32);
        assert_int_equal(BN_bn2binpad(s, sig + 32, 32), 32);
        assert_int_equal(BN_bn2binpad(e, digest, 32), 32);
    }
    EC_POINT_free(rp);
    BN_free(r), BN_free(s), BN_free(e);
    return ok;
}

/* Keys whose x is just below p or tiny (limbs all ones or all zeros in the field
 * representation), both y, with scalars u1, u2 at the edges (0, 1, n - 1, 2^255, all ones
 * below n: the wNAF recodings then carry out of the top bit) and random ones. */
static void test_p256_edge_keys(void **state)
{
    static const char *const edge_u[] = {
        "0",
        "1",
        "2",
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550",
        "8000000000000000000000000000000000000000000000000000000000000000",
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC63254F",
        "7F"};
    const int n_edge = (int)(sizeof edge_u / sizeof edge_u[0]);
    curve c;
    BIGNUM *x = BN_new(), *p = BN_new(), *u1 = BN_new(), *u2 = BN_new();
    EC_POINT *q;
    unsigned char sig[64], digest[32], pub[64];
    int keys = 0, sigs = 0;
    (void)state;
    curve_init(&c);
    q = EC_POINT_new(c.g);
    assert_int_equal(EC_GROUP_get_curve(c.g, p, NULL, NULL, c.ctx), 1);
    for (int k = 1; keys < 24 && k < 200; k++) {
        if (k % 2) {
            assert_int_equal(BN_sub(x, p, BN_value_one()), 1);
            assert_int_equal(BN_sub_word(x, (BN_ULONG)(k / 2)), 1); /* p - 1 - k/2 */
        } else {
            assert_int_equal(BN_set_word(x, (BN_ULONG)(k / 2)), 1); /* 0, 1, 2, ... */
        }
        ERR_set_mark();
        if (EC_POINT_set_compressed_coordinates(c.g, q, x, k / 2 % 2, c.ctx) != 1) {
            ERR_pop_to_mark();
            continue;
        }
        point_bytes(pub, &c, q);
        assert_true(tk_pc_p256_pubkey_check_var(pub));
        for (int j = 0; j < 4; j++) {
            int i1 = (keys + j) % (n_edge + 1), i2 = (keys + 3 * j + 1) % (n_edge + 1);
            if (i1 == n_edge) {
                assert_int_equal(BN_rand_range(u1, c.n), 1);
            } else {
                assert_int_not_equal(BN_hex2bn(&u1, edge_u[i1]), 0);
            }
            if (i2 == n_edge || i2 == 0) {
                assert_int_equal(BN_rand_range(u2, c.n), 1);
            } else {
                assert_int_not_equal(BN_hex2bn(&u2, edge_u[i2]), 0);
            }
            if (BN_is_zero(u2) || !sign_with_u(sig, digest, &c, q, u1, u2)) {
                continue;
            }
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
            negate_s(sig);
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 1);
            digest[31] ^= 4;
            assert_int_equal(tk_pc_p256_verify_var(sig, digest, pub), 0);
            sigs++;
        }
        keys++;
    }
    assert_int_equal(keys, 24);
    assert_true(sigs >= 3 * 24);
    EC_POINT_free(q);
    BN_free(x), BN_free(p), BN_free(u1), BN_free(u2);
    curve_free(&c);
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
        cmocka_unit_test(test_p256_special_keys),
        cmocka_unit_test(test_p256_chosen_r),
        cmocka_unit_test(test_p256_edge_keys),
        cmocka_unit_test(test_quote_signature),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
