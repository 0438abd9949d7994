/*
 * teekeys ckd: the client side of NEAR's Confidential Key Derivation (CKD, DESIGN 2.1), which
 * recovers a keystore's master secret from the NEAR MPC network without the network, the
 * chain or the operator ever seeing it.
 *
 *   app_id = SHA3-256("near-mpc v0.1.0 app_id derivation:" || predecessor || "," || path)
 *   H      = hash_to_curve_G1(compress96(pk) || app_id, DST "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_")
 *   the app sends A = a·G1 (and a·G2 in the publicly verifiable form), the network answers
 *   Y = y·G1, C = msk·H + y·A; the app computes sig = C - a·Y = msk·H, checks
 *   e(H, pk) == e(sig, G2), and the secret is HKDF-SHA256(salt none, compress48(sig), info "").
 *
 * Byte formats are NEAR's: points are ZCash-compressed (48 bytes G1, 96 bytes G2) inside key
 * strings "bls12381g1:<base58>" / "bls12381g2:<base58>"; the ephemeral scalar a is 32 bytes
 * big-endian (64 hex characters in its key file). Every parser refuses the identity, points off
 * the curve or outside the prime-order subgroup, and non-canonical encodings.
 *
 * Secrets: the scalar a lives in a tk_ckd_keypair (guarded memory, wiped on free); the
 * unmasking is constant-time in a and in sig (tests/ctime/ctime_bls.c runs it under valgrind).
 * Never log a keypair, the unmasked sig or the secret.
 */
#ifndef TEEKEYS_CKD_H
#define TEEKEYS_CKD_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/bls12_381.h"
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_CKD_APP_ID_LEN        32
#define TK_CKD_SECRET_LEN        32
#define TK_CKD_SCALAR_LEN        32   /* a, big-endian */
#define TK_CKD_SCALAR_HEX_LEN    64   /* the key file: 64 hex characters (+ one optional '\n') */
#define TK_CKD_PATH_MAX          1024 /* bytes of derivation path teekeys accepts */
#define TK_CKD_POINT_STRING_MAX  144  /* a "bls12381g2:..." string plus NUL, rounded up */
#define TK_CKD_REQUEST_JSON_MAX  4096 /* request_app_private_key argument, path escaped */
#define TK_CKD_RESPONSE_JSON_MAX 256  /* {"big_y":..,"big_c":..} as tk_ckd_response_json writes */
#define TK_CKD_DST               "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_"
#define TK_CKD_APP_ID_PREFIX     "near-mpc v0.1.0 app_id derivation:"

/* ---- app_id and the hash point ---- */

/* Derives NEAR's app_id. In: predecessor (the account calling request_app_private_key, checked
 * with tk_near_account_check), path (the derivation path: strict UTF-8 without control
 * characters, at most TK_CKD_PATH_MAX bytes; "" is valid). Out: out (32 bytes).
 * Returns TK_OK, TK_ERR_INPUT (bad account id or path, with a detail), TK_ERR_ARG. */
int tk_ckd_app_id(unsigned char out[TK_CKD_APP_ID_LEN], const char *predecessor,
                  const char *path) TK_MUST_CHECK;

/* Checks a derivation path by the rules above. Returns TK_OK or TK_ERR_INPUT. */
int tk_ckd_path_check(const char *path, size_t path_len) TK_MUST_CHECK;

/* H = hash_to_curve_G1(compress96(pk) || app_id) with NEAR's DST. pk must not be the identity.
 * Returns TK_OK, TK_ERR_INPUT (identity pk), TK_ERR_ARG. */
int tk_ckd_hash_point(tk_bls_g1 *out, const tk_bls_g2 *pk,
                      const unsigned char app_id[TK_CKD_APP_ID_LEN]) TK_MUST_CHECK;

/* ---- NEAR point strings ---- */

/* Decodes "bls12381g1:<base58 of 48 bytes>" / "bls12381g2:<base58 of 96 bytes>" strictly
 * (prefix, base58, length, ZCash flags, on the curve, in the subgroup) and refuses the
 * identity. Returns TK_OK or TK_ERR_INPUT with a detail naming the problem. */
int tk_ckd_g1_parse(tk_bls_g1 *out, const char *in, size_t in_len) TK_MUST_CHECK;
int tk_ckd_g2_parse(tk_bls_g2 *out, const char *in, size_t in_len) TK_MUST_CHECK;
/* Formats a point as its NEAR key string (NUL-terminated). out_cap >= TK_CKD_POINT_STRING_MAX
 * is always enough. Returns TK_OK or TK_ERR_BUFFER / TK_ERR_ARG. */
int tk_ckd_g1_format(char *out, size_t out_cap, const tk_bls_g1 *p) TK_MUST_CHECK;
int tk_ckd_g2_format(char *out, size_t out_cap, const tk_bls_g2 *p) TK_MUST_CHECK;

/* ---- the ephemeral key pair (a, A = a·G1, a·G2) ---- */

typedef struct tk_ckd_keypair tk_ckd_keypair; /* opaque, in guarded memory */

/* A fresh key pair with a uniformly random non-zero a from the OS CSPRNG.
 * Out: *out (free with tk_ckd_keypair_free). Returns TK_OK or TK_ERR_NOMEM / TK_ERR_ARG. */
int tk_ckd_keypair_new(tk_ckd_keypair **out) TK_MUST_CHECK;

/* A key pair from a 32-byte big-endian scalar. Refuses 0 and values >= r (TK_ERR_RANGE);
 * reveals nothing else about the scalar. */
int tk_ckd_keypair_from_scalar(tk_ckd_keypair **out,
                               const unsigned char scalar[TK_CKD_SCALAR_LEN]) TK_MUST_CHECK;

/* The key file text: exactly 64 hex characters (either case), optionally one '\n'.
 * Returns TK_OK, TK_ERR_INPUT (length or a non-hex character; never echoes the input),
 * TK_ERR_RANGE (0 or >= r), TK_ERR_NOMEM. */
int tk_ckd_keypair_from_hex(tk_ckd_keypair **out, const char *text, size_t text_len) TK_MUST_CHECK;

/* Reads the key file at `path`, which must not be readable or writable by group or others
 * (TK_ERR_PERM otherwise). Errors as tk_ckd_keypair_from_hex, plus TK_ERR_IO. */
int tk_ckd_keypair_read_file(tk_ckd_keypair **out, const char *path) TK_MUST_CHECK;

/* Writes a as 64 lowercase hex characters and '\n' to a new file (mode 0600, atomic); an
 * existing file is never overwritten (TK_ERR_PERM). */
int tk_ckd_keypair_write_file(const char *path, const tk_ckd_keypair *kp) TK_MUST_CHECK;

/* The public parts: pk1 = A = a·G1, pk2 = a·G2 (either output may be NULL). */
void tk_ckd_keypair_public(tk_bls_g1 *pk1, tk_bls_g2 *pk2, const tk_ckd_keypair *kp);

/* Copies the SECRET scalar a out (32 bytes big-endian); the caller wipes it. */
void tk_ckd_keypair_export(unsigned char out[TK_CKD_SCALAR_LEN], const tk_ckd_keypair *kp);

/* Wipes and frees (NULL is a no-op). */
void tk_ckd_keypair_free(tk_ckd_keypair *kp);

/* ---- JSON of the contract call ---- */

/* The three forms of `app_public_key` the NEAR MPC contract accepts. */
typedef enum {
    TK_CKD_APP_KEY_PLAIN = 1,  /* "bls12381g1:<A>" */
    TK_CKD_APP_KEY_TAGGED = 2, /* {"AppPublicKey":"bls12381g1:<A>"} */
    TK_CKD_APP_KEY_PV = 3 /* {"AppPublicKeyPV":{"pk1":"bls12381g1:..","pk2":"bls12381g2:.."}} */
} tk_ckd_app_key_form;

typedef struct {
    tk_ckd_app_key_form form;
    tk_bls_g1 pk1; /* A */
    tk_bls_g2 pk2; /* a·G2, only for TK_CKD_APP_KEY_PV (else the identity) */
} tk_ckd_app_key;

/* Parses an `app_public_key` JSON value in any of the three forms, strictly (no other keys, no
 * duplicates, valid non-identity points in their subgroups). For the PV form it also checks
 * e(pk1, G2) == e(G1, pk2), as the contract does. Returns TK_OK, TK_ERR_INPUT (malformed),
 * TK_ERR_CRYPTO (pk1 and pk2 are not the same scalar), TK_ERR_ARG. */
int tk_ckd_app_key_parse(tk_ckd_app_key *out, const char *json, size_t json_len) TK_MUST_CHECK;

/* The argument of request_app_private_key, as parsed. */
typedef struct {
    char derivation_path[TK_CKD_PATH_MAX + 1]; /* NUL-terminated */
    size_t derivation_path_len;
    tk_ckd_app_key app_key;
    uint64_t domain_id;
} tk_ckd_request;

/* Writes the argument of request_app_private_key in the publicly verifiable form:
 * {"request":{"derivation_path":P,"app_public_key":{"AppPublicKeyPV":{"pk1":..,"pk2":..}},
 * "domain_id":N}} (compact, NUL-terminated; *out_len excludes the NUL). domain_id must be
 * <= INT64_MAX. Returns TK_OK, TK_ERR_INPUT (path), TK_ERR_RANGE, TK_ERR_BUFFER, TK_ERR_ARG. */
int tk_ckd_request_json(char *out, size_t out_cap, size_t *out_len, const tk_ckd_keypair *kp,
                        const char *path, uint64_t domain_id) TK_MUST_CHECK;

/* Parses that argument (any app_public_key form): exactly the key "request", holding exactly
 * derivation_path (string, tk_ckd_path_check), app_public_key and domain_id (an integer
 * 0..INT64_MAX). Errors as tk_ckd_app_key_parse. */
int tk_ckd_request_parse(tk_ckd_request *out, const char *json, size_t json_len) TK_MUST_CHECK;

/* Parses the contract's answer {"big_y":"bls12381g1:..","big_c":"bls12381g1:.."}: exactly
 * these two keys, valid non-identity G1 points. Returns TK_OK, TK_ERR_INPUT, TK_ERR_ARG. */
int tk_ckd_response_parse(tk_bls_g1 *big_y, tk_bls_g1 *big_c, const char *json,
                          size_t json_len) TK_MUST_CHECK;

/* Writes such an answer (for the MPC side and tests). Returns TK_OK, TK_ERR_BUFFER,
 * TK_ERR_INPUT (an identity point), TK_ERR_ARG. */
int tk_ckd_response_json(char *out, size_t out_cap, size_t *out_len, const tk_bls_g1 *big_y,
                         const tk_bls_g1 *big_c) TK_MUST_CHECK;

/* ---- unmasking ---- */

/* Recovers the secret: sig = big_c - a·big_y (constant-time), refuses sig = identity, checks
 * e(H(pk, app_id), pk) == e(sig, G2), then out = HKDF-SHA256(salt none, compress48(sig),
 * info "", 32 bytes). The points must come from the parsers above (or tk_bls_*_decode).
 * Every intermediate that depends on a, and sig, is wiped; out is wiped on failure.
 * Returns TK_OK; TK_ERR_INPUT for an identity or off-curve input or a degenerate answer;
 * TK_ERR_CRYPTO if the pairing check fails (wrong pk, app_id, key pair or a forged answer). */
int tk_ckd_unmask(unsigned char out[TK_CKD_SECRET_LEN], const tk_ckd_keypair *kp,
                  const tk_bls_g2 *pk, const unsigned char app_id[TK_CKD_APP_ID_LEN],
                  const tk_bls_g1 *big_y, const tk_bls_g1 *big_c) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_CKD_H */
