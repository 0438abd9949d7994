/*
 * Freestanding ECDSA P-256 verification (public data only, variable time): 4x64-bit Montgomery
 * arithmetic modulo p and n with constants derived at first use (no hand-typed R^2 or
 * inverses), Jacobian coordinates with a = -3, and Shamir's trick for u1*G + u2*Q.
 * Cross-checked against OpenSSL on random keys and signatures in tests/test_portable.c.
 */
#include "teekeys/portable.h"

typedef unsigned __int128 u128;

typedef struct {
    uint64_t m[4];   /* modulus, little-endian limbs */
    uint64_t inv;    /* -m^-1 mod 2^64 */
    uint64_t r2[4];  /* 2^512 mod m */
    uint64_t one[4]; /* 2^256 mod m (1 in Montgomery form) */
} modulus;

static modulus P, N;
static uint64_t B_mont[4], GX[4], GY[4]; /* curve b and the generator, Montgomery form mod p */
static int ready;

/* ---- 256-bit helpers ---- */

static void from_be(uint64_t r[4], const unsigned char *b)
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | b[8 * (3 - i) + k];
        }
        r[i] = v;
    }
}

static int is_zero(const uint64_t a[4])
{
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* Returns 1 if a >= b. */
static int geq(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] > b[i];
        }
    }
    return 1;
}

static uint64_t sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

static uint64_t add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c = (u128)a[i] + b[i] + (uint64_t)(c >> 64);
        r[i] = (uint64_t)c;
    }
    return (uint64_t)(c >> 64);
}

static void copy4(uint64_t r[4], const uint64_t a[4])
{
    r[0] = a[0], r[1] = a[1], r[2] = a[2], r[3] = a[3];
}

/* r = a + b mod m (a, b < m) */
static void mod_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const modulus *M)
{
    uint64_t t[4];
    uint64_t carry = add4(t, a, b);
    if (carry || geq(t, M->m)) {
        sub4(t, t, M->m);
    }
    copy4(r, t);
}

/* r = a - b mod m (a, b < m) */
static void mod_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const modulus *M)
{
    uint64_t t[4];
    if (sub4(t, a, b)) {
        add4(t, t, M->m);
    }
    copy4(r, t);
}

/* Montgomery product a * b * 2^-256 mod m (CIOS). */
static void mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const modulus *M)
{
    uint64_t t[6] = {0};
    for (int i = 0; i < 4; i++) {
        u128 c = 0;
        uint64_t q;
        for (int j = 0; j < 4; j++) {
            c = (u128)a[j] * b[i] + t[j] + (uint64_t)(c >> 64);
            t[j] = (uint64_t)c;
        }
        c = (u128)t[4] + (uint64_t)(c >> 64);
        t[4] = (uint64_t)c;
        t[5] = (uint64_t)(c >> 64);
        q = t[0] * M->inv;
        c = (u128)q * M->m[0] + t[0];
        for (int j = 1; j < 4; j++) {
            c = (u128)q * M->m[j] + t[j] + (uint64_t)(c >> 64);
            t[j - 1] = (uint64_t)c;
        }
        c = (u128)t[4] + (uint64_t)(c >> 64);
        t[3] = (uint64_t)c;
        t[4] = t[5] + (uint64_t)(c >> 64);
    }
    if (t[4] || geq(t, M->m)) {
        sub4(t, t, M->m);
    }
    copy4(r, t);
}

static void to_mont(uint64_t r[4], const uint64_t a[4], const modulus *M)
{
    mont_mul(r, a, M->r2, M);
}

static void from_mont(uint64_t r[4], const uint64_t a[4], const modulus *M)
{
    static const uint64_t one[4] = {1, 0, 0, 0};
    mont_mul(r, a, one, M);
}

/* r = a^(m-2) (Montgomery form in and out): the inverse for prime m. */
static void mont_inv(uint64_t r[4], const uint64_t a[4], const modulus *M)
{
    uint64_t e[4], acc[4];
    static const uint64_t two[4] = {2, 0, 0, 0};
    sub4(e, M->m, two);
    copy4(acc, M->one);
    for (int i = 255; i >= 0; i--) {
        mont_mul(acc, acc, acc, M);
        if ((e[i / 64] >> (i % 64)) & 1) {
            mont_mul(acc, acc, a, M);
        }
    }
    copy4(r, acc);
}

static void modulus_init(modulus *M, const unsigned char be[32])
{
    uint64_t inv = 1, x[4] = {1, 0, 0, 0};
    from_be(M->m, be);
    for (int i = 0; i < 6; i++) { /* Newton: inv = m0^-1 mod 2^64 */
        inv *= 2 - M->m[0] * inv;
    }
    M->inv = (uint64_t)0 - inv;
    for (int i = 0; i < 512; i++) { /* x = 2^i mod m, doubling with reduction */
        uint64_t carry = add4(x, x, x);
        if (carry || geq(x, M->m)) {
            sub4(x, x, M->m);
        }
        if (i == 255) {
            copy4(M->one, x);
        }
    }
    copy4(M->r2, x);
}

static const unsigned char p_be[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const unsigned char n_be[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const unsigned char b_be[32] = {
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b};
static const unsigned char gx_be[32] = {
    0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96};
static const unsigned char gy_be[32] = {
    0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
    0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5};

static void init(void)
{
    uint64_t t[4];
    if (ready) {
        return;
    }
    modulus_init(&P, p_be);
    modulus_init(&N, n_be);
    from_be(t, b_be);
    to_mont(B_mont, t, &P);
    from_be(t, gx_be);
    to_mont(GX, t, &P);
    from_be(t, gy_be);
    to_mont(GY, t, &P);
    ready = 1;
}

/* ---- points (Jacobian, Montgomery coordinates mod p; Z = 0 is infinity) ---- */

typedef struct {
    uint64_t x[4], y[4], z[4];
} point;

static void pt_double(point *r, const point *a)
{
    uint64_t delta[4], gamma[4], beta[4], alpha[4], t1[4], t2[4], x3[4], y3[4], z3[4];
    if (is_zero(a->z) || is_zero(a->y)) {
        *r = (point){{0}, {0}, {0}};
        return;
    }
    mont_mul(delta, a->z, a->z, &P);
    mont_mul(gamma, a->y, a->y, &P);
    mont_mul(beta, a->x, gamma, &P);
    mod_sub(t1, a->x, delta, &P);
    mod_add(t2, a->x, delta, &P);
    mont_mul(alpha, t1, t2, &P);
    mod_add(t1, alpha, alpha, &P);
    mod_add(alpha, t1, alpha, &P); /* alpha = 3 (x - delta)(x + delta) */
    mont_mul(x3, alpha, alpha, &P);
    mod_add(t1, beta, beta, &P); /* 2 beta */
    mod_add(t1, t1, t1, &P);     /* 4 beta */
    mod_add(t2, t1, t1, &P);     /* 8 beta */
    mod_sub(x3, x3, t2, &P);
    mod_add(z3, a->y, a->z, &P);
    mont_mul(z3, z3, z3, &P);
    mod_sub(z3, z3, gamma, &P);
    mod_sub(z3, z3, delta, &P);
    mod_sub(t1, t1, x3, &P); /* 4 beta - x3 */
    mont_mul(y3, alpha, t1, &P);
    mont_mul(t2, gamma, gamma, &P);
    mod_add(t2, t2, t2, &P);
    mod_add(t2, t2, t2, &P);
    mod_add(t2, t2, t2, &P); /* 8 gamma^2 */
    mod_sub(y3, y3, t2, &P);
    copy4(r->x, x3), copy4(r->y, y3), copy4(r->z, z3);
}

static void pt_add(point *r, const point *a, const point *b)
{
    uint64_t z1z1[4], z2z2[4], u1[4], u2[4], s1[4], s2[4], h[4], i[4], j[4], rr[4], v[4], t[4];
    uint64_t x3[4], y3[4], z3[4];
    if (is_zero(a->z)) {
        *r = *b;
        return;
    }
    if (is_zero(b->z)) {
        *r = *a;
        return;
    }
    mont_mul(z1z1, a->z, a->z, &P);
    mont_mul(z2z2, b->z, b->z, &P);
    mont_mul(u1, a->x, z2z2, &P);
    mont_mul(u2, b->x, z1z1, &P);
    mont_mul(t, b->z, z2z2, &P);
    mont_mul(s1, a->y, t, &P);
    mont_mul(t, a->z, z1z1, &P);
    mont_mul(s2, b->y, t, &P);
    mod_sub(h, u2, u1, &P);
    mod_sub(rr, s2, s1, &P);
    if (is_zero(h)) {
        if (is_zero(rr)) {
            pt_double(r, a);
        } else {
            *r = (point){{0}, {0}, {0}};
        }
        return;
    }
    mod_add(rr, rr, rr, &P);
    mod_add(i, h, h, &P);
    mont_mul(i, i, i, &P);
    mont_mul(j, h, i, &P);
    mont_mul(v, u1, i, &P);
    mont_mul(x3, rr, rr, &P);
    mod_sub(x3, x3, j, &P);
    mod_sub(x3, x3, v, &P);
    mod_sub(x3, x3, v, &P);
    mod_sub(t, v, x3, &P);
    mont_mul(y3, rr, t, &P);
    mont_mul(t, s1, j, &P);
    mod_add(t, t, t, &P);
    mod_sub(y3, y3, t, &P);
    mod_add(z3, a->z, b->z, &P);
    mont_mul(z3, z3, z3, &P);
    mod_sub(z3, z3, z1z1, &P);
    mod_sub(z3, z3, z2z2, &P);
    mont_mul(z3, z3, h, &P);
    copy4(r->x, x3), copy4(r->y, y3), copy4(r->z, z3);
}

/* y^2 == x^3 - 3x + b for affine Montgomery coordinates. */
static int on_curve(const uint64_t x[4], const uint64_t y[4])
{
    uint64_t lhs[4], rhs[4], t[4];
    mont_mul(lhs, y, y, &P);
    mont_mul(rhs, x, x, &P);
    mont_mul(rhs, rhs, x, &P);
    mod_add(t, x, x, &P);
    mod_add(t, t, x, &P);
    mod_sub(rhs, rhs, t, &P);
    mod_add(rhs, rhs, B_mont, &P);
    return geq(lhs, rhs) && geq(rhs, lhs);
}

static int load_pub(point *q, const unsigned char pub[64])
{
    uint64_t x[4], y[4];
    from_be(x, pub);
    from_be(y, pub + 32);
    if (geq(x, P.m) || geq(y, P.m)) {
        return 0;
    }
    to_mont(q->x, x, &P);
    to_mont(q->y, y, &P);
    copy4(q->z, P.one);
    return on_curve(q->x, q->y);
}

int tk_pc_p256_pubkey_check_var(const unsigned char pub[64])
{
    point q;
    init();
    return load_pub(&q, pub);
}

int tk_pc_p256_verify_var(const unsigned char sig[64], const unsigned char digest[32],
                          const unsigned char pub[64])
{
    uint64_t r[4], s[4], e[4], w[4], u1[4], u2[4], t[4], zi[4], x[4];
    point q, g, gq, acc = {{0}, {0}, {0}};
    init();
    if (!load_pub(&q, pub)) {
        return 0;
    }
    from_be(r, sig);
    from_be(s, sig + 32);
    if (is_zero(r) || is_zero(s) || geq(r, N.m) || geq(s, N.m)) {
        return 0;
    }
    from_be(e, digest);
    if (geq(e, N.m)) {
        sub4(e, e, N.m); /* e < 2^256 < 2n, so one subtraction reduces it */
    }
    /* w = s^-1, u1 = e w, u2 = r w (mod n), all through Montgomery form */
    to_mont(t, s, &N);
    mont_inv(w, t, &N);
    to_mont(t, e, &N);
    mont_mul(u1, t, w, &N);
    from_mont(u1, u1, &N);
    to_mont(t, r, &N);
    mont_mul(u2, t, w, &N);
    from_mont(u2, u2, &N);
    copy4(g.x, GX), copy4(g.y, GY), copy4(g.z, P.one);
    pt_add(&gq, &g, &q);
    for (int i = 255; i >= 0; i--) {
        int b1 = (int)((u1[i / 64] >> (i % 64)) & 1), b2 = (int)((u2[i / 64] >> (i % 64)) & 1);
        pt_double(&acc, &acc);
        if (b1 && b2) {
            pt_add(&acc, &acc, &gq);
        } else if (b1) {
            pt_add(&acc, &acc, &g);
        } else if (b2) {
            pt_add(&acc, &acc, &q);
        }
    }
    if (is_zero(acc.z)) {
        return 0;
    }
    /* affine x = X / Z^2, compared with r modulo n */
    mont_mul(zi, acc.z, acc.z, &P);
    mont_inv(zi, zi, &P);
    mont_mul(x, acc.x, zi, &P);
    from_mont(x, x, &P);
    if (geq(x, N.m)) {
        sub4(x, x, N.m);
    }
    return geq(x, r) && geq(r, x);
}
