/*
 * teekeys hash: SHA-2, SHA-3, Keccak-256 (Ethereum padding), HMAC and HKDF.
 * SHA-2, SHA-3, HMAC and HKDF come from OpenSSL 3; Keccak-256 is a sponge built on nettle's
 * sha3_permute (Keccak-f[1600]). All functions are constant-time in their inputs' contents.
 * These functions cannot fail for valid pointers and return void; if OpenSSL itself fails
 * (out of memory inside the library) the process aborts rather than continue with a wrong digest.
 */
#ifndef TEEKEYS_HASH_H
#define TEEKEYS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_SHA256_LEN    32
#define TK_SHA384_LEN    48
#define TK_SHA512_LEN    64
#define TK_SHA3_256_LEN  32
#define TK_KECCAK256_LEN 32

void tk_sha256(unsigned char out[TK_SHA256_LEN], const void *in, size_t in_len);
void tk_sha384(unsigned char out[TK_SHA384_LEN], const void *in, size_t in_len);
void tk_sha512(unsigned char out[TK_SHA512_LEN], const void *in, size_t in_len);
void tk_sha3_256(unsigned char out[TK_SHA3_256_LEN], const void *in, size_t in_len);
void tk_keccak256(unsigned char out[TK_KECCAK256_LEN], const void *in, size_t in_len);

/* A byte range, for hashing several parts without concatenating them first. */
typedef struct {
    const void *ptr;
    size_t len;
} tk_buf;

/* SHA-256 / SHA-384 of the concatenation of n_parts ranges. */
void tk_sha256_v(unsigned char out[TK_SHA256_LEN], const tk_buf *parts, size_t n_parts);
void tk_sha384_v(unsigned char out[TK_SHA384_LEN], const tk_buf *parts, size_t n_parts);

/* Streaming Keccak-256 with the original Keccak padding (0x01 ... 0x80) as Ethereum uses. */
typedef struct {
    uint64_t state[25];
    unsigned char buf[136];
    size_t buf_len;
} tk_keccak256_ctx;
void tk_keccak256_init(tk_keccak256_ctx *ctx);
void tk_keccak256_update(tk_keccak256_ctx *ctx, const void *in, size_t in_len);
void tk_keccak256_final(tk_keccak256_ctx *ctx, unsigned char out[TK_KECCAK256_LEN]);

/* BIP-340 tagged hash: SHA-256(SHA-256(tag) || SHA-256(tag) || msg). */
void tk_sha256_tagged(unsigned char out[TK_SHA256_LEN], const char *tag, const void *msg,
                      size_t msg_len);

/* HMAC-SHA256. */
void tk_hmac_sha256(unsigned char out[TK_SHA256_LEN], const void *key, size_t key_len,
                    const void *msg, size_t msg_len);

/* HKDF-SHA256 (RFC 5869), extract then expand. salt == NULL means "no salt" (HashLen zero
 * bytes). out_len at most 255 * 32. Returns TK_OK, or TK_ERR_ARG for an impossible length. */
int tk_hkdf_sha256(unsigned char *out, size_t out_len, const void *salt, size_t salt_len,
                   const void *ikm, size_t ikm_len, const void *info,
                   size_t info_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_HASH_H */
