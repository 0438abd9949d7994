/*
 * sdk_selftest: a contract that exists to exercise near_sdk end to end, in wasm32 under a real
 * engine and natively under the C host: input/return, strict JSON, storage, environment,
 * hashing, logs and panics, borsh, and persistent maps and sets. It holds nothing of value and
 * is never deployed outside tests.
 */
#include "near_util.h"

#define NEAR_CONTRACT sdk_selftest

static void put_hex(near_buf *b, const uint8_t *p, size_t n)
{
    near_buf_puts(b, near_hex(p, n));
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
    const near_json *doc = near_args_json();
    const char *key = near_json_str_arg(doc, "key"), *value = near_json_str_arg(doc, "value");
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
    const near_json *doc = near_args_json();
    const char *key = near_json_str_arg(doc, "key");
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
    const near_json *doc = near_args_json();
    const char *key = near_json_str_arg(doc, "key");
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
    const near_json *doc = near_args_json();
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
    return hex != NULL && near_unhex(out, n, hex, near_strlen(hex), 0);
}

NEAR_METHOD(recover)
{
    const near_json *doc = near_args_json();
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

/* ---- borsh ---- */
/* {"hex": "..", "schema": "t1,t2,.."} with t one of u8 u32 u64 u128 string bytes opt_u32
 * vec_u64 pk: reads the bytes as that sequence and returns the values as a JSON array
 * (integers as decimal strings, bytes as hex, pk as a NEAR key string), then writes them back
 * with the writer and checks the bytes are the input's; {"error": "..."} when the reader
 * refuses the input. */
NEAR_METHOD(borsh)
{
    const near_json *doc = near_args_json();
    const char *hex = near_json_str_arg(doc, "hex"), *schema = near_json_str_arg(doc, "schema");
    size_t n = near_strlen(hex) / 2, i = 0;
    uint8_t *in = near_alloc(n + 1);
    near_borsh_reader r;
    near_buf out = {0}, again = {0};
    if (!near_unhex(in, n, hex, near_strlen(hex), 0)) {
        near_panic("hex must be lowercase hex digits");
    }
    near_borsh_reader_init(&r, in, n);
    near_buf_putc(&out, '[');
    while (schema[i] != 0) {
        size_t start = i, len;
        const char *t;
        while (schema[i] != 0 && schema[i] != ',') {
            i++;
        }
        t = near_strndup(schema + start, i - start);
        len = i - start;
        if (schema[i] == ',') {
            i++;
        }
        if (out.len > 1) {
            near_buf_putc(&out, ',');
        }
        if (near_streq_n(t, len, "u8")) {
            uint8_t v;
            near_borsh_read_u8(&r, &v);
            near_borsh_u8(&again, v);
            near_json_write_u128(&out, v);
        } else if (near_streq_n(t, len, "u32")) {
            uint32_t v;
            near_borsh_read_u32(&r, &v);
            near_borsh_u32(&again, v);
            near_json_write_u128(&out, v);
        } else if (near_streq_n(t, len, "u64")) {
            uint64_t v;
            near_borsh_read_u64(&r, &v);
            near_borsh_u64(&again, v);
            near_json_write_u128(&out, v);
        } else if (near_streq_n(t, len, "u128")) {
            unsigned __int128 v;
            near_borsh_read_u128(&r, &v);
            near_borsh_u128(&again, v);
            near_json_write_u128(&out, v);
        } else if (near_streq_n(t, len, "string")) {
            const char *v;
            size_t vl;
            if (near_borsh_read_string(&r, &v, &vl)) {
                near_json_write_string(&out, v, vl);
                near_borsh_bytes(&again, v, vl);
            }
        } else if (near_streq_n(t, len, "bytes")) {
            const uint8_t *v;
            size_t vl;
            near_borsh_read_bytes(&r, &v, &vl);
            near_json_write_string(&out, near_hex(v, vl), 2 * vl);
            near_borsh_bytes(&again, v, vl);
        } else if (near_streq_n(t, len, "opt_u32")) {
            int present;
            uint32_t v = 0;
            if (near_borsh_read_option(&r, &present) && present) {
                near_borsh_read_u32(&r, &v);
            }
            near_borsh_u8(&again, (uint8_t)present);
            if (present) {
                near_borsh_u32(&again, v);
                near_json_write_u128(&out, v);
            } else {
                near_buf_puts(&out, "null");
            }
        } else if (near_streq_n(t, len, "vec_u64")) {
            uint32_t count, k;
            near_borsh_read_vec_len(&r, &count, 8);
            near_borsh_u32(&again, count);
            near_buf_putc(&out, '[');
            for (k = 0; k < count; k++) {
                uint64_t v;
                near_borsh_read_u64(&r, &v);
                near_borsh_u64(&again, v);
                near_json_write_u128(&out, v);
                near_buf_puts(&out, k + 1 < count ? "," : "");
            }
            near_buf_putc(&out, ']');
        } else if (near_streq_n(t, len, "pk")) {
            unsigned curve;
            uint8_t key[64];
            size_t kl;
            if (near_borsh_read_public_key(&r, &curve, key, &kl)) {
                const char *ks = near_public_key_string(curve, key);
                near_json_write_string(&out, ks, near_strlen(ks));
                near_borsh_public_key(&again, curve, key);
            }
        } else {
            near_panic_detail("unknown schema type: ", t);
        }
    }
    near_buf_putc(&out, ']');
    if (!near_borsh_end(&r)) {
        near_return_str(r.ok ? "{\"error\":\"trailing bytes\"}" : "{\"error\":\"refused\"}");
        return;
    }
    if (again.len != n || !near_memeq(again.data, in, n)) {
        near_panic("borsh writer disagrees with the reader");
    }
    near_return(out.data, out.len);
}

/* ---- maps and sets ----
 * {"map": "plain" | "fixed" (iterable, 4-byte keys) | "var" (iterable, any keys) | "set"
 * (iterable), "op": "set" | "get" | "has" | "remove" | "len" | "page" | "keys", "key"?,
 * "value"? (stored as a JSON string), "from"?, "limit"?} */
static const near_map map_plain = NEAR_MAP("p"), map_fixed = NEAR_ITERABLE_MAP("f", "fi", 4),
                      map_var = NEAR_ITERABLE_MAP("v:", "vi", 0),
                      set_var = NEAR_ITERABLE_MAP("S", "Si", 0);

NEAR_METHOD(map)
{
    const near_json *doc = near_args_json();
    const char *which = near_json_str_arg(doc, "map"), *op = near_json_str_arg(doc, "op");
    const near_json *kv = near_json_get(doc, "key");
    const char *key = kv != NULL ? near_json_string(kv) : "";
    size_t klen = kv != NULL ? kv->len : 0, n;
    uint64_t from = 0, limit = 100;
    const near_map *m = near_streq(which, "plain")   ? &map_plain
                        : near_streq(which, "fixed") ? &map_fixed
                        : near_streq(which, "var")   ? &map_var
                        : near_streq(which, "set")   ? &set_var
                                                     : NULL;
    near_buf out = {0};
    uint8_t *v;
    if (m == NULL || key == NULL) {
        near_panic("map must be plain, fixed, var or set; key a string");
    }
    (void)near_json_u64(near_json_get(doc, "from"), &from);
    (void)near_json_u64(near_json_get(doc, "limit"), &limit);
    if (near_streq(op, "set")) {
        near_buf val = {0};
        const char *value;
        if (m == &set_var) {
            near_return_str(near_set_add(m, key, klen) ? "true" : "false");
            return;
        }
        value = near_json_str_arg(doc, "value");
        near_json_write_string(&val, value, near_json_get(doc, "value")->len);
        near_return_str(near_map_set(m, key, klen, val.data, val.len) ? "true" : "false");
    } else if (near_streq(op, "get")) {
        v = near_map_get(m, key, klen, &n);
        if (v == NULL) {
            near_return_str("null");
            return;
        }
        near_return(v, n);
    } else if (near_streq(op, "has")) {
        near_return_str(near_map_has(m, key, klen) ? "true" : "false");
    } else if (near_streq(op, "remove")) {
        near_return_str(near_map_remove(m, key, klen) ? "true" : "false");
    } else if (near_streq(op, "len")) {
        near_return_str(near_u64_to_str(near_map_len(m)));
    } else if (near_streq(op, "page")) {
        near_map_write_json_page(&out, m, from, limit);
        near_return(out.data, out.len);
    } else if (near_streq(op, "keys")) {
        near_map_iter it;
        const uint8_t *k;
        near_map_iter_init(&it, m, from);
        near_buf_putc(&out, '[');
        while (limit-- > 0 && near_map_next(&it, &k, &n, NULL, NULL)) {
            near_buf_puts(&out, out.len > 1 ? "," : "");
            near_json_write_string(&out, (const char *)k, n);
        }
        near_buf_putc(&out, ']');
        near_return(out.data, out.len);
    } else {
        near_panic_detail("unknown map op: ", op);
    }
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
const near_method sdk_selftest_methods[] = {M(echo),   M(put),  M(get),   M(remove),
                                            M(whoami), M(hash), M(parse), M(recover),
                                            M(borsh),  M(map),  M(fail),  {0, 0}};
#endif
