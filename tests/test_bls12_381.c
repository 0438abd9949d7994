/*
 * Tests for the bls12_381 module: field and tower identities, group law against scalar
 * arithmetic, the constant-time and variable-time multiplications against each other,
 * ZCash encodings with every rejection rule, RFC 9380 expand_message_xmd and hash_to_curve
 * G1 and G2 vectors (tests/vectors/bls12_381/, copied from the RFC's reference repository), and the
 * pairing's bilinearity and non-degeneracy. On CPUs with MULX/ADX the whole group runs twice, the
 * second time on the portable C field arithmetic, and the two are compared directly. Randomness
 * comes from a fixed-seed generator so failures reproduce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../src/bls12_381/constants.h"
#include "../src/bls12_381/field.h"
#include "../src/bls12_381/map.h"
#include "teekeys/bls12_381.h"
#include "teekeys/encoding.h"
#include "util.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static void rand_scalar(tk_bls_scalar *k)
{
    unsigned char b[64];
    test_rand_bytes(&rng_state, b, sizeof b);
    assert_int_equal(tk_bls_scalar_from_wide(k, b, sizeof b), TK_OK);
}

static void rand_fp(fp *a)
{
    unsigned char b[64];
    test_rand_bytes(&rng_state, b, sizeof b);
    bls_fp_from_wide(a, b);
}

static void rand_fp12(fp12 *a)
{
    fp *f = &a->c0.c0.c0;
    for (int i = 0; i < 12; i++) {
        rand_fp(&f[i]);
    }
}

static const char G1_GEN_HEX[] = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac58"
                                 "6c55e83ff97a1aeffb3af00adb22c6bb";
static const char G2_GEN_HEX[] = "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049"
                                 "334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051"
                                 "c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

static void test_fp(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++) {
        fp a, b, c, d;
        rand_fp(&a);
        rand_fp(&b);
        /* (a + b)(a - b) == a^2 - b^2 */
        fp_add(&c, &a, &b);
        fp_sub(&d, &a, &b);
        fp_mul(&c, &c, &d);
        fp_sqr(&d, &a);
        fp_sqr(&a, &b);
        fp_sub(&d, &d, &a);
        assert_true(fp_eq(&c, &d));
        /* inverse */
        bls_fp_inv(&d, &c);
        fp_mul(&d, &d, &c);
        assert_true(fp_eq(&d, &bls_fp_one));
        /* sqrt of a square */
        fp_sqr(&c, &b);
        assert_true(bls_fp_sqrt(&d, &c));
        fp_sqr(&d, &d);
        assert_true(fp_eq(&d, &c));
        assert_true(bls_fp_is_square(&c));
        /* bytes round trip */
        unsigned char buf[48];
        bls_fp_to_bytes(buf, &b);
        assert_true(bls_fp_from_bytes(&d, buf));
        assert_true(fp_eq(&d, &b));
    }
    /* -1 is not a square (p = 3 mod 4); p itself does not decode */
    fp m1, t;
    fp_neg(&m1, &bls_fp_one);
    assert_false(bls_fp_is_square(&m1));
    unsigned char pb[48];
    test_unhex(
        pb, 48,
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
    assert_false(bls_fp_from_bytes(&t, pb));
    pb[47] = 0xaa; /* p - 1 */
    assert_true(bls_fp_from_bytes(&t, pb));
    fp_add(&t, &t, &bls_fp_one);
    assert_true(fp_is_zero(&t));
    fp_neg(&t, &bls_fp_zero);
    assert_true(fp_is_zero(&t));
}

static void test_fp2_fp12(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        fp2 a, b, c;
        rand_fp(&a.c0);
        rand_fp(&a.c1);
        bls_fp2_inv(&b, &a);
        bls_fp2_mul(&c, &a, &b);
        assert_true(bls_fp2_eq(&c, &bls_fp2_one));
        bls_fp2_sqr(&b, &a);
        assert_true(bls_fp2_sqrt_var(&c, &b));
        bls_fp2_sqr(&c, &c);
        assert_true(bls_fp2_eq(&c, &b));

        fp12 x, y, z, one;
        rand_fp12(&x);
        rand_fp12(&y);
        bls_fp12_one(&one);
        /* inverse and squaring */
        bls_fp12_inv(&z, &x);
        bls_fp12_mul(&z, &z, &x);
        assert_true(bls_fp12_is_one(&z));
        bls_fp12_sqr(&z, &x);
        bls_fp12_mul(&y, &x, &x);
        assert_true(bls_fp12_eq(&z, &y));
        /* Frobenius: 12 applications are the identity, and it is multiplicative */
        z = x;
        for (int k = 0; k < 12; k++) {
            bls_fp12_frob(&z, &z);
        }
        assert_true(bls_fp12_eq(&z, &x));
        rand_fp12(&y);
        fp12 fx, fy, fxy;
        bls_fp12_frob(&fx, &x);
        bls_fp12_frob(&fy, &y);
        bls_fp12_mul(&z, &x, &y);
        bls_fp12_frob(&fxy, &z);
        bls_fp12_mul(&z, &fx, &fy);
        assert_true(bls_fp12_eq(&z, &fxy));
        /* sparse line product equals the dense one */
        fp2 o0, o1, o4;
        rand_fp(&o0.c0);
        rand_fp(&o0.c1);
        rand_fp(&o1.c0);
        rand_fp(&o1.c1);
        rand_fp(&o4.c0);
        rand_fp(&o4.c1);
        fp12 line;
        memset(&line, 0, sizeof line);
        line.c0.c0 = o0;
        line.c0.c1 = o1;
        line.c1.c1 = o4;
        bls_fp12_mul(&y, &x, &line);
        bls_fp12_mul_014(&z, &x, &o0, &o1, &o4);
        assert_true(bls_fp12_eq(&y, &z));
        /* cyclotomic squaring on x^((p^6-1)(p^2+1)) */
        bls_fp12_conj(&y, &x);
        bls_fp12_inv(&z, &x);
        bls_fp12_mul(&y, &y, &z);
        bls_fp12_frob(&z, &y);
        bls_fp12_frob(&z, &z);
        bls_fp12_mul(&y, &y, &z);
        bls_fp12_sqr(&z, &y);
        bls_fp12_cyclo_sqr(&x, &y);
        assert_true(bls_fp12_eq(&x, &z));
    }
}

static void test_scalar(void **state)
{
    tk_bls_scalar a, b, c, d;
    unsigned char buf[32];
    (void)state;
    for (int i = 0; i < 20; i++) {
        rand_scalar(&a);
        rand_scalar(&b);
        tk_bls_scalar_mul(&c, &a, &b);
        assert_int_equal(tk_bls_scalar_inv(&d, &b), TK_OK);
        tk_bls_scalar_mul(&d, &c, &d);
        assert_true(tk_bls_scalar_eq(&d, &a));
        tk_bls_scalar_add(&c, &a, &b);
        tk_bls_scalar_sub(&c, &c, &b);
        assert_true(tk_bls_scalar_eq(&c, &a));
        tk_bls_scalar_neg(&c, &a);
        tk_bls_scalar_add(&c, &c, &a);
        assert_true(tk_bls_scalar_is_zero(&c));
        tk_bls_scalar_to_bytes(buf, &a);
        assert_int_equal(tk_bls_scalar_from_bytes(&c, buf), TK_OK);
        assert_true(tk_bls_scalar_eq(&c, &a));
    }
    test_unhex(buf, 32, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");
    assert_int_equal(tk_bls_scalar_from_bytes(&a, buf), TK_ERR_RANGE);
    buf[31] = 0;
    assert_int_equal(tk_bls_scalar_from_bytes(&a, buf), TK_OK);
    tk_bls_scalar_from_u64(&b, 1);
    tk_bls_scalar_add(&a, &a, &b);
    assert_true(tk_bls_scalar_is_zero(&a));
    assert_int_equal(tk_bls_scalar_inv(&b, &a), TK_ERR_RANGE);
    /* wide reduction: r + 5 reduces to 5 */
    unsigned char wide[33] = {0};
    test_unhex(wide + 1, 32, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000006");
    assert_int_equal(tk_bls_scalar_from_wide(&a, wide, sizeof wide), TK_OK);
    tk_bls_scalar_from_u64(&b, 5);
    assert_true(tk_bls_scalar_eq(&a, &b));
    tk_bls_scalar_random(&a);
    assert_false(tk_bls_scalar_is_zero(&a));
}

static void test_g1_group(void **state)
{
    tk_bls_g1 g, p, q, r, s;
    tk_bls_scalar a, b, c;
    unsigned char buf[48];
    (void)state;
    tk_bls_g1_generator(&g);
    assert_true(tk_bls_g1_is_on_curve(&g));
    assert_true(tk_bls_g1_in_subgroup_var(&g));
    tk_bls_g1_compress(buf, &g);
    assert_hex_equal(buf, 48, G1_GEN_HEX);
    /* (r - 1) G == -G */
    unsigned char rm1[32];
    test_unhex(rm1, 32, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000");
    assert_int_equal(tk_bls_scalar_from_bytes(&a, rm1), TK_OK);
    tk_bls_g1_mul(&p, &g, &a);
    tk_bls_g1_neg(&q, &g);
    assert_true(tk_bls_g1_eq(&p, &q));
    tk_bls_g1_add(&p, &p, &g);
    assert_true(tk_bls_g1_is_identity(&p));
    /* G + G == 2G, P + O == P, O + O == O */
    tk_bls_g1_add(&p, &g, &g);
    tk_bls_g1_dbl(&q, &g);
    assert_true(tk_bls_g1_eq(&p, &q));
    tk_bls_g1_identity(&r);
    tk_bls_g1_add(&s, &p, &r);
    assert_true(tk_bls_g1_eq(&s, &p));
    tk_bls_g1_add(&s, &r, &r);
    assert_true(tk_bls_g1_is_identity(&s));
    assert_false(tk_bls_g1_eq(&s, &p));
    for (int i = 0; i < 8; i++) {
        rand_scalar(&a);
        rand_scalar(&b);
        /* a G + b G == (a + b) G, constant-time == variable-time, (ab) G == a (b G) */
        tk_bls_g1_mul(&p, &g, &a);
        tk_bls_g1_mul_var(&q, &g, &a);
        assert_true(tk_bls_g1_eq(&p, &q));
        tk_bls_g1_mul(&q, &g, &b);
        tk_bls_g1_add(&r, &p, &q);
        tk_bls_scalar_add(&c, &a, &b);
        tk_bls_g1_mul(&s, &g, &c);
        assert_true(tk_bls_g1_eq(&r, &s));
        tk_bls_scalar_mul(&c, &a, &b);
        tk_bls_g1_mul(&s, &g, &c);
        tk_bls_g1_mul(&r, &q, &a);
        assert_true(tk_bls_g1_eq(&r, &s));
        assert_true(tk_bls_g1_in_subgroup_var(&r));
        /* msm */
        tk_bls_g1 pts[2] = {g, q};
        tk_bls_scalar ks[2] = {a, b};
        assert_int_equal(tk_bls_g1_msm_var(&s, pts, ks, 2), TK_OK);
        tk_bls_g1_mul(&r, &q, &b);
        tk_bls_g1_add(&r, &r, &p);
        assert_true(tk_bls_g1_eq(&r, &s));
    }
    tk_bls_scalar_from_u64(&a, 0);
    tk_bls_g1_mul(&p, &g, &a);
    assert_true(tk_bls_g1_is_identity(&p));
}

static void test_g2_group(void **state)
{
    tk_bls_g2 g, p, q, r, s;
    tk_bls_scalar a, b, c;
    unsigned char buf[96];
    (void)state;
    tk_bls_g2_generator(&g);
    assert_true(tk_bls_g2_is_on_curve(&g));
    assert_true(tk_bls_g2_in_subgroup_var(&g));
    tk_bls_g2_compress(buf, &g);
    assert_hex_equal(buf, 96, G2_GEN_HEX);
    unsigned char rm1[32];
    test_unhex(rm1, 32, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000");
    assert_int_equal(tk_bls_scalar_from_bytes(&a, rm1), TK_OK);
    tk_bls_g2_mul_var(&p, &g, &a);
    tk_bls_g2_add(&p, &p, &g);
    assert_true(tk_bls_g2_is_identity(&p));
    tk_bls_g2_add(&p, &g, &g);
    tk_bls_g2_dbl(&q, &g);
    assert_true(tk_bls_g2_eq(&p, &q));
    for (int i = 0; i < 4; i++) {
        rand_scalar(&a);
        rand_scalar(&b);
        tk_bls_g2_mul(&p, &g, &a);
        tk_bls_g2_mul_var(&q, &g, &a);
        assert_true(tk_bls_g2_eq(&p, &q));
        tk_bls_g2_mul(&q, &g, &b);
        tk_bls_g2_add(&r, &p, &q);
        tk_bls_scalar_add(&c, &a, &b);
        tk_bls_g2_mul(&s, &g, &c);
        assert_true(tk_bls_g2_eq(&r, &s));
        tk_bls_g2_sub(&r, &r, &q);
        assert_true(tk_bls_g2_eq(&r, &p));
        assert_true(tk_bls_g2_in_subgroup_var(&s));
    }
}

/* Finds a point on E(Fp) outside G1 (almost every point of the curve is). */
static void g1_non_subgroup(tk_bls_g1 *out)
{
    fp x, rhs, four, y;
    bls_fp_from_u64(&four, 4);
    bls_fp_from_u64(&x, 1);
    for (;;) {
        fp_add(&x, &x, &bls_fp_one);
        fp_sqr(&rhs, &x);
        fp_mul(&rhs, &rhs, &x);
        fp_add(&rhs, &rhs, &four);
        if (bls_fp_sqrt(&y, &rhs)) {
            out->x = x;
            out->y = y;
            out->z = bls_fp_one;
            if (!tk_bls_g1_in_subgroup_var(out)) {
                return;
            }
        }
    }
}

static void g2_non_subgroup(tk_bls_g2 *out)
{
    fp2 x, rhs, b, y;
    bls_fp_from_u64(&b.c0, 4);
    bls_fp_from_u64(&b.c1, 4);
    x = bls_fp2_one;
    for (;;) {
        fp_add(&x.c0, &x.c0, &bls_fp_one);
        bls_fp2_sqr(&rhs, &x);
        bls_fp2_mul(&rhs, &rhs, &x);
        bls_fp2_add(&rhs, &rhs, &b);
        if (bls_fp2_sqrt_var(&y, &rhs)) {
            out->x = x;
            out->y = y;
            out->z = bls_fp2_one;
            if (!tk_bls_g2_in_subgroup_var(out)) {
                return;
            }
        }
    }
}

static void test_subgroup_checks(void **state)
{
    tk_bls_g1 p, q;
    tk_bls_g2 p2, q2;
    unsigned char rb[32];
    tk_bls_scalar rm1;
    (void)state;
    /* the endomorphism tests agree with multiplication by r: (r-1) P + P != O off the subgroup */
    test_unhex(rb, 32, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000");
    assert_int_equal(tk_bls_scalar_from_bytes(&rm1, rb), TK_OK);
    g1_non_subgroup(&p);
    assert_true(tk_bls_g1_is_on_curve(&p));
    tk_bls_g1_mul_var(&q, &p, &rm1);
    tk_bls_g1_add(&q, &q, &p);
    assert_false(tk_bls_g1_is_identity(&q));
    /* clearing the cofactor h_eff lands in G1 */
    bls_g1_mul_u64_var(&q, &p, 0xd201000000010001ULL);
    assert_true(tk_bls_g1_in_subgroup_var(&q));
    tk_bls_g1_mul_var(&p, &q, &rm1);
    tk_bls_g1_add(&p, &p, &q);
    assert_true(tk_bls_g1_is_identity(&p));

    g2_non_subgroup(&p2);
    assert_true(tk_bls_g2_is_on_curve(&p2));
    tk_bls_g2_mul_var(&q2, &p2, &rm1);
    tk_bls_g2_add(&q2, &q2, &p2);
    assert_false(tk_bls_g2_is_identity(&q2));
}

static void test_encoding_g1(void **state)
{
    tk_bls_g1 g, p, q;
    unsigned char c[48], u[96], bad[96];
    tk_bls_scalar k;
    (void)state;
    tk_bls_g1_generator(&g);
    for (int i = 0; i < 8; i++) {
        rand_scalar(&k);
        tk_bls_g1_mul(&p, &g, &k);
        if (i == 0) {
            tk_bls_g1_neg(&p, &g);
        }
        tk_bls_g1_compress(c, &p);
        tk_bls_g1_serialize(u, &p);
        assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_OK);
        assert_true(tk_bls_g1_eq(&p, &q));
        assert_int_equal(tk_bls_g1_decode(&q, u, 96), TK_OK);
        assert_true(tk_bls_g1_eq(&p, &q));
        /* flipping the sign bit gives the negated point */
        c[0] ^= 0x20;
        assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_OK);
        tk_bls_g1_neg(&p, &p);
        assert_true(tk_bls_g1_eq(&p, &q));
        c[0] ^= 0x20;
        /* compression flag must match the length */
        assert_int_equal(tk_bls_g1_decode(&q, u, 48), TK_ERR_INPUT);
        memcpy(bad, c, 48);
        bad[0] &= 0x7f;
        assert_int_equal(tk_bls_g1_decode(&q, bad, 48), TK_ERR_INPUT);
        /* sign bit on an uncompressed point */
        memcpy(bad, u, 96);
        bad[0] |= 0x20;
        assert_int_equal(tk_bls_g1_decode(&q, bad, 96), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "sign"));
        /* off the curve */
        memcpy(bad, u, 96);
        bad[95] ^= 1;
        assert_int_equal(tk_bls_g1_decode(&q, bad, 96), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "curve"));
    }
    /* identity: exactly c0 00.. (compressed) and 40 00.. (uncompressed) */
    tk_bls_g1_identity(&p);
    tk_bls_g1_compress(c, &p);
    tk_bls_g1_serialize(u, &p);
    assert_int_equal(c[0], 0xc0);
    assert_int_equal(u[0], 0x40);
    for (int i = 1; i < 48; i++) {
        assert_int_equal(c[i], 0);
    }
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_OK);
    assert_true(tk_bls_g1_is_identity(&q));
    assert_int_equal(tk_bls_g1_decode(&q, u, 96), TK_OK);
    assert_true(tk_bls_g1_is_identity(&q));
    c[0] = 0xe0; /* infinity with sign */
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    c[0] = 0xc0;
    c[47] = 1; /* infinity with a non-zero byte */
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    c[47] = 0;
    c[0] = 0xc1;
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    /* all-zero 48 bytes: uncompressed flag with a 48-byte length */
    memset(c, 0, 48);
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    /* x >= p */
    test_unhex(
        c, 48,
        "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "modulus"));
    /* bad lengths */
    assert_int_equal(tk_bls_g1_decode(&q, c, 47), TK_ERR_INPUT);
    assert_int_equal(tk_bls_g1_decode(&q, c, 0), TK_ERR_INPUT);
    assert_int_equal(tk_bls_g1_decode(NULL, c, 48), TK_ERR_ARG);
    /* x with no curve point: find one */
    fp x, rhs, four, y;
    bls_fp_from_u64(&four, 4);
    bls_fp_from_u64(&x, 1);
    for (;;) {
        fp_sqr(&rhs, &x);
        fp_mul(&rhs, &rhs, &x);
        fp_add(&rhs, &rhs, &four);
        if (!bls_fp_sqrt(&y, &rhs)) {
            break;
        }
        fp_add(&x, &x, &bls_fp_one);
    }
    bls_fp_to_bytes(c, &x);
    c[0] |= 0x80;
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    /* on the curve, outside G1 */
    g1_non_subgroup(&p);
    tk_bls_g1_compress(c, &p);
    tk_bls_g1_serialize(u, &p);
    assert_int_equal(tk_bls_g1_decode(&q, c, 48), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "subgroup"));
    assert_int_equal(tk_bls_g1_decode(&q, u, 96), TK_ERR_INPUT);
}

static void test_encoding_g2(void **state)
{
    tk_bls_g2 g, p, q;
    unsigned char c[96], u[192], bad[192];
    tk_bls_scalar k;
    (void)state;
    tk_bls_g2_generator(&g);
    for (int i = 0; i < 6; i++) {
        rand_scalar(&k);
        tk_bls_g2_mul(&p, &g, &k);
        tk_bls_g2_compress(c, &p);
        tk_bls_g2_serialize(u, &p);
        assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_OK);
        assert_true(tk_bls_g2_eq(&p, &q));
        assert_int_equal(tk_bls_g2_decode(&q, u, 192), TK_OK);
        assert_true(tk_bls_g2_eq(&p, &q));
        c[0] ^= 0x20;
        assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_OK);
        tk_bls_g2_neg(&p, &p);
        assert_true(tk_bls_g2_eq(&p, &q));
        memcpy(bad, u, 192);
        bad[191] ^= 1;
        assert_int_equal(tk_bls_g2_decode(&q, bad, 192), TK_ERR_INPUT);
        memcpy(bad, u, 192);
        bad[0] |= 0x20;
        assert_int_equal(tk_bls_g2_decode(&q, bad, 192), TK_ERR_INPUT);
        assert_int_equal(tk_bls_g2_decode(&q, u, 96), TK_ERR_INPUT);
    }
    tk_bls_g2_identity(&p);
    tk_bls_g2_compress(c, &p);
    assert_int_equal(c[0], 0xc0);
    assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_OK);
    assert_true(tk_bls_g2_is_identity(&q));
    c[60] = 1;
    assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_ERR_INPUT);
    /* x.c0 >= p */
    memset(c, 0, 96);
    test_unhex(
        c + 48, 48,
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
    c[0] = 0x80;
    assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "x.c0"));
    g2_non_subgroup(&p);
    tk_bls_g2_compress(c, &p);
    assert_int_equal(tk_bls_g2_decode(&q, c, 96), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "subgroup"));
}

static json_t *load_vectors(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (j == NULL) {
        fail_msg("cannot load %s: %s", path, err.text);
    }
    return j;
}

static void test_expand_message_xmd(void **state)
{
    static const char *files[] = {"tests/vectors/bls12_381/expand_message_xmd_sha256_38.json",
                                  "tests/vectors/bls12_381/expand_message_xmd_sha256_256.json"};
    int count = 0;
    (void)state;
    for (size_t f = 0; f < 2; f++) {
        json_t *j = load_vectors(files[f]);
        const char *dst = json_string_value(json_object_get(j, "DST"));
        json_t *tests = json_object_get(j, "tests"), *t;
        size_t i;
        assert_non_null(dst);
        json_array_foreach(tests, i, t)
        {
            const char *msg = json_string_value(json_object_get(t, "msg"));
            const char *want = json_string_value(json_object_get(t, "uniform_bytes"));
            size_t len = strtoul(json_string_value(json_object_get(t, "len_in_bytes")), NULL, 16);
            unsigned char out[256];
            assert_true(len <= sizeof out);
            assert_int_equal(
                tk_bls_expand_message_xmd(out, len, msg, strlen(msg), dst, strlen(dst)), TK_OK);
            assert_hex_equal(out, len, want);
            count++;
        }
        json_decref(j);
    }
    assert_true(count >= 10);
    unsigned char out[32];
    assert_int_equal(tk_bls_expand_message_xmd(out, 0, "", 0, "D", 1), TK_ERR_ARG);
}

static void test_hash_to_g1_rfc(void **state)
{
    json_t *j = load_vectors("tests/vectors/bls12_381/h2c_g1_xmd_sha256_sswu_ro.json");
    const char *dst = json_string_value(json_object_get(j, "dst"));
    json_t *vecs = json_object_get(j, "vectors"), *v;
    size_t i;
    (void)state;
    assert_int_equal(json_array_size(vecs), 5);
    json_array_foreach(vecs, i, v)
    {
        const char *msg = json_string_value(json_object_get(v, "msg"));
        json_t *pj = json_object_get(v, "P");
        char want[2 * 96 + 1];
        unsigned char out[96];
        tk_bls_g1 p;
        snprintf(want, sizeof want, "%s%s", json_string_value(json_object_get(pj, "x")) + 2,
                 json_string_value(json_object_get(pj, "y")) + 2);
        assert_int_equal(tk_bls_hash_to_g1(&p, msg, strlen(msg), dst, strlen(dst)), TK_OK);
        assert_true(tk_bls_g1_in_subgroup_var(&p));
        tk_bls_g1_serialize(out, &p);
        assert_hex_equal(out, 96, want);
    }
    json_decref(j);
}

/* "0x<96 hex>" -> Fp */
static void fp_from_hex(fp *r, const char *h)
{
    unsigned char b[48];
    assert_non_null(h);
    assert_int_equal(strlen(h), 2 + 96);
    test_unhex(b, sizeof b, h + 2);
    assert_true(bls_fp_from_bytes(r, b));
}

/* "0x<c0>,0x<c1>" (the RFC's Fp2 notation) -> Fp2 */
static void fp2_from_hex(fp2 *r, const char *h)
{
    char c0[2 + 96 + 1];
    assert_non_null(h);
    assert_int_equal(strlen(h), 2 * (2 + 96) + 1);
    memcpy(c0, h, 2 + 96);
    c0[2 + 96] = '\0';
    fp_from_hex(&r->c0, c0);
    fp_from_hex(&r->c1, h + 2 + 96 + 1);
}

/* The affine point {"x": Fp2, "y": Fp2} of a vector as a projective point. */
static void g2_from_json(tk_bls_g2 *r, json_t *pj)
{
    fp2_from_hex(&r->x, json_string_value(json_object_get(pj, "x")));
    fp2_from_hex(&r->y, json_string_value(json_object_get(pj, "y")));
    r->z = bls_fp2_one;
    assert_true(tk_bls_g2_is_on_curve(r));
}

/* RFC 9380 appendix J.10.1: every intermediate value (u0, u1, Q0 = iso_map(map_to_curve(u0)),
 * Q1) and the final point P of the five vectors. */
static void test_hash_to_g2_rfc(void **state)
{
    json_t *j = load_vectors("tests/vectors/bls12_381/h2c_g2_xmd_sha256_sswu_ro.json");
    const char *dst = json_string_value(json_object_get(j, "dst"));
    json_t *vecs = json_object_get(j, "vectors"), *v;
    size_t i;
    tk_bls_g2 p;
    (void)state;
    assert_string_equal(dst, "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_");
    assert_int_equal(json_array_size(vecs), 5);
    json_array_foreach(vecs, i, v)
    {
        const char *msg = json_string_value(json_object_get(v, "msg"));
        unsigned char uniform[256];
        fp2 u[2], want_u, x, y;
        tk_bls_g2 q, want;
        assert_int_equal(
            tk_bls_expand_message_xmd(uniform, sizeof uniform, msg, strlen(msg), dst, strlen(dst)),
            TK_OK);
        for (int k = 0; k < 2; k++) {
            bls_fp_from_wide(&u[k].c0, uniform + 128 * k);
            bls_fp_from_wide(&u[k].c1, uniform + 128 * k + 64);
            fp2_from_hex(&want_u,
                         json_string_value(json_array_get(json_object_get(v, "u"), (size_t)k)));
            assert_true(bls_fp2_eq(&u[k], &want_u));
            bls_g2_map_sswu(&x, &y, &u[k]);
            bls_g2_iso_map(&q, &x, &y);
            g2_from_json(&want, json_object_get(v, k == 0 ? "Q0" : "Q1"));
            assert_true(tk_bls_g2_eq(&q, &want));
        }
        g2_from_json(&want, json_object_get(v, "P"));
        assert_int_equal(tk_bls_hash_to_g2(&p, msg, strlen(msg), dst, strlen(dst)), TK_OK);
        assert_true(tk_bls_g2_eq(&p, &want));
        assert_true(tk_bls_g2_in_subgroup_var(&p));
    }
    json_decref(j);
    assert_int_equal(tk_bls_hash_to_g2(NULL, "", 0, "D", 1), TK_ERR_ARG);
    assert_int_equal(tk_bls_hash_to_g2(&p, "", 0, NULL, 1), TK_ERR_ARG);
}

/* Fp2 square roots: both branches of bls_fp2_sqrt_var (whether (a0 + |a|) / 2 is a square),
 * elements of Fp, and non-squares (squares times xi = 1 + u, a non-square of Fp2). */
static void test_fp2_sqrt(void **state)
{
    fp2 a, s, r, t, xi;
    (void)state;
    xi.c0 = bls_fp_one;
    xi.c1 = bls_fp_one;
    for (int i = 0; i < 40; i++) {
        rand_fp(&a.c0);
        rand_fp(&a.c1);
        if (i % 8 == 0) {
            a.c1 = bls_fp_zero; /* a in Fp: s = a^2 is a square in Fp */
        } else if (i % 8 == 1) {
            a.c0 = bls_fp_zero; /* s = -a1^2 is a non-square of Fp */
        }
        bls_fp2_sqr(&s, &a);
        assert_true(bls_fp2_sqrt_var(&r, &s));
        bls_fp2_sqr(&t, &r);
        assert_true(bls_fp2_eq(&t, &s));
        bls_fp2_mul(&t, &s, &xi);
        assert_false(bls_fp2_sqrt_var(&r, &t));
    }
    assert_true(bls_fp2_sqrt_var(&r, &bls_fp2_zero));
    assert_true(bls_fp2_is_zero(&r));
}

/* r = a + b + c as 384-bit integers (b may be NULL), for operands outside the reduced range. */
static void raw_add(fp *r, const uint64_t a[6], const uint64_t *b, int c)
{
    u128 t = (u128)a[0] + (b != NULL ? b[0] : 0) + (uint64_t)(int64_t)c;
    r->v[0] = (uint64_t)t;
    for (int l = 1; l < 6; l++) {
        t = (t >> 64) + a[l] + (b != NULL ? b[l] : 0) + (c < 0 ? ~0ULL : 0);
        r->v[l] = (uint64_t)t;
    }
}

static int raw_below_p(const fp *a)
{
    for (int l = 5; l >= 0; l--) {
        if (a->v[l] != bls_p[l]) {
            return a->v[l] < bls_p[l];
        }
    }
    return 0;
}

/* The MULX/ADX assembly and the portable C give the same results, on reduced inputs, on the
 * unreduced sums (< 2p) the multiplication accepts and on edge values (0, 1, p - 1, 2p - 1). */
static void test_fp_backends(void **state)
{
    static const fp pm1 = {{0xb9feffffffffaaaaULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                            0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL}};
    int saved = bls_fp_use_adx;
    (void)state;
    if (!bls_fp_have_adx()) {
        skip(); /* only the C code exists on this CPU */
    }
    for (int i = 0; i < 2000; i++) {
        fp a, b, r1, r2;
        fp2 x, y, z1, z2;
        uint64_t w1[12], w2[12];
        rand_fp(&a);
        rand_fp(&b);
        if (i % 4 == 1) {
            fp_add_nr(&a, &a, &b); /* < 2p */
        } else if (i == 2) {
            a = pm1;
            b = pm1;
        } else if (i == 3) {
            fp_add_nr(&a, &pm1, &pm1); /* 2p - 2 */
            fp_add_nr(&b, &pm1, &bls_fp_one);
        } else if (i == 4) {
            a = bls_fp_zero;
        }
        bls_fp_use_adx = 1;
        bls_fp_mul(&r1, &a, &b);
        bls_fp_mul_wide(w1, &a, &b);
        bls_fp_use_adx = 0;
        bls_fp_mul(&r2, &a, &b);
        bls_fp_mul_wide(w2, &a, &b);
        assert_memory_equal(&r1, &r2, sizeof r1);
        assert_memory_equal(w1, w2, sizeof w1);
        bls_fp_use_adx = 1;
        bls_fp_sqr(&r1, &a);
        bls_fp_redc(&r1, w1);
        bls_fp_use_adx = 0;
        bls_fp_sqr(&r2, &a);
        bls_fp_redc(&r2, w2);
        assert_memory_equal(&r1, &r2, sizeof r1);
        x.c0 = a;
        x.c1 = b;
        rand_fp(&y.c0);
        rand_fp(&y.c1);
        fp_mul(&x.c0, &x.c0, &bls_fp_one); /* reduce: the Fp2 inputs are field elements */
        fp_mul(&x.c1, &x.c1, &bls_fp_one);
        bls_fp_use_adx = 1;
        bls_fp2_mul(&z1, &x, &y);
        bls_fp_use_adx = 0;
        bls_fp2_mul(&z2, &x, &y);
        assert_memory_equal(&z1, &z2, sizeof z1);
    }
    /* operands next to p and 2p (and 0, 1), every pair and each with random values: the final
     * conditional subtraction and the carries out of the top limb */
    fp edge[16];
    for (int j = 0; j < 6; j++) {
        raw_add(&edge[j], bls_p, NULL, j - 3);      /* p - 3 .. p + 2 */
        raw_add(&edge[6 + j], bls_p, bls_p, j - 6); /* 2p - 6 .. 2p - 1 */
    }
    edge[12] = bls_fp_zero;
    edge[13] = (fp){{1, 0, 0, 0, 0, 0}};
    edge[14] = bls_fp_one;
    rand_fp(&edge[15]);
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 20; j++) {
            fp b, r1, r2;
            uint64_t w1[12], w2[12];
            if (j < 16) {
                b = edge[j];
            } else {
                rand_fp(&b);
            }
            bls_fp_use_adx = 1;
            bls_fp_mul(&r1, &edge[i], &b);
            bls_fp_mul_wide(w1, &edge[i], &b);
            bls_fp_use_adx = 0;
            bls_fp_mul(&r2, &edge[i], &b);
            bls_fp_mul_wide(w2, &edge[i], &b);
            assert_memory_equal(&r1, &r2, sizeof r1);
            assert_memory_equal(w1, w2, sizeof w1);
            bls_fp_use_adx = 1;
            bls_fp_redc(&r1, w1);
            bls_fp_use_adx = 0;
            bls_fp_redc(&r2, w2);
            assert_memory_equal(&r1, &r2, sizeof r1);
            assert_true(raw_below_p(&r1));
        }
    }
    bls_fp_use_adx = saved;
}

/* The GLV / GLS multiplications split k into base-X digits (X = |x|): scalars at the digit
 * boundaries (X - 1, X, X^2 - 1, X^2, X^3 - 1, X^3, r - 2, r - 1 = X^4 - X^2: the largest digits),
 * at the limb and 2^128 boundaries of the sub-scalars, and random ones: the digits are below X and
 * recombine to k, and the products agree with double-and-add (mul_var, Jacobian for G2, and
 * msm_var, complete formulas) on a random point and on the identity. */
static void test_mul_endomorphism(void **state)
{
    static const char *edges[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "0000000000000000000000000000000000000000000000000000000000000002",
        "000000000000000000000000000000000000000000000000d20100000000ffff", /* X - 1 */
        "000000000000000000000000000000000000000000000000d201000000010000", /* X */
        "000000000000000000000000000000000000000000000000ffffffffffffffff", /* 2^64 - 1 */
        "0000000000000000000000000000000000000000000000010000000000000000", /* 2^64 */
        "00000000000000000000000000000000ac45a4010001a40200000000ffffffff", /* X^2 - 1 */
        "00000000000000000000000000000000ac45a4010001a4020000000100000000", /* X^2 */
        "00000000000000000000000000000000ffffffffffffffffffffffffffffffff", /* 2^128 - 1 */
        "0000000000000000000000000000000100000000000000000000000000000000", /* 2^128 */
        "0000000000000000000000000000000100000000000000000000000000000001", /* 2^128 + 1 */
        "00000000000000008d51ccce760304d0ec030002760300000000ffffffffffff", /* X^3 - 1 */
        "00000000000000008d51ccce760304d0ec030002760300000001000000000000", /* X^3 */
        "0000000000000001000000000000000000000000000000000000000000000000", /* 2^192 */
        "73eda753299d7d47a5e80b39939ed3351400480189fd0000fffeffffffffffff", /* X^4 - X^3 - 1 */
        "0000000000000000d20100000000ffffffffffffffffffffffffffffffffffff", /* 2^128 X - 1 */
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000", /* r - 1 */
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfefffffffeffffffff", /* r - 2: digits X - 1,
                                                                               X - 1, X - 2, X - 1
                                                                             */
    };
    const size_t n_edges = sizeof edges / sizeof edges[0];
    tk_bls_g1 g1, p, q, r, id;
    tk_bls_g2 g2, p2, q2, r2, id2;
    tk_bls_scalar k;
    unsigned char buf[32];
    (void)state;
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g1_identity(&id);
    tk_bls_g2_identity(&id2);
    rand_scalar(&k);
    tk_bls_g1_mul_var(&p, &g1, &k);
    tk_bls_g2_mul_var(&p2, &g2, &k);
    for (size_t i = 0; i < n_edges + 16; i++) {
        if (i < n_edges) {
            test_unhex(buf, 32, edges[i]);
            assert_int_equal(tk_bls_scalar_from_bytes(&k, buf), TK_OK);
        } else {
            rand_scalar(&k);
        }
        /* the digits: each below X, and sum d_i X^i == k */
        uint64_t d[4];
        tk_bls_scalar acc, xs, t;
        bls_scalar_digits_x(d, &k);
        tk_bls_scalar_from_u64(&xs, BLS_X_ABS);
        tk_bls_scalar_from_u64(&acc, d[3]);
        for (int j = 2; j >= 0; j--) {
            assert_true(d[j] < BLS_X_ABS);
            tk_bls_scalar_mul(&acc, &acc, &xs);
            tk_bls_scalar_from_u64(&t, d[j]);
            tk_bls_scalar_add(&acc, &acc, &t);
        }
        assert_true(d[3] < BLS_X_ABS);
        assert_true(tk_bls_scalar_eq(&acc, &k));
        tk_bls_g1_mul(&q, &p, &k);
        tk_bls_g1_mul_var(&r, &p, &k);
        assert_true(tk_bls_g1_eq(&q, &r));
        assert_int_equal(tk_bls_g1_msm_var(&r, &p, &k, 1), TK_OK);
        assert_true(tk_bls_g1_eq(&q, &r));
        tk_bls_g1_mul(&q, &id, &k);
        assert_true(tk_bls_g1_is_identity(&q));
        tk_bls_g2_mul(&q2, &p2, &k);
        tk_bls_g2_mul_var(&r2, &p2, &k);
        assert_true(tk_bls_g2_eq(&q2, &r2));
        assert_int_equal(tk_bls_g2_msm_var(&r2, &p2, &k, 1), TK_OK);
        assert_true(tk_bls_g2_eq(&q2, &r2));
        tk_bls_g2_mul(&q2, &id2, &k);
        assert_true(tk_bls_g2_is_identity(&q2));
    }
}

/* hash_to_g1's two maps with one shared inversion equal the two maps done apart, also where
 * an SSWU denominator is 0 (u = 0 and u = sqrt(-1 / Z), the exceptional case of inv0). */
static void test_map2(void **state)
{
    static const fp z = BLS_SSWU_Z;
    fp e, t, u[4], x, y;
    tk_bls_g1 a, b, want, got;
    (void)state;
    bls_fp_inv(&t, &z);
    fp_neg(&t, &t);
    assert_true(bls_fp_sqrt(&e, &t)); /* Z is a non-square, so -1 / Z is a square */
    fp_sqr(&t, &e);
    fp_mul(&t, &t, &z);
    fp_add(&t, &t, &bls_fp_one);
    assert_true(fp_is_zero(&t)); /* Z e^2 = -1 */
    u[0] = bls_fp_zero;
    u[1] = e;
    rand_fp(&u[2]);
    rand_fp(&u[3]);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            bls_g1_map_sswu(&x, &y, &u[i]);
            bls_g1_iso_map(&a, &x, &y);
            bls_g1_map_sswu(&x, &y, &u[j]);
            bls_g1_iso_map(&b, &x, &y);
            tk_bls_g1_add(&want, &a, &b);
            bls_g1_map2(&got, &u[i], &u[j]);
            assert_true(tk_bls_g1_is_on_curve(&got));
            assert_true(tk_bls_g1_eq(&got, &want));
        }
    }
}

static void test_pairing(void **state)
{
    tk_bls_g1 g1, p, q;
    tk_bls_g2 g2, p2, q2;
    tk_bls_scalar a, b, ab;
    tk_bls_gt e1, e2, e3;
    (void)state;
    tk_bls_g1_generator(&g1);
    tk_bls_g2_generator(&g2);
    tk_bls_pairing(&e1, &g1, &g2);
    assert_false(tk_bls_gt_is_one(&e1));
    for (int i = 0; i < 3; i++) {
        rand_scalar(&a);
        rand_scalar(&b);
        tk_bls_scalar_mul(&ab, &a, &b);
        /* e(aP, bQ) == e(abP, Q) == e(P, abQ) */
        tk_bls_g1_mul(&p, &g1, &a);
        tk_bls_g2_mul(&p2, &g2, &b);
        tk_bls_pairing(&e1, &p, &p2);
        tk_bls_g1_mul(&q, &g1, &ab);
        tk_bls_pairing(&e2, &q, &g2);
        assert_true(tk_bls_gt_eq(&e1, &e2));
        tk_bls_g2_mul(&q2, &g2, &ab);
        tk_bls_pairing(&e3, &g1, &q2);
        assert_true(tk_bls_gt_eq(&e1, &e3));
        /* e(P, Q1 + Q2) == e(P, Q1) e(P, Q2) */
        tk_bls_g2_add(&q2, &p2, &g2);
        tk_bls_pairing(&e1, &p, &q2);
        tk_bls_pairing(&e2, &p, &p2);
        tk_bls_pairing(&e3, &p, &g2);
        tk_bls_gt_mul(&e2, &e2, &e3);
        assert_true(tk_bls_gt_eq(&e1, &e2));
        /* product check: e(aP, bQ) e(-abP, Q) == 1, and != 1 when perturbed */
        tk_bls_g1 ps[2];
        tk_bls_g2 qs[2] = {p2, g2};
        ps[0] = p;
        tk_bls_g1_neg(&ps[1], &q);
        assert_int_equal(tk_bls_pairing_check(ps, qs, 2), 1);
        tk_bls_g1_add(&ps[1], &ps[1], &g1);
        assert_int_equal(tk_bls_pairing_check(ps, qs, 2), 0);
    }
    /* identity pairs contribute 1; empty product is 1 */
    tk_bls_g1_identity(&p);
    tk_bls_pairing(&e1, &p, &g2);
    assert_true(tk_bls_gt_is_one(&e1));
    assert_int_equal(tk_bls_pairing_check(NULL, NULL, 0), 1);
    assert_int_equal(tk_bls_pairing_check(NULL, &g2, 1), TK_ERR_ARG);
    /* more pairs than the stack buffer */
    tk_bls_g1 ps[6];
    tk_bls_g2 qs[6];
    for (int i = 0; i < 3; i++) {
        rand_scalar(&a);
        tk_bls_g1_mul_var(&ps[2 * i], &g1, &a);
        qs[2 * i] = g2;
        tk_bls_g1_neg(&ps[2 * i + 1], &g1);
        tk_bls_g2_mul_var(&qs[2 * i + 1], &g2, &a);
    }
    assert_int_equal(tk_bls_pairing_check(ps, qs, 6), 1);
}

/* The second run covers the portable C field arithmetic where the CPU runs the assembly. */
static int use_portable(void **state)
{
    (void)state;
    bls_fp_use_adx = 0;
    return 0;
}

static int restore_backend(void **state)
{
    (void)state;
    bls_fp_use_adx = bls_fp_have_adx();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp),
        cmocka_unit_test(test_fp_backends),
        cmocka_unit_test(test_mul_endomorphism),
        cmocka_unit_test(test_map2),
        cmocka_unit_test(test_fp2_fp12),
        cmocka_unit_test(test_scalar),
        cmocka_unit_test(test_g1_group),
        cmocka_unit_test(test_g2_group),
        cmocka_unit_test(test_subgroup_checks),
        cmocka_unit_test(test_encoding_g1),
        cmocka_unit_test(test_encoding_g2),
        cmocka_unit_test(test_expand_message_xmd),
        cmocka_unit_test(test_hash_to_g1_rfc),
        cmocka_unit_test(test_hash_to_g2_rfc),
        cmocka_unit_test(test_fp2_sqrt),
        cmocka_unit_test(test_pairing),
    };
    int failed = cmocka_run_group_tests_name("bls12_381", tests, NULL, NULL);
    if (bls_fp_have_adx()) {
        failed += cmocka_run_group_tests_name("bls12_381 (portable C)", tests, use_portable,
                                              restore_backend);
    }
    return failed;
}
