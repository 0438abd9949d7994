/*
 * The sealed-master blob: AES-256-GCM (OpenSSL) with a versioned header bound as associated
 * data. Decryption reveals nothing on failure: the output is wiped and every tampering gives
 * the same error.
 */
#include <string.h>

#include <openssl/evp.h>

#include "teekeys/seal.h"

#define MAGIC      "TKSEAL"
#define MAGIC_LEN  6
#define HEADER_LEN 8
#define NONCE_LEN  12
#define TAG_LEN    16
#define AAD_PREFIX "teekeys/sealed-master/v1"

_Static_assert(HEADER_LEN + NONCE_LEN + TK_SEAL_SECRET_LEN + TAG_LEN == TK_SEAL_BLOB_LEN,
               "blob layout");

static void make_aad(unsigned char *aad, const unsigned char *header)
{
    memcpy(aad, AAD_PREFIX, sizeof AAD_PREFIX - 1);
    memcpy(aad + sizeof AAD_PREFIX - 1, header, HEADER_LEN);
}

/* AES-256-GCM in one direction; returns 1 on success (and, decrypting, a valid tag). */
static int gcm(int encrypt, unsigned char *out, unsigned char *tag, const unsigned char *key,
               const unsigned char *nonce, const unsigned char *aad, size_t aad_len,
               const unsigned char *in, size_t in_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, ok;
    if (ctx == NULL) {
        return 0;
    }
    ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1 &&
         EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) == 1 &&
         EVP_CipherUpdate(ctx, NULL, &len, aad, (int)aad_len) == 1 &&
         EVP_CipherUpdate(ctx, out, &len, in, (int)in_len) == 1;
    if (ok && !encrypt) {
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1;
    }
    ok = ok && EVP_CipherFinal_ex(ctx, out + len, &len) == 1;
    if (ok && encrypt) {
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int tk_seal_encrypt(unsigned char *blob, const unsigned char *key, tk_seal_provider_id id,
                    const unsigned char *secret)
{
    unsigned char aad[sizeof AAD_PREFIX - 1 + HEADER_LEN];
    unsigned char *nonce = blob + HEADER_LEN, *ct = nonce + NONCE_LEN;

    if (blob == NULL || key == NULL || secret == NULL || tk_seal_provider_name(id) == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_seal_encrypt: invalid argument");
    }
    memcpy(blob, MAGIC, MAGIC_LEN);
    blob[MAGIC_LEN] = TK_SEAL_VERSION;
    blob[MAGIC_LEN + 1] = (unsigned char)id;
    tk_random(nonce, NONCE_LEN);
    make_aad(aad, blob);
    if (!gcm(1, ct, ct + TK_SEAL_SECRET_LEN, key, nonce, aad, sizeof aad, secret,
             TK_SEAL_SECRET_LEN)) {
        tk_wipe(blob, TK_SEAL_BLOB_LEN);
        return tk_fail(TK_ERR_INTERNAL, "AES-256-GCM encryption failed");
    }
    return TK_OK;
}

int tk_seal_blob_provider(tk_seal_provider_id *id, const unsigned char *blob, size_t blob_len)
{
    if (id == NULL || blob == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_seal_blob_provider: NULL argument");
    }
    if (blob_len != TK_SEAL_BLOB_LEN) {
        return tk_fail(TK_ERR_INPUT,
                       "sealed blob is %zu bytes, expected %d (truncated or not a "
                       "teekeys blob)",
                       blob_len, TK_SEAL_BLOB_LEN);
    }
    if (memcmp(blob, MAGIC, MAGIC_LEN) != 0) {
        return tk_fail(TK_ERR_INPUT, "not a teekeys sealed blob (bad magic)");
    }
    if (blob[MAGIC_LEN] != TK_SEAL_VERSION) {
        return tk_fail(TK_ERR_UNSUPPORTED, "sealed blob version %u is not supported (expected %d)",
                       blob[MAGIC_LEN], TK_SEAL_VERSION);
    }
    if (tk_seal_provider_name((tk_seal_provider_id)blob[MAGIC_LEN + 1]) == NULL) {
        return tk_fail(TK_ERR_INPUT, "sealed blob names unknown provider %u", blob[MAGIC_LEN + 1]);
    }
    *id = (tk_seal_provider_id)blob[MAGIC_LEN + 1];
    return TK_OK;
}

int tk_seal_decrypt(unsigned char *secret, const unsigned char *key, tk_seal_provider_id id,
                    const unsigned char *blob, size_t blob_len)
{
    unsigned char aad[sizeof AAD_PREFIX - 1 + HEADER_LEN], tag[TAG_LEN];
    tk_seal_provider_id got = TK_SEAL_PROVIDER_DSTACK; /* set by tk_seal_blob_provider */
    int rc;

    if (secret == NULL || key == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_seal_decrypt: NULL argument");
    }
    if ((rc = tk_seal_blob_provider(&got, blob, blob_len)) != TK_OK) {
        return rc;
    }
    if (got != id) {
        return tk_fail(TK_ERR_RANGE, "blob was sealed with provider %s, not %s",
                       tk_seal_provider_name(got),
                       tk_seal_provider_name(id) ? tk_seal_provider_name(id) : "?");
    }
    make_aad(aad, blob);
    memcpy(tag, blob + HEADER_LEN + NONCE_LEN + TK_SEAL_SECRET_LEN, TAG_LEN);
    if (!gcm(0, secret, tag, key, blob + HEADER_LEN, aad, sizeof aad, blob + HEADER_LEN + NONCE_LEN,
             TK_SEAL_SECRET_LEN)) {
        tk_wipe(secret, TK_SEAL_SECRET_LEN);
        return tk_fail(TK_ERR_CRYPTO,
                       "sealed blob does not open: wrong sealing key or the blob was modified");
    }
    return TK_OK;
}
