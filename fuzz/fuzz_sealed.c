/* Fuzzes the sealed-blob reader: arbitrary bytes must be refused cleanly (no crash, output
 * wiped); a blob sealed from fuzz-chosen bytes must open to exactly those bytes, and any
 * single-byte change of it must be refused. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/seal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const unsigned char key[32] = {7, 7, 7};
    unsigned char out[32], blob[TK_SEAL_BLOB_LEN];
    tk_seal_provider_id id;

    if (tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, data, size) == TK_OK) {
        abort(); /* forging a GCM tag by fuzzing means the check is broken */
    }
    for (size_t i = 0; i < sizeof out; i++) {
        if (out[i] != 0 && size == TK_SEAL_BLOB_LEN &&
            tk_seal_blob_provider(&id, data, size) == TK_OK && id == TK_SEAL_PROVIDER_SIM) {
            abort(); /* a refused blob must leave no plaintext behind */
        }
    }
    if (size >= 33) {
        if (tk_seal_encrypt(blob, key, TK_SEAL_PROVIDER_SIM, data) != TK_OK ||
            tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob) != TK_OK ||
            memcmp(out, data, 32) != 0) {
            abort();
        }
        blob[data[32] % TK_SEAL_BLOB_LEN] ^= (unsigned char)(1u << (data[32] >> 5));
        if (tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob) == TK_OK) {
            abort();
        }
    }
    return 0;
}
