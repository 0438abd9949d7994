/*
 * DAO contract (DESIGN 3 and 2.3), part two: workers. register_worker_key sends the quote to
 * the verifier contract and, in its callback, accepts the worker only when the verdict is
 * accepted (UpToDate), chained to the right root (Intel's, or in development mode the DAO's
 * development root), the measurement set is approved, and report_data binds the worker key,
 * this DAO, a recent block height and the CKD app key; the worker key then becomes a
 * function-call access key of the DAO account for request_key and register_binding. A worker
 * key is accepted once (renewal of an unexpired registration excepted) and never again after
 * it expired or was revoked. request_key forwards the PV-form app key to the MPC contract with
 * the derivation path of the worker's measurement set; register_binding forwards to chain-keys.
 * Nothing here trusts the caller's view of time or measurements: the block and the verdict
 * decide.
 */
#include "dao.h"

#define NEAR_CONTRACT dao

static const near_map workers = NEAR_ITERABLE_MAP("W", "wl", 32);
static const near_map seen_keys = NEAR_MAP("S"); /* a set */

typedef struct {
    uint8_t pk[32];
    const char *pk_str;
    const char *measurements_json;
    uint8_t mid[32];
    dao_mode mode;
    const char *owner; /* dedicated only */
    uint8_t app_key_hash[32];
    uint64_t registered_at, verified_at, expires_at, block_height;
    const char *operator_id;
} worker;

static void put_member(near_buf *b, const char *name, const char *s)
{
    near_json_member_str(b, name, s, 0);
}

static void put_u64(near_buf *b, const char *name, uint64_t v, int as_string)
{
    if (as_string) {
        near_json_member_raw(b, name, "", 0);
        near_json_write_u128(b, v);
    } else {
        near_json_member_u64(b, name, v, 0);
    }
}

static near_buf worker_json(const worker *w)
{
    near_buf b = {0};
    near_buf_puts(&b, "{\"public_key\":");
    near_json_write_string(&b, w->pk_str, near_strlen(w->pk_str));
    near_buf_puts(&b, ",\"measurements\":");
    near_buf_puts(&b, w->measurements_json);
    put_member(&b, "measurement_id", near_hex(w->mid, 32));
    put_member(&b, "mode", dao_mode_name(w->mode));
    put_member(&b, "owner", w->owner);
    put_member(&b, "app_key_hash", near_hex(w->app_key_hash, 32));
    put_u64(&b, "registered_at", w->registered_at, 1);
    put_u64(&b, "verified_at", w->verified_at, 1);
    put_u64(&b, "expires_at", w->expires_at, 1);
    put_u64(&b, "block_height", w->block_height, 0);
    put_member(&b, "operator", w->operator_id);
    near_buf_putc(&b, '}');
    return b;
}

__attribute__((noreturn)) static void corrupt(void)
{
    near_panic("corrupt stored worker record");
}

static int stored_hex(uint8_t *out, size_t len, const near_json *doc, const char *name)
{
    const near_json *v = near_json_get(doc, name);
    return v != NULL && v->type == NEAR_JSON_STRING && near_unhex(out, len, v->str, v->len, 0);
}

/* Returns 0 when there is no record for pk. */
static int worker_read(worker *w, const uint8_t pk[32], uint8_t **raw, size_t *raw_len)
{
    near_buf mj = {0};
    size_t n, i;
    uint8_t *v = near_map_get(&workers, pk, 32, &n);
    const near_json *doc, *mode;
    const char *err = "";
    if (v == NULL) {
        return 0;
    }
    if (raw != NULL) {
        *raw = v;
        *raw_len = n;
    }
    doc = near_json_parse((const char *)v, n, &err);
    if (doc == NULL) {
        corrupt();
    }
    for (i = 0; i < 32; i++) {
        w->pk[i] = pk[i];
    }
    w->pk_str = near_stored_str(doc, "public_key");
    near_json_write(&mj, near_json_get(doc, "measurements"));
    w->measurements_json = mj.data;
    mode = near_json_get(doc, "mode");
    w->mode = mode != NULL && mode->type == NEAR_JSON_STRING && near_streq(mode->str, "dedicated")
                  ? DAO_MODE_DEDICATED
                  : DAO_MODE_SHARED;
    w->owner = near_stored_str(doc, "owner");
    w->registered_at = near_stored_u64(doc, "registered_at");
    w->verified_at = near_stored_u64(doc, "verified_at");
    w->expires_at = near_stored_u64(doc, "expires_at");
    w->block_height = near_stored_u64(doc, "block_height");
    w->operator_id = near_stored_str(doc, "operator");
    if (w->pk_str == NULL || w->operator_id == NULL ||
        !stored_hex(w->mid, 32, doc, "measurement_id") ||
        !stored_hex(w->app_key_hash, 32, doc, "app_key_hash") ||
        (w->mode == DAO_MODE_DEDICATED && w->owner == NULL)) {
        corrupt();
    }
    return 1;
}

static void worker_write(const worker *w)
{
    near_buf v = worker_json(w);
    near_map_set(&workers, w->pk, 32, v.data, v.len);
}

/* a worker key as an access key: borsh PublicKey */
static near_buf access_key(const uint8_t pk[32])
{
    near_buf k = {0};
    near_borsh_public_key(&k, NEAR_CURVE_ED25519, pk);
    return k;
}

size_t dao_remove_workers(const uint8_t *id, int only_expired, uint64_t now, size_t limit,
                          const char *reason)
{
    size_t pk_len, count = 0;
    const uint8_t *pk;
    near_map_iter it;
    near_buf removed = {0}, ev = {0};
    near_promise p = 0;
    near_map_iter_init(&it, &workers, 0);
    while (count < limit && near_map_next(&it, &pk, &pk_len, NULL, NULL)) {
        worker w;
        near_buf bk;
        if (!worker_read(&w, pk, NULL, NULL)) {
            near_panic("corrupt worker index");
        }
        if (!(id != NULL && near_memeq(w.mid, id, 32)) && !(only_expired && w.expires_at <= now)) {
            continue;
        }
        near_buf_put(&removed, pk, 32);
        if (count == 0) {
            p = near_promise_batch_create(near_current_account_id());
        }
        bk = access_key(w.pk);
        near_promise_batch_delete_key(p, (const uint8_t *)bk.data, bk.len);
        if (count > 0) {
            near_buf_putc(&ev, ',');
        }
        near_buf_puts(&ev, "{\"public_key\":");
        near_json_write_string(&ev, w.pk_str, near_strlen(w.pk_str));
        put_member(&ev, "reason", reason);
        near_buf_putc(&ev, '}');
        count++;
    }
    if (count > 0) {
        near_map_remove_keys(&workers, (const uint8_t *)removed.data, count);
        dao_emit("worker_removed", ev.data, ev.len);
    }
    return count;
}

/* ---- registration ---- */
static const char *window_check(uint64_t block_height, uint64_t height, uint64_t window)
{
    if (block_height > height) {
        return "block_height is in the future";
    }
    if (height - block_height > window) {
        near_buf m = {0};
        near_buf_puts(&m, "block_height is older than the DAO's window of ");
        near_buf_puts(&m, near_u64_to_str(window));
        near_buf_puts(&m, " blocks (current height ");
        near_buf_puts(&m, near_u64_to_str(height));
        near_buf_puts(&m, ")");
        return m.data;
    }
    return NULL;
}

/* Whether pk may be registered now: new (never seen, room left) or a renewal of an unexpired
 * registration with a newer block height, the same app key and (when mid is given) the same
 * measurement set. Out: *renewal. */
static const char *key_check(int *renewal, worker *old, const uint8_t pk[32], uint64_t block_height,
                             const uint8_t app_key_hash[32], const uint8_t *mid, uint64_t now)
{
    *renewal = 0;
    if (!near_map_has(&seen_keys, pk, 32)) {
        return near_map_len(&workers) >= DAO_WORKERS_MAX
                   ? "the DAO has the maximum number of workers (128)"
                   : NULL;
    }
    if (!worker_read(old, pk, NULL, NULL)) {
        return "this worker key was registered before and is never accepted again (expired or "
               "revoked): boot with a fresh key";
    }
    if (old->expires_at <= now) {
        return "this worker key has expired and is never accepted again: boot with a fresh key";
    }
    if (block_height <= old->block_height) {
        return "block_height is not newer than the worker's last registration (a replayed quote)";
    }
    if (!near_memeq(old->app_key_hash, app_key_hash, 32)) {
        return "a renewal must bind the app key of the worker's registration";
    }
    if (mid != NULL && !near_memeq(old->mid, mid, 32)) {
        return "a renewal must come from the worker's measurement set";
    }
    *renewal = 1;
    return NULL;
}

static void need_gas(uint64_t need, const char *what)
{
    uint64_t prepaid = near_prepaid_gas(), used = near_used_gas();
    if (prepaid < used || prepaid - used < need) {
        near_buf m = {0};
        near_buf_puts(&m, "not enough gas attached for ");
        near_buf_puts(&m, what);
        near_buf_puts(&m, ": needs at least ");
        near_buf_puts(&m, near_u64_to_str(need / DAO_TGAS + 1));
        near_buf_puts(&m, " Tgas more");
        near_panic(m.data);
    }
}

NEAR_METHOD(register_worker_key)
{
    static const char *const allowed[] = {"public_key",   "quote_hex",      "collateral",
                                          "block_height", "app_public_key", NULL};
    const near_json *doc = near_args_object(allowed);
    dao_config c;
    dao_register_args a;
    worker old;
    uint8_t app_hash[32], binding[32], rd[64];
    unsigned __int128 deposit = near_attached_deposit();
    int renewal, i;
    near_buf va = {0}, cb = {0};
    near_promise p, q;
    const char *self = near_current_account_id();
    dao_config_read(&c);
    near_check(dao_parse_register(&a, doc));
    if (deposit < DAO_WORKER_DEPOSIT) {
        near_panic_detail("register_worker_key needs an attached deposit of at least (yoctoNEAR) ",
                          near_u128_to_str(DAO_WORKER_DEPOSIT));
    }
    near_check(window_check(a.block_height, near_block_index(), c.block_window));
    dao_app_key_hash(app_hash, &a.app);
    near_check(key_check(&renewal, &old, a.public_key, a.block_height, app_hash, NULL,
                         near_block_timestamp()));
    need_gas(DAO_VERIFY_MIN_GAS + DAO_CALLBACK_GAS + 5 * DAO_TGAS, "register_worker_key");
    /* the verifier's arguments: the DAO's development root only in development mode */
    near_buf_puts(&va, "{\"quote_hex\":");
    near_json_write_string(&va, a.quote_hex, near_strlen(a.quote_hex));
    near_buf_puts(&va, ",\"collateral\":");
    near_json_write(&va, a.collateral);
    if (c.dev_mode) {
        put_member(&va, "dev_root", c.dev_root_hex);
    }
    near_buf_putc(&va, '}');
    /* what report_data must be */
    dao_register_binding(binding, self, a.block_height, &a.app);
    for (i = 0; i < 32; i++) {
        rd[i] = a.public_key[i];
        rd[32 + i] = binding[i];
    }
    near_buf_puts(&cb, "{\"public_key\":");
    near_json_write_string(&cb, a.public_key_str, near_strlen(a.public_key_str));
    put_u64(&cb, "block_height", a.block_height, 0);
    put_member(&cb, "app_key_hash", near_hex(app_hash, 32));
    put_member(&cb, "report_data", near_hex(rd, 64));
    put_member(&cb, "operator", near_predecessor_account_id());
    near_buf_puts(&cb, ",\"deposit\":");
    near_json_write_u128(&cb, deposit);
    near_buf_putc(&cb, '}');
    p = near_promise_batch_create(c.verifier_account_id);
    near_promise_batch_function_call(p, "verify_quote", va.data, va.len, 0, DAO_VERIFY_MIN_GAS, 1);
    q = near_promise_then(p, self, "on_worker_verified", cb.data, cb.len, 0, DAO_CALLBACK_GAS);
    near_promise_return(q);
}

/* The callback's verdict checks (DESIGN 2.3); NULL when the worker may be registered. */
static const char *verdict_check(const dao_config *c, const dao_verdict *v,
                                 const uint8_t expected_rd[64], const uint8_t **mrec,
                                 size_t *mrec_len, uint8_t mid[32])
{
    uint8_t h[32];
    if (!v->accepted || v->status == NULL || !near_streq(v->status, "UpToDate")) {
        near_buf m = {0};
        near_buf_puts(&m, "the quote was not accepted: ");
        near_buf_puts(&m, v->reason != NULL   ? v->reason
                          : v->status != NULL ? v->status
                                              : "refused");
        return m.data;
    }
    if (c->dev_mode) {
        size_t hl = near_strlen(c->dev_root_hex);
        uint8_t *der = near_alloc(hl / 2 + 1);
        if (!near_unhex(der, hl / 2, c->dev_root_hex, hl, 0)) {
            near_panic("corrupt stored configuration");
        }
        near_sha256(h, der, hl / 2);
        if (!near_streq(v->root, "dev") || !v->has_dev_root_hash ||
            !near_memeq(h, v->dev_root_hash, 32)) {
            return "the verdict does not name the DAO's development root";
        }
    } else if (!near_streq(v->root, "intel")) {
        return "the verdict does not name Intel's root";
    }
    dao_measurement_id(mid, &v->m);
    *mrec = near_map_get(&dao_measurement_sets, mid, 32, mrec_len);
    if (*mrec == NULL) {
        return "the quote's measurement set (MRTD, RTMR0..3) is not approved";
    }
    if (!near_memeq(v->report_data, expected_rd, 32)) {
        return "report_data[0..32] is not the worker public key";
    }
    if (!near_memeq(v->report_data + 32, expected_rd + 32, 32)) {
        return "report_data[32..64] does not bind this DAO, the block height and the app key";
    }
    return NULL;
}

NEAR_METHOD(on_worker_verified)
{
    static const char *const allowed[] = {
        "public_key", "block_height", "app_key_hash", "report_data", "operator", "deposit", NULL};
    const near_json *doc = near_args_object(allowed);
    const char *self = near_current_account_id(), *reason = NULL, *operator_id, *pk_str;
    dao_config c;
    dao_verdict v;
    worker w, old = {0};
    uint8_t pk[32], app_hash[32], rd[64], mid[32], *val;
    const uint8_t *mrec = NULL;
    size_t val_len = 0, mrec_len = 0, key_len;
    uint64_t block_height, now = near_block_timestamp();
    unsigned __int128 deposit;
    unsigned curve;
    uint8_t key[64];
    int renewal = 0;
    near_buf out = {0}, rec, ev = {0}, bk;
    if (!near_streq(near_predecessor_account_id(), self)) {
        near_panic("on_worker_verified is a private callback");
    }
    dao_config_read(&c);
    pk_str = near_json_string(near_json_get(doc, "public_key"));
    operator_id = near_json_string(near_json_get(doc, "operator"));
    if (pk_str == NULL || operator_id == NULL ||
        !near_public_key_parse(&curve, key, &key_len, pk_str, near_strlen(pk_str)) ||
        curve != NEAR_CURVE_ED25519 || near_json_get(doc, "block_height") == NULL ||
        !near_json_u64(near_json_get(doc, "block_height"), &block_height) ||
        near_json_get(doc, "deposit") == NULL ||
        !near_json_u128(near_json_get(doc, "deposit"), &deposit) ||
        !stored_hex(app_hash, 32, doc, "app_key_hash") || !stored_hex(rd, 64, doc, "report_data")) {
        near_panic("on_worker_verified: bad callback arguments");
    }
    for (key_len = 0; key_len < 32; key_len++) {
        pk[key_len] = key[key_len];
    }
    if (near_promise_results_count() != 1) {
        near_panic("on_worker_verified expects one promise result");
    }
    if (near_promise_result(0, &val, &val_len) != NEAR_PROMISE_SUCCESS) {
        reason = "the verifier contract failed (its receipt did not succeed)";
    } else {
        reason = dao_parse_verdict(&v, val, val_len);
    }
    if (reason == NULL) {
        reason = verdict_check(&c, &v, rd, &mrec, &mrec_len, mid);
    }
    if (reason == NULL) {
        reason = window_check(block_height, near_block_index(), c.block_window);
    }
    if (reason == NULL) {
        reason = key_check(&renewal, &old, pk, block_height, app_hash, mid, now);
    }
    if (reason != NULL) {
        if (deposit > 0) {
            near_transfer(operator_id, deposit);
        }
        near_buf_puts(&ev, "{\"public_key\":");
        near_json_write_string(&ev, pk_str, near_strlen(pk_str));
        put_member(&ev, "operator", operator_id);
        put_member(&ev, "reason", reason);
        near_buf_puts(&ev, ",\"refund\":");
        near_json_write_u128(&ev, deposit);
        near_buf_putc(&ev, '}');
        dao_emit("worker_rejected", ev.data, ev.len);
        near_buf_puts(&out, "{\"registered\":false");
        put_member(&out, "reason", reason);
        near_buf_putc(&out, '}');
        near_return(out.data, out.len);
        return;
    }
    /* the worker's mode and owner come from the approved measurement record */
    {
        const char *err = "";
        const near_json *m = near_json_parse((const char *)mrec, mrec_len, &err);
        const char *mode = m != NULL ? near_json_string(near_json_get(m, "mode")) : NULL;
        near_buf mj = {0};
        if (mode == NULL) {
            near_panic("corrupt stored measurement record");
        }
        w.mode = near_streq(mode, "dedicated") ? DAO_MODE_DEDICATED : DAO_MODE_SHARED;
        w.owner = near_json_string(near_json_get(m, "owner"));
        dao_write_measurements(&mj, &v.m);
        w.measurements_json = mj.data;
    }
    for (key_len = 0; key_len < 32; key_len++) {
        w.pk[key_len] = pk[key_len];
        w.mid[key_len] = mid[key_len];
        w.app_key_hash[key_len] = app_hash[key_len];
    }
    w.pk_str = near_public_key_string(NEAR_CURVE_ED25519, pk);
    w.registered_at = renewal ? old.registered_at : now;
    w.verified_at = now;
    w.expires_at = now + c.worker_ttl_ns;
    w.block_height = block_height;
    w.operator_id = renewal ? old.operator_id : operator_id;
    worker_write(&w);
    bk = access_key(pk);
    {
        near_promise p = near_promise_batch_create(self);
        if (renewal) {
            near_promise_batch_delete_key(p, (const uint8_t *)bk.data,
                                          bk.len); /* a fresh allowance */
        } else {
            near_set_add(&seen_keys, pk, 32);
        }
        near_promise_batch_add_function_call_key(p, (const uint8_t *)bk.data, bk.len, 0,
                                                 DAO_WORKER_ALLOWANCE, self, DAO_WORKER_METHODS);
    }
    if (deposit > DAO_WORKER_DEPOSIT) {
        near_transfer(operator_id, deposit - DAO_WORKER_DEPOSIT);
    }
    rec = worker_json(&w);
    dao_emit(renewal ? "worker_renewed" : "worker_registered", rec.data, rec.len);
    near_buf_puts(&out, "{\"registered\":true,\"renewed\":");
    near_buf_puts(&out, renewal ? "true" : "false");
    near_buf_puts(&out, ",\"worker\":");
    near_buf_put(&out, rec.data, rec.len);
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

/* ---- calls signed by a worker's access key ---- */
static void caller_worker(worker *w, const char *method)
{
    size_t len;
    uint8_t *spk;
    if (!near_streq(near_predecessor_account_id(), near_current_account_id())) {
        near_panic_detail(method, " may be called only by the DAO account itself (a transaction "
                                  "signed with a registered worker's access key)");
    }
    spk = near_signer_account_pk(&len);
    if (len != 33 || spk[0] != NEAR_CURVE_ED25519 || !worker_read(w, spk + 1, NULL, NULL)) {
        near_panic_detail(method, ": the signing key is not a registered worker");
    }
    if (w->expires_at <= near_block_timestamp()) {
        near_panic_detail(method, ": the worker's registration has expired");
    }
}

NEAR_METHOD(request_key)
{
    const near_json *doc = near_args_object((const char *const[]){"app_public_key", NULL});
    dao_config c;
    worker w;
    dao_app_key k;
    uint8_t h[32];
    const char *path;
    near_buf args = {0}, ev = {0};
    near_promise p;
    near_require_no_deposit();
    dao_config_read(&c);
    caller_worker(&w, "request_key");
    near_check(dao_parse_request_key(&k, doc));
    dao_app_key_hash(h, &k);
    if (!near_memeq(h, w.app_key_hash, 32)) {
        near_panic("request_key: the app key is not the one the worker's quote bound");
    }
    path = dao_derivation_path(w.mode, w.owner);
    near_buf_puts(&args, "{\"request\":{\"derivation_path\":");
    near_json_write_string(&args, path, near_strlen(path));
    near_buf_puts(&args, ",\"app_public_key\":{\"AppPublicKeyPV\":{\"pk1\":\"bls12381g1:");
    near_buf_puts(&args, near_base58(k.pk1, DAO_BLS_G1_LEN));
    near_buf_puts(&args, "\",\"pk2\":\"bls12381g2:");
    near_buf_puts(&args, near_base58(k.pk2, DAO_BLS_G2_LEN));
    near_buf_puts(&args, "\"}},\"domain_id\":");
    near_buf_puts(&args, near_u64_to_str(c.domain_id));
    near_buf_puts(&args, "}}");
    need_gas(DAO_MPC_MIN_GAS + 5 * DAO_TGAS, "request_key");
    p = near_promise_batch_create(c.mpc_account_id);
    near_promise_batch_function_call(p, "request_app_private_key", args.data, args.len, 1,
                                     DAO_MPC_MIN_GAS, 1);
    near_buf_puts(&ev, "{\"worker\":");
    near_json_write_string(&ev, w.pk_str, near_strlen(w.pk_str));
    put_member(&ev, "derivation_path", path);
    put_member(&ev, "mpc_account_id", c.mpc_account_id);
    put_u64(&ev, "domain_id", c.domain_id, 0);
    near_buf_putc(&ev, '}');
    dao_emit("key_requested", ev.data, ev.len);
    near_promise_return(p);
}

NEAR_METHOD(register_binding)
{
    const near_json *doc = near_args_object(
        (const char *const[]){"account_id", "family", "path", "network", "public_key", NULL});
    dao_config c;
    worker w;
    dao_binding_args b;
    near_buf args = {0}, ev = {0};
    near_promise p;
    near_require_no_deposit();
    dao_config_read(&c);
    caller_worker(&w, "register_binding");
    near_check(dao_parse_binding(&b, doc));
    if (w.mode == DAO_MODE_DEDICATED && !near_streq(b.account_id, w.owner)) {
        near_panic_detail("register_binding: a dedicated worker registers bindings only for its "
                          "owner ",
                          w.owner);
    }
    near_buf_puts(&args, b.json);
    near_buf_puts(&args, ",\"tee_attestation\":{\"tee_type\":\"tdx\"");
    put_member(&args, "attestation_contract", c.verifier_account_id);
    near_buf_puts(&args, ",\"measurements\":");
    near_buf_puts(&args, w.measurements_json);
    put_member(&args, "worker", w.pk_str);
    put_u64(&args, "verified_at", w.verified_at, 1);
    near_buf_puts(&args, "}}");
    need_gas(DAO_CHAIN_KEYS_GAS + 5 * DAO_TGAS, "register_binding");
    p = near_promise_batch_create(c.chain_keys_account_id);
    near_promise_batch_function_call(p, "register_tee_key", args.data, args.len, 0,
                                     DAO_CHAIN_KEYS_GAS, 1);
    near_buf_puts(&ev, "{\"worker\":");
    near_json_write_string(&ev, w.pk_str, near_strlen(w.pk_str));
    put_member(&ev, "account_id", b.account_id);
    put_member(&ev, "chain_keys_account_id", c.chain_keys_account_id);
    near_buf_putc(&ev, '}');
    dao_emit("binding_requested", ev.data, ev.len);
    near_promise_return(p);
}

/* ---- expiry ---- */
NEAR_METHOD(prune_workers)
{
    const near_json *doc = near_args_object((const char *const[]){"limit", NULL});
    const near_json *l = near_json_get(doc, "limit");
    dao_config c;
    uint64_t limit = DAO_PRUNE_DEFAULT;
    size_t n;
    near_buf out = {0};
    near_require_no_deposit();
    dao_config_read(&c);
    if (l != NULL && (l->type != NEAR_JSON_NUMBER || !near_json_u64(l, &limit) || limit == 0 ||
                      limit > DAO_PRUNE_MAX)) {
        near_panic("limit must be an integer from 1 to 100");
    }
    n = dao_remove_workers(NULL, 1, near_block_timestamp(), (size_t)limit, "expired");
    near_buf_puts(&out, "{\"pruned\":");
    near_buf_puts(&out, near_u64_to_str(n));
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

/* ---- views ---- */
NEAR_METHOD(get_worker)
{
    const near_json *doc = near_args_object((const char *const[]){"public_key", NULL});
    const near_json *v = near_json_get(doc, "public_key");
    dao_config c;
    worker w;
    uint8_t key[64], *raw = NULL;
    size_t key_len, raw_len = 0;
    unsigned curve;
    dao_config_read(&c);
    if (v == NULL || v->type != NEAR_JSON_STRING ||
        !near_public_key_parse(&curve, key, &key_len, v->str, v->len) ||
        curve != NEAR_CURVE_ED25519) {
        near_panic("public_key must be an ed25519:<base58 32 bytes> key");
    }
    if (!worker_read(&w, key, &raw, &raw_len)) {
        near_return_str("null");
        return;
    }
    near_return(raw, raw_len);
}

NEAR_METHOD(get_workers)
{
    const near_json *doc = near_args_object((const char *const[]){"from_index", "limit", NULL});
    const near_json *f = near_json_get(doc, "from_index"), *l = near_json_get(doc, "limit");
    dao_config c;
    uint64_t from = 0, limit = DAO_WORKERS_MAX;
    near_buf out = {0};
    dao_config_read(&c);
    if ((f != NULL && !near_json_u64(f, &from)) ||
        (l != NULL && (!near_json_u64(l, &limit) || limit == 0 || limit > DAO_WORKERS_MAX))) {
        near_panic("from_index and limit (1..128) must be unsigned integers");
    }
    near_map_write_json_page(&out, &workers, from, limit);
    near_return(out.data, out.len);
}
