/*
 * SHA-2, SHA-3, HMAC-SHA256 and HKDF-SHA256 on OpenSSL 3. Algorithms are fetched once
 * (explicit fetch is much cheaper than OpenSSL's implicit per-call fetch). An OpenSSL failure
 * here means the library itself is broken or out of memory: we abort instead of returning a
 * digest that is wrong.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "teekeys/hash.h"

static EVP_MD *md_sha256, *md_sha384, *md_sha512, *md_sha3_256;
static EVP_KDF *kdf_hkdf;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_all(void)
{
    md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    md_sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
    md_sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
    md_sha3_256 = EVP_MD_fetch(NULL, "SHA3-256", NULL);
    kdf_hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (!md_sha256 || !md_sha384 || !md_sha512 || !md_sha3_256 || !kdf_hkdf) {
        abort();
    }
}

static void digest_v(const EVP_MD *md, unsigned char *out, const tk_buf *parts, size_t n)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t i;
    if (ctx == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
        abort();
    }
    for (i = 0; i < n; i++) {
        if (parts[i].len > 0 && EVP_DigestUpdate(ctx, parts[i].ptr, parts[i].len) != 1) {
            abort();
        }
    }
    if (EVP_DigestFinal_ex(ctx, out, NULL) != 1) {
        abort();
    }
    EVP_MD_CTX_free(ctx);
}

static void digest(const EVP_MD *md, unsigned char *out, const void *in, size_t in_len)
{
    tk_buf part = {in, in_len};
    digest_v(md, out, &part, 1);
}

void tk_sha256(unsigned char out[TK_SHA256_LEN], const void *in, size_t in_len)
{
    pthread_once(&fetch_once, fetch_all);
    digest(md_sha256, out, in, in_len);
}

void tk_sha384(unsigned char out[TK_SHA384_LEN], const void *in, size_t in_len)
{
    pthread_once(&fetch_once, fetch_all);
    digest(md_sha384, out, in, in_len);
}

void tk_sha512(unsigned char out[TK_SHA512_LEN], const void *in, size_t in_len)
{
    pthread_once(&fetch_once, fetch_all);
    digest(md_sha512, out, in, in_len);
}

void tk_sha3_256(unsigned char out[TK_SHA3_256_LEN], const void *in, size_t in_len)
{
    pthread_once(&fetch_once, fetch_all);
    digest(md_sha3_256, out, in, in_len);
}

void tk_sha256_v(unsigned char out[TK_SHA256_LEN], const tk_buf *parts, size_t n_parts)
{
    pthread_once(&fetch_once, fetch_all);
    digest_v(md_sha256, out, parts, n_parts);
}

void tk_sha384_v(unsigned char out[TK_SHA384_LEN], const tk_buf *parts, size_t n_parts)
{
    pthread_once(&fetch_once, fetch_all);
    digest_v(md_sha384, out, parts, n_parts);
}

void tk_sha256_tagged(unsigned char out[TK_SHA256_LEN], const char *tag, const void *msg,
                      size_t msg_len)
{
    unsigned char th[TK_SHA256_LEN];
    tk_buf parts[3];
    tk_sha256(th, tag, strlen(tag));
    parts[0] = (tk_buf){th, sizeof th};
    parts[1] = (tk_buf){th, sizeof th};
    parts[2] = (tk_buf){msg, msg_len};
    tk_sha256_v(out, parts, 3);
}

void tk_hmac_sha256(unsigned char out[TK_SHA256_LEN], const void *key, size_t key_len,
                    const void *msg, size_t msg_len)
{
    static const unsigned char empty[1];
    unsigned int len = 0;
    pthread_once(&fetch_once, fetch_all);
    if (HMAC(md_sha256, key_len ? key : empty, (int)key_len, msg_len ? msg : empty, msg_len, out,
             &len) == NULL ||
        len != TK_SHA256_LEN) {
        abort();
    }
}

int tk_hkdf_sha256(unsigned char *out, size_t out_len, const void *salt, size_t salt_len,
                   const void *ikm, size_t ikm_len, const void *info, size_t info_len)
{
    static unsigned char empty[1];
    OSSL_PARAM params[5], *p = params;
    EVP_KDF_CTX *ctx;
    int ok;

    if (out == NULL || out_len == 0 || out_len > 255 * TK_SHA256_LEN ||
        (ikm == NULL && ikm_len > 0) || (info == NULL && info_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_hkdf_sha256: invalid arguments");
    }
    pthread_once(&fetch_once, fetch_all);
    ctx = EVP_KDF_CTX_new(kdf_hkdf);
    if (ctx == NULL) {
        abort();
    }
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                             ikm_len ? (void *)ikm : (void *)empty, ikm_len);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                             info_len ? (void *)info : (void *)empty, info_len);
    if (salt != NULL && salt_len > 0) {
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    }
    *p = OSSL_PARAM_construct_end();
    ok = EVP_KDF_derive(ctx, out, out_len, params);
    EVP_KDF_CTX_free(ctx);
    if (ok != 1) {
        tk_wipe(out, out_len);
        return tk_fail(TK_ERR_INTERNAL, "OpenSSL HKDF failed");
    }
    return TK_OK;
}
