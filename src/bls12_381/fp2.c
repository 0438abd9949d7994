/*
 * Fp2 = Fp[u]/(u^2 + 1), the field of G2 coordinates: Karatsuba multiplication, inversion
 * through the norm, square roots (variable-time, for decoding public points) and the ZCash
 * sign of an Fp2 element. Constant-time except bls_fp2_sqrt_var.
 */
#include "constants.h"
#include "field.h"

const fp2 bls_fp2_zero = {{{0}}, {{0}}};
const fp2 bls_fp2_one = {BLS_FP_ONE, {{0}}};

/* 12-limb r = a - b, returns the borrow (0 or 1). */
static inline uint64_t wide_sub(uint64_t r[12], const uint64_t a[12], const uint64_t b[12])
{
#ifdef BLS_ADX
    unsigned char c = 0;
#pragma GCC unroll 12
    for (int j = 0; j < 12; j++) {
        c = _subborrow_u64(c, a[j], b[j], (bls_ull *)&r[j]);
    }
    return c;
#else
    uint64_t borrow = 0;
    for (int j = 0; j < 12; j++) {
        u128 d = (u128)a[j] - b[j] - borrow;
        r[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
#endif
}

/* r += mask & (p 2^384): adds p to the high half when mask is all-ones. */
static inline void wide_add_p_hi(uint64_t r[12], uint64_t mask)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
#ifdef BLS_ADX
    unsigned char c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _addcarry_u64(c, r[6 + j], pl[j] & mask, (bls_ull *)&r[6 + j]);
    }
#else
    uint64_t c = 0;
    for (int j = 0; j < 6; j++) {
        u128 s = (u128)r[6 + j] + (pl[j] & mask) + c;
        r[6 + j] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
#endif
}

/* Karatsuba with lazy reduction (Aranha, Karabina, Longa, Gebotys, Lopez, "Faster explicit
 * formulas for computing pairings over ordinary curves", EUROCRYPT 2011): the three
 * products stay double-width, c0 = a0 b0 - a1 b1 (plus p 2^384 if negative) and
 * c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1 (= a0 b1 + a1 b0 >= 0) are formed on 768 bits and
 * only two Montgomery reductions are made instead of three. The sums a0 + a1, b0 + b1 are left
 * unreduced (< 2p): their product is below 4 p^2 < p 2^384, the reduction's input bound. */
void bls_fp2_mul(fp2 *r, const fp2 *a, const fp2 *b)
{
    uint64_t aa[12], bb[12], cc[12];
    fp s, t;
    fp_add_nr(&s, &a->c0, &a->c1);
    fp_add_nr(&t, &b->c0, &b->c1);
    if (!bls_fp_use_adx) { /* the portable wide product is slower than three fp_mul */
        fp t0, t1;
        fp_mul(&t0, &a->c0, &b->c0);
        fp_mul(&t1, &a->c1, &b->c1);
        fp_mul(&s, &s, &t);
        fp_sub(&r->c0, &t0, &t1);
        fp_sub(&s, &s, &t0);
        fp_sub(&r->c1, &s, &t1);
        return;
    }
    bls_fp_mul_wide(aa, &a->c0, &b->c0);
    bls_fp_mul_wide(bb, &a->c1, &b->c1);
    bls_fp_mul_wide(cc, &s, &t);
    (void)wide_sub(cc, cc, aa);
    (void)wide_sub(cc, cc, bb);
    uint64_t neg = wide_sub(aa, aa, bb);
    wide_add_p_hi(aa, (uint64_t)0 - neg);
    bls_fp_redc(&r->c0, aa);
    bls_fp_redc(&r->c1, cc);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u with the multiplications' inputs left
 * unreduced (< 2p): a0 + a1, a0 - a1 + p and 2 a0. */
void bls_fp2_sqr(fp2 *r, const fp2 *a)
{
    static const fp p_fp = {BLS_P_LIMBS};
    fp s, d, m;
    fp_add_nr(&s, &a->c0, &a->c1);
    fp_add_nr(&d, &a->c0, &p_fp);
    fp_sub_nr(&d, &d, &a->c1); /* a0 + p - a1 in [1, 2p) */
    fp_add_nr(&m, &a->c0, &a->c0);
    fp_mul(&r->c1, &m, &a->c1);
    fp_mul(&r->c0, &s, &d);
}

void bls_fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b)
{
    fp_mul(&r->c0, &a->c0, b);
    fp_mul(&r->c1, &a->c1, b);
}

void bls_fp2_mul_b3(fp2 *r, const fp2 *a)
{
    /* 12 (1 + u) a = 12 ((a0 - a1) + (a0 + a1) u) */
    fp2 t;
    bls_fp2_mul_xi(&t, a);
    bls_fp2_dbl(&t, &t);    /* 2 */
    bls_fp2_dbl(&t, &t);    /* 4 */
    bls_fp2_add(r, &t, &t); /* 8 */
    bls_fp2_add(r, r, &t);  /* 12 */
}

void bls_fp2_inv(fp2 *r, const fp2 *a)
{
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    bls_fp_inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
}

int bls_fp2_is_zero(const fp2 *a)
{
    return fp_is_zero(&a->c0) & fp_is_zero(&a->c1);
}

int bls_fp2_eq(const fp2 *a, const fp2 *b)
{
    return fp_eq(&a->c0, &b->c0) & fp_eq(&a->c1, &b->c1);
}

void bls_fp2_cmov(fp2 *r, const fp2 *a, uint64_t flag)
{
    fp_cmov(&r->c0, &a->c0, flag);
    fp_cmov(&r->c1, &a->c1, flag);
}

/* sqrt(a0 + a1 u) for p = 3 mod 4 with two exponentiations in Fp and no inversion:
 * l = sqrt(a0^2 + a1^2) (a is a square iff its norm is), d = (a0 + l) / 2 and t = d^((p-3)/4).
 * If d is a square, sqrt(d) = t d and 1 / sqrt(d) = t, so a root is t d + (a1 t / 2) u.
 * Otherwise (a0 - l) / 2 = -a1^2 / (4 d) is the square (-1 is not), (p-3)/4 is even, and the
 * root is -(a1 t / 2) + (d t) u. The candidate is squared and compared before it is returned. */
int bls_fp2_sqrt_var(fp2 *r, const fp2 *a)
{
    static const uint64_t p_plus_1_div_4[6] = BLS_P_PLUS_1_DIV_4;
    fp n, l, t, s;
    if (fp_is_zero(&a->c1)) {
        if (bls_fp_sqrt(&s, &a->c0)) {
            r->c0 = s;
            r->c1 = bls_fp_zero;
            return 1;
        }
        /* a0 is a non-square: sqrt(a0) = sqrt(-a0) * u */
        fp_neg(&t, &a->c0);
        if (!bls_fp_sqrt(&s, &t)) {
            return 0;
        }
        r->c0 = bls_fp_zero;
        r->c1 = s;
        return 1;
    }
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    bls_fp_pow(&l, &n, p_plus_1_div_4);
    fp_sqr(&t, &l);
    if (!fp_eq(&t, &n)) {
        return 0; /* the norm is not a square */
    }
    return bls_fp2_sqrt_norm_root_var(r, a, &l);
}

int bls_fp2_sqrt_norm_root_var(fp2 *r, const fp2 *a, const fp *l)
{
    static const uint64_t p_minus_3_div_4[6] = BLS_P_MINUS_3_DIV_4;
    static const fp half = BLS_FP_HALF;
    fp n, t, d, s;
    fp2 cand, chk;
    fp_add(&d, &a->c0, l);
    fp_mul(&d, &d, &half);
    bls_fp_pow(&t, &d, p_minus_3_div_4);
    fp_mul(&s, &t, &d); /* d^((p+1)/4) */
    fp_sqr(&n, &s);
    if (fp_eq(&n, &d)) {
        cand.c0 = s;
        fp_mul(&cand.c1, &a->c1, &t);
        fp_mul(&cand.c1, &cand.c1, &half);
    } else {
        fp_mul(&cand.c0, &a->c1, &t);
        fp_mul(&cand.c0, &cand.c0, &half);
        fp_neg(&cand.c0, &cand.c0);
        cand.c1 = s;
    }
    bls_fp2_sqr(&chk, &cand);
    if (!bls_fp2_eq(&chk, a)) {
        return 0;
    }
    *r = cand;
    return 1;
}

int bls_fp2_lex_largest(const fp2 *a)
{
    int c1z = fp_is_zero(&a->c1);
    return (c1z & bls_fp_lex_largest(&a->c0)) | ((c1z ^ 1) & bls_fp_lex_largest(&a->c1));
}
