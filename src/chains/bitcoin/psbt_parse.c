/*
 * Strict PSBT v0 parser (BIP-174 with the BIP-371 Taproot fields). Every known field is checked
 * for its key data and value format; fields of PSBT v2 (BIP-370) are refused in a v0 PSBT;
 * unknown and proprietary fields are kept byte for byte. Errors name the map, the field and
 * the reason. The parser never trusts a length or count before checking that the input holds
 * it, and never crashes or allocates in proportion to an announced (rather than present) size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>

#include "psbt_internal.h"

#include "teekeys/encoding.h"
#include "teekeys/hash.h"

static const unsigned char PSBT_MAGIC[5] = {'p', 's', 'b', 't', 0xff};

/* How a field's key data must look. */
enum key_rule {
    K_EMPTY,      /* no key data */
    K_PUBKEY,     /* 33-byte compressed or 65-byte uncompressed secp256k1 point */
    K_XONLY,      /* 32-byte x-only point */
    K_FIXED,      /* exactly `klen` bytes */
    K_XONLY_LEAF, /* x-only point ‖ 32-byte leaf hash */
    K_CONTROL,    /* a taproot control block: 33 + 32·m bytes, m <= 128 */
    K_V2ONLY      /* a PSBT v2 field: never valid in v0 */
};

/* How a field's value must look. */
enum value_rule {
    V_ANY,
    V_NONEMPTY,
    V_FIXED, /* exactly `vlen` bytes */
    V_XONLY, /* a 32-byte x-only point */
    V_UNSIGNED_TX,
    V_TX,        /* a whole transaction (non_witness_utxo) */
    V_WUTXO,     /* amount ‖ CompactSize script */
    V_DERIV,     /* fingerprint ‖ path: 4 + 4·k bytes */
    V_TAP_DERIV, /* CompactSize n ‖ n leaf hashes ‖ fingerprint ‖ path */
    V_WITNESS,   /* a witness stack */
    V_TAP_SIG,   /* 64, or 65 with a valid non-default sighash byte */
    V_LEAF,      /* script ‖ leaf version */
    V_TAP_TREE,  /* (depth, leaf version, script)+ */
    V_VERSION,   /* u32 PSBT version */
    V_SHA256,    /* preimage whose SHA-256 is the key data */
    V_HASH256    /* preimage whose double SHA-256 is the key data */
};

typedef struct {
    uint8_t type;
    const char *name;
    enum key_rule k;
    size_t klen;
    enum value_rule v;
    size_t vlen;
} field_rule;

static const field_rule GLOBAL_RULES[] = {
    {0x00, "PSBT_GLOBAL_UNSIGNED_TX", K_EMPTY, 0, V_UNSIGNED_TX, 0},
    {0x01, "PSBT_GLOBAL_XPUB", K_FIXED, 78, V_DERIV, 0},
    {0x02, "PSBT_GLOBAL_TX_VERSION", K_V2ONLY, 0, V_ANY, 0},
    {0x03, "PSBT_GLOBAL_FALLBACK_LOCKTIME", K_V2ONLY, 0, V_ANY, 0},
    {0x04, "PSBT_GLOBAL_INPUT_COUNT", K_V2ONLY, 0, V_ANY, 0},
    {0x05, "PSBT_GLOBAL_OUTPUT_COUNT", K_V2ONLY, 0, V_ANY, 0},
    {0x06, "PSBT_GLOBAL_TX_MODIFIABLE", K_V2ONLY, 0, V_ANY, 0},
    {0xfb, "PSBT_GLOBAL_VERSION", K_EMPTY, 0, V_VERSION, 0},
};

static const field_rule INPUT_RULES[] = {
    {0x00, "PSBT_IN_NON_WITNESS_UTXO", K_EMPTY, 0, V_TX, 0},
    {0x01, "PSBT_IN_WITNESS_UTXO", K_EMPTY, 0, V_WUTXO, 0},
    {0x02, "PSBT_IN_PARTIAL_SIG", K_PUBKEY, 0, V_NONEMPTY, 0},
    {0x03, "PSBT_IN_SIGHASH_TYPE", K_EMPTY, 0, V_FIXED, 4},
    {0x04, "PSBT_IN_REDEEM_SCRIPT", K_EMPTY, 0, V_ANY, 0},
    {0x05, "PSBT_IN_WITNESS_SCRIPT", K_EMPTY, 0, V_ANY, 0},
    {0x06, "PSBT_IN_BIP32_DERIVATION", K_PUBKEY, 0, V_DERIV, 0},
    {0x07, "PSBT_IN_FINAL_SCRIPTSIG", K_EMPTY, 0, V_ANY, 0},
    {0x08, "PSBT_IN_FINAL_SCRIPTWITNESS", K_EMPTY, 0, V_WITNESS, 0},
    {0x09, "PSBT_IN_POR_COMMITMENT", K_EMPTY, 0, V_ANY, 0},
    {0x0a, "PSBT_IN_RIPEMD160", K_FIXED, 20, V_ANY, 0},
    {0x0b, "PSBT_IN_SHA256", K_FIXED, 32, V_SHA256, 0},
    {0x0c, "PSBT_IN_HASH160", K_FIXED, 20, V_ANY, 0},
    {0x0d, "PSBT_IN_HASH256", K_FIXED, 32, V_HASH256, 0},
    {0x0e, "PSBT_IN_PREVIOUS_TXID", K_V2ONLY, 0, V_ANY, 0},
    {0x0f, "PSBT_IN_OUTPUT_INDEX", K_V2ONLY, 0, V_ANY, 0},
    {0x10, "PSBT_IN_SEQUENCE", K_V2ONLY, 0, V_ANY, 0},
    {0x11, "PSBT_IN_REQUIRED_TIME_LOCKTIME", K_V2ONLY, 0, V_ANY, 0},
    {0x12, "PSBT_IN_REQUIRED_HEIGHT_LOCKTIME", K_V2ONLY, 0, V_ANY, 0},
    {0x13, "PSBT_IN_TAP_KEY_SIG", K_EMPTY, 0, V_TAP_SIG, 0},
    {0x14, "PSBT_IN_TAP_SCRIPT_SIG", K_XONLY_LEAF, 64, V_TAP_SIG, 0},
    {0x15, "PSBT_IN_TAP_LEAF_SCRIPT", K_CONTROL, 0, V_LEAF, 0},
    {0x16, "PSBT_IN_TAP_BIP32_DERIVATION", K_XONLY, 32, V_TAP_DERIV, 0},
    {0x17, "PSBT_IN_TAP_INTERNAL_KEY", K_EMPTY, 0, V_XONLY, 32},
    {0x18, "PSBT_IN_TAP_MERKLE_ROOT", K_EMPTY, 0, V_FIXED, 32},
};

static const field_rule OUTPUT_RULES[] = {
    {0x00, "PSBT_OUT_REDEEM_SCRIPT", K_EMPTY, 0, V_ANY, 0},
    {0x01, "PSBT_OUT_WITNESS_SCRIPT", K_EMPTY, 0, V_ANY, 0},
    {0x02, "PSBT_OUT_BIP32_DERIVATION", K_PUBKEY, 0, V_DERIV, 0},
    {0x03, "PSBT_OUT_AMOUNT", K_V2ONLY, 0, V_ANY, 0},
    {0x04, "PSBT_OUT_SCRIPT", K_V2ONLY, 0, V_ANY, 0},
    {0x05, "PSBT_OUT_TAP_INTERNAL_KEY", K_EMPTY, 0, V_XONLY, 32},
    {0x06, "PSBT_OUT_TAP_TREE", K_EMPTY, 0, V_TAP_TREE, 0},
    {0x07, "PSBT_OUT_TAP_BIP32_DERIVATION", K_XONLY, 32, V_TAP_DERIV, 0},
};

#define N_RULES(a) (sizeof(a) / sizeof((a)[0]))

static const field_rule *find_rule(enum psbt_scope scope, uint64_t type)
{
    const field_rule *rules = scope == PSBT_GLOBAL  ? GLOBAL_RULES
                              : scope == PSBT_INPUT ? INPUT_RULES
                                                    : OUTPUT_RULES;
    size_t i, n = scope == PSBT_GLOBAL  ? N_RULES(GLOBAL_RULES)
                  : scope == PSBT_INPUT ? N_RULES(INPUT_RULES)
                                        : N_RULES(OUTPUT_RULES);
    for (i = 0; i < n; i++) {
        if (rules[i].type == type) {
            return &rules[i];
        }
    }
    return NULL;
}

const char *psbt_field_name(enum psbt_scope scope, uint64_t type)
{
    const field_rule *r = find_rule(scope, type);
    return r != NULL ? r->name : NULL;
}

/* "global", "input 3", "output 0": where a problem is, for error details. */
typedef struct {
    char text[40];
} where_t;

static where_t where_of(enum psbt_scope scope, size_t index)
{
    where_t w;
    if (scope == PSBT_GLOBAL) {
        snprintf(w.text, sizeof w.text, "global map");
    } else {
        snprintf(w.text, sizeof w.text, "%s %zu", scope == PSBT_INPUT ? "input" : "output", index);
    }
    return w;
}

static int valid_xonly(const unsigned char *p)
{
    secp256k1_xonly_pubkey pk;
    return secp256k1_xonly_pubkey_parse(tk_secp256k1_ctx(), &pk, p);
}

static int valid_pubkey(const unsigned char *p, size_t len)
{
    secp256k1_pubkey pk;
    if (!((len == 33 && (p[0] == 2 || p[0] == 3)) || (len == 65 && p[0] == 4))) {
        return 0;
    }
    return secp256k1_ec_pubkey_parse(tk_secp256k1_ctx(), &pk, p, len);
}

static int check_key(const field_rule *rule, const unsigned char *kd, size_t kd_len,
                     const char *where)
{
    switch (rule->k) {
    case K_V2ONLY:
        return tk_fail(TK_ERR_INPUT, "%s: %s is a PSBT v2 field, not allowed in PSBT v0", where,
                       rule->name);
    case K_EMPTY:
        if (kd_len != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: %s key must have no key data (has %zu bytes)", where,
                           rule->name, kd_len);
        }
        return TK_OK;
    case K_PUBKEY:
        if (!valid_pubkey(kd, kd_len)) {
            return tk_fail(TK_ERR_INPUT, "%s: %s key data is not a valid public key", where,
                           rule->name);
        }
        return TK_OK;
    case K_XONLY:
    case K_XONLY_LEAF:
    case K_FIXED:
        if (kd_len != rule->klen) {
            return tk_fail(TK_ERR_INPUT, "%s: %s key data must be %zu bytes (has %zu)", where,
                           rule->name, rule->klen, kd_len);
        }
        if (rule->k != K_FIXED && !valid_xonly(kd)) {
            return tk_fail(TK_ERR_INPUT, "%s: %s key data is not a valid x-only public key", where,
                           rule->name);
        }
        return TK_OK;
    case K_CONTROL:
        if (kd_len < 33 || (kd_len - 33) % 32 != 0 || (kd_len - 33) / 32 > 128) {
            return tk_fail(TK_ERR_INPUT, "%s: %s key data is not a control block (%zu bytes)",
                           where, rule->name, kd_len);
        }
        if (!valid_xonly(kd + 1)) {
            return tk_fail(TK_ERR_INPUT, "%s: %s control block has an invalid internal key", where,
                           rule->name);
        }
        return TK_OK;
    }
    return tk_fail(TK_ERR_INTERNAL, "unhandled key rule");
}

/* BIP-32 origin: 4-byte fingerprint then 4-byte path elements. */
static int check_origin(size_t len, const char *where, const char *name)
{
    if (len < 4 || len % 4 != 0) {
        return tk_fail(TK_ERR_INPUT,
                       "%s: %s value is not a fingerprint and derivation path "
                       "(%zu bytes)",
                       where, name, len);
    }
    return TK_OK;
}

static int check_tap_tree(const unsigned char *v, size_t len, const char *where)
{
    btc_reader r = {v, len, 0};
    size_t leaves = 0;
    if (len == 0) {
        return tk_fail(TK_ERR_INPUT, "%s: PSBT_OUT_TAP_TREE is empty", where);
    }
    while (btc_remaining(&r) > 0) {
        uint8_t depth, ver;
        uint64_t slen;
        const unsigned char *s;
        int rc;
        if (btc_read_u8(&r, &depth) != 0 || btc_read_u8(&r, &ver) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: PSBT_OUT_TAP_TREE leaf %zu truncated", where, leaves);
        }
        if (depth > 128) {
            return tk_fail(TK_ERR_INPUT, "%s: PSBT_OUT_TAP_TREE leaf %zu depth %u exceeds 128",
                           where, leaves, depth);
        }
        if (ver & 1) {
            return tk_fail(TK_ERR_INPUT, "%s: PSBT_OUT_TAP_TREE leaf %zu version 0x%02x is odd",
                           where, leaves, ver);
        }
        rc = btc_read_compact(&r, &slen);
        if (rc != 0 || slen > btc_remaining(&r) || btc_read_bytes(&r, &s, (size_t)slen) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: PSBT_OUT_TAP_TREE leaf %zu script: %s", where, leaves,
                           rc == -2 ? "non-canonical CompactSize" : "truncated");
        }
        leaves++;
    }
    return TK_OK;
}

static int check_value(const field_rule *rule, const tk_psbt_pair *p, const char *where)
{
    const unsigned char *v = p->value, *kd = p->key + p->keydata_off;
    size_t len = p->value_len;
    switch (rule->v) {
    case V_ANY:
    case V_UNSIGNED_TX: /* checked by the caller, which keeps the parsed transaction */
    case V_TX:          /* checked against the outpoint by check_input */
        return TK_OK;
    case V_NONEMPTY:
        return len > 0 ? TK_OK : tk_fail(TK_ERR_INPUT, "%s: %s value is empty", where, rule->name);
    case V_FIXED:
    case V_XONLY:
        if (len != rule->vlen) {
            return tk_fail(TK_ERR_INPUT, "%s: %s value must be %zu bytes (has %zu)", where,
                           rule->name, rule->vlen, len);
        }
        if (rule->v == V_XONLY && !valid_xonly(v)) {
            return tk_fail(TK_ERR_INPUT, "%s: %s is not a valid x-only public key", where,
                           rule->name);
        }
        return TK_OK;
    case V_WUTXO: {
        btc_reader r = {v, len, 0};
        uint64_t amount, slen;
        int rc;
        if (btc_read_u64(&r, &amount) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: %s amount truncated", where, rule->name);
        }
        if (amount > TK_BTC_MAX_MONEY) {
            return tk_fail(TK_ERR_RANGE, "%s: %s amount exceeds 21 million BTC", where, rule->name);
        }
        rc = btc_read_compact(&r, &slen);
        if (rc != 0 || slen != btc_remaining(&r)) {
            return tk_fail(TK_ERR_INPUT, "%s: %s scriptPubKey length %s", where, rule->name,
                           rc == -2 ? "is a non-canonical CompactSize"
                                    : "does not match the value size");
        }
        if (slen > TK_BTC_SCRIPT_MAX_LEN) {
            return tk_fail(TK_ERR_RANGE, "%s: %s scriptPubKey longer than %u bytes", where,
                           rule->name, TK_BTC_SCRIPT_MAX_LEN);
        }
        return TK_OK;
    }
    case V_DERIV:
        return check_origin(len, where, rule->name);
    case V_TAP_DERIV: {
        btc_reader r = {v, len, 0};
        uint64_t n;
        int rc = btc_read_compact(&r, &n);
        if (rc != 0 || n > btc_remaining(&r) / 32) {
            return tk_fail(TK_ERR_INPUT, "%s: %s leaf hash count %s", where, rule->name,
                           rc == -2 ? "is a non-canonical CompactSize" : "exceeds the value");
        }
        return check_origin(btc_remaining(&r) - (size_t)n * 32, where, rule->name);
    }
    case V_WITNESS: {
        tk_btc_bytes *items;
        size_t n;
        int rc = tk_btc_witness_parse(&items, &n, v, len);
        if (rc != TK_OK) {
            char inner[200];
            snprintf(inner, sizeof inner, "%s", tk_errmsg());
            return tk_fail(rc, "%s: %s: %s", where, rule->name, inner);
        }
        tk_btc_witness_free(items, n);
        return TK_OK;
    }
    case V_TAP_SIG:
        if (len == 64 || (len == 65 && v[64] != 0 && tk_btc_taproot_hash_type_valid(v[64]))) {
            return TK_OK;
        }
        return tk_fail(TK_ERR_INPUT,
                       "%s: %s must be 64 bytes, or 65 with a valid non-default "
                       "sighash type (has %zu bytes)",
                       where, rule->name, len);
    case V_LEAF:
        if (len < 1) {
            return tk_fail(TK_ERR_INPUT, "%s: %s value has no leaf version", where, rule->name);
        }
        if ((kd[0] & 0xfe) != v[len - 1]) {
            return tk_fail(TK_ERR_INPUT,
                           "%s: %s leaf version 0x%02x does not match the control "
                           "block (0x%02x)",
                           where, rule->name, v[len - 1], kd[0] & 0xfe);
        }
        return TK_OK;
    case V_TAP_TREE:
        return check_tap_tree(v, len, where);
    case V_VERSION:
        if (len != 4) {
            return tk_fail(TK_ERR_INPUT, "%s: %s value must be 4 bytes (has %zu)", where,
                           rule->name, len);
        }
        if (btc_le32(v) != 0) {
            return tk_fail(TK_ERR_UNSUPPORTED, "PSBT version %u is not supported (only 0)",
                           btc_le32(v));
        }
        return TK_OK;
    case V_SHA256:
    case V_HASH256: {
        unsigned char h[32];
        tk_sha256(h, v, len);
        if (rule->v == V_HASH256) {
            tk_sha256(h, h, 32);
        }
        if (memcmp(h, kd, 32) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: %s preimage does not hash to the key", where,
                           rule->name);
        }
        return TK_OK;
    }
    }
    return tk_fail(TK_ERR_INTERNAL, "unhandled value rule");
}

/* Proprietary keys: CompactSize identifier length ‖ identifier ‖ CompactSize subtype ‖ data. */
static int check_proprietary(const tk_psbt_pair *p, const char *where)
{
    btc_reader r = {p->key + p->keydata_off, p->key_len - p->keydata_off, 0};
    uint64_t n, subtype;
    const unsigned char *id;
    if (btc_read_compact(&r, &n) != 0 || n > btc_remaining(&r) ||
        btc_read_bytes(&r, &id, (size_t)n) != 0 || btc_read_compact(&r, &subtype) != 0) {
        return tk_fail(TK_ERR_INPUT, "%s: proprietary key is not identifier ‖ subtype ‖ data",
                       where);
    }
    return TK_OK;
}

static int cmp_pair_keys(const void *a, const void *b)
{
    const tk_psbt_pair *x = *(const tk_psbt_pair *const *)a, *y = *(const tk_psbt_pair *const *)b;
    if (x->key_len != y->key_len) {
        return x->key_len < y->key_len ? -1 : 1;
    }
    return memcmp(x->key, y->key, x->key_len);
}

/* Refuses two pairs with the same key. */
static int check_duplicates(const tk_psbt_map *map, enum psbt_scope scope, const char *where)
{
    const tk_psbt_pair **sorted;
    size_t i;
    int rc = TK_OK;
    if (map->n < 2) {
        return TK_OK;
    }
    sorted = malloc(map->n * sizeof *sorted);
    if (sorted == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < map->n; i++) {
        sorted[i] = &map->pairs[i];
    }
    qsort(sorted, map->n, sizeof *sorted, cmp_pair_keys);
    for (i = 1; i < map->n; i++) {
        if (cmp_pair_keys(&sorted[i - 1], &sorted[i]) == 0) {
            const char *name = psbt_field_name(scope, sorted[i]->type);
            if (name != NULL) {
                rc = tk_fail(TK_ERR_INPUT, "%s: duplicate key (%s)", where, name);
            } else {
                rc = tk_fail(TK_ERR_INPUT, "%s: duplicate key (type 0x%llx)", where,
                             (unsigned long long)sorted[i]->type);
            }
            break;
        }
    }
    free(sorted);
    return rc;
}

/* Reads pairs up to and including the 0x00 separator, checking each known field. */
static int read_map(btc_reader *r, tk_psbt_map *map, enum psbt_scope scope, size_t index)
{
    where_t where = where_of(scope, index);
    size_t i;
    int rc;
    for (;;) {
        uint64_t klen, vlen;
        const unsigned char *key, *value;
        rc = btc_read_compact(r, &klen);
        if (rc == -1) {
            return tk_fail(TK_ERR_INPUT, "%s: truncated (no 0x00 separator)", where.text);
        }
        if (rc != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: key length is a non-canonical CompactSize",
                           where.text);
        }
        if (klen == 0) {
            break;
        }
        if (klen > btc_remaining(r) || btc_read_bytes(r, &key, (size_t)klen) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: key truncated", where.text);
        }
        rc = btc_read_compact(r, &vlen);
        if (rc != 0 || vlen > btc_remaining(r) || btc_read_bytes(r, &value, (size_t)vlen) != 0) {
            return tk_fail(TK_ERR_INPUT, "%s: value %s", where.text,
                           rc == -2 ? "length is a non-canonical CompactSize" : "truncated");
        }
        {
            btc_reader kr = {key, (size_t)klen, 0};
            uint64_t type;
            if (btc_read_compact(&kr, &type) != 0) {
                return tk_fail(TK_ERR_INPUT, "%s: key type is not a canonical CompactSize",
                               where.text);
            }
        }
        rc = psbt_map_append(map, key, (size_t)klen, value, (size_t)vlen);
        if (rc != TK_OK) {
            return rc;
        }
    }
    if ((rc = check_duplicates(map, scope, where.text)) != TK_OK) {
        return rc;
    }
    for (i = 0; i < map->n; i++) {
        const tk_psbt_pair *p = &map->pairs[i];
        const field_rule *rule = find_rule(scope, p->type);
        if (p->type == TK_PSBT_PROPRIETARY) {
            rc = check_proprietary(p, where.text);
        } else if (rule != NULL) {
            rc = check_key(rule, p->key + p->keydata_off, p->key_len - p->keydata_off, where.text);
            if (rc == TK_OK) {
                rc = check_value(rule, p, where.text);
            }
        }
        if (rc != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

static int check_unsigned_tx(tk_psbt *psbt)
{
    const tk_psbt_pair *p = psbt_map_find_type(&psbt->global, TK_PSBT_GLOBAL_UNSIGNED_TX);
    size_t i;
    int rc;
    if (p == NULL) {
        return tk_fail(TK_ERR_INPUT, "global map: PSBT_GLOBAL_UNSIGNED_TX is missing");
    }
    rc = tk_btc_tx_parse(&psbt->tx, p->value, p->value_len, TK_BTC_TX_NO_WITNESS);
    if (rc != TK_OK) {
        char inner[200];
        snprintf(inner, sizeof inner, "%s", tk_errmsg());
        if (p->value_len > 6 && p->value[4] == 0x00 && p->value[5] == 0x01) {
            /* Only a hint: a transaction without inputs and with one output starts alike. */
            return tk_fail(rc,
                           "global map: PSBT_GLOBAL_UNSIGNED_TX looks serialized with "
                           "witnesses (segwit marker), which PSBT forbids: %s",
                           inner);
        }
        return tk_fail(rc, "global map: PSBT_GLOBAL_UNSIGNED_TX: %s", inner);
    }
    for (i = 0; i < psbt->tx->n_in; i++) {
        if (psbt->tx->in[i].script_sig.len != 0) {
            return tk_fail(TK_ERR_INPUT,
                           "global map: PSBT_GLOBAL_UNSIGNED_TX input %zu has a "
                           "scriptSig (the unsigned transaction must have none)",
                           i);
        }
    }
    return TK_OK;
}

/* Cross-checks an input map against the unsigned transaction: the non_witness_utxo must be
 * the transaction the outpoint names, and agree with the witness_utxo when both are present. */
static int check_input(const tk_psbt *psbt, size_t index)
{
    const tk_psbt_map *m = &psbt->inputs[index];
    const tk_psbt_pair *nw = psbt_map_find_type(m, TK_PSBT_IN_NON_WITNESS_UTXO);
    const tk_psbt_pair *wu = psbt_map_find_type(m, TK_PSBT_IN_WITNESS_UTXO);
    const tk_btc_txin *in = &psbt->tx->in[index];
    tk_btc_tx *prev = NULL;
    unsigned char txid[32];
    int rc;
    if (nw == NULL) {
        return TK_OK;
    }
    rc = tk_btc_tx_parse(&prev, nw->value, nw->value_len, 0);
    if (rc != TK_OK) {
        char inner[200];
        snprintf(inner, sizeof inner, "%s", tk_errmsg());
        return tk_fail(rc, "input %zu: PSBT_IN_NON_WITNESS_UTXO: %s", index, inner);
    }
    rc = tk_btc_tx_txid(txid, prev);
    if (rc != TK_OK) {
        goto cleanup;
    }
    if (memcmp(txid, in->prev_txid, 32) != 0) {
        rc = tk_fail(TK_ERR_INPUT,
                     "input %zu: PSBT_IN_NON_WITNESS_UTXO is not the transaction "
                     "the input spends (txid differs)",
                     index);
        goto cleanup;
    }
    if (in->prev_vout >= prev->n_out) {
        rc = tk_fail(TK_ERR_INPUT, "input %zu: PSBT_IN_NON_WITNESS_UTXO has no output %u", index,
                     in->prev_vout);
        goto cleanup;
    }
    if (wu != NULL) {
        const tk_btc_txout *o = &prev->out[in->prev_vout];
        btc_writer w = {NULL, 0, 0};
        unsigned char *buf;
        btc_write_u64(&w, o->value);
        btc_write_compact(&w, o->script.len);
        btc_write(&w, o->script.data, o->script.len);
        buf = malloc(w.pos);
        if (buf == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        w.p = buf;
        w.cap = w.pos;
        w.pos = 0;
        btc_write_u64(&w, o->value);
        btc_write_compact(&w, o->script.len);
        btc_write(&w, o->script.data, o->script.len);
        if (w.pos != wu->value_len || memcmp(buf, wu->value, w.pos) != 0) {
            rc = tk_fail(TK_ERR_INPUT,
                         "input %zu: PSBT_IN_WITNESS_UTXO disagrees with "
                         "PSBT_IN_NON_WITNESS_UTXO",
                         index);
        }
        free(buf);
    }
cleanup:
    tk_btc_tx_free(prev);
    return rc;
}

int tk_psbt_parse(tk_psbt **out, const unsigned char *in, size_t in_len)
{
    btc_reader r = {in, in_len, 0};
    const unsigned char *magic;
    tk_psbt *psbt = NULL;
    size_t i;
    int rc;
    if (out == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_parse: NULL argument");
    }
    *out = NULL;
    if (in_len > TK_PSBT_MAX_SIZE) {
        return tk_fail(TK_ERR_RANGE, "PSBT of %zu bytes exceeds the limit of %u", in_len,
                       TK_PSBT_MAX_SIZE);
    }
    if (btc_read_bytes(&r, &magic, sizeof PSBT_MAGIC) != 0 ||
        memcmp(magic, PSBT_MAGIC, sizeof PSBT_MAGIC) != 0) {
        return tk_fail(TK_ERR_INPUT, "not a PSBT (magic \"psbt\\xff\" missing)");
    }
    psbt = calloc(1, sizeof *psbt);
    if (psbt == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if ((rc = read_map(&r, &psbt->global, PSBT_GLOBAL, 0)) != TK_OK ||
        (rc = check_unsigned_tx(psbt)) != TK_OK) {
        goto cleanup;
    }
    if (psbt->tx->n_in + psbt->tx->n_out > btc_remaining(&r)) {
        rc = tk_fail(TK_ERR_INPUT,
                     "PSBT has fewer maps than the %zu inputs and %zu outputs of "
                     "its transaction",
                     psbt->tx->n_in, psbt->tx->n_out);
        goto cleanup;
    }
    psbt->inputs = calloc(psbt->tx->n_in + 1, sizeof *psbt->inputs);
    psbt->outputs = calloc(psbt->tx->n_out + 1, sizeof *psbt->outputs);
    if (psbt->inputs == NULL || psbt->outputs == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < psbt->tx->n_in; i++) {
        if ((rc = read_map(&r, &psbt->inputs[i], PSBT_INPUT, i)) != TK_OK ||
            (rc = check_input(psbt, i)) != TK_OK) {
            goto cleanup;
        }
    }
    for (i = 0; i < psbt->tx->n_out; i++) {
        if ((rc = read_map(&r, &psbt->outputs[i], PSBT_OUTPUT, i)) != TK_OK) {
            goto cleanup;
        }
    }
    if (r.pos != r.len) {
        rc = tk_fail(TK_ERR_INPUT,
                     "%zu bytes after the last output map (more maps than the "
                     "transaction has inputs and outputs?)",
                     r.len - r.pos);
        goto cleanup;
    }
    *out = psbt;
    psbt = NULL;
    rc = TK_OK;
cleanup:
    tk_psbt_free(psbt);
    return rc;
}

int tk_psbt_parse_base64(tk_psbt **out, const char *in, size_t in_len)
{
    unsigned char *bin;
    size_t cap = in_len / 4 * 3 + 3, n = 0;
    int rc;
    if (out == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_parse_base64: NULL argument");
    }
    *out = NULL;
    if (in_len > tk_base64_encoded_len(TK_PSBT_MAX_SIZE)) {
        return tk_fail(TK_ERR_RANGE, "base64 PSBT of %zu characters exceeds the limit", in_len);
    }
    bin = malloc(cap);
    if (bin == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    rc = tk_base64_decode(bin, cap, &n, in, in_len);
    if (rc != TK_OK) {
        char inner[200];
        snprintf(inner, sizeof inner, "%s", tk_errmsg());
        rc = tk_fail(TK_ERR_INPUT, "PSBT base64: %s", inner);
    } else {
        rc = tk_psbt_parse(out, bin, n);
    }
    free(bin);
    return rc;
}
