/*
 * nearvm runtime: the chain (contracts, accounts, height), transactions turned into receipts,
 * blocks that run due receipts in id order and fire yield timeouts, the actions of a receipt
 * with rollback on any failure, deposits and refunds, the storage-staking check, outcomes and
 * views, exactly as docs/nearvm.md describes. It never lets a contract failure escape a receipt:
 * every failure becomes that receipt's Failure status.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

#define SYSTEM "system"

/* ---- small helpers ---- */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fprintf(stderr, "nearvm: out of memory\n");
        abort();
    }
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (d == NULL) {
        fprintf(stderr, "nearvm: out of memory\n");
        abort();
    }
    return d;
}

static unsigned char *xdup(const unsigned char *p, size_t n)
{
    unsigned char *d = xrealloc(NULL, n + 1);
    if (n) {
        memcpy(d, p, n);
    }
    d[n] = 0;
    return d;
}

/* A JSON string of valid UTF-8 bytes, else null. */
static json_t *json_bytes_str(const unsigned char *p, size_t n)
{
    json_t *s = json_stringn((const char *)p, n);
    return s ? s : json_null();
}

static json_t *b64_json(const unsigned char *p, size_t n)
{
    size_t cap = tk_base64_encoded_len(n) + 1, len = 0;
    char *b = xrealloc(NULL, cap);
    json_t *j;
    if (tk_base64_encode(b, cap, &len, p, n) != TK_OK) {
        len = 0;
    }
    j = json_stringn(b, len);
    free(b);
    return j;
}

static json_t *u128_json(tk_nearvm_u128 v)
{
    char buf[40];
    return json_string(nvm_u128_str(buf, v));
}

void nvm_action_clear(nvm_action *a)
{
    free(a->method);
    free(a->data);
    free(a->beneficiary);
    nvm_access_key_clear(&a->ak);
    memset(a, 0, sizeof *a);
}

void nvm_receipt_free(nvm_receipt *r)
{
    size_t i;
    if (r == NULL) {
        return;
    }
    free(r->predecessor);
    free(r->receiver);
    free(r->signer);
    for (i = 0; i < r->n_actions; i++) {
        nvm_action_clear(&r->actions[i]);
    }
    free(r->actions);
    for (i = 0; i < r->n_deps; i++) {
        free(r->results[i].data);
    }
    free(r->results);
    free(r->receivers);
    json_decref(r->status);
    json_decref(r->logs);
    free(r);
}

const nvm_contract *nvm_contract_find(const tk_nearvm *vm, const char *name, size_t len)
{
    for (size_t i = 0; i < vm->n_contracts; i++) {
        if (strlen(vm->contracts[i].name) == len && memcmp(vm->contracts[i].name, name, len) == 0) {
            return &vm->contracts[i];
        }
    }
    return NULL;
}

nvm_receipt *nvm_receipt_get(tk_nearvm *vm, uint64_t id)
{
    return id >= 1 && id <= vm->n_receipts ? vm->receipts[id - 1] : NULL;
}

nvm_yield *nvm_yield_find(tk_nearvm *vm, const unsigned char data_id[32])
{
    for (size_t i = 0; i < vm->n_yields; i++) {
        if (memcmp(vm->yields[i].data_id, data_id, 32) == 0) {
            return &vm->yields[i];
        }
    }
    return NULL;
}

static uint64_t timestamp_at(const tk_nearvm *vm, uint64_t h)
{
    return vm->genesis_ns + (h - 1) * vm->step_ns;
}

uint64_t tk_nearvm_height(const tk_nearvm *vm)
{
    return vm ? vm->height : 0;
}

/* ---- lifecycle ---- */

void nvm_clear_dynamic(tk_nearvm *vm)
{
    size_t i;
    for (i = 0; i < vm->n_receipts; i++) {
        nvm_receipt_free(vm->receipts[i]);
    }
    free(vm->receipts);
    vm->receipts = NULL;
    vm->n_receipts = vm->cap_receipts = 0;
    for (i = 0; i < vm->n_txs; i++) {
        free(vm->txs[i]->executed);
        json_decref(vm->txs[i]->invalid);
        free(vm->txs[i]);
    }
    free(vm->txs);
    vm->txs = NULL;
    vm->n_txs = vm->cap_txs = 0;
    for (i = 0; i < vm->n_yields; i++) {
        free(vm->yields[i].account);
    }
    free(vm->yields);
    vm->yields = NULL;
    vm->n_yields = vm->cap_yields = 0;
    free(vm->due);
    vm->due = NULL;
    vm->n_due = vm->cap_due = 0;
    vm->now_ns = 0;
}

static void clear_chain(tk_nearvm *vm)
{
    nvm_clear_dynamic(vm);
    if (vm->store.ops != NULL) {
        vm->store.ops->free(vm->store.ctx);
        vm->store.ops = NULL;
    }
}

static int configure(tk_nearvm *vm, const tk_nearvm_config *c)
{
    vm->genesis_ns =
        c && c->genesis_timestamp_ns ? c->genesis_timestamp_ns : TK_NEARVM_DEFAULT_GENESIS_NS;
    vm->step_ns = c && c->block_step_ns ? c->block_step_ns : TK_NEARVM_DEFAULT_BLOCK_NS;
    vm->yield_timeout = c && c->yield_timeout ? c->yield_timeout : TK_NEARVM_DEFAULT_YIELD;
    vm->height = 1;
    if (c && c->store.ops != NULL) {
        vm->store = c->store;
        return TK_OK;
    }
    return tk_nearvm_store_memory(&vm->store);
}

int tk_nearvm_new(tk_nearvm **out, const tk_nearvm_config *config)
{
    tk_nearvm *vm;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL output");
    }
    *out = NULL;
    if (sodium_init() < 0) {
        return tk_fail(TK_ERR_INTERNAL, "nearvm: libsodium init failed");
    }
    vm = calloc(1, sizeof *vm);
    if (vm == NULL) {
        return tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
    }
    rc = configure(vm, config);
    if (rc != TK_OK) {
        free(vm);
        return rc;
    }
    *out = vm;
    return TK_OK;
}

int tk_nearvm_reset(tk_nearvm *vm, const tk_nearvm_config *config)
{
    if (vm == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    clear_chain(vm);
    return configure(vm, config);
}

void tk_nearvm_free(tk_nearvm *vm)
{
    if (vm == NULL) {
        return;
    }
    clear_chain(vm);
    for (size_t i = 0; i < vm->n_contracts; i++) {
        free(vm->contracts[i].name);
    }
    free(vm->contracts);
    free(vm);
}

int tk_nearvm_register_contract(tk_nearvm *vm, const char *name, const near_method *methods,
                                uint64_t code_len)
{
    if (vm == NULL || name == NULL || methods == NULL || name[0] == 0 || strlen(name) > 64) {
        return tk_fail(TK_ERR_ARG, "nearvm: bad contract registration");
    }
    if (nvm_contract_find(vm, name, strlen(name)) != NULL) {
        return tk_fail(TK_ERR_RANGE, "nearvm: contract %s already registered", name);
    }
    vm->contracts = xrealloc(vm->contracts, (vm->n_contracts + 1) * sizeof *vm->contracts);
    vm->contracts[vm->n_contracts].name = xstrdup(name);
    vm->contracts[vm->n_contracts].methods = methods;
    vm->contracts[vm->n_contracts].code_len = code_len;
    vm->n_contracts++;
    return TK_OK;
}

/* ---- immediate (genesis-style) changes, each in its own store transaction ---- */

static int finish_tx(tk_nearvm *vm, int rc)
{
    int rc2 =
        rc == TK_OK ? vm->store.ops->commit(vm->store.ctx) : vm->store.ops->rollback(vm->store.ctx);
    return rc != TK_OK ? rc : rc2;
}

static void set_contract(nvm_account *acc, const nvm_contract *c)
{
    acc->storage_usage -= acc->code_len;
    acc->code_len = c ? c->code_len : 0;
    acc->storage_usage += acc->code_len;
    snprintf(acc->contract, sizeof acc->contract, "%s", c ? c->name : "");
}

int tk_nearvm_create_account(tk_nearvm *vm, const char *id, tk_nearvm_u128 amount,
                             const char *contract)
{
    nvm_account acc;
    const nvm_contract *c = NULL;
    int rc;
    if (vm == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    if (!nvm_id_ok(id)) {
        return tk_fail(TK_ERR_INPUT, "invalid account id");
    }
    if (contract != NULL && (c = nvm_contract_find(vm, contract, strlen(contract))) == NULL) {
        return tk_fail(TK_ERR_NOT_FOUND, "unknown contract %s", contract);
    }
    if (nvm_account_exists(vm, id)) {
        return tk_fail(TK_ERR_RANGE, "account %s already exists", id);
    }
    memset(&acc, 0, sizeof acc);
    acc.amount = amount;
    acc.storage_usage = NVM_ACCOUNT_BYTES;
    set_contract(&acc, c);
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc != TK_OK) {
        return rc;
    }
    return finish_tx(vm, nvm_account_put(vm, id, &acc));
}

int tk_nearvm_deploy(tk_nearvm *vm, const char *id, const char *contract)
{
    nvm_account acc;
    const nvm_contract *c;
    int rc;
    if (vm == NULL || id == NULL || contract == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    if ((c = nvm_contract_find(vm, contract, strlen(contract))) == NULL) {
        return tk_fail(TK_ERR_NOT_FOUND, "unknown contract %s", contract);
    }
    if (nvm_account_get(vm, &acc, id) != TK_OK) {
        return tk_fail(TK_ERR_NOT_FOUND, "account %s does not exist", id);
    }
    set_contract(&acc, c);
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc != TK_OK) {
        return rc;
    }
    return finish_tx(vm, nvm_account_put(vm, id, &acc));
}

int tk_nearvm_add_key(tk_nearvm *vm, const char *id, const char *public_key,
                      const json_t *access_key)
{
    nvm_account acc;
    nvm_access_key ak, old;
    unsigned char pk[NVM_PK_MAX];
    size_t pk_len;
    int rc;
    if (vm == NULL || id == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    if (nvm_pk_parse(pk, &pk_len, public_key) != TK_OK) {
        return TK_ERR_INPUT;
    }
    memset(&ak, 0, sizeof ak);
    ak.full = 1;
    if (access_key != NULL && (rc = nvm_access_key_from_json(&ak, access_key)) != TK_OK) {
        nvm_access_key_clear(&ak);
        return rc;
    }
    if (nvm_account_get(vm, &acc, id) != TK_OK) {
        nvm_access_key_clear(&ak);
        return tk_fail(TK_ERR_NOT_FOUND, "account %s does not exist", id);
    }
    if (nvm_key_get(vm, &old, id, pk, pk_len) == TK_OK) {
        nvm_access_key_clear(&old);
        nvm_access_key_clear(&ak);
        return tk_fail(TK_ERR_RANGE, "key %s already exists on %s", public_key, id);
    }
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc == TK_OK) {
        rc = nvm_key_put(vm, &acc, id, pk, pk_len, &ak);
        if (rc == TK_OK) {
            rc = nvm_account_put(vm, id, &acc);
        }
        rc = finish_tx(vm, rc);
    }
    nvm_access_key_clear(&ak);
    return rc;
}

int tk_nearvm_account(tk_nearvm *vm, json_t **out, const char *id)
{
    nvm_account acc;
    if (vm == NULL || out == NULL || id == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *out = NULL;
    if (nvm_account_get(vm, &acc, id) != TK_OK) {
        return tk_fail(TK_ERR_NOT_FOUND, "account %s does not exist", id);
    }
    *out = nvm_account_json(vm, id, &acc);
    return *out ? TK_OK : tk_fail(TK_ERR_INTERNAL, "nearvm: cannot list keys of %s", id);
}

/* ---- receipts and scheduling ---- */

static void schedule(tk_nearvm *vm, nvm_receipt *r)
{
    r->state = NVM_R_DUE;
    r->due = vm->height + 1;
    vm->txs[r->tx]->due++;
    if (vm->n_due == vm->cap_due) {
        vm->cap_due = vm->cap_due ? 2 * vm->cap_due : 64;
        vm->due = xrealloc(vm->due, vm->cap_due * sizeof *vm->due);
    }
    vm->due[vm->n_due++] = r->id;
}

/* Creates a receipt (taking ownership of actions) with n_deps unfilled results. */
static nvm_receipt *receipt_new(tk_nearvm *vm, size_t tx, const char *predecessor,
                                const char *receiver, const char *signer,
                                const unsigned char *signer_pk, size_t signer_pk_len,
                                nvm_action *actions, size_t n_actions, size_t n_deps)
{
    nvm_receipt *r = xrealloc(NULL, sizeof *r);
    memset(r, 0, sizeof *r);
    if (vm->n_receipts == vm->cap_receipts) {
        vm->cap_receipts = vm->cap_receipts ? 2 * vm->cap_receipts : 64;
        vm->receipts = xrealloc(vm->receipts, vm->cap_receipts * sizeof *vm->receipts);
    }
    vm->receipts[vm->n_receipts++] = r;
    r->id = vm->n_receipts;
    r->tx = tx;
    r->predecessor = xstrdup(predecessor);
    r->receiver = xstrdup(receiver);
    r->signer = xstrdup(signer);
    memcpy(r->signer_pk, signer_pk, signer_pk_len);
    r->signer_pk_len = signer_pk_len;
    r->actions = actions;
    r->n_actions = n_actions;
    r->n_deps = n_deps;
    r->results = xrealloc(NULL, (n_deps ? n_deps : 1) * sizeof *r->results);
    memset(r->results, 0, (n_deps ? n_deps : 1) * sizeof *r->results);
    r->state = NVM_R_WAITING;
    vm->txs[tx]->unfinished++;
    if (n_deps == 0) {
        schedule(vm, r);
    }
    return r;
}

static void add_receiver(nvm_receipt *r, uint64_t receipt, size_t slot)
{
    r->receivers = xrealloc(r->receivers, (r->n_receivers + 1) * sizeof *r->receivers);
    r->receivers[r->n_receivers].receipt = receipt;
    r->receivers[r->n_receivers].slot = slot;
    r->n_receivers++;
}

/* Fills one dependency slot of receipt `id`; schedules it when it has every result. */
static void deliver(tk_nearvm *vm, uint64_t id, size_t slot, int status, const unsigned char *data,
                    size_t len)
{
    nvm_receipt *r = nvm_receipt_get(vm, id);
    if (r == NULL || slot >= r->n_deps || r->results[slot].status != 0) {
        return;
    }
    r->results[slot].status = status;
    r->results[slot].data = status == 1 ? xdup(data, len) : NULL;
    r->results[slot].len = status == 1 ? len : 0;
    if (++r->n_ready == r->n_deps && r->state == NVM_R_WAITING) {
        schedule(vm, r);
    }
}

static nvm_action transfer_action(tk_nearvm_u128 amount)
{
    nvm_action a;
    memset(&a, 0, sizeof a);
    a.kind = NVM_ACT_TRANSFER;
    a.amount = amount;
    return a;
}

static void system_transfer(tk_nearvm *vm, const nvm_receipt *r, const char *to,
                            tk_nearvm_u128 amount)
{
    nvm_action *a = xrealloc(NULL, sizeof *a);
    static const unsigned char zero_pk[33];
    *a = transfer_action(amount);
    receipt_new(vm, r->tx, SYSTEM, to, SYSTEM, zero_pk, sizeof zero_pk, a, 1, 0);
}

/* ---- failures ---- */

static json_t *action_error(long index, json_t *kind)
{
    return json_pack("{s:{s:{s:o,s:o}}}", "Failure", "ActionError", "index",
                     index < 0 ? json_null() : json_integer(index), "kind", kind);
}

static json_t *fc_error(json_t *inner)
{
    return json_pack("{s:o}", "FunctionCallError", inner);
}

static json_t *account_kind(const char *kind, const char *id)
{
    return json_pack("{s:{s:s}}", kind, "account_id", id);
}

/* ---- executing one receipt ---- */

typedef struct {
    nvm_exec *execs; /* successful function calls, committed with the receipt */
    size_t n_execs;
    json_t *failure;
    tk_nearvm_u128 refund;
    int have_value;
    nvm_ret_kind ret;
    unsigned char *value;
    size_t value_len;
    size_t ret_exec, ret_promise;
    char *beneficiary;
    tk_nearvm_u128 beneficiary_amount;
} run_state;

static const near_method *method_find(const nvm_contract *c, const char *name, size_t len)
{
    for (const near_method *m = c->methods; m->name != NULL; m++) {
        if (strlen(m->name) == len && memcmp(m->name, name, len) == 0) {
            return m;
        }
    }
    return NULL;
}

/* Shares the unused gas of x among its weighted function calls (nearcore's gas weights). */
static void distribute_gas(nvm_exec *x)
{
    uint64_t used = nvm_used_gas(x), unused, total = 0, given = 0;
    nvm_action *last = NULL;
    size_t i, j;
    if (x->prepaid <= used + x->promise_gas) {
        return;
    }
    unused = x->prepaid - used - x->promise_gas;
    for (i = 0; i < x->n_news; i++) {
        for (j = 0; j < x->news[i].n_actions; j++) {
            if (x->news[i].actions[j].kind == NVM_ACT_FUNCTION_CALL) {
                total += x->news[i].actions[j].weight;
            }
        }
    }
    if (total == 0) {
        return;
    }
    for (i = 0; i < x->n_news; i++) {
        for (j = 0; j < x->news[i].n_actions; j++) {
            nvm_action *a = &x->news[i].actions[j];
            if (a->kind == NVM_ACT_FUNCTION_CALL && a->weight > 0) {
                uint64_t share = (uint64_t)((unsigned __int128)unused * a->weight / total);
                a->gas += share;
                given += share;
                last = a;
            }
        }
    }
    if (last != NULL) {
        last->gas += unused - given;
    }
}

static void run_function_call(tk_nearvm *vm, nvm_receipt *r, size_t index, nvm_account *acc,
                              run_state *st)
{
    nvm_action *a = &r->actions[index];
    const nvm_contract *c;
    const near_method *m;
    nvm_exec *x;
    if (acc->amount + a->amount < acc->amount) {
        st->failure = action_error(
            (long)index, fc_error(json_pack("{s:s}", "ExecutionError", "Integer overflow.")));
        return;
    }
    acc->amount += a->amount;
    c = acc->contract[0] ? nvm_contract_find(vm, acc->contract, strlen(acc->contract)) : NULL;
    if (c == NULL) {
        st->failure = action_error(
            (long)index, fc_error(json_pack("{s:o}", "CompilationError",
                                            account_kind("CodeDoesNotExist", r->receiver))));
        return;
    }
    if (a->method_len == 0) {
        st->failure = action_error(
            (long)index, fc_error(json_pack("{s:s}", "MethodResolveError", "MethodEmptyName")));
        return;
    }
    if (NVM_TGAS > a->gas) {
        st->failure = action_error((long)index, fc_error(json_pack("{s:s}", "ExecutionError",
                                                                   "Exceeded the prepaid gas.")));
        return;
    }
    if ((m = method_find(c, a->method, a->method_len)) == NULL) {
        st->failure = action_error(
            (long)index, fc_error(json_pack("{s:s}", "MethodResolveError", "MethodNotFound")));
        return;
    }
    st->execs = xrealloc(st->execs, (st->n_execs + 1) * sizeof *st->execs);
    x = &st->execs[st->n_execs];
    memset(x, 0, sizeof *x);
    x->vm = vm;
    x->receipt = r;
    x->action_index = index;
    x->current = r->receiver;
    x->account = acc;
    x->input = a->data;
    x->input_len = a->data_len;
    x->deposit = a->amount;
    x->prepaid = a->gas;
    x->logs = json_array();
    if (nvm_exec_run(x, m->fn) != 0) {
        json_array_extend(r->logs, x->logs);
        r->gas_burnt += x->host_calls * NVM_HOST_CALL_GAS;
        st->failure =
            action_error((long)index, fc_error(json_pack("{s:s}", "ExecutionError", x->error)));
        nvm_exec_clear(x);
        return;
    }
    json_array_extend(r->logs, x->logs);
    r->gas_burnt += x->host_calls * NVM_HOST_CALL_GAS;
    distribute_gas(x);
    st->ret = x->ret;
    st->ret_exec = st->n_execs;
    st->ret_promise = x->ret_promise;
    st->n_execs++;
}

static int actor_ok(const nvm_receipt *r, int created_here)
{
    return created_here || strcmp(r->predecessor, r->receiver) == 0;
}

static json_t *key_kind(const char *kind, const char *account, const unsigned char *pk,
                        size_t pk_len)
{
    char s[TK_NEARKEY_MAX_LEN];
    if (nvm_pk_format(s, sizeof s, pk, pk_len) != TK_OK) {
        s[0] = 0;
    }
    return json_pack("{s:{s:s,s:s}}", kind, "account_id", account, "public_key", s);
}

/* A 64-hex receiver (an ed25519 implicit account) that a transfer creates. */
static int implicit_id(const char *id)
{
    size_t i;
    for (i = 0; id[i]; i++) {
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'))) {
            return 0;
        }
    }
    return i == 64;
}

/* Runs the actions; on return st->failure is NULL when every action succeeded. */
static void run_actions(tk_nearvm *vm, nvm_receipt *r, nvm_account *acc, int *exists, run_state *st)
{
    int created_here = 0;
    for (size_t i = 0; i < r->n_actions; i++) {
        if (r->actions[i].kind == NVM_ACT_FUNCTION_CALL || r->actions[i].kind == NVM_ACT_TRANSFER) {
            st->refund += r->actions[i].amount; /* all of it comes back if the receipt fails */
        }
    }
    for (size_t i = 0; i < r->n_actions && st->failure == NULL; i++) {
        nvm_action *a = &r->actions[i];
        nvm_access_key old;
        st->ret = NVM_RET_NONE; /* a receipt's value is its last action's */
        if (!*exists && i == 0 && a->kind == NVM_ACT_TRANSFER && implicit_id(r->receiver)) {
            /* nearcore: a transfer creates an ed25519 implicit account with its full-access key */
            nvm_access_key ik;
            unsigned char pk[33];
            size_t n = 0;
            memset(&ik, 0, sizeof ik);
            ik.full = 1;
            ik.nonce = (vm->height - 1) * 1000000ull;
            pk[0] = 0;
            memset(acc, 0, sizeof *acc);
            acc->storage_usage = NVM_ACCOUNT_BYTES;
            if (tk_hex_decode(pk + 1, 32, &n, r->receiver, 64) != TK_OK || n != 32 ||
                nvm_key_put(vm, acc, r->receiver, pk, sizeof pk, &ik) != TK_OK) {
                st->failure = action_error((long)i, json_string("StorageError"));
                break;
            }
            *exists = 1;
        }
        if (!*exists && a->kind != NVM_ACT_CREATE_ACCOUNT) {
            st->failure = action_error((long)i, account_kind("AccountDoesNotExist", r->receiver));
            break;
        }
        switch (a->kind) {
        case NVM_ACT_CREATE_ACCOUNT: {
            size_t rl = strlen(r->receiver), pl = strlen(r->predecessor);
            if (*exists) {
                st->failure =
                    action_error((long)i, account_kind("AccountAlreadyExists", r->receiver));
            } else if (!(rl > pl + 1 && r->receiver[rl - pl - 1] == '.' &&
                         strcmp(r->receiver + rl - pl, r->predecessor) == 0 &&
                         memchr(r->receiver, '.', rl - pl - 1) == NULL)) {
                st->failure = action_error(
                    (long)i, json_pack("{s:{s:s,s:s}}", "CreateAccountNotAllowed", "account_id",
                                       r->receiver, "predecessor_id", r->predecessor));
            } else {
                memset(acc, 0, sizeof *acc);
                acc->storage_usage = NVM_ACCOUNT_BYTES;
                *exists = created_here = 1;
            }
            break;
        }
        case NVM_ACT_DEPLOY: {
            const nvm_contract *c = nvm_contract_find(vm, (const char *)a->data, a->data_len);
            if (!actor_ok(r, created_here)) {
                st->failure = action_error((long)i, json_pack("{s:{s:s,s:s}}", "ActorNoPermission",
                                                              "account_id", r->receiver, "actor_id",
                                                              r->predecessor));
            } else if (c == NULL) {
                st->failure = action_error((long)i, json_pack("{s:{s:I}}", "UnknownContractCode",
                                                              "code_len", (json_int_t)a->data_len));
            } else {
                set_contract(acc, c);
            }
            break;
        }
        case NVM_ACT_FUNCTION_CALL:
            run_function_call(vm, r, i, acc, st);
            break;
        case NVM_ACT_TRANSFER:
            if (acc->amount + a->amount < acc->amount) {
                st->failure = action_error(
                    (long)i, fc_error(json_pack("{s:s}", "ExecutionError", "Integer overflow.")));
            } else {
                acc->amount += a->amount;
            }
            break;
        case NVM_ACT_ADD_KEY:
        case NVM_ACT_DELETE_KEY:
            if (!actor_ok(r, created_here)) {
                st->failure = action_error((long)i, json_pack("{s:{s:s,s:s}}", "ActorNoPermission",
                                                              "account_id", r->receiver, "actor_id",
                                                              r->predecessor));
            } else if (a->kind == NVM_ACT_ADD_KEY) {
                if (nvm_key_get(vm, &old, r->receiver, a->pk, a->pk_len) == TK_OK) {
                    nvm_access_key_clear(&old);
                    st->failure = action_error(
                        (long)i, key_kind("AddKeyAlreadyExists", r->receiver, a->pk, a->pk_len));
                } else if ((a->ak.nonce = (vm->height - 1) * 1000000ull,
                            nvm_key_put(vm, acc, r->receiver, a->pk, a->pk_len, &a->ak)) != TK_OK) {
                    st->failure = action_error((long)i, json_string("StorageError"));
                }
            } else if (nvm_key_del(vm, acc, r->receiver, a->pk, a->pk_len) != TK_OK) {
                st->failure = action_error(
                    (long)i, key_kind("DeleteKeyDoesNotExist", r->receiver, a->pk, a->pk_len));
            }
            break;
        case NVM_ACT_DELETE_ACCOUNT:
            if (!actor_ok(r, created_here)) {
                st->failure = action_error((long)i, json_pack("{s:{s:s,s:s}}", "ActorNoPermission",
                                                              "account_id", r->receiver, "actor_id",
                                                              r->predecessor));
            } else if (nvm_account_delete(vm, r->receiver) != TK_OK) {
                st->failure = action_error((long)i, json_string("StorageError"));
            } else {
                free(st->beneficiary);
                st->beneficiary = xstrdup(a->beneficiary);
                st->beneficiary_amount = acc->amount;
                *exists = 0;
            }
            break;
        }
    }
}

/* Creates the receipts of one successful function call; returns the new ids (malloc). */
static uint64_t *commit_exec(tk_nearvm *vm, nvm_receipt *r, nvm_exec *x)
{
    uint64_t *ids = xrealloc(NULL, (x->n_news ? x->n_news : 1) * sizeof *ids);
    size_t i, j;
    for (i = 0; i < x->n_news; i++) {
        nvm_new_receipt *n = &x->news[i];
        nvm_receipt *nr;
        size_t n_deps = n->yield ? 1 : n->n_deps;
        nr = receipt_new(vm, r->tx, r->receiver, n->receiver, r->signer, r->signer_pk,
                         r->signer_pk_len, n->actions, n->n_actions, n_deps);
        n->actions = NULL;
        n->n_actions = 0;
        ids[i] = nr->id;
        for (j = 0; j < n->n_deps; j++) {
            add_receiver(nvm_receipt_get(vm, ids[n->deps[j]]), nr->id, j);
        }
        if (n->yield) {
            nvm_yield *y;
            if (vm->n_yields == vm->cap_yields) {
                vm->cap_yields = vm->cap_yields ? 2 * vm->cap_yields : 16;
                vm->yields = xrealloc(vm->yields, vm->cap_yields * sizeof *vm->yields);
            }
            y = &vm->yields[vm->n_yields++];
            memcpy(y->data_id, n->data_id, 32);
            y->account = xstrdup(r->receiver);
            y->receipt = nr->id;
            y->created = vm->height;
            y->pending = 1;
        }
    }
    for (i = 0; i < x->n_resumes; i++) {
        nvm_yield *y = nvm_yield_find(vm, x->resumes[i].data_id);
        if (y != NULL && y->pending && strcmp(y->account, r->receiver) == 0) {
            y->pending = 0;
            deliver(vm, y->receipt, 0, 1, x->resumes[i].payload, x->resumes[i].len);
        }
    }
    return ids;
}

static void finish(tk_nearvm *vm, nvm_receipt *r)
{
    nvm_tx *tx = vm->txs[r->tx];
    r->state = NVM_R_DONE;
    tx->unfinished--;
    tx->due--;
    tx->executed = xrealloc(tx->executed, (tx->n_executed + 1) * sizeof *tx->executed);
    tx->executed[tx->n_executed++] = r->id;
}

/* Hands the receipt's record to the hook; `created` = the first id this receipt could create. */
static void report_receipt(tk_nearvm *vm, const nvm_receipt *r, uint64_t created)
{
    json_t *rec, *actions = json_array(), *children = json_array();
    size_t i;
    for (i = 0; i < r->n_actions; i++) {
        json_array_append_new(actions, nvm_action_view(&r->actions[i]));
    }
    for (uint64_t id = created; id <= vm->n_receipts; id++) {
        json_array_append_new(children, json_integer((json_int_t)id));
    }
    rec = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:O,s:O,s:I,s:I,s:o,s:b}", "id", (json_int_t)r->id,
                    "tx", (json_int_t)vm->txs[r->tx]->id, "predecessor", r->predecessor, "receiver",
                    r->receiver, "signer", r->signer, "actions", actions, "status", r->status,
                    "logs", r->logs, "gas_burnt", (json_int_t)r->gas_burnt, "block_height",
                    (json_int_t)r->height, "receipts", children, "tx_done",
                    vm->txs[r->tx]->unfinished == 0);
    if (rec == NULL) {
        fprintf(stderr, "nearvm: out of memory\n");
        abort();
    }
    vm->hook(vm->hook_arg, rec);
    json_decref(rec);
}

void tk_nearvm_set_receipt_hook(tk_nearvm *vm, tk_nearvm_receipt_fn fn, void *arg)
{
    if (vm != NULL) {
        vm->hook = fn;
        vm->hook_arg = arg;
    }
}

static void execute_receipt(tk_nearvm *vm, nvm_receipt *r)
{
    nvm_account acc;
    int exists, rc;
    run_state st;
    tk_nearvm_u128 missing;
    size_t i;
    uint64_t created = vm->n_receipts + 1;
    memset(&st, 0, sizeof st);
    r->height = vm->height;
    r->logs = json_array();
    r->gas_burnt = NVM_TGAS;
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc != TK_OK) {
        st.failure = action_error(0, json_string("StorageError"));
    } else {
        memset(&acc, 0, sizeof acc);
        exists = nvm_account_get(vm, &acc, r->receiver) == TK_OK;
        run_actions(vm, r, &acc, &exists, &st);
        if (st.failure == NULL && exists && !nvm_stake_ok(&acc, &missing)) {
            char buf[40];
            st.failure =
                action_error(-1, json_pack("{s:{s:s,s:s}}", "LackBalanceForState", "account_id",
                                           r->receiver, "amount", nvm_u128_str(buf, missing)));
        }
        if (st.failure == NULL && exists && nvm_account_put(vm, r->receiver, &acc) != TK_OK) {
            st.failure = action_error(-1, json_string("StorageError"));
        }
        if (st.failure == NULL) {
            if (vm->store.ops->commit(vm->store.ctx) != TK_OK) {
                st.failure = action_error(-1, json_string("StorageError"));
            }
        } else if (vm->store.ops->rollback(vm->store.ctx) != TK_OK) {
            fprintf(stderr, "nearvm: store rollback failed\n");
            abort();
        }
    }
    finish(vm, r);
    if (st.failure != NULL) {
        r->status = st.failure;
        for (i = 0; i < r->n_receivers; i++) {
            deliver(vm, r->receivers[i].receipt, r->receivers[i].slot, 2, NULL, 0);
        }
        if (st.refund > 0 && strcmp(r->predecessor, SYSTEM) != 0) {
            system_transfer(vm, r, r->predecessor, st.refund);
        }
    } else {
        uint64_t ret_id = 0;
        for (i = 0; i < st.n_execs; i++) {
            uint64_t *ids = commit_exec(vm, r, &st.execs[i]);
            if (i == st.ret_exec && st.ret == NVM_RET_PROMISE) {
                ret_id = ids[st.execs[i].promises[st.ret_promise].receipt];
            }
            free(ids);
        }
        if (ret_id != 0) {
            nvm_receipt *t = nvm_receipt_get(vm, ret_id);
            for (i = 0; i < r->n_receivers; i++) {
                add_receiver(t, r->receivers[i].receipt, r->receivers[i].slot);
            }
            r->status = json_pack("{s:I}", "SuccessReceiptId", (json_int_t)ret_id);
        } else {
            const nvm_exec *x =
                st.n_execs && st.ret == NVM_RET_VALUE ? &st.execs[st.ret_exec] : NULL;
            const unsigned char *v = x ? x->ret_data : (const unsigned char *)"";
            size_t vl = x ? x->ret_len : 0;
            r->status = json_pack("{s:o}", "SuccessValue", b64_json(v, vl));
            for (i = 0; i < r->n_receivers; i++) {
                deliver(vm, r->receivers[i].receipt, r->receivers[i].slot, 1, v, vl);
            }
        }
        if (st.beneficiary != NULL && st.beneficiary_amount > 0) {
            system_transfer(vm, r, st.beneficiary, st.beneficiary_amount);
        }
    }
    for (i = 0; i < st.n_execs; i++) {
        nvm_exec_clear(&st.execs[i]);
    }
    free(st.execs);
    free(st.beneficiary);
    if (vm->hook != NULL) {
        report_receipt(vm, r, created);
    }
}

static int cmp_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void run_block(tk_nearvm *vm)
{
    uint64_t *due = vm->due;
    size_t n = vm->n_due, i;
    vm->due = NULL;
    vm->n_due = vm->cap_due = 0;
    vm->height++;
    if (n > 1) {
        qsort(due, n, sizeof *due, cmp_id);
    }
    for (i = 0; i < n; i++) {
        execute_receipt(vm, nvm_receipt_get(vm, due[i]));
    }
    free(due);
    for (i = 0; i < vm->n_yields; i++) {
        nvm_yield *y = &vm->yields[i];
        if (y->pending && y->created + vm->yield_timeout <= vm->height) {
            y->pending = 0;
            deliver(vm, y->receipt, 0, 2, NULL, 0);
        }
    }
}

int tk_nearvm_advance(tk_nearvm *vm, uint64_t blocks)
{
    if (vm == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    while (blocks-- > 0) {
        vm->now_ns = 0;
        run_block(vm);
    }
    return TK_OK;
}

int tk_nearvm_advance_at(tk_nearvm *vm, uint64_t timestamp_ns)
{
    if (vm == NULL || timestamp_ns == 0) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL or zero timestamp");
    }
    vm->now_ns = timestamp_ns;
    run_block(vm);
    return TK_OK;
}

/* ---- outcomes ---- */

static json_t *result_json(const unsigned char *v, size_t n)
{
    json_t *j;
    if (n == 0) {
        return json_null();
    }
    j = json_loadb((const char *)v, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    return j ? j : json_bytes_str(v, n);
}

/* The value of a SuccessValue status (malloc'd bytes), or NULL. */
static unsigned char *status_value(const json_t *status, size_t *len)
{
    const char *b = json_string_value(json_object_get(status, "SuccessValue"));
    size_t n = b ? strlen(b) : 0;
    unsigned char *out;
    if (b == NULL) {
        return NULL;
    }
    out = xrealloc(NULL, n + 1);
    if (tk_base64_decode(out, n + 1, len, b, n) != TK_OK) {
        *len = 0;
    }
    return out;
}

static json_t *tx_outcome(tk_nearvm *vm, const nvm_tx *tx)
{
    json_t *logs = json_array(), *receipts = json_array(), *status = NULL, *result = json_null();
    const nvm_receipt *r;
    size_t i, hops;
    if (tx->invalid != NULL) {
        json_decref(logs);
        json_decref(receipts);
        return json_pack("{s:n,s:O,s:n,s:[],s:[]}", "id", "status", tx->invalid, "result", "logs",
                         "receipts");
    }
    for (i = 0; i < tx->n_executed; i++) {
        const nvm_action *a0;
        const char *method = NULL;
        size_t j;
        r = nvm_receipt_get(vm, tx->executed[i]);
        for (j = 0; j < r->n_actions && method == NULL; j++) {
            a0 = &r->actions[j];
            if (a0->kind == NVM_ACT_FUNCTION_CALL) {
                method = a0->method;
            }
        }
        json_array_extend(logs, r->logs);
        json_array_append_new(
            receipts,
            json_pack("{s:I,s:s,s:s,s:o,s:O,s:O,s:I,s:I}", "id", (json_int_t)r->id, "receiver",
                      r->receiver, "predecessor", r->predecessor, "method",
                      method ? json_bytes_str((const unsigned char *)method, strlen(method))
                             : json_null(),
                      "status", r->status, "logs", r->logs, "gas_burnt", (json_int_t)r->gas_burnt,
                      "block_height", (json_int_t)r->height));
    }
    r = nvm_receipt_get(vm, tx->first);
    for (hops = 0; r != NULL && hops <= vm->n_receipts; hops++) {
        json_t *next;
        if (r->state != NVM_R_DONE) {
            r = NULL;
            break;
        }
        next = json_object_get(r->status, "SuccessReceiptId");
        if (next == NULL) {
            break;
        }
        r = nvm_receipt_get(vm, (uint64_t)json_integer_value(next));
    }
    if (r == NULL) {
        status = json_string("Pending");
    } else {
        size_t len = 0;
        unsigned char *v = status_value(r->status, &len);
        status = json_incref(r->status);
        if (v != NULL) {
            json_decref(result);
            result = result_json(v, len);
            free(v);
        }
    }
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)tx->id, "status", status, "result",
                     result, "logs", logs, "receipts", receipts);
}

int tk_nearvm_outcome(tk_nearvm *vm, json_t **out, uint64_t id)
{
    size_t lo = 0, hi;
    if (vm == NULL || out == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *out = NULL;
    hi = vm->n_txs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vm->txs[mid]->id == id && vm->txs[mid]->invalid == NULL) {
            *out = tx_outcome(vm, vm->txs[mid]);
            return *out ? TK_OK : tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
        }
        if (vm->txs[mid]->id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return tk_fail(TK_ERR_NOT_FOUND, "no transaction %llu", (unsigned long long)id);
}

/* ---- transactions ---- */

static json_t *invalid_tx(json_t *kind)
{
    return json_pack("{s:{s:o}}", "Failure", "InvalidTxError", kind);
}

/* Checks the signer's key; returns an InvalidTxError kind or NULL (nonce incremented). */
static json_t *check_key(tk_nearvm *vm, const tk_nearvm_tx *tx, nvm_account *signer,
                         const unsigned char *pk, size_t pk_len)
{
    nvm_access_key ak;
    json_t *err = NULL;
    if (nvm_key_get(vm, &ak, tx->signer, pk, pk_len) != TK_OK) {
        return json_pack("{s:{s:{s:s,s:s}}}", "InvalidAccessKeyError", "AccessKeyNotFound",
                         "account_id", tx->signer, "public_key", tx->signer_pk);
    }
    if (!ak.full) {
        size_t ml = strlen(tx->method);
        const char *p = ak.method_names;
        int listed = p == NULL;
        while (p != NULL && *p && !listed) {
            const char *c = strchr(p, ',');
            size_t l = c ? (size_t)(c - p) : strlen(p);
            listed = l == ml && memcmp(p, tx->method, l) == 0;
            p = c ? c + 1 : p + l;
        }
        if (tx->deposit != 0) {
            err = json_pack("{s:s}", "InvalidAccessKeyError", "DepositWithFunctionCall");
        } else if (strcmp(ak.receiver, tx->receiver) != 0) {
            err = json_pack("{s:{s:{s:s,s:s}}}", "InvalidAccessKeyError", "ReceiverMismatch",
                            "tx_receiver", tx->receiver, "ak_receiver", ak.receiver);
        } else if (!listed) {
            err = json_pack("{s:{s:{s:s}}}", "InvalidAccessKeyError", "MethodNameMismatch",
                            "method_name", tx->method);
        }
    }
    if (err == NULL) {
        ak.nonce++;
        if (nvm_key_put(vm, signer, tx->signer, pk, pk_len, &ak) != TK_OK) {
            err = json_string("StorageError");
        }
    }
    nvm_access_key_clear(&ak);
    return err;
}

static nvm_tx *tx_new(tk_nearvm *vm, uint64_t id)
{
    nvm_tx *t = xrealloc(NULL, sizeof *t);
    memset(t, 0, sizeof *t);
    t->id = id;
    t->first = id;
    if (vm->n_txs == vm->cap_txs) {
        vm->cap_txs = vm->cap_txs ? 2 * vm->cap_txs : 16;
        vm->txs = xrealloc(vm->txs, vm->cap_txs * sizeof *vm->txs);
    }
    vm->txs[vm->n_txs++] = t;
    return t;
}

int tk_nearvm_call(tk_nearvm *vm, json_t **out, const tk_nearvm_tx *tx)
{
    nvm_account signer;
    unsigned char pk[NVM_PK_MAX] = {0};
    size_t pk_len = 33;
    json_t *invalid = NULL;
    nvm_action *a;
    nvm_tx *t;
    int rc;
    if (vm == NULL || out == NULL || tx == NULL || tx->method == NULL ||
        (tx->args == NULL && tx->args_len)) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *out = NULL;
    if (!nvm_id_ok(tx->signer) || !nvm_id_ok(tx->receiver)) {
        return tk_fail(TK_ERR_INPUT, "invalid signer or receiver account id");
    }
    if (tx->args_len > TK_NEARVM_MAX_ARGS || strlen(tx->method) > 256) {
        return tk_fail(TK_ERR_INPUT, "method name or arguments too long");
    }
    if (tx->signer_pk != NULL && nvm_pk_parse(pk, &pk_len, tx->signer_pk) != TK_OK) {
        return TK_ERR_INPUT;
    }
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc != TK_OK) {
        return rc;
    }
    if (nvm_account_get(vm, &signer, tx->signer) != TK_OK) {
        invalid = json_pack("{s:{s:s}}", "SignerDoesNotExist", "signer_id", tx->signer);
    } else if (tx->signer_pk != NULL &&
               (invalid = check_key(vm, tx, &signer, pk, pk_len)) != NULL) {
    } else if (signer.amount < tx->deposit) {
        invalid = json_pack("{s:{s:s,s:o,s:o}}", "NotEnoughBalance", "signer_id", tx->signer,
                            "balance", u128_json(signer.amount), "cost", u128_json(tx->deposit));
    } else {
        tk_nearvm_u128 missing;
        signer.amount -= tx->deposit;
        if (!nvm_stake_ok(&signer, &missing)) {
            invalid = json_pack("{s:{s:s,s:o}}", "LackBalanceForState", "signer_id", tx->signer,
                                "amount", u128_json(missing));
        } else if (nvm_account_put(vm, tx->signer, &signer) != TK_OK) {
            invalid = json_string("StorageError");
        }
    }
    if (invalid != NULL) {
        vm->store.ops->rollback(vm->store.ctx);
        *out = json_pack("{s:n,s:o,s:n,s:[],s:[]}", "id", "status", invalid_tx(invalid), "result",
                         "logs", "receipts");
        return *out ? TK_OK : tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
    }
    rc = vm->store.ops->commit(vm->store.ctx);
    if (rc != TK_OK) {
        return rc;
    }
    t = tx_new(vm, vm->n_receipts + 1);
    a = xrealloc(NULL, sizeof *a);
    memset(a, 0, sizeof *a);
    a->kind = NVM_ACT_FUNCTION_CALL;
    a->method = xstrdup(tx->method);
    a->method_len = strlen(tx->method);
    a->data = xdup(tx->args ? tx->args : (const unsigned char *)"", tx->args_len);
    a->data_len = tx->args_len;
    a->amount = tx->deposit;
    a->gas = tx->gas ? tx->gas : TK_NEARVM_DEFAULT_GAS;
    receipt_new(vm, vm->n_txs - 1, tx->signer, tx->receiver, tx->signer, pk, pk_len, a, 1, 0);
    while (t->unfinished > 0 && t->due > 0) {
        run_block(vm);
    }
    *out = tx_outcome(vm, t);
    return *out ? TK_OK : tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
}

/* ---- views ---- */

static void view_error(json_t **out, json_t *logs, const char *msg)
{
    *out = json_pack("{s:s,s:o}", "error", msg, "logs", logs ? logs : json_array());
    tk_fail(TK_ERR_RANGE, "%s", msg);
}

/* Runs a view; on failure *msg (malloc) is the ViewError message. */
static int view_run(tk_nearvm *vm, unsigned char **res, size_t *res_len, json_t **logs, char **msg,
                    const char *id, const char *method, const unsigned char *args, size_t args_len)
{
    nvm_account acc;
    const nvm_contract *c;
    const near_method *m;
    nvm_exec x;
    char buf[160];
    *res = NULL;
    *res_len = 0;
    *logs = NULL;
    *msg = NULL;
    if (nvm_account_get(vm, &acc, id) != TK_OK) {
        snprintf(buf, sizeof buf, "account %s does not exist while viewing", id);
        *msg = xstrdup(buf);
        return TK_ERR_RANGE;
    }
    c = acc.contract[0] ? nvm_contract_find(vm, acc.contract, strlen(acc.contract)) : NULL;
    if (c == NULL) {
        snprintf(buf, sizeof buf, "cannot find contract code for account %s", id);
        *msg = xstrdup(buf);
        return TK_ERR_RANGE;
    }
    if ((m = method_find(c, method, strlen(method))) == NULL || method[0] == 0) {
        *msg = xstrdup(method[0] ? "MethodNotFound" : "MethodEmptyName");
        return TK_ERR_RANGE;
    }
    memset(&x, 0, sizeof x);
    x.vm = vm;
    x.view = 1;
    x.current = id;
    x.account = &acc;
    x.input = args ? args : (const unsigned char *)"";
    x.input_len = args_len;
    x.prepaid = NVM_VIEW_GAS_LIMIT;
    x.logs = json_array();
    if (nvm_exec_run(&x, m->fn) != 0) {
        *logs = json_incref(x.logs);
        *msg = xstrdup(x.error ? x.error : "view failed");
        nvm_exec_clear(&x);
        return TK_ERR_RANGE;
    }
    *logs = json_incref(x.logs);
    if (x.ret == NVM_RET_VALUE) {
        *res = xdup(x.ret_data, x.ret_len);
        *res_len = x.ret_len;
    }
    nvm_exec_clear(&x);
    return TK_OK;
}

int tk_nearvm_view_raw(tk_nearvm *vm, unsigned char **result, size_t *result_len, json_t **logs,
                       const char *id, const char *method, const unsigned char *args,
                       size_t args_len)
{
    char *msg = NULL;
    int rc;
    if (vm == NULL || result == NULL || result_len == NULL || logs == NULL || id == NULL ||
        method == NULL || (args == NULL && args_len)) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    rc = view_run(vm, result, result_len, logs, &msg, id, method, args, args_len);
    if (*logs == NULL) {
        *logs = json_array();
    }
    if (rc != TK_OK) {
        tk_fail(TK_ERR_RANGE, "%s", msg);
        free(msg);
    }
    return rc;
}

int tk_nearvm_view(tk_nearvm *vm, json_t **out, const char *id, const char *method,
                   const unsigned char *args, size_t args_len)
{
    unsigned char *res = NULL;
    size_t res_len = 0;
    json_t *logs = NULL;
    char *msg = NULL;
    if (vm == NULL || out == NULL || id == NULL || method == NULL || (args == NULL && args_len)) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *out = NULL;
    if (view_run(vm, &res, &res_len, &logs, &msg, id, method, args, args_len) != TK_OK) {
        view_error(out, logs, msg);
        free(msg);
        return TK_ERR_RANGE;
    }
    *out = json_pack("{s:o,s:o}", "result", result_json(res, res_len), "logs", logs);
    free(res);
    return *out ? TK_OK : tk_fail(TK_ERR_NOMEM, "nearvm: out of memory");
}

/* Used by host.c for block_timestamp. */
uint64_t nvm_block_timestamp(const tk_nearvm *vm);
uint64_t nvm_block_timestamp(const tk_nearvm *vm)
{
    return vm->now_ns ? vm->now_ns : timestamp_at(vm, vm->height);
}

uint64_t tk_nearvm_timestamp(const tk_nearvm *vm)
{
    return vm ? nvm_block_timestamp(vm) : 0;
}

/* ---- nearcore action views ---- */

json_t *nvm_action_view(const nvm_action *a)
{
    char pk[TK_NEARKEY_MAX_LEN];
    if ((a->kind == NVM_ACT_ADD_KEY || a->kind == NVM_ACT_DELETE_KEY) &&
        nvm_pk_format(pk, sizeof pk, a->pk, a->pk_len) != TK_OK) {
        pk[0] = 0;
    }
    switch (a->kind) {
    case NVM_ACT_CREATE_ACCOUNT:
        return json_string("CreateAccount");
    case NVM_ACT_DEPLOY: { /* nearcore's view shows the code's hash */
        unsigned char h[TK_SHA256_LEN];
        tk_sha256(h, a->data, a->data_len);
        return json_pack("{s:{s:o}}", "DeployContract", "code", b64_json(h, sizeof h));
    }
    case NVM_ACT_FUNCTION_CALL:
        return json_pack("{s:{s:o,s:o,s:I,s:o}}", "FunctionCall", "method_name",
                         json_bytes_str((const unsigned char *)a->method, a->method_len), "args",
                         b64_json(a->data, a->data_len), "gas", (json_int_t)a->gas, "deposit",
                         u128_json(a->amount));
    case NVM_ACT_TRANSFER:
        return json_pack("{s:{s:o}}", "Transfer", "deposit", u128_json(a->amount));
    case NVM_ACT_ADD_KEY:
        return json_pack("{s:{s:s,s:o}}", "AddKey", "public_key", pk, "access_key",
                         nvm_access_key_json(&a->ak));
    case NVM_ACT_DELETE_KEY:
        return json_pack("{s:{s:s}}", "DeleteKey", "public_key", pk);
    case NVM_ACT_DELETE_ACCOUNT:
        return json_pack("{s:{s:s}}", "DeleteAccount", "beneficiary_id",
                         a->beneficiary ? a->beneficiary : "");
    }
    return json_null();
}

/* ---- signed transactions (tk_nearvm_submit) ---- */

static int method_listed(const char *names, const char *method)
{
    size_t ml = strlen(method);
    const char *p = names;
    if (p == NULL || *p == 0) {
        return 1;
    }
    while (*p) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == ml && memcmp(p, method, l) == 0) {
            return 1;
        }
        p = c ? c + 1 : p + l;
    }
    return 0;
}

/* Converts one public action into a receipt action. Returns TK_OK or TK_ERR_INPUT. */
static int action_from(nvm_action *a, const tk_nearvm_action *in)
{
    memset(a, 0, sizeof *a);
    switch (in->kind) {
    case TK_NEARVM_ACT_CREATE_ACCOUNT:
        a->kind = NVM_ACT_CREATE_ACCOUNT;
        return TK_OK;
    case TK_NEARVM_ACT_DEPLOY:
        if (in->data == NULL && in->data_len) {
            return tk_fail(TK_ERR_INPUT, "DeployContract without code");
        }
        a->kind = NVM_ACT_DEPLOY;
        a->data = xdup(in->data ? in->data : (const unsigned char *)"", in->data_len);
        a->data_len = in->data_len;
        return TK_OK;
    case TK_NEARVM_ACT_FUNCTION_CALL:
        if (in->method == NULL || strlen(in->method) > 256 || in->data_len > TK_NEARVM_MAX_ARGS ||
            (in->data == NULL && in->data_len)) {
            return tk_fail(TK_ERR_INPUT, "FunctionCall method name or arguments malformed");
        }
        a->kind = NVM_ACT_FUNCTION_CALL;
        a->method = xstrdup(in->method);
        a->method_len = strlen(in->method);
        a->data = xdup(in->data ? in->data : (const unsigned char *)"", in->data_len);
        a->data_len = in->data_len;
        a->amount = in->deposit;
        a->gas = in->gas;
        return TK_OK;
    case TK_NEARVM_ACT_TRANSFER:
        a->kind = NVM_ACT_TRANSFER;
        a->amount = in->deposit;
        return TK_OK;
    case TK_NEARVM_ACT_ADD_KEY:
    case TK_NEARVM_ACT_DELETE_KEY:
        a->kind = in->kind == TK_NEARVM_ACT_ADD_KEY ? NVM_ACT_ADD_KEY : NVM_ACT_DELETE_KEY;
        if (in->public_key == NULL || nvm_pk_parse(a->pk, &a->pk_len, in->public_key) != TK_OK) {
            return tk_fail(TK_ERR_INPUT, "AddKey/DeleteKey public key malformed");
        }
        if (a->kind == NVM_ACT_ADD_KEY) {
            a->ak.full = 1;
            if (in->access_key != NULL &&
                nvm_access_key_from_json(&a->ak, in->access_key) != TK_OK) {
                return TK_ERR_INPUT;
            }
        }
        return TK_OK;
    case TK_NEARVM_ACT_DELETE_ACCOUNT:
        if (in->beneficiary == NULL || !nvm_id_ok(in->beneficiary)) {
            return tk_fail(TK_ERR_INPUT, "DeleteAccount beneficiary is not an account id");
        }
        a->kind = NVM_ACT_DELETE_ACCOUNT;
        a->beneficiary = xstrdup(in->beneficiary);
        return TK_OK;
    }
    return tk_fail(TK_ERR_INPUT, "unsupported action kind %d", (int)in->kind);
}

/* nearcore's access-key checks for a signed transaction: returns an InvalidTxError kind or NULL;
 * on NULL the key (new nonce, allowance) has been written and *signer updated. */
static json_t *check_signed(tk_nearvm *vm, const tk_nearvm_signed_tx *tx, nvm_account *signer,
                            const unsigned char *pk, size_t pk_len, tk_nearvm_u128 deposits,
                            uint64_t prepaid)
{
    nvm_access_key ak;
    json_t *err = NULL;
    uint64_t upper = (vm->height + 1) * 1000000ull;
    char b1[40], b2[40];
    if (nvm_key_get(vm, &ak, tx->signer, pk, pk_len) != TK_OK) {
        return json_pack("{s:{s:{s:s,s:s}}}", "InvalidAccessKeyError", "AccessKeyNotFound",
                         "account_id", tx->signer, "public_key", tx->public_key);
    }
    if (tx->nonce <= ak.nonce) {
        err = json_pack("{s:{s:I,s:I}}", "InvalidNonce", "tx_nonce", (json_int_t)tx->nonce,
                        "ak_nonce", (json_int_t)ak.nonce);
    } else if (tx->nonce >= upper) {
        err = json_pack("{s:{s:I,s:I}}", "NonceTooLarge", "tx_nonce", (json_int_t)tx->nonce,
                        "upper_bound", (json_int_t)upper);
    } else if (signer->amount < deposits) {
        err = json_pack("{s:{s:s,s:s,s:s}}", "NotEnoughBalance", "signer_id", tx->signer, "balance",
                        nvm_u128_str(b1, signer->amount), "cost", nvm_u128_str(b2, deposits));
    } else if (!ak.full) {
        const tk_nearvm_action *a = &tx->actions[0];
        tk_nearvm_u128 cost = (tk_nearvm_u128)prepaid * tx->gas_price + deposits;
        if (ak.has_allowance && ak.allowance < cost) {
            err = json_pack("{s:{s:{s:s,s:s,s:s,s:s}}}", "InvalidAccessKeyError",
                            "NotEnoughAllowance", "account_id", tx->signer, "public_key",
                            tx->public_key, "allowance", nvm_u128_str(b1, ak.allowance), "cost",
                            nvm_u128_str(b2, cost));
        } else if (tx->n_actions != 1 || a->kind != TK_NEARVM_ACT_FUNCTION_CALL) {
            err = json_pack("{s:s}", "InvalidAccessKeyError", "RequiresFullAccess");
        } else if (a->deposit != 0) {
            err = json_pack("{s:s}", "InvalidAccessKeyError", "DepositWithFunctionCall");
        } else if (strcmp(ak.receiver, tx->receiver) != 0) {
            err = json_pack("{s:{s:{s:s,s:s}}}", "InvalidAccessKeyError", "ReceiverMismatch",
                            "tx_receiver", tx->receiver, "ak_receiver", ak.receiver);
        } else if (!method_listed(ak.method_names, a->method)) {
            err = json_pack("{s:{s:{s:s}}}", "InvalidAccessKeyError", "MethodNameMismatch",
                            "method_name", a->method);
        } else if (ak.has_allowance) {
            ak.allowance -= cost;
        }
    }
    if (err == NULL) {
        tk_nearvm_u128 missing;
        signer->amount -= deposits;
        ak.nonce = tx->nonce;
        if (nvm_key_put(vm, signer, tx->signer, pk, pk_len, &ak) != TK_OK) {
            err = json_pack("{s:s}", "StorageError", "StorageInternalError");
        } else if (!nvm_stake_ok(signer, &missing)) {
            err = json_pack("{s:{s:s,s:s}}", "LackBalanceForState", "signer_id", tx->signer,
                            "amount", nvm_u128_str(b1, missing));
        }
    }
    nvm_access_key_clear(&ak);
    return err;
}

int tk_nearvm_submit(tk_nearvm *vm, uint64_t *id, json_t **invalid, const tk_nearvm_signed_tx *tx)
{
    nvm_account signer;
    unsigned char pk[NVM_PK_MAX];
    size_t pk_len = 0, i;
    tk_nearvm_u128 deposits = 0;
    uint64_t prepaid = 0;
    nvm_action *acts;
    json_t *err = NULL;
    int rc;
    if (vm == NULL || id == NULL || invalid == NULL || tx == NULL || tx->signer == NULL ||
        tx->receiver == NULL || tx->public_key == NULL || tx->actions == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *id = 0;
    *invalid = NULL;
    if (!nvm_id_ok(tx->signer) || !nvm_id_ok(tx->receiver)) {
        return tk_fail(TK_ERR_INPUT, "invalid signer or receiver account id");
    }
    if (tx->n_actions == 0 || tx->n_actions > 100) {
        return tk_fail(TK_ERR_INPUT, "a transaction has 1..100 actions");
    }
    if (nvm_pk_parse(pk, &pk_len, tx->public_key) != TK_OK) {
        return TK_ERR_INPUT;
    }
    acts = xrealloc(NULL, tx->n_actions * sizeof *acts);
    for (i = 0; i < tx->n_actions; i++) {
        const tk_nearvm_action *a = &tx->actions[i];
        if ((rc = action_from(&acts[i], a)) != TK_OK) {
            for (size_t j = 0; j <= i; j++) {
                nvm_action_clear(&acts[j]);
            }
            free(acts);
            json_decref(err);
            return rc;
        }
        if (a->kind == TK_NEARVM_ACT_FUNCTION_CALL || a->kind == TK_NEARVM_ACT_TRANSFER) {
            if (deposits + a->deposit < deposits) {
                err = json_string("CostOverflow");
            }
            deposits += a->deposit;
        }
        if (a->kind == TK_NEARVM_ACT_FUNCTION_CALL) {
            if (prepaid + a->gas < prepaid) {
                err = json_string("CostOverflow");
            }
            prepaid += a->gas;
        }
    }
    rc = vm->store.ops->begin(vm->store.ctx);
    if (rc != TK_OK) {
        json_decref(err);
        for (i = 0; i < tx->n_actions; i++) {
            nvm_action_clear(&acts[i]);
        }
        free(acts);
        return rc;
    }
    if (err != NULL) {
    } else if (nvm_account_get(vm, &signer, tx->signer) != TK_OK) {
        err = json_pack("{s:{s:s}}", "SignerDoesNotExist", "signer_id", tx->signer);
    } else if ((err = check_signed(vm, tx, &signer, pk, pk_len, deposits, prepaid)) == NULL &&
               nvm_account_put(vm, tx->signer, &signer) != TK_OK) {
        err = json_pack("{s:s}", "StorageError", "StorageInternalError");
    }
    if (err != NULL) {
        rc = vm->store.ops->rollback(vm->store.ctx);
        for (i = 0; i < tx->n_actions; i++) {
            nvm_action_clear(&acts[i]);
        }
        free(acts);
        *invalid = err;
        return rc;
    }
    if ((rc = vm->store.ops->commit(vm->store.ctx)) != TK_OK) {
        for (i = 0; i < tx->n_actions; i++) {
            nvm_action_clear(&acts[i]);
        }
        free(acts);
        return rc;
    }
    tx_new(vm, vm->n_receipts + 1);
    receipt_new(vm, vm->n_txs - 1, tx->signer, tx->receiver, tx->signer, pk, pk_len, acts,
                tx->n_actions, 0);
    *id = vm->n_receipts;
    return TK_OK;
}
