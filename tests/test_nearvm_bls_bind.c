/*
 * The C runtime's near_host_bls12381_* bindings (src/nearvm/bls_bind.c) inside a contract call
 * (nvm_exec_run): input from memory, the register written on 0 (also over the register the
 * input came from) and untouched on 1, pairing_check writing none, the length error as
 * nearcore's HostError text ending the call, value_len = u64::MAX failing as nearcore's gas
 * charge does ("Integer overflow."), and one host call's gas each.
 */
#include <stdint.h>

#include "../src/nearvm/internal.h"
#include "near_host.h"
#include "teekeys/bls12_381.h"
#include "util.h"

static nvm_exec x;
static unsigned char item[97], got[192];
static near_u64 ret, len_after;

static void setup_exec(void)
{
    nvm_exec_clear(&x);
    memset(&x, 0, sizeof x);
    x.prepaid = 300 * NVM_TGAS;
}

static void body_memory(void)
{
    ret = near_host_bls12381_p1_sum(sizeof item, (near_u64)(uintptr_t)item, 5);
    len_after = near_host_register_len(5);
    near_host_read_register(5, (near_u64)(uintptr_t)got);
}

static void body_overwrite(void)
{
    near_host_write_register(7, 3, (near_u64)(uintptr_t)item);
    ret = near_host_bls12381_p1_sum(sizeof item, (near_u64)(uintptr_t)item, 7);
    len_after = near_host_register_len(7);
    near_host_read_register(7, (near_u64)(uintptr_t)got);
}

static void body_register(void)
{
    near_host_write_register(7, sizeof item, (near_u64)(uintptr_t)item);
    ret = 99;
    ret = near_host_bls12381_p1_sum(UINT64_MAX, 7, 8);
}

static void body_invalid(void)
{
    ret = near_host_bls12381_p1_sum(sizeof item, (near_u64)(uintptr_t)item, 5);
    len_after = near_host_register_len(5);
}

static void body_pairing(void)
{
    ret = near_host_bls12381_pairing_check(0, 0);
}

static void body_length(void)
{
    ret = 99;
    ret = near_host_bls12381_p1_sum(96, (near_u64)(uintptr_t)item, 5);
}

static void body_bad_register(void)
{
    ret = near_host_bls12381_p2_decompress(UINT64_MAX, 42, 5);
}

static void test_bindings(void **state)
{
    tk_bls_g1 g;
    unsigned char want[96];
    (void)state;
    tk_bls_g1_generator(&g);
    tk_bls_g1_serialize(want, &g);
    item[0] = 0;
    memcpy(item + 1, want, 96);

    setup_exec();
    assert_int_equal(nvm_exec_run(&x, body_memory), 0);
    assert_int_equal(ret, 0);
    assert_int_equal(len_after, 96);
    assert_memory_equal(got, want, 96);
    assert_int_equal(x.host_calls, 3);

    setup_exec();
    memset(got, 0, sizeof got);
    assert_int_equal(nvm_exec_run(&x, body_overwrite), 0);
    assert_int_equal(ret, 0);
    assert_int_equal(len_after, 96);
    assert_memory_equal(got, want, 96);

    setup_exec();
    assert_int_equal(nvm_exec_run(&x, body_register), 1);
    assert_int_equal(ret, 99);
    assert_string_equal(x.error, "Integer overflow.");

    setup_exec();
    item[0] = 2; /* bad sign byte: 1, register untouched */
    assert_int_equal(nvm_exec_run(&x, body_invalid), 0);
    assert_int_equal(ret, 1);
    assert_true(len_after == UINT64_MAX);

    setup_exec();
    ret = 7;
    assert_int_equal(nvm_exec_run(&x, body_pairing), 0);
    assert_int_equal(ret, 0);
    assert_int_equal(x.n_regs, 0);

    setup_exec();
    assert_int_equal(nvm_exec_run(&x, body_length), 1);
    assert_int_equal(ret, 99);
    assert_string_equal(x.error, "BLS12-381 invalid input: Incorrect input length for "
                                 "bls12381_p1_sum: 96 is not divisible by 97");

    setup_exec(); /* the gas charge fails before the (missing) register is looked up */
    assert_int_equal(nvm_exec_run(&x, body_bad_register), 1);
    assert_string_equal(x.error, "Integer overflow.");
    nvm_exec_clear(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_bindings)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
