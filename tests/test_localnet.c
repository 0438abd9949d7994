/*
 * Tests for teekeys localnet (src/localnet, docs/localnet.md) through the project's own NEAR
 * JSON-RPC client (src/nearrpc) against a chain started in-process: status, view_account,
 * a new account with a transfer and a key, a function-call key, a function call with a deposit
 * on the nearvm_test contract deployed at genesis, views, InvalidNonce / InvalidSignature /
 * UNKNOWN_ACCOUNT / view failures / Failure outcomes, malformed JSON-RPC requests, the SQLite
 * store on its own, a clean restart, and a kill -9 of a child process running the chain
 * followed by a restart that finds every committed block.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/localnet.h"
#include "teekeys/near.h"
#include "teekeys/nearrpc.h"
#include "util.h"

extern const near_method nearvm_test_methods[];
static const tk_localnet_contract contracts[] = {{"nearvm_test", nearvm_test_methods}};

#define NEAR_STR "1000000000000000000000000"

typedef struct {
    char home[64];
    unsigned char root_sk[64];
    tk_localnet *ln;
    tk_nearrpc *rpc;
    char url[128];
} fixture;

/* A home with c.test.near running nearvm_test from genesis. */
static void make_home(fixture *f)
{
    char path[128], *text;
    json_t *g, *key;
    const char *sk;
    tk_localnet_init_options o;
    memset(&o, 0, sizeof o);
    o.block_ms = 50;
    o.yield_timeout = 5;
    assert_int_equal(test_tmpdir(f->home, sizeof f->home, "localnet"), 0);
    assert_int_equal(tk_localnet_init(f->home, &o), TK_OK);
    assert_int_equal(tk_localnet_init(f->home, &o), TK_ERR_RANGE); /* not twice */
    snprintf(path, sizeof path, "%s/genesis.json", f->home);
    g = json_load_file(path, 0, NULL);
    assert_non_null(g);
    assert_string_equal(json_string_value(json_object_get(g, "chain_id")), "localnet");
    json_array_append_new(
        json_object_get(g, "contracts"),
        json_pack("{s:s,s:s}", "account_id", "c.test.near", "contract", "nearvm_test"));
    text = json_dumps(g, JSON_INDENT(2));
    assert_int_equal(tk_file_write_atomic(path, text, strlen(text), 0644, 0), TK_OK);
    free(text);
    json_decref(g);
    snprintf(path, sizeof path, "%s/validator_key.json", f->home);
    key = json_load_file(path, 0, NULL);
    assert_non_null(key);
    assert_string_equal(json_string_value(json_object_get(key, "account_id")), "test.near");
    sk = json_string_value(json_object_get(key, "secret_key"));
    assert_int_equal(tk_nearkey_decode(f->root_sk, 64, TK_NEARKEY_ED25519_SECRET, sk, strlen(sk)),
                     TK_OK);
    json_decref(key);
}

static void open_chain(fixture *f, long block_ms)
{
    tk_localnet_config cfg;
    tk_nearrpc_config rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.home = f->home;
    cfg.rpc_addr = "127.0.0.1:0";
    cfg.block_ms = block_ms;
    cfg.wait_ms = 5000;
    cfg.contracts = contracts;
    cfg.n_contracts = 1;
    cfg.quiet = 1;
    assert_int_equal(tk_localnet_open(&f->ln, &cfg), TK_OK);
    assert_int_equal(tk_localnet_start(f->ln, f->url, sizeof f->url), TK_OK);
    memset(&rc, 0, sizeof rc);
    rc.url = f->url;
    rc.timeout_ms = 10000;
    assert_int_equal(tk_nearrpc_new(&f->rpc, &rc), TK_OK);
}

static void close_chain(fixture *f)
{
    tk_nearrpc_free(f->rpc);
    f->rpc = NULL;
    tk_localnet_free(f->ln);
    f->ln = NULL;
}

static char *amount_of(tk_nearrpc *rpc, const char *id)
{
    json_t *acc = NULL;
    char *s;
    assert_int_equal(tk_nearrpc_view_account(rpc, &acc, id), TK_OK);
    s = strdup(json_string_value(json_object_get(acc, "amount")));
    json_decref(acc);
    return s;
}

static void u128_le(unsigned char out[16], uint64_t hi_e24, uint64_t lo)
{
    /* hi_e24 × 10^24 + lo, little-endian */
    unsigned __int128 v = (unsigned __int128)hi_e24 * 1000000000000ull * 1000000000000ull + lo;
    for (int i = 0; i < 16; i++) {
        out[i] = (unsigned char)(v >> (8 * i));
    }
}

static json_t *rpc_raw(tk_localnet *ln, const char *body, int *status)
{
    char *out = NULL;
    json_t *j;
    assert_int_equal(tk_localnet_rpc(ln, &out, status, body, strlen(body)), TK_OK);
    j = json_loads(out, 0, NULL);
    assert_non_null(j);
    free(out);
    return j;
}

static const char *cause_of(const json_t *resp)
{
    return json_string_value(
        json_object_get(json_object_get(json_object_get(resp, "error"), "cause"), "name"));
}

static void test_chain(void **state)
{
    fixture f;
    json_t *out = NULL, *st = NULL, *resp;
    unsigned char bob_sk[64], bob_pk[32], fc_pk[32], fc_sk[64];
    char bob_pkstr[TK_NEARKEY_MAX_LEN], cause[64], *amount, hash58[64];
    tk_near_action a[3];
    int status;
    (void)state;
    memset(&f, 0, sizeof f);
    make_home(&f);
    open_chain(&f, 50);

    /* status */
    assert_int_equal(tk_nearrpc_status(f.rpc, &st), TK_OK);
    assert_string_equal(json_string_value(json_object_get(st, "chain_id")), "localnet");
    assert_true(json_integer_value(
                    json_object_get(json_object_get(st, "sync_info"), "latest_block_height")) >= 1);
    json_decref(st);
    amount = amount_of(f.rpc, "test.near");
    assert_string_equal(amount, "1000000000000000000000000000000000");
    free(amount);
    assert_int_equal(
        tk_nearrpc_call_cause(f.rpc, &out, cause, sizeof cause, "query",
                              json_pack("{s:s,s:s,s:s}", "request_type", "view_account", "finality",
                                        "final", "account_id", "nobody.test.near")),
        TK_ERR_NOT_FOUND);
    assert_string_equal(cause, "UNKNOWN_ACCOUNT");

    /* bob.test.near: CreateAccount + Transfer 5 NEAR + AddKey (full access) */
    crypto_sign_keypair(bob_pk, bob_sk);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_CREATE_ACCOUNT;
    a[1].kind = TK_NEAR_ACTION_TRANSFER;
    u128_le(a[1].amount, 5, 0);
    a[2].kind = TK_NEAR_ACTION_ADD_KEY;
    a[2].public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(a[2].public_key.data, bob_pk, 32);
    a[2].full_access = 1;
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "bob.test.near", a, 3, "FINAL"),
        TK_OK);
    assert_string_equal(json_string_value(json_object_get(out, "final_execution_status")), "FINAL");
    assert_non_null(json_object_get(json_object_get(out, "status"), "SuccessValue"));
    snprintf(hash58, sizeof hash58, "%s",
             json_string_value(json_object_get(json_object_get(out, "transaction"), "hash")));
    json_decref(out);
    amount = amount_of(f.rpc, "bob.test.near");
    assert_string_equal(amount, "5000000000000000000000000");
    free(amount);
    assert_int_equal(
        tk_nearkey_encode(bob_pkstr, sizeof bob_pkstr, TK_NEARKEY_ED25519_PUBLIC, bob_pk, 32),
        TK_OK);
    assert_int_equal(tk_nearrpc_view_access_key(f.rpc, &out, "bob.test.near", bob_pkstr), TK_OK);
    assert_string_equal(json_string_value(json_object_get(out, "permission")), "FullAccess");
    json_decref(out);
    /* tx status by hash */
    assert_int_equal(tk_nearrpc_tx_status(f.rpc, &out, hash58, "test.near", "FINAL"), TK_OK);
    assert_int_equal(json_array_size(json_object_get(out, "receipts_outcome")), 1);
    json_decref(out);

    /* a function-call key for c.test.near's put, then a call with it */
    crypto_sign_keypair(fc_pk, fc_sk);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_ADD_KEY;
    a[0].public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(a[0].public_key.data, fc_pk, 32);
    a[0].permission_receiver = (tk_near_bytes){(const unsigned char *)"c.test.near", 11};
    a[0].n_method_names = 1;
    a[0].method_names_raw = (tk_near_bytes){(const unsigned char *)"\x03\x00\x00\x00put", 7};
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "bob.test.near", bob_sk, "bob.test.near", a, 1, NULL),
        TK_OK);
    json_decref(out);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_FUNCTION_CALL;
    a[0].method_name = (tk_near_bytes){(const unsigned char *)"put", 3};
    a[0].args = (tk_near_bytes){(const unsigned char *)"{\"key\":\"k\",\"value\":\"v1\"}", 24};
    a[0].gas = 30000000000000ull;
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "bob.test.near", fc_sk, "c.test.near", a, 1, NULL), TK_OK);
    {
        const char *v =
            json_string_value(json_object_get(json_object_get(out, "status"), "SuccessValue"));
        unsigned char buf[256];
        size_t n = 0;
        if (v == NULL) {
            char *d = json_dumps(out, JSON_COMPACT);
            fprintf(stderr, "outcome: %s\n", d);
            free(d);
        }
        assert_non_null(v);
        assert_int_equal(tk_base64_decode(buf, sizeof buf - 1, &n, v, strlen(v)), TK_OK);
        buf[n] = 0;
        assert_non_null(strstr((const char *)buf, "\"replaced\":false"));
    }
    json_decref(out);
    /* the function-call key may not attach a deposit */
    u128_le(a[0].amount, 0, 1);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "bob.test.near", fc_sk, "c.test.near", a, 1, NULL),
        TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "DepositWithFunctionCall"));
    /* with the full key: a deposit reaches the contract */
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_FUNCTION_CALL;
    a[0].method_name = (tk_near_bytes){(const unsigned char *)"whoami", 6};
    a[0].args = (tk_near_bytes){(const unsigned char *)"{}", 2};
    a[0].gas = 30000000000000ull;
    u128_le(a[0].amount, 1, 0);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "bob.test.near", bob_sk, "c.test.near", a, 1, NULL),
        TK_OK);
    {
        const char *v =
            json_string_value(json_object_get(json_object_get(out, "status"), "SuccessValue"));
        unsigned char buf[1024];
        size_t n = 0;
        json_t *who;
        assert_int_equal(tk_base64_decode(buf, sizeof buf - 1, &n, v, strlen(v)), TK_OK);
        buf[n] = 0;
        who = json_loads((const char *)buf, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(who, "deposit")), NEAR_STR);
        assert_string_equal(json_string_value(json_object_get(who, "predecessor")),
                            "bob.test.near");
        json_decref(who);
    }
    json_decref(out);
    /* views */
    {
        unsigned char *res = NULL;
        size_t n = 0;
        assert_int_equal(
            tk_nearrpc_call_function(f.rpc, &res, &n, "c.test.near", "get", "{\"key\":\"k\"}", 11),
            TK_OK);
        assert_int_equal(n, 4);
        assert_memory_equal(res, "\"v1\"", 4);
        free(res);
        assert_int_equal(tk_nearrpc_call_function(f.rpc, &res, &n, "c.test.near", "nope", "{}", 2),
                         TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "MethodNotFound"));
        assert_int_equal(tk_nearrpc_view_state(f.rpc, &out, "c.test.near", "k", 1), TK_OK);
        assert_int_equal(json_array_size(json_object_get(out, "values")), 1);
        json_decref(out);
    }
    /* a failing call: Failure inside the outcome, the deposit refunded */
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_FUNCTION_CALL;
    a[0].method_name = (tk_near_bytes){(const unsigned char *)"fail", 4};
    a[0].args = (tk_near_bytes){(const unsigned char *)"{\"message\":\"no\"}", 16};
    a[0].gas = 30000000000000ull;
    u128_le(a[0].amount, 0, 9);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "bob.test.near", bob_sk, "c.test.near", a, 1, NULL),
        TK_OK);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(
                json_object_get(
                    json_object_get(json_object_get(json_object_get(out, "status"), "Failure"),
                                    "ActionError"),
                    "kind"),
                "FunctionCallError"),
            "ExecutionError")),
        "Smart contract panicked: no");
    assert_int_equal(json_array_size(json_object_get(out, "receipts_outcome")), 2); /* refund */
    json_decref(out);

    /* InvalidNonce and InvalidSignature through send_tx */
    {
        tk_near_tx *tx = calloc(1, sizeof *tx);
        unsigned char raw[1024], signed_tx[1200], h[32];
        size_t raw_len = 0, signed_len = 0, n = 0;
        char b64[2000];
        json_t *blk = NULL;
        const char *bh;
        assert_non_null(tx);
        tx->signer_id = (tk_near_bytes){(const unsigned char *)"bob.test.near", 13};
        tx->receiver_id = (tk_near_bytes){(const unsigned char *)"c.test.near", 11};
        tx->public_key.type = TK_NEAR_KEY_ED25519;
        memcpy(tx->public_key.data, bob_pk, 32);
        tx->nonce = 1; /* below the key's nonce */
        assert_int_equal(tk_nearrpc_block(f.rpc, &blk, "final", 0, NULL), TK_OK);
        bh = json_string_value(json_object_get(json_object_get(blk, "header"), "hash"));
        assert_int_equal(tk_base58_decode(tx->block_hash, 32, &n, bh, strlen(bh)), TK_OK);
        json_decref(blk);
        tx->n_actions = 1;
        tx->actions[0].kind = TK_NEAR_ACTION_TRANSFER;
        assert_int_equal(tk_near_tx_encode_var(raw, sizeof raw, &raw_len, tx), TK_OK);
        assert_int_equal(tk_near_sign_transaction(signed_tx, sizeof signed_tx, &signed_len, h,
                                                  bob_sk, raw, raw_len),
                         TK_OK);
        assert_int_equal(tk_base64_encode(b64, sizeof b64, &n, signed_tx, signed_len), TK_OK);
        assert_int_equal(tk_nearrpc_send_tx(f.rpc, &out, b64, NULL), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "InvalidNonce"));
        signed_tx[signed_len - 3] ^= 1;
        assert_int_equal(tk_base64_encode(b64, sizeof b64, &n, signed_tx, signed_len), TK_OK);
        assert_int_equal(tk_nearrpc_send_tx(f.rpc, &out, b64, NULL), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "InvalidSignature"));
        free(tx);
    }

    /* malformed requests */
    resp = rpc_raw(f.ln, "{not json", &status);
    assert_string_equal(cause_of(resp), "PARSE_ERROR");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(resp, "error"), "code")),
                     -32700);
    json_decref(resp);
    resp =
        rpc_raw(f.ln, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"nope\",\"params\":[]}", &status);
    assert_string_equal(cause_of(resp), "METHOD_NOT_FOUND");
    assert_int_equal(json_integer_value(json_object_get(resp, "id")), 7);
    json_decref(resp);
    resp = rpc_raw(f.ln, "[1,2]", &status);
    assert_string_equal(cause_of(resp), "PARSE_ERROR");
    json_decref(resp);
    resp =
        rpc_raw(f.ln,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"query\",\"params\":{\"request_type\":"
                "\"view_account\",\"finality\":\"final\",\"account_id\":\"Bad..Id\"}}",
                &status);
    assert_string_equal(cause_of(resp), "PARSE_ERROR");
    json_decref(resp);
    resp = rpc_raw(f.ln,
                   "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send_tx\",\"params\":{"
                   "\"signed_tx_base64\":\"AAAA\"}}",
                   &status);
    assert_string_equal(cause_of(resp), "PARSE_ERROR");
    json_decref(resp);
    resp = rpc_raw(f.ln,
                   "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tx\",\"params\":{\"tx_hash\":"
                   "\"11111111111111111111111111111111\",\"sender_account_id\":\"bob.test.near\"}}",
                   &status);
    assert_string_equal(cause_of(resp), "UNKNOWN_TRANSACTION");
    json_decref(resp);
    resp = rpc_raw(f.ln,
                   "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\",\"params\":{\"block_id\":"
                   "999999}}",
                   &status);
    assert_string_equal(cause_of(resp), "UNKNOWN_BLOCK");
    json_decref(resp);
    resp = rpc_raw(
        f.ln, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\",\"params\":{\"block_id\":1}}",
        &status);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(resp, "result"), "header"), "height")),
                     1);
    json_decref(resp);
    {
        char *out_s = NULL;
        assert_int_equal(
            tk_localnet_rpc(f.ln, &out_s, &status, NULL, (size_t)TK_LOCALNET_MAX_BODY + 1), TK_OK);
        assert_int_equal(status, 413);
        free(out_s);
    }

    /* a clean restart keeps everything */
    close_chain(&f);
    open_chain(&f, 50);
    amount = amount_of(f.rpc, "bob.test.near");
    assert_string_equal(amount, "4000000000000000000000000"); /* 5 - 1 (no gas fees) */
    free(amount);
    assert_int_equal(tk_nearrpc_tx_status(f.rpc, &out, hash58, "test.near", NULL), TK_OK);
    json_decref(out);
    close_chain(&f);
    test_rmdir(f.home);
}

/* kill -9 of a child running the chain, then a restart in this process */
static void test_kill9(void **state)
{
    fixture f;
    int fds[2];
    pid_t pid;
    char url[128] = {0};
    ssize_t n;
    uint64_t height;
    json_t *out = NULL;
    (void)state;
    memset(&f, 0, sizeof f);
    make_home(&f);
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        tk_localnet_config cfg;
        tk_localnet *ln = NULL;
        close(fds[0]);
        memset(&cfg, 0, sizeof cfg);
        cfg.home = f.home;
        cfg.rpc_addr = "127.0.0.1:0";
        cfg.block_ms = 30;
        cfg.contracts = contracts;
        cfg.n_contracts = 1;
        cfg.quiet = 1;
        if (tk_localnet_open(&ln, &cfg) != TK_OK ||
            tk_localnet_start(ln, url, sizeof url) != TK_OK) {
            _exit(3);
        }
        if (write(fds[1], url, strlen(url) + 1) < 0) {
            _exit(4);
        }
        for (;;) {
            pause();
        }
    }
    close(fds[1]);
    n = read(fds[0], url, sizeof url - 1);
    close(fds[0]);
    assert_true(n > 0);
    {
        tk_nearrpc_config rc;
        tk_near_action a;
        memset(&rc, 0, sizeof rc);
        rc.url = url;
        rc.timeout_ms = 10000;
        assert_int_equal(tk_nearrpc_new(&f.rpc, &rc), TK_OK);
        memset(&a, 0, sizeof a);
        a.kind = TK_NEAR_ACTION_FUNCTION_CALL;
        a.method_name = (tk_near_bytes){(const unsigned char *)"put", 3};
        a.gas = 30000000000000ull;
        for (int i = 0; i < 5; i++) {
            char args[64];
            snprintf(args, sizeof args, "{\"key\":\"k%d\",\"value\":\"v%d\"}", i, i);
            a.args = (tk_near_bytes){(const unsigned char *)args, strlen(args)};
            assert_int_equal(tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near",
                                                 &a, 1, "FINAL"),
                             TK_OK);
            json_decref(out);
        }
        assert_int_equal(tk_nearrpc_status(f.rpc, &out), TK_OK);
        height = (uint64_t)json_integer_value(
            json_object_get(json_object_get(out, "sync_info"), "latest_block_height"));
        json_decref(out);
        tk_nearrpc_free(f.rpc);
        f.rpc = NULL;
    }
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    open_chain(&f, -1);
    assert_true(tk_localnet_height(f.ln) >= height);
    for (int i = 0; i < 5; i++) {
        unsigned char *res = NULL;
        size_t len = 0;
        char args[32], want[16];
        snprintf(args, sizeof args, "{\"key\":\"k%d\"}", i);
        snprintf(want, sizeof want, "\"v%d\"", i);
        assert_int_equal(
            tk_nearrpc_call_function(f.rpc, &res, &len, "c.test.near", "get", args, strlen(args)),
            TK_OK);
        assert_int_equal(len, strlen(want));
        assert_memory_equal(res, want, len);
        free(res);
    }
    /* the chain goes on from there */
    assert_int_equal(tk_localnet_produce_block(f.ln), TK_OK);
    assert_true(tk_localnet_height(f.ln) >= height + 1);
    close_chain(&f);
    test_rmdir(f.home);
}

/* The SQLite store on its own: records, iteration order, savepoints. */
static int count_keys(void *arg, const unsigned char *key, size_t key_len, const unsigned char *val,
                      size_t val_len)
{
    char *seen = arg;
    (void)val;
    (void)val_len;
    strncat(seen, (const char *)key, key_len);
    strcat(seen, ",");
    return 0;
}

static void test_store(void **state)
{
    char dir[64], path[128], seen[64] = "";
    tk_nearvm_store s;
    unsigned char *v = NULL;
    size_t n = 0;
    (void)state;
    assert_int_equal(test_tmpdir(dir, sizeof dir, "lnstore"), 0);
    snprintf(path, sizeof path, "%s/s.sqlite", dir);
    assert_int_equal(tk_localnet_store_open(&s, path), TK_OK);
    assert_int_equal(s.ops->begin(s.ctx), TK_OK);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1,
                                (const unsigned char *)"2", 1),
                     TK_OK);
    assert_int_equal(s.ops->put(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"a", 1,
                                (const unsigned char *)"", 0),
                     TK_OK);
    assert_int_equal(s.ops->commit(s.ctx), TK_OK);
    assert_int_equal(s.ops->begin(s.ctx), TK_OK);
    assert_int_equal(s.ops->del(s.ctx, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1),
                     TK_OK);
    assert_int_equal(s.ops->rollback(s.ctx), TK_OK);
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1), TK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0], '2');
    free(v);
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"a", 1), TK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_KEY, "a", (const unsigned char *)"a", 1),
        TK_ERR_NOT_FOUND);
    assert_int_equal(s.ops->iterate(s.ctx, TK_NEARVM_REC_DATA, "a", count_keys, seen), TK_OK);
    assert_string_equal(seen, "a,b,");
    s.ops->free(s.ctx);
    /* reopened: still there */
    assert_int_equal(tk_localnet_store_open(&s, path), TK_OK);
    assert_int_equal(
        s.ops->get(s.ctx, &v, &n, TK_NEARVM_REC_DATA, "a", (const unsigned char *)"b", 1), TK_OK);
    free(v);
    s.ops->free(s.ctx);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_kill9),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
