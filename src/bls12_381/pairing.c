/*
 * The optimal ate pairing on BLS12-381: a Miller loop over |x| = 0xd201000000010000 with the
 * G2 point kept in projective coordinates on the M-type twist (lines multiplied in sparse
 * form), shared across all pairs of a product, then the final exponentiation
 * f^((p^12 - 1) / r) (easy part with Frobenius, hard part through the BLS12 decomposition
 * 3 (p^4 - p^2 + 1) / r = (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3 with cyclotomic squarings).
 * The result is the cube of the "reduced" pairing, which is still a non-degenerate bilinear
 * pairing (3 does not divide r). The loop shapes depend only on the public constant x and all
 * field arithmetic (inversions included) is constant-time, so the pairing is constant-time in
 * its points' coordinates: the CKD client runs it on the secret unmasked value (checked under
 * valgrind by tests/ctime/ctime_bls.c). Only whether an input is the identity is public.
 */
#include <stdlib.h>

#include "constants.h"
#include "field.h"
#include "teekeys/common.h"

typedef struct {
    fp xp, yp;   /* affine G1 point */
    fp2 xq, yq;  /* affine G2 point */
    tk_bls_g2 t; /* running multiple of Q */
} pair_state;

/* f *= line tangent at T evaluated at P; T = 2T. The doubling is the complete formula of
 * curve_impl.h (Renes-Costello-Batina, a = 0) sharing Y^2, 3 b' Z^2 and Y Z with the line. */
static void dbl_step(fp12 *f, pair_state *s)
{
    fp2 x2, y2, z2, yz, b3z2, o0, o1, o4, t, t0, x3, y3, z3;
    tk_bls_g2 *T = &s->t;
    bls_fp2_sqr(&x2, &T->x);
    bls_fp2_sqr(&y2, &T->y);
    bls_fp2_sqr(&z2, &T->z);
    bls_fp2_mul(&yz, &T->y, &T->z);
    bls_fp2_mul_b3(&b3z2, &z2);
    /* line: o0 = Y^2 - 3 b' Z^2, o1 = -3 X^2 xP, o4 = 2 Y Z yP */
    bls_fp2_sub(&o0, &y2, &b3z2);
    bls_fp2_dbl(&t, &x2);
    bls_fp2_add(&t, &t, &x2);
    bls_fp2_neg(&t, &t);
    bls_fp2_mul_fp(&o1, &t, &s->xp);
    bls_fp2_dbl(&t, &yz);
    bls_fp2_mul_fp(&o4, &t, &s->yp);
    bls_fp12_mul_014(f, f, &o0, &o1, &o4);
    /* 2T: Z3 = 8 Y^2 Y Z, X3 = 2 (Y^2 - 9 b' Z^2) X Y, Y3 = 24 b' Z^2 Y^2 + (Y^2 - 9 b' Z^2)(Y^2 +
     * 3 b' Z^2) */
    bls_fp2_dbl(&z3, &y2);
    bls_fp2_dbl(&z3, &z3);
    bls_fp2_dbl(&z3, &z3);        /* 8 Y^2 */
    bls_fp2_mul(&x3, &b3z2, &z3); /* 24 b' Y^2 Z^2 */
    bls_fp2_add(&y3, &y2, &b3z2);
    bls_fp2_mul(&z3, &yz, &z3);
    bls_fp2_dbl(&t, &b3z2);
    bls_fp2_add(&t, &t, &b3z2);
    bls_fp2_sub(&t0, &y2, &t); /* Y^2 - 9 b' Z^2 */
    bls_fp2_mul(&y3, &t0, &y3);
    bls_fp2_add(&y3, &x3, &y3);
    bls_fp2_mul(&t, &T->x, &T->y);
    bls_fp2_mul(&x3, &t0, &t);
    bls_fp2_dbl(&T->x, &x3);
    T->y = y3;
    T->z = z3;
}

/* f *= line through T and Q evaluated at P; T = T + Q. */
static void add_step(fp12 *f, pair_state *s)
{
    fp2 theta, lambda, o0, o1, o4, t;
    tk_bls_g2 q;
    const tk_bls_g2 *T = &s->t;
    bls_fp2_mul(&t, &s->yq, &T->z);
    bls_fp2_sub(&theta, &T->y, &t);
    bls_fp2_mul(&t, &s->xq, &T->z);
    bls_fp2_sub(&lambda, &T->x, &t);
    /* o0 = theta xQ - lambda yQ */
    bls_fp2_mul(&o0, &theta, &s->xq);
    bls_fp2_mul(&t, &lambda, &s->yq);
    bls_fp2_sub(&o0, &o0, &t);
    /* o1 = -theta xP, o4 = lambda yP */
    bls_fp2_neg(&t, &theta);
    bls_fp2_mul_fp(&o1, &t, &s->xp);
    bls_fp2_mul_fp(&o4, &lambda, &s->yp);
    bls_fp12_mul_014(f, f, &o0, &o1, &o4);
    q.x = s->xq;
    q.y = s->yq;
    q.z.c0 = bls_fp_one;
    q.z.c1 = bls_fp_zero;
    tk_bls_g2_add(&s->t, &s->t, &q);
}

static void miller_loop(fp12 *f, pair_state *s, size_t n)
{
    bls_fp12_one(f);
    for (size_t i = 0; i < n; i++) {
        s[i].t.x = s[i].xq;
        s[i].t.y = s[i].yq;
        s[i].t.z.c0 = bls_fp_one;
        s[i].t.z.c1 = bls_fp_zero;
    }
    for (int b = 62; b >= 0; b--) {
        bls_fp12_sqr(f, f);
        for (size_t i = 0; i < n; i++) {
            dbl_step(f, &s[i]);
        }
        if ((BLS_X_ABS >> b) & 1) {
            for (size_t i = 0; i < n; i++) {
                add_step(f, &s[i]);
            }
        }
    }
    bls_fp12_conj(f, f); /* x < 0 */
}

/* r = a^x for a in the cyclotomic subgroup (x negative: conjugate at the end). */
static void exp_by_x(fp12 *r, const fp12 *a)
{
    fp12 acc = *a;
    for (int b = 62; b >= 0; b--) {
        bls_fp12_cyclo_sqr(&acc, &acc);
        if ((BLS_X_ABS >> b) & 1) {
            bls_fp12_mul(&acc, &acc, a);
        }
    }
    bls_fp12_conj(r, &acc);
}

static void final_exp(fp12 *r, const fp12 *f)
{
    fp12 t, u, v, w;
    /* easy part: f^((p^6 - 1)(p^2 + 1)) */
    bls_fp12_inv(&t, f);
    bls_fp12_conj(&u, f);
    bls_fp12_mul(&t, &u, &t);
    bls_fp12_frob(&u, &t);
    bls_fp12_frob(&u, &u);
    bls_fp12_mul(&t, &u, &t);
    /* hard part: t^((x-1)^2 (x+p)(x^2+p^2-1) + 3) */
    exp_by_x(&u, &t);
    bls_fp12_conj(&v, &t);
    bls_fp12_mul(&u, &u, &v); /* t^(x-1) */
    exp_by_x(&v, &u);
    bls_fp12_conj(&u, &u);
    bls_fp12_mul(&u, &v, &u); /* a = t^((x-1)^2) */
    exp_by_x(&v, &u);
    bls_fp12_frob(&w, &u);
    bls_fp12_mul(&u, &v, &w); /* b = a^(x+p) */
    exp_by_x(&v, &u);
    exp_by_x(&v, &v);
    bls_fp12_frob(&w, &u);
    bls_fp12_frob(&w, &w);
    bls_fp12_mul(&v, &v, &w);
    bls_fp12_conj(&w, &u);
    bls_fp12_mul(&v, &v, &w); /* c = b^(x^2+p^2-1) */
    bls_fp12_cyclo_sqr(&w, &t);
    bls_fp12_mul(&w, &w, &t);
    bls_fp12_mul(r, &v, &w); /* c * t^3 */
}

/* Fills states for the pairs without an identity point; returns how many. */
static size_t prepare(pair_state *s, const tk_bls_g1 *p, const tk_bls_g2 *q, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int skip = tk_bls_g1_is_identity(&p[i]) | tk_bls_g2_is_identity(&q[i]);
        tk_declassify(&skip, sizeof skip); /* callers with secret points refuse the identity */
        if (skip) {
            continue;
        }
        bls_g1_to_affine(&s[m].xp, &s[m].yp, &p[i]);
        bls_g2_to_affine(&s[m].xq, &s[m].yq, &q[i]);
        m++;
    }
    return m;
}

void tk_bls_pairing(tk_bls_gt *out, const tk_bls_g1 *p, const tk_bls_g2 *q)
{
    pair_state s;
    fp12 f;
    size_t m = prepare(&s, p, q, 1);
    if (m == 0) {
        bls_fp12_one(out);
        return;
    }
    miller_loop(&f, &s, 1);
    final_exp(out, &f);
}

int tk_bls_pairing_check(const tk_bls_g1 *p, const tk_bls_g2 *q, size_t n)
{
    pair_state stack[4], *s = stack;
    fp12 f, r;
    size_t m;
    if (n > 0 && (p == NULL || q == NULL)) {
        return tk_fail(TK_ERR_ARG, "pairing_check: NULL point array");
    }
    if (n > sizeof stack / sizeof stack[0]) {
        if (n > SIZE_MAX / sizeof *s || (s = malloc(n * sizeof *s)) == NULL) {
            return tk_fail(TK_ERR_NOMEM, "pairing_check: cannot allocate %zu pairs", n);
        }
    }
    m = prepare(s, p, q, n);
    if (m == 0) {
        if (s != stack) {
            free(s);
        }
        return 1;
    }
    miller_loop(&f, s, m);
    if (s != stack) {
        free(s);
    }
    final_exp(&r, &f);
    return bls_fp12_is_one(&r);
}

void tk_bls_gt_mul(tk_bls_gt *out, const tk_bls_gt *a, const tk_bls_gt *b)
{
    bls_fp12_mul(out, a, b);
}

int tk_bls_gt_eq(const tk_bls_gt *a, const tk_bls_gt *b)
{
    return bls_fp12_eq(a, b);
}

int tk_bls_gt_is_one(const tk_bls_gt *a)
{
    return bls_fp12_is_one(a);
}
