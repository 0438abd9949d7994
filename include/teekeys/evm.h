/*
 * teekeys evm: Ethereum/EVM transactions and messages (DESIGN 4.1, kinds eth_transaction,
 * eth_authorization, eth_personal, eth_typed_data).
 *
 *  - Transactions: legacy with EIP-155, EIP-2930 (type 1), EIP-1559 (type 2), EIP-7702
 *    (type 4), read from the Ethereum JSON-RPC transaction object, encoded for signing,
 *    signed (secp256k1, RFC 6979 nonces, low-S, recovery id) and serialised; signed raw
 *    transactions decode back into the same structure.
 *  - EIP-7702 authorization tuples: keccak256(0x05 || rlp([chain_id, address, nonce])).
 *  - EIP-191 personal_sign and EIP-712 eth_signTypedData_v4, 65-byte signatures r || s || v
 *    with v = 27 + recovery id.
 *
 * Parsers are strict (hex quantities without leading zeros, exact field sets, size limits)
 * and name the offending field in the detail message. The secret key is an input only: it is
 * never stored in a structure of this module and every local copy is wiped.
 */
#ifndef TEEKEYS_EVM_H
#define TEEKEYS_EVM_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_EVM_SECKEY_LEN    32
#define TK_EVM_ADDRESS_LEN   20
#define TK_EVM_HASH_LEN      32
#define TK_EVM_SIGNATURE_LEN 65 /* r || s || v, v = 27 or 28 */
#define TK_EVM_ADDRESS_STR   43 /* "0x" + 40 hex + NUL */

/* Limits of the parsers and decoders. */
#define TK_EVM_MAX_DATA           (1u << 20) /* bytes of call data */
#define TK_EVM_MAX_ACCESS_LIST    1024       /* entries */
#define TK_EVM_MAX_STORAGE_KEYS   4096       /* storage keys over all entries */
#define TK_EVM_MAX_AUTHORIZATIONS 256
#define TK_EVM_MAX_JSON           (4u << 20) /* bytes of JSON text */

typedef enum {
    TK_EVM_TX_LEGACY = 0,
    TK_EVM_TX_EIP2930 = 1,
    TK_EVM_TX_EIP1559 = 2,
    TK_EVM_TX_EIP7702 = 4
} tk_evm_tx_type;

/* A 256-bit unsigned integer, big-endian. */
typedef struct {
    unsigned char b[32];
} tk_evm_u256;

typedef struct {
    unsigned char address[TK_EVM_ADDRESS_LEN];
    size_t n_keys;
    unsigned char (*keys)[32];
} tk_evm_access_entry;

/* An EIP-7702 authorization tuple; the signature part is valid when has_sig is set. */
typedef struct {
    uint64_t chain_id; /* 0 = valid on every chain */
    unsigned char address[TK_EVM_ADDRESS_LEN];
    uint64_t nonce;
    int has_sig;
    unsigned y_parity;
    tk_evm_u256 r, s;
} tk_evm_authorization;

/* A transaction. Arrays are owned (free with tk_evm_tx_free). The signature fields are valid
 * when has_sig is set; a decoded legacy transaction without EIP-155 has eip155 == 0. */
typedef struct {
    tk_evm_tx_type type;
    uint64_t chain_id;
    int eip155; /* legacy only: the signature commits to chain_id */
    uint64_t nonce;
    uint64_t gas;
    tk_evm_u256 gas_price;                /* types 0 and 1 */
    tk_evm_u256 max_fee_per_gas;          /* types 2 and 4 */
    tk_evm_u256 max_priority_fee_per_gas; /* types 2 and 4 */
    int has_to;                           /* 0: contract creation */
    unsigned char to[TK_EVM_ADDRESS_LEN];
    tk_evm_u256 value;
    unsigned char *data;
    size_t data_len;
    tk_evm_access_entry *access_list;
    size_t n_access;
    tk_evm_authorization *auths;
    size_t n_auths;
    int has_from; /* from the JSON object: must match the signing key */
    unsigned char from[TK_EVM_ADDRESS_LEN];
    int has_sig;
    unsigned y_parity;
    tk_evm_u256 r, s;
} tk_evm_tx;

/* Releases the arrays of a transaction and zeroes it. NULL is a no-op. */
void tk_evm_tx_free(tk_evm_tx *tx);

/* Parses a JSON-RPC transaction object (text). When `type` is absent it is inferred as
 * viem does (authorizationList → 4, maxFeePerGas → 2, accessList → 1, else 0); present
 * fields must fit the type. Unknown fields are refused. Out: *tx (free with tk_evm_tx_free,
 * also after a failure). */
int tk_evm_tx_from_json(tk_evm_tx *tx, const char *json, size_t json_len) TK_MUST_CHECK;

/* The same from a parsed jansson value (struct json_t is jansson's json_t). */
struct json_t;
int tk_evm_tx_from_jansson(tk_evm_tx *tx, const struct json_t *obj) TK_MUST_CHECK;

/* Encodes the transaction: unsigned (the payload whose keccak256 is signed; for legacy the
 * EIP-155 form) or signed (the raw transaction, typed ones with their type byte).
 * Out: *out (malloc'd, free with free()), *out_len. */
int tk_evm_tx_encode(unsigned char **out, size_t *out_len, const tk_evm_tx *tx,
                     int with_signature) TK_MUST_CHECK;

/* The digest the signature covers: keccak256 of the unsigned encoding. */
int tk_evm_tx_signing_hash(unsigned char hash[TK_EVM_HASH_LEN], const tk_evm_tx *tx) TK_MUST_CHECK;

/* Signs the transaction in place (sets has_sig, y_parity, r, s). Legacy transactions are
 * always signed with EIP-155. If tx->has_from, it must be the key's address (TK_ERR_RANGE). */
int tk_evm_tx_sign(tk_evm_tx *tx, const unsigned char seckey[TK_EVM_SECKEY_LEN]) TK_MUST_CHECK;

/* Decodes a signed raw transaction (types 0, 1, 2, 4), strictly: canonical RLP, exact field
 * counts, canonical integers, 20-byte addresses, y_parity 0/1, low-S, r and s non-zero.
 * Out: *tx (free with tk_evm_tx_free, also after a failure). */
int tk_evm_tx_decode(tk_evm_tx *tx, const unsigned char *raw, size_t raw_len) TK_MUST_CHECK;

/* Recovers the sender of a signed transaction. Out: 20-byte address. Public data only. */
int tk_evm_tx_sender_var(unsigned char addr[TK_EVM_ADDRESS_LEN], const tk_evm_tx *tx) TK_MUST_CHECK;

/* Serialises the transaction as a JSON-RPC object (hex quantities, "input" for the data).
 * Without the signature it is the inverse of tk_evm_tx_from_json; with_signature adds
 * "v", "yParity" (typed), "r", "s" as in eth_getTransactionByHash results.
 * Out: *out (a new jansson reference, release with json_decref). */
int tk_evm_tx_to_jansson(struct json_t **out, const tk_evm_tx *tx,
                         int with_signature) TK_MUST_CHECK;

/* ---- EIP-7702 authorizations ---- */

/* Parses {chainId, address, nonce} (and yParity, r, s when present). */
int tk_evm_auth_from_jansson(tk_evm_authorization *auth, const struct json_t *obj) TK_MUST_CHECK;
/* keccak256(0x05 || rlp([chain_id, address, nonce])). */
int tk_evm_auth_digest(unsigned char hash[TK_EVM_HASH_LEN],
                       const tk_evm_authorization *auth) TK_MUST_CHECK;
int tk_evm_auth_sign(tk_evm_authorization *auth,
                     const unsigned char seckey[TK_EVM_SECKEY_LEN]) TK_MUST_CHECK;
/* The authority (signer) of a signed tuple. */
int tk_evm_auth_signer_var(unsigned char addr[TK_EVM_ADDRESS_LEN],
                           const tk_evm_authorization *auth) TK_MUST_CHECK;

/* ---- messages ---- */

/* keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || msg). */
int tk_evm_personal_digest(unsigned char hash[TK_EVM_HASH_LEN], const unsigned char *msg,
                           size_t msg_len) TK_MUST_CHECK;

/* Signs a 32-byte digest: r || s || (27 + recovery id). */
int tk_evm_sign_digest(unsigned char sig[TK_EVM_SIGNATURE_LEN],
                       const unsigned char seckey[TK_EVM_SECKEY_LEN],
                       const unsigned char hash[TK_EVM_HASH_LEN]) TK_MUST_CHECK;

/* Recovers the address that produced a 65-byte signature (v = 27/28 or 0/1) over a digest.
 * High-S signatures are refused. */
int tk_evm_recover_var(unsigned char addr[TK_EVM_ADDRESS_LEN],
                       const unsigned char hash[TK_EVM_HASH_LEN],
                       const unsigned char sig[TK_EVM_SIGNATURE_LEN]) TK_MUST_CHECK;

/* EIP-712 v4 digest of a typed-data object {types, primaryType, domain, message} (jansson
 * value or text): keccak256(0x19 0x01 || domainSeparator || hashStruct(message)), or without
 * the message part when primaryType is EIP712Domain. `typed` may also be a JSON string that
 * holds the object, as eth_signTypedData_v4 sends it. Out (optional, may be NULL): the domain
 * separator and the message's struct hash.
 * When types has no EIP712Domain it is built from the domain fields present, in the order
 * name, version, chainId, verifyingContract, salt (other domain fields are refused).
 * Values: intN/uintN as JSON integers or strings in decimal or 0x-hex, optionally negative
 * ("-12", "-0x0c"), range-checked; bytesN as 0x-hex of exactly N bytes; bytes as 0x-hex;
 * bool as true/false; address as in tk_evm_address_parse; string as a JSON string; arrays as
 * JSON arrays (fixed sizes enforced). Missing and extra struct fields are refused. */
int tk_evm_typed_data_hash(unsigned char hash[TK_EVM_HASH_LEN],
                           unsigned char domain_separator[TK_EVM_HASH_LEN],
                           unsigned char struct_hash[TK_EVM_HASH_LEN],
                           const struct json_t *typed) TK_MUST_CHECK;
int tk_evm_typed_data_hash_json(unsigned char hash[TK_EVM_HASH_LEN], const char *json,
                                size_t json_len) TK_MUST_CHECK;

/* The EIP-712 encodeType string of a struct type (for tests and diagnostics).
 * Out: *out (malloc'd text). */
int tk_evm_typed_encode_type(char **out, const struct json_t *types,
                             const char *type_name) TK_MUST_CHECK;

/* ---- addresses and requests ---- */

/* The address of a secret key. */
int tk_evm_address_of_seckey(unsigned char addr[TK_EVM_ADDRESS_LEN],
                             const unsigned char seckey[TK_EVM_SECKEY_LEN]) TK_MUST_CHECK;
/* EIP-55 text of 20 address bytes; out_cap >= TK_EVM_ADDRESS_STR. */
int tk_evm_address_string(char *out, size_t out_cap,
                          const unsigned char addr[TK_EVM_ADDRESS_LEN]) TK_MUST_CHECK;
/* Parses "0x" + 40 hex: all lower, all upper, or correct EIP-55 mixed case. */
int tk_evm_address_parse(unsigned char addr[TK_EVM_ADDRESS_LEN], const char *in,
                         size_t in_len) TK_MUST_CHECK;

/* Signs one request of DESIGN 4.1: kind "eth_transaction", "eth_authorization",
 * "eth_personal" or "eth_typed_data" with its payload, and returns the result object
 * ({raw, hash, from}, {chainId, address, nonce, yParity, r, s} or {signature}).
 * eth_personal takes a JSON string (its UTF-8 bytes) or {"raw": "0x..."}; eth_typed_data
 * takes the object or, as eth_signTypedData_v4 sends it, the object as a JSON string.
 * Out: *result (a new jansson reference, release with json_decref). */
int tk_evm_sign_request(struct json_t **result, const unsigned char seckey[TK_EVM_SECKEY_LEN],
                        const char *kind, const struct json_t *payload) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_EVM_H */
