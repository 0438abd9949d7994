/*
 * The `btc_psbt` signing kind of DESIGN 4.1 as one call: JSON payload {psbt, finalize?} in,
 * JSON result {psbt, signed_inputs, tx?} out. Shared by the CLI and (later) the HTTP API so both
 * accept and return exactly the same shapes. Never puts key material in a result or an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "psbt_internal.h"

#include "teekeys/encoding.h"

static int parse_payload(const char **psbt_b64, size_t *psbt_len, int *finalize, json_t *root)
{
    const char *key;
    json_t *value;
    if (!json_is_object(root)) {
        return tk_fail(TK_ERR_INPUT, "btc_psbt payload must be a JSON object");
    }
    *psbt_b64 = NULL;
    *finalize = 0;
    json_object_foreach(root, key, value)
    {
        if (strcmp(key, "psbt") == 0) {
            if (!json_is_string(value)) {
                return tk_fail(TK_ERR_INPUT, "btc_psbt payload: \"psbt\" must be a base64 string");
            }
            *psbt_b64 = json_string_value(value);
            *psbt_len = json_string_length(value);
        } else if (strcmp(key, "finalize") == 0) {
            if (!json_is_boolean(value)) {
                return tk_fail(TK_ERR_INPUT, "btc_psbt payload: \"finalize\" must be a boolean");
            }
            *finalize = json_is_true(value);
        } else {
            return tk_fail(TK_ERR_INPUT, "btc_psbt payload: unknown member \"%.40s\"", key);
        }
    }
    if (*psbt_b64 == NULL) {
        return tk_fail(TK_ERR_INPUT, "btc_psbt payload: \"psbt\" is missing");
    }
    return TK_OK;
}

/* Adds "tx": hex of the extracted transaction when every input is final. */
static int add_tx(json_t *result, const tk_psbt *psbt)
{
    tk_btc_tx *tx = NULL;
    unsigned char *bin = NULL;
    char *hex = NULL;
    size_t i, n;
    int rc;
    for (i = 0; i < psbt->tx->n_in; i++) {
        if (!tk_psbt_input_is_final(psbt, i)) {
            return TK_OK;
        }
    }
    if ((rc = tk_psbt_extract(&tx, psbt)) != TK_OK) {
        return rc;
    }
    n = tk_btc_tx_serialized_len(tx, 0);
    bin = malloc(n);
    hex = malloc(2 * n + 1);
    if (bin == NULL || hex == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = tk_btc_tx_serialize(bin, n, &n, tx, 0)) != TK_OK ||
        (rc = tk_hex_encode(hex, 2 * n + 1, bin, n)) != TK_OK) {
        goto cleanup;
    }
    if (json_object_set_new(result, "tx", json_string(hex)) != 0) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
    }
cleanup:
    tk_btc_tx_free(tx);
    free(bin);
    free(hex);
    return rc;
}

int tk_btc_sign_psbt_request(char **result_json, const char *payload_json, size_t payload_len,
                             const unsigned char seckey[TK_BTC_SECKEY_LEN],
                             const tk_psbt_sign_opts *opts)
{
    json_error_t jerr;
    json_t *root = NULL, *result = NULL, *list = NULL;
    tk_psbt *psbt = NULL;
    const char *b64 = NULL;
    char *out_b64 = NULL;
    size_t b64_len = 0, n_signed = 0, i, *idx = NULL;
    int finalize = 0, rc;
    if (result_json == NULL || payload_json == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_sign_psbt_request: NULL argument");
    }
    *result_json = NULL;
    root = json_loadb(payload_json, payload_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return tk_fail(TK_ERR_INPUT, "btc_psbt payload is not JSON: %s (column %d)", jerr.text,
                       jerr.column);
    }
    if ((rc = parse_payload(&b64, &b64_len, &finalize, root)) != TK_OK ||
        (rc = tk_psbt_parse_base64(&psbt, b64, b64_len)) != TK_OK) {
        goto cleanup;
    }
    idx = calloc(psbt->tx->n_in + 1, sizeof *idx);
    if (idx == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = tk_psbt_sign_taproot(psbt, idx, psbt->tx->n_in, &n_signed, seckey, opts)) != TK_OK) {
        goto cleanup;
    }
    if (finalize && (rc = tk_psbt_finalize_taproot(psbt, NULL)) != TK_OK) {
        goto cleanup;
    }
    if ((rc = tk_psbt_serialize_base64(&out_b64, NULL, psbt)) != TK_OK) {
        goto cleanup;
    }
    result = json_object();
    list = json_array();
    if (result == NULL || list == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < n_signed; i++) {
        if (json_array_append_new(list, json_integer((json_int_t)idx[i])) != 0) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (json_object_set_new(result, "psbt", json_string(out_b64)) != 0 ||
        json_object_set(result, "signed_inputs", list) != 0) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (finalize && (rc = add_tx(result, psbt)) != TK_OK) {
        goto cleanup;
    }
    *result_json = json_dumps(result, JSON_COMPACT | JSON_PRESERVE_ORDER);
    rc = *result_json != NULL ? TK_OK : tk_fail(TK_ERR_NOMEM, "out of memory");
cleanup:
    json_decref(root);
    json_decref(result);
    json_decref(list);
    tk_psbt_free(psbt);
    free(out_b64);
    free(idx);
    return rc;
}
