/*
 * G2: the order-r subgroup of the sextic twist E'(Fp2): y^2 = x^3 + 4(1 + u). Group law and
 * scalar multiplication come from curve_impl.h; this file adds the generator, affine
 * conversion, the untwist-Frobenius-twist endomorphism psi and the subgroup test.
 */
#include "constants.h"
#include "field.h"

static inline void bls_fp2_set_one(fp2 *r)
{
    r->c0 = bls_fp_one;
    r->c1 = bls_fp_zero;
}
static inline void g2_mul_b(fp2 *r, const fp2 *a)
{
    fp2 t;
    bls_fp2_mul_xi(&t, a);
    bls_fp2_dbl(&t, &t);
    bls_fp2_dbl(r, &t);
}

#define PT        tk_bls_g2
#define FE        fp2
#define FN(n)     bls_fp2_##n
#define GN(n)     tk_bls_g2_##n
#define FE_MUL_B3 bls_fp2_mul_b3
#define FE_MUL_B  g2_mul_b
#include "curve_impl.h"

void tk_bls_g2_generator(tk_bls_g2 *out)
{
    static const fp2 gx = BLS_G2_X, gy = BLS_G2_Y;
    out->x = gx;
    out->y = gy;
    bls_fp2_set_one(&out->z);
}

void bls_g2_to_affine(fp2 *x, fp2 *y, const tk_bls_g2 *p)
{
    fp2 zi;
    bls_fp2_inv(&zi, &p->z);
    bls_fp2_mul(x, &p->x, &zi);
    bls_fp2_mul(y, &p->y, &zi);
}

/* psi(x : y : z) = (conj(x) cx : conj(y) cy : conj(z)) */
void bls_g2_psi(tk_bls_g2 *r, const tk_bls_g2 *p)
{
    static const fp2 cx = BLS_PSI_X, cy = BLS_PSI_Y;
    bls_fp2_conj(&r->x, &p->x);
    bls_fp2_mul(&r->x, &r->x, &cx);
    bls_fp2_conj(&r->y, &p->y);
    bls_fp2_mul(&r->y, &r->y, &cy);
    bls_fp2_conj(&r->z, &p->z);
}

/* k P by GLS (Galbraith, Lin, Scott, EUROCRYPT 2009) with psi, which acts on G2 as x = -X (the
 * subgroup test below): with the base-X digits of k (k = sum d_i X^i, d_i < X < 2^64),
 * k P = sum d_i (-psi)^i(P), four 64-bit sub-scalars sharing one run of 60 doublings instead of
 * 252. The tables of (-psi)^i(P) are the table of P mapped entry by entry (psi is a group
 * homomorphism). Exact split, constant-time like the windows. P must be in G2 (every caller's
 * point is: decoded with the subgroup check, hashed, or a multiple of the generator). */
void tk_bls_g2_mul(tk_bls_g2 *out, const tk_bls_g2 *p, const tk_bls_scalar *k)
{
    tk_bls_g2 tab[4][16];
    uint64_t d[4], kk[4][2];
    bls_scalar_digits_x(d, k);
    for (int i = 0; i < 4; i++) {
        kk[i][0] = d[i];
        kk[i][1] = 0;
    }
    tk_bls_g2_table16(tab[0], p);
    for (int i = 1; i < 4; i++) {
        for (int j = 0; j < 16; j++) {
            bls_g2_psi(&tab[i][j], &tab[i - 1][j]);
            bls_fp2_neg(&tab[i][j].y, &tab[i][j].y);
        }
    }
    tk_bls_g2_mul_windows(out, (const tk_bls_g2(*)[16])tab, (const uint64_t(*)[2])kk, 4, 16);
    tk_wipe(tab, sizeof tab);
    tk_wipe(d, sizeof d);
    tk_wipe(kk, sizeof kk);
}

/* Scott (2021): a twist point P is in G2 iff psi(P) == x P, x = -X_ABS; checked as
 * psi(P) + X_ABS P == O. */
int tk_bls_g2_in_subgroup_var(const tk_bls_g2 *p)
{
    tk_bls_g2 s, t;
    uint64_t k = BLS_X_ABS;
    if (!tk_bls_g2_is_on_curve(p)) {
        return 0;
    }
    bls_g2_psi(&s, p);
    tk_bls_g2_mul_limbs_var(&t, p, &k, 1);
    tk_bls_g2_add(&t, &t, &s);
    return tk_bls_g2_is_identity(&t);
}

void bls_g2_mul_u64_var(tk_bls_g2 *r, const tk_bls_g2 *p, uint64_t k)
{
    tk_bls_g2_mul_limbs_var(r, p, &k, 1);
}

/* psi(psi(x : y : z)) = (PSI2_X x : -y : z), PSI2_X in Fp (RFC 9380 appendix G.3) */
void bls_g2_psi2(tk_bls_g2 *r, const tk_bls_g2 *p)
{
    static const fp c = BLS_PSI2_X;
    bls_fp2_mul_fp(&r->x, &p->x, &c);
    bls_fp2_neg(&r->y, &p->y);
    r->z = p->z;
}
