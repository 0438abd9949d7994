/*
 * teekeys psbt: Partially Signed Bitcoin Transactions, version 0 (BIP-174) with the Taproot
 * fields of BIP-371, and the Taproot key-path signer, finalizer and extractor built on them.
 *
 * The parser is strict: magic, separators, canonical CompactSize, duplicate keys, key-data
 * and value rules per known field, an unsigned transaction without scriptSigs or witnesses,
 * exactly one map per input and output, no trailing bytes, size limits. Fields it does not
 * know (and proprietary 0xFC fields) are kept byte for byte. Every map keeps its pairs in the
 * order read; serialization writes them back in that order, so parse → serialize is the
 * identity on every accepted input. New pairs (signatures, final witnesses) are appended.
 *
 * A PSBT is public data (the _var convention is not repeated on its functions); the signer
 * takes a secret key and wipes every copy it makes.
 */
#ifndef TEEKEYS_PSBT_H
#define TEEKEYS_PSBT_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/bitcoin.h"
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_PSBT_MAX_SIZE 4000000u /* bytes of binary PSBT accepted */

/* Global key types (BIP-174). */
#define TK_PSBT_GLOBAL_UNSIGNED_TX 0x00u
#define TK_PSBT_GLOBAL_XPUB        0x01u
#define TK_PSBT_GLOBAL_VERSION     0xfbu
#define TK_PSBT_PROPRIETARY        0xfcu

/* Input key types (BIP-174, BIP-371). */
#define TK_PSBT_IN_NON_WITNESS_UTXO     0x00u
#define TK_PSBT_IN_WITNESS_UTXO         0x01u
#define TK_PSBT_IN_PARTIAL_SIG          0x02u
#define TK_PSBT_IN_SIGHASH_TYPE         0x03u
#define TK_PSBT_IN_REDEEM_SCRIPT        0x04u
#define TK_PSBT_IN_WITNESS_SCRIPT       0x05u
#define TK_PSBT_IN_BIP32_DERIVATION     0x06u
#define TK_PSBT_IN_FINAL_SCRIPTSIG      0x07u
#define TK_PSBT_IN_FINAL_SCRIPTWITNESS  0x08u
#define TK_PSBT_IN_POR_COMMITMENT       0x09u
#define TK_PSBT_IN_RIPEMD160            0x0au
#define TK_PSBT_IN_SHA256               0x0bu
#define TK_PSBT_IN_HASH160              0x0cu
#define TK_PSBT_IN_HASH256              0x0du
#define TK_PSBT_IN_TAP_KEY_SIG          0x13u
#define TK_PSBT_IN_TAP_SCRIPT_SIG       0x14u
#define TK_PSBT_IN_TAP_LEAF_SCRIPT      0x15u
#define TK_PSBT_IN_TAP_BIP32_DERIVATION 0x16u
#define TK_PSBT_IN_TAP_INTERNAL_KEY     0x17u
#define TK_PSBT_IN_TAP_MERKLE_ROOT      0x18u

/* Output key types (BIP-174, BIP-371). */
#define TK_PSBT_OUT_REDEEM_SCRIPT        0x00u
#define TK_PSBT_OUT_WITNESS_SCRIPT       0x01u
#define TK_PSBT_OUT_BIP32_DERIVATION     0x02u
#define TK_PSBT_OUT_TAP_INTERNAL_KEY     0x05u
#define TK_PSBT_OUT_TAP_TREE             0x06u
#define TK_PSBT_OUT_TAP_BIP32_DERIVATION 0x07u

/* One key-value pair, both owned. key = CompactSize key type ‖ key data. */
typedef struct {
    unsigned char *key;
    size_t key_len;
    unsigned char *value;
    size_t value_len;
    uint64_t type;      /* the key type read from key[] */
    size_t keydata_off; /* key data is key[keydata_off .. key_len) */
} tk_psbt_pair;

typedef struct {
    tk_psbt_pair *pairs;
    size_t n;
    size_t cap;
} tk_psbt_map;

typedef struct {
    tk_btc_tx *tx;        /* the parsed global unsigned transaction */
    tk_psbt_map global;   /* includes the PSBT_GLOBAL_UNSIGNED_TX pair itself */
    tk_psbt_map *inputs;  /* tx->n_in maps */
    tk_psbt_map *outputs; /* tx->n_out maps */
} tk_psbt;

/* ---- parse / serialize (psbt_parse.c, psbt_serialize.c) ---- */

/* Parses a binary PSBT v0. Out: *out (free with tk_psbt_free). On failure the detail names
 * the map (global, input i, output i), the field and the reason. */
int tk_psbt_parse(tk_psbt **out, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* Parses a base64 PSBT (canonical base64, as tk_base64_decode). */
int tk_psbt_parse_base64(tk_psbt **out, const char *in, size_t in_len) TK_MUST_CHECK;

/* Creator role: a PSBT for `tx` (copied) with empty input and output maps. The transaction
 * must have no scriptSigs and no witnesses. Out: *out (free with tk_psbt_free). */
int tk_psbt_from_tx(tk_psbt **out, const tk_btc_tx *tx) TK_MUST_CHECK;

/* Frees a PSBT; NULL is a no-op. */
void tk_psbt_free(tk_psbt *psbt);

/* Returns: the serialized size in bytes. */
size_t tk_psbt_serialized_len(const tk_psbt *psbt);

/* Serializes. Out: out[0..out_cap), *out_len; TK_ERR_BUFFER when out_cap is too small. */
int tk_psbt_serialize(unsigned char *out, size_t out_cap, size_t *out_len,
                      const tk_psbt *psbt) TK_MUST_CHECK;

/* Serializes as base64 into a new NUL-terminated string. Out: *out (free with free()),
 * *out_len (may be NULL). */
int tk_psbt_serialize_base64(char **out, size_t *out_len, const tk_psbt *psbt) TK_MUST_CHECK;

/* ---- maps ---- */

/* Returns: the pair with this key type and key data, or NULL. */
const tk_psbt_pair *tk_psbt_map_find(const tk_psbt_map *map, uint64_t type,
                                     const unsigned char *keydata, size_t keydata_len);

/* Sets (replaces or appends) the pair with this key type and key data to a copy of value. */
int tk_psbt_map_set(tk_psbt_map *map, uint64_t type, const unsigned char *keydata,
                    size_t keydata_len, const unsigned char *value, size_t value_len) TK_MUST_CHECK;

/* Reads input `index`'s PSBT_IN_WITNESS_UTXO. The script points into the PSBT.
 * Returns TK_ERR_NOT_FOUND (naming the input) when it is missing. */
int tk_psbt_input_witness_utxo(tk_btc_prevout *out, const tk_psbt *psbt,
                               size_t index) TK_MUST_CHECK;

/* Returns: 1 if input `index` has PSBT_IN_FINAL_SCRIPTSIG or PSBT_IN_FINAL_SCRIPTWITNESS. */
int tk_psbt_input_is_final(const tk_psbt *psbt, size_t index);

/* ---- Taproot signer, finalizer, extractor (psbt_sign.c) ---- */

/* Signing options. */
typedef struct {
    const unsigned char *aux32; /* BIP-340 auxiliary randomness; NULL = fresh (normal use) */
} tk_psbt_sign_opts;

/* Signs, with the BIP-86 key of `seckey` (internal key P, output key Q = P + t·G), every input
 * whose witness_utxo scriptPubKey is OP_1 <Q> and that is not final yet, with the input's
 * PSBT_IN_SIGHASH_TYPE (absent: SIGHASH_DEFAULT), writing PSBT_IN_TAP_KEY_SIG (64 bytes, 65
 * with a non-default type) and, when missing, PSBT_IN_TAP_INTERNAL_KEY.
 * Refuses (and changes nothing) when any input lacks a witness_utxo (naming the input), when
 * a signed input asks for a sighash type that is not valid for Taproot or SIGHASH_SINGLE
 * without a matching output, or when its PSBT_IN_TAP_INTERNAL_KEY / TAP_MERKLE_ROOT disagree
 * with a BIP-86 spend of P. Returns TK_ERR_RANGE when no input pays to Q.
 * Out: signed_idx[0..signed_cap) (the signed input indices, ascending), *n_signed.
 * In/out: psbt. In: seckey[32] (secret), opts (may be NULL). */
int tk_psbt_sign_taproot(tk_psbt *psbt, size_t *signed_idx, size_t signed_cap, size_t *n_signed,
                         const unsigned char seckey[TK_BTC_SECKEY_LEN],
                         const tk_psbt_sign_opts *opts) TK_MUST_CHECK;

/* Finalizes every non-final input that spends a P2TR witness_utxo and has a
 * PSBT_IN_TAP_KEY_SIG that verifies (BIP-341 key path against the output key): writes
 * PSBT_IN_FINAL_SCRIPTWITNESS = [sig] and removes every other known input field except the
 * UTXOs (BIP-174 finalizer); unknown and proprietary fields stay. A key signature that does
 * not verify is an error (TK_ERR_CRYPTO naming the input). Other inputs are left as they are.
 * Out: *n_final (may be NULL): the number of inputs finalized by this call. */
int tk_psbt_finalize_taproot(tk_psbt *psbt, size_t *n_final) TK_MUST_CHECK;

/* Extracts the network transaction: every input must be final (else TK_ERR_RANGE naming the
 * first one that is not). Out: *out (free with tk_btc_tx_free). */
int tk_psbt_extract(tk_btc_tx **out, const tk_psbt *psbt) TK_MUST_CHECK;

/* The DESIGN 4.1 `btc_psbt` kind: payload {"psbt": base64, "finalize"?: bool} → result
 * {"psbt": base64, "signed_inputs": [i, ..], "tx"?: hex}. With finalize, the signed inputs
 * (and any other input with a valid key-path signature) are finalized and `tx` is present
 * when every input is then final. Unknown payload members are refused.
 * Out: *result_json (NUL-terminated, free with free()). In: payload_json[0..payload_len),
 * seckey[32] (secret), opts (may be NULL). */
int tk_btc_sign_psbt_request(char **result_json, const char *payload_json, size_t payload_len,
                             const unsigned char seckey[TK_BTC_SECKEY_LEN],
                             const tk_psbt_sign_opts *opts) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_PSBT_H */
