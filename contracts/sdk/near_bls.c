/*
 * near_bls: nearcore's bls12381_* host functions behind typed wrappers, and the pure
 * BLS12-381 byte helpers contracts need around them (compression, negation, reduction mod p),
 * plus RFC 9380 hash_to_curve for G1 on top of the sha256, map_fp_to_g1 and p1_sum host
 * functions. near_bls.h describes the encodings. Pointer <-> u64 casts only here.
 */
#include "near_bls.h"
#include "near_host.h"

#define REG 0

static near_u64 p64(const void *p)
{
    return (near_u64)(uintptr_t)p;
}

const uint8_t near_bls_g1_generator[NEAR_BLS_P1] = {
    0x17, 0xf1, 0xd3, 0xa7, 0x31, 0x97, 0xd7, 0x94, 0x26, 0x95, 0x63, 0x8c, 0x4f, 0xa9, 0xac, 0x0f,
    0xc3, 0x68, 0x8c, 0x4f, 0x97, 0x74, 0xb9, 0x05, 0xa1, 0x4e, 0x3a, 0x3f, 0x17, 0x1b, 0xac, 0x58,
    0x6c, 0x55, 0xe8, 0x3f, 0xf9, 0x7a, 0x1a, 0xef, 0xfb, 0x3a, 0xf0, 0x0a, 0xdb, 0x22, 0xc6, 0xbb,
    0x08, 0xb3, 0xf4, 0x81, 0xe3, 0xaa, 0xa0, 0xf1, 0xa0, 0x9e, 0x30, 0xed, 0x74, 0x1d, 0x8a, 0xe4,
    0xfc, 0xf5, 0xe0, 0x95, 0xd5, 0xd0, 0x0a, 0xf6, 0x00, 0xdb, 0x18, 0xcb, 0x2c, 0x04, 0xb3, 0xed,
    0xd0, 0x3c, 0xc7, 0x44, 0xa2, 0x88, 0x8a, 0xe4, 0x0c, 0xaa, 0x23, 0x29, 0x46, 0xc5, 0xe7, 0xe1,
};

const uint8_t near_bls_g2_generator[NEAR_BLS_P2] = {
    0x13, 0xe0, 0x2b, 0x60, 0x52, 0x71, 0x9f, 0x60, 0x7d, 0xac, 0xd3, 0xa0, 0x88, 0x27, 0x4f, 0x65,
    0x59, 0x6b, 0xd0, 0xd0, 0x99, 0x20, 0xb6, 0x1a, 0xb5, 0xda, 0x61, 0xbb, 0xdc, 0x7f, 0x50, 0x49,
    0x33, 0x4c, 0xf1, 0x12, 0x13, 0x94, 0x5d, 0x57, 0xe5, 0xac, 0x7d, 0x05, 0x5d, 0x04, 0x2b, 0x7e,
    0x02, 0x4a, 0xa2, 0xb2, 0xf0, 0x8f, 0x0a, 0x91, 0x26, 0x08, 0x05, 0x27, 0x2d, 0xc5, 0x10, 0x51,
    0xc6, 0xe4, 0x7a, 0xd4, 0xfa, 0x40, 0x3b, 0x02, 0xb4, 0x51, 0x0b, 0x64, 0x7a, 0xe3, 0xd1, 0x77,
    0x0b, 0xac, 0x03, 0x26, 0xa8, 0x05, 0xbb, 0xef, 0xd4, 0x80, 0x56, 0xc8, 0xc1, 0x21, 0xbd, 0xb8,
    0x06, 0x06, 0xc4, 0xa0, 0x2e, 0xa7, 0x34, 0xcc, 0x32, 0xac, 0xd2, 0xb0, 0x2b, 0xc2, 0x8b, 0x99,
    0xcb, 0x3e, 0x28, 0x7e, 0x85, 0xa7, 0x63, 0xaf, 0x26, 0x74, 0x92, 0xab, 0x57, 0x2e, 0x99, 0xab,
    0x3f, 0x37, 0x0d, 0x27, 0x5c, 0xec, 0x1d, 0xa1, 0xaa, 0xa9, 0x07, 0x5f, 0xf0, 0x5f, 0x79, 0xbe,
    0x0c, 0xe5, 0xd5, 0x27, 0x72, 0x7d, 0x6e, 0x11, 0x8c, 0xc9, 0xcd, 0xc6, 0xda, 0x2e, 0x35, 0x1a,
    0xad, 0xfd, 0x9b, 0xaa, 0x8c, 0xbd, 0xd3, 0xa7, 0x6d, 0x42, 0x9a, 0x69, 0x51, 0x60, 0xd1, 0x2c,
    0x92, 0x3a, 0xc9, 0xcc, 0x3b, 0xac, 0xa2, 0x89, 0xe1, 0x93, 0x54, 0x86, 0x08, 0xb8, 0x28, 0x01,
};

const uint8_t near_bls_r[32] = {
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
};

/* the field prime p, 48 bytes big-endian */
static const uint8_t fp_p[NEAR_BLS_FP] = {
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab,
};

/* ---- host functions ---- */

/* Reads register REG into out when it holds exactly `len` bytes; panics otherwise (the host
 * wrote something other than its documented output). */
static void read_exact(uint8_t *out, size_t len)
{
    if (near_host_register_len(REG) != (near_u64)len) {
        near_panic("bls12381 host function returned an unexpected length");
    }
    if (len != 0) {
        near_host_read_register(REG, p64(out));
    }
}

static int host_out(near_u64 ret, uint8_t *out, size_t out_len)
{
    if (ret == 0) {
        read_exact(out, out_len);
    }
    return (int)ret;
}

int near_bls_p1_decompress(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1C])
{
    return host_out(near_host_bls12381_p1_decompress(NEAR_BLS_P1C, p64(in), REG), out, NEAR_BLS_P1);
}

int near_bls_p2_decompress(uint8_t out[NEAR_BLS_P2], const uint8_t in[NEAR_BLS_P2C])
{
    return host_out(near_host_bls12381_p2_decompress(NEAR_BLS_P2C, p64(in), REG), out, NEAR_BLS_P2);
}

int near_bls_p1_sum(uint8_t out[NEAR_BLS_P1], const uint8_t *items, size_t count)
{
    return host_out(near_host_bls12381_p1_sum(count * (1 + NEAR_BLS_P1), p64(items), REG), out,
                    NEAR_BLS_P1);
}

int near_bls_p2_sum(uint8_t out[NEAR_BLS_P2], const uint8_t *items, size_t count)
{
    return host_out(near_host_bls12381_p2_sum(count * (1 + NEAR_BLS_P2), p64(items), REG), out,
                    NEAR_BLS_P2);
}

int near_bls_g1_multiexp(uint8_t out[NEAR_BLS_P1], const uint8_t *items, size_t count)
{
    return host_out(
        near_host_bls12381_g1_multiexp(count * (NEAR_BLS_P1 + NEAR_BLS_SCALAR), p64(items), REG),
        out, NEAR_BLS_P1);
}

int near_bls_g2_multiexp(uint8_t out[NEAR_BLS_P2], const uint8_t *items, size_t count)
{
    return host_out(
        near_host_bls12381_g2_multiexp(count * (NEAR_BLS_P2 + NEAR_BLS_SCALAR), p64(items), REG),
        out, NEAR_BLS_P2);
}

int near_bls_map_fp_to_g1(uint8_t *out, const uint8_t *fps, size_t count)
{
    return host_out(near_host_bls12381_map_fp_to_g1(count * NEAR_BLS_FP, p64(fps), REG), out,
                    count * NEAR_BLS_P1);
}

int near_bls_pairing_check(const uint8_t *pairs, size_t count)
{
    return (int)near_host_bls12381_pairing_check(count * NEAR_BLS_PAIR, p64(pairs));
}

/* ---- loading points ---- */

int near_bls_g1_load(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1C], int allow_identity)
{
    uint8_t item[NEAR_BLS_P1 + NEAR_BLS_SCALAR];
    size_t i;
    if (near_bls_p1_decompress(item, in) != 0) {
        return 0;
    }
    item[NEAR_BLS_P1] = 1; /* 1·P: the multiexp refuses points outside G1 */
    for (i = 1; i < NEAR_BLS_SCALAR; i++) {
        item[NEAR_BLS_P1 + i] = 0;
    }
    if (near_bls_g1_multiexp(out, item, 1) != 0) {
        return 0;
    }
    return allow_identity || !near_bls_p1_is_identity(out);
}

int near_bls_g2_load(uint8_t out[NEAR_BLS_P2], const uint8_t in[NEAR_BLS_P2C], int allow_identity)
{
    uint8_t item[NEAR_BLS_P2 + NEAR_BLS_SCALAR];
    size_t i;
    if (near_bls_p2_decompress(item, in) != 0) {
        return 0;
    }
    item[NEAR_BLS_P2] = 1;
    for (i = 1; i < NEAR_BLS_SCALAR; i++) {
        item[NEAR_BLS_P2 + i] = 0;
    }
    if (near_bls_g2_multiexp(out, item, 1) != 0) {
        return 0;
    }
    return allow_identity || !near_bls_p2_is_identity(out);
}

/* ---- pure helpers ---- */

static int is_identity(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    size_t i;
    for (i = 1; i < len; i++) {
        acc |= p[i];
    }
    return p[0] == 0x40 && acc == 0;
}

int near_bls_p1_is_identity(const uint8_t p[NEAR_BLS_P1])
{
    return is_identity(p, NEAR_BLS_P1);
}

int near_bls_p2_is_identity(const uint8_t p[NEAR_BLS_P2])
{
    return is_identity(p, NEAR_BLS_P2);
}

/* big-endian comparison of n bytes: -1, 0, 1 */
static int be_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

/* out = a - b over n big-endian bytes (a >= b); out may alias a */
static void be_sub(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n)
{
    unsigned borrow = 0;
    size_t i = n;
    while (i-- > 0) {
        unsigned d = (unsigned)a[i] - b[i] - borrow;
        out[i] = (uint8_t)d;
        borrow = (d >> 8) & 1;
    }
}

static int fp_is_zero(const uint8_t v[NEAR_BLS_FP])
{
    uint8_t acc = 0;
    size_t i;
    for (i = 0; i < NEAR_BLS_FP; i++) {
        acc |= v[i];
    }
    return acc == 0;
}

void near_bls_fp_neg(uint8_t out[NEAR_BLS_FP], const uint8_t in[NEAR_BLS_FP])
{
    size_t i;
    if (fp_is_zero(in)) {
        for (i = 0; i < NEAR_BLS_FP; i++) {
            out[i] = 0;
        }
        return;
    }
    be_sub(out, fp_p, in, NEAR_BLS_FP);
}

/* ZCash sign: y is "lexicographically largest" when y > p - y */
static int fp_largest(const uint8_t y[NEAR_BLS_FP])
{
    uint8_t neg[NEAR_BLS_FP];
    near_bls_fp_neg(neg, y);
    return be_cmp(y, neg, NEAR_BLS_FP) > 0;
}

void near_bls_g1_compress(uint8_t out[NEAR_BLS_P1C], const uint8_t in[NEAR_BLS_P1])
{
    size_t i;
    if (near_bls_p1_is_identity(in)) {
        out[0] = 0xc0;
        for (i = 1; i < NEAR_BLS_P1C; i++) {
            out[i] = 0;
        }
        return;
    }
    for (i = 0; i < NEAR_BLS_P1C; i++) {
        out[i] = in[i];
    }
    out[0] |= 0x80;
    if (fp_largest(in + NEAR_BLS_FP)) {
        out[0] |= 0x20;
    }
}

void near_bls_g2_compress(uint8_t out[NEAR_BLS_P2C], const uint8_t in[NEAR_BLS_P2])
{
    const uint8_t *y1 = in + 2 * NEAR_BLS_FP, *y0 = in + 3 * NEAR_BLS_FP;
    size_t i;
    if (near_bls_p2_is_identity(in)) {
        out[0] = 0xc0;
        for (i = 1; i < NEAR_BLS_P2C; i++) {
            out[i] = 0;
        }
        return;
    }
    for (i = 0; i < NEAR_BLS_P2C; i++) {
        out[i] = in[i];
    }
    out[0] |= 0x80;
    if (fp_is_zero(y1) ? fp_largest(y0) : fp_largest(y1)) {
        out[0] |= 0x20;
    }
}

void near_bls_g1_negate(uint8_t out[NEAR_BLS_P1], const uint8_t in[NEAR_BLS_P1])
{
    size_t i;
    for (i = 0; i < NEAR_BLS_FP; i++) {
        out[i] = in[i];
    }
    if (near_bls_p1_is_identity(in)) {
        for (; i < NEAR_BLS_P1; i++) {
            out[i] = 0;
        }
        return;
    }
    near_bls_fp_neg(out + NEAR_BLS_FP, in + NEAR_BLS_FP);
}

void near_bls_fp_reduce64(uint8_t out[NEAR_BLS_FP], const uint8_t in[64])
{
    /* shift-and-subtract, one bit at a time: r < p < 2^381 keeps 2r + 1 within 48 bytes */
    uint8_t r[NEAR_BLS_FP];
    size_t i, bit;
    for (i = 0; i < NEAR_BLS_FP; i++) {
        r[i] = 0;
    }
    for (bit = 0; bit < 512; bit++) {
        unsigned carry = (in[bit / 8] >> (7 - bit % 8)) & 1;
        i = NEAR_BLS_FP;
        while (i-- > 0) {
            unsigned v = ((unsigned)r[i] << 1) | carry;
            r[i] = (uint8_t)v;
            carry = v >> 8;
        }
        if (be_cmp(r, fp_p, NEAR_BLS_FP) >= 0) {
            be_sub(r, r, fp_p, NEAR_BLS_FP);
        }
    }
    for (i = 0; i < NEAR_BLS_FP; i++) {
        out[i] = r[i];
    }
}

int near_bls_scalar_canonical(const uint8_t be[32])
{
    return be_cmp(be, near_bls_r, 32) < 0;
}

/* ---- RFC 9380 ---- */

void near_bls_expand_message_xmd(uint8_t *out, size_t out_len, const void *msg, size_t msg_len,
                                 const void *dst, size_t dst_len)
{
    size_t ell = (out_len + 31) / 32, i, j, n = 0;
    size_t prime_len = 64 + msg_len + 2 + 1 + dst_len + 1;
    uint8_t *buf, b0[32], bi[32], blk[32 + 1 + 255 + 1];
    const uint8_t *d = dst, *m = msg;
    if (ell == 0 || ell > 255 || out_len > 65535 || dst_len > 255) {
        near_panic("expand_message_xmd: length out of range");
    }
    /* msg_prime = Z_pad || msg || I2OSP(len, 2) || I2OSP(0, 1) || DST_prime */
    buf = near_alloc(prime_len);
    for (i = 0; i < 64; i++) {
        buf[n++] = 0;
    }
    for (i = 0; i < msg_len; i++) {
        buf[n++] = m[i];
    }
    buf[n++] = (uint8_t)(out_len >> 8);
    buf[n++] = (uint8_t)out_len;
    buf[n++] = 0;
    for (i = 0; i < dst_len; i++) {
        buf[n++] = d[i];
    }
    buf[n++] = (uint8_t)dst_len;
    near_sha256(b0, buf, n);
    /* b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime), b_1 = H(b_0 || 1 || DST_prime) */
    for (j = 0; j < 32; j++) {
        bi[j] = 0;
    }
    for (i = 1; i <= ell; i++) {
        size_t k = 0;
        for (j = 0; j < 32; j++) {
            blk[k++] = (uint8_t)(b0[j] ^ bi[j]);
        }
        blk[k++] = (uint8_t)i;
        for (j = 0; j < dst_len; j++) {
            blk[k++] = d[j];
        }
        blk[k++] = (uint8_t)dst_len;
        near_sha256(bi, blk, k);
        for (j = 0; j < 32 && (i - 1) * 32 + j < out_len; j++) {
            out[(i - 1) * 32 + j] = bi[j];
        }
    }
}

void near_bls_hash_to_g1(uint8_t out[NEAR_BLS_P1], const void *msg, size_t msg_len, const void *dst,
                         size_t dst_len)
{
    uint8_t uniform[128], u[2 * NEAR_BLS_FP], q[2 * NEAR_BLS_P1], items[2 * (1 + NEAR_BLS_P1)];
    size_t i;
    near_bls_expand_message_xmd(uniform, sizeof uniform, msg, msg_len, dst, dst_len);
    near_bls_fp_reduce64(u, uniform);
    near_bls_fp_reduce64(u + NEAR_BLS_FP, uniform + 64);
    if (near_bls_map_fp_to_g1(q, u, 2) != 0) {
        near_panic("bls12381_map_fp_to_g1 refused a reduced field element");
    }
    items[0] = 0;
    items[1 + NEAR_BLS_P1] = 0;
    for (i = 0; i < NEAR_BLS_P1; i++) {
        items[1 + i] = q[i];
        items[2 + NEAR_BLS_P1 + i] = q[NEAR_BLS_P1 + i];
    }
    if (near_bls_p1_sum(out, items, 2) != 0) {
        near_panic("bls12381_p1_sum refused mapped points");
    }
}
