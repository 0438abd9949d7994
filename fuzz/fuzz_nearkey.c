/* Fuzzes NEAR key string decoding for every key type: a decoded key must re-encode to the
 * identical string. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/encoding.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const tk_nearkey_type types[] = {TK_NEARKEY_ED25519_PUBLIC, TK_NEARKEY_SECP256K1_PUBLIC,
                                            TK_NEARKEY_BLS12381_G1, TK_NEARKEY_BLS12381_G2,
                                            TK_NEARKEY_ED25519_SECRET};
    unsigned char key[96];
    char back[TK_NEARKEY_MAX_LEN];
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        size_t len = tk_nearkey_len(types[t]);
        if (tk_nearkey_decode(key, len, types[t], (const char *)data, size) != TK_OK) {
            continue;
        }
        if (tk_nearkey_encode(back, sizeof back, types[t], key, len) != TK_OK ||
            strlen(back) != size || memcmp(back, data, size) != 0) {
            abort();
        }
    }
    return 0;
}
