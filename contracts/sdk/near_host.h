/*
 * The one shim between teekeys contracts and the NEAR host: every host function under
 * nearcore's name and signature, declared once through an X-macro. In wasm32 they
 * are imports from module "env"; in the native build (NEAR_NATIVE) the same symbols are
 * provided by a host implementation linked into the program (localnet, unit tests).
 * Contract code never calls these directly: it uses the typed helpers of near_sdk.h, and all
 * pointer <-> u64 casts live in near_sdk.c.
 */
#ifndef NEAR_HOST_H
#define NEAR_HOST_H

#include <stdint.h>

typedef uint64_t near_u64;

/* X(name, returns, parameter list): returns 0 = nothing, 1 = u64, 2 = u32 (nearcore's
 * promise_yield_resume is the one host function returning an i32). */
#define NEAR_HOST_FUNCTIONS(X)                                                                     \
    X(read_register, 0, (near_u64 register_id, near_u64 ptr))                                      \
    X(register_len, 1, (near_u64 register_id))                                                     \
    X(write_register, 0, (near_u64 register_id, near_u64 data_len, near_u64 data_ptr))             \
    X(current_account_id, 0, (near_u64 register_id))                                               \
    X(signer_account_id, 0, (near_u64 register_id))                                                \
    X(signer_account_pk, 0, (near_u64 register_id))                                                \
    X(predecessor_account_id, 0, (near_u64 register_id))                                           \
    X(input, 0, (near_u64 register_id))                                                            \
    X(block_index, 1, (void))                                                                      \
    X(block_timestamp, 1, (void))                                                                  \
    X(epoch_height, 1, (void))                                                                     \
    X(storage_usage, 1, (void))                                                                    \
    X(account_balance, 0, (near_u64 balance_ptr))                                                  \
    X(attached_deposit, 0, (near_u64 balance_ptr))                                                 \
    X(prepaid_gas, 1, (void))                                                                      \
    X(used_gas, 1, (void))                                                                         \
    X(random_seed, 0, (near_u64 register_id))                                                      \
    X(sha256, 0, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))                   \
    X(keccak256, 0, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))                \
    X(ed25519_verify, 1,                                                                           \
      (near_u64 sig_len, near_u64 sig_ptr, near_u64 msg_len, near_u64 msg_ptr, near_u64 pub_len,   \
       near_u64 pub_ptr))                                                                          \
    X(ecrecover, 1,                                                                                \
      (near_u64 hash_len, near_u64 hash_ptr, near_u64 sig_len, near_u64 sig_ptr, near_u64 v,       \
       near_u64 malleability_flag, near_u64 register_id))                                          \
    X(value_return, 0, (near_u64 value_len, near_u64 value_ptr))                                   \
    X(panic, 0, (void))                                                                            \
    X(panic_utf8, 0, (near_u64 len, near_u64 ptr))                                                 \
    X(log_utf8, 0, (near_u64 len, near_u64 ptr))                                                   \
    X(storage_write, 1,                                                                            \
      (near_u64 key_len, near_u64 key_ptr, near_u64 value_len, near_u64 value_ptr,                 \
       near_u64 register_id))                                                                      \
    X(storage_read, 1, (near_u64 key_len, near_u64 key_ptr, near_u64 register_id))                 \
    X(storage_remove, 1, (near_u64 key_len, near_u64 key_ptr, near_u64 register_id))               \
    X(storage_has_key, 1, (near_u64 key_len, near_u64 key_ptr))                                    \
    X(promise_create, 1,                                                                           \
      (near_u64 account_id_len, near_u64 account_id_ptr, near_u64 function_name_len,               \
       near_u64 function_name_ptr, near_u64 arguments_len, near_u64 arguments_ptr,                 \
       near_u64 amount_ptr, near_u64 gas))                                                         \
    X(promise_then, 1,                                                                             \
      (near_u64 promise_index, near_u64 account_id_len, near_u64 account_id_ptr,                   \
       near_u64 function_name_len, near_u64 function_name_ptr, near_u64 arguments_len,             \
       near_u64 arguments_ptr, near_u64 amount_ptr, near_u64 gas))                                 \
    X(promise_and, 1, (near_u64 promise_idx_ptr, near_u64 promise_idx_count))                      \
    X(promise_batch_create, 1, (near_u64 account_id_len, near_u64 account_id_ptr))                 \
    X(promise_batch_then, 1,                                                                       \
      (near_u64 promise_index, near_u64 account_id_len, near_u64 account_id_ptr))                  \
    X(promise_batch_action_create_account, 0, (near_u64 promise_index))                            \
    X(promise_batch_action_deploy_contract, 0,                                                     \
      (near_u64 promise_index, near_u64 code_len, near_u64 code_ptr))                              \
    X(promise_batch_action_function_call, 0,                                                       \
      (near_u64 promise_index, near_u64 function_name_len, near_u64 function_name_ptr,             \
       near_u64 arguments_len, near_u64 arguments_ptr, near_u64 amount_ptr, near_u64 gas))         \
    X(promise_batch_action_function_call_weight, 0,                                                \
      (near_u64 promise_index, near_u64 function_name_len, near_u64 function_name_ptr,             \
       near_u64 arguments_len, near_u64 arguments_ptr, near_u64 amount_ptr, near_u64 gas,          \
       near_u64 weight))                                                                           \
    X(promise_batch_action_transfer, 0, (near_u64 promise_index, near_u64 amount_ptr))             \
    X(promise_batch_action_add_key_with_full_access, 0,                                            \
      (near_u64 promise_index, near_u64 public_key_len, near_u64 public_key_ptr, near_u64 nonce))  \
    X(promise_batch_action_add_key_with_function_call, 0,                                          \
      (near_u64 promise_index, near_u64 public_key_len, near_u64 public_key_ptr, near_u64 nonce,   \
       near_u64 allowance_ptr, near_u64 receiver_id_len, near_u64 receiver_id_ptr,                 \
       near_u64 function_names_len, near_u64 function_names_ptr))                                  \
    X(promise_batch_action_delete_key, 0,                                                          \
      (near_u64 promise_index, near_u64 public_key_len, near_u64 public_key_ptr))                  \
    X(promise_batch_action_delete_account, 0,                                                      \
      (near_u64 promise_index, near_u64 beneficiary_id_len, near_u64 beneficiary_id_ptr))          \
    X(promise_yield_create, 1,                                                                     \
      (near_u64 function_name_len, near_u64 function_name_ptr, near_u64 arguments_len,             \
       near_u64 arguments_ptr, near_u64 gas, near_u64 gas_weight, near_u64 register_id))           \
    X(promise_yield_resume, 2,                                                                     \
      (near_u64 data_id_len, near_u64 data_id_ptr, near_u64 payload_len, near_u64 payload_ptr))    \
    X(promise_results_count, 1, (void))                                                            \
    X(promise_result, 1, (near_u64 result_idx, near_u64 register_id))                              \
    X(promise_return, 0, (near_u64 promise_id))                                                    \
    X(bls12381_p1_sum, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))          \
    X(bls12381_p2_sum, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))          \
    X(bls12381_g1_multiexp, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))     \
    X(bls12381_g2_multiexp, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))     \
    X(bls12381_map_fp_to_g1, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))    \
    X(bls12381_map_fp2_to_g2, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))   \
    X(bls12381_pairing_check, 1, (near_u64 value_len, near_u64 value_ptr))                         \
    X(bls12381_p1_decompress, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))   \
    X(bls12381_p2_decompress, 1, (near_u64 value_len, near_u64 value_ptr, near_u64 register_id))

#define NEAR_RET_0 void
#define NEAR_RET_1 near_u64
#define NEAR_RET_2 uint32_t
#ifdef NEAR_NATIVE
#define NEAR_HOST_DECLARE(name, ret, params) NEAR_RET_##ret near_host_##name params;
#else
#define NEAR_HOST_DECLARE(name, ret, params)                                                       \
    __attribute__((import_module("env"), import_name(#name)))                                      \
    NEAR_RET_##ret near_host_##name params;
#endif
NEAR_HOST_FUNCTIONS(NEAR_HOST_DECLARE)
#undef NEAR_HOST_DECLARE

#endif
