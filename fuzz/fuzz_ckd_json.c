/* Fuzzes the CKD client's JSON parsers with every input: the {big_y, big_c} response, the
 * app_public_key value in its three forms and the request_app_private_key argument. Whatever
 * parses must hold valid non-identity points in their subgroups, and must parse back to the
 * same values from the JSON teekeys writes for it (response: tk_ckd_response_json; app key and
 * request: the canonical form rebuilt here). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/ckd.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_g1(const tk_bls_g1 *p)
{
    if (tk_bls_g1_is_identity(p) || !tk_bls_g1_in_subgroup_var(p)) {
        abort();
    }
}

/* The canonical JSON of an app key in its own form. */
static json_t *app_key_json(const tk_ckd_app_key *k)
{
    char s1[TK_CKD_POINT_STRING_MAX], s2[TK_CKD_POINT_STRING_MAX];
    if (tk_ckd_g1_format(s1, sizeof s1, &k->pk1) != TK_OK) {
        abort();
    }
    switch (k->form) {
    case TK_CKD_APP_KEY_PLAIN:
        return json_string(s1);
    case TK_CKD_APP_KEY_TAGGED:
        return json_pack("{s:s}", "AppPublicKey", s1);
    case TK_CKD_APP_KEY_PV:
        if (tk_bls_g2_is_identity(&k->pk2) || !tk_bls_g2_in_subgroup_var(&k->pk2) ||
            tk_ckd_g2_format(s2, sizeof s2, &k->pk2) != TK_OK) {
            abort();
        }
        return json_pack("{s:{s:s,s:s}}", "AppPublicKeyPV", "pk1", s1, "pk2", s2);
    }
    abort();
}

static void same_app_key(const tk_ckd_app_key *a, const tk_ckd_app_key *b)
{
    if (a->form != b->form || !tk_bls_g1_eq(&a->pk1, &b->pk1) || !tk_bls_g2_eq(&a->pk2, &b->pk2)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int ready;
    const char *in = (const char *)data;
    tk_bls_g1 y, c, y2, c2;
    tk_ckd_app_key k, k2;
    tk_ckd_request r, r2;
    char out[TK_CKD_REQUEST_JSON_MAX * 2];
    size_t len;
    json_t *j;
    char *text;

    if (!ready) {
        if (tk_init() != TK_OK) {
            abort();
        }
        ready = 1;
    }
    if (tk_ckd_response_parse(&y, &c, in, size) == TK_OK) {
        check_g1(&y);
        check_g1(&c);
        if (tk_ckd_response_json(out, sizeof out, &len, &y, &c) != TK_OK ||
            tk_ckd_response_parse(&y2, &c2, out, len) != TK_OK || !tk_bls_g1_eq(&y, &y2) ||
            !tk_bls_g1_eq(&c, &c2)) {
            abort();
        }
    }
    if (tk_ckd_app_key_parse(&k, in, size) == TK_OK) {
        check_g1(&k.pk1);
        j = app_key_json(&k);
        text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text == NULL || tk_ckd_app_key_parse(&k2, text, strlen(text)) != TK_OK) {
            abort();
        }
        same_app_key(&k, &k2);
        free(text);
        json_decref(j);
    }
    if (tk_ckd_request_parse(&r, in, size) == TK_OK) {
        check_g1(&r.app_key.pk1);
        if (strlen(r.derivation_path) != r.derivation_path_len ||
            tk_ckd_path_check(r.derivation_path, r.derivation_path_len) != TK_OK) {
            abort();
        }
        j = json_pack("{s:{s:s%,s:o,s:I}}", "request", "derivation_path", r.derivation_path,
                      r.derivation_path_len, "app_public_key", app_key_json(&r.app_key),
                      "domain_id", (json_int_t)r.domain_id);
        text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (text == NULL || tk_ckd_request_parse(&r2, text, strlen(text)) != TK_OK ||
            r2.domain_id != r.domain_id || r2.derivation_path_len != r.derivation_path_len ||
            memcmp(r2.derivation_path, r.derivation_path, r.derivation_path_len) != 0) {
            abort();
        }
        same_app_key(&r.app_key, &r2.app_key);
        free(text);
        json_decref(j);
    }
    return 0;
}
