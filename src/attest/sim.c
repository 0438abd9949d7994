/*
 * SIMULATED TDX attestation (see include/teekeys/attest_sim.h): a development PKI kept as PEM
 * files, quotes in the real v4 format signed by a simulated QE, and collateral signed under the
 * development root. Everything produced here says "simulated" in its certificate names and
 * can only verify against the development root, never against Intel's pinned one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "teekeys/attest_sim.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

#define SIM_FMSPC      "00906ED50000"
#define SIM_PCE_SVN    11
#define SIM_CPU_SVN    3
#define SIM_QE_ISVSVN  4
#define SIM_MODULE_SVN 6
#define VALID_YEARS    10

/* Intel's TD QE identity values that the simulated QE report reuses (public constants). */
static const unsigned char qe_mrsigner[32] = {
    0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
    0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};

static const char *const names[] = {"root", "pckca", "pck", "tcb", "ak"};
enum { K_ROOT, K_PCKCA, K_PCK, K_TCB, K_AK, K_COUNT };

typedef struct {
    EVP_PKEY *key[K_COUNT];
    X509 *cert[K_COUNT - 1]; /* no certificate for the attestation key */
} sim_pki;

static void pki_free(sim_pki *p)
{
    for (int i = 0; i < K_COUNT; i++) {
        EVP_PKEY_free(p->key[i]);
    }
    for (int i = 0; i < K_COUNT - 1; i++) {
        X509_free(p->cert[i]);
    }
    memset(p, 0, sizeof *p);
}

/* ---- DER for Intel's SGX extension (OID 1.2.840.113741.1.13.1) ---- */

typedef struct {
    unsigned char b[1024];
    size_t n;
    int overflow;
} der;

static void der_raw(der *d, const void *p, size_t n)
{
    if (d->n + n > sizeof d->b) {
        d->overflow = 1;
        return;
    }
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

static void der_tlv(der *d, unsigned char tag, const unsigned char *v, size_t n)
{
    unsigned char h[4] = {tag};
    size_t hn = 2;
    if (n < 128) {
        h[1] = (unsigned char)n;
    } else if (n < 256) {
        h[1] = 0x81, h[2] = (unsigned char)n, hn = 3;
    } else {
        h[1] = 0x82, h[2] = (unsigned char)(n >> 8), h[3] = (unsigned char)n, hn = 4;
    }
    der_raw(d, h, hn);
    der_raw(d, v, n);
}

static void der_pair(der *d, const unsigned char *arcs, size_t n_arcs, const der *value)
{
    static const unsigned char sgx[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
    der oid = {{0}, 0, 0}, pair = {{0}, 0, 0};
    unsigned char o[16];
    memcpy(o, sgx, sizeof sgx);
    memcpy(o + sizeof sgx, arcs, n_arcs);
    der_tlv(&oid, 0x06, o, sizeof sgx + n_arcs);
    der_raw(&pair, oid.b, oid.n);
    der_raw(&pair, value->b, value->n);
    der_tlv(d, 0x30, pair.b, pair.n);
}

static void der_octets(der *body, unsigned char arc, const unsigned char *v, size_t n)
{
    der value = {{0}, 0, 0};
    der_tlv(&value, 0x04, v, n);
    der_pair(body, &arc, 1, &value);
}

/* FMSPC, PCE id, PPID and a TCB of 16 SGX component SVNs, PCE SVN and CPUSVN. */
static int sgx_extension(der *out)
{
    der body = {{0}, 0, 0}, tcb = {{0}, 0, 0}, v;
    unsigned char cpusvn[16], ppid[16] = {0x51, 0x4d}, pceid[2] = {0, 0};
    unsigned char fmspc[6] = {0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00}, svn = SIM_CPU_SVN;
    unsigned char pcesvn = SIM_PCE_SVN;
    for (unsigned char i = 1; i <= 16; i++) {
        unsigned char arcs[2] = {2, i};
        v = (der){{0}, 0, 0};
        der_tlv(&v, 0x02, &svn, 1);
        der_pair(&tcb, arcs, 2, &v);
    }
    {
        unsigned char arcs[2] = {2, 17};
        v = (der){{0}, 0, 0};
        der_tlv(&v, 0x02, &pcesvn, 1);
        der_pair(&tcb, arcs, 2, &v);
    }
    {
        unsigned char arcs[2] = {2, 18};
        memset(cpusvn, SIM_CPU_SVN, sizeof cpusvn);
        v = (der){{0}, 0, 0};
        der_tlv(&v, 0x04, cpusvn, 16);
        der_pair(&tcb, arcs, 2, &v);
    }
    der_octets(&body, 1, ppid, sizeof ppid);
    {
        unsigned char arc = 2;
        v = (der){{0}, 0, 0};
        der_tlv(&v, 0x30, tcb.b, tcb.n);
        der_pair(&body, &arc, 1, &v);
    }
    der_octets(&body, 3, pceid, sizeof pceid);
    der_octets(&body, 4, fmspc, sizeof fmspc);
    *out = (der){{0}, 0, 0};
    der_tlv(out, 0x30, body.b, body.n);
    return body.overflow || tcb.overflow || out->overflow ? -1 : 0;
}

/* ---- keys, certificates, files ---- */

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;
    int ok;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    ok = e != NULL && X509_add_ext(x, e, -1) == 1;
    X509_EXTENSION_free(e);
    return ok;
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       long serial, int ca, const der *sgx_ext, time_t now)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    int ok = x != NULL && name != NULL && X509_set_version(x, 2) == 1 &&
             ASN1_INTEGER_set(X509_get_serialNumber(x), serial) == 1 &&
             ASN1_TIME_set(X509_getm_notBefore(x), now - 86400) != NULL &&
             ASN1_TIME_set(X509_getm_notAfter(x), now + VALID_YEARS * 365L * 86400) != NULL &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
                                        0) == 1 &&
             X509_set_subject_name(x, name) == 1 &&
             X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) == 1 &&
             X509_set_pubkey(x, key) == 1;
    if (ok && ca) {
        ok = add_ext(x, issuer ? issuer : x, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(x, issuer ? issuer : x, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else if (ok) {
        ok = add_ext(x, issuer, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    }
    if (ok && sgx_ext != NULL) {
        ASN1_OBJECT *obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
        ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
        X509_EXTENSION *e = NULL;
        ok = obj != NULL && os != NULL && ASN1_OCTET_STRING_set(os, sgx_ext->b, (int)sgx_ext->n) &&
             (e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os)) != NULL &&
             X509_add_ext(x, e, -1) == 1;
        X509_EXTENSION_free(e);
        ASN1_OCTET_STRING_free(os);
        ASN1_OBJECT_free(obj);
    }
    ok = ok && X509_sign(x, issuer_key, EVP_sha256()) > 0;
    X509_NAME_free(name);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static int write_pem(const char *dir, const char *name, const char *ext, EVP_PKEY *key, X509 *cert)
{
    char path[4096], *data;
    BIO *b = BIO_new(BIO_s_mem());
    long n;
    int rc;
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    if (b == NULL || (key ? PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL)
                          : PEM_write_bio_X509(b, cert)) != 1) {
        BIO_free(b);
        return tk_fail(TK_ERR_INTERNAL, "cannot encode %s", path);
    }
    n = BIO_get_mem_data(b, &data);
    rc = tk_file_write_atomic(path, data, (size_t)n, key ? 0600 : 0644, 1);
    BIO_free(b);
    return rc;
}

int tk_attest_sim_init(const char *dir)
{
    static const char *const cns[] = {"teekeys SIMULATED TDX root CA (not Intel)",
                                      "teekeys SIMULATED PCK CA", "teekeys SIMULATED PCK",
                                      "Intel SGX TCB Signing"};
    sim_pki p = {0};
    time_t now = time(NULL);
    der ext;
    int rc = TK_OK, i;

    if (dir == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_sim_init: NULL directory");
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return tk_fail(TK_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
    }
    for (i = 0; i < K_COUNT; i++) {
        if ((p.key[i] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL) {
            rc = tk_fail(TK_ERR_INTERNAL, "P-256 key generation failed");
            goto done;
        }
    }
    if (sgx_extension(&ext) != 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "SGX extension too large");
        goto done;
    }
    /* the TCB signer's CN is the one Intel uses: the verifier pins that name, not the root */
    p.cert[K_ROOT] = make_cert(cns[0], p.key[K_ROOT], NULL, p.key[K_ROOT], 1, 1, NULL, now);
    p.cert[K_PCKCA] = p.cert[K_ROOT] ? make_cert(cns[1], p.key[K_PCKCA], p.cert[K_ROOT],
                                                 p.key[K_ROOT], 2, 1, NULL, now)
                                     : NULL;
    p.cert[K_PCK] = p.cert[K_PCKCA] ? make_cert(cns[2], p.key[K_PCK], p.cert[K_PCKCA],
                                                p.key[K_PCKCA], 3, 0, &ext, now)
                                    : NULL;
    p.cert[K_TCB] = p.cert[K_ROOT] ? make_cert(cns[3], p.key[K_TCB], p.cert[K_ROOT], p.key[K_ROOT],
                                               4, 0, NULL, now)
                                   : NULL;
    if (!p.cert[K_ROOT] || !p.cert[K_PCKCA] || !p.cert[K_PCK] || !p.cert[K_TCB]) {
        rc = tk_fail(TK_ERR_INTERNAL, "cannot build the development certificates");
        goto done;
    }
    for (i = 0; i < K_COUNT && rc == TK_OK; i++) {
        rc = write_pem(dir, names[i], "key", p.key[i], NULL);
        if (rc == TK_OK && i < K_COUNT - 1) {
            rc = write_pem(dir, names[i], "pem", NULL, p.cert[i]);
        }
    }
done:
    pki_free(&p);
    return rc;
}

static int load_pki(sim_pki *p, const char *dir)
{
    char path[4096];
    int i;
    memset(p, 0, sizeof *p);
    for (i = 0; i < K_COUNT; i++) {
        FILE *f;
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.key", dir, names[i]);
        if (stat(path, &st) != 0) {
            pki_free(p);
            return tk_fail(TK_ERR_NOT_FOUND,
                           "no simulated PKI in %s (create it with 'teekeys attest sim-init')",
                           dir);
        }
        f = fopen(path, "r");
        p->key[i] = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
        if (f) {
            fclose(f);
        }
        if (i < K_COUNT - 1) {
            snprintf(path, sizeof path, "%s/%s.pem", dir, names[i]);
            f = fopen(path, "r");
            p->cert[i] = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
            if (f) {
                fclose(f);
            }
        }
        if (p->key[i] == NULL || (i < K_COUNT - 1 && p->cert[i] == NULL)) {
            pki_free(p);
            return tk_fail(TK_ERR_INPUT, "%s/%s.* is not a valid simulated PKI file", dir,
                           names[i]);
        }
    }
    return TK_OK;
}

/* Raw r || s ECDSA P-256 / SHA-256 signature, as quotes and collateral carry them. */
static int sign_raw(unsigned char out[64], EVP_PKEY *key, const void *msg, size_t len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[80];
    size_t sig_len = sizeof sig;
    const unsigned char *p = sig;
    ECDSA_SIG *es = NULL;
    int ok = md != NULL && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
             EVP_DigestSign(md, sig, &sig_len, msg, len) == 1 &&
             (es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len)) != NULL &&
             BN_bn2binpad(ECDSA_SIG_get0_r(es), out, 32) == 32 &&
             BN_bn2binpad(ECDSA_SIG_get0_s(es), out + 32, 32) == 32;
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(md);
    return ok ? TK_OK : tk_fail(TK_ERR_INTERNAL, "P-256 signing failed");
}

static char *pem_chain(X509 *const *certs, size_t n)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long len;
    size_t i;
    for (i = 0; b != NULL && i < n; i++) {
        if (PEM_write_bio_X509(b, certs[i]) != 1) {
            BIO_free(b);
            return NULL;
        }
    }
    if (b != NULL && (len = BIO_get_mem_data(b, &data)) > 0 && (out = malloc((size_t)len + 1))) {
        memcpy(out, data, (size_t)len);
        out[len] = '\0';
    }
    BIO_free(b);
    return out;
}

/* A deterministic simulated measurement register: SHA-384("teekeys simulated " || label). */
static void sim_register(unsigned char out[48], const char *label)
{
    char text[64];
    snprintf(text, sizeof text, "teekeys simulated %s", label);
    tk_sha384(out, text, strlen(text));
}

/* The simulated event log: one runtime event whose payload is the hex SHA-384 of the running
 * executable, in dstack's format. Out: *json, rtmr3 (its replay). */
static int sim_event_log(char **json, unsigned char rtmr3[48])
{
    unsigned char *exe = NULL, h[48], digest[48];
    char payload[97], digest_hex[97], payload_hex[193];
    size_t exe_len = 0;
    json_t *log;
    int rc = tk_file_read(&exe, &exe_len, "/proc/self/exe", 1u << 30, 0);
    if (rc != TK_OK) {
        return rc;
    }
    tk_sha384(h, exe, exe_len);
    free(exe);
    if ((rc = tk_hex_encode(payload, sizeof payload, h, 48)) != TK_OK) {
        return rc;
    }
    tk_attest_event_digest_v1(digest, TK_ATTEST_DSTACK_EVENT_TYPE, "teekeys-binary", 14,
                              (const unsigned char *)payload, 96);
    memset(rtmr3, 0, 48);
    tk_attest_rtmr_extend(rtmr3, digest);
    if ((rc = tk_hex_encode(digest_hex, sizeof digest_hex, digest, 48)) != TK_OK ||
        (rc = tk_hex_encode(payload_hex, sizeof payload_hex, (const unsigned char *)payload, 96)) !=
            TK_OK) {
        return rc;
    }
    log = json_pack("[{s:i, s:I, s:s, s:s, s:s}]", "imr", 3, "event_type",
                    (json_int_t)TK_ATTEST_DSTACK_EVENT_TYPE, "digest", digest_hex, "event",
                    "teekeys-binary", "event_payload", payload_hex);
    *json = log ? json_dumps(log, JSON_COMPACT) : NULL;
    json_decref(log);
    return *json ? TK_OK : tk_fail(TK_ERR_NOMEM, "out of memory");
}

int tk_attest_sim_quote(tk_attest_evidence *ev, const char *dir,
                        const unsigned char report_data[TK_ATTEST_REPORT_DATA_LEN])
{
    static const unsigned char auth[32] = "teekeys simulated QE auth data!";
    sim_pki p;
    tk_attest_quote q;
    unsigned char pub[65], *buf = NULL;
    size_t pub_len = 0, len, written;
    X509 *chain[3];
    char *pem = NULL;
    int rc;

    if (ev == NULL || dir == NULL || report_data == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_sim_quote: NULL argument");
    }
    memset(ev, 0, sizeof *ev);
    if ((rc = load_pki(&p, dir)) != TK_OK) {
        return rc;
    }
    memset(&q, 0, sizeof q);
    q.header.version = 4;
    q.header.att_key_type = TK_ATTEST_KEY_ECDSA_P256;
    q.header.tee_type = TK_ATTEST_TEE_TDX;
    q.header.pce_svn = SIM_PCE_SVN;
    memcpy(q.header.qe_vendor_id, tk_attest_intel_qe_vendor_id, 16);
    q.td.body_type = TK_ATTEST_BODY_TD10;
    q.td.tee_tcb_svn[0] = SIM_MODULE_SVN;
    q.td.tee_tcb_svn[1] = 1;      /* TDX module major version 1: identity TDX_01 */
    q.td.td_attributes[3] = 0x10; /* SEPT_VE_DISABLE, no DEBUG */
    q.td.xfam[0] = 0xe7, q.td.xfam[1] = 0x18, q.td.xfam[2] = 0x06;
    sim_register(q.td.mrseam, "mrseam");
    sim_register(q.td.mrtd, "mrtd");
    sim_register(q.td.rtmr[0], "rtmr0");
    sim_register(q.td.rtmr[1], "rtmr1");
    sim_register(q.td.rtmr[2], "rtmr2");
    memcpy(q.td.report_data, report_data, TK_ATTEST_REPORT_DATA_LEN);
    if ((rc = sim_event_log(&ev->event_log, q.td.rtmr[3])) != TK_OK) {
        goto done;
    }
    /* attestation key, QE report binding SHA-256(ak || auth) and the QE's identity */
    if (EVP_PKEY_get_octet_string_param(p.key[K_AK], "pub", pub, sizeof pub, &pub_len) != 1 ||
        pub_len != 65) {
        rc = tk_fail(TK_ERR_INTERNAL, "attestation key export failed");
        goto done;
    }
    memcpy(q.attestation_key, pub + 1, 64);
    q.qe_auth_data = auth;
    q.qe_auth_len = sizeof auth;
    {
        unsigned char *r = q.qe_report.raw;
        tk_buf parts[2] = {{q.attestation_key, 64}, {auth, sizeof auth}};
        memset(r, SIM_CPU_SVN, 16);       /* cpusvn */
        r[48] = 0x11;                     /* attributes */
        memcpy(r + 128, qe_mrsigner, 32); /* mrsigner */
        r[256] = 2;                       /* isvprodid */
        r[258] = SIM_QE_ISVSVN;           /* isvsvn */
        tk_sha256_v(r + 320, parts, 2);   /* report_data[0..32]; the rest stays zero */
    }
    chain[0] = p.cert[K_PCK], chain[1] = p.cert[K_PCKCA], chain[2] = p.cert[K_ROOT];
    if ((pem = pem_chain(chain, 3)) == NULL) {
        rc = tk_fail(TK_ERR_INTERNAL, "cannot encode the PCK chain");
        goto done;
    }
    q.pck_chain_pem = pem;
    q.pck_chain_len = strlen(pem);
    if ((rc = sign_raw(q.qe_report_signature, p.key[K_PCK], q.qe_report.raw,
                       TK_ATTEST_ENCLAVE_REPORT_LEN)) != TK_OK) {
        goto done;
    }
    len = tk_attest_quote_serialized_len(&q);
    if ((buf = malloc(len)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* sign header || body, then write the signature into the quote */
    if ((rc = tk_attest_quote_serialize(buf, len, &written, &q)) != TK_OK ||
        (rc = sign_raw(q.signature, p.key[K_AK], buf, TK_ATTEST_HEADER_LEN + TK_ATTEST_TD10_LEN)) !=
            TK_OK ||
        (rc = tk_attest_quote_serialize(buf, len, &written, &q)) != TK_OK) {
        goto done;
    }
    ev->quote = buf;
    ev->quote_len = written;
    buf = NULL;
done:
    free(buf);
    free(pem);
    pki_free(&p);
    if (rc != TK_OK) {
        tk_attest_evidence_free(ev);
    }
    return rc;
}

static X509_CRL *make_crl(X509 *issuer, EVP_PKEY *key, time_t now)
{
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_new();
    int ok = crl != NULL && t != NULL && X509_CRL_set_version(crl, 1) == 1 &&
             X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) == 1 &&
             ASN1_TIME_set(t, now - 3600) != NULL && X509_CRL_set1_lastUpdate(crl, t) == 1 &&
             ASN1_TIME_set(t, now + 30 * 86400) != NULL && X509_CRL_set1_nextUpdate(crl, t) == 1 &&
             X509_CRL_sign(crl, key, EVP_sha256()) > 0;
    ASN1_TIME_free(t);
    if (!ok) {
        X509_CRL_free(crl);
        return NULL;
    }
    return crl;
}

static char *hex_alloc(const unsigned char *b, size_t n)
{
    char *h = malloc(2 * n + 1);
    if (h != NULL && tk_hex_encode(h, 2 * n + 1, b, n) != TK_OK) {
        free(h);
        h = NULL;
    }
    return h;
}

static char *crl_hex(X509_CRL *crl)
{
    unsigned char *d = NULL;
    int n = crl ? i2d_X509_CRL(crl, &d) : -1;
    char *h = n > 0 ? hex_alloc(d, (size_t)n) : NULL;
    OPENSSL_free(d);
    return h;
}

static void iso_date(char out[32], time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void svn_list(char *out, size_t cap, unsigned v)
{
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%s{\"svn\":%u}", i ? "," : "", v);
    }
}

int tk_attest_sim_collateral(char **json, const char *dir, int64_t now)
{
    char tcb_info[4096], qe_identity[1024], issued[32], next[32], sgx[400], tdx[400];
    char *pck_ca_chain = NULL, *tcb_chain = NULL, *root_crl = NULL, *pck_crl = NULL;
    char *tcb_sig_hex = NULL, *qe_sig_hex = NULL;
    unsigned char tcb_sig[64], qe_sig[64];
    X509_CRL *crl_root = NULL, *crl_pck = NULL;
    X509 *chain[2];
    json_t *doc = NULL;
    sim_pki p;
    int rc;

    if (json == NULL || dir == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_sim_collateral: NULL argument");
    }
    *json = NULL;
    if ((rc = load_pki(&p, dir)) != TK_OK) {
        return rc;
    }
    iso_date(issued, (time_t)now - 3600);
    iso_date(next, (time_t)now + 30 * 86400);
    svn_list(sgx, sizeof sgx, SIM_CPU_SVN);
    svn_list(tdx, sizeof tdx, 0);
    snprintf(tcb_info, sizeof tcb_info,
             "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"%s\",\"nextUpdate\":\"%s\","
             "\"fmspc\":\"%s\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,"
             "\"tdxModule\":{\"mrsigner\":\"%096d\",\"attributes\":\"0000000000000000\","
             "\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},\"tdxModuleIdentities\":[{\"id\":\"TDX_01\","
             "\"mrsigner\":\"%096d\",\"attributes\":\"0000000000000000\",\"attributesMask\":"
             "\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[{\"tcb\":{\"isvsvn\":%d},\"tcbDate\":\"%s\","
             "\"tcbStatus\":\"UpToDate\"}]}],\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":[%s],"
             "\"pcesvn\":%d,\"tdxtcbcomponents\":[%s]},\"tcbDate\":\"%s\",\"tcbStatus\":"
             "\"UpToDate\"}]}",
             issued, next, SIM_FMSPC, 0, 0, SIM_MODULE_SVN, issued, sgx, SIM_PCE_SVN, tdx, issued);
    snprintf(qe_identity, sizeof qe_identity,
             "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"%s\",\"nextUpdate\":\"%s\","
             "\"tcbEvaluationDataNumber\":1,\"miscselect\":\"00000000\",\"miscselectMask\":"
             "\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
             "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":"
             "\"DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5\",\"isvprodid\":2,"
             "\"tcbLevels\":[{\"tcb\":{\"isvsvn\":%d},\"tcbDate\":\"%s\",\"tcbStatus\":"
             "\"UpToDate\"}]}",
             issued, next, SIM_QE_ISVSVN, issued);
    crl_root = make_crl(p.cert[K_ROOT], p.key[K_ROOT], (time_t)now);
    crl_pck = make_crl(p.cert[K_PCKCA], p.key[K_PCKCA], (time_t)now);
    chain[0] = p.cert[K_PCKCA], chain[1] = p.cert[K_ROOT];
    pck_ca_chain = pem_chain(chain, 2);
    chain[0] = p.cert[K_TCB];
    tcb_chain = pem_chain(chain, 2);
    root_crl = crl_hex(crl_root);
    pck_crl = crl_hex(crl_pck);
    if ((rc = sign_raw(tcb_sig, p.key[K_TCB], tcb_info, strlen(tcb_info))) == TK_OK &&
        (rc = sign_raw(qe_sig, p.key[K_TCB], qe_identity, strlen(qe_identity))) == TK_OK) {
        tcb_sig_hex = hex_alloc(tcb_sig, 64);
        qe_sig_hex = hex_alloc(qe_sig, 64);
    }
    if (rc == TK_OK && pck_ca_chain && tcb_chain && root_crl && pck_crl && tcb_sig_hex &&
        qe_sig_hex) {
        doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "pck_crl_issuer_chain",
                        pck_ca_chain, "root_ca_crl", root_crl, "pck_crl", pck_crl,
                        "tcb_info_issuer_chain", tcb_chain, "tcb_info", tcb_info,
                        "tcb_info_signature", tcb_sig_hex, "qe_identity_issuer_chain", tcb_chain,
                        "qe_identity", qe_identity, "qe_identity_signature", qe_sig_hex);
        *json = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    }
    if (rc == TK_OK && *json == NULL) {
        rc = tk_fail(TK_ERR_INTERNAL, "cannot build simulated collateral");
    }
    json_decref(doc);
    free(pck_ca_chain);
    free(tcb_chain);
    free(root_crl);
    free(pck_crl);
    free(tcb_sig_hex);
    free(qe_sig_hex);
    X509_CRL_free(crl_root);
    X509_CRL_free(crl_pck);
    pki_free(&p);
    return rc;
}

int tk_attest_sim_root(unsigned char **der_out, size_t *der_len, const char *dir)
{
    sim_pki p;
    unsigned char *d = NULL;
    int n, rc;
    if (der_out == NULL || der_len == NULL || dir == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_sim_root: NULL argument");
    }
    if ((rc = load_pki(&p, dir)) != TK_OK) {
        return rc;
    }
    n = i2d_X509(p.cert[K_ROOT], &d);
    pki_free(&p);
    if (n <= 0 || (*der_out = malloc((size_t)n)) == NULL) {
        OPENSSL_free(d);
        return tk_fail(TK_ERR_INTERNAL, "cannot encode the development root");
    }
    memcpy(*der_out, d, (size_t)n);
    *der_len = (size_t)n;
    OPENSSL_free(d);
    return TK_OK;
}
