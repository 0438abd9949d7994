/*
 * Tests for the NEAR runtime (src/nearvm, docs/nearvm.md), driven in-process through the
 * nearvm_test contract: storage and usage, logs, panics and rollback, callbacks with promise
 * results, joint promises, promise_return chains, deposits and refunds, batch actions and their
 * permission errors, yield/resume (refused from another account) and timeouts, views, storage
 * staking, transaction checks, nearcore's host-error texts, the store's transactions and the
 * line protocol on malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nearvm_contracts.h"
#include "teekeys/encoding.h"

#define NEAR     ((tk_nearvm_u128)1000000000000000000ull * 1000000000ull) /* 10^27 yocto */
#define ALICE    "alice.test.near"
#define C        "c.test.near"
#define D        "d.test.near"
#define ALICE_PK "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp"
#define TGAS     1000000000000ull

static tk_nearvm *chain(uint64_t yield_timeout)
{
    tk_nearvm *vm = NULL;
    tk_nearvm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.yield_timeout = yield_timeout;
    assert_int_equal(tk_nearvm_new(&vm, &cfg), TK_OK);
    assert_int_equal(tk_nearvm_register_all(vm, NULL), TK_OK);
    assert_int_equal(tk_nearvm_create_account(vm, ALICE, NEAR, NULL), TK_OK);
    assert_int_equal(tk_nearvm_add_key(vm, ALICE, ALICE_PK, NULL), TK_OK);
    assert_int_equal(tk_nearvm_create_account(vm, C, NEAR, "nearvm_test"), TK_OK);
    assert_int_equal(tk_nearvm_create_account(vm, D, NEAR, "nearvm_test"), TK_OK);
    return vm;
}

static json_t *call_dep(tk_nearvm *vm, const char *signer, const char *receiver, const char *method,
                        const char *args, tk_nearvm_u128 deposit)
{
    tk_nearvm_tx tx;
    json_t *out = NULL;
    memset(&tx, 0, sizeof tx);
    tx.signer = signer;
    tx.receiver = receiver;
    tx.method = method;
    tx.args = (const unsigned char *)args;
    tx.args_len = strlen(args);
    tx.deposit = deposit;
    assert_int_equal(tk_nearvm_call(vm, &out, &tx), TK_OK);
    assert_non_null(out);
    return out;
}

static json_t *call(tk_nearvm *vm, const char *receiver, const char *method, const char *args)
{
    return call_dep(vm, ALICE, receiver, method, args, 0);
}

static json_t *at(const json_t *j, const char *path)
{
    /* "a.b.0.c": object keys and array indices */
    char buf[256], *save = NULL, *tok;
    json_t *cur = (json_t *)j;
    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok != NULL && cur != NULL;
         tok = strtok_r(NULL, ".", &save)) {
        cur = json_is_array(cur) ? json_array_get(cur, strtoul(tok, NULL, 10))
                                 : json_object_get(cur, tok);
    }
    return cur;
}

/* The ExecutionError text of a failed outcome (or "" when it is not one). */
static const char *exec_error(const json_t *o)
{
    const char *s = json_string_value(
        at(o, "status.Failure.ActionError.kind.FunctionCallError.ExecutionError"));
    return s ? s : "";
}

static const json_t *failure_kind(const json_t *o)
{
    return at(o, "status.Failure.ActionError.kind");
}

static void assert_json_str(const json_t *j, const char *path, const char *want)
{
    const char *got = json_string_value(at(j, path));
    if (got == NULL || strcmp(got, want) != 0) {
        char *d = json_dumps(j, JSON_COMPACT);
        fprintf(stderr, "at %s: want %s in %s\n", path, want, d);
        free(d);
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static json_int_t int_at(const json_t *j, const char *path)
{
    const json_t *v = at(j, path);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static tk_nearvm_u128 balance(tk_nearvm *vm, const char *id)
{
    json_t *acc = NULL;
    tk_nearvm_u128 v = 0;
    const char *s;
    assert_int_equal(tk_nearvm_account(vm, &acc, id), TK_OK);
    for (s = json_string_value(json_object_get(acc, "amount")); *s; s++) {
        v = v * 10 + (unsigned)(*s - '0');
    }
    json_decref(acc);
    return v;
}

static json_int_t usage(tk_nearvm *vm, const char *id)
{
    json_t *acc = NULL;
    json_int_t u;
    assert_int_equal(tk_nearvm_account(vm, &acc, id), TK_OK);
    u = json_integer_value(json_object_get(acc, "storage_usage"));
    json_decref(acc);
    return u;
}

static json_t *view(tk_nearvm *vm, const char *id, const char *method, const char *args, int ok)
{
    json_t *out = NULL;
    int rc = tk_nearvm_view(vm, &out, id, method, (const unsigned char *)args, strlen(args));
    assert_int_equal(rc, ok ? TK_OK : TK_ERR_RANGE);
    assert_non_null(out);
    return out;
}

/* ---- storage, logs, panics ---- */

static void test_storage(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    (void)state;
    assert_int_equal(usage(vm, C), 100);
    o = call(vm, C, "put", "{\"key\":\"k\",\"value\":\"v1\"}");
    assert_true(json_is_false(at(o, "result.replaced")));
    assert_int_equal(int_at(o, "result.usage"), 100 + 1 + 2 + 40);
    assert_int_equal(int_at(o, "id"), 1);
    assert_int_equal(int_at(o, "receipts.0.block_height"), 2);
    assert_int_equal(tk_nearvm_height(vm), 2);
    json_decref(o);
    o = call(vm, C, "put", "{\"key\":\"k\",\"value\":\"value2\"}");
    assert_true(json_is_true(at(o, "result.replaced")));
    assert_int_equal(int_at(o, "result.usage"), 100 + 1 + 6 + 40);
    json_decref(o);
    assert_int_equal(usage(vm, C), 147);
    o = view(vm, C, "get", "{\"key\":\"k\"}", 1);
    assert_json_str(o, "result", "value2");
    json_decref(o);
    o = call(vm, C, "remove", "{\"key\":\"k\"}");
    assert_true(json_is_true(at(o, "result")));
    json_decref(o);
    o = call(vm, C, "remove", "{\"key\":\"k\"}");
    assert_true(json_is_false(at(o, "result")));
    json_decref(o);
    assert_int_equal(usage(vm, C), 100);
    o = view(vm, C, "get", "{\"key\":\"k\"}", 1);
    assert_true(json_is_null(at(o, "result")));
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_logs(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    char args[4096];
    size_t n;
    (void)state;
    o = call(vm, C, "log", "{\"messages\":[\"one\",\"two\"]}");
    assert_json_str(o, "logs.0", "one");
    assert_json_str(o, "logs.1", "two");
    assert_json_str(o, "receipts.0.logs.1", "two");
    json_decref(o);
    n = (size_t)snprintf(args, sizeof args, "{\"messages\":[");
    for (int i = 0; i < 101; i++) {
        n += (size_t)snprintf(args + n, sizeof args - n, "%s\"m\"", i ? "," : "");
    }
    snprintf(args + n, sizeof args - n, "]}");
    o = call(vm, C, "log", args);
    assert_string_equal(exec_error(o), "The number of logs will exceed the limit 100");
    assert_int_equal(json_array_size(at(o, "logs")), 100);
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_panic_rollback_refund(void **state)
{
    tk_nearvm *vm = chain(0);
    tk_nearvm_u128 before = balance(vm, ALICE), c_before = balance(vm, C);
    json_t *o;
    (void)state;
    o = call_dep(vm, ALICE, C, "put_then_panic", "{\"key\":\"k\",\"value\":\"v\"}", 7);
    assert_string_equal(exec_error(o), "Smart contract panicked: after write");
    assert_int_equal(int_at(o, "status.Failure.ActionError.index"), 0);
    assert_json_str(o, "logs.0", "wrote before panic");
    assert_true(json_is_null(at(o, "result")));
    /* the refund receipt gives the deposit back */
    assert_int_equal(json_array_size(at(o, "receipts")), 2);
    assert_json_str(o, "receipts.1.predecessor", "system");
    assert_json_str(o, "receipts.1.receiver", ALICE);
    assert_true(json_is_null(at(o, "receipts.1.method")));
    json_decref(o);
    assert_true(balance(vm, ALICE) == before);
    assert_true(balance(vm, C) == c_before);
    assert_int_equal(usage(vm, C), 100);
    o = view(vm, C, "get", "{\"key\":\"k\"}", 1);
    assert_true(json_is_null(at(o, "result")));
    json_decref(o);
    tk_nearvm_free(vm);
}

/* ---- promises ---- */

static void test_cross_contract(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    (void)state;
    o = call(vm, C, "call_other",
             "{\"account\":\"d.test.near\",\"method\":\"echo\",\"args\":\"{\\\"x\\\":1}\"}");
    assert_int_equal(int_at(o, "receipts.0.status.SuccessReceiptId"), 3);
    assert_json_str(o, "receipts.1.receiver", D);
    assert_json_str(o, "receipts.1.predecessor", C);
    assert_int_equal(int_at(o, "receipts.1.block_height"), 3);
    assert_int_equal(int_at(o, "receipts.2.block_height"), 4);
    assert_json_str(o, "result.tag", "call_other");
    assert_int_equal(int_at(o, "result.count"), 1);
    assert_json_str(o, "result.predecessor", C);
    assert_json_str(o, "result.results.0.status", "ok");
    assert_json_str(o, "result.results.0.value", "{\"x\":1}");
    assert_json_str(o, "logs.0", "on_results");
    json_decref(o);
    /* a failing callee: the callback sees Failed */
    o = call(vm, C, "call_other",
             "{\"account\":\"d.test.near\",\"method\":\"fail\",\"args\":\"{}\"}");
    assert_json_str(o, "result.results.0.status", "failed");
    assert_true(json_is_null(at(o, "result.results.0.value")));
    assert_string_equal(json_string_value(at(o, "receipts.1.status.Failure.ActionError.kind."
                                                "FunctionCallError.ExecutionError")),
                        "Smart contract panicked: failure requested");
    json_decref(o);
    /* a missing callee account and a missing method */
    o = call(vm, C, "call_other", "{\"account\":\"nobody.test.near\",\"method\":\"echo\"}");
    assert_json_str(o, "receipts.1.status.Failure.ActionError.kind.AccountDoesNotExist.account_id",
                    "nobody.test.near");
    assert_json_str(o, "result.results.0.status", "failed");
    json_decref(o);
    o = call(vm, C, "call_other", "{\"account\":\"d.test.near\",\"method\":\"nope\"}");
    assert_json_str(o,
                    "receipts.1.status.Failure.ActionError.kind.FunctionCallError."
                    "MethodResolveError",
                    "MethodNotFound");
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_promise_and(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    (void)state;
    o = call(vm, C, "call_all",
             "{\"calls\":[{\"account\":\"d.test.near\",\"method\":\"echo\",\"args\":\"1\"},"
             "{\"account\":\"d.test.near\",\"method\":\"fail\",\"args\":\"{}\"},"
             "{\"account\":\"c.test.near\",\"method\":\"echo\",\"args\":\"3\"}]}");
    assert_int_equal(int_at(o, "result.count"), 3);
    assert_json_str(o, "result.results.0.value", "1");
    assert_json_str(o, "result.results.1.status", "failed");
    assert_json_str(o, "result.results.2.value", "3");
    /* the three calls run in one block, the callback in the next */
    assert_int_equal(int_at(o, "receipts.1.block_height"), 3);
    assert_int_equal(int_at(o, "receipts.3.block_height"), 3);
    assert_int_equal(int_at(o, "receipts.4.block_height"), 4);
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_promise_return_chain(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    (void)state;
    /* c -> d.call_return -> c.echo: the value travels back through two SuccessReceiptIds */
    o = call(vm, C, "call_return",
             "{\"account\":\"d.test.near\",\"method\":\"call_return\",\"gas\":200000000000000,"
             "\"args\":"
             "\"{\\\"account\\\":\\\"c.test.near\\\",\\\"method\\\":\\\"echo\\\",\\\"args\\\":"
             "\\\"[42]\\\"}\"}");
    assert_int_equal(int_at(o, "receipts.0.status.SuccessReceiptId"), 2);
    assert_int_equal(int_at(o, "receipts.1.status.SuccessReceiptId"), 3);
    assert_int_equal(int_at(o, "result.0"), 42);
    assert_json_str(o, "status.SuccessValue", "WzQyXQ==");
    json_decref(o);
    /* without enough gas for its own promise the middle call fails */
    o = call(vm, C, "call_return",
             "{\"account\":\"d.test.near\",\"method\":\"call_return\",\"args\":"
             "\"{\\\"account\\\":\\\"c.test.near\\\",\\\"method\\\":\\\"echo\\\"}\"}");
    assert_string_equal(exec_error(o), "Exceeded the prepaid gas.");
    json_decref(o);
    /* a chain that ends in a failure fails the transaction */
    o = call(vm, C, "call_return", "{\"account\":\"d.test.near\",\"method\":\"fail\"}");
    assert_string_equal(exec_error(o), "Smart contract panicked: failure requested");
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_deposits(void **state)
{
    tk_nearvm *vm = chain(0);
    tk_nearvm_u128 a0 = balance(vm, ALICE), c0 = balance(vm, C);
    json_t *o;
    char want[64];
    (void)state;
    o = call_dep(vm, ALICE, C, "whoami", "", 1000);
    assert_json_str(o, "result.deposit", "1000");
    assert_json_str(o, "result.predecessor", ALICE);
    assert_json_str(o, "result.signer", ALICE);
    assert_json_str(o, "result.current", C);
    snprintf(want, sizeof want, "%s", "");
    {
        char buf[40];
        tk_nearvm_u128 v = c0 + 1000;
        size_t n = 0;
        do {
            buf[n++] = (char)('0' + (int)(v % 10));
            v /= 10;
        } while (v);
        for (size_t i = 0; i < n; i++) {
            want[i] = buf[n - 1 - i];
        }
        want[n] = 0;
    }
    assert_json_str(o, "result.balance", want);
    assert_json_str(o, "result.prepaid_gas", "300000000000000");
    json_decref(o);
    assert_true(balance(vm, ALICE) == a0 - 1000);
    assert_true(balance(vm, C) == c0 + 1000);
    /* a deposit to a missing account comes back */
    o = call_dep(vm, ALICE, "ghost.test.near", "echo", "", 55);
    assert_json_str(o, "status.Failure.ActionError.kind.AccountDoesNotExist.account_id",
                    "ghost.test.near");
    assert_json_str(o, "receipts.1.predecessor", "system");
    json_decref(o);
    assert_true(balance(vm, ALICE) == a0 - 1000);
    /* no contract, empty method */
    o = call(vm, ALICE, "echo", "");
    assert_json_str(o,
                    "status.Failure.ActionError.kind.FunctionCallError.CompilationError."
                    "CodeDoesNotExist.account_id",
                    ALICE);
    json_decref(o);
    o = call(vm, C, "", "");
    assert_json_str(o, "status.Failure.ActionError.kind.FunctionCallError.MethodResolveError",
                    "MethodEmptyName");
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_gas_weight(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    char want[32];
    (void)state;
    o = call(vm, C, "call_weighted", "{\"account\":\"d.test.near\",\"method\":\"whoami\"}");
    /* the callee got all the gas the caller neither used nor gave away */
    snprintf(want, sizeof want, "%llu",
             (unsigned long long)(300 * TGAS - (uint64_t)int_at(o, "receipts.0.gas_burnt")));
    assert_json_str(o, "result.prepaid_gas", want);
    json_decref(o);
    tk_nearvm_free(vm);
}

/* ---- batch actions ---- */

static const char *key_hex = "00" /* ed25519 */
                             "0101010101010101010101010101010101010101010101010101010101010101";

static void test_batch_actions(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o, *acc = NULL;
    char args[1024];
    (void)state;
    snprintf(args, sizeof args,
             "{\"receiver\":\"sub.c.test.near\",\"create\":true,\"transfer\":"
             "\"100000000000000000000000\",\"full_key\":\"%s\",\"fc_key\":{\"key\":\"01%0128d\","
             "\"receiver\":\"d.test.near\",\"methods\":\"a,b\",\"allowance\":\"5\"},"
             "\"callback\":true}",
             key_hex, 0);
    o = call(vm, C, "batch", args);
    assert_json_str(o, "result.results.0.status", "ok");
    assert_true(json_is_null(at(o, "receipts.1.method")));
    json_decref(o);
    assert_true(balance(vm, "sub.c.test.near") ==
                (tk_nearvm_u128)100000000000ull * 1000000000000ull);
    assert_int_equal(tk_nearvm_account(vm, &acc, "sub.c.test.near"), TK_OK);
    assert_int_equal(json_array_size(at(acc, "keys")), 2);
    /* keys sorted by borsh bytes: the ed25519 one (tag 0) first; nonce (height - 1) * 10^6 */
    assert_json_str(acc, "keys.0.access_key.permission", "FullAccess");
    assert_int_equal(int_at(acc, "keys.0.access_key.nonce"), 2 * 1000000);
    assert_json_str(acc, "keys.1.access_key.permission.FunctionCall.allowance", "5");
    assert_json_str(acc, "keys.1.access_key.permission.FunctionCall.receiver_id", D);
    assert_json_str(acc, "keys.1.access_key.permission.FunctionCall.method_names.1", "b");
    assert_json_str(acc, "keys.1.public_key",
                    "secp256k1:1111111111111111111111111111111111111111111111111111111111111111");
    /* 100 + (33 + 9 + 40) + (65 + 8+1+1+16+4+11+4+(4+1)*2 + 40) */
    assert_int_equal(int_at(acc, "storage_usage"), 100 + 82 + 65 + 55 + 40);
    json_decref(acc);
    /* deleting a key needs the account itself: c is not sub */
    snprintf(args, sizeof args, "{\"receiver\":\"sub.c.test.near\",\"delete_key\":\"%s\"}",
             key_hex);
    o = call(vm, C, "batch", args);
    assert_json_str(o, "receipts.1.status.Failure.ActionError.kind.ActorNoPermission.actor_id", C);
    json_decref(o);
    /* a grandchild, an existing account, a missing key */
    o = call(vm, C, "batch", "{\"receiver\":\"x.sub.c.test.near\",\"create\":true}");
    assert_json_str(o,
                    "receipts.1.status.Failure.ActionError.kind.CreateAccountNotAllowed."
                    "predecessor_id",
                    C);
    json_decref(o);
    {
        /* a failing first action still refunds the later transfer */
        tk_nearvm_u128 c0 = balance(vm, C);
        o = call(vm, C, "batch",
                 "{\"receiver\":\"d.test.near\",\"create\":true,\"transfer\":\"7\"}");
        assert_json_str(o, "receipts.2.predecessor", "system");
        assert_json_str(o, "receipts.2.receiver", C);
        json_decref(o);
        assert_true(balance(vm, C) == c0);
    }
    o = call(vm, C, "batch", "{\"receiver\":\"sub.c.test.near\",\"create\":true}");
    assert_json_str(o,
                    "receipts.1.status.Failure.ActionError.kind.AccountAlreadyExists."
                    "account_id",
                    "sub.c.test.near");
    json_decref(o);
    snprintf(args, sizeof args, "{\"receiver\":\"c.test.near\",\"delete_key\":\"%s\"}", key_hex);
    o = call(vm, C, "batch", args);
    assert_json_str(o,
                    "receipts.1.status.Failure.ActionError.kind.DeleteKeyDoesNotExist."
                    "public_key",
                    "ed25519:4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi");
    json_decref(o);
    /* add then delete a key on itself, then delete the account to d */
    snprintf(args, sizeof args, "{\"receiver\":\"c.test.near\",\"full_key\":\"%s\"}", key_hex);
    json_decref(call(vm, C, "batch", args));
    assert_int_equal(usage(vm, C), 100 + 82);
    snprintf(args, sizeof args, "{\"receiver\":\"c.test.near\",\"delete_key\":\"%s\"}", key_hex);
    json_decref(call(vm, C, "batch", args));
    assert_int_equal(usage(vm, C), 100);
    {
        tk_nearvm_u128 d0 = balance(vm, D), c0 = balance(vm, C);
        o = call(vm, C, "batch",
                 "{\"receiver\":\"c.test.near\",\"delete_account\":\"d.test.near\"}");
        assert_json_str(o, "receipts.2.predecessor", "system");
        json_decref(o);
        assert_int_equal(tk_nearvm_account(vm, &acc, C), TK_ERR_NOT_FOUND);
        assert_true(balance(vm, D) == d0 + c0);
    }
    tk_nearvm_free(vm);
}

/* ---- yield / resume ---- */

static void test_yield_resume(void **state)
{
    tk_nearvm *vm = chain(10);
    json_t *o, *v;
    char args[256], id[65];
    (void)state;
    o = call(vm, C, "yield_start", "{}");
    snprintf(id, sizeof id, "%s", json_string_value(at(o, "result")));
    assert_int_equal(strlen(id), 64);
    json_decref(o);
    /* another account cannot resume it */
    snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"evil\"}", id);
    o = call(vm, D, "yield_resume", args);
    assert_true(json_is_false(at(o, "result")));
    json_decref(o);
    /* the yielding account can, once */
    snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"hello\"}", id);
    o = call(vm, C, "yield_resume", args);
    assert_true(json_is_true(at(o, "result")));
    json_decref(o);
    o = call(vm, C, "yield_resume", args);
    assert_true(json_is_false(at(o, "result")));
    json_decref(o);
    v = view(vm, C, "get", "{\"key\":\"yield_result\"}", 1);
    assert_string_equal(json_string_value(at(v, "result")),
                        "{\"status\":\"ok\",\"payload\":\"hello\"}");
    json_decref(v);
    /* a second yield has its own data id */
    o = call(vm, C, "yield_start", "{}");
    snprintf(id, sizeof id, "%s", json_string_value(at(o, "result")));
    json_decref(o);
    snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"late\"}", id);
    o = call(vm, C, "yield_resume", args);
    assert_true(json_is_true(at(o, "result")));
    json_decref(o);
    tk_nearvm_free(vm);
}

static void test_yield_timeout(void **state)
{
    tk_nearvm *vm = chain(5);
    json_t *o, *later = NULL;
    int64_t id, start;
    char args[256];
    (void)state;
    o = call(vm, C, "yield_start", "{\"return\":true}");
    assert_json_str(o, "status", "Pending");
    assert_true(json_is_null(at(o, "result")));
    id = int_at(o, "id");
    start = int_at(o, "receipts.0.block_height");
    json_decref(o);
    assert_int_equal(tk_nearvm_advance(vm, 4), TK_OK);
    assert_int_equal(tk_nearvm_outcome(vm, &later, (uint64_t)id), TK_OK);
    assert_json_str(later, "status", "Pending");
    json_decref(later);
    assert_int_equal(tk_nearvm_advance(vm, 2), TK_OK);
    assert_int_equal(tk_nearvm_outcome(vm, &later, (uint64_t)id), TK_OK);
    assert_json_str(later, "result.status", "timeout");
    assert_int_equal(int_at(later, "receipts.1.block_height"), start + 5 + 1);
    assert_json_str(later, "logs.1", "on_yield timeout");
    json_decref(later);
    /* a timed-out data id can no longer be resumed */
    {
        json_t *v = view(vm, C, "get", "{\"key\":\"yield_id\"}", 1);
        snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"x\"}",
                 json_string_value(at(v, "result")));
        json_decref(v);
    }
    o = call(vm, C, "yield_resume", args);
    assert_true(json_is_false(at(o, "result")));
    json_decref(o);
    assert_int_equal(tk_nearvm_outcome(vm, &later, 999), TK_ERR_NOT_FOUND);
    tk_nearvm_free(vm);
}

/* ---- views ---- */

static void test_views(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    (void)state;
    o = view(vm, C, "view_write", "", 0);
    assert_json_str(o, "error", "storage_write is not allowed in view calls");
    json_decref(o);
    o = view(vm, C, "whoami", "", 0);
    assert_json_str(o, "error", "signer_account_pk is not allowed in view calls");
    json_decref(o);
    o = view(vm, C, "call_other", "{\"account\":\"d.test.near\",\"method\":\"echo\"}", 0);
    assert_json_str(o, "error", "promise_batch_create is not allowed in view calls");
    json_decref(o);
    o = view(vm, C, "yield_resume",
             "{\"data_id\":\"0000000000000000000000000000000000000000000000000000000000000000\","
             "\"payload\":\"\"}",
             0);
    assert_json_str(o, "error", "promise_submit_data is not allowed in view calls");
    json_decref(o);
    o = view(vm, C, "info", "", 1);
    assert_json_str(o, "result.current", C);
    assert_json_str(o, "result.deposit", "0");
    assert_int_equal(int_at(o, "result.block_index"), 1);
    json_decref(o);
    o = view(vm, C, "fail", "{\"message\":\"boom\"}", 0);
    assert_json_str(o, "error", "Smart contract panicked: boom");
    json_decref(o);
    o = view(vm, C, "log", "{\"messages\":[\"seen\"]}", 1);
    assert_json_str(o, "logs.0", "seen");
    json_decref(o);
    o = view(vm, "nobody.test.near", "info", "", 0);
    assert_json_str(o, "error", "account nobody.test.near does not exist while viewing");
    json_decref(o);
    o = view(vm, ALICE, "info", "", 0);
    assert_json_str(o, "error", "cannot find contract code for account alice.test.near");
    json_decref(o);
    o = view(vm, C, "nope", "", 0);
    assert_json_str(o, "error", "MethodNotFound");
    json_decref(o);
    tk_nearvm_free(vm);
}

/* ---- storage staking ---- */

static void test_storage_staking(void **state)
{
    tk_nearvm *vm = chain(0);
    json_t *o;
    const tk_nearvm_u128 price = (tk_nearvm_u128)10000000000000000000ull;
    (void)state;
    /* 1000 bytes paid for; 10 records of 2+100+40 bytes need 1520 */
    assert_int_equal(tk_nearvm_create_account(vm, "small.test.near", 1000 * price, "nearvm_test"),
                     TK_OK);
    o = call(vm, "small.test.near", "grow", "{\"count\":10,\"size\":100}");
    assert_json_str(failure_kind(o), "LackBalanceForState.account_id", "small.test.near");
    assert_json_str(failure_kind(o), "LackBalanceForState.amount", "5200000000000000000000");
    assert_true(json_is_null(at(o, "status.Failure.ActionError.index")));
    json_decref(o);
    assert_int_equal(usage(vm, "small.test.near"), 100);
    /* within the balance it is fine, and a zero-balance account may use up to 770 bytes */
    o = call(vm, "small.test.near", "grow", "{\"count\":5,\"size\":100}");
    assert_int_equal(int_at(o, "result"), 100 + 5 * 142);
    json_decref(o);
    assert_int_equal(tk_nearvm_create_account(vm, "zero.test.near", 0, "nearvm_test"), TK_OK);
    o = call(vm, "zero.test.near", "grow", "{\"count\":4,\"size\":100}");
    assert_int_equal(int_at(o, "result"), 100 + 4 * 142);
    json_decref(o);
    o = call(vm, "zero.test.near", "grow", "{\"count\":5,\"size\":100}");
    assert_non_null(json_object_get(failure_kind(o), "LackBalanceForState"));
    json_decref(o);
    tk_nearvm_free(vm);
}

/* ---- transactions ---- */

static void test_transactions(void **state)
{
    tk_nearvm *vm = chain(0);
    tk_nearvm_tx tx;
    json_t *o = NULL, *acc = NULL;
    static const char fc_key[] = "ed25519:4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi";
    json_t *ak = json_pack("{s:i,s:{s:{s:n,s:s,s:[s]}}}", "nonce", 7, "permission", "FunctionCall",
                           "allowance", "receiver_id", C, "method_names", "echo");
    (void)state;
    o = call_dep(vm, "ghost.test.near", C, "echo", "", 0);
    assert_true(json_is_null(at(o, "id")));
    assert_json_str(o, "status.Failure.InvalidTxError.SignerDoesNotExist.signer_id",
                    "ghost.test.near");
    json_decref(o);
    o = call_dep(vm, D, C, "echo", "", NEAR * 2);
    assert_json_str(o, "status.Failure.InvalidTxError.NotEnoughBalance.signer_id", D);
    json_decref(o);
    /* signer keys */
    assert_int_equal(tk_nearvm_add_key(vm, ALICE, fc_key, ak), TK_OK);
    json_decref(ak);
    assert_int_equal(tk_nearvm_add_key(vm, ALICE, fc_key, NULL), TK_ERR_RANGE);
    memset(&tx, 0, sizeof tx);
    tx.signer = ALICE;
    tx.signer_pk = fc_key;
    tx.receiver = C;
    tx.method = "echo";
    tx.args = (const unsigned char *)"hi";
    tx.args_len = 2;
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_json_str(o, "result", "hi");
    json_decref(o);
    tx.method = "whoami";
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_json_str(o,
                    "status.Failure.InvalidTxError.InvalidAccessKeyError.MethodNameMismatch."
                    "method_name",
                    "whoami");
    json_decref(o);
    tx.method = "echo";
    tx.receiver = D;
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_json_str(o,
                    "status.Failure.InvalidTxError.InvalidAccessKeyError.ReceiverMismatch."
                    "ak_receiver",
                    C);
    json_decref(o);
    tx.receiver = C;
    tx.deposit = 1;
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_json_str(o, "status.Failure.InvalidTxError.InvalidAccessKeyError",
                    "DepositWithFunctionCall");
    json_decref(o);
    tx.signer_pk = "ed25519:11111111111111111111111111111111";
    tx.deposit = 0;
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_non_null(at(o, "status.Failure.InvalidTxError.InvalidAccessKeyError.AccessKeyNotFound"));
    json_decref(o);
    /* the full-access key works and its nonce counts; the signer pk reaches the contract */
    tx.signer_pk = ALICE_PK;
    tx.method = "whoami";
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_OK);
    assert_int_equal(strlen(json_string_value(at(o, "result.signer_pk"))), 66);
    json_decref(o);
    assert_int_equal(tk_nearvm_account(vm, &acc, ALICE), TK_OK);
    assert_int_equal(int_at(acc, "keys.1.access_key.nonce"), 1);
    assert_int_equal(int_at(acc, "keys.0.access_key.nonce"), 8);
    json_decref(acc);
    /* malformed transactions */
    tx.signer = "Bad";
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_ERR_INPUT);
    tx.signer = ALICE;
    tx.signer_pk = "ed25519:notbase58!";
    assert_int_equal(tk_nearvm_call(vm, &o, &tx), TK_ERR_INPUT);
    assert_int_equal(tk_nearvm_call(vm, NULL, &tx), TK_ERR_ARG);
    tk_nearvm_free(vm);
}

/* ---- nearcore's host errors ---- */

static void test_host_errors(void **state)
{
    static const struct {
        const char *what, *error;
    } cases[] = {
        {"register", "Accessed invalid register id: 7"},
        {"promise_index", "99 does not correspond to existing promises"},
        {"account_id", "VM Logic returned an invalid account id"},
        {"joint_return", "Returning joint promise is currently prohibited."},
        {"joint_action", "Actions can only be appended to non-joint promise."},
        {"utf8", "String encoding is bad UTF-8 sequence."},
        {"key_length", "The length of a storage key 2049 exceeds the limit 2048"},
        {"gas", "Exceeded the prepaid gas."},
        {"balance", "Exceeded the account balance."},
        {"result_index", "Accessed invalid promise result index: 3"},
        {"ecrecover", "ECDSA recover error: V recovery byte 0 through 3 are valid but was "
                      "provided 4"},
        {"empty_method", "Tried to call an empty method name."},
    };
    tk_nearvm *vm = chain(0);
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[128];
        json_t *o;
        snprintf(args, sizeof args, "{\"what\":\"%s\"}", cases[i].what);
        o = call(vm, C, "probe", args);
        if (strcmp(exec_error(o), cases[i].error) != 0) {
            fprintf(stderr, "probe %s: %s\n", cases[i].what, exec_error(o));
        }
        assert_string_equal(exec_error(o), cases[i].error);
        /* none of the failed probes created a receipt */
        assert_int_equal(json_array_size(at(o, "receipts")), 1);
        json_decref(o);
    }
    tk_nearvm_free(vm);
}

static void test_blocks(void **state)
{
    tk_nearvm *vm = NULL;
    tk_nearvm_config cfg;
    json_t *o;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.genesis_timestamp_ns = 5000;
    cfg.block_step_ns = 7;
    assert_int_equal(tk_nearvm_new(&vm, &cfg), TK_OK);
    assert_int_equal(tk_nearvm_register_all(vm, NULL), TK_OK);
    assert_int_equal(tk_nearvm_register_contract(vm, "nearvm_test", nearvm_test_methods, 0),
                     TK_ERR_RANGE);
    assert_int_equal(tk_nearvm_create_account(vm, ALICE, NEAR, "nearvm_test"), TK_OK);
    assert_int_equal(tk_nearvm_create_account(vm, ALICE, NEAR, NULL), TK_ERR_RANGE);
    assert_int_equal(tk_nearvm_create_account(vm, "X", NEAR, NULL), TK_ERR_INPUT);
    assert_int_equal(tk_nearvm_create_account(vm, "y.near", NEAR, "nope"), TK_ERR_NOT_FOUND);
    assert_int_equal(tk_nearvm_advance(vm, 3), TK_OK);
    o = call(vm, ALICE, "whoami", "");
    assert_int_equal(int_at(o, "result.block_index"), 5);
    assert_json_str(o, "result.block_timestamp", "5028");
    json_decref(o);
    assert_int_equal(tk_nearvm_reset(vm, NULL), TK_OK);
    assert_int_equal(tk_nearvm_height(vm), 1);
    assert_int_equal(tk_nearvm_account(vm, &o, ALICE), TK_ERR_NOT_FOUND);
    tk_nearvm_free(vm);
}

/* ---- the store ---- */

static int count_keys(void *arg, const unsigned char *key, size_t key_len, const unsigned char *val,
                      size_t val_len)
{
    char *order = arg;
    (void)val, (void)val_len;
    strncat(order, (const char *)key, key_len);
    return 0;
}

static void test_store(void **state)
{
    tk_nearvm_store s;
    unsigned char *v = NULL;
    size_t n = 0;
    char order[16] = "";
    (void)state;
    assert_int_equal(tk_nearvm_store_memory(&s), TK_OK);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1,
                                (const unsigned char *)"1", 1),
                     TK_OK);
    assert_int_equal(s.ops->begin(s.ctx), TK_OK);
    assert_int_equal(s.ops->begin(s.ctx), TK_ERR_ARG);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"a", 1,
                                (const unsigned char *)"2", 1),
                     TK_OK);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1,
                                (const unsigned char *)"3", 1),
                     TK_OK);
    assert_int_equal(s.ops->del(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1),
                     TK_OK);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "b", (const unsigned char *)"c", 1,
                                (const unsigned char *)"4", 1),
                     TK_OK);
    assert_int_equal(s.ops->iterate(s.ctx, TK_NEARVM_REC_DATA, "a", count_keys, order), TK_OK);
    assert_string_equal(order, "a");
    assert_int_equal(s.ops->rollback(s.ctx), TK_OK);
    order[0] = 0;
    assert_int_equal(s.ops->iterate(s.ctx, TK_NEARVM_REC_DATA, "a", count_keys, order), TK_OK);
    assert_string_equal(order, "b");
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1), TK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0], '1');
    free(v);
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_DATA, "b", (const unsigned char *)"c", 1),
        TK_ERR_NOT_FOUND);
    s.ops->free(s.ctx);
}

/* ---- the line protocol ---- */

static json_t *request(tk_nearvm *vm, const char *line)
{
    json_t *r = NULL;
    assert_int_equal(tk_nearvm_request(vm, &r, line, strlen(line)), TK_OK);
    assert_non_null(r);
    return r;
}

static void test_protocol(void **state)
{
    static const char *bad[] = {
        "",
        "not json",
        "[]",
        "{\"op\":5}",
        "{\"op\":\"nope\"}",
        "{\"op\":\"create_account\"}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":\"-1\"}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":\"01\"}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":"
        "\"999999999999999999999999999999999999999999\"}",
        "{\"op\":\"create_account\",\"account\":\"X\",\"amount\":\"1\"}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":\"1\",\"keys\":[5]}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":\"1\",\"keys\":"
        "[{\"public_key\":\"ed25519:11111111111111111111111111111111\",\"access_key\":"
        "{\"permission\":{\"FunctionCall\":{\"receiver_id\":\"BAD\"}}}}]}",
        "{\"op\":\"create_account\",\"account\":\"x.near\",\"amount\":\"1\",\"contract\":7}",
        "{\"op\":\"deploy\",\"account\":\"c.test.near\",\"contract\":\"nope\"}",
        "{\"op\":\"deploy\",\"account\":\"nobody.near\",\"contract\":\"nearvm_test\"}",
        "{\"op\":\"call\"}",
        "{\"op\":\"call\",\"signer\":\"alice.test.near\",\"receiver\":\"c.test.near\","
        "\"method\":\"echo\",\"args\":\"!!!\"}",
        "{\"op\":\"call\",\"signer\":\"alice.test.near\",\"receiver\":\"c.test.near\","
        "\"method\":\"echo\",\"args\":\"\",\"gas\":\"18446744073709551616\"}",
        "{\"op\":\"call\",\"signer\":\"alice.test.near\",\"receiver\":\"c.test.near\","
        "\"method\":\"echo\",\"args\":\"\",\"signerPk\":7}",
        "{\"op\":\"call\",\"signer\":\"ALICE\",\"receiver\":\"c.test.near\",\"method\":\"echo\"}",
        "{\"op\":\"view\",\"account\":\"c.test.near\"}",
        "{\"op\":\"view\",\"account\":\"c.test.near\",\"method\":\"fail\",\"args\":\"e30=\"}",
        "{\"op\":\"advance\",\"blocks\":-1}",
        "{\"op\":\"advance\",\"blocks\":\"x\"}",
        "{\"op\":\"outcome\"}",
        "{\"op\":\"outcome\",\"id\":12345}",
        "{\"op\":\"account\"}",
        "{\"op\":\"account\",\"account\":\"nobody.near\"}",
        "{\"op\":\"config\",\"yieldTimeout\":\"abc\"}",
        "{\"op\":\"call\",\"op\":\"call\"}",
    };
    tk_nearvm *vm = NULL;
    json_t *r;
    (void)state;
    assert_int_equal(tk_nearvm_new(&vm, NULL), TK_OK);
    assert_int_equal(tk_nearvm_register_all(vm, NULL), TK_OK);
    r = request(vm, "{\"op\":\"config\",\"yieldTimeout\":3}");
    assert_int_equal(int_at(r, "height"), 1);
    json_decref(r);
    json_decref(request(vm,
                        "{\"op\":\"create_account\",\"account\":\"alice.test.near\","
                        "\"amount\":\"1000000000000000000000000\",\"keys\":[\"" ALICE_PK "\"]}"));
    r = request(vm, "{\"op\":\"create_account\",\"account\":\"c.test.near\",\"amount\":"
                    "\"1000000000000000000000000\",\"contract\":\"nearvm_test\"}");
    assert_true(json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    r = request(vm, "{\"op\":\"create_account\",\"account\":\"c.test.near\",\"amount\":\"1\"}");
    assert_json_str(r, "error.code", "AccountExists");
    json_decref(r);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = request(vm, bad[i]);
        if (json_object_get(r, "error") == NULL) {
            fprintf(stderr, "no error for %s\n", bad[i]);
        }
        assert_non_null(json_object_get(r, "error"));
        json_decref(r);
    }
    /* a call and a view through the protocol (args base64 of {"x":1}) */
    r = request(vm, "{\"op\":\"call\",\"signer\":\"alice.test.near\",\"signerPk\":\"" ALICE_PK
                    "\",\"receiver\":\"c.test.near\",\"method\":\"echo\",\"args\":\"eyJ4IjoxfQ==\","
                    "\"deposit\":\"3\"}");
    assert_int_equal(int_at(r, "result.x"), 1);
    json_decref(r);
    r = request(vm, "{\"op\":\"view\",\"account\":\"c.test.near\",\"method\":\"view_write\"}");
    assert_json_str(r, "error.code", "ViewError");
    assert_json_str(r, "error.message", "storage_write is not allowed in view calls");
    json_decref(r);
    r = request(vm, "{\"op\":\"advance\",\"blocks\":2}");
    assert_int_equal(int_at(r, "height"), 4);
    json_decref(r);
    r = request(vm, "{\"op\":\"height\"}");
    assert_int_equal(int_at(r, "height"), 4);
    json_decref(r);
    r = request(vm, "{\"op\":\"account\",\"account\":\"c.test.near\"}");
    assert_json_str(r, "amount", "1000000000000000000000003");
    json_decref(r);
    /* mutated requests never crash (deterministic xorshift) */
    {
        static const char seed[] =
            "{\"op\":\"call\",\"signer\":\"alice.test.near\",\"receiver\":\"c.test.near\","
            "\"method\":\"put\",\"args\":\"eyJrZXkiOiJrIiwidmFsdWUiOiJ2In0=\",\"deposit\":\"1\"}";
        uint64_t x = 88172645463325252ull;
        char line[sizeof seed];
        for (int i = 0; i < 3000; i++) {
            memcpy(line, seed, sizeof seed);
            for (int k = 0; k < 3; k++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                line[x % (sizeof seed - 1)] = (char)(x >> 32);
            }
            r = NULL;
            assert_int_equal(tk_nearvm_request(vm, &r, line, sizeof seed - 1), TK_OK);
            assert_non_null(r);
            json_decref(r);
        }
    }
    tk_nearvm_free(vm);
}

/* ---- signed transactions, the receipt hook, export/import (localnet) ---- */

typedef struct {
    json_t *records;
} hook_log;

static void on_receipt(void *arg, const json_t *rec)
{
    hook_log *h = arg;
    json_array_append(h->records, (json_t *)rec);
}

static json_t *submit(tk_nearvm *vm, uint64_t *id, const char *signer, const char *pk,
                      uint64_t nonce, const char *receiver, const tk_nearvm_action *acts, size_t n)
{
    tk_nearvm_signed_tx tx;
    json_t *invalid = NULL;
    memset(&tx, 0, sizeof tx);
    tx.signer = signer;
    tx.public_key = pk;
    tx.nonce = nonce;
    tx.receiver = receiver;
    tx.actions = acts;
    tx.n_actions = n;
    tx.gas_price = 100000000;
    assert_int_equal(tk_nearvm_submit(vm, id, &invalid, &tx), TK_OK);
    assert_true((*id == 0) == (invalid != NULL));
    return invalid;
}

#define FC_PK   "ed25519:8qTmTKzKRtNmkWWNnvB1Hm5sFnESTiQmbQoZnGTcHtxj"
#define IMPL_ID "0000000000000000000000000000000000000000000000000000000000000001"

static void test_submit(void **state)
{
    tk_nearvm *vm = chain(10);
    hook_log h = {json_array()};
    tk_nearvm_action a[2];
    json_t *inv, *o = NULL, *ak;
    uint64_t id = 0;
    const json_t *rec;
    (void)state;
    tk_nearvm_set_receipt_hook(vm, on_receipt, &h);
    memset(a, 0, sizeof a);
    /* a transfer creates an implicit account with its key */
    a[0].kind = TK_NEARVM_ACT_TRANSFER;
    a[0].deposit = NEAR / 10;
    assert_null(submit(vm, &id, ALICE, ALICE_PK, 1, IMPL_ID, a, 1));
    assert_int_equal(tk_nearvm_height(vm), 1); /* nothing runs before the next block */
    assert_int_equal(tk_nearvm_advance_at(vm, 1800000000000000000ull), TK_OK);
    assert_true(tk_nearvm_timestamp(vm) == 1800000000000000000ull);
    assert_true(balance(vm, IMPL_ID) == NEAR / 10);
    assert_int_equal(tk_nearvm_account(vm, &o, IMPL_ID), TK_OK);
    assert_json_str(o, "keys.0.public_key", "ed25519:11111111111111111111111111111112");
    json_decref(o);
    assert_int_equal(json_array_size(h.records), 1);
    rec = json_array_get(h.records, 0);
    assert_int_equal(int_at(rec, "id"), (json_int_t)id);
    assert_int_equal(int_at(rec, "tx"), (json_int_t)id);
    assert_true(json_is_true(at(rec, "tx_done")));
    assert_json_str(rec, "actions.0.Transfer.deposit", "100000000000000000000000000");
    assert_json_str(rec, "status.SuccessValue", "");
    /* the same nonce again; a nonce beyond height × 10^6 */
    inv = submit(vm, &id, ALICE, ALICE_PK, 1, C, a, 1);
    assert_int_equal(int_at(inv, "InvalidNonce.tx_nonce"), 1);
    assert_int_equal(int_at(inv, "InvalidNonce.ak_nonce"), 1);
    json_decref(inv);
    inv = submit(vm, &id, ALICE, ALICE_PK, 3000000, C, a, 1);
    assert_int_equal(int_at(inv, "NonceTooLarge.upper_bound"), 3000000);
    json_decref(inv);
    inv = submit(vm, &id, ALICE, FC_PK, 2, C, a, 1);
    assert_non_null(at(inv, "InvalidAccessKeyError.AccessKeyNotFound"));
    json_decref(inv);
    a[0].deposit = NEAR * 100;
    inv = submit(vm, &id, ALICE, ALICE_PK, 2, C, a, 1);
    assert_json_str(inv, "NotEnoughBalance.signer_id", ALICE);
    json_decref(inv);
    /* add a function-call key with an allowance; use it */
    ak = json_pack("{s:i,s:{s:{s:s,s:s,s:[s]}}}", "nonce", 0, "permission", "FunctionCall",
                   "allowance", "1000000000000000000000000", "receiver_id", C, "method_names",
                   "put");
    a[0].kind = TK_NEARVM_ACT_ADD_KEY;
    a[0].public_key = FC_PK;
    a[0].access_key = ak;
    assert_null(submit(vm, &id, ALICE, ALICE_PK, 2, ALICE, a, 1));
    assert_int_equal(tk_nearvm_advance(vm, 1), TK_OK);
    json_decref(ak);
    rec = json_array_get(h.records, 1);
    assert_json_str(rec, "actions.0.AddKey.access_key.permission.FunctionCall.receiver_id", C);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEARVM_ACT_FUNCTION_CALL;
    a[0].method = "put";
    a[0].data = (const unsigned char *)"{\"key\":\"k\",\"value\":\"v\"}";
    a[0].data_len = strlen((const char *)a[0].data);
    a[0].gas = 30 * TGAS;
    a[1] = a[0];
    inv = submit(vm, &id, ALICE, FC_PK, 2000001, C, a, 2);
    assert_json_str(inv, "InvalidAccessKeyError", "RequiresFullAccess");
    json_decref(inv);
    a[0].deposit = 1;
    inv = submit(vm, &id, ALICE, FC_PK, 2000001, C, a, 1);
    assert_json_str(inv, "InvalidAccessKeyError", "DepositWithFunctionCall");
    json_decref(inv);
    a[0].deposit = 0;
    inv = submit(vm, &id, ALICE, FC_PK, 2000001, D, a, 1);
    assert_json_str(inv, "InvalidAccessKeyError.ReceiverMismatch.ak_receiver", C);
    json_decref(inv);
    a[0].method = "get";
    inv = submit(vm, &id, ALICE, FC_PK, 2000001, C, a, 1);
    assert_json_str(inv, "InvalidAccessKeyError.MethodNameMismatch.method_name", "get");
    json_decref(inv);
    a[0].method = "put";
    assert_null(submit(vm, &id, ALICE, FC_PK, 2000001, C, a, 1));
    assert_int_equal(tk_nearvm_advance(vm, 1), TK_OK);
    assert_int_equal(tk_nearvm_outcome(vm, &o, id), TK_OK);
    assert_true(json_is_false(at(o, "result.replaced")));
    json_decref(o);
    /* the allowance paid 30 Tgas × 10^8 yocto */
    assert_int_equal(tk_nearvm_account(vm, &o, ALICE), TK_OK);
    {
        size_t i;
        json_t *k;
        int seen = 0;
        json_array_foreach(json_object_get(o, "keys"), i, k)
        {
            if (strcmp(json_string_value(json_object_get(k, "public_key")), FC_PK) == 0) {
                assert_json_str(k, "access_key.permission.FunctionCall.allowance",
                                "997000000000000000000000");
                assert_int_equal(int_at(k, "access_key.nonce"), 2000001);
                seen = 1;
            }
        }
        assert_true(seen);
    }
    json_decref(o);
    /* raw views */
    {
        unsigned char *res = NULL;
        size_t len = 0;
        json_t *logs = NULL;
        assert_int_equal(tk_nearvm_view_raw(vm, &res, &len, &logs, C, "get",
                                            (const unsigned char *)"{\"key\":\"k\"}", 11),
                         TK_OK);
        assert_int_equal(len, 3);
        assert_memory_equal(res, "\"v\"", 3);
        free(res);
        json_decref(logs);
        assert_int_equal(
            tk_nearvm_view_raw(vm, &res, &len, &logs, C, "nope", (const unsigned char *)"", 0),
            TK_ERR_RANGE);
        assert_string_equal(tk_errmsg(), "MethodNotFound");
        json_decref(logs);
    }
    assert_int_equal(tk_nearvm_forget_finished(vm), 3);
    assert_int_equal(tk_nearvm_outcome(vm, &o, id), TK_ERR_NOT_FOUND);
    json_decref(h.records);
    tk_nearvm_free(vm);
}

/* A store that forwards to a shared in-memory store and does not free it, so a chain can be
 * "restarted" on the same state. */
static tk_nearvm_store shared;
static int f_get(void *c, unsigned char **v, size_t *n, tk_nearvm_rec k, const char *a,
                 const unsigned char *key, size_t kl)
{
    (void)c;
    return shared.ops->get(shared.ctx, v, n, k, a, key, kl);
}
static int f_put(void *c, tk_nearvm_rec k, const char *a, const unsigned char *key, size_t kl,
                 const unsigned char *v, size_t n)
{
    (void)c;
    return shared.ops->put(shared.ctx, k, a, key, kl, v, n);
}
static int f_del(void *c, tk_nearvm_rec k, const char *a, const unsigned char *key, size_t kl)
{
    (void)c;
    return shared.ops->del(shared.ctx, k, a, key, kl);
}
static int f_iter(void *c, tk_nearvm_rec k, const char *a, tk_nearvm_iter_fn fn, void *arg)
{
    (void)c;
    return shared.ops->iterate(shared.ctx, k, a, fn, arg);
}
static int f_begin(void *c)
{
    (void)c;
    return shared.ops->begin(shared.ctx);
}
static int f_commit(void *c)
{
    (void)c;
    return shared.ops->commit(shared.ctx);
}
static int f_rollback(void *c)
{
    (void)c;
    return shared.ops->rollback(shared.ctx);
}
static void f_free(void *c)
{
    (void)c;
}
static const tk_nearvm_store_ops forward_ops = {f_get,   f_put,    f_del,      f_iter,
                                                f_begin, f_commit, f_rollback, f_free};

static tk_nearvm *restartable(void)
{
    tk_nearvm *vm = NULL;
    tk_nearvm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.yield_timeout = 5;
    cfg.store.ops = &forward_ops;
    assert_int_equal(tk_nearvm_new(&vm, &cfg), TK_OK);
    assert_int_equal(tk_nearvm_register_all(vm, NULL), TK_OK);
    return vm;
}

/* Runs a yield scenario with a restart (export, free, new VM, import) after `at_block` blocks
 * and returns the outcome of the yield transaction and the callback's record. */
static json_t *yield_scenario(int restart_at, int resume)
{
    tk_nearvm *vm;
    tk_nearvm_action a;
    json_t *o = NULL, *doc = NULL, *v;
    uint64_t id = 0, id2 = 0;
    char *text;
    char args[256];
    assert_int_equal(tk_nearvm_store_memory(&shared), TK_OK);
    vm = restartable();
    assert_int_equal(tk_nearvm_create_account(vm, ALICE, NEAR, NULL), TK_OK);
    assert_int_equal(tk_nearvm_add_key(vm, ALICE, ALICE_PK, NULL), TK_OK);
    assert_int_equal(tk_nearvm_create_account(vm, C, NEAR, "nearvm_test"), TK_OK);
    memset(&a, 0, sizeof a);
    a.kind = TK_NEARVM_ACT_FUNCTION_CALL;
    a.method = "yield_start";
    a.data = (const unsigned char *)"{\"return\":true}";
    a.data_len = strlen((const char *)a.data);
    a.gas = 100 * TGAS;
    assert_null(submit(vm, &id, ALICE, ALICE_PK, 1, C, &a, 1));
    for (int b = 0; b < 8; b++) {
        if (b == restart_at) {
            assert_int_equal(tk_nearvm_export(vm, &doc), TK_OK);
            text = json_dumps(doc, JSON_COMPACT);
            json_decref(doc);
            tk_nearvm_free(vm);
            vm = restartable();
            doc = json_loads(text, 0, NULL);
            free(text);
            assert_int_equal(tk_nearvm_import(vm, doc), TK_OK);
            json_decref(doc);
        }
        if (b == 2 && resume) {
            v = view(vm, C, "get", "{\"key\":\"yield_id\"}", 1);
            snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"hi\"}",
                     json_string_value(at(v, "result")));
            json_decref(v);
            a.method = "yield_resume";
            a.data = (const unsigned char *)args;
            a.data_len = strlen(args);
            assert_null(submit(vm, &id2, ALICE, ALICE_PK, 2, C, &a, 1));
        }
        assert_int_equal(tk_nearvm_advance(vm, 1), TK_OK);
    }
    assert_int_equal(tk_nearvm_outcome(vm, &o, id), TK_OK);
    tk_nearvm_free(vm);
    shared.ops->free(shared.ctx);
    return o;
}

static void test_export_import(void **state)
{
    (void)state;
    for (int resume = 0; resume <= 1; resume++) {
        json_t *ref = yield_scenario(-1, resume);
        char *want = json_dumps(ref, JSON_COMPACT | JSON_SORT_KEYS);
        assert_json_str(ref, "result.status", resume ? "ok" : "timeout");
        for (int r = 0; r < 8; r++) {
            json_t *got = yield_scenario(r, resume);
            char *have = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
            assert_string_equal(have, want);
            free(have);
            json_decref(got);
        }
        free(want);
        json_decref(ref);
    }
    /* damaged documents are refused */
    {
        tk_nearvm *vm = chain(5);
        json_t *bad = json_pack("{s:i,s:i,s:i,s:i,s:[{s:i}],s:[],s:[]}", "version", 1, "height", 3,
                                "now_ns", 0, "n_receipts", 1, "txs", "id", 7, "receipts", "yields");
        assert_int_equal(tk_nearvm_import(vm, bad), TK_ERR_INPUT);
        json_decref(bad);
        assert_int_equal(tk_nearvm_height(vm), 1);
        tk_nearvm_free(vm);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_storage),
        cmocka_unit_test(test_logs),
        cmocka_unit_test(test_panic_rollback_refund),
        cmocka_unit_test(test_cross_contract),
        cmocka_unit_test(test_promise_and),
        cmocka_unit_test(test_promise_return_chain),
        cmocka_unit_test(test_deposits),
        cmocka_unit_test(test_gas_weight),
        cmocka_unit_test(test_batch_actions),
        cmocka_unit_test(test_yield_resume),
        cmocka_unit_test(test_yield_timeout),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_storage_staking),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_host_errors),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_protocol),
        cmocka_unit_test(test_submit),
        cmocka_unit_test(test_export_import),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
