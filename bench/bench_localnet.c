/*
 * localnet throughput: signed transfer transactions per second (decode, signature, pool, one
 * SQLite transaction per block of 100) and view calls per second (call_function on nearvm_test),
 * each through the JSON-RPC handler in-process and over HTTP (the nearrpc client), against
 * baselines in the same run: the nearvm runtime alone on its in-memory store, and on the SQLite
 * store with one transaction per block (no RPC, no signatures, no block records).
 * Usage: bench_localnet [seconds-per-view-measure] (default 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bench.h"
#include "teekeys/encoding.h"
#include "teekeys/localnet.h"
#include "teekeys/near.h"
#include "teekeys/nearrpc.h"

extern const near_method nearvm_test_methods[];
static const tk_localnet_contract contracts[] = {{"nearvm_test", nearvm_test_methods}};

#define N_TX  3000
#define BLOCK 100

typedef struct {
    tk_localnet *ln;
    tk_nearrpc *rpc;
    tk_nearvm *vm;
} ctx;

static char **sign_all(const unsigned char sk[64], const unsigned char block_hash[32],
                       uint64_t first_nonce)
{
    char **out = calloc(N_TX, sizeof *out);
    tk_near_tx *tx = calloc(1, sizeof *tx);
    if (out == NULL || tx == NULL) {
        abort();
    }
    tx->signer_id = (tk_near_bytes){(const unsigned char *)"test.near", 9};
    tx->receiver_id = (tk_near_bytes){(const unsigned char *)"c.test.near", 11};
    tx->public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(tx->public_key.data, sk + 32, 32);
    memcpy(tx->block_hash, block_hash, 32);
    tx->n_actions = 1;
    tx->actions[0].kind = TK_NEAR_ACTION_TRANSFER;
    tx->actions[0].amount[0] = 1;
    for (size_t i = 0; i < N_TX; i++) {
        unsigned char raw[512], st[600], h[32];
        size_t raw_len = 0, st_len = 0, n = 0;
        char b64[1024];
        tx->nonce = first_nonce + i;
        if (tk_near_tx_encode_var(raw, sizeof raw, &raw_len, tx) != TK_OK ||
            tk_near_sign_transaction(st, sizeof st, &st_len, h, sk, raw, raw_len) != TK_OK ||
            tk_base64_encode(b64, sizeof b64, &n, st, st_len) != TK_OK) {
            abort();
        }
        out[i] = malloc(n + 128);
        snprintf(out[i], n + 128,
                 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"broadcast_tx_async\",\"params\":"
                 "[\"%s\"]}",
                 b64);
    }
    free(tx);
    return out;
}

static double txs_in_process(tk_localnet *ln, char **reqs)
{
    double t0 = bench_now();
    for (size_t i = 0; i < N_TX; i++) {
        char *out = NULL;
        int status;
        if (tk_localnet_rpc(ln, &out, &status, reqs[i], strlen(reqs[i])) != TK_OK ||
            strstr(out, "\"result\"") == NULL) {
            fprintf(stderr, "refused: %s\n", out ? out : tk_errmsg());
            abort();
        }
        free(out);
        if ((i + 1) % BLOCK == 0 && tk_localnet_produce_block(ln) != TK_OK) {
            abort();
        }
    }
    return N_TX / (bench_now() - t0);
}

static double txs_http(tk_localnet *ln, tk_nearrpc *rpc, char **reqs)
{
    double t0 = bench_now();
    for (size_t i = 0; i < N_TX; i++) {
        json_t *req = json_loads(reqs[i], 0, NULL), *res = NULL;
        if (tk_nearrpc_call(rpc, &res, "broadcast_tx_async",
                            json_incref(json_object_get(req, "params"))) != TK_OK) {
            fprintf(stderr, "refused: %s\n", tk_errmsg());
            abort();
        }
        json_decref(res);
        json_decref(req);
        if ((i + 1) % BLOCK == 0 && tk_localnet_produce_block(ln) != TK_OK) {
            abort();
        }
    }
    return N_TX / (bench_now() - t0);
}

static void view_rpc(void *arg, unsigned long i)
{
    ctx *c = arg;
    static const char req[] =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"query\",\"params\":{\"request_type\":"
        "\"call_function\",\"finality\":\"final\",\"account_id\":\"c.test.near\",\"method_name\":"
        "\"info\",\"args_base64\":\"\"}}";
    char *out = NULL;
    int status;
    (void)i;
    if (tk_localnet_rpc(c->ln, &out, &status, req, sizeof req - 1) != TK_OK) {
        abort();
    }
    free(out);
}

static void view_http(void *arg, unsigned long i)
{
    ctx *c = arg;
    unsigned char *res = NULL;
    size_t n = 0;
    (void)i;
    if (tk_nearrpc_call_function(c->rpc, &res, &n, "c.test.near", "info", "", 0) != TK_OK) {
        abort();
    }
    free(res);
}

static void view_vm(void *arg, unsigned long i)
{
    ctx *c = arg;
    unsigned char *res = NULL;
    size_t n = 0;
    json_t *logs = NULL;
    (void)i;
    if (tk_nearvm_view_raw(c->vm, &res, &n, &logs, "c.test.near", "info", NULL, 0) != TK_OK) {
        abort();
    }
    free(res);
    json_decref(logs);
}

/* store: NULL for the in-memory store; else the SQLite store, with one enclosing transaction per
 * block of BLOCK as localnet makes them */
static double txs_vm(tk_nearvm *vm, const tk_nearvm_store *store)
{
    tk_nearvm_action a;
    tk_nearvm_signed_tx tx;
    double t0 = bench_now();
    memset(&a, 0, sizeof a);
    a.kind = TK_NEARVM_ACT_TRANSFER;
    a.deposit = 1;
    memset(&tx, 0, sizeof tx);
    tx.signer = "test.near";
    tx.public_key = "ed25519:11111111111111111111111111111112";
    tx.receiver = "c.test.near";
    tx.actions = &a;
    tx.n_actions = 1;
    for (size_t i = 0; i < N_TX; i++) {
        uint64_t id = 0;
        json_t *invalid = NULL;
        tx.nonce = i + 1;
        if (store != NULL && i % BLOCK == 0 && store->ops->begin(store->ctx) != TK_OK) {
            abort();
        }
        if (tk_nearvm_submit(vm, &id, &invalid, &tx) != TK_OK || invalid != NULL) {
            abort();
        }
        if ((i + 1) % BLOCK == 0) {
            if (tk_nearvm_advance(vm, 1) != TK_OK ||
                (store != NULL && store->ops->commit(store->ctx) != TK_OK)) {
                abort();
            }
            tk_nearvm_forget_finished(vm);
        }
    }
    return N_TX / (bench_now() - t0);
}

/* A runtime with test.near (a known key) and c.test.near (nearvm_test), on the in-memory store
 * (path NULL) or on a SQLite store at path (*store: a copy of it, owned by the VM). */
static int vm_chain(tk_nearvm **vm, tk_nearvm_store *store, const char *path)
{
    tk_nearvm_config vc;
    int rc;
    memset(&vc, 0, sizeof vc);
    if (path != NULL && (rc = tk_localnet_store_open(&vc.store, path)) != TK_OK) {
        return rc;
    }
    if (store != NULL) {
        *store = vc.store;
    }
    if ((rc = tk_nearvm_new(vm, &vc)) != TK_OK ||
        (rc = tk_nearvm_register_contract(*vm, "nearvm_test", nearvm_test_methods, 0)) != TK_OK ||
        (rc = tk_nearvm_create_account(*vm, "test.near", (tk_nearvm_u128)1 << 100, NULL)) !=
            TK_OK ||
        (rc = tk_nearvm_add_key(*vm, "test.near", "ed25519:11111111111111111111111111111112",
                                NULL)) != TK_OK ||
        (rc = tk_nearvm_create_account(*vm, "c.test.near", (tk_nearvm_u128)1 << 90,
                                       "nearvm_test")) != TK_OK) {
        return rc;
    }
    return TK_OK;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    char home[] = "/tmp/tk-bench-localnet-XXXXXX", path[128], url[128], *text, cmd[160];
    unsigned char sk[64], bh[32];
    tk_localnet_init_options o;
    tk_localnet_config cfg;
    tk_nearrpc_config rc;
    json_t *g, *key, *blk = NULL;
    const char *s;
    size_t n = 0;
    char **reqs, **reqs2;
    ctx c;
    double tx_rpc, tx_http, tx_vm, tx_sql, v_rpc, v_http, v_vm;
    tk_nearvm *vm_sql = NULL;
    tk_nearvm_store sql_store;
    if (tk_init() != TK_OK || mkdtemp(home) == NULL) {
        return 1;
    }
    memset(&o, 0, sizeof o);
    o.bare = 1; /* nearvm_test only */
    if (tk_localnet_init(home, &o) != TK_OK) {
        return 1;
    }
    snprintf(path, sizeof path, "%s/genesis.json", home);
    g = json_load_file(path, 0, NULL);
    json_array_append_new(
        json_object_get(g, "contracts"),
        json_pack("{s:s,s:s}", "account_id", "c.test.near", "contract", "nearvm_test"));
    text = json_dumps(g, 0);
    if (tk_file_write_atomic(path, text, strlen(text), 0644, 0) != TK_OK) {
        return 1;
    }
    free(text);
    json_decref(g);
    snprintf(path, sizeof path, "%s/validator_key.json", home);
    key = json_load_file(path, 0, NULL);
    s = json_string_value(json_object_get(key, "secret_key"));
    if (tk_nearkey_decode(sk, 64, TK_NEARKEY_ED25519_SECRET, s, strlen(s)) != TK_OK) {
        return 1;
    }
    json_decref(key);
    memset(&cfg, 0, sizeof cfg);
    cfg.home = home;
    cfg.rpc_addr = "127.0.0.1:0";
    cfg.block_ms = -1;
    cfg.contracts = contracts;
    cfg.n_contracts = 1;
    cfg.quiet = 1;
    memset(&c, 0, sizeof c);
    if (tk_localnet_open(&c.ln, &cfg) != TK_OK ||
        tk_localnet_start(c.ln, url, sizeof url) != TK_OK) {
        fprintf(stderr, "bench_localnet: %s\n", tk_errmsg());
        return 1;
    }
    memset(&rc, 0, sizeof rc);
    rc.url = url;
    if (tk_nearrpc_new(&c.rpc, &rc) != TK_OK ||
        tk_nearrpc_block(c.rpc, &blk, "final", 0, NULL) != TK_OK) {
        return 1;
    }
    s = json_string_value(json_object_get(json_object_get(blk, "header"), "hash"));
    if (tk_base58_decode(bh, 32, &n, s, strlen(s)) != TK_OK) {
        return 1;
    }
    json_decref(blk);
    reqs = sign_all(sk, bh, 1);
    reqs2 = sign_all(sk, bh, N_TX + 1);
    /* the baselines: the runtime alone, in memory and on the SQLite store (no RPC, no
     * signatures) */
    snprintf(path, sizeof path, "%s/runtime-only.sqlite", home);
    if (vm_chain(&c.vm, NULL, NULL) != TK_OK || vm_chain(&vm_sql, &sql_store, path) != TK_OK) {
        fprintf(stderr, "bench_localnet: %s\n", tk_errmsg());
        return 1;
    }
    tx_vm = txs_vm(c.vm, NULL);
    tx_sql = txs_vm(vm_sql, &sql_store);
    tx_rpc = txs_in_process(c.ln, reqs);
    tx_http = txs_http(c.ln, c.rpc, reqs2);
    v_vm = bench_run(view_vm, &c, secs);
    v_rpc = bench_run(view_rpc, &c, secs);
    v_http = bench_run(view_http, &c, secs);
    printf("localnet (%d signed transfers, blocks of %d, SQLite WAL in %s)\n", N_TX, BLOCK, home);
    printf("  transactions/s  runtime alone (baseline) %9.0f\n", tx_vm);
    printf("  transactions/s  runtime on SQLite        %9.0f  (%.2fx baseline)\n", tx_sql,
           tx_sql / tx_vm);
    printf("  transactions/s  JSON-RPC in-process      %9.0f  (%.2fx baseline)\n", tx_rpc,
           tx_rpc / tx_vm);
    printf("  transactions/s  JSON-RPC over HTTP       %9.0f  (%.2fx baseline)\n", tx_http,
           tx_http / tx_vm);
    printf("  view calls/s    runtime alone (baseline) %9.0f\n", v_vm);
    printf("  view calls/s    JSON-RPC in-process      %9.0f  (%.2fx baseline)\n", v_rpc,
           v_rpc / v_vm);
    printf("  view calls/s    JSON-RPC over HTTP       %9.0f  (%.2fx baseline)\n", v_http,
           v_http / v_vm);
    printf("  head height %llu\n", (unsigned long long)tk_localnet_height(c.ln));
    for (size_t i = 0; i < N_TX; i++) {
        free(reqs[i]);
        free(reqs2[i]);
    }
    free(reqs);
    free(reqs2);
    tk_nearrpc_free(c.rpc);
    tk_localnet_free(c.ln);
    tk_nearvm_free(c.vm);
    tk_nearvm_free(vm_sql);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    return system(cmd) == 0 ? 0 : 1;
}
