/*
 * BIP-341 signature hash for Taproot key-path spends (ext_flag 0, no annex): the shared
 * per-transaction hashes, the SigMsg serialization and the "TapSighash" tagged hash. All of it
 * is public data (variable time). It never signs and never guesses a missing prevout: the
 * caller supplies one spent output per input, because the message commits to all of them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#include "teekeys/hash.h"

int tk_btc_taproot_hash_type_valid(unsigned hash_type)
{
    return hash_type <= 0x03 || (hash_type >= 0x81 && hash_type <= 0x83);
}

static void write_output(btc_writer *w, const tk_btc_txout *o)
{
    btc_write_u64(w, o->value);
    btc_write_compact(w, o->script.len);
    btc_write(w, o->script.data, o->script.len);
}

/* What one shared hash covers; write_part serializes item i of it. */
enum part { P_PREVOUTS, P_AMOUNTS, P_SCRIPTS, P_SEQUENCES, P_OUTPUTS };

static void write_part(btc_writer *w, enum part part, const tk_btc_tx *tx,
                       const tk_btc_prevout *prevouts)
{
    size_t i;
    size_t n = part == P_OUTPUTS ? tx->n_out : tx->n_in;
    for (i = 0; i < n; i++) {
        switch (part) {
        case P_PREVOUTS:
            btc_write(w, tx->in[i].prev_txid, 32);
            btc_write_u32(w, tx->in[i].prev_vout);
            break;
        case P_AMOUNTS:
            btc_write_u64(w, prevouts[i].value);
            break;
        case P_SCRIPTS:
            btc_write_compact(w, prevouts[i].script_len);
            btc_write(w, prevouts[i].script, prevouts[i].script_len);
            break;
        case P_SEQUENCES:
            btc_write_u32(w, tx->in[i].sequence);
            break;
        case P_OUTPUTS:
            write_output(w, &tx->out[i]);
            break;
        }
    }
}

static int hash_part(unsigned char out[32], enum part part, const tk_btc_tx *tx,
                     const tk_btc_prevout *prevouts)
{
    btc_writer w = {NULL, 0, 0};
    unsigned char *buf;
    write_part(&w, part, tx, prevouts);
    buf = malloc(w.pos > 0 ? w.pos : 1);
    if (buf == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    w.p = buf;
    w.cap = w.pos;
    w.pos = 0;
    write_part(&w, part, tx, prevouts);
    tk_sha256(out, buf, w.pos);
    free(buf);
    return TK_OK;
}

static int check_prevouts_one(const tk_btc_prevout *prevouts, size_t i)
{
    if (prevouts[i].script == NULL && prevouts[i].script_len != 0) {
        return tk_fail(TK_ERR_ARG, "taproot sighash: spent output %zu has no script", i);
    }
    if (prevouts[i].script_len > TK_BTC_SCRIPT_MAX_LEN) {
        return tk_fail(TK_ERR_RANGE, "spent output %zu: scriptPubKey longer than %u bytes", i,
                       TK_BTC_SCRIPT_MAX_LEN);
    }
    if (prevouts[i].value > TK_BTC_MAX_MONEY) {
        return tk_fail(TK_ERR_RANGE, "spent output %zu: amount exceeds 21 million BTC", i);
    }
    return TK_OK;
}

static int check_prevouts(const tk_btc_tx *tx, const tk_btc_prevout *prevouts, size_t n)
{
    size_t i;
    if (tx == NULL || (prevouts == NULL && n != 0)) {
        return tk_fail(TK_ERR_ARG, "taproot sighash: NULL argument");
    }
    if (n != tx->n_in) {
        return tk_fail(TK_ERR_ARG, "taproot sighash: %zu spent outputs for %zu inputs", n,
                       tx->n_in);
    }
    for (i = 0; i < n; i++) {
        int rc = check_prevouts_one(prevouts, i);
        if (rc != TK_OK) {
            return rc;
        }
    }
    return TK_OK;
}

int tk_btc_sighash_precompute_var(tk_btc_sighash_cache *cache, const tk_btc_tx *tx,
                                  const tk_btc_prevout *prevouts, size_t n_prevouts)
{
    int rc;
    if (cache == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_sighash_precompute_var: NULL argument");
    }
    if ((rc = check_prevouts(tx, prevouts, n_prevouts)) != TK_OK ||
        (rc = hash_part(cache->prevouts, P_PREVOUTS, tx, prevouts)) != TK_OK ||
        (rc = hash_part(cache->amounts, P_AMOUNTS, tx, prevouts)) != TK_OK ||
        (rc = hash_part(cache->script_pubkeys, P_SCRIPTS, tx, prevouts)) != TK_OK ||
        (rc = hash_part(cache->sequences, P_SEQUENCES, tx, prevouts)) != TK_OK ||
        (rc = hash_part(cache->outputs, P_OUTPUTS, tx, prevouts)) != TK_OK) {
        return rc;
    }
    return TK_OK;
}

int tk_btc_taproot_sigmsg_var(unsigned char *out, size_t out_cap, size_t *out_len,
                              const tk_btc_sighash_cache *cache, const tk_btc_tx *tx,
                              const tk_btc_prevout *prevouts, size_t n_prevouts, size_t index,
                              unsigned hash_type)
{
    btc_writer w = {out, out_cap, 0};
    unsigned output_type, acp;
    int rc;
    if (out == NULL || out_len == NULL || cache == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_taproot_sigmsg_var: NULL argument");
    }
    if (tx == NULL || prevouts == NULL || n_prevouts != tx->n_in) {
        return tk_fail(TK_ERR_ARG, "taproot sigmsg: need one spent output per input");
    }
    if (!tk_btc_taproot_hash_type_valid(hash_type)) {
        return tk_fail(TK_ERR_RANGE, "input %zu: sighash type 0x%02x is not valid for taproot",
                       index, hash_type);
    }
    if (index >= tx->n_in) {
        return tk_fail(TK_ERR_RANGE, "input %zu does not exist (%zu inputs)", index, tx->n_in);
    }
    output_type = hash_type == TK_BTC_SIGHASH_DEFAULT ? TK_BTC_SIGHASH_ALL : hash_type & 3u;
    acp = hash_type & TK_BTC_SIGHASH_ANYONECANPAY;
    if (output_type == TK_BTC_SIGHASH_SINGLE && index >= tx->n_out) {
        return tk_fail(TK_ERR_RANGE,
                       "input %zu: SIGHASH_SINGLE without a matching output "
                       "(%zu outputs)",
                       index, tx->n_out);
    }
    /* Only this input's spent output is checked here (the others went through precompute),
     * which keeps signing every input of a large transaction linear. */
    if ((rc = check_prevouts_one(prevouts, index)) != TK_OK) {
        return rc;
    }
    if (output_type == TK_BTC_SIGHASH_SINGLE && tx->out[index].script.len > TK_BTC_SCRIPT_MAX_LEN) {
        return tk_fail(TK_ERR_RANGE, "output %zu: scriptPubKey longer than %u bytes", index,
                       TK_BTC_SCRIPT_MAX_LEN);
    }
    if (out_cap < TK_BTC_SIGMSG_MAX) {
        return tk_fail(TK_ERR_BUFFER, "sigmsg buffer needs %d bytes", TK_BTC_SIGMSG_MAX);
    }
    btc_write_u8(&w, 0x00); /* epoch */
    btc_write_u8(&w, (uint8_t)hash_type);
    btc_write_u32(&w, tx->version);
    btc_write_u32(&w, tx->locktime);
    if (!acp) {
        btc_write(&w, cache->prevouts, 32);
        btc_write(&w, cache->amounts, 32);
        btc_write(&w, cache->script_pubkeys, 32);
        btc_write(&w, cache->sequences, 32);
    }
    if (output_type == TK_BTC_SIGHASH_ALL) {
        btc_write(&w, cache->outputs, 32);
    }
    btc_write_u8(&w, 0x00); /* spend_type: key path, no annex */
    if (acp) {
        btc_write(&w, tx->in[index].prev_txid, 32);
        btc_write_u32(&w, tx->in[index].prev_vout);
        btc_write_u64(&w, prevouts[index].value);
        btc_write_compact(&w, prevouts[index].script_len);
        btc_write(&w, prevouts[index].script, prevouts[index].script_len);
        btc_write_u32(&w, tx->in[index].sequence);
    } else {
        btc_write_u32(&w, (uint32_t)index);
    }
    if (output_type == TK_BTC_SIGHASH_SINGLE) {
        unsigned char h[32], buf[8 + 9 + TK_BTC_SCRIPT_MAX_LEN];
        btc_writer ow = {buf, sizeof buf, 0};
        write_output(&ow, &tx->out[index]);
        tk_sha256(h, buf, ow.pos);
        btc_write(&w, h, 32);
    }
    *out_len = w.pos;
    return TK_OK;
}

int tk_btc_taproot_sighash_var(unsigned char out[32], const tk_btc_sighash_cache *cache,
                               const tk_btc_tx *tx, const tk_btc_prevout *prevouts,
                               size_t n_prevouts, size_t index, unsigned hash_type)
{
    unsigned char msg[TK_BTC_SIGMSG_MAX];
    size_t len;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_btc_taproot_sighash_var: NULL argument");
    }
    rc = tk_btc_taproot_sigmsg_var(msg, sizeof msg, &len, cache, tx, prevouts, n_prevouts, index,
                                   hash_type);
    if (rc != TK_OK) {
        return rc;
    }
    tk_sha256_tagged(out, "TapSighash", msg, len);
    return TK_OK;
}
