/*
 * The nine near_host_bls12381_* host functions of the C runtime: nearcore's logic.rs wrappers
 * around the pure functions of bls_host.c. Each pays the host call (nvm_host_enter), fails as
 * nearcore's gas charge does for value_len = u64::MAX, reads its input from memory, runs the
 * function, turns a length error into the HostError BLS12381InvalidInput text, writes the
 * register when the function returned 0 (every function except pairing_check) and returns
 * nearcore's value (0, 1, or 2 for pairing_check).
 */
#include <stdlib.h>
#include <string.h>

#include "bls_host.h"
#include "internal.h"
#include "near_host.h"

/* The semantics: the stable protocol's (nearcore's `bls12381_not_in_group_fix` off). */
#define BLS_FLAGS 0u

/* The last output, kept until the next bls call because nvm_host_set_reg may leave the call
 * (longjmp) when the register limits refuse it. The runtime is single-threaded (nearvm.h). */
static unsigned char *last_out;

static near_u64 call(tk_nearvm_bls_fn fn, near_u64 len, near_u64 ptr, near_u64 reg, int has_reg)
{
    tk_nearvm_bls_result res;
    const unsigned char *in;
    size_t n;
    int rc;
    nvm_host_enter();
    free(last_out);
    last_out = NULL;
    /* nearcore charges the per-element gas, (value_len / item) * cost, before reading the input:
     * with value_len = u64::MAX (input from a register) that product overflows, so on NEAR these
     * functions cannot take their input from a register */
    if (len == UINT64_MAX) {
        nvm_host_fail("Integer overflow.");
    }
    in = nvm_host_mem(ptr, len, &n);
    rc = tk_nearvm_bls_call(&res, fn, in, n, BLS_FLAGS);
    if (rc != TK_OK) {
        char msg[sizeof res.error];
        memcpy(msg, res.error, sizeof msg);
        tk_nearvm_bls_result_free(&res);
        if (rc == TK_ERR_INPUT) {
            nvm_host_fail("%s", msg);
        }
        nvm_host_fail("host out of memory");
    }
    last_out = res.out;
    if (has_reg && res.ret == 0) {
        nvm_host_set_reg(reg, res.out, res.out_len);
    }
    return res.ret;
}

near_u64 near_host_bls12381_p1_sum(near_u64 value_len, near_u64 value_ptr, near_u64 register_id)
{
    return call(TK_NEARVM_BLS_P1_SUM, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_p2_sum(near_u64 value_len, near_u64 value_ptr, near_u64 register_id)
{
    return call(TK_NEARVM_BLS_P2_SUM, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_g1_multiexp(near_u64 value_len, near_u64 value_ptr,
                                        near_u64 register_id)
{
    return call(TK_NEARVM_BLS_G1_MULTIEXP, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_g2_multiexp(near_u64 value_len, near_u64 value_ptr,
                                        near_u64 register_id)
{
    return call(TK_NEARVM_BLS_G2_MULTIEXP, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_map_fp_to_g1(near_u64 value_len, near_u64 value_ptr,
                                         near_u64 register_id)
{
    return call(TK_NEARVM_BLS_MAP_FP_TO_G1, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_map_fp2_to_g2(near_u64 value_len, near_u64 value_ptr,
                                          near_u64 register_id)
{
    return call(TK_NEARVM_BLS_MAP_FP2_TO_G2, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_pairing_check(near_u64 value_len, near_u64 value_ptr)
{
    return call(TK_NEARVM_BLS_PAIRING_CHECK, value_len, value_ptr, 0, 0);
}

near_u64 near_host_bls12381_p1_decompress(near_u64 value_len, near_u64 value_ptr,
                                          near_u64 register_id)
{
    return call(TK_NEARVM_BLS_P1_DECOMPRESS, value_len, value_ptr, register_id, 1);
}

near_u64 near_host_bls12381_p2_decompress(near_u64 value_len, near_u64 value_ptr,
                                          near_u64 register_id)
{
    return call(TK_NEARVM_BLS_P2_DECOMPRESS, value_len, value_ptr, register_id, 1);
}
