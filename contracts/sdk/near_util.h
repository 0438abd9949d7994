/*
 * near_util: SDK helpers beyond near_sdk.h that contracts share: hex, base58 and bech32/bech32m
 * codecs, NEAR account id and key-string checks, compact JSON re-serialisation, JSON members
 * and strict argument objects, NEP-297 events, a plain transfer, borsh, persistent maps and
 * sets, and NEP-145 storage accounting.
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
/* The call's arguments as any JSON value; panics "invalid JSON arguments: <reason>" when they
 * are not JSON (empty input included). */
const near_json *near_args_json(void);
/* The string member `name` of doc; panics "missing string argument: <name>" when it is absent
 * or not a string. */
const char *near_json_str_arg(const near_json *doc, const char *name);
/* Argument checks for parsers (they return a message instead of panicking): NULL when obj is an
 * object whose members are all named in `allowed`, else "<what> must be an object" or
 * "<what>: unknown field <name>"; NULL when doc's member `name` is a valid account id (*out),
 * else "missing string argument: <name>" or "invalid NEAR account id in <name>". */
const char *near_json_check_object(const near_json *obj, const char *what,
                                   const char *const *allowed);
const char *near_json_account_member(const near_json *doc, const char *name, const char **out);
/* Appends a u128 as a JSON string ("123"). */
void near_json_write_u128(near_buf *b, unsigned __int128 v);
/* Object members: `"name":` followed by the string s (null when s is NULL), the raw JSON text
 * `raw`, or the u64 as a JSON number; a leading comma unless `first`. */
void near_json_member_str(near_buf *b, const char *name, const char *s, int first);
void near_json_member_raw(near_buf *b, const char *name, const char *raw, int first);
void near_json_member_u64(near_buf *b, const char *name, uint64_t v, int first);
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

/* ---- call checks (near_codec.c) ---- */
/* Panics unless the caller is the contract account itself or its parent account (the one that
 * created it in a deploy-and-init batch): who may call a contract's `new`. */
void near_require_self_or_parent(void);
/* Panics "this method does not accept an attached deposit" when the call carries one. */
void near_require_no_deposit(void);
/* Panics with err unless it is NULL: for the argument parsers that return a message. */
void near_check(const char *err);

/* ---- events and transfers (near_codec.c) ---- */
/* Logs EVENT_JSON:{"standard":..,"version":..,"event":..,"data":[<data_object>]}. */
void near_emit_event(const char *standard, const char *version, const char *event,
                     const char *data_object, size_t data_len);
/* A promise that transfers `amount` yoctoNEAR from the current account to `account_id`. */
void near_transfer(const char *account_id, unsigned __int128 amount);

/* ---- borsh (near_borsh.c) ----
 * Writer: appends to a near_buf. Integers little-endian; bytes and strings as a u32 length and
 * the bytes; an Option as near_borsh_u8(0) or near_borsh_u8(1) and the value; a Vec as
 * near_borsh_u32(count) and the items; a PublicKey as the curve tag and 32 or 64 bytes. */
void near_borsh_u8(near_buf *b, uint8_t v);
void near_borsh_u32(near_buf *b, uint32_t v);
void near_borsh_u64(near_buf *b, uint64_t v);
void near_borsh_u128(near_buf *b, unsigned __int128 v);
void near_borsh_bytes(near_buf *b, const void *data, size_t len); /* also String */
void near_borsh_public_key(near_buf *b, unsigned curve, const uint8_t *key);

/* Reader: each read returns 1, or 0 when the input ends early or holds a value the type does not
 * allow; the first failure sticks (every later read returns 0), outputs are zero on failure,
 * and nothing panics, so stored records and arguments can both be read with it. */
typedef struct {
    const uint8_t *data;
    size_t len, pos;
    int ok;
} near_borsh_reader;
void near_borsh_reader_init(near_borsh_reader *r, const void *data, size_t len);
int near_borsh_read_u8(near_borsh_reader *r, uint8_t *v);
int near_borsh_read_u32(near_borsh_reader *r, uint32_t *v);
int near_borsh_read_u64(near_borsh_reader *r, uint64_t *v);
int near_borsh_read_u128(near_borsh_reader *r, unsigned __int128 *v);
int near_borsh_read_fixed(near_borsh_reader *r, uint8_t *out, size_t n); /* [u8; n] */
/* Vec<u8>: *data points into the input */
int near_borsh_read_bytes(near_borsh_reader *r, const uint8_t **data, size_t *len);
/* String: valid UTF-8 only, copied NUL-terminated into the arena */
int near_borsh_read_string(near_borsh_reader *r, const char **s, size_t *len);
int near_borsh_read_option(near_borsh_reader *r, int *present); /* tag 0 or 1 */
/* A Vec's count; refused when the rest of the input cannot hold count items of at least
 * min_item_len bytes each (0: no bound). */
int near_borsh_read_vec_len(near_borsh_reader *r, uint32_t *count, size_t min_item_len);
/* PublicKey: NEAR_CURVE_ED25519 and 32 bytes or NEAR_CURVE_SECP256K1 and 64 bytes */
int near_borsh_read_public_key(near_borsh_reader *r, unsigned *curve, uint8_t key[64],
                               size_t *key_len);
/* 1 when every read succeeded and the input was read to its end */
int near_borsh_end(const near_borsh_reader *r);

/* ---- persistent maps and sets (near_map.c) ----
 * A map keeps each entry under prefix || key. An iterable map also lists its keys in insertion
 * order in one record under `index`: back to back when every key has key_size bytes, as borsh
 * byte strings when key_size is 0. A set is a map whose values are empty (near_set_add; has,
 * remove, len and iteration are the map's). Prefixes must not be prefixes of one another. */
typedef struct {
    const void *prefix;
    size_t prefix_len;
    const void *index; /* NULL: not iterable */
    size_t index_len;
    size_t key_size; /* iterable maps: the length of every key, or 0 when lengths vary */
} near_map;
#define NEAR_MAP(prefix)                                                                           \
    {                                                                                              \
        prefix, sizeof(prefix) - 1, NULL, 0, 0                                                     \
    }
#define NEAR_ITERABLE_MAP(prefix, index, key_size)                                                 \
    {                                                                                              \
        prefix, sizeof(prefix) - 1, index, sizeof(index) - 1, key_size                             \
    }

near_buf near_map_key(const near_map *m, const void *key, size_t key_len); /* prefix || key */
/* The value (arena, NUL-terminated) or NULL when absent. */
uint8_t *near_map_get(const near_map *m, const void *key, size_t key_len, size_t *val_len);
int near_map_has(const near_map *m, const void *key, size_t key_len);
/* Returns 1 when the key is new, 0 when its value was replaced. */
int near_map_set(const near_map *m, const void *key, size_t key_len, const void *val,
                 size_t val_len);
/* Returns 1 when there was an entry to remove. */
int near_map_remove(const near_map *m, const void *key, size_t key_len);
int near_set_add(const near_map *s, const void *key, size_t key_len); /* 1 when new */
/* Removes the entries of `count` keys stored back to back in `keys`, rewriting the index once;
 * iterable maps of fixed-size keys only. Returns how many entries there were. */
size_t near_map_remove_keys(const near_map *m, const uint8_t *keys, size_t count);

/* Iterable maps only: the number of entries, and iteration in insertion order. */
uint64_t near_map_len(const near_map *m);
typedef struct {
    const near_map *map;
    const uint8_t *keys;
    size_t keys_len, pos;
} near_map_iter;
/* Starts after the first `skip` entries (past the end: an empty iteration). */
void near_map_iter_init(near_map_iter *it, const near_map *m, uint64_t skip);
/* The next key (pointing into the index) and, when val is not NULL, its value; 0 at the end. */
int near_map_next(near_map_iter *it, const uint8_t **key, size_t *key_len, uint8_t **val,
                  size_t *val_len);
/* Appends a JSON array of at most `limit` stored values (each a JSON text), from entry `from`. */
void near_map_write_json_page(near_buf *out, const near_map *m, uint64_t from, uint64_t limit);

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
