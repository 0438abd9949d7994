/*
 * localnet's SQLite store: the nearvm state records (kind, account, key) -> value in one WITHOUT
 * ROWID table, iterated in key byte order (BLOB comparison is memcmp), with begin/commit/rollback
 * as savepoints so a receipt nests inside the block's transaction. The database runs in WAL mode
 * with synchronous=NORMAL: a process crash never loses a committed block or corrupts the file.
 * It never builds SQL from data: every value goes through a bound parameter.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "internal.h"

static const unsigned char empty[1];

static int db_fail(sqlite3 *db, const char *what)
{
    return tk_fail(TK_ERR_IO, "localnet store: %s: %s", what, db ? sqlite3_errmsg(db) : "?");
}

int ln_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = tk_fail(TK_ERR_IO, "localnet store: %s", err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return rc;
    }
    return TK_OK;
}

static int bind_blob(sqlite3_stmt *st, int i, const unsigned char *p, size_t n)
{
    return sqlite3_bind_blob(st, i, n ? (const void *)p : (const void *)empty, (int)n,
                             SQLITE_TRANSIENT);
}

static int s_get(void *ctx, unsigned char **val, size_t *val_len, tk_nearvm_rec kind,
                 const char *account, const unsigned char *key, size_t key_len)
{
    ln_store *s = ctx;
    sqlite3_stmt *st = s->get;
    int rc, step;
    *val = NULL;
    *val_len = 0;
    sqlite3_reset(st);
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    bind_blob(st, 3, key, key_len);
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = TK_ERR_NOT_FOUND;
    } else if (step == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        rc = TK_OK;
        if (n > 0) {
            *val = malloc((size_t)n);
            if (*val == NULL) {
                rc = TK_ERR_NOMEM;
            } else {
                memcpy(*val, p, (size_t)n);
                *val_len = (size_t)n;
            }
        }
    } else {
        rc = db_fail(s->db, "get");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int s_put(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                 size_t key_len, const unsigned char *val, size_t val_len)
{
    ln_store *s = ctx;
    sqlite3_stmt *st = s->put;
    int rc;
    if (key_len > INT32_MAX || val_len > INT32_MAX) {
        return tk_fail(TK_ERR_RANGE, "localnet store: record too large");
    }
    sqlite3_reset(st);
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    bind_blob(st, 3, key, key_len);
    bind_blob(st, 4, val, val_len);
    rc = sqlite3_step(st) == SQLITE_DONE ? TK_OK : db_fail(s->db, "put");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int s_del(void *ctx, tk_nearvm_rec kind, const char *account, const unsigned char *key,
                 size_t key_len)
{
    ln_store *s = ctx;
    sqlite3_stmt *st = s->del;
    int rc;
    sqlite3_reset(st);
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    bind_blob(st, 3, key, key_len);
    rc = sqlite3_step(st) == SQLITE_DONE ? TK_OK : db_fail(s->db, "del");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* A fresh statement per call: callbacks may read (or iterate) the store again. */
static int s_iterate(void *ctx, tk_nearvm_rec kind, const char *account, tk_nearvm_iter_fn fn,
                     void *arg)
{
    static const char sql[] =
        "SELECT key, value FROM state WHERE kind = ?1 AND account = ?2 ORDER BY key";
    ln_store *s = ctx;
    sqlite3_stmt *st = ln_stmt(s, sql); /* a second one while a callback iterates again */
    int rc = TK_OK, step;
    if (st == NULL) {
        return TK_ERR_IO;
    }
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_blob(st, 0);
        size_t kl = (size_t)sqlite3_column_bytes(st, 0);
        const unsigned char *v = sqlite3_column_blob(st, 1);
        size_t vl = (size_t)sqlite3_column_bytes(st, 1);
        int r = fn(arg, k ? k : empty, kl, v ? v : empty, vl);
        if (r != 0) {
            rc = r;
            break;
        }
    }
    if (rc == TK_OK && step != SQLITE_DONE) {
        rc = db_fail(s->db, "iterate");
    }
    ln_stmt_done(s, st);
    return rc;
}

static int s_begin(void *ctx)
{
    ln_store *s = ctx;
    return ln_sql(s->db, "SAVEPOINT nvm");
}

static int s_commit(void *ctx)
{
    ln_store *s = ctx;
    return ln_sql(s->db, "RELEASE nvm");
}

static int s_rollback(void *ctx)
{
    ln_store *s = ctx;
    int rc = ln_sql(s->db, "ROLLBACK TO nvm");
    int rc2 = ln_sql(s->db, "RELEASE nvm");
    return rc != TK_OK ? rc : rc2;
}

sqlite3_stmt *ln_stmt(ln_store *s, const char *sql)
{
    size_t i, free_slot = LN_STMT_CACHE;
    for (i = 0; i < LN_STMT_CACHE; i++) {
        if (s->cache[i].sql == sql && !s->cache[i].busy) {
            s->cache[i].busy = 1;
            return s->cache[i].st;
        }
        if (s->cache[i].sql == NULL && free_slot == LN_STMT_CACHE) {
            free_slot = i;
        }
    }
    if (free_slot == LN_STMT_CACHE) {
        tk_fail(TK_ERR_NOMEM, "localnet store: statement cache full");
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->cache[free_slot].st,
                           NULL) != SQLITE_OK) {
        db_fail(s->db, "prepare");
        s->cache[free_slot].st = NULL;
        return NULL;
    }
    s->cache[free_slot].sql = sql;
    s->cache[free_slot].busy = 1;
    return s->cache[free_slot].st;
}

void ln_stmt_done(ln_store *s, sqlite3_stmt *st)
{
    if (st == NULL) {
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (size_t i = 0; i < LN_STMT_CACHE; i++) {
        if (s->cache[i].st == st) {
            s->cache[i].busy = 0;
        }
    }
}

void ln_store_close(ln_store *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < LN_STMT_CACHE; i++) {
        sqlite3_finalize(s->cache[i].st);
    }
    sqlite3_finalize(s->get);
    sqlite3_finalize(s->put);
    sqlite3_finalize(s->del);
    sqlite3_close(s->db);
    free(s);
}

static void s_free(void *ctx)
{
    ln_store_close(ctx);
}

static void s_free_none(void *ctx)
{
    (void)ctx;
}

static const tk_nearvm_store_ops sqlite_ops = {s_get,   s_put,    s_del,      s_iterate,
                                               s_begin, s_commit, s_rollback, s_free};
/* The same operations for a store the localnet owns (closed by it, not by the VM). */
static const tk_nearvm_store_ops sqlite_ops_borrowed = {s_get,   s_put,    s_del,      s_iterate,
                                                        s_begin, s_commit, s_rollback, s_free_none};

int ln_store_open(ln_store **out, const char *path)
{
    ln_store *s = calloc(1, sizeof *s);
    int rc;
    *out = NULL;
    if (s == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = db_fail(s->db, path);
        ln_store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* one process owns the database: exclusive locking (no lock traffic per statement, and a
     * second localnet on the same home fails instead of interleaving) */
    if ((rc = ln_sql(s->db, "PRAGMA locking_mode=EXCLUSIVE")) != TK_OK ||
        (rc = ln_sql(s->db, "PRAGMA journal_mode=WAL")) != TK_OK ||
        (rc = ln_sql(s->db, "PRAGMA synchronous=NORMAL")) != TK_OK ||
        (rc = ln_sql(s->db, "CREATE TABLE IF NOT EXISTS state (kind INTEGER NOT NULL, account "
                            "TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY "
                            "(kind, account, key)) WITHOUT ROWID")) != TK_OK) {
        ln_store_close(s);
        return rc;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT value FROM state WHERE kind = ?1 AND account = ?2 AND key = ?3",
                           -1, &s->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO state (kind, account, key, value) VALUES "
                           "(?1, ?2, ?3, ?4)",
                           -1, &s->put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "DELETE FROM state WHERE kind = ?1 AND account = ?2 AND key = ?3",
                           -1, &s->del, NULL) != SQLITE_OK) {
        rc = db_fail(s->db, "prepare");
        ln_store_close(s);
        return rc;
    }
    *out = s;
    return TK_OK;
}

tk_nearvm_store ln_store_borrowed(ln_store *s)
{
    tk_nearvm_store st;
    st.ops = &sqlite_ops_borrowed;
    st.ctx = s;
    return st;
}

int tk_localnet_store_open(tk_nearvm_store *store, const char *path)
{
    ln_store *s = NULL;
    int rc;
    if (store == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "localnet store: NULL");
    }
    store->ops = NULL;
    store->ctx = NULL;
    if ((rc = ln_store_open(&s, path)) != TK_OK) {
        return rc;
    }
    store->ops = &sqlite_ops;
    store->ctx = s;
    return TK_OK;
}
