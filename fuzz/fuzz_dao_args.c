/*
 * Fuzzes the DAO contract's argument parsers (natively built): the first byte picks the parser
 * (new, propose, vote, register_worker_key, request_key, register_binding, the verifier's
 * verdict, a measurement set), the rest is the JSON text. No parser may crash, read out of
 * bounds or panic; whatever one accepts must be self-consistent: a proposal's canonical JSON
 * re-parses to the same proposal and the same text, accepted init arguments respect their
 * ranges, an accepted key or measurement set round-trips through its string form, register_binding
 * builds JSON that parses. Only the hashes and the registers are real host functions here
 * (contract_hash_host.c: the app key hash and the registration binding use sha256); any other
 * host call aborts. The input handling is contract_args.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "contract_args.h"
#include "dao.h"

static const near_json *parse(const char *text)
{
    const char *err = NULL;
    const near_json *doc = near_json_parse(text, strlen(text), &err);
    if (doc == NULL) {
        abort();
    }
    return doc;
}

static void check_init(const near_json *doc)
{
    dao_init_args a;
    size_t i, k;
    if (dao_parse_init(&a, doc) != NULL) {
        return;
    }
    if (a.n_members == 0 || a.n_members > DAO_MEMBERS_MAX || a.threshold < 1 ||
        a.threshold > a.n_members || (a.dev_mode != 0) != (a.dev_root != NULL) ||
        a.worker_ttl_ns < DAO_MIN_TTL_NS || a.worker_ttl_ns > DAO_MAX_TTL_NS ||
        a.block_window < 1 || a.block_window > DAO_MAX_BLOCK_WINDOW ||
        !near_account_id_valid(a.mpc_account_id, strlen(a.mpc_account_id))) {
        abort();
    }
    for (i = 0; i < a.n_members; i++) {
        for (k = 0; k < i; k++) {
            if (strcmp(a.members[i], a.members[k]) == 0) {
                abort();
            }
        }
    }
}

static void check_proposal(const near_json *doc)
{
    dao_proposal_args a, b;
    if (dao_parse_proposal(&a, doc) != NULL) {
        return;
    }
    /* the canonical form is a fixed point */
    if (dao_parse_proposal(&b, parse(a.json)) != NULL || strcmp(a.json, b.json) != 0 ||
        a.kind != b.kind || dao_kind_name(a.kind) == NULL) {
        abort();
    }
    if ((a.kind == DAO_ADD_MEASUREMENT || a.kind == DAO_REMOVE_MEASUREMENT) &&
        memcmp(&a.m, &b.m, sizeof a.m) != 0) {
        abort();
    }
    if (a.kind == DAO_ADD_MEASUREMENT && (a.mode == DAO_MODE_DEDICATED) != (a.owner != NULL)) {
        abort();
    }
}

static void check_app_key(const dao_app_key *k)
{
    near_buf b = {0};
    dao_app_key again;
    uint8_t h[32];
    near_buf_puts(&b, "{\"pk1\":\"bls12381g1:");
    near_buf_puts(&b, near_base58(k->pk1, DAO_BLS_G1_LEN));
    near_buf_puts(&b, "\",\"pk2\":\"bls12381g2:");
    near_buf_puts(&b, near_base58(k->pk2, DAO_BLS_G2_LEN));
    near_buf_puts(&b, "\"}");
    if (dao_parse_app_key_pv(&again, parse(b.data)) != NULL || memcmp(&again, k, sizeof again)) {
        abort();
    }
    dao_app_key_hash(h, k);
    dao_register_binding(h, "dao.test.near", 1, k);
}

static void check_register(const near_json *doc)
{
    dao_register_args a;
    unsigned curve;
    uint8_t key[64];
    size_t key_len;
    if (dao_parse_register(&a, doc) != NULL) {
        return;
    }
    if (!near_public_key_parse(&curve, key, &key_len, a.public_key_str, strlen(a.public_key_str)) ||
        curve != NEAR_CURVE_ED25519 || memcmp(key, a.public_key, 32) != 0 ||
        strlen(a.quote_hex) % 2 != 0 || a.collateral == NULL) {
        abort();
    }
    check_app_key(&a.app);
}

static void check_binding(const near_json *doc)
{
    dao_binding_args b;
    near_buf j = {0};
    const near_json *d;
    const char *acct;
    if (dao_parse_binding(&b, doc) != NULL) {
        return;
    }
    near_buf_puts(&j, b.json);
    near_buf_putc(&j, '}');
    d = parse(j.data);
    acct = near_json_string(near_json_get(d, "account_id"));
    if (acct == NULL || strcmp(acct, b.account_id) != 0) {
        abort();
    }
}

static void check_measurements(const near_json *doc)
{
    dao_measurements m, again;
    near_buf b = {0};
    if (dao_parse_measurements(&m, doc) != NULL) {
        return;
    }
    dao_write_measurements(&b, &m);
    if (dao_parse_measurements(&again, parse(b.data)) != NULL || memcmp(&m, &again, sizeof m)) {
        abort();
    }
}

const unsigned fuzz_args_parsers = 8;

void fuzz_args_check(unsigned sel, const char *text, size_t len, const near_json *doc)
{
    if (sel == 6) {
        dao_verdict v;
        if (dao_parse_verdict(&v, (const uint8_t *)text, len) == NULL &&
            (v.root == NULL || (v.accepted != 0 && v.accepted != 1))) {
            abort();
        }
        return;
    }
    if (doc == NULL) {
        return;
    }
    switch (sel) {
    case 0:
        check_init(doc);
        break;
    case 1:
        check_proposal(doc);
        break;
    case 2: {
        uint64_t id;
        int approve;
        if (dao_parse_vote(&id, &approve, doc) == NULL && approve != 0 && approve != 1) {
            abort();
        }
        break;
    }
    case 3:
        check_register(doc);
        break;
    case 4: {
        dao_app_key k;
        if (dao_parse_request_key(&k, doc) == NULL) {
            check_app_key(&k);
        }
        break;
    }
    case 5:
        check_binding(doc);
        break;
    default:
        check_measurements(doc);
        break;
    }
}
