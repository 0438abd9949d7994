/*
 * Ethereum JSON-RPC transaction objects and EIP-7702 authorization tuples → tk_evm_tx /
 * tk_evm_authorization. Strict: hex quantities without leading zeros, exact field sets per
 * transaction type, size limits, every error names its field. Never trusts array sizes
 * from the input beyond the limits in evm.h. Public data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void tk_evm_tx_free(tk_evm_tx *tx)
{
    if (tx == NULL) {
        return;
    }
    free(tx->data);
    if (tx->access_list != NULL) {
        for (size_t i = 0; i < tx->n_access; i++) {
            free(tx->access_list[i].keys);
        }
        free(tx->access_list);
    }
    free(tx->auths);
    memset(tx, 0, sizeof *tx);
}

static const char *const tx_fields[] = {"type",
                                        "chainId",
                                        "nonce",
                                        "to",
                                        "value",
                                        "gas",
                                        "gasPrice",
                                        "maxFeePerGas",
                                        "maxPriorityFeePerGas",
                                        "data",
                                        "input",
                                        "accessList",
                                        "authorizationList",
                                        "from",
                                        NULL};

static int check_fields(const json_t *obj, const char *const *allowed, const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i;
        (void)v;
        for (i = 0; allowed[i] != NULL; i++) {
            if (strcmp(key, allowed[i]) == 0) {
                break;
            }
        }
        if (allowed[i] != NULL) {
            continue;
        }
        if (strcmp(key, "maxFeePerBlobGas") == 0 || strcmp(key, "blobVersionedHashes") == 0 ||
            strcmp(key, "blobs") == 0 || strcmp(key, "sidecars") == 0) {
            return tk_fail(TK_ERR_UNSUPPORTED,
                           "%s: field \"%s\": blob transactions (EIP-4844) are not supported", what,
                           key);
        }
        if (strcmp(key, "gasLimit") == 0) {
            return tk_fail(TK_ERR_INPUT,
                           "%s: unknown field \"gasLimit\" (the JSON-RPC name is \"gas\")", what);
        }
        return tk_fail(TK_ERR_INPUT, "%s: unknown field \"%.64s\"", what, key);
    }
    return TK_OK;
}

/* A field that may be absent or JSON null. */
static const json_t *opt(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

int tk_evm_auth_from_jansson(tk_evm_authorization *auth, const json_t *obj)
{
    static const char *const fields[] = {"chainId", "address", "nonce", "yParity", "r", "s", NULL};
    const json_t *yp, *r, *s;
    uint64_t y;
    int rc;
    if (auth == NULL || obj == NULL) {
        return tk_fail(TK_ERR_ARG, "authorization: NULL argument");
    }
    memset(auth, 0, sizeof *auth);
    if (!json_is_object(obj)) {
        return tk_fail(TK_ERR_INPUT, "authorization: expected an object");
    }
    if ((rc = check_fields(obj, fields, "authorization")) != TK_OK) {
        return rc;
    }
    if ((rc = tk_evm__quantity_u64(&auth->chain_id, json_object_get(obj, "chainId"), "chainId")) !=
            TK_OK ||
        (rc = tk_evm__address(auth->address, json_object_get(obj, "address"), "address")) !=
            TK_OK ||
        (rc = tk_evm__quantity_u64(&auth->nonce, json_object_get(obj, "nonce"), "nonce")) !=
            TK_OK) {
        return rc;
    }
    if (auth->nonce == UINT64_MAX) {
        return tk_fail(TK_ERR_RANGE, "nonce: must be below 2^64-1 (EIP-2681)");
    }
    yp = opt(obj, "yParity");
    r = opt(obj, "r");
    s = opt(obj, "s");
    if (yp == NULL && r == NULL && s == NULL) {
        return TK_OK;
    }
    if (yp == NULL || r == NULL || s == NULL) {
        return tk_fail(TK_ERR_INPUT, "authorization: yParity, r and s must all be present");
    }
    if ((rc = tk_evm__quantity_u64(&y, yp, "yParity")) != TK_OK ||
        (rc = tk_evm__quantity(&auth->r, r, "r")) != TK_OK ||
        (rc = tk_evm__quantity(&auth->s, s, "s")) != TK_OK) {
        return rc;
    }
    if (y > 1) {
        return tk_fail(TK_ERR_RANGE, "yParity: must be 0x0 or 0x1");
    }
    if (!tk_evm__s_is_low(auth->s.b)) {
        return tk_fail(TK_ERR_RANGE, "s: zero or above n/2 (EIP-2 low-S)");
    }
    auth->y_parity = (unsigned)y;
    auth->has_sig = 1;
    return TK_OK;
}

static int parse_access_list(tk_evm_tx *tx, const json_t *list)
{
    static const char *const fields[] = {"address", "storageKeys", NULL};
    size_t i, j, total = 0;
    char what[64], field[128];
    int rc;
    if (!json_is_array(list)) {
        return tk_fail(TK_ERR_INPUT, "accessList: expected an array");
    }
    if (json_array_size(list) > TK_EVM_MAX_ACCESS_LIST) {
        return tk_fail(TK_ERR_RANGE, "accessList: more than %d entries", TK_EVM_MAX_ACCESS_LIST);
    }
    if (json_array_size(list) == 0) {
        return TK_OK;
    }
    tx->access_list = calloc(json_array_size(list), sizeof *tx->access_list);
    if (tx->access_list == NULL) {
        return tk_fail(TK_ERR_NOMEM, "accessList: out of memory");
    }
    for (i = 0; i < json_array_size(list); i++) {
        const json_t *e = json_array_get(list, i), *keys;
        tk_evm_access_entry *ae = &tx->access_list[i];
        tx->n_access = i + 1;
        snprintf(what, sizeof what, "accessList[%zu]", i);
        if (!json_is_object(e)) {
            return tk_fail(TK_ERR_INPUT, "%s: expected an object", what);
        }
        if ((rc = check_fields(e, fields, what)) != TK_OK) {
            return rc;
        }
        snprintf(field, sizeof field, "%s.address", what);
        if ((rc = tk_evm__address(ae->address, json_object_get(e, "address"), field)) != TK_OK) {
            return rc;
        }
        keys = json_object_get(e, "storageKeys");
        if (!json_is_array(keys)) {
            return tk_fail(TK_ERR_INPUT, "%s.storageKeys: expected an array", what);
        }
        total += json_array_size(keys);
        if (total > TK_EVM_MAX_STORAGE_KEYS) {
            return tk_fail(TK_ERR_RANGE, "accessList: more than %d storage keys in all",
                           TK_EVM_MAX_STORAGE_KEYS);
        }
        if (json_array_size(keys) == 0) {
            continue;
        }
        ae->keys = calloc(json_array_size(keys), 32);
        if (ae->keys == NULL) {
            return tk_fail(TK_ERR_NOMEM, "accessList: out of memory");
        }
        for (j = 0; j < json_array_size(keys); j++) {
            ae->n_keys = j + 1;
            snprintf(field, sizeof field, "%s.storageKeys[%zu]", what, j);
            if ((rc = tk_evm__hex_fixed(ae->keys[j], 32, json_array_get(keys, j), field)) !=
                TK_OK) {
                return rc;
            }
        }
    }
    return TK_OK;
}

static int parse_auth_list(tk_evm_tx *tx, const json_t *list)
{
    int rc;
    if (!json_is_array(list)) {
        return tk_fail(TK_ERR_INPUT, "authorizationList: expected an array");
    }
    if (json_array_size(list) > TK_EVM_MAX_AUTHORIZATIONS) {
        return tk_fail(TK_ERR_RANGE, "authorizationList: more than %d entries",
                       TK_EVM_MAX_AUTHORIZATIONS);
    }
    if (json_array_size(list) == 0) {
        return tk_fail(TK_ERR_INPUT, "authorizationList: must not be empty (EIP-7702)");
    }
    tx->auths = calloc(json_array_size(list), sizeof *tx->auths);
    if (tx->auths == NULL) {
        return tk_fail(TK_ERR_NOMEM, "authorizationList: out of memory");
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        tx->n_auths = i + 1;
        if ((rc = tk_evm_auth_from_jansson(&tx->auths[i], json_array_get(list, i))) != TK_OK) {
            return tk_evm__refail(rc, "authorizationList[%zu]", i);
        }
        if (!tx->auths[i].has_sig) {
            return tk_fail(TK_ERR_INPUT,
                           "authorizationList[%zu]: unsigned (yParity, r, s missing); sign it "
                           "first with eth_authorization",
                           i);
        }
    }
    return TK_OK;
}

/* Rejects a field that the transaction type does not have. */
static int forbid(const json_t *obj, const char *field, tk_evm_tx_type type)
{
    if (opt(obj, field) != NULL) {
        return tk_fail(TK_ERR_INPUT, "%s: not a field of a type 0x%x transaction", field,
                       (unsigned)type);
    }
    return TK_OK;
}

static int parse_tx(tk_evm_tx *tx, const json_t *obj)
{
    const json_t *v, *data, *input;
    uint64_t type;
    int rc;

    if (!json_is_object(obj)) {
        return tk_fail(TK_ERR_INPUT, "transaction: expected a JSON object");
    }
    if ((rc = check_fields(obj, tx_fields, "transaction")) != TK_OK) {
        return rc;
    }
    if ((v = opt(obj, "type")) != NULL) {
        if ((rc = tk_evm__quantity_u64(&type, v, "type")) != TK_OK) {
            return rc;
        }
        if (type == 3) {
            return tk_fail(TK_ERR_UNSUPPORTED,
                           "type: 0x3 (EIP-4844 blob transaction) is not supported");
        }
        if (type != 0 && type != 1 && type != 2 && type != 4) {
            return tk_fail(TK_ERR_UNSUPPORTED, "type: 0x%llx is not 0x0, 0x1, 0x2 or 0x4",
                           (unsigned long long)type);
        }
    } else if (opt(obj, "authorizationList") != NULL) {
        type = 4;
    } else if (opt(obj, "maxFeePerGas") != NULL || opt(obj, "maxPriorityFeePerGas") != NULL) {
        type = 2;
    } else if (opt(obj, "accessList") != NULL) {
        type = 1;
    } else {
        type = 0;
    }
    tx->type = (tk_evm_tx_type)type;

    if ((rc = tk_evm__quantity_u64(&tx->chain_id, json_object_get(obj, "chainId"), "chainId")) !=
        TK_OK) {
        return rc;
    }
    if (tx->chain_id == 0) {
        return tk_fail(TK_ERR_RANGE, "chainId: must not be 0");
    }
    if (tx->type == TK_EVM_TX_LEGACY && tx->chain_id > (UINT64_MAX - 36) / 2) {
        return tk_fail(TK_ERR_RANGE, "chainId: too large for an EIP-155 legacy v value");
    }
    tx->eip155 = 1;
    if ((rc = tk_evm__quantity_u64(&tx->nonce, json_object_get(obj, "nonce"), "nonce")) != TK_OK) {
        return rc;
    }
    if (tx->nonce == UINT64_MAX) {
        return tk_fail(TK_ERR_RANGE, "nonce: must be below 2^64-1 (EIP-2681)");
    }
    if ((rc = tk_evm__quantity_u64(&tx->gas, json_object_get(obj, "gas"), "gas")) != TK_OK) {
        return rc;
    }
    if ((v = opt(obj, "value")) != NULL &&
        (rc = tk_evm__quantity(&tx->value, v, "value")) != TK_OK) {
        return rc;
    }
    if ((v = opt(obj, "to")) != NULL) {
        if ((rc = tk_evm__address(tx->to, v, "to")) != TK_OK) {
            return rc;
        }
        tx->has_to = 1;
    }
    if ((v = opt(obj, "from")) != NULL) {
        if ((rc = tk_evm__address(tx->from, v, "from")) != TK_OK) {
            return rc;
        }
        tx->has_from = 1;
    }
    data = opt(obj, "data");
    input = opt(obj, "input");
    if (data != NULL && input != NULL && !json_equal((json_t *)data, (json_t *)input)) {
        return tk_fail(TK_ERR_INPUT, "data: \"data\" and \"input\" are both set and differ");
    }
    if ((v = data != NULL ? data : input) != NULL &&
        (rc = tk_evm__hex_bytes(&tx->data, &tx->data_len, v, TK_EVM_MAX_DATA,
                                data != NULL ? "data" : "input")) != TK_OK) {
        return rc;
    }

    if (tx->type == TK_EVM_TX_LEGACY || tx->type == TK_EVM_TX_EIP2930) {
        if ((rc = forbid(obj, "maxFeePerGas", tx->type)) != TK_OK ||
            (rc = forbid(obj, "maxPriorityFeePerGas", tx->type)) != TK_OK) {
            return rc;
        }
        if ((rc = tk_evm__quantity(&tx->gas_price, json_object_get(obj, "gasPrice"), "gasPrice")) !=
            TK_OK) {
            return rc;
        }
    } else {
        if ((rc = forbid(obj, "gasPrice", tx->type)) != TK_OK) {
            return rc;
        }
        if ((rc = tk_evm__quantity(&tx->max_fee_per_gas, json_object_get(obj, "maxFeePerGas"),
                                   "maxFeePerGas")) != TK_OK ||
            (rc = tk_evm__quantity(&tx->max_priority_fee_per_gas,
                                   json_object_get(obj, "maxPriorityFeePerGas"),
                                   "maxPriorityFeePerGas")) != TK_OK) {
            return rc;
        }
        if (memcmp(tx->max_priority_fee_per_gas.b, tx->max_fee_per_gas.b, 32) > 0) {
            return tk_fail(TK_ERR_RANGE, "maxPriorityFeePerGas: above maxFeePerGas");
        }
    }
    if (tx->type == TK_EVM_TX_LEGACY) {
        if ((rc = forbid(obj, "accessList", tx->type)) != TK_OK) {
            return rc;
        }
    } else if ((v = opt(obj, "accessList")) != NULL && (rc = parse_access_list(tx, v)) != TK_OK) {
        return rc;
    }
    if (tx->type == TK_EVM_TX_EIP7702) {
        if (!tx->has_to) {
            return tk_fail(TK_ERR_INPUT, "to: required for a type 0x4 transaction (EIP-7702)");
        }
        if ((rc = parse_auth_list(tx, json_object_get(obj, "authorizationList"))) != TK_OK) {
            return rc;
        }
    } else if ((rc = forbid(obj, "authorizationList", tx->type)) != TK_OK) {
        return rc;
    }
    return TK_OK;
}

int tk_evm_tx_from_jansson(tk_evm_tx *tx, const json_t *obj)
{
    if (tx == NULL || obj == NULL) {
        return tk_fail(TK_ERR_ARG, "transaction: NULL argument");
    }
    memset(tx, 0, sizeof *tx);
    return parse_tx(tx, obj);
}

int tk_evm_tx_from_json(tk_evm_tx *tx, const char *json, size_t json_len)
{
    json_error_t err;
    json_t *obj;
    int rc;
    if (tx == NULL || (json == NULL && json_len != 0)) {
        return tk_fail(TK_ERR_ARG, "transaction: NULL argument");
    }
    memset(tx, 0, sizeof *tx);
    if (json_len > TK_EVM_MAX_JSON) {
        return tk_fail(TK_ERR_RANGE, "transaction: JSON text above %u bytes", TK_EVM_MAX_JSON);
    }
    obj = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &err);
    if (obj == NULL) {
        return tk_fail(TK_ERR_INPUT, "transaction: invalid JSON at line %d column %d: %.120s",
                       err.line, err.column, err.text);
    }
    rc = parse_tx(tx, obj);
    json_decref(obj);
    return rc;
}
