/* Fuzzes the NEP-413 payload decoder (tag || borsh payload): whatever decodes must re-encode to
 * the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/near.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_near_nep413 msg;
    unsigned char *out;
    size_t n = 0;
    if (tk_near_nep413_decode_var(&msg, data, size) != TK_OK) {
        return 0;
    }
    out = malloc(size + 1);
    if (out == NULL || tk_near_nep413_encode_var(out, size + 1, &n, &msg) != TK_OK || n != size ||
        memcmp(out, data, size) != 0) {
        abort();
    }
    free(out);
    return 0;
}
