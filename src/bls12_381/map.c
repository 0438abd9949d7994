/*
 * RFC 9380 map_to_curve + clear_cofactor without hash_to_field ("map a field element to the
 * group"), as NEAR's bls12381_map_fp_to_g1 / bls12381_map_fp2_to_g2 host functions define it:
 * the steps of hash_to_curve.c / hash_to_g2.c applied to one caller-given field element.
 */
#include "field.h"
#include "map.h"

int tk_bls_map_fp_to_g1(tk_bls_g1 *out, const unsigned char in[TK_BLS_FP_LEN])
{
    fp u, x, y;
    tk_bls_g1 q;
    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "map_fp_to_g1: NULL argument");
    }
    if (!bls_fp_from_bytes(&u, in)) {
        return tk_fail(TK_ERR_RANGE, "map_fp_to_g1: the field element is not below p");
    }
    bls_g1_map_sswu(&x, &y, &u);
    bls_g1_iso_map(&q, &x, &y);
    bls_g1_clear_cofactor(out, &q);
    return TK_OK;
}

int tk_bls_map_fp2_to_g2(tk_bls_g2 *out, const unsigned char in[2 * TK_BLS_FP_LEN])
{
    fp2 u, x, y;
    tk_bls_g2 q;
    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "map_fp2_to_g2: NULL argument");
    }
    if (!bls_fp_from_bytes(&u.c1, in) || !bls_fp_from_bytes(&u.c0, in + TK_BLS_FP_LEN)) {
        return tk_fail(TK_ERR_RANGE, "map_fp2_to_g2: a coefficient is not below p");
    }
    bls_g2_map_sswu(&x, &y, &u);
    bls_g2_iso_map(&q, &x, &y);
    bls_g2_clear_cofactor(out, &q);
    return TK_OK;
}
