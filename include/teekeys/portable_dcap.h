/*
 * teekeys portable DCAP: a freestanding Intel TDX quote verifier (no libc, no OpenSSL, no
 * allocation) for the NEAR verifier contract in wasm32, returning the same verdicts as the
 * native verifier (teekeys/attest_verify.h): the same checks in the same order, the same
 * return codes, statuses and advisory ids, and a failure reason whose first part ("quote PCK
 * chain", "TCB info" and so on) names the same check. Natively it is cross-checked against the
 * OpenSSL verifier on the shared vectors and thousands of mutations (tests/test_portable_dcap.c,
 * tests/oracle/portable_dcap.mjs).
 *
 * Pieces: a DER reader with the X.509 certificate and CRL subset Intel uses (chains built and
 * checked the way OpenSSL's X509_verify_cert does, with CRLs), strict PEM/base64, a strict
 * JSON reader (jansson's grammar: duplicate keys, bad escapes, bad UTF-8 and overflowing
 * numbers are refused), the TCB info / QE identity evaluation and the quote itself.
 * Memory: the caller gives one tk_pc_dcap_work (about 500 KB; a static in wasm) and nothing
 * variable-length is put on the stack. Everything handled is public: variable time (_var).
 */
#ifndef TEEKEYS_PORTABLE_DCAP_H
#define TEEKEYS_PORTABLE_DCAP_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/portable.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes: the same values as tk_status (teekeys/common.h). */
#define TK_PC_OK              0
#define TK_PC_ERR_ARG         (-1)
#define TK_PC_ERR_INPUT       (-2)
#define TK_PC_ERR_RANGE       (-3)
#define TK_PC_ERR_CRYPTO      (-4)
#define TK_PC_ERR_UNSUPPORTED (-8)
#define TK_PC_ERR_INTERNAL    (-10)

/* Statuses, numbered as tk_attest_tcb_status. */
#define TK_PC_TCB_UP_TO_DATE                            0
#define TK_PC_TCB_SW_HARDENING_NEEDED                   1
#define TK_PC_TCB_CONFIGURATION_NEEDED                  2
#define TK_PC_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED 3
#define TK_PC_TCB_OUT_OF_DATE                           4
#define TK_PC_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED      5
#define TK_PC_TCB_REVOKED                               6
#define TK_PC_TCB_STATUS_COUNT                          7

#define TK_PC_ACCEPT(status) (1u << (status))
#define TK_PC_ACCEPT_DEFAULT TK_PC_ACCEPT(TK_PC_TCB_UP_TO_DATE)
#define TK_PC_MAX_ADVISORIES 64
#define TK_PC_ADVISORY_LEN   32
#define TK_PC_MAX_QUOTE_LEN  (1u << 20)
#define TK_PC_MAX_COLLATERAL (1u << 20)

/* Which root the PCK chain ended in (as tk_attest_root). */
#define TK_PC_ROOT_NONE  0
#define TK_PC_ROOT_INTEL 1
#define TK_PC_ROOT_DEV   2

/* Returns: Intel's name of a status ("UpToDate", ...), or "Unknown". */
const char *tk_pc_tcb_status_name(int status);

/* The TD report fields (as tk_attest_td_report). */
typedef struct {
    uint16_t body_type; /* 2: TD report 1.0, 3: TD report 1.5 */
    unsigned char tee_tcb_svn[16];
    unsigned char mrseam[48];
    unsigned char mrsignerseam[48];
    unsigned char seam_attributes[8];
    unsigned char td_attributes[8];
    unsigned char xfam[8];
    unsigned char mrtd[48];
    unsigned char mrconfigid[48];
    unsigned char mrowner[48];
    unsigned char mrownerconfig[48];
    unsigned char rtmr[4][48];
    unsigned char report_data[64];
    unsigned char tee_tcb_svn2[16];
    unsigned char mrservicetd[48];
} tk_pc_dcap_td;

/* Collateral as byte spans (into caller memory): CRLs as DER, chains as PEM text, the TCB
 * info and QE identity as the exact signed JSON text, signatures as raw r || s. */
typedef struct {
    const unsigned char *p;
    size_t len;
} tk_pc_span;

typedef struct {
    tk_pc_span pck_crl_issuer_chain;
    tk_pc_span root_ca_crl;
    tk_pc_span pck_crl;
    tk_pc_span tcb_info_issuer_chain;
    tk_pc_span tcb_info;
    unsigned char tcb_info_signature[64];
    tk_pc_span qe_identity_issuer_chain;
    tk_pc_span qe_identity;
    unsigned char qe_identity_signature[64];
} tk_pc_dcap_collateral;

/* The verdict (as tk_attest_verdict), plus the failure reason as two static strings: `what`
 * names the check exactly as the native verifier's detail starts ("quote PCK chain", "TCB
 * info", "QE report signature", ...), `detail` says what was wrong. */
typedef struct {
    int checks_passed;
    int status; /* valid when checks_passed */
    int platform_status, qe_status, module_status;
    char advisory_ids[TK_PC_MAX_ADVISORIES][TK_PC_ADVISORY_LEN]; /* sorted, unique */
    size_t n_advisories;
    int root; /* TK_PC_ROOT_* */
    unsigned char fmspc[6];
    uint16_t pce_svn;
    unsigned char pck_cpusvn_components[16];
    int64_t valid_from, valid_until;
    tk_pc_dcap_td td;
    const char *what, *detail; /* "" when the quote was accepted */
} tk_pc_dcap_verdict;

/* Working memory for one verification. Reusable; the contents mean nothing to the caller. */
#define TK_PC_DCAP_WORK_BYTES (640u * 1024u)
typedef struct {
    uint64_t mem[TK_PC_DCAP_WORK_BYTES / 8];
} tk_pc_dcap_work;

/* Parses collateral in dcap-qvl's JSON form (the members of tk_attest_collateral_parse: all
 * nine strings, unknown members refused) into *c, decoding strings into buf[0..cap) (c points
 * into buf). Returns TK_PC_OK, TK_PC_ERR_INPUT (reason in *what and *detail), TK_PC_ERR_ARG. */
int tk_pc_dcap_collateral_parse(tk_pc_dcap_work *w, tk_pc_dcap_collateral *c, unsigned char *buf,
                                size_t cap, const char **what, const char **detail,
                                const char *json, size_t json_len);

/* Verifies a TDX quote (wire bytes, zero padding allowed) against collateral at `now` (Unix
 * seconds), like tk_attest_verify_quote(): the quote is parsed first (an SGX quote is refused
 * before any collateral check), then the PCK chain to Intel's pinned root or to dev_root (DER
 * or one PEM block; NULL for Intel's), CRLs, collateral signatures, QE report signature and
 * binding, quote signature, QE identity, TCB levels with TDX module identities, td_attributes
 * policy and the accepted statuses (0: UpToDate only). Returns the code the native verifier
 * returns (TK_PC_OK only when accepted). Out: *v. */
int tk_pc_dcap_verify_var(tk_pc_dcap_work *w, tk_pc_dcap_verdict *v, const unsigned char *quote,
                          size_t quote_len, const tk_pc_dcap_collateral *c, int64_t now,
                          const unsigned char *dev_root, size_t dev_root_len, unsigned accepted);

/* The same with the collateral as JSON (parsed into the working memory: at most 128 KB of
 * decoded strings). */
int tk_pc_dcap_verify_json_var(tk_pc_dcap_work *w, tk_pc_dcap_verdict *v,
                               const unsigned char *quote, size_t quote_len,
                               const char *collateral_json, size_t collateral_len, int64_t now,
                               const unsigned char *dev_root, size_t dev_root_len,
                               unsigned accepted);

/* The verdict as the compact JSON of tk_attest_verdict_to_json(), byte for byte.
 * Returns TK_PC_OK, or TK_PC_ERR_ARG when out_cap is too small (4096 is always enough).
 * Out: out[0..*written) and a NUL. */
int tk_pc_dcap_verdict_json(char *out, size_t out_cap, size_t *written, const tk_pc_dcap_verdict *v,
                            int accepted);

/* ---- building blocks, exposed for tests and fuzzing ---- */

/* Strict JSON check (jansson's grammar with duplicate keys refused, top level an object or
 * array). Returns TK_PC_OK or TK_PC_ERR_INPUT. */
int tk_pc_json_check(tk_pc_dcap_work *w, const char *json, size_t len);

/* Parses one DER certificate / CRL (whole input) with the checks the verifier applies at load
 * time. Returns TK_PC_OK or TK_PC_ERR_INPUT. */
int tk_pc_x509_check(tk_pc_dcap_work *w, const unsigned char *der, size_t len);
int tk_pc_crl_check(tk_pc_dcap_work *w, const unsigned char *der, size_t len);

/* Reads the SGX extension (1.2.840.113741.1.13.1) of a DER PCK certificate.
 * Returns TK_PC_OK or TK_PC_ERR_INPUT. */
int tk_pc_pck_ext(unsigned char fmspc[6], unsigned char pceid[2], unsigned char cpusvn[16],
                  uint16_t *pcesvn, tk_pc_dcap_work *w, const unsigned char *der, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_PORTABLE_DCAP_H */
