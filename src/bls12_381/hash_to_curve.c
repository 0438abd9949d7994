/*
 * RFC 9380 hashing to G1, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ with a caller-chosen DST:
 * expand_message_xmd (SHA-256), hash_to_field (two Fp elements from 128 bytes), the
 * simplified SWU map onto the 11-isogenous curve E', the 11-isogeny back to E and cofactor
 * clearing by h_eff. The map is written without data-dependent branches (the RFC's
 * "straight-line" form), although the messages hashed here are public.
 */
#include "constants.h"
#include "field.h"
#include "map.h"
#include "teekeys/hash.h"

#define H_EFF_G1 0xd201000000010001ULL /* RFC 9380 section 8.8.1, h_eff for G1 */

int tk_bls_expand_message_xmd(unsigned char *out, size_t out_len, const void *msg, size_t msg_len,
                              const void *dst, size_t dst_len)
{
    static const unsigned char z_pad[64] = {0};
    static const char oversize[] = "H2C-OVERSIZE-DST-";
    unsigned char dst_hash[32], b0[32], bi[32], x[32], lib[2], dlen, zero = 0, idx;
    size_t ell = (out_len + 31) / 32;
    if (out == NULL || (msg == NULL && msg_len > 0) || (dst == NULL && dst_len > 0)) {
        return tk_fail(TK_ERR_ARG, "expand_message_xmd: NULL argument");
    }
    if (out_len == 0 || ell > 255 || out_len > 65535) {
        return tk_fail(TK_ERR_ARG, "expand_message_xmd: output length %zu out of range", out_len);
    }
    if (dst_len > 255) {
        tk_buf parts[2] = {{oversize, sizeof oversize - 1}, {dst, dst_len}};
        tk_sha256_v(dst_hash, parts, 2);
        dst = dst_hash;
        dst_len = 32;
    }
    dlen = (unsigned char)dst_len;
    lib[0] = (unsigned char)(out_len >> 8);
    lib[1] = (unsigned char)out_len;
    {
        tk_buf parts[6] = {{z_pad, 64}, {msg, msg_len}, {lib, 2},
                           {&zero, 1},  {dst, dst_len}, {&dlen, 1}};
        tk_sha256_v(b0, parts, 6);
    }
    memset(bi, 0, sizeof bi);
    for (size_t i = 1; i <= ell; i++) {
        for (size_t j = 0; j < 32; j++) {
            x[j] = (unsigned char)(b0[j] ^ bi[j]); /* b0 ^ b0 is not used: bi starts at 0 */
        }
        idx = (unsigned char)i;
        tk_buf parts[4] = {{i == 1 ? b0 : x, 32}, {&idx, 1}, {dst, dst_len}, {&dlen, 1}};
        tk_sha256_v(bi, parts, 4);
        size_t take = out_len - 32 * (i - 1) < 32 ? out_len - 32 * (i - 1) : 32;
        memcpy(out + 32 * (i - 1), bi, take);
    }
    return TK_OK;
}

/* g(x) = x^3 + A' x + B' on the isogenous curve */
static void iso_curve_rhs(fp *r, const fp *x, const fp *a, const fp *b)
{
    fp t;
    fp_sqr(&t, x);
    fp_add(&t, &t, a);
    fp_mul(&t, &t, x);
    fp_add(r, &t, b);
}

/* zu2 = Z u^2 and tv1 = Z^2 u^4 + Z u^2, the denominator of x1. */
static void sswu_denominator(fp *zu2, fp *tv1, const fp *u)
{
    static const fp Z = BLS_SSWU_Z;
    fp u2;
    fp_sqr(&u2, u);
    fp_mul(zu2, &Z, &u2);
    fp_sqr(tv1, zu2);
    fp_add(tv1, tv1, zu2);
}

/* Simplified SWU (RFC 9380 section 6.6.2) onto E': y^2 = x^3 + A' x + B', given
 * tv1_inv = inv0(tv1) (0 when tv1 is 0), so that hash_to_g1 can share one inversion between its
 * two field elements. */
static void map_sswu_inv(fp *x, fp *y, const fp *u, const fp *zu2, const fp *tv1_inv)
{
    static const fp A = BLS_SSWU_A, B = BLS_SSWU_B;
    static const fp minus_b_over_a = BLS_SSWU_MINUS_B_OVER_A, b_over_za = BLS_SSWU_B_OVER_ZA;
    static const fp sqrt_minus_z = BLS_SSWU_SQRT_MINUS_Z;
    static const uint64_t p_plus_1_div_4[6] = BLS_P_PLUS_1_DIV_4;
    fp t, x1, x2, gx1, y1, y2;
    int exceptional = fp_is_zero(tv1_inv);
    /* x1 = (-B / A)(1 + tv1), or B / (Z A) when tv1 == 0 (both constants precomputed) */
    fp_add(&t, tv1_inv, &bls_fp_one);
    fp_mul(&x1, &minus_b_over_a, &t);
    fp_cmov(&x1, &b_over_za, (uint64_t)exceptional);
    iso_curve_rhs(&gx1, &x1, &A, &B);
    fp_mul(&x2, zu2, &x1);
    /* One exponentiation for both candidates (p = 3 mod 4): y1 = gx1^((p+1)/4) is sqrt(gx1)
     * if gx1 is a square, else sqrt(-gx1); g(x2) = Z^3 u^6 g(x1), so then
     * y2 = Z sqrt(-Z) u^3 y1 is sqrt(g(x2)). */
    bls_fp_pow(&y1, &gx1, p_plus_1_div_4);
    fp_sqr(&t, &y1);
    int e1 = fp_eq(&t, &gx1);
    fp_mul(&y2, &y1, &sqrt_minus_z);
    fp_mul(&y2, &y2, zu2);
    fp_mul(&y2, &y2, u);
    *x = x2;
    *y = y2;
    fp_cmov(x, &x1, (uint64_t)e1);
    fp_cmov(y, &y1, (uint64_t)e1);
    int flip = bls_fp_sgn0(u) ^ bls_fp_sgn0(y);
    fp_neg(&t, y);
    fp_cmov(y, &t, (uint64_t)flip);
}

/* Simplified SWU (RFC 9380 section 6.6.2) onto E': y^2 = x^3 + A' x + B'. */
void bls_g1_map_sswu(fp *x, fp *y, const fp *u)
{
    fp zu2, tv1;
    sswu_denominator(&zu2, &tv1, u);
    bls_fp_inv(&tv1, &tv1); /* inv0: 0 stays 0 */
    map_sswu_inv(x, y, u, &zu2, &tv1);
}

static void horner(fp *r, const fp *coef, int n, const fp *x)
{
    fp acc = coef[n - 1];
    for (int i = n - 2; i >= 0; i--) {
        fp_mul(&acc, &acc, x);
        fp_add(&acc, &acc, &coef[i]);
    }
    *r = acc;
}

/* The 11-isogeny E' -> E (RFC 9380 appendix E.2), to projective coordinates. */
void bls_g1_iso_map(tk_bls_g1 *r, const fp *x, const fp *y)
{
    static const fp xnum_c[] = BLS_ISO_XNUM, xden_c[] = BLS_ISO_XDEN;
    static const fp ynum_c[] = BLS_ISO_YNUM, yden_c[] = BLS_ISO_YDEN;
    fp xn, xd, yn, yd;
    tk_bls_g1 id;
    horner(&xn, xnum_c, BLS_ISO_XNUM_LEN, x);
    horner(&xd, xden_c, BLS_ISO_XDEN_LEN, x);
    horner(&yn, ynum_c, BLS_ISO_YNUM_LEN, x);
    horner(&yd, yden_c, BLS_ISO_YDEN_LEN, x);
    /* X = xn yd, Y = y yn xd, Z = xd yd */
    fp_mul(&r->x, &xn, &yd);
    fp_mul(&r->y, y, &yn);
    fp_mul(&r->y, &r->y, &xd);
    fp_mul(&r->z, &xd, &yd);
    tk_bls_g1_identity(&id);
    int inf = fp_is_zero(&r->z);
    fp_cmov(&r->x, &id.x, (uint64_t)inf);
    fp_cmov(&r->y, &id.y, (uint64_t)inf);
}

void bls_g1_clear_cofactor(tk_bls_g1 *r, const tk_bls_g1 *p)
{
    bls_g1_mul_u64_var(r, p, H_EFF_G1);
}

void bls_g1_map2(tk_bls_g1 *r, const fp *u0, const fp *u1)
{
    fp x, y, zu2[2], tv1[2], inv;
    tk_bls_g1 q0, q1;
    /* both SSWU denominators inverted at once (Montgomery's trick, a 0 replaced by 1 and its
     * inverse set back to 0: inv0), branch-free like the map */
    sswu_denominator(&zu2[0], &tv1[0], u0);
    sswu_denominator(&zu2[1], &tv1[1], u1);
    uint64_t z0 = (uint64_t)fp_is_zero(&tv1[0]), z1 = (uint64_t)fp_is_zero(&tv1[1]);
    fp_cmov(&tv1[0], &bls_fp_one, z0);
    fp_cmov(&tv1[1], &bls_fp_one, z1);
    fp_mul(&inv, &tv1[0], &tv1[1]);
    bls_fp_inv(&inv, &inv);
    fp_mul(&x, &inv, &tv1[1]);
    fp_mul(&tv1[1], &inv, &tv1[0]);
    tv1[0] = x;
    fp_cmov(&tv1[0], &bls_fp_zero, z0);
    fp_cmov(&tv1[1], &bls_fp_zero, z1);
    map_sswu_inv(&x, &y, u0, &zu2[0], &tv1[0]);
    bls_g1_iso_map(&q0, &x, &y);
    map_sswu_inv(&x, &y, u1, &zu2[1], &tv1[1]);
    bls_g1_iso_map(&q1, &x, &y);
    tk_bls_g1_add(r, &q0, &q1);
}

int tk_bls_hash_to_g1(tk_bls_g1 *out, const void *msg, size_t msg_len, const void *dst,
                      size_t dst_len)
{
    unsigned char uniform[128];
    fp u0, u1;
    tk_bls_g1 q;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "hash_to_g1: NULL output");
    }
    rc = tk_bls_expand_message_xmd(uniform, sizeof uniform, msg, msg_len, dst, dst_len);
    if (rc != TK_OK) {
        return rc;
    }
    bls_fp_from_wide(&u0, uniform);
    bls_fp_from_wide(&u1, uniform + 64);
    bls_g1_map2(&q, &u0, &u1);
    bls_g1_clear_cofactor(out, &q);
    return TK_OK;
}
