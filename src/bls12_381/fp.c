/*
 * The base field Fp of BLS12-381: the 6-limb Montgomery multiplication (MULX/ADX assembly on
 * x86-64 CPUs that have them, chosen at load time; else unrolled CIOS in C, on x86-64 with GCC
 * through add-with-carry intrinsics), the double-width product and separate reduction used for
 * lazy reduction, conversions to and from bytes, exponentiation (sliding windows over public
 * exponents), inversion (Fermat), square roots (p = 3 mod 4) and the two sign conventions (RFC 9380
 * sgn0, ZCash "lexicographically largest"). Constant-time in the field elements; exponents are
 * public constants. Must never branch on or index by a field element's value.
 */
#include "constants.h"
#include "field.h"

const uint64_t bls_p[6] = BLS_P_LIMBS;
const fp bls_fp_one = BLS_FP_ONE;
const fp bls_fp_zero = {{0, 0, 0, 0, 0, 0}};
static const fp fp_r2 = BLS_FP_R2;
static const fp fp_2_256 = BLS_FP_2_256;
static const uint64_t p_minus_2[6] = BLS_P_MINUS_2;
static const uint64_t p_plus_1_div_4[6] = BLS_P_PLUS_1_DIV_4;
static const uint64_t p_minus_1_div_2[6] = BLS_P_MINUS_1_DIV_2;

/* r = t - p if t >= p, else t (t < 2p), constant-time. */
static inline void fp_reduce_once(fp *r, const uint64_t t[6])
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    uint64_t s[6], borrow = 0;
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        u128 d = (u128)t[j] - pl[j] - borrow;
        s[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = (uint64_t)0 - borrow; /* borrow: t < p, keep t */
#pragma GCC unroll 6
    for (int j = 0; j < 6; j++) {
        r->v[j] = (t[j] & keep) | (s[j] & ~keep);
    }
}

#if defined(BLS_ADX) && !defined(__clang__)
/* GCC on x86-64: each CIOS row as 12 full products and four add-with-carry chains (GCC
 * compiles u128 accumulations into long setc/movzx sequences; this form is ~25% faster). */
#define MUL_ROW(x, bi)                                                                             \
    do {                                                                                           \
        uint64_t lo[6], hi[6], m;                                                                  \
        unsigned char c;                                                                           \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            u128 pr = (u128)(x)[j] * (bi);                                                         \
            lo[j] = (uint64_t)pr;                                                                  \
            hi[j] = (uint64_t)(pr >> 64);                                                          \
        }                                                                                          \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j], lo[j], &t[j]);                                              \
        }                                                                                          \
        (void)_addcarry_u64(c, t[6], 0, &t[6]);                                                    \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j + 1], hi[j], &t[j + 1]);                                      \
        }                                                                                          \
        m = t[0] * BLS_P_INV_VAL;                                                                  \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            u128 pr = (u128)m * pl[j];                                                             \
            lo[j] = (uint64_t)pr;                                                                  \
            hi[j] = (uint64_t)(pr >> 64);                                                          \
        }                                                                                          \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j], lo[j], &t[j]);                                              \
        }                                                                                          \
        (void)_addcarry_u64(c, t[6], 0, &t[6]);                                                    \
        c = 0;                                                                                     \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            c = _addcarry_u64(c, t[j + 1], hi[j], &t[j + 1]);                                      \
        }                                                                                          \
        _Pragma("GCC unroll 6") for (int j = 0; j < 6; j++)                                        \
        {                                                                                          \
            t[j] = t[j + 1];                                                                       \
        }                                                                                          \
        t[6] = 0;                                                                                  \
    } while (0)

/* The running value stays below 2p + 2p 2^64 < 2^447: seven limbs, no carry out of t[6]. */
static void fp_mul_port(fp *r, const fp *a, const fp *b)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    bls_ull t[7] = {0};
    const uint64_t x[6] = {a->v[0], a->v[1], a->v[2], a->v[3], a->v[4], a->v[5]};
    const uint64_t y[6] = {b->v[0], b->v[1], b->v[2], b->v[3], b->v[4], b->v[5]};
    MUL_ROW(x, y[0]);
    MUL_ROW(x, y[1]);
    MUL_ROW(x, y[2]);
    MUL_ROW(x, y[3]);
    MUL_ROW(x, y[4]);
    MUL_ROW(x, y[5]);
    fp_reduce_once(r, (const uint64_t *)t);
}

static void fp_sqr_port(fp *r, const fp *a)
{
    fp_mul_port(r, a, a);
}
#else
/* One CIOS step of the row b_i: t = (t + a b_i + m p) / 2^64. The top limb of p is below
 * 2^61, so the running value stays below 2p and needs no seventh limb ("no-carry" CIOS). */
#define MUL_ROW(bi)                                                                                \
    do {                                                                                           \
        u128 A, C;                                                                                 \
        uint64_t m;                                                                                \
        A = (u128)a0 * (bi) + t0;                                                                  \
        t0 = (uint64_t)A;                                                                          \
        m = t0 * BLS_P_INV_VAL;                                                                    \
        C = (u128)m * BLS_P0 + t0;                                                                 \
        A = (u128)a1 * (bi) + t1 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P1 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t0 = (uint64_t)C;                                                                          \
        A = (u128)a2 * (bi) + t2 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P2 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t1 = (uint64_t)C;                                                                          \
        A = (u128)a3 * (bi) + t3 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P3 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t2 = (uint64_t)C;                                                                          \
        A = (u128)a4 * (bi) + t4 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P4 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t3 = (uint64_t)C;                                                                          \
        A = (u128)a5 * (bi) + t5 + (uint64_t)(A >> 64);                                            \
        C = (u128)m * BLS_P5 + (uint64_t)A + (uint64_t)(C >> 64);                                  \
        t4 = (uint64_t)C;                                                                          \
        t5 = (uint64_t)(C >> 64) + (uint64_t)(A >> 64);                                            \
    } while (0)

static void fp_mul_port(fp *r, const fp *a, const fp *b)
{
    const uint64_t a0 = a->v[0], a1 = a->v[1], a2 = a->v[2], a3 = a->v[3], a4 = a->v[4],
                   a5 = a->v[5];
    const uint64_t b0 = b->v[0], b1 = b->v[1], b2 = b->v[2], b3 = b->v[3], b4 = b->v[4],
                   b5 = b->v[5];
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
    MUL_ROW(b0);
    MUL_ROW(b1);
    MUL_ROW(b2);
    MUL_ROW(b3);
    MUL_ROW(b4);
    MUL_ROW(b5);
    const uint64_t t[6] = {t0, t1, t2, t3, t4, t5};
    fp_reduce_once(r, t);
}

/* Squaring: the 12-limb square (off-diagonal products once, doubled), then a separate
 * Montgomery reduction (SOS), 21 + 36 products instead of 72. */
static void fp_sqr_port(fp *r, const fp *a)
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    uint64_t w[12] = {0}, c, hi;
    const uint64_t *x = a->v;
    for (int i = 0; i < 5; i++) {
        c = 0;
        for (int j = i + 1; j < 6; j++) {
            u128 acc = (u128)x[i] * x[j] + w[i + j] + c;
            w[i + j] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        w[i + 6] = c;
    }
    hi = 0;
    for (int k = 0; k < 12; k++) { /* double the off-diagonal sum */
        uint64_t v = w[k];
        w[k] = (v << 1) | hi;
        hi = v >> 63;
    }
    c = 0;
    for (int i = 0; i < 6; i++) { /* add the squares x[i]^2 at position 2i */
        u128 sq = (u128)x[i] * x[i];
        u128 acc = (u128)w[2 * i] + (uint64_t)sq + c;
        w[2 * i] = (uint64_t)acc;
        acc = (u128)w[2 * i + 1] + (uint64_t)(sq >> 64) + (uint64_t)(acc >> 64);
        w[2 * i + 1] = (uint64_t)acc;
        c = (uint64_t)(acc >> 64);
    }
    /* Montgomery reduction of w (< p^2 < p 2^384): six rounds of w += m p 2^(64 i) */
    hi = 0;
    for (int i = 0; i < 6; i++) {
        uint64_t m = w[i] * BLS_P_INV_VAL;
        c = 0;
        for (int j = 0; j < 6; j++) {
            u128 acc = (u128)m * pl[j] + w[i + j] + c;
            w[i + j] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        u128 acc = (u128)w[i + 6] + c + hi;
        w[i + 6] = (uint64_t)acc;
        hi = (uint64_t)(acc >> 64);
    }
    fp_reduce_once(r, w + 6); /* hi == 0: the result is below 2p < 2^384 */
}
#endif

/* ---- double-width products and separate reduction (lazy reduction, see fp2.c) ---- */

/* r = a b, the full 12-limb product (a, b < 2^384). */
static void fp_mul_wide_port(uint64_t r[12], const fp *a, const fp *b)
{
    uint64_t w[12] = {0};
    for (int i = 0; i < 6; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 6; j++) {
            u128 acc = (u128)a->v[j] * b->v[i] + w[i + j] + c;
            w[i + j] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        w[i + 6] = c;
    }
    memcpy(r, w, sizeof w);
}

/* r = t 2^-384 mod p for t < p 2^384 (Montgomery reduction of the low half, six rows of
 * w = (w + m p) / 2^64, gives u <= p; u + t_hi < 2p, then one conditional subtraction). */
static void fp_redc_port(fp *r, const uint64_t t[12])
{
    const uint64_t pl[6] = {BLS_P0, BLS_P1, BLS_P2, BLS_P3, BLS_P4, BLS_P5};
    uint64_t w[6] = {t[0], t[1], t[2], t[3], t[4], t[5]}, c;
    for (int i = 0; i < 6; i++) {
        uint64_t m = w[0] * BLS_P_INV_VAL;
        u128 acc = (u128)m * pl[0] + w[0];
        c = (uint64_t)(acc >> 64);
        for (int j = 1; j < 6; j++) {
            acc = (u128)m * pl[j] + w[j] + c;
            w[j - 1] = (uint64_t)acc;
            c = (uint64_t)(acc >> 64);
        }
        w[5] = c;
    }
    c = 0;
    for (int j = 0; j < 6; j++) {
        u128 acc = (u128)w[j] + t[6 + j] + c;
        w[j] = (uint64_t)acc;
        c = (uint64_t)(acc >> 64);
    }
    fp_reduce_once(r, w);
}

/* gcc only: clang with AddressSanitizer (frame pointer kept) runs out of registers for these
 * blocks, and clang's own code for the C path is as fast (the sanitizer and fuzz builds,
 * which use clang, test the C path; the release build, gcc, tests this one). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/*
 * x86-64 with BMI2 and ADX (Intel since Broadwell, AMD since Zen; every TDX host has them):
 * Montgomery arithmetic in inline assembly with MULX (products without touching the flags) and
 * two independent carry chains, ADCX (CF) and ADOX (OF), as described in Intel's white paper
 * "New Instructions Supporting Large Integer Arithmetic on Intel Architecture Processors"
 * (Gopal et al., 2012). Every routine is straight-line code: no branch, no memory index, so
 * it is constant-time like the C code it replaces. The C code stays the fallback, chosen at
 * load time from CPUID (valgrind hides ADX, so ctime_bls checks the C path; the tests compare
 * both paths on the same inputs).
 */
#include <cpuid.h>

/* One row of the schoolbook product: (W0..W5, 0) += a b[i] 2^(64 i). Products a_j b_i go low
 * half into the OF chain (limb j), high half into the CF chain (limb j + 1). W0 is final after
 * its ADOX: it is stored to r[i] and its register becomes the new top limb. */
#define BLS_MULX_ROW(I8, W0, W1, W2, W3, W4, W5)                                                   \
    "movq " #I8 "(%[b]), %%rdx\n\t"                                                                \
    "xorl %%eax, %%eax\n\t"                                                                        \
    "mulxq 0(%[a]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #W0 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W1 "\n\t"                                                                   \
    "movq %%" #W0 ", " #I8 "(%[r])\n\t"                                                            \
    "movl $0, %%" #W0 "d\n\t"                                                                      \
    "mulxq 8(%[a]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #W1 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W2 "\n\t"                                                                   \
    "mulxq 16(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W2 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W3 "\n\t"                                                                   \
    "mulxq 24(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W3 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W4 "\n\t"                                                                   \
    "mulxq 32(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W4 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W5 "\n\t"                                                                   \
    "mulxq 40(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W5 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W0 "\n\t"                                                                   \
    "movl $0, %%eax\n\t"                                                                           \
    "adoxq %%rax, %%" #W0 "\n\t"

/* r = a b (12 limbs). */
static void fp_mul_wide_adx(uint64_t r[12], const fp *a, const fp *b)
{
    /* clang-format off */
    __asm__("movq 0(%[b]), %%rdx\n\t"
            "mulxq 0(%[a]), %%rax, %%r8\n\t"
            "movq %%rax, 0(%[r])\n\t"
            "mulxq 8(%[a]), %%rax, %%r9\n\t"
            "addq %%rax, %%r8\n\t"
            "mulxq 16(%[a]), %%rax, %%r10\n\t"
            "adcq %%rax, %%r9\n\t"
            "mulxq 24(%[a]), %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "mulxq 32(%[a]), %%rax, %%r12\n\t"
            "adcq %%rax, %%r11\n\t"
            "mulxq 40(%[a]), %%rax, %%r13\n\t"
            "adcq %%rax, %%r12\n\t"
            "adcq $0, %%r13\n\t" /* the window r8..r13 holds limbs 1..6 */
            BLS_MULX_ROW(8, r8, r9, r10, r11, r12, r13)
            BLS_MULX_ROW(16, r9, r10, r11, r12, r13, r8)
            BLS_MULX_ROW(24, r10, r11, r12, r13, r8, r9)
            BLS_MULX_ROW(32, r11, r12, r13, r8, r9, r10)
            BLS_MULX_ROW(40, r12, r13, r8, r9, r10, r11)
            "movq %%r13, 48(%[r])\n\t"
            "movq %%r8, 56(%[r])\n\t"
            "movq %%r9, 64(%[r])\n\t"
            "movq %%r10, 72(%[r])\n\t"
            "movq %%r11, 80(%[r])\n\t"
            "movq %%r12, 88(%[r])\n\t"
            : "=m"(*(uint64_t(*)[12])r)
            : [r] "r"(r), [a] "r"(a->v), [b] "r"(b->v), "m"(*(const uint64_t(*)[6])a->v),
              "m"(*(const uint64_t(*)[6])b->v)
            : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "cc");
    /* clang-format on */
}

/* One Montgomery reduction row: m = W0 (-p^-1) mod 2^64, (W0..W5, 0) += m p, after which W0
 * is zero and its register becomes the new top limb (the window moves up one limb). */
#define BLS_REDC_ROW(W0, W1, W2, W3, W4, W5)                                                       \
    "movq %%" #W0 ", %%rdx\n\t"                                                                    \
    "imulq %[pinv], %%rdx\n\t"                                                                     \
    "xorl %%eax, %%eax\n\t"                                                                        \
    "mulxq 0(%[p]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #W0 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W1 "\n\t"                                                                   \
    "movl $0, %%" #W0 "d\n\t"                                                                      \
    "mulxq 8(%[p]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #W1 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W2 "\n\t"                                                                   \
    "mulxq 16(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W2 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W3 "\n\t"                                                                   \
    "mulxq 24(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W3 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W4 "\n\t"                                                                   \
    "mulxq 32(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W4 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W5 "\n\t"                                                                   \
    "mulxq 40(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #W5 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #W0 "\n\t"                                                                   \
    "movl $0, %%eax\n\t"                                                                           \
    "adoxq %%rax, %%" #W0 "\n\t"

/* r = t 2^-384 mod p for t < p 2^384, as fp_redc_port; the final subtraction keeps the
 * unsubtracted value with CMOVC (borrow) instead of a mask. r may alias t. */
static void fp_redc_adx(fp *r, const uint64_t t[12])
{
    /* clang-format off */
    __asm__("movq 0(%[t]), %%r8\n\t"
            "movq 8(%[t]), %%r9\n\t"
            "movq 16(%[t]), %%r10\n\t"
            "movq 24(%[t]), %%r11\n\t"
            "movq 32(%[t]), %%r12\n\t"
            "movq 40(%[t]), %%r13\n\t"
            BLS_REDC_ROW(r8, r9, r10, r11, r12, r13)
            BLS_REDC_ROW(r9, r10, r11, r12, r13, r8)
            BLS_REDC_ROW(r10, r11, r12, r13, r8, r9)
            BLS_REDC_ROW(r11, r12, r13, r8, r9, r10)
            BLS_REDC_ROW(r12, r13, r8, r9, r10, r11)
            BLS_REDC_ROW(r13, r8, r9, r10, r11, r12)
            "addq 48(%[t]), %%r8\n\t" /* + the high half */
            "adcq 56(%[t]), %%r9\n\t"
            "adcq 64(%[t]), %%r10\n\t"
            "adcq 72(%[t]), %%r11\n\t"
            "adcq 80(%[t]), %%r12\n\t"
            "adcq 88(%[t]), %%r13\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "movq %%r12, 32(%[r])\n\t"
            "movq %%r13, 40(%[r])\n\t"
            "subq 0(%[p]), %%r8\n\t"
            "sbbq 8(%[p]), %%r9\n\t"
            "sbbq 16(%[p]), %%r10\n\t"
            "sbbq 24(%[p]), %%r11\n\t"
            "sbbq 32(%[p]), %%r12\n\t"
            "sbbq 40(%[p]), %%r13\n\t"
            "cmovcq 0(%[r]), %%r8\n\t"
            "cmovcq 8(%[r]), %%r9\n\t"
            "cmovcq 16(%[r]), %%r10\n\t"
            "cmovcq 24(%[r]), %%r11\n\t"
            "cmovcq 32(%[r]), %%r12\n\t"
            "cmovcq 40(%[r]), %%r13\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "movq %%r12, 32(%[r])\n\t"
            "movq %%r13, 40(%[r])\n\t"
            : "=m"(*(uint64_t(*)[6])r->v)
            : [r] "r"(r->v), [t] "r"(t), [p] "r"(bls_p), [pinv] "r"(BLS_P_INV_VAL),
              "m"(*(const uint64_t(*)[12])t), "m"(*(const uint64_t(*)[6])bls_p)
            : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "cc");
    /* clang-format on */
}

/* Product row of the interleaved (CIOS) multiplication: (V0..V5, V6) = (V0..V5) + a b[i],
 * V6 (the register freed by the last reduction row) is zeroed first, which also clears CF and
 * OF for the two carry chains. */
#define BLS_CIOS_MROW(I8, V0, V1, V2, V3, V4, V5, V6)                                              \
    "movq " #I8 "(%[b]), %%rdx\n\t"                                                                \
    "xorl %%" #V6 "d, %%" #V6 "d\n\t"                                                              \
    "mulxq 0(%[a]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #V0 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V1 "\n\t"                                                                   \
    "mulxq 8(%[a]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #V1 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V2 "\n\t"                                                                   \
    "mulxq 16(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V2 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V3 "\n\t"                                                                   \
    "mulxq 24(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V3 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V4 "\n\t"                                                                   \
    "mulxq 32(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V4 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V5 "\n\t"                                                                   \
    "mulxq 40(%[a]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V5 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V6 "\n\t"                                                                   \
    "movl $0, %%eax\n\t"                                                                           \
    "adoxq %%rax, %%" #V6 "\n\t"

/* Reduction row of CIOS: m = V0 (-p^-1), (V0..V6) += m p; V0 is then zero and dropped. */
#define BLS_CIOS_RROW(V0, V1, V2, V3, V4, V5, V6)                                                  \
    "movq %%" #V0 ", %%rdx\n\t"                                                                    \
    "imulq %[pinv], %%rdx\n\t"                                                                     \
    "xorl %%eax, %%eax\n\t"                                                                        \
    "mulxq 0(%[p]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #V0 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V1 "\n\t"                                                                   \
    "mulxq 8(%[p]), %%rax, %%rbx\n\t"                                                              \
    "adoxq %%rax, %%" #V1 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V2 "\n\t"                                                                   \
    "mulxq 16(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V2 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V3 "\n\t"                                                                   \
    "mulxq 24(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V3 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V4 "\n\t"                                                                   \
    "mulxq 32(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V4 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V5 "\n\t"                                                                   \
    "mulxq 40(%[p]), %%rax, %%rbx\n\t"                                                             \
    "adoxq %%rax, %%" #V5 "\n\t"                                                                   \
    "adcxq %%rbx, %%" #V6 "\n\t"                                                                   \
    "movl $0, %%eax\n\t"                                                                           \
    "adoxq %%rax, %%" #V6 "\n\t"

static const uint64_t fp_pinv_mem = BLS_P_INV_VAL;

/* r = a b 2^-384 mod p, product and reduction rows interleaved (CIOS, Koc, Acar, Kaliski,
 * "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro 1996): the running
 * value stays in seven registers. a, b < 2p; r may alias a or b (it is written last). */
static void fp_mul_adx(fp *r, const fp *a, const fp *b)
{
    /* clang-format off */
    __asm__("movq 0(%[b]), %%rdx\n\t"
            "mulxq 0(%[a]), %%r8, %%r9\n\t"
            "mulxq 8(%[a]), %%rax, %%r10\n\t"
            "addq %%rax, %%r9\n\t"
            "mulxq 16(%[a]), %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "mulxq 24(%[a]), %%rax, %%r12\n\t"
            "adcq %%rax, %%r11\n\t"
            "mulxq 32(%[a]), %%rax, %%r13\n\t"
            "adcq %%rax, %%r12\n\t"
            "mulxq 40(%[a]), %%rax, %%r14\n\t"
            "adcq %%rax, %%r13\n\t"
            "adcq $0, %%r14\n\t"
            BLS_CIOS_RROW(r8, r9, r10, r11, r12, r13, r14)
            BLS_CIOS_MROW(8, r9, r10, r11, r12, r13, r14, r8)
            BLS_CIOS_RROW(r9, r10, r11, r12, r13, r14, r8)
            BLS_CIOS_MROW(16, r10, r11, r12, r13, r14, r8, r9)
            BLS_CIOS_RROW(r10, r11, r12, r13, r14, r8, r9)
            BLS_CIOS_MROW(24, r11, r12, r13, r14, r8, r9, r10)
            BLS_CIOS_RROW(r11, r12, r13, r14, r8, r9, r10)
            BLS_CIOS_MROW(32, r12, r13, r14, r8, r9, r10, r11)
            BLS_CIOS_RROW(r12, r13, r14, r8, r9, r10, r11)
            BLS_CIOS_MROW(40, r13, r14, r8, r9, r10, r11, r12)
            BLS_CIOS_RROW(r13, r14, r8, r9, r10, r11, r12)
            /* the value (< 2p) is in r14, r8..r12; subtract p once unless that borrows */
            "movq %%r14, 0(%[r])\n\t"
            "movq %%r8, 8(%[r])\n\t"
            "movq %%r9, 16(%[r])\n\t"
            "movq %%r10, 24(%[r])\n\t"
            "movq %%r11, 32(%[r])\n\t"
            "movq %%r12, 40(%[r])\n\t"
            "subq 0(%[p]), %%r14\n\t"
            "sbbq 8(%[p]), %%r8\n\t"
            "sbbq 16(%[p]), %%r9\n\t"
            "sbbq 24(%[p]), %%r10\n\t"
            "sbbq 32(%[p]), %%r11\n\t"
            "sbbq 40(%[p]), %%r12\n\t"
            "cmovcq 0(%[r]), %%r14\n\t"
            "cmovcq 8(%[r]), %%r8\n\t"
            "cmovcq 16(%[r]), %%r9\n\t"
            "cmovcq 24(%[r]), %%r10\n\t"
            "cmovcq 32(%[r]), %%r11\n\t"
            "cmovcq 40(%[r]), %%r12\n\t"
            "movq %%r14, 0(%[r])\n\t"
            "movq %%r8, 8(%[r])\n\t"
            "movq %%r9, 16(%[r])\n\t"
            "movq %%r10, 24(%[r])\n\t"
            "movq %%r11, 32(%[r])\n\t"
            "movq %%r12, 40(%[r])\n\t"
            : "=m"(*(uint64_t(*)[6])r->v)
            : [r] "r"(r->v), [a] "r"(a->v), [b] "r"(b->v), [p] "r"(bls_p),
              [pinv] "m"(fp_pinv_mem), "m"(*(const uint64_t(*)[6])a->v),
              "m"(*(const uint64_t(*)[6])b->v), "m"(*(const uint64_t(*)[6])bls_p)
            : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc");
    /* clang-format on */
}

int bls_fp_use_adx;

int bls_fp_have_adx(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return (ebx >> 8 & 1) && (ebx >> 19 & 1); /* BMI2 (MULX) and ADX */
}

__attribute__((constructor)) static void fp_pick_backend(void)
{
    bls_fp_use_adx = bls_fp_have_adx();
}
#define FP_DISPATCH(adx_call, port_call)                                                           \
    do {                                                                                           \
        if (bls_fp_use_adx) { /* a CPU feature, not data */                                        \
            adx_call;                                                                              \
        } else {                                                                                   \
            port_call;                                                                             \
        }                                                                                          \
    } while (0)
#else
int bls_fp_use_adx;
int bls_fp_have_adx(void)
{
    return 0;
}
#define FP_DISPATCH(adx_call, port_call) port_call
#endif

void bls_fp_mul(fp *r, const fp *a, const fp *b)
{
    FP_DISPATCH(fp_mul_adx(r, a, b), fp_mul_port(r, a, b));
}

void bls_fp_sqr(fp *r, const fp *a)
{
    FP_DISPATCH(fp_mul_adx(r, a, a), fp_sqr_port(r, a));
}

void bls_fp_mul_wide(uint64_t r[12], const fp *a, const fp *b)
{
    FP_DISPATCH(fp_mul_wide_adx(r, a, b), fp_mul_wide_port(r, a, b));
}

void bls_fp_redc(fp *r, const uint64_t t[12])
{
    FP_DISPATCH(fp_redc_adx(r, t), fp_redc_port(r, t));
}

void bls_fp_from_u64(fp *r, uint64_t v)
{
    fp t = {{v, 0, 0, 0, 0, 0}};
    fp_mul(r, &t, &fp_r2);
}

/* Loads `len` (<= 48) big-endian bytes as little-endian limbs, zero-extended. */
static void load_be(uint64_t out[6], const unsigned char *in, size_t len)
{
    memset(out, 0, 6 * sizeof(uint64_t));
    for (size_t i = 0; i < len; i++) {
        size_t bit = 8 * (len - 1 - i);
        out[bit / 64] |= (uint64_t)in[i] << (bit % 64);
    }
}

/* Returns 1 if a < m (n limbs), constant-time. */
static uint64_t lt_n(const uint64_t *a, const uint64_t *m, int n)
{
    uint64_t borrow = 0;
    for (int j = 0; j < n; j++) {
        u128 d = (u128)a[j] - m[j] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

int bls_fp_from_bytes(fp *r, const unsigned char in[48])
{
    fp t;
    load_be(t.v, in, 48);
    uint64_t ok = lt_n(t.v, bls_p, 6);
    fp_mul(r, &t, &fp_r2);
    return (int)ok;
}

void bls_fp_from_mont(uint64_t out[6], const fp *a)
{
    fp one = {{1, 0, 0, 0, 0, 0}}, t;
    fp_mul(&t, a, &one);
    memcpy(out, t.v, sizeof t.v);
}

void bls_fp_to_bytes(unsigned char out[48], const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    for (size_t i = 0; i < 48; i++) {
        size_t bit = 8 * (47 - i);
        out[i] = (unsigned char)(v[bit / 64] >> (bit % 64));
    }
}

void bls_fp_from_wide(fp *r, const unsigned char in[64])
{
    fp hi, lo;
    load_be(hi.v, in, 32);
    load_be(lo.v, in + 32, 32);
    fp_mul(&hi, &hi, &fp_2_256); /* hi * 2^256 in Montgomery form */
    fp_mul(&lo, &lo, &fp_r2);
    fp_add(r, &hi, &lo);
}

/* Left-to-right sliding windows of up to 5 bits over the public exponent (Menezes, van
 * Oorschot, Vanstone, Handbook of Applied Cryptography, algorithm 14.85): the odd powers
 * a, a^3, .., a^31 (16 products), then for these 381-bit exponents about 380 squarings and 65
 * products (fixed 4-bit windows need 95 + 14). Only the exponent decides the branches and the
 * table index, so this is constant-time in a. */
void bls_fp_pow(fp *r, const fp *a, const uint64_t e[6])
{
    fp table[16], acc = bls_fp_one, a2;
    int started = 0;
    table[0] = *a;
    fp_sqr(&a2, a);
    for (int i = 1; i < 16; i++) {
        fp_mul(&table[i], &table[i - 1], &a2); /* a^(2i+1) */
    }
    for (int i = 383; i >= 0;) {
        if (((e[i / 64] >> (i % 64)) & 1) == 0) { /* public exponent */
            if (started) {
                fp_sqr(&acc, &acc);
            }
            i--;
            continue;
        }
        /* the longest window e[i..j] of at most 5 bits ending in a set bit */
        int j = i - 4 < 0 ? 0 : i - 4;
        while (((e[j / 64] >> (j % 64)) & 1) == 0) {
            j++;
        }
        unsigned val = 0;
        for (int b = i; b >= j; b--) {
            val = (val << 1) | (unsigned)((e[b / 64] >> (b % 64)) & 1);
            if (started) {
                fp_sqr(&acc, &acc);
            }
        }
        if (started) {
            fp_mul(&acc, &acc, &table[val >> 1]);
        } else {
            acc = table[val >> 1];
            started = 1;
        }
        i = j - 1;
    }
    *r = acc;
    tk_wipe(table, sizeof table); /* the base may be secret (inversion of a secret value) */
    tk_wipe(&a2, sizeof a2);
}

void bls_fp_inv(fp *r, const fp *a)
{
    bls_fp_pow(r, a, p_minus_2);
}

int bls_fp_sqrt(fp *r, const fp *a)
{
    fp s, chk;
    int ok;
    bls_fp_pow(&s, a, p_plus_1_div_4);
    fp_sqr(&chk, &s);
    ok = fp_eq(&chk, a); /* before writing r: r may alias a */
    *r = s;
    return ok;
}

int bls_fp_is_square(const fp *a)
{
    fp l;
    bls_fp_pow(&l, a, p_minus_1_div_2);
    return fp_eq(&l, &bls_fp_one) | fp_is_zero(a);
}

int bls_fp_sgn0(const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    return (int)(v[0] & 1);
}

int bls_fp_lex_largest(const fp *a)
{
    uint64_t v[6];
    bls_fp_from_mont(v, a);
    /* v > (p-1)/2  <=>  (p-1)/2 < v */
    return (int)lt_n(p_minus_1_div_2, v, 6);
}
