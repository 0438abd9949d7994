/*
 * NEAR JSON-RPC client tests against a scripted HTTP server that answers with nearcore's
 * response and error shapes: request bodies, typed results, error mapping (UNKNOWN_ACCOUNT,
 * INVALID_TRANSACTION, view-call failures), retries with backoff on transient errors, time-outs,
 * malformed responses and argument validation.
 */
#include <jansson.h>

#include "fake_http.h"
#include <sodium.h>

#include "teekeys/hash.h"
#include "teekeys/near.h"
#include "teekeys/nearrpc.h"
#include "util.h"

typedef struct {
    int transient_left; /* answer this many requests with a transient failure first */
    int mode;
    char last_body[4096];
    int ak_nonce;       /* the access key nonce view_access_key reports */
    int nonce_races;    /* answer this many send_tx with InvalidNonce (and bump ak_nonce) */
    char sent_tx[4096]; /* the last signed_tx_base64 received */
} script;

static void handler(fake_http_response *out, const char *method, const char *path, const char *body,
                    void *ctx)
{
    script *s = ctx;
    json_t *req = json_loads(body, 0, NULL);
    const char *m = json_string_value(json_object_get(req, "method"));
    json_t *params = json_object_get(req, "params");
    const char *rt = json_string_value(json_object_get(params, "request_type"));
    (void)method, (void)path;
    snprintf(s->last_body, sizeof s->last_body, "%s", body);
    if (s->transient_left > 0) {
        s->transient_left--;
        if (s->transient_left % 2) {
            out->status = 503;
            snprintf(out->body, sizeof out->body, "busy");
        } else {
            snprintf(
                out->body, sizeof out->body,
                "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"error\":{\"name\":\"HANDLER_ERROR\","
                "\"cause\":{\"name\":\"TIMEOUT_ERROR\",\"info\":{}},\"code\":-32000,"
                "\"message\":\"Server error\",\"data\":\"Timeout\"}}");
        }
        json_decref(req);
        return;
    }
    if (s->mode == 1) {
        out->delay_ms = 600;
    }
    if (s->mode == 2) {
        snprintf(out->body, sizeof out->body, "{not json");
    } else if (m && strcmp(m, "status") == 0) {
        snprintf(out->body, sizeof out->body,
                 "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"chain_id\":\"localnet\","
                 "\"sync_info\":{\"latest_block_height\":42}}}");
    } else if (rt && strcmp(rt, "view_account") == 0) {
        const char *acc = json_string_value(json_object_get(params, "account_id"));
        if (strcmp(acc, "alice.near") == 0) {
            snprintf(out->body, sizeof out->body,
                     "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"amount\":"
                     "\"1000000000000000000000000\",\"locked\":\"0\",\"code_hash\":"
                     "\"11111111111111111111111111111111\",\"storage_usage\":182,"
                     "\"block_height\":42,\"block_hash\":\"abc\"}}");
        } else {
            snprintf(
                out->body, sizeof out->body,
                "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"error\":{\"name\":\"HANDLER_ERROR\","
                "\"cause\":{\"name\":\"UNKNOWN_ACCOUNT\",\"info\":{\"requested_account_id\":"
                "\"%s\"}},\"code\":-32000,\"message\":\"Server error\",\"data\":\"account %s "
                "does not exist while viewing\"}}",
                acc, acc);
        }
    } else if (rt && strcmp(rt, "call_function") == 0) {
        const char *name = json_string_value(json_object_get(params, "method_name"));
        if (strcmp(name, "get") == 0) {
            /* "ok" = [34,111,107,34] */
            snprintf(
                out->body, sizeof out->body,
                "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"result\":[34,111,107,34],"
                "\"logs\":[],\"block_height\":42,\"block_hash\":\"abc\"}}");
        } else if (strcmp(name, "bad_bytes") == 0) {
            snprintf(out->body, sizeof out->body,
                     "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"result\":[1,256],"
                     "\"logs\":[]}}");
        } else {
            snprintf(out->body, sizeof out->body,
                     "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"error\":\"wasm "
                     "execution failed with error: MethodResolveError(MethodNotFound)\","
                     "\"logs\":[],\"block_height\":42,\"block_hash\":\"abc\"}}");
        }
    } else if (rt && strcmp(rt, "view_access_key") == 0) {
        snprintf(out->body, sizeof out->body,
                 "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"nonce\":%d,"
                 "\"permission\":\"FullAccess\",\"block_height\":42,\"block_hash\":\"x\"}}",
                 s->ak_nonce);
    } else if (m && strcmp(m, "block") == 0) {
        snprintf(out->body, sizeof out->body,
                 "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"header\":{\"height\":42,"
                 "\"hash\":\"EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k\"}}}");
    } else if (m && strcmp(m, "send_tx") == 0 && s->mode == 3) {
        snprintf(s->sent_tx, sizeof s->sent_tx, "%s",
                 json_string_value(json_object_get(params, "signed_tx_base64")));
        if (s->nonce_races > 0) {
            s->nonce_races--;
            s->ak_nonce += 5;
            snprintf(
                out->body, sizeof out->body,
                "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"error\":{\"name\":\"HANDLER_ERROR\","
                "\"cause\":{\"name\":\"INVALID_TRANSACTION\",\"info\":{}},\"code\":-32000,"
                "\"message\":\"Server error\",\"data\":{\"TxExecutionError\":{\"InvalidTxError\":"
                "{\"InvalidNonce\":{\"tx_nonce\":1,\"ak_nonce\":2}}}}}}");
        } else {
            snprintf(
                out->body, sizeof out->body,
                "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"final_execution_status\":"
                "\"EXECUTED_OPTIMISTIC\",\"status\":{\"SuccessValue\":\"\"}}}");
        }
    } else if (m && strcmp(m, "send_tx") == 0) {
        snprintf(out->body, sizeof out->body,
                 "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"error\":{\"name\":\"HANDLER_ERROR\","
                 "\"cause\":{\"name\":\"INVALID_TRANSACTION\",\"info\":{}},\"code\":-32000,"
                 "\"message\":\"Server error\",\"data\":{\"TxExecutionError\":{\"InvalidTxError\":"
                 "{\"InvalidNonce\":{\"tx_nonce\":5,\"ak_nonce\":7}}}}}}");
    } else {
        snprintf(out->body, sizeof out->body,
                 "{\"jsonrpc\":\"2.0\",\"id\":\"teekeys\",\"result\":{\"echo\":true}}");
    }
    json_decref(req);
}

static script sc;
static fake_http *srv;

static int setup(void **state)
{
    (void)state;
    srv = fake_http_start(handler, &sc);
    return srv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fake_http_stop(srv);
    return 0;
}

static tk_nearrpc *client(unsigned retries, long timeout_ms)
{
    tk_nearrpc *rpc;
    tk_nearrpc_config cfg = {fake_http_url(srv), timeout_ms, retries, 10};
    assert_int_equal(tk_nearrpc_new(&rpc, &cfg), TK_OK);
    memset(&sc, 0, sizeof sc);
    return rpc;
}

static void test_queries(void **state)
{
    tk_nearrpc *rpc = client(0, 2000);
    json_t *res = NULL;
    char cause[64];
    (void)state;
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_OK);
    assert_string_equal(json_string_value(json_object_get(res, "chain_id")), "localnet");
    json_decref(res);
    assert_non_null(strstr(sc.last_body, "\"method\":\"status\""));
    assert_non_null(strstr(sc.last_body, "\"jsonrpc\":\"2.0\""));
    assert_int_equal(tk_nearrpc_view_account(rpc, &res, "alice.near"), TK_OK);
    assert_string_equal(json_string_value(json_object_get(res, "amount")),
                        "1000000000000000000000000");
    json_decref(res);
    assert_non_null(strstr(sc.last_body, "\"finality\":\"final\""));
    assert_int_equal(tk_nearrpc_view_account(rpc, &res, "bob.near"), TK_ERR_NOT_FOUND);
    assert_null(res);
    assert_string_equal(tk_errmsg(),
                        "UNKNOWN_ACCOUNT: account bob.near does not exist while viewing");
    assert_int_equal(
        tk_nearrpc_call_cause(rpc, &res, cause, sizeof cause, "query",
                              json_pack("{s:s,s:s,s:s}", "request_type", "view_account",
                                        "account_id", "x.near", "finality", "final")),
        TK_ERR_NOT_FOUND);
    assert_string_equal(cause, "UNKNOWN_ACCOUNT");
    assert_int_equal(tk_nearrpc_attempts(rpc), 4);
    tk_nearrpc_free(rpc);
}

static void test_call_function(void **state)
{
    tk_nearrpc *rpc = client(0, 2000);
    unsigned char *out = NULL;
    size_t n;
    (void)state;
    assert_int_equal(tk_nearrpc_call_function(rpc, &out, &n, "c.near", "get", "{}", 2), TK_OK);
    assert_int_equal(n, 4);
    assert_string_equal((char *)out, "\"ok\"");
    free(out);
    assert_non_null(strstr(sc.last_body, "\"args_base64\":\"e30=\""));
    assert_int_equal(tk_nearrpc_call_function(rpc, &out, &n, "c.near", "nope", "", 0),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "MethodNotFound"));
    assert_null(out);
    assert_int_equal(tk_nearrpc_call_function(rpc, &out, &n, "c.near", "bad_bytes", "", 0),
                     TK_ERR_IO);
    tk_nearrpc_free(rpc);
}

static void test_transactions(void **state)
{
    tk_nearrpc *rpc = client(3, 2000);
    json_t *res = NULL;
    (void)state;
    assert_int_equal(tk_nearrpc_send_tx(rpc, &res, "AAAA", "FINAL"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "INVALID_TRANSACTION: "));
    assert_non_null(strstr(tk_errmsg(), "InvalidNonce"));
    assert_int_equal(tk_nearrpc_attempts(rpc), 1); /* not transient: no retry */
    assert_non_null(strstr(sc.last_body, "\"wait_until\":\"FINAL\""));
    assert_int_equal(tk_nearrpc_send_tx(rpc, &res, "AAAA", "SOON"), TK_ERR_INPUT);
    assert_int_equal(tk_nearrpc_attempts(rpc), 1); /* refused before sending */
    assert_int_equal(tk_nearrpc_tx_status(rpc, &res, "9abc", "alice.near", NULL), TK_OK);
    json_decref(res);
    assert_non_null(strstr(sc.last_body, "\"wait_until\":\"EXECUTED_OPTIMISTIC\""));
    assert_int_equal(tk_nearrpc_broadcast_tx_commit(rpc, &res, "AAAA"), TK_OK);
    json_decref(res);
    assert_non_null(strstr(sc.last_body, "\"params\":[\"AAAA\"]"));
    tk_nearrpc_free(rpc);
}

static void test_retries_and_timeouts(void **state)
{
    tk_nearrpc *rpc = client(3, 2000);
    json_t *res = NULL;
    (void)state;
    sc.transient_left = 3; /* 503, TIMEOUT_ERROR, 503, then success */
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_OK);
    json_decref(res);
    assert_int_equal(tk_nearrpc_attempts(rpc), 4);
    sc.transient_left = 10;
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "(after 4 attempts)"));
    tk_nearrpc_free(rpc);

    rpc = client(1, 150);
    sc.mode = 1; /* the server answers too late */
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "unreachable"));
    assert_int_equal(tk_nearrpc_attempts(rpc), 2);
    sc.mode = 2; /* garbage */
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_ERR_IO);
    tk_nearrpc_free(rpc);
}

/* Checks the last submitted SignedTransaction: nonce, block hash, signature over sha256(tx). */
static void check_sent(const unsigned char sk[64], uint64_t want_nonce)
{
    unsigned char raw[2048], h[32], want_hash[32];
    size_t n, wn;
    tk_near_tx *tx = NULL;
    assert_int_equal(tk_base64_decode(raw, sizeof raw, &n, sc.sent_tx, strlen(sc.sent_tx)), TK_OK);
    assert_true(n > 65);
    assert_int_equal(raw[n - 65], TK_NEAR_KEY_ED25519);
    assert_int_equal(tk_near_tx_decode_var(&tx, raw, n - 65), TK_OK);
    assert_int_equal(tx->nonce, want_nonce);
    assert_int_equal(tx->signer_id.len, strlen("alice.near"));
    assert_memory_equal(tx->public_key.data, sk + 32, 32);
    assert_int_equal(
        tk_base58_decode(want_hash, 32, &wn, "EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k", 44),
        TK_OK);
    assert_memory_equal(tx->block_hash, want_hash, 32);
    tk_sha256(h, raw, n - 65);
    assert_int_equal(crypto_sign_verify_detached(raw + n - 64, h, 32, sk + 32), 0);
    tk_near_tx_free(tx);
}

static void test_transact(void **state)
{
    tk_nearrpc *rpc = client(0, 2000);
    unsigned char seed[32] = {9}, pk[32], sk[64];
    tk_near_action transfer;
    json_t *out = NULL;
    (void)state;
    crypto_sign_seed_keypair(pk, sk, seed);
    memset(&transfer, 0, sizeof transfer);
    transfer.kind = TK_NEAR_ACTION_TRANSFER;
    transfer.amount[0] = 1;
    sc.mode = 3;
    sc.ak_nonce = 7;
    assert_int_equal(
        tk_nearrpc_transact(rpc, &out, "alice.near", sk, "bob.near", &transfer, 1, "FINAL"), TK_OK);
    assert_string_equal(json_string_value(json_object_get(out, "final_execution_status")),
                        "EXECUTED_OPTIMISTIC");
    json_decref(out);
    check_sent(sk, 8);
    /* a racing transaction took our nonce: re-read and retry once */
    sc.nonce_races = 1;
    assert_int_equal(
        tk_nearrpc_transact(rpc, &out, "alice.near", sk, "bob.near", &transfer, 1, NULL), TK_OK);
    json_decref(out);
    check_sent(sk, 13);
    /* ...but not forever */
    sc.nonce_races = 5;
    assert_int_equal(
        tk_nearrpc_transact(rpc, &out, "alice.near", sk, "bob.near", &transfer, 1, NULL),
        TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "InvalidNonce"));
    assert_int_equal(tk_nearrpc_transact(rpc, &out, "Alice", sk, "bob.near", &transfer, 1, NULL),
                     TK_ERR_INPUT);
    assert_int_equal(
        tk_nearrpc_transact(rpc, &out, "alice.near", sk, "bob.near", &transfer, 0, NULL),
        TK_ERR_INPUT);
    tk_nearrpc_free(rpc);
}

static void test_arguments(void **state)
{
    tk_nearrpc *rpc;
    tk_nearrpc_config cfg = {"ftp://example.org", 0, 0, 0};
    json_t *res;
    (void)state;
    assert_int_equal(tk_nearrpc_new(&rpc, &cfg), TK_ERR_INPUT);
    cfg.url = "http://127.0.0.1:1"; /* nothing listens there */
    assert_int_equal(tk_nearrpc_new(&rpc, &cfg), TK_OK);
    assert_int_equal(tk_nearrpc_status(rpc, &res), TK_ERR_IO);
    assert_int_equal(tk_nearrpc_view_account(rpc, &res, NULL), TK_ERR_ARG);
    tk_nearrpc_free(rpc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queries),      cmocka_unit_test(test_call_function),
        cmocka_unit_test(test_transactions), cmocka_unit_test(test_retries_and_timeouts),
        cmocka_unit_test(test_arguments),    cmocka_unit_test(test_transact),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
