/* Fuzzes bech32/bech32m and segwit decoding: a string that decodes must re-encode to its
 * lowercase form with the same variant; a segwit address must re-encode identically. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char hrp[TK_BECH32_MAX_LEN + 1], back[TK_BECH32_MAX_LEN + 8], lower[TK_BECH32_MAX_LEN + 1];
    unsigned char values[TK_BECH32_MAX_LEN], prog[40];
    size_t n, plen;
    tk_bech32_variant variant;
    int ver;
    if (size > TK_BECH32_MAX_LEN) {
        return 0;
    }
    for (size_t i = 0; i < size; i++) {
        lower[i] = (char)tolower(data[i]);
    }
    lower[size] = '\0';
    if (tk_bech32_decode(hrp, sizeof hrp, values, sizeof values, &n, &variant, (const char *)data,
                         size) == TK_OK) {
        if (tk_bech32_encode(back, sizeof back, hrp, values, n, variant) != TK_OK ||
            strcmp(back, lower) != 0) {
            abort();
        }
        if (tk_segwit_decode(&ver, prog, sizeof prog, &plen, hrp, (const char *)data, size) ==
            TK_OK) {
            if (tk_segwit_encode(back, sizeof back, hrp, ver, prog, plen) != TK_OK ||
                strcmp(back, lower) != 0) {
                abort();
            }
        }
    }
    return 0;
}
