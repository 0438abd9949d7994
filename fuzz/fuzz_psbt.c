/* Fuzzes the PSBT v0 parser, serializer and Taproot signer. Every accepted input must
 * re-serialize to exactly itself; signing with a fixed key (fixed aux, so runs reproduce),
 * finalizing and extracting must never crash, and whatever they produce must still parse and
 * round-trip. Seeds: fuzz/corpus/psbt/ (BIP-174/371 vectors, PSBTs paying to the fuzz key). */
#include <stdlib.h>
#include <string.h>

#include "teekeys/psbt.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The secret key the seeds pay to (BIP-341 wallet vector input 0's internal key). */
static const unsigned char FUZZ_SK[32] = {
    0x6b, 0x97, 0x3d, 0x88, 0x83, 0x8f, 0x27, 0x36, 0x6e, 0xd6, 0x1c, 0x9a, 0xd6, 0x36, 0x76, 0x63,
    0x04, 0x5c, 0xb4, 0x56, 0xe2, 0x83, 0x35, 0xc1, 0x09, 0xe3, 0x07, 0x17, 0xae, 0x0c, 0x6b, 0xaa};

static void roundtrip(const tk_psbt *p, const unsigned char *expect, size_t expect_len)
{
    size_t cap = tk_psbt_serialized_len(p), n = 0;
    unsigned char *out = malloc(cap + 1);
    tk_psbt *again = NULL;
    if (out == NULL || tk_psbt_serialize(out, cap, &n, p) != TK_OK || n != cap) {
        abort();
    }
    if (expect != NULL && (n != expect_len || memcmp(out, expect, n) != 0)) {
        abort();
    }
    if (tk_psbt_parse(&again, out, n) != TK_OK) {
        abort(); /* we produced a PSBT we would refuse */
    }
    tk_psbt_free(again);
    free(out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int initialized;
    static const unsigned char aux[32] = {1};
    tk_psbt_sign_opts opts = {aux};
    tk_psbt *p = NULL;
    tk_btc_tx *tx = NULL;
    size_t idx[64], n = 0;
    if (!initialized) {
        if (tk_init() != TK_OK) {
            abort();
        }
        initialized = 1;
    }
    if (tk_psbt_parse(&p, data, size) != TK_OK) {
        return 0;
    }
    roundtrip(p, data, size);
    if (tk_psbt_sign_taproot(p, idx, 64, &n, FUZZ_SK, &opts) == TK_OK) {
        if (n == 0 || n > 64) {
            abort();
        }
        roundtrip(p, NULL, 0);
    }
    if (tk_psbt_finalize_taproot(p, NULL) == TK_OK) {
        roundtrip(p, NULL, 0);
    }
    if (tk_psbt_extract(&tx, p) == TK_OK) {
        tk_btc_tx_free(tx);
    }
    tk_psbt_free(p);
    return 0;
}
