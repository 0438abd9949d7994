/*
 * Test-only native NEAR host: runs one method of a natively built contract with nearcore's
 * register/storage/panic semantics, so the same scenario scripts that run the wasm in Node
 * (tests/oracle/sdk_selftest.mjs and later ones) run the native build too.
 *   native_host CONTRACT METHOD STATE_FILE CTX_JSON < args
 * CTX_JSON: {"current","predecessor","signer","deposit","block_index"}. STATE_FILE holds the
 * storage as {"hexkey":"hexvalue"} and is rewritten only when the call succeeds (a panic
 * rolls back). Prints {"result": string|null, "logs": [...], "panic": string|null}.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "near_host.h"
#include "near_sdk.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

extern const near_method sdk_selftest_methods[];

static const struct {
    const char *name;
    const near_method *methods;
} contracts[] = {{"sdk_selftest", sdk_selftest_methods}};

typedef struct {
    unsigned char *data;
    size_t len;
    int set;
} reg;

static reg regs[8];
static json_t *storage, *logs, *ctx;
static unsigned char *input_data, *result;
static size_t input_len, result_len;
static int have_result;
static jmp_buf on_panic;
static char panic_msg[4096];

static void *ptr(near_u64 p)
{
    return (void *)(uintptr_t)p;
}

static void set_reg(near_u64 id, const void *data, size_t len)
{
    if (id >= 8) {
        snprintf(panic_msg, sizeof panic_msg, "InvalidRegisterId");
        longjmp(on_panic, 1);
    }
    free(regs[id].data);
    regs[id].data = malloc(len + 1);
    memcpy(regs[id].data, data, len);
    regs[id].len = len;
    regs[id].set = 1;
}

static const char *ctx_str(const char *k, const char *dflt)
{
    const char *s = json_string_value(json_object_get(ctx, k));
    return s ? s : dflt;
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    if (id >= 8 || !regs[id].set) {
        snprintf(panic_msg, sizeof panic_msg, "InvalidRegisterId");
        longjmp(on_panic, 1);
    }
    memcpy(ptr(p), regs[id].data, regs[id].len);
}
near_u64 near_host_register_len(near_u64 id)
{
    return id < 8 && regs[id].set ? regs[id].len : UINT64_MAX;
}
void near_host_write_register(near_u64 id, near_u64 len, near_u64 p)
{
    set_reg(id, ptr(p), len);
}
static void set_reg_str(near_u64 id, const char *s)
{
    set_reg(id, s, strlen(s));
}
void near_host_current_account_id(near_u64 id)
{
    set_reg_str(id, ctx_str("current", "contract.test.near"));
}
void near_host_signer_account_id(near_u64 id)
{
    set_reg_str(id, ctx_str("signer", ctx_str("predecessor", "alice.near")));
}
void near_host_signer_account_pk(near_u64 id)
{
    static const unsigned char pk[33];
    set_reg(id, pk, sizeof pk);
}
void near_host_predecessor_account_id(near_u64 id)
{
    set_reg_str(id, ctx_str("predecessor", "alice.near"));
}
void near_host_input(near_u64 id)
{
    set_reg(id, input_data, input_len);
}
near_u64 near_host_block_index(void)
{
    json_t *v = json_object_get(ctx, "block_index");
    return json_is_integer(v) ? (near_u64)json_integer_value(v) : 1;
}
near_u64 near_host_block_timestamp(void)
{
    return 1700000000000000000ull;
}
near_u64 near_host_epoch_height(void)
{
    return 1;
}
near_u64 near_host_storage_usage(void)
{
    return 0;
}
static void write_u128(near_u64 p, const char *dec)
{
    unsigned __int128 v = 0;
    unsigned char *out = ptr(p);
    for (; *dec; dec++) {
        v = v * 10 + (unsigned)(*dec - '0');
    }
    for (int i = 0; i < 16; i++, v >>= 8) {
        out[i] = (unsigned char)v;
    }
}
void near_host_account_balance(near_u64 p)
{
    write_u128(p, ctx_str("balance", "0"));
}
void near_host_attached_deposit(near_u64 p)
{
    write_u128(p, ctx_str("deposit", "0"));
}
near_u64 near_host_prepaid_gas(void)
{
    return 300000000000000ull;
}
near_u64 near_host_used_gas(void)
{
    return 0;
}
void near_host_random_seed(near_u64 id)
{
    static const unsigned char seed[32];
    set_reg(id, seed, 32);
}
void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    tk_sha256(h, ptr(p), len);
    set_reg(id, h, 32);
}
void near_host_keccak256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    tk_keccak256(h, ptr(p), len);
    set_reg(id, h, 32);
}
near_u64 near_host_ed25519_verify(near_u64 sl, near_u64 sp, near_u64 ml, near_u64 mp, near_u64 pl,
                                  near_u64 pp)
{
    (void)sl, (void)sp, (void)ml, (void)mp, (void)pl, (void)pp;
    snprintf(panic_msg, sizeof panic_msg, "ed25519_verify not implemented in this test host");
    longjmp(on_panic, 1);
}
/* nearcore's ecrecover: 32-byte hash, 64-byte r || s, v in 0..3 (else a host error), optional
 * refusal of high-S; writes the 64-byte public key and returns 1, or returns 0. */
near_u64 near_host_ecrecover(near_u64 hash_len, near_u64 hash_ptr, near_u64 sig_len,
                             near_u64 sig_ptr, near_u64 v, near_u64 malleability_flag, near_u64 id)
{
    static const unsigned char half_n[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d,
                                             0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};
    const secp256k1_context *secp = tk_secp256k1_ctx();
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    unsigned char out[65];
    size_t out_len = sizeof out;
    if (hash_len != 32 || sig_len != 64) {
        snprintf(panic_msg, sizeof panic_msg, "ECRecoverError: invalid input length");
        longjmp(on_panic, 1);
    }
    if (v > 3) {
        snprintf(panic_msg, sizeof panic_msg,
                 "ECRecoverError: V recovery byte 0 through 3 are valid");
        longjmp(on_panic, 1);
    }
    if (malleability_flag > 1) {
        snprintf(panic_msg, sizeof panic_msg, "ECRecoverError: invalid malleability flag");
        longjmp(on_panic, 1);
    }
    if (malleability_flag && memcmp((unsigned char *)ptr(sig_ptr) + 32, half_n, 32) > 0) {
        return 0;
    }
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp, &sig, ptr(sig_ptr), (int)v) ||
        !secp256k1_ecdsa_recover(secp, &pk, &sig, ptr(hash_ptr)) ||
        !secp256k1_ec_pubkey_serialize(secp, out, &out_len, &pk, SECP256K1_EC_UNCOMPRESSED)) {
        return 0;
    }
    set_reg(id, out + 1, 64);
    return 1;
}
void near_host_value_return(near_u64 len, near_u64 p)
{
    free(result);
    result = malloc(len + 1);
    memcpy(result, ptr(p), len);
    result_len = len;
    have_result = 1;
}
void near_host_panic(void)
{
    snprintf(panic_msg, sizeof panic_msg, "explicit guest panic");
    longjmp(on_panic, 1);
}
void near_host_panic_utf8(near_u64 len, near_u64 p)
{
    snprintf(panic_msg, sizeof panic_msg, "%.*s", (int)len, (const char *)ptr(p));
    longjmp(on_panic, 1);
}
void near_host_log_utf8(near_u64 len, near_u64 p)
{
    json_array_append_new(logs, json_stringn(ptr(p), len));
}
static char *hexkey(near_u64 len, near_u64 p)
{
    char *h = malloc(2 * len + 1);
    if (tk_hex_encode(h, 2 * len + 1, ptr(p), len) != TK_OK) {
        abort();
    }
    return h;
}
static int storage_get(const char *k, near_u64 id)
{
    const char *v = json_string_value(json_object_get(storage, k));
    unsigned char buf[65536];
    size_t n;
    if (v == NULL) {
        return 0;
    }
    if (tk_hex_decode(buf, sizeof buf, &n, v, strlen(v)) != TK_OK) {
        abort();
    }
    set_reg(id, buf, n);
    return 1;
}
near_u64 near_host_storage_write(near_u64 kl, near_u64 kp, near_u64 vl, near_u64 vp, near_u64 id)
{
    char *k = hexkey(kl, kp), *v = hexkey(vl, vp);
    int existed = storage_get(k, id);
    json_object_set_new(storage, k, json_string(v));
    free(k);
    free(v);
    return existed;
}
near_u64 near_host_storage_read(near_u64 kl, near_u64 kp, near_u64 id)
{
    char *k = hexkey(kl, kp);
    int found = storage_get(k, id);
    free(k);
    return found;
}
near_u64 near_host_storage_remove(near_u64 kl, near_u64 kp, near_u64 id)
{
    char *k = hexkey(kl, kp);
    int found = storage_get(k, id);
    json_object_del(storage, k);
    free(k);
    return found;
}
near_u64 near_host_storage_has_key(near_u64 kl, near_u64 kp)
{
    char *k = hexkey(kl, kp);
    int found = json_object_get(storage, k) != NULL;
    free(k);
    return found;
}

/* Runs a method; returns 1 if it panicked (the host functions longjmp back here). */
static int run_method(void (*fn)(void))
{
    if (setjmp(on_panic) != 0) {
        return 1;
    }
    fn();
    return 0;
}

int main(int argc, char **argv)
{
    const near_method *methods = NULL, *m;
    json_t *out;
    size_t cap = 1 << 16, i;
    int panicked;

    if (argc != 5) {
        fprintf(stderr, "usage: native_host CONTRACT METHOD STATE_FILE CTX_JSON < args\n");
        return 2;
    }
    for (i = 0; i < sizeof contracts / sizeof contracts[0]; i++) {
        if (strcmp(contracts[i].name, argv[1]) == 0) {
            methods = contracts[i].methods;
        }
    }
    for (m = methods; m != NULL && m->name != NULL && strcmp(m->name, argv[2]) != 0; m++) {
    }
    if (methods == NULL || m->name == NULL) {
        printf("{\"result\":null,\"logs\":[],\"panic\":\"MethodNotFound\"}\n");
        return 0;
    }
    storage = json_load_file(argv[3], 0, NULL);
    if (storage == NULL) {
        storage = json_object();
    }
    ctx = json_loads(argv[4], 0, NULL);
    logs = json_array();
    input_data = malloc(cap);
    while (!feof(stdin)) {
        input_len += fread(input_data + input_len, 1, cap - input_len, stdin);
        if (input_len == cap) {
            input_data = realloc(input_data, cap *= 2);
        }
    }
    panicked = run_method(m->fn);
    near_arena_reset();
    out = json_object();
    json_object_set_new(out, "result",
                        have_result && !panicked ? json_stringn((char *)result, result_len)
                                                 : json_null());
    json_object_set_new(out, "logs", logs);
    json_object_set_new(out, "panic", panicked ? json_string(panic_msg) : json_null());
    if (!panicked) {
        json_dump_file(storage, argv[3], JSON_COMPACT);
    }
    {
        char *text = json_dumps(out, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
    }
    json_decref(out);
    json_decref(storage);
    json_decref(ctx);
    for (i = 0; i < 8; i++) {
        free(regs[i].data);
    }
    free(result);
    free(input_data);
    return 0;
}
