/*
 * Freestanding ECDSA P-256 verification (public data only, variable time), for the portable
 * DCAP verifier natively and in wasm32 contracts, where every executed instruction costs gas
 * (about 2.2 M wasm instructions per verification: bench/node_portable_p256.mjs). Field
 * arithmetic, one representation for every target: p256_field.h. Here:
 *  - u1 = e/s and u2 = r/s mod n from Kaliski's almost Montgomery inverse (a variable-time
 *    binary GCD) and Montgomery multiplication modulo n in 32-bit words (CIOS, Koc, Acar and
 *    Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro 1996);
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

/* ---- the almost Montgomery inverse in 4 x 64-bit words (i64 operations in wasm) ---- */

static void w4_from_words(uint64_t r[4], const uint32_t w[8])
{
    for (int i = 0; i < 4; i++) {
        r[i] = (uint64_t)w[2 * i + 1] << 32 | w[2 * i];
    }
}

static void w4_shr1(uint64_t a[4])
{
    a[0] = a[0] >> 1 | a[1] << 63;
    a[1] = a[1] >> 1 | a[2] << 63;
    a[2] = a[2] >> 1 | a[3] << 63;
    a[3] >>= 1;
}

/* a = 2a, returns the bit shifted out */
static uint64_t w4_shl1(uint64_t a[4])
{
    uint64_t out = a[3] >> 63;
    a[3] = a[3] << 1 | a[2] >> 63;
    a[2] = a[2] << 1 | a[1] >> 63;
    a[1] = a[1] << 1 | a[0] >> 63;
    a[0] <<= 1;
    return out;
}

/* r = a + b mod 2^256 */
static void w4_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t c = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t t = a[i] + c, u = t + b[i];
        c = (t < c) | (u < t);
        r[i] = u;
    }
}

/* r = a - b mod 2^256 */
static void w4_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t t = a[i] - b[i], u = t - borrow;
        borrow = (a[i] < b[i]) | (t < borrow);
        r[i] = u;
    }
}

/* 1 if a < b */
static int w4_lt(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] < b[i];
        }
    }
    return 0;
}

/* r = a^-1 2^k mod n for 0 < a < n, returning k (256 <= k <= 512): phase 1 of Kaliski's
 * almost Montgomery inverse ("The Montgomery inverse and its applications", IEEE Trans.
 * Computers 44(8), 1995), a binary GCD whose cofactors only add and double (no halving modulo
 * n). n = u s + v r holds throughout, so r and s stay at most n until the last step doubles r. */
static int sc_almost_inv_var(uint32_t out[8], const uint32_t a[8])
{
    uint64_t u[4], v[4], n[4], r[4] = {0, 0, 0, 0}, s[4] = {1, 0, 0, 0}, top = 0;
    int k = 0;
    w4_from_words(n, P256_N);
    w4_from_words(v, a);
    u[0] = n[0], u[1] = n[1], u[2] = n[2], u[3] = n[3];
    while (v[0] | v[1] | v[2] | v[3]) {
        if ((u[0] & 1) == 0) {
            w4_shr1(u);
            w4_shl1(s);
        } else if ((v[0] & 1) == 0) {
            w4_shr1(v);
            w4_shl1(r);
        } else if (w4_lt(v, u)) {
            w4_sub(u, u, v);
            w4_shr1(u);
            w4_add(r, r, s);
            w4_shl1(s);
        } else {
            w4_sub(v, v, u);
            w4_shr1(v);
            w4_add(s, s, r);
            top = w4_shl1(r);
        }
        k++;
    }
    if (top || !w4_lt(r, n)) {
        w4_sub(r, r, n);
    }
    w4_sub(r, n, r);
    for (int i = 0; i < 4; i++) {
        out[2 * i] = (uint32_t)r[i];
        out[2 * i + 1] = (uint32_t)(r[i] >> 32);
    }
    return k;
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

/* u1 = e / s and u2 = r / s mod n (0 < s < n): with w = s^-1 2^k from sc_almost_inv_var, each
 * is two Montgomery products, by w and then by 2^(512 - k) mod n. Returns 0 only if k were out
 * of its proven range. */
static int sc_div2(uint32_t u1[8], uint32_t u2[8], const uint32_t e[8], const uint32_t r[8],
                   const uint32_t s[8])
{
    uint32_t w[8], c[8] = {0}, t[8];
    int j = 512 - sc_almost_inv_var(w, s);
    if (j < 0 || j > 256) {
        return 0;
    }
    if (j < 256) {
        c[j >> 5] = 1u << (j & 31);
    } else { /* 2^256 mod n = 2^256 - n */
        words_sub(c, c, P256_N);
    }
    sc_mont_mul(t, e, w);
    sc_mont_mul(u1, t, c);
    sc_mont_mul(t, r, w);
    sc_mont_mul(u2, t, c);
    return 1;
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

/* a table entry: a finite Jacobian point with Z^2 and Z^3 kept */
typedef struct {
    fe x, y, z, zz, zzz;
} gejc;

/* r = 2a (r may be a): dbl-2001-b (Bernstein and Lange, Explicit-Formulas Database) for
 * a = -3 with Z3 = 2YZ: 4M + 4S */
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
    fe_lin(&t1, &a->x, 3, &delta, -3);
    fe_add_lazy(&t2, &a->x, &delta);
    fe_mul(&alpha, &t1, &t2); /* alpha = 3 (X - delta)(X + delta) */
    fe_add_lazy(&t1, &a->y, &a->y);
    fe_mul(&r->z, &t1, &a->z); /* Z3 = 2 Y Z */
    fe_sqr(&t1, &alpha);
    fe_lin(&r->x, &t1, 1, &beta, -8); /* X3 = alpha^2 - 8 beta */
    fe_lin(&t2, &beta, 4, &r->x, -1);
    fe_mul(&t2, &alpha, &t2);
    fe_sqr(&gamma, &gamma);
    fe_lin(&r->y, &t2, 1, &gamma, -8); /* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
    r->inf = 0;
}

/* The end of an addition whose inputs have the same affine x: 2a if they are equal (h and r
 * zero, same y), else infinity. Returns 1 if it was that case. */
static int gej_add_special(gej *r, const gej *a, const fe *h, const fe *rr)
{
    if (!fe_is_zero(h)) {
        return 0;
    }
    if (fe_is_zero(rr)) {
        gej_double(r, a);
    } else {
        r->inf = 1;
    }
    return 1;
}

/* r = a + b (r may be a) from U1 = X1 Z2^2, S1 = Y1 Z2^3, U2 = X2 Z1^2, S2 = +-Y2 Z1^3 and
 * Z1 Z2: H = U2 - U1, R = S2 - S1, X3 = R^2 - H^3 - 2 U1 H^2, Y3 = R (U1 H^2 - X3) - S1 H^3,
 * Z3 = Z1 Z2 H (add-1998-cmo-2, Explicit-Formulas Database) */
static void gej_add_finish(gej *r, const gej *a, const fe *u1, const fe *s1, const fe *u2,
                           const fe *s2, int neg, const fe *z1z2)
{
    fe h, rr, hh, hhh, v, t;
    fe_sub(&h, u2, u1);
    fe_lin(&rr, s2, neg ? -1 : 1, s1, -1);
    if (gej_add_special(r, a, &h, &rr)) {
        return;
    }
    fe_sqr(&hh, &h);
    fe_mul(&hhh, &hh, &h);
    fe_mul(&v, u1, &hh);
    fe_mul(&r->z, z1z2, &h);
    fe_sqr(&t, &rr);
    fe_lin3(&r->x, &t, 1, &hhh, -1, &v, -2);
    fe_sub(&v, &v, &r->x);
    fe_mul(&v, &rr, &v);
    fe_mul(&t, s1, &hhh);
    fe_sub(&r->y, &v, &t);
    r->inf = 0;
}

/* r = a + b for affine b, negated if neg (r may be a): 8M + 3S */
static void gej_add_ge(gej *r, const gej *a, const ge *b, int neg)
{
    fe z1z1, u2, s2, x1, y1, z1;
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
    x1 = a->x, y1 = a->y, z1 = a->z;
    fe_sqr(&z1z1, &z1);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s2, &z1, &z1z1);
    fe_mul(&s2, &b->y, &s2);
    gej_add_finish(r, a, &x1, &y1, &u2, &s2, neg, &z1);
}

/* r = a + b for a table entry b, negated if neg (r may be a): 11M + 2S */
static void gej_add(gej *r, const gej *a, const gejc *b, int neg)
{
    fe z1z1, u1, u2, s1, s2, z1z2;
    if (a->inf) {
        r->x = b->x;
        r->y = b->y;
        r->z = b->z;
        if (neg) {
            fe_sub(&r->y, &FE_ZERO, &b->y);
        }
        r->inf = 0;
        return;
    }
    fe_sqr(&z1z1, &a->z);
    fe_mul(&u1, &a->x, &b->zz);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s1, &a->y, &b->zzz);
    fe_mul(&s2, &a->z, &z1z1);
    fe_mul(&s2, &b->y, &s2);
    fe_mul(&z1z2, &a->z, &b->z);
    gej_add_finish(r, a, &u1, &s1, &u2, &s2, neg, &z1z2);
}

/* the table entry for a finite point */
static void gejc_set(gejc *r, const gej *a)
{
    r->x = a->x, r->y = a->y, r->z = a->z;
    fe_sqr(&r->zz, &a->z);
    fe_mul(&r->zzz, &r->zz, &a->z);
}

/* ---- public key ---- */

/* Loads x || y into q; 1 if both are below p and y^2 = x^3 - 3x + b. */
static int load_pub(ge *q, const unsigned char pub[64])
{
    uint32_t x[8], y[8];
    fe lhs, rhs;
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
    fe_lin3(&rhs, &rhs, 1, &q->x, -3, &FE_B, 1);
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
    uint32_t r[8], s[8], e[8], u1[8], u2[8], rn[8];
    signed char d1[257], d2[257];
    ge q;
    gejc qt[1 << (Q_WINDOW - 2)], q2c;
    gej q2, acc;
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
    if (!sc_div2(u1, u2, e, r, s)) {
        return 0;
    }
    n1 = wnaf(d1, u1, P256_G_WINDOW);
    n2 = wnaf(d2, u2, Q_WINDOW);

    /* qt[i] = (2i + 1) Q; none is infinity (Q has prime order n) */
    acc.x = q.x, acc.y = q.y, acc.z = FE_ONE, acc.inf = 0;
    gejc_set(&qt[0], &acc);
    gej_double(&q2, &acc);
    gejc_set(&q2c, &q2);
    for (int i = 1; i < (1 << (Q_WINDOW - 2)); i++) {
        gej_add(&acc, &acc, &q2c, 0);
        gejc_set(&qt[i], &acc);
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
