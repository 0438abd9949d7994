/*
 * localnet JSON-RPC: parses one request body and answers it with nearcore's result and error
 * shapes (REQUEST_VALIDATION_ERROR / HANDLER_ERROR / INTERNAL_ERROR with a cause name and info,
 * code -32700/-32601/-32000, the legacy message and data). Methods: status, health,
 * network_info, validators, gas_price, block, query (view_account, view_code, view_state,
 * view_access_key, view_access_key_list, call_function), send_tx, broadcast_tx_async,
 * broadcast_tx_commit, tx, EXPERIMENTAL_tx_status, EXPERIMENTAL_genesis_config. It never trusts
 * the body: every field is type-checked, sizes are bounded, and nothing in it reaches SQL or a
 * format string. Waiting for a transaction releases the chain lock.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "teekeys/encoding.h"

typedef struct {
    json_t *result; /* success */
    json_t *error;  /* or the error object */
    int http;
} reply;

static void set_error(reply *r, const char *name, json_t *cause, int code, const char *message,
                      json_t *data)
{
    json_decref(r->result);
    r->result = NULL;
    json_decref(r->error);
    r->error = json_pack("{s:s,s:o,s:i,s:s,s:o}", "name", name, "cause", cause, "code", code,
                         "message", message, "data", data ? data : json_null());
}

/* An error text as a JSON string: messages may quote request bytes (jansson's "near '…'"),
 * which need not be UTF-8, so anything outside printable ASCII becomes '?'. */
static json_t *text_json(const char *msg)
{
    char buf[512];
    size_t i;
    for (i = 0; msg[i] != 0 && i < sizeof buf - 1; i++) {
        unsigned char c = (unsigned char)msg[i];
        buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[i] = 0;
    return json_string(buf);
}

static void parse_error(reply *r, const char *msg)
{
    set_error(
        r, "REQUEST_VALIDATION_ERROR",
        json_pack("{s:s,s:{s:o}}", "name", "PARSE_ERROR", "info", "error_message", text_json(msg)),
        -32700, "Parse error", text_json(msg));
}

static void handler_error(reply *r, const char *cause, json_t *info, const char *data)
{
    set_error(r, "HANDLER_ERROR", json_pack("{s:s,s:o}", "name", cause, "info", info), -32000,
              "Server error", data ? text_json(data) : NULL);
}

static void internal_error(reply *r, const char *msg)
{
    set_error(r, "INTERNAL_ERROR",
              json_pack("{s:s,s:{s:o}}", "name", "INTERNAL_ERROR", "info", "error_message",
                        text_json(msg)),
              -32000, "Server error", text_json(msg));
    r->http = 500;
}

static void invalid_tx(reply *r, json_t *invalid)
{
    set_error(r, "HANDLER_ERROR", json_pack("{s:s,s:{}}", "name", "INVALID_TRANSACTION", "info"),
              -32000, "Server error",
              json_pack("{s:{s:o}}", "TxExecutionError", "InvalidTxError", invalid));
}

static void timeout_error(reply *r)
{
    handler_error(r, "TIMEOUT_ERROR", json_object(), "Timeout");
    r->http = 408;
}

/* ---- block references ---- */

static json_t *hash_json(const unsigned char *h)
{
    char b[64];
    ln_b58(b, sizeof b, h, LN_HASH);
    return json_string(b);
}

/* Resolves {finality} / {block_id} / {sync_checkpoint}. Returns 1 with *height, or 0 with the
 * error set (parse error or UNKNOWN_BLOCK). */
static int block_ref(tk_localnet *ln, reply *r, uint64_t *height, const json_t *params,
                     int for_query)
{
    const json_t *fin = json_object_get(params, "finality");
    const json_t *bid = json_object_get(params, "block_id");
    const json_t *sc = json_object_get(params, "sync_checkpoint");
    if (bid != NULL && !json_is_null(bid)) {
        if (json_is_integer(bid) && json_integer_value(bid) >= 0) {
            *height = (uint64_t)json_integer_value(bid);
            if (*height >= 1 && *height <= ln->head_height) {
                return 1;
            }
        } else if (json_is_string(bid)) {
            unsigned char h[LN_HASH];
            size_t n = 0;
            const char *s = json_string_value(bid);
            if (tk_base58_decode(h, sizeof h, &n, s, strlen(s)) != TK_OK || n != LN_HASH) {
                parse_error(r, "block_id: not a block height or base58 hash");
                return 0;
            }
            if (ln_block_by_hash(ln, height, h) == TK_OK) {
                return 1;
            }
        } else {
            parse_error(r, "block_id: not a block height or base58 hash");
            return 0;
        }
        handler_error(r, "UNKNOWN_BLOCK",
                      for_query ? json_pack("{s:{s:O}}", "block_reference", "block_id", bid)
                                : json_object(),
                      "DB Not Found Error: BLOCK: unknown block");
        return 0;
    }
    if (json_is_string(fin)) {
        const char *f = json_string_value(fin);
        if (strcmp(f, "final") == 0 || strcmp(f, "optimistic") == 0 ||
            strcmp(f, "near-final") == 0) {
            *height = ln->head_height;
            return 1;
        }
        parse_error(r, "finality: unknown variant (expected optimistic, near-final or final)");
        return 0;
    }
    if (json_is_string(sc)) {
        const char *s = json_string_value(sc);
        if (strcmp(s, "genesis") == 0 || strcmp(s, "earliest_available") == 0) {
            *height = 1;
            return 1;
        }
    }
    parse_error(r, "missing field `finality` or `block_id`");
    return 0;
}

/* ---- status, block, gas price, validators ---- */

static void do_block(tk_localnet *ln, reply *r, const json_t *params)
{
    uint64_t h = 0;
    json_t *p = (json_t *)params, *tmp = NULL;
    if (json_is_array(params)) { /* ["hash" | height] */
        if (json_array_size(params) != 1) {
            parse_error(r, "block: expected one block id");
            return;
        }
        tmp = json_pack("{s:O}", "block_id", json_array_get(params, 0));
        p = tmp;
    } else if (!json_is_object(params)) {
        parse_error(r, "block: params must be an object");
        return;
    }
    if (block_ref(ln, r, &h, p, 0)) {
        r->result = ln_block_view(ln, h);
        if (r->result == NULL) {
            internal_error(r, "cannot read the block");
        }
    }
    json_decref(tmp);
}

static void do_gas_price(tk_localnet *ln, reply *r, const json_t *params)
{
    const json_t *id =
        json_is_array(params) ? json_array_get(params, 0) : json_object_get(params, "block_id");
    uint64_t h = 0;
    char price[24];
    if (id != NULL && !json_is_null(id)) {
        json_t *p = json_pack("{s:O}", "block_id", id);
        int ok = block_ref(ln, r, &h, p, 0);
        json_decref(p);
        if (!ok) {
            return;
        }
    }
    snprintf(price, sizeof price, "%llu", (unsigned long long)ln->gas_price);
    r->result = json_pack("{s:s}", "gas_price", price);
}

static void do_validators(tk_localnet *ln, reply *r)
{
    r->result =
        json_pack("{s:[{s:s,s:s,s:b,s:s,s:[i],s:I,s:I}],s:[],s:[],s:[],s:[],s:[],s:i,s:i}",
                  "current_validators", "account_id", ln->root, "public_key", ln->validator_pk,
                  "is_slashed", 0, "stake", "0", "shards", 0, "num_produced_blocks",
                  (json_int_t)ln->head_height, "num_expected_blocks", (json_int_t)ln->head_height,
                  "next_validators", "current_fishermen", "next_fishermen", "current_proposals",
                  "prev_epoch_kickout", "epoch_start_height", 1, "epoch_height", 1);
}

/* ---- query ---- */

static const char *str_field(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int account_field(reply *r, char out[65], const json_t *params)
{
    const char *id = str_field(params, "account_id");
    if (id == NULL || tk_near_account_check(id, strlen(id)) != TK_OK) {
        parse_error(r, "account_id: not a valid NEAR account id");
        return 0;
    }
    snprintf(out, 65, "%s", id);
    return 1;
}

static void unknown_account(tk_localnet *ln, reply *r, const char *id)
{
    char msg[128];
    snprintf(msg, sizeof msg, "account %s does not exist while viewing", id);
    handler_error(r, "UNKNOWN_ACCOUNT",
                  json_pack("{s:s,s:I,s:o}", "requested_account_id", id, "block_height",
                            (json_int_t)ln->head_height, "block_hash", hash_json(ln->head_hash)),
                  msg);
}

static void add_block(tk_localnet *ln, json_t *o)
{
    json_object_set_new(o, "block_height", json_integer((json_int_t)ln->head_height));
    json_object_set_new(o, "block_hash", hash_json(ln->head_hash));
}

static json_t *b64_json(const unsigned char *p, size_t n)
{
    size_t cap = tk_base64_encoded_len(n) + 1, len = 0;
    char *b = malloc(cap);
    json_t *j = NULL;
    if (b != NULL && tk_base64_encode(b, cap, &len, p, n) == TK_OK) {
        j = json_stringn(b, len);
    }
    free(b);
    return j;
}

/* Decodes a base64 string field (absent: empty). Returns 1, or 0 with a parse error. */
static int b64_field(reply *r, unsigned char **out, size_t *len, const json_t *v, size_t max,
                     const char *what)
{
    const char *s = json_string_value(v);
    size_t n;
    char msg[96];
    *out = NULL;
    *len = 0;
    if (v == NULL || json_is_null(v)) {
        *out = calloc(1, 1);
        return *out != NULL;
    }
    n = s ? json_string_length(v) : 0;
    if (s == NULL || n / 4 * 3 > max + 3) {
        snprintf(msg, sizeof msg, "%s: not base64 or too long", what);
        parse_error(r, msg);
        return 0;
    }
    *out = malloc(n / 4 * 3 + 4);
    if (*out == NULL || tk_base64_decode(*out, n / 4 * 3 + 4, len, s, n) != TK_OK) {
        free(*out);
        *out = NULL;
        snprintf(msg, sizeof msg, "%s: not base64", what);
        parse_error(r, msg);
        return 0;
    }
    (*out)[*len] = 0;
    return 1;
}

static void code_hash(tk_localnet *ln, char out[64], const char *contract)
{
    unsigned char h[LN_HASH];
    if (contract == NULL) {
        snprintf(out, 64, "11111111111111111111111111111111");
        return;
    }
    (void)ln_code_hash_of(ln, h, contract);
    ln_b58(out, 64, h, LN_HASH);
}

typedef struct {
    const unsigned char *prefix;
    size_t prefix_len;
    json_t *values;
    size_t bytes;
} state_walk;

static int on_state(void *arg, const unsigned char *key, size_t key_len, const unsigned char *val,
                    size_t val_len)
{
    state_walk *w = arg;
    if (key_len < w->prefix_len || memcmp(key, w->prefix, w->prefix_len) != 0) {
        return 0;
    }
    w->bytes += key_len + val_len;
    if (w->bytes > (50u << 20)) {
        return 1;
    }
    json_array_append_new(w->values, json_pack("{s:o,s:o}", "key", b64_json(key, key_len), "value",
                                               b64_json(val, val_len)));
    return 0;
}

/* nearcore's Debug text of a view failure, from the runtime's message. */
static void view_error_text(char *out, size_t cap, const char *msg, const char *account)
{
    static const char panic[] = "Smart contract panicked: ";
    if (strcmp(msg, "MethodNotFound") == 0 || strcmp(msg, "MethodEmptyName") == 0) {
        snprintf(out, cap,
                 "wasm execution failed with error: FunctionCallError(MethodResolveError(%s))",
                 msg);
    } else if (strncmp(msg, "cannot find contract code", 25) == 0) {
        snprintf(out, cap,
                 "wasm execution failed with error: FunctionCallError(CompilationError("
                 "CodeDoesNotExist { account_id: \"%s\" }))",
                 account);
    } else if (strncmp(msg, panic, sizeof panic - 1) == 0) {
        size_t n = (size_t)snprintf(out, cap,
                                    "wasm execution failed with error: FunctionCallError("
                                    "HostError(GuestPanic { panic_msg: \"");
        for (const char *p = msg + sizeof panic - 1; *p && n + 8 < cap; p++) {
            if (*p == '"' || *p == '\\') {
                out[n++] = '\\';
            }
            out[n++] = *p;
        }
        snprintf(out + n, cap - n, "\" }))");
    } else {
        snprintf(out, cap, "wasm execution failed with error: FunctionCallError(HostError(%s))",
                 msg);
    }
}

static void do_query(tk_localnet *ln, reply *r, const json_t *params)
{
    const char *type;
    char id[65];
    uint64_t h = 0;
    json_t *acc = NULL;
    if (json_is_array(params)) {
        parse_error(r, "query: the legacy [path, data] form is not supported; use an object");
        return;
    }
    if (!json_is_object(params) || (type = str_field(params, "request_type")) == NULL) {
        parse_error(r, "query: missing field `request_type`");
        return;
    }
    if (!block_ref(ln, r, &h, params, 1)) {
        return;
    }
    if (h != ln->head_height) {
        unsigned char bh[LN_HASH];
        char msg[160];
        (void)ln_block_hash_at(ln, bh, h);
        snprintf(msg, sizeof msg,
                 "The data for block #%llu is garbage collected on this node, use an archival "
                 "node to fetch historical data",
                 (unsigned long long)h);
        handler_error(
            r, "GARBAGE_COLLECTED_BLOCK",
            json_pack("{s:I,s:o}", "block_height", (json_int_t)h, "block_hash", hash_json(bh)),
            msg);
        return;
    }
    if (!account_field(r, id, params)) {
        return;
    }
    if (strcmp(type, "view_account") == 0) {
        char ch[64];
        if (tk_nearvm_account(ln->vm, &acc, id) != TK_OK) {
            unknown_account(ln, r, id);
            return;
        }
        code_hash(ln, ch, json_string_value(json_object_get(acc, "contract")));
        r->result = json_pack("{s:O,s:s,s:s,s:O,s:i}", "amount", json_object_get(acc, "amount"),
                              "locked", "0", "code_hash", ch, "storage_usage",
                              json_object_get(acc, "storage_usage"), "storage_paid_at", 0);
    } else if (strcmp(type, "view_access_key") == 0 || strcmp(type, "view_access_key_list") == 0) {
        const char *pk = str_field(params, "public_key");
        int list = type[15] == '_';
        json_t *keys = json_array(), *k;
        size_t i;
        unsigned char raw[64];
        if (!list &&
            (pk == NULL ||
             (tk_nearkey_decode(raw, 32, TK_NEARKEY_ED25519_PUBLIC, pk, strlen(pk)) != TK_OK &&
              tk_nearkey_decode(raw, 64, TK_NEARKEY_SECP256K1_PUBLIC, pk, strlen(pk)) != TK_OK))) {
            json_decref(keys);
            parse_error(r, "public_key: not a NEAR public key");
            return;
        }
        if (tk_nearvm_account(ln->vm, &acc, id) == TK_OK) {
            json_array_foreach(json_object_get(acc, "keys"), i, k)
            {
                if (list) {
                    json_array_append(keys, k);
                } else if (strcmp(json_string_value(json_object_get(k, "public_key")), pk) == 0) {
                    r->result = json_deep_copy(json_object_get(k, "access_key"));
                }
            }
        }
        if (list) {
            r->result = json_pack("{s:o}", "keys", keys);
        } else {
            json_decref(keys);
            if (r->result == NULL) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         "Access key for public key %s has never been observed on the node", pk);
                handler_error(r, "UNKNOWN_ACCESS_KEY",
                              json_pack("{s:s,s:I,s:o}", "public_key", pk, "block_height",
                                        (json_int_t)ln->head_height, "block_hash",
                                        hash_json(ln->head_hash)),
                              msg);
            }
        }
    } else if (strcmp(type, "call_function") == 0) {
        const char *method = str_field(params, "method_name");
        unsigned char *args = NULL, *res = NULL;
        size_t args_len = 0, res_len = 0;
        json_t *logs = NULL;
        if (method == NULL || strlen(method) > 256) {
            parse_error(r, "method_name: missing or too long");
            return;
        }
        if (!b64_field(r, &args, &args_len, json_object_get(params, "args_base64"),
                       TK_NEARVM_MAX_ARGS, "args_base64")) {
            return;
        }
        if (tk_nearvm_account(ln->vm, &acc, id) != TK_OK) {
            free(args);
            unknown_account(ln, r, id);
            return;
        }
        if (tk_nearvm_view_raw(ln->vm, &res, &res_len, &logs, id, method, args, args_len) ==
            TK_OK) {
            json_t *bytes = json_array();
            for (size_t i = 0; i < res_len; i++) {
                json_array_append_new(bytes, json_integer(res[i]));
            }
            r->result = json_pack("{s:o,s:o}", "result", bytes, "logs", logs);
        } else {
            char text[1200];
            view_error_text(text, sizeof text, tk_errmsg(), id);
            r->result = json_pack("{s:s,s:o}", "error", text, "logs", logs);
        }
        free(args);
        free(res);
    } else if (strcmp(type, "view_state") == 0) {
        unsigned char *prefix = NULL;
        size_t plen = 0;
        state_walk w;
        tk_nearvm_store st = ln_store_borrowed(ln->store);
        int rc;
        if (!b64_field(r, &prefix, &plen, json_object_get(params, "prefix_base64"), 2048,
                       "prefix_base64")) {
            return;
        }
        if (tk_nearvm_account(ln->vm, &acc, id) != TK_OK) {
            free(prefix);
            unknown_account(ln, r, id);
            return;
        }
        memset(&w, 0, sizeof w);
        w.prefix = prefix;
        w.prefix_len = plen;
        w.values = json_array();
        rc = st.ops->iterate(st.ctx, TK_NEARVM_REC_DATA, id, on_state, &w);
        free(prefix);
        if (rc == 1) {
            char msg[160];
            json_decref(w.values);
            snprintf(msg, sizeof msg, "State of contract %s is too large to be viewed", id);
            handler_error(r, "TOO_LARGE_CONTRACT_STATE",
                          json_pack("{s:s,s:I,s:o}", "contract_account_id", id, "block_height",
                                    (json_int_t)ln->head_height, "block_hash",
                                    hash_json(ln->head_hash)),
                          msg);
        } else if (rc != TK_OK) {
            json_decref(w.values);
            internal_error(r, "cannot read contract state");
        } else {
            r->result = json_pack("{s:o,s:[]}", "values", w.values, "proof");
        }
    } else if (strcmp(type, "view_code") == 0) {
        const char *contract;
        char ch[64], path[PATH_MAX];
        unsigned char *wasm = NULL;
        size_t len = 0;
        if (tk_nearvm_account(ln->vm, &acc, id) != TK_OK) {
            unknown_account(ln, r, id);
            return;
        }
        contract = json_string_value(json_object_get(acc, "contract"));
        if (contract == NULL || ln->contracts_dir == NULL ||
            (size_t)snprintf(path, sizeof path, "%s/%s.wasm", ln->contracts_dir, contract) >=
                sizeof path ||
            tk_file_read(&wasm, &len, path, 64u << 20, 0) != TK_OK) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "Contract code for contract ID #%s has never been observed on the node", id);
            handler_error(r, "NO_CONTRACT_CODE",
                          json_pack("{s:s,s:I,s:o}", "contract_account_id", id, "block_height",
                                    (json_int_t)ln->head_height, "block_hash",
                                    hash_json(ln->head_hash)),
                          msg);
        } else {
            code_hash(ln, ch, contract);
            r->result = json_pack("{s:o,s:s}", "code_base64", b64_json(wasm, len), "hash", ch);
            free(wasm);
        }
    } else {
        char msg[96];
        snprintf(msg, sizeof msg, "request_type: unknown variant `%.40s`", type);
        parse_error(r, msg);
    }
    json_decref(acc);
    if (r->result != NULL) {
        add_block(ln, r->result);
    }
}

/* ---- transactions ---- */

typedef enum { W_NONE, W_INCLUDED, W_EXECUTED } wait_level;

static int parse_wait(reply *r, wait_level *w, const json_t *v, wait_level dflt)
{
    const char *s = json_string_value(v);
    *w = dflt;
    if (v == NULL || json_is_null(v)) {
        return 1;
    }
    if (s == NULL) {
        parse_error(r, "wait_until: must be a string");
        return 0;
    }
    if (strcmp(s, "NONE") == 0) {
        *w = W_NONE;
    } else if (strcmp(s, "INCLUDED") == 0 || strcmp(s, "INCLUDED_FINAL") == 0) {
        *w = W_INCLUDED;
    } else if (strcmp(s, "EXECUTED_OPTIMISTIC") == 0 || strcmp(s, "EXECUTED") == 0 ||
               strcmp(s, "FINAL") == 0) {
        *w = W_EXECUTED;
    } else {
        parse_error(r, "wait_until: unknown variant");
        return 0;
    }
    return 1;
}

static void deadline(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Waits (lock held) for the transaction to reach `want` and answers. */
static void wait_answer(tk_localnet *ln, reply *r, const unsigned char hash[LN_HASH],
                        wait_level want, int with_receipts, int unknown_is_error)
{
    struct timespec until;
    json_t *invalid = NULL;
    ln_tx_state s;
    deadline(&until, ln->wait_ms > 0 ? ln->wait_ms : 0);
    for (;;) {
        s = ln_tx_state_of(ln, hash, &invalid);
        if (s == LN_TX_REJECTED) {
            invalid_tx(r, invalid);
            return;
        }
        if (s == LN_TX_UNKNOWN && unknown_is_error) {
            handler_error(r, "UNKNOWN_TRANSACTION",
                          json_pack("{s:o}", "requested_transaction_hash", hash_json(hash)),
                          "Transaction doesn't exist");
            return;
        }
        if (want == W_NONE || (want == W_INCLUDED && s >= LN_TX_INCLUDED) || s == LN_TX_DONE) {
            break;
        }
        if (ln->stopping || ln->fatal || ln->wait_ms < 0 ||
            pthread_cond_timedwait(&ln->cv, &ln->mu, &until) == ETIMEDOUT) {
            s = ln_tx_state_of(ln, hash, &invalid);
            if (s == LN_TX_REJECTED) {
                invalid_tx(r, invalid);
                return;
            }
            if (!((want == W_INCLUDED && s >= LN_TX_INCLUDED) || s == LN_TX_DONE)) {
                timeout_error(r);
                return;
            }
            break;
        }
    }
    if (s == LN_TX_DONE) {
        r->result = ln_tx_outcome_view(ln, hash, with_receipts);
        if (r->result == NULL) {
            internal_error(r, "cannot read the transaction outcome");
            return;
        }
        json_object_set_new(r->result, "final_execution_status", json_string("FINAL"));
    } else {
        r->result = json_pack("{s:s}", "final_execution_status",
                              s >= LN_TX_INCLUDED ? "INCLUDED_FINAL" : "NONE");
    }
}

/* Decodes, checks and pools a transaction (lock held). Returns 1 with *hash, or 0 with the
 * error set. */
static int submit(tk_localnet *ln, reply *r, unsigned char hash[LN_HASH], const json_t *b64)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    ln_pooled p;
    json_t *invalid = NULL;
    ln_tx_state s;
    if (!json_is_string(b64)) {
        parse_error(r, "signed_tx_base64: missing or not a string");
        return 0;
    }
    if (!b64_field(r, &raw, &len, b64, TK_NEAR_TX_MAX_LEN + 66, "signed_tx_base64")) {
        return 0;
    }
    if (ln_decode_signed(&p, &invalid, raw, len) != TK_OK) {
        free(raw);
        parse_error(r, tk_errmsg());
        return 0;
    }
    free(raw);
    memcpy(hash, p.hash, LN_HASH);
    if (invalid != NULL) {
        ln_pooled_clear(&p);
        invalid_tx(r, invalid);
        return 0;
    }
    s = ln_tx_state_of(ln, hash, &invalid);
    json_decref(invalid);
    invalid = NULL;
    if (s == LN_TX_UNKNOWN || s == LN_TX_REJECTED) {
        if (ln->fatal || ln->stopping) {
            ln_pooled_clear(&p);
            internal_error(r, "the chain is stopping");
            return 0;
        }
        if (ln_pool_add(ln, &invalid, &p) != TK_OK) {
            ln_pooled_clear(&p);
            internal_error(r, "out of memory");
            return 0;
        }
        if (invalid != NULL) {
            ln_pooled_clear(&p);
            invalid_tx(r, invalid);
            return 0;
        }
    }
    ln_pooled_clear(&p);
    return 1;
}

static void do_send_tx(tk_localnet *ln, reply *r, const json_t *params, const char *method)
{
    unsigned char hash[LN_HASH];
    wait_level w = W_EXECUTED;
    const json_t *b64;
    int positional = strncmp(method, "broadcast_", 10) == 0;
    if (positional) {
        if (!json_is_array(params) || json_array_size(params) != 1) {
            parse_error(r, "expected [signed_tx_base64]");
            return;
        }
        b64 = json_array_get(params, 0);
        w = strcmp(method, "broadcast_tx_async") == 0 ? W_NONE : W_EXECUTED;
    } else {
        if (!json_is_object(params)) {
            parse_error(r, "send_tx: params must be an object");
            return;
        }
        b64 = json_object_get(params, "signed_tx_base64");
        if (!parse_wait(r, &w, json_object_get(params, "wait_until"), W_EXECUTED)) {
            return;
        }
    }
    if (!submit(ln, r, hash, b64)) {
        return;
    }
    if (strcmp(method, "broadcast_tx_async") == 0) {
        r->result = hash_json(hash);
        return;
    }
    wait_answer(ln, r, hash, w, 0, 0);
}

static void do_tx_status(tk_localnet *ln, reply *r, const json_t *params, int with_receipts)
{
    unsigned char hash[LN_HASH];
    wait_level w = W_EXECUTED;
    const json_t *h = NULL, *sender = NULL, *b64 = NULL;
    size_t n = 0;
    if (json_is_array(params)) {
        if (json_array_size(params) == 2) {
            h = json_array_get(params, 0);
            sender = json_array_get(params, 1);
        } else if (json_array_size(params) == 1) {
            b64 = json_array_get(params, 0);
        }
    } else if (json_is_object(params)) {
        h = json_object_get(params, "tx_hash");
        sender = json_object_get(params, "sender_account_id");
        b64 = json_object_get(params, "signed_tx_base64");
        if (!parse_wait(r, &w, json_object_get(params, "wait_until"), W_EXECUTED)) {
            return;
        }
    }
    if (b64 != NULL && h == NULL) { /* the transaction itself: its hash, not a submission */
        unsigned char *raw = NULL;
        size_t len = 0;
        ln_pooled p;
        json_t *invalid = NULL;
        if (!b64_field(r, &raw, &len, b64, TK_NEAR_TX_MAX_LEN + 66, "signed_tx_base64")) {
            return;
        }
        if (ln_decode_signed(&p, &invalid, raw, len) != TK_OK) {
            free(raw);
            parse_error(r, tk_errmsg());
            return;
        }
        free(raw);
        json_decref(invalid);
        memcpy(hash, p.hash, LN_HASH);
        ln_pooled_clear(&p);
    } else {
        const char *hs = json_string_value(h), *ss = json_string_value(sender);
        if (hs == NULL || ss == NULL || tk_near_account_check(ss, strlen(ss)) != TK_OK ||
            tk_base58_decode(hash, sizeof hash, &n, hs, strlen(hs)) != TK_OK || n != LN_HASH) {
            parse_error(r, "expected tx_hash (base58) and sender_account_id");
            return;
        }
    }
    wait_answer(ln, r, hash, w, with_receipts, 1);
}

/* ---- dispatch ---- */

static void dispatch(tk_localnet *ln, reply *r, const char *method, const json_t *params)
{
    if (strcmp(method, "status") == 0) {
        r->result = ln_status_view(ln);
    } else if (strcmp(method, "health") == 0) {
        r->result = json_null();
    } else if (strcmp(method, "network_info") == 0) {
        r->result = json_pack("{s:[],s:i,s:i,s:i,s:i,s:[]}", "active_peers", "num_active_peers", 0,
                              "peer_max_count", 0, "sent_bytes_per_sec", 0,
                              "received_bytes_per_sec", 0, "known_producers");
    } else if (strcmp(method, "validators") == 0) {
        do_validators(ln, r);
    } else if (strcmp(method, "gas_price") == 0) {
        do_gas_price(ln, r, params);
    } else if (strcmp(method, "block") == 0) {
        do_block(ln, r, params);
    } else if (strcmp(method, "query") == 0) {
        do_query(ln, r, params);
    } else if (strcmp(method, "send_tx") == 0 || strcmp(method, "broadcast_tx_async") == 0 ||
               strcmp(method, "broadcast_tx_commit") == 0) {
        do_send_tx(ln, r, params, method);
    } else if (strcmp(method, "tx") == 0) {
        do_tx_status(ln, r, params, 0);
    } else if (strcmp(method, "EXPERIMENTAL_tx_status") == 0) {
        do_tx_status(ln, r, params, 1);
    } else if (strcmp(method, "EXPERIMENTAL_genesis_config") == 0) {
        r->result = json_deep_copy(ln->genesis);
    } else if (strcmp(method, "EXPERIMENTAL_protocol_config") == 0) {
        char price[24];
        snprintf(price, sizeof price, "%llu", (unsigned long long)ln->gas_price);
        r->result = json_pack(
            "{s:i,s:s,s:O,s:i,s:i,s:s,s:s,s:I,s:{s:s,s:{s:{s:I}}},s:[i,i]}", "protocol_version", 73,
            "chain_id", ln->chain_id, "genesis_time", json_object_get(ln->genesis, "genesis_time"),
            "genesis_height", 1, "epoch_length", 43200, "min_gas_price", price, "max_gas_price",
            "10000000000000000000000", "transaction_validity_period", (json_int_t)ln->validity,
            "runtime_config", "storage_amount_per_byte", "10000000000000000000", "wasm_config",
            "limit_config", "max_total_prepaid_gas", (json_int_t)TK_LOCALNET_MAX_PREPAID_GAS,
            "minimum_stake_ratio", 1, 6250);
    } else {
        set_error(
            r, "REQUEST_VALIDATION_ERROR",
            json_pack("{s:s,s:{s:s}}", "name", "METHOD_NOT_FOUND", "info", "method_name", method),
            -32601, "Method not found", json_string(method));
    }
}

int tk_localnet_rpc(tk_localnet *ln, char **response, int *http_status, const char *body,
                    size_t body_len)
{
    json_t *req = NULL, *id = NULL, *out;
    const json_t *params;
    const char *method;
    json_error_t e;
    reply r;
    if (ln == NULL || response == NULL || http_status == NULL ||
        (body == NULL && body_len && body_len <= TK_LOCALNET_MAX_BODY)) {
        return tk_fail(TK_ERR_ARG, "localnet: NULL");
    }
    *response = NULL;
    memset(&r, 0, sizeof r);
    r.http = 200;
    if (body_len > TK_LOCALNET_MAX_BODY) {
        parse_error(&r, "request body too large");
        r.http = 413;
    } else if ((req = json_loadb(body ? body : "", body_len, 0, &e)) == NULL) {
        char msg[200];
        snprintf(msg, sizeof msg, "invalid JSON: %s", e.text);
        parse_error(&r, msg);
    } else if (!json_is_object(req)) {
        parse_error(&r, "a request must be one JSON object");
    } else {
        const json_t *ver = json_object_get(req, "jsonrpc");
        id = json_incref(json_object_get(req, "id"));
        method = json_string_value(json_object_get(req, "method"));
        params = json_object_get(req, "params");
        if (ver != NULL && !(json_is_string(ver) && strcmp(json_string_value(ver), "2.0") == 0)) {
            parse_error(&r, "jsonrpc: must be \"2.0\"");
        } else if (method == NULL) {
            parse_error(&r, "method: missing or not a string");
        } else {
            pthread_mutex_lock(&ln->mu);
            if (ln->fatal) {
                internal_error(&r, "the chain stopped after a store failure");
            } else {
                dispatch(ln, &r, method, params ? params : json_null());
            }
            pthread_mutex_unlock(&ln->mu);
            if (r.result == NULL && r.error == NULL) {
                internal_error(&r, "out of memory");
            }
        }
    }
    if (r.error != NULL) {
        out = json_pack("{s:s,s:o,s:o}", "jsonrpc", "2.0", "error", r.error, "id",
                        id ? id : json_null());
    } else {
        out = json_pack("{s:s,s:o,s:o}", "jsonrpc", "2.0", "result", r.result, "id",
                        id ? id : json_null());
    }
    json_decref(req);
    *http_status = r.http;
    if (out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "localnet: cannot build the response");
    }
    *response = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return *response ? TK_OK : tk_fail(TK_ERR_NOMEM, "localnet: cannot build the response");
}
