/*
 * The base field Fp of BLS12-381: conversions to and from bytes, exponentiation, inversion
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

void bls_fp_pow(fp *r, const fp *a, const uint64_t e[6])
{
    fp acc = bls_fp_one, base = *a;
    for (int i = 5; i >= 0; i--) {
        for (int b = 63; b >= 0; b--) {
            fp_sqr(&acc, &acc);
            if ((e[i] >> b) & 1) { /* public exponent */
                fp_mul(&acc, &acc, &base);
            }
        }
    }
    *r = acc;
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
