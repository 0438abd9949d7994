/*
 * Solana message and wire-transaction codec (include/teekeys/solana.h): strict parser with the
 * network's sanitizer rules, serializer, and the broad "looks like a message" check that keeps
 * sol_message from signing a disguised transaction. Public data only; the parser never
 * allocates and never reads outside its input.
 */
#include <string.h>

#include "teekeys/solana.h"

typedef struct {
    const unsigned char *p;
    size_t len;
    size_t pos;
} reader;

/* Parse modes. STRICT stores into msg, applies the sanitizer rules and refuses trailing bytes;
 * SHAPE only walks the structure and allows trailing bytes (a prefix match). */
enum { MODE_STRICT, MODE_SHAPE };

/* Fails quietly in SHAPE mode: the broad check must not overwrite a caller's error detail. */
#define FAIL(mode, code, ...) ((mode) == MODE_STRICT ? tk_fail((code), __VA_ARGS__) : (code))

static int take(reader *r, const unsigned char **out, size_t n, int mode, const char *field)
{
    if (r->len - r->pos < n) {
        return FAIL(mode, TK_ERR_INPUT, "solana message truncated in %s (need %zu bytes at %zu)",
                    field, n, r->pos);
    }
    *out = r->p + r->pos;
    r->pos += n;
    return TK_OK;
}

/* compact-u16: 1 to 3 bytes of 7 bits, little-endian groups, canonical (no zero last group
 * after the first, no value above 0xffff). */
static int read_compact_u16(reader *r, size_t *value, int mode, const char *field)
{
    size_t v = 0;
    for (unsigned i = 0; i < 3; i++) {
        unsigned char b;
        if (r->pos >= r->len) {
            return FAIL(mode, TK_ERR_INPUT, "solana message truncated in the length of %s", field);
        }
        b = r->p[r->pos++];
        if (i == 2 && b > 0x03) {
            return FAIL(mode, TK_ERR_INPUT, "compact-u16 length of %s exceeds 65535", field);
        }
        v |= (size_t)(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 0) {
                return FAIL(mode, TK_ERR_INPUT, "non-canonical compact-u16 length of %s", field);
            }
            *value = v;
            return TK_OK;
        }
    }
    /* unreachable: the third byte is <= 3 and so has no continuation bit */
    return FAIL(mode, TK_ERR_INPUT, "compact-u16 length of %s too long", field);
}

static int read_u8_array(reader *r, size_t *n, const unsigned char **items, int mode,
                         const char *field)
{
    int rc = read_compact_u16(r, n, mode, field);
    return rc != TK_OK ? rc : take(r, items, *n, mode, field);
}

static int parse_impl(tk_sol_message *msg, const unsigned char *in, size_t in_len, int mode,
                      size_t *consumed)
{
    reader r = {in, in_len, 0};
    const unsigned char *hdr = NULL, *keys = NULL, *hash = NULL;
    size_t n_keys = 0, n_ix = 0, n_lookups = 0, total, i;
    int version = TK_SOL_LEGACY, rc;

    if (in_len == 0) {
        return FAIL(mode, TK_ERR_INPUT, "solana message is empty");
    }
    if (in[0] & 0x80) {
        version = in[0] & 0x7f;
        if (version != 0) {
            return FAIL(mode, TK_ERR_UNSUPPORTED, "solana message version %d is not supported",
                        version);
        }
        r.pos = 1;
    }
    if ((rc = take(&r, &hdr, 3, mode, "header")) != TK_OK ||
        (rc = read_compact_u16(&r, &n_keys, mode, "account keys")) != TK_OK) {
        return rc;
    }
    if (mode == MODE_STRICT && n_keys > TK_SOL_MAX_ACCOUNTS) {
        return FAIL(mode, TK_ERR_RANGE, "solana message has %zu account keys (at most %d)", n_keys,
                    TK_SOL_MAX_ACCOUNTS);
    }
    if ((rc = take(&r, &keys, n_keys * TK_SOL_PUBKEY_LEN, mode, "account keys")) != TK_OK ||
        (rc = take(&r, &hash, TK_SOL_HASH_LEN, mode, "recent blockhash")) != TK_OK ||
        (rc = read_compact_u16(&r, &n_ix, mode, "instructions")) != TK_OK) {
        return rc;
    }
    if (mode == MODE_STRICT) {
        if (n_ix > TK_SOL_MAX_INSTRUCTIONS) {
            return tk_fail(TK_ERR_RANGE, "solana message has %zu instructions (at most %d)", n_ix,
                           TK_SOL_MAX_INSTRUCTIONS);
        }
        memset(msg, 0, sizeof *msg);
        msg->version = version;
        msg->num_required_signatures = hdr[0];
        msg->num_readonly_signed = hdr[1];
        msg->num_readonly_unsigned = hdr[2];
        msg->n_keys = n_keys;
        msg->keys = keys;
        msg->recent_blockhash = hash;
        msg->n_instructions = n_ix;
    }
    for (i = 0; i < n_ix; i++) {
        const unsigned char *pid = NULL, *accts = NULL, *data = NULL;
        size_t n_accts = 0, data_len = 0;
        if ((rc = take(&r, &pid, 1, mode, "instruction program id index")) != TK_OK ||
            (rc = read_u8_array(&r, &n_accts, &accts, mode, "instruction accounts")) != TK_OK ||
            (rc = read_u8_array(&r, &data_len, &data, mode, "instruction data")) != TK_OK) {
            return rc;
        }
        if (mode == MODE_STRICT) {
            tk_sol_instruction *ix = &msg->instructions[i];
            ix->program_id_index = pid[0];
            ix->n_accounts = n_accts;
            ix->accounts = accts;
            ix->data_len = data_len;
            ix->data = data;
        }
    }
    if (version == TK_SOL_V0) {
        if ((rc = read_compact_u16(&r, &n_lookups, mode, "address table lookups")) != TK_OK) {
            return rc;
        }
        if (mode == MODE_STRICT && n_lookups > TK_SOL_MAX_LOOKUPS) {
            return tk_fail(TK_ERR_RANGE,
                           "solana message has %zu address table lookups (at most %d)", n_lookups,
                           TK_SOL_MAX_LOOKUPS);
        }
        for (i = 0; i < n_lookups; i++) {
            const unsigned char *table = NULL, *w = NULL, *ro = NULL;
            size_t n_w = 0, n_ro = 0;
            if ((rc = take(&r, &table, TK_SOL_PUBKEY_LEN, mode, "lookup table address")) != TK_OK ||
                (rc = read_u8_array(&r, &n_w, &w, mode, "lookup writable indexes")) != TK_OK ||
                (rc = read_u8_array(&r, &n_ro, &ro, mode, "lookup readonly indexes")) != TK_OK) {
                return rc;
            }
            if (mode == MODE_STRICT) {
                tk_sol_lookup *l = &msg->lookups[i];
                if (n_w + n_ro == 0) {
                    return tk_fail(TK_ERR_RANGE, "address table lookup %zu loads no accounts", i);
                }
                l->table = table;
                l->n_writable = n_w;
                l->writable = w;
                l->n_readonly = n_ro;
                l->readonly = ro;
            }
        }
        if (mode == MODE_STRICT) {
            msg->n_lookups = n_lookups;
        }
    }
    if (consumed != NULL) {
        *consumed = r.pos;
    }
    if (mode == MODE_SHAPE) {
        return TK_OK;
    }
    if (r.pos != in_len) {
        return tk_fail(TK_ERR_INPUT, "solana message has %zu trailing bytes", in_len - r.pos);
    }

    /* The sanitizer's rules. */
    if ((size_t)msg->num_required_signatures + msg->num_readonly_unsigned > n_keys) {
        return tk_fail(TK_ERR_RANGE,
                       "solana header needs %u signer and %u readonly unsigned accounts but the "
                       "message has %zu account keys",
                       msg->num_required_signatures, msg->num_readonly_unsigned, n_keys);
    }
    if (msg->num_readonly_signed >= msg->num_required_signatures) {
        return tk_fail(TK_ERR_RANGE,
                       "solana header has no writable signer (fee payer): %u required "
                       "signatures, %u readonly signed",
                       msg->num_required_signatures, msg->num_readonly_signed);
    }
    for (i = 1; i < n_keys; i++) {
        for (size_t j = 0; j < i; j++) {
            if (memcmp(keys + i * 32, keys + j * 32, 32) == 0) {
                return tk_fail(TK_ERR_RANGE, "solana account key %zu repeats key %zu", i, j);
            }
        }
    }
    total = n_keys;
    for (i = 0; i < msg->n_lookups; i++) {
        total += msg->lookups[i].n_writable + msg->lookups[i].n_readonly;
    }
    if (total > TK_SOL_MAX_ACCOUNTS) {
        return tk_fail(TK_ERR_RANGE, "solana message loads %zu accounts (at most %d)", total,
                       TK_SOL_MAX_ACCOUNTS);
    }
    for (i = 0; i < n_ix; i++) {
        const tk_sol_instruction *ix = &msg->instructions[i];
        if (ix->program_id_index >= n_keys) {
            return tk_fail(TK_ERR_RANGE,
                           "instruction %zu: program id index %u is not a static account key "
                           "(%zu keys)",
                           i, ix->program_id_index, n_keys);
        }
        if (ix->program_id_index == 0) {
            return tk_fail(TK_ERR_RANGE, "instruction %zu: the program id is the fee payer", i);
        }
        for (size_t j = 0; j < ix->n_accounts; j++) {
            if (ix->accounts[j] >= total) {
                return tk_fail(TK_ERR_RANGE,
                               "instruction %zu: account index %u out of range (%zu accounts)", i,
                               ix->accounts[j], total);
            }
        }
    }
    return TK_OK;
}

int tk_sol_message_parse_var(tk_sol_message *msg, const unsigned char *in, size_t in_len)
{
    if (msg == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_message_parse_var");
    }
    return parse_impl(msg, in, in_len, MODE_STRICT, NULL);
}

int tk_sol_looks_like_message_var(const unsigned char *in, size_t in_len)
{
    if (in == NULL) {
        return 0;
    }
    return parse_impl(NULL, in, in_len, MODE_SHAPE, NULL) == TK_OK;
}

/* ---- serializer ---- */

typedef struct {
    unsigned char *p;
    size_t cap;
    size_t len; /* counts past cap so that the caller learns the size needed */
} writer;

static void put(writer *w, const void *src, size_t n)
{
    if (n != 0 && w->len <= w->cap && w->cap - w->len >= n) {
        memcpy(w->p + w->len, src, n);
    }
    w->len += n;
}

static void put_u8(writer *w, unsigned v)
{
    unsigned char b = (unsigned char)v;
    put(w, &b, 1);
}

static int put_compact_u16(writer *w, size_t v, const char *field)
{
    if (v > 0xffff) {
        return tk_fail(TK_ERR_RANGE, "%s: %zu items do not fit a compact-u16", field, v);
    }
    do {
        unsigned b = v & 0x7f;
        v >>= 7;
        put_u8(w, v ? (b | 0x80) : b);
    } while (v);
    return TK_OK;
}

static int put_u8_array(writer *w, size_t n, const unsigned char *items, const char *field)
{
    int rc = put_compact_u16(w, n, field);
    if (rc == TK_OK) {
        put(w, items, n);
    }
    return rc;
}

static int finish(writer *w, size_t *written)
{
    *written = w->len;
    if (w->len > w->cap) {
        return tk_fail(TK_ERR_BUFFER, "output needs %zu bytes, buffer has %zu", w->len, w->cap);
    }
    return TK_OK;
}

static int write_message(writer *w, const tk_sol_message *msg)
{
    int rc;
    if (msg->version != TK_SOL_LEGACY && msg->version != TK_SOL_V0) {
        return tk_fail(TK_ERR_UNSUPPORTED, "solana message version %d", msg->version);
    }
    if (msg->n_instructions > TK_SOL_MAX_INSTRUCTIONS || msg->n_lookups > TK_SOL_MAX_LOOKUPS ||
        (msg->version == TK_SOL_LEGACY && msg->n_lookups != 0)) {
        return tk_fail(TK_ERR_ARG, "impossible solana message counts");
    }
    if (msg->version == TK_SOL_V0) {
        put_u8(w, 0x80);
    }
    put_u8(w, msg->num_required_signatures);
    put_u8(w, msg->num_readonly_signed);
    put_u8(w, msg->num_readonly_unsigned);
    if ((rc = put_compact_u16(w, msg->n_keys, "account keys")) != TK_OK) {
        return rc;
    }
    put(w, msg->keys, msg->n_keys * TK_SOL_PUBKEY_LEN);
    put(w, msg->recent_blockhash, TK_SOL_HASH_LEN);
    if ((rc = put_compact_u16(w, msg->n_instructions, "instructions")) != TK_OK) {
        return rc;
    }
    for (size_t i = 0; i < msg->n_instructions; i++) {
        const tk_sol_instruction *ix = &msg->instructions[i];
        put_u8(w, ix->program_id_index);
        if ((rc = put_u8_array(w, ix->n_accounts, ix->accounts, "instruction accounts")) != TK_OK ||
            (rc = put_u8_array(w, ix->data_len, ix->data, "instruction data")) != TK_OK) {
            return rc;
        }
    }
    if (msg->version == TK_SOL_V0) {
        if ((rc = put_compact_u16(w, msg->n_lookups, "address table lookups")) != TK_OK) {
            return rc;
        }
        for (size_t i = 0; i < msg->n_lookups; i++) {
            const tk_sol_lookup *l = &msg->lookups[i];
            put(w, l->table, TK_SOL_PUBKEY_LEN);
            if ((rc = put_u8_array(w, l->n_writable, l->writable, "lookup writable")) != TK_OK ||
                (rc = put_u8_array(w, l->n_readonly, l->readonly, "lookup readonly")) != TK_OK) {
                return rc;
            }
        }
    }
    return TK_OK;
}

int tk_sol_message_serialize_var(unsigned char *out, size_t out_cap, size_t *written,
                                 const tk_sol_message *msg)
{
    writer w = {out, 0, 0};
    int rc;
    w.cap = out == NULL ? 0 : out_cap;
    if (written == NULL || msg == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_message_serialize_var");
    }
    if ((rc = write_message(&w, msg)) != TK_OK) {
        return rc;
    }
    return finish(&w, written);
}

/* ---- wire transactions ---- */

int tk_sol_transaction_parse_var(tk_sol_transaction *tx, const unsigned char *in, size_t in_len)
{
    reader r = {in, in_len, 0};
    const unsigned char *sigs = NULL;
    size_t n_sigs = 0;
    int rc;

    if (tx == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_transaction_parse_var");
    }
    if (in_len > TK_SOL_PACKET_MAX) {
        return tk_fail(TK_ERR_RANGE, "solana transaction is %zu bytes (at most %d)", in_len,
                       TK_SOL_PACKET_MAX);
    }
    if ((rc = read_compact_u16(&r, &n_sigs, MODE_STRICT, "signatures")) != TK_OK ||
        (rc = take(&r, &sigs, n_sigs * TK_SOL_SIGNATURE_LEN, MODE_STRICT, "signatures")) != TK_OK) {
        return rc;
    }
    if ((rc = tk_sol_message_parse_var(&tx->msg, in + r.pos, in_len - r.pos)) != TK_OK) {
        return rc;
    }
    if (n_sigs != tx->msg.num_required_signatures) {
        return tk_fail(TK_ERR_INPUT,
                       "solana transaction has %zu signatures but its header requires %u", n_sigs,
                       tx->msg.num_required_signatures);
    }
    tx->n_signatures = n_sigs;
    tx->signatures = sigs;
    tx->message = in + r.pos;
    tx->message_len = in_len - r.pos;
    return TK_OK;
}

int tk_sol_transaction_serialize_var(unsigned char *out, size_t out_cap, size_t *written,
                                     const tk_sol_transaction *tx)
{
    writer w = {out, 0, 0};
    int rc;
    w.cap = out == NULL ? 0 : out_cap;
    if (written == NULL || tx == NULL || (tx->message == NULL && tx->message_len != 0) ||
        (tx->signatures == NULL && tx->n_signatures != 0)) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_transaction_serialize_var");
    }
    if ((rc = put_compact_u16(&w, tx->n_signatures, "signatures")) != TK_OK) {
        return rc;
    }
    put(&w, tx->signatures, tx->n_signatures * TK_SOL_SIGNATURE_LEN);
    put(&w, tx->message, tx->message_len);
    return finish(&w, written);
}

int tk_sol_signer_index_var(size_t *index, const tk_sol_message *msg,
                            const unsigned char pubkey[TK_SOL_PUBKEY_LEN])
{
    if (index == NULL || msg == NULL || pubkey == NULL) {
        return tk_fail(TK_ERR_ARG, "NULL argument to tk_sol_signer_index_var");
    }
    for (size_t i = 0; i < msg->num_required_signatures && i < msg->n_keys; i++) {
        if (memcmp(msg->keys + i * TK_SOL_PUBKEY_LEN, pubkey, TK_SOL_PUBKEY_LEN) == 0) {
            *index = i;
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_NOT_FOUND,
                   "the signing key is not one of the transaction's %u "
                   "required signers",
                   msg->num_required_signatures);
}
