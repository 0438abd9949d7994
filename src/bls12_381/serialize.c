/*
 * ZCash encodings of G1 and G2 points (the format of NEAR's bls12381g1:/bls12381g2: keys):
 * big-endian coordinates, G2 as c1 || c0, flag bits in the first byte: 0x80 compressed,
 * 0x40 point at infinity, 0x20 sign of y (lexicographically largest, compressed only).
 * Encoding is constant-time. Decoding is strict and variable-time (points are public); it must
 * refuse every non-canonical or invalid input, never accept one by repairing it.
 */
#include "field.h"
#include "teekeys/common.h"

#define FLAG_COMPRESSED 0x80
#define FLAG_INFINITY   0x40
#define FLAG_SIGN       0x20

/* Sets the first byte's flags: compressed bit, infinity (and all other bytes zero), sign. */
static void put_flags(unsigned char *out, size_t len, int compressed, int inf, int sign)
{
    uint64_t infmask = (uint64_t)0 - (uint64_t)inf;
    for (size_t i = 0; i < len; i++) {
        out[i] &= (unsigned char)~infmask;
    }
    out[0] |= (unsigned char)(compressed ? FLAG_COMPRESSED : 0);
    out[0] |= (unsigned char)(FLAG_INFINITY & infmask);
    out[0] |= (unsigned char)(FLAG_SIGN & ((uint64_t)0 - (uint64_t)(sign & (inf ^ 1))));
}

void tk_bls_g1_compress(unsigned char out[TK_BLS_G1_COMPRESSED], const tk_bls_g1 *p)
{
    fp x, y;
    int inf = tk_bls_g1_is_identity(p);
    bls_g1_to_affine(&x, &y, p);
    bls_fp_to_bytes(out, &x);
    put_flags(out, 48, 1, inf, bls_fp_lex_largest(&y));
}

void tk_bls_g1_serialize(unsigned char out[TK_BLS_G1_UNCOMPRESSED], const tk_bls_g1 *p)
{
    fp x, y;
    int inf = tk_bls_g1_is_identity(p);
    bls_g1_to_affine(&x, &y, p);
    bls_fp_to_bytes(out, &x);
    bls_fp_to_bytes(out + 48, &y);
    put_flags(out, 96, 0, inf, 0);
}

void tk_bls_g2_compress(unsigned char out[TK_BLS_G2_COMPRESSED], const tk_bls_g2 *p)
{
    fp2 x, y;
    int inf = tk_bls_g2_is_identity(p);
    bls_g2_to_affine(&x, &y, p);
    bls_fp_to_bytes(out, &x.c1);
    bls_fp_to_bytes(out + 48, &x.c0);
    put_flags(out, 96, 1, inf, bls_fp2_lex_largest(&y));
}

void tk_bls_g2_serialize(unsigned char out[TK_BLS_G2_UNCOMPRESSED], const tk_bls_g2 *p)
{
    fp2 x, y;
    int inf = tk_bls_g2_is_identity(p);
    bls_g2_to_affine(&x, &y, p);
    bls_fp_to_bytes(out, &x.c1);
    bls_fp_to_bytes(out + 48, &x.c0);
    bls_fp_to_bytes(out + 96, &y.c1);
    bls_fp_to_bytes(out + 144, &y.c0);
    put_flags(out, 192, 0, inf, 0);
}

/* Checks the flag byte against the length. Returns TK_OK and sets *compressed, *inf, *sign, or
 * fails with a detail. `what` names the group for messages. */
static int check_flags(int *compressed, int *inf, int *sign, const unsigned char *in, size_t in_len,
                       size_t clen, const char *what)
{
    unsigned char f = in[0];
    *compressed = (f & FLAG_COMPRESSED) != 0;
    *inf = (f & FLAG_INFINITY) != 0;
    *sign = (f & FLAG_SIGN) != 0;
    if (in_len != (*compressed ? clen : 2 * clen)) {
        return tk_fail(TK_ERR_INPUT, "%s: %zu bytes but the compression flag says %zu", what,
                       in_len, *compressed ? clen : 2 * clen);
    }
    if (*inf) {
        if (*sign) {
            return tk_fail(TK_ERR_INPUT, "%s: infinity encoding with the sign bit set", what);
        }
        if ((f & 0x1f) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: infinity encoding with non-zero coordinate bits",
                           what);
        }
        for (size_t i = 1; i < in_len; i++) {
            if (in[i] != 0) {
                return tk_fail(TK_ERR_INPUT, "%s: infinity encoding with non-zero byte %zu", what,
                               i);
            }
        }
        return TK_OK;
    }
    if (!*compressed && *sign) {
        return tk_fail(TK_ERR_INPUT, "%s: sign bit set in an uncompressed encoding", what);
    }
    return TK_OK;
}

/* Reads a 48-byte coordinate (flags masked off when `first`), refusing values >= p. */
static int read_coord(fp *r, const unsigned char *in, int first, const char *what,
                      const char *coord)
{
    unsigned char b[48];
    memcpy(b, in, 48);
    if (first) {
        b[0] &= 0x1f;
    }
    if (!bls_fp_from_bytes(r, b)) {
        return tk_fail(TK_ERR_INPUT, "%s: coordinate %s is not below the field modulus p", what,
                       coord);
    }
    return TK_OK;
}

/* The ZCash decoding; `subgroup` adds the check that the point is in G1. */
static int g1_decode(tk_bls_g1 *out, const unsigned char *in, size_t in_len, int subgroup)
{
    int compressed, inf, sign, rc;
    tk_bls_g1 p;
    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "g1 decode: NULL argument");
    }
    if (in_len != 48 && in_len != 96) {
        return tk_fail(TK_ERR_INPUT, "g1 point: length %zu, expected 48 or 96", in_len);
    }
    if ((rc = check_flags(&compressed, &inf, &sign, in, in_len, 48, "g1 point")) != TK_OK) {
        return rc;
    }
    if (inf) {
        tk_bls_g1_identity(out);
        return TK_OK;
    }
    if ((rc = read_coord(&p.x, in, 1, "g1 point", "x")) != TK_OK) {
        return rc;
    }
    p.z = bls_fp_one;
    if (compressed) {
        fp rhs, four;
        fp_sqr(&rhs, &p.x);
        fp_mul(&rhs, &rhs, &p.x);
        bls_fp_from_u64(&four, 4);
        fp_add(&rhs, &rhs, &four);
        if (!bls_fp_sqrt(&p.y, &rhs)) {
            return tk_fail(TK_ERR_INPUT, "g1 point: x is not the abscissa of a curve point");
        }
        if (bls_fp_lex_largest(&p.y) != sign) {
            fp_neg(&p.y, &p.y);
        }
    } else {
        if ((rc = read_coord(&p.y, in + 48, 0, "g1 point", "y")) != TK_OK) {
            return rc;
        }
        if (!tk_bls_g1_is_on_curve(&p)) {
            return tk_fail(TK_ERR_INPUT, "g1 point: not on the curve");
        }
    }
    if (subgroup && !tk_bls_g1_in_subgroup_var(&p)) {
        return tk_fail(TK_ERR_INPUT, "g1 point: not in the prime-order subgroup");
    }
    *out = p;
    return TK_OK;
}

/* The ZCash decoding; `subgroup` adds the check that the point is in G2. */
static int g2_decode(tk_bls_g2 *out, const unsigned char *in, size_t in_len, int subgroup)
{
    int compressed, inf, sign, rc;
    tk_bls_g2 p;
    if (out == NULL || in == NULL) {
        return tk_fail(TK_ERR_ARG, "g2 decode: NULL argument");
    }
    if (in_len != 96 && in_len != 192) {
        return tk_fail(TK_ERR_INPUT, "g2 point: length %zu, expected 96 or 192", in_len);
    }
    if ((rc = check_flags(&compressed, &inf, &sign, in, in_len, 96, "g2 point")) != TK_OK) {
        return rc;
    }
    if (inf) {
        tk_bls_g2_identity(out);
        return TK_OK;
    }
    if ((rc = read_coord(&p.x.c1, in, 1, "g2 point", "x.c1")) != TK_OK ||
        (rc = read_coord(&p.x.c0, in + 48, 0, "g2 point", "x.c0")) != TK_OK) {
        return rc;
    }
    p.z.c0 = bls_fp_one;
    p.z.c1 = bls_fp_zero;
    if (compressed) {
        fp2 rhs, b;
        bls_fp2_sqr(&rhs, &p.x);
        bls_fp2_mul(&rhs, &rhs, &p.x);
        bls_fp_from_u64(&b.c0, 4);
        bls_fp_from_u64(&b.c1, 4);
        bls_fp2_add(&rhs, &rhs, &b);
        if (!bls_fp2_sqrt_var(&p.y, &rhs)) {
            return tk_fail(TK_ERR_INPUT, "g2 point: x is not the abscissa of a curve point");
        }
        if (bls_fp2_lex_largest(&p.y) != sign) {
            bls_fp2_neg(&p.y, &p.y);
        }
    } else {
        if ((rc = read_coord(&p.y.c1, in + 96, 0, "g2 point", "y.c1")) != TK_OK ||
            (rc = read_coord(&p.y.c0, in + 144, 0, "g2 point", "y.c0")) != TK_OK) {
            return rc;
        }
        if (!tk_bls_g2_is_on_curve(&p)) {
            return tk_fail(TK_ERR_INPUT, "g2 point: not on the curve");
        }
    }
    if (subgroup && !tk_bls_g2_in_subgroup_var(&p)) {
        return tk_fail(TK_ERR_INPUT, "g2 point: not in the prime-order subgroup");
    }
    *out = p;
    return TK_OK;
}

int tk_bls_g1_decode(tk_bls_g1 *out, const unsigned char *in, size_t in_len)
{
    return g1_decode(out, in, in_len, 1);
}

int tk_bls_g1_decode_curve(tk_bls_g1 *out, const unsigned char *in, size_t in_len)
{
    return g1_decode(out, in, in_len, 0);
}

int tk_bls_g2_decode(tk_bls_g2 *out, const unsigned char *in, size_t in_len)
{
    return g2_decode(out, in, in_len, 1);
}

int tk_bls_g2_decode_curve(tk_bls_g2 *out, const unsigned char *in, size_t in_len)
{
    return g2_decode(out, in, in_len, 0);
}
