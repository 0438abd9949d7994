/*
 * Fp2 = Fp[u]/(u^2 + 1), the field of G2 coordinates: Karatsuba multiplication, inversion
 * through the norm, square roots (variable-time, for decoding public points) and the ZCash
 * sign of an Fp2 element. Constant-time except bls_fp2_sqrt_var.
 */
#include "constants.h"
#include "field.h"

const fp2 bls_fp2_zero = {{{0}}, {{0}}};
const fp2 bls_fp2_one = {BLS_FP_ONE, {{0}}};

void bls_fp2_mul(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp t0, t1, s0, s1;
    fp_mul(&t0, &a->c0, &b->c0);
    fp_mul(&t1, &a->c1, &b->c1);
    fp_add(&s0, &a->c0, &a->c1);
    fp_add(&s1, &b->c0, &b->c1);
    fp_mul(&s0, &s0, &s1);
    fp_sub(&r->c0, &t0, &t1);
    fp_sub(&s0, &s0, &t0);
    fp_sub(&r->c1, &s0, &t1);
}

void bls_fp2_sqr(fp2 *r, const fp2 *a)
{
    fp s, d, m;
    fp_add(&s, &a->c0, &a->c1);
    fp_sub(&d, &a->c0, &a->c1);
    fp_mul(&m, &a->c0, &a->c1);
    fp_mul(&r->c0, &s, &d);
    fp_dbl(&r->c1, &m);
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
    static const uint64_t p_minus_3_div_4[6] = BLS_P_MINUS_3_DIV_4;
    static const fp half = BLS_FP_HALF;
    fp n, l, t, d, s;
    fp2 cand, chk;
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
    fp_add(&d, &a->c0, &l);
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
