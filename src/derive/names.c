/*
 * Family and network names of derivation v1 and which networks each family accepts.
 * These strings are part of the HKDF info and of the public API: never rename one.
 */
#include <string.h>

#include "teekeys/derive.h"

static const struct {
    tk_family family;
    const char *name;
    tk_curve curve;
} families[] = {
    {TK_FAMILY_EVM, "evm", TK_CURVE_SECP256K1},
    {TK_FAMILY_BITCOIN, "bitcoin", TK_CURVE_SECP256K1},
    {TK_FAMILY_BITCOIN_TEST, "bitcoin-test", TK_CURVE_SECP256K1},
    {TK_FAMILY_SOLANA, "solana", TK_CURVE_ED25519},
    {TK_FAMILY_NEAR, "near", TK_CURVE_ED25519},
};

static const char *const network_names[] = {NULL, "mainnet", "testnet", "signet", "regtest"};

int tk_derive_family_parse(tk_family *family, const char *name)
{
    size_t i;
    if (family == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "family is missing");
    }
    for (i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (strcmp(name, families[i].name) == 0) {
            *family = families[i].family;
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_INPUT,
                   "unknown family '%.32s' (expected evm, bitcoin, bitcoin-test, solana or near)",
                   name);
}

const char *tk_derive_family_name(tk_family family)
{
    size_t i;
    for (i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (families[i].family == family) {
            return families[i].name;
        }
    }
    return NULL;
}

tk_curve tk_derive_family_curve(tk_family family)
{
    size_t i;
    for (i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (families[i].family == family) {
            return families[i].curve;
        }
    }
    return 0;
}

const char *tk_derive_network_name(tk_network network)
{
    if ((unsigned)network >= sizeof network_names / sizeof network_names[0]) {
        return NULL;
    }
    return network_names[network];
}

int tk_derive_network_resolve(tk_network *network, tk_family family, const char *name)
{
    tk_network n = TK_NETWORK_NONE;
    size_t i;

    if (network == NULL || tk_derive_family_name(family) == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_derive_network_resolve: invalid argument");
    }
    if (name != NULL) {
        for (i = 1; i < sizeof network_names / sizeof network_names[0]; i++) {
            if (strcmp(name, network_names[i]) == 0) {
                n = (tk_network)i;
            }
        }
        if (n == TK_NETWORK_NONE) {
            return tk_fail(TK_ERR_INPUT,
                           "unknown network '%.32s' (expected mainnet, testnet, signet or regtest)",
                           name);
        }
    }
    switch (family) {
    case TK_FAMILY_BITCOIN:
        if (n != TK_NETWORK_NONE && n != TK_NETWORK_MAINNET) {
            return tk_fail(TK_ERR_INPUT,
                           "family bitcoin is mainnet only; use family bitcoin-test for %s",
                           network_names[n]);
        }
        *network = TK_NETWORK_MAINNET;
        return TK_OK;
    case TK_FAMILY_BITCOIN_TEST:
        if (n == TK_NETWORK_MAINNET) {
            return tk_fail(TK_ERR_INPUT,
                           "family bitcoin-test takes testnet, signet or regtest; use family "
                           "bitcoin for mainnet");
        }
        *network = n == TK_NETWORK_NONE ? TK_NETWORK_TESTNET : n;
        return TK_OK;
    default:
        if (name != NULL) {
            return tk_fail(TK_ERR_INPUT, "family %s has no networks; drop the network option",
                           tk_derive_family_name(family));
        }
        *network = TK_NETWORK_NONE;
        return TK_OK;
    }
}
