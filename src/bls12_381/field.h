/*
 * Internal to src/bls12_381: Montgomery arithmetic for Fp (6 limbs; additions inline, the
 * multiplication in fp.c) and Fr (4 limbs), the linear Fp2 operations inline, plus the
 * declarations of the rest of the Fp2/Fp6/Fp12 tower and the point helpers
 * shared by the module's files. Everything here is constant-time unless its name ends in
 * _var. Never include this outside src/bls12_381.
 */
#ifndef TK_BLS_FIELD_H
#define TK_BLS_FIELD_H

#include <stdint.h>
#include <string.h>

#include "teekeys/bls12_381.h"

typedef unsigned __int128 u128;
typedef tk_bls_fp fp;
typedef tk_bls_fp2 fp2;
typedef tk_bls_fp6 fp6;
typedef tk_bls_gt fp12;

extern const fp bls_fp_one, bls_fp_zero;
extern const fp2 bls_fp2_one, bls_fp2_zero;
extern const uint64_t bls_p[6];

/* ---- generic Montgomery helpers (n <= 6 limbs) ---- */

/* All-ones if x != 0, else 0. */
static inline uint64_t ct_nonzero_mask(uint64_t x)
{
    return (uint64_t)0 - ((x | ((uint64_t)0 - x)) >> 63);
}

/* r = a*b*2^(-64n) mod m (CIOS). Inputs < m, output < m. */
static inline void mont_mul_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                              uint64_t minv, int n)
{
    uint64_t t[8] = {0};
    for (int i = 0; i < n; i++) {
        u128 c = 0;
        for (int j = 0; j < n; j++) {
            c = (u128)a[j] * b[i] + t[j] + (uint64_t)(c >> 64);
            t[j] = (uint64_t)c;
        }
        c = (u128)t[n] + (uint64_t)(c >> 64);
        t[n] = (uint64_t)c;
        t[n + 1] = (uint64_t)(c >> 64);
        uint64_t q = t[0] * minv;
        c = (u128)q * m[0] + t[0];
        for (int j = 1; j < n; j++) {
            c = (u128)q * m[j] + t[j] + (uint64_t)(c >> 64);
            t[j - 1] = (uint64_t)c;
        }
        c = (u128)t[n] + (uint64_t)(c >> 64);
        t[n - 1] = (uint64_t)c;
        t[n] = t[n + 1] + (uint64_t)(c >> 64);
    }
    /* conditional subtraction of m */
    uint64_t s[6], borrow = 0;
    for (int j = 0; j < n; j++) {
        u128 d = (u128)t[j] - m[j] - borrow;
        s[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* keep t if (t[n]:t) < m, i.e. borrow out of the subtraction and t[n] == 0 */
    uint64_t keep = (uint64_t)0 - (borrow & (uint64_t)(t[n] == 0));
    for (int j = 0; j < n; j++) {
        r[j] = (t[j] & keep) | (s[j] & ~keep);
    }
}

static inline void mod_add_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                             int n)
{
    uint64_t t[6], s[6], carry = 0, borrow = 0;
    for (int j = 0; j < n; j++) {
        u128 c = (u128)a[j] + b[j] + carry;
        t[j] = (uint64_t)c;
        carry = (uint64_t)(c >> 64);
    }
    for (int j = 0; j < n; j++) {
        u128 d = (u128)t[j] - m[j] - borrow;
        s[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = (uint64_t)0 - (borrow & (carry ^ 1));
    for (int j = 0; j < n; j++) {
        r[j] = (t[j] & keep) | (s[j] & ~keep);
    }
}

static inline void mod_sub_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                             int n)
{
    uint64_t t[6], borrow = 0, carry = 0;
    for (int j = 0; j < n; j++) {
        u128 d = (u128)a[j] - b[j] - borrow;
        t[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow;
    for (int j = 0; j < n; j++) {
        u128 c = (u128)t[j] + (m[j] & mask) + carry;
        r[j] = (uint64_t)c;
        carry = (uint64_t)(c >> 64);
    }
}

/* ---- Fp ---- */

#define BLS_P_INV_VAL 0x89f3fffcfffcfffdULL
/* the limbs of p, as immediates for the unrolled code (constants.h has the same values) */
#define BLS_P0 0xb9feffffffffaaabULL
#define BLS_P1 0x1eabfffeb153ffffULL
#define BLS_P2 0x6730d2a0f6b0f624ULL
#define BLS_P3 0x64774b84f38512bfULL
#define BLS_P4 0x4b1ba7b6434bacd7ULL
#define BLS_P5 0x1a0111ea397fe69aULL

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* x86-64: explicit add-with-carry chains (compilers turn u128 carries into slow setc/movzx
 * sequences). p < 2^381, so a + b < 2p never carries out of six limbs. */
#include <x86intrin.h>
#define BLS_ADX 1
typedef unsigned long long bls_ull;
static inline void fp_add(fp *r, const fp *a, const fp *b)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    bls_ull t[6], s[6];
    unsigned char c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _addcarry_u64(c, a->v[j], b->v[j], &t[j]);
    }
    c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _subborrow_u64(c, t[j], pl[j], &s[j]);
    }
    uint64_t keep = (uint64_t)0 - (uint64_t)c; /* borrow: a + b < p */
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        r->v[j] = (t[j] & keep) | (s[j] & ~keep);
    }
}
static inline void fp_sub(fp *r, const fp *a, const fp *b)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    bls_ull t[6];
    unsigned char c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _subborrow_u64(c, a->v[j], b->v[j], &t[j]);
    }
    uint64_t mask = (uint64_t)0 - (uint64_t)c;
    c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _addcarry_u64(c, t[j], pl[j] & mask, &t[j]);
        r->v[j] = t[j];
    }
}
#else
static inline void fp_add(fp *r, const fp *a, const fp *b)
{
    mod_add_n(r->v, a->v, b->v, bls_p, 6);
}
static inline void fp_sub(fp *r, const fp *a, const fp *b)
{
    mod_sub_n(r->v, a->v, b->v, bls_p, 6);
}
#endif
/* r = a + b without reduction (< 2p for reduced inputs): only for a multiplication's input
 * (bls_fp_mul / bls_fp_mul_wide accept values below 2p), never for fp_add or fp_sub. */
static inline void fp_add_nr(fp *r, const fp *a, const fp *b)
{
#ifdef BLS_ADX
    unsigned char c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _addcarry_u64(c, a->v[j], b->v[j], (bls_ull *)&r->v[j]);
    }
#else
    uint64_t c = 0;
    for (int j = 0; j < 6; j++) {
        u128 s = (u128)a->v[j] + b->v[j] + c;
        r->v[j] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
#endif
}
/* r = a - b without reduction, for a >= b as integers (such as a + p - b). */
static inline void fp_sub_nr(fp *r, const fp *a, const fp *b)
{
#ifdef BLS_ADX
    unsigned char c = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        c = _subborrow_u64(c, a->v[j], b->v[j], (bls_ull *)&r->v[j]);
    }
#else
    uint64_t borrow = 0;
    for (int j = 0; j < 6; j++) {
        u128 d = (u128)a->v[j] - b->v[j] - borrow;
        r->v[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
#endif
}
static inline void fp_dbl(fp *r, const fp *a)
{
    fp_add(r, a, a);
}
static inline void fp_neg(fp *r, const fp *a)
{
    fp_sub(r, &bls_fp_zero, a);
}
/* fp.c: 6-limb Montgomery multiplication and squaring (r may alias a or b). The inputs may be
 * unreduced sums below 2p (a b < 4 p^2 < p 2^384): the output is always fully reduced. On
 * x86-64 CPUs with BMI2 and ADX they run MULX/ADCX/ADOX assembly, elsewhere portable C. */
void bls_fp_mul(fp *r, const fp *a, const fp *b);
void bls_fp_sqr(fp *r, const fp *a);
/* Lazy reduction: r = a b as a 12-limb integer (r must not overlap a or b), and the Montgomery
 * reduction r = t 2^-384 mod p of any t < p 2^384 (fully reduced output). */
void bls_fp_mul_wide(uint64_t r[12], const fp *a, const fp *b);
void bls_fp_redc(fp *r, const uint64_t t[12]);
/* 1 when the MULX/ADX code runs (set at load time from CPUID; tests set it to 0 to cover the
 * C code as well); bls_fp_have_adx() tells whether the CPU has the instructions. */
extern int bls_fp_use_adx;
int bls_fp_have_adx(void);
static inline void fp_mul(fp *r, const fp *a, const fp *b)
{
    bls_fp_mul(r, a, b);
}
static inline void fp_sqr(fp *r, const fp *a)
{
    bls_fp_sqr(r, a);
}
/* Returns 1 if a == 0. */
static inline int fp_is_zero(const fp *a)
{
    uint64_t acc = 0;
    for (int i = 0; i < 6; i++) {
        acc |= a->v[i];
    }
    return (int)(1 & ~(ct_nonzero_mask(acc)));
}
static inline int fp_eq(const fp *a, const fp *b)
{
    uint64_t acc = 0;
    for (int i = 0; i < 6; i++) {
        acc |= a->v[i] ^ b->v[i];
    }
    return (int)(1 & ~(ct_nonzero_mask(acc)));
}
/* r = flag ? a : r, flag in {0, 1}, constant-time. */
static inline void fp_cmov(fp *r, const fp *a, uint64_t flag)
{
    uint64_t mask = (uint64_t)0 - flag;
    for (int i = 0; i < 6; i++) {
        r->v[i] ^= mask & (r->v[i] ^ a->v[i]);
    }
}

/* fp.c */
void bls_fp_from_u64(fp *r, uint64_t v);
/* Decodes 48 big-endian bytes; returns 1 if the value is < p (r is then set), else 0. */
int bls_fp_from_bytes(fp *r, const unsigned char in[48]);
void bls_fp_to_bytes(unsigned char out[48], const fp *a);
void bls_fp_from_mont(uint64_t out[6], const fp *a);
void bls_fp_pow(fp *r, const fp *a, const uint64_t e[6]);
void bls_fp_inv(fp *r, const fp *a);
/* r = sqrt(a) when a is a square (returns 1), else returns 0 (r is then garbage). */
int bls_fp_sqrt(fp *r, const fp *a);
int bls_fp_is_square(const fp *a);
/* RFC 9380 sgn0: parity of the canonical value. */
int bls_fp_sgn0(const fp *a);
/* ZCash sign: 1 if the canonical value is > (p-1)/2. */
int bls_fp_lex_largest(const fp *a);
/* Reduces 64 big-endian bytes modulo p (hash_to_field). */
void bls_fp_from_wide(fp *r, const unsigned char in[64]);

/* ---- Fp2 = Fp[u]/(u^2+1) ---- */
/* linear operations, inline (they cost less than a call) */
static inline void bls_fp2_add(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}
static inline void bls_fp2_sub(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}
static inline void bls_fp2_dbl(fp2 *r, const fp2 *a)
{
    fp_dbl(&r->c0, &a->c0);
    fp_dbl(&r->c1, &a->c1);
}
static inline void bls_fp2_neg(fp2 *r, const fp2 *a)
{
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}
static inline void bls_fp2_conj(fp2 *r, const fp2 *a)
{
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}
void bls_fp2_mul(fp2 *r, const fp2 *a, const fp2 *b);
void bls_fp2_sqr(fp2 *r, const fp2 *a);
void bls_fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b);
/* times xi = 1 + u */
static inline void bls_fp2_mul_xi(fp2 *r, const fp2 *a)
{
    fp t0, t1;
    fp_sub(&t0, &a->c0, &a->c1);
    fp_add(&t1, &a->c0, &a->c1);
    r->c0 = t0;
    r->c1 = t1;
}
void bls_fp2_inv(fp2 *r, const fp2 *a);
int bls_fp2_is_zero(const fp2 *a);
int bls_fp2_eq(const fp2 *a, const fp2 *b);
void bls_fp2_cmov(fp2 *r, const fp2 *a, uint64_t flag);
int bls_fp2_sqrt_var(fp2 *r, const fp2 *a);
/* The second half of bls_fp2_sqrt_var for a with a1 != 0, given l with l^2 = a0^2 + a1^2 (either
 * root): one exponentiation instead of two. Returns 0 if a is not a square (r untouched). */
int bls_fp2_sqrt_norm_root_var(fp2 *r, const fp2 *a, const fp *l);
int bls_fp2_lex_largest(const fp2 *a);
/* times b3' = 3 * 4 * (1 + u), the G2 curve constant used by the complete formulas */
void bls_fp2_mul_b3(fp2 *r, const fp2 *a);

/* ---- Fp6 = Fp2[v]/(v^3 - xi), Fp12 = Fp6[w]/(w^2 - v) ---- */
void bls_fp6_add(fp6 *r, const fp6 *a, const fp6 *b);
void bls_fp6_sub(fp6 *r, const fp6 *a, const fp6 *b);
void bls_fp6_neg(fp6 *r, const fp6 *a);
void bls_fp6_mul(fp6 *r, const fp6 *a, const fp6 *b);
void bls_fp6_sqr(fp6 *r, const fp6 *a);
void bls_fp6_mul_v(fp6 *r, const fp6 *a);
void bls_fp6_inv(fp6 *r, const fp6 *a);

void bls_fp12_one(fp12 *r);
void bls_fp12_mul(fp12 *r, const fp12 *a, const fp12 *b);
void bls_fp12_sqr(fp12 *r, const fp12 *a);
void bls_fp12_cyclo_sqr(fp12 *r, const fp12 *a);
void bls_fp12_conj(fp12 *r, const fp12 *a);
void bls_fp12_inv(fp12 *r, const fp12 *a);
void bls_fp12_frob(fp12 *r, const fp12 *a);
/* r = a * (o0 + o1 v + o4 v w), the sparse shape of a Miller-loop line. */
void bls_fp12_mul_014(fp12 *r, const fp12 *a, const fp2 *o0, const fp2 *o1, const fp2 *o4);
int bls_fp12_eq(const fp12 *a, const fp12 *b);
int bls_fp12_is_one(const fp12 *a);

/* ---- scalars (fr.c) ---- */
/* The base-X digits of k for X = |x| = 0xd201000000010000: k = d0 + d1 X + d2 X^2 + d3 X^3 with
 * every d_i < X < 2^64 (k < r < X^4). Constant-time: the GLV/GLS decompositions of g1.c and
 * g2.c, since X acts on G2 as -psi and X^2 on G1 as -phi. */
void bls_scalar_digits_x(uint64_t d[4], const tk_bls_scalar *k);

/* ---- points (g1.c, g2.c) ---- */
void bls_g1_to_affine(fp *x, fp *y, const tk_bls_g1 *p);
void bls_g2_to_affine(fp2 *x, fp2 *y, const tk_bls_g2 *p);
void bls_g1_mul_u64_var(tk_bls_g1 *r, const tk_bls_g1 *p, uint64_t k);
void bls_g2_psi(tk_bls_g2 *r, const tk_bls_g2 *p);
void bls_g2_psi2(tk_bls_g2 *r, const tk_bls_g2 *p);
void bls_g2_mul_u64_var(tk_bls_g2 *r, const tk_bls_g2 *p, uint64_t k);

/* ---- RFC 9380 map_to_curve steps for G2 (hash_to_g2.c), variable-time ---- */
/* Simplified SWU onto the 3-isogenous curve E2' (section 6.6.2). */
void bls_g2_map_sswu(fp2 *x, fp2 *y, const fp2 *u);
/* The 3-isogeny E2' -> E2 (appendix E.3), to projective coordinates. */
void bls_g2_iso_map(tk_bls_g2 *r, const fp2 *x, const fp2 *y);
/* h_eff * P with the psi endomorphism (appendix G.3). */
void bls_g2_clear_cofactor(tk_bls_g2 *out, const tk_bls_g2 *p);

#endif
