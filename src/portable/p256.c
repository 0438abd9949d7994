/*
 * Freestanding ECDSA P-256 verification (public data only, variable time), for the portable
 * DCAP verifier natively and in wasm32 contracts, where every executed instruction costs gas.
 * Field arithmetic and its two representations: p256_field.h. Here:
 *  - s^-1 mod n by the binary extended Euclidean algorithm (HAC 14.61, variable time), u1 and
 *    u2 by Montgomery multiplication modulo n in 32-bit words (CIOS, Koc, Acar and Kaliski,
 *    "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro 1996);
 *  - u1*G + u2*Q by interleaved width-w NAF (Moeller, "Algorithms for multi-exponentiation",
 *    SAC 2001; Hankerson, Menezes and Vanstone, Guide to ECC, Alg. 3.51): one chain of 256
 *    Jacobian doublings (dbl-2001-b, a = -3), mixed additions of a static table of odd
 *    multiples of G (width 8, p256_table.h from p256_gen.py) and Jacobian additions of a
 *    per-call table of odd multiples of Q (width 5);
 *  - no inversion at the end: x(R) = X/Z^2 is congruent to r mod n iff X = r Z^2 or, when
 *    r + n < p, X = (r + n) Z^2 (both mod p).
 * Cross-checked against OpenSSL in tests/test_portable.c and fuzz/fuzz_p256.c, and as wasm32
 * against @noble/curves in tests/oracle/portable_wasm.mjs.
 */
#include "teekeys/portable.h"

#include "p256_field.h"

#define Q_WINDOW 5 /* wNAF width for the public key: 8 odd multiples per call */

/* ---- scalars modulo n, 8 little-endian 32-bit words ---- */

static int words_is_zero(const uint32_t a[8])
{
    return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) == 0;
}

/* r = a + b, returns the carry */
static uint32_t words_add(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a[i] + b[i];
        r[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

/* r = a - b, returns the borrow */
static uint32_t words_sub(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c = (uint64_t)a[i] - b[i] - c;
        r[i] = (uint32_t)c;
        c = (c >> 32) & 1;
    }
    return (uint32_t)c;
}

/* a = (a + carry * 2^256) / 2 */
static void words_half(uint32_t a[8], uint32_t carry)
{
    for (int i = 0; i < 7; i++) {
        a[i] = a[i] >> 1 | a[i + 1] << 31;
    }
    a[7] = a[7] >> 1 | carry << 31;
}

/* x = x / 2 mod n (x < n) */
static void sc_half(uint32_t x[8])
{
    uint32_t c = 0;
    if (x[0] & 1) {
        c = words_add(x, x, P256_N);
    }
    words_half(x, c);
}

/* r = a - b mod n (a, b < n) */
static void sc_sub(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    if (words_sub(r, a, b)) {
        words_add(r, r, P256_N);
    }
}

/* r = a^-1 mod n for 0 < a < n, by binary extended Euclid with the invariants x1 a = u and
 * x2 a = v (mod n); u and v stay odd at each subtraction, and end with u = 0, v = gcd = 1. */
static void sc_inv_var(uint32_t r[8], const uint32_t a[8])
{
    uint32_t u[8], v[8], x1[8] = {1}, x2[8] = {0};
    for (int i = 0; i < 8; i++) {
        u[i] = a[i];
        v[i] = P256_N[i];
    }
    for (;;) {
        while ((u[0] & 1) == 0) {
            words_half(u, 0);
            sc_half(x1);
        }
        while ((v[0] & 1) == 0) {
            words_half(v, 0);
            sc_half(x2);
        }
        if (words_lt(u, v)) {
            words_sub(v, v, u);
            sc_sub(x2, x2, x1);
        } else {
            words_sub(u, u, v);
            sc_sub(x1, x1, x2);
            if (words_is_zero(u)) {
                break;
            }
        }
    }
    for (int i = 0; i < 8; i++) {
        r[i] = x2[i];
    }
}

/* r = a b 2^-256 mod n (a, b < n), CIOS with 32-bit words */
static void sc_mont_mul(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint32_t t[10] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        uint32_t q;
        for (int j = 0; j < 8; j++) {
            c = (uint64_t)a[j] * b[i] + t[j] + (c >> 32);
            t[j] = (uint32_t)c;
        }
        c = (uint64_t)t[8] + (c >> 32);
        t[8] = (uint32_t)c;
        t[9] = (uint32_t)(c >> 32);
        q = t[0] * P256_N_INV32;
        c = (uint64_t)q * P256_N[0] + t[0];
        for (int j = 1; j < 8; j++) {
            c = (uint64_t)q * P256_N[j] + t[j] + (c >> 32);
            t[j - 1] = (uint32_t)c;
        }
        c = (uint64_t)t[8] + (c >> 32);
        t[7] = (uint32_t)c;
        t[8] = t[9] + (uint32_t)(c >> 32);
    }
    if (t[8] || !words_lt(t, P256_N)) {
        words_sub(t, t, P256_N);
    }
    for (int i = 0; i < 8; i++) {
        r[i] = t[i];
    }
}

/* r = a b mod n */
static void sc_mul(uint32_t r[8], const uint32_t a[8], const uint32_t b[8])
{
    uint32_t t[8];
    sc_mont_mul(t, a, b);
    sc_mont_mul(r, t, P256_N_R2);
}

/* Width-w NAF of k < 2^256: digits d[i] odd with |d[i]| < 2^(w-1), or 0, k = sum d[i] 2^i.
 * Returns the number of digits (the highest non-zero one plus one, or 0). */
static int wnaf(signed char d[257], const uint32_t k[8], int w)
{
    int bit = 0, len = 0;
    uint32_t carry = 0;
    for (int i = 0; i < 257; i++) {
        d[i] = 0;
    }
    while (bit < 256) {
        uint32_t v;
        int n = w;
        if (((k[bit >> 5] >> (bit & 31)) & 1) == carry) {
            bit++;
            continue;
        }
        if (n > 256 - bit) {
            n = 256 - bit;
        }
        /* the n bits from `bit` (n <= 8 spans at most two words) plus the pending carry */
        v = k[bit >> 5] >> (bit & 31);
        if ((bit & 31) + n > 32) {
            v |= k[(bit >> 5) + 1] << (32 - (bit & 31));
        }
        v = (v & ((1u << n) - 1)) + carry;
        carry = (v >> (w - 1)) & 1;
        d[bit] = (signed char)((int)v - (int)(carry << w));
        len = bit + 1;
        bit += n;
    }
    if (carry) {
        d[256] = 1;
        len = 257;
    }
    return len;
}

/* ---- points: Jacobian (X/Z^2, Y/Z^3) with an explicit flag for infinity ---- */

typedef struct {
    fe x, y, z;
    int inf;
} gej;

/* r = 2a: dbl-2001-b (Bernstein and Lange, Explicit-Formulas Database), a = -3, 3M + 5S */
static void gej_double(gej *r, const gej *a)
{
    fe delta, gamma, beta, alpha, t1, t2;
    if (a->inf) {
        r->inf = 1;
        return;
    }
    fe_sqr(&delta, &a->z);
    fe_sqr(&gamma, &a->y);
    fe_mul(&beta, &a->x, &gamma);
    fe_sub(&t1, &a->x, &delta);
    fe_add(&t2, &a->x, &delta);
    fe_mul(&alpha, &t1, &t2);
    fe_mul_small(&alpha, &alpha, 3);
    fe_add(&t1, &a->y, &a->z);
    fe_sqr(&t1, &t1);
    fe_sub(&t1, &t1, &gamma);
    fe_sub(&r->z, &t1, &delta); /* Z3 = (Y + Z)^2 - gamma - delta */
    fe_mul_small(&beta, &beta, 4);
    fe_sqr(&t1, &alpha);
    fe_add(&t2, &beta, &beta);
    fe_sub(&r->x, &t1, &t2); /* X3 = alpha^2 - 8 beta */
    fe_sub(&t1, &beta, &r->x);
    fe_mul(&t1, &alpha, &t1);
    fe_sqr(&gamma, &gamma);
    fe_mul_small(&gamma, &gamma, 8);
    fe_sub(&r->y, &t1, &gamma); /* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
    r->inf = 0;
}

/* r = a + b when b has a's affine x: 2a if their y agree too (same_y), else infinity. */
static void gej_add_equal_x(gej *r, const gej *a, int same_y)
{
    if (same_y) {
        gej_double(r, a);
    } else {
        r->inf = 1;
    }
}

/* r = a + b for affine b, negated if neg: madd-2007-bl, 7M + 4S (r may be a) */
static void gej_add_ge(gej *r, const gej *a, const ge *b, int neg)
{
    fe z1z1, u2, s2, h, hh, i, j, rr, v, t;
    if (a->inf) {
        r->x = b->x;
        r->y = b->y;
        if (neg) {
            fe_sub(&r->y, &FE_ZERO, &b->y);
        }
        r->z = FE_ONE;
        r->inf = 0;
        return;
    }
    fe_sqr(&z1z1, &a->z);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&t, &a->z, &z1z1);
    fe_mul(&s2, &b->y, &t);
    if (neg) {
        fe_sub(&s2, &FE_ZERO, &s2);
    }
    fe_sub(&h, &u2, &a->x);
    fe_sub(&rr, &s2, &a->y);
    if (fe_is_zero(&h)) {
        gej_add_equal_x(r, a, fe_is_zero(&rr));
        return;
    }
    fe_sqr(&hh, &h);
    fe_mul_small(&i, &hh, 4);
    fe_mul(&j, &h, &i);
    fe_add(&rr, &rr, &rr);
    fe_mul(&v, &a->x, &i);
    fe_sqr(&t, &rr);
    fe_sub(&t, &t, &j);
    fe_sub(&t, &t, &v);
    fe_sub(&t, &t, &v); /* X3 = r^2 - J - 2V */
    fe_sub(&v, &v, &t);
    fe_mul(&v, &rr, &v);
    fe_mul(&j, &a->y, &j);
    fe_add(&j, &j, &j);
    fe_add(&h, &a->z, &h);
    fe_sqr(&h, &h);
    fe_sub(&h, &h, &z1z1);
    fe_sub(&r->z, &h, &hh); /* Z3 = (Z1 + H)^2 - Z1Z1 - HH */
    fe_sub(&r->y, &v, &j);  /* Y3 = r (V - X3) - 2 Y1 J */
    r->x = t;
    r->inf = 0;
}

/* r = a + b, b negated if neg: add-2007-bl, 11M + 5S (r may be a, not b) */
static void gej_add(gej *r, const gej *a, const gej *b, int neg)
{
    fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (b->inf) {
        *r = *a;
        return;
    }
    if (a->inf) {
        *r = *b;
        if (neg) {
            fe_sub(&r->y, &FE_ZERO, &b->y);
        }
        return;
    }
    fe_sqr(&z1z1, &a->z);
    fe_sqr(&z2z2, &b->z);
    fe_mul(&u1, &a->x, &z2z2);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&t, &b->z, &z2z2);
    fe_mul(&s1, &a->y, &t);
    fe_mul(&t, &a->z, &z1z1);
    fe_mul(&s2, &b->y, &t);
    if (neg) {
        fe_sub(&s2, &FE_ZERO, &s2);
    }
    fe_sub(&h, &u2, &u1);
    fe_sub(&rr, &s2, &s1);
    if (fe_is_zero(&h)) {
        gej_add_equal_x(r, a, fe_is_zero(&rr));
        return;
    }
    fe_add(&i, &h, &h);
    fe_sqr(&i, &i);
    fe_mul(&j, &h, &i);
    fe_add(&rr, &rr, &rr);
    fe_mul(&v, &u1, &i);
    fe_sqr(&t, &rr);
    fe_sub(&t, &t, &j);
    fe_sub(&t, &t, &v);
    fe_sub(&t, &t, &v); /* X3 = r^2 - J - 2V */
    fe_sub(&v, &v, &t);
    fe_mul(&v, &rr, &v);
    fe_mul(&s1, &s1, &j);
    fe_add(&s1, &s1, &s1);
    fe_add(&u1, &a->z, &b->z);
    fe_sqr(&u1, &u1);
    fe_sub(&u1, &u1, &z1z1);
    fe_sub(&u1, &u1, &z2z2);
    fe_mul(&r->z, &u1, &h); /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
    fe_sub(&r->y, &v, &s1); /* Y3 = r (V - X3) - 2 S1 J */
    r->x = t;
    r->inf = 0;
}

/* ---- public key ---- */

/* Loads x || y into q; 1 if both are below p and y^2 = x^3 - 3x + b. */
static int load_pub(ge *q, const unsigned char pub[64])
{
    uint32_t x[8], y[8];
    fe lhs, rhs, t;
    words_from_be(x, pub);
    words_from_be(y, pub + 32);
    if (!words_lt(x, P256_P) || !words_lt(y, P256_P)) {
        return 0;
    }
    fe_from_words(&q->x, x);
    fe_from_words(&q->y, y);
    fe_sqr(&lhs, &q->y);
    fe_sqr(&rhs, &q->x);
    fe_mul(&rhs, &rhs, &q->x);
    fe_mul_small(&t, &q->x, 3);
    fe_sub(&rhs, &rhs, &t);
    fe_add(&rhs, &rhs, &FE_B);
    return fe_equal(&lhs, &rhs);
}

int tk_pc_p256_pubkey_check_var(const unsigned char pub[64])
{
    ge q;
    return load_pub(&q, pub);
}

/* 1 if X = c Z^2 (mod p) for the integer c < p given as words, zz = Z^2 */
static int x_matches(const gej *a, const fe *zz, const uint32_t c[8])
{
    fe t;
    fe_from_words(&t, c);
    fe_mul(&t, &t, zz);
    return fe_equal(&t, &a->x);
}

int tk_pc_p256_verify_var(const unsigned char sig[64], const unsigned char digest[32],
                          const unsigned char pub[64])
{
    uint32_t r[8], s[8], e[8], w[8], u1[8], u2[8], rn[8];
    signed char d1[257], d2[257];
    ge q;
    gej qt[1 << (Q_WINDOW - 2)], q2, acc;
    fe zz;
    int n1, n2;
    if (!load_pub(&q, pub)) {
        return 0;
    }
    words_from_be(r, sig);
    words_from_be(s, sig + 32);
    if (words_is_zero(r) || words_is_zero(s) || !words_lt(r, P256_N) || !words_lt(s, P256_N)) {
        return 0;
    }
    words_from_be(e, digest);
    if (!words_lt(e, P256_N)) {
        words_sub(e, e, P256_N); /* e < 2^256 < 2n, so one subtraction reduces it */
    }
    sc_inv_var(w, s);
    sc_mul(u1, e, w);
    sc_mul(u2, r, w);
    n1 = wnaf(d1, u1, P256_G_WINDOW);
    n2 = wnaf(d2, u2, Q_WINDOW);

    /* qt[i] = (2i + 1) Q */
    qt[0].x = q.x, qt[0].y = q.y, qt[0].z = FE_ONE, qt[0].inf = 0;
    gej_double(&q2, &qt[0]);
    for (int i = 1; i < (1 << (Q_WINDOW - 2)); i++) {
        gej_add(&qt[i], &qt[i - 1], &q2, 0);
    }

    acc.inf = 1;
    for (int i = (n1 > n2 ? n1 : n2) - 1; i >= 0; i--) {
        gej_double(&acc, &acc);
        if (d1[i]) {
            int k = d1[i] < 0 ? -d1[i] : d1[i];
            gej_add_ge(&acc, &acc, &P256_G_TABLE[k >> 1], d1[i] < 0);
        }
        if (d2[i]) {
            int k = d2[i] < 0 ? -d2[i] : d2[i];
            gej_add(&acc, &acc, &qt[k >> 1], d2[i] < 0);
        }
    }
    if (acc.inf) {
        return 0;
    }
    /* x(R) = X / Z^2 is below p < 2n: it is r or r + n */
    fe_sqr(&zz, &acc.z);
    if (x_matches(&acc, &zz, r)) {
        return 1;
    }
    if (words_lt(r, P256_P_MINUS_N)) {
        words_add(rn, r, P256_N);
        return x_matches(&acc, &zz, rn);
    }
    return 0;
}
