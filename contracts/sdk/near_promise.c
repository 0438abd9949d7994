/*
 * near_sdk promise wrappers: cross-contract calls, callbacks, joint promises, batch actions,
 * yield/resume and promise results over the host's promise_* functions. Kept apart from
 * near_sdk.c so that a contract (or a native program) that makes no promises does not import
 * or need these host functions. Like near_sdk.c, the only place with pointer <-> u64 casts.
 */
#include "near_host.h"
#include "near_sdk.h"

#define REG 0

static near_u64 p64(const void *p)
{
    return (near_u64)(uintptr_t)p;
}

static void le128(uint8_t out[16], unsigned __int128 v)
{
    int i;
    for (i = 0; i < 16; i++, v >>= 8) {
        out[i] = (uint8_t)v;
    }
}

near_promise near_promise_create(const char *account, const char *method, const void *args,
                                 size_t args_len, unsigned __int128 deposit, uint64_t gas)
{
    uint8_t amount[16];
    le128(amount, deposit);
    return near_host_promise_create(near_strlen(account), p64(account), near_strlen(method),
                                    p64(method), args_len, p64(args), p64(amount), gas);
}

near_promise near_promise_then(near_promise p, const char *account, const char *method,
                               const void *args, size_t args_len, unsigned __int128 deposit,
                               uint64_t gas)
{
    uint8_t amount[16];
    le128(amount, deposit);
    return near_host_promise_then(p, near_strlen(account), p64(account), near_strlen(method),
                                  p64(method), args_len, p64(args), p64(amount), gas);
}

near_promise near_promise_and(const near_promise *promises, size_t count)
{
    uint8_t *le = near_alloc(8 * count + 1);
    size_t i;
    int j;
    for (i = 0; i < count; i++) {
        uint64_t v = promises[i];
        for (j = 0; j < 8; j++, v >>= 8) {
            le[8 * i + (size_t)j] = (uint8_t)v;
        }
    }
    return near_host_promise_and(p64(le), count);
}

near_promise near_promise_batch_create(const char *account)
{
    return near_host_promise_batch_create(near_strlen(account), p64(account));
}

near_promise near_promise_batch_then(near_promise p, const char *account)
{
    return near_host_promise_batch_then(p, near_strlen(account), p64(account));
}

void near_promise_batch_create_account(near_promise p)
{
    near_host_promise_batch_action_create_account(p);
}

void near_promise_batch_deploy_contract(near_promise p, const void *code, size_t code_len)
{
    near_host_promise_batch_action_deploy_contract(p, code_len, p64(code));
}

void near_promise_batch_function_call(near_promise p, const char *method, const void *args,
                                      size_t args_len, unsigned __int128 deposit, uint64_t gas,
                                      uint64_t gas_weight)
{
    uint8_t amount[16];
    le128(amount, deposit);
    if (gas_weight == 0) {
        near_host_promise_batch_action_function_call(p, near_strlen(method), p64(method), args_len,
                                                     p64(args), p64(amount), gas);
    } else {
        near_host_promise_batch_action_function_call_weight(
            p, near_strlen(method), p64(method), args_len, p64(args), p64(amount), gas, gas_weight);
    }
}

void near_promise_batch_transfer(near_promise p, unsigned __int128 amount)
{
    uint8_t le[16];
    le128(le, amount);
    near_host_promise_batch_action_transfer(p, p64(le));
}

void near_promise_batch_add_full_access_key(near_promise p, const uint8_t *public_key,
                                            size_t key_len, uint64_t nonce)
{
    near_host_promise_batch_action_add_key_with_full_access(p, key_len, p64(public_key), nonce);
}

void near_promise_batch_add_function_call_key(near_promise p, const uint8_t *public_key,
                                              size_t key_len, uint64_t nonce,
                                              unsigned __int128 allowance, const char *receiver,
                                              const char *method_names)
{
    uint8_t le[16];
    le128(le, allowance);
    near_host_promise_batch_action_add_key_with_function_call(
        p, key_len, p64(public_key), nonce, p64(le), near_strlen(receiver), p64(receiver),
        near_strlen(method_names), p64(method_names));
}

void near_promise_batch_delete_key(near_promise p, const uint8_t *public_key, size_t key_len)
{
    near_host_promise_batch_action_delete_key(p, key_len, p64(public_key));
}

void near_promise_batch_delete_account(near_promise p, const char *beneficiary)
{
    near_host_promise_batch_action_delete_account(p, near_strlen(beneficiary), p64(beneficiary));
}

near_promise near_promise_yield_create(const char *method, const void *args, size_t args_len,
                                       uint64_t gas, uint64_t gas_weight, uint8_t data_id[32])
{
    near_promise p = near_host_promise_yield_create(near_strlen(method), p64(method), args_len,
                                                    p64(args), gas, gas_weight, REG);
    if (near_host_register_len(REG) != 32) {
        near_panic("yield data id is not 32 bytes");
    }
    near_host_read_register(REG, p64(data_id));
    return p;
}

int near_promise_yield_resume(const uint8_t data_id[32], const void *payload, size_t len)
{
    return near_host_promise_yield_resume(32, p64(data_id), len, p64(payload)) == 1;
}

uint64_t near_promise_results_count(void)
{
    return near_host_promise_results_count();
}

int near_promise_result(uint64_t index, uint8_t **value, size_t *len)
{
    near_u64 status = near_host_promise_result(index, REG), n;
    *value = 0;
    *len = 0;
    if (status != NEAR_PROMISE_SUCCESS) {
        return NEAR_PROMISE_FAILED;
    }
    n = near_host_register_len(REG);
    *value = near_alloc((size_t)n + 1);
    near_host_read_register(REG, p64(*value));
    (*value)[n] = 0;
    *len = (size_t)n;
    return NEAR_PROMISE_SUCCESS;
}

void near_promise_return(near_promise p)
{
    near_host_promise_return(p);
}
