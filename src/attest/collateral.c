/*
 * DCAP collateral in dcap-qvl's JSON form: strict parsing into bytes and text, and the
 * inverse serialisation (for the round-trip fuzzer and for callers that forward collateral).
 * The TCB info and QE identity texts are kept byte for byte as served: their signatures
 * cover exactly those bytes, so nothing here may re-format or normalise them.
 * No verification happens here (see verify.c).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"

static const char *const k_members[] = {
    "pck_crl_issuer_chain",     "root_ca_crl", "pck_crl",
    "tcb_info_issuer_chain",    "tcb_info",    "tcb_info_signature",
    "qe_identity_issuer_chain", "qe_identity", "qe_identity_signature",
};

void tk_attest_collateral_free(tk_attest_collateral *c)
{
    if (c == NULL) {
        return;
    }
    free(c->pck_crl_issuer_chain);
    free(c->root_ca_crl);
    free(c->pck_crl);
    free(c->tcb_info_issuer_chain);
    free(c->tcb_info);
    free(c->qe_identity_issuer_chain);
    free(c->qe_identity);
    memset(c, 0, sizeof *c);
}

static int get_text(char **out, size_t *out_len, json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    size_t n;
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" missing or not a string", key);
    }
    n = json_string_length(v);
    if (n == 0) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" is empty", key);
    }
    if (memchr(json_string_value(v), 0, n) != NULL) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" contains a NUL character", key);
    }
    *out = malloc(n + 1);
    if (*out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "collateral: out of memory");
    }
    memcpy(*out, json_string_value(v), n + 1);
    if (out_len != NULL) {
        *out_len = n;
    }
    return TK_OK;
}

static int get_hex(unsigned char **out, size_t *out_len, json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    size_t n;
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" missing or not a string", key);
    }
    n = json_string_length(v);
    if (n == 0) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" is empty", key);
    }
    *out = malloc(n / 2 + 1);
    if (*out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "collateral: out of memory");
    }
    if (tk_hex_decode(*out, n / 2 + 1, out_len, json_string_value(v), n) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" is not hex", key);
    }
    return TK_OK;
}

static int get_sig(unsigned char out[TK_ATTEST_SIG_LEN], json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" missing or not a string", key);
    }
    if (tk_hex_decode_exact(out, TK_ATTEST_SIG_LEN, json_string_value(v), json_string_length(v),
                            0) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "collateral: \"%s\" is not 64 bytes of hex (r || s)", key);
    }
    return TK_OK;
}

int tk_attest_collateral_parse(tk_attest_collateral *c, const char *json, size_t json_len)
{
    json_t *root;
    json_error_t jerr;
    const char *key;
    json_t *val;
    int rc;

    if (c == NULL || (json == NULL && json_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_attest_collateral_parse: NULL argument");
    }
    memset(c, 0, sizeof *c);
    if (json_len > TK_ATTEST_MAX_COLLATERAL) {
        return tk_fail(TK_ERR_INPUT, "collateral: %zu bytes exceeds the limit", json_len);
    }
    root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return tk_fail(TK_ERR_INPUT, "collateral: bad JSON at line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text);
    }
    if (!json_is_object(root)) {
        rc = tk_fail(TK_ERR_INPUT, "collateral: expected a JSON object");
        goto cleanup;
    }
    json_object_foreach(root, key, val)
    {
        size_t i;
        for (i = 0; i < sizeof k_members / sizeof k_members[0]; i++) {
            if (strcmp(key, k_members[i]) == 0) {
                break;
            }
        }
        if (i == sizeof k_members / sizeof k_members[0]) {
            rc = tk_fail(TK_ERR_INPUT, "collateral: unknown member \"%.40s\"", key);
            goto cleanup;
        }
    }
    if ((rc = get_text(&c->pck_crl_issuer_chain, NULL, root, "pck_crl_issuer_chain")) != TK_OK ||
        (rc = get_hex(&c->root_ca_crl, &c->root_ca_crl_len, root, "root_ca_crl")) != TK_OK ||
        (rc = get_hex(&c->pck_crl, &c->pck_crl_len, root, "pck_crl")) != TK_OK ||
        (rc = get_text(&c->tcb_info_issuer_chain, NULL, root, "tcb_info_issuer_chain")) != TK_OK ||
        (rc = get_text(&c->tcb_info, &c->tcb_info_len, root, "tcb_info")) != TK_OK ||
        (rc = get_sig(c->tcb_info_signature, root, "tcb_info_signature")) != TK_OK ||
        (rc = get_text(&c->qe_identity_issuer_chain, NULL, root, "qe_identity_issuer_chain")) !=
            TK_OK ||
        (rc = get_text(&c->qe_identity, &c->qe_identity_len, root, "qe_identity")) != TK_OK ||
        (rc = get_sig(c->qe_identity_signature, root, "qe_identity_signature")) != TK_OK) {
        goto cleanup;
    }
cleanup:
    json_decref(root);
    if (rc != TK_OK) {
        tk_attest_collateral_free(c);
    }
    return rc;
}

static int set_hex(json_t *obj, const char *key, const unsigned char *b, size_t n)
{
    char *hex = malloc(2 * n + 1);
    int rc = -1;
    if (hex != NULL && tk_hex_encode(hex, 2 * n + 1, b, n) == TK_OK) {
        rc = json_object_set_new(obj, key, json_string(hex));
    }
    free(hex);
    return rc;
}

int tk_attest_collateral_to_json(char **out, const tk_attest_collateral *c)
{
    json_t *obj;
    int rc = TK_OK;
    if (out == NULL || c == NULL || c->pck_crl_issuer_chain == NULL || c->root_ca_crl == NULL ||
        c->pck_crl == NULL || c->tcb_info_issuer_chain == NULL || c->tcb_info == NULL ||
        c->qe_identity_issuer_chain == NULL || c->qe_identity == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_collateral_to_json: NULL argument");
    }
    *out = NULL;
    obj = json_object();
    if (obj == NULL ||
        json_object_set_new(obj, "pck_crl_issuer_chain", json_string(c->pck_crl_issuer_chain)) ||
        set_hex(obj, "root_ca_crl", c->root_ca_crl, c->root_ca_crl_len) ||
        set_hex(obj, "pck_crl", c->pck_crl, c->pck_crl_len) ||
        json_object_set_new(obj, "tcb_info_issuer_chain", json_string(c->tcb_info_issuer_chain)) ||
        json_object_set_new(obj, "tcb_info", json_stringn(c->tcb_info, c->tcb_info_len)) ||
        set_hex(obj, "tcb_info_signature", c->tcb_info_signature, TK_ATTEST_SIG_LEN) ||
        json_object_set_new(obj, "qe_identity_issuer_chain",
                            json_string(c->qe_identity_issuer_chain)) ||
        json_object_set_new(obj, "qe_identity", json_stringn(c->qe_identity, c->qe_identity_len)) ||
        set_hex(obj, "qe_identity_signature", c->qe_identity_signature, TK_ATTEST_SIG_LEN)) {
        rc = tk_fail(TK_ERR_NOMEM, "collateral: cannot build JSON");
    } else {
        *out = json_dumps(obj, JSON_PRESERVE_ORDER | JSON_COMPACT);
        if (*out == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "collateral: cannot serialise JSON");
        }
    }
    json_decref(obj);
    return rc;
}
