/*
 * sdk_selftest: a contract that exists to exercise near_sdk end to end, in wasm32 under a real
 * engine and natively under the C host: input/return, strict JSON, storage, environment,
 * hashing, logs and panics. It holds nothing of value and is never deployed outside tests.
 */
#include "near_sdk.h"

#define NEAR_CONTRACT sdk_selftest

static const near_json *args(void)
{
    size_t len;
    const char *err = "";
    uint8_t *in = near_input(&len);
    near_json *doc = near_json_parse((const char *)in, len, &err);
    if (doc == NULL) {
        near_panic_detail("invalid JSON arguments: ", err);
    }
    return doc;
}

static const char *str_arg(const near_json *doc, const char *name)
{
    const char *s = near_json_string(near_json_get(doc, name));
    if (s == NULL) {
        near_panic_detail("missing string argument: ", name);
    }
    return s;
}

static void put_hex(near_buf *b, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        near_buf_putc(b, hex[p[i] >> 4]);
        near_buf_putc(b, hex[p[i] & 15]);
    }
}

NEAR_METHOD(echo)
{
    size_t len;
    uint8_t *in = near_input(&len);
    near_return(in, len);
}

/* {"key": string, "value": string}: stores it and emits a NEP-297 event. */
NEAR_METHOD(put)
{
    const near_json *doc = args();
    const char *key = str_arg(doc, "key"), *value = str_arg(doc, "value");
    near_buf ev = {0};
    near_storage_write(key, near_strlen(key), value, near_strlen(value));
    near_buf_puts(&ev, "EVENT_JSON:{\"standard\":\"teekeys-selftest\",\"version\":\"1.0.0\","
                       "\"event\":\"put\",\"data\":[{\"key\":");
    near_json_write_string(&ev, key, near_strlen(key));
    near_buf_puts(&ev, "}]}");
    near_log(ev.data, ev.len);
}

/* {"key": string} -> the stored string or null */
NEAR_METHOD(get)
{
    const near_json *doc = args();
    const char *key = str_arg(doc, "key");
    size_t n;
    uint8_t *v = near_storage_read(key, near_strlen(key), &n);
    near_buf out = {0};
    if (v == NULL) {
        near_return_str("null");
        return;
    }
    near_json_write_string(&out, (const char *)v, n);
    near_return(out.data, out.len);
}

NEAR_METHOD(remove)
{
    const near_json *doc = args();
    const char *key = str_arg(doc, "key");
    near_return_str(near_storage_remove(key, near_strlen(key)) ? "true" : "false");
}

NEAR_METHOD(whoami)
{
    near_buf out = {0};
    char *cur = near_current_account_id(), *pred = near_predecessor_account_id();
    char *signer = near_signer_account_id();
    near_buf_puts(&out, "{\"current\":");
    near_json_write_string(&out, cur, near_strlen(cur));
    near_buf_puts(&out, ",\"predecessor\":");
    near_json_write_string(&out, pred, near_strlen(pred));
    near_buf_puts(&out, ",\"signer\":");
    near_json_write_string(&out, signer, near_strlen(signer));
    near_buf_puts(&out, ",\"block_index\":");
    near_buf_puts(&out, near_u64_to_str(near_block_index()));
    near_buf_puts(&out, ",\"deposit\":\"");
    near_buf_puts(&out, near_u128_to_str(near_attached_deposit()));
    near_buf_puts(&out, "\"}");
    near_return(out.data, out.len);
}

/* Returns {"sha256": hex, "keccak256": hex} of the raw input bytes. */
NEAR_METHOD(hash)
{
    size_t len;
    uint8_t *in = near_input(&len), h[32];
    near_buf out = {0};
    near_sha256(h, in, len);
    near_buf_puts(&out, "{\"sha256\":\"");
    put_hex(&out, h, 32);
    near_keccak256(h, in, len);
    near_buf_puts(&out, "\",\"keccak256\":\"");
    put_hex(&out, h, 32);
    near_buf_puts(&out, "\"}");
    near_return(out.data, out.len);
}

/* Parses the input strictly and describes it: {"type": n, "count": n, "amount": "u128"?}. */
NEAR_METHOD(parse)
{
    const near_json *doc = args();
    unsigned __int128 amount;
    near_buf out = {0};
    near_buf_puts(&out, "{\"type\":");
    near_buf_puts(&out, near_u64_to_str((uint64_t)doc->type));
    near_buf_puts(&out, ",\"count\":");
    near_buf_puts(&out, near_u64_to_str(doc->count));
    if (near_json_u128(near_json_get(doc, "amount"), &amount)) {
        near_buf_puts(&out, ",\"amount\":\"");
        near_buf_puts(&out, near_u128_to_str(amount));
        near_buf_putc(&out, '"');
    }
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

/* {"hash": hex32, "sig": hex64, "v": n, "strict": bool} -> "hex64 public key" or null */
static int unhex(uint8_t *out, size_t n, const char *hex)
{
    size_t i;
    if (hex == NULL || near_strlen(hex) != 2 * n) {
        return 0;
    }
    for (i = 0; i < 2 * n; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) {
            return 0;
        }
        out[i / 2] = (uint8_t)(i % 2 ? (out[i / 2] << 4) | v : v);
    }
    return 1;
}

NEAR_METHOD(recover)
{
    const near_json *doc = args();
    uint8_t hash[32], sig[64], pub[64];
    uint64_t v;
    const near_json *strict = near_json_get(doc, "strict");
    near_buf out = {0};
    if (!unhex(hash, 32, near_json_string(near_json_get(doc, "hash"))) ||
        !unhex(sig, 64, near_json_string(near_json_get(doc, "sig"))) ||
        !near_json_u64(near_json_get(doc, "v"), &v)) {
        near_panic("recover needs hash (64 hex), sig (128 hex) and v");
    }
    if (!near_ecrecover(pub, hash, sig, (unsigned)v, strict && strict->boolean)) {
        near_return_str("null");
        return;
    }
    near_buf_putc(&out, '"');
    put_hex(&out, pub, 64);
    near_buf_putc(&out, '"');
    near_return(out.data, out.len);
}

NEAR_METHOD(fail)
{
    near_panic("selftest failure requested");
}

#ifdef NEAR_NATIVE
extern const near_method sdk_selftest_methods[];
#define M(name)                                                                                    \
    {                                                                                              \
#name, contract_sdk_selftest_##name                                                        \
    }
const near_method sdk_selftest_methods[] = {M(echo), M(put),   M(get),     M(remove), M(whoami),
                                            M(hash), M(parse), M(recover), M(fail),   {0, 0}};
#endif
