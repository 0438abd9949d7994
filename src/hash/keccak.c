/*
 * Keccak-256 with Ethereum's (pre-FIPS-202) padding: rate 136 bytes, pad 0x01 ... 0x80.
 * The permutation is nettle's sha3_permute (Keccak-f[1600]); only the sponge lives here.
 */
#include <string.h>

#include <nettle/sha3.h>

#include "teekeys/hash.h"

#define RATE 136

_Static_assert(sizeof(struct sha3_state) == 25 * sizeof(uint64_t), "nettle sha3_state layout");

static void absorb_block(uint64_t state[25], const unsigned char *block)
{
    size_t i, j;
    for (i = 0; i < RATE / 8; i++) {
        uint64_t lane = 0;
        for (j = 0; j < 8; j++) {
            lane |= (uint64_t)block[8 * i + j] << (8 * j);
        }
        state[i] ^= lane;
    }
    sha3_permute((struct sha3_state *)state);
}

void tk_keccak256_init(tk_keccak256_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
}

void tk_keccak256_update(tk_keccak256_ctx *ctx, const void *in, size_t in_len)
{
    const unsigned char *p = in;
    if (ctx->buf_len > 0) {
        size_t take = RATE - ctx->buf_len;
        if (take > in_len) {
            take = in_len;
        }
        memcpy(ctx->buf + ctx->buf_len, p, take);
        ctx->buf_len += take;
        p += take;
        in_len -= take;
        if (ctx->buf_len < RATE) {
            return;
        }
        absorb_block(ctx->state, ctx->buf);
        ctx->buf_len = 0;
    }
    while (in_len >= RATE) {
        absorb_block(ctx->state, p);
        p += RATE;
        in_len -= RATE;
    }
    if (in_len > 0) {
        memcpy(ctx->buf, p, in_len);
        ctx->buf_len = in_len;
    }
}

void tk_keccak256_final(tk_keccak256_ctx *ctx, unsigned char out[TK_KECCAK256_LEN])
{
    size_t i;
    memset(ctx->buf + ctx->buf_len, 0, RATE - ctx->buf_len);
    ctx->buf[ctx->buf_len] ^= 0x01;
    ctx->buf[RATE - 1] ^= 0x80;
    absorb_block(ctx->state, ctx->buf);
    for (i = 0; i < TK_KECCAK256_LEN; i++) {
        out[i] = (unsigned char)(ctx->state[i / 8] >> (8 * (i % 8)));
    }
    tk_wipe(ctx, sizeof *ctx);
}

void tk_keccak256(unsigned char out[TK_KECCAK256_LEN], const void *in, size_t in_len)
{
    tk_keccak256_ctx ctx;
    tk_keccak256_init(&ctx);
    tk_keccak256_update(&ctx, in, in_len);
    tk_keccak256_final(&ctx, out);
}
