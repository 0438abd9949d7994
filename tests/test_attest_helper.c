/*
 * Test helper for the attest oracle cross-check (tests/oracle/attest_dcap.mjs): reads JSON
 * lines {"quote": hex, "collateral": {...}, "now": seconds} on stdin and prints one verdict
 * line per input: {"code", "checks_passed", "status", "advisory_ids", "error"}.
 * With "bench": N in a line it also verifies that input N times and adds "us_per_verify".
 * Test-only: it is never installed and never sees secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"
#include "util_jsonl.h"

static json_t *verdict_json(int rc, const tk_attest_verdict *v)
{
    json_t *out = json_object(), *adv = json_array();
    for (size_t i = 0; i < v->n_advisories; i++) {
        json_array_append_new(adv, json_string(v->advisory_ids[i]));
    }
    json_object_set_new(out, "code", json_integer(rc));
    json_object_set_new(out, "checks_passed", json_boolean(v->checks_passed));
    json_object_set_new(out, "status",
                        v->checks_passed ? json_string(tk_attest_tcb_status_name(v->status))
                                         : json_null());
    json_object_set_new(out, "advisory_ids", adv);
    json_object_set_new(out, "error", json_string(rc == TK_OK ? "" : tk_errmsg()));
    return out;
}

/* One input line: the verdict, timed when it asks for a bench; NULL on input it cannot take. */
static json_t *handle(const json_t *in)
{
    const char *qhex = json_string_value(json_object_get(in, "quote"));
    int64_t now = json_integer_value(json_object_get(in, "now"));
    unsigned char *quote;
    size_t qlen = 0;
    char *coll;
    json_int_t bench;
    tk_attest_verdict v;
    json_t *out = NULL;
    int rc;
    if (qhex == NULL || !json_is_object(json_object_get(in, "collateral")) ||
        !json_is_integer(json_object_get(in, "now"))) {
        fprintf(stderr, "test_attest_helper: bad input line\n");
        return NULL;
    }
    quote = malloc(strlen(qhex) / 2 + 1);
    coll = json_dumps(json_object_get(in, "collateral"), JSON_COMPACT);
    if (quote == NULL || coll == NULL ||
        tk_hex_decode(quote, strlen(qhex) / 2 + 1, &qlen, qhex, strlen(qhex)) != TK_OK) {
        fprintf(stderr, "test_attest_helper: bad quote hex\n");
        goto cleanup;
    }
    rc = tk_attest_verify_quote(&v, quote, qlen, coll, strlen(coll), now, NULL, 0, 0);
    out = verdict_json(rc, &v);
    bench = json_integer_value(json_object_get(in, "bench"));
    if (bench > 0) {
        double t0 = test_now_s();
        for (json_int_t i = 0; i < bench; i++) {
            if (tk_attest_verify_quote(&v, quote, qlen, coll, strlen(coll), now, NULL, 0, 0) !=
                rc) {
                json_decref(out);
                out = NULL;
                goto cleanup;
            }
        }
        json_object_set_new(out, "us_per_verify",
                            json_real((test_now_s() - t0) * 1e6 / (double)bench));
    }
cleanup:
    free(coll);
    free(quote);
    return out;
}

int main(void)
{
    return test_jsonl_serve(handle);
}
