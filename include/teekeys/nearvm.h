/*
 * teekeys nearvm: the NEAR runtime that hosts teekeys' natively built contracts with nearcore's
 * semantics (docs/nearvm.md): accounts and access keys, receipts executed block by block,
 * cross-contract promises with callbacks, yield/resume with a timeout, deposits and refunds,
 * storage staking, views. Contracts are `near_method` tables (contracts/sdk/near_sdk.h) registered
 * by name; the `near_host_*` functions they call are defined by this module.
 *
 * Single-threaded: a tk_nearvm runs one contract method at a time on the calling thread, and the
 * host functions find the running call through one process-wide pointer, so two tk_nearvm may
 * exist but must not run concurrently. It never trusts contract input: host errors and panics
 * end the call and roll its receipt back.
 */
#ifndef TEEKEYS_NEARVM_H
#define TEEKEYS_NEARVM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "near_sdk.h" /* near_method */
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned __int128 tk_nearvm_u128;

#define TK_NEARVM_DEFAULT_GENESIS_NS 1700000000000000000ull
#define TK_NEARVM_DEFAULT_BLOCK_NS   1000000000ull
#define TK_NEARVM_DEFAULT_YIELD      200u                    /* blocks */
#define TK_NEARVM_DEFAULT_GAS        300000000000000ull      /* 300 Tgas */
#define TK_NEARVM_STORAGE_PRICE      10000000000000000000ull /* yocto per byte */
#define TK_NEARVM_ZERO_BALANCE_LIMIT 770u                    /* bytes (NEP-448) */
#define TK_NEARVM_MAX_ARGS           (4u << 20)

/* ---- state storage ----
 * Records are (kind, account, key) -> value with byte keys, iterated in key byte order per
 * (kind, account). The VM wraps every receipt in begin/commit (or rollback on failure); nothing
 * is written outside a transaction. An in-memory store comes with the module; a SQLite one
 * (localnet) implements the same operations. Operations return TK_OK or a negative tk_status;
 * get returns TK_ERR_NOT_FOUND for a missing record. */
typedef enum {
    TK_NEARVM_REC_ACCOUNT = 1, /* key empty; value: the account record (internal encoding) */
    TK_NEARVM_REC_KEY = 2,     /* key: borsh PublicKey; value: borsh AccessKey */
    TK_NEARVM_REC_DATA = 3     /* key/value: contract storage */
} tk_nearvm_rec;

/* Called for each record; returning non-zero stops the iteration (iterate then returns it). */
typedef int (*tk_nearvm_iter_fn)(void *arg, const unsigned char *key, size_t key_len,
                                 const unsigned char *val, size_t val_len);

typedef struct {
    /* Out: *val (malloc, caller frees; may be NULL for an empty value), *val_len. */
    int (*get)(void *ctx, unsigned char **val, size_t *val_len, tk_nearvm_rec kind,
               const char *account, const unsigned char *key, size_t key_len);
    int (*put)(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
               size_t key_len, const unsigned char *val, size_t val_len);
    /* Deleting a missing record is not an error. */
    int (*del)(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
               size_t key_len);
    int (*iterate)(void *ctx, tk_nearvm_rec kind, const char *account, tk_nearvm_iter_fn fn,
                   void *arg);
    int (*begin)(void *ctx);
    int (*commit)(void *ctx);
    int (*rollback)(void *ctx);
    void (*free)(void *ctx);
} tk_nearvm_store_ops;

typedef struct {
    const tk_nearvm_store_ops *ops;
    void *ctx;
} tk_nearvm_store;

/* Creates an empty in-memory store. Returns TK_OK or TK_ERR_NOMEM. */
int tk_nearvm_store_memory(tk_nearvm_store *store) TK_MUST_CHECK;

/* ---- the chain ---- */
typedef struct tk_nearvm tk_nearvm;

typedef struct {
    uint64_t genesis_timestamp_ns; /* 0: TK_NEARVM_DEFAULT_GENESIS_NS */
    uint64_t block_step_ns;        /* 0: TK_NEARVM_DEFAULT_BLOCK_NS */
    uint64_t yield_timeout;        /* blocks; 0: TK_NEARVM_DEFAULT_YIELD */
    tk_nearvm_store store;         /* ops NULL: a fresh in-memory store; else owned by the VM */
} tk_nearvm_config;

/* Creates a chain at height 1. Out: *vm. In: config (NULL: defaults).
 * Returns TK_OK, TK_ERR_ARG or TK_ERR_NOMEM. */
int tk_nearvm_new(tk_nearvm **vm, const tk_nearvm_config *config) TK_MUST_CHECK;
/* Frees the chain and its store. NULL is a no-op. */
void tk_nearvm_free(tk_nearvm *vm);
/* Drops every account, receipt and outcome and restarts at height 1 with `config` (NULL:
 * defaults); registered contracts stay. Returns TK_OK or a store error. */
int tk_nearvm_reset(tk_nearvm *vm, const tk_nearvm_config *config) TK_MUST_CHECK;

/* Makes a native contract deployable under `name`. methods: a {NULL, NULL}-terminated table that
 * must outlive the VM; code_len: the byte length its wasm has (storage usage), 0 if unknown.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (name taken) or TK_ERR_NOMEM. */
int tk_nearvm_register_contract(tk_nearvm *vm, const char *name, const near_method *methods,
                                uint64_t code_len) TK_MUST_CHECK;

/* Creates an account at once (genesis-style, no receipt). contract: a registered name or NULL.
 * Returns TK_OK, TK_ERR_INPUT (bad id), TK_ERR_RANGE (exists), TK_ERR_NOT_FOUND (contract). */
int tk_nearvm_create_account(tk_nearvm *vm, const char *account_id, tk_nearvm_u128 amount,
                             const char *contract) TK_MUST_CHECK;
/* Sets an account's contract at once. Returns TK_OK or TK_ERR_NOT_FOUND (account, contract). */
int tk_nearvm_deploy(tk_nearvm *vm, const char *account_id, const char *contract) TK_MUST_CHECK;
/* Adds an access key at once. public_key: "ed25519:…" or "secp256k1:…"; access_key: NULL (full
 * access, nonce 0) or {"nonce": n, "permission": "FullAccess" | {"FunctionCall": {"allowance":
 * "dec"|null, "receiver_id": "..", "method_names": [..]}}}.
 * Returns TK_OK, TK_ERR_INPUT, TK_ERR_RANGE (key exists) or TK_ERR_NOT_FOUND (account). */
int tk_nearvm_add_key(tk_nearvm *vm, const char *account_id, const char *public_key,
                      const json_t *access_key) TK_MUST_CHECK;

typedef struct {
    const char *signer;    /* must exist */
    const char *signer_pk; /* "ed25519:…" or NULL (no key check, zero key in the context) */
    const char *receiver;
    const char *method;
    const unsigned char *args;
    size_t args_len;
    tk_nearvm_u128 deposit;
    uint64_t gas; /* 0: TK_NEARVM_DEFAULT_GAS */
} tk_nearvm_tx;

/* Submits a transaction and runs blocks until nothing is left for it but pending yields.
 * Out: *outcome (the outcome object of docs/nearvm.md; json_decref it).
 * Returns TK_OK (whatever the contract did), TK_ERR_ARG or TK_ERR_INPUT (malformed tx). */
int tk_nearvm_call(tk_nearvm *vm, json_t **outcome, const tk_nearvm_tx *tx) TK_MUST_CHECK;

/* Runs a view method at the current height. Out: *result = {"result": …, "logs": […]}.
 * Returns TK_OK, or TK_ERR_RANGE with *result = {"error": "message", "logs": […]} (also in
 * tk_errmsg()) when the view fails, or TK_ERR_ARG. */
int tk_nearvm_view(tk_nearvm *vm, json_t **result, const char *account_id, const char *method,
                   const unsigned char *args, size_t args_len) TK_MUST_CHECK;

/* Produces `blocks` blocks. Returns TK_OK or a store error. */
int tk_nearvm_advance(tk_nearvm *vm, uint64_t blocks) TK_MUST_CHECK;
/* Out: *outcome of the transaction `id` (as tk_nearvm_call returned it, now possibly final).
 * Returns TK_OK or TK_ERR_NOT_FOUND. */
int tk_nearvm_outcome(tk_nearvm *vm, json_t **outcome, uint64_t id) TK_MUST_CHECK;
/* Out: *account = {"amount","storage_usage","contract","keys"}. Returns TK_OK or
 * TK_ERR_NOT_FOUND. */
int tk_nearvm_account(tk_nearvm *vm, json_t **account, const char *account_id) TK_MUST_CHECK;
/* Returns: the current block height (1 at genesis). */
uint64_t tk_nearvm_height(const tk_nearvm *vm);

/* ---- signed transactions with any actions, produced block by block (localnet) ---- */

/* Action kinds, numbered as nearcore's borsh Action tags (Stake and Delegate are not hosted). */
typedef enum {
    TK_NEARVM_ACT_CREATE_ACCOUNT = 0,
    TK_NEARVM_ACT_DEPLOY = 1,
    TK_NEARVM_ACT_FUNCTION_CALL = 2,
    TK_NEARVM_ACT_TRANSFER = 3,
    TK_NEARVM_ACT_ADD_KEY = 5,
    TK_NEARVM_ACT_DELETE_KEY = 6,
    TK_NEARVM_ACT_DELETE_ACCOUNT = 7
} tk_nearvm_action_kind;

typedef struct {
    tk_nearvm_action_kind kind;
    /* DEPLOY: the name of a registered contract, or any other bytes (the receipt then fails with
     * UnknownContractCode). FUNCTION_CALL: the arguments. */
    const unsigned char *data;
    size_t data_len;
    const char *method;       /* FUNCTION_CALL (NUL-terminated, ≤ 256 bytes) */
    uint64_t gas;             /* FUNCTION_CALL prepaid gas */
    tk_nearvm_u128 deposit;   /* FUNCTION_CALL, TRANSFER */
    const char *public_key;   /* ADD_KEY, DELETE_KEY: "ed25519:…" / "secp256k1:…" */
    const json_t *access_key; /* ADD_KEY: as tk_nearvm_add_key (NULL: full access) */
    const char *beneficiary;  /* DELETE_ACCOUNT */
} tk_nearvm_action;

typedef struct {
    const char *signer;
    const char *public_key; /* the signing key, "ed25519:…" (the signature is the caller's job) */
    uint64_t nonce;
    const char *receiver;
    const tk_nearvm_action *actions;
    size_t n_actions; /* 1..100 */
    /* yocto per gas: a function-call key's allowance pays prepaid gas × gas_price (nearcore
     * charges allowances this way and never refunds them); balances are not charged for gas. */
    tk_nearvm_u128 gas_price;
} tk_nearvm_signed_tx;

/* Admits a signed transaction as nearcore's verifier does and queues its receipt for the next
 * block, without producing blocks: signer and key exist, nonce > the key's nonce and
 * < (height + 1) × 10^6, balance for the deposits, a function-call key's allowance, receiver,
 * method names, single FunctionCall action and no deposit. The key's nonce becomes the
 * transaction's and the deposits leave the signer's balance at once.
 * Out: *id (the transaction's id = its first receipt id; 0 when refused), *invalid (NULL, or when
 * refused nearcore's InvalidTxError JSON, e.g. {"InvalidNonce": {"tx_nonce", "ak_nonce"}}).
 * Returns TK_OK (admitted or refused), TK_ERR_ARG / TK_ERR_INPUT (malformed) or a store error. */
int tk_nearvm_submit(tk_nearvm *vm, uint64_t *id, json_t **invalid,
                     const tk_nearvm_signed_tx *tx) TK_MUST_CHECK;

/* Produces one block whose timestamp is timestamp_ns (block_timestamp for its receipts and for
 * views until the next block). Returns TK_OK or TK_ERR_ARG. */
int tk_nearvm_advance_at(tk_nearvm *vm, uint64_t timestamp_ns) TK_MUST_CHECK;
/* Returns: the current block's timestamp in ns. */
uint64_t tk_nearvm_timestamp(const tk_nearvm *vm);

/* Called after each executed receipt with its record (borrowed, valid during the call):
 * {"id", "tx" (the transaction id), "predecessor", "receiver", "signer", "actions": [nearcore
 * ActionView…], "status", "logs", "gas_burnt", "block_height", "receipts": [ids of the receipts it
 * created, refunds included], "tx_done": true once no receipt of the transaction is left}.
 * The hook must not call back into the VM. fn NULL removes it. */
typedef void (*tk_nearvm_receipt_fn)(void *arg, const json_t *receipt);
void tk_nearvm_set_receipt_hook(tk_nearvm *vm, tk_nearvm_receipt_fn fn, void *arg);

/* Like tk_nearvm_view with the raw return bytes. Out: *result (malloc, NUL-terminated, caller
 * frees), *result_len, *logs (new reference; also on failure). Returns TK_OK, TK_ERR_RANGE when
 * the view fails (tk_errmsg() is the ViewError message of docs/nearvm.md) or TK_ERR_ARG. */
int tk_nearvm_view_raw(tk_nearvm *vm, unsigned char **result, size_t *result_len, json_t **logs,
                       const char *account_id, const char *method, const unsigned char *args,
                       size_t args_len) TK_MUST_CHECK;

/* ---- the in-memory part of the chain (docs/nearvm.md "Persistence") ----
 * Accounts, keys and contract data live in the store; the height, the block timestamp, the
 * receipt counter, unfinished transactions with their receipts, and yields live in memory.
 * tk_nearvm_export writes that part as one JSON document (new reference); tk_nearvm_import
 * replaces it (the store is untouched); together they restart a chain from a persistent store.
 * Returns TK_OK, TK_ERR_INPUT (malformed document) or TK_ERR_NOMEM. */
int tk_nearvm_export(tk_nearvm *vm, json_t **state) TK_MUST_CHECK;
int tk_nearvm_import(tk_nearvm *vm, const json_t *state) TK_MUST_CHECK;
/* Drops finished transactions (every receipt executed), their receipts and settled yields from
 * memory; tk_nearvm_outcome then no longer finds them (keep what the receipt hook reported).
 * Returns: how many transactions were dropped. */
size_t tk_nearvm_forget_finished(tk_nearvm *vm);

/* ---- line protocol (docs/nearvm.md "Driver protocol") ----
 * Handles one request line. Out: *reply (json_decref it), never NULL on TK_OK.
 * Returns TK_OK (the reply may be an error object) or TK_ERR_NOMEM. */
int tk_nearvm_request(tk_nearvm *vm, json_t **reply, const char *line, size_t len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_NEARVM_H */
