/*
 * Test-only bridge for tests/oracle/btc_check.mjs: reads one JSON request on stdin, runs the
 * bitcoin module, prints one JSON answer on stdout. Requests:
 *   {"op":"address","seckey":hex,"hrp":"bcrt"}  → {"internal_key","output_key","address"}
 *   {"op":"sign","seckey":hex,"payload":{psbt, finalize?}}  → the btc_psbt result
 *   {"op":"finalize","psbt":base64}  → {"psbt", "finalized": n, "tx"?: hex}
 * Errors print {"error":{"code","message"}} and exit 1. Test keys only: never a real secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/bitcoin.h"
#include "teekeys/encoding.h"
#include "teekeys/psbt.h"

static int fail(int rc)
{
    json_t *e = json_pack("{s:{s:i,s:s}}", "error", "code", rc, "message", tk_errmsg());
    char *s = json_dumps(e, JSON_COMPACT);
    printf("%s\n", s);
    free(s);
    json_decref(e);
    return 1;
}

static int seckey_of(unsigned char sk[32], json_t *req)
{
    const char *hex = json_string_value(json_object_get(req, "seckey"));
    if (hex == NULL) {
        return tk_fail(TK_ERR_INPUT, "seckey missing");
    }
    return tk_hex_decode_exact(sk, 32, hex, strlen(hex), 0);
}

static int op_address(json_t *req, json_t *out)
{
    unsigned char sk[32], p[32], q[32];
    char ph[65], qh[65], addr[100];
    const char *hrp = json_string_value(json_object_get(req, "hrp"));
    int rc;
    if ((rc = seckey_of(sk, req)) != TK_OK || (rc = tk_btc_bip86_keys(p, q, sk)) != TK_OK ||
        (rc = tk_hex_encode(ph, sizeof ph, p, 32)) != TK_OK ||
        (rc = tk_hex_encode(qh, sizeof qh, q, 32)) != TK_OK ||
        (rc = tk_segwit_encode(addr, sizeof addr, hrp ? hrp : "bc", 1, q, 32)) != TK_OK) {
        tk_wipe(sk, sizeof sk);
        return rc;
    }
    tk_wipe(sk, sizeof sk);
    json_object_set_new(out, "internal_key", json_string(ph));
    json_object_set_new(out, "output_key", json_string(qh));
    json_object_set_new(out, "address", json_string(addr));
    return TK_OK;
}

static int op_sign(json_t *req, json_t **out)
{
    unsigned char sk[32];
    char *payload = json_dumps(json_object_get(req, "payload"), JSON_COMPACT), *res = NULL;
    json_error_t err;
    int rc;
    if (payload == NULL) {
        return tk_fail(TK_ERR_INPUT, "payload missing");
    }
    rc = seckey_of(sk, req);
    if (rc == TK_OK) {
        rc = tk_btc_sign_psbt_request(&res, payload, strlen(payload), sk, NULL);
    }
    tk_wipe(sk, sizeof sk);
    free(payload);
    if (rc == TK_OK) {
        json_decref(*out);
        *out = json_loads(res, 0, &err);
        free(res);
    }
    return rc;
}

static int op_finalize(json_t *req, json_t *out)
{
    const char *b64 = json_string_value(json_object_get(req, "psbt"));
    tk_psbt *p = NULL;
    tk_btc_tx *tx = NULL;
    char *s = NULL, *hex = NULL;
    unsigned char *raw = NULL;
    size_t n_final = 0, n;
    int rc;
    if (b64 == NULL) {
        return tk_fail(TK_ERR_INPUT, "psbt missing");
    }
    if ((rc = tk_psbt_parse_base64(&p, b64, strlen(b64))) != TK_OK ||
        (rc = tk_psbt_finalize_taproot(p, &n_final)) != TK_OK ||
        (rc = tk_psbt_serialize_base64(&s, NULL, p)) != TK_OK) {
        goto done;
    }
    json_object_set_new(out, "psbt", json_string(s));
    json_object_set_new(out, "finalized", json_integer((json_int_t)n_final));
    if (tk_psbt_extract(&tx, p) == TK_OK) {
        n = tk_btc_tx_serialized_len(tx, 0);
        raw = malloc(n);
        hex = malloc(2 * n + 1);
        if (raw == NULL || hex == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((rc = tk_btc_tx_serialize(raw, n, &n, tx, 0)) != TK_OK ||
            (rc = tk_hex_encode(hex, 2 * n + 1, raw, n)) != TK_OK) {
            goto done;
        }
        json_object_set_new(out, "tx", json_string(hex));
    }
done:
    tk_psbt_free(p);
    tk_btc_tx_free(tx);
    free(s);
    free(raw);
    free(hex);
    return rc;
}

int main(void)
{
    json_error_t err;
    json_t *req, *out = json_object();
    const char *op;
    char *s;
    int rc;
    if (tk_init() != TK_OK) {
        return 2;
    }
    req = json_loadf(stdin, 0, &err);
    if (req == NULL) {
        tk_fail(TK_ERR_INPUT, "request is not JSON: %s", err.text);
        return fail(TK_ERR_INPUT);
    }
    op = json_string_value(json_object_get(req, "op"));
    if (op != NULL && strcmp(op, "address") == 0) {
        rc = op_address(req, out);
    } else if (op != NULL && strcmp(op, "sign") == 0) {
        rc = op_sign(req, &out);
    } else if (op != NULL && strcmp(op, "finalize") == 0) {
        rc = op_finalize(req, out);
    } else {
        rc = tk_fail(TK_ERR_INPUT, "unknown op");
    }
    json_decref(req);
    if (rc != TK_OK) {
        json_decref(out);
        return fail(rc);
    }
    s = json_dumps(out, JSON_COMPACT);
    printf("%s\n", s);
    free(s);
    json_decref(out);
    return 0;
}
