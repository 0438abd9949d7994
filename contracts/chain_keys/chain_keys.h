/*
 * chain_keys internals shared by the contract (chain_keys.c), its address derivation
 * (ck_address.c), its argument parsers (ck_args.c), the native unit test and the fuzzer.
 * Parsers return NULL on success or a message for the caller to panic with; they never
 * panic themselves (except when the arena runs out of memory).
 */
#ifndef CHAIN_KEYS_H
#define CHAIN_KEYS_H

#include "near_util.h"

#define CK_STANDARD "teekeys-chain-keys"
#define CK_VERSION  "1.0.0"

#define CK_PATH_MAX       256 /* bytes of UTF-8, as DESIGN 2.2 */
#define CK_BINDINGS_MAX   100 /* per account */
#define CK_AUTOMATION_MAX 32  /* automation keys per account */
#define CK_ADDRESS_MAX    96

typedef enum { CK_EVM = 1, CK_BITCOIN, CK_BITCOIN_TEST, CK_SOLANA, CK_NEAR } ck_family;

/* ---- families, networks, paths, keys (ck_args.c) ---- */
int ck_family_parse(ck_family *family, const char *name, size_t len);
const char *ck_family_name(ck_family family);
unsigned ck_family_curve(ck_family family); /* NEAR_CURVE_* */
/* Resolves the network of DESIGN 2.2 (NULL: the family's default). Out: canonical network name,
 * NULL for families without networks. */
const char *ck_network_resolve(ck_family family, const char *name, const char **network);
/* bc / tb / bcrt for a Bitcoin network name, NULL otherwise. */
const char *ck_btc_hrp(const char *network);
/* DESIGN 2.2 path label: <= 256 bytes, no control characters (C0, DEL, C1) and no '|'. */
int ck_path_valid(const char *path, size_t len);

/* ---- address derivation (ck_address.c) ----
 * The address of a public key: EIP-55 for evm (key 64 bytes x || y), BIP-86 P2TR for the
 * bitcoin families (via the ecrecover host function), base58 for solana and hex for near (key
 * 32 bytes). `network` as resolved by ck_network_resolve. NULL with *err set on bad input. */
char *ck_address(ck_family family, const char *network, const uint8_t *key, size_t key_len,
                 const char **err);
/* Pieces, exposed for the unit test. */
int ck_secp256k1_on_curve(const uint8_t pub[64]);
/* BIP-86 output key x(Q), Q = lift_x(x(P)) + hashTapTweak(x(P))·G, through nearcore's
 * ecrecover; 0 when it cannot be computed. */
int ck_taproot_output_key(uint8_t xq[32], const uint8_t x[32]);
char *ck_eip55(const uint8_t addr20[20]);
/* a*b mod m and -a mod m over 32-byte big-endian numbers (a, b < m), m = the secp256k1 group
 * order n (which_p = 0) or field prime p (which_p = 1). */
void ck_mulmod(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], int which_p);
void ck_negmod(uint8_t out[32], const uint8_t a[32], int which_p);
/* Normalises an address for the address index (EVM hex and bech32 to lowercase). */
char *ck_address_index_form(const char *address, size_t len);

/* ---- arguments (ck_args.c) ---- */
typedef struct {
    const char *measurements_json; /* compact, validated */
    const char *tee_type, *attestation_contract, *worker;
    uint64_t verified_at;
} ck_attestation;

typedef struct {
    const char *account_id;
    ck_family family;
    const char *path;
    size_t path_len;
    const char *network; /* canonical or NULL */
    unsigned curve;
    uint8_t key[64];
    size_t key_len;
    const char *public_key; /* canonical key string */
    ck_attestation att;
} ck_register_args;

const char *ck_parse_register(ck_register_args *out, const near_json *doc);

typedef struct {
    ck_family family;
    const char *path;
    size_t path_len;
} ck_slot_args;

/* {family, path?} plus, when with_account, {account_id}; `extra` names more allowed members. */
const char *ck_parse_slot(ck_slot_args *out, const char **account_id, const near_json *doc,
                          int with_account, const char *const *extra);

/* Validates a policy (docs/policy.md, version 1) for a family; out: compact JSON. */
const char *ck_policy_check(const char **compact, const near_json *policy, ck_family family);

typedef struct {
    const char *public_key;  /* canonical */
    const char *scopes_json; /* compact, validated */
    uint64_t expires_at;
} ck_automation_args;

/* {public_key, scopes, expires_at}; `now` is the block timestamp (ns). */
const char *ck_parse_automation(ck_automation_args *out, const near_json *doc, uint64_t now);

#endif
