/* Fuzzes base58: decode then encode must give back the input exactly (canonical), and
 * encode then decode must give back arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char bytes[1024];
    char text[1500];
    size_t n, m;
    if (tk_base58_decode(bytes, sizeof bytes, &n, (const char *)data, size) == TK_OK) {
        if (tk_base58_encode(text, sizeof text, &m, bytes, n) != TK_OK || m != size ||
            memcmp(text, data, size) != 0) {
            abort();
        }
    }
    if (size <= 256) {
        if (tk_base58_encode(text, sizeof text, &m, data, size) != TK_OK ||
            tk_base58_decode(bytes, sizeof bytes, &n, text, m) != TK_OK || n != size ||
            memcmp(bytes, data, size) != 0) {
            abort();
        }
    }
    return 0;
}
