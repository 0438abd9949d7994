/*
 * nearvm host functions: every `near_host_*` of contracts/sdk/near_host.h except the nine
 * bls12381_* ones (bls_host.c), with nearcore's argument order of checks, limits and error texts
 * (runtime/near-vm-runner/src/logic). A failing host call records nearcore's HostError text and
 * longjmps out of the contract to nvm_exec_run; nothing a contract passes can make the host
 * continue on bad state. Guest "memory" is the native address space: pointers are trusted as a
 * wasm engine's bounds checks would, except for impossible lengths (beyond wasm's 128 MiB).
 */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "near_host.h"
#include "teekeys/hash.h"
#include "teekeys/near.h"

uint64_t nvm_block_timestamp(const tk_nearvm *vm);

/* The running call (single-threaded, see nearvm.h). */
static nvm_exec *cur;

static void *ptr(near_u64 p)
{
    return (void *)(uintptr_t)p;
}

uint64_t nvm_used_gas(const nvm_exec *x)
{
    return NVM_TGAS + x->host_calls * NVM_HOST_CALL_GAS;
}

__attribute__((noreturn, format(printf, 1, 2))) static void fail(const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    free(cur->error);
    cur->error = strdup(msg);
    if (cur->error == NULL) {
        abort();
    }
    longjmp(cur->jb, 1);
}

static void *alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fail("host out of memory");
    }
    return p;
}

/* Keeps p until the next host call or the end of the call, so a failure cannot leak it. */
static void *keep(void *p)
{
    free(cur->scratch);
    cur->scratch = p;
    return p;
}

/* Every host function starts here: gas for the call, limits. */
static void enter(void)
{
    if (cur == NULL) {
        fprintf(stderr, "nearvm: a host function was called outside a contract call\n");
        abort();
    }
    free(cur->scratch);
    cur->scratch = NULL;
    cur->host_calls++;
    if (cur->view) {
        if (nvm_used_gas(cur) > cur->prepaid) {
            fail("Exceeded the maximum amount of gas allowed to burn per contract.");
        }
    } else if (nvm_used_gas(cur) + cur->promise_gas > cur->prepaid) {
        fail("Exceeded the prepaid gas.");
    }
}

static void not_in_view(const char *name)
{
    if (cur->view) {
        fail("%s is not allowed in view calls", name);
    }
}

/* ---- registers ---- */

static nvm_register *reg_find(uint64_t id)
{
    for (size_t i = 0; i < cur->n_regs; i++) {
        if (cur->regs[i].id == id) {
            return &cur->regs[i];
        }
    }
    return NULL;
}

static void set_reg(uint64_t id, const void *data, size_t len)
{
    nvm_register *r;
    uint64_t old, usage;
    unsigned char *copy;
    if (len > NVM_MAX_REG_SIZE || cur->n_regs >= NVM_MAX_REGISTERS) {
        fail("Accessed memory outside the bounds.");
    }
    r = reg_find(id);
    old = r ? r->len + 8 : 0;
    usage = cur->regs_usage - old + len + 8;
    if (usage > NVM_REGS_MEMORY) {
        fail("Accessed memory outside the bounds.");
    }
    copy = alloc(len);
    if (len) {
        memcpy(copy, data, len);
    }
    if (r == NULL) {
        r = &cur->regs[cur->n_regs++];
        r->id = id;
    } else {
        free(r->data);
    }
    r->data = copy;
    r->len = len;
    cur->regs_usage = usage;
}

/* nearcore's get_memory_or_register: len u64::MAX reads register `p`. */
static const unsigned char *mem(near_u64 p, near_u64 len, size_t *out_len)
{
    if (len == UINT64_MAX) {
        nvm_register *r = reg_find(p);
        if (r == NULL) {
            fail("Accessed invalid register id: %llu", (unsigned long long)p);
        }
        *out_len = r->len;
        return r->data ? r->data : (const unsigned char *)"";
    }
    if (len > NVM_MAX_MEMORY || (p == 0 && len > 0)) {
        fail("Accessed memory outside the bounds.");
    }
    *out_len = (size_t)len;
    return len ? ptr(p) : (const unsigned char *)"";
}

static tk_nearvm_u128 get_u128(near_u64 p)
{
    return nvm_le_get(mem(p, 16, &(size_t){0}), 16);
}

static void set_u128(near_u64 p, tk_nearvm_u128 v)
{
    if (p == 0) {
        fail("Accessed memory outside the bounds.");
    }
    nvm_le_put(ptr(p), v, 16);
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    nvm_register *r;
    enter();
    r = reg_find(id);
    if (r == NULL) {
        fail("Accessed invalid register id: %llu", (unsigned long long)id);
    }
    if (r->len) {
        if (p == 0) {
            fail("Accessed memory outside the bounds.");
        }
        memcpy(ptr(p), r->data, r->len);
    }
}

near_u64 near_host_register_len(near_u64 id)
{
    nvm_register *r;
    enter();
    r = reg_find(id);
    return r ? r->len : UINT64_MAX;
}

void near_host_write_register(near_u64 id, near_u64 len, near_u64 p)
{
    size_t n;
    const unsigned char *d;
    enter();
    if (len == UINT64_MAX) {
        fail("Accessed memory outside the bounds.");
    }
    d = mem(p, len, &n);
    set_reg(id, d, n);
}

/* ---- strings ---- */

/* Strict UTF-8 (as Rust's String::from_utf8). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3, cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= k) {
            return 0;
        }
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return 0;
        }
        i += k + 1;
    }
    return 1;
}

/* nearcore's get_utf8_string: len u64::MAX means NUL-terminated; bounded by the log budget. */
static char *utf8_string(near_u64 len, near_u64 p, size_t *out_len)
{
    uint64_t max_len = NVM_MAX_LOG_LEN - cur->log_bytes;
    const unsigned char *s;
    size_t n;
    char *out;
    if (len != UINT64_MAX) {
        if (len > max_len) {
            fail("The length of a log message %llu exceeds the limit %u",
                 (unsigned long long)(cur->log_bytes + len), NVM_MAX_LOG_LEN);
        }
        s = mem(p, len, &n);
    } else {
        if (p == 0) {
            fail("Accessed memory outside the bounds.");
        }
        s = ptr(p);
        for (n = 0; s[n] != 0; n++) {
            if (n == max_len) {
                fail("The length of a log message %llu exceeds the limit %u",
                     (unsigned long long)(cur->log_bytes + max_len + 1), NVM_MAX_LOG_LEN);
            }
        }
    }
    if (!utf8_ok(s, n)) {
        fail("String encoding is bad UTF-8 sequence.");
    }
    out = keep(alloc(n + 1));
    memcpy(out, s, n);
    out[n] = 0;
    *out_len = n;
    return out;
}

/* nearcore's read_and_parse_account_id. Returns a kept NUL-terminated copy. */
static char *account_id(near_u64 len, near_u64 p)
{
    size_t n;
    const unsigned char *s = mem(p, len, &n);
    char *id;
    if (!utf8_ok(s, n)) {
        fail("String encoding is bad UTF-8 sequence.");
    }
    if (n > 64 || memchr(s, 0, n) != NULL || tk_near_account_check((const char *)s, n) != TK_OK) {
        fail("VM Logic returned an invalid account id");
    }
    id = keep(alloc(n + 1));
    memcpy(id, s, n);
    id[n] = 0;
    return id;
}

/* ---- context ---- */

static void set_reg_str(near_u64 id, const char *s)
{
    set_reg(id, s, strlen(s));
}

void near_host_current_account_id(near_u64 id)
{
    enter();
    set_reg_str(id, cur->current);
}

void near_host_signer_account_id(near_u64 id)
{
    enter();
    not_in_view("signer_account_id");
    set_reg_str(id, cur->receipt->signer);
}

void near_host_signer_account_pk(near_u64 id)
{
    enter();
    not_in_view("signer_account_pk");
    set_reg(id, cur->receipt->signer_pk, cur->receipt->signer_pk_len);
}

void near_host_predecessor_account_id(near_u64 id)
{
    enter();
    not_in_view("predecessor_account_id");
    set_reg_str(id, cur->receipt->predecessor);
}

void near_host_input(near_u64 id)
{
    enter();
    set_reg(id, cur->input, cur->input_len);
}

near_u64 near_host_block_index(void)
{
    enter();
    return cur->vm->height;
}

near_u64 near_host_block_timestamp(void)
{
    enter();
    return nvm_block_timestamp(cur->vm);
}

near_u64 near_host_epoch_height(void)
{
    enter();
    return 1;
}

near_u64 near_host_storage_usage(void)
{
    enter();
    return cur->account->storage_usage;
}

void near_host_account_balance(near_u64 p)
{
    enter();
    set_u128(p, cur->account->amount);
}

void near_host_attached_deposit(near_u64 p)
{
    enter();
    set_u128(p, cur->deposit);
}

near_u64 near_host_prepaid_gas(void)
{
    enter();
    not_in_view("prepaid_gas");
    return cur->prepaid;
}

near_u64 near_host_used_gas(void)
{
    enter();
    not_in_view("used_gas");
    return nvm_used_gas(cur);
}

void near_host_random_seed(near_u64 id)
{
    char text[80];
    unsigned char seed[32];
    enter();
    snprintf(text, sizeof text, "random_seed:%llu:%llu", (unsigned long long)cur->vm->height,
             (unsigned long long)(cur->receipt ? cur->receipt->id : 0));
    tk_sha256(seed, text, strlen(text));
    set_reg(id, seed, sizeof seed);
}

/* ---- crypto ---- */

void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    size_t n;
    const unsigned char *d;
    enter();
    d = mem(p, len, &n);
    tk_sha256(h, d, n);
    set_reg(id, h, 32);
}

void near_host_keccak256(near_u64 len, near_u64 p, near_u64 id)
{
    unsigned char h[32];
    size_t n;
    const unsigned char *d;
    enter();
    d = mem(p, len, &n);
    tk_keccak256(h, d, n);
    set_reg(id, h, 32);
}

near_u64 near_host_ed25519_verify(near_u64 sig_len, near_u64 sig_ptr, near_u64 msg_len,
                                  near_u64 msg_ptr, near_u64 pub_len, near_u64 pub_ptr)
{
    const unsigned char *sig, *msg, *pub;
    size_t sn, mn, pn;
    enter();
    sig = mem(sig_ptr, sig_len, &sn);
    if (sn != 64) {
        fail("ED25519 signature verification error: invalid signature length");
    }
    if (sig[63] & 0xe0) {
        return 0;
    }
    msg = mem(msg_ptr, msg_len, &mn);
    pub = mem(pub_ptr, pub_len, &pn);
    if (pn != 32) {
        fail("ED25519 signature verification error: invalid public key length");
    }
    return crypto_sign_verify_detached(sig, msg, mn, pub) == 0;
}

near_u64 near_host_ecrecover(near_u64 hash_len, near_u64 hash_ptr, near_u64 sig_len,
                             near_u64 sig_ptr, near_u64 v, near_u64 malleability_flag, near_u64 id)
{
    static const unsigned char n_order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                                              0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b,
                                              0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    static const unsigned char half_n_plus_1[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d,
                                                    0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa1};
    const secp256k1_context *secp = tk_secp256k1_ctx();
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    unsigned char sig[64], hash[32], out[65];
    size_t n, out_len = sizeof out;
    const unsigned char *d;
    enter();
    d = mem(sig_ptr, sig_len, &n);
    if (n != 64) {
        fail("ECDSA recover error: The length of the signature: %zu, exceeds the limit of 64 bytes",
             n);
    }
    memcpy(sig, d, 64);
    if (v >= 4) {
        fail("ECDSA recover error: V recovery byte 0 through 3 are valid but was provided %llu",
             (unsigned long long)v);
    }
    d = mem(hash_ptr, hash_len, &n);
    if (n != 32) {
        fail("ECDSA recover error: The length of the hash: %zu, exceeds the limit of 32 bytes", n);
    }
    memcpy(hash, d, 32);
    if (malleability_flag > 1) {
        fail("ECDSA recover error: Malleability flag needs to be 0 or 1, but is instead %llu",
             (unsigned long long)malleability_flag);
    }
    if (memcmp(sig, n_order, 32) >= 0 ||
        memcmp(sig + 32, malleability_flag ? half_n_plus_1 : n_order, 32) >= 0) {
        return 0;
    }
    if (secp == NULL ||
        !secp256k1_ecdsa_recoverable_signature_parse_compact(secp, &rsig, sig, (int)v) ||
        !secp256k1_ecdsa_recover(secp, &pk, &rsig, hash) ||
        !secp256k1_ec_pubkey_serialize(secp, out, &out_len, &pk, SECP256K1_EC_UNCOMPRESSED)) {
        return 0;
    }
    set_reg(id, out + 1, 64);
    return 1;
}

/* ---- results, logs, panics ---- */

void near_host_value_return(near_u64 len, near_u64 p)
{
    size_t n;
    const unsigned char *d;
    unsigned char *copy;
    enter();
    d = mem(p, len, &n);
    if (n > NVM_MAX_RETURN) {
        fail("The length of a returned value %zu exceeds the limit %u", n, NVM_MAX_RETURN);
    }
    copy = alloc(n + 1);
    memcpy(copy, d, n);
    copy[n] = 0;
    free(cur->ret_data);
    cur->ret_data = copy;
    cur->ret_len = n;
    cur->ret = NVM_RET_VALUE;
}

void near_host_panic(void)
{
    enter();
    fail("Smart contract panicked: explicit guest panic");
}

void near_host_panic_utf8(near_u64 len, near_u64 p)
{
    size_t n;
    char *msg;
    enter();
    msg = utf8_string(len, p, &n);
    fail("Smart contract panicked: %s", msg);
}

void near_host_log_utf8(near_u64 len, near_u64 p)
{
    size_t n;
    char *msg;
    enter();
    if (json_array_size(cur->logs) >= NVM_MAX_LOGS) {
        fail("The number of logs will exceed the limit %u", NVM_MAX_LOGS);
    }
    msg = utf8_string(len, p, &n);
    if (cur->log_bytes + n > NVM_MAX_LOG_LEN) {
        fail("The length of a log message %llu exceeds the limit %u",
             (unsigned long long)(cur->log_bytes + n), NVM_MAX_LOG_LEN);
    }
    cur->log_bytes += n;
    json_array_append_new(cur->logs, json_stringn(msg, n));
}

/* ---- storage ---- */

static const unsigned char *storage_key(near_u64 len, near_u64 p, size_t *n)
{
    const unsigned char *k = mem(p, len, n);
    if (*n > NVM_MAX_KEY) {
        fail("The length of a storage key %zu exceeds the limit %u", *n, NVM_MAX_KEY);
    }
    return k;
}

static int storage_get(const unsigned char *key, size_t key_len, unsigned char **val,
                       size_t *val_len)
{
    tk_nearvm *vm = cur->vm;
    int rc = vm->store.ops->get(vm->store.ctx, val, val_len, TK_NEARVM_REC_DATA, cur->current, key,
                                key_len);
    if (rc == TK_ERR_NOT_FOUND) {
        return 0;
    }
    if (rc != TK_OK) {
        fail("storage error");
    }
    keep(*val);
    return 1;
}

near_u64 near_host_storage_write(near_u64 kl, near_u64 kp, near_u64 vl, near_u64 vp, near_u64 id)
{
    const unsigned char *key, *val;
    unsigned char *old = NULL;
    size_t key_len, val_len, old_len = 0;
    int had;
    tk_nearvm *vm;
    enter();
    not_in_view("storage_write");
    vm = cur->vm;
    key = storage_key(kl, kp, &key_len);
    val = mem(vp, vl, &val_len);
    if (val_len > NVM_MAX_VALUE) {
        fail("The length of a storage value %zu exceeds the limit %u", val_len, NVM_MAX_VALUE);
    }
    had = storage_get(key, key_len, &old, &old_len);
    if (vm->store.ops->put(vm->store.ctx, TK_NEARVM_REC_DATA, cur->current, key, key_len, val,
                           val_len) != TK_OK) {
        fail("storage error");
    }
    if (had) {
        cur->account->storage_usage += val_len - old_len;
        set_reg(id, old, old_len);
        return 1;
    }
    cur->account->storage_usage += key_len + val_len + NVM_RECORD_BYTES;
    return 0;
}

near_u64 near_host_storage_read(near_u64 kl, near_u64 kp, near_u64 id)
{
    const unsigned char *key;
    unsigned char *val = NULL;
    size_t key_len, val_len = 0;
    enter();
    key = storage_key(kl, kp, &key_len);
    if (!storage_get(key, key_len, &val, &val_len)) {
        return 0;
    }
    set_reg(id, val, val_len);
    return 1;
}

near_u64 near_host_storage_remove(near_u64 kl, near_u64 kp, near_u64 id)
{
    const unsigned char *key;
    unsigned char *val = NULL;
    size_t key_len, val_len = 0;
    tk_nearvm *vm;
    enter();
    not_in_view("storage_remove");
    vm = cur->vm;
    key = storage_key(kl, kp, &key_len);
    if (!storage_get(key, key_len, &val, &val_len)) {
        return 0;
    }
    if (vm->store.ops->del(vm->store.ctx, TK_NEARVM_REC_DATA, cur->current, key, key_len) !=
        TK_OK) {
        fail("storage error");
    }
    cur->account->storage_usage -= key_len + val_len + NVM_RECORD_BYTES;
    set_reg(id, val, val_len);
    return 1;
}

near_u64 near_host_storage_has_key(near_u64 kl, near_u64 kp)
{
    const unsigned char *key;
    unsigned char *val = NULL;
    size_t key_len, val_len = 0;
    enter();
    key = storage_key(kl, kp, &key_len);
    return (near_u64)storage_get(key, key_len, &val, &val_len);
}

/* ---- promises ---- */

static nvm_new_receipt *new_receipt(const char *receiver)
{
    nvm_new_receipt *n;
    cur->news = realloc(cur->news, (cur->n_news + 1) * sizeof *cur->news);
    if (cur->news == NULL) {
        abort();
    }
    n = &cur->news[cur->n_news++];
    memset(n, 0, sizeof *n);
    n->receiver = strdup(receiver);
    if (n->receiver == NULL) {
        abort();
    }
    return n;
}

static near_u64 push_promise(int joint, size_t receipt, size_t *members, size_t n_members)
{
    nvm_promise *p;
    cur->promises = realloc(cur->promises, (cur->n_promises + 1) * sizeof *cur->promises);
    if (cur->promises == NULL) {
        abort();
    }
    p = &cur->promises[cur->n_promises++];
    p->joint = joint;
    p->receipt = receipt;
    p->members = members;
    p->n_members = n_members;
    if (cur->n_promises > NVM_MAX_PROMISES) {
        fail("The number of promises within a FunctionCall %zu exceeds the limit %u",
             cur->n_promises, NVM_MAX_PROMISES);
    }
    return cur->n_promises - 1;
}

static const nvm_promise *promise_get(near_u64 idx)
{
    if (idx >= cur->n_promises) {
        fail("%llu does not correspond to existing promises", (unsigned long long)idx);
    }
    return &cur->promises[idx];
}

/* promise_idx_to_receipt_idx: the new receipt a non-joint promise names. */
static nvm_new_receipt *promise_receipt(near_u64 idx)
{
    const nvm_promise *p = promise_get(idx);
    if (p->joint) {
        fail("Actions can only be appended to non-joint promise.");
    }
    return &cur->news[p->receipt];
}

static nvm_action *append_action(nvm_new_receipt *n, nvm_action_kind kind)
{
    nvm_action *a;
    n->actions = realloc(n->actions, (n->n_actions + 1) * sizeof *n->actions);
    if (n->actions == NULL) {
        abort();
    }
    a = &n->actions[n->n_actions++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    return a;
}

/* A NUL-terminated heap copy of n bytes, owned by the action or resume that keeps it. */
static void *copy_bytes(const void *p, size_t n)
{
    unsigned char *c = malloc(n + 1);
    if (c == NULL) {
        abort();
    }
    memcpy(c, p, n);
    c[n] = 0;
    return c;
}

/* The method name of a FunctionCall; it may not be empty. */
static const unsigned char *method_name(near_u64 len, near_u64 ptr, size_t *nl)
{
    const unsigned char *name = mem(ptr, len, nl);
    if (*nl == 0) {
        fail("Tried to call an empty method name.");
    }
    return name;
}

/* Appends a FunctionCall of method name[0..nl) with args[0..al) to n. */
static nvm_action *append_call(nvm_new_receipt *n, const unsigned char *name, size_t nl,
                               const unsigned char *args, size_t al, near_u64 gas, near_u64 weight)
{
    nvm_action *a = append_action(n, NVM_ACT_FUNCTION_CALL);
    a->method = copy_bytes(name, nl);
    a->method_len = nl;
    a->data = copy_bytes(args, al);
    a->data_len = al;
    a->gas = gas;
    a->weight = weight;
    return a;
}

static void deduct(tk_nearvm_u128 amount)
{
    if (cur->account->amount < amount) {
        fail("Exceeded the account balance.");
    }
    cur->account->amount -= amount;
}

static void prepay_gas(uint64_t gas)
{
    uint64_t used = nvm_used_gas(cur);
    if (gas > cur->prepaid || used + cur->promise_gas > cur->prepaid - gas) {
        fail("Exceeded the prepaid gas.");
    }
    cur->promise_gas += gas;
}

static near_u64 batch_create(near_u64 account_len, near_u64 account_ptr)
{
    char *id = account_id(account_len, account_ptr);
    new_receipt(id);
    return push_promise(0, cur->n_news - 1, NULL, 0);
}

static near_u64 batch_then(near_u64 promise_index, near_u64 account_len, near_u64 account_ptr)
{
    const nvm_promise *p;
    nvm_new_receipt *n;
    char *id = account_id(account_len, account_ptr);
    p = promise_get(promise_index);
    n = new_receipt(id);
    n->n_deps = p->joint ? p->n_members : 1;
    n->deps = malloc(n->n_deps * sizeof *n->deps + 1);
    if (n->deps == NULL) {
        abort();
    }
    if (p->joint) {
        memcpy(n->deps, p->members, p->n_members * sizeof *n->deps);
    } else {
        n->deps[0] = p->receipt;
    }
    return push_promise(0, cur->n_news - 1, NULL, 0);
}

static void function_call(near_u64 promise_index, near_u64 name_len, near_u64 name_ptr,
                          near_u64 args_len, near_u64 args_ptr, near_u64 amount_ptr, near_u64 gas,
                          near_u64 weight)
{
    tk_nearvm_u128 amount;
    const unsigned char *name, *args;
    size_t nl, al;
    nvm_new_receipt *n;
    amount = get_u128(amount_ptr);
    name = method_name(name_len, name_ptr, &nl);
    args = mem(args_ptr, args_len, &al);
    n = promise_receipt(promise_index);
    prepay_gas(gas);
    deduct(amount);
    append_call(n, name, nl, args, al, gas, weight)->amount = amount;
}

near_u64 near_host_promise_batch_create(near_u64 account_len, near_u64 account_ptr)
{
    enter();
    not_in_view("promise_batch_create");
    return batch_create(account_len, account_ptr);
}

near_u64 near_host_promise_batch_then(near_u64 promise_index, near_u64 account_len,
                                      near_u64 account_ptr)
{
    enter();
    not_in_view("promise_batch_then");
    return batch_then(promise_index, account_len, account_ptr);
}

void near_host_promise_batch_action_function_call_weight(near_u64 promise_index, near_u64 name_len,
                                                         near_u64 name_ptr, near_u64 args_len,
                                                         near_u64 args_ptr, near_u64 amount_ptr,
                                                         near_u64 gas, near_u64 weight)
{
    enter();
    not_in_view("promise_batch_action_function_call");
    function_call(promise_index, name_len, name_ptr, args_len, args_ptr, amount_ptr, gas, weight);
}

void near_host_promise_batch_action_function_call(near_u64 promise_index, near_u64 name_len,
                                                  near_u64 name_ptr, near_u64 args_len,
                                                  near_u64 args_ptr, near_u64 amount_ptr,
                                                  near_u64 gas)
{
    enter();
    not_in_view("promise_batch_action_function_call");
    function_call(promise_index, name_len, name_ptr, args_len, args_ptr, amount_ptr, gas, 0);
}

near_u64 near_host_promise_create(near_u64 account_len, near_u64 account_ptr, near_u64 name_len,
                                  near_u64 name_ptr, near_u64 args_len, near_u64 args_ptr,
                                  near_u64 amount_ptr, near_u64 gas)
{
    near_u64 idx;
    enter();
    not_in_view("promise_batch_create");
    idx = batch_create(account_len, account_ptr);
    function_call(idx, name_len, name_ptr, args_len, args_ptr, amount_ptr, gas, 0);
    return idx;
}

near_u64 near_host_promise_then(near_u64 promise_index, near_u64 account_len, near_u64 account_ptr,
                                near_u64 name_len, near_u64 name_ptr, near_u64 args_len,
                                near_u64 args_ptr, near_u64 amount_ptr, near_u64 gas)
{
    near_u64 idx;
    enter();
    not_in_view("promise_batch_then");
    idx = batch_then(promise_index, account_len, account_ptr);
    function_call(idx, name_len, name_ptr, args_len, args_ptr, amount_ptr, gas, 0);
    return idx;
}

near_u64 near_host_promise_and(near_u64 idx_ptr, near_u64 count)
{
    const unsigned char *b;
    size_t n, i, *members = NULL, *grown, n_members = 0;
    enter();
    not_in_view("promise_and");
    if (count > UINT64_MAX / 8) {
        fail("Integer overflow.");
    }
    b = mem(idx_ptr, count * 8, &n);
    for (i = 0; i < count; i++) {
        uint64_t idx = 0;
        const nvm_promise *p;
        for (int j = 7; j >= 0; j--) {
            idx = (idx << 8) | b[8 * i + (size_t)j];
        }
        p = promise_get(idx);
        cur->scratch = NULL;
        grown = realloc(members, (n_members + (p->joint ? p->n_members : 1)) * sizeof *members);
        if (grown == NULL) {
            abort();
        }
        members = cur->scratch = grown;
        if (p->joint) {
            memcpy(members + n_members, p->members, p->n_members * sizeof *members);
            n_members += p->n_members;
        } else {
            members[n_members++] = p->receipt;
        }
        if (n_members > NVM_MAX_DEPS) {
            fail("The number of input data dependencies %zu exceeds the limit %u", n_members,
                 NVM_MAX_DEPS);
        }
    }
    cur->scratch = NULL; /* members now belong to the promise */
    return push_promise(1, 0, members, n_members);
}

void near_host_promise_batch_action_create_account(near_u64 promise_index)
{
    enter();
    not_in_view("promise_batch_action_create_account");
    append_action(promise_receipt(promise_index), NVM_ACT_CREATE_ACCOUNT);
}

void near_host_promise_batch_action_deploy_contract(near_u64 promise_index, near_u64 code_len,
                                                    near_u64 code_ptr)
{
    const unsigned char *code;
    size_t n;
    nvm_action *a;
    enter();
    not_in_view("promise_batch_action_deploy_contract");
    code = mem(code_ptr, code_len, &n);
    if (n > 4194304) {
        fail("The size of a contract code in DeployContract action %zu exceeds the limit 4194304",
             n);
    }
    a = append_action(promise_receipt(promise_index), NVM_ACT_DEPLOY);
    a->data = copy_bytes(code, n);
    a->data_len = n;
}

void near_host_promise_batch_action_transfer(near_u64 promise_index, near_u64 amount_ptr)
{
    tk_nearvm_u128 amount;
    nvm_new_receipt *n;
    enter();
    not_in_view("promise_batch_action_transfer");
    amount = get_u128(amount_ptr);
    n = promise_receipt(promise_index);
    deduct(amount);
    append_action(n, NVM_ACT_TRANSFER)->amount = amount;
}

static void public_key(nvm_action *a, const unsigned char *pk, size_t n)
{
    if (!nvm_pk_valid(pk, n)) {
        fail("VM Logic provided an invalid public key");
    }
    memcpy(a->pk, pk, n);
    a->pk_len = n;
}

void near_host_promise_batch_action_add_key_with_full_access(near_u64 promise_index,
                                                             near_u64 pk_len, near_u64 pk_ptr,
                                                             near_u64 nonce)
{
    const unsigned char *pk;
    size_t n;
    nvm_new_receipt *r;
    nvm_action *a;
    enter();
    not_in_view("promise_batch_action_add_key_with_full_access");
    pk = mem(pk_ptr, pk_len, &n);
    r = promise_receipt(promise_index);
    if (!nvm_pk_valid(pk, n)) {
        fail("VM Logic provided an invalid public key");
    }
    a = append_action(r, NVM_ACT_ADD_KEY);
    public_key(a, pk, n);
    a->ak.nonce = nonce;
    a->ak.full = 1;
}

void near_host_promise_batch_action_add_key_with_function_call(
    near_u64 promise_index, near_u64 pk_len, near_u64 pk_ptr, near_u64 nonce,
    near_u64 allowance_ptr, near_u64 receiver_len, near_u64 receiver_ptr, near_u64 names_len,
    near_u64 names_ptr)
{
    const unsigned char *pk, *names;
    size_t n, nn, i;
    tk_nearvm_u128 allowance;
    char *receiver, *copy;
    nvm_new_receipt *r;
    nvm_action *a;
    enter();
    not_in_view("promise_batch_action_add_key_with_function_call");
    pk = mem(pk_ptr, pk_len, &n);
    allowance = get_u128(allowance_ptr);
    receiver = account_id(receiver_len, receiver_ptr);
    names = mem(names_ptr, names_len, &nn);
    for (i = 0; i < nn; i++) {
        if (names[i] == ',' && (i == 0 || names[i - 1] == ',' || i + 1 == nn)) {
            fail("Tried to call an empty method name.");
        }
    }
    r = promise_receipt(promise_index);
    if (!nvm_pk_valid(pk, n)) {
        fail("VM Logic provided an invalid public key");
    }
    copy = nn ? copy_bytes(names, nn) : NULL;
    a = append_action(r, NVM_ACT_ADD_KEY);
    public_key(a, pk, n);
    a->ak.nonce = nonce;
    a->ak.has_allowance = allowance > 0;
    a->ak.allowance = allowance;
    snprintf(a->ak.receiver, sizeof a->ak.receiver, "%s", receiver);
    a->ak.method_names = copy;
}

void near_host_promise_batch_action_delete_key(near_u64 promise_index, near_u64 pk_len,
                                               near_u64 pk_ptr)
{
    const unsigned char *pk;
    size_t n;
    nvm_new_receipt *r;
    enter();
    not_in_view("promise_batch_action_delete_key");
    pk = mem(pk_ptr, pk_len, &n);
    r = promise_receipt(promise_index);
    if (!nvm_pk_valid(pk, n)) {
        fail("VM Logic provided an invalid public key");
    }
    public_key(append_action(r, NVM_ACT_DELETE_KEY), pk, n);
}

void near_host_promise_batch_action_delete_account(near_u64 promise_index, near_u64 beneficiary_len,
                                                   near_u64 beneficiary_ptr)
{
    char *id;
    nvm_new_receipt *r;
    nvm_action *a;
    enter();
    not_in_view("promise_batch_action_delete_account");
    id = account_id(beneficiary_len, beneficiary_ptr);
    r = promise_receipt(promise_index);
    a = append_action(r, NVM_ACT_DELETE_ACCOUNT);
    a->beneficiary = strdup(id);
    if (a->beneficiary == NULL) {
        abort();
    }
}

/* ---- yield / resume ---- */

near_u64 near_host_promise_yield_create(near_u64 name_len, near_u64 name_ptr, near_u64 args_len,
                                        near_u64 args_ptr, near_u64 gas, near_u64 weight,
                                        near_u64 id)
{
    const unsigned char *name, *args;
    size_t nl, al;
    char text[96];
    nvm_new_receipt *n;
    near_u64 idx;
    enter();
    not_in_view("promise_yield_create");
    name = method_name(name_len, name_ptr, &nl);
    args = mem(args_ptr, args_len, &al);
    prepay_gas(gas);
    n = new_receipt(cur->current);
    n->yield = 1;
    idx = push_promise(0, cur->n_news - 1, NULL, 0);
    snprintf(text, sizeof text, "yield:%llu:%zu:%llu",
             (unsigned long long)(cur->receipt ? cur->receipt->id : 0), cur->action_index,
             (unsigned long long)idx);
    tk_sha256(n->data_id, text, strlen(text));
    append_call(n, name, nl, args, al, gas, weight);
    set_reg(id, n->data_id, 32);
    return idx;
}

uint32_t near_host_promise_yield_resume(near_u64 id_len, near_u64 id_ptr, near_u64 payload_len,
                                        near_u64 payload_ptr)
{
    const unsigned char *data_id, *payload;
    size_t dn, pn, i;
    int found = 0;
    nvm_yield *y;
    nvm_resume *r;
    enter();
    not_in_view("promise_submit_data");
    data_id = mem(id_ptr, id_len, &dn);
    payload = mem(payload_ptr, payload_len, &pn);
    if (pn > NVM_MAX_YIELD_LOAD) {
        fail("Yield resume payload is %zu bytes which exceeds the %u byte limit", pn,
             NVM_MAX_YIELD_LOAD);
    }
    if (dn != 32) {
        fail("yield resumption token is malformed");
    }
    for (i = 0; i < cur->n_resumes; i++) {
        if (memcmp(cur->resumes[i].data_id, data_id, 32) == 0) {
            return 0;
        }
    }
    for (i = 0; i < cur->n_news && !found; i++) {
        found = cur->news[i].yield && memcmp(cur->news[i].data_id, data_id, 32) == 0;
    }
    y = found ? NULL : nvm_yield_find(cur->vm, data_id);
    if (!found && (y == NULL || !y->pending || strcmp(y->account, cur->current) != 0)) {
        return 0;
    }
    cur->resumes = realloc(cur->resumes, (cur->n_resumes + 1) * sizeof *cur->resumes);
    if (cur->resumes == NULL) {
        abort();
    }
    r = &cur->resumes[cur->n_resumes++];
    memcpy(r->data_id, data_id, 32);
    r->payload = copy_bytes(payload, pn);
    r->len = pn;
    return 1;
}

near_u64 near_host_promise_results_count(void)
{
    enter();
    not_in_view("promise_results_count");
    return cur->receipt->n_deps;
}

near_u64 near_host_promise_result(near_u64 idx, near_u64 id)
{
    const nvm_result *r;
    enter();
    not_in_view("promise_result");
    if (idx >= cur->receipt->n_deps) {
        fail("Accessed invalid promise result index: %llu", (unsigned long long)idx);
    }
    r = &cur->receipt->results[idx];
    if (r->status == 1) {
        set_reg(id, r->data, r->len);
    }
    return (near_u64)r->status;
}

void near_host_promise_return(near_u64 idx)
{
    const nvm_promise *p;
    enter();
    not_in_view("promise_return");
    p = promise_get(idx);
    if (p->joint) {
        fail("Returning joint promise is currently prohibited.");
    }
    cur->ret = NVM_RET_PROMISE;
    cur->ret_promise = idx;
}

/* ---- running a method ---- */

int nvm_exec_run(nvm_exec *x, void (*fn)(void))
{
    nvm_exec *volatile saved = cur;
    volatile int failed = 0;
    cur = x;
    if (NVM_TGAS > x->prepaid) {
        x->error = strdup("Exceeded the prepaid gas.");
        failed = 1;
    } else if (setjmp(x->jb) == 0) {
        fn();
    } else {
        failed = 1;
    }
    near_arena_reset();
    free(x->scratch);
    x->scratch = NULL;
    cur = saved;
    if (failed && x->error == NULL) {
        abort();
    }
    return failed;
}

void nvm_exec_clear(nvm_exec *x)
{
    size_t i, j;
    for (i = 0; i < x->n_regs; i++) {
        free(x->regs[i].data);
    }
    x->n_regs = 0;
    json_decref(x->logs);
    x->logs = NULL;
    free(x->ret_data);
    x->ret_data = NULL;
    for (i = 0; i < x->n_promises; i++) {
        free(x->promises[i].members);
    }
    free(x->promises);
    x->promises = NULL;
    for (i = 0; i < x->n_news; i++) {
        for (j = 0; j < x->news[i].n_actions; j++) {
            nvm_action_clear(&x->news[i].actions[j]);
        }
        free(x->news[i].actions);
        free(x->news[i].deps);
        free(x->news[i].receiver);
    }
    free(x->news);
    x->news = NULL;
    for (i = 0; i < x->n_resumes; i++) {
        free(x->resumes[i].payload);
    }
    free(x->resumes);
    x->resumes = NULL;
    free(x->error);
    x->error = NULL;
    free(x->scratch);
    x->scratch = NULL;
}

/* ---- for the other host files ---- */

void nvm_host_enter(void)
{
    enter();
}

const unsigned char *nvm_host_mem(uint64_t p, uint64_t len, size_t *out_len)
{
    return mem(p, len, out_len);
}

void nvm_host_set_reg(uint64_t id, const void *data, size_t len)
{
    set_reg(id, data, len);
}

void nvm_host_fail(const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail("%s", msg);
}
