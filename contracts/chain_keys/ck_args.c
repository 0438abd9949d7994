/*
 * chain_keys argument parsers and validators: families and networks (DESIGN 2.2), path labels,
 * register_tee_key arguments with their attestation summary, (family, path) slots, automation
 * keys and the version-1 policy schema of docs/policy.md. Everything is checked strictly
 * (types, ranges, formats, duplicates, unknown members) and reported as a message; nothing
 * here panics, so the parsers can be fuzzed natively.
 */
#include "chain_keys.h"

#define FAM(f) (1u << (f))
#define ALL_FAMILIES                                                                               \
    (FAM(CK_EVM) | FAM(CK_BITCOIN) | FAM(CK_BITCOIN_TEST) | FAM(CK_SOLANA) | FAM(CK_NEAR))

static const char *const family_names[] = {NULL,           "evm",    "bitcoin",
                                           "bitcoin-test", "solana", "near"};

/* signing kinds of DESIGN 4.1 and the families they apply to */
static const struct {
    const char *name;
    unsigned families;
} kinds[] = {
    {"eth_transaction", FAM(CK_EVM)},
    {"eth_authorization", FAM(CK_EVM)},
    {"eth_personal", FAM(CK_EVM)},
    {"eth_typed_data", FAM(CK_EVM)},
    {"btc_psbt", FAM(CK_BITCOIN) | FAM(CK_BITCOIN_TEST)},
    {"sol_transaction", FAM(CK_SOLANA)},
    {"sol_message", FAM(CK_SOLANA)},
    {"near_transaction", FAM(CK_NEAR)},
    {"nep413", FAM(CK_NEAR)},
    {"raw_digest", ALL_FAMILIES},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

#define MAX_KINDS         16
#define MAX_CHAIN_RULES   32
#define MAX_DESTINATIONS  64
#define MAX_SCOPE_PATHS   32
#define MAX_WINDOW_S      31536000u /* one year */
#define MAX_RATE_REQUESTS 1000000u

/* ---- families, networks, paths ---- */
int ck_family_parse(ck_family *family, const char *name, size_t len)
{
    int f;
    for (f = CK_EVM; f <= CK_NEAR; f++) {
        if (near_streq_n(name, len, family_names[f])) {
            *family = (ck_family)f;
            return 1;
        }
    }
    return 0;
}

const char *ck_family_name(ck_family family)
{
    return family >= CK_EVM && family <= CK_NEAR ? family_names[family] : NULL;
}

unsigned ck_family_curve(ck_family family)
{
    return family == CK_SOLANA || family == CK_NEAR ? NEAR_CURVE_ED25519 : NEAR_CURVE_SECP256K1;
}

const char *ck_network_resolve(ck_family family, const char *name, const char **network)
{
    static const char *const test_nets[] = {"testnet", "signet", "regtest"};
    size_t i;
    switch (family) {
    case CK_BITCOIN:
        if (name != NULL && !near_streq(name, "mainnet")) {
            return "family bitcoin has only the network mainnet";
        }
        *network = "mainnet";
        return NULL;
    case CK_BITCOIN_TEST:
        if (name == NULL) {
            *network = "testnet";
            return NULL;
        }
        for (i = 0; i < 3; i++) {
            if (near_streq(name, test_nets[i])) {
                *network = test_nets[i];
                return NULL;
            }
        }
        return "family bitcoin-test takes the network testnet, signet or regtest";
    default:
        if (name != NULL) {
            return "this family takes no network";
        }
        *network = NULL;
        return NULL;
    }
}

const char *ck_btc_hrp(const char *network)
{
    if (network == NULL) {
        return NULL;
    }
    if (near_streq(network, "mainnet")) {
        return "bc";
    }
    if (near_streq(network, "testnet") || near_streq(network, "signet")) {
        return "tb";
    }
    return near_streq(network, "regtest") ? "bcrt" : NULL;
}

int ck_path_valid(const char *path, size_t len)
{
    size_t i;
    if (len > CK_PATH_MAX) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < 0x20 || c == 0x7f || c == '|') {
            return 0;
        }
        /* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8 (the JSON reader has already
         * checked the encoding) */
        if (c == 0xc2 && i + 1 < len && (unsigned char)path[i + 1] <= 0x9f) {
            return 0;
        }
    }
    return 1;
}

/* ---- small typed getters ---- */
static const near_json *member(const near_json *obj, const char *name)
{
    return near_json_get(obj, name);
}

static int is_string(const near_json *v)
{
    return v != NULL && v->type == NEAR_JSON_STRING;
}

/* u64 from a JSON integer or decimal string */
static int get_u64(const near_json *v, uint64_t *out)
{
    return v != NULL && near_json_u64(v, out);
}

/* a plain JSON integer in [lo, hi] */
static int get_int(const near_json *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    return v != NULL && v->type == NEAR_JSON_NUMBER && near_json_u64(v, out) && *out >= lo &&
           *out <= hi;
}

static const char *parse_path(const near_json *doc, const char **path, size_t *len)
{
    const near_json *p = member(doc, "path");
    if (p == NULL) {
        *path = "";
        *len = 0;
        return NULL;
    }
    if (!is_string(p)) {
        return "path must be a string";
    }
    if (!ck_path_valid(p->str, p->len)) {
        return "invalid path: at most 256 bytes, no control characters and no '|'";
    }
    *path = p->str;
    *len = p->len;
    return NULL;
}

static const char *parse_family(const near_json *doc, ck_family *family)
{
    const near_json *f = member(doc, "family");
    if (!is_string(f)) {
        return "missing string argument: family";
    }
    if (!ck_family_parse(family, f->str, f->len)) {
        return near_strcat2("unknown family (evm, bitcoin, bitcoin-test, solana, near): ", f->str);
    }
    return NULL;
}

static const char *parse_key(const near_json *v, const char *what, unsigned *curve, uint8_t *key,
                             size_t *key_len, const char **canonical)
{
    if (!is_string(v)) {
        return near_strcat2("missing string argument: ", what);
    }
    if (!near_public_key_parse(curve, key, key_len, v->str, v->len)) {
        return near_strcat2(what, " must be a NEAR key string (ed25519:<base58 32 bytes> or "
                                  "secp256k1:<base58 64 bytes>)");
    }
    *canonical = near_public_key_string(*curve, key);
    return NULL;
}

/* ---- register_tee_key ---- */
static const char *parse_attestation(ck_attestation *att, const near_json *v)
{
    static const char *const allowed[] = {"tee_type", "attestation_contract", "measurements",
                                          "worker",   "verified_at",          NULL};
    static const char *const regs[] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3", NULL};
    const near_json *t, *m;
    const char *err = near_json_check_object(v, "tee_attestation", allowed);
    near_buf mj = {0};
    uint8_t key[64], reg[48];
    size_t key_len, i;
    unsigned curve;
    if (err != NULL) {
        return err;
    }
    t = member(v, "tee_type");
    if (!is_string(t) || t->len == 0 || t->len > 32) {
        return "tee_attestation.tee_type must be a string of 1..32 characters";
    }
    for (i = 0; i < t->len; i++) {
        char c = t->str[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return "tee_attestation.tee_type may use only a-z, 0-9 and '-'";
        }
    }
    att->tee_type = t->str;
    err = near_json_account_member(v, "attestation_contract", &att->attestation_contract);
    if (err != NULL) {
        return near_strcat2("tee_attestation: ", err);
    }
    m = member(v, "measurements");
    err = near_json_check_object(m, "tee_attestation.measurements", regs);
    if (err != NULL) {
        return err;
    }
    near_buf_putc(&mj, '{');
    for (i = 0; regs[i] != NULL; i++) {
        const near_json *r = member(m, regs[i]);
        if (!is_string(r) || !near_unhex(reg, 48, r->str, r->len, 0)) {
            return near_strcat2(near_strcat2("tee_attestation.measurements.", regs[i]),
                                " must be 96 lowercase hex digits");
        }
        near_buf_puts(&mj, i ? ",\"" : "\"");
        near_buf_puts(&mj, regs[i]);
        near_buf_puts(&mj, "\":\"");
        near_buf_put(&mj, r->str, r->len);
        near_buf_putc(&mj, '"');
    }
    near_buf_putc(&mj, '}');
    att->measurements_json = mj.data;
    err = parse_key(member(v, "worker"), "tee_attestation.worker", &curve, key, &key_len,
                    &att->worker);
    if (err != NULL) {
        return err;
    }
    if (!get_u64(member(v, "verified_at"), &att->verified_at)) {
        return "tee_attestation.verified_at must be a u64 timestamp in nanoseconds";
    }
    return NULL;
}

const char *ck_parse_register(ck_register_args *out, const near_json *doc)
{
    static const char *const allowed[] = {"account_id", "family",          "path", "network",
                                          "public_key", "tee_attestation", NULL};
    const near_json *net;
    const char *err = near_json_check_object(doc, "arguments", allowed);
    if (err != NULL ||
        (err = near_json_account_member(doc, "account_id", &out->account_id)) != NULL ||
        (err = parse_family(doc, &out->family)) != NULL ||
        (err = parse_path(doc, &out->path, &out->path_len)) != NULL) {
        return err;
    }
    net = member(doc, "network");
    if (net != NULL && net->type != NEAR_JSON_NULL && !is_string(net)) {
        return "network must be a string";
    }
    err = ck_network_resolve(out->family, is_string(net) ? net->str : NULL, &out->network);
    if (err != NULL) {
        return err;
    }
    err = parse_key(member(doc, "public_key"), "public_key", &out->curve, out->key, &out->key_len,
                    &out->public_key);
    if (err != NULL) {
        return err;
    }
    if (out->curve != ck_family_curve(out->family)) {
        return out->curve == NEAR_CURVE_ED25519 ? "this family needs a secp256k1: public key"
                                                : "this family needs an ed25519: public key";
    }
    if (member(doc, "tee_attestation") == NULL) {
        return "missing argument: tee_attestation";
    }
    return parse_attestation(&out->att, member(doc, "tee_attestation"));
}

const char *ck_parse_slot(ck_slot_args *out, const char **account_id, const near_json *doc,
                          int with_account, const char *const *extra)
{
    const char *allowed[8];
    const char *err;
    size_t n = 0;
    allowed[n++] = "family";
    allowed[n++] = "path";
    if (with_account) {
        allowed[n++] = "account_id";
    }
    while (extra != NULL && *extra != NULL && n < 7) {
        allowed[n++] = *extra++;
    }
    allowed[n] = NULL;
    err = near_json_check_object(doc, "arguments", allowed);
    if (err == NULL && with_account) {
        err = near_json_account_member(doc, "account_id", account_id);
    }
    if (err == NULL) {
        err = parse_family(doc, &out->family);
    }
    if (err == NULL) {
        err = parse_path(doc, &out->path, &out->path_len);
    }
    return err;
}

/* ---- destinations ---- */
static int evm_address_valid(const char *s, size_t len)
{
    uint8_t raw[20];
    int lower = 0, upper = 0;
    size_t i;
    const char *sum;
    if (len != 42 || s[0] != '0' || s[1] != 'x' || !near_unhex(raw, 20, s + 2, 40, 1)) {
        return 0;
    }
    for (i = 2; i < len; i++) {
        lower |= s[i] >= 'a' && s[i] <= 'f';
        upper |= s[i] >= 'A' && s[i] <= 'F';
    }
    if (!lower || !upper) {
        return 1; /* no checksum casing */
    }
    sum = ck_eip55(raw);
    return near_memeq(sum, s, 42);
}

static int base58check_valid(const char *s, size_t len, uint8_t v1, uint8_t v2)
{
    uint8_t raw[25], h[32];
    if (!near_unbase58(raw, 25, s, len) || (raw[0] != v1 && raw[0] != v2)) {
        return 0;
    }
    near_sha256(h, raw, 21);
    near_sha256(h, h, 32);
    return near_memeq(h, raw + 21, 4);
}

static int btc_address_valid(ck_family family, const char *s, size_t len)
{
    uint8_t prog[40];
    size_t prog_len;
    unsigned version;
    if (family == CK_BITCOIN) {
        return near_segwit_decode(&version, prog, &prog_len, "bc", s, len) ||
               base58check_valid(s, len, 0x00, 0x05);
    }
    return near_segwit_decode(&version, prog, &prog_len, "tb", s, len) ||
           near_segwit_decode(&version, prog, &prog_len, "bcrt", s, len) ||
           base58check_valid(s, len, 0x6f, 0xc4);
}

static int destination_valid(ck_family family, const char *s, size_t len)
{
    uint8_t raw[32];
    switch (family) {
    case CK_EVM:
        return evm_address_valid(s, len);
    case CK_BITCOIN:
    case CK_BITCOIN_TEST:
        return btc_address_valid(family, s, len);
    case CK_SOLANA:
        return near_unbase58(raw, 32, s, len);
    case CK_NEAR:
        return near_account_id_valid(s, len);
    }
    return 0;
}

static const char *destinations(const near_json *list, ck_family family, const char *what)
{
    const near_json *d, *e;
    if (list->type != NEAR_JSON_ARRAY) {
        return near_strcat2(what, " must be an array of addresses");
    }
    if (list->count > MAX_DESTINATIONS) {
        return near_strcat2(what, " has more than 64 entries");
    }
    for (d = list->child; d != NULL; d = d->next) {
        const char *norm;
        if (!is_string(d) || !destination_valid(family, d->str, d->len)) {
            return near_strcat2(near_strcat2(what, ": not a valid destination for this family: "),
                                is_string(d) ? d->str : "(not a string)");
        }
        norm = ck_address_index_form(d->str, d->len);
        for (e = list->child; e != d; e = e->next) {
            if (near_streq(norm, ck_address_index_form(e->str, e->len))) {
                return near_strcat2(near_strcat2(what, ": duplicate entry "), d->str);
            }
        }
    }
    return NULL;
}

/* ---- kinds ---- */
static int kind_index(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < N_KINDS; i++) {
        if (near_streq_n(s, len, kinds[i].name)) {
            return (int)i;
        }
    }
    return -1;
}

/* A non-empty (unless allow_empty) array of distinct known kinds applying to `families`. */
static const char *kind_list(const near_json *list, unsigned families, int allow_raw,
                             int allow_empty, const char *what)
{
    const near_json *k;
    unsigned seen = 0;
    if (list == NULL || list->type != NEAR_JSON_ARRAY) {
        return near_strcat2(what, " must be an array of signing kinds");
    }
    if ((!allow_empty && list->count == 0) || list->count > MAX_KINDS) {
        return near_strcat2(what, allow_empty ? " has too many entries" : " must list 1..16 kinds");
    }
    for (k = list->child; k != NULL; k = k->next) {
        int i = is_string(k) ? kind_index(k->str, k->len) : -1;
        if (i < 0) {
            return near_strcat2(near_strcat2(what, ": unknown signing kind "),
                                is_string(k) ? k->str : "(not a string)");
        }
        if (!allow_raw && near_streq(kinds[i].name, "raw_digest")) {
            return near_strcat2(what,
                                ": raw_digest is enabled by allow_raw_digest, not listed in kinds");
        }
        if ((kinds[i].families & families) == 0) {
            return near_strcat2(near_strcat2(what, ": kind does not apply to the family: "),
                                k->str);
        }
        if (seen & (1u << i)) {
            return near_strcat2(near_strcat2(what, ": duplicate kind "), k->str);
        }
        seen |= 1u << i;
    }
    return NULL;
}

/* ---- policy (docs/policy.md, version 1) ---- */
static const char *chain_rule(const near_json *rule, ck_family family, const near_json *rules)
{
    static const char *const allowed[] = {
        "chain", "allow", "deny", "max_value_per_tx", "max_value_per_window", NULL};
    static const char *const window_allowed[] = {"amount", "window_s", NULL};
    const near_json *c = member(rule, "chain"), *v, *prev;
    const char *err = near_json_check_object(rule, "policy.chains[]", allowed);
    unsigned __int128 amount;
    uint64_t n;
    if (err != NULL) {
        return err;
    }
    if (!is_string(c)) {
        return "policy.chains[].chain must be a string";
    }
    if (!near_streq_n(c->str, c->len, "*")) {
        if (family != CK_EVM) {
            return "policy.chains[].chain must be \"*\" for this family (only evm names chain ids)";
        }
        if (!near_parse_u64(&n, c->str, c->len) || n == 0) {
            return near_strcat2("policy.chains[].chain must be \"*\" or a decimal EVM chain id: ",
                                c->str);
        }
    }
    for (prev = rules->child; prev != rule; prev = prev->next) {
        const near_json *pc = member(prev, "chain");
        if (pc->len == c->len && near_memeq(pc->str, c->str, c->len)) {
            return near_strcat2("policy.chains: duplicate chain ", c->str);
        }
    }
    if ((v = member(rule, "allow")) != NULL &&
        (err = destinations(v, family, "policy.chains[].allow")) != NULL) {
        return err;
    }
    if ((v = member(rule, "deny")) != NULL &&
        (err = destinations(v, family, "policy.chains[].deny")) != NULL) {
        return err;
    }
    v = member(rule, "max_value_per_tx");
    if (v != NULL && (!is_string(v) || !near_json_u128(v, &amount))) {
        return "policy.chains[].max_value_per_tx must be a decimal string (base units)";
    }
    v = member(rule, "max_value_per_window");
    if (v != NULL) {
        err = near_json_check_object(v, "policy.chains[].max_value_per_window", window_allowed);
        if (err != NULL) {
            return err;
        }
        if (!is_string(member(v, "amount")) || !near_json_u128(member(v, "amount"), &amount)) {
            return "policy.chains[].max_value_per_window.amount must be a decimal string";
        }
        if (!get_int(member(v, "window_s"), 1, MAX_WINDOW_S, &n)) {
            return "policy.chains[].max_value_per_window.window_s must be an integer 1..31536000";
        }
    }
    return NULL;
}

const char *ck_policy_check(const char **compact, const near_json *policy, ck_family family)
{
    static const char *const allowed[] = {"version",    "kinds",      "allow_raw_digest", "chains",
                                          "rate_limit", "valid_from", "valid_until",      NULL};
    static const char *const rate_allowed[] = {"max_requests", "window_s", NULL};
    const near_json *v, *r;
    const char *err = near_json_check_object(policy, "policy", allowed);
    uint64_t n, from = 0, until = 0;
    near_buf out = {0};
    if (err != NULL) {
        return err;
    }
    v = member(policy, "version");
    if (v == NULL || v->type != NEAR_JSON_NUMBER) {
        return "policy.version must be the number 1";
    }
    if (!near_streq_n(v->str, v->len, "1")) {
        return near_strcat2("unsupported policy version: ", v->str);
    }
    err = kind_list(member(policy, "kinds"), FAM(family), 0, 1, "policy.kinds");
    if (err != NULL) {
        return err;
    }
    v = member(policy, "allow_raw_digest");
    if (v != NULL && v->type != NEAR_JSON_BOOL) {
        return "policy.allow_raw_digest must be a boolean";
    }
    v = member(policy, "chains");
    if (v != NULL) {
        if (v->type != NEAR_JSON_ARRAY || v->count > MAX_CHAIN_RULES) {
            return "policy.chains must be an array of at most 32 rules";
        }
        for (r = v->child; r != NULL; r = r->next) {
            if ((err = chain_rule(r, family, v)) != NULL) {
                return err;
            }
        }
    }
    v = member(policy, "rate_limit");
    if (v != NULL) {
        if ((err = near_json_check_object(v, "policy.rate_limit", rate_allowed)) != NULL) {
            return err;
        }
        if (!get_int(member(v, "max_requests"), 1, MAX_RATE_REQUESTS, &n)) {
            return "policy.rate_limit.max_requests must be an integer 1..1000000";
        }
        if (!get_int(member(v, "window_s"), 1, MAX_WINDOW_S, &n)) {
            return "policy.rate_limit.window_s must be an integer 1..31536000";
        }
    }
    v = member(policy, "valid_from");
    if (v != NULL && !get_u64(v, &from)) {
        return "policy.valid_from must be a u64 timestamp in nanoseconds";
    }
    v = member(policy, "valid_until");
    if (v != NULL && !get_u64(v, &until)) {
        return "policy.valid_until must be a u64 timestamp in nanoseconds";
    }
    if (member(policy, "valid_from") != NULL && v != NULL && from >= until) {
        return "policy.valid_from must be before policy.valid_until";
    }
    near_json_write(&out, policy);
    *compact = out.data;
    return NULL;
}

/* ---- automation keys ---- */
static const char *scopes_check(const near_json *s)
{
    static const char *const allowed[] = {"families", "kinds", "paths", NULL};
    const near_json *f = member(s, "families"), *k, *p, *q;
    const char *err = near_json_check_object(s, "scopes", allowed);
    unsigned families = 0;
    if (err != NULL) {
        return err;
    }
    if (f == NULL || f->type != NEAR_JSON_ARRAY || f->count == 0 || f->count > 5) {
        return "scopes.families must be a non-empty array of families";
    }
    for (k = f->child; k != NULL; k = k->next) {
        ck_family fam;
        if (!is_string(k) || !ck_family_parse(&fam, k->str, k->len)) {
            return "scopes.families: unknown family";
        }
        if (families & FAM(fam)) {
            return near_strcat2("scopes.families: duplicate family ", k->str);
        }
        families |= FAM(fam);
    }
    err = kind_list(member(s, "kinds"), families, 1, 0, "scopes.kinds");
    if (err != NULL) {
        return err;
    }
    p = member(s, "paths");
    if (p != NULL) {
        if (p->type != NEAR_JSON_ARRAY || p->count == 0 || p->count > MAX_SCOPE_PATHS) {
            return "scopes.paths must be an array of 1..32 paths (omit it for every path)";
        }
        for (k = p->child; k != NULL; k = k->next) {
            if (!is_string(k) || !ck_path_valid(k->str, k->len)) {
                return "scopes.paths: invalid path";
            }
            for (q = p->child; q != k; q = q->next) {
                if (q->len == k->len && near_memeq(q->str, k->str, k->len)) {
                    return near_strcat2("scopes.paths: duplicate path ", k->str);
                }
            }
        }
    }
    return NULL;
}

const char *ck_parse_automation(ck_automation_args *out, const near_json *doc, uint64_t now)
{
    static const char *const allowed[] = {"public_key", "scopes", "expires_at", NULL};
    const near_json *s;
    const char *err = near_json_check_object(doc, "arguments", allowed);
    uint8_t key[64];
    size_t key_len;
    unsigned curve;
    near_buf sj = {0};
    if (err != NULL) {
        return err;
    }
    err =
        parse_key(member(doc, "public_key"), "public_key", &curve, key, &key_len, &out->public_key);
    if (err != NULL) {
        return err;
    }
    s = member(doc, "scopes");
    if (s == NULL) {
        return "missing argument: scopes";
    }
    if ((err = scopes_check(s)) != NULL) {
        return err;
    }
    if (!get_u64(member(doc, "expires_at"), &out->expires_at)) {
        return "expires_at must be a u64 timestamp in nanoseconds";
    }
    if (out->expires_at <= now) {
        return "expires_at is not in the future";
    }
    near_json_write(&sj, s);
    out->scopes_json = sj.data;
    return NULL;
}
