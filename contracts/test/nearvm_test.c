/*
 * nearvm_test: a contract that exercises the NEAR runtime itself (docs/nearvm.md), natively
 * under src/nearvm and as wasm under tests/oracle/near_chain.mjs: storage and its usage, logs,
 * panics and rollback, cross-contract calls with callbacks reading promise results, joint
 * promises, promise_return chains, deposits, batch actions, yield/resume and timeouts, views,
 * and raw host-error probes. It holds nothing of value and is never deployed outside tests.
 * Arguments are JSON objects; byte strings (keys, data ids) are lowercase hex.
 */
#include "near_host.h"
#include "near_util.h"

#define NEAR_CONTRACT nearvm_test
#define TGAS          1000000000000ull

static const char *opt_str(const near_json *doc, const char *name, const char *dflt)
{
    const char *s = near_json_string(near_json_get(doc, name));
    return s ? s : dflt;
}

static uint64_t opt_u64(const near_json *doc, const char *name, uint64_t dflt)
{
    uint64_t v;
    const near_json *j = near_json_get(doc, name);
    if (j == 0) {
        return dflt;
    }
    if (!near_json_u64(j, &v)) {
        near_panic_detail("bad integer argument: ", name);
    }
    return v;
}

static unsigned __int128 opt_u128(const near_json *doc, const char *name)
{
    unsigned __int128 v;
    const near_json *j = near_json_get(doc, name);
    if (j == 0) {
        return 0;
    }
    if (!near_json_u128(j, &v)) {
        near_panic_detail("bad amount argument: ", name);
    }
    return v;
}

/* Decodes lowercase hex of any even length; *n gets the byte count. */
static uint8_t *unhex(const char *s, size_t *n)
{
    size_t len = near_strlen(s), i;
    uint8_t *out = near_alloc(len / 2 + 1);
    if (len % 2) {
        near_panic("odd hex length");
    }
    for (i = 0; i < len; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) {
            near_panic("bad hex");
        }
        out[i / 2] = (uint8_t)(i % 2 ? (out[i / 2] << 4) | v : v);
    }
    *n = len / 2;
    return out;
}

static void return_buf(const near_buf *b)
{
    near_return(b->data, b->len);
}

static void put_str(near_buf *b, const char *s)
{
    near_json_write_string(b, s, near_strlen(s));
}

/* ---- storage, logs, panics ---- */

/* {"key","value"} -> {"replaced": bool, "usage": n} */
NEAR_METHOD(put)
{
    const near_json *doc = near_args_json();
    const char *key = near_json_str_arg(doc, "key"), *value = near_json_str_arg(doc, "value");
    int replaced = near_storage_write(key, near_strlen(key), value, near_strlen(value));
    near_buf out = {0};
    near_buf_puts(&out,
                  replaced ? "{\"replaced\":true,\"usage\":" : "{\"replaced\":false,\"usage\":");
    near_buf_puts(&out, near_u64_to_str(near_storage_usage()));
    near_buf_putc(&out, '}');
    return_buf(&out);
}

/* {"key"} -> the stored string or null */
NEAR_METHOD(get)
{
    const char *key = near_json_str_arg(near_args_json(), "key");
    size_t n;
    uint8_t *v = near_storage_read(key, near_strlen(key), &n);
    near_buf out = {0};
    if (v == 0) {
        near_return_str("null");
        return;
    }
    near_json_write_string(&out, (const char *)v, n);
    return_buf(&out);
}

/* {"key"} -> whether it existed */
NEAR_METHOD(remove)
{
    const char *key = near_json_str_arg(near_args_json(), "key");
    near_return_str(near_storage_remove(key, near_strlen(key)) ? "true" : "false");
}

NEAR_METHOD(usage)
{
    near_return_str(near_u64_to_str(near_storage_usage()));
}

/* {"count", "size"}: writes `count` records "g<i>" of `size` bytes */
NEAR_METHOD(grow)
{
    const near_json *doc = near_args_json();
    uint64_t count = opt_u64(doc, "count", 1), size = opt_u64(doc, "size", 100), i;
    char *value = near_alloc((size_t)size + 1);
    for (i = 0; i < size; i++) {
        value[i] = 'x';
    }
    for (i = 0; i < count; i++) {
        near_buf key = {0};
        near_buf_putc(&key, 'g');
        near_buf_puts(&key, near_u64_to_str(i));
        near_storage_write(key.data, key.len, value, (size_t)size);
    }
    near_return_str(near_u64_to_str(near_storage_usage()));
}

/* {"messages": [..]}: logs each */
NEAR_METHOD(log)
{
    const near_json *m = near_json_get(near_args_json(), "messages"), *c;
    uint64_t n = 0;
    for (c = m ? m->child : 0; c != 0; c = c->next, n++) {
        near_log(c->str, c->len);
    }
    near_return_str(near_u64_to_str(n));
}

/* {"key","value"}: writes, logs, then panics — nothing of it may stay */
NEAR_METHOD(put_then_panic)
{
    const near_json *doc = near_args_json();
    const char *key = near_json_str_arg(doc, "key"), *value = near_json_str_arg(doc, "value");
    near_storage_write(key, near_strlen(key), value, near_strlen(value));
    near_log_str("wrote before panic");
    near_panic("after write");
}

/* {"message"}? (no arguments at all: the default message) */
NEAR_METHOD(fail)
{
    size_t len;
    near_input(&len);
    near_panic(len ? opt_str(near_args_json(), "message", "failure requested")
                   : "failure requested");
}

NEAR_METHOD(echo)
{
    size_t len;
    uint8_t *in = near_input(&len);
    near_return(in, len);
}

/* The call context as JSON (not for views). */
NEAR_METHOD(whoami)
{
    near_buf out = {0};
    size_t pk_len;
    uint8_t *pk = near_signer_account_pk(&pk_len);
    near_buf_puts(&out, "{\"current\":");
    put_str(&out, near_current_account_id());
    near_buf_puts(&out, ",\"predecessor\":");
    put_str(&out, near_predecessor_account_id());
    near_buf_puts(&out, ",\"signer\":");
    put_str(&out, near_signer_account_id());
    near_buf_puts(&out, ",\"signer_pk\":\"");
    near_buf_puts(&out, near_hex(pk, pk_len));
    near_buf_puts(&out, "\",\"deposit\":\"");
    near_buf_puts(&out, near_u128_to_str(near_attached_deposit()));
    near_buf_puts(&out, "\",\"balance\":\"");
    near_buf_puts(&out, near_u128_to_str(near_account_balance()));
    near_buf_puts(&out, "\",\"block_index\":");
    near_buf_puts(&out, near_u64_to_str(near_block_index()));
    near_buf_puts(&out, ",\"block_timestamp\":\"");
    near_buf_puts(&out, near_u64_to_str(near_block_timestamp()));
    near_buf_puts(&out, "\",\"prepaid_gas\":\"");
    near_buf_puts(&out, near_u64_to_str(near_prepaid_gas()));
    near_buf_puts(&out, "\",\"used_gas\":\"");
    near_buf_puts(&out, near_u64_to_str(near_used_gas()));
    near_buf_puts(&out, "\"}");
    return_buf(&out);
}

/* View-safe context. */
NEAR_METHOD(info)
{
    near_buf out = {0};
    near_buf_puts(&out, "{\"current\":");
    put_str(&out, near_current_account_id());
    near_buf_puts(&out, ",\"block_index\":");
    near_buf_puts(&out, near_u64_to_str(near_block_index()));
    near_buf_puts(&out, ",\"balance\":\"");
    near_buf_puts(&out, near_u128_to_str(near_account_balance()));
    near_buf_puts(&out, "\",\"deposit\":\"");
    near_buf_puts(&out, near_u128_to_str(near_attached_deposit()));
    near_buf_puts(&out, "\",\"storage_usage\":");
    near_buf_puts(&out, near_u64_to_str(near_storage_usage()));
    near_buf_putc(&out, '}');
    return_buf(&out);
}

/* ---- promises ---- */

static const char *self(void)
{
    return near_current_account_id();
}

static near_promise then_results(near_promise p, const char *tag)
{
    near_buf a = {0};
    near_buf_puts(&a, "{\"tag\":");
    put_str(&a, tag);
    near_buf_putc(&a, '}');
    return near_promise_then(p, self(), "on_results", a.data, a.len, 0, 20 * TGAS);
}

static near_promise call_from(const near_json *c, uint64_t gas_default)
{
    const char *account = near_json_str_arg(c, "account"), *method = near_json_str_arg(c, "method");
    const char *a = opt_str(c, "args", "");
    return near_promise_create(account, method, a, near_strlen(a), opt_u128(c, "deposit"),
                               opt_u64(c, "gas", gas_default));
}

/* {"account","method","args"?,"deposit"?,"gas"?}: calls it, then on_results here; returns the
 * callback's value */
NEAR_METHOD(call_other)
{
    const near_json *doc = near_args_json();
    near_promise p = call_from(doc, 30 * TGAS);
    near_promise_return(then_results(p, "call_other"));
}

/* {"calls": [call, call, ...]}: promise_and of the calls, then on_results */
NEAR_METHOD(call_all)
{
    const near_json *calls = near_json_get(near_args_json(), "calls"), *c;
    near_promise ps[16];
    size_t n = 0;
    for (c = calls ? calls->child : 0; c != 0 && n < 16; c = c->next) {
        ps[n++] = call_from(c, 20 * TGAS);
    }
    near_promise_return(then_results(near_promise_and(ps, n), "call_all"));
}

/* {"account","method","args"?}: returns the other call's result directly */
NEAR_METHOD(call_return)
{
    near_promise_return(call_from(near_args_json(), 100 * TGAS));
}

/* {"account","method","args"?}: calls with a weight-only gas share; returns its result */
NEAR_METHOD(call_weighted)
{
    const near_json *doc = near_args_json();
    const char *a = opt_str(doc, "args", "");
    near_promise p = near_promise_batch_create(near_json_str_arg(doc, "account"));
    near_promise_batch_function_call(p, near_json_str_arg(doc, "method"), a, near_strlen(a), 0, 0,
                                     1);
    near_promise_return(p);
}

/* The callback: {"tag","count","results":[{"status":"ok"|"failed","value":string|null}]} */
NEAR_METHOD(on_results)
{
    uint64_t n = near_promise_results_count(), i;
    const char *tag = opt_str(near_args_json(), "tag", "");
    near_buf out = {0};
    near_log_str("on_results");
    near_buf_puts(&out, "{\"tag\":");
    put_str(&out, tag);
    near_buf_puts(&out, ",\"count\":");
    near_buf_puts(&out, near_u64_to_str(n));
    near_buf_puts(&out, ",\"predecessor\":");
    put_str(&out, near_predecessor_account_id());
    near_buf_puts(&out, ",\"results\":[");
    for (i = 0; i < n; i++) {
        uint8_t *v;
        size_t len;
        int st = near_promise_result(i, &v, &len);
        near_buf_puts(&out, i ? ",{\"status\":" : "{\"status\":");
        near_buf_puts(&out,
                      st == NEAR_PROMISE_SUCCESS ? "\"ok\",\"value\":" : "\"failed\",\"value\":");
        if (st == NEAR_PROMISE_SUCCESS) {
            near_json_write_string(&out, (const char *)v, len);
        } else {
            near_buf_puts(&out, "null");
        }
        near_buf_putc(&out, '}');
    }
    near_buf_puts(&out, "]}");
    return_buf(&out);
}

/* {"receiver", "create"?, "transfer"?, "deploy"?, "full_key"?, "fc_key"?: {"key","receiver",
 * "methods","allowance"}, "delete_key"?, "delete_account"?, "callback"?: bool}: one batch
 * receipt with the named actions in this order */
NEAR_METHOD(batch)
{
    const near_json *doc = near_args_json(), *fc = near_json_get(doc, "fc_key"), *cb;
    near_promise p = near_promise_batch_create(near_json_str_arg(doc, "receiver"));
    const char *s;
    uint8_t *key;
    size_t n;
    if (near_json_get(doc, "create") != 0 && near_json_get(doc, "create")->boolean) {
        near_promise_batch_create_account(p);
    }
    if (near_json_get(doc, "transfer") != 0) {
        near_promise_batch_transfer(p, opt_u128(doc, "transfer"));
    }
    if ((s = opt_str(doc, "deploy", 0)) != 0) {
        near_promise_batch_deploy_contract(p, s, near_strlen(s));
    }
    if ((s = opt_str(doc, "full_key", 0)) != 0) {
        key = unhex(s, &n);
        near_promise_batch_add_full_access_key(p, key, n, 0);
    }
    if (fc != 0) {
        key = unhex(near_json_str_arg(fc, "key"), &n);
        near_promise_batch_add_function_call_key(p, key, n, 0, opt_u128(fc, "allowance"),
                                                 near_json_str_arg(fc, "receiver"),
                                                 opt_str(fc, "methods", ""));
    }
    if ((s = opt_str(doc, "delete_key", 0)) != 0) {
        key = unhex(s, &n);
        near_promise_batch_delete_key(p, key, n);
    }
    if ((s = opt_str(doc, "delete_account", 0)) != 0) {
        near_promise_batch_delete_account(p, s);
    }
    cb = near_json_get(doc, "callback");
    if (cb != 0 && cb->boolean) {
        near_promise_return(then_results(p, "batch"));
    }
}

/* ---- yield / resume ---- */

/* {"return"?: bool, "gas"?}: yields on_yield; stores and returns the data id (hex), or
 * promise_returns the yield so the transaction finishes with the callback */
NEAR_METHOD(yield_start)
{
    const near_json *doc = near_args_json(), *ret = near_json_get(doc, "return");
    uint8_t data_id[32];
    static const char cb_args[] = "{\"from\":\"yield_start\"}";
    near_promise p = near_promise_yield_create("on_yield", cb_args, sizeof cb_args - 1,
                                               opt_u64(doc, "gas", 20 * TGAS), 0, data_id);
    char *h = near_hex(data_id, 32);
    near_buf out = {0};
    near_storage_write("yield_id", 8, h, 64);
    near_buf_puts(&out, "yield ");
    near_buf_puts(&out, h);
    near_log(out.data, out.len);
    if (ret != 0 && ret->boolean) {
        near_promise_return(p);
        return;
    }
    out.len = 0;
    near_buf_putc(&out, '"');
    near_buf_puts(&out, h);
    near_buf_putc(&out, '"');
    return_buf(&out);
}

/* {"data_id": hex, "payload": string} -> true | false */
NEAR_METHOD(yield_resume)
{
    const near_json *doc = near_args_json();
    size_t n;
    uint8_t *id = unhex(near_json_str_arg(doc, "data_id"), &n);
    const char *payload = near_json_str_arg(doc, "payload");
    if (n != 32) {
        near_panic("data_id must be 32 bytes");
    }
    near_return_str(near_promise_yield_resume(id, payload, near_strlen(payload)) ? "true"
                                                                                 : "false");
}

/* The yield callback: records and returns {"status": "ok"|"timeout", "payload": string|null} */
NEAR_METHOD(on_yield)
{
    uint8_t *v = 0;
    size_t len = 0;
    near_buf out = {0};
    int ok = near_promise_results_count() == 1 &&
             near_promise_result(0, &v, &len) == NEAR_PROMISE_SUCCESS;
    near_log_str(ok ? "on_yield resumed" : "on_yield timeout");
    near_buf_puts(&out,
                  ok ? "{\"status\":\"ok\",\"payload\":" : "{\"status\":\"timeout\",\"payload\":");
    if (ok) {
        near_json_write_string(&out, (const char *)v, len);
    } else {
        near_buf_puts(&out, "null");
    }
    near_buf_putc(&out, '}');
    near_storage_write("yield_result", 12, out.data, out.len);
    return_buf(&out);
}

/* ---- raw host-error probes ---- */

static near_u64 p64(const void *p)
{
    return (near_u64)(uintptr_t)p;
}

/* {"what": ...}: calls a host function the way nearcore refuses */
NEAR_METHOD(probe)
{
    const char *what = near_json_str_arg(near_args_json(), "what");
    static const uint8_t bad_utf8[] = {0xc0, 0xaf};
    static const char bad_id[] = "Bad!Account";
    static const char method[] = "echo";
    uint8_t zero[16] = {0};
    if (near_streq(what, "register")) {
        near_host_read_register(7, p64(zero));
    } else if (near_streq(what, "promise_index")) {
        near_host_promise_batch_action_transfer(99, p64(zero));
    } else if (near_streq(what, "account_id")) {
        near_host_promise_batch_create(sizeof bad_id - 1, p64(bad_id));
    } else if (near_streq(what, "joint_return")) {
        near_promise ps[2];
        ps[0] = near_promise_create(self(), method, "", 0, 0, 5 * TGAS);
        ps[1] = near_promise_create(self(), method, "", 0, 0, 5 * TGAS);
        near_promise_return(near_promise_and(ps, 2));
    } else if (near_streq(what, "joint_action")) {
        near_promise ps[1];
        ps[0] = near_promise_create(self(), method, "", 0, 0, 5 * TGAS);
        near_promise_batch_transfer(near_promise_and(ps, 1), 1);
    } else if (near_streq(what, "utf8")) {
        near_host_log_utf8(sizeof bad_utf8, p64(bad_utf8));
    } else if (near_streq(what, "key_length")) {
        char *key = near_alloc(2049);
        size_t i;
        for (i = 0; i < 2049; i++) {
            key[i] = 'k';
        }
        near_storage_write(key, 2049, "v", 1);
    } else if (near_streq(what, "gas")) {
        near_promise_create(self(), method, "", 0, 0, 400 * TGAS);
    } else if (near_streq(what, "balance")) {
        near_promise p = near_promise_batch_create(self());
        near_promise_batch_transfer(p, ~(unsigned __int128)0);
    } else if (near_streq(what, "result_index")) {
        uint8_t *v;
        size_t n;
        near_promise_result(3, &v, &n);
    } else if (near_streq(what, "ecrecover")) {
        uint8_t h[32] = {0}, sig[64] = {0}, pub[64];
        near_ecrecover(pub, h, sig, 4, 0);
    } else if (near_streq(what, "empty_method")) {
        const char *me = self();
        near_host_promise_create(near_strlen(me), p64(me), 0, p64(method), 0, p64(method),
                                 p64(zero), 0);
    } else {
        near_panic_detail("unknown probe: ", what);
    }
    near_return_str("\"survived\"");
}

/* Writes storage: a view of this must fail with ProhibitedInView. */
NEAR_METHOD(view_write)
{
    near_storage_write("v", 1, "1", 1);
    near_return_str("\"wrote\"");
}

#ifdef NEAR_NATIVE
extern const near_method nearvm_test_methods[];
#define M(name)                                                                                    \
    {                                                                                              \
#name, contract_nearvm_test_##name                                                         \
    }
const near_method nearvm_test_methods[] = {M(put),
                                           M(get),
                                           M(remove),
                                           M(usage),
                                           M(grow),
                                           M(log),
                                           M(put_then_panic),
                                           M(fail),
                                           M(echo),
                                           M(whoami),
                                           M(info),
                                           M(call_other),
                                           M(call_all),
                                           M(call_return),
                                           M(call_weighted),
                                           M(on_results),
                                           M(batch),
                                           M(yield_start),
                                           M(yield_resume),
                                           M(on_yield),
                                           M(probe),
                                           M(view_write),
                                           {0, 0}};
#endif
