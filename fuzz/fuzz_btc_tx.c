/* Fuzzes the Bitcoin transaction parser in both modes (segwit allowed, witness-free): an
 * accepted input must re-serialize to exactly itself, its txid must be computable, and a
 * clone must serialize identically. It also runs the BIP-341 sighash over every input with
 * made-up spent outputs and every hash type, which must succeed or fail cleanly. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/bitcoin.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(const unsigned char *data, size_t size, unsigned flags)
{
    static const unsigned char script[34] = {0x51, 0x20, 1, 2, 3};
    static const unsigned types[] = {0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83, 0x04};
    tk_btc_tx *tx = NULL, *clone = NULL;
    tk_btc_prevout *prev;
    tk_btc_sighash_cache cache;
    unsigned char *out, txid[32], h[32];
    size_t n = 0, i, t;
    if (tk_btc_tx_parse(&tx, data, size, flags) != TK_OK) {
        return;
    }
    out = malloc(size + 1);
    if (out == NULL || tk_btc_tx_serialized_len(tx, flags) != size ||
        tk_btc_tx_serialize(out, size, &n, tx, flags) != TK_OK || n != size ||
        memcmp(out, data, size) != 0 || tk_btc_tx_txid(txid, tx) != TK_OK ||
        tk_btc_tx_clone(&clone, tx) != TK_OK ||
        tk_btc_tx_serialize(out, size, &n, clone, flags) != TK_OK || n != size ||
        memcmp(out, data, size) != 0) {
        abort();
    }
    prev = calloc(tx->n_in + 1, sizeof *prev);
    if (prev == NULL) {
        abort();
    }
    for (i = 0; i < tx->n_in; i++) {
        prev[i].value = i * 1000;
        prev[i].script = script;
        prev[i].script_len = sizeof script;
    }
    if (tk_btc_sighash_precompute_var(&cache, tx, prev, tx->n_in) != TK_OK) {
        abort();
    }
    for (i = 0; i < tx->n_in && i < 8; i++) {
        for (t = 0; t < sizeof types / sizeof types[0]; t++) {
            int rc = tk_btc_taproot_sighash_var(h, &cache, tx, prev, tx->n_in, i, types[t]);
            int expect_ok = types[t] != 0x04 && !((types[t] & 3) == 3 && i >= tx->n_out);
            if ((rc == TK_OK) != expect_ok) {
                abort();
            }
        }
    }
    free(prev);
    free(out);
    tk_btc_tx_free(clone);
    tk_btc_tx_free(tx);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    check(data, size, 0);
    check(data, size, TK_BTC_TX_NO_WITNESS);
    return 0;
}
