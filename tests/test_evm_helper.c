/*
 * Test helper for tests/oracle/evm_check.mjs: reads one JSON request per line on stdin and
 * writes one JSON answer per line, so that an independent implementation (viem) can drive
 * the evm module. Requests:
 *   {"key": "0x<32 bytes>", "kind": "eth_transaction" | "eth_authorization" | "eth_personal"
 *    | "eth_typed_data", "payload": ...}          → {"ok": true, "result": {...}}
 *   {"decode": "0x<raw transaction>"}            → {"ok": true, "result": {tx..., "from"}}
 * Failures answer {"ok": false, "error": "<detail>"}. Test keys only: never use a real key.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/encoding.h"
#include "teekeys/evm.h"
#include "util_jsonl.h"

static json_t *do_decode(const char *hex)
{
    unsigned char *raw;
    size_t n = strlen(hex), len = 0;
    unsigned char from[TK_EVM_ADDRESS_LEN];
    char addr[TK_EVM_ADDRESS_STR];
    tk_evm_tx tx;
    json_t *o = NULL, *ans;
    int rc;
    if (n < 2 || hex[0] != '0' || hex[1] != 'x') {
        return test_jsonl_fail_msg("decode: expected 0x-hex");
    }
    raw = malloc(n / 2 + 1);
    if (raw == NULL) {
        return NULL;
    }
    rc = tk_hex_decode(raw, n / 2 + 1, &len, hex + 2, n - 2);
    if (rc == TK_OK) {
        rc = tk_evm_tx_decode(&tx, raw, len);
        if (rc == TK_OK && (rc = tk_evm_tx_sender_var(from, &tx)) == TK_OK &&
            (rc = tk_evm_address_string(addr, sizeof addr, from)) == TK_OK &&
            (rc = tk_evm_tx_to_jansson(&o, &tx, 1)) == TK_OK) {
            json_object_set_new(o, "from", json_string(addr));
        }
        tk_evm_tx_free(&tx);
    }
    free(raw);
    if (rc != TK_OK) {
        return test_jsonl_fail(rc);
    }
    ans = json_pack("{s:b, s:o}", "ok", 1, "result", o);
    return ans;
}

static json_t *handle(const json_t *req)
{
    unsigned char key[TK_EVM_SECKEY_LEN];
    const json_t *k = json_object_get(req, "key");
    json_t *result = NULL;
    int rc;
    if (json_is_string(json_object_get(req, "decode"))) {
        return do_decode(json_string_value(json_object_get(req, "decode")));
    }
    if (!json_is_string(k) || !json_is_string(json_object_get(req, "kind")) ||
        json_object_get(req, "payload") == NULL) {
        return test_jsonl_fail_msg("request needs key, kind, payload");
    }
    rc = tk_hex_decode_exact(key, sizeof key, json_string_value(k), json_string_length(k),
                             TK_HEX_ALLOW_0X);
    if (rc == TK_OK) {
        rc = tk_evm_sign_request(&result, key, json_string_value(json_object_get(req, "kind")),
                                 json_object_get(req, "payload"));
    }
    tk_wipe(key, sizeof key);
    if (rc != TK_OK) {
        return test_jsonl_fail(rc);
    }
    return json_pack("{s:b, s:o}", "ok", 1, "result", result);
}

int main(void)
{
    return test_jsonl_serve(handle);
}
