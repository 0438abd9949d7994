/*
 * near_storage: NEP-145 storage accounting for contracts whose state grows on behalf of
 * accounts. Each registered account has a record "s:" + account_id = borsh (total deposit u128,
 * bytes used u64); a state change made for an account is measured with the host's
 * storage_usage and charged at 10^19 yoctoNEAR per byte (NEAR's storage price). The record's
 * size never changes after registration, so updating it does not move the measurement.
 */
#include "near_util.h"

#define RECORD_LEN 24

static const near_map balances = NEAR_MAP("s:");

uint64_t near_nep145_min_bytes(void)
{
    return 2 + 64 + RECORD_LEN + 40; /* key, value and nearcore's 40-byte record overhead */
}

int near_nep145_get(near_storage_balance *sb, const char *account_id)
{
    size_t vlen;
    uint8_t *v = near_map_get(&balances, account_id, near_strlen(account_id), &vlen);
    near_borsh_reader r;
    if (v == NULL) {
        return 0;
    }
    near_borsh_reader_init(&r, v, vlen);
    near_borsh_read_u128(&r, &sb->total);
    near_borsh_read_u64(&r, &sb->used_bytes);
    if (!near_borsh_end(&r)) {
        near_panic("corrupt storage balance record");
    }
    return 1;
}

void near_nep145_put(const char *account_id, const near_storage_balance *sb)
{
    near_buf v = {0};
    near_borsh_u128(&v, sb->total);
    near_borsh_u64(&v, sb->used_bytes);
    near_map_set(&balances, account_id, near_strlen(account_id), v.data, v.len);
}

static unsigned __int128 cost(uint64_t bytes)
{
    return (unsigned __int128)bytes * NEAR_STORAGE_BYTE_COST;
}

unsigned __int128 near_nep145_available(const near_storage_balance *sb)
{
    unsigned __int128 c = cost(sb->used_bytes);
    return sb->total > c ? sb->total - c : 0;
}

void near_nep145_charge(const char *account_id, uint64_t usage_before)
{
    near_storage_balance sb;
    uint64_t after = near_storage_usage();
    near_buf msg = {0};
    if (!near_nep145_get(&sb, account_id)) {
        near_panic_detail("no storage deposit for account (call storage_deposit first): ",
                          account_id);
    }
    if (after >= usage_before) {
        sb.used_bytes += after - usage_before;
    } else {
        uint64_t freed = usage_before - after;
        sb.used_bytes = sb.used_bytes > freed ? sb.used_bytes - freed : 0;
    }
    if (cost(sb.used_bytes) > sb.total) {
        near_buf_puts(&msg, "insufficient storage deposit for ");
        near_buf_puts(&msg, account_id);
        near_buf_puts(&msg, ": needs ");
        near_buf_puts(&msg, near_u128_to_str(cost(sb.used_bytes)));
        near_buf_puts(&msg, " yoctoNEAR, has ");
        near_buf_puts(&msg, near_u128_to_str(sb.total));
        near_buf_puts(&msg, " (call storage_deposit)");
        near_panic(msg.data);
    }
    near_nep145_put(account_id, &sb);
}

void near_nep145_write_balance(near_buf *b, const near_storage_balance *sb)
{
    near_buf_puts(b, "{\"total\":");
    near_json_write_u128(b, sb->total);
    near_buf_puts(b, ",\"available\":");
    near_json_write_u128(b, near_nep145_available(sb));
    near_buf_putc(b, '}');
}

static const char *account_arg(const near_json *doc, const char *name, int required)
{
    const near_json *v = near_json_get(doc, name);
    if (v == NULL || (!required && v->type == NEAR_JSON_NULL)) {
        if (required) {
            near_panic_detail("missing argument: ", name);
        }
        return NULL;
    }
    if (v->type != NEAR_JSON_STRING || !near_account_id_valid(v->str, v->len)) {
        near_panic_detail("invalid account id in argument: ", name);
    }
    return v->str;
}

static void event(const char *standard, const char *name, const char *account_id,
                  const char *amount_key, unsigned __int128 amount, const near_storage_balance *sb)
{
    near_buf d = {0};
    near_buf_puts(&d, "{\"account_id\":");
    near_json_write_string(&d, account_id, near_strlen(account_id));
    near_buf_puts(&d, ",\"");
    near_buf_puts(&d, amount_key);
    near_buf_puts(&d, "\":");
    near_json_write_u128(&d, amount);
    near_buf_puts(&d, ",\"balance\":");
    near_nep145_write_balance(&d, sb);
    near_buf_putc(&d, '}');
    near_emit_event(standard, "1.0.0", name, d.data, d.len);
}

void near_nep145_storage_deposit(const char *standard)
{
    static const char *const allowed[] = {"account_id", "registration_only", NULL};
    const near_json *doc = near_args_object(allowed);
    const near_json *ro = near_json_get(doc, "registration_only");
    const char *account_id = account_arg(doc, "account_id", 0);
    unsigned __int128 deposit = near_attached_deposit(), min = cost(near_nep145_min_bytes());
    unsigned __int128 credited = deposit;
    near_storage_balance sb;
    near_buf out = {0};
    int registration_only = 0;
    if (ro != NULL && ro->type != NEAR_JSON_NULL) {
        if (ro->type != NEAR_JSON_BOOL) {
            near_panic("registration_only must be a boolean");
        }
        registration_only = ro->boolean;
    }
    if (account_id == NULL) {
        account_id = near_predecessor_account_id();
    }
    if (near_nep145_get(&sb, account_id)) {
        if (registration_only) {
            credited = 0; /* already registered: everything goes back */
        } else {
            sb.total += deposit;
            near_nep145_put(account_id, &sb);
        }
    } else {
        uint64_t before = near_storage_usage();
        if (deposit < min) {
            near_buf msg = {0};
            near_buf_puts(&msg, "storage_deposit of a new account needs at least ");
            near_buf_puts(&msg, near_u128_to_str(min));
            near_buf_puts(&msg, " yoctoNEAR (storage_balance_bounds.min)");
            near_panic(msg.data);
        }
        if (registration_only) {
            credited = min;
        }
        sb.total = credited;
        sb.used_bytes = 0;
        near_nep145_put(account_id, &sb);
        sb.used_bytes = near_storage_usage() - before;
        near_nep145_put(account_id, &sb);
    }
    if (deposit > credited) {
        near_transfer(near_predecessor_account_id(), deposit - credited);
    }
    if (credited > 0) {
        event(standard, "storage_deposit", account_id, "amount", credited, &sb);
    }
    near_nep145_write_balance(&out, &sb);
    near_return(out.data, out.len);
}

void near_nep145_storage_withdraw(const char *standard)
{
    static const char *const allowed[] = {"amount", NULL};
    const near_json *doc = near_args_object(allowed);
    const near_json *a = near_json_get(doc, "amount");
    const char *account_id = near_predecessor_account_id();
    unsigned __int128 amount, available;
    near_storage_balance sb;
    near_buf out = {0};
    if (near_attached_deposit() != 1) {
        near_panic("storage_withdraw requires an attached deposit of exactly 1 yoctoNEAR");
    }
    if (!near_nep145_get(&sb, account_id)) {
        near_panic_detail("no storage deposit for account: ", account_id);
    }
    available = near_nep145_available(&sb);
    if (a == NULL || a->type == NEAR_JSON_NULL) {
        amount = available;
    } else if (a->type != NEAR_JSON_STRING || !near_json_u128(a, &amount)) {
        near_panic("amount must be a decimal string of yoctoNEAR");
    }
    if (amount > available) {
        near_buf msg = {0};
        near_buf_puts(&msg, "storage_withdraw amount exceeds the available balance of ");
        near_buf_puts(&msg, near_u128_to_str(available));
        near_panic(msg.data);
    }
    if (amount > 0) {
        sb.total -= amount;
        near_nep145_put(account_id, &sb);
        near_transfer(account_id, amount);
        event(standard, "storage_withdraw", account_id, "amount", amount, &sb);
    }
    near_nep145_write_balance(&out, &sb);
    near_return(out.data, out.len);
}

void near_nep145_storage_balance_of(void)
{
    static const char *const allowed[] = {"account_id", NULL};
    const near_json *doc = near_args_object(allowed);
    const char *account_id = account_arg(doc, "account_id", 1);
    near_storage_balance sb;
    near_buf out = {0};
    if (!near_nep145_get(&sb, account_id)) {
        near_return_str("null");
        return;
    }
    near_nep145_write_balance(&out, &sb);
    near_return(out.data, out.len);
}

void near_nep145_storage_balance_bounds(void)
{
    static const char *const allowed[] = {NULL};
    near_buf out = {0};
    (void)near_args_object(allowed);
    near_buf_puts(&out, "{\"min\":");
    near_json_write_u128(&out, cost(near_nep145_min_bytes()));
    near_buf_puts(&out, ",\"max\":null}");
    near_return(out.data, out.len);
}
