/*
 * PSBT v0 serializer: magic, then each map's pairs in their stored order followed by the 0x00
 * separator. It writes exactly what the maps hold (the parser already validated parsed maps,
 * and the signer only adds well-formed pairs), so parse → serialize reproduces the input.
 */
#include <stdlib.h>
#include <string.h>

#include "psbt_internal.h"

#include "teekeys/encoding.h"

static void write_map(btc_writer *w, const tk_psbt_map *map)
{
    size_t i;
    for (i = 0; i < map->n; i++) {
        const tk_psbt_pair *p = &map->pairs[i];
        btc_write_compact(w, p->key_len);
        btc_write(w, p->key, p->key_len);
        btc_write_compact(w, p->value_len);
        btc_write(w, p->value, p->value_len);
    }
    btc_write_u8(w, 0x00);
}

static void write_psbt(btc_writer *w, const tk_psbt *psbt)
{
    size_t i;
    btc_write(w, "psbt\xff", 5);
    write_map(w, &psbt->global);
    for (i = 0; i < psbt->tx->n_in; i++) {
        write_map(w, &psbt->inputs[i]);
    }
    for (i = 0; i < psbt->tx->n_out; i++) {
        write_map(w, &psbt->outputs[i]);
    }
}

size_t tk_psbt_serialized_len(const tk_psbt *psbt)
{
    btc_writer w = {NULL, 0, 0};
    if (psbt == NULL || psbt->tx == NULL) {
        return 0;
    }
    write_psbt(&w, psbt);
    return w.pos;
}

int tk_psbt_serialize(unsigned char *out, size_t out_cap, size_t *out_len, const tk_psbt *psbt)
{
    btc_writer w = {out, out_cap, 0};
    size_t need;
    if (out == NULL || out_len == NULL || psbt == NULL || psbt->tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_serialize: NULL argument");
    }
    need = tk_psbt_serialized_len(psbt);
    if (need > out_cap) {
        return tk_fail(TK_ERR_BUFFER, "PSBT needs %zu bytes, buffer has %zu", need, out_cap);
    }
    write_psbt(&w, psbt);
    *out_len = w.pos;
    return TK_OK;
}

int tk_psbt_serialize_base64(char **out, size_t *out_len, const tk_psbt *psbt)
{
    unsigned char *bin = NULL;
    char *text = NULL;
    size_t n, tn = 0;
    int rc;
    if (out == NULL || psbt == NULL || psbt->tx == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_psbt_serialize_base64: NULL argument");
    }
    *out = NULL;
    n = tk_psbt_serialized_len(psbt);
    bin = malloc(n);
    text = malloc(tk_base64_encoded_len(n) + 1);
    if (bin == NULL || text == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = tk_psbt_serialize(bin, n, &n, psbt)) != TK_OK ||
        (rc = tk_base64_encode(text, tk_base64_encoded_len(n) + 1, &tn, bin, n)) != TK_OK) {
        goto cleanup;
    }
    *out = text;
    text = NULL;
    if (out_len != NULL) {
        *out_len = tn;
    }
cleanup:
    free(bin);
    free(text);
    return rc;
}
