/*
 * near_bls: typed wrappers over nearcore's nine bls12381_* host functions (NEP-488) and the
 * pure BLS12-381 helpers a contract needs around them: point compression, negation, reduction
 * of 64-byte values modulo p, and RFC 9380 hash_to_curve for G1 (expand_message_xmd with the
 * sha256 host function, hash_to_field, map_fp_to_g1, p1_sum).
 *
 * Encodings are nearcore's (src/nearvm/bls_host.c documents them): uncompressed points are
 * x || y big-endian (G2: x.c1 x.c0 y.c1 y.c0) with no flag bits, the identity is 0x40 then
 * zeros; compressed points carry the ZCash flags (0x80 compressed, 0x40 infinity, 0x20 sign).
 * Host-call wrappers return the host function's value: 0 success (output written), 1 invalid
 * input (output untouched), 2 pairing check false. Pure helpers never call the host.
 */
#ifndef NEAR_BLS_H
#define NEAR_BLS_H

#include "near_sdk.h"

#define NEAR_BLS_FP     48
#define NEAR_BLS_P1     96  /* uncompressed G1 */
#define NEAR_BLS_P2     192 /* uncompressed G2 */
#define NEAR_BLS_P1C    48  /* compressed G1 */
#define NEAR_BLS_P2C    96  /* compressed G2 */
#define NEAR_BLS_SCALAR 32  /* multiexp scalars: little-endian */
#define NEAR_BLS_PAIR   (NEAR_BLS_P1 + NEAR_BLS_P2)

extern const uint8_t near_bls_g1_generator[NEAR_BLS_P1];
extern const uint8_t near_bls_g2_generator[NEAR_BLS_P2];
/* the group order r, 32 bytes big-endian */
extern const uint8_t near_bls_r[32];

/* ---- host functions (count = number of items) ---- */
int near_bls_p1_decompress(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1C]);
int near_bls_p2_decompress(uint8_t out[NEAR_BLS_P2], const uint8_t in[NEAR_BLS_P2C]);
/* items: sign byte (0 add, 1 subtract) || point (97 / 193 bytes each) */
int near_bls_p1_sum(uint8_t out[NEAR_BLS_P1], const uint8_t *items, size_t count);
int near_bls_p2_sum(uint8_t out[NEAR_BLS_P2], const uint8_t *items, size_t count);
/* items: point || 32-byte little-endian scalar; every point must lie in the subgroup */
int near_bls_g1_multiexp(uint8_t out[NEAR_BLS_P1], const uint8_t *items, size_t count);
int near_bls_g2_multiexp(uint8_t out[NEAR_BLS_P2], const uint8_t *items, size_t count);
/* count field elements (48 bytes each, < p) -> count points (out: 96 * count bytes), each
 * map_to_curve followed by clear_cofactor */
int near_bls_map_fp_to_g1(uint8_t *out, const uint8_t *fps, size_t count);
/* items: P1 || P2 (288 bytes); 0 when the product of the pairings is 1, 1 on an invalid or
 * non-subgroup point, 2 when the product is not 1 */
int near_bls_pairing_check(const uint8_t *pairs, size_t count);

/* ---- points from compressed bytes ----
 * Decompresses and checks subgroup membership (through a multiexp by 1, which refuses points
 * outside G1/G2). Returns 1 with the uncompressed point, 0 on any invalid encoding, a point
 * outside the subgroup, or the identity unless allow_identity. */
int near_bls_g1_load(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1C], int allow_identity);
int near_bls_g2_load(uint8_t out[NEAR_BLS_P2], const uint8_t in[NEAR_BLS_P2C], int allow_identity);

/* ---- pure helpers ---- */
/* 1 for the identity encoding (0x40 then zeros), else 0 */
int near_bls_p1_is_identity(const uint8_t p[NEAR_BLS_P1]);
int near_bls_p2_is_identity(const uint8_t p[NEAR_BLS_P2]);
/* Compresses a valid uncompressed point (as the host writes them). */
void near_bls_g1_compress(uint8_t out[NEAR_BLS_P1C], const uint8_t in[NEAR_BLS_P1]);
void near_bls_g2_compress(uint8_t out[NEAR_BLS_P2C], const uint8_t in[NEAR_BLS_P2]);
/* -P for a valid uncompressed point (the identity stays the identity) */
void near_bls_g1_negate(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1]);
/* out = in mod p for a 64-byte big-endian value (RFC 9380 hash_to_field with L = 64) */
void near_bls_fp_reduce64(uint8_t out[NEAR_BLS_FP], const uint8_t in[64]);
/* out = p - in for 0 < in < p; 0 stays 0 */
void near_bls_fp_neg(uint8_t out[NEAR_BLS_FP], const uint8_t in[NEAR_BLS_FP]);
/* 1 when the big-endian value is < r */
int near_bls_scalar_canonical(const uint8_t be[32]);

/* ---- RFC 9380 ---- */
/* expand_message_xmd with SHA-256 (the sha256 host function): out_len <= 255 * 32 and
 * dst_len <= 255 (longer DSTs are refused with a panic; callers use fixed short ones). */
void near_bls_expand_message_xmd(uint8_t *out, size_t out_len, const void *msg, size_t msg_len,
                                 const void *dst, size_t dst_len);
/* hash_to_curve for G1 (suite BLS12381G1_XMD:SHA-256_SSWU_RO_ with the caller's DST):
 * hash_to_field gives u0, u1; map_fp_to_g1 maps and clears the cofactor of each (clear_cofactor
 * is linear, so clear(Q0) + clear(Q1) = clear(Q0 + Q1)); p1_sum adds them. Panics if the host
 * refuses (it cannot for reduced field elements). */
void near_bls_hash_to_g1(uint8_t out[NEAR_BLS_P1], const void *msg, size_t msg_len, const void *dst,
                         size_t dst_len);

#endif
