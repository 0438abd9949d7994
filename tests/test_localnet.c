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
#include <sys/stat.h>
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

extern const near_method chain_keys_methods[];
extern const near_method verifier_methods[];
extern const near_method dao_methods[];
extern const near_method mpc_signer_methods[];
extern const near_method nearvm_test_methods[];
static const tk_localnet_contract contracts[] = {{"chain_keys", chain_keys_methods},
                                                 {"verifier", verifier_methods},
                                                 {"dao", dao_methods},
                                                 {"mpc_signer", mpc_signer_methods},
                                                 {"nearvm_test", nearvm_test_methods}};
#define N_CONTRACTS (sizeof contracts / sizeof contracts[0])
/* the "wasm" of nearvm_test in the test's contracts dir: DeployContract of these bytes deploys
 * the native build (localnet maps code to contracts by sha256) */
static const char fake_wasm[] = "\0asm fake nearvm_test code for localnet tests";

#define NEAR_STR "1000000000000000000000000"

typedef struct {
    char home[64];
    char cdir[160];
    unsigned char root_sk[64];
    tk_localnet *ln;
    tk_nearrpc *rpc;
    char url[128];
} fixture;

/* A home as `teekeys localnet init` writes it (the teekeys contracts in genesis), plus
 * c.test.near and d.test.near running nearvm_test, and a contracts dir with its "wasm". */
static void make_home(fixture *f)
{
    char path[192], *text;
    json_t *g, *key, *cfg;
    const char *sk;
    FILE *w;
    tk_localnet_init_options o;
    memset(&o, 0, sizeof o);
    o.block_ms = 50;
    o.yield_timeout = 5;
    assert_int_equal(test_tmpdir(f->home, sizeof f->home, "localnet"), 0);
    assert_int_equal(tk_localnet_init(f->home, &o), TK_OK);
    assert_int_equal(tk_localnet_init(f->home, &o), TK_ERR_RANGE); /* not twice */
    snprintf(path, sizeof path, "%s/config.json", f->home);
    cfg = json_load_file(path, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(cfg, "rpc"), "addr")),
                        "127.0.0.1:3030"); /* nearcore's port */
    json_decref(cfg);
    snprintf(path, sizeof path, "%s/genesis.json", f->home);
    g = json_load_file(path, 0, NULL);
    assert_non_null(g);
    assert_string_equal(json_string_value(json_object_get(g, "chain_id")), "localnet");
    assert_int_equal(json_integer_value(json_object_get(g, "yield_timeout_length")), 5);
    assert_int_equal(json_array_size(json_object_get(g, "contracts")), 4);
    json_array_append_new(
        json_object_get(g, "contracts"),
        json_pack("{s:s,s:s}", "account_id", "c.test.near", "contract", "nearvm_test"));
    json_array_append_new(
        json_object_get(g, "contracts"),
        json_pack("{s:s,s:s}", "account_id", "d.test.near", "contract", "nearvm_test"));
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
    snprintf(f->cdir, sizeof f->cdir, "%s/wasm", f->home);
    assert_int_equal(mkdir(f->cdir, 0700), 0);
    snprintf(path, sizeof path, "%s/nearvm_test.wasm", f->cdir);
    w = fopen(path, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(fake_wasm, 1, sizeof fake_wasm - 1, w), sizeof fake_wasm - 1);
    fclose(w);
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
    cfg.n_contracts = N_CONTRACTS;
    cfg.contracts_dir = f->cdir;
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
    assert_int_equal(
        tk_nearrpc_call_cause(f.rpc, &out, cause, sizeof cause, "query",
                              json_pack("{s:s,s:s,s:s,s:s}", "request_type", "view_access_key",
                                        "finality", "final", "account_id", "test.near",
                                        "public_key", "ed25519:11111111111111111111111111111111")),
        TK_ERR_NOT_FOUND);
    assert_string_equal(cause, "UNKNOWN_ACCESS_KEY");

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
        /* on the wire: a successful response whose result carries the error */
        resp = rpc_raw(f.ln,
                       "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"query\",\"params\":{"
                       "\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":"
                       "\"c.test.near\",\"method_name\":\"fail\",\"args_base64\":\"\"}}",
                       &status);
        assert_null(json_object_get(resp, "error"));
        {
            const json_t *vr = json_object_get(resp, "result");
            assert_non_null(strstr(json_string_value(json_object_get(vr, "error")), "GuestPanic"));
            assert_true(json_is_array(json_object_get(vr, "logs")));
            assert_true(json_is_integer(json_object_get(vr, "block_height")));
            assert_true(json_is_string(json_object_get(vr, "block_hash")));
        }
        json_decref(resp);
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

/* ---- the chain's features through real transactions (test_features) ---- */

static json_t *view_json(tk_nearrpc *rpc, const char *account, const char *method, const char *args)
{
    unsigned char *res = NULL;
    size_t n = 0;
    json_t *j;
    assert_int_equal(tk_nearrpc_call_function(rpc, &res, &n, account, method, args, strlen(args)),
                     TK_OK);
    j = json_loadb((const char *)res, n, JSON_DECODE_ANY, NULL);
    assert_non_null(j);
    free(res);
    return j;
}

/* The outcome's SuccessValue as JSON, or NULL. */
static json_t *success_json(const json_t *out)
{
    const char *v =
        json_string_value(json_object_get(json_object_get(out, "status"), "SuccessValue"));
    unsigned char buf[4096];
    size_t n = 0;
    if (v == NULL || tk_base64_decode(buf, sizeof buf, &n, v, strlen(v)) != TK_OK) {
        return NULL;
    }
    return json_loadb((const char *)buf, n, JSON_DECODE_ANY, NULL);
}

static tk_near_action call_action(const char *method, const char *args, uint64_t tgas)
{
    tk_near_action a;
    memset(&a, 0, sizeof a);
    a.kind = TK_NEAR_ACTION_FUNCTION_CALL;
    a.method_name = (tk_near_bytes){(const unsigned char *)method, strlen(method)};
    a.args = (tk_near_bytes){(const unsigned char *)args, strlen(args)};
    a.gas = tgas * 1000000000000ull;
    return a;
}

/* Signs one transaction on the final head with `nonce` (0: the key's next). Out: b64, hash58. */
static void sign_tx_nonce(fixture *f, char *b64, size_t cap, char hash58[64], const char *signer,
                          const unsigned char sk[64], const char *receiver, const tk_near_action *a,
                          size_t n_actions, uint64_t nonce)
{
    tk_near_tx *tx = calloc(1, sizeof *tx);
    unsigned char raw[2048], st[2200], h[32];
    size_t raw_len = 0, st_len = 0, n = 0;
    char pkstr[TK_NEARKEY_MAX_LEN];
    json_t *ak = NULL, *blk = NULL;
    const char *bh;
    assert_non_null(tx);
    assert_int_equal(tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, sk + 32, 32),
                     TK_OK);
    assert_int_equal(tk_nearrpc_view_access_key(f->rpc, &ak, signer, pkstr), TK_OK);
    assert_int_equal(tk_nearrpc_block(f->rpc, &blk, "final", 0, NULL), TK_OK);
    bh = json_string_value(json_object_get(json_object_get(blk, "header"), "hash"));
    assert_int_equal(tk_base58_decode(tx->block_hash, 32, &n, bh, strlen(bh)), TK_OK);
    tx->signer_id = (tk_near_bytes){(const unsigned char *)signer, strlen(signer)};
    tx->receiver_id = (tk_near_bytes){(const unsigned char *)receiver, strlen(receiver)};
    tx->public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(tx->public_key.data, sk + 32, 32);
    tx->nonce = nonce ? nonce : (uint64_t)json_integer_value(json_object_get(ak, "nonce")) + 1;
    tx->n_actions = n_actions;
    memcpy(tx->actions, a, n_actions * sizeof *a);
    assert_int_equal(tk_near_tx_encode_var(raw, sizeof raw, &raw_len, tx), TK_OK);
    assert_int_equal(tk_near_sign_transaction(st, sizeof st, &st_len, h, sk, raw, raw_len), TK_OK);
    assert_int_equal(tk_base64_encode(b64, cap, &n, st, st_len), TK_OK);
    assert_int_equal(tk_base58_encode(hash58, 64, &n, h, 32), TK_OK);
    json_decref(ak);
    json_decref(blk);
    free(tx);
}

static void sign_tx(fixture *f, char *b64, size_t cap, char hash58[64], const char *signer,
                    const unsigned char sk[64], const char *receiver, const tk_near_action *a,
                    size_t n_actions)
{
    sign_tx_nonce(f, b64, cap, hash58, signer, sk, receiver, a, n_actions, 0);
}

static const json_t *receipt_with_log(const json_t *out, const char *log)
{
    const json_t *r, *l;
    size_t i, j;
    json_array_foreach(json_object_get(out, "receipts_outcome"), i, r)
    {
        json_array_foreach(json_object_get(json_object_get(r, "outcome"), "logs"), j, l)
        {
            if (strcmp(json_string_value(l), log) == 0) {
                return r;
            }
        }
    }
    return NULL;
}

static void test_features(void **state)
{
    fixture f;
    json_t *out = NULL, *v, *blk = NULL;
    tk_near_action a[3];
    unsigned char k_pk[32], k_sk[64];
    char b64[3000], hash[64], data_id[80], args[256], *amount;
    uint64_t h0, t0;
    (void)state;
    memset(&f, 0, sizeof f);
    make_home(&f);
    open_chain(&f, 20);

    assert_string_equal(tk_localnet_chain_id(f.ln), "localnet");
    /* genesis: the teekeys contracts under test.near, initialised by the root in block 2 */
    assert_true(tk_localnet_height(f.ln) >= 2);
    v = view_json(f.rpc, TK_LOCALNET_DAO_ACCOUNT, "get_config", "{}");
    assert_string_equal(json_string_value(json_object_get(v, "mpc_account_id")),
                        TK_LOCALNET_MPC_ACCOUNT);
    assert_string_equal(json_string_value(json_object_get(v, "chain_keys_account_id")),
                        TK_LOCALNET_CHAIN_KEYS_ACCOUNT);
    json_decref(v);
    v = view_json(f.rpc, TK_LOCALNET_CHAIN_KEYS_ACCOUNT, "get_config", "{}");
    assert_string_equal(json_string_value(json_object_get(v, "dao_account_id")),
                        TK_LOCALNET_DAO_ACCOUNT);
    json_decref(v);
    v = view_json(f.rpc, TK_LOCALNET_MPC_ACCOUNT, "get_participants", "{}");
    assert_int_equal(json_integer_value(json_object_get(v, "threshold")), 1);
    json_decref(v);
    assert_int_equal(tk_nearrpc_view_account(f.rpc, &out, TK_LOCALNET_VERIFIER_ACCOUNT), TK_OK);
    assert_string_not_equal(json_string_value(json_object_get(out, "code_hash")),
                            "11111111111111111111111111111111");
    json_decref(out);

    /* the block timer: heights advance on their own, each block links to the one before */
    h0 = tk_localnet_height(f.ln);
    assert_int_equal(tk_nearrpc_block(f.rpc, &blk, "final", 0, NULL), TK_OK);
    t0 = (uint64_t)json_integer_value(json_object_get(json_object_get(blk, "header"), "timestamp"));
    json_decref(blk);
    usleep(200000);
    assert_true(tk_localnet_height(f.ln) >= h0 + 3);
    assert_int_equal(tk_nearrpc_block(f.rpc, &blk, "final", 0, NULL), TK_OK);
    {
        const json_t *hd = json_object_get(blk, "header");
        uint64_t h = (uint64_t)json_integer_value(json_object_get(hd, "height"));
        json_t *prev = NULL;
        assert_true((uint64_t)json_integer_value(json_object_get(hd, "timestamp")) > t0);
        assert_int_equal(tk_nearrpc_block(f.rpc, &prev, NULL, h - 1, NULL), TK_OK);
        assert_string_equal(
            json_string_value(json_object_get(hd, "prev_hash")),
            json_string_value(json_object_get(json_object_get(prev, "header"), "hash")));
        json_decref(prev);
    }
    json_decref(blk);

    /* a cross-contract call with a callback: receipts, logs, gas */
    a[0] = call_action("call_other",
                       "{\"account\":\"d.test.near\",\"method\":\"log\",\"args\":"
                       "\"{\\\"messages\\\":[\\\"hi from d\\\"]}\"}",
                       100);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", a, 1, NULL), TK_OK);
    assert_true(json_array_size(json_object_get(out, "receipts_outcome")) >= 3);
    {
        const json_t *cb = receipt_with_log(out, "on_results");
        const json_t *d = receipt_with_log(out, "hi from d");
        assert_non_null(cb);
        assert_non_null(d);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(d, "outcome"), "executor_id")),
            "d.test.near");
        assert_true(
            json_integer_value(json_object_get(json_object_get(cb, "outcome"), "gas_burnt")) > 0);
        v = success_json(out);
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(v, "results"), 0), "status")),
                            "ok");
        json_decref(v);
    }
    json_decref(out);

    /* a panic rolls the receipt's writes back */
    a[0] = call_action("put", "{\"key\":\"p\",\"value\":\"kept\"}", 30);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", a, 1, NULL), TK_OK);
    json_decref(out);
    a[0] = call_action("put_then_panic", "{\"key\":\"p\",\"value\":\"lost\"}", 30);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", a, 1, NULL), TK_OK);
    assert_non_null(json_object_get(json_object_get(out, "status"), "Failure"));
    json_decref(out);
    v = view_json(f.rpc, "c.test.near", "get", "{\"key\":\"p\"}");
    assert_string_equal(json_string_value(v), "kept");
    json_decref(v);

    /* wait_until NONE answers at once; tx with wait_until finds the outcome later;
     * broadcast_tx_commit waits for it */
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_TRANSFER;
    u128_le(a[0].amount, 0, 1);
    sign_tx(&f, b64, sizeof b64, hash, "test.near", f.root_sk, "c.test.near", a, 1);
    assert_int_equal(tk_nearrpc_send_tx(f.rpc, &out, b64, "NONE"), TK_OK);
    assert_string_equal(json_string_value(json_object_get(out, "final_execution_status")), "NONE");
    assert_null(json_object_get(out, "status"));
    json_decref(out);
    assert_int_equal(tk_nearrpc_tx_status(f.rpc, &out, hash, "test.near", "EXECUTED"), TK_OK);
    assert_non_null(json_object_get(json_object_get(out, "status"), "SuccessValue"));
    json_decref(out);
    sign_tx(&f, b64, sizeof b64, hash, "test.near", f.root_sk, "c.test.near", a, 1);
    assert_int_equal(tk_nearrpc_broadcast_tx_commit(f.rpc, &out, b64), TK_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(out, "transaction"), "hash")), hash);
    json_decref(out);

    /* yield / resume: the tx waits for the resume; only the yielding contract may resume */
    a[0] = call_action("yield_start", "{\"return\":true}", 100);
    sign_tx(&f, b64, sizeof b64, hash, "test.near", f.root_sk, "c.test.near", a, 1);
    assert_int_equal(tk_nearrpc_send_tx(f.rpc, &out, b64, "INCLUDED"), TK_OK);
    json_decref(out);
    assert_int_equal(tk_localnet_produce_block(f.ln), TK_OK); /* the receipt has run */
    v = view_json(f.rpc, "c.test.near", "get", "{\"key\":\"yield_id\"}");
    snprintf(data_id, sizeof data_id, "%s", json_string_value(v));
    json_decref(v);
    assert_int_equal(strlen(data_id), 64);
    snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"from d\"}", data_id);
    a[0] = call_action("yield_resume", args, 30);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "d.test.near", a, 1, NULL), TK_OK);
    v = success_json(out);
    assert_true(json_is_false(v)); /* another contract cannot resume it */
    json_decref(v);
    json_decref(out);
    snprintf(args, sizeof args, "{\"data_id\":\"%s\",\"payload\":\"hello\"}", data_id);
    a[0] = call_action("yield_resume", args, 30);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", a, 1, NULL), TK_OK);
    v = success_json(out);
    assert_true(json_is_true(v));
    json_decref(v);
    json_decref(out);
    assert_int_equal(tk_nearrpc_tx_status(f.rpc, &out, hash, "test.near", "FINAL"), TK_OK);
    v = success_json(out);
    assert_string_equal(json_string_value(json_object_get(v, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(v, "payload")), "hello");
    json_decref(v);
    json_decref(out);
    /* ... and times out after genesis' yield_timeout_length (5 blocks): the callback gets a
     * promise error */
    a[0] = call_action("yield_start", "{\"return\":true}", 100);
    h0 = tk_localnet_height(f.ln);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", a, 1, "FINAL"),
        TK_OK);
    assert_true(tk_localnet_height(f.ln) >= h0 + 6);
    v = success_json(out);
    assert_string_equal(json_string_value(json_object_get(v, "status")), "timeout");
    json_decref(v);
    assert_non_null(receipt_with_log(out, "on_yield timeout"));
    json_decref(out);

    /* a function-call key: receiver, method names and allowance are enforced */
    crypto_sign_keypair(k_pk, k_sk);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_ADD_KEY;
    a[0].public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(a[0].public_key.data, k_pk, 32);
    a[0].permission_receiver = (tk_near_bytes){(const unsigned char *)"c.test.near", 11};
    a[0].n_method_names = 1;
    a[0].method_names_raw = (tk_near_bytes){(const unsigned char *)"\x03\x00\x00\x00put", 7};
    a[0].has_allowance = 1;
    /* 30 Tgas × 10^8 yocto = 3 × 10^21 per call: room for one call, not two */
    {
        unsigned __int128 x = (unsigned __int128)5000 * 1000000000000000000ull;
        for (int i = 0; i < 16; i++) {
            a[0].allowance[i] = (unsigned char)(x >> (8 * i));
        }
    }
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "test.near", a, 1, NULL), TK_OK);
    json_decref(out);
    {
        char pkstr[TK_NEARKEY_MAX_LEN];
        json_t *list = NULL;
        const json_t *k;
        size_t i;
        int seen = 0;
        assert_int_equal(
            tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, k_pk, 32), TK_OK);
        assert_int_equal(tk_nearrpc_view_access_key_list(f.rpc, &list, "test.near"), TK_OK);
        json_array_foreach(json_object_get(list, "keys"), i, k)
        {
            if (strcmp(json_string_value(json_object_get(k, "public_key")), pkstr) == 0) {
                const json_t *fc =
                    json_object_get(json_object_get(json_object_get(k, "access_key"), "permission"),
                                    "FunctionCall");
                assert_string_equal(json_string_value(json_object_get(fc, "allowance")),
                                    "5000000000000000000000");
                assert_string_equal(json_string_value(json_object_get(fc, "receiver_id")),
                                    "c.test.near");
                seen = 1;
            }
        }
        assert_int_equal(json_array_size(json_object_get(list, "keys")), 2);
        assert_true(seen);
        json_decref(list);
    }
    /* (refusals charge nothing: the allowance is checked first, as nearcore does) */
    a[0] = call_action("put", "{\"key\":\"fc\",\"value\":\"1\"}", 30);
    assert_int_equal(tk_nearrpc_transact(f.rpc, &out, "test.near", k_sk, "d.test.near", a, 1, NULL),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "ReceiverMismatch"));
    a[0] = call_action("get", "{\"key\":\"fc\"}", 30);
    assert_int_equal(tk_nearrpc_transact(f.rpc, &out, "test.near", k_sk, "c.test.near", a, 1, NULL),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "MethodNameMismatch"));
    a[0] = call_action("put", "{\"key\":\"fc\",\"value\":\"1\"}", 30);
    assert_int_equal(tk_nearrpc_transact(f.rpc, &out, "test.near", k_sk, "c.test.near", a, 1, NULL),
                     TK_OK);
    json_decref(out);
    a[0] = call_action("put", "{\"key\":\"fc\",\"value\":\"2\"}", 30);
    assert_int_equal(tk_nearrpc_transact(f.rpc, &out, "test.near", k_sk, "c.test.near", a, 1, NULL),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "NotEnoughAllowance"));

    /* an implicit account: a transfer to the hex of a key creates it with that key */
    {
        char implicit[65], pkstr[TK_NEARKEY_MAX_LEN];
        crypto_sign_keypair(k_pk, k_sk);
        assert_int_equal(tk_hex_encode(implicit, sizeof implicit, k_pk, 32), TK_OK);
        memset(a, 0, sizeof a);
        a[0].kind = TK_NEAR_ACTION_TRANSFER;
        u128_le(a[0].amount, 2, 0);
        assert_int_equal(
            tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, implicit, a, 1, NULL), TK_OK);
        json_decref(out);
        amount = amount_of(f.rpc, implicit);
        assert_string_equal(amount, "2000000000000000000000000");
        free(amount);
        assert_int_equal(
            tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, k_pk, 32), TK_OK);
        assert_int_equal(tk_nearrpc_view_access_key(f.rpc, &out, implicit, pkstr), TK_OK);
        assert_string_equal(json_string_value(json_object_get(out, "permission")), "FullAccess");
        json_decref(out);
        /* the key signs for it */
        u128_le(a[0].amount, 1, 0);
        assert_int_equal(tk_nearrpc_transact(f.rpc, &out, implicit, k_sk, "test.near", a, 1, NULL),
                         TK_OK);
        json_decref(out);
        amount = amount_of(f.rpc, implicit);
        assert_string_equal(amount, "1000000000000000000000000");
        free(amount);
    }

    /* deploy by hash: the known wasm bytes deploy the native nearvm_test; other code fails */
    {
        unsigned char e_pk[32], e_sk[64], digest[32];
        char want[64];
        size_t n = 0;
        crypto_sign_keypair(e_pk, e_sk);
        memset(a, 0, sizeof a);
        a[0].kind = TK_NEAR_ACTION_CREATE_ACCOUNT;
        a[1].kind = TK_NEAR_ACTION_TRANSFER;
        u128_le(a[1].amount, 5, 0);
        a[2].kind = TK_NEAR_ACTION_ADD_KEY;
        a[2].public_key.type = TK_NEAR_KEY_ED25519;
        memcpy(a[2].public_key.data, e_pk, 32);
        a[2].full_access = 1;
        assert_int_equal(
            tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "e.test.near", a, 3, NULL),
            TK_OK);
        json_decref(out);
        memset(a, 0, sizeof a);
        a[0].kind = TK_NEAR_ACTION_DEPLOY_CONTRACT;
        a[0].code = (tk_near_bytes){(const unsigned char *)fake_wasm, sizeof fake_wasm - 1};
        assert_int_equal(
            tk_nearrpc_transact(f.rpc, &out, "e.test.near", e_sk, "e.test.near", a, 1, NULL),
            TK_OK);
        assert_non_null(json_object_get(json_object_get(out, "status"), "SuccessValue"));
        json_decref(out);
        tk_sha256(digest, fake_wasm, sizeof fake_wasm - 1);
        assert_int_equal(tk_base58_encode(want, sizeof want, &n, digest, 32), TK_OK);
        assert_int_equal(tk_nearrpc_view_account(f.rpc, &out, "e.test.near"), TK_OK);
        assert_string_equal(json_string_value(json_object_get(out, "code_hash")), want);
        json_decref(out);
        a[0] = call_action("put", "{\"key\":\"e\",\"value\":\"deployed\"}", 30);
        assert_int_equal(
            tk_nearrpc_transact(f.rpc, &out, "e.test.near", e_sk, "e.test.near", a, 1, NULL),
            TK_OK);
        json_decref(out);
        v = view_json(f.rpc, "e.test.near", "get", "{\"key\":\"e\"}");
        assert_string_equal(json_string_value(v), "deployed");
        json_decref(v);
        memset(a, 0, sizeof a);
        a[0].kind = TK_NEAR_ACTION_DEPLOY_CONTRACT;
        a[0].code = (tk_near_bytes){(const unsigned char *)"\0asm unknown", 12};
        assert_int_equal(
            tk_nearrpc_transact(f.rpc, &out, "e.test.near", e_sk, "e.test.near", a, 1, NULL),
            TK_OK);
        assert_non_null(json_object_get(
            json_object_get(
                json_object_get(
                    json_object_get(json_object_get(json_object_get(out, "status"), "Failure"),
                                    "ActionError"),
                    "kind"),
                "UnknownContractCode"),
            "code_len"));
        json_decref(out);
    }
    close_chain(&f);
    test_rmdir(f.home);
}

/* Forks a child running the chain in f->home with blocks every block_ms; out: its RPC url. */
static pid_t spawn_chain(fixture *f, long block_ms, char *url, size_t cap)
{
    int fds[2];
    ssize_t n;
    pid_t pid;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        tk_localnet_config cfg;
        tk_localnet *ln = NULL;
        close(fds[0]);
        memset(&cfg, 0, sizeof cfg);
        cfg.home = f->home;
        cfg.rpc_addr = "127.0.0.1:0";
        cfg.block_ms = block_ms;
        cfg.contracts = contracts;
        cfg.n_contracts = N_CONTRACTS;
        cfg.contracts_dir = f->cdir;
        cfg.quiet = 1;
        if (tk_localnet_open(&ln, &cfg) != TK_OK || tk_localnet_start(ln, url, cap) != TK_OK) {
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
    memset(url, 0, cap);
    n = read(fds[0], url, cap - 1);
    close(fds[0]);
    assert_true(n > 0);
    return pid;
}

/* kill -9 of a child running the chain, then a restart in this process */
static void test_kill9(void **state)
{
    fixture f;
    pid_t pid;
    char url[128] = {0};
    uint64_t height;
    json_t *out = NULL;
    (void)state;
    memset(&f, 0, sizeof f);
    make_home(&f);
    pid = spawn_chain(&f, 30, url, sizeof url);
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
    {
        char wal[192];
        struct stat st;
        snprintf(wal, sizeof wal, "%s/data/localnet.sqlite-wal", f.home);
        assert_int_equal(stat(wal, &st), 0); /* WAL mode; the log is replayed on open */
    }
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

/* kill -9 while blocks are being made from a stream of transactions: the restart finds a
 * consistent chain (head block, runtime state and contract state from the same block), the
 * transactions of the committed blocks (a prefix of the stream, since one key signed them in
 * nonce order) and nothing of the block that was cut off; the chain then goes on */
static void test_kill9_midblock(void **state)
{
    enum { N = 40 };
    fixture f;
    pid_t pid;
    char url[128], b64[1024], hash[64], args[64], cause[64];
    tk_near_action a;
    int present[N], seen_gap = 0;
    json_t *out = NULL;
    (void)state;
    memset(&f, 0, sizeof f);
    make_home(&f);
    pid = spawn_chain(&f, 2, url, sizeof url);
    {
        tk_nearrpc_config rc;
        memset(&rc, 0, sizeof rc);
        rc.url = url;
        rc.timeout_ms = 10000;
        assert_int_equal(tk_nearrpc_new(&f.rpc, &rc), TK_OK);
    }
    for (int i = 0; i < N; i++) {
        snprintf(args, sizeof args, "{\"key\":\"m%d\",\"value\":\"v%d\"}", i, i);
        a = call_action("put", args, 30);
        sign_tx_nonce(&f, b64, sizeof b64, hash, "test.near", f.root_sk, "c.test.near", &a, 1,
                      (uint64_t)i + 1000);
        assert_int_equal(tk_nearrpc_call_cause(f.rpc, &out, cause, sizeof cause,
                                               "broadcast_tx_async", json_pack("[s]", b64)),
                         TK_OK);
        json_decref(out);
        if (i == N / 2) {
            usleep(3000);
        }
    }
    assert_int_equal(kill(pid, SIGKILL), 0); /* blocks are being made: likely mid-block */
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    tk_nearrpc_free(f.rpc);
    f.rpc = NULL;
    open_chain(&f, -1);
    for (int i = 0; i < N; i++) {
        unsigned char *res = NULL;
        size_t len = 0;
        snprintf(args, sizeof args, "{\"key\":\"m%d\"}", i);
        assert_int_equal(
            tk_nearrpc_call_function(f.rpc, &res, &len, "c.test.near", "get", args, strlen(args)),
            TK_OK);
        present[i] = !(len == 4 && memcmp(res, "null", 4) == 0);
        free(res);
        if (!present[i]) {
            seen_gap = 1;
        }
        assert_false(present[i] && seen_gap);
    }
    /* the chain goes on: the key's nonce is the last committed transaction's */
    assert_int_equal(tk_localnet_produce_block(f.ln), TK_OK);
    a = call_action("put", "{\"key\":\"after\",\"value\":\"x\"}", 30);
    assert_int_equal(
        tk_nearrpc_transact(f.rpc, &out, "test.near", f.root_sk, "c.test.near", &a, 1, "NONE"),
        TK_OK);
    json_decref(out);
    assert_int_equal(tk_localnet_produce_block(f.ln), TK_OK);
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
        cmocka_unit_test(test_store),          cmocka_unit_test(test_chain),
        cmocka_unit_test(test_features),       cmocka_unit_test(test_kill9),
        cmocka_unit_test(test_kill9_midblock),
    };
    if (tk_init() != TK_OK) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
