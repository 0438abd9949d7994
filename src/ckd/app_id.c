/*
 * NEAR CKD app_id and hash point (DESIGN 2.1): app_id = SHA3-256(prefix || predecessor || ","
 * || path) and H = hash_to_curve_G1(compress96(pk) || app_id) with NEAR's DST. Both must match
 * the NEAR MPC network byte for byte: never change a constant here.
 */
#include <string.h>

#include "teekeys/ckd.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"

int tk_ckd_path_check(const char *path, size_t path_len)
{
    size_t i = 0;
    if (path == NULL) {
        return tk_fail(TK_ERR_ARG, "ckd: NULL derivation path");
    }
    if (path_len > TK_CKD_PATH_MAX) {
        return tk_fail(TK_ERR_INPUT, "derivation path is %zu bytes, at most %d are allowed",
                       path_len, TK_CKD_PATH_MAX);
    }
    while (i < path_len) {
        uint32_t cp;
        size_t n = tk_utf8_next(&cp, (const unsigned char *)path + i, path_len - i);
        if (n == 0) {
            return tk_fail(TK_ERR_INPUT, "derivation path is not valid UTF-8 at byte %zu", i);
        }
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            return tk_fail(TK_ERR_INPUT, "derivation path has a control character at byte %zu", i);
        }
        i += n;
    }
    return TK_OK;
}

int tk_ckd_app_id(unsigned char out[TK_CKD_APP_ID_LEN], const char *predecessor, const char *path)
{
    static const char prefix[] = TK_CKD_APP_ID_PREFIX;
    size_t plen, alen;
    unsigned char *msg;
    int rc;

    if (out == NULL || predecessor == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_app_id: NULL argument");
    }
    alen = strlen(predecessor);
    plen = strlen(path);
    if ((rc = tk_near_account_check(predecessor, alen)) != TK_OK) {
        return tk_fail(rc, "predecessor: %s", tk_errmsg());
    }
    if ((rc = tk_ckd_path_check(path, plen)) != TK_OK) {
        return rc;
    }
    /* bounded: 34 + 64 + 1 + 1024 bytes */
    unsigned char buf[sizeof prefix - 1 + TK_NEAR_ACCOUNT_MAX_LEN + 1 + TK_CKD_PATH_MAX];
    msg = buf;
    memcpy(msg, prefix, sizeof prefix - 1);
    msg += sizeof prefix - 1;
    memcpy(msg, predecessor, alen);
    msg += alen;
    *msg++ = ',';
    memcpy(msg, path, plen);
    msg += plen;
    tk_sha3_256(out, buf, (size_t)(msg - buf));
    return TK_OK;
}

int tk_ckd_hash_point(tk_bls_g1 *out, const tk_bls_g2 *pk,
                      const unsigned char app_id[TK_CKD_APP_ID_LEN])
{
    static const char dst[] = TK_CKD_DST;
    unsigned char msg[TK_BLS_G2_COMPRESSED + TK_CKD_APP_ID_LEN];
    if (out == NULL || pk == NULL || app_id == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_hash_point: NULL argument");
    }
    if (tk_bls_g2_is_identity(pk)) {
        return tk_fail(TK_ERR_INPUT, "the MPC public key is the identity");
    }
    tk_bls_g2_compress(msg, pk);
    memcpy(msg + TK_BLS_G2_COMPRESSED, app_id, TK_CKD_APP_ID_LEN);
    return tk_bls_hash_to_g1(out, msg, sizeof msg, dst, sizeof dst - 1);
}
