/*
 * End-to-end tests of DCAP verification under a development root built here with OpenSSL:
 * a root CA, a PCK CA, a PCK certificate carrying Intel's SGX extension, a TCB signing
 * certificate, both CRLs, signed TCB info and QE identity texts, and the shared v4 TDX quote
 * re-signed with a fresh attestation key. Because every signature is ours, the paths that
 * Intel's vectors cannot reach are tested: the TD attributes policy (debug TD, SEPT_VE_DISABLE),
 * statuses other than UpToDate and their convergence with the QE and TDX module statuses,
 * advisory ids, the accepted-status mask, a revoked PCK certificate, a signed but wrong FMSPC,
 * and the root pin (the same quote fails without the development root).
 * Test-only keys: nothing here is a secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "teekeys/attest.h"
#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "util_p256.h"

#define T_NOTBEFORE 1735689600 /* 2025-01-01 */
#define T_NOTAFTER  2051222400 /* 2035-01-01 */
#define T_NOW       1800000000

/* What a scenario changes. */
typedef struct {
    const char *platform_status;      /* first platform TCB level's status */
    const char *platform_adv;         /* its advisoryIDs array text, or NULL */
    const char *qe_status;            /* the QE TCB level's status */
    unsigned module_min_svn;          /* the TDX_01 UpToDate level's isvsvn (the quote has 6) */
    unsigned first_sgx_svn;           /* first platform level's SGX component SVNs (PCK has 3) */
    const char *fmspc_in_tcb;         /* TCB info FMSPC (PCK has 00906ED50000) */
    int revoke_leaf;                  /* put the PCK certificate on the PCK CRL */
    unsigned char td_attr0, td_attr3; /* td_attributes bytes 0 and 3 */
    int pck_on_secp256k1;             /* a PCK key on the wrong 256-bit curve */
} scenario;

static const scenario k_base = {"UpToDate",     NULL, "UpToDate", 4,    3,
                                "00906ED50000", 0,    0x00,       0x10, 0};

/* ---- a tiny DER writer for the SGX extension ---- */

typedef struct {
    unsigned char b[1024];
    size_t n;
} der;

static void der_raw(der *d, const void *p, size_t n)
{
    assert_true(d->n + n <= sizeof d->b);
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

static void der_tlv(der *d, unsigned char tag, const unsigned char *v, size_t n)
{
    unsigned char h[4] = {tag};
    size_t hn;
    if (n < 128) {
        h[1] = (unsigned char)n;
        hn = 2;
    } else if (n < 256) {
        h[1] = 0x81;
        h[2] = (unsigned char)n;
        hn = 3;
    } else {
        h[1] = 0x82;
        h[2] = (unsigned char)(n >> 8);
        h[3] = (unsigned char)n;
        hn = 4;
    }
    der_raw(d, h, hn);
    der_raw(d, v, n);
}

/* SEQUENCE { OID 1.2.840.113741.1.13.1.<arcs>, value } */
static void der_pair(der *d, const unsigned char *arcs, size_t n_arcs, const der *value)
{
    static const unsigned char sgx[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
    der oid = {{0}, 0}, pair = {{0}, 0};
    unsigned char o[16];
    memcpy(o, sgx, sizeof sgx);
    memcpy(o + sizeof sgx, arcs, n_arcs);
    der_tlv(&oid, 0x06, o, sizeof sgx + n_arcs);
    der_raw(&pair, oid.b, oid.n);
    der_raw(&pair, value->b, value->n);
    der_tlv(d, 0x30, pair.b, pair.n);
}

static void sgx_extension(der *out)
{
    der body = {{0}, 0}, tcb = {{0}, 0}, v;
    unsigned char cpusvn[16];
    for (unsigned char i = 1; i <= 16; i++) {
        unsigned char arcs[2] = {2, i}, n = 3;
        v.n = 0;
        der_tlv(&v, 0x02, &n, 1);
        der_pair(&tcb, arcs, 2, &v);
    }
    {
        unsigned char arcs[2] = {2, 17}, pcesvn = 11;
        v.n = 0;
        der_tlv(&v, 0x02, &pcesvn, 1);
        der_pair(&tcb, arcs, 2, &v);
    }
    {
        unsigned char arcs[2] = {2, 18};
        memset(cpusvn, 3, sizeof cpusvn);
        v.n = 0;
        der_tlv(&v, 0x04, cpusvn, 16);
        der_pair(&tcb, arcs, 2, &v);
    }
    {
        unsigned char arcs[1] = {1}, ppid[16] = {1, 2, 3};
        v.n = 0;
        der_tlv(&v, 0x04, ppid, 16);
        der_pair(&body, arcs, 1, &v);
    }
    {
        unsigned char arcs[1] = {2};
        v.n = 0;
        der_tlv(&v, 0x30, tcb.b, tcb.n);
        der_pair(&body, arcs, 1, &v);
    }
    {
        unsigned char arcs[1] = {3}, pceid[2] = {0, 0};
        v.n = 0;
        der_tlv(&v, 0x04, pceid, 2);
        der_pair(&body, arcs, 1, &v);
    }
    {
        unsigned char arcs[1] = {4}, fmspc[6] = {0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00};
        v.n = 0;
        der_tlv(&v, 0x04, fmspc, 6);
        der_pair(&body, arcs, 1, &v);
    }
    out->n = 0;
    der_tlv(out, 0x30, body.b, body.n);
}

/* ---- certificates, CRLs, signatures ---- */

static EVP_PKEY *keygen(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(k);
    return k;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(e);
    assert_int_equal(X509_add_ext(x, e, -1), 1);
    X509_EXTENSION_free(e);
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       long serial, int ca, const der *sgx_ext)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), T_NOTBEFORE));
    assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), T_NOTAFTER));
    assert_int_equal(
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0),
        1);
    assert_int_equal(X509_set_subject_name(x, name), 1);
    assert_int_equal(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name), 1);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    if (ca) {
        add_ext(x, issuer ? issuer : x, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x, issuer ? issuer : x, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x, issuer, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    }
    if (sgx_ext != NULL) {
        ASN1_OBJECT *obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
        ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
        X509_EXTENSION *e;
        assert_int_equal(ASN1_OCTET_STRING_set(os, sgx_ext->b, (int)sgx_ext->n), 1);
        e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
        assert_non_null(e);
        assert_int_equal(X509_add_ext(x, e, -1), 1);
        X509_EXTENSION_free(e);
        ASN1_OCTET_STRING_free(os);
        ASN1_OBJECT_free(obj);
    }
    assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
    X509_NAME_free(name);
    return x;
}

static X509_CRL *make_crl(X509 *issuer, EVP_PKEY *key, long revoked_serial)
{
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_new();
    assert_int_equal(X509_CRL_set_version(crl, 1), 1);
    assert_int_equal(X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)), 1);
    ASN1_TIME_set(t, T_NOTBEFORE);
    assert_int_equal(X509_CRL_set1_lastUpdate(crl, t), 1);
    ASN1_TIME_set(t, T_NOTAFTER);
    assert_int_equal(X509_CRL_set1_nextUpdate(crl, t), 1);
    if (revoked_serial > 0) {
        X509_REVOKED *r = X509_REVOKED_new();
        ASN1_INTEGER *serial = ASN1_INTEGER_new();
        ASN1_INTEGER_set(serial, revoked_serial);
        assert_int_equal(X509_REVOKED_set_serialNumber(r, serial), 1);
        ASN1_TIME_set(t, T_NOTBEFORE + 86400);
        assert_int_equal(X509_REVOKED_set_revocationDate(r, t), 1);
        assert_int_equal(X509_CRL_add0_revoked(crl, r), 1);
        ASN1_INTEGER_free(serial);
    }
    assert_int_equal(X509_CRL_sort(crl), 1);
    assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    ASN1_TIME_free(t);
    return crl;
}

static void raw_pub(unsigned char out[64], EVP_PKEY *key)
{
    unsigned char pt[65];
    size_t n = 0;
    assert_int_equal(EVP_PKEY_get_octet_string_param(key, "pub", pt, sizeof pt, &n), 1);
    assert_int_equal(n, 65);
    memcpy(out, pt + 1, 64);
}

static void pem_append(char *out, size_t cap, X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p;
    long n;
    assert_int_equal(PEM_write_bio_X509(b, x), 1);
    n = BIO_get_mem_data(b, &p);
    assert_true(strlen(out) + (size_t)n < cap);
    strncat(out, p, (size_t)n);
    BIO_free(b);
}

static char *hex_of(const unsigned char *b, size_t n)
{
    char *h = malloc(2 * n + 1);
    assert_non_null(h);
    assert_int_equal(tk_hex_encode(h, 2 * n + 1, b, n), TK_OK);
    return h;
}

static char *crl_hex(X509_CRL *crl)
{
    unsigned char *d = NULL;
    int n = i2d_X509_CRL(crl, &d);
    char *h;
    assert_true(n > 0);
    h = hex_of(d, (size_t)n);
    OPENSSL_free(d);
    return h;
}

static const char *svn16(char *buf, unsigned v)
{
    buf[0] = '\0';
    for (int i = 0; i < 16; i++) {
        char one[24];
        snprintf(one, sizeof one, "%s{\"svn\":%u}", i ? "," : "", v);
        strcat(buf, one);
    }
    return buf;
}

/* The world of one scenario: a quote, its collateral JSON and the development root (DER). */
typedef struct {
    unsigned char quote[8192];
    size_t quote_len;
    char *collateral;
    unsigned char *root_der;
    size_t root_der_len;
} world;

static void build(world *w, const scenario *s)
{
    EVP_PKEY *root_key = keygen(), *ca_key = keygen(), *tcb_key = keygen(), *ak = keygen();
    EVP_PKEY *pck_key =
        s->pck_on_secp256k1 ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1") : keygen();
    der ext;
    X509 *root, *ca, *pck, *tcb;
    X509_CRL *root_crl, *pck_crl;
    char chain[8192] = "", tcb_chain[8192] = "", ca_chain[8192] = "", comps[400], comps0[400];
    char tcb_info[8192], qe_identity[2048], *root_crl_hex, *pck_crl_hex, *tcb_sig_hex, *qe_sig_hex;
    unsigned char tcb_sig[64], qe_sig[64], hash[32], *qb;
    size_t qlen, w_len;
    tk_attest_quote q;
    json_t *coll;
    char path[512];

    /* PKI */
    sgx_extension(&ext);
    root = make_cert("teekeys test root", root_key, NULL, root_key, 1, 1, NULL);
    ca = make_cert("teekeys test PCK CA", ca_key, root, root_key, 2, 1, NULL);
    pck = make_cert("teekeys test PCK", pck_key, ca, ca_key, 77, 0, &ext);
    tcb = make_cert("Intel SGX TCB Signing", tcb_key, root, root_key, 3, 0, NULL);
    root_crl = make_crl(root, root_key, 0);
    pck_crl = make_crl(ca, ca_key, s->revoke_leaf ? 77 : 0);
    pem_append(chain, sizeof chain, pck);
    pem_append(chain, sizeof chain, ca);
    pem_append(chain, sizeof chain, root);
    pem_append(tcb_chain, sizeof tcb_chain, tcb);
    pem_append(tcb_chain, sizeof tcb_chain, root);
    pem_append(ca_chain, sizeof ca_chain, ca);
    pem_append(ca_chain, sizeof ca_chain, root);
    w->root_der = NULL;
    w->root_der_len = (size_t)i2d_X509(root, &w->root_der);

    /* Signed texts (the attestation-side identities of the vector's QE and TDX module). */
    snprintf(tcb_info, sizeof tcb_info,
             "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2025-01-01T00:00:00Z\","
             "\"nextUpdate\":\"2035-01-01T00:00:00Z\",\"fmspc\":\"%s\",\"pceId\":\"0000\","
             "\"tcbType\":0,\"tcbEvaluationDataNumber\":1,\"tdxModule\":{\"mrsigner\":\"%096d\","
             "\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
             "\"tdxModuleIdentities\":[{\"id\":\"TDX_01\",\"mrsigner\":\"%096d\",\"attributes\":"
             "\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":["
             "{\"tcb\":{\"isvsvn\":%u},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":"
             "\"UpToDate\"},{\"tcb\":{\"isvsvn\":0},\"tcbDate\":\"2023-08-09T00:00:00Z\","
             "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"INTEL-SA-01000\"]}]}],"
             "\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":[%s],\"pcesvn\":11,"
             "\"tdxtcbcomponents\":[%s]},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":"
             "\"%s\"%s%s},{\"tcb\":{\"sgxtcbcomponents\":[%s],\"pcesvn\":1,\"tdxtcbcomponents\":"
             "[%s]},\"tcbDate\":\"2018-01-04T00:00:00Z\",\"tcbStatus\":\"OutOfDate\","
             "\"advisoryIDs\":[\"INTEL-SA-00106\",\"INTEL-SA-00115\"]}]}",
             s->fmspc_in_tcb, 0, 0, s->module_min_svn, svn16(comps, s->first_sgx_svn),
             svn16(comps0, 0), s->platform_status, s->platform_adv ? ",\"advisoryIDs\":" : "",
             s->platform_adv ? s->platform_adv : "", comps0, comps0);
    /* the first level's TDX components: 0, which the quote's TEE TCB SVN always meets */
    snprintf(qe_identity, sizeof qe_identity,
             "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2025-01-01T00:00:00Z\","
             "\"nextUpdate\":\"2035-01-01T00:00:00Z\",\"tcbEvaluationDataNumber\":1,"
             "\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\",\"attributes\":"
             "\"11000000000000000000000000000000\",\"attributesMask\":"
             "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":"
             "\"DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5\","
             "\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":4},\"tcbDate\":"
             "\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"%s\"%s}]}",
             s->qe_status,
             strcmp(s->qe_status, "UpToDate") ? ",\"advisoryIDs\":[\"INTEL-SA-00999\"]" : "");
    test_p256_sign_raw(tcb_sig, tcb_key, tcb_info, strlen(tcb_info));
    test_p256_sign_raw(qe_sig, tcb_key, qe_identity, strlen(qe_identity));

    /* The quote: the shared v4 vector with our attestation key, QE report binding, PCK chain,
     * TD attributes, and fresh signatures. */
    assert_int_equal(
        tk_file_read(&qb, &qlen, test_shared_path(path, sizeof path, "tdx/tdx_quote"), 1u << 20, 0),
        TK_OK);
    assert_int_equal(tk_attest_quote_parse(&q, qb, qlen), TK_OK);
    raw_pub(q.attestation_key, ak);
    {
        tk_buf parts[2] = {{q.attestation_key, 64}, {q.qe_auth_data, q.qe_auth_len}};
        tk_sha256_v(hash, parts, 2);
    }
    memcpy(q.qe_report.raw + 320, hash, 32);
    memset(q.qe_report.raw + 352, 0, 32);
    test_p256_sign_raw(q.qe_report_signature, pck_key, q.qe_report.raw, 384);
    q.td.td_attributes[0] = s->td_attr0;
    q.td.td_attributes[3] = s->td_attr3;
    q.pck_chain_pem = chain;
    q.pck_chain_len = strlen(chain);
    assert_int_equal(tk_attest_quote_serialize(w->quote, sizeof w->quote, &w_len, &q), TK_OK);
    test_p256_sign_raw(q.signature, ak, w->quote, q.signed_len);
    assert_int_equal(tk_attest_quote_serialize(w->quote, sizeof w->quote, &w->quote_len, &q),
                     TK_OK);
    free(qb);

    /* Collateral JSON */
    root_crl_hex = crl_hex(root_crl);
    pck_crl_hex = crl_hex(pck_crl);
    tcb_sig_hex = hex_of(tcb_sig, 64);
    qe_sig_hex = hex_of(qe_sig, 64);
    coll = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "pck_crl_issuer_chain", ca_chain,
                     "root_ca_crl", root_crl_hex, "pck_crl", pck_crl_hex, "tcb_info_issuer_chain",
                     tcb_chain, "tcb_info", tcb_info, "tcb_info_signature", tcb_sig_hex,
                     "qe_identity_issuer_chain", tcb_chain, "qe_identity", qe_identity,
                     "qe_identity_signature", qe_sig_hex);
    assert_non_null(coll);
    w->collateral = json_dumps(coll, JSON_COMPACT);
    json_decref(coll);
    free(root_crl_hex);
    free(pck_crl_hex);
    free(tcb_sig_hex);
    free(qe_sig_hex);
    X509_CRL_free(root_crl);
    X509_CRL_free(pck_crl);
    X509_free(root);
    X509_free(ca);
    X509_free(pck);
    X509_free(tcb);
    EVP_PKEY_free(root_key);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(pck_key);
    EVP_PKEY_free(tcb_key);
    EVP_PKEY_free(ak);
}

static void drop(world *w)
{
    free(w->collateral);
    OPENSSL_free(w->root_der);
}

static int run(const scenario *s, tk_attest_verdict *v, unsigned accepted, int with_root)
{
    world w;
    int rc;
    build(&w, s);
    rc = tk_attest_verify_quote(v, w.quote, w.quote_len, w.collateral, strlen(w.collateral), T_NOW,
                                with_root ? w.root_der : NULL, with_root ? w.root_der_len : 0,
                                accepted);
    drop(&w);
    return rc;
}

static void test_dev_root_uptodate(void **state)
{
    tk_attest_verdict v;
    (void)state;
    assert_int_equal(run(&k_base, &v, 0, 1), TK_OK);
    assert_int_equal(v.status, TK_TCB_UP_TO_DATE);
    assert_int_equal(v.root, TK_ATTEST_ROOT_DEV);
    assert_int_equal(v.n_advisories, 0);
    assert_hex_equal(v.fmspc, 6, "00906ed50000");
    assert_int_equal(v.pce_svn, 11);
    assert_int_equal(v.valid_from, T_NOTBEFORE);
    assert_int_equal(v.valid_until, T_NOTAFTER - 1);
    /* the same quote and collateral without the development root: Intel's pin refuses it */
    assert_int_equal(run(&k_base, &v, 0, 0), TK_ERR_CRYPTO);
    assert_int_equal(v.root, TK_ATTEST_ROOT_INTEL);
    assert_non_null(strstr(tk_errmsg(), "pinned root"));
}

static void test_dev_td_attributes(void **state)
{
    tk_attest_verdict v;
    scenario s = k_base;
    (void)state;
    s.td_attr0 = 0x01; /* DEBUG */
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "DEBUG"));
    assert_int_equal(v.checks_passed, 0);
    s = k_base;
    s.td_attr3 = 0x00; /* SEPT_VE_DISABLE clear */
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "SEPT_VE_DISABLE"));
}

static void test_dev_statuses(void **state)
{
    tk_attest_verdict v;
    scenario s = k_base;
    (void)state;
    /* SWHardeningNeeded with advisories: refused by default, accepted when asked for */
    s.platform_status = "SWHardeningNeeded";
    s.platform_adv = "[\"INTEL-SA-00615\",\"INTEL-SA-00334\"]";
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_int_equal(v.checks_passed, 1);
    assert_int_equal(v.status, TK_TCB_SW_HARDENING_NEEDED);
    assert_non_null(strstr(tk_errmsg(), "SWHardeningNeeded is not accepted"));
    assert_int_equal(
        run(&s, &v,
            TK_ATTEST_ACCEPT(TK_TCB_UP_TO_DATE) | TK_ATTEST_ACCEPT(TK_TCB_SW_HARDENING_NEEDED), 1),
        TK_OK);
    assert_int_equal(v.n_advisories, 2);
    assert_string_equal(v.advisory_ids[0], "INTEL-SA-00334"); /* sorted */
    assert_string_equal(v.advisory_ids[1], "INTEL-SA-00615");

    /* the platform misses the first level (SGX SVNs 4 > 3): the second level, OutOfDate */
    s = k_base;
    s.first_sgx_svn = 4;
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_int_equal(v.status, TK_TCB_OUT_OF_DATE);
    assert_int_equal(v.n_advisories, 2);
    assert_string_equal(v.advisory_ids[0], "INTEL-SA-00106");

    /* an out-of-date TDX module turns an UpToDate platform OutOfDate, with its advisory */
    s = k_base;
    s.module_min_svn = 7;
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_int_equal(v.platform_status, TK_TCB_UP_TO_DATE);
    assert_int_equal(v.module_status, TK_TCB_OUT_OF_DATE);
    assert_int_equal(v.status, TK_TCB_OUT_OF_DATE);
    assert_string_equal(v.advisory_ids[0], "INTEL-SA-01000");

    /* ... and ConfigurationNeeded into OutOfDateConfigurationNeeded */
    s.platform_status = "ConfigurationNeeded";
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_int_equal(v.status, TK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED);

    /* an out-of-date QE does the same; a revoked QE wins */
    s = k_base;
    s.qe_status = "OutOfDate";
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_int_equal(v.qe_status, TK_TCB_OUT_OF_DATE);
    assert_int_equal(v.status, TK_TCB_OUT_OF_DATE);
    assert_string_equal(v.advisory_ids[0], "INTEL-SA-00999");
    s.qe_status = "Revoked";
    assert_int_equal(run(&s, &v, 0xffffffffu, 1), TK_OK); /* accepted only because asked to */
    assert_int_equal(v.status, TK_TCB_REVOKED);
}

static void test_dev_revoked_and_fmspc(void **state)
{
    tk_attest_verdict v;
    scenario s = k_base;
    (void)state;
    s.revoke_leaf = 1;
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_CRYPTO);
    assert_non_null(strstr(tk_errmsg(), "revoked"));
    s = k_base;
    s.fmspc_in_tcb = "00906ED50001"; /* signed, but for another platform */
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "FMSPC"));
    s = k_base;
    s.pck_on_secp256k1 = 1; /* a valid chain, but the QE report key is not P-256 */
    assert_int_equal(run(&s, &v, 0, 1), TK_ERR_CRYPTO);
    assert_non_null(strstr(tk_errmsg(), "QE report signature"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dev_root_uptodate),
        cmocka_unit_test(test_dev_td_attributes),
        cmocka_unit_test(test_dev_statuses),
        cmocka_unit_test(test_dev_revoked_and_fmspc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
