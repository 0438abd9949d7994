/*
 * Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 for the portable
 * verifier (p256.c), included by it only. Public data only: nothing here is constant-time.
 *
 * Elements are in Montgomery form (a R mod p, R = 2^261) as 9 unsaturated limbs of 29 bits in
 * 32-bit words, kept below 2^257 but not fully reduced. The representation is chosen for wasm32,
 * which has a 64x64->64 multiply but no 128-bit product (clang calls __multi3 for each one): a
 * 29x29-bit product is one i64.mul, and up to 64 of them add up in 64 bits, so products are
 * summed column-wise with no carry handling and carried once (unsaturated limbs for wasm as in
 * G. Mitscha-Baude's ZPrize 2022 MSM, github.com/mitschabaude/montgomery, and Koh Wei Jie,
 * "Optimizing Montgomery Multiplication in WebAssembly", Bain Capital Crypto, 2024). With
 * -p^-1 = 1 mod 2^29 and p a sum of five signed powers of two, a Montgomery reduction round is a
 * mask and four shifted adds, no multiply. Measured with the same point arithmetic, 4 x 64-bit
 * limbs (128-bit products) cost 3.2x the wasm instructions and were no faster natively (gcc),
 * so there is one representation for every target. Additions and subtractions are fused into
 * one carry pass per linear combination (fe_lin3).
 */
#ifndef TK_PORTABLE_P256_FIELD_H
#define TK_PORTABLE_P256_FIELD_H

#include <stdint.h>

/* 9 limbs of 29 bits, little-endian: limbs below 2^29, value below 2^257 */
typedef struct {
    uint32_t v[9];
} fe;

typedef struct {
    fe x, y;
} ge; /* affine point */

#include "p256_table.h"

static const fe FE_ZERO = {{0}};

/* Straight-line code matters (in wasm, loop control costs instructions, hence gas): the
 * fixed-size loops marked so are unrolled by both gcc and clang. */
#define P256_PRAGMA(x) _Pragma(#x)
#define UNROLL(n)      P256_PRAGMA(GCC unroll n)

/* Big-endian 32 bytes -> 8 little-endian 32-bit words. */
static void words_from_be(uint32_t r[8], const unsigned char *b)
{
    for (int i = 0; i < 8; i++) {
        const unsigned char *q = b + 28 - 4 * i;
        r[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
    }
}

/* 1 if a < b (8 words) */
static int words_lt(const uint32_t a[8], const uint32_t b[8])
{
    for (int i = 7; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] < b[i];
        }
    }
    return 0;
}

static const uint32_t P256_P[8] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0, 0, 0, 1, 0xffffffffu};

static void fe_mul(fe *r, const fe *a, const fe *b);

#define M29 0x1fffffffu

/* Weak reduction of signed limbs t (each |t[i]| < 2^62, the value they stand for non-negative
 * and below 2^262 with limbs 0..7 non-negative): the bits from 256 up are folded in as
 * c * 2^256 = c * (2^224 - 2^192 - 2^96 + 1) mod p, then one carry pass leaves 29-bit limbs
 * and a value below 2^257. */
static inline __attribute__((always_inline)) void fe_carry(fe *r, int64_t t[9])
{
    int64_t c = t[8] >> 24;
    t[8] &= 0xffffff;
    t[0] += c;
    t[3] -= c * (1 << 9);
    t[6] -= c * (1 << 18);
    t[7] += c * (1 << 21);
    UNROLL(17)
    for (int i = 0; i < 8; i++) {
        t[i + 1] += t[i] >> 29;
        r->v[i] = (uint32_t)t[i] & M29;
    }
    r->v[8] = (uint32_t)t[8];
}

/* Montgomery reduction of the 17 column sums t (plus room for the carry out): r = t / 2^261
 * mod p, below 2^257 when t < 2^514. Round i adds q * p * 2^(29 i) with q = t[i] mod 2^29
 * (-p^-1 = 1 mod 2^29), using p = 2^256 - 2^224 + 2^192 + 2^96 - 1: the -q clears limb i's low
 * bits and the other four terms land at limbs i+3, i+6, i+7 and i+8 (bit offsets 9, 18, 21, 24). */
static inline __attribute__((always_inline)) void fe_reduce(fe *r, int64_t t[18])
{
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        int64_t q = t[i] & M29;
        t[i + 1] += t[i] >> 29;
        t[i + 3] += q << 9;
        t[i + 6] += q << 18;
        t[i + 7] -= q << 21;
        t[i + 8] += q << 24;
    }
    UNROLL(17)
    for (int i = 9; i < 17; i++) {
        t[i + 1] += t[i] >> 29;
        r->v[i - 9] = (uint32_t)t[i] & M29;
    }
    r->v[8] = (uint32_t)t[17];
}

/* Column sums t[k] = sum of x[i] y[k - i] fit: each product is below 2^58 and a column has at
 * most nine. Written out so that everything stays in wasm locals. */
static void fe_mul(fe *r, const fe *a, const fe *b)
{
    int64_t t[18];
    uint64_t x[9], y[9];
    UNROLL(9)
    for (int i = 0; i < 9; i++) {
        x[i] = a->v[i];
        y[i] = b->v[i];
    }
    t[0] = (int64_t)(x[0] * y[0]);
    t[1] = (int64_t)(x[0] * y[1] + x[1] * y[0]);
    t[2] = (int64_t)(x[0] * y[2] + x[1] * y[1] + x[2] * y[0]);
    t[3] = (int64_t)(x[0] * y[3] + x[1] * y[2] + x[2] * y[1] + x[3] * y[0]);
    t[4] = (int64_t)(x[0] * y[4] + x[1] * y[3] + x[2] * y[2] + x[3] * y[1] + x[4] * y[0]);
    t[5] = (int64_t)(x[0] * y[5] + x[1] * y[4] + x[2] * y[3] + x[3] * y[2] + x[4] * y[1] +
                     x[5] * y[0]);
    t[6] = (int64_t)(x[0] * y[6] + x[1] * y[5] + x[2] * y[4] + x[3] * y[3] + x[4] * y[2] +
                     x[5] * y[1] + x[6] * y[0]);
    t[7] = (int64_t)(x[0] * y[7] + x[1] * y[6] + x[2] * y[5] + x[3] * y[4] + x[4] * y[3] +
                     x[5] * y[2] + x[6] * y[1] + x[7] * y[0]);
    t[8] = (int64_t)(x[0] * y[8] + x[1] * y[7] + x[2] * y[6] + x[3] * y[5] + x[4] * y[4] +
                     x[5] * y[3] + x[6] * y[2] + x[7] * y[1] + x[8] * y[0]);
    t[9] = (int64_t)(x[1] * y[8] + x[2] * y[7] + x[3] * y[6] + x[4] * y[5] + x[5] * y[4] +
                     x[6] * y[3] + x[7] * y[2] + x[8] * y[1]);
    t[10] = (int64_t)(x[2] * y[8] + x[3] * y[7] + x[4] * y[6] + x[5] * y[5] + x[6] * y[4] +
                      x[7] * y[3] + x[8] * y[2]);
    t[11] = (int64_t)(x[3] * y[8] + x[4] * y[7] + x[5] * y[6] + x[6] * y[5] + x[7] * y[4] +
                      x[8] * y[3]);
    t[12] = (int64_t)(x[4] * y[8] + x[5] * y[7] + x[6] * y[6] + x[7] * y[5] + x[8] * y[4]);
    t[13] = (int64_t)(x[5] * y[8] + x[6] * y[7] + x[7] * y[6] + x[8] * y[5]);
    t[14] = (int64_t)(x[6] * y[8] + x[7] * y[7] + x[8] * y[6]);
    t[15] = (int64_t)(x[7] * y[8] + x[8] * y[7]);
    t[16] = (int64_t)(x[8] * y[8]);
    t[17] = 0;
    fe_reduce(r, t);
}

/* As fe_mul with the products x[i] x[j] (i < j) taken once, from the doubled limbs d. */
static void fe_sqr(fe *r, const fe *a)
{
    int64_t t[18];
    uint64_t x[9], d[9];
    UNROLL(9)
    for (int i = 0; i < 9; i++) {
        x[i] = a->v[i];
        d[i] = x[i] << 1;
    }
    t[0] = (int64_t)(x[0] * x[0]);
    t[1] = (int64_t)(d[0] * x[1]);
    t[2] = (int64_t)(d[0] * x[2] + x[1] * x[1]);
    t[3] = (int64_t)(d[0] * x[3] + d[1] * x[2]);
    t[4] = (int64_t)(d[0] * x[4] + d[1] * x[3] + x[2] * x[2]);
    t[5] = (int64_t)(d[0] * x[5] + d[1] * x[4] + d[2] * x[3]);
    t[6] = (int64_t)(d[0] * x[6] + d[1] * x[5] + d[2] * x[4] + x[3] * x[3]);
    t[7] = (int64_t)(d[0] * x[7] + d[1] * x[6] + d[2] * x[5] + d[3] * x[4]);
    t[8] = (int64_t)(d[0] * x[8] + d[1] * x[7] + d[2] * x[6] + d[3] * x[5] + x[4] * x[4]);
    t[9] = (int64_t)(d[1] * x[8] + d[2] * x[7] + d[3] * x[6] + d[4] * x[5]);
    t[10] = (int64_t)(d[2] * x[8] + d[3] * x[7] + d[4] * x[6] + x[5] * x[5]);
    t[11] = (int64_t)(d[3] * x[8] + d[4] * x[7] + d[5] * x[6]);
    t[12] = (int64_t)(d[4] * x[8] + d[5] * x[7] + x[6] * x[6]);
    t[13] = (int64_t)(d[5] * x[8] + d[6] * x[7]);
    t[14] = (int64_t)(d[6] * x[8] + x[7] * x[7]);
    t[15] = (int64_t)(d[7] * x[8]);
    t[16] = (int64_t)(x[8] * x[8]);
    t[17] = 0;
    fe_reduce(r, t);
}

/* r = ka a + kb b + kc c for small constants (|k| <= 8) in one carry pass: each negative
 * coefficient -k adds k times the bias (4p re-balanced so every limb exceeds any limb of a
 * normalized element), so no limb goes negative before the carry. */
static inline __attribute__((always_inline)) void fe_lin3(fe *r, const fe *a, int ka, const fe *b,
                                                          int kb, const fe *c, int kc)
{
    int64_t t[9];
    int64_t nb = (ka < 0 ? -ka : 0) + (kb < 0 ? -kb : 0) + (kc < 0 ? -kc : 0);
    UNROLL(9)
    for (int i = 0; i < 9; i++) {
        t[i] = ka * (int64_t)a->v[i] + kb * (int64_t)b->v[i] + nb * (int64_t)FE_SUB_BIAS.v[i];
        if (kc != 0) {
            t[i] += kc * (int64_t)c->v[i];
        }
    }
    fe_carry(r, t);
}

static void fe_sub(fe *r, const fe *a, const fe *b)
{
    fe_lin3(r, a, 1, b, -1, a, 0);
}

/* r = a + b limb by limb with no carry: limbs below 2^30 and a value below 2^258, valid only as
 * one operand of fe_mul (whose other operand is normalized): the column sums stay below
 * 9 * 2^59 and the result below 2^257. */
static void fe_add_lazy(fe *r, const fe *a, const fe *b)
{
    UNROLL(9)
    for (int i = 0; i < 9; i++) {
        r->v[i] = a->v[i] + b->v[i];
    }
}

/* 1 if a = 0 mod p: after a carry pass a is below 2^256 + 2^225 < 2p, so it is 0 or p. */
static int fe_is_zero(const fe *a)
{
    int64_t t[9];
    uint32_t z = 0, d = 0;
    fe f;
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        t[i] = a->v[i];
    }
    fe_carry(&f, t);
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        z |= f.v[i];
        d |= f.v[i] ^ FE_P.v[i];
    }
    return z == 0 || d == 0;
}

/* r = the integer in words w (w < 2^256) in Montgomery form */
static void fe_from_words(fe *r, const uint32_t w[8])
{
    fe t;
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        int bit = 29 * i, k = bit >> 5, s = bit & 31;
        uint64_t v = w[k] >> s;
        if (k < 7) {
            v |= (uint64_t)w[k + 1] << (32 - s);
        }
        t.v[i] = (uint32_t)v & M29;
    }
    fe_mul(r, &t, &FE_R2);
}

static void fe_lin(fe *r, const fe *a, int ka, const fe *b, int kb)
{
    fe_lin3(r, a, ka, b, kb, a, 0);
}

/* 1 if a = b mod p */
static int fe_equal(const fe *a, const fe *b)
{
    fe d;
    fe_sub(&d, a, b);
    return fe_is_zero(&d);
}

#endif /* TK_PORTABLE_P256_FIELD_H */
