/*
 * Fuzzes the chain-keys contract's argument parsers (natively built): the first byte picks the
 * parser (register_tee_key, a (family, path) slot, a policy for one of the five families, an
 * automation key), the rest is the JSON text. No parser may crash, read out of bounds or panic;
 * whatever one accepts must be self-consistent: a compact policy or scope set re-parses and
 * re-validates to the same text, an accepted key string round-trips, an accepted path and
 * network obey DESIGN 2.2. Only sha256/keccak256 and the registers are real host functions
 * here (contract_hash_host.c; base58check and EIP-55 checks use them); any other host call
 * aborts. The input handling is contract_args.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "chain_keys.h"
#include "contract_args.h"

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

const unsigned fuzz_args_parsers = 8;

void fuzz_args_check(unsigned sel, const char *text, size_t len, const near_json *doc)
{
    (void)text;
    (void)len;
    if (doc == NULL) {
        return;
    }
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
