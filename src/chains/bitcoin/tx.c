/*
 * Bitcoin transaction codec: legacy and BIP-144 segwit serialization, txid, witness stacks.
 * The parser is strict (canonical CompactSize, bounded counts and sizes, no trailing bytes) and
 * allocates only after checking that the input can hold what a count announces, so a short
 * hostile input can never make it allocate much. Transactions are public data.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#include "teekeys/hash.h"

/* Smallest serialized input (32 + 4 + 1 + 4) and output (8 + 1). */
#define MIN_TXIN_SIZE  41u
#define MIN_TXOUT_SIZE 9u

static int dup_bytes(tk_btc_bytes *dst, const unsigned char *src, size_t len)
{
    dst->data = NULL;
    dst->len = 0;
    if (len == 0) {
        return TK_OK;
    }
    dst->data = malloc(len);
    if (dst->data == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    memcpy(dst->data, src, len);
    dst->len = len;
    return TK_OK;
}

void tk_btc_witness_free(tk_btc_bytes *items, size_t n_items)
{
    size_t i;
    if (items == NULL) {
        return;
    }
    for (i = 0; i < n_items; i++) {
        free(items[i].data);
    }
    free(items);
}

void tk_btc_tx_free(tk_btc_tx *tx)
{
    size_t i;
    if (tx == NULL) {
        return;
    }
    for (i = 0; i < tx->n_in && tx->in != NULL; i++) {
        free(tx->in[i].script_sig.data);
        tk_btc_witness_free(tx->in[i].witness, tx->in[i].n_witness);
    }
    for (i = 0; i < tx->n_out && tx->out != NULL; i++) {
        free(tx->out[i].script.data);
    }
    free(tx->in);
    free(tx->out);
    free(tx);
}

/* Reads a CompactSize-prefixed byte string of at most `max` bytes into `dst`. */
static int read_var_bytes(btc_reader *r, tk_btc_bytes *dst, size_t max, const char *what,
                          size_t index)
{
    uint64_t n;
    const unsigned char *p;
    int rc = btc_read_compact(r, &n);
    if (rc != 0) {
        return tk_fail(TK_ERR_INPUT, "%s %zu: length: %s", what, index, btc_compact_error(rc));
    }
    if (n > max) {
        return tk_fail(TK_ERR_RANGE, "%s %zu: length %llu exceeds the limit of %zu", what, index,
                       (unsigned long long)n, max);
    }
    if (btc_read_bytes(r, &p, (size_t)n) != 0) {
        return tk_fail(TK_ERR_INPUT, "%s %zu: truncated (%llu bytes announced)", what, index,
                       (unsigned long long)n);
    }
    return dup_bytes(dst, p, (size_t)n);
}

/* Reads one witness stack (count, then items) into *items / *n_items. */
static int read_witness(btc_reader *r, tk_btc_bytes **items, size_t *n_items, size_t index)
{
    uint64_t n;
    size_t i;
    int rc = btc_read_compact(r, &n);
    *items = NULL;
    *n_items = 0;
    if (rc != 0) {
        return tk_fail(TK_ERR_INPUT, "witness %zu: item count: %s", index, btc_compact_error(rc));
    }
    if (n > TK_BTC_WITNESS_MAX_ITEMS) {
        return tk_fail(TK_ERR_RANGE, "witness %zu: %llu items exceed the limit of %u", index,
                       (unsigned long long)n, TK_BTC_WITNESS_MAX_ITEMS);
    }
    if (n > btc_remaining(r)) {
        return tk_fail(TK_ERR_INPUT, "witness %zu: truncated (%llu items announced)", index,
                       (unsigned long long)n);
    }
    if (n == 0) {
        return TK_OK;
    }
    *items = calloc((size_t)n, sizeof **items);
    if (*items == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    *n_items = (size_t)n;
    for (i = 0; i < (size_t)n; i++) {
        rc = read_var_bytes(r, &(*items)[i], TK_BTC_TX_MAX_SIZE, "witness item of input", index);
        if (rc != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

int tk_btc_witness_parse(tk_btc_bytes **items, size_t *n_items, const unsigned char *in,
                         size_t in_len)
{
    btc_reader r = {in, in_len, 0};
    int rc;
    if (items == NULL || n_items == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_btc_witness_parse: NULL argument");
    }
    rc = read_witness(&r, items, n_items, 0);
    if (rc == TK_OK && r.pos != r.len) {
        rc = tk_fail(TK_ERR_INPUT, "witness stack: %zu trailing bytes", r.len - r.pos);
    }
    if (rc != TK_OK) {
        tk_btc_witness_free(*items, *n_items);
        *items = NULL;
        *n_items = 0;
    }
    return rc;
}

static int parse_inputs(btc_reader *r, tk_btc_tx *tx)
{
    uint64_t n;
    size_t i;
    const unsigned char *p;
    int rc = btc_read_compact(r, &n);
    if (rc != 0) {
        return tk_fail(TK_ERR_INPUT, "input count: %s", btc_compact_error(rc));
    }
    if (n > btc_remaining(r) / MIN_TXIN_SIZE) {
        return tk_fail(TK_ERR_INPUT, "input count %llu does not fit in the remaining %zu bytes",
                       (unsigned long long)n, btc_remaining(r));
    }
    if (n == 0) {
        return TK_OK;
    }
    tx->in = calloc((size_t)n, sizeof *tx->in);
    if (tx->in == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    tx->n_in = (size_t)n;
    for (i = 0; i < tx->n_in; i++) {
        tk_btc_txin *in = &tx->in[i];
        if (btc_read_bytes(r, &p, TK_BTC_TXID_LEN) != 0 || btc_read_u32(r, &in->prev_vout) != 0) {
            return tk_fail(TK_ERR_INPUT, "input %zu: outpoint truncated", i);
        }
        memcpy(in->prev_txid, p, TK_BTC_TXID_LEN);
        rc = read_var_bytes(r, &in->script_sig, TK_BTC_SCRIPT_MAX_LEN, "scriptSig of input", i);
        if (rc != TK_OK) {
            return rc;
        }
        if (btc_read_u32(r, &in->sequence) != 0) {
            return tk_fail(TK_ERR_INPUT, "input %zu: sequence truncated", i);
        }
    }
    return TK_OK;
}

static int parse_outputs(btc_reader *r, tk_btc_tx *tx)
{
    uint64_t n;
    size_t i;
    int rc = btc_read_compact(r, &n);
    if (rc != 0) {
        return tk_fail(TK_ERR_INPUT, "output count: %s", btc_compact_error(rc));
    }
    if (n > btc_remaining(r) / MIN_TXOUT_SIZE) {
        return tk_fail(TK_ERR_INPUT, "output count %llu does not fit in the remaining %zu bytes",
                       (unsigned long long)n, btc_remaining(r));
    }
    if (n == 0) {
        return TK_OK;
    }
    tx->out = calloc((size_t)n, sizeof *tx->out);
    if (tx->out == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    tx->n_out = (size_t)n;
    for (i = 0; i < tx->n_out; i++) {
        tk_btc_txout *out = &tx->out[i];
        if (btc_read_u64(r, &out->value) != 0) {
            return tk_fail(TK_ERR_INPUT, "output %zu: amount truncated", i);
        }
        if (out->value > TK_BTC_MAX_MONEY) {
            return tk_fail(TK_ERR_RANGE, "output %zu: amount %llu exceeds 21 million BTC", i,
                           (unsigned long long)out->value);
        }
        rc = read_var_bytes(r, &out->script, TK_BTC_SCRIPT_MAX_LEN, "scriptPubKey of output", i);
        if (rc != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

int tk_btc_tx_parse(tk_btc_tx **out, const unsigned char *in, size_t in_len, unsigned flags)
{
    btc_reader r = {in, in_len, 0};
    tk_btc_tx *tx = NULL;
    int rc, segwit = 0;
    size_t i;
    if (out == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_btc_tx_parse: NULL argument");
    }
    *out = NULL;
    if (in_len > TK_BTC_TX_MAX_SIZE) {
        return tk_fail(TK_ERR_RANGE, "transaction of %zu bytes exceeds the limit of %u", in_len,
                       TK_BTC_TX_MAX_SIZE);
    }
    tx = calloc(1, sizeof *tx);
    if (tx == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if (btc_read_u32(&r, &tx->version) != 0) {
        rc = tk_fail(TK_ERR_INPUT, "transaction version truncated");
        goto cleanup;
    }
    if (!(flags & TK_BTC_TX_NO_WITNESS) && r.pos + 1 < r.len && r.p[r.pos] == 0x00) {
        if (r.p[r.pos + 1] != 0x01) {
            rc = tk_fail(TK_ERR_INPUT, "segwit marker followed by flag 0x%02x instead of 0x01",
                         r.p[r.pos + 1]);
            goto cleanup;
        }
        r.pos += 2;
        segwit = 1;
    }
    if ((rc = parse_inputs(&r, tx)) != TK_OK || (rc = parse_outputs(&r, tx)) != TK_OK) {
        goto cleanup;
    }
    if (segwit) {
        for (i = 0; i < tx->n_in; i++) {
            rc = read_witness(&r, &tx->in[i].witness, &tx->in[i].n_witness, i);
            if (rc != TK_OK) {
                goto cleanup;
            }
        }
        if (!tk_btc_tx_has_witness(tx)) {
            rc = tk_fail(TK_ERR_INPUT, "segwit serialization with no witness (superfluous)");
            goto cleanup;
        }
    }
    if (btc_read_u32(&r, &tx->locktime) != 0) {
        rc = tk_fail(TK_ERR_INPUT, "transaction locktime truncated");
        goto cleanup;
    }
    if (r.pos != r.len) {
        rc = tk_fail(TK_ERR_INPUT, "%zu trailing bytes after the transaction", r.len - r.pos);
        goto cleanup;
    }
    *out = tx;
    tx = NULL;
    rc = TK_OK;
cleanup:
    tk_btc_tx_free(tx);
    return rc;
}

int tk_btc_tx_has_witness(const tk_btc_tx *tx)
{
    size_t i;
    for (i = 0; tx != NULL && i < tx->n_in; i++) {
        if (tx->in[i].n_witness > 0) {
            return 1;
        }
    }
    return 0;
}

static void write_tx(btc_writer *w, const tk_btc_tx *tx, int witness)
{
    size_t i, j;
    btc_write_u32(w, tx->version);
    if (witness) {
        btc_write_u8(w, 0x00);
        btc_write_u8(w, 0x01);
    }
    btc_write_compact(w, tx->n_in);
    for (i = 0; i < tx->n_in; i++) {
        const tk_btc_txin *in = &tx->in[i];
        btc_write(w, in->prev_txid, TK_BTC_TXID_LEN);
        btc_write_u32(w, in->prev_vout);
        btc_write_compact(w, in->script_sig.len);
        btc_write(w, in->script_sig.data, in->script_sig.len);
        btc_write_u32(w, in->sequence);
    }
    btc_write_compact(w, tx->n_out);
    for (i = 0; i < tx->n_out; i++) {
        btc_write_u64(w, tx->out[i].value);
        btc_write_compact(w, tx->out[i].script.len);
        btc_write(w, tx->out[i].script.data, tx->out[i].script.len);
    }
    if (witness) {
        for (i = 0; i < tx->n_in; i++) {
            btc_write_compact(w, tx->in[i].n_witness);
            for (j = 0; j < tx->in[i].n_witness; j++) {
                btc_write_compact(w, tx->in[i].witness[j].len);
                btc_write(w, tx->in[i].witness[j].data, tx->in[i].witness[j].len);
            }
        }
    }
    btc_write_u32(w, tx->locktime);
}

static int use_witness(const tk_btc_tx *tx, unsigned flags)
{
    return !(flags & TK_BTC_TX_NO_WITNESS) && tk_btc_tx_has_witness(tx);
}

size_t tk_btc_tx_serialized_len(const tk_btc_tx *tx, unsigned flags)
{
    btc_writer w = {NULL, 0, 0};
    if (tx == NULL) {
        return 0;
    }
    write_tx(&w, tx, use_witness(tx, flags));
    return w.pos;
}

int tk_btc_tx_serialize(unsigned char *out, size_t out_cap, size_t *out_len, const tk_btc_tx *tx,
                        unsigned flags)
{
    btc_writer w = {out, out_cap, 0};
    size_t need;
    if (out == NULL || out_len == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_tx_serialize: NULL argument");
    }
    need = tk_btc_tx_serialized_len(tx, flags);
    if (need > out_cap) {
        return tk_fail(TK_ERR_BUFFER, "transaction needs %zu bytes, buffer has %zu", need, out_cap);
    }
    write_tx(&w, tx, use_witness(tx, flags));
    *out_len = w.pos;
    return TK_OK;
}

int tk_btc_tx_txid(unsigned char out[TK_BTC_TXID_LEN], const tk_btc_tx *tx)
{
    unsigned char *buf, h[32];
    size_t len, written = 0;
    int rc;
    if (out == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_tx_txid: NULL argument");
    }
    len = tk_btc_tx_serialized_len(tx, TK_BTC_TX_NO_WITNESS);
    buf = malloc(len);
    if (buf == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    rc = tk_btc_tx_serialize(buf, len, &written, tx, TK_BTC_TX_NO_WITNESS);
    if (rc == TK_OK) {
        tk_sha256(h, buf, written);
        tk_sha256(out, h, sizeof h);
    }
    free(buf);
    return rc;
}

int tk_btc_tx_set_witness(tk_btc_tx *tx, size_t index, const tk_btc_bytes *items, size_t n_items)
{
    tk_btc_bytes *copy = NULL;
    size_t i;
    int rc;
    if (tx == NULL || (items == NULL && n_items != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_btc_tx_set_witness: NULL argument");
    }
    if (index >= tx->n_in) {
        return tk_fail(TK_ERR_ARG, "input %zu does not exist (%zu inputs)", index, tx->n_in);
    }
    if (n_items > TK_BTC_WITNESS_MAX_ITEMS) {
        return tk_fail(TK_ERR_RANGE, "%zu witness items exceed the limit", n_items);
    }
    if (n_items > 0) {
        copy = calloc(n_items, sizeof *copy);
        if (copy == NULL) {
            return tk_fail(TK_ERR_NOMEM, "out of memory");
        }
        for (i = 0; i < n_items; i++) {
            rc = dup_bytes(&copy[i], items[i].data, items[i].len);
            if (rc != TK_OK) {
                tk_btc_witness_free(copy, n_items);
                return rc;
            }
        }
    }
    tk_btc_witness_free(tx->in[index].witness, tx->in[index].n_witness);
    tx->in[index].witness = copy;
    tx->in[index].n_witness = n_items;
    return TK_OK;
}

int tk_btc_tx_clone(tk_btc_tx **out, const tk_btc_tx *tx)
{
    tk_btc_tx *c;
    size_t i;
    int rc = TK_OK;
    if (out == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_tx_clone: NULL argument");
    }
    *out = NULL;
    c = calloc(1, sizeof *c);
    if (c == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    c->version = tx->version;
    c->locktime = tx->locktime;
    if (tx->n_in > 0) {
        c->in = calloc(tx->n_in, sizeof *c->in);
        if (c->in == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        c->n_in = tx->n_in;
    }
    if (tx->n_out > 0) {
        c->out = calloc(tx->n_out, sizeof *c->out);
        if (c->out == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        c->n_out = tx->n_out;
    }
    for (i = 0; i < tx->n_in; i++) {
        memcpy(c->in[i].prev_txid, tx->in[i].prev_txid, TK_BTC_TXID_LEN);
        c->in[i].prev_vout = tx->in[i].prev_vout;
        c->in[i].sequence = tx->in[i].sequence;
        rc = dup_bytes(&c->in[i].script_sig, tx->in[i].script_sig.data, tx->in[i].script_sig.len);
        if (rc == TK_OK) {
            rc = tk_btc_tx_set_witness(c, i, tx->in[i].witness, tx->in[i].n_witness);
        }
        if (rc != TK_OK) {
            goto cleanup;
        }
    }
    for (i = 0; i < tx->n_out; i++) {
        c->out[i].value = tx->out[i].value;
        rc = dup_bytes(&c->out[i].script, tx->out[i].script.data, tx->out[i].script.len);
        if (rc != TK_OK) {
            goto cleanup;
        }
    }
    *out = c;
    c = NULL;
cleanup:
    tk_btc_tx_free(c);
    return rc;
}
