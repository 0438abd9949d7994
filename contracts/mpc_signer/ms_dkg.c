/*
 * The MPC signer's DKG bookkeeping (joint Feldman VSS with commitments in G2, the scheme of
 * include/teekeys/ckd_threshold.h): the chain is the broadcast channel and the judge, the
 * private shares travel off-chain between the nodes.
 *   start_dkg({domain_id, participants, threshold})     by the contract account or a participant
 *   submit_dkg_commitment({domain_id, commitments})      each dealer once: t points C_{i,0..t-1}
 *   complain({domain_id, dealer})                        a receiver whose share did not verify
 *   answer_complaint({domain_id, complainer, share})     the dealer reveals s_{i->j}; the contract
 *       checks s·G2 == sum_k j^k·C_{i,k} (g2_multiexp) and refuses a reveal that does not match
 *   finalize_dkg({domain_id})                            once every dealer committed and every
 *       complaint is answered, or MS_DKG_WINDOW blocks after the start: the qualified dealers
 *       are those who committed and have no unanswered complaint; pk = sum_i C_{i,0}
 *       (bls12381_p2_sum), public shares X_j = sum_i sum_k j^k·C_{i,k} (g2_multiexp); the
 *       round's participants and threshold become the network's. Fewer than t qualified
 *       dealers: the round ends with a dkg_failed event and no key.
 *   get_dkg({domain_id})                                 the round for the nodes (commitments too)
 * Participant ids are 1-based positions in the round's participant list.
 *
 * Storage: "g:" d8 = threshold (1) || n (1) || started_at block (8 BE) || submitted[n] ||
 * complaints[n*n] (dealer*n + complainer: 0 none, 1 open, 2 answered) || participants
 * (NUL-joined); "gc:" d8 dealer-index (1 byte) = the dealer's t uncompressed commitments.
 */
#include "mpc_signer.h"
#include "ms_internal.h"

#define NEAR_CONTRACT mpc_signer

#define HDR 10

typedef struct {
    uint64_t domain_id, started;
    size_t t, n;
    uint8_t submitted[MS_MAX_PARTICIPANTS];
    uint8_t complaints[MS_MAX_PARTICIPANTS * MS_MAX_PARTICIPANTS];
    const char *ids[MS_MAX_PARTICIPANTS];
} round_state;

static int round_load(round_state *r, uint64_t domain_id)
{
    near_buf k = ms_key("g:", domain_id);
    size_t len, i;
    uint8_t *v = near_storage_read(k.data, k.len, &len);
    if (v == NULL) {
        return 0;
    }
    r->domain_id = domain_id;
    r->t = v[0];
    r->n = v[1];
    if (r->n == 0 || r->n > MS_MAX_PARTICIPANTS || len < HDR + r->n + r->n * r->n) {
        near_panic("corrupt DKG round");
    }
    r->started = ms_read_be8(v + 2);
    for (i = 0; i < r->n; i++) {
        r->submitted[i] = v[HDR + i];
    }
    for (i = 0; i < r->n * r->n; i++) {
        r->complaints[i] = v[HDR + r->n + i];
    }
    if (ms_participants_split(r->ids, v + HDR + r->n + r->n * r->n,
                              len - HDR - r->n - r->n * r->n) != r->n) {
        near_panic("corrupt DKG round");
    }
    return 1;
}

static round_state *round_get(uint64_t domain_id)
{
    round_state *r = near_alloc(sizeof *r);
    if (!round_load(r, domain_id)) {
        near_panic_detail("no DKG round in progress for domain_id ", near_u64_to_str(domain_id));
    }
    return r;
}

static void round_store(const round_state *r)
{
    near_buf k = ms_key("g:", r->domain_id), v = {0}, blob = ms_participants_blob(r->ids, r->n);
    uint8_t b[8];
    near_buf_putc(&v, (char)r->t);
    near_buf_putc(&v, (char)r->n);
    ms_be8(b, r->started);
    near_buf_put(&v, b, 8);
    near_buf_put(&v, r->submitted, r->n);
    near_buf_put(&v, r->complaints, r->n * r->n);
    near_buf_put(&v, blob.data, blob.len);
    near_storage_write(k.data, k.len, v.data, v.len);
}

static near_buf commit_key(uint64_t domain_id, size_t dealer)
{
    near_buf k = ms_key("gc:", domain_id);
    near_buf_putc(&k, (char)dealer);
    return k;
}

/* the dealer's t uncompressed commitments, or NULL */
static uint8_t *commits_load(const round_state *r, size_t dealer)
{
    near_buf k = commit_key(r->domain_id, dealer);
    size_t n;
    uint8_t *v = near_storage_read(k.data, k.len, &n);
    if (v != NULL && n != r->t * NEAR_BLS_P2) {
        near_panic("corrupt DKG commitments");
    }
    return v;
}

/* the caller's index in the round, or a panic */
static size_t caller_index(const round_state *r, const char *method)
{
    int i = ms_participant_index(r->ids, r->n, near_predecessor_account_id());
    if (i < 0) {
        near_panic_detail(method, " may be called only by a participant of the DKG round");
    }
    return (size_t)i;
}

static size_t named_index(const round_state *r, const near_json *doc, const char *name)
{
    const near_json *v = near_json_get(doc, name);
    const char *s = near_json_string(v);
    int i;
    if (v == NULL) {
        near_panic_detail("missing argument: ", name);
    }
    i = s != NULL ? ms_participant_index(r->ids, r->n, s) : -1;
    if (i < 0) {
        near_panic_detail(name, " must be a participant of the DKG round");
    }
    return (size_t)i;
}

static uint64_t domain_arg(const near_json *doc)
{
    uint64_t d;
    near_check(ms_parse_u64(&d, near_json_get(doc, "domain_id"), "domain_id"));
    return d;
}

static void event_head(near_buf *ev, uint64_t domain_id)
{
    near_buf_putc(ev, '{');
    near_json_member_u64(ev, "domain_id", domain_id, 1);
}

NEAR_METHOD(start_dkg)
{
    static const char *const allowed[] = {"domain_id", "participants", "threshold", NULL};
    const near_json *doc = near_args_object(allowed);
    ms_config c = ms_config_get();
    const char *pred = near_predecessor_account_id();
    ms_dkg_start_args a;
    round_state *r = near_alloc(sizeof *r), *old = near_alloc(sizeof *old);
    near_buf ev = {0};
    size_t i;
    uint64_t domains[MS_MAX_DOMAINS];
    near_require_no_deposit();
    if (!near_streq(pred, near_current_account_id()) && !ms_is_participant(&c, pred)) {
        near_panic("start_dkg may be called only by the contract account or a participant");
    }
    near_check(ms_parse_dkg_start(&a, doc));
    if (ms_domain_load(a.domain_id, NULL, NULL)) {
        near_panic("this domain already has a key");
    }
    if (round_load(old, a.domain_id)) {
        near_panic("a DKG round for this domain is already in progress");
    }
    if (ms_domain_list(domains) >= MS_MAX_DOMAINS) {
        near_panic("too many domains");
    }
    r->domain_id = a.domain_id;
    r->t = a.threshold;
    r->n = a.n;
    r->started = near_block_index();
    for (i = 0; i < a.n; i++) {
        r->ids[i] = a.participants[i];
        r->submitted[i] = 0;
    }
    for (i = 0; i < a.n * a.n; i++) {
        r->complaints[i] = 0;
    }
    round_store(r);
    event_head(&ev, a.domain_id);
    near_buf_puts(&ev, ",\"participants\":");
    ms_put_ids(&ev, r->ids, r->n);
    near_json_member_u64(&ev, "threshold", r->t, 0);
    near_json_member_u64(&ev, "started_at", r->started, 0);
    near_buf_putc(&ev, '}');
    ms_emit("dkg_start", &ev);
}

NEAR_METHOD(submit_dkg_commitment)
{
    static const char *const allowed[] = {"domain_id", "commitments", NULL};
    const near_json *doc = near_args_object(allowed), *cs, *c;
    round_state *r;
    size_t me, k = 0;
    near_buf all = {0}, ev = {0}, key;
    near_require_no_deposit();
    r = round_get(domain_arg(doc));
    me = caller_index(r, "submit_dkg_commitment");
    if (r->submitted[me]) {
        near_panic("this dealer has already submitted its commitments");
    }
    cs = near_json_get(doc, "commitments");
    if (cs == NULL || cs->type != NEAR_JSON_ARRAY || cs->count != r->t) {
        near_panic_detail("commitments must be an array of threshold = ", near_u64_to_str(r->t));
    }
    event_head(&ev, r->domain_id);
    near_json_member_str(&ev, "dealer", r->ids[me], 0);
    near_buf_puts(&ev, ",\"commitments\":[");
    for (c = cs->child; c != NULL; c = c->next, k++) {
        uint8_t cc[NEAR_BLS_P2C], cu[NEAR_BLS_P2];
        near_check(ms_parse_g2(cc, c, "commitment"));
        if (!near_bls_g2_load(cu, cc, 0)) {
            near_panic_detail("commitment is not a valid G2 point (on the curve, in the "
                              "subgroup, not the identity): index ",
                              near_u64_to_str(k));
        }
        near_buf_put(&all, cu, NEAR_BLS_P2);
        if (k > 0) {
            near_buf_putc(&ev, ',');
        }
        near_json_write_string(&ev, ms_g2_string(cc), near_strlen(ms_g2_string(cc)));
    }
    near_buf_puts(&ev, "]}");
    key = commit_key(r->domain_id, me);
    near_storage_write(key.data, key.len, all.data, all.len);
    r->submitted[me] = 1;
    round_store(r);
    ms_emit("dkg_commitment", &ev);
}

NEAR_METHOD(complain)
{
    static const char *const allowed[] = {"domain_id", "dealer", NULL};
    const near_json *doc = near_args_object(allowed);
    round_state *r;
    size_t me, dealer;
    near_buf ev = {0};
    near_require_no_deposit();
    r = round_get(domain_arg(doc));
    me = caller_index(r, "complain");
    dealer = named_index(r, doc, "dealer");
    if (dealer == me) {
        near_panic("a dealer cannot complain about itself");
    }
    if (!r->submitted[dealer]) {
        near_panic("the dealer has not submitted commitments yet");
    }
    if (r->complaints[dealer * r->n + me] != 0) {
        near_panic("this complaint was already made");
    }
    r->complaints[dealer * r->n + me] = 1;
    round_store(r);
    event_head(&ev, r->domain_id);
    near_json_member_str(&ev, "dealer", r->ids[dealer], 0);
    near_json_member_str(&ev, "complainer", r->ids[me], 0);
    near_buf_putc(&ev, '}');
    ms_emit("dkg_complaint", &ev);
}

NEAR_METHOD(answer_complaint)
{
    static const char *const allowed[] = {"domain_id", "complainer", "share", NULL};
    const near_json *doc = near_args_object(allowed), *sv;
    round_state *r;
    size_t me, who, k, i;
    uint8_t share[32], *commits, *items, lhs[NEAR_BLS_P2], rhs[NEAR_BLS_P2];
    uint8_t gitem[NEAR_BLS_P2 + NEAR_BLS_SCALAR];
    near_buf ev = {0};
    const char *s;
    near_require_no_deposit();
    r = round_get(domain_arg(doc));
    me = caller_index(r, "answer_complaint");
    who = named_index(r, doc, "complainer");
    if (r->complaints[me * r->n + who] != 1) {
        near_panic("no open complaint of this complainer against the caller");
    }
    sv = near_json_get(doc, "share");
    s = near_json_string(sv);
    if (s == NULL || !near_unhex(share, 32, s, sv->len, 0) || !near_bls_scalar_canonical(share)) {
        near_panic("share must be 64 lowercase hex digits of a scalar below r");
    }
    commits = commits_load(r, me);
    if (commits == NULL) {
        near_panic("corrupt DKG round");
    }
    /* s·G2 */
    for (i = 0; i < NEAR_BLS_P2; i++) {
        gitem[i] = near_bls_g2_generator[i];
    }
    for (i = 0; i < 32; i++) {
        gitem[NEAR_BLS_P2 + i] = share[31 - i];
    }
    /* sum_k j^k·C_k with j = complainer id */
    items = near_alloc(r->t * (NEAR_BLS_P2 + NEAR_BLS_SCALAR));
    for (k = 0; k < r->t; k++) {
        uint8_t *it = items + k * (NEAR_BLS_P2 + NEAR_BLS_SCALAR);
        for (i = 0; i < NEAR_BLS_P2; i++) {
            it[i] = commits[k * NEAR_BLS_P2 + i];
        }
        ms_pow_le(it + NEAR_BLS_P2, (unsigned)who + 1, (unsigned)k);
    }
    if (near_bls_g2_multiexp(lhs, gitem, 1) != 0 || near_bls_g2_multiexp(rhs, items, r->t) != 0) {
        near_panic("bls12381_g2_multiexp refused stored points");
    }
    if (!near_memeq(lhs, rhs, NEAR_BLS_P2)) {
        near_panic("the revealed share does not match the dealer's commitments");
    }
    r->complaints[me * r->n + who] = 2;
    round_store(r);
    event_head(&ev, r->domain_id);
    near_json_member_str(&ev, "dealer", r->ids[me], 0);
    near_json_member_str(&ev, "complainer", r->ids[who], 0);
    near_json_member_str(&ev, "share", near_hex(share, 32), 0);
    near_buf_putc(&ev, '}');
    ms_emit("dkg_complaint_answered", &ev);
}

static int open_complaint_against(const round_state *r, size_t dealer)
{
    size_t j;
    for (j = 0; j < r->n; j++) {
        if (r->complaints[dealer * r->n + j] == 1) {
            return 1;
        }
    }
    return 0;
}

static void round_delete(const round_state *r)
{
    near_buf k = ms_key("g:", r->domain_id);
    size_t i;
    near_storage_remove(k.data, k.len);
    for (i = 0; i < r->n; i++) {
        near_buf ck = commit_key(r->domain_id, i);
        near_storage_remove(ck.data, ck.len);
    }
}

NEAR_METHOD(finalize_dkg)
{
    static const char *const allowed[] = {"domain_id", NULL};
    const near_json *doc = near_args_object(allowed);
    const char *pred = near_predecessor_account_id();
    round_state *r;
    ms_config c;
    uint8_t qualified[MS_MAX_PARTICIPANTS], *commits[MS_MAX_PARTICIPANTS];
    uint8_t pku[NEAR_BLS_P2], pkc[NEAR_BLS_P2C], *sum_items, *items;
    size_t i, j, k, q = 0, complete = 1;
    const char *qids[MS_MAX_PARTICIPANTS];
    near_buf ev = {0};
    near_require_no_deposit();
    r = round_get(domain_arg(doc));
    if (!near_streq(pred, near_current_account_id()) &&
        ms_participant_index(r->ids, r->n, pred) < 0) {
        near_panic("finalize_dkg may be called only by the contract account or a participant of "
                   "the DKG round");
    }
    for (i = 0; i < r->n; i++) {
        complete = complete && r->submitted[i] && !open_complaint_against(r, i);
    }
    if (!complete && near_block_index() < r->started + MS_DKG_WINDOW) {
        near_panic_detail("the DKG round waits for every dealer's commitments and answers, or "
                          "until block ",
                          near_u64_to_str(r->started + MS_DKG_WINDOW));
    }
    for (i = 0; i < r->n; i++) {
        qualified[i] = r->submitted[i] && !open_complaint_against(r, i);
        commits[i] = qualified[i] ? commits_load(r, i) : NULL;
        if (qualified[i]) {
            qids[q++] = r->ids[i];
        }
    }
    event_head(&ev, r->domain_id);
    near_buf_puts(&ev, ",\"qualified\":");
    ms_put_ids(&ev, qids, q);
    if (q < r->t) {
        round_delete(r);
        near_json_member_u64(&ev, "threshold", r->t, 0);
        near_json_member_str(&ev, "reason", "fewer qualified dealers than the threshold", 0);
        near_buf_putc(&ev, '}');
        ms_emit("dkg_failed", &ev);
        return;
    }
    /* pk = sum of the qualified dealers' C_{i,0} */
    sum_items = near_alloc(q * (1 + NEAR_BLS_P2));
    for (i = 0, j = 0; i < r->n; i++) {
        if (qualified[i]) {
            sum_items[j * (1 + NEAR_BLS_P2)] = 0;
            for (k = 0; k < NEAR_BLS_P2; k++) {
                sum_items[j * (1 + NEAR_BLS_P2) + 1 + k] = commits[i][k];
            }
            j++;
        }
    }
    if (near_bls_p2_sum(pku, sum_items, q) != 0) {
        near_panic("bls12381_p2_sum refused stored points");
    }
    if (near_bls_p2_is_identity(pku)) {
        round_delete(r);
        near_json_member_str(&ev, "reason", "the joint public key is the identity", 0);
        near_buf_putc(&ev, '}');
        ms_emit("dkg_failed", &ev);
        return;
    }
    near_bls_g2_compress(pkc, pku);
    ms_domain_store(r->domain_id, pkc, pku);
    /* public shares X_j = sum_i sum_k j^k·C_{i,k} */
    items = near_alloc(q * r->t * (NEAR_BLS_P2 + NEAR_BLS_SCALAR));
    for (j = 0; j < r->n; j++) {
        uint8_t xu[NEAR_BLS_P2], xc[NEAR_BLS_P2C];
        size_t m = 0;
        for (i = 0; i < r->n; i++) {
            if (!qualified[i]) {
                continue;
            }
            for (k = 0; k < r->t; k++, m++) {
                uint8_t *it = items + m * (NEAR_BLS_P2 + NEAR_BLS_SCALAR);
                size_t b;
                for (b = 0; b < NEAR_BLS_P2; b++) {
                    it[b] = commits[i][k * NEAR_BLS_P2 + b];
                }
                ms_pow_le(it + NEAR_BLS_P2, (unsigned)j + 1, (unsigned)k);
            }
        }
        if (near_bls_g2_multiexp(xu, items, m) != 0) {
            near_panic("bls12381_g2_multiexp refused stored points");
        }
        near_bls_g2_compress(xc, xu);
        ms_share_store(r->domain_id, r->ids[j], xc);
    }
    c.threshold = r->t;
    c.n = r->n;
    for (i = 0; i < r->n; i++) {
        c.ids[i] = r->ids[i];
    }
    ms_config_store(&c);
    round_delete(r);
    near_json_member_str(&ev, "public_key", ms_g2_string(pkc), 0);
    near_buf_puts(&ev, ",\"participants\":");
    ms_put_ids(&ev, c.ids, c.n);
    near_json_member_u64(&ev, "threshold", c.threshold, 0);
    near_buf_putc(&ev, '}');
    ms_emit("dkg_finalized", &ev);
}

NEAR_METHOD(get_dkg)
{
    static const char *const allowed[] = {"domain_id", NULL};
    const near_json *doc = near_args_object(allowed);
    round_state *r = near_alloc(sizeof *r);
    near_buf out = {0};
    size_t i, j, k, first = 1;
    (void)ms_config_get();
    if (!round_load(r, domain_arg(doc))) {
        near_return_str("null");
        return;
    }
    event_head(&out, r->domain_id);
    near_json_member_u64(&out, "threshold", r->t, 0);
    near_buf_puts(&out, ",\"participants\":");
    ms_put_ids(&out, r->ids, r->n);
    near_json_member_u64(&out, "started_at", r->started, 0);
    near_json_member_u64(&out, "deadline", r->started + MS_DKG_WINDOW, 0);
    near_buf_puts(&out, ",\"commitments\":{");
    for (i = 0; i < r->n; i++) {
        uint8_t *cm = r->submitted[i] ? commits_load(r, i) : NULL;
        if (cm == NULL) {
            continue;
        }
        if (!first) {
            near_buf_putc(&out, ',');
        }
        first = 0;
        near_json_write_string(&out, r->ids[i], near_strlen(r->ids[i]));
        near_buf_puts(&out, ":[");
        for (k = 0; k < r->t; k++) {
            uint8_t cc[NEAR_BLS_P2C];
            near_bls_g2_compress(cc, cm + k * NEAR_BLS_P2);
            if (k > 0) {
                near_buf_putc(&out, ',');
            }
            near_json_write_string(&out, ms_g2_string(cc), near_strlen(ms_g2_string(cc)));
        }
        near_buf_putc(&out, ']');
    }
    near_buf_puts(&out, "},\"complaints\":[");
    first = 1;
    for (i = 0; i < r->n; i++) {
        for (j = 0; j < r->n; j++) {
            uint8_t st = r->complaints[i * r->n + j];
            if (st == 0) {
                continue;
            }
            near_buf_puts(&out, first ? "{" : ",{");
            first = 0;
            near_json_member_str(&out, "dealer", r->ids[i], 1);
            near_json_member_str(&out, "complainer", r->ids[j], 0);
            near_buf_puts(&out, st == 2 ? ",\"answered\":true}" : ",\"answered\":false}");
        }
    }
    near_buf_puts(&out, "]}");
    near_return(out.data, out.len);
}
