/*
 * EVM transaction encoding (unsigned payloads and signed raw transactions for types 0, 1, 2,
 * 4), signing and sender recovery, EIP-7702 authorization digests, the strict decoder of
 * signed raw transactions, and the JSON-RPC view of a decoded transaction. The secret key is
 * only handed to sign.c; nothing here copies it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/hash.h"
#include "teekeys/rlp.h"

/* ---- encoding ---- */

static void put_u256(tk_rlp_buf *b, const tk_evm_u256 *v)
{
    (void)tk_rlp_put_uint_be(b, v->b, 32);
}

static void put_access_list(tk_rlp_buf *b, const tk_evm_tx *tx)
{
    size_t outer, entry, keys;
    (void)tk_rlp_list_begin(b, &outer);
    for (size_t i = 0; i < tx->n_access; i++) {
        const tk_evm_access_entry *e = &tx->access_list[i];
        (void)tk_rlp_list_begin(b, &entry);
        (void)tk_rlp_put_bytes(b, e->address, 20);
        (void)tk_rlp_list_begin(b, &keys);
        for (size_t j = 0; j < e->n_keys; j++) {
            (void)tk_rlp_put_bytes(b, e->keys[j], 32);
        }
        (void)tk_rlp_list_end(b, keys);
        (void)tk_rlp_list_end(b, entry);
    }
    (void)tk_rlp_list_end(b, outer);
}

static void put_auth_list(tk_rlp_buf *b, const tk_evm_tx *tx)
{
    size_t outer, entry;
    (void)tk_rlp_list_begin(b, &outer);
    for (size_t i = 0; i < tx->n_auths; i++) {
        const tk_evm_authorization *a = &tx->auths[i];
        (void)tk_rlp_list_begin(b, &entry);
        (void)tk_rlp_put_u64(b, a->chain_id);
        (void)tk_rlp_put_bytes(b, a->address, 20);
        (void)tk_rlp_put_u64(b, a->nonce);
        (void)tk_rlp_put_u64(b, a->y_parity);
        put_u256(b, &a->r);
        put_u256(b, &a->s);
        (void)tk_rlp_list_end(b, entry);
    }
    (void)tk_rlp_list_end(b, outer);
}

static int encode(tk_rlp_buf *b, const tk_evm_tx *tx, int with_sig)
{
    size_t list;
    unsigned char type = (unsigned char)tx->type;
    if (tx->type != TK_EVM_TX_LEGACY && tx->type != TK_EVM_TX_EIP2930 &&
        tx->type != TK_EVM_TX_EIP1559 && tx->type != TK_EVM_TX_EIP7702) {
        return tk_fail(TK_ERR_ARG, "transaction: unknown type %u", (unsigned)tx->type);
    }
    if (with_sig && !tx->has_sig) {
        return tk_fail(TK_ERR_ARG, "transaction: not signed");
    }
    if ((tx->n_access != 0 && tx->access_list == NULL) || (tx->n_auths != 0 && tx->auths == NULL) ||
        (tx->data_len != 0 && tx->data == NULL)) {
        return tk_fail(TK_ERR_ARG, "transaction: array pointer is NULL");
    }
    if (tx->type != TK_EVM_TX_LEGACY) {
        (void)tk_rlp_put_raw(b, &type, 1);
    }
    (void)tk_rlp_list_begin(b, &list);
    if (tx->type != TK_EVM_TX_LEGACY) {
        (void)tk_rlp_put_u64(b, tx->chain_id);
    }
    (void)tk_rlp_put_u64(b, tx->nonce);
    if (tx->type == TK_EVM_TX_LEGACY || tx->type == TK_EVM_TX_EIP2930) {
        put_u256(b, &tx->gas_price);
    } else {
        put_u256(b, &tx->max_priority_fee_per_gas);
        put_u256(b, &tx->max_fee_per_gas);
    }
    (void)tk_rlp_put_u64(b, tx->gas);
    (void)tk_rlp_put_bytes(b, tx->to, tx->has_to ? 20 : 0);
    put_u256(b, &tx->value);
    (void)tk_rlp_put_bytes(b, tx->data, tx->data_len);
    if (tx->type != TK_EVM_TX_LEGACY) {
        put_access_list(b, tx);
    }
    if (tx->type == TK_EVM_TX_EIP7702) {
        put_auth_list(b, tx);
    }
    if (with_sig) {
        if (tx->type == TK_EVM_TX_LEGACY) {
            (void)tk_rlp_put_u64(b, tx->eip155 ? tx->chain_id * 2 + 35 + tx->y_parity
                                               : 27 + (uint64_t)tx->y_parity);
        } else {
            (void)tk_rlp_put_u64(b, tx->y_parity);
        }
        put_u256(b, &tx->r);
        put_u256(b, &tx->s);
    } else if (tx->type == TK_EVM_TX_LEGACY && tx->eip155) {
        (void)tk_rlp_put_u64(b, tx->chain_id);
        (void)tk_rlp_put_u64(b, 0);
        (void)tk_rlp_put_u64(b, 0);
    }
    (void)tk_rlp_list_end(b, list);
    return tk_rlp_buf_status(b);
}

int tk_evm_tx_encode(unsigned char **out, size_t *out_len, const tk_evm_tx *tx, int with_signature)
{
    tk_rlp_buf b;
    int rc;
    if (out == NULL || out_len == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction encode: NULL argument");
    }
    *out = NULL;
    *out_len = 0;
    tk_rlp_buf_init(&b);
    if ((rc = encode(&b, tx, with_signature)) != TK_OK) {
        tk_rlp_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *out_len = b.len;
    return TK_OK;
}

int tk_evm_tx_signing_hash(unsigned char hash[TK_EVM_HASH_LEN], const tk_evm_tx *tx)
{
    tk_rlp_buf b;
    int rc;
    if (hash == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction hash: NULL argument");
    }
    tk_rlp_buf_init(&b);
    if ((rc = encode(&b, tx, 0)) == TK_OK) {
        tk_keccak256(hash, b.data, b.len);
    }
    tk_rlp_buf_free(&b);
    return rc;
}

int tk_evm_tx_sign(tk_evm_tx *tx, const unsigned char seckey[TK_EVM_SECKEY_LEN])
{
    unsigned char hash[32], addr[20];
    unsigned recid = 0;
    int rc;
    if (tx == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction sign: NULL argument");
    }
    if (tx->type == TK_EVM_TX_LEGACY && (!tx->eip155 || tx->chain_id == 0)) {
        return tk_fail(TK_ERR_RANGE, "transaction: legacy transactions are signed with EIP-155 "
                                     "only (chainId required)");
    }
    if (tx->type == TK_EVM_TX_LEGACY && tx->chain_id > (UINT64_MAX - 36) / 2) {
        return tk_fail(TK_ERR_RANGE, "chainId: too large for an EIP-155 legacy v value");
    }
    if (tx->has_from) {
        if ((rc = tk_evm_address_of_seckey(addr, seckey)) != TK_OK) {
            return rc;
        }
        if (memcmp(addr, tx->from, 20) != 0) {
            return tk_fail(TK_ERR_RANGE, "from: is not the address of the signing key");
        }
    }
    if ((rc = tk_evm_tx_signing_hash(hash, tx)) != TK_OK) {
        return rc;
    }
    if ((rc = tk_evm__sign_rs(tx->r.b, tx->s.b, &recid, seckey, hash)) != TK_OK) {
        return rc;
    }
    tx->y_parity = recid;
    tx->has_sig = 1;
    return TK_OK;
}

int tk_evm_tx_sender_var(unsigned char addr[TK_EVM_ADDRESS_LEN], const tk_evm_tx *tx)
{
    unsigned char hash[32];
    int rc;
    if (addr == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction sender: NULL argument");
    }
    if (!tx->has_sig) {
        return tk_fail(TK_ERR_ARG, "transaction sender: not signed");
    }
    if ((rc = tk_evm_tx_signing_hash(hash, tx)) != TK_OK) {
        return rc;
    }
    return tk_evm__recover_rs(addr, hash, tx->r.b, tx->s.b, tx->y_parity);
}

/* ---- EIP-7702 authorizations ---- */

int tk_evm_auth_digest(unsigned char hash[TK_EVM_HASH_LEN], const tk_evm_authorization *auth)
{
    tk_rlp_buf b;
    size_t list;
    unsigned char magic = 0x05;
    int rc;
    if (hash == NULL || auth == NULL) {
        return tk_fail(TK_ERR_ARG, "authorization digest: NULL argument");
    }
    tk_rlp_buf_init(&b);
    (void)tk_rlp_put_raw(&b, &magic, 1);
    (void)tk_rlp_list_begin(&b, &list);
    (void)tk_rlp_put_u64(&b, auth->chain_id);
    (void)tk_rlp_put_bytes(&b, auth->address, 20);
    (void)tk_rlp_put_u64(&b, auth->nonce);
    (void)tk_rlp_list_end(&b, list);
    if ((rc = tk_rlp_buf_status(&b)) == TK_OK) {
        tk_keccak256(hash, b.data, b.len);
    }
    tk_rlp_buf_free(&b);
    return rc;
}

int tk_evm_auth_sign(tk_evm_authorization *auth, const unsigned char seckey[TK_EVM_SECKEY_LEN])
{
    unsigned char hash[32];
    unsigned recid = 0;
    int rc;
    if (auth == NULL || seckey == NULL) {
        return tk_fail(TK_ERR_ARG, "authorization sign: NULL argument");
    }
    if (auth->nonce == UINT64_MAX) {
        return tk_fail(TK_ERR_RANGE, "nonce: must be below 2^64-1 (EIP-2681)");
    }
    if ((rc = tk_evm_auth_digest(hash, auth)) != TK_OK ||
        (rc = tk_evm__sign_rs(auth->r.b, auth->s.b, &recid, seckey, hash)) != TK_OK) {
        return rc;
    }
    auth->y_parity = recid;
    auth->has_sig = 1;
    return TK_OK;
}

int tk_evm_auth_signer_var(unsigned char addr[TK_EVM_ADDRESS_LEN], const tk_evm_authorization *auth)
{
    unsigned char hash[32];
    int rc;
    if (addr == NULL || auth == NULL) {
        return tk_fail(TK_ERR_ARG, "authorization signer: NULL argument");
    }
    if (!auth->has_sig) {
        return tk_fail(TK_ERR_ARG, "authorization signer: not signed");
    }
    if ((rc = tk_evm_auth_digest(hash, auth)) != TK_OK) {
        return rc;
    }
    return tk_evm__recover_rs(addr, hash, auth->r.b, auth->s.b, auth->y_parity);
}

/* ---- decoding ---- */

#define MAX_FIELDS 13

static int get_u256(tk_evm_u256 *out, const tk_rlp_item *it, const char *what)
{
    return tk_rlp_get_uint_be(out->b, 32, it, what);
}

static int get_sig_rs(tk_evm_u256 *r, tk_evm_u256 *s, const tk_rlp_item *ir, const tk_rlp_item *is,
                      const char *where)
{
    int rc;
    if ((rc = get_u256(r, ir, "r")) != TK_OK || (rc = get_u256(s, is, "s")) != TK_OK) {
        return tk_evm__refail(rc, "%s", where);
    }
    if (ir->len == 0) {
        return tk_fail(TK_ERR_INPUT, "%s: r is zero", where);
    }
    if (!tk_evm__s_is_low(s->b)) {
        return tk_fail(TK_ERR_INPUT, "%s: s is zero or above n/2 (EIP-2 low-S)", where);
    }
    return TK_OK;
}

static int get_bytes_item(const tk_rlp_item *it, const char *what)
{
    if (it->is_list) {
        return tk_fail(TK_ERR_INPUT, "%s: expected a byte string, got a list", what);
    }
    return TK_OK;
}

static int decode_access_list(tk_evm_tx *tx, const tk_rlp_item *list)
{
    tk_rlp_iter it, kit;
    tk_rlp_item e, f[2], k;
    long n, nk;
    size_t total = 0;
    int rc;
    if ((n = tk_rlp_list_count(list)) < 0) {
        return tk_evm__refail((int)n, "accessList");
    }
    if (n > TK_EVM_MAX_ACCESS_LIST) {
        return tk_fail(TK_ERR_RANGE, "accessList: more than %d entries", TK_EVM_MAX_ACCESS_LIST);
    }
    if (n == 0) {
        return TK_OK;
    }
    if ((tx->access_list = calloc((size_t)n, sizeof *tx->access_list)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "accessList: out of memory");
    }
    if ((rc = tk_rlp_iter_init(&it, list)) != TK_OK) {
        return rc;
    }
    for (size_t i = 0; tk_rlp_iter_next(&it, &e) == TK_OK; i++) {
        tk_evm_access_entry *ae = &tx->access_list[i];
        tx->n_access = i + 1;
        if (!e.is_list || tk_rlp_list_count(&e) != 2) {
            return tk_fail(TK_ERR_INPUT, "accessList[%zu]: expected [address, storageKeys]", i);
        }
        if ((rc = tk_rlp_iter_init(&kit, &e)) != TK_OK ||
            (rc = tk_rlp_iter_next(&kit, &f[0])) != TK_OK ||
            (rc = tk_rlp_iter_next(&kit, &f[1])) != TK_OK) {
            return tk_evm__refail(rc, "accessList[%zu]", i);
        }
        if ((rc = tk_rlp_get_fixed(ae->address, 20, &f[0], "address")) != TK_OK) {
            return tk_evm__refail(rc, "accessList[%zu]", i);
        }
        if (!f[1].is_list) {
            return tk_fail(TK_ERR_INPUT, "accessList[%zu].storageKeys: expected a list", i);
        }
        nk = tk_rlp_list_count(&f[1]);
        if (nk < 0) {
            return tk_evm__refail((int)nk, "accessList[%zu].storageKeys", i);
        }
        total += (size_t)nk;
        if (total > TK_EVM_MAX_STORAGE_KEYS) {
            return tk_fail(TK_ERR_RANGE, "accessList: more than %d storage keys in all",
                           TK_EVM_MAX_STORAGE_KEYS);
        }
        if (nk == 0) {
            continue;
        }
        if ((ae->keys = calloc((size_t)nk, 32)) == NULL) {
            return tk_fail(TK_ERR_NOMEM, "accessList: out of memory");
        }
        if ((rc = tk_rlp_iter_init(&kit, &f[1])) != TK_OK) {
            return rc;
        }
        for (size_t j = 0; tk_rlp_iter_next(&kit, &k) == TK_OK; j++) {
            ae->n_keys = j + 1;
            if ((rc = tk_rlp_get_fixed(ae->keys[j], 32, &k, "storage key")) != TK_OK) {
                return tk_evm__refail(rc, "accessList[%zu].storageKeys[%zu]", i, j);
            }
        }
    }
    return TK_OK;
}

static int decode_auth_list(tk_evm_tx *tx, const tk_rlp_item *list)
{
    tk_rlp_iter it, fit;
    tk_rlp_item e, f[6];
    char where[48];
    uint64_t y;
    long n;
    int rc;
    if ((n = tk_rlp_list_count(list)) < 0) {
        return tk_evm__refail((int)n, "authorizationList");
    }
    if (n == 0) {
        return tk_fail(TK_ERR_INPUT, "authorizationList: must not be empty (EIP-7702)");
    }
    if (n > TK_EVM_MAX_AUTHORIZATIONS) {
        return tk_fail(TK_ERR_RANGE, "authorizationList: more than %d entries",
                       TK_EVM_MAX_AUTHORIZATIONS);
    }
    if ((tx->auths = calloc((size_t)n, sizeof *tx->auths)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "authorizationList: out of memory");
    }
    if ((rc = tk_rlp_iter_init(&it, list)) != TK_OK) {
        return rc;
    }
    for (size_t i = 0; tk_rlp_iter_next(&it, &e) == TK_OK; i++) {
        tk_evm_authorization *a = &tx->auths[i];
        tx->n_auths = i + 1;
        snprintf(where, sizeof where, "authorizationList[%zu]", i);
        if (!e.is_list || tk_rlp_list_count(&e) != 6) {
            return tk_fail(TK_ERR_INPUT, "%s: expected [chainId, address, nonce, yParity, r, s]",
                           where);
        }
        if ((rc = tk_rlp_iter_init(&fit, &e)) != TK_OK) {
            return rc;
        }
        for (int k = 0; k < 6; k++) {
            if ((rc = tk_rlp_iter_next(&fit, &f[k])) != TK_OK) {
                return tk_evm__refail(rc, "%s", where);
            }
        }
        if ((rc = tk_rlp_get_u64(&a->chain_id, &f[0], "chainId")) != TK_OK ||
            (rc = tk_rlp_get_fixed(a->address, 20, &f[1], "address")) != TK_OK ||
            (rc = tk_rlp_get_u64(&a->nonce, &f[2], "nonce")) != TK_OK ||
            (rc = tk_rlp_get_u64(&y, &f[3], "yParity")) != TK_OK) {
            return tk_evm__refail(rc, "%s", where);
        }
        if (a->nonce == UINT64_MAX) {
            return tk_fail(TK_ERR_RANGE, "%s: nonce must be below 2^64-1", where);
        }
        if (y > 1) {
            return tk_fail(TK_ERR_INPUT, "%s: yParity must be 0 or 1", where);
        }
        if ((rc = get_sig_rs(&a->r, &a->s, &f[4], &f[5], where)) != TK_OK) {
            return rc;
        }
        a->y_parity = (unsigned)y;
        a->has_sig = 1;
    }
    return TK_OK;
}

static int decode_body(tk_evm_tx *tx, const tk_rlp_item *list)
{
    tk_rlp_item f[MAX_FIELDS];
    tk_rlp_iter it;
    size_t n = 0, want, i = 0;
    uint64_t y;
    int rc;

    switch (tx->type) {
    case TK_EVM_TX_LEGACY:
        want = 9;
        break;
    case TK_EVM_TX_EIP2930:
        want = 11;
        break;
    case TK_EVM_TX_EIP1559:
        want = 12;
        break;
    default:
        want = 13;
        break;
    }
    if (!list->is_list) {
        return tk_fail(TK_ERR_INPUT, "transaction: expected an RLP list");
    }
    if ((rc = tk_rlp_iter_init(&it, list)) != TK_OK) {
        return rc;
    }
    while (n <= want && (rc = tk_rlp_iter_next(&it, &f[n < want ? n : want - 1])) == TK_OK) {
        n++;
    }
    if (rc != TK_OK && rc != TK_ERR_NOT_FOUND) {
        return rc;
    }
    if (n != want) {
        return tk_fail(TK_ERR_INPUT, "transaction: type 0x%x has %zu fields, got %s%zu",
                       (unsigned)tx->type, want, n > want ? "more than " : "", n > want ? want : n);
    }
    if (tx->type != TK_EVM_TX_LEGACY &&
        (rc = tk_rlp_get_u64(&tx->chain_id, &f[i++], "chainId")) != TK_OK) {
        return rc;
    }
    if ((rc = tk_rlp_get_u64(&tx->nonce, &f[i++], "nonce")) != TK_OK) {
        return rc;
    }
    if (tx->nonce == UINT64_MAX) {
        return tk_fail(TK_ERR_RANGE, "nonce: must be below 2^64-1 (EIP-2681)");
    }
    if (tx->type == TK_EVM_TX_LEGACY || tx->type == TK_EVM_TX_EIP2930) {
        if ((rc = get_u256(&tx->gas_price, &f[i++], "gasPrice")) != TK_OK) {
            return rc;
        }
    } else {
        if ((rc = get_u256(&tx->max_priority_fee_per_gas, &f[i++], "maxPriorityFeePerGas")) !=
                TK_OK ||
            (rc = get_u256(&tx->max_fee_per_gas, &f[i++], "maxFeePerGas")) != TK_OK) {
            return rc;
        }
        if (memcmp(tx->max_priority_fee_per_gas.b, tx->max_fee_per_gas.b, 32) > 0) {
            return tk_fail(TK_ERR_RANGE, "maxPriorityFeePerGas: above maxFeePerGas");
        }
    }
    if ((rc = tk_rlp_get_u64(&tx->gas, &f[i++], "gas")) != TK_OK) {
        return rc;
    }
    if ((rc = get_bytes_item(&f[i], "to")) != TK_OK) {
        return rc;
    }
    if (f[i].len != 0) {
        if ((rc = tk_rlp_get_fixed(tx->to, 20, &f[i], "to")) != TK_OK) {
            return rc;
        }
        tx->has_to = 1;
    } else if (tx->type == TK_EVM_TX_EIP7702) {
        return tk_fail(TK_ERR_INPUT, "to: required for a type 0x4 transaction (EIP-7702)");
    }
    i++;
    if ((rc = get_u256(&tx->value, &f[i++], "value")) != TK_OK) {
        return rc;
    }
    if ((rc = get_bytes_item(&f[i], "data")) != TK_OK) {
        return rc;
    }
    if (f[i].len > TK_EVM_MAX_DATA) {
        return tk_fail(TK_ERR_RANGE, "data: %zu bytes, at most %u allowed", f[i].len,
                       TK_EVM_MAX_DATA);
    }
    if (f[i].len != 0) {
        if ((tx->data = malloc(f[i].len)) == NULL) {
            return tk_fail(TK_ERR_NOMEM, "data: out of memory");
        }
        memcpy(tx->data, f[i].payload, f[i].len);
        tx->data_len = f[i].len;
    }
    i++;
    if (tx->type != TK_EVM_TX_LEGACY) {
        if (!f[i].is_list) {
            return tk_fail(TK_ERR_INPUT, "accessList: expected a list");
        }
        if ((rc = decode_access_list(tx, &f[i++])) != TK_OK) {
            return rc;
        }
    }
    if (tx->type == TK_EVM_TX_EIP7702) {
        if (!f[i].is_list) {
            return tk_fail(TK_ERR_INPUT, "authorizationList: expected a list");
        }
        if ((rc = decode_auth_list(tx, &f[i++])) != TK_OK) {
            return rc;
        }
    }
    if ((rc = tk_rlp_get_u64(&y, &f[i++], tx->type == TK_EVM_TX_LEGACY ? "v" : "yParity")) !=
        TK_OK) {
        return rc;
    }
    if (tx->type == TK_EVM_TX_LEGACY) {
        if (y == 27 || y == 28) {
            tx->eip155 = 0;
            tx->y_parity = (unsigned)(y - 27);
        } else if (y >= 37) {
            tx->eip155 = 1;
            tx->chain_id = (y - 35) / 2;
            tx->y_parity = (unsigned)((y - 35) % 2);
            if (tx->chain_id > (UINT64_MAX - 36) / 2) {
                return tk_fail(TK_ERR_RANGE, "v: chain id too large");
            }
        } else {
            return tk_fail(TK_ERR_INPUT, "v: %llu is neither 27/28 nor EIP-155 (>= 37)",
                           (unsigned long long)y);
        }
    } else {
        if (y > 1) {
            return tk_fail(TK_ERR_INPUT, "yParity: must be 0 or 1");
        }
        if (tx->chain_id == 0) {
            return tk_fail(TK_ERR_RANGE, "chainId: must not be 0");
        }
        tx->y_parity = (unsigned)y;
    }
    if ((rc = get_sig_rs(&tx->r, &tx->s, &f[i], &f[i + 1], "signature")) != TK_OK) {
        return rc;
    }
    tx->has_sig = 1;
    return TK_OK;
}

int tk_evm_tx_decode(tk_evm_tx *tx, const unsigned char *raw, size_t raw_len)
{
    tk_rlp_item list;
    size_t off = 0;
    int rc;
    if (tx == NULL || (raw == NULL && raw_len != 0)) {
        return tk_fail(TK_ERR_ARG, "transaction decode: NULL argument");
    }
    memset(tx, 0, sizeof *tx);
    if (raw_len == 0) {
        return tk_fail(TK_ERR_INPUT, "transaction: empty input");
    }
    if (raw[0] >= 0xc0) {
        tx->type = TK_EVM_TX_LEGACY;
    } else if (raw[0] == 1 || raw[0] == 2 || raw[0] == 4) {
        tx->type = (tk_evm_tx_type)raw[0];
        off = 1;
    } else if (raw[0] == 3) {
        return tk_fail(TK_ERR_UNSUPPORTED, "transaction: type 0x3 (EIP-4844) not supported");
    } else {
        return tk_fail(TK_ERR_INPUT, "transaction: unknown type byte 0x%02x", raw[0]);
    }
    if ((rc = tk_rlp_decode(&list, raw + off, raw_len - off)) != TK_OK) {
        return tk_evm__refail(rc, "transaction");
    }
    return decode_body(tx, &list);
}

/* ---- JSON view ---- */

static int set(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v) == 0 ? TK_OK : TK_ERR_NOMEM;
}

int tk_evm_tx_to_jansson(json_t **out, const tk_evm_tx *tx, int with_signature)
{
    json_t *o, *al = NULL, *list;
    int rc = TK_OK;
    if (out == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction json: NULL argument");
    }
    *out = NULL;
    if (with_signature && !tx->has_sig) {
        return tk_fail(TK_ERR_ARG, "transaction json: not signed");
    }
    if ((o = json_object()) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "transaction json: out of memory");
    }
    rc |= set(o, "type", tk_evm__json_quantity_u64((uint64_t)tx->type));
    rc |= set(o, "chainId", tk_evm__json_quantity_u64(tx->chain_id));
    rc |= set(o, "nonce", tk_evm__json_quantity_u64(tx->nonce));
    rc |= set(o, "gas", tk_evm__json_quantity_u64(tx->gas));
    if (tx->type == TK_EVM_TX_LEGACY || tx->type == TK_EVM_TX_EIP2930) {
        rc |= set(o, "gasPrice", tk_evm__json_quantity(tx->gas_price.b, 32));
    } else {
        rc |= set(o, "maxFeePerGas", tk_evm__json_quantity(tx->max_fee_per_gas.b, 32));
        rc |= set(o, "maxPriorityFeePerGas",
                  tk_evm__json_quantity(tx->max_priority_fee_per_gas.b, 32));
    }
    rc |= set(o, "to", tx->has_to ? tk_evm__json_address(tx->to) : json_null());
    rc |= set(o, "value", tk_evm__json_quantity(tx->value.b, 32));
    rc |= set(o, "input", tk_evm__json_hex(tx->data, tx->data_len));
    if (tx->type != TK_EVM_TX_LEGACY) {
        rc |= set(o, "accessList", al = json_array());
        for (size_t i = 0; al != NULL && i < tx->n_access; i++) {
            json_t *keys = json_array();
            for (size_t j = 0; keys != NULL && j < tx->access_list[i].n_keys; j++) {
                rc |= json_array_append_new(keys,
                                            tk_evm__json_hex(tx->access_list[i].keys[j], 32)) == 0
                          ? TK_OK
                          : TK_ERR_NOMEM;
            }
            rc |= json_array_append_new(al,
                                        json_pack("{s:o*, s:o*}", "address",
                                                  tk_evm__json_address(tx->access_list[i].address),
                                                  "storageKeys", keys)) == 0
                      ? TK_OK
                      : TK_ERR_NOMEM;
        }
    }
    if (tx->type == TK_EVM_TX_EIP7702) {
        rc |= set(o, "authorizationList", list = json_array());
        for (size_t i = 0; list != NULL && i < tx->n_auths; i++) {
            const tk_evm_authorization *a = &tx->auths[i];
            rc |= json_array_append_new(list,
                                        json_pack("{s:o*, s:o*, s:o*, s:o*, s:o*, s:o*}", "chainId",
                                                  tk_evm__json_quantity_u64(a->chain_id), "address",
                                                  tk_evm__json_address(a->address), "nonce",
                                                  tk_evm__json_quantity_u64(a->nonce), "yParity",
                                                  tk_evm__json_quantity_u64(a->y_parity), "r",
                                                  tk_evm__json_quantity(a->r.b, 32), "s",
                                                  tk_evm__json_quantity(a->s.b, 32))) == 0
                      ? TK_OK
                      : TK_ERR_NOMEM;
        }
    }
    if (with_signature) {
        uint64_t v = tx->type != TK_EVM_TX_LEGACY ? tx->y_parity
                     : tx->eip155                 ? tx->chain_id * 2 + 35 + tx->y_parity
                                                  : 27 + (uint64_t)tx->y_parity;
        rc |= set(o, "v", tk_evm__json_quantity_u64(v));
        if (tx->type != TK_EVM_TX_LEGACY) {
            rc |= set(o, "yParity", tk_evm__json_quantity_u64(tx->y_parity));
        }
        rc |= set(o, "r", tk_evm__json_quantity(tx->r.b, 32));
        rc |= set(o, "s", tk_evm__json_quantity(tx->s.b, 32));
    }
    if (rc != TK_OK) {
        json_decref(o);
        return tk_fail(TK_ERR_NOMEM, "transaction json: out of memory");
    }
    *out = o;
    return TK_OK;
}
