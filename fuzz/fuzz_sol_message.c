/* Fuzzes the Solana codec: a message or wire transaction that parses must re-serialize to the
 * same bytes, and every message the strict parser accepts must also be caught by the broad
 * "looks like a message" check that guards sol_message. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/solana.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static tk_sol_transaction tx;
static unsigned char out[70000];

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    size_t n;
    if (tk_sol_message_parse_var(&tx.msg, data, size) == TK_OK) {
        if (tk_sol_message_serialize_var(out, sizeof out, &n, &tx.msg) != TK_OK || n != size ||
            memcmp(out, data, size) != 0 || !tk_sol_looks_like_message_var(data, size)) {
            abort();
        }
    }
    if (tk_sol_transaction_parse_var(&tx, data, size) == TK_OK) {
        if (tk_sol_transaction_serialize_var(out, sizeof out, &n, &tx) != TK_OK || n != size ||
            memcmp(out, data, size) != 0 ||
            !tk_sol_looks_like_message_var(tx.message, tx.message_len) ||
            tx.n_signatures != tx.msg.num_required_signatures) {
            abort();
        }
    }
    (void)tk_sol_looks_like_message_var(data, size);
    return 0;
}
