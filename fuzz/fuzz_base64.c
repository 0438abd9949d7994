/* Fuzzes base64: whatever decodes must re-encode to the identical string (canonical form),
 * and arbitrary bytes must round-trip. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char bytes[4096];
    char text[8200];
    size_t n, m;
    if (size > 4096) {
        return 0;
    }
    if (tk_base64_decode(bytes, sizeof bytes, &n, (const char *)data, size) == TK_OK) {
        if (tk_base64_encode(text, sizeof text, &m, bytes, n) != TK_OK || m != size ||
            memcmp(text, data, size) != 0) {
            abort();
        }
    }
    if (tk_base64_encode(text, sizeof text, &m, data, size) != TK_OK ||
        tk_base64_decode(bytes, sizeof bytes, &n, text, m) != TK_OK || n != size ||
        memcmp(bytes, data, size) != 0) {
        abort();
    }
    return 0;
}
