/*
 * DAO argument parsers and the small pure pieces of DESIGN 2.3 they feed: init arguments,
 * proposals of every kind (with their canonical JSON), votes, measurement sets, the CKD app key
 * in its publicly verifiable form and its hash, the registration binding of report_data,
 * register_binding arguments and the verifier's verdict. Everything is checked strictly (types,
 * ranges, formats, unknown members) and reported as a message; nothing here panics, so the
 * parsers can be fuzzed natively (fuzz/fuzz_dao_args.c).
 */
#include "dao.h"

const char *const dao_register_names[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};

static const char *const kind_names[] = {NULL,         "add_measurement", "remove_measurement",
                                         "add_member", "remove_member",   "set_threshold",
                                         "upgrade"};

static const near_json *member(const near_json *obj, const char *name)
{
    return near_json_get(obj, name);
}

static int is_string(const near_json *v)
{
    return v != NULL && v->type == NEAR_JSON_STRING;
}

static int is_absent(const near_json *v)
{
    return v == NULL || v->type == NEAR_JSON_NULL;
}

/* a plain JSON integer in [lo, hi] */
static int get_int(const near_json *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    return v != NULL && v->type == NEAR_JSON_NUMBER && near_json_u64(v, out) && *out >= lo &&
           *out <= hi;
}

static void put_str(near_buf *b, const char *s)
{
    near_json_write_string(b, s, near_strlen(s));
}

static void put_member(near_buf *b, const char *name, const char *s)
{
    near_json_member_str(b, name, s, 0);
}

static const char *parse_note(const near_json *doc, const char **note)
{
    const near_json *n = member(doc, "note");
    size_t i;
    if (is_absent(n)) {
        *note = "";
        return NULL;
    }
    if (!is_string(n) || n->len > DAO_NOTE_MAX) {
        return "note must be a string of at most 1024 bytes";
    }
    for (i = 0; i < n->len; i++) {
        if (n->str[i] == 0) {
            return "note must not contain NUL";
        }
    }
    *note = n->str;
    return NULL;
}

/* ---- init ---- */
const char *const dao_init_members[] = {"members",
                                        "threshold",
                                        "mpc_account_id",
                                        "domain_id",
                                        "chain_keys_account_id",
                                        "verifier_account_id",
                                        "dev_mode",
                                        "dev_root",
                                        "worker_ttl_ns",
                                        "block_window",
                                        NULL};

const char *dao_parse_init(dao_init_args *out, const near_json *doc)
{
    const near_json *m = member(doc, "members"), *e, *f, *v;
    const char *err = near_json_check_object(doc, "arguments", dao_init_members);
    size_t i = 0;
    if (err != NULL) {
        return err;
    }
    if (m == NULL || m->type != NEAR_JSON_ARRAY || m->count == 0 || m->count > DAO_MEMBERS_MAX) {
        return "members must be an array of 1..64 account ids";
    }
    out->members = near_alloc(m->count * sizeof *out->members);
    for (e = m->child; e != NULL; e = e->next) {
        if (!is_string(e) || !near_account_id_valid(e->str, e->len)) {
            return "members: every member must be a valid NEAR account id";
        }
        for (f = m->child; f != e; f = f->next) {
            if (near_streq(f->str, e->str)) {
                return near_strcat2("members: duplicate member ", e->str);
            }
        }
        out->members[i++] = e->str;
    }
    out->n_members = i;
    if (!get_int(member(doc, "threshold"), 1, out->n_members, &out->threshold)) {
        return "threshold must be an integer from 1 to the number of members";
    }
    if ((err = near_json_account_member(doc, "mpc_account_id", &out->mpc_account_id)) != NULL ||
        (err = near_json_account_member(doc, "chain_keys_account_id",
                                        &out->chain_keys_account_id)) != NULL ||
        (err = near_json_account_member(doc, "verifier_account_id", &out->verifier_account_id)) !=
            NULL) {
        return err;
    }
    if (!get_int(member(doc, "domain_id"), 0, UINT64_MAX, &out->domain_id)) {
        return "domain_id must be an unsigned integer";
    }
    v = member(doc, "dev_mode");
    if (v != NULL && v->type != NEAR_JSON_BOOL) {
        return "dev_mode must be a boolean";
    }
    out->dev_mode = v != NULL && v->boolean;
    v = member(doc, "dev_root");
    out->dev_root = NULL;
    out->dev_root_len = 0;
    if (out->dev_mode) {
        uint8_t *der;
        if (!is_string(v) || v->len < 4 || v->len % 2 != 0 || v->len / 2 > DAO_DEV_ROOT_MAX) {
            return "dev_mode needs dev_root: the development root certificate as hex DER";
        }
        der = near_alloc(v->len / 2);
        if (!near_unhex(der, v->len / 2, v->str, v->len, 0) || der[0] != 0x30) {
            return "dev_root must be lowercase hex of a DER certificate";
        }
        out->dev_root = der;
        out->dev_root_len = v->len / 2;
    } else if (!is_absent(v)) {
        return "dev_root is only accepted with dev_mode: true";
    }
    v = member(doc, "worker_ttl_ns");
    out->worker_ttl_ns = DAO_DEFAULT_TTL_NS;
    if (!is_absent(v) &&
        (!near_json_u64(v, &out->worker_ttl_ns) || out->worker_ttl_ns < DAO_MIN_TTL_NS ||
         out->worker_ttl_ns > DAO_MAX_TTL_NS)) {
        return "worker_ttl_ns must be a u64 from 60 s to 366 days in nanoseconds";
    }
    v = member(doc, "block_window");
    out->block_window = DAO_DEFAULT_BLOCK_WINDOW;
    if (!is_absent(v) && !get_int(v, 1, DAO_MAX_BLOCK_WINDOW, &out->block_window)) {
        return "block_window must be an integer from 1 to 100000";
    }
    return NULL;
}

/* ---- measurements ---- */
const char *dao_parse_measurements(dao_measurements *out, const near_json *v)
{
    static const char *const allowed[] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3", NULL};
    const char *err = near_json_check_object(v, "measurements", allowed);
    int i;
    if (err != NULL) {
        return err;
    }
    for (i = 0; i < 5; i++) {
        const near_json *r = member(v, dao_register_names[i]);
        if (!is_string(r) || !near_unhex(out->reg[i], 48, r->str, r->len, 0)) {
            return near_strcat2(near_strcat2("measurements.", dao_register_names[i]),
                                " must be 96 lowercase hex digits");
        }
    }
    return NULL;
}

void dao_write_measurements(near_buf *b, const dao_measurements *m)
{
    int i;
    near_buf_putc(b, '{');
    for (i = 0; i < 5; i++) {
        near_buf_puts(b, i ? ",\"" : "\"");
        near_buf_puts(b, dao_register_names[i]);
        near_buf_puts(b, "\":\"");
        near_buf_puts(b, near_hex(m->reg[i], 48));
        near_buf_putc(b, '"');
    }
    near_buf_putc(b, '}');
}

void dao_measurement_id(uint8_t id[32], const dao_measurements *m)
{
    near_sha256(id, m->reg, sizeof m->reg);
}

/* ---- proposals ---- */
const char *dao_kind_name(dao_kind kind)
{
    return kind >= DAO_ADD_MEASUREMENT && kind <= DAO_UPGRADE ? kind_names[kind] : NULL;
}

const char *dao_mode_name(dao_mode mode)
{
    return mode == DAO_MODE_SHARED ? "shared" : mode == DAO_MODE_DEDICATED ? "dedicated" : NULL;
}

static const char *parse_code_hash(dao_proposal_args *out, const near_json *v)
{
    if (!is_string(v)) {
        return "code_hash must be a string";
    }
    if (v->len == 64 ? !near_unhex(out->code_hash, 32, v->str, v->len, 0)
                     : !near_unbase58(out->code_hash, 32, v->str, v->len)) {
        return "code_hash must be the SHA-256 of the code: base58 (as NEAR shows it) or 64 "
               "lowercase hex digits";
    }
    out->has_code_hash = 1;
    return NULL;
}

const char *dao_parse_proposal(dao_proposal_args *out, const near_json *doc)
{
    static const char *const add_m[] = {"kind", "measurements", "mode", "owner", "note", NULL};
    static const char *const rm_m[] = {"kind", "measurements", "note", NULL};
    static const char *const mem[] = {"kind", "member_id", "note", NULL};
    static const char *const thr[] = {"kind", "threshold", "note", NULL};
    static const char *const upg[] = {"kind",      "code_hash", "mpc_account_id",
                                      "domain_id", "note",      NULL};
    static const char *const *const allowed[] = {NULL, add_m, rm_m, mem, mem, thr, upg};
    const near_json *k = member(doc, "kind"), *v;
    const char *err;
    near_buf j = {0};
    int i;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "arguments must be an object";
    }
    if (!is_string(k)) {
        return "missing string argument: kind";
    }
    out->kind = 0;
    for (i = DAO_ADD_MEASUREMENT; i <= DAO_UPGRADE; i++) {
        if (near_streq_n(k->str, k->len, kind_names[i])) {
            out->kind = (dao_kind)i;
        }
    }
    if (out->kind == 0) {
        return near_strcat2(
            "unknown proposal kind (add_measurement, remove_measurement, add_member, "
            "remove_member, set_threshold, upgrade): ",
            k->str);
    }
    if ((err = near_json_check_object(doc, "arguments", allowed[out->kind])) != NULL ||
        (err = parse_note(doc, &out->note)) != NULL) {
        return err;
    }
    out->owner = out->member_id = out->mpc_account_id = NULL;
    out->has_code_hash = out->has_domain_id = 0;
    near_buf_puts(&j, "{\"kind\":");
    put_str(&j, kind_names[out->kind]);
    switch (out->kind) {
    case DAO_ADD_MEASUREMENT:
    case DAO_REMOVE_MEASUREMENT:
        if (member(doc, "measurements") == NULL) {
            return "missing argument: measurements";
        }
        if ((err = dao_parse_measurements(&out->m, member(doc, "measurements"))) != NULL) {
            return err;
        }
        near_buf_puts(&j, ",\"measurements\":");
        dao_write_measurements(&j, &out->m);
        if (out->kind == DAO_REMOVE_MEASUREMENT) {
            break;
        }
        v = member(doc, "mode");
        if (is_string(v) && near_streq_n(v->str, v->len, "shared")) {
            out->mode = DAO_MODE_SHARED;
            if (!is_absent(member(doc, "owner"))) {
                return "a shared measurement set has no owner";
            }
        } else if (is_string(v) && near_streq_n(v->str, v->len, "dedicated")) {
            out->mode = DAO_MODE_DEDICATED;
            if ((err = near_json_account_member(doc, "owner", &out->owner)) != NULL) {
                return near_strcat2("a dedicated measurement set needs its owner: ", err);
            }
        } else {
            return "mode must be \"shared\" or \"dedicated\"";
        }
        put_member(&j, "mode", dao_mode_name(out->mode));
        put_member(&j, "owner", out->owner);
        break;
    case DAO_ADD_MEMBER:
    case DAO_REMOVE_MEMBER:
        if ((err = near_json_account_member(doc, "member_id", &out->member_id)) != NULL) {
            return err;
        }
        put_member(&j, "member_id", out->member_id);
        break;
    case DAO_SET_THRESHOLD:
        if (!get_int(member(doc, "threshold"), 1, DAO_MEMBERS_MAX, &out->threshold)) {
            return "threshold must be an integer from 1 to 64";
        }
        near_buf_puts(&j, ",\"threshold\":");
        near_buf_puts(&j, near_u64_to_str(out->threshold));
        break;
    case DAO_UPGRADE:
        v = member(doc, "code_hash");
        if (!is_absent(v) && (err = parse_code_hash(out, v)) != NULL) {
            return err;
        }
        if (!is_absent(member(doc, "mpc_account_id")) &&
            (err = near_json_account_member(doc, "mpc_account_id", &out->mpc_account_id)) != NULL) {
            return err;
        }
        v = member(doc, "domain_id");
        if (!is_absent(v)) {
            if (!get_int(v, 0, UINT64_MAX, &out->domain_id)) {
                return "domain_id must be an unsigned integer";
            }
            out->has_domain_id = 1;
        }
        if (!out->has_code_hash && out->mpc_account_id == NULL && !out->has_domain_id) {
            return "an upgrade names a code_hash, an mpc_account_id or a domain_id";
        }
        put_member(&j, "code_hash",
                   out->has_code_hash ? near_base58(out->code_hash, 32) : (const char *)NULL);
        put_member(&j, "mpc_account_id", out->mpc_account_id);
        near_buf_puts(&j, ",\"domain_id\":");
        near_buf_puts(&j, out->has_domain_id ? near_u64_to_str(out->domain_id) : "null");
        break;
    }
    put_member(&j, "note", out->note);
    near_buf_putc(&j, '}');
    out->json = j.data;
    return NULL;
}

const char *dao_parse_vote(uint64_t *proposal_id, int *approve, const near_json *doc)
{
    static const char *const allowed[] = {"proposal_id", "approve", NULL};
    const char *err = near_json_check_object(doc, "arguments", allowed);
    const near_json *a;
    if (err != NULL) {
        return err;
    }
    if (member(doc, "proposal_id") == NULL ||
        !near_json_u64(member(doc, "proposal_id"), proposal_id)) {
        return "proposal_id must be an unsigned integer";
    }
    a = member(doc, "approve");
    if (a == NULL || a->type != NEAR_JSON_BOOL) {
        return "approve must be a boolean";
    }
    *approve = a->boolean;
    return NULL;
}

/* ---- app keys and the registration binding ---- */
static int bls_key(uint8_t *out, size_t len, const near_json *v, const char *prefix)
{
    size_t pl = near_strlen(prefix);
    return is_string(v) && v->len > pl && near_memeq(v->str, prefix, pl) &&
           near_unbase58(out, len, v->str + pl, v->len - pl);
}

const char *dao_parse_app_key_pv(dao_app_key *out, const near_json *v)
{
    static const char *const allowed[] = {"pk1", "pk2", NULL};
    const char *err = near_json_check_object(v, "app_public_key", allowed);
    if (err != NULL) {
        return err;
    }
    if (!bls_key(out->pk1, DAO_BLS_G1_LEN, member(v, "pk1"), "bls12381g1:")) {
        return "app_public_key.pk1 must be bls12381g1:<base58 of 48 bytes>";
    }
    if (!bls_key(out->pk2, DAO_BLS_G2_LEN, member(v, "pk2"), "bls12381g2:")) {
        return "app_public_key.pk2 must be bls12381g2:<base58 of 96 bytes>";
    }
    return NULL;
}

void dao_app_key_hash(uint8_t out[32], const dao_app_key *k)
{
    uint8_t both[DAO_BLS_G1_LEN + DAO_BLS_G2_LEN];
    size_t i;
    for (i = 0; i < DAO_BLS_G1_LEN; i++) {
        both[i] = k->pk1[i];
    }
    for (i = 0; i < DAO_BLS_G2_LEN; i++) {
        both[DAO_BLS_G1_LEN + i] = k->pk2[i];
    }
    near_sha256(out, both, sizeof both);
}

void dao_register_binding(uint8_t out[32], const char *dao_account_id, uint64_t block_height,
                          const dao_app_key *k)
{
    near_buf b = {0};
    uint8_t le[8];
    int i;
    for (i = 0; i < 8; i++) {
        le[i] = (uint8_t)(block_height >> (8 * i));
    }
    near_buf_puts(&b, DAO_REGISTER_TAG);
    near_buf_puts(&b, dao_account_id);
    near_buf_put(&b, le, 8);
    near_buf_put(&b, k->pk1, DAO_BLS_G1_LEN);
    near_buf_put(&b, k->pk2, DAO_BLS_G2_LEN);
    near_sha256(out, b.data, b.len);
}

/* ---- worker methods ---- */
static const char *parse_worker_key(uint8_t out[32], const char **canonical, const near_json *v)
{
    uint8_t key[64];
    size_t key_len, i;
    unsigned curve;
    if (!is_string(v)) {
        return "missing string argument: public_key";
    }
    if (!near_public_key_parse(&curve, key, &key_len, v->str, v->len) ||
        curve != NEAR_CURVE_ED25519) {
        return "public_key must be the worker's ed25519:<base58 32 bytes> key";
    }
    for (i = 0; i < 32; i++) {
        out[i] = key[i];
    }
    *canonical = near_public_key_string(NEAR_CURVE_ED25519, out);
    return NULL;
}

const char *dao_parse_register(dao_register_args *out, const near_json *doc)
{
    static const char *const allowed[] = {"public_key",   "quote_hex",      "collateral",
                                          "block_height", "app_public_key", NULL};
    const near_json *q = member(doc, "quote_hex"), *c = member(doc, "collateral"), *a, *bh;
    const char *err = near_json_check_object(doc, "arguments", allowed);
    size_t i;
    if (err != NULL || (err = parse_worker_key(out->public_key, &out->public_key_str,
                                               member(doc, "public_key"))) != NULL) {
        return err;
    }
    if (!is_string(q) || q->len == 0 || q->len % 2 != 0 || q->len > 2 * 65536) {
        return "quote_hex must be the quote as hex (at most 64 KiB)";
    }
    for (i = 0; i < q->len; i++) {
        char ch = q->str[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) {
            return "quote_hex must be the quote as hex (at most 64 KiB)";
        }
    }
    out->quote_hex = q->str;
    if (c == NULL || (c->type != NEAR_JSON_OBJECT && c->type != NEAR_JSON_STRING)) {
        return "collateral must be an object (dcap-qvl's collateral JSON) or a string holding it";
    }
    out->collateral = c;
    bh = member(doc, "block_height");
    if (bh == NULL || !near_json_u64(bh, &out->block_height)) {
        return "block_height must be an unsigned integer";
    }
    a = member(doc, "app_public_key");
    if (a == NULL) {
        return "missing argument: app_public_key ({pk1, pk2})";
    }
    if (a->type == NEAR_JSON_OBJECT && a->count == 1 && member(a, "AppPublicKeyPV") != NULL) {
        a = member(a, "AppPublicKeyPV");
    }
    return dao_parse_app_key_pv(&out->app, a);
}

const char *dao_parse_request_key(dao_app_key *out, const near_json *doc)
{
    static const char *const allowed[] = {"app_public_key", NULL};
    static const char *const pv_only[] = {"AppPublicKeyPV", NULL};
    const char *err = near_json_check_object(doc, "arguments", allowed);
    const near_json *a = member(doc, "app_public_key");
    if (err != NULL) {
        return err;
    }
    if (a == NULL) {
        return "missing argument: app_public_key";
    }
    if (a->type != NEAR_JSON_OBJECT || a->count != 1 || near_json_unknown_key(a, pv_only) != NULL) {
        return "request_key accepts only the publicly verifiable app key form "
               "{\"AppPublicKeyPV\":{\"pk1\":..,\"pk2\":..}}";
    }
    return dao_parse_app_key_pv(out, member(a, "AppPublicKeyPV"));
}

const char *dao_parse_binding(dao_binding_args *out, const near_json *doc)
{
    static const char *const allowed[] = {"account_id", "family",     "path",
                                          "network",    "public_key", NULL};
    const near_json *f = member(doc, "family"), *p = member(doc, "path"),
                    *n = member(doc, "network"), *k = member(doc, "public_key");
    const char *err = near_json_check_object(doc, "arguments", allowed);
    near_buf j = {0};
    if (err != NULL ||
        (err = near_json_account_member(doc, "account_id", &out->account_id)) != NULL) {
        return err;
    }
    if (!is_string(f)) {
        return "missing string argument: family";
    }
    if (p != NULL && !is_string(p)) {
        return "path must be a string";
    }
    if (!is_absent(n) && !is_string(n)) {
        return "network must be a string";
    }
    if (!is_string(k)) {
        return "missing string argument: public_key";
    }
    near_buf_puts(&j, "{\"account_id\":");
    put_str(&j, out->account_id);
    near_buf_puts(&j, ",\"family\":");
    near_json_write_string(&j, f->str, f->len);
    if (p != NULL) {
        near_buf_puts(&j, ",\"path\":");
        near_json_write_string(&j, p->str, p->len);
    }
    if (!is_absent(n)) {
        near_buf_puts(&j, ",\"network\":");
        near_json_write_string(&j, n->str, n->len);
    }
    near_buf_puts(&j, ",\"public_key\":");
    near_json_write_string(&j, k->str, k->len);
    out->json = j.data;
    return NULL;
}

/* ---- the verifier's verdict ---- */
static int hex_field(uint8_t *out, size_t len, const near_json *doc, const char *name)
{
    const near_json *v = member(doc, name);
    return is_string(v) && near_unhex(out, len, v->str, v->len, 0);
}

const char *dao_parse_verdict(dao_verdict *out, const uint8_t *json, size_t len)
{
    const char *err = "";
    const near_json *doc = near_json_parse((const char *)json, len, &err), *v;
    int i;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "the verifier's answer is not a JSON object";
    }
    v = member(doc, "accepted");
    if (v == NULL || v->type != NEAR_JSON_BOOL) {
        return "the verifier's answer has no accepted flag";
    }
    out->accepted = v->boolean;
    v = member(doc, "status");
    out->status = is_string(v) ? v->str : NULL;
    v = member(doc, "root");
    if (!is_string(v)) {
        return "the verifier's answer names no root";
    }
    out->root = v->str;
    v = member(doc, "reason");
    out->reason = is_string(v) ? v->str : NULL;
    v = member(doc, "dev_root_sha256");
    out->has_dev_root_hash = !is_absent(v);
    if (out->has_dev_root_hash && !hex_field(out->dev_root_hash, 32, doc, "dev_root_sha256")) {
        return "the verifier's answer has a malformed dev_root_sha256";
    }
    for (i = 0; i < 5; i++) {
        if (!hex_field(out->m.reg[i], 48, doc, dao_register_names[i])) {
            return near_strcat2("the verifier's answer has no ", dao_register_names[i]);
        }
    }
    if (!hex_field(out->report_data, 64, doc, "report_data")) {
        return "the verifier's answer has no report_data";
    }
    return NULL;
}

const char *dao_derivation_path(dao_mode mode, const char *owner)
{
    return mode == DAO_MODE_SHARED ? DAO_PATH_SHARED : near_strcat2(owner, DAO_PATH_SUFFIX);
}
