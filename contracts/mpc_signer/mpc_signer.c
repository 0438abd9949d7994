/*
 * mpc_signer contract (DESIGN 2.1, 3): teekeys' local stand-in for NEAR's `v1.signer` MPC
 * contract, with its JSON API for Confidential Key Derivation. An app calls
 * request_app_private_key with ≥ 1 yoctoNEAR and ≥ 15 Tgas; the contract derives app_id
 * (SHA3-256, ms_sha3.c) and the hash point H = hash_to_curve_G1(compress96(pk) || app_id) on
 * chain (near_bls.c), checks a publicly verifiable app key with a pairing, and yields; the MPC
 * nodes poll get_pending_ckd_requests and a participant answers with respond_ckd, which for the
 * PV form checks e(C, G2) == e(Y, pk2) · e(H, pk) before resuming. The yield callback return_ck
 * returns {"big_y","big_c"} to the app, or on timeout removes the request and fails through
 * fail_on_timeout. Keys come from `new` or from a DKG round (ms_dkg.c). Every state change
 * emits a NEP-297 event (standard "teekeys-mpc-signer"). docs/contracts.md has the arguments.
 *
 * Storage: "c" = threshold (1 byte) || participants (NUL-joined); iterable map "k:" d8 =
 * compressed pk (96) || uncompressed pk (192), d8 = domain id (8 bytes BE), index "D"; "x:" d8
 * account = a participant's public share for domain d (96, compressed); "n" = next request id
 * (8 bytes BE); iterable map "r:" id8 = the pending request (JSON, as the view returns it),
 * index "q"; map "rd:" data_id = id8; DKG rounds: ms_dkg.c. Maps: near_map.c.
 */
#include "mpc_signer.h"
#include "ms_internal.h"

#define NEAR_CONTRACT mpc_signer

static const near_map domains = NEAR_ITERABLE_MAP("k:", "D", 8);
static const near_map requests = NEAR_ITERABLE_MAP("r:", "q", 8);
static const near_map data_ids = NEAR_MAP("rd:");

/* ---- storage helpers (ms_internal.h) ---- */
void ms_be8(uint8_t out[8], uint64_t v)
{
    int i;
    for (i = 7; i >= 0; i--, v >>= 8) {
        out[i] = (uint8_t)v;
    }
}

uint64_t ms_read_be8(const uint8_t in[8])
{
    uint64_t v = 0;
    int i;
    for (i = 0; i < 8; i++) {
        v = (v << 8) | in[i];
    }
    return v;
}

near_buf ms_key(const char *prefix, uint64_t id)
{
    near_buf k = {0};
    uint8_t b[8];
    ms_be8(b, id);
    near_buf_puts(&k, prefix);
    near_buf_put(&k, b, 8);
    return k;
}

void ms_emit(const char *event, const near_buf *data)
{
    near_emit_event(MS_STANDARD, MS_VERSION, event, data->data, data->len);
}

void ms_put_ids(near_buf *b, const char *const *ids, size_t n)
{
    size_t i;
    near_buf_putc(b, '[');
    for (i = 0; i < n; i++) {
        if (i > 0) {
            near_buf_putc(b, ',');
        }
        near_json_write_string(b, ids[i], near_strlen(ids[i]));
    }
    near_buf_putc(b, ']');
}

int ms_config_load(ms_config *c)
{
    size_t n;
    uint8_t *v = near_storage_read("c", 1, &n);
    if (v == NULL) {
        return 0;
    }
    if (n < 1) {
        near_panic("corrupt configuration");
    }
    c->threshold = v[0];
    c->n = ms_participants_split(c->ids, v + 1, n - 1);
    return 1;
}

ms_config ms_config_get(void)
{
    ms_config c;
    if (!ms_config_load(&c)) {
        near_panic("the MPC signer is not initialized (call new)");
    }
    return c;
}

void ms_config_store(const ms_config *c)
{
    near_buf b = {0};
    near_buf blob = ms_participants_blob(c->ids, c->n);
    near_buf_putc(&b, (char)c->threshold);
    near_buf_put(&b, blob.data, blob.len);
    near_storage_write("c", 1, b.data, b.len);
}

int ms_is_participant(const ms_config *c, const char *account)
{
    return ms_participant_index(c->ids, c->n, account) >= 0;
}

int ms_domain_load(uint64_t domain_id, uint8_t pkc[NEAR_BLS_P2C], uint8_t pku[NEAR_BLS_P2])
{
    uint8_t d8[8], *v;
    size_t n, i;
    ms_be8(d8, domain_id);
    v = near_map_get(&domains, d8, 8, &n);
    if (v == NULL) {
        return 0;
    }
    if (n != NEAR_BLS_P2C + NEAR_BLS_P2) {
        near_panic("corrupt domain record");
    }
    for (i = 0; i < NEAR_BLS_P2C && pkc != NULL; i++) {
        pkc[i] = v[i];
    }
    for (i = 0; i < NEAR_BLS_P2 && pku != NULL; i++) {
        pku[i] = v[NEAR_BLS_P2C + i];
    }
    return 1;
}

void ms_domain_store(uint64_t domain_id, const uint8_t pkc[NEAR_BLS_P2C],
                     const uint8_t pku[NEAR_BLS_P2])
{
    near_buf v = {0};
    uint8_t d8[8];
    ms_be8(d8, domain_id);
    if (!near_map_has(&domains, d8, 8) && near_map_len(&domains) >= MS_MAX_DOMAINS) {
        near_panic("too many domains");
    }
    near_buf_put(&v, pkc, NEAR_BLS_P2C);
    near_buf_put(&v, pku, NEAR_BLS_P2);
    near_map_set(&domains, d8, 8, v.data, v.len);
}

size_t ms_domain_list(uint64_t *ids)
{
    near_map_iter it;
    const uint8_t *d8;
    size_t n, count = 0;
    near_map_iter_init(&it, &domains, 0);
    while (count < MS_MAX_DOMAINS && near_map_next(&it, &d8, &n, NULL, NULL)) {
        ids[count++] = ms_read_be8(d8);
    }
    return count;
}

void ms_share_store(uint64_t domain_id, const char *account, const uint8_t share[NEAR_BLS_P2C])
{
    near_buf k = ms_key("x:", domain_id);
    near_buf_puts(&k, account);
    near_storage_write(k.data, k.len, share, NEAR_BLS_P2C);
}

/* Loads a domain's key or panics naming the domain. */
static void domain_get(uint64_t domain_id, uint8_t pkc[NEAR_BLS_P2C], uint8_t pku[NEAR_BLS_P2])
{
    if (!ms_domain_load(domain_id, pkc, pku)) {
        near_panic_detail("unknown domain_id (no key): ", near_u64_to_str(domain_id));
    }
}

static const char *const no_args[] = {NULL};

/* ---- init ---- */
NEAR_METHOD(new)
{
    static const char *const allowed[] = {"participants", "threshold", "domains", NULL};
    const near_json *doc = near_args_object(allowed);
    size_t i, j;
    ms_init_args *a = near_alloc(sizeof *a);
    ms_config c;
    near_buf ev = {0};
    near_require_no_deposit();
    if (near_storage_has("c", 1)) {
        near_panic("the MPC signer is already initialized");
    }
    near_require_self_or_parent();
    near_check(ms_parse_init(a, doc));
    c.threshold = a->threshold;
    c.n = a->n;
    for (i = 0; i < a->n; i++) {
        c.ids[i] = a->participants[i].account_id;
    }
    ms_config_store(&c);
    for (j = 0; j < a->domains; j++) {
        uint8_t pku[NEAR_BLS_P2];
        if (!near_bls_g2_load(pku, a->domain[j].pk, 0)) {
            near_panic("public_key is not a valid G2 point (on the curve, in the subgroup, not "
                       "the identity)");
        }
        ms_domain_store(a->domain[j].domain_id, a->domain[j].pk, pku);
        for (i = 0; i < a->n; i++) {
            uint8_t unused[NEAR_BLS_P2];
            if (!a->participants[i].has_share) {
                continue;
            }
            if (j == 0 && !near_bls_g2_load(unused, a->participants[i].share, 0)) {
                near_panic_detail("public_share is not a valid G2 point: ",
                                  a->participants[i].account_id);
            }
            ms_share_store(a->domain[j].domain_id, a->participants[i].account_id,
                           a->participants[i].share);
        }
    }
    near_storage_write("n", 1, "\0\0\0\0\0\0\0\1", 8);
    near_buf_puts(&ev, "{\"participants\":");
    ms_put_ids(&ev, c.ids, c.n);
    near_json_member_u64(&ev, "threshold", c.threshold, 0);
    near_buf_puts(&ev, ",\"domains\":[");
    for (j = 0; j < a->domains; j++) {
        near_buf_puts(&ev, j > 0 ? ",{" : "{");
        near_json_member_u64(&ev, "domain_id", a->domain[j].domain_id, 1);
        near_json_member_str(&ev, "public_key", ms_g2_string(a->domain[j].pk), 0);
        near_buf_putc(&ev, '}');
    }
    near_buf_puts(&ev, "]}");
    ms_emit("init", &ev);
}

/* ---- views: keys and participants ---- */
NEAR_METHOD(public_key)
{
    static const char *const allowed[] = {"domain_id", NULL};
    const near_json *doc = near_args_object(allowed);
    uint64_t domain_id = 0;
    uint8_t pkc[NEAR_BLS_P2C];
    near_buf out = {0};
    (void)ms_config_get();
    if (near_json_get(doc, "domain_id") != NULL) {
        near_check(ms_parse_u64(&domain_id, near_json_get(doc, "domain_id"), "domain_id"));
    }
    domain_get(domain_id, pkc, NULL);
    near_json_write_string(&out, ms_g2_string(pkc), near_strlen(ms_g2_string(pkc)));
    near_return(out.data, out.len);
}

NEAR_METHOD(get_domains)
{
    uint64_t ids[MS_MAX_DOMAINS];
    size_t n, i;
    near_buf out = {0};
    (void)near_args_object(no_args);
    (void)ms_config_get();
    n = ms_domain_list(ids);
    near_buf_putc(&out, '[');
    for (i = 0; i < n; i++) {
        uint8_t pkc[NEAR_BLS_P2C];
        domain_get(ids[i], pkc, NULL);
        near_buf_puts(&out, i > 0 ? ",{" : "{");
        near_json_member_u64(&out, "domain_id", ids[i], 1);
        near_json_member_str(&out, "public_key", ms_g2_string(pkc), 0);
        near_buf_putc(&out, '}');
    }
    near_buf_putc(&out, ']');
    near_return(out.data, out.len);
}

NEAR_METHOD(get_participants)
{
    ms_config c;
    uint64_t ids[MS_MAX_DOMAINS];
    size_t nd, i, j;
    near_buf out = {0};
    (void)near_args_object(no_args);
    c = ms_config_get();
    nd = ms_domain_list(ids);
    near_buf_puts(&out, "{");
    near_json_member_u64(&out, "threshold", c.threshold, 1);
    near_buf_puts(&out, ",\"participants\":[");
    for (i = 0; i < c.n; i++) {
        int first = 1;
        near_buf_puts(&out, i > 0 ? ",{" : "{");
        near_json_member_str(&out, "account_id", c.ids[i], 1);
        near_buf_puts(&out, ",\"public_shares\":{");
        for (j = 0; j < nd; j++) {
            near_buf k = ms_key("x:", ids[j]);
            size_t n;
            uint8_t *v;
            near_buf_puts(&k, c.ids[i]);
            v = near_storage_read(k.data, k.len, &n);
            if (v == NULL || n != NEAR_BLS_P2C) {
                continue;
            }
            near_json_member_str(&out, near_u64_to_str(ids[j]), ms_g2_string(v), first);
            first = 0;
        }
        near_buf_puts(&out, "}}");
    }
    near_buf_puts(&out, "]}");
    near_return(out.data, out.len);
}

/* ---- CKD ---- */

/* e(pk1, G2) == e(G1, pk2), as e(pk1, G2) · e(-G1, pk2) == 1; pk2 uncompressed out */
static void check_pv_app_key(const ms_app_key *key, const uint8_t pk1u[NEAR_BLS_P1],
                             uint8_t pk2u[NEAR_BLS_P2])
{
    uint8_t pairs[2 * NEAR_BLS_PAIR];
    size_t i;
    int rc;
    if (near_bls_p2_decompress(pk2u, key->pk2) != 0 || near_bls_p2_is_identity(pk2u)) {
        near_panic("AppPublicKeyPV.pk2 is not a valid G2 point");
    }
    for (i = 0; i < NEAR_BLS_P1; i++) {
        pairs[i] = pk1u[i];
    }
    for (i = 0; i < NEAR_BLS_P2; i++) {
        pairs[NEAR_BLS_P1 + i] = near_bls_g2_generator[i];
        pairs[NEAR_BLS_PAIR + NEAR_BLS_P1 + i] = pk2u[i];
    }
    near_bls_g1_negate(pairs + NEAR_BLS_PAIR, near_bls_g1_generator);
    rc = near_bls_pairing_check(pairs, 2);
    if (rc == 1) {
        near_panic("AppPublicKeyPV.pk2 is not in the G2 subgroup");
    }
    if (rc != 0) {
        near_panic("AppPublicKeyPV: pk1 and pk2 are not a·G1 and a·G2 for one a (pairing check "
                   "failed)");
    }
}

/* H = hash_to_curve_G1(compress96(pk) || app_id, NEAR's DST) */
static void compute_hash_point(uint8_t out[NEAR_BLS_P1], const uint8_t pkc[NEAR_BLS_P2C],
                               const uint8_t app_id[32])
{
    uint8_t msg[NEAR_BLS_P2C + 32];
    size_t i;
    for (i = 0; i < NEAR_BLS_P2C; i++) {
        msg[i] = pkc[i];
    }
    for (i = 0; i < 32; i++) {
        msg[NEAR_BLS_P2C + i] = app_id[i];
    }
    near_bls_hash_to_g1(out, msg, sizeof msg, MS_DST, sizeof MS_DST - 1);
}

/* e(C, G2) == e(Y, pk2) · e(H, pk), as e(-C, G2) · e(Y, pk2) · e(H, pk) == 1.
 * Returns the host's value: 0 holds, 1 invalid point, 2 does not hold. */
static int check_pv_response(const uint8_t yu[NEAR_BLS_P1], const uint8_t cu[NEAR_BLS_P1],
                             const uint8_t hu[NEAR_BLS_P1], const uint8_t pku[NEAR_BLS_P2],
                             const uint8_t pk2u[NEAR_BLS_P2])
{
    uint8_t pairs[3 * NEAR_BLS_PAIR];
    size_t i;
    near_bls_g1_negate(pairs, cu);
    for (i = 0; i < NEAR_BLS_P1; i++) {
        pairs[NEAR_BLS_PAIR + i] = yu[i];
        pairs[2 * NEAR_BLS_PAIR + i] = hu[i];
    }
    for (i = 0; i < NEAR_BLS_P2; i++) {
        pairs[NEAR_BLS_P1 + i] = near_bls_g2_generator[i];
        pairs[NEAR_BLS_PAIR + NEAR_BLS_P1 + i] = pk2u[i];
        pairs[2 * NEAR_BLS_PAIR + NEAR_BLS_P1 + i] = pku[i];
    }
    return near_bls_pairing_check(pairs, 3);
}

static const char *form_name(ms_key_form f)
{
    return f == MS_KEY_PV ? "AppPublicKeyPV" : f == MS_KEY_TAGGED ? "AppPublicKey" : "plain";
}

/* a stored request record, parsed (NULL when `id` is not pending) */
static const near_json *request_load(uint64_t id)
{
    uint8_t id8[8], *v;
    size_t n;
    ms_be8(id8, id);
    v = near_map_get(&requests, id8, 8, &n);
    return v != NULL ? near_stored_json(v, n) : NULL;
}

static const char *rec_str(const near_json *rec, const char *name)
{
    const char *s = near_stored_str(rec, name);
    if (s == NULL) {
        near_panic("corrupt request record");
    }
    return s;
}

/* Removes request `id` and its data_id index; returns 0 when it was not pending. */
static int request_remove(uint64_t id)
{
    const near_json *doc = request_load(id);
    const char *hex;
    uint8_t data_id[32], id8[8];
    if (doc == NULL) {
        return 0;
    }
    hex = rec_str(doc, "data_id");
    if (!near_unhex(data_id, 32, hex, near_strlen(hex), 0)) {
        near_panic("corrupt request record");
    }
    ms_be8(id8, id);
    near_map_remove(&data_ids, data_id, 32);
    near_map_remove(&requests, id8, 8);
    return 1;
}

NEAR_METHOD(request_app_private_key)
{
    static const char *const allowed[] = {"request", NULL};
    const near_json *doc = near_args_object(allowed);
    ms_request_args a;
    uint8_t pkc[NEAR_BLS_P2C], pk1u[NEAR_BLS_P1], pk2u[NEAR_BLS_P2], app_id[32], hu[NEAR_BLS_P1];
    uint8_t hc[NEAR_BLS_P1C], data_id[32], idb[8];
    const char *pred;
    uint64_t id;
    size_t n;
    uint8_t *next;
    near_buf yargs = {0}, rec = {0}, ev = {0};
    near_promise p;
    (void)ms_config_get();
    if (near_attached_deposit() < 1) {
        near_panic("request_app_private_key needs an attached deposit of at least 1 yoctoNEAR");
    }
    if (near_prepaid_gas() < MS_MIN_GAS) {
        near_panic("request_app_private_key needs at least 15 Tgas of prepaid gas");
    }
    near_check(ms_parse_request(&a, doc));
    domain_get(a.domain_id, pkc, NULL);
    if (!near_bls_g1_load(pk1u, a.key.pk1, 0)) {
        near_panic(a.key.form == MS_KEY_PV ? "AppPublicKeyPV.pk1 is not a valid G1 point (on the "
                                             "curve, in the subgroup, not the identity)"
                                           : "app_public_key is not a valid G1 point (on the "
                                             "curve, in the subgroup, not the identity)");
    }
    if (a.key.form == MS_KEY_PV) {
        check_pv_app_key(&a.key, pk1u, pk2u);
    }
    if (near_map_len(&requests) >= MS_PENDING_MAX) {
        near_panic("too many pending CKD requests; try again later");
    }
    pred = near_predecessor_account_id();
    ms_app_id(app_id, pred, near_strlen(pred), a.path, a.path_len);
    compute_hash_point(hu, pkc, app_id);
    near_bls_g1_compress(hc, hu);

    next = near_storage_read("n", 1, &n);
    if (next == NULL || n != 8) {
        near_panic("corrupt request counter");
    }
    id = ms_read_be8(next);
    ms_be8(idb, id + 1);
    near_storage_write("n", 1, idb, 8);

    near_buf_putc(&yargs, '{');
    near_json_member_u64(&yargs, "request_id", id, 1);
    near_buf_putc(&yargs, '}');
    p = near_promise_yield_create("return_ck", yargs.data, yargs.len, MS_CALLBACK_GAS, 1, data_id);

    near_buf_putc(&rec, '{');
    near_json_member_u64(&rec, "id", id, 1);
    near_json_member_str(&rec, "data_id", near_hex(data_id, 32), 0);
    near_json_member_u64(&rec, "domain_id", a.domain_id, 0);
    near_json_member_str(&rec, "requester", pred, 0);
    near_buf_puts(&rec, ",\"derivation_path\":");
    near_json_write_string(&rec, a.path, a.path_len);
    near_json_member_str(&rec, "app_id", near_hex(app_id, 32), 0);
    near_buf_puts(&rec, ",\"app_public_key\":");
    near_buf_puts(&rec, a.key.json);
    near_json_member_str(&rec, "form", form_name(a.key.form), 0);
    near_json_member_str(&rec, "app_pk1", ms_g1_string(a.key.pk1), 0);
    near_json_member_str(&rec, "app_pk2", a.key.form == MS_KEY_PV ? ms_g2_string(a.key.pk2) : NULL,
                         0);
    near_json_member_str(&rec, "hash_point", ms_g1_string(hc), 0);
    near_json_member_u64(&rec, "block_height", near_block_index(), 0);
    near_buf_putc(&rec, '}');
    ms_be8(idb, id);
    near_map_set(&requests, idb, 8, rec.data, rec.len);
    near_map_set(&data_ids, data_id, 32, idb, 8);

    near_buf_putc(&ev, '{');
    near_json_member_u64(&ev, "request_id", id, 1);
    near_json_member_str(&ev, "requester", pred, 0);
    near_json_member_u64(&ev, "domain_id", a.domain_id, 0);
    near_json_member_str(&ev, "app_id", near_hex(app_id, 32), 0);
    near_json_member_str(&ev, "form", form_name(a.key.form), 0);
    near_json_member_str(&ev, "data_id", near_hex(data_id, 32), 0);
    near_buf_putc(&ev, '}');
    ms_emit("ckd_request", &ev);
    near_promise_return(p);
}

static void load_response_points(uint8_t yu[NEAR_BLS_P1], uint8_t cu[NEAR_BLS_P1],
                                 const uint8_t y[NEAR_BLS_P1C], const uint8_t c[NEAR_BLS_P1C])
{
    if (!near_bls_g1_load(yu, y, 0)) {
        near_panic("big_y is not a valid G1 point (on the curve, in the subgroup, not the "
                   "identity)");
    }
    if (!near_bls_g1_load(cu, c, 0)) {
        near_panic("big_c is not a valid G1 point (on the curve, in the subgroup, not the "
                   "identity)");
    }
}

NEAR_METHOD(respond_ckd)
{
    static const char *const allowed[] = {"request_id", "data_id", "response", NULL};
    const near_json *doc = near_args_object(allowed), *rec;
    ms_respond_args a;
    ms_config c = ms_config_get();
    const char *pred = near_predecessor_account_id(), *pk2s;
    uint8_t yu[NEAR_BLS_P1], cu[NEAR_BLS_P1], data_id[32];
    uint64_t domain_id;
    near_buf payload = {0}, ev = {0};
    near_require_no_deposit();
    if (!ms_is_participant(&c, pred)) {
        near_panic("respond_ckd may be called only by a participant of the MPC network");
    }
    near_check(ms_parse_respond(&a, doc));
    if (a.by_data_id) {
        size_t n;
        uint8_t *v = near_map_get(&data_ids, a.data_id, 32, &n);
        if (v == NULL || n != 8) {
            near_panic("no pending CKD request has this data_id");
        }
        a.request_id = ms_read_be8(v);
    }
    rec = request_load(a.request_id);
    if (rec == NULL) {
        near_panic_detail("no pending CKD request with id ", near_u64_to_str(a.request_id));
    }
    if (!near_unhex(data_id, 32, rec_str(rec, "data_id"), near_strlen(rec_str(rec, "data_id")),
                    0) ||
        !near_json_u64(near_json_get(rec, "domain_id"), &domain_id)) {
        near_panic("corrupt request record");
    }
    load_response_points(yu, cu, a.big_y, a.big_c);
    pk2s = near_json_string(near_json_get(rec, "app_pk2"));
    if (pk2s != NULL) {
        uint8_t pku[NEAR_BLS_P2], pk2c[NEAR_BLS_P2C], pk2u[NEAR_BLS_P2], hc[NEAR_BLS_P1C];
        uint8_t hu[NEAR_BLS_P1];
        const char *hs = rec_str(rec, "hash_point");
        domain_get(domain_id, NULL, pku);
        if (!near_unbase58(pk2c, NEAR_BLS_P2C, pk2s + 11, near_strlen(pk2s) - 11) ||
            !near_unbase58(hc, NEAR_BLS_P1C, hs + 11, near_strlen(hs) - 11) ||
            near_bls_p2_decompress(pk2u, pk2c) != 0 || near_bls_p1_decompress(hu, hc) != 0) {
            near_panic("corrupt request record");
        }
        if (check_pv_response(yu, cu, hu, pku, pk2u) != 0) {
            near_panic("wrong CKD response: e(big_c, G2) != e(big_y, pk2) · e(H, pk); the request "
                       "stays pending");
        }
    }
    near_buf_putc(&payload, '{');
    near_json_member_str(&payload, "big_y", ms_g1_string(a.big_y), 1);
    near_json_member_str(&payload, "big_c", ms_g1_string(a.big_c), 0);
    near_buf_putc(&payload, '}');
    (void)request_remove(a.request_id);
    if (!near_promise_yield_resume(data_id, payload.data, payload.len)) {
        near_panic("the request's yield no longer waits (it timed out)");
    }
    near_buf_putc(&ev, '{');
    near_json_member_u64(&ev, "request_id", a.request_id, 1);
    near_json_member_str(&ev, "responder", pred, 0);
    near_json_member_u64(&ev, "domain_id", domain_id, 0);
    near_json_member_str(&ev, "big_y", ms_g1_string(a.big_y), 0);
    near_json_member_str(&ev, "big_c", ms_g1_string(a.big_c), 0);
    near_buf_putc(&ev, '}');
    ms_emit("ckd_response", &ev);
}

/* yield callbacks and the timeout failure: only the contract itself calls them */
static uint64_t private_request_id(const char *method)
{
    static const char *const allowed[] = {"request_id", NULL};
    const near_json *doc = near_args_object(allowed);
    uint64_t id;
    if (!near_streq(near_predecessor_account_id(), near_current_account_id())) {
        near_panic_detail(method, " is private to the contract");
    }
    near_check(ms_parse_u64(&id, near_json_get(doc, "request_id"), "request_id"));
    return id;
}

NEAR_METHOD(return_ck)
{
    uint64_t id = private_request_id("return_ck");
    uint8_t *value;
    size_t len;
    near_buf args = {0}, ev = {0};
    if (near_promise_results_count() != 1) {
        near_panic("return_ck expects one promise result");
    }
    if (near_promise_result(0, &value, &len) == NEAR_PROMISE_SUCCESS) {
        near_return(value, len);
        return;
    }
    /* the yield timed out: forget the request, then fail the app's receipt */
    (void)request_remove(id);
    near_buf_putc(&ev, '{');
    near_json_member_u64(&ev, "request_id", id, 1);
    near_buf_putc(&ev, '}');
    ms_emit("ckd_timeout", &ev);
    near_buf_putc(&args, '{');
    near_json_member_u64(&args, "request_id", id, 1);
    near_buf_putc(&args, '}');
    near_promise_return(near_promise_create(near_current_account_id(), "fail_on_timeout", args.data,
                                            args.len, 0, MS_TIMEOUT_GAS));
}

NEAR_METHOD(fail_on_timeout)
{
    uint64_t id = private_request_id("fail_on_timeout");
    near_panic_detail("CKD request timed out: the MPC network did not answer in time; request id ",
                      near_u64_to_str(id));
}

NEAR_METHOD(get_pending_ckd_requests)
{
    static const char *const allowed[] = {"domain_id", NULL};
    const near_json *doc = near_args_object(allowed);
    uint64_t domain_id = 0;
    int filter = near_json_get(doc, "domain_id") != NULL;
    near_map_iter it;
    near_buf out = {0};
    uint8_t *v;
    size_t n, count = 0;
    (void)ms_config_get();
    if (filter) {
        near_check(ms_parse_u64(&domain_id, near_json_get(doc, "domain_id"), "domain_id"));
    }
    near_map_iter_init(&it, &requests, 0);
    near_buf_putc(&out, '[');
    while (near_map_next(&it, NULL, NULL, &v, &n)) {
        if (filter) {
            uint64_t d;
            if (!near_json_u64(near_json_get(near_stored_json(v, n), "domain_id"), &d)) {
                near_panic("corrupt request record");
            }
            if (d != domain_id) {
                continue;
            }
        }
        if (count++ > 0) {
            near_buf_putc(&out, ',');
        }
        near_buf_put(&out, v, n);
    }
    near_buf_putc(&out, ']');
    near_return(out.data, out.len);
}

/* ---- views for the nodes: H and the PV check on given data ---- */
static const char *parse_app_id(uint8_t app_id[32], const near_json *v)
{
    const char *s = near_json_string(v);
    if (v == NULL) {
        return "missing argument: app_id";
    }
    if (s == NULL || !near_unhex(app_id, 32, s, v->len, 0)) {
        return "app_id must be 64 lowercase hex digits";
    }
    return NULL;
}

NEAR_METHOD(hash_point)
{
    static const char *const allowed[] = {"domain_id", "app_id", NULL};
    const near_json *doc = near_args_object(allowed);
    uint64_t domain_id;
    uint8_t pkc[NEAR_BLS_P2C], app_id[32], hu[NEAR_BLS_P1], hc[NEAR_BLS_P1C];
    near_buf out = {0};
    (void)ms_config_get();
    near_check(ms_parse_u64(&domain_id, near_json_get(doc, "domain_id"), "domain_id"));
    near_check(parse_app_id(app_id, near_json_get(doc, "app_id")));
    domain_get(domain_id, pkc, NULL);
    compute_hash_point(hu, pkc, app_id);
    near_bls_g1_compress(hc, hu);
    near_json_write_string(&out, ms_g1_string(hc), near_strlen(ms_g1_string(hc)));
    near_return(out.data, out.len);
}

NEAR_METHOD(check_ckd_response)
{
    static const char *const allowed[] = {"domain_id", "app_id", "app_public_key", "response",
                                          NULL};
    static const char *const resp[] = {"big_y", "big_c", NULL};
    const near_json *doc = near_args_object(allowed), *r = near_json_get(doc, "response");
    uint64_t domain_id;
    ms_app_key key;
    uint8_t pkc[NEAR_BLS_P2C], pku[NEAR_BLS_P2], app_id[32], hu[NEAR_BLS_P1], pk1u[NEAR_BLS_P1];
    uint8_t pk2u[NEAR_BLS_P2], y[NEAR_BLS_P1C], cc[NEAR_BLS_P1C], yu[NEAR_BLS_P1], cu[NEAR_BLS_P1];
    (void)ms_config_get();
    near_check(ms_parse_u64(&domain_id, near_json_get(doc, "domain_id"), "domain_id"));
    near_check(parse_app_id(app_id, near_json_get(doc, "app_id")));
    near_check(ms_parse_app_key(&key, near_json_get(doc, "app_public_key")));
    if (key.form != MS_KEY_PV) {
        near_panic("only an AppPublicKeyPV answer can be checked");
    }
    if (r == NULL || r->type != NEAR_JSON_OBJECT) {
        near_panic("response must be an object {big_y, big_c}");
    }
    if (near_json_unknown_key(r, resp) != NULL) {
        near_panic_detail("unknown argument: ", near_json_unknown_key(r, resp));
    }
    near_check(ms_parse_g1(y, near_json_get(r, "big_y"), "big_y"));
    near_check(ms_parse_g1(cc, near_json_get(r, "big_c"), "big_c"));
    domain_get(domain_id, pkc, pku);
    if (!near_bls_g1_load(pk1u, key.pk1, 0)) {
        near_panic("AppPublicKeyPV.pk1 is not a valid G1 point");
    }
    check_pv_app_key(&key, pk1u, pk2u);
    load_response_points(yu, cu, y, cc);
    compute_hash_point(hu, pkc, app_id);
    near_return_str(check_pv_response(yu, cu, hu, pku, pk2u) == 0 ? "true" : "false");
}

#ifdef NEAR_NATIVE
extern const near_method mpc_signer_methods[];
#define M(name)                                                                                    \
    {                                                                                              \
#name, contract_mpc_signer_##name                                                          \
    }
const near_method mpc_signer_methods[] = {M(new),
                                          M(public_key),
                                          M(get_domains),
                                          M(get_participants),
                                          M(request_app_private_key),
                                          M(respond_ckd),
                                          M(return_ck),
                                          M(fail_on_timeout),
                                          M(get_pending_ckd_requests),
                                          M(hash_point),
                                          M(check_ckd_response),
                                          M(start_dkg),
                                          M(submit_dkg_commitment),
                                          M(complain),
                                          M(answer_complaint),
                                          M(finalize_dkg),
                                          M(get_dkg),
                                          {0, 0}};
#endif
