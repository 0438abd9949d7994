/* Fuzzes hex decoding: anything that decodes must re-encode to the lowercased input. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char out[512];
    char back[1025];
    size_t n;
    if (size > 1024) {
        return 0;
    }
    if (tk_hex_decode(out, sizeof out, &n, (const char *)data, size) != TK_OK) {
        return 0;
    }
    if (tk_hex_encode(back, sizeof back, out, n) != TK_OK || strlen(back) != size) {
        abort();
    }
    for (size_t i = 0; i < size; i++) {
        if (back[i] != tolower(data[i])) {
            abort();
        }
    }
    if (n > 0 && tk_hex_decode_exact(out, n, (const char *)data, size, 0) != TK_OK) {
        abort();
    }
    return 0;
}
