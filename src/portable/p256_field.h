/*
 * Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 for the portable
 * verifier (p256.c), included by it only. Public data only: nothing here is constant-time.
 * Elements are in Montgomery form (a*R mod p) in one of two representations, chosen at compile
 * time for the multiplier the target has:
 *
 *  - P256_LIMB64 (hosts with a 64x64->128 multiply: x86-64, aarch64): 4 x 64-bit limbs, R = 2^256,
 *    always fully reduced below p. Montgomery reduction uses -p^-1 = 1 mod 2^64, so each round's
 *    quotient digit is the low word itself (Gueron and Krasnov, "Fast prime field elliptic-curve
 *    cryptography with 256-bit primes", J. Cryptographic Engineering 5, 2015).
 *  - P256_LIMB29 (wasm32 and other targets without it, where clang would call __multi3 for each
 *    128-bit product): 9 x 29-bit limbs in 32-bit words, R = 2^261, values kept below 2^257 but
 *    not fully reduced. A 29x29-bit product is one i64.mul and nine of them add up without
 *    overflow, so products are summed column-wise with no carry handling and carried once;
 *    unsaturated limbs for wasm as in G. Mitscha-Baude, "Faster Montgomery multiplication in
 *    WebAssembly" (ZPrize 2022 MSM-in-wasm report). With -p^-1 = 1 mod 2^29 and p a sum of five
 *    signed powers of two, a reduction round is a mask and four shifted adds, no multiply.
 *
 * TK_PC_P256_LIMB29 forces the 29-bit representation on any host (tests of the wasm path).
 */
#ifndef TK_PORTABLE_P256_FIELD_H
#define TK_PORTABLE_P256_FIELD_H

#include <stdint.h>

#if defined(TK_PC_P256_LIMB29) || !defined(__SIZEOF_INT128__) || defined(__wasm__)
#define P256_LIMB64 0
#define P256_LIMB29 1
#else
#define P256_LIMB64 1
#define P256_LIMB29 0
#endif

#if P256_LIMB64
typedef struct {
    uint64_t v[4];
} fe;
#else
typedef struct {
    uint32_t v[9];
} fe;
#endif

typedef struct {
    fe x, y;
} ge; /* affine point */

#include "p256_table.h"

static const fe FE_ZERO = {{0}};

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

#if P256_LIMB64

typedef unsigned __int128 u128;

/* p's limbs: p0 = 2^64 - 1, p1 = 2^32 - 1, p2 = 0, p3 = 2^64 - 2^32 + 1 */
#define P0 0xffffffffffffffffu
#define P1 0x00000000ffffffffu
#define P3 0xffffffff00000001u

/* r = t - p if t >= p (t given as 4 limbs and a carry bit), else t */
static void fe_final_sub(fe *r, const uint64_t t[4], uint64_t hi)
{
    uint64_t d[4], borrow;
    u128 x = (u128)t[0] - P0;
    d[0] = (uint64_t)x;
    x = (u128)t[1] - P1 - (uint64_t)(x >> 127);
    d[1] = (uint64_t)x;
    x = (u128)t[2] - (uint64_t)(x >> 127);
    d[2] = (uint64_t)x;
    x = (u128)t[3] - P3 - (uint64_t)(x >> 127);
    d[3] = (uint64_t)x;
    borrow = hi ? 0 : (uint64_t)(x >> 127); /* t >= p iff the carry bit is set or no borrow */
    for (int i = 0; i < 4; i++) {
        r->v[i] = borrow ? t[i] : d[i];
    }
}

/* Montgomery reduction of the 512-bit t[0..7]: r = t / 2^256 mod p, for t < p * 2^256. Each round
 * adds q*p with q = t[i] (since -p^-1 = 1 mod 2^64), which clears limb i. */
static void fe_reduce(fe *r, uint64_t t[8])
{
    uint64_t carry = 0; /* the carry out of limb i + 4 of the previous rounds */
    for (int i = 0; i < 4; i++) {
        uint64_t q = t[i];
        u128 c = (u128)q * P0 + t[i];  /* low word is 0 */
        c = (u128)q * P1 + t[i + 1] + (uint64_t)(c >> 64);
        t[i + 1] = (uint64_t)c;
        c = (u128)t[i + 2] + (uint64_t)(c >> 64);
        t[i + 2] = (uint64_t)c;
        c = (u128)q * P3 + t[i + 3] + (uint64_t)(c >> 64);
        t[i + 3] = (uint64_t)c;
        c = (u128)t[i + 4] + (uint64_t)(c >> 64) + carry;
        t[i + 4] = (uint64_t)c;
        carry = (uint64_t)(c >> 64);
    }
    fe_final_sub(r, t + 4, carry);
}

static void fe_mul(fe *r, const fe *a, const fe *b)
{
    uint64_t t[8] = {0};
    for (int i = 0; i < 4; i++) {
        u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c = (u128)a->v[j] * b->v[i] + t[i + j] + (uint64_t)(c >> 64);
            t[i + j] = (uint64_t)c;
        }
        t[i + 4] = (uint64_t)(c >> 64);
    }
    fe_reduce(r, t);
}

static void fe_sqr(fe *r, const fe *a)
{
    uint64_t t[8], c2;
    u128 c;
    const uint64_t *x = a->v;
    /* off-diagonal products x_i x_j (i < j) once, then doubled, then the squares added */
    c = (u128)x[0] * x[1];
    t[1] = (uint64_t)c;
    c = (u128)x[0] * x[2] + (uint64_t)(c >> 64);
    t[2] = (uint64_t)c;
    c = (u128)x[0] * x[3] + (uint64_t)(c >> 64);
    t[3] = (uint64_t)c;
    t[4] = (uint64_t)(c >> 64);
    c = (u128)x[1] * x[2] + t[3];
    t[3] = (uint64_t)c;
    c = (u128)x[1] * x[3] + t[4] + (uint64_t)(c >> 64);
    t[4] = (uint64_t)c;
    t[5] = (uint64_t)(c >> 64);
    c = (u128)x[2] * x[3] + t[5];
    t[5] = (uint64_t)c;
    t[6] = (uint64_t)(c >> 64);
    t[7] = t[6] >> 63;
    t[6] = t[6] << 1 | t[5] >> 63;
    t[5] = t[5] << 1 | t[4] >> 63;
    t[4] = t[4] << 1 | t[3] >> 63;
    t[3] = t[3] << 1 | t[2] >> 63;
    t[2] = t[2] << 1 | t[1] >> 63;
    t[1] = t[1] << 1;
    c = (u128)x[0] * x[0];
    t[0] = (uint64_t)c;
    c2 = (uint64_t)(c >> 64);
    for (int i = 1; i < 4; i++) {
        u128 s = (u128)x[i] * x[i];
        c = (u128)t[2 * i - 1] + c2;
        t[2 * i - 1] = (uint64_t)c;
        c = (u128)t[2 * i] + (uint64_t)s + (uint64_t)(c >> 64);
        t[2 * i] = (uint64_t)c;
        c2 = (uint64_t)(s >> 64) + (uint64_t)(c >> 64);
    }
    t[7] += c2;
    fe_reduce(r, t);
}

static void fe_add(fe *r, const fe *a, const fe *b)
{
    uint64_t t[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c = (u128)a->v[i] + b->v[i] + (uint64_t)(c >> 64);
        t[i] = (uint64_t)c;
    }
    fe_final_sub(r, t, (uint64_t)(c >> 64));
}

static void fe_sub(fe *r, const fe *a, const fe *b)
{
    u128 c = 0;
    uint64_t t[4], borrow;
    for (int i = 0; i < 4; i++) {
        c = (u128)a->v[i] - b->v[i] - (uint64_t)(c >> 127);
        t[i] = (uint64_t)c;
    }
    borrow = (uint64_t)(c >> 127);
    if (borrow) { /* add p back */
        c = (u128)t[0] + P0;
        t[0] = (uint64_t)c;
        c = (u128)t[1] + P1 + (uint64_t)(c >> 64);
        t[1] = (uint64_t)c;
        c = (u128)t[2] + (uint64_t)(c >> 64);
        t[2] = (uint64_t)c;
        t[3] = t[3] + P3 + (uint64_t)(c >> 64);
    }
    for (int i = 0; i < 4; i++) {
        r->v[i] = t[i];
    }
}

/* r = k * a for small k (2, 3, 4 or 8) */
static void fe_mul_small(fe *r, const fe *a, unsigned k)
{
    fe t = *a;
    if (k == 3) {
        fe_add(&t, a, a);
        fe_add(r, &t, a);
        return;
    }
    for (; k > 1; k >>= 1) {
        fe_add(&t, &t, &t);
    }
    *r = t;
}

/* 1 if a = 0 mod p */
static int fe_is_zero(const fe *a)
{
    return (a->v[0] | a->v[1] | a->v[2] | a->v[3]) == 0;
}

/* r = the integer in words w (w < p) in Montgomery form */
static void fe_from_words(fe *r, const uint32_t w[8])
{
    fe t;
    for (int i = 0; i < 4; i++) {
        t.v[i] = (uint64_t)w[2 * i + 1] << 32 | w[2 * i];
    }
    fe_mul(r, &t, &FE_R2);
}

#else /* P256_LIMB29 */

#define M29 0x1fffffffu
/* Straight-line code matters in wasm (loop control costs instructions, hence gas): the fixed-size
 * loops below are unrolled by both gcc and clang. */
#define P256_PRAGMA(x) _Pragma(#x)
#define UNROLL(n)      P256_PRAGMA(GCC unroll n)

/* Weak reduction of signed limbs t (each |t[i]| < 2^62, the value they stand for non-negative
 * and below 2^262 with limbs 0..7 non-negative): the bits from 256 up are folded in as
 * c * 2^256 = c * (2^224 - 2^192 - 2^96 + 1) mod p, then one carry pass leaves 29-bit limbs
 * and a value below 2^257. */
static void fe_carry(fe *r, int64_t t[9])
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
static void fe_reduce(fe *r, int64_t t[18])
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

/* Column sums fit: each product is below 2^58 and a column has at most nine of them. */
static void fe_mul(fe *r, const fe *a, const fe *b)
{
    int64_t t[18];
    uint64_t x[9], y[9];
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        x[i] = a->v[i];
        y[i] = b->v[i];
    }
    UNROLL(17)
    for (int k = 0; k < 17; k++) {
        uint64_t s = 0;
        int lo = k < 9 ? 0 : k - 8, hi = k < 9 ? k : 8;
        UNROLL(17)
        for (int i = lo; i <= hi; i++) {
            s += x[i] * y[k - i];
        }
        t[k] = (int64_t)s;
    }
    t[17] = 0;
    fe_reduce(r, t);
}

static void fe_sqr(fe *r, const fe *a)
{
    int64_t t[18];
    uint64_t x[9], d[9];
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        x[i] = a->v[i];
        d[i] = x[i] << 1;
    }
    UNROLL(17)
    for (int k = 0; k < 17; k++) {
        uint64_t s = 0;
        int lo = k < 9 ? 0 : k - 8;
        UNROLL(17)
        for (int i = lo; 2 * i < k; i++) {
            s += d[i] * x[k - i];
        }
        if ((k & 1) == 0) {
            s += x[k / 2] * x[k / 2];
        }
        t[k] = (int64_t)s;
    }
    t[17] = 0;
    fe_reduce(r, t);
}

static void fe_add(fe *r, const fe *a, const fe *b)
{
    int64_t t[9];
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        t[i] = (int64_t)a->v[i] + b->v[i];
    }
    fe_carry(r, t);
}

/* a + 4p - b, with 4p's limbs re-balanced so that no limb goes negative */
static void fe_sub(fe *r, const fe *a, const fe *b)
{
    int64_t t[9];
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        t[i] = (int64_t)a->v[i] + FE_SUB_BIAS.v[i] - b->v[i];
    }
    fe_carry(r, t);
}

static void fe_mul_small(fe *r, const fe *a, unsigned k)
{
    int64_t t[9];
    UNROLL(17)
    for (int i = 0; i < 9; i++) {
        t[i] = (int64_t)a->v[i] * k;
    }
    fe_carry(r, t);
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

#endif

/* 1 if a = b mod p */
static int fe_equal(const fe *a, const fe *b)
{
    fe d;
    fe_sub(&d, a, b);
    return fe_is_zero(&d);
}

#endif /* TK_PORTABLE_P256_FIELD_H */
