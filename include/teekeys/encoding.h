/*
 * teekeys encoding: hex, base58 (Bitcoin alphabet), base64 (RFC 4648), bech32/bech32m
 * (BIP-173, BIP-350) with segwit addresses, and NEAR key strings ("ed25519:<base58>").
 *
 * Decoders are strict: they reject every malformed, non-canonical or oversized input with
 * TK_ERR_INPUT (or TK_ERR_BUFFER when the caller's buffer is too small) and a detail
 * message naming the problem. Text outputs are NUL-terminated; *_len outputs exclude the NUL.
 * Hex and base58/base64 are constant-time in the bytes (they also carry secrets: master
 * secrets in hex, NEAR secret keys in base58); bech32 is for public data only.
 */
#ifndef TEEKEYS_ENCODING_H
#define TEEKEYS_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UTF-8 (strict: no overlong forms, no surrogates, nothing above U+10FFFF) ---- */

/* Decodes the sequence at s[0..left). Returns its length (1..4) and the code point in *cp, or
 * 0 when s does not start with a valid, complete sequence. */
size_t tk_utf8_next(uint32_t *cp, const unsigned char *s, size_t left);

/* Returns: the offset of the first byte that breaks strict UTF-8, or len if s[0..len) is valid. */
size_t tk_utf8_bad_offset(const unsigned char *s, size_t len);

/* ---- hex ---- */

/* Lowercase hex of `in`. Needs out_cap >= 2 * in_len + 1. */
int tk_hex_encode(char *out, size_t out_cap, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* Decodes hex (either case, even length, no prefix, no whitespace). */
int tk_hex_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                  size_t in_len) TK_MUST_CHECK;

/* Decodes exactly `out_len` bytes of hex: the input must be 2 * out_len characters. An
 * optional "0x"/"0X" prefix is accepted when TK_HEX_ALLOW_0X is set. */
#define TK_HEX_ALLOW_0X 1u
int tk_hex_decode_exact(unsigned char *out, size_t out_len, const char *in, size_t in_len,
                        unsigned flags) TK_MUST_CHECK;

/* ---- base58 (Bitcoin alphabet, no checksum) ---- */

/* Needs out_cap >= tk_base58_encoded_max(in_len). */
#define tk_base58_encoded_max(n) ((n)*138 / 100 + 2)
int tk_base58_encode(char *out, size_t out_cap, size_t *out_len, const unsigned char *in,
                     size_t in_len) TK_MUST_CHECK;
/* Rejects characters outside the alphabet and inputs longer than 1024 characters. */
int tk_base58_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                     size_t in_len) TK_MUST_CHECK;

/* ---- base64 (standard alphabet, '=' padding required, canonical) ---- */

#define tk_base64_encoded_len(n) ((((n) + 2) / 3) * 4)
int tk_base64_encode(char *out, size_t out_cap, size_t *out_len, const unsigned char *in,
                     size_t in_len) TK_MUST_CHECK;
/* Rejects missing/extra padding, non-zero trailing bits, whitespace and other alphabets. */
int tk_base64_decode(unsigned char *out, size_t out_cap, size_t *out_len, const char *in,
                     size_t in_len) TK_MUST_CHECK;

/* ---- bech32 / bech32m ---- */

typedef enum { TK_BECH32 = 1, TK_BECH32M = 2 } tk_bech32_variant;

#define TK_BECH32_MAX_LEN 90 /* BIP-173 limit for the whole string */

/* Encodes hrp + 5-bit `data` values with the given checksum variant (lowercase).
 * Needs out_cap >= strlen(hrp) + data_len + 8. */
int tk_bech32_encode(char *out, size_t out_cap, const char *hrp, const unsigned char *data,
                     size_t data_len, tk_bech32_variant variant) TK_MUST_CHECK;

/* Decodes a bech32 or bech32m string (all upper or all lower case, <= 90 characters).
 * Out: hrp (lowercase, NUL-terminated, hrp_cap bytes), data as 5-bit values, the variant
 * whose checksum matched. */
int tk_bech32_decode(char *hrp, size_t hrp_cap, unsigned char *data, size_t data_cap,
                     size_t *data_len, tk_bech32_variant *variant, const char *in,
                     size_t in_len) TK_MUST_CHECK;

/* Segwit addresses (BIP-173 v0 with bech32, BIP-350 v1..16 with bech32m). */
int tk_segwit_encode(char *out, size_t out_cap, const char *hrp, int witver,
                     const unsigned char *prog, size_t prog_len) TK_MUST_CHECK;
/* Checks the hrp equals `hrp`, the variant matches the version, and program lengths. */
int tk_segwit_decode(int *witver, unsigned char *prog, size_t prog_cap, size_t *prog_len,
                     const char *hrp, const char *in, size_t in_len) TK_MUST_CHECK;

/* ---- NEAR key strings: "<prefix>:<base58 of exactly N bytes>" ---- */

typedef enum {
    TK_NEARKEY_ED25519_PUBLIC = 1, /* "ed25519:"    32 bytes */
    TK_NEARKEY_SECP256K1_PUBLIC,   /* "secp256k1:"  64 bytes, uncompressed x || y */
    TK_NEARKEY_BLS12381_G1,        /* "bls12381g1:" 48 bytes, compressed */
    TK_NEARKEY_BLS12381_G2,        /* "bls12381g2:" 96 bytes, compressed */
    TK_NEARKEY_ED25519_SECRET      /* "ed25519:"    64 bytes, seed || public key */
} tk_nearkey_type;

#define TK_NEARKEY_MAX_LEN 144 /* longest string (bls12381g2) plus NUL, rounded up */

/* Returns: the byte length a key type carries (32/64/48/96/64), or 0 for an unknown type. */
size_t tk_nearkey_len(tk_nearkey_type type);

/* Encodes a key of exactly tk_nearkey_len(type) bytes. For secret keys the caller owns
 * (and must wipe) the output string. */
int tk_nearkey_encode(char *out, size_t out_cap, tk_nearkey_type type, const unsigned char *key,
                      size_t key_len) TK_MUST_CHECK;

/* Decodes a key string of the expected type: the prefix must match and the base58 part must
 * decode to exactly tk_nearkey_len(type) bytes. Out: key (key_len must equal that length). */
int tk_nearkey_decode(unsigned char *key, size_t key_len, tk_nearkey_type type, const char *in,
                      size_t in_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ENCODING_H */
