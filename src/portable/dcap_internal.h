/*
 * Private interfaces of the portable DCAP verifier (src/portable): the DER/X.509/CRL reader
 * (x509.c), the JSON reader (json.c) and the verifier (dcap.c). Freestanding: no libc header,
 * no allocation; the working memory is one caller-given struct (pc_work).
 */
#ifndef TK_PC_DCAP_INTERNAL_H
#define TK_PC_DCAP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/portable_dcap.h"

/* ---- small freestanding helpers (x509.c) ---- */

void pc_memcpy(void *dst, const void *src, size_t n);
void pc_memset(void *dst, int c, size_t n);
int pc_memcmp(const void *a, const void *b, size_t n);

typedef struct {
    const unsigned char *p;
    size_t n;
} pc_span;

/* ---- X.509 (x509.c) ---- */

typedef struct {
    pc_span der;                   /* the whole certificate */
    pc_span tbs;                   /* tbsCertificate TLV (what the signature covers) */
    pc_span serial;                /* INTEGER content */
    pc_span tbs_alg;               /* tbsCertificate.signature AlgorithmIdentifier TLV */
    pc_span issuer;                /* Name TLV */
    pc_span subject;               /* Name TLV */
    pc_span not_before, not_after; /* Time contents */
    unsigned char nb_tag, na_tag;
    int version; /* 0 = v1 ... */
    unsigned char pub[64];
    int pub_ok;      /* an uncompressed P-256 point on the curve */
    pc_span sig_alg; /* outer AlgorithmIdentifier TLV */
    pc_span sig;     /* BIT STRING content (unused-bits byte first) */
    pc_span exts;    /* extensions SEQUENCE content (n == 0: none) */
    /* cached extension view (pc_cert_cache) */
    int cached, invalid, critical;
    int has_bc, ca;
    long pathlen; /* -1: none */
    int has_ku;
    unsigned ku;
    int has_skid, has_akid, akid_has_keyid, akid_has_serial;
    pc_span skid, akid_keyid, akid_serial;
    int self_issued, self_signed;
} pc_cert;

typedef struct {
    pc_span der, tbs, tbs_alg, issuer, sig_alg, sig;
    pc_span this_update, next_update;
    unsigned char tu_tag, nu_tag;
    int has_next;
    pc_span revoked; /* SEQUENCE OF content */
    int has_idp, is_delta, critical;
    int has_akid, akid_has_keyid, akid_has_serial;
    pc_span akid_keyid, akid_serial;
    unsigned char verified_pub[64]; /* memo: the CRL signature verified under this key */
    int verified;
} pc_crl;

/* Parses a DER certificate that must fill der[0..len). Returns TK_PC_OK or TK_PC_ERR_INPUT. */
int pc_cert_parse(pc_cert *c, const unsigned char *der, size_t len);
int pc_crl_parse(pc_crl *c, const unsigned char *der, size_t len);

/* OpenSSL's X509_NAME_cmp equality (canonical form). Returns 1 when equal. */
int pc_name_eq(pc_span a, pc_span b);

/* The first CN of a Name as raw bytes equals cn[0..cn_len). */
int pc_name_cn_is(pc_span name, const char *cn, size_t cn_len);

/* Verifies an X.509-style signature: alg (AlgorithmIdentifier TLV) must be ecdsa-with-SHA256,
 * sig a BIT STRING content holding a strict DER ECDSA-Sig-Value, key P-256. Returns 1 if ok. */
int pc_sig_verify(const unsigned char pub[64], pc_span alg, pc_span sig, pc_span msg);

/* Strict RFC 5280 time (X509_cmp_time's format) to Unix seconds. Returns 0 or -1. */
int pc_time_parse(int64_t *out, unsigned char tag, pc_span t);

/* Days from 1970-01-01 to a proleptic Gregorian date. */
int64_t pc_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Chain verification at `now` with CRLs, as X509_verify_cert with CRL_CHECK_ALL, the
 * `root` as the only trust anchor and `untrusted` as the pool. Returns TK_PC_OK,
 * TK_PC_ERR_RANGE (expired / not yet valid certificate or CRL) or TK_PC_ERR_CRYPTO; *detail. */
int pc_verify_chain(const char **detail, pc_cert *leaf, pc_cert *untrusted, size_t n_untrusted,
                    pc_cert *root, pc_crl *const *crls, size_t n_crls, int64_t now);

/* The SGX extension of a PCK certificate. */
int pc_pck_ext(unsigned char fmspc[6], unsigned char pceid[2], unsigned char cpusvn[16],
               uint16_t *pcesvn, const pc_cert *c);

/* Strict base64 (tk_base64_decode's rules). Returns 0 and *out_len, or -1. */
int pc_base64_decode(unsigned char *out, size_t cap, size_t *out_len, const char *in, size_t len);

/* ---- JSON (json.c) ---- */

enum { PC_J_OBJ = 1, PC_J_ARR, PC_J_STR, PC_J_INT, PC_J_REAL, PC_J_TRUE, PC_J_FALSE, PC_J_NULL };

typedef struct {
    uint32_t start, end; /* strings: inside the quotes (raw, escaped); others: the text */
    uint32_t skip;       /* index of the token after this value's subtree */
    uint32_t size;       /* members (objects: key/value pairs) or elements */
    uint8_t type;
    uint8_t neg;        /* integers: negative */
    uint8_t has_escape; /* strings */
    uint8_t big;        /* integers: outside 0..2^63-1 magnitude check done at parse */
} pc_jtok;

#define PC_JSON_MAX_TOKENS 16384

typedef struct {
    const char *text;
    size_t len;
    pc_jtok *tok;
    uint32_t n;
} pc_json;

/* Parses (validating like jansson with JSON_REJECT_DUPLICATES) into toks[0..cap).
 * Returns TK_PC_OK or TK_PC_ERR_INPUT (also when the document needs more tokens). */
int pc_json_parse(pc_json *j, pc_jtok *toks, uint32_t cap, const char *text, size_t len);

/* Member `key` of object token `obj`: the value's token index, or 0 when absent. */
uint32_t pc_json_get(const pc_json *j, uint32_t obj, const char *key);

/* Element i of array token `arr` (i < size). */
uint32_t pc_json_at(const pc_json *j, uint32_t arr, uint32_t i);

/* Decodes string token t into out[0..cap). Returns the decoded length, or (size_t)-1 when it
 * does not fit (the string is longer than cap). */
size_t pc_json_str(const pc_json *j, uint32_t t, char *out, size_t cap);

/* Integer token value when 0 <= v <= max. Returns 0 (ok) or -1. */
int pc_json_uint(const pc_json *j, uint32_t t, long long max, long long *out);

#endif
