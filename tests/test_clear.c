/*
 * Stack-scan test (in the spirit of libwally's test_clear): secret-handling functions run on a
 * private, zero-filled stack; afterwards that whole stack must hold no copy of the master
 * secret, of a derived private key or of a sealing key, also after signing one payload of every
 * kind (docs/examples) with every family's key. Heap copies are covered by guarded
 * memory and explicit wiping; this catches temporaries left on the stack.
 */
#include <sys/mman.h>
#include <ucontext.h>

#include "teekeys/derive.h"
#include "teekeys/master.h"
#include "teekeys/seal.h"
#include "teekeys/sign.h"
#include "util.h"

#define STACK_SIZE (256 * 1024)

static ucontext_t main_ctx, work_ctx;
static unsigned char *stack;
static unsigned char master_bytes[32], derived[5][32], sealing_key[32];
static int work_rc, signed_count;
static json_t *payloads[10];
static const struct {
    const char *kind;
    tk_family family;
} examples[] = {
    {"eth_transaction", TK_FAMILY_EVM},    {"eth_authorization", TK_FAMILY_EVM},
    {"eth_personal", TK_FAMILY_EVM},       {"eth_typed_data", TK_FAMILY_EVM},
    {"raw_digest", TK_FAMILY_EVM},         {"btc_psbt", TK_FAMILY_BITCOIN_TEST},
    {"sol_transaction", TK_FAMILY_SOLANA}, {"sol_message", TK_FAMILY_SOLANA},
    {"near_transaction", TK_FAMILY_NEAR},  {"nep413", TK_FAMILY_NEAR},
};

/* Runs on the private stack: everything a boot and a derivation would do with secrets. */
static void work(void)
{
    static const tk_family fams[] = {TK_FAMILY_EVM, TK_FAMILY_BITCOIN, TK_FAMILY_BITCOIN_TEST,
                                     TK_FAMILY_SOLANA, TK_FAMILY_NEAR};
    static const char hex[] = "8f2a55c1e37d9b04a6c8e1f2d3b4a5968778695a4b3c2d1e0f9e8d7c6b5a4938";
    unsigned char blob[TK_SEAL_BLOB_LEN], back[32];
    tk_master m = {0};
    tk_key key = {0};
    size_t i;

    work_rc = -1;
    if (tk_master_init(&m) != TK_OK || tk_key_init(&key) != TK_OK ||
        tk_master_from_hex(&m, hex, 64) != TK_OK) {
        return;
    }
    memcpy(master_bytes, m.bytes, 32);
    for (i = 0; i < 5; i++) {
        if (tk_derive_key(&key, m.bytes, "alice.near", fams[i], "clear") != TK_OK) {
            return;
        }
        memcpy(derived[i], key.secret, 32);
    }
    for (i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        tk_sign_kind kind;
        json_t *result = NULL;
        if (tk_derive_key(&key, m.bytes, "alice.near", examples[i].family, "clear") != TK_OK ||
            tk_sign_kind_parse(&kind, examples[i].kind) != TK_OK) {
            return;
        }
        /* payloads name alice's path-"" keys, so kinds that check the key (PSBT, Solana,
         * NEAR transactions) refuse politely; the signing kinds that do not still sign */
        if (tk_sign_payload(&result, &key, kind, payloads[i]) == TK_OK) {
            signed_count++;
        }
        json_decref(result);
    }
    tk_random(sealing_key, 32);
    if (tk_seal_encrypt(blob, sealing_key, TK_SEAL_PROVIDER_SIM, m.bytes) != TK_OK ||
        tk_seal_decrypt(back, sealing_key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob) != TK_OK) {
        return;
    }
    tk_wipe(back, sizeof back);
    tk_key_free(&key);
    tk_master_free(&m);
    work_rc = 0;
}

/* Returns the offset of the first 16-byte window of `secret` found in the stack, or -1. */
static long find(const unsigned char *secret)
{
    for (size_t off = 0; off + 16 <= STACK_SIZE; off++) {
        if (stack[off] == secret[0] && memcmp(stack + off, secret, 16) == 0) {
            return (long)off;
        }
    }
    return -1;
}

static void test_no_secret_on_stack(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "docs/examples/%s.json", examples[i].kind);
        payloads[i] = json_load_file(path, JSON_DECODE_ANY, NULL);
        assert_non_null(payloads[i]);
    }
    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(stack != MAP_FAILED);
    assert_int_equal(getcontext(&work_ctx), 0);
    work_ctx.uc_stack.ss_sp = stack;
    work_ctx.uc_stack.ss_size = STACK_SIZE;
    work_ctx.uc_link = &main_ctx;
    makecontext(&work_ctx, work, 0);
    assert_int_equal(swapcontext(&main_ctx, &work_ctx), 0);
    assert_int_equal(work_rc, 0);
    assert_true(signed_count >= 6);
    if (find(master_bytes) >= 0) {
        fail_msg("master secret left on the stack at offset %ld", find(master_bytes));
    }
    for (int i = 0; i < 5; i++) {
        if (find(derived[i]) >= 0) {
            fail_msg("derived key %d left on the stack at offset %ld", i, find(derived[i]));
        }
    }
    if (find(sealing_key) >= 0) {
        fail_msg("sealing key left on the stack at offset %ld", find(sealing_key));
    }
    munmap(stack, STACK_SIZE);
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        json_decref(payloads[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_no_secret_on_stack)};
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
