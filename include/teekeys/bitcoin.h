/*
 * teekeys bitcoin: transactions (legacy and segwit serialization), BIP-340 Schnorr signatures,
 * BIP-341 Taproot tweaks and key-path signature hashes, BIP-86 outputs.
 *
 * Parsers are strict (canonical CompactSize, no trailing bytes, size limits) and report which
 * field is wrong. Transactions, scripts, amounts and sighashes are public data: functions that
 * only see them are variable-time and end in _var. Functions taking a secret key are
 * constant-time in it and wipe every intermediate copy. PSBT handling is in teekeys/psbt.h.
 *
 * Byte orders: a txid is kept in its internal (serialized) byte order; the usual display
 * order is the reverse. Amounts are satoshis.
 */
#ifndef TEEKEYS_BITCOIN_H
#define TEEKEYS_BITCOIN_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_BTC_TXID_LEN        32
#define TK_BTC_SECKEY_LEN      32
#define TK_BTC_XONLY_LEN       32 /* BIP-340 x-only public key */
#define TK_BTC_SCHNORR_SIG_LEN 64
#define TK_BTC_TAPROOT_SIG_MAX 65 /* 64-byte signature + explicit sighash byte */
#define TK_BTC_P2TR_SCRIPT_LEN 34 /* OP_1 <32 bytes> */

/* Limits enforced by the transaction parser. */
#define TK_BTC_TX_MAX_SIZE       4000000u /* bytes, the block weight limit as a size bound */
#define TK_BTC_SCRIPT_MAX_LEN    10000u   /* scriptSig and scriptPubKey (MAX_SCRIPT_SIZE) */
#define TK_BTC_WITNESS_MAX_ITEMS 1000u    /* per input (MAX_STACK_SIZE) */
#define TK_BTC_MAX_MONEY         2100000000000000ull

/* Sighash types valid for Taproot (BIP-341). */
#define TK_BTC_SIGHASH_DEFAULT      0x00u
#define TK_BTC_SIGHASH_ALL          0x01u
#define TK_BTC_SIGHASH_NONE         0x02u
#define TK_BTC_SIGHASH_SINGLE       0x03u
#define TK_BTC_SIGHASH_ANYONECANPAY 0x80u

/* An owned byte string (malloc'd by the library, freed with the structure holding it). */
typedef struct {
    unsigned char *data;
    size_t len;
} tk_btc_bytes;

typedef struct {
    unsigned char prev_txid[TK_BTC_TXID_LEN]; /* internal byte order */
    uint32_t prev_vout;
    tk_btc_bytes script_sig;
    uint32_t sequence;
    tk_btc_bytes *witness; /* n_witness stack items */
    size_t n_witness;
} tk_btc_txin;

typedef struct {
    uint64_t value;
    tk_btc_bytes script;
} tk_btc_txout;

typedef struct {
    uint32_t version;
    uint32_t locktime;
    tk_btc_txin *in;
    size_t n_in;
    tk_btc_txout *out;
    size_t n_out;
} tk_btc_tx;

/* ---- transactions (tx.c) ---- */

/* Serialization flag: never read or write the segwit marker, flag and witnesses. */
#define TK_BTC_TX_NO_WITNESS 1u

/* Parses a whole transaction (no trailing bytes). Without TK_BTC_TX_NO_WITNESS the segwit
 * format (BIP-144) is accepted; its flag byte must be 1 and at least one input must have a
 * witness. Output values above 21M BTC are refused.
 * Out: *out (free with tk_btc_tx_free). In: in[0..in_len), flags. */
int tk_btc_tx_parse(tk_btc_tx **out, const unsigned char *in, size_t in_len,
                    unsigned flags) TK_MUST_CHECK;

/* Frees a transaction and everything it owns; NULL is a no-op. */
void tk_btc_tx_free(tk_btc_tx *tx);

/* Returns: a deep copy of `tx` in *out, or TK_ERR_NOMEM. */
int tk_btc_tx_clone(tk_btc_tx **out, const tk_btc_tx *tx) TK_MUST_CHECK;

/* Returns: 1 if any input has a non-empty witness stack, else 0. */
int tk_btc_tx_has_witness(const tk_btc_tx *tx);

/* Returns: the serialized size of `tx` (segwit format when it has witnesses and flags allow). */
size_t tk_btc_tx_serialized_len(const tk_btc_tx *tx, unsigned flags);

/* Serializes `tx`: segwit format if it has a witness and TK_BTC_TX_NO_WITNESS is not set.
 * Out: out[0..out_cap), *out_len. Returns TK_ERR_BUFFER if out_cap is too small. */
int tk_btc_tx_serialize(unsigned char *out, size_t out_cap, size_t *out_len, const tk_btc_tx *tx,
                        unsigned flags) TK_MUST_CHECK;

/* The txid (double SHA-256 of the serialization without witnesses), internal byte order. */
int tk_btc_tx_txid(unsigned char out[TK_BTC_TXID_LEN], const tk_btc_tx *tx) TK_MUST_CHECK;

/* Replaces input `index`'s witness stack with copies of `items` (n_items may be 0). */
int tk_btc_tx_set_witness(tk_btc_tx *tx, size_t index, const tk_btc_bytes *items,
                          size_t n_items) TK_MUST_CHECK;

/* Parses a witness stack as serialized in a segwit transaction and in
 * PSBT_IN_FINAL_SCRIPTWITNESS (CompactSize count, then CompactSize-prefixed items), exactly
 * `in_len` bytes. Out: *items (array of n owned items; free with tk_btc_witness_free). */
int tk_btc_witness_parse(tk_btc_bytes **items, size_t *n_items, const unsigned char *in,
                         size_t in_len) TK_MUST_CHECK;
void tk_btc_witness_free(tk_btc_bytes *items, size_t n_items);

/* ---- BIP-340 Schnorr signatures (schnorr.c) ---- */

/* Signs a message of any length with BIP-340. aux32 is the 32-byte auxiliary randomness;
 * NULL draws fresh randomness with tk_random() (the normal case; a fixed aux is for known
 * answer tests). The signature is verified before it is returned.
 * Out: sig[64]. In: msg[0..msg_len), seckey[32] (secret), aux32. */
int tk_btc_schnorr_sign(unsigned char sig[TK_BTC_SCHNORR_SIG_LEN], const unsigned char *msg,
                        size_t msg_len, const unsigned char seckey[TK_BTC_SECKEY_LEN],
                        const unsigned char *aux32) TK_MUST_CHECK;

/* Verifies a BIP-340 signature. Returns TK_OK, TK_ERR_INPUT for a public key that is not
 * on the curve, TK_ERR_CRYPTO for a signature that does not verify. */
int tk_btc_schnorr_verify_var(const unsigned char sig[TK_BTC_SCHNORR_SIG_LEN],
                              const unsigned char *msg, size_t msg_len,
                              const unsigned char xonly_pubkey[TK_BTC_XONLY_LEN]) TK_MUST_CHECK;

/* The x-only public key of a secret key (BIP-340: the even-y point). */
int tk_btc_xonly_pubkey(unsigned char out[TK_BTC_XONLY_LEN],
                        const unsigned char seckey[TK_BTC_SECKEY_LEN]) TK_MUST_CHECK;

/* ---- BIP-341 Taproot tweaks, BIP-86 outputs (taproot.c) ---- */

/* The BIP-341 tweak t = hashTapTweak(P || merkle_root), merkle_root NULL for none (BIP-86).
 * Does nothing when tweak or internal_key is NULL. Out: tweak[32]. In: internal_key[32] (x-only),
 * merkle_root[32] or NULL. */
void tk_btc_taproot_tweak_var(unsigned char tweak[32],
                              const unsigned char internal_key[TK_BTC_XONLY_LEN],
                              const unsigned char *merkle_root);

/* Output key Q = P + t·G for the x-only internal key P. Out: q[32], *parity (may be NULL).
 * Returns TK_ERR_INPUT if P is not a valid x coordinate, TK_ERR_CRYPTO if the tweak fails. */
int tk_btc_taproot_output_key_var(unsigned char q[TK_BTC_XONLY_LEN], int *parity,
                                  const unsigned char internal_key[TK_BTC_XONLY_LEN],
                                  const unsigned char *merkle_root) TK_MUST_CHECK;

/* The tweaked secret key that signs for Q: d' = (d or n-d, so that P has even y) + t.
 * Out: tweaked[32] (secret: caller wipes). In: seckey[32], merkle_root[32] or NULL. */
int tk_btc_taproot_tweak_seckey(unsigned char tweaked[TK_BTC_SECKEY_LEN],
                                const unsigned char seckey[TK_BTC_SECKEY_LEN],
                                const unsigned char *merkle_root) TK_MUST_CHECK;

/* BIP-86 keys of a secret key: the x-only internal key P and the output key Q (no script
 * tree). Either output may be NULL. */
int tk_btc_bip86_keys(unsigned char internal_key[TK_BTC_XONLY_LEN],
                      unsigned char output_key[TK_BTC_XONLY_LEN],
                      const unsigned char seckey[TK_BTC_SECKEY_LEN]) TK_MUST_CHECK;

/* Writes the P2TR scriptPubKey OP_1 <q> (34 bytes); does nothing when an argument is NULL. */
void tk_btc_p2tr_script(unsigned char out[TK_BTC_P2TR_SCRIPT_LEN],
                        const unsigned char output_key[TK_BTC_XONLY_LEN]);

/* Key-path signature with the tweaked key: 64 bytes for SIGHASH_DEFAULT, else 65 with the
 * sighash byte appended. aux32 as for tk_btc_schnorr_sign.
 * Out: sig[65], *sig_len. In: sighash[32], seckey[32] (untweaked), merkle_root or NULL,
 * hash_type, aux32. */
int tk_btc_taproot_sign_keypath(unsigned char sig[TK_BTC_TAPROOT_SIG_MAX], size_t *sig_len,
                                const unsigned char sighash[32],
                                const unsigned char seckey[TK_BTC_SECKEY_LEN],
                                const unsigned char *merkle_root, unsigned hash_type,
                                const unsigned char *aux32) TK_MUST_CHECK;

/* ---- BIP-341 signature hash (sighash.c) ---- */

/* The output an input spends: amount and scriptPubKey (borrowed, not owned). */
typedef struct {
    uint64_t value;
    const unsigned char *script;
    size_t script_len;
} tk_btc_prevout;

/* The per-transaction hashes BIP-341 shares between inputs (single SHA-256 each). */
typedef struct {
    unsigned char prevouts[32];
    unsigned char amounts[32];
    unsigned char script_pubkeys[32];
    unsigned char sequences[32];
    unsigned char outputs[32];
} tk_btc_sighash_cache;

/* Returns: 1 if hash_type is one of 0x00-0x03, 0x81-0x83, else 0. */
int tk_btc_taproot_hash_type_valid(unsigned hash_type);

/* Fills the shared hashes. n_prevouts must equal tx->n_in (one spent output per input). */
int tk_btc_sighash_precompute_var(tk_btc_sighash_cache *cache, const tk_btc_tx *tx,
                                  const tk_btc_prevout *prevouts, size_t n_prevouts) TK_MUST_CHECK;

/* Longest key-path SigMsg: 1 + 1 + 4 + 4 + 5 * 32 + 1 + 36 + 8 + (9 + 10000) + 4 + 32. */
#define TK_BTC_SIGMSG_MAX (1 + 1 + 4 + 4 + 5 * 32 + 1 + 36 + 8 + 9 + TK_BTC_SCRIPT_MAX_LEN + 4 + 32)

/* The key-path SigMsg of BIP-341 (ext_flag 0, no annex), preceded by the epoch byte 0x00,
 * i.e. the exact bytes hashed with the "TapSighash" tag. Refuses invalid hash types and
 * SIGHASH_SINGLE without an output at `index`.
 * Out: out[0..out_cap), *out_len. In: cache (from tk_btc_sighash_precompute_var), tx,
 * prevouts[n_prevouts] (n_prevouts == tx->n_in), index, hash_type. */
int tk_btc_taproot_sigmsg_var(unsigned char *out, size_t out_cap, size_t *out_len,
                              const tk_btc_sighash_cache *cache, const tk_btc_tx *tx,
                              const tk_btc_prevout *prevouts, size_t n_prevouts, size_t index,
                              unsigned hash_type) TK_MUST_CHECK;

/* The key-path signature hash: TaggedHash("TapSighash", SigMsg). */
int tk_btc_taproot_sighash_var(unsigned char out[32], const tk_btc_sighash_cache *cache,
                               const tk_btc_tx *tx, const tk_btc_prevout *prevouts,
                               size_t n_prevouts, size_t index, unsigned hash_type) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_BITCOIN_H */
