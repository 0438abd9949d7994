/*
 * nearvm's in-memory state store: records in one array sorted by (kind, account, key) with
 * binary search, and an undo log that makes begin/commit/rollback cheap. Meant for tests and
 * short-lived chains; it holds no secrets and never frees a record the caller still reads
 * (get returns copies).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    tk_nearvm_rec kind;
    char *account;
    unsigned char *key, *val;
    size_t key_len, val_len;
} mrec;

typedef struct {
    tk_nearvm_rec kind;
    char *account;
    unsigned char *key, *val;
    size_t key_len, val_len;
    int had;
} mundo;

typedef struct {
    mrec *recs;
    size_t n, cap;
    mundo *undo;
    size_t n_undo, cap_undo;
    int in_tx;
} mstore;

static int cmp(tk_nearvm_rec kind, const char *account, const unsigned char *key, size_t key_len,
               const mrec *r)
{
    int c;
    size_t n;
    if (kind != r->kind) {
        return kind < r->kind ? -1 : 1;
    }
    c = strcmp(account, r->account);
    if (c != 0) {
        return c;
    }
    n = key_len < r->key_len ? key_len : r->key_len;
    c = n ? memcmp(key, r->key, n) : 0;
    if (c != 0) {
        return c;
    }
    return key_len == r->key_len ? 0 : key_len < r->key_len ? -1 : 1;
}

/* Returns the index of the record or where it would go; *found tells which. */
static size_t find(const mstore *s, tk_nearvm_rec kind, const char *account,
                   const unsigned char *key, size_t key_len, int *found)
{
    size_t lo = 0, hi = s->n;
    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(kind, account, key, key_len, &s->recs[mid]);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

static unsigned char *dup_bytes(const unsigned char *p, size_t n)
{
    unsigned char *d = malloc(n ? n : 1);
    if (d != NULL && n) {
        memcpy(d, p, n);
    }
    return d;
}

static int m_get(void *ctx, unsigned char **val, size_t *val_len, tk_nearvm_rec kind,
                 const char *account, const unsigned char *key, size_t key_len)
{
    mstore *s = ctx;
    int found;
    size_t i = find(s, kind, account, key, key_len, &found);
    if (!found) {
        return TK_ERR_NOT_FOUND;
    }
    *val = dup_bytes(s->recs[i].val, s->recs[i].val_len);
    if (*val == NULL) {
        return TK_ERR_NOMEM;
    }
    *val_len = s->recs[i].val_len;
    return TK_OK;
}

static int log_undo(mstore *s, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                    size_t key_len, const mrec *old)
{
    mundo *u;
    if (!s->in_tx) {
        return TK_OK;
    }
    if (s->n_undo == s->cap_undo) {
        size_t cap = s->cap_undo ? 2 * s->cap_undo : 64;
        mundo *g = realloc(s->undo, cap * sizeof *g);
        if (g == NULL) {
            return TK_ERR_NOMEM;
        }
        s->undo = g;
        s->cap_undo = cap;
    }
    u = &s->undo[s->n_undo];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    u->account = strdup(account);
    u->key = dup_bytes(key, key_len);
    u->key_len = key_len;
    if (old != NULL) {
        u->had = 1;
        u->val = dup_bytes(old->val, old->val_len);
        u->val_len = old->val_len;
    }
    if (u->account == NULL || u->key == NULL || (u->had && u->val == NULL)) {
        free(u->account);
        free(u->key);
        free(u->val);
        return TK_ERR_NOMEM;
    }
    s->n_undo++;
    return TK_OK;
}

static int raw_put(mstore *s, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                   size_t key_len, const unsigned char *val, size_t val_len)
{
    int found;
    size_t i = find(s, kind, account, key, key_len, &found);
    unsigned char *v = dup_bytes(val, val_len);
    if (v == NULL) {
        return TK_ERR_NOMEM;
    }
    if (found) {
        free(s->recs[i].val);
        s->recs[i].val = v;
        s->recs[i].val_len = val_len;
        return TK_OK;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        mrec *g = realloc(s->recs, cap * sizeof *g);
        if (g == NULL) {
            free(v);
            return TK_ERR_NOMEM;
        }
        s->recs = g;
        s->cap = cap;
    }
    memmove(&s->recs[i + 1], &s->recs[i], (s->n - i) * sizeof *s->recs);
    s->recs[i].kind = kind;
    s->recs[i].account = strdup(account);
    s->recs[i].key = dup_bytes(key, key_len);
    s->recs[i].key_len = key_len;
    s->recs[i].val = v;
    s->recs[i].val_len = val_len;
    s->n++;
    if (s->recs[i].account == NULL || s->recs[i].key == NULL) {
        free(s->recs[i].account);
        free(s->recs[i].key);
        free(v);
        memmove(&s->recs[i], &s->recs[i + 1], (s->n - i - 1) * sizeof *s->recs);
        s->n--;
        return TK_ERR_NOMEM;
    }
    return TK_OK;
}

static void raw_del(mstore *s, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                    size_t key_len)
{
    int found;
    size_t i = find(s, kind, account, key, key_len, &found);
    if (!found) {
        return;
    }
    free(s->recs[i].account);
    free(s->recs[i].key);
    free(s->recs[i].val);
    memmove(&s->recs[i], &s->recs[i + 1], (s->n - i - 1) * sizeof *s->recs);
    s->n--;
}

static int m_put(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                 size_t key_len, const unsigned char *val, size_t val_len)
{
    mstore *s = ctx;
    int found, rc;
    size_t i = find(s, kind, account, key, key_len, &found);
    rc = log_undo(s, kind, account, key, key_len, found ? &s->recs[i] : NULL);
    return rc != TK_OK ? rc : raw_put(s, kind, account, key, key_len, val, val_len);
}

static int m_del(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                 size_t key_len)
{
    mstore *s = ctx;
    int found, rc;
    size_t i = find(s, kind, account, key, key_len, &found);
    if (!found) {
        return TK_OK;
    }
    rc = log_undo(s, kind, account, key, key_len, &s->recs[i]);
    if (rc == TK_OK) {
        raw_del(s, kind, account, key, key_len);
    }
    return rc;
}

static int m_iterate(void *ctx, tk_nearvm_rec kind, const char *account, tk_nearvm_iter_fn fn,
                     void *arg)
{
    mstore *s = ctx;
    int found, rc;
    size_t i = find(s, kind, account, (const unsigned char *)"", 0, &found);
    for (; i < s->n && s->recs[i].kind == kind && strcmp(s->recs[i].account, account) == 0; i++) {
        rc = fn(arg, s->recs[i].key, s->recs[i].key_len, s->recs[i].val, s->recs[i].val_len);
        if (rc != 0) {
            return rc;
        }
    }
    return TK_OK;
}

static void undo_free(mstore *s)
{
    size_t i;
    for (i = 0; i < s->n_undo; i++) {
        free(s->undo[i].account);
        free(s->undo[i].key);
        free(s->undo[i].val);
    }
    s->n_undo = 0;
}

static int m_begin(void *ctx)
{
    mstore *s = ctx;
    if (s->in_tx) {
        return tk_fail(TK_ERR_ARG, "nearvm store: nested transaction");
    }
    s->in_tx = 1;
    return TK_OK;
}

static int m_commit(void *ctx)
{
    mstore *s = ctx;
    undo_free(s);
    s->in_tx = 0;
    return TK_OK;
}

static int m_rollback(void *ctx)
{
    mstore *s = ctx;
    int rc = TK_OK;
    size_t i = s->n_undo;
    while (i-- > 0) {
        mundo *u = &s->undo[i];
        if (u->had) {
            if (raw_put(s, u->kind, u->account, u->key, u->key_len, u->val, u->val_len) != TK_OK) {
                rc = TK_ERR_NOMEM;
            }
        } else {
            raw_del(s, u->kind, u->account, u->key, u->key_len);
        }
    }
    undo_free(s);
    s->in_tx = 0;
    return rc;
}

static void m_free(void *ctx)
{
    mstore *s = ctx;
    size_t i;
    if (s == NULL) {
        return;
    }
    undo_free(s);
    for (i = 0; i < s->n; i++) {
        free(s->recs[i].account);
        free(s->recs[i].key);
        free(s->recs[i].val);
    }
    free(s->recs);
    free(s->undo);
    free(s);
}

static const tk_nearvm_store_ops mem_ops = {m_get,   m_put,    m_del,      m_iterate,
                                            m_begin, m_commit, m_rollback, m_free};

int tk_nearvm_store_memory(tk_nearvm_store *store)
{
    mstore *s;
    if (store == NULL) {
        return tk_fail(TK_ERR_ARG, "nearvm store: NULL");
    }
    s = calloc(1, sizeof *s);
    if (s == NULL) {
        return tk_fail(TK_ERR_NOMEM, "nearvm store: out of memory");
    }
    store->ops = &mem_ops;
    store->ctx = s;
    return TK_OK;
}
