/*
 * Test helper for the native/portable DCAP differential (tests/oracle/portable_dcap.mjs):
 * reads JSON lines {"quote": hex, "collateral": text, "now": seconds, ["dev_root": hex],
 * ["bench": N]} on stdin, verifies each with BOTH verifiers and prints one line
 * {"native": {...}, "portable": {...}} with the return code, checks_passed, status, advisory
 * ids, the failure reason and the verdict JSON of each. With "bench": N it also times N
 * verifications of each verifier ("us_native", "us_portable"). Test-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"
#include "teekeys/portable_dcap.h"
#include "util_jsonl.h"

static tk_pc_dcap_work work;

static unsigned char *unhex(const char *hex, size_t *len)
{
    size_t n = hex ? strlen(hex) : 0;
    unsigned char *b = malloc(n / 2 + 1);
    *len = 0;
    if (b == NULL || (n > 0 && tk_hex_decode(b, n / 2 + 1, len, hex, n) != TK_OK)) {
        fprintf(stderr, "test_portable_dcap_helper: bad hex\n");
        exit(2);
    }
    return b;
}

static json_t *side(int rc, int checks_passed, const char *status, json_t *adv, const char *err,
                    const char *verdict)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_integer(rc));
    json_object_set_new(o, "checks_passed", json_boolean(checks_passed));
    json_object_set_new(o, "status", status ? json_string(status) : json_null());
    json_object_set_new(o, "advisory_ids", adv);
    json_object_set_new(o, "error", json_string(err));
    json_object_set_new(o, "verdict", verdict ? json_string(verdict) : json_null());
    return o;
}

/* One input line: both verdicts, timed when it asks for a bench; NULL on input it cannot take. */
static json_t *handle(const json_t *in)
{
    const char *coll;
    unsigned char *quote, *root = NULL;
    size_t qlen = 0, rlen = 0, coll_len, written = 0;
    int64_t t;
    tk_attest_verdict v;
    tk_pc_dcap_verdict pv;
    char *nj = NULL, pj[4096], perr[256];
    int rc, prc;
    json_int_t bench;
    json_t *out, *adv;
    if (!json_is_string(json_object_get(in, "quote")) ||
        !json_is_string(json_object_get(in, "collateral")) ||
        !json_is_integer(json_object_get(in, "now"))) {
        fprintf(stderr, "test_portable_dcap_helper: bad input line\n");
        return NULL;
    }
    quote = unhex(json_string_value(json_object_get(in, "quote")), &qlen);
    if (json_is_string(json_object_get(in, "dev_root"))) {
        root = unhex(json_string_value(json_object_get(in, "dev_root")), &rlen);
    }
    coll = json_string_value(json_object_get(in, "collateral"));
    coll_len = json_string_length(json_object_get(in, "collateral"));
    t = json_integer_value(json_object_get(in, "now"));

    rc = tk_attest_verify_quote(&v, quote, qlen, coll, coll_len, t, root, rlen, 0);
    out = json_object();
    adv = json_array();
    for (size_t i = 0; i < v.n_advisories; i++) {
        json_array_append_new(adv, json_string(v.advisory_ids[i]));
    }
    if (tk_attest_verdict_to_json(&nj, &v, rc == TK_OK) != TK_OK) {
        nj = NULL;
    }
    json_object_set_new(out, "native",
                        side(rc, v.checks_passed,
                             v.checks_passed ? tk_attest_tcb_status_name(v.status) : NULL, adv,
                             rc == TK_OK ? "" : tk_errmsg(), nj));
    free(nj);

    prc = tk_pc_dcap_verify_json_var(&work, &pv, quote, qlen, coll, coll_len, t, root, rlen, 0);
    adv = json_array();
    for (size_t i = 0; i < pv.n_advisories; i++) {
        json_array_append_new(adv, json_string(pv.advisory_ids[i]));
    }
    snprintf(perr, sizeof perr, "%s%s%s", pv.what, *pv.what ? ": " : "", pv.detail);
    if (tk_pc_dcap_verdict_json(pj, sizeof pj, &written, &pv, prc == TK_PC_OK) != TK_PC_OK) {
        pj[0] = '\0';
    }
    {
        json_t *ps =
            side(prc, pv.checks_passed, pv.checks_passed ? tk_pc_tcb_status_name(pv.status) : NULL,
                 adv, perr, pj);
        json_object_set_new(ps, "what", json_string(pv.what));
        json_object_set_new(out, "portable", ps);
    }

    bench = json_integer_value(json_object_get(in, "bench"));
    if (bench > 0) {
        double t0 = test_now_s();
        for (json_int_t i = 0; i < bench; i++) {
            if (tk_attest_verify_quote(&v, quote, qlen, coll, coll_len, t, root, rlen, 0) != rc) {
                json_decref(out);
                out = NULL;
                goto cleanup;
            }
        }
        json_object_set_new(out, "us_native", json_real((test_now_s() - t0) * 1e6 / (double)bench));
        t0 = test_now_s();
        for (json_int_t i = 0; i < bench; i++) {
            if (tk_pc_dcap_verify_json_var(&work, &pv, quote, qlen, coll, coll_len, t, root, rlen,
                                           0) != prc) {
                json_decref(out);
                out = NULL;
                goto cleanup;
            }
        }
        json_object_set_new(out, "us_portable",
                            json_real((test_now_s() - t0) * 1e6 / (double)bench));
    }
cleanup:
    free(quote);
    free(root);
    return out;
}

int main(void)
{
    return test_jsonl_serve(handle);
}
