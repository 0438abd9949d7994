/*
 * teekeys attest sim: SIMULATED TDX attestation for development and the local stack. A
 * development PKI stands in for Intel's (root CA, PCK CA, a PCK certificate carrying the SGX
 * extension, a TCB signing certificate), quotes use the real v4 wire format and are signed by a
 * simulated QE, and collateral (TCB info, QE identity, CRLs) is signed under the development
 * root. Such quotes verify ONLY when the verifier is given the development root explicitly;
 * against Intel's pinned root they fail. Nothing here is hardware-backed or secret from the
 * machine's operator: the keys are plain files.
 */
#ifndef TEEKEYS_ATTEST_SIM_H
#define TEEKEYS_ATTEST_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/attest_provider.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates the development PKI in `dir` (created 0700 if missing): PEM keys (0600) and
 * certificates. Refuses to overwrite an existing one (TK_ERR_PERM). */
int tk_attest_sim_init(const char *dir) TK_MUST_CHECK;

/* A simulated quote over report_data with the development PKI of `dir`. MRTD and RTMR0..2 are
 * fixed simulated values; RTMR3 is the replay of the returned event log, whose one runtime
 * event "teekeys-binary" carries the SHA-384 of the running executable. */
int tk_attest_sim_quote(tk_attest_evidence *ev, const char *dir,
                        const unsigned char report_data[TK_ATTEST_REPORT_DATA_LEN]) TK_MUST_CHECK;

/* Collateral for simulated quotes in dcap-qvl's JSON form, valid from now - 1 hour to now +
 * 30 days. Out: *json (malloc'd). */
int tk_attest_sim_collateral(char **json, const char *dir, int64_t now) TK_MUST_CHECK;

/* The development root certificate (DER), to hand to tk_attest_verify as dev_root.
 * Out: *der (malloc'd), *der_len. */
int tk_attest_sim_root(unsigned char **der, size_t *der_len, const char *dir) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ATTEST_SIM_H */
