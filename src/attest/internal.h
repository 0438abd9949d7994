/*
 * Private interfaces between the attest module's files (pki.c: OpenSSL certificate chains,
 * CRLs, P-256 signatures and Intel's SGX certificate extensions; tcb.c: TCB info and QE
 * identity JSON and the TCB level walks). Never installed, never used outside src/attest.
 */
#ifndef TK_ATTEST_INTERNAL_H
#define TK_ATTEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "teekeys/attest_verify.h"
#include "teekeys/hash.h"

/* ---- pki.c ---- */

typedef STACK_OF(X509) cert_stack;

/* Parses every PEM certificate in text[0..len) (strict framing, see pki.c). Requires at
 * least one. */
int tk_attest_pki_load_chain(cert_stack **out, const char *text, size_t len, const char *what);

/* The same, but a block whose DER equals a certificate of `known` (the pinned root, a PCK CA
 * already parsed) is not parsed again: that certificate (up-ref'd) takes its place. */
int tk_attest_pki_load_chain_known(cert_stack **out, const char *text, size_t len,
                                   cert_stack *known, const char *what);

/* Parses a DER CRL. */
int tk_attest_pki_load_crl(X509_CRL **out, const unsigned char *der, size_t len, const char *what);

/* Verifies leaf up to `root` (the only trust anchor) through `untrusted` at time `now`,
 * checking every non-root certificate against the CRLs given (and the CRLs' own validity).
 * Certificates in `untrusted` that are not on the path are ignored. */
int tk_attest_pki_verify_chain(X509 *leaf, cert_stack *untrusted, X509 *root, X509_CRL *const *crls,
                               size_t n_crls, int64_t now, const char *what);

/* An ASN.1 time as Unix seconds, or -1 when absent or malformed. */
int64_t tk_attest_pki_time(const ASN1_TIME *t);

/* Returns 1 when the certificate's subject CN equals `cn`. */
int tk_attest_pki_cn_is(X509 *cert, const char *cn);

/* A P-256 public key from raw x || y. Returns NULL on a point not on the curve. */
EVP_PKEY *tk_attest_pki_p256_from_raw(const unsigned char xy[TK_ATTEST_PUBKEY_LEN]);

/* Verifies an ECDSA P-256 / SHA-256 signature given as raw r || s. Returns TK_OK or
 * TK_ERR_CRYPTO naming `what`. */
int tk_attest_pki_verify_sig(EVP_PKEY *key, const unsigned char sig[TK_ATTEST_SIG_LEN],
                             const void *msg, size_t msg_len, const char *what);

/* The SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate. */
typedef struct {
    unsigned char fmspc[6];
    unsigned char pceid[2];
    unsigned char cpusvn[16]; /* the 16 SGX TCB component SVNs */
    uint16_t pcesvn;
} tk_attest_pck_ext;

int tk_attest_pki_pck_ext(tk_attest_pck_ext *out, X509 *pck);

/* ---- cache.c: memo of results that are pure functions of bytes (see cache.c) ---- */

/* The certificate whose DER is exactly der[0..len) (a new reference; parsed once per
 * process while the cache is on), or NULL when it is not one DER certificate. */
X509 *tk_attest_cache_cert(const unsigned char *der, size_t len);
/* Returns 1 when a success was recorded under `key` for a window containing `now`. */
int tk_attest_cache_hit(const unsigned char key[TK_SHA256_LEN], int64_t now);
/* Records a success under `key`, valid for verification times in [from, until]. */
void tk_attest_cache_success(const unsigned char key[TK_SHA256_LEN], int64_t from, int64_t until);

/* ---- quote.c ---- */

/* Field view of a 384-byte SGX enclave report (raw is copied too). */
void tk_attest_enclave_report_parse(tk_attest_enclave_report *r, const unsigned char *b);

/* The TD report as the quote signature covers it: parsed from the signed region (header and
 * body) rather than trusted from a caller-filled struct. Returns TK_OK or TK_ERR_ARG. */
int tk_attest_td_from_signed(tk_attest_td_report *td, const unsigned char *signed_data,
                             size_t signed_len);

/* ---- tcb.c ---- */

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (and fractional seconds) to Unix seconds. */
int tk_attest_parse_time(int64_t *out, const char *s);

/* One status with its advisory ids. */
typedef struct {
    tk_attest_tcb_status status;
    char advisory_ids[TK_ATTEST_MAX_ADVISORIES][TK_ATTEST_ADVISORY_LEN];
    size_t n_advisories;
} tk_attest_tcb_result;

/* Checks the QE report against the QE identity JSON (already signature-checked) at `now`.
 * Out: *res (QE TCB status), *issue, *next_update. */
int tk_attest_tcb_check_qe(tk_attest_tcb_result *res, int64_t *issue, int64_t *next_update,
                           const char *json, size_t json_len, const tk_attest_enclave_report *qe,
                           int64_t now);

/* Walks the TCB info JSON (already signature-checked) for the platform (PCK extension and the
 * quote's TEE TCB SVN) and the TDX module. Out: *platform, *module, window. */
int tk_attest_tcb_check_platform(tk_attest_tcb_result *platform, tk_attest_tcb_result *module,
                                 int64_t *issue, int64_t *next_update, const char *json,
                                 size_t json_len, const tk_attest_pck_ext *pck,
                                 const tk_attest_td_report *td, int64_t now);

#endif
