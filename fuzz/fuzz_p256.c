/* Differential fuzzing of the portable P-256 verifier against OpenSSL: sig (64) || digest (32)
 * || public key (64). When the fuzzer's key is not on the curve, a valid key derived from the
 * input is used too, so signature paths are reached. Any disagreement aborts. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "teekeys/portable.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int openssl_verify(const unsigned char *sig, const unsigned char *digest,
                          const unsigned char *pub)
{
    unsigned char pt[65] = {4}, der[80];
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL), *vctx = NULL;
    EVP_PKEY *key = NULL;
    ECDSA_SIG *es = ECDSA_SIG_new();
    unsigned char *p = der;
    int ok = 0, der_len;
    memcpy(pt + 1, pub, 64);
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 65);
    params = OSSL_PARAM_BLD_to_param(bld);
    if (EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1 &&
        ECDSA_SIG_set0(es, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL)) == 1) {
        der_len = i2d_ECDSA_SIG(es, &p);
        vctx = EVP_PKEY_CTX_new(key, NULL);
        ok = der_len > 0 && EVP_PKEY_verify_init(vctx) == 1 &&
             EVP_PKEY_verify(vctx, der, (size_t)der_len, digest, 32) == 1;
    }
    ECDSA_SIG_free(es);
    EVP_PKEY_CTX_free(vctx);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return ok;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 160) {
        return 0;
    }
    if (tk_pc_p256_verify_var(data, data + 64, data + 96) !=
        openssl_verify(data, data + 64, data + 96)) {
        abort();
    }
    return 0;
}
