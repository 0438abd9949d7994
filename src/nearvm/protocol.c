/*
 * nearvm line protocol (docs/nearvm.md "Driver protocol"): one JSON request object in, one JSON
 * reply out. Shared by tests/contracts/nearvm_driver and the tests; every malformed request gets
 * an {"error": {"code", "message"}} reply, never a crash or a partial change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "teekeys/encoding.h"

static json_t *err(const char *code, const char *message)
{
    return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
}

static const char *str_field(const json_t *req, const char *name)
{
    return json_string_value(json_object_get(req, name));
}

/* Optional decimal-string amount; returns 0 on a malformed value. */
static int amount_field(tk_nearvm_u128 *out, const json_t *req, const char *name)
{
    const json_t *v = json_object_get(req, name);
    *out = 0;
    if (v == NULL) {
        return 1;
    }
    return json_is_string(v) && nvm_u128_parse(out, json_string_value(v)) == TK_OK;
}

static int u64_field(uint64_t *out, const json_t *req, const char *name, uint64_t dflt)
{
    const json_t *v = json_object_get(req, name);
    tk_nearvm_u128 big;
    *out = dflt;
    if (v == NULL) {
        return 1;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 1;
    }
    if (json_is_string(v) && nvm_u128_parse(&big, json_string_value(v)) == TK_OK &&
        big <= UINT64_MAX) {
        *out = (uint64_t)big;
        return 1;
    }
    return 0;
}

/* Decodes the base64 `args` field (absent: empty). Out: malloc'd bytes. */
static int args_field(unsigned char **out, size_t *len, const json_t *req)
{
    const json_t *v = json_object_get(req, "args");
    const char *s;
    size_t n;
    *out = malloc(1);
    *len = 0;
    if (*out == NULL) {
        return 0;
    }
    if (v == NULL) {
        return 1;
    }
    if (!json_is_string(v)) {
        return 0;
    }
    s = json_string_value(v);
    n = json_string_length(v);
    if (n / 4 * 3 > TK_NEARVM_MAX_ARGS + 3) {
        return 0;
    }
    free(*out);
    *out = malloc(n / 4 * 3 + 1);
    return *out != NULL && tk_base64_decode(*out, n / 4 * 3 + 1, len, s, n) == TK_OK;
}

static json_t *op_config(tk_nearvm *vm, const json_t *req)
{
    tk_nearvm_config c;
    memset(&c, 0, sizeof c);
    const json_t *dir = json_object_get(req, "contractsDir");
    if (!u64_field(&c.yield_timeout, req, "yieldTimeout", 0) ||
        !u64_field(&c.genesis_timestamp_ns, req, "genesisTime", 0) ||
        !u64_field(&c.block_step_ns, req, "blockTime", 0) ||
        (dir != NULL && !json_is_string(dir))) {
        return err("BadRequest", "yieldTimeout, genesisTime and blockTime are integers, "
                                 "contractsDir a string");
    }
    if (tk_nearvm_reset(vm, &c) != TK_OK) {
        return err("BadRequest", tk_errmsg());
    }
    for (size_t i = 0; dir != NULL && i < vm->n_contracts; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.wasm", json_string_value(dir), vm->contracts[i].name);
        vm->contracts[i].code_len = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
    }
    return json_pack("{s:I}", "height", (json_int_t)vm->height);
}

static json_t *op_create_account(tk_nearvm *vm, const json_t *req)
{
    const char *id = str_field(req, "account");
    const json_t *contract = json_object_get(req, "contract"), *keys = json_object_get(req, "keys"),
                 *k;
    tk_nearvm_u128 amount;
    size_t i;
    int rc;
    if (id == NULL || !amount_field(&amount, req, "amount") ||
        (contract != NULL && !json_is_null(contract) && !json_is_string(contract)) ||
        (keys != NULL && !json_is_array(keys))) {
        return err("BadRequest", "create_account needs account, amount (decimal string), "
                                 "contract (name or null) and keys (array)");
    }
    json_array_foreach(keys, i, k)
    {
        unsigned char pk[NVM_PK_MAX];
        size_t pk_len;
        const char *s = json_is_string(k) ? json_string_value(k) : str_field(k, "public_key");
        nvm_access_key ak;
        memset(&ak, 0, sizeof ak);
        if (s == NULL || nvm_pk_parse(pk, &pk_len, s) != TK_OK ||
            (!json_is_string(k) &&
             nvm_access_key_from_json(&ak, json_object_get(k, "access_key")) != TK_OK)) {
            nvm_access_key_clear(&ak);
            return err("BadRequest", "a key is \"ed25519:…\" or {public_key, access_key}");
        }
        nvm_access_key_clear(&ak);
    }
    rc = tk_nearvm_create_account(vm, id, amount,
                                  json_is_string(contract) ? json_string_value(contract) : NULL);
    if (rc != TK_OK) {
        return err(rc == TK_ERR_RANGE       ? "AccountExists"
                   : rc == TK_ERR_NOT_FOUND ? "UnknownContract"
                                            : "BadRequest",
                   tk_errmsg());
    }
    json_array_foreach(keys, i, k)
    {
        const char *s = json_is_string(k) ? json_string_value(k) : str_field(k, "public_key");
        rc = tk_nearvm_add_key(vm, id, s,
                               json_is_string(k) ? NULL : json_object_get(k, "access_key"));
        if (rc != TK_OK) {
            return err("BadRequest", tk_errmsg());
        }
    }
    return json_pack("{s:b}", "ok", 1);
}

static json_t *op_deploy(tk_nearvm *vm, const json_t *req)
{
    const char *id = str_field(req, "account"), *contract = str_field(req, "contract");
    int rc;
    if (id == NULL || contract == NULL) {
        return err("BadRequest", "deploy needs account and contract");
    }
    rc = tk_nearvm_deploy(vm, id, contract);
    if (rc != TK_OK) {
        return err(nvm_contract_find(vm, contract, strlen(contract)) ? "UnknownAccount"
                                                                     : "UnknownContract",
                   tk_errmsg());
    }
    return json_pack("{s:b}", "ok", 1);
}

static json_t *op_call(tk_nearvm *vm, const json_t *req)
{
    tk_nearvm_tx tx;
    unsigned char *args = NULL;
    json_t *out = NULL;
    const json_t *pk = json_object_get(req, "signerPk");
    memset(&tx, 0, sizeof tx);
    tx.signer = str_field(req, "signer");
    tx.receiver = str_field(req, "receiver");
    tx.method = str_field(req, "method");
    tx.signer_pk = json_string_value(pk);
    if (tx.signer == NULL || tx.receiver == NULL || tx.method == NULL ||
        (pk != NULL && !json_is_null(pk) && tx.signer_pk == NULL) ||
        !amount_field(&tx.deposit, req, "deposit") ||
        !u64_field(&tx.gas, req, "gas", TK_NEARVM_DEFAULT_GAS) ||
        !args_field(&args, &tx.args_len, req)) {
        free(args);
        return err("BadRequest", "call needs signer, receiver, method, args (base64), and "
                                 "optional signerPk, deposit and gas (decimal strings)");
    }
    tx.args = args;
    if (tk_nearvm_call(vm, &out, &tx) != TK_OK) {
        out = err("BadRequest", tk_errmsg());
    }
    free(args);
    return out;
}

static json_t *op_view(tk_nearvm *vm, const json_t *req)
{
    const char *id = str_field(req, "account"), *method = str_field(req, "method");
    unsigned char *args = NULL;
    size_t len = 0;
    json_t *out = NULL;
    int rc;
    if (id == NULL || method == NULL || !args_field(&args, &len, req)) {
        free(args);
        return err("BadRequest", "view needs account, method and args (base64)");
    }
    rc = tk_nearvm_view(vm, &out, id, method, args, len);
    free(args);
    if (rc == TK_ERR_RANGE) {
        json_t *e = err("ViewError", json_string_value(json_object_get(out, "error")));
        json_object_set(json_object_get(e, "error"), "logs", json_object_get(out, "logs"));
        json_decref(out);
        return e;
    }
    return rc == TK_OK ? out : err("BadRequest", tk_errmsg());
}

static json_t *handle(tk_nearvm *vm, const json_t *req)
{
    const char *op = str_field(req, "op");
    json_t *out = NULL;
    uint64_t n;
    if (!json_is_object(req) || op == NULL) {
        return err("BadRequest", "a request is a JSON object with a string \"op\"");
    }
    if (strcmp(op, "config") == 0) {
        return op_config(vm, req);
    }
    if (strcmp(op, "create_account") == 0) {
        return op_create_account(vm, req);
    }
    if (strcmp(op, "deploy") == 0) {
        return op_deploy(vm, req);
    }
    if (strcmp(op, "call") == 0) {
        return op_call(vm, req);
    }
    if (strcmp(op, "view") == 0) {
        return op_view(vm, req);
    }
    if (strcmp(op, "advance") == 0) {
        if (!u64_field(&n, req, "blocks", 1) || n > 1000000) {
            return err("BadRequest", "advance needs blocks (0..1000000)");
        }
        if (tk_nearvm_advance(vm, n) != TK_OK) {
            return err("BadRequest", tk_errmsg());
        }
        return json_pack("{s:I}", "height", (json_int_t)vm->height);
    }
    if (strcmp(op, "outcome") == 0) {
        if (!u64_field(&n, req, "id", 0) || json_object_get(req, "id") == NULL) {
            return err("BadRequest", "outcome needs an integer id");
        }
        return tk_nearvm_outcome(vm, &out, n) == TK_OK ? out : err("UnknownOutcome", tk_errmsg());
    }
    if (strcmp(op, "account") == 0) {
        const char *id = str_field(req, "account");
        if (id == NULL) {
            return err("BadRequest", "account needs account");
        }
        return tk_nearvm_account(vm, &out, id) == TK_OK ? out : err("UnknownAccount", tk_errmsg());
    }
    if (strcmp(op, "height") == 0) {
        return json_pack("{s:I}", "height", (json_int_t)vm->height);
    }
    return err("UnknownOp", op);
}

int tk_nearvm_request(tk_nearvm *vm, json_t **reply, const char *line, size_t len)
{
    json_error_t e;
    json_t *req;
    if (vm == NULL || reply == NULL || (line == NULL && len)) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    req = json_loadb(line ? line : "", len, JSON_REJECT_DUPLICATES, &e);
    *reply = req ? handle(vm, req) : err("BadRequest", e.text);
    json_decref(req);
    return *reply ? TK_OK : tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
}
