/*
 * localnet chain: the home directory (genesis.json, config.json, validator_key.json), opening
 * the SQLite database and applying genesis or reloading the runtime's pending state, the
 * transaction pool (decode, ed25519 signature over sha256(tx), nonce, block hash, action checks)
 * and block production: one SQLite transaction per block holding the admitted transactions, the
 * receipt outcomes the runtime reports, the block header (sha256 of a fixed encoding, signed by
 * the validator key) and the runtime's exported pending state. A failed block write stops the
 * chain instead of letting memory and disk disagree. The validator key never leaves guarded
 * memory and is never logged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

#define TGAS 1000000000000ull

void ln_log(tk_localnet *ln, const char *fmt, ...)
{
    va_list ap;
    if (ln != NULL && ln->quiet) {
        return;
    }
    va_start(ap, fmt);
    fputs("localnet: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put_u64le(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

/* ---- small SQL helpers ---- */

static int meta_put(tk_localnet *ln, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = TK_OK;
    if (sqlite3_prepare_v2(ln->store->db,
                           "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK) {
        return tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
    }
    sqlite3_finalize(st);
    return rc;
}

/* Out: *value (malloc). Returns TK_OK, TK_ERR_NOT_FOUND or TK_ERR_IO. */
int ln_meta_get(tk_localnet *ln, char **value, const char *key)
{
    sqlite3_stmt *st = NULL;
    int rc = TK_ERR_NOT_FOUND;
    *value = NULL;
    if (sqlite3_prepare_v2(ln->store->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        return tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        *value = strdup(v ? v : "");
        rc = *value ? TK_OK : TK_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    return rc;
}

const char ln_schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE,"
    " prev_hash BLOB NOT NULL, timestamp INTEGER NOT NULL, tx_root BLOB NOT NULL,"
    " outcome_root BLOB NOT NULL, signature TEXT NOT NULL, txs TEXT NOT NULL,"
    " receipts TEXT NOT NULL, gas_used INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS txs (hash BLOB PRIMARY KEY, id INTEGER NOT NULL UNIQUE,"
    " signer TEXT NOT NULL, height INTEGER NOT NULL, signed BLOB NOT NULL,"
    " done INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS receipts (id INTEGER PRIMARY KEY, tx INTEGER NOT NULL,"
    " height INTEGER NOT NULL, record TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS receipts_tx ON receipts (tx);";

/* ---- block headers ---- */

/* hash = sha256("localnet-block-v1" || u64le height || prev_hash || u64le timestamp ||
 *               tx_root || outcome_root) */
void ln_header_hash(unsigned char out[LN_HASH], uint64_t height, const unsigned char *prev,
                    uint64_t ts, const unsigned char *tx_root, const unsigned char *outcome_root)
{
    static const char tag[] = "localnet-block-v1";
    unsigned char buf[sizeof tag - 1 + 8 + 32 + 8 + 32 + 32], *p = buf;
    memcpy(p, tag, sizeof tag - 1);
    p += sizeof tag - 1;
    put_u64le(p, height);
    p += 8;
    memcpy(p, prev, 32);
    p += 32;
    put_u64le(p, ts);
    p += 8;
    memcpy(p, tx_root, 32);
    p += 32;
    memcpy(p, outcome_root, 32);
    tk_sha256(out, buf, sizeof buf);
}

static int insert_block(tk_localnet *ln, uint64_t height, const unsigned char *hash,
                        const unsigned char *prev, uint64_t ts, const unsigned char *tx_root,
                        const unsigned char *outcome_root, json_t *txs, json_t *receipts,
                        uint64_t gas_used)
{
    unsigned char sig[crypto_sign_BYTES];
    char sigstr[128], b58[100];
    char *txs_text = json_dumps(txs, JSON_COMPACT), *rc_text = json_dumps(receipts, JSON_COMPACT);
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc = TK_OK;
    crypto_sign_detached(sig, NULL, hash, LN_HASH, ln->validator_sk);
    memcpy(sigstr, "ed25519:", 8);
    if (tk_base58_encode(b58, sizeof b58, &n, sig, sizeof sig) != TK_OK) {
        n = 0;
    }
    b58[n] = 0;
    snprintf(sigstr + 8, sizeof sigstr - 8, "%s", b58);
    if (txs_text == NULL || rc_text == NULL ||
        sqlite3_prepare_v2(ln->store->db,
                           "INSERT INTO blocks (height, hash, prev_hash, timestamp, tx_root, "
                           "outcome_root, signature, txs, receipts, gas_used) VALUES (?1, ?2, ?3, "
                           "?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = tk_fail(TK_ERR_IO, "localnet: cannot store block %llu", (unsigned long long)height);
        goto done;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)height);
    sqlite3_bind_blob(st, 2, hash, LN_HASH, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, prev, LN_HASH, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)ts);
    sqlite3_bind_blob(st, 5, tx_root, LN_HASH, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, outcome_root, LN_HASH, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, sigstr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, txs_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, rc_text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)gas_used);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = tk_fail(TK_ERR_IO, "localnet: cannot store block: %s", sqlite3_errmsg(ln->store->db));
    }
done:
    sqlite3_finalize(st);
    free(txs_text);
    free(rc_text);
    return rc;
}

static int save_vm_state(tk_localnet *ln)
{
    json_t *doc = NULL;
    char *text;
    int rc = tk_nearvm_export(ln->vm, &doc);
    if (rc != TK_OK) {
        return rc;
    }
    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (text == NULL) {
        return tk_fail(TK_ERR_NOMEM, "localnet: cannot serialize the runtime state");
    }
    rc = meta_put(ln, "vm_state", text);
    free(text);
    return rc;
}

/* ---- the receipt hook: one row per executed receipt, inside the block's transaction ---- */

void ln_on_receipt(void *arg, const json_t *rec)
{
    tk_localnet *ln = arg;
    sqlite3_stmt *st = NULL;
    char *text = json_dumps(rec, JSON_COMPACT);
    json_int_t id = json_integer_value(json_object_get(rec, "id"));
    json_int_t tx = json_integer_value(json_object_get(rec, "tx"));
    json_int_t h = json_integer_value(json_object_get(rec, "block_height"));
    int ok = text != NULL &&
             (st = ln_stmt(ln->store,
                           "INSERT INTO receipts (id, tx, height, record) VALUES (?1, ?2, ?3, "
                           "?4)")) != NULL;
    if (ok) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, tx);
        sqlite3_bind_int64(st, 3, h);
        sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    ln_stmt_done(ln->store, st);
    st = NULL;
    if (ok && json_is_true(json_object_get(rec, "tx_done"))) {
        ok = (st = ln_stmt(ln->store, "UPDATE txs SET done = 1 WHERE id = ?1")) != NULL;
        if (ok) {
            sqlite3_bind_int64(st, 1, tx);
            ok = sqlite3_step(st) == SQLITE_DONE;
        }
        ln_stmt_done(ln->store, st);
    }
    free(text);
    if (!ok) {
        ln->hook_failed = 1;
    }
}

/* ---- transactions ---- */

void ln_pooled_clear(ln_pooled *p)
{
    tk_near_tx_free(p->tx);
    free(p->signed_tx);
    memset(p, 0, sizeof *p);
}

int ln_decode_signed(ln_pooled *p, json_t **invalid, const unsigned char *in, size_t len)
{
    size_t tx_len;
    int rc;
    memset(p, 0, sizeof *p);
    *invalid = NULL;
    /* SignedTransaction = Transaction || Signature; an ed25519 Signature is tag 0 + 64 bytes,
     * secp256k1 tag 1 + 65 bytes. The transaction decoder is strict, so one split fits. */
    if (len < 66 || len > TK_NEAR_TX_MAX_LEN + 66) {
        return tk_fail(TK_ERR_INPUT, "Failed to decode transaction: %zu bytes", len);
    }
    p->signed_tx = malloc(len);
    if (p->signed_tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    memcpy(p->signed_tx, in, len);
    p->signed_len = len;
    tx_len = len - 65;
    if (in[tx_len] == TK_NEAR_KEY_ED25519 &&
        tk_near_tx_decode_var(&p->tx, p->signed_tx, tx_len) == TK_OK) {
        tk_sha256(p->hash, p->signed_tx, tx_len);
        if (p->tx->public_key.type != TK_NEAR_KEY_ED25519 ||
            crypto_sign_verify_detached(p->signed_tx + tx_len + 1, p->hash, LN_HASH,
                                        p->tx->public_key.data) != 0) {
            *invalid = json_string("InvalidSignature");
        }
        return TK_OK;
    }
    tx_len = len - 66;
    if (in[tx_len] == TK_NEAR_KEY_SECP256K1 &&
        tk_near_tx_decode_var(&p->tx, p->signed_tx, tx_len) == TK_OK) {
        tk_sha256(p->hash, p->signed_tx, tx_len);
        /* secp256k1-signed transactions are not verified by this localnet: refused */
        *invalid = json_string("InvalidSignature");
        return TK_OK;
    }
    rc = tk_fail(TK_ERR_INPUT, "Failed to decode transaction: not a borsh SignedTransaction");
    ln_pooled_clear(p);
    return rc;
}

static void bytes_str(char *out, size_t cap, tk_near_bytes b)
{
    size_t n = b.len < cap - 1 ? b.len : cap - 1;
    memcpy(out, b.ptr, n);
    out[n] = 0;
}

const char *ln_code_name(tk_localnet *ln, const unsigned char hash[LN_HASH])
{
    for (size_t i = 0; i < ln->n_codes; i++) {
        if (memcmp(ln->codes[i].hash, hash, LN_HASH) == 0) {
            return ln->codes[i].name;
        }
    }
    return NULL;
}

int ln_code_hash_of(tk_localnet *ln, unsigned char hash[LN_HASH], const char *name)
{
    for (size_t i = 0; i < ln->n_codes; i++) {
        if (strcmp(ln->codes[i].name, name) == 0) {
            memcpy(hash, ln->codes[i].hash, LN_HASH);
            return TK_OK;
        }
    }
    /* a native contract without a known wasm: the hash of its name */
    tk_sha256_tagged(hash, "localnet-native-contract", name, strlen(name));
    return TK_ERR_NOT_FOUND;
}

/* Everything the conversion allocates, freed after submission. */
typedef struct {
    tk_nearvm_action acts[TK_NEAR_MAX_ACTIONS];
    char methods[TK_NEAR_MAX_ACTIONS][TK_NEAR_MAX_METHOD_NAME_LEN + 1];
    char keys[TK_NEAR_MAX_ACTIONS][TK_NEARKEY_MAX_LEN];
    char benef[TK_NEAR_MAX_ACTIONS][65];
    json_t *ak[TK_NEAR_MAX_ACTIONS];
    char signer[65], receiver[65], pk[TK_NEARKEY_MAX_LEN];
    tk_nearvm_signed_tx stx;
} conv;

static void conv_free(conv *c)
{
    for (size_t i = 0; i < TK_NEAR_MAX_ACTIONS; i++) {
        json_decref(c->ak[i]);
    }
    free(c);
}

static tk_nearvm_u128 u128_le(const unsigned char le[16])
{
    tk_nearvm_u128 v = 0;
    for (int i = 15; i >= 0; i--) {
        v = (v << 8) | le[i];
    }
    return v;
}

static json_t *unsupported(const char *what)
{
    return json_pack("{s:{s:{s:s,s:i}}}", "ActionsValidation", "UnsupportedProtocolFeature",
                     "protocol_feature", what, "version", 0);
}

/* Converts a decoded transaction; returns NULL or an InvalidTxError (stateless checks). */
static json_t *convert(tk_localnet *ln, conv *c, const tk_near_tx *tx)
{
    uint64_t total_gas = 0;
    bytes_str(c->signer, sizeof c->signer, tx->signer_id);
    bytes_str(c->receiver, sizeof c->receiver, tx->receiver_id);
    if (tk_nearkey_encode(c->pk, sizeof c->pk, TK_NEARKEY_ED25519_PUBLIC, tx->public_key.data,
                          32) != TK_OK) {
        return json_string("InvalidSignature");
    }
    if (tx->n_actions == 0) {
        return json_pack("{s:s}", "ActionsValidation", "EmptyActions");
    }
    for (size_t i = 0; i < tx->n_actions; i++) {
        const tk_near_action *a = &tx->actions[i];
        tk_nearvm_action *o = &c->acts[i];
        switch (a->kind) {
        case TK_NEAR_ACTION_CREATE_ACCOUNT:
            o->kind = TK_NEARVM_ACT_CREATE_ACCOUNT;
            break;
        case TK_NEAR_ACTION_DEPLOY_CONTRACT: {
            unsigned char h[LN_HASH];
            const char *name;
            tk_sha256(h, a->code.ptr, a->code.len);
            name = ln_code_name(ln, h);
            o->kind = TK_NEARVM_ACT_DEPLOY;
            if (name != NULL) {
                o->data = (const unsigned char *)name;
                o->data_len = strlen(name);
            } else {
                char hex[65];
                if (tk_hex_encode(hex, sizeof hex, h, LN_HASH) != TK_OK) {
                    hex[0] = 0;
                }
                ln_log(ln,
                       "DeployContract to %s: code sha256 %s is not a known contract wasm "
                       "(the receipt fails with UnknownContractCode)",
                       c->receiver, hex);
                o->data = a->code.ptr;
                o->data_len = a->code.len;
            }
            break;
        }
        case TK_NEAR_ACTION_FUNCTION_CALL:
            if (memchr(a->method_name.ptr, 0, a->method_name.len) != NULL) {
                return json_pack("{s:{s:{s:I,s:I}}}", "ActionsValidation",
                                 "FunctionCallMethodNameLengthExceeded", "length",
                                 (json_int_t)a->method_name.len, "limit",
                                 (json_int_t)TK_NEAR_MAX_METHOD_NAME_LEN);
            }
            if (a->gas == 0) {
                return json_pack("{s:s}", "ActionsValidation", "FunctionCallZeroAttachedGas");
            }
            total_gas += a->gas;
            if (total_gas > TK_LOCALNET_MAX_PREPAID_GAS || total_gas < a->gas) {
                return json_pack("{s:{s:{s:I,s:I}}}", "ActionsValidation",
                                 "TotalPrepaidGasExceeded", "total_prepaid_gas",
                                 (json_int_t)total_gas, "limit",
                                 (json_int_t)TK_LOCALNET_MAX_PREPAID_GAS);
            }
            bytes_str(c->methods[i], sizeof c->methods[i], a->method_name);
            o->kind = TK_NEARVM_ACT_FUNCTION_CALL;
            o->method = c->methods[i];
            o->data = a->args.ptr;
            o->data_len = a->args.len;
            o->gas = a->gas;
            o->deposit = u128_le(a->amount);
            break;
        case TK_NEAR_ACTION_TRANSFER:
            o->kind = TK_NEARVM_ACT_TRANSFER;
            o->deposit = u128_le(a->amount);
            break;
        case TK_NEAR_ACTION_ADD_KEY:
        case TK_NEAR_ACTION_DELETE_KEY:
            if (a->public_key.type != TK_NEAR_KEY_ED25519 ||
                tk_nearkey_encode(c->keys[i], sizeof c->keys[i], TK_NEARKEY_ED25519_PUBLIC,
                                  a->public_key.data, 32) != TK_OK) {
                return unsupported("secp256k1 access keys");
            }
            o->kind = a->kind == TK_NEAR_ACTION_ADD_KEY ? TK_NEARVM_ACT_ADD_KEY
                                                        : TK_NEARVM_ACT_DELETE_KEY;
            o->public_key = c->keys[i];
            if (a->kind == TK_NEAR_ACTION_ADD_KEY && !a->full_access) {
                char rcv[65], allowance[40];
                json_t *names = json_array();
                bytes_str(rcv, sizeof rcv, a->permission_receiver);
                for (size_t k = 0; k < a->n_method_names; k++) {
                    tk_near_bytes m;
                    if (tk_near_method_name_var(&m, a, k) != TK_OK || m.len == 0 ||
                        memchr(m.ptr, ',', m.len) || memchr(m.ptr, 0, m.len)) {
                        json_decref(names);
                        return json_pack("{s:{s:{s:I,s:I}}}", "ActionsValidation",
                                         "AddKeyMethodNameLengthExceeded", "length",
                                         (json_int_t)m.len, "limit", (json_int_t)256);
                    }
                    json_array_append_new(names, json_stringn((const char *)m.ptr, m.len));
                }
                c->ak[i] =
                    json_pack("{s:I,s:{s:{s:o,s:s,s:o}}}", "nonce", (json_int_t)a->access_key_nonce,
                              "permission", "FunctionCall", "allowance",
                              a->has_allowance ? json_string(ln_u128_str(allowance, a->allowance))
                                               : json_null(),
                              "receiver_id", rcv, "method_names", names);
                o->access_key = c->ak[i];
            }
            break;
        case TK_NEAR_ACTION_DELETE_ACCOUNT:
            bytes_str(c->benef[i], sizeof c->benef[i], a->beneficiary_id);
            o->kind = TK_NEARVM_ACT_DELETE_ACCOUNT;
            o->beneficiary = c->benef[i];
            break;
        case TK_NEAR_ACTION_STAKE:
            return unsupported("Stake");
        case TK_NEAR_ACTION_DELEGATE:
            return unsupported("Delegate");
        }
    }
    c->stx.signer = c->signer;
    c->stx.public_key = c->pk;
    c->stx.nonce = tx->nonce;
    c->stx.receiver = c->receiver;
    c->stx.actions = c->acts;
    c->stx.n_actions = tx->n_actions;
    c->stx.gas_price = ln->gas_price;
    return NULL;
}

static int block_hash_ok(tk_localnet *ln, const unsigned char hash[LN_HASH])
{
    uint64_t h = 0;
    if (ln_block_by_hash(ln, &h, hash) != TK_OK) {
        return 0;
    }
    return ln->head_height + 1 - h <= ln->validity;
}

/* Quick state checks at submission (signer, key, nonce); the full ones run at inclusion. */
static json_t *precheck(tk_localnet *ln, const conv *c)
{
    json_t *acc = NULL, *k, *err = NULL;
    size_t i;
    int found = 0;
    if (tk_nearvm_account(ln->vm, &acc, c->signer) != TK_OK) {
        return json_pack("{s:{s:s}}", "SignerDoesNotExist", "signer_id", c->signer);
    }
    json_array_foreach(json_object_get(acc, "keys"), i, k)
    {
        const char *pk = json_string_value(json_object_get(k, "public_key"));
        if (pk != NULL && strcmp(pk, c->pk) == 0) {
            json_int_t nonce =
                json_integer_value(json_object_get(json_object_get(k, "access_key"), "nonce"));
            found = 1;
            if ((json_int_t)c->stx.nonce <= nonce) {
                err = json_pack("{s:{s:I,s:I}}", "InvalidNonce", "tx_nonce",
                                (json_int_t)c->stx.nonce, "ak_nonce", nonce);
            }
        }
    }
    if (!found) {
        err = json_pack("{s:{s:{s:s,s:s}}}", "InvalidAccessKeyError", "AccessKeyNotFound",
                        "account_id", c->signer, "public_key", c->pk);
    }
    json_decref(acc);
    return err;
}

int ln_pool_add(tk_localnet *ln, json_t **invalid, ln_pooled *p)
{
    conv *c = calloc(1, sizeof *c);
    *invalid = NULL;
    if (c == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if ((*invalid = convert(ln, c, p->tx)) == NULL) {
        if (!block_hash_ok(ln, p->tx->block_hash)) {
            *invalid = json_string("Expired");
        } else {
            *invalid = precheck(ln, c);
        }
    }
    conv_free(c);
    if (*invalid != NULL) {
        return TK_OK;
    }
    if (ln->n_pool == ln->cap_pool) {
        size_t cap = ln->cap_pool ? 2 * ln->cap_pool : 64;
        ln_pooled *g = realloc(ln->pool, cap * sizeof *g);
        if (g == NULL) {
            return tk_fail(TK_ERR_NOMEM, "out of memory");
        }
        ln->pool = g;
        ln->cap_pool = cap;
    }
    ln->pool[ln->n_pool++] = *p;
    memset(p, 0, sizeof *p);
    return TK_OK;
}

static void reject(tk_localnet *ln, const unsigned char hash[LN_HASH], json_t *invalid)
{
    ln_rejected *r = &ln->rejected[ln->n_rejected % LN_REJECTED_KEEP];
    json_decref(r->invalid);
    memcpy(r->hash, hash, LN_HASH);
    r->invalid = invalid;
    ln->n_rejected++;
}

ln_tx_state ln_tx_state_of(tk_localnet *ln, const unsigned char hash[LN_HASH], json_t **invalid)
{
    sqlite3_stmt *st = NULL;
    ln_tx_state s = LN_TX_UNKNOWN;
    size_t i, n;
    *invalid = NULL;
    if ((st = ln_stmt(ln->store, "SELECT done FROM txs WHERE hash = ?1")) != NULL) {
        sqlite3_bind_blob(st, 1, hash, LN_HASH, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            s = sqlite3_column_int(st, 0) ? LN_TX_DONE : LN_TX_INCLUDED;
        }
        ln_stmt_done(ln->store, st);
    }
    if (s != LN_TX_UNKNOWN) {
        return s;
    }
    for (i = 0; i < ln->n_pool; i++) {
        if (memcmp(ln->pool[i].hash, hash, LN_HASH) == 0) {
            return LN_TX_POOLED;
        }
    }
    n = ln->n_rejected < LN_REJECTED_KEEP ? ln->n_rejected : LN_REJECTED_KEEP;
    for (i = 0; i < n; i++) {
        /* newest first: a resubmitted transaction's latest verdict wins */
        const ln_rejected *r = &ln->rejected[(ln->n_rejected - 1 - i) % LN_REJECTED_KEEP];
        if (memcmp(r->hash, hash, LN_HASH) == 0) {
            *invalid = json_incref(r->invalid);
            return LN_TX_REJECTED;
        }
    }
    return LN_TX_UNKNOWN;
}

/* Admits one pooled transaction into the block being made. Returns TK_OK (admitted or
 * rejected) or a store error. */
static int include_tx(tk_localnet *ln, json_t *tx_hashes, ln_pooled *p, uint64_t height)
{
    conv *c = calloc(1, sizeof *c);
    json_t *invalid = NULL;
    sqlite3_stmt *st = NULL;
    uint64_t id = 0;
    char b58[64];
    int rc = TK_OK;
    if (c == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if ((invalid = convert(ln, c, p->tx)) == NULL && !block_hash_ok(ln, p->tx->block_hash)) {
        invalid = json_string("Expired");
    }
    if (invalid == NULL && (rc = tk_nearvm_submit(ln->vm, &id, &invalid, &c->stx)) != TK_OK) {
        /* malformed for the runtime (should not happen after convert): refuse it */
        rc = TK_OK;
        invalid = json_pack("{s:s}", "ActionsValidation", "EmptyActions");
    }
    if (invalid != NULL) {
        reject(ln, p->hash, invalid);
        conv_free(c);
        return TK_OK;
    }
    if ((st = ln_stmt(ln->store,
                      "INSERT INTO txs (hash, id, signer, height, signed) VALUES (?1, ?2, ?3, "
                      "?4, ?5)")) == NULL) {
        rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
    } else {
        sqlite3_bind_blob(st, 1, p->hash, LN_HASH, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
        sqlite3_bind_text(st, 3, c->signer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)height);
        sqlite3_bind_blob(st, 5, p->signed_tx, (int)p->signed_len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
        }
    }
    ln_stmt_done(ln->store, st);
    ln_b58(b58, sizeof b58, p->hash, LN_HASH);
    json_array_append_new(tx_hashes, json_string(b58));
    conv_free(c);
    return rc;
}

int ln_produce_block(tk_localnet *ln)
{
    unsigned char tx_root[LN_HASH] = {0}, outcome_root[LN_HASH] = {0}, hash[LN_HASH];
    json_t *tx_hashes = json_array(), *receipts = json_array();
    uint64_t height = ln->head_height + 1, ts = now_ns(), gas = 0;
    sqlite3_stmt *st = NULL;
    int rc;
    size_t i;
    if (ln->fatal) {
        json_decref(tx_hashes);
        json_decref(receipts);
        return tk_fail(TK_ERR_IO, "localnet: the chain stopped after a store failure");
    }
    if (ts <= ln->head_ts) {
        ts = ln->head_ts + 1;
    }
    if ((rc = ln_sql(ln->store->db, "BEGIN IMMEDIATE")) != TK_OK) {
        json_decref(tx_hashes);
        json_decref(receipts);
        return rc;
    }
    for (i = 0; i < ln->n_pool && rc == TK_OK; i++) {
        rc = include_tx(ln, tx_hashes, &ln->pool[i], height);
    }
    for (i = 0; i < ln->n_pool; i++) {
        ln_pooled_clear(&ln->pool[i]);
    }
    ln->n_pool = 0;
    if (rc == TK_OK) {
        ln->hook_failed = 0;
        ln->in_block = 1;
        rc = tk_nearvm_advance_at(ln->vm, ts);
        ln->in_block = 0;
        if (rc == TK_OK && ln->hook_failed) {
            rc = tk_fail(TK_ERR_IO, "localnet: cannot store receipt outcomes: %s",
                         sqlite3_errmsg(ln->store->db));
        }
    }
    /* the roots: sha256 of the included transaction hashes; sha256 of the executed receipts'
     * (hash || sha256(record)) */
    if (rc == TK_OK) {
        size_t n = json_array_size(tx_hashes);
        unsigned char *buf = malloc(n * LN_HASH + 1);
        json_t *v;
        if (buf == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        } else {
            json_array_foreach(tx_hashes, i, v)
            {
                size_t len = 0;
                const char *s = json_string_value(v);
                if (tk_base58_decode(buf + i * LN_HASH, LN_HASH, &len, s, strlen(s)) != TK_OK) {
                    memset(buf + i * LN_HASH, 0, LN_HASH);
                }
            }
            if (n) {
                tk_sha256(tx_root, buf, n * LN_HASH);
            }
            free(buf);
        }
    }
    if (rc == TK_OK &&
        sqlite3_prepare_v2(ln->store->db,
                           "SELECT id, record FROM receipts WHERE height = ?1 ORDER BY id", -1, &st,
                           NULL) == SQLITE_OK) {
        unsigned char acc[LN_HASH] = {0};
        int any = 0;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)height);
        while (sqlite3_step(st) == SQLITE_ROW) {
            unsigned char part[3 * LN_HASH];
            const char *rec = (const char *)sqlite3_column_text(st, 1);
            json_t *j = json_loads(rec ? rec : "{}", 0, NULL);
            uint64_t rid = (uint64_t)sqlite3_column_int64(st, 0);
            memcpy(part, acc, LN_HASH);
            ln_receipt_hash(ln, part + LN_HASH, rid);
            tk_sha256(part + 2 * LN_HASH, rec ? rec : "", rec ? strlen(rec) : 0);
            tk_sha256(acc, part, sizeof part);
            gas += (uint64_t)json_integer_value(json_object_get(j, "gas_burnt"));
            json_array_append_new(receipts, json_integer((json_int_t)rid));
            json_decref(j);
            any = 1;
        }
        sqlite3_finalize(st);
        if (any) {
            memcpy(outcome_root, acc, LN_HASH);
        }
    }
    if (rc == TK_OK) {
        ln_header_hash(hash, height, ln->head_hash, ts, tx_root, outcome_root);
        rc = insert_block(ln, height, hash, ln->head_hash, ts, tx_root, outcome_root, tx_hashes,
                          receipts, gas);
    }
    if (rc == TK_OK) {
        /* finished transactions are in the tables now: the runtime keeps only the work in flight,
         * and that is what vm_state records */
        tk_nearvm_forget_finished(ln->vm);
        rc = save_vm_state(ln);
    }
    if (rc == TK_OK) {
        rc = ln_sql(ln->store->db, "COMMIT");
    }
    json_decref(tx_hashes);
    json_decref(receipts);
    if (rc != TK_OK) {
        (void)ln_sql(ln->store->db, "ROLLBACK");
        ln->fatal = 1;
        ln_log(ln, "block %llu failed, the chain stops: %s", (unsigned long long)height,
               tk_errmsg());
        pthread_cond_broadcast(&ln->cv);
        return rc;
    }
    memcpy(ln->head_hash, hash, LN_HASH);
    ln->head_height = height;
    ln->head_ts = ts;
    pthread_cond_broadcast(&ln->cv);
    return TK_OK;
}
