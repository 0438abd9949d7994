/*
 * Fuzzes the chain-keys contract's argument parsers (natively built): the first byte picks the
 * parser (register_tee_key, a (family, path) slot, a policy for one of the five families, an
 * automation key), the rest is the JSON text. No parser may crash, read out of bounds or panic;
 * whatever one accepts must be self-consistent: a compact policy or scope set re-parses and
 * re-validates to the same text, an accepted key string round-trips, an accepted path and
 * network obey DESIGN 2.2. Only sha256/keccak256 and the registers are real host functions
 * here (base58check and EIP-55 checks use them); any other host call aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "chain_keys.h"
#include "near_host.h"
#include "teekeys/hash.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static unsigned char reg[32];
static int reg_set;

near_u64 near_host_register_len(near_u64 id)
{
    return id == 0 && reg_set ? 32 : UINT64_MAX;
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    if (id != 0 || !reg_set) {
        abort();
    }
    memcpy((void *)(uintptr_t)p, reg, 32);
}

void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    if (id != 0) {
        abort();
    }
    tk_sha256(reg, (const void *)(uintptr_t)p, len);
    reg_set = 1;
}

void near_host_keccak256(near_u64 len, near_u64 p, near_u64 id)
{
    if (id != 0) {
        abort();
    }
    tk_keccak256(reg, (const void *)(uintptr_t)p, len);
    reg_set = 1;
}

static void same_policy(const char *compact, ck_family family)
{
    const char *err = NULL, *again = NULL;
    const near_json *doc = near_json_parse(compact, strlen(compact), &err);
    if (doc == NULL || ck_policy_check(&again, doc, family) != NULL ||
        strcmp(again, compact) != 0) {
        abort();
    }
}

static void check_register(const near_json *doc)
{
    ck_register_args a;
    unsigned curve;
    uint8_t key[64];
    size_t key_len;
    if (ck_parse_register(&a, doc) != NULL) {
        return;
    }
    if (!near_account_id_valid(a.account_id, strlen(a.account_id)) ||
        !ck_path_valid(a.path, a.path_len) || a.curve != ck_family_curve(a.family) ||
        !near_public_key_parse(&curve, key, &key_len, a.public_key, strlen(a.public_key)) ||
        curve != a.curve || key_len != a.key_len || memcmp(key, a.key, key_len) != 0) {
        abort();
    }
    if ((a.family == CK_BITCOIN || a.family == CK_BITCOIN_TEST) !=
        (ck_btc_hrp(a.network) != NULL)) {
        abort();
    }
}

static void check_automation(const near_json *doc)
{
    ck_automation_args a;
    const char *err = NULL;
    if (ck_parse_automation(&a, doc, 1700000000000000000ull) != NULL) {
        return;
    }
    if (a.expires_at <= 1700000000000000000ull ||
        near_json_parse(a.scopes_json, strlen(a.scopes_json), &err) == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *err = NULL;
    char *copy;
    const near_json *doc;
    unsigned sel;
    if (size < 1) {
        return 0;
    }
    sel = data[0] % 8;
    copy = malloc(size); /* exact size: ASan catches any over-read */
    memcpy(copy, data + 1, size - 1);
    doc = near_json_parse(copy, size - 1, &err);
    if (doc != NULL) {
        if (sel == 0) {
            check_register(doc);
        } else if (sel == 1) {
            ck_slot_args s;
            const char *account = NULL;
            if (ck_parse_slot(&s, &account, doc, 1, NULL) == NULL &&
                (!ck_path_valid(s.path, s.path_len) || ck_family_name(s.family) == NULL ||
                 !near_account_id_valid(account, strlen(account)))) {
                abort();
            }
        } else if (sel == 2) {
            check_automation(doc);
        } else {
            ck_family family = (ck_family)(CK_EVM + (int)(sel - 3)); /* 3..7: every family */
            const char *compact = NULL;
            if (ck_policy_check(&compact, doc, family) == NULL) {
                same_policy(compact, family);
            }
        }
    }
    free(copy);
    near_arena_reset();
    return 0;
}
