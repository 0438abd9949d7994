/*
 * The scalar field Fr (r = the order of G1, G2 and GT): scalars are stored canonical
 * (little-endian limbs, < r) and multiplied in Montgomery form internally. Everything here is
 * constant-time: these values are secret keys, shares and nonces. Never branch on them.
 */
#include <stdlib.h>

#include "constants.h"
#include "field.h"
#include "teekeys/common.h"

static const uint64_t r_mod[4] = BLS_R_LIMBS;
static const uint64_t r_r2[4] = BLS_FR_R2;
static const uint64_t r_minus_2[4] = BLS_R_MINUS_2;
#define R_INV BLS_R_INV

static void fr_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    mont_mul_n(r, a, b, r_mod, R_INV, 4);
}

int tk_bls_scalar_from_bytes(tk_bls_scalar *out, const unsigned char in[TK_BLS_SCALAR_LEN])
{
    uint64_t v[4] = {0}, borrow = 0;
    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "bls scalar: NULL argument");
    }
    for (size_t i = 0; i < 32; i++) {
        size_t bit = 8 * (31 - i);
        v[bit / 64] |= (uint64_t)in[i] << (bit % 64);
    }
    for (int j = 0; j < 4; j++) {
        u128 d = (u128)v[j] - r_mod[j] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    memcpy(out->v, v, sizeof v);
    tk_wipe(v, sizeof v);
    tk_declassify(&borrow, sizeof borrow); /* whether the input is in range is reported */
    if (!borrow) {                         /* reveals only whether the input is in range */
        memset(out, 0, sizeof *out);
        return tk_fail(TK_ERR_RANGE, "bls scalar: value is not below the group order r");
    }
    return TK_OK;
}

int tk_bls_scalar_from_wide(tk_bls_scalar *out, const unsigned char *in, size_t in_len)
{
    uint64_t acc[4] = {0}, byte[4] = {0}, shift[4] = {0};
    if (out == NULL || (in == NULL && in_len > 0) || in_len > 64) {
        return tk_fail(TK_ERR_ARG, "bls scalar: bad wide input");
    }
    /* Horner in base 256 with Montgomery arithmetic: acc = acc * 256 + byte.
     * Montgomery form of 256 is 256 * R mod r = mont(256, R^2). */
    uint64_t c256[4] = {256, 0, 0, 0};
    fr_mont_mul(shift, c256, r_r2);
    for (size_t i = 0; i < in_len; i++) {
        fr_mont_mul(acc, acc, shift);
        byte[0] = in[i]; /* the previous iteration left Montgomery limbs in byte[1..3] */
        byte[1] = byte[2] = byte[3] = 0;
        fr_mont_mul(byte, byte, r_r2);
        mod_add_n(acc, acc, byte, r_mod, 4);
    }
    /* leave Montgomery form */
    uint64_t one[4] = {1, 0, 0, 0};
    fr_mont_mul(out->v, acc, one);
    tk_wipe(acc, sizeof acc);
    tk_wipe(byte, sizeof byte);
    return TK_OK;
}

void tk_bls_scalar_to_bytes(unsigned char out[TK_BLS_SCALAR_LEN], const tk_bls_scalar *a)
{
    for (size_t i = 0; i < 32; i++) {
        size_t bit = 8 * (31 - i);
        out[i] = (unsigned char)(a->v[bit / 64] >> (bit % 64));
    }
}

void tk_bls_scalar_from_u64(tk_bls_scalar *out, uint64_t v)
{
    memset(out, 0, sizeof *out);
    out->v[0] = v;
}

void tk_bls_scalar_random(tk_bls_scalar *out)
{
    unsigned char buf[64];
    do {
        tk_random(buf, sizeof buf);
        if (tk_bls_scalar_from_wide(out, buf, sizeof buf) != TK_OK) {
            abort(); /* 64 bytes is always a valid wide input */
        }
    } while (tk_bls_scalar_is_zero(out)); /* probability 2^-255 */
    tk_wipe(buf, sizeof buf);
}

void tk_bls_scalar_add(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b)
{
    mod_add_n(out->v, a->v, b->v, r_mod, 4);
}

void tk_bls_scalar_sub(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b)
{
    mod_sub_n(out->v, a->v, b->v, r_mod, 4);
}

void tk_bls_scalar_neg(tk_bls_scalar *out, const tk_bls_scalar *a)
{
    static const uint64_t zero[4] = {0};
    mod_sub_n(out->v, zero, a->v, r_mod, 4);
}

void tk_bls_scalar_mul(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b)
{
    uint64_t t[4];
    fr_mont_mul(t, a->v, b->v);   /* a b / R */
    fr_mont_mul(out->v, t, r_r2); /* a b */
    tk_wipe(t, sizeof t);
}

int tk_bls_scalar_inv(tk_bls_scalar *out, const tk_bls_scalar *a)
{
    uint64_t base[4], acc[4], one[4] = {1, 0, 0, 0};
    int zero = tk_bls_scalar_is_zero(a);
    fr_mont_mul(base, a->v, r_r2); /* to Montgomery */
    fr_mont_mul(acc, one, r_r2);   /* R mod r */
    for (int i = 3; i >= 0; i--) {
        for (int b = 63; b >= 0; b--) {
            fr_mont_mul(acc, acc, acc);
            if ((r_minus_2[i] >> b) & 1) { /* public exponent */
                fr_mont_mul(acc, acc, base);
            }
        }
    }
    fr_mont_mul(out->v, acc, one);
    tk_wipe(base, sizeof base);
    tk_wipe(acc, sizeof acc);
    if (zero) {
        return tk_fail(TK_ERR_RANGE, "bls scalar: zero has no inverse");
    }
    return TK_OK;
}

int tk_bls_scalar_is_zero(const tk_bls_scalar *a)
{
    uint64_t acc = a->v[0] | a->v[1] | a->v[2] | a->v[3];
    return (int)(1 & ~ct_nonzero_mask(acc));
}

int tk_bls_scalar_eq(const tk_bls_scalar *a, const tk_bls_scalar *b)
{
    uint64_t acc = 0;
    for (int i = 0; i < 4; i++) {
        acc |= a->v[i] ^ b->v[i];
    }
    return (int)(1 & ~ct_nonzero_mask(acc));
}

/* q = a / X and returns a mod X for X = |x| (>= 2^63): restoring binary long division over all
 * 256 bits, the subtraction kept or not by a mask (no division instruction, whose latency can
 * depend on its operands). */
static uint64_t div_by_x(uint64_t q[4], const uint64_t a[4])
{
    u128 rem = 0;
    uint64_t out[4] = {0};
    for (int i = 255; i >= 0; i--) {
        rem = (rem << 1) | ((a[i / 64] >> (i % 64)) & 1); /* < 2X < 2^65 */
        u128 d = rem - BLS_X_ABS;
        uint64_t ge = (uint64_t)(d >> 127) ^ 1; /* rem >= X */
        rem -= (u128)BLS_X_ABS & ((u128)0 - ge);
        out[i / 64] |= ge << (i % 64);
    }
    memcpy(q, out, sizeof out);
    tk_wipe(out, sizeof out);
    return (uint64_t)rem;
}

void bls_scalar_digits_x(uint64_t d[4], const tk_bls_scalar *k)
{
    uint64_t q[4];
    d[0] = div_by_x(q, k->v);
    d[1] = div_by_x(q, q);
    d[2] = div_by_x(q, q);
    d[3] = q[0]; /* k < r < X^4, so q < X */
    tk_wipe(q, sizeof q);
}
