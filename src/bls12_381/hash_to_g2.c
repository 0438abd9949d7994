/*
 * RFC 9380 hashing to G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_ with a caller-chosen DST (the
 * hash of Eth2-style BLS signatures): expand_message_xmd (SHA-256), hash_to_field (two Fp2
 * elements from 256 bytes), the simplified SWU map onto the 3-isogenous curve
 * E2': y^2 = x^3 + 240 I x + 1012 (1 + I), the 3-isogeny back to E2 (appendix E.3) and cofactor
 * clearing with the psi endomorphism (Budroni-Pintore, appendix G.3), which equals h_eff * P.
 * Messages hashed to curves are public: this file is variable-time (it branches on the square
 * test and uses variable-time square roots).
 */
#include "constants.h"
#include "field.h"

/* RFC 9380 sgn0 for Fp2 = Fp[I]: the parity of c0, or of c1 when c0 == 0. */
static int fp2_sgn0(const fp2 *a)
{
    int s0 = bls_fp_sgn0(&a->c0), z0 = fp_is_zero(&a->c0), s1 = bls_fp_sgn0(&a->c1);
    return s0 | (z0 & s1);
}

/* g(x) = x^3 + A' x + B' on E2' */
static void iso_curve_rhs(fp2 *r, const fp2 *x)
{
    static const fp2 A = BLS_SSWU2_A, B = BLS_SSWU2_B;
    fp2 t;
    bls_fp2_sqr(&t, x);
    bls_fp2_add(&t, &t, &A);
    bls_fp2_mul(&t, &t, x);
    bls_fp2_add(r, &t, &B);
}

/* zu2 = Z u^2 and tv1 = Z^2 u^4 + Z u^2, the denominator of x1 (returns 1 if it is 0). */
static int sswu_denominator(fp2 *zu2, fp2 *tv1, const fp2 *u)
{
    static const fp2 Z = BLS_SSWU2_Z;
    bls_fp2_sqr(zu2, u);
    bls_fp2_mul(zu2, zu2, &Z);
    bls_fp2_sqr(tv1, zu2);
    bls_fp2_add(tv1, tv1, zu2);
    return bls_fp2_is_zero(tv1);
}

/* Simplified SWU (RFC 9380 section 6.6.2) onto E2', given tv1_inv = 1 / tv1 (unused when
 * tv1_zero), so that hash_to_g2 can share one inversion between its two field elements.
 * Square roots through the norm: N(g(x1)) = n is tried first (one exponentiation, l = n^((p+1)/4));
 * when it is not a square, l^2 = -n and g(x2) = (Z u^2)^3 g(x1) (the SSWU identity), so
 * sqrt(N(g(x2))) = N(Z u^2) N(u) sqrt(-N(Z)) l comes without a second exponentiation: every
 * map costs two exponentiations for its square root. Only a candidate root that squares back
 * is used (bls_fp2_sqrt_norm_root_var checks it), with bls_fp2_sqrt_var as the fallback. */
static void map_sswu_inv(fp2 *x, fp2 *y, const fp2 *u, const fp2 *zu2, const fp2 *tv1_inv,
                         int tv1_zero)
{
    static const fp2 minus_b_over_a = BLS_SSWU2_MINUS_B_OVER_A, b_over_za = BLS_SSWU2_B_OVER_ZA;
    static const fp sqrt_minus_nz = BLS_SSWU2_SQRT_MINUS_NORM_Z;
    static const uint64_t p_plus_1_div_4[6] = BLS_P_PLUS_1_DIV_4;
    fp2 gx, t;
    fp n, l, c;
    if (tv1_zero) {
        *x = b_over_za; /* x1 = B / (Z A) */
    } else {
        bls_fp2_add(&t, tv1_inv, &bls_fp2_one);
        bls_fp2_mul(x, &minus_b_over_a, &t); /* x1 = (-B / A)(1 + 1 / tv1) */
    }
    iso_curve_rhs(&gx, x);
    if (fp_is_zero(&gx.c1)) {
        if (!bls_fp2_sqrt_var(y, &gx)) {
            bls_fp2_mul(x, x, zu2); /* x2 = Z u^2 x1: g(x2) is then a square */
            iso_curve_rhs(&gx, x);
            (void)bls_fp2_sqrt_var(y, &gx);
        }
    } else {
        fp_sqr(&n, &gx.c0);
        fp_sqr(&c, &gx.c1);
        fp_add(&n, &n, &c);
        bls_fp_pow(&l, &n, p_plus_1_div_4);
        fp_sqr(&c, &l);
        if (fp_eq(&c, &n)) {
            (void)bls_fp2_sqrt_norm_root_var(y, &gx, &l); /* g(x1) is a square */
        } else {
            bls_fp2_mul(x, x, zu2);
            iso_curve_rhs(&gx, x);
            fp_sqr(&n, &zu2->c0);
            fp_sqr(&c, &zu2->c1);
            fp_add(&n, &n, &c); /* N(Z u^2) */
            fp_mul(&l, &l, &n);
            fp_sqr(&n, &u->c0);
            fp_sqr(&c, &u->c1);
            fp_add(&n, &n, &c); /* N(u) */
            fp_mul(&l, &l, &n);
            fp_mul(&l, &l, &sqrt_minus_nz);
            if (fp_is_zero(&gx.c1) || !bls_fp2_sqrt_norm_root_var(y, &gx, &l)) {
                (void)bls_fp2_sqrt_var(y, &gx);
            }
        }
    }
    if (fp2_sgn0(u) != fp2_sgn0(y)) {
        bls_fp2_neg(y, y);
    }
}

/* Simplified SWU (RFC 9380 section 6.6.2) onto E2'. */
void bls_g2_map_sswu(fp2 *x, fp2 *y, const fp2 *u)
{
    fp2 zu2, tv1;
    int zero = sswu_denominator(&zu2, &tv1, u);
    if (!zero) {
        bls_fp2_inv(&tv1, &tv1);
    }
    map_sswu_inv(x, y, u, &zu2, &tv1, zero);
}

static void horner2(fp2 *r, const fp2 *coef, int n, const fp2 *x)
{
    fp2 acc = coef[n - 1];
    for (int i = n - 2; i >= 0; i--) {
        bls_fp2_mul(&acc, &acc, x);
        bls_fp2_add(&acc, &acc, &coef[i]);
    }
    *r = acc;
}

/* The 3-isogeny E2' -> E2 (RFC 9380 appendix E.3), to projective coordinates; a pole of the
 * map (a zero denominator) gives the identity. */
void bls_g2_iso_map(tk_bls_g2 *r, const fp2 *x, const fp2 *y)
{
    static const fp2 xnum_c[] = BLS_ISO3_XNUM, xden_c[] = BLS_ISO3_XDEN;
    static const fp2 ynum_c[] = BLS_ISO3_YNUM, yden_c[] = BLS_ISO3_YDEN;
    fp2 xn, xd, yn, yd;
    horner2(&xn, xnum_c, BLS_ISO3_XNUM_LEN, x);
    horner2(&xd, xden_c, BLS_ISO3_XDEN_LEN, x);
    horner2(&yn, ynum_c, BLS_ISO3_YNUM_LEN, x);
    horner2(&yd, yden_c, BLS_ISO3_YDEN_LEN, x);
    /* X = xn yd, Y = y yn xd, Z = xd yd */
    bls_fp2_mul(&r->x, &xn, &yd);
    bls_fp2_mul(&r->y, y, &yn);
    bls_fp2_mul(&r->y, &r->y, &xd);
    bls_fp2_mul(&r->z, &xd, &yd);
    if (bls_fp2_is_zero(&r->z)) {
        tk_bls_g2_identity(r);
    }
}

/* h_eff * P = [x^2 - x - 1] P + [x - 1] psi(P) + psi^2(2 P) with x = -X_ABS, in the order of
 * RFC 9380 appendix G.3 (clear_cofactor_bls12381_g2). */
void bls_g2_clear_cofactor(tk_bls_g2 *out, const tk_bls_g2 *p)
{
    tk_bls_g2 t1, t2, t3;
    bls_g2_mul_u64_var(&t1, p, BLS_X_ABS);
    tk_bls_g2_neg(&t1, &t1); /* t1 = x P */
    bls_g2_psi(&t2, p);      /* t2 = psi(P) */
    tk_bls_g2_dbl(&t3, p);
    bls_g2_psi2(&t3, &t3);        /* t3 = psi2(2 P) */
    tk_bls_g2_sub(&t3, &t3, &t2); /* t3 = t3 - t2 */
    tk_bls_g2_add(&t2, &t1, &t2); /* t2 = t1 + t2 */
    bls_g2_mul_u64_var(&t2, &t2, BLS_X_ABS);
    tk_bls_g2_neg(&t2, &t2);      /* t2 = x t2 */
    tk_bls_g2_add(&t3, &t3, &t2); /* t3 = t3 + t2 */
    tk_bls_g2_sub(&t3, &t3, &t1); /* t3 = t3 - t1 */
    tk_bls_g2_sub(out, &t3, p);   /* Q = t3 - P */
}

int tk_bls_hash_to_g2(tk_bls_g2 *out, const void *msg, size_t msg_len, const void *dst,
                      size_t dst_len)
{
    unsigned char uniform[256];
    fp2 u0, u1, x, y, zu2[2], tv1[2];
    tk_bls_g2 q0, q1;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "hash_to_g2: NULL output");
    }
    rc = tk_bls_expand_message_xmd(uniform, sizeof uniform, msg, msg_len, dst, dst_len);
    if (rc != TK_OK) {
        return rc;
    }
    /* hash_to_field with m = 2, L = 64: u_i = (e_{2i}, e_{2i+1}) */
    bls_fp_from_wide(&u0.c0, uniform);
    bls_fp_from_wide(&u0.c1, uniform + 64);
    bls_fp_from_wide(&u1.c0, uniform + 128);
    bls_fp_from_wide(&u1.c1, uniform + 192);
    /* both SSWU denominators inverted at once (Montgomery's trick) */
    int z0 = sswu_denominator(&zu2[0], &tv1[0], &u0);
    int z1 = sswu_denominator(&zu2[1], &tv1[1], &u1);
    if (!z0 && !z1) {
        fp2 inv;
        bls_fp2_mul(&inv, &tv1[0], &tv1[1]);
        bls_fp2_inv(&inv, &inv);
        bls_fp2_mul(&x, &inv, &tv1[1]);
        bls_fp2_mul(&tv1[1], &inv, &tv1[0]);
        tv1[0] = x;
    } else {
        if (!z0) {
            bls_fp2_inv(&tv1[0], &tv1[0]);
        }
        if (!z1) {
            bls_fp2_inv(&tv1[1], &tv1[1]);
        }
    }
    map_sswu_inv(&x, &y, &u0, &zu2[0], &tv1[0], z0);
    bls_g2_iso_map(&q0, &x, &y);
    map_sswu_inv(&x, &y, &u1, &zu2[1], &tv1[1], z1);
    bls_g2_iso_map(&q1, &x, &y);
    tk_bls_g2_add(&q0, &q0, &q1);
    bls_g2_clear_cofactor(out, &q0);
    return TK_OK;
}
