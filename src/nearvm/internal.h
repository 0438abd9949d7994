/*
 * nearvm internals shared by the runtime (runtime.c), the host functions (host.c), the account
 * records (state.c) and the line protocol (protocol.c). Nothing here is public API.
 */
#ifndef TK_NEARVM_INTERNAL_H
#define TK_NEARVM_INTERNAL_H

#include <setjmp.h>
#include <stdint.h>

#include "teekeys/nearvm.h"

#define NVM_TGAS           1000000000000ull
#define NVM_HOST_CALL_GAS  5000000000ull
#define NVM_VIEW_GAS_LIMIT 200000000000000ull
#define NVM_MAX_REGISTERS  100u
#define NVM_MAX_REG_SIZE   104857600ull
#define NVM_REGS_MEMORY    1073741824ull
#define NVM_MAX_KEY        2048u
#define NVM_MAX_VALUE      4194304u
#define NVM_MAX_LOGS       100u
#define NVM_MAX_LOG_LEN    16384u
#define NVM_MAX_RETURN     4194304u
#define NVM_MAX_PROMISES   1024u
#define NVM_MAX_DEPS       128u
#define NVM_MAX_YIELD_LOAD 1024u
#define NVM_MAX_MEMORY     (2048ull * 65536ull) /* wasm max_memory_pages */
#define NVM_ACCOUNT_BYTES  100u
#define NVM_RECORD_BYTES   40u
#define NVM_PK_MAX         65u /* borsh PublicKey: tag + 64 */

/* ---- accounts (state.c) ---- */
typedef struct {
    tk_nearvm_u128 amount;
    uint64_t storage_usage;
    uint64_t code_len;
    char contract[65]; /* "" when none */
} nvm_account;

int nvm_account_get(tk_nearvm *vm, nvm_account *acc, const char *id); /* TK_ERR_NOT_FOUND */
int nvm_account_put(tk_nearvm *vm, const char *id, const nvm_account *acc);
int nvm_account_exists(tk_nearvm *vm, const char *id);
/* 1 when id is a valid NEAR account id (tk_near_account_check). */
int nvm_id_ok(const char *id);
/* Removes the account with its keys and data. */
int nvm_account_delete(tk_nearvm *vm, const char *id);
/* Storage-staking check; *missing = the yocto lacking. Returns 1 when it holds. */
int nvm_stake_ok(const nvm_account *acc, tk_nearvm_u128 *missing);
char *nvm_u128_str(char buf[40], tk_nearvm_u128 v);
/* Integers as n (8 or 16) little-endian bytes at p: how accounts and access keys store them
 * and how contracts pass amounts (state.c). */
void nvm_le_put(unsigned char *p, tk_nearvm_u128 v, int n);
tk_nearvm_u128 nvm_le_get(const unsigned char *p, int n);
int nvm_u128_parse(tk_nearvm_u128 *out, const char *s);

/* Access keys: permission. */
typedef struct {
    uint64_t nonce;
    int full;
    int has_allowance;
    tk_nearvm_u128 allowance;
    char receiver[65];
    char *method_names; /* comma-separated (malloc) or NULL */
} nvm_access_key;

/* borsh AccessKey <-> struct (decode allocates method_names; free with nvm_access_key_clear) */
int nvm_access_key_encode(unsigned char **out, size_t *out_len, const nvm_access_key *ak);
int nvm_access_key_decode(nvm_access_key *ak, const unsigned char *in, size_t len);
void nvm_access_key_clear(nvm_access_key *ak);
/* "ed25519:…" / "secp256k1:…" <-> borsh PublicKey */
int nvm_pk_parse(unsigned char pk[NVM_PK_MAX], size_t *pk_len, const char *s);
int nvm_pk_format(char *out, size_t cap, const unsigned char *pk, size_t pk_len);
/* Validates a borsh PublicKey (tag 0 + 32 bytes or tag 1 + 64 bytes). */
int nvm_pk_valid(const unsigned char *pk, size_t len);
/* JSON of an access key in nearcore's view shape. */
json_t *nvm_access_key_json(const nvm_access_key *ak);
int nvm_access_key_from_json(nvm_access_key *ak, const json_t *j);
/* Adds (or replaces) a key record, updating storage usage in acc (caller writes acc). */
int nvm_key_put(tk_nearvm *vm, nvm_account *acc, const char *id, const unsigned char *pk,
                size_t pk_len, const nvm_access_key *ak);
int nvm_key_get(tk_nearvm *vm, nvm_access_key *ak, const char *id, const unsigned char *pk,
                size_t pk_len); /* TK_ERR_NOT_FOUND */
int nvm_key_del(tk_nearvm *vm, nvm_account *acc, const char *id, const unsigned char *pk,
                size_t pk_len); /* TK_ERR_NOT_FOUND */
json_t *nvm_account_json(tk_nearvm *vm, const char *id, const nvm_account *acc);

/* ---- receipts (runtime.c) ---- */
typedef enum {
    NVM_ACT_CREATE_ACCOUNT,
    NVM_ACT_DEPLOY,
    NVM_ACT_FUNCTION_CALL,
    NVM_ACT_TRANSFER,
    NVM_ACT_ADD_KEY,
    NVM_ACT_DELETE_KEY,
    NVM_ACT_DELETE_ACCOUNT
} nvm_action_kind;

typedef struct {
    nvm_action_kind kind;
    char *method; /* FUNCTION_CALL (NUL-terminated copy; method_len bytes) */
    size_t method_len;
    unsigned char *data; /* FUNCTION_CALL args, DEPLOY code */
    size_t data_len;
    tk_nearvm_u128 amount; /* FUNCTION_CALL deposit, TRANSFER */
    uint64_t gas, weight;  /* FUNCTION_CALL */
    unsigned char pk[NVM_PK_MAX];
    size_t pk_len;     /* ADD_KEY, DELETE_KEY */
    nvm_access_key ak; /* ADD_KEY */
    char *beneficiary; /* DELETE_ACCOUNT */
} nvm_action;

typedef struct {
    int status; /* 1 Successful, 2 Failed, 0 not ready */
    unsigned char *data;
    size_t len;
} nvm_result;

typedef struct {
    uint64_t receipt;
    size_t slot;
} nvm_receiver;

typedef enum { NVM_R_WAITING, NVM_R_DUE, NVM_R_DONE } nvm_rstate;

typedef struct nvm_receipt {
    uint64_t id;
    size_t tx; /* index into vm->txs */
    char *predecessor, *receiver, *signer;
    unsigned char signer_pk[NVM_PK_MAX];
    size_t signer_pk_len;
    nvm_action *actions;
    size_t n_actions;
    nvm_result *results; /* one per dependency */
    size_t n_deps, n_ready;
    nvm_receiver *receivers; /* who waits for this receipt's result */
    size_t n_receivers;
    nvm_rstate state;
    uint64_t due;
    /* outcome */
    json_t *status, *logs;
    uint64_t gas_burnt, height;
} nvm_receipt;

typedef struct {
    unsigned char data_id[32];
    char *account;
    uint64_t receipt; /* the callback */
    uint64_t created;
    int pending;
} nvm_yield;

typedef struct {
    uint64_t id;
    uint64_t first;
    uint64_t *executed;
    size_t n_executed;
    size_t unfinished, due;
    json_t *invalid; /* InvalidTxError status, or NULL */
} nvm_tx;

typedef struct {
    char *name;
    const near_method *methods;
    uint64_t code_len;
} nvm_contract;

struct tk_nearvm {
    tk_nearvm_store store;
    uint64_t genesis_ns, step_ns, yield_timeout;
    uint64_t height;
    nvm_contract *contracts;
    size_t n_contracts;
    nvm_receipt **receipts; /* index id - 1 */
    size_t n_receipts, cap_receipts;
    nvm_tx **txs;
    size_t n_txs, cap_txs;
    nvm_yield *yields;
    size_t n_yields, cap_yields;
    uint64_t *due; /* receipts due at height + 1 */
    size_t n_due, cap_due;
    uint64_t now_ns; /* timestamp of the current block when set by tk_nearvm_advance_at, else 0 */
    tk_nearvm_receipt_fn hook;
    void *hook_arg;
};

/* Frees one receipt (persist.c and runtime.c); drops the in-memory chain (receipts,
 * transactions, yields, due list) but not the store. */
void nvm_receipt_free(nvm_receipt *r);
void nvm_clear_dynamic(tk_nearvm *vm);
/* The nearcore ActionView of one action (runtime.c). */
json_t *nvm_action_view(const nvm_action *a);

const nvm_contract *nvm_contract_find(const tk_nearvm *vm, const char *name, size_t len);
nvm_receipt *nvm_receipt_get(tk_nearvm *vm, uint64_t id);
nvm_yield *nvm_yield_find(tk_nearvm *vm, const unsigned char data_id[32]);

/* ---- one method execution (host.c) ---- */
typedef struct {
    uint64_t id;
    unsigned char *data;
    size_t len;
} nvm_register;

/* A promise made by the running method: a new receipt, or a joint (promise_and) one. */
typedef struct {
    int joint;
    size_t receipt;  /* index into exec->new_receipts */
    size_t *members; /* joint: receipt indices */
    size_t n_members;
} nvm_promise;

/* A receipt created by the running method, committed only if the method succeeds. */
typedef struct {
    char *receiver;
    nvm_action *actions;
    size_t n_actions;
    /* dependencies: indices into new_receipts (promise_then) or the yield slot */
    size_t *deps;
    size_t n_deps;
    int yield;                 /* a yield callback waiting on its data_id */
    unsigned char data_id[32]; /* yield */
    uint64_t id;               /* assigned on commit */
} nvm_new_receipt;

typedef struct {
    unsigned char data_id[32];
    unsigned char *payload;
    size_t len;
} nvm_resume;

typedef enum { NVM_RET_NONE, NVM_RET_VALUE, NVM_RET_PROMISE } nvm_ret_kind;

typedef struct nvm_exec {
    tk_nearvm *vm;
    const nvm_receipt *receipt; /* NULL in views */
    int view;
    size_t action_index;
    const char *current;
    nvm_account *account; /* the receiver's record, updated in place */
    const unsigned char *input;
    size_t input_len;
    tk_nearvm_u128 deposit;
    uint64_t prepaid, host_calls, promise_gas;
    nvm_register regs[NVM_MAX_REGISTERS];
    size_t n_regs;
    uint64_t regs_usage;
    json_t *logs;
    uint64_t log_bytes;
    nvm_ret_kind ret;
    unsigned char *ret_data;
    size_t ret_len;
    size_t ret_promise;
    nvm_promise *promises;
    size_t n_promises;
    nvm_new_receipt *news;
    size_t n_news;
    nvm_resume *resumes;
    size_t n_resumes;
    jmp_buf jb;
    char *error;   /* malloc'd ExecutionError text after a failure */
    void *scratch; /* a host buffer freed on the next host call or at the end */
} nvm_exec;

uint64_t nvm_used_gas(const nvm_exec *x);

/* For host functions in other files (bls_host.c), each starting with nvm_host_enter():
 * gas and limits of one host call; nearcore's get_memory_or_register (len u64::MAX reads the
 * register `p`); writing a register with nearcore's limits; failing the call with a HostError's
 * Display text (longjmps out of the contract). */
void nvm_host_enter(void);
const unsigned char *nvm_host_mem(uint64_t p, uint64_t len, size_t *out_len);
void nvm_host_set_reg(uint64_t id, const void *data, size_t len);
__attribute__((noreturn, format(printf, 1, 2))) void nvm_host_fail(const char *fmt, ...);
/* Runs fn under x (setjmp); returns 0 on success, 1 when the method failed (x->error set). */
int nvm_exec_run(nvm_exec *x, void (*fn)(void));
/* Frees everything x owns (registers, logs, new receipts, promises, resumes, error). */
void nvm_exec_clear(nvm_exec *x);
void nvm_action_clear(nvm_action *a);

#endif
