/*
 * DAO contract (DESIGN 3 and 2.3), part one: initialisation, configuration, members, the vote
 * threshold, proposals and votes, approved measurement sets and code upgrades. Workers (their
 * registration through the verifier contract, request_key, register_binding, expiry) are in
 * dao_workers.c; argument parsers in dao_args.c. The DAO account holds no full-access key: its
 * code changes only through an approved `upgrade` proposal and `deploy_upgrade`. Every state
 * change emits a NEP-297 event (standard "teekeys-dao"). Arguments and results:
 * docs/contracts.md.
 *
 * Storage: "c" = configuration (JSON); "m" = members (JSON array); "P" u64be = proposal (JSON);
 * iterable map "M" id = approved measurement set (JSON), id = SHA-256 of MRTD || RTMR0..3, its
 * index "ml" (the ids, 32 bytes each); iterable map "W" pk = worker record (JSON), index "wl";
 * set "S" pk = a worker key ever registered (never removed). Maps: near_map.c.
 */
#include "dao.h"

#define NEAR_CONTRACT dao

const near_map dao_measurement_sets = NEAR_ITERABLE_MAP("M", "ml", 32);
static const near_map proposals = NEAR_MAP("P");

/* ---- small helpers shared with dao_workers.c ---- */

void dao_emit(const char *event, const char *data, size_t len)
{
    near_emit_event(DAO_STANDARD, DAO_VERSION, event, data, len);
}

static void put_str(near_buf *b, const char *s)
{
    near_json_write_string(b, s, near_strlen(s));
}

static void put_raw(near_buf *b, const char *name, const char *raw)
{
    near_json_member_raw(b, name, raw, 0);
}

static const char *const no_args[] = {NULL};

/* ---- configuration ---- */
void dao_config_read(dao_config *c)
{
    size_t n;
    uint8_t *v = near_storage_read("c", 1, &n);
    const near_json *doc, *d;
    const char *pending;
    if (v == NULL) {
        near_panic("the DAO is not initialized (call new)");
    }
    doc = near_stored_json(v, n);
    c->threshold = near_stored_u64(doc, "threshold");
    c->mpc_account_id = near_stored_str(doc, "mpc_account_id");
    c->domain_id = near_stored_u64(doc, "domain_id");
    c->chain_keys_account_id = near_stored_str(doc, "chain_keys_account_id");
    c->verifier_account_id = near_stored_str(doc, "verifier_account_id");
    d = near_json_get(doc, "dev_mode");
    c->dev_mode = d != NULL && d->type == NEAR_JSON_BOOL && d->boolean;
    c->dev_root_hex = near_stored_str(doc, "dev_root");
    c->worker_ttl_ns = near_stored_u64(doc, "worker_ttl_ns");
    c->block_window = near_stored_u64(doc, "block_window");
    c->next_proposal_id = near_stored_u64(doc, "next_proposal_id");
    pending = near_stored_str(doc, "pending_upgrade");
    c->has_pending_upgrade = pending != NULL;
    if (c->mpc_account_id == NULL || c->chain_keys_account_id == NULL ||
        c->verifier_account_id == NULL || (c->dev_mode && c->dev_root_hex == NULL) ||
        (pending != NULL &&
         !near_unhex(c->pending_upgrade, 32, pending, near_strlen(pending), 0))) {
        near_panic("corrupt stored configuration");
    }
}

void dao_config_write(const dao_config *c)
{
    near_buf b = {0};
    near_buf_puts(&b, "{\"threshold\":");
    near_buf_puts(&b, near_u64_to_str(c->threshold));
    near_json_member_str(&b, "mpc_account_id", c->mpc_account_id, 0);
    put_raw(&b, "domain_id", near_u64_to_str(c->domain_id));
    near_json_member_str(&b, "chain_keys_account_id", c->chain_keys_account_id, 0);
    near_json_member_str(&b, "verifier_account_id", c->verifier_account_id, 0);
    put_raw(&b, "dev_mode", c->dev_mode ? "true" : "false");
    near_json_member_str(&b, "dev_root", c->dev_mode ? c->dev_root_hex : NULL, 0);
    put_raw(&b, "worker_ttl_ns", near_u64_to_str(c->worker_ttl_ns));
    put_raw(&b, "block_window", near_u64_to_str(c->block_window));
    put_raw(&b, "next_proposal_id", near_u64_to_str(c->next_proposal_id));
    near_json_member_str(&b, "pending_upgrade",
                         c->has_pending_upgrade ? near_hex(c->pending_upgrade, 32) : NULL, 0);
    near_buf_putc(&b, '}');
    near_storage_write("c", 1, b.data, b.len);
}

/* ---- members ---- */
typedef struct {
    const char *ids[DAO_MEMBERS_MAX + 1];
    size_t n;
} member_list;

static void members_read(member_list *l)
{
    size_t n;
    uint8_t *v = near_storage_read("m", 1, &n);
    const near_json *doc, *e;
    l->n = 0;
    if (v == NULL) {
        near_panic("the DAO is not initialized (call new)");
    }
    doc = near_stored_json(v, n);
    for (e = doc->child; e != NULL && l->n < DAO_MEMBERS_MAX; e = e->next) {
        l->ids[l->n++] = e->str;
    }
}

static void members_write(const member_list *l)
{
    near_buf b = {0};
    size_t i;
    near_buf_putc(&b, '[');
    for (i = 0; i < l->n; i++) {
        if (i) {
            near_buf_putc(&b, ',');
        }
        put_str(&b, l->ids[i]);
    }
    near_buf_putc(&b, ']');
    near_storage_write("m", 1, b.data, b.len);
}

static int member_index(const member_list *l, const char *id)
{
    size_t i;
    for (i = 0; i < l->n; i++) {
        if (near_streq(l->ids[i], id)) {
            return (int)i;
        }
    }
    return -1;
}

/* ---- measurement sets ---- */
static uint8_t *measurement_read(const uint8_t id[32], size_t *n)
{
    return near_map_get(&dao_measurement_sets, id, 32, n);
}

/* ---- proposals ---- */
typedef struct {
    uint64_t id;
    const char *proposer;
    const char *proposal; /* canonical JSON */
    const char *status;   /* open, approved, rejected, failed */
    const char *approvals[DAO_MEMBERS_MAX + 1], *rejections[DAO_MEMBERS_MAX + 1];
    size_t n_app, n_rej;
    uint64_t created_at;
    const char *result; /* NULL, or why an approved proposal could not be applied */
} proposal;

static const uint8_t *proposal_key(uint64_t id) /* 8 bytes, big-endian */
{
    uint8_t *k = near_alloc(8);
    int i;
    for (i = 7; i >= 0; i--, id >>= 8) {
        k[i] = (uint8_t)id;
    }
    return k;
}

static void put_list(near_buf *b, const char *name, const char *const *ids, size_t n)
{
    size_t i;
    near_buf_puts(b, ",\"");
    near_buf_puts(b, name);
    near_buf_puts(b, "\":[");
    for (i = 0; i < n; i++) {
        if (i) {
            near_buf_putc(b, ',');
        }
        put_str(b, ids[i]);
    }
    near_buf_putc(b, ']');
}

static near_buf proposal_json(const proposal *p)
{
    near_buf b = {0};
    near_buf_puts(&b, "{\"id\":");
    near_buf_puts(&b, near_u64_to_str(p->id));
    near_json_member_str(&b, "proposer", p->proposer, 0);
    put_raw(&b, "proposal", p->proposal);
    near_json_member_str(&b, "status", p->status, 0);
    put_list(&b, "approvals", p->approvals, p->n_app);
    put_list(&b, "rejections", p->rejections, p->n_rej);
    near_buf_puts(&b, ",\"created_at\":");
    near_json_write_u128(&b, p->created_at);
    near_json_member_str(&b, "result", p->result, 0);
    near_buf_putc(&b, '}');
    return b;
}

static int proposal_read(proposal *p, uint64_t id)
{
    size_t n;
    uint8_t *v = near_map_get(&proposals, proposal_key(id), 8, &n);
    const near_json *doc, *e;
    near_buf pj = {0};
    if (v == NULL) {
        return 0;
    }
    doc = near_stored_json(v, n);
    p->id = id;
    p->proposer = near_stored_str(doc, "proposer");
    near_json_write(&pj, near_json_get(doc, "proposal"));
    p->proposal = pj.data;
    p->status = near_stored_str(doc, "status");
    p->n_app = p->n_rej = 0;
    for (e = near_json_get(doc, "approvals")->child; e != NULL && p->n_app < DAO_MEMBERS_MAX;
         e = e->next) {
        p->approvals[p->n_app++] = e->str;
    }
    for (e = near_json_get(doc, "rejections")->child; e != NULL && p->n_rej < DAO_MEMBERS_MAX;
         e = e->next) {
        p->rejections[p->n_rej++] = e->str;
    }
    p->created_at = near_stored_u64(doc, "created_at");
    p->result = near_stored_str(doc, "result");
    return 1;
}

static void proposal_write(const proposal *p)
{
    near_buf v = proposal_json(p);
    near_map_set(&proposals, proposal_key(p->id), 8, v.data, v.len);
}

/* Whether the proposal can be applied to the current state; NULL when it can. */
static const char *proposal_check(const dao_proposal_args *a, const dao_config *c,
                                  const member_list *m)
{
    uint8_t id[32];
    size_t n;
    switch (a->kind) {
    case DAO_ADD_MEASUREMENT:
        dao_measurement_id(id, &a->m);
        if (measurement_read(id, &n) != NULL) {
            return "this measurement set is already approved (remove it first to change its mode "
                   "or owner)";
        }
        return near_map_len(&dao_measurement_sets) >= DAO_MEASUREMENTS_MAX
                   ? "too many approved measurement sets"
                   : NULL;
    case DAO_REMOVE_MEASUREMENT:
        dao_measurement_id(id, &a->m);
        return measurement_read(id, &n) == NULL ? "this measurement set is not approved" : NULL;
    case DAO_ADD_MEMBER:
        if (member_index(m, a->member_id) >= 0) {
            return "already a member";
        }
        return m->n >= DAO_MEMBERS_MAX ? "the DAO already has 64 members" : NULL;
    case DAO_REMOVE_MEMBER:
        if (member_index(m, a->member_id) < 0) {
            return "not a member";
        }
        return m->n - 1 < c->threshold
                   ? "removing this member would leave fewer members than the threshold"
                   : NULL;
    case DAO_SET_THRESHOLD:
        return a->threshold > m->n ? "the threshold exceeds the number of members" : NULL;
    case DAO_UPGRADE:
        return NULL;
    }
    return "unknown proposal kind";
}

/* Applies an approved proposal (already checked) and emits its event. */
static void proposal_apply(const dao_proposal_args *a, dao_config *c, member_list *m,
                           uint64_t proposal_id)
{
    uint8_t id[32];
    near_buf ev = {0}, rec = {0};
    size_t i;
    int idx;
    switch (a->kind) {
    case DAO_ADD_MEASUREMENT:
    case DAO_REMOVE_MEASUREMENT:
        dao_measurement_id(id, &a->m);
        near_buf_puts(&rec, "{\"id\":\"");
        near_buf_puts(&rec, near_hex(id, 32));
        near_buf_puts(&rec, "\",\"measurements\":");
        dao_write_measurements(&rec, &a->m);
        if (a->kind == DAO_ADD_MEASUREMENT) {
            near_json_member_str(&rec, "mode", dao_mode_name(a->mode), 0);
            near_json_member_str(&rec, "owner", a->owner, 0);
            near_json_member_str(&rec, "note", a->note, 0);
            put_raw(&rec, "proposal_id", near_u64_to_str(proposal_id));
            near_buf_puts(&rec, ",\"approved_at\":");
            near_json_write_u128(&rec, near_block_timestamp());
            near_buf_putc(&rec, '}');
            near_map_set(&dao_measurement_sets, id, 32, rec.data, rec.len);
            dao_emit("measurement_added", rec.data, rec.len);
        } else {
            size_t removed;
            near_map_remove(&dao_measurement_sets, id, 32);
            put_raw(&rec, "proposal_id", near_u64_to_str(proposal_id));
            near_buf_putc(&rec, '}');
            dao_emit("measurement_removed", rec.data, rec.len);
            removed = dao_remove_workers(id, 0, 0, DAO_WORKERS_MAX, "revoked");
            (void)removed;
        }
        return;
    case DAO_ADD_MEMBER:
        m->ids[m->n++] = a->member_id;
        members_write(m);
        near_buf_putc(&ev, '{');
        near_json_member_str(&ev, "member_id", a->member_id, 1);
        break;
    case DAO_REMOVE_MEMBER:
        idx = member_index(m, a->member_id);
        for (i = (size_t)idx; i + 1 < m->n; i++) {
            m->ids[i] = m->ids[i + 1];
        }
        m->n--;
        members_write(m);
        near_buf_putc(&ev, '{');
        near_json_member_str(&ev, "member_id", a->member_id, 1);
        break;
    case DAO_SET_THRESHOLD:
        c->threshold = a->threshold;
        dao_config_write(c);
        near_buf_puts(&ev, "{\"threshold\":");
        near_buf_puts(&ev, near_u64_to_str(a->threshold));
        break;
    case DAO_UPGRADE:
        if (a->mpc_account_id != NULL) {
            c->mpc_account_id = a->mpc_account_id;
        }
        if (a->has_domain_id) {
            c->domain_id = a->domain_id;
        }
        if (a->has_code_hash) {
            c->has_pending_upgrade = 1;
            for (i = 0; i < 32; i++) {
                c->pending_upgrade[i] = a->code_hash[i];
            }
        }
        dao_config_write(c);
        near_buf_putc(&ev, '{');
        near_json_member_str(&ev, "code_hash",
                             a->has_code_hash ? near_base58(a->code_hash, 32) : NULL, 1);
        near_json_member_str(&ev, "mpc_account_id", c->mpc_account_id, 0);
        put_raw(&ev, "domain_id", near_u64_to_str(c->domain_id));
        break;
    }
    put_raw(&ev, "proposal_id", near_u64_to_str(proposal_id));
    near_buf_putc(&ev, '}');
    dao_emit(a->kind == DAO_ADD_MEMBER      ? "member_added"
             : a->kind == DAO_REMOVE_MEMBER ? "member_removed"
             : a->kind == DAO_SET_THRESHOLD ? "threshold_set"
                                            : "upgrade_approved",
             ev.data, ev.len);
}

/* ---- init ---- */
NEAR_METHOD(new)
{
    const near_json *doc = near_args_object(dao_init_members);
    size_t i;
    dao_init_args a;
    dao_config c;
    member_list m;
    near_buf ev = {0};
    near_require_no_deposit();
    if (near_storage_has("c", 1)) {
        near_panic("the DAO is already initialized");
    }
    near_require_self_or_parent();
    near_check(dao_parse_init(&a, doc));
    c.threshold = a.threshold;
    c.mpc_account_id = a.mpc_account_id;
    c.domain_id = a.domain_id;
    c.chain_keys_account_id = a.chain_keys_account_id;
    c.verifier_account_id = a.verifier_account_id;
    c.dev_mode = a.dev_mode;
    c.dev_root_hex = a.dev_mode ? near_hex(a.dev_root, a.dev_root_len) : NULL;
    c.worker_ttl_ns = a.worker_ttl_ns;
    c.block_window = a.block_window;
    c.next_proposal_id = 0;
    c.has_pending_upgrade = 0;
    dao_config_write(&c);
    m.n = a.n_members;
    for (i = 0; i < a.n_members; i++) {
        m.ids[i] = a.members[i];
    }
    members_write(&m);
    near_buf_putc(&ev, '{');
    near_buf_puts(&ev, "\"members\":");
    {
        size_t n;
        uint8_t *v = near_storage_read("m", 1, &n);
        near_buf_put(&ev, v, n);
    }
    put_raw(&ev, "threshold", near_u64_to_str(c.threshold));
    near_json_member_str(&ev, "mpc_account_id", c.mpc_account_id, 0);
    put_raw(&ev, "domain_id", near_u64_to_str(c.domain_id));
    near_json_member_str(&ev, "chain_keys_account_id", c.chain_keys_account_id, 0);
    near_json_member_str(&ev, "verifier_account_id", c.verifier_account_id, 0);
    put_raw(&ev, "dev_mode", c.dev_mode ? "true" : "false");
    near_buf_putc(&ev, '}');
    dao_emit("init", ev.data, ev.len);
}

/* ---- views: configuration, members ---- */
NEAR_METHOD(get_config)
{
    dao_config c;
    near_buf out = {0};
    (void)near_args_object(no_args);
    dao_config_read(&c);
    near_buf_puts(&out, "{\"threshold\":");
    near_buf_puts(&out, near_u64_to_str(c.threshold));
    near_json_member_str(&out, "mpc_account_id", c.mpc_account_id, 0);
    put_raw(&out, "domain_id", near_u64_to_str(c.domain_id));
    near_json_member_str(&out, "chain_keys_account_id", c.chain_keys_account_id, 0);
    near_json_member_str(&out, "verifier_account_id", c.verifier_account_id, 0);
    put_raw(&out, "dev_mode", c.dev_mode ? "true" : "false");
    if (c.dev_mode) {
        size_t hl = near_strlen(c.dev_root_hex);
        uint8_t *der = near_alloc(hl / 2 + 1), h[32];
        if (!near_unhex(der, hl / 2, c.dev_root_hex, hl, 0)) {
            near_panic("corrupt stored configuration");
        }
        near_sha256(h, der, hl / 2);
        near_json_member_str(&out, "dev_root_sha256", near_hex(h, 32), 0);
    } else {
        put_raw(&out, "dev_root_sha256", "null");
    }
    near_buf_puts(&out, ",\"worker_ttl_ns\":");
    near_json_write_u128(&out, c.worker_ttl_ns);
    put_raw(&out, "block_window", near_u64_to_str(c.block_window));
    near_buf_puts(&out, ",\"worker_deposit\":");
    near_json_write_u128(&out, DAO_WORKER_DEPOSIT);
    near_buf_puts(&out, ",\"worker_allowance\":");
    near_json_write_u128(&out, DAO_WORKER_ALLOWANCE);
    near_json_member_str(&out, "pending_upgrade_code_hash",
                         c.has_pending_upgrade ? near_base58(c.pending_upgrade, 32) : NULL, 0);
    put_raw(&out, "next_proposal_id", near_u64_to_str(c.next_proposal_id));
    near_json_member_str(&out, "version", DAO_VERSION, 0);
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

NEAR_METHOD(get_members)
{
    dao_config c;
    near_buf out = {0};
    size_t n;
    uint8_t *v;
    (void)near_args_object(no_args);
    dao_config_read(&c);
    v = near_storage_read("m", 1, &n);
    near_buf_puts(&out, "{\"members\":");
    near_buf_put(&out, v, n);
    put_raw(&out, "threshold", near_u64_to_str(c.threshold));
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

/* ---- proposals and votes ---- */
static const char *require_member(const member_list *m)
{
    const char *pred = near_predecessor_account_id();
    if (member_index(m, pred) < 0) {
        near_panic_detail("only DAO members may do this; not a member: ", pred);
    }
    return pred;
}

NEAR_METHOD(propose)
{
    static const char *const all[] = {"kind",           "measurements", "mode",      "owner",
                                      "note",           "member_id",    "threshold", "code_hash",
                                      "mpc_account_id", "domain_id",    NULL};
    const near_json *doc = near_args_object(all);
    dao_config c;
    member_list m;
    dao_proposal_args a;
    proposal p;
    near_buf out;
    near_require_no_deposit();
    dao_config_read(&c);
    members_read(&m);
    p.proposer = require_member(&m);
    near_check(dao_parse_proposal(&a, doc));
    near_check(proposal_check(&a, &c, &m));
    p.id = c.next_proposal_id++;
    p.proposal = a.json;
    p.status = "open";
    p.n_app = p.n_rej = 0;
    p.created_at = near_block_timestamp();
    p.result = NULL;
    proposal_write(&p);
    dao_config_write(&c);
    out = proposal_json(&p);
    dao_emit("proposal_created", out.data, out.len);
    near_return(out.data, out.len);
}

NEAR_METHOD(vote)
{
    const near_json *doc = near_args_object((const char *const[]){"proposal_id", "approve", NULL});
    dao_config c;
    member_list m;
    proposal p;
    uint64_t id;
    int approve;
    size_t i, approvals = 0, rejections = 0;
    const char *voter;
    near_buf ev = {0}, out;
    near_require_no_deposit();
    dao_config_read(&c);
    members_read(&m);
    voter = require_member(&m);
    near_check(dao_parse_vote(&id, &approve, doc));
    if (!proposal_read(&p, id)) {
        near_panic("no such proposal");
    }
    if (!near_streq(p.status, "open")) {
        near_panic_detail("the proposal is no longer open: ", p.status);
    }
    for (i = 0; i < p.n_app; i++) {
        if (near_streq(p.approvals[i], voter)) {
            near_panic("this member has already voted on the proposal");
        }
    }
    for (i = 0; i < p.n_rej; i++) {
        if (near_streq(p.rejections[i], voter)) {
            near_panic("this member has already voted on the proposal");
        }
    }
    if (approve) {
        p.approvals[p.n_app++] = voter;
    } else {
        p.rejections[p.n_rej++] = voter;
    }
    /* only current members' votes count */
    for (i = 0; i < p.n_app; i++) {
        approvals += member_index(&m, p.approvals[i]) >= 0;
    }
    for (i = 0; i < p.n_rej; i++) {
        rejections += member_index(&m, p.rejections[i]) >= 0;
    }
    near_buf_puts(&ev, "{\"proposal_id\":");
    near_buf_puts(&ev, near_u64_to_str(id));
    near_json_member_str(&ev, "voter", voter, 0);
    put_raw(&ev, "approve", approve ? "true" : "false");
    near_buf_putc(&ev, '}');
    dao_emit("vote", ev.data, ev.len);
    if (approvals >= c.threshold) {
        dao_proposal_args a;
        const char *err = "", *why;
        const near_json *pj = near_json_parse(p.proposal, near_strlen(p.proposal), &err);
        if (pj == NULL || dao_parse_proposal(&a, pj) != NULL) {
            near_panic("corrupt stored proposal");
        }
        why = proposal_check(&a, &c, &m);
        if (why == NULL) {
            p.status = "approved";
            proposal_write(&p);
            proposal_apply(&a, &c, &m, id);
        } else {
            p.status = "failed";
            p.result = why;
            proposal_write(&p);
        }
    } else if (rejections > m.n - c.threshold) {
        p.status = "rejected";
        proposal_write(&p);
    } else {
        proposal_write(&p);
    }
    if (!near_streq(p.status, "open")) {
        near_buf e2 = {0};
        near_buf_puts(&e2, "{\"proposal_id\":");
        near_buf_puts(&e2, near_u64_to_str(id));
        near_json_member_str(&e2, "status", p.status, 0);
        near_json_member_str(&e2, "result", p.result, 0);
        near_buf_putc(&e2, '}');
        dao_emit("proposal_closed", e2.data, e2.len);
    }
    out = proposal_json(&p);
    near_return(out.data, out.len);
}

NEAR_METHOD(get_proposal)
{
    const near_json *doc = near_args_object((const char *const[]){"proposal_id", NULL});
    const near_json *v = near_json_get(doc, "proposal_id");
    dao_config c;
    proposal p;
    uint64_t id;
    near_buf out;
    dao_config_read(&c);
    if (v == NULL || !near_json_u64(v, &id)) {
        near_panic("proposal_id must be an unsigned integer");
    }
    if (!proposal_read(&p, id)) {
        near_return_str("null");
        return;
    }
    out = proposal_json(&p);
    near_return(out.data, out.len);
}

/* {from_index?, limit?}: a page of proposals in id order. */
static void page_args(uint64_t *from, uint64_t *limit, const near_json *doc, uint64_t max)
{
    const near_json *f = near_json_get(doc, "from_index"), *l = near_json_get(doc, "limit");
    *from = 0;
    *limit = max;
    if (f != NULL && !near_json_u64(f, from)) {
        near_panic("from_index must be an unsigned integer");
    }
    if (l != NULL && (!near_json_u64(l, limit) || *limit == 0 || *limit > max)) {
        near_panic("limit must be an integer from 1 to 100");
    }
}

NEAR_METHOD(get_proposals)
{
    const near_json *doc = near_args_object((const char *const[]){"from_index", "limit", NULL});
    dao_config c;
    uint64_t from, limit, id;
    near_buf out = {0};
    dao_config_read(&c);
    page_args(&from, &limit, doc, DAO_PROPOSALS_LIMIT);
    near_buf_putc(&out, '[');
    for (id = from; id < c.next_proposal_id && id - from < limit; id++) {
        proposal p;
        near_buf one;
        if (!proposal_read(&p, id)) {
            continue;
        }
        one = proposal_json(&p);
        if (out.len > 1) {
            near_buf_putc(&out, ',');
        }
        near_buf_put(&out, one.data, one.len);
    }
    near_buf_putc(&out, ']');
    near_return(out.data, out.len);
}

/* ---- measurements ---- */
NEAR_METHOD(get_measurements)
{
    dao_config c;
    near_buf out = {0};
    (void)near_args_object(no_args);
    dao_config_read(&c);
    near_map_write_json_page(&out, &dao_measurement_sets, 0, DAO_MEASUREMENTS_MAX);
    near_return(out.data, out.len);
}

NEAR_METHOD(is_approved)
{
    const near_json *doc = near_args_object((const char *const[]){"measurements", NULL});
    const near_json *mv = near_json_get(doc, "measurements");
    dao_config c;
    dao_measurements m;
    uint8_t id[32];
    size_t n;
    dao_config_read(&c);
    if (mv == NULL) {
        near_panic("missing argument: measurements");
    }
    near_check(dao_parse_measurements(&m, mv));
    dao_measurement_id(id, &m);
    near_return_str(measurement_read(id, &n) != NULL ? "true" : "false");
}

/* ---- code upgrade: the code whose SHA-256 an approved upgrade proposal named ---- */
NEAR_METHOD(deploy_upgrade)
{
    dao_config c;
    size_t len;
    uint8_t *code, h[32];
    near_promise p;
    near_buf ev = {0};
    near_require_no_deposit();
    dao_config_read(&c);
    if (!c.has_pending_upgrade) {
        near_panic("no approved upgrade is waiting (an upgrade proposal with a code_hash must be "
                   "approved first)");
    }
    code = near_input(&len);
    near_sha256(h, code, len);
    if (!near_memeq(h, c.pending_upgrade, 32)) {
        near_panic_detail("the code's SHA-256 is not the approved code hash ",
                          near_base58(c.pending_upgrade, 32));
    }
    c.has_pending_upgrade = 0;
    dao_config_write(&c);
    p = near_promise_batch_create(near_current_account_id());
    near_promise_batch_deploy_contract(p, code, len);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "code_hash", near_base58(h, 32), 1);
    put_raw(&ev, "code_len", near_u64_to_str(len));
    near_buf_putc(&ev, '}');
    dao_emit("upgrade_deployed", ev.data, ev.len);
}

#ifdef NEAR_NATIVE
extern const near_method dao_methods[];
#define M(name)                                                                                    \
    {                                                                                              \
#name, contract_dao_##name                                                                 \
    }
/* dao_workers.c's methods */
void contract_dao_register_worker_key(void);
void contract_dao_on_worker_verified(void);
void contract_dao_request_key(void);
void contract_dao_register_binding(void);
void contract_dao_prune_workers(void);
void contract_dao_get_worker(void);
void contract_dao_get_workers(void);
const near_method dao_methods[] = {M(new),
                                   M(get_config),
                                   M(get_members),
                                   M(propose),
                                   M(vote),
                                   M(get_proposal),
                                   M(get_proposals),
                                   M(get_measurements),
                                   M(is_approved),
                                   M(deploy_upgrade),
                                   M(register_worker_key),
                                   M(on_worker_verified),
                                   M(request_key),
                                   M(register_binding),
                                   M(prune_workers),
                                   M(get_worker),
                                   M(get_workers),
                                   {0, 0}};
#endif
