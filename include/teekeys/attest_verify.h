/*
 * teekeys attest_verify: native Intel DCAP verification of TDX quotes (OpenSSL 3).
 *
 * A quote is accepted only when every check passes at the caller's time:
 *  1. the PCK chain in the quote chains to the pinned Intel SGX Root CA (never the root the
 *     quote carries) or to an explicitly given development root, with both CRLs checked;
 *  2. the QE report is signed by the PCK key and binds SHA-256(attestation key || QE auth
 *     data); the QE matches the signed QE identity (mrsigner, isvprodid, miscselect and
 *     attributes under their masks) and its ISV SVN finds a QE TCB level;
 *  3. the quote is signed by the attestation key;
 *  4. the TCB info (signature over the exact served JSON text, FMSPC and PCE id of the PCK
 *     certificate, validity window) has a platform TCB level for the PCK's SGX components,
 *     PCE SVN and the quote's TEE TCB SVN, and the TDX module (mrsignerseam, seam attributes,
 *     module identity TDX_<major>) has a module TCB level;
 *  5. td_attributes: debug off, SEPT_VE_DISABLE on;
 *  6. the final status (platform status converged with the QE and module statuses) is one
 *     the caller accepts (default: UpToDate only).
 * Everything handled here is public; the functions are variable-time.
 */
#ifndef TEEKEYS_ATTEST_VERIFY_H
#define TEEKEYS_ATTEST_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/attest.h"
#include "teekeys/portable.h"
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* TCB statuses as Intel names them in TCB info / QE identity. */
typedef enum {
    TK_TCB_UP_TO_DATE = 0,
    TK_TCB_SW_HARDENING_NEEDED = 1,
    TK_TCB_CONFIGURATION_NEEDED = 2,
    TK_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED = 3,
    TK_TCB_OUT_OF_DATE = 4,
    TK_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED = 5,
    TK_TCB_REVOKED = 6,
    TK_TCB_STATUS_COUNT = 7
} tk_attest_tcb_status;

/* Accepted-status masks for tk_attest_verify(). */
#define TK_ATTEST_ACCEPT(status) (1u << (status))
#define TK_ATTEST_ACCEPT_DEFAULT TK_ATTEST_ACCEPT(TK_TCB_UP_TO_DATE)

/* Returns: Intel's name of a status ("UpToDate", ...), or "Unknown". */
const char *tk_attest_tcb_status_name(tk_attest_tcb_status status);

/* Parses Intel's status name. Returns TK_OK or TK_ERR_INPUT. */
int tk_attest_tcb_status_parse(tk_attest_tcb_status *status, const char *name) TK_MUST_CHECK;

/* ---- collateral (dcap-qvl's JSON form) ---- */

/* Collateral as dcap-qvl serves it: CRLs as hex DER, issuer chains as PEM text, TCB info and
 * QE identity as the raw JSON text Intel signed, signatures as hex r || s. */
typedef struct {
    char *pck_crl_issuer_chain; /* PEM */
    unsigned char *root_ca_crl; /* DER */
    size_t root_ca_crl_len;
    unsigned char *pck_crl; /* DER */
    size_t pck_crl_len;
    char *tcb_info_issuer_chain; /* PEM */
    char *tcb_info;              /* exact signed JSON text, NUL-terminated */
    size_t tcb_info_len;
    unsigned char tcb_info_signature[TK_ATTEST_SIG_LEN];
    char *qe_identity_issuer_chain; /* PEM */
    char *qe_identity;              /* exact signed JSON text, NUL-terminated */
    size_t qe_identity_len;
    unsigned char qe_identity_signature[TK_ATTEST_SIG_LEN];
} tk_attest_collateral;

#define TK_ATTEST_MAX_COLLATERAL (1u << 20)

/* Parses collateral JSON: an object with exactly the string members pck_crl_issuer_chain,
 * root_ca_crl, pck_crl, tcb_info_issuer_chain, tcb_info, tcb_info_signature,
 * qe_identity_issuer_chain, qe_identity, qe_identity_signature (unknown members refused).
 * Returns TK_OK, TK_ERR_INPUT (member named in the detail), TK_ERR_NOMEM, TK_ERR_ARG.
 * Out: *c (free with tk_attest_collateral_free). */
int tk_attest_collateral_parse(tk_attest_collateral *c, const char *json,
                               size_t json_len) TK_MUST_CHECK;

void tk_attest_collateral_free(tk_attest_collateral *c);

/* Serialises collateral back to its JSON form (lowercase hex). Out: *out (malloc'd). */
int tk_attest_collateral_to_json(char **out, const tk_attest_collateral *c) TK_MUST_CHECK;

/* ---- verification ---- */

#define TK_ATTEST_MAX_ADVISORIES 64
#define TK_ATTEST_ADVISORY_LEN   32

typedef enum {
    TK_ATTEST_ROOT_NONE = 0,
    TK_ATTEST_ROOT_INTEL = 1,
    TK_ATTEST_ROOT_DEV = 2
} tk_attest_root;

typedef struct {
    int checks_passed;           /* 1 when every check but status acceptance passed */
    tk_attest_tcb_status status; /* final status (valid when checks_passed) */
    tk_attest_tcb_status platform_status, qe_status, module_status;
    char advisory_ids[TK_ATTEST_MAX_ADVISORIES][TK_ATTEST_ADVISORY_LEN]; /* sorted, unique */
    size_t n_advisories;
    tk_attest_root root; /* which root the PCK chain ended in */
    unsigned char fmspc[6];
    uint16_t pce_svn;
    unsigned char pck_cpusvn_components[16];
    /* The collateral's window, both ends inclusive: the latest issue date / CRL thisUpdate and
     * the earliest TCB info / QE identity nextUpdate or CRL nextUpdate - 1 (OpenSSL counts a
     * CRL as expired from its nextUpdate second on). Certificates' own validity is checked
     * but not folded in. */
    int64_t valid_from, valid_until;
    tk_attest_td_report td; /* the measured fields of the verified quote */
} tk_attest_verdict;

/* The Intel SGX Root CA that every chain must end in, and its pin: tk_pc_intel_root_der,
 * tk_pc_intel_root_der_len and tk_pc_intel_root_sha256 in teekeys/portable.h (one copy for
 * the native and the portable verifier). */

/* The TD attributes policy applied by tk_attest_verify(): DEBUG must be clear and
 * SEPT_VE_DISABLE set. Returns TK_OK or TK_ERR_RANGE naming the attribute. */
int tk_attest_td_policy_check(const tk_attest_td_report *td) TK_MUST_CHECK;

/* Verifies a parsed TDX quote against collateral at time `now` (Unix seconds). Decisions use
 * only signed bytes: the TD report is read from q->signed_data and the QE report from
 * q->qe_report.raw, whatever the other fields of *q say; v->td holds the signed values.
 * dev_root_der: NULL for Intel's root (pinned), or a development root certificate (DER, or
 * one PEM block) that replaces it; the verdict names the root used. Chains must be served as
 * Intel serves them: leaf first, ending in a copy of the root. accepted: a mask of
 * TK_ATTEST_ACCEPT(...) (0 means TK_ATTEST_ACCEPT_DEFAULT). Returns: TK_OK when the quote verified
 * and its status is accepted; TK_ERR_CRYPTO for a bad signature, chain, binding or revoked
 * certificate; TK_ERR_RANGE for expired or not yet valid collateral or certificates, a mismatched
 * FMSPC/PCE id, a QE or TDX module that does not match its identity, no matching TCB level, a
 * refused td_attributes policy or a status that is not accepted (then v->checks_passed == 1 and
 * v->status says which); TK_ERR_INPUT / TK_ERR_UNSUPPORTED for malformed collateral; TK_ERR_ARG for
 * NULL. Out: *v (filled as far as verification got). In: q, c, now, dev root, accepted. */
int tk_attest_verify(tk_attest_verdict *v, const tk_attest_quote *q, const tk_attest_collateral *c,
                     int64_t now, const unsigned char *dev_root_der, size_t dev_root_len,
                     unsigned accepted) TK_MUST_CHECK;

/* Verification keeps a process-wide memo of parsed certificates and of successful chain and
 * signature checks, keyed by SHA-256 of all the bytes each depends on, and for chains by the
 * window of times at which they verify (src/attest/cache.c): verifying many quotes against the
 * same collateral and platform repeats only the quote's own checks. Results are identical with
 * and without it. tk_attest_verify_cache(0) empties it and turns it off, (1) turns it back on;
 * on by default. Thread-safe. */
void tk_attest_verify_cache(int enable);

/* Convenience: parses the quote bytes and the collateral JSON, then tk_attest_verify().
 * Parse errors (an SGX quote, say) are returned before any collateral or time check. */
int tk_attest_verify_quote(tk_attest_verdict *v, const unsigned char *quote, size_t quote_len,
                           const char *collateral_json, size_t collateral_len, int64_t now,
                           const unsigned char *dev_root_der, size_t dev_root_len,
                           unsigned accepted) TK_MUST_CHECK;

/* The verdict as compact JSON: {"accepted", "status" (null unless every check passed),
 * "advisory_ids", "root" ("intel" | "dev" | "none"), and when checks passed "platform_status",
 * "qe_status", "tdx_module_status", "fmspc", "valid_from", "valid_until"; then the measured
 * fields as lowercase hex: "mrtd", "rtmr0".."rtmr3", "report_data", "td_attributes", "xfam",
 * "mrconfigid", "mrowner", "mrownerconfig", "mrseam", "tee_tcb_svn"}.
 * accepted: whether the verification returned TK_OK. Out: *out (malloc'd, free with free()). */
int tk_attest_verdict_to_json(char **out, const tk_attest_verdict *v, int accepted) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ATTEST_VERIFY_H */
