/*
 * localnet views: nearcore's JSON shapes for blocks (BlockView with one chunk), node status,
 * signed transactions and actions (SignedTransactionView, ActionView), and final execution
 * outcomes (FinalExecutionOutcomeView, with ReceiptViews for EXPERIMENTAL_tx_status), built
 * from the SQLite tables. Receipt ids are sha256("localnet-receipt" || genesis hash || u64le
 * id) in base58. Views only read; the caller holds the chain lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

#define ZERO_HASH "11111111111111111111111111111111"

void ln_b58(char *out, size_t cap, const unsigned char *p, size_t n)
{
    size_t len = 0;
    if (tk_base58_encode(out, cap, &len, p, n) != TK_OK) {
        len = 0;
    }
    out[len < cap ? len : cap - 1] = 0;
}

static json_t *b58_json(const unsigned char *p, size_t n)
{
    char buf[128];
    ln_b58(buf, sizeof buf, p, n);
    return json_string(buf);
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
    return j ? j : json_string("");
}

void ln_receipt_hash(tk_localnet *ln, unsigned char out[LN_HASH], uint64_t id)
{
    unsigned char buf[16 + LN_HASH + 8];
    memcpy(buf, "localnet-receipt", 16);
    memcpy(buf + 16, ln->genesis_hash, LN_HASH);
    for (int i = 0; i < 8; i++) {
        buf[16 + LN_HASH + i] = (unsigned char)(id >> (8 * i));
    }
    tk_sha256(out, buf, sizeof buf);
}

static json_t *receipt_id_json(tk_localnet *ln, uint64_t id)
{
    unsigned char h[LN_HASH];
    ln_receipt_hash(ln, h, id);
    return b58_json(h, LN_HASH);
}

char *ln_u128_str(char buf[40], const unsigned char le[16])
{
    tk_nearvm_u128 v = 0;
    char tmp[40];
    size_t n = 0, i;
    for (int k = 15; k >= 0; k--) {
        v = (v << 8) | le[k];
    }
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    buf[n] = 0;
    return buf;
}

int ln_block_by_hash(tk_localnet *ln, uint64_t *height, const unsigned char hash[LN_HASH])
{
    sqlite3_stmt *st = NULL;
    int rc = TK_ERR_NOT_FOUND;
    if ((st = ln_stmt(ln->store, "SELECT height FROM blocks WHERE hash = ?1")) == NULL) {
        return TK_ERR_IO;
    }
    sqlite3_bind_blob(st, 1, hash, LN_HASH, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *height = (uint64_t)sqlite3_column_int64(st, 0);
        rc = TK_OK;
    }
    ln_stmt_done(ln->store, st);
    return rc;
}

int ln_block_hash_at(tk_localnet *ln, unsigned char hash[LN_HASH], uint64_t height)
{
    sqlite3_stmt *st = NULL;
    int rc = TK_ERR_NOT_FOUND;
    if (height == ln->head_height) {
        memcpy(hash, ln->head_hash, LN_HASH);
        return TK_OK;
    }
    if ((st = ln_stmt(ln->store, "SELECT hash FROM blocks WHERE height = ?1")) == NULL) {
        return TK_ERR_IO;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)height);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == LN_HASH) {
        memcpy(hash, sqlite3_column_blob(st, 0), LN_HASH);
        rc = TK_OK;
    }
    ln_stmt_done(ln->store, st);
    return rc;
}

static json_t *block_hash_json(tk_localnet *ln, uint64_t height)
{
    unsigned char h[LN_HASH];
    if (ln_block_hash_at(ln, h, height) != TK_OK) {
        return json_string(ZERO_HASH);
    }
    return b58_json(h, LN_HASH);
}

static json_t *col_hash(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_bytes(st, col) != LN_HASH) {
        return json_string(ZERO_HASH);
    }
    return b58_json(sqlite3_column_blob(st, col), LN_HASH);
}

json_t *ln_block_view(tk_localnet *ln, uint64_t height)
{
    sqlite3_stmt *st = NULL;
    json_t *out = NULL, *header, *chunk, *txs;
    char ts_str[24];
    uint64_t ts, gas;
    if (sqlite3_prepare_v2(ln->store->db,
                           "SELECT hash, prev_hash, timestamp, tx_root, outcome_root, signature, "
                           "txs, gas_used FROM blocks WHERE height = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        return NULL;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)height);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return NULL;
    }
    ts = (uint64_t)sqlite3_column_int64(st, 2);
    gas = (uint64_t)sqlite3_column_int64(st, 7);
    snprintf(ts_str, sizeof ts_str, "%llu", (unsigned long long)ts);
    txs = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
    {
        const char *sig = (const char *)sqlite3_column_text(st, 5);
        json_t *hash = col_hash(st, 0), *prev = col_hash(st, 1), *tx_root = col_hash(st, 3),
               *outcome_root = col_hash(st, 4);
        char chunk_hash_in[80];
        unsigned char ch[LN_HASH];
        snprintf(chunk_hash_in, sizeof chunk_hash_in, "chunk:%llu", (unsigned long long)height);
        tk_sha256_tagged(ch, "localnet-chunk", chunk_hash_in, strlen(chunk_hash_in));
        chunk =
            json_pack("{s:o,s:O,s:O,s:s,s:s,s:i,s:I,s:I,s:i,s:I,s:I,s:s,s:s,s:s,s:s,s:O,"
                      "s:[],s:s}",
                      "chunk_hash", b58_json(ch, LN_HASH), "prev_block_hash", prev, "outcome_root",
                      outcome_root, "prev_state_root", ZERO_HASH, "encoded_merkle_root", ZERO_HASH,
                      "encoded_length", 0, "height_created", (json_int_t)height, "height_included",
                      (json_int_t)height, "shard_id", 0, "gas_used", (json_int_t)gas, "gas_limit",
                      (json_int_t)1000000000000000ll, "rent_paid", "0", "validator_reward", "0",
                      "balance_burnt", "0", "outgoing_receipts_root", ZERO_HASH, "tx_root", tx_root,
                      "validator_proposals", "signature",
                      sig && *sig ? sig
                                  : "ed25519:1111111111111111111111111111111111111111111"
                                    "111111111111111111111");
        header = json_pack(
            "{s:I,s:I,s:s,s:s,s:O,s:O,s:s,s:s,s:s,s:O,s:O,s:i,s:s,s:I,s:s,s:s,s:[],s:[b],s:s,s:I,"
            "s:s,s:s,s:s,s:[],s:O,s:O,s:s,s:s,s:n,s:[],s:s,s:i}",
            "height", (json_int_t)height, "prev_height", (json_int_t)(height > 1 ? height - 1 : 0),
            "epoch_id", ZERO_HASH, "next_epoch_id", ZERO_HASH, "hash", hash, "prev_hash", prev,
            "prev_state_root", ZERO_HASH, "chunk_receipts_root", ZERO_HASH, "chunk_headers_root",
            ZERO_HASH, "chunk_tx_root", tx_root, "outcome_root", outcome_root, "chunks_included",
            height > 1 ? 1 : 0, "challenges_root", ZERO_HASH, "timestamp", (json_int_t)ts,
            "timestamp_nanosec", ts_str, "random_value", ZERO_HASH, "validator_proposals",
            "chunk_mask", 1, "gas_price", "100000000", "block_ordinal", (json_int_t)height,
            "rent_paid", "0", "validator_reward", "0", "total_supply", "0", "challenges_result",
            "last_final_block", hash, "last_ds_final_block", hash, "next_bp_hash", ZERO_HASH,
            "block_merkle_root", ZERO_HASH, "epoch_sync_data_hash", "approvals", "signature",
            sig && *sig
                ? sig
                : "ed25519:1111111111111111111111111111111111111111111111111111111111111111",
            "latest_protocol_version", 73);
        json_decref(hash);
        json_decref(prev);
        json_decref(tx_root);
        json_decref(outcome_root);
    }
    sqlite3_finalize(st);
    if (header != NULL && chunk != NULL) {
        out = json_pack("{s:s,s:o,s:[o]}", "author", ln->root, "header", header, "chunks", chunk);
        header = chunk = NULL;
    }
    json_decref(header);
    json_decref(chunk);
    json_decref(txs);
    return out;
}

static void rfc3339(char *out, size_t cap, uint64_t ns)
{
    time_t s = (time_t)(ns / 1000000000ull);
    struct tm tm;
    char base[32];
    gmtime_r(&s, &tm);
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%09lluZ", base, (unsigned long long)(ns % 1000000000ull));
}

json_t *ln_status_view(tk_localnet *ln)
{
    char t_head[48], t_gen[48], rpc[160];
    uint64_t gts = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ln->store->db, "SELECT timestamp FROM blocks WHERE height = 1", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        gts = (uint64_t)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    rfc3339(t_head, sizeof t_head, ln->head_ts);
    rfc3339(t_gen, sizeof t_gen, gts);
    snprintf(rpc, sizeof rpc, "%s", ln->rpc_addr);
    return json_pack(
        "{s:{s:s,s:s,s:s},s:s,s:i,s:i,s:s,s:[{s:s}],s:{s:o,s:I,s:s,s:s,s:b,s:o,s:i,s:s,s:s,s:i},"
        "s:s,s:s,s:s,s:n,s:I,s:o,s:n}",
        "version", "version", "teekeys-localnet", "build", "teekeys", "rustc_version", "none",
        "chain_id", ln->chain_id, "protocol_version", 73, "latest_protocol_version", 73, "rpc_addr",
        rpc, "validators", "account_id", ln->root, "sync_info", "latest_block_hash",
        b58_json(ln->head_hash, LN_HASH), "latest_block_height", (json_int_t)ln->head_height,
        "latest_state_root", ZERO_HASH, "latest_block_time", t_head, "syncing", 0,
        "earliest_block_hash", b58_json(ln->genesis_hash, LN_HASH), "earliest_block_height", 1,
        "earliest_block_time", t_gen, "epoch_id", ZERO_HASH, "epoch_start_height", 1,
        "validator_account_id", ln->root, "validator_public_key", ln->validator_pk,
        "node_public_key", ln->validator_pk, "node_key", "uptime_sec",
        (json_int_t)((uint64_t)time(NULL) - ln->start_s), "genesis_hash",
        b58_json(ln->genesis_hash, LN_HASH), "detailed_debug_status");
}

/* ---- transactions and actions ---- */

static json_t *bytes_json(tk_near_bytes b)
{
    json_t *s = json_stringn((const char *)b.ptr, b.len);
    return s ? s : json_string("");
}

static json_t *pk_json(const tk_near_pubkey *pk)
{
    char s[TK_NEARKEY_MAX_LEN];
    if (tk_nearkey_encode(s, sizeof s,
                          pk->type == TK_NEAR_KEY_ED25519 ? TK_NEARKEY_ED25519_PUBLIC
                                                          : TK_NEARKEY_SECP256K1_PUBLIC,
                          pk->data, pk->type == TK_NEAR_KEY_ED25519 ? 32 : 64) != TK_OK) {
        s[0] = 0;
    }
    return json_string(s);
}

json_t *ln_action_view(const tk_near_action *a)
{
    char b1[40], b2[40];
    switch (a->kind) {
    case TK_NEAR_ACTION_CREATE_ACCOUNT:
        return json_string("CreateAccount");
    case TK_NEAR_ACTION_DEPLOY_CONTRACT: {
        unsigned char h[LN_HASH];
        tk_sha256(h, a->code.ptr, a->code.len);
        return json_pack("{s:{s:o}}", "DeployContract", "code", b64_json(h, LN_HASH));
    }
    case TK_NEAR_ACTION_FUNCTION_CALL:
        return json_pack("{s:{s:o,s:o,s:I,s:s}}", "FunctionCall", "method_name",
                         bytes_json(a->method_name), "args", b64_json(a->args.ptr, a->args.len),
                         "gas", (json_int_t)a->gas, "deposit", ln_u128_str(b1, a->amount));
    case TK_NEAR_ACTION_TRANSFER:
        return json_pack("{s:{s:s}}", "Transfer", "deposit", ln_u128_str(b1, a->amount));
    case TK_NEAR_ACTION_STAKE:
        return json_pack("{s:{s:s,s:o}}", "Stake", "stake", ln_u128_str(b1, a->amount),
                         "public_key", pk_json(&a->public_key));
    case TK_NEAR_ACTION_ADD_KEY: {
        json_t *perm;
        if (a->full_access) {
            perm = json_string("FullAccess");
        } else {
            json_t *names = json_array();
            for (size_t i = 0; i < a->n_method_names; i++) {
                tk_near_bytes m;
                if (tk_near_method_name_var(&m, a, i) == TK_OK) {
                    json_array_append_new(names, bytes_json(m));
                }
            }
            perm = json_pack(
                "{s:{s:o,s:o,s:o}}", "FunctionCall", "allowance",
                a->has_allowance ? json_string(ln_u128_str(b2, a->allowance)) : json_null(),
                "receiver_id", bytes_json(a->permission_receiver), "method_names", names);
        }
        return json_pack("{s:{s:o,s:{s:I,s:o}}}", "AddKey", "public_key", pk_json(&a->public_key),
                         "access_key", "nonce", (json_int_t)a->access_key_nonce, "permission",
                         perm);
    }
    case TK_NEAR_ACTION_DELETE_KEY:
        return json_pack("{s:{s:o}}", "DeleteKey", "public_key", pk_json(&a->public_key));
    case TK_NEAR_ACTION_DELETE_ACCOUNT:
        return json_pack("{s:{s:o}}", "DeleteAccount", "beneficiary_id",
                         bytes_json(a->beneficiary_id));
    case TK_NEAR_ACTION_DELEGATE:
        return json_pack("{s:{}}", "Delegate");
    }
    return json_null();
}

json_t *ln_tx_view(const tk_near_tx *tx, const unsigned char *sig, size_t sig_len,
                   const unsigned char hash[LN_HASH])
{
    json_t *actions = json_array();
    char sigstr[160];
    size_t n = 0;
    for (size_t i = 0; i < tx->n_actions; i++) {
        json_array_append_new(actions, ln_action_view(&tx->actions[i]));
    }
    snprintf(sigstr, sizeof sigstr, "%s", sig_len == 65 ? "secp256k1:" : "ed25519:");
    n = strlen(sigstr);
    ln_b58(sigstr + n, sizeof sigstr - n, sig, sig_len);
    return json_pack("{s:o,s:o,s:I,s:o,s:o,s:i,s:s,s:o}", "signer_id", bytes_json(tx->signer_id),
                     "public_key", pk_json(&tx->public_key), "nonce", (json_int_t)tx->nonce,
                     "receiver_id", bytes_json(tx->receiver_id), "actions", actions, "priority_fee",
                     0, "signature", sigstr, "hash", b58_json(hash, LN_HASH));
}

/* An ExecutionStatusView from the runtime's status (receipt ids become hashes). */
static json_t *status_view(tk_localnet *ln, const json_t *status)
{
    const json_t *next = json_object_get(status, "SuccessReceiptId");
    if (json_is_integer(next)) {
        return json_pack("{s:o}", "SuccessReceiptId",
                         receipt_id_json(ln, (uint64_t)json_integer_value(next)));
    }
    return status ? json_deep_copy(status) : json_string("Unknown");
}

static json_t *metadata(void)
{
    return json_pack("{s:i,s:n}", "version", 1, "gas_profile");
}

json_t *ln_tx_outcome_view(tk_localnet *ln, const unsigned char hash[LN_HASH], int with_receipts)
{
    sqlite3_stmt *st = NULL;
    ln_pooled p;
    json_t *invalid = NULL, *records = json_array(), *outcomes = json_array(),
           *receipt_views = json_array(), *status = NULL, *out = NULL, *txv, *first_actions;
    uint64_t id = 0, height = 0, cur;
    size_t i, hops;
    int rc;
    const json_t *rec;
    memset(&p, 0, sizeof p);
    if (sqlite3_prepare_v2(ln->store->db, "SELECT id, height, signed FROM txs WHERE hash = ?1", -1,
                           &st, NULL) != SQLITE_OK) {
        goto done;
    }
    sqlite3_bind_blob(st, 1, hash, LN_HASH, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        goto done;
    }
    id = (uint64_t)sqlite3_column_int64(st, 0);
    height = (uint64_t)sqlite3_column_int64(st, 1);
    rc = ln_decode_signed(&p, &invalid, sqlite3_column_blob(st, 2),
                          (size_t)sqlite3_column_bytes(st, 2));
    sqlite3_finalize(st);
    json_decref(invalid);
    if (rc != TK_OK) {
        goto done;
    }
    st = NULL;
    if (sqlite3_prepare_v2(ln->store->db,
                           "SELECT record FROM receipts WHERE tx = ?1 ORDER BY height, id", -1, &st,
                           NULL) != SQLITE_OK) {
        goto done;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *r = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (r != NULL) {
            json_array_append_new(records, r);
        }
    }
    sqlite3_finalize(st);
    /* the final status: follow SuccessReceiptId from the first receipt */
    cur = id;
    for (hops = 0; hops <= json_array_size(records); hops++) {
        const json_t *found = NULL, *next;
        json_array_foreach(records, i, rec)
        {
            if ((uint64_t)json_integer_value(json_object_get(rec, "id")) == cur) {
                found = rec;
                break;
            }
        }
        if (found == NULL) {
            break;
        }
        next = json_object_get(json_object_get(found, "status"), "SuccessReceiptId");
        if (!json_is_integer(next)) {
            status = json_deep_copy(json_object_get(found, "status"));
            break;
        }
        cur = (uint64_t)json_integer_value(next);
    }
    if (status == NULL) {
        status = json_string("Started");
    }
    first_actions = json_array();
    {
        const unsigned char *sig = p.signed_tx + p.signed_len - (p.tx->public_key.type ? 65 : 64);
        txv = ln_tx_view(p.tx, sig, p.tx->public_key.type ? 65 : 64, hash);
        json_array_extend(first_actions, json_object_get(txv, "actions"));
    }
    json_array_foreach(records, i, rec)
    {
        json_t *kids = json_array(), *k;
        size_t j;
        uint64_t rid = (uint64_t)json_integer_value(json_object_get(rec, "id"));
        uint64_t rh = (uint64_t)json_integer_value(json_object_get(rec, "block_height"));
        json_array_foreach(json_object_get(rec, "receipts"), j, k)
        {
            json_array_append_new(kids, receipt_id_json(ln, (uint64_t)json_integer_value(k)));
        }
        json_array_append_new(
            outcomes,
            json_pack("{s:[],s:o,s:o,s:{s:O,s:o,s:O,s:s,s:O,s:o,s:o}}", "proof", "block_hash",
                      block_hash_json(ln, rh), "id", receipt_id_json(ln, rid), "outcome", "logs",
                      json_object_get(rec, "logs"), "receipt_ids", kids, "gas_burnt",
                      json_object_get(rec, "gas_burnt"), "tokens_burnt", "0", "executor_id",
                      json_object_get(rec, "receiver"), "status",
                      status_view(ln, json_object_get(rec, "status")), "metadata", metadata()));
        if (with_receipts) {
            const char *pred = json_string_value(json_object_get(rec, "predecessor"));
            int system = pred != NULL && strcmp(pred, "system") == 0;
            json_t *spk = system ? json_string("ed25519:" ZERO_HASH)
                                 : json_incref(json_object_get(txv, "public_key"));
            json_array_append_new(
                receipt_views,
                json_pack("{s:O,s:O,s:o,s:{s:{s:O,s:o,s:s,s:[],s:[],s:O,s:b}},s:i}",
                          "predecessor_id", json_object_get(rec, "predecessor"), "receiver_id",
                          json_object_get(rec, "receiver"), "receipt_id", receipt_id_json(ln, rid),
                          "receipt", "Action", "signer_id",
                          json_object_get(rec, system ? "predecessor" : "signer"),
                          "signer_public_key", spk, "gas_price", "100000000",
                          "output_data_receivers", "input_data_ids", "actions",
                          rid == id ? first_actions : json_object_get(rec, "actions"),
                          "is_promise_yield", 0, "priority", 0));
        }
    }
    {
        unsigned char first[LN_HASH];
        ln_receipt_hash(ln, first, id);
        out = json_pack("{s:o,s:o,s:{s:[],s:o,s:o,s:{s:[],s:[o],s:i,s:s,s:O,s:{s:o},s:o}},s:o}",
                        "status", status, "transaction", txv, "transaction_outcome", "proof",
                        "block_hash", block_hash_json(ln, height), "id", b58_json(hash, LN_HASH),
                        "outcome", "logs", "receipt_ids", b58_json(first, LN_HASH), "gas_burnt", 0,
                        "tokens_burnt", "0", "executor_id", json_object_get(txv, "signer_id"),
                        "status", "SuccessReceiptId", b58_json(first, LN_HASH), "metadata",
                        metadata(), "receipts_outcome", outcomes);
        outcomes = NULL;
        if (out != NULL && with_receipts) {
            json_object_set_new(out, "receipts", receipt_views);
            receipt_views = NULL;
        }
    }
    json_decref(first_actions);
done:
    ln_pooled_clear(&p);
    json_decref(records);
    json_decref(outcomes);
    json_decref(receipt_views);
    return out;
}
