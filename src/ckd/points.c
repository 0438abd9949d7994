/*
 * NEAR key strings for BLS12-381 points ("bls12381g1:" / "bls12381g2:" + base58 of the ZCash
 * compressed encoding) as CKD uses them: strict decoding that also refuses the identity, and
 * formatting. Points here are public; nothing secret passes through this file.
 */
#include <string.h>

#include "teekeys/ckd.h"
#include "teekeys/encoding.h"

int tk_ckd_g1_parse(tk_bls_g1 *out, const char *in, size_t in_len)
{
    unsigned char raw[TK_BLS_G1_COMPRESSED];
    if (out == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_g1_parse: NULL argument");
    }
    if (tk_nearkey_decode(raw, sizeof raw, TK_NEARKEY_BLS12381_G1, in, in_len) != TK_OK ||
        tk_bls_g1_decode(out, raw, sizeof raw) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "not a bls12381g1 point: %s", tk_errmsg());
    }
    if (tk_bls_g1_is_identity(out)) {
        return tk_fail(TK_ERR_INPUT, "the bls12381g1 point is the identity");
    }
    return TK_OK;
}

int tk_ckd_g2_parse(tk_bls_g2 *out, const char *in, size_t in_len)
{
    unsigned char raw[TK_BLS_G2_COMPRESSED];
    if (out == NULL || (in == NULL && in_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_g2_parse: NULL argument");
    }
    if (tk_nearkey_decode(raw, sizeof raw, TK_NEARKEY_BLS12381_G2, in, in_len) != TK_OK ||
        tk_bls_g2_decode(out, raw, sizeof raw) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "not a bls12381g2 point: %s", tk_errmsg());
    }
    if (tk_bls_g2_is_identity(out)) {
        return tk_fail(TK_ERR_INPUT, "the bls12381g2 point is the identity");
    }
    return TK_OK;
}

int tk_ckd_g1_format(char *out, size_t out_cap, const tk_bls_g1 *p)
{
    unsigned char raw[TK_BLS_G1_COMPRESSED];
    if (out == NULL || p == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_g1_format: NULL argument");
    }
    tk_bls_g1_compress(raw, p);
    return tk_nearkey_encode(out, out_cap, TK_NEARKEY_BLS12381_G1, raw, sizeof raw);
}

int tk_ckd_g2_format(char *out, size_t out_cap, const tk_bls_g2 *p)
{
    unsigned char raw[TK_BLS_G2_COMPRESSED];
    if (out == NULL || p == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_g2_format: NULL argument");
    }
    tk_bls_g2_compress(raw, p);
    return tk_nearkey_encode(out, out_cap, TK_NEARKEY_BLS12381_G2, raw, sizeof raw);
}
