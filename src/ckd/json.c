/*
 * The JSON of NEAR's CKD contract call: the request_app_private_key argument (written in the
 * publicly verifiable form, parsed in all three app_public_key forms) and the {big_y, big_c}
 * answer. Parsers are strict: exact key sets, no duplicate keys, strings where strings belong,
 * points valid and not the identity. Only public data passes through this file.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static json_t *load(const char *json, size_t json_len, size_t flags, const char *what)
{
    json_error_t err;
    json_t *root;
    if (json == NULL) {
        tk_fail(TK_ERR_ARG, "%s: NULL input", what);
        return NULL;
    }
    root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES | flags, &err);
    if (root == NULL) {
        tk_fail(TK_ERR_INPUT, "%s is not valid JSON: %.80s (at character %d)", what, err.text,
                err.position);
    }
    return root;
}

/* Returns TK_OK if `obj` is an object with exactly the `n` keys listed. */
static int exact_keys(const json_t *obj, const char *const *keys, size_t n, const char *what)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj)) {
        return tk_fail(TK_ERR_INPUT, "%s must be a JSON object", what);
    }
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i;
        for (i = 0; i < n && strcmp(key, keys[i]) != 0; i++) {
        }
        if (i == n) {
            return tk_fail(TK_ERR_INPUT, "%s has an unexpected key \"%.40s\"", what, key);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (json_object_get(obj, keys[i]) == NULL) {
            return tk_fail(TK_ERR_INPUT, "%s lacks \"%s\"", what, keys[i]);
        }
    }
    return TK_OK;
}

int ckd_json_g1(tk_bls_g1 *out, const json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "%s must be a \"bls12381g1:...\" string", what);
    }
    if (tk_ckd_g1_parse(out, json_string_value(v), json_string_length(v)) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "%s: %s", what, tk_errmsg());
    }
    return TK_OK;
}

int ckd_json_g2(tk_bls_g2 *out, const json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "%s must be a \"bls12381g2:...\" string", what);
    }
    if (tk_ckd_g2_parse(out, json_string_value(v), json_string_length(v)) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "%s: %s", what, tk_errmsg());
    }
    return TK_OK;
}

/* e(pk1, G2) == e(G1, pk2): pk1 and pk2 carry the same scalar. */
static int pv_check(const tk_ckd_app_key *k)
{
    tk_bls_g1 p[2];
    tk_bls_g2 q[2];
    p[0] = k->pk1;
    tk_bls_g2_generator(&q[0]);
    tk_bls_g1_generator(&p[1]);
    tk_bls_g1_neg(&p[1], &p[1]);
    q[1] = k->pk2;
    if (tk_bls_pairing_check(p, q, 2) != 1) {
        return tk_fail(TK_ERR_CRYPTO, "app_public_key: pk1 and pk2 are not the same key "
                                      "(e(pk1, G2) != e(G1, pk2))");
    }
    return TK_OK;
}

int ckd_json_app_key(tk_ckd_app_key *out, const json_t *v)
{
    static const char *const pv_keys[] = {"pk1", "pk2"};
    const json_t *inner;
    int rc;

    memset(out, 0, sizeof *out);
    tk_bls_g2_identity(&out->pk2);
    if (json_is_string(v)) {
        out->form = TK_CKD_APP_KEY_PLAIN;
        return ckd_json_g1(&out->pk1, v, "app_public_key");
    }
    if (!json_is_object(v) || json_object_size(v) != 1) {
        return tk_fail(TK_ERR_INPUT, "app_public_key must be a \"bls12381g1:...\" string, "
                                     "{\"AppPublicKey\":...} or {\"AppPublicKeyPV\":{...}}");
    }
    if ((inner = json_object_get(v, "AppPublicKey")) != NULL) {
        out->form = TK_CKD_APP_KEY_TAGGED;
        return ckd_json_g1(&out->pk1, inner, "app_public_key.AppPublicKey");
    }
    if ((inner = json_object_get(v, "AppPublicKeyPV")) == NULL) {
        return tk_fail(TK_ERR_INPUT, "app_public_key: unknown form (expected AppPublicKey or "
                                     "AppPublicKeyPV)");
    }
    out->form = TK_CKD_APP_KEY_PV;
    if ((rc = exact_keys(inner, pv_keys, 2, "app_public_key.AppPublicKeyPV")) != TK_OK ||
        (rc = ckd_json_g1(&out->pk1, json_object_get(inner, "pk1"),
                          "app_public_key.AppPublicKeyPV.pk1")) != TK_OK ||
        (rc = ckd_json_g2(&out->pk2, json_object_get(inner, "pk2"),
                          "app_public_key.AppPublicKeyPV.pk2")) != TK_OK) {
        return rc;
    }
    return pv_check(out);
}

int tk_ckd_app_key_parse(tk_ckd_app_key *out, const char *json, size_t json_len)
{
    json_t *root;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_app_key_parse: NULL argument");
    }
    if ((root = load(json, json_len, JSON_DECODE_ANY, "app_public_key")) == NULL) {
        return json == NULL ? TK_ERR_ARG : TK_ERR_INPUT;
    }
    rc = ckd_json_app_key(out, root);
    json_decref(root);
    return rc;
}

int tk_ckd_request_json(char *out, size_t out_cap, size_t *out_len, const tk_ckd_keypair *kp,
                        const char *path, uint64_t domain_id)
{
    char pk1[TK_CKD_POINT_STRING_MAX], pk2[TK_CKD_POINT_STRING_MAX];
    json_t *root = NULL, *pv;
    size_t plen, n;
    int rc;

    if (out == NULL || out_len == NULL || kp == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_request_json: NULL argument");
    }
    *out_len = 0;
    plen = strlen(path);
    if ((rc = tk_ckd_path_check(path, plen)) != TK_OK) {
        return rc;
    }
    if (domain_id > (uint64_t)INT64_MAX) {
        return tk_fail(TK_ERR_RANGE, "domain_id %llu is too large", (unsigned long long)domain_id);
    }
    if ((rc = tk_ckd_g1_format(pk1, sizeof pk1, &kp->pk1)) != TK_OK ||
        (rc = tk_ckd_g2_format(pk2, sizeof pk2, &kp->pk2)) != TK_OK) {
        return rc;
    }
    pv = json_pack("{s:s,s:s}", "pk1", pk1, "pk2", pk2);
    if (pv != NULL) {
        root =
            json_pack("{s:{s:s%,s:{s:o},s:I}}", "request", "derivation_path", path, plen,
                      "app_public_key", "AppPublicKeyPV", pv, "domain_id", (json_int_t)domain_id);
    }
    if (root == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot build the request JSON");
    }
    n = json_dumpb(root, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (n == 0) {
        rc = tk_fail(TK_ERR_INTERNAL, "cannot serialise the request JSON");
    } else if (n + 1 > out_cap) {
        rc = tk_fail(TK_ERR_BUFFER, "request JSON needs %zu bytes", n + 1);
    } else {
        json_dumpb(root, out, n, JSON_COMPACT | JSON_PRESERVE_ORDER);
        out[n] = '\0';
        *out_len = n;
        rc = TK_OK;
    }
    json_decref(root);
    return rc;
}

int tk_ckd_request_parse(tk_ckd_request *out, const char *json, size_t json_len)
{
    static const char *const top_keys[] = {"request"};
    static const char *const req_keys[] = {"derivation_path", "app_public_key", "domain_id"};
    json_t *root, *req, *path, *dom;
    int rc;

    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_request_parse: NULL argument");
    }
    memset(out, 0, sizeof *out);
    if ((root = load(json, json_len, 0, "ckd request")) == NULL) {
        return json == NULL ? TK_ERR_ARG : TK_ERR_INPUT;
    }
    req = json_object_get(root, "request");
    path = json_object_get(req, "derivation_path");
    dom = json_object_get(req, "domain_id");
    if ((rc = exact_keys(root, top_keys, 1, "ckd request")) != TK_OK ||
        (rc = exact_keys(req, req_keys, 3, "ckd request.request")) != TK_OK) {
        goto done;
    }
    if (!json_is_string(path)) {
        rc = tk_fail(TK_ERR_INPUT, "derivation_path must be a string");
        goto done;
    }
    if ((rc = tk_ckd_path_check(json_string_value(path), json_string_length(path))) != TK_OK) {
        goto done;
    }
    if (!json_is_integer(dom) || json_integer_value(dom) < 0) {
        rc = tk_fail(TK_ERR_INPUT, "domain_id must be a non-negative integer");
        goto done;
    }
    if ((rc = ckd_json_app_key(&out->app_key, json_object_get(req, "app_public_key"))) != TK_OK) {
        goto done;
    }
    out->derivation_path_len = json_string_length(path);
    memcpy(out->derivation_path, json_string_value(path), out->derivation_path_len);
    out->derivation_path[out->derivation_path_len] = '\0';
    out->domain_id = (uint64_t)json_integer_value(dom);
done:
    json_decref(root);
    if (rc != TK_OK) {
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int tk_ckd_response_parse(tk_bls_g1 *big_y, tk_bls_g1 *big_c, const char *json, size_t json_len)
{
    static const char *const keys[] = {"big_y", "big_c"};
    json_t *root;
    int rc;
    if (big_y == NULL || big_c == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_response_parse: NULL argument");
    }
    if ((root = load(json, json_len, 0, "ckd response")) == NULL) {
        return json == NULL ? TK_ERR_ARG : TK_ERR_INPUT;
    }
    if ((rc = exact_keys(root, keys, 2, "ckd response")) == TK_OK &&
        (rc = ckd_json_g1(big_y, json_object_get(root, "big_y"), "big_y")) == TK_OK) {
        rc = ckd_json_g1(big_c, json_object_get(root, "big_c"), "big_c");
    }
    json_decref(root);
    return rc;
}

int tk_ckd_response_json(char *out, size_t out_cap, size_t *out_len, const tk_bls_g1 *big_y,
                         const tk_bls_g1 *big_c)
{
    char y[TK_CKD_POINT_STRING_MAX], c[TK_CKD_POINT_STRING_MAX];
    int rc, n;
    if (out == NULL || out_len == NULL || big_y == NULL || big_c == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_ckd_response_json: NULL argument");
    }
    *out_len = 0;
    if (tk_bls_g1_is_identity(big_y) || tk_bls_g1_is_identity(big_c)) {
        return tk_fail(TK_ERR_INPUT, "ckd response: identity point");
    }
    if ((rc = tk_ckd_g1_format(y, sizeof y, big_y)) != TK_OK ||
        (rc = tk_ckd_g1_format(c, sizeof c, big_c)) != TK_OK) {
        return rc;
    }
    n = snprintf(out, out_cap, "{\"big_y\":\"%s\",\"big_c\":\"%s\"}", y, c);
    if (n < 0 || (size_t)n >= out_cap) {
        if (out_cap > 0) {
            out[0] = '\0';
        }
        return tk_fail(TK_ERR_BUFFER, "ckd response JSON needs %d bytes", n + 1);
    }
    *out_len = (size_t)n;
    return TK_OK;
}
