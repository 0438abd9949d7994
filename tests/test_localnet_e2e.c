/*
 * End-to-end test of the teekeys contract flows on localnet (docs/localnet.md "Tests"): a chain
 * opened in-process from a home written by tk_localnet_init (blocks every 25 ms, yield timeout
 * 40 blocks; the DAO of genesis switched to development mode with the SIMULATED root of
 * src/attest), driven only through signed transactions and views over JSON-RPC with the C
 * client (src/nearrpc):
 *   1. the MPC signer stand-in gets its key by a DKG round (start_dkg, submit_dkg_commitment,
 *      finalize_dkg from test.near, its only participant); an account requests a key with a
 *      publicly verifiable app key made by src/ckd; the transaction waits on the yield while the
 *      participant reads get_pending_ckd_requests, computes its answer (src/ckd threshold math,
 *      one share, lambda 1) and calls respond_ckd; tk_ckd_unmask turns the outcome into the
 *      secret. A request nobody answers fails with the timeout after the yield timeout.
 *   2. DAO: the simulated quote's measurements approved by propose + vote; register_worker_key
 *      (the DAO calls the verifier contract); the worker's function-call key on the DAO account;
 *      request_key signed with that key, forwarded to the MPC signer and answered as in 1;
 *      register_binding forwarded to chain-keys and visible in get_bindings.
 *   3. the chain is closed and reopened on the same home: bindings, worker, measurements, the
 *      worker's key and the MPC key are still there, and the worker gets the same secret again.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "teekeys/attest.h"
#include "teekeys/attest_sim.h"
#include "teekeys/ckd.h"
#include "teekeys/ckd_threshold.h"
#include "teekeys/encoding.h"
#include "teekeys/localnet.h"
#include "teekeys/near.h"
#include "teekeys/nearrpc.h"
#include "util.h"

extern const near_method chain_keys_methods[];
extern const near_method verifier_methods[];
extern const near_method dao_methods[];
extern const near_method mpc_signer_methods[];
static const tk_localnet_contract contracts[] = {{"chain_keys", chain_keys_methods},
                                                 {"verifier", verifier_methods},
                                                 {"dao", dao_methods},
                                                 {"mpc_signer", mpc_signer_methods}};

#define ROOT       TK_LOCALNET_ROOT_ACCOUNT
#define DAO        TK_LOCALNET_DAO_ACCOUNT
#define MPC        TK_LOCALNET_MPC_ACCOUNT
#define CK         TK_LOCALNET_CHAIN_KEYS_ACCOUNT
#define ALICE      "alice.test.near"
#define SHARED     "teekeys/master/v1"
#define BLOCK_MS   25
#define YIELD      40 /* blocks: 1 s at BLOCK_MS */
#define TGAS       1000000000000ull
#define MILLI_NEAR "1000000000000000000000"

typedef struct {
    char home[64];
    char sim[96];
    unsigned char root_sk[64];
    tk_localnet *ln;
    tk_nearrpc *rpc;
    char url[128];
    tk_bls_scalar share; /* test.near's MPC share (the whole key: one participant) */
    tk_bls_g2 mpk;
} fixture;

/* ---- chain and client ---- */

static void make_home(fixture *f)
{
    char path[192], *dev_root;
    unsigned char *der = NULL;
    size_t der_len = 0;
    json_t *g, *key;
    const char *sk;
    tk_localnet_init_options o;
    assert_int_equal(test_tmpdir(f->home, sizeof f->home, "localnet-e2e"), 0);
    snprintf(f->sim, sizeof f->sim, "%s/sim", f->home);
    assert_int_equal(tk_attest_sim_init(f->sim), TK_OK);
    assert_int_equal(tk_attest_sim_root(&der, &der_len, f->sim), TK_OK);
    dev_root = malloc(2 * der_len + 1);
    assert_non_null(dev_root);
    assert_int_equal(tk_hex_encode(dev_root, 2 * der_len + 1, der, der_len), TK_OK);
    free(der);
    /* the genesis DAO in development mode, trusting the simulated root */
    memset(&o, 0, sizeof o);
    o.block_ms = BLOCK_MS;
    o.yield_timeout = YIELD;
    o.dao_dev_root_hex = dev_root;
    assert_int_equal(tk_localnet_init(f->home, &o), TK_OK);
    snprintf(path, sizeof path, "%s/genesis.json", f->home);
    g = json_load_file(path, 0, NULL);
    assert_non_null(g);
    {
        json_t *args = json_object_get(
            json_object_get(json_array_get(json_object_get(g, "contracts"), 3), "init"), "args");
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(g, "contracts"), 3), "account_id")),
                            DAO);
        assert_true(json_is_true(json_object_get(args, "dev_mode")));
        assert_string_equal(json_string_value(json_object_get(args, "dev_root")), dev_root);
    }
    json_decref(g);
    free(dev_root);
    snprintf(path, sizeof path, "%s/validator_key.json", f->home);
    key = json_load_file(path, 0, NULL);
    assert_non_null(key);
    sk = json_string_value(json_object_get(key, "secret_key"));
    assert_int_equal(tk_nearkey_decode(f->root_sk, 64, TK_NEARKEY_ED25519_SECRET, sk, strlen(sk)),
                     TK_OK);
    json_decref(key);
}

static tk_nearrpc *new_client(const char *url)
{
    tk_nearrpc *rpc = NULL;
    tk_nearrpc_config rc;
    memset(&rc, 0, sizeof rc);
    rc.url = url;
    rc.timeout_ms = 20000;
    assert_int_equal(tk_nearrpc_new(&rpc, &rc), TK_OK);
    return rpc;
}

static void open_chain(fixture *f)
{
    tk_localnet_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.home = f->home;
    cfg.rpc_addr = "127.0.0.1:0";
    cfg.wait_ms = 15000;
    cfg.contracts = contracts;
    cfg.n_contracts = sizeof contracts / sizeof contracts[0];
    cfg.quiet = 1;
    assert_int_equal(tk_localnet_open(&f->ln, &cfg), TK_OK);
    assert_int_equal(tk_localnet_start(f->ln, f->url, sizeof f->url), TK_OK);
    f->rpc = new_client(f->url);
}

static void close_chain(fixture *f)
{
    tk_nearrpc_free(f->rpc);
    f->rpc = NULL;
    tk_localnet_free(f->ln);
    f->ln = NULL;
}

/* ---- transactions and views ---- */

/* A decimal yoctoNEAR amount as the u128 little-endian bytes of an action. */
static void u128_dec(unsigned char out[16], const char *dec)
{
    unsigned __int128 v = 0;
    for (const char *p = dec; *p; p++) {
        assert_true(*p >= '0' && *p <= '9');
        v = v * 10 + (unsigned)(*p - '0');
    }
    for (int i = 0; i < 16; i++) {
        out[i] = (unsigned char)(v >> (8 * i));
    }
}

static tk_near_action call_action(const char *method, const char *args, uint64_t tgas,
                                  const char *deposit)
{
    tk_near_action a;
    memset(&a, 0, sizeof a);
    a.kind = TK_NEAR_ACTION_FUNCTION_CALL;
    a.method_name = (tk_near_bytes){(const unsigned char *)method, strlen(method)};
    a.args = (tk_near_bytes){(const unsigned char *)args, strlen(args)};
    a.gas = tgas * TGAS;
    u128_dec(a.amount, deposit ? deposit : "0");
    return a;
}

/* The outcome's SuccessValue as JSON (null when empty), or NULL (failure, or not JSON). */
static json_t *success_json(const json_t *out)
{
    const char *v =
        json_string_value(json_object_get(json_object_get(out, "status"), "SuccessValue"));
    unsigned char *buf;
    size_t n = 0;
    json_t *j = NULL;
    if (v == NULL) {
        return NULL;
    }
    buf = malloc(strlen(v) + 1);
    assert_non_null(buf);
    if (tk_base64_decode(buf, strlen(v) + 1, &n, v, strlen(v)) == TK_OK) {
        j = n == 0 ? json_null() : json_loadb((const char *)buf, n, JSON_DECODE_ANY, NULL);
    }
    free(buf);
    return j;
}

/* Signs and sends one function call (waits for every receipt); returns its SuccessValue as JSON
 * and fails the test, printing the status, if the transaction failed. */
static json_t *call_ok(tk_nearrpc *rpc, const char *signer, const unsigned char sk[64],
                       const char *receiver, const char *method, const char *args, uint64_t tgas,
                       const char *deposit)
{
    tk_near_action a = call_action(method, args, tgas, deposit);
    json_t *out = NULL, *v;
    int rc = tk_nearrpc_transact(rpc, &out, signer, sk, receiver, &a, 1, "FINAL");
    if (rc != TK_OK) {
        fail_msg("%s.%s: %s", receiver, method, tk_errmsg());
    }
    v = success_json(out);
    if (v == NULL) {
        char *s = json_dumps(json_object_get(out, "status"), 0);
        fprintf(stderr, "%s.%s failed: %s\n", receiver, method, s ? s : "?");
        free(s);
    }
    assert_non_null(v);
    json_decref(out);
    return v;
}

/* call_ok with arguments packed by jansson (consumed). */
static json_t *call_json(tk_nearrpc *rpc, const char *signer, const unsigned char sk[64],
                         const char *receiver, const char *method, json_t *args, uint64_t tgas,
                         const char *deposit)
{
    char *text = json_dumps(args, JSON_COMPACT);
    json_t *v;
    assert_non_null(text);
    json_decref(args);
    v = call_ok(rpc, signer, sk, receiver, method, text, tgas, deposit);
    free(text);
    return v;
}

static json_t *view(tk_nearrpc *rpc, const char *account, const char *method, json_t *args)
{
    unsigned char *res = NULL;
    size_t n = 0;
    char *text = json_dumps(args, JSON_COMPACT);
    json_t *j;
    assert_non_null(text);
    json_decref(args);
    assert_int_equal(tk_nearrpc_call_function(rpc, &res, &n, account, method, text, strlen(text)),
                     TK_OK);
    free(text);
    j = json_loadb((const char *)res, n, JSON_DECODE_ANY, NULL);
    assert_non_null(j);
    free(res);
    return j;
}

/* ---- a transaction that waits (on its own client and thread) ---- */

typedef struct {
    const char *url, *signer, *receiver, *method;
    const unsigned char *sk;
    char *args;
    char deposit[48];
    uint64_t tgas;
    pthread_t thread;
    json_t *out;
    int rc;
    char err[256];
} waiting_call;

static void *waiting_run(void *arg)
{
    waiting_call *w = arg;
    tk_nearrpc *rpc = new_client(w->url);
    tk_near_action a = call_action(w->method, w->args, w->tgas, w->deposit);
    w->rc = tk_nearrpc_transact(rpc, &w->out, w->signer, w->sk, w->receiver, &a, 1, "FINAL");
    if (w->rc != TK_OK) {
        snprintf(w->err, sizeof w->err, "%s", tk_errmsg());
    }
    tk_nearrpc_free(rpc);
    return NULL;
}

static void waiting_start(waiting_call *w, const char *url, const char *signer,
                          const unsigned char sk[64], const char *receiver, const char *method,
                          char *args, uint64_t tgas, const char *deposit)
{
    memset(w, 0, sizeof *w);
    w->url = url;
    w->signer = signer;
    w->sk = sk;
    w->receiver = receiver;
    w->method = method;
    w->args = args;
    w->tgas = tgas;
    snprintf(w->deposit, sizeof w->deposit, "%s", deposit);
    assert_int_equal(pthread_create(&w->thread, NULL, waiting_run, w), 0);
}

/* Joins; returns the outcome (new reference). */
static json_t *waiting_join(waiting_call *w)
{
    assert_int_equal(pthread_join(w->thread, NULL), 0);
    free(w->args);
    if (w->rc != TK_OK) {
        fail_msg("%s.%s: %s", w->receiver, w->method, w->err);
    }
    return w->out;
}

/* ---- the MPC participant ---- */

static char *g1_string(const tk_bls_g1 *p)
{
    static char s[4][TK_CKD_POINT_STRING_MAX];
    static int next;
    char *out = s[next++ % 4];
    assert_int_equal(tk_ckd_g1_format(out, TK_CKD_POINT_STRING_MAX, p), TK_OK);
    return out;
}

static char *g2_string(const tk_bls_g2 *p)
{
    static char s[4][TK_CKD_POINT_STRING_MAX];
    static int next;
    char *out = s[next++ % 4];
    assert_int_equal(tk_ckd_g2_format(out, TK_CKD_POINT_STRING_MAX, p), TK_OK);
    return out;
}

/* A DKG round of one dealer (test.near, threshold 1) gives domain 0 its key; f->share is
 * test.near's share f(1), which for t = 1 is the key itself. */
static void mpc_dkg(fixture *f)
{
    tk_ckd_poly *poly = NULL;
    tk_bls_g2 commit, pk;
    json_t *v;
    const char *pks;
    assert_int_equal(tk_ckd_poly_new(&poly, 1, NULL), TK_OK);
    assert_int_equal(tk_ckd_poly_commit(&commit, 1, poly), TK_OK);
    assert_int_equal(tk_ckd_poly_eval(&f->share, poly, 1), TK_OK);
    tk_ckd_poly_free(poly);
    json_decref(call_json(
        f->rpc, ROOT, f->root_sk, MPC, "start_dkg",
        json_pack("{s:i,s:[s],s:i}", "domain_id", 0, "participants", ROOT, "threshold", 1), 50,
        NULL));
    json_decref(call_json(
        f->rpc, ROOT, f->root_sk, MPC, "submit_dkg_commitment",
        json_pack("{s:i,s:[s]}", "domain_id", 0, "commitments", g2_string(&commit)), 50, NULL));
    json_decref(call_json(f->rpc, ROOT, f->root_sk, MPC, "finalize_dkg",
                          json_pack("{s:i}", "domain_id", 0), 100, NULL));
    v = view(f->rpc, MPC, "public_key", json_pack("{s:i}", "domain_id", 0));
    pks = json_string_value(v);
    assert_non_null(pks);
    assert_int_equal(tk_ckd_g2_parse(&pk, pks, strlen(pks)), TK_OK);
    assert_true(tk_bls_g2_eq(&pk, &commit)); /* pk = the one dealer's a_0·G2 */
    f->mpk = pk;
    json_decref(v);
}

/* Waits until the MPC signer holds a request from `requester` for `path`; checks its app_id and
 * hash point against src/ckd's and answers it with respond_ckd as test.near (the only
 * participant: lambda = 1). */
static void mpc_answer(fixture *f, const char *requester, const char *path)
{
    unsigned char app_id[TK_CKD_APP_ID_LEN];
    char app_id_hex[2 * TK_CKD_APP_ID_LEN + 1], resp[TK_CKD_RESPONSE_JSON_MAX], *args;
    const json_t *req = NULL, *r;
    json_t *list = NULL;
    tk_bls_g1 h_mine, h_chain, app_pk;
    tk_bls_scalar lambda;
    tk_ckd_partial part;
    uint32_t id1 = 1;
    size_t i, resp_len = 0;
    const char *s;
    for (int tries = 0; req == NULL && tries < 1000; tries++) {
        json_decref(list);
        list = view(f->rpc, MPC, "get_pending_ckd_requests", json_object());
        json_array_foreach(list, i, r)
        {
            if (strcmp(json_string_value(json_object_get(r, "requester")), requester) == 0) {
                req = r;
            }
        }
        if (req == NULL) {
            usleep(10000);
        }
    }
    assert_non_null(req);
    assert_string_equal(json_string_value(json_object_get(req, "derivation_path")), path);
    assert_string_equal(json_string_value(json_object_get(req, "form")), "AppPublicKeyPV");
    assert_int_equal(tk_ckd_app_id(app_id, requester, path), TK_OK);
    assert_int_equal(tk_hex_encode(app_id_hex, sizeof app_id_hex, app_id, sizeof app_id), TK_OK);
    assert_string_equal(json_string_value(json_object_get(req, "app_id")), app_id_hex);
    assert_int_equal(tk_ckd_hash_point(&h_mine, &f->mpk, app_id), TK_OK);
    s = json_string_value(json_object_get(req, "hash_point"));
    assert_int_equal(tk_ckd_g1_parse(&h_chain, s, strlen(s)), TK_OK);
    assert_true(tk_bls_g1_eq(&h_mine, &h_chain));
    s = json_string_value(json_object_get(req, "app_pk1"));
    assert_int_equal(tk_ckd_g1_parse(&app_pk, s, strlen(s)), TK_OK);
    /* the node's partial with lambda 1 is the whole answer (Y, C) = (y·G1, msk·H + y·A) */
    assert_int_equal(tk_ckd_lagrange_at_zero(&lambda, &id1, 1, 1), TK_OK);
    assert_int_equal(tk_ckd_partial_compute(&part, &f->share, &lambda, &h_mine, &app_pk), TK_OK);
    assert_int_equal(tk_ckd_response_json(resp, sizeof resp, &resp_len, &part.big_y, &part.big_c),
                     TK_OK);
    assert_true(asprintf(&args, "{\"request_id\":%lld,\"response\":%s}",
                         (long long)json_integer_value(json_object_get(req, "id")), resp) > 0);
    json_decref(call_ok(f->rpc, ROOT, f->root_sk, MPC, "respond_ckd", args, 50, NULL));
    free(args);
    json_decref(list);
}

/* The requester's outcome {big_y, big_c} unmasked with its key pair. Out: secret. */
static void unmask(unsigned char secret[TK_CKD_SECRET_LEN], const fixture *f, const json_t *out,
                   const tk_ckd_keypair *kp, const char *requester, const char *path)
{
    json_t *v = success_json(out);
    char *text;
    unsigned char app_id[TK_CKD_APP_ID_LEN];
    tk_bls_g1 y, c;
    if (v == NULL) {
        text = json_dumps(json_object_get(out, "status"), 0);
        fail_msg("the CKD request did not succeed: %s", text ? text : "?");
    }
    text = json_dumps(v, JSON_COMPACT);
    assert_non_null(text);
    assert_int_equal(tk_ckd_response_parse(&y, &c, text, strlen(text)), TK_OK);
    assert_int_equal(tk_ckd_app_id(app_id, requester, path), TK_OK);
    assert_int_equal(tk_ckd_unmask(secret, kp, &f->mpk, app_id, &y, &c), TK_OK);
    free(text);
    json_decref(v);
}

/* ---- part 1: CKD through the MPC signer stand-in ---- */

static void ckd_direct(fixture *f)
{
    unsigned char alice_pk[32], alice_sk[64], secret[TK_CKD_SECRET_LEN];
    char req[TK_CKD_REQUEST_JSON_MAX], *args;
    size_t req_len = 0;
    tk_ckd_keypair *kp = NULL;
    tk_near_action a[3];
    waiting_call w;
    json_t *out = NULL, *v;
    char *status;

    /* alice.test.near: a new account with a full-access key */
    crypto_sign_keypair(alice_pk, alice_sk);
    memset(a, 0, sizeof a);
    a[0].kind = TK_NEAR_ACTION_CREATE_ACCOUNT;
    a[1].kind = TK_NEAR_ACTION_TRANSFER;
    u128_dec(a[1].amount, "10000000000000000000000000");
    a[2].kind = TK_NEAR_ACTION_ADD_KEY;
    a[2].public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(a[2].public_key.data, alice_pk, 32);
    a[2].full_access = 1;
    assert_int_equal(tk_nearrpc_transact(f->rpc, &out, ROOT, f->root_sk, ALICE, a, 3, NULL), TK_OK);
    assert_non_null(json_object_get(json_object_get(out, "status"), "SuccessValue"));
    json_decref(out);

    /* answered: the request waits on the yield until test.near responds */
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    assert_int_equal(tk_ckd_request_json(req, sizeof req, &req_len, kp, "e2e", 0), TK_OK);
    args = strdup(req);
    assert_non_null(args);
    waiting_start(&w, f->url, ALICE, alice_sk, MPC, "request_app_private_key", args, 100, "1");
    mpc_answer(f, ALICE, "e2e");
    out = waiting_join(&w);
    unmask(secret, f, out, kp, ALICE, "e2e");
    json_decref(out);
    tk_ckd_keypair_free(kp);
    sodium_memzero(secret, sizeof secret);

    /* unanswered: fails after the yield timeout, and the request is gone */
    assert_int_equal(tk_ckd_keypair_new(&kp), TK_OK);
    assert_int_equal(tk_ckd_request_json(req, sizeof req, &req_len, kp, "nobody answers", 0),
                     TK_OK);
    {
        tk_near_action c = call_action("request_app_private_key", req, 100, "1");
        uint64_t h0 = tk_localnet_height(f->ln);
        assert_int_equal(tk_nearrpc_transact(f->rpc, &out, ALICE, alice_sk, MPC, &c, 1, "FINAL"),
                         TK_OK);
        assert_true(tk_localnet_height(f->ln) >= h0 + YIELD);
    }
    assert_non_null(json_object_get(json_object_get(out, "status"), "Failure"));
    status = json_dumps(json_object_get(out, "status"), 0);
    assert_non_null(strstr(status, "CKD request timed out"));
    free(status);
    json_decref(out);
    tk_ckd_keypair_free(kp);
    v = view(f->rpc, MPC, "get_pending_ckd_requests", json_object());
    assert_int_equal(json_array_size(v), 0);
    json_decref(v);
}

/* ---- part 2: DAO worker registration, request_key and register_binding ---- */

typedef struct {
    unsigned char pk[32], sk[64];
    char pkstr[TK_NEARKEY_MAX_LEN];
    tk_ckd_keypair *app;
    json_t *app_json; /* {pk1, pk2} */
} worker;

static json_t *measurements_of(const unsigned char *quote, size_t quote_len)
{
    static const char *const names[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};
    tk_attest_quote q;
    json_t *m = json_object();
    char h[2 * TK_ATTEST_MR_LEN + 1];
    assert_int_equal(tk_attest_quote_parse(&q, quote, quote_len), TK_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(
            tk_hex_encode(h, sizeof h, i == 0 ? q.td.mrtd : q.td.rtmr[i - 1], TK_ATTEST_MR_LEN),
            TK_OK);
        json_object_set_new(m, names[i], json_string(h));
    }
    return m;
}

/* register_worker_key's arguments: a simulated quote whose report_data binds the worker key,
 * the DAO, the block height and the app key (tk_attest_report_data_register). Out: *measurements
 * (new reference). */
static char *registration(fixture *f, const worker *wk, json_t **measurements)
{
    unsigned char rd[TK_ATTEST_REPORT_DATA_LEN], pk1[TK_BLS_G1_COMPRESSED],
        pk2[TK_BLS_G2_COMPRESSED];
    uint64_t height = tk_localnet_height(f->ln);
    tk_attest_evidence ev = {0};
    tk_bls_g1 a1;
    tk_bls_g2 a2;
    char *quote_hex, *coll = NULL, *text;
    json_t *args;
    tk_ckd_keypair_public(&a1, &a2, wk->app);
    tk_bls_g1_compress(pk1, &a1);
    tk_bls_g2_compress(pk2, &a2);
    assert_int_equal(tk_attest_report_data_register(rd, wk->pk, DAO, height, pk1, pk2), TK_OK);
    assert_int_equal(tk_attest_sim_quote(&ev, f->sim, rd), TK_OK);
    quote_hex = malloc(2 * ev.quote_len + 1);
    assert_non_null(quote_hex);
    assert_int_equal(tk_hex_encode(quote_hex, 2 * ev.quote_len + 1, ev.quote, ev.quote_len), TK_OK);
    *measurements = measurements_of(ev.quote, ev.quote_len);
    tk_attest_evidence_free(&ev);
    assert_int_equal(tk_attest_sim_collateral(&coll, f->sim, (int64_t)time(NULL)), TK_OK);
    args = json_pack("{s:s,s:s,s:o,s:I,s:O}", "public_key", wk->pkstr, "quote_hex", quote_hex,
                     "collateral", json_loads(coll, 0, NULL), "block_height", (json_int_t)height,
                     "app_public_key", wk->app_json);
    assert_non_null(args);
    text = json_dumps(args, JSON_COMPACT);
    assert_non_null(text);
    json_decref(args);
    free(quote_hex);
    free(coll);
    return text;
}

static int has_worker_key(tk_nearrpc *rpc, const char *pkstr)
{
    json_t *list = NULL;
    const json_t *k;
    size_t i;
    int found = 0;
    assert_int_equal(tk_nearrpc_view_access_key_list(rpc, &list, DAO), TK_OK);
    json_array_foreach(json_object_get(list, "keys"), i, k)
    {
        const json_t *fc;
        if (strcmp(json_string_value(json_object_get(k, "public_key")), pkstr) != 0) {
            continue;
        }
        fc = json_object_get(json_object_get(json_object_get(k, "access_key"), "permission"),
                             "FunctionCall");
        assert_non_null(fc);
        assert_string_equal(json_string_value(json_object_get(fc, "receiver_id")), DAO);
        assert_string_equal(
            json_string_value(json_array_get(json_object_get(fc, "method_names"), 0)),
            "request_key");
        assert_string_equal(
            json_string_value(json_array_get(json_object_get(fc, "method_names"), 1)),
            "register_binding");
        found = 1;
    }
    json_decref(list);
    return found;
}

/* The worker asks for the shared master key with its function-call key on the DAO account; the
 * DAO forwards to the MPC signer, test.near answers. Out: the unmasked secret. */
static void worker_request_key(fixture *f, const worker *wk,
                               unsigned char secret[TK_CKD_SECRET_LEN])
{
    waiting_call w;
    json_t *out;
    char *args = NULL;
    json_t *a = json_pack("{s:{s:O}}", "app_public_key", "AppPublicKeyPV", wk->app_json);
    args = json_dumps(a, JSON_COMPACT);
    assert_non_null(args);
    json_decref(a);
    waiting_start(&w, f->url, DAO, wk->sk, DAO, "request_key", args, 200, "0");
    mpc_answer(f, DAO, SHARED); /* the DAO is the requester, the path the shared set's */
    out = waiting_join(&w);
    unmask(secret, f, out, wk->app, DAO, SHARED);
    json_decref(out);
}

static void dao_worker(fixture *f, worker *wk, unsigned char secret[TK_CKD_SECRET_LEN],
                       json_t **binding)
{
    json_t *cfg, *v, *m = NULL, *bindings;
    char *args, deposit[48], bound_pk[TK_NEARKEY_MAX_LEN], bound_hex[65];
    unsigned char bpk[32], bsk[64];
    tk_bls_g1 a1;
    tk_bls_g2 a2;

    cfg = view(f->rpc, DAO, "get_config", json_object());
    assert_true(json_is_true(json_object_get(cfg, "dev_mode")));
    snprintf(deposit, sizeof deposit, "%s",
             json_string_value(json_object_get(cfg, "worker_deposit")));
    json_decref(cfg);

    crypto_sign_keypair(wk->pk, wk->sk);
    assert_int_equal(
        tk_nearkey_encode(wk->pkstr, sizeof wk->pkstr, TK_NEARKEY_ED25519_PUBLIC, wk->pk, 32),
        TK_OK);
    assert_int_equal(tk_ckd_keypair_new(&wk->app), TK_OK);
    tk_ckd_keypair_public(&a1, &a2, wk->app);
    wk->app_json = json_pack("{s:s,s:s}", "pk1", g1_string(&a1), "pk2", g2_string(&a2));

    /* the worker's registration (its quote binds the block height, which must stay within the
     * DAO's block_window), and the quote's measurements approved: a member proposes and votes
     * (threshold 1) */
    args = registration(f, wk, &m);
    v = call_json(
        f->rpc, ROOT, f->root_sk, DAO, "propose",
        json_pack("{s:s,s:O,s:s}", "kind", "add_measurement", "measurements", m, "mode", "shared"),
        50, NULL);
    assert_string_equal(json_string_value(json_object_get(v, "status")), "open");
    {
        json_int_t id = json_integer_value(json_object_get(v, "id"));
        json_decref(v);
        v = call_json(f->rpc, ROOT, f->root_sk, DAO, "vote",
                      json_pack("{s:I,s:b}", "proposal_id", id, "approve", 1), 50, NULL);
    }
    assert_string_equal(json_string_value(json_object_get(v, "status")), "approved");
    json_decref(v);
    v = view(f->rpc, DAO, "is_approved", json_pack("{s:O}", "measurements", m));
    assert_true(json_is_true(v));
    json_decref(v);

    /* register the worker: the DAO calls the verifier, its callback adds the worker's
     * function-call key */
    assert_false(has_worker_key(f->rpc, wk->pkstr));
    v = call_ok(f->rpc, ROOT, f->root_sk, DAO, "register_worker_key", args, 300, deposit);
    free(args);
    if (!json_is_true(json_object_get(v, "registered"))) {
        fail_msg("register_worker_key: %s", json_string_value(json_object_get(v, "reason")));
    }
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "worker"), "mode")),
                        "shared");
    assert_true(json_equal(json_object_get(json_object_get(v, "worker"), "measurements"), m));
    json_decref(v);
    json_decref(m);
    assert_true(has_worker_key(f->rpc, wk->pkstr));

    /* request_key through the DAO to the MPC signer */
    worker_request_key(f, wk, secret);

    /* register_binding through the DAO to chain-keys (test.near pays the storage) */
    json_decref(call_ok(f->rpc, ROOT, f->root_sk, CK, "storage_deposit", "{}", 50,
                        "100000000000000000000000"));
    crypto_sign_keypair(bpk, bsk);
    sodium_memzero(bsk, sizeof bsk);
    assert_int_equal(
        tk_nearkey_encode(bound_pk, sizeof bound_pk, TK_NEARKEY_ED25519_PUBLIC, bpk, 32), TK_OK);
    assert_int_equal(tk_hex_encode(bound_hex, sizeof bound_hex, bpk, 32), TK_OK);
    v = call_json(f->rpc, DAO, wk->sk, DAO, "register_binding",
                  json_pack("{s:s,s:s,s:s,s:s}", "account_id", ROOT, "family", "near", "path",
                            "main", "public_key", bound_pk),
                  200, NULL);
    assert_string_equal(json_string_value(json_object_get(v, "address")), bound_hex);
    json_decref(v);
    bindings = view(f->rpc, CK, "get_bindings", json_pack("{s:s}", "account_id", ROOT));
    assert_int_equal(json_array_size(bindings), 1);
    v = json_array_get(bindings, 0);
    assert_string_equal(json_string_value(json_object_get(v, "public_key")), bound_pk);
    assert_string_equal(json_string_value(json_object_get(v, "address")), bound_hex);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "tee_attestation"), "worker")),
        wk->pkstr);
    *binding = bindings;
}

/* ---- the test ---- */

static void test_e2e(void **state)
{
    fixture f;
    worker wk;
    unsigned char secret[TK_CKD_SECRET_LEN], again[TK_CKD_SECRET_LEN];
    json_t *bindings = NULL, *worker_rec, *v;
    (void)state;
    memset(&f, 0, sizeof f);
    memset(&wk, 0, sizeof wk);
    make_home(&f);
    open_chain(&f);

    mpc_dkg(&f);
    ckd_direct(&f);
    dao_worker(&f, &wk, secret, &bindings);
    worker_rec = view(f.rpc, DAO, "get_worker", json_pack("{s:s}", "public_key", wk.pkstr));
    assert_true(json_is_object(worker_rec));

    /* part 3: stop, reopen the same home */
    close_chain(&f);
    open_chain(&f);
    v = view(f.rpc, CK, "get_bindings", json_pack("{s:s}", "account_id", ROOT));
    assert_true(json_equal(v, bindings));
    json_decref(v);
    v = view(f.rpc, DAO, "get_worker", json_pack("{s:s}", "public_key", wk.pkstr));
    assert_true(json_equal(v, worker_rec));
    json_decref(v);
    v = view(f.rpc, DAO, "get_measurements", json_object());
    assert_int_equal(json_array_size(v), 1);
    json_decref(v);
    assert_true(has_worker_key(f.rpc, wk.pkstr));
    /* the worker's key, the DAO and the MPC key still work: the same master secret again */
    worker_request_key(&f, &wk, again);
    assert_memory_equal(secret, again, sizeof secret);

    sodium_memzero(secret, sizeof secret);
    sodium_memzero(again, sizeof again);
    sodium_memzero(&f.share, sizeof f.share);
    sodium_memzero(wk.sk, sizeof wk.sk);
    tk_ckd_keypair_free(wk.app);
    json_decref(wk.app_json);
    json_decref(bindings);
    json_decref(worker_rec);
    close_chain(&f);
    test_rmdir(f.home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e2e),
    };
    if (sodium_init() < 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
