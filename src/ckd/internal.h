/*
 * Internal to src/ckd: the layout of the ephemeral key pair and the jansson-level helpers the
 * JSON parsers share. Never include this outside src/ckd.
 */
#ifndef TK_CKD_INTERNAL_H
#define TK_CKD_INTERNAL_H

#include <jansson.h>

#include "teekeys/ckd.h"

/* Lives in tk_secure_alloc memory; pk1 and pk2 are public (affine, from their encodings). */
struct tk_ckd_keypair {
    tk_bls_scalar a;
    tk_bls_g1 pk1;
    tk_bls_g2 pk2;
};

/* Decodes a JSON string value as a G1 / G2 NEAR key string (tk_ckd_g1_parse); `what` names
 * the field in error details. */
int ckd_json_g1(tk_bls_g1 *out, const json_t *v, const char *what);
int ckd_json_g2(tk_bls_g2 *out, const json_t *v, const char *what);

/* Parses an already-loaded app_public_key value (any of the three forms). */
int ckd_json_app_key(tk_ckd_app_key *out, const json_t *v);

#endif
