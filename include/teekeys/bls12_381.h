/*
 * teekeys bls12_381: the BLS12-381 pairing-friendly curve, written for teekeys (no outside
 * BLS library): the scalar field Fr, the groups G1 (over Fp) and G2 (over Fp2), ZCash point
 * serialization, RFC 9380 hash_to_curve for G1 and G2, and the optimal ate pairing.
 *
 * Types are plain structs so callers can keep them on the stack; their layout (projective
 * coordinates in Montgomery form) is internal: use only these functions on them.
 *
 * Constant time: scalar arithmetic, tk_bls_g1_mul / tk_bls_g2_mul, point addition and
 * serialization of points are constant-time. The pairing and tk_bls_pairing_check are
 * constant-time in the points' coordinates (only whether a point is the identity, and the
 * result, show), so they may take a secret point (CKD's unmasked value). Functions ending in _var
 * (and point decoding and hash_to_curve, which only see public data) are variable-time.
 * Secret scalars must be wiped by the caller (tk_wipe) or kept in tk_secure_alloc memory.
 */
#ifndef TEEKEYS_BLS12_381_H
#define TEEKEYS_BLS12_381_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_BLS_SCALAR_LEN      32 /* big-endian scalar, < r */
#define TK_BLS_G1_COMPRESSED   48 /* ZCash compressed G1 */
#define TK_BLS_G1_UNCOMPRESSED 96
#define TK_BLS_G2_COMPRESSED   96 /* ZCash compressed G2: x.c1 || x.c0 */
#define TK_BLS_G2_UNCOMPRESSED 192
#define TK_BLS_FP_LEN          48

typedef struct {
    uint64_t v[6];
} tk_bls_fp;
typedef struct {
    tk_bls_fp c0, c1;
} tk_bls_fp2;
typedef struct {
    tk_bls_fp2 c0, c1, c2;
} tk_bls_fp6;

/* A scalar modulo the group order r (canonical little-endian limbs). */
typedef struct {
    uint64_t v[4];
} tk_bls_scalar;
/* A point of G1 / G2 (or of the whole curve after decoding with subgroup checks off). */
typedef struct {
    tk_bls_fp x, y, z;
} tk_bls_g1;
typedef struct {
    tk_bls_fp2 x, y, z;
} tk_bls_g2;
/* An element of the target group GT (a subgroup of Fp12^*). */
typedef struct {
    tk_bls_fp6 c0, c1;
} tk_bls_gt;

/* ---- scalars (Fr), all constant-time ---- */

/* Decodes 32 big-endian bytes. Returns TK_OK, TK_ERR_RANGE if the value is >= r, TK_ERR_ARG. */
int tk_bls_scalar_from_bytes(tk_bls_scalar *out,
                             const unsigned char in[TK_BLS_SCALAR_LEN]) TK_MUST_CHECK;
/* Reduces `in_len` (<= 64) big-endian bytes modulo r (for uniform scalars from 64 random bytes). */
int tk_bls_scalar_from_wide(tk_bls_scalar *out, const unsigned char *in,
                            size_t in_len) TK_MUST_CHECK;
void tk_bls_scalar_to_bytes(unsigned char out[TK_BLS_SCALAR_LEN], const tk_bls_scalar *a);
void tk_bls_scalar_from_u64(tk_bls_scalar *out, uint64_t v);
/* A uniformly random non-zero scalar from the OS CSPRNG. */
void tk_bls_scalar_random(tk_bls_scalar *out);
void tk_bls_scalar_add(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b);
void tk_bls_scalar_sub(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b);
void tk_bls_scalar_neg(tk_bls_scalar *out, const tk_bls_scalar *a);
void tk_bls_scalar_mul(tk_bls_scalar *out, const tk_bls_scalar *a, const tk_bls_scalar *b);
/* out = a^-1 (Fermat). Returns TK_OK, or TK_ERR_RANGE for a == 0 (out is then 0). */
int tk_bls_scalar_inv(tk_bls_scalar *out, const tk_bls_scalar *a) TK_MUST_CHECK;
/* Returns: 1 if a == 0 / a == b, else 0. */
int tk_bls_scalar_is_zero(const tk_bls_scalar *a);
int tk_bls_scalar_eq(const tk_bls_scalar *a, const tk_bls_scalar *b);

/* ---- G1 ---- */

void tk_bls_g1_generator(tk_bls_g1 *out);
void tk_bls_g1_identity(tk_bls_g1 *out);
void tk_bls_g1_add(tk_bls_g1 *out, const tk_bls_g1 *a, const tk_bls_g1 *b);
void tk_bls_g1_sub(tk_bls_g1 *out, const tk_bls_g1 *a, const tk_bls_g1 *b);
void tk_bls_g1_neg(tk_bls_g1 *out, const tk_bls_g1 *a);
void tk_bls_g1_dbl(tk_bls_g1 *out, const tk_bls_g1 *a);
/* out = k * p for p in G1, constant-time in k and p (GLV split into two 128-bit halves with the
 * endomorphism (x, y) -> (beta x, y), fixed 4-bit windows, masked table scans). p must be in G1
 * (decoded with the subgroup check, hashed, or a multiple of the generator). */
void tk_bls_g1_mul(tk_bls_g1 *out, const tk_bls_g1 *p, const tk_bls_scalar *k);
/* out = k * p for public k and p. */
void tk_bls_g1_mul_var(tk_bls_g1 *out, const tk_bls_g1 *p, const tk_bls_scalar *k);
/* out = sum k[i] * p[i] for public data (Pippenger-free interleaved double-and-add). */
int tk_bls_g1_msm_var(tk_bls_g1 *out, const tk_bls_g1 *p, const tk_bls_scalar *k,
                      size_t n) TK_MUST_CHECK;
/* Returns: 1 / 0. */
int tk_bls_g1_is_identity(const tk_bls_g1 *p);
int tk_bls_g1_eq(const tk_bls_g1 *a, const tk_bls_g1 *b);
int tk_bls_g1_is_on_curve(const tk_bls_g1 *p);
int tk_bls_g1_in_subgroup_var(const tk_bls_g1 *p);

/* ZCash encodings. Compress/serialize are constant-time (identity gives 0xc0.. / 0x40..). */
void tk_bls_g1_compress(unsigned char out[TK_BLS_G1_COMPRESSED], const tk_bls_g1 *p);
void tk_bls_g1_serialize(unsigned char out[TK_BLS_G1_UNCOMPRESSED], const tk_bls_g1 *p);
/* Decodes a 48-byte (compressed) or 96-byte (uncompressed) ZCash encoding, strictly: wrong
 * length or compression flag, set sign/infinity bits where not allowed, non-zero bytes in an
 * infinity encoding, a coordinate >= p, a point off the curve or outside G1 are all refused
 * (TK_ERR_INPUT, with a detail naming the problem). The identity is accepted only in its one
 * canonical encoding. */
int tk_bls_g1_decode(tk_bls_g1 *out, const unsigned char *in, size_t in_len) TK_MUST_CHECK;
/* As tk_bls_g1_decode without the subgroup check: any point of the curve E(Fp) in its strict
 * encoding (NEAR's bls12381_p1_sum and bls12381_p1_decompress take such points). */
int tk_bls_g1_decode_curve(tk_bls_g1 *out, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* ---- G2 ---- */

void tk_bls_g2_generator(tk_bls_g2 *out);
void tk_bls_g2_identity(tk_bls_g2 *out);
void tk_bls_g2_add(tk_bls_g2 *out, const tk_bls_g2 *a, const tk_bls_g2 *b);
void tk_bls_g2_sub(tk_bls_g2 *out, const tk_bls_g2 *a, const tk_bls_g2 *b);
void tk_bls_g2_neg(tk_bls_g2 *out, const tk_bls_g2 *a);
void tk_bls_g2_dbl(tk_bls_g2 *out, const tk_bls_g2 *a);
/* out = k * p for p in G2, constant-time in k and p (GLS split into four 64-bit parts with psi,
 * fixed 4-bit windows, masked table scans). p must be in G2. */
void tk_bls_g2_mul(tk_bls_g2 *out, const tk_bls_g2 *p, const tk_bls_scalar *k);
void tk_bls_g2_mul_var(tk_bls_g2 *out, const tk_bls_g2 *p, const tk_bls_scalar *k);
int tk_bls_g2_msm_var(tk_bls_g2 *out, const tk_bls_g2 *p, const tk_bls_scalar *k,
                      size_t n) TK_MUST_CHECK;
int tk_bls_g2_is_identity(const tk_bls_g2 *p);
int tk_bls_g2_eq(const tk_bls_g2 *a, const tk_bls_g2 *b);
int tk_bls_g2_is_on_curve(const tk_bls_g2 *p);
int tk_bls_g2_in_subgroup_var(const tk_bls_g2 *p);
void tk_bls_g2_compress(unsigned char out[TK_BLS_G2_COMPRESSED], const tk_bls_g2 *p);
void tk_bls_g2_serialize(unsigned char out[TK_BLS_G2_UNCOMPRESSED], const tk_bls_g2 *p);
/* As tk_bls_g1_decode, for 96-byte (compressed) or 192-byte (uncompressed) input. */
int tk_bls_g2_decode(tk_bls_g2 *out, const unsigned char *in, size_t in_len) TK_MUST_CHECK;
/* As tk_bls_g2_decode without the subgroup check (any point of the twist E'(Fp2)). */
int tk_bls_g2_decode_curve(tk_bls_g2 *out, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* ---- RFC 9380 hashing ---- */

/* expand_message_xmd with SHA-256. out_len <= 8160; DSTs longer than 255 bytes are hashed
 * as the RFC requires. Returns TK_OK or TK_ERR_ARG. */
int tk_bls_expand_message_xmd(unsigned char *out, size_t out_len, const void *msg, size_t msg_len,
                              const void *dst, size_t dst_len) TK_MUST_CHECK;
/* hash_to_curve for G1, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ with the caller's DST. */
int tk_bls_hash_to_g1(tk_bls_g1 *out, const void *msg, size_t msg_len, const void *dst,
                      size_t dst_len) TK_MUST_CHECK;
/* hash_to_curve for G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_ with the caller's DST (the
 * message hash of Eth2-style BLS signatures, with DST BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_).
 */
int tk_bls_hash_to_g2(tk_bls_g2 *out, const void *msg, size_t msg_len, const void *dst,
                      size_t dst_len) TK_MUST_CHECK;
/* RFC 9380 map_to_curve (simplified SWU onto the 11-isogenous curve, then the isogeny) followed
 * by clear_cofactor, without hash_to_field: the field element is 48 big-endian bytes.
 * Returns TK_OK, or TK_ERR_RANGE if the value is >= p (out is then untouched). */
int tk_bls_map_fp_to_g1(tk_bls_g1 *out, const unsigned char in[TK_BLS_FP_LEN]) TK_MUST_CHECK;
/* The same for G2 (simplified SWU onto the 3-isogenous curve, the isogeny, clear_cofactor): the
 * Fp2 element is 96 bytes c1 || c0 (ZCash order), each 48 big-endian bytes. Returns TK_OK, or
 * TK_ERR_RANGE if c0 or c1 is >= p (out is then untouched). */
int tk_bls_map_fp2_to_g2(tk_bls_g2 *out, const unsigned char in[2 * TK_BLS_FP_LEN]) TK_MUST_CHECK;

/* ---- pairing ---- */

/* out = e(p, q), the optimal ate pairing (final exponentiation included). */
void tk_bls_pairing(tk_bls_gt *out, const tk_bls_g1 *p, const tk_bls_g2 *q);
/* Returns: 1 if prod e(p[i], q[i]) == 1 in GT, 0 if not, TK_ERR_ARG for NULL arrays with n > 0.
 * Pairs with an identity point contribute 1. One shared Miller loop and final exponentiation. */
int tk_bls_pairing_check(const tk_bls_g1 *p, const tk_bls_g2 *q, size_t n);
void tk_bls_gt_mul(tk_bls_gt *out, const tk_bls_gt *a, const tk_bls_gt *b);
int tk_bls_gt_eq(const tk_bls_gt *a, const tk_bls_gt *b);
int tk_bls_gt_is_one(const tk_bls_gt *a);

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_BLS12_381_H */
