/*
 * SHA3-256 (FIPS 202) in freestanding C for the MPC signer contract, which needs NEAR's
 * app_id = SHA3-256("near-mpc v0.1.0 app_id derivation:" || predecessor || "," || path): the
 * NEAR host offers keccak256 only, whose padding (0x01) differs from SHA3's (0x06). Written
 * from the specification: Keccak-f[1600] (24 rounds of theta, rho, pi, chi, iota) over 25
 * little-endian 64-bit lanes, rate 136 bytes. tests/test_mpc_signer.c checks it against
 * teekeys' tk_sha3_256 and the app_id vectors of ../shared/vectors/ckd.json.
 */
#include "mpc_signer.h"

#define RATE 136

static const uint64_t round_constants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* rho offsets and pi destinations along the (x, y) -> (y, 2x + 3y) walk from lane 1 */
static const unsigned rho[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                 27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned pi_lane[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                     15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static uint64_t rotl(uint64_t v, unsigned n)
{
    return (v << n) | (v >> (64 - n));
}

static void keccak_f(uint64_t s[25])
{
    uint64_t c[5], t;
    unsigned round, x, y, i;
    for (round = 0; round < 24; round++) {
        for (x = 0; x < 5; x++) { /* theta */
            c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
        }
        for (x = 0; x < 5; x++) {
            t = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (y = 0; y < 25; y += 5) {
                s[y + x] ^= t;
            }
        }
        t = s[1]; /* rho and pi */
        for (i = 0; i < 24; i++) {
            uint64_t next = s[pi_lane[i]];
            s[pi_lane[i]] = rotl(t, rho[i]);
            t = next;
        }
        for (y = 0; y < 25; y += 5) { /* chi */
            for (x = 0; x < 5; x++) {
                c[x] = s[y + x];
            }
            for (x = 0; x < 5; x++) {
                s[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
            }
        }
        s[0] ^= round_constants[round]; /* iota */
    }
}

static void absorb_byte(uint64_t s[25], size_t pos, uint8_t b)
{
    s[pos / 8] ^= (uint64_t)b << (8 * (pos % 8));
}

void ms_sha3_256(uint8_t out[32], const void *data, size_t len)
{
    uint64_t s[25];
    const uint8_t *p = data;
    size_t i, pos = 0;
    for (i = 0; i < 25; i++) {
        s[i] = 0;
    }
    for (i = 0; i < len; i++) {
        absorb_byte(s, pos++, p[i]);
        if (pos == RATE) {
            keccak_f(s);
            pos = 0;
        }
    }
    absorb_byte(s, pos, 0x06); /* SHA3 domain bits 01, then pad10*1 */
    absorb_byte(s, RATE - 1, 0x80);
    keccak_f(s);
    for (i = 0; i < 32; i++) {
        out[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
    }
}

void ms_app_id(uint8_t out[32], const char *predecessor, size_t pred_len, const char *path,
               size_t path_len)
{
    near_buf b = {0};
    near_buf_puts(&b, MS_APP_ID_PREFIX);
    near_buf_put(&b, predecessor, pred_len);
    near_buf_putc(&b, ',');
    near_buf_put(&b, path, path_len);
    ms_sha3_256(out, b.data, b.len);
}
