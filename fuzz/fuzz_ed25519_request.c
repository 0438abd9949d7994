/* Fuzzes the JSON signing kinds of the two ed25519 chains with one fixed test key: NEAR
 * (near_transaction, nep413) and Solana (sol_transaction, sol_message). Whatever JSON arrives
 * must be refused cleanly (no result left behind) or signed, and every signed message must
 * verify with its chain's verifier (tk_near_nep413_verify_request_var,
 * tk_sol_verify_message_request_var). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "teekeys/near.h"
#include "teekeys/solana.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef int (*sign_fn)(json_t **result, const unsigned char sk[64], const char *kind,
                       const json_t *payload);

/* Signs `payload` as `kind`; returns the result (caller frees) or NULL when refused, and
 * aborts if a refusal leaves a result behind. */
static json_t *sign(sign_fn fn, const unsigned char sk[64], const char *kind, json_t *payload)
{
    json_t *result = NULL;
    if (fn(&result, sk, kind, payload) == TK_OK) {
        if (result == NULL) {
            abort();
        }
        return result;
    }
    if (result != NULL) {
        abort();
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static unsigned char sk[64], pk[32];
    static int ready;
    json_t *payload, *result;
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
    if ((result = sign(tk_near_sign_request, sk, "near_transaction", payload)) != NULL) {
        if (!json_is_string(json_object_get(result, "hash"))) {
            abort();
        }
        json_decref(result);
    }
    if ((result = sign(tk_near_sign_request, sk, "nep413", payload)) != NULL) {
        if (tk_near_nep413_verify_request_var(payload, result) != TK_OK) {
            abort();
        }
        json_decref(result);
    }
    if ((result = sign(tk_sol_sign_request, sk, "sol_transaction", payload)) != NULL) {
        if (!json_is_string(json_object_get(result, "transaction"))) {
            abort();
        }
        json_decref(result);
    }
    if ((result = sign(tk_sol_sign_request, sk, "sol_message", payload)) != NULL) {
        if (tk_sol_verify_message_request_var(pk, payload, result) != TK_OK) {
            abort();
        }
        json_decref(result);
    }
    json_decref(payload);
    return 0;
}
