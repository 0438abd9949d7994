/* Fuzzes the collateral JSON parser: whatever parses must serialise to JSON that parses back
 * to identical fields (byte-exact signed texts, CRLs, chains and signatures). The TCB info and
 * QE identity texts then go through the TCB interpreters (normally reached only after their
 * signatures verify) with a fixed platform, which must fail cleanly or succeed. */
#include <stdlib.h>
#include <string.h>

#include "../src/attest/internal.h"
#include "teekeys/attest_verify.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int same_text(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static int same_bytes(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_attest_collateral c, again;
    char *json = NULL;
    if (tk_attest_collateral_parse(&c, (const char *)data, size) != TK_OK) {
        return 0;
    }
    if (tk_attest_collateral_to_json(&json, &c) != TK_OK ||
        tk_attest_collateral_parse(&again, json, strlen(json)) != TK_OK) {
        abort();
    }
    if (!same_text(c.pck_crl_issuer_chain, again.pck_crl_issuer_chain) ||
        !same_bytes(c.root_ca_crl, c.root_ca_crl_len, again.root_ca_crl, again.root_ca_crl_len) ||
        !same_bytes(c.pck_crl, c.pck_crl_len, again.pck_crl, again.pck_crl_len) ||
        !same_text(c.tcb_info_issuer_chain, again.tcb_info_issuer_chain) ||
        !same_bytes((const unsigned char *)c.tcb_info, c.tcb_info_len,
                    (const unsigned char *)again.tcb_info, again.tcb_info_len) ||
        memcmp(c.tcb_info_signature, again.tcb_info_signature, TK_ATTEST_SIG_LEN) != 0 ||
        !same_text(c.qe_identity_issuer_chain, again.qe_identity_issuer_chain) ||
        !same_bytes((const unsigned char *)c.qe_identity, c.qe_identity_len,
                    (const unsigned char *)again.qe_identity, again.qe_identity_len) ||
        memcmp(c.qe_identity_signature, again.qe_identity_signature, TK_ATTEST_SIG_LEN) != 0) {
        abort();
    }
    {
        tk_attest_pck_ext pck;
        tk_attest_td_report td;
        tk_attest_enclave_report qe;
        tk_attest_tcb_result r1, r2;
        int64_t a, b;
        memset(&pck, 0, sizeof pck);
        memset(&td, 0, sizeof td);
        memset(&qe, 0, sizeof qe);
        memcpy(pck.fmspc, "\xb0\xc0\x6f\x00\x00\x00", 6);
        memset(pck.cpusvn, 3, sizeof pck.cpusvn);
        pck.pcesvn = 11;
        td.tee_tcb_svn[0] = 6;
        td.tee_tcb_svn[1] = (unsigned char)(size & 1);
        qe.isvprodid = 2;
        qe.isvsvn = 6;
        (void)tk_attest_tcb_check_platform(&r1, &r2, &a, &b, c.tcb_info, c.tcb_info_len, &pck, &td,
                                           1751000000);
        (void)tk_attest_tcb_check_qe(&r1, &a, &b, c.qe_identity, c.qe_identity_len, &qe,
                                     1751000000);
    }
    free(json);
    tk_attest_collateral_free(&again);
    tk_attest_collateral_free(&c);
    return 0;
}
