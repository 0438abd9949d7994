/*
 * G1: the order-r subgroup of E(Fp): y^2 = x^3 + 4. Group law and scalar multiplication come
 * from curve_impl.h; this file adds the generator, affine conversion and the subgroup test
 * with the endomorphism phi(x, y) = (beta x, y).
 */
#include "constants.h"
#include "field.h"

static inline void fp_set_one(fp *r)
{
    *r = bls_fp_one;
}
static const fp g1_b = BLS_FP_B;
/* 3b = 12: four additions instead of a multiplication */
static inline void g1_mul_b3(fp *r, const fp *a)
{
    fp t;
    fp_dbl(&t, a);
    fp_add(&t, &t, a);
    fp_dbl(&t, &t);
    fp_dbl(r, &t);
}
static inline void g1_mul_b(fp *r, const fp *a)
{
    fp_mul(r, a, &g1_b);
}

#define PT        tk_bls_g1
#define FE        fp
#define FN(n)     fp_##n
#define GN(n)     tk_bls_g1_##n
#define FE_MUL_B3 g1_mul_b3
#define FE_MUL_B  g1_mul_b
#include "curve_impl.h"

void tk_bls_g1_generator(tk_bls_g1 *out)
{
    static const fp gx = BLS_G1_X, gy = BLS_G1_Y;
    out->x = gx;
    out->y = gy;
    out->z = bls_fp_one;
}

void bls_g1_to_affine(fp *x, fp *y, const tk_bls_g1 *p)
{
    fp zi;
    bls_fp_inv(&zi, &p->z); /* 0 for the identity: gives (0, 0) */
    fp_mul(x, &p->x, &zi);
    fp_mul(y, &p->y, &zi);
}

/* k P by GLV (Gallant, Lambert, Vanstone, CRYPTO 2001) with phi(x, y) = (beta x, y), which acts
 * on G1 as -X^2 (X = |x|, see the subgroup test below): from the base-X digits of k,
 * k = k0 + k1 X^2 with k0 = d0 + d1 X and k1 = d2 + d3 X, both below X^2 < 2^128, so
 * k P = k0 P + k1 (-phi(P)) with half the doublings of a plain window method. The split is
 * exact (no lattice reduction, no rounding) and constant-time, as are the windows. P must be in
 * G1 (every caller's point is: decoded with the subgroup check, hashed, or a multiple of G). */
void tk_bls_g1_mul(tk_bls_g1 *out, const tk_bls_g1 *p, const tk_bls_scalar *k)
{
    static const fp beta = BLS_G1_BETA;
    tk_bls_g1 tab[2][16];
    uint64_t d[4], kk[2][2];
    u128 t;
    bls_scalar_digits_x(d, k);
    t = (u128)d[1] * BLS_X_ABS + d[0]; /* < X^2 */
    kk[0][0] = (uint64_t)t;
    kk[0][1] = (uint64_t)(t >> 64);
    t = (u128)d[3] * BLS_X_ABS + d[2];
    kk[1][0] = (uint64_t)t;
    kk[1][1] = (uint64_t)(t >> 64);
    tk_bls_g1_table16(tab[0], p);
    for (int j = 0; j < 16; j++) { /* -phi(j P) = (beta x, -y, z) */
        fp_mul(&tab[1][j].x, &tab[0][j].x, &beta);
        fp_neg(&tab[1][j].y, &tab[0][j].y);
        tab[1][j].z = tab[0][j].z;
    }
    tk_bls_g1_mul_windows(out, (const tk_bls_g1(*)[16])tab, (const uint64_t(*)[2])kk, 2, 32);
    tk_wipe(tab, sizeof tab);
    tk_wipe(d, sizeof d);
    tk_wipe(kk, sizeof kk);
    tk_wipe(&t, sizeof t);
}

void bls_g1_mul_u64_var(tk_bls_g1 *r, const tk_bls_g1 *p, uint64_t k)
{
    tk_bls_g1_mul_limbs_var(r, p, &k, 1);
}

/* Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly curves"
 * (2021): a curve point P is in G1 iff phi(P) == -x^2 P. Checked as phi(P) + x^2 P == O, two
 * 64-bit multiplications instead of one by r. */
int tk_bls_g1_in_subgroup_var(const tk_bls_g1 *p)
{
    static const fp beta = BLS_G1_BETA;
    tk_bls_g1 phi, t;
    if (!tk_bls_g1_is_on_curve(p)) {
        return 0;
    }
    phi = *p;
    fp_mul(&phi.x, &p->x, &beta);
    bls_g1_mul_u64_var(&t, p, BLS_X_ABS);
    bls_g1_mul_u64_var(&t, &t, BLS_X_ABS);
    tk_bls_g1_add(&t, &t, &phi);
    return tk_bls_g1_is_identity(&t);
}
