/*
 * Internal to src/nearvm: nearcore's nine bls12381_* host functions as pure functions over byte
 * buffers (input bytes -> return value, register bytes or host error), which bls_host.c binds to
 * the runtime's registers and errors and which the tests and the fuzzer drive directly. The
 * encodings are nearcore's, documented at the top of bls_host.c.
 */
#ifndef TK_NEARVM_BLS_HOST_H
#define TK_NEARVM_BLS_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

/* The nine functions, in nearcore's order of declaration. */
typedef enum {
    TK_NEARVM_BLS_P1_SUM = 0,
    TK_NEARVM_BLS_P2_SUM,
    TK_NEARVM_BLS_G1_MULTIEXP,
    TK_NEARVM_BLS_G2_MULTIEXP,
    TK_NEARVM_BLS_MAP_FP_TO_G1,
    TK_NEARVM_BLS_MAP_FP2_TO_G2,
    TK_NEARVM_BLS_PAIRING_CHECK,
    TK_NEARVM_BLS_P1_DECOMPRESS,
    TK_NEARVM_BLS_P2_DECOMPRESS,
    TK_NEARVM_BLS_COUNT
} tk_nearvm_bls_fn;

/* Flag: nearcore's `bls12381_not_in_group_fix` (NEP-488 fix, semantics version 1): p1_sum and
 * p1_decompress also accept the curve points (0, +-2). Off = the semantics of the stable protocol
 * as of nearcore PR 14550 (2026), which refuses them. */
#define TK_NEARVM_BLS_NOT_IN_GROUP_FIX 1u

/* nearcore's Display prefix of HostError::BLS12381InvalidInput. */
#define TK_NEARVM_BLS_ERROR_PREFIX "BLS12-381 invalid input: "

typedef struct {
    /* The host function's return value: 0 success (register written, except pairing_check),
     * 1 invalid input (register untouched), 2 pairing_check: the product is not 1. */
    uint64_t ret;
    /* The bytes for the register when ret == 0 (NULL for pairing_check; out_len may be 0);
     * malloc'd, released by tk_nearvm_bls_result_free. */
    unsigned char *out;
    size_t out_len;
    /* When the call returns TK_ERR_INPUT: nearcore's host error text (Display form,
     * "BLS12-381 invalid input: Incorrect input length for ..."). */
    char error[160];
} tk_nearvm_bls_result;

/* Runs host function `fn` on `in_len` bytes (in may be NULL when in_len == 0). Returns TK_OK with
 * res->ret set; TK_ERR_INPUT when nearcore raises HostError::BLS12381InvalidInput (the call
 * aborts; res->error holds the text); TK_ERR_NOMEM; TK_ERR_ARG for a NULL res or bad fn. `flags`:
 * TK_NEARVM_BLS_NOT_IN_GROUP_FIX or 0. res is always initialised (free it in every case). */
int tk_nearvm_bls_call(tk_nearvm_bls_result *res, tk_nearvm_bls_fn fn, const unsigned char *in,
                       size_t in_len, unsigned flags) TK_MUST_CHECK;
void tk_nearvm_bls_result_free(tk_nearvm_bls_result *res);

/* nearcore's import name of `fn` ("bls12381_p1_sum", ...), or NULL. */
const char *tk_nearvm_bls_name(tk_nearvm_bls_fn fn);
/* The function with that import name, or -1. */
int tk_nearvm_bls_lookup(const char *name);

#endif
