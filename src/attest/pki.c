/*
 * OpenSSL 3 glue for DCAP: PEM chains and DER CRLs, chain verification to one pinned root at a
 * caller-given time with CRLs, ECDSA P-256 signatures in Intel's raw r || s form, and the SGX
 * extension of PCK certificates (FMSPC, PCE id, TCB component SVNs, PCE SVN).
 * The root is always the caller's pinned certificate: nothing here may trust a certificate
 * merely because the input carried it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "teekeys/encoding.h"

/* Strict PEM framing: the text is a sequence of "-----BEGIN CERTIFICATE-----" ...
 * "-----END CERTIFICATE-----" blocks separated only by whitespace (and a trailing NUL, which
 * Intel's quotes carry). Anything else, a block that does not decode, or DER with trailing
 * bytes, refuses the whole chain: a chain is taken whole or not at all. */
#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END   "-----END CERTIFICATE-----"

static int is_space_or_nul(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0';
}

/* A certificate of `known` whose DER encoding is exactly der[0..len), or NULL. */
static X509 *find_known(cert_stack *known, const unsigned char *der, size_t len)
{
    for (int i = 0; known != NULL && i < sk_X509_num(known); i++) {
        X509 *x = sk_X509_value(known, i);
        unsigned char *enc = NULL;
        int n = i2d_X509(x, &enc);
        int match = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;
        OPENSSL_free(enc);
        if (match) {
            return x;
        }
    }
    return NULL;
}

static int pem_block(X509 **out, const char *b64, size_t len, cert_stack *known)
{
    unsigned char *der = NULL;
    char *clean = malloc(len + 1);
    size_t n = 0, der_len = 0;
    X509 *same;
    int ok = 0;
    *out = NULL;
    if (clean == NULL) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (b64[i] != '\n' && b64[i] != '\r') {
            clean[n++] = b64[i];
        }
    }
    der = malloc(n / 4 * 3 + 3);
    if (der == NULL || tk_base64_decode(der, n / 4 * 3 + 3, &der_len, clean, n) != TK_OK) {
        der_len = 0;
    }
    if (der_len != 0 && (same = find_known(known, der, der_len)) != NULL) {
        /* a certificate already parsed (the pinned root, the quote's PCK CA): share it, since
         * parsing is the slow part */
        ok = X509_up_ref(same) == 1;
        *out = ok ? same : NULL;
    } else if (der_len != 0) {
        *out = tk_attest_cache_cert(der, der_len);
        ok = *out != NULL;
    }
    if (!ok) {
        X509_free(*out);
        *out = NULL;
    }
    free(clean);
    free(der);
    ERR_clear_error();
    return ok;
}

int tk_attest_pki_load_chain_known(cert_stack **out, const char *text, size_t len,
                                   cert_stack *known, const char *what)
{
    cert_stack *sk = sk_X509_new_null();
    size_t pos = 0;
    int rc = TK_OK;
    *out = NULL;
    if (sk == NULL) {
        return tk_fail(TK_ERR_NOMEM, "%s: out of memory", what);
    }
    while (rc == TK_OK) {
        const char *body, *end;
        X509 *cert;
        while (pos < len && is_space_or_nul(text[pos])) {
            pos++;
        }
        if (pos == len) {
            break;
        }
        if (len - pos < sizeof PEM_BEGIN ||
            memcmp(text + pos, PEM_BEGIN, sizeof PEM_BEGIN - 1) != 0) {
            rc = tk_fail(TK_ERR_INPUT, "%s: text outside a PEM certificate block (offset %zu)",
                         what, pos);
            break;
        }
        body = text + pos + sizeof PEM_BEGIN - 1;
        end = memmem(body, len - (size_t)(body - text), PEM_END, sizeof PEM_END - 1);
        if (end == NULL) {
            rc = tk_fail(TK_ERR_INPUT, "%s: certificate %d has no END line", what,
                         sk_X509_num(sk) + 1);
            break;
        }
        if (!pem_block(&cert, body, (size_t)(end - body), known)) {
            rc = tk_fail(TK_ERR_INPUT, "%s: certificate %d does not decode", what,
                         sk_X509_num(sk) + 1);
            break;
        }
        if (sk_X509_num(sk) >= 8 || sk_X509_push(sk, cert) <= 0) {
            X509_free(cert);
            rc = tk_fail(TK_ERR_INPUT, "%s: more than 8 certificates", what);
            break;
        }
        pos = (size_t)(end - text) + sizeof PEM_END - 1;
    }
    if (rc == TK_OK && sk_X509_num(sk) == 0) {
        rc = tk_fail(TK_ERR_INPUT, "%s: no PEM certificate found", what);
    }
    if (rc != TK_OK) {
        sk_X509_pop_free(sk, X509_free);
        return rc;
    }
    *out = sk;
    return TK_OK;
}

int tk_attest_pki_load_chain(cert_stack **out, const char *text, size_t len, const char *what)
{
    return tk_attest_pki_load_chain_known(out, text, len, NULL, what);
}

int tk_attest_pki_load_crl(X509_CRL **out, const unsigned char *der, size_t len, const char *what)
{
    const unsigned char *p = der;
    *out = NULL;
    if (len > INT32_MAX) {
        return tk_fail(TK_ERR_INPUT, "%s: CRL too long", what);
    }
    *out = d2i_X509_CRL(NULL, &p, (long)len);
    if (*out == NULL || p != der + len) {
        X509_CRL_free(*out);
        *out = NULL;
        ERR_clear_error();
        return tk_fail(TK_ERR_INPUT, "%s: not a DER CRL", what);
    }
    return TK_OK;
}

int64_t tk_attest_pki_time(const ASN1_TIME *t)
{
    struct tm tm;
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
        return -1;
    }
    return (int64_t)timegm(&tm);
}

/* SHA-256 of a certificate's or CRL's DER encoding into out; returns 1, or 0 on failure. */
static int der_hash(unsigned char out[TK_SHA256_LEN], X509 *x, X509_CRL *crl)
{
    unsigned char *der = NULL;
    int n = x != NULL ? i2d_X509(x, &der) : i2d_X509_CRL(crl, &der);
    if (n <= 0) {
        return 0;
    }
    tk_sha256(out, der, (size_t)n);
    OPENSSL_free(der);
    return 1;
}

/* The memo key of a chain verification: everything X509_verify_cert reads besides the time
 * (leaf, root, the untrusted certificates and the CRLs, in order). Returns 0 when the inputs
 * are too many to key (then nothing is memoised). */
static int chain_key(unsigned char key[TK_SHA256_LEN], X509 *leaf, STACK_OF(X509) * untrusted,
                     X509 *root, X509_CRL *const *crls, size_t n_crls)
{
    unsigned char d[16][TK_SHA256_LEN];
    size_t n = 0, n_untrusted = (size_t)sk_X509_num(untrusted);
    int ok;
    if (n_untrusted + n_crls + 2 > 16) {
        return 0;
    }
    ok = der_hash(d[n++], leaf, NULL) && der_hash(d[n++], root, NULL);
    for (size_t i = 0; ok && i < n_untrusted; i++) {
        ok = der_hash(d[n++], sk_X509_value(untrusted, (int)i), NULL);
    }
    memset(d[n++], 0, TK_SHA256_LEN); /* separates certificates from CRLs */
    for (size_t i = 0; ok && i < n_crls; i++) {
        ok = der_hash(d[n++], NULL, crls[i]);
    }
    if (ok) {
        tk_buf parts[2] = {{(const unsigned char *)"teekeys/attest/chain", 20},
                           {&d[0][0], n * TK_SHA256_LEN}};
        tk_sha256_v(key, parts, 2);
    }
    return ok;
}

/* The verification times at which the same chain and CRLs verify as they did at `now`: inside
 * every certificate's validity on the path and every CRL's (one second inside each bound). */
static void chain_window(int64_t *from, int64_t *until, STACK_OF(X509) * path,
                         X509_CRL *const *crls, size_t n_crls)
{
    *from = INT64_MIN;
    *until = INT64_MAX;
    for (int i = 0; i < sk_X509_num(path); i++) {
        X509 *x = sk_X509_value(path, i);
        int64_t nb = tk_attest_pki_time(X509_get0_notBefore(x)),
                na = tk_attest_pki_time(X509_get0_notAfter(x));
        *from = nb + 1 > *from ? nb + 1 : *from;
        *until = na - 1 < *until ? na - 1 : *until;
    }
    for (size_t i = 0; i < n_crls; i++) {
        const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crls[i]);
        int64_t lu = tk_attest_pki_time(X509_CRL_get0_lastUpdate(crls[i])),
                nu = next != NULL ? tk_attest_pki_time(next) : -1;
        *from = lu + 1 > *from ? lu + 1 : *from;
        *until = nu - 1 < *until ? nu - 1 : *until;
    }
}

int tk_attest_pki_verify_chain(X509 *leaf, STACK_OF(X509) * untrusted, X509 *root,
                               X509_CRL *const *crls, size_t n_crls, int64_t now, const char *what)
{
    X509_STORE *store = NULL;
    X509_STORE_CTX *ctx = NULL;
    STACK_OF(X509_CRL) *crl_sk = NULL;
    unsigned char key[TK_SHA256_LEN];
    int have_key = chain_key(key, leaf, untrusted, root, crls, n_crls);
    int rc = TK_OK;

    if (have_key && tk_attest_cache_hit(key, now)) {
        return TK_OK;
    }
    store = X509_STORE_new();
    ctx = X509_STORE_CTX_new();
    crl_sk = sk_X509_CRL_new_null();
    if (store == NULL || ctx == NULL || crl_sk == NULL || X509_STORE_add_cert(store, root) != 1) {
        rc = tk_fail(TK_ERR_NOMEM, "%s: cannot set up chain verification", what);
        goto cleanup;
    }
    for (size_t i = 0; i < n_crls; i++) {
        if (sk_X509_CRL_push(crl_sk, crls[i]) <= 0) {
            rc = tk_fail(TK_ERR_NOMEM, "%s: out of memory", what);
            goto cleanup;
        }
    }
    if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
        rc = tk_fail(TK_ERR_NOMEM, "%s: cannot set up chain verification", what);
        goto cleanup;
    }
    X509_STORE_CTX_set0_crls(ctx, crl_sk);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)now);
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
                                X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        switch (err) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
        case X509_V_ERR_CERT_NOT_YET_VALID:
        case X509_V_ERR_CRL_HAS_EXPIRED:
        case X509_V_ERR_CRL_NOT_YET_VALID:
            rc = TK_ERR_RANGE;
            break;
        default:
            rc = TK_ERR_CRYPTO;
        }
        tk_fail(rc, "%s: chain does not verify at depth %d: %s", what, depth,
                X509_verify_cert_error_string(err));
    } else if (have_key) {
        int64_t from, until;
        chain_window(&from, &until, X509_STORE_CTX_get0_chain(ctx), crls, n_crls);
        tk_attest_cache_success(key, from, until);
    }
cleanup:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    sk_X509_CRL_free(crl_sk); /* the CRLs themselves belong to the caller */
    return rc;
}

int tk_attest_pki_cn_is(X509 *cert, const char *cn)
{
    char buf[128];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
    return n > 0 && (size_t)n == strlen(cn) && memcmp(buf, cn, (size_t)n) == 0;
}

EVP_PKEY *tk_attest_pki_p256_from_raw(const unsigned char xy[TK_ATTEST_PUBKEY_LEN])
{
    unsigned char point[1 + TK_ATTEST_PUBKEY_LEN];
    char group[] = "prime256v1";
    OSSL_PARAM params[3];
    EVP_PKEY_CTX *ctx;
    EVP_PKEY *key = NULL;

    point[0] = 0x04;
    memcpy(point + 1, xy, TK_ATTEST_PUBKEY_LEN);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point);
    params[2] = OSSL_PARAM_construct_end();
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return key;
}

/* Only ECDSA over NIST P-256 is acceptable: not another 256-bit curve, not RSA. */
static int is_p256(EVP_PKEY *key)
{
    char group[32];
    size_t n = 0;
    return key != NULL && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
           EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                          &n) == 1 &&
           strcmp(group, "prime256v1") == 0;
}

int tk_attest_pki_verify_sig(EVP_PKEY *key, const unsigned char sig[TK_ATTEST_SIG_LEN],
                             const void *msg, size_t msg_len, const char *what)
{
    ECDSA_SIG *es;
    BIGNUM *r, *s;
    unsigned char *der = NULL, point[65], key_hash[TK_SHA256_LEN];
    size_t point_len = 0;
    int der_len = -1, ok = 0, have_key = 0;
    EVP_MD_CTX *md;

    /* memo key: the public point, the signature and the message digest */
    if (is_p256(key) && EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                        point, sizeof point, &point_len) == 1) {
        unsigned char msg_hash[TK_SHA256_LEN];
        tk_buf parts[4] = {{(const unsigned char *)"teekeys/attest/sig", 18},
                           {point, point_len},
                           {sig, TK_ATTEST_SIG_LEN},
                           {msg_hash, sizeof msg_hash}};
        tk_sha256(msg_hash, msg, msg_len);
        tk_sha256_v(key_hash, parts, 4);
        have_key = 1;
        if (tk_attest_cache_hit(key_hash, 0)) {
            return TK_OK;
        }
    }
    ERR_clear_error();
    es = ECDSA_SIG_new();
    r = BN_bin2bn(sig, 32, NULL);
    s = BN_bin2bn(sig + 32, 32, NULL);
    md = EVP_MD_CTX_new();
    if (es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s) == 1) {
        r = s = NULL; /* owned by es now */
        der_len = i2d_ECDSA_SIG(es, &der);
    }
    if (der_len > 0 && md != NULL && is_p256(key) &&
        EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
        EVP_DigestVerify(md, der, (size_t)der_len, msg, msg_len) == 1) {
        ok = 1;
        if (have_key) {
            tk_attest_cache_success(key_hash, INT64_MIN, INT64_MAX);
        }
    }
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    ERR_clear_error();
    return ok ? TK_OK : tk_fail(TK_ERR_CRYPTO, "%s: ECDSA P-256 signature does not verify", what);
}

/* ---- the SGX extension ---- */

#define SGX_OID "1.2.840.113741.1.13.1"

/* Reads a DER SEQUENCE of SEQUENCE { OID, value } pairs. */
static STACK_OF(ASN1_TYPE) * seq_of(const unsigned char *der, long len)
{
    const unsigned char *p = der;
    STACK_OF(ASN1_TYPE) *sk = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
    if (sk != NULL && p != der + len) {
        sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
        sk = NULL;
    }
    return sk;
}

/* For entry i of `sk` (a SEQUENCE { OID, value }), returns the OID text and the value. */
static int pair_at(STACK_OF(ASN1_TYPE) * sk, int i, char *oid, size_t oid_cap, ASN1_TYPE **value,
                   STACK_OF(ASN1_TYPE) * *owner)
{
    ASN1_TYPE *t = sk_ASN1_TYPE_value(sk, i);
    STACK_OF(ASN1_TYPE) * pair;
    ASN1_TYPE *o;
    *owner = NULL;
    if (t == NULL || t->type != V_ASN1_SEQUENCE) {
        return 0;
    }
    pair = seq_of(t->value.sequence->data, t->value.sequence->length);
    if (pair == NULL || sk_ASN1_TYPE_num(pair) != 2) {
        sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
        return 0;
    }
    o = sk_ASN1_TYPE_value(pair, 0);
    if (o->type != V_ASN1_OBJECT || OBJ_obj2txt(oid, (int)oid_cap, o->value.object, 1) <= 0) {
        sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
        return 0;
    }
    *value = sk_ASN1_TYPE_value(pair, 1);
    *owner = pair;
    return 1;
}

static int int_value(long *out, ASN1_TYPE *v, long max)
{
    long n = 0;
    if (v->type != V_ASN1_INTEGER) {
        return 0;
    }
    n = ASN1_INTEGER_get(v->value.integer);
    if (n < 0 || n > max) {
        return 0;
    }
    *out = n;
    return 1;
}

static int octets_value(unsigned char *out, size_t len, ASN1_TYPE *v)
{
    if (v->type != V_ASN1_OCTET_STRING || (size_t)v->value.octet_string->length != len) {
        return 0;
    }
    memcpy(out, v->value.octet_string->data, len);
    return 1;
}

static int parse_tcb(tk_attest_pck_ext *out, ASN1_TYPE *v, unsigned *seen)
{
    STACK_OF(ASN1_TYPE) * sk;
    int ok = 1;
    if (v->type != V_ASN1_SEQUENCE) {
        return 0;
    }
    sk = seq_of(v->value.sequence->data, v->value.sequence->length);
    if (sk == NULL) {
        return 0;
    }
    for (int i = 0; ok && i < sk_ASN1_TYPE_num(sk); i++) {
        char oid[80];
        ASN1_TYPE *val;
        STACK_OF(ASN1_TYPE) * pair;
        unsigned long arc;
        char *end;
        long n = 0;
        if (!pair_at(sk, i, oid, sizeof oid, &val, &pair)) {
            ok = 0;
            break;
        }
        if (strncmp(oid, SGX_OID ".2.", sizeof SGX_OID + 2) == 0) {
            arc = strtoul(oid + sizeof SGX_OID + 2, &end, 10);
            if (*end != '\0') {
                ok = 0;
            } else if (arc >= 1 && arc <= 16) {
                ok = int_value(&n, val, 255);
                out->cpusvn[arc - 1] = (unsigned char)n;
                *seen |= 1u << arc;
            } else if (arc == 17) {
                ok = int_value(&n, val, 65535);
                out->pcesvn = (uint16_t)n;
                *seen |= 1u << 17;
            }
        }
        sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
    }
    sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
    return ok;
}

int tk_attest_pki_pck_ext(tk_attest_pck_ext *out, X509 *pck)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(SGX_OID, 1);
    int idx;
    X509_EXTENSION *ext;
    ASN1_OCTET_STRING *data;
    STACK_OF(ASN1_TYPE) *sk = NULL;
    unsigned seen = 0; /* bits 1..17: TCB parts, 20: PCE id, 21: FMSPC */
    int ok = 1;

    memset(out, 0, sizeof *out);
    idx = obj != NULL ? X509_get_ext_by_OBJ(pck, obj, -1) : -1;
    ASN1_OBJECT_free(obj);
    if (idx < 0) {
        return tk_fail(TK_ERR_INPUT, "PCK certificate: no SGX extension (" SGX_OID ")");
    }
    ext = X509_get_ext(pck, idx);
    data = X509_EXTENSION_get_data(ext);
    sk = seq_of(data->data, data->length);
    if (sk == NULL) {
        ERR_clear_error();
        return tk_fail(TK_ERR_INPUT, "PCK certificate: SGX extension is not a DER sequence");
    }
    for (int i = 0; ok && i < sk_ASN1_TYPE_num(sk); i++) {
        char oid[80];
        ASN1_TYPE *val;
        STACK_OF(ASN1_TYPE) * pair;
        if (!pair_at(sk, i, oid, sizeof oid, &val, &pair)) {
            ok = 0;
            break;
        }
        if (strcmp(oid, SGX_OID ".2") == 0) {
            ok = parse_tcb(out, val, &seen);
        } else if (strcmp(oid, SGX_OID ".3") == 0) {
            ok = octets_value(out->pceid, 2, val);
            seen |= 1u << 20;
        } else if (strcmp(oid, SGX_OID ".4") == 0) {
            ok = octets_value(out->fmspc, 6, val);
            seen |= 1u << 21;
        }
        sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
    }
    sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
    ERR_clear_error();
    if (!ok) {
        return tk_fail(TK_ERR_INPUT, "PCK certificate: malformed SGX extension");
    }
    if (seen != ((0x3ffffu & ~1u) | (1u << 20) | (1u << 21))) {
        return tk_fail(TK_ERR_INPUT,
                       "PCK certificate: SGX extension lacks FMSPC, PCE id or TCB SVNs (0x%x)",
                       seen);
    }
    return TK_OK;
}
