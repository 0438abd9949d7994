/*
 * The signing kinds of DESIGN 4.1 and the families they belong to. Names are API: never rename.
 */
#include <string.h>

#include "teekeys/sign.h"

static const struct {
    tk_sign_kind kind;
    const char *name;
    tk_family families[2]; /* 0-terminated; raw_digest: any */
} kinds[] = {
    {TK_KIND_ETH_TRANSACTION, "eth_transaction", {TK_FAMILY_EVM, 0}},
    {TK_KIND_ETH_AUTHORIZATION, "eth_authorization", {TK_FAMILY_EVM, 0}},
    {TK_KIND_ETH_PERSONAL, "eth_personal", {TK_FAMILY_EVM, 0}},
    {TK_KIND_ETH_TYPED_DATA, "eth_typed_data", {TK_FAMILY_EVM, 0}},
    {TK_KIND_BTC_PSBT, "btc_psbt", {TK_FAMILY_BITCOIN, TK_FAMILY_BITCOIN_TEST}},
    {TK_KIND_SOL_TRANSACTION, "sol_transaction", {TK_FAMILY_SOLANA, 0}},
    {TK_KIND_SOL_MESSAGE, "sol_message", {TK_FAMILY_SOLANA, 0}},
    {TK_KIND_NEAR_TRANSACTION, "near_transaction", {TK_FAMILY_NEAR, 0}},
    {TK_KIND_NEP413, "nep413", {TK_FAMILY_NEAR, 0}},
    {TK_KIND_RAW_DIGEST, "raw_digest", {0, 0}},
};

#define N_KINDS (sizeof kinds / sizeof kinds[0])

int tk_sign_kind_parse(tk_sign_kind *kind, const char *name)
{
    size_t i;
    if (kind == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "kind is missing");
    }
    for (i = 0; i < N_KINDS; i++) {
        if (strcmp(name, kinds[i].name) == 0) {
            *kind = kinds[i].kind;
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_INPUT,
                   "unknown kind '%.40s' (expected eth_transaction, eth_authorization, "
                   "eth_personal, eth_typed_data, btc_psbt, sol_transaction, sol_message, "
                   "near_transaction, nep413 or raw_digest)",
                   name);
}

const char *tk_sign_kind_name(tk_sign_kind kind)
{
    size_t i;
    for (i = 0; i < N_KINDS; i++) {
        if (kinds[i].kind == kind) {
            return kinds[i].name;
        }
    }
    return NULL;
}

int tk_sign_kind_check(tk_sign_kind kind, tk_family family)
{
    size_t i;
    for (i = 0; i < N_KINDS; i++) {
        if (kinds[i].kind != kind) {
            continue;
        }
        if (kinds[i].families[0] == 0 || kinds[i].families[0] == family ||
            kinds[i].families[1] == family) {
            return TK_OK;
        }
        return tk_fail(TK_ERR_INPUT, "kind %s signs for family %s%s%s, not %s", kinds[i].name,
                       tk_derive_family_name(kinds[i].families[0]),
                       kinds[i].families[1] ? " or " : "",
                       kinds[i].families[1] ? tk_derive_family_name(kinds[i].families[1]) : "",
                       tk_derive_family_name(family) ? tk_derive_family_name(family) : "?");
    }
    return tk_fail(TK_ERR_ARG, "invalid kind value %d", (int)kind);
}
