/*
 * The verdict of a verification as JSON, for the CLI (`teekeys attest verify --json`), the
 * keystore's /v1/attestation clients and the verifier contract's result shape. Only public
 * data: statuses, advisory ids, the root used, the collateral window and the measured fields.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"

static int put_hex(json_t *obj, const char *key, const unsigned char *b, size_t n)
{
    char h[2 * 64 + 1];
    if (n > 64 || tk_hex_encode(h, sizeof h, b, n) != TK_OK) {
        return -1;
    }
    return json_object_set_new(obj, key, json_string(h));
}

int tk_attest_verdict_to_json(char **out, const tk_attest_verdict *v, int accepted)
{
    static const char *const roots[] = {"none", "intel", "dev"};
    json_t *obj, *adv;
    int bad = 0;
    if (out == NULL || v == NULL || (unsigned)v->root > TK_ATTEST_ROOT_DEV) {
        return tk_fail(TK_ERR_ARG, "tk_attest_verdict_to_json: bad argument");
    }
    *out = NULL;
    obj = json_object();
    adv = json_array();
    if (obj == NULL || adv == NULL) {
        json_decref(obj);
        json_decref(adv);
        return tk_fail(TK_ERR_NOMEM, "verdict: out of memory");
    }
    for (size_t i = 0; i < v->n_advisories && i < TK_ATTEST_MAX_ADVISORIES; i++) {
        bad |= json_array_append_new(adv, json_string(v->advisory_ids[i]));
    }
    bad |= json_object_set_new(obj, "accepted", json_boolean(accepted));
    bad |= json_object_set_new(obj, "status",
                               v->checks_passed ? json_string(tk_attest_tcb_status_name(v->status))
                                                : json_null());
    bad |= json_object_set_new(obj, "advisory_ids", adv);
    bad |= json_object_set_new(obj, "root", json_string(roots[v->root]));
    if (v->checks_passed) {
        bad |= json_object_set_new(obj, "platform_status",
                                   json_string(tk_attest_tcb_status_name(v->platform_status)));
        bad |= json_object_set_new(obj, "qe_status",
                                   json_string(tk_attest_tcb_status_name(v->qe_status)));
        bad |= json_object_set_new(obj, "tdx_module_status",
                                   json_string(tk_attest_tcb_status_name(v->module_status)));
        bad |= put_hex(obj, "fmspc", v->fmspc, 6);
        bad |= json_object_set_new(obj, "valid_from", json_integer(v->valid_from));
        bad |= json_object_set_new(obj, "valid_until", json_integer(v->valid_until));
    }
    bad |= put_hex(obj, "mrtd", v->td.mrtd, 48);
    bad |= put_hex(obj, "rtmr0", v->td.rtmr[0], 48);
    bad |= put_hex(obj, "rtmr1", v->td.rtmr[1], 48);
    bad |= put_hex(obj, "rtmr2", v->td.rtmr[2], 48);
    bad |= put_hex(obj, "rtmr3", v->td.rtmr[3], 48);
    bad |= put_hex(obj, "report_data", v->td.report_data, 64);
    bad |= put_hex(obj, "td_attributes", v->td.td_attributes, 8);
    bad |= put_hex(obj, "xfam", v->td.xfam, 8);
    bad |= put_hex(obj, "mrconfigid", v->td.mrconfigid, 48);
    bad |= put_hex(obj, "mrowner", v->td.mrowner, 48);
    bad |= put_hex(obj, "mrownerconfig", v->td.mrownerconfig, 48);
    bad |= put_hex(obj, "mrseam", v->td.mrseam, 48);
    bad |= put_hex(obj, "tee_tcb_svn", v->td.tee_tcb_svn, 16);
    if (!bad) {
        *out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
    json_decref(obj);
    if (*out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "verdict: cannot build JSON");
    }
    return TK_OK;
}
