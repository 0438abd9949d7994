/* Fuzzes the EIP-712 typed-data parser and hasher: accepted input must hash the same after a
 * JSON serialise/parse round trip (the hash depends on values, not on formatting), and the
 * signing request path must accept it too. Bounded recursion keeps deep inputs cheap. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/evm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char h1[32], h2[32], ds[32], sh[32];
    json_error_t err;
    json_t *j, *j2;
    char *text;
    if (size > 65536) {
        return 0;
    }
    j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL) {
        return 0;
    }
    if (tk_evm_typed_data_hash(h1, ds, sh, j) != TK_OK) {
        json_decref(j);
        return 0;
    }
    text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL) {
        abort();
    }
    j2 = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (j2 == NULL || tk_evm_typed_data_hash_json(h2, text, strlen(text)) != TK_OK ||
        memcmp(h1, h2, 32) != 0) {
        abort();
    }
    free(text);
    json_decref(j2);
    json_decref(j);
    return 0;
}
