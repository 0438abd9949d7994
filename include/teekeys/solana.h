/*
 * teekeys solana: strict codec for Solana transaction messages (legacy and v0) and wire
 * transactions, and ed25519 signing of transactions and of plain-text messages.
 *
 * The parser is zero-copy: a parsed tk_sol_message points into the caller's bytes, which must
 * stay alive while the message is used. It never allocates and never reads outside its input.
 * Everything here except the *_sign* functions handles public data only. Signers take
 * libsodium's 64-byte ed25519 secret key (seed || public key) and never copy it.
 */
#ifndef TEEKEYS_SOLANA_H
#define TEEKEYS_SOLANA_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_SOL_PUBKEY_LEN     32
#define TK_SOL_HASH_LEN       32
#define TK_SOL_SIGNATURE_LEN  64
#define TK_SOL_SECRET_KEY_LEN 64   /* libsodium layout: seed || public key */
#define TK_SOL_PACKET_MAX     1232 /* largest wire transaction the network accepts */
#define TK_SOL_MAX_ACCOUNTS   256  /* account indexes are u8 */
/* Fixed table sizes, large enough for anything that fits in one packet. */
#define TK_SOL_MAX_INSTRUCTIONS 420
#define TK_SOL_MAX_LOOKUPS      40
/* sol_message: longest accepted text. */
#define TK_SOL_TEXT_MAX 65536
/* Text buffer sizes (with NUL) for a base58 signature and a base64 wire transaction. */
#define TK_SOL_SIGNATURE_B58_MAX 90
#define TK_SOL_TX_B64_MAX        1648

/* Message versions. */
#define TK_SOL_LEGACY (-1)
#define TK_SOL_V0     0

typedef struct {
    uint8_t program_id_index;
    size_t n_accounts;
    const unsigned char *accounts; /* n_accounts u8 indexes */
    size_t data_len;
    const unsigned char *data;
} tk_sol_instruction;

typedef struct {
    const unsigned char *table; /* 32-byte address of the lookup table account */
    size_t n_writable;
    const unsigned char *writable; /* u8 indexes into the table */
    size_t n_readonly;
    const unsigned char *readonly;
} tk_sol_lookup;

typedef struct {
    int version; /* TK_SOL_LEGACY or TK_SOL_V0 */
    uint8_t num_required_signatures;
    uint8_t num_readonly_signed;
    uint8_t num_readonly_unsigned;
    size_t n_keys;
    const unsigned char *keys; /* n_keys * 32 bytes, static account keys */
    const unsigned char *recent_blockhash;
    size_t n_instructions;
    tk_sol_instruction instructions[TK_SOL_MAX_INSTRUCTIONS];
    size_t n_lookups; /* always 0 for legacy */
    tk_sol_lookup lookups[TK_SOL_MAX_LOOKUPS];
} tk_sol_message;

typedef struct {
    size_t n_signatures;
    const unsigned char *signatures; /* n_signatures * 64 bytes */
    const unsigned char *message;    /* the signed message bytes */
    size_t message_len;
    tk_sol_message msg; /* parsed message */
} tk_sol_transaction;

/* Parses a whole message (legacy or v0) and checks it as the network's sanitizer does:
 * canonical compact-u16 lengths, header consistent with the keys (at least one writable
 * signer), no duplicate static keys, at most 256 accounts in all, program ids among the static
 * keys and not the fee payer, account indexes in range, non-empty lookups, no trailing bytes.
 * Out: msg (points into `in`). In: in[0..in_len).
 * Returns TK_OK, TK_ERR_INPUT (malformed, detail names the field), TK_ERR_RANGE (well-formed
 * but invalid), TK_ERR_UNSUPPORTED (a message version other than legacy/0), TK_ERR_ARG. */
int tk_sol_message_parse_var(tk_sol_message *msg, const unsigned char *in,
                             size_t in_len) TK_MUST_CHECK;

/* Serialises a message. Out: out[0..out_cap), *written (on TK_ERR_BUFFER: the size needed). */
int tk_sol_message_serialize_var(unsigned char *out, size_t out_cap, size_t *written,
                                 const tk_sol_message *msg) TK_MUST_CHECK;

/* Returns: 1 if some prefix of `in` has the structure of a legacy or v0 message (the network
 * tolerates trailing bytes after a message in a packet), ignoring the sanitizer's rules; 0
 * otherwise. This is deliberately broader than tk_sol_message_parse_var. */
int tk_sol_looks_like_message_var(const unsigned char *in, size_t in_len);

/* Parses a wire transaction: compact-u16 signature count, signatures, message. The count must
 * equal the message's num_required_signatures; the whole is at most TK_SOL_PACKET_MAX bytes. */
int tk_sol_transaction_parse_var(tk_sol_transaction *tx, const unsigned char *in,
                                 size_t in_len) TK_MUST_CHECK;

/* Serialises a wire transaction from its signatures and message bytes. */
int tk_sol_transaction_serialize_var(unsigned char *out, size_t out_cap, size_t *written,
                                     const tk_sol_transaction *tx) TK_MUST_CHECK;

/* Returns: TK_OK with *index = the position of `pubkey` among the required signers, or
 * TK_ERR_NOT_FOUND if it is not a required signer of msg. */
int tk_sol_signer_index_var(size_t *index, const tk_sol_message *msg,
                            const unsigned char pubkey[TK_SOL_PUBKEY_LEN]) TK_MUST_CHECK;

/* Signs a wire transaction with the key whose public half is sk[32..64): parses it, finds the
 * key among the required signers, signs the message bytes and puts the signature in its slot
 * (other signatures are kept as they are).
 * Out: out[0..out_cap) the signed wire transaction, *written, sig (64 bytes).
 * In: sk (64-byte libsodium secret key), wire[0..wire_len). */
int tk_sol_sign_transaction(unsigned char *out, size_t out_cap, size_t *written,
                            unsigned char sig[TK_SOL_SIGNATURE_LEN],
                            const unsigned char sk[TK_SOL_SECRET_KEY_LEN],
                            const unsigned char *wire, size_t wire_len) TK_MUST_CHECK;

/* The sol_transaction kind of DESIGN 4.1: base64 wire transaction in, base58 signature and
 * base64 signed wire transaction out (NUL-terminated; sizes TK_SOL_*_MAX suffice). */
int tk_sol_sign_transaction_b64(char *sig_b58, size_t sig_cap, char *tx_b64, size_t tx_cap,
                                const unsigned char sk[TK_SOL_SECRET_KEY_LEN], const char *in_b64,
                                size_t in_len) TK_MUST_CHECK;

/* The sol_message kind: signs the bytes of a UTF-8 text (1..TK_SOL_TEXT_MAX bytes). Refuses
 * (TK_ERR_RANGE) text that is not valid UTF-8 or whose bytes look like a transaction message
 * (tk_sol_looks_like_message_var). Out: sig (64 bytes). */
int tk_sol_sign_message(unsigned char sig[TK_SOL_SIGNATURE_LEN],
                        const unsigned char sk[TK_SOL_SECRET_KEY_LEN], const char *text,
                        size_t text_len) TK_MUST_CHECK;

/* Verifies an ed25519 signature over `text` as tk_sol_sign_message makes it (the same refusal
 * rules apply). Returns TK_OK or TK_ERR_CRYPTO. */
int tk_sol_verify_message_var(const unsigned char sig[TK_SOL_SIGNATURE_LEN],
                              const unsigned char pubkey[TK_SOL_PUBKEY_LEN], const char *text,
                              size_t text_len) TK_MUST_CHECK;

/* ---- the signing kinds of DESIGN 4.1 on JSON (jansson) ---- */

struct json_t;

/* Signs one request: kind "sol_transaction" (payload {transaction: base64}, result
 * {signature: base58, transaction: base64}) or "sol_message" (payload a JSON string, result
 * {signature: base58}). Unknown payload fields are refused.
 * Out: *result (a new jansson reference, release with json_decref). */
int tk_sol_sign_request(struct json_t **result, const unsigned char sk[TK_SOL_SECRET_KEY_LEN],
                        const char *kind, const struct json_t *payload) TK_MUST_CHECK;

/* Verifies a sol_message result {signature} for its payload (a JSON string) and the key
 * `pubkey`. Returns TK_OK or TK_ERR_CRYPTO (or input errors). */
int tk_sol_verify_message_request_var(const unsigned char pubkey[TK_SOL_PUBKEY_LEN],
                                      const struct json_t *payload,
                                      const struct json_t *result) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_SOLANA_H */
