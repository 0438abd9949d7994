/*
 * nearvm persistence of the in-memory chain: the height, block timestamp and receipt counter,
 * the unfinished transactions with their receipts (actions, promise results, who waits for
 * them, outcomes so far) and the yields, exported to one JSON document and imported back
 * (docs/nearvm.md "Persistence"); and dropping finished transactions from memory. Import checks
 * every field and reference, so a damaged document is refused, never half-applied or crashing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/encoding.h"

#define DOC_VERSION 1

static json_t *b64(const unsigned char *p, size_t n)
{
    size_t cap = tk_base64_encoded_len(n) + 1, len = 0;
    char *b = malloc(cap);
    json_t *j = NULL;
    if (b != NULL && tk_base64_encode(b, cap, &len, p, n) == TK_OK) {
        j = json_stringn(b, len);
    }
    free(b);
    return j;
}

static json_t *u128(tk_nearvm_u128 v)
{
    char buf[40];
    return json_string(nvm_u128_str(buf, v));
}

static json_t *action_json(const nvm_action *a)
{
    unsigned char *ak = NULL;
    size_t ak_len = 0;
    json_t *j;
    if (a->kind == NVM_ACT_ADD_KEY && nvm_access_key_encode(&ak, &ak_len, &a->ak) != TK_OK) {
        return NULL;
    }
    j = json_pack("{s:i,s:o,s:o,s:o,s:I,s:I,s:o,s:o,s:o}", "k", (int)a->kind, "m",
                  a->method ? b64((const unsigned char *)a->method, a->method_len) : json_null(),
                  "d", a->data ? b64(a->data, a->data_len) : json_null(), "a", u128(a->amount), "g",
                  (json_int_t)a->gas, "w", (json_int_t)a->weight, "pk", b64(a->pk, a->pk_len), "ak",
                  ak ? b64(ak, ak_len) : json_null(), "b",
                  a->beneficiary ? json_string(a->beneficiary) : json_null());
    free(ak);
    return j;
}

static json_t *receipt_json(const tk_nearvm *vm, const nvm_receipt *r)
{
    json_t *acts = json_array(), *res = json_array(), *rcv = json_array();
    size_t i;
    for (i = 0; i < r->n_actions; i++) {
        json_array_append_new(acts, action_json(&r->actions[i]));
    }
    for (i = 0; i < r->n_deps; i++) {
        json_array_append_new(res, json_pack("[i,o]", r->results[i].status,
                                             r->results[i].status == 1
                                                 ? b64(r->results[i].data, r->results[i].len)
                                                 : json_null()));
    }
    for (i = 0; i < r->n_receivers; i++) {
        json_array_append_new(rcv, json_pack("[I,I]", (json_int_t)r->receivers[i].receipt,
                                             (json_int_t)r->receivers[i].slot));
    }
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:o,s:i,s:I,s:O?,s:O?,s:I,s:I}", "id",
                     (json_int_t)r->id, "tx", (json_int_t)vm->txs[r->tx]->id, "predecessor",
                     r->predecessor, "receiver", r->receiver, "signer", r->signer, "signer_pk",
                     b64(r->signer_pk, r->signer_pk_len), "actions", acts, "results", res,
                     "n_ready", (json_int_t)r->n_ready, "receivers", rcv, "state", (int)r->state,
                     "due", (json_int_t)r->due, "status", r->status, "logs", r->logs, "gas_burnt",
                     (json_int_t)r->gas_burnt, "height", (json_int_t)r->height);
}

int tk_nearvm_export(tk_nearvm *vm, json_t **state)
{
    json_t *txs, *receipts, *yields, *doc;
    size_t i, j, live = 0;
    if (vm == NULL || state == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    *state = NULL;
    txs = json_array();
    receipts = json_array();
    yields = json_array();
    for (i = 0; i < vm->n_txs; i++) {
        const nvm_tx *t = vm->txs[i];
        json_t *ex = json_array();
        for (j = 0; j < t->n_executed; j++) {
            json_array_append_new(ex, json_integer((json_int_t)t->executed[j]));
        }
        json_array_append_new(txs,
                              json_pack("{s:I,s:I,s:o,s:I,s:I}", "id", (json_int_t)t->id, "first",
                                        (json_int_t)t->first, "executed", ex, "unfinished",
                                        (json_int_t)t->unfinished, "due", (json_int_t)t->due));
    }
    for (i = 0; i < vm->n_receipts; i++) {
        if (vm->receipts[i] != NULL) {
            json_array_append_new(receipts, receipt_json(vm, vm->receipts[i]));
            live++;
        }
    }
    for (i = 0; i < vm->n_yields; i++) {
        const nvm_yield *y = &vm->yields[i];
        char hex[65];
        if (tk_hex_encode(hex, sizeof hex, y->data_id, 32) != TK_OK) {
            hex[0] = 0;
        }
        json_array_append_new(yields,
                              json_pack("{s:s,s:s,s:I,s:I,s:b}", "data_id", hex, "account",
                                        y->account, "receipt", (json_int_t)y->receipt, "created",
                                        (json_int_t)y->created, "pending", y->pending));
    }
    doc = json_pack("{s:i,s:I,s:I,s:I,s:o,s:o,s:o}", "version", DOC_VERSION, "height",
                    (json_int_t)vm->height, "now_ns", (json_int_t)vm->now_ns, "n_receipts",
                    (json_int_t)vm->n_receipts, "txs", txs, "receipts", receipts, "yields", yields);
    if (doc == NULL) {
        return tk_fail(TK_ERR_NOMEM, "nearvm: cannot export the chain state");
    }
    /* json_array_append_new(NULL) (an allocation failure inside) fails silently: count */
    if (json_array_size(receipts) != live || json_array_size(txs) != vm->n_txs ||
        json_array_size(yields) != vm->n_yields) {
        json_decref(doc);
        return tk_fail(TK_ERR_NOMEM, "nearvm: cannot export the chain state");
    }
    *state = doc;
    return TK_OK;
}

/* ---- import ---- */

static int get_u64(uint64_t *out, const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        return 0;
    }
    *out = (uint64_t)json_integer_value(v);
    return 1;
}

/* Decodes base64 (a JSON string) into malloc'd bytes with a NUL after them. */
static int get_b64(unsigned char **out, size_t *len, const json_t *v, size_t max)
{
    const char *s = json_string_value(v);
    size_t n = s ? json_string_length(v) : 0;
    *out = NULL;
    *len = 0;
    if (s == NULL || n / 4 * 3 > max + 3) {
        return 0;
    }
    *out = malloc(n / 4 * 3 + 4);
    if (*out == NULL || tk_base64_decode(*out, n / 4 * 3 + 4, len, s, n) != TK_OK || *len > max) {
        free(*out);
        *out = NULL;
        return 0;
    }
    (*out)[*len] = 0;
    return 1;
}

static char *get_id(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (s == NULL || (!nvm_id_ok(s) && strcmp(s, "system") != 0)) {
        return NULL;
    }
    return strdup(s);
}

static int action_load(nvm_action *a, const json_t *j)
{
    const json_t *v;
    unsigned char *pk = NULL, *ak = NULL;
    size_t pk_len = 0, ak_len = 0;
    int kind, ok = 1;
    memset(a, 0, sizeof *a);
    v = json_object_get(j, "k");
    if (!json_is_integer(v) || json_integer_value(v) < NVM_ACT_CREATE_ACCOUNT ||
        json_integer_value(v) > NVM_ACT_DELETE_ACCOUNT) {
        return 0;
    }
    kind = (int)json_integer_value(v);
    a->kind = (nvm_action_kind)kind;
    v = json_object_get(j, "m");
    if (!json_is_null(v)) {
        ok = get_b64((unsigned char **)&a->method, &a->method_len, v, 65536);
    }
    v = json_object_get(j, "d");
    if (ok && !json_is_null(v)) {
        ok = get_b64(&a->data, &a->data_len, v, TK_NEARVM_MAX_ARGS + 65536);
    }
    ok = ok && (v = json_object_get(j, "a")) != NULL && json_is_string(v) &&
         nvm_u128_parse(&a->amount, json_string_value(v)) == TK_OK;
    ok = ok && get_u64(&a->gas, j, "g") && get_u64(&a->weight, j, "w");
    ok = ok && get_b64(&pk, &pk_len, json_object_get(j, "pk"), NVM_PK_MAX);
    if (ok) {
        memcpy(a->pk, pk, pk_len);
        a->pk_len = pk_len;
    }
    free(pk);
    v = json_object_get(j, "ak");
    if (ok && !json_is_null(v)) {
        ok = get_b64(&ak, &ak_len, v, 65536) && nvm_access_key_decode(&a->ak, ak, ak_len) == TK_OK;
        free(ak);
    }
    v = json_object_get(j, "b");
    if (ok && !json_is_null(v)) {
        ok = (a->beneficiary = get_id(j, "b")) != NULL;
    }
    if (ok && a->kind == NVM_ACT_FUNCTION_CALL && a->method == NULL) {
        ok = 0;
    }
    if (ok && (a->kind == NVM_ACT_ADD_KEY || a->kind == NVM_ACT_DELETE_KEY) &&
        !nvm_pk_valid(a->pk, a->pk_len)) {
        ok = 0;
    }
    if (ok && a->kind == NVM_ACT_DELETE_ACCOUNT && a->beneficiary == NULL) {
        ok = 0;
    }
    if (!ok) {
        nvm_action_clear(a);
    }
    return ok;
}

/* Loads one receipt (tx: the index of its transaction, resolved by the caller). */
static nvm_receipt *receipt_load(const json_t *j, uint64_t max_id)
{
    nvm_receipt *r = calloc(1, sizeof *r);
    const json_t *acts = json_object_get(j, "actions"), *res = json_object_get(j, "results"),
                 *rcv = json_object_get(j, "receivers"), *v;
    unsigned char *pk = NULL;
    size_t i, pk_len = 0;
    uint64_t state = 0, n_ready = 0;
    int ok;
    if (r == NULL) {
        return NULL;
    }
    ok = get_u64(&r->id, j, "id") && r->id >= 1 && r->id <= max_id &&
         (r->predecessor = get_id(j, "predecessor")) != NULL &&
         (r->receiver = get_id(j, "receiver")) != NULL &&
         (r->signer = get_id(j, "signer")) != NULL &&
         get_b64(&pk, &pk_len, json_object_get(j, "signer_pk"), NVM_PK_MAX) &&
         json_is_array(acts) && json_array_size(acts) >= 1 && json_array_size(acts) <= 1024 &&
         json_is_array(res) && json_array_size(res) <= NVM_MAX_DEPS && json_is_array(rcv) &&
         json_array_size(rcv) <= 65536 && get_u64(&n_ready, j, "n_ready") &&
         get_u64(&state, j, "state") && state <= NVM_R_DONE && get_u64(&r->due, j, "due") &&
         get_u64(&r->gas_burnt, j, "gas_burnt") && get_u64(&r->height, j, "height");
    if (pk != NULL) {
        memcpy(r->signer_pk, pk, pk_len);
        r->signer_pk_len = pk_len;
        free(pk);
    }
    if (!ok) {
        nvm_receipt_free(r);
        return NULL;
    }
    r->state = (nvm_rstate)state;
    r->actions = calloc(json_array_size(acts), sizeof *r->actions);
    r->n_deps = json_array_size(res);
    r->results = calloc(r->n_deps ? r->n_deps : 1, sizeof *r->results);
    r->receivers = calloc(json_array_size(rcv) ? json_array_size(rcv) : 1, sizeof *r->receivers);
    if (r->actions == NULL || r->results == NULL || r->receivers == NULL) {
        nvm_receipt_free(r);
        return NULL;
    }
    json_array_foreach(acts, i, v)
    {
        if (!action_load(&r->actions[i], v)) {
            nvm_receipt_free(r);
            return NULL;
        }
        r->n_actions++;
    }
    json_array_foreach(res, i, v)
    {
        const json_t *st = json_array_get(v, 0);
        if (!json_is_array(v) || !json_is_integer(st) || json_integer_value(st) < 0 ||
            json_integer_value(st) > 2) {
            nvm_receipt_free(r);
            return NULL;
        }
        r->results[i].status = (int)json_integer_value(st);
        if (r->results[i].status == 1 && !get_b64(&r->results[i].data, &r->results[i].len,
                                                  json_array_get(v, 1), NVM_MAX_RETURN + 65536)) {
            nvm_receipt_free(r);
            return NULL;
        }
    }
    if (n_ready > r->n_deps) {
        nvm_receipt_free(r);
        return NULL;
    }
    r->n_ready = (size_t)n_ready;
    json_array_foreach(rcv, i, v)
    {
        const json_t *a = json_array_get(v, 0), *b = json_array_get(v, 1);
        if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 1 ||
            (uint64_t)json_integer_value(a) > max_id || json_integer_value(b) < 0 ||
            json_integer_value(b) >= (json_int_t)NVM_MAX_DEPS) {
            nvm_receipt_free(r);
            return NULL;
        }
        r->receivers[i].receipt = (uint64_t)json_integer_value(a);
        r->receivers[i].slot = (size_t)json_integer_value(b);
        r->n_receivers++;
    }
    v = json_object_get(j, "status");
    r->status = v != NULL && !json_is_null(v) ? json_deep_copy(v) : NULL;
    v = json_object_get(j, "logs");
    r->logs = json_is_array(v) ? json_deep_copy(v) : NULL;
    if (r->state == NVM_R_DONE && (r->status == NULL || r->logs == NULL)) {
        nvm_receipt_free(r);
        return NULL;
    }
    return r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int import_doc(tk_nearvm *vm, const json_t *doc)
{
    const json_t *txs = json_object_get(doc, "txs"), *rs = json_object_get(doc, "receipts"),
                 *ys = json_object_get(doc, "yields"), *v;
    uint64_t version = 0, n_receipts = 0;
    size_t i, j;
    if (!get_u64(&version, doc, "version") || version != DOC_VERSION ||
        !get_u64(&vm->height, doc, "height") || vm->height < 1 ||
        !get_u64(&vm->now_ns, doc, "now_ns") || !get_u64(&n_receipts, doc, "n_receipts") ||
        n_receipts > (1ull << 40) || !json_is_array(txs) || !json_is_array(rs) ||
        !json_is_array(ys)) {
        return 0;
    }
    vm->receipts = calloc(n_receipts ? n_receipts : 1, sizeof *vm->receipts);
    vm->txs = calloc(json_array_size(txs) ? json_array_size(txs) : 1, sizeof *vm->txs);
    vm->yields = calloc(json_array_size(ys) ? json_array_size(ys) : 1, sizeof *vm->yields);
    if (vm->receipts == NULL || vm->txs == NULL || vm->yields == NULL) {
        return 0;
    }
    vm->n_receipts = vm->cap_receipts = n_receipts;
    vm->cap_txs = json_array_size(txs) ? json_array_size(txs) : 1;
    vm->cap_yields = json_array_size(ys) ? json_array_size(ys) : 1;
    json_array_foreach(txs, i, v)
    {
        nvm_tx *t = calloc(1, sizeof *t);
        const json_t *ex = json_object_get(v, "executed"), *e;
        uint64_t unfinished = 0, due = 0;
        if (t == NULL) {
            return 0;
        }
        vm->txs[vm->n_txs++] = t;
        if (!get_u64(&t->id, v, "id") || !get_u64(&t->first, v, "first") || t->id < 1 ||
            t->id > n_receipts || t->first != t->id || !json_is_array(ex) ||
            json_array_size(ex) > n_receipts || !get_u64(&unfinished, v, "unfinished") ||
            !get_u64(&due, v, "due") || unfinished > n_receipts || due > unfinished ||
            (i > 0 && vm->txs[i - 1]->id >= t->id)) {
            return 0;
        }
        t->unfinished = (size_t)unfinished;
        t->due = (size_t)due;
        t->executed = calloc(json_array_size(ex) ? json_array_size(ex) : 1, sizeof *t->executed);
        if (t->executed == NULL) {
            return 0;
        }
        json_array_foreach(ex, j, e)
        {
            if (!json_is_integer(e) || json_integer_value(e) < 1 ||
                (uint64_t)json_integer_value(e) > n_receipts) {
                return 0;
            }
            t->executed[t->n_executed++] = (uint64_t)json_integer_value(e);
        }
    }
    json_array_foreach(rs, i, v)
    {
        nvm_receipt *r = receipt_load(v, n_receipts);
        uint64_t txid = 0;
        size_t lo = 0, hi = vm->n_txs;
        if (r == NULL) {
            return 0;
        }
        if (vm->receipts[r->id - 1] != NULL || !get_u64(&txid, v, "tx")) {
            nvm_receipt_free(r);
            return 0;
        }
        vm->receipts[r->id - 1] = r;
        while (lo < hi) { /* the transaction's index */
            size_t mid = lo + (hi - lo) / 2;
            if (vm->txs[mid]->id < txid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == vm->n_txs || vm->txs[lo]->id != txid) {
            return 0;
        }
        r->tx = lo;
        if (r->state == NVM_R_DUE) {
            if (r->due != vm->height + 1) {
                return 0;
            }
            if (vm->n_due == vm->cap_due) {
                vm->cap_due = vm->cap_due ? 2 * vm->cap_due : 64;
                vm->due = realloc(vm->due, vm->cap_due * sizeof *vm->due);
                if (vm->due == NULL) {
                    return 0;
                }
            }
            vm->due[vm->n_due++] = r->id;
        }
    }
    if (vm->n_due > 1) {
        qsort(vm->due, vm->n_due, sizeof *vm->due, cmp_u64);
    }
    /* every receipt a transaction lists as executed, or a receipt waits for, must be here */
    for (i = 0; i < vm->n_txs; i++) {
        for (j = 0; j < vm->txs[i]->n_executed; j++) {
            if (vm->receipts[vm->txs[i]->executed[j] - 1] == NULL) {
                return 0;
            }
        }
    }
    for (i = 0; i < vm->n_receipts; i++) {
        const nvm_receipt *r = vm->receipts[i];
        for (j = 0; r != NULL && j < r->n_receivers; j++) {
            const nvm_receipt *w = vm->receipts[r->receivers[j].receipt - 1];
            if (w == NULL || r->receivers[j].slot >= w->n_deps) {
                return 0;
            }
        }
    }
    json_array_foreach(ys, i, v)
    {
        nvm_yield *y = &vm->yields[vm->n_yields];
        const char *hex = json_string_value(json_object_get(v, "data_id"));
        const json_t *p = json_object_get(v, "pending");
        memset(y, 0, sizeof *y);
        if (hex == NULL || tk_hex_decode_exact(y->data_id, 32, hex, strlen(hex), 0) != TK_OK ||
            (y->account = get_id(v, "account")) == NULL || !get_u64(&y->receipt, v, "receipt") ||
            !get_u64(&y->created, v, "created") || !json_is_boolean(p)) {
            free(y->account);
            return 0;
        }
        vm->n_yields++;
        y->pending = json_is_true(p);
        if (y->pending &&
            (y->receipt < 1 || y->receipt > n_receipts || vm->receipts[y->receipt - 1] == NULL ||
             vm->receipts[y->receipt - 1]->n_deps != 1)) {
            return 0;
        }
    }
    return 1;
}

int tk_nearvm_import(tk_nearvm *vm, const json_t *state)
{
    if (vm == NULL || state == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm: NULL");
    }
    nvm_clear_dynamic(vm);
    if (!json_is_object(state) || !import_doc(vm, state)) {
        nvm_clear_dynamic(vm);
        vm->height = 1;
        return tk_fail(TK_ERR_INPUT, "nearvm: malformed chain state document");
    }
    return TK_OK;
}

/* ---- forgetting finished transactions ---- */

size_t tk_nearvm_forget_finished(tk_nearvm *vm)
{
    size_t *map, i, kept = 0, dropped = 0;
    if (vm == NULL || vm->n_txs == 0) {
        return 0;
    }
    map = malloc(vm->n_txs * sizeof *map);
    if (map == NULL) {
        return 0;
    }
    for (i = 0; i < vm->n_txs; i++) {
        nvm_tx *t = vm->txs[i];
        if (t->unfinished == 0 && t->invalid == NULL) {
            map[i] = (size_t)-1;
            dropped++;
            free(t->executed);
            free(t);
        } else {
            map[i] = kept;
            vm->txs[kept++] = t;
        }
    }
    if (dropped == 0) {
        free(map);
        return 0;
    }
    for (i = 0; i < vm->n_receipts; i++) {
        nvm_receipt *r = vm->receipts[i];
        if (r == NULL) {
            continue;
        }
        if (map[r->tx] == (size_t)-1) {
            nvm_receipt_free(r);
            vm->receipts[i] = NULL;
        } else {
            r->tx = map[r->tx];
        }
    }
    free(map);
    vm->n_txs = kept;
    for (i = 0, kept = 0; i < vm->n_yields; i++) {
        if (vm->yields[i].pending) {
            vm->yields[kept++] = vm->yields[i];
        } else {
            free(vm->yields[i].account);
        }
    }
    vm->n_yields = kept;
    return dropped;
}
