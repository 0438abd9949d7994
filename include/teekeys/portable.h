/*
 * teekeys portable: freestanding cryptography for code that runs without libc or OpenSSL (the
 * NEAR contracts in wasm32, the portable TDX quote verifier): SHA-256, SHA-384/512 and ECDSA
 * P-256 signature verification. Only public data is handled here (quotes, certificates,
 * signatures), so the P-256 code is variable-time and named _var. Natively these are
 * cross-checked against OpenSSL; nothing here includes a libc header.
 */
#ifndef TEEKEYS_PORTABLE_H
#define TEEKEYS_PORTABLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t h[8];
    uint64_t total;
    unsigned char buf[64];
    size_t buf_len;
} tk_pc_sha256_ctx;

typedef struct {
    uint64_t h[8];
    uint64_t total;
    unsigned char buf[128];
    size_t buf_len;
    size_t out_len; /* 48 (SHA-384) or 64 (SHA-512) */
} tk_pc_sha512_ctx;

void tk_pc_sha256_init(tk_pc_sha256_ctx *ctx);
void tk_pc_sha256_update(tk_pc_sha256_ctx *ctx, const void *data, size_t len);
void tk_pc_sha256_final(tk_pc_sha256_ctx *ctx, unsigned char out[32]);
void tk_pc_sha256(unsigned char out[32], const void *data, size_t len);

void tk_pc_sha384_init(tk_pc_sha512_ctx *ctx);
void tk_pc_sha512_init(tk_pc_sha512_ctx *ctx);
void tk_pc_sha512_update(tk_pc_sha512_ctx *ctx, const void *data, size_t len);
/* Writes ctx->out_len bytes. */
void tk_pc_sha512_final(tk_pc_sha512_ctx *ctx, unsigned char *out);
void tk_pc_sha384(unsigned char out[48], const void *data, size_t len);

/* ECDSA P-256 verification of a raw signature r || s (big-endian, 32 bytes each) over a 32-byte
 * message digest, with the public key as x || y (big-endian, 32 bytes each, no 0x04 prefix).
 * Returns 1 if the signature is valid, 0 otherwise (including keys not on the curve, r or s
 * outside [1, n-1]). */
int tk_pc_p256_verify_var(const unsigned char sig[64], const unsigned char digest[32],
                          const unsigned char pub[64]);

/* The Intel SGX Root CA (DER) and its SHA-256 pin (intel_root.c). */
extern const unsigned char tk_pc_intel_root_sha256[32];
extern const unsigned char tk_pc_intel_root_der[];
extern const size_t tk_pc_intel_root_der_len;

/* Returns 1 if x || y is a point on P-256 (both coordinates below p), else 0. */
int tk_pc_p256_pubkey_check_var(const unsigned char pub[64]);

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_PORTABLE_H */
