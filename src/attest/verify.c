/*
 * Native DCAP verification of TDX quotes: ties the pinned root, the PCK chain and CRLs, the
 * collateral signatures, the QE report and its binding, the quote signature, the TCB walks
 * and the TD attributes policy into one verdict (see teekeys/attest_verify.h for the order).
 * It must never accept a quote on a path that skipped a check: every failure returns
 * immediately, and checks_passed is set only at the very end.
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "teekeys/hash.h"

/* Converges two statuses the way Intel's QVL does: Revoked wins; an out-of-date component
 * turns UpToDate / SWHardeningNeeded into OutOfDate and the configuration statuses into
 * OutOfDateConfigurationNeeded. */
static tk_attest_tcb_status converge(tk_attest_tcb_status platform, tk_attest_tcb_status other)
{
    if (platform == TK_TCB_REVOKED || other == TK_TCB_REVOKED) {
        return TK_TCB_REVOKED;
    }
    if (other == TK_TCB_OUT_OF_DATE || other == TK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED) {
        switch (platform) {
        case TK_TCB_UP_TO_DATE:
        case TK_TCB_SW_HARDENING_NEEDED:
            return other == TK_TCB_OUT_OF_DATE ? TK_TCB_OUT_OF_DATE
                                               : TK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
        case TK_TCB_CONFIGURATION_NEEDED:
        case TK_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
            return TK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
        default:
            return platform;
        }
    }
    return platform;
}

static void add_advisories(tk_attest_verdict *v, const tk_attest_tcb_result *r)
{
    for (size_t i = 0; i < r->n_advisories; i++) {
        size_t pos = 0;
        int cmp = 1;
        while (pos < v->n_advisories &&
               (cmp = strcmp(v->advisory_ids[pos], r->advisory_ids[i])) < 0) {
            pos++;
        }
        if ((pos < v->n_advisories && cmp == 0) || v->n_advisories == TK_ATTEST_MAX_ADVISORIES) {
            continue;
        }
        memmove(v->advisory_ids[pos + 1], v->advisory_ids[pos],
                (v->n_advisories - pos) * TK_ATTEST_ADVISORY_LEN);
        memcpy(v->advisory_ids[pos], r->advisory_ids[i], TK_ATTEST_ADVISORY_LEN);
        v->n_advisories++;
    }
}

static void narrow(tk_attest_verdict *v, int64_t from, int64_t until)
{
    if (from > v->valid_from) {
        v->valid_from = from;
    }
    if (until >= -1 && until < v->valid_until) {
        v->valid_until = until;
    }
}

/* A chain as served (Intel's layout) ends in a copy of the root. The copy is never trusted
 * (the store holds only the pinned root), but a chain whose last certificate is not the pinned
 * root byte for byte is not the chain it claims to be: refuse it rather than ignore it. */
static int root_copy_check(cert_stack *chain, X509 *root, const char *what)
{
    int n = sk_X509_num(chain);
    if (n < 2) {
        return tk_fail(TK_ERR_INPUT, "%s: needs the issuing chain, not a lone certificate", what);
    }
    if (X509_cmp(sk_X509_value(chain, n - 1), root) != 0) {
        return tk_fail(TK_ERR_CRYPTO, "%s: last certificate is not the pinned root", what);
    }
    return TK_OK;
}

/* Verifies one collateral issuer chain (leaf directly or indirectly under the root) at now.
 * When its first certificate is `verified` (a certificate already verified at the same time
 * with the same CRLs, as part of the quote's PCK chain), the chain walk is not repeated. */
static int collateral_chain(cert_stack **chain, const char *pem, X509 *root, cert_stack *known,
                            X509_CRL *root_crl, X509 *verified, int64_t now, const char *cn,
                            const char *what)
{
    int rc = tk_attest_pki_load_chain_known(chain, pem, strlen(pem), known, what);
    if (rc != TK_OK || (rc = root_copy_check(*chain, root, what)) != TK_OK) {
        return rc;
    }
    if (verified == NULL || X509_cmp(sk_X509_value(*chain, 0), verified) != 0) {
        rc = tk_attest_pki_verify_chain(sk_X509_value(*chain, 0), *chain, root, &root_crl, 1, now,
                                        what);
    }
    if (rc == TK_OK && cn != NULL && !tk_attest_pki_cn_is(sk_X509_value(*chain, 0), cn)) {
        rc = tk_fail(TK_ERR_CRYPTO, "%s: signer is not \"%s\"", what, cn);
    }
    return rc;
}

int tk_attest_td_policy_check(const tk_attest_td_report *td)
{
    uint64_t attrs;
    if (td == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_td_policy_check: NULL argument");
    }
    attrs = tk_attest_td_attributes(td);
    if (attrs & TK_ATTEST_TDATTR_DEBUG) {
        return tk_fail(TK_ERR_RANGE, "TD report: td_attributes has DEBUG set (a debug TD)");
    }
    if (!(attrs & TK_ATTEST_TDATTR_SEPT_VE_DISABLE)) {
        return tk_fail(TK_ERR_RANGE, "TD report: td_attributes lacks SEPT_VE_DISABLE");
    }
    return TK_OK;
}

int tk_attest_verify(tk_attest_verdict *v, const tk_attest_quote *q, const tk_attest_collateral *c,
                     int64_t now, const unsigned char *dev_root_der, size_t dev_root_len,
                     unsigned accepted)
{
    X509 *root = NULL;
    X509_CRL *root_crl = NULL, *pck_crl = NULL;
    cert_stack *pck_chain = NULL, *tcb_chain = NULL, *qe_chain = NULL, *crl_chain = NULL;
    cert_stack *known = NULL; /* borrowed pointers: freed with sk_X509_free only */
    const unsigned char *root_der;
    unsigned char *dev_der = NULL; /* a PEM development root, re-encoded */
    size_t root_der_len;
    EVP_PKEY *ak = NULL;
    tk_attest_pck_ext pck;
    tk_attest_td_report td;
    tk_attest_enclave_report qe;
    tk_attest_tcb_result qe_res, plat_res, mod_res;
    int64_t issue, next;
    unsigned char hash[TK_SHA256_LEN], zero[32] = {0};
    int rc;

    if (v == NULL || q == NULL || c == NULL || q->pck_chain_pem == NULL || c->tcb_info == NULL ||
        c->qe_identity == NULL || c->root_ca_crl == NULL || c->pck_crl == NULL ||
        c->tcb_info_issuer_chain == NULL || c->qe_identity_issuer_chain == NULL ||
        c->pck_crl_issuer_chain == NULL || (dev_root_der == NULL && dev_root_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_attest_verify: NULL argument");
    }
    memset(v, 0, sizeof *v);
    /* Every decision below uses only bytes that a signature covers: the TD report comes from
     * the signed region and the QE report's fields from its signed 384 bytes, whatever the
     * caller's struct says beside them. */
    if ((rc = tk_attest_td_from_signed(&td, q->signed_data, q->signed_len)) != TK_OK) {
        return rc;
    }
    tk_attest_enclave_report_parse(&qe, q->qe_report.raw);
    v->td = td;
    v->valid_from = INT64_MIN;
    v->valid_until = INT64_MAX;
    if (accepted == 0) {
        accepted = TK_ATTEST_ACCEPT_DEFAULT;
    }

    /* 1. The trust anchor: Intel's pinned root, or the caller's development root. */
    if (dev_root_der != NULL && dev_root_len >= 10 && memcmp(dev_root_der, "-----BEGIN", 10) == 0) {
        cert_stack *one = NULL;
        int n;
        rc = tk_attest_pki_load_chain(&one, (const char *)dev_root_der, dev_root_len,
                                      "development root");
        if (rc == TK_OK && sk_X509_num(one) != 1) {
            rc = tk_fail(TK_ERR_INPUT, "development root: expected one PEM certificate");
        }
        n = rc == TK_OK ? i2d_X509(sk_X509_value(one, 0), &dev_der) : 0;
        sk_X509_pop_free(one, X509_free);
        if (rc != TK_OK) {
            goto cleanup;
        }
        if (n <= 0) {
            rc = tk_fail(TK_ERR_NOMEM, "development root: cannot re-encode");
            goto cleanup;
        }
        root_der = dev_der;
        root_der_len = (size_t)n;
        v->root = TK_ATTEST_ROOT_DEV;
    } else if (dev_root_der != NULL) {
        root_der = dev_root_der;
        root_der_len = dev_root_len;
        v->root = TK_ATTEST_ROOT_DEV;
    } else {
        tk_sha256(hash, tk_pc_intel_root_der, tk_pc_intel_root_der_len);
        if (memcmp(hash, tk_pc_intel_root_sha256, 32) != 0) {
            rc = tk_fail(TK_ERR_INTERNAL, "built-in Intel root does not match its pin");
            goto cleanup;
        }
        root_der = tk_pc_intel_root_der;
        root_der_len = tk_pc_intel_root_der_len;
        v->root = TK_ATTEST_ROOT_INTEL;
    }
    root = tk_attest_cache_cert(root_der, root_der_len);
    if (root == NULL) {
        rc = tk_fail(dev_root_der != NULL ? TK_ERR_INPUT : TK_ERR_INTERNAL,
                     "%s root: not a DER certificate",
                     dev_root_der != NULL ? "development" : "built-in");
        goto cleanup;
    }

    known = sk_X509_new_null(); /* certificates already parsed, shared when served again */
    if (known == NULL || sk_X509_push(known, root) <= 0) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }

    /* 2. CRLs and the PCK chain from the quote (its own root certificate is never trusted:
     * only `root` is in the store). */
    if ((rc = tk_attest_pki_load_crl(&root_crl, c->root_ca_crl, c->root_ca_crl_len,
                                     "collateral root_ca_crl")) != TK_OK ||
        (rc = tk_attest_pki_load_crl(&pck_crl, c->pck_crl, c->pck_crl_len, "collateral pck_crl")) !=
            TK_OK ||
        (rc = tk_attest_pki_load_chain_known(&pck_chain, q->pck_chain_pem, q->pck_chain_len, known,
                                             "quote PCK chain")) != TK_OK) {
        goto cleanup;
    }
    /* OpenSSL treats a CRL as expired from its nextUpdate second on: the last good second is
     * one before. */
    narrow(v, tk_attest_pki_time(X509_CRL_get0_lastUpdate(root_crl)),
           tk_attest_pki_time(X509_CRL_get0_nextUpdate(root_crl)) - 1);
    narrow(v, tk_attest_pki_time(X509_CRL_get0_lastUpdate(pck_crl)),
           tk_attest_pki_time(X509_CRL_get0_nextUpdate(pck_crl)) - 1);
    if ((rc = root_copy_check(pck_chain, root, "quote PCK chain")) != TK_OK) {
        goto cleanup;
    }
    {
        X509_CRL *crls[2] = {root_crl, pck_crl};
        rc = tk_attest_pki_verify_chain(sk_X509_value(pck_chain, 0), pck_chain, root, crls, 2, now,
                                        "quote PCK chain");
        if (rc != TK_OK) {
            goto cleanup;
        }
    }
    if (sk_X509_push(known, sk_X509_value(pck_chain, 1)) <= 0) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* The chain behind the PCK CRL (normally the quote's own PCK CA, verified just above), and
     * the collateral signers (issued under the root; one chain when both texts are equal). */
    if ((rc = collateral_chain(&crl_chain, c->pck_crl_issuer_chain, root, known, root_crl,
                               sk_X509_value(pck_chain, 1), now, NULL,
                               "collateral pck_crl_issuer_chain")) != TK_OK ||
        (rc = collateral_chain(&tcb_chain, c->tcb_info_issuer_chain, root, known, root_crl, NULL,
                               now, "Intel SGX TCB Signing", "collateral tcb_info_issuer_chain")) !=
            TK_OK) {
        goto cleanup;
    }
    if (strcmp(c->qe_identity_issuer_chain, c->tcb_info_issuer_chain) != 0 &&
        (rc = collateral_chain(&qe_chain, c->qe_identity_issuer_chain, root, known, root_crl, NULL,
                               now, "Intel SGX TCB Signing",
                               "collateral qe_identity_issuer_chain")) != TK_OK) {
        goto cleanup;
    }

    /* 3. Signatures over the exact collateral texts, the QE report and the quote. */
    if ((rc = tk_attest_pki_verify_sig(X509_get0_pubkey(sk_X509_value(tcb_chain, 0)),
                                       c->tcb_info_signature, c->tcb_info, c->tcb_info_len,
                                       "TCB info signature")) != TK_OK ||
        (rc = tk_attest_pki_verify_sig(
             X509_get0_pubkey(sk_X509_value(qe_chain != NULL ? qe_chain : tcb_chain, 0)),
             c->qe_identity_signature, c->qe_identity, c->qe_identity_len,
             "QE identity signature")) != TK_OK ||
        (rc = tk_attest_pki_verify_sig(
             X509_get0_pubkey(sk_X509_value(pck_chain, 0)), q->qe_report_signature,
             q->qe_report.raw, TK_ATTEST_ENCLAVE_REPORT_LEN, "QE report signature")) != TK_OK) {
        goto cleanup;
    }
    {
        tk_buf parts[2] = {{q->attestation_key, TK_ATTEST_PUBKEY_LEN},
                           {q->qe_auth_data, q->qe_auth_len}};
        tk_sha256_v(hash, parts, 2);
        if (memcmp(hash, qe.report_data, 32) != 0 || memcmp(zero, qe.report_data + 32, 32) != 0) {
            rc = tk_fail(TK_ERR_CRYPTO, "QE report: report_data does not bind SHA-256(attestation "
                                        "key || QE auth data)");
            goto cleanup;
        }
    }
    ak = tk_attest_pki_p256_from_raw(q->attestation_key);
    if (ak == NULL) {
        rc = tk_fail(TK_ERR_CRYPTO, "quote: attestation key is not a P-256 point");
        goto cleanup;
    }
    if ((rc = tk_attest_pki_verify_sig(ak, q->signature, q->signed_data, q->signed_len,
                                       "quote signature")) != TK_OK) {
        goto cleanup;
    }

    /* 4. TCB evaluation. */
    if ((rc = tk_attest_pki_pck_ext(&pck, sk_X509_value(pck_chain, 0))) != TK_OK) {
        goto cleanup;
    }
    memcpy(v->fmspc, pck.fmspc, 6);
    memcpy(v->pck_cpusvn_components, pck.cpusvn, 16);
    v->pce_svn = pck.pcesvn;
    if ((rc = tk_attest_tcb_check_qe(&qe_res, &issue, &next, c->qe_identity, c->qe_identity_len,
                                     &qe, now)) != TK_OK) {
        goto cleanup;
    }
    narrow(v, issue, next);
    if ((rc = tk_attest_tcb_check_platform(&plat_res, &mod_res, &issue, &next, c->tcb_info,
                                           c->tcb_info_len, &pck, &td, now)) != TK_OK) {
        goto cleanup;
    }
    narrow(v, issue, next);

    /* 5. TD attributes policy. */
    if ((rc = tk_attest_td_policy_check(&td)) != TK_OK) {
        goto cleanup;
    }

    /* 6. Final status. */
    v->platform_status = plat_res.status;
    v->qe_status = qe_res.status;
    v->module_status = mod_res.status;
    v->status = converge(converge(plat_res.status, mod_res.status), qe_res.status);
    add_advisories(v, &plat_res);
    add_advisories(v, &mod_res);
    add_advisories(v, &qe_res);
    v->checks_passed = 1;
    if (!(accepted & TK_ATTEST_ACCEPT(v->status))) {
        rc = tk_fail(TK_ERR_RANGE, "TCB status %s is not accepted",
                     tk_attest_tcb_status_name(v->status));
        goto cleanup;
    }
    rc = TK_OK;
cleanup:
    sk_X509_free(known);
    OPENSSL_free(dev_der);
    EVP_PKEY_free(ak);
    sk_X509_pop_free(pck_chain, X509_free);
    sk_X509_pop_free(tcb_chain, X509_free);
    sk_X509_pop_free(qe_chain, X509_free);
    sk_X509_pop_free(crl_chain, X509_free);
    X509_CRL_free(root_crl);
    X509_CRL_free(pck_crl);
    X509_free(root);
    ERR_clear_error();
    return rc;
}

int tk_attest_verify_quote(tk_attest_verdict *v, const unsigned char *quote, size_t quote_len,
                           const char *collateral_json, size_t collateral_len, int64_t now,
                           const unsigned char *dev_root_der, size_t dev_root_len,
                           unsigned accepted)
{
    tk_attest_quote q;
    tk_attest_collateral c;
    int rc;
    if (v == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_verify_quote: NULL argument");
    }
    memset(v, 0, sizeof *v);
    if ((rc = tk_attest_quote_parse(&q, quote, quote_len)) != TK_OK) {
        return rc;
    }
    v->td = q.td;
    if ((rc = tk_attest_collateral_parse(&c, collateral_json, collateral_len)) != TK_OK) {
        return rc;
    }
    rc = tk_attest_verify(v, &q, &c, now, dev_root_der, dev_root_len, accepted);
    tk_attest_collateral_free(&c);
    return rc;
}
