/* Fuzzes the NEAR JSON kinds (near_transaction, nep413) with a fixed test key: whatever JSON
 * arrives must be refused cleanly or signed, and every nep413 result must verify with
 * tk_near_nep413_verify_request_var. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "teekeys/near.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static unsigned char sk[64], pk[32];
    static int ready;
    json_t *payload, *result = NULL;
    if (!ready) {
        unsigned char seed[32];
        if (sodium_init() < 0) {
            abort();
        }
        for (int i = 0; i < 32; i++) {
            seed[i] = (unsigned char)(i + 1);
        }
        crypto_sign_seed_keypair(pk, sk, seed);
        ready = 1;
    }
    payload = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (payload == NULL) {
        return 0;
    }
    if (tk_near_sign_request(&result, sk, "near_transaction", payload) == TK_OK) {
        if (!json_is_string(json_object_get(result, "hash"))) {
            abort();
        }
        json_decref(result);
    } else if (result != NULL) {
        abort();
    }
    result = NULL;
    if (tk_near_sign_request(&result, sk, "nep413", payload) == TK_OK) {
        if (tk_near_nep413_verify_request_var(payload, result) != TK_OK) {
            abort();
        }
        json_decref(result);
    }
    json_decref(payload);
    return 0;
}
