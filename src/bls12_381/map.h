/*
 * Internal to src/bls12_381: the RFC 9380 map_to_curve steps for G1 that hash_to_curve.c
 * implements, shared with map.c (which exposes map_to_curve + clear_cofactor on its own, as
 * NEAR's bls12381_map_fp_to_g1 host function needs). Never include this outside src/bls12_381.
 */
#ifndef TK_BLS_MAP_H
#define TK_BLS_MAP_H

#include "field.h"

/* Simplified SWU (RFC 9380 section 6.6.2) onto the 11-isogenous curve E'. */
void bls_g1_map_sswu(fp *x, fp *y, const fp *u);
/* The 11-isogeny E' -> E (RFC 9380 appendix E.2), to projective coordinates. */
void bls_g1_iso_map(tk_bls_g1 *r, const fp *x, const fp *y);
/* r = map(u0) + map(u1) on E (SSWU and isogeny of each), the two SSWU inversions shared; the
 * point before cofactor clearing in hash_to_curve. */
void bls_g1_map2(tk_bls_g1 *r, const fp *u0, const fp *u1);
/* r = h_eff p (RFC 9380 section 8.8.1), for any point p of E. */
void bls_g1_clear_cofactor(tk_bls_g1 *r, const tk_bls_g1 *p);

#endif
