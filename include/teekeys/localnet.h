/*
 * teekeys localnet: a single-process NEAR-compatible chain for development and tests
 * (docs/localnet.md). It keeps accounts, keys, contract state, blocks, transactions, receipt
 * outcomes and the runtime's pending receipts and yields in SQLite (WAL; one SQLite transaction
 * per block, so a crash loses at most the block being made), produces blocks on a timer,
 * admits borsh SignedTransactions (ed25519 signature, nonce, block hash, access-key permission),
 * runs them through the nearvm runtime with the natively linked contracts, and serves nearcore's
 * JSON-RPC subset (status, block, query, send_tx, broadcast_tx_*, tx, EXPERIMENTAL_tx_status,
 * gas_price) with nearcore's response and error shapes on a loopback HTTP address.
 *
 * It never trusts a request: bodies are size-limited, every field is checked, and malformed
 * input gets a JSON-RPC error object. The validator's secret key lives in guarded memory and
 * is only used to sign block headers.
 */
#ifndef TEEKEYS_LOCALNET_H
#define TEEKEYS_LOCALNET_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"
#include "teekeys/nearvm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_LOCALNET_CHAIN_ID        "localnet"
#define TK_LOCALNET_ROOT_ACCOUNT    "test.near"
#define TK_LOCALNET_DEFAULT_ADDR    "127.0.0.1:3030"
#define TK_LOCALNET_DEFAULT_BLOCK   300u        /* ms */
#define TK_LOCALNET_MAX_BODY        (10u << 20) /* bytes of one JSON-RPC request */
#define TK_LOCALNET_GAS_PRICE       100000000u  /* yocto per gas (nearcore's minimum) */
#define TK_LOCALNET_VALIDITY        86400u      /* blocks a transaction's block_hash stays valid */
#define TK_LOCALNET_MAX_PREPAID_GAS 300000000000000ull /* per transaction */

/* the teekeys contracts `init` deploys under the root account (docs/localnet.md) */
#define TK_LOCALNET_DAO_ACCOUNT        "dao.test.near"
#define TK_LOCALNET_CHAIN_KEYS_ACCOUNT "chain-keys.test.near"
#define TK_LOCALNET_VERIFIER_ACCOUNT   "verifier.test.near"
#define TK_LOCALNET_MPC_ACCOUNT        "mpc.test.near"

/* ---- the SQLite store behind tk_nearvm_store_ops ----
 * Opens (creating if needed) a SQLite database in WAL mode with the `state` table and wraps it
 * as a nearvm store: get/put/del/iterate on (kind, account, key); begin/commit/rollback are
 * SQLite savepoints, so they nest inside an enclosing transaction (a localnet block) and work
 * alone (an outermost savepoint commits). store->ops->free closes the database.
 * Returns TK_OK, TK_ERR_IO (cannot open or set up) or TK_ERR_NOMEM. */
int tk_localnet_store_open(tk_nearvm_store *store, const char *path) TK_MUST_CHECK;

/* ---- home directory (nearcore sandbox layout) ---- */
typedef struct {
    const char *chain_id;   /* NULL: "localnet" */
    long block_ms;          /* 0: TK_LOCALNET_DEFAULT_BLOCK */
    uint64_t yield_timeout; /* blocks; 0: TK_NEARVM_DEFAULT_YIELD */
    const char *rpc_addr;   /* NULL: TK_LOCALNET_DEFAULT_ADDR */
    int force;              /* overwrite an existing home */
    int bare;               /* no teekeys contracts in genesis (only the root account) */
    /* NULL: the genesis DAO in production mode (Intel's root only). Else the DAO runs in
     * development mode and passes this root certificate (hex of its DER) to the verifier: the
     * SIMULATED TDX root of src/attest (tk_attest_sim_root), for simulated workers. */
    const char *dao_dev_root_hex;
} tk_localnet_init_options;

/* Writes genesis.json, config.json and validator_key.json ({"account_id": "test.near",
 * "public_key", "secret_key"} in NEAR key-string form, mode 0600) into `home` (created 0700)
 * with a fresh ed25519 key for the root account. Unless bare, genesis deploys the DAO,
 * chain-keys, the TDX verifier and the MPC signer on the TK_LOCALNET_*_ACCOUNT sub-accounts
 * and initialises them (`new`, called by the root account in the first block; the root is the
 * DAO's only member and the MPC signer's only participant, threshold 1). Returns TK_OK,
 * TK_ERR_RANGE (home already initialised and not forced), TK_ERR_IO. */
int tk_localnet_init(const char *home, const tk_localnet_init_options *options) TK_MUST_CHECK;

/* ---- the chain ---- */
typedef struct tk_localnet tk_localnet;

typedef struct {
    const char *name;
    const near_method *methods; /* {NULL, NULL}-terminated, outliving the chain */
} tk_localnet_contract;

/* The in-memory chain's root key is the ed25519 key of seed sha256(TK_LOCALNET_MEMORY_SEED):
 * public on purpose, for fuzzers and tests that sign transactions. */
#define TK_LOCALNET_MEMORY_SEED "teekeys localnet in-memory root key (public, testing only)"

typedef struct {
    const char *home; /* NULL: an in-memory chain, built-in genesis, TK_LOCALNET_MEMORY_SEED key */
    const char *rpc_addr;      /* NULL: config.json's, else TK_LOCALNET_DEFAULT_ADDR */
    long block_ms;             /* 0: config.json's; < 0: no timer (blocks on demand) */
    long wait_ms;              /* how long send_tx/tx wait; 0: 10000; < 0: do not wait */
    const char *contracts_dir; /* <dir>/<name>.wasm: the known code (DeployContract by hash) */
    const tk_localnet_contract *contracts;
    size_t n_contracts;
    int quiet; /* no log lines on stderr */
} tk_localnet_config;

/* Opens the chain in config->home (data/localnet.sqlite), applying genesis.json on first use
 * and reloading the runtime's pending state otherwise. Out: *ln.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_INPUT (bad genesis/config), TK_ERR_IO, TK_ERR_NOMEM. */
int tk_localnet_open(tk_localnet **ln, const tk_localnet_config *config) TK_MUST_CHECK;

/* Starts the RPC server and the block timer. Out: url (e.g. "http://127.0.0.1:3030").
 * Returns TK_OK, TK_ERR_IO (address in use, bad address). */
int tk_localnet_start(tk_localnet *ln, char *url, size_t url_cap) TK_MUST_CHECK;

/* Stops the timer and the server (waits for the block in progress). Idempotent. */
void tk_localnet_stop(tk_localnet *ln);
/* Stops, closes the database and frees. NULL is a no-op. */
void tk_localnet_free(tk_localnet *ln);

/* Produces one block now (with or without the timer). Returns TK_OK or a store error (the
 * chain then refuses further blocks). */
int tk_localnet_produce_block(tk_localnet *ln) TK_MUST_CHECK;
/* Returns: the chain id (genesis.json's; fixed once open), valid until tk_localnet_free. */
const char *tk_localnet_chain_id(const tk_localnet *ln);
/* Returns: the head block height. */
uint64_t tk_localnet_height(tk_localnet *ln);
/* Returns: 1 after a fatal store error (the chain stopped producing blocks). */
int tk_localnet_failed(tk_localnet *ln);

/* Handles one JSON-RPC request body exactly as the HTTP server does. Out: *response (malloc,
 * NUL-terminated JSON), *http_status. Returns TK_OK or TK_ERR_NOMEM. */
int tk_localnet_rpc(tk_localnet *ln, char **response, int *http_status, const char *body,
                    size_t body_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_LOCALNET_H */
