/*
 * The pairing's extension tower above Fp2: Fp6 = Fp2[v]/(v^3 - xi) with xi = 1 + u, and
 * Fp12 = Fp6[w]/(w^2 - v). Karatsuba multiplication, inversion, Frobenius, the sparse
 * product by a Miller-loop line and cyclotomic squaring. Constant-time (no branches on values).
 */
#include "constants.h"
#include "field.h"

static const fp2 frob_w[6] = {{{{0}}, {{0}}}, BLS_FROB_W1, BLS_FROB_W2,
                              BLS_FROB_W3,    BLS_FROB_W4, BLS_FROB_W5};

void bls_fp6_add(fp6 *r, const fp6 *a, const fp6 *b)
{
    bls_fp2_add(&r->c0, &a->c0, &b->c0);
    bls_fp2_add(&r->c1, &a->c1, &b->c1);
    bls_fp2_add(&r->c2, &a->c2, &b->c2);
}

void bls_fp6_sub(fp6 *r, const fp6 *a, const fp6 *b)
{
    bls_fp2_sub(&r->c0, &a->c0, &b->c0);
    bls_fp2_sub(&r->c1, &a->c1, &b->c1);
    bls_fp2_sub(&r->c2, &a->c2, &b->c2);
}

void bls_fp6_neg(fp6 *r, const fp6 *a)
{
    bls_fp2_neg(&r->c0, &a->c0);
    bls_fp2_neg(&r->c1, &a->c1);
    bls_fp2_neg(&r->c2, &a->c2);
}

void bls_fp6_mul(fp6 *r, const fp6 *a, const fp6 *b)
{
    fp2 v0, v1, v2, s, t, c0, c1, c2;
    bls_fp2_mul(&v0, &a->c0, &b->c0);
    bls_fp2_mul(&v1, &a->c1, &b->c1);
    bls_fp2_mul(&v2, &a->c2, &b->c2);
    /* c0 = v0 + xi ((a1 + a2)(b1 + b2) - v1 - v2) */
    bls_fp2_add(&s, &a->c1, &a->c2);
    bls_fp2_add(&t, &b->c1, &b->c2);
    bls_fp2_mul(&s, &s, &t);
    bls_fp2_sub(&s, &s, &v1);
    bls_fp2_sub(&s, &s, &v2);
    bls_fp2_mul_xi(&s, &s);
    bls_fp2_add(&c0, &s, &v0);
    /* c1 = (a0 + a1)(b0 + b1) - v0 - v1 + xi v2 */
    bls_fp2_add(&s, &a->c0, &a->c1);
    bls_fp2_add(&t, &b->c0, &b->c1);
    bls_fp2_mul(&s, &s, &t);
    bls_fp2_sub(&s, &s, &v0);
    bls_fp2_sub(&s, &s, &v1);
    bls_fp2_mul_xi(&t, &v2);
    bls_fp2_add(&c1, &s, &t);
    /* c2 = (a0 + a2)(b0 + b2) - v0 - v2 + v1 */
    bls_fp2_add(&s, &a->c0, &a->c2);
    bls_fp2_add(&t, &b->c0, &b->c2);
    bls_fp2_mul(&s, &s, &t);
    bls_fp2_sub(&s, &s, &v0);
    bls_fp2_sub(&s, &s, &v2);
    bls_fp2_add(&c2, &s, &v1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void bls_fp6_sqr(fp6 *r, const fp6 *a)
{
    /* CH-SQR2: s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2, s3 = 2 a1 a2, s4 = a2^2 */
    fp2 s0, s1, s2, s3, s4, t;
    bls_fp2_sqr(&s0, &a->c0);
    bls_fp2_mul(&s1, &a->c0, &a->c1);
    bls_fp2_dbl(&s1, &s1);
    bls_fp2_sub(&t, &a->c0, &a->c1);
    bls_fp2_add(&t, &t, &a->c2);
    bls_fp2_sqr(&s2, &t);
    bls_fp2_mul(&s3, &a->c1, &a->c2);
    bls_fp2_dbl(&s3, &s3);
    bls_fp2_sqr(&s4, &a->c2);
    /* c0 = s0 + xi s3; c1 = s1 + xi s4; c2 = s1 + s2 + s3 - s0 - s4 */
    bls_fp2_mul_xi(&t, &s3);
    bls_fp2_add(&r->c0, &s0, &t);
    bls_fp2_add(&r->c2, &s1, &s2);
    bls_fp2_add(&r->c2, &r->c2, &s3);
    bls_fp2_sub(&r->c2, &r->c2, &s0);
    bls_fp2_sub(&r->c2, &r->c2, &s4);
    bls_fp2_mul_xi(&t, &s4);
    bls_fp2_add(&r->c1, &s1, &t);
}

void bls_fp6_mul_v(fp6 *r, const fp6 *a)
{
    fp2 t;
    bls_fp2_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

void bls_fp6_inv(fp6 *r, const fp6 *a)
{
    fp2 t0, t1, t2, s, d;
    /* t0 = a0^2 - xi a1 a2, t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2 */
    bls_fp2_sqr(&t0, &a->c0);
    bls_fp2_mul(&s, &a->c1, &a->c2);
    bls_fp2_mul_xi(&s, &s);
    bls_fp2_sub(&t0, &t0, &s);
    bls_fp2_sqr(&t1, &a->c2);
    bls_fp2_mul_xi(&t1, &t1);
    bls_fp2_mul(&s, &a->c0, &a->c1);
    bls_fp2_sub(&t1, &t1, &s);
    bls_fp2_sqr(&t2, &a->c1);
    bls_fp2_mul(&s, &a->c0, &a->c2);
    bls_fp2_sub(&t2, &t2, &s);
    /* d = a0 t0 + xi (a2 t1 + a1 t2) */
    bls_fp2_mul(&d, &a->c2, &t1);
    bls_fp2_mul(&s, &a->c1, &t2);
    bls_fp2_add(&d, &d, &s);
    bls_fp2_mul_xi(&d, &d);
    bls_fp2_mul(&s, &a->c0, &t0);
    bls_fp2_add(&d, &d, &s);
    bls_fp2_inv(&d, &d);
    bls_fp2_mul(&r->c0, &t0, &d);
    bls_fp2_mul(&r->c1, &t1, &d);
    bls_fp2_mul(&r->c2, &t2, &d);
}

void bls_fp12_one(fp12 *r)
{
    memset(r, 0, sizeof *r);
    r->c0.c0.c0 = bls_fp_one;
}

void bls_fp12_mul(fp12 *r, const fp12 *a, const fp12 *b)
{
    fp6 t0, t1, s, t;
    bls_fp6_mul(&t0, &a->c0, &b->c0);
    bls_fp6_mul(&t1, &a->c1, &b->c1);
    bls_fp6_add(&s, &a->c0, &a->c1);
    bls_fp6_add(&t, &b->c0, &b->c1);
    bls_fp6_mul(&s, &s, &t);
    bls_fp6_sub(&s, &s, &t0);
    bls_fp6_sub(&r->c1, &s, &t1);
    bls_fp6_mul_v(&t1, &t1);
    bls_fp6_add(&r->c0, &t0, &t1);
}

void bls_fp12_sqr(fp12 *r, const fp12 *a)
{
    /* c1 = 2 a0 a1; c0 = (a0 + a1)(a0 + v a1) - t - v t with t = a0 a1 */
    fp6 t, s, u;
    bls_fp6_mul(&t, &a->c0, &a->c1);
    bls_fp6_add(&s, &a->c0, &a->c1);
    bls_fp6_mul_v(&u, &a->c1);
    bls_fp6_add(&u, &u, &a->c0);
    bls_fp6_mul(&s, &s, &u);
    bls_fp6_sub(&s, &s, &t);
    bls_fp6_mul_v(&u, &t);
    bls_fp6_sub(&r->c0, &s, &u);
    bls_fp6_add(&r->c1, &t, &t);
}

void bls_fp12_conj(fp12 *r, const fp12 *a)
{
    r->c0 = a->c0;
    bls_fp6_neg(&r->c1, &a->c1);
}

void bls_fp12_inv(fp12 *r, const fp12 *a)
{
    fp6 t0, t1;
    bls_fp6_sqr(&t0, &a->c0);
    bls_fp6_sqr(&t1, &a->c1);
    bls_fp6_mul_v(&t1, &t1);
    bls_fp6_sub(&t0, &t0, &t1);
    bls_fp6_inv(&t0, &t0);
    bls_fp6_mul(&r->c0, &a->c0, &t0);
    bls_fp6_mul(&t1, &a->c1, &t0);
    bls_fp6_neg(&r->c1, &t1);
}

/* Coefficient of w^k: c0.c0 = 1, c1.c0 = w, c0.c1 = w^2, c1.c1 = w^3, c0.c2 = w^4, c1.c2 = w^5.
 * (sum c_k w^k)^p = sum conj(c_k) xi^(k(p-1)/6) w^k. */
void bls_fp12_frob(fp12 *r, const fp12 *a)
{
    bls_fp2_conj(&r->c0.c0, &a->c0.c0);
    bls_fp2_conj(&r->c1.c0, &a->c1.c0);
    bls_fp2_conj(&r->c0.c1, &a->c0.c1);
    bls_fp2_conj(&r->c1.c1, &a->c1.c1);
    bls_fp2_conj(&r->c0.c2, &a->c0.c2);
    bls_fp2_conj(&r->c1.c2, &a->c1.c2);
    bls_fp2_mul(&r->c1.c0, &r->c1.c0, &frob_w[1]);
    bls_fp2_mul(&r->c0.c1, &r->c0.c1, &frob_w[2]);
    bls_fp2_mul(&r->c1.c1, &r->c1.c1, &frob_w[3]);
    bls_fp2_mul(&r->c0.c2, &r->c0.c2, &frob_w[4]);
    bls_fp2_mul(&r->c1.c2, &r->c1.c2, &frob_w[5]);
}

/* a * (b0 + b1 v) in Fp6 */
static void fp6_mul_01(fp6 *r, const fp6 *a, const fp2 *b0, const fp2 *b1)
{
    fp2 c0, c1, c2, t;
    bls_fp2_mul(&c0, &a->c2, b1);
    bls_fp2_mul_xi(&c0, &c0);
    bls_fp2_mul(&t, &a->c0, b0);
    bls_fp2_add(&c0, &c0, &t);
    bls_fp2_mul(&c1, &a->c0, b1);
    bls_fp2_mul(&t, &a->c1, b0);
    bls_fp2_add(&c1, &c1, &t);
    bls_fp2_mul(&c2, &a->c1, b1);
    bls_fp2_mul(&t, &a->c2, b0);
    bls_fp2_add(&c2, &c2, &t);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* a * (b1 v) in Fp6 */
static void fp6_mul_1(fp6 *r, const fp6 *a, const fp2 *b1)
{
    fp2 c0, c1, c2;
    bls_fp2_mul(&c0, &a->c2, b1);
    bls_fp2_mul_xi(&c0, &c0);
    bls_fp2_mul(&c1, &a->c0, b1);
    bls_fp2_mul(&c2, &a->c1, b1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void bls_fp12_mul_014(fp12 *r, const fp12 *a, const fp2 *o0, const fp2 *o1, const fp2 *o4)
{
    fp6 t0, t1, s;
    fp2 o14;
    fp6_mul_01(&t0, &a->c0, o0, o1);
    fp6_mul_1(&t1, &a->c1, o4);
    bls_fp2_add(&o14, o1, o4);
    bls_fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_01(&s, &s, o0, &o14);
    bls_fp6_sub(&s, &s, &t0);
    bls_fp6_sub(&r->c1, &s, &t1);
    bls_fp6_mul_v(&t1, &t1);
    bls_fp6_add(&r->c0, &t0, &t1);
}

/* Squaring in Fp4 = Fp2[t]/(t^2 - xi): (a + b t)^2 = (a^2 + xi b^2) + ((a + b)^2 - a^2 - b^2) t */
static void fp4_sqr(fp2 *r0, fp2 *r1, const fp2 *a, const fp2 *b)
{
    fp2 a2, b2, s;
    bls_fp2_sqr(&a2, a);
    bls_fp2_sqr(&b2, b);
    bls_fp2_add(&s, a, b);
    bls_fp2_sqr(&s, &s);
    bls_fp2_sub(&s, &s, &a2);
    bls_fp2_sub(r1, &s, &b2);
    bls_fp2_mul_xi(&b2, &b2);
    bls_fp2_add(r0, &a2, &b2);
}

/* Granger-Scott squaring for elements of the cyclotomic subgroup (after the easy part of the
 * final exponentiation). With w^2 = v, w^6 = xi, the pairs (g0, g4) = (w^0, w^3),
 * (g1, g5) = (w^2, w^5) and (g2, g3) = (w^4, w^1) each form an Fp4 with t = w^3. */
void bls_fp12_cyclo_sqr(fp12 *r, const fp12 *a)
{
    const fp2 *z0 = &a->c0.c0, *z4 = &a->c0.c1, *z3 = &a->c0.c2;
    const fp2 *z2 = &a->c1.c0, *z1 = &a->c1.c1, *z5 = &a->c1.c2;
    fp2 t0, t1, t2, t3, t4, t5, s;
    fp12 out;
    fp4_sqr(&t0, &t1, z0, z1);
    fp4_sqr(&t2, &t3, z2, z3);
    fp4_sqr(&t4, &t5, z4, z5);
    /* z0 = 3 t0 - 2 z0 */
    bls_fp2_sub(&s, &t0, z0);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c0.c0, &s, &t0);
    /* z1 = 3 t1 + 2 z1 */
    bls_fp2_add(&s, &t1, z1);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c1.c1, &s, &t1);
    /* z2 = 3 xi t5 + 2 z2 */
    bls_fp2_mul_xi(&t5, &t5);
    bls_fp2_add(&s, &t5, z2);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c1.c0, &s, &t5);
    /* z3 = 3 t4 - 2 z3 */
    bls_fp2_sub(&s, &t4, z3);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c0.c2, &s, &t4);
    /* z4 = 3 t2 - 2 z4 */
    bls_fp2_sub(&s, &t2, z4);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c0.c1, &s, &t2);
    /* z5 = 3 t3 + 2 z5 */
    bls_fp2_add(&s, &t3, z5);
    bls_fp2_dbl(&s, &s);
    bls_fp2_add(&out.c1.c2, &s, &t3);
    *r = out;
}

int bls_fp12_eq(const fp12 *a, const fp12 *b)
{
    const fp2 *x = &a->c0.c0, *y = &b->c0.c0;
    int eq = 1;
    for (int i = 0; i < 6; i++) {
        eq &= bls_fp2_eq(&x[i], &y[i]);
    }
    return eq;
}

int bls_fp12_is_one(const fp12 *a)
{
    fp12 one;
    bls_fp12_one(&one);
    return bls_fp12_eq(a, &one);
}
