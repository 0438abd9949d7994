/* Fuzzes the NEAR borsh Transaction decoder: whatever decodes must re-encode to the same bytes,
 * and its account ids must pass tk_near_account_check. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/near.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_near_tx *tx = NULL;
    unsigned char *out;
    size_t n = 0;
    if (tk_near_tx_decode_var(&tx, data, size) != TK_OK) {
        if (tx != NULL) {
            abort();
        }
        return 0;
    }
    if (tk_near_account_check((const char *)tx->signer_id.ptr, tx->signer_id.len) != TK_OK ||
        tk_near_account_check((const char *)tx->receiver_id.ptr, tx->receiver_id.len) != TK_OK) {
        abort();
    }
    out = malloc(size + 1);
    if (out == NULL || tk_near_tx_encode_var(out, size + 1, &n, tx) != TK_OK || n != size ||
        memcmp(out, data, size) != 0) {
        abort();
    }
    for (size_t i = 0; i < tx->n_actions; i++) {
        tk_near_bytes name;
        for (size_t k = 0; k < tx->actions[i].n_method_names; k++) {
            if (tk_near_method_name_var(&name, &tx->actions[i], k) != TK_OK) {
                abort();
            }
        }
    }
    free(out);
    tk_near_tx_free(tx);
    return 0;
}
