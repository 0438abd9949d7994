/*
 * The base field Fp of BLS12-381: the 6-limb Montgomery multiplication (unrolled CIOS; on
 * x86-64 with GCC through add-with-carry intrinsics), conversions to and from bytes,
 * exponentiation (fixed 4-bit windows over public exponents), inversion
 * (Fermat), square roots (p = 3 mod 4) and the two sign conventions (RFC 9380 sgn0, ZCash
 * "lexicographically largest"). Constant-time in the field elements; exponents are public
 * constants. Must never branch on or index by a field element's value.
 */
#include "constants.h"
#include "field.h"

const uint64_t bls_p[6] = BLS_P_LIMBS;
const fp bls_fp_one = BLS_FP_ONE;
const fp bls_fp_zero = {{0, 0, 0, 0, 0, 0}};
static const fp fp_r2 = BLS_FP_R2;
static const fp fp_2_256 = BLS_FP_2_256;
static const uint64_t p_minus_2[6] = BLS_P_MINUS_2;
static const uint64_t p_plus_1_div_4[6] = BLS_P_PLUS_1_DIV_4;
static const uint64_t p_minus_1_div_2[6] = BLS_P_MINUS_1_DIV_2;

/* r = t - p if t >= p, else t (t < 2p), constant-time. */
static inline void fp_reduce_once(fp *r, const uint64_t t[6])
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    uint64_t s[6], borrow = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        u128 d = (u128)t[j] - pl[j] - borrow;
        s[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = (uint64_t)0 - borrow; /* borrow: t < p, keep t */
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        r->v[j] = (t[j] & keep) | (s[j] & ~keep);
    }
}

#if defined(BLS_ADX) && !defined(__clang__)
/* GCC on x86-64: each CIOS row as 12 full products and four add-with-carry chains (GCC
 * compiles u128 accumulations into long setc/movzx sequences; this form is ~25% faster). */
#define MUL_ROW(x, bi)                                                                             \
    do {                                                                                           \
        uint64_t lo[6], hi[6], m;                                                                  \
        unsigned char c;                                                                           \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            u128 pr = (u128)(x)[j] * (bi);                                                         \
            lo[j] = (uint64_t)pr;                                                                  \
            hi[j] = (uint64_t)(pr >> 64);                                                          \
        }                                                                                          \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j], lo[j], &t[j]);                                              \
        }                                                                                          \
        (void)_addcarry_u64(c, t[6], 0, &t[6]);                                                    \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j + 1], hi[j], &t[j + 1]);                                      \
        }                                                                                          \
        m = t[0] * BLS_P_INV_VAL;                                                                  \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            u128 pr = (u128)m * pl[j];                                                             \
            lo[j] = (uint64_t)pr;                                                                  \
            hi[j] = (uint64_t)(pr >> 64);                                                          \
        }                                                                                          \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j], lo[j], &t[j]);                                              \
        }                                                                                          \
        (void)_addcarry_u64(c, t[6], 0, &t[6]);                                                    \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j + 1], hi[j], &t[j + 1]);                                      \
        }                                                                                          \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            t[j] = t[j + 1];                                                                       \
        }                                                                                          \
        t[6] = 0;                                                                                  \
    } while (0)

/* The running value stays below 2p + 2p 2^64 < 2^447: seven limbs, no carry out of t[6]. */
void bls_fp_mul(fp *r, const fp *a, const fp *b)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    bls_ull t[7] = {0};
    const uint64_t x[6] = {a->v[0], a->v[1], a->v[2], a->v[3], a->v[4], a->v[5]};
    const uint64_t y[6] = {b->v[0], b->v[1], b->v[2], b->v[3], b->v[4], b->v[5]};
    MUL_ROW(x, y[0]);
    MUL_ROW(x, y[1]);
    MUL_ROW(x, y[2]);
    MUL_ROW(x, y[3]);
    MUL_ROW(x, y[4]);
    MUL_ROW(x, y[5]);
    fp_reduce_once(r, (const uint64_t *)t);
}

void bls_fp_sqr(fp *r, const fp *a)
{
    bls_fp_mul(r, a, a);
}
#else
/* One CIOS step of the row b_i: t = (t + a b_i + m p) / 2^64. The top limb of p is below
 * 2^61, so the running value stays below 2p and needs no seventh limb ("no-carry" CIOS). */
#define MUL_ROW(bi)                                                                                \
    do {                                                                                           \
        u128 A, C;                                                                                 \
        uint64_t m;                                                                                \
        A = (u128)a0 * (bi) + t0;                                                                  \
        t0 = (uint64_t)A;                                                                          \
        m = t0 * BLS_P_INV_VAL;                                                                    \
        C = (u128)m * BLS_P0 + t0;                                                                 \
        A = (u128)a1 * (bi) + t1 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P1 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t0 = (uint64_t)C;                                                                          \
        A = (u128)a2 * (bi) + t2 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P2 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t1 = (uint64_t)C;                                                                          \
        A = (u128)a3 * (bi) + t3 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P3 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t2 = (uint64_t)C;                                                                          \
        A = (u128)a4 * (bi) + t4 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P4 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t3 = (uint64_t)C;                                                                          \
        A = (u128)a5 * (bi) + t5 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P5 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t4 = (uint64_t)C;                                                                          \
        t5 = (uint64_t)(C >> 64) + (uint64_t)(A >> 64);                                            \
    } while (0)

void bls_fp_mul(fp *r, const fp *a, const fp *b)
{
    const uint64_t a0 = a->v[0], a1 = a->v[1], a2 = a->v[2], a3 = a->v[3], a4 = a->v[4],
                   a5 = a->v[5];
    const uint64_t b0 = b->v[0], b1 = b->v[1], b2 = b->v[2], b3 = b->v[3], b4 = b->v[4],
                   b5 = b->v[5];
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
    MUL_ROW(b0);
    MUL_ROW(b1);
    MUL_ROW(b2);
    MUL_ROW(b3);
    MUL_ROW(b4);
    MUL_ROW(b5);
    const uint64_t t[6] = {t0, t1, t2, t3, t4, t5};
    fp_reduce_once(r, t);
}

/* Squaring: the 12-limb square (off-diagonal products once, doubled), then a separate
 * Montgomery reduction (SOS), 21 + 36 products instead of 72. */
void bls_fp_sqr(fp *r, const fp *a)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    uint64_t w[12] = {0}, c, hi;
    const uint64_t *x = a->v;
    for (int i = 0; i < 5; i++) {
        c = 0;
        for (int j = i + 1; j < 6; j++) {
            u128 acc = (u128)x[i] * x[j] + w[i + j] + c;
            w[i + j] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        w[i + 6] = c;
    }
    hi = 0;
    for (int k = 0; k < 12; k++) { /* double the off-diagonal sum */
        uint64_t v = w[k];
        w[k] = (v << 1) | hi;
        hi = v >> 63;
    }
    c = 0;
    for (int i = 0; i < 6; i++) { /* add the squares x[i]^2 at position 2i */
        u128 sq = (u128)x[i] * x[i];
        u128 acc = (u128)w[2 * i] + (uint64_t)sq + c;
        w[2 * i] = (uint64_t)acc;
        acc = (u128)w[2 * i + 1] + (uint64_t)(sq >> 64) + (uint64_t)(acc >> 64);
        w[2 * i + 1] = (uint64_t)acc;
        c = (uint64_t)(acc >> 64);
    }
    /* Montgomery reduction of w (< p^2 < p 2^384): six rounds of w += m p 2^(64 i) */
    hi = 0;
    for (int i = 0; i < 6; i++) {
        uint64_t m = w[i] * BLS_P_INV_VAL;
        c = 0;
        for (int j = 0; j < 6; j++) {
            u128 acc = (u128)m * pl[j] + w[i + j] + c;
            w[i + j] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        u128 acc = (u128)w[i + 6] + c + hi;
        w[i + 6] = (uint64_t)acc;
        hi = (uint64_t)(acc >> 64);
    }
    fp_reduce_once(r, w + 6); /* hi == 0: the result is below 2p < 2^384 */
}
#endif

void bls_fp_from_u64(fp *r, uint64_t v)
{
    fp t = {{v, 0, 0, 0, 0, 0}};
    fp_mul(r, &t, &fp_r2);
}

/* Loads `len` (<= 48) big-endian bytes as little-endian limbs, zero-extended. */
static void load_be(uint64_t out[6], const unsigned char *in, size_t len)
{
    memset(out, 0, 6 * sizeof(uint64_t));
    for (size_t i = 0; i < len; i++) {
        size_t bit = 8 * (len - 1 - i);
        out[bit / 64] |= (uint64_t)in[i] << (bit % 64);
    }
}

/* Returns 1 if a < m (n limbs), constant-time. */
static uint64_t lt_n(const uint64_t *a, const uint64_t *m, int n)
{
    uint64_t borrow = 0;
    for (int j = 0; j < n; j++) {
        u128 d = (u128)a[j] - m[j] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

int bls_fp_from_bytes(fp *r, const unsigned char in[48])
{
    fp t;
    load_be(t.v, in, 48);
    uint64_t ok = lt_n(t.v, bls_p, 6);
    fp_mul(r, &t, &fp_r2);
    return (int)ok;
}

void bls_fp_from_mont(uint64_t out[6], const fp *a)
{
    fp one = {{1, 0, 0, 0, 0, 0}}, t;
    fp_mul(&t, a, &one);
    memcpy(out, t.v, sizeof t.v);
}

void bls_fp_to_bytes(unsigned char out[48], const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    for (size_t i = 0; i < 48; i++) {
        size_t bit = 8 * (47 - i);
        out[i] = (unsigned char)(v[bit / 64] >> (bit % 64));
    }
}

void bls_fp_from_wide(fp *r, const unsigned char in[64])
{
    fp hi, lo;
    load_be(hi.v, in, 32);
    load_be(lo.v, in + 32, 32);
    fp_mul(&hi, &hi, &fp_2_256); /* hi * 2^256 in Montgomery form */
    fp_mul(&lo, &lo, &fp_r2);
    fp_add(r, &hi, &lo);
}

/* Fixed 4-bit windows over the public exponent: 380 squarings and at most 95 multiplications
 * (the binary method needs one multiplication per set bit, about 190 for these exponents). */
void bls_fp_pow(fp *r, const fp *a, const uint64_t e[6])
{
    fp table[16], acc = bls_fp_one;
    table[0] = bls_fp_one;
    table[1] = *a;
    for (int i = 2; i < 16; i++) {
        fp_mul(&table[i], &table[i - 1], a);
    }
    int started = 0;
    for (int w = 95; w >= 0; w--) {
        unsigned d = (unsigned)(e[w / 16] >> (4 * (w % 16))) & 15; /* public exponent */
        if (started) {
            fp_sqr(&acc, &acc);
            fp_sqr(&acc, &acc);
            fp_sqr(&acc, &acc);
            fp_sqr(&acc, &acc);
        }
        if (d != 0) {
            if (started) {
                fp_mul(&acc, &acc, &table[d]);
            } else {
                acc = table[d];
            }
            started = 1;
        }
    }
    *r = acc;
    tk_wipe(table, sizeof table); /* the base may be secret (inversion of a secret value) */
}

void bls_fp_inv(fp *r, const fp *a)
{
    bls_fp_pow(r, a, p_minus_2);
}

int bls_fp_sqrt(fp *r, const fp *a)
{
    fp s, chk;
    int ok;
    bls_fp_pow(&s, a, p_plus_1_div_4);
    fp_sqr(&chk, &s);
    ok = fp_eq(&chk, a); /* before writing r: r may alias a */
    *r = s;
    return ok;
}

int bls_fp_is_square(const fp *a)
{
    fp l;
    bls_fp_pow(&l, a, p_minus_1_div_2);
    return fp_eq(&l, &bls_fp_one) | fp_is_zero(a);
}

int bls_fp_sgn0(const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    return (int)(v[0] & 1);
}

int bls_fp_lex_largest(const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    /* v > (p-1)/2  <=>  (p-1)/2 < v */
    return (int)lt_n(p_minus_1_div_2, v, 6);
}
