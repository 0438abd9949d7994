/* Fuzzes localnet's JSON-RPC request handling and its transaction path on an in-memory chain
 * whose root account test.near runs nearvm_test: (0) the input as a request body; (1) the input as
 * the base64 of a SignedTransaction in send_tx / broadcast_tx_async / tx; (2) the input as a borsh
 * Transaction re-keyed to the root account's public test key, signed and submitted, with a block
 * every 8 inputs so admitted transactions run through the runtime (and a fresh chain every 20000
 * inputs, so memory stays bounded). Every answer must be one JSON-RPC
 * object with a result or an error and the request's id; nothing may crash or leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/localnet.h"
#include "teekeys/near.h"

extern const near_method nearvm_test_methods[];

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define RESTART_EVERY 20000

static tk_localnet *ln;
static unsigned char root_sk[64];
static unsigned long runs;

static void signed_tx(const unsigned char *p, size_t n);

/* Deploys nearvm_test on test.near itself (the root signs it), so fuzzed calls to test.near
 * reach a contract: the code is fake_wasm, known to the chain through a contracts dir that only
 * lives while the chain opens (it reads and hashes the files then). */
static const char fake_wasm[] = "\0asm fuzz stand-in for nearvm_test";

static void deploy_root_contract(void)
{
    tk_near_tx *tx = calloc(1, sizeof *tx);
    unsigned char raw[512];
    size_t len = 0;
    char *out = NULL;
    int status;
    json_t *j;
    const char *bh;
    static const char req[] =
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"block\",\"params\":{\"finality\":\"final\"}}";
    if (tx == NULL || tk_localnet_rpc(ln, &out, &status, req, strlen(req)) != TK_OK ||
        (j = json_loads(out, 0, NULL)) == NULL) {
        abort();
    }
    free(out);
    bh = json_string_value(
        json_object_get(json_object_get(json_object_get(j, "result"), "header"), "hash"));
    if (bh == NULL || tk_base58_decode(tx->block_hash, 32, &len, bh, strlen(bh)) != TK_OK) {
        abort();
    }
    json_decref(j);
    tx->signer_id = (tk_near_bytes){(const unsigned char *)TK_LOCALNET_ROOT_ACCOUNT, 9};
    tx->receiver_id = tx->signer_id;
    tx->nonce = 1;
    tx->n_actions = 1;
    tx->actions[0].kind = TK_NEAR_ACTION_DEPLOY_CONTRACT;
    tx->actions[0].code = (tk_near_bytes){(const unsigned char *)fake_wasm, sizeof fake_wasm - 1};
    if (tk_near_tx_encode_var(raw, sizeof raw, &len, tx) != TK_OK) {
        abort();
    }
    free(tx);
    signed_tx(raw, len); /* re-keyed to the root key and sent */
    if (tk_localnet_produce_block(ln) != TK_OK) {
        abort();
    }
    {
        static const char view[] =
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"query\",\"params\":{\"request_type\":"
            "\"call_function\",\"finality\":\"final\",\"account_id\":\"test.near\","
            "\"method_name\":\"get\",\"args_base64\":\"eyJrZXkiOiJrIn0=\"}}";
        if (tk_localnet_rpc(ln, &out, &status, view, strlen(view)) != TK_OK ||
            strstr(out, "\"result\":[") == NULL) { /* the contract answers */
            fprintf(stderr, "fuzz_localnet_rpc: deploy failed: %s\n", out ? out : "");
            abort();
        }
        free(out);
    }
}

static void setup(void)
{
    static const tk_localnet_contract contracts[] = {{"nearvm_test", nearvm_test_methods}};
    char dir[] = "/tmp/tk-fuzz-localnet-XXXXXX", path[64];
    tk_localnet_config cfg;
    unsigned char seed[32], pk[32];
    FILE *f;
    if (tk_init() != TK_OK || mkdtemp(dir) == NULL) {
        abort();
    }
    snprintf(path, sizeof path, "%s/nearvm_test.wasm", dir);
    if ((f = fopen(path, "wb")) == NULL || fwrite(fake_wasm, 1, sizeof fake_wasm - 1, f) == 0 ||
        fclose(f) != 0) {
        abort();
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.block_ms = -1;
    cfg.wait_ms = -1;
    cfg.contracts = contracts;
    cfg.n_contracts = 1;
    cfg.contracts_dir = dir;
    cfg.quiet = 1;
    if (tk_localnet_open(&ln, &cfg) != TK_OK) {
        abort();
    }
    (void)unlink(path);
    (void)rmdir(dir);
    tk_sha256(seed, TK_LOCALNET_MEMORY_SEED, strlen(TK_LOCALNET_MEMORY_SEED));
    crypto_sign_seed_keypair(pk, root_sk, seed);
    deploy_root_contract();
}

static void ask(const char *body, size_t len)
{
    char *out = NULL;
    int status = 0;
    json_t *j;
    if (tk_localnet_rpc(ln, &out, &status, body, len) != TK_OK) {
        abort();
    }
    j = json_loads(out, 0, NULL);
    if (j == NULL || json_object_get(j, "id") == NULL ||
        (json_object_get(j, "result") == NULL) == (json_object_get(j, "error") == NULL)) {
        fprintf(stderr, "bad answer: %s\n", out);
        abort();
    }
    json_decref(j);
    free(out);
}

static void ask_b64(const unsigned char *p, size_t n, unsigned sel)
{
    static const char *const forms[][2] = {
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send_tx\",\"params\":{\"signed_tx_base64\":\"",
         "\",\"wait_until\":\"NONE\"}}"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"broadcast_tx_async\",\"params\":[\"", "\"]}"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tx\",\"params\":{\"signed_tx_base64\":\"",
         "\",\"wait_until\":\"INCLUDED\"}}"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"EXPERIMENTAL_tx_status\",\"params\":[\"",
         "\"]}"}};
    size_t cap = tk_base64_encoded_len(n) + 1, len = 0;
    char *b64 = malloc(cap), *body;
    if (b64 == NULL || tk_base64_encode(b64, cap, &len, p, n) != TK_OK) {
        free(b64);
        return;
    }
    body = malloc(len + 256);
    if (body != NULL) {
        const char *pre = forms[sel % 4][0], *post = forms[sel % 4][1];
        size_t m = strlen(pre);
        memcpy(body, pre, m);
        memcpy(body + m, b64, len);
        memcpy(body + m + len, post, strlen(post));
        ask(body, m + len + strlen(post));
    }
    free(body);
    free(b64);
}

static void signed_tx(const unsigned char *p, size_t n)
{
    tk_near_tx *tx = NULL;
    unsigned char *raw = NULL, *st = NULL, hash[32];
    size_t raw_len = 0, st_len = 0;
    if (tk_near_tx_decode_var(&tx, p, n) != TK_OK) {
        return;
    }
    tx->signer_id = (tk_near_bytes){(const unsigned char *)TK_LOCALNET_ROOT_ACCOUNT, 9};
    tx->public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(tx->public_key.data, root_sk + 32, 32);
    if (tk_near_tx_encode_var(NULL, 0, &raw_len, tx) == TK_ERR_BUFFER &&
        (raw = malloc(raw_len)) != NULL && (st = malloc(raw_len + 65)) != NULL &&
        tk_near_tx_encode_var(raw, raw_len, &raw_len, tx) == TK_OK &&
        tk_near_sign_transaction(st, raw_len + 65, &st_len, hash, root_sk, raw, raw_len) == TK_OK) {
        ask_b64(st, st_len, 0);
    }
    free(st);
    free(raw);
    tk_near_tx_free(tx);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (ln == NULL) {
        setup();
    }
    if (size < 1) {
        return 0;
    }
    switch (data[0] % 3) {
    case 0:
        ask((const char *)data + 1, size - 1);
        break;
    case 1:
        ask_b64(data + 1, size - 1, data[0] / 3);
        break;
    default:
        signed_tx(data + 1, size - 1);
        break;
    }
    if (++runs % 8 == 0 && tk_localnet_produce_block(ln) != TK_OK) {
        abort();
    }
    if (runs % RESTART_EVERY == 0) { /* the chain only grows: start a fresh one now and then */
        tk_localnet_free(ln);
        ln = NULL;
    }
    return 0;
}
