/*
 * teekeys near: NEAR protocol helpers — account ids, the borsh codec of `Transaction` with every
 * action kind up to Delegate, transaction signing (SignedTransaction) and NEP-413 message
 * signing and verification.
 *
 * Decoded structures are zero-copy: their byte and string fields point into the caller's input,
 * which must outlive them. Decoders are strict (lengths, enum tags, account ids, UTF-8, limits,
 * no trailing bytes) and name the field that failed. Signers take libsodium's 64-byte ed25519
 * secret key (seed || public key), never copy it, and only hand it to libsodium.
 */
#ifndef TEEKEYS_NEAR_H
#define TEEKEYS_NEAR_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_NEAR_ACCOUNT_MIN_LEN 2
#define TK_NEAR_ACCOUNT_MAX_LEN 64

/* Checks a NEAR account id by the protocol's rules: 2..64 characters; parts of lowercase
 * letters and digits separated by single '-', '_' or '.'; no separator at either end or next
 * to another one. Implicit accounts (64 lowercase hex characters) pass these rules too.
 * Returns TK_OK, or TK_ERR_INPUT with a detail naming the problem. */
int tk_near_account_check(const char *id, size_t id_len) TK_MUST_CHECK;

/* ---- keys and signatures ---- */

#define TK_NEAR_KEY_ED25519          0 /* borsh enum tags of PublicKey / Signature */
#define TK_NEAR_KEY_SECP256K1        1
#define TK_NEAR_ED25519_PUBKEY_LEN   32
#define TK_NEAR_SECP256K1_PUBKEY_LEN 64
#define TK_NEAR_ED25519_SIG_LEN      64
#define TK_NEAR_SECP256K1_SIG_LEN    65
#define TK_NEAR_SECRET_KEY_LEN       64 /* libsodium layout: seed || public key */
#define TK_NEAR_HASH_LEN             32

typedef struct {
    uint8_t type;                                     /* TK_NEAR_KEY_* */
    unsigned char data[TK_NEAR_SECP256K1_PUBKEY_LEN]; /* 32 or 64 bytes used */
} tk_near_pubkey;

typedef struct {
    uint8_t type;                                  /* TK_NEAR_KEY_* */
    unsigned char data[TK_NEAR_SECP256K1_SIG_LEN]; /* 64 or 65 bytes used */
} tk_near_signature;

/* A byte range inside the decoded input (strings are not NUL-terminated). */
typedef struct {
    const unsigned char *ptr;
    size_t len;
} tk_near_bytes;

/* ---- transactions ---- */

/* Limits (nearcore's runtime configuration; the decoder refuses anything larger). */
#define TK_NEAR_TX_MAX_LEN             4194304 /* max_transaction_size (historical maximum) */
#define TK_NEAR_MAX_ACTIONS            100     /* max_actions_per_receipt */
#define TK_NEAR_MAX_CODE_LEN           4194304 /* max_contract_size */
#define TK_NEAR_MAX_ARGS_LEN           4194304 /* max_arguments_length */
#define TK_NEAR_MAX_METHOD_NAME_LEN    256     /* max_length_method_name */
#define TK_NEAR_MAX_METHOD_NAMES_BYTES 2000    /* max_number_bytes_method_names (AddKey) */

typedef enum {
    TK_NEAR_ACTION_CREATE_ACCOUNT = 0,
    TK_NEAR_ACTION_DEPLOY_CONTRACT = 1,
    TK_NEAR_ACTION_FUNCTION_CALL = 2,
    TK_NEAR_ACTION_TRANSFER = 3,
    TK_NEAR_ACTION_STAKE = 4,
    TK_NEAR_ACTION_ADD_KEY = 5,
    TK_NEAR_ACTION_DELETE_KEY = 6,
    TK_NEAR_ACTION_DELETE_ACCOUNT = 7,
    TK_NEAR_ACTION_DELEGATE = 8
} tk_near_action_kind;

struct tk_near_delegate;

/* One action; only the fields of its kind are meaningful. Amounts are u128 as 16 bytes,
 * little-endian (as on the wire). */
typedef struct {
    tk_near_action_kind kind;
    tk_near_bytes code;        /* DeployContract */
    tk_near_bytes method_name; /* FunctionCall */
    tk_near_bytes args;        /* FunctionCall */
    uint64_t gas;              /* FunctionCall */
    unsigned char amount[16];  /* FunctionCall / Transfer deposit, Stake amount */
    tk_near_pubkey public_key; /* Stake, AddKey, DeleteKey */
    uint64_t access_key_nonce; /* AddKey */
    int full_access;           /* AddKey: 1 FullAccess, 0 FunctionCall permission */
    int has_allowance;         /* AddKey function-call permission */
    unsigned char allowance[16];
    tk_near_bytes permission_receiver; /* AddKey function-call permission receiver_id */
    size_t n_method_names;
    tk_near_bytes method_names_raw;    /* the n_method_names borsh strings, as encoded */
    tk_near_bytes beneficiary_id;      /* DeleteAccount */
    struct tk_near_delegate *delegate; /* Delegate (owned by the enclosing transaction) */
} tk_near_action;

/* SignedDelegateAction (NEP-366). Its actions can never be Delegate themselves. */
typedef struct tk_near_delegate {
    tk_near_bytes sender_id;
    tk_near_bytes receiver_id;
    size_t n_actions;
    tk_near_action actions[TK_NEAR_MAX_ACTIONS];
    uint64_t nonce;
    uint64_t max_block_height;
    tk_near_pubkey public_key;
    tk_near_signature signature;
} tk_near_delegate;

typedef struct {
    tk_near_bytes signer_id;
    tk_near_pubkey public_key;
    uint64_t nonce;
    tk_near_bytes receiver_id;
    unsigned char block_hash[TK_NEAR_HASH_LEN];
    size_t n_actions;
    tk_near_action actions[TK_NEAR_MAX_ACTIONS];
} tk_near_tx;

/* Decodes a borsh `Transaction` (V0). Account ids are checked with tk_near_account_check; enum
 * tags, option tags, UTF-8 and the limits above are enforced, trailing bytes are refused.
 * Out: *tx, allocated (free with tk_near_tx_free); it points into `in`.
 * Returns TK_OK, TK_ERR_INPUT (detail names the action and field), TK_ERR_UNSUPPORTED (an
 * action kind after Delegate, e.g. global contracts), TK_ERR_NOMEM, TK_ERR_ARG. */
int tk_near_tx_decode_var(tk_near_tx **tx, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* Frees a decoded transaction and its delegate actions. NULL is a no-op. */
void tk_near_tx_free(tk_near_tx *tx);

/* Encodes a transaction. Out: out[0..out_cap), *written (on TK_ERR_BUFFER the size needed;
 * out may be NULL with out_cap 0 to measure). */
int tk_near_tx_encode_var(unsigned char *out, size_t out_cap, size_t *written,
                          const tk_near_tx *tx) TK_MUST_CHECK;

/* Returns: TK_OK with the i-th method name of an AddKey function-call permission. */
int tk_near_method_name_var(tk_near_bytes *name, const tk_near_action *action,
                            size_t i) TK_MUST_CHECK;

/* Signs a borsh Transaction: decodes it strictly, requires its public_key to be the ed25519
 * key sk[32..64) (TK_ERR_RANGE otherwise), signs sha256(tx).
 * Out: out[0..out_cap) the borsh SignedTransaction (tx || 0x00 || signature, tx_len + 65
 * bytes), *written, hash (sha256 of the transaction, its id on chain).
 * In: sk (64-byte libsodium secret key), tx[0..tx_len). */
int tk_near_sign_transaction(unsigned char *out, size_t out_cap, size_t *written,
                             unsigned char hash[TK_NEAR_HASH_LEN],
                             const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                             const unsigned char *tx, size_t tx_len) TK_MUST_CHECK;

/* The near_transaction kind of DESIGN 4.1: base64 Transaction in; base64 SignedTransaction and
 * base58 hash out (NUL-terminated). signed_b64 needs tk_base64_encoded_len(tx_len + 65) + 1
 * bytes, hash_b58 TK_NEAR_HASH_B58_MAX. */
#define TK_NEAR_HASH_B58_MAX 50
int tk_near_sign_transaction_b64(char *signed_b64, size_t signed_cap, char *hash_b58,
                                 size_t hash_cap, const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                                 const char *in_b64, size_t in_len) TK_MUST_CHECK;

/* ---- NEP-413 (off-chain message signing) ---- */

#define TK_NEAR_NEP413_TAG         2147484061u /* 2^31 + 413, borsh u32 before the payload */
#define TK_NEAR_NEP413_NONCE_LEN   32
#define TK_NEAR_NEP413_MAX_MESSAGE 65536
#define TK_NEAR_NEP413_MAX_FIELD   2048 /* recipient, callbackUrl */

typedef struct {
    tk_near_bytes message; /* UTF-8 */
    unsigned char nonce[TK_NEAR_NEP413_NONCE_LEN];
    tk_near_bytes recipient; /* UTF-8, not necessarily an account id */
    int has_callback_url;
    tk_near_bytes callback_url;
} tk_near_nep413;

/* Encodes tag || borsh(payload). Out: out[0..out_cap), *written (as tk_near_tx_encode_var).
 * Refuses (TK_ERR_RANGE) fields that are not UTF-8 or exceed the limits above. */
int tk_near_nep413_encode_var(unsigned char *out, size_t out_cap, size_t *written,
                              const tk_near_nep413 *msg) TK_MUST_CHECK;

/* Decodes tag || borsh(payload) strictly (tag, UTF-8, limits, option tag, no trailing bytes).
 * Out: msg (points into `in`). */
int tk_near_nep413_decode_var(tk_near_nep413 *msg, const unsigned char *in,
                              size_t in_len) TK_MUST_CHECK;

/* Signs sha256(tag || borsh(payload)) with ed25519. Out: sig (64 bytes). */
int tk_near_nep413_sign(unsigned char sig[TK_NEAR_ED25519_SIG_LEN],
                        const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                        const tk_near_nep413 *msg) TK_MUST_CHECK;

/* Verifies a NEP-413 signature by the ed25519 key `pubkey`. Returns TK_OK, TK_ERR_CRYPTO when
 * the signature does not verify, or the encoder's errors for a bad payload. */
int tk_near_nep413_verify_var(const unsigned char sig[TK_NEAR_ED25519_SIG_LEN],
                              const unsigned char pubkey[TK_NEAR_ED25519_PUBKEY_LEN],
                              const tk_near_nep413 *msg) TK_MUST_CHECK;

/* ---- the signing kinds of DESIGN 4.1 on JSON (jansson) ---- */

struct json_t;

/* Signs one request: kind "near_transaction" (payload {transaction: base64 borsh Transaction},
 * result {signed_transaction: base64, hash: base58}) or "nep413" (payload {message, nonce:
 * base64 of 32 bytes, recipient, callbackUrl?, accountId?}, result {accountId, publicKey:
 * "ed25519:...", signature: base64}; accountId echoes the payload's, default the key's implicit
 * account). Unknown payload fields are refused.
 * Out: *result (a new jansson reference, release with json_decref). */
int tk_near_sign_request(struct json_t **result, const unsigned char sk[TK_NEAR_SECRET_KEY_LEN],
                         const char *kind, const struct json_t *payload) TK_MUST_CHECK;

/* Verifies a nep413 result {publicKey, signature} (as tk_near_sign_request makes it, or any NEAR
 * wallet's signMessage) against its payload. Whether the key belongs to accountId is for the
 * caller to check on chain. Returns TK_OK, TK_ERR_CRYPTO, or input errors. */
int tk_near_nep413_verify_request_var(const struct json_t *payload,
                                      const struct json_t *result) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_NEAR_H */
