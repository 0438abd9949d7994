/*
 * localnet internals shared by the store (store_sqlite.c), the chain (chain.c: genesis, pool,
 * blocks, persistence), the views (views.c: nearcore JSON shapes), the JSON-RPC handlers
 * (rpc.c) and the HTTP server (server.c). Nothing here is public API.
 */
#ifndef TK_LOCALNET_INTERNAL_H
#define TK_LOCALNET_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "teekeys/localnet.h"
#include "teekeys/near.h"

/* ---- store (store_sqlite.c) ---- */
#define LN_STMT_CACHE 16

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *get, *put, *del;
    struct {
        const char *sql; /* a string literal: compared by address */
        sqlite3_stmt *st;
        int busy;
    } cache[LN_STMT_CACHE];
} ln_store;

/* A prepared statement for `sql` (a string literal), cached; NULL on error (tk_fail set) or when
 * the cache is full. Give it back with ln_stmt_done (resets it), never finalize it. */
sqlite3_stmt *ln_stmt(ln_store *s, const char *sql);
void ln_stmt_done(ln_store *s, sqlite3_stmt *st);

int ln_store_open(ln_store **s, const char *path);
void ln_store_close(ln_store *s);
/* A nearvm store over s whose free does nothing (the localnet closes s). */
tk_nearvm_store ln_store_borrowed(ln_store *s);
/* Runs SQL without parameters. Returns TK_OK or TK_ERR_IO. */
int ln_sql(sqlite3 *db, const char *sql);

/* ---- the chain (chain.c) ---- */
#define LN_HASH 32

typedef struct {
    unsigned char hash[LN_HASH];
    char name[65];
    uint64_t len;
} ln_code;

typedef struct {
    unsigned char hash[LN_HASH];
    unsigned char *signed_tx; /* the borsh SignedTransaction; tx points into it */
    size_t signed_len;
    tk_near_tx *tx;
} ln_pooled;

typedef struct {
    unsigned char hash[LN_HASH];
    json_t *invalid; /* InvalidTxError JSON */
} ln_rejected;

#define LN_REJECTED_KEEP 256

struct tk_localnet {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* signalled after every block and on stop */
    ln_store *store;
    tk_nearvm *vm;
    char chain_id[65];
    char root[65];
    char rpc_addr[128];
    unsigned char genesis_hash[LN_HASH];
    uint64_t genesis_height;
    unsigned char head_hash[LN_HASH];
    uint64_t head_height, head_ts;
    unsigned char *validator_sk; /* 64 bytes, tk_secure_alloc */
    char validator_pk[128];
    uint64_t gas_price;
    uint64_t validity;
    long block_ms, wait_ms;
    int quiet;
    char *contracts_dir; /* for view_code, or NULL */
    ln_code *codes;
    size_t n_codes;
    ln_pooled *pool;
    size_t n_pool, cap_pool;
    ln_rejected rejected[LN_REJECTED_KEEP];
    size_t n_rejected; /* total ever; slot = n % KEEP */
    int fatal, stopping, started;
    uint64_t start_s;
    /* while a block runs: the receipt records to store */
    int in_block;
    int hook_failed;
    pthread_t producer;
    void *http; /* struct MHD_Daemon */
    json_t *genesis;
};

/* Logs one line on stderr unless quiet. */
void ln_log(tk_localnet *ln, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

extern const char ln_schema[];
int ln_meta_get(tk_localnet *ln, char **value, const char *key);
void ln_on_receipt(void *arg, const json_t *rec);
/* sha256("localnet-block-v1" || u64le height || prev || u64le ts || tx_root || outcome_root) */
void ln_header_hash(unsigned char out[LN_HASH], uint64_t height, const unsigned char *prev,
                    uint64_t ts, const unsigned char *tx_root, const unsigned char *outcome_root);

/* Block production (caller holds ln->mu). */
int ln_produce_block(tk_localnet *ln);
/* Admits a transaction to the pool after the checks done at submission (caller holds mu).
 * Out: *invalid (InvalidTxError JSON when refused). Takes ownership of p's buffers on TK_OK
 * with *invalid NULL. */
int ln_pool_add(tk_localnet *ln, json_t **invalid, ln_pooled *p);
void ln_pooled_clear(ln_pooled *p);
/* Decodes a borsh SignedTransaction and checks its ed25519 signature over sha256(tx).
 * Out: p (hash, copy of the bytes, decoded tx), *invalid = "InvalidSignature" JSON when the
 * signature does not verify. Returns TK_OK, TK_ERR_INPUT (undecodable, with detail). */
int ln_decode_signed(ln_pooled *p, json_t **invalid, const unsigned char *in, size_t len);

/* Transaction status for waiters (caller holds mu). */
typedef enum {
    LN_TX_UNKNOWN,
    LN_TX_POOLED,
    LN_TX_INCLUDED,
    LN_TX_DONE,
    LN_TX_REJECTED
} ln_tx_state;
ln_tx_state ln_tx_state_of(tk_localnet *ln, const unsigned char hash[LN_HASH], json_t **invalid);

/* ---- views (views.c), caller holds mu ---- */
void ln_b58(char *out, size_t cap, const unsigned char *p, size_t n);
void ln_receipt_hash(tk_localnet *ln, unsigned char out[LN_HASH], uint64_t id);
/* Block height of a hash. Returns TK_OK or TK_ERR_NOT_FOUND. */
int ln_block_by_hash(tk_localnet *ln, uint64_t *height, const unsigned char hash[LN_HASH]);
int ln_block_hash_at(tk_localnet *ln, unsigned char hash[LN_HASH], uint64_t height);
json_t *ln_block_view(tk_localnet *ln, uint64_t height);
json_t *ln_status_view(tk_localnet *ln);
/* The FinalExecutionOutcomeView of an included transaction (with "receipts" when
 * with_receipts). NULL when unknown. */
json_t *ln_tx_outcome_view(tk_localnet *ln, const unsigned char hash[LN_HASH], int with_receipts);
/* The SignedTransactionView of a decoded transaction. */
json_t *ln_tx_view(const tk_near_tx *tx, const unsigned char *sig, size_t sig_len,
                   const unsigned char hash[LN_HASH]);
json_t *ln_action_view(const tk_near_action *a);
char *ln_u128_str(char buf[40], const unsigned char le[16]);
const char *ln_code_name(tk_localnet *ln, const unsigned char hash[LN_HASH]);
int ln_code_hash_of(tk_localnet *ln, unsigned char hash[LN_HASH], const char *name);

/* ---- the HTTP server (server.c) ---- */
int ln_http_start(tk_localnet *ln, char *url, size_t url_cap);
void ln_http_stop(tk_localnet *ln);

#endif
