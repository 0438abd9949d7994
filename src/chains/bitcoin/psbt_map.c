/*
 * PSBT key-value maps: lookup by (key type, key data), replace-or-append, removal, and freeing.
 * Keys and values are owned copies. Lookups are linear (maps hold a handful of pairs); the
 * parser checks duplicates separately in O(n log n).
 */
#include <stdlib.h>
#include <string.h>

#include "psbt_internal.h"

void psbt_pair_free(tk_psbt_pair *p)
{
    free(p->key);
    free(p->value);
    memset(p, 0, sizeof *p);
}

void psbt_map_free(tk_psbt_map *map)
{
    size_t i;
    for (i = 0; i < map->n; i++) {
        psbt_pair_free(&map->pairs[i]);
    }
    free(map->pairs);
    memset(map, 0, sizeof *map);
}

void tk_psbt_free(tk_psbt *psbt)
{
    size_t i;
    if (psbt == NULL) {
        return;
    }
    if (psbt->tx != NULL) {
        for (i = 0; psbt->inputs != NULL && i < psbt->tx->n_in; i++) {
            psbt_map_free(&psbt->inputs[i]);
        }
        for (i = 0; psbt->outputs != NULL && i < psbt->tx->n_out; i++) {
            psbt_map_free(&psbt->outputs[i]);
        }
    }
    free(psbt->inputs);
    free(psbt->outputs);
    psbt_map_free(&psbt->global);
    tk_btc_tx_free(psbt->tx);
    free(psbt);
}

int psbt_map_append(tk_psbt_map *map, const unsigned char *key, size_t key_len,
                    const unsigned char *value, size_t value_len)
{
    tk_psbt_pair *p;
    btc_reader r = {key, key_len, 0};
    uint64_t type;
    if (key_len == 0 || btc_read_compact(&r, &type) != 0) {
        return tk_fail(TK_ERR_INPUT, "PSBT key without a valid key type");
    }
    if (map->n == map->cap) {
        size_t cap = map->cap ? map->cap * 2 : 8;
        tk_psbt_pair *np = realloc(map->pairs, cap * sizeof *np);
        if (np == NULL) {
            return tk_fail(TK_ERR_NOMEM, "out of memory");
        }
        map->pairs = np;
        map->cap = cap;
    }
    p = &map->pairs[map->n];
    memset(p, 0, sizeof *p);
    p->key = malloc(key_len);
    p->value = malloc(value_len > 0 ? value_len : 1);
    if (p->key == NULL || p->value == NULL) {
        psbt_pair_free(p);
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    memcpy(p->key, key, key_len);
    if (value_len > 0) {
        memcpy(p->value, value, value_len);
    }
    p->key_len = key_len;
    p->value_len = value_len;
    p->type = type;
    p->keydata_off = r.pos;
    map->n++;
    return TK_OK;
}

static int pair_matches(const tk_psbt_pair *p, uint64_t type, const unsigned char *keydata,
                        size_t keydata_len)
{
    return p->type == type && p->key_len - p->keydata_off == keydata_len &&
           (keydata_len == 0 || memcmp(p->key + p->keydata_off, keydata, keydata_len) == 0);
}

const tk_psbt_pair *tk_psbt_map_find(const tk_psbt_map *map, uint64_t type,
                                     const unsigned char *keydata, size_t keydata_len)
{
    size_t i;
    if (map == NULL || (keydata == NULL && keydata_len != 0)) {
        return NULL;
    }
    for (i = 0; i < map->n; i++) {
        if (pair_matches(&map->pairs[i], type, keydata, keydata_len)) {
            return &map->pairs[i];
        }
    }
    return NULL;
}

const tk_psbt_pair *psbt_map_find_type(const tk_psbt_map *map, uint64_t type)
{
    size_t i;
    for (i = 0; i < map->n; i++) {
        if (map->pairs[i].type == type) {
            return &map->pairs[i];
        }
    }
    return NULL;
}

int tk_psbt_map_set(tk_psbt_map *map, uint64_t type, const unsigned char *keydata,
                    size_t keydata_len, const unsigned char *value, size_t value_len)
{
    unsigned char *key, *copy;
    btc_writer w = {NULL, 0, 0};
    size_t i;
    int rc;
    if (map == NULL || (keydata == NULL && keydata_len != 0) || (value == NULL && value_len)) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_map_set: NULL argument");
    }
    for (i = 0; i < map->n; i++) {
        if (pair_matches(&map->pairs[i], type, keydata, keydata_len)) {
            copy = malloc(value_len > 0 ? value_len : 1);
            if (copy == NULL) {
                return tk_fail(TK_ERR_NOMEM, "out of memory");
            }
            if (value_len > 0) {
                memcpy(copy, value, value_len);
            }
            free(map->pairs[i].value);
            map->pairs[i].value = copy;
            map->pairs[i].value_len = value_len;
            return TK_OK;
        }
    }
    btc_write_compact(&w, type);
    btc_write(&w, keydata, keydata_len);
    key = malloc(w.pos);
    if (key == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    w.p = key;
    w.cap = w.pos;
    w.pos = 0;
    btc_write_compact(&w, type);
    btc_write(&w, keydata, keydata_len);
    rc = psbt_map_append(map, key, w.pos, value, value_len);
    free(key);
    return rc;
}

void psbt_map_remove_at(tk_psbt_map *map, size_t i)
{
    psbt_pair_free(&map->pairs[i]);
    memmove(&map->pairs[i], &map->pairs[i + 1], (map->n - i - 1) * sizeof map->pairs[0]);
    map->n--;
}

int tk_psbt_from_tx(tk_psbt **out, const tk_btc_tx *tx)
{
    tk_psbt *psbt = NULL;
    unsigned char *bin = NULL;
    size_t i, n;
    int rc;
    if (out == NULL || tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_from_tx: NULL argument");
    }
    *out = NULL;
    for (i = 0; i < tx->n_in; i++) {
        if (tx->in[i].script_sig.len != 0 || tx->in[i].n_witness != 0) {
            return tk_fail(TK_ERR_INPUT,
                           "input %zu has a scriptSig or witness; a PSBT needs the "
                           "unsigned transaction",
                           i);
        }
    }
    psbt = calloc(1, sizeof *psbt);
    if (psbt == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    if ((rc = tk_btc_tx_clone(&psbt->tx, tx)) != TK_OK) {
        goto cleanup;
    }
    n = tk_btc_tx_serialized_len(tx, TK_BTC_TX_NO_WITNESS);
    bin = malloc(n);
    psbt->inputs = calloc(tx->n_in + 1, sizeof *psbt->inputs);
    psbt->outputs = calloc(tx->n_out + 1, sizeof *psbt->outputs);
    if (bin == NULL || psbt->inputs == NULL || psbt->outputs == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = tk_btc_tx_serialize(bin, n, &n, tx, TK_BTC_TX_NO_WITNESS)) != TK_OK ||
        (rc = tk_psbt_map_set(&psbt->global, TK_PSBT_GLOBAL_UNSIGNED_TX, NULL, 0, bin, n)) !=
            TK_OK) {
        goto cleanup;
    }
    *out = psbt;
    psbt = NULL;
cleanup:
    free(bin);
    tk_psbt_free(psbt);
    return rc;
}
