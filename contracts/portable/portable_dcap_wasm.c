/*
 * Test-only wasm wrapper of the portable DCAP verifier (src/portable): exports an input
 * buffer and one entry point so tests/oracle/portable_wasm.mjs can check, in Node's engine,
 * that the wasm32 build gives the native verifier's verdict (code and verdict JSON). Also the
 * measure of the verifier's wasm size. Never deployed.
 */
#include "teekeys/portable_dcap.h"

static unsigned char input[256 * 1024];
static char verdict_text[4096];
static unsigned long verdict_n;
static tk_pc_dcap_work work;
static tk_pc_dcap_verdict verdict_v;

__attribute__((export_name("buffer"))) unsigned char *buffer(void);
__attribute__((export_name("buffer"))) unsigned char *buffer(void)
{
    return input;
}

__attribute__((export_name("verdict"))) char *verdict(void);
__attribute__((export_name("verdict"))) char *verdict(void)
{
    return verdict_text;
}

__attribute__((export_name("verdict_len"))) unsigned long verdict_len(void);
__attribute__((export_name("verdict_len"))) unsigned long verdict_len(void)
{
    return verdict_n;
}

/* input: quote[0..qlen) || collateral JSON[clen] || development root[rlen] (rlen 0: Intel's).
 * Returns the verifier's code; the verdict JSON is at verdict()[0..verdict_len()). */
__attribute__((export_name("dcap_verify"))) int dcap_verify(unsigned long qlen, unsigned long clen,
                                                            unsigned long rlen, long long now,
                                                            unsigned accepted);
__attribute__((export_name("dcap_verify"))) int dcap_verify(unsigned long qlen, unsigned long clen,
                                                            unsigned long rlen, long long now,
                                                            unsigned accepted)
{
    size_t n = 0;
    int rc;
    if (qlen + clen + rlen > sizeof input) {
        return TK_PC_ERR_ARG;
    }
    rc =
        tk_pc_dcap_verify_json_var(&work, &verdict_v, input, qlen, (const char *)input + qlen, clen,
                                   now, rlen ? input + qlen + clen : (void *)0, rlen, accepted);
    if (tk_pc_dcap_verdict_json(verdict_text, sizeof verdict_text, &n, &verdict_v,
                                rc == TK_PC_OK) != TK_PC_OK) {
        n = 0;
    }
    verdict_n = n;
    return rc;
}
