/*
 * Known answers for the hash module: FIPS 180-4 / FIPS 202 examples, Keccak-256 as Ethereum
 * uses it, RFC 4231 HMAC-SHA256 case 2, and RFC 5869 HKDF-SHA256 test cases 1 and 3
 * (case 3 has no salt, the mode that derivation v1 and CKD use).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "util.h"

static void test_sha2(void **state)
{
    unsigned char out[64];
    (void)state;
    tk_sha256(out, "abc", 3);
    assert_hex_equal(out, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tk_sha256(out, "", 0);
    assert_hex_equal(out, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    tk_sha384(out, "abc", 3);
    assert_hex_equal(out, 48,
                     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                     "8086072ba1e7cc2358baeca134c825a7");
    tk_sha512(out, "abc", 3);
    assert_hex_equal(out, 64,
                     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

static void test_sha2_parts(void **state)
{
    unsigned char a[32], b[48], whole[48];
    tk_buf parts[3] = {{"a", 1}, {NULL, 0}, {"bc", 2}};
    (void)state;
    tk_sha256_v(a, parts, 3);
    tk_sha256(whole, "abc", 3);
    assert_memory_equal(a, whole, 32);
    tk_sha384_v(b, parts, 3);
    tk_sha384(whole, "abc", 3);
    assert_memory_equal(b, whole, 48);
}

static void test_sha3_and_keccak(void **state)
{
    unsigned char out[32];
    (void)state;
    tk_sha3_256(out, "abc", 3);
    assert_hex_equal(out, 32, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    tk_sha3_256(out, "", 0);
    assert_hex_equal(out, 32, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    tk_keccak256(out, "", 0);
    assert_hex_equal(out, 32, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    tk_keccak256(out, "abc", 3);
    assert_hex_equal(out, 32, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

/* Streaming must equal one-shot for every split of inputs around the 136-byte rate. */
static void test_keccak_streaming(void **state)
{
    unsigned char msg[300], one[32], two[32];
    size_t len, cut;
    (void)state;
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (unsigned char)(i * 7 + 3);
    }
    for (len = 0; len <= sizeof msg; len += 17) {
        tk_keccak256(one, msg, len);
        for (cut = 0; cut <= len; cut += 5) {
            tk_keccak256_ctx ctx;
            tk_keccak256_init(&ctx);
            tk_keccak256_update(&ctx, msg, cut);
            tk_keccak256_update(&ctx, msg + cut, len - cut);
            tk_keccak256_final(&ctx, two);
            assert_memory_equal(one, two, 32);
        }
    }
    /* 135, 136 and 137 bytes straddle the padding edge cases. */
    memset(msg, 0x61, 137);
    tk_keccak256(one, msg, 136);
    tk_keccak256(two, msg, 135);
    assert_memory_not_equal(one, two, 32);
}

static void test_hmac(void **state)
{
    unsigned char out[32];
    static const char msg[] = "what do ya want for nothing?";
    (void)state;
    tk_hmac_sha256(out, "Jefe", 4, msg, strlen(msg));
    assert_hex_equal(out, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_hkdf(void **state)
{
    unsigned char ikm[22], salt[13], info[10], out[42];
    (void)state;
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++) {
        salt[i] = (unsigned char)i;
    }
    for (int i = 0; i < 10; i++) {
        info[i] = (unsigned char)(0xf0 + i);
    }
    assert_int_equal(tk_hkdf_sha256(out, 42, salt, 13, ikm, 22, info, 10), TK_OK);
    assert_hex_equal(out, 42,
                     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                     "34007208d5b887185865");
    /* RFC 5869 A.3: no salt, empty info. */
    assert_int_equal(tk_hkdf_sha256(out, 42, NULL, 0, ikm, 22, NULL, 0), TK_OK);
    assert_hex_equal(out, 42,
                     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                     "9d201395faa4b61a96c8");
    assert_int_equal(tk_hkdf_sha256(out, 0, NULL, 0, ikm, 22, NULL, 0), TK_ERR_ARG);
    assert_int_equal(tk_hkdf_sha256(out, 255 * 32 + 1, NULL, 0, ikm, 22, NULL, 0), TK_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha2),
        cmocka_unit_test(test_sha2_parts),
        cmocka_unit_test(test_sha3_and_keccak),
        cmocka_unit_test(test_keccak_streaming),
        cmocka_unit_test(test_hmac),
        cmocka_unit_test(test_hkdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
