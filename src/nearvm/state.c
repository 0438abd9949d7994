/*
 * nearvm account state on top of the store: the account record (amount, storage usage, code),
 * access keys as nearcore's borsh AccessKey under the borsh PublicKey, storage-usage accounting
 * for keys, the staking check, and the JSON views of accounts and keys. It never writes outside
 * the store's current transaction (the runtime opens one around every change).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/near.h"

#define ACC_REC_LEN (16 + 8 + 8 + 1)

void nvm_le_put(unsigned char *p, tk_nearvm_u128 v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8) {
        p[i] = (unsigned char)v;
    }
}

tk_nearvm_u128 nvm_le_get(const unsigned char *p, int n)
{
    tk_nearvm_u128 v = 0;
    for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static const unsigned char empty_key[1];

int nvm_id_ok(const char *id)
{
    return id != NULL && tk_near_account_check(id, strlen(id)) == TK_OK;
}

int nvm_account_get(tk_nearvm *vm, nvm_account *acc, const char *id)
{
    unsigned char *v = NULL;
    size_t n = 0, name_len;
    int rc = vm->store.ops->get(vm->store.ctx, &v, &n, TK_NEARVM_REC_ACCOUNT, id, empty_key, 0);
    if (rc != TK_OK) {
        return rc;
    }
    if (n < ACC_REC_LEN || (name_len = v[32]) > 64 || n != ACC_REC_LEN + name_len) {
        free(v);
        return tk_fail(TK_ERR_INTERNAL, "nearvm: corrupt account record for %s", id);
    }
    acc->amount = nvm_le_get(v, 16);
    acc->storage_usage = (uint64_t)nvm_le_get(v + 16, 8);
    acc->code_len = (uint64_t)nvm_le_get(v + 24, 8);
    memcpy(acc->contract, v + ACC_REC_LEN, name_len);
    acc->contract[name_len] = 0;
    free(v);
    return TK_OK;
}

int nvm_account_put(tk_nearvm *vm, const char *id, const nvm_account *acc)
{
    unsigned char v[ACC_REC_LEN + 64];
    size_t name_len = strlen(acc->contract);
    nvm_le_put(v, acc->amount, 16);
    nvm_le_put(v + 16, acc->storage_usage, 8);
    nvm_le_put(v + 24, acc->code_len, 8);
    v[32] = (unsigned char)name_len;
    memcpy(v + ACC_REC_LEN, acc->contract, name_len);
    return vm->store.ops->put(vm->store.ctx, TK_NEARVM_REC_ACCOUNT, id, empty_key, 0, v,
                              ACC_REC_LEN + name_len);
}

int nvm_account_exists(tk_nearvm *vm, const char *id)
{
    nvm_account acc;
    return nvm_account_get(vm, &acc, id) == TK_OK;
}

typedef struct {
    unsigned char **keys;
    size_t *lens;
    size_t n, cap;
} keylist;

static int collect(void *arg, const unsigned char *key, size_t key_len, const unsigned char *val,
                   size_t val_len)
{
    keylist *l = arg;
    (void)val, (void)val_len;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        unsigned char **k = realloc(l->keys, cap * sizeof *k);
        size_t *n;
        if (k == NULL) {
            return TK_ERR_NOMEM;
        }
        l->keys = k;
        n = realloc(l->lens, cap * sizeof *n);
        if (n == NULL) {
            return TK_ERR_NOMEM;
        }
        l->lens = n;
        l->cap = cap;
    }
    l->keys[l->n] = malloc(key_len ? key_len : 1);
    if (l->keys[l->n] == NULL) {
        return TK_ERR_NOMEM;
    }
    memcpy(l->keys[l->n], key, key_len);
    l->lens[l->n++] = key_len;
    return 0;
}

static void keylist_free(keylist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i]);
    }
    free(l->keys);
    free(l->lens);
}

int nvm_account_delete(tk_nearvm *vm, const char *id)
{
    static const tk_nearvm_rec kinds[] = {TK_NEARVM_REC_KEY, TK_NEARVM_REC_DATA};
    int rc = TK_OK;
    for (size_t k = 0; k < 2 && rc == TK_OK; k++) {
        keylist l = {0};
        rc = vm->store.ops->iterate(vm->store.ctx, kinds[k], id, collect, &l);
        for (size_t i = 0; i < l.n && rc == TK_OK; i++) {
            rc = vm->store.ops->del(vm->store.ctx, kinds[k], id, l.keys[i], l.lens[i]);
        }
        keylist_free(&l);
    }
    if (rc == TK_OK) {
        rc = vm->store.ops->del(vm->store.ctx, TK_NEARVM_REC_ACCOUNT, id, empty_key, 0);
    }
    return rc;
}

int nvm_stake_ok(const nvm_account *acc, tk_nearvm_u128 *missing)
{
    tk_nearvm_u128 need = (tk_nearvm_u128)acc->storage_usage * TK_NEARVM_STORAGE_PRICE;
    *missing = 0;
    if (acc->amount >= need || acc->storage_usage <= TK_NEARVM_ZERO_BALANCE_LIMIT) {
        return 1;
    }
    *missing = need - acc->amount;
    return 0;
}

char *nvm_u128_str(char buf[40], tk_nearvm_u128 v)
{
    char tmp[40];
    size_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    buf[n] = 0;
    return buf;
}

int nvm_u128_parse(tk_nearvm_u128 *out, const char *s)
{
    tk_nearvm_u128 v = 0, max = ~(tk_nearvm_u128)0;
    size_t len = s ? strlen(s) : 0, i;
    if (len == 0 || len > 39 || (len > 1 && s[0] == '0')) {
        return tk_fail(TK_ERR_INPUT, "not a canonical decimal amount");
    }
    for (i = 0; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') {
            return tk_fail(TK_ERR_INPUT, "not a canonical decimal amount");
        }
        d = (unsigned)(s[i] - '0');
        if (v > (max - d) / 10) {
            return tk_fail(TK_ERR_RANGE, "amount exceeds u128");
        }
        v = v * 10 + d;
    }
    *out = v;
    return TK_OK;
}

/* ---- keys ---- */

int nvm_pk_valid(const unsigned char *pk, size_t len)
{
    return (len == 33 && pk[0] == 0) || (len == 65 && pk[0] == 1);
}

int nvm_pk_parse(unsigned char pk[NVM_PK_MAX], size_t *pk_len, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > 8 && memcmp(s, "ed25519:", 8) == 0) {
        pk[0] = 0;
        *pk_len = 33;
        return tk_nearkey_decode(pk + 1, 32, TK_NEARKEY_ED25519_PUBLIC, s, n);
    }
    if (n > 10 && memcmp(s, "secp256k1:", 10) == 0) {
        pk[0] = 1;
        *pk_len = 65;
        return tk_nearkey_decode(pk + 1, 64, TK_NEARKEY_SECP256K1_PUBLIC, s, n);
    }
    return tk_fail(TK_ERR_INPUT, "public key must be ed25519:… or secp256k1:…");
}

int nvm_pk_format(char *out, size_t cap, const unsigned char *pk, size_t pk_len)
{
    if (!nvm_pk_valid(pk, pk_len)) {
        return tk_fail(TK_ERR_INPUT, "invalid public key");
    }
    return tk_nearkey_encode(out, cap,
                             pk[0] == 0 ? TK_NEARKEY_ED25519_PUBLIC : TK_NEARKEY_SECP256K1_PUBLIC,
                             pk + 1, pk_len - 1);
}

void nvm_access_key_clear(nvm_access_key *ak)
{
    free(ak->method_names);
    ak->method_names = NULL;
}

int nvm_access_key_encode(unsigned char **out, size_t *out_len, const nvm_access_key *ak)
{
    size_t rl = strlen(ak->receiver), ml = ak->method_names ? strlen(ak->method_names) : 0;
    size_t cap = 8 + 1 + 17 + 4 + rl + 4 + ml + 4 * (ml + 1) + 8, n = 0, count = 0, i, start;
    unsigned char *b = malloc(cap);
    if (b == NULL) {
        return TK_ERR_NOMEM;
    }
    nvm_le_put(b, ak->nonce, 8);
    n = 8;
    if (ak->full) {
        b[n++] = 1;
        *out = b;
        *out_len = n;
        return TK_OK;
    }
    b[n++] = 0;
    b[n++] = ak->has_allowance ? 1 : 0;
    if (ak->has_allowance) {
        nvm_le_put(b + n, ak->allowance, 16);
        n += 16;
    }
    b[n++] = (unsigned char)rl, b[n++] = 0, b[n++] = 0, b[n++] = 0;
    memcpy(b + n, ak->receiver, rl);
    n += rl;
    if (ml) {
        count = 1;
        for (i = 0; i < ml; i++) {
            count += ak->method_names[i] == ',';
        }
    }
    b[n++] = (unsigned char)count, b[n++] = (unsigned char)(count >> 8);
    b[n++] = (unsigned char)(count >> 16), b[n++] = 0;
    for (start = 0, i = 0; ml && i <= ml; i++) {
        if (i == ml || ak->method_names[i] == ',') {
            size_t l = i - start;
            b[n++] = (unsigned char)l, b[n++] = (unsigned char)(l >> 8);
            b[n++] = (unsigned char)(l >> 16), b[n++] = (unsigned char)(l >> 24);
            memcpy(b + n, ak->method_names + start, l);
            n += l;
            start = i + 1;
        }
    }
    *out = b;
    *out_len = n;
    return TK_OK;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int nvm_access_key_decode(nvm_access_key *ak, const unsigned char *in, size_t len)
{
    size_t n = 9, i;
    uint32_t rl, count;
    memset(ak, 0, sizeof *ak);
    if (len < 9) {
        goto bad;
    }
    ak->nonce = (uint64_t)nvm_le_get(in, 8);
    if (in[8] == 1) {
        ak->full = 1;
        return len == 9 ? TK_OK : tk_fail(TK_ERR_INTERNAL, "corrupt access key");
    }
    if (in[8] != 0 || n >= len) {
        goto bad;
    }
    ak->has_allowance = in[n++];
    if (ak->has_allowance > 1 || (ak->has_allowance && len < n + 16)) {
        goto bad;
    }
    if (ak->has_allowance) {
        ak->allowance = nvm_le_get(in + n, 16);
        n += 16;
    }
    if (len < n + 4 || (rl = get_u32(in + n)) > 64 || len < n + 4 + rl) {
        goto bad;
    }
    memcpy(ak->receiver, in + n + 4, rl);
    ak->receiver[rl] = 0;
    n += 4 + rl;
    if (len < n + 4) {
        goto bad;
    }
    count = get_u32(in + n);
    n += 4;
    ak->method_names = calloc(1, len - n + count + 1);
    if (ak->method_names == NULL) {
        return TK_ERR_NOMEM;
    }
    for (i = 0; i < count; i++) {
        uint32_t l;
        if (len < n + 4 || (l = get_u32(in + n)) > len - n - 4) {
            goto bad;
        }
        if (i) {
            strcat(ak->method_names, ",");
        }
        strncat(ak->method_names, (const char *)in + n + 4, l);
        n += 4 + l;
    }
    if (n != len) {
        goto bad;
    }
    if (count == 0) {
        nvm_access_key_clear(ak);
    }
    return TK_OK;
bad:
    nvm_access_key_clear(ak);
    return tk_fail(TK_ERR_INTERNAL, "corrupt access key");
}

json_t *nvm_access_key_json(const nvm_access_key *ak)
{
    json_t *perm, *names = json_array();
    char buf[40];
    if (ak->full) {
        json_decref(names);
        perm = json_string("FullAccess");
    } else {
        const char *p = ak->method_names;
        while (p != NULL && *p) {
            const char *c = strchr(p, ',');
            size_t l = c ? (size_t)(c - p) : strlen(p);
            json_array_append_new(names, json_stringn(p, l));
            p = c ? c + 1 : p + l;
        }
        perm = json_pack("{s:{s:o,s:s,s:o}}", "FunctionCall", "allowance",
                         ak->has_allowance ? json_string(nvm_u128_str(buf, ak->allowance))
                                           : json_null(),
                         "receiver_id", ak->receiver, "method_names", names);
    }
    return json_pack("{s:I,s:o}", "nonce", (json_int_t)ak->nonce, "permission", perm);
}

int nvm_access_key_from_json(nvm_access_key *ak, const json_t *j)
{
    const json_t *perm = json_object_get(j, "permission"), *fc, *names, *v;
    json_int_t nonce = 0;
    size_t i, total = 0;
    memset(ak, 0, sizeof *ak);
    if (!json_is_object(j)) {
        return tk_fail(TK_ERR_INPUT, "access_key must be an object");
    }
    v = json_object_get(j, "nonce");
    if (v != NULL && (!json_is_integer(v) || (nonce = json_integer_value(v)) < 0)) {
        return tk_fail(TK_ERR_INPUT, "access_key.nonce must be a non-negative integer");
    }
    ak->nonce = (uint64_t)nonce;
    if (json_is_string(perm) && strcmp(json_string_value(perm), "FullAccess") == 0) {
        ak->full = 1;
        return TK_OK;
    }
    fc = json_object_get(perm, "FunctionCall");
    if (!json_is_object(fc)) {
        return tk_fail(TK_ERR_INPUT, "permission must be \"FullAccess\" or {\"FunctionCall\"}");
    }
    v = json_object_get(fc, "allowance");
    if (json_is_string(v)) {
        if (nvm_u128_parse(&ak->allowance, json_string_value(v)) != TK_OK) {
            return TK_ERR_INPUT;
        }
        ak->has_allowance = 1;
    } else if (v != NULL && !json_is_null(v)) {
        return tk_fail(TK_ERR_INPUT, "allowance must be a decimal string or null");
    }
    v = json_object_get(fc, "receiver_id");
    if (!json_is_string(v) || !nvm_id_ok(json_string_value(v))) {
        return tk_fail(TK_ERR_INPUT, "receiver_id must be an account id");
    }
    strcpy(ak->receiver, json_string_value(v));
    names = json_object_get(fc, "method_names");
    if (names != NULL && !json_is_array(names)) {
        return tk_fail(TK_ERR_INPUT, "method_names must be an array");
    }
    json_array_foreach(names, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            strchr(json_string_value(v), ',') != NULL) {
            return tk_fail(TK_ERR_INPUT, "method_names must be non-empty names");
        }
        total += json_string_length(v) + 1;
    }
    if (total > 2000) {
        return tk_fail(TK_ERR_INPUT, "method_names too long");
    }
    if (total) {
        ak->method_names = calloc(1, total + 1);
        if (ak->method_names == NULL) {
            return TK_ERR_NOMEM;
        }
        json_array_foreach(names, i, v)
        {
            if (i) {
                strcat(ak->method_names, ",");
            }
            strcat(ak->method_names, json_string_value(v));
        }
    }
    return TK_OK;
}

static uint64_t key_usage(size_t pk_len, size_t ak_len)
{
    return pk_len + ak_len + NVM_RECORD_BYTES;
}

int nvm_key_get(tk_nearvm *vm, nvm_access_key *ak, const char *id, const unsigned char *pk,
                size_t pk_len)
{
    unsigned char *v = NULL;
    size_t n = 0;
    int rc = vm->store.ops->get(vm->store.ctx, &v, &n, TK_NEARVM_REC_KEY, id, pk, pk_len);
    if (rc != TK_OK) {
        return rc;
    }
    rc = nvm_access_key_decode(ak, v, n);
    free(v);
    return rc;
}

int nvm_key_put(tk_nearvm *vm, nvm_account *acc, const char *id, const unsigned char *pk,
                size_t pk_len, const nvm_access_key *ak)
{
    unsigned char *enc = NULL, *old = NULL;
    size_t enc_len = 0, old_len = 0;
    int rc = vm->store.ops->get(vm->store.ctx, &old, &old_len, TK_NEARVM_REC_KEY, id, pk, pk_len);
    if (rc == TK_OK) {
        acc->storage_usage -= key_usage(pk_len, old_len);
        free(old);
    } else if (rc != TK_ERR_NOT_FOUND) {
        return rc;
    }
    rc = nvm_access_key_encode(&enc, &enc_len, ak);
    if (rc == TK_OK) {
        rc = vm->store.ops->put(vm->store.ctx, TK_NEARVM_REC_KEY, id, pk, pk_len, enc, enc_len);
        acc->storage_usage += key_usage(pk_len, enc_len);
    }
    free(enc);
    return rc;
}

int nvm_key_del(tk_nearvm *vm, nvm_account *acc, const char *id, const unsigned char *pk,
                size_t pk_len)
{
    unsigned char *old = NULL;
    size_t old_len = 0;
    int rc = vm->store.ops->get(vm->store.ctx, &old, &old_len, TK_NEARVM_REC_KEY, id, pk, pk_len);
    if (rc != TK_OK) {
        return rc;
    }
    free(old);
    acc->storage_usage -= key_usage(pk_len, old_len);
    return vm->store.ops->del(vm->store.ctx, TK_NEARVM_REC_KEY, id, pk, pk_len);
}

static int key_json(void *arg, const unsigned char *key, size_t key_len, const unsigned char *val,
                    size_t val_len)
{
    json_t *keys = arg;
    nvm_access_key ak;
    char pk[TK_NEARKEY_MAX_LEN];
    if (nvm_pk_format(pk, sizeof pk, key, key_len) != TK_OK ||
        nvm_access_key_decode(&ak, val, val_len) != TK_OK) {
        return TK_ERR_INTERNAL;
    }
    json_array_append_new(
        keys, json_pack("{s:s,s:o}", "public_key", pk, "access_key", nvm_access_key_json(&ak)));
    nvm_access_key_clear(&ak);
    return 0;
}

json_t *nvm_account_json(tk_nearvm *vm, const char *id, const nvm_account *acc)
{
    char buf[40];
    json_t *keys = json_array();
    if (vm->store.ops->iterate(vm->store.ctx, TK_NEARVM_REC_KEY, id, key_json, keys) != TK_OK) {
        json_decref(keys);
        return NULL;
    }
    return json_pack("{s:s,s:I,s:o,s:o}", "amount", nvm_u128_str(buf, acc->amount), "storage_usage",
                     (json_int_t)acc->storage_usage, "contract",
                     acc->contract[0] ? json_string(acc->contract) : json_null(), "keys", keys);
}
