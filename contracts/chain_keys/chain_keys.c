/*
 * chain_keys contract (DESIGN 3): the on-chain registry of the keys teekeys derives for NEAR
 * accounts. The DAO registers (account_id, family, path) -> public key with the attestation of
 * the worker that derived it; the contract computes the address itself and indexes it. Each
 * account pays for its own storage (NEP-145), removes its bindings, and writes its signing
 * policies and automation keys. Every state change emits a NEP-297 event (standard
 * "teekeys-chain-keys"). Arguments and results: docs/contracts.md; policies: docs/policy.md.
 *
 * Storage: "c" = DAO account id; per account an iterable map "b:" acct NUL + slot = binding
 * record (JSON), slot = family NUL path, its index "l:" acct (the slots as borsh strings);
 * "a:" address = acct NUL slot; "p:" acct NUL slot = policy (compact JSON); "k:" acct =
 * automation keys (JSON array); "s:" acct = NEP-145 balance (near_storage.c). Maps: near_map.c.
 */
#include "chain_keys.h"

#define NEAR_CONTRACT chain_keys

/* ---- helpers ---- */
static const char *config_dao(void)
{
    size_t n;
    uint8_t *v = near_storage_read("c", 1, &n);
    if (v == NULL) {
        near_panic("chain-keys is not initialized (call new)");
    }
    return (const char *)v;
}

static const near_map addresses = NEAR_MAP("a:"), all_bindings = NEAR_MAP("b:"),
                      policies = NEAR_MAP("p:"), automation_keys = NEAR_MAP("k:");

/* family NUL path, with account_id NUL in front when it is not NULL */
static near_buf slot_key(const char *account_id, ck_family family, const char *path,
                         size_t path_len)
{
    near_buf k = {0};
    if (account_id != NULL) {
        near_buf_puts(&k, account_id);
        near_buf_putc(&k, 0);
    }
    near_buf_puts(&k, ck_family_name(family));
    near_buf_putc(&k, 0);
    near_buf_put(&k, path, path_len);
    return k;
}

/* the account's bindings: slot -> record, iterable */
static near_map bindings_of(const char *account_id)
{
    near_buf prefix = {0}, index = {0};
    near_map m = {0};
    near_buf_puts(&prefix, "b:");
    near_buf_puts(&prefix, account_id);
    near_buf_putc(&prefix, 0);
    near_buf_puts(&index, "l:");
    near_buf_puts(&index, account_id);
    m.prefix = prefix.data;
    m.prefix_len = prefix.len;
    m.index = index.data;
    m.index_len = index.len;
    return m;
}

static void emit(const char *event, const near_buf *data)
{
    near_emit_event(CK_STANDARD, CK_VERSION, event, data->data, data->len);
}

/* the binding record as stored and returned */
static near_buf binding_record(const ck_register_args *a, const char *address)
{
    near_buf r = {0};
    near_buf_putc(&r, '{');
    near_json_member_str(&r, "account_id", a->account_id, 1);
    near_json_member_str(&r, "family", ck_family_name(a->family), 0);
    near_buf_puts(&r, ",\"path\":");
    near_json_write_string(&r, a->path, a->path_len);
    near_json_member_str(&r, "network", a->network, 0);
    near_json_member_str(&r, "public_key", a->public_key, 0);
    near_json_member_str(&r, "address", address, 0);
    near_buf_puts(&r, ",\"tee_attestation\":{");
    near_json_member_str(&r, "tee_type", a->att.tee_type, 1);
    near_json_member_str(&r, "attestation_contract", a->att.attestation_contract, 0);
    near_buf_puts(&r, ",\"measurements\":");
    near_buf_puts(&r, a->att.measurements_json);
    near_json_member_str(&r, "worker", a->att.worker, 0);
    near_buf_puts(&r, ",\"verified_at\":");
    near_json_write_u128(&r, a->att.verified_at);
    near_buf_puts(&r, "},\"registered_at\":");
    near_json_write_u128(&r, near_block_timestamp());
    near_buf_putc(&r, '}');
    return r;
}

static const char *const no_args[] = {NULL};

/* ---- init and configuration ---- */
NEAR_METHOD(new)
{
    static const char *const allowed[] = {"dao_account_id", NULL};
    const near_json *doc = near_args_object(allowed);
    const char *dao = near_json_string(near_json_get(doc, "dao_account_id"));
    near_buf ev = {0};
    near_require_no_deposit();
    if (near_storage_has("c", 1)) {
        near_panic("chain-keys is already initialized");
    }
    near_require_self_or_parent();
    if (dao == NULL || !near_account_id_valid(dao, near_strlen(dao))) {
        near_panic("dao_account_id must be a valid NEAR account id");
    }
    near_storage_write("c", 1, dao, near_strlen(dao));
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "dao_account_id", dao, 1);
    near_buf_putc(&ev, '}');
    emit("init", &ev);
}

NEAR_METHOD(get_config)
{
    near_buf out = {0};
    const char *dao;
    (void)near_args_object(no_args);
    dao = config_dao();
    near_buf_putc(&out, '{');
    near_json_member_str(&out, "dao_account_id", dao, 1);
    near_json_member_str(&out, "version", CK_VERSION, 0);
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

/* ---- bindings ---- */
NEAR_METHOD(register_tee_key)
{
    static const char *const all[] = {"account_id", "family",          "path", "network",
                                      "public_key", "tee_attestation", NULL};
    const near_json *doc = near_args_object(all);
    const char *dao = config_dao(), *pred = near_predecessor_account_id(), *err = NULL;
    const char *address, *index_form;
    ck_register_args a;
    near_buf slot, rec, ev = {0}, ival;
    near_map mine;
    uint64_t before;
    uint8_t *existing;
    size_t n;
    near_storage_balance sb;
    near_require_no_deposit();
    if (!near_streq(pred, dao)) {
        near_panic_detail("register_tee_key may be called only by the DAO account ", dao);
    }
    near_check(ck_parse_register(&a, doc));
    address = ck_address(a.family, a.network, a.key, a.key_len, &err);
    if (address == NULL) {
        near_panic(err);
    }
    mine = bindings_of(a.account_id);
    slot = slot_key(NULL, a.family, a.path, a.path_len);
    existing = near_map_get(&mine, slot.data, slot.len, &n);
    if (existing != NULL) {
        const near_json *old = near_stored_json(existing, n);
        const char *old_pk = near_stored_str(old, "public_key"),
                   *old_net = near_stored_str(old, "network");
        int same_net = (old_net == NULL && a.network == NULL) ||
                       (old_net != NULL && a.network != NULL && near_streq(old_net, a.network));
        if (old_pk != NULL && near_streq(old_pk, a.public_key) && same_net) {
            near_return(existing, n); /* the same key again: nothing changes */
            return;
        }
        near_panic("a different key (or network) is already bound to this account, family and "
                   "path; the account must call remove_binding first");
    }
    if (!near_nep145_get(&sb, a.account_id)) {
        near_panic_detail("no storage deposit for account (call storage_deposit first): ",
                          a.account_id);
    }
    index_form = ck_address_index_form(address, near_strlen(address));
    if (near_map_has(&addresses, index_form, near_strlen(index_form))) {
        near_panic_detail("address is already bound to another binding: ", address);
    }
    if (near_map_len(&mine) >= CK_BINDINGS_MAX) {
        near_panic("the account already has 100 bindings");
    }
    before = near_storage_usage();
    rec = binding_record(&a, address);
    near_map_set(&mine, slot.data, slot.len, rec.data, rec.len);
    ival = slot_key(a.account_id, a.family, a.path, a.path_len);
    near_map_set(&addresses, index_form, near_strlen(index_form), ival.data, ival.len);
    near_nep145_charge(a.account_id, before);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "account_id", a.account_id, 1);
    near_json_member_str(&ev, "family", ck_family_name(a.family), 0);
    near_buf_puts(&ev, ",\"path\":");
    near_json_write_string(&ev, a.path, a.path_len);
    near_json_member_str(&ev, "network", a.network, 0);
    near_json_member_str(&ev, "public_key", a.public_key, 0);
    near_json_member_str(&ev, "address", address, 0);
    near_json_member_str(&ev, "worker", a.att.worker, 0);
    near_buf_putc(&ev, '}');
    emit("register_binding", &ev);
    near_return(rec.data, rec.len);
}

NEAR_METHOD(remove_binding)
{
    const near_json *doc = near_args_object((const char *const[]){"family", "path", NULL});
    const char *account_id, *address, *pk, *index_form;
    ck_slot_args s;
    near_buf slot, ev = {0};
    near_map mine;
    uint8_t *existing;
    size_t n;
    uint64_t before;
    const near_json *old;
    near_require_no_deposit();
    (void)config_dao();
    near_check(ck_parse_slot(&s, NULL, doc, 0, NULL));
    account_id = near_predecessor_account_id();
    mine = bindings_of(account_id);
    slot = slot_key(NULL, s.family, s.path, s.path_len);
    existing = near_map_get(&mine, slot.data, slot.len, &n);
    if (existing == NULL) {
        near_panic("no binding for this account, family and path");
    }
    old = near_stored_json(existing, n);
    address = near_stored_str(old, "address");
    pk = near_stored_str(old, "public_key");
    if (address == NULL || pk == NULL) {
        near_panic("corrupt stored record");
    }
    before = near_storage_usage();
    near_map_remove(&mine, slot.data, slot.len);
    index_form = ck_address_index_form(address, near_strlen(address));
    near_map_remove(&addresses, index_form, near_strlen(index_form));
    near_nep145_charge(account_id, before);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "account_id", account_id, 1);
    near_json_member_str(&ev, "family", ck_family_name(s.family), 0);
    near_buf_puts(&ev, ",\"path\":");
    near_json_write_string(&ev, s.path, s.path_len);
    near_json_member_str(&ev, "public_key", pk, 0);
    near_json_member_str(&ev, "address", address, 0);
    near_buf_putc(&ev, '}');
    emit("remove_binding", &ev);
}

/* the views get_binding and get_policy: {account_id, family, path?} -> the map's value or null */
static void view_slot(const near_map *m)
{
    const near_json *doc =
        near_args_object((const char *const[]){"account_id", "family", "path", NULL});
    const char *account_id = NULL;
    ck_slot_args s;
    near_buf key;
    uint8_t *v;
    size_t n;
    (void)config_dao();
    near_check(ck_parse_slot(&s, &account_id, doc, 1, NULL));
    key = slot_key(account_id, s.family, s.path, s.path_len);
    v = near_map_get(m, key.data, key.len, &n);
    if (v == NULL) {
        near_return_str("null");
        return;
    }
    near_return(v, n);
}

NEAR_METHOD(get_binding)
{
    view_slot(&all_bindings);
}

NEAR_METHOD(get_bindings)
{
    const near_json *doc = near_args_object((const char *const[]){"account_id", NULL});
    const char *account_id = near_json_string(near_json_get(doc, "account_id"));
    near_buf out = {0};
    near_map mine;
    (void)config_dao();
    if (account_id == NULL || !near_account_id_valid(account_id, near_strlen(account_id))) {
        near_panic("account_id must be a valid NEAR account id");
    }
    mine = bindings_of(account_id);
    near_map_write_json_page(&out, &mine, 0, CK_BINDINGS_MAX);
    near_return(out.data, out.len);
}

NEAR_METHOD(find_by_address)
{
    const near_json *doc = near_args_object((const char *const[]){"address", NULL});
    const near_json *a = near_json_get(doc, "address");
    const char *index_form;
    uint8_t *slot, *v;
    size_t n;
    (void)config_dao();
    if (a == NULL || a->type != NEAR_JSON_STRING || a->len == 0 || a->len > CK_ADDRESS_MAX) {
        near_panic("address must be a non-empty string");
    }
    index_form = ck_address_index_form(a->str, a->len);
    slot = near_map_get(&addresses, index_form, near_strlen(index_form), &n);
    if (slot == NULL) {
        near_return_str("null");
        return;
    }
    v = near_map_get(&all_bindings, slot, n, &n);
    if (v == NULL) {
        near_panic("corrupt address index");
    }
    near_return(v, n);
}

/* ---- NEP-145 storage ---- */
NEAR_METHOD(storage_deposit)
{
    (void)config_dao();
    near_nep145_storage_deposit(CK_STANDARD);
}

NEAR_METHOD(storage_withdraw)
{
    (void)config_dao();
    near_nep145_storage_withdraw(CK_STANDARD);
}

NEAR_METHOD(storage_balance_of)
{
    (void)config_dao();
    near_nep145_storage_balance_of();
}

NEAR_METHOD(storage_balance_bounds)
{
    (void)config_dao();
    near_nep145_storage_balance_bounds();
}

/* ---- policies ---- */
NEAR_METHOD(set_policy)
{
    static const char *const extra[] = {"policy", NULL};
    const near_json *doc =
        near_args_object((const char *const[]){"family", "path", "policy", NULL});
    const near_json *policy = near_json_get(doc, "policy");
    const char *account_id, *compact = NULL;
    ck_slot_args s;
    near_buf key, ev = {0};
    uint64_t before;
    near_require_no_deposit();
    (void)config_dao();
    near_check(ck_parse_slot(&s, NULL, doc, 0, extra));
    if (policy == NULL) {
        near_panic("missing argument: policy (null removes the policy)");
    }
    account_id = near_predecessor_account_id();
    key = slot_key(account_id, s.family, s.path, s.path_len);
    before = near_storage_usage();
    if (policy->type == NEAR_JSON_NULL) {
        if (!near_map_remove(&policies, key.data, key.len)) {
            near_panic("no policy to remove for this family and path");
        }
    } else {
        near_check(ck_policy_check(&compact, policy, s.family));
        near_map_set(&policies, key.data, key.len, compact, near_strlen(compact));
    }
    near_nep145_charge(account_id, before);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "account_id", account_id, 1);
    near_json_member_str(&ev, "family", ck_family_name(s.family), 0);
    near_buf_puts(&ev, ",\"path\":");
    near_json_write_string(&ev, s.path, s.path_len);
    near_buf_puts(&ev, ",\"policy\":");
    near_buf_puts(&ev, compact != NULL ? compact : "null");
    near_buf_putc(&ev, '}');
    emit("set_policy", &ev);
}

NEAR_METHOD(get_policy)
{
    view_slot(&policies);
}

/* ---- automation keys ---- */
static const near_json *automation_read(const char *account_id)
{
    size_t n;
    uint8_t *v = near_map_get(&automation_keys, account_id, near_strlen(account_id), &n);
    return v != NULL ? near_stored_json(v, n) : NULL;
}

static void automation_write(const char *account_id, const near_buf *entries, size_t count)
{
    near_buf out = {0};
    size_t n = near_strlen(account_id);
    if (count == 0) {
        near_map_remove(&automation_keys, account_id, n);
        return;
    }
    near_buf_putc(&out, '[');
    near_buf_put(&out, entries->data, entries->len);
    near_buf_putc(&out, ']');
    near_map_set(&automation_keys, account_id, n, out.data, out.len);
}

NEAR_METHOD(add_automation_key)
{
    const near_json *doc =
        near_args_object((const char *const[]){"public_key", "scopes", "expires_at", NULL});
    const near_json *list, *e;
    const char *account_id;
    ck_automation_args a;
    near_buf entries = {0}, entry = {0}, ev = {0};
    size_t count = 0;
    uint64_t before;
    int replaced = 0;
    near_require_no_deposit();
    (void)config_dao();
    near_check(ck_parse_automation(&a, doc, near_block_timestamp()));
    account_id = near_predecessor_account_id();
    near_buf_putc(&entry, '{');
    near_json_member_str(&entry, "public_key", a.public_key, 1);
    near_buf_puts(&entry, ",\"scopes\":");
    near_buf_puts(&entry, a.scopes_json);
    near_buf_puts(&entry, ",\"expires_at\":");
    near_json_write_u128(&entry, a.expires_at);
    near_buf_putc(&entry, '}');
    list = automation_read(account_id);
    for (e = list != NULL ? list->child : NULL; e != NULL; e = e->next) {
        const char *pk = near_stored_str(e, "public_key");
        if (entries.len > 0) {
            near_buf_putc(&entries, ',');
        }
        if (pk != NULL && near_streq(pk, a.public_key)) {
            near_buf_put(&entries, entry.data, entry.len); /* replaces scopes and expiry */
            replaced = 1;
        } else {
            near_json_write(&entries, e);
        }
        count++;
    }
    if (!replaced) {
        if (count >= CK_AUTOMATION_MAX) {
            near_panic("the account already has 32 automation keys");
        }
        if (entries.len > 0) {
            near_buf_putc(&entries, ',');
        }
        near_buf_put(&entries, entry.data, entry.len);
        count++;
    }
    before = near_storage_usage();
    automation_write(account_id, &entries, count);
    near_nep145_charge(account_id, before);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "account_id", account_id, 1);
    near_buf_putc(&ev, ',');
    near_buf_put(&ev, entry.data + 1, entry.len - 1);
    emit("add_automation_key", &ev);
}

NEAR_METHOD(remove_automation_key)
{
    const near_json *doc = near_args_object((const char *const[]){"public_key", NULL});
    const near_json *pkv = near_json_get(doc, "public_key"), *list, *e;
    const char *account_id, *canonical;
    near_buf entries = {0}, ev = {0};
    uint8_t key[64];
    size_t key_len, count = 0;
    unsigned curve;
    uint64_t before;
    int found = 0;
    near_require_no_deposit();
    (void)config_dao();
    if (pkv == NULL || pkv->type != NEAR_JSON_STRING ||
        !near_public_key_parse(&curve, key, &key_len, pkv->str, pkv->len)) {
        near_panic("public_key must be a NEAR key string");
    }
    canonical = near_public_key_string(curve, key);
    account_id = near_predecessor_account_id();
    list = automation_read(account_id);
    for (e = list != NULL ? list->child : NULL; e != NULL; e = e->next) {
        const char *pk = near_stored_str(e, "public_key");
        if (pk != NULL && near_streq(pk, canonical)) {
            found = 1;
            continue;
        }
        if (entries.len > 0) {
            near_buf_putc(&entries, ',');
        }
        near_json_write(&entries, e);
        count++;
    }
    if (!found) {
        near_panic_detail("no such automation key: ", canonical);
    }
    before = near_storage_usage();
    automation_write(account_id, &entries, count);
    near_nep145_charge(account_id, before);
    near_buf_putc(&ev, '{');
    near_json_member_str(&ev, "account_id", account_id, 1);
    near_json_member_str(&ev, "public_key", canonical, 0);
    near_buf_putc(&ev, '}');
    emit("remove_automation_key", &ev);
}

NEAR_METHOD(get_automation_keys)
{
    const near_json *doc = near_args_object((const char *const[]){"account_id", NULL});
    const char *account_id = near_json_string(near_json_get(doc, "account_id"));
    uint8_t *v;
    size_t n;
    (void)config_dao();
    if (account_id == NULL || !near_account_id_valid(account_id, near_strlen(account_id))) {
        near_panic("account_id must be a valid NEAR account id");
    }
    v = near_map_get(&automation_keys, account_id, near_strlen(account_id), &n);
    if (v == NULL) {
        near_return_str("[]");
        return;
    }
    near_return(v, n);
}

#ifdef NEAR_NATIVE
extern const near_method chain_keys_methods[];
#define M(name)                                                                                    \
    {                                                                                              \
#name, contract_chain_keys_##name                                                          \
    }
const near_method chain_keys_methods[] = {M(new),
                                          M(get_config),
                                          M(register_tee_key),
                                          M(remove_binding),
                                          M(get_binding),
                                          M(get_bindings),
                                          M(find_by_address),
                                          M(storage_deposit),
                                          M(storage_withdraw),
                                          M(storage_balance_of),
                                          M(storage_balance_bounds),
                                          M(set_policy),
                                          M(get_policy),
                                          M(add_automation_key),
                                          M(remove_automation_key),
                                          M(get_automation_keys),
                                          {0, 0}};
#endif
