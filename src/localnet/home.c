/*
 * localnet home directory and lifecycle: `init` writes genesis.json, config.json and
 * validator_key.json the way nearcore's sandbox lays them out; `open` reads them, opens the
 * SQLite database, registers the native contracts with their known wasm hashes, applies genesis
 * on first use (one SQLite transaction, genesis block at height 1) or reloads the head block and
 * the runtime's pending state; the block timer; stop and free. The validator secret key is read
 * into guarded memory and wiped on every path; it is written only to validator_key.json (0600).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

#define ROOT_AMOUNT "1000000000000000000000000000000000" /* 10^9 NEAR */
#define MAX_FILE    (64u << 20)

static int path_join(char *out, size_t cap, const char *dir, const char *name)
{
    if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap) {
        return tk_fail(TK_ERR_ARG, "localnet: path too long");
    }
    return TK_OK;
}

static int write_json(const char *path, const json_t *j, mode_t mode)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int rc;
    if (text == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    rc = tk_file_write_atomic(path, text, strlen(text), mode, 0);
    tk_wipe(text, strlen(text));
    free(text);
    return rc;
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

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z". Returns 1 on success. */
static int parse_rfc3339(uint64_t *ns, const char *s)
{
    struct tm tm;
    const char *p;
    uint64_t frac = 0, scale = 1000000000ull;
    time_t t;
    memset(&tm, 0, sizeof tm);
    p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (p == NULL) {
        return 0;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (scale > 1) {
                scale /= 10;
                frac += (uint64_t)(*p - '0') * scale;
            }
            p++;
        }
    }
    if (strcmp(p, "Z") != 0) {
        return 0;
    }
    t = timegm(&tm);
    if (t < 0) {
        return 0;
    }
    *ns = (uint64_t)t * 1000000000ull + frac;
    return 1;
}

/* The teekeys contracts under the root account, initialised by the root in the first block;
 * the DAO in development mode trusting dev_root_hex when it is not NULL. NULL when out of
 * memory. */
static json_t *default_contracts(const char *dev_root_hex)
{
    const char *root = TK_LOCALNET_ROOT_ACCOUNT;
    json_t *dao_args, *list;
    dao_args = json_pack("{s:[s],s:i,s:s,s:i,s:s,s:s}", "members", root, "threshold", 1,
                         "mpc_account_id", TK_LOCALNET_MPC_ACCOUNT, "domain_id", 0,
                         "chain_keys_account_id", TK_LOCALNET_CHAIN_KEYS_ACCOUNT,
                         "verifier_account_id", TK_LOCALNET_VERIFIER_ACCOUNT);
    if (dao_args != NULL && dev_root_hex != NULL &&
        (json_object_set_new(dao_args, "dev_mode", json_true()) != 0 ||
         json_object_set_new(dao_args, "dev_root", json_string(dev_root_hex)) != 0)) {
        json_decref(dao_args);
        return NULL;
    }
    list =
        json_pack("[{s:s,s:s},{s:s,s:s,s:{s:s,s:{s:[s],s:i}}},{s:s,s:s,s:{s:s,s:{s:s}}},"
                  "{s:s,s:s,s:{s:s,s:o}}]",
                  "account_id", TK_LOCALNET_VERIFIER_ACCOUNT, "contract", "verifier", /* no init */
                  "account_id", TK_LOCALNET_MPC_ACCOUNT, "contract", "mpc_signer", "init", "method",
                  "new", "args", "participants", root, "threshold", 1, /* */
                  "account_id", TK_LOCALNET_CHAIN_KEYS_ACCOUNT, "contract", "chain_keys", "init",
                  "method", "new", "args", "dao_account_id", TK_LOCALNET_DAO_ACCOUNT, /* */
                  "account_id", TK_LOCALNET_DAO_ACCOUNT, "contract", "dao", "init", "method", "new",
                  "args", dao_args); /* "o" steals dao_args, also when packing fails */
    return list;
}

int tk_localnet_init(const char *home, const tk_localnet_init_options *o)
{
    char path[PATH_MAX], pkstr[TK_NEARKEY_MAX_LEN], skstr[TK_NEARKEY_MAX_LEN], when[64];
    unsigned char pk[32], *sk = NULL;
    json_t *genesis = NULL, *config = NULL, *key = NULL;
    struct stat st;
    int rc;
    if (home == NULL) {
        return tk_fail(TK_ERR_ARG, "localnet init: no home directory");
    }
    if (mkdir(home, 0700) != 0 && errno != EEXIST) {
        return tk_fail(TK_ERR_IO, "localnet init: cannot create %s: %s", home, strerror(errno));
    }
    if ((rc = path_join(path, sizeof path, home, "genesis.json")) != TK_OK) {
        return rc;
    }
    if (stat(path, &st) == 0 && !(o && o->force)) {
        return tk_fail(TK_ERR_RANGE, "localnet init: %s already exists (use --force)", path);
    }
    if (o && o->force) { /* a new genesis makes the old database meaningless */
        static const char *const data[] = {"data/localnet.sqlite", "data/localnet.sqlite-wal",
                                           "data/localnet.sqlite-shm"};
        for (size_t i = 0; i < 3; i++) {
            if (path_join(path, sizeof path, home, data[i]) == TK_OK) {
                (void)unlink(path);
            }
        }
    }
    sk = tk_secure_alloc(64);
    if (sk == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    crypto_sign_keypair(pk, sk);
    if ((rc = tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, pk, 32)) != TK_OK ||
        (rc = tk_nearkey_encode(skstr, sizeof skstr, TK_NEARKEY_ED25519_SECRET, sk, 64)) != TK_OK) {
        goto done;
    }
    rfc3339(when, sizeof when, (uint64_t)time(NULL) * 1000000000ull);
    genesis = json_pack(
        "{s:s,s:s,s:i,s:i,s:s,s:i,s:I,s:[{s:{s:s,s:{s:s,s:s,s:s,s:i}}},{s:{s:s,s:s,s:{s:i,s:s}}}],"
        "s:[]}",
        "chain_id", o && o->chain_id ? o->chain_id : TK_LOCALNET_CHAIN_ID, "genesis_time", when,
        "genesis_height", 1, "protocol_version", 73, "min_gas_price", "100000000",
        "transaction_validity_period", (int)TK_LOCALNET_VALIDITY, "yield_timeout_length",
        (json_int_t)(o && o->yield_timeout ? o->yield_timeout : TK_NEARVM_DEFAULT_YIELD), "records",
        "Account", "account_id", TK_LOCALNET_ROOT_ACCOUNT, "account", "amount", ROOT_AMOUNT,
        "locked", "0", "code_hash", "11111111111111111111111111111111", "storage_usage", 0,
        "AccessKey", "account_id", TK_LOCALNET_ROOT_ACCOUNT, "public_key", pkstr, "access_key",
        "nonce", 0, "permission", "FullAccess", "contracts");
    if (genesis != NULL && !(o && o->bare) &&
        json_object_set_new(genesis, "contracts",
                            default_contracts(o ? o->dao_dev_root_hex : NULL)) != 0) {
        json_decref(genesis);
        genesis = NULL; /* out of memory: reported below like a failed json_pack */
    }
    config =
        json_pack("{s:{s:s,s:i},s:i,s:i,s:{s:s},s:n}", "rpc", "addr",
                  o && o->rpc_addr ? o->rpc_addr : TK_LOCALNET_DEFAULT_ADDR, "max_body_bytes",
                  (int)TK_LOCALNET_MAX_BODY, "block_time_ms",
                  (int)(o && o->block_ms > 0 ? o->block_ms : TK_LOCALNET_DEFAULT_BLOCK),
                  "tx_wait_ms", 10000, "store", "path", "data/localnet.sqlite", "contracts_dir");
    key = json_pack("{s:s,s:s,s:s}", "account_id", TK_LOCALNET_ROOT_ACCOUNT, "public_key", pkstr,
                    "secret_key", skstr);
    if (genesis == NULL || config == NULL || key == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = path_join(path, sizeof path, home, "validator_key.json")) != TK_OK ||
        (rc = write_json(path, key, 0600)) != TK_OK ||
        (rc = path_join(path, sizeof path, home, "config.json")) != TK_OK ||
        (rc = write_json(path, config, 0644)) != TK_OK ||
        (rc = path_join(path, sizeof path, home, "genesis.json")) != TK_OK ||
        (rc = write_json(path, genesis, 0644)) != TK_OK) {
        goto done;
    }
done:
    tk_wipe(skstr, sizeof skstr);
    tk_secure_free(sk);
    json_decref(genesis);
    json_decref(config);
    json_decref(key); /* jansson wipes its strings on free (tk_init) */
    return rc;
}

/* ---- open ---- */

static const char builtin_genesis[] =
    "{\"chain_id\":\"localnet\",\"genesis_time\":\"2026-01-01T00:00:00Z\",\"genesis_height\":1,"
    "\"records\":[{\"Account\":{\"account_id\":\"test.near\",\"account\":{\"amount\":"
    "\"" ROOT_AMOUNT "\"}}}],\"contracts\":[]}";

static int read_json(json_t **out, unsigned char **raw, size_t *raw_len, const char *path,
                     unsigned flags)
{
    unsigned char *data = NULL;
    size_t len = 0;
    json_error_t e;
    int rc = tk_file_read(&data, &len, path, MAX_FILE, flags);
    if (rc != TK_OK) {
        return rc;
    }
    *out = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &e);
    if (*out == NULL) {
        tk_wipe(data, len);
        free(data);
        return tk_fail(TK_ERR_INPUT, "%s: line %d: %s", path, e.line, e.text);
    }
    if (raw != NULL) {
        *raw = data;
        *raw_len = len;
    } else {
        tk_wipe(data, len);
        free(data);
    }
    return TK_OK;
}

static int load_codes(tk_localnet *ln, const tk_localnet_config *cfg, const char *dir)
{
    ln->codes = calloc(cfg->n_contracts ? cfg->n_contracts : 1, sizeof *ln->codes);
    if (ln->codes == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < cfg->n_contracts; i++) {
        const tk_localnet_contract *c = &cfg->contracts[i];
        uint64_t code_len = 0;
        int rc;
        if (dir != NULL) {
            char path[PATH_MAX];
            unsigned char *wasm = NULL;
            size_t len = 0;
            if (path_join(path, sizeof path, dir, c->name) == TK_OK &&
                strlen(path) + 6 < sizeof path) {
                strcat(path, ".wasm");
                if (tk_file_read(&wasm, &len, path, 64u << 20, 0) == TK_OK) {
                    ln_code *k = &ln->codes[ln->n_codes++];
                    tk_sha256(k->hash, wasm, len);
                    snprintf(k->name, sizeof k->name, "%s", c->name);
                    k->len = len;
                    code_len = len;
                    free(wasm);
                }
            }
        }
        if ((rc = tk_nearvm_register_contract(ln->vm, c->name, c->methods, code_len)) != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

static int parse_u128_field(tk_nearvm_u128 *out, const json_t *v, tk_nearvm_u128 dflt)
{
    const char *s = json_string_value(v);
    tk_nearvm_u128 x = 0;
    if (v == NULL || json_is_null(v)) {
        *out = dflt;
        return 1;
    }
    if (s == NULL || *s == 0 || strlen(s) > 39) {
        return 0;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (~(tk_nearvm_u128)0 - 9) / 10) {
            return 0;
        }
        x = x * 10 + (unsigned)(*s - '0');
    }
    *out = x;
    return 1;
}

static int apply_genesis(tk_localnet *ln, const unsigned char *raw, size_t raw_len)
{
    const json_t *records = json_object_get(ln->genesis, "records"), *r;
    const json_t *contracts = json_object_get(ln->genesis, "contracts");
    unsigned char zero[LN_HASH] = {0}, root[LN_HASH];
    char hex[65];
    size_t i;
    int rc = ln_sql(ln->store->db, "BEGIN IMMEDIATE");
    if (rc != TK_OK) {
        goto out;
    }
    json_array_foreach(records, i, r)
    {
        const json_t *acc = json_object_get(r, "Account"), *ak = json_object_get(r, "AccessKey");
        if (acc != NULL) {
            const char *id = json_string_value(json_object_get(acc, "account_id"));
            tk_nearvm_u128 amount;
            if (id == NULL ||
                !parse_u128_field(&amount,
                                  json_object_get(json_object_get(acc, "account"), "amount"), 0)) {
                rc = tk_fail(TK_ERR_INPUT, "genesis: record %zu: bad Account", i);
            } else {
                rc = tk_nearvm_create_account(ln->vm, id, amount, NULL);
            }
        } else if (ak != NULL) {
            const char *id = json_string_value(json_object_get(ak, "account_id"));
            const char *pk = json_string_value(json_object_get(ak, "public_key"));
            if (id == NULL || pk == NULL) {
                rc = tk_fail(TK_ERR_INPUT, "genesis: record %zu: bad AccessKey", i);
            } else {
                rc = tk_nearvm_add_key(ln->vm, id, pk, json_object_get(ak, "access_key"));
            }
        } else {
            rc = tk_fail(TK_ERR_INPUT, "genesis: record %zu is neither Account nor AccessKey", i);
        }
        if (rc != TK_OK) {
            goto fail;
        }
    }
    json_array_foreach(contracts, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "account_id"));
        const char *name = json_string_value(json_object_get(r, "contract"));
        tk_nearvm_u128 amount;
        json_t *acc = NULL;
        if (id == NULL || name == NULL ||
            !parse_u128_field(&amount, json_object_get(r, "amount"),
                              (tk_nearvm_u128)100000000000000ull * 1000000000000ull)) {
            rc = tk_fail(TK_ERR_INPUT, "genesis: contracts[%zu] needs account_id and contract", i);
            goto fail;
        }
        if (tk_nearvm_account(ln->vm, &acc, id) != TK_OK &&
            (rc = tk_nearvm_create_account(ln->vm, id, amount, NULL)) != TK_OK) {
            goto fail;
        }
        json_decref(acc);
        if ((rc = tk_nearvm_deploy(ln->vm, id, name)) != TK_OK) {
            rc = tk_fail(rc, "genesis: contracts[%zu]: %s", i, tk_errmsg());
            goto fail;
        }
    }
    tk_sha256(root, raw, raw_len);
    ln->head_height = 1;
    ln->head_ts = tk_nearvm_timestamp(ln->vm);
    /* the genesis header commits to the genesis file through its outcome root */
    ln_header_hash(ln->genesis_hash, 1, zero, ln->head_ts, zero, root);
    memcpy(ln->head_hash, ln->genesis_hash, LN_HASH);
    if (tk_hex_encode(hex, sizeof hex, ln->genesis_hash, LN_HASH) != TK_OK) {
        hex[0] = 0;
    }
    {
        sqlite3_stmt *st = NULL;
        char sig[8] = "";
        rc = sqlite3_prepare_v2(ln->store->db,
                                "INSERT INTO blocks (height, hash, prev_hash, timestamp, tx_root, "
                                "outcome_root, signature, txs, receipts, gas_used) VALUES (1, ?1, "
                                "?2, ?3, ?2, ?4, ?5, '[]', '[]', 0)",
                                -1, &st, NULL) == SQLITE_OK
                 ? TK_OK
                 : tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
        if (rc == TK_OK) {
            sqlite3_bind_blob(st, 1, ln->genesis_hash, LN_HASH, SQLITE_STATIC);
            sqlite3_bind_blob(st, 2, zero, LN_HASH, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)ln->head_ts);
            sqlite3_bind_blob(st, 4, root, LN_HASH, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, sig, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
            }
        }
        sqlite3_finalize(st);
    }
    if (rc == TK_OK) {
        sqlite3_stmt *st = NULL;
        json_t *doc = NULL;
        char *text = NULL;
        rc = tk_nearvm_export(ln->vm, &doc);
        if (rc == TK_OK && (text = json_dumps(doc, JSON_COMPACT)) == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        }
        json_decref(doc);
        if (rc == TK_OK &&
            sqlite3_prepare_v2(ln->store->db,
                               "INSERT OR REPLACE INTO meta (key, value) VALUES ('genesis_hash', "
                               "?1), ('chain_id', ?2), ('vm_state', ?3)",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, ln->chain_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
            }
        } else if (rc == TK_OK) {
            rc = tk_fail(TK_ERR_IO, "localnet: %s", sqlite3_errmsg(ln->store->db));
        }
        sqlite3_finalize(st);
        free(text);
    }
    if (rc == TK_OK && (rc = ln_sql(ln->store->db, "COMMIT")) == TK_OK) {
        goto out;
    }
fail:
    (void)ln_sql(ln->store->db, "ROLLBACK");
out:
    return rc;
}

static int reload(tk_localnet *ln, const char *genesis_hex)
{
    sqlite3_stmt *st = NULL;
    json_t *doc;
    char *state = NULL;
    size_t n = 0;
    int rc;
    if (tk_hex_decode(ln->genesis_hash, LN_HASH, &n, genesis_hex, strlen(genesis_hex)) != TK_OK ||
        n != LN_HASH) {
        return tk_fail(TK_ERR_INPUT, "localnet: damaged database (genesis hash)");
    }
    if (sqlite3_prepare_v2(
            ln->store->db,
            "SELECT height, hash, timestamp FROM blocks ORDER BY height DESC LIMIT 1", -1, &st,
            NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 1) != LN_HASH) {
        sqlite3_finalize(st);
        return tk_fail(TK_ERR_INPUT, "localnet: damaged database (no head block)");
    }
    ln->head_height = (uint64_t)sqlite3_column_int64(st, 0);
    memcpy(ln->head_hash, sqlite3_column_blob(st, 1), LN_HASH);
    ln->head_ts = (uint64_t)sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
    if ((rc = ln_meta_get(ln, &state, "vm_state")) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "localnet: damaged database (no runtime state)");
    }
    doc = json_loads(state, 0, NULL);
    free(state);
    rc = doc ? tk_nearvm_import(ln->vm, doc) : TK_ERR_INPUT;
    json_decref(doc);
    if (rc != TK_OK || tk_nearvm_height(ln->vm) != ln->head_height) {
        return tk_fail(
            TK_ERR_INPUT, "localnet: damaged database (runtime state at %llu, head %llu)",
            (unsigned long long)tk_nearvm_height(ln->vm), (unsigned long long)ln->head_height);
    }
    return TK_OK;
}

/* ---- genesis initialisation calls ----
 * A genesis contract entry may carry "init": {"method", "args"? (any JSON, default {}), "gas"?
 * (default 100 Tgas)}: a function call from the root account (the contract account's parent,
 * which the teekeys contracts accept for `new`), signed with the validator key (the root's
 * genesis key) and run as an ordinary transaction in the blocks right after genesis. It runs
 * while the head is still the genesis block, so a crash before block 2 commits repeats it on
 * restart, and block 2 commits every init transaction at once. */

#define INIT_GAS    100000000000000ull
#define INIT_BLOCKS 16 /* blocks the init calls may take (callbacks) */

static int init_tx(tk_localnet *ln, unsigned char hash[LN_HASH], const char *receiver,
                   const json_t *init, uint64_t nonce)
{
    const char *method = json_string_value(json_object_get(init, "method"));
    const json_t *args = json_object_get(init, "args"), *gas = json_object_get(init, "gas");
    tk_near_tx *tx = calloc(1, sizeof *tx);
    unsigned char *raw = NULL, *st = NULL;
    size_t raw_len = 0, st_len = 0;
    char *text = NULL;
    json_t *invalid = NULL;
    ln_pooled p;
    int rc;
    memset(&p, 0, sizeof p);
    if (tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if (method == NULL || (gas != NULL && !json_is_integer(gas)) ||
        (text = json_dumps(args ? args : json_object(), JSON_COMPACT | JSON_ENCODE_ANY)) == NULL) {
        rc = tk_fail(TK_ERR_INPUT, "genesis: %s: init needs a method (and integer gas)", receiver);
        goto done;
    }
    tx->signer_id = (tk_near_bytes){(const unsigned char *)ln->root, strlen(ln->root)};
    tx->public_key.type = TK_NEAR_KEY_ED25519;
    memcpy(tx->public_key.data, ln->validator_sk + 32, 32);
    tx->nonce = nonce;
    tx->receiver_id = (tk_near_bytes){(const unsigned char *)receiver, strlen(receiver)};
    memcpy(tx->block_hash, ln->head_hash, LN_HASH);
    tx->n_actions = 1;
    tx->actions[0].kind = TK_NEAR_ACTION_FUNCTION_CALL;
    tx->actions[0].method_name = (tk_near_bytes){(const unsigned char *)method, strlen(method)};
    tx->actions[0].args = (tk_near_bytes){(const unsigned char *)text, strlen(text)};
    tx->actions[0].gas = gas ? (uint64_t)json_integer_value(gas) : INIT_GAS;
    rc = tk_near_tx_encode_var(NULL, 0, &raw_len, tx);
    if (rc != TK_ERR_BUFFER) {
        rc = tk_fail(TK_ERR_INPUT, "genesis: %s: init: %s", receiver, tk_errmsg());
        goto done;
    }
    if ((raw = malloc(raw_len)) == NULL || (st = malloc(raw_len + 65)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = tk_near_tx_encode_var(raw, raw_len, &raw_len, tx)) != TK_OK ||
        (rc = tk_near_sign_transaction(st, raw_len + 65, &st_len, hash, ln->validator_sk, raw,
                                       raw_len)) != TK_OK ||
        (rc = ln_decode_signed(&p, &invalid, st, st_len)) != TK_OK) {
        goto done;
    }
    if (invalid == NULL && (rc = ln_pool_add(ln, &invalid, &p)) != TK_OK) {
        goto done;
    }
    if (invalid != NULL) {
        char *why = json_dumps(invalid, JSON_COMPACT);
        rc = tk_fail(TK_ERR_INPUT, "genesis: %s: init transaction refused: %s", receiver,
                     why ? why : "?");
        free(why);
    }
done:
    json_decref(invalid);
    ln_pooled_clear(&p);
    free(st);
    free(raw);
    free(text);
    free(tx);
    return rc;
}

/* The nonce of the validator key on the root account (0 if missing: admission then refuses). */
static uint64_t root_nonce(tk_localnet *ln)
{
    json_t *acc = NULL, *k;
    size_t i;
    uint64_t nonce = 0;
    if (tk_nearvm_account(ln->vm, &acc, ln->root) == TK_OK) {
        json_array_foreach(json_object_get(acc, "keys"), i, k)
        {
            const char *pk = json_string_value(json_object_get(k, "public_key"));
            if (pk != NULL && strcmp(pk, ln->validator_pk) == 0) {
                nonce = (uint64_t)json_integer_value(
                    json_object_get(json_object_get(k, "access_key"), "nonce"));
            }
        }
    }
    json_decref(acc);
    return nonce;
}

static int run_genesis_inits(tk_localnet *ln)
{
    const json_t *contracts = json_object_get(ln->genesis, "contracts"), *c;
    size_t i, n = 0, blocks;
    unsigned char(*hashes)[LN_HASH] = calloc(json_array_size(contracts) + 1, LN_HASH);
    uint64_t nonce;
    int rc = TK_OK;
    if (hashes == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    nonce = root_nonce(ln);
    json_array_foreach(contracts, i, c)
    {
        const json_t *init = json_object_get(c, "init");
        const char *id = json_string_value(json_object_get(c, "account_id"));
        if (init != NULL && rc == TK_OK) {
            rc = init_tx(ln, hashes[n], id, init, nonce + n + 1);
            n++;
        }
    }
    for (blocks = 0; rc == TK_OK && n > 0 && blocks < INIT_BLOCKS; blocks++) {
        size_t done = 0;
        if ((rc = ln_produce_block(ln)) != TK_OK) {
            break;
        }
        for (i = 0; i < n; i++) {
            json_t *invalid = NULL;
            ln_tx_state s = ln_tx_state_of(ln, hashes[i], &invalid);
            json_decref(invalid);
            done += s == LN_TX_DONE || s == LN_TX_REJECTED;
        }
        if (done == n) {
            break;
        }
    }
    /* every init must have succeeded */
    for (i = 0; rc == TK_OK && i < n; i++) {
        json_t *invalid = NULL, *out = NULL;
        ln_tx_state s = ln_tx_state_of(ln, hashes[i], &invalid);
        const json_t *st;
        if (s == LN_TX_DONE) {
            out = ln_tx_outcome_view(ln, hashes[i], 0);
        }
        st = json_object_get(out, "status");
        if (s != LN_TX_DONE || json_object_get(st, "Failure") != NULL || st == NULL) {
            char *why = json_dumps(invalid ? invalid : st, JSON_COMPACT | JSON_ENCODE_ANY);
            rc = tk_fail(TK_ERR_INPUT, "genesis: init call %zu %s: %s", i + 1,
                         s == LN_TX_DONE ? "failed" : "did not finish", why ? why : "");
            free(why);
        }
        json_decref(out);
        json_decref(invalid);
    }
    free(hashes);
    return rc;
}

int tk_localnet_open(tk_localnet **out, const tk_localnet_config *cfg)
{
    tk_localnet *ln;
    json_t *config = NULL, *key = NULL;
    unsigned char *graw = NULL;
    size_t graw_len = 0;
    char path[PATH_MAX], *gh = NULL;
    const char *contracts_dir;
    tk_nearvm_config vc;
    uint64_t gns = 0;
    int rc;
    if (out == NULL || cfg == NULL || (cfg->contracts == NULL && cfg->n_contracts)) {
        return tk_fail(TK_ERR_ARG, "localnet: NULL");
    }
    *out = NULL;
    ln = calloc(1, sizeof *ln);
    if (ln == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    pthread_mutex_init(&ln->mu, NULL);
    pthread_cond_init(&ln->cv, NULL);
    ln->quiet = cfg->quiet;
    ln->start_s = (uint64_t)time(NULL);
    ln->validator_sk = tk_secure_alloc(64);
    if (ln->validator_sk == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    contracts_dir = cfg->contracts_dir;
    ln->block_ms = TK_LOCALNET_DEFAULT_BLOCK;
    snprintf(ln->rpc_addr, sizeof ln->rpc_addr, "%s", TK_LOCALNET_DEFAULT_ADDR);
    if (cfg->home != NULL) {
        const json_t *v;
        const char *s;
        if ((rc = path_join(path, sizeof path, cfg->home, "config.json")) != TK_OK ||
            (rc = read_json(&config, NULL, NULL, path, 0)) != TK_OK) {
            goto fail;
        }
        if ((s = json_string_value(json_object_get(json_object_get(config, "rpc"), "addr")))) {
            snprintf(ln->rpc_addr, sizeof ln->rpc_addr, "%s", s);
        }
        if (json_is_integer(v = json_object_get(config, "block_time_ms")) &&
            json_integer_value(v) > 0) {
            ln->block_ms = (long)json_integer_value(v);
        }
        if (json_is_integer(v = json_object_get(config, "tx_wait_ms"))) {
            ln->wait_ms = (long)json_integer_value(v);
        }
        if (contracts_dir == NULL) {
            contracts_dir = json_string_value(json_object_get(config, "contracts_dir"));
        }
        if ((rc = path_join(path, sizeof path, cfg->home, "genesis.json")) != TK_OK ||
            (rc = read_json(&ln->genesis, &graw, &graw_len, path, 0)) != TK_OK ||
            (rc = path_join(path, sizeof path, cfg->home, "validator_key.json")) != TK_OK ||
            (rc = read_json(&key, NULL, NULL, path, 0)) != TK_OK) {
            goto fail;
        }
        s = json_string_value(json_object_get(key, "secret_key"));
        if (s == NULL || tk_nearkey_decode(ln->validator_sk, 64, TK_NEARKEY_ED25519_SECRET, s,
                                           strlen(s)) != TK_OK) {
            rc = tk_fail(TK_ERR_INPUT, "validator_key.json: secret_key is not an ed25519 key");
            goto fail;
        }
        if ((s = json_string_value(json_object_get(key, "account_id")))) {
            snprintf(ln->root, sizeof ln->root, "%s", s);
        }
    } else {
        /* in memory (fuzzing, tests): a fixed, public root key so callers can sign */
        unsigned char pk[32], seed[32];
        char pkstr[TK_NEARKEY_MAX_LEN];
        tk_sha256(seed, TK_LOCALNET_MEMORY_SEED, strlen(TK_LOCALNET_MEMORY_SEED));
        crypto_sign_seed_keypair(pk, ln->validator_sk, seed);
        ln->genesis = json_loads(builtin_genesis, 0, NULL);
        if (ln->genesis == NULL ||
            tk_nearkey_encode(pkstr, sizeof pkstr, TK_NEARKEY_ED25519_PUBLIC, pk, 32) != TK_OK ||
            json_array_append_new(json_object_get(ln->genesis, "records"),
                                  json_pack("{s:{s:s,s:s,s:{s:i,s:s}}}", "AccessKey", "account_id",
                                            TK_LOCALNET_ROOT_ACCOUNT, "public_key", pkstr,
                                            "access_key", "nonce", 0, "permission",
                                            "FullAccess")) != 0 ||
            (graw = (unsigned char *)json_dumps(ln->genesis, JSON_COMPACT)) == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto fail;
        }
        graw_len = strlen((const char *)graw);
    }
    if (ln->root[0] == 0) {
        snprintf(ln->root, sizeof ln->root, "%s", TK_LOCALNET_ROOT_ACCOUNT);
    }
    if (tk_nearkey_encode(ln->validator_pk, sizeof ln->validator_pk, TK_NEARKEY_ED25519_PUBLIC,
                          ln->validator_sk + 32, 32) != TK_OK) {
        rc = TK_ERR_INTERNAL;
        goto fail;
    }
    if (cfg->rpc_addr != NULL) {
        snprintf(ln->rpc_addr, sizeof ln->rpc_addr, "%s", cfg->rpc_addr);
    }
    if (cfg->block_ms != 0) {
        ln->block_ms = cfg->block_ms;
    }
    if (cfg->wait_ms != 0) {
        ln->wait_ms = cfg->wait_ms;
    }
    if (ln->wait_ms == 0) {
        ln->wait_ms = 10000;
    }
    /* genesis fields */
    {
        const json_t *g = ln->genesis, *v;
        const char *s = json_string_value(json_object_get(g, "chain_id"));
        snprintf(ln->chain_id, sizeof ln->chain_id, "%s", s ? s : TK_LOCALNET_CHAIN_ID);
        s = json_string_value(json_object_get(g, "genesis_time"));
        if (s == NULL || !parse_rfc3339(&gns, s) || gns == 0) {
            rc = tk_fail(TK_ERR_INPUT, "genesis: genesis_time must be RFC 3339 (UTC)");
            goto fail;
        }
        v = json_object_get(g, "genesis_height");
        if (v != NULL && (!json_is_integer(v) || json_integer_value(v) != 1)) {
            rc = tk_fail(TK_ERR_UNSUPPORTED, "genesis: only genesis_height 1 is supported");
            goto fail;
        }
        ln->gas_price = TK_LOCALNET_GAS_PRICE;
        s = json_string_value(json_object_get(g, "min_gas_price"));
        if (s != NULL) {
            ln->gas_price = strtoull(s, NULL, 10);
        }
        v = json_object_get(g, "transaction_validity_period");
        ln->validity = json_is_integer(v) && json_integer_value(v) > 0
                           ? (uint64_t)json_integer_value(v)
                           : TK_LOCALNET_VALIDITY;
        memset(&vc, 0, sizeof vc);
        v = json_object_get(g, "yield_timeout_length");
        vc.yield_timeout = json_is_integer(v) && json_integer_value(v) > 0
                               ? (uint64_t)json_integer_value(v)
                               : TK_NEARVM_DEFAULT_YIELD;
        vc.genesis_timestamp_ns = gns;
    }
    /* the database */
    if (cfg->home != NULL) {
        if ((rc = path_join(path, sizeof path, cfg->home, "data")) != TK_OK) {
            goto fail;
        }
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            rc = tk_fail(TK_ERR_IO, "localnet: cannot create %s: %s", path, strerror(errno));
            goto fail;
        }
        if ((rc = path_join(path, sizeof path, cfg->home, "data/localnet.sqlite")) != TK_OK) {
            goto fail;
        }
    } else {
        snprintf(path, sizeof path, ":memory:");
    }
    if ((rc = ln_store_open(&ln->store, path)) != TK_OK ||
        (rc = ln_sql(ln->store->db, ln_schema)) != TK_OK) {
        goto fail;
    }
    vc.store = ln_store_borrowed(ln->store);
    if (contracts_dir != NULL && (ln->contracts_dir = strdup(contracts_dir)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = tk_nearvm_new(&ln->vm, &vc)) != TK_OK ||
        (rc = load_codes(ln, cfg, contracts_dir)) != TK_OK) {
        goto fail;
    }
    rc = ln_meta_get(ln, &gh, "genesis_hash");
    if (rc == TK_ERR_NOT_FOUND) {
        rc = apply_genesis(ln, graw, graw_len);
    } else if (rc == TK_OK) {
        rc = reload(ln, gh);
    }
    if (rc != TK_OK) {
        goto fail;
    }
    tk_nearvm_set_receipt_hook(ln->vm, ln_on_receipt, ln);
    if (ln->head_height == 1) {
        pthread_mutex_lock(&ln->mu);
        rc = run_genesis_inits(ln);
        pthread_mutex_unlock(&ln->mu);
        if (rc != TK_OK) {
            goto fail;
        }
    }
    free(gh);
    free(graw);
    json_decref(config);
    json_decref(key);
    *out = ln;
    return TK_OK;
fail:
    free(gh);
    free(graw);
    json_decref(config);
    json_decref(key);
    tk_localnet_free(ln);
    return rc;
}

/* ---- the block timer ---- */

static void *producer(void *arg)
{
    tk_localnet *ln = arg;
    struct timespec next;
    clock_gettime(CLOCK_REALTIME, &next);
    pthread_mutex_lock(&ln->mu);
    while (!ln->stopping && !ln->fatal) {
        struct timespec now;
        next.tv_nsec += ln->block_ms % 1000 * 1000000L;
        next.tv_sec += ln->block_ms / 1000 + next.tv_nsec / 1000000000L;
        next.tv_nsec %= 1000000000L;
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec > next.tv_sec + 1) { /* far behind (suspended): restart the schedule */
            next = now;
        }
        while (!ln->stopping && pthread_cond_timedwait(&ln->cv, &ln->mu, &next) != ETIMEDOUT) {
        }
        if (ln->stopping) {
            break;
        }
        (void)ln_produce_block(ln);
    }
    pthread_mutex_unlock(&ln->mu);
    return NULL;
}

int tk_localnet_start(tk_localnet *ln, char *url, size_t url_cap)
{
    int rc;
    if (ln == NULL || url == NULL || url_cap == 0) {
        return tk_fail(TK_ERR_ARG, "localnet: NULL");
    }
    if (ln->started) {
        return tk_fail(TK_ERR_RANGE, "localnet: already started");
    }
    if ((rc = ln_http_start(ln, url, url_cap)) != TK_OK) {
        return rc;
    }
    ln->started = 1;
    if (ln->block_ms > 0 && pthread_create(&ln->producer, NULL, producer, ln) != 0) {
        ln_http_stop(ln);
        ln->started = 0;
        return tk_fail(TK_ERR_INTERNAL, "localnet: cannot start the block timer");
    }
    if (ln->block_ms > 0) {
        ln->started = 2;
    }
    return TK_OK;
}

void tk_localnet_stop(tk_localnet *ln)
{
    if (ln == NULL || !ln->started) {
        return;
    }
    pthread_mutex_lock(&ln->mu);
    ln->stopping = 1;
    pthread_cond_broadcast(&ln->cv);
    pthread_mutex_unlock(&ln->mu);
    ln_http_stop(ln);
    if (ln->started == 2) {
        pthread_join(ln->producer, NULL);
    }
    ln->started = 0;
}

void tk_localnet_free(tk_localnet *ln)
{
    if (ln == NULL) {
        return;
    }
    tk_localnet_stop(ln);
    for (size_t i = 0; i < ln->n_pool; i++) {
        ln_pooled_clear(&ln->pool[i]);
    }
    free(ln->pool);
    for (size_t i = 0; i < LN_REJECTED_KEEP; i++) {
        json_decref(ln->rejected[i].invalid);
    }
    tk_nearvm_free(ln->vm);
    ln_store_close(ln->store);
    tk_secure_free(ln->validator_sk);
    json_decref(ln->genesis);
    free(ln->codes);
    free(ln->contracts_dir);
    pthread_mutex_destroy(&ln->mu);
    pthread_cond_destroy(&ln->cv);
    free(ln);
}

int tk_localnet_produce_block(tk_localnet *ln)
{
    int rc;
    if (ln == NULL) {
        return tk_fail(TK_ERR_ARG, "localnet: NULL");
    }
    pthread_mutex_lock(&ln->mu);
    rc = ln_produce_block(ln);
    pthread_mutex_unlock(&ln->mu);
    return rc;
}

const char *tk_localnet_chain_id(const tk_localnet *ln)
{
    return ln != NULL ? ln->chain_id : "";
}

uint64_t tk_localnet_height(tk_localnet *ln)
{
    uint64_t h;
    if (ln == NULL) {
        return 0;
    }
    pthread_mutex_lock(&ln->mu);
    h = ln->head_height;
    pthread_mutex_unlock(&ln->mu);
    return h;
}

int tk_localnet_failed(tk_localnet *ln)
{
    int f;
    if (ln == NULL) {
        return 1;
    }
    pthread_mutex_lock(&ln->mu);
    f = ln->fatal;
    pthread_mutex_unlock(&ln->mu);
    return f;
}
