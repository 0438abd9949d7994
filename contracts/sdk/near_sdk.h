/*
 * near_sdk: what a teekeys NEAR contract may use. Typed wrappers over the host (registers,
 * input/return, storage, environment, hashing, logs, panics), a bump allocator (never freed
 * within a call; the VM discards the instance afterwards), a strict small JSON reader and
 * writer, and byte-string helpers. The same code builds to wasm32 (no libc) and natively
 * (NEAR_NATIVE, linked with a host implementation).
 * Contract methods are declared with NEAR_METHOD(name) so the native build can host several
 * contracts in one program.
 */
#ifndef NEAR_SDK_H
#define NEAR_SDK_H

#include <stddef.h>
#include <stdint.h>

/* ---- methods ---- */
#ifdef NEAR_NATIVE
/* native: contract_<CONTRACT>_<name>, collected in a table by NEAR_CONTRACT_TABLE */
#define NEAR_PASTE2(a, b, c) a##_##b##_##c
#define NEAR_PASTE(a, b, c)  NEAR_PASTE2(a, b, c)
#define NEAR_METHOD(name)                                                                          \
    void NEAR_PASTE(contract, NEAR_CONTRACT, name)(void);                                          \
    void NEAR_PASTE(contract, NEAR_CONTRACT, name)(void)
#else
#define NEAR_METHOD(name)                                                                          \
    __attribute__((export_name(#name))) void name(void);                                           \
    __attribute__((export_name(#name))) void name(void)
#endif

/* A native contract's method table entry. */
typedef struct {
    const char *name;
    void (*fn)(void);
} near_method;

/* ---- memory ---- */
void *near_alloc(size_t size); /* never NULL: panics when out of memory */
void near_arena_reset(void);   /* native host only: free a call's arena */

/* ---- input / output ---- */
uint8_t *near_input(size_t *len); /* the call's argument bytes (NUL-terminated) */
void near_return(const void *data, size_t len);
void near_return_str(const char *s);
__attribute__((noreturn)) void near_panic(const char *msg);
__attribute__((noreturn)) void near_panic_detail(const char *msg, const char *detail);
void near_log(const char *msg, size_t len);
void near_log_str(const char *s);

/* ---- environment (account ids are NUL-terminated, arena-allocated) ---- */
char *near_current_account_id(void);
char *near_predecessor_account_id(void);
char *near_signer_account_id(void);
uint8_t *near_signer_account_pk(size_t *len); /* borsh PublicKey: curve tag || bytes */
uint64_t near_block_index(void);
uint64_t near_block_timestamp(void);
unsigned __int128 near_attached_deposit(void);
unsigned __int128 near_account_balance(void);
uint64_t near_prepaid_gas(void);
uint64_t near_used_gas(void);

/* ---- storage ---- */
int near_storage_write(const void *key, size_t key_len, const void *val, size_t val_len);
uint8_t *near_storage_read(const void *key, size_t key_len, size_t *val_len); /* NULL: absent */
int near_storage_remove(const void *key, size_t key_len);
int near_storage_has(const void *key, size_t key_len);
uint64_t near_storage_usage(void);

/* ---- crypto ---- */
void near_sha256(uint8_t out[32], const void *data, size_t len);
void near_keccak256(uint8_t out[32], const void *data, size_t len);
/* secp256k1 public-key recovery (nearcore's ecrecover): hash (32), sig r || s (64), v 0..3.
 * With malleability_flag set, high-S signatures are refused. Returns 1 and the 64-byte public
 * key x || y, or 0 when nothing can be recovered. */
int near_ecrecover(uint8_t pub[64], const uint8_t hash[32], const uint8_t sig[64], unsigned v,
                   int malleability_flag);
int near_ed25519_verify(const uint8_t sig[64], const void *msg, size_t msg_len,
                        const uint8_t pub[32]);

/* ---- bytes and strings (libc is not available in wasm) ---- */
size_t near_strlen(const char *s);
int near_streq(const char *a, const char *b);
int near_memeq(const void *a, const void *b, size_t n);
char *near_strndup(const char *s, size_t n);
char *near_u64_to_str(uint64_t v);
char *near_u128_to_str(unsigned __int128 v);
/* Parses a canonical decimal (no sign, no leading zeros) that fits; returns 1 on success. */
int near_parse_u128(unsigned __int128 *out, const char *s, size_t len);
int near_parse_u64(uint64_t *out, const char *s, size_t len);

/* ---- growable byte buffer ---- */
typedef struct {
    char *data;
    size_t len, cap;
} near_buf;
void near_buf_put(near_buf *b, const void *data, size_t len);
void near_buf_puts(near_buf *b, const char *s);
void near_buf_putc(near_buf *b, char c);

/* ---- JSON reader: strict RFC 8259 (no duplicate keys, depth <= 32, valid UTF-8) ---- */
typedef enum {
    NEAR_JSON_NULL,
    NEAR_JSON_BOOL,
    NEAR_JSON_NUMBER,
    NEAR_JSON_STRING,
    NEAR_JSON_ARRAY,
    NEAR_JSON_OBJECT
} near_json_type;

typedef struct near_json {
    near_json_type type;
    const char *str; /* STRING: decoded, NUL-terminated; NUMBER: the literal text */
    size_t len;
    int boolean;
    const char *key; /* member name when inside an object (decoded) */
    size_t key_len;
    struct near_json *child, *next;
    size_t count; /* ARRAY/OBJECT: number of children */
} near_json;

/* Returns NULL and sets *error to a static message on malformed input. */
near_json *near_json_parse(const char *text, size_t len, const char **error);
const near_json *near_json_get(const near_json *object, const char *key);
const char *near_json_string(const near_json *v); /* NULL unless a string */
/* Reads an unsigned integer from a JSON number (no fraction/exponent) or decimal string. */
int near_json_u64(const near_json *v, uint64_t *out);
int near_json_u128(const near_json *v, unsigned __int128 *out);

/* ---- JSON writer (into a near_buf) ---- */
void near_json_write_string(near_buf *b, const char *s, size_t len);

/* ---- promises and yield/resume (near_promise.c: a separate object, so programs that make no
 * promises need not provide these host functions). Account ids and method names are
 * NUL-terminated; amounts are yoctoNEAR; gas in gas units. ---- */
typedef uint64_t near_promise;
#define NEAR_PROMISE_SUCCESS 1
#define NEAR_PROMISE_FAILED  2
near_promise near_promise_create(const char *account, const char *method, const void *args,
                                 size_t args_len, unsigned __int128 deposit, uint64_t gas);
near_promise near_promise_then(near_promise p, const char *account, const char *method,
                               const void *args, size_t args_len, unsigned __int128 deposit,
                               uint64_t gas);
near_promise near_promise_and(const near_promise *promises, size_t count);
near_promise near_promise_batch_create(const char *account);
near_promise near_promise_batch_then(near_promise p, const char *account);
void near_promise_batch_create_account(near_promise p);
void near_promise_batch_deploy_contract(near_promise p, const void *code, size_t code_len);
void near_promise_batch_function_call(near_promise p, const char *method, const void *args,
                                      size_t args_len, unsigned __int128 deposit, uint64_t gas,
                                      uint64_t gas_weight);
void near_promise_batch_transfer(near_promise p, unsigned __int128 amount);
/* public_key: borsh PublicKey bytes (curve tag || key) */
void near_promise_batch_add_full_access_key(near_promise p, const uint8_t *public_key,
                                            size_t key_len, uint64_t nonce);
/* allowance 0 = unlimited; method_names comma-separated ("" = any method) */
void near_promise_batch_add_function_call_key(near_promise p, const uint8_t *public_key,
                                              size_t key_len, uint64_t nonce,
                                              unsigned __int128 allowance, const char *receiver,
                                              const char *method_names);
void near_promise_batch_delete_key(near_promise p, const uint8_t *public_key, size_t key_len);
void near_promise_batch_delete_account(near_promise p, const char *beneficiary);
/* Makes a yield callback `method` on this account; writes its 32-byte resumption data_id. */
near_promise near_promise_yield_create(const char *method, const void *args, size_t args_len,
                                       uint64_t gas, uint64_t gas_weight, uint8_t data_id[32]);
/* Returns 1 when the yield was resumed, 0 when data_id is unknown, resumed or timed out. */
int near_promise_yield_resume(const uint8_t data_id[32], const void *payload, size_t len);
uint64_t near_promise_results_count(void);
/* Returns NEAR_PROMISE_SUCCESS with *value (NUL-terminated, arena) or NEAR_PROMISE_FAILED
 * (*value NULL); panics on a bad index. */
int near_promise_result(uint64_t index, uint8_t **value, size_t *len);
void near_promise_return(near_promise p);

#endif
