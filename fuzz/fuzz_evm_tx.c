/* Fuzzes the JSON-RPC transaction parser: an accepted object is signed with a fixed test key;
 * the raw transaction must decode to the same bytes and the same sender, and the JSON view of
 * the parsed transaction must parse back to the same signing payload. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/evm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const unsigned char test_key[32] = {
    0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46,
    0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46, 0x46};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_evm_tx tx, dec, back;
    unsigned char *raw = NULL, *raw2 = NULL, *u1 = NULL, *u2 = NULL, a1[20], a2[20];
    size_t raw_len, raw2_len, u1_len, u2_len;
    json_t *j = NULL;
    int rc;
    if (tk_evm_tx_from_json(&tx, (const char *)data, size) != TK_OK) {
        tk_evm_tx_free(&tx);
        return 0;
    }
    if (tk_evm_tx_to_jansson(&j, &tx, 0) != TK_OK || tk_evm_tx_from_jansson(&back, j) != TK_OK ||
        tk_evm_tx_encode(&u1, &u1_len, &tx, 0) != TK_OK ||
        tk_evm_tx_encode(&u2, &u2_len, &back, 0) != TK_OK || u1_len != u2_len ||
        memcmp(u1, u2, u1_len) != 0) {
        abort();
    }
    rc = tk_evm_tx_sign(&tx, test_key);
    if (rc == TK_OK) {
        if (tk_evm_tx_encode(&raw, &raw_len, &tx, 1) != TK_OK ||
            tk_evm_tx_decode(&dec, raw, raw_len) != TK_OK ||
            tk_evm_tx_encode(&raw2, &raw2_len, &dec, 1) != TK_OK || raw_len != raw2_len ||
            memcmp(raw, raw2, raw_len) != 0 || tk_evm_tx_sender_var(a1, &dec) != TK_OK ||
            tk_evm_address_of_seckey(a2, test_key) != TK_OK || memcmp(a1, a2, 20) != 0) {
            abort();
        }
        tk_evm_tx_free(&dec);
    } else if (rc != TK_ERR_RANGE || !tx.has_from) {
        abort(); /* only a "from" that is not the key's address may refuse signing */
    }
    free(raw);
    free(raw2);
    free(u1);
    free(u2);
    json_decref(j);
    tk_evm_tx_free(&back);
    tk_evm_tx_free(&tx);
    return 0;
}
