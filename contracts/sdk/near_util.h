/*
 * near_util: SDK helpers beyond near_sdk.h that contracts share: hex, base58 and bech32/bech32m
 * codecs, NEAR account id and key-string checks, compact JSON re-serialisation and strict
 * argument objects, NEP-297 events, a plain transfer, and NEP-145 storage accounting.
 * Codecs return 0 on bad input and never panic, so argument parsers built on them can be
 * fuzzed; everything returning a string allocates it in the call's arena.
 */
#ifndef NEAR_UTIL_H
#define NEAR_UTIL_H

#include "near_sdk.h"

/* ---- codecs (near_codec.c) ---- */
char *near_hex(const uint8_t *data, size_t len); /* lowercase */
/* Decodes exactly `len` bytes from 2*len hex digits (lowercase only unless any_case). */
int near_unhex(uint8_t *out, size_t len, const char *s, size_t s_len, int any_case);

char *near_base58(const uint8_t *data, size_t len); /* Bitcoin alphabet */
/* Decodes a base58 string that holds exactly `len` bytes (leading '1's are zero bytes). */
int near_unbase58(uint8_t *out, size_t len, const char *s, size_t s_len);

/* Segwit address (BIP-173/350): bech32 for version 0, bech32m for 1..16. NULL on bad input. */
char *near_segwit_address(const char *hrp, unsigned version, const uint8_t *prog, size_t prog_len);
/* Decodes a segwit address whose hrp must be `hrp` (either case, not mixed; the right checksum
 * variant for its version; program 2..40 bytes, 20 or 32 for version 0). */
int near_segwit_decode(unsigned *version, uint8_t prog[40], size_t *prog_len, const char *hrp,
                       const char *addr, size_t addr_len);

/* ---- NEAR identifiers (near_codec.c) ---- */
/* NEAR account id rules: 2..64 chars of [a-z0-9] parts separated by single '-', '_' or '.'. */
int near_account_id_valid(const char *id, size_t len);

#define NEAR_CURVE_ED25519   0 /* borsh tags of PublicKey */
#define NEAR_CURVE_SECP256K1 1
/* Parses "ed25519:<base58 32 bytes>" or "secp256k1:<base58 64 bytes>". Out: curve, key bytes
 * (32 or 64) and their length. */
int near_public_key_parse(unsigned *curve, uint8_t key[64], size_t *key_len, const char *s,
                          size_t s_len);
char *near_public_key_string(unsigned curve, const uint8_t *key);

/* ---- JSON (near_codec.c) ---- */
/* Writes a parsed value back as compact JSON (members in their original order). */
void near_json_write(near_buf *b, const near_json *v);
/* Returns NULL when every member of `object` is named in `allowed` (NULL-terminated), else the
 * first unknown member name. */
const char *near_json_unknown_key(const near_json *object, const char *const *allowed);
/* The call's arguments as a JSON object (empty input counts as {}); panics with the reader's
 * message on malformed JSON, when they are not an object, or on a member not in `allowed`. */
const near_json *near_args_object(const char *const *allowed);
/* Appends a u128 as a JSON string ("123"). */
void near_json_write_u128(near_buf *b, unsigned __int128 v);
/* A record the contract stored itself as JSON: parses it or panics "corrupt stored record". */
const near_json *near_stored_json(const uint8_t *value, size_t len);
/* Members of a stored record: the string (NULL when absent or not a string), and the u64
 * (panics "corrupt stored record" when absent or not a u64). */
const char *near_stored_str(const near_json *doc, const char *name);
uint64_t near_stored_u64(const near_json *doc, const char *name);

/* ---- strings (near_codec.c) ---- */
/* a followed by b, in a new arena string. */
const char *near_strcat2(const char *a, const char *b);
/* Returns 1 when s[0..len) equals the NUL-terminated lit. */
int near_streq_n(const char *s, size_t len, const char *lit);

/* ---- events and transfers (near_codec.c) ---- */
/* Logs EVENT_JSON:{"standard":..,"version":..,"event":..,"data":[<data_object>]}. */
void near_emit_event(const char *standard, const char *version, const char *event,
                     const char *data_object, size_t data_len);
/* A promise that transfers `amount` yoctoNEAR from the current account to `account_id`. */
void near_transfer(const char *account_id, unsigned __int128 amount);

/* ---- NEP-145 storage accounting (near_storage.c) ----
 * One record per account under "s:" + account_id: 16 bytes total deposit (LE) and 8 bytes of
 * storage used (LE) that the account pays for at NEAR_STORAGE_BYTE_COST per byte. A method
 * that changes state on an account's behalf takes near_storage_usage() first and calls
 * near_nep145_charge() afterwards with it. */
#define NEAR_STORAGE_BYTE_COST ((unsigned __int128)10000000000000000000ull) /* 10^19 yocto */
typedef struct {
    unsigned __int128 total;
    uint64_t used_bytes;
} near_storage_balance;

/* The largest storage one registration record takes (64-character account id). */
uint64_t near_nep145_min_bytes(void);
int near_nep145_get(near_storage_balance *sb, const char *account_id); /* 0: unregistered */
void near_nep145_put(const char *account_id, const near_storage_balance *sb);
unsigned __int128 near_nep145_available(const near_storage_balance *sb);
/* Charges (or refunds) the storage change since `usage_before` to the account; panics when
 * the account is not registered or its deposit does not cover the new total. */
void near_nep145_charge(const char *account_id, uint64_t usage_before);
/* {"total":"..","available":".."} */
void near_nep145_write_balance(near_buf *b, const near_storage_balance *sb);

/* NEP-145 method bodies, emitting `standard` events "storage_deposit"/"storage_withdraw":
 * storage_deposit({account_id?, registration_only?}) payable, storage_withdraw({amount?}) with
 * exactly 1 yoctoNEAR, storage_balance_of({account_id}), storage_balance_bounds(). */
void near_nep145_storage_deposit(const char *standard);
void near_nep145_storage_withdraw(const char *standard);
void near_nep145_storage_balance_of(void);
void near_nep145_storage_balance_bounds(void);

#endif
