/*
 * chain_keys address derivation, on-chain and without a secp256k1 library: EVM addresses from
 * the keccak256 host function, BIP-86 Taproot output keys from nearcore's ecrecover host
 * function, Solana base58 and NEAR implicit hex. The only big-number code is a small,
 * variable-time mod-m add/multiply/negate over public values (the group order n for the
 * ecrecover inputs, the field prime p for the on-curve check).
 *
 * Taproot through ecrecover: ecrecover(h, r || s, v) returns r^-1 (s·R - h·G) where R is the
 * point with x = r (+ n when v & 2) and y parity v & 1. With r = x(P) mod n, s = r, v = 0
 * (even y, as BIP-86 lifts x(P)) and h = -t·r mod n this is R + t·G = lift_x(x(P)) + t·G = Q,
 * t = hashTapTweak(x(P)).
 */
#include "chain_keys.h"

typedef struct {
    uint32_t w[8]; /* little-endian 32-bit limbs */
} u256;

static const u256 ORDER_N = {{0xD0364141u, 0xBFD25E8Cu, 0xAF48A03Bu, 0xBAAEDCE6u, 0xFFFFFFFEu,
                              0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}};
static const u256 PRIME_P = {{0xFFFFFC2Fu, 0xFFFFFFFEu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
                              0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}};

static void u256_from_be(u256 *r, const uint8_t in[32])
{
    int i;
    for (i = 0; i < 8; i++) {
        const uint8_t *p = in + 28 - 4 * i;
        r->w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
}

static void u256_to_be(uint8_t out[32], const u256 *a)
{
    int i;
    for (i = 0; i < 8; i++) {
        uint8_t *p = out + 28 - 4 * i;
        p[0] = (uint8_t)(a->w[i] >> 24);
        p[1] = (uint8_t)(a->w[i] >> 16);
        p[2] = (uint8_t)(a->w[i] >> 8);
        p[3] = (uint8_t)a->w[i];
    }
}

static int u256_cmp(const u256 *a, const u256 *b)
{
    int i;
    for (i = 7; i >= 0; i--) {
        if (a->w[i] != b->w[i]) {
            return a->w[i] < b->w[i] ? -1 : 1;
        }
    }
    return 0;
}

static int u256_is_zero(const u256 *a)
{
    uint32_t acc = 0;
    int i;
    for (i = 0; i < 8; i++) {
        acc |= a->w[i];
    }
    return acc == 0;
}

/* r = a + b, returns the carry out */
static uint32_t u256_add(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t c = 0;
    int i;
    for (i = 0; i < 8; i++) {
        c += (uint64_t)a->w[i] + b->w[i];
        r->w[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

/* r = a - b mod 2^256 */
static void u256_sub(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t borrow = 0;
    int i;
    for (i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint32_t)d;
        borrow = (d >> 32) & 1;
    }
}

/* r = a + b mod m, for a, b < m */
static void addmod(u256 *r, const u256 *a, const u256 *b, const u256 *m)
{
    uint32_t carry = u256_add(r, a, b);
    if (carry || u256_cmp(r, m) >= 0) {
        u256_sub(r, r, m); /* a + b < 2m, so one subtraction suffices (mod 2^256 wraps back) */
    }
}

/* r = a * b mod m for a, b < m: double-and-add over b's bits, most significant first */
static void mulmod(u256 *r, const u256 *a, const u256 *b, const u256 *m)
{
    u256 acc = {{0}};
    int i;
    for (i = 255; i >= 0; i--) {
        addmod(&acc, &acc, &acc, m);
        if ((b->w[i / 32] >> (i % 32)) & 1) {
            addmod(&acc, &acc, a, m);
        }
    }
    *r = acc;
}

static void reduce_once(u256 *a, const u256 *m)
{
    if (u256_cmp(a, m) >= 0) {
        u256_sub(a, a, m); /* any 256-bit value is < 2m for secp256k1's n and p */
    }
}

void ck_mulmod(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], int which_p)
{
    const u256 *m = which_p ? &PRIME_P : &ORDER_N;
    u256 x, y, r;
    u256_from_be(&x, a);
    u256_from_be(&y, b);
    reduce_once(&x, m);
    reduce_once(&y, m);
    mulmod(&r, &x, &y, m);
    u256_to_be(out, &r);
}

void ck_negmod(uint8_t out[32], const uint8_t a[32], int which_p)
{
    const u256 *m = which_p ? &PRIME_P : &ORDER_N;
    u256 x, r = {{0}};
    u256_from_be(&x, a);
    reduce_once(&x, m);
    if (!u256_is_zero(&x)) {
        u256_sub(&r, m, &x);
    }
    u256_to_be(out, &r);
}

int ck_secp256k1_on_curve(const uint8_t pub[64])
{
    u256 x, y, lhs, rhs, seven = {{7}};
    u256_from_be(&x, pub);
    u256_from_be(&y, pub + 32);
    if (u256_cmp(&x, &PRIME_P) >= 0 || u256_cmp(&y, &PRIME_P) >= 0) {
        return 0;
    }
    mulmod(&lhs, &y, &y, &PRIME_P);
    mulmod(&rhs, &x, &x, &PRIME_P);
    mulmod(&rhs, &rhs, &x, &PRIME_P);
    addmod(&rhs, &rhs, &seven, &PRIME_P);
    return u256_cmp(&lhs, &rhs) == 0;
}

int ck_taproot_output_key(uint8_t xq[32], const uint8_t x[32])
{
    static const char tag[] = "TapTweak";
    uint8_t buf[96], t_be[32], h_be[32], sig[64], q[64];
    u256 xi, r, t, h;
    unsigned v = 0;
    int i;
    near_sha256(buf, tag, sizeof tag - 1);
    for (i = 0; i < 32; i++) {
        buf[32 + i] = buf[i];
        buf[64 + i] = x[i];
    }
    near_sha256(t_be, buf, sizeof buf);
    u256_from_be(&t, t_be);
    u256_from_be(&xi, x);
    if (u256_cmp(&t, &ORDER_N) >= 0 || u256_cmp(&xi, &PRIME_P) >= 0) {
        return 0; /* BIP-341: a tweak >= n fails; x must be a field element */
    }
    r = xi;
    if (u256_cmp(&r, &ORDER_N) >= 0) {
        u256_sub(&r, &r, &ORDER_N); /* x(P) in [n, p): recovery id bit 1 says x = r + n */
        v = 2;
    }
    if (u256_is_zero(&r)) {
        return 0;
    }
    mulmod(&h, &t, &r, &ORDER_N);
    if (!u256_is_zero(&h)) {
        u256_sub(&h, &ORDER_N, &h); /* h = -t·r mod n */
    }
    u256_to_be(h_be, &h);
    u256_to_be(sig, &r);
    u256_to_be(sig + 32, &r); /* s = r */
    if (!near_ecrecover(q, h_be, sig, v, 0)) {
        return 0; /* x(P) is not on the curve, or Q is the point at infinity */
    }
    for (i = 0; i < 32; i++) {
        xq[i] = q[i];
    }
    return 1;
}

char *ck_eip55(const uint8_t addr20[20])
{
    char *lower = near_hex(addr20, 20), *out = near_alloc(43);
    uint8_t h[32];
    int i;
    near_keccak256(h, lower, 40);
    out[0] = '0';
    out[1] = 'x';
    for (i = 0; i < 40; i++) {
        char c = lower[i];
        unsigned nibble = (h[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        out[2 + i] = (char)(c >= 'a' && nibble >= 8 ? c - 'a' + 'A' : c);
    }
    out[42] = 0;
    return out;
}

char *ck_address(ck_family family, const char *network, const uint8_t *key, size_t key_len,
                 const char **err)
{
    uint8_t h[32];
    switch (family) {
    case CK_EVM:
    case CK_BITCOIN:
    case CK_BITCOIN_TEST:
        if (key_len != 64) {
            *err = "secp256k1 families need a 64-byte secp256k1: public key";
            return NULL;
        }
        if (!ck_secp256k1_on_curve(key)) {
            *err = "public key is not a point on secp256k1";
            return NULL;
        }
        if (family == CK_EVM) {
            near_keccak256(h, key, 64);
            return ck_eip55(h + 12);
        }
        if (ck_btc_hrp(network) == NULL || !ck_taproot_output_key(h, key)) {
            *err = "cannot derive the Taproot output key";
            return NULL;
        }
        return near_segwit_address(ck_btc_hrp(network), 1, h, 32);
    case CK_SOLANA:
    case CK_NEAR:
        if (key_len != 32) {
            *err = "ed25519 families need a 32-byte ed25519: public key";
            return NULL;
        }
        return family == CK_SOLANA ? near_base58(key, 32) : near_hex(key, 32);
    }
    *err = "unknown family";
    return NULL;
}

char *ck_address_index_form(const char *address, size_t len)
{
    char *out = near_strndup(address, len);
    int lower = (len >= 2 && out[0] == '0' && out[1] == 'x') ||
                (len >= 3 && (near_memeq(out, "BC1", 3) || near_memeq(out, "TB1", 3))) ||
                (len >= 5 && near_memeq(out, "BCRT1", 5));
    size_t i;
    if (lower) {
        for (i = 0; i < len; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (char)(out[i] - 'A' + 'a');
            }
        }
    }
    return out;
}
