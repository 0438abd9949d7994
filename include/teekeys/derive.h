/*
 * teekeys derive: key derivation v1 (DESIGN 2.2), master secret -> per-account, per-family keys.
 *
 *   okm = HKDF-SHA256(salt = none, ikm = master,
 *                     info = "teekeys/v1|" account_id "|" family "|" path [ "|" counter ], L = 32)
 *
 * ed25519 families (solana, near) use okm as the seed. secp256k1 families (evm, bitcoin,
 * bitcoin-test) read okm big-endian; if it is 0 or >= n, "|1", "|2", ... is appended to info.
 * Changing anything here changes every user's addresses: the known-answer vectors in
 * tests/vectors/derive_v1.json are the contract and must never change under the v1 tag.
 */
#ifndef TEEKEYS_DERIVE_H
#define TEEKEYS_DERIVE_H

#include <stddef.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_MASTER_LEN        32
#define TK_DERIVE_PATH_MAX   256 /* bytes of UTF-8 */
#define TK_DERIVE_INFO_MAX   (11 + 64 + 1 + 12 + 1 + TK_DERIVE_PATH_MAX + 1 + 10)
#define TK_SECP256K1_PUB_LEN 64 /* uncompressed x || y, no 0x04 prefix */
#define TK_ED25519_PUB_LEN   32
#define TK_KEY_SECRET_LEN    64 /* secp256k1: 32-byte scalar; ed25519: seed || public key */

typedef enum {
    TK_FAMILY_EVM = 1,
    TK_FAMILY_BITCOIN,
    TK_FAMILY_BITCOIN_TEST,
    TK_FAMILY_SOLANA,
    TK_FAMILY_NEAR
} tk_family;

typedef enum {
    TK_NETWORK_NONE = 0, /* families without networks */
    TK_NETWORK_MAINNET,
    TK_NETWORK_TESTNET,
    TK_NETWORK_SIGNET,
    TK_NETWORK_REGTEST
} tk_network;

typedef enum { TK_CURVE_SECP256K1 = 1, TK_CURVE_ED25519 } tk_curve;

/* Parses a family name ("evm", "bitcoin", "bitcoin-test", "solana", "near"). */
int tk_derive_family_parse(tk_family *family, const char *name) TK_MUST_CHECK;

/* Returns: the canonical name of a family, or NULL for an invalid value. */
const char *tk_derive_family_name(tk_family family);

/* Returns: the curve a family's keys live on. */
tk_curve tk_derive_family_curve(tk_family family);

/* Resolves the network for a family: `name` NULL picks the family's default (bitcoin:
 * mainnet, bitcoin-test: testnet, others: none). Families without networks reject any name;
 * bitcoin accepts only "mainnet"; bitcoin-test accepts "testnet", "signet", "regtest". */
int tk_derive_network_resolve(tk_network *network, tk_family family,
                              const char *name) TK_MUST_CHECK;

/* Returns: "mainnet"/"testnet"/"signet"/"regtest", or NULL for TK_NETWORK_NONE. */
const char *tk_derive_network_name(tk_network network);

/* Checks a derivation path label: valid UTF-8 (no overlong forms, no surrogates), at most
 * TK_DERIVE_PATH_MAX bytes, no control characters (C0, DEL, C1) and no '|'. "" is valid. */
int tk_derive_path_check(const char *path, size_t path_len) TK_MUST_CHECK;

/* Builds the HKDF info string for (account, family, path, counter); counter 0 means none.
 * Validates every part first. Out: info (NUL-terminated), *info_len. */
int tk_derive_info(char *info, size_t info_cap, size_t *info_len, const char *account_id,
                   tk_family family, const char *path, unsigned counter) TK_MUST_CHECK;

/* A derived key. `secret` points into guarded memory owned by the key (TK_KEY_SECRET_LEN
 * bytes): secp256k1 scalar in the first 32 bytes, or libsodium's ed25519 secret key
 * (seed || public key). `public_key` holds 64 (secp256k1, x || y) or 32 (ed25519) bytes. */
typedef struct {
    unsigned char *secret;
    unsigned char public_key[TK_SECP256K1_PUB_LEN];
    size_t public_key_len;
    tk_family family;
    tk_curve curve;
    unsigned counter; /* the secp256k1 retry counter that produced the key (usually 0) */
} tk_key;

/* Allocates the guarded secret buffer. A key can be reused for many derivations. */
int tk_key_init(tk_key *key) TK_MUST_CHECK;

/* Wipes and frees the key's secret (safe on a zeroed or already freed key). */
void tk_key_free(tk_key *key);

/* Derives the key of (account_id, family, path) from a 32-byte master secret.
 * Out: key (initialised with tk_key_init). In: master (TK_MASTER_LEN bytes), account_id (a
 * valid NEAR account id), family, path ("" for the default). On failure the key's secret is
 * wiped. */
int tk_derive_key(tk_key *key, const unsigned char *master, const char *account_id,
                  tk_family family, const char *path) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_DERIVE_H */
