/*
 * The CKD ephemeral key pair (a, A = a·G1, a·G2): creation, loading from the 32-byte scalar or
 * its hex key file, writing the key file, export of the public parts. The scalar stays in
 * guarded memory and is only touched by constant-time code; the public points are
 * declassified through their encodings (public by design), never in projective form.
 */
#include <string.h>

#include "internal.h"
#include "teekeys/encoding.h"

#define KEY_FILE_MAX (TK_CKD_SCALAR_HEX_LEN + 2) /* one byte more than allowed: detect "too long"  \
                                                  */

/* Computes pk1 = a·G1 and pk2 = a·G2 in constant time; stores them re-decoded from their
 * (declassified) compressed encodings so no projective coordinate derived from a leaves. */
static int derive_public(tk_ckd_keypair *kp)
{
    unsigned char c1[TK_BLS_G1_COMPRESSED], c2[TK_BLS_G2_COMPRESSED];
    tk_bls_g1 g1;
    tk_bls_g2 g2;
    int rc;

    tk_bls_g1_generator(&g1);
    tk_bls_g1_mul(&g1, &g1, &kp->a);
    tk_bls_g1_compress(c1, &g1);
    tk_bls_g2_generator(&g2);
    tk_bls_g2_mul(&g2, &g2, &kp->a);
    tk_bls_g2_compress(c2, &g2);
    tk_wipe(&g1, sizeof g1);
    tk_wipe(&g2, sizeof g2);
    tk_declassify(c1, sizeof c1); /* the public key */
    tk_declassify(c2, sizeof c2);
    rc = tk_bls_g1_decode(&kp->pk1, c1, sizeof c1);
    if (rc == TK_OK) {
        rc = tk_bls_g2_decode(&kp->pk2, c2, sizeof c2);
    }
    if (rc != TK_OK) { /* a in [1, r) always gives valid points */
        return tk_fail(TK_ERR_INTERNAL, "ckd key: public key does not decode");
    }
    return TK_OK;
}

static tk_ckd_keypair *keypair_alloc(void)
{
    tk_ckd_keypair *kp = tk_secure_alloc(sizeof *kp);
    if (kp != NULL) {
        memset(kp, 0, sizeof *kp);
    }
    return kp;
}

int tk_ckd_keypair_new(tk_ckd_keypair **out)
{
    tk_ckd_keypair *kp;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_keypair_new: NULL argument");
    }
    *out = NULL;
    if ((kp = keypair_alloc()) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    tk_bls_scalar_random(&kp->a);
    if ((rc = derive_public(kp)) != TK_OK) {
        tk_ckd_keypair_free(kp);
        return rc;
    }
    *out = kp;
    return TK_OK;
}

int tk_ckd_keypair_from_scalar(tk_ckd_keypair **out, const unsigned char scalar[TK_CKD_SCALAR_LEN])
{
    tk_ckd_keypair *kp;
    int rc, zero;
    if (out == NULL || scalar == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_keypair_from_scalar: NULL argument");
    }
    *out = NULL;
    if ((kp = keypair_alloc()) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_bls_scalar_from_bytes(&kp->a, scalar);
    if (rc == TK_ERR_RANGE) {
        rc = tk_fail(TK_ERR_RANGE, "ckd key: the scalar is not below the group order r");
    } else if (rc == TK_OK) {
        zero = tk_bls_scalar_is_zero(&kp->a);
        tk_declassify(&zero, sizeof zero); /* refusing zero reveals only that */
        if (zero) {
            rc = tk_fail(TK_ERR_RANGE, "ckd key: the scalar is zero");
        } else {
            rc = derive_public(kp);
        }
    }
    if (rc != TK_OK) {
        tk_ckd_keypair_free(kp);
        return rc;
    }
    *out = kp;
    return TK_OK;
}

int tk_ckd_keypair_from_hex(tk_ckd_keypair **out, const char *text, size_t text_len)
{
    unsigned char *raw;
    int rc;
    if (out == NULL || (text == NULL && text_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_keypair_from_hex: NULL argument");
    }
    *out = NULL;
    if (text_len == TK_CKD_SCALAR_HEX_LEN + 1 && text[TK_CKD_SCALAR_HEX_LEN] == '\n') {
        text_len = TK_CKD_SCALAR_HEX_LEN;
    }
    if (text_len != TK_CKD_SCALAR_HEX_LEN) {
        return tk_fail(TK_ERR_INPUT,
                       "ckd key must be exactly 64 hex characters (32 bytes, big-endian) and at "
                       "most one newline, got %zu characters",
                       text_len);
    }
    if ((raw = tk_secure_alloc(TK_CKD_SCALAR_LEN)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_hex_decode_exact(raw, TK_CKD_SCALAR_LEN, text, text_len, 0);
    if (rc != TK_OK) {
        rc = tk_fail(TK_ERR_INPUT, "ckd key is not hex: %s", tk_errmsg());
    } else {
        rc = tk_ckd_keypair_from_scalar(out, raw);
    }
    tk_secure_free(raw);
    return rc;
}

int tk_ckd_keypair_read_file(tk_ckd_keypair **out, const char *path)
{
    unsigned char *text;
    size_t len = 0;
    int rc;
    if (out == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_keypair_read_file: NULL argument");
    }
    *out = NULL;
    if ((text = tk_secure_alloc(KEY_FILE_MAX)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_file_read_into(text, KEY_FILE_MAX, &len, path, TK_FILE_PRIVATE);
    if (rc == TK_ERR_RANGE) {
        rc =
            tk_fail(TK_ERR_INPUT, "ckd key file %s is too long (64 hex characters expected)", path);
    } else if (rc == TK_OK) {
        rc = tk_ckd_keypair_from_hex(out, (const char *)text, len);
        if (rc != TK_OK) {
            rc = tk_fail(rc, "ckd key file %s: %s", path, tk_errmsg());
        }
    }
    tk_secure_free(text);
    return rc;
}

int tk_ckd_keypair_write_file(const char *path, const tk_ckd_keypair *kp)
{
    unsigned char *raw;
    char *hex;
    int rc;
    if (path == NULL || kp == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_keypair_write_file: NULL argument");
    }
    raw = tk_secure_alloc(TK_CKD_SCALAR_LEN);
    hex = tk_secure_alloc(TK_CKD_SCALAR_HEX_LEN + 2);
    if (raw == NULL || hex == NULL) {
        tk_secure_free(raw);
        tk_secure_free(hex);
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    tk_bls_scalar_to_bytes(raw, &kp->a);
    rc = tk_hex_encode(hex, TK_CKD_SCALAR_HEX_LEN + 2, raw, TK_CKD_SCALAR_LEN);
    if (rc == TK_OK) {
        hex[TK_CKD_SCALAR_HEX_LEN] = '\n';
        rc = tk_file_write_atomic(path, hex, TK_CKD_SCALAR_HEX_LEN + 1, 0600, 1);
    }
    tk_secure_free(raw);
    tk_secure_free(hex);
    return rc;
}

void tk_ckd_keypair_public(tk_bls_g1 *pk1, tk_bls_g2 *pk2, const tk_ckd_keypair *kp)
{
    if (kp == NULL) {
        return;
    }
    if (pk1 != NULL) {
        *pk1 = kp->pk1;
    }
    if (pk2 != NULL) {
        *pk2 = kp->pk2;
    }
}

void tk_ckd_keypair_export(unsigned char out[TK_CKD_SCALAR_LEN], const tk_ckd_keypair *kp)
{
    if (out != NULL && kp != NULL) {
        tk_bls_scalar_to_bytes(out, &kp->a);
    }
}

void tk_ckd_keypair_free(tk_ckd_keypair *kp)
{
    tk_secure_free(kp); /* wipes first */
}
