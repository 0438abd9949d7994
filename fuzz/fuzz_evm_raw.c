/* Fuzzes the signed raw transaction decoder: an accepted transaction must re-encode to exactly
 * the input, and its JSON-RPC view (without signature) must parse back to the same signing
 * payload. Sender recovery must not crash. Public data only. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/evm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_evm_tx tx, back;
    unsigned char *enc = NULL, *u1 = NULL, *u2 = NULL, addr[20];
    size_t enc_len, u1_len, u2_len;
    json_t *j = NULL;
    if (tk_evm_tx_decode(&tx, data, size) != TK_OK) {
        tk_evm_tx_free(&tx);
        return 0;
    }
    if (tk_evm_tx_encode(&enc, &enc_len, &tx, 1) != TK_OK || enc_len != size ||
        memcmp(enc, data, size) != 0) {
        abort();
    }
    (void)tk_evm_tx_sender_var(addr, &tx);
    if (tx.type != TK_EVM_TX_LEGACY || tx.eip155) {
        /* pre-EIP-155 legacy transactions have no JSON form we accept for signing */
        if (tk_evm_tx_to_jansson(&j, &tx, 0) != TK_OK ||
            tk_evm_tx_from_jansson(&back, j) != TK_OK) {
            abort();
        }
        if (tk_evm_tx_encode(&u1, &u1_len, &tx, 0) != TK_OK ||
            tk_evm_tx_encode(&u2, &u2_len, &back, 0) != TK_OK || u1_len != u2_len ||
            memcmp(u1, u2, u1_len) != 0) {
            abort();
        }
        tk_evm_tx_free(&back);
        json_decref(j);
    }
    free(enc);
    free(u1);
    free(u2);
    tk_evm_tx_free(&tx);
    return 0;
}
