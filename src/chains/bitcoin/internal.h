/*
 * Private helpers of the bitcoin module: a bounds-checked reader, a counting writer,
 * CompactSize (canonical only). Nothing here is public API and
 * nothing here ever sees secret data.
 */
#ifndef TK_BITCOIN_INTERNAL_H
#define TK_BITCOIN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "teekeys/bitcoin.h"

/* Reads from p[0..len); every read checks the bounds first. */
typedef struct {
    const unsigned char *p;
    size_t len;
    size_t pos;
} btc_reader;

/* Writes to p[0..cap) while counting every byte, so the same code computes sizes (p == NULL)
 * and serializes; `pos` is the full size even when it exceeds cap. */
typedef struct {
    unsigned char *p;
    size_t cap;
    size_t pos;
} btc_writer;

static inline size_t btc_remaining(const btc_reader *r)
{
    return r->len - r->pos;
}

/* Each returns 0 on success, -1 when the input ends early (nothing consumed then). */
int btc_read_bytes(btc_reader *r, const unsigned char **out, size_t n);
int btc_read_u8(btc_reader *r, uint8_t *v);
int btc_read_u32(btc_reader *r, uint32_t *v);
int btc_read_u64(btc_reader *r, uint64_t *v);
/* CompactSize: returns -1 on truncation, -2 on a non-canonical (non-minimal) encoding. */
int btc_read_compact(btc_reader *r, uint64_t *v);

void btc_write(btc_writer *w, const void *data, size_t n);
void btc_write_u8(btc_writer *w, uint8_t v);
void btc_write_u32(btc_writer *w, uint32_t v);
void btc_write_u64(btc_writer *w, uint64_t v);
void btc_write_compact(btc_writer *w, uint64_t v);
size_t btc_compact_len(uint64_t v);

static inline uint32_t btc_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}


/* Signing with a prepared libsecp256k1 keypair (secret: callers wipe it with tk_wipe). The
 * signature is verified before it is returned. aux32 NULL draws fresh randomness. */
int btc_sign_keypair(unsigned char sig[64], const unsigned char *msg, size_t msg_len,
                     const void *keypair, const unsigned char *aux32);
/* The BIP-341 tweaked keypair of seckey (merkle_root NULL for BIP-86). `keypair` must point to
 * a secp256k1_keypair; on failure it is wiped. Also returns the x-only internal key P and
 * output key Q when internal_x / output_x are not NULL. */
int btc_taproot_keypair(void *keypair, unsigned char *internal_x, unsigned char *output_x,
                        const unsigned char seckey[32], const unsigned char *merkle_root);

/* Describes a CompactSize read failure for error messages. */
const char *btc_compact_error(int rc);

#endif
