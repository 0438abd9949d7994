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
